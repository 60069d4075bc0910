/* pk-pin-page.c: the organizer PIN, asked before admin opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-pin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-pin.h"
#include "pk-pin-page-private.h"

struct _PkPinPage
{
  GtkWidget  parent_instance;

  PkStore   *store;
  gboolean   setting_up;
  guint      wait_left;      /* seconds until the next attempt may be made */
  guint      countdown_id;

  GtkWidget *title_label;
  GtkWidget *hint_label;
  GtkWidget *pin_entry;
  GtkWidget *confirm_entry;
  GtkWidget *status_label;
  GtkWidget *cancel_button;
  GtkWidget *ok_button;
};

G_DEFINE_FINAL_TYPE (PkPinPage, pk_pin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  UNLOCKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
pk_pin_page_show_status (PkPinPage  *self,
                         const char *message)
{
  gtk_label_set_label (GTK_LABEL (self->status_label), message ? message : "");
  gtk_widget_set_visible (self->status_label, message != NULL);
}

static void
pk_pin_page_update_wait (PkPinPage *self)
{
  g_autofree char *message = NULL;
  gboolean waiting = self->wait_left > 0;

  /* Not insensitive: the entry keeps the focus it has, and typing simply
   * does nothing until the wait is over. */
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_entry), !waiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.submit", !waiting);

  if (!waiting)
    return;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Wrong PIN. You can try again in %u second.",
                                          "Wrong PIN. You can try again in %u seconds.",
                                          self->wait_left),
                             self->wait_left);
  pk_pin_page_show_status (self, message);
}

static gboolean
pk_pin_page_countdown_tick (gpointer user_data)
{
  PkPinPage *self = user_data;

  /* The store's clock decides, not a count of ticks: a seconds timeout
   * may fire early, and a countdown that ended before the store's wait
   * would refuse the right PIN. */
  self->wait_left = self->store != NULL ? pk_pin_get_wait (self->store) : 0;
  pk_pin_page_update_wait (self);

  if (self->wait_left == 0)
    {
      self->countdown_id = 0;
      pk_pin_page_show_status (self, _("Wrong PIN. Please try again."));
      gtk_widget_grab_focus (self->pin_entry);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
pk_pin_page_start_wait (PkPinPage *self,
                        guint      seconds)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->wait_left = seconds;
  pk_pin_page_update_wait (self);
  if (seconds > 0)
    self->countdown_id = g_timeout_add_seconds (1, pk_pin_page_countdown_tick, self);
}

void
pk_pin_page_retranslate (PkPinPage *self)
{
  g_return_if_fail (PK_IS_PIN_PAGE (self));

  if (self->setting_up)
    {
      gtk_label_set_label (GTK_LABEL (self->title_label), _("Choose an organizer PIN"));
      gtk_label_set_label (GTK_LABEL (self->hint_label),
                           _("The PIN protects the admin screen of this kiosk. Use at least four characters and keep it among the organizers."));
      gtk_button_set_label (GTK_BUTTON (self->ok_button), _("Set PIN"));
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (self->title_label), _("Organizer PIN"));
      gtk_label_set_label (GTK_LABEL (self->hint_label),
                           _("Enter the PIN to open the admin screen."));
      gtk_button_set_label (GTK_BUTTON (self->ok_button), _("Unlock"));
    }

  gtk_widget_set_visible (self->confirm_entry, self->setting_up);
  /* On a fresh kiosk there is nothing to go back to until a PIN exists. */
  gtk_widget_set_visible (self->cancel_button, !self->setting_up);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("Cancel"));
  g_object_set (self->pin_entry, "placeholder-text", _("PIN"), NULL);
  g_object_set (self->confirm_entry, "placeholder-text", _("PIN again"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("PIN"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("PIN again, to confirm"), -1);
  pk_pin_page_update_wait (self);
}

static void
pk_pin_page_do_submit (PkPinPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  guint wait = 0;

  if (self->store == NULL || self->wait_left > 0)
    return;

  if (self->setting_up)
    {
      const char *confirmation = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));

      if (g_utf8_strlen (pin, -1) < PK_PIN_MIN_CHARS)
        {
          pk_pin_page_show_status (self, _("The PIN needs at least four characters."));
          gtk_widget_grab_focus (self->pin_entry);
          return;
        }
      if (g_strcmp0 (pin, confirmation) != 0)
        {
          pk_pin_page_show_status (self, _("The two PINs differ. Please type them again."));
          gtk_editable_set_text (GTK_EDITABLE (self->confirm_entry), "");
          gtk_widget_grab_focus (self->confirm_entry);
          return;
        }
      if (!pk_pin_set (self->store, pin, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The PIN could not be saved: %s"), error->message);
          pk_pin_page_show_status (self, message);
          return;
        }
      pk_pin_page_prepare (self);
      g_signal_emit (self, signals[UNLOCKED], 0);
      return;
    }

  if (pk_pin_check (self->store, pin, &wait, &error))
    {
      pk_pin_page_prepare (self);
      g_signal_emit (self, signals[UNLOCKED], 0);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  if (error != NULL && !g_error_matches (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG) &&
      !g_error_matches (error, PK_PIN_ERROR, PK_PIN_ERROR_WAIT))
    {
      pk_pin_page_show_status (self, error->message);
      return;
    }

  if (wait > 0)
    pk_pin_page_start_wait (self, wait);
  else
    pk_pin_page_show_status (self, _("Wrong PIN. Please try again."));
  gtk_widget_grab_focus (self->pin_entry);
}

static void
pk_pin_page_submit_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  pk_pin_page_do_submit (PK_PIN_PAGE (widget));
}

void
pk_pin_page_prepare (PkPinPage *self)
{
  g_return_if_fail (PK_IS_PIN_PAGE (self));

  self->setting_up = self->store != NULL && !pk_pin_is_set (self->store);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_entry), "");
  pk_pin_page_show_status (self, NULL);
  /* A delay earned before survives leaving the page: walking away and
   * back must not reset it. */
  pk_pin_page_start_wait (self, self->store ? pk_pin_get_wait (self->store) : 0);
  pk_pin_page_retranslate (self);
}

const char *
_pk_pin_page_get_status (PkPinPage *self)
{
  g_return_val_if_fail (PK_IS_PIN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->status_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->status_label));
}

gboolean
pk_pin_page_is_setting_up (PkPinPage *self)
{
  g_return_val_if_fail (PK_IS_PIN_PAGE (self), FALSE);

  return self->setting_up;
}

guint
_pk_pin_page_get_wait_left (PkPinPage *self)
{
  g_return_val_if_fail (PK_IS_PIN_PAGE (self), 0);

  return self->wait_left;
}

void
pk_pin_page_set_store (PkPinPage *self,
                       PkStore   *store)
{
  g_return_if_fail (PK_IS_PIN_PAGE (self));
  g_return_if_fail (store == NULL || PK_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      pk_pin_page_prepare (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

static void
on_pin_activate (PkPinPage *self)
{
  if (self->setting_up && gtk_widget_get_visible (self->confirm_entry) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry)) == '\0')
    {
      gtk_widget_grab_focus (self->confirm_entry);
      return;
    }
  pk_pin_page_do_submit (self);
}

/* The page's focus is its PIN field: a PIN typed on a USB keyboard as
 * soon as the prompt shows lands there. */
static gboolean
pk_pin_page_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (PK_PIN_PAGE (widget)->pin_entry);
}

static void
pk_pin_page_dispose (GObject *object)
{
  GtkWidget *child;
  PkPinPage *self = PK_PIN_PAGE (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_PIN_PAGE);
  /* The template's unnamed top box is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pk_pin_page_parent_class)->dispose (object);
}

static void
pk_pin_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PkPinPage *self = PK_PIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_pin_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PkPinPage *self = PK_PIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      pk_pin_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_pin_page_class_init (PkPinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_pin_page_dispose;
  object_class->get_property = pk_pin_page_get_property;
  object_class->set_property = pk_pin_page_set_property;

  widget_class->grab_focus = pk_pin_page_grab_focus;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-pin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PkPinPage, ok_button);

  gtk_widget_class_install_action (widget_class, "pin.submit", NULL, pk_pin_page_submit_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinpage");
}

static void
pk_pin_page_init (PkPinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->pin_entry, "activate",
                           G_CALLBACK (on_pin_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->confirm_entry, "activate",
                           G_CALLBACK (pk_pin_page_do_submit), self, G_CONNECT_SWAPPED);

  pk_pin_page_retranslate (self);
}
