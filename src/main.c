/* main.c: one binary for the kiosk, the coordinator and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "petition-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "pk-application.h"
#include "pk-cli.h"

/* A kiosk laptop often has only C.UTF-8 generated. When the user's
 * locale (say ko_KR.UTF-8) is missing, glibc would fall back to plain "C",
 * where gettext translates nothing. Run under C.UTF-8 instead and ask for
 * the language through LANGUAGE, which gettext honours there. */
static void
pk_setup_locale (void)
{
  const char *lang;

  if (setlocale (LC_ALL, "") != NULL)
    return;

  setlocale (LC_ALL, "C.UTF-8");
  lang = g_getenv ("LC_ALL");
  if (lang == NULL || *lang == '\0')
    lang = g_getenv ("LC_MESSAGES");
  if (lang == NULL || *lang == '\0')
    lang = g_getenv ("LANG");
  if (lang != NULL && *lang != '\0' && g_getenv ("LANGUAGE") == NULL)
    {
      g_autofree char *language = g_strndup (lang, strcspn (lang, "_.@"));
      g_setenv ("LANGUAGE", language, TRUE);
    }

  /* gtk_init () calls setlocale (LC_ALL, "") once more; with the missing
   * locale still named in the environment that fails and warns. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PkApplication) app = NULL;
  const PkCommand *command;

  pk_setup_locale ();
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PETITION_KIOSK_LOCALEDIR") ?: LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

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
