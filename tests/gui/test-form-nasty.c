/* test-form-nasty.c: known-nasty text typed into the real kiosk form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/security/test-nasty-input.c drives the core API and the CLI; this
 * drives the form a signer actually uses, in-process under Xvfb: each
 * value goes into the real entries and the real submit runs. Refused
 * text must show an inline error at its field, write nothing and keep
 * what was typed; accepted text must be stored exactly (NFC-normalized).
 *
 * Two of the inputs cannot reach the form at all, and are not
 * pretended here: a GtkEditable holds a NUL-terminated, valid UTF-8
 * string, so a NUL byte ends the text where it stands and invalid UTF-8
 * is rejected by GTK before the form sees it (gtk_editable_set_text()
 * takes a const char * and GtkEntryBuffer refuses non-UTF-8 input). Both
 * are tested through the core API and the CLI in tests/security and
 * through `import` in tests/paper.
 */
#define G_LOG_DOMAIN "test-form-nasty"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-normalize.h"

static char *
repeat (const char *unit,
        gsize       bytes)
{
  GString *str = g_string_new (NULL);

  while (str->len < bytes)
    g_string_append (str, unit);
  return g_string_free (str, FALSE);
}

static gint64
count_rows (PkGuiFixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  /* A separate, read-only connection: what is on disk. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM signatures", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
open_form (PkGuiFixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.home", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.sign", NULL);
  pk_gui_settle ();
  g_assert_cmpstr (pk_window_get_visible_page (fixture->window), ==, "form");
}

static void
test_refused (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *huge_email = repeat ("a", 100 * 1024);
  g_autofree char *huge_comment = repeat ("가", 100 * 1024);
  g_autofree char *huge_latin = repeat ("A", 100 * 1024);
  g_autofree char *huge_hangul = repeat ("김", 100 * 1024);
  const struct {
    PkField     field;
    const char *value;
  } cases[] = {
    /* "Ali" + RIGHT-TO-LEFT OVERRIDE: would display reversed on every list. */
    { PK_FIELD_GIVEN_NAME, "Ali\u202Eecila" },
    { PK_FIELD_FAMILY_NAME, "\u2067Kim\u2069" },
    /* Control characters: BEL, an ANSI escape, DEL. */
    { PK_FIELD_GIVEN_NAME, "Kim\aLee" },
    { PK_FIELD_FAMILY_NAME, "\x1b[31mRed" },
    { PK_FIELD_GIVEN_NAME, "Kim\x7f" "Lee" },
    /* 100 kB pasted: no entry cuts it short, the validator refuses it. */
    { PK_FIELD_GIVEN_NAME, huge_latin },
    { PK_FIELD_FAMILY_NAME, huge_hangul },
    { PK_FIELD_EMAIL, huge_email },
    { PK_FIELD_COMMENT, huge_comment },
  };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkEditable *entry = _pk_form_page_get_entry (form, cases[i].field);
      g_autofree char *typed = NULL;

      g_test_message ("case %u: field %d", i, cases[i].field);
      open_form (&f);
      pk_form_page_reset (form);
      pk_gui_fill_form (form, "Jiwoo", "Kim", "jiwoo@example.org");
      gtk_editable_set_text (entry, cases[i].value);
      typed = g_strdup (gtk_editable_get_text (entry));
      /* The form sets no max-length. GtkEntryBuffer itself holds at
       * most 65535 characters, so 100 kB of ASCII arrives cut there:
       * still far over every limit, so refused, never stored shortened. */
      g_assert_true (g_str_has_prefix (cases[i].value, typed));
      g_assert_true (strlen (typed) == strlen (cases[i].value) || strlen (typed) > PK_MAX_INPUT_BYTES);
      pk_gui_press_submit (form);

      g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "form");
      g_assert_nonnull (_pk_form_page_get_error (form, cases[i].field));
      g_assert_true (g_utf8_validate (_pk_form_page_get_error (form, cases[i].field), -1, NULL));
      g_assert_cmpint (count_rows (&f), ==, 0);
      /* Kept as typed, so the signer can see and correct it (strcmp:
       * a failed cmpstr would print 100 kB). */
      g_assert_true (strcmp (gtk_editable_get_text (entry), typed) == 0);
      g_assert_true (pk_form_page_holds_data (form));
      g_assert_false (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));
    }

  pk_gui_fixture_teardown (&f);
}

/* A 100 kB name, pasted, is refused in the signer's language at its
 * field, and so is one character over the limit: the form never cuts a
 * name short and saves it changed (it used to, at 200 characters). Once
 * shortened to the limit, the same form is saved exactly. */
static void
test_huge_name_refused (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  g_autofree char *huge = repeat ("가", 100 * 1024);
  g_autofree char *just_over = repeat ("a", PK_MAX_NAME_CHARS + 1);
  g_autofree char *just_right = repeat ("b", PK_MAX_NAME_CHARS);
  const struct {
    const char *lang;
    PkField     field;
    const char *message;
  } cases[] = {
    { "en", PK_FIELD_GIVEN_NAME, "This is too long: at most 200 characters, please." },
    { "ko", PK_FIELD_FAMILY_NAME, "너무 길어요. 200자 이내로 입력해 주세요." },
    { "de", PK_FIELD_GIVEN_NAME, "Das ist zu lang: bitte höchstens 200 Zeichen." },
  };
  g_autoptr(PkSignature) sig = NULL;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkEditable *entry = _pk_form_page_get_entry (form, cases[i].field);
      g_autofree char *typed = NULL;

      g_test_message ("%s: field %d", cases[i].lang, cases[i].field);
      open_form (&f);
      pk_window_set_language (f.window, cases[i].lang);
      pk_gui_fill_form (form, "Jiwoo", "Kim", "long@example.org");
      gtk_editable_set_text (entry, huge);
      /* Not cut to 200 characters by the form: GtkEntryBuffer keeps up
       * to 64 KiB of it, still far over the limit. */
      typed = g_strdup (gtk_editable_get_text (entry));
      g_assert_true (g_str_has_prefix (huge, typed));
      g_assert_cmpuint (strlen (typed), >, PK_MAX_INPUT_BYTES);
      pk_gui_press_submit (form);

      g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "form");
      g_assert_cmpstr (_pk_form_page_get_error (form, cases[i].field), ==, cases[i].message);
      g_assert_cmpint (count_rows (&f), ==, 0);
      g_assert_true (strcmp (gtk_editable_get_text (entry), typed) == 0);
      g_assert_false (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));

      gtk_editable_set_text (entry, just_over);
      pk_gui_press_submit (form);
      g_assert_cmpstr (_pk_form_page_get_error (form, cases[i].field), ==, cases[i].message);
      g_assert_cmpint (count_rows (&f), ==, 0);
    }

  /* Shortened to the limit, the same form goes through. */
  gtk_editable_set_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME), just_right);
  pk_gui_press_submit (form);
  g_assert_null (_pk_form_page_get_error (form, PK_FIELD_GIVEN_NAME));
  g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "thank-you");
  g_assert_cmpint (count_rows (&f), ==, 1);
  sig = pk_gui_last_signature (&f);
  g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, just_right);

  pk_gui_fixture_teardown (&f);
}

static void
test_saved_exactly (void)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;
  const struct {
    const char *given;
    const char *family;
    const char *expected_given;
    const char *expected_family;
  } cases[] = {
    /* Zero-width joiners: a family emoji and Devanagari conjunct. */
    { "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\u0915\u094D\u200D\u0937",
      "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\u0915\u094D\u200D\u0937" },
    /* Decomposed Hangul (conjoining jamo for 지우 김) stored NFC: the
     * precomposed syllables, so it deduplicates with a typed 김. */
    { "\u110C\u1175\u110B\u116E", "\u1100\u1175\u11B7", "지우", "김" },
    /* Emoji, with a skin-tone modifier and a variation selector. */
    { "\U0001F33B Sunny", "\U0001F44D\U0001F3FD\u2764\uFE0F", "\U0001F33B Sunny",
      "\U0001F44D\U0001F3FD\u2764\uFE0F" },
    /* SQL-looking: bound as a parameter, so it is just a name. */
    { "Robert'); DROP TABLE signatures;--", "O'Brien \" OR 1=1 --",
      "Robert'); DROP TABLE signatures;--", "O'Brien \" OR 1=1 --" },
    /* Formula-looking: stored as typed; exports neutralize it, not the
     * store (tests/security covers the exported cell). */
    { "=HYPERLINK(\"http://evil.example\",\"x\")", "+1-2@SUM(A1)",
      "=HYPERLINK(\"http://evil.example\",\"x\")", "+1-2@SUM(A1)" },
    /* A pasted tab or line break is whitespace, not a control character:
     * it collapses to one space, by design (pk-normalize.c). */
    { "Two\nLines", "Tab\tbed", "Two Lines", "Tab bed" },
  };

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  form = _pk_window_get_form_page (f.window);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *email = g_strdup_printf ("nasty%u@example.org", i);
      g_autoptr(PkSignature) sig = NULL;

      g_test_message ("case %u: %s %s", i, cases[i].given, cases[i].family);
      open_form (&f);
      pk_form_page_reset (form);
      pk_gui_fill_form (form, cases[i].given, cases[i].family, email);
      pk_gui_press_submit (form);
      g_assert_null (_pk_form_page_get_failure (form));
      g_assert_null (_pk_form_page_get_error (form, PK_FIELD_GIVEN_NAME));
      g_assert_null (_pk_form_page_get_error (form, PK_FIELD_FAMILY_NAME));
      g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "thank-you");
      g_assert_cmpint (count_rows (&f), ==, i + 1);

      sig = pk_gui_last_signature (&f);
      g_assert_cmpstr (sig->fields[PK_FIELD_GIVEN_NAME], ==, cases[i].expected_given);
      g_assert_cmpstr (sig->fields[PK_FIELD_FAMILY_NAME], ==, cases[i].expected_family);
      g_assert_cmpstr (sig->fields[PK_FIELD_EMAIL], ==, email);
    }

  pk_gui_fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Gui/Nasty/refused-at-field", test_refused);
  g_test_add_func ("/Pk/Gui/Nasty/huge-name-refused", test_huge_name_refused);
  g_test_add_func ("/Pk/Gui/Nasty/saved-exactly", test_saved_exactly);

  return g_test_run ();
}
