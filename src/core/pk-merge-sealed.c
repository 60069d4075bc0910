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

/* Opens one kept row with the merge's key, if it is sealed to it, and
 * moves it into the master's signatures. */
static gboolean
pk_merge_open_one (PkMerge        *self,
                   sqlite3_stmt   *stmt,
                   gboolean       *out_opened,
                   PkMergeResult  *result,
                   GError        **error)
{
  g_autoptr(GBytes) sealed = g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10));
  g_autoptr(GBytes) stored = g_bytes_new (sqlite3_column_blob (stmt, 11), sqlite3_column_bytes (stmt, 11));
  g_autoptr(PkSessionKey) key = NULL;
  g_autoptr(GBytes) plain = NULL;
  PkBatchRow row = {
    .uuid = (const char *) sqlite3_column_text (stmt, 0),
    .signed_at = sqlite3_column_int64 (stmt, 3),
    .source = (const char *) sqlite3_column_text (stmt, 4),
    .lang = (const char *) sqlite3_column_text (stmt, 5),
    .consent_hash = (const char *) sqlite3_column_text (stmt, 6),
    .opt_in = sqlite3_column_int (stmt, 7) != 0,
    .sheet_serial = (const char *) sqlite3_column_text (stmt, 8),
    .sheet_line = sqlite3_column_int64 (stmt, 9),
    .sensitive_consent_hash = (const char *) sqlite3_column_text (stmt, 12),
  };

  *out_opened = FALSE;
  key = pk_session_key_unseal (sealed, self->key->public_key, self->key->secret_key, NULL);
  if (key == NULL)
    return TRUE;
  plain = pk_crypto_decrypt_payload (key, stored, row.uuid, NULL);
  if (plain == NULL)
    {
      g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY,
                           _("A row could not be decrypted with the coordinator's key"));
      return FALSE;
    }
  *out_opened = TRUE;
  return _pk_merge_insert_row (self, (const char *) sqlite3_column_text (stmt, 1),
                               sqlite3_column_int64 (stmt, 2), &row, plain, result, error);
}

static gboolean
pk_merge_open_sealed_unlocked (PkMerge        *self,
                               PkMergeResult  *result,
                               GError        **error)
{
  g_autoptr(GPtrArray) opened = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT uuid, petition_id, batch_id, signed_at, source, lang, consent_hash,"
                          " opt_in, sheet_serial, sheet_line, sealed_key, payload, sensitive_consent_hash FROM merge_sealed"
                          " WHERE coordinator_key IS NULL OR coordinator_key = ?1 ORDER BY uuid",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _pk_merge_sqlite_fail (self, error);
  sqlite3_bind_blob (stmt, 1, self->key->public_key, PK_COORDINATOR_KEY_BYTES, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean was_opened = FALSE;

      if (!pk_merge_open_one (self, stmt, &was_opened, result, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (was_opened)
        g_ptr_array_add (opened, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _pk_merge_sqlite_fail (self, error);

  for (guint i = 0; i < opened->len; i++)
    {
      sqlite3_stmt *remove = NULL;

      if (sqlite3_prepare_v2 (self->db, "DELETE FROM merge_sealed WHERE uuid = ?1", -1, &remove, NULL) != SQLITE_OK)
        return _pk_merge_sqlite_fail (self, error);
      sqlite3_bind_text (remove, 1, opened->pdata[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (remove);
      sqlite3_finalize (remove);
      if (rc != SQLITE_DONE)
        return _pk_merge_sqlite_fail (self, error);
    }
  return TRUE;
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

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
    {
      /* The cause first: the rollback would replace it. */
      _pk_merge_sqlite_fail (self, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!pk_merge_open_sealed_unlocked (self, result, error)
      || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      if (error != NULL && *error == NULL)
        _pk_merge_sqlite_fail (self, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      memset (result, 0, sizeof *result);
      return FALSE;
    }
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
  sqlite3 *db = pk_store_get_db (master);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  if (sqlite3_prepare_v2 (db, "SELECT coordinator_key, count(*) FROM merge_sealed"
                          " GROUP BY coordinator_key ORDER BY coordinator_key", -1, &stmt, NULL) != SQLITE_OK)
    {
      /* The master's own failure: a store error, never a batch's. */
      pk_store_set_error_from_sqlite (master, sqlite3_extended_errcode (db), _("counting the rows kept sealed"),
                                      error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PkMergeSealedCount *count = g_new0 (PkMergeSealedCount, 1);

      if (sqlite3_column_bytes (stmt, 0) == PK_COORDINATOR_KEY_BYTES)
        count->fingerprint = pk_key_fingerprint (sqlite3_column_blob (stmt, 0));
      count->rows = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (counts, count);
    }
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (master, sqlite3_extended_errcode (db), _("counting the rows kept sealed"),
                                      error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&counts);
}
