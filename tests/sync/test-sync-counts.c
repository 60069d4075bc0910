/* test-sync-counts.c: the trigger-kept sync counts stay exact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk_store_sync_counts() reads counters (sync_counts, counts) so that
 * start-up and the Sync page never scan the signatures. Here every step
 * that moves a signature between pending, sent, failed and duplicate is
 * taken on a master, and the counters are compared with a full count
 * done the slow way, straight from the tables.
 */
#define G_LOG_DOMAIN "test-sync-counts"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pk-batch.h"
#include "pk-merge.h"
#include "pk-store-private.h"
#include "pk-store-sync.h"
#include "pk-test-tree.h"

#define PLAIN_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"

/* Microseconds: a fixed day. */
#define T0 G_GINT64_CONSTANT (1790000000000000)

typedef struct {
  const char *given;
  const char *email;
  gint64      at;    /* seconds after T0 */
} Signer;

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static PkStore *
open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (name);
  PkStore *store = pk_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* A kiosk database @name with @signers, closed into @name.pkbatch. */
static char *
make_batch (PkPetition   *petition,
            const char   *name,
            const Signer *signers,
            guint         n_signers)
{
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *file_name = g_strconcat (name, ".pkbatch", NULL);
  g_autoptr(PkStore) store = open_store (db_name);
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *out;

  for (guint i = 0; i < n_signers; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      PkField field;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, signers[i].given);
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Tester");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, signers[i].email);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      sig->signed_at = T0 + signers[i].at * G_USEC_PER_SEC;
      g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
      g_assert_no_error (error);
    }
  out = tmp_path (file_name);
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  return out;
}

static guint64
scalar (PkStore    *store,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  guint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The counters against a full count of the tables: what the sync would
 * send (no sync state, not a duplicate) is what pending says. */
static PkSyncCounts
assert_exact (PkStore *store)
{
  g_autoptr(GError) error = NULL;
  PkSyncCounts counts;

  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.total, ==,
                    scalar (store, "SELECT COUNT(*) FROM signatures s WHERE NOT EXISTS "
                                   "(SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)"));
  g_assert_cmpuint (counts.sent, ==,
                    scalar (store, "SELECT COUNT(*) FROM signatures s JOIN sync_state ss "
                                   "ON ss.uuid = s.uuid WHERE ss.state = 'sent' AND NOT EXISTS "
                                   "(SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)"));
  g_assert_cmpuint (counts.failed, ==,
                    scalar (store, "SELECT COUNT(*) FROM signatures s JOIN sync_state ss "
                                   "ON ss.uuid = s.uuid WHERE ss.state = 'failed' AND NOT EXISTS "
                                   "(SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)"));
  g_assert_cmpuint (counts.pending, ==,
                    scalar (store, "SELECT COUNT(*) FROM signatures s WHERE NOT EXISTS "
                                   "(SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid) "
                                   "AND NOT EXISTS "
                                   "(SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)"));
  return counts;
}

/* The uuid of the signature whose given name is @given (plain rows). */
static char *
uuid_of (PkStore    *store,
         const char *given)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  /* Looked up while @given is still pending, so the pending list has it. */
  items = pk_store_sync_next_pending (store, NULL, NULL, 0, 1000, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      PkSyncItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->sig->fields[PK_FIELD_GIVEN_NAME], given) == 0)
        return g_strdup (item->sig->uuid);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
record (PkStore     *store,
        const char  *uuid,
        PkSyncState  state)
{
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_sync_outcome_free);
  g_autoptr(GError) error = NULL;
  PkSyncOutcome *outcome = g_new0 (PkSyncOutcome, 1);

  outcome->uuid = g_strdup (uuid);
  outcome->state = state;
  if (state == PK_SYNC_STATE_SENT)
    outcome->remote_id = g_strdup ("remote");
  else
    outcome->error = g_strdup ("refused");
  g_ptr_array_add (outcomes, outcome);
  g_assert_true (pk_store_sync_record (store, outcomes, &error));
  g_assert_no_error (error);
}

static void
test_counts_exact (void)
{
  static const Signer kiosk_a[] = {
    { "Alice", "alice@example.org", 100 },
    { "Bob", "bob@example.org", 200 },
    { "Carol", "carol@example.org", 300 },
  };
  /* Alice signed here earlier than at kiosk A, and Bob later: both are
   * the same people, so the master ends up with two duplicates, one of
   * them (A's Alice) already sent before kiosk B's batch came in. */
  static const Signer kiosk_b[] = {
    { "Alice", "alice@example.org", 50 },
    { "Dave", "dave@example.org", 400 },
    { "Bob", "bob@example.org", 500 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *batch_a = NULL;
  g_autofree char *batch_b = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *carol = NULL;
  g_autofree char *dave = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  PkSyncCounts counts, one;
  guint64 n_reset = 0;

  g_assert_no_error (error);
  batch_a = make_batch (petition, "kiosk-a", kiosk_a, G_N_ELEMENTS (kiosk_a));
  batch_b = make_batch (petition, "kiosk-b", kiosk_b, G_N_ELEMENTS (kiosk_b));
  master = open_store ("master.db");

  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 0);

  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch_a, NULL, &error));
  g_assert_no_error (error);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 3);
  g_assert_cmpuint (counts.pending, ==, 3);

  /* A send and a refusal. */
  alice = uuid_of (master, "Alice");
  carol = uuid_of (master, "Carol");
  record (master, alice, PK_SYNC_STATE_SENT);
  record (master, carol, PK_SYNC_STATE_FAILED);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.failed, ==, 1);
  g_assert_cmpuint (counts.pending, ==, 1);

  /* The merge with duplicates: A's (sent) Alice and B's Bob are later
   * signatures of signers already in, and are never sent. */
  g_assert_true (pk_merge_file (merge, batch_b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scalar (master, "SELECT COUNT(*) FROM merge_duplicates"), ==, 2);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 4);
  dave = uuid_of (master, "Dave");

  /* Sending the rest, a refusal turning into a send on a later run, and
   * sending the same one twice. */
  record (master, dave, PK_SYNC_STATE_FAILED);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.failed, ==, 2);
  record (master, carol, PK_SYNC_STATE_SENT);
  record (master, carol, PK_SYNC_STATE_SENT);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.failed, ==, 1);

  /* --retry-failed, for one petition and then for all. */
  g_assert_true (pk_store_sync_reset_failed (master, "no-such-petition", NULL, &n_reset, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_reset, ==, 0);
  g_assert_true (pk_store_sync_reset_failed (master, pk_petition_get_id (petition), NULL, &n_reset, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_reset, ==, 1);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.failed, ==, 0);
  record (master, dave, PK_SYNC_STATE_FAILED);
  g_assert_true (pk_store_sync_reset_failed (master, NULL, NULL, &n_reset, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_reset, ==, 1);
  counts = assert_exact (master);

  /* Per petition the same, and nothing for another petition. */
  g_assert_true (pk_store_sync_counts (master, pk_petition_get_id (petition), &one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (one.total, ==, counts.total);
  g_assert_cmpuint (one.sent, ==, counts.sent);
  g_assert_cmpuint (one.pending, ==, counts.pending);
  g_assert_true (pk_store_sync_counts (master, "no-such-petition", &one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (one.total, ==, 0);
  g_assert_cmpuint (one.pending, ==, 0);

  /* Merging a batch again changes nothing. */
  pk_merge_file (merge, batch_b, NULL, NULL);
  assert_exact (master);

  /* A duplicate record going away (the only other writer of these
   * tables) puts its sent state back in the counts. */
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (master), "DELETE FROM merge_duplicates", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 6);
}

/* A signature saved at a kiosk (or on the master's own form). */
static void
add_signer (PkStore      *store,
            PkPetition   *petition,
            const Signer *signer)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;
  PkField field;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, signer->given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Tester");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, signer->email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->signed_at = T0 + signer->at * G_USEC_PER_SEC;
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  g_assert_no_error (error);
}

/* A merge counts a batch once its rows are in, with the count triggers
 * dropped meanwhile: a file that fails (the master refusing a write
 * half-way through its rows, or once they are in) leaves the counts as
 * they were, the connection counts the next signature it saves, and
 * the file merged again later is counted once. */
static void
test_counts_failed_merge (void)
{
  static const Signer kiosk_c[] = {
    { "Gina", "gina@example.org", 10 },
    { "Hugo", "hugo@example.org", 20 },
  };
  /* Gina again, after two new signers. */
  static const Signer kiosk_d[] = {
    { "Ivan", "ivan@example.org", 30 },
    { "Judy", "judy@example.org", 40 },
    { "Gina", "gina@example.org", 50 },
  };
  static const Signer own[] = {
    { "Kim", "kim@example.org", 60 },
    { "Lee", "lee@example.org", 70 },
  };
  /* Half-way through the rows (its duplicate), and once they are all
   * in (the count of that duplicate). */
  static const char * const refusals[] = {
    "BEFORE INSERT ON merge_duplicates",
    "BEFORE UPDATE ON sync_counts",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *batch_c = NULL;
  g_autofree char *batch_d = NULL;
  g_autofree char *gina = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  PkMergeResult result;
  PkSyncCounts counts;

  g_assert_no_error (error);
  batch_c = make_batch (petition, "kiosk-c", kiosk_c, G_N_ELEMENTS (kiosk_c));
  batch_d = make_batch (petition, "kiosk-d", kiosk_d, G_N_ELEMENTS (kiosk_d));
  master = open_store ("master-failed.db");
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch_c, NULL, &error));
  g_assert_no_error (error);
  gina = uuid_of (master, "Gina");
  record (master, gina, PK_SYNC_STATE_SENT);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *create = g_strdup_printf ("CREATE TRIGGER refuse %s BEGIN SELECT RAISE (ABORT, "
                                                 "'disk refuses'); END;", refusals[i]);

      g_assert_cmpint (sqlite3_exec (pk_store_get_db (master), create, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_false (pk_merge_file (merge, batch_d, &result, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_STORE_ERROR);
      g_clear_error (&error);
      g_assert_cmpint (result.outcome, ==, PK_MERGE_FAILED);
      g_assert_cmpint (sqlite3_exec (pk_store_get_db (master), "DROP TRIGGER refuse", NULL, NULL, NULL),
                       ==, SQLITE_OK);
      g_assert_cmpuint (scalar (master, "SELECT COUNT(*) FROM merge_duplicates"), ==, 0);
      counts = assert_exact (master);
      g_assert_cmpuint (counts.total, ==, 2 + i);
      g_assert_cmpuint (counts.sent, ==, 1);

      add_signer (master, petition, &own[i]);
      counts = assert_exact (master);
      g_assert_cmpuint (counts.total, ==, 3 + i);
    }
  g_assert_true (pk_merge_file (merge, batch_d, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.duplicates, ==, 1);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 6);
  g_assert_cmpuint (counts.sent, ==, 1);
}

#define OLD_COUNT_TRIGGERS \
  "type = 'trigger' AND name IN ('signatures_count_insert', 'sync_counts_signature_insert', " \
  "'sync_counts_duplicate_insert')"

/* Makes the master at @path what a release before store step 15 left:
 * the count triggers in the file, as a fresh store at schema 14 has
 * them, and without the column step 16 adds. */
static void
make_schema_14 (const char *path)
{
  g_autofree char *fresh = tmp_path ("schema-14.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  PkStore *old = pk_store_open_at_version (fresh, 14, &error);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (old), "SELECT sql FROM sqlite_schema WHERE "
                                       OLD_COUNT_TRIGGERS, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (sql, "%s;", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_finalize_object (old);
  g_string_append (sql, "ALTER TABLE merge_imports DROP COLUMN merged_by; PRAGMA user_version = 14; COMMIT;");

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A master from before store step 15 kept its counts with triggers in
 * the file; upgraded, it keeps them exact without counting twice,
 * through a kiosk save, a merge that makes a sent row a duplicate, and
 * sync states. */
static void
test_counts_old_master (void)
{
  static const Signer kiosk_f[] = {
    { "Mona", "mona@example.org", 100 },
    { "Ned", "ned@example.org", 110 },
  };
  /* Mona signed earlier at this kiosk: the master's row becomes a
   * duplicate, after it was sent; Ned signed again, later. */
  static const Signer kiosk_g[] = {
    { "Mona", "mona@example.org", 10 },
    { "Olga", "olga@example.org", 120 },
    { "Ned", "ned@example.org", 130 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *path = tmp_path ("master-old.db");
  g_autofree char *batch_f = NULL;
  g_autofree char *batch_g = NULL;
  g_autofree char *mona = NULL;
  g_autofree char *ned = NULL;
  PkMerge *merge;
  PkStore *master;
  PkSyncCounts counts;

  g_assert_no_error (error);
  batch_f = make_batch (petition, "kiosk-f", kiosk_f, G_N_ELEMENTS (kiosk_f));
  batch_g = make_batch (petition, "kiosk-g", kiosk_g, G_N_ELEMENTS (kiosk_g));

  master = open_store ("master-old.db");
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch_f, NULL, &error));
  g_assert_no_error (error);
  pk_merge_free (merge);
  g_assert_finalize_object (master);
  make_schema_14 (path);

  /* As the old release ran it: the triggers in the file count. */
  master = pk_store_open_at_version (path, 14, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalar (master, "SELECT COUNT(*) FROM sqlite_schema WHERE " OLD_COUNT_TRIGGERS), ==, 3);
  mona = uuid_of (master, "Mona");
  ned = uuid_of (master, "Ned");
  record (master, mona, PK_SYNC_STATE_SENT);
  record (master, ned, PK_SYNC_STATE_FAILED);
  add_signer (master, petition, &(Signer) { "Pia", "pia@example.org", 140 });
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 3);
  g_assert_finalize_object (master);

  master = open_store ("master-old.db");
  g_assert_cmpuint (scalar (master, "PRAGMA user_version"), ==, pk_store_get_latest_version ());
  g_assert_cmpuint (scalar (master, "SELECT COUNT(*) FROM sqlite_schema WHERE " OLD_COUNT_TRIGGERS), ==, 0);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 3);
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.failed, ==, 1);

  add_signer (master, petition, &(Signer) { "Quinn", "quinn@example.org", 150 });
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 4);

  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch_g, NULL, &error));
  g_assert_no_error (error);
  pk_merge_free (merge);
  g_assert_cmpuint (scalar (master, "SELECT COUNT(*) FROM merge_duplicates"), ==, 2);
  counts = assert_exact (master);
  g_assert_cmpuint (counts.total, ==, 5);
  g_assert_cmpuint (counts.sent, ==, 0);
  g_assert_cmpuint (counts.failed, ==, 1);
  g_assert_finalize_object (master);
}

/* A kiosk's own rows, sent and then purged after their batch closed. */
static void
test_counts_kiosk_purge (void)
{
  static const Signer signers[] = {
    { "Erin", "erin@example.org", 10 },
    { "Frank", "frank@example.org", 20 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autoptr(PkStore) store = NULL;
  g_autofree char *erin = NULL;
  PkSyncCounts counts;

  g_assert_no_error (error);
  store = open_store ("kiosk-p.db");
  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      PkField field;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, signers[i].given);
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Tester");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, signers[i].email);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
      g_assert_no_error (error);
    }
  erin = uuid_of (store, "Erin");
  record (store, erin, PK_SYNC_STATE_SENT);
  counts = assert_exact (store);
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.pending, ==, 1);

  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), "DELETE FROM signatures", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  counts = assert_exact (store);
  g_assert_cmpuint (counts.total, ==, 0);
  g_assert_cmpuint (counts.sent, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-sync-counts-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/SyncCounts/exact-through-merge", test_counts_exact);
  g_test_add_func ("/Pk/SyncCounts/kiosk-purge", test_counts_kiosk_purge);
  g_test_add_func ("/Pk/SyncCounts/failed-merge", test_counts_failed_merge);
  g_test_add_func ("/Pk/SyncCounts/old-master", test_counts_old_master);

  status = g_test_run ();
  pk_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
