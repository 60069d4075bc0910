/* pk-db-sqlite.c: pk-db.h over a SQLite connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin wrapper: the SQL of pk-db.h is SQLite's own, and failures are
 * judged as everywhere else in the store (pk_store_set_error_from_code()).
 */
#define G_LOG_DOMAIN "pk-db"

#include "config.h"

#include "pk-db-private.h"
#include "pk-store-private.h"

typedef struct {
  PkDb parent;
  sqlite3 *db;
  char *display;
} PkDbSqlite;

typedef struct {
  PkDbStmt parent;
  sqlite3_stmt *stmt;
  gint64 changes;
  /* The first failure of a bind since the last step: SQLite copies
   * text and blobs, which can run out of memory, and the parameter then
   * stays NULL; stepping anyway would report a NOT NULL or UNIQUE
   * constraint instead of the real cause, or store a NULL. */
  int bind_rc;
} PkDbSqliteStmt;

static gboolean
set_error (PkDbSqlite  *self,
           int          rc,
           const char  *what,
           GError     **error)
{
  return pk_store_set_error_from_code (self->display, self->db, rc, sqlite3_errmsg (self->db), what, error);
}

static void
sqlite_free (PkDb *db)
{
  PkDbSqlite *self = (PkDbSqlite *) db;

  g_free (self->display);
  g_free (self);
}

static gboolean
sqlite_exec (PkDb        *db,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  PkDbSqlite *self = (PkDbSqlite *) db;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || set_error (self, rc, what, error);
}

static PkDbStmt *
sqlite_prepare (PkDb        *db,
                const char  *sql,
                const char  *what,
                GError     **error)
{
  PkDbSqlite *self = (PkDbSqlite *) db;
  PkDbSqliteStmt *stmt;
  sqlite3_stmt *raw = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &raw, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (self, rc, what, error);
      return NULL;
    }
  stmt = g_new0 (PkDbSqliteStmt, 1);
  stmt->stmt = raw;
  return (PkDbStmt *) stmt;
}

static void
sqlite_stmt_free (PkDbStmt *stmt)
{
  PkDbSqliteStmt *self = (PkDbSqliteStmt *) stmt;

  sqlite3_finalize (self->stmt);
  g_free (self);
}

#define RAW(stmt) (((PkDbSqliteStmt *) (stmt))->stmt)

static void
note_bind (PkDbStmt *stmt,
           int       rc)
{
  PkDbSqliteStmt *self = (PkDbSqliteStmt *) stmt;

  if (self->bind_rc == SQLITE_OK)
    self->bind_rc = rc;
}

static void
sqlite_bind_int64 (PkDbStmt *stmt,
                   int       index,
                   gint64    value)
{
  note_bind (stmt, sqlite3_bind_int64 (RAW (stmt), index, value));
}

static void
sqlite_bind_text (PkDbStmt   *stmt,
                  int         index,
                  const char *value)
{
  note_bind (stmt, sqlite3_bind_text (RAW (stmt), index, value, -1, SQLITE_TRANSIENT));
}

static void
sqlite_bind_blob (PkDbStmt   *stmt,
                  int         index,
                  const void *data,
                  gsize       length)
{
  note_bind (stmt, sqlite3_bind_blob64 (RAW (stmt), index, data, length, SQLITE_TRANSIENT));
}

static void
sqlite_bind_null (PkDbStmt *stmt,
                  int       index)
{
  note_bind (stmt, sqlite3_bind_null (RAW (stmt), index));
}

static PkDbStep
sqlite_step (PkDbStmt  *stmt,
             GError   **error)
{
  PkDbSqliteStmt *self = (PkDbSqliteStmt *) stmt;
  PkDbSqlite *db = (PkDbSqlite *) stmt->db;
  int rc = self->bind_rc;

  /* A failed bind is reported once, in SQLite's words for its code (a
   * later bind that worked has reset the connection's message); the
   * caller binds again before the next step. */
  if (rc != SQLITE_OK)
    {
      self->bind_rc = SQLITE_OK;
      pk_store_set_error_from_code (db->display, db->db, rc, sqlite3_errstr (rc), stmt->what, error);
      return PK_DB_STEP_ERROR;
    }
  rc = sqlite3_step (self->stmt);
  if (rc == SQLITE_ROW)
    return PK_DB_STEP_ROW;
  self->changes = sqlite3_changes64 (db->db);
  sqlite3_reset (self->stmt);
  if (rc == SQLITE_DONE)
    return PK_DB_STEP_DONE;
  set_error (db, rc, stmt->what, error);
  return PK_DB_STEP_ERROR;
}

static void
sqlite_reset (PkDbStmt *stmt)
{
  sqlite3_reset (RAW (stmt));
}

static gint64
sqlite_changes (PkDbStmt *stmt)
{
  return ((PkDbSqliteStmt *) stmt)->changes;
}

static int
sqlite_column_count (PkDbStmt *stmt)
{
  return sqlite3_column_count (RAW (stmt));
}

static const char *
sqlite_column_name (PkDbStmt *stmt,
                    int       column)
{
  return sqlite3_column_name (RAW (stmt), column);
}

static PkDbType
sqlite_column_type (PkDbStmt *stmt,
                    int       column)
{
  switch (sqlite3_column_type (RAW (stmt), column))
    {
    case SQLITE_INTEGER:
      return PK_DB_TYPE_INT64;
    case SQLITE_NULL:
      return PK_DB_TYPE_NULL;
    case SQLITE_BLOB:
      return PK_DB_TYPE_BLOB;
    case SQLITE_TEXT:
    case SQLITE_FLOAT:
    default:
      return PK_DB_TYPE_TEXT;
    }
}

static gint64
sqlite_column_int64 (PkDbStmt *stmt,
                     int       column)
{
  return sqlite3_column_int64 (RAW (stmt), column);
}

static const char *
sqlite_column_text (PkDbStmt *stmt,
                    int       column)
{
  return (const char *) sqlite3_column_text (RAW (stmt), column);
}

static const guint8 *
sqlite_column_blob (PkDbStmt *stmt,
                    int       column,
                    gsize    *out_length)
{
  const guint8 *data = sqlite3_column_blob (RAW (stmt), column);

  *out_length = (gsize) sqlite3_column_bytes (RAW (stmt), column);
  return data;
}

static gboolean
sqlite_in_transaction (PkDb *db)
{
  return !sqlite3_get_autocommit (((PkDbSqlite *) db)->db);
}

static const PkDbClass pk_db_sqlite_class = {
  .free = sqlite_free,
  .exec = sqlite_exec,
  .prepare = sqlite_prepare,
  .stmt_free = sqlite_stmt_free,
  .bind_int64 = sqlite_bind_int64,
  .bind_text = sqlite_bind_text,
  .bind_blob = sqlite_bind_blob,
  .bind_null = sqlite_bind_null,
  .step = sqlite_step,
  .reset = sqlite_reset,
  .changes = sqlite_changes,
  .column_count = sqlite_column_count,
  .column_name = sqlite_column_name,
  .column_type = sqlite_column_type,
  .column_int64 = sqlite_column_int64,
  .column_text = sqlite_column_text,
  .column_blob = sqlite_column_blob,
  .in_transaction = sqlite_in_transaction,
};

PkDb *
pk_db_new_sqlite (sqlite3    *db,
                  const char *display)
{
  PkDbSqlite *self = g_new0 (PkDbSqlite, 1);

  self->parent.klass = &pk_db_sqlite_class;
  self->parent.kind = PK_DB_SQLITE;
  self->db = db;
  self->display = g_strdup (display);
  return (PkDb *) self;
}
