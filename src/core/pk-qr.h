/* pk-qr.h: QR codes from libqrencode, drawn as crisp module rectangles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Modules of white border the QR specification asks for on each side. */
#define PK_QR_QUIET_ZONE 4

typedef struct _PkQrCode PkQrCode;

/* Encodes @text (UTF-8, 8-bit mode) with medium error correction. */
PkQrCode *pk_qr_code_new        (const char *text,
                                 GError    **error);
void      pk_qr_code_free       (PkQrCode   *qr);
/* Width in modules, without the quiet zone. */
guint     pk_qr_code_get_width  (PkQrCode   *qr);
/* Draws the code, quiet zone included, into the square (@x, @y, @size)
 * as filled rectangles, dark on light. With @snap the module size is
 * rounded down to whole device units so that no module blurs on screen. */
void      pk_qr_code_draw       (PkQrCode   *qr,
                                 cairo_t    *cr,
                                 double      x,
                                 double      y,
                                 double      size,
                                 gboolean    snap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkQrCode, pk_qr_code_free)

G_END_DECLS
