/* pk-sync-page-private.h: pk-sync-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-sync-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-sync-page.h"

G_BEGIN_DECLS

gboolean    _pk_sync_page_get_running         (PkSyncPage             *self);

G_END_DECLS
