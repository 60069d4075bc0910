/* pk-count-text.h: a count in words, in the plural form of the language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translation of @singular or @plural, the form gettext picks for
 * @n in the current language, with @n in digits put in for its first
 * %s and the strings that follow (a NULL-terminated list) for the
 * next ones: pk_count_text (n, "Wrote %s signature to %s", "Wrote %s
 * signatures to %s", path, NULL). The count is a string in the msgids
 * so that one catalog entry serves any integer type; translations may
 * reorder with %1$s, %2$s. The phrases may hold only %s conversions
 * and %%: anything else is copied as it stands, so a wrong translation
 * can garble its own text but never read memory it should not.
 * po/meson.build gives xgettext the keyword pk_count_text:2,3. */
char *pk_count_text (gint64      n,
                     const char *singular,
                     const char *plural,
                     ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
