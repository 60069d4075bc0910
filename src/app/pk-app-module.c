/* pk-app-module.c: the entry point of the kiosk's window module
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-app-module"

#include "config.h"

#include "pk-app-module.h"
#include "pk-application.h"

int
pk_app_module_run (int    argc,
                   char **argv)
{
  g_autoptr(PkApplication) app = pk_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
