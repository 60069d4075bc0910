/* pk-proof.c: helpers shared by the durability and security suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-proof"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <sodium.h>
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
pk_proof_query_int64 (const char *db,
                      const char *sql)
{
  return query_int (db, sql, NULL);
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

void
pk_proof_copy_file (const char *from,
                    const char *to)
{
  g_autoptr(GBytes) contents = pk_proof_read_bytes (from);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (to, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);
}

void
pk_proof_sql (const char *db,
              const char *statement)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, statement, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

/* Forged batches ------------------------------------------------------- */

static void
digest_value (crypto_generichash_state *state,
              sqlite3_stmt             *stmt,
              int                       column)
{
  guint8 head[9] = { 0 };
  gsize n = 0;
  const void *bytes = NULL;
  guint64 value = 0;

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      head[0] = 1;
      value = (guint64) sqlite3_column_int64 (stmt, column);
      break;
    case SQLITE_TEXT:
      head[0] = 2;
      bytes = sqlite3_column_text (stmt, column);
      value = n = sqlite3_column_bytes (stmt, column);
      break;
    case SQLITE_BLOB:
      head[0] = 3;
      bytes = sqlite3_column_blob (stmt, column);
      value = n = sqlite3_column_bytes (stmt, column);
      break;
    default:
      crypto_generichash_update (state, head, 1);
      return;
    }
  for (guint i = 0; i < 8; i++)
    head[1 + i] = (guint8) (value >> (56 - 8 * i));
  crypto_generichash_update (state, head, sizeof head);
  if (n > 0)
    crypto_generichash_update (state, bytes, n);
}

/* Signs the batch file @path (format 2, as kiosks write today) again
 * with a fresh key, as a forger would, following the digest as
 * docs/batch-format.md defines it. */
void
pk_proof_resign_batch (const char *path)
{
  static const char domain[] = "petition-kiosk batch digest";
  static const char * const sections[] = {
    "SELECT format, uuid, petition_id, petition_version, kiosk_id, kiosk_name, event, opened_at, "
    "closed_at, kiosk_public_key, n_sealed_keys, n_rows FROM batch",
    "SELECT id, sealed, coordinator_key FROM sealed_keys ORDER BY id",
    "SELECT uuid, signed_at, source, lang, consent_hash, opt_in, sheet_serial, sheet_line, key_id, payload, "
    "sensitive_consent_hash FROM signatures ORDER BY uuid",
    "SELECT serial, count, entered_at FROM sheet_counts ORDER BY serial",
  };
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  guint8 digest[crypto_generichash_BYTES_MAX];
  guint8 signature[crypto_sign_BYTES];
  crypto_generichash_state state;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sodium_init (), >=, 0);
  crypto_sign_keypair (public_key, secret_key);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE batch SET kiosk_public_key = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, public_key, crypto_sign_PUBLICKEYBYTES, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  crypto_generichash_init (&state, NULL, 0, sizeof digest);
  crypto_generichash_update (&state, (const guint8 *) domain, sizeof domain);
  for (guint q = 0; q < G_N_ELEMENTS (sections); q++)
    {
      guint8 marker[9] = { 1, 0, 0, 0, 0, 0, 0, 0, (guint8) q };

      crypto_generichash_update (&state, marker, sizeof marker);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sections[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          digest_value (&state, stmt, c);
      sqlite3_finalize (stmt);
    }
  crypto_generichash_final (&state, digest, sizeof digest);
  crypto_sign_detached (signature, NULL, digest, sizeof digest, secret_key);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE batch SET signature = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, signature, sizeof signature, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

char *
pk_proof_batch_fingerprint (const char *batch)
{
  g_autofree char *out = NULL;
  const char *open, *close;

  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "verify", batch, NULL }, NULL, &out, NULL), ==, 0);
  open = strrchr (out, '(');
  close = strrchr (out, ')');
  g_assert_true (open != NULL && close > open);
  return g_strndup (open + 1, close - open - 1);
}

char *
pk_proof_forge_batch (const char *real,
                      const char *fake,
                      const char *path,
                      gboolean    new_uuid)
{
  g_autofree char *edit = g_strdup_printf ("ATTACH '%s' AS fake;"
                                           "DELETE FROM signatures WHERE uuid = (SELECT min(uuid) FROM signatures);"
                                           "INSERT INTO signatures SELECT * FROM fake.signatures ORDER BY uuid LIMIT 1;"
                                           "DETACH fake;%s", fake,
                                           new_uuid ? "UPDATE batch SET uuid = lower(hex(randomblob(4))) || "
                                                      "'-0000-4000-8000-' || lower(hex(randomblob(6)));" : "");
  g_autoptr(GBytes) bytes = pk_proof_read_bytes (real);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  pk_proof_sql (path, edit);
  pk_proof_resign_batch (path);
  return pk_proof_batch_fingerprint (path);
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
