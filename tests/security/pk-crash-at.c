/* pk-crash-at.c: an LD_PRELOAD shim that kills close-batch at one step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loaded into the real `petition-kiosk close-batch --out FILE`, it sends
 * the process SIGKILL at the step named by PK_CRASH_AT, found by the
 * system calls that make it, so the program under test has no hook of
 * its own:
 *
 *   before-write   creating the temporary file beside FILE
 *   after-rename   just after the temporary file took FILE's name
 *   before-commit  the first write to the database's WAL after that
 *                  (the commit that marks the batch written)
 *   after-commit   just after that commit's sync of the WAL
 *
 * PK_CRASH_FILE is FILE. A SIGKILL keeps what the page cache holds, as
 * a crash of the program (not of the machine) does.
 */
/* The shim defines open() and open64(), pwrite() and pwrite64() each
 * under its own name: no redirection of one to the other. */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int renamed;

static const char *
crash_point (void)
{
  const char *point = getenv ("PK_CRASH_AT");

  return point != NULL ? point : "";
}

static void
crash (void)
{
  kill (getpid (), SIGKILL);
  /* SIGKILL cannot be caught; never reached. */
  _exit (127);
}

/* TRUE when @path is the temporary file made for PK_CRASH_FILE: a
 * hidden name in the same folder starting with ".BASENAME.". */
static int
is_temp_for_target (const char *path)
{
  const char *target = getenv ("PK_CRASH_FILE");
  const char *target_base, *base;
  size_t dir_len, base_len;

  if (target == NULL || path == NULL)
    return 0;
  target_base = strrchr (target, '/');
  target_base = target_base != NULL ? target_base + 1 : target;
  dir_len = (size_t) (target_base - target);
  base = strrchr (path, '/');
  base = base != NULL ? base + 1 : path;
  base_len = strlen (target_base);
  return (size_t) (base - path) == dir_len && strncmp (path, target, dir_len) == 0
         && base[0] == '.' && strncmp (base + 1, target_base, base_len) == 0 && base[1 + base_len] == '.';
}

static int
is_target (const char *path)
{
  const char *target = getenv ("PK_CRASH_FILE");

  return target != NULL && path != NULL && strcmp (path, target) == 0;
}

static int
is_wal_fd (int fd)
{
  char link[64];
  char path[PATH_MAX];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, sizeof path - 1);
  if (n < 4)
    return 0;
  path[n] = '\0';
  return strcmp (path + n - 4, "-wal") == 0;
}

static void
before_open (const char *path)
{
  if (strcmp (crash_point (), "before-write") == 0 && is_temp_for_target (path))
    crash ();
}

static void
after_rename (int result,
              const char *to)
{
  if (result != 0 || !is_target (to))
    return;
  renamed = 1;
  if (strcmp (crash_point (), "after-rename") == 0)
    crash ();
}

static void
before_write (int fd)
{
  if (renamed && strcmp (crash_point (), "before-commit") == 0 && is_wal_fd (fd))
    crash ();
}

static void
after_sync (int fd)
{
  if (renamed && strcmp (crash_point (), "after-commit") == 0 && is_wal_fd (fd))
    crash ();
}

#define REAL(name) ((__typeof__ (&name)) dlsym (RTLD_NEXT, #name))

int
open (const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  mode = 0;
  if (flags & (O_CREAT | O_TMPFILE))
    {
      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  before_open (path);
  return REAL (open) (path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  mode = 0;
  if (flags & (O_CREAT | O_TMPFILE))
    {
      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  before_open (path);
  return REAL (open64) (path, flags, mode);
}

int
openat (int dirfd, const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  mode = 0;
  if (flags & (O_CREAT | O_TMPFILE))
    {
      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  before_open (path);
  return REAL (openat) (dirfd, path, flags, mode);
}

int
openat64 (int dirfd, const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  mode = 0;
  if (flags & (O_CREAT | O_TMPFILE))
    {
      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  before_open (path);
  return REAL (openat64) (dirfd, path, flags, mode);
}

int
renameat2 (int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags)
{
  int result = REAL (renameat2) (olddirfd, from, newdirfd, to, flags);

  after_rename (result, to);
  return result;
}

int
rename (const char *from, const char *to)
{
  int result = REAL (rename) (from, to);

  after_rename (result, to);
  return result;
}

int
link (const char *from, const char *to)
{
  int result = REAL (link) (from, to);

  after_rename (result, to);
  return result;
}

ssize_t
write (int fd, const void *buf, size_t count)
{
  before_write (fd);
  return REAL (write) (fd, buf, count);
}

ssize_t
pwrite (int fd, const void *buf, size_t count, off_t offset)
{
  before_write (fd);
  return REAL (pwrite) (fd, buf, count, offset);
}

ssize_t
pwrite64 (int fd, const void *buf, size_t count, off64_t offset)
{
  before_write (fd);
  return REAL (pwrite64) (fd, buf, count, offset);
}

int
fsync (int fd)
{
  int result = REAL (fsync) (fd);

  after_sync (fd);
  return result;
}

int
fdatasync (int fd)
{
  int result = REAL (fdatasync) (fd);

  after_sync (fd);
  return result;
}
