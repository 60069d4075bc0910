/* test-coordinator-window.c: the coordinator window driven through a
 * merge, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-coordinator-window"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-alloc-fault.h"
#include "pk-batch-file-row.h"
#include "pk-batch-fixture.h"
#include "pk-batch.h"
#include "pk-chart.h"
#include "pk-coordinator-window.h"
#include "pk-gui-test.h"
#include "pk-language.h"
#include "pk-store-paper.h"

#include "pk-gui-input.h"
#include "pk-chart-private.h"
#include "pk-coordinator-window-private.h"

#define PLAIN_PETITION     SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
#define ENCRYPTED_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience-encrypted.petition"
#define DEMO_KEY           SOURCE_DATADIR "/demo/DEMO-ONLY-coordinator.key"

static char *tmpdir;

static char *
make_batch (const char  *name,
            const char  *petition_path,
            const char **emails,
            guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (petition_path, &error);
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db_path = g_build_filename (tmpdir, db_name, NULL);
  g_autoptr(PkStore) store = pk_store_open (db_path, &error);
  g_autoptr(PkBatchInfo) info = NULL;
  g_autofree char *file_name = g_strconcat (name, ".pkbatch", NULL);
  char *out = g_build_filename (tmpdir, file_name, NULL);

  g_assert_no_error (error);
  pk_store_set_setting (store, PK_SETTING_KIOSK_NAME, name, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PkSignature) sig = pk_signature_new ();
      PkField field;

      pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "민준");
      pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "이");
      pk_signature_set_field (sig, PK_FIELD_EMAIL, emails[i]);
      sig->lang = g_strdup ("ko");
      sig->consent = TRUE;
      sig->sensitive_consent = TRUE;
      sig->signed_at = G_GINT64_CONSTANT (1790000000000000) + (gint64) i * G_USEC_PER_SEC;
      g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
      g_assert_no_error (error);
    }
  /* The first stall also counted a paper sheet without transcribing it. */
  if (g_str_equal (name, "stall-1"))
    {
      g_assert_true (pk_store_paper_set_count (store, pk_petition_get_id (petition), "PK-000007", 4, FALSE, &error));
      g_assert_no_error (error);
    }
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  return out;
}

/* A visible label saying exactly @text under @widget (child-visible
 * too: that is how a stack hides its other pages). */
static GtkWidget *
find_label_widget (GtkWidget  *widget,
                   const char *text)
{
  if (!gtk_widget_get_child_visible (widget) || !gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_widget (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  return find_label_widget (widget, text) != NULL;
}

/* Every widget of @type under @widget, in tree order. */
static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, out);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);
  return g_ptr_array_index (found, 0);
}

static gboolean
is_idle (gpointer data)
{
  return !_pk_coordinator_window_is_busy (data);
}

static void
test_merge_in_window (void)
{
  static const char *first[] = { "a@example.org", "b@example.org", "c@example.org" };
  static const char *second[] = { "c@example.org", "d@example.org" };
  static const char *third[] = { "e@example.org" };
  g_autofree char *batch1 = make_batch ("stall-1", PLAIN_PETITION, first, G_N_ELEMENTS (first));
  g_autofree char *batch2 = make_batch ("stall-2", PLAIN_PETITION, second, G_N_ELEMENTS (second));
  g_autofree char *batch3 = make_batch ("stall-3", ENCRYPTED_PETITION, third, G_N_ELEMENTS (third));
  g_autofree char *junk = g_build_filename (tmpdir, "junk.pkbatch", NULL);
  g_autofree char *master = g_build_filename (tmpdir, "master.db", NULL);
  g_autoptr(GError) error = NULL;
  GSList *files = NULL;
  PkCoordinatorWindow *window;
  GtkWidget *sync_page;
  JsonObject *report;

  g_file_set_contents (junk, "not a batch at all", -1, &error);
  g_assert_no_error (error);

  window = pk_coordinator_window_new (NULL, master, DEMO_KEY);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pk_gui_wait (is_idle, window, 30));

  /* The Sync page is there from the start, for the (empty) master. */
  sync_page = _pk_coordinator_window_get_sync_page (window);
  g_assert_nonnull (sync_page);
  g_assert_true (gtk_widget_is_ancestor (sync_page, GTK_WIDGET (window)));
  g_assert_true (find_label (sync_page, "Waiting to be sent"));
  g_assert_true (find_label (sync_page, "0"));
  g_assert_false (find_label (sync_page, "5"));

  /* Nothing opened yet: the list says so, and no idle "0 %" bar shows. */
  g_assert_true (find_label (GTK_WIDGET (window), "No Batch Files Yet"));
  g_assert_false (find_label (GTK_WIDGET (window), "0 %"));

  files = g_slist_append (files, g_file_new_for_path (batch1));
  files = g_slist_append (files, g_file_new_for_path (batch2));
  files = g_slist_append (files, g_file_new_for_path (batch3));
  files = g_slist_append (files, g_file_new_for_path (junk));
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_cmpuint (_pk_coordinator_window_get_n_files (window), ==, 4);
  g_assert_false (find_label (GTK_WIDGET (window), "No Batch Files Yet"));

  /* Verification runs off the UI thread; each file gets its result. */
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 0), "Authentic and intact"));
  g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 2), "Authentic and intact"));
  g_assert_cmpstr (_pk_coordinator_window_get_file_status (window, 3), ==, "This is not a batch file");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "coordinator.merge", NULL));
  g_assert_true (_pk_coordinator_window_is_busy (window));
  g_assert_true (pk_gui_wait (is_idle, window, 120));

  for (guint i = 0; i < 3; i++)
    g_assert_true (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, i), "Merged:"));
  g_assert_cmpstr (_pk_coordinator_window_get_file_status (window, 3), ==, "This is not a batch file");

  g_assert_nonnull (_pk_coordinator_window_get_report (window));
  report = json_node_get_object (_pk_coordinator_window_get_report (window));
  g_assert_cmpint (json_object_get_int_member (report, "signatures"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "duplicates"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "distinct"), ==, 5);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (report, "by_kiosk")), ==, 3);
  /* The paper tally came with the batch, shown apart from the totals. */
  g_assert_cmpint (json_object_get_int_member (report, "paper_count_only"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "signatures"), ==, 6);

  /* The Sync page reads the master on the main thread and, after the
   * merge, counts the distinct signers as waiting to be sent (a
   * duplicate's later signature is not sent). No label said 5 before. */
  g_assert_true (_pk_coordinator_window_get_sync_page (window) == sync_page);
  _pk_coordinator_window_show_page (window, "sync");
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_mapped (sync_page));
  g_assert_true (find_label (sync_page, "5"));

  /* Merging is done: nothing is left to merge. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "coordinator.merge", NULL)
                  && _pk_coordinator_window_is_busy (window));

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

/* A stick of batch files opened in a new window on a new master, all
 * verified. */
static PkCoordinatorWindow *
open_stick (const char *name,
            guint       n_files,
            GPtrArray **out_paths)
{
  g_autofree char *dir = g_build_filename (tmpdir, name, NULL);
  g_autofree char *master = g_build_filename (dir, "master.db", NULL);
  g_autoptr(GPtrArray) paths = NULL;
  GSList *files = NULL;
  PkCoordinatorWindow *window;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  paths = pk_batch_fixture_make_stick (dir, n_files);
  window = pk_coordinator_window_new (NULL, master, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = paths->len; i > 0; i--)
    files = g_slist_prepend (files, g_file_new_for_path (g_ptr_array_index (paths, i - 1)));
  /* What dropping the files on the window does. */
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  pk_gui_settle ();
  if (out_paths != NULL)
    *out_paths = g_steal_pointer (&paths);
  return window;
}

static guint
count_rows (PkCoordinatorWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (window), PK_TYPE_BATCH_FILE_ROW, rows);
  return rows->len;
}

static guint
n_listed (PkCoordinatorWindow *window)
{
  GtkListView *view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
}

/* The top-level window of @type that is shown, or NULL. */
static GtkWidget *
shown_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (window))
        return window;
    }
  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return shown_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
file_chooser_gone (gpointer data)
{
  return shown_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

typedef struct {
  PkCoordinatorWindow *window;
  const char          *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return find_label_widget (GTK_WIDGET (wait->window), wait->text) != NULL;
}

/* Clicks the label showing the translation of @msgid (a mnemonic
 * label shows it without the underscore), once it is shown: a menu's
 * popover takes a few frames to appear. */
static void
click_label (PkCoordinatorWindow *window,
             const char          *msgid)
{
  g_autoptr(GString) text = g_string_new (g_dgettext (GETTEXT_PACKAGE, msgid));
  LabelWait wait = { window, NULL };

  g_string_replace (text, "_", "", 1);
  wait.text = text->str;
  if (!pk_gui_wait (label_shown, &wait, 30))
    g_error ("no label \"%s\" shown", text->str);
  pk_gui_click (find_label_widget (GTK_WIDGET (window), text->str));
}

/* The button of @window that activates @action. */
static GtkWidget *
find_action_button (PkCoordinatorWindow *window,
                    const char          *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button for %s", action);
}

/* Chooses @item from the Export menu with the pointer, and accepts the
 * file name the chooser offers with Return. */
static void
export_with_menu (PkCoordinatorWindow *window,
                  const char          *item)
{
  GtkWidget *chooser;

  click_label (window, "_Export");
  click_label (window, item);
  g_assert_true (pk_gui_wait (file_chooser_shown, NULL, 30));
  chooser = shown_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  pk_gui_settle ();
  pk_gui_key (GTK_WINDOW (chooser), GDK_KEY_Return, 0);
  /* The chooser checks the name before it answers, then the export
   * runs in a thread. */
  g_assert_true (pk_gui_wait (file_chooser_gone, NULL, 30));
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  pk_gui_settle ();
}

static void
test_full_stick (void)
{
  g_autoptr(GPtrArray) paths = NULL;
  PkCoordinatorWindow *window = open_stick ("stick-202", 202, &paths);
  g_autofree char *cut_name = g_path_get_basename (g_ptr_array_index (paths, 201));
  GtkWidget *merge_button;
  graphene_rect_t bounds;

  /* The whole stick at a glance, the cut file counted as a problem. */
  g_assert_cmpuint (_pk_coordinator_window_get_n_files (window), ==, 202);
  g_assert_true (find_label (GTK_WIDGET (window), "201 ready · 1 problem"));
  g_assert_cmpuint (n_listed (window), ==, 202);

  /* "Problems only" leaves the cut file alone in the list. */
  click_label (window, "_Problems Only");
  g_assert_cmpuint (n_listed (window), ==, 1);
  g_assert_true (find_label (GTK_WIDGET (window), cut_name));
  /* Its problem in words, not a reason code such as "truncated:". */
  g_assert_true (find_label (GTK_WIDGET (window), "The file ends inside its header")
                 || find_label (GTK_WIDGET (window), _pk_coordinator_window_get_file_status (window, 201)));
  g_assert_false (g_str_has_prefix (_pk_coordinator_window_get_file_status (window, 201), "truncated"));

  /* Merge is in the header bar, in view whatever the list's length. */
  merge_button = find_action_button (window, "coordinator.merge");
  g_assert_nonnull (gtk_widget_get_ancestor (merge_button, ADW_TYPE_HEADER_BAR));
  g_assert_true (gtk_widget_compute_bounds (merge_button, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  pk_gui_click (merge_button);
  g_assert_true (pk_gui_wait (is_idle, window, 300));
  pk_gui_settle ();

  g_assert_true (find_label (GTK_WIDGET (window), "201 merged · 1 problem"));
  click_label (window, "_Problems Only");
  g_assert_cmpuint (n_listed (window), ==, 202);

  /* The totals count the cut file among the rejected ones, as the
   * list shows it. */
  click_label (window, "Totals");
  g_assert_true (find_label (GTK_WIDGET (window), "1 file rejected"));
  g_assert_true (find_label (GTK_WIDGET (window), "504 distinct signers (504 signatures) from 201 batches"));

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

static void
test_kiosk_chart (void)
{
  PkCoordinatorWindow *window = open_stick ("stick-chart", 10, NULL);
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  PkChart *chart;

  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  click_label (window, "Totals");

  collect_widgets (GTK_WIDGET (window), PK_TYPE_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 2);
  chart = g_ptr_array_index (charts, 1);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  g_assert_cmpstr (_pk_chart_get_title (chart), ==, "Signatures per kiosk");
  /* By name, busiest first (4, 3, 2 and 1 signatures a batch, with
   * the ninth batch at the first kiosk); the unnamed kiosk by the start
   * of its key's fingerprint, never by its UUID. */
  g_assert_cmpuint (_pk_chart_get_n_bars (chart), ==, 4);
  g_assert_cmpstr (_pk_chart_get_label (chart, 0), ==, pk_batch_fixture_kiosk_names[0]);
  g_assert_cmpint (pk_chart_get_value (chart, 0), ==, 12);
  g_assert_cmpstr (_pk_chart_get_label (chart, 1), ==, pk_batch_fixture_kiosk_names[1]);
  g_assert_cmpstr (_pk_chart_get_label (chart, 2), ==, pk_batch_fixture_kiosk_names[2]);
  g_assert_true (g_regex_match_simple ("^Kiosk [A-Z2-7]{4}-[A-Z2-7]{4}$", _pk_chart_get_label (chart, 3), 0, 0));
  g_assert_cmpint (pk_chart_get_value (chart, 3), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

static void
test_export_format (void)
{
  PkCoordinatorWindow *window = open_stick ("stick-export", 5, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *csv_name = g_strdup_printf ("signatures-%s.csv", date);
  g_autofree char *json_name = g_strdup_printf ("signatures-%s.json", date);
  g_autofree char *csv = g_build_filename (tmpdir, "stick-export", csv_name, NULL);
  g_autofree char *json = g_build_filename (tmpdir, "stick-export", json_name, NULL);
  g_autofree char *saved = g_strdup_printf ("Saved 10 signers to %s", csv_name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));

  /* The format is the menu item chosen; the chooser offers a dated
   * name beside the master; the toast says where it went. */
  export_with_menu (window, "_Spreadsheet (CSV)…");
  g_file_get_contents (csv, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
  g_assert_true (find_label (GTK_WIDGET (window), saved));
  g_assert_true (find_label (GTK_WIDGET (window), "Open Folder"));
  g_clear_pointer (&contents, g_free);

  export_with_menu (window, "_OSDI JSON for Action Network…");
  g_file_get_contents (json, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (contents[0] == '{' || contents[0] == '[');

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

/* Nothing a Korean coordinator reads on the merge screen or the totals
 * is in English: no reason codes, no untranslated notes. */
static void
test_korean (void)
{
  PkCoordinatorWindow *window;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char *cut_status;

  pk_language_apply ("ko");
  window = open_stick ("stick-ko", 6, NULL);
  cut_status = _pk_coordinator_window_get_file_status (window, 5);
  g_assert_false (g_regex_match_simple ("[A-Za-z]", cut_status, 0, 0));
  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  click_label (window, "Totals");

  collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (GTK_LABEL (label));

      /* Paths, file names and kiosk names are the coordinator's own. */
      if (!gtk_widget_is_drawable (label) || strstr (text, tmpdir) != NULL || strstr (text, ".pkbatch") != NULL
          || strstr (text, "Alexanderplatz") != NULL)
        continue;
      if (g_regex_match_simple ("[A-Za-z]{2,}", text, 0, 0))
        g_error ("English in Korean mode: \"%s\"", text);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
  pk_language_apply ("en");
}

/* In Korean the export's default name is Korean too, and dated. */
static void
test_export_korean (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *csv_name = g_strdup_printf ("서명-%s.csv", date);
  g_autofree char *csv = g_build_filename (tmpdir, "stick-export-ko", csv_name, NULL);
  PkCoordinatorWindow *window;

  pk_language_apply ("ko");
  window = open_stick ("stick-export-ko", 3, NULL);
  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  export_with_menu (window, "_Spreadsheet (CSV)…");
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
  pk_language_apply ("en");
}

/* Runs @sql on the SQLite database @path, beside the window's own
 * connection. */
static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A good file the window could not check, SQLite having run out of
 * memory while reading it: the window does not call it bad, nor count
 * it among the problems, but says it could not check it, and why. The
 * real Merge button reads it again, but the master cannot take its
 * rows (a trigger fails them, as merge-master-faults does): not merged,
 * said the same way. Once the master can, Merge merges it whole. */
static void
test_not_checked (void)
{
  static const char *emails[] = { "oom-a@example.org", "oom-b@example.org" };
  g_autofree char *batch = make_batch ("not-checked", PLAIN_PETITION, emails, G_N_ELEMENTS (emails));
  g_autofree char *master = g_build_filename (tmpdir, "not-checked-master.db", NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  PkCoordinatorWindow *window = pk_coordinator_window_new (NULL, master, NULL);
  GSList *files = g_slist_append (NULL, g_file_new_for_path (batch));
  const char *status;
  JsonObject *report;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pk_gui_wait (is_idle, window, 30));
  pk_gui_settle ();

  /* The window is idle: the check's thread is the only one to ask
   * SQLite for memory, and its first request fails. */
  pk_alloc_fault_arm (1);
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (pk_alloc_fault_disarm ());
  pk_gui_settle ();

  status = _pk_coordinator_window_get_file_status (window, 0);
  g_test_message ("%s", status);
  g_assert_true (g_str_has_prefix (status, "Could not check this file, which says nothing against it: "));
  g_assert_nonnull (strstr (status, "out of memory"));
  g_assert_true (find_label (GTK_WIDGET (window), "1 not checked"));
  g_assert_false (find_label (GTK_WIDGET (window), "1 problem"));
  collect_widgets (GTK_WIDGET (window), PK_TYPE_BATCH_FILE_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (rows, 0), "error"));

  run_sql (master, "CREATE TRIGGER injected_fault BEFORE INSERT ON signatures "
                   "BEGIN SELECT RAISE(ABORT, 'injected'); END");
  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  pk_gui_settle ();
  status = _pk_coordinator_window_get_file_status (window, 0);
  g_test_message ("%s", status);
  g_assert_true (g_str_has_prefix (status, "Not merged, which says nothing against the file: "));
  g_assert_nonnull (strstr (status, "injected"));
  g_assert_true (find_label (GTK_WIDGET (window), "1 not checked"));
  g_assert_false (find_label (GTK_WIDGET (window), "1 problem"));

  run_sql (master, "DROP TRIGGER injected_fault");
  pk_gui_click (find_action_button (window, "coordinator.merge"));
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  g_assert_cmpstr (_pk_coordinator_window_get_file_status (window, 0), ==, "Merged: 2 signatures added");
  report = json_node_get_object (_pk_coordinator_window_get_report (window));
  g_assert_cmpint (json_object_get_int_member (report, "signatures"), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

/* A thousand files, each a problem: the list makes rows for the few in
 * view, and the summary and filter still tell them apart. */
static void
test_thousand_files (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "stick-1000", NULL);
  PkCoordinatorWindow *window = pk_coordinator_window_new (NULL, NULL, NULL);
  GSList *files = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%04u.pkbatch", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, "not a batch at all", -1, &error);
      g_assert_no_error (error);
      files = g_slist_prepend (files, g_file_new_for_path (path));
    }
  gtk_window_present (GTK_WINDOW (window));
  pk_coordinator_window_add_files (window, files);
  /* The same files again, as a second drop would bring them. */
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  pk_gui_settle ();

  g_assert_cmpuint (_pk_coordinator_window_get_n_files (window), ==, 1000);
  g_assert_true (find_label (GTK_WIDGET (window), "1000 problems"));
  g_assert_cmpuint (n_listed (window), ==, 1000);
  /* Rows are made for the files in and around the view, not one a
   * file: GTK 4.8's list view keeps about 200 rows at most. */
  g_assert_cmpuint (count_rows (window), <, 250);

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything starts SQLite. */
  pk_alloc_fault_install ();
  pk_gui_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("pk-coordinator-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Coordinator/merge-in-window", test_merge_in_window);
  g_test_add_func ("/Pk/Coordinator/full-stick", test_full_stick);
  g_test_add_func ("/Pk/Coordinator/thousand-files", test_thousand_files);
  g_test_add_func ("/Pk/Coordinator/not-checked", test_not_checked);
  g_test_add_func ("/Pk/Coordinator/kiosk-chart", test_kiosk_chart);
  g_test_add_func ("/Pk/Coordinator/export/format", test_export_format);
  g_test_add_func ("/Pk/Coordinator/export/korean", test_export_korean);
  g_test_add_func ("/Pk/Coordinator/korean", test_korean);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
