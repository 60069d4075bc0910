/* pk-language-scope.c: translating in another language for a while
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-language-scope"

#include "config.h"

#include <locale.h>

#include "pk-language-scope.h"

/* GNU gettext's catalog generation counter. Glibc caches every lookup;
 * bumping it tells gettext that LANGUAGE changed, as the gettext manual
 * describes for programs that change it at run time. Without it the
 * first language keeps coming back. */
extern int _nl_msg_cat_cntr;

void
pk_language_switch (const char *lang)
{
  if (lang != NULL)
    g_setenv ("LANGUAGE", lang, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

void
pk_language_scope_enter (PkLanguageScope *scope,
                         const char      *lang)
{
  const char *current = g_getenv ("LANGUAGE");
  const char *messages = setlocale (LC_MESSAGES, NULL);

  g_return_if_fail (scope != NULL);
  g_return_if_fail (lang != NULL);

  scope->had_value = current != NULL;
  scope->saved = g_strdup (current);
  scope->saved_messages_locale = NULL;
  if (g_strcmp0 (messages, "C") == 0 || g_strcmp0 (messages, "POSIX") == 0)
    {
      scope->saved_messages_locale = g_strdup (messages);
      setlocale (LC_MESSAGES, "C.UTF-8");
    }
  pk_language_switch (lang);
}

void
pk_language_scope_leave (PkLanguageScope *scope)
{
  g_return_if_fail (scope != NULL);

  if (scope->saved_messages_locale != NULL)
    setlocale (LC_MESSAGES, scope->saved_messages_locale);
  pk_language_switch (scope->had_value ? scope->saved : NULL);
  g_clear_pointer (&scope->saved, g_free);
  g_clear_pointer (&scope->saved_messages_locale, g_free);
}
