/* pk-welcome-page.h: the attract screen a passer-by sees first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_WELCOME_PAGE (pk_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (PkWelcomePage, pk_welcome_page, PK, WELCOME_PAGE, GtkWidget)

/* Properties: "store" (PkStore, may be NULL), "petition" (PkPetition,
 * may be NULL), "language" ("ko", "en" or "de"; setting it re-sets
 * every string) and "count" (the number of signatures shown against
 * the goal). With a store, the page reads the count itself when it is
 * shown and every few seconds while it stays on screen, so that
 * signatures written by other processes appear too. */
void pk_welcome_page_set_store    (PkWelcomePage *self,
                                   PkStore       *store);
void pk_welcome_page_set_petition (PkWelcomePage *self,
                                   PkPetition    *petition);
void pk_welcome_page_set_language (PkWelcomePage *self,
                                   const char    *language);
void pk_welcome_page_set_count    (PkWelcomePage *self,
                                   guint64        count);


G_END_DECLS
