/* pk-normalize.c: normalization of what people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-normalize"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-normalize.h"
#include "pk-signature.h"

#define PK_MAX_EMAIL_LOCAL_CHARS 64
#define PK_MAX_DOMAIN_LABEL_CHARS 63
#define PK_MIN_PHONE_DIGITS 5
#define PK_MAX_PHONE_DIGITS 15

#define ZWNJ 0x200C
#define ZWJ  0x200D
#define WAVING_BLACK_FLAG 0x1F3F4

typedef enum {
  CHAR_KEEP,
  CHAR_SPACE,
  CHAR_STRIP,
  CHAR_REFUSE,
} CharClass;

/* Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
 * can make a name display as something else, or reorder the text around
 * it in an export; no name needs them, so they are refused outright. */
static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Format characters that are visible and belong to the text (the
 * "prepended concatenation marks" of Arabic, Syriac and Kaithi): they
 * are in category Cf but are not invisible, so they are kept. */
static gboolean
is_visible_format_char (gunichar c)
{
  return (c >= 0x0600 && c <= 0x0605) || c == 0x06DD || c == 0x070F ||
         c == 0x0890 || c == 0x0891 || c == 0x08E2 || c == 0x110BD || c == 0x110CD;
}

/* Emoji tag characters (U+E0020–U+E007F) spell subdivision flags such as
 * England's after U+1F3F4; anywhere else they only carry invisible text. */
static gboolean
is_tag_char (gunichar c)
{
  return c >= 0xE0020 && c <= 0xE007F;
}

static CharClass
classify (gunichar c,
          gunichar previous_kept)
{
  /* Tab and line breaks are whitespace a paste may bring along; they
   * collapse to one space like any other run of whitespace. */
  if (c == '\t' || c == '\n' || c == '\r')
    return CHAR_SPACE;

  if (is_bidi_control (c))
    return CHAR_REFUSE;

  /* ZWJ joins emoji sequences and shapes Indic scripts; ZWNJ is part of
   * the spelling of Persian and other words. Both are kept. */
  if (c == ZWJ || c == ZWNJ)
    return CHAR_KEEP;

  if (is_tag_char (c))
    return (previous_kept == WAVING_BLACK_FLAG || is_tag_char (previous_kept))
           ? CHAR_KEEP : CHAR_STRIP;

  /* Hangul fillers render as nothing and are the usual way to type an
   * "empty" name that passes a non-empty check. */
  if (c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0)
    return CHAR_STRIP;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
      return CHAR_REFUSE;

    case G_UNICODE_FORMAT:
      /* Zero-width space, word joiner, soft hyphen, BOM, and the
       * left-to-right and right-to-left marks: invisible, so two names
       * that look the same would differ. They are dropped rather than
       * refused because phones and word processors insert them
       * unasked. */
      return is_visible_format_char (c) ? CHAR_KEEP : CHAR_STRIP;

    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return CHAR_SPACE;

    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    default:
      return CHAR_KEEP;
    }
}

static void
set_invalid_text (GError **error)
{
  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                       _("This contains characters that cannot be used here."));
}

static void
set_too_long (GError **error,
              guint    max_chars)
{
  g_set_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_TOO_LONG,
               g_dngettext (GETTEXT_PACKAGE,
                            "This is too long: at most %u character, please.",
                            "This is too long: at most %u characters, please.",
                            max_chars),
               max_chars);
}

char *
pk_normalize_text (const char *input,
                   gssize      length,
                   guint       max_chars,
                   GError    **error)
{
  g_autoptr(GString) filtered = NULL;
  g_autofree char *composed = NULL;
  GString *collapsed;
  gunichar previous_kept = 0;
  gboolean pending_space = FALSE;
  gsize len;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    return g_strdup ("");

  /* Bound the work before looking at the text at all: strnlen never
   * reads past the limit even when the input is not terminated there. */
  if (length < 0)
    len = strnlen (input, PK_MAX_INPUT_BYTES + 1);
  else
    len = (gsize) length;

  if (len > PK_MAX_INPUT_BYTES)
    {
      set_too_long (error, max_chars);
      return NULL;
    }

  /* An embedded NUL would silently cut the text short in C strings and
   * in SQLite; it is never part of what someone typed. */
  if (memchr (input, '\0', len) != NULL || !g_utf8_validate_len (input, len, NULL))
    {
      set_invalid_text (error);
      return NULL;
    }

  filtered = g_string_sized_new (len);
  for (const char *p = input; p < input + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (classify (c, previous_kept))
        {
        case CHAR_REFUSE:
          set_invalid_text (error);
          return NULL;

        case CHAR_STRIP:
          break;

        case CHAR_SPACE:
          g_string_append_c (filtered, ' ');
          previous_kept = ' ';
          break;

        case CHAR_KEEP:
        default:
          g_string_append_unichar (filtered, c);
          previous_kept = c;
          break;
        }
    }

  /* Composition comes after stripping, so that a mark separated from its
   * base by an invisible character still composes with it, and Hangul
   * typed as conjoining jamo becomes the same syllables as typed whole. */
  composed = g_utf8_normalize (filtered->str, filtered->len, G_NORMALIZE_NFC);
  if (composed == NULL)
    {
      set_invalid_text (error);
      return NULL;
    }

  collapsed = g_string_sized_new (strlen (composed));
  for (const char *p = composed; *p != '\0'; p++)
    {
      /* Only ASCII space is left as whitespace after the filter above
       * (NFC maps spaces only to spaces). */
      if (*p == ' ')
        {
          pending_space = collapsed->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (collapsed, ' ');
      pending_space = FALSE;
      g_string_append_c (collapsed, *p);
    }

  if (g_utf8_strlen (collapsed->str, collapsed->len) > (glong) max_chars)
    {
      g_string_free (collapsed, TRUE);
      set_too_long (error, max_chars);
      return NULL;
    }

  return g_string_free (collapsed, FALSE);
}

static void
set_bad_email (GError **error)
{
  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_EMAIL,
                       _("Please check the email address, for example name@example.org."));
}

static gboolean
is_valid_domain_label (const char *label,
                       gsize       len)
{
  glong n_chars;

  if (len == 0)
    return FALSE;

  n_chars = g_utf8_strlen (label, len);
  if (n_chars > PK_MAX_DOMAIN_LABEL_CHARS)
    return FALSE;

  if (label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  /* Letters of any script are allowed: internationalized domain names
   * are typed in their Unicode form. */
  for (const char *p = label; p < label + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '-' && !g_unichar_isalnum (c) && !g_unichar_ismark (c) &&
          c != ZWJ && c != ZWNJ)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_local_part (const char *local,
                     gsize       len)
{
  if (len == 0 || g_utf8_strlen (local, len) > PK_MAX_EMAIL_LOCAL_CHARS)
    return FALSE;

  if (local[0] == '.' || local[len - 1] == '.')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      /* Quoted local parts and comments are legal in RFC 5322 but no one
       * types them at a kiosk; refusing them catches typos instead. */
      if (strchr (" \"(),:;<>[\\]", local[i]) != NULL)
        return FALSE;
      if (local[i] == '.' && local[i + 1] == '.')
        return FALSE;
    }

  return TRUE;
}

char *
pk_normalize_email (const char *input,
                    GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  const char *tld;
  gboolean tld_has_letter = FALSE;
  guint n_labels = 0;

  g_return_val_if_fail (input != NULL, NULL);

  text = pk_normalize_text (input, -1, PK_MAX_EMAIL_CHARS, error);
  if (text == NULL)
    return NULL;

  at = strchr (text, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL ||
      !is_valid_local_part (text, at - text))
    {
      set_bad_email (error);
      return NULL;
    }

  /* Domains are case-insensitive, so lower-casing them loses nothing;
   * the local part may legally be case-sensitive and is kept as typed. */
  domain = g_utf8_strdown (at + 1, -1);
  if (*domain == '\0')
    {
      set_bad_email (error);
      return NULL;
    }

  for (const char *label = domain; label != NULL; )
    {
      const char *dot = strchr (label, '.');
      gsize len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (!is_valid_domain_label (label, len))
        {
          set_bad_email (error);
          return NULL;
        }
      n_labels++;
      label = dot != NULL ? dot + 1 : NULL;
    }

  tld = strrchr (domain, '.');
  if (tld != NULL)
    for (const char *p = tld + 1; *p != '\0'; p = g_utf8_next_char (p))
      if (g_unichar_isalpha (g_utf8_get_char (p)))
        tld_has_letter = TRUE;

  /* "name@localhost" or "name@192.168.0.1" are no address anyone gives
   * to a petition: ask for a dot and a top-level domain with a letter. */
  if (n_labels < 2 || !tld_has_letter)
    {
      set_bad_email (error);
      return NULL;
    }

  return g_strdup_printf ("%.*s@%s", (int) (at - text), text, domain);
}

static gboolean
pk_is_ascii (const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    if ((guchar) *c >= 0x80)
      return FALSE;
  return TRUE;
}

char *
pk_email_compare_key (const char *normalized_email)
{
  g_autofree char *lower = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (normalized_email != NULL, NULL);

  /* Nearly every address is ASCII, where all of the below is plain
   * lower-casing; the merge computes this for every row it reads. (It is
   * also the same in a Turkic locale, where g_utf8_strdown() would turn
   * 'I' into a dotless 'ı'.) */
  if (pk_is_ascii (normalized_email))
    return g_ascii_strdown (normalized_email, -1);

  /* GLib folds Cherokee small letters to capitals (as CaseFolding.txt
   * does) but folds capitals through tolower(), back to small letters, so
   * casefold alone would give one address two keys. Lower-casing first
   * makes both spellings meet on the same folded form. Folding can also
   * leave text that is not NFC (some Greek accents): compose again. */
  lower = g_utf8_strdown (normalized_email, -1);
  folded = g_utf8_casefold (lower, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

char *
pk_normalize_phone (const char *input,
                    GError    **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) phone = NULL;
  guint n_digits = 0;

  g_return_val_if_fail (input != NULL, NULL);

  text = pk_normalize_text (input, -1, PK_MAX_PHONE_CHARS, error);
  if (text == NULL)
    return NULL;

  phone = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      /* Korean and Japanese input methods often produce full-width
       * digits; any decimal digit counts and is stored as ASCII. */
      if (digit >= 0)
        {
          g_string_append_c (phone, (char) ('0' + digit));
          n_digits++;
        }
      else if ((c == '+' || c == 0xFF0B) && p == text)
        g_string_append_c (phone, '+');
      else if (c >= 0x80 || strchr (" -.()/", (int) c) == NULL)
        {
          g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                               _("Please check the phone number: use only digits, spaces and a leading +."));
          return NULL;
        }
    }

  if (n_digits < PK_MIN_PHONE_DIGITS || n_digits > PK_MAX_PHONE_DIGITS)
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                           _("Please check the phone number: it needs 5 to 15 digits."));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&phone), FALSE);
}
