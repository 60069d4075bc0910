/* pk-cmd-report.c: `petition-kiosk report`, totals of a master
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-report"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-report.h"

int
pk_cmd_report (int    argc,
               char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The master database: a file or a postgresql:// address (docs/scale.md)"),
      N_("FILE|URI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!pk_cli_parse ("report", NULL,
                     _("Prints totals by kiosk, event, day, source and language, the duplicates "
                       "and the rejected files."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1 || db_path == NULL)
    {
      pk_cli_error ("report", _("Give the master database with --db FILE."));
      return PK_EXIT_USAGE;
    }
  /* Reading must not create a database where there was none. */
  if (!pk_cli_check_master_exists ("report", db_path))
    return PK_EXIT_FAILURE;

  store = pk_store_open_master_read_only (db_path, &error);
  if (store == NULL || (report = pk_report_build (store, &error)) == NULL ||
      !pk_store_check_unchanged (store, &error))
    {
      pk_cli_error ("report", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  if (as_json)
    text = json_to_string (report, TRUE);
  else
    text = pk_report_to_text (report);
  g_print ("%s%s", text, as_json ? "\n" : "");
  return PK_EXIT_OK;
}
