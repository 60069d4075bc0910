/* main.c: one binary for the kiosk, the coordinator and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "petition-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>
#include <sqlite3.h>

#include "pk-app-module.h"
#include "pk-cli.h"
#include "pk-data-dirs.h"
#include "pk-locale.h"

/* Opens the module holding the GTK application and runs it. A missing or
 * broken module is said with GModule's own reason, status 1. */
static int
run_app_module (int    argc,
                char **argv)
{
  const char *path = pk_data_dirs_get_app_module ();
  GModule *module;
  PkAppModuleRun run = NULL;

  /* Lazy binding, as the dynamic loader does for the libraries an
   * executable needs: glibc would otherwise resolve every call of GTK and
   * of all it loads before the first window (test-cli checks that every
   * symbol the module calls is there). Local binding: GTK's symbols stay
   * the module's own. The module is never closed, for the types it
   * registers live as long as the process. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, PK_APP_MODULE_ENTRY, (gpointer *) &run))
    {
      g_printerr (_("petition-kiosk: neither the kiosk nor the coordinator’s window can start, for their "
                    "module cannot be opened: %s. The commands still work. Reinstall Petition Kiosk, or run "
                    "“meson install” again if you built it yourself.\n"),
                  g_module_error ());
      return PK_EXIT_FAILURE;
    }
  return run (argc, argv);
}

int
main (int   argc,
      char *argv[])
{
  const PkCommand *command;

  /* Before SQLite's first use: without memory statistics, which no
   * part of the app reads, SQLite allocates without taking a global
   * mutex each time (5-7 % of a merge's CPU). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
  pk_locale_init ();

  /* Subcommands never touch GTK, so they run without a display, and
   * without loading it: that is half the cost of starting one. */
  if (argc > 1 && (command = pk_cli_lookup (argv[1])) != NULL)
    {
      /* stdout of a subcommand is its result (a UUID, a count, JSON):
       * debug and info messages, which GLib would print there, go to
       * stderr with everything else. */
      g_log_writer_default_set_use_stderr (TRUE);
      return command->run (argc - 1, argv + 1);
    }

  /* --version alone, as scripts ask it, needs no window either; with
   * other options the application answers it, as it always did. */
  if (argc == 2 && g_str_equal (argv[1], "--version"))
    return pk_cli_print_version ();

  return run_app_module (argc, argv);
}
