/* pk-sync-page.c: send signatures to the online petition (admin and
 * coordinator window)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page never blocks: PkSyncer runs on the main loop with libsoup's
 * asynchronous API, so the kiosk keeps taking signatures while it syncs.
 * The API token is kept by pk-sync-page-token.c.
 */
#define G_LOG_DOMAIN "pk-sync-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
/* PRIu64 rather than G_GUINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>
#include <sodium.h>

#include "pk-field-error-row.h"
#include "pk-store-sync.h"
#include "pk-style.h"
#include "pk-sync-page-private.h"
#include "pk-sync.h"

#define SETTING_ENDPOINT   "sync-endpoint"

G_DEFINE_FINAL_TYPE (PkSyncPage, pk_sync_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_pk_sync_page_show_error (PkSyncPage *self,
                          const char *message)
{
  self->store_failed = FALSE;
  gtk_widget_set_visible (self->reread_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL && *message != '\0');
}

void
_pk_sync_page_endpoint_error (PkSyncPage *self,
                              const char *message)
{
  pk_field_error_row_set_message (PK_FIELD_ERROR_ROW (self->endpoint_error_row), message, NULL);
}

char *
_pk_sync_page_get_endpoint (PkSyncPage *self)
{
  g_autofree char *endpoint = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->endpoint_row)));

  g_strstrip (endpoint);
  return *endpoint != '\0' ? g_steal_pointer (&endpoint) : NULL;
}

static const char *
pk_sync_page_petition_id (PkSyncPage *self)
{
  return self->petition != NULL ? pk_petition_get_id (self->petition) : NULL;
}

/* Whether the endpoint row holds an address sync can use. */
static gboolean
pk_sync_page_has_endpoint (PkSyncPage *self)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);

  return endpoint != NULL && pk_sync_check_endpoint (endpoint, NULL);
}

void
_pk_sync_page_update_actions (PkSyncPage *self)
{
  gboolean running = self->cancellable != NULL;
  /* A run starts from counts just read, not from those being read. */
  gboolean can_start = !running && self->read_cancellable == NULL && self->store != NULL;

  /* "Sync now" without an endpoint could only fail. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.start", can_start && pk_sync_page_has_endpoint (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.retry-failed",
                                 can_start && self->n_refused + self->n_unusable > 0);
  /* One action for both rows' buttons; each row hides its button when
   * it has nothing to retry. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.retry-reason", can_start);
  gtk_widget_set_visible (self->retry_refused_button, self->n_refused > 0);
  gtk_widget_set_visible (self->retry_unusable_reply_button, self->n_unusable > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.forget-token", self->token_saved && !running);
}

/* Counts are read when the page is shown (map), not while the window
 * is built: an admin page nobody sees must add nothing to start-up. */
static void
pk_sync_page_refresh_if_shown (PkSyncPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->cancellable == NULL)
    pk_sync_page_refresh (self);
}

void
_pk_sync_page_set_token_saved (PkSyncPage *self,
                               gboolean    saved)
{
  self->token_saved = saved;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                 saved ? _("A token is saved in the keyring")
                                       : _("No token saved"));
  _pk_sync_page_update_actions (self);
}

/* AdwPasswordEntryRow's eye button holds only an icon and has no name
 * of its own: a screen reader read it as "GtkImage" (issue 13). It is
 * the row's one shown button (its apply button stays hidden). */
static void
label_peek_button (GtkWidget  *widget,
                   const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    label_peek_button (child, label);
}

static void
pk_sync_page_retranslate (PkSyncPage *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->status_group), _("Online petition"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row), _("Waiting to be sent"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->sent_row), _("Sent"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->failed_row), _("Refused by the server"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->unusable_row), _("No usable answer from the server"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_contact_row), _("Not sendable: no email or phone"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->no_contact_row), _("Action Network needs one of them"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_opt_in_row), _("Not sent: no opt-in"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->no_opt_in_row),
                               _("Action Network would subscribe them to its emails; they stay in the CSV export"));
  gtk_button_set_label (GTK_BUTTON (self->retry_refused_button), _("Retry"));
  gtk_button_set_label (GTK_BUTTON (self->retry_unusable_reply_button), _("Retry"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_refused_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Retry the refused signatures"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_unusable_reply_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Retry the signatures without a usable answer"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->opt_in_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Send signers without opt-in"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->last_synced_row), _("Last synced"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync progress"), -1);
  gtk_button_set_label (GTK_BUTTON (self->stop_button), _("Stop"));
  gtk_button_set_label (GTK_BUTTON (self->retry_button), _("Retry failed"));
  gtk_button_set_label (GTK_BUTTON (self->sync_button), _("Sync now"));
  gtk_button_set_label (GTK_BUTTON (self->reread_button), _("Try Again"));
  _pk_sync_page_retranslate_reading (self);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->failures_group),
                                   _("Signatures not sent, with the reason"));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->server_group), _("Server"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->server_group),
                                         _("The petition’s OSDI signatures URL and API token, for "
                                           "example from the API and Sync page of Action Network."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row), _("Endpoint URL"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _("API token"));
  label_peek_button (self->token_row, _("Show or hide the token"));
  gtk_button_set_label (GTK_BUTTON (self->forget_button), _("Forget"));
  _pk_sync_page_set_token_saved (self, self->token_saved);
  pk_sync_page_refresh_if_shown (self);
}

static void
on_syncer_progress (PkSyncPage *self,
                    PkSyncer   *syncer)
{
  g_autofree char *text = NULL;

  PkSyncCounts counts = { 0 };

  counts.pending = pk_syncer_get_pending (syncer);
  counts.sent = pk_syncer_get_sent (syncer);
  counts.failed = pk_syncer_get_failed (syncer);
  counts.no_opt_in = pk_syncer_get_no_opt_in (syncer);
  counts.no_contact = pk_syncer_get_no_contact (syncer);
  /* Unusable answers are counted again when the run ends. */
  counts.unusable = self->n_unusable;
  _pk_sync_page_show_counts (self, &counts);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), pk_syncer_get_fraction (syncer));
  text = g_strdup_printf ("%.0f %%", 100.0 * pk_syncer_get_fraction (syncer));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
  _pk_sync_page_show_error (self, pk_syncer_get_last_error (syncer));
}

void
_pk_sync_page_run_finished (PkSyncPage *self)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->retry_reason, g_free);
  if (self->syncer != NULL)
    g_signal_handlers_disconnect_by_data (self->syncer, self);
  g_clear_object (&self->syncer);
  /* The run's last "… %" would otherwise stay on screen. */
  gtk_widget_set_visible (self->progress_bar, FALSE);
  _pk_sync_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Action Network ignores tags the group lacks, silently; say which. */
static void
pk_sync_page_append_tags (GString  *message,
                          PkSyncer *syncer)
{
  g_auto(GStrv) missing = pk_syncer_dup_missing_tags (syncer);

  if (missing[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", missing);

      if (message->len > 0)
        g_string_append (message, "\n");
      g_string_append_printf (message,
                              _("Action Network has no tags with these names, so it did not apply "
                                "them: %s. Create them there, under the same names."), list);
    }
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PkSyncPage) self = user_data;
  PkSyncer *syncer = PK_SYNCER (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  gboolean ok = pk_syncer_run_finish (syncer, result, &error);

  if (self->disposed)
    return;
  if (!ok
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_string_append (message, error->message);
  if (pk_syncer_get_unreadable (syncer) > 0)
    {
      if (message->len > 0)
        g_string_append (message, "\n");
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%" PRIu64 " encrypted signature cannot be read here: "
                                           "it is sent from the coordinator’s master.",
                                           "%" PRIu64 " encrypted signatures cannot be read here: "
                                           "they are sent from the coordinator’s master.",
                                           (gulong) pk_syncer_get_unreadable (syncer)),
                              pk_syncer_get_unreadable (syncer));
    }

  pk_sync_page_append_tags (message, syncer);
  _pk_sync_page_run_finished (self);
  pk_sync_page_refresh (self);
  _pk_sync_page_show_error (self, message->str);
}

void
_pk_sync_page_start_with_token (PkSyncPage *self,
                                char       *token)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);
  g_autoptr(GError) error = NULL;
  PkSyncer *syncer;

  if (token == NULL)
    {
      _pk_sync_page_run_finished (self);
      _pk_sync_page_show_error (self, _("No API token is saved for this endpoint. Enter it under "
                                        "“Server” and press Enter to save it."));
      return;
    }

  syncer = pk_syncer_new (self->store, endpoint, token, &error);
  if (syncer == NULL)
    {
      _pk_sync_page_run_finished (self);
      _pk_sync_page_show_error (self, error->message);
      return;
    }
  self->syncer = syncer;
  pk_syncer_set_petition_id (syncer, pk_sync_page_petition_id (self));
  if (self->petition != NULL)
    pk_syncer_set_own_coordinator_key (syncer, pk_petition_get_coordinator_key (self->petition));
  if (self->coordinator_key != NULL)
    pk_syncer_set_coordinator_key (syncer, self->coordinator_key);
  pk_syncer_set_send_without_opt_in (syncer, self->without_opt_in);

  if (self->retry_failed
      && !pk_store_sync_reset_failed (self->store, pk_sync_page_petition_id (self),
                                      self->retry_reason, NULL, &error))
    {
      _pk_sync_page_run_finished (self);
      _pk_sync_page_show_error (self, error->message);
      return;
    }

  g_signal_connect_object (syncer, "progress", G_CALLBACK (on_syncer_progress), self,
                           G_CONNECT_SWAPPED);
  _pk_sync_page_show_error (self, NULL);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), "0 %");
  gtk_widget_set_visible (self->progress_bar, TRUE);
  pk_syncer_run_async (syncer, self->cancellable, run_cb, g_object_ref (self));
}

void
pk_sync_page_sync (PkSyncPage *self,
                   gboolean    retry_failed)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PK_IS_SYNC_PAGE (self));

  if (self->cancellable != NULL || self->store == NULL)
    return;

  endpoint = _pk_sync_page_get_endpoint (self);
  if (endpoint == NULL)
    {
      _pk_sync_page_endpoint_error (self, _("Enter the petition’s endpoint URL first."));
      return;
    }
  if (!pk_sync_check_endpoint (endpoint, &error) ||
      !pk_store_set_setting (self->store, SETTING_ENDPOINT, endpoint, &error))
    {
      _pk_sync_page_endpoint_error (self, error->message);
      return;
    }
  _pk_sync_page_endpoint_error (self, NULL);

  self->retry_failed = retry_failed;
  self->cancellable = g_cancellable_new ();
  _pk_sync_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  _pk_sync_page_find_token (self, endpoint);
}

gboolean
_pk_sync_page_get_running (PkSyncPage *self)
{
  g_return_val_if_fail (PK_IS_SYNC_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

static void
sync_start_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  pk_sync_page_sync (PK_SYNC_PAGE (widget), FALSE);
}

/* Try Again, after the master could not be read. */
static void
sync_reread_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pk_sync_page_refresh (PK_SYNC_PAGE (widget));
}

static void
sync_retry_failed_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_clear_pointer (&PK_SYNC_PAGE (widget)->retry_reason, g_free);
  pk_sync_page_sync (PK_SYNC_PAGE (widget), TRUE);
}

static void
sync_retry_reason_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PkSyncPage *self = PK_SYNC_PAGE (widget);

  g_free (self->retry_reason);
  self->retry_reason = g_variant_dup_string (parameter, NULL);
  pk_sync_page_sync (self, TRUE);
}

static void
opt_in_response_cb (PkSyncPage *self,
                    const char *response)
{
  g_autoptr(GError) error = NULL;
  gboolean send = g_strcmp0 (response, "send") == 0;

  if (send && !pk_store_set_setting (self->store, SETTING_NO_OPT_IN, "1", &error))
    {
      _pk_sync_page_show_error (self, error->message);
      send = FALSE;
    }
  self->without_opt_in = send;
  gtk_switch_set_state (GTK_SWITCH (self->opt_in_switch), send);
  gtk_switch_set_active (GTK_SWITCH (self->opt_in_switch), send);
  pk_sync_page_refresh (self);
}

/* Turning it on asks first, naming the consequence: the switch changes
 * state only once the coordinator confirmed. */
static gboolean
on_opt_in_state_set (PkSyncPage *self,
                     gboolean    state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->store == NULL || state == self->without_opt_in)
    return FALSE;
  if (!state)
    {
      if (pk_store_set_setting (self->store, SETTING_NO_OPT_IN, "0", &error))
        self->without_opt_in = FALSE;
      else
        _pk_sync_page_show_error (self, error->message);
      pk_sync_page_refresh (self);
      return FALSE;
    }
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Action Network subscribes every person new to the list "
                                       "to its emails, whatever is sent. %" PRIu64 " signer did "
                                       "not tick the opt-in box and would be subscribed all the same.",
                                       "Action Network subscribes every person new to the list "
                                       "to its emails, whatever is sent. %" PRIu64 " signers did "
                                       "not tick the opt-in box and would be subscribed all the same.",
                                       (gulong) self->n_no_opt_in),
                          self->n_no_opt_in);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Send signers without opt-in?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep them back"),
                                    "send", _("_Send and subscribe them"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (opt_in_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
sync_stop_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PkSyncPage *self = PK_SYNC_PAGE (widget);

  /* The answer in flight is still recorded; the rest stays pending. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_endpoint_apply (PkSyncPage *self)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);
  g_autoptr(GError) error = NULL;

  if (endpoint == NULL)
    return;
  if (!pk_sync_check_endpoint (endpoint, &error)
      || !pk_store_set_setting (self->store, SETTING_ENDPOINT, endpoint, &error))
    _pk_sync_page_endpoint_error (self, error->message);
  else
    _pk_sync_page_endpoint_error (self, NULL);
}

/* An endpoint error goes as soon as the URL typed is a usable one, not
 * only when it is applied. */
static void
on_endpoint_changed (PkSyncPage *self)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);

  if (endpoint != NULL && pk_sync_check_endpoint (endpoint, NULL))
    _pk_sync_page_endpoint_error (self, NULL);
  _pk_sync_page_update_actions (self);
}

static void
pk_sync_page_set_store (PkSyncPage *self,
                        PkStore    *store)
{
  g_autofree char *endpoint = NULL;

  if (!g_set_object (&self->store, store) || store == NULL)
    return;
  endpoint = pk_store_get_setting (store, SETTING_ENDPOINT);
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), endpoint != NULL ? endpoint : "");
  _pk_sync_page_check_saved_token (self);
  _pk_sync_page_update_actions (self);
  pk_sync_page_refresh_if_shown (self);
}

void
pk_sync_page_set_petition (PkSyncPage *self,
                           PkPetition *petition)
{
  g_return_if_fail (PK_IS_SYNC_PAGE (self));

  if (!g_set_object (&self->petition, petition))
    return;
  pk_sync_page_refresh_if_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
}

void
pk_sync_page_set_language (PkSyncPage *self,
                           const char *language)
{
  g_return_if_fail (PK_IS_SYNC_PAGE (self));

  /* Always re-translate: LANGUAGE may have changed under the same name. */
  g_free (self->language);
  self->language = g_strdup (language);
  pk_sync_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
pk_sync_page_set_coordinator_key (PkSyncPage             *self,
                                  const PkCoordinatorKey *key)
{
  g_return_if_fail (PK_IS_SYNC_PAGE (self));

  g_clear_pointer (&self->coordinator_key, pk_coordinator_key_free);
  if (key == NULL)
    return;
  self->coordinator_key = sodium_malloc (sizeof *self->coordinator_key);
  if (self->coordinator_key == NULL)
    g_error ("out of guarded memory");
  memcpy (self->coordinator_key, key, sizeof *key);
}

GtkWidget *
pk_sync_page_new (PkStore *store)
{
  g_return_val_if_fail (PK_IS_STORE (store), NULL);

  return g_object_new (PK_TYPE_SYNC_PAGE, "store", store, NULL);
}

static void
pk_sync_page_map (GtkWidget *widget)
{
  PkSyncPage *self = PK_SYNC_PAGE (widget);

  GTK_WIDGET_CLASS (pk_sync_page_parent_class)->map (widget);
  /* Signatures arrive while the page is hidden; show fresh counts. */
  if (self->cancellable == NULL)
    pk_sync_page_refresh (self);
}

static void
pk_sync_page_dispose (GObject *object)
{
  PkSyncPage *self = PK_SYNC_PAGE (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  _pk_sync_page_cancel_read (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_SYNC_PAGE);
  g_clear_object (&self->syncer);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);
  g_clear_pointer (&self->coordinator_key, pk_coordinator_key_free);

  G_OBJECT_CLASS (pk_sync_page_parent_class)->dispose (object);
}

static void
pk_sync_page_finalize (GObject *object)
{
  PkSyncPage *self = PK_SYNC_PAGE (object);

  g_free (self->language);
  g_free (self->retry_reason);

  G_OBJECT_CLASS (pk_sync_page_parent_class)->finalize (object);
}

static void
pk_sync_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PkSyncPage *self = PK_SYNC_PAGE (object);

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
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_sync_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PkSyncPage *self = PK_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      pk_sync_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PETITION:
      pk_sync_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_sync_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_sync_page_class_init (PkSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_sync_page_dispose;
  object_class->finalize = pk_sync_page_finalize;
  object_class->get_property = pk_sync_page_get_property;
  object_class->set_property = pk_sync_page_set_property;
  widget_class->map = pk_sync_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  /* The page may be built before any other (tests, coordinator window). */
  pk_style_ensure_resources ();
  g_type_ensure (PK_TYPE_FIELD_ERROR_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, pending_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, pending_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, sent_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, sent_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, failed_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, failed_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, retry_refused_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, unusable_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, unusable_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, retry_unusable_reply_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, no_contact_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, no_contact_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, no_opt_in_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, no_opt_in_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, opt_in_switch);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, last_synced_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, last_synced_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, reading_box);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, reading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, reading_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, reread_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, failures_group);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, failures_label);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, endpoint_error_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, token_status_row);
  gtk_widget_class_bind_template_child (widget_class, PkSyncPage, forget_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_token_apply",
                                                G_CALLBACK (_pk_sync_page_token_apply));
  gtk_widget_class_bind_template_callback (widget_class, on_endpoint_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_opt_in_state_set);

  gtk_widget_class_install_action (widget_class, "sync.start", NULL, sync_start_action);
  gtk_widget_class_install_action (widget_class, "sync.retry-failed", NULL, sync_retry_failed_action);
  gtk_widget_class_install_action (widget_class, "sync.retry-reason", "s", sync_retry_reason_action);
  gtk_widget_class_install_action (widget_class, "sync.stop", NULL, sync_stop_action);
  gtk_widget_class_install_action (widget_class, "sync.reread", NULL, sync_reread_action);
  gtk_widget_class_install_action (widget_class, "sync.forget-token", NULL, _pk_sync_page_forget_token);
}

static void
pk_sync_page_init (PkSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->endpoint_row, "changed",
                           G_CALLBACK (on_endpoint_changed), self, G_CONNECT_SWAPPED);
  /* The .ui file holds no strings: the page speaks the current language
   * until it is given one (the coordinator's window never does). */
  pk_sync_page_retranslate (self);
}
