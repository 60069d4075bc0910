/* pk-thank-you-page-private.h: pk-thank-you-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-thank-you-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-thank-you-page.h"

G_BEGIN_DECLS

/* The QR code card (hidden while there is no petition URL). */
PkQrCard   *_pk_thank_you_page_get_qr_card        (PkThankYouPage *self);

/* The headline currently shown. */
const char *_pk_thank_you_page_get_title          (PkThankYouPage *self);

G_END_DECLS
