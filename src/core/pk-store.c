/* pk-store.c: the kiosk's durable SQLite store: the object, its
 * transactions, settings, batch rotation and counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Guarantees (docs/data-model.md has the schema):
 * - a signature that pk_store_add_signature() reported as saved is on
 *   disk: WAL with synchronous=FULL syncs the log at every commit;
 * - a database this version cannot handle (newer, damaged, not ours) is
 *   checked through a read-only connection first and never written
 *   (pk-store-open.c);
 * - counts come from the `counts` table kept by triggers, so opening and
 *   counting cost the same with ten signatures or a million.
 *
 * pk-store-private.h lists the other files of the store.
 */
#define G_LOG_DOMAIN "pk-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "pk-crypto.h"
#include "pk-store-private.h"

/* Set while wiped rows may still be on disk (see pk_store_finish_wipe). */
#define PK_SETTING_WIPE_PENDING "wipe-pending"

G_DEFINE_FINAL_TYPE (PkStore, pk_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pk-store-error-quark, pk_store_error)

static void
session_entry_free (gpointer data)
{
  PkStoreSession *entry = data;

  pk_session_key_free (entry->key);
  g_free (entry);
}

static void
pk_store_finalize (GObject *object)
{
  PkStore *self = (PkStore *) object;

  /* Closing the last connection checkpoints the WAL into the database
   * and removes it. */
  g_clear_pointer (&self->conn, pk_db_free);
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

/* @db (may be NULL) only lets pk_sqlite_classify() look behind a
 * generic I/O error; @message is SQLite's, for a denied access and the
 * unclassified rest. */
gboolean
pk_store_set_error_from_code (const char  *path,
                              sqlite3     *db,
                              int          rc,
                              const char  *message,
                              const char  *what,
                              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  switch (pk_sqlite_classify (db, rc))
    {
    case PK_SQLITE_FAILURE_FULL:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FULL,
                   _("The disk is full, so nothing was saved while %s. Free some space or use another disk."),
                   what);
      break;

    case PK_SQLITE_FAILURE_READ_ONLY:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot write to %s, so nothing was saved while %s. Check that the disk is writable and not full."),
                   display, what);
      break;

    case PK_SQLITE_FAILURE_CORRUPT:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
                   _("%s is damaged or is not a Petition Kiosk database. It was left as it is."),
                   display);
      break;

    case PK_SQLITE_FAILURE_BUSY:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("%s is in use by another program, so nothing was saved while %s."),
                   display, what);
      break;

    case PK_SQLITE_FAILURE_DENIED:
      /* Also a read: the disk is not at fault. */
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("Access to %s was denied while %s: %s"),
                   display, what, message != NULL ? message : sqlite3_errstr (rc));
      break;

    case PK_SQLITE_FAILURE_OTHER:
    default:
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("Error in %s while %s: %s"), display, what, message != NULL ? message : sqlite3_errstr (rc));
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

  return pk_store_set_error_from_code (self->path, self->db, rc, sqlite3_errmsg (self->db), what, error);
}

sqlite3 *
pk_store_get_db (PkStore *self)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  return self->db;
}

PkDb *
pk_store_get_conn (PkStore *self)
{
  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  if (self->conn == NULL)
    self->conn = pk_db_new_sqlite (self->db, self->path);
  return self->conn;
}

/* The kiosk's own work (signatures, paper, batches, wiping) is written
 * for SQLite and reaches the database through pk_store_exec() or
 * pk_store_prepare(), or asks here first when it uses the connection
 * itself (pk_store_get_db()); so, for now, does the coordinator
 * window before it merges. On a master on PostgreSQL they stop here,
 * with a message, instead of reaching a connection that is not there. */
gboolean
pk_store_require_sqlite (PkStore     *self,
                         const char  *what,
                         GError     **error)
{
  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  if (self->db != NULL)
    return TRUE;
  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
               _("%s is a master on a PostgreSQL server, where %s is not available yet: this version "
                 "counts, reports, exports, copies (copy-master) and syncs such a master. See docs/scale.md."),
               self->path, what);
  return FALSE;
}

gboolean
pk_store_exec (PkStore     *self,
               const char  *sql,
               const char  *what,
               GError     **error)
{
  int rc;

  if (!pk_store_require_sqlite (self, what, error))
    return FALSE;
  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return pk_store_set_error_from_sqlite (self, rc, what, error);

  return TRUE;
}

sqlite3_stmt *
pk_store_prepare (PkStore     *self,
                  const char  *sql,
                  const char  *what,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!pk_store_require_sqlite (self, what, error))
    return NULL;
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
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
      if (!pk_db_begin (pk_store_get_conn (self), PK_DB_WRITE, error))
        return FALSE;
    }
  else
    {
      savepoint = g_strdup_printf ("SAVEPOINT pk_%u", self->txn_depth);
      if (!pk_db_exec (pk_store_get_conn (self), savepoint, _("starting to save"), error))
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

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  if (self->txn_depth > 1)
    release = g_strdup_printf ("RELEASE pk_%u", self->txn_depth - 1);

  if (!pk_db_exec (pk_store_get_conn (self), release != NULL ? release : "COMMIT", _("saving"), error))
    {
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
      if (pk_db_in_transaction (pk_store_get_conn (self)))
        pk_db_exec (self->conn, sql, "", NULL);
      self->txn_depth--;
      return;
    }

  pk_db_rollback (pk_store_get_conn (self));
  self->txn_depth = 0;

  for (guint i = 0; i < self->txn_sessions->len; i++)
    ((PkStoreSession *) self->txn_sessions->pdata[i])->key_id = 0;
  for (guint i = 0; i < self->txn_seen->len; i++)
    g_hash_table_remove (self->seen, self->txn_seen->pdata[i]);
  g_ptr_array_set_size (self->txn_sessions, 0);
  g_ptr_array_set_size (self->txn_seen, 0);
}

gboolean
pk_store_still_in_transaction (PkStore     *self,
                               const char  *what,
                               GError     **error)
{
  if (!sqlite3_get_autocommit (self->db))
    return TRUE;
  return pk_store_set_error_from_sqlite (self, sqlite3_errcode (self->db), what, error);
}

gboolean
pk_store_read_setting_unlocked (PkStore     *self,
                                const char  *key,
                                const char  *what,
                                char       **out_value,
                                GError     **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDbStep step;

  *out_value = NULL;
  stmt = pk_db_prepare (pk_store_get_conn (self), "SELECT value FROM settings WHERE key = ?1", what, error);
  if (stmt == NULL)
    return FALSE;

  pk_db_bind_text (stmt, 1, key);
  step = pk_db_step (stmt, error);
  if (step == PK_DB_STEP_ROW)
    *out_value = g_strdup (pk_db_column_text (stmt, 0));
  return step != PK_DB_STEP_ERROR;
}

char *
pk_store_get_setting_unlocked (PkStore    *self,
                               const char *key)
{
  char *value;

  pk_store_read_setting_unlocked (self, key, "", &value, NULL);
  return value;
}

gboolean
pk_store_set_setting_unlocked (PkStore     *self,
                               const char  *key,
                               const char  *value,
                               GError     **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDb *conn;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  conn = pk_store_get_conn (self);
  if (value != NULL)
    stmt = pk_db_prepare (conn,
                          "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                          "  ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          _("saving a setting"), error);
  else
    stmt = pk_db_prepare (conn, "DELETE FROM settings WHERE key = ?1", _("saving a setting"), error);
  if (stmt == NULL)
    return FALSE;

  pk_db_bind_text (stmt, 1, key);
  if (value != NULL)
    pk_db_bind_text (stmt, 2, value);

  return pk_db_step (stmt, error) == PK_DB_STEP_DONE;
}

/* The open local batch: its id (or 0 when none) and petition. */
gboolean
pk_store_get_open_batch (PkStore  *self,
                         gint64   *out_id,
                         char    **out_petition_id,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = pk_store_prepare (self,
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

  if (!pk_store_still_in_transaction (self, _("opening a new batch"), error))
    return -1;

  close_stmt = pk_store_prepare (self,
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

  if (!pk_store_read_setting_unlocked (self, PK_SETTING_KIOSK_NAME, _("opening a new batch"), &kiosk_name, error)
      || !pk_store_read_setting_unlocked (self, PK_SETTING_EVENT, _("opening a new batch"), &event, error))
    return -1;

  insert = pk_store_prepare (self,
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

  return pk_store_get_setting_unlocked (self, key);
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

  if (!pk_store_get_open_batch (self, &id, NULL, &error))
    {
      g_warning ("%s", error->message);
      return 0;
    }

  return id;
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
  stmt = pk_store_prepare (self,
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
  if (!pk_store_get_open_batch (self, &batch_id, NULL, error))
    return FALSE;
  return batch_id == 0 || batch_has_other_key (self, batch_id, coordinator_key, out_other, error);
}

/* Inside the transaction: the batch this signature goes into. A batch
 * holds one petition and one coordinator key, so a signature for
 * another petition (the admin switched petitions) or sealed to another
 * key (the coordinator changed it) closes the open batch and opens a
 * new one: a batch file can then always be opened whole by one key. */
gint64
pk_store_batch_for_petition (PkStore       *self,
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

  if (!pk_store_get_open_batch (self, &batch_id, &batch_petition, error))
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

  stmt = pk_store_prepare (self, "UPDATE batches SET petition_id = ?1 WHERE id = ?2",
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

guint64
pk_store_count (PkStore    *self,
                const char *petition_id)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  PkDb *conn;

  g_return_val_if_fail (PK_IS_STORE (self), 0);

  conn = pk_store_get_conn (self);
  if (petition_id != NULL)
    stmt = pk_db_prepare (conn, "SELECT n FROM counts WHERE petition_id = ?1", _("counting"), &error);
  else
    stmt = pk_db_prepare (conn, "SELECT CAST (coalesce (sum (n), 0) AS BIGINT) FROM counts", _("counting"), &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return 0;
    }

  if (petition_id != NULL)
    pk_db_bind_text (stmt, 1, petition_id);

  if (pk_db_step (stmt, &error) != PK_DB_STEP_ROW)
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      return 0;
    }

  return (guint64) MAX (pk_db_column_int64 (stmt, 0), 0);
}

GHashTable *
pk_store_count_by_petition (PkStore  *self,
                            GError  **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autoptr(GHashTable) counts = NULL;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = pk_db_prepare (pk_store_get_conn (self),
                        "SELECT petition_id, n FROM counts WHERE n > 0 ORDER BY petition_id",
                        _("counting"), error);
  if (stmt == NULL)
    return NULL;

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      guint64 *n = g_new (guint64, 1);

      *n = (guint64) pk_db_column_int64 (stmt, 1);
      g_hash_table_insert (counts, g_strdup (pk_db_column_text (stmt, 0)), n);
    }
  if (step == PK_DB_STEP_ERROR)
    return NULL;

  return g_steal_pointer (&counts);
}

/* Copies every WAL frame back into the database and truncates the WAL,
 * without waiting for readers: TRUE only when both happened. A reader
 * holding a snapshot from before the wipe needs the old pages, so the
 * database file keeps them until it is done. */
static gboolean
truncate_wal (sqlite3 *db)
{
  int n_log = -1, n_done = -1;
  int rc;

  sqlite3_busy_timeout (db, 0);
  rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &n_log, &n_done);
  sqlite3_busy_timeout (db, PK_STORE_BUSY_TIMEOUT_MS);
  return rc == SQLITE_OK && n_log == n_done;
}

gint64
pk_store_wipe_exported (PkStore  *self,
                        GError  **error)
{
  int rc;
  gint64 n;

  g_return_val_if_fail (PK_IS_STORE (self), -1);

  if (!pk_store_require_sqlite (self, _("wiping the exported signatures"), error) ||
      !pk_store_begin (self, error))
    return -1;
  /* The store runs with secure_delete on, so the deleted rows' bytes
   * are overwritten in the database pages, not just unlinked. The flag
   * goes in with the deletion: a crash before the checkpoint below
   * leaves it set, and the wipe is finished later. */
  rc = sqlite3_exec (self->db, "DELETE FROM signatures WHERE exported = 1", NULL, NULL, NULL);
  n = sqlite3_changes64 (self->db);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (self, rc, _("wiping the exported signatures"), error);
      pk_store_rollback (self);
      return -1;
    }
  if (n > 0 && !pk_store_set_setting_unlocked (self, PK_SETTING_WIPE_PENDING, "1", error))
    {
      pk_store_rollback (self);
      return -1;
    }
  if (!pk_store_commit (self, error))
    return -1;

  pk_store_finish_wipe (self);
  return n;
}

gboolean
pk_store_wipe_pending (PkStore *self)
{
  g_autofree char *pending = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  pending = pk_store_get_setting (self, PK_SETTING_WIPE_PENDING);
  return pending != NULL;
}

gboolean
pk_store_finish_wipe (PkStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  if (!pk_store_wipe_pending (self))
    return TRUE;
  /* The zeroed pages go from the WAL into the database file over the
   * old ones, and the WAL, which also holds older copies, is emptied. */
  if (!truncate_wal (self->db))
    return FALSE;
  /* Clearing the flag writes only the settings page to the new WAL. */
  if (!pk_store_set_setting (self, PK_SETTING_WIPE_PENDING, NULL, &error))
    g_warning ("the wipe is finished, but cannot be noted: %s", error->message);
  return TRUE;
}

gint64
pk_store_count_exported (PkStore *self)
{
  gint64 n = -1;

  g_return_val_if_fail (PK_IS_STORE (self), -1);

  if (self->db == NULL ||
      pk_sqlite_query_int64 (self->db, "SELECT count(*) FROM signatures WHERE exported = 1", &n) != SQLITE_OK)
    return -1;
  return n;
}
