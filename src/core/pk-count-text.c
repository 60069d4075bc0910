/* pk-count-text.c: a count in words, in the plural form of the language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phrase comes from a catalog, so it is filled in here rather than
 * passed to printf: the compiler cannot check a format that is not a
 * literal (-Wformat-nonliteral), and a translation with a stray %d must
 * not make printf read an argument that is not there.
 */
#define G_LOG_DOMAIN "pk-count-text"

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>

#include "pk-count-text.h"

/* The count and at most this many strings after it. */
#define PK_COUNT_TEXT_MAX_ARGS 4

/* Reads "%s" or "%N$s" at @p (just after the '%'): the argument's
 * index, or -1 when @p holds neither. *@next is set past it. */
static int
pk_count_text_conversion (const char  *p,
                          int          sequential,
                          const char **next)
{
  int index = 0;

  if (*p == 's')
    {
      *next = p + 1;
      return sequential;
    }
  while (g_ascii_isdigit (*p) && index < 100)
    index = index * 10 + (*p++ - '0');
  if (index >= 1 && p[0] == '$' && p[1] == 's')
    {
      *next = p + 2;
      return index - 1;
    }
  return -1;
}

char *
pk_count_text (gint64      n,
               const char *singular,
               const char *plural,
               ...)
{
  const char *args[PK_COUNT_TEXT_MAX_ARGS] = { NULL };
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  const char *phrase;
  const char *arg;
  GString *out;
  int n_args = 1;
  int sequential = 0;
  va_list ap;

  g_return_val_if_fail (singular != NULL && plural != NULL, NULL);

  args[0] = digits;
  va_start (ap, plural);
  for (arg = va_arg (ap, const char *);
       arg != NULL && n_args < PK_COUNT_TEXT_MAX_ARGS;
       arg = va_arg (ap, const char *))
    args[n_args++] = arg;
  va_end (ap);
  g_return_val_if_fail (arg == NULL, NULL);

  /* gettext's plural rules take an unsigned long; a negative count
   * never reaches a phrase, but would pick the plural. */
  phrase = g_dngettext (GETTEXT_PACKAGE, singular, plural, n >= 0 ? (gulong) n : G_MAXULONG);
  out = g_string_new (NULL);
  for (const char *p = phrase; *p != '\0'; p++)
    {
      const char *next;
      int index;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      index = pk_count_text_conversion (p + 1, sequential, &next);
      if (index < 0 || index >= n_args)
        {
          g_string_append_c (out, '%');
          continue;
        }
      g_string_append (out, args[index]);
      sequential = index + 1;
      p = next - 1;
    }
  return g_string_free (out, FALSE);
}
