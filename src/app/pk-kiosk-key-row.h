/* pk-kiosk-key-row.h: one kiosk key a master has seen, with its trust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-merge-trust.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_KIOSK_KEY_ROW (pk_kiosk_key_row_get_type ())
G_DECLARE_FINAL_TYPE (PkKioskKeyRow, pk_kiosk_key_row, PK, KIOSK_KEY_ROW, AdwActionRow)

/* A row for @entry: the kiosk's name (or id), the key's fingerprint and
 * when it first arrived, and a switch that trusts the key on @master
 * or stops trusting it. */
GtkWidget  *pk_kiosk_key_row_new             (PkStore               *master,
                                              const PkKioskKeyEntry *entry);
const char *pk_kiosk_key_row_get_fingerprint (PkKioskKeyRow         *self);

G_END_DECLS
