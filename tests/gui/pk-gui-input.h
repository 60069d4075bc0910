/* pk-gui-input.h: real key presses and pointer clicks through XTEST
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The events go from the X server through GDK and GTK's event
 * propagation, as a keyboard's or a mouse's would: a test that clicks a
 * button this way fails when the button is covered, off screen or
 * insensitive, as a person's click would.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Moves the pointer to the middle of @widget, presses and releases
 * the first button there, and lets GTK handle the events. */
void pk_gui_input_click (GtkWidget       *widget);
/* Gives @widget's window the X input focus and types @keysym with
 * @modifiers (control, shift, alt). */
void pk_gui_input_key   (GtkWidget       *widget,
                         guint            keysym,
                         GdkModifierType  modifiers);

G_END_DECLS
