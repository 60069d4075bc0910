/* pk-transcribe-page.h: the admin's "Paper" page: transcribing and
 * counting signature sheets, printing sheets and flyers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_TRANSCRIBE_PAGE (pk_transcribe_page_get_type ())
G_DECLARE_FINAL_TYPE (PkTranscribePage, pk_transcribe_page, PK, TRANSCRIBE_PAGE, GtkWidget)

/* Properties: "store" (construct-only), "petition" (may be NULL) and
 * "language" (of the page's own strings; set it again after a switch).
 *
 * Built for a volunteer at a keyboard: the serial entry takes what a
 * USB scanner types (it ends with Enter), Enter moves through a line's
 * fields and, on its last one, saves the line and goes on to the next. */
GtkWidget  *pk_transcribe_page_new           (PkStore          *store);
void        pk_transcribe_page_set_petition  (PkTranscribePage *self,
                                              PkPetition       *petition);
void        pk_transcribe_page_set_language  (PkTranscribePage *self,
                                              const char       *language);

/* What a volunteer does, for tests and scripted use: */
/* Chooses transcription (FALSE) or count-only (TRUE) mode. */
void        pk_transcribe_page_set_count_mode (PkTranscribePage *self,
                                               gboolean          count_only);
/* Types @serial and presses Enter: opens the sheet or reports why not. */
gboolean    pk_transcribe_page_open_sheet    (PkTranscribePage *self,
                                              const char       *serial);
/* Saves line @line of the open sheet, as Enter on its last field does. */
void        pk_transcribe_page_save_line     (PkTranscribePage *self,
                                              guint             line);
/* In count-only mode, with a sheet open: sets the count and saves it,
 * as the spin button and "Save count" do. */
void        pk_transcribe_page_save_count    (PkTranscribePage *self,
                                              guint             count);
/* Prints the sheets chosen on the page ("Sheets to print" from "Number
 * of the first sheet", paper size and language), as "Print sheets…"
 * does with GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG; with
 * GTK_PRINT_OPERATION_ACTION_EXPORT, into the PDF @export_path. Once
 * printed, the next print run starts after the last sheet. */
GtkPrintOperationResult
            pk_transcribe_page_print_sheets  (PkTranscribePage        *self,
                                              GtkPrintOperationAction  action,
                                              const char              *export_path);
/* The widget of @column ("given_name" … "comment", "signed", "opt_in",
 * "status") on line @line of the open sheet, or NULL. */
GtkWidget  *pk_transcribe_page_get_cell      (PkTranscribePage *self,
                                              guint             line,
                                              const char       *column);
/* The message under the serial entry (errors, "sheet 42 holds …"). */
const char *pk_transcribe_page_get_status    (PkTranscribePage *self);

G_END_DECLS
