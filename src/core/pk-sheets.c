/* pk-sheets.c: paper sizes, sheet serials, and PDF files of printed pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages themselves are drawn by pk-sheet-page.c (the signature
 * sheet) and pk-flyers.c, with the text helpers of pk-print-layout.c.
 * The serial format is described in docs/paper.md.
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
#include "pk-print-layout.h"
#include "pk-sheets.h"

G_DEFINE_QUARK (pk-sheets-error-quark, pk_sheets_error)

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
  return pk_flyers_draw_page (petition, lang, cr, width, height, error);
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

  if (!pk_print_check_lang (lang, error))
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

