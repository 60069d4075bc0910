/* pk-sync-classify.c: which signatures may go to Action Network, and
 * what of a server's words may be kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-sync-classify"

#include "config.h"

#include <string.h>

#include "pk-sync-classify.h"

/* Shorter values (a one-letter name, a two-letter country) would blank
 * out ordinary words of the message and reveal nothing on their own. */
#define MIN_REDACTED_CHARS 3

PkSyncVerdict
pk_sync_classify (const PkSignature *sig,
                  gboolean           send_without_opt_in)
{
  g_return_val_if_fail (sig != NULL, PK_SYNC_NOT_SENDABLE_NO_CONTACT);

  if (sig->fields[PK_FIELD_EMAIL] == NULL && sig->fields[PK_FIELD_PHONE] == NULL)
    return PK_SYNC_NOT_SENDABLE_NO_CONTACT;
  if (!sig->opt_in && !send_without_opt_in)
    return PK_SYNC_HELD_NO_OPT_IN;
  return PK_SYNC_SENDABLE;
}

/* Replaces every case-insensitive occurrence of @value in @text. Both
 * are folded the same way, so offsets match only when folding keeps
 * lengths; where it does not, the folded text is what is kept. */
static char *
replace_folded (const char *text,
                const char *value)
{
  g_autofree char *folded_text = g_utf8_casefold (text, -1);
  g_autofree char *folded_value = g_utf8_casefold (value, -1);
  const char *source = strlen (folded_text) == strlen (text) ? text : folded_text;
  gsize value_length = strlen (folded_value);
  GString *out = g_string_new (NULL);
  const char *p = folded_text;
  const char *hit;

  if (g_utf8_strlen (value, -1) < MIN_REDACTED_CHARS)
    {
      g_string_free (out, TRUE);
      return g_strdup (text);
    }
  while ((hit = strstr (p, folded_value)) != NULL)
    {
      g_string_append_len (out, source + (p - folded_text), hit - p);
      g_string_append (out, "…");
      p = hit + value_length;
    }
  g_string_append (out, source + (p - folded_text));
  return g_string_free (out, FALSE);
}

char *
pk_sync_redact (const char        *message,
                const PkSignature *sig)
{
  g_autofree char *text = NULL;
  const char *email;

  g_return_val_if_fail (sig != NULL, NULL);

  if (message == NULL)
    return NULL;
  text = g_utf8_make_valid (message, -1);
  /* The whole email first, then its local part, which servers echo
   * on its own ("jane.doe is already…"). */
  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (sig->fields[i] != NULL)
      {
        char *next = replace_folded (text, sig->fields[i]);
        g_free (text);
        text = next;
      }
  email = sig->fields[PK_FIELD_EMAIL];
  if (email != NULL && strchr (email, '@') != NULL)
    {
      g_autofree char *local = g_strndup (email, strchr (email, '@') - email);
      char *next = replace_folded (text, local);
      g_free (text);
      text = next;
    }
  /* A phone also leaves in E.164; a server may echo either form. */
  if (sig->fields[PK_FIELD_PHONE] != NULL && sig->fields[PK_FIELD_PHONE][0] == '+')
    {
      char *next = replace_folded (text, sig->fields[PK_FIELD_PHONE] + 1);
      g_free (text);
      text = next;
    }
  return g_steal_pointer (&text);
}
