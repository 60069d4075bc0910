/* pk-powercut.c: an LD_PRELOAD shim that simulates a power cut or a failing disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loaded into `petition-kiosk` by tests/durability/test-powercut.c and
 * test-iofaults.c (docs/testing.md, "Power loss and I/O faults"). It
 * watches the regular files directly in one folder, $PK_POWERCUT_DIR,
 * and counts the calls that change them: open with O_CREAT, write,
 * pwrite, writev, ftruncate, fsync, fdatasync, rename, link and unlink.
 *
 * Power loss ($PK_POWERCUT_SHADOW set): the shadow folder holds what a
 * disk would still hold after the power fails, kept up to date here.
 * Each file the program creates gets a new id, since the file system
 * reuses a deleted file's inode number at once (and the old file's name
 * may still come back after a cut):
 * - "inode-N" holds the id of the file that inode N now is;
 * - "data-ID" is that file's content as of its last fsync or fdatasync;
 * - "names" lists the folder's entries ("ID name" a line) as of the
 *   folder's last fsync or fdatasync.
 * Nothing else survives: a write that was not synced is lost, and so is
 * a name created, renamed or removed after the folder's last sync. The
 * test restores the folder from the shadow (pk-powercut-disk.c). With
 * $PK_POWERCUT_AT=K the power goes at the K-th counted call, before it
 * runs: the process ends at once with exit status 86.
 *
 * Faults ($PK_FAULT_AT=K): the K-th counted call other than unlink fails
 * with $PK_FAULT_ERRNO (ENOSPC or EIO), and with $PK_FAULT_PERSIST=1
 * every later one too, as on a disk that stays full.
 * $PK_FAULT_VFAT=1 makes the folder behave like vfat: renameat2 with
 * flags fails with EINVAL, link with EPERM, and a folder's fsync with
 * EINVAL. $PK_FAULT_NO_NOREPLACE=1 takes away only renameat2's flags,
 * as on a file system that has hard links but no RENAME_NOREPLACE.
 *
 * $PK_POWERCUT_COUNT names a file that receives the number of counted
 * calls when the process exits, so that a test knows where to cut,
 * then, a line each, which of them synced the folder.
 *
 * Only libc: it runs inside the program before and after GLib.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* Both names of each call are defined below (open and open64…): the
 * program's code is built with 64-bit offsets and calls the second. */
#undef _FILE_OFFSET_BITS

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define CUT_STATUS 86
#define MAX_FDS 4096

typedef enum {
  EVENT_CREATE,
  EVENT_WRITE,
  EVENT_TRUNCATE,
  EVENT_SYNC,
  EVENT_RENAME,
  EVENT_LINK,
  EVENT_UNLINK,
} EventKind;

static struct {
  char          dir[PATH_MAX];
  const char   *shadow;
  const char   *count_path;
  unsigned long cut_at;
  unsigned long fault_at;
  int           fault_errno;
  int           fault_persist;
  int           vfat;
  int           no_noreplace;
  unsigned long events;
  /* Which counted calls synced the folder itself: the moments a new
   * name becomes durable, which every test tries (pk_disk_sample). */
  unsigned long folder_syncs[256];
  unsigned int  n_folder_syncs;
  /* 1 for a watched file, 2 for the watched folder itself */
  unsigned char watched[MAX_FDS];
} shim;

#define REAL(name) real_ ## name
#define DECLARE_REAL(ret, name, ...) static ret (*real_ ## name) (__VA_ARGS__)

DECLARE_REAL (int, open, const char *, int, ...);
DECLARE_REAL (int, open64, const char *, int, ...);
DECLARE_REAL (int, openat, int, const char *, int, ...);
DECLARE_REAL (int, openat64, int, const char *, int, ...);
DECLARE_REAL (int, close, int);
DECLARE_REAL (ssize_t, write, int, const void *, size_t);
DECLARE_REAL (ssize_t, pwrite, int, const void *, size_t, off_t);
DECLARE_REAL (ssize_t, pwrite64, int, const void *, size_t, off64_t);
DECLARE_REAL (ssize_t, writev, int, const struct iovec *, int);
DECLARE_REAL (int, ftruncate, int, off_t);
DECLARE_REAL (int, ftruncate64, int, off64_t);
DECLARE_REAL (int, fsync, int);
DECLARE_REAL (int, fdatasync, int);
DECLARE_REAL (int, rename, const char *, const char *);
DECLARE_REAL (int, renameat, int, const char *, int, const char *);
DECLARE_REAL (int, renameat2, int, const char *, int, const char *, unsigned int);
DECLARE_REAL (int, link, const char *, const char *);
DECLARE_REAL (int, linkat, int, const char *, int, const char *, int);
DECLARE_REAL (int, unlink, const char *);
DECLARE_REAL (int, unlinkat, int, const char *, int);

static void
die (const char *what)
{
  fprintf (stderr, "pk-powercut: %s: %s\n", what, strerror (errno));
  _exit (127);
}

static unsigned long
env_number (const char *name)
{
  const char *value = getenv (name);

  return value != NULL ? strtoul (value, NULL, 10) : 0;
}

static void
write_count (void)
{
  FILE *f;

  if (shim.count_path == NULL)
    return;
  f = fopen (shim.count_path, "w");
  if (f == NULL)
    die (shim.count_path);
  fprintf (f, "%lu\n", shim.events);
  for (unsigned int i = 0; i < shim.n_folder_syncs; i++)
    fprintf (f, "%lu\n", shim.folder_syncs[i]);
  fclose (f);
}

#define LOAD(name) real_ ## name = dlsym (RTLD_NEXT, #name)

__attribute__((constructor)) static void
shim_init (void)
{
  const char *dir = getenv ("PK_POWERCUT_DIR");
  const char *fault_errno = getenv ("PK_FAULT_ERRNO");

  LOAD (open); LOAD (open64); LOAD (openat); LOAD (openat64); LOAD (close);
  LOAD (write); LOAD (pwrite); LOAD (pwrite64); LOAD (writev);
  LOAD (ftruncate); LOAD (ftruncate64); LOAD (fsync); LOAD (fdatasync);
  LOAD (rename); LOAD (renameat); LOAD (renameat2); LOAD (link); LOAD (linkat);
  LOAD (unlink); LOAD (unlinkat);

  if (dir == NULL || realpath (dir, shim.dir) == NULL)
    {
      shim.dir[0] = '\0';
      return;
    }
  shim.shadow = getenv ("PK_POWERCUT_SHADOW");
  shim.count_path = getenv ("PK_POWERCUT_COUNT");
  shim.cut_at = env_number ("PK_POWERCUT_AT");
  shim.fault_at = env_number ("PK_FAULT_AT");
  shim.fault_errno = fault_errno != NULL && strcmp (fault_errno, "EIO") == 0 ? EIO : ENOSPC;
  shim.fault_persist = env_number ("PK_FAULT_PERSIST") != 0;
  shim.vfat = env_number ("PK_FAULT_VFAT") != 0;
  shim.no_noreplace = shim.vfat || env_number ("PK_FAULT_NO_NOREPLACE") != 0;
  atexit (write_count);
}

/* Whether @path (relative to @dirfd) names something directly in the
 * watched folder (1) or the folder itself (2). */
static int
path_watched (int         dirfd,
              const char *path)
{
  char full[2 * PATH_MAX + 2];
  char *slash;

  if (shim.dir[0] == '\0' || path == NULL)
    return 0;
  if (path[0] == '/')
    snprintf (full, sizeof full, "%s", path);
  else if (dirfd == AT_FDCWD)
    {
      char cwd[PATH_MAX];

      if (getcwd (cwd, sizeof cwd) == NULL)
        return 0;
      snprintf (full, sizeof full, "%s/%s", cwd, path);
    }
  else if (dirfd >= 0 && dirfd < MAX_FDS && shim.watched[dirfd] == 2)
    snprintf (full, sizeof full, "%s/%s", shim.dir, path);
  else
    return 0;

  if (strcmp (full, shim.dir) == 0)
    return 2;
  slash = strrchr (full, '/');
  if (slash == NULL)
    return 0;
  *slash = '\0';
  return strcmp (full, shim.dir) == 0 && strcmp (slash + 1, "..") != 0 && strcmp (slash + 1, ".") != 0;
}

static int
fd_watched (int fd)
{
  return fd >= 0 && fd < MAX_FDS ? shim.watched[fd] : 0;
}

static void
shadow_path (char *buf, size_t size, const char *name)
{
  snprintf (buf, size, "%s/%s", shim.shadow, name);
}

/* Writes a new shadow file @name: @length bytes of @data, or when
 * @from_fd >= 0 the whole content of that file. */
static void
shadow_put (const char *name,
            int         from_fd,
            const char *data,
            size_t      length)
{
  char path[PATH_MAX];
  char buf[65536];
  off_t offset = 0;
  ssize_t n;
  int fd;

  shadow_path (path, sizeof path, name);
  fd = REAL (open) (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    die (path);
  if (from_fd < 0)
    {
      if (REAL (write) (fd, data, length) != (ssize_t) length)
        die (path);
    }
  else
    {
      while ((n = pread (from_fd, buf, sizeof buf, offset)) > 0)
        {
          if (REAL (write) (fd, buf, n) != n)
            die (path);
          offset += n;
        }
      if (n < 0)
        die ("pread");
    }
  REAL (close) (fd);
}

/* The id of the file that inode @ino is: the one given at its creation,
 * or, for a file that was there when the test settled the folder,
 * "settled-N" (pk-powercut-disk.c writes the same). */
static void
file_id (unsigned long ino, char *id, size_t size)
{
  char path[PATH_MAX];
  char name[64];
  ssize_t n = -1;
  int fd;

  snprintf (name, sizeof name, "inode-%lu", ino);
  shadow_path (path, sizeof path, name);
  fd = REAL (open) (path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      n = read (fd, id, size - 1);
      REAL (close) (fd);
    }
  if (n > 0)
    id[n] = '\0';
  else
    snprintf (id, size, "settled-%lu", ino);
}

/* A new file was created at @fd: give it a new id. */
static void
record_create (int fd)
{
  static unsigned long created;
  struct stat st;
  char name[64];
  char id[64];

  if (fstat (fd, &st) != 0)
    die ("fstat");
  snprintf (name, sizeof name, "inode-%lu", (unsigned long) st.st_ino);
  snprintf (id, sizeof id, "%ld.%lu", (long) getpid (), ++created);
  shadow_put (name, -1, id, strlen (id));
}

/* fsync of a watched file: its content as of now survives a cut. It is
 * read through a new descriptor, since the program's may be write-only. */
static void
record_file_sync (int fd)
{
  char self[64];
  char id[64];
  char name[80];
  struct stat st;
  int reader;

  if (fstat (fd, &st) != 0)
    die ("fstat");
  snprintf (self, sizeof self, "/proc/self/fd/%d", fd);
  reader = REAL (open) (self, O_RDONLY | O_CLOEXEC);
  if (reader < 0)
    die (self);
  file_id ((unsigned long) st.st_ino, id, sizeof id);
  snprintf (name, sizeof name, "data-%s", id);
  shadow_put (name, reader, NULL, 0);
  REAL (close) (reader);
}

/* fsync of the watched folder: its entries as of now survive a cut. */
static void
record_folder_sync (void)
{
  char list[65536];
  size_t used = 0;
  struct dirent *entry;
  DIR *dir = opendir (shim.dir);

  if (dir == NULL)
    die (shim.dir);
  while ((entry = readdir (dir)) != NULL)
    {
      struct stat st;
      char id[64];

      if (fstatat (dirfd (dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
          || !S_ISREG (st.st_mode))
        continue;
      file_id ((unsigned long) st.st_ino, id, sizeof id);
      used += snprintf (list + used, sizeof list - used, "%s %s\n", id, entry->d_name);
      if (used >= sizeof list)
        {
          errno = ENAMETOOLONG;
          die ("names");
        }
    }
  closedir (dir);
  shadow_put ("names", -1, list, used);
}

/* Counts a call on the watched folder. Returns 0 to let it run, or -1
 * with errno set when it must fail; never returns at the cut. */
static int
event (EventKind kind)
{
  shim.events++;
  if (shim.cut_at != 0 && shim.events == shim.cut_at)
    _exit (CUT_STATUS);
  if (kind != EVENT_UNLINK && shim.fault_at != 0
      && (shim.events == shim.fault_at || (shim.fault_persist && shim.events > shim.fault_at)))
    {
      errno = shim.fault_errno;
      return -1;
    }
  return 0;
}

static void
note_open (int fd, int watched)
{
  if (fd >= 0 && fd < MAX_FDS)
    shim.watched[fd] = (unsigned char) watched;
}

static int
do_open (int dirfd, const char *path, int flags, mode_t mode)
{
  int watched = path_watched (dirfd, path);
  int fd;

  struct stat st;
  int created;

  if (watched == 1 && (flags & O_CREAT) && event (EVENT_CREATE) != 0)
    return -1;
  created = watched == 1 && (flags & O_CREAT) && fstatat (dirfd, path, &st, 0) != 0;
  fd = REAL (openat) (dirfd, path, flags, mode);
  note_open (fd, watched);
  if (fd >= 0 && created && shim.shadow != NULL)
    record_create (fd);
  return fd;
}

#define MODE_ARG(flags, mode) \
  do { \
    if ((flags) & (O_CREAT | O_TMPFILE)) \
      { \
        va_list ap; \
        va_start (ap, flags); \
        mode = va_arg (ap, mode_t); \
        va_end (ap); \
      } \
  } while (0)

int
open (const char *path, int flags, ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return do_open (AT_FDCWD, path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return do_open (AT_FDCWD, path, flags, mode);
}

int
openat (int dirfd, const char *path, int flags, ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return do_open (dirfd, path, flags, mode);
}

int
openat64 (int dirfd, const char *path, int flags, ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return do_open (dirfd, path, flags, mode);
}

int
close (int fd)
{
  note_open (fd, 0);
  return REAL (close) (fd);
}

ssize_t
write (int fd, const void *buf, size_t count)
{
  if (fd_watched (fd) == 1 && event (EVENT_WRITE) != 0)
    return -1;
  return REAL (write) (fd, buf, count);
}

ssize_t
pwrite (int fd, const void *buf, size_t count, off_t offset)
{
  if (fd_watched (fd) == 1 && event (EVENT_WRITE) != 0)
    return -1;
  return REAL (pwrite) (fd, buf, count, offset);
}

ssize_t
pwrite64 (int fd, const void *buf, size_t count, off64_t offset)
{
  if (fd_watched (fd) == 1 && event (EVENT_WRITE) != 0)
    return -1;
  return REAL (pwrite64) (fd, buf, count, offset);
}

ssize_t
writev (int fd, const struct iovec *iov, int iovcnt)
{
  if (fd_watched (fd) == 1 && event (EVENT_WRITE) != 0)
    return -1;
  return REAL (writev) (fd, iov, iovcnt);
}

int
ftruncate (int fd, off_t length)
{
  if (fd_watched (fd) == 1 && event (EVENT_TRUNCATE) != 0)
    return -1;
  return REAL (ftruncate) (fd, length);
}

int
ftruncate64 (int fd, off64_t length)
{
  if (fd_watched (fd) == 1 && event (EVENT_TRUNCATE) != 0)
    return -1;
  return REAL (ftruncate64) (fd, length);
}

static int
do_sync (int fd, int (*real) (int))
{
  int watched = fd_watched (fd);
  int rc;

  if (watched == 0)
    return real (fd);
  if (watched == 2 && shim.n_folder_syncs < sizeof shim.folder_syncs / sizeof shim.folder_syncs[0])
    shim.folder_syncs[shim.n_folder_syncs++] = shim.events + 1;
  if (event (EVENT_SYNC) != 0)
    return -1;
  if (watched == 2 && shim.vfat)
    {
      errno = EINVAL;
      return -1;
    }
  rc = real (fd);
  if (rc == 0 && shim.shadow != NULL)
    {
      if (watched == 1)
        record_file_sync (fd);
      else
        record_folder_sync ();
    }
  return rc;
}

int
fsync (int fd)
{
  return do_sync (fd, REAL (fsync));
}

int
fdatasync (int fd)
{
  return do_sync (fd, REAL (fdatasync));
}

static int
either_watched (int olddirfd, const char *from, int newdirfd, const char *to)
{
  return path_watched (olddirfd, from) == 1 || path_watched (newdirfd, to) == 1;
}

int
rename (const char *from, const char *to)
{
  if (either_watched (AT_FDCWD, from, AT_FDCWD, to) && event (EVENT_RENAME) != 0)
    return -1;
  return REAL (rename) (from, to);
}

int
renameat (int olddirfd, const char *from, int newdirfd, const char *to)
{
  if (either_watched (olddirfd, from, newdirfd, to) && event (EVENT_RENAME) != 0)
    return -1;
  return REAL (renameat) (olddirfd, from, newdirfd, to);
}

int
renameat2 (int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags)
{
  if (either_watched (olddirfd, from, newdirfd, to))
    {
      if (shim.no_noreplace && flags != 0)
        {
          errno = EINVAL;
          return -1;
        }
      if (event (EVENT_RENAME) != 0)
        return -1;
    }
  return REAL (renameat2) (olddirfd, from, newdirfd, to, flags);
}

int
link (const char *from, const char *to)
{
  if (either_watched (AT_FDCWD, from, AT_FDCWD, to))
    {
      if (shim.vfat)
        {
          errno = EPERM;
          return -1;
        }
      if (event (EVENT_LINK) != 0)
        return -1;
    }
  return REAL (link) (from, to);
}

int
linkat (int olddirfd, const char *from, int newdirfd, const char *to, int flags)
{
  if (either_watched (olddirfd, from, newdirfd, to))
    {
      if (shim.vfat)
        {
          errno = EPERM;
          return -1;
        }
      if (event (EVENT_LINK) != 0)
        return -1;
    }
  return REAL (linkat) (olddirfd, from, newdirfd, to, flags);
}

int
unlink (const char *path)
{
  if (path_watched (AT_FDCWD, path) == 1)
    event (EVENT_UNLINK);
  return REAL (unlink) (path);
}

int
unlinkat (int dirfd, const char *path, int flags)
{
  if (path_watched (dirfd, path) == 1)
    event (EVENT_UNLINK);
  return REAL (unlinkat) (dirfd, path, flags);
}
