/* test-sync-powercut.c: the power fails while `sync` records what the server confirmed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19 item 5, for sync. A kiosk database of N signers is sent to
 * the OSDI test receiver (tests/sync/osdi-receiver) by `petition-kiosk
 * sync` under the pk-powercut shim (pk-powercut.c), which cuts the power
 * at each sampled call that changes the database folder (as in
 * test-powercut.c, $PK_POWERCUT_POINTS). After each cut, on the folder
 * as the disk would hold it:
 * - the database is whole;
 * - no signature is marked sent that the server did not confirm: at most
 *   as many rows are marked sent as the receiver holds records, and each
 *   row marked sent names a record the receiver made (its remote id);
 * - a `sync` run afterwards, without a cut, ends with every signature
 *   sent, and the receiver holds each one once: nothing counted twice,
 *   although a signature the cut kept from being marked is sent again
 *   (its identifier petition-kiosk:<uuid> makes the receiver answer with
 *   the record it already has).
 * A run that was not cut and exited 0 must leave every row marked sent.
 */
#define G_LOG_DOMAIN "test-sync-powercut"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-powercut-disk.h"
#include "pk-proof.h"
#include "pk-store-sync.h"
#include "sync-harness.h"

#define POINTS 12
#define N      3

/* A disk holding kiosk.db with N pending signers, durable. */
static PkDisk *
prepared_disk (void)
{
  PkDisk *disk = pk_disk_new ();
  g_autoptr(PkStore) store = make_store ("template.db", N, -1);
  g_autofree char *from = g_build_filename (tmpdir, "template.db", NULL);
  g_autofree char *to = pk_disk_path (disk, "kiosk.db");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* Closed, so that the whole database is in its one file. */
  g_clear_object (&store);
  bytes = pk_proof_read_bytes (from);
  g_file_set_contents (to, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_unlink (from);
  pk_disk_settle (disk);
  return disk;
}

static int
run_sync_on (PkDisk     *disk,
             Receiver   *receiver,
             const char *token_file,
             guint       cut_at)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *endpoint = receiver_endpoint (receiver);
  const char *args[] = { "sync", "--db", db, "--endpoint", endpoint, "--token-file", token_file,
                         "--rate", "0", NULL };
  /* The receiver answers at once; the first tries must not wait long. */
  const char *env[] = { "PK_SYNC_BACKOFF_MS=1,20", NULL };

  return cut_at == G_MAXUINT ? pk_proof_run_cli (args, env, NULL, NULL)
                             : pk_disk_run (disk, args, cut_at, env, NULL, NULL);
}

/* The receiver's GET /records: every record it made, as JSON text. */
static char *
receiver_records (Receiver *receiver)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/records", receiver->port);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The remote ids of the rows marked sent. */
static GPtrArray *
sent_remote_ids (const char *db_path)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT remote_id FROM sync_state WHERE state = 'sent'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

static PkSyncCounts
counts_of (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (db_path, &error);
  PkSyncCounts counts = { 0 };

  g_assert_no_error (error);
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  return counts;
}

static void
check_after_cut (PkDisk     *disk,
                 Receiver   *receiver,
                 const char *token_file,
                 int         status)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *integrity = pk_proof_integrity (db);
  g_autofree char *records = NULL;
  g_autoptr(GPtrArray) sent = sent_remote_ids (db);
  PkSyncCounts counts;

  g_assert_cmpstr (integrity, ==, "ok");
  counts = counts_of (db);
  g_assert_cmpuint (counts.total, ==, N);
  g_assert_cmpuint (counts.failed, ==, 0);
  if (status == 0)
    g_assert_cmpuint (counts.sent, ==, N);
  /* Marked sent only what the server confirmed. */
  g_assert_cmpint (counts.sent, <=, receiver_stat (receiver, "distinct"));
  g_assert_cmpuint (sent->len, ==, counts.sent);
  records = receiver_records (receiver);
  for (guint i = 0; i < sent->len; i++)
    {
      const char *id;

      g_assert_nonnull (sent->pdata[i]);
      /* "action_network:ID": the receiver lists its records by ID. */
      id = strchr (sent->pdata[i], ':') != NULL ? strchr (sent->pdata[i], ':') + 1 : sent->pdata[i];
      if (strstr (records, id) == NULL)
        g_error ("a row is marked sent as %s, which the receiver never made",
                 (char *) sent->pdata[i]);
    }

  /* Once the power is back, sync finishes, and nothing is counted twice. */
  g_assert_cmpint (run_sync_on (disk, receiver, token_file, G_MAXUINT), ==, 0);
  counts = counts_of (db);
  g_assert_cmpuint (counts.sent, ==, N);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, N);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, N);
}

static void
test_sync_power_cut (void)
{
  g_autofree char *token_file = write_token_file ("token", RIGHT_TOKEN, 0600);
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) folder_syncs = NULL;
  guint n_events;

  {
    g_autoptr(PkDisk) disk = prepared_disk ();
    Receiver *receiver = receiver_start (NULL);
    int status = run_sync_on (disk, receiver, token_file, 0);

    g_assert_cmpint (status, ==, 0);
    n_events = pk_disk_events (disk);
    folder_syncs = pk_disk_folder_syncs (disk);
    /* The power fails just after sync said it was done. */
    pk_disk_power_cut (disk);
    check_after_cut (disk, receiver, token_file, status);
    receiver_stop (receiver);
  }
  g_test_message ("%u counted calls while %u signatures were sent", n_events, N);

  points = pk_disk_sample (n_events, folder_syncs, POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      g_autoptr(PkDisk) disk = prepared_disk ();
      Receiver *receiver = receiver_start (NULL);
      guint at = g_array_index (points, guint, i);
      int status = run_sync_on (disk, receiver, token_file, at);

      g_test_message ("power cut at call %u of %u; the receiver had %" G_GINT64_FORMAT " records",
                      at, n_events, receiver_stat (receiver, "records"));
      g_assert_cmpint (status, ==, PK_DISK_CUT_STATUS);
      pk_disk_power_cut (disk);
      check_after_cut (disk, receiver, token_file, status);
      receiver_stop (receiver);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pk_proof_make_tmpdir ();

  g_test_add_func ("/Pk/Durability/sync/power-cut", test_sync_power_cut);

  status = g_test_run ();
  remove_tmpdir (status == 0);
  return status;
}
