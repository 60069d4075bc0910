/* test-admin-settings.c: admin → Kiosk's behaviour settings, typed and chosen for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19 item 8. The organizer unlocks admin with the keyboard
 * shortcut and the PIN, scrolls to the Behaviour group with the wheel,
 * types the idle time and the thank-you time into their fields (a value
 * below the allowed range is raised to its least), and picks the default
 * language and the style from their lists with the pointer. Each must
 * reach the kiosk's settings, which the window and the next signer use.
 */
#define G_LOG_DOMAIN "test-admin-settings"

#include "config.h"

#include <glib/gi18n.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-language.h"

static PkAdminPage *
unlock (PkGuiFixture *f)
{
  pk_gui_key (GTK_WINDOW (f->window), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  pk_gui_enter_pin (_pk_window_get_pin_page (f->window), PK_TEST_PIN, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "admin");
  return pk_window_get_admin_page (f->window);
}

/* Types @value over what the number field of the row titled @title
 * holds, then Tab, which takes it. */
static void
type_number (PkGuiFixture *f,
             PkAdminPage  *admin,
             const char   *title,
             const char   *value)
{
  GtkWidget *row = pk_gui_find_by_text (GTK_WIDGET (admin), ADW_TYPE_ACTION_ROW, title);
  GtkWidget *text;

  g_assert_nonnull (row);
  text = pk_gui_find_type (pk_gui_find_type (row, GTK_TYPE_SPIN_BUTTON), GTK_TYPE_TEXT);
  g_assert_nonnull (text);
  pk_gui_tap (text);
  pk_gui_key (GTK_WINDOW (f->window), XK_a, GDK_CONTROL_MASK);
  pk_gui_type (GTK_WINDOW (f->window), value);
  pk_gui_key (GTK_WINDOW (f->window), XK_Tab, 0);
}

/* Opens the list of the row titled @title and clicks @item in it. */
static void
choose (PkAdminPage *admin,
        const char  *title,
        const char  *item)
{
  GtkWidget *row = pk_gui_find_by_text (GTK_WIDGET (admin), ADW_TYPE_COMBO_ROW, title);
  GtkWidget *popover;

  g_assert_nonnull (row);
  pk_gui_tap (row);
  popover = pk_gui_find_type (row, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_mapped (popover));
  pk_gui_click (pk_gui_find_by_text (popover, GTK_TYPE_LABEL, item));
  pk_gui_settle ();
  g_assert_false (gtk_widget_get_mapped (popover));
}

static void
test_behaviour_settings (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  g_autofree char *language = NULL;
  g_autofree char *style = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);

  type_number (&f, admin, _("Clear an unfinished form after"), "45");
  g_assert_cmpuint (g_settings_get_uint (f.settings, "idle-timeout"), ==, 45);
  /* Below the least the schema allows: raised to it, never taken. */
  type_number (&f, admin, _("Clear an unfinished form after"), "5");
  g_assert_cmpuint (g_settings_get_uint (f.settings, "idle-timeout"), ==, 15);
  type_number (&f, admin, _("Show the thank-you screen for"), "9");
  g_assert_cmpuint (g_settings_get_uint (f.settings, "thank-you-delay"), ==, 9);

  choose (admin, _("Style"), _("High contrast"));
  style = g_settings_get_string (f.settings, "style");
  g_assert_cmpstr (style, ==, "high-contrast");
  choose (admin, _("Default language"), pk_language_native_name ("de"));
  language = g_settings_get_string (f.settings, "default-language");
  g_assert_cmpstr (language, ==, "de");

  /* Lock: the next signer's welcome screen is in the new default. */
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (admin), "kiosk.lock"));
  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "welcome");
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "de");

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/AdminSettings/behaviour", test_behaviour_settings);

  return g_test_run ();
}
