/* pk-merge-trust.h: which kiosk keys a master accepts for a kiosk id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch's signature proves which key made it, not that the key is the
 * kiosk's. A master pins the first key each kiosk id arrives with
 * (trust on first use) and refuses a batch of the same kiosk id signed
 * with another key until the coordinator trusts that key too
 * (docs/batch-format.md, "Kiosk keys").
 */
#pragma once

#include <glib.h>

#include "pk-batch.h"
#include "pk-keys.h"
#include "pk-store.h"

G_BEGIN_DECLS

/* One kiosk key a master has seen. */
typedef struct {
  char     *kiosk_id;
  char     *kiosk_name;    /* may be NULL */
  char     *fingerprint;
  gint64    first_seen;    /* µs since the epoch, UTC */
  gboolean  trusted;
} PkKioskKeyEntry;

void       pk_kiosk_key_entry_free       (PkKioskKeyEntry   *entry);

/* Within the merge's transaction: accepts @info's kiosk key for its
 * kiosk id when it is trusted on @master, in @trust (may be NULL), or
 * the first key the kiosk id arrives with (then pinned). Otherwise
 * fails with PK_BATCH_ERROR_UNTRUSTED_KIOSK naming both fingerprints;
 * a failure of the master itself is a PK_STORE_ERROR. */
gboolean   pk_merge_trust_check          (PkStore           *master,
                                          const PkBatchInfo *info,
                                          PkTrustList       *trust,
                                          GError           **error);
/* After a refused batch, outside any transaction: records its key as
 * seen and not trusted, so that the coordinator can trust it. Best
 * effort. */
void       pk_merge_trust_note_refused   (PkStore           *master,
                                          const PkBatchInfo *info);
/* Every key seen, by kiosk id then first arrival: PkKioskKeyEntry. */
GPtrArray *pk_merge_trust_list           (PkStore           *master,
                                          GError           **error);
/* Trusts, or stops trusting, the key with @fingerprint for @kiosk_id. */
gboolean   pk_merge_trust_set_trusted    (PkStore           *master,
                                          const char        *kiosk_id,
                                          const char        *fingerprint,
                                          gboolean           trusted,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkKioskKeyEntry, pk_kiosk_key_entry_free)

G_END_DECLS
