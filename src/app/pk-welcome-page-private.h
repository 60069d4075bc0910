/* pk-welcome-page-private.h: pk-welcome-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-welcome-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-welcome-page.h"

G_BEGIN_DECLS

/* The count line as shown ("1,234 people have signed"). */
const char *_pk_welcome_page_get_count_text (PkWelcomePage *self);

/* The label of the Sign button as shown. */
const char *_pk_welcome_page_get_sign_label (PkWelcomePage *self);

/* The petition title as shown. */
const char *_pk_welcome_page_get_title (PkWelcomePage *self);

G_END_DECLS
