/* test-petition-chooser.c: the swapped petition file (issue 17), chosen
 * as an admin would, in the petition chooser, with real keys and clicks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-petition-chooser"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>
#include <X11/keysym.h>

#include "pk-batch.h"
#include "pk-coordinator-dialog.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-petition-signature.h"
#include "pk-pinned-coordinator.h"

typedef struct {
  PkCoordinatorKey *key;
  char             *fingerprint;
  char             *petition;   /* the demo petition sealed to it, signed */
} Coordinator;

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (widget);
}

/* The first shown toplevel of @type, or NULL. */
static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* GTK keeps its own reference to every toplevel. */
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_window (PK_TYPE_COORDINATOR_DIALOG) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_window (PK_TYPE_COORDINATOR_DIALOG) == NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = find_button (child, action_name)) != NULL)
        return found;
    }
  return NULL;
}

/* Whether a label under @root shows @needle. */
static gboolean
shows_text (GtkWidget  *root,
            const char *needle)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) &&
          strstr (gtk_label_get_label (GTK_LABEL (child)), needle) != NULL)
        return TRUE;
      if (shows_text (child, needle))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  PkCoordinatorDialog *dialog;
  const char          *text;
} DialogText;

static gboolean
dialog_says (gpointer data)
{
  DialogText *wanted = data;

  return shows_text (GTK_WIDGET (wanted->dialog), wanted->text);
}

/* Opens the chooser with the admin page's "Choose…" button and types
 * @path into it, as an admin at the kiosk would. */
static void
choose_petition (PkGuiFixture *f,
                 const char   *path)
{
  GtkWidget *button = find_button (GTK_WIDGET (pk_window_get_admin_page (f->window)),
                                   "admin.choose-petition");
  g_autofree char *dirname = g_path_get_dirname (path);
  g_autofree char *folder = g_strconcat (dirname, "/", NULL);
  GtkWindow *chooser;
  GtkWidget *open_button;

  g_assert_nonnull (button);
  pk_gui_click (button);
  g_assert_true (pk_gui_wait (chooser_shown, NULL, 30));
  chooser = find_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  /* The chooser opens on "Recent", where Open takes the selected recent
   * file whatever is typed: go to the file's folder first, as a person
   * would, then name the file. */
  pk_gui_key (chooser, XK_l, GDK_CONTROL_MASK);
  pk_gui_type (chooser, folder);
  pk_gui_key (chooser, XK_Return, 0);
  pk_gui_key (chooser, XK_l, GDK_CONTROL_MASK);
  pk_gui_type (chooser, path);
  /* The chooser checks the typed file before it lets it be opened. */
  open_button = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (pk_gui_wait (is_sensitive, open_button, 30));
  pk_gui_key (chooser, XK_Return, 0);
  g_assert_true (pk_gui_wait (chooser_gone, NULL, 30));
}

static void
coordinator_make (Coordinator *c,
                  const char  *dir,
                  const char  *name)
{
  g_autofree char *key_path = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *demo = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                            "prisoners-of-conscience.petition", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;
  g_autofree char *signed_contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(PkSigningKey) signing = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  c->key = pk_coordinator_key_generate (key_path, &error);
  g_assert_no_error (error);
  c->fingerprint = pk_key_fingerprint (c->key->public_key);
  b64 = pk_key_to_base64 (c->key->public_key, 32);
  line = g_strdup_printf ("CoordinatorKey=%s\nFields=", b64);
  g_assert_true (g_file_get_contents (demo, &contents, NULL, &error));
  text = g_string_new (contents);
  g_string_replace (text, "Fields=", line, 1);
  signing = pk_signing_key_derive (c->key, &error);
  signed_contents = pk_petition_signature_sign (text->str, text->len, signing, &length, &error);
  g_assert_no_error (error);
  c->petition = g_strdup_printf ("%s/%s.petition", dir, name);
  g_assert_true (g_file_set_contents (c->petition, signed_contents, length, &error));
}

static void
coordinator_clear (Coordinator *c)
{
  g_clear_pointer (&c->key, pk_coordinator_key_free);
  g_clear_pointer (&c->fingerprint, g_free);
  g_clear_pointer (&c->petition, g_free);
}

static gint64
batch_of_last_row (PkGuiFixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "kiosk.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 batch;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT batch_id FROM signatures ORDER BY id DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  batch = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return batch;
}

static void
sign_on_form (PkGuiFixture *f,
              const char   *given_name)
{
  PkFormPage *form = _pk_window_get_form_page (f->window);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.home", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, given_name, "Kim", NULL);
  pk_gui_press_submit (form);
  g_assert_null (_pk_form_page_get_failure (form));
}

static void
open_admin (PkGuiFixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.admin", NULL);
  pk_gui_enter_pin (_pk_window_get_pin_page (f->window), PK_TEST_PIN, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "admin");
}

static void
test_swap_through_chooser (void)
{
  PkGuiFixture f = { 0 };
  Coordinator real = { 0 }, evil = { 0 };
  g_autoptr(PkBatchInfo) closed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch_path = NULL;
  g_autofree char *pinned = NULL;
  PkCoordinatorDialog *dialog;
  gint64 real_batch;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  coordinator_make (&real, f.dir, "real");
  coordinator_make (&evil, f.dir, "evil");

  /* The first encrypted petition pins its coordinator. */
  open_admin (&f);
  choose_petition (&f, real.petition);
  pinned = pk_pinned_coordinator_fingerprint (f.store);
  g_assert_cmpstr (pinned, ==, real.fingerprint);
  sign_on_form (&f, "Minjun");
  real_batch = batch_of_last_row (&f);

  /* The swapped file: not used; the change is offered with both
   * fingerprints, behind the PIN. */
  open_admin (&f);
  choose_petition (&f, evil.petition);
  g_assert_true (pk_gui_wait (dialog_shown, NULL, 30));
  dialog = PK_COORDINATOR_DIALOG (find_window (PK_TYPE_COORDINATOR_DIALOG));
  g_assert_true (shows_text (GTK_WIDGET (dialog), real.fingerprint));
  g_assert_true (shows_text (GTK_WIDGET (dialog), evil.fingerprint));
  g_assert_cmpmem (pk_petition_get_coordinator_key (_pk_window_get_petition (f.window)), 32,
                   real.key->public_key, 32);

  /* A wrong PIN changes nothing; the right one waits for the batch of
   * the old key to be closed. Each answer is awaited before typing on:
   * checking a PIN takes a moment (Argon2id). */
  pk_gui_type (GTK_WINDOW (dialog), "1357");
  pk_gui_key (GTK_WINDOW (dialog), XK_Return, 0);
  g_assert_true (pk_gui_wait (dialog_says, &(DialogText) { dialog, _("Wrong PIN.") }, 30));
  g_assert_cmpstr (pinned, ==, real.fingerprint);
  pk_gui_type (GTK_WINDOW (dialog), PK_TEST_PIN);
  pk_gui_key (GTK_WINDOW (dialog), XK_Return, 0);
  g_assert_true (pk_gui_wait (dialog_says, &(DialogText) { dialog, "close-batch" }, 30));
  g_assert_true (dialog_shown (NULL));
  g_clear_pointer (&pinned, g_free);
  pinned = pk_pinned_coordinator_fingerprint (f.store);
  g_assert_cmpstr (pinned, ==, real.fingerprint);

  batch_path = g_build_filename (f.dir, "first.pkbatch", NULL);
  closed = pk_batch_close (f.store, _pk_window_get_petition (f.window), batch_path, &error);
  g_assert_no_error (error);

  pk_gui_type (GTK_WINDOW (dialog), PK_TEST_PIN);
  pk_gui_key (GTK_WINDOW (dialog), XK_Return, 0);
  g_assert_true (pk_gui_wait (dialog_gone, NULL, 30));
  g_clear_pointer (&pinned, g_free);
  pinned = pk_pinned_coordinator_fingerprint (f.store);
  g_assert_cmpstr (pinned, ==, evil.fingerprint);
  g_assert_cmpmem (pk_petition_get_coordinator_key (_pk_window_get_petition (f.window)), 32,
                   evil.key->public_key, 32);

  /* New rows go to a new batch. */
  sign_on_form (&f, "Seoyeon");
  g_assert_cmpint (batch_of_last_row (&f), !=, real_batch);

  coordinator_clear (&real);
  coordinator_clear (&evil);
  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Gui/petition-swap/chooser", test_swap_through_chooser);

  return g_test_run ();
}
