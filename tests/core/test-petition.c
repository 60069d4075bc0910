/* test-petition.c: petition files, good and bad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-petition.h"

#define GOOD \
  "[Petition]\n" \
  "Id=test\n" \
  "Version=2\n" \
  "Title=Title\n" \
  "Title[ko]=제목\n" \
  "Summary=Summary\n" \
  "Text=First.\\n\\nSecond.\n" \
  "Url=https://example.org/p\n" \
  "Goal=500\n" \
  "Organizer=Org\n" \
  "Fields=given_name;family_name;email;\n" \
  "Required=given_name;family_name;\n" \
  "ConsentText=I agree.\n" \
  "ConsentText[de]=Ich stimme zu.\n"

static PkPetition *
load (const char *data,
      GError    **error)
{
  return pk_petition_new_from_data (data, strlen (data), error);
}

static char *
replace_line (const char *prefix,
              const char *replacement)
{
  g_auto(GStrv) lines = g_strsplit (GOOD, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0' && lines[i + 1] == NULL)
        break;
      if (g_str_has_prefix (lines[i], prefix))
        {
          if (replacement != NULL)
            g_string_append_printf (out, "%s\n", replacement);
        }
      else
        g_string_append_printf (out, "%s\n", lines[i]);
    }

  return g_string_free (out, FALSE);
}

static void
test_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = load (GOOD, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pk_petition_get_id (petition), ==, "test");
  g_assert_cmpuint (pk_petition_get_version (petition), ==, 2);
  g_assert_cmpuint (pk_petition_get_goal (petition), ==, 500);
  g_assert_cmpstr (pk_petition_get_url (petition), ==, "https://example.org/p");
  g_assert_cmpstr (pk_petition_get_title (petition, "ko"), ==, "제목");
  /* Fallback to the untranslated key. */
  g_assert_cmpstr (pk_petition_get_title (petition, "de"), ==, "Title");
  g_assert_cmpstr (pk_petition_get_title (petition, NULL), ==, "Title");
  g_assert_cmpstr (pk_petition_get_title (petition, "fr"), ==, "Title");
  g_assert_cmpstr (pk_petition_get_text (petition, "en"), ==, "First.\n\nSecond.");
  g_assert_true (pk_petition_has_field (petition, PK_FIELD_EMAIL));
  g_assert_false (pk_petition_has_field (petition, PK_FIELD_PHONE));
  g_assert_false (pk_petition_field_is_required (petition, PK_FIELD_EMAIL));
  g_assert_null (pk_petition_get_coordinator_key (petition));
  /* echo -n "I agree." | sha256sum */
  g_assert_cmpstr (pk_petition_get_consent_hash (petition, "en"), ==,
                   "826ff0dab649a97ffdd7779a332accafb35cc161012253a19383db19289d6e02");
  g_assert_cmpstr (pk_petition_get_consent_hash (petition, "ko"), ==,
                   pk_petition_get_consent_hash (petition, "en"));
  g_assert_cmpstr (pk_petition_get_consent_hash (petition, "en"), !=,
                   pk_petition_get_consent_hash (petition, "de"));
  g_assert_cmpuint (strlen (pk_petition_get_consent_hash (petition, "de")), ==, 64);
  g_assert_finalize_object (g_steal_pointer (&petition));
}

/* The error for @data must have @code and mention each of @needles. */
static void
assert_error (const char  *data,
              gsize        length,
              int          code,
              const char  *needle1,
              const char  *needle2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_data (data, length, &error);

  g_assert_null (petition);
  g_assert_error (error, PK_PETITION_ERROR, code);
  g_test_message ("message: %s", error->message);
  if (needle1 != NULL)
    g_assert_nonnull (strstr (error->message, needle1));
  if (needle2 != NULL)
    g_assert_nonnull (strstr (error->message, needle2));
}

static void
assert_replaced_error (const char *prefix,
                       const char *replacement,
                       int         code,
                       const char *needle1,
                       const char *needle2)
{
  g_autofree char *data = replace_line (prefix, replacement);

  assert_error (data, strlen (data), code, needle1, needle2);
}

static void
test_missing_keys (void)
{
  const char *keys[] = { "Id=", "Version=", "Title=", "Summary=", "Text=", "Url=",
                         "Organizer=", "Fields=", "ConsentText=" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = g_strndup (keys[i], strlen (keys[i]) - 1);

      assert_replaced_error (keys[i], NULL, PK_PETITION_ERROR_MISSING_KEY, key, NULL);
    }
}

static void
test_bad_values (void)
{
  /* GOOD: line 3 is Version, 8 is Url, 9 Goal, 11 Fields, 12 Required. */
  assert_replaced_error ("Url=", "Url=http://example.org/p",
                         PK_PETITION_ERROR_INVALID_KEY, "Url", "Line 8");
  assert_replaced_error ("Url=", "Url=ftp://example.org/p",
                         PK_PETITION_ERROR_INVALID_KEY, "Url", "https");
  assert_replaced_error ("Url=", "Url=not a url",
                         PK_PETITION_ERROR_INVALID_KEY, "Url", NULL);
  assert_replaced_error ("Url=", "Url=https://user:pw@example.org/",
                         PK_PETITION_ERROR_INVALID_KEY, "Url", NULL);
  assert_replaced_error ("Goal=", "Goal=many",
                         PK_PETITION_ERROR_INVALID_KEY, "Goal", "Line 9");
  assert_replaced_error ("Goal=", "Goal=-5",
                         PK_PETITION_ERROR_INVALID_KEY, "Goal", NULL);
  assert_replaced_error ("Goal=", "Goal=0",
                         PK_PETITION_ERROR_INVALID_KEY, "Goal", NULL);
  assert_replaced_error ("Version=", "Version=1.5",
                         PK_PETITION_ERROR_INVALID_KEY, "Version", NULL);
  assert_replaced_error ("Id=", "Id=Has Spaces",
                         PK_PETITION_ERROR_INVALID_KEY, "Id", "Line 2");
  assert_replaced_error ("Fields=", "Fields=given_name;shoe_size;",
                         PK_PETITION_ERROR_INVALID_KEY, "shoe_size", "Fields");
  assert_replaced_error ("Required=", "Required=phone;",
                         PK_PETITION_ERROR_INVALID_KEY, "Required", "phone");
  assert_replaced_error ("Fields=", "Fields=",
                         PK_PETITION_ERROR_INVALID_KEY, "Fields", NULL);
  assert_replaced_error ("Title[ko]=", "Title[ko]=   ",
                         PK_PETITION_ERROR_INVALID_KEY, "Title[ko]", NULL);
  assert_replaced_error ("Summary=", "Summary=",
                         PK_PETITION_ERROR_INVALID_KEY, "Summary", NULL);
  assert_replaced_error ("Goal=", "CoordinatorKey=bm90IGEga2V5",
                         PK_PETITION_ERROR_INVALID_KEY, "CoordinatorKey", "Line 9");
  assert_replaced_error ("Goal=", "CoordinatorKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                         PK_PETITION_ERROR_INVALID_KEY, "CoordinatorKey", NULL);
  /* Nor another low-order point (u = 1): no shared secret comes of it,
   * so every signature sealed to it would fail at the kiosk. */
  assert_replaced_error ("Goal=", "CoordinatorKey=AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                         PK_PETITION_ERROR_INVALID_KEY, "CoordinatorKey", NULL);
  /* No country has XX; a name or a lower-case code is not the code. */
  assert_replaced_error ("Goal=", "Country=XX",
                         PK_PETITION_ERROR_INVALID_KEY, "Country", "Line 9");
  assert_replaced_error ("Goal=", "Country=Korea",
                         PK_PETITION_ERROR_INVALID_KEY, "Country", NULL);
  assert_replaced_error ("Goal=", "Country=kr",
                         PK_PETITION_ERROR_INVALID_KEY, "Country", NULL);
}

static void
test_line_numbers (void)
{
  g_autofree char *unknown = g_strconcat (GOOD, "Requried=email\n", NULL);
  g_autofree char *twice = g_strconcat (GOOD, "Goal=7\n", NULL);
  g_autofree char *garbage = g_strconcat (GOOD, "this is not a key\n", NULL);
  g_autofree char *group = g_strconcat (GOOD, "[Other]\nA=b\n", NULL);
  const char *no_group = "Id=test\n";
  const char *bad_header = "[Petition\nId=x\n";

  assert_error (unknown, strlen (unknown), PK_PETITION_ERROR_INVALID_KEY, "Line 15", "Requried");
  assert_error (twice, strlen (twice), PK_PETITION_ERROR_INVALID_KEY, "Line 15", "line 9");
  assert_error (garbage, strlen (garbage), PK_PETITION_ERROR_SYNTAX, "Line 15", NULL);
  assert_error (group, strlen (group), PK_PETITION_ERROR_SYNTAX, "Line 15", "Other");
  assert_error (no_group, strlen (no_group), PK_PETITION_ERROR_SYNTAX, "Line 1", NULL);
  assert_error (bad_header, strlen (bad_header), PK_PETITION_ERROR_SYNTAX, "Line 1", NULL);
}

static void
test_not_text (void)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
  g_autofree char *latin1 = g_strdup (GOOD "Organizer[de]=M\xfcller\n");
  g_autofree char *huge = g_strnfill (300 * 1024, '#');

  assert_error ((const char *) png, sizeof png, PK_PETITION_ERROR_NOT_TEXT, NULL, NULL);
  assert_error (latin1, strlen (latin1), PK_PETITION_ERROR_NOT_TEXT, NULL, NULL);
  assert_error (huge, strlen (huge), PK_PETITION_ERROR_NOT_TEXT, NULL, NULL);
  assert_error ("", 0, PK_PETITION_ERROR_MISSING_KEY, "[Petition]", NULL);
}

static void
test_random_bytes_never_crash (void)
{
  GRand *rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 2000; round++)
    {
      g_autofree char *data = g_strdup (GOOD);
      gsize len = strlen (data);
      g_autoptr(GError) error = NULL;
      g_autoptr(PkPetition) petition = NULL;

      for (guint flips = g_rand_int_range (rand, 1, 4); flips > 0; flips--)
        data[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 0, 256);

      petition = pk_petition_new_from_data (data, len, &error);
      g_assert_true ((petition == NULL) != (error == NULL));
    }

  g_rand_free (rand);
}

static void
test_coordinator_key (void)
{
  g_autofree char *data = replace_line ("Goal=", "CoordinatorKey=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = load (data, &error);
  const guint8 *key;

  g_assert_no_error (error);
  key = pk_petition_get_coordinator_key (petition);
  g_assert_nonnull (key);
  for (guint i = 0; i < 32; i++)
    g_assert_cmpuint (key[i], ==, i + 1);
  g_assert_cmpuint (pk_petition_get_goal (petition), ==, 0);
}

static void
test_demo (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                            "prisoners-of-conscience.petition", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pk_petition_get_id (petition), ==, "prisoners-of-conscience");
  g_assert_cmpstr (pk_petition_get_url (petition), ==,
                   "https://example.org/petitions/prisoners-of-conscience");
  g_assert_null (pk_petition_get_coordinator_key (petition));
  g_assert_cmpuint (pk_petition_get_goal (petition), >, 0);
  g_assert_cmpstr (pk_petition_get_country (petition), ==, "KR");

  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_assert_true (pk_petition_has_field (petition, i));
  g_assert_true (pk_petition_field_is_required (petition, PK_FIELD_GIVEN_NAME));
  g_assert_true (pk_petition_field_is_required (petition, PK_FIELD_FAMILY_NAME));
  g_assert_false (pk_petition_field_is_required (petition, PK_FIELD_EMAIL));

  /* Each language has its own text, and the Korean one is Korean. */
  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    for (guint j = i + 1; j < PK_N_LANGUAGES; j++)
      {
        const char *a = pk_languages[i], *b = pk_languages[j];

        g_assert_cmpstr (pk_petition_get_title (petition, a), !=, pk_petition_get_title (petition, b));
        g_assert_cmpstr (pk_petition_get_summary (petition, a), !=, pk_petition_get_summary (petition, b));
        g_assert_cmpstr (pk_petition_get_text (petition, a), !=, pk_petition_get_text (petition, b));
        g_assert_cmpstr (pk_petition_get_consent_text (petition, a), !=, pk_petition_get_consent_text (petition, b));
        g_assert_cmpstr (pk_petition_get_organizer (petition, a), !=, pk_petition_get_organizer (petition, b));
        g_assert_cmpstr (pk_petition_get_consent_hash (petition, a), !=, pk_petition_get_consent_hash (petition, b));
        g_assert_cmpstr (pk_petition_get_sensitive_consent_hash (petition, a), !=,
                         pk_petition_get_sensitive_consent_hash (petition, b));
        g_assert_cmpstr (pk_petition_get_privacy_notice (petition, a), !=, pk_petition_get_privacy_notice (petition, b));
      }
  g_assert_nonnull (strstr (pk_petition_get_title (petition, "ko"), "양심수"));
  /* The organizer is in Seoul: the notice names Korea's law and its
   * authority; the German one, for events in Germany, the GDPR. The
   * Korean consent uses the legal term for collecting and using. */
  g_assert_nonnull (strstr (pk_petition_get_privacy_notice (petition, "ko"), "개인정보보호위원회"));
  g_assert_nonnull (strstr (pk_petition_get_privacy_notice (petition, "de"), "DSGVO"));
  g_assert_nonnull (strstr (pk_petition_get_consent_text (petition, "ko"), "수집·이용"));
  g_assert_null (strstr (pk_petition_get_consent_text (petition, "ko"), "보관"));
  /* Korea has had an alternative service since 2020; the petition asks
   * to replace it, not to introduce one. */
  g_assert_nonnull (strstr (pk_petition_get_text (petition, "en"), "replace the punitive alternative service"));
  g_assert_null (strstr (pk_petition_get_text (petition, "en"), "introduce"));
  g_assert_nonnull (strstr (pk_petition_get_text (petition, "de"), "\n\n"));
}

static void
test_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pk-petition-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.petition", NULL);

  petition = pk_petition_new_from_file ("/nonexistent/x.petition", &error);
  g_assert_null (petition);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A directory is not a petition. */
  petition = pk_petition_new_from_file (dir, &error);
  g_assert_null (petition);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, GOOD "Goal=x\n", -1, NULL));
  petition = pk_petition_new_from_file (bad, &error);
  g_assert_null (petition);
  g_assert_nonnull (strstr (error->message, "bad.petition"));
  g_assert_nonnull (strstr (error->message, "Line 15"));

  g_unlink (bad);
  g_rmdir (dir);
}

/* PrivacyNotice and SensitiveConsentText may be left out; given, they
 * are localized like the other texts. */
static void
test_optional_texts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) without = load (GOOD, &error);
  g_autofree char *with_data = g_strconcat (GOOD,
                                            "PrivacyNotice=Our notice.\n"
                                            "PrivacyNotice[ko]=개인정보 안내.\n"
                                            "SensitiveConsentText=I agree to my opinion being known.\n"
                                            "SensitiveConsentText[de]=Ich willige ausdrücklich ein.\n", NULL);
  g_autoptr(PkPetition) with = NULL;
  g_autofree char *stray = g_strconcat (GOOD, "PrivacyNotice[de]=Nur Deutsch.\n", NULL);
  const char *fallback;

  g_assert_no_error (error);
  g_assert_null (pk_petition_get_sensitive_consent_text (without, "ko"));
  g_assert_null (pk_petition_get_sensitive_consent_hash (without, "ko"));
  /* Without a notice of its own, a neutral one that names no law. */
  fallback = pk_petition_get_privacy_notice (without, "en");
  g_assert_nonnull (fallback);
  g_assert_cmpuint (strlen (fallback), >, 100);
  g_assert_null (strstr (fallback, "GDPR"));
  g_assert_null (strstr (fallback, "Art."));

  with = load (with_data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pk_petition_get_privacy_notice (with, "ko"), ==, "개인정보 안내.");
  g_assert_cmpstr (pk_petition_get_privacy_notice (with, "de"), ==, "Our notice.");
  g_assert_cmpstr (pk_petition_get_sensitive_consent_text (with, "de"), ==, "Ich willige ausdrücklich ein.");
  g_assert_cmpstr (pk_petition_get_sensitive_consent_text (with, "ko"), ==, "I agree to my opinion being known.");
  g_assert_cmpuint (strlen (pk_petition_get_sensitive_consent_hash (with, "de")), ==, 64);
  g_assert_cmpstr (pk_petition_get_sensitive_consent_hash (with, "de"), !=,
                   pk_petition_get_sensitive_consent_hash (with, "ko"));

  /* A translation of a text the file does not have is a mistake. */
  assert_error (stray, strlen (stray), PK_PETITION_ERROR_INVALID_KEY, "PrivacyNotice[de]", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Petition/good", test_good);
  g_test_add_func ("/Pk/Petition/missing-keys", test_missing_keys);
  g_test_add_func ("/Pk/Petition/bad-values", test_bad_values);
  g_test_add_func ("/Pk/Petition/line-numbers", test_line_numbers);
  g_test_add_func ("/Pk/Petition/not-text", test_not_text);
  g_test_add_func ("/Pk/Petition/random-bytes", test_random_bytes_never_crash);
  g_test_add_func ("/Pk/Petition/coordinator-key", test_coordinator_key);
  g_test_add_func ("/Pk/Petition/demo", test_demo);
  g_test_add_func ("/Pk/Petition/optional-texts", test_optional_texts);
  g_test_add_func ("/Pk/Petition/file-errors", test_file_errors);

  return g_test_run ();
}
