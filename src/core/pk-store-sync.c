/* pk-store-sync.c: each signature's OSDI sync state, kept in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table (created by a migration step in pk-store-schema.c):
 *   sync_state(uuid PRIMARY KEY, state 'sent'|'failed', remote_id,
 *              error, updated_at, reason)
 * keyed by the signature's UUID rather than its rowid, because the UUID
 * is what the server knows and what survives a merge into a master.
 * No row means pending, so a new signature needs no write here and a
 * crash can never leave a signature in an invented state.
 */
#define G_LOG_DOMAIN "pk-store-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "pk-crypto.h"
#include "pk-store-private.h"
#include "pk-store-sync.h"

#define SETTING_LAST_SYNCED "sync-last-synced-at"

void
pk_sync_item_free (PkSyncItem *item)
{
  if (item == NULL)
    return;
  g_free (item->petition_id);
  g_free (item->kiosk_name);
  g_free (item->event);
  g_clear_pointer (&item->sig, pk_signature_free);
  g_free (item);
}

void
pk_sync_outcome_free (PkSyncOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->uuid);
  g_free (outcome->remote_id);
  g_free (outcome->error);
  g_free (outcome->reason);
  g_free (outcome);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
count_rows (PkStore     *self,
            const char  *sql,
            const char  *petition_id,
            guint64     *out_n,
            GError     **error)
{
  sqlite3_stmt *stmt = pk_store_prepare (self, sql, _("counting the sync state"), error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, petition_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_n = (guint64) MAX (sqlite3_column_int64 (stmt, 0), 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("counting the sync state"), error);
  return TRUE;
}

/* The break-downs walk rows: failed ones by the state index, pending
 * ones without opt-in by the petition's signatures. Both are small
 * next to what a run sends, and are read once a run or a page view. */
static gboolean
count_by_reason (PkStore       *self,
                 const char    *petition_id,
                 PkSyncCounts  *counts,
                 GError       **error)
{
  return count_rows (self,
                     "SELECT COUNT(*) FROM signatures s "
                     "WHERE s.opt_in = 0 AND (?1 IS NULL OR s.petition_id = ?1) "
                     "  AND NOT EXISTS (SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid) "
                     "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                     petition_id, &counts->no_opt_in, error)
         && count_rows (self,
                        "SELECT COUNT(*) FROM sync_state ss JOIN signatures s ON s.uuid = ss.uuid "
                        "WHERE ss.state = 'failed' AND ss.reason = '" PK_SYNC_REASON_NO_CONTACT "' "
                        "  AND (?1 IS NULL OR s.petition_id = ?1) "
                        "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                        petition_id, &counts->no_contact, error)
         && count_rows (self,
                        "SELECT COUNT(*) FROM sync_state ss JOIN signatures s ON s.uuid = ss.uuid "
                        "WHERE ss.state = 'failed' AND ss.reason = '" PK_SYNC_REASON_UNUSABLE "' "
                        "  AND (?1 IS NULL OR s.petition_id = ?1) "
                        "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                        petition_id, &counts->unusable, error);
}

gboolean
pk_store_sync_counts (PkStore       *self,
                      const char    *petition_id,
                      PkSyncCounts  *out_counts,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  guint64 n = 0, duplicates = 0;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_counts != NULL, FALSE);

  memset (out_counts, 0, sizeof *out_counts);

  /* Both tables are trigger-maintained counters with one row per
   * petition (migration step 6 in pk-store-schema.c), so this never scans the
   * signatures, sync_state or merge_duplicates. On a master, a
   * duplicate signer's later signatures are kept for the record but
   * never sent: the person signed once. They leave the total, and their
   * sync state (if any) is not in sent or failed. */
  /* Two statements, not "?1 IS NULL OR c.petition_id = ?1", which
   * cannot use the primary key. */
  stmt = pk_store_prepare (self,
                           petition_id != NULL
                           ? "SELECT COALESCE(SUM(c.n), 0), COALESCE(SUM(sc.duplicates), 0), "
                    "       COALESCE(SUM(sc.sent), 0), COALESCE(SUM(sc.failed), 0) "
                    "FROM counts c LEFT JOIN sync_counts sc ON sc.petition_id = c.petition_id "
                    "WHERE c.petition_id = ?1"
                  : "SELECT COALESCE(SUM(c.n), 0), COALESCE(SUM(sc.duplicates), 0), "
                    "       COALESCE(SUM(sc.sent), 0), COALESCE(SUM(sc.failed), 0) "
                    "FROM counts c LEFT JOIN sync_counts sc ON sc.petition_id = c.petition_id",
                  _("counting the sync state"), error);
  if (stmt == NULL)
    return FALSE;
  if (petition_id != NULL)
    sqlite3_bind_text (stmt, 1, petition_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n = (guint64) MAX (sqlite3_column_int64 (stmt, 0), 0);
      duplicates = (guint64) MAX (sqlite3_column_int64 (stmt, 1), 0);
      out_counts->sent = (guint64) MAX (sqlite3_column_int64 (stmt, 2), 0);
      out_counts->failed = (guint64) MAX (sqlite3_column_int64 (stmt, 3), 0);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("counting the sync state"), error);
  out_counts->total = n > duplicates ? n - duplicates : 0;

  out_counts->pending = out_counts->total > out_counts->sent + out_counts->failed
                        ? out_counts->total - out_counts->sent - out_counts->failed
                        : 0;
  return count_by_reason (self, petition_id, out_counts, error);
}

/* Session keys met in one call, by sealed_keys id; NULL value = this
 * key could not be opened (and will not be tried again in this call). */
typedef struct {
  PkStore          *store;
  PkCoordinatorKey *coordinator_key;
  PkSessionKey     *own_key;
  gint64            own_key_id;
  GHashTable       *keys;
} KeyRing;

static PkSessionKey *
key_ring_lookup (KeyRing *ring,
                 gint64   key_id)
{
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  PkSessionKey *key = NULL;
  sqlite3_stmt *stmt;

  if (ring->own_key != NULL && key_id == ring->own_key_id)
    return ring->own_key;
  if (ring->coordinator_key == NULL)
    return NULL;
  if (g_hash_table_contains (ring->keys, &key_id))
    return g_hash_table_lookup (ring->keys, &key_id);

  stmt = pk_store_prepare (ring->store, "SELECT sealed FROM sealed_keys WHERE id = ?1",
                           _("reading a sealed key"), &error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, key_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    sealed = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);

  if (sealed != NULL)
    key = pk_session_key_unseal (sealed, ring->coordinator_key->public_key,
                                 ring->coordinator_key->secret_key, &error);
  if (key == NULL)
    g_debug ("sealed key %" G_GINT64_FORMAT " cannot be opened with this key", key_id);
  g_hash_table_insert (ring->keys, g_memdup2 (&key_id, sizeof key_id), key);
  return key;
}

static void
session_key_free0 (gpointer key)
{
  if (key != NULL)
    pk_session_key_free (key);
}

/* The item for the row @stmt is on, with what its columns say in the
 * clear; its details are still in the payload (column 10). */
static PkSyncItem *
pk_sync_item_from_row (sqlite3_stmt *stmt)
{
  PkSyncItem *item = g_new0 (PkSyncItem, 1);
  const char *source = (const char *) sqlite3_column_text (stmt, 5);
  PkSignature *sig;

  item->id = sqlite3_column_int64 (stmt, 0);
  item->petition_id = column_strdup (stmt, 2);
  item->kiosk_name = column_strdup (stmt, 12);
  item->event = column_strdup (stmt, 13);
  item->sig = sig = pk_signature_new ();
  sig->uuid = column_strdup (stmt, 1);
  sig->signed_at = sqlite3_column_int64 (stmt, 3);
  sig->lang = column_strdup (stmt, 4);
  sig->source = g_strcmp0 (source, "paper") == 0 ? PK_SOURCE_PAPER : PK_SOURCE_KIOSK;
  sig->consent_hash = column_strdup (stmt, 6);
  sig->consent = TRUE;
  sig->opt_in = sqlite3_column_int (stmt, 7) != 0;
  sig->sheet_serial = column_strdup (stmt, 8);
  sig->sheet_line = (guint) sqlite3_column_int64 (stmt, 9);
  return item;
}

GPtrArray *
pk_store_sync_next_pending (PkStore           *self,
                            const char        *petition_id,
                            const guint8      *own_coordinator_key,
                            gint64             after_id,
                            guint              limit,
                            PkCoordinatorKey  *coordinator_key,
                            gint64            *out_last_id,
                            guint             *out_unreadable,
                            GError           **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_sync_item_free);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                      g_free, session_key_free0);
  KeyRing ring = { self, coordinator_key, NULL, -1, keys };
  gint64 last_id = after_id;
  guint unreadable = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (own_coordinator_key != NULL)
    ring.own_key = pk_store_get_session_key (self, own_coordinator_key, &ring.own_key_id);

  /* NOT EXISTS on the sync_state primary key keeps this an index walk
   * from @after_id, however many rows were sent before. */
  stmt = pk_store_prepare (self,
                           "SELECT s.id, s.uuid, s.petition_id, s.signed_at, s.lang, s.source, "
                           "       s.consent_hash, s.opt_in, s.sheet_serial, s.sheet_line, "
                           "       s.payload, s.key_id, b.kiosk_name, b.event "
                           "FROM signatures s LEFT JOIN batches b ON b.id = s.batch_id "
                           "WHERE s.id > ?1 AND (?2 IS NULL OR s.petition_id = ?2) "
                           "  AND NOT EXISTS (SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid) "
                           "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid) "
                           "ORDER BY s.id LIMIT ?3",
                           _("reading the signatures to send"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  bind_text_or_null (stmt, 2, petition_id);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PkSyncItem) item = pk_sync_item_from_row (stmt);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) local_error = NULL;
      PkSignature *sig = item->sig;

      last_id = item->id;
      payload = g_bytes_new (sqlite3_column_blob (stmt, 10), (gsize) sqlite3_column_bytes (stmt, 10));

      if (sqlite3_column_type (stmt, 11) == SQLITE_NULL)
        plain = g_bytes_ref (payload);
      else
        {
          PkSessionKey *key = key_ring_lookup (&ring, sqlite3_column_int64 (stmt, 11));

          if (key != NULL)
            plain = pk_crypto_decrypt_payload (key, payload, sig->uuid, &local_error);
          if (plain == NULL)
            {
              /* Not ours to read: it stays pending for the coordinator. */
              unreadable++;
              continue;
            }
        }

      if (!pk_signature_deserialize (sig, plain, &local_error))
        {
          g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
                       _("The signature %s cannot be read: %s"), sig->uuid, local_error->message);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("reading the signatures to send"), error);
      return NULL;
    }

  if (out_last_id != NULL)
    *out_last_id = last_id;
  if (out_unreadable != NULL)
    *out_unreadable = unreadable;
  return g_steal_pointer (&items);
}

gboolean
pk_store_sync_record (PkStore    *self,
                      GPtrArray  *outcomes,
                      GError    **error)
{
  g_autofree char *now_text = NULL;
  gboolean any_sent = FALSE;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (outcomes != NULL, FALSE);

  if (outcomes->len == 0)
    return TRUE;
  if (!pk_store_begin (self, error))
    return FALSE;

  stmt = pk_store_prepare (self,
                           "INSERT INTO sync_state (uuid, state, remote_id, error, updated_at, reason) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT (uuid) DO UPDATE SET state = excluded.state, "
                           "  remote_id = excluded.remote_id, error = excluded.error, "
                           "  updated_at = excluded.updated_at, reason = excluded.reason",
                           _("saving the sync state"), error);
  if (stmt == NULL)
    {
      pk_store_rollback (self);
      return FALSE;
    }

  for (guint i = 0; i < outcomes->len; i++)
    {
      PkSyncOutcome *outcome = g_ptr_array_index (outcomes, i);
      int rc;

      g_return_val_if_fail (outcome->state == PK_SYNC_STATE_SENT
                            || outcome->state == PK_SYNC_STATE_FAILED, FALSE);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, outcome->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, outcome->state == PK_SYNC_STATE_SENT ? "sent" : "failed",
                         -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 3, outcome->remote_id);
      bind_text_or_null (stmt, 4, outcome->error);
      sqlite3_bind_int64 (stmt, 5, now);
      bind_text_or_null (stmt, 6, outcome->reason);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          pk_store_set_error_from_sqlite (self, rc, _("saving the sync state"), error);
          sqlite3_finalize (stmt);
          pk_store_rollback (self);
          return FALSE;
        }
      any_sent |= outcome->state == PK_SYNC_STATE_SENT;
    }
  sqlite3_finalize (stmt);

  now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  if (any_sent && !pk_store_set_setting_unlocked (self, SETTING_LAST_SYNCED, now_text, error))
    {
      pk_store_rollback (self);
      return FALSE;
    }
  if (!pk_store_commit (self, error))
    {
      pk_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
pk_store_sync_reset_failed (PkStore     *self,
                            const char  *petition_id,
                            const char  *reason,
                            guint64     *out_n,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  stmt = pk_store_prepare (self,
                           /* From the failed rows (state index) to each one's
                   * petition by the uuid index: no walk of a petition's
                   * signatures. */
                  "DELETE FROM sync_state WHERE state = 'failed' AND (?1 IS NULL OR "
                  "(SELECT s.petition_id FROM signatures s WHERE s.uuid = sync_state.uuid) = ?1) "
                  "AND (CASE WHEN ?2 IS NULL THEN COALESCE(reason, '" PK_SYNC_REASON_REFUSED "') "
                  "          IN ('" PK_SYNC_REASON_REFUSED "', '" PK_SYNC_REASON_UNUSABLE "') "
                  "     ELSE COALESCE(reason, '" PK_SYNC_REASON_REFUSED "') = ?2 END)",
                  _("resetting failed signatures"), error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, petition_id);
  bind_text_or_null (stmt, 2, reason);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("resetting failed signatures"), error);
  if (out_n != NULL)
    *out_n = (guint64) sqlite3_changes (pk_store_get_db (self));
  return TRUE;
}

GPtrArray *
pk_store_sync_list_failed (PkStore     *self,
                           const char  *petition_id,
                           guint        limit,
                           GError     **error)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_sync_outcome_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = pk_store_prepare (self,
                           "SELECT ss.uuid, ss.error, COALESCE(ss.reason, '" PK_SYNC_REASON_REFUSED "') "
                           "FROM sync_state ss "
                           "JOIN signatures s ON s.uuid = ss.uuid "
                           "WHERE ss.state = 'failed' AND (?1 IS NULL OR s.petition_id = ?1) "
                           "ORDER BY s.id LIMIT ?2",
                           _("listing failed signatures"), error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, petition_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PkSyncOutcome *outcome = g_new0 (PkSyncOutcome, 1);

      outcome->uuid = column_strdup (stmt, 0);
      outcome->state = PK_SYNC_STATE_FAILED;
      outcome->error = column_strdup (stmt, 1);
      outcome->reason = column_strdup (stmt, 2);
      g_ptr_array_add (failures, outcome);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("listing failed signatures"), error);
      return NULL;
    }
  return g_steal_pointer (&failures);
}

gint64
pk_store_sync_get_last_synced (PkStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), 0);

  value = pk_store_get_setting (self, SETTING_LAST_SYNCED);
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

GStrv
pk_store_sync_list_petitions (PkStore  *self,
                              GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = pk_store_prepare (self, "SELECT petition_id FROM counts WHERE n > 0 ORDER BY petition_id",
                           _("listing petitions"), error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("listing petitions"), error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}
