/* test-form-bar.c: the form's fixed bottom bar leaves a small screen to
 * the fields, and the consent texts are a tap away (issue 13, item 2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On the smallest screen the kiosk supports, 1024×600, in Korean,
 * English and German: the bar with the consents and Submit takes well
 * under half of the window, and "Read the consent text", pressed with
 * the real pointer, shows the organizer's texts in full and hides them
 * again.
 */
#define G_LOG_DOMAIN "test-form-bar"

#include "config.h"

#include "pk-gui-input.h"
#include "pk-gui-test.h"

/* The label under @root showing @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
ancestor_with_class (GtkWidget  *widget,
                     const char *css_class)
{
  while (widget != NULL && !gtk_widget_has_css_class (widget, css_class))
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);
  return widget;
}

static gboolean
slide_finished (gpointer data)
{
  GtkRevealer *revealer = data;

  return gtk_revealer_get_child_revealed (revealer) == gtk_revealer_get_reveal_child (revealer);
}

/* Waits until @revealer's slide is over and the result drawn. */
static void
wait_for_slide (GtkWidget *revealer)
{
  g_assert_true (pk_gui_wait (slide_finished, revealer, 10));
  pk_gui_settle ();
}

static void
run_in (gconstpointer data)
{
  const char *lang = data;
  PkGuiFixture f = { 0 };
  GtkWidget *bar, *fields, *toggle, *full_text, *revealer;
  PkFormPage *form;
  const char *consent;
  int window_height;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  pk_gui_resize (GTK_WINDOW (f.window), 1024, 600);
  form = pk_gui_open_form (&f, lang);

  bar = ancestor_with_class (GTK_WIDGET (_pk_form_page_get_consent (form)), "form-bar");
  fields = gtk_widget_get_ancestor (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)),
                                    GTK_TYPE_SCROLLED_WINDOW);
  window_height = gtk_widget_get_height (GTK_WIDGET (f.window));
  g_test_message ("%s: the bar takes %d of %d pixels, the fields %d", lang,
                  gtk_widget_get_height (bar), window_height, gtk_widget_get_height (fields));
  /* Before the bar was made compact it took three quarters in German. */
  g_assert_cmpint (gtk_widget_get_height (bar), <=, window_height * 45 / 100);
  g_assert_cmpint (gtk_widget_get_height (fields), >=, window_height / 2);

  consent = pk_petition_get_consent_text (f.petition, lang);
  full_text = find_label (bar, consent);
  g_assert_nonnull (full_text);
  g_assert_false (gtk_widget_get_mapped (full_text));
  revealer = gtk_widget_get_ancestor (full_text, GTK_TYPE_REVEALER);
  g_assert_nonnull (revealer);

  toggle = pk_gui_find_type (bar, GTK_TYPE_TOGGLE_BUTTON);
  pk_gui_click (toggle);
  wait_for_slide (revealer);
  g_assert_true (gtk_widget_get_mapped (full_text));
  g_assert_cmpint (gtk_widget_get_height (full_text), >, 0);

  pk_gui_click (toggle);
  wait_for_slide (revealer);
  g_assert_false (gtk_widget_get_mapped (full_text));

  /* The next signer finds them folded again. */
  pk_gui_click (toggle);
  wait_for_slide (revealer);
  g_assert_true (gtk_widget_get_mapped (full_text));
  pk_form_page_reset (form);
  wait_for_slide (revealer);
  g_assert_false (gtk_widget_get_mapped (full_text));

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_data_func ("/Pk/FormBar/ko", "ko", run_in);
  g_test_add_data_func ("/Pk/FormBar/en", "en", run_in);
  g_test_add_data_func ("/Pk/FormBar/de", "de", run_in);

  return g_test_run ();
}
