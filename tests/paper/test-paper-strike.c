/* test-paper-strike.c: paper lines struck out and corrected in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-paper-strike"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pk-batch.h"
#include "pk-petition.h"
#include "pk-sheets.h"
#include "pk-signer-name.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

typedef struct {
  char       *dir;
  PkStore    *store;
  PkPetition *petition;
  char       *serial;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                "prisoners-of-conscience.petition", NULL);

  f->dir = g_dir_make_tmp ("pk-strike-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->store = pk_store_open (db, &error);
  g_assert_no_error (error);
  f->petition = pk_petition_new_from_file (petition, &error);
  g_assert_no_error (error);
  f->serial = pk_sheet_serial_format (f->petition, 42);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  g_clear_object (&f->petition);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->serial);
}

static PkSignature *
paper_line (Fixture    *f,
            guint       line,
            const char *given,
            const char *family,
            const char *email)
{
  PkSignature *sig = pk_signature_new ();

  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (f->serial);
  sig->sheet_line = line;
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, family);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  return sig;
}

static void
add_line (Fixture    *f,
          guint       line,
          const char *given,
          const char *family,
          const char *email)
{
  g_autoptr(PkSignature) sig = paper_line (f, line, given, family, email);
  g_autoptr(GError) error = NULL;

  g_assert_true (pk_store_add_signature (f->store, f->petition, sig, NULL, &error));
  g_assert_no_error (error);
}

static gint64
strikes (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (f->store), "SELECT count(*) FROM paper_strikes",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A correction replaces the line: one live row, the strike names it. */
static void
test_correct (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PkSignature) correction = paper_line (f, 1, "길동", "홍", "gildong.hong@example.org");
  g_autoptr(PkSignature) live = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = pk_petition_get_id (f->petition);
  gboolean corrected = FALSE;
  gint64 struck_at = 0;

  add_line (f, 1, "길동", "홍", "hong@example.org");
  add_line (f, 2, "서연", "김", "seoyeon@example.org");
  g_assert_cmpuint (pk_store_count (f->store, id), ==, 2);
  g_assert_false (pk_store_paper_get_strike (f->store, f->serial, 1, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (pk_store_paper_strike_line (f->store, f->petition, f->serial, 1, correction, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (f->store, id), ==, 2);
  live = pk_store_find_paper_line (f->store, f->serial, 1, &error);
  g_assert_cmpstr (live->fields[PK_FIELD_EMAIL], ==, "gildong.hong@example.org");
  g_assert_cmpstr (live->uuid, ==, correction->uuid);
  g_assert_true (pk_store_paper_get_strike (f->store, f->serial, 1, &struck_at, &corrected, &error));
  g_assert_true (corrected);
  g_assert_cmpint (struck_at, >, 0);
  g_assert_cmpint (strikes (f), ==, 1);
}

/* A bad correction changes nothing: the old line stays, no strike. */
static void
test_bad_correction (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PkSignature) correction = paper_line (f, 1, "길동", "홍", "not-an-email");
  g_autoptr(PkSignature) live = NULL;
  g_autoptr(GError) error = NULL;
  PkField field = PK_N_FIELDS;

  add_line (f, 1, "길동", "홍", "hong@example.org");
  g_assert_false (pk_store_paper_strike_line (f->store, f->petition, f->serial, 1, correction, &field, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (field, ==, PK_FIELD_EMAIL);
  live = pk_store_find_paper_line (f->store, f->serial, 1, NULL);
  g_assert_cmpstr (live->fields[PK_FIELD_EMAIL], ==, "hong@example.org");
  g_assert_cmpint (strikes (f), ==, 0);
  g_assert_cmpuint (pk_store_count (f->store, pk_petition_get_id (f->petition)), ==, 1);
}

/* Struck out: no longer counted nor in the next batch file; a line
 * already in a batch file is refused; a line never entered too. */
static void
test_strike (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(PkSignature) kept = NULL;
  g_autofree char *batch = g_build_filename (f->dir, "kiosk.pkbatch", NULL);
  const char *id = pk_petition_get_id (f->petition);
  gboolean corrected = TRUE;

  add_line (f, 1, "길동", "홍", "hong@example.org");
  add_line (f, 2, "서연", "김", "seoyeon@example.org");
  g_assert_true (pk_store_paper_strike_line (f->store, f->petition, f->serial, 2, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (f->store, id), ==, 1);
  g_assert_null (pk_store_find_paper_line (f->store, f->serial, 2, &error));
  g_assert_no_error (error);
  g_assert_true (pk_store_paper_get_strike (f->store, f->serial, 2, NULL, &corrected, &error));
  g_assert_false (corrected);

  g_assert_false (pk_store_paper_strike_line (f->store, f->petition, f->serial, 3, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  info = pk_batch_close (f->store, f->petition, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_rows, ==, 1);

  g_assert_false (pk_store_paper_strike_line (f->store, f->petition, f->serial, 1, NULL, NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_SENT);
  kept = pk_store_find_paper_line (f->store, f->serial, 1, NULL);
  g_assert_nonnull (kept);
}

/* The one name helper: Korean family first, no space between Hangul. */
static void
test_signer_name (void)
{
  g_autofree char *ko = pk_signer_name_format ("길동", "홍", "ko");
  g_autofree char *ko_latin = pk_signer_name_format ("Minji", "Kim", "ko");
  g_autofree char *en = pk_signer_name_format ("Anna", "Schmidt", "en");
  g_autofree char *de_korean = pk_signer_name_format ("길동", "홍", "de");
  g_autofree char *only = pk_signer_name_format (NULL, "Schmidt", "en");

  g_assert_cmpstr (ko, ==, "홍길동");
  g_assert_cmpstr (ko_latin, ==, "Kim Minji");
  g_assert_cmpstr (en, ==, "Anna Schmidt");
  g_assert_cmpstr (de_korean, ==, "길동 홍");
  g_assert_cmpstr (only, ==, "Schmidt");
  g_assert_null (pk_signer_name_format ("", NULL, "ko"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Pk/Paper/Strike/correct", Fixture, NULL, fixture_set_up, test_correct, fixture_tear_down);
  g_test_add ("/Pk/Paper/Strike/bad-correction", Fixture, NULL, fixture_set_up, test_bad_correction,
              fixture_tear_down);
  g_test_add ("/Pk/Paper/Strike/strike", Fixture, NULL, fixture_set_up, test_strike, fixture_tear_down);
  g_test_add_func ("/Pk/Paper/Strike/signer-name", test_signer_name);

  return g_test_run ();
}
