/* pk-db-private.h: what each backend of pk-db.h provides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-db.c dispatches every call through this table; pk-db-sqlite.c and
 * pk-db-pg.c fill it. A statement of either backend starts with
 * PkDbStmt, so that pk-db.c can find its table.
 */
#pragma once

#include "pk-db.h"

G_BEGIN_DECLS

typedef struct {
  void         (*free)          (PkDb *db);
  gboolean     (*exec)          (PkDb *db, const char *sql, const char *what, GError **error);
  PkDbStmt    *(*prepare)       (PkDb *db, const char *sql, const char *what, GError **error);
  void         (*stmt_free)     (PkDbStmt *stmt);
  void         (*bind_int64)    (PkDbStmt *stmt, int index, gint64 value);
  void         (*bind_text)     (PkDbStmt *stmt, int index, const char *value);
  void         (*bind_blob)     (PkDbStmt *stmt, int index, const void *data, gsize length);
  void         (*bind_null)     (PkDbStmt *stmt, int index);
  PkDbStep     (*step)          (PkDbStmt *stmt, GError **error);
  void         (*reset)         (PkDbStmt *stmt);
  gint64       (*changes)       (PkDbStmt *stmt);
  int          (*column_count)  (PkDbStmt *stmt);
  const char  *(*column_name)   (PkDbStmt *stmt, int column);
  PkDbType     (*column_type)   (PkDbStmt *stmt, int column);
  gint64       (*column_int64)  (PkDbStmt *stmt, int column);
  const char  *(*column_text)   (PkDbStmt *stmt, int column);
  const guint8 *(*column_blob)  (PkDbStmt *stmt, int column, gsize *out_length);
  gboolean     (*in_transaction) (PkDb *db);
  /* PostgreSQL only: lets go of a session-level advisory lock. */
  void         (*unlock)        (PkDb *db, const char *key);
} PkDbClass;

struct _PkDb {
  const PkDbClass *klass;
  PkDbKind kind;
};

struct _PkDbStmt {
  PkDb *db;
  char *what;
};

/* The value libpq uses for @keyword on @db, a PostgreSQL connection
 * (PQconninfo: the defaults pk-db-pg.c gives and the address's own,
 * merged); NULL when unset. Free with g_free(). */
char *_pk_db_pg_get_option (PkDb       *db,
                            const char *keyword);

G_END_DECLS
