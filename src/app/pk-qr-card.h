/* pk-qr-card.h: the petition's QR code with a caption and its URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PK_TYPE_QR_CARD (pk_qr_card_get_type ())
G_DECLARE_FINAL_TYPE (PkQrCard, pk_qr_card, PK, QR_CARD, GtkWidget)

/* Properties: "url" (encoded in the code and printed small under it;
 * NULL or "" shows an empty card, so owners hide it then), "caption"
 * (an already translated line under the code), "code-size" (the side
 * of the code in pixels) and "language" (setting it re-sets the card's
 * own strings, the code's accessible label among them). */
void        pk_qr_card_set_url      (PkQrCard   *self,
                                     const char *url);
void        pk_qr_card_set_caption  (PkQrCard   *self,
                                     const char *caption);
void        pk_qr_card_set_code_size (PkQrCard  *self,
                                      int        size);
void        pk_qr_card_set_language (PkQrCard   *self,
                                     const char *language);

G_END_DECLS
