/* pk-print-layout.c: text and rules on printed pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-print-layout"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-korean-words.h"
#include "pk-print-layout.h"
#include "pk-qr.h"
#include "pk-sheets.h"


PangoLayout *
pk_print_layout_new (cairo_t    *cr,
                     const char *lang,
                     const char *family,
                     const char *weight,
                     double      size,
                     double      width)
{
  g_autoptr(PangoFontDescription) desc = NULL;
  g_autofree char *desc_string = NULL;
  PangoLayout *layout;
  PangoContext *context;
  cairo_font_options_t *options;

  layout = pango_cairo_create_layout (cr);
  context = pango_layout_get_context (layout);
  pango_cairo_context_set_resolution (context, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  /* Pango rounds glyph positions to whole units by default; our unit is
   * a point, so small print would lose its word spaces. */
  pango_context_set_round_glyph_positions (context, FALSE);
  /* The language picks Korean glyph forms. */
  pango_context_set_language (context, pango_language_from_string (lang));
  pango_layout_context_changed (layout);

  desc_string = g_strdup_printf ("%s %s %.2fpx", family, weight, size);
  desc = pango_font_description_from_string (desc_string);
  pango_layout_set_font_description (layout, desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }

  return layout;
}

double
pk_print_layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

double
pk_print_layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

void
pk_print_show (cairo_t     *cr,
               PangoLayout *layout,
               double       x,
               double       y,
               const Rgb   *color)
{
  cairo_save (cr);
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* A printed line may break inside a Korean word only where
 * PANGO_WRAP_WORD_CHAR must: when the word is wider than the line. */
static PangoAttribute *
no_breaks_inside (void)
{
  return pango_attr_allow_breaks_new (FALSE);
}

static void
keep_korean_words (PangoLayout *layout)
{
  PangoAttrList *attrs = pango_layout_get_attributes (layout);
  g_autoptr(PangoAttrList) list = attrs ? pango_attr_list_copy (attrs) : pango_attr_list_new ();

  if (pk_korean_words_mark (list, pango_layout_get_text (layout), no_breaks_inside))
    pango_layout_set_attributes (layout, list);
}

/* Sets @markup on the layout, then applies Korean word breaking. */
void
pk_print_set_markup (PangoLayout *layout,
                     const char  *markup)
{
  pango_layout_set_markup (layout, markup, -1);
  keep_korean_words (layout);
}

/* Sets @text as the layout's markup with every character escaped. */
void
pk_print_set_plain (PangoLayout *layout,
                    const char  *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  pk_print_set_markup (layout, escaped);
}

/* A URL breaks at any character when it must, without the hyphen pango
 * would insert (a reader would type it). */
void
pk_print_set_url (PangoLayout *layout,
                  const char  *url)
{
  g_autoptr(PangoAttrList) list = pango_attr_list_new ();

  pango_attr_list_insert (list, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_text (layout, url, -1);
  pango_layout_set_attributes (layout, list);
  pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);
}

void
pk_print_fill_rect (cairo_t   *cr,
                    double     x,
                    double     y,
                    double     w,
                    double     h,
                    const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
}

void
pk_print_hline (cairo_t   *cr,
                double     x0,
                double     x1,
                double     y,
                double     width,
                const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

void
pk_print_vline (cairo_t   *cr,
                double     x,
                double     y0,
                double     y1,
                double     width,
                const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1);
  cairo_stroke (cr);
}

gboolean
pk_print_qr (cairo_t     *cr,
             const char  *text,
             double       x,
             double       y,
             double       size,
             GError     **error)
{
  g_autoptr(PkQrCode) qr = pk_qr_code_new (text, error);

  if (qr == NULL)
    return FALSE;

  pk_qr_code_draw (qr, cr, x, y, size, FALSE);
  return TRUE;
}

gboolean
pk_print_check_cairo (cairo_t  *cr,
                      GError  **error)
{
  cairo_status_t status = cairo_status (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_FAILED,
               _("Could not draw the page: %s"), cairo_status_to_string (status));
  return FALSE;
}

gboolean
pk_print_check_lang (const char  *lang,
                     GError     **error)
{
  if (lang != NULL && pk_language_is_supported (lang))
    return TRUE;

  g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
               _("“%s” is not a language of the kiosk; use ko, en or de."),
               lang ? lang : "");
  return FALSE;
}

