/* pk-signer-key.h: the duplicate rule, when two signatures are one signer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pk-signature.h"

G_BEGIN_DECLS

/* The duplicate rule, the one every path uses (the kiosk's store, paper
 * transcription, the merge); see docs/data-model.md, "Duplicates". Two
 * signatures of one petition are the same signer when their signer keys
 * are equal. Each signature has at most one key, so "same signer" is an
 * equivalence. */
typedef enum {
  PK_SIGNER_RULE_NONE,        /* nothing to compare: never a duplicate */
  PK_SIGNER_RULE_EMAIL,
  PK_SIGNER_RULE_PHONE,
  PK_SIGNER_RULE_NAME_POSTAL,
} PkSignerRule;

/* "email", "phone" or "name+postal_code" (as a master records it in
 * merge_duplicates.rule); NULL for PK_SIGNER_RULE_NONE. */
const char  *pk_signer_rule_to_string (PkSignerRule rule);

/* The signer key of @sig, whose fields are normalized (validated, or
 * read from a payload a kiosk wrote after validating): "e:" + the
 * email's compare key (pk_email_compare_key()) when there is an email;
 * else "p:" + the phone (E.164 after validation); else, when there is a
 * postal code and a name, "n:" + the case-folded NFKC given name, U+001F,
 * the family name, U+001F, the postal code without spaces or dashes in
 * upper case. NULL with PK_SIGNER_RULE_NONE otherwise. @out_rule may be
 * NULL. */
char        *pk_signer_key            (const PkSignature *sig,
                                       PkSignerRule      *out_rule);

G_END_DECLS
