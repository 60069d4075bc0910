/* pk-gui-input.h: real keyboard and pointer input for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys and pointer presses go through the X server's XTEST extension,
 * so that they travel the whole input path, from the X server through
 * GDK and GTK's event propagation, as a person's would. Every function
 * lets the resulting layout and drawing happen before it returns.
 */
#pragma once

#include <adwaita.h>

#include "pk-form-page.h"
#include "pk-pin-page.h"

G_BEGIN_DECLS

/* Presses and releases @keysym (an X keysym, e.g. XK_Tab) with
 * @modifiers held, in @window, which gets the X input focus first (no
 * window manager gives it under Xvfb). */
void       pk_gui_key           (GtkWindow      *window,
                                 guint           keysym,
                                 GdkModifierType modifiers);
/* Types @text, printable ASCII only, key by key, with Shift where the
 * US keyboard needs it. */
void       pk_gui_type          (GtkWindow      *window,
                                 const char     *text);
/* Moves the pointer to (@x, @y) in @widget's coordinates. */
void       pk_gui_point         (GtkWidget      *widget,
                                 double          x,
                                 double          y);
/* Presses (TRUE) or releases the first pointer button where it is. */
void       pk_gui_press         (GtkWidget      *widget,
                                 gboolean        pressed);
/* Waits until @widget's window drew two frames from now, so that what
 * the last step changed (a page switched to, a warning gone) is laid
 * out where it shows. */
void       pk_gui_wait_drawn    (GtkWidget      *widget);
/* Points at the middle of @widget, once it is drawn, and clicks it. */
void       pk_gui_click         (GtkWidget      *widget);
/* Turns the pointer's wheel over @widget: @clicks down, or up when
 * negative. */
void       pk_gui_scroll        (GtkWidget      *widget,
                                 int             clicks);
/* Draws a stroke across @widget with the pointer button held. */
void       pk_gui_drag_across   (GtkWidget      *widget);
/* Raises @window above the others, as Alt+Tab would. */
void       pk_gui_raise         (GtkWindow      *window);
/* Maps @window again at @width × @height (no window manager resizes a
 * mapped window under Xvfb) and checks that it got that size. */
void       pk_gui_resize        (GtkWindow      *window,
                                 int             width,
                                 int             height);

/* Scrolls @widget into view with the wheel, notch by notch, when it is
 * in a scrolled window and out of sight, as a person would, then clicks
 * it. */
void       pk_gui_tap           (GtkWidget      *widget);
/* Presses @button from the keyboard: focused, as Tab would, then Space.
 * For a button whose page goes away when pressed: GTK 4.8 warns
 * ("Broken accounting of active state") when the page under a held
 * pointer button goes, and the tests make warnings fatal. */
void       pk_gui_press_with_keyboard (GtkWidget *button);
/* Clicks the form's own Submit button (“Sign the petition”). */
void       pk_gui_press_submit  (PkFormPage     *form);
/* Clicks @page's PIN field, selects what is in it and types @pin over
 * it; with @confirmation (the first run's set-up), does the same in the
 * confirmation field; then presses Enter, as a person at the kiosk's
 * keyboard would. PINs are printable ASCII. */
void       pk_gui_enter_pin     (PkPinPage      *page,
                                 const char     *pin,
                                 const char     *confirmation);

/* The first widget under @root (itself included), in tree order, that is
 * a GtkActionable with @action_name, or NULL. */
GtkWidget *pk_gui_find_action   (GtkWidget      *root,
                                 const char     *action_name);
/* The first widget under @root of @type, or NULL. */
GtkWidget *pk_gui_find_type     (GtkWidget      *root,
                                 GType           type);
/* The first widget of @type under @root (itself included) whose own
 * text, or one of whose shown labels, is @text: a button (its label as
 * written, mnemonic included), a row (its title), a view switcher's tab. */
GtkWidget *pk_gui_find_by_text  (GtkWidget      *root,
                                 GType           type,
                                 const char     *text);
/* The focused widget of @widget's window. */
GtkWidget *pk_gui_focus         (GtkWidget      *widget);
/* The toplevel windows other than @window. */
GList     *pk_gui_other_windows (GtkWindow      *window);

G_END_DECLS
