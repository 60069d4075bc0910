/* pk-proof.c: helpers shared by the durability and security suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-proof"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk-proof.h"
#include "pk-test-tree.h"

char *
pk_proof_demo_petition (const char *name)
{
  const char *root = g_getenv ("PK_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "demo", name, NULL);
}

char *
pk_proof_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pk-proof-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pk_proof_rm_rf (const char *path)
{
  /* Best effort: a test that left a read-only mount behind has already
   * failed for that reason. */
  pk_test_remove_tree (path);
}

int
pk_proof_run_cli (const char * const  *args,
                  const char * const  *extra_env,
                  char               **out_stdout,
                  char               **out_stderr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *binary = g_getenv ("PK_BINARY");
  int status = 0;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (extra_env[i], strcspn (extra_env[i], "="));

      envp = g_environ_setenv (envp, name, extra_env[i] + strlen (name) + 1, TRUE);
    }

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);

  g_test_message ("petition-kiosk %s → %s%d\n  stdout: %s\n  stderr: %s",
                  args[0], WIFSIGNALED (status) ? "signal " : "exit ",
                  WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status),
                  out, err);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

GStrv
pk_proof_sign_args (const char *db,
                    const char *petition,
                    guint       serial)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *given = g_strdup_printf ("Signer%u", serial);
  g_autofree char *email = g_strdup_printf ("signer%u@example.org", serial);

  g_strv_builder_add_many (builder, "sign", "--db", db, "--petition", petition,
                           "--lang", "en", "--given-name", given,
                           "--family-name", "Proof", "--email", email,
                           "--consent", "--sensitive-consent", NULL);
  return g_strv_builder_end (builder);
}

static sqlite3 *
open_db (const char *db)
{
  sqlite3 *handle = NULL;

  /* Read-write on purpose: that is how the kiosk opens it next, and it
   * lets SQLite recover a hot WAL left by a killed writer. */
  if (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_test_message ("cannot open %s: %s", db, sqlite3_errmsg (handle));
      sqlite3_close (handle);
      return NULL;
    }
  sqlite3_busy_timeout (handle, 10000);
  return handle;
}

char *
pk_proof_integrity (const char *db)
{
  sqlite3 *handle = open_db (db);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) result = g_string_new (NULL);

  if (handle == NULL)
    return g_strdup ("cannot open");

  if (sqlite3_prepare_v2 (handle, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    g_string_append (result, sqlite3_errmsg (handle));
  else
    {
      int rc;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (result->len > 0)
            g_string_append_c (result, '\n');
          g_string_append (result, (const char *) sqlite3_column_text (stmt, 0));
        }
      if (rc != SQLITE_DONE)
        g_string_append_printf (result, "%s%s", result->len ? "\n" : "", sqlite3_errmsg (handle));
    }

  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static gint64
query_int (const char *db,
           const char *sql,
           const char *text)
{
  sqlite3 *handle = open_db (db);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (handle == NULL)
    return -1;
  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (text != NULL)
        sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    }
  else
    g_test_message ("%s: %s", sql, sqlite3_errmsg (handle));

  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return value;
}

gint64
pk_proof_uuid_rows (const char *db,
                    const char *uuid)
{
  return query_int (db, "SELECT count(*) FROM signatures WHERE uuid = ?", uuid);
}

gint64
pk_proof_row_count (const char *db)
{
  return query_int (db, "SELECT count(*) FROM signatures", NULL);
}

gint64
pk_proof_cli_count (const char *db)
{
  g_autofree char *out = NULL;
  const char *args[] = { "count", "--db", db, NULL };
  char *end = NULL;
  gint64 value;

  if (pk_proof_run_cli (args, NULL, &out, NULL) != 0)
    return -1;
  value = g_ascii_strtoll (g_strstrip (out), &end, 10);
  return end != out && *end == '\0' ? value : -1;
}

gboolean
pk_proof_is_uuid (const char *s)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (s));

  return g_uuid_string_is_valid (trimmed);
}

GBytes *
pk_proof_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

gboolean
pk_proof_enter_mount_namespace (const char  *what,
                                char       **skip_reason)
{
  if (geteuid () != 0)
    {
      *skip_reason = g_strdup_printf ("needs root to mount %s (run the suite as root)", what);
      return FALSE;
    }
  if (unshare (CLONE_NEWNS) != 0
      || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      *skip_reason = g_strdup_printf ("cannot make a private mount namespace to mount %s: %s",
                                      what, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}
