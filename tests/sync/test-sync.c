/* test-sync.c: OSDI sync against the fault-injecting test receiver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is checked from both ends: what the store says (sent,
 * failed, pending) and what the receiver holds (distinct identifiers,
 * records). The `sync` command runs as a child process, as a coordinator
 * would run it, so that it can be killed at any moment.
 */
#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "pk-test-skip.h"
#include "pk-osdi.h"
#include "pk-store-private.h"
#include "pk-store-sync.h"
#include "pk-sync.h"
#include "sync-harness.h"

/* Signatures in the bulk runs: 10,000 (docs/sync.md), or
 * PK_SYNC_BULK, which build-aux/run-tests lowers in the sanitizer pass:
 * there what is looked for is a memory error on the same paths, and
 * each row costs several times as much. */
static guint
bulk_n (void)
{
  const char *env = g_getenv ("PK_SYNC_BULK");
  guint64 n = 10000;

  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 100, G_MAXUINT, &n, NULL))
    g_error ("PK_SYNC_BULK must be a number from 100 up, not “%s”", env);
  return (guint) n;
}

/* --- unit tests of the OSDI mapping ---------------------------------- */

static void
test_osdi_body (void)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  PkOsdiOrigin origin = { "Stall 3", "Vigil" };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *person, *email;
  JsonArray *tags;

  sig->uuid = g_strdup ("0b7a2b7e-8d1b-4a55-9d49-3f1d2c1e0a11");
  sig->signed_at = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  sig->lang = g_strdup ("de");
  sig->opt_in = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Jürgen");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Groß");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "j@example.org");
  pk_signature_set_field (sig, PK_FIELD_PHONE, "+4930123456");
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "10115");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "DE");
  pk_signature_set_field (sig, PK_FIELD_COMMENT, "Free them all");

  node = pk_osdi_signature_new (sig, &origin);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "identifiers"), 0),
                   ==, "petition-kiosk:0b7a2b7e-8d1b-4a55-9d49-3f1d2c1e0a11");
  g_assert_cmpstr (json_object_get_string_member (root, "action_date"), ==, "2023-11-14T22:13:20Z");
  g_assert_cmpstr (json_object_get_string_member (root, "origin_system"), ==, "Petition Kiosk");
  g_assert_cmpstr (json_object_get_string_member (root, "comments"), ==, "Free them all");
  tags = json_object_get_array_member (root, "add_tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "kiosk:Stall 3");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "event:Vigil");
  g_assert_cmpstr (json_array_get_string_element (tags, 2), ==, "source:kiosk");
  g_assert_true (json_object_has_member (root, "action_network:referrer_data"));
  g_assert_false (json_object_has_member (root, "referrer_data"));

  person = json_object_get_object_member (root, "person");
  g_assert_cmpstr (json_object_get_string_member (person, "given_name"), ==, "Jürgen");
  g_assert_cmpstr (json_object_get_string_member (person, "family_name"), ==, "Groß");
  email = json_array_get_object_element (json_object_get_array_member (person, "email_addresses"), 0);
  g_assert_cmpstr (json_object_get_string_member (email, "address"), ==, "j@example.org");
  g_assert_cmpstr (json_object_get_string_member (email, "status"), ==, "subscribed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (person, "postal_addresses"), 0), "postal_code"),
                   ==, "10115");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (person, "postal_addresses"), 0), "country"),
                   ==, "DE");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (person, "phone_numbers"), 0), "number"),
                   ==, "+4930123456");

  /* Without opt-in the email carries no status: nobody is subscribed
   * (or unsubscribed) by signing. */
  sig->opt_in = FALSE;
  g_clear_pointer (&node, json_node_unref);
  node = pk_osdi_signature_new (sig, NULL);
  person = json_object_get_object_member (json_node_get_object (node), "person");
  email = json_array_get_object_element (json_object_get_array_member (person, "email_addresses"), 0);
  g_assert_false (json_object_has_member (email, "status"));
}

static void
test_osdi_reply (void)
{
  static const char good[] =
    "{\"identifiers\":[\"petition-kiosk:x\",\"action_network:d91b4b2e\"],\"_links\":{}}";
  static const char self_only[] = "{\"_links\":{\"self\":{\"href\":\"https://x/1\"}}}";
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;
  g_autofree char *huge = NULL;
  gsize huge_len = PK_OSDI_MAX_REPLY + 10;

  id = pk_osdi_parse_reply (good, strlen (good), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "action_network:d91b4b2e");
  g_clear_pointer (&id, g_free);

  id = pk_osdi_parse_reply (self_only, strlen (self_only), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "https://x/1");
  g_clear_pointer (&id, g_free);

  id = pk_osdi_parse_reply ("<html>502</html>", 16, &error);
  g_assert_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NOT_JSON);
  g_assert_null (id);
  g_clear_error (&error);

  id = pk_osdi_parse_reply (good, 20, &error);   /* cut off */
  g_assert_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NOT_JSON);
  g_clear_error (&error);

  id = pk_osdi_parse_reply ("", 0, &error);
  g_assert_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_EMPTY);
  g_clear_error (&error);

  {
    static const char ours_only[] = "{\"identifiers\":[\"petition-kiosk:x\"]}";
    id = pk_osdi_parse_reply (ours_only, strlen (ours_only), &error);
  }
  g_assert_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NO_ID);
  g_clear_error (&error);

  huge = g_malloc (huge_len);
  memset (huge, ' ', huge_len);
  huge[0] = '{';
  huge[huge_len - 1] = '}';
  id = pk_osdi_parse_reply (huge, huge_len, &error);
  g_assert_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_TOO_LARGE);
  g_clear_error (&error);

  {
    static const char nasty[] = "{\"error\":\"Email\\u202e bad\\nline\"}";
    message = pk_osdi_error_message (nasty, strlen (nasty));
  }
  g_assert_cmpstr (message, ==, "Email bad line");
  g_clear_pointer (&message, g_free);
  message = pk_osdi_error_message ("<html><body>oops</body></html>", 30);
  g_assert_null (message);
}

static void
test_endpoint (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(PkStore) store = make_store ("endpoint.db", 3, -1);
  g_autofree char *token = write_token_file ("endpoint-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  int status;

  /* The sync process opens it itself. */
  g_clear_object (&store);

  g_assert_true (pk_sync_check_endpoint ("https://actionnetwork.org/api/v2/petitions/x/signatures", NULL));
  g_assert_true (pk_sync_check_endpoint ("http://127.0.0.1:8080/x", NULL));
  g_assert_true (pk_sync_check_endpoint ("http://127.9.9.9/x", NULL));
  g_assert_true (pk_sync_check_endpoint ("http://[::1]:99/x", NULL));
  g_assert_true (pk_sync_check_endpoint ("http://localhost/x", NULL));
  g_assert_false (pk_sync_check_endpoint ("http://example.org/x", &error));
  g_assert_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_ENDPOINT);
  g_clear_error (&error);
  g_assert_false (pk_sync_check_endpoint ("http://10.0.0.1/x", NULL));
  g_assert_false (pk_sync_check_endpoint ("http://128.0.0.1/x", NULL));
  g_assert_false (pk_sync_check_endpoint ("ftp://127.0.0.1/x", NULL));
  g_assert_false (pk_sync_check_endpoint ("https://user:pw@example.org/x", NULL));
  g_assert_false (pk_sync_check_endpoint ("not a url", NULL));

  status = run_sync ("endpoint.db", "http://example.org/api/v2/petitions/x/signatures",
                     &out, &err, token_arg, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "https://"));
  assert_no_token (out);
  assert_no_token (err);
  assert_counts ("endpoint.db", 0, 0, 3);
}

static void
test_token_file_mode (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(PkStore) store = make_store ("mode.db", 2, -1);
  g_autofree char *token = write_token_file ("loose-token", RIGHT_TOKEN, 0644);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  int status;

  /* The sync process opens it itself. */
  g_clear_object (&store);

  status = run_sync ("mode.db", endpoint, &out, &err, token_arg, NULL);
  g_assert_cmpint (status, ==, 1);
  /* What to do, in words: the coordinator need not know chmod. */
  g_assert_nonnull (strstr (err, "under Permissions, give access to you only"));
  g_assert_null (strstr (err, "chmod"));
  assert_no_token (out);
  assert_no_token (err);
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 0);
  receiver_stop (receiver);
}

static void
test_help_has_no_token (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_sync ("none.db", "http://127.0.0.1/x", &out, &err, "--help", NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--token-file"));
  g_assert_null (strstr (out, "--token="));
  g_assert_nonnull (strstr (out, "Exit status"));
  assert_no_token (out);
  assert_no_token (err);
}

/* --- acceptance ------------------------------------------------------ */

static void
test_bulk_with_faults (void)
{
  g_autoptr(PkStore) store = make_store ("bulk.db", bulk_n (), -1);
  g_autofree char *token = write_token_file ("bulk-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  /* 20 % of requests fail: before storing (500, 429) and after it
   * (closed mid-reply, not JSON, huge), plus slow replies. */
  Receiver *receiver = receiver_start ("--seed=7", "--fail-rate=0.06", "--rate-429=0.04",
                                       "--retry-after=0", "--close-rate=0.04",
                                       "--invalid-json-rate=0.04", "--huge-rate=0.02",
                                       "--slow-rate=0.01", "--slow-ms=5", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_clear_object (&store);
  status = run_sync ("bulk.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  if (status != 0)
    g_test_message ("sync: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  assert_no_token (out);
  assert_no_token (err);

  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, bulk_n ());
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, bulk_n ());
  /* The faults did happen, including ones after storing. */
  g_assert_cmpint (receiver_stat (receiver, "faults_close"), >, 0);
  g_assert_cmpint (receiver_stat (receiver, "faults_invalid_json"), >, 0);
  g_assert_cmpint (receiver_stat (receiver, "faults_huge"), >, 0);
  g_assert_cmpint (receiver_stat (receiver, "resent"), >, 0);
  assert_counts ("bulk.db", bulk_n (), 0, 0);

  /* Running again sends nothing. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("bulk.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, bulk_n ());
  receiver_stop (receiver);
}

static void
test_sigkill (void)
{
  g_autoptr(PkStore) store = make_store ("kill.db", bulk_n (), -1);
  g_autofree char *token = write_token_file ("kill-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  g_autofree char *db_arg = g_strconcat ("--db=", tmpdir, "/kill.db", NULL);
  Receiver *receiver = receiver_start ("--seed=11", "--fail-rate=0.05", "--close-rate=0.05",
                                       "--invalid-json-rate=0.02", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *endpoint_arg = g_strconcat ("--endpoint=", endpoint, NULL);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  gboolean done = FALSE;
  guint kills = 0;

  g_clear_object (&store);
  for (guint round = 0; round < 100 && !done; round++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        sync_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      const char *argv[] = { g_getenv ("PK_BINARY"), "sync", db_arg, endpoint_arg,
                             token_arg, "--rate=0", NULL };

      process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      /* A few kills land early (start-up, first fetch), most mid-run. */
      if (round < 12)
        {
          g_usleep (g_rand_int_range (rand, 5, 400) * 1000);
          g_subprocess_force_exit (process);
        }
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_signaled (process))
        {
          g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
          kills++;
        }
      else
        {
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
          done = TRUE;
        }
    }
  g_rand_free (rand);
  g_test_message ("killed %u times", kills);
  g_assert_true (done);
  g_assert_cmpuint (kills, >, 0);

  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, bulk_n ());
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, bulk_n ());
  assert_counts ("kill.db", bulk_n (), 0, 0);
  receiver_stop (receiver);
}

static void
test_wrong_token (void)
{
  g_autoptr(PkStore) store = make_store ("token.db", 50, -1);
  g_autofree char *wrong = write_token_file ("wrong-token", WRONG_TOKEN "\n", 0600);
  g_autofree char *right = write_token_file ("right-token", RIGHT_TOKEN "\n", 0600);
  g_autofree char *wrong_arg = g_strconcat ("--token-file=", wrong, NULL);
  g_autofree char *right_arg = g_strconcat ("--token-file=", right, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_clear_object (&store);
  status = run_sync ("token.db", endpoint, &out, &err, wrong_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 1);
  /* The server's own message, and a word about the token. */
  g_assert_nonnull (strstr (err, "API Key invalid or not present"));
  g_assert_nonnull (strstr (err, "token"));
  assert_no_token (out);
  assert_no_token (err);
  /* It stopped at once: one request, nothing sent, all pending. */
  g_assert_cmpint (receiver_stat (receiver, "unauthorized"), ==, 1);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 0);
  assert_counts ("token.db", 0, 0, 50);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("token.db", endpoint, &out, &err, right_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  assert_no_token (out);
  assert_no_token (err);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 50);
  assert_counts ("token.db", 50, 0, 0);
  receiver_stop (receiver);
}

static void
test_rejected_signature (void)
{
  g_autoptr(PkStore) store = make_store ("reject.db", 30, 7);
  g_autofree char *token = write_token_file ("reject-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--reject-email=reject@example.org=Email address domain is blocked",
                                       NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  PkSyncOutcome *outcome;
  int status;

  status = run_sync ("reject.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_nonnull (strstr (out, "Email address domain is blocked"));
  g_assert_nonnull (strstr (out, "422"));
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 29);
  g_assert_cmpint (receiver_stat (receiver, "rejected"), ==, 1);
  assert_counts ("reject.db", 29, 1, 0);

  failed = pk_store_sync_list_failed (store, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failed->len, ==, 1);
  outcome = g_ptr_array_index (failed, 0);
  g_assert_nonnull (strstr (outcome->error, "Email address domain is blocked"));
  g_assert_nonnull (strstr (out, outcome->uuid));

  /* A plain rerun does not hammer the server with the failed one. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("reject.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_cmpint (receiver_stat (receiver, "rejected"), ==, 1);
  receiver_stop (receiver);

  /* The cause fixed (a receiver that accepts it), --retry-failed. */
  receiver = receiver_start (NULL);
  g_free (endpoint);
  endpoint = receiver_endpoint (receiver);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("reject.db", endpoint, &out, &err, token_arg, "--rate=0", "--retry-failed", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 1);
  assert_counts ("reject.db", 30, 0, 0);
  receiver_stop (receiver);
}

static void
test_retry_after (void)
{
  g_autoptr(PkStore) store = make_store ("retry-after.db", 6, -1);
  g_autofree char *token = write_token_file ("retry-after-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--seed=3", "--rate-429=0.3", "--retry-after=1", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  /* The sync process opens it itself. */
  g_clear_object (&store);

  status = run_sync ("retry-after.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "faults_429"), >, 0);
  /* The receiver saw no retry before the Retry-After it had asked for. */
  g_assert_cmpint (receiver_stat (receiver, "early_retries"), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 6);
  assert_counts ("retry-after.db", 6, 0, 0);
  receiver_stop (receiver);
}

static void
test_bad_certificate (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (tmpdir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tmpdir, "key.pem", NULL);
  g_autofree char *cert_arg = g_strconcat ("--tls-cert=", cert, NULL);
  g_autofree char *key_arg = g_strconcat ("--tls-key=", key, NULL);
  g_autofree char *token = write_token_file ("tls-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  g_autofree char *endpoint = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Receiver *receiver;
  int status = -1;

  if (openssl == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      pk_test_skip ("openssl or a GIO TLS backend (glib-networking) is missing: "
                   "cannot make a self-signed certificate to refuse");
      return;
    }
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  store = make_store ("tls.db", 5, -1);
  receiver = receiver_start (cert_arg, key_arg, NULL);
  endpoint = g_strdup_printf ("https://127.0.0.1:%u/api/v2/petitions/x/signatures", receiver->port);
  status = run_sync ("tls.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "certificate"));
  assert_no_token (out);
  assert_no_token (err);
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 0);
  assert_counts ("tls.db", 0, 0, 5);
  receiver_stop (receiver);
}

static void
sign_encrypted (const char *db,
                const char *given,
                const char *email)
{
  g_autofree char *petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                "prisoners-of-conscience-encrypted.petition", NULL);
  g_autofree char *db_arg = g_strconcat ("--db=", db, NULL);
  g_autofree char *petition_arg = g_strconcat ("--petition=", petition, NULL);
  g_autofree char *given_arg = g_strconcat ("--given-name=", given, NULL);
  g_autofree char *email_arg = g_strconcat ("--email=", email, NULL);
  const char *argv[] = { g_getenv ("PK_BINARY"), "sign", db_arg, petition_arg, "--lang=ko",
                         given_arg, email_arg, "--consent", "--sensitive-consent", "--opt-in", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* A kiosk database in encrypted mode: each `sign` process sealed its own
 * session key to the coordinator. Without the coordinator's key nothing
 * can be read, so nothing is sent; with --key everything is, exactly as
 * typed. */
static void
test_encrypted_needs_key (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "encrypted.db", NULL);
  g_autofree char *key = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                           "DEMO-ONLY-coordinator.key", NULL);
  g_autofree char *key_arg = g_strconcat ("--key=", key, NULL);
  g_autofree char *token = write_token_file ("encrypted-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  sign_encrypted (db, "서연", "seoyeon@example.org");
  sign_encrypted (db, "Jürgen", "juergen@example.org");
  sign_encrypted (db, "Ada", "ada@example.org");

  status = run_sync ("encrypted.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_nonnull (strstr (out, "--key"));
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 0);
  assert_counts ("encrypted.db", 0, 0, 3);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("encrypted.db", endpoint, &out, &err, token_arg, key_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 3);
  assert_counts ("encrypted.db", 3, 0, 0);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/records", receiver->port);
    g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

    g_assert_nonnull (strstr (text, "서연"));
    g_assert_nonnull (strstr (text, "Jürgen"));
    g_assert_nonnull (strstr (text, "ada@example.org"));
  }
  receiver_stop (receiver);
}

static void
run_cli_checked (const char *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* A coordinator's master (merged batches) syncs with the same code: a
 * signer who signed at two kiosks is sent once. A kiosk that synced its
 * own rows before creates nothing new either: same identifiers. */
static void
test_master (void)
{
  g_autofree char *petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                "prisoners-of-conscience.petition", NULL);
  g_autofree char *petition_arg = g_strconcat ("--petition=", petition, NULL);
  g_autofree char *master = g_build_filename (tmpdir, "master.db", NULL);
  g_autofree char *token = write_token_file ("master-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *kiosks[] = { "kiosk-a", "kiosk-b" };
  g_autofree char *batch_a = NULL;
  g_autofree char *batch_b = NULL;
  int status;

  for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
    {
      g_autofree char *db = g_strdup_printf ("--db=%s/%s.db", tmpdir, kiosks[k]);
      g_autofree char *own = g_strdup_printf ("--email=own-%s@example.org", kiosks[k]);
      g_autofree char *batch = g_strdup_printf ("%s/%s.pkbatch", tmpdir, kiosks[k]);
      g_autofree char *out_arg = g_strconcat ("--out=", batch, NULL);

      run_cli_checked ("sign", db, petition_arg, "--lang=ko", "--given-name=민준",
                       "--email=both@example.org", "--consent", "--sensitive-consent", "--opt-in", NULL);
      run_cli_checked ("sign", db, petition_arg, "--lang=de", "--given-name=Lena", own,
                       "--consent", "--sensitive-consent", "--opt-in", NULL);
      /* A kiosk stores the time to the minute: kiosk B's signer of both
       * kiosks signs a minute later, so that the master keeps kiosk A's
       * signature, the one already sent. */
      if (k == 1)
        {
          g_autofree char *path = g_strdup_printf ("%s/%s.db", tmpdir, kiosks[k]);
          g_autoptr(GError) error = NULL;
          g_autoptr(PkStore) store = pk_store_open (path, &error);

          g_assert_no_error (error);
          g_assert_cmpint (sqlite3_exec (pk_store_get_db (store),
                                         "UPDATE signatures SET signed_at = signed_at + 60000000",
                                         NULL, NULL, NULL), ==, SQLITE_OK);
        }
      run_cli_checked ("close-batch", db, out_arg, NULL);
      if (k == 0)
        batch_a = g_steal_pointer (&batch);
      else
        batch_b = g_steal_pointer (&batch);
    }

  /* Kiosk A syncs its own rows first. */
  status = run_sync ("kiosk-a.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 2);

  {
    g_autofree char *into = g_strconcat ("--into=", master, NULL);
    run_cli_checked ("merge", into, batch_a, batch_b, NULL);
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_sync ("master.db", endpoint, &out, &err, token_arg, "--rate=0", NULL);
  g_assert_cmpint (status, ==, 0);
  /* Four rows, one duplicate signer: three people, three records. */
  assert_counts ("master.db", 3, 0, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 3);
  g_assert_cmpint (receiver_stat (receiver, "resent"), >=, 2);
  receiver_stop (receiver);
}

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  gboolean *gave_up = user_data;

  *gave_up = TRUE;
  return G_SOURCE_REMOVE;
}

/* SIGTERM (or Stop in the GUI) during a long wait between tries ends the
 * run then, not after the wait; what was not sent stays pending. */
static void
test_stop_during_backoff (void)
{
  g_autoptr(PkStore) store = make_store ("stop.db", 5, -1);
  g_autofree char *token = write_token_file ("stop-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  g_autofree char *db_arg = g_strconcat ("--db=", tmpdir, "/stop.db", NULL);
  Receiver *receiver = receiver_start ("--fail-rate=1", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *endpoint_arg = g_strconcat ("--endpoint=", endpoint, NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = { g_getenv ("PK_BINARY"), "sync", db_arg, endpoint_arg, token_arg,
                         "--rate=0", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE, gave_up = FALSE;
  guint give_up_id;

  g_clear_object (&store);
  /* Ten minutes between tries: far longer than this test may take. */
  g_subprocess_launcher_setenv (launcher, "PK_SYNC_BACKOFF_MS", "600000", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  while (receiver_stat (receiver, "faults_500") == 0)
    g_usleep (20 * 1000);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  give_up_id = g_timeout_add_seconds (60, give_up_cb, &gave_up);
  while (!done && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  if (!gave_up)
    g_source_remove (give_up_id);
  else
    g_subprocess_force_exit (process);
  g_assert_false (gave_up);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpint (receiver_stat (receiver, "faults_500"), ==, 1);
  assert_counts ("stop.db", 0, 0, 5);
  receiver_stop (receiver);
}

/* The client-side rate limit spaces requests: at 20 per second, 8
 * requests span 7 × 50 ms. One gap is allowed to shrink (the first
 * request may be slow to connect), and only a lower bound is checked,
 * which a slow machine cannot break. Without the limit they would take a
 * few milliseconds. */
static void
test_rate_limit (void)
{
  g_autoptr(PkStore) store = make_store ("rate.db", 8, -1);
  g_autofree char *token = write_token_file ("rate-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_clear_object (&store);
  status = run_sync ("rate.db", endpoint, &out, &err, token_arg, "--rate=20", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 8);
  g_assert_cmpint (receiver_stat (receiver, "span_us"), >=, 6 * 50000);
  receiver_stop (receiver);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("pk-test-sync-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Sync/osdi-body", test_osdi_body);
  g_test_add_func ("/Pk/Sync/osdi-reply", test_osdi_reply);
  g_test_add_func ("/Pk/Sync/endpoint-refused", test_endpoint);
  g_test_add_func ("/Pk/Sync/token-file-mode", test_token_file_mode);
  g_test_add_func ("/Pk/Sync/help-has-no-token", test_help_has_no_token);
  g_test_add_func ("/Pk/Sync/wrong-token-then-right", test_wrong_token);
  g_test_add_func ("/Pk/Sync/rejected-signature", test_rejected_signature);
  g_test_add_func ("/Pk/Sync/retry-after", test_retry_after);
  g_test_add_func ("/Pk/Sync/rate-limit", test_rate_limit);
  g_test_add_func ("/Pk/Sync/bad-certificate", test_bad_certificate);
  g_test_add_func ("/Pk/Sync/encrypted-needs-key", test_encrypted_needs_key);
  g_test_add_func ("/Pk/Sync/master", test_master);
  g_test_add_func ("/Pk/Sync/stop-during-backoff", test_stop_during_backoff);
  g_test_add_func ("/Pk/Sync/10000-with-faults", test_bulk_with_faults);
  g_test_add_func ("/Pk/Sync/sigkill-and-resume", test_sigkill);

  result = g_test_run ();

  remove_tmpdir (result == 0);
  return result;
}
