/* pk-copy-master.c: moving a master between SQLite and PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both ends are reached through pk-db.h, so one loop copies any
 * direction. Rows go in primary-key order and in the order the foreign
 * keys need (batches and sealed keys before the signatures naming
 * them). The tables SQLite keeps by triggers (counts, sync_counts) are
 * not copied: SQLite's triggers fill them as the rows arrive, and
 * PostgreSQL computes them (pk-store-pg.c).
 */
#define G_LOG_DOMAIN "pk-copy-master"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pk-copy-master.h"
#include "pk-pg-location.h"
#include "pk-store-private.h"

typedef struct {
  const char *table;
  const char *columns;
  const char *order;
} PkCopyTable;

/* Every table of a master at SQLite schema 14 / PostgreSQL schema 1,
 * with the columns both have. */
static const PkCopyTable pk_copy_tables[] = {
  { "settings", "key, value", "key" },
  { "batches", "id, uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at, origin, file_digest", "id" },
  { "sealed_keys", "id, sealed, coordinator_key", "id" },
  { "signatures", "id, uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, opt_in, sheet_serial, "
                  "sheet_line, payload, key_id, exported, sensitive_consent_hash, dedup_key", "id" },
  { "merge_signers", "petition_id, signer_key, kept_uuid, kept_signed_at", "petition_id, signer_key" },
  { "merge_duplicates", "uuid, kept_uuid, rule", "uuid" },
  { "merge_imports", "batch_id, kiosk_key, kiosk_fingerprint, petition_version, n_rows, imported_at, merged_by",
    "batch_id" },
  { "merge_rejected", "file_digest, name, reason, message, rejected_at", "file_digest, reason" },
  { "sync_state", "uuid, state, remote_id, error, updated_at, reason", "uuid" },
  { "sheet_counts", "serial, petition_id, count, entered_at, exported, batch_uuid", "serial" },
  { "merge_sheet_counts", "serial, batch_uuid, petition_id, count, entered_at", "serial, batch_uuid" },
  { "merge_sealed", "uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, opt_in, sheet_serial, "
                    "sheet_line, sealed_key, coordinator_key, payload, sensitive_consent_hash", "uuid" },
  { "merge_kiosk_keys", "kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, first_seen, trusted",
    "kiosk_id, kiosk_key" },
  /* Last: a kiosk's record of struck paper lines, which no master
   * writes; the emptiness check below leaves it out for that reason. */
  { "paper_strikes", "uuid, petition_id, sheet_serial, sheet_line, signed_at, struck_at, kiosk_id, replaced_by",
    "uuid" },
};

/* The tables whose rows a master that was ever used holds: no batch
 * and no setting means nothing was ever merged or set. */
static const char * const pk_copy_used_tables[] = {
  "settings", "batches", "merge_rejected", "merge_kiosk_keys", "sheet_counts", "sync_state",
};

static char *
placeholders (const char *columns)
{
  g_auto(GStrv) names = g_strsplit (columns, ",", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "%s?%u", i > 0 ? ", " : "", i + 1);
  return g_string_free (out, FALSE);
}

/* Binds column @c of @from's row to parameter @c + 1 of @to, as it is. */
static void
bind_column (PkDbStmt *to,
             PkDbStmt *from,
             int       c)
{
  gsize length = 0;
  const guint8 *data;

  switch (pk_db_column_type (from, c))
    {
    case PK_DB_TYPE_INT64:
      pk_db_bind_int64 (to, c + 1, pk_db_column_int64 (from, c));
      break;
    case PK_DB_TYPE_TEXT:
      pk_db_bind_text (to, c + 1, pk_db_column_text (from, c));
      break;
    case PK_DB_TYPE_BLOB:
      data = pk_db_column_blob (from, c, &length);
      /* An empty blob is still a blob, not NULL. */
      pk_db_bind_blob (to, c + 1, data != NULL ? data : (const guint8 *) "", length);
      break;
    case PK_DB_TYPE_NULL:
    default:
      pk_db_bind_null (to, c + 1);
      break;
    }
}

static gboolean
copy_table (PkDb               *from,
            PkDb               *to,
            const PkCopyTable  *table,
            gint64             *out_rows,
            GError            **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s",
                                                 table->columns, table->table, table->order);
  g_autofree char *values = placeholders (table->columns);
  g_autofree char *insert_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)",
                                                 table->table, table->columns, values);
  g_autofree char *reading = g_strdup_printf (_("reading the table %s"), table->table);
  g_autofree char *writing = g_strdup_printf (_("copying the table %s"), table->table);
  g_autoptr(PkDbStmt) select = pk_db_prepare (from, select_sql, reading, error);
  g_autoptr(PkDbStmt) insert = NULL;
  PkDbStep step;

  *out_rows = 0;
  if (select == NULL || (insert = pk_db_prepare (to, insert_sql, writing, error)) == NULL)
    return FALSE;

  while ((step = pk_db_step (select, error)) == PK_DB_STEP_ROW)
    {
      for (int c = 0; c < pk_db_column_count (select); c++)
        bind_column (insert, select, c);
      if (pk_db_step (insert, error) != PK_DB_STEP_DONE)
        return FALSE;
      (*out_rows)++;
    }
  return step == PK_DB_STEP_DONE;
}

/* Whether the master @conn (@location) is empty; FALSE with @error when
 * it is not, or cannot be read. */
static gboolean
check_empty (PkDb        *conn,
             const char  *location,
             GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (pk_copy_used_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT CAST (count(*) AS BIGINT) FROM (SELECT 1 FROM %s LIMIT 1) AS t",
                                              pk_copy_used_tables[i]);
      gint64 n = 0;

      if (!pk_db_query_int64 (conn, sql, _("looking into the target"), &n, error))
        return FALSE;
      if (n > 0)
        {
          g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                       _("%s is not empty (its table %s holds rows). copy-master only copies into a new, "
                         "empty master, and left it as it is."),
                       location, pk_copy_used_tables[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* The identity columns continue after the ids copied, so that rows
 * added later do not take an id that is there already. */
static gboolean
advance_identities (PkDb    *conn,
                    GError **error)
{
  static const char * const tables[] = { "batches", "sealed_keys", "signatures" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', 'id'), "
                                              "coalesce (max (id), 0) + 1, false) FROM %s",
                                              tables[i], tables[i]);

      if (!pk_db_exec (conn, sql, _("saving the copy"), error))
        return FALSE;
    }
  return TRUE;
}

/* Inside @to's transaction: copies every table from @from. */
static gint64
copy_all (PkStore   *source,
          PkDb      *to,
          gboolean   to_postgresql,
          GError   **error)
{
  PkDb *from = pk_store_get_conn (source);
  gint64 n_signatures = 0;
  gboolean ok = TRUE;
  /* Every table from one snapshot of the source; a master on
   * PostgreSQL opened for reading is in one already. */
  gboolean own = !pk_db_in_transaction (from);

  if (own && !pk_db_begin (from, PK_DB_READ, error))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (pk_copy_tables) && ok; i++)
    {
      gint64 n = 0;

      ok = copy_table (from, to, &pk_copy_tables[i], &n, error);
      if (g_str_equal (pk_copy_tables[i].table, "signatures"))
        n_signatures = n;
    }
  if (own)
    pk_db_rollback (from);
  /* A SQLite source read without locks must not have changed under
   * the copy (pk_store_check_unchanged()). */
  if (!ok || (to_postgresql && !advance_identities (to, error)) || !pk_store_check_unchanged (source, error))
    return -1;
  return n_signatures;
}

static void
remove_new_file (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Opens the target: a new SQLite file (none may be there), or a
 * PostgreSQL database migrated to our schema. */
static PkStore *
open_target (const char  *to,
             GError     **error)
{
  if (!pk_pg_location_is_postgresql (to) && g_file_test (to, G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (to);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("%s exists already. copy-master writes a new master and never replaces one: "
                     "give a path where there is no file yet. It was left as it is."),
                   display);
      return NULL;
    }
  return pk_store_open_master (to, error);
}

gint64
pk_copy_master (const char  *from,
                const char  *to,
                GError     **error)
{
  g_autoptr(PkStore) source = NULL;
  g_autoptr(PkStore) target = NULL;
  gboolean to_postgresql;
  gint64 n = -1;
  PkDb *conn;

  g_return_val_if_fail (from != NULL && to != NULL, -1);

  to_postgresql = pk_pg_location_is_postgresql (to);
  source = pk_store_open_master_read_only (from, error);
  if (source == NULL || (target = open_target (to, error)) == NULL)
    return -1;

  conn = pk_store_get_conn (target);
  if (pk_db_begin (conn, PK_DB_WRITE, error))
    {
      /* A new SQLite master has its own identity and open batch from
       * being opened; the source's take their place. */
      if ((to_postgresql
           ? check_empty (conn, to, error)
           : pk_db_exec (conn, "DELETE FROM batches; DELETE FROM settings;", _("saving the copy"), error)) &&
          (n = copy_all (source, conn, to_postgresql, error)) >= 0 &&
          !pk_db_commit (conn, error))
        n = -1;
      if (n < 0)
        pk_db_rollback (conn);
    }

  if (n < 0 && !to_postgresql)
    {
      g_clear_object (&target);
      remove_new_file (to);
    }
  return n;
}
