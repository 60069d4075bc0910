/* sync-harness.c: the test receiver and the `sync` command, for the
 * sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sync-harness"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "pk-store-private.h"
#include "pk-store-sync.h"
#include "pk-signature.h"
#include "pk-test-tree.h"
#include "sync-harness.h"

char *tmpdir;


static char *
receiver_path (void)
{
  return g_build_filename (g_getenv ("PK_BUILD_ROOT"), "tests", "sync", "osdi-receiver", NULL);
}

/* libsoup 3.2's server leaks the GSocket it accepts for each connection and
 * the address soup_server_listen_local () reads back. LeakSanitizer sees
 * only g_malloc in their stacks (libglib has no frame pointers), so no
 * suppression can name them without the slow unwinder, which makes the
 * sync suite four times slower (38 s to 161 s). And in https mode, GCC
 * 12's LeakSanitizer crashes while scanning the dynamic TLS of the gnutls
 * module ("Tracer caught signal 11", google/sanitizers#1322). So the
 * receiver, a test tool, runs without leak checking; memory errors still
 * abort it, and its exit status is checked. */
static GSubprocessLauncher *
receiver_launcher (void)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
  return launcher;
}

Receiver *
receiver_start (const char *first_arg,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  Receiver *receiver = g_new0 (Receiver, 1);
  g_autoptr(GSubprocessLauncher) launcher = receiver_launcher ();
  va_list args;

  g_ptr_array_add (argv, receiver_path ());
  g_ptr_array_add (argv, g_strdup ("--token=" RIGHT_TOKEN));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  receiver->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                    &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  receiver->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (receiver->port, >, 0);
  receiver->https = first_arg != NULL && g_str_has_prefix (first_arg, "--tls-cert");
  return receiver;
}

void
receiver_stop (Receiver *receiver)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (receiver->process, SIGTERM);
  g_subprocess_wait_check (receiver->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (receiver->process);
  g_free (receiver);
}

char *
receiver_endpoint (Receiver *receiver)
{
  return g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/abc-123/signatures", receiver->port);
}

/* Only the test itself reads the stats of a receiver whose certificate
 * is self-signed; the product never accepts one. */
static gboolean
accept_any_certificate (SoupMessage *message,
                        GTlsCertificate *certificate,
                        GTlsCertificateFlags errors,
                        gpointer user_data)
{
  return TRUE;
}

gint64
receiver_stat (Receiver   *receiver,
               const char *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%u/stats",
                                          receiver->https ? "https" : "http", receiver->port);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (receiver->https)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), name);
}

char *
write_token_file (const char *name,
                  const char *token,
                  int         mode)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents_full (path, token, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

/* A store with @n signatures of one petition, written in one
 * transaction through the store's own connection (a signature a
 * transaction would spend the test's time on fsync). @reject_index gets
 * the email reject@example.org, the others signerN@example.org; all
 * opted in, so that Action Network may have them. */
PkStore *
make_store (const char *name,
            guint       n,
            int         reject_index)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 batch;
  int rc;

  store = pk_store_open (path, &error);
  g_assert_no_error (error);
  batch = pk_store_get_current_batch (store);

  g_assert_true (pk_store_begin (store, &error));
  rc = sqlite3_prepare_v2 (pk_store_get_db (store),
                           "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, "
                           "lang, consent_hash, opt_in, payload, exported) "
                           "VALUES (?1, '" PETITION_ID "', ?2, ?3, 'kiosk', 'ko', "
                           "'0000000000000000000000000000000000000000000000000000000000000000', ?4, ?5, 0)",
                           -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *given = g_strdup_printf ("지민%u", i);
      g_autofree char *email = g_strdup_printf ("signer%u@example.org", i);
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Kim");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, (int) i == reject_index ? "reject@example.org" : email);
      pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "04524");
      pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
      payload = pk_signature_serialize (sig);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, batch);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () - (gint64) (n - i) * G_USEC_PER_SEC);
      sqlite3_bind_int (stmt, 4, 1);
      sqlite3_bind_blob (stmt, 5, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  g_assert_true (pk_store_commit (store, &error));
  g_assert_cmpuint (pk_store_count (store, PETITION_ID), ==, n);
  return g_steal_pointer (&store);
}

void
assert_counts (const char *name,
               guint64     sent,
               guint64     failed,
               guint64     pending)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (path, &error);
  PkSyncCounts counts;

  g_assert_no_error (error);
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.sent, ==, sent);
  g_assert_cmpuint (counts.failed, ==, failed);
  g_assert_cmpuint (counts.pending, ==, pending);
}

GSubprocessLauncher *
sync_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* Short backoff: thousands of faults must take seconds, not hours.
   * Debug output on, so the token check below covers it too. */
  g_subprocess_launcher_setenv (launcher, "PK_SYNC_BACKOFF_MS", "1,20", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  return launcher;
}

/* Runs `petition-kiosk sync --db NAME --endpoint URL ARGS…`; returns
 * the exit status and the output. */
int
run_sync (const char  *db_name,
          const char  *endpoint,
          char       **out_stdout,
          char       **out_stderr,
          const char  *first_arg,
          ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    sync_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("PK_BINARY")));
  g_ptr_array_add (argv, g_strdup ("sync"));
  g_ptr_array_add (argv, g_strconcat ("--db=", tmpdir, "/", db_name, NULL));
  g_ptr_array_add (argv, g_strconcat ("--endpoint=", endpoint, NULL));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    {
      if (g_str_has_prefix (arg, "ENV:"))
        {
          g_auto(GStrv) pair = g_strsplit (arg + 4, "=", 2);

          if (pair[1] != NULL && *pair[1] != '\0')
            g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
          else
            g_subprocess_launcher_unsetenv (launcher, pair[0]);
          continue;
        }
      g_ptr_array_add (argv, g_strdup (arg));
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

void
assert_no_token (const char *text)
{
  g_assert_null (strstr (text, RIGHT_TOKEN));
  g_assert_null (strstr (text, WRONG_TOKEN));
}

void
remove_tmpdir (gboolean passed)
{
  if (passed)
    pk_test_remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}
