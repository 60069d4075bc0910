/* pk-fuzz-petition.c: fuzz target for the petition-file parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A petition file comes from whoever set the kiosk up, maybe from a USB
 * stick handed over at an event, so any bytes must either parse into a
 * petition whose every getter is usable or be refused with a
 * PK_PETITION_ERROR; never crash, hang or leak.
 *
 * The coordinator's signature block is fuzzed twice over: as part of
 * the whole input, and alone, as the block under a fixed petition, so
 * that every input reaches the block's parser and the verification.
 */
#define G_LOG_DOMAIN "pk-fuzz-petition"

#include "config.h"

#include <string.h>

#include "pk-fuzz.h"
#include "pk-petition.h"
#include "pk-petition-signature.h"

#define PETITION_CONTENT \
  "[Petition]\nId=fuzz\nVersion=1\nTitle=T\nSummary=S\nText=X\nUrl=https://example.org/\n" \
  "Organizer=O\nFields=given_name;\nConsentText=C\n[Signature]\n"

static void
check_text (const char *text)
{
  /* Every localized getter falls back to the untranslated key, and what
   * it returns is drawn by pango: it must be valid UTF-8. */
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* The input as the block under a fixed petition: whatever it holds,
 * no signature made by no one verifies, so it is refused, with a
 * message, or has no block that matters (comments and blank lines are
 * no signature and are refused for missing keys). */
static void
check_block (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = NULL;

  g_byte_array_append (file, (const guint8 *) PETITION_CONTENT, strlen (PETITION_CONTENT));
  g_byte_array_append (file, data, size);
  petition = pk_petition_new_from_data ((const char *) file->data, file->len, &error);
  g_assert_null (petition);
  g_assert_true (error->domain == PK_PETITION_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = NULL;
  PkPetitionSignature block;

  check_block (data, size);

  petition = pk_petition_new_from_data ((const char *) data, size, &error);
  if (petition == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_PETITION_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  g_assert_nonnull (pk_petition_get_id (petition));
  g_assert_nonnull (pk_petition_get_url (petition));
  g_assert_true (g_str_has_prefix (pk_petition_get_url (petition), "https://")
                 || g_str_has_prefix (pk_petition_get_url (petition), "http://"));
  (void) pk_petition_get_version (petition);
  (void) pk_petition_get_goal (petition);
  (void) pk_petition_get_coordinator_key (petition);

  /* A petition that loaded with a signing key carries a block that
   * parses and verifies on its own. */
  g_assert_true (pk_petition_signature_parse ((const char *) data, size, &block, NULL));
  g_assert_true (block.present == (pk_petition_get_signing_key (petition) != NULL));
  if (block.present)
    g_assert_true (pk_petition_signature_verify ((const char *) data, &block, NULL));

  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    {
      const char *lang = pk_languages[i];
      const char *hash;

      g_assert_nonnull (pk_petition_get_title (petition, lang));
      check_text (pk_petition_get_title (petition, lang));
      check_text (pk_petition_get_summary (petition, lang));
      check_text (pk_petition_get_text (petition, lang));
      check_text (pk_petition_get_consent_text (petition, lang));
      check_text (pk_petition_get_organizer (petition, lang));

      /* The consent hash is what a signature records: hex SHA-256. */
      hash = pk_petition_get_consent_hash (petition, lang);
      g_assert_nonnull (hash);
      g_assert_cmpuint (strlen (hash), ==, 64);

      /* The optional second consent: text and hash together or neither. */
      check_text (pk_petition_get_privacy_notice (petition, lang));
      hash = pk_petition_get_sensitive_consent_hash (petition, lang);
      g_assert_true ((hash == NULL) == (pk_petition_get_sensitive_consent_text (petition, lang) == NULL));
      if (hash != NULL)
        {
          check_text (pk_petition_get_sensitive_consent_text (petition, lang));
          g_assert_cmpuint (strlen (hash), ==, 64);
        }
    }

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      /* A required field the petition does not ask for could never be
       * filled in, so the parser must not accept one. */
      if (pk_petition_field_is_required (petition, field))
        g_assert_true (pk_petition_has_field (petition, field));
    }

  return 0;
}
