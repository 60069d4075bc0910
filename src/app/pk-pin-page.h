/* pk-pin-page.h: the organizer PIN, asked before admin opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_PIN_PAGE (pk_pin_page_get_type ())
G_DECLARE_FINAL_TYPE (PkPinPage, pk_pin_page, PK, PIN_PAGE, GtkWidget)

/* Property "store", where the PIN hash and failed attempts live.
 *
 * Signal "unlocked": the right PIN was entered, or a first PIN was set. */
void     pk_pin_page_set_store    (PkPinPage  *self,
                                   PkStore    *store);
/* Clears the entries and picks the mode: "choose a PIN" when the store
 * has none yet (first run), else "enter the PIN". Call before showing. */
void     pk_pin_page_prepare      (PkPinPage  *self);
/* Sets the visible strings again after a language switch. */
void     pk_pin_page_retranslate  (PkPinPage  *self);
gboolean pk_pin_page_is_setting_up (PkPinPage *self);

G_END_DECLS
