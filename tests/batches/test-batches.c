/* test-batches.c: batch files, verification, merging and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-batches"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pk-test-skip.h"
#include "pk-batch.h"
#include "pk-export.h"
#include "pk-keys.h"
#include "pk-merge.h"
#include "pk-report.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

#define PLAIN_PETITION     SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
#define ENCRYPTED_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience-encrypted.petition"
#define DEMO_KEY           SOURCE_DATADIR "/demo/DEMO-ONLY-coordinator.key"

/* Microseconds: a fixed day, so exports never depend on the clock. */
#define T0 G_GINT64_CONSTANT (1790000000000000)

typedef struct {
  const char *given;
  const char *family;
  const char *email;
  const char *phone;
  const char *postal;
  const char *lang;
  gint64      at;    /* seconds after T0 */
} Signer;

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static PkPetition *
load_petition (const char *path)
{
  g_autoptr(GError) error = NULL;
  PkPetition *petition = pk_petition_new_from_file (path, &error);

  g_assert_no_error (error);
  return petition;
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

static void
sign (PkStore      *store,
      PkPetition   *petition,
      const Signer *s)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;
  PkField field;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, s->given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, s->family);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, s->email);
  pk_signature_set_field (sig, PK_FIELD_PHONE, s->phone);
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, s->postal);
  sig->lang = g_strdup (s->lang != NULL ? s->lang : "en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->signed_at = T0 + s->at * G_USEC_PER_SEC;
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  g_assert_no_error (error);
}

/* Makes a kiosk database named @name with @signers and closes its batch
 * into @name.pkbatch; returns the batch file's path. */
static char *
make_batch (const char   *name,
            const char   *petition_path,
            const Signer *signers,
            guint         n_signers)
{
  g_autoptr(PkPetition) petition = load_petition (petition_path);
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autoptr(PkStore) store = open_store (db_name);
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *file_name = g_strconcat (name, ".pkbatch", NULL);

  g_assert_no_error (error);
  pk_store_set_setting (store, PK_SETTING_KIOSK_NAME, name, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_signers; i++)
    sign (store, petition, &signers[i]);

  out = tmp_path (file_name);
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (info->n_rows, ==, n_signers);
  g_assert_cmpint (info->petition_version, ==, pk_petition_get_version (petition));
  return out;
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static PkMerge *
new_merge (PkStore          *master,
           PkCoordinatorKey *key)
{
  g_autoptr(GError) error = NULL;
  PkMerge *merge = pk_merge_new (master, key, NULL, NULL, &error);

  g_assert_no_error (error);
  return merge;
}

static char *
export_csv (PkStore       *store,
            PkExportFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("export.csv");
  char *contents;

  g_assert_cmpint (pk_export_write (store, PK_EXPORT_CSV, flags, path, &error), >=, 0);
  g_assert_no_error (error);
  contents = read_file (path, NULL);
  g_unlink (path);
  return contents;
}

static gint64
count_rows (PkStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Three kiosks with overlapping signers --------------------------------- */

static const Signer kiosk1[] = {
  { "Ada", "Lovelace", "ada@example.org", NULL, NULL, "en", 100 },
  { "Bo", "Berg", NULL, "+49 30 1234567", NULL, "de", 110 },
  { "서연", "김", NULL, NULL, "04500", "ko", 120 },
  { "Dana", NULL, NULL, NULL, NULL, "en", 130 },
};
static const Signer kiosk2[] = {
  /* Same email in other case, and EARLIER: must become the kept one. */
  { "Ada", "L.", "ADA@Example.ORG", NULL, NULL, "en", 90 },
  { "Bo", "Berg", NULL, "+49 30 1234567", NULL, "de", 200 },
  { "Erin", "Eck", "erin@example.org", NULL, NULL, "en", 210 },
};
static const Signer kiosk3[] = {
  /* Same name (other letter case) and postal code typed with a space. */
  { "서연", "김", NULL, NULL, "04 500", "ko", 50 },
  { "Ada", "Lovelace", "ada@EXAMPLE.org", "+44 20 7946 0000", NULL, "en", 300 },
  { "Jürgen", "Müller", "juergen@example.de", NULL, "10117", "de", 310 },
};

static char *batch_files[3];

static void
make_three_batches (void)
{
  if (batch_files[0] != NULL)
    return;
  batch_files[0] = make_batch ("kiosk1", PLAIN_PETITION, kiosk1, G_N_ELEMENTS (kiosk1));
  batch_files[1] = make_batch ("kiosk2", PLAIN_PETITION, kiosk2, G_N_ELEMENTS (kiosk2));
  batch_files[2] = make_batch ("kiosk3", PLAIN_PETITION, kiosk3, G_N_ELEMENTS (kiosk3));
}

static void
merge_in_order (PkStore   *master,
                const int *order)
{
  g_autoptr(PkMerge) merge = new_merge (master, NULL);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      PkMergeResult result;

      g_assert_true (pk_merge_file (merge, batch_files[order[i]], &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.outcome, ==, PK_MERGE_ADDED);
    }
}

static void
test_merge_totals (void)
{
  static const int order[] = { 0, 1, 2 };
  g_autoptr(PkStore) master = open_store ("master-totals.db");
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *csv = NULL;
  JsonObject *root;

  make_three_batches ();
  merge_in_order (master, order);

  /* 10 rows; duplicates: Ada ×2 (email), Bo ×1 (phone), 서연 김 ×1
   * (name + postal code). Dana has nothing to compare and stays. */
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 10);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_duplicates"), ==, 4);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_duplicates WHERE rule = 'email'"), ==, 2);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_duplicates WHERE rule = 'phone'"), ==, 1);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_duplicates WHERE rule = 'name+postal_code'"), ==, 1);
  /* The earliest Ada (kiosk 2, +90 s) is kept, whatever came first. */
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_duplicates d JOIN signatures s ON s.uuid = d.kept_uuid "
                                       "WHERE d.rule = 'email' AND s.signed_at = 1790000090000000"), ==, 2);
  /* Provenance: each row knows its batch and kiosk. */
  g_assert_cmpint (count_rows (master, "SELECT count(DISTINCT b.kiosk_name) FROM signatures s JOIN batches b ON b.id = s.batch_id"), ==, 3);

  report = pk_report_build (master, &error);
  g_assert_no_error (error);
  root = json_node_get_object (report);
  g_assert_cmpint (json_object_get_int_member (root, "signatures"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (root, "distinct"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (root, "duplicates"), ==, 4);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "by_kiosk")), ==, 3);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "duplicates_list")), ==, 4);

  csv = export_csv (master, PK_EXPORT_FLAGS_NONE);
  /* Header + 6 distinct signers, CRLF each. */
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

    g_assert_cmpint (g_strv_length (lines), ==, 8);
    g_assert_cmpstr (lines[7], ==, "");
    g_assert_true (g_str_has_prefix (lines[0], "uuid,signed_at,given_name,family_name,email"));
    /* The kept Ada is kiosk 2's, as typed there (domain lower-cased). */
    g_assert_nonnull (strstr (csv, ",Ada,L.,ADA@example.org,"));
  }

  /* Idempotent: every file again changes nothing. */
  before = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  merge = new_merge (master, NULL);
  for (guint i = 0; i < 3; i++)
    {
      PkMergeResult result;

      g_assert_true (pk_merge_file (merge, batch_files[i], &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.outcome, ==, PK_MERGE_ALREADY);
      g_assert_cmpint (result.added, ==, 0);
    }
  after = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 10);
}

static void
test_merge_order (void)
{
  static const int orders[6][3] = {
    { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
  };
  g_autofree char *first = NULL;
  g_autofree char *first_all = NULL;

  make_three_batches ();
  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *name = g_strdup_printf ("master-order-%u.db", o);
      g_autoptr(PkStore) master = open_store (name);
      g_autofree char *csv = NULL;
      g_autofree char *all = NULL;

      merge_in_order (master, orders[o]);
      csv = export_csv (master, PK_EXPORT_FLAGS_NONE);
      all = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
      if (first == NULL)
        {
          first = g_steal_pointer (&csv);
          first_all = g_steal_pointer (&all);
        }
      else
        {
          g_assert_cmpstr (csv, ==, first);
          g_assert_cmpstr (all, ==, first_all);
        }
    }
}

/* Bad files --------------------------------------------------------------- */

/* A batch past the merge's progress step (one call every 1,000 rows):
 * the coordinator window's bar. */
#define PROGRESS_ROWS 2100

static void
on_progress (gint64   rows_done,
             gint64   rows_total,
             gpointer user_data)
{
  GArray *calls = user_data;
  gint64 call[2] = { rows_done, rows_total };

  g_array_append_vals (calls, call, 2);
}

/* The progress of a merge of 2,100 rows: at 1,000 and 2,000 rows, then
 * at the end, each of the batch's total, the rows all in. */
static void
test_merge_progress (void)
{
  static const gint64 expected[] = { 1000, PROGRESS_ROWS, 2000, PROGRESS_ROWS, PROGRESS_ROWS, PROGRESS_ROWS };
  g_autofree Signer *signers = g_new0 (Signer, PROGRESS_ROWS);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *batch = NULL;
  g_autoptr(PkStore) master = open_store ("progress-master.db");
  g_autoptr(PkMerge) merge = new_merge (master, NULL);
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  PkMergeResult result;

  for (guint i = 0; i < PROGRESS_ROWS; i++)
    {
      g_ptr_array_add (emails, g_strdup_printf ("progress%u@example.org", i));
      signers[i] = (Signer) { "Ada", "Lovelace", emails->pdata[i], NULL, NULL, "en", i };
    }
  batch = make_batch ("progress", PLAIN_PETITION, signers, PROGRESS_ROWS);

  pk_merge_set_progress (merge, on_progress, calls);
  g_assert_true (pk_merge_file (merge, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, PROGRESS_ROWS);
  g_assert_cmpmem (calls->data, calls->len * sizeof (gint64), expected, sizeof expected);
}

static char *
copy_batch (const char *from,
            const char *name)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  char *to = tmp_path (name);

  contents = read_file (from, &length);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
  return to;
}

static char *
edit_batch (const char *name,
            const char *sql)
{
  char *path = copy_batch (batch_files[0], name);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return path;
}

static void
assert_rejected (const char   *path,
                 const char   *petition_id,
                 PkTrustList  *trust,
                 PkBatchError  expected)
{
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) merge_error = NULL;
  static guint n_masters;
  g_autofree char *master_name = g_strdup_printf ("master-bad-%u.db", n_masters++);
  g_autoptr(PkStore) master = NULL;
  g_autoptr(PkMerge) merge = NULL;

  reader = pk_batch_reader_open (path, &error);
  if (reader != NULL)
    pk_batch_reader_check (reader, petition_id, trust, &error);
  g_assert_error (error, PK_BATCH_ERROR, (int) expected);

  master = open_store (master_name);
  merge = pk_merge_new (master, NULL, trust, petition_id, &merge_error);
  g_assert_no_error (merge_error);
  g_assert_false (pk_merge_file (merge, path, NULL, &merge_error));
  g_assert_error (merge_error, PK_BATCH_ERROR, (int) expected);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 0);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM batches WHERE origin = 'imported'"), ==, 0);
  g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_rejected"), ==, 1);
}

static void
test_bad_files (void)
{
  g_autofree char *field = NULL, *time = NULL, *deleted = NULL, *added = NULL;
  g_autofree char *newer = NULL, *truncated = NULL, *text = NULL, *kiosk_db = NULL;
  g_autofree char *header = NULL, *trust_path = NULL, *consent = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(PkTrustList) trust = NULL;
  g_autoptr(GError) error = NULL;
  guint8 other_key[32];
  g_autofree char *other_b64 = NULL;
  g_autofree char *trust_text = NULL;
  gsize length;

  make_three_batches ();

  field = edit_batch ("field.pkbatch", "UPDATE signatures SET lang = 'de' WHERE lang = 'en'");
  assert_rejected (field, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  time = edit_batch ("time.pkbatch", "UPDATE signatures SET signed_at = signed_at + 1");
  assert_rejected (time, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  header = edit_batch ("header.pkbatch", "UPDATE batch SET event = 'elsewhere'");
  assert_rejected (header, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  deleted = edit_batch ("deleted.pkbatch", "DELETE FROM signatures WHERE uuid = (SELECT min(uuid) FROM signatures)");
  assert_rejected (deleted, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  added = edit_batch ("added.pkbatch",
                      "INSERT INTO signatures SELECT '00000000-0000-4000-8000-000000000000', signed_at, source, lang, "
                      "consent_hash, opt_in, sheet_serial, sheet_line, key_id, payload, sensitive_consent_hash "
                      "FROM signatures LIMIT 1");
  assert_rejected (added, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  /* The record of the sensitive-data consent is signed like the rest. */
  consent = edit_batch ("consent.pkbatch", "UPDATE signatures SET sensitive_consent_hash = NULL");
  assert_rejected (consent, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  newer = edit_batch ("newer.pkbatch", "PRAGMA user_version = 99");
  assert_rejected (newer, NULL, NULL, PK_BATCH_ERROR_NEWER_VERSION);

  contents = read_file (batch_files[0], &length);
  truncated = tmp_path ("truncated.pkbatch");
  g_file_set_contents (truncated, contents, length / 2, &error);
  g_assert_no_error (error);
  assert_rejected (truncated, NULL, NULL, PK_BATCH_ERROR_TRUNCATED);

  text = tmp_path ("text.pkbatch");
  g_file_set_contents (text, "[Petition]\nId=nothing\n", -1, &error);
  g_assert_no_error (error);
  assert_rejected (text, NULL, NULL, PK_BATCH_ERROR_NOT_A_BATCH);
  /* A SQLite database that is not a batch (a kiosk database). */
  kiosk_db = tmp_path ("kiosk2.db");
  assert_rejected (kiosk_db, NULL, NULL, PK_BATCH_ERROR_NOT_A_BATCH);

  assert_rejected (batch_files[0], "another-petition", NULL, PK_BATCH_ERROR_WRONG_PETITION);

  randombytes_buf (other_key, sizeof other_key);
  other_b64 = pk_key_to_base64 (other_key, sizeof other_key);
  trust_text = g_strdup_printf ("# only this kiosk\n%s\n", other_b64);
  trust_path = tmp_path ("trust.txt");
  g_file_set_contents (trust_path, trust_text, -1, &error);
  g_assert_no_error (error);
  trust = pk_trust_list_load (trust_path, &error);
  g_assert_no_error (error);
  assert_rejected (batch_files[0], NULL, trust, PK_BATCH_ERROR_UNTRUSTED_KIOSK);
}

/* Merges @paths into a new master @name with @key (may be NULL), each
 * file read ahead on the second thread (as `merge` does) when @ahead;
 * the outcome and error of each file, one line each. */
static char *
merge_listing (const char         *name,
               PkCoordinatorKey   *key,
               const char * const *paths,
               guint               n_paths,
               gboolean            ahead,
               PkStore           **out_master)
{
  PkStore *master = open_store (name);
  g_autoptr(PkMerge) merge = new_merge (master, key);
  GString *listing = g_string_new (NULL);

  /* Read ahead and never merged: dropped when a later file is. */
  if (ahead)
    pk_merge_read_ahead (merge, paths[n_paths - 1]);
  for (guint i = 0; i < n_paths; i++)
    {
      g_autoptr(GError) error = NULL;
      PkMergeResult result;
      gboolean ok;

      if (ahead && i + 1 < n_paths)
        pk_merge_read_ahead (merge, paths[i + 1]);
      ok = pk_merge_file (merge, paths[i], &result, &error);
      g_string_append_printf (listing, "%d %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %s %d %s\n", ok, result.outcome, result.added, result.duplicates, result.present,
                              error != NULL ? g_quark_to_string (error->domain) : "-",
                              error != NULL ? error->code : 0, error != NULL ? error->message : "-");
    }
  /* One more read ahead left for pk_merge_free(). */
  if (ahead)
    pk_merge_read_ahead (merge, paths[0]);
  *out_master = master;
  return g_string_free (listing, FALSE);
}

/* A file read on the second thread is merged, or refused, exactly as
 * one read when it is merged: the same outcomes, messages, rejected
 * files and rows, whatever was read ahead and not merged. */
static void
test_read_ahead (void)
{
  g_autofree char *tampered = NULL, *truncated = NULL, *contents = NULL;
  g_autofree char *plain = NULL, *ahead = NULL, *plain_rows = NULL, *ahead_rows = NULL;
  g_autoptr(PkStore) plain_master = NULL;
  g_autoptr(PkStore) ahead_master = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[6];
  gsize length;

  make_three_batches ();
  tampered = edit_batch ("ahead-tampered.pkbatch", "UPDATE signatures SET signed_at = signed_at + 1");
  contents = read_file (batch_files[1], &length);
  truncated = tmp_path ("ahead-truncated.pkbatch");
  g_file_set_contents (truncated, contents, length / 2, &error);
  g_assert_no_error (error);
  paths[0] = batch_files[0];
  paths[1] = tampered;
  paths[2] = truncated;
  paths[3] = batch_files[1];
  paths[4] = batch_files[0];
  paths[5] = batch_files[2];

  plain = merge_listing ("master-plain.db", NULL, paths, G_N_ELEMENTS (paths), FALSE, &plain_master);
  ahead = merge_listing ("master-ahead.db", NULL, paths, G_N_ELEMENTS (paths), TRUE, &ahead_master);
  g_test_message ("%s", plain);
  g_assert_cmpstr (ahead, ==, plain);
  g_assert_nonnull (strstr (plain, "does not match its contents"));
  g_assert_cmpint (count_rows (ahead_master, "SELECT count(*) FROM merge_rejected"), ==, 2);
  g_assert_cmpint (count_rows (ahead_master, "SELECT count(*) FROM merge_rejected"), ==,
                   count_rows (plain_master, "SELECT count(*) FROM merge_rejected"));
  plain_rows = export_csv (plain_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  ahead_rows = export_csv (ahead_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  g_assert_cmpstr (ahead_rows, ==, plain_rows);
}

/* Merges @paths with @key as test_read_ahead() does, read ahead and
 * not, and checks that both give the same outcomes and rows; returns
 * the listing. */
static char *
assert_same_ahead (const char         *name,
                   PkCoordinatorKey   *key,
                   const char * const *paths,
                   guint               n_paths)
{
  g_autofree char *plain_name = g_strconcat (name, "-plain.db", NULL);
  g_autofree char *ahead_name = g_strconcat (name, "-ahead.db", NULL);
  g_autofree char *ahead = NULL, *plain_rows = NULL, *ahead_rows = NULL;
  g_autoptr(PkStore) plain_master = NULL;
  g_autoptr(PkStore) ahead_master = NULL;
  char *plain;

  plain = merge_listing (plain_name, key, paths, n_paths, FALSE, &plain_master);
  ahead = merge_listing (ahead_name, key, paths, n_paths, TRUE, &ahead_master);
  g_test_message ("%s", plain);
  g_assert_cmpstr (ahead, ==, plain);
  g_assert_cmpint (count_rows (ahead_master, "SELECT count(*) FROM merge_rejected"), ==,
                   count_rows (plain_master, "SELECT count(*) FROM merge_rejected"));
  g_assert_cmpint (count_rows (ahead_master, "SELECT count(*) FROM merge_duplicates"), ==,
                   count_rows (plain_master, "SELECT count(*) FROM merge_duplicates"));
  plain_rows = export_csv (plain_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  ahead_rows = export_csv (ahead_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  g_assert_cmpstr (ahead_rows, ==, plain_rows);
  return plain;
}

/* The rows of a file read ahead are decrypted, and their signers read,
 * on the second thread: the outcome, the duplicates found, the errors of
 * a missing or wrong key and the rows are those of a file decrypted
 * when it is merged. */
static void
test_read_ahead_encrypted (void)
{
  g_autofree char *enc1 = make_batch ("ahead-enc1", ENCRYPTED_PETITION, kiosk1, G_N_ELEMENTS (kiosk1));
  g_autofree char *enc2 = make_batch ("ahead-enc2", ENCRYPTED_PETITION, kiosk2, G_N_ELEMENTS (kiosk2));
  g_autofree char *enc3 = make_batch ("ahead-enc3", ENCRYPTED_PETITION, kiosk3, G_N_ELEMENTS (kiosk3));
  g_autofree char *wrong_key_path = tmp_path ("ahead-wrong.key");
  g_autofree char *with_key = NULL, *without_key = NULL, *with_wrong_key = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkCoordinatorKey) wrong_key = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[5] = { enc1, enc2, enc1, enc3, enc2 };

  key = pk_coordinator_key_load (DEMO_KEY, &error);
  g_assert_no_error (error);
  wrong_key = pk_coordinator_key_generate (wrong_key_path, &error);
  g_assert_no_error (error);

  with_key = assert_same_ahead ("ahead-key", key, paths, G_N_ELEMENTS (paths));
  /* Every file merged, with the duplicates of test_merge_totals()'s
   * files; the files merged again add nothing. */
  g_assert_cmpstr (with_key, ==,
                   "1 0 4 0 0 - 0 -\n"
                   "1 0 3 2 0 - 0 -\n"
                   "1 1 0 0 0 - 0 -\n"
                   "1 0 3 2 0 - 0 -\n"
                   "1 1 0 0 0 - 0 -\n");
  without_key = assert_same_ahead ("ahead-no-key", NULL, paths, G_N_ELEMENTS (paths));
  g_assert_nonnull (strstr (without_key, "give the coordinator's secret key with --key"));
  with_wrong_key = assert_same_ahead ("ahead-wrong-key", wrong_key, paths, G_N_ELEMENTS (paths));
  g_assert_nonnull (strstr (with_wrong_key, "encrypted for a different coordinator key"));
}

/* What pk_merge_files() said, one line per file as merge_listing()
 * writes it; and, at each file, the rows a second connection to the
 * master sees: a file is said only once it is committed. */
typedef struct {
  GString *listing;
  char    *master_path;
  gint64   added;
} FilesListing;

static gboolean
listing_file_done (const char          *path,
                   const PkMergeResult *result,
                   const GError        *error,
                   gpointer             user_data)
{
  FilesListing *files = user_data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_string_append_printf (files->listing, "%d %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %s %d %s\n", error == NULL, result->outcome, result->added, result->duplicates,
                          result->present, error != NULL ? g_quark_to_string (error->domain) : "-",
                          error != NULL ? error->code : 0, error != NULL ? error->message : "-");
  files->added += result->added;
  g_assert_cmpint (sqlite3_open_v2 (files->master_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  /* At least what was said: the rest of its transaction's files are
   * in too, said right after. */
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >=, files->added);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  /* As `merge` does: the files left wait for the master to be fixed. */
  return result->outcome != PK_MERGE_FAILED;
}

static int commits_to_refuse;
static guint commits_tried;

static int
refuse_some_commits (void *user_data)
{
  commits_tried++;
  return commits_to_refuse-- > 0;
}

/* Merges @paths with pk_merge_files() into a new master @name, whose
 * first @refused COMMITs fail, committing every @group_rows rows; the
 * listing, as merge_listing() makes. */
static char *
merge_files_listing (const char         *name,
                     const char * const *paths,
                     guint               n_paths,
                     gint64              group_rows,
                     int                 refused,
                     PkStore           **out_master)
{
  PkStore *master = open_store (name);
  g_autoptr(PkMerge) merge = new_merge (master, NULL);
  FilesListing files = { g_string_new (NULL), g_strdup (pk_store_get_path (master)), 0 };

  commits_to_refuse = refused;
  commits_tried = 0;
  sqlite3_commit_hook (pk_store_get_db (master), refuse_some_commits, NULL);
  pk_merge_files (merge, paths, n_paths, group_rows, listing_file_done, &files);
  sqlite3_commit_hook (pk_store_get_db (master), NULL, NULL);
  g_free (files.master_path);
  *out_master = master;
  return g_string_free (files.listing, FALSE);
}

/* pk_merge_files() puts several files in one transaction: each file is
 * said, with what pk_merge_file() would have said of it, only once it
 * is committed; a file rejected among them, or a COMMIT the master
 * refuses, leaves the master, the rejections noted and what is said
 * exactly as merging the files one by one does. */
static void
test_merge_files (void)
{
  g_autofree char *tampered = NULL, *truncated = NULL, *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[7];
  const char *good[4];
  gsize length;

  make_three_batches ();
  tampered = edit_batch ("files-tampered.pkbatch", "UPDATE signatures SET signed_at = signed_at + 1");
  contents = read_file (batch_files[1], &length);
  truncated = tmp_path ("files-truncated.pkbatch");
  g_file_set_contents (truncated, contents, length / 2, &error);
  g_assert_no_error (error);
  paths[0] = good[0] = batch_files[0];
  paths[1] = good[1] = batch_files[1];
  paths[2] = tampered;
  paths[3] = good[2] = batch_files[0];
  paths[4] = truncated;
  paths[5] = good[3] = batch_files[2];
  paths[6] = batch_files[1];

  /* Files rejected among them: the files before go in one by one. */
  {
    g_autoptr(PkStore) one_by_one_master = NULL;
    g_autoptr(PkStore) master = NULL;
    g_autofree char *one_by_one = merge_listing ("master-files-one-by-one.db", NULL, paths, G_N_ELEMENTS (paths),
                                                 FALSE, &one_by_one_master);
    g_autofree char *listing = merge_files_listing ("master-files.db", paths, G_N_ELEMENTS (paths), PK_MERGE_GROUP_ROWS, 0,
                                                         &master);
    g_autofree char *one_by_one_rows = export_csv (one_by_one_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
    g_autofree char *rows = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);

    g_test_message ("%s", listing);
    g_assert_nonnull (strstr (listing, "does not match its contents"));
    g_assert_cmpstr (listing, ==, one_by_one);
    g_assert_cmpint (count_rows (master, "SELECT count(*) FROM merge_rejected"), ==, 2);
    g_assert_cmpint (count_rows (one_by_one_master, "SELECT count(*) FROM merge_rejected"), ==, 2);
    g_assert_cmpstr (rows, ==, one_by_one_rows);
  }

  /* The COMMIT of the four files refused: they go in one by one. */
  {
    g_autoptr(PkStore) one_by_one_master = NULL;
    g_autoptr(PkStore) master = NULL;
    g_autofree char *one_by_one = merge_listing ("master-good-one-by-one.db", NULL, good, G_N_ELEMENTS (good),
                                                 FALSE, &one_by_one_master);
    g_autofree char *listing = merge_files_listing ("master-good.db", good, G_N_ELEMENTS (good), PK_MERGE_GROUP_ROWS, 1,
                                                         &master);
    g_autofree char *one_by_one_rows = export_csv (one_by_one_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
    g_autofree char *rows = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);

    g_test_message ("%s", listing);
    g_assert_cmpstr (listing, ==, one_by_one);
    g_assert_cmpstr (rows, ==, one_by_one_rows);
  }

  /* Transactions that fill up before the files end: each is committed
   * and its files said before the next begins, and the master ends as
   * when merged one by one. With a group of one row, a COMMIT for each
   * file that brings rows (the first file again brings none, and goes
   * with the next); with a group of a file and a bit, two. */
  {
    g_autoptr(PkStore) one_by_one_master = NULL;
    g_autofree char *one_by_one = merge_listing ("master-groups-one-by-one.db", NULL, good, G_N_ELEMENTS (good),
                                                 FALSE, &one_by_one_master);
    g_autofree char *one_by_one_rows = export_csv (one_by_one_master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
    g_autoptr(PkBatchReader) first = pk_batch_reader_open (good[0], &error);
    const struct {
      gint64 rows;
      guint  commits;
    } groups[] = {
      { 1, 3 },
      { 0, 2 },
    };

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
      {
        g_autoptr(PkStore) master = NULL;
        g_autofree char *name = g_strdup_printf ("master-groups-%u.db", i);
        /* The good files all hold as many rows as the first. */
        gint64 rows = groups[i].rows != 0 ? groups[i].rows : pk_batch_reader_get_info (first)->n_rows + 1;
        g_autofree char *listing = merge_files_listing (name, good, G_N_ELEMENTS (good), rows, 0, &master);
        g_autofree char *group_rows = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);

        g_test_message ("%" G_GINT64_FORMAT " rows a transaction:\n%s", rows, listing);
        g_assert_cmpstr (listing, ==, one_by_one);
        g_assert_cmpstr (group_rows, ==, one_by_one_rows);
        /* A transaction open for a second is committed early too, which
         * a slow machine may see: never fewer COMMITs, never more than
         * one a file. */
        g_assert_cmpuint (commits_tried, >=, groups[i].commits);
        g_assert_cmpuint (commits_tried, <=, G_N_ELEMENTS (good));
      }
  }

  /* And the first file's own COMMIT refused too: that file failed, said
   * as the master's fault, and the merge stopped there, nothing in. */
  {
    g_autoptr(PkStore) master = NULL;
    g_autofree char *listing = merge_files_listing ("master-refused.db", good, G_N_ELEMENTS (good), PK_MERGE_GROUP_ROWS, 2,
                                                         &master);

    g_test_message ("%s", listing);
    g_assert_true (g_str_has_prefix (listing, "0 3 0 0 0 pk-store-error-quark"));
    g_assert_cmpint (strchr (listing, '\n') - listing + 1, ==, strlen (listing));
    g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 0);
    g_assert_cmpint (count_rows (master, "SELECT count(*) FROM batches WHERE origin = 'imported'"), ==, 0);
  }
}

static void
test_trust_fingerprint (void)
{
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(PkTrustList) trust = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *path = tmp_path ("trust-fp.txt");
  g_autofree char *text = NULL;

  make_three_batches ();
  reader = pk_batch_reader_open (batch_files[1], &error);
  g_assert_no_error (error);
  fingerprint = pk_key_fingerprint (pk_batch_reader_get_info (reader)->kiosk_key);
  /* 8 groups of 4 base32 characters. */
  g_assert_cmpint (strlen (fingerprint), ==, 39);
  text = g_strdup_printf ("%s\n", fingerprint);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  trust = pk_trust_list_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (pk_batch_reader_check (reader, "prisoners-of-conscience", trust, &error));
  g_assert_no_error (error);
}

/* A random byte flip either fails verification or changes nothing that
 * is imported. */
static void
test_byte_flips (void)
{
  g_autofree char *contents = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *flipped = tmp_path ("flipped.pkbatch");
  gsize length;
  guint n_accepted = 0;
  guint iterations = g_test_thorough () ? 2000 : 150;

  make_three_batches ();
  contents = read_file (batch_files[2], &length);
  {
    g_autoptr(PkStore) master = open_store ("master-flip-ref.db");
    g_autoptr(PkMerge) merge = new_merge (master, NULL);
    g_autoptr(GError) error = NULL;

    pk_merge_file (merge, batch_files[2], NULL, &error);
    g_assert_no_error (error);
    reference = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);
  }

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *copy = g_memdup2 (contents, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(PkStore) master = NULL;
      g_autoptr(PkMerge) merge = NULL;
      g_autofree char *master_path = tmp_path ("master-flip.db");
      g_autofree char *wal = g_strconcat (master_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (master_path, "-shm", NULL);
      gsize at = g_test_rand_int_range (0, (gint32) length);

      copy[at] ^= (char) (1 << g_test_rand_int_range (0, 8));
      g_file_set_contents (flipped, copy, length, &error);
      g_assert_no_error (error);

      master = open_store ("master-flip.db");
      merge = new_merge (master, NULL);
      if (pk_merge_file (merge, flipped, NULL, &error))
        {
          g_autofree char *csv = export_csv (master, PK_EXPORT_FLAGS_INCLUDE_DUPLICATES);

          g_assert_cmpstr (csv, ==, reference);
          n_accepted++;
        }
      else
        g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 0);

      g_clear_pointer (&merge, pk_merge_free);
      g_clear_object (&master);
      g_unlink (master_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_test_message ("%u of %u flips were in bytes that carry nothing signed", n_accepted, iterations);
}

/* Encrypted mode ------------------------------------------------------- */

static const Signer secret_signers[] = {
  { "지은", "박", "jieun.park@example.kr", "010-2345-6789", "06236", "ko", 10 },
  { "Zoë", "Quasimodo-Ørsted", "zoe.orsted@example.dk", "+45 32 11 22 33", "2100", "en", 20 },
};

static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_file_hides_signers (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  contents = read_file (path, &length);
  for (guint i = 0; i < G_N_ELEMENTS (secret_signers); i++)
    {
      const Signer *s = &secret_signers[i];
      const char *needles[] = { s->given, s->family, s->email, s->phone, "jieun", "orsted" };

      for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
        if (bytes_contain (contents, length, needles[n]))
          g_error ("“%s” appears in %s", needles[n], path);
    }
}

static void
test_encrypted (void)
{
  g_autoptr(PkPetition) petition = load_petition (ENCRYPTED_PETITION);
  g_autoptr(PkStore) store = open_store ("secret.db");
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkCoordinatorKey) wrong_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = tmp_path ("secret.db");
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *batch = tmp_path ("secret.pkbatch");
  g_autofree char *wrong_key_path = tmp_path ("wrong.key");
  g_autofree char *csv = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secret_signers); i++)
    sign (store, petition, &secret_signers[i]);
  assert_file_hides_signers (db_path);
  assert_file_hides_signers (wal_path);

  info = pk_batch_close (store, petition, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_rows, ==, 2);
  g_assert_cmpint (info->n_sealed_keys, ==, 1);
  assert_file_hides_signers (batch);
  assert_file_hides_signers (db_path);
  assert_file_hides_signers (wal_path);

  /* Without a key, or with the wrong key: rejected whole. */
  wrong_key = pk_coordinator_key_generate (wrong_key_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PkStore) master = open_store ("secret-master-wrong.db");
    g_autoptr(PkMerge) merge = new_merge (master, wrong_key);
    g_autoptr(PkMerge) merge_no_key = new_merge (master, NULL);

    g_assert_false (pk_merge_file (merge, batch, NULL, &error));
    g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY);
    g_clear_error (&error);
    g_assert_false (pk_merge_file (merge_no_key, batch, NULL, &error));
    g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_NO_KEY);
    g_clear_error (&error);
    g_assert_cmpint (count_rows (master, "SELECT count(*) FROM signatures"), ==, 0);
    g_assert_cmpint (count_rows (master, "SELECT count(*) FROM batches WHERE origin = 'imported'"), ==, 0);
  }

  key = pk_coordinator_key_load (DEMO_KEY, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PkStore) master = open_store ("secret-master.db");
    g_autoptr(PkMerge) merge = new_merge (master, key);

    g_assert_true (pk_merge_file (merge, batch, NULL, &error));
    g_assert_no_error (error);
    csv = export_csv (master, PK_EXPORT_FLAGS_NONE);
  }
  for (guint i = 0; i < G_N_ELEMENTS (secret_signers); i++)
    {
      g_assert_nonnull (strstr (csv, secret_signers[i].given));
      g_assert_nonnull (strstr (csv, secret_signers[i].family));
      g_assert_nonnull (strstr (csv, secret_signers[i].email));
    }
}

/* CSV ------------------------------------------------------------------- */

static char *
recover_cell (const char *cell)
{
  GString *out = g_string_new (NULL);
  const char *p = cell;

  if (*p == '"')
    {
      for (p++; *p != '\0'; p++)
        {
          if (*p == '"' && p[1] == '"')
            p++;
          else if (*p == '"')
            break;
          g_string_append_c (out, *p);
        }
    }
  else
    g_string_append (out, cell);
  if (out->str[0] == '\'')
    g_string_erase (out, 0, 1);
  return g_string_free (out, FALSE);
}

static void
test_csv_inert (void)
{
  static const char * const values[] = {
    "=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2", "@SUM(A1)", "\tx", "'quoted",
    "plain", "a,b", "say \"hi\"", "line\nbreak", "김서연",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GString) cell = g_string_new (NULL);
      g_autofree char *recovered = NULL;
      const char *first;

      pk_export_append_csv_cell (cell, values[i]);
      first = cell->str[0] == '"' ? cell->str + 1 : cell->str;
      /* Nothing a spreadsheet would evaluate starts a cell. */
      g_assert_null (strchr ("=+-@\t\r", first[0]));
      recovered = recover_cell (cell->str);
      g_assert_cmpstr (recovered, ==, values[i]);
    }
}

static void
test_csv_formula_name (void)
{
  static const Signer formula[] = {
    { "=HYPERLINK(\"http://evil.example\",\"click\")", "Doe", "f@example.org", NULL, NULL, "en", 5 },
  };
  g_autofree char *batch = make_batch ("formula", PLAIN_PETITION, formula, 1);
  g_autoptr(PkStore) master = open_store ("formula-master.db");
  g_autoptr(PkMerge) merge = new_merge (master, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (pk_merge_file (merge, batch, NULL, &error));
  g_assert_no_error (error);
  csv = export_csv (master, PK_EXPORT_FLAGS_BOM);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFuuid,"));
  g_assert_nonnull (strstr (csv, ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",Doe,"));
}

/* Keys, closing and wiping ---------------------------------------------- */

static void
test_keys (void)
{
  g_autofree char *path = tmp_path ("coordinator.key");
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkCoordinatorKey) loaded = NULL;
  g_autoptr(PkCoordinatorKey) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *broken = tmp_path ("broken.key");
  struct stat st;

  key = pk_coordinator_key_generate (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = pk_coordinator_key_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (loaded->public_key, 32, key->public_key, 32);
  g_assert_cmpmem (loaded->secret_key, 32, key->secret_key, 32);

  /* Never over an existing file. */
  again = pk_coordinator_key_generate (path, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (again);
  g_clear_error (&error);

  /* Halves that do not belong together are refused. */
  contents = read_file (path, NULL);
  contents[strstr (contents, "SecretKey=") - contents + 12] ^= 1;
  g_file_set_contents (broken, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_null (pk_coordinator_key_load (broken, &error));
  g_assert_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID);
}

static void
test_kiosk_key_stable (void)
{
  g_autoptr(PkStore) store = open_store ("kiosk-key.db");
  g_autoptr(PkKioskKey) a = NULL;
  g_autoptr(PkKioskKey) b = NULL;
  g_autoptr(GError) error = NULL;

  a = pk_kiosk_key_ensure (store, &error);
  g_assert_no_error (error);
  b = pk_kiosk_key_ensure (store, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (a->public_key, 32, b->public_key, 32);
}

static void
test_close_and_wipe (void)
{
  static const Signer signers[] = {
    { "Wanda", "Wipe", "wanda@example.org", NULL, NULL, "en", 1 },
    { "Will", "Wipe", "will@example.org", NULL, NULL, "en", 2 },
  };
  g_autoptr(PkPetition) petition = load_petition (PLAIN_PETITION);
  g_autoptr(PkStore) store = open_store ("wipe.db");
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(PkBatchInfo) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = tmp_path ("wipe.pkbatch");
  g_autofree char *out2 = tmp_path ("wipe2.pkbatch");
  gint64 batch_before = pk_store_get_current_batch (store);

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    sign (store, petition, &signers[i]);
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pk_store_get_current_batch (store), !=, batch_before);
  g_assert_cmpint (pk_store_count_exported (store), ==, 2);

  /* Nothing new: nothing to close, and an existing file is untouched. */
  none = pk_batch_close (store, petition, out2, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));

  sign (store, petition, &(Signer) { "Xia", "New", "xia@example.org", NULL, NULL, "en", 3 });
  g_assert_null (pk_batch_close (store, petition, out, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (pk_store_count_exported (store), ==, 2);

  g_assert_cmpint (pk_store_wipe_exported (store, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (pk_store_count_exported (store), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM signatures"), ==, 1);
}


/* The quick payload reader agrees with pk_signature_deserialize(): on
 * every payload the serializer makes, and on damaged ones it either
 * refuses or reads what the strict reader reads. */
static void
test_peek_fields (void)
{
  static const char *samples[] = { "김", "Zoë", "a@example.org", "+49 30 1234567", "04500", "KR", "=1+2", "x" };
  guint iterations = 400;

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autoptr(PkSignature) strict = pk_signature_new ();
      g_autoptr(GBytes) payload = NULL;
      g_autofree guint8 *copy = NULL;
      const char *fields[PK_N_FIELDS];
      gsize size;
      gboolean peeked, deserialized;

      for (guint f = 0; f < PK_N_FIELDS; f++)
        if (g_test_rand_bit ())
          {
            g_autofree char *value = g_strdup_printf ("%s%u", samples[g_test_rand_int_range (0, G_N_ELEMENTS (samples))],
                                                      g_test_rand_int_range (0, 1000000));

            pk_signature_set_field (sig, f, value);
          }
      if (g_test_rand_bit ())
        {
          guint8 strokes[300];

          for (guint b = 0; b < sizeof strokes; b++)
            strokes[b] = (guint8) g_test_rand_int ();
          sig->strokes = g_bytes_new (strokes, g_test_rand_int_range (1, sizeof strokes));
        }
      payload = pk_signature_serialize (sig);
      size = g_bytes_get_size (payload);
      copy = g_memdup2 (g_bytes_get_data (payload, NULL), size);

      g_assert_true (pk_export_peek_fields (copy, size, fields));
      for (guint f = 0; f < PK_N_FIELDS; f++)
        g_assert_cmpstr (fields[f], ==, sig->fields[f]);

      /* Damage one byte. */
      copy[g_test_rand_int_range (0, (gint32) size)] ^= (guint8) (1 << g_test_rand_int_range (0, 8));
      peeked = pk_export_peek_fields (copy, size, fields);
      {
        g_autoptr(GBytes) damaged = g_bytes_new (copy, size);

        deserialized = pk_signature_deserialize (strict, damaged, NULL);
      }
      if (peeked && deserialized)
        for (guint f = 0; f < PK_N_FIELDS; f++)
          g_assert_cmpstr (fields[f], ==, strict->fields[f]);
    }
}

/* The command line -------------------------------------------------------- */

/* Runs the CLI with @env ("NAME=value" strings, may be NULL) added to
 * the test's environment. */
static int
run_cli_in (const char * const *args,
            const char * const *env,
            char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int status = 0;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

      envp = g_environ_setenv (envp, name, env[i] + strlen (name) + 1, TRUE);
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
run_cli (const char * const *args,
         char              **out)
{
  return run_cli_in (args, NULL, out);
}

static void
test_cli (void)
{
  g_autofree char *key = tmp_path ("cli.key");
  g_autofree char *tampered = NULL;
  g_autofree char *out = NULL;
  g_autofree char *master = tmp_path ("cli-master.db");
  g_autofree char *csv = tmp_path ("cli.csv");
  g_auto(GStrv) lines = NULL;

  if (g_getenv ("PK_BINARY") == NULL)
    {
      pk_test_skip ("PK_BINARY is not set");
      return;
    }
  make_three_batches ();

  /* keygen prints exactly one line. */
  g_assert_cmpint (run_cli ((const char *[]) { "keygen", "--out", key, NULL }, &out), ==, 0);
  g_assert_true (g_str_has_prefix (out, "CoordinatorKey="));
  g_assert_cmpint (strchr (out, '\n') - out + 1, ==, (gssize) strlen (out));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "verify", batch_files[0], batch_files[1], NULL }, &out), ==, 0);
  g_clear_pointer (&out, g_free);

  tampered = edit_batch ("cli-tampered.pkbatch", "UPDATE signatures SET opt_in = 1 - opt_in");
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--quiet", batch_files[0], tampered, NULL }, &out), ==, 4);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], tampered));
  g_assert_nonnull (strstr (lines[0], ": tampered: "));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "merge", "--into", master, batch_files[0], batch_files[1],
                                               batch_files[2], tampered, NULL }, &out), ==, 4);
  g_assert_cmpstr (out, ==, "added 10, duplicates 4, rejected 1\n");
  g_clear_pointer (&out, g_free);

  /* The same results in Korean and German, with their plural forms;
   * "ok" and the reasons stay as they are, for scripts, and LC_ALL=C
   * gives a script the English line whatever LANGUAGE says. */
  {
    const struct {
      const char *env[3];
      const char *verified;
      const char *merged;
    } languages[] = {
      { { "LANGUAGE=en", NULL }, ", 4 rows, 0 sheet counts, kiosk kiosk1 (", "added 10, duplicates 4, rejected 1\n" },
      { { "LANGUAGE=ko", NULL }, ", 행 4개, 서명지 집계 0건, 키오스크 kiosk1 (", "추가 10건, 중복 4건, 거부된 파일 1개\n" },
      { { "LANGUAGE=de", NULL }, ", 4 Zeilen, 0 Bogenzählungen, Kiosk kiosk1 (", "10 hinzugefügt, 4 Duplikate, 1 abgelehnt\n" },
      { { "LANGUAGE=ko", "LC_ALL=C", NULL }, ", 4 rows, 0 sheet counts, kiosk kiosk1 (", "added 10, duplicates 4, rejected 1\n" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
      {
        g_autofree char *name = g_strdup_printf ("cli-master-%u.db", i);
        g_autofree char *translated_master = tmp_path (name);
        g_autofree char *prefix = g_strconcat (batch_files[0], ": ok: ", NULL);

        g_assert_cmpint (run_cli_in ((const char *[]) { "verify", batch_files[0], NULL },
                                     languages[i].env, &out), ==, 0);
        g_assert_true (g_str_has_prefix (out, prefix));
        g_assert_nonnull (strstr (out, languages[i].verified));
        g_clear_pointer (&out, g_free);

        g_assert_cmpint (run_cli_in ((const char *[]) { "verify", "--quiet", tampered, NULL },
                                     languages[i].env, &out), ==, 4);
        g_assert_nonnull (strstr (out, ": tampered: "));
        g_clear_pointer (&out, g_free);

        g_assert_cmpint (run_cli_in ((const char *[]) { "merge", "--into", translated_master, batch_files[0],
                                                        batch_files[1], batch_files[2], tampered, NULL },
                                     languages[i].env, &out), ==, 4);
        g_assert_cmpstr (out, ==, languages[i].merged);
        g_clear_pointer (&out, g_free);
      }
  }

  g_assert_cmpint (run_cli ((const char *[]) { "export", "--db", master, "--format", "csv", "--out", csv, NULL },
                            &out), ==, 0);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "report", "--db", master, "--json", NULL }, &out), ==, 0);
  g_assert_nonnull (strstr (out, "\"distinct\" : 6"));
}

/* Paper sheets counted only ------------------------------------------------ */

static PkBatchInfo *
close_batch (PkStore    *store,
             PkPetition *petition,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (name);
  PkBatchInfo *info = pk_batch_close (store, petition, path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
set_count (PkStore    *store,
           PkPetition *petition,
           const char *serial,
           guint       count,
           gboolean    replace)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pk_store_paper_set_count (store, pk_petition_get_id (petition), serial, count, replace, &error));
  g_assert_no_error (error);
}

static void
merge_file (PkMerge        *merge,
            const char     *name,
            PkMergeResult  *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (name);

  g_assert_true (pk_merge_file (merge, path, result, &error));
  g_assert_no_error (error);
}

/* Transcribes line @line of paper sheet @serial at @store's kiosk. */
static void
sign_paper (PkStore    *store,
            PkPetition *petition,
            const char *serial,
            guint       line,
            const char *given,
            const char *email)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;
  PkField field;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (serial);
  sig->sheet_line = line;
  sig->signed_at = T0 + line * G_USEC_PER_SEC;
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  g_assert_no_error (error);
}

/* One paper sheet transcribed at two kiosks, line 3 read differently at
 * each: both batches go into the master whole, in either order, with
 * the same result, and the report lists line 3's two transcriptions
 * for a person to check. (The second batch used to be refused, with
 * every other signature in it.) */
static void
test_paper_line_in_two_batches (void)
{
  g_autoptr(PkPetition) petition = load_petition (PLAIN_PETITION);
  g_autoptr(PkStore) kiosk_a = open_store ("paper-a.db");
  g_autoptr(PkStore) kiosk_b = open_store ("paper-b.db");
  g_autofree char *serial = pk_sheet_serial_format (petition, 42);
  g_autofree char *first_csv = NULL;
  g_autoptr(PkBatchInfo) info_a = NULL;
  g_autoptr(PkBatchInfo) info_b = NULL;
  static const char * const names[2][2] = {
    { "paper-a.pkbatch", "paper-b.pkbatch" },
    { "paper-b.pkbatch", "paper-a.pkbatch" },
  };

  sign_paper (kiosk_a, petition, serial, 3, "지우", "jiwoo@example.org");
  sign_paper (kiosk_a, petition, serial, 4, "Anna", "anna@example.org");
  sign_paper (kiosk_b, petition, serial, 3, "지우", "jiwu@example.org");
  sign_paper (kiosk_b, petition, serial, 5, "Ben", "ben@example.org");
  info_a = close_batch (kiosk_a, petition, "paper-a.pkbatch");
  info_b = close_batch (kiosk_b, petition, "paper-b.pkbatch");

  for (guint o = 0; o < G_N_ELEMENTS (names); o++)
    {
      g_autofree char *master_name = g_strdup_printf ("paper-master-%u.db", o);
      g_autoptr(PkStore) master = open_store (master_name);
      g_autoptr(PkMerge) merge = new_merge (master, NULL);
      g_autoptr(JsonNode) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *csv = NULL;
      g_autofree char *text = NULL;
      PkMergeResult first, second;
      JsonArray *twice;

      merge_file (merge, names[o][0], &first);
      merge_file (merge, names[o][1], &second);
      g_assert_cmpint (first.outcome, ==, PK_MERGE_ADDED);
      g_assert_cmpint (second.outcome, ==, PK_MERGE_ADDED);
      g_assert_cmpint (first.added + second.added, ==, 4);
      g_assert_cmpint (first.paper_lines_twice, ==, 0);
      g_assert_cmpint (second.paper_lines_twice, ==, 1);

      report = pk_report_build (master, &error);
      g_assert_no_error (error);
      twice = json_object_get_array_member (json_node_get_object (report), "paper_lines_twice");
      g_assert_cmpuint (json_array_get_length (twice), ==, 2);
      for (guint i = 0; i < 2; i++)
        {
          JsonObject *row = json_array_get_object_element (twice, i);

          g_assert_cmpstr (json_object_get_string_member (row, "sheet"), ==, serial);
          g_assert_cmpint (json_object_get_int_member (row, "line"), ==, 3);
        }
      text = pk_report_to_text (report);
      g_assert_nonnull (strstr (text, "Paper lines transcribed in more than one batch"));

      /* Both transcriptions are exported; the order of the files does
       * not change a byte. */
      csv = export_csv (master, PK_EXPORT_FLAGS_NONE);
      g_assert_nonnull (strstr (csv, "jiwoo@example.org"));
      g_assert_nonnull (strstr (csv, "jiwu@example.org"));
      if (first_csv == NULL)
        first_csv = g_steal_pointer (&csv);
      else
        g_assert_cmpstr (csv, ==, first_csv);
    }
}

static char *
dump_sheet_counts (PkStore *store)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "SELECT serial, petition_id, count, entered_at, batch_uuid "
                                       "FROM sheet_counts ORDER BY serial", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 5; c++)
      g_string_append_printf (out, "%s%c", sqlite3_column_text (stmt, c), c == 4 ? '\n' : ';');
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static void
test_sheet_counts (void)
{
  static const Signer one[] = { { "Ada", "Lovelace", "ada@example.org", NULL, NULL, "en", 1 } };
  g_autoptr(PkPetition) petition = load_petition (PLAIN_PETITION);
  g_autoptr(PkStore) kiosk_a = open_store ("count-a.db");
  g_autoptr(PkStore) kiosk_b = open_store ("count-b.db");
  g_autoptr(PkStore) master1 = open_store ("count-master-1.db");
  g_autoptr(PkStore) master2 = open_store ("count-master-2.db");
  g_autoptr(PkBatchInfo) info_a = NULL;
  g_autoptr(PkBatchInfo) info_b = NULL;
  g_autoptr(PkBatchInfo) info_c = NULL;
  g_autoptr(PkMerge) merge1 = NULL;
  g_autoptr(PkMerge) merge2 = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL, *a_path = NULL;
  g_autofree char *tampered = NULL, *deleted = NULL, *text = NULL, *out = NULL;
  g_autofree char *master1_path = tmp_path ("count-master-1.db");
  g_autofree char *count_a_path = tmp_path ("count-a.pkbatch");
  PkMergeResult result;
  JsonObject *root;
  JsonArray *conflicts;

  /* Kiosk A: one signer and two sheets counted. */
  sign (kiosk_a, petition, &one[0]);
  set_count (kiosk_a, petition, "PK-42", 7, FALSE);
  set_count (kiosk_a, petition, "PK-43", 10, FALSE);
  info_a = close_batch (kiosk_a, petition, "count-a.pkbatch");
  g_assert_cmpint (info_a->n_rows, ==, 1);
  g_assert_cmpint (info_a->n_sheet_counts, ==, 2);
  /* The counts went with that batch: nothing is left to close. */
  g_assert_cmpint (pk_batch_count_pending (kiosk_a), ==, 0);
  g_assert_null (pk_batch_close (kiosk_a, petition, a_path = tmp_path ("count-a-empty.pkbatch"), &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_FAILED);
  g_clear_error (&error);

  /* Kiosk B counts paper only (no signature at all), one of its sheets
   * the same as A's: a batch carries counts alone. */
  set_count (kiosk_b, petition, "PK-43", 9, FALSE);
  set_count (kiosk_b, petition, "PK-44", 5, FALSE);
  g_assert_cmpint (pk_batch_count_pending (kiosk_b), ==, 1);
  info_b = close_batch (kiosk_b, petition, "count-b.pkbatch");
  g_assert_cmpint (info_b->n_rows, ==, 0);
  g_assert_cmpint (info_b->n_sheet_counts, ==, 2);

  /* A corrected count travels again, alone, in the next batch. */
  set_count (kiosk_b, petition, "PK-44", 6, TRUE);
  info_c = close_batch (kiosk_b, petition, "count-c.pkbatch");
  g_assert_cmpint (info_c->n_rows, ==, 0);
  g_assert_cmpint (info_c->n_sheet_counts, ==, 1);

  /* Two orders, one result. PK-43 was counted at both kiosks: the later
   * count (B's) is kept and the conflict is reported. PK-44's recount
   * (batch C) replaces its first count. */
  merge1 = new_merge (master1, NULL);
  merge_file (merge1, "count-a.pkbatch", &result);
  g_assert_cmpint (result.sheet_counts, ==, 2);
  g_assert_cmpint (result.sheet_conflicts, ==, 0);
  merge_file (merge1, "count-b.pkbatch", &result);
  g_assert_cmpint (result.sheet_counts, ==, 2);
  g_assert_cmpint (result.sheet_conflicts, ==, 1);
  merge_file (merge1, "count-c.pkbatch", &result);

  merge2 = new_merge (master2, NULL);
  merge_file (merge2, "count-c.pkbatch", &result);
  merge_file (merge2, "count-b.pkbatch", &result);
  merge_file (merge2, "count-a.pkbatch", &result);
  g_assert_cmpint (result.sheet_conflicts, ==, 1);

  g_assert_cmpuint (pk_store_paper_count_total (master1, NULL), ==, 7 + 9 + 6);
  g_assert_cmpuint (pk_store_paper_count_sheets (master1, NULL), ==, 3);
  dump1 = dump_sheet_counts (master1);
  dump2 = dump_sheet_counts (master2);
  g_assert_cmpstr (dump1, ==, dump2);

  /* Merging again adds nothing. */
  merge_file (merge1, "count-b.pkbatch", &result);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_ALREADY);
  g_assert_cmpint (result.sheet_counts, ==, 0);
  merge_file (merge1, "count-a.pkbatch", &result);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_ALREADY);
  g_assert_cmpuint (pk_store_paper_count_total (master1, NULL), ==, 22);
  g_assert_cmpint (count_rows (master1, "SELECT count(*) FROM merge_sheet_counts"), ==, 5);
  g_clear_pointer (&dump2, g_free);
  dump2 = dump_sheet_counts (master1);
  g_assert_cmpstr (dump1, ==, dump2);

  /* The report keeps the tally apart from the transcribed rows. */
  report = pk_report_build (master1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (report);
  g_assert_cmpint (json_object_get_int_member (root, "signatures"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "paper_count_only"), ==, 22);
  g_assert_cmpint (json_object_get_int_member (root, "paper_count_sheets"), ==, 3);
  conflicts = json_object_get_array_member (root, "paper_count_conflicts");
  /* PK-43 from A and B, PK-44 from B and C. */
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conflicts, 0), "serial"), ==, "PK-43");
  text = pk_report_to_text (report);
  g_assert_nonnull (strstr (text, "Counted on paper only (not in the totals above): 22\n"));
  g_assert_nonnull (strstr (text, "Signatures: 1\n"));

  /* A changed or removed tally breaks the signature. */
  tampered = copy_batch (count_a_path, "count-tampered.pkbatch");
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (tampered, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE sheet_counts SET count = count - 1 WHERE serial = 'PK-42'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  assert_rejected (tampered, NULL, NULL, PK_BATCH_ERROR_TAMPERED);
  deleted = copy_batch (count_a_path, "count-deleted.pkbatch");
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (deleted, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM sheet_counts WHERE serial = 'PK-43'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  assert_rejected (deleted, NULL, NULL, PK_BATCH_ERROR_TAMPERED);

  if (g_getenv ("PK_BINARY") != NULL)
    {
      g_assert_cmpint (run_cli ((const char *[]) { "verify", tampered, NULL }, &out), ==, 4);
      g_assert_nonnull (strstr (out, ": tampered: "));
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (run_cli ((const char *[]) { "report", "--db", master1_path, NULL }, &out), ==, 0);
      g_assert_nonnull (strstr (out, "Counted on paper only (not in the totals above): 22\n"));
      g_assert_nonnull (strstr (out, "PK-43"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-batches-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Batches/keys", test_keys);
  g_test_add_func ("/Pk/Batches/kiosk-key-stable", test_kiosk_key_stable);
  g_test_add_func ("/Pk/Batches/close-and-wipe", test_close_and_wipe);
  g_test_add_func ("/Pk/Batches/merge-totals", test_merge_totals);
  g_test_add_func ("/Pk/Batches/merge-order", test_merge_order);
  g_test_add_func ("/Pk/Batches/merge-progress", test_merge_progress);
  g_test_add_func ("/Pk/Batches/bad-files", test_bad_files);
  g_test_add_func ("/Pk/Batches/read-ahead", test_read_ahead);
  g_test_add_func ("/Pk/Batches/read-ahead-encrypted", test_read_ahead_encrypted);
  g_test_add_func ("/Pk/Batches/merge-files", test_merge_files);
  g_test_add_func ("/Pk/Batches/trust-fingerprint", test_trust_fingerprint);
  g_test_add_func ("/Pk/Batches/byte-flips", test_byte_flips);
  g_test_add_func ("/Pk/Batches/encrypted", test_encrypted);
  g_test_add_func ("/Pk/Batches/sheet-counts", test_sheet_counts);
  g_test_add_func ("/Pk/Batches/paper-line-in-two-batches", test_paper_line_in_two_batches);
  g_test_add_func ("/Pk/Batches/csv-inert", test_csv_inert);
  g_test_add_func ("/Pk/Batches/csv-formula-name", test_csv_formula_name);
  g_test_add_func ("/Pk/Batches/peek-fields", test_peek_fields);
  g_test_add_func ("/Pk/Batches/cli", test_cli);

  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (batch_files); i++)
    g_free (batch_files[i]);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

    if (status == 0)
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (tmpdir);
  return status;
}
