/* test-nasty-input.c: known-nasty text everywhere text enters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names of 100 kB, NUL bytes, invalid UTF-8, bidi overrides, zero-width
 * joiners, decomposed Hangul, emoji, SQL-looking and formula-looking
 * text, and paths with spaces and non-ASCII characters: through the core
 * API (which, unlike command-line arguments, can carry a NUL byte), and
 * through the `sign` and `count` commands as a volunteer would type them.
 * Refused input must exit 2 and write nothing; accepted input must be
 * stored as typed (normalized) and leave the database intact.
 */
#define G_LOG_DOMAIN "test-nasty-input"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-normalize.h"
#include "pk-proof.h"
#include "pk-signature.h"
#include "pk-store.h"

/* U+202E RIGHT-TO-LEFT OVERRIDE and friends */
static const char * const bidi_controls[] = {
  "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
  "\u2066", "\u2067", "\u2068", "\u2069",
};

static char *
repeat (const char *unit,
        gsize       bytes)
{
  GString *str = g_string_new (NULL);

  while (str->len < bytes)
    g_string_append (str, unit);
  return g_string_free (str, FALSE);
}

static void
assert_refused (const char *input,
                gssize      length,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pk_normalize_text (input, length, PK_MAX_NAME_CHARS, &error);

  g_assert_null (result);
  g_assert_error (error, PK_SIGNATURE_ERROR, code);
  /* The message is for the signer: never empty, never garbled. */
  g_assert_true (error->message[0] != '\0');
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
assert_normalizes_to (const char *input,
                      const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pk_normalize_text (input, -1, PK_MAX_NAME_CHARS, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, expected);
}

static void
test_api_nul_byte (void)
{
  /* "Kim\0Ji-min": a NUL inside a name could cut it short in one layer
   * and not in another (C strings vs SQLite blobs). */
  assert_refused ("Kim\0Ji-min", 10, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("\0", 1, PK_SIGNATURE_ERROR_INVALID_TEXT);
}

static void
test_api_huge (void)
{
  g_autofree char *latin = repeat ("A", 100 * 1024);
  g_autofree char *hangul = repeat ("김", 100 * 1024);
  g_autofree char *just_over = repeat ("a", PK_MAX_NAME_CHARS + 1);
  g_autofree char *just_right = repeat ("a", PK_MAX_NAME_CHARS);

  assert_refused (latin, -1, PK_SIGNATURE_ERROR_TOO_LONG);
  assert_refused (hangul, -1, PK_SIGNATURE_ERROR_TOO_LONG);
  assert_refused (just_over, -1, PK_SIGNATURE_ERROR_TOO_LONG);
  assert_normalizes_to (just_right, just_right);
}

static void
test_api_invalid_utf8 (void)
{
  assert_refused ("Kim \xc3\x28", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
  assert_refused ("\xed\xa0\x80", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);      /* a surrogate */
  assert_refused ("\xf4\x90\x80\x80", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);  /* past U+10FFFF */
  assert_refused ("\xc0\xaf", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);          /* overlong '/' */
  assert_refused ("\xff\xfe", -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
}

static void
test_api_bidi (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bidi_controls); i++)
    {
      g_autofree char *name = g_strconcat ("Kim", bidi_controls[i], "nimda", NULL);

      assert_refused (name, -1, PK_SIGNATURE_ERROR_INVALID_TEXT);
    }
}

static void
test_api_invisible (void)
{
  /* ZWJ holds emoji sequences and Indic conjuncts together, ZWNJ is part
   * of Persian spelling: both kept. The zero-width space, the BOM and
   * the word joiner are stripped. */
  assert_normalizes_to ("👩\u200d💻 Kim", "👩\u200d💻 Kim");
  assert_normalizes_to ("क्\u200dष", "क्\u200dष");
  assert_normalizes_to ("می\u200cخواهم", "می\u200cخواهم");
  assert_normalizes_to ("김\u200b민", "김민");
  assert_normalizes_to ("\ufeffAnna", "Anna");
  assert_normalizes_to ("An\u2060na", "Anna");
  /* A name made only of invisible characters is empty. */
  assert_normalizes_to ("\u200b\u200b", "");
}

static void
test_api_hangul_nfd (void)
{
  /* 김지민 typed as conjoining jamo (as macOS file names and some IMEs
   * produce) equals the precomposed syllables. */
  assert_normalizes_to ("\u1100\u1175\u11b7\u110c\u1175\u1106\u1175\u11ab", "김지민");
  assert_normalizes_to ("Jose\u0301", "José");
}

static void
test_api_emoji_sql_formula (void)
{
  assert_normalizes_to ("🙂 Kim 🇰🇷", "🙂 Kim 🇰🇷");
  assert_normalizes_to ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
                        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f");
  /* Stored as typed: the store binds parameters, and exports make
   * formulas inert; changing the name would misreport the signer. */
  assert_normalizes_to ("Robert'); DROP TABLE signatures;--", "Robert'); DROP TABLE signatures;--");
  assert_normalizes_to ("=HYPERLINK(\"http://evil.example\",\"x\")",
                        "=HYPERLINK(\"http://evil.example\",\"x\")");
  assert_normalizes_to ("  Kim \t Ji-min \n", "Kim Ji-min");
}

static void
test_api_validate_names_field (void)
{
  g_autofree char *path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autofree char *huge = repeat ("A", 100 * 1024);
  PkField field = PK_N_FIELDS;

  g_assert_no_error (error);

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Ji-min");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Kim\u202e");
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  g_assert_false (pk_signature_validate (sig, petition, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT);
  g_assert_cmpint (field, ==, PK_FIELD_FAMILY_NAME);
  g_clear_error (&error);

  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Kim");
  pk_signature_set_field (sig, PK_FIELD_COMMENT, huge);
  g_assert_false (pk_signature_validate (sig, petition, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_TOO_LONG);
  g_assert_cmpint (field, ==, PK_FIELD_COMMENT);
  g_clear_error (&error);

  pk_signature_set_field (sig, PK_FIELD_COMMENT, NULL);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "kim@exa\xc3\x28mple.org");
  g_assert_false (pk_signature_validate (sig, petition, &field, &error));
  g_assert_true (error != NULL && error->domain == PK_SIGNATURE_ERROR);
  g_assert_cmpint (field, ==, PK_FIELD_EMAIL);
}

/* Through the store: nasty-but-valid names are stored; the same email
 * typed in decomposed Hangul and in another letter case is a duplicate. */
static void
test_api_store (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "서명 data", "kiosk db.sqlite", NULL);
  g_autofree char *path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autofree char *integrity = NULL;
  static const char * const names[] = {
    "Robert'); DROP TABLE signatures;--",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+SUM(1,2)", "@cmd", "-1+1",
    "👩\u200d👩\u200d👧\u200d👦",
    "\u1100\u1175\u11b7",
    "x' OR '1'='1",
  };

  g_assert_no_error (error);
  store = pk_store_open (db, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, names[i]);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
      g_assert_no_error (error);
    }

  {
    g_autoptr(PkSignature) nfc = pk_signature_new ();
    g_autoptr(PkSignature) nfd = pk_signature_new ();

    pk_signature_set_field (nfc, PK_FIELD_GIVEN_NAME, "지민");
    pk_signature_set_field (nfc, PK_FIELD_EMAIL, "지민@예시.한국");
    nfc->lang = g_strdup ("ko");
    nfc->consent = TRUE;
    nfc->sensitive_consent = TRUE;
    g_assert_true (pk_store_add_signature (store, petition, nfc, NULL, &error));
    g_assert_no_error (error);

    pk_signature_set_field (nfd, PK_FIELD_GIVEN_NAME, "\u110c\u1175\u1106\u1175\u11ab");
    pk_signature_set_field (nfd, PK_FIELD_EMAIL, "\u110c\u1175\u1106\u1175\u11ab@\u110b\u1168\u1109\u1175.\u1112\u1161\u11ab\u1100\u116e\u11a8");
    nfd->lang = g_strdup ("ko");
    nfd->consent = TRUE;
    nfd->sensitive_consent = TRUE;
    g_assert_false (pk_store_add_signature (store, petition, nfd, NULL, &error));
    g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
    g_clear_error (&error);
  }

  g_assert_cmpuint (pk_store_count (store, pk_petition_get_id (petition)), ==, G_N_ELEMENTS (names) + 1);
  g_clear_object (&store);

  integrity = pk_proof_integrity (db);
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (pk_proof_row_count (db), ==, G_N_ELEMENTS (names) + 1);
  pk_proof_rm_rf (dir);
}

/* `sign` with one nasty given name: returns its exit status and checks
 * that a refusal wrote nothing and named the field. */
static int
cli_sign_given_name (const char *db,
                     const char *petition,
                     const char *given)
{
  const char *args[] = { "sign", "--db", db, "--petition", petition, "--lang", "en",
                         "--given-name", given, "--family-name", "Proof", "--consent", "--sensitive-consent", NULL };
  gint64 before = g_file_test (db, G_FILE_TEST_EXISTS) ? pk_proof_row_count (db) : 0;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = pk_proof_run_cli (args, NULL, &out, &err);

  if (status == 2)
    {
      g_autofree char *folded = g_utf8_casefold (err, -1);

      g_assert_true (strstr (folded, "given") != NULL || strstr (folded, "name") != NULL);
      g_assert_false (pk_proof_is_uuid (out));
      if (g_file_test (db, G_FILE_TEST_EXISTS))
        g_assert_cmpint (pk_proof_row_count (db), ==, before);
    }
  return status;
}

static void
test_cli_nasty (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *huge = repeat ("A", 100 * 1024);
  g_autofree char *huge_hangul = repeat ("서", 100 * 1024);
  g_autofree char *integrity = NULL;
  static const char * const accepted[] = {
    "Robert'); DROP TABLE signatures;--",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "=cmd|' /C calc'!A0",
    "👩\u200d💻",
    "\u1100\u1175\u11b7",
    "\"quoted\", with comma",
  };

  /* One good signature first, so "writes nothing" is measured against
   * an existing database. */
  g_assert_cmpint (cli_sign_given_name (db, petition, "First"), ==, 0);

  g_assert_cmpint (cli_sign_given_name (db, petition, huge), ==, 2);
  g_assert_cmpint (cli_sign_given_name (db, petition, huge_hangul), ==, 2);
  /* The same message as at the kiosk's form, in the user's language,
   * naming the option. */
  {
    const char *args[] = { "sign", "--db", db, "--petition", petition, "--lang", "en",
                           "--given-name", huge_hangul, "--family-name", "Proof", "--consent", "--sensitive-consent", NULL };
    const struct {
      const char *env;
      const char *message;
    } languages[] = {
      { "LANGUAGE=en", "This is too long: at most 200 characters, please." },
      { "LANGUAGE=ko", "너무 길어요. 200자 이내로 입력해 주세요." },
      { "LANGUAGE=de", "Das ist zu lang: bitte höchstens 200 Zeichen." },
    };

    for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
      {
        const char *env[] = { languages[i].env, NULL };
        g_autofree char *err = NULL;
        g_autofree char *expected = g_strconcat ("petition-kiosk sign: --given-name: ",
                                                 languages[i].message, "\n", NULL);

        g_assert_cmpint (pk_proof_run_cli (args, env, NULL, &err), ==, 2);
        g_assert_cmpstr (err, ==, expected);
      }
  }
  g_assert_cmpint (cli_sign_given_name (db, petition, "Kim\u202enimda"), ==, 2);
  g_assert_cmpint (cli_sign_given_name (db, petition, "Kim\u2067x"), ==, 2);
  /* Command-line arguments are bytes: invalid UTF-8 arrives as is. */
  g_assert_cmpint (cli_sign_given_name (db, petition, "Kim\xc3\x28"), ==, 2);
  g_assert_cmpint (cli_sign_given_name (db, petition, "Kim\x1b[31m"), ==, 2);
  g_assert_cmpint (pk_proof_row_count (db), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    g_assert_cmpint (cli_sign_given_name (db, petition, accepted[i]), ==, 0);

  integrity = pk_proof_integrity (db);
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (pk_proof_row_count (db), ==, 1 + G_N_ELEMENTS (accepted));
  g_assert_cmpint (pk_proof_cli_count (db), ==, 1 + G_N_ELEMENTS (accepted));
  pk_proof_rm_rf (dir);
}

/* A database and a petition file in folders whose names hold spaces and
 * Hangul, as on a volunteer's Korean desktop. */
static void
test_cli_paths (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "x", "서명 data", "kiosk db.sqlite", NULL);
  g_autofree char *petition_dir = g_build_filename (dir, "청원 파일 (Entwürfe)", NULL);
  g_autofree char *petition = g_build_filename (petition_dir, "my petition — 양심수.petition", NULL);
  g_autofree char *demo = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GBytes) contents = pk_proof_read_bytes (demo);
  g_autoptr(GError) error = NULL;
  g_autofree char *integrity = NULL;

  g_assert_cmpint (g_mkdir_with_parents (petition_dir, 0700), ==, 0);
  g_file_set_contents (petition, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);

  g_assert_cmpint (cli_sign_given_name (db, petition, "지민"), ==, 0);
  g_assert_cmpint (cli_sign_given_name (db, petition, "Jürgen"), ==, 0);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (pk_proof_cli_count (db), ==, 2);
  integrity = pk_proof_integrity (db);
  g_assert_cmpstr (integrity, ==, "ok");
  pk_proof_rm_rf (dir);
}

static void
run_ok (const char * const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = pk_proof_run_cli (args, NULL, &out, &err);

  if (status != 0)
    g_error ("petition-kiosk %s exited %d:\n%s", args[0], status, err);
}

/* The coordinator's path, with nasty names in it: signed on a kiosk whose
 * database, batch file, master and exports all live in folders and files
 * whose names hold spaces and Hangul; the names come out exactly (CSV
 * cells that would run as formulas get one leading quote, JSON as is). */
static void
test_cli_batch_paths (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *data = g_build_filename (dir, "서명 data", NULL);
  g_autofree char *db = g_build_filename (data, "kiosk db.sqlite", NULL);
  g_autofree char *batch = g_build_filename (data, "batch 1.pkbatch", NULL);
  g_autofree char *master = g_build_filename (data, "master 마스터.db", NULL);
  g_autofree char *csv = g_build_filename (data, "내보내기 1.csv", NULL);
  g_autofree char *json = g_build_filename (data, "osdi 내보내기.json", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *json_text = NULL;
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *typed;
    const char *csv_cell;
    const char *json_value;
  } names[] = {
    { "=HYPERLINK(\"http://evil.example\",\"x\")",
      "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"",
      "\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"" },
    { "\U0001F469\u200D\U0001F4BB", ",\U0001F469\u200D\U0001F4BB,", "\"\U0001F469\u200D\U0001F4BB\"" },
    /* Decomposed 김 leaves as the precomposed syllable. */
    { "\u1100\u1175\u11B7", ",김,", "\"김\"" },
    { "Robert'); DROP TABLE signatures;--", ",Robert'); DROP TABLE signatures;--,",
      "\"Robert'); DROP TABLE signatures;--\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpint (cli_sign_given_name (db, petition, names[i].typed), ==, 0);

  run_ok ((const char *[]) { "close-batch", "--db", db, "--out", batch, "--petition", petition, NULL });
  g_assert_true (g_file_test (batch, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "verify", batch, NULL }, NULL, &out, &err), ==, 0);
  /* Reported under the path exactly as given. */
  g_assert_true (g_str_has_prefix (out, batch));
  g_assert_nonnull (strstr (out, ": ok: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "merge", "--into", master, batch, NULL }, NULL,
                                     &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "added 4, duplicates 0, rejected 0\n");

  run_ok ((const char *[]) { "export", "--db", master, "--format", "csv", "--out", csv, NULL });
  run_ok ((const char *[]) { "export", "--db", master, "--format", "osdi-json", "--out", json, NULL });
  g_file_get_contents (csv, &csv_text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (json, &json_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (csv_text, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strstr (csv_text, names[i].csv_cell) == NULL)
        g_error ("%s is not in the CSV:\n%s", names[i].csv_cell, csv_text);
      if (strstr (json_text, names[i].json_value) == NULL)
        g_error ("%s is not in the JSON:\n%s", names[i].json_value, json_text);
    }
  /* Only the NFC form leaves, never the jamo. */
  g_assert_null (strstr (csv_text, "\u1100\u1175\u11B7"));
  g_assert_null (strstr (json_text, "\u1100\u1175\u11B7"));
  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Nasty/api/nul-byte", test_api_nul_byte);
  g_test_add_func ("/Pk/Nasty/api/100kB", test_api_huge);
  g_test_add_func ("/Pk/Nasty/api/invalid-utf8", test_api_invalid_utf8);
  g_test_add_func ("/Pk/Nasty/api/bidi", test_api_bidi);
  g_test_add_func ("/Pk/Nasty/api/invisible", test_api_invisible);
  g_test_add_func ("/Pk/Nasty/api/hangul-nfd", test_api_hangul_nfd);
  g_test_add_func ("/Pk/Nasty/api/emoji-sql-formula", test_api_emoji_sql_formula);
  g_test_add_func ("/Pk/Nasty/api/validate-names-field", test_api_validate_names_field);
  g_test_add_func ("/Pk/Nasty/api/store", test_api_store);
  g_test_add_func ("/Pk/Nasty/cli/sign", test_cli_nasty);
  g_test_add_func ("/Pk/Nasty/cli/paths", test_cli_paths);
  g_test_add_func ("/Pk/Nasty/cli/batch-merge-export-paths", test_cli_batch_paths);

  return g_test_run ();
}
