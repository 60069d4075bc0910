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

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pk_proof_make_tmpdir ();
  petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");

  g_test_add_func ("/Pk/Hostile/export-out", test_export_out);

  status = g_test_run ();
  pk_proof_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (petition);
  return status;
}
