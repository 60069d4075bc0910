/* pk-chart.c: a horizontal bar chart drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text takes the widget's own foreground color and the bars the accent
 * color, so the chart reads the same in light, dark and high-contrast
 * styles. Screen readers get the numbers as the chart's description.
 */
#define G_LOG_DOMAIN "pk-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-chart-private.h"

#define PK_CHART_ROW_HEIGHT 28
#define PK_CHART_LABEL_WIDTH 180
#define PK_CHART_PADDING 6

struct _PkChart
{
  GtkWidget  parent_instance;

  char      *title;
  GPtrArray *labels;   /* char* */
  GArray    *values;   /* gint64 */
};

G_DEFINE_FINAL_TYPE (PkChart, pk_chart, GTK_TYPE_WIDGET)

static void
pk_chart_update_description (PkChart *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->labels->len; i++)
    g_string_append_printf (text, "%s%s: %" G_GINT64_FORMAT, i > 0 ? "; " : "",
                            (const char *) g_ptr_array_index (self->labels, i),
                            g_array_index (self->values, gint64, i));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title != NULL ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
  g_string_free (text, TRUE);
}

static void
pk_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  PkChart *self = PK_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = PK_CHART_LABEL_WIDTH + 120;
      *natural = PK_CHART_LABEL_WIDTH + 360;
    }
  else
    /* The title's row, and a row a value, or one for "No signatures
     * yet". */
    *minimum = *natural = (MAX (self->labels->len, 1) + 1) * PK_CHART_ROW_HEIGHT + PK_CHART_PADDING;
}

static void
pk_chart_draw_text (cairo_t     *cr,
                    PangoLayout *layout,
                    const char  *text,
                    double       x,
                    double       y,
                    double       width,
                    gboolean     align_right)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align_right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y + (PK_CHART_ROW_HEIGHT - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
pk_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  PkChart *self = PK_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  cairo_t *cr;
  GdkRGBA fg;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };  /* GNOME blue 3, readable on dark and light */
  gint64 max = 1;
  double bar_x = PK_CHART_LABEL_WIDTH + PK_CHART_PADDING;
  double bar_width = MAX (width - bar_x - 80, 10);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (guint i = 0; i < self->values->len; i++)
    max = MAX (max, g_array_index (self->values, gint64, i));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  gdk_cairo_set_source_rgba (cr, &fg);
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    pango_layout_set_attributes (layout, attrs);
    pk_chart_draw_text (cr, layout, self->title != NULL ? self->title : "", 0, 0, width, FALSE);
    pango_layout_set_attributes (layout, NULL);
    pango_attr_list_unref (attrs);
  }

  if (self->labels->len == 0)
    {
      GdkRGBA dim = fg;

      dim.alpha *= 0.6;
      gdk_cairo_set_source_rgba (cr, &dim);
      pk_chart_draw_text (cr, layout, _("No signatures yet"), 0, PK_CHART_ROW_HEIGHT, width, FALSE);
    }

  for (guint i = 0; i < self->labels->len; i++)
    {
      double y = (i + 1) * PK_CHART_ROW_HEIGHT;
      gint64 value = g_array_index (self->values, gint64, i);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      double w = bar_width * value / (double) max;

      gdk_cairo_set_source_rgba (cr, &fg);
      pk_chart_draw_text (cr, layout, g_ptr_array_index (self->labels, i), 0, y,
                          PK_CHART_LABEL_WIDTH, FALSE);

      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_rectangle (cr, bar_x, y + 5, MAX (w, 1), PK_CHART_ROW_HEIGHT - 10);
      cairo_fill (cr);

      gdk_cairo_set_source_rgba (cr, &fg);
      pk_chart_draw_text (cr, layout, number, bar_x + w + PK_CHART_PADDING, y, 80, FALSE);
    }

  cairo_destroy (cr);
}

static void
pk_chart_finalize (GObject *object)
{
  PkChart *self = PK_CHART (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_array_unref);

  G_OBJECT_CLASS (pk_chart_parent_class)->finalize (object);
}

static void
pk_chart_class_init (PkChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pk_chart_finalize;
  widget_class->measure = pk_chart_measure;
  widget_class->snapshot = pk_chart_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "chart");
}

static void
pk_chart_init (PkChart *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->values = g_array_new (FALSE, FALSE, sizeof (gint64));
}


void
pk_chart_set_title (PkChart    *self,
                    const char *title)
{
  g_return_if_fail (PK_IS_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  pk_chart_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pk_chart_set_data (PkChart            *self,
                   const char * const *labels,
                   const gint64       *values,
                   guint               n)
{
  g_return_if_fail (PK_IS_CHART (self));

  g_ptr_array_set_size (self->labels, 0);
  g_array_set_size (self->values, 0);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (self->labels, g_strdup (labels[i]));
      g_array_append_val (self->values, values[i]);
    }
  pk_chart_update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
_pk_chart_get_n_bars (PkChart *self)
{
  g_return_val_if_fail (PK_IS_CHART (self), 0);
  return self->labels->len;
}

const char *
_pk_chart_get_title (PkChart *self)
{
  g_return_val_if_fail (PK_IS_CHART (self), NULL);
  return self->title;
}

const char *
_pk_chart_get_label (PkChart *self,
                    guint    index)
{
  g_return_val_if_fail (PK_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->labels->len, NULL);
  return g_ptr_array_index (self->labels, index);
}

gint64
pk_chart_get_value (PkChart *self,
                    guint    index)
{
  g_return_val_if_fail (PK_IS_CHART (self), 0);
  g_return_val_if_fail (index < self->values->len, 0);
  return g_array_index (self->values, gint64, index);
}
