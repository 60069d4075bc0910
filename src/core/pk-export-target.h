/* pk-export-target.h: files an export must not replace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks that writing an export to @out_path would not replace the
 * database @db_path itself (the same file, or its -wal or -shm, by
 * inode), another SQLite database, or a coordinator secret key file.
 * A missing @out_path is fine. Fails with G_IO_ERROR_EXISTS and a
 * message that names the file and why. */
gboolean pk_export_check_target (const char  *db_path,
                                 const char  *out_path,
                                 GError     **error);

G_END_DECLS
