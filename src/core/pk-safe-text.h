/* pk-safe-text.h: text from hostile files, made safe for a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @text (valid UTF-8) holds no control character (C0, DEL,
 * C1), no bidirectional formatting character (marks, embeddings,
 * overrides, isolates) and no line or paragraph separator. */
gboolean  pk_safe_text_is_clean (const char *text);
/* A copy of @text, made valid UTF-8, with each character that
 * pk_safe_text_is_clean() refuses written as <U+XXXX>; line feeds are
 * kept when @keep_newlines. */
char     *pk_safe_text_escape   (const char *text,
                                 gboolean    keep_newlines);

G_END_DECLS
