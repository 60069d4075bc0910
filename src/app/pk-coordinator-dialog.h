/* pk-coordinator-dialog.h: the deliberate change of the coordinator a
 * kiosk trusts, behind the admin PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_COORDINATOR_DIALOG (pk_coordinator_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PkCoordinatorDialog, pk_coordinator_dialog, PK, COORDINATOR_DIALOG, AdwWindow)

/* Shows the pinned coordinator's fingerprint and that of @petition
 * (signed by another coordinator), asks for the admin PIN and, when it
 * is right and the open batch holds no rows for the old key, pins the
 * coordinator of @petition. Signal "changed" (PkPetition *petition)
 * follows a change; the dialog then closes. @language tags its labels. */
PkCoordinatorDialog *pk_coordinator_dialog_new (GtkWindow  *parent,
                                                PkStore    *store,
                                                PkPetition *petition,
                                                const char *language);

G_END_DECLS
