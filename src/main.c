/* main.c: one binary for the kiosk, the coordinator and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "petition-kiosk"

#include "config.h"

#include <glib.h>
#include <sqlite3.h>

#include "pk-application.h"
#include "pk-cli.h"
#include "pk-language.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PkApplication) app = NULL;
  const PkCommand *command;

  /* Before SQLite's first use: without memory statistics, which no
   * part of the app reads, SQLite allocates without taking a global
   * mutex each time (a tenth of a merge's CPU). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
  pk_language_init ();

  /* Subcommands never touch GTK, so they run without a display. */
  if (argc > 1 && (command = pk_cli_lookup (argv[1])) != NULL)
    {
      /* stdout of a subcommand is its result (a UUID, a count, JSON):
       * debug and info messages, which GLib would print there, go to
       * stderr with everything else. */
      g_log_writer_default_set_use_stderr (TRUE);
      return command->run (argc - 1, argv + 1);
    }

  app = pk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
