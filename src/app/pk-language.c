/* pk-language.c: switching the kiosk's language while it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-language"

#include "config.h"

#include "pk-language.h"

/* GNU gettext's catalog generation counter. Glibc caches every lookup;
 * bumping this tells it the catalogs changed, as the gettext manual
 * describes for programs that change LANGUAGE at run time. Without it
 * the first language keeps coming back. */
extern int _nl_msg_cat_cntr;

void
pk_language_apply (const char *lang)
{
  g_return_if_fail (lang != NULL);

  /* LANGUAGE wins over LC_MESSAGES whenever the locale is not plain C,
   * and main.c makes sure it never is. */
  g_setenv ("LANGUAGE", lang, TRUE);
  ++_nl_msg_cat_cntr;
}

const char *
pk_language_native_name (const char *lang)
{
  /* Each language is named in itself, never translated: a signer looks
   * for the button they can read. */
  if (g_strcmp0 (lang, "ko") == 0)
    return "한국어";
  if (g_strcmp0 (lang, "de") == 0)
    return "Deutsch";
  return "English";
}
