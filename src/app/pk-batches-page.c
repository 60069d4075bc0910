/* pk-batches-page.c: admin → Batches: close, wipe, fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Closing writes to a folder chosen with GtkFileChooserNative (usually a
 * USB stick), in a thread with its own connection: fsync on a slow stick
 * must not freeze the admin screen. Wiping asks for the PIN again, even
 * though admin is already unlocked, because it destroys data.
 */
#define G_LOG_DOMAIN "pk-batches-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch.h"
#include "pk-batches-page-private.h"
#include "pk-coordinator-window.h"
#include "pk-keys.h"
#include "pk-language.h"
#include "pk-pin.h"

/* The folder the last batch file went to, where the chooser opens next. */
#define SETTING_LAST_FOLDER "last-batch-folder"

struct _PkBatchesPage
{
  GtkWidget             parent_instance;

  AdwPreferencesPage   *preferences_page;
  AdwPreferencesGroup  *batch_group;
  AdwActionRow         *pending_row;
  GtkLabel             *pending_label;
  AdwActionRow         *exported_row;
  GtkLabel             *exported_label;
  AdwActionRow         *close_row;
  GtkButton            *close_button;
  AdwActionRow         *wipe_row;
  GtkButton            *wipe_button;
  GtkLabel             *status_label;
  AdwPreferencesGroup  *key_group;
  AdwActionRow         *fingerprint_row;
  GtkLabel             *fingerprint_label;
  AdwActionRow         *coordinator_row;
  GtkButton            *coordinator_button;

  PkStore              *store;
  PkPetition           *petition;
  char                 *language;
  GtkNativeDialog      *chooser;
  GtkEntry             *pin_entry;
  gboolean              busy;
  guint                 finish_wipe_id;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (PkBatchesPage, pk_batches_page, GTK_TYPE_WIDGET)

static void
pk_batches_page_retranslate (PkBatchesPage *self)
{
  adw_preferences_group_set_title (self->batch_group, _("Batches"));
  adw_preferences_group_set_description (self->batch_group,
                                         _("Close a batch to carry its signatures to the coordinator, "
                                           "for example on a USB stick. The file is signed by this kiosk; "
                                           "with a coordinator key, only the coordinator can read it."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row), _("Not yet in a batch file"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->exported_row), _("Exported, still on this kiosk"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->close_row), _("Close the batch"));
  adw_action_row_set_subtitle (self->close_row, _("Writes a new batch file into a folder you choose; "
                                                  "an existing file is never overwritten."));
  pk_language_set_button_label (self->close_button, _("_Close Batch…"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->wipe_row), _("Wipe exported signatures"));
  adw_action_row_set_subtitle (self->wipe_row, _("Deletes from this kiosk the signatures already written "
                                                 "to a batch file. Make sure the coordinator has that file."));
  pk_language_set_button_label (self->wipe_button, _("_Wipe…"));
  adw_preferences_group_set_title (self->key_group, _("This kiosk"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fingerprint_row), _("Kiosk key fingerprint"));
  adw_action_row_set_subtitle (self->fingerprint_row, _("Give it to the coordinator, who accepts batches "
                                                        "only from the kiosks they trust."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->coordinator_row), _("Coordinator"));
  adw_action_row_set_subtitle (self->coordinator_row, _("Verify and merge batch files from many kiosks."));
  pk_language_set_button_label (self->coordinator_button, _("_Open Coordinator Window"));
  pk_language_tag_labels (GTK_WIDGET (self), self->language);
}

/* The last outcome under the buttons; hidden while there is none, so
 * that no empty line sits between the two groups. */
static void
pk_batches_page_set_status (PkBatchesPage *self,
                            const char    *message)
{
  gtk_label_set_text (self->status_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
}

void
pk_batches_page_refresh (PkBatchesPage *self)
{
  g_autoptr(PkKioskKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *exported = NULL;
  gint64 n_exported;
  gint64 n_pending;

  g_return_if_fail (PK_IS_BATCHES_PAGE (self));

  if (self->store == NULL)
    return;

  n_exported = MAX (pk_store_count_exported (self->store), 0);
  n_pending = (gint64) pk_store_count (self->store, NULL) - n_exported;
  pending = g_strdup_printf ("%" G_GINT64_FORMAT, n_pending);
  exported = g_strdup_printf ("%" G_GINT64_FORMAT, n_exported);
  gtk_label_set_text (self->pending_label, pending);
  gtk_label_set_text (self->exported_label, exported);

  key = pk_kiosk_key_ensure (self->store, &error);
  if (key != NULL)
    {
      g_autofree char *fingerprint = pk_key_fingerprint (key->public_key);

      gtk_label_set_text (self->fingerprint_label, fingerprint);
    }
  else
    gtk_label_set_text (self->fingerprint_label, error->message);

  /* An empty batch file would carry nothing to the coordinator. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batches.close", !self->busy && n_pending > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batches.wipe", !self->busy && n_exported > 0);
}

/* Closing -------------------------------------------------------------- */

typedef struct {
  char       *db_path;
  char       *folder;
  char       *base_name;
  PkPetition *petition;
  gint64      n_written;
  char       *written_path;
} CloseData;

static void
close_data_free (gpointer data)
{
  CloseData *cd = data;

  g_free (cd->db_path);
  g_free (cd->folder);
  g_free (cd->base_name);
  g_clear_object (&cd->petition);
  g_free (cd->written_path);
  g_free (cd);
}

static void
close_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CloseData *cd = task_data;
  g_autoptr(PkStore) store = NULL;
  GError *error = NULL;

  store = pk_store_open (cd->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Another file of that name (a second close in the same second, or
   * one from another kiosk of the same name): take the next number. */
  for (guint attempt = 1; attempt < 100; attempt++)
    {
      g_autofree char *name = attempt == 1 ? g_strdup_printf ("%s.pkbatch", cd->base_name)
                                           : g_strdup_printf ("%s-%u.pkbatch", cd->base_name, attempt);
      g_autofree char *path = g_build_filename (cd->folder, name, NULL);
      g_autoptr(PkBatchInfo) info = pk_batch_close (store, cd->petition, path, &error);

      if (info != NULL)
        {
          cd->n_written = info->n_rows;
          cd->written_path = g_steal_pointer (&path);
          g_task_return_boolean (task, TRUE);
          return;
        }
      if (!g_error_matches (error, PK_BATCH_ERROR, PK_BATCH_ERROR_EXISTS))
        break;
      g_clear_error (&error);
    }

  if (error == NULL)
    g_set_error_literal (&error, PK_BATCH_ERROR, PK_BATCH_ERROR_EXISTS,
                         _("Too many batch files of this name in that folder"));
  g_task_return_error (task, error);
}

static void
close_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (object);
  CloseData *cd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    pk_batches_page_set_status (self, error->message);
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, cd->n_written);
      g_autofree char *display = g_filename_display_name (cd->written_path);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Wrote %s signature to %s. A new batch has begun.",
                                                               "Wrote %s signatures to %s. A new batch has begun.",
                                                               (gulong) cd->n_written),
                                                  count, display);

      pk_batches_page_set_status (self, message);
    }
  pk_batches_page_refresh (self);
}

/* A file name from the kiosk's name and the local time, with nothing a
 * file system on a USB stick (vfat) would refuse. */
static char *
pk_batches_page_base_name (PkBatchesPage *self)
{
  g_autofree char *kiosk = pk_store_get_setting (self->store, PK_SETTING_KIOSK_NAME);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  GString *name = g_string_new ("batch-");
  const char *source = kiosk != NULL && *kiosk != '\0' ? kiosk : pk_store_get_kiosk_id (self->store);

  for (const char *p = source; *p != '\0' && name->len < 48; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (name, c);
      else if (name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  g_string_append_printf (name, "-%s", stamp);
  return g_string_free (name, FALSE);
}

void
pk_batches_page_close_batch (PkBatchesPage *self,
                             const char    *folder)
{
  g_autoptr(GTask) task = NULL;
  CloseData *cd;

  g_return_if_fail (PK_IS_BATCHES_PAGE (self));
  g_return_if_fail (folder != NULL);

  if (self->busy || self->store == NULL)
    return;

  cd = g_new0 (CloseData, 1);
  cd->db_path = g_strdup (pk_store_get_path (self->store));
  cd->folder = g_strdup (folder);
  cd->base_name = pk_batches_page_base_name (self);
  cd->petition = self->petition != NULL ? g_object_ref (self->petition) : NULL;

  self->busy = TRUE;
  pk_batches_page_set_status (self, _("Writing the batch file…"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batches.close", FALSE);
  task = g_task_new (self, NULL, close_done, NULL);
  g_task_set_task_data (task, cd, close_data_free);
  g_task_run_in_thread (task, close_thread);
}

static void
on_folder_chosen (GtkNativeDialog *dialog,
                  int              response,
                  PkBatchesPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        {
          g_autoptr(GError) error = NULL;

          /* Next time the chooser opens there: the same USB stick, as a
           * rule. */
          if (!pk_store_set_setting (self->store, SETTING_LAST_FOLDER, path, &error))
            g_debug ("Cannot remember the batch folder: %s", error->message);
          pk_batches_page_close_batch (self, path);
        }
    }
  g_clear_object (&self->chooser);
}

static void
pk_batches_page_close_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *last_folder = pk_store_get_setting (self->store, SETTING_LAST_FOLDER);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose Where to Write the Batch File"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                                  _("_Write Here"), NULL));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  if (last_folder != NULL && g_file_test (last_folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (last_folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_folder_chosen), self, 0);
  gtk_native_dialog_show (self->chooser);
}

/* Wiping ----------------------------------------------------------------- */

/* Seconds between tries to finish a wipe that another program's
 * reading held up. */
#define PK_BATCHES_FINISH_WIPE_SECONDS 10

static gboolean
pk_batches_page_retry_wipe (gpointer user_data)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (user_data);

  if (!pk_store_finish_wipe (self->store))
    return G_SOURCE_CONTINUE;
  self->finish_wipe_id = 0;
  pk_batches_page_set_status (self, _("The wipe is finished: the wiped signatures are gone from the disk."));
  return G_SOURCE_REMOVE;
}

/* The rows are deleted, but another program reading the database keeps
 * their old bytes on disk until it stops: say so, and finish the wipe
 * as soon as it can be. */
static void
pk_batches_page_wait_for_wipe (PkBatchesPage *self)
{
  pk_batches_page_set_status (self, _("The wipe is not finished: another program is reading the kiosk "
                                      "database, so the wiped signatures are still on the disk. The wipe "
                                      "finishes by itself as soon as that program stops; keep the kiosk "
                                      "running until this says so."));
  if (self->finish_wipe_id == 0)
    self->finish_wipe_id = g_timeout_add_seconds (PK_BATCHES_FINISH_WIPE_SECONDS,
                                                  pk_batches_page_retry_wipe, self);
}

static void
on_wipe_response (AdwMessageDialog *dialog,
                  const char       *response,
                  PkBatchesPage    *self)
{
  g_autoptr(GError) error = NULL;
  guint wait = 0;
  gint64 n;

  if (g_strcmp0 (response, "wipe") != 0 || self->pin_entry == NULL)
    {
      self->pin_entry = NULL;
      return;
    }

  if (!pk_pin_check (self->store, gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)), &wait, &error))
    {
      self->pin_entry = NULL;
      pk_batches_page_set_status (self, error->message);
      return;
    }
  self->pin_entry = NULL;

  n = pk_store_wipe_exported (self->store, &error);
  if (n < 0)
    pk_batches_page_set_status (self, error->message);
  else if (pk_store_wipe_pending (self->store))
    pk_batches_page_wait_for_wipe (self);
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Wiped %s exported signature from this kiosk.",
                                                               "Wiped %s exported signatures from this kiosk.",
                                                               (gulong) n),
                                                  count);

      pk_batches_page_set_status (self, message);
    }
  pk_batches_page_refresh (self);
}

static void
pk_batches_page_wipe_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Wipe Exported Signatures?"),
                                   _("They are deleted from this kiosk for good. Only do this once the "
                                     "coordinator has merged the batch files. Enter the admin PIN to confirm."));
  /* A hidden GtkEntry, not a GtkPasswordEntry: GTK 4.8's password
   * entry warns "invalid unclassed pointer in cast to 'GtkPasswordEntry'"
   * when Escape closes the dialog around it. */
  entry = g_object_new (GTK_TYPE_ENTRY,
                        "visibility", FALSE,
                        "input-purpose", GTK_INPUT_PURPOSE_PIN,
                        NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Admin PIN"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  self->pin_entry = GTK_ENTRY (entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "wipe", _("_Wipe"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "wipe", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_wipe_response), self, 0);
  /* Korean breaks between words only where the text says it is Korean. */
  pk_language_tag_labels (dialog, self->language);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pk_batches_page_coordinator_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  PkCoordinatorWindow *window = pk_coordinator_window_new (app, NULL, NULL);

  gtk_window_present (GTK_WINDOW (window));
}

/* GObject --------------------------------------------------------------- */

const char *
_pk_batches_page_get_status (PkBatchesPage *self)
{
  g_return_val_if_fail (PK_IS_BATCHES_PAGE (self), NULL);
  return gtk_label_get_text (self->status_label);
}

gboolean
_pk_batches_page_is_busy (PkBatchesPage *self)
{
  g_return_val_if_fail (PK_IS_BATCHES_PAGE (self), FALSE);
  return self->busy;
}

static void
pk_batches_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pk_batches_page_parent_class)->map (widget);
  /* Counts change with every signature: read them when shown. */
  pk_batches_page_refresh (PK_BATCHES_PAGE (widget));
}

static void
pk_batches_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PETITION:
      g_value_set_object (value, self->petition);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batches_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      /* A wipe left unfinished when the kiosk last ran. */
      if (self->store != NULL && !pk_store_finish_wipe (self->store))
        pk_batches_page_wait_for_wipe (self);
      break;
    case PROP_PETITION:
      if (g_set_object (&self->petition, g_value_get_object (value)))
        g_object_notify_by_pspec (object, properties[PROP_PETITION]);
      break;
    case PROP_LANGUAGE:
      /* Strings are looked up in the language gettext was switched to
       * already; this one tags them, so that Korean breaks between words. */
      if (g_strcmp0 (self->language, g_value_get_string (value)) != 0)
        {
          g_free (self->language);
          self->language = g_value_dup_string (value);
          pk_batches_page_retranslate (self);
          g_object_notify_by_pspec (object, properties[PROP_LANGUAGE]);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batches_page_dispose (GObject *object)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (object);

  g_clear_handle_id (&self->finish_wipe_id, g_source_remove);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_BATCHES_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_batches_page_parent_class)->dispose (object);
}

static void
pk_batches_page_finalize (GObject *object)
{
  PkBatchesPage *self = PK_BATCHES_PAGE (object);

  g_free (self->language);

  G_OBJECT_CLASS (pk_batches_page_parent_class)->finalize (object);
}

static void
pk_batches_page_class_init (PkBatchesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_batches_page_dispose;
  object_class->finalize = pk_batches_page_finalize;
  object_class->get_property = pk_batches_page_get_property;
  object_class->set_property = pk_batches_page_set_property;
  widget_class->map = pk_batches_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-batches-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, batch_group);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, pending_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, pending_label);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, exported_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, exported_label);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, close_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, wipe_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, wipe_button);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, key_group);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, coordinator_row);
  gtk_widget_class_bind_template_child (widget_class, PkBatchesPage, coordinator_button);

  gtk_widget_class_install_action (widget_class, "batches.close", NULL, pk_batches_page_close_action);
  gtk_widget_class_install_action (widget_class, "batches.wipe", NULL, pk_batches_page_wipe_action);
  gtk_widget_class_install_action (widget_class, "batches.coordinator", NULL, pk_batches_page_coordinator_action);
}

static void
pk_batches_page_init (PkBatchesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pk_batches_page_retranslate (self);
}

GtkWidget *
pk_batches_page_new (PkStore *store)
{
  g_return_val_if_fail (store == NULL || PK_IS_STORE (store), NULL);

  return g_object_new (PK_TYPE_BATCHES_PAGE, "store", store, NULL);
}
