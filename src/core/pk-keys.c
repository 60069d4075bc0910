/* pk-keys.c: coordinator and kiosk keys (libsodium only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-keys"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-atomic.h"
#include "pk-keys.h"
#include "pk-store-private.h"

#define PK_KEY_FILE_GROUP     "CoordinatorSecretKey"
#define PK_KEY_FILE_FORMAT    1
#define PK_KEY_FILE_MAX_BYTES 65536
#define PK_KIOSK_KEY_SETTING  "kiosk_signing_key"
#define PK_FINGERPRINT_DOMAIN "petition-kiosk key fingerprint v1"
#define PK_FINGERPRINT_BYTES  20

G_DEFINE_QUARK (pk-keys-error-quark, pk_keys_error)

static gboolean
pk_keys_sodium_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PK_KEYS_ERROR, PK_KEYS_ERROR_FAILED,
                           _("The cryptography library could not start"));
      return FALSE;
    }
  return TRUE;
}

char *
pk_key_to_base64 (const guint8 *key,
                  gsize         length)
{
  gsize size = sodium_base64_encoded_len (length, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, key, length, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

gboolean
pk_key_from_base64 (const char *text,
                    guint8     *out,
                    gsize       length)
{
  size_t bin_len = 0;
  const char *end = NULL;
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  if (sodium_base642bin (out, length, trimmed, strlen (trimmed), NULL, &bin_len,
                         &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return FALSE;
  return bin_len == length && end != NULL && *end == '\0';
}

char *
pk_key_fingerprint (const guint8 *public_key)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  guint8 hash[32];
  crypto_generichash_state state;
  GString *out = g_string_new (NULL);
  guint bits = 0, n_bits = 0, n_chars = 0;

  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) PK_FINGERPRINT_DOMAIN,
                             sizeof PK_FINGERPRINT_DOMAIN);
  crypto_generichash_update (&state, public_key, 32);
  crypto_generichash_final (&state, hash, sizeof hash);

  /* 20 bytes are 160 bits, exactly 32 base32 characters. */
  for (guint i = 0; i < PK_FINGERPRINT_BYTES; i++)
    {
      bits = (bits << 8) | hash[i];
      n_bits += 8;
      while (n_bits >= 5)
        {
          if (n_chars > 0 && n_chars % 4 == 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, alphabet[(bits >> (n_bits - 5)) & 31]);
          n_bits -= 5;
          n_chars++;
        }
    }

  return g_string_free (out, FALSE);
}

static PkCoordinatorKey *
pk_coordinator_key_alloc (void)
{
  PkCoordinatorKey *key = sodium_malloc (sizeof *key);

  if (key == NULL)
    g_error ("out of guarded memory");
  return key;
}

void
pk_coordinator_key_free (PkCoordinatorKey *key)
{
  /* sodium_free zeroes the memory before releasing it. */
  if (key != NULL)
    sodium_free (key);
}

PkCoordinatorKey *
pk_coordinator_key_generate (const char  *path,
                             GError     **error)
{
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *secret_b64 = NULL;
  g_autofree char *contents = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  if (!pk_keys_sodium_init (error))
    return NULL;

  key = pk_coordinator_key_alloc ();
  crypto_box_keypair (key->public_key, key->secret_key);
  public_b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);
  secret_b64 = pk_key_to_base64 (key->secret_key, sizeof key->secret_key);
  contents = g_strdup_printf ("# Petition Kiosk coordinator secret key.\n"
                              "# Whoever holds this file can read the signers' details of\n"
                              "# every petition whose CoordinatorKey is the PublicKey below.\n"
                              "# Keep it off kiosks, on an encrypted disk, with a backup.\n"
                              "[" PK_KEY_FILE_GROUP "]\n"
                              "Format=%d\n"
                              "PublicKey=%s\n"
                              "SecretKey=%s\n",
                              PK_KEY_FILE_FORMAT, public_b64, secret_b64);
  ok = pk_atomic_write_contents (path, contents, strlen (contents), 0600, FALSE, error);
  sodium_memzero (secret_b64, strlen (secret_b64));
  sodium_memzero (contents, strlen (contents));
  if (!ok)
    return NULL;

  return g_steal_pointer (&key);
}

static gboolean
pk_keys_invalid (GError     **error,
                 const char  *path,
                 const char  *why)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID,
               _("“%s” is not a usable coordinator key file: %s"), display, why);
  return FALSE;
}

PkCoordinatorKey *
pk_coordinator_key_load (const char  *path,
                         GError     **error)
{
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *secret_b64 = NULL;
  guint8 derived[crypto_box_PUBLICKEYBYTES];
  gsize length = 0;
  gint format;

  g_return_val_if_fail (path != NULL, NULL);

  if (!pk_keys_sodium_init (error))
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length > PK_KEY_FILE_MAX_BYTES || !g_utf8_validate (contents, length, NULL))
    {
      pk_keys_invalid (error, path, _("it is not a small text file"));
      return NULL;
    }
  if (!g_key_file_load_from_data (keyfile, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      pk_keys_invalid (error, path, local_error->message);
      return NULL;
    }
  sodium_memzero (contents, length);

  format = g_key_file_get_integer (keyfile, PK_KEY_FILE_GROUP, "Format", &local_error);
  if (local_error != NULL)
    {
      pk_keys_invalid (error, path, local_error->message);
      return NULL;
    }
  if (format != PK_KEY_FILE_FORMAT)
    {
      pk_keys_invalid (error, path, _("it was made by a newer version of Petition Kiosk"));
      return NULL;
    }

  key = pk_coordinator_key_alloc ();
  public_b64 = g_key_file_get_string (keyfile, PK_KEY_FILE_GROUP, "PublicKey", NULL);
  secret_b64 = g_key_file_get_string (keyfile, PK_KEY_FILE_GROUP, "SecretKey", NULL);
  if (!pk_key_from_base64 (public_b64, key->public_key, sizeof key->public_key))
    {
      pk_keys_invalid (error, path, _("PublicKey is missing or not a 32-byte base64 key"));
      return NULL;
    }
  if (!pk_key_from_base64 (secret_b64, key->secret_key, sizeof key->secret_key))
    {
      pk_keys_invalid (error, path, _("SecretKey is missing or not a 32-byte base64 key"));
      return NULL;
    }
  if (secret_b64 != NULL)
    sodium_memzero (secret_b64, strlen (secret_b64));

  /* A file whose halves do not belong together would decrypt nothing and
   * only fail later, batch after batch; say so now. */
  crypto_scalarmult_base (derived, key->secret_key);
  if (sodium_memcmp (derived, key->public_key, sizeof derived) != 0)
    {
      pk_keys_invalid (error, path, _("the secret key does not match the public key"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

void
pk_kiosk_key_free (PkKioskKey *key)
{
  if (key != NULL)
    sodium_free (key);
}

static gboolean
pk_kiosk_key_from_setting (const char *value,
                           PkKioskKey *key)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  guint8 derived_sk[crypto_sign_SECRETKEYBYTES];
  gboolean same;

  if (!pk_key_from_base64 (value, key->secret_key, sizeof key->secret_key))
    return FALSE;
  /* An Ed25519 secret key is seed + public key; regenerating from the
   * seed catches a damaged value before it signs anything. */
  crypto_sign_ed25519_sk_to_seed (seed, key->secret_key);
  crypto_sign_seed_keypair (key->public_key, derived_sk, seed);
  same = sodium_memcmp (derived_sk, key->secret_key, sizeof derived_sk) == 0;
  sodium_memzero (seed, sizeof seed);
  sodium_memzero (derived_sk, sizeof derived_sk);
  return same;
}

PkKioskKey *
pk_kiosk_key_ensure (PkStore  *store,
                     GError  **error)
{
  g_autoptr(PkKioskKey) key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), NULL);

  if (!pk_keys_sodium_init (error))
    return NULL;

  key = sodium_malloc (sizeof *key);
  if (key == NULL)
    g_error ("out of guarded memory");

  value = pk_store_get_setting (store, PK_KIOSK_KEY_SETTING);
  if (value == NULL)
    {
      sqlite3 *db = pk_store_get_db (store);
      sqlite3_stmt *stmt = NULL;
      g_autofree char *encoded = NULL;
      int rc;

      crypto_sign_keypair (key->public_key, key->secret_key);
      encoded = pk_key_to_base64 (key->secret_key, sizeof key->secret_key);
      /* INSERT OR IGNORE, then read back: of two processes creating the
       * key at once, both end up using the one that was stored first. */
      rc = sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, PK_KIOSK_KEY_SETTING, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, encoded, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      sodium_memzero (encoded, strlen (encoded));
      if (rc != SQLITE_DONE)
        {
          g_set_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_FAILED,
                       _("Cannot store the kiosk signing key: %s"), sqlite3_errmsg (db));
          return NULL;
        }
      value = pk_store_get_setting (store, PK_KIOSK_KEY_SETTING);
    }

  if (!pk_kiosk_key_from_setting (value, key))
    {
      g_set_error_literal (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID,
                           _("The kiosk signing key in the database is damaged"));
      return NULL;
    }
  sodium_memzero (value, strlen (value));

  return g_steal_pointer (&key);
}

struct _PkTrustList {
  GHashTable *fingerprints;  /* normalized fingerprint → NULL */
};

/* Upper case, without the dashes and spaces people add or drop. */
static char *
pk_trust_normalize_fingerprint (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));

  return g_string_free (out, FALSE);
}

PkTrustList *
pk_trust_list_load (const char  *path,
                    GError     **error)
{
  g_autoptr(PkTrustList) self = g_new0 (PkTrustList, 1);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!pk_keys_sodium_init (error))
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (!g_utf8_validate (contents, length, NULL) || strlen (contents) != length)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID,
                   _("The trust list “%s” is not a text file"), display);
      return NULL;
    }

  self->fingerprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint8 key[32];

      if (*line == '\0' || *line == '#')
        continue;
      if (pk_key_from_base64 (line, key, sizeof key))
        {
          g_autofree char *fingerprint = pk_key_fingerprint (key);

          g_hash_table_add (self->fingerprints, pk_trust_normalize_fingerprint (fingerprint));
        }
      else
        {
          g_autofree char *normalized = pk_trust_normalize_fingerprint (line);

          if (strlen (normalized) != 32)
            {
              g_autofree char *display = g_filename_display_name (path);

              g_set_error (error, PK_KEYS_ERROR, PK_KEYS_ERROR_INVALID,
                           _("%s, line %u: neither a kiosk public key nor a fingerprint"),
                           display, i + 1);
              return NULL;
            }
          g_hash_table_add (self->fingerprints, g_steal_pointer (&normalized));
        }
    }

  return g_steal_pointer (&self);
}

gboolean
pk_trust_list_contains (PkTrustList  *self,
                        const guint8 *public_key)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  fingerprint = pk_key_fingerprint (public_key);
  normalized = pk_trust_normalize_fingerprint (fingerprint);
  return g_hash_table_contains (self->fingerprints, normalized);
}

void
pk_trust_list_free (PkTrustList *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->fingerprints, g_hash_table_unref);
  g_free (self);
}
