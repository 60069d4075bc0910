/* pk-app-module.h: the entry point of the kiosk's window module
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GTK application is a private module (petition-kiosk-app.so) that
 * src/main.c opens only when no subcommand is given: the subcommands,
 * which the coordinator's scripts and the tests start by the thousand,
 * then never load GTK, libadwaita or libsecret. The module takes the core
 * and the CLI from the executable, which exports them, so that every type
 * is registered once in the process. This header includes no GTK, so
 * that main.c can name the entry point.
 */
#pragma once

#include <gmodule.h>

G_BEGIN_DECLS

/* What main.c looks up in the module. */
#define PK_APP_MODULE_ENTRY "pk_app_module_run"

typedef int (*PkAppModuleRun) (int argc, char **argv);

/* Runs the kiosk or the coordinator's window with the command line
 * @argc, @argv (options only, no subcommand) and returns the exit
 * status. */
G_MODULE_EXPORT int pk_app_module_run (int    argc,
                                       char **argv);

G_END_DECLS
