/* pk-idle-guard.c: the privacy reset's clock and its "Still there?"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-idle-guard"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-idle-guard.h"
#include "pk-language.h"

/* How often the clock is looked at. Coarse enough to cost nothing,
 * fine enough that the countdown reads smoothly. */
#define IDLE_TICK_MS 250

struct _PkIdleGuard
{
  GtkWidget           parent_instance;

  char               *language;
  guint               idle_timeout;
  guint               still_there_seconds;
  gboolean            guarding;

  gint64              last_activity;      /* monotonic µs */
  gint64              still_there_until;  /* monotonic µs, 0 = not asked */
  guint               tick_id;
  /* On the window the guard sits in, while it sits in one; owned by
   * that window. */
  GtkEventController *input_watch;

  GtkWidget          *title_label;
  GtkWidget          *countdown_label;
  GtkWidget          *still_here_button;
};

G_DEFINE_FINAL_TYPE (PkIdleGuard, pk_idle_guard, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_IDLE_TIMEOUT,
  PROP_STILL_THERE_SECONDS,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  IDLE,
  EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pk_idle_guard_show_countdown (PkIdleGuard *self,
                              guint        seconds_left)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "For your privacy, this form will be cleared in %u second.",
                                       "For your privacy, this form will be cleared in %u seconds.",
                                       seconds_left),
                          seconds_left);
  gtk_label_set_label (GTK_LABEL (self->countdown_label), text);
}

static void
pk_idle_guard_retranslate (PkIdleGuard *self)
{
  gtk_label_set_label (GTK_LABEL (self->title_label), _("Still there?"));
  gtk_button_set_label (GTK_BUTTON (self->still_here_button), _("I am still here"));
  if (self->still_there_until != 0)
    pk_idle_guard_show_countdown (self, pk_idle_guard_get_seconds_left (self));
  pk_language_tag_labels (GTK_WIDGET (self), self->language);
}

static void
pk_idle_guard_hide_question (PkIdleGuard *self)
{
  self->still_there_until = 0;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
pk_idle_guard_ask (PkIdleGuard *self,
                   gint64       now)
{
  self->still_there_until = now + (gint64) self->still_there_seconds * G_USEC_PER_SEC;
  pk_idle_guard_show_countdown (self, self->still_there_seconds);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_widget_grab_focus (self->still_here_button);
}

/* Any key, click or touch, and the question's own button: the idle
 * time starts again and the question goes. */
static void
pk_idle_guard_note_activity (PkIdleGuard *self)
{
  self->last_activity = g_get_monotonic_time ();
  if (self->still_there_until != 0)
    pk_idle_guard_hide_question (self);
}

static gboolean
pk_idle_guard_tick (gpointer user_data)
{
  PkIdleGuard *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean handled = FALSE;

  if (!self->guarding)
    return G_SOURCE_CONTINUE;

  if (self->still_there_until != 0)
    {
      guint left = pk_idle_guard_get_seconds_left (self);

      if (left > 0)
        pk_idle_guard_show_countdown (self, left);
      else
        {
          /* Whatever the window makes of it, the question has had its
           * time, and a screen that stays gets its full idle time. */
          pk_idle_guard_note_activity (self);
          g_signal_emit (self, signals[EXPIRED], 0);
        }
      return G_SOURCE_CONTINUE;
    }

  if (now - self->last_activity < (gint64) self->idle_timeout * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_signal_emit (self, signals[IDLE], 0, &handled);
  if (handled)
    /* Not asked again at the next tick. */
    self->last_activity = now;
  else
    pk_idle_guard_ask (self, now);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_any_event (GtkEventControllerLegacy *controller,
              GdkEvent                 *event,
              PkIdleGuard              *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCH_END:
    case GDK_SCROLL:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
    case GDK_PAD_BUTTON_PRESS:
      pk_idle_guard_note_activity (self);
      break;
    case GDK_MOTION_NOTIFY:
      /* A pen or finger drawing on the pad is input; a mouse resting
       * near the screen is not. */
      if (gdk_event_get_modifier_state (event) &
          (GDK_BUTTON1_MASK | GDK_BUTTON2_MASK | GDK_BUTTON3_MASK))
        pk_idle_guard_note_activity (self);
      break;
    case GDK_DELETE:
    case GDK_ENTER_NOTIFY:
    case GDK_LEAVE_NOTIFY:
    case GDK_FOCUS_CHANGE:
    case GDK_PROXIMITY_IN:
    case GDK_PROXIMITY_OUT:
    case GDK_DRAG_ENTER:
    case GDK_DRAG_LEAVE:
    case GDK_DRAG_MOTION:
    case GDK_DROP_START:
    case GDK_KEY_RELEASE:
    case GDK_TOUCH_CANCEL:
    case GDK_PAD_BUTTON_RELEASE:
    case GDK_PAD_RING:
    case GDK_PAD_STRIP:
    case GDK_PAD_GROUP_MODE:
    case GDK_GRAB_BROKEN:
    case GDK_TOUCHPAD_HOLD:
    case GDK_EVENT_LAST:
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* The input to watch is the whole window's, not only what reaches this
 * widget, which is hidden most of the time: so the guard watches the
 * window it is put in, in the capture phase, which sees every input
 * before any widget can consume it. */
static void
pk_idle_guard_root (GtkWidget *widget)
{
  PkIdleGuard *self = PK_IDLE_GUARD (widget);

  GTK_WIDGET_CLASS (pk_idle_guard_parent_class)->root (widget);

  self->input_watch = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (self->input_watch, GTK_PHASE_CAPTURE);
  g_signal_connect (self->input_watch, "event", G_CALLBACK (on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->input_watch);
}

static void
pk_idle_guard_unroot (GtkWidget *widget)
{
  PkIdleGuard *self = PK_IDLE_GUARD (widget);

  gtk_widget_remove_controller (gtk_event_controller_get_widget (self->input_watch),
                                self->input_watch);
  self->input_watch = NULL;

  GTK_WIDGET_CLASS (pk_idle_guard_parent_class)->unroot (widget);
}

static void
pk_idle_guard_still_here_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  pk_idle_guard_note_activity (PK_IDLE_GUARD (widget));
}

static void
pk_idle_guard_dispose (GObject *object)
{
  PkIdleGuard *self = PK_IDLE_GUARD (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_IDLE_GUARD);
  /* The template's unnamed card is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pk_idle_guard_parent_class)->dispose (object);
}

static void
pk_idle_guard_finalize (GObject *object)
{
  PkIdleGuard *self = PK_IDLE_GUARD (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_idle_guard_parent_class)->finalize (object);
}

static void
pk_idle_guard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PkIdleGuard *self = PK_IDLE_GUARD (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_STILL_THERE_SECONDS:
      g_value_set_uint (value, self->still_there_seconds);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_idle_guard_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PkIdleGuard *self = PK_IDLE_GUARD (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT:
      if (self->idle_timeout != g_value_get_uint (value))
        {
          self->idle_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STILL_THERE_SECONDS:
      if (self->still_there_seconds != g_value_get_uint (value))
        {
          self->still_there_seconds = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LANGUAGE:
      pk_idle_guard_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_idle_guard_class_init (PkIdleGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_idle_guard_dispose;
  object_class->finalize = pk_idle_guard_finalize;
  object_class->get_property = pk_idle_guard_get_property;
  object_class->set_property = pk_idle_guard_set_property;

  widget_class->root = pk_idle_guard_root;
  widget_class->unroot = pk_idle_guard_unroot;

  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, G_MAXUINT, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STILL_THERE_SECONDS] =
    g_param_spec_uint ("still-there-seconds", NULL, NULL, 1, G_MAXUINT, 15,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IDLE] =
    g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);
  signals[EXPIRED] =
    g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-idle-guard.ui");
  gtk_widget_class_bind_template_child (widget_class, PkIdleGuard, title_label);
  gtk_widget_class_bind_template_child (widget_class, PkIdleGuard, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, PkIdleGuard, still_here_button);

  gtk_widget_class_install_action (widget_class, "idle.still-here", NULL,
                                   pk_idle_guard_still_here_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "idleguard");
  /* What the box it replaced was to a screen reader. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pk_idle_guard_init (PkIdleGuard *self)
{
  self->idle_timeout = 60;
  self->still_there_seconds = 15;
  self->last_activity = g_get_monotonic_time ();

  gtk_widget_init_template (GTK_WIDGET (self));
  pk_idle_guard_retranslate (self);

  self->tick_id = g_timeout_add (IDLE_TICK_MS, pk_idle_guard_tick, self);
}

void
pk_idle_guard_screen_shown (PkIdleGuard *self,
                            gboolean     guarded)
{
  g_return_if_fail (PK_IS_IDLE_GUARD (self));

  self->guarding = guarded;
  pk_idle_guard_note_activity (self);
}

void
pk_idle_guard_set_language (PkIdleGuard *self,
                            const char  *language)
{
  g_return_if_fail (PK_IS_IDLE_GUARD (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_idle_guard_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

guint
pk_idle_guard_get_seconds_left (PkIdleGuard *self)
{
  gint64 left;

  g_return_val_if_fail (PK_IS_IDLE_GUARD (self), 0);

  if (self->still_there_until == 0)
    return 0;
  left = self->still_there_until - g_get_monotonic_time ();
  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}
