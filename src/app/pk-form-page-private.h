/* pk-form-page-private.h: pk-form-page's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-form-page.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-form-page.h"

G_BEGIN_DECLS

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
