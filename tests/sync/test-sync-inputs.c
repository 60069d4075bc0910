/* test-sync-inputs.c: what sync reads before it sends anything: the
 * token file and the group's tags, each with its ways of going wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk-petition.h"
#include "pk-signature.h"
#include "pk-store.h"
#include "pk-sync.h"
#include "pk-sync-tags.h"

#define TOKEN "0123456789abcdef0123456789abcdef"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length,
            int         mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return g_steal_pointer (&path);
}

static void
assert_token_refused (const char *path,
                      const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pk_sync_read_token_file (path, &error);

  g_assert_null (token);
  g_assert_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
  /* The message never shows the token. */
  g_assert_null (strstr (error->message, TOKEN));
}

static void
test_token_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pk-sync-inputs-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *good = write_file (dir, "good", "  " TOKEN "\n", -1, 0600);
  g_autofree char *shared = write_file (dir, "shared", TOKEN "\n", -1, 0640);
  g_autofree char *blank = write_file (dir, "blank", " \n\t\n", -1, 0600);
  g_autofree char *huge_contents = g_strnfill (64 * 1024, 'a');
  g_autofree char *huge = write_file (dir, "huge", huge_contents, -1, 0600);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pk_sync_read_token_file (good, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);

  assert_token_refused (missing, "Cannot open the token file");
  assert_token_refused (dir, "is not a regular file");
  assert_token_refused (shared, "Other users of this computer can read the token file");
  assert_token_refused (blank, "is empty");
  assert_token_refused (huge, "is too large");
  /* A link is not followed: the mode checked is the file's own. */
  g_assert_cmpint (symlink (good, link), ==, 0);
  assert_token_refused (link, "Cannot open the token file");

  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_unlink (good), ==, 0);
  g_assert_cmpint (g_unlink (shared), ==, 0);
  g_assert_cmpint (g_unlink (blank), ==, 0);
  g_assert_cmpint (g_unlink (huge), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The server runs in a child process forked before anything else
 * starts (no threads yet): libsoup 3.2's server loses a socket per
 * connection (docs/testing.md), which LeakSanitizer would otherwise
 * count against this test. The child never exits on its own; it is
 * killed at the end. It writes one byte to notify_fd per request that
 * it leaves unanswered. */
static guint16 server_port;
static int notify_fd = -1;

static void
serve (SoupServer        *server,
       SoupServerMessage *message,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  int fd = GPOINTER_TO_INT (user_data);
  g_autofree char *body = NULL;
  g_autofree char *second = g_strdup_printf ("http://127.0.0.1:%u/api/v2/tags-2", server_port);
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                    "OSDI-API-Token");

  if (g_str_equal (path, "/api/v2/people"))
    {
      /* A sync's request, left waiting. */
      soup_server_message_pause (message);
      if (write (fd, "r", 1) != 1)
        _exit (1);
      return;
    }
  if (g_strcmp0 (token, TOKEN) != 0)
    {
      soup_server_message_set_status (message, 401, NULL);
      return;
    }
  if (g_str_equal (path, "/api/v2/tags") || g_str_equal (path, "/foreign/tags"))
    body = g_strdup_printf ("{\"_embedded\": {\"osdi:tags\": [{\"name\": \"volunteer\"}, {\"name\": 7},"
                            " \"loose\", {\"name\": \"street stall\"}]},"
                            " \"_links\": {\"next\": {\"href\": \"%s\"}}}",
                            g_str_equal (path, "/foreign/tags") ? "http://127.0.0.2:1/api/v2/tags-2" : second);
  else if (g_str_equal (path, "/api/v2/tags-2"))
    body = g_strdup ("{\"_embedded\": {\"osdi:tags\": [{\"name\": \"petition\"}]}, \"_links\": {}}");
  else if (g_str_equal (path, "/broken/tags"))
    body = g_strdup ("this is not JSON");
  else
    {
      soup_server_message_set_status (message, 500, NULL);
      return;
    }
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/hal+json", SOUP_MEMORY_COPY, body, strlen (body));
}

static pid_t
start_server (void)
{
  int ready[2], notify[2];
  pid_t pid;

  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (notify), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      SoupServer *server = soup_server_new (NULL, NULL);
      GSList *uris;

      close (ready[0]);
      close (notify[0]);
      if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL))
        _exit (1);
      uris = soup_server_get_uris (server);
      server_port = (guint16) g_uri_get_port (uris->data);
      soup_server_add_handler (server, NULL, serve, GINT_TO_POINTER (notify[1]), NULL);
      if (write (ready[1], &server_port, sizeof server_port) != sizeof server_port)
        _exit (1);
      close (ready[1]);
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }
  close (ready[1]);
  close (notify[1]);
  g_assert_cmpint (read (ready[0], &server_port, sizeof server_port), ==, sizeof server_port);
  close (ready[0]);
  notify_fd = notify[0];
  return pid;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GHashTable *
fetch_tags (guint        port,
            const char  *signatures_path,
            const char  *token,
            GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GUri) endpoint = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, "127.0.0.1",
                                          (int) port, signatures_path, NULL, NULL);
  g_autoptr(GUri) uri = pk_sync_tags_uri (endpoint);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (uri);
  pk_sync_tags_fetch_async (session, uri, token, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pk_sync_tags_fetch_finish (result, error);
}

static void
test_tags (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GUri) not_petition = g_uri_parse ("https://example.org/api/v2/people", G_URI_FLAGS_NONE, NULL);

  /* Only a petition's signatures address has a group beside it. */
  g_assert_null (pk_sync_tags_uri (not_petition));

  /* Two pages, the second linked from the first; what is not a tag
   * with a string name is passed over. */
  names = fetch_tags (server_port, "/api/v2/petitions/p1/signatures", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (names), ==, 3);
  g_assert_true (g_hash_table_contains (names, "volunteer"));
  g_assert_true (g_hash_table_contains (names, "street stall"));
  g_assert_true (g_hash_table_contains (names, "petition"));
  g_clear_pointer (&names, g_hash_table_unref);

  /* A next page on another server is not asked: the token stays here. */
  names = fetch_tags (server_port, "/foreign/petitions/p1/signatures", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (names), ==, 2);
  g_assert_false (g_hash_table_contains (names, "petition"));
  g_clear_pointer (&names, g_hash_table_unref);

  /* A reply that is not JSON lists no tags, and is no error. */
  names = fetch_tags (server_port, "/broken/petitions/p1/signatures", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (names), ==, 0);
  g_clear_pointer (&names, g_hash_table_unref);

  /* A refused token is an error with its HTTP status. */
  names = fetch_tags (server_port, "/api/v2/petitions/p1/signatures", "wrong", &error);
  g_assert_null (names);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 401"));
  g_clear_error (&error);

  /* And so is a server that is not there (nothing listens on port 1). */
  names = fetch_tags (1, "/api/v2/petitions/p1/signatures", TOKEN, &error);
  g_assert_null (names);
  g_assert_nonnull (error);
}

static gboolean
note_request (int           fd,
              GIOCondition  condition,
              gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_CONTINUE;
}

#define PETITION_DATA \
  "[Petition]\nId=demo\nVersion=1\nTitle=T\nSummary=S\nText=X\n" \
  "Url=https://example.org/p\nOrganizer=O\nFields=given_name;family_name;email;\n" \
  "Required=given_name;family_name;\nConsentText=I agree.\nCountry=KR\n"

/* The properties a sync page binds to follow the run; a second run
 * while one is going is refused, and cancelling leaves the row pending. */
static void
test_syncer_running (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pk-sync-inputs-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_data (PETITION_DATA, strlen (PETITION_DATA), &error);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkSyncer) syncer = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *last_error = NULL;
  gboolean requested = FALSE;
  guint watch;
  char byte;
  guint64 pending = 0, sent = 1, failed = 1;
  gboolean running = FALSE;
  double fraction = -1;

  g_assert_no_error (error);
  store = pk_store_open (db_path, &error);
  g_assert_no_error (error);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->opt_in = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Ada");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Lovelace");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "ada@example.org");
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);

  /* Not a petition's signatures address: no tags are read first. */
  endpoint = g_strdup_printf ("http://127.0.0.1:%u/api/v2/people", server_port);

  syncer = pk_syncer_new (store, endpoint, TOKEN, &error);
  g_assert_no_error (error);
  g_object_get (syncer, "running", &running, "fraction", &fraction, NULL);
  g_assert_false (running);

  pk_syncer_run_async (syncer, cancellable, store_result, &first);
  /* Until the server has the request (it says so on notify_fd). */
  watch = g_unix_fd_add (notify_fd, G_IO_IN, note_request, &requested);
  while (!requested)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watch);
  g_assert_cmpint (read (notify_fd, &byte, 1), ==, 1);
  g_object_get (syncer, "running", &running, "pending", &pending, "sent", &sent,
                "failed", &failed, "fraction", &fraction, "last-error", &last_error, NULL);
  g_assert_true (running);
  g_assert_cmpuint (pending, ==, 1);
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpfloat (fraction, <, 1.0);
  g_assert_null (last_error);

  pk_syncer_run_async (syncer, NULL, store_result, &second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pk_syncer_run_finish (syncer, second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pk_syncer_run_finish (syncer, first, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pk_syncer_get_running (syncer));
  g_assert_cmpuint (pk_syncer_get_pending (syncer), ==, 1);

  g_clear_object (&syncer);
  g_clear_object (&store);
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };
    int status = -1;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  pid_t server = start_server ();
  int status = 0;
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Pk/SyncInputs/token-file", test_token_file);
  g_test_add_func ("/Pk/SyncInputs/tags", test_tags);
  g_test_add_func ("/Pk/SyncInputs/syncer-running", test_syncer_running);
  result = g_test_run ();
  kill (server, SIGKILL);
  waitpid (server, &status, 0);
  return result;
}
