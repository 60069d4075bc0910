/* test-data-dirs.c: where the program finds its translations, schema and
 * icons, in the build tree and in a tree it was copied to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pk-data-dirs.h"

/* What this executable sees when it runs as a copy: the parent copies
 * it to PREFIX/bin/ and reads these lines, since the folders are found
 * once per process from the executable's own path. */
static int
report_dirs (void)
{
  g_autoptr(GError) translations_error = NULL;
  g_autoptr(GError) settings_error = NULL;
  g_autoptr(GSettings) settings = NULL;
  gboolean translated;

  /* g_print () writes in the locale's charset, so the quotes arrive whole. */
  setlocale (LC_ALL, "");
  translated = pk_data_dirs_check_translations (&translations_error);
  settings = pk_data_dirs_new_settings (&settings_error);
  g_print ("build-tree=%d\n", pk_data_dirs_is_build_tree ());
  g_print ("localedir=%s\n", pk_data_dirs_get_localedir ());
  g_print ("schemadir=%s\n", pk_data_dirs_get_schemadir ());
  g_print ("icondir=%s\n", pk_data_dirs_get_icondir ());
  g_print ("translations=%s\n", translated ? "ok" : translations_error->message);
  g_print ("settings=%s\n", settings != NULL ? "ok" : settings_error->message);
  return 0;
}

static void
test_build_tree (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *localedir = g_build_filename (PK_BUILD_ROOT, "po", NULL);
  g_autofree char *schemadir = g_build_filename (PK_BUILD_ROOT, "data", NULL);
  g_autofree char *icondir = g_build_filename (SOURCE_DATADIR, "icons", NULL);

  g_assert_true (pk_data_dirs_is_build_tree ());
  g_assert_cmpstr (pk_data_dirs_get_localedir (), ==, localedir);
  g_assert_cmpstr (pk_data_dirs_get_schemadir (), ==, schemadir);
  g_assert_cmpstr (pk_data_dirs_get_icondir (), ==, icondir);

  g_assert_true (pk_data_dirs_check_translations (&error));
  g_assert_no_error (error);
  settings = pk_data_dirs_new_settings (&error);
  g_assert_no_error (error);
  g_assert_nonnull (settings);
}

static char *
run_copy (const char *exe)
{
  const char *argv[] = { exe, "report-dirs", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
assert_line (const char *report,
             const char *key,
             const char *value)
{
  g_autofree char *line = g_strdup_printf ("%s=%s\n", key, value);

  if (strstr (report, line) == NULL)
    g_error ("expected “%s” in:\n%s", line, report);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GFile) parent = g_file_get_parent (target);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (parent), 0700), ==, 0);
  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A copied or --destdir installation looks beside itself, and says which
 * file is missing while it is incomplete. */
static void
test_copied_tree (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *prefix = g_dir_make_tmp ("pk-data-dirs-XXXXXX", NULL);
  g_autofree char *exe = g_build_filename (prefix, PK_BINDIR_IN_PREFIX, "petition-kiosk-copy", NULL);
  g_autofree char *datadir = g_build_filename (prefix, PK_DATADIR_IN_PREFIX, NULL);
  g_autofree char *localedir = g_build_filename (prefix, PK_LOCALEDIR_IN_PREFIX, NULL);
  g_autofree char *schemadir = g_build_filename (datadir, "glib-2.0", "schemas", NULL);
  g_autofree char *icondir = g_build_filename (datadir, "icons", NULL);
  g_autofree char *schemas = g_build_filename (schemadir, "gschemas.compiled", NULL);
  g_autofree char *built_schemas = g_build_filename (PK_BUILD_ROOT, "data", "gschemas.compiled", NULL);
  g_autoptr(GSettingsSchema) system_schema = NULL;
  g_auto(GStrv) languages = g_strsplit (PK_LINGUAS, " ", -1);
  g_autofree char *first_catalog = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *report = NULL;
  g_autofree char *complete = NULL;

  if (g_path_is_absolute (PK_BINDIR_IN_PREFIX))
    {
      g_test_skip ("bindir is configured outside the prefix: no copy can move it");
      return;
    }
  g_assert_nonnull (self);
  copy_file (self, exe);
  g_assert_cmpint (g_chmod (exe, 0700), ==, 0);

  report = run_copy (exe);
  assert_line (report, "build-tree", "0");
  assert_line (report, "localedir", localedir);
  assert_line (report, "schemadir", schemadir);
  assert_line (report, "icondir", icondir);
  first_catalog = g_build_filename (localedir, languages[0], "LC_MESSAGES",
                                    GETTEXT_PACKAGE ".mo", NULL);
  missing = g_strdup_printf ("The translation into “%s” is missing: %s does not exist.",
                             languages[0], first_catalog);
  g_assert_nonnull (strstr (report, missing));

  /* Unless the schema is installed system-wide, nothing provides it. */
  if (g_settings_schema_source_get_default () != NULL)
    system_schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                                     APP_ID, TRUE);
  if (system_schema == NULL)
    {
      g_autofree char *no_schema = g_strdup_printf ("settings=The settings schema “%s” is not installed: it is neither in %s",
                                                    APP_ID, schemadir);
      g_assert_nonnull (strstr (report, no_schema));
    }

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *built = g_build_filename (PK_BUILD_ROOT, "po", languages[i], "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
      g_autofree char *copied = g_build_filename (localedir, languages[i], "LC_MESSAGES",
                                                  GETTEXT_PACKAGE ".mo", NULL);
      copy_file (built, copied);
    }
  copy_file (built_schemas, schemas);

  complete = run_copy (exe);
  assert_line (complete, "translations", "ok");
  assert_line (complete, "settings", "ok");

  {
    g_autoptr(GFile) root = g_file_new_for_path (prefix);
    const char *argv[] = { "rm", "-rf", prefix, NULL };
    int status = -1;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                  NULL, NULL, &status, NULL);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_false (g_file_query_exists (root, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "report-dirs"))
    return report_dirs ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Pk/DataDirs/build-tree", test_build_tree);
  g_test_add_func ("/Pk/DataDirs/copied-tree", test_copied_tree);
  return g_test_run ();
}
