/* test-batches-ui.c: admin → Batches, Close Batch and Wipe pressed for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19 item 8. Two signers sign at the kiosk; the organizer unlocks
 * admin with the keyboard shortcut and the PIN, opens the Batches page
 * by its tab, presses Close Batch, names a folder in GTK's folder
 * chooser and presses Write Here: a batch file that `petition-kiosk
 * verify` accepts and that merges into a master with both signers. Then
 * Wipe with a wrong PIN: nothing is wiped, and the signers' names are
 * still in the database file's bytes. Wipe with the right PIN: the rows
 * are gone, and so are the names from the database and its WAL.
 */
#define G_LOG_DOMAIN "test-batches-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-batches-page.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-batches-page-private.h"

/* A given name that appears nowhere else in a kiosk database. */
#define PROBE "Wipeprobe"

static gboolean
page_is (PkWindow   *window,
         const char *name)
{
  return g_strcmp0 (pk_window_get_visible_page (window), name) == 0;
}

static gboolean
thank_you_shown (gpointer window)
{
  return page_is (window, "thank-you");
}

static gboolean
welcome_shown (gpointer window)
{
  return page_is (window, "welcome");
}

/* One signer at the kiosk: Sign, the form, Submit, then Done. */
static void
sign_at_kiosk (PkGuiFixture *f,
               const char   *given_name)
{
  PkFormPage *form = _pk_window_get_form_page (f->window);

  pk_gui_click (pk_gui_find_action (GTK_WIDGET (_pk_window_get_welcome_page (f->window)), "kiosk.sign"));
  g_assert_true (page_is (f->window, "form"));
  pk_gui_fill_form (form, given_name, "Kim", NULL);
  pk_gui_press_submit (form);
  g_assert_true (pk_gui_wait (thank_you_shown, f->window, 10));
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (_pk_window_get_thank_you_page (f->window)), "kiosk.home"));
  g_assert_true (pk_gui_wait (welcome_shown, f->window, 10));
}

static gint64
rows_on_disk (PkGuiFixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "kiosk.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Whether the kiosk's database file or its WAL holds @text in its bytes;
 * both must exist or be absent as SQLite leaves them, and the database
 * must. */
static gboolean
disk_holds (PkGuiFixture *f,
            const char   *text)
{
  const char *suffixes[] = { "", "-wal" };
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->dir, "/kiosk.db", suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        {
          g_assert_cmpstr (suffixes[i], !=, "");
          continue;
        }
      for (gsize at = 0; !found && at + strlen (text) <= length; at++)
        found = memcmp (contents + at, text, strlen (text)) == 0;
    }
  return found;
}

/* The one other toplevel of @type that is shown, or NULL. */
static GtkWindow *
other_window (PkGuiFixture *f,
              GType         type)
{
  g_autoptr(GList) others = pk_gui_other_windows (GTK_WINDOW (f->window));

  for (GList *l = others; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

typedef struct {
  PkGuiFixture *f;
  GType         type;
} WindowWatch;

static gboolean
window_shown (gpointer data)
{
  WindowWatch *watch = data;

  return other_window (watch->f, watch->type) != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return !window_shown (data);
}

static gboolean
page_idle (gpointer page)
{
  return !_pk_batches_page_is_busy (page);
}

static PkBatchesPage *
open_batches_page (PkGuiFixture *f)
{
  PkAdminPage *admin;
  GtkWidget *page;

  pk_gui_key (GTK_WINDOW (f->window), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  g_assert_true (page_is (f->window, "pin"));
  pk_gui_enter_pin (_pk_window_get_pin_page (f->window), PK_TEST_PIN, NULL);
  g_assert_true (page_is (f->window, "admin"));
  admin = pk_window_get_admin_page (f->window);
  pk_gui_click (pk_gui_find_by_text (pk_gui_find_type (GTK_WIDGET (admin), ADW_TYPE_VIEW_SWITCHER),
                                    GTK_TYPE_TOGGLE_BUTTON, _("Batches")));
  page = pk_gui_find_type (GTK_WIDGET (admin), PK_TYPE_BATCHES_PAGE);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (page));
  return PK_BATCHES_PAGE (page);
}

/* Close Batch, then the folder typed into GTK's chooser and Write Here. */
static void
close_batch_into (PkGuiFixture  *f,
                  PkBatchesPage *page,
                  const char    *folder)
{
  WindowWatch watch = { f, GTK_TYPE_FILE_CHOOSER_DIALOG };
  GtkWindow *chooser;

  pk_gui_press_with_keyboard (pk_gui_find_action (GTK_WIDGET (page), "batches.close"));
  g_assert_true (pk_gui_wait (window_shown, &watch, 30));
  chooser = other_window (f, GTK_TYPE_FILE_CHOOSER_DIALOG);
  pk_gui_key (chooser, XK_l, GDK_CONTROL_MASK);
  pk_gui_type (chooser, folder);
  pk_gui_click (gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT));
  g_assert_true (pk_gui_wait (window_gone, &watch, 30));
  g_assert_true (pk_gui_wait (page_idle, page, 60));
}

/* Wipe, @pin typed into the dialog's field, then the dialog's Wipe. */
static void
wipe_with_pin (PkGuiFixture  *f,
               PkBatchesPage *page,
               const char    *pin)
{
  WindowWatch watch = { f, ADW_TYPE_MESSAGE_DIALOG };
  GtkWindow *dialog;

  pk_gui_press_with_keyboard (pk_gui_find_action (GTK_WIDGET (page), "batches.wipe"));
  g_assert_true (pk_gui_wait (window_shown, &watch, 30));
  dialog = other_window (f, ADW_TYPE_MESSAGE_DIALOG);
  /* The PIN field: a hidden-text entry, the only one in the dialog. */
  pk_gui_click (pk_gui_find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY));
  pk_gui_type (dialog, pin);
  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, _("_Wipe")));
  g_assert_true (pk_gui_wait (window_gone, &watch, 30));
}

static char *
only_batch_file (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (found);
      g_assert_true (g_str_has_suffix (name, ".pkbatch"));
      found = g_build_filename (folder, name, NULL);
    }
  g_assert_nonnull (found);
  return found;
}

static int
run_cli (const char * const *args,
         char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* Output not asked for must not reach the test's own stdout, which
   * is TAP. */
  g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                G_SPAWN_STDERR_TO_DEV_NULL | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0), NULL, NULL,
                out, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : status;
}

static void
test_close_and_wipe (void)
{
  PkGuiFixture f = { 0 };
  PkBatchesPage *page;
  g_autofree char *folder = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *master = NULL;
  g_autofree char *wrong_pin_status = NULL;
  g_autofree char *wiped = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  folder = g_build_filename (f.dir, "stick", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  master = g_build_filename (f.dir, "master.db", NULL);

  sign_at_kiosk (&f, PROBE);
  sign_at_kiosk (&f, "Seoyeon");
  g_assert_cmpint (rows_on_disk (&f), ==, 2);
  /* The control: the search below sees a name that is there. */
  g_assert_true (disk_holds (&f, PROBE));

  page = open_batches_page (&f);
  close_batch_into (&f, page, folder);
  batch = only_batch_file (folder);
  {
    const char *verify[] = { "verify", batch, NULL };
    const char *merge[] = { "merge", "--into", master, batch, NULL };
    const char *count[] = { "count", "--db", master, NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (verify, NULL), ==, 0);
    g_assert_cmpint (run_cli (merge, NULL), ==, 0);
    g_assert_cmpint (run_cli (count, &out), ==, 0);
    g_assert_cmpstr (g_strstrip (out), ==, "2");
  }

  /* What the page says after wiping both, in the language it shows. */
  wiped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wiped %s exported signature from this kiosk.",
                                        "Wiped %s exported signatures from this kiosk.", 2), "2");

  /* A wrong PIN wipes nothing: the rows, and the names in the file. */
  wipe_with_pin (&f, page, "1357");
  wrong_pin_status = g_strdup (_pk_batches_page_get_status (page));
  g_test_message ("after a wrong PIN: %s", wrong_pin_status);
  g_assert_cmpstr (wrong_pin_status, !=, wiped);
  g_assert_cmpint (rows_on_disk (&f), ==, 2);
  g_assert_true (disk_holds (&f, PROBE));

  wipe_with_pin (&f, page, PK_TEST_PIN);
  g_test_message ("after the right PIN: %s", _pk_batches_page_get_status (page));
  g_assert_cmpstr (_pk_batches_page_get_status (page), ==, wiped);
  g_assert_cmpint (rows_on_disk (&f), ==, 0);
  g_assert_false (disk_holds (&f, PROBE));
  g_assert_false (disk_holds (&f, "Seoyeon"));

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/BatchesUi/close-and-wipe", test_close_and_wipe);

  return g_test_run ();
}
