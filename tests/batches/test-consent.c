/* test-consent.c: the sensitive-data consent, from a signature through a
 * batch file and a merge to the exports, and batches of release 0.1.0
 * (format 1), which had none
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-consent"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-batch.h"
#include "pk-export.h"
#include "pk-merge.h"
#include "pk-store-private.h"

#define DEMO_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
/* Written by `petition-kiosk sign` (twice: ko and de, the demo petition
 * of 0.1.0) and `close-batch` of release 0.1.0. */
#define FORMAT1_BATCH BATCH_FIXTURES "/format1-0.1.0.pkbatch"

static char *tmpdir;

static PkPetition *
load_demo (void)
{
  g_autoptr(GError) error = NULL;
  PkPetition *petition = pk_petition_new_from_file (DEMO_PETITION, &error);

  g_assert_no_error (error);
  return petition;
}

static PkStore *
open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  PkStore *store = pk_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
sign (PkStore    *store,
      PkPetition *petition,
      const char *given,
      const char *lang)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  sig->lang = g_strdup (lang);
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
}

static char *
export (PkStore        *store,
        PkExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "export", NULL);
  char *contents = NULL;

  g_assert_cmpint (pk_export_write (store, format, PK_EXPORT_FLAGS_NONE, path, &error), >=, 0);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);
  return contents;
}

static void
merge (PkStore    *master,
       const char *batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkMerge) merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  PkMergeResult result;

  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.outcome, ==, PK_MERGE_ADDED);
  g_assert_cmpint (result.added, ==, 2);
}

/* The CSV cell under @column in the data line that holds @needle. */
static char *
csv_cell (const char *csv,
          const char *needle,
          const char *column)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);
  guint index = g_strv_length (header);

  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], column))
      index = i;
  g_assert_cmpuint (index, <, g_strv_length (header));

  for (guint l = 1; lines[l] != NULL; l++)
    if (strstr (lines[l], needle) != NULL)
      {
        g_auto(GStrv) cells = g_strsplit (lines[l], ",", -1);

        g_assert_cmpuint (g_strv_length (cells), ==, g_strv_length (header));
        return g_strdup (cells[index]);
      }

  g_assert_not_reached ();
}

static void
test_travels (void)
{
  g_autoptr(PkPetition) petition = load_demo ();
  g_autoptr(PkStore) kiosk = open_store ("kiosk.db");
  g_autoptr(PkStore) master = open_store ("master.db");
  g_autofree char *batch = g_build_filename (tmpdir, "consent.pkbatch", NULL);
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *ko_cell = NULL;
  g_autofree char *de_cell = NULL;
  g_autofree char *json_member = NULL;
  const char *ko_hash = pk_petition_get_sensitive_consent_hash (petition, "ko");
  const char *de_hash = pk_petition_get_sensitive_consent_hash (petition, "de");
  PkBatchRow row;
  guint n_rows = 0;

  g_assert_nonnull (ko_hash);
  g_assert_cmpstr (ko_hash, !=, de_hash);
  sign (kiosk, petition, "민준", "ko");
  sign (kiosk, petition, "Lena", "de");
  info = pk_batch_close (kiosk, petition, batch, &error);
  g_assert_no_error (error);

  /* In the signed batch file, each row carries the hash of the text in
   * the language it was accepted in. */
  reader = pk_batch_reader_open (batch, &error);
  g_assert_no_error (error);
  while (pk_batch_reader_next_row (reader, &row, &error))
    {
      g_assert_cmpstr (row.sensitive_consent_hash, ==,
                       pk_petition_get_sensitive_consent_hash (petition, row.lang));
      n_rows++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 2);

  /* Merged, and in both exports. */
  merge (master, batch);
  csv = export (master, PK_EXPORT_CSV);
  ko_cell = csv_cell (csv, "민준", "sensitive_consent_hash");
  de_cell = csv_cell (csv, "Lena", "sensitive_consent_hash");
  g_assert_cmpstr (ko_cell, ==, ko_hash);
  g_assert_cmpstr (de_cell, ==, de_hash);
  json = export (master, PK_EXPORT_OSDI_JSON);
  json_member = g_strdup_printf ("\"petition_kiosk:sensitive_consent_hash\":\"%s\"", ko_hash);
  g_assert_nonnull (strstr (json, json_member));
}

/* A batch written by release 0.1.0 is still verified and merged; its
 * rows have no sensitive-data consent, and the exports say so. */
static void
test_format1_batch (void)
{
  g_autoptr(PkStore) master = open_store ("master-format1.db");
  g_autoptr(PkBatchReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *cell = NULL;
  PkBatchRow row;
  guint n_rows = 0;

  reader = pk_batch_reader_open (FORMAT1_BATCH, &error);
  g_assert_no_error (error);
  while (pk_batch_reader_next_row (reader, &row, &error))
    {
      g_assert_null (row.sensitive_consent_hash);
      g_assert_cmpuint (strlen (row.consent_hash), ==, 64);
      n_rows++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 2);

  merge (master, FORMAT1_BATCH);
  csv = export (master, PK_EXPORT_CSV);
  cell = csv_cell (csv, "Lena", "sensitive_consent_hash");
  g_assert_cmpstr (cell, ==, "");
  json = export (master, PK_EXPORT_OSDI_JSON);
  g_assert_nonnull (strstr (json, "Lena"));
  g_assert_null (strstr (json, "sensitive_consent_hash"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("pk-consent-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/Pk/Consent/travels-to-export", test_travels);
  g_test_add_func ("/Pk/Consent/format1-batch", test_format1_batch);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
