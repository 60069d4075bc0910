/* test-focus-ring.c: the keyboard focus is seen at night, and "Still
 * there?" hides the form (issue 13, item 6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both are checked on what GTK draws: the window is rendered to an
 * image, as it is put on screen, and its pixels are read. The focus is
 * moved with real Tab presses through the whole form; at every stop the
 * focused control must be ringed, on all four sides, by at least three
 * pixels of the accent colour, which stands out from the window's
 * background in the light and the dark style.
 */
#define G_LOG_DOMAIN "test-focus-ring"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

/* The window as drawn, ARGB32, at its own size: GTK draws a window's
 * shadow margin too, so the image is a little bigger than the window,
 * and a point of the window is where widget_to_image() puts it. */
static cairo_surface_t *
render_window (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* @widget's border box in the image of its window. */
static graphene_rect_t
widget_to_image (GtkWidget *widget,
                 GtkWidget *window)
{
  graphene_rect_t bounds, drawn;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  /* The image starts where the window's drawing does, shadow included. */
  g_assert_true (gtk_widget_compute_bounds (window, window, &drawn));
  graphene_rect_offset (&bounds, -drawn.origin.x, -drawn.origin.y);
  return bounds;
}

static GdkRGBA
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  guint32 pixel;
  double alpha;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  pixel = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
  alpha = (pixel >> 24) / 255.0;
  if (alpha == 0)
    return (GdkRGBA) { 0, 0, 0, 0 };
  /* Cairo keeps colours premultiplied by alpha. */
  return (GdkRGBA) { ((pixel >> 16) & 0xff) / 255.0 / alpha,
                     ((pixel >> 8) & 0xff) / 255.0 / alpha,
                     (pixel & 0xff) / 255.0 / alpha,
                     alpha };
}

static gboolean
same_colour (const GdkRGBA *a,
             const GdkRGBA *b)
{
  return fabs (a->red - b->red) < 0.03 && fabs (a->green - b->green) < 0.03 &&
         fabs (a->blue - b->blue) < 0.03 && fabs (a->alpha - b->alpha) < 0.03;
}

static GdkRGBA
named_colour (GtkWidget  *widget,
              const char *name)
{
  GdkRGBA colour;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &colour));
  return colour;
}

/* WCAG's relative luminance and contrast ratio. */
static double
luminance (const GdkRGBA *colour)
{
  double channel[3] = { colour->red, colour->green, colour->blue };

  for (guint i = 0; i < 3; i++)
    channel[i] = channel[i] <= 0.03928 ? channel[i] / 12.92 : pow ((channel[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* What draws the ring of @focus: an entry for the text inside it, the
 * box of a check button, anything else itself. */
static GtkWidget *
ring_host (GtkWidget *focus)
{
  if (GTK_IS_TEXT (focus))
    return gtk_widget_get_parent (focus);
  if (GTK_IS_CHECK_BUTTON (focus))
    return gtk_widget_get_first_child (focus);
  return focus;
}

/* The ring around @host: 4 px of @ring, 1 px off its edge, on every side;
 * measured 2, 3 and 4 px out from the middle of each side. A scrolled
 * window, which may fill the screen's edge, draws its ring inside it:
 * measured 1, 2 and 3 px in. */
static void
assert_ringed (cairo_surface_t *image,
               GtkWidget       *window,
               GtkWidget       *host,
               const GdkRGBA   *ring)
{
  gboolean inside = GTK_IS_SCROLLED_WINDOW (host);
  graphene_rect_t b;
  int left, top, right, bottom, mid_x, mid_y;

  b = widget_to_image (host, window);
  left = (int) floor (b.origin.x);
  top = (int) floor (b.origin.y);
  right = (int) ceil (b.origin.x + b.size.width);
  bottom = (int) ceil (b.origin.y + b.size.height);
  mid_x = (left + right) / 2;
  mid_y = (top + bottom) / 2;

  for (int d = inside ? -3 : 2; d <= (inside ? -1 : 4); d++)
    {
      const struct { const char *side; int x, y; } points[] = {
        { "left", left - d, mid_y },
        { "right", right + d - 1, mid_y },
        { "top", mid_x, top - d },
        { "bottom", mid_x, bottom + d - 1 },
      };

      for (guint i = 0; i < G_N_ELEMENTS (points); i++)
        {
          GdkRGBA seen = pixel_at (image, points[i].x, points[i].y);

          if (!same_colour (&seen, ring))
            g_error ("%s (%s) has no focus ring %d px out of its %s side: rgba(%.2f, %.2f, %.2f, %.2f)",
                     G_OBJECT_TYPE_NAME (host), gtk_widget_get_css_name (host), d, points[i].side,
                     seen.red, seen.green, seen.blue, seen.alpha);
        }
    }
}

/* Tab from the first field round the whole form, back to the first
 * field: every stop is drawn ringed. */
static void
walk_form (AdwColorScheme scheme)
{
  PkGuiFixture f = { 0 };
  GtkWidget *window, *first, *focus;
  GdkRGBA ring, background;
  guint stops = 0;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  window = GTK_WIDGET (f.window);
  pk_gui_open_form (&f, "en");
  first = GTK_WIDGET (_pk_form_page_get_entry (_pk_window_get_form_page (f.window), PK_FIELD_GIVEN_NAME));

  ring = named_colour (window, "accent_color");
  background = named_colour (window, "window_bg_color");
  g_test_message ("ring against the background: %.1f:1", contrast (&ring, &background));
  /* WCAG 2.1's least contrast for a focus indicator (1.4.11). */
  g_assert_cmpfloat (contrast (&ring, &background), >=, 3.0);

  do
    {
      cairo_surface_t *image;

      pk_gui_key (GTK_WINDOW (window), XK_Tab, 0);
      focus = pk_gui_focus (window);
      g_assert_nonnull (focus);
      g_test_message ("stop %u: %s", stops, G_OBJECT_TYPE_NAME (focus));
      image = render_window (window);
      assert_ringed (image, window, ring_host (focus), &ring);
      cairo_surface_destroy (image);
      stops++;
    }
  while (!gtk_widget_is_ancestor (focus, first) && stops < 40);

  /* Round the whole form: the fields, the pad, the consents, Submit. */
  g_assert_cmpuint (stops, >, 10);
  g_assert_true (gtk_widget_is_ancestor (focus, first));

  pk_gui_fixture_teardown (&f);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_ring_light (void)
{
  walk_form (ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
test_ring_dark (void)
{
  walk_form (ADW_COLOR_SCHEME_FORCE_DARK);
}

static gboolean
still_there_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* "Still there?" covers the form with the window's own colour: where
 * the form's details were, nothing of them shows through. */
static void
test_still_there_opaque (void)
{
  PkGuiFixture f = { 0 };
  GtkWidget *window, *entry, *still_here;
  PkFormPage *form;
  cairo_surface_t *image;
  graphene_rect_t b;
  GdkRGBA background;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  window = GTK_WIDGET (f.window);
  form = pk_gui_open_form (&f, "en");
  pk_gui_type (GTK_WINDOW (window), "Alice");
  entry = GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME));

  /* The schema's shortest times are too long for a test; the idle
   * guard takes shorter ones. */
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 1, "still-there-seconds", 60, NULL);
  still_here = pk_gui_find_action (window, "idle.still-here");
  g_assert_true (pk_gui_wait (still_there_shown, still_here, 10));
  pk_gui_settle ();

  background = named_colour (window, "window_bg_color");
  image = render_window (window);
  b = widget_to_image (entry, window);
  /* The card sits in the middle; the entry, top left, is under the shade. */
  for (int y = (int) ceil (b.origin.y); y < (int) (b.origin.y + b.size.height); y += 2)
    for (int x = (int) ceil (b.origin.x); x < (int) (b.origin.x + b.size.width); x += 2)
      {
        GdkRGBA seen = pixel_at (image, x, y);

        if (!same_colour (&seen, &background))
          g_error ("The form shows through “Still there?” at (%d, %d): rgba(%.2f, %.2f, %.2f, %.2f)",
                   x, y, seen.red, seen.green, seen.blue, seen.alpha);
      }
  cairo_surface_destroy (image);

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/FocusRing/light", test_ring_light);
  g_test_add_func ("/Pk/FocusRing/dark", test_ring_dark);
  g_test_add_func ("/Pk/FocusRing/still-there-opaque", test_still_there_opaque);

  return g_test_run ();
}
