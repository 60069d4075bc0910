/* test-iofaults.c: ENOSPC or EIO at every write, sync and rename, in turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pk-powercut shim (pk-powercut.c) makes the K-th counted call on
 * the test's folder fail, for K = 1, 2, … n of a command, the way
 * SQLite's own tests inject an I/O error at every call. ENOSPC stays
 * (every later call fails too, as on a disk that stays full); EIO is
 * one bad call. Whatever K, the command must end with exit 0 and whole
 * results, or with exit 1 (never a crash or another code) and a message,
 * or, for export only, exit 6 with the whole file in place (the folder's
 * sync after the rename failed);
 * nothing acknowledged is lost, no half-written file is left under its
 * name (nor a temporary one), and the same command works once the fault
 * is gone. The no-noreplace cases take RENAME_NOREPLACE away, so that
 * pk-atomic.c's link-then-unlink fallback runs; the vfat cases take
 * links and folder syncs away too, so that its lstat-then-rename runs.
 *
 * The calls tried are sampled as in test-powercut.c ($PK_POWERCUT_POINTS,
 * the GTest seed).
 */
#define G_LOG_DOMAIN "test-iofaults"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-proof.h"
#include "pk-powercut-disk.h"

#define POINTS 10
#define PLAIN "prisoners-of-conscience.petition"

/* The folder every case starts from, made once: kiosk.db with A and B
 * closed into batch.pkbatch and C and D still open, master.db holding
 * the batch, a typed-up sheet, and export.reference (outside). */
static char *template_dir;
static char *reference_csv;
static char *acknowledged[4];
static guint serial;

static const char sheet_csv[] =
  "line,given_name,family_name,email,postal_code,signed\n"
  "1,Gildong,Hong,hong@example.org,03142,yes\n"
  "2,Anna,Schmidt,anna@example.de,10117,yes\n"
  "3,José,García,jose@example.es,28013,yes\n";

static char *
template_path (const char *name)
{
  return g_build_filename (template_dir, name, NULL);
}

static char *
sign_into (const char *db)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, serial++);
  g_autofree char *out = NULL;

  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, &out, NULL), ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

static void
make_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = NULL, *batch = NULL, *master = NULL, *csv = NULL;

  template_dir = pk_proof_make_tmpdir ();
  db = template_path ("kiosk.db");
  batch = template_path ("batch.pkbatch");
  master = template_path ("master.db");
  csv = template_path ("sheet.csv");
  reference_csv = g_strconcat (template_dir, ".csv", NULL);

  acknowledged[0] = sign_into (db);
  acknowledged[1] = sign_into (db);
  {
    const char *close[] = { "close-batch", "--db", db, "--out", batch, "--petition", petition, NULL };
    const char *merge[] = { "merge", "--into", master, batch, NULL };
    const char *export[] = { "export", "--db", master, "--format", "csv", "--out", reference_csv, NULL };

    g_assert_cmpint (pk_proof_run_cli (close, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (pk_proof_run_cli (merge, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (pk_proof_run_cli (export, NULL, NULL, NULL), ==, 0);
  }
  acknowledged[2] = sign_into (db);
  acknowledged[3] = sign_into (db);
  g_file_set_contents (csv, sheet_csv, -1, &error);
  g_assert_no_error (error);
}

/* A fresh disk holding a copy of the template. */
static PkDisk *
disk_from_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (template_dir, 0, &error);
  PkDisk *disk = pk_disk_new ();
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = template_path (name);
      g_autofree char *to = pk_disk_path (disk, name);
      g_autoptr(GBytes) bytes = pk_proof_read_bytes (from);

      g_file_set_contents (to, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
    }
  return disk;
}

/* The folder's file system, as pk-atomic.c sees it. */
typedef enum {
  TARGET_LINUX,         /* renameat2 (RENAME_NOREPLACE) works */
  TARGET_NO_NOREPLACE,  /* hard links but no RENAME_NOREPLACE: link, unlink */
  TARGET_VFAT,          /* neither, nor a folder's fsync: lstat, rename */
} Target;

static const char * const target_env[] = {
  [TARGET_LINUX] = "PK_FAULT_VFAT=0",
  [TARGET_NO_NOREPLACE] = "PK_FAULT_NO_NOREPLACE=1",
  [TARGET_VFAT] = "PK_FAULT_VFAT=1",
};

static const char * const target_name[] = {
  [TARGET_LINUX] = "",
  [TARGET_NO_NOREPLACE] = "/no-noreplace",
  [TARGET_VFAT] = "/vfat",
};

typedef struct {
  const char *command;      /* sign, import, close-batch, merge, export */
  const char *fault_errno;  /* ENOSPC (stays) or EIO (once) */
  Target      target;
} Case;

/* The command under test, writing only into @disk's folder. */
static int
run_command (PkDisk      *disk,
             const Case  *c,
             guint        fault_at,
             char       **err)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *csv = pk_disk_path (disk, "sheet.csv");
  g_autofree char *batch = pk_disk_path (disk, "batch.pkbatch");
  g_autofree char *closed = pk_disk_path (disk, "closed.pkbatch");
  g_autofree char *master = pk_disk_path (disk, "master.db");
  g_autofree char *fresh = pk_disk_path (disk, "fresh-master.db");
  g_autofree char *out = pk_disk_path (disk, "export.csv");
  g_autofree char *at = g_strdup_printf ("PK_FAULT_AT=%u", fault_at);
  g_autofree char *errno_name = g_strconcat ("PK_FAULT_ERRNO=", c->fault_errno, NULL);
  const char *env[] = { at, errno_name,
                        g_strcmp0 (c->fault_errno, "ENOSPC") == 0 ? "PK_FAULT_PERSIST=1" : "PK_FAULT_PERSIST=0",
                        target_env[c->target], NULL };
  g_auto(GStrv) sign = pk_proof_sign_args (db, petition, serial++);
  const char *import[] = { "import", "--db", db, "--petition", petition, "--sheet", "7",
                           "--lang", "en", csv, NULL };
  const char *close[] = { "close-batch", "--db", db, "--out", closed, "--petition", petition, NULL };
  const char *merge[] = { "merge", "--into", fresh, batch, NULL };
  const char *export[] = { "export", "--db", master, "--format", "csv", "--out", out, NULL };
  const char * const *args =
    g_str_equal (c->command, "sign") ? (const char * const *) sign
    : g_str_equal (c->command, "import") ? import
    : g_str_equal (c->command, "close-batch") ? close
    : g_str_equal (c->command, "merge") ? merge
    : export;

  return pk_disk_run (disk, args, 0, env, NULL, err);
}

static void
assert_no_leftovers (PkDisk *disk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (pk_disk_get_dir (disk), 0, &error);
  const char *name;

  g_assert_no_error (error);
  /* pk-atomic.c's temporary files are hidden names in the same folder. */
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (name[0] == '.');
}

/* Every acknowledged signature is in the kiosk and the kiosk still
 * takes signatures. */
static void
assert_kiosk_whole (PkDisk *disk)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *integrity = pk_proof_integrity (db);

  g_assert_cmpstr (integrity, ==, "ok");
  for (guint i = 0; i < G_N_ELEMENTS (acknowledged); i++)
    g_assert_cmpint (pk_proof_uuid_rows (db, acknowledged[i]), ==, 1);
  g_free (sign_into (db));
}

/* Every batch file in the folder verifies; merged into a new master
 * with what closing again yields, they hold each acknowledged row once,
 * including one signed between the fault and the second close (issue
 * 19 item 2: a failed close-batch left its file, the next one wrote a
 * second file for the same batch, and merging both lost that one). */
static void
assert_batches_whole (PkDisk *disk)
{
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *again = pk_disk_path (disk, "again.pkbatch");
  g_autofree char *master = pk_disk_path (disk, "check-master.db");
  const char *close[] = { "close-batch", "--db", db, "--out", again, "--petition", petition, NULL };
  g_autoptr(GPtrArray) merge = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *later = sign_into (db);
  const char *name;
  int status = pk_proof_run_cli (close, NULL, NULL, NULL);

  g_assert_cmpint (status, ==, 0);
  g_ptr_array_add (merge, g_strdup ("merge"));
  g_ptr_array_add (merge, g_strdup ("--into"));
  g_ptr_array_add (merge, g_strdup (master));
  dir = g_dir_open (pk_disk_get_dir (disk), 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pkbatch"))
      {
        char *path = pk_disk_path (disk, name);
        const char *verify[] = { "verify", path, NULL };

        g_assert_cmpint (pk_proof_run_cli (verify, NULL, NULL, NULL), ==, 0);
        g_ptr_array_add (merge, path);
      }
  g_ptr_array_add (merge, NULL);
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) merge->pdata, NULL, NULL, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (acknowledged); i++)
    g_assert_cmpint (pk_proof_uuid_rows (master, acknowledged[i]), ==, 1);
  g_assert_cmpint (pk_proof_uuid_rows (master, later), ==, 1);
  g_assert_cmpint (pk_proof_row_count (master), ==, G_N_ELEMENTS (acknowledged) + 1);
}

static gboolean
file_equals (const char *path,
             const char *reference)
{
  g_autoptr(GBytes) got = pk_proof_read_bytes (path);
  g_autoptr(GBytes) want = pk_proof_read_bytes (reference);

  return g_bytes_equal (got, want);
}

/* What each command promises after a fault (@status, its exit). */
static void
assert_outcome (PkDisk     *disk,
                const Case *c,
                int         status)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *fresh = pk_disk_path (disk, "fresh-master.db");
  g_autofree char *out = pk_disk_path (disk, "export.csv");

  assert_no_leftovers (disk);
  if (g_str_equal (c->command, "import"))
    {
      gint64 rows = pk_proof_row_count (db);

      /* The sheet is in whole, or not at all after a failure. */
      g_assert_true (rows == 7 || (status != 0 && rows == 4));
    }
  else if (g_str_equal (c->command, "merge"))
    {
      const char *batch[] = { "merge", "--into", fresh, NULL, NULL };
      g_autofree char *path = pk_disk_path (disk, "batch.pkbatch");

      /* The same file merges once the fault is gone. */
      batch[3] = path;
      g_assert_cmpint (pk_proof_run_cli (batch, NULL, NULL, NULL), ==, 0);
      for (guint i = 0; i < 2; i++)
        g_assert_cmpint (pk_proof_uuid_rows (fresh, acknowledged[i]), ==, 1);
    }
  else if (g_str_equal (c->command, "export"))
    {
      /* Whole, or absent after exit 1. Exit 6 says that only the
       * folder's sync after the rename failed: the whole file is there. */
      if (status == 0 || status == 6)
        g_assert_true (file_equals (out, reference_csv));
      else
        g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  else if (g_str_equal (c->command, "close-batch"))
    assert_batches_whole (disk);
  assert_kiosk_whole (disk);
}

static void
test_fault_everywhere (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) folder_syncs = NULL;
  guint n_events;

  {
    g_autoptr(PkDisk) disk = disk_from_template ();

    g_assert_cmpint (run_command (disk, c, 0, NULL), ==, 0);
    n_events = pk_disk_events (disk);
    folder_syncs = pk_disk_folder_syncs (disk);
    assert_outcome (disk, c, 0);
  }
  g_test_message ("%u counted calls", n_events);

  points = pk_disk_sample (n_events, folder_syncs, POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      g_autoptr(PkDisk) disk = disk_from_template ();
      g_autofree char *err = NULL;
      guint at = g_array_index (points, guint, i);
      int status = run_command (disk, c, at, &err);

      g_test_message ("%s at call %u of %u: exit %d", c->fault_errno, at, n_events, status);
      /* 1 is a failure to do the job; 4 would say a batch file is bad
       * (issue 19 item 3: a full master was "rejected 1", exit 4); 6 is
       * an export in place whose folder entry the disk did not confirm. */
      g_assert_true (status == 0 || status == 1
                     || (status == 6 && g_str_equal (c->command, "export")));
      if (status != 0)
        g_assert_cmpstr (g_strstrip (err), !=, "");
      assert_outcome (disk, c, status);
    }
}

/* Only the folder's sync after the rename fails (EIO at the export's
 * last counted call): the whole file is in place, so the exit status
 * must not be 1, whose promise is "nothing was written", but 6, with a
 * message saying the file is whole yet unconfirmed. Every earlier call's
 * fault leaves no file and exits 1. */
static void
test_export_unconfirmed (void)
{
  const Case c = { "export", "EIO", TARGET_LINUX };
  guint n_events;

  {
    g_autoptr(PkDisk) disk = disk_from_template ();

    g_assert_cmpint (run_command (disk, &c, 0, NULL), ==, 0);
    n_events = pk_disk_events (disk);
  }
  for (guint at = 1; at <= n_events; at++)
    {
      g_autoptr(PkDisk) disk = disk_from_template ();
      g_autofree char *out = pk_disk_path (disk, "export.csv");
      g_autofree char *err = NULL;
      int status = run_command (disk, &c, at, &err);

      g_test_message ("EIO at call %u of %u: exit %d: %s", at, n_events, status, err);
      if (at == n_events)
        {
          g_assert_cmpint (status, ==, 6);
          g_assert_nonnull (strstr (err, "written in full"));
          g_assert_true (file_equals (out, reference_csv));
        }
      else
        {
          g_assert_cmpint (status, ==, 1);
          g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
        }
      assert_no_leftovers (disk);
    }
}

/* Without RENAME_NOREPLACE, each fallback still never replaces an
 * existing file. */
static void
test_never_overwrites (gconstpointer data)
{
  Target target = GPOINTER_TO_INT (data);
  g_autoptr(PkDisk) disk = disk_from_template ();
  g_autofree char *petition = pk_proof_demo_petition (PLAIN);
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *batch = pk_disk_path (disk, "batch.pkbatch");
  g_autoptr(GBytes) before = pk_proof_read_bytes (batch);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *err = NULL;
  const char *close[] = { "close-batch", "--db", db, "--out", batch, "--petition", petition, NULL };
  const char *env[] = { target_env[target], NULL };

  g_assert_cmpint (pk_disk_run (disk, close, 0, env, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "overwrite"));
  after = pk_proof_read_bytes (batch);
  g_assert_true (g_bytes_equal (before, after));
  assert_no_leftovers (disk);
  assert_batches_whole (disk);
}

static const Case cases[] = {
  { "sign", "ENOSPC", TARGET_LINUX }, { "sign", "EIO", TARGET_LINUX },
  { "import", "ENOSPC", TARGET_LINUX }, { "import", "EIO", TARGET_LINUX },
  { "close-batch", "ENOSPC", TARGET_LINUX }, { "close-batch", "EIO", TARGET_LINUX },
  { "merge", "ENOSPC", TARGET_LINUX }, { "merge", "EIO", TARGET_LINUX },
  { "export", "ENOSPC", TARGET_LINUX }, { "export", "EIO", TARGET_LINUX },
  { "close-batch", "ENOSPC", TARGET_NO_NOREPLACE }, { "close-batch", "EIO", TARGET_NO_NOREPLACE },
  { "close-batch", "ENOSPC", TARGET_VFAT }, { "close-batch", "EIO", TARGET_VFAT },
};

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_template ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Pk/Durability/iofaults/%s/%s%s", cases[i].command,
                                               cases[i].fault_errno, target_name[cases[i].target]);

      g_test_add_data_func (path, &cases[i], test_fault_everywhere);
    }
  g_test_add_func ("/Pk/Durability/iofaults/export/folder-sync-unconfirmed", test_export_unconfirmed);
  g_test_add_data_func ("/Pk/Durability/iofaults/close-batch/no-noreplace-never-overwrites",
                        GINT_TO_POINTER (TARGET_NO_NOREPLACE), test_never_overwrites);
  g_test_add_data_func ("/Pk/Durability/iofaults/close-batch/vfat-never-overwrites",
                        GINT_TO_POINTER (TARGET_VFAT), test_never_overwrites);

  status = g_test_run ();
  pk_proof_rm_rf (template_dir);
  g_unlink (reference_csv);
  g_free (template_dir);
  g_free (reference_csv);
  for (guint i = 0; i < G_N_ELEMENTS (acknowledged); i++)
    g_free (acknowledged[i]);
  return status;
}
