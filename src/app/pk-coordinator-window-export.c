/* pk-coordinator-window-export.c: exporting the master to a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coordinator picks the format from the Export menu, never by the
 * extension typed: a file called "list" or "list.txt" is still what
 * was asked for. The chooser opens beside the master with a dated name
 * in the coordinator's language, and the result comes back as a toast
 * that can open the folder.
 */
#define G_LOG_DOMAIN "pk-coordinator-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-coordinator-window-private.h"
#include "pk-count-text.h"
#include "pk-export-target.h"
#include "pk-pg-location.h"

typedef struct {
  char           *master_path;
  char           *out_path;
  PkExportFormat  format;
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
  gint64 n;

  master = _pk_coordinator_window_open_master (ed->master_path, &error);
  /* The byte-order mark lets spreadsheet programs read Korean right. */
  if (master == NULL
      || (n = pk_export_write (master, ed->format,
                               ed->format == PK_EXPORT_CSV ? PK_EXPORT_FLAGS_BOM : PK_EXPORT_FLAGS_NONE,
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
  ExportData *ed = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  _pk_coordinator_window_set_busy (self, FALSE);
  if (n < 0)
    {
      _pk_coordinator_window_toast (self, error->message, TRUE);
      return;
    }

  {
    g_autoptr(GFile) file = g_file_new_for_path (ed->out_path);
    g_autoptr(GFile) folder = g_file_get_parent (file);
    g_autofree char *folder_uri = g_file_get_uri (folder);
    g_autofree char *name = g_filename_display_basename (ed->out_path);
    /* Translators: the result of an export: how many signers, and the
     * file's name, such as "signatures-2026-12-07.csv" */
    g_autofree char *message = pk_count_text (n, "Saved %s signer to %s", "Saved %s signers to %s",
                                              name, NULL);
    g_autofree char *escaped = g_markup_escape_text (message, -1);
    AdwToast *toast = adw_toast_new (escaped);

    adw_toast_set_button_label (toast, _("_Open Folder"));
    adw_toast_set_action_name (toast, "coordinator.open-folder");
    adw_toast_set_action_target_value (toast, g_variant_new_string (folder_uri));
    adw_toast_set_timeout (toast, 0);
    _pk_coordinator_window_show_toast (self, toast);
  }
}

static void
start_export (PkCoordinatorWindow *self,
              const char          *path)
{
  g_autoptr(GTask) task = NULL;
  ExportData *ed;

  if (self->master_path == NULL || self->busy > 0)
    return;
  ed = g_new0 (ExportData, 1);
  ed->master_path = g_strdup (self->master_path);
  ed->out_path = g_strdup (path);
  ed->format = self->export_format;
  _pk_coordinator_window_set_busy (self, TRUE);
  task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (task, ed, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_export_chooser_response (GtkNativeDialog     *dialog,
                            int                  response,
                            PkCoordinatorWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      g_autoptr(GError) error = NULL;

      /* Never over the master itself, another database or a key file. */
      if (path != NULL && self->master_path != NULL
          && !pk_export_check_target (self->master_path, path, &error))
        _pk_coordinator_window_toast (self, error->message, TRUE);
      else if (path != NULL)
        start_export (self, path);
    }
  g_clear_object (&self->chooser);
}

/* "signatures-2026-12-07.csv" in the coordinator's language: a name
 * that says what is in it and when it was made, so that a folder of
 * exports sorts by date. */
static char *
default_file_name (PkExportFormat format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  /* Translators: the start of an exported file's name, followed by the
   * date and ".csv" or ".json"; no slashes */
  return g_strdup_printf ("%s-%s.%s", C_("file name", "signatures"), date,
                          format == PK_EXPORT_CSV ? "csv" : "json");
}

void
_pk_coordinator_window_export (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);
  g_autoptr(GFile) master = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  PkExportFormat format;

  if (!pk_export_format_from_string (g_variant_get_string (parameter, NULL), &format))
    g_return_if_reached ();

  self->export_format = format;
  /* GtkFileChooserNative is not a widget: keep a reference while shown. */
  g_clear_object (&self->chooser);
  native = gtk_file_chooser_native_new (format == PK_EXPORT_CSV ? _("Export as a Spreadsheet (CSV)")
                                                                : _("Export as OSDI JSON for Action Network"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  self->chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  /* Beside the master, which the coordinator keeps on the encrypted
   * disk the export belongs on too. A master on a server has no folder:
   * the chooser starts where it would. */
  if (!pk_pg_location_is_postgresql (self->master_path))
    {
      master = g_file_new_for_path (self->master_path);
      folder = g_file_get_parent (master);
    }
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
  name = default_file_name (format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect_object (native, "response", G_CALLBACK (on_export_chooser_response), self, 0);
  gtk_native_dialog_show (self->chooser);
}

void
_pk_coordinator_window_open_folder (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}
