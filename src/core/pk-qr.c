/* pk-qr.c: QR codes from libqrencode, drawn as crisp module rectangles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-qr"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

#include "pk-qr.h"

struct _PkQrCode
{
  guint   width;
  guint8 *modules;  /* width × width, row-major, 1 = dark */
};

/* Longest text we encode. A version 40 code at level M holds 2331 bytes,
 * but a URL or serial that long would give a code too dense to scan from
 * paper or a screen across a room; refuse it with a clear error instead. */
#define PK_QR_MAX_TEXT_BYTES 1024

PkQrCode *
pk_qr_code_new (const char  *text,
                GError     **error)
{
  PkQrCode *qr;
  QRcode *code;
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  length = strlen (text);
  if (length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There is no text to put in the QR code."));
      return NULL;
    }
  if (length > PK_QR_MAX_TEXT_BYTES || !g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The text for the QR code is not valid UTF-8 of at most %u byte.",
                                "The text for the QR code is not valid UTF-8 of at most %u bytes.",
                                PK_QR_MAX_TEXT_BYTES),
                   PK_QR_MAX_TEXT_BYTES);
      return NULL;
    }

  /* 8-bit mode, case-sensitive: URLs keep their case and non-ASCII text
   * survives as UTF-8 bytes, which every phone scanner reads. Version 0
   * lets libqrencode pick the smallest version that fits. */
  errno = 0;
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  /* Every text up to PK_QR_MAX_TEXT_BYTES fits a version 40 code, so
   * libqrencode fails here only for want of memory (ENOMEM). */
  if (code == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make the QR code: %s"), g_strerror (saved_errno));
      return NULL;
    }

  qr = g_new0 (PkQrCode, 1);
  qr->width = (guint) code->width;
  qr->modules = g_malloc ((gsize) qr->width * qr->width);
  /* Bit 0 of each libqrencode byte is the module colour; the other bits
   * describe its role (finder, timing, …), which drawing does not need. */
  for (gsize i = 0; i < (gsize) qr->width * qr->width; i++)
    qr->modules[i] = code->data[i] & 1;
  QRcode_free (code);

  return qr;
}

void
pk_qr_code_free (PkQrCode *qr)
{
  if (qr == NULL)
    return;

  g_free (qr->modules);
  g_free (qr);
}

guint
pk_qr_code_get_width (PkQrCode *qr)
{
  g_return_val_if_fail (qr != NULL, 0);

  return qr->width;
}


void
pk_qr_code_draw (PkQrCode *qr,
                 cairo_t  *cr,
                 double    x,
                 double    y,
                 double    size,
                 gboolean  snap)
{
  guint total;
  double module;
  double ox, oy;

  g_return_if_fail (qr != NULL);
  g_return_if_fail (cr != NULL);

  if (size <= 0)
    return;

  total = qr->width + 2 * PK_QR_QUIET_ZONE;
  module = size / total;
  ox = x;
  oy = y;

  if (snap)
    {
      double dx = 1.0, dy = 0.0;
      double scale;

      /* Whole device pixels per module, and the code's origin on a pixel
       * boundary, so that no module edge is anti-aliased on screen. The
       * code is centred in the square with the few pixels left over. This
       * assumes an unrotated, uniformly scaled target, which widgets are. */
      cairo_user_to_device_distance (cr, &dx, &dy);
      scale = hypot (dx, dy);
      if (scale > 0 && floor (size * scale / total) >= 1)
        {
          double px, py;

          module = floor (size * scale / total) / scale;
          px = x + (size - module * total) / 2;
          py = y + (size - module * total) / 2;
          cairo_user_to_device (cr, &px, &py);
          px = round (px);
          py = round (py);
          cairo_device_to_user (cr, &px, &py);
          ox = px;
          oy = py;
        }
    }

  cairo_save (cr);

  /* The light background is part of the code: a quiet zone painted in a
   * dark theme's colours would make it unreadable. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, ox, oy, module * total, module * total);
  cairo_fill (cr);

  /* One rectangle per horizontal run of dark modules, all in one path and
   * one fill: the rasterizer then covers the union of the rectangles, so
   * no hairline seams show between neighbouring modules (as they do when
   * each module is filled on its own and anti-aliased against the
   * background), and PDF and SVG output stays small. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_new_path (cr);
  for (guint row = 0; row < qr->width; row++)
    {
      const guint8 *line = qr->modules + (gsize) row * qr->width;
      guint col = 0;

      while (col < qr->width)
        {
          guint start;

          if (!line[col])
            {
              col++;
              continue;
            }

          start = col;
          while (col < qr->width && line[col])
            col++;

          cairo_rectangle (cr,
                           ox + (start + PK_QR_QUIET_ZONE) * module,
                           oy + (row + PK_QR_QUIET_ZONE) * module,
                           (col - start) * module,
                           module);
        }
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_fill (cr);

  cairo_restore (cr);
}
