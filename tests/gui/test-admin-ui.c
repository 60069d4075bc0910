/* test-admin-ui.c: the organizer's side with real keys and pointer
 * presses (issue 13, items 8, 9, 10 and 12; issue 12, item 6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-admin-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-coordinator-window.h"
#include "pk-language.h"

static gboolean
page_is (PkWindow   *window,
         const char *name)
{
  return g_strcmp0 (pk_window_get_visible_page (window), name) == 0;
}

static gboolean
page_is_pin (gpointer data)
{
  return page_is (data, "pin");
}

static GtkWindow *
win (PkGuiFixture *f)
{
  return GTK_WINDOW (f->window);
}

/* The PIN typed on the keyboard, as soon as the prompt shows. */
static void
type_pin (PkGuiFixture *f)
{
  g_assert_true (page_is (f->window, "pin"));
  pk_gui_type (win (f), PK_TEST_PIN);
  pk_gui_key (win (f), XK_Return, 0);
  g_assert_true (page_is (f->window, "admin"));
}

/* Into admin by the keyboard shortcut and the PIN. */
static PkAdminPage *
unlock (PkGuiFixture *f)
{
  pk_gui_key (win (f), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  type_pin (f);
  return pk_window_get_admin_page (f->window);
}

/* Presses "Exit kiosk" with the keyboard. (A pointer click works as
 * well, but under Xvfb, with no window manager, GTK 4.8 then warns
 * "Broken accounting of active state" for the window, as the dialog
 * appears while the button is still held.) */
static void
press_exit (PkGuiFixture *f,
            PkAdminPage  *admin)
{
  GtkWidget *exit_button = pk_gui_find_action (GTK_WIDGET (admin), "admin.exit");

  gtk_widget_grab_focus (exit_button);
  pk_gui_key (win (f), XK_space, 0);
}

static void
show_admin_page (PkAdminPage *admin,
                 const char  *title)
{
  GtkWidget *switcher = pk_gui_find_type (GTK_WIDGET (admin), ADW_TYPE_VIEW_SWITCHER);

  pk_gui_click (pk_gui_find_by_text (switcher, GTK_TYPE_TOGGLE_BUTTON, title));
}

/* Holding the corner shows a bar filling up; when it is full the PIN
 * prompt opens with the focus in its field. */
static gboolean
hold_bar_moved (gpointer data)
{
  GtkWidget *bar = data;

  return gtk_widget_get_mapped (bar) &&
         gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)) > 0.1;
}

static void
test_corner_hold_and_pin_focus (void)
{
  PkGuiFixture f = { 0 };
  GtkWidget *welcome;
  GtkWidget *bar;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  welcome = GTK_WIDGET (_pk_window_get_welcome_page (f.window));
  /* The corner's, the first in the page; the goal's comes later. */
  bar = pk_gui_find_type (welcome, GTK_TYPE_PROGRESS_BAR);
  g_assert_null (gtk_widget_get_ancestor (bar, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_false (gtk_widget_get_mapped (bar));
  /* As on a kiosk just started, or touched only: nothing has the
   * keyboard focus, so showing the prompt moves none into it. */
  gtk_window_set_focus (win (&f), NULL);

  pk_gui_point (welcome, 30, 30);
  pk_gui_press (welcome, TRUE);
  g_assert_true (pk_gui_wait (hold_bar_moved, bar, 10));
  g_assert_true (page_is (f.window, "welcome"));
  g_assert_true (pk_gui_wait (page_is_pin, f.window, 10));
  pk_gui_press (welcome, FALSE);
  g_assert_false (gtk_widget_get_mapped (bar));

  /* No tap on the field: the PIN typed at once unlocks. */
  type_pin (&f);

  pk_gui_fixture_teardown (&f);
}

/* A passer-by chose German; the organizer still gets the kiosk's
 * default language, for the PIN prompt and for admin. */
static void
test_admin_in_default_language (void)
{
  PkGuiFixture f = { 0 };
  GtkWidget *welcome;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  welcome = GTK_WIDGET (_pk_window_get_welcome_page (f.window));
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "ko");
  pk_gui_click (pk_gui_find_by_text (welcome, GTK_TYPE_BUTTON, "Deutsch"));
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "de");

  pk_gui_key (win (&f), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "ko");
  type_pin (&f);
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "ko");

  pk_gui_fixture_teardown (&f);
}

static char *
setting (PkGuiFixture *f,
         const char   *key)
{
  return pk_store_get_setting (f->store, key);
}

/* The kiosk and event names are saved when the organizer leaves the
 * field, by Tab or by pressing Lock; no check mark to press. */
static void
test_names_saved_on_leave (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  g_autofree char *event = NULL;
  g_autofree char *kiosk_name = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);

  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (admin), ADW_TYPE_ENTRY_ROW, _("Event")));
  pk_gui_type (win (&f), "Vigil");
  event = setting (&f, PK_SETTING_EVENT);
  g_assert_true (event == NULL || *event == '\0');
  pk_gui_key (win (&f), XK_Tab, 0);
  g_clear_pointer (&event, g_free);
  event = setting (&f, PK_SETTING_EVENT);
  g_assert_cmpstr (event, ==, "Vigil");

  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (admin), ADW_TYPE_ENTRY_ROW, _("Kiosk name")));
  pk_gui_type (win (&f), "Stall 3");
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "kiosk.lock"));
  g_assert_true (page_is (f.window, "welcome"));
  kiosk_name = setting (&f, PK_SETTING_KIOSK_NAME);
  g_assert_cmpstr (kiosk_name, ==, "Stall 3");

  pk_gui_fixture_teardown (&f);
}

/* "Exit kiosk" asks; Cancel keeps the kiosk running. */
static void
test_exit_asks (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  GList *others;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);

  press_exit (&f, admin);
  others = pk_gui_other_windows (win (&f));
  g_assert_cmpuint (g_list_length (others), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));
  /* Enter takes the default answer, Cancel. */
  pk_gui_key (others->data, XK_Return, 0);
  g_list_free (others);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));
  others = pk_gui_other_windows (win (&f));
  g_assert_null (others);

  press_exit (&f, admin);
  others = pk_gui_other_windows (win (&f));
  /* Tab to "Exit Kiosk", and Enter. */
  pk_gui_key (others->data, XK_Tab, 0);
  g_assert_true (pk_gui_focus (GTK_WIDGET (others->data)) ==
                 pk_gui_find_by_text (others->data, GTK_TYPE_BUTTON, _("_Exit Kiosk")));
  pk_gui_key (others->data, XK_Return, 0);
  g_list_free (others);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.window)));

  pk_gui_fixture_teardown (&f);
}

/* "Sync now" waits for an endpoint to send to. */
static void
test_sync_needs_endpoint (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  GtkWidget *sync_now;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);
  show_admin_page (admin, _("Sync"));

  sync_now = pk_gui_find_action (GTK_WIDGET (admin), "sync.start");
  g_assert_true (gtk_widget_get_mapped (sync_now));
  g_assert_false (gtk_widget_is_sensitive (sync_now));
  pk_gui_click (pk_gui_find_by_text (GTK_WIDGET (admin), ADW_TYPE_ENTRY_ROW, _("Endpoint URL")));
  pk_gui_type (win (&f), "https://example.org/api/v1/petitions/1");
  g_assert_true (gtk_widget_is_sensitive (sync_now));

  pk_gui_fixture_teardown (&f);
}

/* With nothing to carry, "Close batch" is off; a screen reader hears
 * each button's name once, without its mnemonic. */
static void
test_batches_page (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  GtkWidget *close_batch;
  g_autofree char *name = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);
  show_admin_page (admin, _("Batches"));

  close_batch = pk_gui_find_action (GTK_WIDGET (admin), "batches.close");
  g_assert_true (gtk_widget_get_mapped (close_batch));
  g_assert_false (gtk_widget_is_sensitive (close_batch));

  name = pk_language_strip_mnemonic (_("_Close Batch…"));
  g_assert_null (strchr (name, '_'));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (close_batch),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (close_batch),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  pk_gui_fixture_teardown (&f);
}

static gboolean
is_admin_window (GtkWindow *window,
                 PkWindow  *kiosk)
{
  return PK_IS_COORDINATOR_WINDOW (window) ||
         gtk_window_get_transient_for (window) == GTK_WINDOW (kiosk);
}

/* The windows on screen besides the kiosk, each one opened from admin. */
static guint
count_admin_windows (PkGuiFixture *f)
{
  GList *others = pk_gui_other_windows (win (f));
  guint n = 0;

  for (GList *l = others; l != NULL; l = l->next)
    if (gtk_widget_get_visible (l->data))
      {
        g_assert_true (is_admin_window (l->data, f->window));
        n++;
      }
  g_list_free (others);
  return n;
}

static gboolean
page_is_welcome (gpointer data)
{
  return page_is (data, "welcome");
}

/* Lock closes the coordinator's window, and so does admin left idle,
 * with every dialog opened from admin: nothing is left for Alt+Tab
 * behind the welcome screen. */
static void
test_lock_closes_windows (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);
  show_admin_page (admin, _("Batches"));
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "batches.coordinator"));
  g_assert_cmpuint (count_admin_windows (&f), ==, 1);

  /* Back at the kiosk, as with Alt+Tab, and Lock. */
  pk_gui_raise (win (&f));
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "kiosk.lock"));
  g_assert_true (page_is (f.window, "welcome"));
  g_assert_cmpuint (count_admin_windows (&f), ==, 0);

  /* The coordinator's window and a question left open, the organizer
   * gone: the idle reset closes both. The schema's shortest time is too
   * long for a test; the idle guard takes a shorter one. */
  admin = unlock (&f);
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "batches.coordinator"));
  pk_gui_raise (win (&f));
  show_admin_page (admin, _("Kiosk"));
  press_exit (&f, admin);
  g_assert_cmpuint (count_admin_windows (&f), ==, 2);
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 1, "still-there-seconds", 1, NULL);
  g_assert_true (pk_gui_wait (page_is_welcome, f.window, 20));
  g_assert_cmpuint (count_admin_windows (&f), ==, 0);

  /* A file chooser left open is cancelled with the rest, twice: the
   * page that owns it can open it again afterwards. */
  for (guint round = 0; round < 2; round++)
    {
      g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3600, NULL);
      admin = unlock (&f);
      pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "admin.choose-petition"));
      g_assert_cmpuint (count_admin_windows (&f), ==, 1);
      g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 1, "still-there-seconds", 1, NULL);
      g_assert_true (pk_gui_wait (page_is_welcome, f.window, 20));
      g_assert_cmpuint (count_admin_windows (&f), ==, 0);
    }

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process accessibility backend, whose names the tests read;
   * there is no accessibility bus under Xvfb. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/AdminUi/corner-hold-and-pin-focus", test_corner_hold_and_pin_focus);
  g_test_add_func ("/Pk/AdminUi/default-language", test_admin_in_default_language);
  g_test_add_func ("/Pk/AdminUi/names-saved-on-leave", test_names_saved_on_leave);
  g_test_add_func ("/Pk/AdminUi/exit-asks", test_exit_asks);
  g_test_add_func ("/Pk/AdminUi/sync-needs-endpoint", test_sync_needs_endpoint);
  g_test_add_func ("/Pk/AdminUi/batches-page", test_batches_page);
  g_test_add_func ("/Pk/AdminUi/lock-closes-windows", test_lock_closes_windows);

  return g_test_run ();
}
