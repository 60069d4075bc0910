/* test-keys.c: coordinator key files, the kiosk signing key and trust
 * lists, and how each refuses a damaged input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "pk-keys.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("pk-keys-XXXXXX", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", fixture->dir, NULL };
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_free (fixture->dir);
}

static char *
write_key_file (Fixture    *fixture,
                const char *contents,
                gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->dir, "key", NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return g_steal_pointer (&path);
}

static void
assert_key_refused (const char *path,
                    const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkCoordinatorKey) key = pk_coordinator_key_load (path, &error);

  g_assert_null (key);
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is not a usable coordinator key file"));
  if (strstr (error->message, why) == NULL)
    g_error ("expected “%s” in “%s”", why, error->message);
}

static void
test_coordinator_key_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *good_path = g_build_filename (fixture->dir, "good.key", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkCoordinatorKey) good = pk_coordinator_key_generate (good_path, &error);
  g_autoptr(PkCoordinatorKey) other = NULL;
  g_autoptr(PkCoordinatorKey) loaded = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *other_secret_b64 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *big = g_strnfill (70000, '#');
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  loaded = pk_coordinator_key_load (good_path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (loaded->public_key, 32, good->public_key, 32);

  /* Never over an existing file. */
  g_assert_null (pk_coordinator_key_generate (good_path, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_null (pk_coordinator_key_load (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  path = write_key_file (fixture, big, -1);
  assert_key_refused (path, "it is not a small text file");
  g_free (path);
  path = write_key_file (fixture, "\xff\xfe[CoordinatorSecretKey]\n", -1);
  assert_key_refused (path, "it is not a small text file");
  g_free (path);
  path = write_key_file (fixture, "this is = not [a key file\n", -1);
  assert_key_refused (path, "Key file does not start with a group");
  g_free (path);
  path = write_key_file (fixture, "[CoordinatorSecretKey]\nPublicKey=x\n", -1);
  assert_key_refused (path, "Format");
  g_free (path);
  path = write_key_file (fixture, "[CoordinatorSecretKey]\nFormat=2\n", -1);
  assert_key_refused (path, "it was made by a newer version of Petition Kiosk");
  g_free (path);
  path = write_key_file (fixture, "[CoordinatorSecretKey]\nFormat=1\nPublicKey=c2hvcnQ=\n", -1);
  assert_key_refused (path, "PublicKey is missing or not a 32-byte base64 key");
  g_free (path);

  public_b64 = pk_key_to_base64 (good->public_key, sizeof good->public_key);
  text = g_strdup_printf ("[CoordinatorSecretKey]\nFormat=1\nPublicKey=%s\n", public_b64);
  path = write_key_file (fixture, text, -1);
  assert_key_refused (path, "SecretKey is missing or not a 32-byte base64 key");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&text, g_free);

  /* The halves of two different pairs. */
  {
    g_autofree char *other_path = g_build_filename (fixture->dir, "other.key", NULL);

    other = pk_coordinator_key_generate (other_path, &error);
    g_assert_no_error (error);
  }
  other_secret_b64 = pk_key_to_base64 (other->secret_key, sizeof other->secret_key);
  text = g_strdup_printf ("[CoordinatorSecretKey]\nFormat=1\nPublicKey=%s\nSecretKey=%s\n",
                          public_b64, other_secret_b64);
  path = write_key_file (fixture, text, -1);
  assert_key_refused (path, "the secret key does not match the public key");
}

static void
test_kiosk_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkKioskKey) first = NULL;
  g_autoptr(PkKioskKey) again = NULL;
  PkStore *store = pk_store_open (db_path, &error);

  g_assert_no_error (error);
  first = pk_kiosk_key_ensure (store, &error);
  g_assert_no_error (error);
  again = pk_kiosk_key_ensure (store, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (first->public_key, sizeof first->public_key, again->public_key, sizeof again->public_key);

  /* A value that is not a whole Ed25519 secret key is caught before it
   * signs anything. */
  g_assert_true (pk_store_set_setting (store, "kiosk_signing_key", "c2hvcnQ=", &error));
  g_assert_no_error (error);
  g_assert_null (pk_kiosk_key_ensure (store, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The kiosk signing key in the database is damaged");
  g_clear_error (&error);
  g_assert_finalize_object (store);

  /* A database opened read-only cannot keep a new key: it says so and
   * makes none. */
  {
    g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.db", NULL);
    g_autoptr(PkStore) reader = NULL;

    store = pk_store_open (fresh, &error);
    g_assert_no_error (error);
    g_assert_finalize_object (store);
    reader = pk_store_open_read_only (fresh, &error);
    g_assert_no_error (error);
    g_assert_null (pk_kiosk_key_ensure (reader, &error));
    g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "Cannot store the kiosk signing key"));
    g_assert_null (pk_store_get_setting (reader, "kiosk_signing_key"));
  }
}

static void
test_trust_list (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "trusted", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkTrustList) list = NULL;
  guint8 by_key[32], by_fingerprint[32], stranger[32];
  g_autofree char *key_b64 = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;

  randombytes_buf (by_key, sizeof by_key);
  randombytes_buf (by_fingerprint, sizeof by_fingerprint);
  randombytes_buf (stranger, sizeof stranger);
  key_b64 = pk_key_to_base64 (by_key, sizeof by_key);
  fingerprint = pk_key_fingerprint (by_fingerprint);
  /* Written in lower case and with spaces, as people copy them. */
  g_strdelimit (fingerprint, "-", ' ');
  lower = g_ascii_strdown (fingerprint, -1);
  text = g_strdup_printf ("# stall kiosks\n\n  %s  \n%s\n", key_b64, lower);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  list = pk_trust_list_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (pk_trust_list_contains (list, by_key));
  g_assert_true (pk_trust_list_contains (list, by_fingerprint));
  g_assert_false (pk_trust_list_contains (list, stranger));
  g_clear_pointer (&list, pk_trust_list_free);

  g_assert_true (g_file_set_contents (path, "ABCD\0EFGH\n", 10, NULL));
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is not a text file"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "# ok\nnot a key\n", -1, NULL));
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 2: neither a kiosk public key nor a fingerprint"));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_null (pk_trust_list_load (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/Pk/Keys/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("coordinator-key-refused", test_coordinator_key_refused);
  ADD ("kiosk-key", test_kiosk_key);
  ADD ("trust-list", test_trust_list);
#undef ADD
  return g_test_run ();
}
