/* pk-cmd-sheets.c: `petition-kiosk sheets`, printable signature sheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-sheets"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-petition.h"
#include "pk-sheets.h"

int
pk_cmd_sheets (int    argc,
               char **argv)
{
  g_autofree char *petition_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *paper_name = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  int count = 0;
  int first = 1;
  PkPaper paper = PK_PAPER_A4;
  GOptionEntry entries[] = {
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file"), N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language of the sheets: ko, en or de (default: yours)"), N_("LANG") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_name, N_("Paper size: a4 (default) or letter"), N_("SIZE") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Number of sheets"), N_("N") },
    { "first-serial", 0, 0, G_OPTION_ARG_INT, &first, N_("Number of the first sheet (default 1); continue where the last print run ended"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("The PDF file to write"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("sheets", NULL,
                     _("Write signature sheets as a PDF, one numbered sheet per page."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (petition_path == NULL || out_path == NULL || count == 0)
    {
      pk_cli_error ("sheets", "%s", _("--petition, --count and --out are required."));
      return PK_EXIT_USAGE;
    }
  if (!pk_cli_check_print_options ("sheets", argc, argv, lang, paper_name, &paper))
    return PK_EXIT_USAGE;
  if (count < 1 || first < 1 || first > PK_SHEET_MAX_NUMBER
      || count > PK_SHEET_MAX_NUMBER - first + 1)
    {
      pk_cli_error ("sheets", _("Sheet numbers run from 1 to %u: check --count and --first-serial."),
                    (guint) PK_SHEET_MAX_NUMBER);
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL)
    {
      pk_cli_error ("sheets", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  if (!pk_sheets_write_pdf (petition, lang ? lang : pk_sheets_default_lang (), paper,
                            (guint) first, (guint) count, out_path, &error))
    {
      pk_cli_error ("sheets", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  return PK_EXIT_OK;
}
