/* test-repeat-signer.c: the kiosk does not tell a repeat signer apart,
 * pressed through with the real pointer under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12 item 3: anyone at a running kiosk could test whether an
 * email had signed, because a repeat got "You have already signed".
 * Now a repeat signer sees exactly what a new signer sees, the welcome
 * count moves the same way, and the kiosk stores the repeat; the
 * coordinator's merge counts it once.
 */
#define G_LOG_DOMAIN "test-repeat-signer"

#include "config.h"

#include <sqlite3.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

/* The mapped button under @widget whose action is @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every visible label's text under @widget, one per line: all a signer
 * reads on that screen. */
static void
append_labels (GtkWidget *widget,
               GString   *out)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_labels (child, out);
}

static gboolean
on_thank_you (gpointer data)
{
  return g_strcmp0 (pk_window_get_visible_page (data), "thank-you") == 0;
}

static gboolean
on_welcome (gpointer data)
{
  return g_strcmp0 (pk_window_get_visible_page (data), "welcome") == 0;
}

static gboolean
on_form (gpointer data)
{
  return g_strcmp0 (pk_window_get_visible_page (data), "form") == 0;
}

/* One signer at the kiosk, pressing the real buttons: Sign, Submit,
 * Done. Returns the thank-you screen's text; @out_count gets the
 * welcome screen's count line afterwards. */
static char *
sign_at_kiosk (PkGuiFixture *f,
               const char   *email,
               char        **out_count)
{
  GString *thanks = g_string_new (NULL);
  PkWelcomePage *welcome = _pk_window_get_welcome_page (f->window);

  pk_gui_click (find_button (GTK_WIDGET (welcome), "kiosk.sign"));
  g_assert_true (pk_gui_wait (on_form, f->window, 10));
  pk_gui_fill_form (_pk_window_get_form_page (f->window), "Jiwoo", "Kim", email);
  pk_gui_settle ();
  pk_gui_press_with_keyboard (find_button (GTK_WIDGET (_pk_window_get_form_page (f->window)), "form.submit"));
  g_assert_true (pk_gui_wait (on_thank_you, f->window, 10));
  append_labels (GTK_WIDGET (_pk_window_get_thank_you_page (f->window)), thanks);

  pk_gui_click (find_button (GTK_WIDGET (_pk_window_get_thank_you_page (f->window)), "kiosk.home"));
  g_assert_true (pk_gui_wait (on_welcome, f->window, 10));
  *out_count = g_strdup (_pk_welcome_page_get_count_text (welcome));
  return g_string_free (thanks, FALSE);
}

static gint64
rows_on_disk (PkGuiFixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "kiosk.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
run_repeat (const char *petition_file)
{
  PkGuiFixture f = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *first_thanks = NULL;
  g_autofree char *first_count = NULL;
  g_autofree char *repeat_thanks = NULL;
  g_autofree char *repeat_count = NULL;
  g_autofree char *other_thanks = NULL;
  g_autofree char *other_count = NULL;

  pk_gui_fixture_setup (&f, petition_file, TRUE);
  pk_gui_settle ();
  before = g_strdup (_pk_welcome_page_get_count_text (_pk_window_get_welcome_page (f.window)));

  first_thanks = sign_at_kiosk (&f, "jiwoo@example.org", &first_count);
  /* The same email in other letter case: a repeat. */
  repeat_thanks = sign_at_kiosk (&f, "Jiwoo@Example.ORG", &repeat_count);
  other_thanks = sign_at_kiosk (&f, "someone.else@example.org", &other_count);

  /* The repeat reads what a first signer reads... */
  g_assert_cmpstr (repeat_thanks, ==, first_thanks);
  g_assert_cmpstr (repeat_thanks, ==, other_thanks);
  /* ...and the count moves one step each time, the repeat's included. */
  g_assert_cmpstr (before, !=, first_count);
  g_assert_cmpstr (first_count, !=, repeat_count);
  g_assert_cmpstr (repeat_count, !=, other_count);
  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 3);
  g_assert_cmpint (rows_on_disk (&f), ==, 3);

  pk_gui_fixture_teardown (&f);
}

static void
test_repeat_plain (void)
{
  run_repeat ("prisoners-of-conscience.petition");
}

static void
test_repeat_encrypted (void)
{
  run_repeat ("prisoners-of-conscience-encrypted.petition");
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Gui/repeat-signer/plain", test_repeat_plain);
  g_test_add_func ("/Pk/Gui/repeat-signer/encrypted", test_repeat_encrypted);

  return g_test_run ();
}
