/* pk-sqlite.h: what every SQLite file of ours needs, trusted or not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk and master databases (pk-store*.c) and the batch files
 * from USB sticks (pk-batch.c) read the same 100-byte header, run the
 * same quick_check, set the same defensive options and turn SQLite's
 * result codes into the same few kinds of failure. Each caller keeps
 * its own error domain and wording; the judging is here, once.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* g_autoptr(sqlite3_stmt) finalizes the statement. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Length of the SQLite file header. */
#define PK_SQLITE_HEADER_BYTES 100

/* The fields of the header we judge, from "Database File Format",
 * section 1.3 (https://www.sqlite.org/fileformat.html). */
typedef struct {
  guint32 page_size;       /* offset 16, 1 meaning 65536 */
  guint8  write_version;   /* offset 18: 1 rollback journal, 2 WAL */
  guint8  read_version;    /* offset 19 */
  guint32 change_counter;  /* offset 24 */
  guint32 n_pages;         /* offset 28, valid only as size_is_valid says */
  guint32 user_version;    /* offset 60 */
  guint32 application_id;  /* offset 68 */
  guint32 valid_for;       /* offset 92, "version-valid-for" */
} PkSqliteHeader;

/* The big-endian 32-bit number at @p. */
guint32   pk_sqlite_read_be32            (const guint8         *p);

/* Whether @data (@length bytes, which may be fewer than the 16 of the
 * magic) starts like an SQLite file. FALSE for no bytes at all. */
gboolean  pk_sqlite_has_magic            (const guint8         *data,
                                          gsize                 length);

/* Fills @out from the first PK_SQLITE_HEADER_BYTES of @data. FALSE when
 * @data is shorter than that or lacks the magic. */
gboolean  pk_sqlite_parse_header         (const guint8         *data,
                                          gsize                 length,
                                          PkSqliteHeader       *out);

/* Whether the page size is a power of two from 512 to 65536. */
gboolean  pk_sqlite_header_page_size_ok  (const PkSqliteHeader *header);

/* Whether n_pages can be trusted: the change counter equals
 * "version-valid-for" and n_pages is not 0. */
gboolean  pk_sqlite_header_size_is_valid (const PkSqliteHeader *header);

/* n_pages × page_size: the file's length, when size_is_valid. */
guint64   pk_sqlite_header_file_size     (const PkSqliteHeader *header);

/* Runs @sql, a query of one integer, on @db: SQLITE_OK with @out set,
 * SQLITE_CORRUPT when it returned no row, else SQLite's failure. */
int       pk_sqlite_query_int64          (sqlite3              *db,
                                          const char           *sql,
                                          gint64               *out);

/* PRAGMA quick_check(1) on @db: SQLITE_OK when it answers "ok",
 * SQLITE_CORRUPT when it finds damage, else SQLite's failure to run it
 * (out of memory, say), which says nothing about the file. It reads
 * every page, so its cost grows with the file. */
int       pk_sqlite_quick_check          (sqlite3              *db);

/* Defensive mode (no writable_schema and the like can corrupt the file)
 * and trusted_schema off (functions in a doctored schema do not run
 * with our privileges). FALSE when SQLite refused either. */
gboolean  pk_sqlite_set_defensive        (sqlite3              *db);

/* The kinds of failure a caller tells the user about differently. */
typedef enum {
  PK_SQLITE_FAILURE_FULL,       /* the disk is full */
  PK_SQLITE_FAILURE_READ_ONLY,  /* cannot write, open or access */
  PK_SQLITE_FAILURE_CORRUPT,    /* damaged, or not a database */
  PK_SQLITE_FAILURE_BUSY,       /* locked by another connection */
  PK_SQLITE_FAILURE_DENIED,     /* the authorizer refused a statement, read or write */
  PK_SQLITE_FAILURE_OTHER,
} PkSqliteFailure;

/* The kind of failure @rc (a primary or extended result code) is. With
 * @db (may be NULL), a generic I/O error is looked at more closely: the
 * operating system's error of a write that failed for lack of space or
 * permission (say, while creating the WAL) tells the plain story. */
PkSqliteFailure pk_sqlite_classify       (sqlite3              *db,
                                          int                   rc);

/* Sets @error in @domain with @code to "@what: <SQLite's message>",
 * the connection's latest message, or "out of memory" without @db.
 * Always returns FALSE, to be returned directly. */
gboolean  pk_sqlite_set_error            (GError              **error,
                                          GQuark                domain,
                                          int                   code,
                                          sqlite3              *db,
                                          const char           *what);

G_END_DECLS
