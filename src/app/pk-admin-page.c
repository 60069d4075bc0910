/* pk-admin-page.c: the organizer's screen behind the PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-admin-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "pk-admin-page-private.h"
#include "pk-coordinator-dialog.h"
#include "pk-field-error-row.h"
#include "pk-language.h"
#include "pk-pinned-coordinator.h"


struct _PkAdminPage
{
  GtkWidget             parent_instance;

  PkStore              *store;
  PkPetition           *petition;
  GSettings            *settings;
  guint64               count;
  char                 *language;
  GtkFileChooserNative *chooser;
  char                 *pending_path;  /* chosen, waiting for the coordinator change */
  gboolean              syncing;     /* writing a combo from settings */
  GArray               *titles;      /* of PkAdminPageTitle, pages added */

  GtkWidget            *about_button;
  GtkWidget            *lock_content;
  GtkWidget            *view_stack;
  AdwViewStackPage     *kiosk_stack_page;
  GtkWidget            *plain_warning;
  GtkWidget            *plain_warning_label;
  GtkWidget            *petition_group;
  GtkWidget            *petition_row;
  GtkWidget            *petition_error_row;
  GtkWidget            *choose_button;
  GtkWidget            *coordinator_row;
  GtkWidget            *count_row;
  GtkWidget            *count_label;
  GtkWidget            *kiosk_group;
  GtkWidget            *kiosk_name_row;
  GtkWidget            *kiosk_name_error_row;
  GtkWidget            *event_row;
  GtkWidget            *event_error_row;
  GtkWidget            *kiosk_id_row;
  GtkWidget            *behaviour_group;
  GtkWidget            *idle_row;
  GtkWidget            *idle_spin;
  GtkWidget            *thank_you_row;
  GtkWidget            *thank_you_spin;
  GtkWidget            *language_row;
  GtkWidget            *style_row;
  GtkWidget            *exit_button;
};

/* A page added to the view switcher and its untranslated title, which
 * the switcher shows in the admin page's language. */
typedef struct {
  AdwViewStackPage *page;
  const char       *title;
} PkAdminPageTitle;

G_DEFINE_FINAL_TYPE (PkAdminPage, pk_admin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_SETTINGS,
  PROP_COUNT,
  PROP_LANGUAGE,
  N_PROPS
};

enum {
  PETITION_CHOSEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* In the order of the "style" enum in the GSettings schema. */
static const char * const style_nicks[] = { "system", "light", "dark", "high-contrast" };

/* Why the petition file just chosen cannot be used, under the petition
 * row until a usable one is chosen; NULL clears it. */
static void
pk_admin_page_petition_error (PkAdminPage *self,
                              const char  *detail)
{
  pk_field_error_row_set_message (PK_FIELD_ERROR_ROW (self->petition_error_row),
                                  detail != NULL ? _("This petition file cannot be used") : NULL,
                                  detail);
}

/* The fingerprint a volunteer reads to the coordinator on the phone. */
static void
pk_admin_page_update_coordinator (PkAdminPage *self)
{
  g_autofree char *fingerprint = self->store != NULL ? pk_pinned_coordinator_fingerprint (self->store) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->coordinator_row),
                               fingerprint != NULL ? fingerprint
                                                   : _("None yet: the first petition file with a "
                                                       "coordinator key sets it"));
}

static void
pk_admin_page_update_petition (PkAdminPage *self)
{
  gboolean plain = self->petition != NULL && pk_petition_get_coordinator_key (self->petition) == NULL;

  if (self->petition != NULL)
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *last = self->settings ? g_settings_get_string (self->settings, "last-petition") : NULL;

      subtitle = g_strdup_printf ("%s\n%s", pk_petition_get_title (self->petition, self->language),
                                  last && *last ? last : pk_petition_get_id (self->petition));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->petition_row), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->petition_row), _("No petition loaded"));

  gtk_widget_set_visible (self->plain_warning, plain);
  gtk_widget_set_visible (self->count_row, self->petition != NULL);
  pk_admin_page_update_coordinator (self);
}

static void
pk_admin_page_update_count (PkAdminPage *self)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->count);

  gtk_label_set_label (GTK_LABEL (self->count_label), text);
}

static void
pk_admin_page_update_store (PkAdminPage *self)
{
  g_autofree char *kiosk_name = NULL;
  g_autofree char *event_name = NULL;

  if (self->store == NULL)
    return;

  kiosk_name = pk_store_get_setting (self->store, PK_SETTING_KIOSK_NAME);
  event_name = pk_store_get_setting (self->store, PK_SETTING_EVENT);
  gtk_editable_set_text (GTK_EDITABLE (self->kiosk_name_row), kiosk_name ? kiosk_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->event_row), event_name ? event_name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kiosk_id_row), pk_store_get_kiosk_id (self->store));
  pk_admin_page_update_coordinator (self);
}

static void
pk_admin_page_sync_combos (PkAdminPage *self)
{
  g_autofree char *language = NULL;
  int style;

  if (self->settings == NULL)
    return;

  self->syncing = TRUE;
  language = g_settings_get_string (self->settings, "default-language");
  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    if (g_strcmp0 (language, pk_languages[i]) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->language_row), i);

  style = g_settings_get_enum (self->settings, "style");
  if (style >= 0 && style < (int) G_N_ELEMENTS (style_nicks))
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->style_row), style);
  self->syncing = FALSE;
}

static void
pk_admin_page_retranslate (PkAdminPage *self)
{
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  const char * const styles[] = { _("Follow the system"), _("Light"), _("Dark"), _("High contrast"), NULL };
  g_autoptr(GtkStringList) style_list = gtk_string_list_new (styles);

  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    gtk_string_list_append (languages, pk_language_native_name (pk_languages[i]));

  self->syncing = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->language_row), G_LIST_MODEL (languages));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->style_row), G_LIST_MODEL (style_list));
  self->syncing = FALSE;
  pk_admin_page_sync_combos (self);

  adw_button_content_set_label (ADW_BUTTON_CONTENT (self->lock_content), _("Lock"));
  gtk_widget_set_tooltip_text (self->about_button, _("About Petition Kiosk"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->about_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("About Petition Kiosk"), -1);
  adw_view_stack_page_set_title (self->kiosk_stack_page, _("Kiosk"));
  for (guint i = 0; i < self->titles->len; i++)
    {
      PkAdminPageTitle *added = &g_array_index (self->titles, PkAdminPageTitle, i);

      adw_view_stack_page_set_title (added->page, _(added->title));
    }
  gtk_label_set_label (GTK_LABEL (self->plain_warning_label),
                       _("Signer data on this kiosk is NOT encrypted: this petition file has no coordinator key. "
                         "Anyone holding this laptop can read names and contact details. Keep it with you, and ask "
                         "the coordinator for a petition file with a coordinator key."));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->petition_group), _("Petition"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->petition_row), _("Petition file"));
  gtk_button_set_label (GTK_BUTTON (self->choose_button), _("Choose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a petition file"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->coordinator_row), _("Coordinator fingerprint"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("Signatures on this kiosk"));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->kiosk_group), _("This kiosk"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kiosk_name_row), _("Kiosk name"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->event_row), _("Event"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kiosk_id_row), _("Kiosk identity"));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->behaviour_group), _("Behaviour"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->idle_row), _("Clear an unfinished form after"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->idle_row), _("Seconds without input"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->idle_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Seconds without input before an unfinished form is cleared"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->thank_you_row), _("Show the thank-you screen for"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->thank_you_row), _("Seconds"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->thank_you_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Seconds the thank-you screen is shown"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->language_row), _("Default language"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->style_row), _("Style"));
  gtk_button_set_label (GTK_BUTTON (self->exit_button), _("Exit kiosk"));

  pk_admin_page_update_petition (self);
  pk_language_tag_labels (GTK_WIDGET (self), self->language);
}

static void
on_language_selected (PkAdminPage *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->language_row));

  if (self->syncing || self->settings == NULL || selected >= PK_N_LANGUAGES)
    return;
  g_settings_set_string (self->settings, "default-language", pk_languages[selected]);
}

static void
on_style_selected (PkAdminPage *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->style_row));

  if (self->syncing || self->settings == NULL || selected >= G_N_ELEMENTS (style_nicks))
    return;
  g_settings_set_enum (self->settings, "style", selected);
}

/* Saves what @row holds under @key, unless it is saved already. When
 * it cannot be saved, @error_row beneath the row says so until a later
 * try succeeds. */
static void
pk_admin_page_apply_setting (PkAdminPage *self,
                             const char  *key,
                             GtkEditable *row,
                             GtkWidget   *error_row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (row)));
  g_autofree char *saved = NULL;

  if (self->store == NULL)
    return;

  saved = pk_store_get_setting (self->store, key);
  if (g_strcmp0 (saved != NULL ? saved : "", value) != 0 &&
      !pk_store_set_setting (self->store, key, value, &error))
    pk_field_error_row_set_message (PK_FIELD_ERROR_ROW (error_row), _("Not saved"), error->message);
  else
    pk_field_error_row_set_message (PK_FIELD_ERROR_ROW (error_row), NULL, NULL);
}

/* The kiosk and event names are saved as soon as the organizer leaves
 * the field (Tab, a click elsewhere, Lock) or presses Enter: an apply
 * button that must be pressed lost every name typed and left. */
static void
pk_admin_page_save_names (PkAdminPage *self)
{
  pk_admin_page_apply_setting (self, PK_SETTING_KIOSK_NAME, GTK_EDITABLE (self->kiosk_name_row),
                               self->kiosk_name_error_row);
  pk_admin_page_apply_setting (self, PK_SETTING_EVENT, GTK_EDITABLE (self->event_row),
                               self->event_error_row);
}

static void
pk_admin_page_save_on_leave (PkAdminPage *self,
                             GtkWidget   *row)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "leave", G_CALLBACK (pk_admin_page_save_names), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (row, focus);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (pk_admin_page_save_names), self,
                           G_CONNECT_SWAPPED);
}

static void
on_exit_response (PkAdminPage *self,
                  const char  *response)
{
  if (g_strcmp0 (response, "exit") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.exit", NULL);
}

/* Exit leaves the laptop without a kiosk until someone starts it again:
 * asked first, so that a slip of the finger cannot do it. */
static void
pk_admin_page_exit_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PkAdminPage *self = PK_ADMIN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Exit the Kiosk?"),
                                   _("Nobody can sign here until the kiosk is started again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "exit", _("_Exit Kiosk"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "exit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  pk_language_tag_labels (dialog, self->language);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_exit_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The petition file usually arrives on a USB stick that leaves again;
 * a copy next to the database keeps the kiosk working after a restart. */
static char *
pk_admin_page_import_copy (PkAdminPage *self,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *db_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *target = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GFile) destination = NULL;

  if (self->store == NULL)
    return g_strdup (path);

  db_dir = g_path_get_dirname (pk_store_get_path (self->store));
  dir = g_build_filename (db_dir, "petitions", NULL);
  target = g_build_filename (dir, basename, NULL);

  if (g_strcmp0 (target, path) == 0)
    return g_steal_pointer (&target);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  destination = g_file_new_for_path (target);
  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&target);
}

/* Keeps a copy of the accepted petition file and announces it. */
static gboolean
pk_admin_page_adopt_petition (PkAdminPage  *self,
                              PkPetition   *petition,
                              const char   *path,
                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *copy = pk_admin_page_import_copy (self, path, &local_error);

  if (copy == NULL)
    {
      pk_admin_page_petition_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-petition", copy);

  pk_admin_page_petition_error (self, NULL);
  g_signal_emit (self, signals[PETITION_CHOSEN], 0, petition, copy);
  pk_admin_page_update_coordinator (self);
  return TRUE;
}

static void
on_coordinator_changed (PkAdminPage *self,
                        PkPetition  *petition)
{
  g_autofree char *path = g_steal_pointer (&self->pending_path);

  pk_admin_page_adopt_petition (self, petition, path, NULL);
}

/* A file signed by another coordinator: the change is offered, behind
 * the PIN, with both fingerprints; the file is used only once it went
 * through. */
static void
pk_admin_page_offer_change (PkAdminPage *self,
                            PkPetition  *petition,
                            const char  *path)
{
  PkCoordinatorDialog *dialog;

  g_free (self->pending_path);
  self->pending_path = g_strdup (path);
  dialog = pk_coordinator_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                      self->store, petition, self->language);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (on_coordinator_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
pk_admin_page_import_petition (PkAdminPage *self,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PK_IS_ADMIN_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  petition = pk_petition_new_from_file (path, &local_error);
  if (petition != NULL && self->store != NULL)
    pk_pinned_coordinator_accept (self->store, petition, &local_error);

  if (g_error_matches (local_error, PK_PINNED_COORDINATOR_ERROR,
                       PK_PINNED_COORDINATOR_ERROR_OTHER_COORDINATOR))
    pk_admin_page_offer_change (self, petition, path);
  else if (local_error != NULL)
    pk_admin_page_petition_error (self, local_error->message);
  else
    return pk_admin_page_adopt_petition (self, petition, path, error);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     PkAdminPage     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      pk_admin_page_petition_error (self, _("Only files on this computer or a mounted drive can be opened."));
      return;
    }

  /* Errors are shown under the petition row already. */
  pk_admin_page_import_petition (self, path, NULL);
}

static void
pk_admin_page_choose_petition (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  PkAdminPage *self = PK_ADMIN_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* The native dialog is not a widget: nothing else holds it while it is
   * shown, so the page keeps the reference. */
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Petition File"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Petition files"));
  gtk_file_filter_add_pattern (filter, "*.petition");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
pk_admin_page_add_page (PkAdminPage *self,
                        GtkWidget   *page,
                        const char  *name,
                        const char  *title,
                        const char  *icon)
{
  PkAdminPageTitle added;

  g_return_if_fail (PK_IS_ADMIN_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (name != NULL);
  g_return_if_fail (title != NULL);

  added.page = adw_view_stack_add_titled (ADW_VIEW_STACK (self->view_stack), page, name, _(title));
  added.title = title;
  adw_view_stack_page_set_icon_name (added.page, icon);
  g_array_append_val (self->titles, added);
  /* From now on the admin page's own tagging reaches it too. */
  pk_language_tag_labels (page, self->language);
}

void
_pk_admin_page_set_visible_page (PkAdminPage *self,
                                const char  *name)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->view_stack), name);
}

gboolean
_pk_admin_page_shows_plain_warning (PkAdminPage *self)
{
  g_return_val_if_fail (PK_IS_ADMIN_PAGE (self), FALSE);

  return gtk_widget_get_visible (self->plain_warning);
}

void
pk_admin_page_set_store (PkAdminPage *self,
                         PkStore     *store)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));
  g_return_if_fail (store == NULL || PK_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  pk_admin_page_update_store (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
pk_admin_page_set_petition (PkAdminPage *self,
                            PkPetition  *petition)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (!g_set_object (&self->petition, petition))
    return;

  pk_admin_page_update_petition (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
}

void
pk_admin_page_set_settings (PkAdminPage *self,
                            GSettings   *settings)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    {
      g_settings_unbind (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->idle_spin)), "value");
      g_settings_unbind (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->thank_you_spin)), "value");
      g_signal_handlers_disconnect_by_data (self->settings, self);
    }

  if (!g_set_object (&self->settings, settings))
    return;

  if (settings != NULL)
    {
      g_settings_bind (settings, "idle-timeout",
                       gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->idle_spin)), "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "thank-you-delay",
                       gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->thank_you_spin)), "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_swapped (settings, "changed::default-language",
                                G_CALLBACK (pk_admin_page_sync_combos), self);
      g_signal_connect_swapped (settings, "changed::style",
                                G_CALLBACK (pk_admin_page_sync_combos), self);
      pk_admin_page_sync_combos (self);
    }

  pk_admin_page_update_petition (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

void
pk_admin_page_set_count (PkAdminPage *self,
                         guint64      count)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));

  if (self->count == count)
    return;

  self->count = count;
  pk_admin_page_update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

void
pk_admin_page_set_language (PkAdminPage *self,
                            const char  *language)
{
  g_return_if_fail (PK_IS_ADMIN_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_admin_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
pk_admin_page_dispose (GObject *object)
{
  GtkWidget *child;
  PkAdminPage *self = PK_ADMIN_PAGE (object);

  pk_admin_page_set_settings (self, NULL);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_ADMIN_PAGE);
  /* The template's unnamed top box is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_admin_page_parent_class)->dispose (object);
}

static void
pk_admin_page_finalize (GObject *object)
{
  PkAdminPage *self = PK_ADMIN_PAGE (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->pending_path, g_free);
  g_clear_pointer (&self->titles, g_array_unref);

  G_OBJECT_CLASS (pk_admin_page_parent_class)->finalize (object);
}

static void
pk_admin_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PkAdminPage *self = PK_ADMIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PETITION:
      g_value_set_object (value, self->petition);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_COUNT:
      g_value_set_uint64 (value, self->count);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_admin_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PkAdminPage *self = PK_ADMIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      pk_admin_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PETITION:
      pk_admin_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      pk_admin_page_set_settings (self, g_value_get_object (value));
      break;
    case PROP_COUNT:
      pk_admin_page_set_count (self, g_value_get_uint64 (value));
      break;
    case PROP_LANGUAGE:
      pk_admin_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_admin_page_class_init (PkAdminPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_admin_page_dispose;
  object_class->finalize = pk_admin_page_finalize;
  object_class->get_property = pk_admin_page_get_property;
  object_class->set_property = pk_admin_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PETITION_CHOSEN] = g_signal_new ("petition-chosen", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 2, PK_TYPE_PETITION, G_TYPE_STRING);

  g_type_ensure (PK_TYPE_FIELD_ERROR_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-admin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, about_button);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, lock_content);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, kiosk_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, plain_warning);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, plain_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, petition_group);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, petition_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, coordinator_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, count_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, kiosk_group);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, kiosk_name_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, event_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, event_error_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, kiosk_name_error_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, petition_error_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, kiosk_id_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, behaviour_group);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, idle_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, thank_you_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, thank_you_spin);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, style_row);
  gtk_widget_class_bind_template_child (widget_class, PkAdminPage, exit_button);

  gtk_widget_class_install_action (widget_class, "admin.choose-petition", NULL,
                                   pk_admin_page_choose_petition);
  gtk_widget_class_install_action (widget_class, "admin.exit", NULL, pk_admin_page_exit_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "adminpage");
}

static void
pk_admin_page_init (PkAdminPage *self)
{
  self->titles = g_array_new (FALSE, FALSE, sizeof (PkAdminPageTitle));
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->language_row, "notify::selected",
                           G_CALLBACK (on_language_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->style_row, "notify::selected",
                           G_CALLBACK (on_style_selected), self, G_CONNECT_SWAPPED);
  pk_admin_page_save_on_leave (self, self->kiosk_name_row);
  pk_admin_page_save_on_leave (self, self->event_row);

  pk_admin_page_retranslate (self);
  pk_admin_page_update_count (self);
}
