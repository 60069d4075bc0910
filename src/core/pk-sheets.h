/* pk-sheets.h: printed signature sheets and flyers, as vector pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "pk-petition.h"

G_BEGIN_DECLS

#define PK_SHEETS_ERROR (pk_sheets_error_quark ())

typedef enum {
  PK_SHEETS_ERROR_INVALID,  /* bad argument: language, count, serial, … */
  PK_SHEETS_ERROR_FAILED,   /* cairo or the file system failed */
} PkSheetsError;

GQuark pk_sheets_error_quark (void);

typedef enum {
  PK_PAPER_A4,
  PK_PAPER_LETTER,
} PkPaper;

/* "a4" / "letter" */
gboolean    pk_paper_from_string (const char *name,
                                  PkPaper    *out_paper);
/* Page size in PostScript points (1/72 inch), portrait. */
void        pk_paper_get_size    (PkPaper     paper,
                                  double     *out_width,
                                  double     *out_height);

/* Every sheet has this many signature lines, on either paper size, so
 * that a line number means the same on every sheet of a petition. */
#define PK_SHEET_LINES 10
/* Sheet numbers run from 1 to this; the serial prints them in six digits. */
#define PK_SHEET_MAX_NUMBER 999999

/* A sheet's serial: "PK-" + six upper-case hex digits naming the petition
 * (the start of the SHA-256 of its Id) + "-" + the six-digit sheet
 * number, e.g. "PK-3FA2C1-000042". */
char       *pk_sheet_serial_format (PkPetition  *petition,
                                    guint        number);
/* Reads what a volunteer typed or a scanner sent: a full serial in any
 * letter case (surrounding blanks ignored), or the bare sheet number.
 * Fails with PK_SHEETS_ERROR_INVALID when it is neither, or when the
 * serial belongs to another petition. Returns the canonical serial and,
 * when @out_number is not NULL, the sheet number. */
char       *pk_sheet_serial_parse  (PkPetition  *petition,
                                    const char  *text,
                                    guint       *out_number,
                                    GError     **error);

/* Draws signature sheet @number of @petition in @lang onto @cr, whose
 * page is @width × @height points with the origin at its top-left
 * corner (a PDF page, or a GtkPrintContext set to points). Does not end
 * the page. Strings of the sheet are translated into @lang whatever the
 * program's current language; fonts come from fontconfig (Noto Sans CJK
 * KR, falling back to Sans). */
gboolean    pk_sheets_draw_sheet   (PkPetition  *petition,
                                    const char  *lang,
                                    cairo_t     *cr,
                                    double       width,
                                    double       height,
                                    guint        number,
                                    GError     **error);
/* Draws one page of flyer cards (PK_FLYERS_PER_PAGE: title, QR code and
 * short URL each) with cut marks. */
#define PK_FLYERS_PER_PAGE 8
gboolean    pk_flyers_draw_page    (PkPetition  *petition,
                                    const char  *lang,
                                    cairo_t     *cr,
                                    double       width,
                                    double       height,
                                    GError     **error);

/* Where card @index (0 … PK_FLYERS_PER_PAGE - 1, row by row) lies on a
 * flyer page of @width × @height points: between its cut marks. */
void        pk_flyers_get_card     (double       width,
                                    double       height,
                                    guint        index,
                                    double      *out_x,
                                    double      *out_y,
                                    double      *out_w,
                                    double      *out_h);

/* Writes sheets @first … @first + @count - 1 as a PDF, one sheet per
 * page. The file appears whole or not at all. */
gboolean    pk_sheets_write_pdf    (PkPetition  *petition,
                                    const char  *lang,
                                    PkPaper      paper,
                                    guint        first,
                                    guint        count,
                                    const char  *path,
                                    GError     **error);
/* Writes @n_pages pages of flyer cards as a PDF. */
gboolean    pk_flyers_write_pdf    (PkPetition  *petition,
                                    const char  *lang,
                                    PkPaper      paper,
                                    guint        n_pages,
                                    const char  *path,
                                    GError     **error);

/* The language paper is printed in when none is asked for: the first of
 * the user's languages (LANGUAGE, LC_MESSAGES, …) that the kiosk offers,
 * else "en". */
const char *pk_sheets_default_lang (void);

/* The URL as printed under a QR code: without "https://" and a trailing
 * slash, which nobody needs to type. */
char       *pk_sheets_short_url    (const char  *url);

G_END_DECLS
