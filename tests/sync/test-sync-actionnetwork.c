/* test-sync-actionnetwork.c: sync against a receiver that does what
 * Action Network's documentation says it does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test names the behaviour from docs/sync.md it proves: a signer
 * who did not opt in is never subscribed, a signer without email or
 * phone keeps nobody else from arriving, an unusable answer fails one
 * signature and not the run, and the transport's edge cases (a closed
 * port, a redirect, Retry-After as a date, a store that cannot be
 * written) end the way the documentation promises.
 */
#define G_LOG_DOMAIN "test-sync-actionnetwork"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pk-store-private.h"
#include "pk-store-sync.h"
#include "sync-harness.h"

typedef struct {
  const char *given;
  const char *email;
  const char *phone;
  gboolean    opt_in;
} Signer;

/* A store holding @signers, written straight into the table as
 * make_store() does. */
static PkStore *
store_with (const char   *name,
            const Signer *signers,
            guint         n)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (path, &error);
  sqlite3_stmt *stmt = NULL;
  gint64 batch;

  g_assert_no_error (error);
  batch = pk_store_get_current_batch (store);
  g_assert_true (pk_store_begin (store, &error));
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, "
                                       "source, lang, consent_hash, opt_in, payload) "
                                       "VALUES (?1, '" PETITION_ID "', ?2, ?3, 'kiosk', 'en', 'x', ?4, ?5)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, signers[i].given);
      pk_signature_set_field (sig, PK_FIELD_EMAIL, signers[i].email);
      pk_signature_set_field (sig, PK_FIELD_PHONE, signers[i].phone);
      payload = pk_signature_serialize (sig);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, batch);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () - (gint64) (n - i) * G_USEC_PER_SEC);
      sqlite3_bind_int (stmt, 4, signers[i].opt_in);
      sqlite3_bind_blob (stmt, 5, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  g_assert_true (pk_store_commit (store, &error));
  return g_steal_pointer (&store);
}

/* The receiver's GET @path, parsed. */
static JsonNode *
receiver_get (Receiver   *receiver,
              const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", receiver->port, path);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* The email status the receiver holds for @email, or NULL when that
 * person never reached it. */
static char *
person_status (Receiver   *receiver,
               const char *email)
{
  g_autoptr(JsonNode) people = receiver_get (receiver, "/people");
  JsonArray *array = json_node_get_array (people);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *person = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (person, "email"), email) == 0)
        return g_strdup (json_object_get_string_member (person, "status"));
    }
  return NULL;
}

static PkSyncCounts
counts_of (PkStore *store)
{
  g_autoptr(GError) error = NULL;
  PkSyncCounts counts;

  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  return counts;
}

/* Action Network subscribes everyone new to the list, whatever status
 * is sent: a signer who did not opt in is held back, counted, and sent
 * only when the coordinator asks for it, and then is subscribed, as the
 * documentation says. */
static void
test_no_opt_in_never_subscribed (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, FALSE },
    { "Cy", "cy@example.org", "+821012345678", FALSE },
  };
  g_autoptr(PkStore) store = store_with ("opt-in.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("opt-in-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL, *dry = NULL;
  g_autofree char *ada = NULL, *bo = NULL, *cy = NULL;
  PkSyncCounts counts;

  /* Not even printed as a request that would be sent. */
  g_assert_cmpint (run_sync ("opt-in.db", endpoint, &dry, &err, token_arg, "--dry-run", NULL), ==, 0);
  g_assert_null (strstr (dry, "bo@example.org"));
  g_assert_nonnull (strstr (dry, "ada@example.org"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_sync ("opt-in.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 5);
  g_assert_nonnull (strstr (out, "Not sent, no opt-in: 2"));
  g_assert_nonnull (strstr (out, "Pending: 0"));
  ada = person_status (receiver, "ada@example.org");
  g_assert_cmpstr (ada, ==, "subscribed");
  g_assert_null (person_status (receiver, "bo@example.org"));
  g_assert_null (person_status (receiver, "cy@example.org"));
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 1);
  counts = counts_of (store);
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.pending, ==, 2);
  g_assert_cmpuint (counts.no_opt_in, ==, 2);

  /* Asked for explicitly: they go, and the receiver subscribes them,
   * which is the consequence the option's help and the page name. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sync ("opt-in.db", endpoint, &out, &err, token_arg, "--rate=0",
                             "--send-without-opt-in", NULL), ==, 0);
  bo = person_status (receiver, "bo@example.org");
  cy = person_status (receiver, "cy@example.org");
  g_assert_cmpstr (bo, ==, "subscribed");
  g_assert_cmpstr (cy, ==, "subscribed");
  counts = counts_of (store);
  g_assert_cmpuint (counts.sent, ==, 3);
  g_assert_cmpuint (counts.no_opt_in, ==, 0);
  receiver_stop (receiver);
}

/* One signer with neither email nor phone in the middle of 100: the
 * other 99 arrive exactly once, and that one is never sent, this run or
 * the next. */
static void
test_no_contact_in_100 (void)
{
  Signer signers[100];
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PkStore) store = NULL;
  g_autofree char *token = write_token_file ("no-contact-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;
  PkSyncCounts counts;

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      char *email = g_strdup_printf ("p%u@example.org", i);

      g_ptr_array_add (emails, email);
      signers[i] = (Signer) { "Pat", i == 50 ? NULL : email, NULL, TRUE };
    }
  store = store_with ("no-contact.db", signers, G_N_ELEMENTS (signers));

  g_assert_cmpint (run_sync ("no-contact.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 5);
  g_assert_nonnull (strstr (out, "Not sendable, neither email nor phone: 1"));
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, 99);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 99);
  g_assert_cmpint (receiver_stat (receiver, "resent"), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "no_contact"), ==, 0);
  counts = counts_of (store);
  g_assert_cmpuint (counts.sent, ==, 99);
  g_assert_cmpuint (counts.no_contact, ==, 1);
  g_assert_cmpuint (counts.pending, ==, 0);

  /* Neither a rerun nor --retry-failed sends it: a retry cannot mend it. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sync ("no-contact.db", endpoint, &out, &err, token_arg, "--rate=0",
                             "--retry-failed", NULL), ==, 5);
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 99);
  receiver_stop (receiver);
}

/* A 2xx that names no record, every time, for one signature: after its
 * tries it is failed with the reason and the others arrive. */
static void
test_unusable_answer_fails_one (void)
{
  Signer signers[10];
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *token = write_token_file ("unusable-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--empty-reply-email=p3@example.org", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;
  PkSyncCounts counts;

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      char *email = g_strdup_printf ("p%u@example.org", i);

      g_ptr_array_add (emails, email);
      signers[i] = (Signer) { "Pat", email, NULL, TRUE };
    }
  store = store_with ("unusable.db", signers, G_N_ELEMENTS (signers));

  g_assert_cmpint (run_sync ("unusable.db", endpoint, &out, &err, token_arg, "--rate=0",
                             "ENV:PK_SYNC_MAX_ATTEMPTS=3", NULL), ==, 5);
  g_assert_nonnull (strstr (out, "no usable answer 1"));
  g_assert_nonnull (strstr (out, "The server sent an empty reply"));
  g_assert_cmpint (receiver_stat (receiver, "empty_replies"), ==, 3);
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, 9);
  counts = counts_of (store);
  g_assert_cmpuint (counts.sent, ==, 9);
  g_assert_cmpuint (counts.failed, ==, 1);
  g_assert_cmpuint (counts.unusable, ==, 1);
  receiver_stop (receiver);
}

/* A closed port: the first progress line already says what is wrong,
 * and the run ends by the documented policy (5 tries), exit 1. Nothing
 * is timed: the bound is the number of tries. */
static void
test_closed_port_named_at_once (void)
{
  static const Signer signers[] = { { "Ada", "ada@example.org", NULL, TRUE } };
  g_autoptr(PkStore) store = store_with ("closed.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("closed-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  g_autofree char *endpoint = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  guint port;

  /* A port that was free a moment ago and that nobody listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_socket_close (socket, NULL);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/p/signatures", port);

  /* The product's own backoff, not the shortened one of the other
   * tests, and no debug output between the progress lines. */
  g_assert_cmpint (run_sync ("closed.db", endpoint, &out, &err, token_arg,
                             "ENV:PK_SYNC_BACKOFF_MS=", "ENV:G_MESSAGES_DEBUG=", NULL), ==, 1);
  lines = g_strsplit (err, "\n", -1);
  g_assert_nonnull (lines[0]);
  g_assert_nonnull (strstr (lines[0], "sent 0"));
  g_assert_nonnull (strstr (lines[0], "Connection refused"));
  g_assert_nonnull (strstr (lines[0], "retrying in"));
  g_assert_nonnull (strstr (err, "gave up after 5 tries"));
  assert_counts ("closed.db", 0, 0, 1);
}

/* 307 and 308 would resend the POST, token and all, to wherever they
 * point: neither is followed, and the run stops naming it. */
static void
test_redirect_not_followed (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, TRUE },
  };
  static const char *statuses[] = { "307", "308" };
  g_autoptr(PkStore) store = store_with ("redirect.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("redirect-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *option = g_strconcat ("--redirect=", statuses[i], NULL);
      g_autofree char *expected = g_strdup_printf ("redirects (HTTP %s)", statuses[i]);
      Receiver *receiver = receiver_start (option, NULL);
      g_autofree char *endpoint = receiver_endpoint (receiver);
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (run_sync ("redirect.db", endpoint, &out, &err, token_arg, NULL), ==, 1);
      g_assert_nonnull (strstr (err, expected));
      g_assert_cmpint (receiver_stat (receiver, "redirected"), ==, 1);
      g_assert_cmpint (receiver_stat (receiver, "followed"), ==, 0);
      assert_no_token (out);
      assert_no_token (err);
      assert_counts ("redirect.db", 0, 0, 2);
      receiver_stop (receiver);
    }
}

/* The server failing every time: the run stops after the given number
 * of tries, saying so, and everything stays pending. */
static void
test_gave_up_after_n_tries (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, TRUE },
  };
  g_autoptr(PkStore) store = store_with ("gave-up.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("gave-up-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--fail-rate=1", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_sync ("gave-up.db", endpoint, &out, &err, token_arg, "--rate=0",
                             "ENV:PK_SYNC_MAX_ATTEMPTS=4", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Gave up after 4 tries"));
  g_assert_nonnull (strstr (err, "HTTP 500"));
  g_assert_cmpint (receiver_stat (receiver, "requests"), ==, 4);
  assert_counts ("gave-up.db", 0, 0, 2);
  receiver_stop (receiver);
}

/* Retry-After given as an HTTP date is honoured like seconds. */
static void
test_retry_after_date (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, TRUE },
    { "Cy", "cy@example.org", NULL, TRUE },
    { "Di", "di@example.org", NULL, TRUE },
  };
  g_autoptr(PkStore) store = store_with ("retry-date.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("retry-date-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--rate-429=0.5", "--retry-after=1", "--retry-after-date",
                                       "--seed=7", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_sync ("retry-date.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "faults_429"), >, 0);
  g_assert_cmpint (receiver_stat (receiver, "early_retries"), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, 4);
  assert_counts ("retry-date.db", 4, 0, 0);
  receiver_stop (receiver);
}

/* The answers cannot be recorded: the run stops with the store's error,
 * nothing is marked sent, and the next run resends without the server
 * making anything twice. */
static void
test_state_write_fails (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, TRUE },
    { "Cy", "cy@example.org", NULL, TRUE },
  };
  g_autoptr(PkStore) store = store_with ("readonly-state.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("readonly-state-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store),
                                 "CREATE TRIGGER refuse_state BEFORE INSERT ON sync_state "
                                 "BEGIN SELECT RAISE (FAIL, 'disk refuses'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (run_sync ("readonly-state.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Cannot record the sync state"));
  g_assert_cmpint (receiver_stat (receiver, "distinct"), ==, 3);
  assert_counts ("readonly-state.db", 0, 0, 3);

  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), "DROP TRIGGER refuse_state", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sync ("readonly-state.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, 3);
  g_assert_cmpint (receiver_stat (receiver, "resent"), ==, 3);
  assert_counts ("readonly-state.db", 3, 0, 0);
  receiver_stop (receiver);
}

/* A server that echoes the signer in its refusal: what the store keeps
 * and what sync prints carry the status and the message, not the
 * signer's name or address, and the debug log not the server's words. */
static void
test_refusal_keeps_no_signer_details (void)
{
  static const Signer signers[] = { { "Wilhelmina", "wil.hel@example.org", NULL, TRUE } };
  g_autoptr(PkStore) store = store_with ("echo.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("echo-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver =
    receiver_start ("--reject-email=wil.hel@example.org=Wilhelmina <WIL.HEL@example.org> is blocked "
                    "(wil.hel)", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GError) error = NULL;
  PkSyncOutcome *outcome;

  g_assert_cmpint (run_sync ("echo.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 5);
  failed = pk_store_sync_list_failed (store, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failed->len, ==, 1);
  outcome = g_ptr_array_index (failed, 0);
  g_assert_cmpstr (outcome->reason, ==, PK_SYNC_REASON_REFUSED);
  g_assert_nonnull (strstr (outcome->error, "HTTP 422"));
  g_assert_nonnull (strstr (outcome->error, "is blocked"));
  {
    const char *texts[] = { outcome->error, out, err };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_assert_null (strstr (texts[i], "Wilhelmina"));
        g_assert_null (strstr (texts[i], "wil.hel"));
        g_assert_null (strstr (texts[i], "WIL.HEL"));
      }
  }
  receiver_stop (receiver);
}

static void
sign (const char *db,
      const char *first_arg,
      ...)
{
  g_autofree char *petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                "prisoners-of-conscience.petition", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("PK_BINARY")));
  g_ptr_array_add (argv, g_strdup ("sign"));
  g_ptr_array_add (argv, g_strconcat ("--db=", tmpdir, "/", db, NULL));
  g_ptr_array_add (argv, g_strconcat ("--petition=", petition, NULL));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* The number each received signature's person carries, by email. */
static char *
received_phone (Receiver   *receiver,
                const char *email)
{
  g_autoptr(JsonNode) records = receiver_get (receiver, "/records");
  JsonArray *array = json_node_get_array (records);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *body = json_object_get_object_member (json_array_get_object_element (array, i), "body");
      JsonObject *person = json_object_get_object_member (body, "person");
      JsonObject *address = json_array_get_object_element (
        json_object_get_array_member (person, "email_addresses"), 0);

      if (g_strcmp0 (json_object_get_string_member (address, "address"), email) == 0)
        return g_strdup (json_object_get_string_member (json_array_get_object_element (
                           json_object_get_array_member (person, "phone_numbers"), 0), "number"));
    }
  return NULL;
}

/* Phones typed the way each country writes them arrive in E.164: Action
 * Network matches people by phone. */
static void
test_phones_arrive_e164 (void)
{
  g_autofree char *token = write_token_file ("phones-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start (NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL, *korean = NULL, *german = NULL;

  sign ("phones.db", "--lang=ko", "--given-name=길동", "--email=hong@example.org",
        "--phone=010-1234-5678", "--country=KR", "--consent", "--sensitive-consent", "--opt-in", NULL);
  sign ("phones.db", "--lang=de", "--given-name=Lena", "--email=lena@example.de",
        "--phone=0170 1234567", "--country=DE", "--consent", "--sensitive-consent", "--opt-in", NULL);
  g_assert_cmpint (run_sync ("phones.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 0);
  korean = received_phone (receiver, "hong@example.org");
  german = received_phone (receiver, "lena@example.de");
  g_assert_cmpstr (korean, ==, "+821012345678");
  g_assert_cmpstr (german, ==, "+491701234567");
  receiver_stop (receiver);
}

/* Action Network ignores tags the group lacks: sync names them. */
static void
test_missing_tags_named (void)
{
  static const Signer signers[] = {
    { "Ada", "ada@example.org", NULL, TRUE },
    { "Bo", "bo@example.org", NULL, TRUE },
  };
  g_autoptr(PkStore) store = store_with ("tags.db", signers, G_N_ELEMENTS (signers));
  g_autofree char *token = write_token_file ("tags-token", RIGHT_TOKEN, 0600);
  g_autofree char *token_arg = g_strconcat ("--token-file=", token, NULL);
  Receiver *receiver = receiver_start ("--tags=source:kiosk,event:Vigil,unused", NULL);
  g_autofree char *endpoint = receiver_endpoint (receiver);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store),
                                 "UPDATE batches SET kiosk_name = 'Stall 3', event = 'Vigil'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (run_sync ("tags.db", endpoint, &out, &err, token_arg, "--rate=0", NULL), ==, 0);
  g_assert_cmpint (receiver_stat (receiver, "tags_applied"), ==, 4);
  g_assert_cmpint (receiver_stat (receiver, "tags_ignored"), ==, 2);
  g_assert_nonnull (strstr (out, "did not apply them: kiosk:Stall 3."));
  assert_counts ("tags.db", 2, 0, 0);
  receiver_stop (receiver);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("pk-test-sync-an-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Sync/ActionNetwork/no-opt-in-never-subscribed", test_no_opt_in_never_subscribed);
  g_test_add_func ("/Pk/Sync/ActionNetwork/no-contact-in-100", test_no_contact_in_100);
  g_test_add_func ("/Pk/Sync/ActionNetwork/phones-arrive-e164", test_phones_arrive_e164);
  g_test_add_func ("/Pk/Sync/ActionNetwork/unusable-answer-fails-one", test_unusable_answer_fails_one);
  g_test_add_func ("/Pk/Sync/ActionNetwork/closed-port-named-at-once", test_closed_port_named_at_once);
  g_test_add_func ("/Pk/Sync/ActionNetwork/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/Pk/Sync/ActionNetwork/gave-up-after-n-tries", test_gave_up_after_n_tries);
  g_test_add_func ("/Pk/Sync/ActionNetwork/retry-after-date", test_retry_after_date);
  g_test_add_func ("/Pk/Sync/ActionNetwork/state-write-fails", test_state_write_fails);
  g_test_add_func ("/Pk/Sync/ActionNetwork/missing-tags-named", test_missing_tags_named);
  g_test_add_func ("/Pk/Sync/ActionNetwork/refusal-keeps-no-signer-details",
                   test_refusal_keeps_no_signer_details);

  result = g_test_run ();

  remove_tmpdir (result == 0);
  return result;
}
