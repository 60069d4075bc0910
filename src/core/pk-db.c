/* pk-db.c: the backend-neutral half of pk-db.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-db"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-db-private.h"
#include "pk-store.h"

void
pk_db_free (PkDb *db)
{
  if (db != NULL)
    db->klass->free (db);
}

PkDbKind
pk_db_get_kind (PkDb *db)
{
  return db->kind;
}

gboolean
pk_db_exec (PkDb        *db,
            const char  *sql,
            const char  *what,
            GError     **error)
{
  return db->klass->exec (db, sql, what, error);
}

PkDbStmt *
pk_db_prepare (PkDb        *db,
               const char  *sql,
               const char  *what,
               GError     **error)
{
  PkDbStmt *stmt = db->klass->prepare (db, sql, what, error);

  if (stmt != NULL)
    {
      stmt->db = db;
      stmt->what = g_strdup (what);
    }
  return stmt;
}

void
pk_db_stmt_free (PkDbStmt *stmt)
{
  if (stmt == NULL)
    return;
  g_free (stmt->what);
  stmt->db->klass->stmt_free (stmt);
}

void
pk_db_bind_int64 (PkDbStmt *stmt,
                  int       index,
                  gint64    value)
{
  stmt->db->klass->bind_int64 (stmt, index, value);
}

void
pk_db_bind_text (PkDbStmt   *stmt,
                 int         index,
                 const char *value)
{
  if (value == NULL)
    stmt->db->klass->bind_null (stmt, index);
  else
    stmt->db->klass->bind_text (stmt, index, value);
}

void
pk_db_bind_blob (PkDbStmt   *stmt,
                 int         index,
                 const void *data,
                 gsize       length)
{
  if (data == NULL)
    stmt->db->klass->bind_null (stmt, index);
  else
    stmt->db->klass->bind_blob (stmt, index, data, length);
}

void
pk_db_bind_null (PkDbStmt *stmt,
                 int       index)
{
  stmt->db->klass->bind_null (stmt, index);
}

PkDbStep
pk_db_step (PkDbStmt  *stmt,
            GError   **error)
{
  return stmt->db->klass->step (stmt, error);
}

void
pk_db_reset (PkDbStmt *stmt)
{
  stmt->db->klass->reset (stmt);
}

gint64
pk_db_changes (PkDbStmt *stmt)
{
  return stmt->db->klass->changes (stmt);
}

int
pk_db_column_count (PkDbStmt *stmt)
{
  return stmt->db->klass->column_count (stmt);
}

const char *
pk_db_column_name (PkDbStmt *stmt,
                   int       column)
{
  return stmt->db->klass->column_name (stmt, column);
}

PkDbType
pk_db_column_type (PkDbStmt *stmt,
                   int       column)
{
  return stmt->db->klass->column_type (stmt, column);
}

gint64
pk_db_column_int64 (PkDbStmt *stmt,
                    int       column)
{
  return stmt->db->klass->column_int64 (stmt, column);
}

const char *
pk_db_column_text (PkDbStmt *stmt,
                   int       column)
{
  return stmt->db->klass->column_text (stmt, column);
}

const guint8 *
pk_db_column_blob (PkDbStmt *stmt,
                   int       column,
                   gsize    *out_length)
{
  return stmt->db->klass->column_blob (stmt, column, out_length);
}

gboolean
pk_db_in_transaction (PkDb *db)
{
  return db->klass->in_transaction (db);
}

gboolean
pk_db_begin (PkDb             *db,
             PkDbTransaction   kind,
             GError          **error)
{
  const char *sql;

  if (db->kind == PK_DB_SQLITE)
    sql = kind == PK_DB_WRITE ? "BEGIN IMMEDIATE" : "BEGIN";
  else
    /* One snapshot for every statement of a read, as a SQLite read
     * transaction gives: the numbers of a report agree with each other
     * while coordinators merge. A write says READ COMMITTED whatever
     * the database's default: the sync's claims (row locks, SKIP
     * LOCKED, ON CONFLICT on the claims' key) must see the latest
     * committed claims, not give up on them as a REPEATABLE READ or
     * SERIALIZABLE transaction does, and an outcome that failed to be
     * recorded would send its signature twice. The merge's batches,
     * which run one at a time, take the database's own level
     * (pk_db_begin_locked()). */
    sql = kind == PK_DB_WRITE ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                              : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  return pk_db_exec (db, sql, kind == PK_DB_WRITE ? _("starting to save") : _("starting to read"), error);
}

gboolean
pk_db_begin_locked (PkDb        *db,
                    const char  *key,
                    const char  *what,
                    GError     **error)
{
  g_autofree char *lock = NULL;

  g_return_val_if_fail (db->kind == PK_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  lock = g_strdup_printf ("SELECT pg_advisory_lock (%s)", key);
  if (!pk_db_exec (db, lock, what, error))
    return FALSE;
  /* At the database's default isolation level, which the lock makes
   * safe at any level. */
  if (pk_db_exec (db, "BEGIN", _("starting to save"), error))
    return TRUE;
  pk_db_unlock (db, key);
  return FALSE;
}

void
pk_db_unlock (PkDb       *db,
              const char *key)
{
  g_return_if_fail (db->kind == PK_DB_POSTGRESQL);
  g_return_if_fail (key != NULL);

  db->klass->unlock (db, key);
}

gboolean
pk_db_commit (PkDb    *db,
              GError **error)
{
  if (pk_db_exec (db, "COMMIT", _("saving"), error))
    return TRUE;
  pk_db_rollback (db);
  return FALSE;
}

void
pk_db_rollback (PkDb *db)
{
  if (pk_db_in_transaction (db))
    pk_db_exec (db, "ROLLBACK", "", NULL);
}

gboolean
pk_db_query_int64 (PkDb        *db,
                   const char  *sql,
                   const char  *what,
                   gint64      *out,
                   GError     **error)
{
  g_autoptr(PkDbStmt) stmt = pk_db_prepare (db, sql, what, error);
  PkDbStep step;

  if (stmt == NULL)
    return FALSE;
  step = pk_db_step (stmt, error);
  if (step == PK_DB_STEP_ERROR)
    return FALSE;
  if (step == PK_DB_STEP_DONE || pk_db_column_type (stmt, 0) != PK_DB_TYPE_INT64)
    {
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
                   _("Error while %s: the database gave no number."), what);
      return FALSE;
    }
  *out = pk_db_column_int64 (stmt, 0);
  pk_db_reset (stmt);
  return TRUE;
}
