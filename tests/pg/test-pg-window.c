/* test-pg-window.c: `petition-kiosk --coordinator --db postgresql://…`
 * shows the totals of a master copied to PostgreSQL exactly as the
 * window shows them for its SQLite file; a server that is away is said
 * in the window, which tries again once it is back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is the application's own, started from its command line
 * in this process (under Xvfb), so that the test can read what it
 * shows; the master is made and copied by the real binary.
 */
#define G_LOG_DOMAIN "test-pg-window"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-application.h"
#include "pk-batch-fixture.h"
#include "pk-chart.h"
#include "pk-coordinator-window.h"
#include "pk-gui-test.h"
#include "pk-pg-server.h"
#include "pk-proof.h"
#include "pk-test-skip.h"

#include "pk-chart-private.h"
#include "pk-coordinator-window-private.h"
#include "pk-gui-input.h"
#include "pk-sync-page-private.h"

static PkPgServer *server;
static char *dir;
static char *master;        /* the SQLite master */
static char *database;      /* its copy on the server */
static char *uri;

/* Two sticks from kiosks whose signers overlap: the master then has
 * duplicates to count and two cut files among its rejected ones. */
static void
make_masters (void)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *err = NULL;

  master = g_build_filename (dir, "master.db", NULL);
  g_ptr_array_add (args, g_strdup ("merge"));
  g_ptr_array_add (args, g_strdup ("--into"));
  g_ptr_array_add (args, g_strdup (master));
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *stick = g_strdup_printf ("%s/stick-%u", dir, s);
      g_autoptr(GPtrArray) files = NULL;

      g_assert_cmpint (g_mkdir (stick, 0700), ==, 0);
      files = pk_batch_fixture_make_stick (stick, 5 - s);
      for (guint i = 0; i < files->len; i++)
        g_ptr_array_add (args, g_strdup (files->pdata[i]));
    }
  g_ptr_array_add (args, NULL);
  /* The cut files are rejected (exit 4); the others are merged. */
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) args->pdata, NULL, NULL, NULL), ==, 4);

  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "copy-master", "--from", master, "--to", uri, NULL },
                                     NULL, NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* `report --json` of the master at @db. */
static char *
report_of (const char *db)
{
  char *out = NULL;

  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "report", "--db", db, "--json", NULL }, NULL, &out, NULL),
                   ==, 0);
  return out;
}

/* A batch from a kiosk the master has not seen yet, and what a merge of
 * it on the command line makes of a copy of the SQLite master. */
static char *new_batch;
static char *sqlite_report_after;

static void
make_new_batch (void)
{
  g_autofree char *stick = g_build_filename (dir, "stick-new", NULL);
  g_autofree char *copy = g_build_filename (dir, "master-after.db", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (master);
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (stick, 0700), ==, 0);
  files = pk_batch_fixture_make_stick (stick, 2);
  new_batch = g_strdup (files->pdata[0]);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "merge", "--into", copy, new_batch, NULL }, NULL, NULL, NULL),
                   ==, 0);
  sqlite_report_after = report_of (copy);
}

static gboolean
have_everything (void)
{
  if (!pk_pg_server_ready (&server))
    return FALSE;
  if (master == NULL)
    {
      make_masters ();
      make_new_batch ();
    }
  return TRUE;
}

static gboolean
is_idle (gpointer data)
{
  return !_pk_coordinator_window_is_busy (data);
}

/* Every label drawn under @widget, one a line, in tree order. */
static void
append_labels (GtkWidget *widget,
               GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_labels (child, out);
}

static char *
shown_text (PkCoordinatorWindow *window)
{
  GString *out = g_string_new (NULL);

  pk_gui_settle ();
  append_labels (GTK_WIDGET (window), out);
  return g_string_free (out, FALSE);
}

/* Each chart under @widget, in tree order: its title and bars. */
static void
append_charts (GtkWidget *widget,
               GString   *out)
{
  if (PK_IS_CHART (widget))
    {
      PkChart *chart = PK_CHART (widget);

      g_string_append_printf (out, "chart %s\n", _pk_chart_get_title (chart));
      for (guint i = 0; i < _pk_chart_get_n_bars (chart); i++)
        g_string_append_printf (out, "  %s: %" G_GINT64_FORMAT "\n", _pk_chart_get_label (chart, i),
                                pk_chart_get_value (chart, i));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_charts (child, out);
}

/* The Totals tab as the coordinator sees it: its labels and charts;
 * then the report they were drawn from. */
static char *
totals_seen (PkCoordinatorWindow *window)
{
  GString *out = g_string_new (NULL);
  GtkWidget *page = GTK_WIDGET (window->totals_page);
  g_autofree char *report = NULL;

  _pk_coordinator_window_show_page (window, "totals");
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_mapped (page));
  append_labels (page, out);
  append_charts (page, out);
  g_assert_nonnull (strstr (out->str, "chart "));
  g_assert_nonnull (_pk_coordinator_window_get_report (window));
  report = json_to_string (_pk_coordinator_window_get_report (window), TRUE);
  g_string_append (out, report);
  _pk_coordinator_window_show_page (window, "merge");
  pk_gui_settle ();
  return g_string_free (out, FALSE);
}

/* The application started as `petition-kiosk --coordinator --db @db`,
 * with @check run on its window once the window is shown; returns the
 * exit status. */
typedef void (*WindowCheck) (PkCoordinatorWindow *window);

static void
on_activate (GApplication *app,
             WindowCheck   check)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (PK_IS_COORDINATOR_WINDOW (window));
  pk_gui_resize (window, 1024, 600);
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  pk_gui_settle ();
  check (PK_COORDINATOR_WINDOW (window));
  gtk_window_destroy (window);
}

static int
run_coordinator (const char  *db,
                 WindowCheck  check)
{
  g_autoptr(PkApplication) app = pk_application_new ();
  const char *argv[] = { "petition-kiosk", "--coordinator", "--db", db, NULL };

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), check);
  return g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, (char **) argv);
}

static char *sqlite_totals;

static void
read_sqlite_totals (PkCoordinatorWindow *window)
{
  sqlite_totals = totals_seen (window);
}

static gboolean
shows_text (gpointer data)
{
  PkCoordinatorWindow *window = data;
  g_autofree char *shown = shown_text (window);

  return strstr (shown, "Cannot connect to the database server") != NULL;
}

/* What the Sync page shows while it reads the master on the server. */
#define READING "Reading the master database…"

/* Every label the Sync page shows, one a line. */
static char *
sync_labels (PkCoordinatorWindow *window)
{
  GString *out = g_string_new (NULL);

  pk_gui_settle ();
  append_labels (_pk_coordinator_window_get_sync_page (window), out);
  return g_string_free (out, FALSE);
}

static gboolean
sync_read (gpointer data)
{
  g_autofree char *shown = sync_labels (data);

  return strstr (shown, READING) == NULL;
}

/* The Sync tab's counts, or the error it shows instead, once it has
 * read the master. */
static char *
sync_seen (PkCoordinatorWindow *window)
{
  char *shown;

  _pk_coordinator_window_show_page (window, "sync");
  g_assert_true (pk_gui_wait (sync_read, window, 60));
  shown = sync_labels (window);
  _pk_coordinator_window_show_page (window, "merge");
  pk_gui_settle ();
  return shown;
}

/* The Sync tab reads the master with a connection of its own each
 * time it is shown: when the server is away it says so, and once the
 * server is back it reads the master again, in the same window. */
static void
check_sync_after_outage (PkCoordinatorWindow *window)
{
  g_autofree char *before = sync_seen (window);
  g_autofree char *away = NULL;
  g_autofree char *back = NULL;

  g_assert_null (strstr (before, "Cannot connect"));
  pk_pg_server_kill (server);
  away = sync_seen (window);
  g_assert_nonnull (strstr (away, "Cannot connect to the database server"));
  g_assert_nonnull (strstr (away, "Try Again"));
  pk_pg_server_restart (server);
  back = sync_seen (window);
  g_assert_cmpstr (back, ==, before);
}

/* The same master's totals on the server as from its file; its Sync
 * tab through an outage; its kiosk keys in their window. */
static void
check_pg_window (PkCoordinatorWindow *window)
{
  g_autofree char *totals = totals_seen (window);
  g_autofree char *shown = NULL;
  GList *others;

  g_assert_cmpstr (totals, ==, sqlite_totals);
  /* Worth comparing: duplicates and rejected files among them. */
  g_assert_nonnull (strstr (totals, "\"duplicates\" : 9"));
  g_assert_nonnull (strstr (totals, "2 files rejected"));
  /* The master row names the address; the Sync page is there. */
  shown = shown_text (window);
  g_assert_nonnull (strstr (shown, uri));
  g_assert_nonnull (_pk_coordinator_window_get_sync_page (window));

  check_sync_after_outage (window);

  /* The kiosk keys the merge keeps, in a window of their own. */
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (window), "coordinator.kiosk-keys"));
  pk_gui_settle ();
  others = pk_gui_other_windows (GTK_WINDOW (window));
  g_assert_nonnull (others);
  for (GList *l = others; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (others);
  pk_gui_settle ();
}

/* A copy of the master on the server of its own, for the merge. */
static char *merge_database;
static char *merge_uri;

/* A new file merged in the window, with the real button, into the
 * server gives the report the same merge gives on SQLite; a server that
 * goes away meanwhile is said, nothing is written, and the same button
 * merges the file once the server is back. */
static void
check_pg_merge (PkCoordinatorWindow *window)
{
  g_autofree char *pg_report = NULL;
  g_autoptr(GFile) batch = g_file_new_for_path (new_batch);
  GSList *files = NULL;
  gint64 n_batches = pk_pg_server_query_int64 (server, merge_database, "SELECT count(*) FROM batches");

  files = g_slist_append (files, g_object_ref (batch));
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 0), "Authentic and intact"));

  pk_pg_server_kill (server);
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (window), "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (shows_text (window));
  /* The failed merge's progress bar goes rather than stay at 0 %. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->progress_bar)));
  /* The file is checked again, not left "Merging…". */
  g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 0), "Authentic and intact"));
  pk_pg_server_restart (server);
  g_assert_cmpint (pk_pg_server_query_int64 (server, merge_database, "SELECT count(*) FROM batches"), ==, n_batches);

  pk_gui_click (pk_gui_find_action (GTK_WIDGET (window), "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_false (shows_text (window));
  g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 0), "Merged: "));
  g_assert_cmpint (pk_pg_server_query_int64 (server, merge_database, "SELECT count(*) FROM batches"),
                   ==, n_batches + 1);
  pg_report = report_of (merge_uri);
  g_assert_cmpstr (pg_report, ==, sqlite_report_after);
}

static void
test_merge (void)
{
  g_autofree char *err = NULL;

  if (!have_everything ())
    return;

  merge_database = pk_pg_server_create_database (server);
  merge_uri = pk_pg_server_uri (server, merge_database, NULL);
  g_assert_cmpint (pk_proof_run_cli ((const char *[]) { "copy-master", "--from", master, "--to", merge_uri, NULL },
                                     NULL, NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (run_coordinator (merge_uri, check_pg_merge), ==, 0);
}

static void
test_same_totals (void)
{
  if (!have_everything ())
    return;

  g_assert_cmpint (run_coordinator (master, read_sqlite_totals), ==, 0);
  g_assert_nonnull (sqlite_totals);
  g_assert_cmpint (run_coordinator (uri, check_pg_window), ==, 0);
  g_clear_pointer (&sqlite_totals, g_free);
}

/* The server is away when the window opens: it says so, offers to try
 * again, and does once the server is back. */
static void
check_server_away (PkCoordinatorWindow *window)
{
  g_autofree char *shown = shown_text (window);
  g_autofree char *totals = NULL;
  GtkWidget *again;

  g_assert_nonnull (strstr (shown, "The master database cannot be opened."));
  g_assert_nonnull (strstr (shown, "Cannot connect to the database server"));
  g_assert_nonnull (strstr (shown, uri));
  g_assert_null (_pk_coordinator_window_get_report (window));
  g_assert_null (_pk_coordinator_window_get_sync_page (window));

  /* Still away: the same message again. */
  again = pk_gui_find_by_text (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Try Again");
  g_assert_nonnull (again);
  pk_gui_click (again);
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (shows_text (window));
  g_assert_null (_pk_coordinator_window_get_report (window));

  pk_pg_server_restart (server);
  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Try Again"));
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_false (shows_text (window));
  g_assert_nonnull (_pk_coordinator_window_get_sync_page (window));
  totals = totals_seen (window);
  g_assert_cmpstr (totals, ==, sqlite_totals);
}

static void
test_server_away (void)
{
  if (!have_everything ())
    return;

  g_assert_cmpint (run_coordinator (master, read_sqlite_totals), ==, 0);
  pk_pg_server_kill (server);
  g_assert_cmpint (run_coordinator (uri, check_server_away), ==, 0);
  g_clear_pointer (&sqlite_totals, g_free);
}

/* The server's TCP port, and a listener there that takes connections
 * and never answers them (the kernel accepts them into its backlog), as
 * a server hanging or a network dropping packets does. */
static guint16 tls_port;
static GSocket *silent;
static char *tls_uri;

static void
listen_silently (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, tls_port);
  g_autoptr(GError) error = NULL;

  silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (silent, address, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (silent, &error));
  g_assert_no_error (error);
}

/* Every label @window shows, one a line. */
static char *
window_labels (GtkWindow *window)
{
  GString *out = g_string_new (NULL);

  pk_gui_settle ();
  append_labels (GTK_WIDGET (window), out);
  return g_string_free (out, FALSE);
}

static gboolean
keys_read (gpointer data)
{
  g_autofree char *shown = window_labels (data);

  return strstr (shown, READING) == NULL;
}

static GtkWidget *
tab (PkCoordinatorWindow *window,
     const char          *title)
{
  GtkWidget *switcher = pk_gui_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER);

  g_assert_nonnull (switcher);
  return pk_gui_find_by_text (switcher, GTK_TYPE_TOGGLE_BUTTON, title);
}

/* Opens Kiosk Keys with its button; returns its window. */
static GtkWindow *
open_kiosk_keys (PkCoordinatorWindow *window)
{
  GList *others;
  GtkWindow *keys;

  /* Its button is on the Batch Files tab. */
  pk_gui_click (tab (window, "Batch Files"));
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (window), "coordinator.kiosk-keys"));
  pk_gui_settle ();
  others = pk_gui_other_windows (GTK_WINDOW (window));
  g_assert_nonnull (others);
  g_assert_null (others->next);
  keys = others->data;
  g_list_free (others);
  return keys;
}


/* The master on the server over TCP, with connect_timeout=2 in its
 * address. The Sync tab, opened with a click, shows the counts. The
 * server stops and a listener that never answers takes its port: the
 * Sync tab, opened again, says it is reading, and the window answers a
 * click on the Totals tab before the reading ends (before, the window
 * froze until connect_timeout ran out, once per statement); then the
 * Sync tab says the server cannot be reached, with Try Again. Kiosk
 * Keys reads the same way: its window says it is reading, and Escape
 * closes it before its reading ends. Once the server is back, Try Again
 * shows the same counts as before, and Kiosk Keys the keys. */
static void
check_sync_while_server_silent (PkCoordinatorWindow *window)
{
  GtkWidget *sync_tab = tab (window, "Sync");
  GtkWidget *totals_tab = tab (window, "Totals");
  PkSyncPage *page = PK_SYNC_PAGE (_pk_coordinator_window_get_sync_page (window));
  g_autofree char *before = NULL;
  g_autofree char *reading = NULL;
  g_autofree char *away = NULL;
  g_autofree char *back = NULL;
  g_autofree char *keys_reading = NULL;
  g_autofree char *keys_back = NULL;
  GtkWindow *keys;
  GList *others;

  pk_gui_click (sync_tab);
  g_assert_true (pk_gui_wait (sync_read, window, 60));
  before = sync_labels (window);
  g_assert_null (strstr (before, "Cannot connect"));
  g_assert_nonnull (strstr (before, "Waiting to be sent"));
  pk_gui_click (totals_tab);

  pk_pg_server_kill (server);
  listen_silently ();
  pk_gui_click (sync_tab);
  reading = sync_labels (window);
  g_assert_nonnull (strstr (reading, READING));
  pk_gui_click (totals_tab);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->totals_page)));
  /* The click was answered while the page was still reading. */
  g_assert_false (gtk_widget_get_visible (page->error_label));

  keys = open_kiosk_keys (window);
  keys_reading = window_labels (keys);
  g_assert_nonnull (strstr (keys_reading, READING));
  pk_gui_key (keys, XK_Escape, 0);
  others = pk_gui_other_windows (GTK_WINDOW (window));
  g_assert_null (others);

  pk_gui_click (sync_tab);
  g_assert_true (pk_gui_wait (sync_read, window, 60));
  away = sync_labels (window);
  g_assert_nonnull (strstr (away, "Cannot connect to the database server"));
  g_assert_nonnull (strstr (away, "timeout expired"));

  g_socket_close (silent, NULL);
  g_clear_object (&silent);
  pk_pg_server_restart (server);
  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Try Again"));
  g_assert_true (pk_gui_wait (sync_read, window, 60));
  back = sync_labels (window);
  g_assert_cmpstr (back, ==, before);

  keys = open_kiosk_keys (window);
  g_assert_true (pk_gui_wait (keys_read, keys, 60));
  keys_back = window_labels (keys);
  g_assert_null (strstr (keys_back, "Cannot connect"));
  g_assert_nonnull (strstr (keys_back, "Kiosk Keys"));
  gtk_window_destroy (keys);
  pk_gui_settle ();
}

static void
test_sync_server_silent (void)
{
  g_autofree char *base = NULL;
  const char *port;

  if (!have_everything ())
    return;
  base = pk_pg_server_enable_tls (server);
  port = strrchr (base, ':');
  g_assert_nonnull (port);
  tls_port = (guint16) g_ascii_strtoull (port + 1, NULL, 10);
  tls_uri = g_strdup_printf ("%s/%s?sslmode=verify-full&sslrootcert=%s/ca.crt&connect_timeout=2",
                             base, database, pk_pg_server_get_dir (server));
  g_assert_cmpint (run_coordinator (tls_uri, check_sync_while_server_silent), ==, 0);
  g_clear_pointer (&tls_uri, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pk_gui_init (&argc, &argv);
  dir = pk_proof_make_tmpdir ();

  g_test_add_func ("/Pk/Pg/window/same-totals", test_same_totals);
  g_test_add_func ("/Pk/Pg/window/server-away", test_server_away);
  g_test_add_func ("/Pk/Pg/window/merge", test_merge);
  g_test_add_func ("/Pk/Pg/window/sync-server-silent", test_sync_server_silent);
  status = g_test_run ();

  g_clear_pointer (&server, pk_pg_server_free);
  pk_proof_rm_rf (dir);
  g_free (dir);
  g_free (master);
  g_free (new_batch);
  g_free (sqlite_report_after);
  g_free (merge_database);
  g_free (merge_uri);
  g_free (database);
  g_free (uri);
  return status;
}
