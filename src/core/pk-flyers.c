/* pk-flyers.c: a page of flyers to cut apart, each with the petition's
 * QR code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-flyers"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-language-scope.h"
#include "pk-print-layout.h"
#include "pk-sheets.h"

#define FLYER_COLUMNS 2
#define FLYER_ROWS    (PK_FLYERS_PER_PAGE / FLYER_COLUMNS)

/* The URL across the card's whole width @inner_w, on one line if at
 * all possible: it is meant to be typed. */
static PangoLayout *
flyer_url_layout (cairo_t    *cr,
                  const char *lang,
                  const char *short_url,
                  double      inner_w)
{
  PangoLayout *layout = NULL;

  for (double size = 10; ; size -= 0.5)
    {
      g_clear_object (&layout);
      layout = pk_print_layout_new (cr, lang, FONT_FAMILY, "Bold", size, inner_w);
      pk_print_set_url (layout, short_url);
      if (pango_layout_get_line_count (layout) == 1 || size <= 6.5)
        return layout;
    }
}

/* The title, shrunk until it fits in @room beside the code, and at the
 * smallest size cut with an ellipsis. */
static PangoLayout *
flyer_title_layout (cairo_t    *cr,
                    PkPetition *petition,
                    const char *lang,
                    double      text_w,
                    double      room)
{
  PangoLayout *title = NULL;

  for (double size = 15; ; size -= 1)
    {
      g_clear_object (&title);
      title = pk_print_layout_new (cr, lang, FONT_FAMILY, "Bold", size, text_w);
      pk_print_set_plain (title, pk_petition_get_title (petition, lang));
      if (pk_print_layout_height (title) <= room)
        return title;
      if (size <= 9)
        {
          pango_layout_set_height (title, (int) (room * PANGO_SCALE));
          pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
          return title;
        }
    }
}

/* The summary at (@x, @y), when one is set and at least two lines of
 * it fit in @room: a single cut-off line says nothing. */
static void
draw_flyer_summary (cairo_t    *cr,
                    PkPetition *petition,
                    const char *lang,
                    double      x,
                    double      y,
                    double      w,
                    double      room)
{
  const char *summary = pk_petition_get_summary (petition, lang);
  g_autoptr(PangoLayout) layout = NULL;

  if (summary == NULL || *summary == '\0')
    return;
  layout = pk_print_layout_new (cr, lang, FONT_FAMILY, "", 7.5, w);
  pk_print_set_plain (layout, summary);
  pango_layout_set_height (layout, (int) (room * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  if (pango_layout_get_line_count (layout) >= 2 && pk_print_layout_height (layout) <= room)
    pk_print_show (cr, layout, x, y, &muted);
}

static gboolean
draw_flyer_card (PkPetition  *petition,
                 const char  *lang,
                 cairo_t     *cr,
                 double       x,
                 double       y,
                 double       w,
                 double       h,
                 GError     **error)
{
  /* Generous padding: a card cut a millimetre off its mark still keeps
   * all of its content. */
  const double pad = 6 * MM;
  const double inner_w = w - 2 * pad;
  const char *url = pk_petition_get_url (petition);
  g_autofree char *short_url = pk_sheets_short_url (url);
  g_autofree char *kicker_text = g_utf8_strup (_("Petition"), -1);
  g_autofree char *kicker_markup = g_markup_printf_escaped ("<span letter_spacing=\"1200\">%s</span>",
                                                            kicker_text);
  g_autoptr(PangoLayout) kicker = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) call = pk_print_layout_new (cr, lang, FONT_FAMILY, "", 7.5, inner_w);
  g_autoptr(PangoLayout) url_layout = flyer_url_layout (cr, lang, short_url, inner_w);
  double bottom_h;
  double qr;
  double text_x, text_w;
  double ty;

  pk_print_set_plain (call, _("Scan the code with your phone, or visit:"));
  bottom_h = pk_print_layout_height (call) + pk_print_layout_height (url_layout);

  /* The code above that strip on the left; its quiet zone is white, so
   * it may reach into the padding. */
  qr = MIN (h - 2 * pad - bottom_h - 1 * MM + 2 * MM, w * 0.44);
  if (!pk_print_qr (cr, url, x + pad - 2 * MM, y + pad - 2 * MM, qr, error))
    return FALSE;
  text_x = x + pad + qr - 2 * MM;
  text_w = x + w - pad - text_x;

  kicker = pk_print_layout_new (cr, lang, FONT_FAMILY, "Bold", 6.5, text_w);
  pk_print_set_markup (kicker, kicker_markup);
  title = flyer_title_layout (cr, petition, lang, text_w, qr - 4 * MM - pk_print_layout_height (kicker) - 1.5 * MM);

  ty = y + pad;
  pk_print_show (cr, kicker, text_x, ty, &accent);
  ty += pk_print_layout_height (kicker) + 1.5 * MM;
  pk_print_show (cr, title, text_x, ty, &ink);
  ty += pk_print_layout_height (title) + 2 * MM;
  draw_flyer_summary (cr, petition, lang, text_x, ty, text_w, y + h - pad - bottom_h - 2 * MM - ty);

  ty = y + h - pad - bottom_h;
  pk_print_show (cr, call, x + pad, ty, &muted);
  pk_print_show (cr, url_layout, x + pad, ty + pk_print_layout_height (call), &accent);

  return TRUE;
}

static void
draw_cut_marks (cairo_t *cr,
                double   x0,
                double   y0,
                double   w,
                double   h)
{
  const double gap = 2 * MM;
  const double len = 5 * MM;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.3);
  for (guint c = 0; c <= FLYER_COLUMNS; c++)
    {
      double x = x0 + c * w / FLYER_COLUMNS;

      cairo_move_to (cr, x, y0 - gap);
      cairo_line_to (cr, x, y0 - gap - len);
      cairo_move_to (cr, x, y0 + h + gap);
      cairo_line_to (cr, x, y0 + h + gap + len);
    }
  for (guint r = 0; r <= FLYER_ROWS; r++)
    {
      double y = y0 + r * h / FLYER_ROWS;

      cairo_move_to (cr, x0 - gap, y);
      cairo_line_to (cr, x0 - gap - len, y);
      cairo_move_to (cr, x0 + w + gap, y);
      cairo_line_to (cr, x0 + w + gap + len, y);
    }
  cairo_stroke (cr);
}

/* The marks sit in the margin, outside the cards, so that no mark is
 * left on a card after cutting. */
#define FLYER_MARGIN (12 * MM)

void
pk_flyers_get_card (double  width,
                    double  height,
                    guint   index,
                    double *out_x,
                    double *out_y,
                    double *out_w,
                    double *out_h)
{
  double card_w = (width - 2 * FLYER_MARGIN) / FLYER_COLUMNS;
  double card_h = (height - 2 * FLYER_MARGIN) / FLYER_ROWS;

  g_return_if_fail (index < PK_FLYERS_PER_PAGE);

  *out_x = FLYER_MARGIN + (index % FLYER_COLUMNS) * card_w;
  *out_y = FLYER_MARGIN + (index / FLYER_COLUMNS) * card_h;
  *out_w = card_w;
  *out_h = card_h;
}

gboolean
pk_flyers_draw_page (PkPetition  *petition,
                     const char  *lang,
                     cairo_t     *cr,
                     double       width,
                     double       height,
                     GError     **error)
{
  PkLanguageScope scope;
  gboolean ok = TRUE;

  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pk_print_check_lang (lang, error))
    return FALSE;

  pk_language_scope_enter (&scope, lang);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint i = 0; ok && i < PK_FLYERS_PER_PAGE; i++)
    {
      double x, y, w, h;

      pk_flyers_get_card (width, height, i, &x, &y, &w, &h);
      ok = draw_flyer_card (petition, lang, cr, x, y, w, h, error);
    }
  if (ok)
    draw_cut_marks (cr, FLYER_MARGIN, FLYER_MARGIN, width - 2 * FLYER_MARGIN, height - 2 * FLYER_MARGIN);
  cairo_restore (cr);
  pk_language_scope_leave (&scope);

  return ok && pk_print_check_cairo (cr, error);
}

