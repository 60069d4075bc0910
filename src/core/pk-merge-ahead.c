/* pk-merge-ahead.c: reading and verifying the next batch file on a
 * second thread while the merge writes the one before
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a file (its image, quick_check, digest, Ed25519) and making
 * its rows ready (decrypting them, reading their signers:
 * pk-merge-rows.c) need no master, so they overlap the master's writes
 * on a second core. The thread opens a PkBatchReader, makes the rows
 * ready and hands them over when it is joined; the master's connection stays on the merging thread, and
 * pk_merge_file() reports a file that fails exactly as if it had read it
 * itself.
 */
#define G_LOG_DOMAIN "pk-merge"

#include "config.h"

#include "pk-merge-private.h"

struct _PkMergeAhead {
  char             *path;
  PkCoordinatorKey *key;
  GThread          *thread;
  /* Written by the thread, read once it is joined. */
  PkMergeRows      *rows;
  GError           *error;
};

static gpointer
pk_merge_ahead_run (gpointer data)
{
  PkMergeAhead *self = data;
  PkBatchReader *reader = pk_batch_reader_open (self->path, &self->error);

  if (reader != NULL)
    {
      self->rows = _pk_merge_rows_new (reader, self->key);
      _pk_merge_rows_read_ahead (self->rows);
    }
  return NULL;
}

PkMergeAhead *
_pk_merge_ahead_start (const char       *path,
                       PkCoordinatorKey *key)
{
  PkMergeAhead *self = g_new0 (PkMergeAhead, 1);

  self->path = g_strdup (path);
  self->key = key;
  /* Without a thread (at a process's thread limit, say) the file is
   * read when it is merged, as it always was. */
  self->thread = g_thread_try_new ("pk-merge-ahead", pk_merge_ahead_run, self, NULL);
  if (self->thread == NULL)
    {
      g_free (self->path);
      g_free (self);
      return NULL;
    }
  return self;
}

gboolean
_pk_merge_ahead_is_for (PkMergeAhead *self,
                        const char   *path)
{
  return g_strcmp0 (self->path, path) == 0;
}

PkMergeRows *
_pk_merge_ahead_finish (PkMergeAhead  *self,
                        GError       **error)
{
  PkMergeRows *rows;

  g_thread_join (self->thread);
  rows = self->rows;
  if (rows == NULL)
    g_propagate_error (error, self->error);
  else
    g_clear_error (&self->error);
  g_free (self->path);
  g_free (self);
  return rows;
}
