/* pk-cmd-import.c: `petition-kiosk import`, a typed-up sheet from a spreadsheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV's header names its columns: the petition's field names, plus
 * `line` (the line on the sheet, required), `signed` (required: was the
 * line signed?) and `opt_in` (optional: the "keep me informed" tick).
 * src/core/pk-sheet-csv.c reads them; docs/paper.md has the details and
 * the yes/no words understood. Every problem is reported with its CSV
 * line before anything is written.
 */
#define G_LOG_DOMAIN "pk-cmd-import"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "pk-cli.h"
#include "pk-csv.h"
#include "pk-petition.h"
#include "pk-pinned-coordinator.h"
#include "pk-sheet-csv.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store.h"

typedef struct {
  guint  csv_line;
  char  *message;
} Problem;

static void
problem_free (Problem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static gint
problem_compare (gconstpointer a,
                 gconstpointer b)
{
  const Problem *pa = *(const Problem * const *) a;
  const Problem *pb = *(const Problem * const *) b;

  return (pa->csv_line > pb->csv_line) - (pa->csv_line < pb->csv_line);
}

static void
add_problem (GPtrArray  *problems,
             guint       csv_line,
             const char *column,
             const char *message)
{
  Problem *problem = g_new0 (Problem, 1);

  problem->csv_line = csv_line;
  problem->message = column != NULL ? g_strdup_printf ("%s: %s", column, message)
                                    : g_strdup (message);
  g_ptr_array_add (problems, problem);
}

/* Reads the rows after the header into @sigs (the signed lines) and
 * @sig_lines (the CSV line of each), and the bad rows into @problems;
 * unsigned lines are said and counted in *@n_unsigned. */
static void
read_rows (const char              *csv_path,
           const PkSheetCsvColumns *columns,
           GPtrArray               *records,
           const char              *serial,
           const char              *lang,
           GPtrArray               *sigs,
           GArray                  *sig_lines,
           GPtrArray               *problems,
           guint                   *n_unsigned)
{
  for (guint r = 1; r < records->len; r++)
    {
      PkCsvRecord *record = records->pdata[r];
      g_autoptr(PkSignature) sig = NULL;
      g_autoptr(GError) error = NULL;
      const char *column = NULL;

      switch (pk_sheet_csv_read_row (columns, record, serial, lang, &sig, &column, &error))
        {
        case PK_SHEET_CSV_ROW_BLANK:
          break;
        case PK_SHEET_CSV_ROW_BAD:
          add_problem (problems, record->line, column, error->message);
          break;
        case PK_SHEET_CSV_ROW_UNSIGNED:
          /* Reported, but not a problem: the volunteer typed what was on
           * the sheet, and an unsigned line does not count. */
          printf (_("%s:%u: line %u is not signed; skipped.\n"), csv_path, record->line, sig->sheet_line);
          (*n_unsigned)++;
          break;
        case PK_SHEET_CSV_ROW_SIGNED:
          g_ptr_array_add (sigs, g_steal_pointer (&sig));
          g_array_append_val (sig_lines, record->line);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* Adds what the store finds wrong with @sigs (a field that does not
 * validate, a line entered before) to @problems, and prints them all in
 * the order of the CSV. */
static gboolean
check_rows (const char  *csv_path,
            PkStore     *store,
            PkPetition  *petition,
            GPtrArray   *sigs,
            GArray      *sig_lines,
            GPtrArray   *problems,
            GError     **error)
{
  g_autoptr(GPtrArray) store_problems = pk_store_paper_check (store, petition, sigs, error);

  if (store_problems == NULL)
    return FALSE;
  for (guint i = 0; i < store_problems->len; i++)
    {
      PkPaperProblem *problem = store_problems->pdata[i];

      add_problem (problems, g_array_index (sig_lines, guint, problem->index),
                   problem->field < PK_N_FIELDS ? pk_field_to_string (problem->field) : NULL,
                   problem->error->message);
    }

  g_ptr_array_sort (problems, problem_compare);
  for (guint i = 0; i < problems->len; i++)
    {
      Problem *problem = problems->pdata[i];

      fprintf (stderr, "%s:%u: %s\n", csv_path, problem->csv_line, problem->message);
    }
  return TRUE;
}

/* Checks the rows read and, unless a problem stops it, saves them. */
static int
save_rows (const char *db_path,
           const char *csv_path,
           PkPetition *petition,
           const char *serial,
           GPtrArray  *sigs,
           GArray     *sig_lines,
           GPtrArray  *problems,
           guint       n_unsigned,
           gboolean    skip_bad)
{
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GPtrArray) store_problems = NULL;
  g_autoptr(GError) error = NULL;
  guint added = 0;

  store = pk_store_open (db_path, &error);
  if (store == NULL || !pk_pinned_coordinator_accept (store, petition, &error)
      || !check_rows (csv_path, store, petition, sigs, sig_lines, problems, &error))
    {
      pk_cli_error ("import", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  if (problems->len > 0 && !skip_bad)
    {
      pk_cli_error ("import",
                    g_dngettext (GETTEXT_PACKAGE,
                                 "%u row has a problem, so nothing was imported. Correct it, or import the good rows with --skip-bad.",
                                 "%u rows have problems, so nothing was imported. Correct them, or import the good rows with --skip-bad.",
                                 problems->len),
                    problems->len);
      return PK_EXIT_USAGE;
    }

  if (!pk_store_add_paper_signatures (store, petition, sigs, TRUE, &store_problems, &added, &error))
    {
      pk_cli_error ("import", "%s", error->message);
      if (added > 0)
        pk_cli_error ("import",
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%u row was saved before this; importing the same file again reports it as already entered.",
                                   "%u rows were saved before this; importing the same file again reports them as already entered.",
                                   added),
                      added);
      return PK_EXIT_FAILURE;
    }

  printf (g_dngettext (GETTEXT_PACKAGE,
                       "Imported %u signature from sheet %s",
                       "Imported %u signatures from sheet %s",
                       added),
          added, serial);
  printf (g_dngettext (GETTEXT_PACKAGE, "; %u bad row skipped", "; %u bad rows skipped", problems->len),
          problems->len);
  printf (g_dngettext (GETTEXT_PACKAGE, "; %u unsigned line.\n", "; %u unsigned lines.\n", n_unsigned),
          n_unsigned);

  return PK_EXIT_OK;
}

int
pk_cmd_import (int    argc,
               char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *petition_path = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *serial = NULL;
  g_autoptr(PkSheetCsvColumns) columns = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GArray) sig_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  g_autoptr(GError) error = NULL;
  gboolean skip_bad = FALSE;
  const char *csv_path;
  guint n_unsigned = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file"), N_("FILE") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, N_("The serial printed on the sheet, e.g. PK-3FA2C1-000042, or its number"), N_("SERIAL") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("The language of the sheet, in which its country names are read (English ones always are): ko, en or de (default: yours)"), N_("LANG") },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Import the good rows even if some are bad"), NULL },
    { NULL }
  };

  if (!pk_cli_parse ("import", _("FILE.csv"),
                     _("Import the lines of one signature sheet typed into a spreadsheet. Every bad row is reported with its line number; unless --skip-bad is given, nothing is imported if any row is bad."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (db_path == NULL || petition_path == NULL || sheet == NULL || argc != 2)
    {
      pk_cli_error ("import", "%s", _("--db, --petition, --sheet and one CSV file are required."));
      return PK_EXIT_USAGE;
    }
  csv_path = argv[1];
  if (lang != NULL && !pk_language_is_supported (lang))
    {
      pk_cli_error ("import", _("“%s” is not a language of the kiosk; use ko, en or de."), lang);
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL || (serial = pk_sheet_serial_parse (petition, sheet, NULL, &error)) == NULL)
    {
      pk_cli_error ("import", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  records = pk_csv_parse_file (csv_path, &error);
  if (records == NULL)
    {
      pk_cli_error ("import", "%s: %s", csv_path, error->message);
      return g_error_matches (error, PK_CSV_ERROR, PK_CSV_ERROR_FAILED) ? PK_EXIT_FAILURE : PK_EXIT_USAGE;
    }
  if (records->len == 0)
    {
      pk_cli_error ("import", _("%s: the file is empty."), csv_path);
      return PK_EXIT_USAGE;
    }
  columns = pk_sheet_csv_columns_new (petition, records->pdata[0], &error);
  if (columns == NULL)
    {
      pk_cli_error ("import", "%s: %s", csv_path, error->message);
      return PK_EXIT_USAGE;
    }

  read_rows (csv_path, columns, records, serial, lang ? lang : pk_sheets_default_lang (),
             sigs, sig_lines, problems, &n_unsigned);
  return save_rows (db_path, csv_path, petition, serial, sigs, sig_lines, problems, n_unsigned, skip_bad);
}
