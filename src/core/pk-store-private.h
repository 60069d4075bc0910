/* pk-store-private.h: what feature files (pk-store-*.c, pk-batch.c, …)
 * need from the store to add their own queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "pk-crypto.h"
#include "pk-store.h"

G_BEGIN_DECLS

/* How long the store's connection waits for another's lock. */
#define PK_STORE_BUSY_TIMEOUT_MS 5000

/* The store's connection (WAL, synchronous=FULL, foreign keys on,
 * secure_delete on, busy timeout set). Owned by the store. */
sqlite3  *pk_store_get_db               (PkStore     *self);

/* Sets @error from @rc and the connection's message, mapped to a
 * PkStoreError: SQLITE_FULL → FULL, read-only / cannot open /
 * permission → READ_ONLY, NOTADB / CORRUPT → CORRUPT, else FAILED.
 * @what says in plain words what was being done ("saving the
 * signature"). Always returns FALSE, to be returned directly. */
gboolean  pk_store_set_error_from_sqlite (PkStore    *self,
                                          int         rc,
                                          const char *what,
                                          GError    **error);

/* BEGIN IMMEDIATE (the write lock is taken now, so the transaction
 * never fails half-way with SQLITE_BUSY), COMMIT and ROLLBACK. rollback
 * never fails visibly: it is used on error paths. */
gboolean  pk_store_begin                (PkStore     *self,
                                         GError     **error);
gboolean  pk_store_commit               (PkStore     *self,
                                         GError     **error);
void      pk_store_rollback             (PkStore     *self);

/* Inside a transaction: closes the open local batch (if any) at @now and
 * opens a new one for @petition_id (may be NULL: set by the first
 * signature), with the current kiosk and event names. Returns the new
 * batch id, or -1 with @error. */
gint64    pk_store_rotate_batch_unlocked (PkStore    *self,
                                          const char *petition_id,
                                          gint64      now,
                                          GError    **error);

/* Whether the open local batch holds a row sealed to a coordinator key
 * other than @coordinator_key (NULL: any sealed row), or to a key not
 * recorded (sealed before store step 9). */
gboolean  pk_store_open_batch_has_other_key (PkStore      *self,
                                             const guint8 *coordinator_key,
                                             gboolean     *out_other,
                                             GError      **error);

/* Settings written inside the caller's transaction. */
gboolean  pk_store_set_setting_unlocked (PkStore     *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);

/* The session key this process encrypts signatures to @coordinator_key
 * with, if one was already sealed into the database, with its
 * sealed_keys id; NULL otherwise. For reading back this process's own
 * encrypted rows. */
PkSessionKey *pk_store_get_session_key (PkStore      *self,
                                        const guint8 *coordinator_key,
                                        gint64       *out_key_id);

/* Forgets @sig's signer in the in-memory duplicate set of encrypted
 * mode, once the row that put it there was struck out. */
void      pk_store_forget_signer        (PkStore           *self,
                                         const char        *petition_id,
                                         const PkSignature *sig);

/* Opens like pk_store_open() but migrates only up to @max_version: for
 * tests that need a database as an older release left it. */
PkStore  *pk_store_open_at_version      (const char   *path,
                                         guint         max_version,
                                         GError      **error);

/* The schema version pk_store_open() migrates to. */
guint     pk_store_get_latest_version   (void);

G_END_DECLS
