/* pk-export.c: CSV and OSDI JSON exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-export"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <time.h>

#include "pk-atomic.h"
#include "pk-export.h"
#include "pk-osdi.h"
#include "pk-store-private.h"

/* Output is gathered in memory and written in chunks of this size. */
#define PK_EXPORT_CHUNK (1024 * 1024)

/* The duplicates table exists only once the merge migration ran, which
 * every store has; the LEFT JOINs keep kiosk databases working too. */
#define PK_EXPORT_SQL_HEAD \
  "SELECT s.uuid, s.signed_at, s.source, s.lang, s.consent_hash, s.opt_in, s.sheet_serial, " \
  "s.sheet_line, s.payload, s.key_id, b.uuid, b.kiosk_id, b.kiosk_name, b.event, " \
  "i.kiosk_fingerprint, d.kept_uuid, d.rule, s.sensitive_consent_hash " \
  "FROM signatures s JOIN batches b ON b.id = s.batch_id " \
  "LEFT JOIN merge_imports i ON i.batch_id = b.id " \
  "LEFT JOIN merge_duplicates d ON d.uuid = s.uuid "
#define PK_EXPORT_SQL_KEPT PK_EXPORT_SQL_HEAD "WHERE d.uuid IS NULL ORDER BY s.signed_at, s.uuid"
#define PK_EXPORT_SQL_ALL  PK_EXPORT_SQL_HEAD "ORDER BY s.signed_at, s.uuid"

enum {
  COL_UUID, COL_SIGNED_AT, COL_SOURCE, COL_LANG, COL_CONSENT_HASH, COL_OPT_IN,
  COL_SHEET_SERIAL, COL_SHEET_LINE, COL_PAYLOAD, COL_KEY_ID, COL_BATCH_UUID,
  COL_KIOSK_ID, COL_KIOSK_NAME, COL_EVENT, COL_KIOSK_FINGERPRINT, COL_KEPT_UUID,
  COL_RULE, COL_SENSITIVE_CONSENT_HASH,
};

G_DEFINE_QUARK (pk-export-error-quark, pk_export_error)

gboolean
pk_export_format_from_string (const char     *name,
                              PkExportFormat *out_format)
{
  if (g_strcmp0 (name, "csv") == 0)
    *out_format = PK_EXPORT_CSV;
  else if (g_strcmp0 (name, "osdi-json") == 0)
    *out_format = PK_EXPORT_OSDI_JSON;
  else
    return FALSE;
  return TRUE;
}

/* TRUE when a spreadsheet would evaluate a cell starting at @p: with
 * '=', '+', '-', '@', tab or CR, or the full-width ＝ ＋ － ＠ (U+FF1D,
 * U+FF0B, U+FF0D, U+FF20) that spreadsheets in East Asian locales take
 * for them; or with a single quote, which is escaped so that removing
 * the quotes added stays exact. */
static gboolean
pk_export_needs_quote_mark (const char *p)
{
  static const gunichar full_width[] = { 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20 };
  gunichar c;

  if (*p != '\0' && strchr ("=+-@\t\r'", *p) != NULL)
    return TRUE;
  if ((guchar) *p < 0x80)
    return FALSE;
  c = g_utf8_get_char_validated (p, -1);
  for (guint i = 0; i < G_N_ELEMENTS (full_width); i++)
    if (c == full_width[i])
      return TRUE;
  return FALSE;
}

/* A spreadsheet that splits on ';' or tab (German and French Excel,
 * LibreOffice's guess) or reads a line break unquoted starts a cell
 * after these, whatever the RFC 4180 quotes say: it honours a quote
 * only at the start of what it takes for a field. */
static gboolean
pk_export_starts_cell (char c)
{
  return c == ';' || c == '\t' || c == '\r' || c == '\n';
}

void
pk_export_append_csv_cell (GString    *out,
                           const char *value)
{
  gboolean quote;

  if (value == NULL)
    return;

  /* OWASP's advice for CSV injection, at every place where some
   * spreadsheet starts a cell: the start of the value and after each
   * ';', tab, CR or LF. A single quote goes in front of what would be
   * evaluated there. Quoting per RFC 4180 covers ',' and also ';', tab
   * and '|' (which starts a DDE call) for readers that honour it. */
  quote = strpbrk (value, ",\"\r\n;\t|") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if ((p == value || pk_export_starts_cell (p[-1])) && pk_export_needs_quote_mark (p))
        g_string_append_c (out, '\'');
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

static void
pk_export_append_digits (GString *out,
                         guint    value,
                         guint    width)
{
  char buf[16];

  for (guint i = width; i > 0; i--)
    {
      buf[i - 1] = '0' + value % 10;
      value /= 10;
    }
  g_string_append_len (out, buf, width);
}

/* ISO 8601 in UTC with microseconds, without printf: a million rows
 * make the difference measurable. */
static void
pk_export_format_time (GString *out,
                       gint64   usec)
{
  time_t secs = (time_t) (usec / G_USEC_PER_SEC);
  gint64 frac = usec % G_USEC_PER_SEC;
  struct tm tm;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs--;
    }
  gmtime_r (&secs, &tm);
  pk_export_append_digits (out, (guint) (tm.tm_year + 1900), 4);
  g_string_append_c (out, '-');
  pk_export_append_digits (out, (guint) tm.tm_mon + 1, 2);
  g_string_append_c (out, '-');
  pk_export_append_digits (out, (guint) tm.tm_mday, 2);
  g_string_append_c (out, 'T');
  pk_export_append_digits (out, (guint) tm.tm_hour, 2);
  g_string_append_c (out, ':');
  pk_export_append_digits (out, (guint) tm.tm_min, 2);
  g_string_append_c (out, ':');
  pk_export_append_digits (out, (guint) tm.tm_sec, 2);
  g_string_append_c (out, '.');
  pk_export_append_digits (out, (guint) frac, 6);
  g_string_append_c (out, 'Z');
}

/* GVariant framing offsets: their width depends on the container size. */
static gsize
pk_export_offset_size (gsize container_size)
{
  if (container_size == 0)
    return 0;
  if (container_size <= G_MAXUINT8)
    return 1;
  if (container_size <= G_MAXUINT16)
    return 2;
  if (container_size <= G_MAXUINT32)
    return 4;
  return 8;
}

static gsize
pk_export_read_offset (const guint8 *p,
                       gsize         width)
{
  gsize value = 0;

  for (gsize i = width; i > 0; i--)
    value = (value << 8) | p[i - 1];
  return value;
}

/* The signer fields of a stored payload, pointing into @data (valid as
 * long as it is). This reads the serialized GVariant "(ya{ys}ay)",
 * version 1, that pk_signature_serialize() writes (little-endian, normal
 * form) straight from its bytes: the tuple's one framing offset gives
 * the end of the a{ys}; the array's offset table the end of each
 * {ys} entry, a key byte then a NUL-terminated string. Every offset and
 * string is bounds-checked. The CSV export reads a million payloads, and
 * going through GVariant's accessors cost more than all of SQLite's
 * work. Anything unexpected returns FALSE, and the caller takes the
 * strict path (pk_signature_deserialize), which reports the error. */
gboolean
pk_export_peek_fields (const guint8 *data,
                       gsize         size,
                       const char   *fields[PK_N_FIELDS])
{
  gsize width, dict_end, array_size, array_width, table_start, n, start;
  const guint8 *array;

  memset (fields, 0, sizeof (const char *) * PK_N_FIELDS);
  if (data == NULL || size < 2 || data[0] != 1)
    return FALSE;

  width = pk_export_offset_size (size);
  if (size < 1 + width)
    return FALSE;
  dict_end = pk_export_read_offset (data + size - width, width);
  if (dict_end < 1 || dict_end > size - width)
    return FALSE;

  array = data + 1;
  array_size = dict_end - 1;
  if (array_size == 0)
    return TRUE;
  array_width = pk_export_offset_size (array_size);
  if (array_size < array_width)
    return FALSE;
  table_start = pk_export_read_offset (array + array_size - array_width, array_width);
  if (table_start > array_size - array_width || (array_size - table_start) % array_width != 0)
    return FALSE;
  n = (array_size - table_start) / array_width;

  start = 0;
  for (gsize i = 0; i < n; i++)
    {
      gsize end = pk_export_read_offset (array + table_start + i * array_width, array_width);
      const guint8 *entry = array + start;
      gsize length;
      guint8 index;

      if (end < start + 2 || end > table_start)
        return FALSE;
      length = end - start - 1;  /* the string with its NUL */
      index = entry[0];
      if (index >= PK_N_FIELDS || fields[index] != NULL || length < 2
          || entry[length] != '\0' || memchr (entry + 1, '\0', length - 1) != NULL
          || !g_utf8_validate ((const char *) entry + 1, length - 1, NULL))
        return FALSE;
      fields[index] = (const char *) entry + 1;
      start = end;
    }
  return start == table_start;
}

static const char *
pk_export_text (PkDbStmt *stmt,
                int       column)
{
  return pk_db_column_text (stmt, column);
}

static gboolean
pk_export_flush (PkAtomicFile  *file,
                 GString       *buffer,
                 gboolean       force,
                 GError       **error)
{
  if (buffer->len < PK_EXPORT_CHUNK && !force)
    return TRUE;
  if (!pk_atomic_file_write (file, buffer->str, buffer->len, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static void
pk_export_csv_header (GString       *out,
                      PkExportFlags  flags)
{
  if (flags & PK_EXPORT_FLAGS_BOM)
    g_string_append (out, "\xEF\xBB\xBF");
  g_string_append (out, "uuid,signed_at");
  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_string_append_printf (out, ",%s", pk_field_to_string (i));
  g_string_append (out, ",lang,source,opt_in,consent_hash,sensitive_consent_hash,kiosk_id,kiosk_name,"
                        "kiosk_fingerprint,event,batch,sheet_serial,sheet_line");
  if (flags & PK_EXPORT_FLAGS_INCLUDE_DUPLICATES)
    g_string_append (out, ",duplicate_of,duplicate_rule");
  g_string_append (out, "\r\n");
}

static void
pk_export_csv_row (GString           *out,
                   PkDbStmt          *stmt,
                   const char *const *fields,
                   PkExportFlags      flags)
{
  /* Where the row came from, in the header's order. */
  static const int provenance[] = {
    COL_KIOSK_ID, COL_KIOSK_NAME, COL_KIOSK_FINGERPRINT, COL_EVENT, COL_BATCH_UUID, COL_SHEET_SERIAL,
  };

  pk_export_append_csv_cell (out, pk_export_text (stmt, COL_UUID));
  g_string_append_c (out, ',');
  pk_export_format_time (out, pk_db_column_int64 (stmt, COL_SIGNED_AT));
  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_string_append_c (out, ',');
      pk_export_append_csv_cell (out, fields[i]);
    }
  g_string_append_c (out, ',');
  pk_export_append_csv_cell (out, pk_export_text (stmt, COL_LANG));
  g_string_append_c (out, ',');
  pk_export_append_csv_cell (out, pk_export_text (stmt, COL_SOURCE));
  g_string_append (out, pk_db_column_int64 (stmt, COL_OPT_IN) ? ",yes," : ",no,");
  pk_export_append_csv_cell (out, pk_export_text (stmt, COL_CONSENT_HASH));
  g_string_append_c (out, ',');
  pk_export_append_csv_cell (out, pk_export_text (stmt, COL_SENSITIVE_CONSENT_HASH));
  for (guint i = 0; i < G_N_ELEMENTS (provenance); i++)
    {
      g_string_append_c (out, ',');
      pk_export_append_csv_cell (out, pk_export_text (stmt, provenance[i]));
    }
  g_string_append_c (out, ',');
  if (pk_db_column_type (stmt, COL_SHEET_SERIAL) != PK_DB_TYPE_NULL)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) pk_db_column_int64 (stmt, COL_SHEET_LINE));
  if (flags & PK_EXPORT_FLAGS_INCLUDE_DUPLICATES)
    {
      g_string_append_c (out, ',');
      pk_export_append_csv_cell (out, pk_export_text (stmt, COL_KEPT_UUID));
      g_string_append_c (out, ',');
      pk_export_append_csv_cell (out, pk_export_text (stmt, COL_RULE));
    }
  g_string_append (out, "\r\n");
}

static void
pk_export_json_row (GString           *out,
                    PkDbStmt          *stmt,
                    PkSignature       *sig,
                    PkExportFlags      flags,
                    gboolean           first)
{
  PkOsdiOrigin origin = {
    .kiosk_name = pk_export_text (stmt, COL_KIOSK_NAME),
    .event = pk_export_text (stmt, COL_EVENT),
  };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;

  g_free (sig->uuid);
  sig->uuid = g_strdup (pk_export_text (stmt, COL_UUID));
  sig->signed_at = pk_db_column_int64 (stmt, COL_SIGNED_AT);
  g_free (sig->lang);
  sig->lang = g_strdup (pk_export_text (stmt, COL_LANG));
  sig->source = g_strcmp0 (pk_export_text (stmt, COL_SOURCE), "paper") == 0 ? PK_SOURCE_PAPER : PK_SOURCE_KIOSK;
  sig->opt_in = pk_db_column_int64 (stmt, COL_OPT_IN) != 0;
  sig->consent = TRUE;

  node = pk_osdi_signature_new (sig, &origin);
  if ((flags & PK_EXPORT_FLAGS_INCLUDE_DUPLICATES)
      && pk_db_column_type (stmt, COL_KEPT_UUID) != PK_DB_TYPE_NULL
      && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *kept = g_strconcat (PK_OSDI_IDENTIFIER_PREFIX,
                                           pk_export_text (stmt, COL_KEPT_UUID), NULL);

      json_object_set_string_member (json_node_get_object (node), "petition_kiosk:duplicate_of", kept);
    }
  /* The separate consent to data revealing a political opinion is what
   * lets the organizer process this signature at all (GDPR Art. 9(2)(a),
   * PIPA Art. 23), so the record of it goes wherever the signature goes. */
  if (pk_db_column_type (stmt, COL_SENSITIVE_CONSENT_HASH) != PK_DB_TYPE_NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_string_member (json_node_get_object (node), "petition_kiosk:sensitive_consent_hash",
                                   pk_export_text (stmt, COL_SENSITIVE_CONSENT_HASH));
  data = json_to_string (node, FALSE);
  g_string_append (out, first ? "\n" : ",\n");
  g_string_append (out, data);
}

/* Appends the row @stmt is on to @out, in @format; @first: the first
 * row, which a JSON array writes without a comma before it. */
static gboolean
pk_export_row (PkDbStmt       *stmt,
               PkExportFormat  format,
               PkExportFlags   flags,
               gboolean        first,
               GString        *out,
               GError        **error)
{
  g_autoptr(PkSignature) sig = NULL;
  g_autoptr(GBytes) payload = NULL;
  const guint8 *data;
  gsize size;
  const char *fields[PK_N_FIELDS];

  if (pk_db_column_type (stmt, COL_KEY_ID) != PK_DB_TYPE_NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("This database holds encrypted signatures: close a batch and merge it with the coordinator's key first"));
      return FALSE;
    }
  data = pk_db_column_blob (stmt, COL_PAYLOAD, &size);

  if (format == PK_EXPORT_CSV && pk_export_peek_fields (data, size, fields))
    {
      pk_export_csv_row (out, stmt, fields, flags);
      return TRUE;
    }

  sig = pk_signature_new ();
  payload = g_bytes_new_static (data, size);
  if (!pk_signature_deserialize (sig, payload, error))
    return FALSE;
  if (format == PK_EXPORT_CSV)
    pk_export_csv_row (out, stmt, (const char * const *) sig->fields, flags);
  else
    pk_export_json_row (out, stmt, sig, flags, first);
  return TRUE;
}

/* Puts the written @file in place of @path, and says plainly when it
 * is there but the disk did not confirm it. */
static gboolean
pk_export_commit (PkAtomicFile *file,
                  const char   *path,
                  GError      **error)
{
  g_autoptr(GError) commit_error = NULL;

  if (pk_atomic_file_commit (file, TRUE, &commit_error))
    return TRUE;

  if (pk_atomic_file_is_in_place (file))
    {
      g_autofree char *display = g_filename_display_name (path);

      /* Not "nothing was written": the coordinator must not go
       * looking for an older file that this one has replaced. */
      g_set_error (error, PK_EXPORT_ERROR, PK_EXPORT_ERROR_UNCONFIRMED,
                   _("The export is written in full to %s, but the disk did not confirm "
                     "that it is stored safely (%s). Check the file after removing the "
                     "drive safely, or export again."),
                   display, commit_error->message);
    }
  else
    g_propagate_error (error, g_steal_pointer (&commit_error));
  return FALSE;
}

gint64
pk_export_write (PkStore        *store,
                 PkExportFormat  format,
                 PkExportFlags   flags,
                 const char     *path,
                 GError        **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autoptr(PkAtomicFile) file = NULL;
  g_autoptr(GString) out = g_string_sized_new (PK_EXPORT_CHUNK + 65536);
  PkDb *conn;
  gboolean own;
  gint64 n = 0;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (store), -1);
  g_return_val_if_fail (path != NULL, -1);

  conn = pk_store_get_conn (store);
  /* Signer data: not readable by other users of the machine. */
  file = pk_atomic_file_new (path, 0600, error);
  if (file == NULL)
    return -1;

  /* One read transaction: a merge running meanwhile cannot make the
   * export a mix of before and after. A read-only master on PostgreSQL
   * is in one already. */
  own = !pk_db_in_transaction (conn);
  if (own && !pk_db_begin (conn, PK_DB_READ, error))
    return -1;
  stmt = pk_db_prepare (conn, (flags & PK_EXPORT_FLAGS_INCLUDE_DUPLICATES) ? PK_EXPORT_SQL_ALL : PK_EXPORT_SQL_KEPT,
                        _("reading the signatures"), error);
  if (stmt == NULL)
    {
      if (own)
        pk_db_rollback (conn);
      return -1;
    }

  if (format == PK_EXPORT_CSV)
    pk_export_csv_header (out, flags);
  else
    g_string_append_c (out, '[');

  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      if (!pk_export_row (stmt, format, flags, n == 0, out, error) ||
          !pk_export_flush (file, out, FALSE, error))
        {
          step = PK_DB_STEP_ERROR;
          break;
        }
      n++;
    }
  g_clear_pointer (&stmt, pk_db_stmt_free);
  if (own)
    pk_db_rollback (conn);
  if (step != PK_DB_STEP_DONE)
    return -1;

  if (format == PK_EXPORT_OSDI_JSON)
    g_string_append (out, n > 0 ? "\n]\n" : "]\n");
  /* Checked before the file replaces @path: an export read from a file
   * that changed meanwhile is dropped, never left in its place. */
  if (!pk_export_flush (file, out, TRUE, error)
      || !pk_store_check_unchanged (store, error))
    return -1;
  if (!pk_export_commit (file, path, error))
    return -1;

  return n;
}
