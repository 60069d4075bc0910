/* pk-window.c: the kiosk window, its pages and lock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-idle-guard.h"
#include "pk-language.h"
#include "pk-pin.h"
#include "pk-style.h"
#include "pk-batches-page.h"
#include "pk-coordinator-window.h"
#include "pk-paper-page.h"
#include "pk-sync-page.h"
#include "pk-window-private.h"

struct _PkWindow
{
  AdwApplicationWindow parent_instance;

  PkStore        *store;
  PkPetition     *petition;
  GSettings      *settings;
  char           *language;
  guint           thank_you_delay;

  gboolean        allow_close;
  guint           thank_you_id;

  GtkWidget      *stack;
  PkIdleGuard    *idle_guard;
  PkWelcomePage  *welcome_page;
  /* Built when a signer first taps "Sign" (pk_window_ensure_signer_pages):
   * the welcome screen is all the first frame shows. NULL until then;
   * owned by the stack. */
  PkFormPage     *form_page;
  PkThankYouPage *thank_you_page;
  /* Built when first needed (pk_window_ensure_pin_page): at once on a
   * first run, otherwise when the organizer asks for admin. NULL until
   * then; owned by the stack. */
  PkPinPage      *pin_page;
  /* Built on first use (pk_window_ensure_admin_page): the organizer's
   * pages and their templates are most of the window, and a signer
   * never sees them, so they are kept out of the first frame. NULL until
   * then; owned by the stack. */
  PkAdminPage    *admin_page;
};

G_DEFINE_FINAL_TYPE (PkWindow, pk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_SETTINGS,
  PROP_LANGUAGE,
  PROP_THANK_YOU_DELAY,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pk_window_show_page (PkWindow   *self,
                     const char *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
}

static char *
pk_window_default_language (PkWindow *self)
{
  g_autofree char *language = NULL;

  if (self->settings != NULL)
    language = g_settings_get_string (self->settings, "default-language");
  if (language == NULL || !pk_language_is_supported (language))
    return g_strdup ("ko");
  return g_steal_pointer (&language);
}

static void
pk_window_retranslate (PkWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Petition Kiosk"));
  if (self->pin_page != NULL)
    {
      pk_pin_page_retranslate (self->pin_page);
      pk_language_tag_labels (GTK_WIDGET (self->pin_page), self->language);
    }
}

void
pk_window_refresh_count (PkWindow *self)
{
  guint64 count = 0;

  g_return_if_fail (PK_IS_WINDOW (self));

  if (self->petition != NULL)
    count = pk_store_count (self->store, pk_petition_get_id (self->petition));
  pk_welcome_page_set_count (self->welcome_page, count);
  if (self->admin_page != NULL)
    pk_admin_page_set_count (self->admin_page, count);
}

/* Whether @window was opened from admin: the coordinator's window, or
 * a dialog or file chooser over this window or over one of those. */
static gboolean
pk_window_opened_from_admin (PkWindow  *self,
                             GtkWindow *window)
{
  for (GtkWindow *w = window; w != NULL; w = gtk_window_get_transient_for (w))
    if (w == GTK_WINDOW (self) || PK_IS_COORDINATOR_WINDOW (w))
      return TRUE;
  return FALSE;
}

/* Going home (Lock, or admin left idle) leaves nothing of admin behind
 * the welcome screen for Alt+Tab to bring forward: every window opened
 * from admin is closed. */
static void
pk_window_close_admin_windows (PkWindow *self)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GList *doomed = NULL;

  /* Chosen before any is closed: closing one unsets the transient
   * parent of those above it. A hidden one is a file chooser kept for
   * next time by its owner, and shows nothing. */
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != self && gtk_widget_get_visible (l->data) &&
        pk_window_opened_from_admin (self, l->data))
      doomed = g_list_prepend (doomed, g_object_ref (l->data));
  g_list_free (toplevels);

  for (GList *l = doomed; l != NULL; l = l->next)
    {
      /* A file chooser belongs to the GtkFileChooserNative that showed
       * it: cancelled, it hides, and its owner hears "cancel". */
      if (GTK_IS_DIALOG (l->data))
        gtk_dialog_response (l->data, GTK_RESPONSE_CANCEL);
      else
        gtk_window_destroy (l->data);
    }
  g_list_free_full (doomed, g_object_unref);
}

void
pk_window_go_home (PkWindow *self)
{
  g_autofree char *language = NULL;

  g_return_if_fail (PK_IS_WINDOW (self));

  g_clear_handle_id (&self->thank_you_id, g_source_remove);
  /* Lock, or admin left idle, leaves nothing of admin behind. */
  pk_window_close_admin_windows (self);
  /* Nothing one signer typed, ticked or drew may be seen by the next. */
  if (self->form_page != NULL)
    pk_form_page_reset (self->form_page);
  if (self->pin_page != NULL)
    pk_pin_page_prepare (self->pin_page);

  language = pk_window_default_language (self);
  pk_window_set_language (self, language);
  pk_window_refresh_count (self);
  pk_window_show_page (self, "welcome");
}

/* Left untouched, a form has nothing to protect: it goes back to the
 * welcome screen quietly instead of asking "Still there?". */
static gboolean
on_idle (PkIdleGuard *idle_guard,
         PkWindow    *self)
{
  if (g_strcmp0 (pk_window_get_visible_page (self), "form") != 0 ||
      pk_form_page_holds_data (self->form_page))
    return FALSE;

  pk_window_go_home (self);
  return TRUE;
}

static gboolean
on_thank_you_elapsed (gpointer user_data)
{
  PkWindow *self = user_data;

  self->thank_you_id = 0;
  pk_window_go_home (self);
  return G_SOURCE_REMOVE;
}

static void
on_form_signed (PkFormPage *form_page,
                PkWindow   *self)
{
  /* Cleared at once, not when the thank-you screen ends: the form is
   * never left holding a finished signer's data. */
  pk_form_page_reset (self->form_page);
  pk_window_refresh_count (self);
  pk_window_show_page (self, "thank-you");

  g_clear_handle_id (&self->thank_you_id, g_source_remove);
  self->thank_you_id = g_timeout_add_seconds (self->thank_you_delay, on_thank_you_elapsed, self);
}

static void
on_petition_chosen (PkAdminPage *admin_page,
                    PkPetition  *petition,
                    const char  *path,
                    PkWindow    *self)
{
  pk_window_set_petition (self, petition);
}

/* Adds @page to admin's view switcher; like admin itself, it follows
 * the window's petition and language from here on. The pages are wired
 * from here, never add themselves: none of them knows this window. */
static void
pk_window_add_admin_page (PkWindow   *self,
                          GtkWidget  *page,
                          const char *name,
                          const char *title,
                          const char *icon)
{
  pk_admin_page_add_page (self->admin_page, page, name, title, icon);
  g_object_bind_property (self, "language", page, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "petition", page, "petition", G_BINDING_SYNC_CREATE);
}

/* Builds the admin page and the pages added to it, once. They follow
 * the window's store, settings, petition and language from here on, and
 * take the current ones now: a kiosk switched to German before the
 * organizer's first visit shows admin in German. */
static PkAdminPage *
pk_window_ensure_admin_page (PkWindow *self)
{
  GtkWidget *admin;

  if (self->admin_page != NULL)
    return self->admin_page;

  admin = g_object_new (PK_TYPE_ADMIN_PAGE, NULL);
  self->admin_page = PK_ADMIN_PAGE (admin);
  gtk_stack_add_named (GTK_STACK (self->stack), admin, "admin");

  pk_admin_page_set_store (self->admin_page, self->store);
  pk_admin_page_set_settings (self->admin_page, self->settings);
  g_object_bind_property (self, "language", admin, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "petition", admin, "petition", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (admin, "petition-chosen", G_CALLBACK (on_petition_chosen), self, 0);

  pk_window_add_admin_page (self, pk_paper_page_new (self->store), "paper",
                            N_("Paper"), "document-print-symbolic");
  pk_window_add_admin_page (self, pk_batches_page_new (self->store), "batches",
                            N_("Batches"), "drive-removable-media-symbolic");
  pk_window_add_admin_page (self, pk_sync_page_new (self->store), "sync",
                            N_("Sync"), "emblem-synchronizing-symbolic");

  pk_window_refresh_count (self);
  return self->admin_page;
}

/* Builds the form and thank-you pages, once; they follow the window's
 * store, petition and language from here on and take the current ones
 * now. */
static void
pk_window_ensure_signer_pages (PkWindow *self)
{
  GtkWidget *form;
  GtkWidget *thank_you;

  if (self->form_page != NULL)
    return;

  form = g_object_new (PK_TYPE_FORM_PAGE, NULL);
  thank_you = g_object_new (PK_TYPE_THANK_YOU_PAGE, NULL);
  self->form_page = PK_FORM_PAGE (form);
  self->thank_you_page = PK_THANK_YOU_PAGE (thank_you);
  gtk_stack_add_named (GTK_STACK (self->stack), form, "form");
  gtk_stack_add_named (GTK_STACK (self->stack), thank_you, "thank-you");

  pk_form_page_set_store (self->form_page, self->store);
  g_object_bind_property (self, "language", form, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "language", thank_you, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "petition", form, "petition", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "petition", thank_you, "petition", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (form, "signed", G_CALLBACK (on_form_signed), self, 0);
}

/* The organizer's screens speak the kiosk's default language, not the
 * one the last passer-by picked. */
static void
pk_window_use_default_language (PkWindow *self)
{
  g_autofree char *language = pk_window_default_language (self);

  pk_window_set_language (self, language);
}

static void
on_pin_unlocked (PkWindow *self)
{
  pk_window_use_default_language (self);
  pk_window_ensure_admin_page (self);
  pk_window_refresh_count (self);
  pk_window_show_page (self, "admin");
}

/* Whether @page holds someone's data or the organizer's access, for the
 * idle guard to clear when left alone. The welcome screen holds
 * nothing, and the thank-you screen has its own timer. Choosing the
 * first PIN is never interrupted: leaving it would put a kiosk without
 * a PIN in front of passers-by. */
static gboolean
pk_window_page_is_guarded (PkWindow   *self,
                           const char *page)
{
  return g_strcmp0 (page, "form") == 0 || g_strcmp0 (page, "admin") == 0 ||
         (g_strcmp0 (page, "pin") == 0 && !pk_pin_page_is_setting_up (self->pin_page));
}

static void
on_visible_page_changed (PkWindow *self)
{
  const char *page = pk_window_get_visible_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.exit", g_strcmp0 (page, "admin") == 0);
  pk_idle_guard_screen_shown (self->idle_guard, pk_window_page_is_guarded (self, page));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static void
pk_window_ensure_pin_page (PkWindow *self)
{
  GtkWidget *pin;

  if (self->pin_page != NULL)
    return;

  pin = g_object_new (PK_TYPE_PIN_PAGE, NULL);
  self->pin_page = PK_PIN_PAGE (pin);
  gtk_stack_add_named (GTK_STACK (self->stack), pin, "pin");
  pk_pin_page_set_store (self->pin_page, self->store);
  pk_pin_page_retranslate (self->pin_page);
  pk_language_tag_labels (pin, self->language);
  g_signal_connect_object (pin, "unlocked", G_CALLBACK (on_pin_unlocked), self, G_CONNECT_SWAPPED);
}

static void
pk_window_sign_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PkWindow *self = PK_WINDOW (widget);

  if (self->petition == NULL)
    return;

  pk_window_ensure_signer_pages (self);
  pk_form_page_reset (self->form_page);
  pk_window_show_page (self, "form");
  /* After the page is shown: showing it gives the focus back to where
   * it was when the page was last left, Submit perhaps. */
  pk_form_page_start (self->form_page);
}

static void
pk_window_admin_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PkWindow *self = PK_WINDOW (widget);
  const char *page = pk_window_get_visible_page (self);

  if (g_strcmp0 (page, "admin") == 0 || g_strcmp0 (page, "pin") == 0)
    return;

  /* Whatever a signer left on the form is cleared before the organizer
   * takes over. */
  if (self->form_page != NULL)
    pk_form_page_reset (self->form_page);
  g_clear_handle_id (&self->thank_you_id, g_source_remove);
  pk_window_use_default_language (self);
  pk_window_ensure_pin_page (self);
  pk_pin_page_prepare (self->pin_page);
  pk_window_show_page (self, "pin");
  /* So that a PIN typed at once lands in the prompt. */
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_page));
}


static void
pk_window_home_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  pk_window_go_home (PK_WINDOW (widget));
}

static void
pk_window_exit_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PkWindow *self = PK_WINDOW (widget);

  self->allow_close = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
pk_window_swallow_key (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  /* Escape must not leave the kiosk or any of its screens. */
  return TRUE;
}

static gboolean
pk_window_close_request (GtkWindow *window)
{
  PkWindow *self = PK_WINDOW (window);

  if (!self->allow_close)
    return TRUE;

  return GTK_WINDOW_CLASS (pk_window_parent_class)->close_request (window);
}

static void
pk_window_constructed (GObject *object)
{
  PkWindow *self = PK_WINDOW (object);
  g_autofree char *language = NULL;

  G_OBJECT_CLASS (pk_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "idle-timeout", self->idle_guard, "idle-timeout", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "thank-you-delay", self, "thank-you-delay", G_SETTINGS_BIND_GET);
    }

  pk_welcome_page_set_store (self->welcome_page, self->store);

  g_object_bind_property (self, "language", self->welcome_page, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "petition", self->welcome_page, "petition", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "language", self->idle_guard, "language", G_BINDING_SYNC_CREATE);
  /* The form and thank-you pages are built when a signer first taps
   * "Sign", the PIN page when first asked for, the admin page and its
   * sub-pages when first opened. */

  language = pk_window_default_language (self);
  pk_window_set_language (self, language);
  pk_window_retranslate (self);
  pk_window_refresh_count (self);

  /* First run: the organizer chooses the PIN before anything else, and
   * lands in admin to set the kiosk up. */
  if (!pk_pin_is_set (self->store))
    {
      pk_window_ensure_pin_page (self);
      pk_pin_page_prepare (self->pin_page);
      pk_window_show_page (self, "pin");
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_page));
    }
  else
    pk_window_show_page (self, "welcome");
  on_visible_page_changed (self);
}

static void
pk_window_dispose (GObject *object)
{
  PkWindow *self = PK_WINDOW (object);

  g_clear_handle_id (&self->thank_you_id, g_source_remove);
  if (self->settings != NULL)
    {
      g_settings_unbind (self->idle_guard, "idle-timeout");
      g_settings_unbind (self, "thank-you-delay");
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_WINDOW);
  /* Went with the stack. */
  self->form_page = NULL;
  self->thank_you_page = NULL;
  self->pin_page = NULL;
  self->admin_page = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->petition);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pk_window_parent_class)->dispose (object);
}

static void
pk_window_finalize (GObject *object)
{
  PkWindow *self = PK_WINDOW (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_window_parent_class)->finalize (object);
}

static void
pk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PkWindow *self = PK_WINDOW (object);

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
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_THANK_YOU_DELAY:
      g_value_set_uint (value, self->thank_you_delay);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, pk_window_get_visible_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PkWindow *self = PK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PETITION:
      pk_window_set_petition (self, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_LANGUAGE:
      pk_window_set_language (self, g_value_get_string (value));
      break;
    case PROP_THANK_YOU_DELAY:
      if (self->thank_you_delay != g_value_get_uint (value))
        {
          self->thank_you_delay = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_window_class_init (PkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pk_window_constructed;
  object_class->dispose = pk_window_dispose;
  object_class->finalize = pk_window_finalize;
  object_class->get_property = pk_window_get_property;
  object_class->set_property = pk_window_set_property;

  window_class->close_request = pk_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THANK_YOU_DELAY] =
    g_param_spec_uint ("thank-you-delay", NULL, NULL, 1, G_MAXUINT, 6,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  pk_style_ensure_resources ();
  g_type_ensure (PK_TYPE_IDLE_GUARD);
  g_type_ensure (PK_TYPE_WELCOME_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PkWindow, idle_guard);
  gtk_widget_class_bind_template_child (widget_class, PkWindow, welcome_page);

  gtk_widget_class_install_action (widget_class, "kiosk.sign", NULL, pk_window_sign_action);
  gtk_widget_class_install_property_action (widget_class, "kiosk.language", "language");
  gtk_widget_class_install_action (widget_class, "kiosk.admin", NULL, pk_window_admin_action);
  gtk_widget_class_install_action (widget_class, "kiosk.home", NULL, pk_window_home_action);
  gtk_widget_class_install_action (widget_class, "kiosk.lock", NULL, pk_window_home_action);
  gtk_widget_class_install_action (widget_class, "kiosk.exit", NULL, pk_window_exit_action);

  /* The admin shortcut for keyboard-only organizers, documented in
   * docs/kiosk-use.md. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK,
                                       "kiosk.admin", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, pk_window_swallow_key, NULL);
}

static void
pk_window_init (PkWindow *self)
{
  /* Never NULL: the kiosk.language action's state is this string. The
   * real language is set in constructed(). */
  self->language = g_strdup ("");
  self->thank_you_delay = 6;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_visible_page_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle_guard, "idle", G_CALLBACK (on_idle), self, 0);
  g_signal_connect_object (self->idle_guard, "expired", G_CALLBACK (pk_window_go_home),
                           self, G_CONNECT_SWAPPED);
}

PkWindow *
pk_window_new (GtkApplication *application,
               PkStore        *store,
               PkPetition     *petition,
               GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PK_IS_STORE (store), NULL);
  g_return_val_if_fail (petition == NULL || PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PK_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "petition", petition,
                       "settings", settings,
                       NULL);
}

PkStore *
pk_window_get_store (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);

  return self->store;
}


PkPetition *
_pk_window_get_petition (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);

  return self->petition;
}

void
pk_window_set_petition (PkWindow   *self,
                        PkPetition *petition)
{
  g_return_if_fail (PK_IS_WINDOW (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (!g_set_object (&self->petition, petition))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
  pk_window_refresh_count (self);
}

const char *
pk_window_get_language (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);

  return self->language;
}

void
pk_window_set_language (PkWindow   *self,
                        const char *language)
{
  g_return_if_fail (PK_IS_WINDOW (self));

  if (language == NULL || !pk_language_is_supported (language) ||
      g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);

  /* gettext first, so that every page listening to notify::language
   * already translates into the new language. */
  pk_language_apply (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
  pk_window_retranslate (self);
}

const char *
pk_window_get_visible_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

PkIdleGuard *
_pk_window_get_idle_guard (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  return self->idle_guard;
}

PkWelcomePage *
_pk_window_get_welcome_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  return self->welcome_page;
}

PkFormPage *
_pk_window_get_form_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  pk_window_ensure_signer_pages (self);
  return self->form_page;
}

PkThankYouPage *
_pk_window_get_thank_you_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  pk_window_ensure_signer_pages (self);
  return self->thank_you_page;
}

PkPinPage *
_pk_window_get_pin_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  pk_window_ensure_pin_page (self);
  return self->pin_page;
}

PkAdminPage *
pk_window_get_admin_page (PkWindow *self)
{
  g_return_val_if_fail (PK_IS_WINDOW (self), NULL);
  return pk_window_ensure_admin_page (self);
}
