/* pk-batch-file.h: one batch file on the coordinator's merge screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  PK_BATCH_FILE_CHECKING,  /* waiting for or under verification */
  PK_BATCH_FILE_READY,     /* authentic and intact: can be merged */
  PK_BATCH_FILE_PROBLEM,   /* failed verification or refused by the merge */
  PK_BATCH_FILE_MERGED,    /* in the master (now or before) */
  PK_BATCH_FILE_UNCHECKED, /* not checked or not merged for the machine's
                            * fault (out of memory, a read error, the
                            * master not writable): no verdict on the
                            * file, which Merge tries again */
} PkBatchFileState;

#define PK_TYPE_BATCH_FILE_STATE (pk_batch_file_state_get_type ())
GType pk_batch_file_state_get_type (void);

#define PK_TYPE_BATCH_FILE (pk_batch_file_get_type ())
G_DECLARE_FINAL_TYPE (PkBatchFile, pk_batch_file, PK, BATCH_FILE, GObject)

/* A file at @path, in the state "checking". */
PkBatchFile      *pk_batch_file_new        (const char       *path);
const char       *pk_batch_file_get_path   (PkBatchFile      *self);
/* The file's name for display (its basename). */
const char       *pk_batch_file_get_name   (PkBatchFile      *self);
PkBatchFileState  pk_batch_file_get_state  (PkBatchFile      *self);
/* A sentence on what verifying or merging found, for the coordinator. */
const char       *pk_batch_file_get_status (PkBatchFile      *self);
void              pk_batch_file_set_result (PkBatchFile      *self,
                                            PkBatchFileState  state,
                                            const char       *status);

G_END_DECLS
