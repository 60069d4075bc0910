/* pk-store-signatures.c: saving signatures, the encryption sessions
 * they are sealed with, and the duplicate checks before they are saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each signature is one BEGIN IMMEDIATE transaction, so a crash or a
 * full disk leaves either the whole row or nothing.
 */
#define G_LOG_DOMAIN "pk-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "pk-crypto.h"
#include "pk-signer-key.h"
#include "pk-signer-name.h"
#include "pk-store-private.h"

static char *
coordinator_key_hex (const guint8 *key)
{
  char hex[PK_CRYPTO_PUBLIC_KEY_BYTES * 2 + 1];

  sodium_bin2hex (hex, sizeof hex, key, PK_CRYPTO_PUBLIC_KEY_BYTES);
  return g_strdup (hex);
}

PkSessionKey *
pk_store_get_session_key (PkStore      *self,
                          const guint8 *coordinator_key,
                          gint64       *out_key_id)
{
  g_autofree char *hex = NULL;
  PkStoreSession *entry;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (coordinator_key != NULL, NULL);

  hex = coordinator_key_hex (coordinator_key);
  entry = g_hash_table_lookup (self->sessions, hex);
  if (entry == NULL || entry->key_id == 0)
    return NULL;

  if (out_key_id != NULL)
    *out_key_id = entry->key_id;
  return entry->key;
}

static PkStoreSession *
find_session_by_key_id (PkStore *self,
                        gint64   key_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PkStoreSession *entry = value;

      if (entry->key_id == key_id)
        return entry;
    }

  return NULL;
}

/* The hash of @signer_key (pk_signer_key()) for @petition_id, keyed
 * with this store's random in-memory key. */
static char *
memory_dedup_key (PkStore    *self,
                  const char *petition_id,
                  const char *signer_key)
{
  crypto_generichash_state state;
  guint8 hash[16];
  char hex[sizeof hash * 2 + 1];

  crypto_generichash_init (&state, self->dedup_key, crypto_generichash_KEYBYTES, sizeof hash);
  /* NUL separators keep ("a", "bc") and ("ab", "c") apart. */
  crypto_generichash_update (&state, (const guint8 *) petition_id, strlen (petition_id) + 1);
  crypto_generichash_update (&state, (const guint8 *) signer_key, strlen (signer_key));
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static void
set_duplicate (GError **error)
{
  g_set_error_literal (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE,
                       _("You have already signed this petition. Thank you!"));
}

/* Whether a signature of @petition_id with @signer_key is on disk: the
 * one duplicate rule (pk_signer_key(), docs/data-model.md). */
static gboolean
is_duplicate_on_disk (PkStore     *self,
                      const char  *petition_id,
                      const char  *signer_key,
                      gboolean    *out_duplicate,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *out_duplicate = FALSE;
  if (signer_key == NULL)
    return TRUE;

  stmt = pk_store_prepare (self,
                           "SELECT 1 FROM signatures WHERE petition_id = ?1 AND dedup_key = ?2 LIMIT 1",
                           _("checking for an earlier signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, signer_key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_duplicate = TRUE;
  else if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("checking for an earlier signature"), error);

  return TRUE;
}

/* The signer details of a stored row, when this process can read them:
 * plain rows always, encrypted rows only under a session key it holds. */
static gboolean
decode_payload (PkStore      *self,
                PkSignature  *sig,
                const char   *uuid,
                GBytes       *payload,
                gint64        key_id,
                GError      **error)
{
  g_autoptr(GBytes) plain = NULL;
  PkStoreSession *entry;

  if (key_id == 0)
    return pk_signature_deserialize (sig, payload, error);

  entry = find_session_by_key_id (self, key_id);
  if (entry == NULL)
    {
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT,
                           _("These signer details are encrypted for the coordinator."));
      return FALSE;
    }

  plain = pk_crypto_decrypt_payload (entry->key, payload, uuid, error);
  if (plain == NULL)
    return FALSE;

  return pk_signature_deserialize (sig, plain, error);
}

static PkSignature *
signature_from_row (PkStore      *self,
                    sqlite3_stmt *stmt)
{
  PkSignature *sig = pk_signature_new ();
  const void *blob = sqlite3_column_blob (stmt, 9);
  g_autoptr(GBytes) payload = g_bytes_new (blob, sqlite3_column_bytes (stmt, 9));
  g_autoptr(GError) error = NULL;

  sig->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sig->signed_at = sqlite3_column_int64 (stmt, 2);
  sig->source = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "paper") == 0
                ? PK_SOURCE_PAPER : PK_SOURCE_KIOSK;
  sig->lang = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  sig->consent_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  /* A stored signature always had consent: the store refuses any
   * without. */
  sig->consent = TRUE;
  sig->sensitive_consent_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  sig->sensitive_consent = sig->sensitive_consent_hash != NULL;
  sig->opt_in = sqlite3_column_int (stmt, 6) != 0;
  sig->sheet_serial = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  sig->sheet_line = (guint) sqlite3_column_int64 (stmt, 8);

  if (!decode_payload (self, sig, sig->uuid, payload, sqlite3_column_int64 (stmt, 10), &error))
    g_debug ("Signer details of %s not readable here: %s", sig->uuid, error->message);

  return sig;
}

#define SIGNATURE_COLUMNS \
  "uuid, petition_id, signed_at, source, lang, consent_hash, opt_in," \
  " sheet_serial, sheet_line, payload, coalesce (key_id, 0), sensitive_consent_hash"

PkSignature *
pk_store_get_signature_by_uuid (PkStore     *self,
                                const char  *uuid,
                                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = pk_store_prepare (self, "SELECT " SIGNATURE_COLUMNS " FROM signatures WHERE uuid = ?1",
                           _("reading a signature"), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No signature with the identifier %s."), uuid);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      pk_store_set_error_from_sqlite (self, rc, _("reading a signature"), error);
      return NULL;
    }

  return signature_from_row (self, stmt);
}

PkSignature *
pk_store_find_paper_line (PkStore     *self,
                          const char  *sheet_serial,
                          guint        sheet_line,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), NULL);
  g_return_val_if_fail (sheet_serial != NULL, NULL);

  stmt = pk_store_prepare (self,
                           "SELECT " SIGNATURE_COLUMNS " FROM signatures"
                           "  WHERE sheet_serial = ?1 AND sheet_line = ?2",
                           _("looking up a paper sheet"), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sheet_line);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return signature_from_row (self, stmt);
  if (rc != SQLITE_DONE)
    pk_store_set_error_from_sqlite (self, rc, _("looking up a paper sheet"), error);

  return NULL;
}

static gboolean
check_paper_line (PkStore           *self,
                  const PkSignature *sig,
                  GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PkSignature) earlier = NULL;
  g_autofree char *name = NULL;

  earlier = pk_store_find_paper_line (self, sig->sheet_serial, sig->sheet_line, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (earlier == NULL)
    return TRUE;

  name = pk_signer_name_format (earlier->fields[PK_FIELD_GIVEN_NAME],
                                earlier->fields[PK_FIELD_FAMILY_NAME], earlier->lang);
  if (name != NULL)
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                 _("Sheet %s, line %u was already entered, for %s."),
                 sig->sheet_serial, sig->sheet_line, name);
  else
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN,
                 _("Sheet %s, line %u was already entered."),
                 sig->sheet_serial, sig->sheet_line);
  return FALSE;
}

static gboolean
uuid_exists (PkStore     *self,
             const char  *uuid,
             gboolean    *out_exists,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = pk_store_prepare (self, "SELECT 1 FROM signatures WHERE uuid = ?1",
                           _("checking for an earlier signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("checking for an earlier signature"), error);

  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Inside the transaction: the sealed_keys id for @entry, inserting the
 * sealed key the first time. Returns 0 with @error on failure; sets
 * @out_pending when the row is new and becomes real only on commit. */
static gint64
sealed_key_id (PkStore         *self,
               PkStoreSession  *entry,
               const guint8    *coordinator_key,
               gboolean        *out_pending,
               GError         **error)
{
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *out_pending = FALSE;
  if (entry->key_id != 0)
    return entry->key_id;

  sealed = pk_session_key_seal (entry->key, coordinator_key, error);
  if (sealed == NULL)
    return 0;

  stmt = pk_store_prepare (self, "INSERT INTO sealed_keys (sealed, coordinator_key) VALUES (?1, ?2)",
                           _("saving the signature"), error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                     SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, coordinator_key, PK_CRYPTO_PUBLIC_KEY_BYTES, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      pk_store_set_error_from_sqlite (self, rc, _("saving the signature"), error);
      return 0;
    }

  *out_pending = TRUE;
  return sqlite3_last_insert_rowid (self->db);
}

static PkStoreSession *
session_for (PkStore       *self,
             const guint8  *coordinator_key,
             GError       **error)
{
  g_autofree char *hex = coordinator_key_hex (coordinator_key);
  PkStoreSession *entry = g_hash_table_lookup (self->sessions, hex);

  if (entry != NULL)
    return entry;

  /* One key per coordinator: rows for one coordinator's petition can
   * never be opened with another coordinator's secret key. */
  entry = g_new0 (PkStoreSession, 1);
  entry->key = pk_session_key_new (error);
  if (entry->key == NULL)
    {
      g_free (entry);
      return NULL;
    }

  g_hash_table_insert (self->sessions, g_steal_pointer (&hex), entry);
  return entry;
}

/* The time a signature gets when its caller gives none: now, rounded
 * down to the minute. The seconds would let a batch file, or a seized
 * kiosk, order the signers of one minute and match a row to the moment
 * a camera or a bystander saw someone at the kiosk. */
static gint64
now_to_the_minute (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;

  return g_get_real_time () / minute * minute;
}

static gboolean
insert_row (PkStore           *self,
            const PkSignature *sig,
            const char        *uuid,
            gint64             signed_at,
            const char        *petition_id,
            gint64             batch_id,
            const char        *signer_key,
            GBytes            *payload,
            gint64             key_id,
            GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = pk_store_prepare (self,
                           "INSERT INTO signatures (uuid, petition_id, batch_id, signed_at, source, lang,"
                           "  consent_hash, opt_in, sheet_serial, sheet_line, dedup_key,"
                           "  payload, key_id, sensitive_consent_hash)"
                           "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                           _("saving the signature"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, petition_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, batch_id);
  sqlite3_bind_int64 (stmt, 4, signed_at);
  sqlite3_bind_text (stmt, 5, pk_source_to_string (sig->source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, sig->lang, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, sig->consent_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, sig->opt_in ? 1 : 0);
  sqlite3_bind_text (stmt, 9, sig->sheet_serial, -1, SQLITE_STATIC);
  if (sig->sheet_serial != NULL)
    sqlite3_bind_int64 (stmt, 10, sig->sheet_line);
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_text (stmt, 11, signer_key, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 12, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                     SQLITE_STATIC);
  if (key_id != 0)
    sqlite3_bind_int64 (stmt, 13, key_id);
  else
    sqlite3_bind_null (stmt, 13);
  sqlite3_bind_text (stmt, 14, sig->sensitive_consent_hash, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return pk_store_set_error_from_sqlite (self, rc, _("saving the signature"), error);

  return TRUE;
}

void
pk_store_forget_signer (PkStore           *self,
                        const char        *petition_id,
                        const PkSignature *sig)
{
  g_autofree char *signer_key = NULL;

  g_return_if_fail (PK_IS_STORE (self));

  signer_key = pk_signer_key (sig, NULL);
  if (signer_key != NULL)
    {
      g_autofree char *seen = memory_dedup_key (self, petition_id, signer_key);

      g_hash_table_remove (self->seen, seen);
    }
}

/* Takes @key (may be NULL) into the in-memory duplicate set. */
static void
remember_seen (PkStore *self,
               char    *key)
{
  if (key == NULL)
    return;
  if (self->txn_depth > 0)
    g_ptr_array_add (self->txn_seen, g_strdup (key));
  g_hash_table_add (self->seen, key);
}

/* Encrypted mode, before the transaction: the keyed hash that will
 * remember this signer (@out_seen, NULL for a signer without a signer
 * key), and whether it was seen already. */
static gboolean
check_repeat_in_memory (PkStore     *self,
                        const char  *petition_id,
                        const char  *signer_key,
                        gboolean     refuse_repeat,
                        char       **out_seen,
                        GError     **error)
{
  if (signer_key != NULL)
    *out_seen = memory_dedup_key (self, petition_id, signer_key);

  if (refuse_repeat && *out_seen != NULL && g_hash_table_contains (self->seen, *out_seen))
    {
      set_duplicate (error);
      return FALSE;
    }

  return TRUE;
}

/* Inside the transaction, before the row goes in: a caller-given uuid
 * must be new, a paper line must be free, and in plain mode with
 * @refuse_repeat the signer must not be on disk already. */
static gboolean
check_before_insert (PkStore           *self,
                     const PkSignature *sig,
                     const char        *petition_id,
                     const char        *signer_key,
                     gboolean           check_disk,
                     GError           **error)
{
  gboolean found = FALSE;

  if (sig->uuid != NULL)
    {
      if (!uuid_exists (self, sig->uuid, &found, error))
        return FALSE;
      if (found)
        {
          set_duplicate (error);
          return FALSE;
        }
    }

  if (sig->source == PK_SOURCE_PAPER && !check_paper_line (self, sig, error))
    return FALSE;

  if (check_disk)
    {
      if (!is_duplicate_on_disk (self, petition_id, signer_key, &found, error))
        return FALSE;
      if (found)
        {
          set_duplicate (error);
          return FALSE;
        }
    }

  return TRUE;
}

/* The bytes stored for @sig: its serialized form, encrypted under
 * @session when there is one. */
static GBytes *
make_payload (const PkSignature  *sig,
              PkStoreSession     *session,
              const char         *uuid,
              GError            **error)
{
  g_autoptr(GBytes) plain = pk_signature_serialize (sig);

  if (session == NULL)
    return g_steal_pointer (&plain);

  return pk_crypto_encrypt_payload (session->key, plain, uuid, error);
}

/* Validates and writes @sig; a repeat of a signer already on this
 * kiosk is refused when @refuse_repeat, else stored like any other. */
static gboolean
add_signature (PkStore      *self,
               PkPetition   *petition,
               PkSignature  *sig,
               gboolean      refuse_repeat,
               PkField      *out_field,
               GError      **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *signer_key = NULL;
  g_autofree char *seen = NULL;
  g_autoptr(GBytes) payload = NULL;
  const guint8 *coordinator_key;
  const char *petition_id;
  PkStoreSession *session = NULL;
  gboolean pending_key = FALSE;
  gint64 signed_at;
  gint64 batch_id;
  gint64 key_id = 0;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (sig != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pk_signature_validate (sig, petition, out_field, error))
    return FALSE;

  petition_id = pk_petition_get_id (petition);
  coordinator_key = pk_petition_get_coordinator_key (petition);
  signer_key = pk_signer_key (sig, NULL);

  if (coordinator_key != NULL)
    {
      if (!check_repeat_in_memory (self, petition_id, signer_key, refuse_repeat, &seen, error))
        return FALSE;

      session = session_for (self, coordinator_key, error);
      if (session == NULL)
        return FALSE;
    }

  uuid = sig->uuid != NULL ? g_strdup (sig->uuid) : g_uuid_string_random ();
  signed_at = sig->signed_at != 0 ? sig->signed_at : now_to_the_minute ();

  payload = make_payload (sig, session, uuid, error);
  if (payload == NULL)
    return FALSE;

  if (!pk_store_begin (self, error))
    return FALSE;

  /* In encrypted mode nothing that could confirm a signer goes to disk,
   * not even a hash: duplicates were checked in memory above. */
  if (!check_before_insert (self, sig, petition_id, signer_key, session == NULL && refuse_repeat, error))
    goto fail;

  batch_id = pk_store_batch_for_petition (self, petition_id, coordinator_key, signed_at, error);
  if (batch_id < 0)
    goto fail;

  if (session != NULL)
    {
      key_id = sealed_key_id (self, session, coordinator_key, &pending_key, error);
      if (key_id == 0)
        goto fail;
    }

  if (!insert_row (self, sig, uuid, signed_at, petition_id, batch_id,
                   session == NULL ? signer_key : NULL,
                   payload, key_id, error))
    goto fail;

  if (!pk_store_commit (self, error))
    return FALSE;

  /* Only now that the transaction is committed do the in-memory records
   * follow it; inside an outer transaction they are logged so that its
   * rollback can take them back. */
  if (pending_key)
    {
      session->key_id = key_id;
      if (self->txn_depth > 0)
        g_ptr_array_add (self->txn_sessions, session);
    }
  remember_seen (self, g_steal_pointer (&seen));

  g_free (sig->uuid);
  sig->uuid = g_steal_pointer (&uuid);
  sig->signed_at = signed_at;
  return TRUE;

fail:
  pk_store_rollback (self);
  return FALSE;
}

gboolean
pk_store_add_signature (PkStore      *self,
                        PkPetition   *petition,
                        PkSignature  *sig,
                        PkField      *out_field,
                        GError      **error)
{
  return add_signature (self, petition, sig, TRUE, out_field, error);
}

gboolean
pk_store_add_signature_from_form (PkStore      *self,
                                  PkPetition   *petition,
                                  PkSignature  *sig,
                                  PkField      *out_field,
                                  GError      **error)
{
  return add_signature (self, petition, sig, FALSE, out_field, error);
}
