/* pk-welcome-page.c: the attract screen a passer-by sees first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-welcome-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pk-language.h"
#include "pk-qr-card.h"
#include "pk-welcome-page-private.h"

/* The admin gesture is deliberately slow, so that nobody opens the PIN
 * prompt by leaning on the screen. */
#define ADMIN_LONG_PRESS_MS 3000
/* How often the held corner's bar moves on: smooth enough to read. */
#define ADMIN_HOLD_TICK_MS 50

/* Signatures also arrive from other processes on the same database
 * (the CLI `sign`, a second kiosk window); while the page is on screen
 * it reads the count again this often. pk_store_count() reads one
 * maintained counter row, so this costs nothing noticeable. */
#define COUNT_REFRESH_SECONDS 3

struct _PkWelcomePage
{
  GtkWidget   parent_instance;

  PkStore    *store;
  PkPetition *petition;
  char       *language;
  guint64     count;

  GtkWidget  *admin_corner;
  GtkWidget  *admin_hold_bar;
  GtkWidget  *title_label;
  GtkWidget  *summary_label;
  GtkWidget  *count_label;
  GtkWidget  *progress_bar;
  GtkWidget  *goal_label;
  GtkWidget  *sign_button;
  GtkWidget  *qr_card;
  GtkWidget  *ko_button;
  GtkWidget  *en_button;
  GtkWidget  *de_button;

  guint       admin_hold_id;
  gint64      admin_hold_start;   /* monotonic µs */
  guint       count_refresh_id;
};

G_DEFINE_FINAL_TYPE (PkWelcomePage, pk_welcome_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Digits grouped by thousands the way each language writes them
 * ("10,000", "10.000"); the process locale is C.UTF-8 on a kiosk, which
 * groups nothing. */
static char *
pk_welcome_page_format_number (guint64     n,
                               const char *lang)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  const char *separator = g_strcmp0 (lang, "de") == 0 ? "." : ",";
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
pk_welcome_page_update_count (PkWelcomePage *self)
{
  g_autofree char *count_number = pk_welcome_page_format_number (self->count, self->language);
  g_autofree char *count_text = NULL;
  guint64 goal = self->petition ? pk_petition_get_goal (self->petition) : 0;

  /* ngettext takes a gulong, 32 bits on some systems: clamp so that a
   * huge count can never wrap around to the singular. */
  count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s person has signed",
                                             "%s people have signed",
                                             (gulong) MIN (self->count, 1000000)),
                                count_number);
  gtk_label_set_label (GTK_LABEL (self->count_label), count_text);

  gtk_widget_set_visible (self->progress_bar, goal > 0);
  gtk_widget_set_visible (self->goal_label, goal > 0);
  if (goal > 0)
    {
      g_autofree char *goal_number = pk_welcome_page_format_number (goal, self->language);
      g_autofree char *goal_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "Goal: %s signature",
                                                                 "Goal: %s signatures",
                                                                 (gulong) MIN (goal, 1000000)),
                                                    goal_number);

      gtk_label_set_label (GTK_LABEL (self->goal_label), goal_text);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                     MIN (1.0, (double) self->count / (double) goal));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Progress toward the goal"),
                                      -1);
    }
}

/* Sets every visible and accessible string again, in the current
 * gettext language and the petition's text for self->language. */
static void
pk_welcome_page_retranslate (PkWelcomePage *self)
{
  const char *lang = self->language;
  const char *url = self->petition ? pk_petition_get_url (self->petition) : NULL;

  if (self->petition != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->title_label), pk_petition_get_title (self->petition, lang));
      gtk_label_set_label (GTK_LABEL (self->summary_label), pk_petition_get_summary (self->petition, lang));
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (self->title_label), _("No petition loaded"));
      gtk_label_set_label (GTK_LABEL (self->summary_label),
                           _("An organizer needs to choose a petition in the admin screen."));
    }

  gtk_widget_set_visible (self->count_label, self->petition != NULL);
  gtk_widget_set_sensitive (self->sign_button, self->petition != NULL);
  gtk_button_set_label (GTK_BUTTON (self->sign_button), _("Sign"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign the petition here"),
                                  -1);

  gtk_widget_set_visible (self->qr_card, url != NULL && *url != '\0');
  pk_qr_card_set_language (PK_QR_CARD (self->qr_card), lang);
  pk_qr_card_set_url (PK_QR_CARD (self->qr_card), url);
  pk_qr_card_set_caption (PK_QR_CARD (self->qr_card), _("Sign on your phone"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ko_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "한국어로 보기", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->en_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Show in English", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->de_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Auf Deutsch anzeigen", -1);

  pk_welcome_page_update_count (self);

  pk_language_tag_labels (GTK_WIDGET (self), lang);
  /* Each language button is written in its own language. */
  pk_language_tag_labels (self->ko_button, "ko");
  pk_language_tag_labels (self->en_button, "en");
  pk_language_tag_labels (self->de_button, "de");
}

static void
pk_welcome_page_end_hold (PkWelcomePage *self)
{
  g_clear_handle_id (&self->admin_hold_id, g_source_remove);
  gtk_widget_set_visible (self->admin_hold_bar, FALSE);
}

/* The hold fills a bar in the corner, so that whoever holds it sees
 * that something is happening and how long is left. */
static gboolean
on_admin_hold_tick (gpointer user_data)
{
  PkWelcomePage *self = user_data;
  double fraction = (g_get_monotonic_time () - self->admin_hold_start) / (ADMIN_LONG_PRESS_MS * 1000.0);

  if (fraction < 1.0)
    {
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->admin_hold_bar), fraction);
      return G_SOURCE_CONTINUE;
    }

  self->admin_hold_id = 0;
  pk_welcome_page_end_hold (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.admin", NULL);
  return G_SOURCE_REMOVE;
}

/* GtkGestureLongPress caps its delay at twice gtk-long-press-time, too
 * short for a deliberate gesture, so the corner times its own hold. */
static void
on_admin_press_begin (GtkGesture       *gesture,
                      GdkEventSequence *sequence,
                      PkWelcomePage    *self)
{
  pk_welcome_page_end_hold (self);
  self->admin_hold_start = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->admin_hold_bar), 0);
  gtk_widget_set_visible (self->admin_hold_bar, TRUE);
  self->admin_hold_id = g_timeout_add (ADMIN_HOLD_TICK_MS, on_admin_hold_tick, self);
}

static void
on_admin_press_end (GtkGesture       *gesture,
                    GdkEventSequence *sequence,
                    PkWelcomePage    *self)
{
  pk_welcome_page_end_hold (self);
}

/* Reads the count from the store, when the page has one. */
static void
pk_welcome_page_refresh_count (PkWelcomePage *self)
{
  if (self->store == NULL)
    return;

  pk_welcome_page_set_count (self, self->petition != NULL
                                   ? pk_store_count (self->store, pk_petition_get_id (self->petition))
                                   : 0);
}

static gboolean
on_count_refresh (gpointer user_data)
{
  pk_welcome_page_refresh_count (user_data);
  return G_SOURCE_CONTINUE;
}

static void
pk_welcome_page_map (GtkWidget *widget)
{
  PkWelcomePage *self = PK_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (pk_welcome_page_parent_class)->map (widget);

  /* Only while someone can see it: the form, thank-you and admin
   * screens never wake up for this. */
  pk_welcome_page_refresh_count (self);
  g_clear_handle_id (&self->count_refresh_id, g_source_remove);
  self->count_refresh_id = g_timeout_add_seconds (COUNT_REFRESH_SECONDS, on_count_refresh, self);
}

static void
pk_welcome_page_unmap (GtkWidget *widget)
{
  PkWelcomePage *self = PK_WELCOME_PAGE (widget);

  g_clear_handle_id (&self->count_refresh_id, g_source_remove);

  GTK_WIDGET_CLASS (pk_welcome_page_parent_class)->unmap (widget);
}

void
pk_welcome_page_set_store (PkWelcomePage *self,
                           PkStore       *store)
{
  g_return_if_fail (PK_IS_WELCOME_PAGE (self));
  g_return_if_fail (store == NULL || PK_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      pk_welcome_page_refresh_count (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

void
pk_welcome_page_set_petition (PkWelcomePage *self,
                              PkPetition    *petition)
{
  g_return_if_fail (PK_IS_WELCOME_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (g_set_object (&self->petition, petition))
    {
      pk_welcome_page_retranslate (self);
      pk_welcome_page_refresh_count (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
    }
}

void
pk_welcome_page_set_language (PkWelcomePage *self,
                              const char    *language)
{
  g_return_if_fail (PK_IS_WELCOME_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_welcome_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
pk_welcome_page_set_count (PkWelcomePage *self,
                           guint64        count)
{
  g_return_if_fail (PK_IS_WELCOME_PAGE (self));

  if (self->count == count)
    return;

  self->count = count;
  pk_welcome_page_update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

const char *
_pk_welcome_page_get_title (PkWelcomePage *self)
{
  g_return_val_if_fail (PK_IS_WELCOME_PAGE (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->title_label));
}

const char *
_pk_welcome_page_get_count_text (PkWelcomePage *self)
{
  g_return_val_if_fail (PK_IS_WELCOME_PAGE (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->count_label));
}

const char *
_pk_welcome_page_get_sign_label (PkWelcomePage *self)
{
  g_return_val_if_fail (PK_IS_WELCOME_PAGE (self), NULL);

  return gtk_button_get_label (GTK_BUTTON (self->sign_button));
}

static void
pk_welcome_page_dispose (GObject *object)
{
  GtkWidget *child;
  PkWelcomePage *self = PK_WELCOME_PAGE (object);

  g_clear_handle_id (&self->admin_hold_id, g_source_remove);
  g_clear_handle_id (&self->count_refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_WELCOME_PAGE);
  /* The template's unnamed top box is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->petition);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pk_welcome_page_parent_class)->dispose (object);
}

static void
pk_welcome_page_finalize (GObject *object)
{
  PkWelcomePage *self = PK_WELCOME_PAGE (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_welcome_page_parent_class)->finalize (object);
}

static void
pk_welcome_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PkWelcomePage *self = PK_WELCOME_PAGE (object);

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
    case PROP_COUNT:
      g_value_set_uint64 (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_welcome_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PkWelcomePage *self = PK_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      pk_welcome_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PETITION:
      pk_welcome_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_welcome_page_set_language (self, g_value_get_string (value));
      break;
    case PROP_COUNT:
      pk_welcome_page_set_count (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_welcome_page_class_init (PkWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_welcome_page_dispose;
  object_class->finalize = pk_welcome_page_finalize;
  object_class->get_property = pk_welcome_page_get_property;
  object_class->set_property = pk_welcome_page_set_property;

  widget_class->map = pk_welcome_page_map;
  widget_class->unmap = pk_welcome_page_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PK_TYPE_QR_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, admin_corner);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, admin_hold_bar);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, goal_label);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, sign_button);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, qr_card);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, ko_button);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, en_button);
  gtk_widget_class_bind_template_child (widget_class, PkWelcomePage, de_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "welcomepage");
}

static void
pk_welcome_page_init (PkWelcomePage *self)
{
  GtkGesture *hold;

  gtk_widget_init_template (GTK_WIDGET (self));

  hold = gtk_gesture_drag_new ();
  g_signal_connect (hold, "begin", G_CALLBACK (on_admin_press_begin), self);
  g_signal_connect (hold, "end", G_CALLBACK (on_admin_press_end), self);
  g_signal_connect (hold, "cancel", G_CALLBACK (on_admin_press_end), self);
  gtk_widget_add_controller (self->admin_corner, GTK_EVENT_CONTROLLER (hold));

  pk_welcome_page_retranslate (self);
}
