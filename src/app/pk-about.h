/* pk-about.h: the About window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pk_show_about (GtkWindow *parent);

G_END_DECLS
