/* pk-gui-input.c: real keyboard and pointer input for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-gui-input"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

static Display *
x_display (GtkWidget *widget)
{
  return gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
}

/* The X window of @native: a window, or a popover (a menu) with an X
 * window of its own. */
static Window
x_window (GtkNative *native)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (native));
}

static void
press_key (Display *display,
           guint    keysym,
           gboolean pressed)
{
  XTestFakeKeyEvent (display, XKeysymToKeycode (display, keysym), pressed, CurrentTime);
}

static void
send_key (GtkWindow      *window,
          guint           keysym,
          GdkModifierType modifiers)
{
  Display *display = x_display (GTK_WIDGET (window));
  guint mod_keysyms[3];
  guint n_mods = 0;

  if (modifiers & GDK_CONTROL_MASK)
    mod_keysyms[n_mods++] = XK_Control_L;
  if (modifiers & GDK_SHIFT_MASK)
    mod_keysyms[n_mods++] = XK_Shift_L;
  if (modifiers & GDK_ALT_MASK)
    mod_keysyms[n_mods++] = XK_Alt_L;

  XSetInputFocus (display, x_window (GTK_NATIVE (window)), RevertToParent, CurrentTime);
  for (guint i = 0; i < n_mods; i++)
    press_key (display, mod_keysyms[i], TRUE);
  press_key (display, keysym, TRUE);
  press_key (display, keysym, FALSE);
  for (guint i = n_mods; i > 0; i--)
    press_key (display, mod_keysyms[i - 1], FALSE);
  XFlush (display);
}

void
pk_gui_key (GtkWindow      *window,
            guint           keysym,
            GdkModifierType modifiers)
{
  send_key (window, keysym, modifiers);
  pk_gui_settle ();
}

void
pk_gui_type (GtkWindow  *window,
             const char *text)
{
  Display *display = x_display (GTK_WIDGET (window));

  for (const char *p = text; *p != '\0'; p++)
    {
      /* Printable ASCII keysyms are the characters themselves. */
      guint keysym = (guchar) *p;
      KeyCode keycode = XKeysymToKeycode (display, keysym);

      g_assert_true (*p >= 0x20 && *p < 0x7f);
      g_assert_cmpuint (keycode, !=, 0);
      send_key (window, keysym,
                XkbKeycodeToKeysym (display, keycode, 0, 0) == keysym ? 0 : GDK_SHIFT_MASK);
      /* A few keys at a time, as a typist's arrive. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  pk_gui_settle ();
}

void
pk_gui_point (GtkWidget *widget,
              double     x,
              double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *display = x_display (widget);
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (display, x_window (native), DefaultRootWindow (display),
                         point.x + surface_x, point.y + surface_y, &root_x, &root_y, &child);
  XTestFakeMotionEvent (display, -1, root_x, root_y, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
}

void
pk_gui_press (GtkWidget *widget,
              gboolean   pressed)
{
  Display *display = x_display (widget);

  XTestFakeButtonEvent (display, 1, pressed, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames_drawn (gpointer data)
{
  return *(guint *) data >= 2;
}

void
pk_gui_wait_drawn (GtkWidget *widget)
{
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (native, count_frame, &frames, NULL);

  gtk_widget_queue_draw (native);
  g_assert_true (pk_gui_wait (two_frames_drawn, &frames, 30));
  gtk_widget_remove_tick_callback (native, id);
}

void
pk_gui_click (GtkWidget *widget)
{
  pk_gui_wait_drawn (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  pk_gui_point (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  pk_gui_press (widget, TRUE);
  pk_gui_press (widget, FALSE);
}

void
pk_gui_scroll (GtkWidget *widget,
               int        clicks)
{
  Display *display = x_display (widget);
  /* X's wheel: button 4 turns up, 5 down. */
  guint button = clicks < 0 ? 4 : 5;
  GtkScrolledWindow *scrolled = GTK_IS_SCROLLED_WINDOW (widget)
                                ? GTK_SCROLLED_WINDOW (widget)
                                : GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));

  pk_gui_point (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  /* One notch at a time, each handled before the next: GTK adds a
   * notch to where the scrolling would be without the edge, so a notch
   * still queued would undo a later scroll by the program. */
  for (int i = 0; i < ABS (clicks); i++)
    {
      XTestFakeButtonEvent (display, button, TRUE, CurrentTime);
      XTestFakeButtonEvent (display, button, FALSE, CurrentTime);
      XFlush (display);
      pk_gui_settle ();
    }

  /* A wheel's scrolling glides on for a moment once the hand moves on,
   * and springs back from beyond the end; a person reaches for the next
   * control once the page stands still. */
  pk_gui_point (widget, 1, 1);
  if (scrolled != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
      double before;

      for (guint round = 0; round < 100; round++)
        {
          before = gtk_adjustment_get_value (adjustment);
          pk_gui_settle ();
          if (gtk_adjustment_get_value (adjustment) == before)
            break;
        }
    }
}

void
pk_gui_drag_across (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  pk_gui_point (widget, width * 0.2, height * 0.6);
  pk_gui_press (widget, TRUE);
  for (guint i = 1; i <= 12; i++)
    pk_gui_point (widget, width * (0.2 + 0.05 * i), height * (0.6 - 0.03 * (i % 4)));
  pk_gui_press (widget, FALSE);
}

void
pk_gui_raise (GtkWindow *window)
{
  Display *display = x_display (GTK_WIDGET (window));

  XRaiseWindow (display, x_window (GTK_NATIVE (window)));
  XFlush (display);
  pk_gui_settle ();
}

void
pk_gui_resize (GtkWindow *window,
               int        width,
               int        height)
{
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (window));
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  pk_gui_settle ();
  /* Larger means the content does not fit: the window grew to hold it.
   * (Without a compositor a window that is not full screen draws a thin
   * frame inside that size, which leaves its content a little less.) */
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, width);
  g_assert_cmpint (gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))), ==, height);
}

/* Whether @widget is drawn wholly inside the visible part of its
 * scrolled window. */
static gboolean
in_view (GtkWidget *widget,
         GtkWidget *scrolled)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return FALSE;
  return bounds.origin.y >= -0.5
         && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled) + 0.5;
}

void
pk_gui_tap (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  pk_gui_wait_drawn (widget);
  for (guint i = 0; i < 40 && scrolled != NULL && !in_view (widget, scrolled); i++)
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
      pk_gui_scroll (scrolled, bounds.origin.y < 0 ? -1 : 1);
    }
  g_assert_true (scrolled == NULL || in_view (widget, scrolled));
  pk_gui_click (widget);
}

void
pk_gui_press_with_keyboard (GtkWidget *button)
{
  g_assert_true (gtk_widget_grab_focus (button));
  pk_gui_key (GTK_WINDOW (gtk_widget_get_root (button)), XK_space, 0);
}

void
pk_gui_press_submit (PkFormPage *form)
{
  GtkWidget *submit = pk_gui_find_action (GTK_WIDGET (form), "form.submit");

  g_assert_nonnull (submit);
  pk_gui_click (submit);
}

/* Replaces what @entry holds with @text, typed. */
static void
type_over (GtkWidget  *entry,
           const char *text)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (entry));

  pk_gui_click (entry);
  pk_gui_key (window, XK_a, GDK_CONTROL_MASK);
  if (*text != '\0')
    pk_gui_type (window, text);
  else
    pk_gui_key (window, XK_BackSpace, 0);
}

void
pk_gui_enter_pin (PkPinPage  *page,
                  const char *pin,
                  const char *confirmation)
{
  GtkWidget *pin_entry = pk_gui_find_type (GTK_WIDGET (page), GTK_TYPE_PASSWORD_ENTRY);
  GtkWidget *confirm_entry = NULL;

  g_assert_nonnull (pin_entry);
  type_over (pin_entry, pin);
  if (confirmation != NULL)
    {
      /* The second password field of the page. */
      for (GtkWidget *w = gtk_widget_get_next_sibling (pin_entry); w != NULL && confirm_entry == NULL;
           w = gtk_widget_get_next_sibling (w))
        confirm_entry = pk_gui_find_type (w, GTK_TYPE_PASSWORD_ENTRY);
      g_assert_nonnull (confirm_entry);
      type_over (confirm_entry, confirmation);
    }
  pk_gui_key (GTK_WINDOW (gtk_widget_get_root (pin_entry)), XK_Return, 0);
}

GtkWidget *
pk_gui_find_action (GtkWidget  *root,
                    const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pk_gui_find_action (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pk_gui_find_type (GtkWidget *root,
                  GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pk_gui_find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

GtkWidget *
pk_gui_find_by_text (GtkWidget  *root,
                     GType       type,
                     const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0)
        return root;
      if (ADW_IS_PREFERENCES_ROW (root) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), text) == 0)
        return root;
      if (shows_label (root, text))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pk_gui_find_by_text (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pk_gui_focus (GtkWidget *widget)
{
  return gtk_root_get_focus (gtk_widget_get_root (widget));
}

GList *
pk_gui_other_windows (GtkWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();

  toplevels = g_list_remove (toplevels, window);
  return toplevels;
}
