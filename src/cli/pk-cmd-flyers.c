/* pk-cmd-flyers.c: `petition-kiosk flyers`, cards with the QR code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-flyers"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-petition.h"
#include "pk-sheets.h"

int
pk_cmd_flyers (int    argc,
               char **argv)
{
  g_autofree char *petition_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *paper_name = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  int pages = 1;
  PkPaper paper = PK_PAPER_A4;
  GOptionEntry entries[] = {
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file"), N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language of the cards: ko, en or de (default: yours)"), N_("LANG") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_name, N_("Paper size: a4 (default) or letter"), N_("SIZE") },
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, N_("Number of pages (default 1)"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("The PDF file to write"), N_("FILE") },
    { NULL }
  };
  g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "Write flyers as a PDF: %d card a page with the title, the QR code and the short URL, and cut marks.",
                                                           "Write flyers as a PDF: %d cards a page with the title, the QR code and the short URL, and cut marks.",
                                                           PK_FLYERS_PER_PAGE),
                                              PK_FLYERS_PER_PAGE);

  if (!pk_cli_parse ("flyers", NULL, summary, entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (petition_path == NULL || out_path == NULL)
    {
      pk_cli_error ("flyers", "%s", _("--petition and --out are required."));
      return PK_EXIT_USAGE;
    }
  if (!pk_cli_check_print_options ("flyers", argc, argv, lang, paper_name, &paper))
    return PK_EXIT_USAGE;
  if (pages < 1 || pages > 1000)
    {
      pk_cli_error ("flyers", "%s", _("--pages must be between 1 and 1000."));
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL)
    {
      pk_cli_error ("flyers", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  if (!pk_flyers_write_pdf (petition, lang ? lang : pk_sheets_default_lang (), paper,
                            (guint) pages, out_path, &error))
    {
      pk_cli_error ("flyers", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  return PK_EXIT_OK;
}
