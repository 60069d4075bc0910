/* test-pg-merge.c: several coordinators merging into one master on
 * PostgreSQL at once give what one merge of all their files gives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The batches come from three kiosks whose signers overlap, signed at
 * times that make later files bring earlier signatures: the duplicate
 * rule has groups to re-point. The measure of right is the report of
 * one sequential merge of every file into a SQLite master, compared
 * byte for byte. Everything runs the real binary (PK_BINARY). Each
 * batch keeps who merged it (merge_imports.merged_by), on both.
 */
#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "pk-batch-fixture.h"
#include "pk-batch.h"
#include "pk-pg-cli.h"
#include "pk-pg-server.h"
#include "pk-proof.h"
#include "pk-store.h"
#include "pk-test-skip.h"
#include "pk-test-tree.h"

#define PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
#define N_KIOSKS 3
#define N_BATCHES_PER_KIOSK 2
#define N_FILES (N_KIOSKS * N_BATCHES_PER_KIOSK)
#define N_ROWS 4
/* Each merging process takes this many files, from a different first
 * one: the sets overlap, and together they hold every file. */
#define FILES_PER_PROCESS 4

static PkPgServer *server;
static char *dir;
static GPtrArray *files;
/* The report of the sequential merge of every file into SQLite. */
static char *expected;

/* Kiosk @k's signers are numbers 2k … 2k + 7: each kiosk shares six
 * signers with the next. A kiosk never takes the same signer twice. */
static void
make_batches (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PETITION, &error);

  g_assert_no_error (error);
  files = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < N_KIOSKS; k++)
    {
      g_autofree char *db = g_strdup_printf ("%s/kiosk-%u.db", dir, k);
      g_autoptr(PkStore) store = pk_store_open (db, &error);

      g_assert_no_error (error);
      for (guint b = 0; b < N_BATCHES_PER_KIOSK; b++)
        {
          char *path = g_strdup_printf ("%s/kiosk-%u-%u.pkbatch", dir, k, b);
          g_autoptr(PkBatchInfo) info = NULL;

          for (guint i = 0; i < N_ROWS; i++)
            {
              g_autoptr(PkSignature) sig = pk_signature_new ();
              g_autofree char *email = g_strdup_printf ("signer-%u@example.org", 2 * k + N_ROWS * b + i);
              PkField field;

              pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "지민");
              pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "김");
              pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
              sig->lang = g_strdup ("ko");
              sig->consent = TRUE;
              sig->sensitive_consent = TRUE;
              sig->signed_at = G_GINT64_CONSTANT (1790000000000000)
                               + (gint64) ((5 * k + 3 * b + 7 * i) % 13) * 60 * G_USEC_PER_SEC;
              g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
              g_assert_no_error (error);
            }
          info = pk_batch_close (store, petition, path, &error);
          g_assert_no_error (error);
          g_ptr_array_add (files, path);
        }
    }
}

/* `merge --into @into` of FILES_PER_PROCESS files from @first on. */
static GPtrArray *
merge_args (const char *into,
            guint       first,
            guint       n)
{
  GPtrArray *args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "merge");
  g_ptr_array_add (args, (gpointer) "--into");
  g_ptr_array_add (args, (gpointer) into);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (args, files->pdata[(first + i) % N_FILES]);
  g_ptr_array_add (args, NULL);
  return args;
}

static void
merge_all (const char *into)
{
  g_autoptr(GPtrArray) args = merge_args (into, 0, N_FILES);
  g_auto(PkPgRun) run = { 0 };

  pk_pg_cli_run (dir, &run, (const char * const *) args->pdata);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

static char *
report (const char *db)
{
  g_auto(PkPgRun) run = { 0 };

  pk_pg_cli_run (dir, &run, (const char *[]) { "report", "--db", db, NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

/* What merge_imports.merged_by holds for the merges this test runs. */
static char *
merged_by_sql (void)
{
  return g_strdup_printf ("SELECT count(*) FROM merge_imports WHERE merged_by = '%s@%s'",
                          g_get_user_name (), g_get_host_name ());
}

/* How many rows of the SQLite master @path @sql counts. */
/* How many batches of the SQLite master @path this test's user merged. */
static gint64
merged_by_us (const char *path)
{
  g_autofree char *sql = merged_by_sql ();

  return pk_proof_query_int64 (path, sql);
}

static gboolean
have_everything (void)
{
  if (!pk_pg_server_ready (&server))
    return FALSE;
  if (expected == NULL)
    {
      g_autofree char *master = g_build_filename (dir, "sequential.db", NULL);

      make_batches ();
      merge_all (master);
      expected = report (master);
      g_assert_cmpint (merged_by_us (master), ==, N_FILES);
      /* Worth comparing: signers in several batches. */
      g_assert_null (strstr (expected, "Duplicates: 0"));
      g_assert_nonnull (strstr (expected, "Duplicates: "));
    }
  return TRUE;
}

static GSubprocess *
spawn_merge (const char *uri,
             guint       first,
             guint       n)
{
  g_autoptr(GPtrArray) args = merge_args (uri, first, n);
  g_autoptr(GPtrArray) argv = pk_pg_cli_argv ((const char * const *) args->pdata);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  return process;
}

/* Waits for @process; its exit status (-1 for a signal) and error
 * output. */
static int
finish (GSubprocess  *process,
        char        **out_err)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, out_err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* @n processes at once, on overlapping (for four, also identical) sets
 * of files, into a fresh database that the first of them creates: the
 * same report as the sequential merge, every batch once. */
static void
test_concurrent (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *got = NULL;
  g_autofree char *merged_by = merged_by_sql ();

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);

  for (guint j = 0; j < n; j++)
    g_ptr_array_add (processes, spawn_merge (uri, 2 * j, FILES_PER_PROCESS));
  for (guint j = 0; j < n; j++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (finish (processes->pdata[j], &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
    }

  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM batches"), ==, N_FILES);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM signatures"),
                   ==, N_FILES * N_ROWS);
  /* Each batch says who merged it. */
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, merged_by), ==, N_FILES);
}

/* `merge --into @into @file`. */
static void
merge_one (const char *into,
           const char *file,
           PkPgRun    *run)
{
  pk_pg_cli_run (dir, run, (const char *[]) { "merge", "--into", into, file, NULL });
}

/* A file merged again adds nothing. A forged twin of a merged batch
 * (its uuid and kiosk id, a row taken out and another kiosk's put in, signed
 * with a fresh key) is refused on PostgreSQL exactly as on SQLite: the
 * same output, error and exit code (4), one merge_rejected row, the
 * real batch's rows as they were, the same report. */
static void
test_again_and_twin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(PkBatchReader) forged_reader = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *got = NULL;
  g_autofree char *forged = g_build_filename (dir, "kiosk-0-1-forged.pkbatch", NULL);
  g_autofree char *forged_fp = NULL;
  g_autofree char *real_fp = NULL;
  g_autofree char *sqlite_master = g_build_filename (dir, "twin.db", NULL);
  g_autofree char *sqlite_report = NULL;
  g_autofree char *real_rows = NULL;
  g_autofree char *rejected = NULL;
  g_auto(PkPgRun) on_sqlite = { 0 };
  g_auto(PkPgRun) on_pg = { 0 };

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  merge_all (uri);

  {
    g_auto(PkPgRun) run = { 0 };

    merge_one (uri, files->pdata[1], &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "added 0, duplicates 0, rejected 0\n"));
    g_assert_nonnull (strstr (run.out, "1 file was merged before and added nothing"));
  }
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);

  forged_fp = pk_proof_forge_batch (files->pdata[1], files->pdata[2], forged, FALSE);
  real_fp = pk_proof_batch_fingerprint (files->pdata[1]);
  reader = pk_batch_reader_open (files->pdata[1], &error);
  g_assert_no_error (error);
  forged_reader = pk_batch_reader_open (forged, &error);
  g_assert_no_error (error);
  /* The real batch keeps its file's digest and its rows. */
  real_rows = g_strdup_printf ("SELECT count(*) FROM signatures s JOIN batches b ON b.id = s.batch_id "
                               "WHERE b.uuid = '%s' AND b.file_digest = '%s'",
                               pk_batch_reader_get_info (reader)->uuid,
                               pk_batch_reader_get_info (reader)->file_digest);
  rejected = g_strdup_printf ("SELECT count(*) FROM merge_rejected WHERE file_digest = '%s'",
                              pk_batch_reader_get_info (forged_reader)->file_digest);

  merge_all (sqlite_master);
  merge_one (sqlite_master, forged, &on_sqlite);
  g_assert_cmpint (on_sqlite.status, ==, 4);
  g_assert_nonnull (strstr (on_sqlite.err, ": conflicting copy: "));
  g_assert_nonnull (strstr (on_sqlite.err, real_fp));
  g_assert_nonnull (strstr (on_sqlite.err, forged_fp));
  g_assert_cmpint (pk_proof_query_int64 (sqlite_master, "SELECT count(*) FROM merge_rejected"), ==, 1);
  g_assert_cmpint (pk_proof_query_int64 (sqlite_master, rejected), ==, 1);
  g_assert_cmpint (pk_proof_query_int64 (sqlite_master, real_rows), ==, N_ROWS);
  sqlite_report = report (sqlite_master);

  merge_one (uri, forged, &on_pg);
  g_assert_cmpint (on_pg.status, ==, on_sqlite.status);
  g_assert_cmpstr (on_pg.err, ==, on_sqlite.err);
  g_assert_cmpstr (on_pg.out, ==, on_sqlite.out);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM merge_rejected"), ==, 1);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, rejected), ==, 1);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, real_rows), ==, N_ROWS);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM signatures"),
                   ==, N_FILES * N_ROWS);
  g_clear_pointer (&got, g_free);
  got = report (uri);
  g_assert_cmpstr (got, ==, sqlite_report);
}

/* A batch with a row sealed to another coordinator (pk-batch-fixture's
 * mixed batch): merged with the first coordinator's key, that row is
 * kept sealed (merge_sealed); the other coordinator's `merge --key`,
 * later and without the file, opens it. On PostgreSQL each step says
 * what it says on SQLite, with the same exit code, and leaves the same
 * report. */
static void
test_mixed_keys (void)
{
  PkFixtureCoordinator real = { 0 };
  PkFixtureCoordinator evil = { 0 };
  g_autofree char *kiosk = g_build_filename (dir, "mixed-kiosk.db", NULL);
  g_autofree char *batch = g_build_filename (dir, "mixed.pkbatch", NULL);
  g_autofree char *sqlite_master = g_build_filename (dir, "mixed.db", NULL);
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *kept_line = NULL;
  PkPgRun runs[2][2] = { { { 0 } } };
  char *reports[2][2] = { { NULL } };

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  pk_batch_fixture_coordinator_make (&real, dir, "real");
  pk_batch_fixture_coordinator_make (&evil, dir, "evil");
  pk_batch_fixture_make_mixed (kiosk, batch, &real, &evil);
  kept_line = g_strdup_printf ("kept sealed 1, for coordinator %s", evil.fingerprint);

  for (guint m = 0; m < 2; m++)
    {
      const char *master = m == 0 ? sqlite_master : uri;

      pk_pg_cli_run (dir, &runs[m][0],
                     (const char *[]) { "merge", "--into", master, "--key", real.key_path, batch, NULL });
      reports[m][0] = report (master);
      pk_pg_cli_run (dir, &runs[m][1], (const char *[]) { "merge", "--into", master, "--key", evil.key_path, NULL });
      reports[m][1] = report (master);
    }

  g_assert_cmpint (runs[0][0].status, ==, 0);
  g_assert_nonnull (strstr (runs[0][0].out, "added 2, duplicates 0, rejected 0\n"));
  g_assert_nonnull (strstr (runs[0][0].out, kept_line));
  g_assert_nonnull (strstr (runs[0][0].err, "mixes coordinator keys"));
  g_assert_cmpint (runs[0][1].status, ==, 0);
  g_assert_nonnull (strstr (runs[0][1].out, "added 1, duplicates 0, rejected 0\n"));
  g_assert_null (strstr (runs[0][1].out, "kept sealed"));
  g_assert_cmpint (pk_proof_query_int64 (sqlite_master, "SELECT count(*) FROM merge_sealed"), ==, 0);
  g_assert_cmpint (pk_proof_query_int64 (sqlite_master, "SELECT count(*) FROM signatures"), ==, 3);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM merge_sealed"), ==, 0);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM signatures"), ==, 3);
  /* The kept row was in the report between the two merges. */
  g_assert_cmpstr (reports[0][0], !=, reports[0][1]);

  for (guint step = 0; step < 2; step++)
    {
      g_assert_cmpint (runs[1][step].status, ==, runs[0][step].status);
      g_assert_cmpstr (runs[1][step].out, ==, runs[0][step].out);
      g_assert_cmpstr (runs[1][step].err, ==, runs[0][step].err);
      g_assert_cmpstr (reports[1][step], ==, reports[0][step]);
    }

  for (guint m = 0; m < 2; m++)
    for (guint step = 0; step < 2; step++)
      {
        pk_pg_run_clear (&runs[m][step]);
        g_free (reports[m][step]);
      }
  pk_batch_fixture_coordinator_clear (&real);
  pk_batch_fixture_coordinator_clear (&evil);
}

/* A merge of every file, stopped inside the transaction of its third
 * batch: another session holds an uncommitted row with that batch's
 * uuid, so the merge's insert waits for it. Returns the merge, and the
 * blocking connection. */
static GSubprocess *
spawn_blocked_merge (const char  *database,
                     const char  *uri,
                     PGconn     **out_blocker)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchReader) reader = pk_batch_reader_open (files->pdata[2], &error);
  g_autoptr(PkStore) master = NULL;
  const char *values[] = { NULL };
  GSubprocess *merge;
  PGresult *res;

  g_assert_no_error (error);
  values[0] = pk_batch_reader_get_info (reader)->uuid;
  /* The blocker needs the tables. */
  master = pk_store_open_master (uri, &error);
  g_assert_no_error (error);
  *out_blocker = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (*out_blocker), ==, CONNECTION_OK);
  res = PQexec (*out_blocker, "BEGIN");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  res = PQexecParams (*out_blocker,
                      "INSERT INTO batches (uuid, kiosk_id, opened_at, origin) VALUES ($1, 'blocker', 0, 'imported')",
                      1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);

  merge = spawn_merge (uri, 0, N_FILES);
  /* Bounded: the merge reaches the third batch within moments. */
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      if (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM pg_locks WHERE NOT granted") > 0)
        break;
      g_usleep (10 * 1000);
    }
  return merge;
}

/* The two batches before are in, whole; nothing of the third. */
static void
assert_two_batches_in (const char *database)
{
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM batches"), ==, 2);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM merge_imports"), ==, 2);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM signatures"),
                   ==, 2 * N_ROWS);
}

/* A merge killed half-way leaves the batches it finished; the same
 * command run again completes the master. */
static void
test_killed (void)
{
  g_autoptr(GSubprocess) merge = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  PGconn *blocker = NULL;
  PGresult *res;

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  merge = spawn_blocked_merge (database, uri, &blocker);

  g_subprocess_send_signal (merge, SIGKILL);
  g_assert_cmpint (finish (merge, &err), ==, -1);
  res = PQexec (blocker, "ROLLBACK");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  PQfinish (blocker);
  /* The killed merge's session ends once its insert no longer waits
   * (the server then finds the connection gone) and rolls it back;
   * until then its session holds the merge's advisory lock. */
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      if (pk_pg_server_query_int64 (server, database,
                                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0)
        break;
      g_usleep (10 * 1000);
    }
  assert_two_batches_in (database);

  merge_all (uri);
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
}

/* Runs @sql on @conn, which must work. */
static void
conn_exec (PGconn     *conn,
           const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
}

/* A real deadlock, which the server breaks by giving up on the merge's
 * transaction (SQLSTATE 40P01): the merge runs that batch again and
 * completes, with nothing said. The merge waits on the blocker inside
 * its third batch, holding its advisory lock; a second session holds an
 * uncommitted row with the uuid of that batch's first row and waits for
 * the advisory lock. Once the blocker lets go, the merge waits on that
 * row: a cycle. The second session never looks for deadlocks, so the
 * merge's session finds it and is the one rolled back; the second
 * session then gets the lock (that is how the test knows), and lets go
 * in turn. */
static void
test_deadlock_retried (void)
{
  g_autoptr(GSubprocess) merge = NULL;
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  PkBatchRow row;
  const char *values[1];
  PGconn *blocker = NULL;
  PGconn *holder;
  PGresult *res;

  if (!have_everything ())
    return;
  reader = pk_batch_reader_open (files->pdata[2], &error);
  g_assert_no_error (error);
  g_assert_true (pk_batch_reader_next_row (reader, &row, &error));
  values[0] = row.uuid;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  merge = spawn_blocked_merge (database, uri, &blocker);

  holder = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  conn_exec (holder, "SET deadlock_timeout = '1h'");
  conn_exec (holder, "BEGIN");
  conn_exec (holder, "INSERT INTO batches (uuid, kiosk_id, opened_at, origin) VALUES ('holder', 'holder', 0, 'imported')");
  res = PQexecParams (holder,
                      "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, payload) "
                      "SELECT $1, 'holder', id, 0, 'kiosk', 'en', 'holder', '\\x00' FROM batches WHERE uuid = 'holder'",
                      1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  /* The advisory lock the merge holds, whatever its key (one bigint). */
  g_assert_cmpint (PQsendQuery (holder, "SELECT pg_advisory_xact_lock ((SELECT (classid::bigint << 32) | objid::bigint "
                                        "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted))"),
                   ==, 1);
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      if (pk_pg_server_query_int64 (server, database,
                                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0)
        break;
      g_usleep (10 * 1000);
    }

  conn_exec (blocker, "ROLLBACK");
  PQfinish (blocker);
  /* Bounded: the server looks for the deadlock a second
   * (deadlock_timeout) after the merge starts waiting. */
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      g_assert_cmpint (PQconsumeInput (holder), ==, 1);
      if (!PQisBusy (holder))
        break;
      g_usleep (10 * 1000);
    }
  res = PQgetResult (holder);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  PQclear (res);
  g_assert_null (PQgetResult (holder));
  conn_exec (holder, "ROLLBACK");
  PQfinish (holder);

  g_assert_cmpint (finish (merge, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
}

/* A serialization failure as the server logs it (log_error_verbosity
 * is verbose on the test server). */
#define SERIALIZATION_FAILURE "ERROR:  40001:"

/* A fresh database whose administrator made @level the default
 * isolation level of every session (ALTER DATABASE … SET
 * default_transaction_isolation): the merges run at it. */
static char *
create_isolated_database (const char *level)
{
  char *database = pk_pg_server_create_database (server);
  g_autofree char *alter = g_strdup_printf ("ALTER DATABASE %s SET default_transaction_isolation = '%s'",
                                            database, level);

  pk_pg_server_exec (server, database, alter);
  return database;
}

/* Four processes at once, as in test_concurrent, into a fresh database
 * whose default isolation level is @data (REPEATABLE READ or
 * SERIALIZABLE): the schema made once, the sequential report, and no
 * serialization failure at all. A batch's transaction begins only once
 * the batch before it committed, so its snapshot sees that batch, and
 * no merge starts a batch over for another's sake. */
static void
test_concurrent_isolated (gconstpointer data)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *got = NULL;
  guint failures;

  if (!have_everything ())
    return;
  database = create_isolated_database (data);
  uri = pk_pg_server_uri (server, database, NULL);
  failures = pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE);

  for (guint j = 0; j < 4; j++)
    g_ptr_array_add (processes, spawn_merge (uri, 2 * j, FILES_PER_PROCESS));
  for (guint j = 0; j < 4; j++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (finish (processes->pdata[j], &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
    }

  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM batches"), ==, N_FILES);
  g_assert_cmpint (pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE), ==, failures);
}

/* Waits until, on @database, exactly @on_rows sessions wait for
 * another's transaction to end (for rows it writes) and @on_turn wait
 * for the merges' advisory lock. */
static void
wait_for_waiters (const char *database,
                  gint64      on_rows,
                  gint64      on_turn)
{
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      if (pk_pg_server_query_int64 (server, database,
                                    "SELECT 1000 * count(*) FILTER (WHERE locktype = 'transactionid') "
                                    "  + count(*) FILTER (WHERE locktype = 'advisory') "
                                    "FROM pg_locks WHERE NOT granted") == 1000 * on_rows + on_turn)
        return;
      g_usleep (10 * 1000);
    }
}

/* Another session's transaction, at READ COMMITTED, that writes a new
 * version of every merge_signers row, the same values again: until it
 * ends, a merge's batch that brings one of those signers waits for it
 * (ON CONFLICT waits for the outcome of a row in flight). With @queued,
 * it first waits its turn at the merges' advisory lock, which the merge
 * holds through each try of a batch, and lets go of it once it holds
 * the rows: it gets the rows right after the try it queued behind
 * ended, before the merge's next try begins. Sent without waiting. */
static PGconn *
start_rewriting_signers (const char *uri,
                         gboolean    queued)
{
  PGconn *conn = PQconnectdb (uri);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  conn_exec (conn, "BEGIN ISOLATION LEVEL READ COMMITTED");
  g_assert_cmpint (PQsendQuery (conn, queued ? "SELECT pg_advisory_lock (1347112263); "
                                               "UPDATE merge_signers SET kept_uuid = kept_uuid; "
                                               "SELECT pg_advisory_unlock (1347112263)"
                                             : "UPDATE merge_signers SET kept_uuid = kept_uuid"),
                   ==, 1);
  return conn;
}

/* Waits for @conn's statements, then commits its transaction. */
static void
commit_rewriting_signers (PGconn *conn)
{
  PGresult *res;
  guint updated = 0;

  while ((res = PQgetResult (conn)) != NULL)
    {
      g_assert_cmpint (PQresultStatus (res), !=, PGRES_FATAL_ERROR);
      if (PQresultStatus (res) == PGRES_COMMAND_OK)
        updated += atoi (PQcmdTuples (res));
      PQclear (res);
    }
  g_assert_cmpuint (updated, >, 0);
  conn_exec (conn, "COMMIT");
  PQfinish (conn);
}

/* A real serialization failure (SQLSTATE 40001), with SERIALIZABLE
 * the database's default. The first two files are in; another session
 * writes new versions of their signers' rows (the same values) and
 * holds them while the merge of the other files begins its first batch
 * and, at its first signer the master knows, waits for that session.
 * The session commits: the batch's snapshot is older than those rows,
 * so the server gives up on the batch ("could not serialize access due
 * to concurrent update", in its log). The merge runs the batch again
 * and completes with nothing said; the master is what one sequential
 * merge makes. */
static void
test_serialization_retried (void)
{
  g_autoptr(GSubprocess) merge = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  g_auto(PkPgRun) run = { 0 };
  guint failures;

  if (!have_everything ())
    return;
  database = create_isolated_database ("serializable");
  uri = pk_pg_server_uri (server, database, NULL);
  first = merge_args (uri, 0, 2);
  pk_pg_cli_run (dir, &run, (const char * const *) first->pdata);
  g_assert_cmpint (run.status, ==, 0);
  failures = pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE);

  {
    PGconn *rewriter = start_rewriting_signers (uri, FALSE);

    merge = spawn_merge (uri, 2, N_FILES - 2);
    wait_for_waiters (database, 1, 0);
    commit_rewriting_signers (rewriter);
  }

  g_assert_cmpint (finish (merge, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE), ==, failures + 1);
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
}

/* The same failure at every try of the batch: a second session that
 * rewrites the signers' rows queues behind the merge's try, takes the
 * rows as soon as the first commits, and so the batch, tried again,
 * waits for that one; and so on. After the third try the merge says
 * that another coordinator changed the same data, and exits 1 (the
 * master failed; no file is rejected); the master holds the two files
 * merged before, whole, and nothing of the batch. The same command then
 * completes it. */
static void
test_serialization_exhausted (void)
{
  g_autoptr(GSubprocess) merge = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  g_auto(PkPgRun) run = { 0 };
  PGconn *rewriter;
  guint failures;

  if (!have_everything ())
    return;
  database = create_isolated_database ("serializable");
  uri = pk_pg_server_uri (server, database, NULL);
  first = merge_args (uri, 0, 2);
  pk_pg_cli_run (dir, &run, (const char * const *) first->pdata);
  g_assert_cmpint (run.status, ==, 0);
  failures = pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE);

  rewriter = start_rewriting_signers (uri, FALSE);
  merge = spawn_merge (uri, 2, N_FILES - 2);
  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      PGconn *next = NULL;

      /* The batch's try waits for the rewriter's rows, and no one
       * for the lock: the rewriter before let go of it. */
      wait_for_waiters (database, 1, 0);
      if (attempt < 3)
        {
          /* The next rewriter queues for the lock the try holds, and
           * gets it, and the rows, before the next try. */
          next = start_rewriting_signers (uri, TRUE);
          wait_for_waiters (database, 1, 1);
        }
      commit_rewriting_signers (rewriter);
      rewriter = next;
    }

  g_assert_cmpint (finish (merge, &err), ==, 1);
  g_assert_nonnull (strstr (err, "kiosk-1-0.pkbatch: "));
  g_assert_nonnull (strstr (err, "Another coordinator changed the same data at the same time"));
  g_assert_nonnull (strstr (err, "nothing of it was saved"));
  g_assert_null (strstr (err, "rejected"));
  g_assert_cmpint (pk_pg_server_count_in_log (server, SERIALIZATION_FAILURE), ==, failures + 3);
  assert_two_batches_in (database);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM merge_rejected"), ==, 0);

  merge_all (uri);
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
}

/* The server stops (as in a power cut) in the middle of a batch: the
 * merge says the connection was lost and exits 1 (the master failed,
 * no file is rejected); the batches before are in, nothing of that
 * one; once the server is back, the same command completes it. */
static void
test_server_stopped (void)
{
  g_autoptr(GSubprocess) merge = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  PGconn *blocker = NULL;

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  merge = spawn_blocked_merge (database, uri, &blocker);

  pk_pg_server_kill (server);
  g_assert_cmpint (finish (merge, &err), ==, 1);
  PQfinish (blocker);
  g_assert_nonnull (strstr (err, "kiosk-1-0.pkbatch: "));
  g_assert_nonnull (strstr (err, "connection to the database server"));
  g_assert_nonnull (strstr (err, "nothing of it was saved"));
  g_assert_null (strstr (err, "rejected"));

  pk_pg_server_restart (server);
  assert_two_batches_in (database);
  merge_all (uri);
  got = report (uri);
  g_assert_cmpstr (got, ==, expected);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pk-pg-merge-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/Pk/Pg/merge/two-at-once", GUINT_TO_POINTER (2), test_concurrent);
  g_test_add_data_func ("/Pk/Pg/merge/four-at-once", GUINT_TO_POINTER (4), test_concurrent);
  g_test_add_func ("/Pk/Pg/merge/again-and-twin", test_again_and_twin);
  g_test_add_func ("/Pk/Pg/merge/mixed-keys", test_mixed_keys);
  g_test_add_func ("/Pk/Pg/merge/killed", test_killed);
  g_test_add_func ("/Pk/Pg/merge/deadlock-retried", test_deadlock_retried);
  g_test_add_data_func ("/Pk/Pg/merge/four-at-once-repeatable-read", "repeatable read", test_concurrent_isolated);
  g_test_add_data_func ("/Pk/Pg/merge/four-at-once-serializable", "serializable", test_concurrent_isolated);
  g_test_add_func ("/Pk/Pg/merge/serialization-retried", test_serialization_retried);
  g_test_add_func ("/Pk/Pg/merge/serialization-exhausted", test_serialization_exhausted);
  g_test_add_func ("/Pk/Pg/merge/server-stopped", test_server_stopped);

  status = g_test_run ();
  g_clear_pointer (&server, pk_pg_server_free);
  g_clear_pointer (&files, g_ptr_array_unref);
  pk_test_remove_tree (dir);
  g_free (dir);
  g_free (expected);
  return status;
}
