/* test-pin.c: the organizer PIN, its hash and its growing delay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include <glib/gstdio.h>
#include <string.h>

#include "pk-pin.h"

#define SECOND G_GINT64_CONSTANT (1000000)

typedef struct {
  char *dir;
  char *path;
  PkStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pk-pin-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = pk_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_delay_schedule (void)
{
  g_assert_cmpuint (pk_pin_delay_for_failures (0), ==, 0);
  g_assert_cmpuint (pk_pin_delay_for_failures (1), ==, 0);
  g_assert_cmpuint (pk_pin_delay_for_failures (2), ==, 0);
  g_assert_cmpuint (pk_pin_delay_for_failures (3), ==, 2);
  g_assert_cmpuint (pk_pin_delay_for_failures (4), ==, 4);
  g_assert_cmpuint (pk_pin_delay_for_failures (5), ==, 8);
  for (guint n = 3; n < 100; n++)
    g_assert_cmpuint (pk_pin_delay_for_failures (n), >=, pk_pin_delay_for_failures (n - 1));
  g_assert_cmpuint (pk_pin_delay_for_failures (40), ==, PK_PIN_MAX_DELAY_SECONDS);
  g_assert_cmpuint (pk_pin_delay_for_failures (G_MAXUINT), ==, PK_PIN_MAX_DELAY_SECONDS);
}

static void
test_set_and_check (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  guint wait = 99;

  g_assert_false (pk_pin_is_set (fixture->store));
  g_assert_false (pk_pin_check (fixture->store, "1234", &wait, &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_NOT_SET);
  g_clear_error (&error);

  g_assert_false (pk_pin_set (fixture->store, "123", &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_TOO_SHORT);
  g_clear_error (&error);

  g_assert_true (pk_pin_set (fixture->store, "2468", &error));
  g_assert_no_error (error);
  g_assert_true (pk_pin_is_set (fixture->store));

  /* Only an Argon2id hash is stored, never the PIN. */
  hash = pk_store_get_setting (fixture->store, "pin-hash");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "2468"));

  g_assert_true (pk_pin_check (fixture->store, "2468", &wait, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wait, ==, 0);
}

static void
test_growing_delay (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = G_GINT64_CONSTANT (1700000000) * SECOND;
  guint wait = 0;

  g_assert_true (pk_pin_set (fixture->store, "open sesame", &error));

  /* Two free mistakes. */
  for (guint i = 1; i <= 2; i++)
    {
      g_assert_false (pk_pin_check_at (fixture->store, "wrong", now, &wait, &error));
      g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG);
      g_clear_error (&error);
      g_assert_cmpuint (wait, ==, 0);
      g_assert_cmpuint (pk_pin_get_failures (fixture->store), ==, i);
    }

  /* The third costs 2 seconds. */
  g_assert_false (pk_pin_check_at (fixture->store, "wrong", now, &wait, &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG);
  g_clear_error (&error);
  g_assert_cmpuint (wait, ==, 2);
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now), ==, 2);
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now + 1 * SECOND), ==, 1);
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now + 2 * SECOND), ==, 0);
  /* A clock set back does not shorten the wait. */
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now - 3600 * SECOND), ==, 2);

  /* During the wait even the right PIN is not checked. */
  g_assert_false (pk_pin_check_at (fixture->store, "open sesame", now + 1 * SECOND, &wait, &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WAIT);
  g_clear_error (&error);
  g_assert_cmpuint (wait, ==, 1);
  g_assert_cmpuint (pk_pin_get_failures (fixture->store), ==, 3);

  /* The next mistake doubles the delay. */
  now += 2 * SECOND;
  g_assert_false (pk_pin_check_at (fixture->store, "wrong", now, &wait, &error));
  g_clear_error (&error);
  g_assert_cmpuint (wait, ==, 4);

  /* The count survives a restart of the kiosk. */
  g_clear_object (&fixture->store);
  fixture->store = pk_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_pin_get_failures (fixture->store), ==, 4);
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now), ==, 4);

  /* The right PIN after the wait works and resets the count. */
  now += 4 * SECOND;
  g_assert_true (pk_pin_check_at (fixture->store, "open sesame", now, &wait, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_pin_get_failures (fixture->store), ==, 0);
  g_assert_cmpuint (pk_pin_get_wait_at (fixture->store, now), ==, 0);
}

static void
test_unicode_pin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (PK_PIN_MAX_BYTES + 1, '7');

  /* Set with a precomposed Hangul syllable, checked as typed in jamo. */
  g_assert_true (pk_pin_set (fixture->store, "비밀번호", &error));
  g_assert_true (pk_pin_check (fixture->store, "\u1107\u1175\u1106\u1175\u11AF\u1107\u1165\u11AB\u1112\u1169",
                               NULL, &error));
  g_assert_no_error (error);

  g_assert_false (pk_pin_set (fixture->store, huge, &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pk_pin_check (fixture->store, "\xff\xfe", NULL, &error));
  g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG);
}

/* Issue 12 item 10: the PIN hash uses Argon2id's "moderate" limits; a
 * hash an older version made with "interactive" limits still opens
 * admin, and is strengthened by doing so. */
static void
test_moderate_hash (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *upgraded = NULL;
  char old_hash[crypto_pwhash_STRBYTES];

  g_assert_true (pk_pin_set (fixture->store, "2468", &error));
  hash = pk_store_get_setting (fixture->store, "pin-hash");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=262144,t=3,"));

  g_assert_cmpint (crypto_pwhash_str_alg (old_hash, "1357", 4, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  g_assert_true (pk_store_set_setting (fixture->store, "pin-hash", old_hash, &error));
  g_assert_true (pk_pin_check (fixture->store, "1357", NULL, &error));
  g_assert_no_error (error);
  upgraded = pk_store_get_setting (fixture->store, "pin-hash");
  g_assert_true (g_str_has_prefix (upgraded, "$argon2id$v=19$m=262144,t=3,"));
  g_assert_true (pk_pin_check (fixture->store, "1357", NULL, &error));
}

/* Where nothing can be written (the database opened read-only), a wrong
 * PIN still fails, with the reason its failure could not be counted, a
 * right one still opens, and a new PIN is refused, the old one kept. */
static void
test_read_only_store (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) reader = NULL;
  guint wait = 99;

  g_assert_true (pk_pin_set (fixture->store, "2468", &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  reader = pk_store_open_read_only (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_false (pk_pin_check (reader, "1357", &wait, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_assert_cmpuint (wait, ==, 0);
  g_clear_error (&error);
  g_assert_cmpuint (pk_pin_get_failures (reader), ==, 0);

  g_assert_true (pk_pin_check (reader, "2468", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (pk_pin_set (reader, "97531", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_true (pk_pin_check (reader, "2468", NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Pin/delay-schedule", test_delay_schedule);
  g_test_add ("/Pk/Pin/set-and-check", Fixture, NULL, fixture_setup, test_set_and_check, fixture_teardown);
  g_test_add ("/Pk/Pin/growing-delay", Fixture, NULL, fixture_setup, test_growing_delay, fixture_teardown);
  g_test_add ("/Pk/Pin/unicode", Fixture, NULL, fixture_setup, test_unicode_pin, fixture_teardown);
  g_test_add ("/Pk/Pin/read-only-store", Fixture, NULL, fixture_setup, test_read_only_store, fixture_teardown);
  g_test_add ("/Pk/Pin/moderate-hash", Fixture, NULL, fixture_setup, test_moderate_hash, fixture_teardown);

  return g_test_run ();
}
