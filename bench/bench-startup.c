/* bench-startup.c: time to the kiosk's first frame with a million signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start-up must not grow with the number of signatures: a kiosk that has
 * collected 1,000,000 must open as fast as a bare libadwaita window.
 * Ours: bench-first-frame-kiosk (the real PkApplication) on a database
 * of 1,000,000 signatures. Baseline: bench-first-frame-adw, a libadwaita
 * window with a header bar. Each is timed from spawn to its first drawn
 * frame (frame clock "after-paint"), alternately, and the medians are
 * compared; target ≤ 1.3×. The peak resident memory of both is reported,
 * and, for information, the kiosk on an empty database.
 *
 * Usage: bench-startup KIOSK-EXE BASELINE-EXE
 * The million-row database is made once and kept in $PK_BENCH_CACHE (or
 * the current directory) as bench-1m.db.
 */
#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include "pk-bench.h"
#include "pk-pin.h"
#include "pk-store.h"

#define N_SIGNATURES 1000000
#define N_RUNS       15

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
count_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Signs a few real signatures through the store (so every column holds
 * what the kiosk writes), then multiplies them with SQL in one
 * transaction: a million durable saves one by one would take hours. */
static void
make_database (const char *path,
               const char *petition_path,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *info = NULL;
  static const char * const names[][2] = {
    { "지민", "김" }, { "Jürgen", "Müller" }, { "Ana", "Silva" }, { NULL, "Sukarno" },
  };

  g_assert_no_error (error);
  g_unlink (path);
  store = pk_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *email = g_strdup_printf ("template%u@example.org", i);

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, names[i][0]);
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, names[i][1]);
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      sig->lang = g_strdup (pk_languages[i % PK_N_LANGUAGES]);
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      if (!pk_store_add_signature (store, petition, sig, NULL, &error))
        g_error ("template signature: %s", error->message);
    }
  g_clear_object (&store);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  exec_sql (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000");

  /* Every column but the key, copied from a template row; the ones that
   * must be unique are made so. */
  if (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info('signatures') WHERE pk = 0",
                          -1, &info, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  while (sqlite3_step (info) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (info, 0);

      g_string_append_printf (columns, "%s\"%s\"", columns->len ? ", " : "", name);
      if (g_str_equal (name, "uuid"))
        g_string_append_printf (values, "%slower(printf('%%s-%%s-4%%s-a%%s-%%s',"
                                " hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),"
                                " substr(hex(randomblob(2)), 2), hex(randomblob(6))))",
                                values->len ? ", " : "");
      else if (g_str_has_prefix (name, "dedup_"))
        g_string_append_printf (values, "%sCASE WHEN t.\"%s\" IS NULL THEN NULL ELSE t.\"%s\" || '#' || n.i END",
                                values->len ? ", " : "", name, name);
      else if (g_str_equal (name, "signed_at"))
        g_string_append_printf (values, "%st.signed_at - n.i * 1000000", values->len ? ", " : "");
      else if (g_str_has_prefix (name, "sheet_"))
        g_string_append_printf (values, "%sNULL", values->len ? ", " : "");
      else
        g_string_append_printf (values, "%st.\"%s\"", values->len ? ", " : "", name);
    }
  sqlite3_finalize (info);

  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
                         " INSERT INTO signatures (%s) SELECT %s FROM n"
                         " JOIN signatures AS t ON t.id = (SELECT min(id) FROM signatures) + n.i %% %u;"
                         /* This connection has no count triggers (they
                          * are TEMP ones since store step 15). */
                         "UPDATE counts SET n = (SELECT count(*) FROM signatures s"
                         " WHERE s.petition_id = counts.petition_id);"
                         "COMMIT;"
                         "PRAGMA wal_checkpoint(TRUNCATE);",
                         n - (guint) G_N_ELEMENTS (names), columns->str, values->str,
                         (guint) G_N_ELEMENTS (names));
  exec_sql (db, sql);
  sqlite3_close (db);
}

/* A kiosk in use has its organizer's PIN: without one it would open on
 * the first-run PIN set-up instead of the welcome screen, which is the
 * frame this benchmark is about. */
static void
ensure_pin (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (path, &error);

  g_assert_no_error (error);
  if (!pk_pin_is_set (store) && !pk_pin_set (store, "2468", &error))
    g_error ("setting the PIN of %s: %s", path, error->message);
}

/* Spawns @argv and returns the milliseconds until it printed
 * "first-frame"; its peak RSS goes to @rss_mib. */
static double
time_first_frame (const char * const *argv,
                  double             *rss_mib)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  gint64 start = pk_bench_now_us ();
  double elapsed;
  GPid pid;
  int out_fd, status = 0;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  if (g_io_channel_read_line (channel, &line, NULL, NULL, &error) != G_IO_STATUS_NORMAL
      || !g_str_has_prefix (line, "first-frame"))
    g_error ("%s never drew a frame: %s", argv[0], error ? error->message : line);
  elapsed = (pk_bench_now_us () - start) / 1000.0;

  kill (pid, SIGKILL);
  *rss_mib = pk_bench_child_peak_rss_mib (pid, &status);
  return elapsed;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_strdup (g_getenv ("PK_BENCH_CACHE"));
  g_autofree char *big_db = NULL;
  g_autofree char *scratch = pk_bench_scratch_dir ("bench-startup");
  g_autofree char *empty_db = g_build_filename (scratch, "empty.db", NULL);
  g_autofree char *petition = NULL;
  double kiosk[N_RUNS], kiosk_empty[N_RUNS], adw[N_RUNS];
  double kiosk_rss = 0, kiosk_empty_rss = 0, adw_rss = 0, rss;

  if (argc != 3)
    g_error ("usage: %s KIOSK-EXE BASELINE-EXE", argv[0]);

  if (cache == NULL)
    cache = g_get_current_dir ();
  big_db = g_build_filename (cache, "bench-1m.db", NULL);
  petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT") ?: ".",
                               "data", "demo", "prisoners-of-conscience.petition", NULL);

  if (count_rows (big_db) != N_SIGNATURES)
    {
      gint64 start = pk_bench_now_us ();

      make_database (big_db, petition, N_SIGNATURES);
      g_printerr ("made %s in %.1f s\n", big_db, (pk_bench_now_us () - start) / 1e6);
    }
  g_assert_cmpint (count_rows (big_db), ==, N_SIGNATURES);
  ensure_pin (big_db);
  ensure_pin (empty_db);

  {
    const char *kiosk_argv[] = { argv[1], "--db", big_db, "--petition", petition, "--windowed", NULL };
    const char *empty_argv[] = { argv[1], "--db", empty_db, "--petition", petition, "--windowed", NULL };
    const char *adw_argv[] = { argv[2], NULL };

    /* One untimed run of each fills the page cache, as on a kiosk that
     * has been started before. */
    time_first_frame (kiosk_argv, &rss);
    time_first_frame (empty_argv, &rss);
    time_first_frame (adw_argv, &rss);

    for (guint i = 0; i < N_RUNS; i++)
      {
        adw[i] = time_first_frame (adw_argv, &rss);
        adw_rss = MAX (adw_rss, rss);
        kiosk[i] = time_first_frame (kiosk_argv, &rss);
        kiosk_rss = MAX (kiosk_rss, rss);
        kiosk_empty[i] = time_first_frame (empty_argv, &rss);
        kiosk_empty_rss = MAX (kiosk_empty_rss, rss);
      }
  }

  pk_bench_row ("start-up: first drawn frame, kiosk with 1,000,000 signatures (vs bare libadwaita window)",
                pk_bench_median (kiosk, N_RUNS), pk_bench_median (adw, N_RUNS), "ms", 1.3);
  pk_bench_row ("start-up: peak resident memory, kiosk with 1,000,000 signatures (vs bare libadwaita window)",
                kiosk_rss, adw_rss, "MiB", 0);
  pk_bench_row ("start-up: first drawn frame, kiosk with 1,000,000 signatures (vs the kiosk on an empty database)",
                pk_bench_median (kiosk, N_RUNS), pk_bench_median (kiosk_empty, N_RUNS), "ms", 0);

  pk_bench_rm_rf (scratch);
  return 0;
}
