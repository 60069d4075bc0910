/* test-pg-copy.c: a master moved to PostgreSQL and back with
 * copy-master answers count, report and export with the same bytes;
 * a copy cut off by the server going away leaves nothing behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs the real binary (PK_BINARY), as a coordinator does.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-batch-fixture.h"
#include "pk-batch.h"
#include "pk-pg-cli.h"
#include "pk-pg-server.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store.h"
#include "pk-test-skip.h"
#include "pk-test-tree.h"

#define PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"

static PkPgServer *server;
static char *dir;
static char *master;

/* One more batch, from a fifth kiosk, whose signer signed at the first
 * kiosk already: the master then has a duplicate to report. */
static char *
make_duplicate_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PETITION, &error);
  g_autofree char *db = g_build_filename (dir, "kiosk-dup.db", NULL);
  char *path = g_build_filename (dir, "kiosk-dup.pkbatch", NULL);
  g_autoptr(PkStore) store = pk_store_open (db, &error);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(PkBatchInfo) info = NULL;
  PkField field;

  g_assert_no_error (error);
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "민준");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "이");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "k0-b0-0@example.org");
  sig->lang = g_strdup ("de");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->signed_at = G_GINT64_CONSTANT (1790500000000000);
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  g_assert_no_error (error);
  info = pk_batch_close (store, petition, path, &error);
  g_assert_no_error (error);
  return path;
}

/* Two kiosks that transcribed line 3 of one paper sheet, each in its
 * own words, and counted another sheet, each differently: the master
 * then lists a paper line twice and a sheet counted twice. */
static void
make_paper_batches (GPtrArray *files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PETITION, &error);
  g_autofree char *sheet = NULL;
  g_autofree char *counted = NULL;

  g_assert_no_error (error);
  sheet = pk_sheet_serial_format (petition, 42);
  counted = pk_sheet_serial_format (petition, 43);
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *db = g_strdup_printf ("%s/paper-%u.db", dir, k);
      char *path = g_strdup_printf ("%s/paper-%u.pkbatch", dir, k);
      g_autofree char *email = g_strdup_printf ("paper-%u@example.org", k);
      g_autoptr(PkStore) store = pk_store_open (db, &error);
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autoptr(PkBatchInfo) info = NULL;
      PkField field;

      g_assert_no_error (error);
      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, k == 0 ? "지우" : "Jiwu");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      sig->lang = g_strdup ("ko");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      sig->source = PK_SOURCE_PAPER;
      sig->sheet_serial = g_strdup (sheet);
      sig->sheet_line = 3;
      sig->signed_at = G_GINT64_CONSTANT (1790600000000000) + k;
      g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
      g_assert_no_error (error);
      g_assert_true (pk_store_paper_set_count (store, pk_petition_get_id (petition), counted, 7 + k, FALSE, &error));
      g_assert_no_error (error);
      info = pk_batch_close (store, petition, path, &error);
      g_assert_no_error (error);
      g_ptr_array_add (files, path);
    }
}

/* A SQLite master with merged batches, a duplicate, paper lines and
 * sheet counts from two kiosks, and a rejected file. */
static void
make_master (void)
{
  g_autoptr(GPtrArray) files = pk_batch_fixture_make_stick (dir, 6);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(PkPgRun) run = { 0 };

  master = g_build_filename (dir, "master.db", NULL);
  g_ptr_array_add (files, make_duplicate_batch ());
  make_paper_batches (files);
  g_ptr_array_add (args, (gpointer) "merge");
  g_ptr_array_add (args, (gpointer) "--into");
  g_ptr_array_add (args, master);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (args, files->pdata[i]);
  g_ptr_array_add (args, NULL);
  g_ptr_array_set_free_func (files, g_free);
  pk_pg_cli_run (dir, &run, (const char * const *) args->pdata);
  /* The cut file is rejected (exit 4); the others are merged. */
  g_assert_cmpint (run.status, ==, 4);
}

static gboolean
have_everything (void)
{
  if (!pk_pg_server_ready (&server))
    return FALSE;
  if (master == NULL)
    make_master ();
  return TRUE;
}

/* What each reading command prints (or writes) for the master @db. */
static GPtrArray *
read_outputs (const char *db,
              const char *tag)
{
  static const char * const commands[][6] = {
    { "count", NULL },
    { "count", "--json", NULL },
    { "report", NULL },
    { "report", "--json", NULL },
    { "export", "--format", "csv", NULL },
    { "export", "--format", "csv", "--include-duplicates", NULL },
    { "export", "--format", "osdi-json", "--include-duplicates", NULL },
  };
  GPtrArray *outputs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = g_strdup_printf ("%s/out-%s-%u", dir, tag, i);
      gboolean export = g_str_equal (commands[i][0], "export");
      g_auto(PkPgRun) run = { 0 };

      for (guint j = 0; commands[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) commands[i][j]);
      g_ptr_array_add (args, (gpointer) "--db");
      g_ptr_array_add (args, (gpointer) db);
      if (export)
        {
          g_ptr_array_add (args, (gpointer) "--out");
          g_ptr_array_add (args, out);
        }
      g_ptr_array_add (args, NULL);
      pk_pg_cli_run (dir, &run, (const char * const *) args->pdata);
      if (run.status != 0)
        g_error ("%s --db %s: %s", commands[i][0], db, run.err);
      if (export)
        {
          char *contents = NULL;

          g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
          g_ptr_array_add (outputs, contents);
        }
      else
        g_ptr_array_add (outputs, g_steal_pointer (&run.out));
    }
  return outputs;
}

static void
assert_same_outputs (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every row of every table a master holds, each written out with its
 * values' types and bytes (blobs in hex), sorted: two masters with the
 * same rows give the same text. The counts kept by triggers are left
 * out, as copy-master leaves them to the triggers. */
static char *
dump_master (const char *path)
{
  static const char * const tables[] = {
    "settings", "batches", "sealed_keys", "signatures", "merge_signers", "merge_duplicates",
    "merge_imports", "merge_rejected", "sync_state", "sheet_counts", "merge_sheet_counts",
    "merge_sealed", "merge_kiosk_keys", "paper_strikes",
  };
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", tables[t]);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *row = g_string_new (tables[t]);

          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              /* The type before reading the bytes, which converts. */
              int type = sqlite3_column_type (stmt, c);
              const guint8 *bytes = sqlite3_column_blob (stmt, c);
              int n = sqlite3_column_bytes (stmt, c);

              g_string_append_printf (row, " %s:%d:", sqlite3_column_name (stmt, c), type);
              for (int i = 0; i < n; i++)
                g_string_append_printf (row, "%02x", bytes[i]);
            }
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, compare_rows);
      for (guint i = 0; i < rows->len; i++)
        g_string_append_printf (out, "%s\n", (char *) rows->pdata[i]);
    }
  sqlite3_close_v2 (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) on_sqlite = NULL;
  g_autoptr(GPtrArray) on_pg = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *back_path = NULL;

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  back_path = g_build_filename (dir, "back.db", NULL);

  on_sqlite = read_outputs (master, "sqlite");
  /* The master is worth comparing: a duplicate, a rejected file. */
  g_assert_nonnull (strstr (on_sqlite->pdata[2], "Duplicates: 1"));
  g_assert_nonnull (strstr (on_sqlite->pdata[2], "Rejected files: 1"));
  g_assert_nonnull (strstr (on_sqlite->pdata[2], "Sheets counted in more than one batch"));
  g_assert_nonnull (strstr (on_sqlite->pdata[2], "Paper lines transcribed in more than one batch"));

  {
    g_auto(PkPgRun) run = { 0 };

    pk_pg_cli_run (dir, &run, (const char *[]) { "copy-master", "--from", master, "--to", uri, NULL });
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Copied the master with 17 signatures"));
  }
  on_pg = read_outputs (uri, "pg");
  assert_same_outputs (on_sqlite, on_pg);

  {
    g_auto(PkPgRun) run = { 0 };

    pk_pg_cli_run (dir, &run, (const char *[]) { "copy-master", "--from", uri, "--to", back_path, NULL });
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
  }
  back = read_outputs (back_path, "back");
  assert_same_outputs (on_sqlite, back);
  /* And the copy of the copy holds every row, id and byte of the
   * original. */
  {
    g_autofree char *before = dump_master (master);
    g_autofree char *after = dump_master (back_path);

    g_assert_nonnull (strstr (before, "signatures id:1:"));
    g_assert_cmpstr (before, ==, after);
  }

  /* Neither target is ever written over. */
  {
    g_auto(PkPgRun) run = { 0 };

    pk_pg_cli_run (dir, &run, (const char *[]) { "copy-master", "--from", master, "--to", uri, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "is not empty"));
  }
  {
    g_auto(PkPgRun) run = { 0 };

    pk_pg_cli_run (dir, &run, (const char *[]) { "copy-master", "--from", uri, "--to", master, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "exists already"));
  }
  assert_same_outputs (on_sqlite, on_pg);
}

/* The server stops (as in a power cut) while copy-master is half-way:
 * it says so, and after the restart the target holds nothing of it. */
static void
test_server_goes_away (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) copy = NULL;
  g_autoptr(PkStore) target = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  PGconn *blocker;
  PGresult *res;

  if (!have_everything ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  target = pk_store_open_master (uri, &error);
  g_assert_no_error (error);
  g_clear_object (&target);

  /* The copy writes paper_strikes last: holding its lock keeps the
   * copy waiting there, with every other table written in its
   * transaction. */
  blocker = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (blocker), ==, CONNECTION_OK);
  res = PQexec (blocker, "BEGIN; LOCK TABLE paper_strikes IN ACCESS EXCLUSIVE MODE");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);

  argv = pk_pg_cli_argv ((const char *[]) { "copy-master", "--from", master, "--to", uri, NULL });
  copy = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);

  /* Bounded: the copy reaches the lock within moments. */
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 6000);
      if (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM pg_locks WHERE NOT granted") > 0)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM batches"), ==, 0);

  pk_pg_server_kill (server);
  g_subprocess_communicate_utf8 (copy, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  PQfinish (blocker);
  g_assert_cmpint (g_subprocess_get_exit_status (copy), ==, 1);
  g_assert_nonnull (strstr (err, "connection to the database server"));
  g_assert_nonnull (strstr (err, "nothing of it was saved"));

  pk_pg_server_restart (server);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM batches"), ==, 0);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM signatures"), ==, 0);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM settings"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pk-pg-copy-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Pg/copy/round-trip", test_round_trip);
  g_test_add_func ("/Pk/Pg/copy/server-goes-away", test_server_goes_away);

  status = g_test_run ();
  g_clear_pointer (&server, pk_pg_server_free);
  pk_test_remove_tree (dir);
  g_free (dir);
  g_free (master);
  return status;
}
