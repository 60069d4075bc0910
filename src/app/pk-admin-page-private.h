/* pk-admin-page-private.h: pk-admin-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-admin-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-admin-page.h"

G_BEGIN_DECLS

void        _pk_admin_page_set_visible_page (PkAdminPage *self,
                                            const char  *name);

/* Whether the "signer data is not encrypted" warning is shown. */
gboolean    _pk_admin_page_shows_plain_warning (PkAdminPage *self);

G_END_DECLS
