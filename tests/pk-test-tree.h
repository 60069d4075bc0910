/* pk-test-tree.h: removing a test's temporary directory, whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes @path and everything under it, best effort: a test cleaning
 * up after itself has nothing to report if a file is already gone. A
 * symbolic link is removed, never followed, so a test's directory can
 * never take anything outside it along. */
static inline void
pk_test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          pk_test_remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}
