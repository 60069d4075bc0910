/* pk-language.h: switching the kiosk's language while it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes gettext answer in @lang ("ko", "en" or "de") from now on. The
 * caller must then set every visible string again: widgets never
 * re-translate themselves. */
void        pk_language_apply       (const char *lang);
/* The language's own name, for its button: "한국어", "English", "Deutsch". */
const char *pk_language_native_name (const char *lang);

G_END_DECLS
