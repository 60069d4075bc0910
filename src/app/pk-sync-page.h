/* pk-sync-page.h: send signatures to the online petition (admin and
 * coordinator window)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-keys.h"
#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_SYNC_PAGE (pk_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (PkSyncPage, pk_sync_page, PK, SYNC_PAGE, GtkWidget)

/* A page syncing the signatures of @store: a kiosk database or a
 * coordinator's master. Properties: "store" (construct-only),
 * "petition" (may be NULL; when set, only its signatures are sent and
 * this run's encrypted rows for it can be read) and "language" (set it
 * again after a language switch to re-translate the page).
 *
 * The endpoint is kept in the store's settings; the API token in the
 * GNOME keyring (libsecret), never shown again once saved. Without a
 * keyring, the token is read from ~/.config/petition-kiosk/sync-token,
 * which must be mode 0600. */
GtkWidget  *pk_sync_page_new                 (PkStore                *store);
void        pk_sync_page_set_petition        (PkSyncPage             *self,
                                              PkPetition             *petition);
void        pk_sync_page_set_language        (PkSyncPage             *self,
                                              const char             *language);
/* For the coordinator window: lets the page read encrypted rows. */
void        pk_sync_page_set_coordinator_key (PkSyncPage             *self,
                                              const PkCoordinatorKey *key);
/* Starts a run as the Sync button does (retry_failed: as "Retry failed"). */
void        pk_sync_page_sync                (PkSyncPage             *self,
                                              gboolean                retry_failed);
/* Re-reads the counts, the failures and "last synced at" from the store. */
void        pk_sync_page_refresh             (PkSyncPage             *self);

G_END_DECLS
