/* pk-qr-card-private.h: pk-qr-card's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-qr-card.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-qr-card.h"

G_BEGIN_DECLS

const char *_pk_qr_card_get_url      (PkQrCard   *self);

/* The URL as printed under the code. */
const char *_pk_qr_card_get_url_text (PkQrCard   *self);

G_END_DECLS
