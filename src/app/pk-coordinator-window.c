/* pk-coordinator-window.c: verifying, merging and exporting batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window, its list of batch files and its choosers. A coordinator
 * may come back from a weekend of stalls with hundreds of files on one
 * USB stick, so the list is a GtkListView over a GListStore (rows only
 * for the files in view), a summary line counts the files by state, a
 * filter shows only the problems, and Merge sits in the header bar.
 * Verifying and merging are in pk-coordinator-window-merge.c, exporting
 * in pk-coordinator-window-export.c.
 */
#define G_LOG_DOMAIN "pk-coordinator-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch-file-row.h"
#include "pk-coordinator-window-private.h"
#include "pk-language.h"
#include "pk-sync-page.h"
#include "pk-trusted-keys.h"

G_DEFINE_FINAL_TYPE (PkCoordinatorWindow, pk_coordinator_window, ADW_TYPE_APPLICATION_WINDOW)

/* The files in each state. */
typedef struct {
  guint n[PK_BATCH_FILE_UNCHECKED + 1];
} FileCounts;

static FileCounts
pk_coordinator_window_count_files (PkCoordinatorWindow *self)
{
  FileCounts counts = { { 0 } };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkBatchFile) file = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      counts.n[pk_batch_file_get_state (file)]++;
    }
  return counts;
}

static void
pk_coordinator_window_update_actions (PkCoordinatorWindow *self)
{
  FileCounts counts = pk_coordinator_window_count_files (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.merge",
                                 self->busy == 0 && self->master_path != NULL
                                 && counts.n[PK_BATCH_FILE_READY] + counts.n[PK_BATCH_FILE_UNCHECKED] > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.export",
                                 self->busy == 0 && self->master_path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.choose-master", self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.reopen-master",
                                 self->busy == 0 && self->master_path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.choose-key", self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coordinator.kiosk-keys",
                                 self->busy == 0 && self->master != NULL);
}

void
_pk_coordinator_window_set_busy (PkCoordinatorWindow *self,
                                 gboolean             busy)
{
  if (busy)
    self->busy++;
  else
    self->busy--;
  pk_coordinator_window_update_actions (self);
}

static void
on_toast_dismissed (PkCoordinatorWindow *self,
                    AdwToast            *toast)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

void
_pk_coordinator_window_show_toast (PkCoordinatorWindow *self,
                                   AdwToast            *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->toast, toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

AdwToast *
_pk_coordinator_window_toast (PkCoordinatorWindow *self,
                              const char          *message,
                              gboolean             is_error)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  /* An error waits for the coordinator to read it. */
  if (is_error)
    adw_toast_set_timeout (toast, 0);
  _pk_coordinator_window_show_toast (self, toast);
  return toast;
}

void
_pk_coordinator_window_set_status (PkCoordinatorWindow *self,
                                   const char          *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

/* The list at a glance: "201 ready · 1 problem". Each count is its own
 * phrase, so that each gets its plural form; zero counts are left out. */
static char *
summary_text (const FileCounts *counts)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const guint *n = counts->n;

  if (n[PK_BATCH_FILE_CHECKING] > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u checking", "%u checking",
                                                          n[PK_BATCH_FILE_CHECKING]), n[PK_BATCH_FILE_CHECKING]));
  if (n[PK_BATCH_FILE_READY] > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u ready", "%u ready",
                                                          n[PK_BATCH_FILE_READY]), n[PK_BATCH_FILE_READY]));
  if (n[PK_BATCH_FILE_MERGED] > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u merged", "%u merged",
                                                          n[PK_BATCH_FILE_MERGED]), n[PK_BATCH_FILE_MERGED]));
  if (n[PK_BATCH_FILE_PROBLEM] > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems",
                                                          n[PK_BATCH_FILE_PROBLEM]), n[PK_BATCH_FILE_PROBLEM]));
  /* Not a problem of the files': counted apart. */
  if (n[PK_BATCH_FILE_UNCHECKED] > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u not checked", "%u not checked",
                                                          n[PK_BATCH_FILE_UNCHECKED]), n[PK_BATCH_FILE_UNCHECKED]));
  if (parts->len == 0)
    return g_strdup (_("Batch files"));
  g_ptr_array_add (parts, NULL);
  /* Translators: between the counts of the summary, as in "201 ready · 1 problem" */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void
pk_coordinator_window_update_list_page (PkCoordinatorWindow *self)
{
  const char *page = "list";

  if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->shown_files)) == 0)
    page = "no-problems";
  gtk_stack_set_visible_child_name (self->list_stack, page);
}

void
_pk_coordinator_window_files_changed (PkCoordinatorWindow *self)
{
  FileCounts counts = pk_coordinator_window_count_files (self);
  g_autofree char *summary = summary_text (&counts);

  gtk_label_set_text (self->summary_label, summary);
  /* The filter is asked again only when it is in use. */
  if (gtk_toggle_button_get_active (self->problems_button))
    gtk_filter_changed (self->problems_filter, GTK_FILTER_CHANGE_DIFFERENT);
  pk_coordinator_window_update_list_page (self);
  pk_coordinator_window_update_actions (self);
}

void
_pk_coordinator_window_set_file_result (PkCoordinatorWindow *self,
                                        const char          *path,
                                        PkBatchFileState     state,
                                        const char          *status)
{
  PkBatchFile *file = g_hash_table_lookup (self->files_by_path, path);

  if (file != NULL)
    pk_batch_file_set_result (file, state, status);
}

static gboolean
is_problem (gpointer item,
            gpointer user_data)
{
  return pk_batch_file_get_state (item) == PK_BATCH_FILE_PROBLEM;
}

static void
on_problems_toggled (PkCoordinatorWindow *self,
                     GtkToggleButton     *button)
{
  gtk_filter_list_model_set_filter (self->shown_files,
                                    gtk_toggle_button_get_active (button) ? self->problems_filter : NULL);
  pk_coordinator_window_update_list_page (self);
}

void
pk_coordinator_window_add_files (PkCoordinatorWindow *self,
                                 GSList              *files)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);
      PkBatchFile *file;

      if (path == NULL || g_hash_table_contains (self->files_by_path, path))
        continue;
      file = pk_batch_file_new (path);
      g_hash_table_insert (self->files_by_path, g_strdup (path), file);
      g_ptr_array_add (added, file);
    }

  /* One splice, one "items-changed" for the list, however many files. */
  g_list_store_splice (self->files, g_list_model_get_n_items (G_LIST_MODEL (self->files)), 0,
                       added->pdata, added->len);
  _pk_coordinator_window_verify_pending (self);
  _pk_coordinator_window_files_changed (self);
}

static gboolean
on_drop (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         PkCoordinatorWindow *self)
{
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  pk_coordinator_window_add_files (self, files);
  return TRUE;
}

/* The list's rows ------------------------------------------------------ */

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PkCoordinatorWindow      *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, g_object_new (PK_TYPE_BATCH_FILE_ROW, NULL));
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             PkCoordinatorWindow      *self)
{
  pk_batch_file_row_set_file (PK_BATCH_FILE_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
on_row_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               PkCoordinatorWindow      *self)
{
  pk_batch_file_row_set_file (PK_BATCH_FILE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
pk_coordinator_window_init_list (PkCoordinatorWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->files = g_list_store_new (PK_TYPE_BATCH_FILE);
  self->files_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problems_filter = GTK_FILTER (gtk_custom_filter_new (is_problem, NULL, NULL));
  self->shown_files = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->files)), NULL);

  g_signal_connect_object (factory, "setup", G_CALLBACK (on_row_setup), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_row_bind), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_row_unbind), self, 0);
  gtk_list_view_set_factory (self->file_view, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown_files)));

    gtk_list_view_set_model (self->file_view, GTK_SELECTION_MODEL (selection));
  }
}

/* Choosers ------------------------------------------------------------- */

typedef enum {
  CHOOSE_FILES,
  CHOOSE_MASTER,
  CHOOSE_KEY,
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

      if (kind == CHOOSE_FILES)
        {
          g_autoptr(GListModel) model = gtk_file_chooser_get_files (chooser);
          GSList *files = NULL;

          for (guint i = g_list_model_get_n_items (model); i > 0; i--)
            files = g_slist_prepend (files, g_list_model_get_item (model, i - 1));
          pk_coordinator_window_add_files (self, files);
          g_slist_free_full (files, g_object_unref);
        }
      else if (kind == CHOOSE_MASTER && path != NULL)
        pk_coordinator_window_set_master (self, path);
      else if (kind == CHOOSE_KEY && path != NULL)
        pk_coordinator_window_set_key (self, path);
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
}

/* The master and its Sync page ------------------------------------- */

/* Forgets the master open on the main thread, and its Sync page. */
static void
pk_coordinator_window_close_master (PkCoordinatorWindow *self)
{
  if (self->sync_page != NULL)
    {
      gtk_box_remove (self->sync_box, self->sync_page);
      self->sync_page = NULL;
    }
  g_clear_object (&self->master);
  gtk_widget_set_visible (self->sync_placeholder, TRUE);
  pk_coordinator_window_update_actions (self);
}

void
_pk_coordinator_window_set_opened_master (PkCoordinatorWindow *self,
                                          PkStore             *master)
{
  pk_coordinator_window_close_master (self);
  self->master = g_object_ref (master);
  self->sync_page = pk_sync_page_new (self->master);
  gtk_widget_set_vexpand (self->sync_page, TRUE);
  if (self->key != NULL)
    pk_sync_page_set_coordinator_key (PK_SYNC_PAGE (self->sync_page), self->key);
  gtk_widget_set_visible (self->sync_placeholder, FALSE);
  gtk_box_append (self->sync_box, self->sync_page);
  pk_coordinator_window_update_actions (self);
}

/* Public API ------------------------------------------------------------ */

void
pk_coordinator_window_set_master (PkCoordinatorWindow *self,
                                  const char          *path)
{
  g_autofree char *display = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (PK_IS_COORDINATOR_WINDOW (self));
  g_return_if_fail (self->busy == 0);

  if (g_strcmp0 (self->master_path, path) == 0)
    return;
  g_free (self->master_path);
  self->master_path = g_strdup (path);
  display = path != NULL ? g_filename_display_name (path) : g_strdup (_("None chosen"));
  /* The subtitle is markup: an address's "&" (or a file name's) is text. */
  escaped = g_markup_escape_text (display, -1);
  adw_action_row_set_subtitle (self->master_row, escaped);
  pk_coordinator_window_close_master (self);
  /* Opened off the UI thread with the totals: a server that does not
   * answer must not freeze the window. */
  _pk_coordinator_window_refresh_report (self);
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
      _pk_coordinator_window_toast (self, error->message, TRUE);
      return;
    }
  g_free (self->key_path);
  self->key_path = g_strdup (path);
  if (path != NULL)
    {
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *public_b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);
      g_autofree char *subtitle = g_markup_printf_escaped ("%s\nCoordinatorKey=%s", display, public_b64);

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
_pk_coordinator_window_is_busy (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), FALSE);
  return self->busy > 0;
}

guint
_pk_coordinator_window_get_n_files (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->files));
}

const char *
_pk_coordinator_window_get_file_status (PkCoordinatorWindow *self,
                                       guint                index)
{
  g_autoptr(PkBatchFile) file = NULL;

  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  g_return_val_if_fail (index < g_list_model_get_n_items (G_LIST_MODEL (self->files)), NULL);
  /* The list holds a reference: the status outlives this one. */
  file = g_list_model_get_item (G_LIST_MODEL (self->files), index);
  return pk_batch_file_get_status (file);
}

JsonNode *
_pk_coordinator_window_get_report (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  return self->report;
}

GtkWidget *
_pk_coordinator_window_get_sync_page (PkCoordinatorWindow *self)
{
  g_return_val_if_fail (PK_IS_COORDINATOR_WINDOW (self), NULL);
  return self->sync_page;
}

void
_pk_coordinator_window_show_page (PkCoordinatorWindow *self,
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
  g_clear_object (&self->toast);
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
  g_clear_object (&self->shown_files);
  g_clear_object (&self->problems_filter);
  g_clear_pointer (&self->files_by_path, g_hash_table_unref);
  g_clear_object (&self->files);
  g_clear_pointer (&self->report, json_node_unref);

  G_OBJECT_CLASS (pk_coordinator_window_parent_class)->finalize (object);
}

/* The master's kiosk keys, in a window of their own (pk-trusted-keys.c). */
static void
pk_coordinator_window_kiosk_keys (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);

  g_return_if_fail (self->master != NULL);
  gtk_window_present (GTK_WINDOW (pk_trusted_keys_new (GTK_WINDOW (self), self->master)));
}

/* The master opened again, after a toast said it could not be: the
 * server may be back, the password file corrected. */
static void
pk_coordinator_window_reopen_master (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  PkCoordinatorWindow *self = PK_COORDINATOR_WINDOW (widget);

  if (self->busy == 0)
    _pk_coordinator_window_refresh_report (self);
}

static void
pk_coordinator_window_class_init (PkCoordinatorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_coordinator_window_dispose;
  object_class->finalize = pk_coordinator_window_finalize;

  g_type_ensure (PK_TYPE_TOTALS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-coordinator-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, merge_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, merge_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, totals_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, sync_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, master_group);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, master_row);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, kiosk_keys_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, master_choose_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, key_choose_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, empty_status);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, no_problems_status);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, problems_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, file_view);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, totals_page);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorWindow, sync_placeholder);
  gtk_widget_class_bind_template_callback (widget_class, on_problems_toggled);

  gtk_widget_class_install_action (widget_class, "coordinator.open", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.choose-master", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.choose-key", NULL, pk_coordinator_window_action);
  gtk_widget_class_install_action (widget_class, "coordinator.export", "s", _pk_coordinator_window_export);
  gtk_widget_class_install_action (widget_class, "coordinator.open-folder", "s", _pk_coordinator_window_open_folder);
  gtk_widget_class_install_action (widget_class, "coordinator.merge", NULL, _pk_coordinator_window_merge);
  gtk_widget_class_install_action (widget_class, "coordinator.kiosk-keys", NULL, pk_coordinator_window_kiosk_keys);
  gtk_widget_class_install_action (widget_class, "coordinator.reopen-master", NULL, pk_coordinator_window_reopen_master);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "coordinator.open", NULL);
}

/* The coordinator's window keeps the language it opened in (the
 * kiosk's admin language, or the desktop's): its strings are set once,
 * here, and the .ui file holds structure only. */
static void
pk_coordinator_window_translate (PkCoordinatorWindow *self)
{
  g_autoptr(GMenu) export_menu = g_menu_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Coordinator"));
  adw_view_switcher_title_set_title (self->switcher_title, _("Coordinator"));
  pk_language_set_button_label (self->open_button, _("_Open Batch Files…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button),
                               _("Add batch files to check and merge (or drop them on this window)"));
  pk_language_set_button_label (self->merge_button, _("_Merge"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->merge_button),
                               _("Merge every ready batch file into the master database"));
  g_menu_append (export_menu, _("_Spreadsheet (CSV)…"), "coordinator.export::csv");
  g_menu_append (export_menu, _("_OSDI JSON for Action Network…"), "coordinator.export::osdi-json");
  gtk_menu_button_set_menu_model (self->export_button, G_MENU_MODEL (export_menu));
  gtk_menu_button_set_label (self->export_button, _("_Export"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button), _("Export the master’s signers to a file"));

  adw_view_stack_page_set_title (self->merge_stack_page, _("Batch Files"));
  adw_view_stack_page_set_title (self->totals_stack_page, _("Totals"));
  adw_view_stack_page_set_title (self->sync_stack_page, _("Sync"));

  adw_preferences_group_set_title (self->master_group, _("Master"));
  adw_preferences_group_set_description (self->master_group,
                                         _("Keep the master database and the key on an encrypted disk: the "
                                           "master holds every signer's details in plain form."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->master_row), _("Master database"));
  adw_action_row_set_subtitle (self->master_row, _("None chosen"));
  pk_language_set_button_label (self->kiosk_keys_button, _("_Kiosk Keys…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->kiosk_keys_button),
                               _("See the key of every kiosk whose batches arrived, and trust a kiosk’s new key"));
  pk_language_set_button_label (self->master_choose_button, _("_Choose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->master_choose_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose the master database"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("Coordinator secret key"));
  adw_action_row_set_subtitle (self->key_row, _("None: only unencrypted batches can be merged"));
  pk_language_set_button_label (self->key_choose_button, _("C_hoose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->key_choose_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose the coordinator secret key file"), -1);

  pk_language_set_button_label (GTK_BUTTON (self->problems_button), _("_Problems Only"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->problems_button),
                               _("List only the files that failed a check or were refused"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Merge progress"), -1);
  adw_status_page_set_title (self->empty_status, _("No Batch Files Yet"));
  adw_status_page_set_description (self->empty_status,
                                   _("Drop batch files here or open them; each is checked before anything "
                                     "is merged."));
  adw_status_page_set_title (self->no_problems_status, _("No Problems"));
  adw_status_page_set_description (self->no_problems_status, _("Every batch file passed its checks."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->file_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Batch files and their verification results"), -1);

  adw_status_page_set_title (ADW_STATUS_PAGE (self->sync_placeholder), _("No Master Database"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->sync_placeholder),
                                   _("Choose the master database on the Batch Files page to send its "
                                     "signatures to the online petition."));
}

static void
pk_coordinator_window_init (PkCoordinatorWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  pk_coordinator_window_translate (self);
  pk_coordinator_window_init_list (self);

  pk_language_tag_labels (GTK_WIDGET (self), pk_language_from_environment ());

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  _pk_coordinator_window_files_changed (self);
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
