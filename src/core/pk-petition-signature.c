/* pk-petition-signature.c: the coordinator's signature block at the end
 * of a petition file (libsodium only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-petition-signature"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-petition.h"
#include "pk-petition-signature.h"

#define PK_SIGNATURE_GROUP "[Signature]"
/* Prefixed to the signed bytes, so that a signature made for a petition
 * can never pass for one over anything else the key might sign. */
#define PK_SIGNATURE_DOMAIN "petition-kiosk petition signature v1"
/* crypto_kdf: which subkey of the coordinator's secret key signs
 * petitions (context and id are part of the documented derivation). */
#define PK_SIGNING_KDF_CONTEXT "pkpetsig"
#define PK_SIGNING_KDF_ID      1

G_STATIC_ASSERT (sizeof PK_SIGNING_KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES);
G_STATIC_ASSERT (crypto_box_SECRETKEYBYTES == crypto_kdf_KEYBYTES);

/* The line from @start up to (not including) its '\n', without leading
 * blanks and without trailing blanks or CR, as GKeyFile reads it. */
static char *
trimmed_line (const char *start,
              gsize       length)
{
  g_autofree char *line = g_strndup (start, length);

  return g_strdup (g_strstrip (line));
}

static gboolean
signature_block_fail (GError     **error,
                      guint        line_no,
                      const char  *why)
{
  g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_BAD_SIGNATURE,
               _("Line %u: signature block: %s"), line_no, why);
  return FALSE;
}

/* One "Key=value" line inside the block. */
static gboolean
parse_block_line (const char          *line,
                  guint                line_no,
                  PkPetitionSignature *out,
                  gboolean            *seen_key,
                  gboolean            *seen_signature,
                  GError             **error)
{
  const char *eq = strchr (line, '=');
  g_autofree char *key = NULL;

  if (*line == '[')
    return signature_block_fail (error, line_no, _("nothing may follow it but its own keys."));
  if (eq == NULL)
    return signature_block_fail (error, line_no, _("expected “Key=value”."));

  key = g_strstrip (g_strndup (line, eq - line));
  if (g_str_equal (key, "SigningKey") && !*seen_key)
    {
      *seen_key = TRUE;
      if (!pk_key_from_base64 (eq + 1, out->signing_key, sizeof out->signing_key))
        return signature_block_fail (error, line_no, _("SigningKey is not a 32-byte base64 key."));
      return TRUE;
    }
  if (g_str_equal (key, "Signature") && !*seen_signature)
    {
      *seen_signature = TRUE;
      if (!pk_key_from_base64 (eq + 1, out->signature, sizeof out->signature))
        return signature_block_fail (error, line_no, _("Signature is not 64 bytes of base64."));
      return TRUE;
    }

  return signature_block_fail (error, line_no,
                               _("only SigningKey and Signature are allowed, each once."));
}

gboolean
pk_petition_signature_parse (const char           *data,
                             gsize                 length,
                             PkPetitionSignature  *out,
                             GError              **error)
{
  gboolean seen_key = FALSE, seen_signature = FALSE;
  gsize pos = 0;
  guint line_no = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->content_length = length;

  while (pos < length)
    {
      const char *nl = memchr (data + pos, '\n', length - pos);
      gsize line_length = nl != NULL ? (gsize) (nl - (data + pos)) : length - pos;
      g_autofree char *line = trimmed_line (data + pos, line_length);

      line_no++;
      if (!out->present && g_str_equal (line, PK_SIGNATURE_GROUP))
        {
          out->present = TRUE;
          out->content_length = pos;
          out->first_line = line_no;
        }
      else if (out->present && *line != '\0' && *line != '#' &&
               !parse_block_line (line, line_no, out, &seen_key, &seen_signature, error))
        return FALSE;

      pos += line_length + (nl != NULL ? 1 : 0);
    }

  if (out->present && !(seen_key && seen_signature))
    return signature_block_fail (error, out->first_line,
                                 _("it needs both SigningKey and Signature."));

  return TRUE;
}

/* The signed message: the domain string with its NUL, then the content
 * with every CR LF turned into LF, so that a file saved by an editor
 * with other line endings keeps its signature. */
static GByteArray *
canonical_message (const char *data,
                   gsize       content_length)
{
  GByteArray *message = g_byte_array_sized_new (sizeof PK_SIGNATURE_DOMAIN + content_length);

  g_byte_array_append (message, (const guint8 *) PK_SIGNATURE_DOMAIN, sizeof PK_SIGNATURE_DOMAIN);
  for (gsize i = 0; i < content_length; i++)
    if (!(data[i] == '\r' && i + 1 < content_length && data[i + 1] == '\n'))
      g_byte_array_append (message, (const guint8 *) &data[i], 1);

  return message;
}

gboolean
pk_petition_signature_verify (const char                 *data,
                              const PkPetitionSignature  *sig,
                              GError                    **error)
{
  g_autoptr(GByteArray) message = NULL;

  g_return_val_if_fail (sig != NULL && sig->present, FALSE);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PK_PETITION_ERROR, PK_PETITION_ERROR_BAD_SIGNATURE,
                           _("The cryptography library could not start"));
      return FALSE;
    }

  message = canonical_message (data, sig->content_length);
  if (crypto_sign_verify_detached (sig->signature, message->data, message->len,
                                   sig->signing_key) != 0)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_BAD_SIGNATURE,
                   _("Line %u: the coordinator’s signature does not match this file: "
                     "it was changed after it was signed."), sig->first_line);
      return FALSE;
    }

  return TRUE;
}

PkSigningKey *
pk_signing_key_derive (const PkCoordinatorKey  *key,
                       GError                 **error)
{
  g_autoptr(PkSigningKey) signing = NULL;
  guint8 seed[crypto_sign_SEEDBYTES];

  g_return_val_if_fail (key != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PK_KEYS_ERROR, PK_KEYS_ERROR_FAILED,
                           _("The cryptography library could not start"));
      return NULL;
    }

  signing = sodium_malloc (sizeof *signing);
  if (signing == NULL)
    g_error ("out of guarded memory");

  /* A subkey, not the X25519 secret itself: the two keys share no
   * bytes, and key files made before petitions were signed work as
   * they are. */
  crypto_kdf_derive_from_key (seed, sizeof seed, PK_SIGNING_KDF_ID, PK_SIGNING_KDF_CONTEXT,
                              key->secret_key);
  crypto_sign_seed_keypair (signing->public_key, signing->secret_key, seed);
  sodium_memzero (seed, sizeof seed);

  return g_steal_pointer (&signing);
}

void
pk_signing_key_free (PkSigningKey *key)
{
  if (key != NULL)
    sodium_free (key);
}

char *
pk_petition_signature_sign (const char    *data,
                            gsize          length,
                            PkSigningKey  *key,
                            gsize         *out_length,
                            GError       **error)
{
  PkPetitionSignature old;
  g_autoptr(GByteArray) message = NULL;
  g_autofree char *key_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  guint8 signature[crypto_sign_BYTES];
  GString *out;

  g_return_val_if_fail (key != NULL, NULL);

  if (!pk_petition_signature_parse (data, length, &old, error))
    return NULL;

  out = g_string_new_len (data, old.content_length);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  message = canonical_message (out->str, out->len);
  crypto_sign_detached (signature, NULL, message->data, message->len, key->secret_key);
  key_b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);
  signature_b64 = pk_key_to_base64 (signature, sizeof signature);

  g_string_append (out, PK_SIGNATURE_GROUP "\n"
                   "# The coordinator’s signature over everything above: any change\n"
                   "# there voids it. Sign again with `petition-kiosk sign-petition`.\n");
  g_string_append_printf (out, "SigningKey=%s\nSignature=%s\n", key_b64, signature_b64);

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
