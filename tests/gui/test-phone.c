/* test-phone.c: the phone field shows the number back the way the
 * signer's country writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real clicks and key presses through XTEST: the signer presses "Sign",
 * clicks into the phone field, types the digits and leaves with Tab.
 */
#define G_LOG_DOMAIN "test-phone"

#include "config.h"

#include <X11/keysym.h>

#include "pk-form-page.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
form_shown (gpointer data)
{
  return g_strcmp0 (pk_window_get_visible_page (data), "form") == 0;
}

/* The demo petition's Country is KR: "01012345678" is read as a Korean
 * mobile number and shown back as 010-1234-5678; a German number given
 * with +49 keeps its country code. */
static void
test_phone_shown_back (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *phone;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  pk_gui_click (find_action_button (GTK_WIDGET (f.window), "kiosk.sign"));
  g_assert_true (pk_gui_wait (form_shown, f.window, 5));
  form = _pk_window_get_form_page (f.window);
  phone = GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_PHONE));

  pk_gui_click (phone);
  pk_gui_type (GTK_WINDOW (f.window), "01012345678");
  pk_gui_key (GTK_WINDOW (f.window), XK_Tab, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "010-1234-5678");

  pk_gui_click (phone);
  pk_gui_key (GTK_WINDOW (f.window), XK_a, GDK_CONTROL_MASK);
  pk_gui_type (GTK_WINDOW (f.window), "+4930123456");
  pk_gui_key (GTK_WINDOW (f.window), XK_Tab, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "+49 30 123456");

  /* What cannot be read stays as typed, for the signer to correct. */
  pk_gui_click (phone);
  pk_gui_key (GTK_WINDOW (f.window), XK_a, GDK_CONTROL_MASK);
  pk_gui_type (GTK_WINDOW (f.window), "12");
  pk_gui_key (GTK_WINDOW (f.window), XK_Tab, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "12");

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);
  g_test_add_func ("/Pk/Phone/shown-back", test_phone_shown_back);
  return g_test_run ();
}
