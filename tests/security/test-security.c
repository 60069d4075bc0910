/* test-security.c: the checks docs/security.md points to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - Files that hold signer data or secrets are created 0600 whatever the
 *   umask, and a folder the store creates is private: another account on
 *   the kiosk laptop cannot read them.
 * - Nothing a signer typed reaches the logs, even with every debug
 *   message turned on (G_MESSAGES_DEBUG=all): logs get copied into bug
 *   reports and journald keeps them.
 * - With a coordinator key in the petition, a signer's name, email and
 *   phone appear nowhere in the bytes on disk (the database and its WAL)
 *   while the kiosk runs or after it stops.
 */
#define G_LOG_DOMAIN "test-security"

#include "config.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "pk-keys.h"
#include "pk-proof.h"
#include "pk-signature.h"
#include "pk-store.h"

/* Values that appear nowhere else, so a hit is certainly a leak. */
#define PROBE_GIVEN   "Zyxqwvin"
#define PROBE_FAMILY  "검증용성"
#define PROBE_EMAIL   "probe.leak-7731@example.org"
#define PROBE_PHONE   "+82 10 7731 4409"
#define PROBE_DIGITS  "1077314409"
#define PROBE_TOKEN   "tok-Qx81-secret-77aa"

static void
assert_mode (const char *path,
             guint       expected)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 07777) != expected)
    g_error ("%s has mode %04o, not %04o", path, st.st_mode & 07777, expected);
}

static void
assert_private_folder (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 077) != 0)
    g_error ("%s has mode %04o: other accounts can see into it", path, st.st_mode & 07777);
}

static PkSignature *
probe_signature (void)
{
  PkSignature *sig = pk_signature_new ();

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, PROBE_GIVEN);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, PROBE_FAMILY);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, PROBE_EMAIL);
  pk_signature_set_field (sig, PK_FIELD_PHONE, PROBE_PHONE);
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  return sig;
}

/* The store's database, WAL and shared-memory file, and the folder it
 * made, while it is open and after a write; umask 0 proves the modes are
 * set on purpose, not inherited. */
static void
test_modes_store (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "made by the store", NULL);
  g_autofree char *db = g_build_filename (folder, "kiosk.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkSignature) sig = probe_signature ();
  mode_t old_umask = umask (0);

  g_assert_no_error (error);
  store = pk_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);

  assert_mode (db, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  assert_private_folder (folder);

  g_clear_object (&store);
  umask (old_umask);
  pk_proof_rm_rf (dir);
}

static void
test_modes_cli (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_auto(GStrv) args = pk_proof_sign_args (db, petition, 1);
  mode_t old_umask = umask (0);

  /* The child inherits umask 0. */
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args, NULL, NULL, NULL), ==, 0);
  umask (old_umask);
  assert_mode (db, 0600);
  pk_proof_rm_rf (dir);
}

static void
test_modes_coordinator_key (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *api_path = g_build_filename (dir, "api.key", NULL);
  g_autofree char *cli_path = g_build_filename (dir, "cli.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *args[] = { "keygen", "--out", cli_path, NULL };
  PkCoordinatorKey *key;
  mode_t old_umask = umask (0);

  key = pk_coordinator_key_generate (api_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  pk_coordinator_key_free (key);
  assert_mode (api_path, 0600);

  g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "CoordinatorKey="));
  assert_mode (cli_path, 0600);

  umask (old_umask);
  pk_proof_rm_rf (dir);
}

/* What the CLI writes out of a plain-mode kiosk, under umask 0: a closed
 * batch file and the CSV and JSON exports carry signers' names and
 * addresses readable by anyone who can open them, so they are 0600; a
 * QR code and signature sheets are meant to be handed out, so 0644. */
static void
test_modes_outputs (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *batch = g_build_filename (dir, "closed.pkbatch", NULL);
  g_autofree char *csv = g_build_filename (dir, "signers.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "signers.json", NULL);
  g_autofree char *qr = g_build_filename (dir, "qr.png", NULL);
  g_autofree char *sheets = g_build_filename (dir, "sheets.pdf", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_auto(GStrv) sign = pk_proof_sign_args (db, petition, 1);
  const char *close_args[] = { "close-batch", "--db", db, "--out", batch, NULL };
  const char *csv_args[] = { "export", "--db", db, "--format", "csv", "--out", csv, NULL };
  const char *json_args[] = { "export", "--db", db, "--format", "osdi-json", "--out", json, NULL };
  const char *qr_args[] = { "qr", "--petition", petition, "--out", qr, NULL };
  const char *sheets_args[] = { "sheets", "--petition", petition, "--count", "1", "--out", sheets, NULL };
  /* `sheets` writes a PDF, where cairo loses a block: its suppression is
   * for PDF writers alone (tests/lsan-pdf.supp). */
  g_autofree char *pdf_lsan = g_strconcat ("LSAN_OPTIONS=suppressions=", g_getenv ("PK_SOURCE_ROOT"),
                                           "/tests/lsan-pdf.supp", NULL);
  const char *pdf_env[] = { pdf_lsan, NULL };
  mode_t old_umask = umask (0);

  /* The children inherit umask 0. */
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) sign, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_run_cli (csv_args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_run_cli (json_args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_run_cli (close_args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_run_cli (qr_args, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_run_cli (sheets_args, pdf_env, NULL, NULL), ==, 0);
  umask (old_umask);

  assert_mode (batch, 0600);
  assert_mode (csv, 0600);
  assert_mode (json, 0600);
  assert_mode (qr, 0644);
  assert_mode (sheets, 0644);
  pk_proof_rm_rf (dir);
}

static void
assert_no_probe (const char *what,
                 const char *text)
{
  static const char * const probes[] = {
    PROBE_GIVEN, PROBE_FAMILY, PROBE_EMAIL, PROBE_DIGITS, "7731 4409", "7731@", PROBE_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    if (text != NULL && strstr (text, probes[i]) != NULL)
      g_error ("%s contains the signer's “%s”:\n%s", what, probes[i], text);
}

static void
test_logs_sign (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char *sign[] = { "sign", "--db", db, "--petition", petition, "--lang", "ko",
                         "--given-name", PROBE_GIVEN, "--family-name", PROBE_FAMILY,
                         "--email", PROBE_EMAIL, "--phone", PROBE_PHONE, "--consent", "--sensitive-consent", NULL };
  const char *invalid[] = { "sign", "--db", db, "--petition", petition, "--lang", "ko",
                            "--given-name", PROBE_GIVEN, "--family-name", PROBE_FAMILY,
                            "--email", "7731@", "--consent", "--sensitive-consent", NULL };
  const char *count[] = { "count", "--db", db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Recorded, then a duplicate, then invalid: each path's messages. */
  /* GLib prints debug messages on stdout, so the UUID is its last line. */
  g_assert_cmpint (pk_proof_run_cli (sign, env, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "-4"));
  assert_no_probe ("sign's output", out);
  assert_no_probe ("sign's errors", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pk_proof_run_cli (sign, env, &out, &err), ==, 3);
  assert_no_probe ("a duplicate sign's output", out);
  assert_no_probe ("a duplicate sign's errors", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pk_proof_run_cli (invalid, env, &out, &err), ==, 2);
  assert_no_probe ("an invalid sign's output", out);
  assert_no_probe ("an invalid sign's errors", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pk_proof_run_cli (count, env, &out, &err), ==, 0);
  assert_no_probe ("count's output", out);
  assert_no_probe ("count's errors", err);

  pk_proof_rm_rf (dir);
}

/* `sync` talks to a server about every signer, with an API token: with
 * all debug output on, neither a signer's details nor the token may
 * appear in what it prints. The OSDI test receiver stands in for Action
 * Network. */
static void
test_logs_sync (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *receiver_path = g_build_filename (g_getenv ("PK_BUILD_ROOT"), "tests", "sync",
                                                     "osdi-receiver", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) receiver = NULL;
  g_autoptr(GDataInputStream) receiver_out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *endpoint_arg = NULL;
  g_autofree char *token_arg = g_strconcat ("--token-file=", token_file, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char *sign[] = { "sign", "--db", db, "--petition", petition, "--lang", "ko",
                         "--given-name", PROBE_GIVEN, "--family-name", PROBE_FAMILY,
                         "--email", PROBE_EMAIL, "--phone", PROBE_PHONE, "--consent", "--sensitive-consent", NULL };

  g_assert_cmpint (pk_proof_run_cli (sign, NULL, NULL, NULL), ==, 0);
  g_file_set_contents_full (token_file, PROBE_TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  /* No leak checking for the receiver: see receiver_launcher () in
   * tests/sync/test-sync.c. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
  receiver = g_subprocess_launcher_spawn (launcher, &error, receiver_path,
                                          "--token=" PROBE_TOKEN, NULL);
  g_assert_no_error (error);
  receiver_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  port = g_data_input_stream_read_line_utf8 (receiver_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);
  endpoint = g_strdup_printf ("http://127.0.0.1:%s/api/v2/petitions/abc-123/signatures", port);
  endpoint_arg = g_strconcat ("--endpoint=", endpoint, NULL);

  {
    const char *sync[] = { "sync", "--db", db, endpoint_arg, token_arg, "--rate=0", NULL };

    g_assert_cmpint (pk_proof_run_cli (sync, env, &out, &err), ==, 0);
    assert_no_probe ("sync's output", out);
    assert_no_probe ("sync's errors", err);
  }

  g_subprocess_send_signal (receiver, SIGTERM);
  g_subprocess_wait_check (receiver, NULL, &error);
  g_assert_no_error (error);
  pk_proof_rm_rf (dir);
}

static gboolean
bytes_contain (GBytes     *haystack,
               const char *needle)
{
  gsize size = 0, length = strlen (needle);
  const char *data = g_bytes_get_data (haystack, &size);

  for (gsize i = 0; data != NULL && i + length <= size; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* The first of the signer's details found in plain form in the file at
 * @path, or NULL. The file must exist: a check of a file that is not
 * there proves nothing, so it fails instead of passing. */
static const char *
file_probe_found (const char *path)
{
  static const char * const probes[] = {
    PROBE_GIVEN, PROBE_FAMILY, PROBE_EMAIL, "probe.leak-7731", PROBE_DIGITS, "+821077314409",
  };
  g_autoptr(GBytes) bytes = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s does not exist, so nothing about it is proven", path);
  bytes = pk_proof_read_bytes (path);
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    if (bytes_contain (bytes, probes[i]))
      return probes[i];
  return NULL;
}

static void
assert_file_free_of_probe (const char *path)
{
  const char *found = file_probe_found (path);

  if (found != NULL)
    g_error ("%s holds the signer's “%s” in plain form", path, found);
}

/* The control: on a plain-mode kiosk the same signer is in the file in
 * plain form, so the search above can see what it looks for. */
static void
test_plain_control (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkSignature) sig = probe_signature ();

  g_assert_no_error (error);
  g_assert_null (pk_petition_get_coordinator_key (petition));
  store = pk_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_nonnull (file_probe_found (db));
  pk_proof_rm_rf (dir);
}

/* A kiosk seized while running, or after: neither the database nor its
 * WAL gives a signer away when the petition has a coordinator key. */
static void
test_encrypted_at_rest (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *path = pk_proof_demo_petition ("prisoners-of-conscience-encrypted.petition");
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (path, &error);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkSignature) sig = probe_signature ();
  g_autofree char *cli_db = g_build_filename (dir, "cli.db", NULL);
  const char *sign[] = { "sign", "--db", cli_db, "--petition", path, "--lang", "ko",
                         "--given-name", PROBE_GIVEN, "--family-name", PROBE_FAMILY,
                         "--email", PROBE_EMAIL, "--phone", PROBE_PHONE, "--consent", "--sensitive-consent", NULL };

  g_assert_no_error (error);
  g_assert_nonnull (pk_petition_get_coordinator_key (petition));

  store = pk_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);

  /* While running: the WAL holds the fresh row. */
  assert_file_free_of_probe (db);
  assert_file_free_of_probe (wal);
  g_clear_object (&store);
  /* Closed: the WAL is checkpointed into the main file and removed. */
  assert_file_free_of_probe (db);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_assert_cmpint (pk_proof_run_cli (sign, NULL, NULL, NULL), ==, 0);
  assert_file_free_of_probe (cli_db);

  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Security/modes/store", test_modes_store);
  g_test_add_func ("/Pk/Security/modes/cli-sign", test_modes_cli);
  g_test_add_func ("/Pk/Security/modes/coordinator-key", test_modes_coordinator_key);
  g_test_add_func ("/Pk/Security/modes/outputs", test_modes_outputs);
  g_test_add_func ("/Pk/Security/logs/sign", test_logs_sign);
  g_test_add_func ("/Pk/Security/logs/sync", test_logs_sync);
  g_test_add_func ("/Pk/Security/encrypted-at-rest", test_encrypted_at_rest);
  g_test_add_func ("/Pk/Security/plain-control", test_plain_control);

  return g_test_run ();
}
