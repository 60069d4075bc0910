/* pk-thank-you-page.h: thanks, then back to the welcome screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-petition.h"
#include "pk-qr-card.h"

G_BEGIN_DECLS

#define PK_TYPE_THANK_YOU_PAGE (pk_thank_you_page_get_type ())
G_DECLARE_FINAL_TYPE (PkThankYouPage, pk_thank_you_page, PK, THANK_YOU_PAGE, GtkWidget)

/* Properties "petition" (its URL is offered as a QR code for friends;
 * may be NULL) and "language". Every signer, a repeat one too, sees the
 * same page. The window returns to the welcome screen after the
 * thank-you delay. */
void        pk_thank_you_page_set_petition       (PkThankYouPage *self,
                                                  PkPetition     *petition);
void        pk_thank_you_page_set_language       (PkThankYouPage *self,
                                                  const char     *language);

G_END_DECLS
