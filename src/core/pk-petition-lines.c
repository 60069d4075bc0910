/* pk-petition-lines.c: the first pass over a petition file, line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GKeyFile forgets line numbers, reports some syntax errors without
 * one, silently keeps the last of a key given twice and accepts any
 * key. This pass, before GKeyFile, catches all of those with the line
 * they are on, and remembers where each key was for later messages.
 */
#define G_LOG_DOMAIN "pk-petition"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-petition-lines.h"
#include "pk-petition.h"

/* Every key a [Petition] group may hold. Anything else is refused so that
 * a typo such as "Requried" is caught instead of silently ignored. New
 * keys are added here together with their parsing. */
static const char * const known_keys[] = {
  "Id", "Version", "Title", "Summary", "Text", "Url", "Goal", "Organizer",
  "Fields", "Required", "ConsentText", "CoordinatorKey", "Country",
  "PrivacyNotice", "SensitiveConsentText",
};

void
pk_petition_lines_clear (PkPetitionLines *map)
{
  g_clear_pointer (&map->key_lines, g_hash_table_unref);
}

guint
pk_petition_lines_of (PkPetitionLines *map,
                      const char      *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (map->key_lines, key));
}

static gboolean
is_known_key (const char *key)
{
  g_autofree char *base = g_strndup (key, strcspn (key, "["));

  for (guint i = 0; i < G_N_ELEMENTS (known_keys); i++)
    if (g_str_equal (known_keys[i], base))
      return TRUE;

  return FALSE;
}

/* A "[group]" line: only one [Petition] is allowed. */
static gboolean
scan_group_header (char       *line,
                   guint       line_no,
                   gboolean   *seen_petition,
                   GError    **error)
{
  g_autofree char *group = NULL;

  g_strchomp (line);
  if (line[strlen (line) - 1] != ']')
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: a group header must end with “]”."), line_no);
      return FALSE;
    }
  group = g_strndup (line + 1, strlen (line) - 2);
  if (!g_str_equal (group, PK_PETITION_GROUP))
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: unknown group “[%s]”; a petition file has only [%s]."),
                   line_no, group, PK_PETITION_GROUP);
      return FALSE;
    }
  if (*seen_petition)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: the group [%s] appears twice."), line_no, PK_PETITION_GROUP);
      return FALSE;
    }
  *seen_petition = TRUE;
  return TRUE;
}

/* A "Key=value" line inside [Petition] (@in_group): a known key, given
 * once. */
static gboolean
scan_key (PkPetitionLines  *map,
          const char       *line,
          guint             line_no,
          gboolean          in_group,
          GError          **error)
{
  const char *eq = strchr (line, '=');
  g_autofree char *key = NULL;

  if (eq == NULL)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: expected “Key=value”, a [group] or a # comment."), line_no);
      return FALSE;
    }

  if (!in_group)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: the file must start with the group [%s]."),
                   line_no, PK_PETITION_GROUP);
      return FALSE;
    }

  key = g_strstrip (g_strndup (line, eq - line));
  if (*key == '\0')
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_SYNTAX,
                   _("Line %u: a key name is missing before “=”."), line_no);
      return FALSE;
    }

  if (!is_known_key (key))
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_INVALID_KEY,
                   _("Line %u: unknown key “%s”."), line_no, key);
      return FALSE;
    }

  if (g_hash_table_contains (map->key_lines, key))
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_INVALID_KEY,
                   _("Line %u: the key “%s” was already given on line %u."),
                   line_no, key, pk_petition_lines_of (map, key));
      return FALSE;
    }

  g_hash_table_insert (map->key_lines, g_steal_pointer (&key), GUINT_TO_POINTER (line_no));
  return TRUE;
}

gboolean
pk_petition_lines_scan (const char       *data,
                        gsize             length,
                        PkPetitionLines  *map,
                        GError          **error)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = g_strndup (data, length);
  gboolean seen_petition = FALSE;

  map->key_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint line_no = i + 1;
      g_autofree char *line = g_strdup (lines[i]);

      /* GKeyFile strips leading whitespace and a trailing CR. */
      g_strchug (line);
      if (*line != '\0' && line[strlen (line) - 1] == '\r')
        line[strlen (line) - 1] = '\0';

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[' ? !scan_group_header (line, line_no, &seen_petition, error)
                       : !scan_key (map, line, line_no, seen_petition, error))
        return FALSE;
    }

  if (!seen_petition)
    {
      g_set_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_MISSING_KEY,
                   _("The group [%s] is missing; this is not a petition file."), PK_PETITION_GROUP);
      return FALSE;
    }

  return TRUE;
}
