/* test-sync-token.c: the API token file, and every way it can be wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `petition-kiosk sync --token-file` reads the Action Network or OSDI
 * token from a file, which must be the coordinator's alone: a file
 * others may read, a link, a folder, an empty or an oversized file is
 * refused with PK_SYNC_ERROR_TOKEN_FILE and a message saying which, and
 * the token never appears in one.
 */
#define G_LOG_DOMAIN "test-sync-token"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pk-sync.h"

static char *tmpdir;

static char *
token_file (const char *name,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

static void
assert_refused (const char *path,
                const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pk_sync_read_token_file (path, &error);

  g_assert_null (token);
  g_assert_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, why));
  g_assert_null (strstr (error->message, "s3cret"));
}

static void
test_token_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = token_file ("good", "  s3cret-token \n", 0600);
  g_autofree char *shared = token_file ("shared", "s3cret-token\n", 0644);
  g_autofree char *empty = token_file ("empty", " \n\t\n", 0600);
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_autofree char *large = token_file ("large", long_line, 0600);
  g_autofree char *link = g_build_filename (tmpdir, "link", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing", NULL);
  g_autofree char *token = NULL;

  /* Read whole, without the whitespace around it. */
  token = pk_sync_read_token_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "s3cret-token");

  assert_refused (missing, "Cannot open the token file");
  /* A link could point a coordinator's command at someone else's file. */
  g_assert_cmpint (symlink (good, link), ==, 0);
  assert_refused (link, "Cannot open the token file");
  assert_refused (tmpdir, "not a regular file");
  assert_refused (shared, "can read the token file");
  assert_refused (large, "too large");
  assert_refused (empty, "is empty");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-sync-token-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (tmpdir, 0700), ==, 0);

  g_test_add_func ("/Pk/SyncToken/token-file", test_token_file);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
