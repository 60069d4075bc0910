/* pk-cmd-close-batch.c: `petition-kiosk close-batch`, a signed batch file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-close-batch"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch.h"
#include "pk-cli.h"
#include "pk-count-text.h"

int
pk_cmd_close_batch (int    argc,
                    char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *petition_path = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrote = NULL;
  g_autofree char *display = NULL;
  gint64 pending;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Database (default: the kiosk’s own)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The batch file to write (never overwritten)"), N_("FILE") },
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file, to record its version"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("close-batch", NULL,
                     _("Closes the open batch, writes it as a signed batch file and starts a new "
                       "batch. The rows stay in the database, marked exported."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1)
    {
      pk_cli_error ("close-batch", _("Unexpected argument “%s”."), argv[1]);
      return PK_EXIT_USAGE;
    }
  if (out == NULL)
    {
      pk_cli_error ("close-batch", _("Say where to write the batch with --out FILE."));
      return PK_EXIT_USAGE;
    }
  if (db_path == NULL)
    db_path = pk_store_default_path ();
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *db_display = g_filename_display_name (db_path);

      pk_cli_error ("close-batch", _("There is no database at %s."), db_display);
      return PK_EXIT_FAILURE;
    }
  if (petition_path != NULL && (petition = pk_petition_new_from_file (petition_path, &error)) == NULL)
    {
      pk_cli_error ("close-batch", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  store = pk_store_open (db_path, &error);
  if (store == NULL || (info = pk_batch_close (store, petition, out, &error)) == NULL)
    {
      pk_cli_error ("close-batch", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  display = g_filename_display_name (out);
  wrote = pk_count_text (info->n_rows, "Wrote %s signature to %s\n", "Wrote %s signatures to %s\n",
                         display, NULL);
  g_print ("%s", wrote);
  if (info->n_sheet_counts > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "and the count of %d paper sheet\n",
                          "and the counts of %d paper sheets\n", info->n_sheet_counts),
             (int) info->n_sheet_counts);
  pending = pk_batch_count_pending (store);
  if (pending > 0)
    g_print (_("Another batch is waiting (from before a petition switch): run close-batch again.\n"));
  return PK_EXIT_OK;
}
