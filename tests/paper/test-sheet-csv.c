/* test-sheet-csv.c: the columns of a typed-up sheet, read into signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mapping alone, without a store: tests/paper/test-import.c runs
 * the whole `import` over the same rules.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "pk-sheet-csv.h"
#include "pk-sheets.h"

#define SERIAL "PK-000000-000042"

static PkPetition *
demo_petition (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                            "prisoners-of-conscience.petition", NULL);
  PkPetition *petition = pk_petition_new_from_file (path, &error);

  g_assert_no_error (error);
  return petition;
}

static GPtrArray *
parse (const char *csv)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = pk_csv_parse (csv, -1, &error);

  g_assert_no_error (error);
  return records;
}

static PkSheetCsvColumns *
columns_of (PkPetition  *petition,
            const char  *header,
            GError     **error)
{
  g_autoptr(GPtrArray) records = parse (header);

  return pk_sheet_csv_columns_new (petition, records->pdata[0], error);
}

static void
test_header (void)
{
  g_autoptr(PkPetition) petition = demo_petition ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSheetCsvColumns) good = columns_of (petition, " Line ,GIVEN_NAME,signed\n", &error);
  g_autoptr(PkSheetCsvColumns) unknown = NULL;
  g_autoptr(PkSheetCsvColumns) twice = NULL;
  g_autoptr(PkSheetCsvColumns) no_signed = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (good);

  unknown = columns_of (petition, "line,signed,shoe_size\n", &error);
  g_assert_null (unknown);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "column 3, “shoe_size”"));
  g_assert_nonnull (strstr (error->message, "given_name, family_name, email"));
  g_clear_error (&error);

  twice = columns_of (petition, "line,signed,email,Email\n", &error);
  g_assert_null (twice);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "“email” appears twice"));
  g_clear_error (&error);

  no_signed = columns_of (petition, "line,email\n", &error);
  g_assert_null (no_signed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "“signed” column"));
}

static void
test_rows (void)
{
  g_autoptr(PkPetition) petition = demo_petition ();
  g_autoptr(GPtrArray) records = parse ("line,given_name,family_name,signed,opt_in\n"
                                        "1, 길동 ,홍,예,x\n"
                                        "2,Anna,Schmidt,nein,\n"
                                        " 3 ,,,,\n"
                                        "4,A,B,yes\n"
                                        "11,Too,Far,yes,\n"
                                        "5,Not,Sure,maybe,\n"
                                        "6,Opt,In,yes,perhaps\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSheetCsvColumns) columns = pk_sheet_csv_columns_new (petition, records->pdata[0], &error);
  PkSignature *sig = NULL;
  const char *column = NULL;

  g_assert_no_error (error);

  /* Signed, in Korean words, with spaces around a value dropped. */
  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[1], SERIAL, "ko", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_SIGNED);
  g_assert_no_error (error);
  g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, "길동");
  g_assert_cmpstr (sig->fields[PK_FIELD_FAMILY_NAME], ==, "홍");
  g_assert_cmpuint (sig->sheet_line, ==, 1);
  g_assert_cmpstr (sig->sheet_serial, ==, SERIAL);
  g_assert_cmpstr (sig->lang, ==, "ko");
  g_assert_cmpint (sig->source, ==, PK_SOURCE_PAPER);
  g_assert_true (sig->opt_in);
  g_assert_true (sig->consent);
  g_assert_true (sig->sensitive_consent);
  g_clear_pointer (&sig, pk_signature_free);

  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[2], SERIAL, "de", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_UNSIGNED);
  g_assert_cmpuint (sig->sheet_line, ==, 2);
  g_assert_false (sig->opt_in);
  g_clear_pointer (&sig, pk_signature_free);

  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[3], SERIAL, "en", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_BLANK);
  g_assert_null (sig);

  /* Bad rows: the whole row, then a column by its name. */
  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[4], SERIAL, "en", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_BAD);
  g_assert_null (sig);
  g_assert_null (column);
  g_assert_cmpstr (error->message, ==, "the row has 4 columns, the header 5.");
  g_clear_error (&error);

  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[5], SERIAL, "en", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_BAD);
  g_assert_cmpstr (column, ==, "line");
  g_assert_cmpstr (error->message, ==, "“11” is not a line number from 1 to " G_STRINGIFY (PK_SHEET_LINES) ".");
  g_clear_error (&error);

  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[6], SERIAL, "en", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_BAD);
  g_assert_cmpstr (column, ==, "signed");
  g_assert_cmpstr (error->message, ==, "“maybe” is neither yes nor no.");
  g_clear_error (&error);

  g_assert_cmpint (pk_sheet_csv_read_row (columns, records->pdata[7], SERIAL, "en", &sig, &column, &error),
                   ==, PK_SHEET_CSV_ROW_BAD);
  g_assert_null (sig);
  g_assert_cmpstr (column, ==, "opt_in");
  g_assert_cmpstr (error->message, ==, "“perhaps” is neither yes nor no.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Paper/SheetCsv/header", test_header);
  g_test_add_func ("/Pk/Paper/SheetCsv/rows", test_rows);

  return g_test_run ();
}
