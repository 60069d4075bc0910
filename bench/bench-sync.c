/* bench-sync.c: OSDI sync throughput against the local test receiver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ours: `petition-kiosk sync --rate 0` sending N signatures from a store
 * to tests/sync/osdi-receiver on 127.0.0.1 (no injected faults): one
 * request per signature, one at a time, each answer parsed and recorded
 * in the store (grouped commits with synchronous=FULL), process start
 * included.
 * Baseline: curl posting the very same request bodies (taken from
 * `sync --dry-run`) in sequence on one kept-alive connection, to a
 * second receiver, in the same run: the most a sequential client can
 * get out of this receiver.
 * Figures: requests per second of each, and time per request with a
 * target of at most 3× curl's.
 */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-bench.h"
#include "pk-signature.h"
#include "pk-store-private.h"
#include "pk-store.h"

#define N_SIGNATURES 3000
#define TOKEN        "bench-token-0c1f"

static void
fill_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (path, &error);
  sqlite3_stmt *stmt = NULL;
  gint64 batch;

  if (store == NULL)
    g_error ("%s", error->message);
  batch = pk_store_get_current_batch (store);
  if (!pk_store_begin (store, &error))
    g_error ("%s", error->message);
  if (sqlite3_prepare_v2 (pk_store_get_db (store),
                          "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, "
                          "lang, consent_hash, opt_in, payload) "
                          "VALUES (?1, 'bench', ?2, ?3, 'kiosk', 'ko', 'bench', 1, ?4)",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (pk_store_get_db (store)));
  for (guint i = 0; i < N_SIGNATURES; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *email = g_strdup_printf ("signer%u@example.org", i);
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "지민");
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "김");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "04524");
      pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
      payload = pk_signature_serialize (sig);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, batch);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      sqlite3_bind_blob (stmt, 4, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (pk_store_get_db (store)));
    }
  sqlite3_finalize (stmt);
  if (!pk_store_commit (store, &error))
    g_error ("%s", error->message);
}

static GSubprocess *
start_receiver (guint *out_port)
{
  g_autofree char *path = g_build_filename (g_getenv ("PK_BUILD_ROOT"), "tests", "sync",
                                            "osdi-receiver", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              path, "--token=" TOKEN, NULL);
  if (process == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL)
    g_error ("receiver did not start");
  *out_port = (guint) g_ascii_strtoull (line, NULL, 10);
  return process;
}

static void
stop_receiver (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_object_unref (process);
}

static void
run_checked (const char * const *argv,
             char              **out_stdout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_newv (argv, (out_stdout != NULL ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                 : G_SUBPROCESS_FLAGS_STDOUT_SILENCE)
                             | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  if (process == NULL
      || !g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, NULL, &error)
      || !g_subprocess_get_if_exited (process)
      || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed%s%s", argv[0], error != NULL ? ": " : "", error != NULL ? error->message : "");
}

/* One curl config: a block per body, separated by `next`, all to the
 * same host so curl keeps the one connection alive. */
static char *
write_curl_config (const char *dir,
                   const char *bodies,
                   const char *url)
{
  g_auto(GStrv) lines = g_strsplit (bodies, "\n", -1);
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "curl.config", NULL);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      if (n++ > 0)
        g_string_append (config, "next\n");
      g_string_append_printf (config, "url = \"%s\"\n", url);
      g_string_append (config, "header = \"OSDI-API-Token: " TOKEN "\"\n");
      g_string_append (config, "header = \"Content-Type: application/json\"\n");
      g_string_append (config, "output = \"/dev/null\"\n");
      g_string_append (config, "data-binary = \"");
      for (const char *p = lines[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (config, '\\');
          g_string_append_c (config, *p);
        }
      g_string_append (config, "\"\n");
    }
  if (n != N_SIGNATURES)
    g_error ("dry run gave %u bodies, expected %u", n, N_SIGNATURES);
  if (!g_file_set_contents (path, config->str, (gssize) config->len, &error))
    g_error ("%s", error->message);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = pk_bench_scratch_dir ("sync");
  g_autofree char *db = g_build_filename (dir, "sync.db", NULL);
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *bodies = NULL;
  g_autofree char *config = NULL;
  g_autofree char *db_arg = NULL;
  g_autofree char *token_arg = NULL;
  g_autofree char *endpoint_ours = NULL;
  g_autofree char *endpoint_curl = NULL;
  g_autofree char *endpoint_arg = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *receiver_ours, *receiver_curl;
  guint port_ours = 0, port_curl = 0;
  gint64 start;
  double ours_s, curl_s;

  if (curl == NULL)
    {
      g_printerr ("bench-sync: curl is not installed; no baseline to compare with\n");
      return 77;
    }

  fill_store (db);
  if (!g_file_set_contents_full (token_file, TOKEN, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);

  receiver_ours = start_receiver (&port_ours);
  receiver_curl = start_receiver (&port_curl);
  endpoint_ours = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/bench/signatures", port_ours);
  endpoint_curl = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/bench/signatures", port_curl);
  db_arg = g_strconcat ("--db=", db, NULL);
  token_arg = g_strconcat ("--token-file=", token_file, NULL);
  endpoint_arg = g_strconcat ("--endpoint=", endpoint_ours, NULL);

  /* The same bodies for curl, from the same store, before sending. */
  {
    const char *dry[] = { g_getenv ("PK_BINARY"), "sync", db_arg, endpoint_arg, "--dry-run", NULL };
    run_checked (dry, &bodies);
  }
  config = write_curl_config (dir, bodies, endpoint_curl);

  {
    const char *baseline[] = { curl, "--silent", "--show-error", "--fail", "--config", config, NULL };
    start = pk_bench_now_us ();
    run_checked (baseline, NULL);
    curl_s = (pk_bench_now_us () - start) / 1e6;
  }
  {
    const char *ours[] = { g_getenv ("PK_BINARY"), "sync", db_arg, endpoint_arg, token_arg,
                           "--rate=0", NULL };
    start = pk_bench_now_us ();
    run_checked (ours, NULL);
    ours_s = (pk_bench_now_us () - start) / 1e6;
  }

  stop_receiver (receiver_ours);
  stop_receiver (receiver_curl);

  pk_bench_row ("sync throughput, rate limit off (req/s; higher is better)",
                N_SIGNATURES / ours_s, N_SIGNATURES / curl_s, "req/s", 0);
  pk_bench_row ("sync time per signature vs curl on one kept-alive connection",
                ours_s * 1000.0 / N_SIGNATURES, curl_s * 1000.0 / N_SIGNATURES, "ms", 3.0);

  pk_bench_rm_rf (dir);
  return 0;
}
