/* pk-batch.c: writing, reading and verifying batch files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch file is a SQLite database used as an application file format
 * (docs/batch-format.md). Reading follows SQLite's advice for hostile
 * files: the bytes are read once into memory (so what is verified is
 * exactly what is imported, even if the USB stick's file changes), the
 * header is checked by hand, then the image is opened read-only with
 * SQLITE_DBCONFIG_DEFENSIVE on, trusted_schema off, triggers and views
 * disabled and small limits; the schema must equal ours exactly;
 * quick_check must pass; and the Ed25519 signature over the canonical
 * digest must verify before any row is handed out.
 */
#define G_LOG_DOMAIN "pk-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pk-atomic.h"
#include "pk-batch.h"
#include "pk-safe-text.h"
#include "pk-sheets.h"
#include "pk-store-private.h"

#define PK_BATCH_DIGEST_DOMAIN "petition-kiosk batch digest"
#define PK_BATCH_DIGEST_BYTES  crypto_generichash_BYTES_MAX  /* 64 */

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

/* Statement @i of the schema of batch format @format. */
static const char *
pk_batch_schema_statement (guint format,
                           guint i)
{
  if (format >= 2 && i == PK_BATCH_SEALED_KEYS_TABLE)
    return PK_BATCH_SEALED_KEYS_V2;
  if (format == 1 && i == PK_BATCH_SIGNATURES_TABLE)
    return pk_batch_signatures_format1;
  return pk_batch_schema[i];
}

/* The sealed keys' columns of format @format, as the digest reads them. */
static const char *
pk_batch_sealed_keys_query (guint format)
{
  return format >= 2 ? "SELECT id, sealed, coordinator_key FROM sealed_keys ORDER BY id"
                     : "SELECT id, sealed FROM sealed_keys ORDER BY id";
}

#define PK_BATCH_HEADER_COLUMNS \
  "format, uuid, petition_id, petition_version, kiosk_id, kiosk_name, event, " \
  "opened_at, closed_at, kiosk_public_key, n_sealed_keys, n_rows"
#define PK_BATCH_ROW_COLUMNS_FORMAT1 \
  "uuid, signed_at, source, lang, consent_hash, opt_in, sheet_serial, sheet_line, key_id, payload"
#define PK_BATCH_ROW_COLUMNS PK_BATCH_ROW_COLUMNS_FORMAT1 ", sensitive_consent_hash"
#define PK_BATCH_SHEET_COUNT_COLUMNS "serial, count, entered_at"

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

static gboolean
pk_batch_fail (GError     **error,
               PkBatchError code,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
pk_batch_fail (GError     **error,
               PkBatchError code,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PK_BATCH_ERROR, code, message);
  return FALSE;
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

/* Streams every signed value of the batch in @db, a file in @format,
 * through BLAKE2b-512: the domain string, the header row (all columns
 * but the signature), the sealed keys by id, the rows (the columns of
 * their format) by uuid (byte order) and the sheet counts by serial
 * (byte order). Both writer and reader use this one function. */
static gboolean
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
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL) != SQLITE_OK)
        return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, db, _("Cannot read the batch"));
      /* A section marker keeps rows from sliding between sections. */
      pk_digest_u64 (&state, PK_DIGEST_INTEGER, q);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int n = sqlite3_column_count (stmt);

          for (int c = 0; c < n; c++)
            pk_digest_column (&state, stmt, c);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, db, _("Cannot read the batch"));
    }

  crypto_generichash_final (&state, digest, PK_BATCH_DIGEST_BYTES);
  return TRUE;
}

static char *
pk_batch_hex_digest (const guint8 *data,
                     gsize         length)
{
  guint8 hash[32];
  char hex[65];

  crypto_generichash (hash, sizeof hash, data, length, NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

/* Reading ------------------------------------------------------------ */

struct _PkBatchReader {
  sqlite3      *db;
  sqlite3_stmt *rows;
  sqlite3_stmt *sheet_counts;
  PkBatchInfo  *info;
  guint         format;       /* 1 … PK_BATCH_FORMAT, from the header */
  GHashTable   *sealed_keys;  /* gint64* id → GBytes */
  GHashTable   *coordinator_keys;  /* gint64* id → GBytes (32), format 2 */
  gint64        rows_seen;
};

/* Checks the 100-byte SQLite header by hand, before SQLite sees the
 * file: this is where "not a batch", "truncated" and "newer format"
 * are told apart precisely. Sets @out_format from the header. */
static gboolean
pk_batch_check_header (const guint8  *data,
                       gsize          length,
                       guint         *out_format,
                       GError       **error)
{
  PkSqliteHeader header;

  if (!pk_sqlite_has_magic (data, length))
    return pk_batch_fail (error, PK_BATCH_ERROR_NOT_A_BATCH, _("This is not a batch file"));
  if (!pk_sqlite_parse_header (data, length, &header))
    return pk_batch_fail (error, PK_BATCH_ERROR_TRUNCATED, _("The file ends inside its header"));

  if (header.application_id != PK_BATCH_APPLICATION_ID)
    return pk_batch_fail (error, PK_BATCH_ERROR_NOT_A_BATCH,
                          _("This is a database, but not a Petition Kiosk batch file"));
  if (header.user_version > PK_BATCH_FORMAT)
    return pk_batch_fail (error, PK_BATCH_ERROR_NEWER_VERSION,
                          _("This batch was made by a newer version of Petition Kiosk (format %u)"),
                          header.user_version);
  if (header.user_version < 1)
    return pk_batch_fail (error, PK_BATCH_ERROR_NOT_A_BATCH, _("This batch file has no format version"));

  /* Writers make rollback-journal files (bytes 18 and 19 are 1). A WAL
   * file would make SQLite look for a -wal file beside it. */
  if (header.write_version != 1 || header.read_version != 1 || !pk_sqlite_header_page_size_ok (&header))
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file's header was changed"));

  /* Our writer always leaves the in-header size valid. */
  if (!pk_sqlite_header_size_is_valid (&header))
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file's header was changed"));
  if (pk_sqlite_header_file_size (&header) > length)
    return pk_batch_fail (error, PK_BATCH_ERROR_TRUNCATED,
                          _("The file is shorter than it says: it was cut off while being copied"));
  if (pk_sqlite_header_file_size (&header) < length)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The file has bytes after its end"));

  *out_format = header.user_version;
  return TRUE;
}

static sqlite3 *
pk_batch_open_memory (GError **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot start SQLite"));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/* Every (type, name, tbl_name, sql) of @db's schema, one string. */
static char *
pk_batch_describe_schema (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  if (sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name, type",
                          -1, &stmt, NULL) != SQLITE_OK)
    return g_string_free (out, TRUE);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 4; c++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);

        g_string_append_printf (out, "%zu:%s;", text ? strlen (text) : 0, text ? text : "(null)");
      }
  if (sqlite3_finalize (stmt) != SQLITE_OK)
    return g_string_free (out, TRUE);
  return g_string_free (out, FALSE);
}

/* The schema of a file in @format (1 or PK_BATCH_FORMAT), built once
 * from the statements above in an empty database. */
static const char *
pk_batch_expected_schema (guint format)
{
  static gsize expected[PK_BATCH_FORMAT + 1];

  g_assert (format >= 1 && format <= PK_BATCH_FORMAT);

  if (g_once_init_enter (&expected[format]))
    {
      sqlite3 *db = pk_batch_open_memory (NULL);
      char *result = NULL;

      if (db != NULL)
        {
          gboolean ok = TRUE;

          for (guint i = 0; i < G_N_ELEMENTS (pk_batch_schema) && ok; i++)
            ok = sqlite3_exec (db, pk_batch_schema_statement (format, i), NULL, NULL, NULL) == SQLITE_OK;
          if (ok)
            result = pk_batch_describe_schema (db);
          sqlite3_close (db);
        }
      if (result == NULL)
        g_error ("cannot build the reference batch schema");
      g_once_init_leave (&expected[format], (gsize) result);
    }

  return (const char *) expected[format];
}

static gboolean
pk_batch_harden (sqlite3  *db,
                 GError  **error)
{
  int off = 0;

  /* Per "Defense Against the Dark Arts": defensive mode, no trusted
   * schema, no triggers or views, and small limits on what one value
   * or one statement may cost. */
  if (!pk_sqlite_set_defensive (db)
      || sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &off) != SQLITE_OK
      || sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, &off) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA trusted_schema=OFF", NULL, NULL, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot harden SQLite"));

  sqlite3_limit (db, SQLITE_LIMIT_LENGTH, PK_BATCH_MAX_PAYLOAD_BYTES + 1024);
  sqlite3_limit (db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit (db, SQLITE_LIMIT_COLUMN, 100);
  sqlite3_limit (db, SQLITE_LIMIT_EXPR_DEPTH, 100);
  sqlite3_limit (db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
  sqlite3_limit (db, SQLITE_LIMIT_VDBE_OP, 25000);
  sqlite3_limit (db, SQLITE_LIMIT_FUNCTION_ARG, 8);
  sqlite3_limit (db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit (db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
  sqlite3_limit (db, SQLITE_LIMIT_VARIABLE_NUMBER, 16);
  sqlite3_limit (db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
  return TRUE;
}

static gboolean
pk_batch_text_ok (sqlite3_stmt *stmt,
                  int           column,
                  gboolean      nullable)
{
  int type = sqlite3_column_type (stmt, column);

  if (type == SQLITE_NULL)
    return nullable;
  if (type != SQLITE_TEXT)
    return FALSE;
  return sqlite3_column_bytes (stmt, column) <= PK_BATCH_MAX_TEXT_BYTES
         && g_utf8_validate ((const char *) sqlite3_column_text (stmt, column),
                             sqlite3_column_bytes (stmt, column), NULL);
}

static char *
pk_batch_dup_text (sqlite3_stmt *stmt,
                   int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
pk_batch_read_header (PkBatchReader  *self,
                      GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  PkBatchInfo *info = self->info;
  gboolean ok;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT " PK_BATCH_HEADER_COLUMNS " FROM batch",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  rc = sqlite3_step (stmt);
  ok = rc == SQLITE_ROW
       && sqlite3_column_type (stmt, 0) == SQLITE_INTEGER
       && sqlite3_column_int64 (stmt, 0) == self->format
       && pk_batch_text_ok (stmt, 1, FALSE)
       && pk_batch_text_ok (stmt, 2, FALSE)
       && sqlite3_column_type (stmt, 3) == SQLITE_INTEGER
       && pk_batch_text_ok (stmt, 4, FALSE)
       && pk_batch_text_ok (stmt, 5, TRUE)
       && pk_batch_text_ok (stmt, 6, TRUE)
       && sqlite3_column_type (stmt, 7) == SQLITE_INTEGER
       && sqlite3_column_type (stmt, 8) == SQLITE_INTEGER
       && sqlite3_column_type (stmt, 9) == SQLITE_BLOB
       && sqlite3_column_bytes (stmt, 9) == PK_KIOSK_KEY_BYTES
       && sqlite3_column_type (stmt, 10) == SQLITE_INTEGER
       && sqlite3_column_type (stmt, 11) == SQLITE_INTEGER;
  if (ok)
    {
      info->uuid = pk_batch_dup_text (stmt, 1);
      info->petition_id = pk_batch_dup_text (stmt, 2);
      info->petition_version = sqlite3_column_int64 (stmt, 3);
      info->kiosk_id = pk_batch_dup_text (stmt, 4);
      info->kiosk_name = pk_batch_dup_text (stmt, 5);
      info->event = pk_batch_dup_text (stmt, 6);
      info->opened_at = sqlite3_column_int64 (stmt, 7);
      info->closed_at = sqlite3_column_int64 (stmt, 8);
      memcpy (info->kiosk_key, sqlite3_column_blob (stmt, 9), PK_KIOSK_KEY_BYTES);
      info->n_sealed_keys = sqlite3_column_int64 (stmt, 10);
      info->n_rows = sqlite3_column_int64 (stmt, 11);
      /* Exactly one header row. */
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file's header row was changed"));
  /* Signed, but a kiosk key can be stolen: these are printed by verify
   * and report, so none may hold a terminal escape or a bidi control. */
  if (!pk_safe_text_is_clean (info->uuid) || !pk_safe_text_is_clean (info->petition_id)
      || !pk_safe_text_is_clean (info->kiosk_id)
      || (info->kiosk_name != NULL && !pk_safe_text_is_clean (info->kiosk_name))
      || (info->event != NULL && !pk_safe_text_is_clean (info->event)))
    return pk_batch_fail (error, PK_BATCH_ERROR_INVALID,
                          _("The batch's kiosk name, event or identifiers hold control characters"));
  if (info->n_rows < 0 || info->n_rows > PK_BATCH_MAX_ROWS
      || info->n_sealed_keys < 0 || info->n_sealed_keys > PK_BATCH_MAX_SEALED_KEYS)
    return pk_batch_fail (error, PK_BATCH_ERROR_TOO_LARGE, _("The batch holds too many rows"));
  return TRUE;
}

static gint64
pk_batch_count (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
pk_batch_verify_signature (PkBatchReader  *self,
                           GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  guint8 digest[PK_BATCH_DIGEST_BYTES];
  guint8 signature[PK_BATCH_SIGNATURE_BYTES];
  gboolean have = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT signature FROM batch", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) == SQLITE_BLOB
      && sqlite3_column_bytes (stmt, 0) == PK_BATCH_SIGNATURE_BYTES)
    {
      memcpy (signature, sqlite3_column_blob (stmt, 0), sizeof signature);
      have = TRUE;
    }
  sqlite3_finalize (stmt);
  if (!have)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch's signature is missing"));

  if (!pk_batch_compute_digest (self->db, self->format, digest, error))
    return FALSE;
  if (crypto_sign_verify_detached (signature, digest, sizeof digest, self->info->kiosk_key) != 0)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED,
                          _("The batch's signature does not match its contents: it was changed after the kiosk signed it"));
  return TRUE;
}

static gboolean
pk_batch_load_sealed_keys (PkBatchReader  *self,
                           GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, pk_batch_sealed_keys_query (self->format), -1, &stmt, NULL) != SQLITE_OK)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      int n = sqlite3_column_bytes (stmt, 1);
      /* Format 2: the coordinator key, NULL or 32 bytes. */
      int key_type = self->format >= 2 ? sqlite3_column_type (stmt, 2) : SQLITE_NULL;

      /* A sealed 32-byte key is exactly 80 bytes. */
      if (sqlite3_column_type (stmt, 1) != SQLITE_BLOB || n != 32 + crypto_box_SEALBYTES
          || (key_type != SQLITE_NULL
              && (key_type != SQLITE_BLOB || sqlite3_column_bytes (stmt, 2) != PK_COORDINATOR_KEY_BYTES)))
        {
          sqlite3_finalize (stmt);
          return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("The batch holds a malformed sealed key"));
        }
      g_hash_table_insert (self->sealed_keys, g_memdup2 (&id, sizeof id),
                           g_bytes_new (sqlite3_column_blob (stmt, 1), n));
      if (key_type == SQLITE_BLOB)
        g_hash_table_insert (self->coordinator_keys, g_memdup2 (&id, sizeof id),
                             g_bytes_new (sqlite3_column_blob (stmt, 2), PK_COORDINATOR_KEY_BYTES));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  return TRUE;
}

PkBatchReader *
pk_batch_reader_open (const char  *path,
                      GError     **error)
{
  g_autoptr(PkBatchReader) self = g_new0 (PkBatchReader, 1);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) finfo = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *schema = NULL;
  guint8 *image;
  gsize length = 0;
  goffset size;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, _("The cryptography library could not start"));
      return NULL;
    }

  self->info = g_new0 (PkBatchInfo, 1);
  self->sealed_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  self->coordinator_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                  (GDestroyNotify) g_bytes_unref);

  file = g_file_new_for_path (path);
  input = g_file_read (file, NULL, &local_error);
  if (input == NULL)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }
  finfo = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE, NULL, &local_error);
  if (finfo == NULL)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }
  size = g_file_info_get_size (finfo);
  if (size > PK_BATCH_MAX_FILE_BYTES)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_TOO_LARGE, _("The file is larger than any batch may be"));
      return NULL;
    }

  /* sqlite3_deserialize takes ownership of a sqlite3_malloc64 buffer.
   * Read one byte more than announced to notice a file that grows. */
  image = sqlite3_malloc64 ((sqlite3_uint64) size + 1);
  if (image == NULL)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, _("Out of memory"));
      return NULL;
    }
  if (!g_input_stream_read_all (G_INPUT_STREAM (input), image, (gsize) size + 1, &length, NULL, &local_error))
    {
      sqlite3_free (image);
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }
  if (length > (gsize) size)
    {
      sqlite3_free (image);
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, _("The file changed while it was being read"));
      return NULL;
    }

  self->info->file_digest = pk_batch_hex_digest (image, length);
  if (!pk_batch_check_header (image, length, &self->format, error))
    {
      sqlite3_free (image);
      return NULL;
    }

  self->db = pk_batch_open_memory (error);
  if (self->db == NULL)
    {
      sqlite3_free (image);
      return NULL;
    }
  if (!pk_batch_harden (self->db, error))
    {
      sqlite3_free (image);
      return NULL;
    }
  rc = sqlite3_deserialize (self->db, "main", image, length, length,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_NOT_A_BATCH, self->db, _("Cannot open the batch"));
      return NULL;
    }

  schema = pk_batch_describe_schema (self->db);
  if (schema == NULL)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("The batch file is damaged"));
      return NULL;
    }
  if (!g_str_equal (schema, pk_batch_expected_schema (self->format)))
    {
      pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file's tables were changed"));
      return NULL;
    }
  if (!pk_sqlite_quick_check (self->db))
    {
      pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file is damaged"));
      return NULL;
    }
  if (!pk_batch_read_header (self, error))
    return NULL;

  /* Counting first costs a scan of an in-memory image and keeps the
   * digest below from running over more rows than promised. */
  if (pk_batch_count (self->db, "SELECT count(*) FROM signatures") != self->info->n_rows
      || pk_batch_count (self->db, "SELECT count(*) FROM sealed_keys") != self->info->n_sealed_keys)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("Rows were added to or removed from the batch"));
      return NULL;
    }
  /* Sheet counts have no count in the header (removing one changes the
   * digest all the same); this bounds the digest's work. */
  self->info->n_sheet_counts = pk_batch_count (self->db, "SELECT count(*) FROM sheet_counts");
  if (self->info->n_sheet_counts < 0 || self->info->n_sheet_counts > PK_BATCH_MAX_ROWS)
    {
      pk_batch_fail (error, PK_BATCH_ERROR_TOO_LARGE, _("The batch holds too many sheet counts"));
      return NULL;
    }

  if (!pk_batch_verify_signature (self, error)
      || !pk_batch_load_sealed_keys (self, error))
    return NULL;

  /* A format 1 row reads as one without a sensitive-data consent. */
  if (sqlite3_prepare_v2 (self->db,
                          self->format == 1
                          ? "SELECT " PK_BATCH_ROW_COLUMNS_FORMAT1 ", NULL FROM signatures ORDER BY uuid"
                          : "SELECT " PK_BATCH_ROW_COLUMNS " FROM signatures ORDER BY uuid",
                          -1, &self->rows, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, "SELECT " PK_BATCH_SHEET_COUNT_COLUMNS " FROM sheet_counts ORDER BY serial",
                             -1, &self->sheet_counts, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

const PkBatchInfo *
pk_batch_reader_get_info (PkBatchReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->info;
}

gboolean
pk_batch_reader_check (PkBatchReader  *self,
                       const char     *petition_id,
                       PkTrustList    *trust,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (petition_id != NULL && g_strcmp0 (petition_id, self->info->petition_id) != 0)
    return pk_batch_fail (error, PK_BATCH_ERROR_WRONG_PETITION,
                          _("The batch is for the petition “%s”, not “%s”"),
                          self->info->petition_id, petition_id);
  if (trust != NULL && !pk_trust_list_contains (trust, self->info->kiosk_key))
    {
      g_autofree char *fingerprint = pk_key_fingerprint (self->info->kiosk_key);

      return pk_batch_fail (error, PK_BATCH_ERROR_UNTRUSTED_KIOSK,
                            _("The batch was signed by a kiosk not in the trust list (%s)"),
                            fingerprint);
    }
  return TRUE;
}

GBytes *
pk_batch_reader_get_sealed_key (PkBatchReader *self,
                                gint64         id)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->sealed_keys, &id);
}

const guint8 *
pk_batch_reader_get_coordinator_key (PkBatchReader *self,
                                     gint64         id)
{
  GBytes *key;

  g_return_val_if_fail (self != NULL, NULL);

  key = g_hash_table_lookup (self->coordinator_keys, &id);
  return key != NULL ? g_bytes_get_data (key, NULL) : NULL;
}

static gboolean
pk_batch_uuid_ok (const char *uuid)
{
  if (uuid == NULL || strlen (uuid) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      gboolean dash = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash ? uuid[i] != '-' : !g_ascii_isxdigit (uuid[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
pk_batch_reader_next_row (PkBatchReader  *self,
                          PkBatchRow     *row,
                          GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;
  gboolean ok;

  g_return_val_if_fail (self != NULL && row != NULL, FALSE);

  stmt = self->rows;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));

  /* The kiosk signed these values, but a kiosk key can be stolen: every
   * value is still checked before the merge uses it. */
  ok = pk_batch_text_ok (stmt, 0, FALSE)
       && sqlite3_column_type (stmt, 1) == SQLITE_INTEGER
       && pk_batch_text_ok (stmt, 2, FALSE)
       && pk_batch_text_ok (stmt, 3, FALSE)
       && pk_batch_text_ok (stmt, 4, FALSE)
       && sqlite3_column_type (stmt, 5) == SQLITE_INTEGER
       && pk_batch_text_ok (stmt, 6, TRUE)
       && (sqlite3_column_type (stmt, 7) == SQLITE_INTEGER || sqlite3_column_type (stmt, 7) == SQLITE_NULL)
       && (sqlite3_column_type (stmt, 8) == SQLITE_INTEGER || sqlite3_column_type (stmt, 8) == SQLITE_NULL)
       && sqlite3_column_type (stmt, 9) == SQLITE_BLOB
       && sqlite3_column_bytes (stmt, 9) <= PK_BATCH_MAX_PAYLOAD_BYTES
       && pk_batch_text_ok (stmt, 10, TRUE);
  if (!ok)
    return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("A row of the batch holds malformed values"));

  row->uuid = (const char *) sqlite3_column_text (stmt, 0);
  row->signed_at = sqlite3_column_int64 (stmt, 1);
  row->source = (const char *) sqlite3_column_text (stmt, 2);
  row->lang = (const char *) sqlite3_column_text (stmt, 3);
  row->consent_hash = (const char *) sqlite3_column_text (stmt, 4);
  row->opt_in = sqlite3_column_int64 (stmt, 5) != 0;
  row->sheet_serial = (const char *) sqlite3_column_text (stmt, 6);
  row->sheet_line = sqlite3_column_int64 (stmt, 7);
  row->key_id = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 8);
  row->payload = sqlite3_column_blob (stmt, 9);
  row->payload_length = sqlite3_column_bytes (stmt, 9);
  row->sensitive_consent_hash = (const char *) sqlite3_column_text (stmt, 10);

  if (!pk_batch_uuid_ok (row->uuid)
      || (!g_str_equal (row->source, "kiosk") && !g_str_equal (row->source, "paper"))
      || (row->key_id != 0 && pk_batch_reader_get_sealed_key (self, row->key_id) == NULL)
      || row->sheet_line < 0 || row->sheet_line > G_MAXUINT)
    return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("A row of the batch holds malformed values"));

  self->rows_seen++;
  return TRUE;
}

gboolean
pk_batch_reader_next_sheet_count (PkBatchReader      *self,
                                  PkBatchSheetCount  *count,
                                  GError            **error)
{
  sqlite3_stmt *stmt;
  gint64 n;
  int rc;

  g_return_val_if_fail (self != NULL && count != NULL, FALSE);

  stmt = self->sheet_counts;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));

  /* Signed, but checked as a row is: a kiosk key can be stolen. */
  if (!pk_batch_text_ok (stmt, 0, FALSE)
      || sqlite3_column_bytes (stmt, 0) == 0
      || sqlite3_column_type (stmt, 1) != SQLITE_INTEGER
      || sqlite3_column_type (stmt, 2) != SQLITE_INTEGER)
    return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("A sheet count of the batch holds malformed values"));
  n = sqlite3_column_int64 (stmt, 1);
  if (n < 0 || n > PK_SHEET_LINES)
    return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("A sheet count of the batch holds malformed values"));

  count->serial = (const char *) sqlite3_column_text (stmt, 0);
  count->count = (guint) n;
  count->entered_at = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

void
pk_batch_reader_free (PkBatchReader *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->rows);
  sqlite3_finalize (self->sheet_counts);
  sqlite3_close (self->db);
  g_clear_pointer (&self->sealed_keys, g_hash_table_unref);
  g_clear_pointer (&self->coordinator_keys, g_hash_table_unref);
  g_clear_pointer (&self->info, pk_batch_info_free);
  g_free (self);
}

/* Writing ------------------------------------------------------------ */

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

/* Copies the result rows of @from (already bound) into @to, column by
 * column, keeping each value's type. */
static gboolean
pk_batch_copy_rows (sqlite3_stmt  *from,
                    sqlite3_stmt  *to,
                    gint64        *n_rows,
                    GError       **error)
{
  int rc;

  *n_rows = 0;
  while ((rc = sqlite3_step (from)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (from); c++)
        sqlite3_bind_value (to, c + 1, sqlite3_column_value (from, c));
      if (sqlite3_step (to) != SQLITE_DONE)
        return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, sqlite3_db_handle (to),
                                     _("Cannot write the batch file"));
      sqlite3_reset (to);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    return pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, sqlite3_db_handle (from),
                                 _("Cannot read the signatures"));
  return TRUE;
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
  sqlite3_stmt *from = NULL;
  sqlite3_stmt *to = NULL;
  guint8 digest[PK_BATCH_DIGEST_BYTES];
  guint8 signature[PK_BATCH_SIGNATURE_BYTES];
  g_autofree char *pragmas = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      sqlite3_close (db);
      return FALSE;
    }

  /* No journal (the temporary file is thrown away on any failure, so
   * there is nothing to roll back to) and temporary data in memory: no
   * side file ever appears on the stick. Our own fsync and rename make
   * the file durable. */
  pragmas = g_strdup_printf ("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
                             "PRAGMA page_size=4096; PRAGMA application_id=%d; PRAGMA user_version=%d;",
                             PK_BATCH_APPLICATION_ID, PK_BATCH_FORMAT);
  if (!pk_batch_exec (db, pragmas, error) || !pk_batch_exec (db, "BEGIN", error))
    goto out;
  for (guint i = 0; i < G_N_ELEMENTS (pk_batch_schema); i++)
    if (!pk_batch_exec (db, pk_batch_schema_statement (PK_BATCH_FORMAT, i), error))
      goto out;

  /* Sealed keys: those the batch's rows use, with the coordinator key
   * each is sealed to (store step 9; NULL for older ones). */
  if (sqlite3_prepare_v2 (store_db, "SELECT id, sealed, coordinator_key FROM sealed_keys WHERE id IN "
                          "(SELECT key_id FROM signatures WHERE batch_id = ?1) ORDER BY id",
                          -1, &from, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO sealed_keys (id, sealed, coordinator_key) VALUES (?1, ?2, ?3)",
                             -1, &to, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, from == NULL ? store_db : db, _("Cannot write the batch file"));
      goto out;
    }
  sqlite3_bind_int64 (from, 1, batch_id);
  if (!pk_batch_copy_rows (from, to, &info->n_sealed_keys, error))
    goto out;
  g_clear_pointer (&from, sqlite3_finalize);
  g_clear_pointer (&to, sqlite3_finalize);

  if (sqlite3_prepare_v2 (store_db, "SELECT " PK_BATCH_ROW_COLUMNS " FROM signatures WHERE batch_id = ?1 ORDER BY uuid",
                          -1, &from, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO signatures (" PK_BATCH_ROW_COLUMNS ") "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1, &to, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, from == NULL ? store_db : db, _("Cannot write the batch file"));
      goto out;
    }
  sqlite3_bind_int64 (from, 1, batch_id);
  if (!pk_batch_copy_rows (from, to, &info->n_rows, error))
    goto out;
  g_clear_pointer (&from, sqlite3_finalize);
  g_clear_pointer (&to, sqlite3_finalize);

  /* The sheet counts of the batch's petition not yet in a file. */
  if (sqlite3_prepare_v2 (store_db, "SELECT " PK_BATCH_SHEET_COUNT_COLUMNS " FROM sheet_counts "
                          "WHERE petition_id = ?1 AND exported = 0 ORDER BY serial",
                          -1, &from, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO sheet_counts (" PK_BATCH_SHEET_COUNT_COLUMNS ") "
                             "VALUES (?1, ?2, ?3)", -1, &to, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, from == NULL ? store_db : db, _("Cannot write the batch file"));
      goto out;
    }
  sqlite3_bind_text (from, 1, info->petition_id, -1, SQLITE_STATIC);
  if (!pk_batch_copy_rows (from, to, &info->n_sheet_counts, error))
    goto out;
  g_clear_pointer (&from, sqlite3_finalize);
  g_clear_pointer (&to, sqlite3_finalize);

  /* The header, with a placeholder signature, then the signature over
   * the digest of exactly what is in the file. */
  if (sqlite3_prepare_v2 (db, "INSERT INTO batch (" PK_BATCH_HEADER_COLUMNS ", signature) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, x'')",
                          -1, &to, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      goto out;
    }
  sqlite3_bind_int (to, 1, PK_BATCH_FORMAT);
  sqlite3_bind_text (to, 2, info->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (to, 3, info->petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (to, 4, info->petition_version);
  sqlite3_bind_text (to, 5, info->kiosk_id, -1, SQLITE_STATIC);
  if (info->kiosk_name != NULL)
    sqlite3_bind_text (to, 6, info->kiosk_name, -1, SQLITE_STATIC);
  if (info->event != NULL)
    sqlite3_bind_text (to, 7, info->event, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (to, 8, info->opened_at);
  sqlite3_bind_int64 (to, 9, info->closed_at);
  sqlite3_bind_blob (to, 10, key->public_key, sizeof key->public_key, SQLITE_STATIC);
  sqlite3_bind_int64 (to, 11, info->n_sealed_keys);
  sqlite3_bind_int64 (to, 12, info->n_rows);
  if (sqlite3_step (to) != SQLITE_DONE)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      goto out;
    }
  g_clear_pointer (&to, sqlite3_finalize);

  if (!pk_batch_compute_digest (db, PK_BATCH_FORMAT, digest, error))
    goto out;
  crypto_sign_detached (signature, NULL, digest, sizeof digest, key->secret_key);
  if (sqlite3_prepare_v2 (db, "UPDATE batch SET signature = ?1", -1, &to, NULL) != SQLITE_OK)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      goto out;
    }
  sqlite3_bind_blob (to, 1, signature, sizeof signature, SQLITE_STATIC);
  if (sqlite3_step (to) != SQLITE_DONE)
    {
      pk_sqlite_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED, db, _("Cannot write the batch file"));
      goto out;
    }
  g_clear_pointer (&to, sqlite3_finalize);
  ok = pk_batch_exec (db, "COMMIT", error);

out:
  sqlite3_finalize (from);
  sqlite3_finalize (to);
  if (sqlite3_close (db) != SQLITE_OK && ok)
    ok = pk_batch_fail (error, PK_BATCH_ERROR_FAILED, _("Cannot write the batch file"));
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
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT petition_id FROM sheet_counts WHERE exported = 0 "
                           "ORDER BY petition_id IS ?1 DESC, petition_id LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      if (petition != NULL)
        sqlite3_bind_text (stmt, 1, pk_petition_get_id (petition), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    *out_petition_id = pk_batch_dup_text (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      pk_store_set_error_from_sqlite (store, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, _("reading the batch"), error);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "UPDATE batches SET petition_id = ?1 WHERE id = ?2", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, *out_petition_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, batch_id);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
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
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "UPDATE batches SET file_digest = ?2, closed_at = ?3 WHERE id = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, batch_id);
      sqlite3_bind_text (stmt, 2, info->file_digest, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, info->closed_at);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v2 (db, "UPDATE signatures SET exported = 1 WHERE batch_id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, batch_id);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  /* The write lock has been held since the counts were copied, so
   * exactly those are marked. */
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v2 (db, "UPDATE sheet_counts SET exported = 1 WHERE petition_id = ?1 AND exported = 0",
                             -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, info->petition_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
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
  sqlite3_stmt *stmt = NULL;
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
  sqlite3_finalize (stmt);
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
  sqlite3_stmt *stmt = NULL;
  gint64 batch_id = 0;
  gboolean open_batch = FALSE;
  int rc;

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

  rc = sqlite3_prepare_v2 (db, "SELECT id, uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at "
                           "FROM batches WHERE " PK_BATCH_PENDING_WHERE
                           " ORDER BY closed_at IS NULL, id LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      batch_id = sqlite3_column_int64 (stmt, 0);
      info->uuid = pk_batch_dup_text (stmt, 1);
      info->petition_id = pk_batch_dup_text (stmt, 2);
      info->kiosk_id = pk_batch_dup_text (stmt, 3);
      info->kiosk_name = pk_batch_dup_text (stmt, 4);
      info->event = pk_batch_dup_text (stmt, 5);
      /* A batch opened before the admin named the kiosk or the event
       * (the first one, at first run) takes the names set since. */
      if (info->kiosk_name == NULL)
        info->kiosk_name = pk_store_get_setting (store, PK_SETTING_KIOSK_NAME);
      if (info->event == NULL)
        info->event = pk_store_get_setting (store, PK_SETTING_EVENT);
      info->opened_at = sqlite3_column_int64 (stmt, 6);
      open_batch = sqlite3_column_type (stmt, 7) == SQLITE_NULL;
      info->closed_at = open_batch ? g_get_real_time () : sqlite3_column_int64 (stmt, 7);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        pk_batch_fail (error, PK_BATCH_ERROR_FAILED,
                       _("There is nothing to close: no signature and no sheet count since the last batch"));
      else
        pk_store_set_error_from_sqlite (store, rc, _("reading the batch"), error);
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

gint64
pk_store_count_exported (PkStore *store)
{
  g_return_val_if_fail (PK_IS_STORE (store), -1);
  return pk_batch_count (pk_store_get_db (store), "SELECT count(*) FROM signatures WHERE exported = 1");
}

/* Set while wiped rows may still be on disk (see pk_store_finish_wipe). */
#define PK_SETTING_WIPE_PENDING "wipe-pending"

/* Copies every WAL frame back into the database and truncates the WAL,
 * without waiting for readers: TRUE only when both happened. A reader
 * holding a snapshot from before the wipe needs the old pages, so the
 * database file keeps them until it is done. */
static gboolean
pk_batch_truncate_wal (sqlite3 *db)
{
  int n_log = -1, n_done = -1;
  int rc;

  sqlite3_busy_timeout (db, 0);
  rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &n_log, &n_done);
  sqlite3_busy_timeout (db, PK_STORE_BUSY_TIMEOUT_MS);
  return rc == SQLITE_OK && n_log == n_done;
}

gint64
pk_store_wipe_exported (PkStore  *store,
                        GError  **error)
{
  sqlite3 *db;
  int rc;
  gint64 n;

  g_return_val_if_fail (PK_IS_STORE (store), -1);

  db = pk_store_get_db (store);
  if (!pk_store_begin (store, error))
    return -1;
  /* The store runs with secure_delete on, so the deleted rows' bytes
   * are overwritten in the database pages, not just unlinked. The flag
   * goes in with the deletion: a crash before the checkpoint below
   * leaves it set, and the wipe is finished later. */
  rc = sqlite3_exec (db, "DELETE FROM signatures WHERE exported = 1", NULL, NULL, NULL);
  n = sqlite3_changes64 (db);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_sqlite (store, rc, _("wiping the exported signatures"), error);
      pk_store_rollback (store);
      return -1;
    }
  if (n > 0 && !pk_store_set_setting_unlocked (store, PK_SETTING_WIPE_PENDING, "1", error))
    {
      pk_store_rollback (store);
      return -1;
    }
  if (!pk_store_commit (store, error))
    return -1;

  pk_store_finish_wipe (store);
  return n;
}

gboolean
pk_store_wipe_pending (PkStore *store)
{
  g_autofree char *pending = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);
  pending = pk_store_get_setting (store, PK_SETTING_WIPE_PENDING);
  return pending != NULL;
}

gboolean
pk_store_finish_wipe (PkStore *store)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);

  if (!pk_store_wipe_pending (store))
    return TRUE;
  /* The zeroed pages go from the WAL into the database file over the
   * old ones, and the WAL, which also holds older copies, is emptied. */
  if (!pk_batch_truncate_wal (pk_store_get_db (store)))
    return FALSE;
  /* Clearing the flag writes only the settings page to the new WAL. */
  if (!pk_store_set_setting (store, PK_SETTING_WIPE_PENDING, NULL, &error))
    g_warning ("the wipe is finished, but cannot be noted: %s", error->message);
  return TRUE;
}
