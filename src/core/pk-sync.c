/* pk-sync.c: send pending signatures to an OSDI endpoint, exactly once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exactly once comes from two rules, not from the network:
 *  - a signature is marked sent only after the server answered 2xx with
 *    a reply that names its record, so nothing unconfirmed is lost;
 *  - every request carries the identifier "petition-kiosk:<uuid>", so a
 *    resend of something the server did store (a reply lost to a dropped
 *    connection, a kill before the state was written) is recognised by
 *    the server and creates nothing new.
 * Hence every doubtful case (connection error, timeout, 5xx, 429, a 2xx
 * whose body is cut off, not JSON or huge) is simply retried.
 *
 * One request is in flight at a time, on one kept-alive connection: the
 * rate limit and the server's Retry-After are easy to honour that way,
 * and the order of sending follows the store's id order.
 *
 * Confirmed outcomes are written to the store in small groups (one
 * transaction per SYNC_FLUSH_ROWS answers or per second): a crash loses
 * at most that many confirmations, whose resend the identifier makes
 * harmless, while a kiosk's disk is spared an fsync per request.
 */
#define G_LOG_DOMAIN "pk-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk-osdi.h"
#include "pk-store-sync.h"
#include "pk-sync-classify.h"
#include "pk-sync-private.h"
#include "pk-sync-tags.h"

G_DEFINE_QUARK (pk-sync-error-quark, pk_sync_error)


G_DEFINE_FINAL_TYPE (PkSyncer, pk_syncer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PENDING,
  PROP_SENT,
  PROP_FAILED,
  PROP_FRACTION,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pk_syncer_send_now  (PkSyncer *self);

static gboolean
token_is_valid (const char *token)
{
  gsize length = strlen (token);

  if (length == 0 || length > MAX_TOKEN_BYTES)
    return FALSE;
  /* Visible ASCII only: anything else could split the HTTP header. */
  for (const char *p = token; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      sodium_memzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

void
_pk_syncer_set_last_error (PkSyncer   *self,
                          const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

void
_pk_syncer_emit_progress (PkSyncer *self)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

void
_pk_syncer_notify_counts (PkSyncer *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

gboolean
_pk_syncer_flush (PkSyncer  *self,
                 GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  self->last_flush = g_get_monotonic_time ();
  if (self->outcomes->len == 0)
    return TRUE;
  if (!pk_store_sync_record (self->store, self->outcomes, &local_error))
    {
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_STORE,
                   _("Cannot record the sync state in the database: %s"),
                   local_error->message);
      return FALSE;
    }
  g_ptr_array_set_size (self->outcomes, 0);
  return TRUE;
}

void
_pk_syncer_clear_request (PkSyncer *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->message);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->reply, g_byte_array_unref);
}

/* Ends the run. Whatever happens, answered outcomes are written first:
 * they are true whatever stopped the run. */
void
_pk_syncer_finish (PkSyncer *self,
                  GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) flush_error = NULL;

  g_assert (task != NULL);

  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_handle_id (&self->cancelled_idle_id, g_source_remove);
  _pk_syncer_clear_request (self);
  g_clear_pointer (&self->current, pk_sync_item_free);
  g_queue_clear_full (&self->queue, (GDestroyNotify) pk_sync_item_free);

  if (!_pk_syncer_flush (self, &flush_error) && error == NULL)
    error = g_steal_pointer (&flush_error);
  /* What was not recorded is free for another run at once. When the
   * database cannot be reached, the leases run out instead. */
  else if (!pk_store_sync_release_claims (self->store, self->holder, &flush_error))
    g_debug ("claims not released, their leases will run out: %s", flush_error->message);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _pk_syncer_set_last_error (self, error->message);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  _pk_syncer_notify_counts (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_pk_syncer_stop (PkSyncer   *self,
                PkSyncError code,
                const char *message)
{
  _pk_syncer_finish (self, g_error_new_literal (PK_SYNC_ERROR, code, message));
}

static gboolean
pk_syncer_check_cancelled (PkSyncer *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      _pk_syncer_finish (self, error);
      return TRUE;
    }
  return FALSE;
}

/* A request in flight sees the cancellation itself; a wait between
 * tries (up to a minute, or a Retry-After) is cut short here. */
static gboolean
cancelled_idle_cb (gpointer data)
{
  PkSyncer *self = data;

  self->cancelled_idle_id = 0;
  if (self->task != NULL && self->timeout_id != 0)
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      pk_syncer_check_cancelled (self);
    }
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  PkSyncer *self = data;

  /* Not from within this handler: finishing disconnects it. */
  if (self->cancelled_idle_id == 0)
    self->cancelled_idle_id = g_idle_add (cancelled_idle_cb, self);
}

static gboolean
send_timeout_cb (gpointer data)
{
  PkSyncer *self = data;

  self->timeout_id = 0;
  if (!pk_syncer_check_cancelled (self))
    pk_syncer_send_now (self);
  return G_SOURCE_REMOVE;
}

/* Sends the current signature after at least @delay_ms, and not before
 * the rate limit allows. */
void
_pk_syncer_schedule_send (PkSyncer *self,
                         guint     delay_ms)
{
  gint64 now = g_get_monotonic_time ();
  gint64 at = now + (gint64) delay_ms * 1000;

  if (self->rate > 0 && self->next_slot > at)
    at = self->next_slot;
  if (at <= now)
    {
      pk_syncer_send_now (self);
      return;
    }
  self->timeout_id = g_timeout_add ((guint) ((at - now + 999) / 1000), send_timeout_cb, self);
}

/* Action Network ignores a tag the group does not have, silently: each
 * one this run would have applied is named at the end. */
static void
pk_syncer_note_missing_tags (PkSyncer           *self,
                             const PkOsdiOrigin *origin)
{
  g_auto(GStrv) tags = NULL;

  if (self->known_tags == NULL)
    return;
  tags = pk_osdi_signature_tags (self->current->sig, origin);
  for (guint i = 0; tags[i] != NULL; i++)
    if (!g_hash_table_contains (self->known_tags, tags[i]))
      g_hash_table_add (self->missing_tags, g_strdup (tags[i]));
}

/* Whether the current signature is still ours to send: on a master
 * that several coordinators send from, its claim may have run out
 * (a wait longer than the lease) and been taken over. Every claim is
 * renewed once half the lease has passed. FALSE when the run ended. */
static gboolean
pk_syncer_hold_claim (PkSyncer *self,
                      gboolean *out_held)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  gboolean renew_all = now >= self->renew_at;

  if (!pk_store_sync_hold_claim (self->store, self->holder, self->lease_us,
                                 self->current->sig->uuid, renew_all, out_held, &error))
    {
      _pk_syncer_finish (self, g_error_new (PK_SYNC_ERROR, PK_SYNC_ERROR_STORE,
                                           _("Cannot record the sync state in the database: %s"),
                                           error->message));
      return FALSE;
    }
  if (renew_all)
    self->renew_at = now + self->lease_us / 2;
  return TRUE;
}

static void
pk_syncer_send_now (PkSyncer *self)
{
  PkOsdiOrigin origin = { self->current->kiosk_name, self->current->event };
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  gboolean held = FALSE;
  char *data;
  gsize length = 0;

  g_assert (self->current != NULL);
  g_assert (self->message == NULL);

  if (!pk_syncer_hold_claim (self, &held))
    return;
  if (!held)
    {
      /* Another run sends it now; it is no longer ours to count. */
      g_debug ("signature %s: claimed by another run", self->current->sig->uuid);
      g_clear_pointer (&self->current, pk_sync_item_free);
      if (self->run_total > 0)
        self->run_total--;
      _pk_syncer_pump (self);
      return;
    }

  /* The uuid only: which run sent what, when several send at once. */
  g_debug ("signature %s: sending, try %u", self->current->sig->uuid, self->attempt + 1);
  if (self->rate > 0)
    {
      gint64 now = g_get_monotonic_time ();
      self->next_slot = MAX (now, self->next_slot) + (gint64) (G_USEC_PER_SEC / self->rate);
    }

  data = pk_osdi_signature_to_data (self->current->sig, &origin, &length);
  body = g_bytes_new_take (data, length);
  pk_syncer_note_missing_tags (self, &origin);

  self->message = soup_message_new_from_uri (SOUP_METHOD_POST, self->uri);
  /* Redirects are not followed (the token would go along), and the
   * request is idempotent thanks to its identifier, so libsoup may
   * resend it on a kept-alive connection the server had closed. */
  soup_message_add_flags (self->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (self->message);
  soup_message_headers_replace (headers, "OSDI-API-Token", self->token);
  soup_message_headers_replace (headers, "Accept", "application/hal+json, application/json");
  soup_message_set_request_body_from_bytes (self->message, "application/json", body);

  soup_session_send_async (self->session, self->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (self->task), _pk_syncer_send_cb, self);
}

/* Refills the queue from the store when it ran dry. Returns FALSE when
 * the run ended with an error. */
static gboolean
pk_syncer_fetch (PkSyncer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 last_id = self->after_id;
  guint unreadable = 0;

  /* What was answered must be in the store before we ask it what is
   * still pending. */
  if (!_pk_syncer_flush (self, &error))
    {
      _pk_syncer_finish (self, g_steal_pointer (&error));
      return FALSE;
    }
  items = pk_store_sync_claim_pending (self->store, self->holder, self->lease_us,
                                       self->petition_id,
                                       self->has_own_coordinator_key
                                       ? self->own_coordinator_key : NULL,
                                       self->after_id,
                                       SYNC_FETCH_ROWS, self->coordinator_key,
                                       &last_id, &unreadable, &error);
  if (items == NULL)
    {
      _pk_syncer_finish (self, g_error_new (PK_SYNC_ERROR, PK_SYNC_ERROR_STORE,
                                           _("Cannot read the signatures to send: %s"),
                                           error->message));
      return FALSE;
    }
  self->unreadable += unreadable;
  if (unreadable > 0 && self->run_total >= unreadable)
    self->run_total -= unreadable;
  if (last_id <= self->after_id)
    self->exhausted = TRUE;
  self->after_id = last_id;
  for (guint i = 0; i < items->len; i++)
    g_queue_push_tail (&self->queue, g_ptr_array_index (items, i));
  /* The queue owns the items now. */
  g_free (g_ptr_array_steal (items, NULL));
  return TRUE;
}

/* Takes the signatures at the head of the queue that must not be sent
 * out of it: a signer with neither email nor phone is recorded as not
 * sendable (Action Network would answer nothing usable, every time),
 * one without opt-in stays pending. Returns FALSE when the run ended. */
static gboolean
pk_syncer_sort_out_unsendable (PkSyncer *self)
{
  PkSyncItem *item;
  gboolean recorded = FALSE;

  while ((item = g_queue_peek_head (&self->queue)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      PkSyncVerdict verdict = pk_sync_classify (item->sig, self->send_without_opt_in);

      if (verdict == PK_SYNC_SENDABLE)
        break;
      g_queue_pop_head (&self->queue);
      if (verdict == PK_SYNC_HELD_NO_OPT_IN)
        {
          g_debug ("signature %s: held back, no opt-in", item->sig->uuid);
          if (self->run_total > 0)
            self->run_total--;
          pk_sync_item_free (item);
          continue;
        }
      recorded = TRUE;
      if (!_pk_syncer_record (self, item, PK_SYNC_STATE_FAILED, NULL,
                             _("Not sendable: Action Network needs an email address or a phone number"),
                             PK_SYNC_REASON_NO_CONTACT, &error))
        {
          pk_sync_item_free (item);
          _pk_syncer_finish (self, g_steal_pointer (&error));
          return FALSE;
        }
      pk_sync_item_free (item);
    }
  if (recorded)
    _pk_syncer_notify_counts (self);
  return TRUE;
}

/* Takes the next signature to send, fetching more from the store when
 * the queue runs dry, and finishes the run when none is left. */
void
_pk_syncer_pump (PkSyncer *self)
{
  if (pk_syncer_check_cancelled (self))
    return;

  for (;;)
    {
      if (!pk_syncer_sort_out_unsendable (self))
        return;
      if (!g_queue_is_empty (&self->queue) || self->exhausted)
        break;
      if (!pk_syncer_fetch (self))
        return;
    }

  if (g_queue_is_empty (&self->queue))
    {
      _pk_syncer_finish (self, NULL);
      return;
    }

  self->current = g_queue_pop_head (&self->queue);
  self->attempt = 0;
  _pk_syncer_schedule_send (self, 0);
}

/* The group's tags are known (or why not), so sending can begin. A
 * server that cannot be reached is named by the first send. */
static void
tags_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PkSyncer) self = user_data;
  g_autoptr(GError) error = NULL;

  self->known_tags = pk_sync_tags_fetch_finish (result, &error);
  if (self->task == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _pk_syncer_finish (self, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    self->tags_problem = g_strdup (error->message);
  _pk_syncer_pump (self);
}

void
pk_syncer_run_async (PkSyncer            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) tags_uri = NULL;
  PkSyncCounts counts = { 0 };

  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pk_syncer_run_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running"));
      return;
    }
  if (!pk_store_sync_counts (self->store, self->petition_id, &counts, &error))
    {
      g_task_return_new_error (task, PK_SYNC_ERROR, PK_SYNC_ERROR_STORE,
                               _("Cannot count the signatures to send: %s"), error->message);
      return;
    }

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  self->pending = counts.pending;
  self->sent = counts.sent;
  self->failed = counts.failed;
  self->unreadable = 0;
  self->no_opt_in = counts.no_opt_in;
  self->no_contact = counts.no_contact;
  self->run_total = counts.pending;
  self->run_done = 0;
  self->after_id = 0;
  self->exhausted = FALSE;
  self->renew_at = g_get_monotonic_time () + self->lease_us / 2;
  self->last_flush = g_get_monotonic_time ();
  _pk_syncer_set_last_error (self, NULL);
  g_clear_pointer (&self->known_tags, g_hash_table_unref);
  g_hash_table_remove_all (self->missing_tags);
  g_clear_pointer (&self->tags_problem, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  _pk_syncer_notify_counts (self);

  tags_uri = pk_sync_tags_uri (self->uri);
  if (tags_uri == NULL)
    {
      _pk_syncer_pump (self);
      return;
    }
  pk_sync_tags_fetch_async (self->session, tags_uri, self->token, cancellable, tags_cb,
                            g_object_ref (self));
}

gboolean
pk_syncer_run_finish (PkSyncer      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

PkSyncer *
pk_syncer_new (PkStore     *store,
               const char  *endpoint,
               const char  *token,
               GError     **error)
{
  PkSyncer *self;

  g_return_val_if_fail (PK_IS_STORE (store), NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);

  if (!pk_sync_check_endpoint (endpoint, error))
    return NULL;
  if (token == NULL || !token_is_valid (token))
    {
      g_set_error_literal (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN,
                           _("The API token is missing or malformed: it must be one line "
                             "of visible ASCII characters"));
      return NULL;
    }

  self = g_object_new (PK_TYPE_SYNCER, NULL);
  self->store = g_object_ref (store);
  self->endpoint = g_strdup (endpoint);
  self->uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);
  self->token = g_strdup (token);
  return self;
}

void
pk_syncer_set_rate (PkSyncer *self,
                    double    per_second)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (per_second >= 0);

  self->rate = per_second;
}

void
pk_syncer_set_backoff (PkSyncer *self,
                       guint     initial_ms,
                       guint     max_ms)
{
  g_return_if_fail (PK_IS_SYNCER (self));

  self->backoff_initial_ms = initial_ms;
  self->backoff_max_ms = MAX (initial_ms, max_ms);
}

void
pk_syncer_set_max_attempts (PkSyncer *self,
                            guint     attempts)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (attempts > 0);

  self->max_attempts = attempts;
}

void
pk_syncer_set_send_without_opt_in (PkSyncer *self,
                                   gboolean  send)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (self->task == NULL);

  self->send_without_opt_in = !!send;
}

void
pk_syncer_set_lease (PkSyncer *self,
                     guint     seconds)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (seconds > 0);
  g_return_if_fail (!pk_syncer_get_running (self));

  self->lease_us = (gint64) seconds * G_USEC_PER_SEC;
}

void
pk_syncer_set_petition_id (PkSyncer   *self,
                           const char *petition_id)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (self->task == NULL);

  g_free (self->petition_id);
  self->petition_id = g_strdup (petition_id);
}

void
pk_syncer_set_own_coordinator_key (PkSyncer     *self,
                                   const guint8 *public_key)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (self->task == NULL);

  self->has_own_coordinator_key = public_key != NULL;
  if (public_key != NULL)
    memcpy (self->own_coordinator_key, public_key, sizeof self->own_coordinator_key);
}

void
pk_syncer_set_coordinator_key (PkSyncer               *self,
                               const PkCoordinatorKey *key)
{
  g_return_if_fail (PK_IS_SYNCER (self));
  g_return_if_fail (self->task == NULL);

  g_clear_pointer (&self->coordinator_key, pk_coordinator_key_free);
  if (key == NULL)
    return;
  /* Guarded memory, like pk-keys.c, freed with pk_coordinator_key_free. */
  self->coordinator_key = sodium_malloc (sizeof *self->coordinator_key);
  if (self->coordinator_key == NULL)
    g_error ("out of guarded memory");
  memcpy (self->coordinator_key, key, sizeof *key);
}

gboolean
pk_syncer_get_running (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), FALSE);
  return self->task != NULL;
}

guint64
pk_syncer_get_pending (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->pending;
}

guint64
pk_syncer_get_sent (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->sent;
}

guint64
pk_syncer_get_failed (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->failed;
}

guint64
pk_syncer_get_unreadable (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->unreadable;
}

guint64
pk_syncer_get_no_opt_in (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->no_opt_in;
}

guint64
pk_syncer_get_no_contact (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);
  return self->no_contact;
}

double
pk_syncer_get_fraction (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), 0);

  if (self->run_total == 0)
    return self->task != NULL ? 0.0 : 1.0;
  return CLAMP ((double) self->run_done / (double) self->run_total, 0.0, 1.0);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
pk_syncer_dup_missing_tags (PkSyncer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer tag;
  GStrv tags;

  g_return_val_if_fail (PK_IS_SYNCER (self), NULL);

  g_hash_table_iter_init (&iter, self->missing_tags);
  while (g_hash_table_iter_next (&iter, &tag, NULL))
    g_strv_builder_add (builder, tag);
  tags = g_strv_builder_end (builder);
  qsort (tags, g_strv_length (tags), sizeof (char *), compare_strings);
  return tags;
}

const char *
pk_syncer_get_tags_problem (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), NULL);
  return self->tags_problem;
}

const char *
pk_syncer_get_last_error (PkSyncer *self)
{
  g_return_val_if_fail (PK_IS_SYNCER (self), NULL);
  return self->last_error;
}

static void
pk_syncer_dispose (GObject *object)
{
  PkSyncer *self = PK_SYNCER (object);

  /* A run holds a reference through its task, so none is active here. */
  g_assert (self->task == NULL);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pk_syncer_parent_class)->dispose (object);
}

static void
pk_syncer_finalize (GObject *object)
{
  PkSyncer *self = PK_SYNCER (object);

  wipe_string (&self->token);
  g_clear_pointer (&self->coordinator_key, pk_coordinator_key_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->petition_id, g_free);
  g_clear_pointer (&self->holder, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->known_tags, g_hash_table_unref);
  g_clear_pointer (&self->missing_tags, g_hash_table_unref);
  g_clear_pointer (&self->tags_problem, g_free);

  G_OBJECT_CLASS (pk_syncer_parent_class)->finalize (object);
}

static void
pk_syncer_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PkSyncer *self = PK_SYNCER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, pk_syncer_get_running (self));
      break;
    case PROP_PENDING:
      g_value_set_uint64 (value, self->pending);
      break;
    case PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case PROP_FAILED:
      g_value_set_uint64 (value, self->failed);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, pk_syncer_get_fraction (self));
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_syncer_class_init (PkSyncerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pk_syncer_dispose;
  object_class->finalize = pk_syncer_finalize;
  object_class->get_property = pk_syncer_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint64 ("pending", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENT] =
    g_param_spec_uint64 ("sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED] =
    g_param_spec_uint64 ("failed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each answer of the server, once the counts are updated. */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pk_syncer_init (PkSyncer *self)
{
  g_autofree char *user_agent = g_strdup_printf ("petition-kiosk/%s", PACKAGE_VERSION);

  self->rate = 4.0;
  self->backoff_initial_ms = 1000;
  self->backoff_max_ms = 60000;
  self->max_attempts = 12;
  self->lease_us = (gint64) SYNC_DEFAULT_LEASE_S * G_USEC_PER_SEC;
  self->rand = g_rand_new ();
  /* Readable in sync_claims (which machine, which process), and unique
   * even when a process id comes back on another run. */
  self->holder = g_strdup_printf ("%s/%d/%08" G_GINT32_MODIFIER "x", g_get_host_name (),
                                  (int) getpid (), g_rand_int (self->rand));
  self->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_sync_outcome_free);
  self->missing_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queue);
  /* The default TLS database verifies certificates; no
   * accept-certificate handler is ever connected. */
  self->session = soup_session_new_with_options ("timeout", SYNC_TIMEOUT_S,
                                                 "idle-timeout", SYNC_TIMEOUT_S,
                                                 "max-conns-per-host", 1,
                                                 "user-agent", user_agent,
                                                 NULL);
}
