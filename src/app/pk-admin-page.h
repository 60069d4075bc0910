/* pk-admin-page.h: the organizer's screen behind the PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_ADMIN_PAGE (pk_admin_page_get_type ())
G_DECLARE_FINAL_TYPE (PkAdminPage, pk_admin_page, PK, ADMIN_PAGE, GtkWidget)

/* Properties: "store", "petition", "settings" (the app's GSettings,
 * read and written here), "count" and "language".
 *
 * Signal "petition-chosen" (PkPetition *petition, const char *path): the
 * organizer chose and imported a valid petition file; @path is the copy
 * kept next to the database. */
void        pk_admin_page_set_store    (PkAdminPage *self,
                                        PkStore     *store);
void        pk_admin_page_set_petition (PkAdminPage *self,
                                        PkPetition  *petition);
void        pk_admin_page_set_settings (PkAdminPage *self,
                                        GSettings   *settings);
void        pk_admin_page_set_count    (PkAdminPage *self,
                                        guint64      count);
void        pk_admin_page_set_language (PkAdminPage *self,
                                        const char  *language);

/* Adds @page to the admin view switcher after the pages added before
 * it. @name identifies it; @title is
 * untranslated (mark it with N_()) and shown in the admin page's
 * language, switched with it; @icon is a symbolic icon name. */
void        pk_admin_page_add_page     (PkAdminPage *self,
                                        GtkWidget   *page,
                                        const char  *name,
                                        const char  *title,
                                        const char  *icon);

/* Loads, imports and announces the petition at @path as the "Choose…"
 * button does; errors are shown under the petition row and returned. */
gboolean    pk_admin_page_import_petition (PkAdminPage *self,
                                           const char  *path,
                                           GError     **error);

G_END_DECLS
