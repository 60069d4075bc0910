/* pk-locale.c: the process's locale and translations, set up once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-locale"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "pk-data-dirs.h"
#include "pk-language-scope.h"
#include "pk-locale.h"

/* A kiosk laptop often has only C.UTF-8 generated. When the user's
 * locale (say ko_KR.UTF-8) is missing, glibc would fall back to plain "C",
 * where gettext translates nothing. Run under C.UTF-8 instead and ask for
 * the language through LANGUAGE, which gettext honours there. */
static void
pk_locale_setup (void)
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
      pk_language_switch (language);
    }

  /* gtk_init () calls setlocale (LC_ALL, "") once more; with the missing
   * locale still named in the environment that fails and warns. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
}

void
pk_locale_init (void)
{
  pk_locale_setup ();
  bindtextdomain (GETTEXT_PACKAGE, pk_data_dirs_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /* GLib decides once, at the first g_dgettext() (which GLib, GTK,
   * libadwaita and our plural messages all go through), whether to
   * translate at all. Were our domain already the default by then, on
   * a C.UTF-8 kiosk starting in English (for which we ship no
   * catalog) it would decide never to, and the Korean and German
   * screens would keep every plural and every GTK string in English.
   * Asked before textdomain(), GLib documents that it keeps
   * translating. */
  g_dgettext (GETTEXT_PACKAGE, "");
  textdomain (GETTEXT_PACKAGE);
}
