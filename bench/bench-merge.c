/* bench-merge.c: merging encrypted batches into a master (20 × 5,000
 * rows with a third duplicates, and 100 × 10,000), and exporting the
 * million rows as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Setup (not timed): kiosk databases of signatures encrypted under one
 * session key each, sealed to the demo coordinator key (as one kiosk run
 * makes them), some signers also signing at the kiosk before (a third
 * of the rows in the first case, 5 % in the second); each closed into a
 * signed batch file.
 * Merge of 20 × 5,000, baseline: the sqlite3 shell loading the same
 * rows, plain, from CSV with `.import` and grouping them by email: the
 * least any merge has to do (read the rows, find the repeats).
 * Merge of the same 20 files into PostgreSQL (when it is installed;
 * PK_BENCH_MERGE_PG=0 skips it), on one throwaway server
 * (tests/pg/pk-pg-server.c), a fresh database each time. Ours:
 * `petition-kiosk merge --into postgresql://…`. Baseline: psql creating
 * a table of the master's signatures columns plus the signer key the
 * merge deduplicates on, with the master's indexes on it and on that
 * key, then `\copy` of the same rows (payload still encrypted) from one
 * CSV file a batch, one transaction each, and grouping them by signer
 * key: the least a merge into that server has to do.
 * Merge, ours: `petition-kiosk merge --into MASTER --key KEY` on all 100
 * files, process start included: verification (hand-checked header,
 * schema, quick_check, streaming BLAKE2b digest, Ed25519), unsealing,
 * XChaCha20-Poly1305 decryption of every row, deduplication, one
 * transaction per batch with synchronous=FULL.
 * Merge, baseline: the sqlite3 shell doing only the copy: for each file
 * ATTACH + INSERT … SELECT of the same rows (still encrypted) into a
 * master with the same schema, one transaction per file, measured in the
 * same run on the same disk.
 * Export, ours: `petition-kiosk export --format csv` of that master.
 * Export, baseline: `sqlite3 -csv` of the same rows, same joins, same
 * order (payload printed as it is stored).
 */
#define G_LOG_DOMAIN "bench-merge"

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-batch.h"
#include "pk-bench.h"
#include "pk-crypto.h"
#include "pk-keys.h"
#include "pk-pg-server.h"
#include "pk-signature.h"
#include "pk-signer-key.h"
#include "pk-store-private.h"
#include "pk-store.h"

#define N_BATCHES_DEFAULT 100
#define ROWS_PER_BATCH  10000
#define SMALL_BATCHES   20
#define SMALL_ROWS      5000
#define PETITION_ID     "prisoners-of-conscience"

/* PK_BENCH_MERGE_BATCHES overrides the number of batches of the large
 * case (0 skips it), for a quick look; the figures in
 * docs/performance.md use the default. PK_BENCH_MERGE_PG=0 skips the
 * merge into PostgreSQL. */
static guint N_BATCHES = N_BATCHES_DEFAULT;

static const char *given_names[] = { "지민", "서연", "Jürgen", "Ada", "Zoë", "민준", "Lena", "Kwame" };
static const char *family_names[] = { "김", "이", "Müller", "Lovelace", "Ørsted", "박", "Schmidt", "Mensah" };

/* The bytes of the signer key the merge keeps in
 * merge_signers.signer_key: the first 16 of BLAKE2b of pk_signer_key(),
 * as pk-merge.c hashes it. */
#define SIGNER_KEY_BYTES 16

/* Batch @index of @rows signatures in @dir. Every @repeat_every-th row
 * after the first batch is a signer of the batch before signing again
 * (one whose own row is not a repeat). When @csv is not NULL, the rows
 * also go there, plain, for the baseline. When @pg_csv is not NULL,
 * they go there as the PostgreSQL baseline copies them: the columns of
 * the master's signatures, payload still encrypted, and the signer key. */
static void
make_batch (const char   *dir,
            guint         index,
            guint         rows,
            guint         repeat_every,
            const guint8 *coordinator_key,
            GString      *csv,
            GString      *pg_csv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_strdup_printf ("%s/kiosk-%03u.db", dir, index);
  g_autofree char *out = g_strdup_printf ("%s/batch-%03u.pkbatch", dir, index);
  g_autoptr(PkStore) store = pk_store_open (db_path, &error);
  g_autoptr(PkSessionKey) session = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 batch, key_id;

  if (store == NULL)
    g_error ("%s", error->message);
  db = pk_store_get_db (store);
  session = pk_session_key_new (&error);
  if (session == NULL || (sealed = pk_session_key_seal (session, coordinator_key, &error)) == NULL)
    g_error ("%s", error->message);

  batch = pk_store_get_current_batch (store);
  if (!pk_store_begin (store, &error))
    g_error ("%s", error->message);
  if (sqlite3_prepare_v2 (db, "INSERT INTO sealed_keys (sealed) VALUES (?1)", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL), (int) g_bytes_get_size (sealed), SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("%s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  key_id = sqlite3_last_insert_rowid (db);
  sqlite3_exec (db, "UPDATE batches SET petition_id = '" PETITION_ID "'", NULL, NULL, NULL);

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang, "
                          "consent_hash, opt_in, payload, key_id) "
                          "VALUES (?1, '" PETITION_ID "', ?2, ?3, 'kiosk', ?4, "
                          "'0000000000000000000000000000000000000000000000000000000000000000', ?5, ?6, ?7)",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  for (guint i = 0; i < rows; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      guint n = index * rows + i;
      /* Row i + 1 of the batch before is never a repeat itself. */
      guint signer = (i % repeat_every == 0 && index > 0 && i + 1 < rows) ? n - rows + 1 : n;
      g_autofree char *email = g_strdup_printf ("signer%u@example.org", signer);
      g_autofree char *phone = g_strdup_printf ("+8210%08u", signer);
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given_names[n % G_N_ELEMENTS (given_names)]);
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, family_names[n % G_N_ELEMENTS (family_names)]);
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      pk_signature_set_field (sig, PK_FIELD_PHONE, phone);
      pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "04524");
      pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
      if (csv != NULL)
        g_string_append_printf (csv, "%s,%" G_GINT64_FORMAT ",%s,%s,%s,%s,04524,KR\n", uuid,
                                G_GINT64_CONSTANT (1790000000000000) + (gint64) n * 1000, email, phone,
                                given_names[n % G_N_ELEMENTS (given_names)],
                                family_names[n % G_N_ELEMENTS (family_names)]);
      plain = pk_signature_serialize (sig);
      payload = pk_crypto_encrypt_payload (session, plain, uuid, &error);
      if (payload == NULL)
        g_error ("%s", error->message);
      if (pg_csv != NULL)
        {
          g_autofree char *signer_key = pk_signer_key (sig, NULL);
          guint8 signer_hash[SIGNER_KEY_BYTES];
          char signer_hex[2 * SIGNER_KEY_BYTES + 1];
          gsize payload_size = 0;
          const guint8 *payload_data = g_bytes_get_data (payload, &payload_size);
          g_autofree char *payload_hex = g_malloc (2 * payload_size + 1);

          crypto_generichash (signer_hash, sizeof signer_hash, (const guint8 *) signer_key,
                              strlen (signer_key), NULL, 0);
          sodium_bin2hex (signer_hex, sizeof signer_hex, signer_hash, sizeof signer_hash);
          sodium_bin2hex (payload_hex, 2 * payload_size + 1, payload_data, payload_size);
          g_string_append_printf (pg_csv,
                                  "%s," PETITION_ID ",%u,%" G_GINT64_FORMAT ",kiosk,%s,"
                                  "0000000000000000000000000000000000000000000000000000000000000000,"
                                  "%u,\\x%s,1,\\x%s\n",
                                  uuid, index + 1, G_GINT64_CONSTANT (1790000000000000) + (gint64) n * 1000,
                                  n % 3 == 0 ? "ko" : n % 3 == 1 ? "en" : "de", n % 2, payload_hex, signer_hex);
        }

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, batch);
      sqlite3_bind_int64 (stmt, 3, G_GINT64_CONSTANT (1790000000000000) + (gint64) n * 1000);
      sqlite3_bind_text (stmt, 4, n % 3 == 0 ? "ko" : n % 3 == 1 ? "en" : "de", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, n % 2);
      sqlite3_bind_blob (stmt, 6, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, key_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
    }
  sqlite3_finalize (stmt);
  if (!pk_store_commit (store, &error))
    g_error ("%s", error->message);

  info = pk_batch_close (store, NULL, out, &error);
  if (info == NULL)
    g_error ("%s", error->message);
}

/* Runs @argv, waits, and returns its wall time in seconds; its peak RSS
 * in @rss_mib and its CPU time in @cpu_s (either may be NULL). Output
 * goes to @stdout_path (or is discarded). */
static double
run_cpu (const char * const *argv,
         const char         *stdout_path,
         double             *rss_mib,
         double             *cpu_s)
{
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status = 0;
  int out_fd = -1;
  gint64 start;
  double seconds, rss;

  start = pk_bench_now_us ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL
                                 | (stdout_path == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                                 NULL, NULL, &pid, NULL, stdout_path != NULL ? &out_fd : NULL, NULL, &error))
    g_error ("%s", error->message);
  if (stdout_path != NULL)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (out_fd, TRUE);
      g_autoptr(GFile) file = g_file_new_for_path (stdout_path);
      g_autoptr(GFileOutputStream) outs = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);

      if (outs == NULL
          || g_output_stream_splice (G_OUTPUT_STREAM (outs), in,
                                     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                     NULL, &error) < 0)
        g_error ("%s", error->message);
    }
  rss = pk_bench_child_wait (pid, &status, cpu_s);
  seconds = (pk_bench_now_us () - start) / 1e6;
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  if (rss_mib != NULL)
    *rss_mib = rss;
  return seconds;
}

static double
run (const char * const *argv,
     const char         *stdout_path,
     double             *rss_mib)
{
  return run_cpu (argv, stdout_path, rss_mib, NULL);
}

static char *
baseline_script (const char *dir)
{
  GString *sql = g_string_new ("PRAGMA synchronous=FULL;\n");

  for (guint i = 0; i < N_BATCHES; i++)
    g_string_append_printf (sql,
                            "ATTACH '%s/batch-%03u.pkbatch' AS b;\n"
                            "BEGIN;\n"
                            "INSERT INTO batches (uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at, origin) "
                            "SELECT uuid, petition_id, kiosk_id, kiosk_name, event, opened_at, closed_at, 'imported' FROM b.batch;\n"
                            "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang, consent_hash, "
                            "opt_in, sheet_serial, sheet_line, payload) "
                            "SELECT s.uuid, '" PETITION_ID "', (SELECT id FROM batches WHERE uuid = (SELECT uuid FROM b.batch)), "
                            "s.signed_at, s.source, s.lang, s.consent_hash, s.opt_in, s.sheet_serial, s.sheet_line, s.payload "
                            "FROM b.signatures s;\n"
                            "COMMIT;\n"
                            "DETACH b;\n",
                            dir, i);
  return g_string_free (sql, FALSE);
}

/* `@binary merge --into @master --key @key_path` on the @n batch files
 * in @dir, process start included; its wall time in seconds. */
static double
run_merge (const char *binary,
           const char *dir,
           guint       n,
           const char *master,
           const char *key_path,
           double     *rss_mib,
           double     *cpu_s)
{
  g_autoptr(GPtrArray) merge_argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (merge_argv, g_strdup (binary));
  g_ptr_array_add (merge_argv, g_strdup ("merge"));
  g_ptr_array_add (merge_argv, g_strdup ("--into"));
  g_ptr_array_add (merge_argv, g_strdup (master));
  g_ptr_array_add (merge_argv, g_strdup ("--key"));
  g_ptr_array_add (merge_argv, g_strdup (key_path));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (merge_argv, g_strdup_printf ("%s/batch-%03u.pkbatch", dir, i));
  g_ptr_array_add (merge_argv, NULL);
  return run_cpu ((const char * const *) merge_argv->pdata, NULL, rss_mib, cpu_s);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

#define SMALL_RUNS 5

/* The PostgreSQL baseline's script: the master's signatures (columns
 * and indexes as pk-store-pg.c's first step makes them, without the
 * foreign keys to tables it does not have) plus the signer key, indexed
 * as merge_signers' primary key indexes it; one `\copy` of each batch's
 * rows, each its own transaction as each batch of the merge is; then
 * the repeats found by grouping on that key. */
static char *
pg_baseline_script (const char *dir)
{
  GString *sql = g_string_new (
    "CREATE TABLE signatures ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  uuid text COLLATE \"C\" NOT NULL UNIQUE,"
    "  petition_id text COLLATE \"C\" NOT NULL,"
    "  batch_id bigint NOT NULL,"
    "  signed_at bigint NOT NULL,"
    "  source text COLLATE \"C\" NOT NULL CHECK (source IN ('kiosk', 'paper')),"
    "  lang text COLLATE \"C\" NOT NULL,"
    "  consent_hash text COLLATE \"C\" NOT NULL,"
    "  opt_in bigint NOT NULL DEFAULT 0 CHECK (opt_in IN (0, 1)),"
    "  sheet_serial text COLLATE \"C\","
    "  sheet_line bigint,"
    "  payload bytea NOT NULL,"
    "  key_id bigint,"
    "  exported bigint NOT NULL DEFAULT 0 CHECK (exported IN (0, 1)),"
    "  sensitive_consent_hash text COLLATE \"C\","
    "  dedup_key text COLLATE \"C\","
    "  signer_key bytea NOT NULL"
    ");\n"
    "CREATE INDEX signatures_batch ON signatures (batch_id);\n"
    "CREATE INDEX signatures_order ON signatures (signed_at, uuid);\n"
    "CREATE INDEX signatures_dedup_key ON signatures (petition_id, dedup_key) WHERE dedup_key IS NOT NULL;\n"
    "CREATE UNIQUE INDEX signatures_sheet_line ON signatures (sheet_serial, sheet_line, batch_id)"
    " WHERE sheet_serial IS NOT NULL;\n"
    "CREATE INDEX signatures_batch_key ON signatures (batch_id, key_id) WHERE key_id IS NOT NULL;\n"
    "CREATE INDEX signatures_signer ON signatures (petition_id, signer_key);\n");

  for (guint i = 0; i < SMALL_BATCHES; i++)
    g_string_append_printf (sql,
                            "\\copy signatures (uuid, petition_id, batch_id, signed_at, source, lang, "
                            "consent_hash, opt_in, payload, key_id, signer_key) FROM '%s/pg-%03u.csv' "
                            "WITH (FORMAT csv)\n",
                            dir, i);
  g_string_append (sql,
                   "SELECT signer_key, min (signed_at), count(*) FROM signatures"
                   " GROUP BY signer_key HAVING count(*) > 1;\n");
  return g_string_free (sql, FALSE);
}

/* The 20 files of bench_small() in @dir merged into a fresh database on
 * a throwaway PostgreSQL server, against psql copying the same rows
 * into an indexed table (pg_baseline_script()), in SMALL_RUNS alternate
 * rounds on the same server with the same settings; medians compared. */
static void
bench_small_pg (const char *dir,
                const char *key_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPgServer) server = pk_pg_server_start ();
  g_autofree char *script_path = g_build_filename (dir, "pg-baseline.sql", NULL);
  g_autofree char *script = pg_baseline_script (dir);
  g_autofree char *psql = g_build_filename (pk_pg_server_get_bin (server), "psql", NULL);
  double ours[SMALL_RUNS], baseline[SMALL_RUNS];

  if (!g_file_set_contents (script_path, script, -1, &error))
    g_error ("%s", error->message);

  for (guint r = 0; r < SMALL_RUNS; r++)
    {
      g_autofree char *copied = pk_pg_server_create_database (server);
      g_autofree char *merged = pk_pg_server_create_database (server);
      g_autofree char *copied_uri = pk_pg_server_uri (server, copied, NULL);
      g_autofree char *merged_uri = pk_pg_server_uri (server, merged, NULL);
      const char *psql_argv[] = { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", copied_uri,
                                  "-f", script_path, NULL };
      g_autofree char *drop_copied = g_strdup_printf ("DROP DATABASE %s", copied);
      g_autofree char *drop_merged = g_strdup_printf ("DROP DATABASE %s", merged);

      baseline[r] = run (psql_argv, NULL, NULL);
      ours[r] = run_merge (g_getenv ("PK_BINARY"), dir, SMALL_BATCHES, merged_uri, key_path, NULL, NULL);
      /* Both hold every row; a round's databases go, so that the next
       * round's start as empty on a disk no fuller. */
      if (pk_pg_server_query_int64 (server, copied, "SELECT count(*) FROM signatures")
          != pk_pg_server_query_int64 (server, merged, "SELECT count(*) FROM signatures"))
        g_error ("the merge and the copy hold different numbers of rows");
      pk_pg_server_exec (server, "postgres", drop_copied);
      pk_pg_server_exec (server, "postgres", drop_merged);
    }
  pk_bench_row ("merge 20 × 5,000 encrypted rows into PostgreSQL (vs psql \\copy into an indexed table "
                "+ GROUP BY signer key)",
                pk_bench_median (ours, SMALL_RUNS), pk_bench_median (baseline, SMALL_RUNS), "s", 0);
}

/* 20 × 5,000 rows, a third of them repeats, against sqlite3 loading the
 * same rows from CSV and grouping them by email. Both run SMALL_RUNS
 * times, alternately, into a fresh database each time; the medians are
 * compared, so that another process's burst on this shared machine
 * does not decide the ratio. PK_BENCH_MERGE_AGAINST names another
 * build's petition-kiosk (say, main's) whose merge of the same files
 * runs in the same rounds, for the speed-up of a change. */
static void
bench_small (const PkCoordinatorKey *key,
             const char             *key_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pk_bench_scratch_dir ("merge-small");
  g_autofree char *rows_path = g_build_filename (dir, "rows.csv", NULL);
  g_autofree char *master = g_build_filename (dir, "master.db", NULL);
  g_autofree char *loaded = g_build_filename (dir, "loaded.db", NULL);
  g_autofree char *import = g_strdup_printf (".import --csv %s signers", rows_path);
  g_autoptr(GString) csv = g_string_new (NULL);
  const char *sqlite_argv[] = {
    "sqlite3", loaded,
    "CREATE TABLE signers (uuid TEXT, signed_at INTEGER, email TEXT, phone TEXT, given_name TEXT,"
    " family_name TEXT, postal_code TEXT, country TEXT)",
    import,
    "SELECT email, min(signed_at), count(*) FROM signers GROUP BY email HAVING count(*) > 1",
    NULL
  };
  double ours[SMALL_RUNS], baseline[SMALL_RUNS], ours_cpu[SMALL_RUNS], baseline_cpu[SMALL_RUNS];
  double other[SMALL_RUNS], other_cpu[SMALL_RUNS];
  const char *against = g_getenv ("PK_BENCH_MERGE_AGAINST");
  gboolean with_pg = g_strcmp0 (g_getenv ("PK_BENCH_MERGE_PG"), "0") != 0 && pk_pg_server_is_installed ();

  for (guint i = 0; i < SMALL_BATCHES; i++)
    {
      g_autoptr(GString) pg_csv = with_pg ? g_string_new (NULL) : NULL;

      make_batch (dir, i, SMALL_ROWS, 3, key->public_key, csv, pg_csv);
      if (pg_csv != NULL)
        {
          g_autofree char *pg_path = g_strdup_printf ("%s/pg-%03u.csv", dir, i);

          if (!g_file_set_contents (pg_path, pg_csv->str, pg_csv->len, &error))
            g_error ("%s", error->message);
        }
    }
  if (!g_file_set_contents (rows_path, csv->str, csv->len, &error))
    g_error ("%s", error->message);

  for (guint r = 0; r < SMALL_RUNS; r++)
    {
      remove_database (loaded);
      baseline[r] = run_cpu (sqlite_argv, NULL, NULL, &baseline_cpu[r]);
      remove_database (master);
      ours[r] = run_merge (g_getenv ("PK_BINARY"), dir, SMALL_BATCHES, master, key_path, NULL, &ours_cpu[r]);
      if (against != NULL)
        {
          remove_database (master);
          other[r] = run_merge (against, dir, SMALL_BATCHES, master, key_path, NULL, &other_cpu[r]);
        }
    }
  pk_bench_row ("merge 20 × 5,000 encrypted rows, a third repeats (vs sqlite3 .import + GROUP BY email)",
                pk_bench_median (ours, SMALL_RUNS), pk_bench_median (baseline, SMALL_RUNS), "s", 5.0);
  pk_bench_row ("the same merge, CPU time (user + system) of each process",
                pk_bench_median (ours_cpu, SMALL_RUNS), pk_bench_median (baseline_cpu, SMALL_RUNS), "s", 5.0);
  if (against != NULL)
    {
      pk_bench_row ("the same merge (vs PK_BENCH_MERGE_AGAINST's merge of the same files)",
                    pk_bench_median (ours, SMALL_RUNS), pk_bench_median (other, SMALL_RUNS), "s", 1.0 / 3);
      pk_bench_row ("the same merge, CPU time (vs PK_BENCH_MERGE_AGAINST's)",
                    pk_bench_median (ours_cpu, SMALL_RUNS), pk_bench_median (other_cpu, SMALL_RUNS), "s", 0);
    }

  if (with_pg)
    bench_small_pg (dir, key_path);
  else if (g_strcmp0 (g_getenv ("PK_BENCH_MERGE_PG"), "0") == 0)
    g_printerr ("bench-merge: skipped the merge into PostgreSQL (PK_BENCH_MERGE_PG=0)\n");
  else
    g_printerr ("bench-merge: skipped the merge into PostgreSQL: it is not installed "
                "(Debian: apt install postgresql)\n");

  if (g_getenv ("PK_BENCH_KEEP") == NULL)
    pk_bench_rm_rf (dir);
  else
    g_printerr ("bench-merge: kept %s\n", dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                "DEMO-ONLY-coordinator.key", NULL);
  g_autoptr(PkCoordinatorKey) key = pk_coordinator_key_load (key_path, &error);
  g_autofree char *master = NULL;
  g_autofree char *baseline_master = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *baseline_csv = NULL;
  const char *binary = g_getenv ("PK_BINARY");
  double ours, baseline, rss = 0, baseline_rss = 0;
  gint64 start;

  if (key == NULL)
    g_error ("%s", error->message);
  if (g_getenv ("PK_BENCH_MERGE_BATCHES") != NULL)
    N_BATCHES = (guint) g_ascii_strtoull (g_getenv ("PK_BENCH_MERGE_BATCHES"), NULL, 10);

  bench_small (key, key_path);
  if (N_BATCHES == 0)
    return 0;

  dir = pk_bench_scratch_dir ("merge");
  master = g_build_filename (dir, "master.db", NULL);
  baseline_master = g_build_filename (dir, "baseline-master.db", NULL);
  script_path = g_build_filename (dir, "baseline.sql", NULL);
  csv = g_build_filename (dir, "export.csv", NULL);
  baseline_csv = g_build_filename (dir, "baseline.csv", NULL);

  start = pk_bench_now_us ();
  for (guint i = 0; i < N_BATCHES; i++)
    make_batch (dir, i, ROWS_PER_BATCH, 20, key->public_key, NULL, NULL);
  g_printerr ("bench-merge: made %u batch files in %.1f s\n", N_BATCHES, (pk_bench_now_us () - start) / 1e6);

  /* The baseline's master: an empty store of the same schema. */
  {
    g_autoptr(PkStore) store = pk_store_open (baseline_master, &error);

    if (store == NULL)
      g_error ("%s", error->message);
  }
  script = baseline_script (dir);
  if (!g_file_set_contents (script_path, script, -1, &error))
    g_error ("%s", error->message);
  {
    g_autofree char *init = g_strdup_printf (".read %s", script_path);
    const char *sqlite_argv[] = { "sqlite3", baseline_master, init, NULL };

    baseline = run (sqlite_argv, NULL, &baseline_rss);
  }

  ours = run_merge (binary, dir, N_BATCHES, master, key_path, &rss, NULL);

  {
    g_autofree char *what = g_strdup_printf ("merge %u × 10,000 encrypted rows (vs sqlite3 ATTACH + INSERT…SELECT)", N_BATCHES);

    pk_bench_row (what, ours, baseline, "s", 3.0);
  }
  pk_bench_row_limit ("merge peak RSS (MiB; baseline: sqlite3's)", rss, baseline_rss, "MiB", 200.0);

  {
    const char *export_argv[] = { binary, "export", "--db", master, "--format", "csv", "--out", csv, NULL };
    const char *sqlite_argv[] = {
      "sqlite3", "-csv", master,
      "SELECT s.uuid, s.signed_at, s.source, s.lang, s.consent_hash, s.opt_in, s.sheet_serial, "
      "s.sheet_line, s.payload, b.uuid, b.kiosk_id, b.kiosk_name, b.event, i.kiosk_fingerprint "
      "FROM signatures s JOIN batches b ON b.id = s.batch_id "
      "LEFT JOIN merge_imports i ON i.batch_id = b.id "
      "LEFT JOIN merge_duplicates d ON d.uuid = s.uuid "
      "WHERE d.uuid IS NULL ORDER BY s.signed_at, s.uuid",
      NULL
    };

    baseline = run (sqlite_argv, baseline_csv, NULL);
    ours = run (export_argv, NULL, &rss);
    pk_bench_row ("CSV export of the merged master (vs sqlite3 -csv)", ours, baseline, "s", 2.0);
  }

  /* PK_BENCH_KEEP=1 keeps the files, to profile a step by hand. */
  if (g_getenv ("PK_BENCH_KEEP") == NULL)
    pk_bench_rm_rf (dir);
  else
    g_printerr ("bench-merge: kept %s\n", dir);
  return 0;
}
