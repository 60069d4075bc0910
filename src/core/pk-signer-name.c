/* pk-signer-name.c: a signer's name written as a language writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-signer-name"

#include "config.h"

#include "pk-signer-name.h"

/* Whether every letter of @text is Hangul or Han: the names Korean
 * prints without a space between family and given name. */
static gboolean
is_korean_script (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      if (script != G_UNICODE_SCRIPT_HANGUL && script != G_UNICODE_SCRIPT_HAN)
        return FALSE;
    }
  return TRUE;
}

char *
pk_signer_name_format (const char *given,
                       const char *family,
                       const char *lang)
{
  gboolean has_given = given != NULL && *given != '\0';
  gboolean has_family = family != NULL && *family != '\0';

  if (!has_given || !has_family)
    return has_given || has_family ? g_strdup (has_given ? given : family) : NULL;

  if (g_strcmp0 (lang, "ko") == 0)
    {
      if (is_korean_script (family) && is_korean_script (given))
        return g_strconcat (family, given, NULL);
      return g_strconcat (family, " ", given, NULL);
    }

  return g_strconcat (given, " ", family, NULL);
}
