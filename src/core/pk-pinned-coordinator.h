/* pk-pinned-coordinator.h: the coordinator a kiosk trusts, pinned by
 * the first encrypted petition it uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whoever swaps the petition file chooses whom signers' details are
 * sealed to. A kiosk therefore remembers the coordinator's signing key
 * (and their CoordinatorKey) from the first encrypted petition, and
 * takes a later petition file only when that coordinator signed it.
 * See docs/security.md, "Whoever can swap the petition file".
 */
#pragma once

#include "pk-petition.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_PINNED_COORDINATOR_ERROR (pk_pinned_coordinator_error_quark ())

typedef enum {
  PK_PINNED_COORDINATOR_ERROR_FAILED,             /* the database failed */
  PK_PINNED_COORDINATOR_ERROR_UNSIGNED,           /* encrypted, not signed */
  PK_PINNED_COORDINATOR_ERROR_OTHER_COORDINATOR,  /* not signed by the pinned coordinator */
  PK_PINNED_COORDINATOR_ERROR_NOT_PINNABLE,       /* no CoordinatorKey or no signature */
  PK_PINNED_COORDINATOR_ERROR_BATCH_HOLDS_ROWS,   /* close the batch first */
} PkPinnedCoordinatorError;

GQuark pk_pinned_coordinator_error_quark (void);

/* Whether a coordinator is pinned; if so, fills in whichever of the
 * 32-byte keys are not NULL. */
gboolean pk_pinned_coordinator_get          (PkStore      *store,
                                             guint8       *out_signing_key,
                                             guint8       *out_coordinator_key);
/* The fingerprint (pk_key_fingerprint()) of the pinned CoordinatorKey,
 * or NULL when nothing is pinned. */
char    *pk_pinned_coordinator_fingerprint  (PkStore      *store);
/* The fingerprint of @petition's CoordinatorKey, or NULL in plain mode. */
char    *pk_petition_coordinator_fingerprint (PkPetition  *petition);

/* Decides whether this kiosk may collect signatures for @petition, and
 * pins on first use. Nothing pinned: a plain petition is taken as it
 * is; an encrypted one must be signed, and pins its signer and key.
 * Pinned: the file must be signed by the pinned signer, and a new
 * CoordinatorKey it carries becomes the pinned one. Refusals name the
 * pinned and the file's fingerprints. */
gboolean pk_pinned_coordinator_accept       (PkStore      *store,
                                             PkPetition   *petition,
                                             GError      **error);
/* The deliberate change, after the caller checked the admin PIN: pins
 * the signer and CoordinatorKey of @petition, which must have both.
 * Refused while the open batch holds rows sealed to another key: close
 * that batch first. */
gboolean pk_pinned_coordinator_replace      (PkStore      *store,
                                             PkPetition   *petition,
                                             GError      **error);

G_END_DECLS
