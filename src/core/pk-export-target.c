/* pk-export-target.c: files an export must not replace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An export replaces its target atomically, so a slip of the keyboard
 * (--out master.db, --out coordinator.key) would destroy the master or
 * the only key that opens the kiosks' batches, with no way back. What
 * is refused is judged from the existing file's identity and first
 * bytes, never from its name.
 */
#define G_LOG_DOMAIN "pk-export"

#include "config.h"

/* memmem() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pk-export-target.h"

/* Enough to see a SQLite header or a key file's group line. */
#define PK_EXPORT_TARGET_PEEK_BYTES 4096

static gboolean
pk_export_same_file (const GStatBuf *out,
                     const char     *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino;
}

static gboolean
pk_export_is_database (const char     *db_path,
                       const GStatBuf *out)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      if (pk_export_same_file (out, path))
        return TRUE;
    }
  return FALSE;
}

/* The first bytes of @path, or NULL when it cannot be read. */
static GBytes *
pk_export_peek (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, NULL);

  if (input == NULL)
    return NULL;
  return g_input_stream_read_bytes (G_INPUT_STREAM (input), PK_EXPORT_TARGET_PEEK_BYTES, NULL, NULL);
}

static gboolean
pk_export_holds (GBytes     *head,
                 const char *needle)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (head, &length);

  return memmem (data, length, needle, strlen (needle)) != NULL;
}

gboolean
pk_export_check_target (const char  *db_path,
                        const char  *out_path,
                        GError     **error)
{
  g_autofree char *display = NULL;
  g_autoptr(GBytes) head = NULL;
  GStatBuf out;
  gsize length = 0;

  g_return_val_if_fail (db_path != NULL && out_path != NULL, FALSE);

  if (g_stat (out_path, &out) != 0)
    return TRUE;
  display = g_filename_display_name (out_path);
  if (pk_export_is_database (db_path, &out))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is the database being exported; the export would destroy it."), display);
      return FALSE;
    }
  if (!S_ISREG (out.st_mode))
    return TRUE;

  head = pk_export_peek (out_path);
  if (head == NULL)
    return TRUE;
  if (g_bytes_get_size (head) >= 16
      && memcmp (g_bytes_get_data (head, &length), "SQLite format 3", 16) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is a SQLite database (a master, a kiosk database or a batch file), not an export."),
                   display);
      return FALSE;
    }
  if (pk_export_holds (head, "[CoordinatorSecretKey]") || pk_export_holds (head, "SecretKey="))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is a secret key file; replacing it would lose the key."), display);
      return FALSE;
    }
  return TRUE;
}
