/* bench-save.c: latency of one durable signature save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ours: pk_store_add_signature() of a complete signature (validation,
 * duplicate check, one transaction) on a store in WAL mode with
 * synchronous=FULL.
 * Baseline: the least any durable save can cost on this disk: a bare
 * sqlite3 INSERT of a row of the same size and COMMIT, with the same
 * journal mode and sync setting, through a prepared statement.
 * Both write to the same directory and alternate, so that disk noise
 * hits them alike. Figure: median time of one save. Target ≤ 1.5×.
 */
#define G_LOG_DOMAIN "bench-save"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "pk-bench.h"
#include "pk-store.h"

#define N_SAVES 300

static sqlite3_stmt *
baseline_open (const char  *path,
               sqlite3    **out_db)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db,
                       "PRAGMA journal_mode=WAL;"
                       "PRAGMA synchronous=FULL;"
                       "CREATE TABLE signatures (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE,"
                       "  signed_at INTEGER, payload BLOB);",
                       NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO signatures (uuid, signed_at, payload) VALUES (?, ?, ?)",
                             -1, &insert, NULL) != SQLITE_OK)
    g_error ("baseline: %s", sqlite3_errmsg (db));

  *out_db = db;
  return insert;
}

static void
baseline_save (sqlite3      *db,
               sqlite3_stmt *insert,
               const guint8 *payload,
               gsize         payload_size)
{
  g_autofree char *uuid = g_uuid_string_random ();

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("baseline: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, g_get_real_time ());
  sqlite3_bind_blob (insert, 3, payload, (int) payload_size, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    g_error ("baseline: %s", sqlite3_errmsg (db));
  sqlite3_reset (insert);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("baseline: %s", sqlite3_errmsg (db));
}

static PkSignature *
make_signature (guint i)
{
  PkSignature *sig = pk_signature_new ();
  g_autofree char *email = g_strdup_printf ("signer%u@example.org", i);

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "지민");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "김");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "04524");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  return sig;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autofree char *dir = pk_bench_scratch_dir ("bench-save");
  g_autofree char *store_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *baseline_path = g_build_filename (dir, "baseline.db", NULL);
  g_autofree char *petition_path = NULL;
  double ours[N_SAVES], base[N_SAVES];
  guint8 payload[256];
  sqlite3 *db = NULL;
  sqlite3_stmt *insert;

  petition_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT") ?: ".",
                                    "data", "demo", "prisoners-of-conscience.petition", NULL);
  petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  store = pk_store_open (store_path, &error);
  g_assert_no_error (error);
  insert = baseline_open (baseline_path, &db);
  /* About the size of a serialized signature with a short scribble. */
  memset (payload, 0x5a, sizeof payload);

  for (guint i = 0; i < N_SAVES; i++)
    {
      g_autoptr(PkSignature) sig = make_signature (i);
      gint64 start;

      start = pk_bench_now_us ();
      if (!pk_store_add_signature (store, petition, sig, NULL, &error))
        g_error ("store: %s", error->message);
      ours[i] = (pk_bench_now_us () - start) / 1000.0;

      start = pk_bench_now_us ();
      baseline_save (db, insert, payload, sizeof payload);
      base[i] = (pk_bench_now_us () - start) / 1000.0;
    }

  sqlite3_finalize (insert);
  sqlite3_close (db);
  g_clear_object (&store);

  pk_bench_row ("save latency: median durable save of one signature (PkStore vs sqlite3 INSERT+COMMIT, WAL, synchronous=FULL)",
                pk_bench_median (ours, N_SAVES), pk_bench_median (base, N_SAVES), "ms", 1.5);

  pk_bench_rm_rf (dir);
  return 0;
}
