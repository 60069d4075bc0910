/* pk-print-layout.h: text and rules on printed pages, for the files that
 * draw them (the signature sheet, flyers); not a public API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is drawn with cairo in PostScript points, text laid out by
 * pango at 72 dpi so that one font point is one unit on the page, with
 * metrics hinting off: a print preview, a PDF and the printer then break
 * lines in the same places.
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* Noto Sans CJK has Hangul and good Latin, so a Korean sheet and a
 * German one share one typeface; fontconfig falls back to Sans where it
 * is missing. */
#define FONT_FAMILY "Noto Sans CJK KR, Sans"
#define MONO_FAMILY "Noto Sans Mono CJK KR, Monospace"

/* 1 mm in points. */
#define MM (72.0 / 25.4)

typedef struct {
  double r, g, b;
} Rgb;

static const Rgb ink     = { 0.10, 0.12, 0.16 };
static const Rgb accent  = { 0.11, 0.25, 0.42 };  /* a deep blue that prints well in grey */
static const Rgb muted   = { 0.38, 0.42, 0.48 };
static const Rgb rule    = { 0.60, 0.65, 0.71 };
static const Rgb tint    = { 0.94, 0.95, 0.97 };
static const Rgb stripe  = { 0.975, 0.98, 0.985 };

/* A layout for one block of text on the page in @lang (which picks the
 * Korean glyph forms): @family, @weight ("" or "Bold") and @size in
 * points; with @width > 0 it wraps at words, and inside a word only
 * when the word is wider than a line. */
PangoLayout *pk_print_layout_new    (cairo_t     *cr,
                                     const char  *lang,
                                     const char  *family,
                                     const char  *weight,
                                     double       size,
                                     double       width);
double       pk_print_layout_height (PangoLayout *layout);
double       pk_print_layout_width  (PangoLayout *layout);
/* Draws @layout with its top left at (@x, @y) in @color. */
void         pk_print_show          (cairo_t     *cr,
                                     PangoLayout *layout,
                                     double       x,
                                     double       y,
                                     const Rgb   *color);
/* Sets Pango @markup, then keeps Korean words whole on a line. */
void         pk_print_set_markup    (PangoLayout *layout,
                                     const char  *markup);
/* The same for plain @text, every character escaped. */
void         pk_print_set_plain     (PangoLayout *layout,
                                     const char  *text);
/* A URL, broken at any character when it must, with no hyphen added. */
void         pk_print_set_url       (PangoLayout *layout,
                                     const char  *url);
void         pk_print_fill_rect     (cairo_t     *cr,
                                     double       x,
                                     double       y,
                                     double       w,
                                     double       h,
                                     const Rgb   *color);
void         pk_print_hline         (cairo_t     *cr,
                                     double       x0,
                                     double       x1,
                                     double       y,
                                     double       width,
                                     const Rgb   *color);
void         pk_print_vline         (cairo_t     *cr,
                                     double       x,
                                     double       y0,
                                     double       y1,
                                     double       width,
                                     const Rgb   *color);
/* A QR code of @text, dark on light, in the square (@x, @y, @size). */
gboolean     pk_print_qr            (cairo_t     *cr,
                                     const char  *text,
                                     double       x,
                                     double       y,
                                     double       size,
                                     GError     **error);
/* PK_SHEETS_ERROR_FAILED when cairo has failed on @cr. */
gboolean     pk_print_check_cairo   (cairo_t     *cr,
                                     GError     **error);
/* PK_SHEETS_ERROR_INVALID unless @lang is a language of the kiosk. */
gboolean     pk_print_check_lang    (const char  *lang,
                                     GError     **error);

G_END_DECLS
