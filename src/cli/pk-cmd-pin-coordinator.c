/* pk-cmd-pin-coordinator.c: `petition-kiosk pin-coordinator`, the
 * deliberate change of the coordinator a kiosk trusts, behind the PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-pin-coordinator"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "pk-cli.h"
#include "pk-petition.h"
#include "pk-pin.h"
#include "pk-pinned-coordinator.h"
#include "pk-store.h"

/* Both fingerprints, so that a volunteer can read the new one to the
 * coordinator on the phone before typing the PIN. */
static void
print_fingerprints (PkStore    *store,
                    PkPetition *petition)
{
  g_autofree char *pinned = pk_pinned_coordinator_fingerprint (store);
  g_autofree char *theirs = pk_petition_coordinator_fingerprint (petition);

  g_print (_("Pinned coordinator:      %s\n"), pinned != NULL ? pinned : _("none yet"));
  g_print (_("This file’s coordinator: %s\n"), theirs != NULL ? theirs : _("none"));
  g_print (_("Read the new fingerprint to the coordinator on the phone, one group of four at a "
             "time. Go on only if it is exactly theirs.\n"));
}

/* One line from standard input, without its line end; NULL at EOF. */
static char *
read_pin (void)
{
  char buffer[PK_PIN_MAX_BYTES + 2];
  char *pin;
  size_t length;

  if (isatty (STDIN_FILENO))
    fprintf (stderr, "%s", _("Admin PIN: "));
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  length = strcspn (buffer, "\r\n");
  buffer[length] = '\0';
  pin = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);
  return pin;
}

static int
check_pin (PkStore *store)
{
  g_autofree char *pin = NULL;
  g_autoptr(GError) error = NULL;
  guint wait = 0;

  if (!pk_pin_is_set (store))
    {
      pk_cli_error ("pin-coordinator", _("This kiosk has no admin PIN yet: start the kiosk once and choose one."));
      return PK_EXIT_FAILURE;
    }
  pin = read_pin ();
  if (pin == NULL || !pk_pin_check (store, pin, &wait, &error))
    {
      pk_cli_error ("pin-coordinator", _("The coordinator was NOT changed: %s"),
                    error != NULL ? error->message : _("no PIN was given."));
      return PK_EXIT_FAILURE;
    }
  return PK_EXIT_OK;
}

int
pk_cmd_pin_coordinator (int    argc,
                        char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *petition_path = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  int status;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Database (default: the kiosk’s own)"), N_("FILE") },
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file signed by the new coordinator (required)"), N_("FILE") },
    { NULL }
  };

  if (!pk_cli_parse ("pin-coordinator", NULL,
                     _("Changes the coordinator this kiosk trusts to the one who signed the "
                       "petition file. Prints both fingerprints, then reads the admin PIN from "
                       "standard input. Refused while the open batch holds signatures for the "
                       "old coordinator: run close-batch first. Exit status: 0 changed, 1 not "
                       "changed (wrong PIN, batch not closed, any other error), 2 bad usage or a "
                       "file that cannot set a coordinator."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc > 1 || petition_path == NULL)
    {
      pk_cli_error ("pin-coordinator", _("--petition FILE is required, and nothing else."));
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL)
    {
      pk_cli_error ("pin-coordinator", "%s", error->message);
      return PK_EXIT_USAGE;
    }
  if (db_path == NULL)
    db_path = pk_store_default_path ();
  store = pk_store_open (db_path, &error);
  if (store == NULL)
    {
      pk_cli_error ("pin-coordinator", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  print_fingerprints (store, petition);
  status = check_pin (store);
  if (status != PK_EXIT_OK)
    return status;

  if (!pk_pinned_coordinator_replace (store, petition, &error))
    {
      pk_cli_error ("pin-coordinator", _("The coordinator was NOT changed: %s"), error->message);
      return g_error_matches (error, PK_PINNED_COORDINATOR_ERROR,
                              PK_PINNED_COORDINATOR_ERROR_NOT_PINNABLE)
             ? PK_EXIT_USAGE : PK_EXIT_FAILURE;
    }
  fingerprint = pk_petition_coordinator_fingerprint (petition);
  g_print (_("This kiosk now trusts coordinator %s.\n"), fingerprint);
  return PK_EXIT_OK;
}
