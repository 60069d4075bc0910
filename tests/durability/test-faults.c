/* test-faults.c: a full disk, a read-only folder, a damaged database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The promises: when a signature cannot be saved, `sign` says plainly
 * that it was NOT saved (exit 1, nothing written), nothing already in
 * the database is damaged, and once the cause is gone saving works
 * again. A database that is damaged at start-up is refused, and the file
 * is never overwritten, deleted or moved.
 *
 * The full disk is a small tmpfs mounted by the test. Mounting needs
 * root (CAP_SYS_ADMIN); the test makes a private mount namespace first,
 * so the mount is invisible outside this process and its children and
 * disappears with it even if the test crashes. Without that privilege
 * those cases are skipped with a message saying so.
 */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-test-skip.h"
#include "pk-proof.h"

static gboolean have_mount_namespace;
static char *mount_skip_reason;

/* Mounts a tmpfs of @size_kib at a new folder under @dir. */
static char *
mount_tmpfs (const char *dir,
             guint       size_kib)
{
  g_autofree char *mnt = g_build_filename (dir, "small disk", NULL);
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kib);

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  if (mount ("pk-proof", mnt, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    g_error ("mount tmpfs at %s: %s", mnt, g_strerror (errno));
  return g_steal_pointer (&mnt);
}

/* Writes a file until the disk is full; returns its path. */
static char *
fill_disk (const char *mnt)
{
  g_autofree char *filler = g_build_filename (mnt, "filler", NULL);
  static const char block[4096];
  int fd = open (filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  gssize n;

  g_assert_cmpint (fd, >=, 0);
  do
    n = write (fd, block, sizeof block);
  while (n > 0);
  /* The last partial block, byte by byte, so not one byte is left. */
  while (write (fd, block, 1) == 1)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
  return g_steal_pointer (&filler);
}

static gboolean
says_not_saved (const char *err)
{
  g_autofree char *folded = g_utf8_casefold (err, -1);

  return strstr (folded, "not saved") != NULL;
}

/* Signs until one attempt fails (the disk may still take a few rows:
 * SQLite reuses WAL space that a checkpoint freed), and checks how it
 * failed. Returns the UUIDs that did succeed. */
static void
sign_until_refused (const char *db,
                    const char *petition,
                    guint      *serial,
                    GPtrArray  *acknowledged)
{
  for (guint attempt = 0; attempt < 200; attempt++)
    {
      g_auto(GStrv) args = pk_proof_sign_args (db, petition, (*serial)++);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = pk_proof_run_cli ((const char * const *) args, NULL, &out, &err);

      if (status == 0)
        {
          g_assert_true (pk_proof_is_uuid (out));
          g_ptr_array_add (acknowledged, g_strstrip (g_steal_pointer (&out)));
          continue;
        }

      g_assert_cmpint (status, ==, 1);
      g_assert_false (pk_proof_is_uuid (out));
      if (!says_not_saved (err))
        g_error ("a failed save must say plainly that the signature was NOT saved; it said: %s", err);
      return;
    }
  g_error ("a full disk never made `sign` fail");
}

static void
check_all_there (const char *db,
                 GPtrArray  *acknowledged)
{
  g_autofree char *integrity = pk_proof_integrity (db);

  g_assert_cmpstr (integrity, ==, "ok");
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (pk_proof_uuid_rows (db, g_ptr_array_index (acknowledged, i)), ==, 1);
  g_assert_cmpint (pk_proof_cli_count (db), ==, pk_proof_row_count (db));
}

static void
sign_ok (const char *db,
         const char *petition,
         guint      *serial,
         GPtrArray  *acknowledged)
{
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, (*serial)++);
  g_autofree char *out = NULL;

  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, &out, NULL), ==, 0);
  g_assert_true (pk_proof_is_uuid (out));
  g_ptr_array_add (acknowledged, g_strstrip (g_steal_pointer (&out)));
}

static void
test_disk_full (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *mnt = NULL;
  g_autofree char *db = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  guint serial = 0;
  gint64 before;

  if (!have_mount_namespace)
    {
      pk_test_skip (mount_skip_reason);
      return;
    }

  dir = pk_proof_make_tmpdir ();
  mnt = mount_tmpfs (dir, 4096);
  db = g_build_filename (mnt, "kiosk.db", NULL);

  for (guint i = 0; i < 5; i++)
    sign_ok (db, petition, &serial, acknowledged);

  filler = fill_disk (mnt);
  sign_until_refused (db, petition, &serial, acknowledged);

  /* Space freed: nothing was damaged, and saving works again on the
   * same database. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  check_all_there (db, acknowledged);
  before = pk_proof_cli_count (db);
  g_assert_cmpint (before, ==, acknowledged->len);
  sign_ok (db, petition, &serial, acknowledged);
  check_all_there (db, acknowledged);
  g_assert_cmpint (pk_proof_cli_count (db), ==, before + 1);

  g_assert_cmpint (umount (mnt), ==, 0);
  pk_proof_rm_rf (dir);
}

/* A database folder that turned read-only (a write-protected USB stick,
 * a file system remounted read-only after an error). */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *folder = NULL;
  g_autofree char *db = NULL;
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) bytes_before = NULL;
  g_autoptr(GBytes) bytes_after = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint serial = 0;

  /* Root ignores file modes, so as root the folder is a tmpfs remounted
   * read-only; otherwise a folder without write permission. */
  folder = have_mount_namespace ? mount_tmpfs (dir, 4096) : g_build_filename (dir, "ro", NULL);
  if (!have_mount_namespace)
    g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  db = g_build_filename (folder, "kiosk.db", NULL);

  sign_ok (db, petition, &serial, acknowledged);
  sign_ok (db, petition, &serial, acknowledged);
  bytes_before = pk_proof_read_bytes (db);

  if (have_mount_namespace)
    g_assert_cmpint (mount (NULL, folder, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else
    g_assert_cmpint (g_chmod (folder, 0500), ==, 0);

  args = pk_proof_sign_args (db, petition, serial++);
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, &out, &err), ==, 1);
  g_assert_false (pk_proof_is_uuid (out));
  if (!says_not_saved (err))
    g_error ("a failed save must say plainly that the signature was NOT saved; it said: %s", err);
  bytes_after = pk_proof_read_bytes (db);
  g_assert_true (g_bytes_equal (bytes_before, bytes_after));

  if (have_mount_namespace)
    g_assert_cmpint (mount (NULL, folder, NULL, MS_REMOUNT, NULL), ==, 0);
  else
    g_assert_cmpint (g_chmod (folder, 0700), ==, 0);

  sign_ok (db, petition, &serial, acknowledged);
  check_all_there (db, acknowledged);
  g_assert_cmpint (pk_proof_cli_count (db), ==, 3);

  if (have_mount_namespace)
    g_assert_cmpint (umount (folder), ==, 0);
  pk_proof_rm_rf (dir);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Lists a folder's entries, sorted, joined by '/'. */
static char *
list_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, (gpointer) name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("/", (char **) names->pdata);
}

/* @count_refused: whether `count` must refuse it too. A truncated
 * file can only be noticed when a missing page is needed (checking every
 * page at start-up would make start-up grow with the number of
 * signatures), so `count`, which reads one page, may still answer. */
static void
check_refused_untouched (const char *db,
                         const char *petition,
                         gboolean    count_refused)
{
  g_autofree char *folder = g_path_get_dirname (db);
  g_autofree char *listing_before = list_folder (folder);
  g_autofree char *listing_after = NULL;
  g_autoptr(GBytes) before = pk_proof_read_bytes (db);
  g_autoptr(GBytes) after = NULL;
  const char *count_args[] = { "count", "--db", db, NULL };
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, 1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, &out, &err), ==, 1);
  g_assert_false (pk_proof_is_uuid (out));
  g_assert_true (err != NULL && err[0] != '\0');
  if (!says_not_saved (err))
    g_error ("a refused save must say plainly that the signature was NOT saved; it said: %s", err);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  if (count_refused)
    g_assert_cmpint (pk_proof_run_cli (count_args, NULL, &out, &err), ==, 1);
  else
    pk_proof_run_cli (count_args, NULL, &out, &err);

  /* Never overwritten, deleted or moved, and no -wal or -shm beside it
   * that a later open could mistake for its own. */
  after = pk_proof_read_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
  listing_after = list_folder (folder);
  g_assert_cmpstr (listing_after, ==, listing_before);
}

static void
test_corrupt_not_sqlite (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  guint8 junk[65536];
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = g_test_rand_int_range (0, 256);
  g_file_set_contents (db, (const char *) junk, sizeof junk, &error);
  g_assert_no_error (error);

  check_refused_untouched (db, petition, TRUE);
  pk_proof_rm_rf (dir);
}

/* A real kiosk database whose schema page was damaged: the header still
 * says "SQLite format 3". */
static void
test_corrupt_schema_page (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint serial = 0;

  sign_ok (db, petition, &serial, acknowledged);
  g_file_get_contents (db, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4096);
  /* Page 1 holds sqlite_schema after the 100-byte header. */
  for (gsize i = 100; i < 4096; i++)
    contents[i] = (char) (i * 7);
  g_file_set_contents (db, contents, length, &error);
  g_assert_no_error (error);

  check_refused_untouched (db, petition, TRUE);
  pk_proof_rm_rf (dir);
}

/* Half a database, as a copy cut short on a pulled USB stick leaves. */
static void
test_corrupt_truncated (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint serial = 0;

  for (guint i = 0; i < 40; i++)
    sign_ok (db, petition, &serial, acknowledged);
  g_file_get_contents (db, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 3 * 4096);
  g_file_set_contents (db, contents, (length / 4096 / 2) * 4096, &error);
  g_assert_no_error (error);

  check_refused_untouched (db, petition, FALSE);
  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  have_mount_namespace = pk_proof_enter_mount_namespace ("a small tmpfs to fill as a disk", &mount_skip_reason);

  g_test_add_func ("/Pk/Durability/faults/disk-full", test_disk_full);
  g_test_add_func ("/Pk/Durability/faults/read-only-folder", test_read_only_folder);
  g_test_add_func ("/Pk/Durability/faults/corrupt/not-sqlite", test_corrupt_not_sqlite);
  g_test_add_func ("/Pk/Durability/faults/corrupt/schema-page", test_corrupt_schema_page);
  g_test_add_func ("/Pk/Durability/faults/corrupt/truncated", test_corrupt_truncated);

  return g_test_run ();
}
