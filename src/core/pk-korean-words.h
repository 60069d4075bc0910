/* pk-korean-words.h: Korean lines break between words, never inside one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

/* Korean separates words with spaces, and a reader expects a line to
 * break between words, never inside one (CSS's "word-break: keep-all").
 * Unicode (UAX #14) allows a break between any two Hangul syllables, so
 * Pango would split words across lines. This inserts into @attrs, for
 * each space-delimited word of @text that holds Hangul, an attribute
 * made by @new_attr over the word's bytes: pango_attr_word_new for a
 * GTK label (Pango then breaks around the word, and inside it only when
 * it is wider than a whole line), or one that forbids breaks inside it
 * for a printed page laid out with PANGO_WRAP_WORD_CHAR. Returns
 * whether any word was marked. */
gboolean pk_korean_words_mark (PangoAttrList    *attrs,
                               const char       *text,
                               PangoAttribute *(*new_attr) (void));

G_END_DECLS
