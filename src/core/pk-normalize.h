/* pk-normalize.h: normalization of what people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Documented limits, in Unicode characters after normalization. */
#define PK_MAX_NAME_CHARS      200
#define PK_MAX_EMAIL_CHARS     254
#define PK_MAX_PHONE_CHARS      32
#define PK_MAX_POSTAL_CHARS     16
#define PK_MAX_COMMENT_CHARS  2000
/* Input larger than this (bytes) is refused before any work is done. */
#define PK_MAX_INPUT_BYTES   16384

/* NFC, trimmed, inner whitespace collapsed to one space; zero-width
 * space and other invisible format characters stripped, ZWJ/ZWNJ kept;
 * control characters and bidi embeddings/overrides/isolates refused.
 * Returns NULL with PK_SIGNATURE_ERROR_INVALID_TEXT or _TOO_LONG on
 * failure. The empty string is a valid result. */
char     *pk_normalize_text  (const char *input,
                              gssize      length,
                              guint       max_chars,
                              GError    **error);
/* pk_normalize_text plus: exactly one '@', non-empty local part, a
 * domain with a dot and valid labels; the domain is lower-cased, the
 * local part kept as typed. */
char     *pk_normalize_email (const char *input,
                              GError    **error);
/* Keeps a leading '+' and the digits; accepts spaces, dashes, dots,
 * parentheses and slashes as separators; 5–15 digits. */
char     *pk_normalize_phone (const char *input,
                              GError    **error);
/* The key under which two emails compare equal: the normalized email
 * wholly case-folded. */
char     *pk_email_compare_key (const char *normalized_email);

G_END_DECLS
