/* pk-coordinator-window-private.h: what the coordinator window's files
 * share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-coordinator-window.c builds the window, its list of batch files
 * and its choosers; pk-coordinator-window-merge.c verifies and merges
 * them and reads the totals; pk-coordinator-window-export.c exports
 * the master.
 */
#pragma once

#include "pk-batch-file.h"
#include "pk-coordinator-window.h"
#include "pk-export.h"
#include "pk-keys.h"
#include "pk-store.h"
#include "pk-totals-page.h"

G_BEGIN_DECLS

struct _PkCoordinatorWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkButton            *open_button;
  GtkButton            *merge_button;
  GtkMenuButton        *export_button;
  AdwViewStackPage     *merge_stack_page;
  AdwViewStackPage     *totals_stack_page;
  AdwViewStackPage     *sync_stack_page;
  AdwPreferencesGroup  *master_group;
  AdwActionRow         *master_row;
  GtkButton            *kiosk_keys_button;
  GtkButton            *master_choose_button;
  AdwActionRow         *key_row;
  GtkButton            *key_choose_button;
  AdwStatusPage        *empty_status;
  AdwStatusPage        *no_problems_status;
  GtkLabel             *summary_label;
  GtkToggleButton      *problems_button;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkStack             *list_stack;
  GtkListView          *file_view;
  PkTotalsPage         *totals_page;
  AdwViewStack         *view_stack;
  GtkBox               *sync_box;
  GtkWidget            *sync_placeholder;

  char                 *master_path;
  char                 *key_path;
  PkCoordinatorKey     *key;
  /* The master on the main thread, for the Sync page and the kiosk
   * keys, opened by the first job on it (the totals'). Background jobs
   * open their own connections; SQLite's WAL lets this one see what
   * they commit, and on PostgreSQL each statement sees what was
   * committed before it. */
  PkStore              *master;
  GtkWidget            *sync_page;
  GListStore           *files;          /* PkBatchFile, in the order opened */
  GHashTable           *files_by_path;  /* path → PkBatchFile in @files */
  GtkFilterListModel   *shown_files;    /* @files, or only the problems */
  GtkFilter            *problems_filter;
  JsonNode             *report;
  GtkNativeDialog      *chooser;
  AdwToast             *toast;          /* the one shown, until dismissed */
  PkExportFormat        export_format;  /* of the export chooser shown */
  guint                 busy;
};

void _pk_coordinator_window_set_busy        (PkCoordinatorWindow *self,
                                             gboolean             busy);
/* Shows @toast (taking it) in place of the one shown before, which is
 * older news: results would otherwise wait in line behind it. */
void _pk_coordinator_window_show_toast      (PkCoordinatorWindow *self,
                                             AdwToast            *toast);
/* Shows a short message as a toast; errors stay until dismissed.
 * Returns the toast shown (owned by the window), for a button. */
AdwToast *_pk_coordinator_window_toast      (PkCoordinatorWindow *self,
                                             const char          *message,
                                             gboolean             is_error);
/* Shows @message under the summary (NULL hides it). */
void _pk_coordinator_window_set_status      (PkCoordinatorWindow *self,
                                             const char          *message);
/* @master, opened by the totals' job, becomes the window's master on
 * the main thread, with a new Sync page for it. */
void _pk_coordinator_window_set_opened_master (PkCoordinatorWindow *self,
                                               PkStore             *master);
/* The files' states have changed: summary, filter and actions follow. */
void _pk_coordinator_window_files_changed   (PkCoordinatorWindow *self);
/* Sets the result of the file at @path, if it is in the list. */
void _pk_coordinator_window_set_file_result (PkCoordinatorWindow *self,
                                             const char          *path,
                                             PkBatchFileState     state,
                                             const char          *status);

/* pk-coordinator-window-merge.c */
void _pk_coordinator_window_verify_pending  (PkCoordinatorWindow *self);
/* Opens the master off the UI thread and shows its totals; the store
 * it opened becomes the window's master. */
void _pk_coordinator_window_refresh_report  (PkCoordinatorWindow *self);
void _pk_coordinator_window_merge           (GtkWidget           *widget,
                                             const char          *action_name,
                                             GVariant            *parameter);
PkStore *_pk_coordinator_window_open_master (const char          *path,
                                             GError             **error);

/* pk-coordinator-window-export.c */
void _pk_coordinator_window_export          (GtkWidget           *widget,
                                             const char          *action_name,
                                             GVariant            *parameter);
void _pk_coordinator_window_open_folder     (GtkWidget           *widget,
                                             const char          *action_name,
                                             GVariant            *parameter);

/* For the tests only: what a test reads or does that no user
 * interface needs. */
/* The verification or merge result shown for file @index. */
const char          *_pk_coordinator_window_get_file_status (PkCoordinatorWindow *self,
                                                            guint                index);

guint                _pk_coordinator_window_get_n_files     (PkCoordinatorWindow *self);

/* The master's report as last shown (pk_report_build), or NULL. */
JsonNode            *_pk_coordinator_window_get_report      (PkCoordinatorWindow *self);

/* The Sync page (a PkSyncPage) for the master, on the window's Sync
 * tab; NULL while no master is open. */
GtkWidget           *_pk_coordinator_window_get_sync_page   (PkCoordinatorWindow *self);

/* TRUE while files are being verified, merged or exported. */
gboolean             _pk_coordinator_window_is_busy         (PkCoordinatorWindow *self);

/* Shows the tab @name: "merge" or "sync". */
void                 _pk_coordinator_window_show_page       (PkCoordinatorWindow *self,
                                                            const char          *name);

G_END_DECLS
