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

/* Adds or updates (@kiosk_id, @info's key) with @trusted. */
static gboolean
pk_merge_trust_put (PkStore           *master,
                    const PkBatchInfo *info,
                    gboolean           trusted,
                    gboolean           overwrite,
                    GError           **error)
{
  g_autofree char *key = pk_key_to_base64 (info->kiosk_key, sizeof info->kiosk_key);
  g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);
  g_autoptr(PkDbStmt) stmt = NULL;

  stmt = pk_db_prepare (pk_store_get_conn (master),
                        overwrite
                        ? "INSERT INTO merge_kiosk_keys (kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, "
                          "first_seen, trusted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                          "ON CONFLICT (kiosk_id, kiosk_key) DO UPDATE SET trusted = excluded.trusted"
                        : "INSERT INTO merge_kiosk_keys (kiosk_id, kiosk_key, kiosk_fingerprint, kiosk_name, "
                          "first_seen, trusted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                        _("checking the kiosk's key"), error);
  if (stmt == NULL)
    return FALSE;
  pk_db_bind_text (stmt, 1, info->kiosk_id);
  pk_db_bind_text (stmt, 2, key);
  pk_db_bind_text (stmt, 3, fingerprint);
  pk_db_bind_text (stmt, 4, info->kiosk_name);
  pk_db_bind_int64 (stmt, 5, g_get_real_time ());
  pk_db_bind_int64 (stmt, 6, trusted);
  return pk_db_step (stmt, error) == PK_DB_STEP_DONE;
}

/* Sets *@out_state to 1 (trusted), 0 (seen, not trusted) or -1 (never
 * seen) for @info's key, and @out_pinned to the fingerprints trusted
 * for its kiosk id, ", "-separated (NULL when none). Joined here, not
 * in SQL: SQLite's group_concat is PostgreSQL's string_agg. */
static gboolean
pk_merge_trust_lookup (PkStore           *master,
                       const PkBatchInfo *info,
                       int               *out_state,
                       char             **out_pinned,
                       GError           **error)
{
  PkDb *conn = pk_store_get_conn (master);
  g_autofree char *key = pk_key_to_base64 (info->kiosk_key, sizeof info->kiosk_key);
  g_autoptr(PkDbStmt) state = NULL;
  g_autoptr(PkDbStmt) pinned = NULL;
  g_autoptr(GString) fingerprints = NULL;
  PkDbStep step;

  state = pk_db_prepare (conn, "SELECT trusted FROM merge_kiosk_keys WHERE kiosk_id = ?1 AND kiosk_key = ?2",
                         _("checking the kiosk's key"), error);
  if (state == NULL)
    return FALSE;
  pk_db_bind_text (state, 1, info->kiosk_id);
  pk_db_bind_text (state, 2, key);
  step = pk_db_step (state, error);
  if (step == PK_DB_STEP_ERROR)
    return FALSE;
  *out_state = step == PK_DB_STEP_ROW ? (int) pk_db_column_int64 (state, 0) : -1;
  pk_db_reset (state);

  pinned = pk_db_prepare (conn, "SELECT kiosk_fingerprint FROM merge_kiosk_keys "
                          "WHERE kiosk_id = ?1 AND trusted = 1 ORDER BY first_seen",
                          _("checking the kiosk's key"), error);
  if (pinned == NULL)
    return FALSE;
  pk_db_bind_text (pinned, 1, info->kiosk_id);
  while ((step = pk_db_step (pinned, error)) == PK_DB_STEP_ROW)
    {
      if (fingerprints == NULL)
        fingerprints = g_string_new (NULL);
      else
        g_string_append (fingerprints, ", ");
      g_string_append (fingerprints, pk_db_column_text (pinned, 0));
    }
  if (step == PK_DB_STEP_ERROR)
    return FALSE;
  *out_pinned = fingerprints != NULL ? g_string_free (g_steal_pointer (&fingerprints), FALSE) : NULL;
  return TRUE;
}

gboolean
pk_merge_trust_check (PkStore           *master,
                      const PkBatchInfo *info,
                      PkTrustList       *trust,
                      GError           **error)
{
  g_autofree char *pinned = NULL;
  g_autofree char *fingerprint = NULL;
  int state = -1;

  g_return_val_if_fail (PK_IS_STORE (master) && info != NULL, FALSE);

  /* A key in the coordinator's trust list is trusted for its kiosk. */
  if (trust != NULL && pk_trust_list_contains (trust, info->kiosk_key))
    return pk_merge_trust_put (master, info, TRUE, TRUE, error);

  if (!pk_merge_trust_lookup (master, info, &state, &pinned, error))
    return FALSE;
  if (state == 1)
    return TRUE;
  /* The first key this kiosk id arrives with is pinned. */
  if (state == -1 && pinned == NULL)
    return pk_merge_trust_put (master, info, TRUE, FALSE, error);

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
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PK_IS_STORE (master) && info != NULL);

  if (!pk_merge_trust_put (master, info, FALSE, FALSE, &error))
    g_warning ("cannot note the refused kiosk key: %s", error->message);
}

GPtrArray *
pk_merge_trust_list (PkStore  *master,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_kiosk_key_entry_free);
  g_autoptr(PkDbStmt) stmt = NULL;
  PkDbStep step;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  stmt = pk_db_prepare (pk_store_get_conn (master),
                        "SELECT kiosk_id, kiosk_name, kiosk_fingerprint, first_seen, trusted "
                        "FROM merge_kiosk_keys ORDER BY kiosk_id, first_seen, kiosk_fingerprint",
                        _("reading the kiosk keys"), error);
  if (stmt == NULL)
    return NULL;
  while ((step = pk_db_step (stmt, error)) == PK_DB_STEP_ROW)
    {
      PkKioskKeyEntry *entry = g_new0 (PkKioskKeyEntry, 1);

      entry->kiosk_id = g_strdup (pk_db_column_text (stmt, 0));
      entry->kiosk_name = g_strdup (pk_db_column_text (stmt, 1));
      entry->fingerprint = g_strdup (pk_db_column_text (stmt, 2));
      entry->first_seen = pk_db_column_int64 (stmt, 3);
      entry->trusted = pk_db_column_int64 (stmt, 4) != 0;
      g_ptr_array_add (entries, entry);
    }
  if (step == PK_DB_STEP_ERROR)
    return NULL;
  return g_steal_pointer (&entries);
}

gboolean
pk_merge_trust_set_trusted (PkStore     *master,
                            const char  *kiosk_id,
                            const char  *fingerprint,
                            gboolean     trusted,
                            GError     **error)
{
  g_autoptr(PkDbStmt) stmt = NULL;

  g_return_val_if_fail (PK_IS_STORE (master) && kiosk_id != NULL && fingerprint != NULL, FALSE);

  stmt = pk_db_prepare (pk_store_get_conn (master),
                        "UPDATE merge_kiosk_keys SET trusted = ?3 WHERE kiosk_id = ?1 AND kiosk_fingerprint = ?2",
                        _("saving the kiosk keys"), error);
  if (stmt == NULL)
    return FALSE;
  pk_db_bind_text (stmt, 1, kiosk_id);
  pk_db_bind_text (stmt, 2, fingerprint);
  pk_db_bind_int64 (stmt, 3, trusted);
  return pk_db_step (stmt, error) == PK_DB_STEP_DONE;
}
