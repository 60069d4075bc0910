/* pk-store-paper.c: signatures and counts that came in on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sheet_counts table is created by a migration step in pk-store-schema.c:
 *   sheet_counts (serial TEXT PRIMARY KEY, petition_id TEXT NOT NULL,
 *                 count INTEGER NOT NULL, entered_at INTEGER NOT NULL,
 *                 exported INTEGER NOT NULL DEFAULT 0, batch_uuid TEXT)
 * A corrected count is marked not exported, so that the next batch file
 * carries the correction (pk-batch.c).
 */
#define G_LOG_DOMAIN "pk-store-paper"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pk-sheets.h"
#include "pk-signer-key.h"
#include "pk-signer-name.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

/* One integer from a one-row query with up to two text parameters
 * (NULL binds SQL NULL). */
static gboolean
query_int64 (PkStore     *self,
             const char  *sql,
             const char  *arg1,
             const char  *arg2,
             const char  *what,
             gint64      *out_value,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = pk_store_prepare (self, sql, what, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, arg1, -1, SQLITE_STATIC);
  if (arg2 != NULL)
    sqlite3_bind_text (stmt, 2, arg2, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                           what, error);

  *out_value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
pk_store_paper_sheet_state (PkStore     *self,
                            const char  *serial,
                            guint       *out_lines,
                            gboolean    *out_counted,
                            GError     **error)
{
  gint64 lines = 0, counted = 0;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  /* Both lookups use an index: signatures_sheet_line and the primary key. */
  if (!query_int64 (self, "SELECT count(*) FROM signatures WHERE sheet_serial = ?1",
                    serial, NULL, _("looking up a paper sheet"), &lines, error) ||
      !query_int64 (self, "SELECT count(*) FROM sheet_counts WHERE serial = ?1",
                    serial, NULL, _("looking up a paper sheet"), &counted, error))
    return FALSE;

  if (out_lines != NULL)
    *out_lines = (guint) lines;
  if (out_counted != NULL)
    *out_counted = counted > 0;
  return TRUE;
}

gboolean
pk_store_paper_set_count (PkStore     *self,
                          const char  *petition_id,
                          const char  *serial,
                          guint        count,
                          gboolean     replace,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint lines = 0;
  gboolean counted = FALSE;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (petition_id != NULL, FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (count > PK_SHEET_LINES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: the count that chooses the form is
                    * the signatures'; a sheet has more than one line */
                   g_dngettext (GETTEXT_PACKAGE,
                                "A sheet has %u lines, so it cannot hold %u signature.",
                                "A sheet has %u lines, so it cannot hold %u signatures.",
                                count),
                   (guint) PK_SHEET_LINES, count);
      return FALSE;
    }

  /* The checks and the write in one transaction: nobody can transcribe
   * the sheet in between. */
  if (!pk_store_begin (self, error))
    return FALSE;

  if (!pk_store_paper_sheet_state (self, serial, &lines, &counted, error))
    goto fail;
  if (lines > 0)
    {
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Sheet %s already has %u transcribed line, so it cannot also be counted.",
                                "Sheet %s already has %u transcribed lines, so it cannot also be counted.",
                                lines),
                   serial, lines);
      goto fail;
    }
  if (counted && !replace)
    {
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                   _("Sheet %s was already counted."), serial);
      goto fail;
    }

  stmt = pk_store_prepare (self,
                           "INSERT INTO sheet_counts (serial, petition_id, count, entered_at)"
                           "  VALUES (?1, ?2, ?3, ?4)"
                           "  ON CONFLICT (serial) DO UPDATE SET petition_id = ?2, count = ?3, entered_at = ?4,"
                           "    exported = 0",
                           _("saving the count"), error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, count);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("saving the count"), error);
      goto fail;
    }

  return pk_store_commit (self, error);

fail:
  pk_store_rollback (self);
  return FALSE;
}

gboolean
pk_store_paper_get_count (PkStore     *self,
                          const char  *serial,
                          guint       *out_count,
                          gint64      *out_entered_at,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  stmt = pk_store_prepare (self, "SELECT count, entered_at FROM sheet_counts WHERE serial = ?1",
                           _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);

  if (out_count != NULL)
    *out_count = (guint) sqlite3_column_int64 (stmt, 0);
  if (out_entered_at != NULL)
    *out_entered_at = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

static guint64
sum_counts (PkStore    *self,
            const char *petition_id,
            const char *what_sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  gint64 value;

  g_return_val_if_fail (PK_IS_STORE (self), 0);

  /* Two statements, not "?1 IS NULL OR petition_id = ?1": with the OR
   * SQLite cannot use sheet_counts_petition and scans every sheet of
   * every petition, at start-up too (the paper page is built then). */
  sql = g_strdup_printf (petition_id != NULL
                         ? "SELECT CAST (%s AS BIGINT) FROM sheet_counts WHERE petition_id = ?1"
                         : "SELECT CAST (%s AS BIGINT) FROM sheet_counts",
                         what_sql);
  /* Through pk-db.h: the report reads it from a master on PostgreSQL
   * too. */
  stmt = pk_db_prepare (pk_store_get_conn (self), sql, _("counting"), &error);
  if (stmt != NULL && petition_id != NULL)
    pk_db_bind_text (stmt, 1, petition_id);
  if (stmt == NULL || pk_db_step (stmt, &error) != PK_DB_STEP_ROW)
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      return 0;
    }
  value = pk_db_column_int64 (stmt, 0);

  return (guint64) MAX (value, 0);
}

guint64
pk_store_paper_count_total (PkStore    *self,
                            const char *petition_id)
{
  return sum_counts (self, petition_id, "coalesce (sum (count), 0)");
}

guint64
pk_store_paper_count_sheets (PkStore    *self,
                             const char *petition_id)
{
  return sum_counts (self, petition_id, "count (*)");
}

GPtrArray *
pk_store_paper_get_sheet (PkStore     *self,
                          const char  *serial,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (serial != NULL, NULL);

  stmt = pk_store_prepare (self, "SELECT uuid FROM signatures WHERE sheet_serial = ?1 ORDER BY sheet_line",
                           _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);
      return NULL;
    }

  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  for (guint i = 0; i < uuids->len; i++)
    {
      PkSignature *sig = pk_store_get_signature_by_uuid (self, uuids->pdata[i], error);

      if (sig == NULL)
        return NULL;
      g_ptr_array_add (lines, sig);
    }

  return g_steal_pointer (&lines);
}

/* ----- importing several lines ------------------------------------------ */

void
pk_paper_problem_free (PkPaperProblem *problem)
{
  if (problem == NULL)
    return;

  g_clear_error (&problem->error);
  g_free (problem);
}

static void
add_problem (GPtrArray *problems,
             guint      index,
             PkField    field,
             GError    *error)
{
  PkPaperProblem *problem = g_new0 (PkPaperProblem, 1);

  problem->index = index;
  problem->field = field;
  problem->error = error;
  g_ptr_array_add (problems, problem);
}

/* The field to mark for a signer found twice under @rule. */
static PkField
rule_field (PkSignerRule rule)
{
  switch (rule)
    {
    case PK_SIGNER_RULE_EMAIL:
      return PK_FIELD_EMAIL;
    case PK_SIGNER_RULE_PHONE:
      return PK_FIELD_PHONE;
    case PK_SIGNER_RULE_NAME_POSTAL:
      return PK_FIELD_POSTAL_CODE;
    case PK_SIGNER_RULE_NONE:
    default:
      g_return_val_if_reached (PK_N_FIELDS);
    }
}

/* A signer that is on another line of the same import, or already in
 * the store, under @rule. */
static GError *
repeat_problem (PkSignerRule rule,
                gboolean     on_other_line)
{
  const char *message;

  if (rule == PK_SIGNER_RULE_EMAIL)
    message = on_other_line ? _("The same email address is on another line.")
                            : _("Someone with this email address has already signed.");
  else if (rule == PK_SIGNER_RULE_PHONE)
    message = on_other_line ? _("The same phone number is on another line.")
                            : _("Someone with this phone number has already signed.");
  else
    message = on_other_line ? _("The same name and postal code are on another line.")
                            : _("Someone with this name and postal code has already signed.");
  return g_error_new_literal (PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE, message);
}

/* Checks one row; returns NULL when it can be added, else the problem. */
static GError *
check_row (PkStore      *self,
           PkPetition   *petition,
           PkSignature  *sig,
           GHashTable   *lines_seen,
           GHashTable   *signers_seen,
           GHashTable   *counted_sheets,
           PkField      *out_field,
           GError      **error)
{
  g_autoptr(PkSignature) earlier = NULL;
  g_autofree char *line_key = NULL;
  g_autofree char *key = NULL;
  GError *problem = NULL;
  PkSignerRule rule = PK_SIGNER_RULE_NONE;

  *out_field = PK_N_FIELDS;

  if (sig->sheet_serial == NULL || sig->sheet_line < 1 || sig->sheet_line > PK_SHEET_LINES)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        _("The line number must be between 1 and %u."), (guint) PK_SHEET_LINES);

  if (!pk_signature_validate (sig, petition, out_field, &problem))
    return problem;

  if (!g_hash_table_contains (counted_sheets, sig->sheet_serial))
    {
      gboolean counted = FALSE;

      if (!pk_store_paper_sheet_state (self, sig->sheet_serial, NULL, &counted, error))
        return NULL;
      g_hash_table_insert (counted_sheets, g_strdup (sig->sheet_serial), GINT_TO_POINTER (counted));
    }
  if (GPOINTER_TO_INT (g_hash_table_lookup (counted_sheets, sig->sheet_serial)))
    return g_error_new (PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                        _("Sheet %s was entered as a count only; its lines cannot also be transcribed."),
                        sig->sheet_serial);

  line_key = g_strdup_printf ("%s\n%u", sig->sheet_serial, sig->sheet_line);
  if (g_hash_table_contains (lines_seen, line_key))
    return g_error_new (PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                        _("Line %u of sheet %s is given more than once."),
                        sig->sheet_line, sig->sheet_serial);

  earlier = pk_store_find_paper_line (self, sig->sheet_serial, sig->sheet_line, error);
  if (error != NULL && *error != NULL)
    return NULL;
  if (earlier != NULL)
    {
      g_autofree char *name = pk_signer_name_format (earlier->fields[PK_FIELD_GIVEN_NAME],
                                                     earlier->fields[PK_FIELD_FAMILY_NAME],
                                                     earlier->lang);

      if (name != NULL)
        return g_error_new (PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                            _("Sheet %s, line %u was already entered, for %s."),
                            sig->sheet_serial, sig->sheet_line, name);
      return g_error_new (PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                          _("Sheet %s, line %u was already entered."),
                          sig->sheet_serial, sig->sheet_line);
    }

  /* The one duplicate rule (pk_signer_key()), as the store and the
   * merge apply it. */
  key = pk_signer_key (sig, &rule);
  if (key != NULL)
    {
      gint64 found = 0;

      if (g_hash_table_contains (signers_seen, key))
        {
          *out_field = rule_field (rule);
          return repeat_problem (rule, TRUE);
        }

      /* In encrypted mode the store keeps no duplicate keys on disk
       * (pk-store-signatures.c), so there is nothing to look up. */
      if (pk_petition_get_coordinator_key (petition) == NULL &&
          !query_int64 (self,
                        "SELECT count(*) FROM signatures WHERE petition_id = ?1 AND dedup_key = ?2",
                        pk_petition_get_id (petition), key,
                        _("checking for an earlier signature"), &found, error))
        return NULL;
      if (found > 0)
        {
          *out_field = rule_field (rule);
          return repeat_problem (rule, FALSE);
        }
    }

  g_hash_table_add (lines_seen, g_steal_pointer (&line_key));
  if (key != NULL)
    g_hash_table_add (signers_seen, g_steal_pointer (&key));
  return NULL;
}

GPtrArray *
pk_store_paper_check (PkStore     *self,
                      PkPetition  *petition,
                      GPtrArray   *sigs,
                      GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_paper_problem_free);
  g_autoptr(GHashTable) lines_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) signers_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) counted_sheets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (sigs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < sigs->len; i++)
    {
      PkSignature *sig = sigs->pdata[i];
      g_autoptr(GError) local_error = NULL;
      PkField field = PK_N_FIELDS;
      GError *problem;

      g_return_val_if_fail (sig->source == PK_SOURCE_PAPER, NULL);

      problem = check_row (self, petition, sig, lines_seen, signers_seen, counted_sheets,
                           &field, &local_error);
      if (local_error != NULL)
        {
          g_clear_error (&problem);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (problem != NULL)
        add_problem (problems, i, field, problem);
    }

  return g_steal_pointer (&problems);
}

gboolean
pk_store_add_paper_signatures (PkStore     *self,
                               PkPetition  *petition,
                               GPtrArray   *sigs,
                               gboolean     skip_bad,
                               GPtrArray  **out_problems,
                               guint       *out_added,
                               GError     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree gboolean *bad = NULL;
  guint added = 0;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (sigs != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_added != NULL)
    *out_added = 0;

  /* Every row is checked before any is written, so that by default a
   * file with one bad row leaves the database exactly as it was. */
  problems = pk_store_paper_check (self, petition, sigs, error);
  if (problems == NULL)
    return FALSE;

  bad = g_new0 (gboolean, sigs->len + 1);
  for (guint i = 0; i < problems->len; i++)
    bad[((PkPaperProblem *) problems->pdata[i])->index] = TRUE;

  if (problems->len > 0 && !skip_bad)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u row has a problem, so nothing was imported.",
                                "%u rows have problems, so nothing was imported.",
                                problems->len),
                   problems->len);
      if (out_problems != NULL)
        *out_problems = g_steal_pointer (&problems);
      return FALSE;
    }

  /* One outer transaction: each row's own transaction nests inside it,
   * so a failure part-way leaves no half-done import behind. */
  if (!pk_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < sigs->len; i++)
    {
      PkField field = PK_N_FIELDS;

      if (bad[i])
        continue;
      if (!pk_store_add_signature (self, petition, sigs->pdata[i], &field, error))
        goto fail;
      added++;
    }

  if (!pk_store_commit (self, error))
    {
      added = 0;
      goto out;
    }

  if (out_added != NULL)
    *out_added = added;
  if (out_problems != NULL)
    *out_problems = g_steal_pointer (&problems);
  return TRUE;

fail:
  pk_store_rollback (self);
  added = 0;
out:
  if (out_added != NULL)
    *out_added = added;
  if (out_problems != NULL)
    *out_problems = g_steal_pointer (&problems);
  return FALSE;
}

/* ----- struck out and corrected lines ----------------------------------- */

typedef struct {
  char     *uuid;
  char     *petition_id;
  gint64    signed_at;
  gboolean  sent;       /* exported in a batch file, or has a sync state */
} LiveLine;

static void
live_line_clear (LiveLine *live)
{
  g_clear_pointer (&live->uuid, g_free);
  g_clear_pointer (&live->petition_id, g_free);
}

/* The live row of a sheet's line on this kiosk. FALSE with
 * G_IO_ERROR_NOT_FOUND when there is none. */
static gboolean
find_live_line (PkStore     *self,
                const char  *serial,
                guint        line,
                LiveLine    *out_live,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = pk_store_prepare (self,
                           "SELECT s.uuid, s.petition_id, s.signed_at,"
                           "  s.exported OR EXISTS (SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid)"
                           "  FROM signatures s WHERE s.sheet_serial = ?1 AND s.sheet_line = ?2",
                           _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, line);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Line %u of sheet %s was not entered, so there is nothing to strike out."),
                   line, serial);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);

  out_live->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  out_live->petition_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  out_live->signed_at = sqlite3_column_int64 (stmt, 2);
  out_live->sent = sqlite3_column_int (stmt, 3) != 0;
  return TRUE;
}

static gboolean
exec_strike (PkStore        *self,
             const char     *sql,
             const LiveLine *live,
             const char     *serial,
             guint           line,
             const char     *replaced_by,
             GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = pk_store_prepare (self, sql, _("striking out a paper line"), error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  /* Every statement here names its parameters; unused ones stay NULL. */
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":uuid"), live->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":petition"), live->petition_id, -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":serial"), serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":line"), line);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":signed_at"), live->signed_at);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), g_get_real_time ());
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":kiosk"), pk_store_get_kiosk_id (self),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":replaced_by"), replaced_by, -1,
                     SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("striking out a paper line"), error);
  return TRUE;
}

gboolean
pk_store_paper_strike_line (PkStore      *self,
                            PkPetition   *petition,
                            const char   *serial,
                            guint         line,
                            PkSignature  *correction,
                            PkField      *out_field,
                            GError      **error)
{
  g_autoptr(PkSignature) struck = NULL;
  g_autoptr(GError) lookup_error = NULL;
  LiveLine live = { 0 };
  gboolean ok;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pk_store_begin (self, error))
    return FALSE;

  if (!find_live_line (self, serial, line, &live, error))
    goto out;
  if (live.sent)
    {
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_SENT,
                   _("Line %u of sheet %s already went to the coordinator, so it can only be corrected there."),
                   line, serial);
      goto out;
    }

  /* Read before it goes, to forget its signer in encrypted mode's
   * duplicate memory (unreadable rows were never in this process's
   * memory). Forgotten before the correction is added, which may well
   * be the same signer; should the correction fail, the signer is only
   * missing from that memory, and the coordinator's merge still finds a
   * repeat. */
  struck = pk_store_find_paper_line (self, serial, line, &lookup_error);
  if (struck != NULL)
    pk_store_forget_signer (self, live.petition_id, struck);

  if (!exec_strike (self, "DELETE FROM signatures WHERE uuid = :uuid", &live, serial, line, NULL, error) ||
      !exec_strike (self,
                    "INSERT INTO paper_strikes (uuid, petition_id, sheet_serial, sheet_line, signed_at,"
                    "  struck_at, kiosk_id)"
                    "  VALUES (:uuid, :petition, :serial, :line, :signed_at, :now, :kiosk)",
                    &live, serial, line, NULL, error))
    goto out;

  if (correction != NULL)
    {
      g_free (correction->sheet_serial);
      correction->sheet_serial = g_strdup (serial);
      correction->sheet_line = line;
      correction->source = PK_SOURCE_PAPER;
      if (!pk_store_add_signature (self, petition, correction, out_field, error) ||
          !exec_strike (self, "UPDATE paper_strikes SET replaced_by = :replaced_by WHERE uuid = :uuid",
                        &live, serial, line, correction->uuid, error))
        goto out;
    }

  /* A failed commit rolls back by itself. */
  ok = pk_store_commit (self, error);
  live_line_clear (&live);
  return ok;

out:
  pk_store_rollback (self);
  live_line_clear (&live);
  return FALSE;
}

gboolean
pk_store_paper_get_strike (PkStore      *self,
                           const char   *serial,
                           guint         line,
                           gint64       *out_struck_at,
                           gboolean     *out_corrected,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  stmt = pk_store_prepare (self,
                           "SELECT struck_at, replaced_by IS NOT NULL FROM paper_strikes"
                           "  WHERE sheet_serial = ?1 AND sheet_line = ?2 ORDER BY struck_at DESC LIMIT 1",
                           _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, line);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);

  if (out_struck_at != NULL)
    *out_struck_at = sqlite3_column_int64 (stmt, 0);
  if (out_corrected != NULL)
    *out_corrected = sqlite3_column_int (stmt, 1) != 0;
  return TRUE;
}
