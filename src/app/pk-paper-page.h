/* pk-paper-page.h: the admin's "Paper" page: transcribing signature
 * sheets (pk-paper-page.c), opening and leaving them
 * (pk-paper-page-sheet.c), counting them (pk-paper-page-count.c),
 * printing sheets and flyers (pk-paper-page-print.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_PAPER_PAGE (pk_paper_page_get_type ())
G_DECLARE_FINAL_TYPE (PkPaperPage, pk_paper_page, PK, PAPER_PAGE, GtkWidget)

/* Properties: "store" (construct-only), "petition" (may be NULL) and
 * "language" (of the page's own strings; set it again after a switch).
 * What tests drive is in pk-paper-page-private.h.
 *
 * Built for a volunteer at a keyboard: the serial entry takes what a
 * USB scanner types (it ends with Enter), Enter moves through a line's
 * fields and, on its last one, saves the line and goes on to the next. */
GtkWidget  *pk_paper_page_new            (PkStore     *store);
void        pk_paper_page_set_petition   (PkPaperPage *self,
                                          PkPetition  *petition);
void        pk_paper_page_set_language   (PkPaperPage *self,
                                          const char  *language);

G_END_DECLS
