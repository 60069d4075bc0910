/* test-country-search.c: the signer finds their country by typing its
 * everyday name (issue 13, item 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real taps and keys: the country button is tapped, the name typed into
 * the list's search, the country chosen with Enter or the arrow keys, as
 * at the kiosk. What the list then shows, and what the form keeps, is
 * read back from the real widgets.
 */
#define G_LOG_DOMAIN "test-country-search"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

/* Whether @widget is drawn wholly inside its scrolled window. */
static gboolean
is_in_view (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return FALSE;
  return bounds.origin.y >= -0.5 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled) + 0.5;
}

/* Scrolls @widget into view with the wheel, as a person would, and
 * taps it. */
static void
tap (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  for (guint i = 0; i < 30 && !is_in_view (widget); i++)
    {
      g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
      pk_gui_scroll (scrolled, bounds.origin.y < 0 ? -1 : 1);
    }
  pk_gui_click (widget);
}

static GtkWidget *
chooser_of (PkFormPage *form)
{
  return GTK_WIDGET (_pk_form_page_get_country_chooser (form));
}

/* What the search last searched for, as its "search-changed" said:
 * the search runs a moment after the last key, not on each one. */
typedef struct {
  GtkEditable *search;
  char        *searched;
} SearchWatch;

static void
on_search_changed (GtkEditable *search,
                   SearchWatch *watch)
{
  g_free (watch->searched);
  watch->searched = g_strdup (gtk_editable_get_text (search));
}

static gboolean
searched_for_shown_text (gpointer data)
{
  SearchWatch *watch = data;

  return g_strcmp0 (watch->searched, gtk_editable_get_text (watch->search)) == 0;
}

/* Presses @n_keys of @keysym in the open list's search, or types @text
 * when it is not NULL, then waits until the list searched for what the
 * search then holds, and for that to be drawn. */
static void
search_keys (PkFormPage *form,
             const char *text,
             guint       keysym,
             guint       n_keys)
{
  GtkWidget *chooser = chooser_of (form);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (chooser));
  GtkWidget *popover = pk_gui_find_type (chooser, GTK_TYPE_POPOVER);
  SearchWatch watch = { GTK_EDITABLE (pk_gui_find_type (popover, GTK_TYPE_SEARCH_ENTRY)), NULL };
  gulong handler = g_signal_connect (watch.search, "search-changed",
                                     G_CALLBACK (on_search_changed), &watch);

  if (text != NULL)
    pk_gui_type (window, text);
  for (guint n = 0; n < n_keys; n++)
    pk_gui_key (window, keysym, 0);
  g_assert_true (pk_gui_wait (searched_for_shown_text, &watch, 10));
  g_signal_handler_disconnect (watch.search, handler);
  g_free (watch.searched);
  pk_gui_settle ();
}

/* Taps the country button and types @text into the list's search,
 * which has the focus as soon as the list is open. */
static void
search_for (PkFormPage *form,
            const char *text)
{
  GtkWidget *chooser = chooser_of (form);
  GtkWidget *popover = pk_gui_find_type (chooser, GTK_TYPE_POPOVER);
  GtkWidget *search = pk_gui_find_type (popover, GTK_TYPE_SEARCH_ENTRY);

  tap (pk_gui_find_type (chooser, GTK_TYPE_TOGGLE_BUTTON));
  g_assert_true (gtk_widget_get_mapped (popover));
  g_assert_true (gtk_widget_is_ancestor (pk_gui_focus (popover), search));
  search_keys (form, text, 0, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, text);
}

/* The names the open list shows, ", " between; NULL when it shows its
 * "nothing found" line instead. */
static char *
shown_names (PkFormPage *form)
{
  GtkWidget *list = pk_gui_find_type (chooser_of (form), GTK_TYPE_LIST_VIEW);
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  g_autoptr(GString) names = g_string_new (NULL);

  if (!gtk_widget_get_mapped (list))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", gtk_string_object_get_string (item));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The line shown in the list's place when nothing is found, or NULL. */
static const char *
none_found_line (PkFormPage *form)
{
  GtkWidget *popover = pk_gui_find_type (chooser_of (form), GTK_TYPE_POPOVER);
  GtkWidget *stack = pk_gui_find_type (popover, GTK_TYPE_STACK);
  GtkWidget *shown = gtk_stack_get_visible_child (GTK_STACK (stack));

  return GTK_IS_LABEL (shown) && gtk_widget_get_mapped (shown)
         ? gtk_label_get_label (GTK_LABEL (shown)) : NULL;
}

static const char *
button_text (PkFormPage *form)
{
  GtkWidget *button = pk_gui_find_type (chooser_of (form), GTK_TYPE_TOGGLE_BUTTON);

  return gtk_label_get_label (GTK_LABEL (pk_gui_find_type (button, GTK_TYPE_LABEL)));
}

static gboolean
list_is_open (PkFormPage *form)
{
  return gtk_widget_get_mapped (pk_gui_find_type (chooser_of (form), GTK_TYPE_POPOVER));
}

/* "Deutschland", the name a German signer writes, finds Germany alone;
 * Enter chooses it and closes the list. */
static void
test_everyday_name_and_enter (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *shown = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = pk_gui_open_form (&f, "de");
  search_for (form, "Deutschland");
  shown = shown_names (form);
  g_assert_cmpstr (shown, ==, "Deutschland");

  pk_gui_key (GTK_WINDOW (f.window), XK_Return, 0);
  g_assert_false (list_is_open (form));
  g_assert_cmpstr (pk_country_chooser_get_code (_pk_form_page_get_country_chooser (form)), ==, "DE");
  g_assert_cmpstr (button_text (form), ==, "Deutschland");

  pk_gui_fixture_teardown (&f);
}

/* "Korea" finds both Koreas, under their list names, not only a name
 * that starts with it; the arrow keys walk to the one meant. */
static void
test_both_koreas_by_arrows (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *shown = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = pk_gui_open_form (&f, "en");
  search_for (form, "Korea");
  shown = shown_names (form);
  g_assert_cmpstr (shown, ==, "North Korea, South Korea");

  pk_gui_key (GTK_WINDOW (f.window), XK_Down, 0);
  pk_gui_key (GTK_WINDOW (f.window), XK_Down, 0);
  pk_gui_key (GTK_WINDOW (f.window), XK_Return, 0);
  g_assert_false (list_is_open (form));
  g_assert_cmpstr (pk_country_chooser_get_code (_pk_form_page_get_country_chooser (form)), ==, "KR");

  pk_gui_fixture_teardown (&f);
}

/* On a Korean kiosk, the English name finds the Korean one. */
static void
test_english_name_in_korean (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *shown = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = pk_gui_open_form (&f, "ko");
  search_for (form, "Germ");
  shown = shown_names (form);
  g_assert_cmpstr (shown, ==, "독일");
  pk_gui_key (GTK_WINDOW (f.window), XK_Return, 0);
  g_assert_cmpstr (pk_country_chooser_get_code (_pk_form_page_get_country_chooser (form)), ==, "DE");

  pk_gui_fixture_teardown (&f);
}

/* A search that finds nothing says so, in the signer's language, and
 * Enter then chooses nothing; clearing the search brings the list back. */
static void
test_nothing_found_says_so (void)
{
  const char *langs[] = { "en", "de", "ko" };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      PkGuiFixture f = { 0 };
      PkFormPage *form;
      const char *line;
      g_autofree char *shown = NULL;

      pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
      form = pk_gui_open_form (&f, langs[i]);
      search_for (form, "Atlantis");
      g_assert_null (shown_names (form));
      line = none_found_line (form);
      g_test_message ("%s: %s", langs[i], line);
      g_assert_nonnull (line);
      g_assert_nonnull (strstr (line, "Atlantis"));
      /* Translated, not the English line. */
      g_assert_true (g_str_equal (langs[i], "en") ==
                     g_str_equal (line, "No country is called “Atlantis”."));

      pk_gui_key (GTK_WINDOW (f.window), XK_Return, 0);
      g_assert_true (list_is_open (form));
      g_assert_null (pk_country_chooser_get_code (_pk_form_page_get_country_chooser (form)));

      search_keys (form, NULL, XK_BackSpace, strlen ("Atlantis"));
      shown = shown_names (form);
      g_assert_nonnull (shown);
      g_assert_true (g_str_has_prefix (shown, _("Not given")));

      pk_gui_key (GTK_WINDOW (f.window), XK_Escape, 0);
      g_assert_false (list_is_open (form));
      pk_gui_fixture_teardown (&f);
    }
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/CountrySearch/everyday-name-and-enter", test_everyday_name_and_enter);
  g_test_add_func ("/Pk/CountrySearch/both-koreas-by-arrows", test_both_koreas_by_arrows);
  g_test_add_func ("/Pk/CountrySearch/english-name-in-korean", test_english_name_in_korean);
  g_test_add_func ("/Pk/CountrySearch/nothing-found-says-so", test_nothing_found_says_so);

  return g_test_run ();
}
