/* pk-petition.c: a petition described by a GKeyFile "*.petition" file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-petition"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
/* PRIu64 rather than G_GUINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-countries.h"
#include "pk-crypto.h"
#include "pk-petition.h"
#include "pk-petition-lines.h"
#include "pk-petition-signature.h"

/* A petition is a page of text, not a book: anything larger is refused
 * before parsing, so that a wrong file chosen in admin cannot stall the
 * kiosk. */
#define PK_PETITION_MAX_BYTES (256 * 1024)
#define PK_PETITION_MAX_ID_CHARS 64
#define PK_PETITION_MAX_GOAL G_GUINT64_CONSTANT (1000000000)

const char * const pk_languages[PK_N_LANGUAGES] = { "ko", "en", "de" };

static const char * const field_names[PK_N_FIELDS] = {
  [PK_FIELD_GIVEN_NAME]  = "given_name",
  [PK_FIELD_FAMILY_NAME] = "family_name",
  [PK_FIELD_EMAIL]       = "email",
  [PK_FIELD_PHONE]       = "phone",
  [PK_FIELD_POSTAL_CODE] = "postal_code",
  [PK_FIELD_COUNTRY]     = "country",
  [PK_FIELD_COMMENT]     = "comment",
};

/* The localized text keys, in the order of the texts[] array below. */
typedef enum {
  TEXT_TITLE,
  TEXT_SUMMARY,
  TEXT_TEXT,
  TEXT_CONSENT,
  TEXT_ORGANIZER,
  TEXT_PRIVACY,
  TEXT_SENSITIVE_CONSENT,
  N_TEXTS
} TextKey;

static const char * const text_keys[N_TEXTS] = {
  [TEXT_TITLE]     = "Title",
  [TEXT_SUMMARY]   = "Summary",
  [TEXT_TEXT]      = "Text",
  [TEXT_CONSENT]   = "ConsentText",
  [TEXT_ORGANIZER] = "Organizer",
  [TEXT_PRIVACY]   = "PrivacyNotice",
  [TEXT_SENSITIVE_CONSENT] = "SensitiveConsentText",
};

/* Texts a petition may leave out: the privacy notice then falls back to
 * a neutral one naming no law, and without a sensitive-data consent the
 * form and the sheets show only the one consent. */
static const gboolean text_is_optional[N_TEXTS] = {
  [TEXT_PRIVACY] = TRUE,
  [TEXT_SENSITIVE_CONSENT] = TRUE,
};

/* Keys every petition must have. */
static const char * const mandatory_keys[] = {
  "Id", "Version", "Title", "Summary", "Text", "Url", "Organizer",
  "Fields", "ConsentText",
};

struct _PkPetition {
  GObject parent_instance;

  char *id;
  guint version;
  char *url;
  guint64 goal;
  char country[3];
  gboolean has_field[PK_N_FIELDS];
  gboolean required[PK_N_FIELDS];
  gboolean has_coordinator_key;
  guint8 coordinator_key[PK_CRYPTO_PUBLIC_KEY_BYTES];
  gboolean is_signed;
  guint8 signing_key[PK_PETITION_SIGNING_KEY_BYTES];

  /* texts[key][language]: resolved once at load time, with the fallback
   * to the untranslated key already applied, so the getters return
   * strings the petition owns and cost nothing. The extra last column is
   * the untranslated value, for unknown languages. */
  char *texts[N_TEXTS][PK_N_LANGUAGES + 1];
  char *consent_hashes[PK_N_LANGUAGES + 1];
  char *sensitive_consent_hashes[PK_N_LANGUAGES + 1];  /* NULL without the text */
};

G_DEFINE_FINAL_TYPE (PkPetition, pk_petition, G_TYPE_OBJECT)

G_DEFINE_QUARK (pk-petition-error-quark, pk_petition_error)

const char *
pk_field_to_string (PkField field)
{
  g_return_val_if_fail (field < PK_N_FIELDS, NULL);

  return field_names[field];
}

const char *
pk_field_get_title (PkField field)
{
  switch (field)
    {
    case PK_FIELD_GIVEN_NAME:  return _("Given name");
    case PK_FIELD_FAMILY_NAME: return _("Family name");
    case PK_FIELD_EMAIL:       return _("Email");
    case PK_FIELD_PHONE:       return _("Phone");
    case PK_FIELD_POSTAL_CODE: return _("Postal code");
    case PK_FIELD_COUNTRY:     return _("Country");
    case PK_FIELD_COMMENT:     return _("Comment");
    case PK_N_FIELDS:
    default:
      g_return_val_if_reached ("");
    }
}

gboolean
pk_field_from_string (const char *name,
                      PkField    *out_field)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (g_str_equal (field_names[i], name))
      {
        if (out_field != NULL)
          *out_field = (PkField) i;
        return TRUE;
      }

  return FALSE;
}

gboolean
pk_language_is_supported (const char *lang)
{
  if (lang == NULL)
    return FALSE;

  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    if (g_str_equal (pk_languages[i], lang))
      return TRUE;

  return FALSE;
}

static guint
language_index (const char *lang)
{
  if (lang != NULL)
    for (guint i = 0; i < PK_N_LANGUAGES; i++)
      if (g_str_equal (pk_languages[i], lang))
        return i;

  return PK_N_LANGUAGES;
}

static void
pk_petition_finalize (GObject *object)
{
  PkPetition *self = (PkPetition *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->url, g_free);
  for (guint k = 0; k < N_TEXTS; k++)
    for (guint l = 0; l <= PK_N_LANGUAGES; l++)
      g_clear_pointer (&self->texts[k][l], g_free);
  for (guint l = 0; l <= PK_N_LANGUAGES; l++)
    {
      g_clear_pointer (&self->consent_hashes[l], g_free);
      g_clear_pointer (&self->sensitive_consent_hashes[l], g_free);
    }

  G_OBJECT_CLASS (pk_petition_parent_class)->finalize (object);
}

static void
pk_petition_class_init (PkPetitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pk_petition_finalize;
}

static void
pk_petition_init (PkPetition *self)
{
}

static void
set_invalid (GError     **error,
             PkPetitionLines *map,
             const char  *key,
             const char  *reason)
{
  g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_INVALID_KEY,
               _("Line %u: key “%s”: %s"), pk_petition_lines_of (map, key), key, reason);
}

static gboolean
parse_id (PkPetition  *self,
          GKeyFile    *keyfile,
          PkPetitionLines *map,
          GError     **error)
{
  g_autofree char *id = g_key_file_get_string (keyfile, PK_PETITION_GROUP, "Id", NULL);
  gsize len = id != NULL ? strlen (id) : 0;

  /* The id goes into database rows, batch files and file names, so it is
   * kept to a portable alphabet. */
  if (len == 0 || len > PK_PETITION_MAX_ID_CHARS || !g_ascii_isalnum (id[0]))
    {
      set_invalid (error, map, "Id",
                   _("use 1 to 64 characters: a–z, 0–9, “.”, “_” and “-”, starting with a letter or digit."));
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (id[i]) || g_ascii_isdigit (id[i]) || strchr ("._-", id[i]) != NULL))
      {
        set_invalid (error, map, "Id",
                     _("use 1 to 64 characters: a–z, 0–9, “.”, “_” and “-”, starting with a letter or digit."));
        return FALSE;
      }

  self->id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
parse_number (GKeyFile    *keyfile,
              PkPetitionLines *map,
              const char  *key,
              guint64      min,
              guint64      max,
              guint64     *out,
              GError     **error)
{
  g_autofree char *value = g_key_file_get_string (keyfile, PK_PETITION_GROUP, key, NULL);
  g_autofree char *reason = NULL;

  if (value != NULL &&
      g_ascii_string_to_unsigned (g_strstrip (value), 10, min, max, out, NULL))
    return TRUE;

  reason = g_strdup_printf (_("expected a whole number from %" PRIu64
                              " to %" PRIu64 "."), min, max);
  set_invalid (error, map, key, reason);
  return FALSE;
}

static gboolean
is_loopback_host (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_equal (host, "::1") || g_str_equal (host, "[::1]") ||
         g_str_has_prefix (host, "127.");
}

/* Country is optional: where the campaign collects signatures. It is the
 * default a signer's country and phone number are read against, so it
 * must be one ISO 3166-1 knows. */
static gboolean
parse_country (PkPetition  *self,
               GKeyFile    *keyfile,
               PkPetitionLines *map,
               GError     **error)
{
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (keyfile, PK_PETITION_GROUP, "Country", NULL))
    return TRUE;

  value = g_key_file_get_string (keyfile, PK_PETITION_GROUP, "Country", NULL);
  if (value == NULL || !pk_country_code_is_known (value))
    {
      set_invalid (error, map, "Country",
                   _("expected the two-letter ISO 3166-1 code of a country in capitals, for example KR."));
      return FALSE;
    }
  memcpy (self->country, value, 2);
  return TRUE;
}

static gboolean
parse_url (PkPetition  *self,
           GKeyFile    *keyfile,
           PkPetitionLines *map,
           GError     **error)
{
  g_autofree char *value = g_key_file_get_string (keyfile, PK_PETITION_GROUP, "Url", NULL);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (value != NULL)
    g_strstrip (value);

  if (value == NULL || (uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL)) == NULL)
    {
      set_invalid (error, map, "Url", _("not a valid web address."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      set_invalid (error, map, "Url", _("the web address has no host name."));
      return FALSE;
    }

  /* The address becomes a QR code that strangers scan: it must not be
   * open to tampering on the way, so plain http is only for testing on
   * this machine. */
  if (!(g_str_equal (scheme, "https") ||
        (g_str_equal (scheme, "http") && is_loopback_host (host))))
    {
      set_invalid (error, map, "Url",
                   _("the web address must start with https:// (http:// only for localhost)."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      set_invalid (error, map, "Url", _("the web address must not contain a user name or password."));
      return FALSE;
    }

  /* A scheme is case-insensitive (RFC 3986), so "HTTPS://" passes the
   * check above; keep the lower-case spelling GUri reports, so that the
   * address every caller gets (and the QR code) starts with "https://". */
  if (g_ascii_strncasecmp (value, scheme, strlen (scheme)) == 0)
    memcpy (value, scheme, strlen (scheme));

  self->url = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
parse_field_list (GKeyFile    *keyfile,
                  PkPetitionLines *map,
                  const char  *key,
                  gboolean     out_fields[PK_N_FIELDS],
                  GError     **error)
{
  g_auto(GStrv) list = g_key_file_get_string_list (keyfile, PK_PETITION_GROUP, key, NULL, NULL);

  if (list == NULL)
    return TRUE;

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *reason = NULL;
      PkField field;

      g_strstrip (list[i]);
      if (*list[i] == '\0')
        continue;

      if (!pk_field_from_string (list[i], &field))
        {
          reason = g_strdup_printf (_("unknown field “%s” (known: given_name, family_name, email, phone, postal_code, country, comment)."),
                                    list[i]);
          set_invalid (error, map, key, reason);
          return FALSE;
        }

      if (out_fields[field])
        {
          reason = g_strdup_printf (_("the field “%s” is listed twice."), list[i]);
          set_invalid (error, map, key, reason);
          return FALSE;
        }

      out_fields[field] = TRUE;
    }

  return TRUE;
}

static gboolean
parse_fields (PkPetition  *self,
              GKeyFile    *keyfile,
              PkPetitionLines *map,
              GError     **error)
{
  gboolean any = FALSE;

  if (!parse_field_list (keyfile, map, "Fields", self->has_field, error) ||
      !parse_field_list (keyfile, map, "Required", self->required, error))
    return FALSE;

  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      any |= self->has_field[i];
      if (self->required[i] && !self->has_field[i])
        {
          g_autofree char *reason =
            g_strdup_printf (_("“%s” is required but not in Fields."), field_names[i]);
          set_invalid (error, map, "Required", reason);
          return FALSE;
        }
    }

  if (!any)
    {
      set_invalid (error, map, "Fields", _("list at least one field."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_coordinator_key (PkPetition  *self,
                       GKeyFile    *keyfile,
                       PkPetitionLines *map,
                       GError     **error)
{
  g_autofree char *value = NULL;
  /* Any scalar will do: clamped, it is a multiple of 8, so its product
   * with a low-order point (all zeros, u = 1, …) is zero, which
   * crypto_scalarmult() refuses. crypto_box_seal() would refuse such a
   * key at every signature; here it is refused once, with the file. */
  static const guint8 scalar[crypto_scalarmult_SCALARBYTES] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  guint8 shared[crypto_scalarmult_BYTES];

  if (!g_key_file_has_key (keyfile, PK_PETITION_GROUP, "CoordinatorKey", NULL))
    return TRUE;

  value = g_key_file_get_string (keyfile, PK_PETITION_GROUP, "CoordinatorKey", NULL);
  if (value == NULL ||
      !pk_crypto_base64_decode_exact (value, self->coordinator_key,
                                      sizeof self->coordinator_key, NULL) ||
      sodium_init () < 0 ||
      crypto_scalarmult (shared, scalar, self->coordinator_key) != 0)
    {
      set_invalid (error, map, "CoordinatorKey",
                   _("expected the base64 public key that “petition-kiosk keygen” prints."));
      return FALSE;
    }

  self->has_coordinator_key = TRUE;
  return TRUE;
}

/* An optional text left out must be left out in every language: a
 * translation without the text it translates is a mistake to name. */
static gboolean
check_no_translation (PkPetitionLines *map,
                      const char  *key,
                      GError     **error)
{
  for (guint l = 0; l < PK_N_LANGUAGES; l++)
    {
      g_autofree char *localized_key = g_strdup_printf ("%s[%s]", key, pk_languages[l]);

      if (g_hash_table_contains (map->key_lines, localized_key))
        {
          set_invalid (error, map, localized_key,
                       _("a translation of a text that is missing; give the text without a language too."));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
parse_texts (PkPetition  *self,
             GKeyFile    *keyfile,
             PkPetitionLines *map,
             GError     **error)
{
  for (guint k = 0; k < N_TEXTS; k++)
    {
      g_autoptr(GError) value_error = NULL;
      g_autofree char *plain = NULL;

      if (text_is_optional[k] && !g_key_file_has_key (keyfile, PK_PETITION_GROUP, text_keys[k], NULL))
        {
          if (!check_no_translation (map, text_keys[k], error))
            return FALSE;
          continue;
        }

      plain = g_key_file_get_string (keyfile, PK_PETITION_GROUP, text_keys[k], &value_error);

      /* A broken escape ("\x") or invalid UTF-8 is refused here, naming
       * the key; it must not reach g_key_file_get_locale_string(), which
       * in GLib 2.74 leaks its internal GError for such a value (found by
       * the sanitizer build: [G] T=bad \x, then
       * g_key_file_get_locale_string (k, "G", "T", "de", NULL)). */
      if (value_error != NULL)
        {
          set_invalid (error, map, text_keys[k], value_error->message);
          return FALSE;
        }
      if (plain == NULL || *g_strstrip (plain) == '\0')
        {
          set_invalid (error, map, text_keys[k], _("the text is empty."));
          return FALSE;
        }

      for (guint l = 0; l < PK_N_LANGUAGES; l++)
        {
          g_autofree char *localized_key = g_strdup_printf ("%s[%s]", text_keys[k], pk_languages[l]);
          char *value = g_key_file_get_locale_string (keyfile, PK_PETITION_GROUP, text_keys[k],
                                                      pk_languages[l], NULL);

          if (value == NULL || *g_strstrip (value) == '\0')
            {
              g_free (value);
              if (g_hash_table_contains (map->key_lines, localized_key))
                {
                  set_invalid (error, map, localized_key, _("the text is empty."));
                  return FALSE;
                }
              value = g_strdup (plain);
            }
          self->texts[k][l] = value;
        }

      self->texts[k][PK_N_LANGUAGES] = g_steal_pointer (&plain);
    }

  /* The hash of exactly the text shown is what proves which consent a
   * signer accepted; it is computed once here. */
  for (guint l = 0; l <= PK_N_LANGUAGES; l++)
    {
      const char *consent = self->texts[TEXT_CONSENT][l];
      const char *sensitive = self->texts[TEXT_SENSITIVE_CONSENT][l];

      self->consent_hashes[l] = pk_crypto_sha256_hex (consent, strlen (consent));
      if (sensitive != NULL)
        self->sensitive_consent_hashes[l] = pk_crypto_sha256_hex (sensitive, strlen (sensitive));
    }

  return TRUE;
}

PkPetition *
pk_petition_new_from_data (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(PkPetition) self = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(PkPetitionLines) map = { NULL };
  PkPetitionSignature signature;
  guint64 number = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > PK_PETITION_MAX_BYTES)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_NOT_TEXT,
                   _("The file is larger than %u KiB; a petition file is much smaller."),
                   PK_PETITION_MAX_BYTES / 1024);
      return NULL;
    }

  if ((length > 0 && memchr (data, '\0', length) != NULL) ||
      !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, PK_PETITION_ERROR, PK_PETITION_ERROR_NOT_TEXT,
                           _("This is not a text file in UTF-8, so it cannot be a petition file."));
      return NULL;
    }

  /* Only the content before the coordinator's signature block is the
   * petition; the block is checked first, so that a file changed after
   * signing is refused as such. */
  if (!pk_petition_signature_parse (data, length, &signature, error) ||
      (signature.present && !pk_petition_signature_verify (data, &signature, error)))
    return NULL;
  length = signature.content_length;

  if (!pk_petition_lines_scan (data, length, &map, error))
    return NULL;

  keyfile = g_key_file_new ();
  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("The petition file cannot be read: %s"), local_error->message);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (mandatory_keys); i++)
    if (!g_key_file_has_key (keyfile, PK_PETITION_GROUP, mandatory_keys[i], NULL))
      {
        g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_MISSING_KEY,
                     _("The key “%s” is missing from [%s]."), mandatory_keys[i], PK_PETITION_GROUP);
        return NULL;
      }

  self = g_object_new (PK_TYPE_PETITION, NULL);

  if (!parse_id (self, keyfile, &map, error))
    return NULL;

  if (!parse_number (keyfile, &map, "Version", 1, G_MAXUINT, &number, error))
    return NULL;
  self->version = (guint) number;

  if (!parse_url (self, keyfile, &map, error))
    return NULL;

  /* Goal is optional: a petition without a target shows only its count. */
  if (g_key_file_has_key (keyfile, PK_PETITION_GROUP, "Goal", NULL) &&
      !parse_number (keyfile, &map, "Goal", 1, PK_PETITION_MAX_GOAL, &self->goal, error))
    return NULL;

  if (!parse_country (self, keyfile, &map, error) ||
      !parse_fields (self, keyfile, &map, error) ||
      !parse_coordinator_key (self, keyfile, &map, error) ||
      !parse_texts (self, keyfile, &map, error))
    return NULL;

  self->is_signed = signature.present;
  memcpy (self->signing_key, signature.signing_key, sizeof self->signing_key);

  return g_steal_pointer (&self);
}

/* Reads at most @max bytes of the regular file at @path, with plain
 * POSIX calls: no GIO modules are loaded for a command-line tool, and a
 * FIFO or device chosen by mistake is refused instead of blocking. */
static char *
read_regular_file (const char  *path,
                   gsize        max,
                   gsize       *out_length,
                   GError     **error)
{
  g_autofree char *buffer = NULL;
  gsize length = 0;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, PK_PETITION_ERROR, PK_PETITION_ERROR_NOT_TEXT,
                           _("Not a regular file."));
      return NULL;
    }

  buffer = g_malloc (max);
  while (length < max)
    {
      gssize n = read (fd, buffer + length, max - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }

  close (fd);
  *out_length = length;
  return g_steal_pointer (&buffer);
}

PkPetition *
pk_petition_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *buffer = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  PkPetition *petition;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);

  /* One byte past the limit tells a too-large file apart without
   * trusting the size the file system reports. */
  buffer = read_regular_file (path, PK_PETITION_MAX_BYTES + 1, &length, &local_error);
  if (buffer == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", display);
      return NULL;
    }

  petition = pk_petition_new_from_data (buffer, length, &local_error);
  if (petition == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", display);

  return petition;
}

const char *
pk_petition_get_id (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->id;
}

guint
pk_petition_get_version (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), 0);

  return self->version;
}

static const char *
get_text (PkPetition *self,
          TextKey     key,
          const char *lang)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->texts[key][language_index (lang)];
}

const char *
pk_petition_get_title (PkPetition *self,
                       const char *lang)
{
  return get_text (self, TEXT_TITLE, lang);
}

const char *
pk_petition_get_summary (PkPetition *self,
                         const char *lang)
{
  return get_text (self, TEXT_SUMMARY, lang);
}

const char *
pk_petition_get_text (PkPetition *self,
                      const char *lang)
{
  return get_text (self, TEXT_TEXT, lang);
}

const char *
pk_petition_get_consent_text (PkPetition *self,
                              const char *lang)
{
  return get_text (self, TEXT_CONSENT, lang);
}

const char *
pk_petition_get_organizer (PkPetition *self,
                           const char *lang)
{
  return get_text (self, TEXT_ORGANIZER, lang);
}

const char *
pk_petition_get_sensitive_consent_text (PkPetition *self,
                                        const char *lang)
{
  return get_text (self, TEXT_SENSITIVE_CONSENT, lang);
}

const char *
pk_petition_get_sensitive_consent_hash (PkPetition *self,
                                        const char *lang)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->sensitive_consent_hashes[language_index (lang)];
}

const char *
pk_petition_get_privacy_notice (PkPetition *self,
                                const char *lang)
{
  const char *notice = get_text (self, TEXT_PRIVACY, lang);

  if (notice != NULL)
    return notice;

  /* Names no law: which law applies depends on where the organizer is,
   * and only the organizer can say. */
  return _("The organizer collects the details you give only for this petition: to hand it over to its addressees and, if you ask for it, to keep you informed about the campaign. They are not sold or passed on to anyone else and are deleted when the campaign has ended. You may refuse; then your signature cannot be counted. You may withdraw your consent at any time and ask the organizer for access to your details, their correction or deletion.");
}

const char *
pk_petition_get_consent_hash (PkPetition *self,
                              const char *lang)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->consent_hashes[language_index (lang)];
}

const char *
pk_petition_get_url (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->url;
}

const char *
pk_petition_get_country (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->country[0] != '\0' ? self->country : NULL;
}

guint64
pk_petition_get_goal (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), 0);

  return self->goal;
}

gboolean
pk_petition_has_field (PkPetition *self,
                       PkField     field)
{
  g_return_val_if_fail (PK_IS_PETITION (self), FALSE);
  g_return_val_if_fail (field < PK_N_FIELDS, FALSE);

  return self->has_field[field];
}

gboolean
pk_petition_field_is_required (PkPetition *self,
                               PkField     field)
{
  g_return_val_if_fail (PK_IS_PETITION (self), FALSE);
  g_return_val_if_fail (field < PK_N_FIELDS, FALSE);

  return self->required[field];
}

const guint8 *
pk_petition_get_coordinator_key (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->has_coordinator_key ? self->coordinator_key : NULL;
}

const guint8 *
pk_petition_get_signing_key (PkPetition *self)
{
  g_return_val_if_fail (PK_IS_PETITION (self), NULL);

  return self->is_signed ? self->signing_key : NULL;
}
