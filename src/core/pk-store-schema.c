/* pk-store-schema.c: the store's schema and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/data-model.md describes the tables these steps build.
 */
#define G_LOG_DOMAIN "pk-store"

#include "config.h"

#include <glib/gi18n.h>
/* PRId64 rather than G_GINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>

#include "pk-signer-key.h"
#include "pk-store-private.h"

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
  /* 14: one duplicate rule for the kiosk, paper and the merge
   * (pk_signer_key() in pk-signer-key.c, docs/data-model.md
   * "Duplicates"). A plain-mode kiosk row keeps its one signer key in
   * dedup_key; the email and the phone it kept apart let a signer
   * without email match the phone of one known by email, which the
   * merge never did, and knew no name and postal code. Filled from each
   * local plain payload by the SQL function pk_signer_key(), which only
   * the upgrade has (see pk_store_migrate_and_initialize()). The old
   * columns are emptied and left: dropping them would rewrite every row
   * of a master. */
  "ALTER TABLE signatures ADD COLUMN dedup_key TEXT;"
  "UPDATE signatures SET dedup_key = pk_signer_key (payload)"
  "  WHERE key_id IS NULL AND batch_id IN (SELECT id FROM batches WHERE origin = 'local');"
  "CREATE INDEX signatures_dedup_key ON signatures (petition_id, dedup_key)"
  "  WHERE dedup_key IS NOT NULL;"
  "UPDATE signatures SET dedup_email = NULL WHERE dedup_email IS NOT NULL;"
  "UPDATE signatures SET dedup_phone = NULL WHERE dedup_phone IS NOT NULL;"
  "DROP INDEX signatures_dedup_email;"
  "DROP INDEX signatures_dedup_phone;",
  /* 15: the three count triggers that fire for every row a merge
   * inserts (a signature, a duplicate) leave the file and become TEMP
   * triggers that every writing connection creates when it opens
   * (pk_store_add_count_triggers()). A merge drops them for its
   * transaction and brings counts and sync_counts up to date once per
   * batch, from what it inserted (pk_merge_count_batch()): a trigger program
   * per row was a third of a merge's CPU. The counts are unchanged.
   * The delete and update triggers stay: no merge fires them. */
  "DROP TRIGGER signatures_count_insert;"
  "DROP TRIGGER sync_counts_signature_insert;"
  "DROP TRIGGER sync_counts_duplicate_insert;",
  /* 16: which coordinator merged each batch, once several merge into
   * one master (docs/scale.md): the merging process's user and host,
   * "ana@seoul-laptop". NULL for a batch merged before. */
  "ALTER TABLE merge_imports ADD COLUMN merged_by TEXT;",
};

/* The step that made the count triggers below TEMP ones. */
#define PK_STORE_TEMP_COUNT_TRIGGERS_VERSION 15

/* Step 1's signatures_count_insert and step 6's
 * sync_counts_signature_insert and sync_counts_duplicate_insert, as
 * they were, on the main database's tables. */
static const char pk_store_count_triggers_sql[] =
  "CREATE TEMP TRIGGER signatures_count_insert AFTER INSERT ON main.signatures BEGIN"
  "  INSERT INTO counts (petition_id, n) VALUES (NEW.petition_id, 1)"
  "    ON CONFLICT (petition_id) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TEMP TRIGGER sync_counts_signature_insert AFTER INSERT ON main.signatures"
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
  "CREATE TEMP TRIGGER sync_counts_duplicate_insert AFTER INSERT ON main.merge_duplicates BEGIN"
  "  INSERT INTO sync_counts (petition_id, duplicates, sent, failed)"
  "    SELECT petition_id, 1,"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'sent'),"
  "      -((SELECT state FROM sync_state WHERE uuid = NEW.uuid) IS 'failed')"
  "    FROM signatures WHERE uuid = NEW.uuid"
  "    ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates,"
  "      sent = sent + excluded.sent, failed = failed + excluded.failed;"
  "END;";

gboolean
pk_store_add_count_triggers (PkStore  *self,
                             GError  **error)
{
  return pk_store_exec (self, pk_store_count_triggers_sql, _("opening the database"), error);
}

gboolean
pk_store_drop_count_triggers (PkStore  *self,
                              GError  **error)
{
  return pk_store_exec (self,
                        "DROP TRIGGER temp.signatures_count_insert;"
                        "DROP TRIGGER temp.sync_counts_signature_insert;"
                        "DROP TRIGGER temp.sync_counts_duplicate_insert;",
                        _("merging into the master database"), error);
}

G_STATIC_ASSERT (PK_STORE_APPLICATION_ID == 1347109954);

guint
pk_store_get_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

void
pk_store_set_newer_error (const char  *path,
                          gint64       version,
                          GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION,
               _("%s was made by a newer version of Petition Kiosk (schema %" PRId64
                 ", this version knows up to %u). Please update Petition Kiosk; the database was left as it is."),
               display, version, pk_store_get_latest_version ());
}

/* pk_signer_key(payload): pk_signer_key() of a plain payload, for step
 * 14; NULL for a payload this release cannot read (such a row never
 * matched anything but its email or phone before either). */
static void
sql_signer_key (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GBytes) payload = NULL;
  char *key;

  g_assert (argc == 1);
  payload = g_bytes_new (sqlite3_value_blob (argv[0]), sqlite3_value_bytes (argv[0]));
  if (!pk_signature_deserialize (sig, payload, NULL)
      || (key = pk_signer_key (sig, NULL)) == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  sqlite3_result_text (context, key, -1, g_free);
}

/* Brings the schema to @target and makes sure the kiosk has its
 * identity and an open batch, in one transaction: a crash half-way
 * leaves the database as it was. */
gboolean
pk_store_migrate_and_initialize (PkStore  *self,
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
  rc = pk_sqlite_query_int64 (self->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (self, rc, _("opening the database"), error);
      pk_store_rollback (self);
      return FALSE;
    }
  if (version > (gint64) pk_store_get_latest_version ())
    {
      pk_store_rollback (self);
      pk_store_set_newer_error (self->path, version, error);
      return FALSE;
    }

  /* Only for the steps below, and never from the schema (DIRECTONLY):
   * a trigger or view in a file cannot call it. */
  sqlite3_create_function (self->db, "pk_signer_key", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                           NULL, sql_signer_key, NULL, NULL);
  for (guint v = (guint) version; v < target; v++)
    {
      g_autofree char *step = g_strdup_printf (_("upgrading the database to schema %u"), v + 1);
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", v + 1);

      if (!pk_store_exec (self, migrations[v], step, error) ||
          !pk_store_exec (self, pragma, step, error))
        {
          sqlite3_create_function (self->db, "pk_signer_key", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
          pk_store_rollback (self);
          return FALSE;
        }
    }
  sqlite3_create_function (self->db, "pk_signer_key", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);

  /* Below step 15 (a test's old release) the file has them itself. */
  if (MAX ((guint) version, target) >= PK_STORE_TEMP_COUNT_TRIGGERS_VERSION
      && !pk_store_add_count_triggers (self, error))
    {
      pk_store_rollback (self);
      return FALSE;
    }

  /* A read that failed is not a kiosk without identity: giving it a new
   * one would split its batches between two kiosks. */
  if (!pk_store_read_setting_unlocked (self, PK_STORE_SETTING_KIOSK_ID, _("reading the kiosk's identity"),
                                       &self->kiosk_id, error))
    {
      pk_store_rollback (self);
      return FALSE;
    }
  if (self->kiosk_id == NULL)
    {
      self->kiosk_id = g_uuid_string_random ();
      if (!pk_store_set_setting_unlocked (self, PK_STORE_SETTING_KIOSK_ID, self->kiosk_id, error))
        {
          pk_store_rollback (self);
          return FALSE;
        }
    }

  if (!pk_store_get_open_batch (self, &batch_id, NULL, error) ||
      (batch_id == 0 && pk_store_rotate_batch_unlocked (self, NULL, g_get_real_time (), error) < 0))
    {
      pk_store_rollback (self);
      return FALSE;
    }

  return pk_store_commit (self, error);
}
