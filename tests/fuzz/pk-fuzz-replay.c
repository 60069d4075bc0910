/* pk-fuzz-replay.c: replays a fuzz target's corpus as a regression test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: pk-fuzz-replay-TARGET [--tap] CORPUS-DIR
 * Every file in CORPUS-DIR becomes one test case that feeds it to the
 * target's LLVMFuzzerTestOneInput(). A crash libFuzzer once found, copied
 * into the corpus, therefore fails the ordinary test suite for good.
 */
#define G_LOG_DOMAIN "pk-fuzz-replay"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "pk-fuzz.h"

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autofree guint8 *copy = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* An exact-size heap copy, as libFuzzer passes it, so that ASan sees
   * any read past the end of the input. */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  g_assert_cmpint (LLVMFuzzerTestOneInput (copy, length), ==, 0);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (argc != 2)
    {
      g_printerr ("usage: %s [--tap] CORPUS-DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (argv[1], name, NULL));
  /* A stable order keeps TAP numbering the same from run to run. */
  g_ptr_array_sort (paths, compare_names);
  g_assert_cmpuint (paths->len, >, 0);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (paths, i));
      g_autofree char *test_path = g_strdup_printf ("/Pk/Fuzz/%s/%s", PK_FUZZ_TARGET, base);

      g_test_add_data_func (test_path, g_ptr_array_index (paths, i), replay_file);
    }

  status = g_test_run ();
  return status;
}
