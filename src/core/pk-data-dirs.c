/* pk-data-dirs.c: where the program finds the files it ships
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-data-dirs"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-data-dirs.h"

typedef struct {
  gboolean  build_tree;
  char     *localedir;
  char     *schemadir;
  char     *icondir;
  char     *app_module;
  char     *pg_module;
} DataDirs;

/* The executable's absolute path, symbolic links resolved; NULL where
 * the system does not tell (no /proc). */
static char *
executable_path (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

/* PREFIX when @exe is PREFIX/BINDIR/name with the configured BINDIR, so
 * that the data is looked for beside the executable wherever the tree
 * was installed or copied to. */
static char *
prefix_of_executable (const char *exe)
{
  g_autofree char *dir = NULL;
  g_autofree char *suffix = NULL;

  if (exe == NULL || g_path_is_absolute (PK_BINDIR_IN_PREFIX))
    return NULL;

  dir = g_path_get_dirname (exe);
  suffix = g_strconcat (G_DIR_SEPARATOR_S, PK_BINDIR_IN_PREFIX, NULL);
  if (!g_str_has_suffix (dir, suffix))
    return NULL;
  return g_strndup (dir, strlen (dir) - strlen (suffix));
}

/* @dir under @prefix, unless the build was configured with an absolute
 * @dir outside the prefix. */
static char *
under_prefix (const char *prefix,
              const char *dir)
{
  return g_path_is_absolute (dir) ? g_strdup (dir) : g_build_filename (prefix, dir, NULL);
}

static DataDirs *
find_data_dirs (void)
{
  DataDirs *dirs = g_new0 (DataDirs, 1);
  g_autofree char *exe = executable_path ();
  g_autofree char *prefix = NULL;
  g_autofree char *datadir = NULL;
  g_autofree char *pkglibdir = NULL;

  dirs->build_tree = exe != NULL && g_str_has_prefix (exe, PK_BUILD_ROOT G_DIR_SEPARATOR_S);
  if (dirs->build_tree)
    {
      dirs->localedir = g_build_filename (PK_BUILD_ROOT, "po", NULL);
      dirs->schemadir = g_build_filename (PK_BUILD_ROOT, "data", NULL);
      dirs->icondir = g_build_filename (SOURCE_DATADIR, "icons", NULL);
      dirs->app_module = g_build_filename (PK_BUILD_ROOT, "src", "app", PK_APP_MODULE_FILE, NULL);
      dirs->pg_module = g_build_filename (PK_BUILD_ROOT, "src", "core", PK_PG_MODULE_FILE, NULL);
      return dirs;
    }

  prefix = prefix_of_executable (exe);
  if (prefix == NULL)
    prefix = g_strdup (PK_PREFIX);
  datadir = under_prefix (prefix, PK_DATADIR_IN_PREFIX);
  dirs->localedir = under_prefix (prefix, PK_LOCALEDIR_IN_PREFIX);
  dirs->schemadir = g_build_filename (datadir, "glib-2.0", "schemas", NULL);
  dirs->icondir = g_build_filename (datadir, "icons", NULL);
  pkglibdir = under_prefix (prefix, PK_PKGLIBDIR_IN_PREFIX);
  dirs->app_module = g_build_filename (pkglibdir, PK_APP_MODULE_FILE, NULL);
  dirs->pg_module = g_build_filename (pkglibdir, PK_PG_MODULE_FILE, NULL);
  return dirs;
}

static const DataDirs *
get_data_dirs (void)
{
  static gsize found;
  static DataDirs *dirs;

  if (g_once_init_enter (&found))
    {
      dirs = find_data_dirs ();
      g_once_init_leave (&found, 1);
    }
  return dirs;
}

gboolean
pk_data_dirs_is_build_tree (void)
{
  return get_data_dirs ()->build_tree;
}

const char *
pk_data_dirs_get_localedir (void)
{
  return get_data_dirs ()->localedir;
}

const char *
pk_data_dirs_get_schemadir (void)
{
  return get_data_dirs ()->schemadir;
}

const char *
pk_data_dirs_get_icondir (void)
{
  return get_data_dirs ()->icondir;
}

const char *
pk_data_dirs_get_app_module (void)
{
  return get_data_dirs ()->app_module;
}

const char *
pk_data_dirs_get_pg_module (void)
{
  return get_data_dirs ()->pg_module;
}

gboolean
pk_data_dirs_check_translations (GError **error)
{
  g_auto(GStrv) languages = g_strsplit (PK_LINGUAS, " ", -1);

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *catalog = g_build_filename (pk_data_dirs_get_localedir (), languages[i],
                                                   "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      if (languages[i][0] == '\0' || g_file_test (catalog, G_FILE_TEST_IS_REGULAR))
        continue;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The translation into “%s” is missing: %s does not exist. The kiosk switches between Korean, English and German, so it does not start without it. Reinstall Petition Kiosk, or run “meson install” again if you built it yourself."),
                   languages[i], catalog);
      return FALSE;
    }
  return TRUE;
}

GSettings *
pk_data_dirs_new_settings (GError **error)
{
  GSettingsSchemaSource *system = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) own = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) own_error = NULL;
  const char *schemadir = pk_data_dirs_get_schemadir ();

  /* Our own folder first, so that a build tree or a moved installation
   * never picks up another version's schema installed on the system. A
   * folder without compiled schemas is not an error yet: GLib's own
   * folders may still hold ours. */
  own = g_settings_schema_source_new_from_directory (schemadir, system, FALSE, &own_error);
  if (own != NULL)
    schema = g_settings_schema_source_lookup (own, APP_ID, TRUE);
  else if (system != NULL)
    schema = g_settings_schema_source_lookup (system, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The settings schema “%s” is not installed: it is neither in %s nor in the folders GLib searches. Reinstall Petition Kiosk; if you installed it yourself, run “glib-compile-schemas %s”, the step the installation should have done."),
                   APP_ID, schemadir, schemadir);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
