/* test-crypto.c: sealing session keys and encrypting payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "pk-crypto.h"

#define UUID_A "6f1c2a9e-8a4b-4c41-9a53-3d1f0f0b7a11"
#define UUID_B "0d0e4d8f-1f2e-4b7a-8c6d-5e4f3a2b1c0d"

static void
test_sha256 (void)
{
  g_autofree char *empty = pk_crypto_sha256_hex ("", 0);
  g_autofree char *abc = pk_crypto_sha256_hex ("abc", 3);

  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_base64 (void)
{
  guint8 key[32];
  guint8 out[32];
  g_autofree char *encoded = NULL;
  g_autofree char *padded = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "", "not base64!", "AAAA", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh",
                        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=junk" };

  for (guint i = 0; i < sizeof key; i++)
    key[i] = i + 1;
  encoded = pk_crypto_base64_encode (key, sizeof key);
  g_assert_cmpstr (encoded, ==, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");

  /* Whitespace around a pasted key is forgiven. */
  padded = g_strdup_printf ("  %s\n", encoded);
  g_assert_true (pk_crypto_base64_decode_exact (padded, out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, key, sizeof key);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (pk_crypto_base64_decode_exact (bad[i], out, sizeof out, &error));
      g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY);
      g_clear_error (&error);
    }
}

static void
test_seal (void)
{
  guint8 pk[PK_CRYPTO_PUBLIC_KEY_BYTES], sk[PK_CRYPTO_SECRET_KEY_BYTES];
  guint8 other_pk[PK_CRYPTO_PUBLIC_KEY_BYTES], other_sk[PK_CRYPTO_SECRET_KEY_BYTES];
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSessionKey) key = pk_session_key_new (&error);
  g_autoptr(PkSessionKey) opened = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) plain = g_bytes_new_static ("홍길동 hong@example.org", strlen ("홍길동 hong@example.org"));
  g_autoptr(GBytes) ciphertext = NULL;
  g_autoptr(GBytes) decrypted = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_true (pk_crypto_box_keypair (pk, sk, NULL));
  g_assert_true (pk_crypto_box_keypair (other_pk, other_sk, NULL));

  sealed = pk_session_key_seal (key, pk, &error);
  g_assert_no_error (error);

  /* The wrong coordinator cannot open it. */
  g_assert_null (pk_session_key_unseal (sealed, other_pk, other_sk, &error));
  g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  opened = pk_session_key_unseal (sealed, pk, sk, &error);
  g_assert_no_error (error);

  ciphertext = pk_crypto_encrypt_payload (key, plain, UUID_A, &error);
  g_assert_no_error (error);
  /* Padded to the next whole block (sodium_pad adds at least one byte). */
  g_assert_cmpuint (g_bytes_get_size (ciphertext), ==,
                    24 + (g_bytes_get_size (plain) / PK_CRYPTO_PAD_BLOCK + 1) * PK_CRYPTO_PAD_BLOCK + 16);
  {
    gsize n = 0;
    const guint8 *data = g_bytes_get_data (ciphertext, &n);

    for (gsize i = 0; i + 4 <= n; i++)
      g_assert_false (memcmp (data + i, "hong", 4) == 0);
  }

  decrypted = pk_crypto_decrypt_payload (opened, ciphertext, UUID_A, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decrypted, plain));

  /* Another row's UUID, a flipped bit, a truncation: all refused. */
  g_assert_null (pk_crypto_decrypt_payload (opened, ciphertext, UUID_B, &error));
  g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  {
    const guint8 *data = g_bytes_get_data (ciphertext, &len);

    for (gsize i = 0; i < len; i += 7)
      {
        g_autofree guint8 *copy = g_memdup2 (data, len);
        g_autoptr(GBytes) bent = NULL;
        g_autoptr(GBytes) cut = g_bytes_new (data, i);

        copy[i] ^= 0x01;
        bent = g_bytes_new_take (g_steal_pointer (&copy), len);
        g_assert_null (pk_crypto_decrypt_payload (opened, bent, UUID_A, &error));
        g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
        g_clear_error (&error);
        g_assert_null (pk_crypto_decrypt_payload (opened, cut, UUID_A, &error));
        g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
        g_clear_error (&error);
      }
  }

  /* Two encryptions of the same payload differ (random nonces). */
  {
    g_autoptr(GBytes) again = pk_crypto_encrypt_payload (key, plain, UUID_A, NULL);

    g_assert_false (g_bytes_equal (again, ciphertext));
  }

  /* A sealed key of the wrong length is refused, not read past. */
  {
    g_autoptr(GBytes) short_sealed = g_bytes_new (g_bytes_get_data (sealed, NULL), 10);

    g_assert_null (pk_session_key_unseal (short_sealed, pk, sk, &error));
    g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_DECRYPT);
    g_clear_error (&error);
  }
  g_assert_null (pk_session_key_new_from_data (pk, 31, &error));
  g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY);
}

/* Issue 12 item 10: a row's length does not tell how long a name is.
 * Payloads of 1 and 400 bytes encrypt to the same length, and a
 * payload written before padding still opens. */
static void
test_padding (void)
{
  static const guint8 raw_key[PK_CRYPTO_SESSION_KEY_BYTES] = { 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSessionKey) key = pk_session_key_new_from_data (raw_key, sizeof raw_key, &error);
  g_autofree char *long_name = g_strnfill (400, 'x');
  g_autoptr(GBytes) short_plain = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) long_plain = g_bytes_new_static (long_name, 400);
  g_autoptr(GBytes) short_sealed = pk_crypto_encrypt_payload (key, short_plain, UUID_A, NULL);
  g_autoptr(GBytes) long_sealed = pk_crypto_encrypt_payload (key, long_plain, UUID_A, NULL);
  g_autoptr(GBytes) legacy = NULL;
  g_autoptr(GBytes) opened = NULL;
  guint8 out[24 + 3 + 16];
  unsigned long long out_len = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (short_sealed), ==, g_bytes_get_size (long_sealed));
  opened = pk_crypto_decrypt_payload (key, long_sealed, UUID_A, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (opened, long_plain));
  g_clear_pointer (&opened, g_bytes_unref);

  /* The format before padding: the plain bytes, bound to the UUID. */
  randombytes_buf (out, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + 24, &out_len, (const guint8 *) "abc", 3,
                                              (const guint8 *) UUID_A, strlen (UUID_A), NULL, out, raw_key);
  legacy = g_bytes_new (out, 24 + out_len);
  opened = pk_crypto_decrypt_payload (key, legacy, UUID_A, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened), "abc", 3);
}

/* A public key of all zeros is a low-order point: no shared secret can
 * come of it, and sealing to it is refused rather than done in vain. */
static void
test_seal_to_zero_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSessionKey) key = pk_session_key_new (&error);
  guint8 zero[PK_CRYPTO_PUBLIC_KEY_BYTES] = { 0 };

  g_assert_no_error (error);
  g_assert_null (pk_session_key_seal (key, zero, &error));
  g_assert_error (error, PK_CRYPTO_ERROR, PK_CRYPTO_ERROR_BAD_KEY);
  g_assert_cmpstr (error->message, ==, "The coordinator key cannot be used for sealing.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_assert_true (pk_crypto_init (NULL));
  g_test_add_func ("/Pk/Crypto/sha256", test_sha256);
  g_test_add_func ("/Pk/Crypto/base64", test_base64);
  g_test_add_func ("/Pk/Crypto/seal", test_seal);
  g_test_add_func ("/Pk/Crypto/seal-to-zero-key", test_seal_to_zero_key);
  g_test_add_func ("/Pk/Crypto/padding", test_padding);

  return g_test_run ();
}
