/* pk-language.h: switching the kiosk's language while it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes gettext answer in @lang ("ko", "en" or "de") from now on. The
 * caller must then set every visible string again: widgets never
 * re-translate themselves. */
void        pk_language_apply       (const char *lang);
/* Marks the text of every label under @root, @root included, as
 * written in @lang. Pango then picks one font made for that language
 * for a whole line instead of patching Hangul into a Latin font glyph
 * by glyph: lines are shaped in a few runs instead of one per word,
 * and Hanja in a Korean text take their Korean forms. Labels showing
 * another language, like the language buttons, are tagged again by
 * their owner afterwards. */
void        pk_language_tag_labels  (GtkWidget  *root,
                                     const char *lang);
/* The kiosk language gettext answers in for this process's environment
 * (LANGUAGE, LC_MESSAGES, LANG): "ko", "en" or "de"; "en" when none of
 * them is one of those. For windows, like the coordinator's, that follow
 * the desktop's language rather than a signer's choice. */
const char *pk_language_from_environment (void);
/* The language's own name, for its button: "한국어", "English", "Deutsch". */
const char *pk_language_native_name (const char *lang);
/* @label as a screen reader should say it, without its mnemonic: the
 * underscore goes, and so does a "(_C)" added after a Korean or other
 * non-Latin text ("배치 닫기(_C)…" → "배치 닫기…"). "__" stays "_". */
char       *pk_language_strip_mnemonic (const char *label);
/* Sets @button's label @label, mnemonic and all, and names it for
 * screen readers once, without the mnemonic: GTK 4.8 names a button by
 * its raw label property followed by its label widget's text, so that
 * "배치 닫기(_C)…" was read as "배치 닫기(_C)… 배치 닫기(C)…". */
void        pk_language_set_button_label (GtkButton  *button,
                                          const char *label);

G_END_DECLS
