/* pk-signer-name.h: a signer's name written as a language writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that puts a given and a family name together, for every
 * screen, message and report that shows a signer's name.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @given and @family (either may be NULL or "") as @lang writes a name:
 * - Korean ("ko"): family name first, and no space between the two when
 *   both are written in Hangul or Han characters, as Korean prints
 *   names (홍길동); a name in Latin letters keeps its space (Kim Minji);
 * - any other language: given name first, then a space, then the
 *   family name.
 * Returns NULL when both are empty. */
char *pk_signer_name_format (const char *given,
                             const char *family,
                             const char *lang);

G_END_DECLS
