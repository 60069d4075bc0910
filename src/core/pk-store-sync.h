/* pk-store-sync.h: each signature's OSDI sync state, kept in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signature without a row in sync_state is pending. A row is written
 * only once the server has confirmed (sent) or refused (failed) it, so a
 * crash at any moment leaves unconfirmed signatures pending; the
 * identifier "petition-kiosk:<uuid>" makes their resend harmless. These
 * functions work on a kiosk database and a coordinator's master alike,
 * in a SQLite file or on a PostgreSQL server (through pk-db.h).
 */
#pragma once

#include "pk-keys.h"
#include "pk-signature.h"
#include "pk-store.h"

G_BEGIN_DECLS

/* total leaves out a master's recorded duplicates (merge_duplicates),
 * which are never sent. */
typedef struct {
  guint64 total;
  guint64 pending;      /* total - sent - failed */
  guint64 sent;
  guint64 failed;       /* every reason, not sendable included */
  guint64 no_opt_in;    /* of pending: signers who did not opt in */
  guint64 no_contact;   /* of failed: not sendable, no email nor phone */
  guint64 unusable;     /* of failed: no usable answer after every try */
} PkSyncCounts;

/* Counts for @petition_id, or for every petition in the store when NULL.
 * total, pending, sent and failed come from trigger-kept counters; the
 * break-downs by reason are counted from the rows. */
gboolean   pk_store_sync_counts         (PkStore            *self,
                                         const char         *petition_id,
                                         PkSyncCounts       *out_counts,
                                         GError            **error);

/* One pending signature, readable and ready to send. */
typedef struct {
  gint64       id;            /* rowid in signatures: the send order */
  char        *petition_id;
  char        *kiosk_name;    /* of its batch; may be NULL */
  char        *event;         /* of its batch; may be NULL */
  PkSignature *sig;           /* with uuid, signed_at and all fields */
} PkSyncItem;

void       pk_sync_item_free            (PkSyncItem         *item);

/* Up to @limit pending signatures with id > @after_id, in id order,
 * with their details decoded: plain rows as they are, encrypted rows
 * when @coordinator_key (may be NULL) unseals their session key, or when
 * they were written under the session key this process holds in memory
 * for the petition whose CoordinatorKey is @own_coordinator_key (32
 * bytes, may be NULL): the kiosk's current run. Encrypted rows that cannot be read
 * are skipped and counted in @out_unreadable; @out_last_id receives the
 * highest id looked at, so the caller's next call moves past them.
 * Returns an array of PkSyncItem (possibly empty) or NULL on error. */
GPtrArray *pk_store_sync_next_pending   (PkStore            *self,
                                         const char         *petition_id,
                                         const guint8       *own_coordinator_key,
                                         gint64              after_id,
                                         guint               limit,
                                         PkCoordinatorKey   *coordinator_key,
                                         gint64             *out_last_id,
                                         guint              *out_unreadable,
                                         GError            **error);

/* Sending from a master on PostgreSQL that several processes send from
 * at once (docs/scale.md, "Sync from several coordinators"). Each
 * process names itself by @holder, unique to its run. A pending
 * signature it is about to send is claimed in the table sync_claims
 * for @lease_us (the server's clock), and only the holder of a live
 * claim sends it; pk_store_sync_record() ends the claim with the
 * outcome. A claim whose holder was killed runs out and is taken over.
 *
 * pk_store_sync_claim_pending() is pk_store_sync_next_pending() that
 * returns only rows it claimed for @holder (rows someone else holds or
 * won are moved past, within @out_last_id). On SQLite, where sync runs
 * one at a time, it is pk_store_sync_next_pending() itself. */
GPtrArray *pk_store_sync_claim_pending  (PkStore            *self,
                                         const char         *holder,
                                         gint64              lease_us,
                                         const char         *petition_id,
                                         const guint8       *own_coordinator_key,
                                         gint64              after_id,
                                         guint               limit,
                                         PkCoordinatorKey   *coordinator_key,
                                         gint64             *out_last_id,
                                         guint              *out_unreadable,
                                         GError            **error);

/* Right before @uuid is sent: extends @holder's claim on it for
 * @lease_us, and with @renew_all every claim @holder still has.
 * @out_held says whether the claim is still @holder's; when it is not
 * (it ran out and another process took it) the signature must not be
 * sent. Always held on SQLite. */
gboolean   pk_store_sync_hold_claim     (PkStore            *self,
                                         const char         *holder,
                                         gint64              lease_us,
                                         const char         *uuid,
                                         gboolean            renew_all,
                                         gboolean           *out_held,
                                         GError            **error);

/* Gives up every claim @holder has left (signatures held back, unread
 * or not reached when the run stopped), so that another process need
 * not wait for their leases. Nothing to do on SQLite. */
gboolean   pk_store_sync_release_claims (PkStore            *self,
                                         const char         *holder,
                                         GError            **error);

typedef enum {
  PK_SYNC_STATE_PENDING,
  PK_SYNC_STATE_SENT,
  PK_SYNC_STATE_FAILED,
} PkSyncState;

/* Why a signature failed (sync_state.reason). */
#define PK_SYNC_REASON_REFUSED     "refused"        /* a 4xx for this signature */
#define PK_SYNC_REASON_UNUSABLE    "unusable-reply" /* 2xx without a record, every try */
#define PK_SYNC_REASON_NO_CONTACT  "no-contact"     /* neither email nor phone: never sent */

/* The outcome the server gave for one signature, or the verdict that it
 * cannot be sent. */
typedef struct {
  char        *uuid;
  PkSyncState  state;        /* SENT or FAILED */
  char        *remote_id;    /* SENT: the server's id for the record */
  char        *error;        /* FAILED: status and message, without the signer's details */
  char        *reason;       /* FAILED: a PK_SYNC_REASON_*; NULL for rows from before */
} PkSyncOutcome;

void       pk_sync_outcome_free         (PkSyncOutcome      *outcome);

/* Writes every outcome in @outcomes (PkSyncOutcome) in one transaction,
 * ends their claims on PostgreSQL, and sets "last synced at" when one
 * of them is SENT. Call it only with answers the server actually gave. */
gboolean   pk_store_sync_record         (PkStore            *self,
                                         GPtrArray          *outcomes,
                                         GError            **error);

/* Makes failed signatures pending again (--retry-failed), for
 * @petition_id or all when NULL, and only those failed for @reason
 * (NULL: refused and unusable-reply, the reasons a retry can mend;
 * rows from before without a reason count as refused); @out_n
 * receives how many. */
gboolean   pk_store_sync_reset_failed   (PkStore            *self,
                                         const char         *petition_id,
                                         const char         *reason,
                                         guint64            *out_n,
                                         GError            **error);

/* The failed signatures, oldest first, up to @limit: PkSyncOutcome with
 * uuid, error and reason. */
GPtrArray *pk_store_sync_list_failed    (PkStore            *self,
                                         const char         *petition_id,
                                         guint               limit,
                                         GError            **error);

/* When the server last confirmed a signature (µs UTC), or 0 if never. */
gint64     pk_store_sync_get_last_synced (PkStore           *self);

/* The distinct petition ids that have signatures, sorted. */
GStrv      pk_store_sync_list_petitions (PkStore            *self,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSyncItem, pk_sync_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSyncOutcome, pk_sync_outcome_free)

G_END_DECLS
