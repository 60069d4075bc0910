/* pk-cmd-qr.c: `petition-kiosk qr`, the petition's QR code for posters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-cmd-qr"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pk-atomic.h"
#include "pk-cli.h"
#include "pk-petition.h"
#include "pk-qr.h"

#define DEFAULT_SIZE 512
#define MAX_SIZE     20000

typedef enum {
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_PDF,
} Format;

typedef struct {
  PkAtomicFile *file;
  GError       *error;
} Sink;

static cairo_status_t
sink_write (void                *user_data,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = user_data;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!pk_atomic_file_write (sink->file, data, length, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/* Draws the code on a surface of the chosen kind, streaming into the
 * temporary file, so that the output appears whole or not at all. */
static gboolean
write_code (PkQrCode    *qr,
            Format       format,
            int          size,
            const char  *path,
            GError     **error)
{
  g_autoptr(PkAtomicFile) file = pk_atomic_file_new (path, 0644, error);
  Sink sink = { NULL, NULL };
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  if (file == NULL)
    return FALSE;
  sink.file = file;

  switch (format)
    {
    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (sink_write, &sink, size, size);
      break;
    case FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, size, size);
      break;
    case FORMAT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
      break;
    }

  cr = cairo_create (surface);
  /* A PNG gets whole pixels per module (the spare pixels become white
   * border); vector output scales exactly and needs no snapping. */
  pk_qr_code_draw (qr, cr, 0, 0, size, format == FORMAT_PNG);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not draw the QR code: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return pk_atomic_file_commit (file, TRUE, error);
}

int
pk_cmd_qr (int    argc,
           char **argv)
{
  g_autofree char *petition_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(PkQrCode) qr = NULL;
  g_autoptr(GError) error = NULL;
  int size = DEFAULT_SIZE;
  int min_size;
  Format format;
  GOptionEntry entries[] = {
    { "petition", 0, 0, G_OPTION_ARG_FILENAME, &petition_path, N_("The petition file"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("Where to write the code: a .png, .svg or .pdf file"), N_("FILE") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Width and height in pixels (PNG) or points (SVG, PDF); 512 if not given"), N_("PX") },
    { NULL }
  };

  if (!pk_cli_parse ("qr", NULL, _("Write the QR code of the online petition, for posters and slides."),
                     entries, &argc, &argv))
    return PK_EXIT_USAGE;

  if (petition_path == NULL || out_path == NULL)
    {
      pk_cli_error ("qr", "%s", _("--petition and --out are required."));
      return PK_EXIT_USAGE;
    }
  if (argc > 1)
    {
      pk_cli_error ("qr", _("Unexpected argument “%s”."), argv[1]);
      return PK_EXIT_USAGE;
    }

  lower = g_ascii_strdown (out_path, -1);
  if (g_str_has_suffix (lower, ".png"))
    format = FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    format = FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    format = FORMAT_PDF;
  else
    {
      pk_cli_error ("qr", _("“%s” does not end in .png, .svg or .pdf."), out_path);
      return PK_EXIT_USAGE;
    }

  petition = pk_petition_new_from_file (petition_path, &error);
  if (petition == NULL)
    {
      pk_cli_error ("qr", "%s", error->message);
      return PK_EXIT_USAGE;
    }

  qr = pk_qr_code_new (pk_petition_get_url (petition), &error);
  if (qr == NULL)
    {
      pk_cli_error ("qr", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  /* Below two pixels a module no camera reads the code reliably. */
  min_size = 2 * (int) (pk_qr_code_get_width (qr) + 2 * PK_QR_QUIET_ZONE);
  if (size < min_size || size > MAX_SIZE)
    {
      pk_cli_error ("qr", _("--size must be between %d and %d for this code."), min_size, MAX_SIZE);
      return PK_EXIT_USAGE;
    }

  if (!write_code (qr, format, size, out_path, &error))
    {
      pk_cli_error ("qr", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  return PK_EXIT_OK;
}
