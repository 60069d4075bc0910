/* test-qr.c: QR codes, their limits and their drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "pk-qr.h"

/* The finder pattern in the top left corner: a dark 7×7 ring, a light
 * ring inside it, a dark 3×3 centre, and a light separator around it.
 * Read from the drawing at one pixel a module, as a scanner sees it. */
static void
assert_top_left_finder (PkQrCode *qr)
{
  guint total = pk_qr_code_get_width (qr) + 2 * PK_QR_QUIET_ZONE;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, total, total);
  cairo_t *cr = cairo_create (surface);
  const guint8 *data;
  int stride;

  pk_qr_code_draw (qr, cr, 0, 0, total, TRUE);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (guint y = 0; y < 8; y++)
    for (guint x = 0; x < 8; x++)
      {
        gboolean ring = (x == 0 || x == 6 || y == 0 || y == 6) && x < 7 && y < 7;
        gboolean centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        const guint32 *pixel = (const guint32 *) (data + (y + PK_QR_QUIET_ZONE) * stride) +
                               x + PK_QR_QUIET_ZONE;

        g_assert_cmphex (*pixel & 0xffffff, ==, (ring || centre) ? 0x000000 : 0xffffff);
      }
  cairo_surface_destroy (surface);
}

static void
test_sizes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkQrCode) small = pk_qr_code_new ("https://example.org/p", &error);
  g_autofree char *longest = g_strnfill (1024, 'x');
  g_autoptr(PkQrCode) large = NULL;

  g_assert_no_error (error);
  /* Version 2 (25 modules) is the smallest that holds 21 bytes at M. */
  g_assert_cmpuint (pk_qr_code_get_width (small), ==, 25);
  assert_top_left_finder (small);

  large = pk_qr_code_new (longest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_qr_code_get_width (large), >, 100);
  g_assert_cmpuint ((pk_qr_code_get_width (large) - 17) % 4, ==, 0);
  assert_top_left_finder (large);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_strnfill (1025, 'x');

  g_assert_null (pk_qr_code_new ("", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "There is no text to put in the QR code.");
  g_clear_error (&error);

  g_assert_null (pk_qr_code_new (too_long, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "The text for the QR code is not valid UTF-8 of at most 1024 bytes.");
  g_clear_error (&error);

  g_assert_null (pk_qr_code_new ("caf\xc3", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Freeing nothing is allowed, as for g_free (). */
  pk_qr_code_free (NULL);
}

/* Drawn into a surface: the quiet zone light, the finder's corner dark,
 * and with snapping every module a whole number of pixels. */
static void
test_draw (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkQrCode) qr = pk_qr_code_new ("petition", &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint total = pk_qr_code_get_width (qr) + 2 * PK_QR_QUIET_ZONE;
  const guint8 *data;
  int stride;

  g_assert_no_error (error);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  /* 200 / 29 modules: 6 whole pixels each with snapping, centred. */
  pk_qr_code_draw (qr, cr, 0, 0, 200, TRUE);
  /* Nothing at all for an empty square. */
  pk_qr_code_draw (qr, cr, 0, 0, 0, FALSE);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  {
    guint module = 200 / total;
    guint origin = (200 - module * total) / 2;
    const guint32 *corner = (const guint32 *) (data + (origin + PK_QR_QUIET_ZONE * module) * stride) +
                            origin + PK_QR_QUIET_ZONE * module;
    const guint32 *quiet = (const guint32 *) (data + (origin + 1) * stride) + origin + 1;
    const guint32 *outside = (const guint32 *) data;

    g_assert_cmpuint (module, ==, 6);
    g_assert_cmphex (*corner & 0xffffff, ==, 0x000000);
    g_assert_cmphex (*quiet & 0xffffff, ==, 0xffffff);
    /* The leftover pixels around the centred code are not painted. */
    g_assert_cmphex (*outside & 0xffffff, ==, 0xff0000);
  }
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Pk/Qr/sizes", test_sizes);
  g_test_add_func ("/Pk/Qr/refused", test_refused);
  g_test_add_func ("/Pk/Qr/draw", test_draw);
  return g_test_run ();
}
