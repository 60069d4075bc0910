/* test-pin-brute-force.c: a curious volunteer without the PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attacker has the kiosk in front of them, unattended for a while,
 * and guesses PINs. What has to hold:
 * - guessing every 4-digit PIN takes weeks, not minutes;
 * - during a wait, even the right PIN is not accepted (it is not even
 *   checked), so guessing faster than the schedule gains nothing;
 * - restarting the kiosk (or killing it) does not reset the count;
 * - the PIN is on disk only as an Argon2id hash, and the database bytes
 *   do not contain it.
 * The clock is simulated through pk_pin_check_at(): nothing sleeps.
 */
#define G_LOG_DOMAIN "test-pin-brute-force"

#include "config.h"

#include <glib.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-pin.h"
#include "pk-proof.h"
#include "pk-store.h"

#define SECOND G_USEC_PER_SEC
/* Long, and with characters that neither hex nor base64 hold, so a hit
 * in the database bytes cannot be chance. */
#define THE_PIN "tulip-4711-moon"

static void
test_schedule_cost (void)
{
  guint64 total = 0;

  /* An attacker needs up to 10,000 guesses for a 4-digit PIN; each must
   * wait out the delay its predecessors earned. */
  for (guint failures = 1; failures < 10000; failures++)
    total += pk_pin_delay_for_failures (failures);

  g_test_message ("all 4-digit PINs take at least %" G_GUINT64_FORMAT " s (%.1f days)",
                  total, total / 86400.0);
  g_assert_cmpuint (total, >=, 7 * 86400);
  for (guint failures = 1; failures < 100; failures++)
    g_assert_cmpuint (pk_pin_delay_for_failures (failures), >=,
                      pk_pin_delay_for_failures (failures - 1));
}

static gint64
count_settings_like (const char *db_path,
                     const char *pattern)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM settings WHERE value LIKE ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_guessing (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (db, &error);
  g_autoptr(GBytes) bytes = NULL;
  gint64 now = g_get_real_time ();
  guint wait = 0;
  guint guesses = 12;

  g_assert_no_error (error);
  g_assert_true (pk_pin_set (store, THE_PIN, &error));
  g_assert_no_error (error);

  for (guint i = 1; i <= guesses; i++)
    {
      g_autofree char *guess = g_strdup_printf ("%04u", i);

      /* Guessing before the wait is over is refused unchecked, even
       * with the right PIN, and does not shorten the wait. */
      if (pk_pin_get_wait_at (store, now) > 0)
        {
          guint left = pk_pin_get_wait_at (store, now);

          g_assert_false (pk_pin_check_at (store, THE_PIN, now, &wait, &error));
          g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WAIT);
          g_clear_error (&error);
          g_assert_cmpuint (pk_pin_get_wait_at (store, now), ==, left);
          now += (gint64) left * SECOND;
        }

      g_assert_false (pk_pin_check_at (store, guess, now, &wait, &error));
      g_assert_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG);
      g_clear_error (&error);
      g_assert_cmpuint (wait, ==, pk_pin_delay_for_failures (i));

      /* Every fourth guess the attacker restarts the kiosk. */
      if (i % 4 == 0)
        {
          g_clear_object (&store);
          store = pk_store_open (db, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (pk_pin_get_failures (store), ==, i);
          g_assert_cmpuint (pk_pin_get_wait_at (store, now), ==, wait);
        }
    }

  g_clear_object (&store);

  /* On disk: an Argon2id hash, never the PIN. */
  g_assert_cmpint (count_settings_like (db, "$argon2id$%"), ==, 1);
  g_assert_cmpint (count_settings_like (db, THE_PIN), ==, 0);
  bytes = pk_proof_read_bytes (db);
  {
    gsize size = 0;
    const char *data = g_bytes_get_data (bytes, &size);

    for (gsize i = 0; i + strlen (THE_PIN) <= size; i++)
      g_assert_false (memcmp (data + i, THE_PIN, strlen (THE_PIN)) == 0);
  }

  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Security/pin/schedule-cost", test_schedule_cost);
  g_test_add_func ("/Pk/Security/pin/guessing", test_guessing);

  return g_test_run ();
}
