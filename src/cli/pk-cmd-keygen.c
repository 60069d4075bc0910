/* pk-cmd-keygen.c: `petition-kiosk keygen`, the coordinator's key pair
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-keygen"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-cli.h"
#include "pk-keys.h"

int
pk_cmd_keygen (int    argc,
               char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the secret key file (never overwritten)"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("keygen", NULL,
                     _("Makes the coordinator's X25519 key pair. The secret key file is written "
                       "readable by you alone; the one line printed, CoordinatorKey=…, goes into the "
                       "petition file so that kiosks encrypt signer details for you alone. The "
                       "same file holds, derived from it, the Ed25519 key that signs petition "
                       "files (sign-petition); its fingerprint is printed on stderr."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1)
    {
      pk_cli_error ("keygen", _("Unexpected argument “%s”."), argv[1]);
      return PK_EXIT_USAGE;
    }
  if (out == NULL)
    {
      pk_cli_error ("keygen", _("Say where to write the secret key with --out FILE."));
      return PK_EXIT_USAGE;
    }

  key = pk_coordinator_key_generate (out, &error);
  if (key == NULL)
    {
      pk_cli_error ("keygen", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  public_b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);
  fingerprint = pk_key_fingerprint (key->public_key);
  g_print ("CoordinatorKey=%s\n", public_b64);
  /* stdout stays the one line to paste; the rest is for the person. */
  g_printerr (_("Coordinator fingerprint: %s. Kiosks show it, and you read it to volunteers "
                "on the phone. Sign each petition file with “petition-kiosk sign-petition "
                "--key %s FILE.petition”.\n"), fingerprint, out);
  return PK_EXIT_OK;
}
