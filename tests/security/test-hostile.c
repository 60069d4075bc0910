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

#include "pk-batch.h"
#include "pk-keys.h"
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
                                           "--consent", "--sensitive-consent", NULL }, NULL, NULL), ==, 0);
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
  pk_proof_sql (kiosk, update);
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk, "--out", batch, NULL }, NULL, NULL), ==, 0);

  g_assert_cmpint (run ((const char *[]) { "verify", batch, NULL }, &out, NULL), ==, 4);
  assert_clean_output ("verify", out);
  g_assert_nonnull (strstr (out, ": invalid content: "));
  g_assert_nonnull (strstr (out, "evil<U+001B>[2J.pkbatch"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, batch, NULL }, &out, &err), ==, 4);
  assert_clean_output ("merge", err);
  g_clear_pointer (&out, g_free);

  pk_proof_sql (master, update);
  g_assert_cmpint (run ((const char *[]) { "report", "--db", master, NULL }, &out, NULL), ==, 0);
  assert_clean_output ("report", out);
  g_assert_nonnull (strstr (out, "kiosk<U+001B>]0;owned<U+0007><U+001B>[2J"));
}

/* Forged batches ------------------------------------------------------- */

/* A kiosk with @n signers from @serial, closed into @name. */
static char *
kiosk_batch (const char *name,
             guint       serial,
             guint       n)
{
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db = tmp_path (db_name);
  char *path = tmp_path (name);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) sign = pk_proof_sign_args (db, petition, serial + i);

      g_assert_cmpint (run ((const char * const *) sign, NULL, NULL), ==, 0);
    }
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", db, "--out", path, NULL }, NULL, NULL), ==, 0);
  return path;
}

/* A forged copy of a real batch (same uuid, fresh key) verifies, but
 * says its origin was not checked; merged after the real one, or before
 * it, the second of the two is refused with exit 4 naming both keys. */
static void
test_forged_twin (void)
{
  g_autofree char *real = kiosk_batch ("twin-real.pkbatch", 200, 3);
  g_autofree char *fake = kiosk_batch ("twin-fake.pkbatch", 300, 1);
  g_autofree char *forged = tmp_path ("twin-forged.pkbatch");
  g_autofree char *forged_fp = pk_proof_forge_batch (real, fake, forged, FALSE);
  g_autofree char *real_fp = pk_proof_batch_fingerprint (real);
  const char *orders[2][2] = { { real, forged }, { forged, real } };
  g_autofree char *out = NULL;

  g_assert_cmpint (run ((const char *[]) { "verify", forged, NULL }, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "; signature valid; origin not checked against a trust list\n"));

  for (guint o = 0; o < 2; o++)
    {
      g_autofree char *name = g_strdup_printf ("twin-master-%u.db", o);
      g_autofree char *master = tmp_path (name);
      g_autofree char *err = NULL;

      g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, orders[o][0], NULL }, NULL, NULL), ==, 0);
      g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, orders[o][1], NULL }, NULL, &err), ==, 4);
      g_assert_nonnull (strstr (err, ": conflicting copy: "));
      g_assert_nonnull (strstr (err, real_fp));
      g_assert_nonnull (strstr (err, forged_fp));
    }
}

/* A batch under a known kiosk id signed with another key is refused
 * with exit 4 naming both keys, until the coordinator trusts the new
 * key; the report then lists both keys for that kiosk id. */
static void
test_kiosk_key_pinned (void)
{
  g_autofree char *real = kiosk_batch ("pin-real.pkbatch", 400, 2);
  g_autofree char *fake = kiosk_batch ("pin-fake.pkbatch", 500, 1);
  g_autofree char *forged = tmp_path ("pin-forged.pkbatch");
  g_autofree char *forged_fp = pk_proof_forge_batch (real, fake, forged, TRUE);
  g_autofree char *real_fp = pk_proof_batch_fingerprint (real);
  g_autofree char *master = tmp_path ("pin-master.db");
  g_autofree char *trust = tmp_path ("pin-trust.txt");
  g_autofree char *trust_text = g_strdup_printf ("%s\n%s\n", real_fp, forged_fp);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, real, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, forged, NULL }, NULL, &err), ==, 4);
  g_assert_nonnull (strstr (err, ": untrusted kiosk: "));
  g_assert_nonnull (strstr (err, real_fp));
  g_assert_nonnull (strstr (err, forged_fp));

  /* Trusted by the coordinator: it goes in. */
  g_assert_true (g_file_set_contents (trust, trust_text, -1, NULL));
  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, "--trust", trust, forged, NULL },
                        NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "report", "--db", master, NULL }, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, real_fp));
  g_assert_nonnull (strstr (out, forged_fp));
}

/* Metadata ------------------------------------------------------------- */

static GArray *
column_values (const char *db,
               const char *sql)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 value = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (values, value);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return values;
}

/* On an encrypted kiosk, a one-letter name and a hundred-letter one
 * give rows of the same length, and no row carries the second at which
 * it was signed: neither in the kiosk's database nor in its batch file. */
static void
test_row_metadata (void)
{
  g_autofree char *encrypted = pk_proof_demo_petition ("prisoners-of-conscience-encrypted.petition");
  g_autofree char *kiosk = tmp_path ("metadata-kiosk.db");
  g_autofree char *batch = tmp_path ("metadata.pkbatch");
  g_autofree char *long_name = g_strnfill (100, 'L');
  const char *names[] = { "A", long_name };
  const char *files[] = { kiosk, batch };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *email = g_strdup_printf ("meta%u@example.org", i);

      g_assert_cmpint (run ((const char *[]) { "sign", "--db", kiosk, "--petition", encrypted, "--lang", "en",
                                               "--given-name", names[i], "--email", email, "--consent", "--sensitive-consent", NULL },
                            NULL, NULL), ==, 0);
    }
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk, "--out", batch, NULL }, NULL, NULL), ==, 0);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(GArray) times = column_values (files[f], "SELECT signed_at FROM signatures");
      g_autoptr(GArray) lengths = column_values (files[f], "SELECT length (payload) FROM signatures");

      g_assert_cmpuint (times->len, ==, 2);
      for (guint i = 0; i < times->len; i++)
        g_assert_cmpint (g_array_index (times, gint64, i) % (60 * G_USEC_PER_SEC), ==, 0);
      g_assert_cmpuint (lengths->len, ==, 2);
      g_assert_cmpint (g_array_index (lengths, gint64, 0), ==, g_array_index (lengths, gint64, 1));
    }
}

/* A signed batch one of whose rows does not decrypt with its session
 * key (a forger who changed the sealed details and signed the file
 * again with a key of their own): refused whole as "wrong key", exit 4,
 * and nothing of it merged. */
static void
test_undecryptable_row (void)
{
  g_autofree char *encrypted = pk_proof_demo_petition ("prisoners-of-conscience-encrypted.petition");
  g_autofree char *key = pk_proof_demo_petition ("DEMO-ONLY-coordinator.key");
  g_autofree char *kiosk = tmp_path ("undecryptable-kiosk.db");
  g_autofree char *batch = tmp_path ("undecryptable.pkbatch");
  g_autofree char *master = tmp_path ("undecryptable-master.db");
  g_autofree char *err = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *email = g_strdup_printf ("sealed%u@example.org", i);

      g_assert_cmpint (run ((const char *[]) { "sign", "--db", kiosk, "--petition", encrypted, "--lang", "en",
                                               "--given-name", "Sealed", "--email", email, "--consent",
                                               "--sensitive-consent", NULL }, NULL, NULL), ==, 0);
    }
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", kiosk, "--out", batch, NULL }, NULL, NULL), ==, 0);
  pk_proof_sql (batch, "UPDATE signatures SET payload = zeroblob (length (payload)) "
              "WHERE uuid = (SELECT max (uuid) FROM signatures)");
  pk_proof_resign_batch (batch);

  g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, "--key", key, batch, NULL }, NULL, &err), ==, 4);
  g_assert_nonnull (strstr (err, ": wrong key: A row could not be decrypted with the coordinator's key"));
  g_assert_cmpint (pk_proof_cli_count (master), ==, 0);
}

/* The fingerprint of the key that signed @batch, from its header (the
 * file need not verify to the last row). */
static char *
signer_fingerprint (const char *batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchReader) reader = pk_batch_reader_open (batch, &error);

  g_assert_no_error (error);
  return pk_key_fingerprint (pk_batch_reader_get_info (reader)->kiosk_key);
}

/* A batch signed with a key the coordinator trusts (a compromised
 * kiosk, or one with a bug) whose rows read well until one after the
 * first, which no kiosk writes: a source that is neither "kiosk" nor
 * "paper", then a uuid that is not one. The merge refuses that file
 * whole, exit 4, naming it and the reason, and notes one rejection; no
 * row of it is in the master (not the ones before the bad row either),
 * and the good file of the same run merges. */
static void
test_trusted_bad_later_row (void)
{
  static const char * const edits[] = {
    "UPDATE signatures SET source = 'kiosk2' WHERE uuid = (SELECT max (uuid) FROM signatures)",
    "UPDATE signatures SET uuid = 'not-a-uuid' WHERE uuid = (SELECT max (uuid) FROM signatures)",
  };
  g_autofree char *good = kiosk_batch ("later-row-good.pkbatch", 700, 2);
  g_autofree char *good_fp = pk_proof_batch_fingerprint (good);

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *name = g_strdup_printf ("later-row-%u.pkbatch", i);
      g_autofree char *master_name = g_strdup_printf ("later-row-%u-master.db", i);
      g_autofree char *trust_name = g_strdup_printf ("later-row-%u-trust.txt", i);
      g_autofree char *master = tmp_path (master_name);
      g_autofree char *trust = tmp_path (trust_name);
      g_autofree char *bad = kiosk_batch (name, 710 + 10 * i, 3);
      g_autofree char *bad_fp = NULL;
      g_autofree char *trust_text = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *err = NULL;
      g_autofree char *out = NULL;

      pk_proof_sql (bad, edits[i]);
      pk_proof_resign_batch (bad);
      bad_fp = signer_fingerprint (bad);
      trust_text = g_strdup_printf ("%s\n%s\n", bad_fp, good_fp);
      g_assert_true (g_file_set_contents (trust, trust_text, -1, NULL));

      g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, "--trust", trust, bad, good, NULL },
                            &out, &err), ==, 4);
      expected = g_strdup_printf ("%s: invalid content: A row of the batch holds malformed values\n", bad);
      g_assert_nonnull (strstr (err, expected));
      g_assert_nonnull (strstr (out, "rejected 1"));
      g_assert_cmpint (pk_proof_cli_count (master), ==, 2);
      g_assert_cmpint (pk_proof_query_int64 (master, "SELECT count(*) FROM merge_rejected "
                                                     "WHERE reason = 'invalid content'"), ==, 1);
      g_assert_cmpint (pk_proof_query_int64 (master, "SELECT count(*) FROM batches "
                                                     "WHERE origin = 'imported'"), ==, 1);
    }
}

/* A kiosk with sheet 7's lines 1 and 2 typed up, closed into @name. */
static char *
paper_batch (const char *name)
{
  static const char csv_text[] =
    "line,given_name,family_name,email,postal_code,signed\n"
    "1,Gildong,Hong,paper-hong@example.org,03142,yes\n"
    "2,Anna,Schmidt,paper-anna@example.de,10117,yes\n";
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db = tmp_path (db_name);
  g_autofree char *csv_name = g_strconcat (name, ".csv", NULL);
  g_autofree char *csv = tmp_path (csv_name);
  char *path = tmp_path (name);

  g_assert_true (g_file_set_contents (csv, csv_text, -1, NULL));
  g_assert_cmpint (run ((const char *[]) { "import", "--db", db, "--petition", petition, "--sheet", "7",
                                           "--lang", "en", csv, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (run ((const char *[]) { "close-batch", "--db", db, "--out", path, NULL }, NULL, NULL), ==, 0);
  return path;
}

/* Signed batches with values no kiosk writes, re-signed by a forger:
 * a row whose details are not a signer's, a sheet count over a sheet's
 * lines, one paper line in two rows. Each file is refused whole, exit
 * 4, naming what is wrong, and nothing of it merged (the rows before
 * the bad value neither). */
static void
test_malformed_resigned (void)
{
  static const struct {
    const char *edit;
    const char *message;
  } cases[] = {
    { "UPDATE signatures SET payload = x'00ff' WHERE uuid = (SELECT max (uuid) FROM signatures)",
      ": invalid content: A row's signer details are malformed" },
    { "INSERT INTO sheet_counts (serial, count, entered_at) VALUES ('PK-0000-000001', 9999, 0)",
      ": invalid content: A sheet count of the batch holds malformed values" },
    { "UPDATE signatures SET sheet_line = 1",
      ": invalid content: Line 1 of paper sheet " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("malformed-%u.pkbatch", i);
      g_autofree char *master_name = g_strdup_printf ("malformed-%u-master.db", i);
      g_autofree char *master = tmp_path (master_name);
      g_autofree char *batch = i == 2 ? paper_batch (name) : kiosk_batch (name, 500 + 10 * i, 2);
      g_autofree char *err = NULL;

      pk_proof_sql (batch, cases[i].edit);
      pk_proof_resign_batch (batch);
      g_assert_cmpint (run ((const char *[]) { "merge", "--into", master, batch, NULL }, NULL, &err), ==, 4);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_cmpint (pk_proof_cli_count (master), ==, 0);
    }
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
  g_test_add_func ("/Pk/Hostile/forged-twin", test_forged_twin);
  g_test_add_func ("/Pk/Hostile/kiosk-key-pinned", test_kiosk_key_pinned);
  g_test_add_func ("/Pk/Hostile/row-metadata", test_row_metadata);
  g_test_add_func ("/Pk/Hostile/undecryptable-row", test_undecryptable_row);
  g_test_add_func ("/Pk/Hostile/malformed-resigned", test_malformed_resigned);
  g_test_add_func ("/Pk/Hostile/trusted-bad-later-row", test_trusted_bad_later_row);

  status = g_test_run ();
  pk_proof_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (petition);
  return status;
}
