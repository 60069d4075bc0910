/* pk-merge.h: merging verified batch files into a coordinator's master
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The master is an ordinary PkStore whose rows came from batches, kept
 * in plain form after decryption. Merging is whole-batch-or-nothing,
 * idempotent and order-independent (docs/batch-format.md, "Merging").
 */
#pragma once

#include <glib.h>

#include "pk-batch.h"
#include "pk-keys.h"
#include "pk-store.h"

G_BEGIN_DECLS

typedef enum {
  PK_MERGE_ADDED,     /* the batch went in */
  PK_MERGE_ALREADY,   /* this batch was merged before; nothing changed */
  PK_MERGE_REJECTED,  /* nothing from the file went in; recorded */
  PK_MERGE_FAILED,    /* the master could not be written (a PK_STORE_ERROR),
                       * or the file could not be read for a reason of the
                       * machine's (a G_IO_ERROR); nothing went in,
                       * nothing recorded */
} PkMergeOutcome;

typedef struct {
  PkMergeOutcome outcome;
  gint64         added;       /* rows new to the master, counting duplicates */
  gint64         duplicates;  /* of those, signers already there */
  gint64         present;     /* rows whose uuid the master already had */
  gint64         sheet_counts;    /* paper sheets counted only, in the batch */
  gint64         sheet_conflicts; /* of those, sheets another batch counted too */
  gint64         paper_lines_twice; /* paper lines added that another batch holds too */
  gint64         sealed;      /* rows of a mixed batch kept sealed for another coordinator */
} PkMergeResult;

/* Called from the merging thread after every few rows. */
typedef void (*PkMergeProgress) (gint64   rows_done,
                                 gint64   rows_total,
                                 gpointer user_data);

typedef struct _PkMerge PkMerge;

/* Prepares merging into @master. @key decrypts encrypted batches (a
 * batch needing it when it is NULL is rejected); @trust, when not NULL,
 * limits the kiosks accepted; @petition_id, when not NULL, the
 * petition. */
PkMerge  *pk_merge_new          (PkStore           *master,
                                 PkCoordinatorKey  *key,
                                 PkTrustList       *trust,
                                 const char        *petition_id,
                                 GError           **error);
void      pk_merge_set_progress (PkMerge           *self,
                                 PkMergeProgress    progress,
                                 gpointer           user_data);
/* Merges one file. A rejected file returns FALSE with @error (a
 * PK_BATCH_ERROR: pk_batch_error_reason() names why) and is recorded in
 * the master's rejected files. When the master cannot be written, it
 * returns FALSE with a PK_STORE_ERROR and records nothing. */
gboolean  pk_merge_file         (PkMerge           *self,
                                 const char        *path,
                                 PkMergeResult     *result,
                                 GError           **error);
/* Said of each file pk_merge_files() merged, as pk_merge_file() would
 * have returned it (@error NULL when it went in or was merged before),
 * once that is on disk; FALSE stops the merge there. */
typedef gboolean (*PkMergeFileDone) (const char          *path,
                                     const PkMergeResult *result,
                                     const GError        *error,
                                     gpointer             user_data);

/* What `merge` gives pk_merge_files() as @group_rows: one COMMIT writes
 * the pages of the indexes keyed by random values (uuids, signer hashes)
 * once for the files of a transaction, where a COMMIT per file wrote
 * most of them again each time. */
#define PK_MERGE_GROUP_ROWS 100000

/* Merges @paths in their order, each as pk_merge_file() would, reading
 * the next one ahead meanwhile, and calls @done for each, in order. On
 * a SQLite master, files go in together, several in one transaction,
 * committed once its files hold @group_rows rows or after a second:
 * @done is called for them only once their COMMIT is on disk, so that
 * nothing is said merged that a crash could still undo. */
void      pk_merge_files        (PkMerge            *self,
                                 const char * const *paths,
                                 guint               n_paths,
                                 gint64              group_rows,
                                 PkMergeFileDone     done,
                                 gpointer            user_data);
/* Starts reading and verifying @path, and decrypting its rows and
 * reading their signers, on a second thread, for a later
 * pk_merge_file() of @path: call it before merging the file before, so
 * that the two overlap. It writes nothing and reports nothing; that
 * pk_merge_file() reports the file as if it had read it itself. Files
 * read ahead and never merged are dropped when a later one is merged,
 * or by pk_merge_free(). */
void      pk_merge_read_ahead   (PkMerge           *self,
                                 const char        *path);
void      pk_merge_free         (PkMerge           *self);

/* Imports the rows kept sealed from mixed batches (merge_sealed, store
 * step 9) that the merge's key opens, in one transaction, deduplicated
 * like any other row; the others stay. Without a key, does nothing.
 * @result counts what was added, as for a file. */
gboolean  pk_merge_open_sealed  (PkMerge           *self,
                                 PkMergeResult     *result,
                                 GError           **error);

/* Rows kept sealed in a master, by the coordinator key they are sealed
 * to. */
typedef struct {
  char   *fingerprint;  /* NULL: the batch did not name the key */
  gint64  rows;
} PkMergeSealedCount;

void       pk_merge_sealed_count_free (PkMergeSealedCount *count);
/* The PkMergeSealedCount of every key, in the order of their keys. */
GPtrArray *pk_merge_count_sealed      (PkStore            *master,
                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkMerge, pk_merge_free)

G_END_DECLS
