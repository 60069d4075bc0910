/* pk-coordinator-window.h: verifying, merging and exporting batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PK_TYPE_COORDINATOR_WINDOW (pk_coordinator_window_get_type ())
G_DECLARE_FINAL_TYPE (PkCoordinatorWindow, pk_coordinator_window, PK, COORDINATOR_WINDOW, AdwApplicationWindow)

/* @master_path and @key_path may be NULL: the coordinator chooses them
 * in the window. */
PkCoordinatorWindow *pk_coordinator_window_new             (GtkApplication      *app,
                                                            const char          *master_path,
                                                            const char          *key_path);
void                 pk_coordinator_window_set_master      (PkCoordinatorWindow *self,
                                                            const char          *path);
void                 pk_coordinator_window_set_key         (PkCoordinatorWindow *self,
                                                            const char          *path);
/* Adds batch files (GFile) to the list and verifies them off the UI
 * thread, as dropping or opening them does. */
void                 pk_coordinator_window_add_files       (PkCoordinatorWindow *self,
                                                            GSList              *files);

G_END_DECLS
