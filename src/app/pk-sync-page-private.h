/* pk-sync-page-private.h: the Sync page's fields and the functions its
 * files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-sync-page.c runs the sync; pk-sync-page-counts.c reads and shows
 * its counts; pk-sync-page-token.c keeps the API token. The public header pk-sync-page.h is the contract
 * the rest of the program uses; what only the tests read is here too.
 */
#pragma once

#include "pk-store-sync.h"
#include "pk-sync-page.h"
#include "pk-sync.h"

G_BEGIN_DECLS

/* "1" once a coordinator, warned, chose to send signers without opt-in. */
#define SETTING_NO_OPT_IN  "sync-send-without-opt-in"

struct _PkSyncPage
{
  GtkWidget         parent_instance;

  PkStore          *store;
  PkPetition       *petition;
  char             *language;
  PkCoordinatorKey *coordinator_key;
  PkSyncer         *syncer;
  GCancellable     *cancellable;    /* of the keyring lookup and the run */
  gboolean          retry_failed;
  char             *retry_reason;   /* with retry_failed: only this reason (NULL: all) */
  gboolean          token_saved;
  guint64           n_failed;
  guint64           n_refused;
  guint64           n_unusable;
  guint64           n_no_opt_in;
  gboolean          disposed;       /* callbacks may outlive the widgets */
  gboolean          store_failed;   /* the error shown is the store's, from a refresh */
  gboolean          without_opt_in; /* SETTING_NO_OPT_IN as last read or written */
  GCancellable     *read_cancellable; /* of the counts being read in a thread */

  GtkWidget        *preferences_page;
  GtkWidget        *status_group;
  GtkWidget        *pending_row;
  GtkWidget        *pending_label;
  GtkWidget        *sent_row;
  GtkWidget        *sent_label;
  GtkWidget        *failed_row;
  GtkWidget        *failed_label;
  GtkWidget        *retry_refused_button;
  GtkWidget        *unusable_row;
  GtkWidget        *unusable_label;
  GtkWidget        *retry_unusable_reply_button;
  GtkWidget        *no_contact_row;
  GtkWidget        *no_contact_label;
  GtkWidget        *no_opt_in_row;
  GtkWidget        *no_opt_in_label;
  GtkWidget        *opt_in_switch;
  GtkWidget        *last_synced_row;
  GtkWidget        *last_synced_label;
  GtkWidget        *progress_bar;
  GtkWidget        *reading_box;
  GtkWidget        *reading_spinner;
  GtkWidget        *reading_label;
  GtkWidget        *error_label;
  GtkWidget        *reread_button;
  GtkWidget        *stop_button;
  GtkWidget        *retry_button;
  GtkWidget        *sync_button;
  GtkWidget        *failures_group;
  GtkWidget        *failures_label;
  GtkWidget        *server_group;
  GtkWidget        *endpoint_row;
  GtkWidget        *endpoint_error_row;
  GtkWidget        *token_row;
  GtkWidget        *token_status_row;
  GtkWidget        *forget_button;
};

/* The endpoint as typed, trimmed; NULL when empty. */
char *_pk_sync_page_get_endpoint      (PkSyncPage *self);
/* Shows @message under the buttons; NULL or "" hides it. */
void  _pk_sync_page_show_error        (PkSyncPage *self,
                                       const char *message);
/* What is wrong with the endpoint URL, under its field until it is
 * fixed; NULL clears it. */
void  _pk_sync_page_endpoint_error    (PkSyncPage *self,
                                       const char *message);
/* Enables the actions that fit what the page shows and does now. */
void  _pk_sync_page_update_actions    (PkSyncPage *self);
/* Ends a run (or a lookup that never started one). */
void  _pk_sync_page_run_finished      (PkSyncPage *self);
/* Starts the run with @token (NULL: none was found, which is said). */
void  _pk_sync_page_start_with_token  (PkSyncPage *self,
                                       char       *token);
void  _pk_sync_page_set_token_saved   (PkSyncPage *self,
                                       gboolean    saved);

/* For the tests: whether a run (or its token lookup) is under way. */
gboolean _pk_sync_page_get_running    (PkSyncPage *self);

/* In pk-sync-page-counts.c. */
/* Shows @counts, each signature in exactly one row. */
void     _pk_sync_page_show_counts    (PkSyncPage         *self,
                                       const PkSyncCounts *counts);
/* Whether the counts are being read (in a thread: a master on
 * PostgreSQL); the tests wait for the end of it. */
gboolean _pk_sync_page_get_reading    (PkSyncPage         *self);
/* Drops the reading under way: its result will not be shown. */
void     _pk_sync_page_cancel_read    (PkSyncPage         *self);
/* Says the page's strings about reading again (a language switch). */
void     _pk_sync_page_retranslate_reading (PkSyncPage    *self);

/* In pk-sync-page-token.c. */
void  _pk_sync_page_find_token        (PkSyncPage *self,
                                       const char *endpoint);
void  _pk_sync_page_check_saved_token (PkSyncPage *self);
/* The token row's "apply": saves the token typed for the endpoint. */
void  _pk_sync_page_token_apply       (PkSyncPage *self);
/* The action sync.forget-token. */
void  _pk_sync_page_forget_token      (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter);

G_END_DECLS
