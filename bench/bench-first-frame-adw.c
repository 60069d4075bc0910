/* bench-first-frame-adw.c: the start-up baseline, a bare libadwaita window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The least a libadwaita application can show: a window with a header
 * bar and a title, at the size the kiosk opens windowed. bench-startup
 * times it from exec to its first drawn frame, next to the kiosk.
 */
#define G_LOG_DOMAIN "bench-first-frame-adw"

#include "config.h"

#include <adwaita.h>

#include "pk-bench-first-frame.h"

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Petition");
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.petitionkiosk.BenchBaseline", G_APPLICATION_NON_UNIQUE);
  pk_bench_watch_first_frame (GTK_APPLICATION (app));
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
