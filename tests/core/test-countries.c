/* test-countries.c: country names as people write them, in the
 * language of the sheet or the signer, not of the program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "pk-countries.h"

/* The code @name is read as, or NULL with the error kept in @error. */
static char *
code_for (const char  *name,
          const char  *lang,
          const char  *home,
          GError     **error)
{
  return pk_country_code_for_name (name, lang, home, error);
}

static void
assert_code (const char *name,
             const char *lang,
             const char *home,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = code_for (name, lang, home, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, expected);
}

/* The tests run under LANGUAGE=en: the sheet's language comes from the
 * argument alone, and the program's own language is left as it was. */
static void
test_everyday_names (void)
{
  assert_code ("대한민국", "ko", NULL, "KR");
  assert_code ("한국", "ko", NULL, "KR");
  assert_code ("남한", "ko", NULL, "KR");
  assert_code ("북한", "ko", NULL, "KP");
  assert_code ("독일", "ko", NULL, "DE");
  assert_code ("South Korea", "en", NULL, "KR");
  assert_code ("Germany", "en", NULL, "DE");
  assert_code ("Deutschland", "de", NULL, "DE");
  assert_code ("deutschland", "de", NULL, "DE");
  assert_code ("Südkorea", "de", NULL, "KR");
  assert_code ("Osterreich", "de", NULL, "AT");
  assert_code ("Federal Republic of Germany", "de", NULL, "DE");
  /* English is understood on a sheet in any language. */
  assert_code ("Germany", "ko", NULL, "DE");
  assert_code ("South Korea", "de", NULL, "KR");

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "en");
}

/* A Korean name on a German sheet is not German. */
static void
test_language_is_the_sheets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = code_for ("독일", "de", NULL, &error);

  g_assert_null (code);
  g_assert_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "독일"));
}

static void
test_ambiguous (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  /* The kiosk's own country is what people at its stall mean. */
  assert_code ("Korea", "en", "KR", "KR");
  assert_code ("korea", "de", "KR", "KR");
  assert_code ("코리아", "ko", "KR", "KR");
  assert_code ("Congo", "en", "CD", "CD");
  assert_code ("Kongo", "de", "CG", "CG");

  /* Otherwise the message lists the candidates, by name and code. */
  code = code_for ("Korea", "en", "DE", &error);
  g_assert_null (code);
  g_assert_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_AMBIGUOUS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "(KR)"));
  g_assert_nonnull (strstr (error->message, "(KP)"));
  g_clear_error (&error);

  code = code_for ("Congo", "en", NULL, &error);
  g_assert_null (code);
  g_assert_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "(CG)"));
  g_assert_nonnull (strstr (error->message, "(CD)"));
  g_clear_error (&error);

  /* In the sheet's language. */
  code = code_for ("콩고", "ko", NULL, &error);
  g_assert_null (code);
  g_assert_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_AMBIGUOUS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "콩고 민주 공화국 (CD)"));
}

static void
test_unknown (void)
{
  const char *names[] = { "", "Atlantis", "K", "Korea Korea", "XX" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = code_for (names[i], "en", "KR", &error);

      g_assert_null (code);
      g_assert_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_UNKNOWN);
    }
}

/* The codes a search for @typed finds, ',' between. */
static char *
found_by (const char *typed,
          const char *lang)
{
  g_auto(GStrv) codes = pk_country_codes_for_search (typed, lang);

  return g_strjoinv (",", codes);
}

/* The country list's search reads names by the same rule as a sheet:
 * everyday names and English ones in any language, and the first
 * letters of any word of them. */
static void
test_search (void)
{
  const struct {
    const char *typed, *lang, *found;
  } cases[] = {
    { "한국", "ko", "KR" },
    { "독일", "ko", "DE" },
    { "대한", "ko", "KR" },
    { "Germ", "ko", "DE" },
    { "Deutschland", "de", "DE" },
    { "deutsch", "de", "DE" },
    { "Korea", "en", "KP,KR" },
    { "korea", "de", "KP,KR" },
    { "  Osterr ", "de", "AT" },
    { "Russland", "de", "RU" },
    { "Deutschland", "en", "" },
    { "Atlantis", "en", "" },
    { "", "en", "" },
    { "   ", "ko", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = found_by (cases[i].typed, cases[i].lang);

      g_test_message ("“%s” in %s", cases[i].typed, cases[i].lang);
      g_assert_cmpstr (found, ==, cases[i].found);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* No setlocale (): the process stays in plain C, where gettext ignores
   * LANGUAGE unless the lookup switches what it must. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Countries/everyday-names", test_everyday_names);
  g_test_add_func ("/Pk/Countries/language-is-the-sheets", test_language_is_the_sheets);
  g_test_add_func ("/Pk/Countries/ambiguous", test_ambiguous);
  g_test_add_func ("/Pk/Countries/unknown", test_unknown);
  g_test_add_func ("/Pk/Countries/search", test_search);

  return g_test_run ();
}
