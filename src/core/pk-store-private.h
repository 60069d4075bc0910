/* pk-store-private.h: the store's insides, shared by the files that
 * make it up and what feature files (pk-store-*.c, pk-batch.c, …) need
 * from the store to add their own queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one object written in several files, one concern each:
 *   pk-store.c             the object, transactions, settings, batch
 *                          rotation, counts, wiping exported rows;
 *   pk-store-schema.c      migrations and the latest schema version;
 *   pk-store-open.c        opening, and judging a file before writing;
 *   pk-store-signatures.c  saving signatures, sessions, duplicates;
 *   pk-store-paper.c, pk-store-sync.c  paper sheets, sync state;
 *   pk-store-pg.c          a master on a PostgreSQL server, its schema.
 */
#pragma once

#include <sqlite3.h>

#include "pk-crypto.h"
#include "pk-db.h"
#include "pk-sqlite.h"
#include "pk-store.h"

G_BEGIN_DECLS

/* How long the store's connection waits for another's lock. */
#define PK_STORE_BUSY_TIMEOUT_MS 5000

/* PRAGMA application_id of a kiosk or master database: "PKDB". It tells
 * our databases apart from any other SQLite file someone points --db at,
 * which must never be migrated into ours. */
#define PK_STORE_APPLICATION_ID 0x504B4442

/* The settings key of the kiosk's random identity. */
#define PK_STORE_SETTING_KIOSK_ID "kiosk-id"

/* One coordinator key's session key (pk-store-signatures.c). */
typedef struct {
  PkSessionKey *key;
  gint64 key_id;  /* 0 until sealed into the database and committed */
} PkStoreSession;

/* What tells that another process changed a file: see check_existing()
 * in pk-store-open.c. */
typedef struct {
  goffset size;
  gint64 mtime_ns;
  guint64 inode;
} PkStoreFileStamp;

struct _PkStore {
  GObject parent_instance;

  char *path;
  /* A kiosk's or a SQLite master's connection; NULL for a master on
   * PostgreSQL, which only the paths written against pk-db.h serve
   * (pk_store_get_conn()). */
  sqlite3 *db;
  /* The same database through pk-db.h: wraps @db, or owns the
   * PostgreSQL connection. Made on first use for SQLite. */
  PkDb *conn;
  char *kiosk_id;

  /* pk_store_open_read_only(): read with immutable=1 (no locks, nothing
   * created), and the file as it was when opened. */
  gboolean immutable;
  PkStoreFileStamp opened;

  /* Encrypted mode: one session key per coordinator key, made when the
   * first signature for it is saved. Hex public key → PkStoreSession. */
  GHashTable *sessions;

  /* Encrypted mode keeps no duplicate keys on disk. Duplicates are
   * caught among the signatures of this process only, from keyed
   * BLAKE2b hashes, so that not even this process's memory holds a
   * list of addresses in the clear. */
  guint8 *dedup_key;
  GHashTable *seen;

  /* Transactions nest (the outermost is BEGIN IMMEDIATE, inner ones are
   * savepoints) so that a multi-row import is one transaction. What an
   * inner commit adds to memory (sealed key ids, seen signers) must be
   * forgotten again if the outermost transaction rolls back, or memory
   * would describe rows that never reached the disk. */
  guint txn_depth;
  GPtrArray *txn_sessions;  /* PkStoreSession * whose key_id is uncommitted */
  GPtrArray *txn_seen;      /* keys of self->seen added uncommitted */
};

/* The store's connection (WAL, synchronous=FULL, foreign keys on,
 * secure_delete on, busy timeout set). Owned by the store. */
sqlite3  *pk_store_get_db               (PkStore     *self);

/* The store's database through pk-db.h, on either backend. Owned by
 * the store. */
PkDb     *pk_store_get_conn             (PkStore     *self);

/* Sets @error from @rc and the connection's message, mapped to a
 * PkStoreError: SQLITE_FULL → FULL, read-only / cannot open /
 * permission → READ_ONLY, NOTADB / CORRUPT → CORRUPT, else FAILED.
 * @what says in plain words what was being done ("saving the
 * signature"). Always returns FALSE, to be returned directly. */
gboolean  pk_store_set_error_from_sqlite (PkStore    *self,
                                          int         rc,
                                          const char *what,
                                          GError    **error);

/* Like pk_store_set_error_from_sqlite() without a store: for files
 * judged before or without a connection. @db (may be NULL) only lets a
 * generic I/O error be looked at more closely; @message (may be NULL)
 * is SQLite's, shown for the failures without a wording of their own. */
gboolean  pk_store_set_error_from_code  (const char  *path,
                                         sqlite3     *db,
                                         int          rc,
                                         const char  *message,
                                         const char  *what,
                                         GError     **error);

/* Runs @sql (any number of statements) on the store's connection, or
 * prepares one statement; on failure sets @error, saying @what. */
gboolean      pk_store_exec     (PkStore     *self,
                                 const char  *sql,
                                 const char  *what,
                                 GError     **error);
sqlite3_stmt *pk_store_prepare  (PkStore     *self,
                                 const char  *sql,
                                 const char  *what,
                                 GError     **error);

/* BEGIN IMMEDIATE (the write lock is taken now, so the transaction
 * never fails half-way with SQLITE_BUSY), COMMIT and ROLLBACK. rollback
 * never fails visibly: it is used on error paths. */
gboolean  pk_store_begin                (PkStore     *self,
                                         GError     **error);
gboolean  pk_store_commit               (PkStore     *self,
                                         GError     **error);
void      pk_store_rollback             (PkStore     *self);
/* FALSE, with @error saying what was being done, when SQLite has rolled
 * the caller's transaction back by itself: a statement without an error
 * of its own (a setting read) that ran out of memory does that
 * (https://sqlite.org/lang_transaction.html, "Response To Errors Within
 * A Transaction"), and what follows must not run in autocommit, where
 * it would outlive the failure it is part of. */
gboolean  pk_store_still_in_transaction (PkStore     *self,
                                         const char  *what,
                                         GError     **error);

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

/* The open local batch: its id (or 0 when none) and petition
 * (@out_petition_id may be NULL). */
gboolean  pk_store_get_open_batch       (PkStore     *self,
                                         gint64      *out_id,
                                         char       **out_petition_id,
                                         GError     **error);

/* Inside a transaction: the batch a signature for @petition_id, sealed
 * to @coordinator_key (NULL: not encrypted), goes into, rotating the
 * open batch when it holds another petition or key. -1 with @error. */
gint64    pk_store_batch_for_petition   (PkStore      *self,
                                         const char   *petition_id,
                                         const guint8 *coordinator_key,
                                         gint64        now,
                                         GError      **error);

/* A setting read inside the caller's transaction; NULL when unset. */
char     *pk_store_get_setting_unlocked (PkStore     *self,
                                         const char  *key);
/* The same, where a read that failed must not pass for a setting that
 * is not there: FALSE with SQLite's own cause (out of memory, say,
 * which may also have rolled the transaction back) and @what, else
 * *@out_value is the value or NULL. */
gboolean  pk_store_read_setting_unlocked (PkStore     *self,
                                          const char  *key,
                                          const char  *what,
                                          char       **out_value,
                                          GError     **error);

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

/* Sets @error to "made by a newer version" for @path at schema
 * @version. */
void      pk_store_set_newer_error      (const char  *path,
                                         gint64       version,
                                         GError     **error);

/* A master on PostgreSQL at @location (checked by pk-pg-location.h),
 * its schema migrated to @max_version; with @read_only, nothing is
 * written, an older or empty schema is refused, and every read is
 * one REPEATABLE READ transaction. */
PkStore  *pk_store_pg_open              (const char   *location,
                                         guint         max_version,
                                         gboolean      read_only,
                                         GError      **error);
/* The PostgreSQL schema version pk_store_pg_open() migrates to. */
guint     pk_store_pg_get_latest_version (void);

/* Brings the schema to @target and makes sure the kiosk has its
 * identity (self->kiosk_id) and an open batch, in one transaction. From
 * schema 15 on it also gives the connection the count triggers. */
gboolean  pk_store_migrate_and_initialize (PkStore  *self,
                                           guint     target,
                                           GError  **error);

/* The TEMP triggers that keep counts and sync_counts exact as each
 * signature or duplicate is inserted through this connection (store step
 * 15). A merge drops them inside its transaction, counts each batch
 * itself, and adds them again before it commits. */
gboolean  pk_store_add_count_triggers   (PkStore  *self,
                                         GError  **error);
gboolean  pk_store_drop_count_triggers  (PkStore  *self,
                                         GError  **error);

G_END_DECLS
