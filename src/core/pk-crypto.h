/* pk-crypto.h: the few cryptographic operations the kiosk needs, all
 * done by libsodium
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PK_CRYPTO_ERROR (pk_crypto_error_quark ())

typedef enum {
  PK_CRYPTO_ERROR_FAILED,     /* libsodium could not initialize or allocate */
  PK_CRYPTO_ERROR_BAD_KEY,    /* malformed base64 or wrong key length */
  PK_CRYPTO_ERROR_DECRYPT,    /* wrong key, or the data was altered */
} PkCryptoError;

GQuark pk_crypto_error_quark (void);

/* X25519 key sizes (crypto_box). */
#define PK_CRYPTO_PUBLIC_KEY_BYTES 32
#define PK_CRYPTO_SECRET_KEY_BYTES 32
/* XChaCha20-Poly1305 session key size. */
#define PK_CRYPTO_SESSION_KEY_BYTES 32

/* Calls sodium_init() once per process; safe from any thread. Every
 * other function here calls it, so callers need it only to fail early. */
gboolean  pk_crypto_init             (GError       **error);

/* Hex SHA-256 of @len bytes at @data (lower case, 64 characters). */
char     *pk_crypto_sha256_hex       (const void    *data,
                                      gsize          len);

/* Standard base64 with padding (the alphabet of `base64` and of
 * CoordinatorKey= lines). */
char     *pk_crypto_base64_encode    (const guint8  *data,
                                      gsize          len);
/* Decodes @text, which must hold exactly @expected_len bytes; ASCII
 * whitespace around it is ignored. Returns FALSE with
 * PK_CRYPTO_ERROR_BAD_KEY otherwise. */
gboolean  pk_crypto_base64_decode_exact (const char *text,
                                         guint8     *out,
                                         gsize       expected_len,
                                         GError    **error);

/* A fresh X25519 key pair for a coordinator (crypto_box_keypair). */
gboolean  pk_crypto_box_keypair      (guint8         public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                                      guint8         secret_key[PK_CRYPTO_SECRET_KEY_BYTES],
                                      GError       **error);

/* A symmetric key that lives only in locked, guarded memory
 * (sodium_malloc + sodium_mlock) and is wiped when freed. */
typedef struct _PkSessionKey PkSessionKey;

/* A new random key. */
PkSessionKey *pk_session_key_new        (GError        **error);
/* A key from @len raw bytes (must be PK_CRYPTO_SESSION_KEY_BYTES), for
 * example just unsealed; the caller wipes its own copy. */
PkSessionKey *pk_session_key_new_from_data (const guint8 *data,
                                            gsize         len,
                                            GError      **error);
void          pk_session_key_free       (PkSessionKey   *key);

/* The key sealed to @public_key with crypto_box_seal: only the holder
 * of the matching secret key can open it. */
GBytes       *pk_session_key_seal       (PkSessionKey   *key,
                                         const guint8    public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                                         GError        **error);
/* Opens what pk_session_key_seal() made; PK_CRYPTO_ERROR_DECRYPT when
 * the key pair does not match or the data was altered. */
PkSessionKey *pk_session_key_unseal     (GBytes         *sealed,
                                         const guint8    public_key[PK_CRYPTO_PUBLIC_KEY_BYTES],
                                         const guint8    secret_key[PK_CRYPTO_SECRET_KEY_BYTES],
                                         GError        **error);

/* Plain payloads are padded to a multiple of this many bytes before
 * encryption (ISO/IEC 7816-4, sodium_pad()), so that a row's length
 * does not tell how long a name is. */
#define PK_CRYPTO_PAD_BLOCK 512

/* XChaCha20-Poly1305 (IETF) over @plain padded to PK_CRYPTO_PAD_BLOCK,
 * with "pk-pad512:" + @associated_data (the signature's UUID) bound to
 * the ciphertext; the prefix marks the padding. The result is a random
 * 24-byte nonce followed by the ciphertext and its 16-byte tag. */
GBytes       *pk_crypto_encrypt_payload (PkSessionKey   *key,
                                         GBytes         *plain,
                                         const char     *associated_data,
                                         GError        **error);
/* The inverse, padding removed; a payload written before padding (bound
 * to @associated_data alone) is read as it is. PK_CRYPTO_ERROR_DECRYPT
 * when the key, the associated data or any byte does not match. */
GBytes       *pk_crypto_decrypt_payload (PkSessionKey   *key,
                                         GBytes         *ciphertext,
                                         const char     *associated_data,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSessionKey, pk_session_key_free)

G_END_DECLS
