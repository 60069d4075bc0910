/* pk-coordinator-window-merge.c: verifying and merging batch files, and
 * reading the master's totals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every slow step runs in a GTask thread with its own database
 * connection, so even a merge of a million rows never blocks the UI;
 * progress comes back to the main context with g_main_context_invoke().
 * Results are matched to the list by path, through a hash table, so a
 * stick of a thousand files costs a thousand look-ups, not a million.
 */
#define G_LOG_DOMAIN "pk-coordinator-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch.h"
#include "pk-coordinator-window-private.h"
#include "pk-count-text.h"
#include "pk-merge.h"
#include "pk-report.h"
#include "pk-sync-page.h"

/* The results of a job over several files, filled by its thread. */
typedef struct {
  char      *master_path;
  char      *key_path;
  GPtrArray *paths;     /* char* */
  GPtrArray *statuses;  /* char*, per path */
  GArray    *states;    /* PkBatchFileState, per path */
  JsonNode  *report;    /* merging only */
  guint      current;
} FilesJob;

static FilesJob *
files_job_new (void)
{
  FilesJob *job = g_new0 (FilesJob, 1);

  job->paths = g_ptr_array_new_with_free_func (g_free);
  job->statuses = g_ptr_array_new_with_free_func (g_free);
  job->states = g_array_new (FALSE, FALSE, sizeof (PkBatchFileState));
  return job;
}

static void
files_job_free (gpointer data)
{
  FilesJob *job = data;

  g_free (job->master_path);
  g_free (job->key_path);
  g_ptr_array_unref (job->paths);
  g_ptr_array_unref (job->statuses);
  g_array_unref (job->states);
  g_clear_pointer (&job->report, json_node_unref);
  g_free (job);
}

static void
files_job_add_result (FilesJob         *job,
                      PkBatchFileState  state,
                      char             *status)
{
  g_ptr_array_add (job->statuses, status);
  g_array_append_val (job->states, state);
}

/* Gives each file in the list its result from @job. */
static void
files_job_apply (FilesJob            *job,
                 PkCoordinatorWindow *self)
{
  for (guint i = 0; i < job->statuses->len; i++)
    _pk_coordinator_window_set_file_result (self, g_ptr_array_index (job->paths, i),
                                            g_array_index (job->states, PkBatchFileState, i),
                                            g_ptr_array_index (job->statuses, i));
  _pk_coordinator_window_files_changed (self);
}

PkStore *
_pk_coordinator_window_open_master (const char  *path,
                                    GError     **error)
{
  return pk_store_open_master (path, error);
}

/* Verifying ------------------------------------------------------------ */

static char *
describe_verified (const PkBatchInfo *info)
{
  g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);
  /* The kiosk's UUID would say nothing to the coordinator: the
   * fingerprint that follows tells unnamed kiosks apart. */
  const char *kiosk = info->kiosk_name != NULL && *info->kiosk_name != '\0'
                      ? info->kiosk_name
                      /* Translators: the kiosk of "Authentic and intact: 1
                       * signature from %s (ABCD-…)" when it was never
                       * given a name */
                      : C_("verified batch", "an unnamed kiosk");

  /* Translators: a verified batch: rows, kiosk, fingerprint, event */
  return pk_count_text (info->n_rows,
                        "Authentic and intact: %s signature from %s (%s), %s",
                        "Authentic and intact: %s signatures from %s (%s), %s",
                        kiosk, fingerprint, info->event != NULL ? info->event : _("no event"), NULL);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilesJob *job = task_data;

  for (guint i = 0; i < job->paths->len; i++)
    {
      g_autoptr(PkBatchReader) reader = NULL;
      g_autoptr(GError) error = NULL;

      reader = pk_batch_reader_open (g_ptr_array_index (job->paths, i), &error);
      if (reader != NULL)
        files_job_add_result (job, PK_BATCH_FILE_READY, describe_verified (pk_batch_reader_get_info (reader)));
      else if (error->domain != PK_BATCH_ERROR)
        /* The reading failed, not the file (out of memory, a read
         * error): no verdict, as `verify` and `merge` give none. */
        files_job_add_result (job, PK_BATCH_FILE_UNCHECKED,
                              /* Translators: %s says why, e.g. "Cannot read the batch: out of memory" */
                              g_strdup_printf (_("Could not check this file, which says nothing against it: %s. "
                                                 "Merge checks it again."), error->message));
      else
        /* The message alone, in the coordinator's language: the stable
         * English reason (`verify` prints it) is for scripts. */
        files_job_add_result (job, PK_BATCH_FILE_PROBLEM, g_strdup (error->message));
    }

  g_task_return_boolean (task, TRUE);
}

static void
verify_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);

  files_job_apply (g_task_get_task_data (G_TASK (result)), self);
  _pk_coordinator_window_set_busy (self, FALSE);
  /* Files dropped while this ran are verified now. */
  _pk_coordinator_window_verify_pending (self);
}

void
_pk_coordinator_window_verify_pending (PkCoordinatorWindow *self)
{
  g_autoptr(GTask) task = NULL;
  FilesJob *job;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));

  if (self->busy > 0)
    return;

  job = files_job_new ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkBatchFile) file = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      if (pk_batch_file_get_state (file) == PK_BATCH_FILE_CHECKING)
        g_ptr_array_add (job->paths, g_strdup (pk_batch_file_get_path (file)));
    }
  if (job->paths->len == 0)
    {
      files_job_free (job);
      return;
    }

  _pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, verify_done, NULL);
  g_task_set_task_data (task, job, files_job_free);
  g_task_run_in_thread (task, verify_thread);
}

/* Merging -------------------------------------------------------------- */

typedef struct {
  PkCoordinatorWindow *self;
  double               fraction;
} Progress;

static gboolean
progress_in_main (gpointer data)
{
  Progress *p = data;

  gtk_progress_bar_set_fraction (p->self->progress_bar, CLAMP (p->fraction, 0.0, 1.0));
  g_object_unref (p->self);
  g_free (p);
  return G_SOURCE_REMOVE;
}

typedef struct {
  GTask    *task;
  FilesJob *job;
} ProgressContext;

static void
merge_progress (gint64   rows_done,
                gint64   rows_total,
                gpointer user_data)
{
  ProgressContext *ctx = user_data;
  Progress *p = g_new0 (Progress, 1);
  double in_file = rows_total > 0 ? (double) rows_done / rows_total : 1.0;

  p->self = g_object_ref (g_task_get_source_object (ctx->task));
  p->fraction = (ctx->job->current + in_file) / ctx->job->paths->len;
  g_main_context_invoke (NULL, progress_in_main, p);
}

/* A batch that mixed coordinator keys: the rows kept sealed for another
 * coordinator are said, never left out of the status (`merge --key`
 * with that coordinator's key imports them). */
static char *
append_kept_sealed (char   *status,
                    gint64  sealed)
{
  g_autofree char *kept = pk_count_text (sealed,
                                         "%s kept sealed for another coordinator",
                                         "%s kept sealed for another coordinator",
                                         NULL);
  char *both = g_strdup_printf ("%s; %s", status, kept);

  g_free (status);
  return both;
}

static char *
describe_merged (const PkMergeResult *result)
{
  g_autofree char *added = NULL;
  g_autofree char *duplicates = NULL;
  char *status;

  if (result->outcome == PK_MERGE_ALREADY)
    return g_strdup (_("Merged before: nothing added"));

  if (result->duplicates == 0)
    /* Translators: signatures added to the master from one batch */
    status = pk_count_text (result->added, "Merged: %s signature added", "Merged: %s signatures added", NULL);
  else
    /* Translators: signatures added to the master from one batch, then
     * how many of them were duplicates; the count that chooses the form
     * is the duplicates' */
    {
      added = g_strdup_printf ("%" G_GINT64_FORMAT, result->added);
      duplicates = g_strdup_printf ("%" G_GINT64_FORMAT, result->duplicates);
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Merged: %s added, %s of them a duplicate",
                                             "Merged: %s added, %s of them duplicates",
                                             (gulong) result->duplicates),
                                added, duplicates);
    }
  return result->sealed > 0 ? append_kept_sealed (status, result->sealed) : status;
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FilesJob *job = task_data;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkMerge) merge = NULL;
  GError *error = NULL;
  ProgressContext ctx = { task, job };

  if (job->key_path != NULL && (key = pk_coordinator_key_load (job->key_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  master = _pk_coordinator_window_open_master (job->master_path, &error);
  if (master == NULL || (merge = pk_merge_new (master, key, NULL, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pk_merge_set_progress (merge, merge_progress, &ctx);

  for (job->current = 0; job->current < job->paths->len; job->current++)
    {
      g_autoptr(GError) local_error = NULL;
      PkMergeResult result;

      /* The next file is read on another core meanwhile. */
      if (job->current + 1 < job->paths->len)
        pk_merge_read_ahead (merge, g_ptr_array_index (job->paths, job->current + 1));
      if (pk_merge_file (merge, g_ptr_array_index (job->paths, job->current), &result, &local_error))
        files_job_add_result (job, PK_BATCH_FILE_MERGED, describe_merged (&result));
      else if (result.outcome == PK_MERGE_FAILED)
        /* The master or the reading failed, not the file: nothing of it
         * went in and nothing was noted against it. */
        files_job_add_result (job, PK_BATCH_FILE_UNCHECKED,
                              /* Translators: %s says why, e.g. "Cannot write to the master database: …" */
                              g_strdup_printf (_("Not merged, which says nothing against the file: %s. "
                                                 "Merge again to add it."), local_error->message));
      else
        files_job_add_result (job, PK_BATCH_FILE_PROBLEM, g_strdup (local_error->message));
    }

  job->report = pk_report_build (master, &error);
  if (job->report == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
pk_coordinator_window_show_report (PkCoordinatorWindow *self,
                                   JsonNode            *report)
{
  g_clear_pointer (&self->report, json_node_unref);
  self->report = json_node_ref (report);
  pk_totals_page_set_report (self->totals_page, report);
}

static void
merge_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  FilesJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* The files the merge never reached (the master could not be opened
   * or refused it) no longer say "Merging…": they are checked again and
   * show what their check finds, as before the merge. */
  for (guint i = job->statuses->len; i < job->paths->len; i++)
    _pk_coordinator_window_set_file_result (self, g_ptr_array_index (job->paths, i),
                                            PK_BATCH_FILE_CHECKING, _("Checking…"));
  files_job_apply (job, self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* In full under the summary, where "Merging…" was: the toast
       * shows one line of it. The progress bar goes, as a GNOME app's
       * does when its work stops: left there it would say the merge
       * is still at its start. */
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      _pk_coordinator_window_toast (self, error->message, TRUE);
      _pk_coordinator_window_set_status (self, error->message);
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      _pk_coordinator_window_set_status (self, NULL);
      pk_coordinator_window_show_report (self, job->report);
      _pk_coordinator_window_toast (self, _("Merge finished: the Totals tab shows the new count."), FALSE);
    }
  /* Even a failed run may have merged some files whole. */
  if (self->sync_page != NULL)
    pk_sync_page_refresh (PK_SYNC_PAGE (self->sync_page));
  _pk_coordinator_window_set_busy (self, FALSE);
  _pk_coordinator_window_verify_pending (self);
}

/* Merges the ready files, and the files that failed their check too: the
 * merge refuses those again, and records them in the master's rejected
 * files, so that the totals count every file refused, as `merge` does.
 * The files that could not be checked are read again. */
void
_pk_coordinator_window_merge (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  FilesJob *job;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));

  if (self->busy > 0 || self->master_path == NULL)
    return;

  job = files_job_new ();
  job->master_path = g_strdup (self->master_path);
  job->key_path = g_strdup (self->key_path);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkBatchFile) file = g_list_model_get_item (G_LIST_MODEL (self->files), i);
      PkBatchFileState state = pk_batch_file_get_state (file);

      if (state == PK_BATCH_FILE_READY || state == PK_BATCH_FILE_PROBLEM || state == PK_BATCH_FILE_UNCHECKED)
        g_ptr_array_add (job->paths, g_strdup (pk_batch_file_get_path (file)));
      if (state == PK_BATCH_FILE_READY || state == PK_BATCH_FILE_UNCHECKED)
        pk_batch_file_set_result (file, state, _("Merging…"));
    }

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  _pk_coordinator_window_set_status (self, _("Merging…"));
  _pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, merge_done, NULL);
  g_task_set_task_data (task, job, files_job_free);
  g_task_run_in_thread (task, merge_thread);
}

/* The totals without merging (when a master is chosen) -------------- */

typedef struct {
  PkStore  *master;
  JsonNode *report;
} Opened;

static void
opened_free (gpointer data)
{
  Opened *opened = data;

  g_clear_object (&opened->master);
  g_clear_pointer (&opened->report, json_node_unref);
  g_free (opened);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(PkStore) master = NULL;
  GError *error = NULL;
  Opened *opened;
  JsonNode *report;

  master = _pk_coordinator_window_open_master (task_data, &error);
  if (master == NULL || (report = pk_report_build (master, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  opened = g_new0 (Opened, 1);
  opened->master = g_steal_pointer (&master);
  opened->report = report;
  g_task_return_pointer (task, opened, opened_free);
}

static void
report_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  g_autoptr(GError) error = NULL;
  Opened *opened = g_task_propagate_pointer (G_TASK (result), &error);

  if (opened == NULL)
    {
      /* A server away or a password file to correct: the coordinator
       * can try again from here, without choosing the master again.
       * The whole message is under the summary: a toast shows one line. */
      AdwToast *toast = _pk_coordinator_window_toast (self, _("The master database cannot be opened."), TRUE);

      adw_toast_set_button_label (toast, _("Try Again"));
      adw_toast_set_action_name (toast, "coordinator.reopen-master");
      _pk_coordinator_window_set_status (self, error->message);
    }
  else
    {
      _pk_coordinator_window_set_status (self, NULL);
      _pk_coordinator_window_set_opened_master (self, opened->master);
      pk_coordinator_window_show_report (self, opened->report);
      opened_free (opened);
    }
  _pk_coordinator_window_set_busy (self, FALSE);
  _pk_coordinator_window_verify_pending (self);
}

void
_pk_coordinator_window_refresh_report (PkCoordinatorWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->master_path == NULL)
    return;
  _pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, report_done, NULL);
  g_task_set_task_data (task, g_strdup (self->master_path), g_free);
  g_task_run_in_thread (task, report_thread);
}
