/* pk-qr-card.c: the petition's QR code with a caption and its URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One block for every kiosk screen that offers signing on a phone: the
 * code drawn from its modules (PkQrWidget), a caption chosen by the
 * screen, and the URL in small text for those who would rather type.
 */
#define G_LOG_DOMAIN "pk-qr-card"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-qr-card-private.h"
#include "pk-qr-widget.h"

struct _PkQrCard
{
  GtkWidget  parent_instance;

  char      *url;
  char      *caption;
  char      *language;

  GtkWidget *qr_widget;
  GtkWidget *caption_label;
  GtkWidget *url_label;
};

G_DEFINE_FINAL_TYPE (PkQrCard, pk_qr_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_URL,
  PROP_CAPTION,
  PROP_CODE_SIZE,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Sets the card's own strings again in the current gettext language. */
static void
pk_qr_card_retranslate (PkQrCard *self)
{
  g_autofree char *label = NULL;

  /* A screen reader says what the picture is for and reads the
   * address, which is all a phone would get from it. */
  if (self->url != NULL && *self->url != '\0')
    label = g_strdup_printf (_("QR code to sign the petition online: %s"), self->url);
  else
    label = g_strdup (_("QR code to sign the petition online"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}


void
pk_qr_card_set_url (PkQrCard   *self,
                    const char *url)
{
  g_return_if_fail (PK_IS_QR_CARD (self));

  if (g_strcmp0 (self->url, url) == 0)
    return;

  g_free (self->url);
  self->url = g_strdup (url);
  pk_qr_widget_set_text (PK_QR_WIDGET (self->qr_widget), url);
  gtk_label_set_label (GTK_LABEL (self->url_label), url != NULL ? url : "");
  pk_qr_card_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
_pk_qr_card_get_url (PkQrCard *self)
{
  g_return_val_if_fail (PK_IS_QR_CARD (self), NULL);

  return self->url;
}

void
pk_qr_card_set_caption (PkQrCard   *self,
                        const char *caption)
{
  g_return_if_fail (PK_IS_QR_CARD (self));

  if (g_strcmp0 (self->caption, caption) == 0)
    return;

  g_free (self->caption);
  self->caption = g_strdup (caption);
  gtk_label_set_label (GTK_LABEL (self->caption_label), caption != NULL ? caption : "");
  gtk_widget_set_visible (self->caption_label, caption != NULL && *caption != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTION]);
}


void
pk_qr_card_set_code_size (PkQrCard *self,
                          int       size)
{
  g_return_if_fail (PK_IS_QR_CARD (self));
  g_return_if_fail (size >= 0);

  if (pk_qr_widget_get_size (PK_QR_WIDGET (self->qr_widget)) == size)
    return;

  pk_qr_widget_set_size (PK_QR_WIDGET (self->qr_widget), size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE_SIZE]);
}

void
pk_qr_card_set_language (PkQrCard   *self,
                         const char *language)
{
  g_return_if_fail (PK_IS_QR_CARD (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_qr_card_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
_pk_qr_card_get_url_text (PkQrCard *self)
{
  g_return_val_if_fail (PK_IS_QR_CARD (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->url_label));
}

static void
pk_qr_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PK_TYPE_QR_CARD);

  G_OBJECT_CLASS (pk_qr_card_parent_class)->dispose (object);
}

static void
pk_qr_card_finalize (GObject *object)
{
  PkQrCard *self = PK_QR_CARD (object);

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->caption, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_qr_card_parent_class)->finalize (object);
}

static void
pk_qr_card_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PkQrCard *self = PK_QR_CARD (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_CAPTION:
      g_value_set_string (value, self->caption);
      break;
    case PROP_CODE_SIZE:
      g_value_set_int (value, pk_qr_widget_get_size (PK_QR_WIDGET (self->qr_widget)));
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_qr_card_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PkQrCard *self = PK_QR_CARD (object);

  switch (prop_id)
    {
    case PROP_URL:
      pk_qr_card_set_url (self, g_value_get_string (value));
      break;
    case PROP_CAPTION:
      pk_qr_card_set_caption (self, g_value_get_string (value));
      break;
    case PROP_CODE_SIZE:
      pk_qr_card_set_code_size (self, g_value_get_int (value));
      break;
    case PROP_LANGUAGE:
      pk_qr_card_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_qr_card_class_init (PkQrCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_qr_card_dispose;
  object_class->finalize = pk_qr_card_finalize;
  object_class->get_property = pk_qr_card_get_property;
  object_class->set_property = pk_qr_card_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPTION] =
    g_param_spec_string ("caption", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE_SIZE] =
    g_param_spec_int ("code-size", NULL, NULL, 0, G_MAXINT, 220,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PK_TYPE_QR_WIDGET);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-qr-card.ui");
  gtk_widget_class_bind_template_child (widget_class, PkQrCard, qr_widget);
  gtk_widget_class_bind_template_child (widget_class, PkQrCard, caption_label);
  gtk_widget_class_bind_template_child (widget_class, PkQrCard, url_label);

  gtk_widget_class_set_css_name (widget_class, "qrcard");
}

static void
pk_qr_card_init (PkQrCard *self)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Pango marks a break inside a word with a hyphen; in a URL that
   * hyphen would be taken for part of the address. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (self->url_label), attrs);

  gtk_widget_set_visible (self->caption_label, FALSE);
  pk_qr_card_retranslate (self);
}
