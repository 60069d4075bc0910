/* pk-startup-problem.h: telling why the kiosk cannot start at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For a broken installation (no settings schema, a missing translation):
 * prints @error's message to stderr and, since a kiosk usually starts
 * from the desktop where nobody reads stderr, also shows it in a dialog
 * when a display can be opened, until the dialog is closed. Returns the
 * exit status to end with, 1. */
int pk_startup_problem_show (const GError *error);

G_END_DECLS
