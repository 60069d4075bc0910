/* pk-sync-classify.h: which signatures may go to Action Network, and
 * what of a server's words may be kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pk-signature.h"

G_BEGIN_DECLS

typedef enum {
  PK_SYNC_SENDABLE,
  /* No opt-in: Action Network subscribes every person new to the list
   * (docs/sync.md), so the signer is held back and stays pending. */
  PK_SYNC_HELD_NO_OPT_IN,
  /* Neither email nor phone: Action Network needs one of them. */
  PK_SYNC_NOT_SENDABLE_NO_CONTACT,
} PkSyncVerdict;

/* What sync does with @sig before anything is sent. Signers without
 * opt-in are held back unless @send_without_opt_in. */
PkSyncVerdict pk_sync_classify (const PkSignature *sig,
                                gboolean           send_without_opt_in);

/* @message with every value of @sig's fields (and the email's local
 * part) replaced by "…", whatever their letter case: what a server
 * echoes of a signer must not be kept in the sync state or a log. */
char         *pk_sync_redact   (const char        *message,
                                const PkSignature *sig);

G_END_DECLS
