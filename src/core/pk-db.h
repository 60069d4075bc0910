/* pk-db.h: one SQL interface over the two databases a master can live
 * in, SQLite and PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coordinator's reading paths (counts, settings, the report, the
 * export, copy-master) are written once against this layer, so that a
 * master in a SQLite file and one on a PostgreSQL server answer with
 * the same bytes. SQL is written in the dialect both accept (see
 * docs/architecture.md, "The database layer"): parameters are ?1 … ?N,
 * aggregates are CAST (… AS BIGINT), text is compared byte by byte
 * (PostgreSQL columns are COLLATE "C"). pk_db_get_kind() tells where a
 * caller needs one of the few fragments that differ.
 *
 * Failures set a PK_STORE_ERROR with a message that says what was
 * being done and why it failed, never a password.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _PkDb PkDb;
typedef struct _PkDbStmt PkDbStmt;

typedef enum {
  PK_DB_SQLITE,
  PK_DB_POSTGRESQL,
} PkDbKind;

/* What a result column holds in the current row. */
typedef enum {
  PK_DB_TYPE_NULL,
  PK_DB_TYPE_INT64,
  PK_DB_TYPE_TEXT,
  PK_DB_TYPE_BLOB,
} PkDbType;

typedef enum {
  PK_DB_STEP_ERROR,
  PK_DB_STEP_ROW,
  PK_DB_STEP_DONE,
} PkDbStep;

/* A read transaction sees one snapshot; a write transaction takes the
 * write lock at once on SQLite (BEGIN IMMEDIATE) and is a READ
 * COMMITTED transaction on PostgreSQL, whatever the database's default
 * (pk-db.c says why). */
typedef enum {
  PK_DB_READ,
  PK_DB_WRITE,
} PkDbTransaction;

/* Wraps @db, which stays owned by the caller and must outlive the
 * result. @display names the file in messages. */
PkDb        *pk_db_new_sqlite       (sqlite3          *db,
                                     const char       *display);
/* Connects to the PostgreSQL server at @location, a libpq address
 * that passes the rules of pk-pg-location.h (checked here, before and
 * after connecting), through the PostgreSQL module (pk-pg-module.h),
 * which it opens first: when that cannot be, the error says why. */
PkDb        *pk_db_open_postgresql  (const char       *location,
                                     GError          **error);
void         pk_db_free             (PkDb             *db);
PkDbKind     pk_db_get_kind         (PkDb             *db);

/* Runs @sql, which may hold several statements and no parameters. */
gboolean     pk_db_exec             (PkDb             *db,
                                     const char       *sql,
                                     const char       *what,
                                     GError          **error);

/* One statement with parameters ?1 … ?N. @what says in plain words what
 * it is for ("counting"), for the messages of its failures. */
PkDbStmt    *pk_db_prepare          (PkDb             *db,
                                     const char       *sql,
                                     const char       *what,
                                     GError          **error);
void         pk_db_stmt_free        (PkDbStmt         *stmt);

/* Values are copied; @index counts from 1. */
void         pk_db_bind_int64       (PkDbStmt         *stmt,
                                     int               index,
                                     gint64            value);
void         pk_db_bind_text        (PkDbStmt         *stmt,
                                     int               index,
                                     const char       *value);
void         pk_db_bind_blob        (PkDbStmt         *stmt,
                                     int               index,
                                     const void       *data,
                                     gsize             length);
void         pk_db_bind_null        (PkDbStmt         *stmt,
                                     int               index);

/* The next row, or DONE; ERROR sets @error. After DONE or ERROR the
 * statement may be bound and stepped again. */
PkDbStep     pk_db_step             (PkDbStmt         *stmt,
                                     GError          **error);
/* Abandons the rows not yet read and keeps the bindings. */
void         pk_db_reset            (PkDbStmt         *stmt);
/* Rows the last INSERT, UPDATE or DELETE of @stmt changed. */
gint64       pk_db_changes          (PkDbStmt         *stmt);

int          pk_db_column_count     (PkDbStmt         *stmt);
const char  *pk_db_column_name      (PkDbStmt         *stmt,
                                     int               column);
PkDbType     pk_db_column_type      (PkDbStmt         *stmt,
                                     int               column);
gint64       pk_db_column_int64     (PkDbStmt         *stmt,
                                     int               column);
/* NULL for a NULL value; valid until the next step. */
const char  *pk_db_column_text      (PkDbStmt         *stmt,
                                     int               column);
const guint8 *pk_db_column_blob     (PkDbStmt         *stmt,
                                     int               column,
                                     gsize            *out_length);

/* Transactions do not nest here: PkStore nests its own. */
gboolean     pk_db_begin            (PkDb             *db,
                                     PkDbTransaction   kind,
                                     GError          **error);
gboolean     pk_db_commit           (PkDb             *db,
                                     GError          **error);
/* Never fails visibly: it is used on error paths. */
void         pk_db_rollback         (PkDb             *db);
/* Whether a transaction is open (begun here or by pk_db_exec()). */
gboolean     pk_db_in_transaction   (PkDb             *db);

/* PostgreSQL only: a write transaction that the processes sharing the
 * server run one at a time, by the session-level advisory lock @key (a
 * bigint literal), at the database's default isolation level. The
 * lock is taken before BEGIN, so the transaction starts once every
 * earlier one has committed and its snapshot comes after theirs: a
 * database whose administrator made REPEATABLE READ or SERIALIZABLE
 * the default does not give a transaction that waited here a view from
 * before the wait (and a serialization failure for every row the one
 * before it wrote). On success the caller ends the transaction (commit
 * or rollback) and then calls pk_db_unlock() once; on failure nothing
 * is held. */
gboolean     pk_db_begin_locked     (PkDb             *db,
                                     const char       *key,
                                     const char       *what,
                                     GError          **error);
/* Lets go of @key. Never fails visibly: a lost session's locks went
 * with it. */
void         pk_db_unlock           (PkDb             *db,
                                     const char       *key);

/* Runs @sql, a query of one integer with no parameters. */
gboolean     pk_db_query_int64      (PkDb             *db,
                                     const char       *sql,
                                     const char       *what,
                                     gint64           *out,
                                     GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkDbStmt, pk_db_stmt_free)

G_END_DECLS
