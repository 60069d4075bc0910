/* test-atomic.c: every way pk-atomic.c's system calls can fail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calls pk-atomic.c makes are wrapped at link time
 * (-Wl,--wrap=NAME, tests/core/meson.build): each __wrap_NAME passes
 * the call on to the real one, unless the test armed a fault for NAME,
 * which then fails with the errno asked for, as a full, broken or vfat
 * disk would make it fail. Only the objects linked into this program
 * see the wrappers; src/ is the code that ships. Each case checks what
 * the caller is left with: a GError naming the cause, no file under the
 * name asked for (or the old one untouched), and no temporary file.
 */
#define G_LOG_DOMAIN "test-atomic"

#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-atomic.h"

typedef enum {
  CALL_MKSTEMP,
  CALL_FCHMOD,
  CALL_WRITE,
  CALL_FSYNC,
  CALL_CLOSE,
  CALL_RENAME,
  CALL_RENAMEAT2,
  CALL_LINK,
  CALL_LSTAT,
  CALL_OPEN,
  N_CALLS,
} Call;

/* For each call: let @skip calls through, then fail the next @times
 * with @error (0: not armed). */
static struct {
  int   error;
  guint skip;
  guint times;
  guint seen;   /* calls made while armed, failed or not */
} faults[N_CALLS];

static char *tmpdir;

static void
arm_after (Call  call,
           guint skip,
           int   error,
           guint times)
{
  faults[call].error = error;
  faults[call].skip = skip;
  faults[call].times = times;
  faults[call].seen = 0;
}

static void
arm (Call  call,
     int   error,
     guint times)
{
  arm_after (call, 0, error, times);
}

static void
disarm_all (void)
{
  memset (faults, 0, sizeof faults);
}

/* TRUE when @call must fail now; errno is then set. */
static gboolean
fault (Call call)
{
  if (faults[call].error == 0)
    return FALSE;
  faults[call].seen++;
  if (faults[call].skip > 0)
    {
      faults[call].skip--;
      return FALSE;
    }
  if (faults[call].times == 0)
    return FALSE;
  faults[call].times--;
  errno = faults[call].error;
  return TRUE;
}

int __real_g_mkstemp_full (char *tmpl, int flags, int mode);
int __real_fchmod (int fd, mode_t mode);
ssize_t __real_write (int fd, const void *buf, size_t count);
int __real_fsync (int fd);
int __real_close (int fd);
int __real_rename (const char *from, const char *to);
int __real_renameat2 (int from_dir, const char *from, int to_dir, const char *to, unsigned int flags);
int __real_link (const char *from, const char *to);
int __real_lstat64 (const char *path, struct stat64 *st);
int __real_open64 (const char *path, int flags, ...);

int __wrap_g_mkstemp_full (char *tmpl, int flags, int mode);
int __wrap_fchmod (int fd, mode_t mode);
ssize_t __wrap_write (int fd, const void *buf, size_t count);
int __wrap_fsync (int fd);
int __wrap_close (int fd);
int __wrap_rename (const char *from, const char *to);
int __wrap_renameat2 (int from_dir, const char *from, int to_dir, const char *to, unsigned int flags);
int __wrap_link (const char *from, const char *to);
int __wrap_lstat64 (const char *path, struct stat64 *st);
int __wrap_open64 (const char *path, int flags, ...);

int
__wrap_g_mkstemp_full (char *tmpl,
                       int   flags,
                       int   mode)
{
  return fault (CALL_MKSTEMP) ? -1 : __real_g_mkstemp_full (tmpl, flags, mode);
}

int
__wrap_fchmod (int    fd,
               mode_t mode)
{
  return fault (CALL_FCHMOD) ? -1 : __real_fchmod (fd, mode);
}

ssize_t
__wrap_write (int         fd,
              const void *buf,
              size_t      count)
{
  return fault (CALL_WRITE) ? -1 : __real_write (fd, buf, count);
}

int
__wrap_fsync (int fd)
{
  return fault (CALL_FSYNC) ? -1 : __real_fsync (fd);
}

int
__wrap_close (int fd)
{
  /* A failing close() still frees the descriptor (close(2)). */
  if (fault (CALL_CLOSE))
    {
      int saved = errno;

      __real_close (fd);
      errno = saved;
      return -1;
    }
  return __real_close (fd);
}

int
__wrap_rename (const char *from,
               const char *to)
{
  return fault (CALL_RENAME) ? -1 : __real_rename (from, to);
}

int
__wrap_renameat2 (int           from_dir,
                  const char   *from,
                  int           to_dir,
                  const char   *to,
                  unsigned int  flags)
{
  return fault (CALL_RENAMEAT2) ? -1 : __real_renameat2 (from_dir, from, to_dir, to, flags);
}

int
__wrap_link (const char *from,
             const char *to)
{
  return fault (CALL_LINK) ? -1 : __real_link (from, to);
}

int
__wrap_lstat64 (const char     *path,
                struct stat64  *st)
{
  return fault (CALL_LSTAT) ? -1 : __real_lstat64 (path, st);
}

int
__wrap_open64 (const char *path,
               int         flags,
               ...)
{
  mode_t mode = 0;

  if (flags & (O_CREAT | O_TMPFILE))
    {
      va_list args;

      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  return fault (CALL_OPEN) ? -1 : __real_open64 (path, flags, mode);
}

/* Test helpers ------------------------------------------------------- */

static char *
fresh_dir (void)
{
  static guint serial;
  g_autofree char *name = g_strdup_printf ("case-%u", serial++);
  char *dir = g_build_filename (tmpdir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Writes "new" to @dir/target with @call failing once with @errno_value,
 * and checks the call failed with @code and a message naming @errno_value's
 * cause, leaving @dir as @left (names, sorted). */
static void
assert_write_fails (Call        call,
                    int         errno_value,
                    gboolean    replace,
                    GIOErrorEnum code,
                    const char *left)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  arm (call, errno_value, 1);
  ok = pk_atomic_write_contents (target, "new", 3, 0600, replace, &error);
  g_assert_cmpuint (faults[call].seen, >=, 1);
  disarm_all ();

  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_nonnull (strstr (error->message, g_strerror (errno_value)));
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, left);
}

/* Tests -------------------------------------------------------------- */

/* The folder cannot take a new file, or not with the mode asked for:
 * nothing is left behind. */
static void
test_create_fails (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *missing = g_build_filename (dir, "gone", "target", NULL);
  g_autoptr(GError) error = NULL;

  /* A folder that is not there: the real mkstemp fails. */
  g_assert_null (pk_atomic_file_new (missing, 0600, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_write_fails (CALL_MKSTEMP, ENOSPC, FALSE, G_IO_ERROR_NO_SPACE, "");
  assert_write_fails (CALL_FCHMOD, EPERM, FALSE, G_IO_ERROR_PERMISSION_DENIED, "");
}

/* A write fails (full disk) after an interrupted one is retried. */
static void
test_write_fails (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  /* EINTR is retried: the file is whole. */
  arm (CALL_WRITE, EINTR, 2);
  g_assert_true (pk_atomic_write_contents (target, "whole", 5, 0600, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (faults[CALL_WRITE].seen, ==, 3);
  disarm_all ();
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "whole");

  assert_write_fails (CALL_WRITE, ENOSPC, FALSE, G_IO_ERROR_NO_SPACE, "");
}

/* The data cannot be made durable: the file never gets its name. */
static void
test_sync_fails (void)
{
  assert_write_fails (CALL_FSYNC, EIO, FALSE, G_IO_ERROR_FAILED, "");
  /* close() is where NFS and some USB sticks report a lost write. */
  assert_write_fails (CALL_CLOSE, EIO, FALSE, G_IO_ERROR_FAILED, "");
}

/* Replacing: a rename that fails leaves the old file as it was. */
static void
test_replace (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *names = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pk_atomic_write_contents (target, "old", 3, 0600, FALSE, &error));
  g_assert_no_error (error);

  arm (CALL_RENAME, EIO, 1);
  g_assert_false (pk_atomic_write_contents (target, "new", 3, 0600, TRUE, &error));
  disarm_all ();
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "target");
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "old");

  g_assert_true (pk_atomic_write_contents (target, "new", 3, 0600, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "new");
}

/* Never over an existing file, on every kind of file system: one with
 * RENAME_NOREPLACE, one with only hard links, and vfat with neither. */
static void
test_no_overwrite (void)
{
  static const struct {
    int renameat2_errno;  /* 0: it works */
    int link_errno;       /* 0: it works */
  } systems[] = {
    { 0, 0 },
    { EINVAL, 0 },
    { EINVAL, EPERM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (systems); i++)
    {
      g_autofree char *dir = fresh_dir ();
      g_autofree char *target = g_build_filename (dir, "target", NULL);
      g_autofree char *other = g_build_filename (dir, "other", NULL);
      g_autofree char *names = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("renameat2 errno %d, link errno %d", systems[i].renameat2_errno, systems[i].link_errno);
      g_assert_true (g_file_set_contents (target, "old", -1, NULL));
      if (systems[i].renameat2_errno != 0)
        arm (CALL_RENAMEAT2, systems[i].renameat2_errno, G_MAXUINT);
      if (systems[i].link_errno != 0)
        arm (CALL_LINK, systems[i].link_errno, G_MAXUINT);

      g_assert_false (pk_atomic_write_contents (target, "new", 3, 0600, FALSE, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
      g_clear_error (&error);
      contents = read_file (target);
      g_assert_cmpstr (contents, ==, "old");

      /* A new name works, and leaves only itself. */
      g_assert_true (pk_atomic_write_contents (other, "new", 3, 0600, FALSE, &error));
      g_assert_no_error (error);
      disarm_all ();
      names = list_dir (dir);
      g_assert_cmpstr (names, ==, "other target");
      g_clear_pointer (&contents, g_free);
      contents = read_file (other);
      g_assert_cmpstr (contents, ==, "new");
    }
}

/* The rename itself fails, at each step of each file system's way:
 * nothing is there under the name, nor a temporary file. */
static void
test_rename_fails (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  /* RENAME_NOREPLACE there, and failing. */
  assert_write_fails (CALL_RENAMEAT2, EIO, FALSE, G_IO_ERROR_FAILED, "");

  /* Hard links only, and the link fails. */
  arm (CALL_RENAMEAT2, ENOSYS, 1);
  arm (CALL_LINK, EIO, 1);
  g_assert_false (pk_atomic_write_contents (target, "new", 3, 0600, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  /* vfat: an existing name found by lstat, then a failing rename. */
  arm (CALL_RENAMEAT2, ENOTSUP, 2);
  arm (CALL_LINK, EOPNOTSUPP, 2);
  arm (CALL_LSTAT, ENOENT, 1);
  arm (CALL_RENAME, EIO, 1);
  g_assert_false (pk_atomic_write_contents (target, "new", 3, 0600, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_false (pk_atomic_write_contents (target, "new", 3, 0600, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  disarm_all ();

  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "target");
}

/* The file got its name, but the folder could not be opened or synced:
 * the caller hears so and learns the file is in place (pk-batch.c
 * takes a batch file back then). On vfat, whose folders refuse fsync
 * with EINVAL, that is no error. */
static void
test_folder_sync (void)
{
  static const struct {
    Call         call;
    int          error;
    gboolean     fails;
    GIOErrorEnum code;
  } failures[] = {
    { CALL_OPEN, EMFILE, TRUE, G_IO_ERROR_TOO_MANY_OPEN_FILES },
    { CALL_FSYNC, EIO, TRUE, G_IO_ERROR_FAILED },
    { CALL_FSYNC, EINVAL, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autofree char *dir = fresh_dir ();
      g_autofree char *target = g_build_filename (dir, "target", NULL);
      g_autoptr(PkAtomicFile) file = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *names = NULL;
      g_autofree char *contents = NULL;
      gboolean ok;

      file = pk_atomic_file_new (target, 0600, &error);
      g_assert_no_error (error);
      g_assert_true (pk_atomic_file_write (file, "new", 3, &error));
      g_assert_no_error (error);
      g_assert_false (pk_atomic_file_is_in_place (file));
      /* The file's own fsync passes; the folder's fails. */
      arm_after (failures[i].call, failures[i].call == CALL_FSYNC ? 1 : 0, failures[i].error, 1);
      ok = pk_atomic_file_commit (file, FALSE, &error);
      g_assert_cmpuint (faults[failures[i].call].times, ==, 0);
      disarm_all ();

      if (failures[i].fails)
        {
          g_assert_false (ok);
          g_assert_error (error, G_IO_ERROR, failures[i].code);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      g_assert_true (pk_atomic_file_is_in_place (file));
      names = list_dir (dir);
      g_assert_cmpstr (names, ==, "target");
      contents = read_file (target);
      g_assert_cmpstr (contents, ==, "new");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-atomic-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Atomic/create-fails", test_create_fails);
  g_test_add_func ("/Pk/Atomic/write-fails", test_write_fails);
  g_test_add_func ("/Pk/Atomic/sync-fails", test_sync_fails);
  g_test_add_func ("/Pk/Atomic/replace", test_replace);
  g_test_add_func ("/Pk/Atomic/no-overwrite", test_no_overwrite);
  g_test_add_func ("/Pk/Atomic/rename-fails", test_rename_fails);
  g_test_add_func ("/Pk/Atomic/folder-sync", test_folder_sync);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
