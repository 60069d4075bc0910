/* pk-petition-signature.h: the coordinator's Ed25519 signature at the
 * end of a petition file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The block and what it covers are described in docs/petition-format.md.
 * The signature covers every byte of the file before the block (line
 * endings normalized), so every key, present or added later, is covered
 * without a list of keys to keep up to date.
 */
#pragma once

#include <glib.h>
#include <sodium.h>

#include "pk-keys.h"

G_BEGIN_DECLS

#define PK_PETITION_SIGNING_KEY_BYTES crypto_sign_PUBLICKEYBYTES  /* 32 */
#define PK_PETITION_SIGNATURE_BYTES   crypto_sign_BYTES            /* 64 */

/* The signature block of a petition file, as read. */
typedef struct {
  gboolean present;          /* FALSE: the file is unsigned */
  gsize    content_length;   /* bytes before the block: what is signed */
  guint    first_line;       /* line number of the block's "[Signature]" */
  guint8   signing_key[PK_PETITION_SIGNING_KEY_BYTES];
  guint8   signature[PK_PETITION_SIGNATURE_BYTES];
} PkPetitionSignature;

/* Finds the block in @data: a line "[Signature]" and after it only the
 * keys SigningKey and Signature (each once), blank lines and comments.
 * Without one, @out->present is FALSE and the whole file is content. A
 * malformed block is refused with a PK_PETITION_ERROR naming the line. */
gboolean pk_petition_signature_parse  (const char                *data,
                                       gsize                      length,
                                       PkPetitionSignature       *out,
                                       GError                   **error);
/* Checks @sig (present) over the content of @data; refuses with
 * PK_PETITION_ERROR_BAD_SIGNATURE when any byte of the content, the key
 * or the signature was changed. */
gboolean pk_petition_signature_verify (const char                *data,
                                       const PkPetitionSignature *sig,
                                       GError                   **error);

/* The coordinator's Ed25519 signing key pair, derived from the secret
 * key of their key file with crypto_kdf, in guarded memory. Every key
 * file, including those made before petitions were signed, has one. */
typedef struct {
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
} PkSigningKey;

PkSigningKey *pk_signing_key_derive (const PkCoordinatorKey *key,
                                     GError                **error);
void          pk_signing_key_free   (PkSigningKey           *key);

/* @data with its signature block (if any) replaced by a new one, made
 * with @key. The content is kept byte for byte; a missing final newline
 * is added. Returns the new file's bytes, NUL-terminated. */
char *pk_petition_signature_sign (const char    *data,
                                  gsize          length,
                                  PkSigningKey  *key,
                                  gsize         *out_length,
                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSigningKey, pk_signing_key_free)

G_END_DECLS
