/* pk-batches-page-private.h: pk-batches-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-batches-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-batches-page.h"

G_BEGIN_DECLS

/* The last status message shown (for tests). */
const char *_pk_batches_page_get_status   (PkBatchesPage *self);

gboolean   _pk_batches_page_is_busy       (PkBatchesPage *self);

G_END_DECLS
