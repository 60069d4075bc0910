/* pk-sync-page-counts.c: reading the Sync page's counts, failures and
 * "last synced" from the store, and showing them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A master on PostgreSQL is read in a GTask thread with a connection
 * of its own, as the coordinator window reads its totals
 * (pk-coordinator-window-merge.c): a server that does not answer keeps
 * a connection waiting for up to connect_timeout (10 s unless the
 * address says otherwise), and the window must go on answering the
 * coordinator meanwhile. The page says it is reading, then shows the
 * counts or why the master could not be read, with Try Again. A new
 * reading, or the page going away, drops the one under way. A SQLite
 * file (a kiosk's store, a master on the coordinator's disk) answers at
 * once and is read where the page asks.
 */
#define G_LOG_DOMAIN "pk-sync-page"

#include "config.h"

#include <glib/gi18n.h>
/* PRIu64 rather than G_GUINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>

#include "pk-store-sync.h"
#include "pk-sync-page-private.h"

#define FAILURES_SHOWN 10

/* What one reading gives the page. */
typedef struct {
  char         *location;       /* the master, for a connection of the thread's own */
  char         *petition_id;
  PkSyncCounts  counts;
  gboolean      without_opt_in;
  gint64        last_synced;
  GPtrArray    *failures;       /* of PkSyncOutcome; NULL when none is listed */
} SyncRead;

static SyncRead *
sync_read_new (PkSyncPage *self)
{
  SyncRead *read = g_new0 (SyncRead, 1);

  read->location = g_strdup (pk_store_get_path (self->store));
  read->petition_id = g_strdup (self->petition != NULL ? pk_petition_get_id (self->petition) : NULL);
  return read;
}

static void
sync_read_free (gpointer data)
{
  SyncRead *read = data;

  g_free (read->location);
  g_free (read->petition_id);
  g_clear_pointer (&read->failures, g_ptr_array_unref);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncRead, sync_read_free)

/* Reads @store into @read. Only the counts can fail it: without them
 * there is nothing to show; a failed list of failures is left out. */
static gboolean
sync_read (PkStore   *store,
           SyncRead  *read,
           GError   **error)
{
  g_autofree char *no_opt_in = pk_store_get_setting (store, SETTING_NO_OPT_IN);

  read->without_opt_in = g_strcmp0 (no_opt_in, "1") == 0;
  if (!pk_store_sync_counts (store, read->petition_id, &read->counts, error))
    return FALSE;
  read->last_synced = pk_store_sync_get_last_synced (store);
  /* Nothing refused, nothing to list: skip the query. */
  if (read->counts.failed > 0)
    read->failures = pk_store_sync_list_failed (store, read->petition_id, FAILURES_SHOWN, NULL);
  return TRUE;
}

static void
set_count (GtkWidget *label,
           guint64    n)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, n);

  gtk_label_set_text (GTK_LABEL (label), text);
}

/* Every signature in exactly one row: waiting, sent, refused, without a
 * usable answer, not sendable, or held back for want of opt-in. */
void
_pk_sync_page_show_counts (PkSyncPage         *self,
                           const PkSyncCounts *counts)
{
  guint64 held = self->without_opt_in ? 0 : counts->no_opt_in;
  guint64 failed = counts->failed - MIN (counts->failed, counts->no_contact);

  set_count (self->pending_label, counts->pending - MIN (counts->pending, held));
  set_count (self->sent_label, counts->sent);
  set_count (self->failed_label, failed - MIN (failed, counts->unusable));
  set_count (self->unusable_label, counts->unusable);
  set_count (self->no_contact_label, counts->no_contact);
  set_count (self->no_opt_in_label, held);
  gtk_widget_set_visible (self->unusable_row, counts->unusable > 0);
  gtk_widget_set_visible (self->no_contact_row, counts->no_contact > 0);
  gtk_widget_set_visible (self->no_opt_in_row, counts->no_opt_in > 0);
  self->n_failed = counts->failed;
  self->n_unusable = counts->unusable;
  self->n_refused = failed - MIN (failed, counts->unusable);
  self->n_no_opt_in = counts->no_opt_in;
  _pk_sync_page_update_actions (self);
}

static void
show_failures (PkSyncPage     *self,
               const SyncRead *read)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *failures = read->failures;

  for (guint i = 0; failures != NULL && i < failures->len; i++)
    {
      PkSyncOutcome *failure = g_ptr_array_index (failures, i);

      g_string_append_printf (text, "%s%s\n%s", i > 0 ? "\n\n" : "", failure->uuid,
                              failure->error != NULL ? failure->error : "");
    }
  if (failures != NULL && read->counts.failed > failures->len)
    {
      g_string_append (text, "\n\n");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "… and %" PRIu64 " more",
                                                 "… and %" PRIu64 " more",
                                                 (gulong) (read->counts.failed - failures->len)),
                              read->counts.failed - failures->len);
    }
  gtk_label_set_text (GTK_LABEL (self->failures_label), text->str);
  gtk_widget_set_visible (self->failures_group, text->len > 0);
}

static void
show_read (PkSyncPage     *self,
           const SyncRead *read)
{
  self->without_opt_in = read->without_opt_in;
  gtk_widget_set_sensitive (self->status_group, TRUE);
  gtk_switch_set_active (GTK_SWITCH (self->opt_in_switch), read->without_opt_in);
  /* The store answers again (its server is back after an outage, the
   * connection made again): its error goes. A run's own message stays. */
  if (self->store_failed)
    _pk_sync_page_show_error (self, NULL);
  _pk_sync_page_show_counts (self, &read->counts);
  /* Between runs nothing is in progress, so no bar shows: a full
   * "100 %" bar would say a run is going on, or just ended, when the
   * page was merely opened (issue 13). Only an empty store keeps an
   * empty bar, to say there is nothing to send yet. */
  if (self->cancellable == NULL)
    {
      gtk_widget_set_visible (self->progress_bar, read->counts.total == 0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("No signatures to send yet"));
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
    }

  if (read->last_synced > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (read->last_synced / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %X") : NULL;

      gtk_label_set_text (GTK_LABEL (self->last_synced_label), when != NULL ? when : "");
    }
  else
    gtk_label_set_text (GTK_LABEL (self->last_synced_label), _("Never"));
  show_failures (self, read);
}

/* The store's error. A server's comes with Try Again (it may be back,
 * the network mended), and the counts shown before stay, greyed out:
 * they may be out of date. */
static void
show_read_error (PkSyncPage   *self,
                 const GError *error)
{
  gboolean on_server = pk_store_is_postgresql (self->store);

  _pk_sync_page_show_error (self, error->message);
  self->store_failed = TRUE;
  gtk_widget_set_visible (self->reread_button, on_server);
  gtk_widget_set_sensitive (self->status_group, !on_server);
}

/* The spinner and its line while reading; the counts, greyed out, stay
 * as they were, and a run cannot start from them. */
static void
show_reading (PkSyncPage *self,
              gboolean    reading)
{
  gtk_widget_set_visible (self->reading_box, reading);
  gtk_spinner_set_spinning (GTK_SPINNER (self->reading_spinner), reading);
  gtk_widget_set_sensitive (self->status_group, !reading);
  if (reading)
    gtk_widget_set_visible (self->reread_button, FALSE);
  _pk_sync_page_update_actions (self);
}

void
_pk_sync_page_retranslate_reading (PkSyncPage *self)
{
  gtk_label_set_text (GTK_LABEL (self->reading_label), _("Reading the master database…"));
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncRead *read = task_data;
  g_autoptr(PkStore) store = NULL;
  GError *error = NULL;

  store = pk_store_open_master_read_only (read->location, &error);
  if (store == NULL || !sync_read (store, read, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PkSyncPage *self = PK_SYNC_PAGE (object);
  g_autoptr(GError) error = NULL;

  /* Dropped (a newer reading, the page gone): another shows, or none. */
  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->read_cancellable);
  show_reading (self, FALSE);
  if (error != NULL)
    show_read_error (self, error);
  else
    show_read (self, g_task_get_task_data (G_TASK (result)));
}

void
pk_sync_page_refresh (PkSyncPage *self)
{
  g_autoptr(SyncRead) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PK_IS_SYNC_PAGE (self));

  if (self->store == NULL)
    return;
  read = sync_read_new (self);
  if (!pk_store_is_postgresql (self->store))
    {
      if (sync_read (self->store, read, &error))
        show_read (self, read);
      else
        show_read_error (self, error);
      return;
    }

  _pk_sync_page_cancel_read (self);
  self->read_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->read_cancellable, read_done, NULL);
  g_task_set_source_tag (task, pk_sync_page_refresh);
  g_task_set_task_data (task, g_steal_pointer (&read), sync_read_free);
  g_task_run_in_thread (task, read_thread);
  show_reading (self, TRUE);
}

gboolean
_pk_sync_page_get_reading (PkSyncPage *self)
{
  return self->read_cancellable != NULL;
}

void
_pk_sync_page_cancel_read (PkSyncPage *self)
{
  if (self->read_cancellable == NULL)
    return;
  g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  if (!self->disposed)
    show_reading (self, FALSE);
}
