/* pk-form-page.h: the signer's form, with the signature pad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-country-chooser.h"
#include "pk-petition.h"
#include "pk-signature-pad.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_FORM_PAGE (pk_form_page_get_type ())
G_DECLARE_FINAL_TYPE (PkFormPage, pk_form_page, PK, FORM_PAGE, GtkWidget)

/* Properties "store", "petition" and "language" (setting it re-sets
 * every string and puts the fields in that language's order).
 *
 * Signal "signed": the signature is durable in the store (a repeat
 * signer's too, see pk_store_add_signature_from_form()). The form is not
 * cleared by itself; the window calls pk_form_page_reset(). */
void            pk_form_page_set_store      (PkFormPage *self,
                                             PkStore    *store);
void            pk_form_page_set_petition   (PkFormPage *self,
                                             PkPetition *petition);
void            pk_form_page_set_language   (PkFormPage *self,
                                             const char *language);

/* Clears every field (with its undo history), check box, message and
 * the pad, closes "Clear the form?" and scrolls back to the top. */
void            pk_form_page_reset          (PkFormPage *self);
/* For a form just shown: the focus in its first field, in the order of
 * the language, and scrolled to the top, so a signer can type at once. */
void            pk_form_page_start          (PkFormPage *self);
/* TRUE when anything a signer entered is on the page. */
gboolean        pk_form_page_holds_data     (PkFormPage *self);


G_END_DECLS
