/* test-store.c: the durable store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk-alloc-fault.h"
#include "pk-crypto.h"
#include "pk-normalize.h"
#include "pk-store-private.h"
#include "pk-strokes.h"
#include "pk-test-tree.h"

typedef struct {
  char *dir;
  char *path;
  PkPetition *petition;
} Fixture;

#define PETITION_BODY \
  "Version=1\nTitle=T\nSummary=S\nText=X\n" \
  "Url=https://example.org/p\nOrganizer=O\n" \
  "Fields=given_name;family_name;email;phone;postal_code;country;comment;\n" \
  "Required=given_name;family_name;\nConsentText=I agree.\nCountry=KR\n"

static PkPetition *
make_petition (const char *id,
               const char *coordinator_key_b64)
{
  g_autofree char *extra = coordinator_key_b64 != NULL
                           ? g_strdup_printf ("CoordinatorKey=%s\n", coordinator_key_b64)
                           : g_strdup ("");
  g_autofree char *data = g_strdup_printf ("[Petition]\nId=%s\n" PETITION_BODY "%s", id, extra);
  g_autoptr(GError) error = NULL;
  PkPetition *petition = pk_petition_new_from_data (data, strlen (data), &error);

  g_assert_no_error (error);
  return petition;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("pk-store-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "sub", "kiosk.db", NULL);
  fixture->petition = make_petition ("demo", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  pk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_clear_object (&fixture->petition);
}

static PkSignature *
make_signature (const char *given,
                const char *family,
                const char *email,
                const char *phone)
{
  PkSignature *sig = pk_signature_new ();

  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, family);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  pk_signature_set_field (sig, PK_FIELD_PHONE, phone);
  return sig;
}

static gboolean
add (PkStore     *store,
     PkPetition  *petition,
     const char  *given,
     const char  *family,
     const char  *email,
     const char  *phone,
     GError     **error)
{
  g_autoptr(PkSignature) sig = make_signature (given, family, email, phone);

  return pk_store_add_signature (store, petition, sig, NULL, error);
}

/* Saves a signature the way release 0.1.0 (schema 8 and before) did,
 * with the columns it knew: the current code names columns an old
 * schema lacks. */
static void
add_as_old_release (PkStore    *store,
                    PkPetition *petition,
                    const char *given,
                    const char *family,
                    const char *email)
{
  g_autoptr(PkSignature) sig = make_signature (given, family, email, NULL);
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *email_key = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (pk_signature_validate (sig, petition, NULL, NULL));
  email_key = pk_email_compare_key (sig->fields[PK_FIELD_EMAIL]);
  payload = pk_signature_serialize (sig);
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source,"
                                       "  lang, consent_hash, opt_in, dedup_email, payload)"
                                       "  SELECT ?1, ?2, id, 1, 'kiosk', ?3, ?4, 0, ?5, ?6"
                                       "  FROM batches WHERE closed_at IS NULL AND origin = 'local'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, pk_petition_get_id (petition), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sig->lang, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, sig->consent_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, email_key, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 6, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (pk_store_get_db (store)), ==, 1);
  sqlite3_finalize (stmt);
}

static PkStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PkStore *store = pk_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
test_survives_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature ("길동", "홍", "Hong@Example.org", "010-1234-5678");
  g_autoptr(PkSignature) back = NULL;
  g_autofree char *kiosk_id = NULL;
  g_autofree char *uuid = NULL;
  PkStore *store = open_store (fixture->path);
  g_autoptr(PkStrokes) strokes = pk_strokes_new ();
  PkStrokePoint point = { 100, 200, 0.5f, 0 };

  pk_strokes_add_point (strokes, &point);
  sig->strokes = pk_strokes_encode (strokes);
  sig->opt_in = TRUE;
  sig->lang = (g_free (sig->lang), g_strdup ("ko"));

  kiosk_id = g_strdup (pk_store_get_kiosk_id (store));
  g_assert_true (g_uuid_string_is_valid (kiosk_id));
  g_assert_cmpint (pk_store_get_current_batch (store), >, 0);
  g_assert_true (pk_store_add_signature (store, fixture->petition, sig, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (sig->uuid));
  g_assert_cmpint (sig->signed_at, >, 0);
  uuid = g_strdup (sig->uuid);
  g_assert_true (pk_store_set_setting (store, PK_SETTING_EVENT, "Vigil", &error));
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);
  g_assert_finalize_object (store);

  store = open_store (fixture->path);
  g_assert_cmpstr (pk_store_get_kiosk_id (store), ==, kiosk_id);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 1);
  g_assert_true (pk_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (store, "other"), ==, 0);
  {
    g_autofree char *event = pk_store_get_setting (store, PK_SETTING_EVENT);

    g_assert_cmpstr (event, ==, "Vigil");
  }

  back = pk_store_get_signature_by_uuid (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->fields[PK_FIELD_GIVEN_NAME], ==, "길동");
  g_assert_cmpstr (back->fields[PK_FIELD_FAMILY_NAME], ==, "홍");
  g_assert_cmpstr (back->fields[PK_FIELD_EMAIL], ==, "Hong@example.org");
  /* In E.164, read in the petition's country. */
  g_assert_cmpstr (back->fields[PK_FIELD_PHONE], ==, "+821012345678");
  g_assert_cmpstr (back->lang, ==, "ko");
  g_assert_cmpstr (back->consent_hash, ==, pk_petition_get_consent_hash (fixture->petition, "ko"));
  g_assert_true (back->opt_in);
  g_assert_nonnull (back->strokes);
  g_assert_true (g_bytes_equal (back->strokes, sig->strokes));
  g_assert_finalize_object (store);
}

static void
test_file_modes (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  mode_t old_umask = umask (0);
  PkStore *store = open_store (fixture->path);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  GStatBuf st;

  g_assert_true (add (store, fixture->petition, "A", NULL, "a@example.org", NULL, NULL));
  umask (old_umask);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_finalize_object (store);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  PkStore *store = open_store (fixture->path);
  sqlite3 *db = pk_store_get_db (store);
  sqlite3_stmt *stmt;
  const char *queries[][2] = {
    { "PRAGMA journal_mode", "wal" },
    { "PRAGMA synchronous", "2" },
    { "PRAGMA secure_delete", "1" },
    { "PRAGMA foreign_keys", "1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i][0], -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, queries[i][1]);
      sqlite3_finalize (stmt);
    }

  g_assert_finalize_object (store);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) other = make_petition ("other", NULL);
  PkStore *store = open_store (fixture->path);

  g_assert_true (add (store, fixture->petition, "Anna", "Schmidt", "anna.schmidt@example.de", NULL, &error));
  g_assert_no_error (error);

  /* Same email in other case: a duplicate, and nothing written. */
  g_assert_false (add (store, fixture->petition, "Anna", "Schmidt", "Anna.Schmidt@EXAMPLE.de", NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);

  /* Same phone, no email: a duplicate; written differently. */
  g_assert_true (add (store, fixture->petition, "민준", "이", NULL, "010 9876 5432", &error));
  g_assert_false (add (store, fixture->petition, "M", "Lee", NULL, "010-9876-5432", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* The same phone with a new email is another person (a family phone). */
  g_assert_true (add (store, fixture->petition, "Su", "Lee", "su@example.kr", "01098765432", &error));
  g_assert_no_error (error);

  /* The same email for another petition is fine. */
  g_assert_true (add (store, other, "Anna", "Schmidt", "anna.schmidt@example.de", NULL, &error));
  g_assert_no_error (error);

  /* No email and no phone: never a duplicate. */
  g_assert_true (add (store, fixture->petition, "Anna", "Schmidt", NULL, NULL, &error));
  g_assert_true (add (store, fixture->petition, "Anna", "Schmidt", NULL, NULL, &error));

  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 5);
  g_assert_cmpuint (pk_store_count (store, "other"), ==, 1);
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 6);
  g_assert_finalize_object (store);
}

static void
test_invalid_writes_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature (NULL, NULL, "x@example.org", NULL);
  g_autofree char *huge = g_strnfill (100 * 1024, 'x');
  PkStore *store = open_store (fixture->path);
  PkField field = PK_N_FIELDS;

  g_assert_false (pk_store_add_signature (store, fixture->petition, sig, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_NO_NAME);
  g_assert_cmpint (field, ==, PK_FIELD_GIVEN_NAME);
  g_clear_error (&error);

  g_clear_pointer (&sig, pk_signature_free);
  sig = make_signature ("Kim", "Lee", "not-an-email", NULL);
  g_assert_false (pk_store_add_signature (store, fixture->petition, sig, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_EMAIL);
  g_assert_cmpint (field, ==, PK_FIELD_EMAIL);
  g_clear_error (&error);

  g_clear_pointer (&sig, pk_signature_free);
  sig = make_signature ("Kim", huge, NULL, NULL);
  g_assert_false (pk_store_add_signature (store, fixture->petition, sig, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_TOO_LONG);
  g_assert_cmpint (field, ==, PK_FIELD_FAMILY_NAME);
  g_clear_error (&error);

  g_clear_pointer (&sig, pk_signature_free);
  sig = make_signature ("Kim\u202Egnp.exe", NULL, NULL, NULL);
  g_assert_false (pk_store_add_signature (store, fixture->petition, sig, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT);
  g_assert_cmpint (field, ==, PK_FIELD_GIVEN_NAME);
  g_clear_error (&error);

  g_clear_pointer (&sig, pk_signature_free);
  sig = make_signature ("Kim", NULL, NULL, NULL);
  sig->consent = FALSE;
  g_assert_false (pk_store_add_signature (store, fixture->petition, sig, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_CONSENT);
  g_assert_cmpint (field, ==, PK_N_FIELDS);
  g_clear_error (&error);

  g_assert_cmpuint (pk_store_count (store, NULL), ==, 0);
  g_assert_finalize_object (store);
}

static GBytes *
read_file (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (contents, len);
}

static void
test_newer_version_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *sql = NULL;
  PkStore *store = open_store (fixture->path);
  PkStore *refused;
  sqlite3 *db;

  g_assert_true (add (store, fixture->petition, "A", NULL, NULL, NULL, NULL));
  g_assert_finalize_object (store);

  /* What a future release would leave behind. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("PRAGMA user_version = %u", pk_store_get_latest_version () + 1);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  before = read_file (fixture->path);
  refused = pk_store_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION);
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
  /* Not even switched back to WAL. */
  {
    g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

static void
assert_refused_untouched (const char *path,
                          int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = read_file (path);
  g_autoptr(GBytes) after = NULL;
  PkStore *store = pk_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, PK_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));

  /* Nothing beside it either, that a later open could take for its own. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  }
}

static void
test_corrupt_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.db", NULL);
  g_autofree char *foreign = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  PkStore *store;
  sqlite3 *db;

  g_assert_true (g_file_set_contents (text, "Dear diary, today I signed a petition.\n", -1, NULL));
  assert_refused_untouched (text, PK_STORE_ERROR_CORRUPT);

  /* A real kiosk database with a page of its b-tree overwritten. */
  store = open_store (damaged);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u@example.org", i);
      g_assert_true (add (store, fixture->petition, "Name", NULL, email, NULL, NULL));
    }
  g_assert_finalize_object (store);
  g_assert_true (g_file_get_contents (damaged, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 3 * 4096);
  /* Page headers of pages 2 and 3: the b-tree structure itself. */
  memset (contents + 1 * 4096, 0xA5, 12);
  memset (contents + 2 * 4096, 0xA5, 12);
  g_assert_true (g_file_set_contents (damaged, contents, len, NULL));
  assert_refused_untouched (damaged, PK_STORE_ERROR_CORRUPT);

  /* A copy cut short (a USB stick pulled out): header says more pages. */
  g_assert_true (g_file_set_contents (damaged, contents, len / 2, NULL));
  assert_refused_untouched (damaged, PK_STORE_ERROR_CORRUPT);

  /* Somebody else's SQLite database is not migrated into ours. */
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE places (url TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused_untouched (foreign, PK_STORE_ERROR_CORRUPT);
}

/* What is not a database file at all is refused with a message, and
 * nothing is created in its place. */
static void
test_odd_paths_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *plain = g_build_filename (fixture->dir, "plain", NULL);
  g_autofree char *under_file = g_build_filename (plain, "kiosk.db", NULL);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.db", NULL);
  g_autofree char *dangling = g_build_filename (fixture->dir, "dangling.db", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "nowhere.db", NULL);
  g_autofree char *odd_page = g_build_filename (fixture->dir, "odd-page.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  PkStore *store;

  /* A folder that cannot be made: a file is where it would go. */
  g_assert_true (g_file_set_contents (plain, "x", -1, NULL));
  g_assert_null (pk_store_open (under_file, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "Cannot create the folder"));
  g_clear_error (&error);

  /* A named pipe would block a reader forever: it is not a database. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (pk_store_open (fifo, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (pk_store_open_read_only (fifo, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A symbolic link to nothing is neither followed nor replaced. */
  g_assert_cmpint (symlink (target, dangling), ==, 0);
  g_assert_null (pk_store_open (dangling, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_null (pk_store_open_read_only (dangling, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "Cannot read"));
  g_clear_error (&error);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));

  /* A header whose page size no SQLite writes (768 bytes). */
  store = open_store (odd_page);
  g_assert_finalize_object (store);
  g_assert_true (g_file_get_contents (odd_page, &contents, &len, NULL));
  contents[16] = 0x03;
  contents[17] = 0x00;
  g_assert_true (g_file_set_contents (odd_page, contents, len, NULL));
  assert_refused_untouched (odd_page, PK_STORE_ERROR_CORRUPT);
  g_assert_null (pk_store_open_read_only (odd_page, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
}

/* A SQLite file marked as ours that a first start left before any table
 * was made: a writable open sets it up, a read-only one says why not. */
static void
test_never_set_up (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "bare.db", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d", PK_STORE_APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  PkStore *store;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  before = read_file (path);
  g_assert_null (pk_store_open_read_only (path, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE);
  g_assert_nonnull (strstr (error->message, "holds no Petition Kiosk data yet"));
  g_clear_error (&error);
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));

  store = open_store (path);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 0);
  g_assert_finalize_object (store);
}

/* A writer killed inside a rollback-journal transaction leaves a hot
 * -journal: the read-only open refuses and leaves both files as they
 * are, the writable open rolls it back to the last commit. */
static void
test_hot_journal (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *journal = g_strconcat (fixture->path, "-journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  PkStore *store = open_store (fixture->path);
  sqlite3 *db;
  int status = 0;
  pid_t pid;

  g_assert_true (add (store, fixture->petition, "Kept", NULL, "kept@example.org", NULL, NULL));
  g_assert_finalize_object (store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* A one-page cache spills the change into the file long before
       * the commit that never comes. */
      if (sqlite3_open (fixture->path, &db) != SQLITE_OK ||
          sqlite3_exec (db,
                        "PRAGMA cache_size = 1; BEGIN; DELETE FROM signatures;"
                        "CREATE TABLE filler (b BLOB);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                        " INSERT INTO filler SELECT randomblob(2000) FROM n;",
                        NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));

  before = read_file (fixture->path);
  g_assert_null (pk_store_open_read_only (fixture->path, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "-journal file is beside it"));
  g_clear_error (&error);
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));

  store = open_store (fixture->path);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);
  g_assert_finalize_object (store);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* An upgrade that fails half-way (here a table of the same name as the
 * one schema 11 adds, made by hand) is rolled back whole: the file keeps
 * its old schema and its rows, and the error names the step. */
static void
test_failed_upgrade_changes_nothing (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  PkStore *store = pk_store_open_at_version (fixture->path, 10, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_finalize_object (store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE merge_kiosk_keys (note TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (pk_store_open (fixture->path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "upgrading the database to schema 11"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (pk_sqlite_query_int64 (db, "PRAGMA user_version", &version), ==, SQLITE_OK);
  g_assert_cmpint (version, ==, 10);
  g_assert_cmpint (sqlite3_exec (db, "SELECT note FROM merge_kiosk_keys", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A row that arrives with its own identifier (a merged batch, a resent
 * sync) goes in once; the same identifier again is a duplicate, and an
 * unknown one is not found. */
static void
test_given_uuid (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature ("Ada", "Lovelace", "ada@example.org", NULL);
  g_autoptr(PkSignature) again = make_signature ("Other", "Person", "other@example.org", NULL);
  g_autoptr(PkSignature) found = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  PkStore *store = open_store (fixture->path);

  sig->uuid = g_strdup (uuid);
  g_assert_true (pk_store_add_signature (store, fixture->petition, sig, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sig->uuid, ==, uuid);

  again->uuid = g_strdup (uuid);
  g_assert_false (pk_store_add_signature (store, fixture->petition, again, NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);

  found = pk_store_get_signature_by_uuid (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->fields[PK_FIELD_EMAIL], ==, "ada@example.org");
  g_assert_null (pk_store_get_signature_by_uuid (store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_finalize_object (store);
}

/* With a coordinator key, once the store was reopened it can no longer
 * read the earlier signer's name (only the coordinator can), so a taken
 * paper line is reported without it. */
static void
test_paper_line_taken_encrypted (Fixture       *fixture,
                                 gconstpointer  data)
{
  guint8 pk[PK_CRYPTO_PUBLIC_KEY_BYTES], sk[PK_CRYPTO_SECRET_KEY_BYTES];
  g_autofree char *pk_b64 = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) first = make_signature ("서연", "김", NULL, NULL);
  g_autoptr(PkSignature) second = make_signature ("Jürgen", "Zuversicht", NULL, NULL);
  PkStore *store;

  g_assert_true (pk_crypto_box_keypair (pk, sk, NULL));
  pk_b64 = pk_crypto_base64_encode (pk, sizeof pk);
  petition = make_petition ("secret", pk_b64);
  store = open_store (fixture->path);

  first->source = second->source = PK_SOURCE_PAPER;
  first->sheet_serial = g_strdup ("S-0002");
  second->sheet_serial = g_strdup ("S-0002");
  first->sheet_line = second->sheet_line = 5;
  g_assert_true (pk_store_add_signature (store, petition, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  store = open_store (fixture->path);
  g_assert_false (pk_store_add_signature (store, petition, second, NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN);
  g_assert_cmpstr (error->message, ==, "Sheet S-0002, line 5 was already entered.");
  g_assert_cmpuint (pk_store_count (store, "secret"), ==, 1);
  g_assert_finalize_object (store);
}

static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PkStore *store = pk_store_open_at_version (fixture->path, 1, &error);
  sqlite3_stmt *stmt;
  g_autofree char *kiosk_id = NULL;

  g_assert_no_error (error);
  add_as_old_release (store, fixture->petition, "Old", "Row", "old@example.org");
  kiosk_id = g_strdup (pk_store_get_kiosk_id (store));
  g_assert_finalize_object (store);

  store = open_store (fixture->path);
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store), "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, pk_store_get_latest_version ());
  sqlite3_finalize (stmt);
  g_assert_cmpstr (pk_store_get_kiosk_id (store), ==, kiosk_id);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 1);
  g_assert_false (add (store, fixture->petition, "Old", "Row", "OLD@example.org", NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_assert_finalize_object (store);
}

/* The folder's file names, sorted, joined with '/'. */
static char *
list_folder (const char *path)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("/", (char **) names->pdata);
}

static gint64
mtime_ns (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

/* A WAL-mode database with nothing beside it (as every writer leaves
 * it on close) is read without a single byte, time or file changing,
 * and refuses writes. */
static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autoptr(GHashTable) by_petition = NULL;
  PkStore *store = open_store (fixture->path);
  gint64 mtime;

  g_assert_true (add (store, fixture->petition, "A", NULL, "a@example.org", NULL, NULL));
  g_assert_true (add (store, fixture->petition, "B", NULL, "b@example.org", NULL, NULL));
  g_assert_finalize_object (store);

  before = read_file (fixture->path);
  /* Bytes 18 and 19 of the header: 2 for WAL. */
  g_assert_cmpuint (g_bytes_get_size (before), >, 20);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (before, NULL))[18], ==, 2);
  listing = list_folder (folder);
  g_assert_cmpstr (listing, ==, "kiosk.db");
  mtime = mtime_ns (fixture->path);

  store = pk_store_open_read_only (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 2);
  by_petition = pk_store_count_by_petition (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (by_petition), ==, 1);
  g_assert_nonnull (pk_store_get_kiosk_id (store));
  /* Nothing beside it while it is open either. */
  listing_after = list_folder (folder);
  g_assert_cmpstr (listing_after, ==, listing);

  g_assert_false (add (store, fixture->petition, "C", NULL, "c@example.org", NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (pk_store_set_setting (store, "event", "x", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_true (pk_store_check_unchanged (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (mtime_ns (fixture->path), ==, mtime);
  g_clear_pointer (&listing_after, g_free);
  listing_after = list_folder (folder);
  g_assert_cmpstr (listing_after, ==, listing);
}

/* A database that only a writable open could upgrade is refused, and
 * says so; so is an empty file (a first start killed early). */
static void
test_read_only_needs_upgrade (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  PkStore *store = pk_store_open_at_version (fixture->path, pk_store_get_latest_version () - 1, &error);

  g_assert_no_error (error);
  add_as_old_release (store, fixture->petition, "Old", NULL, "old@example.org");
  g_assert_finalize_object (store);

  before = read_file (fixture->path);
  store = pk_store_open_read_only (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "older version"));
  g_clear_error (&error);
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  store = pk_store_open_read_only (empty, &error);
  g_assert_null (store);
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE);
  g_clear_error (&error);
  g_clear_pointer (&before, g_bytes_unref);
  before = read_file (empty);
  g_assert_cmpuint (g_bytes_get_size (before), ==, 0);

  /* Newer, damaged and foreign files are refused as by pk_store_open(). */
  g_assert_true (g_file_set_contents (empty, "not a database at all, not even close", -1, NULL));
  store = pk_store_open_read_only (empty, &error);
  g_assert_null (store);
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
}

/* Read without locks, a file that another connection changes meanwhile
 * is reported, so that a mix of before and after is never printed. */
static void
test_read_only_sees_change (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PkStore *writer = open_store (fixture->path);
  PkStore *reader;

  g_assert_true (add (writer, fixture->petition, "A", NULL, "a@example.org", NULL, NULL));
  g_assert_finalize_object (writer);

  reader = pk_store_open_read_only (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (reader, "demo"), ==, 1);

  /* A writer that has not checkpointed yet: its -wal is beside the file. */
  writer = open_store (fixture->path);
  g_assert_true (add (writer, fixture->petition, "B", NULL, "b@example.org", NULL, NULL));
  g_assert_false (pk_store_check_unchanged (reader, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* And once it closed, checkpointed and removed its -wal. */
  g_assert_finalize_object (writer);
  g_assert_false (pk_store_check_unchanged (reader, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_finalize_object (reader);

  /* With the writer still open, the read goes through its WAL, with
   * locks: consistent, and it sees the latest rows. */
  writer = open_store (fixture->path);
  reader = pk_store_open_read_only (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (add (writer, fixture->petition, "C", NULL, "c@example.org", NULL, NULL));
  g_assert_cmpuint (pk_store_count (reader, "demo"), ==, 3);
  g_assert_true (pk_store_check_unchanged (reader, &error));
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

static void
test_counter_is_maintained (Fixture       *fixture,
                            gconstpointer  data)
{
  PkStore *store = open_store (fixture->path);
  sqlite3 *db = pk_store_get_db (store);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < 50; i++)
    g_assert_true (add (store, fixture->petition, "N", NULL, NULL, NULL, NULL));
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 50);

  /* The counter follows deletes too (the wipe of exported rows). */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM signatures WHERE id % 2 = 0", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 25);

  /* It is a stored number, not a scan. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT n FROM counts WHERE petition_id = 'demo'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 25);
  sqlite3_finalize (stmt);
  g_assert_finalize_object (store);
}

static void
test_batches (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PkPetition) other = make_petition ("other", NULL);
  PkStore *store = open_store (fixture->path);
  sqlite3_stmt *stmt;
  gint64 first, second;

  g_assert_true (pk_store_set_setting (store, PK_SETTING_KIOSK_NAME, "Stall 1", NULL));
  first = pk_store_get_current_batch (store);
  g_assert_true (add (store, fixture->petition, "A", NULL, NULL, NULL, NULL));
  g_assert_cmpint (pk_store_get_current_batch (store), ==, first);

  /* Another petition: the batch is closed and a new one opened. */
  g_assert_true (add (store, other, "A", NULL, NULL, NULL, NULL));
  second = pk_store_get_current_batch (store);
  g_assert_cmpint (second, !=, first);

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "SELECT count(*) FROM batches WHERE origin = 'local' AND closed_at IS NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "SELECT petition_id, kiosk_name, kiosk_id FROM batches WHERE id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, second);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "other");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "Stall 1");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, pk_store_get_kiosk_id (store));
  sqlite3_finalize (stmt);
  g_assert_finalize_object (store);
}

static void
test_paper_lines (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature ("길동", "홍", NULL, NULL);
  g_autoptr(PkSignature) again = make_signature ("Other", "Person", NULL, NULL);
  g_autoptr(PkSignature) found = NULL;
  PkStore *store = open_store (fixture->path);

  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup ("S-0001");
  sig->sheet_line = 3;
  sig->lang = (g_free (sig->lang), g_strdup ("ko"));
  g_assert_true (pk_store_add_signature (store, fixture->petition, sig, NULL, &error));
  g_assert_no_error (error);

  again->source = PK_SOURCE_PAPER;
  again->sheet_serial = g_strdup ("S-0001");
  again->sheet_line = 3;
  g_assert_false (pk_store_add_signature (store, fixture->petition, again, NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN);
  g_assert_nonnull (strstr (error->message, "홍길동"));
  g_clear_error (&error);

  again->sheet_line = 4;
  g_assert_true (pk_store_add_signature (store, fixture->petition, again, NULL, &error));
  g_assert_no_error (error);

  found = pk_store_find_paper_line (store, "S-0001", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->uuid, ==, sig->uuid);
  g_assert_null (pk_store_find_paper_line (store, "S-0001", 9, &error));
  g_assert_no_error (error);

  /* A paper row needs its sheet and line; a kiosk row has none. */
  g_clear_pointer (&again, pk_signature_free);
  again = make_signature ("X", NULL, NULL, NULL);
  again->source = PK_SOURCE_PAPER;
  g_assert_false (pk_store_add_signature (store, fixture->petition, again, NULL, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT);
  g_clear_error (&error);

  g_assert_cmpuint (pk_store_count (store, "demo"), ==, 2);
  g_assert_finalize_object (store);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature ("Kim", NULL, NULL, NULL);
  g_autofree char *long_comment = g_strnfill (1900, 'c');
  PkStore *store = open_store (fixture->path);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int pages;

  g_assert_true (add (store, fixture->petition, "A", NULL, NULL, NULL, NULL));

  /* Simulate a full disk: the file may not grow by a single page. */
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store), "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sql = g_strdup_printf ("PRAGMA max_page_count = %d", pages);
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < 50 && error == NULL; i++)
    {
      g_autoptr(PkSignature) big = make_signature ("Kim", NULL, NULL, NULL);

      pk_signature_set_field (big, PK_FIELD_COMMENT, long_comment);
      pk_store_add_signature (store, fixture->petition, big, NULL, &error);
    }
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The store still works for reading, and the count matches the rows. */
  {
    guint64 n = pk_store_count (store, "demo");
    sqlite3_stmt *count;

    g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store), "SELECT count(*) FROM signatures", -1, &count, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (count), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (count, 0), ==, (gint64) n);
    sqlite3_finalize (count);
  }
  g_assert_finalize_object (store);
}

static gboolean
bytes_contain (GBytes     *haystack,
               const char *needle)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (haystack, &len);
  gsize nlen = strlen (needle);

  for (gsize i = 0; i + nlen <= len; i++)
    if (memcmp (data + i, needle, nlen) == 0)
      return TRUE;

  return FALSE;
}

static void
test_encrypted (Fixture       *fixture,
                gconstpointer  data)
{
  guint8 pk[PK_CRYPTO_PUBLIC_KEY_BYTES], sk[PK_CRYPTO_SECRET_KEY_BYTES];
  g_autofree char *pk_b64 = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = make_signature ("서연", "김", "seoyeon.kim@example.kr", "010-5555-7777");
  g_autoptr(PkSignature) back = NULL;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *uuid = NULL;
  const char *secrets[] = { "서연", "김", "seoyeon", "example.kr", "821055557777", "5555",
                            "Jürgen", "juergen", "4930", "Zuversicht" };
  PkStore *store;
  sqlite3_stmt *stmt;
  PkSessionKey *session;
  g_autoptr(PkSessionKey) unsealed = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(PkSignature) decoded = pk_signature_new ();
  gint64 key_id = 0;

  g_assert_true (pk_crypto_box_keypair (pk, sk, NULL));
  pk_b64 = pk_crypto_base64_encode (pk, sizeof pk);
  petition = make_petition ("secret", pk_b64);

  store = open_store (fixture->path);
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
  uuid = g_strdup (sig->uuid);
  /* Known by the phone (no email), so that a repeat by phone is one
   * under the duplicate rule (docs/data-model.md, "Duplicates"). */
  g_assert_true (add (store, petition, "Jürgen", "Müller", NULL, "+49 30 1234567", &error));
  g_clear_pointer (&sig, pk_signature_free);
  sig = make_signature ("Zuversicht", NULL, NULL, NULL);
  pk_signature_set_field (sig, PK_FIELD_COMMENT, "Zuversicht");
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));

  /* Duplicates are still caught within this process. */
  g_assert_false (add (store, petition, "X", NULL, "SEOYEON.KIM@example.kr", NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (add (store, petition, "X", NULL, NULL, "+49 (30) 1234567", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (pk_store_count (store, "secret"), ==, 3);

  /* This process can read back its own rows. */
  back = pk_store_get_signature_by_uuid (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->fields[PK_FIELD_GIVEN_NAME], ==, "서연");

  /* With the store open the rows sit in the WAL; nothing readable there. */
  {
    g_autoptr(GBytes) db_bytes = read_file (fixture->path);
    g_autoptr(GBytes) wal_bytes = read_file (wal_path);

    g_assert_cmpuint (g_bytes_get_size (wal_bytes), >, 0);
    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      {
        g_test_message ("looking for %s", secrets[i]);
        g_assert_false (bytes_contain (db_bytes, secrets[i]));
        g_assert_false (bytes_contain (wal_bytes, secrets[i]));
      }
  }

  /* One sealed key for the process; no signer keys on disk. */
  session = pk_store_get_session_key (store, pk, &key_id);
  g_assert_nonnull (session);
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "SELECT count(*), count(dedup_key), count(DISTINCT key_id) FROM signatures",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  sqlite3_finalize (stmt);
  g_assert_finalize_object (store);

  /* After closing, the database alone holds nothing readable either. */
  {
    g_autoptr(GBytes) db_bytes = read_file (fixture->path);

    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      g_assert_false (bytes_contain (db_bytes, secrets[i]));
  }

  /* The coordinator, with the secret key, reads everything back. */
  store = open_store (fixture->path);
  back = (pk_signature_free (back), pk_store_get_signature_by_uuid (store, uuid, &error));
  g_assert_no_error (error);
  /* A new process has no key for the old rows. */
  g_assert_null (back->fields[PK_FIELD_GIVEN_NAME]);

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "SELECT k.sealed, s.payload FROM signatures s"
                                       " JOIN sealed_keys k ON k.id = s.key_id WHERE s.uuid = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sealed = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  payload = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  sqlite3_finalize (stmt);

  unsealed = pk_session_key_unseal (sealed, pk, sk, &error);
  g_assert_no_error (error);
  plain = pk_crypto_decrypt_payload (unsealed, payload, uuid, &error);
  g_assert_no_error (error);
  g_assert_true (pk_signature_deserialize (decoded, plain, &error));
  g_assert_cmpstr (decoded->fields[PK_FIELD_GIVEN_NAME], ==, "서연");
  g_assert_cmpstr (decoded->fields[PK_FIELD_EMAIL], ==, "seoyeon.kim@example.kr");

  /* The UUID is bound to the ciphertext: moving a payload to another row
   * fails. */
  g_assert_null (pk_crypto_decrypt_payload (unsealed, payload, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
  g_assert_finalize_object (store);
}

/* A multi-row import is one outer transaction; each signature's own
 * transaction nests inside it. Rolling the outer one back must leave
 * disk and memory as before: the signer is not "already signed", and a
 * later row does not point at a sealed key that was never written. */
static void
test_nested_rollback (Fixture       *fixture,
                      gconstpointer  data)
{
  guint8 pk[PK_CRYPTO_PUBLIC_KEY_BYTES], sk[PK_CRYPTO_SECRET_KEY_BYTES];
  g_autofree char *pk_b64 = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkSignature) sig = make_signature ("서연", "김", "seoyeon.kim@example.kr", NULL);
  g_autoptr(PkSignature) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pk_crypto_box_keypair (pk, sk, NULL));
  pk_b64 = pk_crypto_base64_encode (pk, sizeof pk);
  petition = make_petition ("secret", pk_b64);
  store = open_store (fixture->path);

  g_assert_true (pk_store_begin (store, &error));
  g_assert_true (add (store, petition, "Jürgen", "Müller", "juergen@example.de", NULL, &error));
  g_assert_true (add (store, fixture->petition, "Mary", "O'Neil", "mary@example.com", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 2);
  pk_store_rollback (store);

  g_assert_cmpuint (pk_store_count (store, NULL), ==, 0);
  g_assert_null (pk_store_get_session_key (store, pk, NULL));

  /* Both signers may sign again, and the new encrypted row is readable. */
  g_assert_true (add (store, petition, "Jürgen", "Müller", "juergen@example.de", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (add (store, fixture->petition, "Mary", "O'Neil", "mary@example.com", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
  back = pk_store_get_signature_by_uuid (store, sig->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->fields[PK_FIELD_GIVEN_NAME], ==, "서연");
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 3);

  /* A committed outer transaction keeps what it holds. */
  g_assert_true (pk_store_begin (store, &error));
  g_assert_true (add (store, petition, "Ößa", "Straßburger", "oessa@example.de", NULL, &error));
  g_assert_true (pk_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_false (add (store, petition, "Ößa", NULL, "OESSA@example.de", NULL, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 4);
}

static void
test_payload_garbage (void)
{
  g_autoptr(PkSignature) sig = make_signature ("Kim", "Lee", NULL, NULL);
  g_autoptr(GBytes) payload = pk_signature_serialize (sig);
  GRand *rand = g_rand_new_with_seed (7);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (payload, &len);

  for (guint round = 0; round < 5000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GBytes) mangled = NULL;
      g_autoptr(PkSignature) out = pk_signature_new ();
      g_autoptr(GError) error = NULL;
      gsize cut = g_rand_boolean (rand) ? len : (gsize) g_rand_int_range (rand, 0, len);

      copy[g_rand_int_range (rand, 0, len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      mangled = g_bytes_new (copy, cut);
      if (!pk_signature_deserialize (out, mangled, &error))
        g_assert_nonnull (error);
      else
        for (guint i = 0; i < PK_N_FIELDS; i++)
          g_assert_true (out->fields[i] == NULL || g_utf8_validate (out->fields[i], -1, NULL));
    }

  g_rand_free (rand);
}

/* Rows of the file at @path that @sql counts, read past the store. */
static gint64
count_raw (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (pk_sqlite_query_int64 (db, sql, &n), ==, SQLITE_OK);
  sqlite3_close (db);
  return n;
}

/* Opening a database of the latest schema that has no kiosk identity
 * nor batch yet (as one whose first open stopped after the schema),
 * while SQLite fails at its K-th allocation, for every K in turn
 * (pk-alloc-fault.h): either the store opens with both, or it fails
 * with a store error and adds neither, and the next open does. The
 * schema steps' own failures are failed-upgrade-changes-nothing's. */
static void
test_open_faults (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *template = g_build_filename (fixture->dir, "template.db", NULL);
  gint64 step = pk_alloc_fault_step ();
  gint64 k;
  guint failures = 0;

  {
    g_autoptr(GError) error = NULL;
    PkStore *store = pk_store_open_at_version (template, pk_store_get_latest_version (), &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), "DELETE FROM settings; DELETE FROM batches",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_finalize_object (store);
  }
  {
    g_autofree char *sub = g_path_get_dirname (fixture->path);

    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  }

  for (k = 1; ; k += step)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PkStore) store = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      gboolean reached;

      g_assert_true (g_file_get_contents (template, &contents, &length, &error));
      g_assert_true (g_file_set_contents (fixture->path, contents, length, &error));
      g_assert_no_error (error);

      pk_alloc_fault_arm (k);
      store = pk_store_open (fixture->path, &error);
      reached = pk_alloc_fault_disarm ();

      if (store == NULL)
        {
          g_assert_true (reached);
          g_assert_true (error->domain == PK_STORE_ERROR);
          g_test_message ("allocation %" G_GINT64_FORMAT ": %s", k, error->message);
          pk_alloc_fault_assert_said (error);
          g_clear_error (&error);
          failures++;
          g_assert_cmpint (count_raw (fixture->path, "SELECT count(*) FROM settings"), ==, 0);
          g_assert_cmpint (count_raw (fixture->path, "SELECT count(*) FROM batches"), ==, 0);
          store = pk_store_open (fixture->path, &error);
          g_assert_no_error (error);
        }
      g_assert_true (g_uuid_string_is_valid (pk_store_get_kiosk_id (store)));
      g_clear_object (&store);
      g_assert_cmpint (count_raw (fixture->path, "SELECT count(*) FROM batches WHERE closed_at IS NULL"), ==, 1);

      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *file = g_strconcat (fixture->path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

          g_unlink (file);
        }
      if (!reached)
        break;
    }
  g_test_message ("some %" G_GINT64_FORMAT " allocations, %u failures of the open", k, failures);
  g_assert_cmpuint (failures, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything starts SQLite. */
  pk_alloc_fault_install ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Pk/Store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("survives-reopen", test_survives_reopen);
  ADD ("file-modes", test_file_modes);
  ADD ("pragmas", test_pragmas);
  ADD ("duplicates", test_duplicates);
  ADD ("invalid-writes-nothing", test_invalid_writes_nothing);
  ADD ("newer-version-refused", test_newer_version_refused);
  ADD ("corrupt-refused", test_corrupt_refused);
  ADD ("odd-paths-refused", test_odd_paths_refused);
  ADD ("never-set-up", test_never_set_up);
  ADD ("hot-journal", test_hot_journal);
  ADD ("failed-upgrade-changes-nothing", test_failed_upgrade_changes_nothing);
  ADD ("given-uuid", test_given_uuid);
  ADD ("paper-line-taken-encrypted", test_paper_line_taken_encrypted);
  ADD ("migration", test_migration);
  ADD ("read-only", test_read_only);
  ADD ("read-only-needs-upgrade", test_read_only_needs_upgrade);
  ADD ("read-only-sees-change", test_read_only_sees_change);
  ADD ("counter", test_counter_is_maintained);
  ADD ("batches", test_batches);
  ADD ("paper-lines", test_paper_lines);
  ADD ("disk-full", test_disk_full);
  ADD ("encrypted", test_encrypted);
  ADD ("nested-rollback", test_nested_rollback);
  ADD ("open-faults", test_open_faults);
#undef ADD
  g_test_add_func ("/Pk/Store/payload-garbage", test_payload_garbage);

  return g_test_run ();
}
