/* pk-batch-format.c: what the batch file's writer and reader agree on:
 * its schema, its canonical digest and its errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch file is a SQLite database used as an application file format
 * (docs/batch-format.md). pk-batch.c writes it, pk-batch-reader.c reads
 * and verifies it.
 */
#define G_LOG_DOMAIN "pk-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pk-batch-private.h"

#define PK_BATCH_DIGEST_DOMAIN "petition-kiosk batch digest"

/* The schema of the current format, exactly. The reader compares a
 * file's sqlite_schema with the one these statements produce, so they are
 * the single truth. Format 1 (release 0.1.0) differs in two statements,
 * the sealed keys and the signatures: pk_batch_schema_statement(). */
#define PK_BATCH_SIGNATURES_TABLE 2
static const char * const pk_batch_schema[] = {
  "CREATE TABLE batch ("
    "format INTEGER NOT NULL, "
    "uuid TEXT NOT NULL, "
    "petition_id TEXT NOT NULL, "
    "petition_version INTEGER NOT NULL, "
    "kiosk_id TEXT NOT NULL, "
    "kiosk_name TEXT, "
    "event TEXT, "
    "opened_at INTEGER NOT NULL, "
    "closed_at INTEGER NOT NULL, "
    "kiosk_public_key BLOB NOT NULL, "
    "n_sealed_keys INTEGER NOT NULL, "
    "n_rows INTEGER NOT NULL, "
    "signature BLOB NOT NULL) STRICT",
  /* Format 1; format 2 adds coordinator_key (pk_batch_schema_statement()). */
  "CREATE TABLE sealed_keys ("
    "id INTEGER PRIMARY KEY, "
    "sealed BLOB NOT NULL) STRICT",
  "CREATE TABLE signatures ("
    "uuid TEXT PRIMARY KEY NOT NULL, "
    "signed_at INTEGER NOT NULL, "
    "source TEXT NOT NULL, "
    "lang TEXT NOT NULL, "
    "consent_hash TEXT NOT NULL, "
    "opt_in INTEGER NOT NULL, "
    "sheet_serial TEXT, "
    "sheet_line INTEGER, "
    "key_id INTEGER, "
    "payload BLOB NOT NULL, "
    "sensitive_consent_hash TEXT) STRICT, WITHOUT ROWID",
  "CREATE TABLE sheet_counts ("
    "serial TEXT PRIMARY KEY NOT NULL, "
    "count INTEGER NOT NULL, "
    "entered_at INTEGER NOT NULL) STRICT, WITHOUT ROWID",
};
G_STATIC_ASSERT (G_N_ELEMENTS (pk_batch_schema) == PK_BATCH_N_SCHEMA_STATEMENTS);

/* Format 1 (release 0.1.0) had no sensitive-data consent; its files are
 * still read, their rows without one. */
static const char pk_batch_signatures_format1[] =
  "CREATE TABLE signatures ("
    "uuid TEXT PRIMARY KEY NOT NULL, "
    "signed_at INTEGER NOT NULL, "
    "source TEXT NOT NULL, "
    "lang TEXT NOT NULL, "
    "consent_hash TEXT NOT NULL, "
    "opt_in INTEGER NOT NULL, "
    "sheet_serial TEXT, "
    "sheet_line INTEGER, "
    "key_id INTEGER, "
    "payload BLOB NOT NULL) STRICT, WITHOUT ROWID";

/* Format 2: each sealed key names the coordinator key it is sealed to
 * (NULL when the kiosk did not record it), so that a batch's rows can be
 * counted by coordinator without any secret key, and a row no key of
 * the merging coordinator opens is kept for the right one. */
#define PK_BATCH_SEALED_KEYS_V2 \
  "CREATE TABLE sealed_keys (" \
    "id INTEGER PRIMARY KEY, " \
    "sealed BLOB NOT NULL, " \
    "coordinator_key BLOB) STRICT"
#define PK_BATCH_SEALED_KEYS_TABLE 1

const char *
pk_batch_schema_statement (guint format,
                           guint i)
{
  if (format >= 2 && i == PK_BATCH_SEALED_KEYS_TABLE)
    return PK_BATCH_SEALED_KEYS_V2;
  if (format == 1 && i == PK_BATCH_SIGNATURES_TABLE)
    return pk_batch_signatures_format1;
  return pk_batch_schema[i];
}

const char *
pk_batch_sealed_keys_query (guint format)
{
  return format >= 2 ? "SELECT id, sealed, coordinator_key FROM sealed_keys ORDER BY id"
                     : "SELECT id, sealed FROM sealed_keys ORDER BY id";
}

G_DEFINE_QUARK (pk-batch-error-quark, pk_batch_error)

const char *
pk_batch_error_reason (int code)
{
  switch ((PkBatchError) code)
    {
    case PK_BATCH_ERROR_NOT_A_BATCH:     return "not a batch";
    case PK_BATCH_ERROR_TRUNCATED:       return "truncated";
    case PK_BATCH_ERROR_TAMPERED:        return "tampered";
    case PK_BATCH_ERROR_NEWER_VERSION:   return "newer format version";
    case PK_BATCH_ERROR_TOO_LARGE:       return "too large";
    case PK_BATCH_ERROR_INVALID:         return "invalid content";
    case PK_BATCH_ERROR_WRONG_PETITION:  return "wrong petition";
    case PK_BATCH_ERROR_UNTRUSTED_KIOSK: return "untrusted kiosk";
    case PK_BATCH_ERROR_EXISTS:          return "exists";
    case PK_BATCH_ERROR_NO_KEY:          return "no key";
    case PK_BATCH_ERROR_WRONG_KEY:       return "wrong key";
    case PK_BATCH_ERROR_CONFLICT:        return "conflicting copy";
    case PK_BATCH_ERROR_FAILED:
    default:                             return "unreadable";
    }
}

void
pk_batch_info_free (PkBatchInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uuid);
  g_free (info->petition_id);
  g_free (info->kiosk_id);
  g_free (info->kiosk_name);
  g_free (info->event);
  g_free (info->file_digest);
  g_free (info);
}

gboolean
pk_batch_fail (GError     **error,
               PkBatchError code,
               const char  *format,
               ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PK_BATCH_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

gboolean
pk_batch_fail_resource (GError     **error,
                        const char  *what,
                        const char  *cause)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, cause);
  return FALSE;
}

gboolean
pk_batch_fail_sqlite_rc (GError     **error,
                         PkBatchError verdict,
                         int          rc,
                         const char  *cause,
                         const char  *what)
{
  switch (rc & 0xFF)
    {
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_INTERRUPT:
    case SQLITE_NOLFS:
    case SQLITE_READONLY:
      /* Whatever the verdict would have been called ("damaged"). */
      return pk_batch_fail_resource (error, _("Cannot read the batch"), cause);
    default:
      return pk_batch_fail (error, verdict, "%s: %s", what, cause);
    }
}

gboolean
pk_batch_fail_sqlite (GError     **error,
                      PkBatchError verdict,
                      sqlite3     *db,
                      const char  *what)
{
  /* Without a connection, SQLite could not allocate one. */
  if (db == NULL)
    return pk_batch_fail_sqlite_rc (error, verdict, SQLITE_NOMEM, sqlite3_errstr (SQLITE_NOMEM), what);
  return pk_batch_fail_sqlite_rc (error, verdict, sqlite3_extended_errcode (db), sqlite3_errmsg (db), what);
}

/* The canonical digest ------------------------------------------------ */

/* Each value is fed as a type tag and, for integers, 8 bytes big-endian,
 * for text and blobs an 8-byte big-endian length then the bytes. No two
 * different sequences of typed values give the same byte stream. */
enum {
  PK_DIGEST_NULL = 0,
  PK_DIGEST_INTEGER = 1,
  PK_DIGEST_TEXT = 2,
  PK_DIGEST_BLOB = 3,
};

static void
pk_digest_u64 (crypto_generichash_state *state,
               guint8                    tag,
               guint64                   value)
{
  guint8 buf[9];

  buf[0] = tag;
  for (guint i = 0; i < 8; i++)
    buf[1 + i] = (guint8) (value >> (56 - 8 * i));
  crypto_generichash_update (state, buf, sizeof buf);
}

static void
pk_digest_column (crypto_generichash_state *state,
                  sqlite3_stmt             *stmt,
                  int                       column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      pk_digest_u64 (state, PK_DIGEST_INTEGER, (guint64) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_TEXT:
      {
        const guint8 *text = sqlite3_column_text (stmt, column);
        int n = sqlite3_column_bytes (stmt, column);

        pk_digest_u64 (state, PK_DIGEST_TEXT, (guint64) n);
        crypto_generichash_update (state, text, n);
      }
      break;
    case SQLITE_BLOB:
      {
        const guint8 *blob = sqlite3_column_blob (stmt, column);
        int n = sqlite3_column_bytes (stmt, column);

        pk_digest_u64 (state, PK_DIGEST_BLOB, (guint64) n);
        if (n > 0)
          crypto_generichash_update (state, blob, n);
      }
      break;
    case SQLITE_FLOAT:
      /* No column of ours holds a float; STRICT tables refuse them, so
       * one here means the file was edited. Hash it distinctly anyway. */
      {
        double d = sqlite3_column_double (stmt, column);
        guint64 bits;

        memcpy (&bits, &d, sizeof bits);
        pk_digest_u64 (state, 4, bits);
      }
      break;
    case SQLITE_NULL:
    default:
      {
        guint8 tag = PK_DIGEST_NULL;

        crypto_generichash_update (state, &tag, 1);
      }
      break;
    }
}

/* The order of the digest's stream is told in pk-batch-private.h. */
gboolean
pk_batch_compute_digest (sqlite3   *db,
                         guint      format,
                         guint8     digest[PK_BATCH_DIGEST_BYTES],
                         GError   **error)
{
  const char * const queries[] = {
    "SELECT " PK_BATCH_HEADER_COLUMNS " FROM batch",
    pk_batch_sealed_keys_query (format),
    format == 1 ? "SELECT " PK_BATCH_ROW_COLUMNS_FORMAT1 " FROM signatures ORDER BY uuid"
                : "SELECT " PK_BATCH_ROW_COLUMNS " FROM signatures ORDER BY uuid",
    "SELECT " PK_BATCH_SHEET_COUNT_COLUMNS " FROM sheet_counts ORDER BY serial",
  };
  crypto_generichash_state state;

  crypto_generichash_init (&state, NULL, 0, PK_BATCH_DIGEST_BYTES);
  crypto_generichash_update (&state, (const guint8 *) PK_BATCH_DIGEST_DOMAIN,
                             sizeof PK_BATCH_DIGEST_DOMAIN);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL) != SQLITE_OK)
        return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, db, _("Cannot read the batch"));
      /* A section marker keeps rows from sliding between sections. */
      pk_digest_u64 (&state, PK_DIGEST_INTEGER, q);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int n = sqlite3_column_count (stmt);

          for (int c = 0; c < n; c++)
            pk_digest_column (&state, stmt, c);
        }
      if (rc != SQLITE_DONE)
        return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, db, _("Cannot read the batch"));
    }

  crypto_generichash_final (&state, digest, PK_BATCH_DIGEST_BYTES);
  return TRUE;
}

char *
pk_batch_hex_digest (const guint8 *data,
                     gsize         length)
{
  guint8 hash[32];
  char hex[65];

  crypto_generichash (hash, sizeof hash, data, length, NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

char *
pk_batch_dup_text (sqlite3_stmt *stmt,
                   int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gint64
pk_batch_count (sqlite3    *db,
                const char *sql)
{
  gint64 n = -1;

  if (pk_sqlite_query_int64 (db, sql, &n) != SQLITE_OK)
    return -1;
  return n;
}
