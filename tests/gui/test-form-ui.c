/* test-form-ui.c: the signer's form as a person meets it, with real keys
 * and pointer presses (issue 13, items 1 to 7; issue 12, item 1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-form-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <X11/keysym.h>

#include "pk-countries.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"

/* What a signer types into each field; valid, so that the form can be
 * sent. */
static const char * const sample[PK_N_FIELDS] = {
  [PK_FIELD_GIVEN_NAME] = "Alice",
  [PK_FIELD_FAMILY_NAME] = "Smith",
  [PK_FIELD_EMAIL] = "alice@example.org",
  [PK_FIELD_PHONE] = "+44 20 7946 0958",
  [PK_FIELD_POSTAL_CODE] = "SW1A 1AA",
  [PK_FIELD_COMMENT] = "private words",
};

static gboolean
page_is (PkWindow   *window,
         const char *name)
{
  return g_strcmp0 (pk_window_get_visible_page (window), name) == 0;
}

static gboolean
page_is_welcome (gpointer data)
{
  return page_is (data, "welcome");
}

static gint64
count_signatures (PkGuiFixture *fixture)
{
  return (gint64) pk_store_count (fixture->store, pk_petition_get_id (fixture->petition));
}

/* The button showing @label (mnemonic underscores included). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
win (PkGuiFixture *f)
{
  return GTK_WINDOW (f->window);
}

/* Taps a language button, then "Sign", on the welcome screen. */
static PkFormPage *
open_form (PkGuiFixture *f,
           const char   *language_button)
{
  GtkWidget *welcome = GTK_WIDGET (_pk_window_get_welcome_page (f->window));

  g_assert_true (page_is (f->window, "welcome"));
  if (language_button != NULL)
    pk_gui_click (find_button (welcome, language_button));
  pk_gui_click (pk_gui_find_action (welcome, "kiosk.sign"));
  g_assert_true (page_is (f->window, "form"));
  return _pk_window_get_form_page (f->window);
}

static GtkAdjustment *
form_adjustment (PkFormPage *form)
{
  GtkWidget *entry = GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME));
  GtkWidget *scrolled = gtk_widget_get_ancestor (entry, GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
}

static gboolean
focus_is_in (GtkWidget *widget)
{
  GtkWidget *focus = pk_gui_focus (widget);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
assert_opens_ready (PkFormPage *form,
                    PkField     first)
{
  GtkAdjustment *adjustment = form_adjustment (form);

  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, gtk_adjustment_get_lower (adjustment));
  g_assert_true (focus_is_in (GTK_WIDGET (_pk_form_page_get_entry (form, first))));
}

/* Every form opens at the top with the focus in its first field, also
 * for the signer after one who left the form scrolled down with the
 * focus on Submit, and after a language switch. */
static void
test_opens_at_top (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *submit;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, NULL);
  assert_opens_ready (form, PK_FIELD_FAMILY_NAME);
  /* Typing before any tap lands in the first field: 성, in Korean. */
  pk_gui_type (win (&f), "Kim");
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)), ==, "Kim");

  /* The first signer scrolls to the bottom and tabs to Submit. */
  submit = pk_gui_find_action (GTK_WIDGET (form), "form.submit");
  pk_gui_scroll (gtk_widget_get_ancestor (GTK_WIDGET (_pk_form_page_get_pad (form)), GTK_TYPE_SCROLLED_WINDOW), 10);
  g_assert_cmpfloat (gtk_adjustment_get_value (form_adjustment (form)), >, 0);
  for (guint i = 0; i < 40 && pk_gui_focus (submit) != submit; i++)
    pk_gui_key (win (&f), XK_Tab, 0);
  g_assert_true (pk_gui_focus (submit) == submit);
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.cancel"));
  pk_gui_click (find_button (GTK_WIDGET (_pk_form_page_get_cancel_dialog (form)), _("C_lear and Leave")));
  g_assert_true (page_is (f.window, "welcome"));

  /* The next signer switches to English: given name first. */
  form = open_form (&f, "English");
  assert_opens_ready (form, PK_FIELD_GIVEN_NAME);
  pk_gui_type (win (&f), "Ann");
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Ann");

  pk_gui_fixture_teardown (&f);
}

/* Whether @widget is drawn wholly inside the visible part of its
 * scrolled window, or of the window when it scrolls with none. */
static gboolean
is_in_view (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *frame = scrolled != NULL ? scrolled : GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, frame, &bounds))
    return FALSE;
  return bounds.origin.x >= -0.5 && bounds.origin.y >= -0.5 &&
         bounds.origin.x + bounds.size.width <= gtk_widget_get_width (frame) + 0.5 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (frame) + 0.5;
}

/* Scrolls @widget into view with the wheel, as a person would, and
 * taps it. */
static void
tap (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  for (guint i = 0; i < 30 && scrolled != NULL && !is_in_view (widget); i++)
    {
      g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
      pk_gui_scroll (scrolled, bounds.origin.y < 0 ? -1 : 1);
    }
  pk_gui_click (widget);
}

/* A signer with only a keyboard: Tab from field to field, every stop in
 * view and marked, Space ticks the consent, Enter on Submit signs. */
static void
test_keyboard_path (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *submit;
  guint stops = 0;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, "English");
  submit = pk_gui_find_action (GTK_WIDGET (form), "form.submit");

  for (; stops < 40; stops++)
    {
      GtkWidget *focus = pk_gui_focus (GTK_WIDGET (form));
      GtkWidget *entry = gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY);

      g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (form)));
      g_assert_true (gtk_widget_get_mapped (focus));
      g_assert_true (is_in_view (entry != NULL ? entry : focus));
      if (stops > 0)
        g_assert_true (gtk_window_get_focus_visible (win (&f)));

      for (PkField field = 0; field < PK_N_FIELDS; field++)
        if (entry != NULL && entry == GTK_WIDGET (_pk_form_page_get_entry (form, field)))
          pk_gui_type (win (&f), sample[field]);
      if (focus == GTK_WIDGET (_pk_form_page_get_consent (form)) ||
          focus == GTK_WIDGET (_pk_form_page_get_sensitive_consent (form)))
        pk_gui_key (win (&f), XK_space, 0);
      if (focus == submit)
        break;
      pk_gui_key (win (&f), XK_Tab, 0);
    }
  g_assert_true (pk_gui_focus (submit) == submit);
  g_assert_true (gtk_check_button_get_active (_pk_form_page_get_consent (form)));
  g_assert_true (gtk_check_button_get_active (_pk_form_page_get_sensitive_consent (form)));

  pk_gui_key (win (&f), XK_Return, 0);
  g_assert_true (page_is (f.window, "thank-you"));
  g_assert_cmpint (count_signatures (&f), ==, 1);

  pk_gui_fixture_teardown (&f);
}

/* The field whose entry holds the keyboard focus, or PK_N_FIELDS. */
static PkField
focused_field (PkFormPage *form)
{
  GtkWidget *entry = gtk_widget_get_ancestor (pk_gui_focus (GTK_WIDGET (form)), GTK_TYPE_ENTRY);

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    if (entry != NULL && entry == GTK_WIDGET (_pk_form_page_get_entry (form, field)))
      return field;
  return PK_N_FIELDS;
}

/* Enter in each field moves on, as Tab does, and never sends the form, even a complete one: a stray Enter must not sign for anyone
 * (pk-form-page.c, on_entry_activate). */
static void
test_enter_moves_on (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *submit;
  guint entries = 0, pressed = 0;
  gboolean seen[PK_N_FIELDS] = { FALSE };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, "English");
  submit = pk_gui_find_action (GTK_WIDGET (form), "form.submit");
  for (PkField field = 0; field < PK_N_FIELDS; field++)
    entries += _pk_form_page_get_entry (form, field) != NULL;
  /* The consents are ticked and the pad signed first: the form is one
   * Submit away from being sent. */
  pk_gui_fill_form (form, NULL, NULL, NULL);

  /* Enter in each field in turn, Tab past what is not a field: Enter
   * must move forward, so that each field is met once on the way to
   * Submit. */
  for (guint stops = 0; stops < 40 && pk_gui_focus (submit) != submit; stops++)
    {
      PkField field = focused_field (form);

      if (field == PK_N_FIELDS)
        {
          pk_gui_key (win (&f), XK_Tab, 0);
          continue;
        }
      g_assert_false (seen[field]);
      seen[field] = TRUE;
      pk_gui_type (win (&f), sample[field]);
      pk_gui_key (win (&f), XK_Return, 0);
      pressed++;
      g_assert_true (page_is (f.window, "form"));
      g_assert_cmpint (focused_field (form), !=, field);
      g_assert_true (gtk_widget_is_ancestor (pk_gui_focus (GTK_WIDGET (form)), GTK_WIDGET (form)));
    }
  g_assert_true (pk_gui_focus (submit) == submit);
  g_assert_cmpuint (pressed, ==, entries);
  g_assert_cmpint (count_signatures (&f), ==, 0);

  /* Enter on Submit itself does send it. */
  pk_gui_key (win (&f), XK_Return, 0);
  g_assert_true (page_is (f.window, "thank-you"));
  g_assert_cmpint (count_signatures (&f), ==, 1);

  pk_gui_fixture_teardown (&f);
}

/* A tap on the text beside each box ticks it, and a second tap clears
 * it, as on the box itself: a signer reads the consent and taps it
 * (pk-form-page.c, pk_form_page_link_check_label). */
static void
test_consent_labels_tick (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, "English");
  {
    GtkCheckButton *boxes[] = { _pk_form_page_get_consent (form),
                                _pk_form_page_get_sensitive_consent (form),
                                _pk_form_page_get_opt_in (form) };

    for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
      {
        GtkWidget *label = gtk_widget_get_next_sibling (GTK_WIDGET (boxes[i]));

        g_assert_true (GTK_IS_LABEL (label));
        g_assert_false (gtk_check_button_get_active (boxes[i]));
        tap (label);
        g_assert_true (gtk_check_button_get_active (boxes[i]));
        tap (label);
        g_assert_false (gtk_check_button_get_active (boxes[i]));
      }
  }
  g_assert_true (page_is (f.window, "form"));

  pk_gui_fixture_teardown (&f);
}

static gboolean
has_error_mark (GtkWidget *widget)
{
  return gtk_widget_has_css_class (widget, "error");
}

/* One press of Submit on an empty form marks both names and the consent
 * box together, and takes the signer to the first of them. */
static void
test_all_errors_at_once (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *email;
  GtkWidget *email_title;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, NULL);

  pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.submit"));
  g_assert_true (page_is (f.window, "form"));
  g_assert_nonnull (_pk_form_page_get_error (form, PK_FIELD_FAMILY_NAME));
  g_assert_nonnull (_pk_form_page_get_error (form, PK_FIELD_GIVEN_NAME));
  g_assert_nonnull (_pk_form_page_get_error (form, PK_N_FIELDS));
  g_assert_nonnull (_pk_form_page_get_sensitive_consent_error (form));
  g_assert_true (has_error_mark (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME))));
  g_assert_true (has_error_mark (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME))));
  g_assert_true (has_error_mark (GTK_WIDGET (_pk_form_page_get_consent (form))));
  g_assert_true (focus_is_in (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME))));
  g_assert_cmpint (count_signatures (&f), ==, 0);

  g_assert_true (has_error_mark (GTK_WIDGET (_pk_form_page_get_sensitive_consent (form))));

  /* Ticking the boxes takes their marks away. */
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_consent (form)));
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_sensitive_consent (form)));
  g_assert_null (_pk_form_page_get_error (form, PK_N_FIELDS));
  g_assert_null (_pk_form_page_get_sensitive_consent_error (form));
  g_assert_false (has_error_mark (GTK_WIDGET (_pk_form_page_get_consent (form))));

  /* A bad address, the form scrolled down to the pad: the address comes
   * back into view with its title above it. */
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)));
  pk_gui_type (win (&f), "Kim");
  email = GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_EMAIL));
  pk_gui_click (email);
  pk_gui_type (win (&f), "kim-at-example");
  /* Notch by notch until the address is gone, not as far as the end,
   * whence the page would spring back. */
  for (guint i = 0; i < 20 && is_in_view (email); i++)
    pk_gui_scroll (gtk_widget_get_ancestor (email, GTK_TYPE_SCROLLED_WINDOW), 1);
  g_assert_false (is_in_view (email));
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.submit"));
  g_assert_nonnull (_pk_form_page_get_error (form, PK_FIELD_EMAIL));
  g_assert_null (_pk_form_page_get_error (form, PK_FIELD_GIVEN_NAME));
  email_title = gtk_widget_get_first_child (gtk_widget_get_parent (email));
  g_assert_true (is_in_view (email_title));
  g_assert_true (is_in_view (email));
  g_assert_true (focus_is_in (email));
  g_assert_cmpint (count_signatures (&f), ==, 0);

  pk_gui_fixture_teardown (&f);
}

/* Cancel is the smaller button, beside Submit rather than under it, and
 * asks before it clears a form that holds anything. */
static void
test_cancel_asks (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *cancel, *submit;
  GtkWindow *dialog;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, NULL);
  cancel = pk_gui_find_action (GTK_WIDGET (form), "form.cancel");
  submit = pk_gui_find_action (GTK_WIDGET (form), "form.submit");
  g_assert_cmpint (gtk_widget_get_height (cancel), <, gtk_widget_get_height (submit));
  g_assert_cmpint (gtk_widget_get_width (cancel), <, gtk_widget_get_width (submit));

  /* An untouched form: straight back. */
  pk_gui_click (cancel);
  g_assert_true (page_is (f.window, "welcome"));
  g_assert_null (_pk_form_page_get_cancel_dialog (form));

  /* A started one: asked, and "Keep Editing" keeps everything. */
  form = open_form (&f, NULL);
  pk_gui_type (win (&f), "Kim");
  pk_gui_click (cancel);
  dialog = _pk_form_page_get_cancel_dialog (form);
  g_assert_nonnull (dialog);
  g_assert_true (page_is (f.window, "form"));
  pk_gui_click (find_button (GTK_WIDGET (dialog), _("_Keep Editing")));
  g_assert_null (_pk_form_page_get_cancel_dialog (form));
  g_assert_true (page_is (f.window, "form"));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)), ==, "Kim");

  /* Confirmed: cleared and home. */
  pk_gui_click (cancel);
  pk_gui_click (find_button (GTK_WIDGET (_pk_form_page_get_cancel_dialog (form)), _("C_lear and Leave")));
  g_assert_true (page_is (f.window, "welcome"));
  g_assert_false (pk_form_page_holds_data (form));

  pk_gui_fixture_teardown (&f);
}

/* Asserts that nothing under @widget is cut: no label (a placeholder is
 * one) ellipsized, and nothing outside a scrolled window reaching past
 * the window's edges. */
static void
assert_nothing_cut (GtkWidget  *widget,
                    const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_error ("%s: the label “%s” is cut short", where, gtk_label_get_text (GTK_LABEL (widget)));
  if (!GTK_IS_ROOT (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) == NULL &&
      gtk_widget_get_width (widget) > 0 && !is_in_view (widget))
    g_error ("%s: a %s reaches past the window's edge", where, G_OBJECT_TYPE_NAME (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_nothing_cut (child, where);
}

static void
assert_clear_of_bottom (GtkWidget  *widget,
                        const char *where)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
  if (bounds.origin.y < 0 ||
      bounds.origin.y + bounds.size.height > gtk_widget_get_height (scrolled) - 12)
    g_error ("%s: a %s spans %g to %g of %d pixels", where, G_OBJECT_TYPE_NAME (widget),
             bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (scrolled));
}

/* At 1280×800 and 1024×600, in Korean, English and German, the welcome
 * screen and the form fit: consent and Submit on screen without
 * scrolling, and no text cut. */
static void
test_fits_small_screens (void)
{
  static const struct { int width, height; } sizes[] = { { 1280, 800 }, { 1024, 600 } };
  static const char * const languages[] = { "한국어", "English", "Deutsch" };
  PkGuiFixture f = { 0 };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      pk_gui_resize (win (&f), sizes[s].width, sizes[s].height);
      for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
        {
          g_autofree char *where = g_strdup_printf ("%d×%d, %s", sizes[s].width, sizes[s].height,
                                                    languages[l]);
          PkFormPage *form;
          GtkWidget *consent;

          pk_gui_click (find_button (GTK_WIDGET (_pk_window_get_welcome_page (f.window)), languages[l]));
          assert_nothing_cut (GTK_WIDGET (f.window), where);
          /* "Sign" in full view, clear of the screen's bottom edge. */
          assert_clear_of_bottom (pk_gui_find_action (GTK_WIDGET (_pk_window_get_welcome_page (f.window)),
                                                      "kiosk.sign"), where);

          form = open_form (&f, NULL);
          consent = GTK_WIDGET (_pk_form_page_get_consent (form));
          g_assert_null (gtk_widget_get_ancestor (consent, GTK_TYPE_SCROLLED_WINDOW));
          g_assert_true (is_in_view (consent));
          g_assert_true (is_in_view (gtk_widget_get_next_sibling (consent)));
          g_assert_true (is_in_view (pk_gui_find_action (GTK_WIDGET (form), "form.submit")));
          g_assert_true (is_in_view (pk_gui_find_action (GTK_WIDGET (form), "form.cancel")));
          assert_nothing_cut (GTK_WIDGET (f.window), where);
          pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.cancel"));
        }
    }

  pk_gui_fixture_teardown (&f);
}

/* Each field is named once, by its visible title: no second label
 * property for a screen reader to read after it ("성 성"). */
static void
test_accessible_names (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, NULL);
  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      GtkWidget *input = field == PK_FIELD_COUNTRY
                         ? GTK_WIDGET (_pk_form_page_get_country_chooser (form))
                         : GTK_WIDGET (_pk_form_page_get_entry (form, field));
      GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_parent (input));

      g_assert_true (GTK_IS_LABEL (title));
      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (input),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL));
      gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (input),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL);
    }

  pk_gui_fixture_teardown (&f);
}

/* ----- the next signer's Ctrl+Z (issue 12, item 1) ----------------------- */

typedef enum {
  RESET_SUBMIT_DONE,
  RESET_THANK_YOU_TIMER,
  RESET_IDLE,
  RESET_CANCEL,
} ResetPath;

/* Every text input of the form, the country list's search among them. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (GTK_IS_TEXT (widget))
    g_ptr_array_add (texts, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static GtkWidget *
country_search (PkFormPage *form)
{
  GtkWidget *chooser = GTK_WIDGET (_pk_form_page_get_country_chooser (form));

  return pk_gui_find_type (chooser, GTK_TYPE_TEXT);
}

/* Opens the country list with a tap; its search takes the keys. */
static void
open_country_list (PkFormPage *form)
{
  GtkWidget *chooser = GTK_WIDGET (_pk_form_page_get_country_chooser (form));
  GtkWidget *popover;

  tap (chooser);
  popover = pk_gui_find_type (chooser, GTK_TYPE_POPOVER);
  g_assert_true (gtk_widget_get_mapped (popover));
  g_assert_true (pk_gui_focus (popover) == country_search (form));
}

/* Escape, as often as it takes: the first may only stop the search. */
static void
close_country_list (PkFormPage *form)
{
  GtkWidget *chooser = GTK_WIDGET (_pk_form_page_get_country_chooser (form));
  GtkWidget *popover = pk_gui_find_type (chooser, GTK_TYPE_POPOVER);

  for (guint i = 0; i < 3 && gtk_widget_get_mapped (popover); i++)
    pk_gui_key (GTK_WINDOW (gtk_widget_get_root (chooser)), XK_Escape, 0);
  g_assert_false (gtk_widget_get_mapped (popover));
}

static void
fill_by_keys (PkGuiFixture *f,
              PkFormPage   *form)
{
  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      GtkEditable *entry = _pk_form_page_get_entry (form, field);

      if (entry == NULL)
        continue;
      tap (GTK_WIDGET (entry));
      pk_gui_type (win (f), sample[field]);
      g_assert_cmpstr (gtk_editable_get_text (entry), ==, sample[field]);
    }

  /* Searched for, then left: the search keeps what was typed. */
  open_country_list (form);
  pk_gui_type (win (f), "Germ");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (country_search (form))), ==, "Germ");
  close_country_list (form);
}

static void
reset_by (PkGuiFixture *f,
          PkFormPage   *form,
          ResetPath     path)
{
  switch (path)
    {
    case RESET_SUBMIT_DONE:
    case RESET_THANK_YOU_TIMER:
      pk_gui_click (GTK_WIDGET (_pk_form_page_get_consent (form)));
      pk_gui_click (GTK_WIDGET (_pk_form_page_get_sensitive_consent (form)));
      tap (GTK_WIDGET (_pk_form_page_get_pad (form)));
      pk_gui_drag_across (GTK_WIDGET (_pk_form_page_get_pad (form)));
      if (path == RESET_THANK_YOU_TIMER)
        g_object_set (f->window, "thank-you-delay", 1, NULL);
      pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.submit"));
      g_assert_true (page_is (f->window, "thank-you"));
      if (path == RESET_SUBMIT_DONE)
        pk_gui_click (pk_gui_find_action (GTK_WIDGET (_pk_window_get_thank_you_page (f->window)),
                                          "kiosk.home"));
      break;
    case RESET_IDLE:
      /* The schema's shortest times are too long for a test; the
       * idle guard takes shorter ones. */
      g_object_set (_pk_window_get_idle_guard (f->window), "idle-timeout", 1, "still-there-seconds", 1, NULL);
      break;
    case RESET_CANCEL:
      pk_gui_click (pk_gui_find_action (GTK_WIDGET (form), "form.cancel"));
      pk_gui_click (find_button (GTK_WIDGET (_pk_form_page_get_cancel_dialog (form)),
                                 _("C_lear and Leave")));
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_true (pk_gui_wait (page_is_welcome, f->window, 20));
}

static void
assert_undo_finds_nothing (PkGuiFixture *f,
                           PkFormPage   *form)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_texts (GTK_WIDGET (form), texts);
  g_assert_cmpuint (texts->len, ==, PK_N_FIELDS);

  for (guint i = 0; i < texts->len; i++)
    {
      GtkWidget *text = texts->pdata[i];

      if (text == country_search (form))
        open_country_list (form);
      else
        tap (gtk_widget_get_ancestor (text, GTK_TYPE_ENTRY));
      g_assert_true (pk_gui_focus (text) == text);

      pk_gui_key (win (f), XK_z, GDK_CONTROL_MASK);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "");
      pk_gui_key (win (f), XK_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "");
      if (text == country_search (form))
        close_country_list (form);
    }
}

static void
run_undo_test (gconstpointer data)
{
  ResetPath path = GPOINTER_TO_INT (data);
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = open_form (&f, "English");
  fill_by_keys (&f, form);
  reset_by (&f, form, path);

  /* The next signer. */
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3600, NULL);
  form = open_form (&f, "English");
  assert_undo_finds_nothing (&f, form);

  pk_gui_fixture_teardown (&f);
}

/* South Korea's name in the current language, as iso-codes gives it. */
static const char *
korea_name (void)
{
  static char name[128];
  g_autoptr(GPtrArray) countries = pk_countries_new_sorted ();

  for (guint i = 0; i < countries->len; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      if (g_str_equal (country->code, "KR"))
        g_strlcpy (name, country->name, sizeof name);
    }
  return name;
}

/* The kiosk's own country (the petition's Country, KR in the demo)
 * is the first choice in the list, and the search takes the keys as
 * soon as the list opens. */
static void
test_country_list (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  PkCountryChooser *chooser;
  GtkWidget *popover;
  GListModel *model;
  g_autoptr(GtkStringObject) home = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  g_assert_cmpstr (pk_petition_get_country (f.petition), ==, "KR");
  form = open_form (&f, "English");
  chooser = _pk_form_page_get_country_chooser (form);
  popover = pk_gui_find_type (GTK_WIDGET (chooser), GTK_TYPE_POPOVER);

  /* Right under "Not given" is the kiosk's country. */
  pk_gui_click (GTK_WIDGET (chooser));
  g_assert_true (gtk_widget_get_mapped (popover));
  g_assert_true (GTK_IS_TEXT (pk_gui_focus (popover)));
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (pk_gui_find_type (GTK_WIDGET (chooser),
                                                                                 GTK_TYPE_LIST_VIEW))));
  home = g_list_model_get_item (model, 1);
  g_assert_cmpstr (gtk_string_object_get_string (home), ==, korea_name ());
  close_country_list (form);
  pk_country_chooser_set_code (chooser, "KR");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pk_gui_find_type (GTK_WIDGET (chooser), GTK_TYPE_LABEL))),
                   ==, korea_name ());

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process accessibility backend, whose names and relations
   * the tests can read; there is no accessibility bus under Xvfb. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/FormUi/opens-at-top", test_opens_at_top);
  g_test_add_func ("/Pk/FormUi/keyboard-path", test_keyboard_path);
  g_test_add_func ("/Pk/FormUi/enter-moves-on", test_enter_moves_on);
  g_test_add_func ("/Pk/FormUi/consent-labels-tick", test_consent_labels_tick);
  g_test_add_func ("/Pk/FormUi/all-errors-at-once", test_all_errors_at_once);
  g_test_add_func ("/Pk/FormUi/cancel-asks", test_cancel_asks);
  g_test_add_func ("/Pk/FormUi/fits-small-screens", test_fits_small_screens);
  g_test_add_func ("/Pk/FormUi/accessible-names", test_accessible_names);
  g_test_add_func ("/Pk/FormUi/country-list", test_country_list);
  g_test_add_data_func ("/Pk/FormUi/undo-forgets/submit-done",
                        GINT_TO_POINTER (RESET_SUBMIT_DONE), run_undo_test);
  g_test_add_data_func ("/Pk/FormUi/undo-forgets/thank-you-timer",
                        GINT_TO_POINTER (RESET_THANK_YOU_TIMER), run_undo_test);
  g_test_add_data_func ("/Pk/FormUi/undo-forgets/idle-reset",
                        GINT_TO_POINTER (RESET_IDLE), run_undo_test);
  g_test_add_data_func ("/Pk/FormUi/undo-forgets/cancel",
                        GINT_TO_POINTER (RESET_CANCEL), run_undo_test);

  return g_test_run ();
}
