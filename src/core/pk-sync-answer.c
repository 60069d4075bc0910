/* pk-sync-answer.c: what the syncer makes of each answer of the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sent, refused, to be tried again, or the end of the run: the table
 * in docs/sync.md ("What the server's answers mean"), in code. A
 * server's words are made safe (pk-osdi.c) and stripped of the signer's
 * own details (pk-sync-classify.c) before they are kept or shown.
 */
#define G_LOG_DOMAIN "pk-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "pk-osdi.h"
#include "pk-sync-classify.h"
#include "pk-sync-private.h"

static guint
pk_syncer_backoff_ms (PkSyncer *self)
{
  double d = self->backoff_initial_ms;

  for (guint i = 1; i < self->attempt && d < self->backoff_max_ms; i++)
    d *= 2;
  d = MIN (d, (double) self->backoff_max_ms);
  /* Jitter keeps many kiosks from retrying in lockstep. */
  return (guint) (d * g_rand_double_range (self->rand, 0.5, 1.0));
}

/* Retry-After is either seconds or an HTTP date; returns ms, 0 if none. */
static guint
retry_after_ms (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 ms;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;
  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && *end == '\0')
    ms = seconds > MAX_RETRY_AFTER_MS / 1000 ? MAX_RETRY_AFTER_MS : (gint64) seconds * 1000;
  else if ((date = soup_date_time_new_from_http_string (value)) != NULL)
    {
      now = g_date_time_new_now_utc ();
      /* Rounded up: a retry a fraction early is a retry too early. */
      ms = (g_date_time_difference (date, now) + 999) / 1000;
    }
  else
    return 0;
  return (guint) CLAMP (ms, 0, MAX_RETRY_AFTER_MS);
}

/* What a failed try means once the tries run out. */
typedef enum {
  RETRY_SERVER,       /* 5xx, 429, 408: the server is in trouble; the run stops */
  RETRY_UNREACHABLE,  /* no connection at all; the run stops sooner */
  RETRY_UNUSABLE,     /* a 2xx naming no record: this signature fails, the run goes on */
} RetryKind;

static void pk_syncer_answered (PkSyncer    *self,
                                PkSyncState  state,
                                const char  *remote_id,
                                const char  *error,
                                const char  *reason);

static void
pk_syncer_give_up (PkSyncer   *self,
                   RetryKind   kind,
                   const char *problem)
{
  g_autofree char *message = NULL;

  if (kind == RETRY_UNUSABLE)
    {
      _pk_syncer_set_last_error (self, problem);
      pk_syncer_answered (self, PK_SYNC_STATE_FAILED, NULL, problem, PK_SYNC_REASON_UNUSABLE);
      return;
    }
  if (kind == RETRY_UNREACHABLE)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Cannot reach the server; gave up after %u try, and "
                                            "every unsent signature stays pending. Last problem: %s",
                                            "Cannot reach the server; gave up after %u tries, and "
                                            "every unsent signature stays pending. Last problem: %s",
                                            self->attempt),
                               self->attempt, problem);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Gave up after %u try of one signature; the rest stays pending. "
                                            "Last problem: %s",
                                            "Gave up after %u tries of one signature; the rest stays pending. "
                                            "Last problem: %s",
                                            self->attempt),
                               self->attempt, problem);
  _pk_syncer_stop (self, PK_SYNC_ERROR_GAVE_UP, message);
}

/* @problem must hold nothing of the signer: it is shown and may be
 * stored. The server's words never reach the debug log. */
static void
pk_syncer_retry (PkSyncer   *self,
                 RetryKind   kind,
                 const char *problem,
                 guint       wait_at_least_ms)
{
  guint limit = kind == RETRY_UNREACHABLE
                ? MIN (self->max_attempts, SYNC_CONNECT_ATTEMPTS) : self->max_attempts;
  g_autofree char *waiting = NULL;
  guint delay;

  _pk_syncer_clear_request (self);
  g_debug ("signature %s: try %u failed", self->current->sig->uuid, self->attempt + 1);

  self->attempt++;
  if (self->attempt >= limit)
    {
      pk_syncer_give_up (self, kind, problem);
      return;
    }
  delay = MAX (pk_syncer_backoff_ms (self), wait_at_least_ms);
  /* Said at once, not after the tries run out: a closed port or a
   * wrong host name is named within the first seconds. */
  waiting = g_strdup_printf (_("%s; retrying in %u s"), problem, (delay + 999) / 1000);
  _pk_syncer_set_last_error (self, waiting);
  _pk_syncer_emit_progress (self);
  _pk_syncer_schedule_send (self, delay);
}

/* Counts one signature as done and queues its outcome for the store. */
gboolean
_pk_syncer_record (PkSyncer     *self,
                  PkSyncItem   *item,
                  PkSyncState   state,
                  const char   *remote_id,
                  const char   *error,
                  const char   *reason,
                  GError      **flush_error)
{
  PkSyncOutcome *outcome = g_new0 (PkSyncOutcome, 1);

  outcome->uuid = g_strdup (item->sig->uuid);
  outcome->state = state;
  outcome->remote_id = g_strdup (remote_id);
  outcome->error = g_strdup (error);
  outcome->reason = g_strdup (reason);
  g_ptr_array_add (self->outcomes, outcome);

  if (self->pending > 0)
    self->pending--;
  if (state == PK_SYNC_STATE_SENT)
    self->sent++;
  else
    self->failed++;
  if (g_strcmp0 (reason, PK_SYNC_REASON_NO_CONTACT) == 0)
    self->no_contact++;
  if (!item->sig->opt_in && self->no_opt_in > 0)
    self->no_opt_in--;
  self->run_done++;

  return !((self->outcomes->len >= SYNC_FLUSH_ROWS
            || g_get_monotonic_time () - self->last_flush >= SYNC_FLUSH_USEC)
           && !_pk_syncer_flush (self, flush_error));
}

static void
pk_syncer_answered (PkSyncer    *self,
                    PkSyncState  state,
                    const char  *remote_id,
                    const char  *error,
                    const char  *reason)
{
  g_autoptr(GError) flush_error = NULL;
  gboolean ok;

  ok = _pk_syncer_record (self, self->current, state, remote_id, error, reason, &flush_error);
  _pk_syncer_clear_request (self);
  g_clear_pointer (&self->current, pk_sync_item_free);
  if (!ok)
    {
      _pk_syncer_finish (self, g_steal_pointer (&flush_error));
      return;
    }

  _pk_syncer_notify_counts (self);
  _pk_syncer_pump (self);
}

/* The server's explanation of a refusal, with the signer's own details
 * taken out: it is stored and shown. */
static char *
pk_syncer_server_message (PkSyncer   *self,
                          guint       status,
                          const char *data,
                          gsize       length,
                          gboolean    have_body)
{
  g_autofree char *message = NULL;

  if (have_body)
    message = pk_osdi_error_message (data, length);
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (soup_message_get_reason_phrase (self->message));
    }
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (soup_status_get_phrase (status));
    }
  return pk_sync_redact (message, self->current->sig);
}

static void
pk_syncer_handle_success (PkSyncer   *self,
                          guint       status,
                          const char *data,
                          gsize       length,
                          const char *transport_problem)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_id = NULL;
  g_autofree char *why = NULL;
  g_autofree char *problem = NULL;

  if (transport_problem == NULL)
    remote_id = pk_osdi_parse_reply (data, length, &error);
  if (remote_id != NULL)
    {
      pk_syncer_answered (self, PK_SYNC_STATE_SENT, remote_id, NULL, NULL);
      return;
    }
  /* The server may well have stored it; the identifier makes the
   * resend safe, so an unreadable 2xx is retried, not trusted. */
  why = pk_sync_redact (transport_problem != NULL ? transport_problem : error->message,
                        self->current->sig);
  problem = g_strdup_printf (_("Unusable reply from the server (HTTP %u): %s"), status, why);
  pk_syncer_retry (self, RETRY_UNUSABLE, problem, 0);
}

static void
pk_syncer_handle_redirect (PkSyncer *self,
                           guint     status)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (self->message),
                                                       "Location");
  g_autofree char *shown = location != NULL ? g_utf8_make_valid (location, -1) : NULL;
  g_autofree char *problem = NULL;

  /* Following it would hand the token to wherever it points. */
  problem = g_strdup_printf (_("The endpoint redirects (HTTP %u) to %s; enter the final "
                               "URL if you trust it. Nothing more was sent."),
                             status, shown != NULL ? shown : _("an unnamed place"));
  _pk_syncer_clear_request (self);
  _pk_syncer_stop (self, PK_SYNC_ERROR_REDIRECT, problem);
}

static void
pk_syncer_handle_reply (PkSyncer   *self,
                        const char *transport_problem)
{
  guint status = soup_message_get_status (self->message);
  const char *data = self->reply != NULL ? (const char *) self->reply->data : NULL;
  gsize length = self->reply != NULL ? self->reply->len : 0;
  g_autofree char *server_message = NULL;
  g_autofree char *problem = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      pk_syncer_handle_success (self, status, data, length, transport_problem);
      return;
    }
  if (status >= 300 && status < 400)
    {
      pk_syncer_handle_redirect (self, status);
      return;
    }

  server_message = pk_syncer_server_message (self, status, data, length,
                                             transport_problem == NULL);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      problem = g_strdup_printf (_("The server refused the API token (HTTP %u: %s). "
                                   "Check the token; the run stopped and every unsent "
                                   "signature stays pending."), status, server_message);
      _pk_syncer_clear_request (self);
      _pk_syncer_stop (self, PK_SYNC_ERROR_TOKEN, problem);
      return;
    }

  if (status == 429 || status == SOUP_STATUS_REQUEST_TIMEOUT || status >= 500)
    {
      guint wait_ms = retry_after_ms (self->message);

      problem = g_strdup_printf (_("The server answered HTTP %u: %s"), status, server_message);
      pk_syncer_retry (self, RETRY_SERVER, problem, wait_ms);
      return;
    }

  if (status >= 400 && status < 500)
    {
      /* This signature itself is refused: note why, and go on. */
      problem = g_strdup_printf (_("HTTP %u: %s"), status, server_message);
      _pk_syncer_set_last_error (self, problem);
      pk_syncer_answered (self, PK_SYNC_STATE_FAILED, NULL, problem, PK_SYNC_REASON_REFUSED);
      return;
    }

  problem = g_strdup_printf (_("Unexpected answer from the server (HTTP %u)"), status);
  pk_syncer_retry (self, RETRY_SERVER, problem, 0);
}

/* A stopped run ends at once, the request in flight unanswered: TRUE,
 * having finished the run, when *@error says it was cancelled. */
static gboolean
pk_syncer_finish_if_cancelled (PkSyncer  *self,
                               GError   **error)
{
  if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  _pk_syncer_finish (self, g_steal_pointer (error));
  return TRUE;
}

/* A reply larger than any OSDI answer is not read to its end. */
static void
pk_syncer_refuse_large_reply (PkSyncer *self)
{
  g_autofree char *problem = g_strdup_printf (_("the reply is too large (more than %u KiB)"),
                                              (guint) (PK_OSDI_MAX_REPLY / 1024));

  pk_syncer_handle_reply (self, problem);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PkSyncer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (self->task == NULL)
    return;
  if (bytes == NULL)
    {
      g_autofree char *problem = NULL;

      if (pk_syncer_finish_if_cancelled (self, &error))
        return;
      problem = g_strdup_printf (_("the reply was cut off: %s"), error->message);
      pk_syncer_handle_reply (self, problem);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      pk_syncer_handle_reply (self, NULL);
      return;
    }
  g_byte_array_append (self->reply, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (self->reply->len > PK_OSDI_MAX_REPLY)
    {
      pk_syncer_refuse_large_reply (self);
      return;
    }
  g_input_stream_read_bytes_async (self->stream, SYNC_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (self->task), read_cb, self);
}

void
_pk_syncer_send_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PkSyncer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  goffset content_length;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (self->task == NULL)
    return;
  if (stream == NULL)
    {
      g_autofree char *problem = NULL;

      if (pk_syncer_finish_if_cancelled (self, &error))
        return;
      if (error->domain == G_TLS_ERROR)
        {
          /* Never retried and never overridable: a certificate that does
           * not verify may be someone reading the token. */
          problem = g_strdup_printf (_("The server’s TLS certificate could not be verified, "
                                       "so nothing was sent: %s"), error->message);
          _pk_syncer_clear_request (self);
          _pk_syncer_stop (self, PK_SYNC_ERROR_TLS, problem);
          return;
        }
      problem = g_strdup_printf (_("Cannot reach the server: %s"), error->message);
      pk_syncer_retry (self, RETRY_UNREACHABLE, problem, 0);
      return;
    }

  self->stream = g_steal_pointer (&stream);
  self->reply = g_byte_array_new ();
  content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (self->message));
  if (content_length > PK_OSDI_MAX_REPLY)
    {
      pk_syncer_refuse_large_reply (self);
      return;
    }
  g_input_stream_read_bytes_async (self->stream, SYNC_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (self->task), read_cb, self);
}
