/* pk-thank-you-page.c: thanks, then back to the welcome screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-thank-you-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-language.h"
#include "pk-qr-card.h"
#include "pk-thank-you-page-private.h"

/* Smaller than the welcome screen's code: here it is an afterthought
 * to the thanks, yet still three pixels or more a module, which phones
 * read from an arm's length. */
#define QR_CODE_SIZE 150

struct _PkThankYouPage
{
  GtkWidget   parent_instance;

  PkPetition *petition;
  char       *language;

  GtkWidget  *title_label;
  GtkWidget  *body_label;
  GtkWidget  *done_button;
  GtkWidget  *qr_card;
};

G_DEFINE_FINAL_TYPE (PkThankYouPage, pk_thank_you_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PETITION,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pk_thank_you_page_retranslate (PkThankYouPage *self)
{
  const char *url = self->petition != NULL ? pk_petition_get_url (self->petition) : NULL;

  /* The same for everyone, a repeat signer too: the next person in the
   * queue must not learn who signed before. */
  gtk_label_set_label (GTK_LABEL (self->title_label), _("Thank you for signing!"));
  gtk_label_set_label (GTK_LABEL (self->body_label),
                       _("Your signature is saved. Please tell your friends about this petition."));
  gtk_button_set_label (GTK_BUTTON (self->done_button), _("Done"));

  gtk_widget_set_visible (self->qr_card, url != NULL && *url != '\0');
  pk_qr_card_set_language (PK_QR_CARD (self->qr_card), self->language);
  pk_qr_card_set_url (PK_QR_CARD (self->qr_card), url);
  pk_qr_card_set_caption (PK_QR_CARD (self->qr_card),
                          _("Tell your friends: they can sign on their phone"));
  pk_language_tag_labels (GTK_WIDGET (self), self->language);
}

void
pk_thank_you_page_set_petition (PkThankYouPage *self,
                                PkPetition     *petition)
{
  g_return_if_fail (PK_IS_THANK_YOU_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (g_set_object (&self->petition, petition))
    {
      pk_thank_you_page_retranslate (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
    }
}

void
pk_thank_you_page_set_language (PkThankYouPage *self,
                                const char     *language)
{
  g_return_if_fail (PK_IS_THANK_YOU_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_thank_you_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
_pk_thank_you_page_get_title (PkThankYouPage *self)
{
  g_return_val_if_fail (PK_IS_THANK_YOU_PAGE (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->title_label));
}

PkQrCard *
_pk_thank_you_page_get_qr_card (PkThankYouPage *self)
{
  g_return_val_if_fail (PK_IS_THANK_YOU_PAGE (self), NULL);

  return PK_QR_CARD (self->qr_card);
}

static void
pk_thank_you_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PK_TYPE_THANK_YOU_PAGE);
  /* The template's unnamed top box is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&PK_THANK_YOU_PAGE (object)->petition);

  G_OBJECT_CLASS (pk_thank_you_page_parent_class)->dispose (object);
}

static void
pk_thank_you_page_finalize (GObject *object)
{
  PkThankYouPage *self = PK_THANK_YOU_PAGE (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_thank_you_page_parent_class)->finalize (object);
}

static void
pk_thank_you_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PkThankYouPage *self = PK_THANK_YOU_PAGE (object);

  switch (prop_id)
    {
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
pk_thank_you_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PkThankYouPage *self = PK_THANK_YOU_PAGE (object);

  switch (prop_id)
    {
    case PROP_PETITION:
      pk_thank_you_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_thank_you_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_thank_you_page_class_init (PkThankYouPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_thank_you_page_dispose;
  object_class->finalize = pk_thank_you_page_finalize;
  object_class->get_property = pk_thank_you_page_get_property;
  object_class->set_property = pk_thank_you_page_set_property;

  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PK_TYPE_QR_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-thank-you-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkThankYouPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PkThankYouPage, body_label);
  gtk_widget_class_bind_template_child (widget_class, PkThankYouPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, PkThankYouPage, qr_card);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "thankyoupage");
}

static void
pk_thank_you_page_init (PkThankYouPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pk_qr_card_set_code_size (PK_QR_CARD (self->qr_card), QR_CODE_SIZE);
  pk_thank_you_page_retranslate (self);
}
