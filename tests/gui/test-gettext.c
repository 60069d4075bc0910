/* test-gettext.c: a kiosk started in English still translates later
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib decides at its first g_dgettext() call whether to translate at
 * all, and on a C.UTF-8 kiosk started in English (for which we ship no
 * catalog) it used to decide never to: after switching to Korean every
 * plural message, and GTK's own strings, stayed in English. This runs
 * the kiosk's own start-up, pk_locale_init(), in a fresh process that
 * has translated nothing yet (no GTK here: it would translate first),
 * under the tests' C.UTF-8 locale and LANGUAGE=en.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pk-data-dirs.h"
#include "pk-language.h"
#include "pk-locale.h"

#define ONE  "For your privacy, this form will be cleared in %u second."
#define MANY "For your privacy, this form will be cleared in %u seconds."

static void
test_plurals_after_switch (void)
{
  g_autofree char *mo = g_build_filename (pk_data_dirs_get_localedir (), "ko", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  /* The build tree's own catalog, found the way the kiosk finds it. */
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  /* English first: nothing to translate. */
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, ONE, MANY, 5), ==, MANY);

  pk_language_apply ("ko");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, ONE, MANY, 5), !=, MANY);
  g_assert_cmpstr (gettext (MANY), ==, MANY);
  g_assert_true (g_utf8_validate (g_dngettext (GETTEXT_PACKAGE, ONE, MANY, 5), -1, NULL));

  pk_language_apply ("de");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, ONE, MANY, 5), !=, MANY);
}

int
main (int   argc,
      char *argv[])
{
  /* Before g_test_init(), which may translate. */
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "en");
  pk_locale_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Gettext/plurals-after-switch", test_plurals_after_switch);

  return g_test_run ();
}
