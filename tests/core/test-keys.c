/* test-keys.c: damaged coordinator key files and trust lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A coordinator points the program at a key file or a trust list that
 * may be anything: another file, a half-copied one, one edited by hand.
 * Each is refused with PK_KEYS_ERROR_INVALID and a message that says
 * what is wrong with it, before any batch is opened with it.
 */
#define G_LOG_DOMAIN "test-keys"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-keys.h"

static char *tmpdir;

static char *
write_file (const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* A well-formed key file with @public and @secret (base64) and @format. */
static char *
key_file (const char *name,
          const char *format,
          const char *public,
          const char *secret)
{
  g_autofree char *contents =
    g_strdup_printf ("[CoordinatorSecretKey]\nFormat=%s\nPublicKey=%s\nSecretKey=%s\n", format, public, secret);

  return write_file (name, contents, -1);
}

static void
assert_refused (const char *path,
                const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkCoordinatorKey) key = pk_coordinator_key_load (path, &error);

  g_assert_null (key);
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, why));
}

static void
test_key_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good_path = g_build_filename (tmpdir, "good.key", NULL);
  g_autoptr(PkCoordinatorKey) good = pk_coordinator_key_generate (good_path, &error);
  g_autoptr(PkCoordinatorKey) other = NULL;
  g_autofree char *other_path = g_build_filename (tmpdir, "other.key", NULL);
  g_autofree char *public_b64 = NULL, *secret_b64 = NULL, *other_secret_b64 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *big = g_strnfill (70000, 'k');
  g_autofree char *missing = g_build_filename (tmpdir, "missing.key", NULL);

  g_assert_no_error (error);
  other = pk_coordinator_key_generate (other_path, &error);
  g_assert_no_error (error);
  public_b64 = pk_key_to_base64 (good->public_key, sizeof good->public_key);
  secret_b64 = pk_key_to_base64 (good->secret_key, sizeof good->secret_key);
  other_secret_b64 = pk_key_to_base64 (other->secret_key, sizeof other->secret_key);

  /* The file written is read back whole, and is never overwritten. */
  {
    g_autoptr(PkCoordinatorKey) again = pk_coordinator_key_load (good_path, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (again->public_key, sizeof again->public_key, good->public_key, sizeof good->public_key);
    g_assert_null (pk_coordinator_key_generate (good_path, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  g_assert_null (pk_coordinator_key_load (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  path = write_file ("big.key", big, -1);
  assert_refused (path, "not a small text file");
  g_clear_pointer (&path, g_free);
  path = write_file ("binary.key", "\xff\xfe\x00\x01", 4);
  assert_refused (path, "not a small text file");
  g_clear_pointer (&path, g_free);
  path = write_file ("text.key", "Dear coordinator,\nhere is the key.\n", -1);
  assert_refused (path, "usable coordinator key file");
  g_clear_pointer (&path, g_free);
  path = key_file ("no-format.key", "one", public_b64, secret_b64);
  assert_refused (path, "usable coordinator key file");
  g_clear_pointer (&path, g_free);
  path = key_file ("newer.key", "2", public_b64, secret_b64);
  assert_refused (path, "newer version");
  g_clear_pointer (&path, g_free);
  path = key_file ("bad-public.key", "1", "c2hvcnQ=", secret_b64);
  assert_refused (path, "PublicKey is missing");
  g_clear_pointer (&path, g_free);
  path = key_file ("bad-secret.key", "1", public_b64, "not base64 at all");
  assert_refused (path, "SecretKey is missing");
  g_clear_pointer (&path, g_free);
  /* Two halves of different keys. */
  path = key_file ("mixed.key", "1", public_b64, other_secret_b64);
  assert_refused (path, "does not match");
}

static void
test_trust_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PkTrustList) trust = NULL;

  path = write_file ("binary.trust", "abc\0def", 7);
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a text file"));
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  path = write_file ("typo.trust", "# kiosks of the march\n\nnot a key\n", -1);
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  path = g_build_filename (tmpdir, "missing.trust", NULL);
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-keys-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Keys/key-file", test_key_file);
  g_test_add_func ("/Pk/Keys/trust-list", test_trust_list);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
