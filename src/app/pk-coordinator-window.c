/* pk-coordinator-window.c: verifying, merging and exporting batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every slow step (verifying, merging, building the report, exporting)
 * runs in a GTask thread with its own database connection, so even a
 * merge of a million rows never blocks the UI; progress comes back to
 * the main context with g_main_context_invoke().
 */
#define G_LOG_DOMAIN "pk-coordinator-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch.h"
#include "pk-chart.h"
#include "pk-coordinator-window.h"
#include "pk-export.h"
#include "pk-language.h"
#include "pk-merge.h"
#include "pk-report.h"
#include "pk-sync-page.h"

typedef enum {
  FILE_PENDING,
  FILE_OK,
  FILE_BAD,
  FILE_MERGED,
  FILE_REJECTED,
} FileState;

typedef struct {
  char         *path;
  FileState     state;
  char         *status;
  AdwActionRow *row;
} FileEntry;

struct _PkCoordinatorWindow
{
  AdwApplicationWindow  parent_instance;

  AdwActionRow         *master_row;
  AdwActionRow         *key_row;
  GtkListBox           *file_list;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkLabel             *totals_label;
  PkChart              *day_chart;
  PkChart              *kiosk_chart;
  AdwViewStack         *view_stack;
  GtkBox               *sync_box;
  GtkWidget            *sync_placeholder;

  char                 *master_path;
  char                 *key_path;
  PkCoordinatorKey     *key;
  /* The master on the main thread, for the Sync page. Background jobs
   * open their own connections; SQLite's WAL lets this one see what
   * they commit. */
  PkStore              *master;
  GtkWidget            *sync_page;
  GPtrArray            *files;      /* FileEntry* */
  JsonNode             *report;
  GtkNativeDialog      *chooser;
  guint                 busy;
};

G_DEFINE_FINAL_TYPE (PkCoordinatorWindow, pk_coordinator_window, ADW_TYPE_APPLICATION_WINDOW)

static void pk_coordinator_window_verify_pending (PkCoordinatorWindow *self);
static void pk_coordinator_window_refresh_report (PkCoordinatorWindow *self);
static void pk_coordinator_window_open_sync (PkCoordinatorWindow *self);

static void
file_entry_free (gpointer data)
{
  FileEntry *entry = data;

  g_free (entry->path);
  g_free (entry->status);
  g_free (entry);
}

static void
file_entry_set_status (FileEntry  *entry,
                       FileState   state,
                       const char *status)
{
  entry->state = state;
  g_free (entry->status);
  entry->status = g_strdup (status);
  adw_action_row_set_subtitle (entry->row, status);
  if (state == FILE_BAD || state == FILE_REJECTED)
    gtk_widget_add_css_class (GTK_WIDGET (entry->row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry->row), "error");
}

static void
pk_coordinator_window_update_actions (PkCoordinatorWindow *self)
{
  gboolean mergeable = FALSE;

  for (guint i = 0; i < self->files->len; i++)
    if (((FileEntry *) g_ptr_array_index (self->files, i))->state == FILE_OK)
      mergeable = TRUE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.merge",
                                 self->busy == 0 && self->master_path != NULL && mergeable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.export",
                                 self->busy == 0 && self->master_path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.choose-master", self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.choose-key", self->busy == 0);
}

static void
pk_coordinator_window_set_busy (PkCoordinatorWindow *self,
                                gboolean             busy)
{
  if (busy)
    self->busy++;
  else
    self->busy--;
  pk_coordinator_window_update_actions (self);
}

static void
pk_coordinator_window_show_error (PkCoordinatorWindow *self,
                                  const char          *message)
{
  gtk_label_set_text (self->status_label, message);
}

/* Verifying ------------------------------------------------------------ */

typedef struct {
  GPtrArray *paths;     /* char* */
  GPtrArray *statuses;  /* char*, filled by the thread */
  GArray    *ok;        /* gboolean */
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *vd = data;

  g_ptr_array_unref (vd->paths);
  g_ptr_array_unref (vd->statuses);
  g_array_unref (vd->ok);
  g_free (vd);
}

static char *
describe_error (const GError *error)
{
  int code = error->domain == PK_BATCH_ERROR ? error->code : PK_BATCH_ERROR_FAILED;

  /* The stable reason first, as `verify` prints it, then the sentence. */
  return g_strdup_printf ("%s: %s", pk_batch_error_reason (code), error->message);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *vd = task_data;

  for (guint i = 0; i < vd->paths->len; i++)
    {
      g_autoptr(PkBatchReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      reader = pk_batch_reader_open (g_ptr_array_index (vd->paths, i), &error);
      ok = reader != NULL;
      if (ok)
        {
          const PkBatchInfo *info = pk_batch_reader_get_info (reader);
          g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);
          g_autofree char *rows = g_strdup_printf ("%" G_GINT64_FORMAT, info->n_rows);

          /* Translators: a verified batch: rows, kiosk, fingerprint, event */
          g_ptr_array_add (vd->statuses,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "Authentic and intact: %s signature from %s (%s), %s",
                                                         "Authentic and intact: %s signatures from %s (%s), %s",
                                                         (gulong) info->n_rows),
                                            rows,
                                            info->kiosk_name != NULL ? info->kiosk_name : info->kiosk_id,
                                            fingerprint,
                                            info->event != NULL ? info->event : _("no event")));
        }
      else
        g_ptr_array_add (vd->statuses, describe_error (error));
      g_array_append_val (vd->ok, ok);
    }

  g_task_return_boolean (task, TRUE);
}

static void
verify_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  VerifyData *vd = g_task_get_task_data (G_TASK (result));

  for (guint i = 0; i < vd->paths->len; i++)
    for (guint j = 0; j < self->files->len; j++)
      {
        FileEntry *entry = g_ptr_array_index (self->files, j);

        if (entry->state == FILE_PENDING && g_str_equal (entry->path, g_ptr_array_index (vd->paths, i)))
          file_entry_set_status (entry, g_array_index (vd->ok, gboolean, i) ? FILE_OK : FILE_BAD,
                                 g_ptr_array_index (vd->statuses, i));
      }

  pk_coordinator_window_set_busy (self, FALSE);
  /* Files dropped while this ran are verified now. */
  pk_coordinator_window_verify_pending (self);
}

static void
pk_coordinator_window_verify_pending (PkCoordinatorWindow *self)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *vd;

  if (self->busy > 0)
    return;

  vd = g_new0 (VerifyData, 1);
  vd->paths = g_ptr_array_new_with_free_func (g_free);
  vd->statuses = g_ptr_array_new_with_free_func (g_free);
  vd->ok = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < self->files->len; i++)
    {
      FileEntry *entry = g_ptr_array_index (self->files, i);

      if (entry->state == FILE_PENDING)
        g_ptr_array_add (vd->paths, g_strdup (entry->path));
    }
  if (vd->paths->len == 0)
    {
      verify_data_free (vd);
      return;
    }

  pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, verify_done, NULL);
  g_task_set_task_data (task, vd, verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

void
pk_coordinator_window_add_files (PkCoordinatorWindow *self,
                                 GSList              *files)
{
  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);
      g_autofree char *name = NULL;
      FileEntry *entry;
      gboolean known = FALSE;

      if (path == NULL)
        continue;
      for (guint i = 0; i < self->files->len && !known; i++)
        known = g_str_equal (((FileEntry *) g_ptr_array_index (self->files, i))->path, path);
      if (known)
        continue;

      entry = g_new0 (FileEntry, 1);
      entry->path = g_steal_pointer (&path);
      entry->row = ADW_ACTION_ROW (adw_action_row_new ());
      name = g_file_get_basename (l->data);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry->row), name);
      file_entry_set_status (entry, FILE_PENDING, _("Checking…"));
      gtk_list_box_append (self->file_list, GTK_WIDGET (entry->row));
      g_ptr_array_add (self->files, entry);
    }

  pk_coordinator_window_verify_pending (self);
  pk_coordinator_window_update_actions (self);
}

static gboolean
on_drop (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         PkCoordinatorWindow *self)
{
  GdkFileList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  {
    g_autoptr(GSList) files = gdk_file_list_get_files (list);

    pk_coordinator_window_add_files (self, files);
  }
  return TRUE;
}

/* Merging -------------------------------------------------------------- */

typedef struct {
  char      *master_path;
  char      *key_path;
  GPtrArray *paths;     /* char* */
  GPtrArray *statuses;  /* char*, per path */
  GArray    *merged;    /* gboolean, per path */
  JsonNode  *report;
  guint      current;
} MergeData;

static void
merge_data_free (gpointer data)
{
  MergeData *md = data;

  g_free (md->master_path);
  g_free (md->key_path);
  g_ptr_array_unref (md->paths);
  g_ptr_array_unref (md->statuses);
  g_array_unref (md->merged);
  g_clear_pointer (&md->report, json_node_unref);
  g_free (md);
}

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
  GTask     *task;
  MergeData *md;
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
  p->fraction = (ctx->md->current + in_file) / ctx->md->paths->len;
  g_main_context_invoke (NULL, progress_in_main, p);
}

/* Opens the master with a connection of this thread's own. */
static PkStore *
open_master (const char  *path,
             GError     **error)
{
  return pk_store_open (path, error);
}


/* A batch that mixed coordinator keys: the rows kept sealed for another
 * coordinator are said, never left out of the status (`merge --key`
 * with that coordinator's key imports them). */
static void
append_kept_sealed (GPtrArray *statuses,
                    gint64     sealed)
{
  char *status = g_ptr_array_steal_index (statuses, statuses->len - 1);
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, sealed);
  g_autofree char *kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "%s kept sealed for another coordinator",
                                                        "%s kept sealed for another coordinator",
                                                        (gulong) sealed), n);

  g_ptr_array_add (statuses, g_strdup_printf ("%s; %s", status, kept));
  g_free (status);
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MergeData *md = task_data;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkMerge) merge = NULL;
  GError *error = NULL;
  ProgressContext ctx = { task, md };

  if (md->key_path != NULL && (key = pk_coordinator_key_load (md->key_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  master = open_master (md->master_path, &error);
  if (master == NULL || (merge = pk_merge_new (master, key, NULL, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pk_merge_set_progress (merge, merge_progress, &ctx);

  for (md->current = 0; md->current < md->paths->len; md->current++)
    {
      g_autoptr(GError) local_error = NULL;
      PkMergeResult result;
      gboolean ok;

      ok = pk_merge_file (merge, g_ptr_array_index (md->paths, md->current), &result, &local_error);
      if (!ok)
        g_ptr_array_add (md->statuses, describe_error (local_error));
      else if (result.outcome == PK_MERGE_ALREADY)
        g_ptr_array_add (md->statuses, g_strdup (_("Merged before: nothing added")));
      else
        {
          g_autofree char *added = g_strdup_printf ("%" G_GINT64_FORMAT, result.added);
          g_autofree char *duplicates = g_strdup_printf ("%" G_GINT64_FORMAT, result.duplicates);

          if (result.duplicates == 0)
            /* Translators: signatures added to the master from one batch */
            g_ptr_array_add (md->statuses,
                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "Merged: %s signature added",
                                                           "Merged: %s signatures added",
                                                           (gulong) result.added),
                                              added));
          else
            /* Translators: signatures added to the master from one batch,
             * then how many of them were duplicates; the count that
             * chooses the form is the duplicates' */
            g_ptr_array_add (md->statuses,
                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "Merged: %s added, %s of them a duplicate",
                                                           "Merged: %s added, %s of them duplicates",
                                                           (gulong) result.duplicates),
                                              added, duplicates));
          if (result.sealed > 0)
            append_kept_sealed (md->statuses, result.sealed);
        }
      g_array_append_val (md->merged, ok);
    }

  md->report = pk_report_build (master, &error);
  if (md->report == NULL)
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
  JsonObject *root;
  g_autofree char *totals = NULL;
  const char *groups[] = { "by_day", "by_kiosk" };
  PkChart *charts[] = { self->day_chart, self->kiosk_chart };

  g_clear_pointer (&self->report, json_node_unref);
  self->report = json_node_ref (report);
  root = json_node_get_object (report);

  {
    gint64 n_signatures = json_object_get_int_member (root, "signatures");
    gint64 n_distinct = json_object_get_int_member (root, "distinct");
    gint64 n_duplicates = json_object_get_int_member (root, "duplicates");
    gint64 n_batches = json_object_get_int_member (root, "batches");
    guint n_rejected = json_array_get_length (json_object_get_array_member (root, "rejected_files"));
    g_autofree char *signatures_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_signatures);
    g_autofree char *distinct_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_distinct);
    g_autofree char *duplicates_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_duplicates);
    g_autofree char *batches_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_batches);
    g_autofree char *rejected_n = g_strdup_printf ("%u", n_rejected);
    /* Each count is its own phrase, so that each gets its plural form;
     * the line below puts them together. */
    g_autofree char *signatures = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s signature", "%s signatures",
                                                                (gulong) n_signatures), signatures_n);
    g_autofree char *distinct = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s distinct signer", "%s distinct signers",
                                                              (gulong) n_distinct), distinct_n);
    g_autofree char *duplicates = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s duplicate", "%s duplicates",
                                                                (gulong) n_duplicates), duplicates_n);
    g_autofree char *batches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "from %s batch", "from %s batches",
                                                             (gulong) n_batches), batches_n);
    g_autofree char *rejected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s file rejected", "%s files rejected",
                                                              n_rejected), rejected_n);

    /* Translators: totals of the master database, put together from
     * the phrases "5 distinct signers", "7 signatures", "2 duplicates",
     * "from 3 batches" and "0 files rejected", in this order; use
     * %1$s … %5$s to reorder them */
    totals = g_strdup_printf (_("%s (%s, %s) %s; %s"), distinct, signatures, duplicates, batches, rejected);
  }
  if (json_object_get_int_member_with_default (root, "paper_count_only", 0) > 0)
    {
      /* Apart from the totals above, never added to them. */
      gint64 n_counted = json_object_get_int_member (root, "paper_count_only");
      gint64 n_sheets = json_object_get_int_member_with_default (root, "paper_count_sheets", 0);
      g_autofree char *counted_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_counted);
      g_autofree char *sheets_n = g_strdup_printf ("%" G_GINT64_FORMAT, n_sheets);
      JsonArray *counts = json_object_get_array_member (root, "paper_count_conflicts");
      g_autofree char *conflicts_n = NULL;
      g_autofree char *counted = NULL;
      g_autofree char *sheets = NULL;
      g_autofree char *conflicts = NULL;
      g_autofree char *paper = NULL;
      const char *last = NULL;
      guint n_conflicts = 0;
      char *both;

      /* The list holds every count of such a sheet, sorted by serial. */
      for (guint i = 0; i < json_array_get_length (counts); i++)
        {
          const char *serial = json_object_get_string_member (json_array_get_object_element (counts, i), "serial");

          if (last == NULL || g_strcmp0 (last, serial) != 0)
            n_conflicts++;
          last = serial;
        }
      conflicts_n = g_strdup_printf ("%u", n_conflicts);

      counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s signature", "%s signatures",
                                              (gulong) n_counted), counted_n);
      sheets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "on %s sheet", "on %s sheets",
                                             (gulong) n_sheets), sheets_n);
      conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%s sheet counted in more than one batch: see the report",
                                                "%s sheets counted in more than one batch: see the report",
                                                n_conflicts), conflicts_n);
      /* Translators: signatures tallied on paper without transcription,
       * kept apart from the totals, put together from the phrases
       * "22 signatures", "on 3 sheets" and "1 sheet counted in more
       * than one batch: see the report"; use %1$s … %3$s to reorder */
      paper = g_strdup_printf (_("Counted on paper only: %s %s (%s)"), counted, sheets, conflicts);
      both = g_strconcat (totals, "\n", paper, NULL);
      g_free (totals);
      totals = both;
    }
  {
    JsonArray *twice = json_object_get_array_member (root, "paper_lines_twice");
    guint n_lines = 0;

    /* The list holds every transcription of such a line, sorted. */
    for (guint i = 0; twice != NULL && i < json_array_get_length (twice); i++)
      {
        JsonObject *row = json_array_get_object_element (twice, i);
        JsonObject *previous = i > 0 ? json_array_get_object_element (twice, i - 1) : NULL;

        if (previous == NULL
            || g_strcmp0 (json_object_get_string_member (row, "sheet"),
                          json_object_get_string_member (previous, "sheet")) != 0
            || json_object_get_int_member (row, "line") != json_object_get_int_member (previous, "line"))
          n_lines++;
      }
    if (n_lines > 0)
      {
        g_autofree char *lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u paper line was transcribed in more than one batch: see the report",
                                                               "%u paper lines were transcribed in more than one batch: see the report",
                                                               n_lines), n_lines);
        char *both = g_strconcat (totals, "\n", lines, NULL);

        g_free (totals);
        totals = both;
      }
  }
  gtk_label_set_text (self->totals_label, totals);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      JsonArray *array = json_object_get_array_member (root, groups[g]);
      guint n = json_array_get_length (array);
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < n; i++)
        {
          JsonObject *row = json_array_get_object_element (array, i);
          const char *name = json_object_get_string_member_with_default (row, "name", NULL);
          gint64 value = json_object_get_int_member (row, "signatures");

          g_ptr_array_add (labels, (gpointer) (name != NULL ? name : json_object_get_string_member (row, "key")));
          g_array_append_val (values, value);
        }
      pk_chart_set_data (charts[g], (const char * const *) labels->pdata, (const gint64 *) values->data, n);
    }
}

static void
merge_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  MergeData *md = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < md->statuses->len; i++)
    for (guint j = 0; j < self->files->len; j++)
      {
        FileEntry *entry = g_ptr_array_index (self->files, j);

        if (g_str_equal (entry->path, g_ptr_array_index (md->paths, i)))
          file_entry_set_status (entry, g_array_index (md->merged, gboolean, i) ? FILE_MERGED : FILE_REJECTED,
                                 g_ptr_array_index (md->statuses, i));
      }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    pk_coordinator_window_show_error (self, error->message);
  else
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_label_set_text (self->status_label, _("Merge finished."));
      pk_coordinator_window_show_report (self, md->report);
    }
  /* Even a failed run may have merged some files whole. */
  if (self->sync_page != NULL)
    pk_sync_page_refresh (PK_SYNC_PAGE (self->sync_page));
  pk_coordinator_window_set_busy (self, FALSE);
}

static void
pk_coordinator_window_merge (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  MergeData *md;

  if (self->busy > 0 || self->master_path == NULL)
    return;

  md = g_new0 (MergeData, 1);
  md->master_path = g_strdup (self->master_path);
  md->key_path = g_strdup (self->key_path);
  md->paths = g_ptr_array_new_with_free_func (g_free);
  md->statuses = g_ptr_array_new_with_free_func (g_free);
  md->merged = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < self->files->len; i++)
    {
      FileEntry *entry = g_ptr_array_index (self->files, i);

      if (entry->state == FILE_OK)
        {
          g_ptr_array_add (md->paths, g_strdup (entry->path));
          adw_action_row_set_subtitle (entry->row, _("Merging…"));
        }
    }
  if (md->paths->len == 0)
    {
      merge_data_free (md);
      return;
    }

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_label_set_text (self->status_label, _("Merging…"));
  pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, merge_done, NULL);
  g_task_set_task_data (task, md, merge_data_free);
  g_task_run_in_thread (task, merge_thread);
}

/* The report without merging (when a master is chosen) -------------- */

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(PkStore) master = NULL;
  GError *error = NULL;
  JsonNode *report;

  master = open_master (task_data, &error);
  if (master == NULL || (report = pk_report_build (master, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, report, (GDestroyNotify) json_node_unref);
}

static void
report_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = g_task_propagate_pointer (G_TASK (result), &error);

  if (report == NULL)
    pk_coordinator_window_show_error (self, error->message);
  else
    pk_coordinator_window_show_report (self, report);
  pk_coordinator_window_set_busy (self, FALSE);
  pk_coordinator_window_verify_pending (self);
}

static void
pk_coordinator_window_refresh_report (PkCoordinatorWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->master_path == NULL)
    return;
  pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, report_done, NULL);
  g_task_set_task_data (task, g_strdup (self->master_path), g_free);
  g_task_run_in_thread (task, report_thread);
}

/* Exporting ------------------------------------------------------------ */

typedef struct {
  char *master_path;
  char *out_path;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *ed = data;

  g_free (ed->master_path);
  g_free (ed->out_path);
  g_free (ed);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *ed = task_data;
  g_autoptr(PkStore) master = NULL;
  GError *error = NULL;
  PkExportFormat format = g_str_has_suffix (ed->out_path, ".json") ? PK_EXPORT_OSDI_JSON : PK_EXPORT_CSV;
  gint64 n;

  master = open_master (ed->master_path, &error);
  if (master == NULL
      || (n = pk_export_write (master, format, format == PK_EXPORT_CSV ? PK_EXPORT_FLAGS_BOM : PK_EXPORT_FLAGS_NONE,
                               ed->out_path, &error)) < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, n);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  if (n < 0)
    pk_coordinator_window_show_error (self, error->message);
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSSIZE_FORMAT, n);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s signer.",
                                                               "Exported %s signers.", (gulong) n),
                                                  count);

      gtk_label_set_text (self->status_label, message);
    }
  pk_coordinator_window_set_busy (self, FALSE);
}

/* Choosers ------------------------------------------------------------- */

typedef enum {
  CHOOSE_FILES,
  CHOOSE_MASTER,
  CHOOSE_KEY,
  CHOOSE_EXPORT,
} ChooseKind;

static void
on_chooser_response (GtkNativeDialog     *dialog,
                     int                  response,
                     PkCoordinatorWindow *self)
{
  ChooseKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pk-kind"));
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      switch (kind)
        {
        case CHOOSE_FILES:
          {
            g_autoptr(GListModel) model = gtk_file_chooser_get_files (chooser);
            GSList *files = NULL;

            for (guint i = g_list_model_get_n_items (model); i > 0; i--)
              files = g_slist_prepend (files, g_list_model_get_item (model, i - 1));
            pk_coordinator_window_add_files (self, files);
            g_slist_free_full (files, g_object_unref);
          }
          break;
        case CHOOSE_MASTER:
          if (path != NULL)
            pk_coordinator_window_set_master (self, path);
          break;
        case CHOOSE_KEY:
          if (path != NULL)
            pk_coordinator_window_set_key (self, path);
          break;
        case CHOOSE_EXPORT:
          if (path != NULL && self->master_path != NULL && self->busy == 0)
            {
              g_autoptr(GTask) task = NULL;
              ExportData *ed = g_new0 (ExportData, 1);

              ed->master_path = g_strdup (self->master_path);
              ed->out_path = g_strdup (path);
              gtk_label_set_text (self->status_label, _("Exporting…"));
              pk_coordinator_window_set_busy (self, TRUE);
              task = g_task_new (self, NULL, export_done, NULL);
              g_task_set_task_data (task, ed, export_data_free);
              g_task_run_in_thread (task, export_thread);
            }
          break;
        default:
          break;
        }
    }

  g_clear_object (&self->chooser);
}

static void
pk_coordinator_window_choose (PkCoordinatorWindow  *self,
                              ChooseKind            kind,
                              GtkFileChooserAction  action,
                              const char           *title,
                              const char           *accept)
{
  GtkFileChooserNative *native;

  /* GtkFileChooserNative is not a widget: keep a reference while shown. */
  g_clear_object (&self->chooser);
  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, NULL);
  self->chooser = GTK_NATIVE_DIALOG (native);
  g_object_set_data (G_OBJECT (native), "pk-kind", GINT_TO_POINTER (kind));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  if (kind == CHOOSE_FILES)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
      gtk_file_filter_set_name (filter, _("Batch files"));
      gtk_file_filter_add_pattern (filter, "*.pkbatch");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    }
  if (kind == CHOOSE_EXPORT)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "signatures.csv");
  if (kind == CHOOSE_MASTER)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "master.db");
  g_signal_connect_object (native, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
pk_coordinator_window_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);

  if (g_str_equal (action_name, "coordinator.open"))
    pk_coordinator_window_choose (self, CHOOSE_FILES, GTK_FILE_CHOOSER_ACTION_OPEN,
                                  _("Open Batch Files"), _("_Open"));
  else if (g_str_equal (action_name, "coordinator.choose-master"))
    pk_coordinator_window_choose (self, CHOOSE_MASTER, GTK_FILE_CHOOSER_ACTION_SAVE,
                                  _("Choose or Create the Master Database"), _("_Choose"));
  else if (g_str_equal (action_name, "coordinator.choose-key"))
    pk_coordinator_window_choose (self, CHOOSE_KEY, GTK_FILE_CHOOSER_ACTION_OPEN,
                                  _("Choose the Coordinator Secret Key"), _("_Choose"));
  else if (g_str_equal (action_name, "coordinator.export"))
    pk_coordinator_window_choose (self, CHOOSE_EXPORT, GTK_FILE_CHOOSER_ACTION_SAVE,
                                  _("Export Signatures (.csv, or .json for OSDI)"), _("_Export"));
}

/* The Sync page --------------------------------------------------------- */

/* Opens the master on the main thread and puts a Sync page for it on
 * the Sync tab, replacing the one of a master chosen before. Opened
 * before any background job, so that a new master's file and tables
 * exist before a second connection opens it. */
static void
pk_coordinator_window_open_sync (PkCoordinatorWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->sync_page != NULL)
    {
      gtk_box_remove (self->sync_box, self->sync_page);
      self->sync_page = NULL;
    }
  g_clear_object (&self->master);
  gtk_widget_set_visible (self->sync_placeholder, TRUE);
  if (self->master_path == NULL)
    return;

  self->master = pk_store_open (self->master_path, &error);
  if (self->master == NULL)
    {
      pk_coordinator_window_show_error (self, error->message);
      return;
    }
  self->sync_page = pk_sync_page_new (self->master);
  gtk_widget_set_vexpand (self->sync_page, TRUE);
  if (self->key != NULL)
    pk_sync_page_set_coordinator_key (PK_SYNC_PAGE (self->sync_page), self->key);
  gtk_widget_set_visible (self->sync_placeholder, FALSE);
  gtk_box_append (self->sync_box, self->sync_page);
}

/* Public API ------------------------------------------------------------ */

void
pk_coordinator_window_set_master (PkCoordinatorWindow *self,
                                  const char          *path)
{
  g_autofree char *display = NULL;

  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));
  g_return_if_fail (self->busy == 0);

  if (g_strcmp0 (self->master_path, path) == 0)
    return;
  g_free (self->master_path);
  self->master_path = g_strdup (path);
  display = path != NULL ? g_filename_display_name (path) : g_strdup (_("None chosen"));
  adw_action_row_set_subtitle (self->master_row, display);
  pk_coordinator_window_open_sync (self);
  pk_coordinator_window_update_actions (self);
  pk_coordinator_window_refresh_report (self);
}

void
pk_coordinator_window_set_key (PkCoordinatorWindow *self,
                               const char          *path)
{
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));

  if (path != NULL && (key = pk_coordinator_key_load (path, &error)) == NULL)
    {
      pk_coordinator_window_show_error (self, error->message);
      return;
    }
  g_free (self->key_path);
  self->key_path = g_strdup (path);
  if (path != NULL)
    {
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *public_b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);
      g_autofree char *subtitle = g_strdup_printf ("%s\nCoordinatorKey=%s", display, public_b64);

      adw_action_row_set_subtitle (self->key_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->key_row, _("None: only unencrypted batches can be merged"));
  g_clear_pointer (&self->key, pk_coordinator_key_free);
  self->key = g_steal_pointer (&key);
  if (self->sync_page != NULL)
    pk_sync_page_set_coordinator_key (PK_SYNC_PAGE (self->sync_page), self->key);
}

gboolean
pk_coordinator_window_is_busy (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), FALSE);
  return self->busy > 0;
}

guint
pk_coordinator_window_get_n_files (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), 0);
  return self->files->len;
}

const char *
pk_coordinator_window_get_file_status (PkCoordinatorWindow *self,
                                       guint                index)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->files->len, NULL);
  return ((FileEntry *) g_ptr_array_index (self->files, index))->status;
}

JsonNode *
pk_coordinator_window_get_report (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  return self->report;
}

GtkWidget *
pk_coordinator_window_get_sync_page (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  return self->sync_page;
}

void
pk_coordinator_window_show_page (PkCoordinatorWindow *self,
                                 const char          *name)
{
  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* GObject --------------------------------------------------------------- */

static void
pk_coordinator_window_dispose (GObject *object)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);

  g_clear_object (&self->chooser);
  self->sync_page = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_COORDINATOR_WINDOW);

  G_OBJECT_CLASS (pk_coordinator_window_parent_class)->dispose (object);
}

static void
pk_coordinator_window_finalize (GObject *object)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (object);

  g_clear_pointer (&self->master_path, g_free);
  g_clear_pointer (&self->key_path, g_free);
  g_clear_pointer (&self->key, pk_coordinator_key_free);
  g_clear_object (&self->master);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->report, json_node_unref);

  G_OBJECT_CLASS (pk_coordinator_window_parent_class)->finalize (object);
}

static void
pk_coordinator_window_class_init (PkCoordinatorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_coordinator_window_dispose;
  object_class->finalize = pk_coordinator_window_finalize;

  g_type_ensure (PK_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-coordinator-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, master_row);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, file_list);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, totals_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, day_chart);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, kiosk_chart);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, sync_placeholder);

  gtk_widget_class_install_action (widget_class, "coordinator.open", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.choose-master", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.choose-key", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.export", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.merge", NULL, pk_coordinator_window_merge);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "coordinator.open", NULL);
}

static void
pk_coordinator_window_init (PkCoordinatorWindow *self)
{
  GtkDropTarget *target;
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->files = g_ptr_array_new_with_free_func (file_entry_free);

  pk_chart_set_title (self->day_chart, _("Signatures per day (UTC)"));
  pk_chart_set_title (self->kiosk_chart, _("Signatures per kiosk"));

  placeholder = gtk_label_new (_("No batch files yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->file_list, placeholder);

  pk_language_tag_labels (GTK_WIDGET (self), pk_language_from_environment ());

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  pk_coordinator_window_update_actions (self);
}

PkCoordinatorWindow *
pk_coordinator_window_new (GtkApplication *app,
                           const char     *master_path,
                           const char     *key_path)
{
  PkCoordinatorWindow *self = g_object_new (PK_TYPE_COORDINATOR_WINDOW, "application", app, NULL);

  if (key_path != NULL)
    pk_coordinator_window_set_key (self, key_path);
  if (master_path != NULL)
    pk_coordinator_window_set_master (self, master_path);
  return self;
}
