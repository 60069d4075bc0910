/* test-country.c: the signer picks their country by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form's country is a list of every country named in the kiosk's
 * language. These tests read the real list inside the form, choose
 * through the chooser's API, and read what the store saved; the search
 * typed with real keys is in test-country-search.c.
 */
#include "config.h"

#include <adwaita.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The list as it shows without a search: "Not given", the kiosk's own
 * country, every country. */
static GListModel *
shown_list (PkCountryChooser *chooser)
{
  GtkWidget *list = find_type (GTK_WIDGET (chooser), GTK_TYPE_LIST_VIEW);

  g_assert_nonnull (list);
  return gtk_no_selection_get_model (GTK_NO_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list))));
}

/* The position of the item named @name in the list, as shown. */
static guint
find_item (PkCountryChooser *chooser,
           const char       *name)
{
  GListModel *model = shown_list (chooser);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), name) == 0)
        return i;
    }
  g_error ("No country named %s in the list", name);
}

/* What the chooser's button shows. */
static const char *
selected_name (PkCountryChooser *chooser)
{
  GtkWidget *button = find_type (GTK_WIDGET (chooser), GTK_TYPE_TOGGLE_BUTTON);

  return gtk_label_get_label (GTK_LABEL (find_type (button, GTK_TYPE_LABEL)));
}

static void
test_list_in_each_language (void)
{
  PkGuiFixture f = { 0 };
  PkCountryChooser *chooser;
  GListModel *model;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  pk_window_set_language (f.window, "ko");
  chooser = _pk_form_page_get_country_chooser (_pk_window_get_form_page (f.window));
  g_assert_nonnull (chooser);
  g_assert_null (_pk_form_page_get_entry (_pk_window_get_form_page (f.window), PK_FIELD_COUNTRY));

  /* Nothing chosen at first: giving a country is optional. */
  g_assert_null (pk_country_chooser_get_code (chooser));
  g_assert_cmpuint (find_item (chooser, selected_name (chooser)), ==, 0);

  /* Every country ISO lists, and "not given". */
  model = shown_list (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 240);

  pk_country_chooser_set_code (chooser, "KR");
  g_assert_cmpstr (selected_name (chooser), ==, "대한민국");
  g_assert_cmpstr (pk_country_chooser_get_code (chooser), ==, "KR");

  /* Switching language renames the list; the choice stays. */
  pk_window_set_language (f.window, "de");
  g_assert_cmpstr (pk_country_chooser_get_code (chooser), ==, "KR");
  g_assert_cmpstr (selected_name (chooser), ==, "Südkorea");
  pk_window_set_language (f.window, "en");
  g_assert_cmpstr (selected_name (chooser), ==, "South Korea");

  /* In German order, Österreich sits with the O's, not after Zypern. */
  pk_window_set_language (f.window, "de");
  g_assert_cmpuint (find_item (chooser, "Österreich"), <, find_item (chooser, "Zypern"));
  g_assert_cmpuint (find_item (chooser, "Österreich"), >, find_item (chooser, "Norwegen"));

  pk_gui_fixture_teardown (&f);
}

static void
test_chosen_country_saved (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  PkCountryChooser *chooser;
  g_autoptr(PkSignature) sig = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  pk_window_set_language (f.window, "ko");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_settle ();
  form = _pk_window_get_form_page (f.window);
  chooser = _pk_form_page_get_country_chooser (form);

  pk_gui_fill_form (form, "지우", "김", "jiwoo@example.org");
  pk_country_chooser_set_code (chooser, "DE");
  g_assert_cmpstr (selected_name (chooser), ==, "독일");
  gtk_check_button_set_active (_pk_form_page_get_consent (form), TRUE);
  gtk_check_button_set_active (_pk_form_page_get_sensitive_consent (form), TRUE);
  g_assert_true (pk_form_page_holds_data (form));
  pk_gui_press_submit (form);

  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "thank-you");
  sig = pk_gui_last_signature (&f);
  g_assert_cmpstr (sig->fields[PK_FIELD_COUNTRY], ==, "DE");

  /* The next signer does not see the last one's country. */
  g_assert_null (pk_country_chooser_get_code (chooser));
  g_assert_false (pk_form_page_holds_data (form));

  pk_gui_fixture_teardown (&f);
}

static void
test_no_country_saved_as_none (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autoptr(PkSignature) sig = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_settle ();
  form = _pk_window_get_form_page (f.window);

  pk_gui_fill_form (form, "Jiwoo", "Kim", "jiwoo@example.org");
  gtk_check_button_set_active (_pk_form_page_get_consent (form), TRUE);
  gtk_check_button_set_active (_pk_form_page_get_sensitive_consent (form), TRUE);
  pk_gui_press_submit (form);

  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "thank-you");
  sig = pk_gui_last_signature (&f);
  g_assert_null (sig->fields[PK_FIELD_COUNTRY]);

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Country/list-in-each-language", test_list_in_each_language);
  g_test_add_func ("/Pk/Country/chosen-country-saved", test_chosen_country_saved);
  g_test_add_func ("/Pk/Country/no-country-saved-as-none", test_no_country_saved_as_none);

  return g_test_run ();
}
