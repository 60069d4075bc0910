/* pk-idle-guard.h: the privacy reset's clock and its "Still there?"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PK_TYPE_IDLE_GUARD (pk_idle_guard_get_type ())
G_DECLARE_FINAL_TYPE (PkIdleGuard, pk_idle_guard, PK, IDLE_GUARD, GtkWidget)

/* Laid over a window's pages (as an overlay child), the guard counts
 * every key, click, touch, scroll and pen stroke in that window as
 * input; a mouse merely moved is none.
 *
 * On a guarded screen (one that holds a signer's details or the
 * organizer's access), "idle-timeout" seconds without input emit
 * "idle". Unless a handler returns TRUE, having dealt with the screen
 * itself, the guard then covers the whole window, opaque, asks "Still
 * there?" with the focus on "I am still here" (action idle.still-here),
 * and counts "still-there-seconds" down. Any input takes the question
 * away and starts the idle time again; at zero the question goes and
 * "expired" is emitted, for the window to clear the screen. On any
 * other screen the question is never shown.
 *
 * Properties: "idle-timeout" and "still-there-seconds" (seconds, at
 * least 1), "language" ("ko", "en", "de"; the question's strings
 * follow it).
 *
 * Signals:
 * - "idle" (gboolean handler (PkIdleGuard *guard, gpointer data));
 * - "expired" (void handler (PkIdleGuard *guard, gpointer data)). */

/* The window shows another screen, guarded or not (@guarded): the
 * question goes, and the new screen gets its full idle time. */
void   pk_idle_guard_screen_shown     (PkIdleGuard *self,
                                       gboolean     guarded);
void   pk_idle_guard_set_language     (PkIdleGuard *self,
                                       const char  *language);
/* Seconds left on the "Still there?" countdown, 0 when it is not shown. */
guint  pk_idle_guard_get_seconds_left (PkIdleGuard *self);

G_END_DECLS
