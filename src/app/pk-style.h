/* pk-style.h: light, dark and high-contrast looks for the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Applies the GSettings "style" key ("system", "light", "dark",
 * "high-contrast") now and whenever it changes. Needs a display. */
void pk_style_follow_settings (GSettings *settings);

/* Makes sure the UI files and stylesheets are registered; the window
 * calls it before loading its template. */
void pk_style_ensure_resources (void);

G_END_DECLS
