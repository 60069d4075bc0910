/* pk-sheets.c: printed signature sheets and flyers, as vector pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is drawn with cairo in PostScript points, text laid out by
 * pango at 72 dpi so that one font point is one unit on the page, with
 * metrics hinting off: a print preview, a PDF and the printer then break
 * lines in the same places. The layout decisions (what happens to a
 * long petition text, the serial format, line numbers) are described in
 * docs/paper.md.
 */
#define G_LOG_DOMAIN "pk-sheets"

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "pk-atomic.h"
#include "pk-keys.h"
#include "pk-language-scope.h"
#include "pk-qr.h"
#include "pk-sheets.h"

G_DEFINE_QUARK (pk-sheets-error-quark, pk_sheets_error)

/* Noto Sans CJK has Hangul and good Latin, so a Korean sheet and a
 * German one share one typeface; fontconfig falls back to Sans where it
 * is missing. */
#define FONT_FAMILY "Noto Sans CJK KR, Sans"
#define MONO_FAMILY "Noto Sans Mono CJK KR, Monospace"

/* 1 mm in points. */
#define MM (72.0 / 25.4)

/* The smallest body size we shrink a long petition text to before cutting
 * it: below 7 pt older signers can no longer read it. */
#define TEXT_SIZE_MAX 9.5
#define TEXT_SIZE_MIN 7.0

/* A signature line needs at least this height (about 9 mm) to sign in,
 * and more than 16 mm only wastes paper. */
#define ROW_MIN (9.0 * MM)
#define ROW_MAX (16.0 * MM)

typedef struct {
  double r, g, b;
} Rgb;

static const Rgb ink     = { 0.10, 0.12, 0.16 };
static const Rgb accent  = { 0.11, 0.25, 0.42 };  /* a deep blue that prints well in grey */
static const Rgb muted   = { 0.38, 0.42, 0.48 };
static const Rgb rule    = { 0.60, 0.65, 0.71 };
static const Rgb tint    = { 0.94, 0.95, 0.97 };
static const Rgb stripe  = { 0.975, 0.98, 0.985 };

gboolean
pk_paper_from_string (const char *name,
                      PkPaper    *out_paper)
{
  g_return_val_if_fail (out_paper != NULL, FALSE);

  if (g_ascii_strcasecmp (name ? name : "", "a4") == 0)
    *out_paper = PK_PAPER_A4;
  else if (g_ascii_strcasecmp (name ? name : "", "letter") == 0)
    *out_paper = PK_PAPER_LETTER;
  else
    return FALSE;

  return TRUE;
}

void
pk_paper_get_size (PkPaper  paper,
                   double  *out_width,
                   double  *out_height)
{
  switch (paper)
    {
    case PK_PAPER_LETTER:
      *out_width = 8.5 * 72;
      *out_height = 11 * 72;
      break;
    case PK_PAPER_A4:
    default:
      *out_width = 210 * MM;
      *out_height = 297 * MM;
      break;
    }
}

static char *
petition_tag (PkPetition *petition)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                           pk_petition_get_id (petition), -1);

  digest[6] = '\0';
  return g_ascii_strup (digest, -1);
}

char *
pk_sheet_serial_format (PkPetition *petition,
                        guint       number)
{
  g_autofree char *tag = NULL;

  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (number >= 1 && number <= PK_SHEET_MAX_NUMBER, NULL);

  tag = petition_tag (petition);
  return g_strdup_printf ("PK-%s-%06u", tag, number);
}

static gboolean
parse_number (const char *digits,
              guint      *out_number)
{
  guint64 value = 0;

  if (*digits == '\0' || strlen (digits) > 6)
    return FALSE;
  for (const char *c = digits; *c; c++)
    {
      if (!g_ascii_isdigit (*c))
        return FALSE;
      value = value * 10 + (guint) (*c - '0');
    }
  if (value < 1 || value > PK_SHEET_MAX_NUMBER)
    return FALSE;

  *out_number = (guint) value;
  return TRUE;
}

char *
pk_sheet_serial_parse (PkPetition  *petition,
                       const char  *text,
                       guint       *out_number,
                       GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *tag = NULL;
  guint number = 0;

  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  clean = g_ascii_strup (text, -1);
  g_strstrip (clean);
  tag = petition_tag (petition);

  /* "PK-TTTTTT-NNNNNN", or the bare number. */
  if (strlen (clean) == 16 && g_str_has_prefix (clean, "PK-") && clean[9] == '-')
    {
      if (memcmp (clean + 3, tag, 6) != 0)
        {
          g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
                       _("Sheet %s belongs to another petition."), clean);
          return NULL;
        }
      if (!parse_number (clean + 10, &number))
        number = 0;
    }
  else if (!parse_number (clean, &number))
    number = 0;

  if (number == 0)
    {
      g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
                   _("“%s” is not a sheet number: type the serial printed at the foot of the sheet, such as PK-%s-000042, or just its number."),
                   text, tag);
      return NULL;
    }

  if (out_number != NULL)
    *out_number = number;
  return pk_sheet_serial_format (petition, number);
}

const char *
pk_sheets_default_lang (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = 0; j < PK_N_LANGUAGES; j++)
      if (g_str_equal (names[i], pk_languages[j]))
        return pk_languages[j];

  return "en";
}

char *
pk_sheets_short_url (const char *url)
{
  const char *start;
  gsize len;

  g_return_val_if_fail (url != NULL, NULL);

  start = url;
  if (g_ascii_strncasecmp (start, "https://", 8) == 0)
    start += 8;
  else if (g_ascii_strncasecmp (start, "http://", 7) == 0)
    start += 7;
  len = strlen (start);
  if (len > 1 && start[len - 1] == '/')
    len--;

  return g_strndup (start, len);
}

/* ----- text helpers ---------------------------------------------------- */

static PangoLayout *
make_layout (cairo_t    *cr,
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

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
show_layout (cairo_t     *cr,
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

static gboolean
is_hangul (gunichar c)
{
  return (c >= 0xAC00 && c <= 0xD7A3)   /* syllables */
      || (c >= 0x1100 && c <= 0x11FF)   /* jamo */
      || (c >= 0x3130 && c <= 0x318F);  /* compatibility jamo */
}

/* Korean is set with spaces between words, and Korean typography breaks
 * lines only there ("keep-all"); pango follows UAX #14, which would break
 * between any two syllables and split words across lines. Forbid breaks
 * inside every space-delimited word that holds Hangul. A word too long
 * for a whole line still breaks, as PANGO_WRAP_WORD_CHAR allows. */
static void
keep_korean_words (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  PangoAttrList *attrs = pango_layout_get_attributes (layout);
  g_autoptr(PangoAttrList) list = attrs ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
  const char *p = text;
  gboolean changed = FALSE;

  while (*p != '\0')
    {
      const char *start;
      gboolean hangul = FALSE;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        {
          hangul |= is_hangul (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
        }
      if (hangul && p > start)
        {
          PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

          attr->start_index = (guint) (start - text);
          attr->end_index = (guint) (p - text);
          pango_attr_list_insert (list, attr);
          changed = TRUE;
        }
    }

  if (changed)
    pango_layout_set_attributes (layout, list);
}

/* Sets @markup on the layout, then applies Korean word breaking. */
static void
set_markup (PangoLayout *layout,
            const char  *markup)
{
  pango_layout_set_markup (layout, markup, -1);
  keep_korean_words (layout);
}

/* Sets @text as the layout's markup with every character escaped. */
static void
set_plain (PangoLayout *layout,
           const char  *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  set_markup (layout, escaped);
}

/* A URL breaks at any character when it must, without the hyphen pango
 * would insert (a reader would type it). */
static void
set_url (PangoLayout *layout,
         const char  *url)
{
  g_autoptr(PangoAttrList) list = pango_attr_list_new ();

  pango_attr_list_insert (list, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_text (layout, url, -1);
  pango_layout_set_attributes (layout, list);
  pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);
}

static void
fill_rect (cairo_t   *cr,
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

static void
hline (cairo_t   *cr,
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

static void
vline (cairo_t   *cr,
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

static gboolean
draw_qr (cairo_t     *cr,
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

static gboolean
check_cairo (cairo_t  *cr,
             GError  **error)
{
  cairo_status_t status = cairo_status (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_FAILED,
               _("Could not draw the page: %s"), cairo_status_to_string (status));
  return FALSE;
}

static gboolean
check_lang (const char  *lang,
            GError     **error)
{
  if (lang != NULL && pk_language_is_supported (lang))
    return TRUE;

  g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
               _("“%s” is not a language of the kiosk; use ko, en or de."),
               lang ? lang : "");
  return FALSE;
}

/* ----- the signature sheet ---------------------------------------------- */

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
  while (pango_layout_get_line_count (layout) > 1 && layout_height (layout) > max_height)
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
      set_plain (layout, cut->str);
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
      layout = make_layout (cr, lang, FONT_FAMILY, "", size, width);
      pango_layout_set_spacing (layout, (int) (size * 0.25 * PANGO_SCALE));
      set_plain (layout, text);
      if (layout_height (layout) <= budget)
        {
          show_layout (cr, layout, x, y, &ink);
          return layout_height (layout);
        }
    }

  {
    g_autoptr(PangoLayout) note = make_layout (cr, lang, FONT_FAMILY, "Bold",
                                               TEXT_SIZE_MIN, width);
    g_autofree char *short_url = pk_sheets_short_url (pk_petition_get_url (petition));
    g_autofree char *note_text = g_strdup_printf (_("The full text is online: %s"), short_url);
    double note_h;
    double text_h;

    set_plain (note, note_text);
    note_h = layout_height (note);

    g_clear_object (&layout);
    layout = make_layout (cr, lang, FONT_FAMILY, "", TEXT_SIZE_MIN, width);
    pango_layout_set_spacing (layout, (int) (TEXT_SIZE_MIN * 0.25 * PANGO_SCALE));
    set_plain (layout, text);
    cut_to_height (layout, budget - note_h - 2);
    text_h = layout_height (layout);

    show_layout (cr, layout, x, y, &ink);
    show_layout (cr, note, x, y + text_h + 2, &accent);
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
  layout = make_layout (cr, lang, MONO_FAMILY, "", 5.5, -1);
  set_plain (layout, text);
  show_layout (cr, layout, right - layout_width (layout), top, &muted);
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

static gboolean
draw_sheet (PkPetition  *petition,
            const char  *lang,
            cairo_t     *cr,
            double       width,
            double       height,
            guint        number,
            GError     **error)
{
  const double margin_x = 14 * MM;
  const double margin_top = 12 * MM;
  const double margin_bottom = 10 * MM;
  const double content_w = width - 2 * margin_x;
  const double qr_size = 32 * MM;
  const double qr_gap = 6 * MM;
  const double left_w = content_w - qr_size - qr_gap;
  const double serial_qr = 19 * MM;
  const double footer_h = serial_qr;
  const double header_row = 9 * MM;
  const char *url = pk_petition_get_url (petition);
  g_autofree char *serial = pk_sheet_serial_format (petition, number);
  g_autofree char *short_url = pk_sheets_short_url (url);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  gboolean has_email = pk_petition_has_field (petition, PK_FIELD_EMAIL);
  double x0 = margin_x;
  double y;
  double qr_block_bottom;
  double privacy_h;
  double table_top;
  double row_h;
  double footer_top;
  double text_budget;
  double text_top;
  double header_bottom;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* Kicker line: what this paper is, and its serial for filing. */
  y = margin_top;
  {
    g_autoptr(PangoLayout) kicker = make_layout (cr, lang, FONT_FAMILY, "Bold", 7.5, -1);
    g_autoptr(PangoLayout) serial_layout = make_layout (cr, lang, MONO_FAMILY, "Bold", 8, -1);
    g_autofree char *kicker_text = g_utf8_strup (_("Petition · Signature sheet"), -1);
    g_autofree char *kicker_markup = g_markup_printf_escaped ("<span letter_spacing=\"1200\">%s</span>",
                                                             kicker_text);
    g_autofree char *serial_text = g_strdup_printf (_("Sheet %s"), serial);

    set_markup (kicker, kicker_markup);
    show_layout (cr, kicker, x0, y, &accent);
    set_plain (serial_layout, serial_text);
    show_layout (cr, serial_layout, x0 + content_w - layout_width (serial_layout), y, &muted);
    y += MAX (layout_height (kicker), layout_height (serial_layout)) + 1.5 * MM;
  }
  hline (cr, x0, x0 + content_w, y, 1.6, &accent);
  y += 4 * MM;

  /* The online petition's QR code at the top right, with the URL. */
  if (!draw_qr (cr, url, x0 + content_w - qr_size, y - 2 * MM, qr_size, error))
    goto out;
  {
    g_autoptr(PangoLayout) caption = make_layout (cr, lang, FONT_FAMILY, "Bold", 7.5, qr_size + 4 * MM);
    g_autoptr(PangoLayout) url_layout = make_layout (cr, lang, FONT_FAMILY, "", 6.5, qr_size + 4 * MM);
    double cx = x0 + content_w - qr_size - 2 * MM;
    double cy = y - 2 * MM + qr_size - 1 * MM;

    pango_layout_set_alignment (caption, PANGO_ALIGN_CENTER);
    pango_layout_set_alignment (url_layout, PANGO_ALIGN_CENTER);
    set_plain (caption, _("Or sign online"));
    set_url (url_layout, short_url);
    show_layout (cr, caption, cx, cy, &accent);
    cy += layout_height (caption);
    show_layout (cr, url_layout, cx, cy, &muted);
    qr_block_bottom = cy + layout_height (url_layout);
  }

  /* Title. */
  {
    g_autoptr(PangoLayout) title = make_layout (cr, lang, FONT_FAMILY, "Bold", 17, left_w);

    pango_layout_set_spacing (title, (int) (1.5 * PANGO_SCALE));
    set_plain (title, pk_petition_get_title (petition, lang));
    show_layout (cr, title, x0, y, &ink);
    y += layout_height (title) + 2.5 * MM;
  }
  text_top = y;

  /* Everything below the text has a fixed or computable height; the
   * text gets what is left once the table has its minimum. */
  {
    g_autoptr(PangoLayout) privacy = make_layout (cr, lang, FONT_FAMILY, "", 6.6, content_w - 6 * MM);
    g_autofree char *markup = privacy_markup (petition, lang);

    set_markup (privacy, markup);
    pango_layout_set_spacing (privacy, (int) (0.8 * PANGO_SCALE));
    privacy_h = layout_height (privacy) + 5 * MM;

    footer_top = height - margin_bottom - footer_h;
    text_budget = footer_top - 4 * MM
                  - (header_row + PK_SHEET_LINES * ROW_MIN) - 4 * MM
                  - privacy_h - 4 * MM
                  - text_top;
    /* Beside the QR code the text may run down into the QR caption's
     * height; it never needs less room than that. */
    text_budget = MAX (text_budget, qr_block_bottom - text_top);

    y = text_top + draw_petition_text (cr, petition, lang, x0, text_top, left_w, text_budget);
    header_bottom = MAX (y, qr_block_bottom) + 4 * MM;

    fill_rect (cr, x0, header_bottom, content_w, privacy_h, &tint);
    fill_rect (cr, x0, header_bottom, 1.2, privacy_h, &accent);
    show_layout (cr, privacy, x0 + 3.5 * MM, header_bottom + 2.5 * MM, &ink);
    table_top = header_bottom + privacy_h + 4 * MM;
  }

  /* The table of signature lines fills the room down to the footer. */
  row_h = (footer_top - 4 * MM - table_top - header_row) / PK_SHEET_LINES;
  row_h = CLAMP (row_h, ROW_MIN, ROW_MAX);
  {
    const double no_w = 8 * MM;
    const double tick_w = 17 * MM;
    double flex_w = content_w - no_w - tick_w;
    double total_weight = 0;
    double cx;
    double table_bottom = table_top + header_row + PK_SHEET_LINES * row_h;
    g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (double));

    g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Name (given and family name)"), 1.25 }, sizeof (Column)));
    g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Address or postal code"), 1.25 }, sizeof (Column)));
    if (has_email)
      g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Email (optional)"), 1.05 }, sizeof (Column)));
    g_ptr_array_add (columns, g_memdup2 (&(Column) { _("Signature"), 1.0 }, sizeof (Column)));
    for (guint i = 0; i < columns->len; i++)
      total_weight += ((Column *) columns->pdata[i])->weight;

    /* Header band. */
    fill_rect (cr, x0, table_top, content_w, header_row, &accent);
    cx = x0;
    g_array_append_val (edges, cx);
    {
      g_autoptr(PangoLayout) no = make_layout (cr, lang, FONT_FAMILY, "Bold", 7, no_w);

      pango_layout_set_alignment (no, PANGO_ALIGN_CENTER);
      set_plain (no, _("No."));
      show_layout (cr, no, cx, table_top + (header_row - layout_height (no)) / 2,
                   &(Rgb) { 1, 1, 1 });
      cx += no_w;
      g_array_append_val (edges, cx);
    }
    for (guint i = 0; i < columns->len; i++)
      {
        Column *column = columns->pdata[i];
        double w = flex_w * column->weight / total_weight;
        g_autoptr(PangoLayout) label = make_layout (cr, lang, FONT_FAMILY, "Bold", 7, w - 3 * MM);

        set_plain (label, column->label);
        show_layout (cr, label, cx + 1.5 * MM, table_top + (header_row - layout_height (label)) / 2,
                     &(Rgb) { 1, 1, 1 });
        cx += w;
        g_array_append_val (edges, cx);
      }
    {
      g_autoptr(PangoLayout) label = make_layout (cr, lang, FONT_FAMILY, "Bold", 6.5, tick_w - 2 * MM);

      pango_layout_set_alignment (label, PANGO_ALIGN_CENTER);
      set_plain (label, _("Keep me informed"));
      show_layout (cr, label, cx + 1 * MM, table_top + (header_row - layout_height (label)) / 2,
                   &(Rgb) { 1, 1, 1 });
      cx += tick_w;
      g_array_append_val (edges, cx);
    }

    /* Lines, with every other one lightly tinted so that a signer's hand
     * stays on its row. */
    for (guint line = 1; line <= PK_SHEET_LINES; line++)
      {
        double ry = table_top + header_row + (line - 1) * row_h;
        g_autoptr(PangoLayout) no = make_layout (cr, lang, FONT_FAMILY, "Bold", 9, no_w);
        g_autofree char *no_text = g_strdup_printf ("%u", line);

        if (line % 2 == 0)
          fill_rect (cr, x0, ry, content_w, row_h, &stripe);
        pango_layout_set_alignment (no, PANGO_ALIGN_CENTER);
        set_plain (no, no_text);
        show_layout (cr, no, x0, ry + (row_h - layout_height (no)) / 2, &muted);
        draw_tick_box (cr, x0 + content_w - tick_w / 2, ry + row_h / 2);
        hline (cr, x0, x0 + content_w, ry + row_h, 0.5, &rule);
      }

    for (guint i = 1; i + 1 < edges->len; i++)
      vline (cr, g_array_index (edges, double, i), table_top + header_row, table_bottom, 0.5, &rule);
    cairo_set_source_rgb (cr, accent.r, accent.g, accent.b);
    cairo_set_line_width (cr, 1.0);
    cairo_rectangle (cr, x0, table_top, content_w, table_bottom - table_top);
    cairo_stroke (cr);
  }

  /* Footer: where the sheet goes back to, and its serial as text and as
   * a small QR code that a scanner types into the transcription screen. */
  hline (cr, x0, x0 + content_w, footer_top - 2 * MM, 0.5, &rule);
  if (!draw_qr (cr, serial, x0 + content_w - serial_qr + 2 * MM, footer_top, serial_qr, error))
    goto out;
  {
    g_autoptr(PangoLayout) label = make_layout (cr, lang, FONT_FAMILY, "", 6.5, -1);
    g_autoptr(PangoLayout) serial_layout = make_layout (cr, lang, MONO_FAMILY, "Bold", 10, -1);
    g_autoptr(PangoLayout) notes = make_layout (cr, lang, FONT_FAMILY, "", 7,
                                                content_w - serial_qr - 52 * MM);
    g_autofree char *notes_markup = NULL;
    double serial_right = x0 + content_w - serial_qr;

    set_plain (label, _("Sheet serial"));
    set_plain (serial_layout, serial);
    show_layout (cr, label, serial_right - layout_width (label), footer_top + 4 * MM, &muted);
    show_layout (cr, serial_layout, serial_right - layout_width (serial_layout),
                 footer_top + 4 * MM + layout_height (label), &ink);
    draw_coordinator_fingerprint (cr, petition, lang, serial_right,
                                  footer_top + 4.5 * MM + layout_height (label) + layout_height (serial_layout));

    notes_markup = g_markup_printf_escaped ("%s\n<b>%s</b> %s",
                                            _("Please sign only once, and only with your own name. A line that is not signed is not counted."),
                                            _("Please return this sheet, even if it is not full, to:"),
                                            pk_petition_get_organizer (petition, lang));
    set_markup (notes, notes_markup);
    pango_layout_set_spacing (notes, (int) (0.8 * PANGO_SCALE));
    show_layout (cr, notes, x0, footer_top + 1 * MM, &muted);
  }

out:
  cairo_restore (cr);
  if (error != NULL && *error != NULL)
    return FALSE;
  return check_cairo (cr, error);
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

  if (!check_lang (lang, error))
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

/* ----- flyers ----------------------------------------------------------- */

#define FLYER_COLUMNS 2
#define FLYER_ROWS    (PK_FLYERS_PER_PAGE / FLYER_COLUMNS)

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
  const char *summary = pk_petition_get_summary (petition, lang);
  g_autofree char *short_url = pk_sheets_short_url (url);
  g_autofree char *kicker_text = g_utf8_strup (_("Petition"), -1);
  g_autofree char *kicker_markup = g_markup_printf_escaped ("<span letter_spacing=\"1200\">%s</span>",
                                                           kicker_text);
  g_autoptr(PangoLayout) kicker = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) call = make_layout (cr, lang, FONT_FAMILY, "", 7.5, inner_w);
  g_autoptr(PangoLayout) url_layout = NULL;
  double url_size;
  double title_size;
  double bottom_h;
  double qr;
  double text_x, text_w;
  double ty;

  set_plain (call, _("Scan the code with your phone, or visit:"));

  /* The URL across the card's whole width, on one line if at all
   * possible: it is meant to be typed. */
  for (url_size = 10; ; url_size -= 0.5)
    {
      g_clear_object (&url_layout);
      url_layout = make_layout (cr, lang, FONT_FAMILY, "Bold", url_size, inner_w);
      set_url (url_layout, short_url);
      if (pango_layout_get_line_count (url_layout) == 1 || url_size <= 6.5)
        break;
    }
  bottom_h = layout_height (call) + layout_height (url_layout);

  /* The code above that strip on the left; its quiet zone is white, so
   * it may reach into the padding. */
  qr = MIN (h - 2 * pad - bottom_h - 1 * MM + 2 * MM, w * 0.44);
  if (!draw_qr (cr, url, x + pad - 2 * MM, y + pad - 2 * MM, qr, error))
    return FALSE;
  text_x = x + pad + qr - 2 * MM;
  text_w = x + w - pad - text_x;

  kicker = make_layout (cr, lang, FONT_FAMILY, "Bold", 6.5, text_w);
  set_markup (kicker, kicker_markup);

  /* The title shrinks until it fits beside the code, and at the
   * smallest size is cut with an ellipsis. */
  for (title_size = 15; ; title_size -= 1)
    {
      double room = qr - 4 * MM - layout_height (kicker) - 1.5 * MM;

      g_clear_object (&title);
      title = make_layout (cr, lang, FONT_FAMILY, "Bold", title_size, text_w);
      set_plain (title, pk_petition_get_title (petition, lang));
      if (layout_height (title) <= room)
        break;
      if (title_size <= 9)
        {
          pango_layout_set_height (title, (int) (room * PANGO_SCALE));
          pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
          break;
        }
    }

  ty = y + pad;
  show_layout (cr, kicker, text_x, ty, &accent);
  ty += layout_height (kicker) + 1.5 * MM;
  show_layout (cr, title, text_x, ty, &ink);
  ty += layout_height (title) + 2 * MM;

  /* The summary, when one is set and at least two lines of it fit: a
   * single cut-off line says nothing. */
  if (summary != NULL && *summary != '\0')
    {
      double room = y + h - pad - bottom_h - 2 * MM - ty;
      g_autoptr(PangoLayout) summary_layout = make_layout (cr, lang, FONT_FAMILY, "", 7.5, text_w);

      set_plain (summary_layout, summary);
      pango_layout_set_height (summary_layout, (int) (room * PANGO_SCALE));
      pango_layout_set_ellipsize (summary_layout, PANGO_ELLIPSIZE_END);
      if (pango_layout_get_line_count (summary_layout) >= 2 && layout_height (summary_layout) <= room)
        show_layout (cr, summary_layout, text_x, ty, &muted);
    }

  ty = y + h - pad - bottom_h;
  show_layout (cr, call, x + pad, ty, &muted);
  show_layout (cr, url_layout, x + pad, ty + layout_height (call), &accent);

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
pk_sheets_draw_flyers (PkPetition  *petition,
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

  if (!check_lang (lang, error))
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

  return ok && check_cairo (cr, error);
}

/* ----- PDF files -------------------------------------------------------- */

typedef struct {
  PkAtomicFile *file;
  GError       *error;
} PdfSink;

static cairo_status_t
pdf_sink_write (void                *user_data,
                const unsigned char *data,
                unsigned int         length)
{
  PdfSink *sink = user_data;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!pk_atomic_file_write (sink->file, data, length, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

typedef gboolean (*PageFunc) (PkPetition  *petition,
                              const char  *lang,
                              cairo_t     *cr,
                              double       width,
                              double       height,
                              guint        page,
                              GError     **error);

static gboolean
sheet_page (PkPetition  *petition,
            const char  *lang,
            cairo_t     *cr,
            double       width,
            double       height,
            guint        page,
            GError     **error)
{
  return pk_sheets_draw_sheet (petition, lang, cr, width, height, page, error);
}

static gboolean
flyer_page (PkPetition  *petition,
            const char  *lang,
            cairo_t     *cr,
            double       width,
            double       height,
            guint        page,
            GError     **error)
{
  return pk_sheets_draw_flyers (petition, lang, cr, width, height, error);
}

static gboolean
write_pdf (PkPetition  *petition,
           const char  *lang,
           PkPaper      paper,
           guint        first,
           guint        count,
           PageFunc     page_func,
           const char  *path,
           GError     **error)
{
  g_autoptr(PkAtomicFile) file = NULL;
  PdfSink sink = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;
  gboolean ok = TRUE;

  if (!check_lang (lang, error))
    return FALSE;

  file = pk_atomic_file_new (path, 0644, error);
  if (file == NULL)
    return FALSE;
  sink.file = file;

  pk_paper_get_size (paper, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (pdf_sink_write, &sink, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  pk_petition_get_title (petition, lang));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Petition Kiosk");
  cr = cairo_create (surface);

  for (guint i = 0; ok && i < count; i++)
    {
      ok = page_func (petition, lang, cr, width, height, first + i, error);
      if (ok)
        cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (!ok)
    {
      g_clear_error (&sink.error);
      return FALSE;
    }
  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_FAILED,
                   _("Could not write the PDF: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return pk_atomic_file_commit (file, TRUE, error);
}

gboolean
pk_sheets_write_pdf (PkPetition  *petition,
                     const char  *lang,
                     PkPaper      paper,
                     guint        first,
                     guint        count,
                     const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (count == 0 || first < 1 || first > PK_SHEET_MAX_NUMBER
      || count > PK_SHEET_MAX_NUMBER - first + 1)
    {
      g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
                   _("Sheet numbers run from 1 to %u, and at least one sheet is needed."),
                   (guint) PK_SHEET_MAX_NUMBER);
      return FALSE;
    }

  return write_pdf (petition, lang, paper, first, count, sheet_page, path, error);
}

gboolean
pk_flyers_write_pdf (PkPetition  *petition,
                     const char  *lang,
                     PkPaper      paper,
                     guint        n_pages,
                     const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_pages == 0 || n_pages > 1000)
    {
      g_set_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID,
                   _("Print between 1 and 1000 pages of flyers."));
      return FALSE;
    }

  return write_pdf (petition, lang, paper, 1, n_pages, flyer_page, path, error);
}
