/* test-signature.c: validation against a petition, and the payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "pk-countries.h"
#include "pk-phone.h"
#include "pk-signature.h"
#include "pk-signer-key.h"
#include "pk-strokes.h"

static PkPetition *
petition_with (const char *fields,
               const char *required)
{
  g_autofree char *data = g_strdup_printf ("[Petition]\nId=t\nVersion=1\nTitle=T\nSummary=S\nText=X\n"
                                           "Url=https://example.org/\nOrganizer=O\n"
                                           "ConsentText=Yes.\nConsentText[ko]=네.\n"
                                           "Fields=%s\nRequired=%s\n", fields, required);
  g_autoptr(GError) error = NULL;
  PkPetition *petition = pk_petition_new_from_data (data, strlen (data), &error);

  g_assert_no_error (error);
  return petition;
}

static PkSignature *
signature (const char *given,
           const char *family)
{
  PkSignature *sig = pk_signature_new ();

  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, family);
  return sig;
}

static void
assert_valid (PkPetition  *petition,
              PkSignature *sig)
{
  g_autoptr(GError) error = NULL;
  PkField field = 0;

  g_assert_true (pk_signature_validate (sig, petition, &field, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (PkPetition  *petition,
                PkSignature *sig,
                int          code,
                PkField      expected_field)
{
  g_autoptr(GError) error = NULL;
  PkField field = 0;

  g_assert_false (pk_signature_validate (sig, petition, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, code);
  g_assert_cmpint (field, ==, expected_field);
}

static void
test_names (void)
{
  g_autoptr(PkPetition) either = petition_with ("given_name;family_name;", "given_name;family_name;");
  g_autoptr(PkPetition) family = petition_with ("given_name;family_name;", "family_name;");
  g_autoptr(PkPetition) none = petition_with ("given_name;family_name;email;", "");
  g_autoptr(PkSignature) both = signature ("길동", "홍");
  g_autoptr(PkSignature) given_only = signature ("Ahmed", NULL);
  g_autoptr(PkSignature) family_only = signature (NULL, "Suharto");
  g_autoptr(PkSignature) blank = signature ("  ", "\u200B");

  assert_valid (either, both);
  assert_valid (either, given_only);
  assert_valid (either, family_only);
  assert_invalid (either, blank, PK_SIGNATURE_ERROR_NO_NAME, PK_FIELD_GIVEN_NAME);
  /* Blank input is normalized away to "absent". */
  g_assert_null (blank->fields[PK_FIELD_GIVEN_NAME]);

  assert_valid (family, family_only);
  assert_invalid (family, given_only, PK_SIGNATURE_ERROR_REQUIRED, PK_FIELD_FAMILY_NAME);

  /* A petition that asks for a name always needs one. */
  assert_valid (none, given_only);
  g_clear_pointer (&blank, pk_signature_free);
  blank = signature (NULL, NULL);
  assert_invalid (none, blank, PK_SIGNATURE_ERROR_NO_NAME, PK_FIELD_GIVEN_NAME);
}

static void
test_countries (void)
{
  g_autoptr(GPtrArray) countries = pk_countries_new_sorted ();
  const PkCountry *korea = NULL;

  /* ISO 3166-1 lists 249; iso-codes may add one or two over the years. */
  g_assert_cmpuint (countries->len, >=, 249);
  for (guint i = 0; i < countries->len; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      g_assert_true (pk_country_code_is_known (country->code));
      g_assert_true (g_utf8_validate (country->name, -1, NULL));
      if (g_str_equal (country->code, "KR"))
        korea = country;
    }
  /* The everyday name, in the tests' language (English). */
  g_assert_nonnull (korea);
  g_assert_cmpstr (korea->name, ==, "South Korea");

  g_assert_true (pk_country_code_is_known ("DE"));
  g_assert_false (pk_country_code_is_known ("de"));
  g_assert_false (pk_country_code_is_known ("XX"));
  g_assert_false (pk_country_code_is_known ("KOR"));
  g_assert_false (pk_country_code_is_known (""));
  g_assert_false (pk_country_code_is_known (NULL));
}

static void
test_fields (void)
{
  g_autoptr(PkPetition) petition = petition_with ("given_name;email;country;postal_code;", "email;");
  g_autoptr(PkSignature) sig = signature ("Kim", NULL);

  /* Required email missing. */
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_REQUIRED, PK_FIELD_EMAIL);

  pk_signature_set_field (sig, PK_FIELD_EMAIL, " Kim@Example.ORG ");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "kr");
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, " 03142 ");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_EMAIL], ==, "Kim@example.org");
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "KR");
  g_assert_cmpstr (sig->fields[PK_FIELD_POSTAL_CODE], ==, "03142");
  g_assert_cmpstr (sig->consent_hash, ==, pk_petition_get_consent_hash (petition, "en"));

  /* The consent hash follows the language. */
  g_free (sig->lang);
  sig->lang = g_strdup ("ko");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->consent_hash, ==, pk_petition_get_consent_hash (petition, "ko"));
  g_assert_cmpstr (sig->consent_hash, !=, pk_petition_get_consent_hash (petition, "en"));

  /* A field the petition does not ask for. */
  pk_signature_set_field (sig, PK_FIELD_PHONE, "010-1234-5678");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_INVALID_TEXT, PK_FIELD_PHONE);
  pk_signature_set_field (sig, PK_FIELD_PHONE, NULL);

  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "Korea");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_COUNTRY, PK_FIELD_COUNTRY);
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "K1");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_COUNTRY, PK_FIELD_COUNTRY);
  /* Two letters, but no country has them. */
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "xx");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_COUNTRY, PK_FIELD_COUNTRY);
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "de");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "DE");
  /* A name, as written on paper or in a spreadsheet, becomes its code:
   * ISO's list name or the everyday one, case and accents aside. */
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, " south korea ");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "KR");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "Korea, Republic of");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "KR");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "ALAND ISLANDS");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "AX");
  /* No country is named just "Atlantis". */
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "Atlantis");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_COUNTRY, PK_FIELD_COUNTRY);
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, NULL);

  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "03142; DROP");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_INVALID_TEXT, PK_FIELD_POSTAL_CODE);
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, NULL);

  sig->consent = FALSE;
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_CONSENT, PK_N_FIELDS);
  sig->consent = TRUE;

  g_free (sig->lang);
  sig->lang = g_strdup ("fr");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_LANGUAGE, PK_N_FIELDS);
  g_free (sig->lang);
  sig->lang = g_strdup ("en");

  sig->strokes = g_bytes_new_static ("\x07junk", 5);
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_INVALID_TEXT, PK_N_FIELDS);
}

/* Phones are stored in E.164, read in the signer's country, else the
 * petition's; one that cannot exist there is refused at the field. */
static void
test_phones_e164 (void)
{
  g_autoptr(PkPetition) petition = petition_with ("given_name;phone;country", "given_name");
  g_autoptr(PkPetition) korean = NULL;
  g_autoptr(PkSignature) sig = signature ("Kim", NULL);
  g_autofree char *national = NULL;
  g_autofree char *data = g_strdup_printf ("[Petition]\nId=k\nVersion=1\nTitle=T\nSummary=S\nText=X\n"
                                           "Url=https://example.org/\nOrganizer=O\nConsentText=Yes.\n"
                                           "Fields=given_name;phone\nCountry=KR\n");
  g_autoptr(GError) error = NULL;

  pk_signature_set_field (sig, PK_FIELD_PHONE, "010-1234-5678");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_PHONE], ==, "+821012345678");
  /* Validating again leaves it as it is. */
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_PHONE], ==, "+821012345678");
  national = pk_phone_format_for (sig->fields[PK_FIELD_PHONE], "KR");
  g_assert_cmpstr (national, ==, "010-1234-5678");
  g_free (national);
  national = pk_phone_format_for (sig->fields[PK_FIELD_PHONE], "DE");
  g_assert_cmpstr (national, ==, "+82 10-1234-5678");

  pk_signature_set_field (sig, PK_FIELD_PHONE, "0170 1234567");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "DE");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_PHONE], ==, "+491701234567");

  /* A German number given with its country code, by a Korean signer. */
  pk_signature_set_field (sig, PK_FIELD_PHONE, "+49 30 123456");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "KR");
  assert_valid (petition, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_PHONE], ==, "+4930123456");

  /* Too short to be a German number; and no country to read it in. */
  pk_signature_set_field (sig, PK_FIELD_PHONE, "12345");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, "DE");
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_PHONE, PK_FIELD_PHONE);
  pk_signature_set_field (sig, PK_FIELD_PHONE, "010-1234-5678");
  pk_signature_set_field (sig, PK_FIELD_COUNTRY, NULL);
  assert_invalid (petition, sig, PK_SIGNATURE_ERROR_PHONE, PK_FIELD_PHONE);

  /* The petition's Country stands in for the signer's. */
  korean = pk_petition_new_from_data (data, strlen (data), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pk_petition_get_country (korean), ==, "KR");
  pk_signature_set_field (sig, PK_FIELD_PHONE, "010-1234-5678");
  assert_valid (korean, sig);
  g_assert_cmpstr (sig->fields[PK_FIELD_PHONE], ==, "+821012345678");
}

static void
test_payload_round_trip (void)
{
  g_autoptr(PkSignature) sig = signature ("Renée", "Łukasiewicz-Ó'Brien");
  g_autoptr(PkSignature) back = pk_signature_new ();
  g_autoptr(PkSignature) copy = NULL;
  g_autoptr(PkStrokes) strokes = pk_strokes_new ();
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  PkStrokePoint point = { 1, 2, 1, 3 };

  pk_strokes_add_point (strokes, &point);
  sig->strokes = pk_strokes_encode (strokes);
  pk_signature_set_field (sig, PK_FIELD_COMMENT, "=HYPERLINK(\"x\")");
  payload = pk_signature_serialize (sig);

  g_assert_true (pk_signature_deserialize (back, payload, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_assert_cmpstr (back->fields[i], ==, sig->fields[i]);
  g_assert_true (g_bytes_equal (back->strokes, sig->strokes));

  /* Serialization is deterministic. */
  again = pk_signature_serialize (back);
  g_assert_true (g_bytes_equal (again, payload));

  copy = pk_signature_copy (sig);
  g_assert_cmpstr (copy->fields[PK_FIELD_COMMENT], ==, sig->fields[PK_FIELD_COMMENT]);
  g_assert_true (copy->strokes == sig->strokes);
}

static void
test_payload_refused (void)
{
  g_autoptr(PkSignature) sig = signature ("Kim", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) wrong_version = g_variant_ref_sink (g_variant_new_parsed ("(byte 9, @a{ys} {}, @ay [])"));
  g_autoptr(GVariant) bad_index = g_variant_ref_sink (g_variant_new_parsed ("(byte 1, @a{ys} {12: 'x'}, @ay [])"));
  g_autoptr(GVariant) empty_value = g_variant_ref_sink (g_variant_new_parsed ("(byte 1, @a{ys} {0: ''}, @ay [])"));
  g_autoptr(GBytes) b1 = g_variant_get_data_as_bytes (wrong_version);
  g_autoptr(GBytes) b2 = g_variant_get_data_as_bytes (bad_index);
  g_autoptr(GBytes) b3 = g_variant_get_data_as_bytes (empty_value);
  g_autoptr(GBytes) b4 = g_bytes_new_static ("", 0);

  g_assert_false (pk_signature_deserialize (sig, b1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (pk_signature_deserialize (sig, b2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (pk_signature_deserialize (sig, b3, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (pk_signature_deserialize (sig, b4, &error));
  g_assert_nonnull (error);

  /* Refused payloads leave the signature as it was. */
  g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, "Kim");
}

/* A petition with a SensitiveConsentText needs that second consent too,
 * and the signature records the hash of the text in its language; one
 * without leaves the hash NULL whatever the flag says. */
static void
test_sensitive_consent (void)
{
  static const char data[] =
    "[Petition]\nId=t\nVersion=1\nTitle=T\nSummary=S\nText=X\n"
    "Url=https://example.org/\nOrganizer=O\nFields=given_name;\n"
    "ConsentText=Yes.\nSensitiveConsentText=Yes, my opinion too.\n"
    "SensitiveConsentText[ko]=제 견해도 동의합니다.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_data (data, strlen (data), &error);
  g_autoptr(PkPetition) plain = petition_with ("given_name;", "");
  g_autoptr(PkSignature) sig = signature ("Ada", NULL);
  PkField field = PK_FIELD_GIVEN_NAME;

  g_assert_no_error (error);
  sig->sensitive_consent = FALSE;
  g_assert_false (pk_signature_validate (sig, petition, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_SENSITIVE_CONSENT);
  g_assert_cmpint (field, ==, PK_N_FIELDS);
  g_clear_error (&error);

  sig->sensitive_consent = TRUE;
  g_free (sig->lang);
  sig->lang = g_strdup ("ko");
  g_assert_true (pk_signature_validate (sig, petition, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sig->sensitive_consent_hash, ==, pk_petition_get_sensitive_consent_hash (petition, "ko"));
  g_assert_cmpstr (sig->sensitive_consent_hash, !=, pk_petition_get_sensitive_consent_hash (petition, "en"));

  sig->sensitive_consent = FALSE;
  g_assert_true (pk_signature_validate (sig, plain, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (sig->sensitive_consent_hash);
}

/* The signer key's form, rule by rule; test-duplicate-rule checks that
 * every path compares signers by it. */
static void
test_signer_key (void)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  PkSignerRule rule = PK_SIGNER_RULE_EMAIL;
  char *key;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Jürgen");
  g_assert_null (pk_signer_key (sig, &rule));
  g_assert_cmpint (rule, ==, PK_SIGNER_RULE_NONE);
  g_assert_null (pk_signer_rule_to_string (rule));

  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "MÜLLER");
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, "d-10 117");
  key = pk_signer_key (sig, &rule);
  g_assert_cmpstr (key, ==, "n:jürgen\x1f" "müller\x1f" "D10117");
  g_assert_cmpstr (pk_signer_rule_to_string (rule), ==, "name+postal_code");
  g_free (key);

  pk_signature_set_field (sig, PK_FIELD_PHONE, "+821012345678");
  key = pk_signer_key (sig, &rule);
  g_assert_cmpstr (key, ==, "p:+821012345678");
  g_assert_cmpstr (pk_signer_rule_to_string (rule), ==, "phone");
  g_free (key);

  /* An email outranks the rest; ASCII and not ASCII fold alike. */
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "Jürgen.MÜLLER@Example.de");
  key = pk_signer_key (sig, &rule);
  g_assert_cmpstr (key, ==, "e:jürgen.müller@example.de");
  g_assert_cmpstr (pk_signer_rule_to_string (rule), ==, "email");
  g_free (key);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "Ada.LOVELACE@Example.ORG");
  key = pk_signer_key (sig, NULL);
  g_assert_cmpstr (key, ==, "e:ada.lovelace@example.org");
  g_free (key);
}

/* Where a signature was given: only a paper one names a sheet and a
 * line (its serial normalized), and its identifier, when it has one, is
 * a UUID. Such signatures come from batch files and imports, not only
 * from the form, so each refusal has its own words. */
static void
test_place (void)
{
  g_autoptr(PkPetition) petition = petition_with ("given_name;family_name;", "given_name;");
  g_autoptr(PkSignature) kiosk = signature ("Anna", "Schmidt");
  g_autoptr(PkSignature) paper = signature ("Anna", "Schmidt");
  g_autoptr(PkSignature) unknown = signature ("Anna", "Schmidt");
  g_autoptr(PkSignature) bad_uuid = signature ("Anna", "Schmidt");
  g_autoptr(GError) error = NULL;
  PkField field = 0;

  kiosk->sheet_line = 3;
  g_assert_false (pk_signature_validate (kiosk, petition, &field, &error));
  g_assert_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT);
  g_assert_cmpstr (error->message, ==, "Only a paper signature has a sheet and line.");
  g_clear_error (&error);

  paper->source = PK_SOURCE_PAPER;
  paper->sheet_line = 3;
  paper->sheet_serial = g_strdup ("\u200B ");
  g_assert_false (pk_signature_validate (paper, petition, &field, &error));
  g_assert_cmpstr (error->message, ==, "Please give the sheet number and the line on the sheet.");
  g_clear_error (&error);
  g_free (paper->sheet_serial);
  paper->sheet_serial = g_strdup ("  PK-DAE8D0-000042 ");
  g_assert_true (pk_signature_validate (paper, petition, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (paper->sheet_serial, ==, "PK-DAE8D0-000042");

  unknown->source = (PkSource) 7;
  g_assert_false (pk_signature_validate (unknown, petition, &field, &error));
  g_assert_cmpstr (error->message, ==, "Unknown signature source.");
  g_clear_error (&error);

  bad_uuid->uuid = g_strdup ("not-a-uuid");
  g_assert_false (pk_signature_validate (bad_uuid, petition, &field, &error));
  g_assert_cmpstr (error->message, ==, "The signature has an invalid identifier.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Signature/names", test_names);
  g_test_add_func ("/Pk/Signature/fields", test_fields);
  g_test_add_func ("/Pk/Signature/countries", test_countries);
  g_test_add_func ("/Pk/Signature/phones-e164", test_phones_e164);
  g_test_add_func ("/Pk/Signature/payload-round-trip", test_payload_round_trip);
  g_test_add_func ("/Pk/Signature/payload-refused", test_payload_refused);

  g_test_add_func ("/Pk/Signature/sensitive-consent", test_sensitive_consent);
  g_test_add_func ("/Pk/Signature/signer-key", test_signer_key);
  g_test_add_func ("/Pk/Signature/place", test_place);
  return g_test_run ();
}
