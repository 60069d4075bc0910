/* test-mixed-batch.c: a batch that holds rows sealed to two coordinator
 * keys (issue 17) is counted by key and merged row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk never writes one (a key change closes the batch), so the two
 * ways it can still happen are made here: a kiosk key holder who forges
 * it, and a kiosk of an older version, before the store recorded whom a
 * session key is sealed to.
 */
#define G_LOG_DOMAIN "test-mixed-batch"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pk-alloc-fault.h"
#include "pk-batch-fixture.h"
#include "pk-keys.h"
#include "pk-merge.h"
#include "pk-proof.h"
#include "pk-sqlite.h"
#include "pk-store-private.h"

typedef struct {
  char *dir;
  char *db;
  char *batch;
  char *master;
  PkFixtureCoordinator real;
  PkFixtureCoordinator evil;
} Mixed;

static void
mixed_setup (Mixed *m)
{
  m->dir = pk_proof_make_tmpdir ();
  m->db = g_build_filename (m->dir, "kiosk.db", NULL);
  m->batch = g_build_filename (m->dir, "mixed.pkbatch", NULL);
  m->master = g_build_filename (m->dir, "master.db", NULL);
  pk_batch_fixture_coordinator_make (&m->real, m->dir, "real");
  pk_batch_fixture_coordinator_make (&m->evil, m->dir, "evil");
}

static void
mixed_teardown (Mixed *m)
{
  pk_proof_rm_rf (m->dir);
  g_free (m->dir);
  g_free (m->db);
  g_free (m->batch);
  g_free (m->master);
  pk_batch_fixture_coordinator_clear (&m->real);
  pk_batch_fixture_coordinator_clear (&m->evil);
}

static void
exec_sql (PkStore    *store,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  if (strstr (text, line) == NULL)
    g_error ("“%s” is not in:\n%s", line, text);
}

static void
make_mixed_batch (Mixed *m)
{
  pk_batch_fixture_make_mixed (m->db, m->batch, &m->real, &m->evil);
}

/* Two rows for the real coordinator and one for the evil one in one
 * batch, signed by the kiosk's own key: what someone holding a kiosk
 * key could write. */
static void
test_forged (void)
{
  Mixed m = { NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;

  mixed_setup (&m);
  make_mixed_batch (&m);

  {
    const char *args[] = { "verify", m.batch, NULL };

    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    line = g_strdup_printf ("  2 rows sealed to coordinator %s\n", m.real.fingerprint);
    assert_has_line (out, line);
    g_free (line);
    line = g_strdup_printf ("  1 row sealed to coordinator %s\n", m.evil.fingerprint);
    assert_has_line (out, line);
  }

  /* The real coordinator imports the two rows sealed to them; the third
   * is kept, counted and named, not dropped. */
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.real.key_path, m.batch, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, &err), ==, 0);
    assert_has_line (out, "added 2, duplicates 0, rejected 0\n");
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("kept sealed 1, for coordinator %s", m.evil.fingerprint);
    assert_has_line (out, line);
    assert_has_line (err, "mixes coordinator keys");
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 2);
  }

  /* The evil key's holder, later, without the file: the kept row. */
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.evil.key_path, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    g_assert_null (strstr (out, "kept sealed"));
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 3);
  }

  mixed_teardown (&m);
}

/* A kiosk of an older version put both keys in one batch and did not
 * record whom each session key is sealed to. */
static void
test_older_kiosk (void)
{
  Mixed m = { NULL };
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;

  mixed_setup (&m);
  /* Rows as an older store left them: in one batch, and no record of
   * the key each session key is sealed to. */
  store = pk_store_open (m.db, &error);
  g_assert_no_error (error);
  pk_batch_fixture_add (store, m.real.petition, "one@example.org");
  pk_batch_fixture_add (store, m.evil.petition, "two@example.org");
  exec_sql (store, "UPDATE signatures SET batch_id = (SELECT min(batch_id) FROM signatures);"
                   "UPDATE sealed_keys SET coordinator_key = NULL");
  g_clear_object (&store);
  pk_batch_fixture_close (m.db, m.batch);

  {
    const char *args[] = { "verify", m.batch, NULL };

    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "  2 rows sealed to a coordinator key the file does not name\n");
  }
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.real.key_path, m.batch, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    assert_has_line (out, "kept sealed 1, for a coordinator key the batch does not name\n");
  }
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.evil.key_path, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 2);
  }

  mixed_teardown (&m);
}

/* A master that keeps one row of a forged mixed batch sealed for the
 * evil coordinator, after the real one merged the two rows sealed to
 * them: in @m->master, closed. */
static gint64
count_sql (PkStore    *store,
           const char *sql)
{
  gint64 n = -1;

  g_assert_cmpint (pk_sqlite_query_int64 (pk_store_get_db (store), sql, &n), ==, SQLITE_OK);
  return n;
}

static void
make_master_with_kept_row (Mixed *m)
{
  const char *args[] = { "merge", "--into", m->master, "--key", m->real.key_path, m->batch, NULL };

  make_mixed_batch (m);
  g_assert_cmpint (pk_proof_run_cli (args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_cli_count (m->master), ==, 2);
}

/* The rows kept sealed, per coordinator key, as "fingerprint=rows ". */
static char *
kept_sealed (PkStore *master)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counts = pk_merge_count_sealed (master, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < counts->len; i++)
    {
      PkMergeSealedCount *count = counts->pdata[i];

      g_string_append_printf (text, "%s=%" G_GINT64_FORMAT " ", count->fingerprint, count->rows);
    }
  return g_string_free (text, FALSE);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_true (g_file_set_contents (to, contents, length, &error));
  g_assert_no_error (error);
}

/* Opening the kept row with the evil coordinator's key while SQLite
 * fails at its K-th allocation, for every K in turn (pk-alloc-fault.h):
 * either the row moves into the signatures, or the master says it
 * failed, as a master error (never a bad batch), and has not changed;
 * the same opening then works. Counting the kept rows fails the same
 * way, or counts right. */
static void
test_open_sealed_faults (void)
{
  Mixed m = { NULL };
  g_autoptr(PkCoordinatorKey) evil = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept_line = NULL;
  g_autofree char *path = NULL;
  gint64 step = pk_alloc_fault_step ();
  gint64 k;
  guint failures = 0;
  guint count_failures = 0;

  mixed_setup (&m);
  make_master_with_kept_row (&m);
  evil = pk_coordinator_key_load (m.evil.key_path, &error);
  g_assert_no_error (error);
  kept_line = g_strdup_printf ("%s=1 ", m.evil.fingerprint);
  path = g_build_filename (m.dir, "faulty-master.db", NULL);

  for (k = 1; ; k += step)
    {
      g_autoptr(PkStore) master = NULL;
      g_autoptr(PkMerge) merge = NULL;
      g_autoptr(GPtrArray) counts = NULL;
      g_autofree char *kept = NULL;
      PkMergeResult result = { 0, };
      gboolean ok = FALSE;
      gboolean reached;
      gboolean count_reached;

      copy_file (m.master, path);
      master = pk_store_open (path, &error);
      g_assert_no_error (error);

      pk_alloc_fault_arm (k);
      counts = pk_merge_count_sealed (master, &error);
      count_reached = pk_alloc_fault_disarm ();
      if (counts == NULL)
        {
          g_assert_true (count_reached);
          /* The master failed, not a batch file. */
          g_assert_true (error->domain == PK_STORE_ERROR);
          {
            g_autofree char *display = g_filename_display_name (path);
            g_autofree char *expected = g_strdup_printf ("Error in %s while counting the rows kept sealed: ",
                                                         display);

            g_assert_true (g_str_has_prefix (error->message, expected));
          }
          g_clear_error (&error);
          count_failures++;
        }
      else
        {
          g_assert_cmpuint (counts->len, ==, 1);
          g_assert_cmpint (((PkMergeSealedCount *) counts->pdata[0])->rows, ==, 1);
        }

      pk_alloc_fault_arm (k);
      merge = pk_merge_new (master, evil, NULL, NULL, &error);
      if (merge != NULL)
        ok = pk_merge_open_sealed (merge, &result, &error);
      g_clear_pointer (&merge, pk_merge_free);
      reached = pk_alloc_fault_disarm ();

      if (!ok)
        {
          g_assert_true (reached);
          g_assert_nonnull (error);
          g_assert_true (error->domain == PK_STORE_ERROR);
          g_test_message ("allocation %" G_GINT64_FORMAT ": %s", k, error->message);
          pk_alloc_fault_assert_said (error);
          g_clear_error (&error);
          failures++;
          /* Nothing moved: two rows, and the third still kept. */
          g_assert_cmpint (result.added, ==, 0);
          g_assert_cmpuint (pk_store_count (master, NULL), ==, 2);
          kept = kept_sealed (master);
          g_assert_cmpstr (kept, ==, kept_line);
          g_clear_pointer (&kept, g_free);

          merge = pk_merge_new (master, evil, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_true (pk_merge_open_sealed (merge, &result, &error));
          g_assert_no_error (error);
          g_clear_pointer (&merge, pk_merge_free);
        }
      g_assert_cmpint (result.added, ==, 1);
      g_assert_cmpuint (pk_store_count (master, NULL), ==, 3);
      kept = kept_sealed (master);
      g_assert_cmpstr (kept, ==, "");

      g_clear_object (&master);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

          g_unlink (file);
        }
      if (!reached && !count_reached)
        break;
    }
  g_test_message ("some %" G_GINT64_FORMAT " allocations, %u failures of the opening, %u of the count",
                  k, failures, count_failures);
  g_assert_cmpuint (failures, >, 0);
  g_assert_cmpuint (count_failures, >, 0);

  mixed_teardown (&m);
}

/* Flips a bit in the last byte, the authentication tag's, of the kept
 * row's payload. */
static void
flip_kept_payload (PkStore *master)
{
  sqlite3 *db = pk_store_get_db (master);
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autofree guint8 *payload = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT payload FROM merge_sealed", -1, &read, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (read), ==, SQLITE_ROW);
  n = sqlite3_column_bytes (read, 0);
  g_assert_cmpint (n, >, 0);
  payload = g_memdup2 (sqlite3_column_blob (read, 0), (gsize) n);
  payload[n - 1] ^= 1;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE merge_sealed SET payload = ?1", -1, &write, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (write, 1, payload, n, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);
}

/* A kept row whose payload was changed in the master: its session key
 * opens, the payload does not. The opening stops with the key error and
 * moves nothing, not even the rows before it. */
static void
test_open_sealed_tampered (void)
{
  Mixed m = { NULL };
  g_autoptr(PkCoordinatorKey) evil = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept_line = NULL;
  g_autofree char *kept = NULL;
  PkMergeResult result = { 0, };

  mixed_setup (&m);
  make_master_with_kept_row (&m);
  evil = pk_coordinator_key_load (m.evil.key_path, &error);
  g_assert_no_error (error);
  master = pk_store_open (m.master, &error);
  g_assert_no_error (error);
  flip_kept_payload (master);

  merge = pk_merge_new (master, evil, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pk_merge_open_sealed (merge, &result, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY);
  g_assert_cmpstr (error->message, ==, "A row could not be decrypted with the coordinator's key");
  g_assert_cmpint (result.added, ==, 0);
  g_assert_cmpuint (pk_store_count (master, NULL), ==, 2);
  kept_line = g_strdup_printf ("%s=1 ", m.evil.fingerprint);
  kept = kept_sealed (master);
  g_assert_cmpstr (kept, ==, kept_line);

  g_clear_pointer (&merge, pk_merge_free);
  g_clear_object (&master);
  mixed_teardown (&m);
}

/* The master failing to keep the row sealed to another coordinator
 * (a trigger that raises, as a full disk would fail that insert): a
 * store error, never a rejected file; nothing of the batch went in, and
 * the same file then merges with its row kept. */
static void
test_keep_sealed_fails (void)
{
  Mixed m = { NULL };
  g_autoptr(PkCoordinatorKey) real = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_line = NULL;
  PkMergeResult result = { 0, };

  mixed_setup (&m);
  make_mixed_batch (&m);
  real = pk_coordinator_key_load (m.real.key_path, &error);
  g_assert_no_error (error);
  master = pk_store_open (m.master, &error);
  g_assert_no_error (error);
  exec_sql (master, "CREATE TRIGGER injected_fault BEFORE INSERT ON merge_sealed "
                    "BEGIN SELECT RAISE(ABORT, 'injected'); END");

  merge = pk_merge_new (master, real, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pk_merge_file (merge, m.batch, &result, &error));
  g_assert_true (error->domain == PK_STORE_ERROR);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_FAILED);
  {
    /* The master's name, so that a coordinator with several knows which. */
    g_autofree char *display = g_filename_display_name (m.master);
    g_autofree char *expected = g_strdup_printf ("Error in %s while merging into the master database: injected",
                                                 display);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);
  g_assert_cmpuint (pk_store_count (master, NULL), ==, 0);
  kept = kept_sealed (master);
  g_assert_cmpstr (kept, ==, "");
  g_clear_pointer (&kept, g_free);
  g_assert_cmpint (count_sql (master, "SELECT count(*) FROM merge_rejected"), ==, 0);

  exec_sql (master, "DROP TRIGGER injected_fault");
  g_assert_true (pk_merge_file (merge, m.batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, 2);
  g_assert_cmpint (result.sealed, ==, 1);
  kept = kept_sealed (master);
  kept_line = g_strdup_printf ("%s=1 ", m.evil.fingerprint);
  g_assert_cmpstr (kept, ==, kept_line);

  g_clear_pointer (&merge, pk_merge_free);
  g_clear_object (&master);
  mixed_teardown (&m);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything starts SQLite. */
  pk_alloc_fault_install ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Batches/mixed-keys/forged", test_forged);
  g_test_add_func ("/Pk/Batches/mixed-keys/older-kiosk", test_older_kiosk);
  g_test_add_func ("/Pk/Batches/mixed-keys/open-sealed-faults", test_open_sealed_faults);
  g_test_add_func ("/Pk/Batches/mixed-keys/open-sealed-tampered", test_open_sealed_tampered);
  g_test_add_func ("/Pk/Batches/mixed-keys/keep-sealed-fails", test_keep_sealed_fails);

  return g_test_run ();
}
