/* pk-keys.h: the coordinator's X25519 key pair and the kiosk's Ed25519
 * signing key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sodium.h>

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_KEYS_ERROR (pk_keys_error_quark ())

typedef enum {
  PK_KEYS_ERROR_FAILED,
  PK_KEYS_ERROR_INVALID,   /* not a key file, or a damaged one */
} PkKeysError;

GQuark pk_keys_error_quark (void);

#define PK_COORDINATOR_KEY_BYTES crypto_box_PUBLICKEYBYTES   /* 32 */
#define PK_KIOSK_KEY_BYTES       crypto_sign_PUBLICKEYBYTES  /* 32 */
#define PK_BATCH_SIGNATURE_BYTES crypto_sign_BYTES           /* 64 */

/* The coordinator's key pair, in guarded memory (sodium_malloc): the
 * secret never sits in a swappable, unzeroed heap block. */
typedef struct {
  guint8 public_key[crypto_box_PUBLICKEYBYTES];
  guint8 secret_key[crypto_box_SECRETKEYBYTES];
} PkCoordinatorKey;

/* Makes a new key pair and writes its secret key file to @path: mode
 * 0600, atomically, never over an existing file. Returns the pair. */
PkCoordinatorKey *pk_coordinator_key_generate (const char         *path,
                                               GError            **error);
/* Reads and checks a secret key file (format in docs/batch-format.md):
 * the public key must be the one the secret key derives. */
PkCoordinatorKey *pk_coordinator_key_load     (const char         *path,
                                               GError            **error);
void              pk_coordinator_key_free     (PkCoordinatorKey   *key);

/* The kiosk's Ed25519 key pair, kept in the store's settings. */
typedef struct {
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
} PkKioskKey;

/* Loads the kiosk's signing key from @store, creating it on first use.
 * Two processes racing to create it agree on one key. */
PkKioskKey       *pk_kiosk_key_ensure         (PkStore            *store,
                                               GError            **error);
void              pk_kiosk_key_free           (PkKioskKey         *key);

/* Standard base64 with padding, as in a petition's CoordinatorKey. */
char             *pk_key_to_base64            (const guint8       *key,
                                               gsize               length);
/* Decodes base64 of exactly @length bytes into @out. */
gboolean          pk_key_from_base64          (const char         *text,
                                               guint8             *out,
                                               gsize               length);
/* A short, readable fingerprint of a 32-byte public key: BLAKE2b-256
 * over a domain string and the key, first 20 bytes in base32, grouped
 * by four ("ABCD-EFGH-…", 8 groups). Stable across versions. */
char             *pk_key_fingerprint          (const guint8       *public_key);

/* A set of trusted kiosk keys read from a file: one base64 public key or
 * fingerprint a line; blank lines and lines starting with '#' ignored. */
typedef struct _PkTrustList PkTrustList;

PkTrustList      *pk_trust_list_load          (const char         *path,
                                               GError            **error);
gboolean          pk_trust_list_contains      (PkTrustList        *self,
                                               const guint8       *public_key);
void              pk_trust_list_free          (PkTrustList        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkCoordinatorKey, pk_coordinator_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkKioskKey, pk_kiosk_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkTrustList, pk_trust_list_free)

G_END_DECLS
