/* pk-cmd-import.c: `petition-kiosk import`, a typed-up sheet from a spreadsheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV's header names its columns: the petition's field names, plus
 * `line` (the line on the sheet, required), `signed` (required: was the
 * line signed?) and `opt_in` (optional: the "keep me informed" tick).
 * docs/paper.md has the details and the yes/no words understood.
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
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store.h"

/* Columns beyond the signer fields. */
enum {
  COLUMN_LINE = PK_N_FIELDS,
  COLUMN_SIGNED,
  COLUMN_OPT_IN,
  N_COLUMNS
};

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

/* Yes and no as volunteers type them, in the kiosk's three languages,
 * plus the marks spreadsheets and tick boxes leave (x, 1, true). */
static gboolean
parse_yes_no (const char *text,
              gboolean   *out_value)
{
  static const char * const yes[] = { "yes", "y", "true", "1", "x", "ja", "j", "예", "네", "o", NULL };
  static const char * const no[] = { "no", "n", "false", "0", "nein", "아니오", "아니요", NULL };
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  if (g_strv_contains (yes, folded))
    *out_value = TRUE;
  else if (g_strv_contains (no, folded))
    *out_value = FALSE;
  else
    return FALSE;

  return TRUE;
}

static gboolean
parse_line_number (const char *text,
                   guint      *out_line)
{
  guint64 value = 0;
  g_autofree char *copy = g_strstrip (g_strdup (text));

  if (!g_ascii_string_to_unsigned (copy, 10, 1, PK_SHEET_LINES, &value, NULL))
    return FALSE;

  *out_line = (guint) value;
  return TRUE;
}

static char *
allowed_columns (PkPetition *petition)
{
  GString *str = g_string_new (NULL);

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (pk_petition_has_field (petition, f))
      g_string_append_printf (str, "%s, ", pk_field_to_string (f));
  g_string_append (str, "line, signed, opt_in");

  return g_string_free (str, FALSE);
}

/* Maps each header column to a field or COLUMN_*. */
static gboolean
read_header (PkPetition   *petition,
             PkCsvRecord  *header,
             int          *columns,
             GError      **error)
{
  gboolean seen[N_COLUMNS] = { FALSE };

  for (guint i = 0; i < header->n_fields; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (header->fields[i]), -1);
      PkField field;
      int column;

      if (g_str_equal (name, "line"))
        column = COLUMN_LINE;
      else if (g_str_equal (name, "signed"))
        column = COLUMN_SIGNED;
      else if (g_str_equal (name, "opt_in"))
        column = COLUMN_OPT_IN;
      else if (pk_field_from_string (name, &field) && pk_petition_has_field (petition, field))
        column = field;
      else
        {
          g_autofree char *allowed = allowed_columns (petition);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Line %u: column %u, “%s”, is not a column this petition knows. The columns can be: %s."),
                       header->line, i + 1, header->fields[i], allowed);
          return FALSE;
        }

      if (seen[column])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Line %u: the column “%s” appears twice."), header->line, name);
          return FALSE;
        }
      seen[column] = TRUE;
      columns[i] = column;
    }

  if (!seen[COLUMN_LINE] || !seen[COLUMN_SIGNED])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Line %u: the header needs a “line” column (the line on the sheet) and a “signed” column (yes or no)."),
                   header->line);
      return FALSE;
    }

  return TRUE;
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
  g_autofree int *columns = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GArray) sig_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  g_autoptr(GPtrArray) store_problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean skip_bad = FALSE;
  const char *csv_path;
  guint n_unsigned = 0;
  guint added = 0;
  PkCsvRecord *header;
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
  if (petition == NULL)
    {
      pk_cli_error ("import", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  serial = pk_sheet_serial_parse (petition, sheet, NULL, &error);
  if (serial == NULL)
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

  header = records->pdata[0];
  columns = g_new0 (int, header->n_fields);
  if (!read_header (petition, header, columns, &error))
    {
      pk_cli_error ("import", "%s: %s", csv_path, error->message);
      return PK_EXIT_USAGE;
    }

  for (guint r = 1; r < records->len; r++)
    {
      PkCsvRecord *record = records->pdata[r];
      g_autoptr(PkSignature) sig = NULL;
      gboolean blank = TRUE;
      gboolean is_signed = FALSE;
      gboolean ok = TRUE;

      if (record->n_fields != header->n_fields)
        {
          /* Translators: the row's count of columns chooses the form */
          g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "the row has %u column, the header %u.",
                                                                   "the row has %u columns, the header %u.",
                                                                   record->n_fields),
                                                      record->n_fields, header->n_fields);

          add_problem (problems, record->line, NULL, message);
          continue;
        }

      /* A row that is empty but for its line number is a line nobody
       * signed in a template with the numbers filled in: not a problem. */
      for (guint c = 0; c < record->n_fields; c++)
        if (columns[c] != COLUMN_LINE && *g_strstrip (record->fields[c]) != '\0')
          blank = FALSE;
      if (blank)
        continue;

      sig = pk_signature_new ();
      sig->source = PK_SOURCE_PAPER;
      sig->sheet_serial = g_strdup (serial);
      sig->lang = g_strdup (lang ? lang : pk_sheets_default_lang ());
      /* The signer signed under the consent and privacy notice printed
       * on the sheet, in the sheet's language, and under the
       * sensitive-data consent when the petition has one (the sheet says
       * a signature gives both). */
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;

      for (guint c = 0; c < record->n_fields; c++)
        {
          const char *value = record->fields[c];

          switch (columns[c])
            {
            case COLUMN_LINE:
              if (!parse_line_number (value, &sig->sheet_line))
                {
                  g_autofree char *message = g_strdup_printf (_("“%s” is not a line number from 1 to %u."),
                                                              value, (guint) PK_SHEET_LINES);

                  add_problem (problems, record->line, "line", message);
                  ok = FALSE;
                }
              break;
            case COLUMN_SIGNED:
              if (!parse_yes_no (value, &is_signed))
                {
                  g_autofree char *message = g_strdup_printf (_("“%s” is neither yes nor no."), value);

                  add_problem (problems, record->line, "signed", message);
                  ok = FALSE;
                }
              break;
            case COLUMN_OPT_IN:
              if (*value != '\0' && !parse_yes_no (value, &sig->opt_in))
                {
                  g_autofree char *message = g_strdup_printf (_("“%s” is neither yes nor no."), value);

                  add_problem (problems, record->line, "opt_in", message);
                  ok = FALSE;
                }
              break;
            default:
              pk_signature_set_field (sig, (PkField) columns[c], value);
              break;
            }
          if (!ok)
            break;
        }
      if (!ok)
        continue;

      if (!is_signed)
        {
          /* Reported, but not a problem: the volunteer typed what was on
           * the sheet, and an unsigned line does not count. */
          printf (_("%s:%u: line %u is not signed; skipped.\n"), csv_path, record->line, sig->sheet_line);
          n_unsigned++;
          continue;
        }

      g_ptr_array_add (sigs, g_steal_pointer (&sig));
      g_array_append_val (sig_lines, record->line);
    }

  store = pk_store_open (db_path, &error);
  if (store == NULL || !pk_pinned_coordinator_accept (store, petition, &error))
    {
      pk_cli_error ("import", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  /* Every row is checked, so that every problem is reported at once,
   * before anything is written. */
  store_problems = pk_store_paper_check (store, petition, sigs, &error);
  if (store_problems == NULL)
    {
      pk_cli_error ("import", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
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

  g_clear_pointer (&store_problems, g_ptr_array_unref);
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
