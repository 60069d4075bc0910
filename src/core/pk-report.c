/* pk-report.c: totals by kiosk, event, day, source and language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-report"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-count-text.h"
#include "pk-report.h"
#include "pk-safe-text.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

/* In the text report, longer lists are cut with a "… and N more". */
#define PK_REPORT_TEXT_MAX_ITEMS 50

#define PK_REPORT_FROM \
  "FROM signatures s JOIN batches b ON b.id = s.batch_id " \
  "LEFT JOIN merge_imports i ON i.batch_id = b.id " \
  "LEFT JOIN merge_duplicates d ON d.uuid = s.uuid "

/* The day of a signature (UTC), in each database's words. */
#define PK_REPORT_DAY_SQLITE "date(s.signed_at / 1000000, 'unixepoch')"
#define PK_REPORT_DAY_PG \
  "to_char (to_timestamp (s.signed_at / 1000000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') COLLATE \"C\""

typedef struct {
  const char *member;
  const char *key_sql;
} PkReportGroup;

static const PkReportGroup pk_report_groups[] = {
  { "by_kiosk",    "b.kiosk_id" },
  { "by_event",    "coalesce(b.event, '')" },
  { "by_day",      NULL },
  { "by_source",   "s.source" },
  { "by_language", "s.lang" },
};

static void
pk_report_add_column (JsonBuilder *builder,
                      const char  *name,
                      PkDbStmt    *stmt,
                      int          column)
{
  json_builder_set_member_name (builder, name);
  switch (pk_db_column_type (stmt, column))
    {
    case PK_DB_TYPE_INT64:
      json_builder_add_int_value (builder, pk_db_column_int64 (stmt, column));
      break;
    case PK_DB_TYPE_NULL:
      json_builder_add_null_value (builder);
      break;
    case PK_DB_TYPE_TEXT:
    case PK_DB_TYPE_BLOB:
    default:
      json_builder_add_string_value (builder, pk_db_column_text (stmt, column));
      break;
    }
}

/* Runs @sql and adds its rows as an array of objects whose members are
 * the result columns' names. */
static gboolean
pk_report_add_rows (PkDb        *conn,
                    JsonBuilder *builder,
                    const char  *member,
                    const char  *sql,
                    GError     **error)
{
  g_autoptr(PkDbStmt) stmt = pk_db_prepare (conn, sql, _("reading the totals"), error);
  PkDbStep step;

  if (stmt == NULL)
    return FALSE;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      json_builder_begin_object (builder);
      for (int c = 0; c < pk_db_column_count (stmt); c++)
        pk_report_add_column (builder, pk_db_column_name (stmt, c), stmt, c);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return step == PK_DB_STEP_DONE;
}

static void
pk_report_add_totals (PkStore     *store,
                      JsonBuilder *builder,
                      gint64       total,
                      gint64       duplicates,
                      gint64       batches)
{
  json_builder_set_member_name (builder, "signatures");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "distinct");
  json_builder_add_int_value (builder, total - duplicates);
  json_builder_set_member_name (builder, "duplicates");
  json_builder_add_int_value (builder, duplicates);
  json_builder_set_member_name (builder, "batches");
  json_builder_add_int_value (builder, batches);
  /* Sheets tallied without transcription: shown beside the totals,
   * never added to them. */
  json_builder_set_member_name (builder, "paper_count_only");
  json_builder_add_int_value (builder, (gint64) pk_store_paper_count_total (store, NULL));
  json_builder_set_member_name (builder, "paper_count_sheets");
  json_builder_add_int_value (builder, (gint64) pk_store_paper_count_sheets (store, NULL));
}

/* Every fingerprint a kiosk id arrived with, in order of arrival
 * (@where narrows them), joined by ", ". */
static char *
pk_report_fingerprints_sql (PkDbKind    kind,
                            const char *where)
{
  if (kind == PK_DB_POSTGRESQL)
    return g_strdup_printf ("(SELECT string_agg (kiosk_fingerprint, ', ' ORDER BY first_seen, kiosk_fingerprint) "
                            "FROM merge_kiosk_keys k WHERE k.kiosk_id = b.kiosk_id%s)", where);
  return g_strdup_printf ("(SELECT group_concat (kiosk_fingerprint, ', ') FROM (SELECT kiosk_fingerprint "
                          "FROM merge_kiosk_keys k WHERE k.kiosk_id = b.kiosk_id%s "
                          "ORDER BY first_seen, kiosk_fingerprint))", where);
}

/* The totals by kiosk, event, day, source and language. */
static gboolean
pk_report_add_groups (PkDb         *conn,
                      JsonBuilder  *builder,
                      GError      **error)
{
  PkDbKind kind = pk_db_get_kind (conn);
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (pk_report_groups) && ok; i++)
    {
      g_autofree char *sql = NULL;

      if (i == 0)
        {
          /* Every key the kiosk id arrived with, in order of arrival, and
           * those of them refused: a second key means a new laptop, or a
           * forgery (pk-merge-trust.c). */
          g_autofree char *all = pk_report_fingerprints_sql (kind, "");
          g_autofree char *untrusted = pk_report_fingerprints_sql (kind, " AND trusted = 0");

          sql = g_strdup_printf ("SELECT b.kiosk_id AS key, max(b.kiosk_name) AS name, "
                                 "coalesce (%s, max(i.kiosk_fingerprint)) AS fingerprint, "
                                 "%s AS untrusted, "
                                 "count(*) AS signatures, count(d.uuid) AS duplicates " PK_REPORT_FROM
                                 "GROUP BY b.kiosk_id ORDER BY b.kiosk_id", all, untrusted);
        }
      else
        sql = g_strdup_printf ("SELECT %s AS key, count(*) AS signatures, count(d.uuid) AS duplicates "
                               PK_REPORT_FROM "GROUP BY 1 ORDER BY 1",
                               pk_report_groups[i].key_sql != NULL ? pk_report_groups[i].key_sql
                               : kind == PK_DB_POSTGRESQL ? PK_REPORT_DAY_PG : PK_REPORT_DAY_SQLITE);
      ok = pk_report_add_rows (conn, builder, pk_report_groups[i].member, sql, error);
    }
  return ok;
}

/* The lists a person checks by hand, and the rejected files. */
static gboolean
pk_report_add_lists (PkDb         *conn,
                     JsonBuilder  *builder,
                     GError      **error)
{
  gboolean ok;

  ok = pk_report_add_rows (conn, builder, "duplicates_list",
                           "SELECT d.uuid AS uuid, d.kept_uuid AS kept_uuid, d.rule AS rule, "
                           "b1.kiosk_name AS kiosk, b1.uuid AS batch, b1.event AS event, "
                           "s1.source AS source, s1.sheet_serial AS sheet, s1.sheet_line AS line, "
                           "b2.kiosk_name AS kept_kiosk, b2.uuid AS kept_batch, b2.event AS kept_event, "
                           "s2.source AS kept_source, s2.sheet_serial AS kept_sheet, s2.sheet_line AS kept_line "
                           "FROM merge_duplicates d "
                           "JOIN signatures s1 ON s1.uuid = d.uuid JOIN batches b1 ON b1.id = s1.batch_id "
                           "JOIN signatures s2 ON s2.uuid = d.kept_uuid JOIN batches b2 ON b2.id = s2.batch_id "
                           "ORDER BY d.uuid", error);
  /* A sheet counted in two batches (a recount, or one sheet counted at
   * two kiosks): every count received, and which one is in the total. */
  ok = ok && pk_report_add_rows (conn, builder, "paper_count_conflicts",
                                 "SELECT m.serial AS serial, m.batch_uuid AS batch, b.kiosk_name AS kiosk, "
                                 "b.event AS event, m.count AS count, m.entered_at AS entered_at, "
                                 "CASE WHEN c.batch_uuid = m.batch_uuid THEN 1 ELSE 0 END AS kept "
                                 "FROM merge_sheet_counts m "
                                 "LEFT JOIN batches b ON b.uuid = m.batch_uuid "
                                 "LEFT JOIN sheet_counts c ON c.serial = m.serial "
                                 "WHERE m.serial IN (SELECT serial FROM merge_sheet_counts "
                                 "GROUP BY serial HAVING count(*) > 1) "
                                 "ORDER BY m.serial, m.batch_uuid", error);
  /* One sheet transcribed at two kiosks: both transcriptions are in
   * the master, and which is right is for a person to decide. */
  ok = ok && pk_report_add_rows (conn, builder, "paper_lines_twice",
                                 "SELECT s.sheet_serial AS sheet, s.sheet_line AS line, s.uuid AS uuid, "
                                 "b.kiosk_name AS kiosk, b.uuid AS batch, b.event AS event "
                                 "FROM signatures s JOIN batches b ON b.id = s.batch_id "
                                 "WHERE (s.sheet_serial, s.sheet_line) IN (SELECT sheet_serial, sheet_line "
                                 "FROM signatures WHERE sheet_serial IS NOT NULL "
                                 "GROUP BY sheet_serial, sheet_line HAVING count(*) > 1) "
                                 "ORDER BY s.sheet_serial, s.sheet_line, s.uuid", error);
  ok = ok && pk_report_add_rows (conn, builder, "rejected_files",
                                 /* A file rejected once (say, before the key was
                                  * given) and merged since is no longer listed. */
                                 "SELECT name, reason, message, file_digest AS digest FROM merge_rejected "
                                 "WHERE file_digest NOT IN (SELECT file_digest FROM batches WHERE file_digest IS NOT NULL) "
                                 "ORDER BY name, file_digest, reason", error);
  return ok;
}

/* The report of @conn, read in the caller's transaction. */
static JsonNode *
pk_report_read (PkStore  *store,
                PkDb     *conn,
                GError  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 total, duplicates, batches;

  if (!pk_db_query_int64 (conn, "SELECT count(*) FROM signatures", _("reading the totals"), &total, error) ||
      !pk_db_query_int64 (conn, "SELECT count(*) FROM merge_duplicates", _("reading the totals"), &duplicates, error) ||
      !pk_db_query_int64 (conn, "SELECT count(*) FROM merge_imports", _("reading the totals"), &batches, error))
    return NULL;

  json_builder_begin_object (builder);
  pk_report_add_totals (store, builder, total, duplicates, batches);
  if (!pk_report_add_groups (conn, builder, error) || !pk_report_add_lists (conn, builder, error))
    return NULL;
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
pk_report_build (PkStore  *store,
                 GError  **error)
{
  JsonNode *report;
  PkDb *conn;
  gboolean own;

  g_return_val_if_fail (PK_IS_STORE (store), NULL);

  conn = pk_store_get_conn (store);
  /* One read transaction, so the numbers agree with each other; a
   * read-only master on PostgreSQL is in one already. */
  own = !pk_db_in_transaction (conn);
  if (own && !pk_db_begin (conn, PK_DB_READ, error))
    return NULL;
  report = pk_report_read (store, conn, error);
  if (own)
    pk_db_rollback (conn);
  return report;
}

static void
pk_report_text_group (GString    *out,
                      JsonObject *root,
                      const char *member,
                      const char *title)
{
  JsonArray *array = json_object_get_array_member (root, member);
  guint n = json_array_get_length (array);

  g_string_append_printf (out, "\n%s\n", title);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      const char *key = json_object_get_string_member_with_default (row, "key", "");
      const char *name = json_object_get_string_member_with_default (row, "name", NULL);
      const char *fingerprint = json_object_get_string_member_with_default (row, "fingerprint", NULL);
      const char *untrusted = json_object_get_string_member_with_default (row, "untrusted", NULL);

      g_string_append_printf (out, "  %-40s %8" G_GINT64_FORMAT, name != NULL ? name : (*key ? key : "—"),
                              json_object_get_int_member (row, "signatures"));
      if (json_object_get_int_member (row, "duplicates") > 0)
        {
          gint64 n_duplicates = json_object_get_int_member (row, "duplicates");
          /* Translators: how many of the signatures before were duplicates */
          g_autofree char *duplicates = pk_count_text (n_duplicates, "  (%s duplicate)", "  (%s duplicates)", NULL);

          g_string_append (out, duplicates);
        }
      if (fingerprint != NULL)
        g_string_append_printf (out, "  %s", fingerprint);
      if (untrusted != NULL)
        /* Translators: after a kiosk's key fingerprints, those of them
         * whose batches were refused */
        g_string_append_printf (out, _("  (not trusted: %s)"), untrusted);
      g_string_append_c (out, '\n');
    }
}

static void
pk_report_text_total (GString    *out,
                      const char *label,
                      JsonObject *root,
                      const char *member)
{
  g_string_append_printf (out, "%s %" G_GINT64_FORMAT "\n", label,
                          json_object_get_int_member (root, member));
}

/* A text list shows at most PK_REPORT_TEXT_MAX_ITEMS of its @n items;
 * this says how many more the JSON has. */
static void
pk_report_append_rest (GString *out,
                       guint    n)
{
  if (n > PK_REPORT_TEXT_MAX_ITEMS)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "  … and %u more (see --json)\n",
                                              "  … and %u more (see --json)\n", n - PK_REPORT_TEXT_MAX_ITEMS),
                            n - PK_REPORT_TEXT_MAX_ITEMS);
}

/* The lists a person checks by hand: duplicates, sheets counted and
 * paper lines transcribed in more than one batch. */
static void
pk_report_text_lists (GString    *out,
                      JsonObject *root)
{
  JsonArray *array;
  guint n;

  array = json_object_get_array_member (root, "duplicates_list");
  n = json_array_get_length (array);
  if (n > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Duplicates (duplicate ← kept, rule):"));
      for (guint i = 0; i < n && i < PK_REPORT_TEXT_MAX_ITEMS; i++)
        {
          JsonObject *row = json_array_get_object_element (array, i);

          g_string_append_printf (out, "  %s (%s, %s) ← %s (%s, %s), %s\n",
                                  json_object_get_string_member (row, "uuid"),
                                  json_object_get_string_member_with_default (row, "kiosk", "—") ?: "—",
                                  json_object_get_string_member_with_default (row, "event", "—") ?: "—",
                                  json_object_get_string_member (row, "kept_uuid"),
                                  json_object_get_string_member_with_default (row, "kept_kiosk", "—") ?: "—",
                                  json_object_get_string_member_with_default (row, "kept_event", "—") ?: "—",
                                  json_object_get_string_member (row, "rule"));
        }
      pk_report_append_rest (out, n);
    }

  array = json_object_get_array_member (root, "paper_count_conflicts");
  n = json_array_get_length (array);
  if (n > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Sheets counted in more than one batch (* = the count in the total):"));
      for (guint i = 0; i < n && i < PK_REPORT_TEXT_MAX_ITEMS; i++)
        {
          JsonObject *row = json_array_get_object_element (array, i);

          g_string_append_printf (out, "  %s %s %" G_GINT64_FORMAT " (%s, %s)\n",
                                  json_object_get_int_member (row, "kept") ? "*" : " ",
                                  json_object_get_string_member (row, "serial"),
                                  json_object_get_int_member (row, "count"),
                                  json_object_get_string_member_with_default (row, "kiosk", "—") ?: "—",
                                  json_object_get_string_member (row, "batch"));
        }
      pk_report_append_rest (out, n);
    }

  array = json_object_get_array_member (root, "paper_lines_twice");
  n = json_array_get_length (array);
  if (n > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Paper lines transcribed in more than one batch (check which is right):"));
      for (guint i = 0; i < n && i < PK_REPORT_TEXT_MAX_ITEMS; i++)
        {
          JsonObject *row = json_array_get_object_element (array, i);

          /* Translators: one paper line in the report, "sheet
           * PK-000000-000042 line 3: <uuid> (kiosk, batch uuid)" */
          g_string_append_printf (out, _("  sheet %s line %u: %s (%s, %s)\n"),
                                  json_object_get_string_member (row, "sheet"),
                                  (guint) json_object_get_int_member (row, "line"),
                                  json_object_get_string_member (row, "uuid"),
                                  json_object_get_string_member_with_default (row, "kiosk", "—") ?: "—",
                                  json_object_get_string_member (row, "batch"));
        }
      pk_report_append_rest (out, n);
    }
}

char *
pk_report_to_text (JsonNode *report)
{
  JsonObject *root;
  JsonArray *array;
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (report), NULL);

  root = json_node_get_object (report);
  pk_report_text_total (out, _("Signatures:"), root, "signatures");
  pk_report_text_total (out, _("Distinct signers:"), root, "distinct");
  pk_report_text_total (out, _("Duplicates:"), root, "duplicates");
  pk_report_text_total (out, _("Batches merged:"), root, "batches");
  pk_report_text_total (out, _("Counted on paper only (not in the totals above):"), root, "paper_count_only");
  pk_report_text_total (out, _("Paper sheets counted only:"), root, "paper_count_sheets");

  pk_report_text_group (out, root, "by_kiosk", _("By kiosk:"));
  pk_report_text_group (out, root, "by_event", _("By event:"));
  pk_report_text_group (out, root, "by_day", _("By day (UTC):"));
  pk_report_text_group (out, root, "by_source", _("By source:"));
  pk_report_text_group (out, root, "by_language", _("By language:"));

  pk_report_text_lists (out, root);

  array = json_object_get_array_member (root, "rejected_files");
  n = json_array_get_length (array);
  g_string_append_printf (out, "\n%s %u\n", _("Rejected files:"), n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      g_string_append_printf (out, "  %s: %s\n",
                              json_object_get_string_member (row, "name"),
                              json_object_get_string_member (row, "reason"));
    }

  /* Kiosk names, events and file names came from batch files, which may
   * be hostile (or were merged before they were checked for this). */
  {
    g_autofree char *raw = g_string_free (out, FALSE);

    return pk_safe_text_escape (raw, TRUE);
  }
}

/* The summary ------------------------------------------------------------
 *
 * Each count is its own phrase, so that each gets its plural form; the
 * lines put them together. A note appears only when it says something:
 * "0 files rejected" or "0 sheets counted twice" would only be noise on
 * the screen a coordinator reads at midnight. */

char *
pk_report_summary (JsonNode *report)
{
  JsonObject *root;
  gint64 n_signatures, n_duplicates, n_batches, n_distinct;
  g_autofree char *signatures = NULL;
  g_autofree char *distinct = NULL;
  g_autofree char *batches = NULL;
  g_autofree char *duplicates = NULL;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (report), NULL);

  root = json_node_get_object (report);
  n_signatures = json_object_get_int_member (root, "signatures");
  n_duplicates = json_object_get_int_member (root, "duplicates");
  n_batches = json_object_get_int_member (root, "batches");
  n_distinct = json_object_get_int_member (root, "distinct");
  if (n_batches == 0 && n_signatures == 0)
    return g_strdup (_("No batch merged yet."));

  signatures = pk_count_text (n_signatures, "%s signature", "%s signatures", NULL);
  distinct = pk_count_text (n_distinct, "%s distinct signer", "%s distinct signers", NULL);
  batches = pk_count_text (n_batches, "from %s batch", "from %s batches", NULL);
  if (n_duplicates == 0)
    /* Translators: totals of the master database, put together from the
     * phrases "5 distinct signers", "5 signatures" and "from 3 batches",
     * in this order; use %1$s … %3$s to reorder them */
    return g_strdup_printf (_("%s (%s) %s"), distinct, signatures, batches);

  duplicates = pk_count_text (n_duplicates, "%s duplicate", "%s duplicates", NULL);
  /* Translators: totals of the master database, put together from the
   * phrases "5 distinct signers", "7 signatures", "2 duplicates" and
   * "from 3 batches", in this order; use %1$s … %4$s to reorder them */
  return g_strdup_printf (_("%s (%s, %s) %s"), distinct, signatures, duplicates, batches);
}

/* Rows of @member with the same @a and @b as the row before are one
 * thing counted more than once: how many things are there? */
static guint
pk_report_count_distinct (JsonObject *root,
                          const char *member,
                          const char *a,
                          const char *b)
{
  JsonArray *array = json_object_get_array_member (root, member);
  guint n = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      JsonObject *previous = i > 0 ? json_array_get_object_element (array, i - 1) : NULL;

      if (previous == NULL
          || g_strcmp0 (json_object_get_string_member (row, a), json_object_get_string_member (previous, a)) != 0
          || (b != NULL && json_object_get_int_member (row, b) != json_object_get_int_member (previous, b)))
        n++;
    }
  return n;
}

static char *
pk_report_paper_note (JsonObject *root)
{
  gint64 n_counted = json_object_get_int_member_with_default (root, "paper_count_only", 0);
  gint64 n_sheets = json_object_get_int_member_with_default (root, "paper_count_sheets", 0);
  guint n_conflicts = pk_report_count_distinct (root, "paper_count_conflicts", "serial", NULL);
  g_autofree char *counted = NULL;
  g_autofree char *sheets = NULL;
  g_autofree char *conflicts = NULL;

  if (n_counted <= 0)
    return NULL;
  counted = pk_count_text (n_counted, "%s signature", "%s signatures", NULL);
  sheets = pk_count_text (n_sheets, "on %s sheet", "on %s sheets", NULL);
  if (n_conflicts == 0)
    /* Translators: signatures tallied on paper without transcription,
     * kept apart from the totals, put together from the phrases "22
     * signatures" and "on 3 sheets"; use %1$s and %2$s to reorder */
    return g_strdup_printf (_("Counted on paper only: %s %s"), counted, sheets);

  conflicts = pk_count_text (n_conflicts,
                             "%s sheet counted in more than one batch: see the report",
                             "%s sheets counted in more than one batch: see the report",
                             NULL);
  /* Translators: signatures tallied on paper without transcription,
   * kept apart from the totals, put together from the phrases "22
   * signatures", "on 3 sheets" and "1 sheet counted in more than one
   * batch: see the report"; use %1$s … %3$s to reorder */
  return g_strdup_printf (_("Counted on paper only: %s %s (%s)"), counted, sheets, conflicts);
}

char *
pk_report_notes (JsonNode *report)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  JsonObject *root;
  JsonArray *rejected;
  guint n_rejected;
  guint n_lines;
  char *paper;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (report), NULL);

  root = json_node_get_object (report);
  rejected = json_object_get_array_member (root, "rejected_files");
  n_rejected = rejected != NULL ? json_array_get_length (rejected) : 0;
  n_lines = pk_report_count_distinct (root, "paper_lines_twice", "sheet", "line");
  paper = pk_report_paper_note (root);
  if (n_rejected > 0)
    g_ptr_array_add (lines, pk_count_text (n_rejected, "%s file rejected", "%s files rejected", NULL));
  if (paper != NULL)
    g_ptr_array_add (lines, paper);
  if (n_lines > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u paper line was transcribed in more than one batch: see the report",
                                                          "%u paper lines were transcribed in more than one batch: see the report",
                                                          n_lines), n_lines));
  if (lines->len == 0)
    return NULL;
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}
