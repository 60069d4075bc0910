/* pk-batches-page.h: admin → Batches: close, wipe, fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_BATCHES_PAGE (pk_batches_page_get_type ())
G_DECLARE_FINAL_TYPE (PkBatchesPage, pk_batches_page, PK, BATCHES_PAGE, GtkWidget)

/* Properties: "store" (construct-only), "petition" (the batch is
 * closed for it; may be NULL) and "language" (of the page's strings and
 * dialogs; set it again after a language switch). */
GtkWidget *pk_batches_page_new           (PkStore       *store);
/* Re-reads the counts and the fingerprint. */
void       pk_batches_page_refresh       (PkBatchesPage *self);
/* Closes the batch into a new file in @folder (named after the kiosk
 * and the time, never over an existing file), off the UI thread. */
void       pk_batches_page_close_batch   (PkBatchesPage *self,
                                          const char    *folder);

G_END_DECLS
