/* bench-first-frame-kiosk.c: the kiosk, reporting its first drawn frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts exactly as petition-kiosk does (same locale and gettext set-up,
 * same PkApplication, same command line) and reports the first frame
 * its window draws; bench-startup times it from exec.
 */
#define G_LOG_DOMAIN "bench-first-frame-kiosk"

#include "config.h"

#include "pk-application.h"
#include "pk-bench-first-frame.h"
#include "pk-locale.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PkApplication) app = NULL;

  pk_locale_init ();

  app = pk_application_new ();
  pk_bench_watch_first_frame (GTK_APPLICATION (app));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
