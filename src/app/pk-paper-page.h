/* pk-paper-page.h: the admin's "Paper" page: transcribing and
 * counting signature sheets (pk-paper-page.c), printing sheets and
 * flyers (pk-paper-page-print.c)
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
 *
 * Built for a volunteer at a keyboard: the serial entry takes what a
 * USB scanner types (it ends with Enter), Enter moves through a line's
 * fields and, on its last one, saves the line and goes on to the next. */
GtkWidget  *pk_paper_page_new            (PkStore     *store);
void        pk_paper_page_set_petition   (PkPaperPage *self,
                                          PkPetition  *petition);
void        pk_paper_page_set_language   (PkPaperPage *self,
                                          const char  *language);

/* What a volunteer does, for tests and scripted use: */
/* Chooses transcription (FALSE) or count-only (TRUE) mode. */
void        pk_paper_page_set_count_mode (PkPaperPage *self,
                                          gboolean     count_only);
/* Types @serial and presses Enter: opens the sheet or reports why not.
 * The open sheet's lines typed with "signed" ticked are saved first;
 * when typed lines remain that cannot be saved, the volunteer is asked,
 * FALSE is returned, and the sheet opens only on "Discard Lines". */
gboolean    pk_paper_page_open_sheet     (PkPaperPage *self,
                                          const char  *serial);
/* Saves line @line of the open sheet, as Enter on its last field does. */
void        pk_paper_page_save_line      (PkPaperPage *self,
                                          guint        line);
/* In count-only mode, with a sheet open: sets the count and saves it,
 * as the spin button and "Save count" do. */
void        pk_paper_page_save_count     (PkPaperPage *self,
                                          guint        count);
/* Prints the sheets chosen in the Print group ("Sheets to print" from
 * "Number of the first sheet", paper size and language), as "Print
 * sheets…" does with GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG; with
 * GTK_PRINT_OPERATION_ACTION_EXPORT, into the PDF @export_path. Once
 * printed, the next print run starts after the last sheet, and a toast
 * says where the sheets went ("… saved to FILE." for a file). */
GtkPrintOperationResult
            pk_paper_page_print_sheets   (PkPaperPage             *self,
                                          GtkPrintOperationAction  action,
                                          const char              *export_path);
/* The widget of @column ("given_name" … "comment", "signed", "opt_in",
 * "status", "correct", "strike") on line @line of the open sheet, or
 * NULL. */
GtkWidget  *pk_paper_page_get_cell       (PkPaperPage *self,
                                          guint        line,
                                          const char  *column);
/* The message under the serial entry (errors, "sheet 42 holds …"). */
const char *pk_paper_page_get_status     (PkPaperPage *self);

G_END_DECLS
