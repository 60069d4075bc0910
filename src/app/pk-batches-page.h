/* pk-batches-page.h: admin → Batches: close, wipe, fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-window.h"

G_BEGIN_DECLS

#define PK_TYPE_BATCHES_PAGE (pk_batches_page_get_type ())
G_DECLARE_FINAL_TYPE (PkBatchesPage, pk_batches_page, PK, BATCHES_PAGE, GtkWidget)

GtkWidget *pk_batches_page_new           (PkStore       *store);
/* Adds the page to @window's admin (after the pages added before it),
 * following the window's petition and language. */
void       pk_batches_page_add_to_window (PkWindow      *window);
/* Re-reads the counts and the fingerprint. */
void       pk_batches_page_refresh       (PkBatchesPage *self);
/* Closes the batch into a new file in @folder (named after the kiosk
 * and the time, never over an existing file), off the UI thread. */
void       pk_batches_page_close_batch   (PkBatchesPage *self,
                                          const char    *folder);

G_END_DECLS
