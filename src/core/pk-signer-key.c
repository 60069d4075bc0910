/* pk-signer-key.c: the duplicate rule, when two signatures are one signer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-signer-key"

#include "config.h"

#include "pk-normalize.h"
#include "pk-signer-key.h"

const char *
pk_signer_rule_to_string (PkSignerRule rule)
{
  switch (rule)
    {
    case PK_SIGNER_RULE_EMAIL:
      return "email";
    case PK_SIGNER_RULE_PHONE:
      return "phone";
    case PK_SIGNER_RULE_NAME_POSTAL:
      return "name+postal_code";
    case PK_SIGNER_RULE_NONE:
      return NULL;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Case-folded NFKC: "Müller", "MÜLLER" and a compatibility form of it
 * compare equal; Hangul typed as conjoining jamo equals precomposed
 * syllables. */
static void
append_folded_name (GString    *key,
                    const char *name)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;

  if (name == NULL)
    return;
  nfkc = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (nfkc != NULL ? nfkc : name, -1);
  g_string_append (key, folded);
}

char *
pk_signer_key (const PkSignature *sig,
               PkSignerRule      *out_rule)
{
  const char *email;
  const char *phone;
  const char *postal;
  const char *given;
  const char *family;
  PkSignerRule unused;
  GString *key;

  g_return_val_if_fail (sig != NULL, NULL);

  if (out_rule == NULL)
    out_rule = &unused;
  email = sig->fields[PK_FIELD_EMAIL];
  phone = sig->fields[PK_FIELD_PHONE];
  postal = sig->fields[PK_FIELD_POSTAL_CODE];
  given = sig->fields[PK_FIELD_GIVEN_NAME];
  family = sig->fields[PK_FIELD_FAMILY_NAME];

  if (email != NULL)
    {
      g_autofree char *compare = pk_email_compare_key (email);

      *out_rule = PK_SIGNER_RULE_EMAIL;
      return g_strconcat ("e:", compare, NULL);
    }
  if (phone != NULL)
    {
      *out_rule = PK_SIGNER_RULE_PHONE;
      return g_strconcat ("p:", phone, NULL);
    }
  if (postal == NULL || (given == NULL && family == NULL))
    {
      *out_rule = PK_SIGNER_RULE_NONE;
      return NULL;
    }

  *out_rule = PK_SIGNER_RULE_NAME_POSTAL;
  key = g_string_new ("n:");
  append_folded_name (key, given);
  /* U+001F cannot occur in a normalized field, so it separates. */
  g_string_append_c (key, '\x1f');
  append_folded_name (key, family);
  g_string_append_c (key, '\x1f');
  for (const char *c = postal; *c != '\0'; c++)
    if (*c != ' ' && *c != '-')
      g_string_append_c (key, g_ascii_toupper (*c));
  return g_string_free (key, FALSE);
}
