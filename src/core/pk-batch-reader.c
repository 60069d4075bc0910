/* pk-batch-reader.c: reading and verifying batch files
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
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pk-batch-private.h"
#include "pk-safe-text.h"
#include "pk-sheets.h"

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
      pk_batch_fail_resource (error, _("Cannot start SQLite"),
                              db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (SQLITE_NOMEM));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/* Every (type, name, tbl_name, sql) of @db's schema, one string. */
static char *
pk_batch_describe_schema (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name, type",
                          -1, &stmt, NULL) != SQLITE_OK)
    return g_string_free (out, TRUE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int c = 0; c < 4; c++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);

        g_string_append_printf (out, "%zu:%s;", text ? strlen (text) : 0, text ? text : "(null)");
      }
  if (rc != SQLITE_DONE)
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

          for (guint i = 0; i < PK_BATCH_N_SCHEMA_STATEMENTS && ok; i++)
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
    return pk_batch_fail_resource (error, _("Cannot harden SQLite"), sqlite3_errmsg (db));

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

static gboolean
pk_batch_read_header (PkBatchReader  *self,
                      GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  PkBatchInfo *info = self->info;
  gboolean ok;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT " PK_BATCH_HEADER_COLUMNS " FROM batch",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
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
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
      ok = rc == SQLITE_DONE;
    }
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

static gboolean
pk_batch_verify_signature (PkBatchReader  *self,
                           GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint8 digest[PK_BATCH_DIGEST_BYTES];
  guint8 signature[PK_BATCH_SIGNATURE_BYTES];
  gboolean have = FALSE;
  int rc = sqlite3_prepare_v2 (self->db, "SELECT signature FROM batch", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  if (rc == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) == SQLITE_BLOB
      && sqlite3_column_bytes (stmt, 0) == PK_BATCH_SIGNATURE_BYTES)
    {
      memcpy (signature, sqlite3_column_blob (stmt, 0), sizeof signature);
      have = TRUE;
    }
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, pk_batch_sealed_keys_query (self->format), -1, &stmt, NULL) != SQLITE_OK)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
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
        return pk_batch_fail (error, PK_BATCH_ERROR_INVALID, _("The batch holds a malformed sealed key"));
      g_hash_table_insert (self->sealed_keys, g_memdup2 (&id, sizeof id),
                           g_bytes_new (sqlite3_column_blob (stmt, 1), n));
      if (key_type == SQLITE_BLOB)
        g_hash_table_insert (self->coordinator_keys, g_memdup2 (&id, sizeof id),
                             g_bytes_new (sqlite3_column_blob (stmt, 2), PK_COORDINATOR_KEY_BYTES));
    }
  if (rc != SQLITE_DONE)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  return TRUE;
}

/* Reads the file at @path into a new sqlite3_malloc64() buffer, once:
 * what is verified is then exactly what is imported, even if the USB
 * stick's file changes. */
static guint8 *
pk_batch_read_image (const char  *path,
                     gsize       *out_length,
                     GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) finfo = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 *image;
  goffset size;

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
      pk_batch_fail_resource (error, _("Cannot read the batch"), sqlite3_errstr (SQLITE_NOMEM));
      return NULL;
    }
  /* The file opened: an error now is the disk's or the stick's, and the
   * same file may read well once it is copied again. */
  if (!g_input_stream_read_all (G_INPUT_STREAM (input), image, (gsize) size + 1, out_length, NULL, &local_error))
    {
      sqlite3_free (image);
      pk_batch_fail_resource (error, _("Cannot read the batch"), local_error->message);
      return NULL;
    }
  if (*out_length > (gsize) size)
    {
      sqlite3_free (image);
      pk_batch_fail (error, PK_BATCH_ERROR_FAILED, _("The file changed while it was being read"));
      return NULL;
    }

  return image;
}

/* Judges @image by hand, then opens it, hardened and read-only, as
 * self->db. Takes @image, whatever happens. */
static gboolean
pk_batch_open_image (PkBatchReader  *self,
                     guint8         *image,
                     gsize           length,
                     GError        **error)
{
  int rc;

  self->info->file_digest = pk_batch_hex_digest (image, length);
  if (!pk_batch_check_header (image, length, &self->format, error))
    {
      sqlite3_free (image);
      return FALSE;
    }

  self->db = pk_batch_open_memory (error);
  if (self->db == NULL || !pk_batch_harden (self->db, error))
    {
      sqlite3_free (image);
      return FALSE;
    }
  /* With FREEONCLOSE, SQLite frees the image even when this fails
   * (https://sqlite.org/c3ref/deserialize.html). It only hands the
   * image over, reading none of it, so a failure is never the file's:
   * the ATTACH it runs on this fresh in-memory connection can only run
   * out of memory, which it returns as SQLITE_ERROR ("SQL logic error")
   * or as SQLITE_NOMEM with the connection's own code still "not an
   * error". */
  rc = sqlite3_deserialize (self->db, "main", image, length, length,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK)
    return pk_batch_fail_resource (error, _("Cannot open the batch"),
                                   sqlite3_errstr (rc == SQLITE_ERROR ? SQLITE_NOMEM : rc));
  return TRUE;
}

/* Everything but the rows' values, checked before any row is handed
 * out: the exact schema, quick_check, the header row, the counts it
 * promises, the signature and the sealed keys. */
static gboolean
pk_batch_check_contents (PkBatchReader  *self,
                         GError        **error)
{
  g_autofree char *schema = pk_batch_describe_schema (self->db);
  gint64 n_rows;
  gint64 n_sealed_keys;
  int rc;

  if (schema == NULL)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("The batch file is damaged"));
  if (!g_str_equal (schema, pk_batch_expected_schema (self->format)))
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file's tables were changed"));
  rc = pk_sqlite_quick_check (self->db);
  if (rc == SQLITE_CORRUPT)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("The batch file is damaged"));
  if (rc != SQLITE_OK)
    return pk_batch_fail_sqlite_rc (error, PK_BATCH_ERROR_TAMPERED, rc, sqlite3_errstr (rc), _("Cannot read the batch"));
  if (!pk_batch_read_header (self, error))
    return FALSE;

  /* Counting first costs a scan of an in-memory image and keeps the
   * digest below from running over more rows than promised. */
  n_rows = pk_batch_count (self->db, "SELECT count(*) FROM signatures");
  n_sealed_keys = n_rows < 0 ? -1 : pk_batch_count (self->db, "SELECT count(*) FROM sealed_keys");
  if (n_sealed_keys < 0)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  if (n_rows != self->info->n_rows || n_sealed_keys != self->info->n_sealed_keys)
    return pk_batch_fail (error, PK_BATCH_ERROR_TAMPERED, _("Rows were added to or removed from the batch"));
  /* Sheet counts have no count in the header (removing one changes the
   * digest all the same); this bounds the digest's work. */
  self->info->n_sheet_counts = pk_batch_count (self->db, "SELECT count(*) FROM sheet_counts");
  if (self->info->n_sheet_counts < 0)
    return pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  if (self->info->n_sheet_counts > PK_BATCH_MAX_ROWS)
    return pk_batch_fail (error, PK_BATCH_ERROR_TOO_LARGE, _("The batch holds too many sheet counts"));

  return pk_batch_verify_signature (self, error) && pk_batch_load_sealed_keys (self, error);
}

PkBatchReader *
pk_batch_reader_open (const char  *path,
                      GError     **error)
{
  g_autoptr(PkBatchReader) self = g_new0 (PkBatchReader, 1);
  guint8 *image;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      pk_batch_fail_resource (error, _("Cannot read the batch"), _("The cryptography library could not start"));
      return NULL;
    }

  self->info = g_new0 (PkBatchInfo, 1);
  self->sealed_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  self->coordinator_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                  (GDestroyNotify) g_bytes_unref);

  image = pk_batch_read_image (path, &length, error);
  if (image == NULL
      || !pk_batch_open_image (self, image, length, error)
      || !pk_batch_check_contents (self, error))
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
      pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
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

/* Steps @stmt, one of the reader's cursors: TRUE on a row, FALSE at
 * the end or, with @error set, on a failure. */
static gboolean
pk_batch_reader_step (PkBatchReader  *self,
                      sqlite3_stmt   *stmt,
                      GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    pk_batch_fail_sqlite (error, PK_BATCH_ERROR_TAMPERED, self->db, _("Cannot read the batch"));
  return FALSE;
}

gboolean
pk_batch_reader_next_row (PkBatchReader  *self,
                          PkBatchRow     *row,
                          GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (self != NULL && row != NULL, FALSE);

  stmt = self->rows;
  if (!pk_batch_reader_step (self, stmt, error))
    return FALSE;

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

  g_return_val_if_fail (self != NULL && count != NULL, FALSE);

  stmt = self->sheet_counts;
  if (!pk_batch_reader_step (self, stmt, error))
    return FALSE;

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
pk_batch_reader_rewind (PkBatchReader *self)
{
  g_return_if_fail (self != NULL);

  sqlite3_reset (self->rows);
  sqlite3_reset (self->sheet_counts);
  self->rows_seen = 0;
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
