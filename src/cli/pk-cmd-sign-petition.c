/* pk-cmd-sign-petition.c: `petition-kiosk sign-petition`, the
 * coordinator's signature on a petition file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-sign-petition"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-atomic.h"
#include "pk-cli.h"
#include "pk-keys.h"
#include "pk-petition.h"
#include "pk-petition-signature.h"

/* Signs @contents and checks the result as a kiosk will read it: a file
 * that is not a valid petition is never signed. */
static char *
sign_checked (const char        *contents,
              gsize              length,
              PkCoordinatorKey  *key,
              gsize             *out_length,
              PkPetition       **out_petition,
              GError           **error)
{
  g_autoptr(PkSigningKey) signing = NULL;
  g_autofree char *signed_contents = NULL;

  signing = pk_signing_key_derive (key, error);
  if (signing == NULL)
    return NULL;
  signed_contents = pk_petition_signature_sign (contents, length, signing, out_length, error);
  if (signed_contents == NULL)
    return NULL;
  *out_petition = pk_petition_new_from_data (signed_contents, *out_length, error);
  if (*out_petition == NULL)
    return NULL;
  return g_steal_pointer (&signed_contents);
}

int
pk_cmd_sign_petition (int    argc,
                      char **argv)
{
  g_autofree char *key_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *signed_contents = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *coordinator_key;
  gsize length = 0, signed_length = 0;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, N_("The coordinator's secret key file (required)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Write the signed file here instead of replacing FILE.petition"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("sign-petition", _("FILE.petition"),
                     _("Signs the petition file with the signing key of your key file, replacing "
                       "any earlier signature. Kiosks pin the coordinator whose signature the first "
                       "encrypted petition carries, and later take only files that coordinator "
                       "signed: sign every new version, text or CoordinatorKey again. Any change to "
                       "a signed file voids its signature."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc != 2)
    {
      pk_cli_error ("sign-petition", _("Give exactly one petition file."));
      return PK_EXIT_USAGE;
    }
  if (key_path == NULL)
    {
      pk_cli_error ("sign-petition", _("--key FILE is required."));
      return PK_EXIT_USAGE;
    }

  key = pk_coordinator_key_load (key_path, &error);
  if (key == NULL || !g_file_get_contents (argv[1], &contents, &length, &error))
    {
      pk_cli_error ("sign-petition", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  signed_contents = sign_checked (contents, length, key, &signed_length, &petition, &error);
  if (signed_contents == NULL)
    {
      g_autofree char *display = g_filename_display_name (argv[1]);

      pk_cli_error ("sign-petition", "%s: %s", display, error->message);
      return PK_EXIT_USAGE;
    }
  if (!pk_atomic_write_contents (out != NULL ? out : argv[1], signed_contents, signed_length,
                                 0644, TRUE, &error))
    {
      pk_cli_error ("sign-petition", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  /* Signing a file that seals to someone else's key is allowed (moving
   * kiosks to a new key file is done that way) but never silent. */
  coordinator_key = pk_petition_get_coordinator_key (petition);
  fingerprint = pk_key_fingerprint (key->public_key);
  if (coordinator_key != NULL && sodium_memcmp (coordinator_key, key->public_key, 32) != 0)
    {
      g_autofree char *theirs = pk_key_fingerprint (coordinator_key);

      pk_cli_error ("sign-petition",
                    _("Note: this file seals signers’ details to coordinator key %s, not to the "
                      "key of the file you signed with (%s)."), theirs, fingerprint);
    }
  g_print (_("Signed by coordinator %s\n"), fingerprint);
  return PK_EXIT_OK;
}
