/* pk-language-scope.h: translating in another language for a while
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes gettext answer in @lang ("ko") from now on, or, with NULL, in
 * the languages of the locale (LANGUAGE unset). GNU gettext honours
 * LANGUAGE on every lookup whenever the locale is not plain C, once
 * told that the catalogs changed; this sets it and tells it. The only
 * place that switches LANGUAGE: the kiosk's language
 * (pk_language_apply()) and every scope below go through it. */
void pk_language_switch (const char *lang);

/* What pk_language_scope_enter() replaced, for pk_language_scope_leave(). */
typedef struct {
  char     *saved;
  gboolean  had_value;
  char     *saved_messages_locale;
} PkLanguageScope;

/* Makes gettext answer in @lang ("ko") until pk_language_scope_leave():
 * a sheet is printed, or a country name on a typed-up sheet is read, in
 * the sheet's language, which need not be the one the program runs in.
 * GNU gettext honours LANGUAGE on every lookup once told that the
 * catalogs changed, so the scope switches it and puts it back. Under the
 * plain C locale (a script's LC_ALL=C, or no locale at all) gettext
 * ignores LANGUAGE, so for the scope messages then follow C.UTF-8, which
 * translates only what LANGUAGE asks for. The
 * environment is process-wide: use it on the thread that runs the main
 * loop, without returning to the loop before leaving. */
void pk_language_scope_enter (PkLanguageScope *scope,
                              const char      *lang);
void pk_language_scope_leave (PkLanguageScope *scope);

G_END_DECLS
