/* pk-trusted-keys.h: the coordinator's list of kiosk keys, to trust or
 * stop trusting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_TRUSTED_KEYS (pk_trusted_keys_get_type ())
G_DECLARE_FINAL_TYPE (PkTrustedKeys, pk_trusted_keys, PK, TRUSTED_KEYS, AdwWindow)

/* A window, modal for @parent, listing every kiosk key @master has
 * seen (pk_merge_trust_list()) with a switch each. */
GtkWidget *pk_trusted_keys_new (GtkWindow *parent,
                                PkStore   *master);

G_END_DECLS
