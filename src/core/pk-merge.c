/* pk-merge.c: merging batch files into a coordinator's master store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why the result does not depend on the order of the files: signers are
 * grouped by one key each (pk_signer_key()), which makes "same
 * signer" an equivalence; in each group the kept signature is always
 * the least by (signed_at, uuid), and every other member is recorded as
 * a duplicate of it. When a later file brings an earlier signature, it
 * takes over as kept and the group's duplicates are re-pointed at it.
 * Every row is stored (duplicates too, for --include-duplicates and
 * provenance), so the master's rows are the union of the batches'.
 */
#define G_LOG_DOMAIN "pk-merge"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pk-crypto.h"
#include "pk-merge-private.h"
#include "pk-merge-trust.h"
#include "pk-store-private.h"

#define PK_MERGE_PROGRESS_EVERY 1000
#define PK_MERGE_WAL_AUTOCHECKPOINT 16384
/* The advisory lock every batch's transaction on PostgreSQL takes
 * first: "PKMG" (the schema's migrations hold "PKDB"). */
#define PK_MERGE_PG_LOCK_KEY "1347112263"
/* How often a batch is tried on PostgreSQL when the server gives up on
 * its transaction for another's sake (SQLSTATE 40001, 40P01). */
#define PK_MERGE_ATTEMPTS 3
/* pk_merge_files() also commits once its transaction has been open this
 * long (µs): it holds the master's
 * write lock, which another writer waits for 5 s at most
 * (pk-store-open.c). */
#define PK_MERGE_GROUP_USEC G_USEC_PER_SEC


static const char * const pk_merge_sql[N_STMTS] = {
  [STMT_BATCH_EXISTS] =
    "SELECT b.file_digest, i.kiosk_fingerprint FROM batches b LEFT JOIN merge_imports i ON i.batch_id = b.id "
    "WHERE b.uuid = ?1",
  /* RETURNING (SQLite 3.35) rather than sqlite3_last_insert_rowid(),
   * which PostgreSQL has no counterpart of. */
  [STMT_INSERT_BATCH] =
    "INSERT INTO batches (uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at, origin, file_digest) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'imported', ?8) RETURNING id",
  [STMT_INSERT_IMPORT] =
    "INSERT INTO merge_imports (batch_id, kiosk_key, kiosk_fingerprint, petition_version, n_rows, imported_at, "
    "merged_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  /* DO NOTHING: a row the master already has (same uuid) is left as it
   * is; the count of changed rows tells the two cases apart without a
   * lookup. ON CONFLICT rather than OR IGNORE, since PostgreSQL knows
   * only the former and OR IGNORE would also skip a NOT NULL or CHECK
   * failure that must stop the merge. */
  [STMT_INSERT_SIGNATURE] =
    "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, "
    "opt_in, sheet_serial, sheet_line, payload, key_id, exported, sensitive_consent_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, 0, ?12) "
    "ON CONFLICT DO NOTHING",
  [STMT_SIGNER_GET] =
    "SELECT kept_uuid, kept_signed_at FROM merge_signers WHERE petition_id = ?1 AND signer_key = ?2",
  /* Most signers are new: try the insert first, look up only when the
   * key is taken. */
  [STMT_SIGNER_INSERT] =
    "INSERT INTO merge_signers (petition_id, signer_key, kept_uuid, kept_signed_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT DO NOTHING",
  [STMT_SIGNER_UPDATE] =
    "UPDATE merge_signers SET kept_uuid = ?3, kept_signed_at = ?4 WHERE petition_id = ?1 AND signer_key = ?2",
  [STMT_DUPLICATE_REPOINT] = "UPDATE merge_duplicates SET kept_uuid = ?1 WHERE kept_uuid = ?2",
  [STMT_DUPLICATE_INSERT] = "INSERT INTO merge_duplicates (uuid, kept_uuid, rule) VALUES (?1, ?2, ?3)",
  [STMT_REJECT] =
    "INSERT INTO merge_rejected (file_digest, name, reason, message, rejected_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT DO NOTHING",
  [STMT_UUID_EXISTS] = "SELECT 1 FROM signatures WHERE uuid = ?1",
  /* Every count received is kept, one per sheet and batch ... */
  [STMT_SHEET_COUNT_ADD] =
    "INSERT INTO merge_sheet_counts (serial, batch_uuid, petition_id, count, entered_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT DO NOTHING",
  /* ... and the one counted in sheet_counts is chosen from all of them
   * by one rule, so that the order of the files does not matter: the
   * latest entered (a recount corrects an earlier count), then the
   * least batch uuid. */
  [STMT_SHEET_COUNT_KEEP] =
    "INSERT INTO sheet_counts (serial, petition_id, count, entered_at, exported, batch_uuid) "
    "SELECT serial, petition_id, count, entered_at, 1, batch_uuid FROM merge_sheet_counts WHERE serial = ?1 "
    "ORDER BY entered_at DESC, batch_uuid ASC LIMIT 1 "
    "ON CONFLICT (serial) DO UPDATE SET petition_id = excluded.petition_id, count = excluded.count, "
    "entered_at = excluded.entered_at, batch_uuid = excluded.batch_uuid",
  [STMT_SHEET_COUNT_OTHERS] = "SELECT count(*) FROM merge_sheet_counts WHERE serial = ?1 AND batch_uuid <> ?2",
  /* Through signatures_sheet_line (serial, line, batch). */
  [STMT_PAPER_LINE_COPIES] = "SELECT count(*) FROM signatures WHERE sheet_serial = ?1 AND sheet_line = ?2",
  /* A row of a mixed batch sealed to another coordinator (store steps 9
   * and 10). */
  [STMT_KEEP_SEALED] =
    "INSERT INTO merge_sealed (uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, "
    "opt_in, sheet_serial, sheet_line, sealed_key, coordinator_key, payload, sensitive_consent_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
    "ON CONFLICT DO NOTHING",
  /* SQLite only, from here to the end (see PkMerge.stmts): what the
   * count triggers (store step 15) would have added for the batch's rows, in one statement each: every row is new (a uuid the
   * master had keeps its old row and batch), and each is counted as it
   * ends the batch, a duplicate or else by its sync state. The HAVING
   * leaves sync_counts without a row the triggers would not have made. */
  [STMT_COUNT_BATCH] =
    "INSERT INTO counts (petition_id, n) SELECT petition_id, count(*) FROM signatures WHERE batch_id = ?1 "
    "GROUP BY petition_id ON CONFLICT (petition_id) DO UPDATE SET n = n + excluded.n",
  [STMT_SYNC_COUNT_BATCH] =
    "INSERT INTO sync_counts (petition_id, duplicates, sent, failed) "
    "SELECT s.petition_id, count(d.uuid), sum(d.uuid IS NULL AND ss.state IS 'sent'), "
    "sum(d.uuid IS NULL AND ss.state IS 'failed') "
    "FROM signatures s LEFT JOIN merge_duplicates d ON d.uuid = s.uuid LEFT JOIN sync_state ss ON ss.uuid = s.uuid "
    "WHERE s.batch_id = ?1 GROUP BY s.petition_id HAVING max(d.uuid IS NOT NULL OR ss.state IS NOT NULL) "
    "ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates, "
    "sent = sent + excluded.sent, failed = failed + excluded.failed",
  /* A signature of an earlier batch that became a duplicate (an earlier
   * one of its signer came in): it leaves sent or failed for
   * duplicates, as sync_counts_duplicate_insert does. One of this batch
   * is counted with the batch. */
  [STMT_SYNC_COUNT_DEMOTED] =
    "INSERT INTO sync_counts (petition_id, duplicates, sent, failed) "
    "SELECT s.petition_id, 1, -(ss.state IS 'sent'), -(ss.state IS 'failed') "
    "FROM signatures s LEFT JOIN sync_state ss ON ss.uuid = s.uuid WHERE s.uuid = ?1 AND s.batch_id <> ?2 "
    "ON CONFLICT (petition_id) DO UPDATE SET duplicates = duplicates + excluded.duplicates, "
    "sent = sent + excluded.sent, failed = failed + excluded.failed",
};

/* Whether the master keeps counts and sync_counts as tables the merge
 * brings up to date (SQLite), rather than as views (PostgreSQL). */
static gboolean
pk_merge_keeps_counts (PkMerge *self)
{
  return pk_db_get_kind (self->conn) == PK_DB_SQLITE;
}

/* Every failure of a statement here is the master's own (a full disk,
 * a lost server): pk-db.h gives a PK_STORE_ERROR with its real cause,
 * never a PK_BATCH_ERROR, so that the file is not taken for a bad one. */
static gboolean
pk_merge_step_done (PkDbStmt  *stmt,
                    GError   **error)
{
  return pk_db_step (stmt, error) == PK_DB_STEP_DONE;
}

/* Steps @stmt, a query of one row, and leaves it on that row: FALSE
 * with @error when it fails, *@out_row FALSE when there is no row. */
static gboolean
pk_merge_step_row (PkDbStmt  *stmt,
                   gboolean  *out_row,
                   GError   **error)
{
  PkDbStep step = pk_db_step (stmt, error);

  *out_row = step == PK_DB_STEP_ROW;
  return step != PK_DB_STEP_ERROR;
}

/* On SQLite, BEGIN IMMEDIATE takes the file's write lock. Deferred
 * foreign keys are still checked, at COMMIT; immediate ones would make
 * every INSERT keep a statement journal (a copy of each page it
 * touches) in case it had to be undone alone.
 * On PostgreSQL, several coordinators merge at once. Each batch's
 * transaction begins once it holds one advisory lock
 * (pk_db_begin_locked(), "Advisory Locks" in the manual): batches go
 * in one after the other on the server, as on SQLite, while each
 * process reads and decrypts its files meanwhile. Its statements see
 * what the batches before committed, at whatever isolation level the
 * database's administrator chose, so the uuid check, the kiosk key
 * pinning and the duplicate rule see the union of everyone's batches.
 * _pk_merge_end() lets go of the lock once the transaction ended. */
gboolean
_pk_merge_begin (PkMerge  *self,
                 GError  **error)
{
  if (!pk_merge_keeps_counts (self))
    return pk_db_begin_locked (self->conn, PK_MERGE_PG_LOCK_KEY, _("merging into the master database"), error);
  if (!pk_db_begin (self->conn, PK_DB_WRITE, error))
    return FALSE;
  if (pk_db_exec (self->conn, "PRAGMA defer_foreign_keys = ON", _("merging into the master database"), error))
    return TRUE;
  pk_db_rollback (self->conn);
  return FALSE;
}

void
_pk_merge_end (PkMerge *self)
{
  if (!pk_merge_keeps_counts (self))
    pk_db_unlock (self->conn, PK_MERGE_PG_LOCK_KEY);
}

/* A COMMIT that fails is the merge's failure, said as such (not as
 * pk_db_commit()'s "saving"); the caller rolls back. */
gboolean
_pk_merge_commit (PkMerge  *self,
                  GError  **error)
{
  return pk_db_exec (self->conn, "COMMIT", _("merging into the master database"), error);
}

PkMerge *
pk_merge_new (PkStore           *master,
              PkCoordinatorKey  *key,
              PkTrustList       *trust,
              const char        *petition_id,
              GError           **error)
{
  g_autoptr(PkMerge) self = g_new0 (PkMerge, 1);

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  if (!pk_crypto_init (error))
    return NULL;

  self->master = g_object_ref (master);
  self->conn = pk_store_get_conn (master);
  self->key = key;
  self->trust = trust;
  self->petition_id = g_strdup (petition_id);
  /* Who merged, among the coordinators sharing a master: this process's
   * user and machine, which the coordinators know each other by, and
   * nothing about any signer. */
  self->merged_by = g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());

  /* A batch's random uuids touch index pages all over; with SQLite's
   * default 2 MiB cache, a 10,000-row transaction spills the same pages
   * to the WAL again and again. 64 MiB keeps a batch's working set in
   * memory (the cache only grows as far as it is used). */
  /* wal_autocheckpoint: every batch rewrites the pages of the indexes
   * keyed by random uuids and signer hashes, a few thousand pages, so
   * with the default of 1,000 pages every commit ended in a checkpoint
   * that copied them all into the database file again. Checkpointing at
   * 16,384 pages (64 MiB of WAL) copies a page rewritten by several
   * batches once. pk_merge_free() restores the default. */
  if (pk_merge_keeps_counts (self)
      && !pk_db_exec (self->conn, "PRAGMA cache_size = -65536;"
                      "PRAGMA wal_autocheckpoint = " G_STRINGIFY (PK_MERGE_WAL_AUTOCHECKPOINT),
                      _("merging into the master database"), error))
    return NULL;

  for (guint i = 0; i < N_STMTS; i++)
    if ((i < STMT_COUNT_BATCH || pk_merge_keeps_counts (self))
        && (self->stmts[i] = pk_db_prepare (self->conn, pk_merge_sql[i], _("merging into the master database"),
                                            error)) == NULL)
      return NULL;

  return g_steal_pointer (&self);
}

void
pk_merge_set_progress (PkMerge         *self,
                       PkMergeProgress  progress,
                       gpointer         user_data)
{
  g_return_if_fail (self != NULL);
  self->progress = progress;
  self->progress_data = user_data;
}

static void
pk_merge_drop_ahead (PkMergeAhead *ahead)
{
  _pk_merge_rows_free (_pk_merge_ahead_finish (ahead, NULL));
}

void
pk_merge_read_ahead (PkMerge    *self,
                     const char *path)
{
  PkMergeAhead *ahead;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  ahead = _pk_merge_ahead_start (path, self->key);
  if (ahead != NULL)
    g_queue_push_tail (&self->ahead, ahead);
}

/* The rows of @path: read ahead, when it was (the files read ahead
 * before it were not merged, and are dropped), or read now. */
static PkMergeRows *
pk_merge_open_rows (PkMerge     *self,
                    const char  *path,
                    GError     **error)
{
  gboolean wanted = FALSE;

  for (GList *l = self->ahead.head; l != NULL && !wanted; l = l->next)
    wanted = _pk_merge_ahead_is_for (l->data, path);
  if (!wanted)
    {
      PkBatchReader *reader = pk_batch_reader_open (path, error);

      return reader != NULL ? _pk_merge_rows_new (reader, self->key) : NULL;
    }
  while (!_pk_merge_ahead_is_for (g_queue_peek_head (&self->ahead), path))
    pk_merge_drop_ahead (g_queue_pop_head (&self->ahead));
  return _pk_merge_ahead_finish (g_queue_pop_head (&self->ahead), error);
}

void
pk_merge_free (PkMerge *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->ahead, (GDestroyNotify) pk_merge_drop_ahead);
  for (guint i = 0; i < N_STMTS; i++)
    pk_db_stmt_free (self->stmts[i]);
  /* SQLite's default; the store's other work writes little at a time. */
  if (self->conn != NULL && pk_merge_keeps_counts (self))
    pk_db_exec (self->conn, "PRAGMA wal_autocheckpoint = 1000", "", NULL);
  g_clear_object (&self->master);
  g_free (self->petition_id);
  g_free (self->merged_by);
  g_free (self);
}

/* For a statement that gave no row where it must: a row it has just
 * written, in the same transaction. */
static gboolean
pk_merge_no_row (PkMerge  *self,
                 GError  **error)
{
  g_autofree char *display = g_filename_display_name (pk_store_get_path (self->master));

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
               _("Error in %s while %s: the database did not give back a row it has just written."),
               display, _("merging into the master database"));
  return FALSE;
}

/* Files go through the reader's hostile-file checks; the digest here is
 * only to name a rejected file that could not even be read. */
static char *
pk_merge_digest_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, NULL);
  crypto_generichash_state state;
  guint8 buf[65536];
  guint8 hash[32];
  char hex[65];
  gssize n;
  goffset total = 0;

  if (input == NULL)
    return g_strdup ("");
  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buf, sizeof buf, NULL, NULL)) > 0)
    {
      crypto_generichash_update (&state, buf, n);
      total += n;
      if (total > PK_BATCH_MAX_FILE_BYTES)
        break;
    }
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static void
pk_merge_record_rejection (PkMerge      *self,
                           const char   *path,
                           const char   *digest,
                           const GError *reason)
{
  PkDbStmt *stmt = self->stmts[STMT_REJECT];
  g_autoptr(GError) error = NULL;
  g_autofree char *own_digest = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *display = g_filename_display_name (name);
  int code = reason->domain == PK_BATCH_ERROR ? reason->code : PK_BATCH_ERROR_FAILED;

  if (digest == NULL)
    digest = own_digest = pk_merge_digest_file (path);

  pk_db_bind_text (stmt, 1, digest);
  pk_db_bind_text (stmt, 2, display);
  pk_db_bind_text (stmt, 3, pk_batch_error_reason (code));
  pk_db_bind_text (stmt, 4, reason->message);
  pk_db_bind_int64 (stmt, 5, g_get_real_time ());
  /* Best effort: failing to note a rejection must not hide the
   * rejection itself, which the caller reports. */
  if (!pk_merge_step_done (stmt, &error))
    g_warning ("cannot record the rejected file %s: %s", display, error->message);
}

/* Binds the columns a stored row starts with, 1 (uuid) to 10
 * (sheet_line): the same whether its details are stored plain or kept
 * sealed. */
static void
pk_merge_bind_row (PkDbStmt         *stmt,
                   const PkBatchRow *row,
                   const char       *petition_id,
                   gint64            batch_id)
{
  pk_db_bind_text (stmt, 1, row->uuid);
  pk_db_bind_text (stmt, 2, petition_id);
  pk_db_bind_int64 (stmt, 3, batch_id);
  pk_db_bind_int64 (stmt, 4, row->signed_at);
  pk_db_bind_text (stmt, 5, row->source);
  pk_db_bind_text (stmt, 6, row->lang);
  pk_db_bind_text (stmt, 7, row->consent_hash);
  pk_db_bind_int64 (stmt, 8, row->opt_in);
  pk_db_bind_text (stmt, 9, row->sheet_serial);
  if (row->sheet_serial != NULL)
    pk_db_bind_int64 (stmt, 10, row->sheet_line);
  else
    pk_db_bind_null (stmt, 10);
}

/* Records @uuid (signed at @signed_at) as a member of its signer group,
 * keeping the least (signed_at, uuid) as the kept one. */
static gboolean
pk_merge_dedup (PkMerge      *self,
                const char   *petition_id,
                const guint8 *signer_key,
                const char   *rule,
                const char   *uuid,
                gint64        signed_at,
                gboolean     *is_duplicate,
                GError      **error)
{
  PkDbStmt *get = self->stmts[STMT_SIGNER_GET];
  PkDbStmt *stmt = self->stmts[STMT_SIGNER_INSERT];
  g_autofree char *kept_uuid = NULL;
  gint64 kept_signed_at = 0;
  gboolean found = FALSE;

  pk_db_bind_text (stmt, 1, petition_id);
  pk_db_bind_blob (stmt, 2, signer_key, PK_MERGE_SIGNER_KEY_BYTES);
  pk_db_bind_text (stmt, 3, uuid);
  pk_db_bind_int64 (stmt, 4, signed_at);
  if (!pk_merge_step_done (stmt, error))
    return FALSE;
  *is_duplicate = pk_db_changes (stmt) == 0;
  if (!*is_duplicate)
    return TRUE;

  pk_db_bind_text (get, 1, petition_id);
  pk_db_bind_blob (get, 2, signer_key, PK_MERGE_SIGNER_KEY_BYTES);
  if (!pk_merge_step_row (get, &found, error))
    return FALSE;
  /* The insert just found the key taken, in this transaction. */
  if (!found)
    return pk_merge_no_row (self, error);
  kept_uuid = g_strdup (pk_db_column_text (get, 0));
  kept_signed_at = pk_db_column_int64 (get, 1);
  pk_db_reset (get);

  if (signed_at < kept_signed_at || (signed_at == kept_signed_at && strcmp (uuid, kept_uuid) < 0))
    {
      /* The newcomer is earlier: it becomes the kept signature, the old
       * kept one and all its duplicates now point at it. */
      stmt = self->stmts[STMT_DUPLICATE_REPOINT];
      pk_db_bind_text (stmt, 1, uuid);
      pk_db_bind_text (stmt, 2, kept_uuid);
      if (!pk_merge_step_done (stmt, error))
        return FALSE;

      stmt = self->stmts[STMT_DUPLICATE_INSERT];
      pk_db_bind_text (stmt, 1, kept_uuid);
      pk_db_bind_text (stmt, 2, uuid);
      pk_db_bind_text (stmt, 3, rule);
      if (!pk_merge_step_done (stmt, error))
        return FALSE;

      if (self->counting_batch != 0)
        {
          stmt = self->stmts[STMT_SYNC_COUNT_DEMOTED];
          pk_db_bind_text (stmt, 1, kept_uuid);
          pk_db_bind_int64 (stmt, 2, self->counting_batch);
          if (!pk_merge_step_done (stmt, error))
            return FALSE;
        }

      stmt = self->stmts[STMT_SIGNER_UPDATE];
      pk_db_bind_text (stmt, 1, petition_id);
      pk_db_bind_blob (stmt, 2, signer_key, PK_MERGE_SIGNER_KEY_BYTES);
      pk_db_bind_text (stmt, 3, uuid);
      pk_db_bind_int64 (stmt, 4, signed_at);
      return pk_merge_step_done (stmt, error);
    }

  stmt = self->stmts[STMT_DUPLICATE_INSERT];
  pk_db_bind_text (stmt, 1, uuid);
  pk_db_bind_text (stmt, 2, kept_uuid);
  pk_db_bind_text (stmt, 3, rule);
  return pk_merge_step_done (stmt, error);
}

/* A row of a batch that mixes coordinator keys, sealed to a key other
 * than this coordinator's: kept as it came, with its sealed session key
 * and the coordinator key the batch names, until `merge --key` with
 * that coordinator's key opens it (pk_merge_open_sealed()). */
static gboolean
pk_merge_keep_sealed (PkMerge             *self,
                      PkBatchReader       *reader,
                      gint64               batch_id,
                      const PkBatchRow    *row,
                      GError             **error)
{
  PkDbStmt *stmt = self->stmts[STMT_KEEP_SEALED];
  GBytes *sealed = pk_batch_reader_get_sealed_key (reader, row->key_id);
  const guint8 *coordinator = pk_batch_reader_get_coordinator_key (reader, row->key_id);

  pk_merge_bind_row (stmt, row, pk_batch_reader_get_info (reader)->petition_id, batch_id);
  pk_db_bind_blob (stmt, 11, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  pk_db_bind_blob (stmt, 12, coordinator, coordinator != NULL ? PK_COORDINATOR_KEY_BYTES : 0);
  pk_db_bind_blob (stmt, 13, row->payload, row->payload_length);
  pk_db_bind_text (stmt, 14, row->sensitive_consent_hash);
  return pk_merge_step_done (stmt, error);
}

/* How many rows of the master hold paper sheet @serial's line @line:
 * more than one when the sheet was transcribed at two kiosks. */
static gboolean
pk_merge_count_paper_line (PkMerge     *self,
                           const char  *serial,
                           gint64       line,
                           gint64      *out_copies,
                           GError     **error)
{
  PkDbStmt *stmt = self->stmts[STMT_PAPER_LINE_COPIES];
  gboolean found = FALSE;

  pk_db_bind_text (stmt, 1, serial);
  pk_db_bind_int64 (stmt, 2, line);
  if (!pk_merge_step_row (stmt, &found, error))
    return FALSE;
  /* count(*) always gives its row. */
  *out_copies = found ? pk_db_column_int64 (stmt, 0) : 0;
  pk_db_reset (stmt);
  return TRUE;
}

/* Stores one row whose details are plain (decrypted, or never
 * encrypted) and files its signer among the duplicates. */
gboolean
_pk_merge_insert_row (PkMerge           *self,
                      const char        *petition_id,
                      gint64             batch_id,
                      const PkMergeRow  *ready,
                      PkMergeResult     *result,
                      GError           **error)
{
  const PkBatchRow *row = &ready->row;
  PkDbStmt *insert = self->stmts[STMT_INSERT_SIGNATURE];
  gboolean is_duplicate = FALSE;

  pk_merge_bind_row (insert, row, petition_id, batch_id);
  pk_db_bind_blob (insert, 11, g_bytes_get_data (ready->plain, NULL), g_bytes_get_size (ready->plain));
  pk_db_bind_text (insert, 12, row->sensitive_consent_hash);
  if (!pk_merge_step_done (insert, error))
    return FALSE;

  if (pk_db_changes (insert) == 0)
    {
      PkDbStmt *exists = self->stmts[STMT_UUID_EXISTS];
      gboolean found = FALSE;

      /* Ignored, but not for its uuid: the only other unique key is a
       * paper sheet's line within one batch, which a kiosk never
       * writes twice. (The same line from two batches, one sheet
       * transcribed at two kiosks, goes in: the report lists it.) */
      pk_db_bind_text (exists, 1, row->uuid);
      if (!pk_merge_step_row (exists, &found, error))
        return FALSE;
      pk_db_reset (exists);
      if (!found)
        {
          g_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_INVALID,
                       _("Line %u of paper sheet %s is in the batch twice"),
                       (guint) row->sheet_line, row->sheet_serial != NULL ? row->sheet_serial : "?");
          return FALSE;
        }
      result->present++;
      return TRUE;
    }

  result->added++;
  if (ready->has_signer
      && !pk_merge_dedup (self, petition_id, ready->signer_hash, pk_signer_rule_to_string (ready->rule),
                          row->uuid, row->signed_at, &is_duplicate, error))
    return FALSE;
  if (is_duplicate)
    result->duplicates++;
  if (row->sheet_serial != NULL)
    {
      gint64 copies = 0;

      if (!pk_merge_count_paper_line (self, row->sheet_serial, row->sheet_line, &copies, error))
        return FALSE;
      if (copies > 1)
        result->paper_lines_twice++;
    }
  return TRUE;
}

static gboolean
pk_merge_rows (PkMerge        *self,
               PkMergeRows    *rows,
               gint64          batch_id,
               PkMergeResult  *result,
               GError        **error)
{
  PkBatchReader *reader = _pk_merge_rows_get_reader (rows);
  const PkBatchInfo *info = pk_batch_reader_get_info (reader);
  g_autoptr(GError) local_error = NULL;
  const PkMergeRow *row;
  gint64 done = 0;

  while (_pk_merge_rows_next (rows, &row, &local_error))
    {
      if (row->plain == NULL)
        {
          if (!pk_merge_keep_sealed (self, reader, batch_id, &row->row, error))
            return FALSE;
          result->sealed++;
        }
      else if (!_pk_merge_insert_row (self, info->petition_id, batch_id, row, result, error))
        return FALSE;

      if (self->progress != NULL && ++done % PK_MERGE_PROGRESS_EVERY == 0)
        self->progress (done, info->n_rows, self->progress_data);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* A batch that is all for another coordinator is refused whole, as
   * before; only one that mixes keys is merged row by row. */
  if (_pk_merge_rows_any_foreign_only (rows))
    {
      g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY,
                           _("The batch was encrypted for a different coordinator key"));
      return FALSE;
    }
  if (self->progress != NULL)
    self->progress (info->n_rows, info->n_rows, self->progress_data);
  return TRUE;
}
/* Brings counts and sync_counts up to date with the batch's rows, in
 * place of the count triggers dropped for its transaction, and puts the
 * triggers back. */
static gboolean
pk_merge_count_batch (PkMerge  *self,
                      GError  **error)
{
  PkDbStmt *stmt = self->stmts[STMT_COUNT_BATCH];

  if (!pk_merge_keeps_counts (self))
    return TRUE;
  pk_db_bind_int64 (stmt, 1, self->counting_batch);
  if (!pk_merge_step_done (stmt, error))
    return FALSE;
  stmt = self->stmts[STMT_SYNC_COUNT_BATCH];
  pk_db_bind_int64 (stmt, 1, self->counting_batch);
  return pk_merge_step_done (stmt, error)
         && pk_store_add_count_triggers (self->master, error);
}

/* Takes the batch's sheet counts into the master (see the statements
 * above). A sheet another batch counted too is a conflict: both counts
 * are kept in merge_sheet_counts for the report, one is counted. */
static gboolean
pk_merge_sheet_counts (PkMerge        *self,
                       PkBatchReader  *reader,
                       PkMergeResult  *result,
                       GError        **error)
{
  const PkBatchInfo *info = pk_batch_reader_get_info (reader);
  g_autoptr(GError) local_error = NULL;
  PkBatchSheetCount count;

  while (pk_batch_reader_next_sheet_count (reader, &count, &local_error))
    {
      PkDbStmt *stmt = self->stmts[STMT_SHEET_COUNT_ADD];
      gboolean found = FALSE;

      pk_db_bind_text (stmt, 1, count.serial);
      pk_db_bind_text (stmt, 2, info->uuid);
      pk_db_bind_text (stmt, 3, info->petition_id);
      pk_db_bind_int64 (stmt, 4, count.count);
      pk_db_bind_int64 (stmt, 5, count.entered_at);
      if (!pk_merge_step_done (stmt, error))
        return FALSE;

      stmt = self->stmts[STMT_SHEET_COUNT_KEEP];
      pk_db_bind_text (stmt, 1, count.serial);
      if (!pk_merge_step_done (stmt, error))
        return FALSE;

      stmt = self->stmts[STMT_SHEET_COUNT_OTHERS];
      pk_db_bind_text (stmt, 1, count.serial);
      pk_db_bind_text (stmt, 2, info->uuid);
      if (!pk_merge_step_row (stmt, &found, error))
        return FALSE;
      if (found && pk_db_column_int64 (stmt, 0) > 0)
        result->sheet_conflicts++;
      pk_db_reset (stmt);
      result->sheet_counts++;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A file whose batch uuid the master has from another file: one of the
 * two is a forged or altered copy (a kiosk gives every file its own
 * uuid), so neither is trusted over the other. */
static void
pk_merge_conflicting_copy (const PkBatchInfo  *info,
                           const char         *merged_fingerprint,
                           GError            **error)
{
  g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);

  g_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_CONFLICT,
               _("Another file with this batch's uuid %s was merged before, signed with the key %s; "
                 "this one differs and is signed with the key %s. One of them is forged or altered: "
                 "nothing of this one was merged."),
               info->uuid, merged_fingerprint != NULL ? merged_fingerprint : "—", fingerprint);
}

/* Sets *@known when the master has this very file (same uuid, same
 * digest). A different file under a merged uuid is a conflicting copy:
 * FALSE with PK_BATCH_ERROR_CONFLICT. */
static gboolean
pk_merge_check_uuid (PkMerge            *self,
                     const PkBatchInfo  *info,
                     gboolean           *known,
                     GError            **error)
{
  PkDbStmt *stmt = self->stmts[STMT_BATCH_EXISTS];
  gboolean same;

  pk_db_bind_text (stmt, 1, info->uuid);
  if (!pk_merge_step_row (stmt, known, error))
    return FALSE;
  if (!*known)
    return TRUE;
  same = g_strcmp0 (pk_db_column_text (stmt, 0), info->file_digest) == 0;
  if (!same)
    pk_merge_conflicting_copy (info, pk_db_column_text (stmt, 1), error);
  pk_db_reset (stmt);
  return same;
}

static gboolean
pk_merge_batch (PkMerge        *self,
                PkMergeRows    *rows,
                PkMergeResult  *result,
                GError        **error)
{
  PkBatchReader *reader = _pk_merge_rows_get_reader (rows);
  const PkBatchInfo *info = pk_batch_reader_get_info (reader);
  PkDbStmt *stmt;
  g_autofree char *kiosk_key = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean known = FALSE;
  gboolean found = FALSE;
  gint64 batch_id;

  if (!pk_merge_check_uuid (self, info, &known, error))
    return FALSE;
  if (known)
    {
      result->outcome = PK_MERGE_ALREADY;
      return TRUE;
    }
  if (!pk_merge_trust_check (self->master, info, self->trust, error))
    return FALSE;
  /* Put back before the COMMIT below (pk_merge_count_batch()); a
   * ROLLBACK puts them back too. */
  if (pk_merge_keeps_counts (self) && !pk_store_drop_count_triggers (self->master, error))
    return FALSE;

  stmt = self->stmts[STMT_INSERT_BATCH];
  pk_db_bind_text (stmt, 1, info->uuid);
  pk_db_bind_text (stmt, 2, info->petition_id);
  pk_db_bind_text (stmt, 3, info->kiosk_id);
  pk_db_bind_text (stmt, 4, info->kiosk_name);
  pk_db_bind_text (stmt, 5, info->event);
  pk_db_bind_int64 (stmt, 6, info->opened_at);
  pk_db_bind_int64 (stmt, 7, info->closed_at);
  pk_db_bind_text (stmt, 8, info->file_digest);
  if (!pk_merge_step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    return pk_merge_no_row (self, error);
  batch_id = pk_db_column_int64 (stmt, 0);
  pk_db_reset (stmt);
  if (pk_merge_keeps_counts (self))
    self->counting_batch = batch_id;

  kiosk_key = pk_key_to_base64 (info->kiosk_key, sizeof info->kiosk_key);
  fingerprint = pk_key_fingerprint (info->kiosk_key);
  stmt = self->stmts[STMT_INSERT_IMPORT];
  pk_db_bind_int64 (stmt, 1, batch_id);
  pk_db_bind_text (stmt, 2, kiosk_key);
  pk_db_bind_text (stmt, 3, fingerprint);
  pk_db_bind_int64 (stmt, 4, info->petition_version);
  pk_db_bind_int64 (stmt, 5, info->n_rows);
  pk_db_bind_int64 (stmt, 6, g_get_real_time ());
  pk_db_bind_text (stmt, 7, self->merged_by);
  if (!pk_merge_step_done (stmt, error))
    return FALSE;

  result->outcome = PK_MERGE_ADDED;
  return pk_merge_rows (self, rows, batch_id, result, error)
         && pk_merge_sheet_counts (self, reader, result, error)
         && pk_merge_count_batch (self, error);
}

gboolean
pk_merge_file (PkMerge        *self,
               const char     *path,
               PkMergeResult  *result,
               GError        **error)
{
  g_autoptr(PkMergeRows) rows = NULL;
  PkBatchReader *reader = NULL;
  g_autoptr(GError) local_error = NULL;
  PkMergeResult local_result = { PK_MERGE_REJECTED, 0, 0, 0, 0, 0, 0, 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (result == NULL)
    result = &local_result;
  *result = local_result;

  rows = pk_merge_open_rows (self, path, &local_error);
  reader = rows != NULL ? _pk_merge_rows_get_reader (rows) : NULL;
  if (reader == NULL || !pk_batch_reader_check (reader, self->petition_id, self->trust, &local_error))
    {
      /* Only a verdict on the file rejects it: a reading that ran out of
       * memory, say, is retried by the same merge later, as a master
       * failure is. */
      if (local_error->domain != PK_BATCH_ERROR)
        {
          result->outcome = PK_MERGE_FAILED;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      pk_merge_record_rejection (self, path,
                                 reader != NULL ? pk_batch_reader_get_info (reader)->file_digest : NULL,
                                 local_error);
      if (reader != NULL && g_error_matches (local_error, PK_BATCH_ERROR, PK_BATCH_ERROR_UNTRUSTED_KIOSK))
        pk_merge_trust_note_refused (self->master, pk_batch_reader_get_info (reader));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* One write transaction per batch: it goes in whole or not at all.
   * PostgreSQL may give up on it for another's sake (a serialization
   * failure or a deadlock, "Transaction Isolation" in its manual); it
   * is then run again from the file's first row, a few times. */
  for (guint attempt = 1; ; attempt++)
    {
      ok = _pk_merge_begin (self, &local_error);
      if (ok)
        {
          ok = pk_merge_batch (self, rows, result, &local_error)
               && _pk_merge_commit (self, &local_error);
          if (!ok)
            pk_db_rollback (self->conn);
          _pk_merge_end (self);
        }
      self->counting_batch = 0;
      if (ok)
        break;
      *result = local_result;
      if (attempt == PK_MERGE_ATTEMPTS || !g_error_matches (local_error, PK_STORE_ERROR, PK_STORE_ERROR_RETRY))
        break;
      g_clear_error (&local_error);
      _pk_merge_rows_rewind (rows);
    }
  if (!ok)
    {
      /* Only the file's own faults are rejections; the same file merges
       * once the master can be written again. */
      result->outcome = local_error->domain == PK_BATCH_ERROR ? PK_MERGE_REJECTED : PK_MERGE_FAILED;
      if (result->outcome == PK_MERGE_REJECTED)
        pk_merge_record_rejection (self, path, pk_batch_reader_get_info (reader)->file_digest, local_error);
      if (g_error_matches (local_error, PK_BATCH_ERROR, PK_BATCH_ERROR_UNTRUSTED_KIOSK))
        pk_merge_trust_note_refused (self->master, pk_batch_reader_get_info (reader));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Merges @path into the transaction pk_merge_files() keeps open (and
 * opens it first): TRUE when it went in or was merged before. Anything
 * else is for pk_merge_file() to say, after the transaction is rolled
 * back: nothing is recorded here. */
static gboolean
pk_merge_file_in_group (PkMerge        *self,
                        const char     *path,
                        PkMergeResult  *result)
{
  g_autoptr(PkMergeRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  memset (result, 0, sizeof *result);
  rows = pk_merge_open_rows (self, path, &error);
  if (rows == NULL
      || !pk_batch_reader_check (_pk_merge_rows_get_reader (rows), self->petition_id, self->trust, &error))
    return FALSE;
  ok = (pk_db_in_transaction (self->conn) || _pk_merge_begin (self, &error))
       && pk_merge_batch (self, rows, result, &error);
  self->counting_batch = 0;
  return ok;
}

typedef struct {
  const char    *path;
  PkMergeResult  result;
} PkMergeHeld;

/* Merges again, each in its own transaction as pk_merge_file() does,
 * the files of a transaction that could not be committed whole, and
 * says each; FALSE when @done said to stop. */
static gboolean
pk_merge_files_one_by_one (PkMerge          *self,
                           GArray           *files,
                           PkMergeFileDone   done,
                           gpointer          user_data)
{
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_array_index (files, PkMergeHeld, i).path;
      g_autoptr(GError) error = NULL;
      PkMergeResult result;

      pk_merge_file (self, path, &result, &error);
      if (!done (path, &result, error, user_data))
        return FALSE;
    }
  return TRUE;
}

/* Commits the transaction @held went in, and says them; when the COMMIT
 * fails, they go in one by one. FALSE when @done said to stop. */
static gboolean
pk_merge_files_commit (PkMerge          *self,
                       GArray           *held,
                       PkMergeFileDone   done,
                       gpointer          user_data)
{
  gboolean go_on = TRUE;

  if (held->len == 0)
    return TRUE;
  if (!_pk_merge_commit (self, NULL))
    {
      pk_db_rollback (self->conn);
      go_on = pk_merge_files_one_by_one (self, held, done, user_data);
    }
  else
    for (guint i = 0; i < held->len; i++)
      {
        PkMergeHeld *file = &g_array_index (held, PkMergeHeld, i);

        /* Only a failure stops the merge, and these went in. */
        done (file->path, &file->result, NULL, user_data);
      }
  g_array_set_size (held, 0);
  return go_on;
}

/* A file that does not go in whole (rejected, or the master failing)
 * makes the transaction roll back: the files before it in the
 * transaction, and then that file, go in one by one with pk_merge_file(),
 * which says and records everything as for a file merged alone. Files
 * are rarely refused, so the files merged twice then cost less than a
 * SAVEPOINT per file, which copies every page a file changes that an
 * earlier one had changed. */
void
pk_merge_files (PkMerge            *self,
                const char * const *paths,
                guint               n_paths,
                gint64              group_rows,
                PkMergeFileDone     done,
                gpointer            user_data)
{
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (PkMergeHeld));
  gint64 held_rows = 0;
  gint64 began = 0;
  gboolean go_on = TRUE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (paths != NULL || n_paths == 0);
  g_return_if_fail (done != NULL);
  g_return_if_fail (group_rows > 0);

  for (guint i = 0; i < n_paths && go_on; i++)
    {
      PkMergeHeld file = { paths[i] };

      /* The next file is read and its rows made ready on a second core
       * while this one is written. */
      if (i + 1 < n_paths)
        pk_merge_read_ahead (self, paths[i + 1]);
      if (!pk_merge_keeps_counts (self))
        {
          /* On PostgreSQL, each batch's transaction holds the lock that
           * lets several coordinators merge at once: one per file. */
          g_autoptr(GError) error = NULL;

          pk_merge_file (self, paths[i], &file.result, &error);
          go_on = done (paths[i], &file.result, error, user_data);
          continue;
        }
      if (held->len == 0)
        began = g_get_monotonic_time ();
      if (pk_merge_file_in_group (self, paths[i], &file.result))
        {
          g_array_append_val (held, file);
          held_rows += file.result.added + file.result.present + file.result.sealed;
          if (held_rows >= group_rows || g_get_monotonic_time () - began >= PK_MERGE_GROUP_USEC)
            {
              go_on = pk_merge_files_commit (self, held, done, user_data);
              held_rows = 0;
            }
          continue;
        }
      pk_db_rollback (self->conn);
      g_array_append_val (held, file);
      go_on = pk_merge_files_one_by_one (self, held, done, user_data);
      g_array_set_size (held, 0);
      held_rows = 0;
    }
  /* Empty when @done said to stop. */
  pk_merge_files_commit (self, held, done, user_data);
}
