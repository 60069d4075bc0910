/* main.c: one binary for the kiosk, the coordinator and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "petition-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pk-application.h"
#include "pk-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PkApplication) app = NULL;
  const PkCommand *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Subcommands never touch GTK, so they run without a display. */
  if (argc > 1 && (command = pk_cli_lookup (argv[1])) != NULL)
    return command->run (argc - 1, argv + 1);

  app = pk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
