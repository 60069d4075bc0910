/* pk-petition.h: a petition described by a GKeyFile "*.petition" file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The signer fields a petition may ask for, in storage order. The
 * string forms ("given_name", …) are the names used in petition files,
 * CSV headers and exports. */
typedef enum {
  PK_FIELD_GIVEN_NAME,
  PK_FIELD_FAMILY_NAME,
  PK_FIELD_EMAIL,
  PK_FIELD_PHONE,
  PK_FIELD_POSTAL_CODE,
  PK_FIELD_COUNTRY,
  PK_FIELD_COMMENT,
  PK_N_FIELDS
} PkField;

const char *pk_field_to_string   (PkField     field);
gboolean    pk_field_from_string (const char *name,
                                  PkField    *out_field);
/* The field's name as the form and the Paper page show it, translated
 * ("Given name"). */
const char *pk_field_get_title   (PkField     field);

#define PK_PETITION_ERROR (pk_petition_error_quark ())

typedef enum {
  PK_PETITION_ERROR_NOT_TEXT,     /* not UTF-8 text, or too large */
  PK_PETITION_ERROR_SYNTAX,       /* GKeyFile parse error; message names the line */
  PK_PETITION_ERROR_MISSING_KEY,  /* message names the key */
  PK_PETITION_ERROR_INVALID_KEY,  /* message names the key and why */
  PK_PETITION_ERROR_BAD_SIGNATURE, /* signature block malformed or not matching */
} PkPetitionError;

GQuark pk_petition_error_quark (void);

/* The languages the kiosk offers, in the order of the language buttons. */
#define PK_N_LANGUAGES 3
extern const char * const pk_languages[PK_N_LANGUAGES]; /* "ko", "en", "de" */
gboolean pk_language_is_supported (const char *lang);

#define PK_TYPE_PETITION (pk_petition_get_type ())
G_DECLARE_FINAL_TYPE (PkPetition, pk_petition, PK, PETITION, GObject)

PkPetition  *pk_petition_new_from_file        (const char  *path,
                                               GError     **error);
PkPetition  *pk_petition_new_from_data        (const char  *data,
                                               gsize        length,
                                               GError     **error);
const char  *pk_petition_get_id               (PkPetition  *self);
guint        pk_petition_get_version          (PkPetition  *self);
/* Localized getters: lang is "ko", "en" or "de"; they fall back to the
 * untranslated key. The returned string is owned by the petition. */
const char  *pk_petition_get_title            (PkPetition  *self,
                                               const char  *lang);
const char  *pk_petition_get_summary          (PkPetition  *self,
                                               const char  *lang);
const char  *pk_petition_get_text             (PkPetition  *self,
                                               const char  *lang);
const char  *pk_petition_get_consent_text     (PkPetition  *self,
                                               const char  *lang);
/* Hex SHA-256 of the consent text in @lang: what a signature records as
 * "the consent text accepted". */
const char  *pk_petition_get_consent_hash     (PkPetition  *self,
                                               const char  *lang);
const char  *pk_petition_get_organizer        (PkPetition  *self,
                                               const char  *lang);
/* The petition's PrivacyNotice in @lang, or, when the petition has none,
 * a neutral notice naming no law, translated into the current gettext
 * language (callers switch it to @lang before they show it). */
const char  *pk_petition_get_privacy_notice   (PkPetition  *self,
                                               const char  *lang);
/* The optional second consent, to processing data that reveal a
 * political opinion (SensitiveConsentText), and the hex SHA-256 of it in
 * @lang; both NULL when the petition has none. */
const char  *pk_petition_get_sensitive_consent_text (PkPetition *self,
                                                     const char *lang);
const char  *pk_petition_get_sensitive_consent_hash (PkPetition *self,
                                                     const char *lang);
const char  *pk_petition_get_url              (PkPetition  *self);
guint64      pk_petition_get_goal             (PkPetition  *self);
/* The ISO 3166-1 alpha-2 code of the country the campaign collects in
 * ("KR"), or NULL when the petition does not say. */
const char  *pk_petition_get_country          (PkPetition  *self);
gboolean     pk_petition_has_field            (PkPetition  *self,
                                               PkField      field);
gboolean     pk_petition_field_is_required    (PkPetition  *self,
                                               PkField      field);
/* The 32-byte X25519 public key of the coordinator, or NULL when the
 * petition stores signer data in plain form. */
const guint8 *pk_petition_get_coordinator_key (PkPetition  *self);
/* The 32-byte Ed25519 key whose valid signature the file carries (see
 * pk-petition-signature.h), or NULL for an unsigned file. A file whose
 * signature does not match is never loaded. */
const guint8 *pk_petition_get_signing_key     (PkPetition  *self);

G_END_DECLS
