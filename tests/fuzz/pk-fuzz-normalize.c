/* pk-fuzz-normalize.c: fuzz target for field normalization and validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything a signer types goes through pk-normalize and
 * pk_signature_validate() before it is stored, compared for duplicates
 * or exported. The first input byte picks what is exercised; the rest is
 * the text, NUL bytes included. Beyond "no crash", each result must have
 * the properties the header promises, and normalizing twice must change
 * nothing: otherwise the same person typed twice would not compare equal.
 */
#define G_LOG_DOMAIN "pk-fuzz-normalize"

#include "config.h"

#include <string.h>

#include "pk-fuzz.h"
#include "pk-normalize.h"
#include "pk-signature.h"

static const char petition_data[] =
  "[Petition]\n"
  "Id=fuzz\n"
  "Version=1\n"
  "Title=Fuzz\n"
  "Summary=Fuzz\n"
  "Text=Fuzz\n"
  "Url=https://example.org/fuzz\n"
  "Goal=10\n"
  "Organizer=Fuzz\n"
  "Fields=given_name;family_name;email;phone;postal_code;country;comment;\n"
  "Required=\n"
  "ConsentText=Yes\n";

static gboolean
is_forbidden (gunichar c)
{
  /* Controls, bidi embeddings, overrides and isolates are refused; the
   * zero-width space and the BOM are stripped. */
  return g_unichar_iscntrl (c)
         || (c >= 0x202A && c <= 0x202E)
         || (c >= 0x2066 && c <= 0x2069)
         || c == 0x200B || c == 0xFEFF;
}

static void
check_normalized_text (const char *text,
                       guint       max_chars)
{
  g_autofree char *nfc = NULL;
  gunichar previous = 0;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, max_chars);

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (nfc, ==, text);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (is_forbidden (c));
      /* Trimmed, inner whitespace collapsed to one space. */
      if (g_unichar_isspace (c))
        {
          g_assert_true (c == ' ');
          g_assert_true (p != text);
          g_assert_true (p[1] != '\0');
          g_assert_true (previous != ' ');
        }
      previous = c;
    }
}

static void
fuzz_text (const char *input,
           gssize      length,
           guint       max_chars)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *again = NULL;

  result = pk_normalize_text (input, length, max_chars, &error);
  if (result == NULL)
    {
      g_assert_true (g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT)
                     || g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_TOO_LONG));
      return;
    }
  g_assert_no_error (error);
  check_normalized_text (result, max_chars);

  again = pk_normalize_text (result, -1, max_chars, &again_error);
  g_assert_no_error (again_error);
  g_assert_cmpstr (again, ==, result);
}

static void
fuzz_email (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *again = NULL;
  g_autofree char *key = NULL;
  g_autofree char *key_again = NULL;
  const char *at;

  result = pk_normalize_email (input, &error);
  if (result == NULL)
    {
      g_assert_true (error != NULL && error->domain == PK_SIGNATURE_ERROR);
      return;
    }
  g_assert_no_error (error);
  check_normalized_text (result, PK_MAX_EMAIL_CHARS);

  at = strchr (result, '@');
  g_assert_nonnull (at);
  g_assert_true (at != result);
  g_assert_null (strchr (at + 1, '@'));
  g_assert_nonnull (strchr (at + 1, '.'));

  again = pk_normalize_email (result, &again_error);
  g_assert_no_error (again_error);
  g_assert_cmpstr (again, ==, result);

  /* The comparison key is a function of the letters, not of their case. */
  key = pk_email_compare_key (result);
  g_assert_nonnull (key);
  key_again = pk_email_compare_key (key);
  g_assert_cmpstr (key_again, ==, key);
}

static void
fuzz_phone (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *again = NULL;
  guint digits = 0;

  result = pk_normalize_phone (input, &error);
  if (result == NULL)
    {
      g_assert_true (error != NULL && error->domain == PK_SIGNATURE_ERROR);
      return;
    }
  g_assert_no_error (error);

  for (const char *p = result; *p != '\0'; p++)
    {
      if (*p == '+')
        g_assert_true (p == result);
      else
        {
          g_assert_true (g_ascii_isdigit (*p));
          digits++;
        }
    }
  g_assert_cmpuint (digits, >=, 5);
  g_assert_cmpuint (digits, <=, 15);

  again = pk_normalize_phone (result, &again_error);
  g_assert_no_error (again_error);
  g_assert_cmpstr (again, ==, result);
}

static void
fuzz_signature (const char *input,
                gsize       length)
{
  static PkPetition *petition;
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(PkSignature) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  PkField field = PK_N_FIELDS;

  /* Parsed once: the petition is not what is being fuzzed here. */
  if (petition == NULL)
    {
      petition = pk_petition_new_from_data (petition_data, sizeof petition_data - 1, &error);
      g_assert_no_error (error);
    }

  /* Lines are the fields in storage order; NUL bytes end the input here
   * as they would end a C string coming from a widget. */
  parts = g_strsplit (input, "\n", PK_N_FIELDS + 1);
  for (guint i = 0; i < PK_N_FIELDS && parts[i] != NULL; i++)
    pk_signature_set_field (sig, i, parts[i]);
  sig->consent = length % 2 == 0;
  sig->lang = g_strdup (pk_languages[length % PK_N_LANGUAGES]);

  if (!pk_signature_validate (sig, petition, &field, &error))
    {
      g_assert_true (error != NULL && error->domain == PK_SIGNATURE_ERROR);
      g_assert_cmpint (field, <=, PK_N_FIELDS);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (sig->consent);
  g_assert_true (sig->fields[PK_FIELD_GIVEN_NAME] != NULL
                 || sig->fields[PK_FIELD_FAMILY_NAME] != NULL);

  /* Validating what was validated must accept it unchanged. */
  copy = pk_signature_copy (sig);
  g_assert_true (pk_signature_validate (copy, petition, &field, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_assert_true (sig->fields[i] == NULL || sig->fields[i][0] != '\0');
      g_assert_cmpstr (copy->fields[i], ==, sig->fields[i]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  const char *input;
  gssize length;

  if (size == 0)
    return 0;

  input = (const char *) data + 1;
  length = size - 1;
  text = g_strndup (input, length);

  switch (data[0] % 6)
    {
    case 0:
      /* With an explicit length, so NUL bytes reach the normalizer. */
      fuzz_text (input, length, PK_MAX_NAME_CHARS);
      break;
    case 1:
      fuzz_text (text, -1, PK_MAX_COMMENT_CHARS);
      break;
    case 2:
      fuzz_text (input, length, PK_MAX_POSTAL_CHARS);
      break;
    case 3:
      fuzz_email (text);
      break;
    case 4:
      fuzz_phone (text);
      break;
    default:
      fuzz_signature (text, (gsize) length);
      break;
    }

  return 0;
}
