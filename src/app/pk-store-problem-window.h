/* pk-store-problem-window.h: what the kiosk shows when its database
 * cannot be opened at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_TYPE_STORE_PROBLEM_WINDOW (pk_store_problem_window_get_type ())
G_DECLARE_FINAL_TYPE (PkStoreProblemWindow, pk_store_problem_window, PK, STORE_PROBLEM_WINDOW, AdwApplicationWindow)

/* Explains @error (from pk_store_open() on @path) in plain words and
 * offers what can be done: try again (a read-only disk made writable),
 * or, for a damaged file and only when the organizer presses the
 * button, move it aside and start a new database. Until then the file is
 * neither changed, moved nor deleted.
 *
 * Signal "opened" (PkStore *store): the database opened after all; the
 * caller shows the kiosk and closes this window. */
GtkWidget *pk_store_problem_window_new        (GtkApplication *application,
                                               const char     *path,
                                               const GError   *error);
/* What the buttons do, for tests. */
gboolean   pk_store_problem_window_retry      (PkStoreProblemWindow *self);
gboolean   pk_store_problem_window_move_aside (PkStoreProblemWindow *self);

G_END_DECLS
