/* test-batch-faults.c: SQLite failing at each allocation while a batch
 * is closed, read and merged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite fails at the K-th allocation of each operation
 * (pk-alloc-fault.h), for K = 1, 1 + STEP, 1 + 2 STEP, … until the
 * operation no longer reaches the K-th allocation, so that the
 * statements it prepares and steps fail in turn: a close makes some
 * 2,400 allocations and a merge 3,000. Whatever K, the promises hold:
 * - closing a batch either writes the whole file, or fails with an
 *   error, leaves no file (nor a temporary one) and marks nothing
 *   written, and the same close then works;
 * - merging either adds the whole batch, or fails with an error and adds
 *   nothing, and the same merge then adds every row. A good file is
 *   never rejected for the machine's fault: the failure is a master
 *   failure (PK_MERGE_FAILED, exit 1) that says "out of memory", never
 *   a PK_BATCH_ERROR, and the master notes no rejected file.
 * Two failures of a close come from the disk, not from SQLite, and are
 * tried apart: a file already under the name asked for, and a folder
 * that turns read-only (as a stick's file system does after an error)
 * once the file is in place but before the kiosk noted it, so that the
 * file cannot be taken back.
 */
#define G_LOG_DOMAIN "test-batch-faults"

#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "pk-alloc-fault.h"
#include "pk-batch.h"
#include "pk-cli.h"
#include "pk-keys.h"
#include "pk-merge.h"
#include "pk-proof.h"
#include "pk-sqlite.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"
#include "pk-test-skip.h"

#define PLAIN_PETITION     SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
#define ENCRYPTED_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience-encrypted.petition"
#define DEMO_KEY           SOURCE_DATADIR "/demo/DEMO-ONLY-coordinator.key"

#define N_SIGNERS 3

static char *tmpdir;
static gint64 step;
static gboolean have_mount_namespace;
static char *mount_skip_reason;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Names in @dir starting with a dot: pk-atomic.c's temporary files. */
static guint
count_hidden (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    n += name[0] == '.';
  return n;
}

/* Removes @dir and the files in it. */
static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A closed kiosk database, @name, with @n_signers (up to N_SIGNERS)
 * signatures of @petition_path (the first and third by one signer) and
 * a counted paper sheet. */
static char *
make_kiosk (const char *name,
            const char *petition_path,
            guint       n_signers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  char *path = tmp_path (name);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkKioskKey) key = NULL;
  static const char * const emails[N_SIGNERS] = {
    "hong@example.org", "anna@example.de", "hong@example.org",
  };

  g_assert_no_error (error);
  store = pk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_signers, <=, N_SIGNERS);
  for (guint i = 0; i < n_signers; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      PkField field;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, i == 1 ? "Anna" : "Gildong");
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, i == 1 ? "Schmidt" : "Hong");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, emails[i]);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      g_assert_true (pk_store_add_signature_from_form (store, petition, sig, &field, &error));
      g_assert_no_error (error);
    }
  g_assert_true (pk_store_paper_set_count (store, pk_petition_get_id (petition), "S-0001", 7, FALSE, &error));
  g_assert_no_error (error);
  key = pk_kiosk_key_ensure (store, &error);
  g_assert_no_error (error);
  return path;
}

/* Closes the kiosk database @template's batch of @n_rows signatures,
 * failing the K-th SQLite allocation for every K in turn. With
 * @every_bookkeeping, K takes every value while the kiosk's own
 * database is read and updated (some 400 allocations, whose failures
 * are PK_STORE_ERROR, some of them only one or two allocations wide,
 * such as a setting read that makes SQLite roll the transaction back),
 * and steps by STEP only once the file is being written (its failures
 * are PK_BATCH_ERROR); each K costs a close, so one sweep does this. */
static void
sweep_close (const char *template,
             const char *petition_path,
             gint64      n_rows,
             gboolean    every_bookkeeping)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  gint64 k;
  guint failures = 0;
  gboolean writing_file = !every_bookkeeping;

  g_assert_no_error (error);
  for (k = 1; ; k += writing_file ? step : 1)
    {
      g_autofree char *dir_name = g_strdup_printf ("close-%" G_GINT64_FORMAT, k);
      g_autofree char *dir = tmp_path (dir_name);
      g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
      g_autofree char *out = g_build_filename (dir, "batch.pkbatch", NULL);
      g_autoptr(PkStore) store = NULL;
      g_autoptr(PkBatchInfo) info = NULL;
      g_autoptr(PkBatchReader) reader = NULL;
      gboolean reached;

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      pk_proof_copy_file (template, db);
      store = pk_store_open (db, &error);
      g_assert_no_error (error);

      pk_alloc_fault_arm (k);
      info = pk_batch_close (store, petition, out, &error);
      reached = pk_alloc_fault_disarm ();

      if (info == NULL)
        {
          g_assert_true (reached);
          /* Every failure says why, also when SQLite rolled the whole
           * transaction back under the close (reading the kiosk or
           * event name out of memory). */
          g_assert_nonnull (error);
          g_test_message ("allocation %" G_GINT64_FORMAT ": %s", k, error->message);
          pk_alloc_fault_assert_said (error);
          writing_file = writing_file || error->domain == PK_BATCH_ERROR;
          g_clear_error (&error);
          failures++;
          /* Nothing written, nothing marked. */
          g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
          g_assert_cmpint (pk_batch_count_pending (store), ==, 1);
          info = pk_batch_close (store, petition, out, &error);
          g_assert_no_error (error);
          g_assert_nonnull (info);
        }
      g_assert_cmpint (info->n_rows, ==, n_rows);
      g_assert_cmpint (info->n_sheet_counts, ==, 1);
      g_assert_cmpstr (info->petition_id, ==, pk_petition_get_id (petition));
      g_assert_cmpint (pk_batch_count_pending (store), ==, 0);
      g_assert_cmpuint (count_hidden (dir), ==, 0);
      reader = pk_batch_reader_open (out, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pk_batch_reader_get_info (reader)->n_rows, ==, n_rows);
      g_assert_cmpint (pk_batch_reader_get_info (reader)->n_sheet_counts, ==, 1);

      g_clear_object (&store);
      remove_dir (dir);
      if (!reached)
        break;
    }
  g_test_message ("some %" G_GINT64_FORMAT " allocations, %u failures of the close", k, failures);
  /* The sweep reached the end, and some failures were errors. */
  g_assert_cmpint (k, >, 100);
  g_assert_cmpuint (failures, >, 0);
}

/* The one statement of a close that no sweep step of 17 meets: the
 * signature going into the file, once every row is in it. Out of
 * memory at each allocation from its preparing on, K = 1, 2, … until
 * the close no longer reaches the K-th (the kiosk's own bookkeeping
 * after the file fails on the way): the close fails saying so, no file is left
 * under the name or beside it, the signatures are still in the kiosk
 * and still to be written, and the same close then writes a file that
 * verifies with every row. */
static void
test_close_signature (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *template = make_kiosk ("signature-template.db", PLAIN_PETITION, N_SIGNERS);
  guint failures = 0;
  guint in_file = 0;
  gint64 k;

  g_assert_no_error (error);
  for (k = 1; ; k++)
    {
      g_autofree char *dir_name = g_strdup_printf ("signature-%" G_GINT64_FORMAT, k);
      g_autofree char *dir = tmp_path (dir_name);
      g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
      g_autofree char *out = g_build_filename (dir, "batch.pkbatch", NULL);
      g_autoptr(PkStore) store = NULL;
      g_autoptr(PkBatchInfo) info = NULL;
      g_autoptr(PkBatchReader) reader = NULL;
      gboolean reached;

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      pk_proof_copy_file (template, db);
      store = pk_store_open (db, &error);
      g_assert_no_error (error);

      pk_alloc_fault_arm_at_update ("batch", "signature", k);
      info = pk_batch_close (store, petition, out, &error);
      reached = pk_alloc_fault_disarm ();
      if (info == NULL)
        {
          g_assert_true (reached);
          g_test_message ("allocation %" G_GINT64_FORMAT " from the signature's update: %s", k, error->message);
          pk_alloc_fault_assert_said (error);
          g_assert_nonnull (strstr (error->message, "out of memory"));
          /* The file's own statement, then the kiosk's bookkeeping. */
          if (g_error_matches (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED)
              && g_str_has_prefix (error->message, "Cannot write the batch file: "))
            in_file++;
          g_clear_error (&error);
          failures++;
          g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
          g_assert_cmpuint (count_hidden (dir), ==, 0);
          g_assert_cmpint (pk_batch_count_pending (store), ==, 1);
          g_assert_cmpuint (pk_store_count (store, NULL), ==, N_SIGNERS);
          info = pk_batch_close (store, petition, out, &error);
          g_assert_no_error (error);
        }
      g_assert_cmpint (info->n_rows, ==, N_SIGNERS);
      g_assert_cmpint (pk_batch_count_pending (store), ==, 0);
      g_assert_cmpuint (count_hidden (dir), ==, 0);
      reader = pk_batch_reader_open (out, &error);
      g_assert_no_error (error);
      g_assert_true (pk_batch_reader_check (reader, pk_petition_get_id (petition), NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (pk_batch_reader_get_info (reader)->n_rows, ==, N_SIGNERS);
      g_assert_cmpstr (pk_batch_reader_get_info (reader)->uuid, ==, info->uuid);

      g_clear_object (&store);
      remove_dir (dir);
      if (!reached)
        break;
    }
  g_test_message ("%u failures from the signature's update on, %u of them in the file", failures, in_file);
  /* The update's preparing fails first; stepping it, later. */
  g_assert_cmpuint (in_file, >, 1);
  g_assert_cmpuint (failures, >, in_file);
}

static guint64
count_rows (PkStore *master)
{
  return pk_store_count (master, NULL);
}

static gint64
count_rejected (PkStore *master)
{
  gint64 n = -1;

  g_assert_cmpint (pk_sqlite_query_int64 (pk_store_get_db (master), "SELECT count(*) FROM merge_rejected", &n),
                   ==, SQLITE_OK);
  return n;
}

/* Merges @batch into a new master, failing the K-th SQLite allocation
 * for every K in turn; @key opens an encrypted batch. */
static void
sweep_merge (const char       *batch,
             PkCoordinatorKey *key)
{
  g_autofree char *empty_master = tmp_path ("empty-master.db");
  gint64 k;
  guint failures = 0;

  /* A new master, made once and copied for each K. */
  if (!g_file_test (empty_master, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PkStore) master = pk_store_open (empty_master, &error);

      g_assert_no_error (error);
    }

  for (k = 1; ; k += step)
    {
      g_autofree char *name = g_strdup_printf ("master-%" G_GINT64_FORMAT ".db", k);
      g_autofree char *path = tmp_path (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(PkStore) master = NULL;
      PkMergeResult result = { PK_MERGE_FAILED, 0, };
      g_autoptr(PkMerge) merge = NULL;
      gboolean ok = FALSE;
      gboolean reached;

      pk_proof_copy_file (empty_master, path);
      master = pk_store_open (path, &error);
      g_assert_no_error (error);
      pk_alloc_fault_arm (k);
      merge = pk_merge_new (master, key, NULL, NULL, &error);
      if (merge != NULL)
        ok = pk_merge_file (merge, batch, &result, &error);
      g_clear_pointer (&merge, pk_merge_free);
      reached = pk_alloc_fault_disarm ();

      if (!ok)
        {
          g_assert_true (reached);
          g_assert_nonnull (error);
          g_test_message ("allocation %" G_GINT64_FORMAT ": %s", k, error->message);
          pk_alloc_fault_assert_said (error);
          /* Not a verdict on the good file: a failure, with its cause,
           * that the coordinator retries, and no rejection noted. */
          g_assert_cmpint (result.outcome, ==, PK_MERGE_FAILED);
          g_assert_true (error->domain != PK_BATCH_ERROR);
          g_assert_nonnull (strstr (error->message, "out of memory"));
          g_assert_cmpint (count_rejected (master), ==, 0);
          g_clear_error (&error);
          failures++;
          /* Whole batch or nothing. */
          g_assert_cmpuint (count_rows (master), ==, 0);
          merge = pk_merge_new (master, key, NULL, NULL, &error);
          g_assert_no_error (error);
          memset (&result, 0, sizeof result);
          g_assert_true (pk_merge_file (merge, batch, &result, &error));
          g_assert_no_error (error);
        }
      g_assert_cmpint (result.outcome, ==, PK_MERGE_ADDED);
      g_assert_cmpint (result.added, ==, N_SIGNERS);
      g_assert_cmpint (result.duplicates, ==, 1);
      g_assert_cmpuint (count_rows (master), ==, N_SIGNERS);
      g_assert_cmpint (count_rejected (master), ==, 0);

      g_clear_pointer (&merge, pk_merge_free);
      g_clear_object (&master);
      g_unlink (path);
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);

          g_unlink (side);
        }
      if (!reached)
        break;
    }
  g_test_message ("some %" G_GINT64_FORMAT " allocations, %u failures of the merge", k, failures);
  g_assert_cmpint (k, >, 100);
  g_assert_cmpuint (failures, >, 0);
}

/* A batch of @petition_path, closed without faults. */
static char *
make_batch (const char *name,
            const char *petition_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db = make_kiosk (db_name, petition_path, N_SIGNERS);
  g_autofree char *file_name = g_strconcat (name, ".pkbatch", NULL);
  char *out = tmp_path (file_name);
  g_autoptr(PkStore) store = pk_store_open (db, &error);
  g_autoptr(PkBatchInfo) info = NULL;

  g_assert_no_error (error);
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_close (void)
{
  g_autofree char *template = make_kiosk ("close-template.db", PLAIN_PETITION, N_SIGNERS);

  sweep_close (template, PLAIN_PETITION, N_SIGNERS, FALSE);
}

/* A kiosk that only counted paper: its open batch has no petition yet
 * and takes the one of the counts, under the same faults, at every
 * allocation of the bookkeeping. */
static void
test_close_counts_only (void)
{
  g_autofree char *template = make_kiosk ("counts-template.db", PLAIN_PETITION, 0);

  sweep_close (template, PLAIN_PETITION, 0, TRUE);
}

static void
test_merge_plain (void)
{
  g_autofree char *batch = make_batch ("plain", PLAIN_PETITION);

  sweep_merge (batch, NULL);
}

static void
test_merge_encrypted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkCoordinatorKey) key = pk_coordinator_key_load (DEMO_KEY, &error);
  g_autofree char *batch = NULL;

  g_assert_no_error (error);
  batch = make_batch ("encrypted", ENCRYPTED_PETITION);
  sweep_merge (batch, key);
}

static GString *printed;
static GString *printed_err;

static void
print_to_string (const char *text)
{
  g_string_append (printed, text);
}

static void
printerr_to_string (const char *text)
{
  g_string_append (printed_err, text);
}

/* `petition-kiosk verify` out of memory at each K in turn, in this
 * process: a good file is never called bad (no line on standard output,
 * never exit 4), but the command fails (exit 1) saying on standard
 * error which file it could not check and why; without a fault it
 * prints the file's "ok" line. */
static void
test_verify (void)
{
  g_autofree char *batch = make_batch ("verify", ENCRYPTED_PETITION);
  g_autofree char *prefix = g_strconcat (batch, ": ", NULL);
  GPrintFunc old_print, old_printerr;
  guint failures = 0;
  gint64 k;

  printed = g_string_new (NULL);
  printed_err = g_string_new (NULL);
  for (k = 1; ; k += step)
    {
      g_autofree char *name = g_strdup ("verify");
      g_autofree char *path = g_strdup (batch);
      char *args[] = { name, path, NULL };
      char **argv = args;
      int argc = 2;
      int status;
      gboolean reached;

      g_string_truncate (printed, 0);
      g_string_truncate (printed_err, 0);
      old_print = g_set_print_handler (print_to_string);
      old_printerr = g_set_printerr_handler (printerr_to_string);
      pk_alloc_fault_arm (k);
      status = pk_cmd_verify (argc, argv);
      reached = pk_alloc_fault_disarm ();
      g_set_print_handler (old_print);
      g_set_printerr_handler (old_printerr);

      if (status != 0)
        {
          g_test_message ("allocation %" G_GINT64_FORMAT ": %d, %s%s", k, status, printed->str, printed_err->str);
          g_assert_true (reached);
          g_assert_cmpint (status, ==, 1);
          g_assert_cmpstr (printed->str, ==, "");
          g_assert_true (g_str_has_prefix (printed_err->str, prefix));
          g_assert_nonnull (strstr (printed_err->str, "out of memory"));
          g_assert_null (strstr (printed_err->str, "unreadable"));
          failures++;
        }
      else
        {
          g_assert_true (g_str_has_prefix (printed->str, prefix));
          g_assert_nonnull (strstr (printed->str, ": ok: "));
          g_assert_cmpstr (printed_err->str, ==, "");
        }
      if (!reached)
        break;
    }
  g_test_message ("some %" G_GINT64_FORMAT " allocations, %u failures of verify", k, failures);
  g_assert_cmpint (k, >, 100);
  g_assert_cmpuint (failures, >, 0);
  g_string_free (printed, TRUE);
  g_string_free (printed_err, TRUE);
}

/* Files that cannot be read as a batch at all, each told apart before
 * SQLite sees a byte. */
static void
test_unreadable (void)
{
  g_autofree char *missing = tmp_path ("missing.pkbatch");
  g_autofree char *huge = tmp_path ("huge.pkbatch");
  g_autoptr(GError) error = NULL;
  int fd;

  /* Not there, and a folder. */
  g_assert_null (pk_batch_reader_open (missing, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_assert_cmpstr (pk_batch_error_reason (error->code), ==, "unreadable");
  g_clear_error (&error);
  g_assert_null (pk_batch_reader_open (tmpdir, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_clear_error (&error);

  /* Larger than any batch may be (a sparse file: no disk used). */
  fd = g_open (huge, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, PK_BATCH_MAX_FILE_BYTES + 1), ==, 0);
  g_close (fd, NULL);
  g_assert_null (pk_batch_reader_open (huge, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A file that holds more than its size said when it was opened, as
   * one still being written would: /proc's files say 0 bytes. */
  g_assert_null (pk_batch_reader_open ("/proc/self/status", &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "changed while it was being read"));
}

/* A file already at the name asked for (a batch file of another
 * kiosk on the same stick): it is never overwritten, the close says so
 * and marks nothing written, and the same close to a free name works. */
static void
test_close_exists (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *template = make_kiosk ("exists-template.db", PLAIN_PETITION, N_SIGNERS);
  g_autofree char *dir = tmp_path ("exists");
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *out = g_build_filename (dir, "batch.pkbatch", NULL);
  g_autofree char *free_name = g_build_filename (dir, "batch-2.pkbatch", NULL);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  pk_proof_copy_file (template, db);
  g_assert_true (g_file_set_contents (out, "another kiosk's file", -1, &error));
  store = pk_store_open (db, &error);
  g_assert_no_error (error);

  g_assert_null (pk_batch_close (store, petition, out, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "batch.pkbatch"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (out, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "another kiosk's file");
  g_assert_cmpint (pk_batch_count_pending (store), ==, 1);
  g_assert_cmpuint (count_hidden (dir), ==, 0);

  info = pk_batch_close (store, petition, free_name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_rows, ==, N_SIGNERS);
  g_assert_cmpint (pk_batch_count_pending (store), ==, 0);
  g_clear_object (&store);
  remove_dir (dir);
}

static char *read_only_folder;

static void
set_folder_writable (const char *folder,
                     gboolean    writable)
{
  /* Root ignores file modes: there the folder is a tmpfs of its own,
   * remounted read-only as a file system is after an error. */
  if (have_mount_namespace)
    g_assert_cmpint (mount (NULL, folder, NULL, MS_REMOUNT | (writable ? 0 : MS_RDONLY), NULL), ==, 0);
  else
    g_assert_cmpint (g_chmod (folder, writable ? 0700 : 0500), ==, 0);
}

/* The kiosk's COMMIT that would note the file written: the folder turns
 * read-only first, then the commit fails. */
static int
fail_commit_after_read_only (void *user_data)
{
  set_folder_writable (read_only_folder, FALSE);
  return 1;
}

/* The file is in place, the kiosk cannot note it, and the folder no
 * longer lets the file be taken back: the close says the file is there
 * and that its signatures go into the next file too; they do, and
 * merging both files takes each signature once. */
static void
test_close_cannot_take_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *template = make_kiosk ("take-back-template.db", PLAIN_PETITION, N_SIGNERS);
  g_autofree char *db = tmp_path ("take-back.db");
  g_autofree char *out = NULL;
  g_autofree char *next = NULL;
  g_autofree char *master_path = tmp_path ("take-back-master.db");
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(PkBatchReader) reader = NULL;
  PkMergeResult result = { 0, };

  g_assert_no_error (error);
  if (geteuid () == 0 && !have_mount_namespace)
    {
      pk_test_skip (mount_skip_reason);
      return;
    }
  read_only_folder = tmp_path ("stick");
  g_assert_cmpint (g_mkdir (read_only_folder, 0700), ==, 0);
  if (have_mount_namespace)
    g_assert_cmpint (mount ("pk-batch-faults", read_only_folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700"),
                     ==, 0);
  out = g_build_filename (read_only_folder, "batch.pkbatch", NULL);
  next = g_build_filename (read_only_folder, "batch-2.pkbatch", NULL);
  pk_proof_copy_file (template, db);
  store = pk_store_open (db, &error);
  g_assert_no_error (error);

  sqlite3_commit_hook (pk_store_get_db (store), fail_commit_after_read_only, NULL);
  g_assert_null (pk_batch_close (store, petition, out, &error));
  sqlite3_commit_hook (pk_store_get_db (store), NULL, NULL);
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, out));
  g_assert_nonnull (strstr (error->message, "in the next batch file too"));
  g_clear_error (&error);

  /* The file is whole; its rows are still pending. */
  reader = pk_batch_reader_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pk_batch_reader_get_info (reader)->n_rows, ==, N_SIGNERS);
  g_assert_cmpint (pk_batch_count_pending (store), ==, 1);

  set_folder_writable (read_only_folder, TRUE);
  info = pk_batch_close (store, petition, next, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_rows, ==, N_SIGNERS);
  g_assert_cmpstr (info->uuid, !=, pk_batch_reader_get_info (reader)->uuid);

  master = pk_store_open (master_path, &error);
  g_assert_no_error (error);
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, out, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, N_SIGNERS);
  g_assert_true (pk_merge_file (merge, next, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, 0);
  g_assert_cmpint (result.present, ==, N_SIGNERS);
  g_assert_cmpuint (count_rows (master), ==, N_SIGNERS);

  g_clear_object (&store);
  if (have_mount_namespace)
    g_assert_cmpint (umount2 (read_only_folder, MNT_DETACH), ==, 0);
  g_clear_pointer (&read_only_folder, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything starts SQLite. */
  pk_alloc_fault_install ();
  g_test_init (&argc, &argv, NULL);
  /* While the process has one thread. */
  have_mount_namespace = pk_proof_enter_mount_namespace ("a stick that turns read-only", &mount_skip_reason);
  step = pk_alloc_fault_step ();
  tmpdir = g_dir_make_tmp ("pk-batch-faults-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/BatchFaults/unreadable", test_unreadable);
  g_test_add_func ("/Pk/BatchFaults/close", test_close);
  g_test_add_func ("/Pk/BatchFaults/close-counts-only", test_close_counts_only);
  g_test_add_func ("/Pk/BatchFaults/close-signature", test_close_signature);
  g_test_add_func ("/Pk/BatchFaults/close-exists", test_close_exists);
  g_test_add_func ("/Pk/BatchFaults/close-cannot-take-back", test_close_cannot_take_back);
  g_test_add_func ("/Pk/BatchFaults/merge-plain", test_merge_plain);
  g_test_add_func ("/Pk/BatchFaults/merge-encrypted", test_merge_encrypted);
  g_test_add_func ("/Pk/BatchFaults/verify", test_verify);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  g_free (mount_skip_reason);
  return status;
}
