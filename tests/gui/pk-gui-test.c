/* pk-gui-test.c: what the GUI tests and the screenshot tool share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-gui-test"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "pk-data-dirs.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-language.h"
#include "pk-locale.h"
#include "pk-pin.h"
#include "pk-style.h"
#include "pk-test-tree.h"

/* With PK_GUI_OWN_DISPLAY=WIDTHxHEIGHT (set in the meson.build of
 * the tests that press real keys and move the real pointer), the test
 * gets an X server of its own of that size, so that it can run beside
 * the other tests: XTEST events, the keyboard focus and the X selections
 * then reach no other test's window. The server dies with the test, even
 * one that aborts (PR_SET_PDEATHSIG). */
static void
start_own_display (const char *size)
{
  g_autofree char *screen = g_strdup_printf ("%sx24", size);
  g_autofree char *name = NULL;
  char display[32] = { 0 };
  gsize got = 0;
  int fds[2];
  pid_t pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR);

      prctl (PR_SET_PDEATHSIG, SIGTERM);
      close (fds[0]);
      dup2 (fds[1], 3);
      dup2 (null, STDIN_FILENO);
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      execlp ("Xvfb", "Xvfb", "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp",
              (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  /* Xvfb writes the display number once it accepts connections. */
  while (got < sizeof display - 1)
    {
      ssize_t n = read (fds[0], display + got, 1);

      if (n <= 0 || display[got] == '\n')
        break;
      got++;
    }
  close (fds[0]);
  display[got] = '\0';
  if (got == 0)
    g_error ("Xvfb did not start (PK_GUI_OWN_DISPLAY=%s)", size);
  name = g_strconcat (":", display, NULL);
  g_setenv ("DISPLAY", name, TRUE);
}

void
pk_gui_init (int    *argc,
             char ***argv)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("PK_GUI_OWN_DISPLAY") != NULL)
    start_own_display (g_getenv ("PK_GUI_OWN_DISPLAY"));

  /* As the kiosk's main() does. */
  pk_locale_init ();

  /* No session bus under Xvfb, so no accessibility bus either; GTK 4
   * warns (fatally in tests) when it tries to reach one. A test that
   * reads accessible names sets GTK_A11Y=test first. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  /* The tests render with cairo (GSK_RENDERER=cairo). Without this, GDK
   * still probes GL when it opens the X display, and the Mesa driver it
   * loads and unloads leaves an allocation LeakSanitizer reports from an
   * unknown module, so no suppression can name it. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_test_init (argc, argv, NULL);
  /* gtk_test_init() switches to en_US.UTF-8, which a kiosk laptop or a
   * CI container often lacks; plain C would then ignore LANGUAGE and
   * show no translation. Use the environment's locale (C.UTF-8 in the
   * tests), as the kiosk does. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  /* gtk_test_init () leaves the process in the plain C locale, where
   * gettext ignores LANGUAGE: the Korean and German screens would show
   * English. C.UTF-8 honours LANGUAGE, as in the real kiosk (main.c). */
  setlocale (LC_ALL, "C.UTF-8");
  adw_init ();
  /* Transitions would leave the screenshots half-faded and make the
   * tests wait for nothing. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  settings = pk_data_dirs_new_settings (&error);
  g_assert_no_error (error);
  pk_style_follow_settings (settings);
}

/* The PIN's Argon2id hash (256 MiB, most of a second) was most of a
 * case's fixture. It is made once a process, by pk_pin_set () as on a
 * kiosk, and the stored hash (data-model.md's "pin-hash") is given to
 * later cases' databases, which then hold what a kiosk whose organizer
 * chose that PIN holds: each case still types the PIN and has it
 * checked against the hash. */
static void
pk_gui_fixture_set_pin (PkStore *store)
{
  static char *pin_hash;
  g_autoptr(GError) error = NULL;

  if (pin_hash == NULL)
    {
      pk_pin_set (store, PK_TEST_PIN, &error);
      g_assert_no_error (error);
      pin_hash = pk_store_get_setting (store, "pin-hash");
      g_assert_nonnull (pin_hash);
    }
  else
    {
      pk_store_set_setting (store, "pin-hash", pin_hash, &error);
      g_assert_no_error (error);
    }
  g_assert_true (pk_pin_is_set (store));
}

void
pk_gui_fixture_setup (PkGuiFixture *fixture,
                      const char   *petition_file,
                      gboolean      with_pin)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *petition_path = NULL;
  const char *source_root = g_getenv ("PK_SOURCE_ROOT");

  g_assert_nonnull (source_root);

  fixture->dir = g_dir_make_tmp ("pk-gui-XXXXXX", &error);
  g_assert_no_error (error);

  db_path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = pk_store_open (db_path, &error);
  g_assert_no_error (error);
  if (with_pin)
    pk_gui_fixture_set_pin (fixture->store);

  petition_path = g_build_filename (source_root, "data", "demo", petition_file, NULL);
  fixture->petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);

  /* The memory backend (GSETTINGS_BACKEND=memory) starts from the
   * defaults in every process; reset anyway, as tests share one. */
  fixture->settings = pk_data_dirs_new_settings (&error);
  g_assert_no_error (error);
  g_settings_reset (fixture->settings, "idle-timeout");
  g_settings_reset (fixture->settings, "thank-you-delay");
  g_settings_reset (fixture->settings, "default-language");
  g_settings_reset (fixture->settings, "style");

  fixture->window = pk_window_new (NULL, fixture->store, fixture->petition, fixture->settings);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pk_gui_settle ();
}

void
pk_gui_fixture_teardown (PkGuiFixture *fixture)
{
  /* A kiosk window refuses to close; destroy it directly, unless a
   * test closed it through "Exit kiosk" already. */
  if (gtk_widget_get_visible (GTK_WIDGET (fixture->window)))
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  pk_gui_settle ();
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->petition);
  g_clear_object (&fixture->store);
  pk_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
pk_gui_wait (gboolean (*done) (gpointer data),
             gpointer   data,
             guint      max_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (max_seconds, on_wait_timeout, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return done (data);
}

/* Dispatches whatever is ready now, without blocking, for 100 ms at
 * most (an idle source that keeps itself, such as a list loading in
 * steps, is always ready); returns whether anything was. */
static gboolean
drain (void)
{
  gint64 until = g_get_monotonic_time () + 100 * 1000;
  gboolean any = FALSE;

  while (g_get_monotonic_time () < until && g_main_context_iteration (NULL, FALSE))
    any = TRUE;
  return any;
}

/* A round trip to each X server: the reply comes after every event that
 * the requests sent before it (XTEST's keys, buttons and motion) made,
 * so those events are then in GDK's queue and the next drain sees them. */
static void
sync_displays (void)
{
  g_autoptr(GSList) displays = gdk_display_manager_list_displays (gdk_display_manager_get ());

  for (GSList *l = displays; l != NULL; l = l->next)
    if (GDK_IS_X11_DISPLAY (l->data))
      XSync (gdk_x11_display_get_xdisplay (l->data), False);
}

typedef struct {
  GdkFrameClock *clock;
  gulong         handler;
  gboolean       painted;
} FrameWait;

static void
frame_wait_clear (gpointer data)
{
  FrameWait *wait = data;

  g_signal_handler_disconnect (wait->clock, wait->handler);
  g_object_unref (wait->clock);
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  FrameWait *wait = data;

  wait->painted = TRUE;
}

static gboolean
all_painted (gpointer data)
{
  GArray *waits = data;

  for (guint i = 0; i < waits->len; i++)
    if (!g_array_index (waits, FrameWait, i).painted)
      return FALSE;
  return TRUE;
}

/* Asks each mapped toplevel's frame clock for a frame and waits until
 * all of them painted one: GDK hands pointer motion to the widgets at
 * the start of a frame, and what changed is laid out and drawn in it. */
static void
paint_one_frame (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  g_autoptr(GArray) waits = g_array_new (FALSE, TRUE, sizeof (FrameWait));

  g_array_set_clear_func (waits, frame_wait_clear);
  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GdkFrameClock *clock = gtk_widget_get_mapped (l->data)
                             ? gtk_widget_get_frame_clock (l->data) : NULL;
      gboolean seen = FALSE;

      for (guint i = 0; i < waits->len && !seen; i++)
        seen = g_array_index (waits, FrameWait, i).clock == clock;
      if (clock == NULL || seen)
        continue;
      g_array_set_size (waits, waits->len + 1);
      g_array_index (waits, FrameWait, waits->len - 1).clock = g_object_ref (clock);
    }

  /* Connected only now: the array no longer moves. */
  for (guint i = 0; i < waits->len; i++)
    {
      FrameWait *wait = &g_array_index (waits, FrameWait, i);

      wait->handler = g_signal_connect (wait->clock, "after-paint", G_CALLBACK (on_after_paint), wait);
      gdk_frame_clock_request_phase (wait->clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
    }

  /* A clock that GDK froze (a surface waiting for its configure) may
   * skip this frame; settling judges nothing, so it moves on. */
  if (waits->len > 0)
    pk_gui_wait (all_painted, waits, 1);
}

void
pk_gui_settle (void)
{
  /* Until a frame leaves nothing behind to dispatch: the events sent so
   * far, handled, laid out and drawn, and what their handlers queued.
   * Five rounds at most, as a widget that animates would never rest. */
  for (guint round = 0; round < 5; round++)
    {
      sync_displays ();
      drain ();
      paint_one_frame ();
      if (!drain ())
        break;
    }
}

PkFormPage *
pk_gui_open_form (PkGuiFixture *fixture,
                  const char   *lang)
{
  GtkWidget *welcome = GTK_WIDGET (_pk_window_get_welcome_page (fixture->window));

  pk_gui_click (pk_gui_find_by_text (welcome, GTK_TYPE_BUTTON, pk_language_native_name (lang)));
  pk_gui_click (pk_gui_find_action (welcome, "kiosk.sign"));
  g_assert_cmpstr (pk_window_get_visible_page (fixture->window), ==, "form");
  g_assert_cmpstr (pk_window_get_language (fixture->window), ==, lang);
  return _pk_window_get_form_page (fixture->window);
}

void
pk_gui_fill_form (PkFormPage *form,
                  const char *given_name,
                  const char *family_name,
                  const char *email)
{
  PkSignaturePad *pad = _pk_form_page_get_pad (form);
  int width, height;
  guint32 t = 1000;

  if (given_name != NULL)
    gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME), given_name);
  if (family_name != NULL)
    gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME), family_name);
  if (email != NULL)
    gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_EMAIL), email);
  gtk_check_button_set_active (_pk_form_page_get_consent (form), TRUE);
  gtk_check_button_set_active (_pk_form_page_get_sensitive_consent (form), TRUE);

  pk_gui_settle ();
  width = MAX (gtk_widget_get_width (GTK_WIDGET (pad)), 320);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (pad)), 200);

  /* A looping cursive scrawl with an underline, drawn through the same
   * calls the gestures make. */
  for (guint i = 0; i <= 240; i++)
    {
      double s = i / 240.0;
      double x = width * (0.12 + 0.62 * s) + 26 * sin (s * 28);
      double y = height * (0.55 - 0.18 * sin (s * 9)) - 34 * cos (s * 28) * (0.6 + 0.4 * s);
      double pressure = 0.35 + 0.5 * fabs (sin (s * 14));

      if (i == 0)
        pk_signature_pad_begin_stroke (pad, x, y, pressure, t);
      else
        pk_signature_pad_extend_stroke (pad, x, y, pressure, t + i * 8);
    }
  pk_signature_pad_end_stroke (pad);

  pk_signature_pad_begin_stroke (pad, width * 0.18, height * 0.78, 0.4, t + 3000);
  for (guint i = 1; i <= 60; i++)
    pk_signature_pad_extend_stroke (pad, width * (0.18 + 0.62 * i / 60.0),
                                    height * (0.78 - 0.03 * i / 60.0), 0.6, t + 3000 + i * 6);
  pk_signature_pad_end_stroke (pad);
}

/* The signature the kiosk wrote last, read back through the store (which
 * holds the session key of the rows it wrote, so encrypted mode works). */
PkSignature *
pk_gui_last_signature (PkGuiFixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  g_autofree char *uuid = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  PkSignature *sig;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT uuid FROM signatures ORDER BY id DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  sig = pk_store_get_signature_by_uuid (fixture->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sig);
  return sig;
}
