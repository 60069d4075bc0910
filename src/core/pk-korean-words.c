/* pk-korean-words.c: Korean lines break between words, never inside one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One rule for the screen (src/app/pk-language.c) and for paper
 * (src/core/pk-print-layout.c), so a sheet and the kiosk break the same
 * Korean text in the same places.
 */
#define G_LOG_DOMAIN "pk-korean-words"

#include "config.h"

#include "pk-korean-words.h"

gboolean
pk_korean_words_mark (PangoAttrList    *attrs,
                      const char       *text,
                      PangoAttribute *(*new_attr) (void))
{
  const char *p = text;
  gboolean marked = FALSE;

  g_return_val_if_fail (attrs != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (new_attr != NULL, FALSE);

  while (*p != '\0')
    {
      const char *start;
      gboolean has_hangul = FALSE;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        {
          has_hangul |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
          p = g_utf8_next_char (p);
        }

      if (has_hangul)
        {
          PangoAttribute *word = new_attr ();

          word->start_index = (guint) (start - text);
          word->end_index = (guint) (p - text);
          pango_attr_list_insert (attrs, word);
          marked = TRUE;
        }
    }
  return marked;
}
