/* test-trusted-keys.c: the coordinator trusts a kiosk's new key in the
 * Kiosk Keys window, with the real pointer, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12 item 2: a batch of a known kiosk id signed with another key
 * is refused until the coordinator trusts that key; the window lists
 * every key with a switch.
 */
#define G_LOG_DOMAIN "test-trusted-keys"

#include "config.h"

#include <glib/gstdio.h>

#include "pk-batch.h"
#include "pk-coordinator-window.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-kiosk-key-row.h"
#include "pk-merge.h"
#include "pk-merge-trust.h"
#include "pk-store-private.h"
#include "pk-trusted-keys.h"
#include "pk-coordinator-window-private.h"
#include "pk-kiosk-key-row-private.h"

#define PLAIN_PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"

static char *tmpdir;

/* A kiosk database @name with one signer, closed into a batch file; a
 * non-NULL @kiosk_id replaces the kiosk's own id (a second laptop set
 * up as the same kiosk, or a forger). */
static char *
make_batch (const char *name,
            const char *email,
            const char *kiosk_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PLAIN_PETITION, &error);
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *db_path = g_build_filename (tmpdir, db_name, NULL);
  g_autoptr(PkStore) store = pk_store_open (db_path, &error);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(PkBatchInfo) info = NULL;
  g_autofree char *file_name = g_strconcat (name, ".pkbatch", NULL);
  char *out = g_build_filename (tmpdir, file_name, NULL);
  PkField field;

  g_assert_no_error (error);
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Kim");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  if (kiosk_id != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE batches SET kiosk_id = '%s'", kiosk_id);

      g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  info = pk_batch_close (store, petition, out, &error);
  g_assert_no_error (error);
  return out;
}

static char *
kiosk_id_of (const char *batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkBatchReader) reader = pk_batch_reader_open (batch, &error);

  g_assert_no_error (error);
  return g_strdup (pk_batch_reader_get_info (reader)->kiosk_id);
}

/* The first widget under @widget for which @match holds. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             gboolean  (*match) (GtkWidget *widget))
{
  if (match (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_kiosk_keys_button (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "coordinator.kiosk-keys") == 0;
}

static gboolean
is_untrusted_row (GtkWidget *widget)
{
  return PK_IS_KIOSK_KEY_ROW (widget)
         && !gtk_switch_get_active (_pk_kiosk_key_row_get_switch (PK_KIOSK_KEY_ROW (widget)));
}

static gboolean
trusted_keys_mapped (gpointer data)
{
  GtkWidget **out = data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PK_IS_TRUSTED_KEYS (l->data) && gtk_widget_get_mapped (l->data))
      *out = l->data;
  return *out != NULL;
}

static gboolean
is_idle (gpointer data)
{
  return !_pk_coordinator_window_is_busy (data);
}

static guint
count_trusted (PkStore *master)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = pk_merge_trust_list (master, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < keys->len; i++)
    n += ((PkKioskKeyEntry *) g_ptr_array_index (keys, i))->trusted;
  return n;
}

static void
test_trust_new_key (void)
{
  g_autofree char *first = make_batch ("stall", "a@example.org", NULL);
  g_autofree char *kiosk_id = kiosk_id_of (first);
  g_autofree char *second = make_batch ("stall-new-laptop", "b@example.org", kiosk_id);
  g_autofree char *master_path = g_build_filename (tmpdir, "master.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) master = pk_store_open (master_path, &error);
  g_autoptr(PkMerge) merge = NULL;
  PkMergeResult result;
  PkCoordinatorWindow *window;
  GtkWidget *dialog = NULL;
  GtkWidget *row;

  g_assert_no_error (error);
  merge = pk_merge_new (master, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, first, &result, &error));
  g_assert_false (pk_merge_file (merge, second, &result, &error));
  g_assert_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_UNTRUSTED_KIOSK);
  g_clear_error (&error);
  g_assert_cmpuint (count_trusted (master), ==, 1);

  window = pk_coordinator_window_new (NULL, master_path, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pk_gui_wait (is_idle, window, 30));
  pk_gui_settle ();

  pk_gui_click (find_widget (GTK_WIDGET (window), is_kiosk_keys_button));
  g_assert_true (pk_gui_wait (trusted_keys_mapped, &dialog, 10));
  pk_gui_settle ();

  /* Both keys are listed; the new one is off. The coordinator turns it on. */
  row = find_widget (dialog, is_untrusted_row);
  g_assert_nonnull (row);
  pk_gui_click (GTK_WIDGET (_pk_kiosk_key_row_get_switch (PK_KIOSK_KEY_ROW (row))));
  g_assert_true (gtk_switch_get_active (_pk_kiosk_key_row_get_switch (PK_KIOSK_KEY_ROW (row))));
  g_assert_null (find_widget (dialog, is_untrusted_row));
  g_assert_cmpuint (count_trusted (master), ==, 2);

  /* Now the same file merges. */
  g_assert_true (pk_merge_file (merge, second, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.added, ==, 1);

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
  tmpdir = g_dir_make_tmp ("pk-trusted-keys-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Pk/Coordinator/trust-new-key", test_trust_new_key);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  return status;
}
