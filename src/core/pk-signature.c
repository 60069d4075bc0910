/* pk-signature.c: one signer's signature and its validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-signature"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pk-countries.h"
#include "pk-normalize.h"
#include "pk-phone.h"
#include "pk-signature.h"
#include "pk-strokes.h"

/* A country code, or its name: the longest name iso-codes has, in
 * English, German or Korean, is 46 characters. */
#define PK_COUNTRY_MAX_CHARS 64

/* Version of the payload encoding; see docs/data-model.md. */
#define PK_PAYLOAD_VERSION 1
#define PK_PAYLOAD_TYPE "(ya{ys}ay)"
#define PK_MAX_SHEET_SERIAL_CHARS 64

G_DEFINE_BOXED_TYPE (PkSignature, pk_signature, pk_signature_copy, pk_signature_free)

G_DEFINE_QUARK (pk-signature-error-quark, pk_signature_error)

const char *
pk_source_to_string (PkSource source)
{
  switch (source)
    {
    case PK_SOURCE_KIOSK:
      return "kiosk";
    case PK_SOURCE_PAPER:
      return "paper";
    default:
      g_return_val_if_reached (NULL);
    }
}

PkSignature *
pk_signature_new (void)
{
  return g_new0 (PkSignature, 1);
}

PkSignature *
pk_signature_copy (const PkSignature *sig)
{
  PkSignature *copy;

  g_return_val_if_fail (sig != NULL, NULL);

  copy = g_new0 (PkSignature, 1);
  copy->uuid = g_strdup (sig->uuid);
  copy->signed_at = sig->signed_at;
  copy->lang = g_strdup (sig->lang);
  copy->source = sig->source;
  copy->sheet_serial = g_strdup (sig->sheet_serial);
  copy->sheet_line = sig->sheet_line;
  copy->consent = sig->consent;
  copy->consent_hash = g_strdup (sig->consent_hash);
  copy->sensitive_consent = sig->sensitive_consent;
  copy->sensitive_consent_hash = g_strdup (sig->sensitive_consent_hash);
  copy->opt_in = sig->opt_in;
  for (guint i = 0; i < PK_N_FIELDS; i++)
    copy->fields[i] = g_strdup (sig->fields[i]);
  copy->strokes = sig->strokes != NULL ? g_bytes_ref (sig->strokes) : NULL;

  return copy;
}

void
pk_signature_free (PkSignature *sig)
{
  if (sig == NULL)
    return;

  g_free (sig->uuid);
  g_free (sig->lang);
  g_free (sig->sheet_serial);
  g_free (sig->consent_hash);
  g_free (sig->sensitive_consent_hash);
  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_free (sig->fields[i]);
  g_clear_pointer (&sig->strokes, g_bytes_unref);
  g_free (sig);
}

void
pk_signature_set_field (PkSignature *sig,
                        PkField      field,
                        const char  *value)
{
  g_return_if_fail (sig != NULL);
  g_return_if_fail (field < PK_N_FIELDS);

  g_free (sig->fields[field]);
  sig->fields[field] = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

static guint
max_chars_for (PkField field)
{
  switch (field)
    {
    case PK_FIELD_GIVEN_NAME:
    case PK_FIELD_FAMILY_NAME:
      return PK_MAX_NAME_CHARS;
    case PK_FIELD_EMAIL:
      return PK_MAX_EMAIL_CHARS;
    case PK_FIELD_PHONE:
      return PK_MAX_PHONE_CHARS;
    case PK_FIELD_POSTAL_CODE:
      return PK_MAX_POSTAL_CHARS;
    case PK_FIELD_COUNTRY:
      /* A code or a country's name; normalize_country() makes it the
       * code. */
      return PK_COUNTRY_MAX_CHARS;
    case PK_FIELD_COMMENT:
      return PK_MAX_COMMENT_CHARS;
    case PK_N_FIELDS:
    default:
      g_return_val_if_reached (0);
    }
}

/* @lang is the language the signer or the sheet used; @home the
 * country the campaign collects in, or NULL. */
static char *
normalize_country (const char  *value,
                   const char  *lang,
                   const char  *home,
                   GError     **error)
{
  g_autofree char *text = pk_normalize_text (value, -1, PK_COUNTRY_MAX_CHARS, NULL);
  g_autofree char *code = NULL;

  /* People write the country on a paper sheet or in a spreadsheet as a
   * name as often as a code: a name in the signer's language or in
   * English is taken and stored as its code. */
  if (text != NULL && strlen (text) != 2)
    {
      g_autoptr(GError) local_error = NULL;
      char *named = pk_country_code_for_name (text, lang, home, &local_error);

      if (named == NULL)
        g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_COUNTRY,
                             local_error->message);
      return named;
    }

  /* ISO 3166-1 alpha-2; case does not matter, so "kr" typed on a
   * tablet keyboard is KR. */
  if (text == NULL || !g_ascii_isalpha (text[0]) || !g_ascii_isalpha (text[1]))
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_COUNTRY,
                           _("Please enter the country’s name or its two-letter code, for example KR."));
      return NULL;
    }

  code = g_ascii_strup (text, -1);
  if (!pk_country_code_is_known (code))
    {
      g_set_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_COUNTRY,
                   _("No country has the code %s. Please enter the country’s name or its two-letter code, for example KR."),
                   code);
      return NULL;
    }
  return g_steal_pointer (&code);
}

static char *
normalize_postal_code (const char  *value,
                       GError     **error)
{
  g_autofree char *text = pk_normalize_text (value, -1, PK_MAX_POSTAL_CHARS, error);

  if (text == NULL)
    return NULL;

  /* Postal codes around the world use letters, digits, spaces and
   * hyphens (e.g. "SW1A 1AA", "1010", "03142", "00-950"). */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != ' ' && *p != '-')
      {
        g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                             _("Please use only letters, digits, spaces and hyphens."));
        return NULL;
      }

  return g_steal_pointer (&text);
}

static char *
normalize_field (PkField      field,
                 const char  *value,
                 const char  *lang,
                 PkPetition  *petition,
                 GError     **error)
{
  switch (field)
    {
    case PK_FIELD_EMAIL:
      return pk_normalize_email (value, error);
    case PK_FIELD_PHONE:
      return pk_normalize_phone (value, error);
    case PK_FIELD_COUNTRY:
      return normalize_country (value, lang, pk_petition_get_country (petition), error);
    case PK_FIELD_POSTAL_CODE:
      return normalize_postal_code (value, error);
    case PK_FIELD_GIVEN_NAME:
    case PK_FIELD_FAMILY_NAME:
    case PK_FIELD_COMMENT:
      return pk_normalize_text (value, -1, max_chars_for (field), error);
    case PK_N_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The phone in E.164, read in the signer's country, else the
 * petition's: Action Network matches people by phone, and duplicates
 * are found by it, so one number has one form. */
static gboolean
normalize_phone_e164 (PkSignature  *sig,
                      PkPetition   *petition,
                      PkField      *out_field,
                      GError      **error)
{
  const char *region = sig->fields[PK_FIELD_COUNTRY];
  char *e164;

  if (sig->fields[PK_FIELD_PHONE] == NULL)
    return TRUE;
  if (region == NULL)
    region = pk_petition_get_country (petition);
  e164 = pk_phone_to_e164 (sig->fields[PK_FIELD_PHONE], region, error);
  if (e164 == NULL)
    {
      if (out_field != NULL)
        *out_field = PK_FIELD_PHONE;
      return FALSE;
    }
  g_free (sig->fields[PK_FIELD_PHONE]);
  sig->fields[PK_FIELD_PHONE] = e164;
  return TRUE;
}

/* Normalizes field @i of @sig in place. Whitespace-only or
 * invisible-only input counts as empty, or "   " would pass as a name. */
static gboolean
normalize_one (PkSignature  *sig,
               PkPetition   *petition,
               guint         i,
               GError      **error)
{
  g_autofree char *plain = NULL;
  char *normalized;

  if (sig->fields[i] == NULL)
    return TRUE;

  /* Text normalization first, so that a field holding only spaces or
   * invisible characters counts as absent rather than malformed. */
  plain = pk_normalize_text (sig->fields[i], -1, max_chars_for (i), error);
  if (plain == NULL)
    return FALSE;

  if (*plain == '\0')
    {
      g_clear_pointer (&sig->fields[i], g_free);
      return TRUE;
    }

  normalized = normalize_field ((PkField) i, plain, sig->lang, petition, error);
  if (normalized == NULL)
    return FALSE;

  g_free (sig->fields[i]);
  sig->fields[i] = normalized;
  return TRUE;
}

static gboolean
check_asked (const PkSignature *sig,
             PkPetition        *petition,
             guint              i,
             GError           **error)
{
  if (sig->fields[i] == NULL || pk_petition_has_field (petition, i))
    return TRUE;

  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                       _("This petition does not ask for this."));
  return FALSE;
}

static gboolean
both_names_required (PkPetition *petition)
{
  return pk_petition_field_is_required (petition, PK_FIELD_GIVEN_NAME) &&
         pk_petition_field_is_required (petition, PK_FIELD_FAMILY_NAME);
}

/* People with a single name (mononyms) exist in many cultures, so the
 * form asks for a name, not for both parts. Listing both names in
 * Required therefore means "at least one of them"; listing only one
 * makes that one mandatory. On failure sets @out_field to the name
 * field to mark. */
static gboolean
check_name (const PkSignature *sig,
            PkPetition        *petition,
            PkField           *out_field,
            GError           **error)
{
  gboolean asks_name = pk_petition_has_field (petition, PK_FIELD_GIVEN_NAME) ||
                       pk_petition_has_field (petition, PK_FIELD_FAMILY_NAME);

  if (!asks_name ||
      sig->fields[PK_FIELD_GIVEN_NAME] != NULL || sig->fields[PK_FIELD_FAMILY_NAME] != NULL)
    return TRUE;

  *out_field = pk_petition_has_field (petition, PK_FIELD_GIVEN_NAME)
               ? PK_FIELD_GIVEN_NAME : PK_FIELD_FAMILY_NAME;
  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_NO_NAME,
                       _("Please enter your name."));
  return FALSE;
}

static gboolean
check_required (const PkSignature *sig,
                PkPetition        *petition,
                guint              i,
                GError           **error)
{
  gboolean is_name = i == PK_FIELD_GIVEN_NAME || i == PK_FIELD_FAMILY_NAME;

  /* Both names listed: check_name() asks for at least one. */
  if ((is_name && both_names_required (petition)) ||
      !pk_petition_field_is_required (petition, i) || sig->fields[i] != NULL)
    return TRUE;

  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_REQUIRED,
                       _("Please fill this in."));
  return FALSE;
}

static gboolean
check_consent (const PkSignature *sig,
               GError           **error)
{
  if (sig->consent)
    return TRUE;

  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_CONSENT,
                       _("Please tick the box to agree, so that your signature can count."));
  return FALSE;
}

/* Keeps @problem's message in @slot unless the slot holds one already:
 * "fill this in" under a field just said to be malformed would
 * contradict it. Returns 1 for a new problem, else 0. */
static guint
keep_problem (char   **slot,
              GError  *problem)
{
  if (problem == NULL || *slot != NULL)
    return 0;
  *slot = g_strdup (problem->message);
  return 1;
}

static gboolean
check_sensitive_consent (const PkSignature *sig,
                         PkPetition        *petition,
                         GError           **error)
{
  if (pk_petition_get_sensitive_consent_hash (petition, sig->lang) == NULL || sig->sensitive_consent)
    return TRUE;

  g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_SENSITIVE_CONSENT,
                       _("Please tick this box too: signing shows your opinion, so your signature can count only with this consent."));
  return FALSE;
}

guint
pk_signature_find_problems (const PkSignature *sig,
                            PkPetition        *petition,
                            char              *problems[PK_SIGNATURE_N_PROBLEMS])
{
  g_autoptr(PkSignature) work = NULL;
  g_autoptr(GError) consent_problem = NULL;
  g_autoptr(GError) sensitive_problem = NULL;
  guint n = 0;

  g_return_val_if_fail (sig != NULL, 0);
  g_return_val_if_fail (PK_IS_PETITION (petition), 0);

  memset (problems, 0, sizeof (char *) * PK_SIGNATURE_N_PROBLEMS);
  work = pk_signature_copy (sig);

  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_autoptr(GError) problem = NULL;

      normalize_one (work, petition, i, &problem);
      n += keep_problem (&problems[i], problem);
    }
  /* The phone is read in the signer's country, once that is known good. */
  if (problems[PK_FIELD_PHONE] == NULL && problems[PK_FIELD_COUNTRY] == NULL)
    {
      g_autoptr(GError) problem = NULL;

      normalize_phone_e164 (work, petition, NULL, &problem);
      n += keep_problem (&problems[PK_FIELD_PHONE], problem);
    }
  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_autoptr(GError) problem = NULL;

      check_asked (work, petition, i, &problem);
      n += keep_problem (&problems[i], problem);
    }
  /* A malformed name is a name given: "enter your name" would be wrong. */
  if (problems[PK_FIELD_GIVEN_NAME] == NULL && problems[PK_FIELD_FAMILY_NAME] == NULL)
    {
      g_autoptr(GError) problem = NULL;
      PkField name_field = PK_N_FIELDS;

      if (!check_name (work, petition, &name_field, &problem))
        n += keep_problem (&problems[name_field], problem);
    }
  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_autoptr(GError) problem = NULL;

      check_required (work, petition, i, &problem);
      n += keep_problem (&problems[i], problem);
    }
  check_consent (work, &consent_problem);
  n += keep_problem (&problems[PK_N_FIELDS], consent_problem);
  check_sensitive_consent (work, petition, &sensitive_problem);
  n += keep_problem (&problems[PK_N_FIELDS + 1], sensitive_problem);

  return n;
}

/* A paper signature names its sheet and line (the sheet's serial
 * normalized here); a kiosk signature names neither. */
static gboolean
check_sheet_place (PkSignature *sig,
                   GError     **error)
{
  switch (sig->source)
    {
    case PK_SOURCE_KIOSK:
      if (sig->sheet_serial != NULL || sig->sheet_line != 0)
        {
          g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                               _("Only a paper signature has a sheet and line."));
          return FALSE;
        }
      break;

    case PK_SOURCE_PAPER:
      {
        g_autofree char *serial = NULL;

        if (sig->sheet_serial != NULL)
          serial = pk_normalize_text (sig->sheet_serial, -1, PK_MAX_SHEET_SERIAL_CHARS, NULL);
        if (serial == NULL || *serial == '\0' || sig->sheet_line == 0)
          {
            g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                                 _("Please give the sheet number and the line on the sheet."));
            return FALSE;
          }
        g_free (sig->sheet_serial);
        sig->sheet_serial = g_steal_pointer (&serial);
      }
      break;

    default:
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                           _("Unknown signature source."));
      return FALSE;
    }

  return TRUE;
}

/* Strokes that do not decode would be a signature nobody can show. */
static gboolean
check_strokes (const PkSignature *sig,
               GError           **error)
{
  if (sig->strokes != NULL)
    {
      g_autoptr(PkStrokes) strokes = pk_strokes_decode (sig->strokes, NULL);

      if (strokes == NULL)
        {
          g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                               _("The handwritten signature could not be read. Please sign again."));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
pk_signature_validate (PkSignature *sig,
                       PkPetition  *petition,
                       PkField     *out_field,
                       GError     **error)
{
  PkField name_field = PK_N_FIELDS;

  g_return_val_if_fail (sig != NULL, FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_field != NULL)
    *out_field = PK_N_FIELDS;

  if (!pk_language_is_supported (sig->lang))
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_LANGUAGE,
                           _("Please choose one of the offered languages."));
      return FALSE;
    }

  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (!normalize_one (sig, petition, i, error))
      {
        if (out_field != NULL)
          *out_field = (PkField) i;
        return FALSE;
      }
  if (!normalize_phone_e164 (sig, petition, out_field, error))
    return FALSE;

  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (!check_asked (sig, petition, i, error))
      {
        if (out_field != NULL)
          *out_field = (PkField) i;
        return FALSE;
      }

  if (!check_name (sig, petition, &name_field, error))
    {
      if (out_field != NULL)
        *out_field = name_field;
      return FALSE;
    }

  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (!check_required (sig, petition, i, error))
      {
        if (out_field != NULL)
          *out_field = (PkField) i;
        return FALSE;
      }

  if (!check_consent (sig, error))
    return FALSE;

  if (!check_sensitive_consent (sig, petition, error))
    return FALSE;

  if (sig->uuid != NULL && !g_uuid_string_is_valid (sig->uuid))
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_INVALID_TEXT,
                           _("The signature has an invalid identifier."));
      return FALSE;
    }

  if (!check_sheet_place (sig, error) || !check_strokes (sig, error))
    return FALSE;

  g_free (sig->consent_hash);
  sig->consent_hash = g_strdup (pk_petition_get_consent_hash (petition, sig->lang));
  g_free (sig->sensitive_consent_hash);
  sig->sensitive_consent_hash = g_strdup (pk_petition_get_sensitive_consent_hash (petition, sig->lang));

  return TRUE;
}

GBytes *
pk_signature_serialize (const PkSignature *sig)
{
  g_autoptr(GVariant) variant = NULL;
  GVariantBuilder fields;
  gconstpointer strokes = NULL;
  gsize strokes_len = 0;

  g_return_val_if_fail (sig != NULL, NULL);

  g_variant_builder_init (&fields, G_VARIANT_TYPE ("a{ys}"));
  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (sig->fields[i] != NULL)
      g_variant_builder_add (&fields, "{ys}", (guchar) i, sig->fields[i]);

  if (sig->strokes != NULL)
    strokes = g_bytes_get_data (sig->strokes, &strokes_len);

  variant = g_variant_ref_sink (
    g_variant_new ("(y@a{ys}@ay)",
                   (guchar) PK_PAYLOAD_VERSION,
                   g_variant_builder_end (&fields),
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                              strokes != NULL ? strokes : "",
                                              strokes_len, 1)));

  /* GVariant's serialized form is fixed by its specification and the
   * same on every architecture: little-endian is chosen explicitly. */
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    {
      g_autoptr(GVariant) swapped = g_variant_byteswap (variant);
      return g_variant_get_data_as_bytes (swapped);
    }

  return g_variant_get_data_as_bytes (variant);
}

gboolean
pk_signature_deserialize (PkSignature  *sig,
                          GBytes       *payload,
                          GError      **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) fields = NULL;
  g_autoptr(GVariant) strokes = NULL;
  char *values[PK_N_FIELDS] = { NULL };
  GVariantIter iter;
  guchar version;
  guchar index;
  const char *value;
  gconstpointer strokes_data;
  gsize strokes_len = 0;

  g_return_val_if_fail (sig != NULL, FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (PK_PAYLOAD_TYPE),
                                                          payload, FALSE));
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    {
      GVariant *swapped = g_variant_byteswap (variant);
      g_variant_unref (variant);
      variant = swapped;
    }

  /* Data from disk or from another machine may be anything. Only the
   * normal form guarantees valid UTF-8 strings and in-bounds offsets;
   * anything else is refused rather than patched up. */
  if (!g_variant_is_normal_form (variant))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The stored signer details are damaged."));
      return FALSE;
    }

  g_variant_get (variant, "(y@a{ys}@ay)", &version, &fields, &strokes);
  if (version != PK_PAYLOAD_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The stored signer details use format %u, which this version cannot read."),
                   version);
      return FALSE;
    }

  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_next (&iter, "{y&s}", &index, &value))
    {
      if (index >= PK_N_FIELDS || values[index] != NULL || *value == '\0')
        {
          for (guint i = 0; i < PK_N_FIELDS; i++)
            g_free (values[i]);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The stored signer details are damaged."));
          return FALSE;
        }
      values[index] = g_strdup (value);
    }

  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_free (sig->fields[i]);
      sig->fields[i] = values[i];
    }

  g_clear_pointer (&sig->strokes, g_bytes_unref);
  strokes_data = g_variant_get_fixed_array (strokes, &strokes_len, 1);
  if (strokes_len > 0)
    sig->strokes = g_bytes_new (strokes_data, strokes_len);

  return TRUE;
}
