/* test-powercut.c: the power fails at every moment of sign, close-batch, merge and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SIGKILL keeps the page cache, so it cannot show a missing fsync. Here
 * the pk-powercut shim (pk-powercut.c) keeps what a disk would still hold
 * after a power cut, and the power goes at one counted call (a write,
 * fsync, rename…) of the command under test, in turn. After each cut the
 * folder is rebuilt from that image and the promises are checked: every
 * signature acknowledged before the cut is there, PRAGMA integrity_check
 * says ok, the next `sign` works, every batch file left passes `verify`,
 * and after one more signature and a second close-batch, each
 * acknowledged signature reaches the master exactly once.
 *
 * The Paper page's save of transcribed lines runs through powercut-probe
 * (its paper mode), which calls the same core function line by line.
 *
 * Each case tries every counted call when there are at most
 * $PK_POWERCUT_POINTS of them (default below), otherwise the first, the
 * last and a sample drawn with the GTest seed (replay with --seed);
 * PK_POWERCUT_POINTS=all tries every one.
 */
#define G_LOG_DOMAIN "test-powercut"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "pk-proof.h"
#include "pk-powercut-disk.h"

#define POINTS 12

static guint serial;

/* Runs one `sign` on @disk (no cut) and returns its UUID; it must work. */
static char *
sign_acknowledged (PkDisk     *disk,
                   const char *petition)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, serial++);
  g_autofree char *out = NULL;

  g_assert_cmpint (pk_disk_run (disk, (const char * const *) args, 0, NULL, &out, NULL), ==, 0);
  g_assert_true (pk_proof_is_uuid (out));
  return g_strstrip (g_steal_pointer (&out));
}

/* After a cut: the database is whole, holds every acknowledged UUID and
 * takes the next signature. */
static void
check_kiosk (PkDisk     *disk,
             GPtrArray  *acknowledged,
             const char *petition)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *integrity = NULL;
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, serial++);

  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      integrity = pk_proof_integrity (db);
      g_assert_cmpstr (integrity, ==, "ok");
    }
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (db, acknowledged->pdata[i]), ==, 1);
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_row_count (db), ==, pk_proof_cli_count (db));
}

/* Counts the calls of the command that @prepare sets up and @run runs,
 * then cuts the power at each sampled one and calls @check. */
typedef void (*PrepareFunc) (PkDisk *disk, GPtrArray *acknowledged, gconstpointer data);
typedef int  (*RunFunc)     (PkDisk *disk, guint cut_at, gconstpointer data, char **out);
typedef void (*CheckFunc)   (PkDisk *disk, GPtrArray *acknowledged, int status,
                             const char *out, gconstpointer data);

static void
cut_everywhere (PrepareFunc   prepare,
                RunFunc       run,
                CheckFunc     check,
                gconstpointer data)
{
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) folder_syncs = NULL;
  guint n_events;

  {
    g_autoptr(PkDisk) disk = pk_disk_new ();
    g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *out = NULL;
    int status;

    prepare (disk, acknowledged, data);
    status = run (disk, 0, data, &out);
    g_assert_cmpint (status, ==, 0);
    n_events = pk_disk_events (disk);
    folder_syncs = pk_disk_folder_syncs (disk);
    /* The power fails just after the command was acknowledged. */
    pk_disk_power_cut (disk);
    check (disk, acknowledged, status, out, data);
  }
  g_test_message ("%u counted calls", n_events);

  points = pk_disk_sample (n_events, folder_syncs, POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      g_autoptr(PkDisk) disk = pk_disk_new ();
      g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *out = NULL;
      guint at = g_array_index (points, guint, i);
      int status;

      prepare (disk, acknowledged, data);
      status = run (disk, at, data, &out);
      g_test_message ("power cut at call %u of %u", at, n_events);
      g_assert_cmpint (status, ==, PK_DISK_CUT_STATUS);
      pk_disk_power_cut (disk);
      check (disk, acknowledged, status, out, data);
    }
}

/* The simulator itself, on a tiny program that saves well or badly: it
 * must see the loss when a sync is missing, or the tests below prove
 * nothing. Returns whether what the probe acknowledged survived. */
static gboolean
probe_survives (const char *what,
                const char *how)
{
  g_autoptr(PkDisk) disk = pk_disk_new ();
  g_autofree char *target = pk_disk_path (disk, "saved");
  const char *argv[] = { g_getenv ("PK_POWERCUT_PROBE"), what, target, how, NULL };
  gint64 rows = 0;

  /* Twice: the second run finds the first's file or row. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = pk_disk_environ (disk, 0, NULL);
      g_auto(GStrv) envp = g_get_environ ();
      g_autofree char *out = NULL;
      int status = -1;

      for (guint j = 0; env[j] != NULL; j++)
        {
          g_autofree char *name = g_strndup (env[j], strcspn (env[j], "="));

          envp = g_environ_setenv (envp, name, env[j] + strlen (name) + 1, TRUE);
        }
      g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                    &out, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      g_assert_cmpstr (out, ==, "saved\n");
    }
  pk_disk_power_cut (disk);

  if (g_strcmp0 (what, "file") == 0)
    {
      g_autofree char *contents = NULL;

      return g_file_get_contents (target, &contents, NULL, NULL)
             && g_strcmp0 (contents, "the whole text\n") == 0;
    }
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open (target, &db), ==, SQLITE_OK);
      if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t", -1, &stmt, NULL) == SQLITE_OK
          && sqlite3_step (stmt) == SQLITE_ROW)
        rows = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  return rows == 2;
}

static void
test_simulator (void)
{
  g_assert_true (probe_survives ("file", "synced"));
  g_assert_false (probe_survives ("file", "unsynced"));
  g_assert_true (probe_survives ("sqlite", "full"));
  g_assert_false (probe_survives ("sqlite", "off"));
}

/* sign: the first one creates the database, the second adds a row. */

static void
prepare_nothing (PkDisk        *disk,
                 GPtrArray     *acknowledged,
                 gconstpointer  data)
{
}

static void
prepare_one_signature (PkDisk        *disk,
                       GPtrArray     *acknowledged,
                       gconstpointer  data)
{
  g_autofree char *petition = pk_proof_demo_petition (data);

  g_ptr_array_add (acknowledged, sign_acknowledged (disk, petition));
}

static int
run_sign (PkDisk        *disk,
          guint          cut_at,
          gconstpointer  data,
          char         **out)
{
  g_autofree char *petition = pk_proof_demo_petition (data);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, serial++);

  return pk_disk_run (disk, (const char * const *) args, cut_at, NULL, out, NULL);
}

static void
check_sign (PkDisk        *disk,
            GPtrArray     *acknowledged,
            int            status,
            const char    *out,
            gconstpointer  data)
{
  g_autofree char *petition = pk_proof_demo_petition (data);

  if (status == 0)
    {
      g_assert_true (pk_proof_is_uuid (out));
      g_ptr_array_add (acknowledged, g_strstrip (g_strdup (out)));
    }
  check_kiosk (disk, acknowledged, petition);
}

static void
test_sign_first (gconstpointer data)
{
  cut_everywhere (prepare_nothing, run_sign, check_sign, data);
}

static void
test_sign_next (gconstpointer data)
{
  cut_everywhere (prepare_one_signature, run_sign, check_sign, data);
}

/* close-batch: two acknowledged signatures, then the batch file. */

#define PLAIN "prisoners-of-conscience.petition"

static void
prepare_two_signatures (PkDisk        *disk,
                        GPtrArray     *acknowledged,
                        gconstpointer  data)
{
  prepare_one_signature (disk, acknowledged, PLAIN);
  prepare_one_signature (disk, acknowledged, PLAIN);
}

static int
close_batch (PkDisk      *disk,
             const char  *name,
             guint        cut_at,
             char       **out)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *batch = pk_disk_path (disk, name);
  const char *args[] = { "close-batch", "--db", db, "--out", batch, "--petition", petition, NULL };

  return pk_disk_run (disk, args, cut_at, NULL, out, NULL);
}

static int
run_close_batch (PkDisk        *disk,
                 guint          cut_at,
                 gconstpointer  data,
                 char         **out)
{
  return close_batch (disk, "first.pkbatch", cut_at, out);
}

/* Merges every batch file in the folder that verifies into a fresh
 * master; one that exists but does not verify fails the test, since
 * close-batch promises never to leave a half-written file under its name. */
static char *
merge_batches (PkDisk *disk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (pk_disk_get_dir (disk), 0, &error);
  g_autofree char *master_dir = pk_proof_make_tmpdir ();
  char *master = g_build_filename (master_dir, "master.db", NULL);
  g_autoptr(GPtrArray) merge = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  g_ptr_array_add (merge, g_strdup ("merge"));
  g_ptr_array_add (merge, g_strdup ("--into"));
  g_ptr_array_add (merge, g_strdup (master));
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pkbatch"))
      {
        char *path = pk_disk_path (disk, name);
        const char *verify[] = { "verify", path, NULL };

        g_assert_cmpint (pk_proof_run_cli (verify, NULL, NULL, NULL), ==, 0);
        g_ptr_array_add (merge, path);
      }
  g_ptr_array_add (merge, NULL);
  if (merge->len > 4)
    g_assert_cmpint (pk_proof_run_cli ((const char * const *) merge->pdata, NULL, NULL, NULL), ==, 0);
  return master;
}

static void
check_close_batch (PkDisk        *disk,
                   GPtrArray     *acknowledged,
                   int            status,
                   const char    *out,
                   gconstpointer  data)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *first = pk_disk_path (disk, "first.pkbatch");
  g_autofree char *master = NULL;
  g_autofree char *master_dir = NULL;
  g_autofree char *later = NULL;

  if (status == 0)
    g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  /* Whatever close-batch left undone, the kiosk goes on: a signature,
   * then closing again; every acknowledged signature must then be in
   * exactly one place a coordinator can merge. */
  later = sign_acknowledged (disk, petition);
  g_assert_cmpint (close_batch (disk, "second.pkbatch", 0, NULL), ==, 0);
  pk_disk_settle (disk);
  master = merge_batches (disk);
  master_dir = g_path_get_dirname (master);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (master, acknowledged->pdata[i]), ==, 1);
  /* Issue 19 item 2: a cut between the batch file's rename and the
   * kiosk's commit left the file with the batch still open, and a second
   * file for the same batch lost this signature at merge. */
  g_assert_cmpint (pk_proof_uuid_rows (master, later), ==, 1);
  g_assert_cmpint (pk_proof_row_count (master), ==, acknowledged->len + 1);
  g_ptr_array_add (acknowledged, g_steal_pointer (&later));
  check_kiosk (disk, acknowledged, petition);
  pk_proof_rm_rf (master_dir);
}

static void
test_close_batch (void)
{
  cut_everywhere (prepare_two_signatures, run_close_batch, check_close_batch, NULL);
}

/* merge: a closed batch of two into a new master. */

static void
prepare_batch (PkDisk        *disk,
               GPtrArray     *acknowledged,
               gconstpointer  data)
{
  prepare_two_signatures (disk, acknowledged, NULL);
  g_assert_cmpint (close_batch (disk, "first.pkbatch", 0, NULL), ==, 0);
}

static int
merge_into (PkDisk      *disk,
            guint        cut_at,
            char       **out)
{
  g_autofree char *master = pk_disk_path (disk, "master.db");
  g_autofree char *batch = pk_disk_path (disk, "first.pkbatch");
  const char *args[] = { "merge", "--into", master, batch, NULL };

  return cut_at == G_MAXUINT ? pk_proof_run_cli (args, NULL, out, NULL)
                             : pk_disk_run (disk, args, cut_at, NULL, out, NULL);
}

static int
run_merge (PkDisk        *disk,
           guint          cut_at,
           gconstpointer  data,
           char         **out)
{
  return merge_into (disk, cut_at, out);
}

static void
check_merge (PkDisk        *disk,
             GPtrArray     *acknowledged,
             int            status,
             const char    *out,
             gconstpointer  data)
{
  g_autofree char *master = pk_disk_path (disk, "master.db");

  /* An acknowledged merge is durable; any master left is whole. */
  if (status == 0)
    for (guint i = 0; i < acknowledged->len; i++)
      g_assert_cmpint (pk_proof_uuid_rows (master, acknowledged->pdata[i]), ==, 1);
  if (g_file_test (master, G_FILE_TEST_EXISTS))
    {
      g_autofree char *integrity = pk_proof_integrity (master);

      g_assert_cmpstr (integrity, ==, "ok");
    }
  /* The same file merges cleanly afterwards (G_MAXUINT: without the
   * shim), adding what the cut lost and nothing twice. */
  g_assert_cmpint (merge_into (disk, G_MAXUINT, NULL), ==, 0);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (master, acknowledged->pdata[i]), ==, 1);
  g_assert_cmpint (pk_proof_row_count (master), ==, acknowledged->len);
}

static void
test_merge (void)
{
  cut_everywhere (prepare_batch, run_merge, check_merge, NULL);
}

/* import: one acknowledged signature, then a typed-up sheet of three. */

static const char sheet_csv[] =
  "line,given_name,family_name,email,postal_code,signed\n"
  "1,Gildong,Hong,hong@example.org,03142,yes\n"
  "2,Anna,Schmidt,anna@example.de,10117,yes\n"
  "3,José,García,jose@example.es,28013,yes\n";

static void
prepare_sheet (PkDisk        *disk,
               GPtrArray     *acknowledged,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = pk_disk_path (disk, "sheet.csv");

  prepare_one_signature (disk, acknowledged, PLAIN);
  g_file_set_contents (csv, sheet_csv, -1, &error);
  g_assert_no_error (error);
}

static int
run_import (PkDisk        *disk,
            guint          cut_at,
            gconstpointer  data,
            char         **out)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *csv = pk_disk_path (disk, "sheet.csv");
  const char *args[] = { "import", "--db", db, "--petition", petition, "--sheet", "7",
                         "--lang", "en", csv, NULL };

  return pk_disk_run (disk, args, cut_at, NULL, out, NULL);
}

static void
check_import (PkDisk        *disk,
              GPtrArray     *acknowledged,
              int            status,
              const char    *out,
              gconstpointer  data)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  gint64 rows = pk_proof_row_count (db);

  /* The sheet is in whole or not at all; acknowledged, it is in. */
  g_assert_true (rows == 1 || rows == 4);
  if (status == 0)
    g_assert_cmpint (rows, ==, 4);
  check_kiosk (disk, acknowledged, petition);
}

static void
test_import (void)
{
  cut_everywhere (prepare_sheet, run_import, check_import, NULL);
}

/* transcription: the Paper page's save, one line of a sheet at a time
 * (src/core/pk-store-paper.c, driven by powercut-probe's paper mode). */

#define PAPER_LINES 3

/* Runs `powercut-probe paper` on @disk's kiosk.db under the shim. */
static int
run_paper (PkDisk        *disk,
           guint          cut_at,
           gconstpointer  data,
           char         **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *lines = g_strdup_printf ("%u", PAPER_LINES);
  const char *argv[] = { g_getenv ("PK_POWERCUT_PROBE"), "paper", db, petition, "7", lines, NULL };
  g_auto(GStrv) env = pk_disk_environ (disk, cut_at, NULL);
  g_auto(GStrv) envp = g_get_environ ();
  int status = -1;

  for (guint i = 0; env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

      envp = g_environ_setenv (envp, name, env[i] + strlen (name) + 1, TRUE);
    }
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                out, NULL, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gint64
rows_of_line (const char *db_path,
              guint       line)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures WHERE source = 'paper' "
                                       "AND sheet_line = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, (int) line);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
check_paper (PkDisk        *disk,
             GPtrArray     *acknowledged,
             int            status,
             const char    *out,
             gconstpointer  data)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_auto(GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);
  guint saved = 0;

  /* Only whole lines: one cut short was not acknowledged. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (g_str_has_prefix (lines[i], "saved "))
      saved = (guint) g_ascii_strtoull (lines[i] + 6, NULL, 10);
  if (status == 0)
    g_assert_cmpuint (saved, ==, PAPER_LINES);
  /* Each line the volunteer saw saved is there once; the others are
   * there once or not at all. */
  for (guint line = 1; line <= PAPER_LINES; line++)
    {
      gint64 rows = rows_of_line (db, line);

      if (line <= saved)
        g_assert_cmpint (rows, ==, 1);
      else
        g_assert_cmpint (rows, <=, 1);
    }
  check_kiosk (disk, acknowledged, petition);
}

static void
test_paper (void)
{
  cut_everywhere (prepare_one_signature, run_paper, check_paper, PLAIN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Durability/powercut/simulator", test_simulator);
  g_test_add_data_func ("/Pk/Durability/powercut/sign-first/plain", PLAIN, test_sign_first);
  g_test_add_data_func ("/Pk/Durability/powercut/sign-next/plain", PLAIN, test_sign_next);
  g_test_add_data_func ("/Pk/Durability/powercut/sign-first/encrypted",
                        "prisoners-of-conscience-encrypted.petition", test_sign_first);
  g_test_add_data_func ("/Pk/Durability/powercut/sign-next/encrypted",
                        "prisoners-of-conscience-encrypted.petition", test_sign_next);
  g_test_add_func ("/Pk/Durability/powercut/close-batch", test_close_batch);
  g_test_add_func ("/Pk/Durability/powercut/import", test_import);
  g_test_add_func ("/Pk/Durability/powercut/merge", test_merge);
  g_test_add_func ("/Pk/Durability/powercut/paper-lines", test_paper);

  return g_test_run ();
}
