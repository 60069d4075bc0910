/* pk-fuzz-batch.c: fuzz target for batch-file verification and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch file arrives on a USB stick from anyone: it is the most
 * exposed input the coordinator has. Any bytes must be refused with a
 * PK_BATCH_ERROR, or be verified and then merged whole into a master;
 * never crash, hang or leak. The input is written to a file (the reader
 * takes a path, as SQLite does) in a private scratch folder, then:
 * pk_batch_reader_open → check → every row and sheet count; then pk_merge_file into a
 * master kept for the whole run, with the demo coordinator key so that
 * the encrypted seeds decrypt.
 *
 * Random mutations of a genuine batch break its Ed25519 signature, so
 * most inputs exercise what an attacker without a kiosk key reaches: the
 * size, header, schema, quick_check and limit checks done before the
 * signature is verified. The seeds (genuine plain and encrypted
 * batches) carry the fuzzer through the whole import path.
 */
#define G_LOG_DOMAIN "pk-fuzz-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "pk-batch.h"
#include "pk-fuzz.h"
#include "pk-merge.h"
#include "pk-sheets.h"

static char *scratch;
static char *batch_path;
static PkStore *master;
static PkCoordinatorKey *demo_key;

static void
tear_down (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&master);
  g_clear_pointer (&demo_key, pk_coordinator_key_free);
  dir = g_dir_open (scratch, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);

      g_unlink (path);
    }
  g_rmdir (scratch);
  g_clear_pointer (&scratch, g_free);
  g_clear_pointer (&batch_path, g_free);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *master_path = NULL;
  g_autofree char *key_path = NULL;

  /* /dev/shm when there is one: the file is rewritten for every input. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", FALSE);
  scratch = g_dir_make_tmp ("pk-fuzz-batch-XXXXXX", &error);
  g_assert_no_error (error);
  batch_path = g_build_filename (scratch, "batch.pkbatch", NULL);
  master_path = g_build_filename (scratch, "master.db", NULL);

  master = pk_store_open (master_path, &error);
  g_assert_no_error (error);
  key_path = g_build_filename (SOURCE_DATADIR, "demo", "DEMO-ONLY-coordinator.key", NULL);
  demo_key = pk_coordinator_key_load (key_path, &error);
  g_assert_no_error (error);
  atexit (tear_down);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(PkMerge) merge = NULL;
  PkMergeResult result = { 0 };
  PkBatchRow row;
  const PkBatchInfo *info;
  gint64 n_rows = 0;

  if (scratch == NULL)
    set_up ();

  g_file_set_contents (batch_path, (const char *) data, size, &error);
  g_assert_no_error (error);

  reader = pk_batch_reader_open (batch_path, &error);
  if (reader == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_BATCH_ERROR);
      g_assert_nonnull (pk_batch_error_reason (error->code));
      return 0;
    }
  g_assert_no_error (error);

  info = pk_batch_reader_get_info (reader);
  g_assert_nonnull (info);
  g_assert_cmpint (info->n_rows, <=, PK_BATCH_MAX_ROWS);
  (void) pk_batch_reader_check (reader, info->petition_id, NULL, &error);
  g_clear_error (&error);

  while (pk_batch_reader_next_row (reader, &row, &error))
    {
      g_assert_nonnull (row.uuid);
      g_assert_cmpuint (row.payload_length, <=, PK_BATCH_MAX_PAYLOAD_BYTES);
      n_rows++;
    }
  if (error == NULL)
    g_assert_cmpint (n_rows, ==, info->n_rows);
  g_clear_error (&error);
  if (n_rows == info->n_rows)
    {
      PkBatchSheetCount count;
      gint64 n_counts = 0;

      while (pk_batch_reader_next_sheet_count (reader, &count, &error))
        {
          g_assert_nonnull (count.serial);
          g_assert_cmpuint (count.count, <=, PK_SHEET_LINES);
          n_counts++;
        }
      if (error == NULL)
        g_assert_cmpint (n_counts, ==, info->n_sheet_counts);
      g_clear_error (&error);
    }
  g_clear_pointer (&reader, pk_batch_reader_free);

  /* The import: whole or nothing, and never a crash. */
  merge = pk_merge_new (master, demo_key, NULL, NULL, &error);
  g_assert_no_error (error);
  if (!pk_merge_file (merge, batch_path, &result, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_BATCH_ERROR);
      g_assert_cmpint (result.outcome, ==, PK_MERGE_REJECTED);
    }
  else
    g_assert_true (result.outcome == PK_MERGE_ADDED || result.outcome == PK_MERGE_ALREADY);

  return 0;
}
