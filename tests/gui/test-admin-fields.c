/* test-admin-fields.c: admin's errors at the field they concern, and the
 * Batches page's folder and wipe question, with real keys and clicks
 * (issue 13, items 10 and 12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTest makes every GTK warning fatal here, so a warning logged while a
 * key is pressed fails the test that pressed it.
 */
#define G_LOG_DOMAIN "test-admin-fields"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-batch.h"
#include "pk-field-error-row.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"

static GtkWindow *
win (PkGuiFixture *f)
{
  return GTK_WINDOW (f->window);
}

/* Into admin by the keyboard shortcut and the PIN. */
static PkAdminPage *
unlock (PkGuiFixture *f)
{
  pk_gui_key (win (f), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "pin");
  pk_gui_type (win (f), PK_TEST_PIN);
  pk_gui_key (win (f), XK_Return, 0);
  g_assert_cmpstr (pk_window_get_visible_page (f->window), ==, "admin");
  return pk_window_get_admin_page (f->window);
}

static gboolean
has_text (GtkWidget  *widget,
          const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_text (child, text))
      return TRUE;
  return FALSE;
}

/* The first widget of @type under @root showing @text in a label. */
static GtkWidget *
find_showing (GtkWidget  *root,
              GType       type,
              const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && has_text (root, text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_showing (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
show_admin_page (PkAdminPage *admin,
                 const char  *title)
{
  GtkWidget *switcher = pk_gui_find_type (GTK_WIDGET (admin), ADW_TYPE_VIEW_SWITCHER);

  pk_gui_click (find_showing (switcher, GTK_TYPE_TOGGLE_BUTTON, title));
}

/* The row titled @title under @root. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The error row right beneath @field in its list. */
static GtkWidget *
error_row_under (GtkWidget *field)
{
  GtkWidget *next = gtk_widget_get_next_sibling (field);

  g_assert_true (PK_IS_FIELD_ERROR_ROW (next));
  return next;
}

/* The message beneath @field is on screen, and @field is invalid for
 * screen readers (and red, when it is typed into). */
static gboolean
shows_error (GtkWidget *field)
{
  GtkWidget *row = error_row_under (field);
  gboolean marked = !GTK_IS_EDITABLE (field) || gtk_widget_has_css_class (field, "error");

  return gtk_widget_get_visible (row) && gtk_widget_get_mapped (row) && marked &&
         gtk_test_accessible_has_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID) &&
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;  /* GTK keeps a reference to every toplevel */
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

/* Presses the button of @action with the keyboard, as a person tabbing
 * to it would. (A pointer click works as well, but under Xvfb, with no
 * window manager, GTK 4.8 then warns "Broken accounting of active
 * state" when a dialog appears while the button is still held.) */
static void
press (PkGuiFixture *f,
       GtkWidget    *root,
       const char   *action)
{
  GtkWidget *button = pk_gui_find_action (root, action);

  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_grab_focus (button);
  pk_gui_key (win (f), XK_space, 0);
}

/* Goes to @folder in the open file chooser, as a person types it. */
static GtkWindow *
chooser_go_to (const char *folder)
{
  g_autofree char *with_slash = g_strconcat (folder, "/", NULL);
  GtkWindow *chooser;

  g_assert_true (pk_gui_wait (chooser_shown, NULL, 30));
  chooser = find_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  pk_gui_key (chooser, XK_l, GDK_CONTROL_MASK);
  pk_gui_type (chooser, with_slash);
  pk_gui_key (chooser, XK_Return, 0);
  return chooser;
}

/* Chooses @path with the admin page's "Choose…" button. */
static void
choose_petition (PkGuiFixture *f,
                 PkAdminPage  *admin,
                 const char   *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  GtkWindow *chooser;
  GtkWidget *open_button;

  press (f, GTK_WIDGET (admin), "admin.choose-petition");
  chooser = chooser_go_to (folder);
  pk_gui_key (chooser, XK_l, GDK_CONTROL_MASK);
  pk_gui_type (chooser, path);
  open_button = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (pk_gui_wait (is_sensitive, open_button, 30));
  pk_gui_key (chooser, XK_Return, 0);
  g_assert_true (pk_gui_wait (chooser_gone, NULL, 30));
}

/* A file that is no petition is refused under the petition row, not in
 * a dialog over it; a usable file takes the error away. */
static void
test_petition_error_at_row (void)
{
  PkGuiFixture f = { 0 };
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PkAdminPage *admin;
  GtkWidget *petition_row;
  gsize length;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  bad = g_build_filename (f.dir, "leaflet.petition", NULL);
  g_assert_true (g_file_set_contents (bad, "Bring a pen.\n", -1, &error));
  demo = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo", "prisoners-of-conscience.petition",
                           NULL);
  g_assert_true (g_file_get_contents (demo, &contents, &length, &error));
  good = g_build_filename (f.dir, "vigil.petition", NULL);
  g_assert_true (g_file_set_contents (good, contents, (gssize) length, &error));

  admin = unlock (&f);
  petition_row = find_row (GTK_WIDGET (admin), _("Petition file"));
  g_assert_false (shows_error (petition_row));

  choose_petition (&f, admin, bad);
  g_assert_true (shows_error (petition_row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (error_row_under (petition_row))), ==,
                   _("This petition file cannot be used"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row_under (petition_row))), !=, "");
  /* No dialog hides the row it is about. */
  g_assert_null (find_window (ADW_TYPE_MESSAGE_DIALOG));

  choose_petition (&f, admin, good);
  g_assert_false (shows_error (petition_row));
  g_assert_false (gtk_widget_get_visible (error_row_under (petition_row)));

  pk_gui_fixture_teardown (&f);
}

/* An endpoint the kiosk will not send to is refused under its field,
 * and the error goes as soon as a usable URL is typed. */
static void
test_endpoint_error_at_row (void)
{
  PkGuiFixture f = { 0 };
  PkAdminPage *admin;
  GtkWidget *endpoint_row;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  admin = unlock (&f);
  show_admin_page (admin, _("Sync"));

  endpoint_row = find_row (GTK_WIDGET (admin), _("Endpoint URL"));
  pk_gui_click (endpoint_row);
  pk_gui_type (win (&f), "http://example.org/api/v1/petitions/1");
  g_assert_false (shows_error (endpoint_row));
  pk_gui_key (win (&f), XK_Return, 0);
  g_assert_true (shows_error (endpoint_row));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (error_row_under (endpoint_row))),
                            "example.org"));
  g_assert_null (find_window (ADW_TYPE_MESSAGE_DIALOG));

  /* Corrected in place: the error goes with the last key. */
  pk_gui_key (win (&f), XK_a, GDK_CONTROL_MASK);
  pk_gui_type (win (&f), "https://example.org/api/v1/petitions/1");
  g_assert_false (shows_error (endpoint_row));
  g_assert_false (gtk_widget_get_visible (error_row_under (endpoint_row)));

  pk_gui_fixture_teardown (&f);
}

static void
add_signature (PkGuiFixture *f,
               const char   *email)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;
  PkField field;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Ada");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Lovelace");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->signed_at = g_get_real_time ();
  g_assert_true (pk_store_add_signature (f->store, f->petition, sig, &field, &error));
  g_assert_no_error (error);
}

static guint
count_batch_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pkbatch"))
      n++;
  return n;
}

static gboolean
one_batch_file (gpointer data)
{
  return count_batch_files (data) == 1;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
message_dialog_gone (gpointer data)
{
  return find_window (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

static const char *
label_language (GtkWidget *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (GTK_LABEL (label));
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttribute *attr;

  if (attrs == NULL)
    return NULL;
  iter = pango_attr_list_get_iterator (attrs);
  attr = pango_attr_iterator_get (iter, PANGO_ATTR_LANGUAGE);
  return attr != NULL ? pango_language_to_string (((PangoAttrLanguage *) attr)->value) : NULL;
}

/* A Korean organizer closes a batch onto a USB stick: the next "Close
 * batch" opens the chooser on that stick again. The wipe question
 * breaks its Korean between words, and Escape closes it quietly. */
static void
test_batch_folder_and_wipe (void)
{
  PkGuiFixture f = { 0 };
  g_autofree char *usb = NULL;
  g_autoptr(GFile) usb_file = NULL;
  g_autoptr(GFile) current = NULL;
  g_autofree char *wipe_body = NULL;
  PkAdminPage *admin;
  GtkWindow *chooser;
  GtkWindow *dialog;
  GtkWidget *body;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  usb = g_build_filename (f.dir, "usb-stick", NULL);
  g_assert_cmpint (g_mkdir (usb, 0700), ==, 0);
  usb_file = g_file_new_for_path (usb);
  add_signature (&f, "ada@example.org");
  g_settings_set_string (f.settings, "default-language", "ko");

  admin = unlock (&f);
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "ko");
  show_admin_page (admin, _("Batches"));

  /* Choosing a folder, Enter on its typed name writes there. */
  press (&f, GTK_WIDGET (admin), "batches.close");
  chooser_go_to (usb);
  g_assert_true (pk_gui_wait (chooser_gone, NULL, 30));
  g_assert_true (pk_gui_wait (one_batch_file, usb, 30));

  /* Another signer, another batch: the chooser starts on the stick. */
  add_signature (&f, "grace@example.org");
  show_admin_page (admin, _("Kiosk"));
  show_admin_page (admin, _("Batches"));
  press (&f, GTK_WIDGET (admin), "batches.close");
  g_assert_true (pk_gui_wait (chooser_shown, NULL, 30));
  chooser = find_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  current = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (current);
  g_assert_true (g_file_equal (current, usb_file));
  pk_gui_key (chooser, XK_Escape, 0);
  g_assert_true (pk_gui_wait (chooser_gone, NULL, 30));

  /* The wipe question, in Korean, tagged so that it breaks between
   * words; Escape answers Cancel and logs nothing. */
  press (&f, GTK_WIDGET (admin), "batches.wipe");
  g_assert_true (pk_gui_wait (message_dialog_shown, NULL, 30));
  dialog = find_window (ADW_TYPE_MESSAGE_DIALOG);
  wipe_body = g_strdup (_("They are deleted from this kiosk for good. Only do this once the "
                          "coordinator has merged the batch files. Enter the admin PIN to confirm."));
  body = find_showing (GTK_WIDGET (dialog), GTK_TYPE_LABEL, wipe_body);
  g_assert_nonnull (body);
  g_assert_cmpstr (label_language (body), ==, "ko");
  pk_gui_key (dialog, XK_Escape, 0);
  g_assert_true (pk_gui_wait (message_dialog_gone, NULL, 30));
  /* Nothing was wiped. */
  g_assert_cmpint (pk_store_count_exported (f.store), ==, 1);

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process accessibility backend, whose states the tests
   * read; there is no accessibility bus under Xvfb. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/AdminFields/petition-error-at-row", test_petition_error_at_row);
  g_test_add_func ("/Pk/AdminFields/endpoint-error-at-row", test_endpoint_error_at_row);
  g_test_add_func ("/Pk/AdminFields/batch-folder-and-wipe", test_batch_folder_and_wipe);

  return g_test_run ();
}
