/* pk-crypto.c: libsodium wrappers for sealing keys and payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-crypto"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "pk-crypto.h"

struct _PkSessionKey {
  /* Points into sodium_malloc'ed memory: guard pages around it, locked
   * so it is never swapped out, and wiped by sodium_free. */
  guint8 *bytes;
};

G_DEFINE_QUARK (pk-crypto-error-quark, pk_crypto_error)

G_STATIC_ASSERT (PK_CRYPTO_PUBLIC_KEY_BYTES == crypto_box_PUBLICKEYBYTES);
G_STATIC_ASSERT (PK_CRYPTO_SECRET_KEY_BYTES == crypto_box_SECRETKEYBYTES);
G_STATIC_ASSERT (PK_CRYPTO_SESSION_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

gboolean
pk_crypto_init (GError **error)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialized))
    {
      /* sodium_init returns 1 when already initialized, which is fine. */
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }

  if (!ok)
    g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_FAILED,
                         _("The cryptography library could not start."));
  return ok;
}

char *
pk_crypto_sha256_hex (const void *data,
                      gsize       len)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  /* SHA-256 needs no initialization, but keep the single entry rule. */
  pk_crypto_init (NULL);
  crypto_hash_sha256 (digest, data, len);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

char *
pk_crypto_base64_encode (const guint8 *data,
                         gsize         len)
{
  gsize out_len = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (out_len);

  pk_crypto_init (NULL);
  sodium_bin2base64 (out, out_len, data, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

gboolean
pk_crypto_base64_decode_exact (const char *text,
                               guint8     *out,
                               gsize       expected_len,
                               GError    **error)
{
  g_autofree char *stripped = NULL;
  gsize bin_len = 0;
  const char *end = NULL;
  /* One spare byte shows whether the input decodes to more than asked. */
  g_autofree guint8 *buffer = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!pk_crypto_init (error))
    return FALSE;

  stripped = g_strstrip (g_strdup (text));
  buffer = g_malloc (expected_len + 1);
  if (sodium_base642bin (buffer, expected_len + 1, stripped, strlen (stripped),
                         NULL, &bin_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end == NULL || *end != '\0' || bin_len != expected_len)
    {
      sodium_memzero (buffer, expected_len + 1);
      g_set_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY,
                   g_dngettext (GETTEXT_PACKAGE, "Not a base64 key of %u byte.",
                                "Not a base64 key of %u bytes.", expected_len),
                   (guint) expected_len);
      return FALSE;
    }

  memcpy (out, buffer, expected_len);
  sodium_memzero (buffer, expected_len + 1);
  return TRUE;
}

gboolean
pk_crypto_box_keypair (guint8   public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                       guint8   secret_key[PK_CRYPTO_SECRET_KEY_BYTES],
                       GError **error)
{
  if (!pk_crypto_init (error))
    return FALSE;

  crypto_box_keypair (public_key, secret_key);
  return TRUE;
}

static PkSessionKey *
session_key_alloc (GError **error)
{
  PkSessionKey *key;
  guint8 *bytes;

  if (!pk_crypto_init (error))
    return NULL;

  bytes = sodium_malloc (PK_CRYPTO_SESSION_KEY_BYTES);
  if (bytes == NULL)
    {
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_FAILED,
                           _("No memory for a key."));
      return NULL;
    }
  /* sodium_malloc already tries to lock the pages; a failure to lock
   * (RLIMIT_MEMLOCK) is not fatal, the key then may reach swap, which an
   * encrypted swap or none at all (the usual kiosk set-up) covers. */
  sodium_mlock (bytes, PK_CRYPTO_SESSION_KEY_BYTES);

  key = g_new0 (PkSessionKey, 1);
  key->bytes = bytes;
  return key;
}

PkSessionKey *
pk_session_key_new (GError **error)
{
  PkSessionKey *key = session_key_alloc (error);

  if (key != NULL)
    crypto_aead_xchacha20poly1305_ietf_keygen (key->bytes);
  return key;
}

PkSessionKey *
pk_session_key_new_from_data (const guint8 *data,
                              gsize         len,
                              GError      **error)
{
  PkSessionKey *key;

  g_return_val_if_fail (data != NULL, NULL);

  if (len != PK_CRYPTO_SESSION_KEY_BYTES)
    {
      g_set_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY,
                   g_dngettext (GETTEXT_PACKAGE, "A session key must be %u byte long.",
                                "A session key must be %u bytes long.", PK_CRYPTO_SESSION_KEY_BYTES),
                   PK_CRYPTO_SESSION_KEY_BYTES);
      return NULL;
    }

  key = session_key_alloc (error);
  if (key != NULL)
    memcpy (key->bytes, data, len);
  return key;
}

void
pk_session_key_free (PkSessionKey *key)
{
  if (key == NULL)
    return;

  /* sodium_free wipes the memory before releasing it; the explicit
   * memzero and munlock state the intent and cost nothing. */
  sodium_memzero (key->bytes, PK_CRYPTO_SESSION_KEY_BYTES);
  sodium_munlock (key->bytes, PK_CRYPTO_SESSION_KEY_BYTES);
  sodium_free (key->bytes);
  g_free (key);
}

GBytes *
pk_session_key_seal (PkSessionKey *key,
                     const guint8  public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                     GError      **error)
{
  guint8 *sealed;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  sealed = g_malloc (crypto_box_SEALBYTES + PK_CRYPTO_SESSION_KEY_BYTES);
  if (crypto_box_seal (sealed, key->bytes, PK_CRYPTO_SESSION_KEY_BYTES, public_key) != 0)
    {
      g_free (sealed);
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY,
                           _("The coordinator key cannot be used for sealing."));
      return NULL;
    }

  return g_bytes_new_take (sealed, crypto_box_SEALBYTES + PK_CRYPTO_SESSION_KEY_BYTES);
}

PkSessionKey *
pk_session_key_unseal (GBytes       *sealed,
                       const guint8  public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                       const guint8  secret_key[PK_CRYPTO_SECRET_KEY_BYTES],
                       GError      **error)
{
  g_autoptr(PkSessionKey) key = NULL;
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (sealed != NULL, NULL);

  key = session_key_alloc (error);
  if (key == NULL)
    return NULL;

  data = g_bytes_get_data (sealed, &len);
  if (len != crypto_box_SEALBYTES + PK_CRYPTO_SESSION_KEY_BYTES ||
      crypto_box_seal_open (key->bytes, data, len, public_key, secret_key) != 0)
    {
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT,
                           _("This key cannot open the sealed session key."));
      return NULL;
    }

  return g_steal_pointer (&key);
}

/* The associated data of a padded payload. Bound by the tag, the
 * prefix tells the two formats apart with certainty, which the padding
 * itself could not (an unpadded payload may end like a padded one). */
static char *
pk_crypto_padded_ad (const char *associated_data)
{
  return g_strconcat ("pk-pad512:", associated_data, NULL);
}

GBytes *
pk_crypto_encrypt_payload (PkSessionKey *key,
                           GBytes       *plain,
                           const char   *associated_data,
                           GError      **error)
{
  const gsize nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  g_autofree char *ad = NULL;
  g_autofree guint8 *padded = NULL;
  const guint8 *data;
  gsize len = 0;
  size_t padded_len = 0;
  unsigned long long out_len = 0;
  guint8 *out;
  int rc;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (plain != NULL, NULL);
  g_return_val_if_fail (associated_data != NULL, NULL);

  data = g_bytes_get_data (plain, &len);
  /* sodium_pad always adds at least one byte (the 0x80 marker). */
  padded = g_malloc (len + PK_CRYPTO_PAD_BLOCK);
  if (len > 0)
    memcpy (padded, data, len);
  /* Cannot fail: the buffer has room for a whole block more. */
  rc = sodium_pad (&padded_len, padded, len, PK_CRYPTO_PAD_BLOCK, len + PK_CRYPTO_PAD_BLOCK);
  g_assert (rc == 0);
  ad = pk_crypto_padded_ad (associated_data);
  out = g_malloc (nonce_len + padded_len + crypto_aead_xchacha20poly1305_ietf_ABYTES);

  /* 192-bit random nonces never collide in practice, which is why
   * XChaCha20 is used: no counter has to survive a crash. */
  randombytes_buf (out, nonce_len);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + nonce_len, &out_len,
                                              padded, padded_len,
                                              (const guint8 *) ad, strlen (ad),
                                              NULL, out, key->bytes);
  sodium_memzero (padded, len + PK_CRYPTO_PAD_BLOCK);
  return g_bytes_new_take (out, nonce_len + out_len);
}

static gboolean
pk_crypto_open (PkSessionKey        *key,
                const guint8        *data,
                gsize                len,
                const char          *ad,
                guint8              *out,
                unsigned long long  *out_len)
{
  const gsize nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

  return crypto_aead_xchacha20poly1305_ietf_decrypt (out, out_len, NULL,
                                                     data + nonce_len, len - nonce_len,
                                                     (const guint8 *) ad, strlen (ad),
                                                     data, key->bytes) == 0;
}

GBytes *
pk_crypto_decrypt_payload (PkSessionKey *key,
                           GBytes       *ciphertext,
                           const char   *associated_data,
                           GError      **error)
{
  const gsize nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const gsize tag_len = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  g_autofree char *ad = NULL;
  const guint8 *data;
  gsize len = 0;
  size_t unpadded_len = 0;
  unsigned long long out_len = 0;
  guint8 *out;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (ciphertext != NULL, NULL);
  g_return_val_if_fail (associated_data != NULL, NULL);

  data = g_bytes_get_data (ciphertext, &len);
  if (len < nonce_len + tag_len)
    {
      g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT,
                           _("The encrypted data is truncated."));
      return NULL;
    }

  out = g_malloc (len - nonce_len - tag_len + 1);
  ad = pk_crypto_padded_ad (associated_data);
  if (pk_crypto_open (key, data, len, ad, out, &out_len))
    {
      if (sodium_unpad (&unpadded_len, out, out_len, PK_CRYPTO_PAD_BLOCK) == 0)
        return g_bytes_new_take (out, unpadded_len);
    }
  /* Written before payloads were padded: the UUID alone. */
  else if (pk_crypto_open (key, data, len, associated_data, out, &out_len))
    return g_bytes_new_take (out, out_len);

  g_free (out);
  g_set_error_literal (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT,
                       _("The encrypted data does not match this key or was altered."));
  return NULL;
}
