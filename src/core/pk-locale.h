/* pk-locale.h: the process's locale and translations, set up once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets up the locale and gettext for the whole process: call it first
 * thing in main(), before anything translates, for a subcommand and the
 * kiosk alike. Needs no GTK: the subcommands start without it. */
void pk_locale_init (void);

G_END_DECLS
