/* pk-cmd-verify.c: `petition-kiosk verify`, checking batch files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-verify"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-batch.h"
#include "pk-cli.h"
#include "pk-count-text.h"
#include "pk-safe-text.h"

/* One line per coordinator key the rows are sealed to, with how many:
 * a batch that mixes keys (from an older kiosk, or forged) shows it
 * here, before anyone tries to merge it. */
static char *
rows_by_coordinator (PkBatchReader  *reader,
                     GError        **error)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) keys = NULL;
  gint64 plain = 0, unknown = 0;
  PkBatchRow row;

  while (pk_batch_reader_next_row (reader, &row, error))
    {
      const guint8 *key = row.key_id != 0 ? pk_batch_reader_get_coordinator_key (reader, row.key_id) : NULL;

      if (row.key_id == 0)
        plain++;
      else if (key == NULL)
        unknown++;
      else
        {
          char *fingerprint = pk_key_fingerprint (key);
          gint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, fingerprint));

          g_hash_table_insert (counts, fingerprint, GSIZE_TO_POINTER (n + 1));
        }
    }
  if (error != NULL && *error != NULL)
    return g_string_free (out, TRUE);

  keys = g_list_sort (g_hash_table_get_keys (counts), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      gint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, l->data));
      /* Translators: "  3 rows sealed to coordinator ABCD-EFGH-…" */
      g_autofree char *line = pk_count_text (n, "  %s row sealed to coordinator %s\n",
                                             "  %s rows sealed to coordinator %s\n", l->data, NULL);

      g_string_append (out, line);
    }
  if (unknown > 0)
    {
      g_autofree char *line = pk_count_text (unknown,
                                             "  %s row sealed to a coordinator key the file does not name\n",
                                             "  %s rows sealed to a coordinator key the file does not name\n",
                                             NULL);

      g_string_append (out, line);
    }
  if (plain > 0)
    {
      g_autofree char *line = pk_count_text (plain, "  %s row not encrypted\n", "  %s rows not encrypted\n", NULL);

      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

int
pk_cmd_verify (int    argc,
               char **argv)
{
  g_autofree char *petition_path = NULL;
  g_autofree char *trust_path = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkTrustList) trust = NULL;
  g_autoptr(GError) error = NULL;
  gboolean quiet = FALSE;
  int status = PK_EXIT_OK;
  gboolean unchecked = FALSE;
  GOptionEntry entries[] = {
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("Accept only batches of this petition"), N_("FILE") },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &trust_path, N_("Accept only kiosks listed in FILE (public keys or fingerprints)"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print nothing for good files"), NULL },
    { NULL }
  };

  if (!pk_cli_parse ("verify", N_("FILE…"),
                     _("Checks that each batch file is authentic and intact. Exits 0 when all are, "
                       "else 4, with one line per bad file: FILE: reason: explanation. Reasons: "
                       "tampered, truncated, not a batch, wrong petition, untrusted kiosk, "
                       "newer format version, too large, invalid content, unreadable. "
                       "Exits 1 when a file could not be checked at all (out of memory, an error "
                       "reading the disk): that is no verdict on the file; its line, FILE: "
                       "explanation, goes to standard error, and the same command can be run again."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;
  if (argc < 2)
    {
      pk_cli_error ("verify", _("Name at least one batch file."));
      return PK_EXIT_USAGE;
    }
  if (petition_path != NULL && (petition = pk_petition_new_from_file (petition_path, &error)) == NULL)
    {
      pk_cli_error ("verify", "%s", error->message);
      return PK_EXIT_USAGE;
    }
  if (trust_path != NULL && (trust = pk_trust_list_load (trust_path, &error)) == NULL)
    {
      pk_cli_error ("verify", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(PkBatchReader) reader = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *raw_display = g_filename_display_name (argv[i]);
      /* Names and messages may carry a hostile file's text: escaped. */
      g_autofree char *display = pk_safe_text_escape (raw_display, FALSE);
      g_autofree char *by_coordinator = NULL;

      reader = pk_batch_reader_open (argv[i], &local_error);
      if (reader != NULL &&
          pk_batch_reader_check (reader, petition != NULL ? pk_petition_get_id (petition) : NULL,
                                 trust, &local_error))
        by_coordinator = rows_by_coordinator (reader, &local_error);
      if (local_error != NULL && local_error->domain != PK_BATCH_ERROR)
        {
          /* The reading failed, not the file (pk_batch_reader_open()):
           * calling a good file "unreadable" would have the coordinator
           * throw it away, as merge would not (it fails, exit 1). */
          g_autofree char *message = pk_safe_text_escape (local_error->message, FALSE);

          g_printerr ("%s: %s\n", display, message);
          unchecked = TRUE;
        }
      else if (local_error != NULL)
        {
          g_autofree char *message = pk_safe_text_escape (local_error->message, FALSE);

          g_print ("%s: %s: %s\n", display, pk_batch_error_reason (local_error->code), message);
          status = PK_EXIT_BAD_FILE;
        }
      else if (!quiet)
        {
          const PkBatchInfo *info = pk_batch_reader_get_info (reader);
          g_autofree char *fingerprint = pk_key_fingerprint (info->kiosk_key);
          g_autofree char *rows = pk_count_text (info->n_rows, "%s row", "%s rows", NULL);
          g_autofree char *counts = pk_count_text (info->n_sheet_counts, "%s sheet count", "%s sheet counts", NULL);
          g_autofree char *petition_id = pk_safe_text_escape (info->petition_id, FALSE);
          g_autofree char *kiosk = pk_safe_text_escape (info->kiosk_name != NULL ? info->kiosk_name
                                                                              : info->kiosk_id, FALSE);

          /* "ok" stays as it is, like the reasons for a bad file, so that
           * scripts can rely on it in every language; what follows is
           * for people. */
          g_print ("%s: ok: ", display);
          /* Translators: a good batch file: its petition id, "12 rows",
           * "2 sheet counts", the kiosk's name and key fingerprint */
          g_print (_("%s, %s, %s, kiosk %s (%s)"), petition_id, rows, counts, kiosk, fingerprint);
          /* A valid signature proves that the file is as its kiosk key
           * made it, not whose key that is: only a trust list says so. */
          g_print ("; %s\n", trust != NULL ? _("signature valid; signed by a kiosk in the trust list")
                                            : _("signature valid; origin not checked against a trust list"));
          g_print ("%s", by_coordinator);
        }
    }

  return unchecked ? PK_EXIT_FAILURE : status;
}
