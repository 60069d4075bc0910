/* test-csv.c: the RFC 4180 reader behind `import`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>
#include <string.h>

#include "pk-csv.h"

static GPtrArray *
parse_ok (const char *data,
          gssize      length)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = pk_csv_parse (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static void
assert_record (GPtrArray  *records,
               guint       index,
               guint       line,
               const char *const *fields)
{
  PkCsvRecord *record;

  g_assert_cmpuint (index, <, records->len);
  record = g_ptr_array_index (records, index);
  g_assert_cmpuint (record->line, ==, line);
  g_assert_cmpuint (record->n_fields, ==, g_strv_length ((char **) fields));
  for (guint i = 0; fields[i] != NULL; i++)
    g_assert_cmpstr (record->fields[i], ==, fields[i]);
  g_assert_null (record->fields[record->n_fields]);
}

static void
assert_error (const char *data,
              gssize      length,
              int         code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = pk_csv_parse (data, length, &error);

  g_assert_null (records);
  g_assert_error (error, PK_CSV_ERROR, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_simple (void)
{
  g_autoptr(GPtrArray) records = parse_ok ("line,given_name,signed\n1,Anna,yes\n2,,no\n", -1);

  g_assert_cmpuint (records->len, ==, 3);
  assert_record (records, 0, 1, (const char *[]) { "line", "given_name", "signed", NULL });
  assert_record (records, 1, 2, (const char *[]) { "1", "Anna", "yes", NULL });
  assert_record (records, 2, 3, (const char *[]) { "2", "", "no", NULL });
}

static void
test_bom_crlf (void)
{
  g_autoptr(GPtrArray) records = parse_ok ("\xEF\xBB\xBF" "line,family_name\r\n1,홍\r\n2,Müller", -1);

  g_assert_cmpuint (records->len, ==, 3);
  /* The BOM is not part of the first header name. */
  assert_record (records, 0, 1, (const char *[]) { "line", "family_name", NULL });
  assert_record (records, 1, 2, (const char *[]) { "1", "홍", NULL });
  assert_record (records, 2, 3, (const char *[]) { "2", "Müller", NULL });
}

static void
test_lone_cr (void)
{
  g_autoptr(GPtrArray) records = parse_ok ("a,b\r1,2\r", -1);

  g_assert_cmpuint (records->len, ==, 2);
  assert_record (records, 1, 2, (const char *[]) { "1", "2", NULL });
}

static void
test_quoting (void)
{
  g_autoptr(GPtrArray) records =
    parse_ok ("name,comment\n"
              "\"Kim, Minji\",\"She said \"\"hi\"\"\"\n"
              "\"\",\"\"\"\"\n", -1);

  g_assert_cmpuint (records->len, ==, 3);
  assert_record (records, 1, 2, (const char *[]) { "Kim, Minji", "She said \"hi\"", NULL });
  assert_record (records, 2, 3, (const char *[]) { "", "\"", NULL });
}

static void
test_newline_in_quotes (void)
{
  g_autoptr(GPtrArray) records =
    parse_ok ("line,comment\r\n"
              "1,\"first\r\nsecond\nthird\"\r\n"
              "2,after\r\n", -1);

  g_assert_cmpuint (records->len, ==, 3);
  /* Line breaks inside a cell become \n; the next record starts on the
   * physical line after the cell's last one. */
  assert_record (records, 1, 2, (const char *[]) { "1", "first\nsecond\nthird", NULL });
  assert_record (records, 2, 5, (const char *[]) { "2", "after", NULL });
}

static void
test_empty_lines_and_fields (void)
{
  g_autoptr(GPtrArray) records = parse_ok ("\na,b,\n\n\r\n,,\n", -1);

  g_assert_cmpuint (records->len, ==, 2);
  assert_record (records, 0, 2, (const char *[]) { "a", "b", "", NULL });
  assert_record (records, 1, 5, (const char *[]) { "", "", "", NULL });
}

static void
test_empty_input (void)
{
  g_autoptr(GPtrArray) empty = parse_ok ("", 0);
  g_autoptr(GPtrArray) bom = parse_ok ("\xEF\xBB\xBF", -1);

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (bom->len, ==, 0);
}

static void
test_bad_utf8 (void)
{
  /* Latin-1 "ü" on line 3, as a spreadsheet saves "CSV" without UTF-8. */
  assert_error ("line,family_name\n1,Kim\n2,M\xFCller\n", -1, PK_CSV_ERROR_NOT_TEXT, "Line 3");
  /* A line break inside quotes still counts. */
  assert_error ("a\n\"x\ny\"\n\xC3\n", -1, PK_CSV_ERROR_NOT_TEXT, "Line 4");
  assert_error ("a,b\n1,\0002\n", 9, PK_CSV_ERROR_NOT_TEXT, "Line 2");
}

static void
test_broken_quotes (void)
{
  assert_error ("a,b\n1,\"open\n2,3\n", -1, PK_CSV_ERROR_SYNTAX, "Line 2");
  assert_error ("a,b\n1,\"closed\"x\n", -1, PK_CSV_ERROR_SYNTAX, "Line 2");
  assert_error ("a,b\n\n1,ab\"c\n", -1, PK_CSV_ERROR_SYNTAX, "Line 3");
}

static void
test_limits (void)
{
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autofree char *long_field = g_strnfill (PK_CSV_MAX_FIELD_BYTES + 1, 'x');

  for (guint i = 0; i <= PK_CSV_MAX_FIELDS; i++)
    g_string_append (wide, i ? ",x" : "x");
  assert_error (wide->str, -1, PK_CSV_ERROR_TOO_LARGE, "Line 1");
  assert_error (long_field, -1, PK_CSV_ERROR_TOO_LARGE, "Line 1");

  /* One row more than a file may have: refused at that row's line. */
  {
    g_autoptr(GString) rows = g_string_new (NULL);

    for (guint i = 0; i <= PK_CSV_MAX_RECORDS; i++)
      g_string_append (rows, "x\n");
    assert_error (rows->str, -1, PK_CSV_ERROR_TOO_LARGE, "Line 100001: the file has more than 100000 rows.");
  }

  /* A text over the size limit is refused before it is looked at. */
  {
    g_autofree char *huge = g_strnfill (PK_CSV_MAX_FILE_BYTES + 1, 'x');

    assert_error (huge, -1, PK_CSV_ERROR_TOO_LARGE, "The file is larger than 16 MiB.");
  }
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pk-csv-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sheet.csv", NULL);
  missing = g_build_filename (dir, "missing.csv", NULL);
  g_assert_true (g_file_set_contents (path, "line,signed\r\n7,yes\r\n", -1, &error));
  g_assert_no_error (error);

  records = pk_csv_parse_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  assert_record (records, 1, 2, (const char *[]) { "7", "yes", NULL });

  g_assert_null (pk_csv_parse_file (missing, &error));
  g_assert_error (error, PK_CSV_ERROR, PK_CSV_ERROR_FAILED);
  g_clear_error (&error);

  /* A file over the limit is refused from its size, unread (a sparse
   * file here, so the test writes nothing of that size). */
  g_assert_cmpint (truncate (path, PK_CSV_MAX_FILE_BYTES + 1), ==, 0);
  g_assert_null (pk_csv_parse_file (path, &error));
  g_assert_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_suffix (error->message, "is larger than 16 MiB."));

  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Paper/Csv/simple", test_simple);
  g_test_add_func ("/Pk/Paper/Csv/bom-crlf", test_bom_crlf);
  g_test_add_func ("/Pk/Paper/Csv/lone-cr", test_lone_cr);
  g_test_add_func ("/Pk/Paper/Csv/quoting", test_quoting);
  g_test_add_func ("/Pk/Paper/Csv/newline-in-quotes", test_newline_in_quotes);
  g_test_add_func ("/Pk/Paper/Csv/empty-lines-and-fields", test_empty_lines_and_fields);
  g_test_add_func ("/Pk/Paper/Csv/empty-input", test_empty_input);
  g_test_add_func ("/Pk/Paper/Csv/bad-utf8", test_bad_utf8);
  g_test_add_func ("/Pk/Paper/Csv/broken-quotes", test_broken_quotes);
  g_test_add_func ("/Pk/Paper/Csv/limits", test_limits);
  g_test_add_func ("/Pk/Paper/Csv/file", test_file);

  return g_test_run ();
}
