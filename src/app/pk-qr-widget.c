/* pk-qr-widget.c: a QR code drawn crisply from its modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-qr-widget"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-qr.h"
#include "pk-qr-widget.h"

/* Phone cameras read a code reliably from a table's distance when each
 * module is at least this many pixels. */
#define MIN_MODULE_PX 3
#define DEFAULT_SIZE  220

struct _PkQrWidget
{
  GtkWidget  parent_instance;

  char      *text;
  PkQrCode  *code;
  int        size;
};

G_DEFINE_FINAL_TYPE (PkQrWidget, pk_qr_widget, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pk_qr_widget_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  PkQrWidget *self = PK_QR_WIDGET (widget);
  int modules = 0;

  if (self->code != NULL)
    modules = pk_qr_code_get_width (self->code) + 2 * PK_QR_QUIET_ZONE;

  *minimum = modules * MIN_MODULE_PX;
  *natural = MAX (*minimum, self->size);
  /* Height for width: when the parent squeezes the width, the height
   * follows, so the light card around the code stays square instead
   * of turning into an oblong with uneven margins. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    *natural = MAX (*minimum, MIN (for_size, self->size));
}

static GtkSizeRequestMode
pk_qr_widget_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pk_qr_widget_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PkQrWidget *self = PK_QR_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int size = MIN (width, height);
  int x, y;
  cairo_t *cr;

  if (self->code == NULL || size <= 0)
    return;

  /* Whole-pixel origin: together with snap in pk_qr_code_draw() every
   * module edge lands on a device pixel, so nothing blurs. */
  x = (width - size) / 2;
  y = (height - size) / 2;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x, y, size, size));
  pk_qr_code_draw (self->code, cr, x, y, size, TRUE);
  cairo_destroy (cr);
}

static void
pk_qr_widget_finalize (GObject *object)
{
  PkQrWidget *self = PK_QR_WIDGET (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->code, pk_qr_code_free);

  G_OBJECT_CLASS (pk_qr_widget_parent_class)->finalize (object);
}

static void
pk_qr_widget_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PkQrWidget *self = PK_QR_WIDGET (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_qr_widget_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PkQrWidget *self = PK_QR_WIDGET (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      pk_qr_widget_set_text (self, g_value_get_string (value));
      break;
    case PROP_SIZE:
      pk_qr_widget_set_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_qr_widget_class_init (PkQrWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pk_qr_widget_finalize;
  object_class->get_property = pk_qr_widget_get_property;
  object_class->set_property = pk_qr_widget_set_property;

  widget_class->get_request_mode = pk_qr_widget_get_request_mode;
  widget_class->measure = pk_qr_widget_measure;
  widget_class->snapshot = pk_qr_widget_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, 0, G_MAXINT, DEFAULT_SIZE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrcode");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pk_qr_widget_init (PkQrWidget *self)
{
  self->size = DEFAULT_SIZE;
}


void
pk_qr_widget_set_text (PkQrWidget *self,
                       const char *text)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PK_IS_QR_WIDGET (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, pk_qr_code_free);

  if (text != NULL && *text != '\0')
    {
      self->code = pk_qr_code_new (text, &error);
      /* A URL too long for a QR code is the petition author's mistake;
       * the kiosk still works, only without the phone shortcut. */
      if (self->code == NULL)
        g_warning ("Cannot encode the petition URL as a QR code: %s", error->message);
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}


void
pk_qr_widget_set_size (PkQrWidget *self,
                       int         size)
{
  g_return_if_fail (PK_IS_QR_WIDGET (self));
  g_return_if_fail (size >= 0);

  if (self->size == size)
    return;

  self->size = size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

int
pk_qr_widget_get_size (PkQrWidget *self)
{
  g_return_val_if_fail (PK_IS_QR_WIDGET (self), 0);

  return self->size;
}
