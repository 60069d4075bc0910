/* pk-sheet-line.h: one numbered line of a paper signature sheet on the
 * Paper page, as a volunteer types it in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-petition.h"
#include "pk-signature.h"

G_BEGIN_DECLS

#define PK_TYPE_SHEET_LINE (pk_sheet_line_get_type ())
G_DECLARE_FINAL_TYPE (PkSheetLine, pk_sheet_line, PK, SHEET_LINE, GtkWidget)

typedef enum {
  PK_SHEET_LINE_OPEN,         /* editable: empty, being typed, or being corrected */
  PK_SHEET_LINE_SAVED,        /* a signature in the store: read-only */
  PK_SHEET_LINE_NOT_COUNTED,  /* typed but not signed, and left so: not saved */
  PK_SHEET_LINE_STRUCK,       /* struck out: no longer counted */
} PkSheetLineState;

/* The line's cells, left to right: its number, the entries of @columns
 * (@n_columns fields in the sheet's order), "signed", "keep informed"
 * and the status with the Correct and Strike out buttons. @size_groups
 * holds one horizontal GtkSizeGroup per cell (@n_columns + 4), which
 * the page's header row shares, so that every line's cells line up.
 * @petition checks each field as it is left; @lang is the sheet's.
 *
 * Signals:
 * - "save": Enter on the line's last cell; the page saves it.
 * - "strike": the Strike out button; the page strikes the saved line.
 * The Correct button is the line's own: it makes the line editable
 * again, and its next "save" replaces the saved line. */
PkSheetLine      *pk_sheet_line_new          (guint              number,
                                              PkPetition        *petition,
                                              const char        *lang,
                                              const PkField     *columns,
                                              guint              n_columns,
                                              GtkSizeGroup     **size_groups);
guint             pk_sheet_line_get_number   (PkSheetLine       *self);
PkSheetLineState  pk_sheet_line_get_state    (PkSheetLine       *self);
/* Whether the line replaces a saved one (Correct was pressed). */
gboolean          pk_sheet_line_get_correcting (PkSheetLine     *self);
/* Typed or ticked since it was last saved, shown or left unsigned: what
 * leaving the sheet would lose. */
gboolean          pk_sheet_line_is_dirty     (PkSheetLine       *self);
gboolean          pk_sheet_line_is_empty     (PkSheetLine       *self);
gboolean          pk_sheet_line_get_signed   (PkSheetLine       *self);
/* A new signature of what is typed: fields, "keep informed", the
 * sheet's language and both consents (given by signing the sheet). */
PkSignature      *pk_sheet_line_to_signature (PkSheetLine       *self);

/* How a saved line came to be, for the words beside it. */
typedef enum {
  PK_SHEET_LINE_SAVED_NOW,        /* "Saved" */
  PK_SHEET_LINE_CORRECTED_NOW,    /* "Corrected: DETAILS" */
  PK_SHEET_LINE_ENTERED_EARLIER,  /* "Entered earlier: DETAILS" */
  PK_SHEET_LINE_CORRECTED_EARLIER /* "Corrected on WHEN: DETAILS" */
} PkSheetLineHistory;

/* Shows @sig as saved, read-only, with words for @history: @details
 * (the signer in a few words) and @when (µs UTC, for a correction made
 * earlier). The words follow a language switch. */
void              pk_sheet_line_show_saved   (PkSheetLine       *self,
                                              const PkSignature *sig,
                                              PkSheetLineHistory history,
                                              const char        *details,
                                              gint64             when);
/* Shows the line struck out at @struck_at (µs UTC). */
void              pk_sheet_line_show_struck  (PkSheetLine       *self,
                                              gint64             struck_at);
/* Marks the line "not signed, so not counted". */
void              pk_sheet_line_show_not_counted (PkSheetLine   *self);
/* A message beside the line, as given (an error, already translated);
 * @css_class "error", "success" or NULL. */
void              pk_sheet_line_set_status   (PkSheetLine       *self,
                                              const char        *message,
                                              const char        *css_class);
/* Shows @message as the line's error, marks @field (PK_N_FIELDS for
 * none) and puts the focus there. */
void              pk_sheet_line_show_error   (PkSheetLine       *self,
                                              PkField            field,
                                              const char        *message);
/* Focuses the line's first cell. */
void              pk_sheet_line_focus        (PkSheetLine       *self);
/* The widget of @column ("given_name" … "comment", "signed", "opt_in",
 * "status", "correct", "strike"), or NULL. */
GtkWidget        *pk_sheet_line_get_cell     (PkSheetLine       *self,
                                              const char        *column);
/* Sets every string again, after a language switch. */
void              pk_sheet_line_retranslate  (PkSheetLine       *self);

G_END_DECLS
