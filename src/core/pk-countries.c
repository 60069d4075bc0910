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
#include <stdlib.h>
#include <string.h>

#include "pk-countries.h"
#include "pk-language-scope.h"

#define ISO_3166_DOMAIN "iso_3166-1"

typedef struct {
  char  code[3];
  /* msgids in ISO_3166_DOMAIN: the everyday name where ISO has one
   * ("South Korea"), and the list name ("Korea, Republic of"). */
  char *common_name;
  char *name;
  /* ISO's official English name, where it has one ("Federal Republic of
   * Germany"): a spelling people copy from documents. */
  char *official_name;
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
      const char *code, *name, *common_name, *official_name;
      IsoCountry country = { { 0 }, NULL, NULL, NULL };

      if (entry == NULL)
        continue;
      code = json_object_get_string_member_with_default (entry, "alpha_2", NULL);
      name = json_object_get_string_member_with_default (entry, "name", NULL);
      common_name = json_object_get_string_member_with_default (entry, "common_name", NULL);
      official_name = json_object_get_string_member_with_default (entry, "official_name", NULL);
      if (code == NULL || strlen (code) != 2 || name == NULL)
        continue;

      memcpy (country.code, code, 2);
      country.name = g_strdup (name);
      country.common_name = g_strdup (common_name);
      country.official_name = g_strdup (official_name);
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

/* Names people write that ISO's list lacks, in each language of the
 * kiosk: everyday short forms, and short forms that fit several countries
 * ("Korea", "Congo"), which are then read as the kiosk's own country when
 * it is one of them, and otherwise answered with the list. English ones
 * count in every language, as ISO's English names do. */
typedef struct {
  const char *lang;
  const char *spelling;
  const char *codes;  /* one or more alpha-2 codes, ',' between */
} Alias;

static const Alias aliases[] = {
  { "en", "Korea", "KR,KP" },
  { "en", "Republic of Korea", "KR" },
  { "en", "Congo", "CG,CD" },
  { "en", "USA", "US" },
  { "en", "America", "US" },
  { "en", "UK", "GB" },
  { "en", "Britain", "GB" },
  { "en", "Great Britain", "GB" },
  { "en", "Russia", "RU" },
  { "ko", "한국", "KR" },
  { "ko", "남한", "KR" },
  { "ko", "북한", "KP" },
  { "ko", "코리아", "KR,KP" },
  { "ko", "콩고", "CG,CD" },
  { "ko", "러시아", "RU" },
  { "ko", "대만", "TW" },
  { "ko", "타이완", "TW" },
  { "de", "Korea", "KR,KP" },
  { "de", "Kongo", "CG,CD" },
  { "de", "USA", "US" },
  { "de", "Amerika", "US" },
  { "de", "Großbritannien", "GB" },
  { "de", "Russland", "RU" },
  { "de", "BRD", "DE" },
};

G_DEFINE_QUARK (pk-country-error-quark, pk_country_error)

/* Adds @codes to the codes @spelling names in @table: a spelling to the
 * sorted, ','-joined codes of every country it fits. */
static void
add_spelling (GHashTable *table,
              const char *spelling,
              const char *codes)
{
  g_autofree char *key = sort_key (spelling);
  g_auto(GStrv) added = g_strsplit (codes, ",", -1);
  const char *known = g_hash_table_lookup (table, key);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_auto(GStrv) known_codes = known != NULL ? g_strsplit (known, ",", -1) : NULL;

  for (guint i = 0; known_codes != NULL && known_codes[i] != NULL; i++)
    g_ptr_array_add (all, known_codes[i]);
  for (guint i = 0; added[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (all, added[i], g_str_equal, NULL))
      g_ptr_array_add (all, added[i]);
  g_ptr_array_sort (all, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (all, NULL);

  g_hash_table_replace (table, g_steal_pointer (&key), g_strjoinv (",", (char **) all->pdata));
}

/* Every spelling of every country in @lang and in English, as
 * sort_key()s. Built once a language, in that language's catalog: a
 * lookup is then one hash, not a thousand normalizations, for every line
 * of a CSV import. */
static GHashTable *
build_names (GArray     *iso,
             const char *lang)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PkLanguageScope scope;

  pk_language_scope_enter (&scope, lang);
  for (guint i = 0; i < iso->len; i++)
    {
      const IsoCountry *country = &g_array_index (iso, IsoCountry, i);
      const char *english[] = { country->name, country->common_name, country->official_name };

      for (guint n = 0; n < G_N_ELEMENTS (english); n++)
        if (english[n] != NULL)
          {
            add_spelling (table, english[n], country->code);
            add_spelling (table, dgettext (ISO_3166_DOMAIN, english[n]), country->code);
          }
    }
  pk_language_scope_leave (&scope);

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (aliases[i].lang, "en") || g_str_equal (aliases[i].lang, lang))
      add_spelling (table, aliases[i].spelling, aliases[i].codes);
  return table;
}

static GMutex names_lock;
/* Language → its table from build_names(). */
static GHashTable *names_by_lang;

/* The name of the country with @code in @lang, for a message. */
static char *
country_name_in (GArray     *iso,
                 const char *code,
                 const char *lang)
{
  PkLanguageScope scope;
  char *name = NULL;

  pk_language_scope_enter (&scope, lang);
  for (guint i = 0; i < iso->len && name == NULL; i++)
    if (memcmp (g_array_index (iso, IsoCountry, i).code, code, 2) == 0)
      name = g_strdup (translate_name (&g_array_index (iso, IsoCountry, i)));
  pk_language_scope_leave (&scope);
  return name != NULL ? name : g_strdup (code);
}

static void
set_ambiguous (GError     **error,
               GArray      *iso,
               const char  *name,
               const char  *codes,
               const char  *lang)
{
  g_auto(GStrv) each = g_strsplit (codes, ",", -1);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; each[i] != NULL; i++)
    {
      g_autofree char *country = country_name_in (iso, each[i], lang);

      if (i > 0)
        g_string_append (list, ", ");
      g_string_append_printf (list, "%s (%s)", country, each[i]);
    }
  g_set_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_AMBIGUOUS,
               _("“%s” fits more than one country: %s. Please write the country’s full name or its "
                 "two-letter code."),
               name, list->str);
}

/* The table of every spelling in @lang, built on first use. Call with
 * names_lock held. */
static GHashTable *
names_for_lang (GArray     *iso,
                const char *lang)
{
  GHashTable *names;

  if (names_by_lang == NULL)
    names_by_lang = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  names = g_hash_table_lookup (names_by_lang, lang);
  if (names == NULL)
    {
      names = build_names (iso, lang);
      g_hash_table_insert (names_by_lang, g_strdup (lang), names);
    }
  return names;
}

char *
pk_country_code_for_name (const char  *name,
                          const char  *lang,
                          const char  *home,
                          GError     **error)
{
  GArray *iso = get_iso_countries ();
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) candidates = NULL;
  GHashTable *names;
  const char *codes;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (lang != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (iso == NULL)
    {
      g_set_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_UNKNOWN,
                   _("Country names cannot be read on this computer (the iso-codes package is "
                     "missing); please write the country’s two-letter code."));
      return NULL;
    }

  locker = g_mutex_locker_new (&names_lock);
  names = names_for_lang (iso, lang);

  key = sort_key (name);
  codes = g_hash_table_lookup (names, key);
  if (codes == NULL)
    {
      g_set_error (error, PK_COUNTRY_ERROR, PK_COUNTRY_ERROR_UNKNOWN,
                   _("No country is called “%s”. Please write the country’s name or its two-letter "
                     "code, for example KR."),
                   name);
      return NULL;
    }

  candidates = g_strsplit (codes, ",", -1);
  if (g_strv_length (candidates) == 1)
    return g_strdup (candidates[0]);
  if (home != NULL && g_strv_contains ((const char * const *) candidates, home))
    return g_strdup (home);

  set_ambiguous (error, iso, name, codes, lang);
  return NULL;
}

static int
compare_codes (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* TRUE when @typed, a sort_key(), begins @spelling or one of its words:
 * "korea" begins "south korea", as a signer looking for either Korea
 * expects. */
static gboolean
begins_a_word (const char *spelling,
               const char *typed)
{
  for (const char *p = spelling; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((p == spelling || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)))) &&
          g_str_has_prefix (p, typed))
        return TRUE;
    }
  return FALSE;
}

char **
pk_country_codes_for_search (const char *typed,
                             const char *lang)
{
  GArray *iso = get_iso_countries ();
  g_autoptr(GHashTable) found = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  g_autofree const char **sorted = NULL;
  GHashTableIter iter;
  gpointer spelling, spelling_codes;

  g_return_val_if_fail (typed != NULL, NULL);
  g_return_val_if_fail (lang != NULL, NULL);

  stripped = g_strstrip (g_strdup (typed));
  if (iso == NULL || *stripped == '\0')
    return g_strv_builder_end (codes);
  key = sort_key (stripped);

  locker = g_mutex_locker_new (&names_lock);
  g_hash_table_iter_init (&iter, names_for_lang (iso, lang));
  while (g_hash_table_iter_next (&iter, &spelling, &spelling_codes))
    if (begins_a_word (spelling, key))
      {
        g_auto(GStrv) each = g_strsplit (spelling_codes, ",", -1);

        for (guint i = 0; each[i] != NULL; i++)
          if (!g_hash_table_contains (found, each[i]))
            g_hash_table_add (found, (char *) g_intern_string (each[i]));
      }

  sorted = (const char **) g_hash_table_get_keys_as_array (found, NULL);
  qsort (sorted, g_hash_table_size (found), sizeof (char *), compare_codes);
  g_strv_builder_addv (codes, sorted);
  return g_strv_builder_end (codes);
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
