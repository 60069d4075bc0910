/* pk-countries.c: the world's countries, named in the kiosk's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list and its translations come from the iso-codes package, as in
 * GNOME's own region settings: ISO_CODES_DATADIR holds the list as
 * JSON, and the "iso_3166-1" gettext domain the names in every
 * language. A signer reads the names in the language they chose on the
 * kiosk, since gettext follows the kiosk's LANGUAGE.
 */
#define G_LOG_DOMAIN "pk-countries"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pk-countries.h"

#define ISO_3166_DOMAIN "iso_3166-1"

typedef struct {
  char  code[3];
  /* msgids in ISO_3166_DOMAIN: the everyday name where ISO has one
   * ("South Korea"), and the list name ("Korea, Republic of"). */
  char *common_name;
  char *name;
} IsoCountry;

/* Read once: the list never changes while the kiosk runs. NULL when
 * iso-codes could not be read. */
static GArray *
load_iso_countries (void)
{
  g_autofree char *path = g_build_filename (ISO_CODES_DATADIR, "iso_3166-1.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GArray *countries;
  JsonObject *root;
  JsonArray *list;

  if (!json_parser_load_from_mapped_file (parser, path, &error))
    {
      g_warning ("Cannot read the list of countries from %s: %s", path, error->message);
      return NULL;
    }

  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  list = root != NULL && json_object_has_member (root, "3166-1")
         ? json_object_get_array_member (root, "3166-1") : NULL;
  if (list == NULL)
    {
      g_warning ("%s does not list countries", path);
      return NULL;
    }

  countries = g_array_new (FALSE, TRUE, sizeof (IsoCountry));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);
      const char *code, *name, *common_name;
      IsoCountry country = { { 0 }, NULL, NULL };

      if (entry == NULL)
        continue;
      code = json_object_get_string_member_with_default (entry, "alpha_2", NULL);
      name = json_object_get_string_member_with_default (entry, "name", NULL);
      common_name = json_object_get_string_member_with_default (entry, "common_name", NULL);
      if (code == NULL || strlen (code) != 2 || name == NULL)
        continue;

      memcpy (country.code, code, 2);
      country.name = g_strdup (name);
      country.common_name = g_strdup (common_name);
      g_array_append_val (countries, country);
    }

  bindtextdomain (ISO_3166_DOMAIN, ISO_CODES_LOCALEDIR);
  bind_textdomain_codeset (ISO_3166_DOMAIN, "UTF-8");
  return countries;
}

static GArray *
get_iso_countries (void)
{
  static gsize loaded;
  static GArray *countries;

  if (g_once_init_enter (&loaded))
    {
      countries = load_iso_countries ();
      g_once_init_leave (&loaded, 1);
    }
  return countries;
}

/* The everyday name, as people write it on a form, when the language
 * has it; iso-codes translates some everyday names ("Iran") only in
 * their list form ("Iran, Islamic Republic of"), which is then better
 * than English. */
static const char *
translate_name (const IsoCountry *country)
{
  const char *translated;

  if (country->common_name == NULL)
    return dgettext (ISO_3166_DOMAIN, country->name);

  translated = dgettext (ISO_3166_DOMAIN, country->common_name);
  if (translated != country->common_name)
    return translated;
  translated = dgettext (ISO_3166_DOMAIN, country->name);
  return translated != country->name ? translated : country->common_name;
}

void
pk_country_free (PkCountry *country)
{
  if (country == NULL)
    return;
  g_free (country->name);
  g_free (country);
}

/* Reading order for names: accents and case do not count, so that
 * "Österreich" sits with the O's in German, not after "Zypern".
 * Hangul, decomposed, keeps its dictionary order. */
static char *
sort_key (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  g_autofree char *folded = g_utf8_casefold (decomposed, -1);
  GString *key = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

static int
compare_by_key (gconstpointer a,
                gconstpointer b,
                gpointer      keys)
{
  const PkCountry *x = *(PkCountry * const *) a;
  const PkCountry *y = *(PkCountry * const *) b;
  int order = strcmp (g_hash_table_lookup (keys, x), g_hash_table_lookup (keys, y));

  return order != 0 ? order : strcmp (x->code, y->code);
}

GPtrArray *
pk_countries_new_sorted (void)
{
  GArray *iso = get_iso_countries ();
  GPtrArray *countries = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_country_free);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if (iso == NULL)
    return countries;

  for (guint i = 0; i < iso->len; i++)
    {
      const IsoCountry *entry = &g_array_index (iso, IsoCountry, i);
      PkCountry *country = g_new0 (PkCountry, 1);

      memcpy (country->code, entry->code, 2);
      country->name = g_strdup (translate_name (entry));
      g_hash_table_insert (keys, country, sort_key (country->name));
      g_ptr_array_add (countries, country);
    }
  g_ptr_array_sort_with_data (countries, compare_by_key, keys);
  return countries;
}

/* Every spelling of every country, as sort_key()s, to its code; ""
 * for a spelling two countries share. Built for the catalog gettext
 * answers from (names_catalog, the catalog's header) and built again
 * when the language changes: a lookup is then one hash, not a thousand
 * normalizations, for every line of a CSV import. */
static GMutex names_lock;
static GHashTable *names;
static char *names_catalog;

static void
add_spelling (GHashTable       *table,
              const char       *spelling,
              const IsoCountry *country)
{
  char *key = sort_key (spelling);
  const char *code = g_hash_table_lookup (table, key);

  if (code != NULL && !g_str_equal (code, country->code))
    g_hash_table_replace (table, key, (gpointer) "");
  else
    g_hash_table_replace (table, key, (gpointer) country->code);
}

static GHashTable *
build_names (GArray *iso)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < iso->len; i++)
    {
      const IsoCountry *country = &g_array_index (iso, IsoCountry, i);

      add_spelling (table, country->name, country);
      add_spelling (table, dgettext (ISO_3166_DOMAIN, country->name), country);
      if (country->common_name != NULL)
        {
          add_spelling (table, country->common_name, country);
          add_spelling (table, dgettext (ISO_3166_DOMAIN, country->common_name), country);
        }
    }
  return table;
}

const char *
pk_country_code_for_name (const char *name)
{
  GArray *iso = get_iso_countries ();
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  const char *catalog;
  const char *code;

  if (iso == NULL || name == NULL)
    return NULL;

  locker = g_mutex_locker_new (&names_lock);
  catalog = dgettext (ISO_3166_DOMAIN, "");
  if (names == NULL || g_strcmp0 (names_catalog, catalog) != 0)
    {
      g_clear_pointer (&names, g_hash_table_unref);
      g_free (names_catalog);
      names = build_names (iso);
      names_catalog = g_strdup (catalog);
    }

  key = sort_key (name);
  code = g_hash_table_lookup (names, key);
  return code != NULL && *code != '\0' ? code : NULL;
}

gboolean
pk_country_code_is_known (const char *code)
{
  GArray *iso = get_iso_countries ();

  if (code == NULL || strlen (code) != 2 ||
      !g_ascii_isupper (code[0]) || !g_ascii_isupper (code[1]))
    return FALSE;
  if (iso == NULL)
    return TRUE;

  for (guint i = 0; i < iso->len; i++)
    if (memcmp (g_array_index (iso, IsoCountry, i).code, code, 2) == 0)
      return TRUE;
  return FALSE;
}
