/* test-pg-sync.c: `sync --db postgresql://…` from several processes at
 * once, killed, and with the server going away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A master of signatures is copied into a throwaway PostgreSQL server
 * (copy-master) and sent to the test receiver (tests/sync) by the real
 * binary. The receiver stores each identifier once and counts every
 * request for one it already has ("resent"): the runs' claims must
 * keep that at zero, except for the window docs/scale.md documents
 * for a run killed between the server's answer and its recording.
 */
#define G_LOG_DOMAIN "test-pg-sync"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "pk-pg-server.h"
#include "pk-store-sync.h"
#include "pk-store.h"
#include "pk-test-skip.h"
#include "sync-harness.h"

static PkPgServer *server;

static gboolean
have_everything (void)
{
  return pk_pg_server_ready (&server);
}

/* Runs the binary with @args to its end; returns its exit status. */
static int
run_cli (const char * const *args,
         char              **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (tmpdir, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, out_stderr, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* @n signatures (one refused by the receiver at @reject_index, -1: none)
 * in a new database on the server, through copy-master. */
static char *
make_pg_master (const char *name,
                guint       n,
                int         reject_index,
                char      **out_database)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  g_autofree char *path = g_build_filename (tmpdir, file, NULL);
  g_autofree char *database = pk_pg_server_create_database (server);
  char *uri = pk_pg_server_uri (server, database, NULL);
  g_autoptr(PkStore) store = make_store (file, n, reject_index);

  /* Closed before it is copied. */
  g_clear_object (&store);
  g_assert_cmpint (run_cli ((const char *[]) { "copy-master", "--from", path, "--to", uri, NULL }, NULL),
                   ==, 0);
  *out_database = g_steal_pointer (&database);
  return uri;
}

/* `sync` on @uri, started and left running; its output and its stderr
 * (with the debug lines naming each signature it sends) go to @log. */
static GSubprocess *
spawn_sync (const char *uri,
            Receiver   *receiver,
            const char *log,
            const char *lease)
{
  g_autoptr(GSubprocessLauncher) launcher = sync_launcher (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *token = write_token_file ("token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *endpoint_arg = g_strconcat ("--endpoint=", endpoint, NULL);
  g_autofree char *db_arg = g_strconcat ("--db=", uri, NULL);
  g_autofree char *lease_arg = g_strconcat ("--lease=", lease, NULL);
  g_autofree char *log_path = g_build_filename (tmpdir, log, NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PK_BINARY"), "sync",
                                         db_arg, endpoint_arg, token_arg, "--rate=0", lease_arg,
                                         NULL);
  g_assert_no_error (error);
  return process;
}

static int
wait_exit (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* The uuids a run's log says it sent, each once. */
static GHashTable *
sent_by (const char *log)
{
  g_autofree char *path = g_build_filename (tmpdir, log, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "signature ");
      const char *end = at != NULL ? strstr (at, ": sending, try ") : NULL;

      if (end != NULL)
        g_hash_table_add (uuids, g_strndup (at + strlen ("signature "),
                                            (gsize) (end - at) - strlen ("signature ")));
    }
  return uuids;
}

static PkSyncCounts
pg_counts (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open_master_read_only (uri, &error);
  PkSyncCounts counts;

  g_assert_no_error (error);
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  return counts;
}

/* Waits (on the receiver, never on a clock) until it stored @n. */
static void
wait_for_records (Receiver *receiver,
                  gint64    n)
{
  while (receiver_stat (receiver, "records") < n)
    g_usleep (20 * 1000);
}

/* Waits until no claim on the server is live any more, as the server's
 * own clock says. */
static void
wait_for_leases (const char *database)
{
  while (pk_pg_server_query_int64 (server, database,
                                   "SELECT count(*) FROM sync_claims WHERE expires_at > "
                                   "CAST (extract (epoch FROM clock_timestamp ()) * 1000000 AS bigint)") > 0)
    g_usleep (100 * 1000);
}

/* Two runs at once: each signature reaches the server exactly once,
 * both runs did part of the work, and the counts afterwards are those
 * SQLite reports for the same master copied back. With @data, the
 * isolation level the database's administrator made the default of
 * every session (ALTER DATABASE … SET default_transaction_isolation),
 * the same. */
static void
test_two_at_once (gconstpointer data)
{
  const char *level = data;
  const guint n = 300;
  g_autofree char *name = NULL;
  g_autofree char *log_a = NULL;
  g_autofree char *log_b = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *back = NULL;
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) second = NULL;
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(PkStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer uuid;
  PkSyncCounts on_pg, on_sqlite;
  Receiver *receiver;
  int status_a, status_b;

  if (!have_everything ())
    return;
  /* Each case with a master file of its own. */
  name = g_strdelimit (g_strconcat ("two-", level != NULL ? level : "default", NULL), " ", '-');
  uri = make_pg_master (name, n, 17, &database);
  if (level != NULL)
    {
      g_autofree char *alter = g_strdup_printf ("ALTER DATABASE %s SET default_transaction_isolation = '%s'",
                                                database, level);

      pk_pg_server_exec (server, database, alter);
    }
  /* Slow answers, so that both runs are sending at the same time. */
  receiver = receiver_start ("--reject-email=reject@example.org=Email address domain is blocked",
                             "--slow-rate=1", "--slow-ms=5", NULL);

  log_a = g_strconcat (name, "-a.log", NULL);
  log_b = g_strconcat (name, "-b.log", NULL);
  a = spawn_sync (uri, receiver, log_a, "300");
  b = spawn_sync (uri, receiver, log_b, "300");
  status_a = wait_exit (a);
  status_b = wait_exit (b);
  /* 5: one signature was refused, which both may see by the end. */
  g_assert_true (status_a == 0 || status_a == 5);
  g_assert_true (status_b == 0 || status_b == 5);
  g_assert_true (status_a == 5 || status_b == 5);

  g_assert_cmpint (receiver_stat (receiver, "records"), ==, n - 1);
  g_assert_cmpint (receiver_stat (receiver, "rejected"), ==, 1);
  g_assert_cmpint (receiver_stat (receiver, "resent"), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, n);

  first = sent_by (log_a);
  second = sent_by (log_b);
  g_assert_cmpuint (g_hash_table_size (first), >, 0);
  g_assert_cmpuint (g_hash_table_size (second), >, 0);
  g_assert_cmpuint (g_hash_table_size (first) + g_hash_table_size (second), ==, n);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    g_assert_false (g_hash_table_contains (second, uuid));

  on_pg = pg_counts (uri);
  g_assert_cmpuint (on_pg.total, ==, n);
  g_assert_cmpuint (on_pg.sent, ==, n - 1);
  g_assert_cmpuint (on_pg.failed, ==, 1);
  g_assert_cmpuint (on_pg.pending, ==, 0);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM sync_claims"), ==, 0);

  back = g_strconcat (tmpdir, "/", name, "-back.db", NULL);
  g_assert_cmpint (run_cli ((const char *[]) { "copy-master", "--from", uri, "--to", back, NULL }, NULL),
                   ==, 0);
  copy = pk_store_open_read_only (back, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_sync_counts (copy, NULL, &on_sqlite, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&on_pg, sizeof on_pg, &on_sqlite, sizeof on_sqlite);

  receiver_stop (receiver);
}

/* A run killed mid-way: its claims hold until their lease runs out (a
 * run started meanwhile leaves them alone), then a rerun sends the rest. What the server stored and the store
 * had not yet recorded when the run died is sent once more, and only
 * that (docs/scale.md); the server knows it by its identifier. */
static void
test_killed_then_rerun (void)
{
  const guint n = 200;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GSubprocess) killed = NULL;
  g_autoptr(GSubprocess) early = NULL;
  g_autoptr(GHashTable) early_sent = NULL;
  g_autoptr(GHashTable) killed_sent = NULL;
  GHashTableIter iter;
  gpointer uuid;
  g_autoptr(GSubprocess) rerun = NULL;
  PkSyncCounts at_kill, after;
  gint64 stored_at_kill;
  Receiver *receiver;

  if (!have_everything ())
    return;
  uri = make_pg_master ("killed", n, -1, &database);
  receiver = receiver_start ("--slow-rate=1", "--slow-ms=10", NULL);

  killed = spawn_sync (uri, receiver, "killed.log", "6");
  wait_for_records (receiver, 40);
  g_subprocess_send_signal (killed, SIGKILL);
  g_subprocess_wait (killed, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (killed));

  at_kill = pg_counts (uri);
  /* The request the run had written before it died may still wait in
   * the receiver's socket: one look lets the receiver read it, the
   * second counts it. */
  receiver_stat (receiver, "requests");
  stored_at_kill = receiver_stat (receiver, "records");
  g_assert_cmpuint (at_kill.sent, <=, (guint64) stored_at_kill);
  g_assert_cmpuint (at_kill.pending, >, 0);
  /* The killed run's claims are still there, to run out. */
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM sync_claims"), >, 0);

  /* While the leases hold, another run sends the rest but leaves the
   * killed run's signatures alone, says so and exits 5. */
  early = spawn_sync (uri, receiver, "early.log", "2");
  g_assert_cmpint (wait_exit (early), ==, 5);
  early_sent = sent_by ("early.log");
  killed_sent = sent_by ("killed.log");
  g_assert_cmpuint (g_hash_table_size (early_sent), >, 0);
  g_hash_table_iter_init (&iter, killed_sent);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    g_assert_false (g_hash_table_contains (early_sent, uuid));
  g_assert_cmpint (receiver_stat (receiver, "resent"), ==, 0);
  g_assert_cmpuint (pg_counts (uri).pending, >, 0);
  {
    g_autofree char *path = g_build_filename (tmpdir, "early.log", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "held by another sync run"));
  }

  wait_for_leases (database);
  rerun = spawn_sync (uri, receiver, "rerun.log", "2");
  g_assert_cmpint (wait_exit (rerun), ==, 0);

  after = pg_counts (uri);
  g_assert_cmpuint (after.sent, ==, n);
  g_assert_cmpuint (after.pending, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, n);
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, n);
  g_assert_cmpint (receiver_stat (receiver, "resent"), ==, stored_at_kill - (gint64) at_kill.sent);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM sync_claims"), ==, 0);
  receiver_stop (receiver);
}

/* The database server stops in the middle of a run: the run ends with
 * a message saying the sync state could not be recorded, every
 * signature recorded as sent did reach the receiver, and a rerun once
 * the server is back finishes the job. */
static void
test_server_stops (void)
{
  const guint n = 200;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *log = NULL;
  g_autofree char *log_path = NULL;
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(GSubprocess) rerun = NULL;
  g_autoptr(GError) error = NULL;
  PkSyncCounts at_stop, after;
  Receiver *receiver;

  if (!have_everything ())
    return;
  uri = make_pg_master ("stops", n, -1, &database);
  receiver = receiver_start ("--slow-rate=1", "--slow-ms=10", NULL);

  run = spawn_sync (uri, receiver, "stops.log", "2");
  wait_for_records (receiver, 40);
  pk_pg_server_kill (server);
  g_assert_cmpint (wait_exit (run), ==, 1);
  log_path = g_build_filename (tmpdir, "stops.log", NULL);
  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "Cannot record the sync state in the database"));
  assert_no_token (log);

  pk_pg_server_restart (server);
  at_stop = pg_counts (uri);
  g_assert_cmpuint (at_stop.sent, <=, (guint64) receiver_stat (receiver, "records"));
  g_assert_cmpuint (at_stop.failed, ==, 0);

  wait_for_leases (database);
  rerun = spawn_sync (uri, receiver, "stops-rerun.log", "2");
  g_assert_cmpint (wait_exit (rerun), ==, 0);
  after = pg_counts (uri);
  g_assert_cmpuint (after.sent, ==, n);
  g_assert_cmpuint (after.pending, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, n);
  receiver_stop (receiver);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-pg-sync-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/Pk/Pg/sync/two-at-once", NULL, test_two_at_once);
  g_test_add_data_func ("/Pk/Pg/sync/two-at-once-repeatable-read", "repeatable read", test_two_at_once);
  g_test_add_data_func ("/Pk/Pg/sync/two-at-once-serializable", "serializable", test_two_at_once);
  g_test_add_func ("/Pk/Pg/sync/killed-then-rerun", test_killed_then_rerun);
  g_test_add_func ("/Pk/Pg/sync/server-stops", test_server_stops);

  status = g_test_run ();
  g_clear_pointer (&server, pk_pg_server_free);
  remove_tmpdir (status == 0);
  return status;
}
