/* pk-cmd-sign.c: `petition-kiosk sign`, one signature from the command
 * line, through exactly the validation and store path of the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-sign"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pk-cli.h"
#include "pk-petition.h"
#include "pk-pinned-coordinator.h"
#include "pk-signature.h"
#include "pk-store.h"

/* The option that sets each field, to name it in error messages. */
static const char * const field_options[PK_N_FIELDS] = {
  [PK_FIELD_GIVEN_NAME]  = "--given-name",
  [PK_FIELD_FAMILY_NAME] = "--family-name",
  [PK_FIELD_EMAIL]       = "--email",
  [PK_FIELD_PHONE]       = "--phone",
  [PK_FIELD_POSTAL_CODE] = "--postal-code",
  [PK_FIELD_COUNTRY]     = "--country",
  [PK_FIELD_COMMENT]     = "--comment",
};

/* The option values, freed together. */
typedef struct {
  char *v[PK_N_FIELDS];
} FieldValues;

static void
field_values_clear (FieldValues *values)
{
  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_clear_pointer (&values->v[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FieldValues, field_values_clear)

/* The first supported language among the user's, so that the CLI
 * follows the locale like the rest of the program; English otherwise. */
static const char *
default_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *lang = g_strndup (names[i], strcspn (names[i], "_.@"));

      for (guint l = 0; l < PK_N_LANGUAGES; l++)
        if (g_str_equal (lang, pk_languages[l]))
          return pk_languages[l];
    }

  return "en";
}

/* Says which option holds the invalid input in @error. */
static int
report_invalid (PkField       field,
                const GError *error)
{
  if (field < PK_N_FIELDS)
    pk_cli_error ("sign", "%s: %s", field_options[field], error->message);
  else if (g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_CONSENT))
    pk_cli_error ("sign", "--consent: %s", error->message);
  else if (g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_SENSITIVE_CONSENT))
    pk_cli_error ("sign", "--sensitive-consent: %s", error->message);
  else if (g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_LANGUAGE))
    pk_cli_error ("sign", "--lang: %s", error->message);
  else
    pk_cli_error ("sign", "%s", error->message);
  return PK_EXIT_USAGE;
}

/* Copies the field options given into @sig. */
static void
set_fields (PkSignature       *sig,
            const FieldValues *values)
{
  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      g_autofree char *utf8 = NULL;

      if (values->v[i] == NULL)
        continue;

      /* Arguments come in the locale's encoding; only a non-UTF-8
       * locale needs converting. Bytes that are not text stay as they
       * are and are refused by validation. */
      if (!g_get_charset (NULL))
        utf8 = g_locale_to_utf8 (values->v[i], -1, NULL, NULL, NULL);
      pk_signature_set_field (sig, i, utf8 != NULL ? utf8 : values->v[i]);
    }
}

/* --source, --sheet and --line into @sig; FALSE, having said why, for
 * a source or line that cannot be. */
static gboolean
set_origin (PkSignature *sig,
            const char  *source,
            const char  *sheet_serial,
            int          sheet_line)
{
  if (source == NULL || g_str_equal (source, "kiosk"))
    sig->source = PK_SOURCE_KIOSK;
  else if (g_str_equal (source, "paper"))
    sig->source = PK_SOURCE_PAPER;
  else
    {
      pk_cli_error ("sign", _("--source must be kiosk or paper."));
      return FALSE;
    }
  sig->sheet_serial = g_strdup (sheet_serial);
  if (sheet_line < 0)
    {
      pk_cli_error ("sign", _("--line must be a positive number."));
      return FALSE;
    }
  sig->sheet_line = (guint) sheet_line;
  return TRUE;
}

/* Saves @sig, valid for @petition, in the database at @db_path and
 * prints its UUID. */
static int
save_signature (const char  *db_path,
                PkPetition  *petition,
                PkSignature *sig)
{
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PkField field = PK_N_FIELDS;

  store = pk_store_open (db_path, &error);
  /* The petition file decides whom the details are sealed to: only the
   * pinned coordinator's file is taken (pk-pinned-coordinator.h). */
  if (store == NULL || !pk_pinned_coordinator_accept (store, petition, &error))
    {
      pk_cli_error ("sign", _("The signature was NOT saved: %s"), error->message);
      return PK_EXIT_FAILURE;
    }

  if (!pk_store_add_signature (store, petition, sig, &field, &error))
    {
      if (g_error_matches (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE))
        {
          pk_cli_error ("sign", "%s", error->message);
          return PK_EXIT_DUPLICATE;
        }
      if (error->domain == PK_SIGNATURE_ERROR)
        return report_invalid (field, error);
      /* Whoever runs this (a volunteer, a script) must not be left
       * wondering: say plainly that this signature is not on disk. */
      pk_cli_error ("sign", _("The signature was NOT saved: %s"), error->message);
      return PK_EXIT_FAILURE;
    }

  g_print ("%s\n", sig->uuid);
  return PK_EXIT_OK;
}

int
pk_cmd_sign (int    argc,
             char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *petition_path = NULL;
  g_autofree char *lang = NULL;
  g_auto(FieldValues) values = { { NULL } };
  g_autofree char *source = NULL;
  g_autofree char *sheet_serial = NULL;
  int sheet_line = 0;
  gboolean consent = FALSE;
  gboolean sensitive_consent = FALSE;
  gboolean opt_in = FALSE;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkSignature) sig = NULL;
  g_autoptr(GError) error = NULL;
  PkField field = PK_N_FIELDS;
  /* The fields are taken as raw bytes (FILENAME) rather than converted
   * by GOption, so that input that is not valid text is refused below
   * with the field named, like any other invalid input. */
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Database (default: the kiosk’s own)"), N_("FILE") },
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("Petition file (required)"), N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language the signer used: ko, en or de"), N_("LANG") },
    { "given-name", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_GIVEN_NAME], N_("Given name"), N_("TEXT") },
    { "family-name", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_FAMILY_NAME], N_("Family name"), N_("TEXT") },
    { "email", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_EMAIL], N_("Email address"), N_("TEXT") },
    { "phone", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_PHONE], N_("Phone number"), N_("TEXT") },
    { "postal-code", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_POSTAL_CODE], N_("Postal code"), N_("TEXT") },
    { "country", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_COUNTRY], N_("Country: its ISO code (KR) or its name in --lang or English (한국, Deutschland, South Korea)"), N_("COUNTRY") },
    { "comment", 0, 0, G_OPTION_ARG_FILENAME, &values.v[PK_FIELD_COMMENT], N_("Comment"), N_("TEXT") },
    { "consent", 0, 0, G_OPTION_ARG_NONE, &consent, N_("The signer accepted the consent text (required)"), NULL },
    { "sensitive-consent", 0, 0, G_OPTION_ARG_NONE, &sensitive_consent, N_("The signer accepted the petition’s sensitive-data consent (required when it has one)"), NULL },
    { "opt-in", 0, 0, G_OPTION_ARG_NONE, &opt_in, N_("The signer wants to hear from the organizer"), NULL },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where the signature comes from: kiosk (default) or paper"), N_("SOURCE") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet_serial, N_("Paper sheet serial number (with --source=paper)"), N_("SERIAL") },
    { "line", 0, 0, G_OPTION_ARG_INT, &sheet_line, N_("Line on the paper sheet (with --source=paper)"), N_("N") },
    { NULL }
  };

  if (!pk_cli_parse ("sign", NULL,
                     _("Records one signature. Exit status: 0 recorded (prints its UUID), "
                       "3 already signed, 2 invalid input, 1 any other error; "
                       "nothing is written unless the status is 0."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (argc > 1)
    {
      pk_cli_error ("sign", _("Unexpected argument “%s”."), argv[1]);
      return PK_EXIT_USAGE;
    }

  if (petition_path == NULL)
    {
      pk_cli_error ("sign", _("--petition FILE is required."));
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL)
    {
      pk_cli_error ("sign", _("The signature was NOT saved: %s"), error->message);
      return PK_EXIT_FAILURE;
    }

  sig = pk_signature_new ();
  sig->lang = g_strdup (lang != NULL ? lang : default_language ());
  sig->consent = consent;
  sig->sensitive_consent = sensitive_consent;
  sig->opt_in = opt_in;
  set_fields (sig, &values);
  if (!set_origin (sig, source, sheet_serial, sheet_line))
    return PK_EXIT_USAGE;

  /* Validation also happens inside pk_store_add_signature(); doing it
   * first as well means invalid input never even creates the
   * database file. */
  if (!pk_signature_validate (sig, petition, &field, &error))
    return report_invalid (field, error);

  if (db_path == NULL)
    db_path = pk_store_default_path ();
  return save_signature (db_path, petition, sig);
}
