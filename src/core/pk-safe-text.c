/* pk-safe-text.c: text from hostile files, made safe for a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch file's kiosk name or event reaches `verify` and `report`
 * output. Raw, an ESC starts a terminal escape sequence (which can
 * rewrite what was printed before it, or set the window title), and a
 * right-to-left override makes "tampered" read as something else. Such
 * characters are refused where a batch is read and shown as <U+XXXX>
 * wherever text is printed.
 */
#define G_LOG_DOMAIN "pk-safe-text"

#include "config.h"

#include <string.h>

#include "pk-safe-text.h"

static gboolean
pk_safe_text_unsafe_char (gunichar c)
{
  switch (c)
    {
    case 0x061C:                                   /* Arabic letter mark */
    case 0x200E: case 0x200F:                      /* LRM, RLM */
    case 0x2028: case 0x2029:                      /* line, paragraph separator */
    case 0x202A: case 0x202B: case 0x202C:         /* embeddings, pop */
    case 0x202D: case 0x202E:                      /* overrides */
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:  /* isolates */
      return TRUE;
    default:
      return g_unichar_type (c) == G_UNICODE_CONTROL;
    }
}

gboolean
pk_safe_text_is_clean (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (pk_safe_text_unsafe_char (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
pk_safe_text_escape (const char *text,
                     gboolean    keep_newlines)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (pk_safe_text_unsafe_char (c) && !(keep_newlines && c == '\n'))
        g_string_append_printf (out, "<U+%04X>", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}
