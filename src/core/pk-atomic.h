/* pk-atomic.h: files that appear whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A file being written under a temporary name in its final folder (so
 * the final rename never crosses a file system). Until committed it is
 * invisible under its final name; freeing it uncommitted deletes it. */
typedef struct _PkAtomicFile PkAtomicFile;

/* Creates the temporary file beside @path with @mode (e.g. 0600). */
PkAtomicFile *pk_atomic_file_new            (const char    *path,
                                             int            mode,
                                             GError       **error);
const char   *pk_atomic_file_get_temp_path  (PkAtomicFile  *self);
/* TRUE once the file has its final name, even when syncing the folder
 * after the rename failed. */
gboolean      pk_atomic_file_is_in_place    (PkAtomicFile  *self);
/* Writes all of @data to the temporary file at its current offset. */
gboolean      pk_atomic_file_write          (PkAtomicFile  *self,
                                             const void    *data,
                                             gsize          length,
                                             GError       **error);
/* fsyncs the temporary file, moves it to its final name and fsyncs the
 * folder. With @replace FALSE an existing file is never overwritten:
 * that fails with G_IO_ERROR_EXISTS and the temporary file is removed. */
gboolean      pk_atomic_file_commit         (PkAtomicFile  *self,
                                             gboolean       replace,
                                             GError       **error);
void          pk_atomic_file_free           (PkAtomicFile  *self);

/* Convenience: writes @data to @path atomically. */
gboolean      pk_atomic_write_contents      (const char    *path,
                                             const void    *data,
                                             gsize          length,
                                             int            mode,
                                             gboolean       replace,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkAtomicFile, pk_atomic_file_free)

G_END_DECLS
