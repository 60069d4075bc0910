/* pk-cli.c: subcommand table and shared option handling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pk-cli.h"
#include "pk-pg-location.h"
#include "pk-store.h"

static const PkCommand commands[] = {
  { "sign",  N_("Record one signature"),                  pk_cmd_sign },
  { "count", N_("Print the number of signatures"),        pk_cmd_count },
  { "sync",  N_("Send pending signatures to the online petition (OSDI)"), pk_cmd_sync },
  { "qr",     N_("Write the petition's QR code as PNG, SVG or PDF"), pk_cmd_qr },
  { "sheets", N_("Write printable signature sheets as PDF"),        pk_cmd_sheets },
  { "flyers", N_("Write flyer cards with the QR code as PDF"),      pk_cmd_flyers },
  { "import", N_("Import a typed-up signature sheet from CSV"),     pk_cmd_import },
  { "keygen",      N_("Make the coordinator's key pair"),                    pk_cmd_keygen },
  { "sign-petition", N_("Sign a petition file with the coordinator's key"),  pk_cmd_sign_petition },
  { "pin-coordinator", N_("Change the coordinator this kiosk trusts (asks for the PIN)"), pk_cmd_pin_coordinator },
  { "close-batch", N_("Close the open batch into a signed batch file"),      pk_cmd_close_batch },
  { "verify",      N_("Check that batch files are authentic and intact"),   pk_cmd_verify },
  { "merge",       N_("Merge batch files into a master database"),          pk_cmd_merge },
  { "report",      N_("Print the totals of a master database"),             pk_cmd_report },
  { "export",      N_("Export a master database as CSV or OSDI JSON"),      pk_cmd_export },
  { "copy-master", N_("Copy a master between a file and a PostgreSQL server"), pk_cmd_copy_master },
};

const PkCommand *
pk_cli_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

/* The optimal string alignment distance: insertions, deletions,
 * substitutions and swaps of two neighbours each cost one, so that
 * "mrege" is one step from "merge". */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *d = g_new0 (guint, (la + 1) * (lb + 1));
#define D(i, j) d[(i) * (lb + 1) + (j)]

  for (gsize i = 0; i <= la; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

        D (i, j) = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          D (i, j) = MIN (D (i, j), D (i - 2, j - 2) + 1);
      }
  return D (la, lb);
#undef D
}

int
pk_cli_unknown_command (const char *word)
{
  const char *nearest = NULL;
  guint best = G_MAXUINT;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (word != NULL, PK_EXIT_USAGE);

  if (pk_cli_lookup (word) != NULL)
    {
      fprintf (stderr, _("petition-kiosk: a command comes first, before any option: "
                         "petition-kiosk %s [OPTION…]\n"),
               word);
      return PK_EXIT_USAGE;
    }

  /* Long words are compared only with the names they could be a typo
   * of: about a third of the letters wrong, at least one,
   * at most three. */
  lower = g_ascii_strdown (word, -1);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      guint distance = edit_distance (lower, commands[i].name);

      if (distance < best)
        {
          best = distance;
          nearest = commands[i].name;
        }
    }

  if (nearest != NULL && best <= CLAMP ((strlen (nearest) + 1) / 3, 1, 3))
    fprintf (stderr, _("petition-kiosk: “%s” is not a command. Did you mean “%s”? "
                       "“petition-kiosk --help” lists the commands.\n"),
             word, nearest);
  else
    fprintf (stderr, _("petition-kiosk: “%s” is not a command. "
                       "“petition-kiosk --help” lists the commands.\n"),
             word);
  return PK_EXIT_USAGE;
}

int
pk_cli_print_version (void)
{
  g_print ("petition-kiosk %s\n", PACKAGE_VERSION);
  return PK_EXIT_OK;
}

char *
pk_cli_describe (void)
{
  GString *str = g_string_new (_("Commands (each has --help):"));

  g_string_append_c (str, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (str, "  %-16s %s\n", commands[i].name, _(commands[i].summary));

  return g_string_free (str, FALSE);
}

/* The commands that read a master on PostgreSQL (docs/scale.md). */
static gboolean
accepts_postgresql (const char *name)
{
  return g_str_equal (name, "count") || g_str_equal (name, "report") || g_str_equal (name, "export")
         || g_str_equal (name, "sync") || g_str_equal (name, "merge");
}

/* A database named by address (merge --into postgresql://…) is a usage
 * error, caught here once for every subcommand's --db and --into before
 * anything is opened or created; so is a PostgreSQL address that breaks
 * the rules of pk-pg-location.h, for the commands that take one. */
static gboolean
check_database_locations (const char   *name,
                          GOptionEntry *entries)
{
  for (GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    {
      g_autoptr(GError) error = NULL;
      const char *location;

      if (!g_str_equal (entry->long_name, "db") && !g_str_equal (entry->long_name, "into"))
        continue;
      location = *(const char **) entry->arg_data;
      if (location == NULL)
        continue;
      if (accepts_postgresql (name)
          ? !pk_store_check_master_location (location, &error)
          : !pk_store_location_is_supported (location, &error))
        {
          pk_cli_error (name, "--%s: %s", entry->long_name, error->message);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
pk_cli_check_master_exists (const char *name,
                            const char *location)
{
  g_autofree char *display = NULL;

  if (pk_pg_location_is_postgresql (location) || g_file_test (location, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  display = g_filename_display_name (location);
  pk_cli_error (name, _("There is no database at %s."), display);
  return FALSE;
}

gboolean
pk_cli_parse (const char    *name,
              const char    *parameter_string,
              const char    *summary,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("petition-kiosk %s", name);

  /* --help then reads "petition-kiosk sign [OPTION…]" rather than taking
   * the subcommand's argv[0] as the program's name. */
  if (g_get_prgname () == NULL)
    g_set_prgname (prgname);
  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      pk_cli_error (name, "%s", error->message);
      return FALSE;
    }

  return check_database_locations (name, entries);
}

void
pk_cli_error (const char *name,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "petition-kiosk %s: %s\n", name, message);
}

gboolean
pk_cli_check_print_options (const char  *name,
                            int          argc,
                            char       **argv,
                            const char  *lang,
                            const char  *paper_name,
                            PkPaper     *paper)
{
  if (argc > 1)
    {
      pk_cli_error (name, _("Unexpected argument “%s”."), argv[1]);
      return FALSE;
    }
  if (lang != NULL && !pk_language_is_supported (lang))
    {
      pk_cli_error (name, _("“%s” is not a language of the kiosk; use ko, en or de."), lang);
      return FALSE;
    }
  if (paper_name != NULL && !pk_paper_from_string (paper_name, paper))
    {
      pk_cli_error (name, _("“%s” is not a paper size; use a4 or letter."), paper_name);
      return FALSE;
    }
  return TRUE;
}
