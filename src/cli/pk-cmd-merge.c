/* pk-cmd-merge.c: `petition-kiosk merge`, batches into a master
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-merge"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-count-text.h"
#include "pk-merge.h"
#include "pk-safe-text.h"

/* With a key: the rows that mixed batches left sealed for it. */
static gboolean
open_kept_sealed (PkMerge  *merge,
                  gint64   *added,
                  gint64   *duplicates,
                  GError  **error)
{
  PkMergeResult result;

  if (!pk_merge_open_sealed (merge, &result, error))
    return FALSE;
  *added += result.added;
  *duplicates += result.duplicates;
  return TRUE;
}

/* Never silent: what stays sealed, for which coordinator. */
static gboolean
print_kept_sealed (PkStore  *master,
                   GError  **error)
{
  g_autoptr(GPtrArray) counts = pk_merge_count_sealed (master, error);

  if (counts == NULL)
    return FALSE;
  for (guint i = 0; i < counts->len; i++)
    {
      PkMergeSealedCount *count = counts->pdata[i];

      if (count->fingerprint != NULL)
        /* Translators: rows of mixed batches that this coordinator's key
         * could not open, and the fingerprint of the key they are for */
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "kept sealed %d, for coordinator %s: merge with that coordinator's --key to import\n",
                              "kept sealed %d, for coordinator %s: merge with that coordinator's --key to import\n",
                              count->rows),
                 (int) count->rows, count->fingerprint);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "kept sealed %d, for a coordinator key the batch does not name\n",
                              "kept sealed %d, for a coordinator key the batch does not name\n",
                              count->rows),
                 (int) count->rows);
    }
  return TRUE;
}

/* What the files merged so far added up to. */
typedef struct {
  gint64 added;
  gint64 duplicates;
  gint64 rejected;
  gint64 already;
  gint64 sheet_counts;
  gint64 sheet_conflicts;
} MergeTotals;

/* What a person should check about a file that merged. */
static void
print_file_notes (const char          *display,
                  const PkMergeResult *result)
{
  if (result->sheet_conflicts > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%s: %d paper sheet was counted in another batch too; the report lists both counts\n",
                             "%s: %d paper sheets were counted in another batch too; the report lists both counts\n",
                             result->sheet_conflicts),
                display, (int) result->sheet_conflicts);
  if (result->sealed > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%s: the batch mixes coordinator keys; %d row sealed to another key is kept sealed in the master\n",
                             "%s: the batch mixes coordinator keys; %d rows sealed to another key are kept sealed in the master\n",
                             result->sealed),
                display, (int) result->sealed);
  if (result->paper_lines_twice > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%s: %d paper line was transcribed in another batch too; the report lists both, for a person to check\n",
                             "%s: %d paper lines were transcribed in another batch too; the report lists both, for a person to check\n",
                             result->paper_lines_twice),
                display, (int) result->paper_lines_twice);
}

/* What the merge of the files says. */
typedef struct {
  MergeTotals totals;
  gboolean    master_failed;
} MergeRun;

/* Adds a merged file to the totals, saying why a file is rejected.
 * FALSE when the master could not be written: the files left are not
 * tried then, and the same command merges them once it is fixed. */
static gboolean
merge_file_done (const char          *path,
                 const PkMergeResult *result,
                 const GError        *error,
                 gpointer             user_data)
{
  MergeRun *run = user_data;
  MergeTotals *totals = &run->totals;
  g_autofree char *raw_display = g_filename_display_name (path);
  g_autofree char *display = pk_safe_text_escape (raw_display, FALSE);

  if (result->outcome == PK_MERGE_FAILED)
    {
      g_autofree char *message = pk_safe_text_escape (error->message, FALSE);

      g_printerr ("%s: %s\n", display, message);
      run->master_failed = TRUE;
      return FALSE;
    }
  if (error != NULL)
    {
      int code = error->domain == PK_BATCH_ERROR ? error->code : PK_BATCH_ERROR_FAILED;
      g_autofree char *message = pk_safe_text_escape (error->message, FALSE);

      g_printerr ("%s: %s: %s\n", display, pk_batch_error_reason (code), message);
      totals->rejected++;
      return TRUE;
    }
  if (result->outcome == PK_MERGE_ALREADY)
    totals->already++;
  totals->added += result->added;
  totals->duplicates += result->duplicates;
  totals->sheet_counts += result->sheet_counts;
  totals->sheet_conflicts += result->sheet_conflicts;
  print_file_notes (display, result);
  return TRUE;
}

static void
print_totals (const MergeTotals *totals)
{
  /* Translators: the three parts of a merge's summary, "added 10,
   * duplicates 4, rejected 1": signatures added to the master, how
   * many of them are duplicates, batch files rejected. English says
   * them the same for any number; with LC_ALL=C scripts get exactly
   * the English line */
  g_autofree char *added_text = pk_count_text (totals->added, "added %s", "added %s", NULL);
  /* Translators: the second part of "added 10, duplicates 4, rejected 1" */
  g_autofree char *duplicates_text = pk_count_text (totals->duplicates, "duplicates %s", "duplicates %s", NULL);
  /* Translators: the third part of "added 10, duplicates 4, rejected 1" */
  g_autofree char *rejected_text = pk_count_text (totals->rejected, "rejected %s", "rejected %s", NULL);

  g_print ("%s, %s, %s\n", added_text, duplicates_text, rejected_text);
  /* Only when there are any, so the line above stays the whole output
   * for batches without paper counts. */
  if (totals->sheet_counts > 0)
    {
      /* Translators: "sheet counts 3, conflicting 1": paper sheet counts
       * merged, and how many of those sheets were counted in another
       * batch too */
      g_autofree char *counts_text = pk_count_text (totals->sheet_counts, "sheet counts %s", "sheet counts %s",
                                                    NULL);
      /* Translators: the second part of "sheet counts 3, conflicting 1" */
      g_autofree char *conflicts_text = pk_count_text (totals->sheet_conflicts, "conflicting %s", "conflicting %s",
                                                       NULL);

      g_print ("%s, %s\n", counts_text, conflicts_text);
    }
  if (totals->already > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%d file was merged before and added nothing\n",
                          "%d files were merged before and added nothing\n", totals->already),
             (int) totals->already);
}

int
pk_cmd_merge (int    argc,
              char **argv)
{
  g_autofree char *master_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *trust_path = NULL;
  g_autofree char *petition_path = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkTrustList) trust = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(GError) error = NULL;
  MergeRun run = { { 0 }, FALSE };
  GOptionEntry entries[] = {
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &master_path, N_("The master database: a file (created if missing) or a postgresql:// address (docs/scale.md)"),
      N_("FILE|URI") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, N_("The coordinator's secret key file, for encrypted batches"), N_("FILE") },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &trust_path, N_("Accept only kiosks listed in FILE"), N_("FILE") },
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("Accept only batches of this petition"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("merge", N_("FILE…"),
                     _("Verifies each batch file and merges it into the master, whole or not at all. "
                       "Merging a batch again adds nothing; the order of the files does not matter. "
                       "Prints the rows added, the duplicates among them and the files rejected; "
                       "exits 4 when a file was rejected, 1 when the master could not be written "
                       "(nothing is recorded against the file then; run the same command again). "
                       "A batch that mixes coordinator keys is "
                       "merged row by row: rows your key cannot open are kept sealed in the master "
                       "and listed with their key's fingerprint; merge with that key (--key, files "
                       "optional) to import them."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  /* With --key and no file, only the rows kept sealed are tried. */
  if (master_path == NULL || (argc < 2 && key_path == NULL))
    {
      pk_cli_error ("merge", _("Give the master with --into FILE and at least one batch file."));
      return PK_EXIT_USAGE;
    }
  if ((key_path != NULL && (key = pk_coordinator_key_load (key_path, &error)) == NULL)
      || (trust_path != NULL && (trust = pk_trust_list_load (trust_path, &error)) == NULL)
      || (petition_path != NULL && (petition = pk_petition_new_from_file (petition_path, &error)) == NULL))
    {
      pk_cli_error ("merge", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  master = pk_store_open_master (master_path, &error);
  if (master == NULL
      || (merge = pk_merge_new (master, key, trust, petition != NULL ? pk_petition_get_id (petition) : NULL,
                                &error)) == NULL)
    {
      pk_cli_error ("merge", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  /* Each file is read and verified on a second core while the one
   * before it is written into the master; a file is said only once it
   * is on disk. */
  pk_merge_files (merge, (const char * const *) argv + 1, argc - 1, PK_MERGE_GROUP_ROWS, merge_file_done, &run);

  if (!open_kept_sealed (merge, &run.totals.added, &run.totals.duplicates, &error))
    {
      pk_cli_error ("merge", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  print_totals (&run.totals);
  if (!print_kept_sealed (master, &error))
    {
      pk_cli_error ("merge", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  if (run.master_failed)
    return PK_EXIT_FAILURE;
  return run.totals.rejected > 0 ? PK_EXIT_BAD_FILE : PK_EXIT_OK;
}
