/* test-language.c: labels know the language they are written in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk_language_tag_labels() tells Pango which language a label is in, so
 * that Korean is set in a Korean font and, like Korean print, breaks
 * lines between words and never inside one. These tests lay real
 * GtkLabels out at a narrow width and read where the lines break.
 */
#include "config.h"

#include <adwaita.h>

#include "pk-about.h"
#include "pk-gui-test.h"
#include "pk-language.h"
#include "pk-welcome-page.h"

/* Two lines' worth of the demo petition's Korean summary. */
#define KOREAN_TEXT "누구도 평화적으로 의견을 밝히거나 양심에 따랐다는 이유로, " \
                    "또는 노동조합 활동을 했다는 이유로 갇혀서는 안 됩니다."

static GtkWidget *
new_wrapping_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return g_object_ref_sink (label);
}

/* How many lines of @label, laid out @width pixels wide, start inside a
 * word (not at the text's start or after a space); *n_lines gets the
 * number of lines. */
static guint
count_breaks_inside_words (GtkWidget *label,
                           int        width,
                           guint     *n_lines)
{
  g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (label)));
  const char *text = pango_layout_get_text (layout);
  guint inside = 0;

  pango_layout_set_width (layout, width * PANGO_SCALE);
  *n_lines = pango_layout_get_line_count (layout);
  for (guint i = 1; i < *n_lines; i++)
    {
      int start = pango_layout_get_line_readonly (layout, i)->start_index;
      gunichar before = g_utf8_get_char (g_utf8_prev_char (text + start));

      if (!g_unichar_isspace (before))
        inside++;
    }
  return inside;
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
  return attr ? pango_language_to_string (((PangoAttrLanguage *) attr)->value) : NULL;
}

static void
test_korean_breaks_between_words (void)
{
  g_autoptr(GtkWidget) label = new_wrapping_label (KOREAN_TEXT);
  guint lines_before = 0, lines_after = 0, inside = 0;
  guint widths_breaking_words = 0;

  /* Untagged, Unicode lets a line break between any two syllables, and
   * at some of these widths it does. */
  for (int width = 150; width <= 450; width += 15)
    if (count_breaks_inside_words (label, width, &lines_before) > 0)
      widths_breaking_words++;
  g_assert_cmpuint (widths_breaking_words, >, 0);

  pk_language_tag_labels (label, "ko");
  g_assert_cmpstr (label_language (label), ==, "ko");
  for (int width = 150; width <= 450; width += 15)
    {
      inside = count_breaks_inside_words (label, width, &lines_after);
      g_assert_cmpuint (lines_after, >, 1);
      g_assert_cmpuint (inside, ==, 0);
    }

  /* New text is marked too: the label keeps its language. */
  gtk_label_set_label (GTK_LABEL (label), "우리는 대한민국 정부에 모든 양심수를 석방할 것을 촉구합니다.");
  for (int width = 100; width <= 400; width += 20)
    {
      inside = count_breaks_inside_words (label, width, &lines_after);
      g_assert_cmpuint (inside, ==, 0);
    }
}

static void
test_overlong_korean_word_still_wraps (void)
{
  /* One "word" far wider than the line must still be broken rather
   * than run off the screen. */
  g_autoptr(GtkWidget) label = new_wrapping_label ("가나다라마바사아자차카타파하가나다라마바사아자차카타파하");
  g_autoptr(PangoLayout) layout = NULL;

  pk_language_tag_labels (label, "ko");
  layout = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (label)));
  pango_layout_set_width (layout, 80 * PANGO_SCALE);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 2);
}

static void
test_other_attributes_kept (void)
{
  g_autoptr(GtkWidget) label = new_wrapping_label ("https://example.org/petitions/prisoners-of-conscience");
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  g_autoptr(PangoAttrIterator) iter = NULL;

  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);

  pk_language_tag_labels (label, "ko");
  pk_language_tag_labels (label, "de");

  g_assert_cmpstr (label_language (label), ==, "de");
  iter = pango_attr_list_get_iterator (gtk_label_get_attributes (GTK_LABEL (label)));
  g_assert_nonnull (pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS));
}

static void
test_welcome_page_languages (void)
{
  PkGuiFixture f = { 0 };
  PkWelcomePage *welcome;
  GtkWidget *title;
  const char *langs[] = { "ko", "de", "en" };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  welcome = _pk_window_get_welcome_page (f.window);
  title = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), PK_TYPE_WELCOME_PAGE, "title_label"));

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      GtkWidget *ko = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), PK_TYPE_WELCOME_PAGE, "ko_button"));
      GtkWidget *de = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), PK_TYPE_WELCOME_PAGE, "de_button"));

      pk_window_set_language (f.window, langs[i]);
      g_assert_cmpstr (label_language (title), ==, langs[i]);
      /* Each language button stays in its own language. */
      g_assert_cmpstr (label_language (gtk_button_get_child (GTK_BUTTON (ko))), ==, "ko");
      g_assert_cmpstr (label_language (gtk_button_get_child (GTK_BUTTON (de))), ==, "de");
    }

  pk_gui_fixture_teardown (&f);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The About window names its authors in the reader's language too. */
static void
test_about_in_korean (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *about = NULL;

  pk_language_apply ("ko");
  pk_show_about (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = window;
    }
  g_assert_nonnull (about);
  g_assert_true (has_label (about, "Petition Kiosk 기여자"));
  g_assert_false (has_label (about, "Petition Kiosk contributors"));

  gtk_window_destroy (GTK_WINDOW (about));
  pk_gui_settle ();
  pk_language_apply ("en");
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Language/korean-breaks-between-words", test_korean_breaks_between_words);
  g_test_add_func ("/Pk/Language/overlong-korean-word-still-wraps", test_overlong_korean_word_still_wraps);
  g_test_add_func ("/Pk/Language/other-attributes-kept", test_other_attributes_kept);
  g_test_add_func ("/Pk/Language/welcome-page-languages", test_welcome_page_languages);
  g_test_add_func ("/Pk/Language/about-in-korean", test_about_in_korean);

  return g_test_run ();
}
