/* coordinator-screenshots.c: renders the coordinator's window to PNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: coordinator-screenshots OUTPUT-DIR (build-aux/screenshots runs
 * it under Xvfb). A USB stick of 202 batch files, one of them cut off,
 * opened on a new master: the merge screen before merging and the
 * totals after, in Korean, English and German at 1280×800 and
 * 1024×600, as coordinator-SCREEN-LANG-SIZE.png.
 */
#define G_LOG_DOMAIN "coordinator-screenshots"

#include "config.h"

#include <glib/gstdio.h>

#include "pk-batch-fixture.h"
#include "pk-coordinator-window.h"
#include "pk-gui-test.h"
#include "pk-language.h"
#include "pk-coordinator-window-private.h"

static const char *output_dir;

static void
save_png (PkCoordinatorWindow *window,
          const char          *screen,
          const char          *lang,
          int                  width,
          int                  height)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = g_strdup_printf ("coordinator-%s-%s-%dx%d.png", screen, lang, width, height);
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  GtkSnapshot *snapshot;

  pk_gui_settle ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), ==, height);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  /* At the paintable's own size: any other would blur every edge. */
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Cannot write %s", path);
  g_print ("%s\n", path);
}

static gboolean
is_idle (gpointer data)
{
  return !_pk_coordinator_window_is_busy (data);
}

static void
render (GPtrArray  *paths,
        const char *dir,
        const char *lang,
        int         width,
        int         height)
{
  g_autofree char *name = g_strdup_printf ("master-%s-%d.db", lang, width);
  g_autofree char *master = g_build_filename (dir, name, NULL);
  PkCoordinatorWindow *window;
  GSList *files = NULL;

  pk_language_apply (lang);
  window = pk_coordinator_window_new (NULL, master, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  pk_gui_settle ();
  /* The default size counts the margin the client-side shadow takes:
   * grow it by that much so that the window itself has the size. */
  gtk_window_set_default_size (GTK_WINDOW (window),
                               2 * width - gtk_widget_get_width (GTK_WIDGET (window)),
                               2 * height - gtk_widget_get_height (GTK_WIDGET (window)));
  for (guint i = paths->len; i > 0; i--)
    files = g_slist_prepend (files, g_file_new_for_path (g_ptr_array_index (paths, i - 1)));
  pk_coordinator_window_add_files (window, files);
  g_slist_free_full (files, g_object_unref);
  g_assert_true (pk_gui_wait (is_idle, window, 120));
  save_png (window, "merge", lang, width, height);

  gtk_widget_activate_action (GTK_WIDGET (window), "coordinator.merge", NULL);
  g_assert_true (pk_gui_wait (is_idle, window, 300));
  _pk_coordinator_window_show_page (window, "totals");
  save_png (window, "totals", lang, width, height);

  gtk_window_destroy (GTK_WINDOW (window));
  pk_gui_settle ();
}

int
main (int   argc,
      char *argv[])
{
  static const char *langs[] = { "ko", "en", "de" };
  static const int sizes[][2] = { { 1280, 800 }, { 1024, 600 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autofree char *dir = NULL;

  pk_gui_init (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT-DIR\n", argv[0]);
      return 2;
    }
  output_dir = argv[1];
  g_mkdir_with_parents (output_dir, 0755);

  dir = g_dir_make_tmp ("pk-coordinator-shots-XXXXXX", &error);
  g_assert_no_error (error);
  paths = pk_batch_fixture_make_stick (dir, 202);
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      render (paths, dir, langs[l], sizes[s][0], sizes[s][1]);

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return 0;
}
