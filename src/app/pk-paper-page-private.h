/* pk-paper-page-private.h: what the Paper page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-paper-page.c is the page and transcription; pk-paper-page-sheet.c
 * opens a sheet and leaves it; pk-paper-page-count.c is count-only
 * entry; pk-paper-page-print.c prints sheets and saves flyers.
 */
#pragma once

#include "pk-paper-page.h"
#include "pk-sheet-line.h"

G_BEGIN_DECLS

/* Store setting: the number the next printed sheet gets, so that print
 * runs never repeat a serial. */
#define PK_PAPER_SETTING_NEXT_SHEET "paper-next-sheet"

struct _PkPaperPage
{
  GtkWidget             parent_instance;

  PkStore              *store;
  PkPetition           *petition;
  char                 *language;
  GtkFileChooserNative *chooser;

  /* The open sheet. */
  char                 *serial;
  guint                 number;
  char                 *sheet_lang;    /* the language it is read in */
  gboolean              count_only;
  gboolean              counted_before;
  GPtrArray            *lines;         /* PkSheetLine*, unowned: in lines_box */
  GArray               *columns;       /* PkField, in the sheet's order */
  GPtrArray            *headers;       /* GtkLabel* of the header row, unowned */
  GPtrArray            *size_groups;   /* GtkSizeGroup*, one per cell of a line */

  /* What waits for the volunteer's answer about unsaved lines. */
  char                 *pending_serial;
  int                   pending_mode;  /* -1: none; else the count_only to switch to */
  /* Admin chose another petition while the open sheet had typed lines
   * that could not be saved: the switch waits until the sheet is left. */
  gboolean              petition_pending;
  PkPetition           *pending_petition;
  gboolean              reverting_mode;
  gboolean              language_chosen; /* the sheets' language was set once */

  GtkWidget            *toast_overlay;
  GtkWidget            *preferences_page;
  GtkWidget            *sheet_group;
  GtkWidget            *sheet_box;
  GtkWidget            *serial_entry;
  GtkWidget            *lines_toggle;
  GtkWidget            *count_toggle;
  GtkWidget            *open_button;
  GtkWidget            *status_label;
  GtkWidget            *lines_group;
  GtkWidget            *lines_box;
  GtkWidget            *header_box;
  GtkWidget            *count_group;
  GtkWidget            *count_row;
  GtkWidget            *count_spin;
  GtkWidget            *count_button;
  GtkWidget            *totals_group;
  GtkWidget            *totals_row;
  GtkWidget            *totals_label;
  GtkWidget            *print_group;
  GtkWidget            *print_lang_row;
  GtkWidget            *lang_dropdown;
  GtkWidget            *print_count_row;
  GtkWidget            *print_count_spin;
  GtkWidget            *print_first_row;
  GtkWidget            *print_first_spin;
  GtkWidget            *paper_row;
  GtkWidget            *paper_dropdown;
  GtkWidget            *print_status_label;
  GtkWidget            *flyers_button;
  GtkWidget            *print_button;
};

/* pk-paper-page.c */
/* @message under the serial entry, with @css_class ("error",
 * "success" or NULL); NULL or "" hides it. */
void        _pk_paper_page_show_status      (PkPaperPage *self,
                                             const char  *message,
                                             const char  *css_class);
/* Empties the page of the open sheet. */
void        _pk_paper_page_clear_sheet      (PkPaperPage *self);
/* Opens the lines of the sheet self->serial. */
gboolean    _pk_paper_page_open_lines       (PkPaperPage  *self,
                                             GError      **error);
/* Saves @line when it is signed and good; TRUE when it is saved. */
gboolean    _pk_paper_page_save_sheet_line  (PkPaperPage *self,
                                             PkSheetLine *line);
/* Focus to @line's first cell, or to the serial entry when NULL. */
void        _pk_paper_page_focus_line       (PkPaperPage *self,
                                             PkSheetLine *line);
void        _pk_paper_page_refresh_totals   (PkPaperPage *self);
void        _pk_paper_page_retranslate_sheet (PkPaperPage *self);
/* Takes the petition admin chose while the sheet could not be left. */
void        _pk_paper_page_switch_to_pending_petition (PkPaperPage *self);
/* The language chosen in the Print group: of the sheets and flyers
 * printed, and of new sheets read in. */
const char *_pk_paper_page_print_language   (PkPaperPage *self);
void        _pk_paper_page_refresh_next_sheet (PkPaperPage *self);

/* pk-paper-page-sheet.c */
/* Before the open sheet is left: saves what can be saved and, when
 * typed lines remain, asks whether to discard them. Returns TRUE when
 * the sheet may be left now; FALSE when the question is shown, and
 * _pk_paper_page_open_pending() runs on "Discard". */
gboolean    _pk_paper_page_leave_sheet      (PkPaperPage *self);
/* Whatever waited for the answer: a petition, a mode, a sheet. */
void        _pk_paper_page_open_pending     (PkPaperPage *self);

/* pk-paper-page-count.c */
/* Opens the count of the sheet self->serial. */
gboolean    _pk_paper_page_open_count       (PkPaperPage  *self,
                                             GError      **error);
/* "Save count": the spin button's count, for the open sheet. */
void        _pk_paper_page_on_count_save    (PkPaperPage *self);
/* Enter in the count saves it. */
void        _pk_paper_page_count_init       (PkPaperPage *self);

/* pk-paper-page-print.c */
/* A success, as a toast at the foot of the page, beside the Print
 * group's buttons. */
void        _pk_paper_page_toast            (PkPaperPage *self,
                                             const char  *message);
/* An error of printing, under the Print group's settings; NULL hides it. */
void        _pk_paper_page_show_print_error (PkPaperPage *self,
                                             const char  *message);
void        _pk_paper_page_on_print_sheets  (PkPaperPage *self);
void        _pk_paper_page_on_save_flyers   (PkPaperPage *self);
void        _pk_paper_page_print_dispose    (PkPaperPage *self);

/* What a volunteer does, for tests: */
/* Chooses transcription (FALSE) or count-only (TRUE) mode. */
void        _pk_paper_page_set_count_mode (PkPaperPage *self,
                                           gboolean     count_only);
/* Types @serial and presses Enter: opens the sheet or reports why not.
 * The open sheet's lines typed with "signed" ticked are saved first;
 * when typed lines remain that cannot be saved, the volunteer is asked,
 * FALSE is returned, and the sheet opens only on "Discard Lines". */
gboolean    _pk_paper_page_open_sheet     (PkPaperPage *self,
                                           const char  *serial);
/* Saves line @line of the open sheet, as Enter on its last field does. */
void        _pk_paper_page_save_line      (PkPaperPage *self,
                                           guint        line);
/* In count-only mode, with a sheet open: sets the count and saves it,
 * as the spin button and "Save count" do. */
void        _pk_paper_page_save_count     (PkPaperPage *self,
                                           guint        count);
/* Prints the sheets chosen in the Print group ("Sheets to print" from
 * "Number of the first sheet", paper size and language), as "Print
 * sheets…" does with GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG; with
 * GTK_PRINT_OPERATION_ACTION_EXPORT, into the PDF @export_path. Once
 * printed, the next print run starts after the last sheet, and a toast
 * says where the sheets went ("… saved to FILE." for a file). */
GtkPrintOperationResult
            _pk_paper_page_print_sheets   (PkPaperPage             *self,
                                           GtkPrintOperationAction  action,
                                           const char              *export_path);
/* The widget of @column ("given_name" … "comment", "signed", "opt_in",
 * "status", "correct", "strike") on line @line of the open sheet, or
 * NULL. */
GtkWidget  *_pk_paper_page_get_cell       (PkPaperPage *self,
                                           guint        line,
                                           const char  *column);
/* The message under the serial entry (errors, "sheet 42 holds …"). */
const char *_pk_paper_page_get_status     (PkPaperPage *self);

G_END_DECLS
