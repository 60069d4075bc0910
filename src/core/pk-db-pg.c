/* pk-db-pg.c: pk-db.h over a PostgreSQL connection (libpq)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every statement is prepared on the server (PQprepare) and run with
 * its parameters bound in binary form (PQexecPrepared's protocol, sent
 * with PQsendQueryPrepared): an int8 as eight bytes in network order,
 * a bytea as its raw bytes, text as it is. Nothing a user or a batch
 * file wrote is ever pasted into SQL, and blobs arrive byte for byte.
 * Results come back in binary too, one row at a time (single-row
 * mode), so that an export of a million rows never holds them all in
 * memory. Column types are checked (PQftype): pk-db.h's SQL casts every
 * aggregate to BIGINT, so anything else is a programming error.
 *
 * References: libpq "Command Execution Functions" (PQprepare,
 * PQdescribePrepared, PQexecPrepared), "Asynchronous Command
 * Processing", "Retrieving Query Results Row-by-Row", and the binary
 * formats of int8 and bytea (the types' send/receive functions).
 *
 * Built into the PostgreSQL module, not the core (pk-pg-module.h): the
 * core reaches it through pk_pg_module_get ()'s table.
 */
#define G_LOG_DOMAIN "pk-db"

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "pk-db-pg-private.h"
#include "pk-pg-module.h"
#include "pk-store.h"

GQuark pk_db_pg_store_error;

/* Seconds to wait for a server to answer, unless the address says. */
#define PK_DB_PG_CONNECT_TIMEOUT "10"

/* Type OIDs, fixed by PostgreSQL's catalog (pg_type.dat). */
#define PK_PG_BOOL    16
#define PK_PG_BYTEA   17
#define PK_PG_CHAR    18
#define PK_PG_NAME    19
#define PK_PG_INT8    20
#define PK_PG_INT2    21
#define PK_PG_INT4    23
#define PK_PG_TEXT    25
#define PK_PG_UNKNOWN 705
#define PK_PG_VARCHAR 1043

typedef struct {
  PkDb parent;
  PGconn *conn;
  char *display;
  guint n_statements;
} PkDbPg;

typedef struct {
  PkDbStmt parent;
  char *name;
  PGresult *description;  /* PQdescribePrepared: parameter and column types */
  int n_params;
  char **values;
  int *lengths;
  int *formats;
  PGresult *row;          /* the current row, in single-row mode */
  gboolean running;       /* sent, and results not all read yet */
  gint64 changes;
} PkDbPgStmt;

/* Sets @error for a failure of @res (may be NULL) on @self's
 * connection, in words that say what happened and what to do. */
static gboolean
set_error (PkDbPg          *self,
           const PGresult  *res,
           const char      *what,
           GError         **error)
{
  const char *sqlstate = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = g_strchomp (g_strdup (primary != NULL ? primary : PQerrorMessage (self->conn)));

  if (PQstatus (self->conn) == CONNECTION_BAD)
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("The connection to the database server %s was lost while %s, so that was not "
                   "finished and nothing of it was saved (%s). Check that the server is running "
                   "and try again."),
                 self->display, what, message);
  else if (g_strcmp0 (sqlstate, "23505") == 0)
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_DUPLICATE,
                 _("Error while %s: a row that must be unique is there already (%s)."), what, message);
  else if (g_strcmp0 (sqlstate, "40001") == 0 || g_strcmp0 (sqlstate, "40P01") == 0)
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_RETRY,
                 _("Another coordinator changed the same data at the same time while %s, so nothing "
                   "of it was saved. Please try again."), what);
  else if (g_strcmp0 (sqlstate, "53100") == 0)
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FULL,
                 _("The database server's disk is full, so nothing was saved while %s. Ask its "
                   "administrator to free some space."), what);
  else if (sqlstate != NULL && g_str_has_prefix (sqlstate, "57P"))
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("The database server %s is shutting down or restarting, so %s was not finished "
                   "and nothing of it was saved. Try again once it is back."),
                 self->display, what);
  else if (g_strcmp0 (sqlstate, "42501") == 0 || g_strcmp0 (sqlstate, "25006") == 0)
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_READ_ONLY,
                 _("The database role may not do this while %s (%s). See docs/security.md for the "
                   "roles a coordinator and a report viewer need."), what, message);
  else
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("Error while %s: %s"), what, message);
  return FALSE;
}

/* Reads and drops what is left of the running statement's results, so
 * that the connection can take the next one. */
static void
drain (PkDbPg *self)
{
  PGresult *res;

  while ((res = PQgetResult (self->conn)) != NULL)
    PQclear (res);
}

/* pk_db_unlock(). Not through pg_exec(), which would connect again
 * (for up to connect_timeout) to a session that never held the lock:
 * a lost session's locks went with it. */
static void
pg_unlock (PkDb       *db,
           const char *key)
{
  PkDbPg *self = (PkDbPg *) db;
  g_autofree char *unlock = NULL;

  if (PQstatus (self->conn) == CONNECTION_BAD)
    return;
  unlock = g_strdup_printf ("SELECT pg_advisory_unlock (%s)", key);
  PQclear (PQexec (self->conn, unlock));
}

static void
pg_free (PkDb *db)
{
  PkDbPg *self = (PkDbPg *) db;

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->display);
  g_free (self);
}

/* A connection libpq found broken (the server restarted, the network
 * went away) is made again, with the same parameters, before the next
 * statement: a window kept open through an outage works again without
 * a restart. What was on the old one is gone with it: its transaction
 * (the server rolled it back, and the statement that met the break
 * reported it, so its caller's error path ended it) and its prepared
 * statements (their names are never used again; running one says it
 * does not exist). PQreset waits at most connect_timeout. */
static gboolean
reconnect_if_lost (PkDbPg      *self,
                   const char  *what,
                   GError     **error)
{
  if (PQstatus (self->conn) != CONNECTION_BAD)
    return TRUE;
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  return set_error (self, NULL, what, error);
}

static gboolean
pg_exec (PkDb        *db,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  PkDbPg *self = (PkDbPg *) db;
  PGresult *res;
  ExecStatusType status;
  gboolean ok;

  if (!reconnect_if_lost (self, what, error))
    return FALSE;
  res = PQexec (self->conn, sql);
  status = PQresultStatus (res);
  ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  if (!ok)
    set_error (self, res, what, error);
  PQclear (res);
  return ok;
}

/* @sql with ?N written $N, outside quoted strings and identifiers:
 * libpq numbers parameters the PostgreSQL way. */
static char *
rewrite_parameters (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql));
  char quote = '\0';

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != '\0')
        {
          if (*p == quote)
            quote = '\0';
        }
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '?' && g_ascii_isdigit (p[1]))
        {
          g_string_append_c (out, '$');
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static PkDbStmt *
pg_prepare (PkDb        *db,
            const char  *sql,
            const char  *what,
            GError     **error)
{
  PkDbPg *self = (PkDbPg *) db;
  g_autofree char *rewritten = rewrite_parameters (sql);
  g_autofree char *name = g_strdup_printf ("pk_%u", ++self->n_statements);
  PGresult *res;
  PkDbPgStmt *stmt;

  if (!reconnect_if_lost (self, what, error))
    return NULL;
  /* The parameter types are left to the server, which infers them from
   * the columns they meet; the description says which it chose, and
   * binding converts to exactly that. */
  res = PQprepare (self->conn, name, rewritten, 0, NULL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error (self, res, what, error);
      PQclear (res);
      return NULL;
    }
  PQclear (res);

  res = PQdescribePrepared (self->conn, name);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error (self, res, what, error);
      PQclear (res);
      return NULL;
    }

  stmt = g_new0 (PkDbPgStmt, 1);
  stmt->name = g_steal_pointer (&name);
  stmt->description = res;
  stmt->n_params = PQnparams (res);
  stmt->values = g_new0 (char *, MAX (stmt->n_params, 1));
  stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
  return (PkDbStmt *) stmt;
}

static void
pg_stmt_free (PkDbStmt *stmt)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;
  PkDbPg *db = (PkDbPg *) stmt->db;

  if (self->running)
    drain (db);
  /* A statement of an aborted transaction cannot be deallocated before
   * the rollback; it then lives on with the session, unused. */
  if (PQstatus (db->conn) == CONNECTION_OK && PQtransactionStatus (db->conn) != PQTRANS_INERROR)
    {
      g_autofree char *sql = g_strdup_printf ("DEALLOCATE %s", self->name);

      PQclear (PQexec (db->conn, sql));
    }
  for (int i = 0; i < self->n_params; i++)
    g_free (self->values[i]);
  g_free (self->values);
  g_free (self->lengths);
  g_free (self->formats);
  g_clear_pointer (&self->row, PQclear);
  PQclear (self->description);
  g_free (self->name);
  g_free (self);
}

/* Replaces parameter @index's value with @data (owned), @length bytes,
 * in @format (0 text, 1 binary). */
static void
set_param (PkDbStmt *stmt,
           int       index,
           char     *data,
           int       length,
           int       format)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;

  g_return_if_fail (index >= 1 && index <= self->n_params);
  g_free (self->values[index - 1]);
  self->values[index - 1] = data;
  self->lengths[index - 1] = length;
  self->formats[index - 1] = format;
}

static Oid
param_type (PkDbStmt *stmt,
            int       index)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;

  g_return_val_if_fail (index >= 1 && index <= self->n_params, 0);
  return PQparamtype (self->description, index - 1);
}

static void
pg_bind_int64 (PkDbStmt *stmt,
               int       index,
               gint64    value)
{
  switch (param_type (stmt, index))
    {
    case PK_PG_INT8:
      {
        guint64 be = GUINT64_TO_BE ((guint64) value);

        set_param (stmt, index, g_memdup2 (&be, sizeof be), sizeof be, 1);
        break;
      }
    case PK_PG_INT4:
      {
        guint32 be = GUINT32_TO_BE ((guint32) (gint32) value);

        set_param (stmt, index, g_memdup2 (&be, sizeof be), sizeof be, 1);
        break;
      }
    default:
      /* In its text form, which the server reads as any numeric type. */
      set_param (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
      break;
    }
}

static void
pg_bind_text (PkDbStmt   *stmt,
              int         index,
              const char *value)
{
  set_param (stmt, index, g_strdup (value), 0, 0);
}

static void
pg_bind_blob (PkDbStmt   *stmt,
              int         index,
              const void *data,
              gsize       length)
{
  g_return_if_fail (param_type (stmt, index) == PK_PG_BYTEA);
  g_return_if_fail (length <= G_MAXINT);
  /* g_memdup2 of no bytes is NULL, which libpq would take for NULL. */
  set_param (stmt, index, length > 0 ? g_memdup2 (data, length) : g_strdup (""), (int) length, 1);
}

static void
pg_bind_null (PkDbStmt *stmt,
              int       index)
{
  set_param (stmt, index, NULL, 0, 0);
}

static PkDbStep
finish (PkDbPgStmt  *self,
        PGresult    *res,
        GError     **error)
{
  PkDbPg *db = (PkDbPg *) self->parent.db;
  ExecStatusType status = PQresultStatus (res);
  PkDbStep step = PK_DB_STEP_DONE;

  if (status == PGRES_COMMAND_OK)
    self->changes = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  else if (status == PGRES_TUPLES_OK)
    self->changes = 0;
  else
    {
      set_error (db, res, self->parent.what, error);
      step = PK_DB_STEP_ERROR;
    }
  PQclear (res);
  drain (db);
  self->running = FALSE;
  return step;
}

static PkDbStep
pg_step (PkDbStmt  *stmt,
         GError   **error)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;
  PkDbPg *db = (PkDbPg *) stmt->db;
  PGresult *res;

  g_clear_pointer (&self->row, PQclear);
  if (!self->running)
    {
      if (!PQsendQueryPrepared (db->conn, self->name, self->n_params, (const char * const *) self->values,
                                self->lengths, self->formats, 1))
        {
          set_error (db, NULL, stmt->what, error);
          return PK_DB_STEP_ERROR;
        }
      self->running = TRUE;
      PQsetSingleRowMode (db->conn);
    }

  res = PQgetResult (db->conn);
  if (res == NULL)
    {
      self->running = FALSE;
      if (PQstatus (db->conn) == CONNECTION_BAD)
        {
          set_error (db, NULL, stmt->what, error);
          return PK_DB_STEP_ERROR;
        }
      return PK_DB_STEP_DONE;
    }
  if (PQresultStatus (res) == PGRES_SINGLE_TUPLE)
    {
      self->row = res;
      return PK_DB_STEP_ROW;
    }
  return finish (self, res, error);
}

static void
pg_reset (PkDbStmt *stmt)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;

  g_clear_pointer (&self->row, PQclear);
  if (self->running)
    drain ((PkDbPg *) stmt->db);
  self->running = FALSE;
}

static gint64
pg_changes (PkDbStmt *stmt)
{
  return ((PkDbPgStmt *) stmt)->changes;
}

static int
pg_column_count (PkDbStmt *stmt)
{
  return PQnfields (((PkDbPgStmt *) stmt)->description);
}

static const char *
pg_column_name (PkDbStmt *stmt,
                int       column)
{
  return PQfname (((PkDbPgStmt *) stmt)->description, column);
}

static PkDbType
pg_column_type (PkDbStmt *stmt,
                int       column)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;
  Oid type;

  g_return_val_if_fail (self->row != NULL, PK_DB_TYPE_NULL);
  if (PQgetisnull (self->row, 0, column))
    return PK_DB_TYPE_NULL;
  type = PQftype (self->row, column);
  switch (type)
    {
    case PK_PG_INT8:
    case PK_PG_INT4:
    case PK_PG_INT2:
    case PK_PG_BOOL:
      return PK_DB_TYPE_INT64;
    case PK_PG_BYTEA:
      return PK_DB_TYPE_BLOB;
    case PK_PG_TEXT:
    case PK_PG_VARCHAR:
    case PK_PG_NAME:
    case PK_PG_CHAR:
    case PK_PG_UNKNOWN:
      return PK_DB_TYPE_TEXT;
    default:
      g_critical ("column %s has type %u, which pk-db cannot read: cast it to BIGINT or TEXT in the SQL",
                  PQfname (self->row, column), type);
      return PK_DB_TYPE_NULL;
    }
}

static gint64
pg_column_int64 (PkDbStmt *stmt,
                 int       column)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;
  const char *value;
  int length;

  if (pg_column_type (stmt, column) != PK_DB_TYPE_INT64)
    return 0;
  value = PQgetvalue (self->row, 0, column);
  length = PQgetlength (self->row, 0, column);
  switch (length)
    {
    case 8:
      {
        guint64 be;

        memcpy (&be, value, sizeof be);
        return (gint64) GUINT64_FROM_BE (be);
      }
    case 4:
      {
        guint32 be;

        memcpy (&be, value, sizeof be);
        return (gint32) GUINT32_FROM_BE (be);
      }
    case 2:
      {
        guint16 be;

        memcpy (&be, value, sizeof be);
        return (gint16) GUINT16_FROM_BE (be);
      }
    case 1:
      return value[0] != 0;
    default:
      return 0;
    }
}

static const char *
pg_column_text (PkDbStmt *stmt,
                int       column)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;

  /* libpq ends every value with a NUL, binary text included. */
  if (pg_column_type (stmt, column) != PK_DB_TYPE_TEXT)
    return NULL;
  return PQgetvalue (self->row, 0, column);
}

static const guint8 *
pg_column_blob (PkDbStmt *stmt,
                int       column,
                gsize    *out_length)
{
  PkDbPgStmt *self = (PkDbPgStmt *) stmt;

  *out_length = 0;
  if (pg_column_type (stmt, column) != PK_DB_TYPE_BLOB)
    return NULL;
  *out_length = (gsize) PQgetlength (self->row, 0, column);
  return (const guint8 *) PQgetvalue (self->row, 0, column);
}

static gboolean
pg_in_transaction (PkDb *db)
{
  PGTransactionStatusType status = PQtransactionStatus (((PkDbPg *) db)->conn);

  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static const PkDbClass pk_db_pg_class = {
  .free = pg_free,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .stmt_free = pg_stmt_free,
  .bind_int64 = pg_bind_int64,
  .bind_text = pg_bind_text,
  .bind_blob = pg_bind_blob,
  .bind_null = pg_bind_null,
  .step = pg_step,
  .reset = pg_reset,
  .changes = pg_changes,
  .column_count = pg_column_count,
  .column_name = pg_column_name,
  .column_type = pg_column_type,
  .column_int64 = pg_column_int64,
  .column_text = pg_column_text,
  .column_blob = pg_column_blob,
  .in_transaction = pg_in_transaction,
  .unlock = pg_unlock,
};

/* Why the connection to @location failed, without any password: libpq
 * says whether the server asked for one and whether one was sent
 * (PQconnectionNeedsPassword, PQconnectionUsedPassword). */
static void
set_connect_error (PGconn      *conn,
                   const char  *location,
                   GError     **error)
{
  g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (conn)));

  /* NeedsPassword first: UsedPassword is also true when the server
   * asked and none could be sent. */
  if (PQconnectionNeedsPassword (conn))
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("The database server %s asks for a password for user “%s”, and none was found. "
                   "Put it in ~/.pgpass (or the file PGPASSFILE names) or in a service file, never "
                   "on the command line."),
                 location, PQuser (conn));
  else if (PQconnectionUsedPassword (conn))
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("The database server %s refused the password for user “%s” from your password file "
                   "(~/.pgpass, or the file PGPASSFILE names) or service file. Correct it there (%s)."),
                 location, PQuser (conn), message);
  else
    g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED,
                 _("Cannot connect to the database server %s: %s"), location, message);
}

static char *
pg_get_option (PkDb       *db,
               const char *keyword)
{
  PQconninfoOption *options;
  char *value = NULL;

  g_return_val_if_fail (db != NULL && db->kind == PK_DB_POSTGRESQL, NULL);

  options = PQconninfo (((PkDbPg *) db)->conn);
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword))
      value = g_strdup (o->val);
  PQconninfoFree (options);
  return value;
}

static PkDb *
pg_open (const char  *location,
         GError     **error)
{
  /* libpq reads the keywords in order and keeps the last value of each
   * ("Database Connection Control Functions", PQconnectdbParams), and
   * dbname expands into the address's own. Before it, defaults the
   * address may override: a host that never answers fails after
   * connect_timeout seconds (libpq alone waits as long as the system
   * does), and over TCP a server that vanishes is noticed within about
   * a minute, idle (keepalive probes from 30 s, every 10 s, 3 lost) or
   * in the middle of a statement (tcp_user_timeout, in ms: sent data
   * unacknowledged that long). After it, what the address may not
   * change: text always comes as UTF-8, and the server's activity view
   * names the program. */
  const char * const keywords[] = {
    "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    "dbname", "client_encoding", "application_name", NULL
  };
  const char * const values[] = {
    PK_DB_PG_CONNECT_TIMEOUT, "30", "10", "3", "60000",
    location, "UTF8", "petition-kiosk", NULL
  };
  PkDbPg *self;
  PGconn *conn;

  if (!pk_db_pg_check_location (location, error))
    return NULL;

  conn = PQconnectdbParams (keywords, values, 1);
  if (conn == NULL)
    {
      g_set_error_literal (error, pk_db_pg_store_error, PK_STORE_ERROR_FAILED, _("Out of memory."));
      return NULL;
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      set_connect_error (conn, location, error);
      PQfinish (conn);
      return NULL;
    }
  if (!pk_db_pg_check_connection (conn, location, error))
    {
      PQfinish (conn);
      return NULL;
    }

  self = g_new0 (PkDbPg, 1);
  self->parent.klass = &pk_db_pg_class;
  self->parent.kind = PK_DB_POSTGRESQL;
  self->conn = conn;
  self->display = g_strdup (location);
  return (PkDb *) self;
}

const PkPgModule *
pk_pg_module_get (GQuark store_error)
{
  static const PkPgModule module = {
    pk_db_pg_check_password,
    pk_db_pg_check_location,
    pg_open,
    pg_get_option,
  };

  pk_db_pg_store_error = store_error;
  return &module;
}
