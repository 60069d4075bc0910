/* pk-sheet-csv.h: the columns of a typed-up sheet, read into signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pk-csv.h"
#include "pk-petition.h"
#include "pk-signature.h"

G_BEGIN_DECLS

/* What a CSV's header says each of its columns holds. */
typedef struct _PkSheetCsvColumns PkSheetCsvColumns;

/* Reads @header: each column is a field of @petition by its name
 * (pk_field_to_string(), any case), or `line` (the line on the sheet),
 * `signed` (yes or no) or `opt_in` (optional, yes or no). `line` and
 * `signed` are required; an unknown or repeated column fails with
 * G_IO_ERROR_INVALID_DATA, its message naming the CSV line and the
 * columns the petition allows. docs/paper.md lists the yes/no words. */
PkSheetCsvColumns *pk_sheet_csv_columns_new  (PkPetition         *petition,
                                              const PkCsvRecord  *header,
                                              GError            **error);
void               pk_sheet_csv_columns_free (PkSheetCsvColumns  *columns);

typedef enum {
  PK_SHEET_CSV_ROW_BLANK,     /* empty but for its line number: nobody signed */
  PK_SHEET_CSV_ROW_UNSIGNED,  /* typed up, but the line was not signed */
  PK_SHEET_CSV_ROW_SIGNED,    /* a signature to save */
  PK_SHEET_CSV_ROW_BAD,       /* *@error says what, *@out_column where */
} PkSheetCsvRow;

/* Reads @record, a row under the header of @columns, as a paper
 * signature of the sheet @serial in @lang: consent and sensitive-data
 * consent given (the sheet says a signature gives both), fields as
 * typed (not yet validated: pk_store_paper_check() does that). For a
 * signed or unsigned row *@out_sig is the signature, with its sheet
 * line. A bad row (wrong count of columns, a line number that is not
 * one of the sheet's, a yes/no that is neither) sets *@out_column to
 * the column's name, or NULL for the whole row, and @error. */
PkSheetCsvRow      pk_sheet_csv_read_row     (const PkSheetCsvColumns *columns,
                                              const PkCsvRecord       *record,
                                              const char              *serial,
                                              const char              *lang,
                                              PkSignature            **out_sig,
                                              const char             **out_column,
                                              GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSheetCsvColumns, pk_sheet_csv_columns_free)

G_END_DECLS
