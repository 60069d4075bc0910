/* test-coordinator-window.c: the coordinator window driven through a
 * merge, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-coordinator-window"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pk-batch.h"
#include "pk-coordinator-window.h"
#include "pk-gui-test.h"
#include "pk-store-paper.h"

#define PLAIN_PETITION     SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"
#define ENCRYPTED_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience-encrypted.petition"
#define DEMO_KEY           SOURCE_DATADIR "/demo/DEMO-ONLY-coordinator.key"

static char *tmpdir;

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer's fast unwinder cannot walk through some system
 * libraries' frames, so their one-time allocations show up with a
 * two-frame stack that tests/lsan.supp cannot match. The full unwinder
 * sees the library and the suppression applies. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
#endif

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
 * too: that is how a list box hides its placeholder). */
static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_child_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
is_idle (gpointer data)
{
  return !pk_coordinator_window_is_busy (data);
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
  sync_page = pk_coordinator_window_get_sync_page (window);
  g_assert_nonnull (sync_page);
  g_assert_true (gtk_widget_is_ancestor (sync_page, GTK_WIDGET (window)));
  g_assert_true (find_label (sync_page, "Waiting to be sent"));
  g_assert_true (find_label (sync_page, "0"));
  g_assert_false (find_label (sync_page, "5"));

  /* Nothing opened yet: the list says so, and no idle "0 %" bar shows. */
  g_assert_true (find_label (GTK_WIDGET (window), "No batch files yet"));
  g_assert_false (find_label (GTK_WIDGET (window), "0 %"));

  files = g_slist_append (files, g_file_new_for_path (batch1));
  files = g_slist_append (files, g_file_new_for_path (batch2));
  files = g_slist_append (files, g_file_new_for_path (batch3));
  files = g_slist_append (files, g_file_new_for_path (junk));
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_cmpuint (pk_coordinator_window_get_n_files (window), ==, 4);
  g_assert_false (find_label (GTK_WIDGET (window), "No batch files yet"));

  /* Verification runs off the UI thread; each file gets its result. */
  g_assert_true (pk_gui_wait (is_idle, window, 60));
  g_assert_true (g_str_has_prefix (pk_coordinator_window_get_file_status (window, 0), "Authentic and intact"));
  g_assert_true (g_str_has_prefix (pk_coordinator_window_get_file_status (window, 2), "Authentic and intact"));
  g_assert_true (g_str_has_prefix (pk_coordinator_window_get_file_status (window, 3), "not a batch"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "coordinator.merge", NULL));
  g_assert_true (pk_coordinator_window_is_busy (window));
  g_assert_true (pk_gui_wait (is_idle, window, 120));

  for (guint i = 0; i < 3; i++)
    g_assert_true (g_str_has_prefix (pk_coordinator_window_get_file_status (window, i), "Merged:"));
  g_assert_true (g_str_has_prefix (pk_coordinator_window_get_file_status (window, 3), "not a batch"));

  g_assert_nonnull (pk_coordinator_window_get_report (window));
  report = json_node_get_object (pk_coordinator_window_get_report (window));
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
  g_assert_true (pk_coordinator_window_get_sync_page (window) == sync_page);
  pk_coordinator_window_show_page (window, "sync");
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_mapped (sync_page));
  g_assert_true (find_label (sync_page, "5"));

  /* Merging is done: nothing is left to merge. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "coordinator.merge", NULL)
                  && pk_coordinator_window_is_busy (window));

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  pk_gui_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("pk-coordinator-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Coordinator/merge-in-window", test_merge_in_window);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
