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
#include "pk-signer-key.h"

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

/* merge_signers holds a 16-byte BLAKE2b of the signer key, not the key:
 * a short, evenly spread index, and no second copy of each email. */
#define PK_MERGE_SIGNER_KEY_BYTES 16

/* A batch file being read on a second thread (pk-merge-ahead.c). */
typedef struct _PkMergeAhead PkMergeAhead;

/* A row ready to go into the master (pk-merge-rows.c). */
typedef struct {
  PkBatchRow    row;
  /* The details, decrypted; NULL for a row kept sealed, whose
   * row.payload is then the sealed one. */
  GBytes       *plain;
  /* Whether the details name a signer, by which rule, and the hash of
   * their signer key (pk_signer_key()). */
  gboolean      has_signer;
  PkSignerRule  rule;
  guint8        signer_hash[PK_MERGE_SIGNER_KEY_BYTES];
} PkMergeRow;

/* A batch file's reader and its rows, made ready ahead or as they are
 * asked for (pk-merge-rows.c). */
typedef struct _PkMergeRows PkMergeRows;

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

/* Stores one row whose details are plain (@row->plain) and files its
 * signer among the duplicates. */
gboolean _pk_merge_insert_row  (PkMerge           *self,
                                const char        *petition_id,
                                gint64             batch_id,
                                const PkMergeRow  *row,
                                PkMergeResult     *result,
                                GError           **error);

void           _pk_merge_row_clear            (PkMergeRow        *row);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkMergeRow, _pk_merge_row_clear)

/* Reads @row->plain's signer: PK_BATCH_ERROR_INVALID when the details
 * are malformed. */
gboolean       _pk_merge_row_read_signer      (PkMergeRow        *row,
                                               GError           **error);
/* Takes @reader; @key (may be NULL) must outlive the rows. */
PkMergeRows   *_pk_merge_rows_new             (PkBatchReader     *reader,
                                               PkCoordinatorKey  *key);
PkBatchReader *_pk_merge_rows_get_reader      (PkMergeRows       *self);
/* Makes rows ready ahead, on the thread that read the file. */
void           _pk_merge_rows_read_ahead      (PkMergeRows       *self);
/* The next row, in the reader's order: FALSE at the end (@error unset)
 * or with the row's error. *@out is valid until the next call. */
gboolean       _pk_merge_rows_next            (PkMergeRows       *self,
                                               const PkMergeRow **out,
                                               GError           **error);
/* Whether the rows read so far were all sealed to other coordinators. */
gboolean       _pk_merge_rows_any_foreign_only (PkMergeRows      *self);
/* From the first row again, each made ready as it is asked for. */
void           _pk_merge_rows_rewind          (PkMergeRows       *self);
void           _pk_merge_rows_free            (PkMergeRows       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkMergeRows, _pk_merge_rows_free)

/* Starts opening @path with pk_batch_reader_open() on a new thread,
 * and making its rows ready with @key (may be NULL); NULL when no
 * thread could be made. */
PkMergeAhead  *_pk_merge_ahead_start  (const char        *path,
                                       PkCoordinatorKey  *key);
gboolean       _pk_merge_ahead_is_for (PkMergeAhead      *self,
                                       const char        *path);
/* Waits for the thread and frees @self: the file's rows, or NULL with
 * the error pk_batch_reader_open() gave. */
PkMergeRows   *_pk_merge_ahead_finish (PkMergeAhead      *self,
                                       GError           **error);

G_END_DECLS
