/* pk-cmd-copy-master.c: `petition-kiosk copy-master`, moving a master
 * between a SQLite file and a PostgreSQL server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-copy-master"

#include "config.h"

#include <glib/gi18n.h>
/* PRId64 rather than G_GINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros. */
#include <inttypes.h>

#include "pk-cli.h"
#include "pk-copy-master.h"
#include "pk-store.h"

/* The rules of pk-pg-location.h for an address, and for a path that it
 * is one (no "file:" URI or other scheme); FALSE, having said why. */
static gboolean
check_location (const char *option,
                const char *location)
{
  g_autoptr(GError) error = NULL;

  if (pk_store_check_master_location (location, &error))
    return TRUE;
  pk_cli_error ("copy-master", "--%s: %s", option, error->message);
  return FALSE;
}

int
pk_cmd_copy_master (int    argc,
                    char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, N_("The master to copy: a file or a postgresql:// address"),
      N_("FILE|URI") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to,
      N_("Where to copy it: a new file, or an empty PostgreSQL database"), N_("FILE|URI") },
    { NULL }
  };

  if (!pk_cli_parse ("copy-master", NULL,
                     _("Copies a master database, every table with its ids and bytes exactly as they are, "
                       "from a SQLite file to a PostgreSQL server or back (or file to file), in one "
                       "transaction: if anything fails, nothing of the copy is left. The target must be a "
                       "file that does not exist yet, or an empty PostgreSQL database. Addresses hold no "
                       "password (use ~/.pgpass or a service file) and reach a server over the network "
                       "only with sslmode=verify-full; see docs/scale.md. Exit status: 0 copied; 1 nothing "
                       "was copied; 2 bad usage."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1 || from == NULL || to == NULL)
    {
      pk_cli_error ("copy-master", _("Give the master to copy with --from and where to copy it with --to."));
      return PK_EXIT_USAGE;
    }
  if (!check_location ("from", from) || !check_location ("to", to))
    return PK_EXIT_USAGE;
  if (!pk_cli_check_master_exists ("copy-master", from))
    return PK_EXIT_FAILURE;

  n = pk_copy_master (from, to, &error);
  if (n < 0)
    {
      pk_cli_error ("copy-master", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  /* Translators: after copy-master, the number of signatures copied */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Copied the master with %" PRId64 " signature.\n",
                        "Copied the master with %" PRId64 " signatures.\n", (gulong) n), n);
  return PK_EXIT_OK;
}
