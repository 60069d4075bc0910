/* pk-gui-input.c: real key presses and pointer clicks through XTEST
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-gui-input"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

static Display *
xdisplay_of (GtkWidget *widget)
{
  return gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
}

static Window
xwindow_of (GtkWidget *widget)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (gtk_widget_get_native (widget)));
}

void
pk_gui_input_click (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *display = xdisplay_of (widget);
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (display, xwindow_of (widget), DefaultRootWindow (display),
                         point.x + surface_x, point.y + surface_y, &root_x, &root_y, &child);
  XTestFakeMotionEvent (display, -1, root_x, root_y, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
  XTestFakeButtonEvent (display, 1, True, CurrentTime);
  XTestFakeButtonEvent (display, 1, False, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
}

void
pk_gui_input_key (GtkWidget       *widget,
                  guint            keysym,
                  GdkModifierType  modifiers)
{
  Display *display = xdisplay_of (widget);
  guint mod_keysyms[3];
  guint n_mods = 0;

  if (modifiers & GDK_CONTROL_MASK)
    mod_keysyms[n_mods++] = XK_Control_L;
  if (modifiers & GDK_SHIFT_MASK)
    mod_keysyms[n_mods++] = XK_Shift_L;
  if (modifiers & GDK_ALT_MASK)
    mod_keysyms[n_mods++] = XK_Alt_L;

  /* Without a window manager nobody gives the window the focus. */
  XSetInputFocus (display, xwindow_of (widget), RevertToParent, CurrentTime);
  for (guint i = 0; i < n_mods; i++)
    XTestFakeKeyEvent (display, XKeysymToKeycode (display, mod_keysyms[i]), True, CurrentTime);
  XTestFakeKeyEvent (display, XKeysymToKeycode (display, keysym), True, CurrentTime);
  XTestFakeKeyEvent (display, XKeysymToKeycode (display, keysym), False, CurrentTime);
  for (guint i = n_mods; i > 0; i--)
    XTestFakeKeyEvent (display, XKeysymToKeycode (display, mod_keysyms[i - 1]), False, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
}
