/* pk-powercut-disk.c: a folder that can lose its power, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-powercut-disk"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "pk-proof.h"
#include "pk-powercut-disk.h"

struct _PkDisk {
  char *root;
  char *dir;
  char *shadow;
  char *count;
};

PkDisk *
pk_disk_new (void)
{
  PkDisk *disk = g_new0 (PkDisk, 1);

  disk->root = pk_proof_make_tmpdir ();
  disk->dir = g_build_filename (disk->root, "disk", NULL);
  disk->shadow = g_build_filename (disk->root, "shadow", NULL);
  disk->count = g_build_filename (disk->root, "events", NULL);
  g_assert_cmpint (g_mkdir (disk->dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (disk->shadow, 0700), ==, 0);
  pk_disk_settle (disk);
  return disk;
}

void
pk_disk_free (PkDisk *disk)
{
  if (disk == NULL)
    return;
  pk_proof_rm_rf (disk->root);
  g_free (disk->root);
  g_free (disk->dir);
  g_free (disk->shadow);
  g_free (disk->count);
  g_free (disk);
}

const char *
pk_disk_get_dir (PkDisk *disk)
{
  return disk->dir;
}

char *
pk_disk_path (PkDisk     *disk,
              const char *name)
{
  return g_build_filename (disk->dir, name, NULL);
}

static void
empty_folder (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_unlink (child), ==, 0);
    }
}

/* Where the shim keeps a file's durable content (pk-powercut.c). */
static char *
shadow_data_path (PkDisk     *disk,
                  const char *id)
{
  g_autofree char *name = g_strconcat ("data-", id, NULL);

  return g_build_filename (disk->shadow, name, NULL);
}

static void
put_file (const char   *path,
          const char   *contents,
          gssize        length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

void
pk_disk_settle (PkDisk *disk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *names_path = g_build_filename (disk->shadow, "names", NULL);
  const char *name;

  empty_folder (disk->shadow);
  dir = g_dir_open (disk->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (disk->dir, name, NULL);
      g_autofree char *id = NULL;
      g_autofree char *inode = NULL;
      g_autofree char *inode_path = NULL;
      g_autofree char *copy = NULL;
      g_autoptr(GBytes) bytes = NULL;
      GStatBuf st;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (!S_ISREG (st.st_mode))
        continue;
      id = g_strdup_printf ("settled-%" G_GUINT64_FORMAT, (guint64) st.st_ino);
      inode = g_strdup_printf ("inode-%" G_GUINT64_FORMAT, (guint64) st.st_ino);
      inode_path = g_build_filename (disk->shadow, inode, NULL);
      put_file (inode_path, id, -1);
      bytes = pk_proof_read_bytes (path);
      copy = shadow_data_path (disk, id);
      put_file (copy, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_string_append_printf (names, "%s %s\n", id, name);
    }
  put_file (names_path, names->str, names->len);
}

void
pk_disk_power_cut (PkDisk *disk)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *names_path = g_build_filename (disk->shadow, "names", NULL);
  g_autofree char *names = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (names_path, &names, NULL, &error);
  g_assert_no_error (error);
  empty_folder (disk->dir);
  lines = g_strsplit (names, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *space = strchr (lines[i], ' ');
      g_autofree char *data_path = NULL;
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_nonnull (space);
      *space = '\0';
      data_path = shadow_data_path (disk, lines[i]);
      path = g_build_filename (disk->dir, space + 1, NULL);
      /* A name whose file was never synced comes back empty. */
      if (!g_file_get_contents (data_path, &contents, &length, NULL))
        length = 0;
      g_file_set_contents (path, contents != NULL ? contents : "", length, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (path, 0600), ==, 0);
    }
  pk_disk_settle (disk);
}

GStrv
pk_disk_environ (PkDisk              *disk,
                 guint                cut_at,
                 const char * const  *extra_env)
{
  g_autoptr(GStrvBuilder) env = g_strv_builder_new ();
  g_autofree char *preload = NULL;
  g_autofree char *dir = g_strconcat ("PK_POWERCUT_DIR=", disk->dir, NULL);
  g_autofree char *shadow = g_strconcat ("PK_POWERCUT_SHADOW=", disk->shadow, NULL);
  g_autofree char *count = g_strconcat ("PK_POWERCUT_COUNT=", disk->count, NULL);
  g_autofree char *at = g_strdup_printf ("PK_POWERCUT_AT=%u", cut_at);
  const char *shim = g_getenv ("PK_POWERCUT_SHIM");

  g_assert_nonnull (shim);
  preload = g_strconcat ("LD_PRELOAD=", shim, NULL);
  g_strv_builder_add_many (env, preload, dir, shadow, count, at, NULL);
  if (extra_env != NULL)
    g_strv_builder_addv (env, (const char **) extra_env);
  /* A count left from an earlier run must not pass for this one's. */
  g_unlink (disk->count);
  return g_strv_builder_end (env);
}

int
pk_disk_run (PkDisk              *disk,
             const char * const  *args,
             guint                cut_at,
             const char * const  *extra_env,
             char               **out_stdout,
             char               **out_stderr)
{
  g_auto(GStrv) env = pk_disk_environ (disk, cut_at, extra_env);

  return pk_proof_run_cli (args, (const char * const *) env, out_stdout, out_stderr);
}

/* The lines of the count file the shim wrote at the last run's exit:
 * the number of counted calls, then those that synced the folder. */
static GStrv
read_count_lines (PkDisk *disk)
{
  g_autoptr(GBytes) bytes = pk_proof_read_bytes (disk->count);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strsplit (g_strstrip (text), "\n", -1);
}

static guint
parse_count (const char *line)
{
  guint64 n = 0;

  g_assert_true (g_ascii_string_to_unsigned (line, 10, 0, G_MAXUINT, &n, NULL));
  return (guint) n;
}

guint
pk_disk_events (PkDisk *disk)
{
  g_auto(GStrv) lines = read_count_lines (disk);

  return parse_count (lines[0]);
}

GArray *
pk_disk_folder_syncs (PkDisk *disk)
{
  g_auto(GStrv) lines = read_count_lines (disk);
  GArray *syncs = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 1; lines[i] != NULL; i++)
    {
      guint at = parse_count (lines[i]);

      g_array_append_val (syncs, at);
    }
  return syncs;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

GArray *
pk_disk_sample (guint         n_events,
                const GArray *always,
                guint         budget)
{
  const char *env = g_getenv ("PK_POWERCUT_POINTS");
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);
  GArray *points = g_array_new (FALSE, FALSE, sizeof (guint));
  guint64 limit = budget;

  if (g_strcmp0 (env, "all") == 0)
    limit = G_MAXUINT;
  else if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &limit, NULL))
    g_error ("PK_POWERCUT_POINTS must be a positive number or “all”, not “%s”", env);

  if (n_events <= limit)
    {
      for (guint i = 1; i <= n_events; i++)
        g_array_append_val (points, i);
      return points;
    }
  g_hash_table_add (chosen, GUINT_TO_POINTER (1));
  g_hash_table_add (chosen, GUINT_TO_POINTER (n_events));
  /* On top of the budget: a failure there is the one that leaves a new
   * name in place but not yet durable (pk-atomic.c, and pk-batch.c's
   * taking a batch file back), which a random draw may miss. */
  for (guint i = 0; always != NULL && i < always->len; i++)
    {
      guint at = g_array_index (always, guint, i);

      g_assert_cmpuint (at, >=, 1);
      g_assert_cmpuint (at, <=, n_events);
      g_hash_table_add (chosen, GUINT_TO_POINTER (at));
    }
  limit = MIN (limit + (always != NULL ? always->len : 0), n_events);
  while (g_hash_table_size (chosen) < limit)
    g_hash_table_add (chosen, GUINT_TO_POINTER (g_test_rand_int_range (1, (gint32) n_events + 1)));
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, chosen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        guint point = GPOINTER_TO_UINT (key);

        g_array_append_val (points, point);
      }
  }
  g_array_sort (points, compare_uint);
  return points;
}
