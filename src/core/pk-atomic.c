/* pk-atomic.c: temporary file, fsync, rename, fsync of the folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-atomic"

#include "config.h"

/* renameat2() and RENAME_NOREPLACE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-atomic.h"

struct _PkAtomicFile {
  char     *path;
  char     *temp_path;
  int       fd;
  gboolean  committed;
};

static gboolean
pk_atomic_set_errno (GError     **error,
                     int          saved_errno,
                     const char  *what,
                     const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s “%s”: %s", what, display, g_strerror (saved_errno));
  return FALSE;
}

PkAtomicFile *
pk_atomic_file_new (const char  *path,
                    int          mode,
                    GError     **error)
{
  g_autoptr(PkAtomicFile) self = g_new0 (PkAtomicFile, 1);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self->fd = -1;
  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  /* A hidden name in the same folder: the rename stays on one file
   * system, and a crash leaves at most an obvious leftover. */
  self->temp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  self->fd = g_mkstemp_full (self->temp_path, O_RDWR | O_CLOEXEC, mode);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->temp_path, g_free);
      pk_atomic_set_errno (error, saved_errno, _("Cannot create a file in"), dir);
      return NULL;
    }
  /* mkstemp honours the umask; the mode asked for is what counts (a key
   * file must be 0600 whatever the umask). */
  if (fchmod (self->fd, mode) != 0)
    {
      pk_atomic_set_errno (error, errno, _("Cannot set the permissions of"), self->temp_path);
      return NULL;
    }

  return g_steal_pointer (&self);
}


const char *
pk_atomic_file_get_temp_path (PkAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->temp_path;
}

gboolean
pk_atomic_file_is_in_place (PkAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->committed;
}

gboolean
pk_atomic_file_write (PkAtomicFile  *self,
                      const void    *data,
                      gsize          length,
                      GError       **error)
{
  const guint8 *p = data;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  while (length > 0)
    {
      gssize n = write (self->fd, p, length);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return pk_atomic_set_errno (error, errno, _("Cannot write"), self->path);
        }
      p += n;
      length -= n;
    }

  return TRUE;
}

static gboolean
pk_atomic_fsync_dir (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return pk_atomic_set_errno (error, errno, _("Cannot open the folder"), dir);
  /* Some file systems (e.g. vfat on a USB stick) refuse fsync on a
   * folder with EINVAL; their metadata is written with the file then. */
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      return pk_atomic_set_errno (error, saved_errno, _("Cannot sync the folder"), dir);
    }
  close (fd);
  return TRUE;
}

/* Moves @from to @to without ever replacing an existing @to. */
static gboolean
pk_atomic_rename_noreplace (const char  *from,
                            const char  *to,
                            GError     **error)
{
  struct stat st;

  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno == EEXIST)
    return pk_atomic_set_errno (error, EEXIST, _("Will not overwrite"), to);
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return pk_atomic_set_errno (error, errno, _("Cannot rename to"), to);

  /* The file system lacks RENAME_NOREPLACE: a hard link fails rather
   * than replace, and is just as atomic. */
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }
  if (errno == EEXIST)
    return pk_atomic_set_errno (error, EEXIST, _("Will not overwrite"), to);
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP)
    return pk_atomic_set_errno (error, errno, _("Cannot rename to"), to);

  /* vfat has neither; check, then rename. The window between the two is
   * only open to another writer on the same stick at the same instant. */
  if (lstat (to, &st) == 0)
    return pk_atomic_set_errno (error, EEXIST, _("Will not overwrite"), to);
  if (rename (from, to) != 0)
    return pk_atomic_set_errno (error, errno, _("Cannot rename to"), to);
  return TRUE;
}

gboolean
pk_atomic_file_commit (PkAtomicFile  *self,
                       gboolean       replace,
                       GError       **error)
{
  int fd;

  g_return_val_if_fail (self != NULL && !self->committed, FALSE);

  if (fsync (self->fd) != 0)
    return pk_atomic_set_errno (error, errno, _("Cannot sync"), self->temp_path);
  fd = self->fd;
  self->fd = -1;
  if (close (fd) != 0)
    return pk_atomic_set_errno (error, errno, _("Cannot write"), self->temp_path);

  if (replace)
    {
      if (rename (self->temp_path, self->path) != 0)
        return pk_atomic_set_errno (error, errno, _("Cannot rename to"), self->path);
    }
  else if (!pk_atomic_rename_noreplace (self->temp_path, self->path, error))
    return FALSE;

  self->committed = TRUE;
  return pk_atomic_fsync_dir (self->path, error);
}

void
pk_atomic_file_free (PkAtomicFile *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    close (self->fd);
  if (!self->committed && self->temp_path != NULL)
    g_unlink (self->temp_path);
  g_free (self->temp_path);
  g_free (self->path);
  g_free (self);
}

gboolean
pk_atomic_write_contents (const char  *path,
                          const void  *data,
                          gsize        length,
                          int          mode,
                          gboolean     replace,
                          GError     **error)
{
  g_autoptr(PkAtomicFile) file = pk_atomic_file_new (path, mode, error);

  return file != NULL
         && pk_atomic_file_write (file, data, length, error)
         && pk_atomic_file_commit (file, replace, error);
}
