/* test-paper-page.c: the admin's Paper page, driven in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-paper-page"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "pk-test-skip.h"
#include "pk-gui-test.h"
#include "pk-gui-input.h"
#include "pk-sheet-line.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-paper-page-private.h"
#include "pk-admin-page-private.h"

static PkPaperPage *
find_page (GtkWidget *widget)
{
  if (PK_IS_PAPER_PAGE (widget))
    return PK_PAPER_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PkPaperPage *page = find_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

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

/* The first label under @widget whose text holds @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}


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
cell (PkPaperPage *page,
      guint             line,
      const char       *column)
{
  GtkWidget *widget = _pk_paper_page_get_cell (page, line, column);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
line_status (PkPaperPage *page,
             guint             line)
{
  return gtk_label_get_text (GTK_LABEL (cell (page, line, "status")));
}

/* Types a line as a volunteer does: each field then Enter, Space on
 * "signed" when it is, Enter on to "keep informed", Enter to save. */
static void
type_line (PkGuiFixture     *f,
           PkPaperPage *page,
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
  /* Space ticks, Enter moves on, Enter on the last box saves. */
  if (is_signed)
    send_key (GTK_WINDOW (f->window), XK_space);
  g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (cell (page, line, "signed"))), ==, is_signed);
  send_key (GTK_WINDOW (f->window), XK_Return);
  assert_focus (cell (page, line, "opt_in"));
  send_key (GTK_WINDOW (f->window), XK_Return);
}

/* Enter through a line's last cells after a correction. */
static void
finish_line (PkGuiFixture     *f,
             PkPaperPage *page,
             guint             line)
{
  gtk_widget_grab_focus (cell (page, line, "opt_in"));
  send_key (GTK_WINDOW (f->window), XK_Return);
}

static PkPaperPage *
open_paper_page (PkGuiFixture *f)
{
  PkPaperPage *page;

  g_object_set (_pk_window_get_idle_guard (f->window), "idle-timeout", 3600, NULL);
  pk_window_set_language (f->window, "ko");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.admin", NULL);
  pk_gui_enter_pin (_pk_window_get_pin_page (f->window), PK_TEST_PIN, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "admin");
  _pk_admin_page_set_visible_page (pk_window_get_admin_page (f->window), "paper");
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
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3600, NULL);
  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "welcome");
  g_assert_true (decodes_url (&f));

  pk_window_set_language (f.window, "ko");
  g_assert_true (decodes_url (&f));

  /* The smaller code for friends on the thank-you screen reads too. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (_pk_window_get_form_page (f.window), "지우", "김", "jiwoo.kim@example.org");
  pk_gui_press_submit (_pk_window_get_form_page (f.window));
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
  PkPaperPage *page;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  id = pk_petition_get_id (f.petition);
  serial = pk_sheet_serial_format (f.petition, 42);

  /* A scanner types the serial (any case) and Enter. */
  typed = g_ascii_strdown (serial, -1);
  g_assert_true (_pk_paper_page_open_sheet (page, typed));

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
  _pk_paper_page_save_line (page, 2);
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

  /* Opened again, the sheet shows the lines entered and refuses them. */
  g_assert_true (_pk_paper_page_open_sheet (page, serial));
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "family_name")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell (page, 1, "family_name"))), ==, "홍");
  /* Korean writes the name family first, without a space. */
  g_assert_nonnull (strstr (line_status (page, 1), "홍길동"));
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
  PkPaperPage *page;
  PkPaperPage *other;
  GtkWidget *other_window;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  serial = pk_sheet_serial_format (f.petition, 43);

  /* A second volunteer opened the same sheet before the first saved. */
  other_window = gtk_window_new ();
  other = PK_PAPER_PAGE (pk_paper_page_new (f.store));
  pk_paper_page_set_petition (other, f.petition);
  pk_paper_page_set_language (other, "ko");
  gtk_window_set_child (GTK_WINDOW (other_window), GTK_WIDGET (other));
  gtk_window_present (GTK_WINDOW (other_window));
  g_assert_true (_pk_paper_page_open_sheet (other, "43"));

  g_assert_true (_pk_paper_page_open_sheet (page, "43"));
  gtk_window_present (GTK_WINDOW (f.window));
  pk_gui_settle ();
  type_line (&f, page, 1, "Müller", "Jürgen", "10117", "juergen.mueller@example.de", TRUE);
  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 1);

  /* The same line again: refused, and the earlier entry shown. */
  gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (other, 1, "family_name")), "Schmidt");
  gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (other, 1, "given_name")), "Anna");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (_pk_paper_page_get_cell (other, 1, "signed")), TRUE);
  _pk_paper_page_save_line (other, 1);

  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (_pk_paper_page_get_cell (other, 1, "status"))),
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
  PkPaperPage *page;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  id = pk_petition_get_id (f.petition);
  pk_window_set_language (f.window, "de");
  /* Nothing counted yet: no "Aus 0 abgegebenen Papierbögen …", a note
   * that says nothing (issue 13, item 16). */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page->totals_row)), ==, "");
  pk_window_set_language (f.window, "en");

  /* A transcribed sheet first. */
  g_assert_true (_pk_paper_page_open_sheet (page, "42"));
  type_line (&f, page, 1, "Kim", "Lee", "", "", TRUE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  _pk_paper_page_set_count_mode (page, TRUE);
  g_assert_true (_pk_paper_page_open_sheet (page, "44"));
  _pk_paper_page_save_count (page, 7);
  g_assert_nonnull (strstr (_pk_paper_page_get_status (page), "Sheet 44 holds 7 valid signatures"));
  g_assert_cmpuint (pk_store_paper_count_total (f.store, id), ==, 7);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page->totals_row)), ==,
                   "From 1 sheet handed in as paper; kept apart from the signatures in the database.");
  /* Kept apart from the signature rows. */
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  /* A correction replaces the count. */
  g_assert_true (_pk_paper_page_open_sheet (page, "44"));
  _pk_paper_page_save_count (page, 6);
  g_assert_cmpuint (pk_store_paper_count_total (f.store, id), ==, 6);

  /* Each sheet one way only. */
  g_assert_false (_pk_paper_page_open_sheet (page, "42"));
  g_assert_nonnull (strstr (_pk_paper_page_get_status (page), "transcribed"));
  _pk_paper_page_set_count_mode (page, FALSE);
  g_assert_false (_pk_paper_page_open_sheet (page, "44"));
  g_assert_nonnull (strstr (_pk_paper_page_get_status (page), "count"));

  /* Nonsense and another petition's serial. */
  g_assert_false (_pk_paper_page_open_sheet (page, "hello"));
  g_assert_false (_pk_paper_page_open_sheet (page, "PK-000000-000001"));
  g_assert_nonnull (strstr (_pk_paper_page_get_status (page), "another petition"));

  pk_gui_fixture_teardown (&f);
}

static GtkWidget *
serial_entry (PkPaperPage *page)
{
  return pk_gui_find_type (GTK_WIDGET (page), GTK_TYPE_ENTRY);
}

/* Ctrl+L to the serial entry, @text typed over what it holds and
 * Enter, as a volunteer does. */
static void
key_serial (PkGuiFixture *f,
            PkPaperPage  *page,
            const char   *text)
{
  GtkWindow *window = GTK_WINDOW (f->window);

  pk_gui_key (window, XK_l, GDK_CONTROL_MASK);
  assert_focus (serial_entry (page));
  pk_gui_type (window, text);
  pk_gui_key (window, XK_Return, 0);
}

/* Types a line of a Korean sheet (family name, given name, postal code,
 * email), Enter after each; Space ticks Signed when @sign; Enter moves
 * to "keep informed", and a last Enter saves when @save. */
static void
key_line (PkGuiFixture *f,
          PkPaperPage  *page,
          guint         line,
          const char   *family,
          const char   *given,
          const char   *postal,
          const char   *email,
          gboolean      sign,
          gboolean      save)
{
  GtkWindow *window = GTK_WINDOW (f->window);
  const char *values[] = { family, given, postal, email };

  assert_focus (cell (page, line, "family_name"));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      pk_gui_type (window, values[i]);
      pk_gui_key (window, XK_Return, 0);
    }
  assert_focus (cell (page, line, "signed"));
  if (sign)
    pk_gui_key (window, XK_space, 0);
  pk_gui_key (window, XK_Return, 0);
  assert_focus (cell (page, line, "opt_in"));
  if (save)
    pk_gui_key (window, XK_Return, 0);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The question about unsaved lines, the only other window. */
static GtkWindow *
the_question (PkGuiFixture *f)
{
  GList *others = pk_gui_other_windows (GTK_WINDOW (f->window));
  GtkWindow *dialog;

  g_assert_cmpuint (g_list_length (others), ==, 1);
  dialog = others->data;
  g_list_free (others);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  return dialog;
}

/* Switching sheets never drops what was typed: a signed line is saved,
 * an unsigned one is asked about. The serial's example is this
 * petition's own. */
static void
test_switch_keeps_lines (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) saved = NULL;
  g_autofree char *serial42 = NULL;
  g_autofree char *serial43 = NULL;
  g_autofree char *serial44 = NULL;
  g_autofree char *example = NULL;
  PkPaperPage *page;
  GtkWindow *dialog;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  pk_window_set_language (f.window, "en");
  id = pk_petition_get_id (f.petition);
  serial42 = pk_sheet_serial_format (f.petition, 42);
  serial43 = pk_sheet_serial_format (f.petition, 43);
  serial44 = pk_sheet_serial_format (f.petition, 44);

  /* "PK-" and this petition's six hex digits, not a made-up prefix. */
  example = g_strdup_printf ("PK-%.6s-000042", serial42 + 3);
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (serial_entry (page))), ==, example);
  g_assert_cmpstr (example, !=, "PK-000000-000042");

  key_serial (&f, page, "42");
  key_line (&f, page, 1, "Kim", "Minji", "03142", "minji@example.org", TRUE, FALSE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 0);

  /* The next sheet: the typed, signed line is saved on the way. */
  key_serial (&f, page, "43");
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (serial_entry (page))), ==, serial43);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  saved = pk_store_find_paper_line (f.store, serial42, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->fields[PK_FIELD_EMAIL], ==, "minji@example.org");

  /* Typed but not ticked as signed: asked, and Enter goes back. */
  key_line (&f, page, 1, "Park", "Jisu", "", "", FALSE, FALSE);
  key_serial (&f, page, "44");
  dialog = the_question (&f);
  pk_gui_key (dialog, XK_Return, 0);
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (serial_entry (page))), ==, serial43);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell (page, 1, "family_name"))), ==, "Park");
  assert_focus (cell (page, 1, "family_name"));

  /* Asked again, "Discard" leaves the line behind on purpose. */
  key_serial (&f, page, "44");
  dialog = the_question (&f);
  pk_gui_click (find_button (GTK_WIDGET (dialog), "_Discard Lines"));
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (serial_entry (page))), ==, serial44);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  pk_gui_fixture_teardown (&f);
}

/* Another petition from the demo one, under its own Id. */
static PkPetition *
other_petition (PkGuiFixture *f)
{
  g_autofree char *demo = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                            "prisoners-of-conscience.petition", NULL);
  g_autofree char *path = g_build_filename (f->dir, "clean-air.petition", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) other = NULL;
  g_autoptr(GError) error = NULL;
  PkPetition *petition;

  g_file_get_contents (demo, &text, NULL, &error);
  g_assert_no_error (error);
  other = g_string_new (text);
  g_assert_cmpuint (g_string_replace (other, "Id=prisoners-of-conscience", "Id=clean-air", 1), ==, 1);
  g_file_set_contents (path, other->str, -1, &error);
  g_assert_no_error (error);
  petition = pk_petition_new_from_file (path, &error);
  g_assert_no_error (error);
  return petition;
}

/* Admin choosing another petition while the open sheet has a typed
 * line that cannot be saved: asked as for another sheet (issue 13,
 * item 11). "Back to the Sheet" keeps the line and the sheet's
 * petition until the sheet is left; "Discard Lines" switches. */
static void
test_petition_change_asks (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(PkPetition) other = NULL;
  g_autofree char *serial42 = NULL;
  PkPaperPage *page;
  GtkWindow *dialog;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  pk_window_set_language (f.window, "en");
  id = pk_petition_get_id (f.petition);
  serial42 = pk_sheet_serial_format (f.petition, 42);
  other = other_petition (&f);

  /* A signed line is saved on the way, under the sheet's petition. */
  key_serial (&f, page, "42");
  key_line (&f, page, 1, "Kim", "Minji", "03142", "minji@example.org", TRUE, FALSE);
  pk_window_set_petition (f.window, other);
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  g_assert_true (page->petition == other);
  pk_window_set_petition (f.window, f.petition);

  /* A line typed but not signed: asked, and Enter goes back to it.
   * The switch took the focused line away: a click into the page. */
  pk_gui_click (serial_entry (page));
  key_serial (&f, page, "42");
  key_line (&f, page, 2, "Park", "Jisu", "", "", FALSE, FALSE);
  pk_window_set_petition (f.window, other);
  dialog = the_question (&f);
  pk_gui_key (dialog, XK_Return, 0);
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_true (page->petition == f.petition);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (serial_entry (page))), ==, serial42);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell (page, 2, "family_name"))), ==, "Park");
  assert_focus (cell (page, 2, "family_name"));
  g_assert_nonnull (strstr (_pk_paper_page_get_status (page), "previous petition"));

  /* Leaving the sheet asks again; "Discard" takes the new petition. */
  key_serial (&f, page, "43");
  dialog = the_question (&f);
  pk_gui_click (find_button (GTK_WIDGET (dialog), "_Discard Lines"));
  g_assert_null (pk_gui_other_windows (GTK_WINDOW (f.window)));
  g_assert_true (page->petition == other);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  g_assert_cmpuint (pk_store_count (f.store, "clean-air"), ==, 0);

  pk_gui_fixture_teardown (&f);
}

/* A saved line corrected and then struck out, with the store keeping
 * the fact and counting only the live line; an unsigned line marked. */
static void
test_correct_and_strike (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) corrected = NULL;
  g_autoptr(PkSignature) gone = NULL;
  g_autofree char *serial = NULL;
  GtkWindow *window;
  GtkWidget *line2;
  PkPaperPage *page;
  gboolean was_corrected = FALSE;
  gint64 struck_at = 0;
  const char *id;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  window = GTK_WINDOW (f.window);
  pk_window_set_language (f.window, "en");
  id = pk_petition_get_id (f.petition);
  serial = pk_sheet_serial_format (f.petition, 45);

  key_serial (&f, page, "45");
  key_line (&f, page, 1, "Kim", "Minji", "03142", "minji@example.org", TRUE, TRUE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);

  /* Not signed: saved as nothing, and marked so at a glance. */
  key_line (&f, page, 2, "Lee", "Jun", "", "", FALSE, TRUE);
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  line2 = gtk_widget_get_ancestor (cell (page, 2, "family_name"), PK_TYPE_SHEET_LINE);
  g_assert_cmpint (pk_sheet_line_get_state (PK_SHEET_LINE (line2)), ==, PK_SHEET_LINE_NOT_COUNTED);
  g_assert_true (gtk_widget_has_css_class (line2, "pk-not-counted"));
  g_assert_cmpstr (line_status (page, 2), ==, "Not signed, so not counted.");
  g_assert_true (gtk_widget_has_css_class (cell (page, 2, "status"), "warning"));

  /* Correct: the line opens again; a new email, Enter to the end. */
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "email")));
  pk_gui_click (cell (page, 1, "correct"));
  assert_focus (cell (page, 1, "family_name"));
  for (guint i = 0; i < 3; i++)
    pk_gui_key (window, XK_Return, 0);
  assert_focus (cell (page, 1, "email"));
  pk_gui_key (window, XK_a, GDK_CONTROL_MASK);
  pk_gui_type (window, "minji.kim@example.org");
  for (guint i = 0; i < 3; i++)
    pk_gui_key (window, XK_Return, 0);

  g_assert_cmpuint (pk_store_count (f.store, id), ==, 1);
  corrected = pk_store_find_paper_line (f.store, serial, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (corrected->fields[PK_FIELD_EMAIL], ==, "minji.kim@example.org");
  g_assert_true (pk_store_paper_get_strike (f.store, serial, 1, &struck_at, &was_corrected, &error));
  g_assert_true (was_corrected);
  g_assert_cmpint (struck_at, >, 0);
  g_assert_nonnull (strstr (line_status (page, 1), "Corrected"));
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "email")));

  /* Strike out: no longer counted, the fact kept. */
  pk_gui_click (cell (page, 1, "strike"));
  g_assert_cmpuint (pk_store_count (f.store, id), ==, 0);
  gone = pk_store_find_paper_line (f.store, serial, 1, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  g_assert_true (pk_store_paper_get_strike (f.store, serial, 1, NULL, &was_corrected, &error));
  g_assert_false (was_corrected);
  g_assert_nonnull (strstr (line_status (page, 1), "Struck out"));

  /* Opened again, the line shows struck, not as free to enter. */
  key_serial (&f, page, "45");
  g_assert_nonnull (strstr (line_status (page, 1), "Struck out"));
  g_assert_false (gtk_widget_get_sensitive (cell (page, 1, "family_name")));
  assert_focus (cell (page, 2, "family_name"));

  /* A language switch says the lines' states again, in German. */
  pk_window_set_language (f.window, "de");
  g_assert_nonnull (strstr (line_status (page, 1), "gestrichen"));

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
  PkPaperPage *page;

  if (zbarimg == NULL || pdftoppm == NULL)
    {
      pk_test_skip ("zbarimg (zbar-tools) or pdftoppm (poppler-utils) is not installed");
      return;
    }

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  page = open_paper_page (&f);
  pk_window_set_language (f.window, "en");
  pdf = g_build_filename (f.dir, "printed.pdf", NULL);
  prefix = g_build_filename (f.dir, "printed", NULL);
  png = g_strconcat (prefix, ".png", NULL);

  g_assert_cmpint (_pk_paper_page_print_sheets (page, GTK_PRINT_OPERATION_ACTION_EXPORT, pdf),
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

  /* A toast says where the sheets were saved: not "sent to the printer". */
  {
    g_autofree char *display = g_filename_display_name (pdf);
    g_autofree char *expected = g_strdup_printf ("1 to 10 saved to %s", display);

    g_assert_nonnull (find_label (GTK_WIDGET (page), expected));
    g_assert_null (find_label (GTK_WIDGET (page), "printer"));
  }

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Paper/Qr/on-screen", test_qr_on_screen);
  g_test_add_func ("/Pk/Paper/Page/lines", test_transcribe_lines);
  g_test_add_func ("/Pk/Paper/Page/line-taken", test_line_taken);
  g_test_add_func ("/Pk/Paper/Page/count-only", test_count_only);
  g_test_add_func ("/Pk/Paper/Page/switch-keeps-lines", test_switch_keeps_lines);
  g_test_add_func ("/Pk/Paper/Page/petition-change-asks", test_petition_change_asks);
  g_test_add_func ("/Pk/Paper/Page/correct-and-strike", test_correct_and_strike);
  g_test_add_func ("/Pk/Paper/Page/print", test_print);

  return g_test_run ();
}
