/* pk-merge-private.h: what the merge's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-merge.c merges batch files into the master; pk-merge-sealed.c
 * opens the rows kept sealed to another coordinator's key, and counts
 * them.
 */
#pragma once

#include "pk-db.h"
#include "pk-merge.h"
#include "pk-merge-trust.h"

G_BEGIN_DECLS

/* The merge's prepared statements, one each (pk_merge_sql[]). */
enum {
  STMT_BATCH_EXISTS,
  STMT_INSERT_BATCH,
  STMT_INSERT_IMPORT,
  STMT_INSERT_SIGNATURE,
  STMT_SIGNER_GET,
  STMT_SIGNER_INSERT,
  STMT_SIGNER_UPDATE,
  STMT_DUPLICATE_REPOINT,
  STMT_DUPLICATE_INSERT,
  STMT_REJECT,
  STMT_UUID_EXISTS,
  STMT_SHEET_COUNT_ADD,
  STMT_SHEET_COUNT_KEEP,
  STMT_SHEET_COUNT_OTHERS,
  STMT_PAPER_LINE_COPIES,
  STMT_KEEP_SEALED,
  STMT_COUNT_BATCH,
  STMT_SYNC_COUNT_BATCH,
  STMT_SYNC_COUNT_DEMOTED,
  N_STMTS
};

/* A batch file being read on a second thread (pk-merge-ahead.c). */
typedef struct _PkMergeAhead PkMergeAhead;

struct _PkMerge {
  PkStore          *master;
  /* The master's connection, on either backend; owned by @master. */
  PkDb             *conn;
  /* STMT_COUNT_BATCH and STMT_SYNC_COUNT_* stay NULL on PostgreSQL,
   * where counts and sync_counts are views of the rows (pk-store-pg.c)
   * and nobody keeps them. */
  PkDbStmt         *stmts[N_STMTS];
  PkCoordinatorKey *key;
  PkTrustList      *trust;
  char             *petition_id;
  /* merge_imports.merged_by: "user@host". */
  char             *merged_by;
  PkMergeProgress   progress;
  gpointer          progress_data;
  /* The batch going in, whose counts pk_merge_count_batch() adds once
   * the rows are in (the count triggers are dropped meanwhile); 0 when
   * the triggers count, as while opening sealed rows, and on PostgreSQL. */
  gint64            counting_batch;
  /* Of PkMergeAhead, in the order they were asked for. */
  GQueue            ahead;
};

/* Begins the transaction one batch (or the rows kept sealed) goes in
 * with: see pk-merge.c. */
gboolean _pk_merge_begin       (PkMerge  *self,
                                GError  **error);
gboolean _pk_merge_commit      (PkMerge  *self,
                                GError  **error);
/* After a transaction _pk_merge_begin() began ended, committed or
 * rolled back: lets the next coordinator's batch in. */
void     _pk_merge_end         (PkMerge  *self);

/* Stores one row whose details are plain and files its signer among the
 * duplicates. */
gboolean _pk_merge_insert_row  (PkMerge           *self,
                                const char        *petition_id,
                                gint64             batch_id,
                                const PkBatchRow  *row,
                                GBytes            *plain,
                                PkMergeResult     *result,
                                GError           **error);

/* Starts opening @path with pk_batch_reader_open() on a new thread;
 * NULL when no thread could be made. */
PkMergeAhead  *_pk_merge_ahead_start  (const char    *path);
gboolean       _pk_merge_ahead_is_for (PkMergeAhead  *self,
                                       const char    *path);
/* Waits for the thread and frees @self: its reader, or NULL with the
 * error pk_batch_reader_open() gave. */
PkBatchReader *_pk_merge_ahead_finish (PkMergeAhead  *self,
                                       GError       **error);

G_END_DECLS
