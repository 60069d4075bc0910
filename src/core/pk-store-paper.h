/* pk-store-paper.h: signatures and counts that came in on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two ways paper comes back (docs/paper.md):
 * - transcribed: each signed line becomes a signature row with source
 *   "paper", its sheet serial and line (the store refuses a line twice);
 * - count only: a campaign that hands the paper itself to the
 *   authorities records how many valid signatures each sheet holds, in
 *   the sheet_counts table, never mixed with the signature rows.
 * A sheet is either transcribed or counted, never both, so that no
 * signer is counted twice.
 */
#pragma once

#include "pk-petition.h"
#include "pk-signature.h"
#include "pk-store.h"

G_BEGIN_DECLS

/* ----- count only -------------------------------------------------------- */

/* Records that sheet @serial of @petition_id holds @count valid
 * signatures (0 … PK_SHEET_LINES). A sheet already counted is refused
 * with PK_STORE_ERROR_PAPER_LINE_TAKEN unless @replace, which corrects
 * it; a sheet with transcribed lines is always refused. */
gboolean   pk_store_paper_set_count     (PkStore     *self,
                                         const char  *petition_id,
                                         const char  *serial,
                                         guint        count,
                                         gboolean     replace,
                                         GError     **error);
/* The count recorded for @serial: TRUE and @out_count / @out_entered_at
 * (µs UTC) when there is one, FALSE with @error unset when there is
 * none, FALSE with @error on a database error. */
gboolean   pk_store_paper_get_count     (PkStore     *self,
                                         const char  *serial,
                                         guint       *out_count,
                                         gint64      *out_entered_at,
                                         GError     **error);
/* Signatures counted on paper only, for @petition_id (all petitions
 * when NULL). Reports show it beside, never inside, pk_store_count(). */
guint64    pk_store_paper_count_total   (PkStore     *self,
                                         const char  *petition_id);
/* How many sheets were counted, for @petition_id (all when NULL). */
guint64    pk_store_paper_count_sheets  (PkStore     *self,
                                         const char  *petition_id);

/* ----- transcribed ------------------------------------------------------- */

/* The lines of sheet @serial entered so far, as PkSignature* (fields
 * filled in when this process can read them) ordered by line. */
GPtrArray *pk_store_paper_get_sheet     (PkStore     *self,
                                         const char  *serial,
                                         GError     **error);

/* One row that cannot be imported, and why. */
typedef struct {
  guint    index;   /* position in the array given to pk_store_add_paper_signatures() */
  PkField  field;   /* the offending field, or PK_N_FIELDS */
  GError  *error;   /* translated, for the volunteer */
} PkPaperProblem;

void       pk_paper_problem_free        (PkPaperProblem *problem);

/* Checks @sigs (PkSignature*, each with source paper, sheet serial and
 * line set; normalized in place) without writing anything: every row
 * the way pk_store_add_signature() checks it (validation, a line
 * already entered, a signer who already signed), against the other
 * rows (the same line twice, the same signer twice) and against a sheet
 * entered as count only. Returns one PkPaperProblem per bad row, in
 * order (empty when all are good), or NULL with @error when the
 * database cannot be read. */
GPtrArray *pk_store_paper_check         (PkStore     *self,
                                         PkPetition  *petition,
                                         GPtrArray   *sigs,
                                         GError     **error);

/* Adds @sigs (PkSignature*, each with source paper, sheet serial and
 * line set) for @petition. Every row is first checked the way
 * pk_store_add_signature() checks it (validation, a line already
 * entered, a signer who already signed) and against the other rows
 * (the same line twice, the same signer twice) and against a sheet
 * entered as count only. @out_problems receives one PkPaperProblem per
 * bad row, in order.
 *
 * Without @skip_bad, any problem means nothing is written and FALSE is
 * returned with G_IO_ERROR_INVALID_DATA. With @skip_bad the good rows
 * are written. All rows are written in one transaction: a failure of the
 * disk itself (or another program entering the same sheet at that
 * moment) returns FALSE with the store's error and leaves the database as
 * it was, with @out_added 0. */
gboolean   pk_store_add_paper_signatures (PkStore     *self,
                                          PkPetition  *petition,
                                          GPtrArray   *sigs,
                                          gboolean     skip_bad,
                                          GPtrArray  **out_problems,
                                          guint       *out_added,
                                          GError     **error);

/* Strikes out line @line of sheet @serial on this kiosk: its signature
 * row is deleted (no longer counted, never in a batch file or sent by
 * sync) and a paper_strikes row keeps the fact, with when the line was
 * entered, when it was struck and on which kiosk. With @correction
 * (source paper, @serial and @line set), the corrected line is saved in
 * its place, checked the way pk_store_add_signature() checks it
 * (@out_field then names a bad field), and the strike names it. All in
 * one transaction: on any error nothing changed.
 *
 * A line that already left this kiosk, in a closed batch file or sent by
 * sync, is refused with PK_STORE_ERROR_PAPER_LINE_SENT: the coordinator
 * holds it and only the coordinator can take it out. A line not entered
 * is refused with G_IO_ERROR_NOT_FOUND. */
gboolean   pk_store_paper_strike_line   (PkStore      *self,
                                         PkPetition   *petition,
                                         const char   *serial,
                                         guint         line,
                                         PkSignature  *correction,
                                         PkField      *out_field,
                                         GError      **error);
/* The last strike of line @line of @serial: TRUE with @out_struck_at
 * (µs UTC) and @out_corrected (whether a correction replaced it) when
 * there is one, FALSE with @error unset when there is none, FALSE with
 * @error on a database error. */
gboolean   pk_store_paper_get_strike    (PkStore      *self,
                                         const char   *serial,
                                         guint         line,
                                         gint64       *out_struck_at,
                                         gboolean     *out_corrected,
                                         GError      **error);

/* Whether @serial already has transcribed lines (@out_lines their
 * number) or a count: to keep a sheet from being entered both ways. */
gboolean   pk_store_paper_sheet_state   (PkStore     *self,
                                         const char  *serial,
                                         guint       *out_lines,
                                         gboolean    *out_counted,
                                         GError     **error);

G_END_DECLS
