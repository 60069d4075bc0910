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

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "pk-form-page.h"
#include "pk-gui-test.h"

static void
flush_and_settle (Display *display)
{
  XSync (display, False);
  pk_gui_settle ();
}

static void
click (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (native));
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  flush_and_settle (display);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (display, xid, DefaultRootWindow (display),
                         point.x + surface_x, point.y + surface_y, &root_x, &root_y, &child);
  XTestFakeMotionEvent (display, -1, root_x, root_y, CurrentTime);
  flush_and_settle (display);
  XTestFakeButtonEvent (display, 1, True, CurrentTime);
  flush_and_settle (display);
  XTestFakeButtonEvent (display, 1, False, CurrentTime);
  flush_and_settle (display);
}

static void
type_keys (GtkWidget  *widget,
           const char *keys)
{
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));

  for (const char *p = keys; *p != '\0'; p++)
    {
      /* "+" is Shift and "=" on the keyboard Xvfb has. */
      KeySym keysym = *p == '\t' ? XK_Tab : *p == '+' ? XK_equal : (KeySym) *p;
      KeyCode code = XKeysymToKeycode (display, keysym);
      KeyCode shift = XKeysymToKeycode (display, XK_Shift_L);

      if (*p == '+')
        XTestFakeKeyEvent (display, shift, True, CurrentTime);
      XTestFakeKeyEvent (display, code, True, CurrentTime);
      XTestFakeKeyEvent (display, code, False, CurrentTime);
      if (*p == '+')
        XTestFakeKeyEvent (display, shift, False, CurrentTime);
      flush_and_settle (display);
    }
}

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
  Display *display;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (f.window)));
  XSetInputFocus (display, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f.window))),
                  RevertToParent, CurrentTime);
  click (find_action_button (GTK_WIDGET (f.window), "kiosk.sign"));
  g_assert_true (pk_gui_wait (form_shown, f.window, 5));
  form = pk_window_get_form_page (f.window);
  phone = GTK_WIDGET (pk_form_page_get_entry (form, PK_FIELD_PHONE));

  click (phone);
  type_keys (phone, "01012345678\t");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "010-1234-5678");

  click (phone);
  gtk_editable_select_region (GTK_EDITABLE (phone), 0, -1);
  type_keys (phone, "+4930123456\t");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "+49 30 123456");

  /* What cannot be read stays as typed, for the signer to correct. */
  click (phone);
  gtk_editable_select_region (GTK_EDITABLE (phone), 0, -1);
  type_keys (phone, "12\t");
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
