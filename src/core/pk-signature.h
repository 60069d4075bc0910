/* pk-signature.h: one signer's signature and its validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pk-petition.h"

G_BEGIN_DECLS

typedef enum {
  PK_SOURCE_KIOSK,
  PK_SOURCE_PAPER,
} PkSource;

const char *pk_source_to_string (PkSource source); /* "kiosk" / "paper" */

#define PK_SIGNATURE_ERROR (pk_signature_error_quark ())

/* Validation errors. The message is written for the signer (translated,
 * short, no jargon); pk_signature_validate() also reports which field. */
typedef enum {
  PK_SIGNATURE_ERROR_REQUIRED,     /* a required field is empty */
  PK_SIGNATURE_ERROR_NO_NAME,      /* neither given nor family name */
  PK_SIGNATURE_ERROR_TOO_LONG,
  PK_SIGNATURE_ERROR_INVALID_TEXT, /* invalid UTF-8, control or bidi characters */
  PK_SIGNATURE_ERROR_EMAIL,
  PK_SIGNATURE_ERROR_PHONE,
  PK_SIGNATURE_ERROR_COUNTRY,
  PK_SIGNATURE_ERROR_CONSENT,      /* consent not given */
  PK_SIGNATURE_ERROR_SENSITIVE_CONSENT, /* the petition's second consent not given */
  PK_SIGNATURE_ERROR_LANGUAGE,
} PkSignatureError;

GQuark pk_signature_error_quark (void);

/* A signature as it moves between the form, the CLI, the store, batches
 * and exports. Fields are normalized by pk_signature_validate(); an
 * absent field is NULL, never "". */
typedef struct {
  char     *uuid;                 /* random v4 UUID, set by the store if NULL */
  gint64    signed_at;            /* UTC, microseconds since the epoch; 0 = now */
  char     *lang;                 /* "ko", "en" or "de" */
  PkSource  source;
  char     *sheet_serial;         /* paper only, else NULL */
  guint     sheet_line;           /* paper only, else 0 */
  gboolean  consent;
  char     *consent_hash;         /* set by validate from the petition */
  /* The consent to data revealing a political opinion, for a petition
   * with a SensitiveConsentText; its hash is set by validate, and is
   * NULL for a petition without one. */
  gboolean  sensitive_consent;
  char     *sensitive_consent_hash;
  gboolean  opt_in;
  char     *fields[PK_N_FIELDS];
  GBytes   *strokes;              /* pk-strokes encoding, or NULL */
} PkSignature;

#define PK_TYPE_SIGNATURE (pk_signature_get_type ())
GType        pk_signature_get_type (void) G_GNUC_CONST;
PkSignature *pk_signature_new      (void);
PkSignature *pk_signature_copy     (const PkSignature *sig);
void         pk_signature_free     (PkSignature       *sig);
/* Takes a copy of @value; NULL or "" clears the field. */
void         pk_signature_set_field (PkSignature *sig,
                                     PkField      field,
                                     const char  *value);

/* Normalizes every field in place and checks it against @petition:
 * fields it does not ask for must be empty, required ones present, a
 * name present, consent given (both consents when the petition has a
 * sensitive-data consent), and each value well-formed. On failure
 * returns FALSE, sets @error and, when not NULL, @out_field to the
 * offending field (PK_N_FIELDS for a consent or the language; the error
 * code tells the two consents apart). */
gboolean     pk_signature_validate (PkSignature *sig,
                                    PkPetition  *petition,
                                    PkField     *out_field,
                                    GError     **error);

/* Every problem pk_signature_validate() would find in @sig, at once, for
 * a form that marks them all together: sets problems[field],
 * problems[PK_N_FIELDS] for the consent and problems[PK_N_FIELDS + 1]
 * for the sensitive-data consent to the message for it, or NULL; the
 * caller frees each. The language, identifier and source are not
 * checked, and @sig is left unchanged. Returns how many were set. */
#define PK_SIGNATURE_N_PROBLEMS (PK_N_FIELDS + 2)
guint        pk_signature_find_problems (const PkSignature *sig,
                                         PkPetition        *petition,
                                         char              *problems[PK_SIGNATURE_N_PROBLEMS]);

/* The signer's details (the fields and the strokes) as the compact,
 * versioned payload the store keeps, plain or encrypted: a GVariant
 * "(ya{ys}ay)" = (format version, field index → value, strokes), in
 * little-endian normal form. Documented in docs/data-model.md. */
GBytes      *pk_signature_serialize   (const PkSignature *sig);
/* Replaces @sig's fields and strokes with those in @payload. Refuses
 * anything that is not exactly such a payload (G_IO_ERROR_INVALID_DATA,
 * or G_IO_ERROR_NOT_SUPPORTED for a newer format) and leaves @sig
 * unchanged then. */
gboolean     pk_signature_deserialize (PkSignature       *sig,
                                       GBytes            *payload,
                                       GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSignature, pk_signature_free)

G_END_DECLS
