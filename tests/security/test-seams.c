/* test-seams.c: no signature lost where close-batch and merge meet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12 item 4 and issue 19 items 2 and 3, attacked the way they
 * were found: the real `petition-kiosk` killed at each step of
 * close-batch (by the LD_PRELOAD shim pk-crash-at.so, $PK_CRASH_SHIM),
 * a disk with a few kilobytes left, and a master database that cannot
 * be written. Every signature acknowledged must be in the master after
 * merging the files there are, in either order.
 *
 * The small disks are tmpfs mounts in a private mount namespace
 * (pk_proof_enter_mount_namespace); without root those cases skip.
 */
#define G_LOG_DOMAIN "test-seams"

#include "config.h"

/* memmem() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "pk-batch.h"
#include "pk-merge.h"
#include "pk-proof.h"

static gboolean have_mount_namespace;
static char *mount_skip_reason;

static char *
mount_tmpfs (const char *dir,
             const char *name,
             guint       size_kib)
{
  g_autofree char *mnt = g_build_filename (dir, name, NULL);
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kib);

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  if (mount ("pk-proof", mnt, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    g_error ("mount tmpfs at %s: %s", mnt, g_strerror (errno));
  return g_steal_pointer (&mnt);
}

/* Fills the disk at @mnt, then gives back @free_kib: returns the filler. */
static char *
fill_disk_but (const char *mnt,
               guint       free_kib)
{
  g_autofree char *filler = g_build_filename (mnt, "filler", NULL);
  static const char block[4096];
  int fd = open (filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  off_t size;

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  while (write (fd, block, 1) == 1)
    ;
  size = lseek (fd, 0, SEEK_END);
  g_assert_cmpint (ftruncate (fd, size > free_kib * 1024 ? size - free_kib * 1024 : 0), ==, 0);
  close (fd);
  return g_steal_pointer (&filler);
}

/* Signs signer @serial into @db; adds the uuid to @acknowledged. */
static void
sign_one (const char *db,
          const char *petition,
          guint       serial,
          GPtrArray  *acknowledged)
{
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, serial);
  g_autofree char *out = NULL;

  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, &out, NULL), ==, 0);
  g_assert_true (pk_proof_is_uuid (out));
  g_ptr_array_add (acknowledged, g_strstrip (g_steal_pointer (&out)));
}

static int
close_batch (const char         *db,
             const char         *out,
             const char * const *env,
             char              **err)
{
  return pk_proof_run_cli ((const char *[]) { "close-batch", "--db", db, "--out", out, NULL }, env, NULL, err);
}

/* Merges the existing ones of @files, in this order, into a new master
 * @master and checks that every uuid of @acknowledged is there. */
static void
merge_and_check (const char          *master,
                 const char * const  *files,
                 GPtrArray           *acknowledged)
{
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *out = NULL;

      if (!g_file_test (files[i], G_FILE_TEST_EXISTS))
        continue;
      g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "merge", "--into", master, files[i], NULL },
                                         NULL, &out, NULL), ==, 0);
    }
  for (guint i = 0; i < acknowledged->len; i++)
    {
      const char *uuid = g_ptr_array_index (acknowledged, i);

      if (pk_proof_uuid_rows (master, uuid) != 1)
        g_error ("signature %s of %u was lost merging into %s", uuid, acknowledged->len, master);
    }
}

/* Neither of the files is a leftover temporary file. */
static void
assert_no_temp_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (name[0] == '.' && strstr (name, ".pkbatch.") != NULL)
      g_error ("close-batch left the temporary file %s behind", name);
}

/* close-batch killed at @point, then more signatures and a second
 * close-batch: both orders of merging keep every signature. */
static void
test_close_batch_crash (gconstpointer data)
{
  const char *point = data;
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *first = g_build_filename (dir, "first.pkbatch", NULL);
  g_autofree char *second = g_build_filename (dir, "second.pkbatch", NULL);
  g_autofree char *master_a = g_build_filename (dir, "master-a.db", NULL);
  g_autofree char *master_b = g_build_filename (dir, "master-b.db", NULL);
  g_autofree char *crash_at = g_strconcat ("PK_CRASH_AT=", point, NULL);
  g_autofree char *crash_file = g_strconcat ("PK_CRASH_FILE=", first, NULL);
  g_autofree char *preload = g_strconcat ("LD_PRELOAD=", g_getenv ("PK_CRASH_SHIM"), NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  /* The ASan runtime wants to be the first library loaded; the shim
   * comes before it on purpose. */
  const char *env[] = { preload, crash_at, crash_file,
                        "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0", NULL };

  g_assert_nonnull (g_getenv ("PK_CRASH_SHIM"));
  for (guint i = 0; i < 2; i++)
    sign_one (db, petition, i, acknowledged);

  /* The shim must have found its step: the process died of SIGKILL. */
  g_assert_cmpint (close_batch (db, first, env, NULL), ==, -1);

  for (guint i = 2; i < 4; i++)
    sign_one (db, petition, i, acknowledged);
  g_assert_cmpint (close_batch (db, second, NULL, NULL), ==, 0);
  assert_no_temp_files (dir);

  merge_and_check (master_a, (const char *[]) { first, second, NULL }, acknowledged);
  merge_and_check (master_b, (const char *[]) { second, first, NULL }, acknowledged);
  pk_proof_rm_rf (dir);
}

/* close-batch on a disk with @free_kib left either succeeds or says
 * nothing was saved and leaves no batch file; after space is freed,
 * two more signatures and a second close-batch lose nothing whatever
 * the order of merging. Returns TRUE when the first close-batch failed. */
static gboolean
close_batch_on_full_disk (guint free_kib)
{
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *mnt = mount_tmpfs (dir, "small disk", 2048);
  g_autofree char *db = g_build_filename (mnt, "kiosk.db", NULL);
  g_autofree char *zero = g_build_filename (mnt, "zero.pkbatch", NULL);
  g_autofree char *first = g_build_filename (mnt, "first.pkbatch", NULL);
  g_autofree char *second = g_build_filename (mnt, "second.pkbatch", NULL);
  g_autofree char *master_a = g_build_filename (dir, "master-a.db", NULL);
  g_autofree char *master_b = g_build_filename (dir, "master-b.db", NULL);
  g_autofree char *filler = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  int status;

  /* A first batch makes the kiosk's signing key and its WAL's size:
   * what is left to fail is the batch file and its commit. */
  sign_one (db, petition, 100, acknowledged);
  g_assert_cmpint (close_batch (db, zero, NULL, NULL), ==, 0);
  for (guint i = 0; i < 2; i++)
    sign_one (db, petition, i, acknowledged);
  filler = fill_disk_but (mnt, free_kib);
  status = close_batch (db, first, NULL, &err);
  g_assert_cmpint (g_unlink (filler), ==, 0);
  if (status != 0)
    {
      g_assert_cmpint (status, ==, 1);
      /* "Nothing was saved" means no batch file either. */
      if (strstr (err, "nothing was saved") != NULL)
        g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
    }
  assert_no_temp_files (mnt);

  for (guint i = 2; i < 4; i++)
    sign_one (db, petition, i, acknowledged);
  g_assert_cmpint (close_batch (db, second, NULL, NULL), ==, 0);

  merge_and_check (master_a, (const char *[]) { zero, first, second, NULL }, acknowledged);
  merge_and_check (master_b, (const char *[]) { zero, second, first, NULL }, acknowledged);
  g_assert_cmpint (umount (mnt), ==, 0);
  pk_proof_rm_rf (dir);
  return status != 0;
}

static void
test_close_batch_disk_full (void)
{
  guint failed = 0;

  if (!have_mount_namespace)
    {
      g_test_skip (mount_skip_reason);
      return;
    }
  /* Around the 48 KB of the report: the batch file fits, and the kiosk's
   * commit that marks it written may not. */
  for (guint free_kib = 4; free_kib <= 96; free_kib += 4)
    failed += close_batch_on_full_disk (free_kib);
  /* Otherwise this test proved nothing about a full disk. */
  g_assert_cmpuint (failed, >, 0);
}

/* Master-side write errors ------------------------------------------- */

/* Signs @n signers from @first_serial into a new kiosk database in
 * @dir and closes them into @name; returns the batch file's path. */
static char *
make_kiosk_batch (const char *dir,
                  const char *name,
                  guint       first_serial,
                  guint       n,
                  GPtrArray  *acknowledged)
{
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db = g_build_filename (dir, db_name, NULL);
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < n; i++)
    sign_one (db, petition, first_serial + i, acknowledged);
  g_assert_cmpint (close_batch (db, path, NULL, NULL), ==, 0);
  return path;
}

static int
merge (const char  *master,
       const char  *file,
       char       **out,
       char       **err)
{
  return pk_proof_run_cli ((const char *[]) { "merge", "--into", master, file, NULL }, NULL, out, err);
}

static gint64
rejected_files (const char *master)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (master, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM merge_rejected", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A master that cannot be written failed with @status and @err: exit 1
 * with the real cause, the file not called rejected nor recorded as
 * such; then it merges cleanly, with every signature. */
static void
assert_master_fault (const char *master,
                     const char *file,
                     int         status,
                     const char *out,
                     const char *err,
                     const char *cause,
                     GPtrArray  *acknowledged)
{
  g_autofree char *again = NULL;

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, cause));
  g_assert_null (strstr (err, "unreadable"));
  g_assert_cmpstr (out, ==, "added 0, duplicates 0, rejected 0\n");
  g_assert_cmpint (rejected_files (master), ==, 0);

  g_assert_cmpint (merge (master, file, &again, NULL), ==, 0);
  g_assert_cmpint (rejected_files (master), ==, 0);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (master, g_ptr_array_index (acknowledged, i)), ==, 1);
}

static void
test_merge_master_full (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *mnt = NULL;
  g_autofree char *master = NULL;
  g_autofree char *first = NULL;
  g_autofree char *big = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  int status;

  if (!have_mount_namespace)
    {
      g_test_skip (mount_skip_reason);
      return;
    }
  dir = pk_proof_make_tmpdir ();
  mnt = mount_tmpfs (dir, "master disk", 2048);
  master = g_build_filename (mnt, "master.db", NULL);
  first = make_kiosk_batch (dir, "first.pkbatch", 0, 1, acknowledged);
  big = make_kiosk_batch (dir, "big.pkbatch", 100, 60, acknowledged);

  g_assert_cmpint (merge (master, first, NULL, NULL), ==, 0);
  /* Room to open the master, not to take 60 more rows. */
  filler = fill_disk_but (mnt, 64);
  status = merge (master, big, &out, &err);
  g_assert_cmpint (g_unlink (filler), ==, 0);
  assert_master_fault (master, big, status, out, err, "disk is full", acknowledged);

  g_assert_cmpint (umount (mnt), ==, 0);
  pk_proof_rm_rf (dir);
}

/* A second coordinator holds the master's write lock past the wait,
 * after this one opened the master (through the API: the CLI's own
 * opening would meet the lock first and say so). */
static void
test_merge_master_locked (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "master.db", NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = make_kiosk_batch (dir, "first.pkbatch", 0, 1, acknowledged);
  g_autofree char *second = make_kiosk_batch (dir, "second.pkbatch", 10, 3, acknowledged);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merger = NULL;
  PkMergeResult result;
  sqlite3 *other = NULL;

  g_assert_cmpint (merge (path, first, NULL, NULL), ==, 0);
  master = pk_store_open (path, &error);
  g_assert_no_error (error);
  merger = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (pk_merge_file (merger, second, &result, &error));
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  /* The master's fault, said as such; the file is not rejected. */
  g_assert_true (error->domain == PK_STORE_ERROR);
  g_assert_nonnull (strstr (error->message, "in use by another program"));
  g_assert_cmpint (result.outcome, ==, PK_MERGE_FAILED);
  g_assert_cmpint (rejected_files (path), ==, 0);
  g_clear_error (&error);

  g_assert_true (pk_merge_file (merger, second, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, 3);
  g_assert_cmpint (rejected_files (path), ==, 0);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (path, g_ptr_array_index (acknowledged, i)), ==, 1);
  pk_proof_rm_rf (dir);
}

/* Wiping while another connection reads ---------------------------- */

#define WIPE_PROBE "WipeProbe"

/* TRUE when the file at @path exists and holds @probe; a missing WAL
 * holds nothing. */
static gboolean
file_holds (const char *path,
            const char *probe)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return memmem (contents, length, probe, strlen (probe)) != NULL;
}

static gboolean
disk_holds_probe (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);

  return file_holds (db, WIPE_PROBE) || file_holds (wal, WIPE_PROBE);
}

/* 20 signers in a plain-mode kiosk, closed into a batch, then wiped
 * while another connection holds a read transaction: the wipe either
 * removed the bytes from the database and its WAL, or says it is not
 * finished; it finishes once the reader is gone, and then the bytes
 * are gone. */
static void
test_wipe_with_reader (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *out = g_build_filename (dir, "wipe.pkbatch", NULL);
  g_autofree char *petition_path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *reader = NULL;

  petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  store = pk_store_open (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *family = g_strdup_printf (WIPE_PROBE "%02u", i);
      g_autofree char *email = g_strdup_printf ("wipe%u@example.org", i);
      PkField field;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Wanda");
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, family);
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
    }
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  /* The control: the probe is on disk before the wipe. */
  g_assert_true (disk_holds_probe (db));

  g_assert_cmpint (sqlite3_open (db, &reader), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (reader, "BEGIN; SELECT count(*) FROM signatures", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (pk_store_wipe_exported (store, &error), ==, 20);
  g_assert_no_error (error);
  /* The reader's snapshot needs the old pages, so they are still on
   * disk (as the issue found them), and the wipe must not say done. */
  g_assert_true (disk_holds_probe (db));
  g_assert_true (pk_store_wipe_pending (store));
  g_assert_false (pk_store_finish_wipe (store));

  g_assert_cmpint (sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (reader);

  g_assert_true (pk_store_finish_wipe (store));
  g_assert_false (pk_store_wipe_pending (store));
  g_assert_false (disk_holds_probe (db));
  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  have_mount_namespace = pk_proof_enter_mount_namespace ("a small tmpfs to fill as a disk", &mount_skip_reason);
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/Pk/Seams/close-batch-crash/before-write", "before-write", test_close_batch_crash);
  g_test_add_data_func ("/Pk/Seams/close-batch-crash/after-rename", "after-rename", test_close_batch_crash);
  g_test_add_data_func ("/Pk/Seams/close-batch-crash/before-commit", "before-commit", test_close_batch_crash);
  g_test_add_data_func ("/Pk/Seams/close-batch-crash/after-commit", "after-commit", test_close_batch_crash);
  g_test_add_func ("/Pk/Seams/close-batch-disk-full", test_close_batch_disk_full);
  g_test_add_func ("/Pk/Seams/merge-master-full", test_merge_master_full);
  g_test_add_func ("/Pk/Seams/merge-master-locked", test_merge_master_locked);
  g_test_add_func ("/Pk/Seams/wipe-with-reader", test_wipe_with_reader);

  return g_test_run ();
}
