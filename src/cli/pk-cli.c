/* pk-cli.c: subcommand table and shared option handling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "pk-cli.h"

static const PkCommand commands[] = {
  { "sign",  N_("Record one signature"),                  pk_cmd_sign },
  { "count", N_("Print the number of signatures"),        pk_cmd_count },
  { "sync",  N_("Send pending signatures to the online petition (OSDI)"), pk_cmd_sync },
  { "qr",     N_("Write the petition's QR code as PNG, SVG or PDF"), pk_cmd_qr },
  { "sheets", N_("Write printable signature sheets as PDF"),        pk_cmd_sheets },
  { "flyers", N_("Write flyer cards with the QR code as PDF"),      pk_cmd_flyers },
  { "import", N_("Import a typed-up signature sheet from CSV"),     pk_cmd_import },
  { "keygen",      N_("Make the coordinator's key pair"),                    pk_cmd_keygen },
  { "sign-petition", N_("Sign a petition file with the coordinator's key"),  pk_cmd_sign_petition },
  { "pin-coordinator", N_("Change the coordinator this kiosk trusts (asks for the PIN)"), pk_cmd_pin_coordinator },
  { "close-batch", N_("Close the open batch into a signed batch file"),      pk_cmd_close_batch },
  { "verify",      N_("Check that batch files are authentic and intact"),   pk_cmd_verify },
  { "merge",       N_("Merge batch files into a master database"),          pk_cmd_merge },
  { "report",      N_("Print the totals of a master database"),             pk_cmd_report },
  { "export",      N_("Export a master database as CSV or OSDI JSON"),      pk_cmd_export },
};

const PkCommand *
pk_cli_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

char *
pk_cli_describe (void)
{
  GString *str = g_string_new (_("Commands (each has --help):"));

  g_string_append_c (str, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (str, "  %-16s %s\n", commands[i].name, _(commands[i].summary));

  return g_string_free (str, FALSE);
}

gboolean
pk_cli_parse (const char    *name,
              const char    *parameter_string,
              const char    *summary,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("petition-kiosk %s", name);

  /* --help then reads "petition-kiosk sign [OPTION…]" rather than taking
   * the subcommand's argv[0] as the program's name. */
  if (g_get_prgname () == NULL)
    g_set_prgname (prgname);
  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      pk_cli_error (name, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

void
pk_cli_error (const char *name,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "petition-kiosk %s: %s\n", name, message);
}
