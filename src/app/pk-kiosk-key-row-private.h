/* pk-kiosk-key-row-private.h: pk-kiosk-key-row's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-kiosk-key-row.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-kiosk-key-row.h"

G_BEGIN_DECLS

GtkSwitch  *_pk_kiosk_key_row_get_switch      (PkKioskKeyRow         *self);

G_END_DECLS
