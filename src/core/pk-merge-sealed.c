/* pk-merge-sealed.c: the master's rows kept sealed to another key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch that mixes coordinator keys leaves rows this coordinator
 * cannot read; the merge keeps them as they came (merge_sealed). Here
 * `merge --key` with the right coordinator's key opens them into the
 * master's signatures, and the coordinator sees how many wait, per key.
 */
#define G_LOG_DOMAIN "pk-merge"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-merge-private.h"
#include "pk-store-private.h"

/* Opens one kept row, the current one of @stmt (the columns of
 * pk_merge_open_sealed_unlocked()'s query), with the merge's key, if it
 * is sealed to it, and moves it into the master's signatures. The row
 * is copied first: on PostgreSQL, the connection runs one statement at
 * a time, so @stmt is reset before anything is written. */
static gboolean
pk_merge_open_one (PkMerge        *self,
                   PkDbStmt       *stmt,
                   PkMergeResult  *result,
                   GError        **error)
{
  gsize sealed_length = 0;
  gsize stored_length = 0;
  const guint8 *sealed_data = pk_db_column_blob (stmt, 10, &sealed_length);
  const guint8 *stored_data = pk_db_column_blob (stmt, 11, &stored_length);
  g_autoptr(GBytes) sealed = g_bytes_new (sealed_data, sealed_length);
  g_autoptr(GBytes) stored = g_bytes_new (stored_data, stored_length);
  g_autofree char *uuid = g_strdup (pk_db_column_text (stmt, 0));
  g_autofree char *petition_id = g_strdup (pk_db_column_text (stmt, 1));
  g_autofree char *source = g_strdup (pk_db_column_text (stmt, 4));
  g_autofree char *lang = g_strdup (pk_db_column_text (stmt, 5));
  g_autofree char *consent_hash = g_strdup (pk_db_column_text (stmt, 6));
  g_autofree char *sheet_serial = g_strdup (pk_db_column_text (stmt, 8));
  g_autofree char *sensitive_consent_hash = g_strdup (pk_db_column_text (stmt, 12));
  gint64 batch_id = pk_db_column_int64 (stmt, 2);
  g_autoptr(PkSessionKey) key = NULL;
  g_autoptr(PkDbStmt) remove = NULL;
  g_auto(PkMergeRow) ready = { 0 };
  PkBatchRow row = {
    .uuid = uuid,
    .signed_at = pk_db_column_int64 (stmt, 3),
    .source = source,
    .lang = lang,
    .consent_hash = consent_hash,
    .opt_in = pk_db_column_int64 (stmt, 7) != 0,
    .sheet_serial = sheet_serial,
    .sheet_line = pk_db_column_int64 (stmt, 9),
    .sensitive_consent_hash = sensitive_consent_hash,
  };

  pk_db_reset (stmt);
  key = pk_session_key_unseal (sealed, self->key->public_key, self->key->secret_key, NULL);
  if (key == NULL)
    return TRUE;
  ready.row = row;
  ready.plain = pk_crypto_decrypt_payload (key, stored, row.uuid, NULL);
  if (ready.plain == NULL)
    {
      g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY,
                           _("A row could not be decrypted with the coordinator's key"));
      return FALSE;
    }
  if (!_pk_merge_row_read_signer (&ready, error)
      || !_pk_merge_insert_row (self, petition_id, batch_id, &ready, result, error))
    return FALSE;
  remove = pk_db_prepare (self->conn, "DELETE FROM merge_sealed WHERE uuid = ?1",
                          _("merging into the master database"), error);
  if (remove == NULL)
    return FALSE;
  pk_db_bind_text (remove, 1, uuid);
  return pk_db_step (remove, error) == PK_DB_STEP_DONE;
}

/* The kept rows are visited one query each, in uuid order, after the
 * last one visited: the rows opened leave the table as they go. */
static gboolean
pk_merge_open_sealed_unlocked (PkMerge        *self,
                               PkMergeResult  *result,
                               GError        **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autofree char *after = g_strdup ("");

  stmt = pk_db_prepare (self->conn,
                        "SELECT uuid, petition_id, batch_id, signed_at, source, lang, consent_hash,"
                        " opt_in, sheet_serial, sheet_line, sealed_key, payload, sensitive_consent_hash FROM merge_sealed"
                        " WHERE (coordinator_key IS NULL OR coordinator_key = ?1) AND uuid > ?2 ORDER BY uuid LIMIT 1",
                        _("merging into the master database"), error);
  if (stmt == NULL)
    return FALSE;
  pk_db_bind_blob (stmt, 1, self->key->public_key, PK_COORDINATOR_KEY_BYTES);
  for (;;)
    {
      PkDbStep step;

      pk_db_bind_text (stmt, 2, after);
      step = pk_db_step (stmt, error);
      if (step != PK_DB_STEP_ROW)
        return step == PK_DB_STEP_DONE;
      g_free (after);
      after = g_strdup (pk_db_column_text (stmt, 0));
      if (!pk_merge_open_one (self, stmt, result, error))
        return FALSE;
    }
}

gboolean
pk_merge_open_sealed (PkMerge        *self,
                      PkMergeResult  *result,
                      GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  result->outcome = PK_MERGE_ADDED;
  if (self->key == NULL)
    return TRUE;

  if (!_pk_merge_begin (self, error))
    return FALSE;
  if (!pk_merge_open_sealed_unlocked (self, result, error)
      || !_pk_merge_commit (self, error))
    {
      pk_db_rollback (self->conn);
      _pk_merge_end (self);
      memset (result, 0, sizeof *result);
      return FALSE;
    }
  _pk_merge_end (self);
  return TRUE;
}

void
pk_merge_sealed_count_free (PkMergeSealedCount *count)
{
  g_free (count->fingerprint);
  g_free (count);
}

GPtrArray *
pk_merge_count_sealed (PkStore  *master,
                       GError  **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_merge_sealed_count_free);
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  /* The master's own failure: a store error, never a batch's (pk-db.h).
   * NULLS FIRST, as SQLite sorts them and PostgreSQL does not. */
  stmt = pk_db_prepare (pk_store_get_conn (master),
                        "SELECT coordinator_key, CAST (count(*) AS BIGINT) FROM merge_sealed"
                        " GROUP BY coordinator_key ORDER BY coordinator_key NULLS FIRST",
                        _("counting the rows kept sealed"), error);
  if (stmt == NULL)
    return NULL;
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      PkMergeSealedCount *count = g_new0 (PkMergeSealedCount, 1);
      gsize length = 0;
      const guint8 *key = pk_db_column_blob (stmt, 0, &length);

      if (length == PK_COORDINATOR_KEY_BYTES)
        count->fingerprint = pk_key_fingerprint (key);
      count->rows = pk_db_column_int64 (stmt, 1);
      g_ptr_array_add (counts, count);
    }
  if (step == PK_DB_STEP_ERROR)
    return NULL;
  return g_steal_pointer (&counts);
}
