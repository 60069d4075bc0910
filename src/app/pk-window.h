/* pk-window.h: the kiosk window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PK_TYPE_WINDOW (pk_window_get_type ())
G_DECLARE_FINAL_TYPE (PkWindow, pk_window, PK, WINDOW, AdwApplicationWindow)

G_END_DECLS
