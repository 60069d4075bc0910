/* test-import.c: `import` of typed-up sheets, and count-only sheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pk-petition.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store.h"

typedef struct {
  char       *dir;
  char       *db;
  char       *petition_path;
  PkPetition *petition;
  char       *serial;
} Fixture;

/* A sheet typed into a spreadsheet on Windows: a BOM, CRLF, quoted
 * commas, doubled quotes and a line break inside a cell, and bad rows. */
static const char sheet_csv[] =
  "\xEF\xBB\xBF" "line,given_name,family_name,email,postal_code,comment,signed,opt_in\r\n"
  "1,길동,홍,hong@example.org,03142,,yes,yes\r\n"                                /* 2: good */
  "2,\"Anna \"\"Ann\"\"\",Schmidt,anna@example.de,10117,\"multi\r\nline, comment\",ja,\r\n" /* 3-4: good */
  "3,,,nobody@example.org,,,yes,\r\n"                                           /* 5: no name */
  "4,Lee,Kim,not-an-email,,,yes,\r\n"                                          /* 6: bad email */
  "1,Dup,Line,dup@example.org,,,yes,\r\n"                                      /* 7: line 1 twice */
  "5,Mary,O'Neil,HONG@Example.org,,,yes,\r\n"                                  /* 8: same signer as line 1 */
  "6,Unsigned,Person,,,,no,\r\n"                                               /* 9: not signed */
  "7,,,,,,,\r\n"                                                               /* 10: blank */
  "8,José,García,jose@example.es,28013,,x,no\r\n"                              /* 11: good */
  "11,Too,Far,,,,yes,\r\n";                                                    /* 12: no such line */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pk-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->petition_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                             "prisoners-of-conscience.petition", NULL);
  fixture->petition = pk_petition_new_from_file (fixture->petition_path, &error);
  g_assert_no_error (error);
  fixture->serial = pk_sheet_serial_format (fixture->petition, 42);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->petition_path);
  g_free (fixture->serial);
  g_clear_object (&fixture->petition);
}

static char *
write_csv (Fixture    *fixture,
           const char *name,
           const char *contents,
           gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Runs `import`; returns its exit status and its stdout and stderr. */
static int
import (Fixture     *fixture,
        const char  *csv,
        gboolean     skip_bad,
        char       **out_stdout,
        char       **out_stderr)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    g_getenv ("PK_BINARY"), "import", "--db", fixture->db, "--petition", fixture->petition_path,
    "--sheet", "42", "--lang", "ko", csv, skip_bad ? "--skip-bad" : NULL, NULL
  };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out_stdout, out_stderr, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, haystack);
}

static guint64
count_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (fixture->db, &error);

  g_assert_no_error (error);
  return pk_store_count (store, pk_petition_get_id (fixture->petition));
}

static void
test_all_or_nothing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *csv = write_csv (fixture, "sheet.csv", sheet_csv, -1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *prefix = g_strconcat (csv, ":", NULL);

  g_assert_cmpint (import (fixture, csv, FALSE, &out, &err), ==, 2);
  g_test_message ("stderr:\n%s", err);

  /* Each bad row by the physical line it starts on, with its reason. */
  for (guint line = 5; line <= 8; line++)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u: ", csv, line);

      assert_contains (err, where);
    }
  {
    g_autofree char *where = g_strdup_printf ("%s:12: line:", csv);

    assert_contains (err, where);
  }
  assert_contains (err, "email");
  assert_contains (err, "nothing was imported");
  /* Good rows, the unsigned line and the blank line are no problems. */
  for (guint line = 2; line <= 4; line++)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u: ", csv, line);

      g_assert_null (strstr (err, where));
    }
  g_assert_null (strstr (err, ":11: "));
  assert_contains (out, "line 6 is not signed");

  g_assert_cmpuint (count_rows (fixture), ==, 0);
}

static void
test_skip_bad (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *csv = write_csv (fixture, "sheet.csv", sheet_csv, -1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  PkSignature *sig;

  g_assert_cmpint (import (fixture, csv, TRUE, &out, &err), ==, 0);
  g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  assert_contains (out, "Imported 3 signatures");

  store = pk_store_open (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (store, pk_petition_get_id (fixture->petition)), ==, 3);

  /* Exactly the good rows, each with source, serial and line. */
  lines = pk_store_paper_get_sheet (store, fixture->serial, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);

  sig = lines->pdata[0];
  g_assert_cmpint (sig->source, ==, PK_SOURCE_PAPER);
  g_assert_cmpstr (sig->sheet_serial, ==, fixture->serial);
  g_assert_cmpuint (sig->sheet_line, ==, 1);
  g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, "길동");
  g_assert_cmpstr (sig->fields[PK_FIELD_FAMILY_NAME], ==, "홍");
  g_assert_cmpstr (sig->lang, ==, "ko");
  g_assert_true (sig->opt_in);

  sig = lines->pdata[1];
  g_assert_cmpuint (sig->sheet_line, ==, 2);
  g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, "Anna \"Ann\"");
  g_assert_cmpstr (sig->fields[PK_FIELD_COMMENT], ==, "multi line, comment");
  g_assert_false (sig->opt_in);

  sig = lines->pdata[2];
  g_assert_cmpuint (sig->sheet_line, ==, 8);
  g_assert_cmpstr (sig->fields[PK_FIELD_FAMILY_NAME], ==, "García");
  g_clear_object (&store);

  /* The same file again: every line is already entered, nothing added. */
  g_assert_cmpint (import (fixture, csv, TRUE, &out2, &err2), ==, 0);
  assert_contains (err2, "already entered");
  assert_contains (out2, "Imported 0 signatures");
  g_assert_cmpuint (count_rows (fixture), ==, 3);
}

static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *unknown = write_csv (fixture, "unknown.csv", "line,signed,nickname\n1,yes,Kim\n", -1);
  g_autofree char *no_line = write_csv (fixture, "noline.csv", "given_name,signed\nKim,yes\n", -1);
  g_autofree char *latin1 = write_csv (fixture, "latin1.csv",
                                       "line,family_name,signed\n1,Kim,yes\n2,M\xFCller,yes\n", -1);
  g_autofree char *quote = write_csv (fixture, "quote.csv", "line,family_name,signed\n1,\"Kim,yes\n", -1);
  const struct {
    const char *path;
    const char *fragment;
  } cases[] = {
    { unknown, "nickname" },
    { no_line, "line" },
    { latin1, "Line 3" },
    { quote, "Line 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (import (fixture, cases[i].path, TRUE, &out, &err), ==, 2);
      assert_contains (err, cases[i].fragment);
    }
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS) && count_rows (fixture) != 0);
}

static void
test_wrong_sheet (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = write_csv (fixture, "sheet.csv", "line,family_name,signed\n1,Kim,yes\n", -1);
  g_autofree char *err = NULL;
  const char *argv[] = {
    g_getenv ("PK_BINARY"), "import", "--db", fixture->db, "--petition", fixture->petition_path,
    "--sheet", "PK-000000-000001", csv, NULL
  };
  int status = 0;

  /* A serial from another petition (tag 000000 is not this one's). */
  g_assert_false (strstr (fixture->serial, "PK-000000-") == fixture->serial);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  assert_contains (err, "another petition");
}

static void
test_count_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (fixture->db, &error);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GPtrArray) sigs = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *other = pk_sheet_serial_format (fixture->petition, 43);
  const char *id = pk_petition_get_id (fixture->petition);
  guint count = 0;
  gint64 entered_at = 0;

  g_assert_no_error (error);

  g_assert_false (pk_store_paper_get_count (store, fixture->serial, &count, NULL, &error));
  g_assert_no_error (error);

  /* "Sheet 42 holds 7 valid signatures", kept apart from signature rows. */
  g_assert_true (pk_store_paper_set_count (store, id, fixture->serial, 7, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (pk_store_paper_get_count (store, fixture->serial, &count, &entered_at, &error));
  g_assert_cmpuint (count, ==, 7);
  g_assert_cmpint (entered_at, >, 0);
  g_assert_cmpuint (pk_store_paper_count_total (store, id), ==, 7);
  g_assert_cmpuint (pk_store_paper_count_total (store, NULL), ==, 7);
  g_assert_cmpuint (pk_store_paper_count_sheets (store, id), ==, 1);
  g_assert_cmpuint (pk_store_count (store, id), ==, 0);

  /* Counted again: refused, unless it is a correction. */
  g_assert_false (pk_store_paper_set_count (store, id, fixture->serial, 9, FALSE, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN);
  g_clear_error (&error);
  g_assert_true (pk_store_paper_set_count (store, id, fixture->serial, 9, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_paper_count_total (store, id), ==, 9);

  /* More than a sheet's lines. */
  g_assert_false (pk_store_paper_set_count (store, id, other, PK_SHEET_LINES + 1, FALSE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A counted sheet cannot also be transcribed… */
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (fixture->serial);
  sig->sheet_line = 1;
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Kim");
  g_ptr_array_add (sigs, sig);
  g_assert_false (pk_store_add_paper_signatures (store, fixture->petition, sigs, FALSE,
                                                 &problems, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* …and a transcribed one cannot also be counted. */
  g_free (sig->sheet_serial);
  sig->sheet_serial = g_strdup (other);
  g_assert_true (pk_store_add_paper_signatures (store, fixture->petition, sigs, FALSE,
                                                &problems, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pk_store_paper_set_count (store, id, other, 3, TRUE, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN);
  g_assert_cmpuint (pk_store_count (store, id), ==, 1);
  g_assert_cmpuint (pk_store_paper_count_total (store, id), ==, 9);
}

/* A folder with a space and Hangul in its name, under the fixture's. */
static char *
nasty_dir (Fixture *fixture)
{
  char *dir = g_build_filename (fixture->dir, "서명 data", NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

static void
remove_nasty_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (dir);
}

/* Issue 6: invalid UTF-8, NUL bytes and a 100 kB name in a typed-up
 * sheet. The file as a whole cannot be trusted to be read right, so it
 * is refused even with --skip-bad, naming the physical line, and nothing
 * is imported. */
static void
test_nasty_bytes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = nasty_dir (fixture);
  static const char invalid_utf8[] =
    "line,given_name,family_name,signed\n1,Kim,Lee,yes\n2,Ba\xFF" "d,Kim,yes\n3,Good,Park,yes\n";
  static const char overlong[] =
    "line,given_name,family_name,signed\n1,Kim,Lee,yes\n2,Kim,Lee,yes\n3,\xC0\xAF,Park,yes\n";
  static const char nul[] =
    "line,given_name,family_name,signed\n1,Kim,Lee,yes\n2,Nu\0l,Kim,yes\n3,Good,Park,yes\n";
  g_autoptr(GString) huge = g_string_new ("line,given_name,family_name,signed\n1,Kim,Lee,yes\n2,");
  const struct {
    const char *name;
    const char *contents;
    gsize       length;
    const char *line;
  } cases[] = {
    { "invalid utf8.csv", invalid_utf8, sizeof invalid_utf8 - 1, "Line 3" },
    { "overlong slash.csv", overlong, sizeof overlong - 1, "Line 4" },
    { "nul byte.csv", nul, sizeof nul - 1, "Line 3" },
    { "100 kB name.csv", NULL, 0, "Line 3" },
  };

  while (huge->len < 100 * 1024)
    g_string_append (huge, "가");
  g_string_append (huge, ",Kim,yes\n3,Good,Park,yes\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autoptr(GError) error = NULL;

      if (cases[i].contents != NULL)
        g_file_set_contents (path, cases[i].contents, cases[i].length, &error);
      else
        g_file_set_contents (path, huge->str, huge->len, &error);
      g_assert_no_error (error);
      for (guint skip_bad = 0; skip_bad <= 1; skip_bad++)
        {
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;

          g_assert_cmpint (import (fixture, path, skip_bad, &out, &err), ==, 2);
          g_test_message ("%s:\n%s", cases[i].name, err);
          /* The path comes back as given, spaces and Hangul intact. */
          assert_contains (err, path);
          assert_contains (err, cases[i].line);
          g_assert_true (g_utf8_validate (err, -1, NULL));
          g_assert_cmpuint (strlen (err), <, 4096);
        }
    }
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS) && count_rows (fixture) != 0);
  remove_nasty_dir (dir);
}

/* Issue 6: bidi overrides, control characters and a 100 kB name are
 * reported row by row with their line; the nasty-but-valid names (ZWJ,
 * decomposed Hangul, emoji, SQL- and formula-looking) are imported
 * exactly, from a CSV at a path with a space and Hangul in it. */
static void
test_nasty_rows (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *dir = nasty_dir (fixture);
  g_autofree char *path = g_build_filename (dir, "시트 42 (nasty).csv", NULL);
  g_autofree char *long_name = NULL;
  g_autoptr(GString) csv = g_string_new ("line,given_name,family_name,comment,signed\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  const struct {
    const char *given;
    const char *family;
  } expected[] = {
    { "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\u0915\u094D\u200D\u0937" },
    { "지우", "김" },
    { "\U0001F33B Sunny", "\U0001F44D\U0001F3FD" },
    { "Robert'); DROP TABLE signatures;--", "O'Brien \" OR 1=1 --" },
    { "=HYPERLINK(\"http://evil.example\",\"x\")", "+1-2@SUM(A1)" },
  };
  GString *big = g_string_new (NULL);

  /* Over the name limit but under the CSV reader's per-field cap: a row
   * problem (a 100 kB field is a file problem, test_nasty_bytes). */
  while (big->len < 8 * 1024)
    g_string_append (big, "가");
  long_name = g_string_free (big, FALSE);

  /* Physical lines 2–6: good; 7–10: bad. */
  g_string_append (csv, "1,\U0001F469\u200D\U0001F469\u200D\U0001F467,\u0915\u094D\u200D\u0937,,yes\n");
  g_string_append (csv, "2,\u110C\u1175\u110B\u116E,\u1100\u1175\u11B7,,yes\n");
  g_string_append (csv, "3,\U0001F33B Sunny,\U0001F44D\U0001F3FD,,yes\n");
  g_string_append (csv, "4,Robert'); DROP TABLE signatures;--,\"O'Brien \"\" OR 1=1 --\",,yes\n");
  g_string_append (csv, "5,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",+1-2@SUM(A1),,yes\n");
  g_string_append (csv, "6,Ali\u202Eecila,Kim,,yes\n");
  g_string_append (csv, "7,Kim,\u2067Lee\u2069,,yes\n");
  g_string_append (csv, "8,Bell\aName,Kim,,yes\n");
  g_string_append_printf (csv, "9,%s,Kim,,yes\n", long_name);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);

  /* All or nothing: every bad row by its line and field, nothing saved. */
  g_assert_cmpint (import (fixture, path, FALSE, &out, &err), ==, 2);
  g_test_message ("stderr:\n%s", err);
  for (guint line = 7; line <= 10; line++)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u: ", path, line);

      assert_contains (err, where);
    }
  for (guint line = 2; line <= 6; line++)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u: ", path, line);

      g_assert_null (strstr (err, where));
    }
  assert_contains (err, "nothing was imported");
  /* The long name is reported, not echoed back. */
  g_assert_cmpuint (strlen (err), <, 4096);
  g_assert_cmpuint (count_rows (fixture), ==, 0);

  /* With --skip-bad: the five good rows, exactly. */
  g_assert_cmpint (import (fixture, path, TRUE, &out2, &err2), ==, 0);
  assert_contains (out2, "Imported 5 signatures");
  store = pk_store_open (fixture->db, &error);
  g_assert_no_error (error);
  lines = pk_store_paper_get_sheet (store, fixture->serial, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      PkSignature *sig = lines->pdata[i];

      g_assert_cmpuint (sig->sheet_line, ==, i + 1);
      g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, expected[i].given);
      g_assert_cmpstr (sig->fields[PK_FIELD_FAMILY_NAME], ==, expected[i].family);
    }
  g_clear_object (&store);
  remove_nasty_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/Pk/Paper/Import/all-or-nothing", test_all_or_nothing);
  ADD ("/Pk/Paper/Import/skip-bad", test_skip_bad);
  ADD ("/Pk/Paper/Import/bad-files", test_bad_files);
  ADD ("/Pk/Paper/Import/wrong-sheet", test_wrong_sheet);
  ADD ("/Pk/Paper/Import/nasty-bytes", test_nasty_bytes);
  ADD ("/Pk/Paper/Import/nasty-rows", test_nasty_rows);
  ADD ("/Pk/Paper/Count/only", test_count_only);
#undef ADD

  return g_test_run ();
}
