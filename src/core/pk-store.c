/* pk-store.c: the kiosk's durable SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Guarantees (docs/data-model.md has the schema):
 * - a signature that pk_store_add_signature() reported as saved is on
 *   disk: WAL with synchronous=FULL syncs the log at every commit;
 * - each signature is one BEGIN IMMEDIATE transaction, so a crash or a
 *   full disk leaves either the whole row or nothing;
 * - a database this version cannot handle (newer, damaged, not ours) is
 *   checked through a read-only connection first and never written;
 * - counts come from the `counts` table kept by triggers, so opening and
 *   counting cost the same with ten signatures or a million.
 */
#define G_LOG_DOMAIN "pk-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
/* PRId64 rather than G_GINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-crypto.h"
#include "pk-normalize.h"
#include "pk-signer-name.h"
#include "pk-store-private.h"
#include "pk-strokes.h"

/* PRAGMA application_id of a kiosk or master database: "PKDB". It tells
 * our databases apart from any other SQLite file someone points --db at,
 * which must never be migrated into ours. */
#define PK_STORE_APPLICATION_ID 0x504B4442

/* Up to this size a database is fully checked (quick_check) at every
 * open; see check_existing(). About ten thousand signatures with their
 * strokes, checked in a few tens of milliseconds. */
#define PK_STORE_QUICK_CHECK_MAX_BYTES (16 * 1024 * 1024)

#define SETTING_KIOSK_ID "kiosk-id"

/* Forward migrations: step i brings user_version from i to i + 1. Steps
 * are only ever appended; a released step is never edited. */
static const char * const migrations[] = {
  /* 1: the initial schema */
  "PRAGMA application_id = 1347109954;" /* PK_STORE_APPLICATION_ID */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");"
  "CREATE TABLE batches ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  petition_id TEXT,"
  "  kiosk_id TEXT NOT NULL,"
  "  kiosk_name TEXT,"
  "  event TEXT,"
  "  opened_at INTEGER NOT NULL,"
  "  closed_at INTEGER,"
  "  origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported')),"
  "  file_digest TEXT"
  ");"
  /* At most one open local batch, enforced by the database itself. */
  "CREATE UNIQUE INDEX batches_one_open_local ON batches (origin)"
  "  WHERE origin = 'local' AND closed_at IS NULL;"
  "CREATE TABLE sealed_keys ("
  "  id INTEGER PRIMARY KEY,"
  "  sealed BLOB NOT NULL"
  ");"
  "CREATE TABLE signatures ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  petition_id TEXT NOT NULL,"
  "  batch_id INTEGER NOT NULL REFERENCES batches (id),"
  "  signed_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('kiosk', 'paper')),"
  "  lang TEXT NOT NULL,"
  "  consent_hash TEXT NOT NULL,"
  "  opt_in INTEGER NOT NULL DEFAULT 0 CHECK (opt_in IN (0, 1)),"
  "  sheet_serial TEXT,"
  "  sheet_line INTEGER,"
  "  dedup_email TEXT,"
  "  dedup_phone TEXT,"
  "  payload BLOB NOT NULL,"
  "  key_id INTEGER REFERENCES sealed_keys (id),"
  "  exported INTEGER NOT NULL DEFAULT 0 CHECK (exported IN (0, 1))"
  ");"
  "CREATE INDEX signatures_batch ON signatures (batch_id);"
  "CREATE INDEX signatures_dedup_email ON signatures (petition_id, dedup_email)"
  "  WHERE dedup_email IS NOT NULL;"
  "CREATE INDEX signatures_dedup_phone ON signatures (petition_id, dedup_phone)"
  "  WHERE dedup_phone IS NOT NULL;"
  "CREATE UNIQUE INDEX signatures_sheet_line ON signatures (sheet_serial, sheet_line)"
  "  WHERE sheet_serial IS NOT NULL;"
  "CREATE TABLE counts ("
  "  petition_id TEXT PRIMARY KEY NOT NULL,"
  "  n INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures BEGIN"
  "  INSERT INTO counts (petition_id, n) VALUES (NEW.petition_id, 1)"
  "    ON CONFLICT (petition_id) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures BEGIN"
  "  UPDATE counts SET n = n - 1 WHERE petition_id = OLD.petition_id;"
  "END;"
  "CREATE TRIGGER signatures_count_update AFTER UPDATE OF petition_id ON signatures"
  "  WHEN OLD.petition_id IS NOT NEW.petition_id BEGIN"
  "  UPDATE counts SET n = n - 1 WHERE petition_id = OLD.petition_id;"
  "  INSERT INTO counts (petition_id, n) VALUES (NEW.petition_id, 1)"
  "    ON CONFLICT (petition_id) DO UPDATE SET n = n + 1;"
  "END;",
  /* 2: the coordinator's merge (pk-merge.c): one row per signer group
   * with its kept signature, the duplicates, the imported batches'
   * provenance and the rejected files. Empty on a kiosk. The order
   * index serves exports and the report. */
  "CREATE TABLE merge_signers ("
  "  petition_id TEXT NOT NULL,"
  "  signer_key BLOB NOT NULL,"
  "  kept_uuid TEXT NOT NULL,"
  "  kept_signed_at INTEGER NOT NULL,"
  "  PRIMARY KEY (petition_id, signer_key)"
  ") WITHOUT ROWID;"
  "CREATE TABLE merge_duplicates ("
  "  uuid TEXT PRIMARY KEY NOT NULL,"
  "  kept_uuid TEXT NOT NULL,"
  "  rule TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX merge_duplicates_kept ON merge_duplicates (kept_uuid);"
  "CREATE TABLE merge_imports ("
  "  batch_id INTEGER PRIMARY KEY REFERENCES batches (id),"
  "  kiosk_key TEXT NOT NULL,"
  "  kiosk_fingerprint TEXT NOT NULL,"
  "  petition_version INTEGER NOT NULL,"
  "  n_rows INTEGER NOT NULL,"
  "  imported_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE merge_rejected ("
  "  file_digest TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  message TEXT NOT NULL,"
  "  rejected_at INTEGER NOT NULL,"
  "  PRIMARY KEY (file_digest, reason)"
  ");"
  "CREATE INDEX signatures_order ON signatures (signed_at, uuid);",
  /* 3: OSDI sync state (pk-store-sync.c). No row = pending; a row is
   * written only once the server confirmed (sent) or refused (failed). */
  "CREATE TABLE sync_state ("
  "  uuid TEXT PRIMARY KEY NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('sent', 'failed')),"
  "  remote_id TEXT,"
  "  error TEXT,"
  "  updated_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX sync_state_by_state ON sync_state (state);",
  /* 4: paper sheets entered as a count only (pk-store-paper.c), kept
   * apart from transcribed signature rows. */
  "CREATE TABLE sheet_counts ("
  "  serial TEXT PRIMARY KEY NOT NULL,"
  "  petition_id TEXT NOT NULL,"
  "  count INTEGER NOT NULL CHECK (count >= 0),"
  "  entered_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX sheet_counts_petition ON sheet_counts (petition_id);",
  /* 5: sheet counts travel in batch files (pk-batch.c, pk-merge.c).
   * On a kiosk, exported = 1 once the count as it stands went into a
   * batch file (a correction sets it back to 0). On a master,
   * batch_uuid names the batch the kept count came from, and
   * merge_sheet_counts holds every count received, one per sheet and
   * batch, so that two batches counting one sheet are reported and the
   * kept one is chosen from the same set whatever the order. */
  "ALTER TABLE sheet_counts ADD COLUMN exported INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sheet_counts ADD COLUMN batch_uuid TEXT;"
  "CREATE TABLE merge_sheet_counts ("
  "  serial TEXT NOT NULL,"
  "  batch_uuid TEXT NOT NULL,"
  "  petition_id TEXT NOT NULL,"
  "  count INTEGER NOT NULL,"
  "  entered_at INTEGER NOT NULL,"
  "  PRIMARY KEY (serial, batch_uuid)"
  ") WITHOUT ROWID;",
  /* 6: sync counts kept by triggers (pk_store_sync_counts()), so that
   * counting never scans the signatures: the Sync page and `sync
   * --status` stay O(1) however many rows a kiosk or master holds. Per
   * petition: duplicates = signatures named in merge_duplicates (never
   * sent); sent, failed = signatures with that sync_state that are not
   * duplicates. Then pending = counts.n - duplicates - sent - failed is
   * exactly what pk_store_sync_next_pending() would still send. Each
   * trigger looks only at the one row's uuid through a primary key or
   * the unique uuid index, and the triggers on signatures do nothing
   * unless that uuid has a sync state or is a duplicate, so a kiosk's
   * save pays two index probes. Filled once here from sync_state and
   * merge_duplicates (not from a scan of signatures). */
  "CREATE TABLE sync_counts ("
  "  petition_id TEXT PRIMARY KEY NOT NULL,"
  "  duplicates INTEGER NOT NULL DEFAULT 0,"
  "  sent INTEGER NOT NULL DEFAULT 0,"
  "  failed INTEGER NOT NULL DEFAULT 0"
  ");"
  "INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "  SELECT petition_id, SUM(dup), SUM(sent), SUM(failed) FROM ("
  "    SELECT s.petition_id, 1 AS dup, 0 AS sent, 0 AS failed"
  "      FROM merge_duplicates d JOIN signatures s ON s.uuid = d.uuid"
  "    UNION ALL"
  "    SELECT s.petition_id, 0, ss.state = 'sent', ss.state = 'failed'"
  "      FROM sync_state ss JOIN signatures s ON s.uuid = ss.uuid"
  "      WHERE NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = ss.uuid))"
  "  GROUP BY petition_id;"
  /* sync_state rows come and go (record, --retry-failed) and change
   * state (a failed one sent on a later run). */
  "CREATE TRIGGER sync_counts_state_insert AFTER INSERT ON sync_state"
  "  WHEN NOT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = NEW.uuid) BEGIN"
  "  INSERT INTO sync_counts (petition_id, sent, failed)"
  "    SELECT petition_id, NEW.state = 'sent', NEW.state = 'failed'"
  "    FROM signatures WHERE uuid = NEW.uuid"
  "    ON CONFLICT (petition_id) DO UPDATE SET sent = sent + excluded.sent,"
  "      failed = failed + excluded.failed;"
  "END;"
  "CREATE TRIGGER sync_counts_state_delete AFTER DELETE ON sync_state"
  "  WHEN NOT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = OLD.uuid) BEGIN"
  "  UPDATE sync_counts SET sent = sent - (OLD.state = 'sent'),"
  "    failed = failed - (OLD.state = 'failed')"
  "    WHERE petition_id = (SELECT petition_id FROM signatures WHERE uuid = OLD.uuid);"
  "END;"
  "CREATE TRIGGER sync_counts_state_update AFTER UPDATE OF uuid, state ON sync_state BEGIN"
  "  UPDATE sync_counts SET sent = sent - (OLD.state = 'sent'),"
  "    failed = failed - (OLD.state = 'failed')"
  "    WHERE petition_id = (SELECT petition_id FROM signatures WHERE uuid = OLD.uuid)"
  "      AND NOT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = OLD.uuid);"
  "  INSERT INTO sync_counts (petition_id, sent, failed)"
  "    SELECT petition_id, NEW.state = 'sent', NEW.state = 'failed'"
  "    FROM signatures WHERE uuid = NEW.uuid"
  "      AND NOT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = NEW.uuid)"
  "    ON CONFLICT (petition_id) DO UPDATE SET sent = sent + excluded.sent,"
  "      failed = failed + excluded.failed;"
  "END;"
  /* A merge may record a duplicate before or after its row arrives, and
   * a kiosk purges exported rows: either order keeps the counts. */
  "CREATE TRIGGER sync_counts_signature_insert AFTER INSERT ON signatures"
  "  WHEN EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = NEW.uuid)"
  "    OR EXISTS (SELECT 1 FROM sync_state WHERE uuid = NEW.uuid) BEGIN"
  "  INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "    SELECT NEW.petition_id, dup, NOT dup AND st IS 'sent', NOT dup AND st IS 'failed'"
  "    FROM (SELECT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = NEW.uuid) AS dup,"
  "                 (SELECT state FROM sync_state WHERE uuid = NEW.uuid) AS st)"
  "    WHERE true"
  "    ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates,"
  "      sent = sent + excluded.sent, failed = failed + excluded.failed;"
  "END;"
  "CREATE TRIGGER sync_counts_signature_delete AFTER DELETE ON signatures"
  "  WHEN EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = OLD.uuid)"
  "    OR EXISTS (SELECT 1 FROM sync_state WHERE uuid = OLD.uuid) BEGIN"
  "  UPDATE sync_counts SET duplicates = duplicates - c.dup,"
  "    sent = sent - (NOT c.dup AND c.st IS 'sent'),"
  "    failed = failed - (NOT c.dup AND c.st IS 'failed')"
  "    FROM (SELECT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = OLD.uuid) AS dup,"
  "                 (SELECT state FROM sync_state WHERE uuid = OLD.uuid) AS st) AS c"
  "    WHERE petition_id = OLD.petition_id;"
  "END;"
  "CREATE TRIGGER sync_counts_signature_update AFTER UPDATE OF uuid, petition_id ON signatures"
  "  WHEN OLD.uuid IS NOT NEW.uuid OR OLD.petition_id IS NOT NEW.petition_id BEGIN"
  "  UPDATE sync_counts SET duplicates = duplicates - c.dup,"
  "    sent = sent - (NOT c.dup AND c.st IS 'sent'),"
  "    failed = failed - (NOT c.dup AND c.st IS 'failed')"
  "    FROM (SELECT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = OLD.uuid) AS dup,"
  "                 (SELECT state FROM sync_state WHERE uuid = OLD.uuid) AS st) AS c"
  "    WHERE petition_id = OLD.petition_id;"
  "  INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "    SELECT NEW.petition_id, dup, NOT dup AND st IS 'sent', NOT dup AND st IS 'failed'"
  "    FROM (SELECT EXISTS (SELECT 1 FROM merge_duplicates WHERE uuid = NEW.uuid) AS dup,"
  "                 (SELECT state FROM sync_state WHERE uuid = NEW.uuid) AS st)"
  "    WHERE true"
  "    ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates,"
  "      sent = sent + excluded.sent, failed = failed + excluded.failed;"
  "END;"
  /* A signature that becomes a duplicate leaves sent/failed (pending
   * never counted it as sendable again) and joins duplicates. */
  "CREATE TRIGGER sync_counts_duplicate_insert AFTER INSERT ON merge_duplicates BEGIN"
  "  INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "    SELECT petition_id, 1,"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'sent'),"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'failed')"
  "    FROM signatures WHERE uuid = NEW.uuid"
  "    ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates,"
  "      sent = sent + excluded.sent, failed = failed + excluded.failed;"
  "END;"
  "CREATE TRIGGER sync_counts_duplicate_delete AFTER DELETE ON merge_duplicates BEGIN"
  "  UPDATE sync_counts SET duplicates = duplicates - 1,"
  "    sent = sent + ((SELECT state FROM sync_state WHERE uuid = OLD.uuid) IS 'sent'),"
  "    failed = failed + ((SELECT state FROM sync_state WHERE uuid = OLD.uuid) IS 'failed')"
  "    WHERE petition_id = (SELECT petition_id FROM signatures WHERE uuid = OLD.uuid);"
  "END;"
  "CREATE TRIGGER sync_counts_duplicate_update AFTER UPDATE OF uuid ON merge_duplicates"
  "  WHEN OLD.uuid IS NOT NEW.uuid BEGIN"
  "  UPDATE sync_counts SET duplicates = duplicates - 1,"
  "    sent = sent + ((SELECT state FROM sync_state WHERE uuid = OLD.uuid) IS 'sent'),"
  "    failed = failed + ((SELECT state FROM sync_state WHERE uuid = OLD.uuid) IS 'failed')"
  "    WHERE petition_id = (SELECT petition_id FROM signatures WHERE uuid = OLD.uuid);"
  "  INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "    SELECT petition_id, 1,"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'sent'),"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'failed')"
  "    FROM signatures WHERE uuid = NEW.uuid"
  "    ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates,"
  "      sent = sent + excluded.sent, failed = failed + excluded.failed;"
  "END;",
  /* 7: the Batches page counts exported rows (pk_store_count_exported())
   * each time it is shown; this partial index holds only those rows,
   * which a kiosk wipes after closing their batch, so the count no
   * longer walks every signature. */
  "CREATE INDEX signatures_exported ON signatures (batch_id) WHERE exported = 1;",
  /* 8: a paper sheet's line is unique within a batch, no longer across
   * batches. On a master, one sheet transcribed at two kiosks keeps
   * both transcriptions (the report lists the line for a person to
   * check) instead of the second batch being refused whole, with every
   * other signature in it. A kiosk still refuses a line entered twice
   * (check_paper_line()), whatever its batch. */
  "DROP INDEX signatures_sheet_line;"
  "CREATE UNIQUE INDEX signatures_sheet_line ON signatures (sheet_serial, sheet_line, batch_id)"
  "  WHERE sheet_serial IS NOT NULL;",
  /* 9: a batch never mixes coordinator keys (batch_for_petition()). A
   * sealed key records the coordinator key it is sealed to (NULL for
   * those sealed before this step: unknown, so never taken for the
   * current one), and the index finds whether a batch holds rows under
   * a given sealed key without walking the batch. */
  "ALTER TABLE sealed_keys ADD COLUMN coordinator_key BLOB;"
  "CREATE INDEX signatures_batch_key ON signatures (batch_id, key_id)"
  "  WHERE key_id IS NOT NULL;"
  /* On a master: the rows of a batch that mixed coordinator keys which
   * the merging coordinator could not open, kept as they came (session
   * key sealed, payload encrypted, and the key the batch named) until
   * `merge --key` with that key imports them (pk_merge_open_sealed()).
   * Never counted as signatures; reported with their key's fingerprint. */
  "CREATE TABLE merge_sealed ("
  "  uuid TEXT PRIMARY KEY NOT NULL,"
  "  petition_id TEXT NOT NULL,"
  "  batch_id INTEGER NOT NULL REFERENCES batches (id),"
  "  signed_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL,"
  "  lang TEXT NOT NULL,"
  "  consent_hash TEXT NOT NULL,"
  "  opt_in INTEGER NOT NULL,"
  "  sheet_serial TEXT,"
  "  sheet_line INTEGER,"
  "  sealed_key BLOB NOT NULL,"
  "  coordinator_key BLOB,"
  "  payload BLOB NOT NULL"
  ") WITHOUT ROWID;",
  /* 10: a petition may ask for a second, separate consent to data that
   * reveal a political opinion (SensitiveConsentText). The hash of the
   * text accepted, NULL for a petition without one and for every row
   * saved before; rows a master keeps sealed carry it too. */
  "ALTER TABLE signatures ADD COLUMN sensitive_consent_hash TEXT;"
  "ALTER TABLE merge_sealed ADD COLUMN sensitive_consent_hash TEXT;",
  /* 11: on a master, every kiosk key seen per kiosk id (pk-merge-trust.c):
   * the first one is trusted (pinned on first use); another key for the
   * same kiosk id is refused, and kept here untrusted, until the
   * coordinator trusts it. Filled from the batches merged before. */
  "CREATE TABLE merge_kiosk_keys ("
  "  kiosk_id TEXT NOT NULL,"
  "  kiosk_key TEXT NOT NULL,"
  "  kiosk_fingerprint TEXT NOT NULL,"
  "  kiosk_name TEXT,"
  "  first_seen INTEGER NOT NULL,"
  "  trusted INTEGER NOT NULL CHECK (trusted IN (0, 1)),"
  "  PRIMARY KEY (kiosk_id, kiosk_key)"
  ") WITHOUT ROWID;"
  "INSERT INTO merge_kiosk_keys (kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, first_seen, trusted)"
  "  SELECT b.kiosk_id, i.kiosk_key, max(i.kiosk_fingerprint), max(b.kiosk_name), min(i.imported_at), 1"
  "  FROM merge_imports i JOIN batches b ON b.id = i.batch_id GROUP BY b.kiosk_id, i.kiosk_key;",
  /* 12: why a signature is in state 'failed' (pk-store-sync.h,
   * PK_SYNC_REASON_*): refused by the server, no usable answer, or not
   * sendable at all, so that the Sync page and `sync` report each
   * apart and retry only where it helps. Rows from before say nothing
   * (NULL) and count as refused. */
  "ALTER TABLE sync_state ADD COLUMN reason TEXT;",
  /* 13: paper lines struck out or corrected on the Paper page
   * (pk_store_paper_strike_line()). The struck row itself is deleted, so
   * counts, batch files, sync and the merge see only live lines and the
   * batch format is unchanged; what stays is the fact: which row (uuid)
   * on which sheet and line, entered when, struck when and on which
   * kiosk, and the row that replaced it for a correction (NULL when
   * struck out). The signer's details go with the row: a struck line is
   * not kept as personal data. */
  "CREATE TABLE paper_strikes ("
  "  uuid TEXT PRIMARY KEY NOT NULL,"
  "  petition_id TEXT NOT NULL,"
  "  sheet_serial TEXT NOT NULL,"
  "  sheet_line INTEGER NOT NULL,"
  "  signed_at INTEGER NOT NULL,"
  "  struck_at INTEGER NOT NULL,"
  "  kiosk_id TEXT NOT NULL,"
  "  replaced_by TEXT"
  ") WITHOUT ROWID;"
  "CREATE INDEX paper_strikes_line ON paper_strikes (sheet_serial, sheet_line, struck_at);",
};

G_STATIC_ASSERT (PK_STORE_APPLICATION_ID == 1347109954);

typedef struct {
  PkSessionKey *key;
  gint64 key_id;  /* 0 until sealed into the database and committed */
} SessionEntry;

/* What tells that another process changed a file: see check_existing(). */
typedef struct {
  goffset size;
  gint64 mtime_ns;
  guint64 inode;
} FileStamp;

struct _PkStore {
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  char *kiosk_id;

  /* pk_store_open_read_only(): read with immutable=1 (no locks, nothing
   * created), and the file as it was when opened. */
  gboolean immutable;
  FileStamp opened;

  /* Encrypted mode: one session key per coordinator key, made when the
   * first signature for it is saved. Hex public key → SessionEntry. */
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
  GPtrArray *txn_sessions;  /* SessionEntry * whose key_id is uncommitted */
  GPtrArray *txn_seen;      /* keys of self->seen added uncommitted */
};

G_DEFINE_FINAL_TYPE (PkStore, pk_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pk-store-error-quark, pk_store_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
session_entry_free (gpointer data)
{
  SessionEntry *entry = data;

  pk_session_key_free (entry->key);
  g_free (entry);
}

static void
pk_store_finalize (GObject *object)
{
  PkStore *self = (PkStore *) object;

  /* Closing the last connection checkpoints the WAL into the database
   * and removes it. */
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->kiosk_id, g_free);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->dedup_key, sodium_free);
  g_clear_pointer (&self->txn_sessions, g_ptr_array_unref);
  g_clear_pointer (&self->txn_seen, g_ptr_array_unref);

  G_OBJECT_CLASS (pk_store_parent_class)->finalize (object);
}

static void
pk_store_class_init (PkStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pk_store_finalize;
}

static void
pk_store_init (PkStore *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, session_entry_free);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->txn_sessions = g_ptr_array_new ();
  self->txn_seen = g_ptr_array_new_with_free_func (g_free);
}

guint
pk_store_get_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
set_error_from_code (const char  *path,
                     int          rc,
                     const char  *message,
                     const char  *what,
                     GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  switch (rc & 0xFF)
    {
    case SQLITE_FULL:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FULL,
                   _("The disk is full, so nothing was saved while %s. Free some space or use another disk."),
                   what);
      break;

    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot write to %s, so nothing was saved while %s. Check that the disk is writable and not full."),
                   display, what);
      break;

    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
                   _("%s is damaged or is not a Petition Kiosk database. It was left as it is."),
                   display);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("%s is in use by another program, so nothing was saved while %s."),
                   display, what);
      break;

    default:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("Error while %s: %s"), what, message != NULL ? message : sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

gboolean
pk_store_set_error_from_sqlite (PkStore    *self,
                                int         rc,
                                const char *what,
                                GError    **error)
{
  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  /* A write that fails for lack of space or permission can surface as a
   * generic I/O error (say, while creating the WAL); the operating
   * system's error tells the plain story. */
  if ((rc & 0xFF) == SQLITE_IOERR)
    {
      int system_errno = sqlite3_system_errno (self->db);

      if (system_errno == ENOSPC || system_errno == EDQUOT)
        rc = SQLITE_FULL;
      else if (system_errno == EROFS || system_errno == EACCES || system_errno == EPERM)
        rc = SQLITE_READONLY;
    }

  return set_error_from_code (self->path, rc, sqlite3_errmsg (self->db), what, error);
}

sqlite3 *
pk_store_get_db (PkStore *self)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  return self->db;
}

static gboolean
exec (PkStore     *self,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return pk_store_set_error_from_sqlite (self, rc, what, error);

  return TRUE;
}

static sqlite3_stmt *
prepare (PkStore     *self,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (self, rc, what, error);
      return NULL;
    }

  return stmt;
}

gboolean
pk_store_begin (PkStore  *self,
                GError  **error)
{
  g_autofree char *savepoint = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  if (self->txn_depth == 0)
    {
      if (!exec (self, "BEGIN IMMEDIATE", _("starting to save"), error))
        return FALSE;
    }
  else
    {
      savepoint = g_strdup_printf ("SAVEPOINT pk_%u", self->txn_depth);
      if (!exec (self, savepoint, _("starting to save"), error))
        return FALSE;
    }

  self->txn_depth++;
  return TRUE;
}

gboolean
pk_store_commit (PkStore  *self,
                 GError  **error)
{
  g_autofree char *release = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  if (self->txn_depth > 1)
    release = g_strdup_printf ("RELEASE pk_%u", self->txn_depth - 1);

  rc = sqlite3_exec (self->db, release != NULL ? release : "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (self, rc, _("saving"), error);
      /* A failed COMMIT (disk full, I/O error) may leave the transaction
       * open; roll it back so that nothing of it is written later. */
      pk_store_rollback (self);
      return FALSE;
    }

  self->txn_depth--;
  if (self->txn_depth == 0)
    {
      g_ptr_array_set_size (self->txn_sessions, 0);
      g_ptr_array_set_size (self->txn_seen, 0);
    }

  return TRUE;
}

void
pk_store_rollback (PkStore *self)
{
  g_return_if_fail (PK_IS_STORE (self));

  if (self->txn_depth > 1)
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO pk_%u; RELEASE pk_%u",
                                              self->txn_depth - 1, self->txn_depth - 1);

      /* After a disk-full or I/O error SQLite may already have rolled
       * back the whole transaction; the outermost rollback, which the
       * caller still owes, then finds nothing left to undo on disk. */
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, sql, NULL, NULL, NULL);
      self->txn_depth--;
      return;
    }

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->txn_depth = 0;

  for (guint i = 0; i < self->txn_sessions->len; i++)
    ((SessionEntry *) self->txn_sessions->pdata[i])->key_id = 0;
  for (guint i = 0; i < self->txn_seen->len; i++)
    g_hash_table_remove (self->seen, self->txn_seen->pdata[i]);
  g_ptr_array_set_size (self->txn_sessions, 0);
  g_ptr_array_set_size (self->txn_seen, 0);
}

/* Runs a one-value integer query on @db. */
static int
query_int (sqlite3    *db,
           const char *sql,
           gint64     *out)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = sqlite3_column_int64 (stmt, 0);
      return SQLITE_OK;
    }

  return rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
}

static void
set_not_ours (const char  *path,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
               _("%s is not a Petition Kiosk database. It was left as it is."), display);
}

static void
set_newer (const char  *path,
           gint64       version,
           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION,
               _("%s was made by a newer version of Petition Kiosk (schema %" PRId64
                 ", this version knows up to %u). Please update Petition Kiosk; the database was left as it is."),
               display, version, pk_store_get_latest_version ());
}

static gboolean
run_quick_check (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  return rc == SQLITE_ROW &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The 100-byte SQLite header, read directly: a file that does not start
 * with the SQLite magic is not a database, and one shorter than its
 * header says was cut off (a copy to a USB stick interrupted). Costs the
 * same for any size. An empty file is a new database. With @side_files
 * (a -journal or -wal beside it) a short file is what a writer killed
 * mid-transaction leaves, and the journal restores it when opened, so
 * the size is not judged here; quick_check judges the result. */
static gboolean
check_header (const char  *path,
              gboolean     side_files,
              goffset     *out_size,
              GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guint8 header[100];
  gsize n_read = 0;
  guint32 page_size, n_pages, change_counter, valid_for;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot read %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      return set_error_from_code (path, SQLITE_NOTADB, NULL, "", error);
    }

  while (n_read < sizeof header)
    {
      gssize n = read (fd, header + n_read, sizeof header - n_read);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      n_read += (gsize) n;
    }
  close (fd);

  *out_size = st.st_size;
  if (n_read == 0 && st.st_size == 0)
    return TRUE;
  if (n_read < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    return set_error_from_code (path, SQLITE_NOTADB, NULL, "", error);

  /* Offsets from the SQLite file format: page size at 16 (1 meaning
   * 65536), change counter at 24, size in pages at 28, valid only when
   * "version-valid-for" at 92 equals the change counter. */
  page_size = (guint32) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  change_counter = read_be32 (header + 24);
  n_pages = read_be32 (header + 28);
  valid_for = read_be32 (header + 92);

  if (page_size < 512 || (page_size & (page_size - 1)) != 0)
    return set_error_from_code (path, SQLITE_CORRUPT, NULL, "", error);
  if (!side_files && change_counter == valid_for && n_pages > 0 &&
      (goffset) n_pages * page_size > st.st_size)
    return set_error_from_code (path, SQLITE_CORRUPT, NULL, "", error);

  return TRUE;
}

/* A failure to open or read @path for pk_store_open_read_only(). The
 * codes that mean "cannot write" elsewhere mean here, with a -wal or
 * -shm beside the file (not @immutable), that SQLite needed to write
 * to them (recover the -shm, say) and could not; without, that the file
 * cannot be read at all. */
static gboolean
set_read_error (const char  *path,
                int          rc,
                const char  *message,
                gboolean     immutable,
                GError     **error)
{
  g_autofree char *display = NULL;

  switch (rc & 0xFF)
    {
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      display = g_filename_display_name (path);
      if (message == NULL)
        message = sqlite3_errstr (rc);
      if (immutable)
        g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                     _("Cannot read %s: %s"), display, message);
      else
        g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                     _("Cannot read %s on this disk (%s): the -wal or -shm file beside it needs updating, "
                       "which this disk does not allow. Copy the database with the files beside it to a "
                       "disk that can be written to. It was left as it is."),
                     display, message);
      return FALSE;

    default:
      return set_error_from_code (path, rc, message, _("opening the database"), error);
    }
}

/* Looks at an existing file through a read-only connection, so that a
 * file we must refuse is never written to, not even by a journal-mode
 * change or a migration that would fail half-way.
 *
 * With @out_db this is pk_store_open_read_only(): the connection is
 * handed over instead of closed, and whatever only a write could mend
 * (a hot journal, an older schema) is refused instead. */
static gboolean
check_existing_once (const char  *path,
                     gboolean     immutable,
                     sqlite3    **out_db,
                     GError     **error)
{
  sqlite3 *db = NULL;
  gint64 version = 0;
  gint64 application_id = 0;
  gint64 n_objects = 0;
  goffset file_size = 0;
  g_autofree char *escaped_path = NULL;
  g_autofree char *uri = NULL;
  int rc;

  if (!check_header (path, !immutable, &file_size, error))
    return FALSE;

  /* immutable=1 (see check_existing()) takes no locks and creates no
   * -wal or -shm beside a file that may turn out not to be ours. */
  uri = g_strconcat ("file:", escaped_path = g_uri_escape_string (path, "/", FALSE),
                     immutable ? "?immutable=1" : "", NULL);
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_strdup (db != NULL ? sqlite3_errmsg (db) : NULL);

      sqlite3_close_v2 (db);
      if (out_db != NULL)
        return set_read_error (path, rc, message, immutable, error);
      return set_error_from_code (path, rc, message, _("opening the database"), error);
    }

  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_busy_timeout (db, PK_STORE_BUSY_TIMEOUT_MS);

  /* Reading the schema parses the header: a file that is not SQLite
   * fails here with SQLITE_NOTADB. */
  rc = query_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects);
  if (rc != SQLITE_OK && sqlite3_extended_errcode (db) == SQLITE_READONLY_ROLLBACK)
    {
      sqlite3_close_v2 (db);
      db = NULL;
      if (out_db != NULL)
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                       _("%s was left in the middle of a change (a -journal file is beside it), "
                         "which only opening it where it can be written undoes. Run petition-kiosk on it "
                         "once on a disk that can be written to. It was left as it is."),
                       display);
          return FALSE;
        }

      /* A hot journal: a writer was killed inside a rollback-journal
       * transaction (the switch to WAL on first run is one). A read-only
       * connection cannot roll it back, and refusing would lock the
       * kiosk out for good; one read-write read restores the last
       * committed state, as every SQLite open does, and then the file is
       * checked as usual. Found by tests/durability/test-kill.c. */
      rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
      if (rc == SQLITE_OK)
        rc = query_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects);
      sqlite3_close_v2 (db);
      db = NULL;
      if (rc != SQLITE_OK)
        return set_error_from_code (path, rc, NULL, _("opening the database"), error);
      return check_existing_once (path, FALSE, NULL, error);
    }
  if (rc == SQLITE_OK)
    rc = query_int (db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK)
    rc = query_int (db, "PRAGMA application_id", &application_id);
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_strdup (sqlite3_errmsg (db));

      sqlite3_close_v2 (db);
      if (out_db != NULL)
        return set_read_error (path, rc, message, immutable, error);
      return set_error_from_code (path, rc, message, _("opening the database"), error);
    }

  if (application_id != PK_STORE_APPLICATION_ID && (application_id != 0 || n_objects > 0))
    {
      sqlite3_close_v2 (db);
      set_not_ours (path, error);
      return FALSE;
    }

  if (version > (gint64) pk_store_get_latest_version ())
    {
      sqlite3_close_v2 (db);
      set_newer (path, version, error);
      return FALSE;
    }

  if (out_db != NULL && version < (gint64) pk_store_get_latest_version ())
    {
      g_autofree char *display = g_filename_display_name (path);

      sqlite3_close_v2 (db);
      if (version == 0)
        g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE,
                     _("%s holds no Petition Kiosk data yet: it was never fully set up. It was left as it is."),
                     display);
      else
        g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE,
                     _("%s was made by an older version of Petition Kiosk (schema %" PRId64
                       ", this version uses %u) and must be upgraded before it can be read. Run "
                       "petition-kiosk on it once on a disk that can be written to. It was left as it is."),
                     display, version, pk_store_get_latest_version ());
      return FALSE;
    }

  /* quick_check reads every page, so start-up would grow with the
   * number of signatures. It runs only while the file is small (a kiosk
   * with thousands of signatures; a few tens of milliseconds); larger
   * files, such as a coordinator's master, get the O(1) header check in
   * check_header() and pk_store_check_integrity() on demand. */
  if (file_size <= PK_STORE_QUICK_CHECK_MAX_BYTES && !run_quick_check (db))
    {
      sqlite3_close_v2 (db);
      return set_error_from_code (path, SQLITE_CORRUPT, NULL, _("opening the database"), error);
    }

  if (out_db != NULL)
    *out_db = db;
  else
    sqlite3_close_v2 (db);
  return TRUE;
}

static gboolean
has_side_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        return TRUE;
    }

  return FALSE;
}

static gboolean
stamp_file (const char *path,
            FileStamp  *stamp)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return FALSE;

  stamp->size = st.st_size;
  stamp->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  stamp->inode = st.st_ino;
  return TRUE;
}

/* The read-only look at an existing file.
 *
 * Without -wal, -shm or -journal beside it, no SQLite connection has
 * the file open in WAL mode and no transaction is pending, so the main
 * file alone is the whole database: it is read with immutable=1, which
 * leaves nothing behind. With any of them, the main file alone may be
 * mid-checkpoint or mid-transaction, so a normal read-only connection
 * (which reads the WAL and honours locks) is used; the side files exist
 * already, so nothing new appears.
 *
 * Another process (the kiosk while a volunteer runs `count`) may write
 * and checkpoint during an immutable read, which can then look damaged.
 * A "damaged" verdict therefore stands only if the file did not change
 * meanwhile; otherwise the look is repeated.
 *
 * pk_store_open_read_only() keeps the connection (@out_db), and with it
 * whether it is immutable and the file's stamp before the look, so that
 * pk_store_check_unchanged() can tell later whether the file changed
 * under the reads made through it. */
static gboolean
check_existing (const char  *path,
                sqlite3    **out_db,
                gboolean    *out_immutable,
                FileStamp   *out_stamp,
                GError     **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      FileStamp before = { 0 }, after = { 0 };
      gboolean immutable = !has_side_files (path);
      gboolean stamped = stamp_file (path, &before);

      if (check_existing_once (path, immutable, out_db, &local_error))
        {
          if (out_immutable != NULL)
            *out_immutable = immutable;
          if (out_stamp != NULL)
            *out_stamp = before;
          return TRUE;
        }

      if (!immutable || attempt >= 2 ||
          !g_error_matches (local_error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT) ||
          (stamped && stamp_file (path, &after) && !has_side_files (path) &&
           memcmp (&before, &after, sizeof before) == 0))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* Creates the file with mode 0600 before SQLite sees it: SQLite gives
 * the -wal and -shm files the mode of the database file, so this one
 * call keeps all three private, whatever the umask. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot create %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (fd >= 0)
    close (fd);

  return TRUE;
}

/* An existing database (say, copied with a permissive umask) is made
 * private too, with its WAL and shared-memory files. */
static void
make_private (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_lstat (file, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0)
        g_chmod (file, st.st_mode & 0700);
    }
}

/* Encrypted mode's duplicate keys are hashed with a key made afresh
 * for each PkStore (see the struct). */
static gboolean
make_dedup_key (PkStore  *self,
                GError  **error)
{
  self->dedup_key = sodium_malloc (crypto_generichash_KEYBYTES);
  if (self->dedup_key == NULL)
    {
      g_set_error_literal (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                           _("Out of memory."));
      return FALSE;
    }
  crypto_generichash_keygen (self->dedup_key);
  return TRUE;
}

static gboolean
configure_connection (PkStore  *self,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, PK_STORE_BUSY_TIMEOUT_MS);
  /* Defensive mode stops SQL from corrupting the file through
   * writable_schema and the like; trusted_schema off keeps functions in
   * a doctored schema from running with our privileges. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

  stmt = prepare (self, "PRAGMA journal_mode = WAL", _("opening the database"), error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("opening the database"), error);
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      /* Without WAL (say, on a file system without shared memory) the
       * durability argument of this file does not hold: refuse. */
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("The database cannot use write-ahead logging on this disk (journal mode “%s”)."),
                   mode != NULL ? mode : "");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* synchronous=FULL syncs the WAL at every commit: a signature that was
   * reported saved survives a power cut. secure_delete overwrites
   * deleted rows with zeros, so wiped signer data does not linger in
   * free pages. */
  return exec (self,
               "PRAGMA synchronous = FULL;"
               "PRAGMA foreign_keys = ON;"
               "PRAGMA secure_delete = ON;"
               "PRAGMA trusted_schema = OFF;",
               _("opening the database"), error);
}

static char *
get_setting_unlocked (PkStore    *self,
                      const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = prepare (self, "SELECT value FROM settings WHERE key = ?1", "", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
pk_store_set_setting_unlocked (PkStore     *self,
                               const char  *key,
                               const char  *value,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value != NULL)
    stmt = prepare (self,
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                    "  ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    _("saving a setting"), error);
  else
    stmt = prepare (self, "DELETE FROM settings WHERE key = ?1", _("saving a setting"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("saving a setting"), error);

  return TRUE;
}

/* The open local batch: its id (or 0 when none) and petition. */
static gboolean
get_open_batch (PkStore  *self,
                gint64   *out_id,
                char    **out_petition_id,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self,
                  "SELECT id, petition_id FROM batches"
                  "  WHERE origin = 'local' AND closed_at IS NULL",
                  _("reading the batch"), error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_petition_id != NULL)
        *out_petition_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("reading the batch"), error);

  *out_id = 0;
  if (out_petition_id != NULL)
    *out_petition_id = NULL;
  return TRUE;
}

gint64
pk_store_rotate_batch_unlocked (PkStore     *self,
                                const char  *petition_id,
                                gint64       now,
                                GError     **error)
{
  g_autoptr(sqlite3_stmt) close_stmt = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *kiosk_name = NULL;
  g_autofree char *event = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), -1);
  g_return_val_if_fail (!sqlite3_get_autocommit (self->db), -1);

  close_stmt = prepare (self,
                        "UPDATE batches SET closed_at = ?1"
                        "  WHERE origin = 'local' AND closed_at IS NULL",
                        _("closing the batch"), error);
  if (close_stmt == NULL)
    return -1;
  sqlite3_bind_int64 (close_stmt, 1, now);
  rc = sqlite3_step (close_stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("closing the batch"), error);
      return -1;
    }

  kiosk_name = get_setting_unlocked (self, PK_SETTING_KIOSK_NAME);
  event = get_setting_unlocked (self, PK_SETTING_EVENT);

  insert = prepare (self,
                    "INSERT INTO batches (uuid, petition_id, kiosk_id, kiosk_name, event,"
                    "                     opened_at, origin)"
                    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'local')",
                    _("opening a new batch"), error);
  if (insert == NULL)
    return -1;
  sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, self->kiosk_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, kiosk_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, event, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 6, now);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("opening a new batch"), error);
      return -1;
    }

  return sqlite3_last_insert_rowid (self->db);
}

/* Brings the schema to @target and makes sure the kiosk has its
 * identity and an open batch, in one transaction: a crash half-way
 * leaves the database as it was. */
static gboolean
migrate_and_initialize (PkStore  *self,
                        guint     target,
                        GError  **error)
{
  gint64 version = 0;
  gint64 batch_id = 0;
  int rc;

  if (!pk_store_begin (self, error))
    return FALSE;

  /* Checked again under the write lock: another process may have
   * upgraded the file since the read-only look. */
  rc = query_int (self->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (self, rc, _("opening the database"), error);
      pk_store_rollback (self);
      return FALSE;
    }
  if (version > (gint64) pk_store_get_latest_version ())
    {
      pk_store_rollback (self);
      set_newer (self->path, version, error);
      return FALSE;
    }

  for (guint v = (guint) version; v < target; v++)
    {
      g_autofree char *step = g_strdup_printf (_("upgrading the database to schema %u"), v + 1);
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", v + 1);

      if (!exec (self, migrations[v], step, error) ||
          !exec (self, pragma, step, error))
        {
          pk_store_rollback (self);
          return FALSE;
        }
    }

  self->kiosk_id = get_setting_unlocked (self, SETTING_KIOSK_ID);
  if (self->kiosk_id == NULL)
    {
      self->kiosk_id = g_uuid_string_random ();
      if (!pk_store_set_setting_unlocked (self, SETTING_KIOSK_ID, self->kiosk_id, error))
        {
          pk_store_rollback (self);
          return FALSE;
        }
    }

  if (!get_open_batch (self, &batch_id, NULL, error) ||
      (batch_id == 0 && pk_store_rotate_batch_unlocked (self, NULL, g_get_real_time (), error) < 0))
    {
      pk_store_rollback (self);
      return FALSE;
    }

  return pk_store_commit (self, error);
}

gboolean
pk_store_location_is_supported (const char  *location,
                                GError     **error)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (location != NULL, FALSE);

  scheme = g_uri_parse_scheme (location);
  if (scheme == NULL ||
      (!g_str_has_prefix (location + strlen (scheme), "://") &&
       g_ascii_strcasecmp (scheme, "file") != 0))
    return TRUE;

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
               _("“%s” is the address of a database, not a file. This build of Petition Kiosk keeps "
                 "its databases in SQLite files only and cannot use “%s:” addresses: please give the "
                 "path of a database file."),
               location, scheme);
  return FALSE;
}

PkStore *
pk_store_open_at_version (const char  *path,
                          guint        max_version,
                          GError     **error)
{
  g_autoptr(PkStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_version >= 1 && max_version <= pk_store_get_latest_version (), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pk_store_location_is_supported (path, error) || !pk_crypto_init (error))
    return NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot create the folder %s: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!check_existing (path, NULL, NULL, NULL, error))
        return NULL;
      make_private (path);
    }
  else if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (PK_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (path, rc, self->db != NULL ? sqlite3_errmsg (self->db) : NULL,
                           _("opening the database"), error);
      return NULL;
    }

  if (!configure_connection (self, error) ||
      !migrate_and_initialize (self, max_version, error) ||
      !make_dedup_key (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

PkStore *
pk_store_open_read_only (const char  *path,
                         GError     **error)
{
  g_autoptr(PkStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pk_store_location_is_supported (path, error) || !pk_crypto_init (error))
    return NULL;

  self = g_object_new (PK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (!check_existing (path, &self->db, &self->immutable, &self->opened, error))
    return NULL;

  /* The connection is SQLITE_OPEN_READONLY already; query_only makes
   * any write fail before it reaches the pager, whatever the VFS. */
  sqlite3_extended_result_codes (self->db, 1);
  if (!exec (self, "PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;",
             _("opening the database"), error) ||
      !make_dedup_key (self, error))
    return NULL;
  self->kiosk_id = get_setting_unlocked (self, SETTING_KIOSK_ID);

  return g_steal_pointer (&self);
}

gboolean
pk_store_check_unchanged (PkStore  *self,
                          GError  **error)
{
  FileStamp now = { 0 };
  g_autofree char *display = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  if (!self->immutable)
    return TRUE;

  /* A writer that started meanwhile created a -wal; only a checkpoint
   * changes the main file, and with it the stamp (vfat keeps mtime to
   * two seconds only, hence the side files too). */
  if (!has_side_files (self->path) && stamp_file (self->path, &now) &&
      memcmp (&now, &self->opened, sizeof now) == 0)
    return TRUE;

  display = g_filename_display_name (self->path);
  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
               _("%s changed while it was being read (another program wrote to it), so nothing was "
                 "printed or written. Please try again."),
               display);
  return FALSE;
}

PkStore *
pk_store_open (const char  *path,
               GError     **error)
{
  return pk_store_open_at_version (path, pk_store_get_latest_version (), error);
}

gboolean
pk_store_check_integrity (PkStore  *self,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  /* integrity_check, unlike quick_check, also verifies that indexes
   * match their tables: worth its cost when someone asks for it. */
  stmt = prepare (self, "PRAGMA integrity_check(1)", _("checking the database"), error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("checking the database"), error);

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    return set_error_from_code (self->path, SQLITE_CORRUPT, NULL, "", error);

  return TRUE;
}

char *
pk_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "petition-kiosk", "kiosk.db", NULL);
}

const char *
pk_store_get_path (PkStore *self)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  return self->path;
}

const char *
pk_store_get_kiosk_id (PkStore *self)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  return self->kiosk_id;
}

char *
pk_store_get_setting (PkStore    *self,
                      const char *key)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return get_setting_unlocked (self, key);
}

gboolean
pk_store_set_setting (PkStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!pk_store_begin (self, error))
    return FALSE;

  if (!pk_store_set_setting_unlocked (self, key, value, error))
    {
      pk_store_rollback (self);
      return FALSE;
    }

  return pk_store_commit (self, error);
}

gint64
pk_store_get_current_batch (PkStore *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_return_val_if_fail (PK_IS_STORE (self), 0);

  if (!get_open_batch (self, &id, NULL, &error))
    {
      g_warning ("%s", error->message);
      return 0;
    }

  return id;
}

static char *
coordinator_key_hex (const guint8 *key)
{
  char hex[PK_CRYPTO_PUBLIC_KEY_BYTES * 2 + 1];

  sodium_bin2hex (hex, sizeof hex, key, PK_CRYPTO_PUBLIC_KEY_BYTES);
  return g_strdup (hex);
}

PkSessionKey *
pk_store_get_session_key (PkStore      *self,
                          const guint8 *coordinator_key,
                          gint64       *out_key_id)
{
  g_autofree char *hex = NULL;
  SessionEntry *entry;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (coordinator_key != NULL, NULL);

  hex = coordinator_key_hex (coordinator_key);
  entry = g_hash_table_lookup (self->sessions, hex);
  if (entry == NULL || entry->key_id == 0)
    return NULL;

  if (out_key_id != NULL)
    *out_key_id = entry->key_id;
  return entry->key;
}

static SessionEntry *
find_session_by_key_id (PkStore *self,
                        gint64   key_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SessionEntry *entry = value;

      if (entry->key_id == key_id)
        return entry;
    }

  return NULL;
}

/* "kind:hash" of what identifies a signer for @petition_id, keyed with
 * this store's random in-memory key. */
static char *
memory_dedup_key (PkStore    *self,
                  const char *petition_id,
                  const char *kind,
                  const char *value)
{
  crypto_generichash_state state;
  guint8 hash[16];
  char hex[sizeof hash * 2 + 1];

  crypto_generichash_init (&state, self->dedup_key, crypto_generichash_KEYBYTES, sizeof hash);
  /* NUL separators keep ("a", "bc") and ("ab", "c") apart. */
  crypto_generichash_update (&state, (const guint8 *) petition_id, strlen (petition_id) + 1);
  crypto_generichash_update (&state, (const guint8 *) kind, strlen (kind) + 1);
  crypto_generichash_update (&state, (const guint8 *) value, strlen (value));
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static void
set_duplicate (GError **error)
{
  g_set_error_literal (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE,
                       _("You have already signed this petition. Thank you!"));
}

/* The duplicate rule: the same email (compared case-insensitively) for
 * the same petition; when the signer gave no email, the same phone. A
 * shared family phone with different emails is therefore not a
 * duplicate. */
static gboolean
is_duplicate_on_disk (PkStore     *self,
                      const char  *petition_id,
                      const char  *email_key,
                      const char  *phone,
                      gboolean    *out_duplicate,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *out_duplicate = FALSE;
  if (email_key == NULL && phone == NULL)
    return TRUE;

  if (email_key != NULL)
    stmt = prepare (self,
                    "SELECT 1 FROM signatures WHERE petition_id = ?1 AND dedup_email = ?2 LIMIT 1",
                    _("checking for an earlier signature"), error);
  else
    stmt = prepare (self,
                    "SELECT 1 FROM signatures WHERE petition_id = ?1 AND dedup_phone = ?2 LIMIT 1",
                    _("checking for an earlier signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, email_key != NULL ? email_key : phone, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_duplicate = TRUE;
  else if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("checking for an earlier signature"), error);

  return TRUE;
}

/* The signer details of a stored row, when this process can read them:
 * plain rows always, encrypted rows only under a session key it holds. */
static gboolean
decode_payload (PkStore      *self,
                PkSignature  *sig,
                const char   *uuid,
                GBytes       *payload,
                gint64        key_id,
                GError      **error)
{
  g_autoptr(GBytes) plain = NULL;
  SessionEntry *entry;

  if (key_id == 0)
    return pk_signature_deserialize (sig, payload, error);

  entry = find_session_by_key_id (self, key_id);
  if (entry == NULL)
    {
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT,
                           _("These signer details are encrypted for the coordinator."));
      return FALSE;
    }

  plain = pk_crypto_decrypt_payload (entry->key, payload, uuid, error);
  if (plain == NULL)
    return FALSE;

  return pk_signature_deserialize (sig, plain, error);
}

static PkSignature *
signature_from_row (PkStore      *self,
                    sqlite3_stmt *stmt)
{
  PkSignature *sig = pk_signature_new ();
  const void *blob = sqlite3_column_blob (stmt, 9);
  g_autoptr(GBytes) payload = g_bytes_new (blob, sqlite3_column_bytes (stmt, 9));
  g_autoptr(GError) error = NULL;

  sig->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sig->signed_at = sqlite3_column_int64 (stmt, 2);
  sig->source = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "paper") == 0
                ? PK_SOURCE_PAPER : PK_SOURCE_KIOSK;
  sig->lang = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  sig->consent_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  /* A stored signature always had consent: the store refuses any
   * without. */
  sig->consent = TRUE;
  sig->sensitive_consent_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  sig->sensitive_consent = sig->sensitive_consent_hash != NULL;
  sig->opt_in = sqlite3_column_int (stmt, 6) != 0;
  sig->sheet_serial = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  sig->sheet_line = (guint) sqlite3_column_int64 (stmt, 8);

  if (!decode_payload (self, sig, sig->uuid, payload, sqlite3_column_int64 (stmt, 10), &error))
    g_debug ("Signer details of %s not readable here: %s", sig->uuid, error->message);

  return sig;
}

#define SIGNATURE_COLUMNS \
  "uuid, petition_id, signed_at, source, lang, consent_hash, opt_in," \
  " sheet_serial, sheet_line, payload, coalesce (key_id, 0), sensitive_consent_hash"

PkSignature *
pk_store_get_signature_by_uuid (PkStore     *self,
                                const char  *uuid,
                                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = prepare (self, "SELECT " SIGNATURE_COLUMNS " FROM signatures WHERE uuid = ?1",
                  _("reading a signature"), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No signature with the identifier %s."), uuid);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      pk_store_set_error_from_sqlite (self, rc, _("reading a signature"), error);
      return NULL;
    }

  return signature_from_row (self, stmt);
}

PkSignature *
pk_store_find_paper_line (PkStore     *self,
                          const char  *sheet_serial,
                          guint        sheet_line,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (sheet_serial != NULL, NULL);

  stmt = prepare (self,
                  "SELECT " SIGNATURE_COLUMNS " FROM signatures"
                  "  WHERE sheet_serial = ?1 AND sheet_line = ?2",
                  _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sheet_line);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return signature_from_row (self, stmt);
  if (rc != SQLITE_DONE)
    pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);

  return NULL;
}

static gboolean
check_paper_line (PkStore     *self,
                  PkSignature *sig,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PkSignature) earlier = NULL;
  g_autofree char *name = NULL;

  earlier = pk_store_find_paper_line (self, sig->sheet_serial, sig->sheet_line, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (earlier == NULL)
    return TRUE;

  name = pk_signer_name_format (earlier->fields[PK_FIELD_GIVEN_NAME],
                                earlier->fields[PK_FIELD_FAMILY_NAME], earlier->lang);
  if (name != NULL)
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                 _("Sheet %s, line %u was already entered, for %s."),
                 sig->sheet_serial, sig->sheet_line, name);
  else
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                 _("Sheet %s, line %u was already entered."),
                 sig->sheet_serial, sig->sheet_line);
  return FALSE;
}

static gboolean
uuid_exists (PkStore     *self,
             const char  *uuid,
             gboolean    *out_exists,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT 1 FROM signatures WHERE uuid = ?1",
                  _("checking for an earlier signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("checking for an earlier signature"), error);

  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
batch_has_other_key (PkStore       *self,
                     gint64         batch_id,
                     const guint8  *coordinator_key,
                     gboolean      *out_other,
                     GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* Driven by sealed_keys, a handful of rows (one per run of the app),
   * each probing the signatures_batch_key index. */
  stmt = prepare (self,
                  "SELECT EXISTS (SELECT 1 FROM sealed_keys k"
                  "  WHERE k.coordinator_key IS NOT ?2"
                  "    AND EXISTS (SELECT 1 FROM signatures s"
                  "                  WHERE s.batch_id = ?1 AND s.key_id = k.id))",
                  _("reading the batch"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  if (coordinator_key != NULL)
    sqlite3_bind_blob (stmt, 2, coordinator_key, PK_CRYPTO_PUBLIC_KEY_BYTES, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("reading the batch"), error);

  *out_other = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

gboolean
pk_store_open_batch_has_other_key (PkStore       *self,
                                   const guint8  *coordinator_key,
                                   gboolean      *out_other,
                                   GError       **error)
{
  gint64 batch_id = 0;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_other != NULL, FALSE);

  *out_other = FALSE;
  if (!get_open_batch (self, &batch_id, NULL, error))
    return FALSE;
  return batch_id == 0 || batch_has_other_key (self, batch_id, coordinator_key, out_other, error);
}

/* Inside the transaction: the batch this signature goes into. A batch
 * holds one petition and one coordinator key, so a signature for
 * another petition (the admin switched petitions) or sealed to another
 * key (the coordinator changed it) closes the open batch and opens a
 * new one: a batch file can then always be opened whole by one key. */
static gint64
batch_for_petition (PkStore       *self,
                    const char    *petition_id,
                    const guint8  *coordinator_key,
                    gint64         now,
                    GError       **error)
{
  g_autofree char *batch_petition = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean other_key = FALSE;
  gint64 batch_id = 0;
  int rc;

  if (!get_open_batch (self, &batch_id, &batch_petition, error))
    return -1;

  if (batch_id != 0 && coordinator_key != NULL &&
      !batch_has_other_key (self, batch_id, coordinator_key, &other_key, error))
    return -1;
  if (other_key)
    return pk_store_rotate_batch_unlocked (self, petition_id, now, error);

  if (batch_id != 0 && g_strcmp0 (batch_petition, petition_id) == 0)
    return batch_id;

  if (batch_id == 0 || batch_petition != NULL)
    return pk_store_rotate_batch_unlocked (self, petition_id, now, error);

  stmt = prepare (self, "UPDATE batches SET petition_id = ?1 WHERE id = ?2",
                  _("saving the signature"), error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, batch_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("saving the signature"), error);
      return -1;
    }

  return batch_id;
}

/* Inside the transaction: the sealed_keys id for @entry, inserting the
 * sealed key the first time. Returns 0 with @error on failure; sets
 * @out_pending when the row is new and becomes real only on commit. */
static gint64
sealed_key_id (PkStore       *self,
               SessionEntry  *entry,
               const guint8  *coordinator_key,
               gboolean      *out_pending,
               GError       **error)
{
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *out_pending = FALSE;
  if (entry->key_id != 0)
    return entry->key_id;

  sealed = pk_session_key_seal (entry->key, coordinator_key, error);
  if (sealed == NULL)
    return 0;

  stmt = prepare (self, "INSERT INTO sealed_keys (sealed, coordinator_key) VALUES (?1, ?2)",
                  _("saving the signature"), error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                     SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, coordinator_key, PK_CRYPTO_PUBLIC_KEY_BYTES, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("saving the signature"), error);
      return 0;
    }

  *out_pending = TRUE;
  return sqlite3_last_insert_rowid (self->db);
}

static SessionEntry *
session_for (PkStore       *self,
             const guint8  *coordinator_key,
             GError       **error)
{
  g_autofree char *hex = coordinator_key_hex (coordinator_key);
  SessionEntry *entry = g_hash_table_lookup (self->sessions, hex);

  if (entry != NULL)
    return entry;

  /* One key per coordinator: rows for one coordinator's petition can
   * never be opened with another coordinator's secret key. */
  entry = g_new0 (SessionEntry, 1);
  entry->key = pk_session_key_new (error);
  if (entry->key == NULL)
    {
      g_free (entry);
      return NULL;
    }

  g_hash_table_insert (self->sessions, g_steal_pointer (&hex), entry);
  return entry;
}

/* The time a signature gets when its caller gives none: now, rounded
 * down to the minute. The seconds would let a batch file, or a seized
 * kiosk, order the signers of one minute and match a row to the moment
 * a camera or a bystander saw someone at the kiosk. */
static gint64
now_to_the_minute (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;

  return g_get_real_time () / minute * minute;
}

static gboolean
insert_row (PkStore           *self,
            const PkSignature *sig,
            const char        *uuid,
            gint64             signed_at,
            const char        *petition_id,
            gint64             batch_id,
            const char        *email_key,
            const char        *phone,
            GBytes            *payload,
            gint64             key_id,
            GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self,
                  "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang,"
                  "  consent_hash, opt_in, sheet_serial, sheet_line, dedup_email, dedup_phone,"
                  "  payload, key_id, sensitive_consent_hash)"
                  "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                  _("saving the signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, batch_id);
  sqlite3_bind_int64 (stmt, 4, signed_at);
  sqlite3_bind_text (stmt, 5, pk_source_to_string (sig->source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, sig->lang, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, sig->consent_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, sig->opt_in ? 1 : 0);
  sqlite3_bind_text (stmt, 9, sig->sheet_serial, -1, SQLITE_STATIC);
  if (sig->sheet_serial != NULL)
    sqlite3_bind_int64 (stmt, 10, sig->sheet_line);
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_text (stmt, 11, email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, phone, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 13, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                     SQLITE_STATIC);
  if (key_id != 0)
    sqlite3_bind_int64 (stmt, 14, key_id);
  else
    sqlite3_bind_null (stmt, 14);
  sqlite3_bind_text (stmt, 15, sig->sensitive_consent_hash, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("saving the signature"), error);

  return TRUE;
}

/* Takes @key (may be NULL) into the in-memory duplicate set. */
static void
remember_seen (PkStore *self,
               char    *key)
{
  if (key == NULL)
    return;
  if (self->txn_depth > 0)
    g_ptr_array_add (self->txn_seen, g_strdup (key));
  g_hash_table_add (self->seen, key);
}

void
pk_store_forget_signer (PkStore           *self,
                        const char        *petition_id,
                        const PkSignature *sig)
{
  g_autofree char *email_key = NULL;

  g_return_if_fail (PK_IS_STORE (self));

  if (sig->fields[PK_FIELD_EMAIL] != NULL)
    {
      g_autofree char *seen = NULL;

      email_key = pk_email_compare_key (sig->fields[PK_FIELD_EMAIL]);
      seen = memory_dedup_key (self, petition_id, "email", email_key);
      g_hash_table_remove (self->seen, seen);
    }
  if (sig->fields[PK_FIELD_PHONE] != NULL)
    {
      g_autofree char *seen = memory_dedup_key (self, petition_id, "phone", sig->fields[PK_FIELD_PHONE]);

      g_hash_table_remove (self->seen, seen);
    }
}

/* Validates and writes @sig; a repeat of a signer already on this
 * kiosk is refused when @refuse_repeat, else stored like any other. */
static gboolean
add_signature (PkStore      *self,
               PkPetition   *petition,
               PkSignature  *sig,
               gboolean      refuse_repeat,
               PkField      *out_field,
               GError      **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *seen_email = NULL;
  g_autofree char *seen_phone = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) payload = NULL;
  const guint8 *coordinator_key;
  const char *petition_id;
  const char *phone;
  SessionEntry *session = NULL;
  gboolean pending_key = FALSE;
  gboolean duplicate = FALSE;
  gint64 signed_at;
  gint64 batch_id;
  gint64 key_id = 0;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (sig != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pk_signature_validate (sig, petition, out_field, error))
    return FALSE;

  petition_id = pk_petition_get_id (petition);
  coordinator_key = pk_petition_get_coordinator_key (petition);
  phone = sig->fields[PK_FIELD_PHONE];
  if (sig->fields[PK_FIELD_EMAIL] != NULL)
    email_key = pk_email_compare_key (sig->fields[PK_FIELD_EMAIL]);

  if (coordinator_key != NULL)
    {
      /* Both are remembered, but only the email is compared when there
       * is one: the same rule as is_duplicate_on_disk(). */
      if (email_key != NULL)
        seen_email = memory_dedup_key (self, petition_id, "email", email_key);
      if (phone != NULL)
        seen_phone = memory_dedup_key (self, petition_id, "phone", phone);

      if (refuse_repeat
          && (seen_email != NULL
              ? g_hash_table_contains (self->seen, seen_email)
              : (seen_phone != NULL && g_hash_table_contains (self->seen, seen_phone))))
        {
          set_duplicate (error);
          return FALSE;
        }

      session = session_for (self, coordinator_key, error);
      if (session == NULL)
        return FALSE;
    }

  uuid = sig->uuid != NULL ? g_strdup (sig->uuid) : g_uuid_string_random ();
  signed_at = sig->signed_at != 0 ? sig->signed_at : now_to_the_minute ();

  plain = pk_signature_serialize (sig);
  if (session != NULL)
    {
      payload = pk_crypto_encrypt_payload (session->key, plain, uuid, error);
      if (payload == NULL)
        return FALSE;
    }
  else
    payload = g_bytes_ref (plain);

  if (!pk_store_begin (self, error))
    return FALSE;

  if (sig->uuid != NULL)
    {
      gboolean exists = FALSE;

      if (!uuid_exists (self, uuid, &exists, error))
        goto fail;
      if (exists)
        {
          set_duplicate (error);
          goto fail;
        }
    }

  if (sig->source == PK_SOURCE_PAPER && !check_paper_line (self, sig, error))
    goto fail;

  /* In encrypted mode nothing that could confirm a signer goes to disk,
   * not even a hash: duplicates were checked in memory above. */
  if (session == NULL && refuse_repeat)
    {
      if (!is_duplicate_on_disk (self, petition_id, email_key, phone, &duplicate, error))
        goto fail;
      if (duplicate)
        {
          set_duplicate (error);
          goto fail;
        }
    }

  batch_id = batch_for_petition (self, petition_id, coordinator_key, signed_at, error);
  if (batch_id < 0)
    goto fail;

  if (session != NULL)
    {
      key_id = sealed_key_id (self, session, coordinator_key, &pending_key, error);
      if (key_id == 0)
        goto fail;
    }

  if (!insert_row (self, sig, uuid, signed_at, petition_id, batch_id,
                   session == NULL ? email_key : NULL,
                   session == NULL ? phone : NULL,
                   payload, key_id, error))
    goto fail;

  if (!pk_store_commit (self, error))
    return FALSE;

  /* Only now that the transaction is committed do the in-memory records
   * follow it; inside an outer transaction they are logged so that its
   * rollback can take them back. */
  if (pending_key)
    {
      session->key_id = key_id;
      if (self->txn_depth > 0)
        g_ptr_array_add (self->txn_sessions, session);
    }
  remember_seen (self, g_steal_pointer (&seen_email));
  remember_seen (self, g_steal_pointer (&seen_phone));

  g_free (sig->uuid);
  sig->uuid = g_steal_pointer (&uuid);
  sig->signed_at = signed_at;
  return TRUE;

fail:
  pk_store_rollback (self);
  return FALSE;
}

gboolean
pk_store_add_signature (PkStore      *self,
                        PkPetition   *petition,
                        PkSignature  *sig,
                        PkField      *out_field,
                        GError      **error)
{
  return add_signature (self, petition, sig, TRUE, out_field, error);
}

gboolean
pk_store_add_signature_from_form (PkStore      *self,
                                  PkPetition   *petition,
                                  PkSignature  *sig,
                                  PkField      *out_field,
                                  GError      **error)
{
  return add_signature (self, petition, sig, FALSE, out_field, error);
}

guint64
pk_store_count (PkStore    *self,
                const char *petition_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), 0);

  if (petition_id != NULL)
    stmt = prepare (self, "SELECT n FROM counts WHERE petition_id = ?1", _("counting"), &error);
  else
    stmt = prepare (self, "SELECT coalesce (sum (n), 0) FROM counts", _("counting"), &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return 0;
    }

  if (petition_id != NULL)
    sqlite3_bind_text (stmt, 1, petition_id, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return (guint64) MAX (sqlite3_column_int64 (stmt, 0), 0);
}

GHashTable *
pk_store_count_by_petition (PkStore  *self,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) counts = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT petition_id, n FROM counts WHERE n > 0 ORDER BY petition_id",
                  _("counting"), error);
  if (stmt == NULL)
    return NULL;

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 *n = g_new (guint64, 1);

      *n = (guint64) sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), n);
    }
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("counting"), error);
      return NULL;
    }

  return g_steal_pointer (&counts);
}
