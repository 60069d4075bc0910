/* pk-bench-first-frame.c: tell the start-up benchmark about the first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk and the bare libadwaita baseline both use this, so both are
 * measured at the same point: the frame clock's "after-paint" of their
 * first window, when the first frame has been drawn and handed to the
 * display server.
 */
#define G_LOG_DOMAIN "pk-bench-first-frame"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "pk-bench-first-frame.h"

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  fputs ("first-frame\n", stdout);
  fflush (stdout);
  _exit (0);
}

static void
on_realize (GtkWidget *window,
            gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize (GTK_WIDGET (window), NULL);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
}

void
pk_bench_watch_first_frame (GtkApplication *app)
{
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
}
