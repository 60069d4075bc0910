/* pk-sheet-page.c: the printed signature sheet, one page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The layout decisions (what happens to a long petition text, the
 * serial, line numbers) are described in docs/paper.md.
 */
#define G_LOG_DOMAIN "pk-sheet-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-keys.h"
#include "pk-language-scope.h"
#include "pk-print-layout.h"
#include "pk-sheets.h"

/* The smallest body size we shrink a long petition text to before cutting
 * it: below 7 pt older signers can no longer read it. */
#define TEXT_SIZE_MAX 9.5
#define TEXT_SIZE_MIN 7.0

/* A signature line needs at least this height (about 9 mm) to sign in,
 * and more than 16 mm only wastes paper. */
#define ROW_MIN (9.0 * MM)
#define ROW_MAX (16.0 * MM)


typedef struct {
  const char *label;  /* translated */
  double      weight; /* share of the flexible width */
} Column;

/* Cuts @layout's text after the last line with text that ends within
 * @max_height and ends it with an ellipsis, so the reader sees that it
 * goes on. (Pango's own height limit may cut at a blank line between
 * paragraphs, where its ellipsis is invisible.) */
static void
cut_to_height (PangoLayout *layout,
               double       max_height)
{
  int limit = (int) (max_height * PANGO_SCALE);

  /* Adding the ellipsis can push a line over; then cut a line earlier. */
  while (pango_layout_get_line_count (layout) > 1 && pk_print_layout_height (layout) > max_height)
    {
      PangoLayoutIter *iter = pango_layout_get_iter (layout);
      const char *current = pango_layout_get_text (layout);
      int end = 0;
      g_autoptr(GString) cut = NULL;

      do
        {
          PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
          PangoRectangle logical;

          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          if (logical.y + logical.height > limit)
            break;
          for (int i = line->start_index; i < line->start_index + line->length; i++)
            if (!g_ascii_isspace (current[i]))
              {
                end = line->start_index + line->length;
                break;
              }
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);

      /* Not even the first line fits: show it anyway rather than nothing. */
      if (end == 0)
        break;

      cut = g_string_new_len (current, end);
      while (cut->len > 0 && g_ascii_isspace (cut->str[cut->len - 1]))
        g_string_truncate (cut, cut->len - 1);
      /* Drop the word cut in half by the ellipsis' own room next time. */
      if (g_str_has_suffix (cut->str, "…"))
        {
          g_string_truncate (cut, cut->len - strlen ("…"));
          while (cut->len > 0 && g_ascii_isspace (cut->str[cut->len - 1]))
            g_string_truncate (cut, cut->len - 1);
          while (cut->len > 0 && !g_ascii_isspace (cut->str[cut->len - 1]))
            g_string_truncate (cut, cut->len - 1);
          while (cut->len > 0 && g_ascii_isspace (cut->str[cut->len - 1]))
            g_string_truncate (cut, cut->len - 1);
        }
      /* "hat. …" after a full sentence, "Men…" inside one. */
      if (cut->len > 0 && g_ascii_ispunct (cut->str[cut->len - 1]))
        g_string_append_c (cut, ' ');
      g_string_append (cut, "…");
      if (g_str_equal (cut->str, current))
        break;
      pk_print_set_plain (layout, cut->str);
    }
}

/* Lays out the petition text into at most @budget points of height:
 * first at the regular size, then a step smaller at a time down to
 * TEXT_SIZE_MIN, and if even that does not fit, cut at the last whole
 * line that fits, ending in an ellipsis and followed by a note that the
 * full text is online (the QR code beside it leads there). The table of
 * signature lines always keeps its room. Returns the height used. */
static double
draw_petition_text (cairo_t    *cr,
                    PkPetition *petition,
                    const char *lang,
                    double      x,
                    double      y,
                    double      width,
                    double      budget)
{
  const char *text = pk_petition_get_text (petition, lang);
  g_autoptr(PangoLayout) layout = NULL;
  double size;

  if (text == NULL || *text == '\0' || budget <= 0)
    return 0;

  for (size = TEXT_SIZE_MAX; size >= TEXT_SIZE_MIN; size -= 0.5)
    {
      g_clear_object (&layout);
      layout = pk_print_layout_new (cr, lang, FONT_FAMILY, "", size, width);
      pango_layout_set_spacing (layout, (int) (size * 0.25 * PANGO_SCALE));
      pk_print_set_plain (layout, text);
      if (pk_print_layout_height (layout) <= budget)
        {
          pk_print_show (cr, layout, x, y, &ink);
          return pk_print_layout_height (layout);
        }
    }

  {
    g_autoptr(PangoLayout) note = pk_print_layout_new (cr, lang, FONT_FAMILY, "Bold",
                                                       TEXT_SIZE_MIN, width);
    g_autofree char *short_url = pk_sheets_short_url (pk_petition_get_url (petition));
    g_autofree char *note_text = g_strdup_printf (_("The full text is online: %s"), short_url);
    double note_h;
    double text_h;

    pk_print_set_plain (note, note_text);
    note_h = pk_print_layout_height (note);

    g_clear_object (&layout);
    layout = pk_print_layout_new (cr, lang, FONT_FAMILY, "", TEXT_SIZE_MIN, width);
    pango_layout_set_spacing (layout, (int) (TEXT_SIZE_MIN * 0.25 * PANGO_SCALE));
    pk_print_set_plain (layout, text);
    cut_to_height (layout, budget - note_h - 2);
    text_h = pk_print_layout_height (layout);

    pk_print_show (cr, layout, x, y, &ink);
    pk_print_show (cr, note, x, y + text_h + 2, &accent);
    return text_h + 2 + note_h;
  }
}

static void
draw_tick_box (cairo_t *cr,
               double   cx,
               double   cy)
{
  double s = 3.6 * MM;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, cx - s / 2, cy - s / 2, s, s);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, ink.r, ink.g, ink.b);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
}

/* The fingerprint of the coordinator the details are sealed to, small
 * under the serial: whoever transcribes the sheet can check it against
 * the one admin shows (docs/security.md, seventh adversary). Nothing in
 * plain mode. */
static void
draw_coordinator_fingerprint (cairo_t    *cr,
                              PkPetition *petition,
                              const char *lang,
                              double      right,
                              double      top)
{
  const guint8 *key = pk_petition_get_coordinator_key (petition);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *text = NULL;

  if (key == NULL)
    return;
  fingerprint = pk_key_fingerprint (key);
  /* Translators: printed small on signature sheets; %s is a key
   * fingerprint such as ABCD-EFGH-… */
  text = g_strdup_printf (_("Coordinator %s"), fingerprint);
  layout = pk_print_layout_new (cr, lang, MONO_FAMILY, "", 5.5, -1);
  pk_print_set_plain (layout, text);
  pk_print_show (cr, layout, right - pk_print_layout_width (layout), top, &muted);
}

/* The boxed text above the signature lines: the petition's own privacy
 * notice (or the neutral one), who the organizer is, and the consent, in
 * that order, so that a consent naming "the organizer on this form"
 * finds it above; then the separate sensitive-data consent when the
 * petition has one. A signature on a line gives them (the transcription
 * and the import record both). */
static char *
privacy_markup (PkPetition *petition,
                const char *lang)
{
  const char *sensitive = pk_petition_get_sensitive_consent_text (petition, lang);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b> %s\n<b>%s</b> %s\n<b>%s</b> %s",
                                                     _("Privacy notice."),
                                                     pk_petition_get_privacy_notice (petition, lang),
                                                     _("Organizer:"),
                                                     pk_petition_get_organizer (petition, lang),
                                                     _("Consent:"),
                                                     pk_petition_get_consent_text (petition, lang));

  g_autofree char *sensitive_markup = NULL;

  if (sensitive == NULL)
    return g_steal_pointer (&markup);

  sensitive_markup = g_markup_printf_escaped ("\n<b>%s</b> %s\n<b>%s</b>",
                                              _("Separate consent to sensitive data:"), sensitive,
                                              _("Your signature on a line below gives both consents."));
  return g_strconcat (markup, sensitive_markup, NULL);
}

/* The page's measures, and what the parts drawn so far leave for the
 * next (a part is drawn below the one before it). */
typedef struct {
  cairo_t    *cr;
  PkPetition *petition;
  const char *lang;
  double      x0;          /* the left edge of the content */
  double      content_w;
  const char *serial;
  const char *short_url;
} Sheet;

#define SHEET_MARGIN_X      (14 * MM)
#define SHEET_MARGIN_TOP    (12 * MM)
#define SHEET_MARGIN_BOTTOM (10 * MM)
#define SHEET_QR_SIZE       (32 * MM)
#define SHEET_QR_GAP        (6 * MM)
#define SHEET_SERIAL_QR     (19 * MM)
#define SHEET_FOOTER_H      SHEET_SERIAL_QR
#define SHEET_HEADER_ROW    (9 * MM)
#define SHEET_NO_W          (8 * MM)
#define SHEET_TICK_W        (17 * MM)

/* The kicker line: what this paper is, and its serial for filing, over
 * a rule. Returns the top of what follows. */
static double
draw_kicker (Sheet *sheet)
{
  cairo_t *cr = sheet->cr;
  double x0 = sheet->x0;
  double y = SHEET_MARGIN_TOP;
  g_autoptr(PangoLayout) kicker = pk_print_layout_new (cr, sheet->lang, FONT_FAMILY, "Bold", 7.5, -1);
  g_autoptr(PangoLayout) serial_layout = pk_print_layout_new (cr, sheet->lang, MONO_FAMILY, "Bold", 8, -1);
  g_autofree char *kicker_text = g_utf8_strup (_("Petition · Signature sheet"), -1);
  g_autofree char *kicker_markup = g_markup_printf_escaped ("<span letter_spacing=\"1200\">%s</span>",
                                                            kicker_text);
  g_autofree char *serial_text = g_strdup_printf (_("Sheet %s"), sheet->serial);

  pk_print_set_markup (kicker, kicker_markup);
  pk_print_show (cr, kicker, x0, y, &accent);
  pk_print_set_plain (serial_layout, serial_text);
  pk_print_show (cr, serial_layout, x0 + sheet->content_w - pk_print_layout_width (serial_layout), y, &muted);
  y += MAX (pk_print_layout_height (kicker), pk_print_layout_height (serial_layout)) + 1.5 * MM;
  pk_print_hline (cr, x0, x0 + sheet->content_w, y, 1.6, &accent);
  return y + 4 * MM;
}

/* The online petition's QR code at the top right from @y, with the
 * URL under it; *@out_bottom is the bottom of the URL. */
static gboolean
draw_online_code (Sheet   *sheet,
                  double   y,
                  double  *out_bottom,
                  GError **error)
{
  cairo_t *cr = sheet->cr;
  double x0 = sheet->x0;
  double content_w = sheet->content_w;
  g_autoptr(PangoLayout) caption = NULL;
  g_autoptr(PangoLayout) url_layout = NULL;
  double cx = x0 + content_w - SHEET_QR_SIZE - 2 * MM;
  double cy = y - 2 * MM + SHEET_QR_SIZE - 1 * MM;

  if (!pk_print_qr (cr, pk_petition_get_url (sheet->petition), x0 + content_w - SHEET_QR_SIZE, y - 2 * MM,
                    SHEET_QR_SIZE, error))
    return FALSE;
  caption = pk_print_layout_new (cr, sheet->lang, FONT_FAMILY, "Bold", 7.5, SHEET_QR_SIZE + 4 * MM);
  url_layout = pk_print_layout_new (cr, sheet->lang, FONT_FAMILY, "", 6.5, SHEET_QR_SIZE + 4 * MM);
  pango_layout_set_alignment (caption, PANGO_ALIGN_CENTER);
  pango_layout_set_alignment (url_layout, PANGO_ALIGN_CENTER);
  pk_print_set_plain (caption, _("Or sign online"));
  pk_print_set_url (url_layout, sheet->short_url);
  pk_print_show (cr, caption, cx, cy, &accent);
  cy += pk_print_layout_height (caption);
  pk_print_show (cr, url_layout, cx, cy, &muted);
  *out_bottom = cy + pk_print_layout_height (url_layout);
  return TRUE;
}

/* The title beside the QR code, from @y. Returns the top of what
 * follows. */
static double
draw_title (Sheet  *sheet,
            double  y)
{
  double left_w = sheet->content_w - SHEET_QR_SIZE - SHEET_QR_GAP;
  g_autoptr(PangoLayout) title = pk_print_layout_new (sheet->cr, sheet->lang, FONT_FAMILY, "Bold", 17, left_w);

  pango_layout_set_spacing (title, (int) (1.5 * PANGO_SCALE));
  pk_print_set_plain (title, pk_petition_get_title (sheet->petition, sheet->lang));
  pk_print_show (sheet->cr, title, sheet->x0, y, &ink);
  return y + pk_print_layout_height (title) + 2.5 * MM;
}

/* The petition's text from @text_top and the privacy box under it.
 * Everything below the text has a fixed or computable height; the text
 * gets what is left once the table has its minimum. Returns the top of
 * the table. */
static double
draw_text_and_privacy (Sheet  *sheet,
                       double  text_top,
                       double  qr_block_bottom,
                       double  footer_top)
{
  cairo_t *cr = sheet->cr;
  double x0 = sheet->x0;
  double content_w = sheet->content_w;
  double left_w = content_w - SHEET_QR_SIZE - SHEET_QR_GAP;
  g_autoptr(PangoLayout) privacy = pk_print_layout_new (cr, sheet->lang, FONT_FAMILY, "", 6.6, content_w - 6 * MM);
  g_autofree char *markup = privacy_markup (sheet->petition, sheet->lang);
  double privacy_h;
  double text_budget;
  double header_bottom;
  double y;

  pk_print_set_markup (privacy, markup);
  pango_layout_set_spacing (privacy, (int) (0.8 * PANGO_SCALE));
  privacy_h = pk_print_layout_height (privacy) + 5 * MM;

  text_budget = footer_top - 4 * MM
                - (SHEET_HEADER_ROW + PK_SHEET_LINES * ROW_MIN) - 4 * MM
                - privacy_h - 4 * MM
                - text_top;
  /* Beside the QR code the text may run down into the QR caption's
   * height; it never needs less room than that. */
  text_budget = MAX (text_budget, qr_block_bottom - text_top);

  y = text_top + draw_petition_text (cr, sheet->petition, sheet->lang, x0, text_top, left_w, text_budget);
  header_bottom = MAX (y, qr_block_bottom) + 4 * MM;

  pk_print_fill_rect (cr, x0, header_bottom, content_w, privacy_h, &tint);
  pk_print_fill_rect (cr, x0, header_bottom, 1.2, privacy_h, &accent);
  pk_print_show (cr, privacy, x0 + 3.5 * MM, header_bottom + 2.5 * MM, &ink);
  return header_bottom + privacy_h + 4 * MM;
}

/* The white heading of one column, centred or from its left edge,
 * vertically centred in the header band at @table_top. */
static void
draw_column_heading (Sheet      *sheet,
                     const char *label,
                     double      size,
                     double      x,
                     double      w,
                     gboolean    centred,
                     double      table_top)
{
  g_autoptr(PangoLayout) layout = pk_print_layout_new (sheet->cr, sheet->lang, FONT_FAMILY, "Bold", size, w);

  if (centred)
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pk_print_set_plain (layout, label);
  pk_print_show (sheet->cr, layout, x, table_top + (SHEET_HEADER_ROW - pk_print_layout_height (layout)) / 2,
                 &(Rgb) { 1, 1, 1 });
}

/* The header band of the table at @table_top: line number, the
 * petition's columns, the opt-in tick. The x of every column's edge is
 * appended to @edges. */
static void
draw_table_header (Sheet  *sheet,
                   double  table_top,
                   GArray *edges)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  double flex_w = sheet->content_w - SHEET_NO_W - SHEET_TICK_W;
  double total_weight = 0;
  double cx = sheet->x0;

  g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Name (given and family name)"), 1.25 }, sizeof (Column)));
  g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Address or postal code"), 1.25 }, sizeof (Column)));
  if (pk_petition_has_field (sheet->petition, PK_FIELD_EMAIL))
    g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Email (optional)"), 1.05 }, sizeof (Column)));
  g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Signature"), 1.0 }, sizeof (Column)));
  for (guint i = 0; i < columns->len; i++)
    total_weight += ((Column *) columns->pdata[i])->weight;

  pk_print_fill_rect (sheet->cr, sheet->x0, table_top, sheet->content_w, SHEET_HEADER_ROW, &accent);
  g_array_append_val (edges, cx);
  draw_column_heading (sheet, _("No."), 7, cx, SHEET_NO_W, TRUE, table_top);
  cx += SHEET_NO_W;
  g_array_append_val (edges, cx);
  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = columns->pdata[i];
      double w = flex_w * column->weight / total_weight;

      draw_column_heading (sheet, column->label, 7, cx + 1.5 * MM, w - 3 * MM, FALSE, table_top);
      cx += w;
      g_array_append_val (edges, cx);
    }
  draw_column_heading (sheet, _("Keep me informed"), 6.5, cx + 1 * MM, SHEET_TICK_W - 2 * MM, TRUE, table_top);
  cx += SHEET_TICK_W;
  g_array_append_val (edges, cx);
}

/* The table of signature lines from @table_top, rows @row_h high. */
static void
draw_table (Sheet  *sheet,
            double  table_top,
            double  row_h)
{
  cairo_t *cr = sheet->cr;
  double x0 = sheet->x0;
  double content_w = sheet->content_w;
  double table_bottom = table_top + SHEET_HEADER_ROW + PK_SHEET_LINES * row_h;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (double));

  draw_table_header (sheet, table_top, edges);

  /* Lines, with every other one lightly tinted so that a signer's hand
   * stays on its row. */
  for (guint line = 1; line <= PK_SHEET_LINES; line++)
    {
      double ry = table_top + SHEET_HEADER_ROW + (line - 1) * row_h;
      g_autoptr(PangoLayout) no = pk_print_layout_new (cr, sheet->lang, FONT_FAMILY, "Bold", 9, SHEET_NO_W);
      g_autofree char *no_text = g_strdup_printf ("%u", line);

      if (line % 2 == 0)
        pk_print_fill_rect (cr, x0, ry, content_w, row_h, &stripe);
      pango_layout_set_alignment (no, PANGO_ALIGN_CENTER);
      pk_print_set_plain (no, no_text);
      pk_print_show (cr, no, x0, ry + (row_h - pk_print_layout_height (no)) / 2, &muted);
      draw_tick_box (cr, x0 + content_w - SHEET_TICK_W / 2, ry + row_h / 2);
      pk_print_hline (cr, x0, x0 + content_w, ry + row_h, 0.5, &rule);
    }

  for (guint i = 1; i + 1 < edges->len; i++)
    pk_print_vline (cr, g_array_index (edges, double, i), table_top + SHEET_HEADER_ROW, table_bottom, 0.5, &rule);
  cairo_set_source_rgb (cr, accent.r, accent.g, accent.b);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0, table_top, content_w, table_bottom - table_top);
  cairo_stroke (cr);
}

/* The footer from @footer_top: where the sheet goes back to, and its
 * serial as text and as a small QR code that a scanner types into the
 * transcription screen. */
static gboolean
draw_footer (Sheet   *sheet,
             double   footer_top,
             GError **error)
{
  cairo_t *cr = sheet->cr;
  const char *lang = sheet->lang;
  double x0 = sheet->x0;
  double content_w = sheet->content_w;
  double serial_right = x0 + content_w - SHEET_SERIAL_QR;
  g_autoptr(PangoLayout) label = NULL;
  g_autoptr(PangoLayout) serial_layout = NULL;
  g_autoptr(PangoLayout) notes = NULL;
  g_autofree char *notes_markup = NULL;

  pk_print_hline (cr, x0, x0 + content_w, footer_top - 2 * MM, 0.5, &rule);
  if (!pk_print_qr (cr, sheet->serial, x0 + content_w - SHEET_SERIAL_QR + 2 * MM, footer_top, SHEET_SERIAL_QR,
                    error))
    return FALSE;

  label = pk_print_layout_new (cr, lang, FONT_FAMILY, "", 6.5, -1);
  serial_layout = pk_print_layout_new (cr, lang, MONO_FAMILY, "Bold", 10, -1);
  notes = pk_print_layout_new (cr, lang, FONT_FAMILY, "", 7, content_w - SHEET_SERIAL_QR - 52 * MM);
  pk_print_set_plain (label, _("Sheet serial"));
  pk_print_set_plain (serial_layout, sheet->serial);
  pk_print_show (cr, label, serial_right - pk_print_layout_width (label), footer_top + 4 * MM, &muted);
  pk_print_show (cr, serial_layout, serial_right - pk_print_layout_width (serial_layout),
                 footer_top + 4 * MM + pk_print_layout_height (label), &ink);
  draw_coordinator_fingerprint (cr, sheet->petition, lang, serial_right,
                                footer_top + 4.5 * MM + pk_print_layout_height (label)
                                + pk_print_layout_height (serial_layout));

  notes_markup = g_markup_printf_escaped ("%s\n<b>%s</b> %s",
                                          _("Please sign only once, and only with your own name. A line that is not signed is not counted."),
                                          _("Please return this sheet, even if it is not full, to:"),
                                          pk_petition_get_organizer (sheet->petition, lang));
  pk_print_set_markup (notes, notes_markup);
  pango_layout_set_spacing (notes, (int) (0.8 * PANGO_SCALE));
  pk_print_show (cr, notes, x0, footer_top + 1 * MM, &muted);
  return TRUE;
}

static gboolean
draw_sheet (PkPetition  *petition,
            const char  *lang,
            cairo_t     *cr,
            double       width,
            double       height,
            guint        number,
            GError     **error)
{
  g_autofree char *serial = pk_sheet_serial_format (petition, number);
  g_autofree char *short_url = pk_sheets_short_url (pk_petition_get_url (petition));
  Sheet sheet = { cr, petition, lang, SHEET_MARGIN_X, width - 2 * SHEET_MARGIN_X, serial, short_url };
  double footer_top = height - SHEET_MARGIN_BOTTOM - SHEET_FOOTER_H;
  double qr_block_bottom;
  double table_top;
  double row_h;
  double y;
  gboolean ok;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  y = draw_kicker (&sheet);
  ok = draw_online_code (&sheet, y, &qr_block_bottom, error);
  if (ok)
    {
      y = draw_title (&sheet, y);
      table_top = draw_text_and_privacy (&sheet, y, qr_block_bottom, footer_top);
      /* The table of signature lines fills the room down to the footer. */
      row_h = (footer_top - 4 * MM - table_top - SHEET_HEADER_ROW) / PK_SHEET_LINES;
      row_h = CLAMP (row_h, ROW_MIN, ROW_MAX);
      draw_table (&sheet, table_top, row_h);
      ok = draw_footer (&sheet, footer_top, error);
    }

  cairo_restore (cr);
  return ok && pk_print_check_cairo (cr, error);
}

gboolean
pk_sheets_draw_sheet (PkPetition  *petition,
                      const char  *lang,
                      cairo_t     *cr,
                      double       width,
                      double       height,
                      guint        number,
                      GError     **error)
{
  PkLanguageScope scope;
  gboolean ok;

  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pk_print_check_lang (lang, error))
    return FALSE;
  if (number < 1 || number > PK_SHEET_MAX_NUMBER)
    {
      g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
                   _("Sheet numbers run from 1 to %u."), (guint) PK_SHEET_MAX_NUMBER);
      return FALSE;
    }

  pk_language_scope_enter (&scope, lang);
  ok = draw_sheet (petition, lang, cr, width, height, number, error);
  pk_language_scope_leave (&scope);

  return ok;
}

