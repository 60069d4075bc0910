/* pk-cmd-count.c: `petition-kiosk count`, the number of signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-count"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pk-cli.h"
#include "pk-store.h"

static char *
counts_to_json (guint64     total,
                const char *petition_id,
                GHashTable *by_petition)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) total);

  if (petition_id != NULL)
    {
      json_builder_set_member_name (builder, "petition_id");
      json_builder_add_string_value (builder, petition_id);
    }
  else
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (by_petition),
                                           (GCompareFunc) g_strcmp0);

      /* Sorted, so that the output is the same from run to run. */
      json_builder_set_member_name (builder, "petitions");
      json_builder_begin_object (builder);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          const guint64 *n = g_hash_table_lookup (by_petition, l->data);

          json_builder_set_member_name (builder, l->data);
          json_builder_add_int_value (builder, (gint64) *n);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

int
pk_cmd_count (int    argc,
              char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *petition_id = NULL;
  g_autofree char *json = NULL;
  gboolean as_json = FALSE;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GHashTable) by_petition = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Database (default: the kiosk’s own): a file, or a master’s postgresql:// address"),
      N_("FILE|URI") },
    { "petition-id", 0, 0, G_OPTION_ARG_STRING, &petition_id, N_("Count only this petition"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON: {\"count\": N, \"petitions\": {ID: N, …}}"), NULL },
    { NULL }
  };

  if (!pk_cli_parse ("count", NULL,
                     _("Prints the number of signatures in a kiosk or master database, "
                       "read from a maintained counter."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (argc > 1)
    {
      pk_cli_error ("count", _("Unexpected argument “%s”."), argv[1]);
      return PK_EXIT_USAGE;
    }

  if (db_path == NULL)
    db_path = pk_store_default_path ();

  /* Reading must not create a database where there was none. */
  if (!pk_cli_check_master_exists ("count", db_path))
    return PK_EXIT_FAILURE;

  /* Read-only, so that a master on a write-protected stick can be
   * counted and a kiosk's file is left exactly as it was. */
  store = pk_store_open_master_read_only (db_path, &error);
  if (store == NULL)
    {
      pk_cli_error ("count", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  total = pk_store_count (store, petition_id);
  if (as_json && petition_id == NULL)
    {
      by_petition = pk_store_count_by_petition (store, &error);
      if (by_petition == NULL)
        {
          pk_cli_error ("count", "%s", error->message);
          return PK_EXIT_FAILURE;
        }
    }
  if (!pk_store_check_unchanged (store, &error))
    {
      pk_cli_error ("count", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  if (!as_json)
    {
      g_print ("%" G_GUINT64_FORMAT "\n", total);
      return PK_EXIT_OK;
    }

  json = counts_to_json (total, petition_id, by_petition);
  g_print ("%s\n", json);
  return PK_EXIT_OK;
}
