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
/* TRUE while files are being verified, merged or exported. */
gboolean             pk_coordinator_window_is_busy         (PkCoordinatorWindow *self);
guint                pk_coordinator_window_get_n_files     (PkCoordinatorWindow *self);
/* The verification or merge result shown for file @index. */
const char          *pk_coordinator_window_get_file_status (PkCoordinatorWindow *self,
                                                            guint                index);
/* The master's report as last shown (pk_report_build), or NULL. */
JsonNode            *pk_coordinator_window_get_report      (PkCoordinatorWindow *self);
/* The Sync page (a PkSyncPage) for the master, on the window's Sync
 * tab; NULL while no master is open. */
GtkWidget           *pk_coordinator_window_get_sync_page   (PkCoordinatorWindow *self);
/* Shows the tab @name: "merge" or "sync". */
void                 pk_coordinator_window_show_page       (PkCoordinatorWindow *self,
                                                            const char          *name);

G_END_DECLS
