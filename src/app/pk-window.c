/* pk-window.c: the kiosk window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-window"

#include "config.h"

#include "pk-window.h"

struct _PkWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (PkWindow, pk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
pk_window_class_init (PkWindowClass *klass)
{
}

static void
pk_window_init (PkWindow *self)
{
}
