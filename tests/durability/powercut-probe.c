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
 *
 *   powercut-probe paper DB PETITION SHEET LINES
 *     saves lines 1…LINES of sheet SHEET (its number) as the Paper page
 *     does when a volunteer finishes each line: one
 *     pk_store_add_paper_signatures () call per line (src/core/
 *     pk-store-paper.c), printing "saved LINE" after each returned.
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pk-sheets.h"
#include "pk-store-paper.h"

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

/* What a volunteer types from line @line of a sheet. */
static PkSignature *
paper_line (const char *serial,
            guint       line)
{
  PkSignature *sig = pk_signature_new ();
  g_autofree char *given = g_strdup_printf ("Paper%u", line);
  g_autofree char *email = g_strdup_printf ("paper%u@example.org", line);

  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (serial);
  sig->sheet_line = line;
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Sheet");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  return sig;
}

static int
save_paper_lines (const char *db_path,
                  const char *petition_path,
                  const char *sheet,
                  const char *lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autofree char *serial = NULL;
  guint n = (guint) g_ascii_strtoull (lines, NULL, 10);

  if (petition != NULL)
    store = pk_store_open (db_path, &error);
  if (store != NULL)
    serial = pk_sheet_serial_parse (petition, sheet, NULL, &error);
  if (serial == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint line = 1; line <= n; line++)
    {
      g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
      g_autoptr(GPtrArray) problems = NULL;
      guint added = 0;

      g_ptr_array_add (sigs, paper_line (serial, line));
      if (!pk_store_add_paper_signatures (store, petition, sigs, FALSE, &problems, &added, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("saved %u\n", line);
      fflush (stdout);
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gboolean synced;
  int status;

  if (argc == 6 && strcmp (argv[1], "paper") == 0)
    return save_paper_lines (argv[2], argv[3], argv[4], argv[5]);
  if (argc != 4)
    return 2;
  synced = strcmp (argv[3], "synced") == 0 || strcmp (argv[3], "full") == 0;
  status = strcmp (argv[1], "file") == 0 ? save_file (argv[2], synced) : save_row (argv[2], synced);
  if (status == 0)
    printf ("saved\n");
  return status;
}
