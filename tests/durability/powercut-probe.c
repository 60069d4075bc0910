/* powercut-probe.c: a tiny program that saves well or badly, for the power-cut simulator's own test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   powercut-probe file PATH synced|unsynced
 *     writes PATH through a temporary file and a rename; "synced" also
 *     syncs the file and its folder, as pk-atomic.c does.
 *   powercut-probe sqlite DB full|off
 *     adds a row to DB (WAL) with that PRAGMA synchronous.
 * Prints "saved" once it believes the data is safe, as the kiosk would
 * acknowledge a signature.
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
save_file (const char *path,
           gboolean    synced)
{
  g_autofree char *temp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  static const char text[] = "the whole text\n";
  int fd = open (temp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int dir_fd;

  if (fd < 0 || write (fd, text, strlen (text)) != (ssize_t) strlen (text)
      || (synced && fsync (fd) != 0) || close (fd) != 0
      || rename (temp, path) != 0)
    return 1;
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY);
  if (dir_fd < 0 || (synced && fsync (dir_fd) != 0) || close (dir_fd) != 0)
    return 1;
  return 0;
}

static int
save_row (const char *path,
          gboolean    synced)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;"
                                          "CREATE TABLE IF NOT EXISTS t (x);"
                                          "INSERT INTO t VALUES (1);",
                                          synced ? "FULL" : "OFF");
  int rc = sqlite3_open (path, &db);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    fprintf (stderr, "%s\n", sqlite3_errmsg (db));
  sqlite3_close (db);
  return rc == SQLITE_OK ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  gboolean synced;
  int status;

  if (argc != 4)
    return 2;
  synced = strcmp (argv[3], "synced") == 0 || strcmp (argv[3], "full") == 0;
  status = strcmp (argv[1], "file") == 0 ? save_file (argv[2], synced) : save_row (argv[2], synced);
  if (status == 0)
    printf ("saved\n");
  return status;
}
