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

/* In the SQL below, "CAST (?1 AS TEXT) IS NULL" rather than "?1 IS
 * NULL": PostgreSQL must know each parameter's type when it prepares a
 * statement, and a bare test for NULL does not say it. */
static void
bind_text_or_null (PkDbStmt   *stmt,
                   int         index,
                   const char *value)
{
  if (value != NULL)
    pk_db_bind_text (stmt, index, value);
  else
    pk_db_bind_null (stmt, index);
}

static char *
column_strdup (PkDbStmt *stmt,
               int       column)
{
  return g_strdup (pk_db_column_text (stmt, column));
}

/* A query that returns one row always (an aggregate) stepped to it. */
static gboolean
step_to_row (PkDbStmt  *stmt,
             GError   **error)
{
  return pk_db_step (stmt, error) == PK_DB_STEP_ROW;
}

static gboolean
count_rows (PkStore     *self,
            const char  *sql,
            const char  *petition_id,
            guint64     *out_n,
            GError     **error)
{
  g_autoptr(PkDbStmt) stmt = pk_db_prepare (pk_store_get_conn (self), sql,
                                            _("counting the sync state"), error);

  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, petition_id);
  if (!step_to_row (stmt, error))
    return FALSE;
  *out_n = (guint64) MAX (pk_db_column_int64 (stmt, 0), 0);
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
                     "WHERE s.opt_in = 0 AND (CAST (?1 AS TEXT) IS NULL OR s.petition_id = ?1) "
                     "  AND NOT EXISTS (SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid) "
                     "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                     petition_id, &counts->no_opt_in, error)
         && count_rows (self,
                        "SELECT COUNT(*) FROM sync_state ss JOIN signatures s ON s.uuid = ss.uuid "
                        "WHERE ss.state = 'failed' AND ss.reason = '" PK_SYNC_REASON_NO_CONTACT "' "
                        "  AND (CAST (?1 AS TEXT) IS NULL OR s.petition_id = ?1) "
                        "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                        petition_id, &counts->no_contact, error)
         && count_rows (self,
                        "SELECT COUNT(*) FROM sync_state ss JOIN signatures s ON s.uuid = ss.uuid "
                        "WHERE ss.state = 'failed' AND ss.reason = '" PK_SYNC_REASON_UNUSABLE "' "
                        "  AND (CAST (?1 AS TEXT) IS NULL OR s.petition_id = ?1) "
                        "  AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid)",
                        petition_id, &counts->unusable, error);
}

gboolean
pk_store_sync_counts (PkStore       *self,
                      const char    *petition_id,
                      PkSyncCounts  *out_counts,
                      GError       **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  guint64 n, duplicates;

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
  /* CAST: PostgreSQL's sum of bigints is a numeric. */
  stmt = pk_db_prepare (pk_store_get_conn (self),
                        petition_id != NULL
                        ? "SELECT CAST (COALESCE(SUM(c.n), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.duplicates), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.sent), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.failed), 0) AS BIGINT) "
                          "FROM counts c LEFT JOIN sync_counts sc ON sc.petition_id = c.petition_id "
                          "WHERE c.petition_id = ?1"
                        : "SELECT CAST (COALESCE(SUM(c.n), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.duplicates), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.sent), 0) AS BIGINT), "
                          "       CAST (COALESCE(SUM(sc.failed), 0) AS BIGINT) "
                          "FROM counts c LEFT JOIN sync_counts sc ON sc.petition_id = c.petition_id",
                        _("counting the sync state"), error);
  if (stmt == NULL)
    return FALSE;
  if (petition_id != NULL)
    pk_db_bind_text (stmt, 1, petition_id);
  if (!step_to_row (stmt, error))
    return FALSE;
  n = (guint64) MAX (pk_db_column_int64 (stmt, 0), 0);
  duplicates = (guint64) MAX (pk_db_column_int64 (stmt, 1), 0);
  out_counts->sent = (guint64) MAX (pk_db_column_int64 (stmt, 2), 0);
  out_counts->failed = (guint64) MAX (pk_db_column_int64 (stmt, 3), 0);
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
  g_autoptr(PkDbStmt) stmt = NULL;
  PkSessionKey *key = NULL;

  if (ring->own_key != NULL && key_id == ring->own_key_id)
    return ring->own_key;
  if (ring->coordinator_key == NULL)
    return NULL;
  if (g_hash_table_contains (ring->keys, &key_id))
    return g_hash_table_lookup (ring->keys, &key_id);

  stmt = pk_db_prepare (pk_store_get_conn (ring->store), "SELECT sealed FROM sealed_keys WHERE id = ?1",
                        _("reading a sealed key"), &error);
  if (stmt == NULL)
    return NULL;
  pk_db_bind_int64 (stmt, 1, key_id);
  if (pk_db_step (stmt, &error) == PK_DB_STEP_ROW)
    {
      gsize length = 0;
      const guint8 *data = pk_db_column_blob (stmt, 0, &length);

      sealed = g_bytes_new (data, length);
    }

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
pk_sync_item_from_row (PkDbStmt *stmt)
{
  PkSyncItem *item = g_new0 (PkSyncItem, 1);
  const char *source = pk_db_column_text (stmt, 5);
  PkSignature *sig;

  item->id = pk_db_column_int64 (stmt, 0);
  item->petition_id = column_strdup (stmt, 2);
  item->kiosk_name = column_strdup (stmt, 12);
  item->event = column_strdup (stmt, 13);
  item->sig = sig = pk_signature_new ();
  sig->uuid = column_strdup (stmt, 1);
  sig->signed_at = pk_db_column_int64 (stmt, 3);
  sig->lang = column_strdup (stmt, 4);
  sig->source = g_strcmp0 (source, "paper") == 0 ? PK_SOURCE_PAPER : PK_SOURCE_KIOSK;
  sig->consent_hash = column_strdup (stmt, 6);
  sig->consent = TRUE;
  sig->opt_in = pk_db_column_int64 (stmt, 7) != 0;
  sig->sheet_serial = column_strdup (stmt, 8);
  sig->sheet_line = (guint) pk_db_column_int64 (stmt, 9);
  return item;
}

/* The columns both readers of pending rows select, in the order
 * pk_sync_item_from_row() and read_pending_rows() expect them. */
#define PENDING_COLUMNS \
  "s.id, s.uuid, s.petition_id, s.signed_at, s.lang, s.source, " \
  "s.consent_hash, s.opt_in, s.sheet_serial, s.sheet_line, " \
  "s.payload, s.key_id, b.kiosk_name, b.event"

/* What makes a signature pending, for the row s. NOT EXISTS on the
 * sync_state primary key keeps a walk from an id an index walk,
 * however many rows were sent before. */
#define PENDING_WHERE \
  "s.id > ?1 AND (CAST (?2 AS TEXT) IS NULL OR s.petition_id = ?2) " \
  "AND NOT EXISTS (SELECT 1 FROM sync_state ss WHERE ss.uuid = s.uuid) " \
  "AND NOT EXISTS (SELECT 1 FROM merge_duplicates d WHERE d.uuid = s.uuid) "

/* The server's clock in µs: leases are compared with one clock, never
 * with each coordinator's own. */
#define PG_NOW_US "CAST (extract (epoch FROM clock_timestamp ()) * 1000000 AS BIGINT)"

/* Turns the rows of @stmt (PENDING_COLUMNS, then on a claim whether the
 * row is ours) into items, as pk_store_sync_next_pending() says. */
static GPtrArray *
read_pending_rows (PkStore           *self,
                   PkDbStmt          *stmt,
                   gboolean           claimed,
                   const guint8      *own_coordinator_key,
                   gint64             after_id,
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
  PkDbStep step;

  if (own_coordinator_key != NULL)
    ring.own_key = pk_store_get_session_key (self, own_coordinator_key, &ring.own_key_id);

  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      g_autoptr(PkSyncItem) item = pk_sync_item_from_row (stmt);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) local_error = NULL;
      PkSignature *sig = item->sig;
      const guint8 *data;
      gsize length = 0;

      last_id = MAX (last_id, item->id);
      /* Another coordinator's claim won the row: moved past, not sent. */
      if (claimed && pk_db_column_int64 (stmt, 14) == 0)
        continue;
      data = pk_db_column_blob (stmt, 10, &length);
      payload = g_bytes_new (data, length);

      if (pk_db_column_type (stmt, 11) == PK_DB_TYPE_NULL)
        plain = g_bytes_ref (payload);
      else
        {
          PkSessionKey *key = key_ring_lookup (&ring, pk_db_column_int64 (stmt, 11));

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
          return NULL;
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  if (step != PK_DB_STEP_DONE)
    return NULL;

  if (out_last_id != NULL)
    *out_last_id = last_id;
  if (out_unreadable != NULL)
    *out_unreadable = unreadable;
  return g_steal_pointer (&items);
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
  g_autoptr(PkDbStmt) stmt = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = pk_db_prepare (pk_store_get_conn (self),
                        "SELECT " PENDING_COLUMNS " "
                        "FROM signatures s LEFT JOIN batches b ON b.id = s.batch_id "
                        "WHERE " PENDING_WHERE
                        "ORDER BY s.id LIMIT ?3",
                        _("reading the signatures to send"), error);
  if (stmt == NULL)
    return NULL;
  pk_db_bind_int64 (stmt, 1, after_id);
  bind_text_or_null (stmt, 2, petition_id);
  pk_db_bind_int64 (stmt, 3, limit);
  return read_pending_rows (self, stmt, FALSE, own_coordinator_key, after_id, coordinator_key,
                           out_last_id, out_unreadable, error);
}

/* One statement claims and reads. The candidates are pending rows no
 * one else holds a live claim on; FOR UPDATE … SKIP LOCKED passes over
 * the rows another coordinator is claiming at this moment instead of
 * waiting for it. The claims table's primary key settles the one race
 * the row locks leave open (a claim committed after this statement's
 * snapshot): ON CONFLICT takes over a claim only when it is ours or its
 * lease ran out, and only the rows it wrote come back as ours. */
static PkDbStmt *
prepare_claim (PkStore  *self,
               GError  **error)
{
  return pk_db_prepare (pk_store_get_conn (self),
                        "WITH candidates AS ("
                        "  SELECT s.id, s.uuid FROM signatures s "
                        "  WHERE " PENDING_WHERE
                        "    AND NOT EXISTS (SELECT 1 FROM sync_claims c WHERE c.uuid = s.uuid "
                        "                    AND c.holder <> ?4 AND c.expires_at > " PG_NOW_US ") "
                        "  ORDER BY s.id LIMIT ?3 FOR UPDATE OF s SKIP LOCKED), "
                        "claimed AS ("
                        "  INSERT INTO sync_claims (uuid, holder, expires_at) "
                        "  SELECT uuid, CAST (?4 AS TEXT), " PG_NOW_US " + CAST (?5 AS BIGINT) FROM candidates "
                        "  ON CONFLICT (uuid) DO UPDATE SET holder = excluded.holder, "
                        "    expires_at = excluded.expires_at "
                        "  WHERE sync_claims.holder = excluded.holder "
                        "     OR sync_claims.expires_at <= " PG_NOW_US " "
                        "  RETURNING uuid) "
                        "SELECT " PENDING_COLUMNS ", "
                        "       CAST (CASE WHEN m.uuid IS NULL THEN 0 ELSE 1 END AS BIGINT) "
                        "FROM candidates cand JOIN signatures s ON s.id = cand.id "
                        "LEFT JOIN batches b ON b.id = s.batch_id "
                        "LEFT JOIN claimed m ON m.uuid = cand.uuid "
                        "ORDER BY s.id",
                        _("claiming the signatures to send"), error);
}

GPtrArray *
pk_store_sync_claim_pending (PkStore           *self,
                             const char        *holder,
                             gint64             lease_us,
                             const char        *petition_id,
                             const guint8      *own_coordinator_key,
                             gint64             after_id,
                             guint              limit,
                             PkCoordinatorKey  *coordinator_key,
                             gint64            *out_last_id,
                             guint             *out_unreadable,
                             GError           **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (holder != NULL, NULL);
  g_return_val_if_fail (lease_us > 0, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!pk_store_is_postgresql (self))
    return pk_store_sync_next_pending (self, petition_id, own_coordinator_key, after_id, limit, coordinator_key,
                                       out_last_id, out_unreadable, error);

  /* A short transaction of its own: the row locks end with it, the
   * claims stay. At READ COMMITTED whatever the database's default
   * (pk_db_begin()): prepare_claim() says why it must see the latest
   * committed claims. */
  if (!pk_store_begin (self, error))
    return NULL;
  stmt = prepare_claim (self, error);
  if (stmt != NULL)
    {
      pk_db_bind_int64 (stmt, 1, after_id);
      bind_text_or_null (stmt, 2, petition_id);
      pk_db_bind_int64 (stmt, 3, limit);
      pk_db_bind_text (stmt, 4, holder);
      pk_db_bind_int64 (stmt, 5, lease_us);
      items = read_pending_rows (self, stmt, TRUE, own_coordinator_key, after_id, coordinator_key,
                                 out_last_id, out_unreadable, error);
      g_clear_pointer (&stmt, pk_db_stmt_free);
    }
  if (items == NULL || !pk_store_commit (self, error))
    {
      pk_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* pk_store_sync_hold_claim() on PostgreSQL, inside its transaction. */
static gboolean
hold_claim (PkStore     *self,
            const char  *holder,
            gint64       lease_us,
            const char  *uuid,
            gboolean     renew_all,
            gboolean    *out_held,
            GError     **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;

  /* Only rows still in our name are renewed: a claim that ran out and
   * was taken over stays with its new holder. */
  stmt = pk_db_prepare (pk_store_get_conn (self),
                        "UPDATE sync_claims SET expires_at = " PG_NOW_US " + ?2 "
                        "WHERE holder = ?1 AND (uuid = ?3 OR CAST (?4 AS BIGINT) = 1)",
                        _("renewing the claims on the signatures to send"), error);
  if (stmt == NULL)
    return FALSE;
  pk_db_bind_text (stmt, 1, holder);
  pk_db_bind_int64 (stmt, 2, lease_us);
  pk_db_bind_text (stmt, 3, uuid);
  pk_db_bind_int64 (stmt, 4, renew_all ? 1 : 0);
  if (pk_db_step (stmt, error) != PK_DB_STEP_DONE)
    return FALSE;
  if (renew_all)
    {
      g_clear_pointer (&stmt, pk_db_stmt_free);
      stmt = pk_db_prepare (pk_store_get_conn (self),
                            "SELECT CAST (count(*) AS BIGINT) FROM sync_claims "
                            "WHERE holder = ?1 AND uuid = ?2",
                            _("renewing the claims on the signatures to send"), error);
      if (stmt == NULL)
        return FALSE;
      pk_db_bind_text (stmt, 1, holder);
      pk_db_bind_text (stmt, 2, uuid);
      if (!step_to_row (stmt, error))
        return FALSE;
      *out_held = pk_db_column_int64 (stmt, 0) > 0;
    }
  else
    *out_held = pk_db_changes (stmt) > 0;
  return TRUE;
}

gboolean
pk_store_sync_hold_claim (PkStore     *self,
                          const char  *holder,
                          gint64       lease_us,
                          const char  *uuid,
                          gboolean     renew_all,
                          gboolean    *out_held,
                          GError     **error)
{
  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (holder != NULL, FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (out_held != NULL, FALSE);

  *out_held = TRUE;
  if (!pk_store_is_postgresql (self))
    return TRUE;

  /* In a transaction of its own, at READ COMMITTED (pk_db_begin()):
   * at the database's default, REPEATABLE READ or SERIALIZABLE, the
   * renewal would fail rather than find a claim another run took over. */
  if (!pk_store_begin (self, error))
    return FALSE;
  if (hold_claim (self, holder, lease_us, uuid, renew_all, out_held, error) && pk_store_commit (self, error))
    return TRUE;
  pk_store_rollback (self);
  return FALSE;
}

gboolean
pk_store_sync_release_claims (PkStore     *self,
                              const char  *holder,
                              GError     **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (holder != NULL, FALSE);

  if (!pk_store_is_postgresql (self))
    return TRUE;
  /* In a transaction of its own, at READ COMMITTED (pk_db_begin()). */
  if (!pk_store_begin (self, error))
    return FALSE;
  stmt = pk_db_prepare (pk_store_get_conn (self), "DELETE FROM sync_claims WHERE holder = ?1",
                        _("releasing the claims on the signatures to send"), error);
  if (stmt != NULL)
    pk_db_bind_text (stmt, 1, holder);
  if (stmt == NULL || pk_db_step (stmt, error) != PK_DB_STEP_DONE)
    {
      g_clear_pointer (&stmt, pk_db_stmt_free);
      pk_store_rollback (self);
      return FALSE;
    }
  g_clear_pointer (&stmt, pk_db_stmt_free);
  if (pk_store_commit (self, error))
    return TRUE;
  pk_store_rollback (self);
  return FALSE;
}

/* Writes one outcome with @upsert and, on PostgreSQL, ends its claim
 * with @release in the same transaction. */
static gboolean
record_one (PkDbStmt       *upsert,
            PkDbStmt       *release,
            PkSyncOutcome  *outcome,
            gint64          now,
            GError        **error)
{
  pk_db_reset (upsert);
  pk_db_bind_text (upsert, 1, outcome->uuid);
  pk_db_bind_text (upsert, 2, outcome->state == PK_SYNC_STATE_SENT ? "sent" : "failed");
  bind_text_or_null (upsert, 3, outcome->remote_id);
  bind_text_or_null (upsert, 4, outcome->error);
  pk_db_bind_int64 (upsert, 5, now);
  bind_text_or_null (upsert, 6, outcome->reason);
  if (pk_db_step (upsert, error) != PK_DB_STEP_DONE)
    return FALSE;
  if (release == NULL)
    return TRUE;
  pk_db_reset (release);
  pk_db_bind_text (release, 1, outcome->uuid);
  return pk_db_step (release, error) == PK_DB_STEP_DONE;
}

gboolean
pk_store_sync_record (PkStore    *self,
                      GPtrArray  *outcomes,
                      GError    **error)
{
  g_autoptr(PkDbStmt) upsert = NULL;
  g_autoptr(PkDbStmt) release = NULL;
  g_autofree char *now_text = NULL;
  gboolean any_sent = FALSE;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (outcomes != NULL, FALSE);

  if (outcomes->len == 0)
    return TRUE;
  for (guint i = 0; i < outcomes->len; i++)
    {
      PkSyncOutcome *outcome = g_ptr_array_index (outcomes, i);

      g_return_val_if_fail (outcome->state == PK_SYNC_STATE_SENT
                            || outcome->state == PK_SYNC_STATE_FAILED, FALSE);
    }
  if (!pk_store_begin (self, error))
    return FALSE;

  upsert = pk_db_prepare (pk_store_get_conn (self),
                          "INSERT INTO sync_state (uuid, state, remote_id, error, updated_at, reason) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                          "ON CONFLICT (uuid) DO UPDATE SET state = excluded.state, "
                          "  remote_id = excluded.remote_id, error = excluded.error, "
                          "  updated_at = excluded.updated_at, reason = excluded.reason",
                          _("saving the sync state"), error);
  /* A recorded signature is no longer pending: its claim has done its
   * work, whoever holds it. */
  if (upsert != NULL && pk_store_is_postgresql (self))
    release = pk_db_prepare (pk_store_get_conn (self), "DELETE FROM sync_claims WHERE uuid = ?1",
                             _("saving the sync state"), error);
  if (upsert == NULL || (pk_store_is_postgresql (self) && release == NULL))
    {
      pk_store_rollback (self);
      return FALSE;
    }

  for (guint i = 0; i < outcomes->len; i++)
    {
      PkSyncOutcome *outcome = g_ptr_array_index (outcomes, i);

      if (!record_one (upsert, release, outcome, now, error))
        {
          g_clear_pointer (&upsert, pk_db_stmt_free);
          g_clear_pointer (&release, pk_db_stmt_free);
          pk_store_rollback (self);
          return FALSE;
        }
      any_sent |= outcome->state == PK_SYNC_STATE_SENT;
    }
  g_clear_pointer (&upsert, pk_db_stmt_free);
  g_clear_pointer (&release, pk_db_stmt_free);

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
  g_autoptr(PkDbStmt) stmt = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  stmt = pk_db_prepare (pk_store_get_conn (self),
                        /* From the failed rows (state index) to each one's
                         * petition by the uuid index: no walk of a petition's
                         * signatures. */
                        "DELETE FROM sync_state WHERE state = 'failed' AND (CAST (?1 AS TEXT) IS NULL OR "
                        "(SELECT s.petition_id FROM signatures s WHERE s.uuid = sync_state.uuid) = ?1) "
                        "AND (CASE WHEN CAST (?2 AS TEXT) IS NULL THEN COALESCE(reason, '" PK_SYNC_REASON_REFUSED "') "
                        "          IN ('" PK_SYNC_REASON_REFUSED "', '" PK_SYNC_REASON_UNUSABLE "') "
                        "     ELSE COALESCE(reason, '" PK_SYNC_REASON_REFUSED "') = ?2 END)",
                        _("resetting failed signatures"), error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, petition_id);
  bind_text_or_null (stmt, 2, reason);
  if (pk_db_step (stmt, error) != PK_DB_STEP_DONE)
    return FALSE;
  if (out_n != NULL)
    *out_n = (guint64) MAX (pk_db_changes (stmt), 0);
  return TRUE;
}

GPtrArray *
pk_store_sync_list_failed (PkStore     *self,
                           const char  *petition_id,
                           guint        limit,
                           GError     **error)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_sync_outcome_free);
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = pk_db_prepare (pk_store_get_conn (self),
                        "SELECT ss.uuid, ss.error, COALESCE(ss.reason, '" PK_SYNC_REASON_REFUSED "') "
                        "FROM sync_state ss "
                        "JOIN signatures s ON s.uuid = ss.uuid "
                        "WHERE ss.state = 'failed' AND (CAST (?1 AS TEXT) IS NULL OR s.petition_id = ?1) "
                        "ORDER BY s.id LIMIT ?2",
                        _("listing failed signatures"), error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, petition_id);
  pk_db_bind_int64 (stmt, 2, limit);
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      PkSyncOutcome *outcome = g_new0 (PkSyncOutcome, 1);

      outcome->uuid = column_strdup (stmt, 0);
      outcome->state = PK_SYNC_STATE_FAILED;
      outcome->error = column_strdup (stmt, 1);
      outcome->reason = column_strdup (stmt, 2);
      g_ptr_array_add (failures, outcome);
    }
  if (step != PK_DB_STEP_DONE)
    return NULL;
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
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);

  stmt = pk_db_prepare (pk_store_get_conn (self),
                        "SELECT petition_id FROM counts WHERE n > 0 ORDER BY petition_id",
                        _("listing petitions"), error);
  if (stmt == NULL)
    return NULL;
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    if (pk_db_column_text (stmt, 0) != NULL)
      g_strv_builder_add (builder, pk_db_column_text (stmt, 0));
  if (step != PK_DB_STEP_DONE)
    return NULL;
  return g_strv_builder_end (builder);
}
