/* pk-batch-file-row.h: a batch file's row in the merge screen's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-batch-file.h"

G_BEGIN_DECLS

#define PK_TYPE_BATCH_FILE_ROW (pk_batch_file_row_get_type ())
G_DECLARE_FINAL_TYPE (PkBatchFileRow, pk_batch_file_row, PK, BATCH_FILE_ROW, GtkWidget)

/* Shows @file (may be NULL) and follows its changes. */
void         pk_batch_file_row_set_file (PkBatchFileRow *self,
                                         PkBatchFile    *file);
PkBatchFile *pk_batch_file_row_get_file (PkBatchFileRow *self);

G_END_DECLS
