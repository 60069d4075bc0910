/* pk-paper-page-private.h: what the Paper page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-paper-page.c is the page, transcription and count-only entry;
 * pk-paper-page-print.c prints sheets and saves flyers.
 */
#pragma once

#include "pk-paper-page.h"

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
/* The language chosen in the Print group: of the sheets and flyers
 * printed, and of new sheets read in. */
const char *_pk_paper_page_print_language   (PkPaperPage *self);
void        _pk_paper_page_refresh_next_sheet (PkPaperPage *self);

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

G_END_DECLS
