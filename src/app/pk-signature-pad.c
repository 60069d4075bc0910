/* pk-signature-pad.c: a pad to sign on by hand, with pen, finger or mouse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-signature-pad"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pk-signature-pad.h"

/* Rendering is incremental: finished ink lives in one image surface at
 * device resolution, and each new sample only draws the segment from the
 * previous sample onto it. A frame therefore costs the same whether the
 * signature has ten points or twenty thousand; only a resize or a
 * change of style redraws everything from the recorded strokes. */

#define PAD_UNITS 65535.0

struct _PkSignaturePad
{
  GtkWidget        parent_instance;

  GtkWidget       *clear_button;
  GtkGesture      *stylus;
  GtkGesture      *drag;

  PkStrokes       *strokes;
  gboolean         have_t0;
  guint32          t0;

  gboolean         in_stroke;
  double           last_x;
  double           last_y;
  double           last_pressure;
  double           drag_x;
  double           drag_y;

  cairo_surface_t *ink;       /* device pixels, NULL until first drawn */
  int              ink_width; /* widget size the surface was made for */
  int              ink_height;
  int              ink_scale;
  GdkTexture      *texture;   /* snapshot of ink, NULL when stale */
};

G_DEFINE_FINAL_TYPE (PkSignaturePad, pk_signature_pad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
pk_signature_pad_line_width (PkSignaturePad *self,
                             double          pressure)
{
  double base = MAX (2.5, gtk_widget_get_height (GTK_WIDGET (self)) / 90.0);

  return base * (0.5 + 0.75 * CLAMP (pressure, 0.0, 1.0));
}

static void
pk_signature_pad_set_ink_source (PkSignaturePad *self,
                                 cairo_t        *cr)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);
  gboolean high_contrast = adw_style_manager_get_high_contrast (manager);

  /* Ink contrasts with the pad's card background in each style. */
  if (dark)
    {
      if (high_contrast)
        cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      else
        cairo_set_source_rgb (cr, 0.93, 0.93, 0.95);
    }
  else
    {
      if (high_contrast)
        cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      else
        cairo_set_source_rgb (cr, 0.08, 0.12, 0.30);
    }
}

static cairo_t *
pk_signature_pad_ink_context (PkSignaturePad *self)
{
  cairo_t *cr = cairo_create (self->ink);

  cairo_scale (cr, self->ink_scale, self->ink_scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  pk_signature_pad_set_ink_source (self, cr);

  return cr;
}

static void
pk_signature_pad_draw_segment (PkSignaturePad *self,
                               cairo_t        *cr,
                               double          x0,
                               double          y0,
                               double          p0,
                               double          x1,
                               double          y1,
                               double          p1)
{
  cairo_set_line_width (cr, pk_signature_pad_line_width (self, (p0 + p1) / 2.0));
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

/* Makes sure the ink surface matches the widget; when it does not,
 * redraws every recorded stroke once. */
static void
pk_signature_pad_ensure_ink (PkSignaturePad *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_t *cr;

  if (self->ink != NULL && self->ink_width == width && self->ink_height == height &&
      self->ink_scale == scale)
    return;

  g_clear_pointer (&self->ink, cairo_surface_destroy);
  g_clear_object (&self->texture);

  if (width <= 0 || height <= 0)
    return;

  self->ink = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  self->ink_width = width;
  self->ink_height = height;
  self->ink_scale = scale;

  cr = pk_signature_pad_ink_context (self);
  for (guint i = 0; i < pk_strokes_get_n_strokes (self->strokes); i++)
    {
      guint n_points = 0;
      const PkStrokePoint *points = pk_strokes_get_stroke (self->strokes, i, &n_points);

      for (guint j = 0; j < n_points; j++)
        {
          const PkStrokePoint *a = &points[j > 0 ? j - 1 : 0];
          const PkStrokePoint *b = &points[j];

          pk_signature_pad_draw_segment (self, cr,
                                         a->x / PAD_UNITS * width, a->y / PAD_UNITS * height,
                                         a->pressure,
                                         b->x / PAD_UNITS * width, b->y / PAD_UNITS * height,
                                         b->pressure);
        }
    }
  cairo_destroy (cr);
}

static void
pk_signature_pad_invalidate_ink (PkSignaturePad *self)
{
  g_clear_pointer (&self->ink, cairo_surface_destroy);
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GdkTexture *
pk_signature_pad_get_texture (PkSignaturePad *self)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->texture != NULL)
    return self->texture;

  cairo_surface_flush (self->ink);
  /* cairo's ARGB32 is premultiplied native-endian, GDK_MEMORY_DEFAULT. */
  bytes = g_bytes_new (cairo_image_surface_get_data (self->ink),
                       (gsize) cairo_image_surface_get_stride (self->ink) *
                       cairo_image_surface_get_height (self->ink));
  self->texture = gdk_memory_texture_new (cairo_image_surface_get_width (self->ink),
                                          cairo_image_surface_get_height (self->ink),
                                          GDK_MEMORY_DEFAULT,
                                          bytes,
                                          cairo_image_surface_get_stride (self->ink));
  return self->texture;
}

static void
pk_signature_pad_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PkSignaturePad *self = PK_SIGNATURE_PAD (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA guide;
  double baseline = height * 0.72;

  /* The signature line a signer knows from paper. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &guide);
  guide.alpha *= 0.35;
  gtk_snapshot_append_color (snapshot, &guide,
                             &GRAPHENE_RECT_INIT (width * 0.06, baseline, width * 0.88, 2));

  if (pk_strokes_is_empty (self->strokes))
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (widget,
                                                            _("Sign here with your finger or a pen"));
      int text_width, text_height;

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((width - text_width) / 2.0,
                                                    baseline - text_height - 12));
      gtk_snapshot_append_layout (snapshot, layout, &guide);
      gtk_snapshot_restore (snapshot);
      g_object_unref (layout);
    }
  else
    {
      pk_signature_pad_ensure_ink (self);
      if (self->ink != NULL)
        gtk_snapshot_append_texture (snapshot, pk_signature_pad_get_texture (self),
                                     &GRAPHENE_RECT_INIT (0, 0, self->ink_width, self->ink_height));
    }

  gtk_widget_snapshot_child (widget, self->clear_button, snapshot);
}

static void
pk_signature_pad_notify_empty (PkSignaturePad *self)
{
  gtk_widget_set_sensitive (self->clear_button, !pk_strokes_is_empty (self->strokes));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
}

static PkStrokePoint
pk_signature_pad_to_point (PkSignaturePad *self,
                           double          x,
                           double          y,
                           double          pressure,
                           guint32         time_ms)
{
  int width = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)));
  int height = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)));
  PkStrokePoint point;

  if (!self->have_t0)
    {
      self->t0 = time_ms;
      self->have_t0 = TRUE;
    }

  point.x = CLAMP (x / width, 0.0, 1.0) * PAD_UNITS;
  point.y = CLAMP (y / height, 0.0, 1.0) * PAD_UNITS;
  point.pressure = CLAMP (pressure, 0.0, 1.0);
  /* Event times are 32-bit milliseconds that wrap; unsigned arithmetic
   * keeps the difference right across a wrap. */
  point.t = time_ms - self->t0;

  return point;
}

void
pk_signature_pad_begin_stroke (PkSignaturePad *self,
                               double          x,
                               double          y,
                               double          pressure,
                               guint32         time_ms)
{
  PkStrokePoint point;
  gboolean was_empty;
  cairo_t *cr;

  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  was_empty = pk_strokes_is_empty (self->strokes);
  point = pk_signature_pad_to_point (self, x, y, pressure, time_ms);
  pk_strokes_begin_stroke (self->strokes);
  pk_strokes_add_point (self->strokes, &point);

  self->in_stroke = TRUE;
  self->last_x = x;
  self->last_y = y;
  self->last_pressure = point.pressure;

  pk_signature_pad_ensure_ink (self);
  if (self->ink != NULL)
    {
      /* A dot, so that a tap leaves a mark as a pen would. */
      cr = pk_signature_pad_ink_context (self);
      pk_signature_pad_draw_segment (self, cr, x, y, point.pressure, x, y, point.pressure);
      cairo_destroy (cr);
      g_clear_object (&self->texture);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (was_empty)
    pk_signature_pad_notify_empty (self);
}

void
pk_signature_pad_extend_stroke (PkSignaturePad *self,
                                double          x,
                                double          y,
                                double          pressure,
                                guint32         time_ms)
{
  PkStrokePoint point;
  cairo_t *cr;

  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  if (!self->in_stroke)
    return;

  point = pk_signature_pad_to_point (self, x, y, pressure, time_ms);
  pk_strokes_add_point (self->strokes, &point);

  pk_signature_pad_ensure_ink (self);
  if (self->ink != NULL)
    {
      cr = pk_signature_pad_ink_context (self);
      pk_signature_pad_draw_segment (self, cr,
                                     self->last_x, self->last_y, self->last_pressure,
                                     x, y, point.pressure);
      cairo_destroy (cr);
      g_clear_object (&self->texture);
    }

  self->last_x = x;
  self->last_y = y;
  self->last_pressure = point.pressure;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pk_signature_pad_end_stroke (PkSignaturePad *self)
{
  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  self->in_stroke = FALSE;
}

static double
pk_signature_pad_stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return 1.0;
}

static void
on_stylus_down (GtkGestureStylus *gesture,
                double            x,
                double            y,
                PkSignaturePad   *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  pk_signature_pad_begin_stroke (self, x, y, pk_signature_pad_stylus_pressure (gesture),
                                 gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture)));
}

static void
on_stylus_motion (GtkGestureStylus *gesture,
                  double            x,
                  double            y,
                  PkSignaturePad   *self)
{
  g_autofree GdkTimeCoord *backlog = NULL;
  guint n_backlog = 0;

  /* The compositor may coalesce pen samples; the backlog holds the
   * ones in between, which make fast curves smooth. */
  if (gtk_gesture_stylus_get_backlog (gesture, &backlog, &n_backlog))
    {
      for (guint i = 0; i < n_backlog; i++)
        {
          GdkTimeCoord *c = &backlog[i];
          double pressure = (c->flags & GDK_AXIS_FLAG_PRESSURE) ? c->axes[GDK_AXIS_PRESSURE] : 1.0;

          if (!(c->flags & GDK_AXIS_FLAG_X) || !(c->flags & GDK_AXIS_FLAG_Y))
            continue;
          pk_signature_pad_extend_stroke (self, c->axes[GDK_AXIS_X], c->axes[GDK_AXIS_Y],
                                          pressure, c->time);
        }
    }

  pk_signature_pad_extend_stroke (self, x, y, pk_signature_pad_stylus_pressure (gesture),
                                  gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture)));
}

static void
on_stylus_up (GtkGestureStylus *gesture,
              double            x,
              double            y,
              PkSignaturePad   *self)
{
  pk_signature_pad_end_stroke (self);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PkSignaturePad *self)
{
  GdkDevice *device = gtk_gesture_get_device (GTK_GESTURE (gesture));
  GtkWidget *target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* A pen is handled by the stylus gesture, with its pressure; the
   * Clear button handles its own clicks. */
  if ((device != NULL && gdk_device_get_source (device) == GDK_SOURCE_PEN) ||
      (target != NULL && target != GTK_WIDGET (self)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  /* Claimed at once: otherwise the scrolled form would take a finger
   * drawing on the pad for a pan and scroll away under it. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = x;
  self->drag_y = y;
  pk_signature_pad_begin_stroke (self, x, y, 1.0,
                                 gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture)));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PkSignaturePad *self)
{
  pk_signature_pad_extend_stroke (self, self->drag_x + dx, self->drag_y + dy, 1.0,
                                  gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture)));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PkSignaturePad *self)
{
  pk_signature_pad_end_stroke (self);
}

void
pk_signature_pad_clear (PkSignaturePad *self)
{
  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  if (pk_strokes_is_empty (self->strokes) && !self->in_stroke)
    return;

  pk_strokes_clear (self->strokes);
  self->have_t0 = FALSE;
  self->in_stroke = FALSE;
  pk_signature_pad_invalidate_ink (self);
  pk_signature_pad_notify_empty (self);
}

void
pk_signature_pad_retranslate (PkSignaturePad *self)
{
  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  gtk_button_set_label (GTK_BUTTON (self->clear_button), _("Clear"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->clear_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Clear the signature"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Signature pad: sign here with your finger, a pen or the mouse"),
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

PkStrokes *
pk_signature_pad_get_strokes (PkSignaturePad *self)
{
  g_return_val_if_fail (PK_IS_SIGNATURE_PAD (self), NULL);

  return self->strokes;
}

gboolean
pk_signature_pad_is_empty (PkSignaturePad *self)
{
  g_return_val_if_fail (PK_IS_SIGNATURE_PAD (self), TRUE);

  return pk_strokes_is_empty (self->strokes);
}

static void
pk_signature_pad_dispose (GObject *object)
{
  PkSignaturePad *self = PK_SIGNATURE_PAD (object);

  g_clear_pointer (&self->clear_button, gtk_widget_unparent);
  g_clear_pointer (&self->ink, cairo_surface_destroy);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (pk_signature_pad_parent_class)->dispose (object);
}

static void
pk_signature_pad_finalize (GObject *object)
{
  PkSignaturePad *self = PK_SIGNATURE_PAD (object);

  g_clear_pointer (&self->strokes, pk_strokes_free);

  G_OBJECT_CLASS (pk_signature_pad_parent_class)->finalize (object);
}

static void
pk_signature_pad_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PkSignaturePad *self = PK_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_EMPTY:
      g_value_set_boolean (value, pk_strokes_is_empty (self->strokes));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_signature_pad_class_init (PkSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_signature_pad_dispose;
  object_class->finalize = pk_signature_pad_finalize;
  object_class->get_property = pk_signature_pad_get_property;

  widget_class->snapshot = pk_signature_pad_snapshot;

  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "signaturepad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pk_signature_pad_init (PkSignaturePad *self)
{
  self->strokes = pk_strokes_new ();

  gtk_widget_set_size_request (GTK_WIDGET (self), 320, 200);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->clear_button = gtk_button_new ();
  gtk_widget_set_halign (self->clear_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->clear_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->clear_button, 12);
  gtk_widget_set_margin_end (self->clear_button, 12);
  gtk_widget_set_sensitive (self->clear_button, FALSE);
  gtk_widget_add_css_class (self->clear_button, "pill");
  gtk_widget_set_parent (self->clear_button, GTK_WIDGET (self));
  g_signal_connect_object (self->clear_button, "clicked",
                           G_CALLBACK (pk_signature_pad_clear), self, G_CONNECT_SWAPPED);

  self->stylus = gtk_gesture_stylus_new ();
  g_signal_connect (self->stylus, "down", G_CALLBACK (on_stylus_down), self);
  g_signal_connect (self->stylus, "motion", G_CALLBACK (on_stylus_motion), self);
  g_signal_connect (self->stylus, "up", G_CALLBACK (on_stylus_up), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->stylus));

  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drag));

  /* The ink colour follows the style, so a style switch redraws it. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (pk_signature_pad_invalidate_ink), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (pk_signature_pad_invalidate_ink), self, G_CONNECT_SWAPPED);

  pk_signature_pad_retranslate (self);
}

GtkWidget *
pk_signature_pad_new (void)
{
  return g_object_new (PK_TYPE_SIGNATURE_PAD, NULL);
}
