/* test-transcribe.c: the admin's Paper page, driven in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-transcribe"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>
#include <X11/keysym.h>
#ifdef PK_HAVE_XTEST
#include <X11/extensions/XTest.h>
#endif

#include "pk-test-skip.h"
#include "pk-gui-test.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-transcribe-page.h"

static PkTranscribePage *
find_page (GtkWidget *widget)
{
  if (PK_IS_TRANSCRIBE_PAGE (widget))
    return PK_TRANSCRIBE_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PkTranscribePage *page = find_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

#ifdef PK_HAVE_XTEST
/* A real key press and release through the X server (XTEST), as a
 * keyboard or a USB scanner sends it. Without a window manager nobody
 * gives the window the focus, so take it first. */
static void
send_key (GtkWindow *window,
          guint      keysym)
{
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (window)));
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));

  XSetInputFocus (display, xid, RevertToParent, CurrentTime);
  XTestFakeKeyEvent (display, XKeysymToKeycode (display, keysym), True, CurrentTime);
  XTestFakeKeyEvent (display, XKeysymToKeycode (display, keysym), False, CurrentTime);
  XFlush (display);
  pk_gui_settle ();
}
#endif

/* The window's focus widget: what keys go to. (has-focus also needs
 * the window to be active, which Xvfb without a window manager may
 * never make it.) */
static gboolean
has_focus (gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (data);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* An entry passes its focus on to the GtkText inside it. */
  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, data));
}

static void
assert_focus (GtkWidget *widget)
{
  if (!pk_gui_wait (has_focus, widget, 5))
    {
      GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

      g_error ("focus is on %s %p (%s), not on %s %p",
               focus ? G_OBJECT_TYPE_NAME (focus) : "nothing", (void *) focus,
               focus ? gtk_widget_get_name (focus) : "",
               G_OBJECT_TYPE_NAME (widget), (void *) widget);
    }
}

static GtkWidget *
cell (PkTranscribePage *page,
      guint             line,
      const char       *column)
{
  GtkWidget *widget = pk_transcribe_page_get_cell (page, line, column);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
line_status (PkTranscribePage *page,
             guint             line)
{
  return gtk_label_get_text (GTK_LABEL (cell (page, line, "status")));
}

/* Types a line as a volunteer does: each field then Enter, Space on
 * "signed" when it is, Enter on to "keep informed", Enter to save. */
static void
type_line (PkGuiFixture     *f,
           PkTranscribePage *page,
           guint             line,
           const char       *family,
           const char       *given,
           const char       *postal,
           const char       *email,
           gboolean          is_signed)
{
  /* The demo petition is Korean first here: family name, then given. */
  const char *columns[] = { "family_name", "given_name", "postal_code", "email" };
  const char *values[] = { family, given, postal, email };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkWidget *entry = cell (page, line, columns[i]);

      assert_focus (entry);
      gtk_editable_set_text (GTK_EDITABLE (entry), values[i]);
      /* Enter in an entry is its "activate". */
      g_signal_emit_by_name (entry, "activate");
    }

  assert_focus (cell (page, line, "signed"));
#ifdef PK_HAVE_XTEST
  /* Space ticks, Enter moves on, Enter on the last box saves. */
  if (is_signed)
    send_key (GTK_WINDOW (f->window), XK_space);
  g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (cell (page, line, "signed"))), ==, is_signed);
  send_key (GTK_WINDOW (f->window), XK_Return);
  assert_focus (cell (page, line, "opt_in"));
  send_key (GTK_WINDOW (f->window), XK_Return);
#else
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cell (page, line, "signed")), is_signed);
  pk_transcribe_page_save_line (page, line);
#endif
}

/* Enter through a line's last cells after a correction. */
static void
finish_line (PkGuiFixture     *f,
             PkTranscribePage *page,
             guint             line)
{
#ifdef PK_HAVE_XTEST
  gtk_widget_grab_focus (cell (page, line, "opt_in"));
  send_key (GTK_WINDOW (f->window), XK_Return);
#else
  pk_transcribe_page_save_line (page, line);
#endif
}

static PkTranscribePage *
open_paper_page (PkGuiFixture *f)
{
  PkTranscribePage *page;

  g_object_set (f->window, "idle-timeout", 3600, NULL);
  pk_window_set_language (f->window, "ko");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.admin", NULL);
  pk_pin_page_submit (pk_window_get_pin_page (f->window), PK_TEST_PIN, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "admin");
  pk_admin_page_set_visible_page (pk_window_get_admin_page (f->window), "paper");
  pk_gui_settle ();

  page = find_page (GTK_WIDGET (f->window));
  g_assert_nonnull (page);
  return page;
}

/* Renders the window as it is on screen into a PNG at @path. */
static void
render_png (PkGuiFixture *f,
            const char   *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  pk_gui_settle ();
  paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  /* At the paintable's own size: any other scales, and blurs, the
   * modules a phone would see crisp. */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
save_screenshot (PkGuiFixture *f)
{
  const char *path = g_getenv ("PK_PAPER_SCREENSHOT");

  /* Only when asked (see docs/paper.md): tests leave no files behind. */
  if (path != NULL)
    render_png (f, path);
}

static gboolean
decodes_url (PkGuiFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (f->dir, "screen.png", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "zbarimg", "--quiet", "--raw", png, NULL };
  int status = 0;

  render_png (f, png);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_remove (png);
  lines = g_strsplit (out, "\n", -1);
  return g_strv_contains ((const char * const *) lines, pk_petition_get_url (f->petition));
}

/* The kiosk's own QR codes, from a screenshot as a phone would see them. */
static void
test_qr_on_screen (void)
{
  PkGuiFixture f = { 0 };
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");

  if (zbarimg == NULL)
    {
      pk_test_skip ("zbarimg (zbar-tools) is not installed");
      return;
    }

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  g_object_set (f.window, "idle-timeout", 3600, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "welcome");
  g_assert_true (decodes_url (&f));

  pk_window_set_language (f.window, "ko");
  g_assert_true (decodes_url (&f));

  /* The smaller code for friends on the thank-you screen reads too. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (pk_window_get_form_page (f.window), "지우", "김", "jiwoo.kim@example.org");
  pk_form_page_submit (pk_window_get_form_page (f.window));
  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "thank-you");
  g_assert_true (decodes_url (&f));

  pk_gui_fixture_teardown (&f);
}

static void
test_transcribe_lines (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) first = NULL;
  g_autoptr(PkSignature) second = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *typed = NULL;
  PkTranscribePage *page;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  id = pk_petition_get_id (f.petition);
  serial = pk_sheet_serial_format (f.petition, 42);

  /* A scanner types the serial (any case) and Enter. */
  typed = g_ascii_strdown (serial, -1);
  g_assert_true (pk_transcribe_page_open_sheet (page, typed));

  type_line (&f, page, 1, "홍", "길동", "03142", "hong@example.org", TRUE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  first = pk_store_find_paper_line (f.store, serial, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpint (first->source, ==, PK_SOURCE_PAPER);
  g_assert_cmpstr (first->sheet_serial, ==, serial);
  g_assert_cmpuint (first->sheet_line, ==, 1);
  g_assert_cmpstr (first->fields[PK_FIELD_FAMILY_NAME], ==, "홍");
  g_assert_cmpstr (first->fields[PK_FIELD_GIVEN_NAME], ==, "길동");
  g_assert_cmpstr (first->lang, ==, "ko");
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "family_name")));

  /* Inline validation: Enter on a bad email stays there, marked. */
  assert_focus (cell (page, 2, "family_name"));
  gtk_editable_set_text (GTK_EDITABLE (cell (page, 2, "family_name")), "김");
  gtk_editable_set_text (GTK_EDITABLE (cell (page, 2, "given_name")), "서연");
  gtk_editable_set_text (GTK_EDITABLE (cell (page, 2, "email")), "not-an-email");
  gtk_widget_grab_focus (cell (page, 2, "email"));
  g_signal_emit_by_name (cell (page, 2, "email"), "activate");
  assert_focus (cell (page, 2, "email"));
  g_assert_true (gtk_widget_has_css_class (cell (page, 2, "email"), "error"));
  g_assert_cmpstr (line_status (page, 2), !=, "");

  /* Saving the line anyway is refused the same way, and nothing stored. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cell (page, 2, "signed")), TRUE);
  pk_transcribe_page_save_line (page, 2);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  g_assert_true (gtk_widget_has_css_class (cell (page, 2, "email"), "error"));
  assert_focus (cell (page, 2, "email"));

  /* Corrected, the mark goes and the line saves. */
  gtk_editable_set_text (GTK_EDITABLE (cell (page, 2, "email")), "seoyeon.kim@example.kr");
  g_assert_false (gtk_widget_has_css_class (cell (page, 2, "email"), "error"));
  finish_line (&f, page, 2);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 2);
  second = pk_store_find_paper_line (f.store, serial, 2, &error);
  g_assert_nonnull (second);
  g_assert_cmpstr (second->fields[PK_FIELD_EMAIL], ==, "seoyeon.kim@example.kr");

  /* A line with a name but not signed does not count. */
  type_line (&f, page, 3, "이", "민준", "", "", FALSE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 2);
  assert_focus (cell (page, 4, "family_name"));

  save_screenshot (&f);

  /* Opened again, the sheet shows the lines entered and refuses them. */
  g_assert_true (pk_transcribe_page_open_sheet (page, serial));
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "family_name")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell (page, 1, "family_name"))), ==, "홍");
  g_assert_nonnull (strstr (line_status (page, 1), "홍"));
  assert_focus (cell (page, 3, "family_name"));

  pk_gui_fixture_teardown (&f);
}

static void
test_line_taken (void)
{
  PkGuiFixture f = { 0 };
  g_autofree char *serial = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  PkTranscribePage *page;
  PkTranscribePage *other;
  GtkWidget *other_window;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  serial = pk_sheet_serial_format (f.petition, 43);

  /* A second volunteer opened the same sheet before the first saved. */
  other_window = gtk_window_new ();
  other = PK_TRANSCRIBE_PAGE (pk_transcribe_page_new (f.store));
  pk_transcribe_page_set_petition (other, f.petition);
  pk_transcribe_page_set_language (other, "ko");
  gtk_window_set_child (GTK_WINDOW (other_window), GTK_WIDGET (other));
  gtk_window_present (GTK_WINDOW (other_window));
  g_assert_true (pk_transcribe_page_open_sheet (other, "43"));

  g_assert_true (pk_transcribe_page_open_sheet (page, "43"));
  gtk_window_present (GTK_WINDOW (f.window));
  pk_gui_settle ();
  type_line (&f, page, 1, "Müller", "Jürgen", "10117", "juergen.mueller@example.de", TRUE);
  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 1);

  /* The same line again: refused, and the earlier entry shown. */
  gtk_editable_set_text (GTK_EDITABLE (pk_transcribe_page_get_cell (other, 1, "family_name")), "Schmidt");
  gtk_editable_set_text (GTK_EDITABLE (pk_transcribe_page_get_cell (other, 1, "given_name")), "Anna");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (pk_transcribe_page_get_cell (other, 1, "signed")), TRUE);
  pk_transcribe_page_save_line (other, 1);

  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (pk_transcribe_page_get_cell (other, 1, "status"))),
                            "Müller"));
  lines = pk_store_paper_get_sheet (f.store, serial, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (((PkSignature *) lines->pdata[0])->fields[PK_FIELD_FAMILY_NAME], ==, "Müller");

  gtk_window_destroy (GTK_WINDOW (other_window));
  pk_gui_fixture_teardown (&f);
}

static void
test_count_only (void)
{
  PkGuiFixture f = { 0 };
  PkTranscribePage *page;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  id = pk_petition_get_id (f.petition);
  pk_window_set_language (f.window, "en");

  /* A transcribed sheet first. */
  g_assert_true (pk_transcribe_page_open_sheet (page, "42"));
  type_line (&f, page, 1, "Kim", "Lee", "", "", TRUE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  pk_transcribe_page_set_count_mode (page, TRUE);
  g_assert_true (pk_transcribe_page_open_sheet (page, "44"));
  pk_transcribe_page_save_count (page, 7);
  g_assert_nonnull (strstr (pk_transcribe_page_get_status (page), "Sheet 44 holds 7 valid signatures"));
  g_assert_cmpuint (pk_store_paper_count_total (f.store, id), ==, 7);
  /* Kept apart from the signature rows. */
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  /* A correction replaces the count. */
  g_assert_true (pk_transcribe_page_open_sheet (page, "44"));
  pk_transcribe_page_save_count (page, 6);
  g_assert_cmpuint (pk_store_paper_count_total (f.store, id), ==, 6);

  /* Each sheet one way only. */
  g_assert_false (pk_transcribe_page_open_sheet (page, "42"));
  g_assert_nonnull (strstr (pk_transcribe_page_get_status (page), "transcribed"));
  pk_transcribe_page_set_count_mode (page, FALSE);
  g_assert_false (pk_transcribe_page_open_sheet (page, "44"));
  g_assert_nonnull (strstr (pk_transcribe_page_get_status (page), "count"));

  /* Nonsense and another petition's serial. */
  g_assert_false (pk_transcribe_page_open_sheet (page, "hello"));
  g_assert_false (pk_transcribe_page_open_sheet (page, "PK-000000-000001"));
  g_assert_nonnull (strstr (pk_transcribe_page_get_status (page), "another petition"));

  pk_gui_fixture_teardown (&f);
}

/* "Print sheets…" through GtkPrintOperation, exported to PDF: the pages
 * scan, and the next print run continues the numbering. */
static void
test_print (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");
  g_autofree char *pdf = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *next = NULL;
  PkTranscribePage *page;

  if (zbarimg == NULL || pdftoppm == NULL)
    {
      pk_test_skip ("zbarimg (zbar-tools) or pdftoppm (poppler-utils) is not installed");
      return;
    }

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  pdf = g_build_filename (f.dir, "printed.pdf", NULL);
  prefix = g_build_filename (f.dir, "printed", NULL);
  png = g_strconcat (prefix, ".png", NULL);

  g_assert_cmpint (pk_transcribe_page_print_sheets (page, GTK_PRINT_OPERATION_ACTION_EXPORT, pdf),
                   ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  pk_gui_settle ();

  /* The default run: 10 sheets from number 1; look at the last page. */
  {
    const char *argv[] = { "pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "10", "-l", "10",
                           pdf, prefix, NULL };
    const char *zbar[] = { "zbarimg", "--quiet", "--raw", png, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_spawn_sync (NULL, (char **) zbar, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, &out, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  serial = pk_sheet_serial_format (f.petition, 10);
  g_assert_nonnull (strstr (out, serial));
  g_assert_nonnull (strstr (out, pk_petition_get_url (f.petition)));

  next = pk_store_get_setting (f.store, "paper-next-sheet");
  g_assert_cmpstr (next, ==, "11");

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Paper/Qr/on-screen", test_qr_on_screen);
  g_test_add_func ("/Pk/Paper/Transcribe/lines", test_transcribe_lines);
  g_test_add_func ("/Pk/Paper/Transcribe/line-taken", test_line_taken);
  g_test_add_func ("/Pk/Paper/Transcribe/count-only", test_count_only);
  g_test_add_func ("/Pk/Paper/Transcribe/print", test_print);

  return g_test_run ();
}
