/* pk-cmd-export.c: `petition-kiosk export`, CSV or OSDI JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-export"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-export.h"
#include "pk-export-target.h"

int
pk_cmd_export (int    argc,
               char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *out = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean bom = FALSE, include_duplicates = FALSE, force = FALSE;
  PkExportFormat format;
  PkExportFlags flags = PK_EXPORT_FLAGS_NONE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The master database: a file or a postgresql:// address (docs/scale.md)"),
      N_("FILE|URI") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv or osdi-json"), N_("FORMAT") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start the CSV with a byte-order mark, for spreadsheets"), NULL },
    { "include-duplicates", 0, 0, G_OPTION_ARG_NONE, &include_duplicates, N_("Also export the duplicates, marked"), NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The file to write (replaced atomically)"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace --out even when it is a database or a key file"), NULL },
    { NULL }
  };

  if (!pk_cli_parse ("export", NULL,
                     _("Exports one row per distinct signer, ordered by time. In CSV, whatever a "
                       "spreadsheet would run as a formula, at the start of a value or after a ';', "
                       "tab or line break in it, gets a single quote in front; drop one such quote at "
                       "each of those places to recover any value. Never replaces a database or a key "
                       "file without --force. Exit status: 0 exported; 6 the file is written in full, but "
                       "the disk did not confirm that it is stored safely (check it, or export again); "
                       "1 nothing was written, and an older file at --out is left as it was; 2 bad "
                       "usage."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1 || db_path == NULL || out == NULL)
    {
      pk_cli_error ("export", _("Give --db FILE, --format csv|osdi-json and --out FILE."));
      return PK_EXIT_USAGE;
    }
  if (!pk_export_format_from_string (format_name != NULL ? format_name : "csv", &format))
    {
      pk_cli_error ("export", _("Unknown format “%s”: use csv or osdi-json."), format_name);
      return PK_EXIT_USAGE;
    }
  /* Reading must not create a database where there was none. */
  if (!pk_cli_check_master_exists ("export", db_path))
    return PK_EXIT_FAILURE;
  if (!force && !pk_export_check_target (db_path, out, &error))
    {
      pk_cli_error ("export", _("%s Nothing was written; give --force to replace it all the same."),
                    error->message);
      return PK_EXIT_USAGE;
    }
  if (bom)
    flags |= PK_EXPORT_FLAGS_BOM;
  if (include_duplicates)
    flags |= PK_EXPORT_FLAGS_INCLUDE_DUPLICATES;

  store = pk_store_open_master_read_only (db_path, &error);
  if (store == NULL || pk_export_write (store, format, flags, out, &error) < 0)
    {
      pk_cli_error ("export", "%s", error->message);
      return g_error_matches (error, PK_EXPORT_ERROR, PK_EXPORT_ERROR_UNCONFIRMED)
             ? PK_EXIT_UNCONFIRMED : PK_EXIT_FAILURE;
    }
  return PK_EXIT_OK;
}
