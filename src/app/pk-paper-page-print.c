/* pk-paper-page-print.c: the Paper page's Print group: signature sheets
 * through the print dialog, flyers to a PDF file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-paper-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-paper-page-private.h"
#include "pk-sheets.h"

void
_pk_paper_page_toast (PkPaperPage *self,
                      const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

void
_pk_paper_page_show_print_error (PkPaperPage *self,
                                 const char  *message)
{
  gtk_label_set_text (GTK_LABEL (self->print_status_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->print_status_label, message != NULL);
}

static gboolean
paper_is_letter (PkPaperPage *self)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->paper_dropdown)) == 1;
}

typedef struct {
  PkPaperPage *self;
  PkPetition  *petition;
  char        *lang;
  char        *export_path;  /* when exported without the dialog */
  guint        first;
  guint        count;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->petition);
  g_free (job->lang);
  g_free (job->export_path);
  g_free (job);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  g_autoptr(GError) error = NULL;

  /* With use-full-page and points as the unit, the context is the
   * whole sheet of paper in points, exactly as a PDF page. */
  if (!pk_sheets_draw_sheet (job->petition, job->lang, gtk_print_context_get_cairo_context (context),
                             gtk_print_context_get_width (context),
                             gtk_print_context_get_height (context),
                             job->first + (guint) page_nr, &error))
    {
      _pk_paper_page_show_print_error (job->self, error->message);
      gtk_print_operation_cancel (operation);
    }
}

/* The file the sheets went to, when they went to one: exported, or
 * "Print to File" in the dialog (which sets an output URI). */
static char *
printed_file (GtkPrintOperation *operation,
              PrintJob          *job)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);
  const char *uri = settings != NULL ? gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI) : NULL;
  g_autofree char *path = NULL;

  if (job->export_path != NULL)
    return g_filename_display_name (job->export_path);
  if (uri == NULL)
    return NULL;
  path = g_filename_from_uri (uri, NULL, NULL);
  return path != NULL ? g_filename_display_name (path) : g_strdup (uri);
}

static char *
printed_message (GtkPrintOperation *operation,
                 PrintJob          *job)
{
  g_autofree char *file = printed_file (operation, job);

  if (file != NULL)
    return job->count == 1
      ? g_strdup_printf (_("Sheet %u saved to %s."), job->first, file)
      : g_strdup_printf (_("Sheets %u to %u saved to %s."), job->first, job->first + job->count - 1, file);

  return job->count == 1
    ? g_strdup_printf (_("Sheet %u was sent to the printer."), job->first)
    : g_strdup_printf (_("Sheets %u to %u were sent to the printer."), job->first, job->first + job->count - 1);
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               PrintJob                *job)
{
  PkPaperPage *self = job->self;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      _pk_paper_page_show_print_error (self, error != NULL ? error->message : _("Printing failed."));
      return;
    }

  if (result == GTK_PRINT_OPERATION_RESULT_APPLY && self->store != NULL)
    {
      g_autofree char *next = g_strdup_printf ("%u", MIN (job->first + job->count, (guint) PK_SHEET_MAX_NUMBER));
      g_autofree char *message = printed_message (operation, job);

      if (!pk_store_set_setting (self->store, PK_PAPER_SETTING_NEXT_SHEET, next, &error))
        _pk_paper_page_show_print_error (self, error->message);
      else
        {
          _pk_paper_page_show_print_error (self, NULL);
          _pk_paper_page_toast (self, message);
        }
      _pk_paper_page_refresh_next_sheet (self);
    }
}

GtkPrintOperationResult
_pk_paper_page_print_sheets (PkPaperPage             *self,
                             GtkPrintOperationAction  action,
                             const char              *export_path)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;
  GtkPaperSize *paper;
  GtkRoot *root;
  PrintJob *job;
  guint first, count;

  g_return_val_if_fail (PK_IS_PAPER_PAGE (self), GTK_PRINT_OPERATION_RESULT_ERROR);

  if (self->petition == NULL)
    {
      _pk_paper_page_show_print_error (self, _("Choose a petition first (on the Kiosk page)."));
      return GTK_PRINT_OPERATION_RESULT_ERROR;
    }

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->print_count_spin));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->print_first_spin));
  first = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->print_first_spin));
  count = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->print_count_spin));
  count = MIN (count, PK_SHEET_MAX_NUMBER - first + 1);

  job = g_new0 (PrintJob, 1);
  job->self = g_object_ref (self);
  job->petition = g_object_ref (self->petition);
  job->lang = g_strdup (_pk_paper_page_print_language (self));
  job->export_path = g_strdup (export_path);
  job->first = first;
  job->count = count;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, (int) count);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_job_name (operation, pk_petition_get_title (self->petition, job->lang));
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);

  setup = gtk_page_setup_new ();
  paper = gtk_paper_size_new (paper_is_letter (self) ? GTK_PAPER_NAME_LETTER : GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_paper_size_free (paper);
  gtk_print_operation_set_default_page_setup (operation, setup);

  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  g_signal_connect_data (operation, "done", G_CALLBACK (on_print_done), job,
                         (GClosureNotify) (void (*) (void)) print_job_free, 0);

  /* The dialog offers the printers, "Print to File" (PDF) and Preview. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  result = gtk_print_operation_run (operation, action,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    _pk_paper_page_show_print_error (self, error->message);

  return result;
}

void
_pk_paper_page_on_print_sheets (PkPaperPage *self)
{
  _pk_paper_page_print_sheets (self, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL);
}

static void
on_flyers_response (PkPaperPage *self,
                    int          response)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  g_autofree char *message = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->petition == NULL)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      _pk_paper_page_show_print_error (self, _("Choose a folder on this computer."));
      return;
    }

  if (!pk_flyers_write_pdf (self->petition, _pk_paper_page_print_language (self),
                            paper_is_letter (self) ? PK_PAPER_LETTER : PK_PAPER_A4,
                            1, path, &error))
    {
      _pk_paper_page_show_print_error (self, error->message);
      return;
    }

  display = g_filename_display_name (path);
  message = g_strdup_printf (_("Flyers saved to %s."), display);
  _pk_paper_page_show_print_error (self, NULL);
  _pk_paper_page_toast (self, message);
}

void
_pk_paper_page_on_save_flyers (PkPaperPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->petition == NULL)
    {
      _pk_paper_page_show_print_error (self, _("Choose a petition first (on the Kiosk page)."));
      return;
    }

  _pk_paper_page_print_dispose (self);
  self->chooser = gtk_file_chooser_native_new (_("Save Flyers"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "flyers.pdf");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_flyers_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_pk_paper_page_print_dispose (PkPaperPage *self)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}
