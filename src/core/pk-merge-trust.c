/* pk-merge-trust.c: which kiosk keys a master accepts for a kiosk id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forgery this stops: a real batch, one row deleted and a fake one
 * added, re-signed with a fresh key under the same kiosk id. Without a
 * trust list its signature is valid; only the master's memory of the
 * key that kiosk id used before tells the two apart. Keys are kept in
 * merge_kiosk_keys (store migration step 11), base64 and fingerprint.
 */
#define G_LOG_DOMAIN "pk-merge"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-merge-trust.h"
#include "pk-store-private.h"

void
pk_kiosk_key_entry_free (PkKioskKeyEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kiosk_id);
  g_free (entry->kiosk_name);
  g_free (entry->fingerprint);
  g_free (entry);
}

static gboolean
pk_merge_trust_fail (PkStore     *master,
                     int          rc,
                     GError     **error)
{
  return pk_store_set_error_from_sqlite (master, rc, _("checking the kiosk's key"), error);
}

/* Adds or updates (@kiosk_id, @info's key) with @trusted. */
static int
pk_merge_trust_put (sqlite3           *db,
                    const PkBatchInfo *info,
                    gboolean           trusted,
                    gboolean           overwrite)
{
  g_autofree char *key = pk_key_to_base64 (info->kiosk_key, sizeof info->kiosk_key);
  g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, overwrite
                           ? "INSERT INTO merge_kiosk_keys (kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, "
                             "first_seen, trusted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                             "ON CONFLICT (kiosk_id, kiosk_key) DO UPDATE SET trusted = excluded.trusted"
                           : "INSERT INTO merge_kiosk_keys (kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, "
                             "first_seen, trusted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, info->kiosk_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, fingerprint, -1, SQLITE_STATIC);
      if (info->kiosk_name != NULL)
        sqlite3_bind_text (stmt, 4, info->kiosk_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
      sqlite3_bind_int (stmt, 6, trusted);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Sets *@out_state to 1 (trusted), 0 (seen, not trusted) or -1 (never
 * seen) for @info's key, and @out_pinned to the fingerprints trusted
 * for its kiosk id, ", "-separated (NULL when none). */
static int
pk_merge_trust_lookup (sqlite3           *db,
                       const PkBatchInfo *info,
                       int               *out_state,
                       char             **out_pinned)
{
  g_autofree char *key = pk_key_to_base64 (info->kiosk_key, sizeof info->kiosk_key);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT (SELECT trusted FROM merge_kiosk_keys WHERE kiosk_id = ?1 AND kiosk_key = ?2), "
                           "(SELECT group_concat(kiosk_fingerprint, ', ') FROM (SELECT kiosk_fingerprint "
                           "FROM merge_kiosk_keys WHERE kiosk_id = ?1 AND trusted = 1 ORDER BY first_seen))",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, info->kiosk_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      *out_state = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 0);
      *out_pinned = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

gboolean
pk_merge_trust_check (PkStore           *master,
                      const PkBatchInfo *info,
                      PkTrustList       *trust,
                      GError           **error)
{
  sqlite3 *db = pk_store_get_db (master);
  g_autofree char *pinned = NULL;
  g_autofree char *fingerprint = NULL;
  int state = -1;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (master) && info != NULL, FALSE);

  /* A key in the coordinator's trust list is trusted for its kiosk. */
  if (trust != NULL && pk_trust_list_contains (trust, info->kiosk_key))
    {
      rc = pk_merge_trust_put (db, info, TRUE, TRUE);
      return rc == SQLITE_OK || pk_merge_trust_fail (master, rc, error);
    }

  rc = pk_merge_trust_lookup (db, info, &state, &pinned);
  if (rc != SQLITE_OK)
    return pk_merge_trust_fail (master, rc, error);
  if (state == 1)
    return TRUE;
  /* The first key this kiosk id arrives with is pinned. */
  if (state == -1 && pinned == NULL)
    {
      rc = pk_merge_trust_put (db, info, TRUE, FALSE);
      return rc == SQLITE_OK || pk_merge_trust_fail (master, rc, error);
    }

  fingerprint = pk_key_fingerprint (info->kiosk_key);
  g_set_error (error, PK_BATCH_ERROR, PK_BATCH_ERROR_UNTRUSTED_KIOSK,
               _("Kiosk %s sent its batches before with the key %s; this file is signed with the key %s. "
                 "It may be forged. If that kiosk really has a new key, trust it in the coordinator "
                 "window's kiosk keys (or with --trust), then merge the file again."),
               info->kiosk_id, pinned != NULL ? pinned : "—", fingerprint);
  return FALSE;
}

void
pk_merge_trust_note_refused (PkStore           *master,
                             const PkBatchInfo *info)
{
  int rc;

  g_return_if_fail (PK_IS_STORE (master) && info != NULL);

  rc = pk_merge_trust_put (pk_store_get_db (master), info, FALSE, FALSE);
  if (rc != SQLITE_OK)
    g_warning ("cannot note the refused kiosk key: %s", sqlite3_errstr (rc));
}

GPtrArray *
pk_merge_trust_list (PkStore  *master,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_kiosk_key_entry_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  rc = sqlite3_prepare_v2 (pk_store_get_db (master),
                           "SELECT kiosk_id, kiosk_name, kiosk_fingerprint, first_seen, trusted "
                           "FROM merge_kiosk_keys ORDER BY kiosk_id, first_seen, kiosk_fingerprint",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PkKioskKeyEntry *entry = g_new0 (PkKioskKeyEntry, 1);

      entry->kiosk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->kiosk_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->first_seen = sqlite3_column_int64 (stmt, 3);
      entry->trusted = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (entries, entry);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (master, rc, _("reading the kiosk keys"), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gboolean
pk_merge_trust_set_trusted (PkStore     *master,
                            const char  *kiosk_id,
                            const char  *fingerprint,
                            gboolean     trusted,
                            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (master) && kiosk_id != NULL && fingerprint != NULL, FALSE);

  rc = sqlite3_prepare_v2 (pk_store_get_db (master),
                           "UPDATE merge_kiosk_keys SET trusted = ?3 WHERE kiosk_id = ?1 AND kiosk_fingerprint = ?2",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, kiosk_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, fingerprint, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, trusted);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (master, rc, _("saving the kiosk keys"), error);
  return TRUE;
}
