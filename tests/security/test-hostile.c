/* test-hostile.c: exports, reports and verify facing hostile content
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12 items 5, 8 and 9, through the real `petition-kiosk`: an
 * export that would replace the master or a key, CSV cells a
 * spreadsheet splitting on ';' or tab would run, and batch text fields
 * carrying terminal escapes and bidi controls.
 */
#define G_LOG_DOMAIN "test-hostile"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "pk-proof.h"

static char *tmpdir;
static char *petition;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static int
run (const char * const *args,
     char              **out,
     char              **err)
{
  return pk_proof_run_cli (args, NULL, out, err);
}

/* A master holding one merged signature; returns its path. */
static char *
make_master (const char *name)
{
  g_autofree char *kiosk = g_strconcat (name, "-kiosk.db", NULL);
  g_autofree char *kiosk_path = tmp_path (kiosk);
  g_autofree char *batch_name = g_strconcat (name, ".pkbatch", NULL);
  g_autofree char *batch = tmp_path (batch_name);
  g_auto(GStrv) sign = pk_proof_sign_args (kiosk_path, petition, 1);
  char *master = tmp_path (name);

  g_assert_cmpint (run ((const char * const *) sign, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk_path, "--out", batch, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, batch, NULL }, NULL, NULL), ==, 0);
  return master;
}

static int
export_to (const char *master,
           const char *out,
           gboolean    force,
           char      **err)
{
  return run ((const char *[]) { "export", "--db", master, "--format", "csv", "--out", out,
                                 force ? "--force" : NULL, NULL }, NULL, err);
}

/* `export --out` refuses, unless --force, to replace the master itself
 * (by name or through another link), another database, or a key. */
static void
test_export_out (void)
{
  g_autofree char *master = make_master ("export-out-master.db");
  g_autofree char *other = make_master ("export-out-other.db");
  g_autofree char *link_path = tmp_path ("another name for the master");
  g_autofree char *key = tmp_path ("coordinator.key");
  g_autofree char *csv = tmp_path ("old.csv");
  g_autoptr(GBytes) master_before = NULL;
  g_autoptr(GBytes) other_before = NULL;
  g_autoptr(GBytes) key_before = NULL;
  g_autoptr(GError) error = NULL;
  const char *targets[] = { master, link_path, other, key };

  g_assert_cmpint (run ((const char *[]) { "keygen", "--out", key, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (link (master, link_path), ==, 0);
  g_assert_true (g_file_set_contents (csv, "an older export\n", -1, &error));
  master_before = pk_proof_read_bytes (master);
  other_before = pk_proof_read_bytes (other);
  key_before = pk_proof_read_bytes (key);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (export_to (master, targets[i], FALSE, &err), ==, 2);
      g_assert_nonnull (strstr (err, "--force"));
    }
  {
    g_autoptr(GBytes) master_after = pk_proof_read_bytes (master);
    g_autoptr(GBytes) other_after = pk_proof_read_bytes (other);
    g_autoptr(GBytes) key_after = pk_proof_read_bytes (key);

    g_assert_true (g_bytes_equal (master_before, master_after));
    g_assert_true (g_bytes_equal (other_before, other_after));
    g_assert_true (g_bytes_equal (key_before, key_after));
  }
  g_assert_cmpint (pk_proof_cli_count (master), ==, 1);

  /* An older export is replaced as before; --force replaces anything. */
  g_assert_cmpint (export_to (master, csv, FALSE, NULL), ==, 0);
  g_assert_cmpint (export_to (master, key, TRUE, NULL), ==, 0);
  {
    g_autoptr(GBytes) key_after = pk_proof_read_bytes (key);

    g_assert_false (g_bytes_equal (key_before, key_after));
  }
}

/* CSV ------------------------------------------------------------------ */

/* Splits @csv as a spreadsheet does that splits on @delimiter and
 * honours RFC 4180 quotes; returns every cell, quotes removed. */
static GPtrArray *
split_csv (const char *csv,
           char        delimiter)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = csv; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (cell, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (cell, *p);
        }
      else if (*p == '"' && cell->len == 0)
        quoted = TRUE;
      else if (*p == delimiter || *p == '\n')
        {
          g_ptr_array_add (cells, g_string_free (g_steal_pointer (&cell), FALSE));
          cell = g_string_new (NULL);
        }
      else if (*p != '\r')
        g_string_append_c (cell, *p);
    }
  g_ptr_array_add (cells, g_string_free (cell, FALSE));
  return cells;
}

/* The value of an exported cell: one single quote dropped at its start
 * and after each ';', tab, CR or LF, where there is one. */
static char *
recover (const char *cell)
{
  GString *value = g_string_new (NULL);

  for (const char *p = cell; *p != '\0'; p++)
    {
      gboolean cell_start = p == cell || strchr (";\t\r\n", p[-1]) != NULL;

      if (!(cell_start && *p == '\''))
        g_string_append_c (value, *p);
    }
  return g_string_free (value, FALSE);
}

/* TRUE when a spreadsheet would evaluate a cell holding @cell. */
static gboolean
is_live (const char *cell)
{
  static const char * const starts[] = { "=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠" };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (g_str_has_prefix (cell, starts[i]))
      return TRUE;
  return FALSE;
}

/* Hostile names and a comment, exported as CSV and read back splitting
 * on ',', ';' and tab: no cell is live, and with ',' every value comes
 * back exactly after dropping one leading quote. */
static void
test_csv_delimiters (void)
{
  static const char * const given = "＝1+1";
  static const char * const family = "x;=5+5;@A1";
  /* (`sign` turns a tab in a comment into a space.) */
  static const char * const comment = "z;=cmd|' /C calc'!A0;－2+2|;＠SUM(A1);'x";
  static const char delimiters[] = { ',', ';', '\t' };
  g_autofree char *kiosk = tmp_path ("csv-kiosk.db");
  g_autofree char *batch = tmp_path ("csv.pkbatch");
  g_autofree char *master = tmp_path ("csv-master.db");
  g_autofree char *out = tmp_path ("csv-export.csv");
  g_autofree char *csv = NULL;
  gboolean found[3] = { FALSE, FALSE, FALSE };

  g_assert_cmpint (run ((const char *[]) { "sign", "--db", kiosk, "--petition", petition, "--lang", "en",
                                           "--given-name", given, "--family-name", family,
                                           "--email", "csv@example.org", "--comment", comment,
                                           "--consent", NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk, "--out", batch, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, batch, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (export_to (master, out, FALSE, NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &csv, NULL, NULL));

  for (guint d = 0; d < G_N_ELEMENTS (delimiters); d++)
    {
      g_autoptr(GPtrArray) cells = split_csv (csv, delimiters[d]);

      for (guint i = 0; i < cells->len; i++)
        {
          const char *cell = g_ptr_array_index (cells, i);

          if (is_live (cell))
            g_error ("splitting on '%c', the export has the live cell «%s»", delimiters[d], cell);
          if (delimiters[d] == ',')
            {
              g_autofree char *value = recover (cell);

              found[0] |= g_str_equal (value, given);
              found[1] |= g_str_equal (value, family);
              found[2] |= g_str_equal (value, comment);
            }
        }
    }
  g_assert_true (found[0] && found[1] && found[2]);
}

/* Text fields ------------------------------------------------------------ */

#define ESCAPE_NAME "kiosk\x1b]0;owned\x07\x1b[2J"
#define BIDI_EVENT  "vigil \u202Ekooltuo\u202C \u2066x\u2069"

static void
sql (const char *db,
     const char *statement)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, statement, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

/* No raw control or bidi character reaches the terminal. */
static void
assert_clean_output (const char *what,
                     const char *text)
{
  g_assert_nonnull (text);
  if (strchr (text, '\x1b') != NULL || strchr (text, '\x07') != NULL
      || strstr (text, "\u202E") != NULL || strstr (text, "\u2066") != NULL)
    g_error ("%s printed a raw control character: %s", what, text);
}

/* A batch signed with a real (stolen) kiosk key whose kiosk name holds
 * terminal escapes and whose event holds bidi overrides: refused on
 * reading, and printed escaped. A master that holds such text from
 * before prints it escaped in its report. */
static void
test_hostile_text_fields (void)
{
  g_autofree char *kiosk = tmp_path ("text-kiosk.db");
  g_autofree char *batch = tmp_path ("evil\x1b[2J.pkbatch");
  g_autofree char *master = make_master ("text-master.db");
  g_autofree char *update = g_strdup_printf ("UPDATE batches SET kiosk_name = '%s', event = '%s'",
                                             ESCAPE_NAME, BIDI_EVENT);
  g_auto(GStrv) sign = pk_proof_sign_args (kiosk, petition, 7);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run ((const char * const *) sign, NULL, NULL), ==, 0);
  sql (kiosk, update);
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk, "--out", batch, NULL }, NULL, NULL), ==, 0);

  g_assert_cmpint (run ((const char *[]) { "verify", batch, NULL }, &out, NULL), ==, 4);
  assert_clean_output ("verify", out);
  g_assert_nonnull (strstr (out, ": invalid content: "));
  g_assert_nonnull (strstr (out, "evil<U+001B>[2J.pkbatch"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, batch, NULL }, &out, &err), ==, 4);
  assert_clean_output ("merge", err);
  g_clear_pointer (&out, g_free);

  sql (master, update);
  g_assert_cmpint (run ((const char *[]) { "report", "--db", master, NULL }, &out, NULL), ==, 0);
  assert_clean_output ("report", out);
  g_assert_nonnull (strstr (out, "kiosk<U+001B>]0;owned<U+0007><U+001B>[2J"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pk_proof_make_tmpdir ();
  petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");

  g_test_add_func ("/Pk/Hostile/export-out", test_export_out);
  g_test_add_func ("/Pk/Hostile/csv-delimiters", test_csv_delimiters);
  g_test_add_func ("/Pk/Hostile/text-fields", test_hostile_text_fields);

  status = g_test_run ();
  pk_proof_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (petition);
  return status;
}
