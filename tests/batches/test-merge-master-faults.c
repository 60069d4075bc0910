/* test-merge-master-faults.c: the master failing at each kind of
 * statement of a merge, after the batch file was read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One fault per kind of statement, each through SQLite's public API on
 * the master's own connection, so that the test holds whatever layer
 * the merge's statements go through: a trigger that raises an error
 * makes one kind of write fail (https://sqlite.org/lang_createtrigger.html,
 * "The RAISE() function"), an authorizer that denies one column one
 * kind of read (https://sqlite.org/c3ref/set_authorizer.html), a commit
 * hook the COMMIT (https://sqlite.org/c3ref/commit_hook.html).
 *
 * The batch merged brings the earliest signature of a signer the
 * master has twice already, so that every step of the duplicate rule
 * runs (re-pointing the duplicates, demoting the kept signature), and
 * a paper sheet another batch counted too. Whatever fails, the
 * promises hold: the merge fails with a store error (exit 1 in the CLI,
 * never a rejected file, exit 4) that says it was the master and gives
 * SQLite's cause; the master is exactly as before (no batch, no row, no
 * rejection noted); and once the fault is gone the same file merges
 * whole. The other way round, a file rejected for its own fault stays
 * a rejection when the master cannot note it.
 */
#define G_LOG_DOMAIN "test-merge-master-faults"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-batch.h"
#include "pk-keys.h"
#include "pk-merge.h"
#include "pk-proof.h"
#include "pk-sheets.h"
#include "pk-sqlite.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

#define PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"

typedef enum {
  FAULT_TRIGGER,
  /* A trigger that skips the row (RAISE(IGNORE)): a statement that must
   * give back the row it wrote, or find it, gives none. */
  FAULT_IGNORE,
  FAULT_AUTHORIZER,
  FAULT_COMMIT,
} FaultKind;

typedef struct {
  const char *name;
  /* The batch merged: 'a', or 'c' whose rows the master has already. */
  char        batch;
  FaultKind   kind;
  /* FAULT_TRIGGER: "BEFORE … ON table [WHEN …]"; FAULT_AUTHORIZER:
   * "table.column" whose reading is denied. */
  const char *what;
  /* In the message: SQLite's own words for the fault, or the store's
   * for its kind (a denied read is SQLITE_AUTH: denied, not "cannot
   * write", which would send the coordinator to check the disk). */
  const char *cause;
} Fault;

/* A row the master did not give back. */
#define NO_ROW "did not give back a row it has just written"

/* A denied read, said as SQLite's SQLITE_AUTH is. */
#define DENIED "was denied while merging into the master database: access to "

static const Fault faults[] = {
  { "batch", 'a', FAULT_TRIGGER, "BEFORE INSERT ON batches", "injected" },
  { "import", 'a', FAULT_TRIGGER, "BEFORE INSERT ON merge_imports", "injected" },
  { "signature", 'a', FAULT_TRIGGER, "BEFORE INSERT ON signatures", "injected" },
  { "signer-insert", 'a', FAULT_TRIGGER, "BEFORE INSERT ON merge_signers", "injected" },
  { "signer-update", 'a', FAULT_TRIGGER, "BEFORE UPDATE ON merge_signers", "injected" },
  { "duplicate-insert", 'a', FAULT_TRIGGER, "BEFORE INSERT ON merge_duplicates", "injected" },
  { "duplicate-repoint", 'a', FAULT_TRIGGER, "BEFORE UPDATE ON merge_duplicates", "injected" },
  /* The first row of sync_counts a merge adds demotes the signature
   * kept before; only the batch's own count has two duplicates. */
  { "sync-count-demoted", 'a', FAULT_TRIGGER, "BEFORE INSERT ON sync_counts", "injected" },
  { "sync-count-batch", 'a', FAULT_TRIGGER, "BEFORE INSERT ON sync_counts WHEN NEW.duplicates > 1", "injected" },
  { "count-batch", 'a', FAULT_TRIGGER, "BEFORE INSERT ON counts", "injected" },
  { "sheet-count-add", 'a', FAULT_TRIGGER, "BEFORE INSERT ON merge_sheet_counts", "injected" },
  { "sheet-count-keep", 'a', FAULT_TRIGGER, "BEFORE INSERT ON sheet_counts", "injected" },
  { "batch-exists", 'a', FAULT_AUTHORIZER, "merge_imports.kiosk_fingerprint", DENIED },
  { "signer-get", 'a', FAULT_AUTHORIZER, "merge_signers.kept_signed_at", DENIED },
  /* Only the count of a paper line's copies reads sheet_line, and only
   * the look-up of a row the master has reads uuid first. */
  { "paper-line", 'a', FAULT_AUTHORIZER, "signatures.sheet_line", DENIED },
  { "uuid-exists", 'c', FAULT_AUTHORIZER, "signatures.uuid", DENIED },
  { "commit", 'a', FAULT_COMMIT, NULL, "constraint failed" },
  { "batch-not-returned", 'a', FAULT_IGNORE, "BEFORE INSERT ON batches", NO_ROW },
  { "signer-not-found", 'a', FAULT_IGNORE, "BEFORE INSERT ON merge_signers", NO_ROW },
};

static char *tmpdir;
static char *batch_a;     /* the batch merged under most faults */
static char *batch_c;     /* rows the master has from another file */
static char *base_master; /* the master before: B and C's other file */
/* Merging A, or C, into the base master that never fails. */
static PkMergeResult clean_a;
static PkMergeResult clean_c;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Signs at the next minute of the past hour, in order (the order of the
 * signatures is what the duplicate rule goes by). */
static void
sign (PkStore    *store,
      PkPetition *petition,
      const char *given,
      const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = pk_signature_new ();
  static gint64 minute;
  PkField field;

  sig->signed_at = (g_get_real_time () / G_TIME_SPAN_MINUTE - 60 + minute++) * G_TIME_SPAN_MINUTE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Tester");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_store_add_signature_from_form (store, petition, sig, &field, &error);
  g_assert_no_error (error);
}

/* Line 1 of paper sheet 7, typed in. */
static void
sign_on_paper (PkStore    *store,
               PkPetition *petition)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GPtrArray) problems = NULL;
  PkSignature *sig = pk_signature_new ();
  guint added = 0;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Seoyeon");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Tester");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "lee@example.kr");
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = pk_sheet_serial_format (petition, 7);
  sig->sheet_line = 1;
  g_ptr_array_add (sigs, sig);
  pk_store_add_paper_signatures (store, petition, sigs, FALSE, &problems, &added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
}

static void
count_sheet (PkStore    *store,
             PkPetition *petition,
             gint64      count)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pk_store_paper_set_count (store, pk_petition_get_id (petition), "S-0001", count, FALSE, &error));
  g_assert_no_error (error);
}

static char *
close_batch (PkStore    *store,
             PkPetition *petition,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  char *path = tmp_path (name);

  info = pk_batch_close (store, petition, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
merge_ok (const char    *master_path,
          const char    *batch,
          PkMergeResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) master = pk_store_open (master_path, &error);
  g_autoptr(PkMerge) merge = NULL;

  g_assert_no_error (error);
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, PK_MERGE_ADDED);
}

/* Kiosk A holds the earliest signature of hong@ (and two later ones)
 * and a paper line, kiosk B two signatures of hong@ between; both
 * counted sheet S-0001. Kiosk C's one row went into two files (a copy
 * of its database closed too, as after a file the kiosk could not note).
 * The base master has B's batch and C's other file. */
static void
make_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PETITION, &error);
  g_autofree char *db_a = tmp_path ("kiosk-a.db");
  g_autofree char *db_b = tmp_path ("kiosk-b.db");
  g_autofree char *db_c = tmp_path ("kiosk-c.db");
  g_autofree char *db_c_copy = tmp_path ("kiosk-c-copy.db");
  g_autoptr(PkStore) a = NULL;
  g_autoptr(PkStore) b = NULL;
  g_autoptr(PkStore) c = NULL;
  g_autofree char *batch_b = NULL;
  g_autofree char *batch_c_copy = NULL;
  g_autoptr(PkKioskKey) key = NULL;
  PkMergeResult result;

  g_assert_no_error (error);
  c = pk_store_open (db_c, &error);
  g_assert_no_error (error);
  sign (c, petition, "Jiwoo", "park@example.kr");
  /* One kiosk, one key, in both copies. */
  key = pk_kiosk_key_ensure (c, &error);
  g_assert_no_error (error);
  g_clear_object (&c);
  pk_proof_copy_file (db_c, db_c_copy);
  c = pk_store_open (db_c, &error);
  g_assert_no_error (error);
  batch_c = close_batch (c, petition, "c.pkbatch");
  g_clear_object (&c);
  c = pk_store_open (db_c_copy, &error);
  g_assert_no_error (error);
  batch_c_copy = close_batch (c, petition, "c-copy.pkbatch");

  a = pk_store_open (db_a, &error);
  g_assert_no_error (error);
  b = pk_store_open (db_b, &error);
  g_assert_no_error (error);

  sign (a, petition, "Gildong", "hong@example.org");
  sign (b, petition, "Gildong", "hong@example.org");
  sign (b, petition, "Anna", "anna@example.de");
  sign (b, petition, "Gildong", "hong@example.org");
  sign (a, petition, "Minji", "kim@example.kr");
  sign (a, petition, "Gildong", "hong@example.org");
  sign (a, petition, "Gildong", "hong@example.org");
  sign_on_paper (a, petition);
  count_sheet (a, petition, 7);
  count_sheet (b, petition, 9);

  batch_a = close_batch (a, petition, "a.pkbatch");
  batch_b = close_batch (b, petition, "b.pkbatch");

  base_master = tmp_path ("base-master.db");
  merge_ok (base_master, batch_b, &result);
  g_assert_cmpint (result.added, ==, 3);
  g_assert_cmpint (result.duplicates, ==, 1);
  merge_ok (base_master, batch_c_copy, &result);
  g_assert_cmpint (result.added, ==, 1);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *reference = tmp_path ("reference.db");

      pk_proof_copy_file (base_master, reference);
      merge_ok (reference, i == 0 ? batch_a : batch_c, i == 0 ? &clean_a : &clean_c);
      g_assert_cmpint (g_unlink (reference), ==, 0);
    }
}

/* Every row of every table of the master at @path, in one string: equal
 * strings, the same contents. */
static char *
dump_master (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) tables = NULL;
  GString *dump = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", name);
      g_autoptr(sqlite3_stmt) rows = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      g_string_append_printf (dump, "[%s]\n", name);
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (rows); c++)
            {
              g_string_append_len (dump, sqlite3_column_blob (rows, c), sqlite3_column_bytes (rows, c));
              g_string_append_c (dump, '|');
            }
          g_string_append_c (dump, '\n');
        }
    }
  return g_string_free (dump, FALSE);
}

static char *denied_table;
static char *denied_column;

static int
deny_column (void       *user_data,
             int         action,
             const char *table,
             const char *column,
             const char *database,
             const char *trigger)
{
  if (action == SQLITE_READ && g_strcmp0 (table, denied_table) == 0 && g_strcmp0 (column, denied_column) == 0)
    return SQLITE_DENY;
  return SQLITE_OK;
}

static int
refuse_commit (void *user_data)
{
  return 1;
}

static void
set_fault (sqlite3     *db,
           const Fault *fault,
           gboolean     on)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *sql = NULL;

  switch (fault->kind)
    {
    case FAULT_TRIGGER:
    case FAULT_IGNORE:
      if (on)
        sql = g_strdup_printf ("CREATE TRIGGER injected_fault %s BEGIN SELECT %s; END", fault->what,
                               fault->kind == FAULT_IGNORE ? "RAISE(IGNORE)" : "RAISE(ABORT, 'injected')");
      else
        sql = g_strdup ("DROP TRIGGER injected_fault");
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      break;

    case FAULT_AUTHORIZER:
      parts = g_strsplit (fault->what, ".", 2);
      g_clear_pointer (&denied_table, g_free);
      g_clear_pointer (&denied_column, g_free);
      denied_table = g_strdup (parts[0]);
      denied_column = g_strdup (parts[1]);
      sqlite3_set_authorizer (db, on ? deny_column : NULL, NULL);
      break;

    case FAULT_COMMIT:
      sqlite3_commit_hook (db, on ? refuse_commit : NULL, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  g_autofree char *name = g_strdup_printf ("master-%s.db", fault->name);
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *batch = fault->batch == 'c' ? batch_c : batch_a;
  const PkMergeResult *clean = fault->batch == 'c' ? &clean_c : &clean_a;
  PkMergeResult result;
  sqlite3 *db;

  pk_proof_copy_file (base_master, path);
  master = pk_store_open (path, &error);
  g_assert_no_error (error);
  db = pk_store_get_db (master);
  before = dump_master (db);

  /* The fault is set once the merge has its statements, as a master
   * that fills up or is locked halfway through would fail. */
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  set_fault (db, fault, TRUE);
  g_assert_false (pk_merge_file (merge, batch, &result, &error));
  set_fault (db, fault, FALSE);
  g_clear_pointer (&merge, pk_merge_free);

  /* The master's fault, said as such, with SQLite's cause; not the
   * file's. */
  g_assert_nonnull (error);
  g_test_message ("%s: %s", fault->name, error->message);
  g_assert_true (error->domain == PK_STORE_ERROR);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_FAILED);
  g_assert_nonnull (strstr (error->message, "master database"));
  g_assert_nonnull (strstr (error->message, fault->cause));
  g_assert_null (strstr (error->message, "Cannot write"));
  /* Which master: a coordinator may keep several. */
  {
    g_autofree char *display = g_filename_display_name (path);

    g_assert_nonnull (strstr (error->message, display));
  }
  g_assert_cmpint (result.added, ==, 0);
  g_assert_cmpint (result.duplicates, ==, 0);
  g_assert_cmpint (result.sheet_counts, ==, 0);
  g_clear_error (&error);

  /* Nothing of the batch, and no rejection noted. */
  after = dump_master (db);
  g_assert_cmpstr (after, ==, before);

  /* The same file, once the fault is gone, as it merges into a master
   * that never failed. */
  g_clear_object (&master);
  merge_ok (path, batch, &result);
  g_assert_cmpint (result.added, ==, fault->batch == 'c' ? 0 : 5);
  g_assert_cmpint (result.present, ==, fault->batch == 'c' ? 1 : 0);
  g_assert_cmpint (result.added, ==, clean->added);
  g_assert_cmpint (result.duplicates, ==, clean->duplicates);
  g_assert_cmpint (result.sheet_counts, ==, clean->sheet_counts);
  g_assert_cmpint (result.sheet_conflicts, ==, clean->sheet_conflicts);
  {
    g_autoptr(PkStore) merged = pk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pk_store_count (merged, NULL), ==, fault->batch == 'c' ? 4 : 9);
  }
}

/* A file that is not there is rejected whatever the master does; when
 * the master cannot note the rejection either, the merge warns and
 * still reports the file's own fault (a rejection, exit 4), and notes
 * it once it can. */
static void
test_rejection_not_noted (void)
{
  g_autofree char *path = tmp_path ("master-rejection.db");
  g_autofree char *missing = tmp_path ("missing.pkbatch");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  PkMergeResult result;
  gint64 noted = -1;

  pk_proof_copy_file (base_master, path);
  master = pk_store_open (path, &error);
  g_assert_no_error (error);
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (master),
                                 "CREATE TRIGGER injected_fault BEFORE INSERT ON merge_rejected "
                                 "BEGIN SELECT RAISE(ABORT, 'injected'); END", NULL, NULL, NULL), ==, SQLITE_OK);

  g_test_expect_message ("pk-merge", G_LOG_LEVEL_WARNING, "cannot record the rejected file missing.pkbatch: *: injected");
  g_assert_false (pk_merge_file (merge, missing, &result, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_REJECTED);
  g_clear_error (&error);
  g_assert_cmpint (pk_sqlite_query_int64 (pk_store_get_db (master), "SELECT count(*) FROM merge_rejected", &noted),
                   ==, SQLITE_OK);
  g_assert_cmpint (noted, ==, 0);

  g_assert_cmpint (sqlite3_exec (pk_store_get_db (master), "DROP TRIGGER injected_fault", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_false (pk_merge_file (merge, missing, &result, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_assert_cmpint (pk_sqlite_query_int64 (pk_store_get_db (master), "SELECT count(*) FROM merge_rejected", &noted),
                   ==, SQLITE_OK);
  g_assert_cmpint (noted, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-merge-master-faults-XXXXXX", &error);
  g_assert_no_error (error);
  make_fixture ();

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/Pk/MergeMasterFaults/%s", faults[i].name);

      g_test_add_data_func (test_path, &faults[i], test_fault);
    }
  g_test_add_func ("/Pk/MergeMasterFaults/rejection-not-noted", test_rejection_not_noted);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  g_free (batch_a);
  g_free (batch_c);
  g_free (base_master);
  return status;
}
