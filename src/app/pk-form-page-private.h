/* pk-form-page-private.h: what the form's files share, and its hooks
 * for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-form-page.c is the page: its texts, submitting, Cancel, reset and
 * the privacy notice; pk-form-page-fields.c builds and orders the field
 * rows; pk-form-page-problems.c shows the messages at the fields. The
 * public header pk-form-page.h is the contract the rest of the program
 * uses.
 */
#pragma once

#include "pk-form-page.h"
#include "pk-signature.h"

G_BEGIN_DECLS

/* Where a message shows: under a field (0 to PK_N_FIELDS - 1), or under
 * one of the two consents; the same slots as pk_signature_find_problems(). */
enum {
  PK_FORM_SLOT_CONSENT = PK_N_FIELDS,
  PK_FORM_SLOT_SENSITIVE,
  PK_FORM_N_SLOTS
};

typedef struct {
  GtkWidget *box;
  GtkWidget *label;
  /* A GtkEntry, or for the country a PkCountryChooser. */
  GtkWidget *input;
  GtkWidget *error;
} PkFieldRow;

struct _PkFormPage
{
  GtkWidget   parent_instance;

  PkStore    *store;
  PkPetition *petition;
  char       *language;

  PkFieldRow  rows[PK_N_FIELDS];

  GtkWidget  *text_scrolled_window;
  GtkWidget  *scrolled_window;
  GtkWidget  *title_label;
  GtkWidget  *text_label;
  GtkWidget  *details_heading;
  GtkWidget  *fields_grid;
  GtkWidget  *consent_check;
  GtkWidget  *consent_label;
  GtkWidget  *consent_error;
  GtkWidget  *sensitive_box;
  GtkWidget  *consent_revealer;
  GtkWidget  *consent_text_label;
  GtkWidget  *sensitive_text_label;
  GtkWidget  *consent_text_button;
  GtkWidget  *sensitive_check;
  GtkWidget  *sensitive_label;
  GtkWidget  *sensitive_error;
  GtkWidget  *organizer_label;
  GtkWidget  *privacy_button;
  GtkWidget  *privacy_dialog;   /* while it is open */
  GtkWidget  *opt_in_check;
  GtkWidget  *opt_in_label;
  GtkWidget  *pad_heading;
  GtkWidget  *signature_pad;
  GtkWidget  *failure_box;
  GtkWidget  *failure_title;
  GtkWidget  *failure_detail;
  GtkWidget  *cancel_button;
  GtkWidget  *submit_button;
  /* "Clear the form?" while it is shown; a weak pointer. */
  GtkWidget  *cancel_dialog;
  /* A field's row to scroll into view once laid out; a weak pointer. */
  GtkWidget  *reveal_row;
  gulong      after_paint_id;
};

/* pk-form-page-fields.c */
const PkField *_pk_form_page_reading_order    (PkFormPage *self);
const char    *_pk_form_page_row_value        (const PkFieldRow *row);
void           _pk_form_page_build_rows       (PkFormPage *self);
void           _pk_form_page_retranslate_rows (PkFormPage *self);

/* pk-form-page-problems.c */
void           _pk_form_page_hide_error       (PkFormPage *self,
                                               guint       slot);
void           _pk_form_page_clear_messages   (PkFormPage *self);
GtkWidget     *_pk_form_page_show_error       (PkFormPage *self,
                                               guint       slot,
                                               const char *message);
void           _pk_form_page_reveal           (PkFormPage *self,
                                               GtkWidget  *input,
                                               GtkWidget  *row);
gboolean       _pk_form_page_mark_problems    (PkFormPage        *self,
                                               const PkSignature *sig);

/* For the tests. */

/* "Clear the form?", while Cancel asks it; else NULL. */
GtkWindow      *_pk_form_page_get_cancel_dialog (PkFormPage *self);

GtkCheckButton *_pk_form_page_get_consent    (PkFormPage *self);

/* The country list, or NULL when the petition does not ask for it. */
PkCountryChooser *_pk_form_page_get_country_chooser (PkFormPage *self);

/* The entry for @field, or NULL when the petition does not ask for it
 * or it is the country, which is chosen from a list. */
GtkEditable    *_pk_form_page_get_entry      (PkFormPage *self,
                                             PkField     field);

/* The inline message shown under @field (PK_N_FIELDS: consent), or NULL
 * when none is shown. */
const char     *_pk_form_page_get_error      (PkFormPage *self,
                                             PkField     field);

/* The "signature was NOT saved" message, or NULL when none is shown. */
const char     *_pk_form_page_get_failure    (PkFormPage *self);

GtkCheckButton *_pk_form_page_get_opt_in     (PkFormPage *self);

PkSignaturePad *_pk_form_page_get_pad        (PkFormPage *self);

/* The petition's second consent, to data revealing a political opinion:
 * hidden when the petition has none. Its message, or NULL when none is
 * shown. */
GtkCheckButton *_pk_form_page_get_sensitive_consent       (PkFormPage *self);

const char     *_pk_form_page_get_sensitive_consent_error (PkFormPage *self);

G_END_DECLS
