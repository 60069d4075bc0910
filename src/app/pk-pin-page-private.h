/* pk-pin-page-private.h: pk-pin-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-pin-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-pin-page.h"

G_BEGIN_DECLS

/* The refusal or countdown shown, or NULL. */
const char *_pk_pin_page_get_status (PkPinPage *self);

/* Seconds left before another PIN is accepted, as counted down on screen. */
guint    _pk_pin_page_get_wait_left (PkPinPage *self);

G_END_DECLS
