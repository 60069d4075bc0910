/* test-sync-page.c: the Sync page against the test receiver, in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page runs with no keyring (no session bus), so it reads the token
 * from the 0600 file under $XDG_CONFIG_HOME, as a headless kiosk would.
 * A 422 for one signer must show the server's message on the page while
 * the others arrive, and the main loop must keep turning during a run.
 */
#define G_LOG_DOMAIN "test-sync-page"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <signal.h>
#include <string.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-store-private.h"
#include "pk-store-sync.h"
#include "pk-sync-page.h"
#include "pk-sync-page-private.h"


#define TOKEN "page-T0KEN-9b3e"
#define N     40

static char *tmpdir;

static GSubprocess *
receiver_start (guint *out_port)
{
  g_autofree char *path = g_build_filename (g_getenv ("PK_BUILD_ROOT"), "tests", "sync",
                                            "osdi-receiver", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GSubprocess *process;

  /* No leak checking for the receiver: see receiver_launcher () in
   * test-sync.c. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, path, "--token=" TOKEN,
                                         "--reject-email=reject@example.org=This address is on a block list",
                                         "--slow-rate=0.2", "--slow-ms=20", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *out_port = (guint) g_ascii_strtoull (line, NULL, 10);
  return process;
}

/* Stops the receiver and checks that it exited cleanly (in the sanitizer
 * build: no memory error). */
static void
receiver_stop (GSubprocess *receiver)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (receiver, SIGTERM);
  g_subprocess_wait_check (receiver, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (receiver);
}

static PkStore *
make_store (guint port)
{
  g_autofree char *path = g_build_filename (tmpdir, "page.db", NULL);
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/p/signatures", port);
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
                                       "VALUES (?1, 'p', ?2, ?3, 'kiosk', 'en', 'x', 1, ?4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *email = g_strdup_printf ("ada%u@example.org", i);
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Ada");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, i == 5 ? "reject@example.org" : email);
      payload = pk_signature_serialize (sig);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, batch);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      sqlite3_bind_blob (stmt, 4, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  g_assert_true (pk_store_commit (store, &error));
  g_assert_true (pk_store_set_setting (store, "sync-endpoint", endpoint, &error));
  return g_steal_pointer (&store);
}

static gboolean
find_label_containing (GtkWidget  *widget,
                       const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label_containing (child, needle))
      return TRUE;
  return FALSE;
}

static gboolean
tick_cb (gpointer data)
{
  guint *ticks = data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_page_sync_and_refusal (void)
{
  g_autofree char *config_dir = g_build_filename (tmpdir, "config", "petition-kiosk", NULL);
  g_autofree char *token_file = g_build_filename (config_dir, "sync-token", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  GSubprocess *receiver;
  GtkWidget *window, *page, *progress_bar;
  g_autofree char *petition_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                     "prisoners-of-conscience.petition", NULL);
  g_autoptr(PkPetition) petition = NULL;
  gboolean signed_during_sync = FALSE;
  PkSyncCounts counts;
  guint port = 0, ticks = 0, tick_id;

  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_file_set_contents_full (token_file, TOKEN, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  receiver = receiver_start (&port);
  store = make_store (port);

  window = gtk_window_new ();
  page = pk_sync_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));
  /* The page reads the store when it is shown. */
  while (!gtk_widget_get_mapped (page))
    g_main_context_iteration (NULL, TRUE);
  progress_bar = PK_SYNC_PAGE (page)->progress_bar;

  /* Before a run nothing is in progress: no bar, no "100 %" (issue 13). */
  g_assert_false (gtk_widget_get_visible (progress_bar));
  g_assert_false (find_label_containing (page, "%"));

  /* The UI keeps running during the run: a timer keeps firing. */
  tick_id = g_timeout_add (5, tick_cb, &ticks);
  g_assert_true (gtk_widget_activate_action (page, "sync.start", NULL));
  g_assert_true (_pk_sync_page_get_running (PK_SYNC_PAGE (page)));
  /* While it runs, the bar shows how far it is. */
  g_assert_true (gtk_widget_get_visible (progress_bar));
  while (_pk_sync_page_get_running (PK_SYNC_PAGE (page)))
    {
      g_main_context_iteration (NULL, TRUE);
      /* The kiosk keeps taking signatures while it syncs, and the run
       * picks the new one up (it comes after the others in id order). */
      if (!signed_during_sync)
        {
          g_autoptr(PkSignature) sig = pk_signature_new ();

          sig->lang = g_strdup ("en");
          sig->consent = TRUE;
          sig->sensitive_consent = TRUE;
          sig->opt_in = TRUE;
          pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Late");
          pk_signature_set_field (sig, PK_FIELD_EMAIL, "late@example.org");
          g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
          g_assert_no_error (error);
          signed_during_sync = TRUE;
        }
    }
  g_source_remove (tick_id);
  g_assert_cmpuint (ticks, >, 0);

  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_cmpuint (counts.total, ==, N + 1);
  g_assert_cmpuint (counts.sent, ==, N);
  g_assert_cmpuint (counts.failed, ==, 1);
  g_assert_cmpuint (counts.pending, ==, 0);

  /* The server's own words are on the page, and so are the counts. */
  g_assert_true (find_label_containing (page, "This address is on a block list"));
  g_assert_true (find_label_containing (page, "422"));
  g_assert_false (find_label_containing (page, TOKEN));
  /* The run is over: its bar goes, and with it the last "100 %". */
  g_assert_false (gtk_widget_get_visible (progress_bar));
  g_assert_false (find_label_containing (page, "%"));

  gtk_window_destroy (GTK_WINDOW (window));
  receiver_stop (receiver);
}

/* A kiosk in encrypted mode can send the signatures of its current run:
 * their session key is still in memory. Rows of an earlier run are not
 * readable here and stay pending, with a word on the page. */
static void
test_page_current_run_encrypted (void)
{
  g_autofree char *petition_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                                     "prisoners-of-conscience-encrypted.petition", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "encrypted.db", NULL);
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkStore) earlier = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  GSubprocess *receiver;
  GtkWidget *window, *page;
  PkSyncCounts counts;
  guint port = 0;

  petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pk_petition_get_coordinator_key (petition));

  /* An earlier run, whose session key is gone with its store. */
  earlier = pk_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PkSignature) sig = pk_signature_new ();
    sig->lang = g_strdup ("en");
    sig->consent = TRUE;
    sig->sensitive_consent = TRUE;
    pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Earlier");
    g_assert_true (pk_store_add_signature (earlier, petition, sig, NULL, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&earlier);

  store = pk_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *name = g_strdup_printf ("Current%u", i);
      g_autofree char *email = g_strdup_printf ("current%u@example.org", i);
      sig->lang = g_strdup ("en");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      sig->opt_in = TRUE;
      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, name);
      pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
      g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
      g_assert_no_error (error);
    }

  receiver = receiver_start (&port);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/p/signatures", port);
  g_assert_true (pk_store_set_setting (store, "sync-endpoint", endpoint, &error));

  window = gtk_window_new ();
  page = pk_sync_page_new (store);
  pk_sync_page_set_petition (PK_SYNC_PAGE (page), petition);
  gtk_window_set_child (GTK_WINDOW (window), page);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));

  pk_sync_page_sync (PK_SYNC_PAGE (page), FALSE);
  while (_pk_sync_page_get_running (PK_SYNC_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_cmpuint (counts.sent, ==, 3);
  g_assert_cmpuint (counts.pending, ==, 1);
  g_assert_true (find_label_containing (page, "cannot be read here"));

  gtk_window_destroy (GTK_WINDOW (window));
  receiver_stop (receiver);
}

/* With nothing signed yet the bar says so, rather than "0 %". */
static void
test_page_nothing_to_send (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (path, &error);
  GtkWidget *window, *page;

  g_assert_no_error (error);
  window = gtk_window_new ();
  page = pk_sync_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));
  /* The page reads the store when it is shown. */
  while (!gtk_widget_get_mapped (page))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (find_label_containing (page, "No signatures to send yet"));
  g_assert_false (find_label_containing (page, "%"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A token file other users can read is refused, and the page says in
 * words how to make it private: no shell command for the coordinator. */
static void
test_page_token_file_readable_by_others (void)
{
  g_autofree char *config_dir = g_build_filename (tmpdir, "config", "petition-kiosk", NULL);
  g_autofree char *token_file = g_build_filename (config_dir, "sync-token", NULL);
  g_autoptr(GError) error = NULL;
  /* Signatures to send, to a port where nothing listens: the run must
   * stop at the token file. */
  g_autoptr(PkStore) store = make_store (9);
  GtkWidget *window, *page;

  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_file_set_contents_full (token_file, TOKEN, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  /* Set apart: writing over an earlier test's file keeps its mode. */
  g_assert_cmpint (g_chmod (token_file, 0644), ==, 0);

  window = gtk_window_new ();
  page = pk_sync_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (page, "sync.start", NULL));
  while (_pk_sync_page_get_running (PK_SYNC_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (find_label_containing (page, "Other users of this computer can read the token file"));
  g_assert_true (find_label_containing (page, "under Permissions, give access to you only"));
  g_assert_false (find_label_containing (page, "chmod"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpint (g_chmod (token_file, 0600), ==, 0);
}

/* The first widget of @type under @widget (depth first) that is shown,
 * and whose label, if @label is not NULL, is @label. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget)
      && (label == NULL || (GTK_IS_BUTTON (widget)
                            && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  GtkWidget **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  *dialog = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && *dialog == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        *dialog = window;
    }
  return *dialog != NULL;
}

/* The message dialog the page opened, once it is on screen (waited for
 * a few seconds at most), or NULL. */
static GtkWidget *
find_dialog (void)
{
  GtkWidget *dialog = NULL;

  pk_gui_wait (dialog_shown, &dialog, 5);
  return dialog;
}

/* Three signers: one opted in, one did not, one gave neither email nor
 * phone. The page counts each in its row; the opt-in switch asks before
 * it turns on, and a "Keep them back" leaves it off; confirmed, the
 * held-back signer is sent by "Sync now". Every press is a real click. */
static void
test_page_reasons_and_opt_in_switch (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "reasons.db", NULL);
  g_autofree char *endpoint = NULL;
  g_autofree char *setting = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  GSubprocess *receiver;
  GtkWidget *window, *page, *toggle, *dialog, *button;
  PkSyncCounts counts;
  sqlite3_stmt *stmt = NULL;
  guint port = 0;
  struct { const char *email; gboolean opt_in; } signers[] = {
    { "in@example.org", TRUE }, { "out@example.org", FALSE }, { NULL, TRUE },
  };

  receiver = receiver_start (&port);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u/api/v2/petitions/p/signatures", port);
  store = pk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_begin (store, &error));
  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (store),
                                       "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, "
                                       "source, lang, consent_hash, opt_in, payload) "
                                       "VALUES (?1, 'p', ?2, ?3, 'kiosk', 'en', 'x', ?4, ?5)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr(GBytes) payload = NULL;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Ada");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, signers[i].email);
      payload = pk_signature_serialize (sig);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, pk_store_get_current_batch (store));
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      sqlite3_bind_int (stmt, 4, signers[i].opt_in);
      sqlite3_bind_blob (stmt, 5, g_bytes_get_data (payload, NULL), (int) g_bytes_get_size (payload),
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  g_assert_true (pk_store_commit (store, &error));
  g_assert_true (pk_store_set_setting (store, "sync-endpoint", endpoint, &error));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  page = pk_sync_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));
  pk_gui_settle ();

  /* One run: the opted-in signer goes, the one without contact is not
   * sendable, the one without opt-in is held back. */
  pk_gui_click (find_widget (page, GTK_TYPE_BUTTON, "Sync now"));
  while (_pk_sync_page_get_running (PK_SYNC_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);
  pk_gui_settle ();
  g_assert_true (find_label_containing (page, "Not sent: no opt-in"));
  g_assert_true (find_label_containing (page, "Not sendable: no email or phone"));
  g_assert_true (find_label_containing (page, "Not sendable: Action Network needs an email address"));
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.no_contact, ==, 1);
  g_assert_cmpuint (counts.no_opt_in, ==, 1);

  /* The switch asks first; keeping them back leaves it off. */
  toggle = find_widget (page, GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (toggle);
  pk_gui_click (toggle);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (find_label_containing (dialog, "would be subscribed all the same"));
  pk_gui_click (find_widget (dialog, GTK_TYPE_BUTTON, "_Keep them back"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  setting = pk_store_get_setting (store, "sync-send-without-opt-in");
  g_assert_cmpstr (setting, !=, "1");

  /* Confirmed: on, kept, and the next run sends that signer. */
  pk_gui_click (toggle);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  button = find_widget (dialog, GTK_TYPE_BUTTON, "_Send and subscribe them");
  g_assert_nonnull (button);
  pk_gui_click (button);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_free (setting);
  setting = pk_store_get_setting (store, "sync-send-without-opt-in");
  g_assert_cmpstr (setting, ==, "1");
  pk_gui_click (find_widget (page, GTK_TYPE_BUTTON, "Sync now"));
  while (_pk_sync_page_get_running (PK_SYNC_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_cmpuint (counts.sent, ==, 2);
  g_assert_cmpuint (counts.pending, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  receiver_stop (receiver);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int result;

  tmpdir = g_dir_make_tmp ("pk-test-sync-page-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  /* No session bus under Xvfb, so no keyring: the page must fall back
   * to the token file. Nor an accessibility bus, whose absence GTK would
   * warn about (fatally in tests). */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The page draws with cairo (GSK_RENDERER=cairo), but GDK would still
   * probe GL on opening the display, and the Mesa driver it loads and
   * unloads leaves a block LeakSanitizer can only report from an unknown
   * module (as in pk_gui_init ()). */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/Pk/SyncPage/sync-and-refusal", test_page_sync_and_refusal);
  g_test_add_func ("/Pk/SyncPage/current-run-encrypted", test_page_current_run_encrypted);
  g_test_add_func ("/Pk/SyncPage/nothing-to-send", test_page_nothing_to_send);
  g_test_add_func ("/Pk/SyncPage/token-file-readable-by-others", test_page_token_file_readable_by_others);
  g_test_add_func ("/Pk/SyncPage/reasons-and-opt-in-switch", test_page_reasons_and_opt_in_switch);
  result = g_test_run ();
  g_free (tmpdir);
  return result;
}
