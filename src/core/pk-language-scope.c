/* pk-language-scope.c: translating in another language for a while
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-language-scope"

#include "config.h"

#include "pk-language-scope.h"

/* GNU gettext's catalog generation counter. Glibc caches every lookup;
 * bumping it tells gettext that LANGUAGE changed, as the gettext manual
 * describes for programs that change it at run time. */
extern int _nl_msg_cat_cntr;

void
pk_language_scope_enter (PkLanguageScope *scope,
                         const char      *lang)
{
  const char *current = g_getenv ("LANGUAGE");

  g_return_if_fail (scope != NULL);
  g_return_if_fail (lang != NULL);

  scope->had_value = current != NULL;
  scope->saved = g_strdup (current);
  g_setenv ("LANGUAGE", lang, TRUE);
  ++_nl_msg_cat_cntr;
}

void
pk_language_scope_leave (PkLanguageScope *scope)
{
  g_return_if_fail (scope != NULL);

  if (scope->had_value)
    g_setenv ("LANGUAGE", scope->saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
  g_clear_pointer (&scope->saved, g_free);
}
