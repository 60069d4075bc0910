/* pk-sqlite.c: the header, checks and error kinds shared by every
 * SQLite file of ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "pk-sqlite.h"

/* With its NUL: 16 bytes. */
static const char pk_sqlite_magic[16] = "SQLite format 3";

guint32
pk_sqlite_read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

gboolean
pk_sqlite_has_magic (const guint8 *data,
                     gsize         length)
{
  return length > 0 && memcmp (data, pk_sqlite_magic, MIN (length, sizeof pk_sqlite_magic)) == 0;
}

gboolean
pk_sqlite_parse_header (const guint8   *data,
                        gsize           length,
                        PkSqliteHeader *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (length < PK_SQLITE_HEADER_BYTES || !pk_sqlite_has_magic (data, length))
    return FALSE;

  out->page_size = (guint32) data[16] << 8 | data[17];
  if (out->page_size == 1)
    out->page_size = 65536;
  out->write_version = data[18];
  out->read_version = data[19];
  out->change_counter = pk_sqlite_read_be32 (data + 24);
  out->n_pages = pk_sqlite_read_be32 (data + 28);
  out->user_version = pk_sqlite_read_be32 (data + 60);
  out->application_id = pk_sqlite_read_be32 (data + 68);
  out->valid_for = pk_sqlite_read_be32 (data + 92);
  return TRUE;
}

gboolean
pk_sqlite_header_page_size_ok (const PkSqliteHeader *header)
{
  return header->page_size >= 512 && (header->page_size & (header->page_size - 1)) == 0;
}

gboolean
pk_sqlite_header_size_is_valid (const PkSqliteHeader *header)
{
  return header->change_counter == header->valid_for && header->n_pages > 0;
}

guint64
pk_sqlite_header_file_size (const PkSqliteHeader *header)
{
  return (guint64) header->n_pages * header->page_size;
}

int
pk_sqlite_query_int64 (sqlite3    *db,
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

int
pk_sqlite_quick_check (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *answer;
  const char *cause;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc;
  /* NULL only when SQLite ran out of memory copying the answer. */
  answer = (const char *) sqlite3_column_text (stmt, 0);
  if (answer == NULL)
    return SQLITE_NOMEM;
  if (g_str_equal (answer, "ok"))
    return SQLITE_OK;
  /* SQLite 3.40 (Debian 12) answers with a page it could not load as a
   * finding, "unable to get the page. error code=N", also when N is
   * SQLITE_NOMEM or SQLITE_IOERR: the check did not run, and the file
   * may be sound. Later releases fail the statement instead. */
  cause = strstr (answer, "unable to get the page. error code=");
  if (cause != NULL)
    {
      gint64 code = g_ascii_strtoll (cause + strlen ("unable to get the page. error code="), NULL, 10);

      if ((code & 0xFF) == SQLITE_NOMEM || (code & 0xFF) == SQLITE_IOERR)
        return (int) code;
    }
  return SQLITE_CORRUPT;
}

gboolean
pk_sqlite_set_defensive (sqlite3 *db)
{
  return sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) == SQLITE_OK &&
         sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) == SQLITE_OK;
}

PkSqliteFailure
pk_sqlite_classify (sqlite3 *db,
                    int      rc)
{
  switch (rc & 0xFF)
    {
    case SQLITE_FULL:
      return PK_SQLITE_FAILURE_FULL;

    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return PK_SQLITE_FAILURE_READ_ONLY;

    case SQLITE_AUTH:
      return PK_SQLITE_FAILURE_DENIED;

    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return PK_SQLITE_FAILURE_CORRUPT;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return PK_SQLITE_FAILURE_BUSY;

    case SQLITE_IOERR:
      if (db != NULL)
        {
          int system_errno = sqlite3_system_errno (db);

          if (system_errno == ENOSPC || system_errno == EDQUOT)
            return PK_SQLITE_FAILURE_FULL;
          if (system_errno == EROFS || system_errno == EACCES || system_errno == EPERM)
            return PK_SQLITE_FAILURE_READ_ONLY;
        }
      return PK_SQLITE_FAILURE_OTHER;

    default:
      return PK_SQLITE_FAILURE_OTHER;
    }
}

gboolean
pk_sqlite_set_error (GError     **error,
                     GQuark       domain,
                     int          code,
                     sqlite3     *db,
                     const char  *what)
{
  g_set_error (error, domain, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}
