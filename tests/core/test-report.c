/* test-report.c: the words of the coordinator's totals, from a report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reports here are written by hand in the JSON form pk_report_build()
 * gives (docs/batch-format.md, "Report"), so each case shows exactly the
 * numbers behind the sentence it expects.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "pk-count-text.h"
#include "pk-report.h"

/* The lists a report always has, empty. */
#define NO_LISTS \
  "\"rejected_files\": [], \"paper_count_conflicts\": [], \"paper_lines_twice\": []"

static JsonNode *
report (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_count_text (void)
{
  g_autofree char *one = pk_count_text (1, "%s row", "%s rows", NULL);
  g_autofree char *many = pk_count_text (12345678901, "%s row", "%s rows", NULL);
  g_autofree char *none = pk_count_text (0, "%s row", "%s rows", NULL);
  g_autofree char *two_args = pk_count_text (3, "Wrote %s signature to %s", "Wrote %s signatures to %s",
                                             "a.pkbatch", NULL);
  /* A catalog may reorder; untranslated, the msgid itself is the text. */
  g_autofree char *reordered = pk_count_text (2, "%2$s: %1$s row", "%2$s: %1$s rows", "a.pkbatch", NULL);
  /* Only %s is filled in: a stray %d or an argument that is not there
   * stays as written, and %% is a percent sign. */
  g_autofree char *stray = pk_count_text (5, "%s rows, %d%% done, %3$s", "%s rows, %d%% done, %3$s", NULL);

  g_assert_cmpstr (one, ==, "1 row");
  g_assert_cmpstr (many, ==, "12345678901 rows");
  g_assert_cmpstr (none, ==, "0 rows");
  g_assert_cmpstr (two_args, ==, "Wrote 3 signatures to a.pkbatch");
  g_assert_cmpstr (reordered, ==, "a.pkbatch: 2 rows");
  g_assert_cmpstr (stray, ==, "5 rows, %d% done, %3$s");
}

static void
test_summary_empty (void)
{
  g_autoptr(JsonNode) node = report ("{\"signatures\": 0, \"distinct\": 0, \"duplicates\": 0, \"batches\": 0,"
                                     " " NO_LISTS "}");
  g_autofree char *summary = pk_report_summary (node);
  g_autofree char *notes = pk_report_notes (node);

  g_assert_cmpstr (summary, ==, "No batch merged yet.");
  g_assert_null (notes);
}

static void
test_summary_totals (void)
{
  g_autoptr(JsonNode) one = report ("{\"signatures\": 1, \"distinct\": 1, \"duplicates\": 0, \"batches\": 1}");
  g_autoptr(JsonNode) many = report ("{\"signatures\": 7, \"distinct\": 5, \"duplicates\": 2, \"batches\": 3}");
  g_autofree char *one_text = pk_report_summary (one);
  g_autofree char *many_text = pk_report_summary (many);

  g_assert_cmpstr (one_text, ==, "1 distinct signer (1 signature) from 1 batch");
  g_assert_cmpstr (many_text, ==, "5 distinct signers (7 signatures, 2 duplicates) from 3 batches");
}

static void
test_summary_notes (void)
{
  /* Two rows for one sheet are one sheet counted twice; two rows for
   * one line of one sheet are one line transcribed twice. */
  g_autoptr(JsonNode) node = report (
    "{\"signatures\": 4, \"distinct\": 4, \"duplicates\": 0, \"batches\": 2,"
    " \"rejected_files\": [{\"name\": \"a\", \"reason\": \"x\"}, {\"name\": \"b\", \"reason\": \"y\"}],"
    " \"paper_count_only\": 22, \"paper_count_sheets\": 3,"
    " \"paper_count_conflicts\": [{\"serial\": \"PK-1\"}, {\"serial\": \"PK-1\"}],"
    " \"paper_lines_twice\": [{\"sheet\": \"PK-2\", \"line\": 1}, {\"sheet\": \"PK-2\", \"line\": 1},"
    "                         {\"sheet\": \"PK-2\", \"line\": 2}, {\"sheet\": \"PK-2\", \"line\": 2}]}");
  g_autoptr(JsonNode) quiet = report (
    "{\"signatures\": 4, \"distinct\": 4, \"duplicates\": 0, \"batches\": 2, " NO_LISTS ","
    " \"paper_count_only\": 1, \"paper_count_sheets\": 1}");
  g_autofree char *notes = pk_report_notes (node);
  g_autofree char *quiet_notes = pk_report_notes (quiet);

  g_assert_cmpstr (notes, ==,
                   "2 files rejected\n"
                   "Counted on paper only: 22 signatures on 3 sheets "
                   "(1 sheet counted in more than one batch: see the report)\n"
                   "2 paper lines were transcribed in more than one batch: see the report");
  g_assert_cmpstr (quiet_notes, ==, "Counted on paper only: 1 signature on 1 sheet");
}

/* The plain-text report's lists, as `report` prints them: a duplicate
 * names both signatures with their kiosk and event ("—" when unknown),
 * at most 50 rows a list and a line saying how many more the JSON has;
 * names from batch files are printed harmless (a terminal escape in a
 * kiosk name is not sent to the terminal). */
static void
test_text_lists (void)
{
  g_autoptr(GString) json = g_string_new ("{\"signatures\": 60, \"distinct\": 8, \"duplicates\": 52,"
                                          " \"batches\": 2, \"paper_count_only\": 7,"
                                          " \"paper_count_sheets\": 1,"
                                          " \"by_kiosk\": [{\"key\": \"k1\", \"name\": \"Stall \\u001b[31mred\","
                                          " \"signatures\": 60, \"duplicates\": 52}],"
                                          " \"by_event\": [], \"by_day\": [], \"by_source\": [],"
                                          " \"by_language\": [], \"duplicates_list\": [");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 52; i++)
    g_string_append_printf (json, "%s{\"uuid\": \"dup-%02u\", \"kiosk\": %s, \"event\": \"Vigil\","
                            " \"kept_uuid\": \"kept-%02u\", \"kept_kiosk\": \"Seoul\", \"kept_event\": null,"
                            " \"rule\": \"email\"}",
                            i > 0 ? ", " : "", i, i == 0 ? "null" : "\"Busan\"", i);
  g_string_append (json, "], \"paper_count_conflicts\": [{\"kept\": 1, \"serial\": \"PK-A-000001\","
                         " \"count\": 7, \"kiosk\": \"Busan\", \"batch\": \"b-1\"}],"
                         " \"paper_lines_twice\": [{\"sheet\": \"PK-A-000002\", \"line\": 3,"
                         " \"uuid\": \"u-3\", \"kiosk\": null, \"batch\": \"b-2\"}],"
                         " \"rejected_files\": [{\"name\": \"stick/forged.pkbatch\","
                         " \"reason\": \"signature\"}]}");
  node = report (json->str);
  text = pk_report_to_text (node);

  g_assert_nonnull (strstr (text, "Duplicates (duplicate ← kept, rule):\n"
                                  "  dup-00 (—, Vigil) ← kept-00 (Seoul, —), email\n"
                                  "  dup-01 (Busan, Vigil) ← kept-01 (Seoul, —), email\n"));
  g_assert_nonnull (strstr (text, "  dup-49 (Busan, Vigil)"));
  g_assert_null (strstr (text, "dup-50"));
  g_assert_nonnull (strstr (text, "  … and 2 more (see --json)\n"));
  g_assert_nonnull (strstr (text, "  * PK-A-000001 7 (Busan, b-1)\n"));
  g_assert_nonnull (strstr (text, "  sheet PK-A-000002 line 3: u-3 (—, b-2)\n"));
  g_assert_nonnull (strstr (text, "Rejected files: 1\n  stick/forged.pkbatch: signature\n"));
  g_assert_nonnull (strstr (text, "(52 duplicates)"));
  g_assert_null (strchr (text, '\033'));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Report/count-text", test_count_text);
  g_test_add_func ("/Pk/Report/summary-empty", test_summary_empty);
  g_test_add_func ("/Pk/Report/summary-totals", test_summary_totals);
  g_test_add_func ("/Pk/Report/summary-notes", test_summary_notes);
  g_test_add_func ("/Pk/Report/text-lists", test_text_lists);

  return g_test_run ();
}
