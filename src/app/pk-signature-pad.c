/* pk-signature-pad.c: a pad to sign on by hand, with pen, finger or mouse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-signature-pad"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "pk-signature-pad.h"

/* Rendering is incremental and vector-based. The ink is cut into chunks
 * of at most CHUNK_SEGMENTS segments; each chunk is recorded once into a
 * GskCairoNode (a cairo recording, replayed by the renderer) and then
 * kept. Finished strokes live in one container node that only changes
 * when a stroke ends; the stroke being drawn adds its own sealed chunks
 * and an open tail of fewer than CHUNK_SEGMENTS segments, the only ink
 * recorded again each frame. Since unchanged nodes are the same
 * pointers from frame to frame, GSK's node diff damages only the tail's
 * bounds, so neither the snapshot nor the render of a frame grows with
 * the number of points held or with the pad's area. A resize or a change
 * of style records every chunk again, which is vector work, no pixels. */

#define PAD_UNITS 65535.0
#define CHUNK_SEGMENTS 32

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
  double           drag_x;
  double           drag_y;

  /* The ink cache; valid for ink_width × ink_height only. */
  gboolean         ink_valid;
  int              ink_width;
  int              ink_height;
  GPtrArray       *done_chunks;  /* GskRenderNode *, chunks of finished strokes */
  GskRenderNode   *done_node;    /* container of done_chunks, NULL when stale */
  guint            done_strokes; /* strokes whose chunks are all in done_chunks */
  GPtrArray       *open_chunks;  /* sealed chunks of the stroke being drawn */
  guint            open_sealed;  /* its points covered by open_chunks */
};

G_DEFINE_FINAL_TYPE (PkSignaturePad, pk_signature_pad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
pk_signature_pad_line_width (int    height,
                             double pressure)
{
  double base = MAX (2.5, height / 90.0);

  return base * (0.5 + 0.75 * CLAMP (pressure, 0.0, 1.0));
}

static void
pk_signature_pad_set_ink_source (cairo_t *cr)
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

/* Adds the outline of the segment p0 → p1, with round ends of radius r0
 * and r1, as one closed sub-path: the convex hull of the two discs.
 * Every sub-path runs the same way round (arcs drawn negative), so one
 * non-zero fill of all of them is their union: the pen's width varies
 * smoothly along the segment, and a whole chunk is one fill instead of
 * a stroke per segment. */
static void
pk_signature_pad_add_capsule (cairo_t *cr,
                              double   x0,
                              double   y0,
                              double   r0,
                              double   x1,
                              double   y1,
                              double   r1)
{
  double dx = x1 - x0;
  double dy = y1 - y0;
  double d = sqrt (dx * dx + dy * dy);
  double phi, alpha;

  /* One disc holds the other (a dot, or a pen standing still): the
   * larger disc is the whole segment. */
  if (d <= fabs (r1 - r0) + 1e-6)
    {
      double x = r0 >= r1 ? x0 : x1;
      double y = r0 >= r1 ? y0 : y1;

      cairo_new_sub_path (cr);
      cairo_arc_negative (cr, x, y, MAX (r0, r1), 2 * G_PI, 0);
      cairo_close_path (cr);
      return;
    }

  phi = atan2 (dy, dx);
  alpha = asin ((r0 - r1) / d);
  cairo_new_sub_path (cr);
  cairo_arc_negative (cr, x1, y1, r1, phi + G_PI_2 - alpha, phi - G_PI_2 + alpha);
  cairo_arc_negative (cr, x0, y0, r0, phi - G_PI_2 + alpha, phi - 3 * G_PI_2 - alpha);
  cairo_close_path (cr);
}

/* Records points[first … last] of a stroke (one dot when first == last)
 * into a new cairo node bounded by the ink it holds. */
static GskRenderNode *
pk_signature_pad_record_chunk (PkSignaturePad      *self,
                               const PkStrokePoint *points,
                               guint                first,
                               guint                last)
{
  double sx = self->ink_width / PAD_UNITS;
  double sy = self->ink_height / PAD_UNITS;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double max_r = 0;
  GskRenderNode *node;
  cairo_t *cr;

  for (guint i = first; i <= last; i++)
    {
      min_x = MIN (min_x, points[i].x * sx);
      min_y = MIN (min_y, points[i].y * sy);
      max_x = MAX (max_x, points[i].x * sx);
      max_y = MAX (max_y, points[i].y * sy);
      max_r = MAX (max_r, pk_signature_pad_line_width (self->ink_height, points[i].pressure) / 2.0);
    }
  /* One pixel more all round for antialiasing. */
  max_r += 1.0;

  node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (floor (min_x - max_r), floor (min_y - max_r),
                                                  ceil (max_x - min_x + 2 * max_r) + 1,
                                                  ceil (max_y - min_y + 2 * max_r) + 1));
  cr = gsk_cairo_node_get_draw_context (node);
  pk_signature_pad_set_ink_source (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  for (guint i = first; i <= last; i++)
    {
      const PkStrokePoint *a = &points[i > first ? i - 1 : i];
      const PkStrokePoint *b = &points[i];

      pk_signature_pad_add_capsule (cr,
                                    a->x * sx, a->y * sy,
                                    pk_signature_pad_line_width (self->ink_height, a->pressure) / 2.0,
                                    b->x * sx, b->y * sy,
                                    pk_signature_pad_line_width (self->ink_height, b->pressure) / 2.0);
    }
  cairo_fill (cr);
  cairo_destroy (cr);

  return node;
}

/* Records the chunks of points[from …] that are complete (or, with
 * @finished, all of them) into @chunks; returns the number of points
 * now covered. Chunks overlap by one point, so that the segment between
 * them is drawn. */
static guint
pk_signature_pad_seal_chunks (PkSignaturePad      *self,
                              const PkStrokePoint *points,
                              guint                n_points,
                              guint                from,
                              gboolean             finished,
                              GPtrArray           *chunks)
{
  if (n_points == 0)
    return 0;

  if (from == 0)
    {
      /* The dot a tap leaves, as a pen would; for a longer stroke the
       * first chunk draws it too, harmlessly. */
      if (n_points == 1 && finished)
        {
          g_ptr_array_add (chunks, pk_signature_pad_record_chunk (self, points, 0, 0));
          return 1;
        }
      from = 1;
    }

  while (n_points - from >= CHUNK_SEGMENTS || (finished && from < n_points))
    {
      guint last = MIN (from + CHUNK_SEGMENTS, n_points) - 1;

      g_ptr_array_add (chunks, pk_signature_pad_record_chunk (self, points, from - 1, last));
      from = last + 1;
    }
  return from;
}

static void
pk_signature_pad_drop_ink (PkSignaturePad *self)
{
  self->ink_valid = FALSE;
  g_ptr_array_set_size (self->done_chunks, 0);
  g_clear_pointer (&self->done_node, gsk_render_node_unref);
  self->done_strokes = 0;
  g_ptr_array_set_size (self->open_chunks, 0);
  self->open_sealed = 0;
}

/* Brings the cache up to date with the strokes and returns the node of
 * all ink drawn, or NULL when there is none. */
static GskRenderNode *
pk_signature_pad_build_ink (PkSignaturePad *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint n_strokes = pk_strokes_get_n_strokes (self->strokes);
  /* The last stroke stays open while the pen is down. */
  guint n_finished = self->in_stroke && n_strokes > 0 ? n_strokes - 1 : n_strokes;
  g_autoptr(GPtrArray) children = NULL;

  if (width <= 0 || height <= 0)
    return NULL;

  if (!self->ink_valid || self->ink_width != width || self->ink_height != height)
    {
      pk_signature_pad_drop_ink (self);
      self->ink_valid = TRUE;
      self->ink_width = width;
      self->ink_height = height;
    }

  if (self->done_strokes < n_finished)
    {
      for (guint i = self->done_strokes; i < n_finished; i++)
        {
          guint n_points = 0;
          const PkStrokePoint *points = pk_strokes_get_stroke (self->strokes, i, &n_points);

          /* The open chunks already sealed of a stroke that just ended
           * are kept, and its rest is sealed after them. */
          if (i == self->done_strokes && self->open_chunks->len > 0)
            {
              for (guint j = 0; j < self->open_chunks->len; j++)
                g_ptr_array_add (self->done_chunks,
                                 gsk_render_node_ref (g_ptr_array_index (self->open_chunks, j)));
              pk_signature_pad_seal_chunks (self, points, n_points, self->open_sealed, TRUE,
                                            self->done_chunks);
            }
          else
            pk_signature_pad_seal_chunks (self, points, n_points, 0, TRUE, self->done_chunks);
          g_ptr_array_set_size (self->open_chunks, 0);
          self->open_sealed = 0;
        }
      self->done_strokes = n_finished;
      g_clear_pointer (&self->done_node, gsk_render_node_unref);
    }

  if (self->done_node == NULL && self->done_chunks->len > 0)
    self->done_node = gsk_container_node_new ((GskRenderNode **) self->done_chunks->pdata,
                                              self->done_chunks->len);

  children = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  if (self->done_node != NULL)
    g_ptr_array_add (children, gsk_render_node_ref (self->done_node));

  if (n_finished < n_strokes)
    {
      guint n_points = 0;
      const PkStrokePoint *points = pk_strokes_get_stroke (self->strokes, n_finished, &n_points);

      self->open_sealed = pk_signature_pad_seal_chunks (self, points, n_points, self->open_sealed,
                                                        FALSE, self->open_chunks);
      for (guint j = 0; j < self->open_chunks->len; j++)
        g_ptr_array_add (children, gsk_render_node_ref (g_ptr_array_index (self->open_chunks, j)));
      /* The tail, fewer than CHUNK_SEGMENTS segments: the only ink
       * recorded again for this frame. */
      if (n_points > 0 && (self->open_sealed < n_points || self->open_chunks->len == 0))
        g_ptr_array_add (children,
                         pk_signature_pad_record_chunk (self, points,
                                                        self->open_sealed > 0 ? self->open_sealed - 1 : 0,
                                                        n_points - 1));
    }

  if (children->len == 0)
    return NULL;
  return gsk_container_node_new ((GskRenderNode **) children->pdata, children->len);
}

static void
pk_signature_pad_invalidate_ink (PkSignaturePad *self)
{
  pk_signature_pad_drop_ink (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
      GskRenderNode *ink = pk_signature_pad_build_ink (self);

      if (ink != NULL)
        {
          gtk_snapshot_append_node (snapshot, ink);
          gsk_render_node_unref (ink);
        }
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

  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  was_empty = pk_strokes_is_empty (self->strokes);
  point = pk_signature_pad_to_point (self, x, y, pressure, time_ms);
  pk_strokes_begin_stroke (self->strokes);
  pk_strokes_add_point (self->strokes, &point);
  self->in_stroke = TRUE;
  /* The ink is recorded at the next snapshot, from the strokes. */
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

  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  if (!self->in_stroke)
    return;

  point = pk_signature_pad_to_point (self, x, y, pressure, time_ms);
  pk_strokes_add_point (self->strokes, &point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pk_signature_pad_end_stroke (PkSignaturePad *self)
{
  g_return_if_fail (PK_IS_SIGNATURE_PAD (self));

  if (!self->in_stroke)
    return;
  self->in_stroke = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  pk_signature_pad_drop_ink (self);

  G_OBJECT_CLASS (pk_signature_pad_parent_class)->dispose (object);
}

static void
pk_signature_pad_finalize (GObject *object)
{
  PkSignaturePad *self = PK_SIGNATURE_PAD (object);

  g_clear_pointer (&self->strokes, pk_strokes_free);
  g_clear_pointer (&self->done_chunks, g_ptr_array_unref);
  g_clear_pointer (&self->open_chunks, g_ptr_array_unref);

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
  self->done_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  self->open_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);

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
