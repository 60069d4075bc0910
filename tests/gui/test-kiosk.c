/* test-kiosk.c: the kiosk window, driven in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>
#include <X11/keysym.h>

#include "pk-data-dirs.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-store-problem-window.h"
#include "pk-admin-page-private.h"
#include "pk-qr-card-private.h"

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
count_rows (PkGuiFixture *fixture,
            const char   *where)
{
  g_autofree char *path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM signatures WHERE %s", where);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  /* A separate, read-only connection: what is on disk, not what the
   * kiosk's connection might still hold. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_submit_form (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  PkThankYouPage *thanks;
  PkQrCard *card;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  thanks = _pk_window_get_thank_you_page (f.window);
  g_assert_true (page_is (f.window, "welcome"));

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_settle ();
  g_assert_true (page_is (f.window, "form"));

  /* No name: refused at the name field, nothing written. */
  gtk_check_button_set_active (_pk_form_page_get_consent (form), TRUE);
  pk_gui_press_submit (form);
  g_assert_true (page_is (f.window, "form"));
  g_assert_true (_pk_form_page_get_error (form, PK_FIELD_GIVEN_NAME) != NULL ||
                 _pk_form_page_get_error (form, PK_FIELD_FAMILY_NAME) != NULL);
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  /* A malformed email: refused at the email field, name kept. */
  gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME), "Jiwoo");
  gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_EMAIL), "not-an-email");
  pk_gui_press_submit (form);
  g_assert_nonnull (_pk_form_page_get_error (form, PK_FIELD_EMAIL));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Jiwoo");
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  /* No consent: refused at the consent box. */
  pk_form_page_reset (form);
  pk_gui_fill_form (form, "지우", "김", "Jiwoo@Example.ORG");
  gtk_check_button_set_active (_pk_form_page_get_consent (form), FALSE);
  pk_gui_press_submit (form);
  g_assert_nonnull (_pk_form_page_get_error (form, PK_N_FIELDS));
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  /* Complete: saved, thanked, and the form is empty again. */
  gtk_check_button_set_active (_pk_form_page_get_consent (form), TRUE);
  g_assert_false (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));
  pk_gui_press_submit (form);
  g_assert_null (_pk_form_page_get_failure (form));
  g_assert_true (page_is (f.window, "thank-you"));
  g_assert_cmpint (count_rows (&f, "source = 'kiosk'"), ==, 1);
  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 1);
  g_assert_false (pk_form_page_holds_data (form));
  g_assert_true (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));
  /* Friends can sign too: the petition's QR code is on the screen. */
  card = _pk_thank_you_page_get_qr_card (thanks);
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (card)));
  g_assert_cmpstr (_pk_qr_card_get_url (card), ==, pk_petition_get_url (f.petition));
  g_assert_cmpstr (_pk_qr_card_get_url_text (card), ==, pk_petition_get_url (f.petition));

  /* The same email in other letter case: thanked like anyone and
   * stored (the coordinator's merge counts the signer once), so that
   * nobody at the kiosk can test who signed (test-repeat-signer). */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.home", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, "Jiwoo", "Kim", "jiwoo@example.org");
  pk_gui_press_submit (form);
  g_assert_true (page_is (f.window, "thank-you"));
  g_assert_cmpstr (_pk_thank_you_page_get_title (thanks), ==, _("Thank you for signing!"));
  g_assert_cmpint (count_rows (&f, "1"), ==, 2);

  pk_gui_fixture_teardown (&f);
}

static void
test_not_saved_keeps_form (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *path = NULL;
  sqlite3 *blocker = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, "Jiwoo", "Kim", "jiwoo@example.org");

  /* Another process holds the write lock past the store's busy
   * timeout, so the signature cannot be written. */
  path = g_build_filename (f.dir, "kiosk.db", NULL);
  g_assert_cmpint (sqlite3_open (path, &blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (blocker, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_test_expect_message ("pk-form-page", G_LOG_LEVEL_WARNING, "Could not save a signature*");
  pk_gui_press_submit (form);
  g_test_assert_expected_messages ();
  g_assert_nonnull (_pk_form_page_get_failure (form));
  g_assert_true (page_is (f.window, "form"));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Jiwoo");
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_EMAIL)), ==, "jiwoo@example.org");
  g_assert_true (gtk_check_button_get_active (_pk_form_page_get_consent (form)));
  g_assert_false (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));

  sqlite3_exec (blocker, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (blocker);
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  /* Once the cause is gone, the same form goes through. */
  pk_gui_press_submit (form);
  g_assert_null (_pk_form_page_get_failure (form));
  g_assert_true (page_is (f.window, "thank-you"));
  g_assert_cmpint (count_rows (&f, "1"), ==, 1);

  pk_gui_fixture_teardown (&f);
}

static void
test_thank_you_returns (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  g_object_set (f.window, "thank-you-delay", 1, NULL);

  pk_window_set_language (f.window, "de");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, "Anna", "Schmidt", NULL);
  pk_gui_press_submit (form);
  g_assert_true (page_is (f.window, "thank-you"));

  g_assert_true (pk_gui_wait (page_is_welcome, f.window, 10));
  /* Back in the default language for the next signer. */
  g_assert_cmpstr (pk_window_get_language (f.window), ==, "ko");

  pk_gui_fixture_teardown (&f);
}

typedef struct {
  PkWelcomePage *page;
  const char    *expected;
} CountWatch;

static gboolean
count_shown (gpointer data)
{
  CountWatch *watch = data;

  return g_strcmp0 (_pk_welcome_page_get_count_text (watch->page), watch->expected) == 0;
}

/* A signature written by another process on the same database (here a
 * second connection, as the CLI `sign` would open) appears on the
 * welcome screen without anything happening at the kiosk. */
static void
test_count_follows_other_writers (void)
{
  PkGuiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) other = NULL;
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autofree char *expected = NULL;
  PkField field = PK_N_FIELDS;
  CountWatch watch;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3600, NULL);
  g_assert_true (page_is (f.window, "welcome"));
  g_assert_cmpuint (pk_store_count (f.store, pk_petition_get_id (f.petition)), ==, 0);

  other = pk_store_open (pk_store_get_path (f.store), &error);
  g_assert_no_error (error);
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "서연");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "김");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "seoyeon.kim@example.kr");
  g_assert_true (pk_store_add_signature (other, f.petition, sig, &field, &error));
  g_assert_no_error (error);

  /* The line as the page words it in the kiosk's current language. */
  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person has signed",
                                           "%s people have signed", 1),
                              "1");
  watch.page = _pk_window_get_welcome_page (f.window);
  watch.expected = expected;
  g_assert_true (pk_gui_wait (count_shown, &watch, 30));

  pk_gui_fixture_teardown (&f);
}

typedef struct {
  PkWindow *window;
  gboolean  saw_countdown;
} IdleWatch;

static gboolean
idle_reset_done (gpointer data)
{
  IdleWatch *watch = data;

  if (pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (watch->window)) > 0)
    watch->saw_countdown = TRUE;
  return page_is (watch->window, "welcome");
}

static void
test_idle_reset (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  IdleWatch watch = { 0 };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  /* The schema allows 15 s at least; the idle guard takes shorter
   * times so that this test stays quick. */
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 1, "still-there-seconds", 2, NULL);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, "Jiwoo", NULL, "jiwoo@example.org");
  gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_COMMENT), "private words");
  pk_country_chooser_set_code (_pk_form_page_get_country_chooser (form), "KR");
  gtk_check_button_set_active (_pk_form_page_get_opt_in (form), TRUE);
  /* The last thing the signer does is type, for real: the idle time
   * counts from these keys. */
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)));
  pk_gui_type (GTK_WINDOW (f.window), "Kim");
  g_assert_true (pk_form_page_holds_data (form));

  watch.window = f.window;
  g_assert_true (pk_gui_wait (idle_reset_done, &watch, 20));
  g_assert_true (watch.saw_countdown);

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    if (field != PK_FIELD_COUNTRY)
      g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, field)), ==, "");
  g_assert_null (pk_country_chooser_get_code (_pk_form_page_get_country_chooser (form)));
  g_assert_false (gtk_check_button_get_active (_pk_form_page_get_consent (form)));
  g_assert_false (gtk_check_button_get_active (_pk_form_page_get_opt_in (form)));
  g_assert_true (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));
  g_assert_false (pk_form_page_holds_data (form));
  g_assert_cmpuint (pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (f.window)), ==, 0);
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  pk_gui_fixture_teardown (&f);
}

static gboolean
still_there_shows (gpointer window)
{
  return pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (window)) > 0;
}

static gboolean
pin_wait_over (gpointer pin)
{
  return _pk_pin_page_get_wait_left (pin) == 0;
}

static void
test_still_here_keeps_data (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  /* Longer than typing a name takes, even in a sanitizer build: the
   * question must come after the typing, not during it. */
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3, "still-there-seconds", 30, NULL);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)));
  pk_gui_type (GTK_WINDOW (f.window), "Jiwoo");

  g_assert_true (pk_gui_wait (still_there_shows, f.window, 30));

  /* The prompt's own button, pressed with the pointer. */
  pk_gui_click (pk_gui_find_action (GTK_WIDGET (f.window), "idle.still-here"));
  g_assert_cmpuint (pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (f.window)), ==, 0);
  g_assert_true (page_is (f.window, "form"));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Jiwoo");

  /* Any key answers it too. */
  g_assert_true (pk_gui_wait (still_there_shows, f.window, 30));
  pk_gui_key (GTK_WINDOW (f.window), XK_Shift_L, 0);
  g_assert_cmpuint (pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (f.window)), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Jiwoo");

  pk_gui_fixture_teardown (&f);
}

/* A signer who keeps typing is never asked whether they are still
 * there, however long past the idle time the form takes: each real key
 * press starts the idle time again. Once the keys stop, the question
 * comes. */
static void
test_typing_postpones_idle (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3, "still-there-seconds", 30, NULL);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_click (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)));
  /* About half a second a key, for more than twice the idle time (the
   * idle time is long beside the gap between keys, even in a sanitizer
   * build on a busy machine). */
  for (guint i = 0; i < 14; i++)
    {
      pk_gui_type (GTK_WINDOW (f.window), "a");
      for (guint j = 0; j < 4; j++)
        pk_gui_settle ();
      g_assert_cmpuint (pk_idle_guard_get_seconds_left (_pk_window_get_idle_guard (f.window)), ==, 0);
      g_assert_true (page_is (f.window, "form"));
    }
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "aaaaaaaaaaaaaa");

  g_assert_true (pk_gui_wait (still_there_shows, f.window, 30));

  pk_gui_fixture_teardown (&f);
}

/* Where a field comes when reading the form: row by row, left to right. */
static int
reading_position (GtkWidget *field_box)
{
  int column, row, width, height;

  gtk_grid_query_child (GTK_GRID (gtk_widget_get_parent (field_box)), field_box,
                        &column, &row, &width, &height);
  return row * 2 + column;
}

static void
test_language_switch (void)
{
  PkGuiFixture f = { 0 };
  PkWelcomePage *welcome;
  PkFormPage *form;
  g_autofree char *title_ko = NULL;
  g_autofree char *title_en = NULL;
  g_autofree char *title_de = NULL;
  g_autofree char *sign_ko = NULL;
  g_autofree char *sign_en = NULL;
  g_autofree char *sign_de = NULL;
  g_autofree char *mo = NULL;
  GtkWidget *given, *family;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  welcome = _pk_window_get_welcome_page (f.window);
  form = _pk_window_get_form_page (f.window);

  /* Through the language buttons' action, as a signer would. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.language", "s", "ko");
  title_ko = g_strdup (_pk_welcome_page_get_title (welcome));
  sign_ko = g_strdup (_pk_welcome_page_get_sign_label (welcome));
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "ko");
  g_assert_cmpstr (sign_ko, ==, _("Sign"));

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.language", "s", "en");
  title_en = g_strdup (_pk_welcome_page_get_title (welcome));
  sign_en = g_strdup (_pk_welcome_page_get_sign_label (welcome));
  g_assert_cmpstr (sign_en, ==, "Sign");

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.language", "s", "de");
  title_de = g_strdup (_pk_welcome_page_get_title (welcome));
  sign_de = g_strdup (_pk_welcome_page_get_sign_label (welcome));
  g_assert_cmpstr (sign_de, ==, _("Sign"));

  /* The petition's own text follows. */
  g_assert_cmpstr (title_ko, ==, pk_petition_get_title (f.petition, "ko"));
  g_assert_cmpstr (title_en, ==, pk_petition_get_title (f.petition, "en"));
  g_assert_cmpstr (title_de, ==, pk_petition_get_title (f.petition, "de"));
  g_assert_cmpstr (title_ko, !=, title_en);
  g_assert_cmpstr (title_en, !=, title_de);

  /* And so does the interface, from the translations the build made. */
  mo = g_build_filename (pk_data_dirs_get_localedir (), "ko", "LC_MESSAGES",
                         GETTEXT_PACKAGE ".mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (sign_ko, !=, sign_en);
  g_assert_cmpstr (sign_de, !=, sign_en);
  g_assert_cmpstr (sign_ko, !=, sign_de);

  /* Korean puts the family name (성) first; English the given name. */
  given = gtk_widget_get_parent (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)));
  family = gtk_widget_get_parent (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)));
  pk_window_set_language (f.window, "ko");
  g_assert_cmpint (reading_position (family), <, reading_position (given));
  pk_window_set_language (f.window, "en");
  g_assert_cmpint (reading_position (given), <, reading_position (family));

  pk_gui_fixture_teardown (&f);
}

static void
test_close_request_refused (void)
{
  PkGuiFixture f = { 0 };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);

  /* What the window manager's close button and Alt+F4 send. */
  gtk_window_close (GTK_WINDOW (f.window));
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f.window)));

  /* Exit is an admin action only. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.exit", NULL);
  pk_gui_settle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));

  /* The organizer's "Exit kiosk" does close it. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.admin", NULL);
  pk_gui_enter_pin (_pk_window_get_pin_page (f.window), PK_TEST_PIN, NULL);
  g_assert_true (page_is (f.window, "admin"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.exit", NULL);
  pk_gui_settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.window)));

  pk_gui_fixture_teardown (&f);
}

static void
test_keys (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);

  /* Escape on the welcome screen and on a filled form changes nothing. */
  pk_gui_key (GTK_WINDOW (f.window), XK_Escape, 0);
  g_assert_true (page_is (f.window, "welcome"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME), "Jiwoo");
  pk_gui_key (GTK_WINDOW (f.window), XK_Escape, 0);
  g_assert_true (page_is (f.window, "form"));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, "Jiwoo");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));

  /* The same path does deliver keys: typing reaches the focused field… */
  gtk_widget_grab_focus (GTK_WIDGET (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)));
  pk_gui_key (GTK_WINDOW (f.window), XK_k, 0);
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_FAMILY_NAME)), ==, "k");

  /* …and the admin shortcut opens the PIN prompt, clearing the form. */
  pk_gui_key (GTK_WINDOW (f.window), XK_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  g_assert_true (page_is (f.window, "pin"));
  g_assert_false (pk_form_page_holds_data (form));
  pk_gui_key (GTK_WINDOW (f.window), XK_Escape, 0);
  g_assert_true (page_is (f.window, "pin"));

  pk_gui_fixture_teardown (&f);
}

static void
test_pad_draws_with_pointer (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  PkSignaturePad *pad;
  PkStrokes *strokes;
  int width, height;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  pad = _pk_form_page_get_pad (form);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_settle ();
  /* The pad is below the fields: scrolled into view, as a signer does. */
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (pad), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    pk_gui_settle ();
  }
  width = gtk_widget_get_width (GTK_WIDGET (pad));
  height = gtk_widget_get_height (GTK_WIDGET (pad));
  g_assert_cmpint (width, >, 100);

  /* A real drag across the pad, as a mouse or a finger makes it. */
  pk_gui_point (GTK_WIDGET (pad), width * 0.2, height * 0.6);
  pk_gui_press (GTK_WIDGET (pad), TRUE);
  for (guint i = 1; i <= 12; i++)
    pk_gui_point (GTK_WIDGET (pad), width * (0.2 + 0.05 * i), height * (0.6 - 0.02 * (i % 4)));
  pk_gui_press (GTK_WIDGET (pad), FALSE);

  strokes = pk_signature_pad_get_strokes (pad);
  g_assert_cmpuint (pk_strokes_get_n_strokes (strokes), ==, 1);
  g_assert_cmpuint (pk_strokes_get_n_points (strokes), >=, 6);
  g_assert_true (pk_form_page_holds_data (form));

  pk_signature_pad_clear (pad);
  g_assert_true (pk_signature_pad_is_empty (pad));

  pk_gui_fixture_teardown (&f);
}
/* The first widget under @root whose action is @action_name. */
static GtkWidget *
find_action_widget (GtkWidget  *root,
                    const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = find_action_widget (child, action_name)) != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Whether a label under @root shows text that holds @needle. */
static gboolean
shows_text (GtkWidget  *root,
            const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), needle) != NULL)
    return gtk_widget_is_visible (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, needle))
      return TRUE;
  return FALSE;
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

/* Focuses @widget and presses the space bar, as a keyboard user does. */
static void
press_space_on (PkWindow  *window,
                GtkWidget *widget)
{
  g_assert_true (gtk_widget_grab_focus (widget));
  pk_gui_key (GTK_WINDOW (window), XK_space, 0);
}

/* The petition's privacy notice opens from the form's link, in the
 * signer's language; its second consent must be ticked too, and what
 * was ticked is saved with the signature. All by key presses. */
static void
test_privacy_and_sensitive_consent (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  GtkWidget *sensitive;
  GtkWidget *privacy;
  GtkWidget *submit;
  AdwMessageDialog *dialog;
  g_autofree char *lang = NULL;
  g_autoptr(PkSignature) saved = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
  pk_gui_settle ();
  g_object_get (form, "language", &lang, NULL);
  sensitive = GTK_WIDGET (_pk_form_page_get_sensitive_consent (form));
  privacy = find_action_widget (GTK_WIDGET (form), "form.show-privacy");
  submit = find_action_widget (GTK_WIDGET (form), "form.submit");
  g_assert_nonnull (privacy);
  g_assert_nonnull (submit);
  g_assert_true (gtk_widget_is_visible (sensitive));

  press_space_on (f.window, privacy);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (shows_text (GTK_WIDGET (dialog), pk_petition_get_privacy_notice (f.petition, lang)));
  g_assert_true (shows_text (GTK_WIDGET (dialog), pk_petition_get_organizer (f.petition, lang)));
  pk_gui_key (GTK_WINDOW (dialog), XK_Escape, 0);
  g_assert_true (pk_gui_wait (no_message_dialog, NULL, 5));

  /* Everything but the second consent: refused there, nothing saved. */
  pk_gui_fill_form (form, "지우", "김", "jiwoo@example.org");
  press_space_on (f.window, sensitive);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (sensitive)));
  press_space_on (f.window, submit);
  g_assert_true (page_is (f.window, "form"));
  g_assert_nonnull (_pk_form_page_get_sensitive_consent_error (form));
  g_assert_null (_pk_form_page_get_error (form, PK_N_FIELDS));
  g_assert_true (gtk_widget_has_focus (sensitive));
  g_assert_cmpint (count_rows (&f, "1"), ==, 0);

  press_space_on (f.window, sensitive);
  g_assert_null (_pk_form_page_get_sensitive_consent_error (form));
  press_space_on (f.window, submit);
  g_assert_true (page_is (f.window, "thank-you"));
  saved = pk_gui_last_signature (&f);
  g_assert_cmpstr (saved->sensitive_consent_hash, ==,
                   pk_petition_get_sensitive_consent_hash (f.petition, lang));

  pk_gui_fixture_teardown (&f);
}

static gboolean
page_is_pin (gpointer data)
{
  return page_is (data, "pin");
}

static void
test_admin_corner_hold (void)
{
  PkGuiFixture f = { 0 };
  GtkWidget *welcome;
  gint64 until;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  welcome = GTK_WIDGET (_pk_window_get_welcome_page (f.window));

  /* A brief touch of the corner does nothing… */
  pk_gui_point (welcome, 30, 30);
  pk_gui_press (welcome, TRUE);
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  pk_gui_press (welcome, FALSE);
  pk_gui_settle ();
  g_assert_true (page_is (f.window, "welcome"));

  /* …holding it for three seconds asks for the PIN. */
  pk_gui_press (welcome, TRUE);
  g_assert_true (pk_gui_wait (page_is_pin, f.window, 10));
  pk_gui_press (welcome, FALSE);

  pk_gui_fixture_teardown (&f);
}

static void
test_wrong_pin (void)
{
  PkGuiFixture f = { 0 };
  PkPinPage *pin;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  pin = _pk_window_get_pin_page (f.window);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.admin", NULL);
  g_assert_true (page_is (f.window, "pin"));
  g_assert_false (pk_pin_page_is_setting_up (pin));

  pk_gui_enter_pin (pin, "1111", NULL);
  g_assert_true (page_is (f.window, "pin"));
  g_assert_nonnull (_pk_pin_page_get_status (pin));

  /* Wrong again and again: now the prompt makes the organizer wait, and
   * during the wait even the right PIN is not taken. */
  pk_gui_enter_pin (pin, "2222", NULL);
  pk_gui_enter_pin (pin, "3333", NULL);
  g_assert_cmpuint (_pk_pin_page_get_wait_left (pin), >, 0);
  g_assert_nonnull (_pk_pin_page_get_status (pin));
  pk_gui_enter_pin (pin, PK_TEST_PIN, NULL);
  g_assert_true (page_is (f.window, "pin"));

  g_assert_true (pk_gui_wait (pin_wait_over, pin, 60));
  pk_gui_enter_pin (pin, PK_TEST_PIN, NULL);
  g_assert_true (page_is (f.window, "admin"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.lock", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.admin", NULL);
  pk_gui_enter_pin (pin, "4444", NULL);
  g_assert_true (page_is (f.window, "pin"));

  /* Cancel returns to the welcome screen, still locked. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.home", NULL);
  g_assert_true (page_is (f.window, "welcome"));

  pk_gui_fixture_teardown (&f);
}

static void
test_first_run_sets_pin (void)
{
  PkGuiFixture f = { 0 };
  PkPinPage *pin;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", FALSE);
  pin = _pk_window_get_pin_page (f.window);

  g_assert_true (page_is (f.window, "pin"));
  g_assert_true (pk_pin_page_is_setting_up (pin));

  pk_gui_enter_pin (pin, "12", "12");
  g_assert_true (page_is (f.window, "pin"));
  pk_gui_enter_pin (pin, "97531", "97530");
  g_assert_true (page_is (f.window, "pin"));

  pk_gui_enter_pin (pin, "97531", "97531");
  g_assert_true (page_is (f.window, "admin"));

  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.lock", NULL);
  g_assert_true (page_is (f.window, "welcome"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.admin", NULL);
  g_assert_false (pk_pin_page_is_setting_up (pin));
  pk_gui_enter_pin (pin, "97531", NULL);
  g_assert_true (page_is (f.window, "admin"));

  pk_gui_fixture_teardown (&f);
}

static void
test_plain_warning (void)
{
  PkGuiFixture f = { 0 };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  g_assert_true (_pk_admin_page_shows_plain_warning (pk_window_get_admin_page (f.window)));
  pk_gui_fixture_teardown (&f);

  pk_gui_fixture_setup (&f, "prisoners-of-conscience-encrypted.petition", TRUE);
  g_assert_false (_pk_admin_page_shows_plain_warning (pk_window_get_admin_page (f.window)));
  pk_gui_fixture_teardown (&f);
}

static void
on_problem_store_opened (PkStoreProblemWindow *window,
                         PkStore              *store,
                         PkStore             **out_store)
{
  g_set_object (out_store, store);
}

static void
test_damaged_database_moved_aside (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) opened = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pk-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *junk = g_strnfill (8192, 'x');
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n_aside = 0;
  GtkWidget *window;

  /* Looks like SQLite at first glance, is not. */
  memcpy (junk, "SQLite format 3", 16);
  g_assert_true (g_file_set_contents (path, junk, 8192, NULL));
  g_assert_null (pk_store_open (path, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);

  window = pk_store_problem_window_new (NULL, path, error);
  g_signal_connect (window, "opened", G_CALLBACK (on_problem_store_opened), &opened);
  gtk_window_present (GTK_WINDOW (window));
  pk_gui_settle ();

  /* Nothing happens to the file until the organizer presses the button. */
  g_assert_null (opened);
  g_assert_true (pk_store_problem_window_move_aside (PK_STORE_PROBLEM_WINDOW (window)));
  g_assert_nonnull (opened);
  g_assert_cmpuint (pk_store_count (opened, NULL), ==, 0);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "kiosk.db.damaged-") && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (g_file_get_contents (aside, &contents, &length, NULL));
        g_assert_cmpmem (contents, length, junk, 8192);
        n_aside++;
      }
  g_assert_cmpuint (n_aside, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&opened);
  pk_gui_settle ();
  g_dir_rewind (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Gui/submit-form", test_submit_form);
  g_test_add_func ("/Pk/Gui/not-saved-keeps-form", test_not_saved_keeps_form);
  g_test_add_func ("/Pk/Gui/thank-you-returns", test_thank_you_returns);
  g_test_add_func ("/Pk/Gui/count-follows-other-writers", test_count_follows_other_writers);
  g_test_add_func ("/Pk/Gui/idle-reset", test_idle_reset);
  g_test_add_func ("/Pk/Gui/still-here-keeps-data", test_still_here_keeps_data);
  g_test_add_func ("/Pk/Gui/typing-postpones-idle", test_typing_postpones_idle);
  g_test_add_func ("/Pk/Gui/language-switch", test_language_switch);
  g_test_add_func ("/Pk/Gui/close-request-refused", test_close_request_refused);
  g_test_add_func ("/Pk/Gui/escape-does-nothing", test_keys);
  g_test_add_func ("/Pk/Gui/pad-draws-with-pointer", test_pad_draws_with_pointer);
  g_test_add_func ("/Pk/Gui/privacy-and-sensitive-consent", test_privacy_and_sensitive_consent);
  g_test_add_func ("/Pk/Gui/admin-corner-hold", test_admin_corner_hold);
  g_test_add_func ("/Pk/Gui/wrong-pin-refused", test_wrong_pin);
  g_test_add_func ("/Pk/Gui/first-run-sets-pin", test_first_run_sets_pin);
  g_test_add_func ("/Pk/Gui/plain-warning", test_plain_warning);
  g_test_add_func ("/Pk/Gui/damaged-database-moved-aside", test_damaged_database_moved_aside);

  return g_test_run ();
}
