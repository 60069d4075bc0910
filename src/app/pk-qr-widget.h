/* pk-qr-widget.h: a QR code drawn crisply from its modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PK_TYPE_QR_WIDGET (pk_qr_widget_get_type ())
G_DECLARE_FINAL_TYPE (PkQrWidget, pk_qr_widget, PK, QR_WIDGET, GtkWidget)

/* The text to encode (a URL); NULL or "" shows nothing. */
void        pk_qr_widget_set_text (PkQrWidget *self,
                                   const char *text);
/* The side in pixels the code asks for (default 220); it never goes
 * below three pixels a module, and stays square at any size. */
void        pk_qr_widget_set_size (PkQrWidget *self,
                                   int         size);
int         pk_qr_widget_get_size (PkQrWidget *self);

G_END_DECLS
