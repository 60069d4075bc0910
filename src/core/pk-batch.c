/* pk-batch.c: closing a batch into a signed file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch file is a SQLite database used as an application file format
 * (docs/batch-format.md), written whole to a temporary file, signed,
 * synced and renamed into place (pk-atomic.c) under the store's write
 * lock: its rows are marked exported in the same transaction.
 */
#define G_LOG_DOMAIN "pk-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pk-atomic.h"
#include "pk-batch-private.h"
#include "pk-store-private.h"

/* A batch is pending when it holds rows not yet written, or, for the
 * open batch, when sheets of its petition were counted (or a count
 * corrected) since the last batch file: a campaign that only counts
 * paper still gets its counts to the coordinator. */
#define PK_BATCH_PENDING_WHERE \
  "origin = 'local' AND file_digest IS NULL " \
  "AND (EXISTS (SELECT 1 FROM signatures s WHERE s.batch_id = batches.id AND s.exported = 0) " \
  "OR (closed_at IS NULL AND EXISTS (SELECT 1 FROM sheet_counts c " \
  "WHERE (batches.petition_id IS NULL OR c.petition_id = batches.petition_id) AND c.exported = 0)))"

static gboolean
pk_batch_exec (sqlite3     *db,
               const char  *sql,
               GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  return TRUE;
}

/* Copies the rows @from_sql selects in @store_db, its ?1 bound to
 * @key_text or, when that is NULL, to @key_id, into @db through
 * @to_sql, column by column, keeping each value's type. */
static gboolean
pk_batch_copy_table (sqlite3     *store_db,
                     const char  *from_sql,
                     gint64       key_id,
                     const char  *key_text,
                     sqlite3     *db,
                     const char  *to_sql,
                     gint64      *n_rows,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) from = NULL;
  g_autoptr(sqlite3_stmt) to = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store_db, from_sql, -1, &from, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, store_db,
                                _("Cannot write the batch file"));
  if (sqlite3_prepare_v2 (db, to_sql, -1, &to, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  if (key_text != NULL)
    sqlite3_bind_text (from, 1, key_text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (from, 1, key_id);

  *n_rows = 0;
  while ((rc = sqlite3_step (from)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (from); c++)
        sqlite3_bind_value (to, c + 1, sqlite3_column_value (from, c));
      if (sqlite3_step (to) != SQLITE_DONE)
        return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db,
                                    _("Cannot write the batch file"));
      sqlite3_reset (to);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, store_db,
                                _("Cannot read the signatures"));
  return TRUE;
}

/* The header row of the file in @db, with a placeholder signature. */
static gboolean
pk_batch_insert_header (sqlite3            *db,
                        const PkBatchInfo  *info,
                        const PkKioskKey   *key,
                        GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT INTO batch (" PK_BATCH_HEADER_COLUMNS ", signature) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, x'')",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  sqlite3_bind_int (stmt, 1, PK_BATCH_FORMAT);
  sqlite3_bind_text (stmt, 2, info->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, info->petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, info->petition_version);
  sqlite3_bind_text (stmt, 5, info->kiosk_id, -1, SQLITE_STATIC);
  if (info->kiosk_name != NULL)
    sqlite3_bind_text (stmt, 6, info->kiosk_name, -1, SQLITE_STATIC);
  if (info->event != NULL)
    sqlite3_bind_text (stmt, 7, info->event, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, info->opened_at);
  sqlite3_bind_int64 (stmt, 9, info->closed_at);
  sqlite3_bind_blob (stmt, 10, key->public_key, sizeof key->public_key, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, info->n_sealed_keys);
  sqlite3_bind_int64 (stmt, 12, info->n_rows);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  return TRUE;
}

/* Signs the digest of exactly what is in the file in @db with @key. */
static gboolean
pk_batch_sign (sqlite3            *db,
               const PkKioskKey   *key,
               GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint8 digest[PK_BATCH_DIGEST_BYTES];
  guint8 signature[PK_BATCH_SIGNATURE_BYTES];

  if (!pk_batch_compute_digest (db, PK_BATCH_FORMAT, digest, error))
    return FALSE;
  crypto_sign_detached (signature, NULL, digest, sizeof digest, key->secret_key);
  if (sqlite3_prepare_v2 (db, "UPDATE batch SET signature = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  sqlite3_bind_blob (stmt, 1, signature, sizeof signature, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
  return TRUE;
}

/* Fills the open, empty file in @db with batch @batch_id of @store_db
 * and signs it, filling in @info's counts; one transaction. */
static gboolean
pk_batch_fill_file (sqlite3       *db,
                    sqlite3       *store_db,
                    gint64         batch_id,
                    PkBatchInfo   *info,
                    PkKioskKey    *key,
                    GError       **error)
{
  g_autofree char *pragmas = NULL;

  /* No journal (the temporary file is thrown away on any failure, so
   * there is nothing to roll back to) and temporary data in memory: no
   * side file ever appears on the stick. Our own fsync and rename make
   * the file durable. */
  pragmas = g_strdup_printf ("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
                             "PRAGMA page_size=4096; PRAGMA application_id=%d; PRAGMA user_version=%d;",
                             PK_BATCH_APPLICATION_ID, PK_BATCH_FORMAT);
  if (!pk_batch_exec (db, pragmas, error) || !pk_batch_exec (db, "BEGIN", error))
    return FALSE;
  for (guint i = 0; i < PK_BATCH_N_SCHEMA_STATEMENTS; i++)
    if (!pk_batch_exec (db, pk_batch_schema_statement (PK_BATCH_FORMAT, i), error))
      return FALSE;

  /* Sealed keys: those the batch's rows use, with the coordinator key
   * each is sealed to (store step 9; NULL for older ones). Then the
   * rows, and the sheet counts of the batch's petition not yet in a
   * file. */
  return pk_batch_copy_table (store_db,
                              "SELECT id, sealed, coordinator_key FROM sealed_keys WHERE id IN "
                              "(SELECT key_id FROM signatures WHERE batch_id = ?1) ORDER BY id",
                              batch_id, NULL, db,
                              "INSERT INTO sealed_keys (id, sealed, coordinator_key) VALUES (?1, ?2, ?3)",
                              &info->n_sealed_keys, error)
         && pk_batch_copy_table (store_db,
                                 "SELECT " PK_BATCH_ROW_COLUMNS " FROM signatures WHERE batch_id = ?1 ORDER BY uuid",
                                 batch_id, NULL, db,
                                 "INSERT INTO signatures (" PK_BATCH_ROW_COLUMNS ") "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                 &info->n_rows, error)
         && pk_batch_copy_table (store_db,
                                 "SELECT " PK_BATCH_SHEET_COUNT_COLUMNS " FROM sheet_counts "
                                 "WHERE petition_id = ?1 AND exported = 0 ORDER BY serial",
                                 0, info->petition_id, db,
                                 "INSERT INTO sheet_counts (" PK_BATCH_SHEET_COUNT_COLUMNS ") VALUES (?1, ?2, ?3)",
                                 &info->n_sheet_counts, error)
         && pk_batch_insert_header (db, info, key, error)
         && pk_batch_sign (db, key, error)
         && pk_batch_exec (db, "COMMIT", error);
}

/* Writes batch @batch_id of @store into the empty file at @path, signs
 * it, and fills in @info's counts. */
static gboolean
pk_batch_write_file (sqlite3       *store_db,
                     gint64         batch_id,
                     PkBatchInfo   *info,
                     PkKioskKey    *key,
                     const char    *path,
                     GError       **error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      sqlite3_close (db);
      return FALSE;
    }

  ok = pk_batch_fill_file (db, store_db, batch_id, info, key, error);
  /* Its only failure is SQLITE_BUSY, for statements not yet finalized
   * (https://sqlite.org/c3ref/close.html), and every one is by now;
   * without a journal it has nothing left to write either: a write that
   * failed, failed its statement above. */
  sqlite3_close (db);
  return ok;
}

gint64
pk_batch_count_pending (PkStore *store)
{
  g_return_val_if_fail (PK_IS_STORE (store), -1);
  return pk_batch_count (pk_store_get_db (store), "SELECT count(*) FROM batches WHERE " PK_BATCH_PENDING_WHERE);
}

static char *
pk_batch_digest_path (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return pk_batch_hex_digest ((const guint8 *) contents, length);
}

static gboolean
pk_batch_adopt_petition (PkStore     *store,
                         gint64       batch_id,
                         PkPetition  *petition,
                         char       **out_petition_id,
                         GError     **error)
{
  sqlite3 *db = pk_store_get_db (store);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT petition_id FROM sheet_counts WHERE exported = 0 "
                           "ORDER BY petition_id IS ?1 DESC, petition_id LIMIT 1", -1, &select, NULL);
  if (rc == SQLITE_OK)
    {
      if (petition != NULL)
        sqlite3_bind_text (select, 1, pk_petition_get_id (petition), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (select);
    }
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (store, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                           _("reading the batch"), error);
  *out_petition_id = pk_batch_dup_text (select, 0);

  rc = sqlite3_prepare_v2 (db, "UPDATE batches SET petition_id = ?1 WHERE id = ?2", -1, &update, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (update, 1, *out_petition_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (update, 2, batch_id);
      rc = sqlite3_step (update);
    }
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (store, rc, _("reading the batch"), error);
  return TRUE;
}

/* Records batch @batch_id as written to a file with @info's digest and
 * marks its rows and its petition's unwritten sheet counts exported. */
static gboolean
pk_batch_mark_written (PkStore      *store,
                       gint64        batch_id,
                       PkBatchInfo  *info,
                       GError      **error)
{
  sqlite3 *db = pk_store_get_db (store);
  g_autoptr(sqlite3_stmt) batch = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(sqlite3_stmt) counts = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "UPDATE batches SET file_digest = ?2, closed_at = ?3 WHERE id = ?1",
                           -1, &batch, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (batch, 1, batch_id);
      sqlite3_bind_text (batch, 2, info->file_digest, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (batch, 3, info->closed_at);
      rc = sqlite3_step (batch);
    }
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v2 (db, "UPDATE signatures SET exported = 1 WHERE batch_id = ?1", -1, &rows, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (rows, 1, batch_id);
      rc = sqlite3_step (rows);
    }
  /* The write lock has been held since the counts were copied, so
   * exactly those are marked. */
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v2 (db, "UPDATE sheet_counts SET exported = 1 WHERE petition_id = ?1 AND exported = 0",
                             -1, &counts, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (counts, 1, info->petition_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (counts);
    }
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (store, rc, _("marking the batch written"), error);
  return TRUE;
}

/* Gives batch @batch_id a new uuid for the file about to be written.
 * Each file gets its own: a file left behind by a crash or a failed
 * commit and the next file of the same rows are two batches to the
 * coordinator, never one uuid with two contents. */
static gboolean
pk_batch_new_file_uuid (PkStore      *store,
                        gint64        batch_id,
                        PkBatchInfo  *info,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_free (info->uuid);
  info->uuid = g_uuid_string_random ();
  rc = sqlite3_prepare_v2 (pk_store_get_db (store), "UPDATE batches SET uuid = ?2 WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, batch_id);
      sqlite3_bind_text (stmt, 2, info->uuid, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (store, rc, _("reading the batch"), error);
  return TRUE;
}

/* Removes the batch file at @path after the kiosk failed to record it
 * (@error says why), so that a volunteer told nothing was saved finds
 * no file. If even that fails, @error says the file is there and that
 * its rows go into the next file too. */
static void
pk_batch_take_back_file (const char  *path,
                         GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *cause = g_strdup (error != NULL && *error != NULL ? (*error)->message : "");
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_unlink (path) == 0)
    {
      /* The removal is made durable like the rename was. */
      fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd >= 0)
        {
          fsync (fd);
          close (fd);
        }
      return;
    }
  if (error != NULL)
    g_clear_error (error);
  g_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED,
               _("The batch file %s was written, but the kiosk could not note it (%s). "
                 "Its signatures will be in the next batch file too; merging both loses nothing."),
               display, cause);
}

/* Inside the transaction: the batch to write next, the oldest one
 * closed by a petition switch and not yet written, else the open one
 * (@out_open). Fills in @info from it. */
static gboolean
pk_batch_choose (PkStore      *store,
                 PkBatchInfo  *info,
                 gint64       *out_id,
                 gboolean     *out_open,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (pk_store_get_db (store),
                           "SELECT id, uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at "
                           "FROM batches WHERE " PK_BATCH_PENDING_WHERE
                           " ORDER BY closed_at IS NULL, id LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return pk_batch_fail (error, PK_BATCH_ERROR_FAILED,
                          _("There is nothing to close: no signature and no sheet count since the last batch"));
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (store, rc, _("reading the batch"), error);

  *out_id = sqlite3_column_int64 (stmt, 0);
  info->uuid = pk_batch_dup_text (stmt, 1);
  info->petition_id = pk_batch_dup_text (stmt, 2);
  info->kiosk_id = pk_batch_dup_text (stmt, 3);
  info->kiosk_name = pk_batch_dup_text (stmt, 4);
  info->event = pk_batch_dup_text (stmt, 5);
  /* A batch opened before the admin named the kiosk or the event
   * (the first one, at first run) takes the names set since; a read
   * that failed stops the close rather than leave a name out. */
  if ((info->kiosk_name == NULL
       && !pk_store_read_setting_unlocked (store, PK_SETTING_KIOSK_NAME, _("reading the batch"),
                                           &info->kiosk_name, error))
      || (info->event == NULL
          && !pk_store_read_setting_unlocked (store, PK_SETTING_EVENT, _("reading the batch"), &info->event, error)))
    return FALSE;
  info->opened_at = sqlite3_column_int64 (stmt, 6);
  *out_open = sqlite3_column_type (stmt, 7) == SQLITE_NULL;
  info->closed_at = *out_open ? g_get_real_time () : sqlite3_column_int64 (stmt, 7);
  return TRUE;
}

PkBatchInfo *
pk_batch_close (PkStore     *store,
                PkPetition  *petition,
                const char  *path,
                GError     **error)
{
  g_autoptr(PkKioskKey) key = NULL;
  g_autoptr(PkBatchInfo) info = g_new0 (PkBatchInfo, 1);
  g_autoptr(PkAtomicFile) file = NULL;
  sqlite3 *db;
  gint64 batch_id = 0;
  gboolean open_batch = FALSE;

  g_return_val_if_fail (PK_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  key = pk_kiosk_key_ensure (store, error);
  if (key == NULL)
    return NULL;
  db = pk_store_get_db (store);

  /* The write lock is held from choosing the batch to marking its rows:
   * a signature saved meanwhile waits and lands in the next batch. */
  if (!pk_store_begin (store, error))
    return NULL;

  if (!pk_batch_choose (store, info, &batch_id, &open_batch, error))
    {
      pk_store_rollback (store);
      return NULL;
    }

  /* An open batch that no signature has given a petition yet, on a
   * kiosk that only counted paper: it takes the petition of the counts
   * (the given petition's first), as a first signature would. */
  if (info->petition_id == NULL
      && !pk_batch_adopt_petition (store, batch_id, petition, &info->petition_id, error))
    {
      pk_store_rollback (store);
      return NULL;
    }

  if (petition != NULL && g_strcmp0 (pk_petition_get_id (petition), info->petition_id) == 0)
    info->petition_version = pk_petition_get_version (petition);
  memcpy (info->kiosk_key, key->public_key, sizeof info->kiosk_key);

  if (open_batch && pk_store_rotate_batch_unlocked (store, info->petition_id, info->closed_at, error) < 0)
    {
      pk_store_rollback (store);
      return NULL;
    }

  if (!pk_batch_new_file_uuid (store, batch_id, info, error))
    {
      pk_store_rollback (store);
      return NULL;
    }

  file = pk_atomic_file_new (path, 0600, error);
  if (file == NULL
      || !pk_batch_write_file (db, batch_id, info, key, pk_atomic_file_get_temp_path (file), error)
      || (info->file_digest = pk_batch_digest_path (pk_atomic_file_get_temp_path (file), error)) == NULL)
    {
      pk_store_rollback (store);
      return NULL;
    }
  if (!pk_atomic_file_commit (file, FALSE, error))
    {
      pk_store_rollback (store);
      /* Renamed, but the folder could not be synced. */
      if (pk_atomic_file_is_in_place (file))
        {
          pk_batch_take_back_file (path, error);
          return NULL;
        }
      if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_autofree char *message = g_strdup ((*error)->message);

          g_clear_error (error);
          pk_batch_fail (error, PK_BATCH_ERROR_EXISTS, "%s", message);
        }
      return NULL;
    }

  /* The file is on disk. If marking it written fails now (a full disk),
   * the file is taken back, so that "nothing was saved" stays true; a
   * crash before the commit leaves it, which costs nothing either: the
   * next file of these rows has another uuid, and merging takes each
   * row once. */
  if (!pk_batch_mark_written (store, batch_id, info, error) || !pk_store_commit (store, error))
    {
      pk_store_rollback (store);
      pk_batch_take_back_file (path, error);
      return NULL;
    }

  return g_steal_pointer (&info);
}
