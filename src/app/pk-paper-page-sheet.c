/* pk-paper-page-sheet.c: opening a sheet on the Paper page, and
 * leaving it without losing what was typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sheet is left when another is opened, the mode changes or admin
 * chooses another petition. Lines typed and ticked as signed are saved
 * on the way; typed lines that cannot be saved are never dropped
 * without asking (issue 13, item 11).
 */
#define G_LOG_DOMAIN "pk-paper-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-language.h"
#include "pk-paper-page-private.h"
#include "pk-sheet-line.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"

/* Saves every line typed, signed and good; returns how many typed lines
 * are still not saved (unsigned ones never marked so, or refused). */
static guint
save_typed_lines (PkPaperPage *self,
                  guint       *out_first)
{
  guint unsaved = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      PkSheetLine *line = self->lines->pdata[i];

      if (!pk_sheet_line_is_dirty (line))
        continue;
      if (pk_sheet_line_get_signed (line) && _pk_paper_page_save_sheet_line (self, line))
        continue;
      if (unsaved++ == 0 && out_first != NULL)
        *out_first = pk_sheet_line_get_number (line);
    }
  return unsaved;
}

static void
on_unsaved_response (PkPaperPage *self,
                     const char  *response)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      _pk_paper_page_open_pending (self);
      return;
    }

  /* Back to the sheet: the first unsaved line, and the mode it is in. */
  g_clear_pointer (&self->pending_serial, g_free);
  if (self->pending_mode >= 0)
    {
      self->reverting_mode = TRUE;
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->count_only ? self->count_toggle : self->lines_toggle),
                                    TRUE);
      self->reverting_mode = FALSE;
      self->pending_mode = -1;
    }
  if (self->serial != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), self->serial);
  if (self->petition_pending)
    _pk_paper_page_show_status (self, _("This sheet still belongs to the previous petition. The petition chosen in admin "
                         "is used from the next sheet on."), NULL);
  for (guint i = 0; i < self->lines->len; i++)
    if (pk_sheet_line_is_dirty (self->lines->pdata[i]))
      {
        pk_sheet_line_focus (self->lines->pdata[i]);
        break;
      }
}

/* Before the open sheet is left: saves what can be saved and, when
 * typed lines remain, asks whether to discard them. Returns TRUE when
 * the sheet may be left now; FALSE when the question is shown, and
 * _pk_paper_page_open_pending() runs on "Discard". */
gboolean
_pk_paper_page_leave_sheet (PkPaperPage *self)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;
  GtkWidget *dialog;
  guint first = 0;
  guint unsaved;

  if (self->serial == NULL || self->count_only)
    return TRUE;

  unsaved = save_typed_lines (self, &first);
  if (unsaved == 0)
    return TRUE;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Sheet %u has a line not saved",
                                          "Sheet %u has lines not saved",
                                          unsaved),
                             self->number);
  if (unsaved == 1)
    body = g_strdup_printf (_("Line %u is typed but not saved: it is not ticked as signed, or something in it is wrong. Go back to the sheet to finish it, or discard what was typed."),
                            first);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u line is typed but not saved, the first on line %u: they are not ticked as signed, or something in them is wrong. Go back to the sheet to finish them, or discard what was typed.",
                                         "%u lines are typed but not saved, the first on line %u: they are not ticked as signed, or something in them is wrong. Go back to the sheet to finish them, or discard what was typed.",
                                         unsaved),
                            unsaved, first);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "back", _("_Back to the Sheet"),
                                    "discard", _("_Discard Lines"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "back");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "back");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, G_CONNECT_SWAPPED);
  pk_language_tag_labels (dialog, self->language);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static gboolean
open_sheet_now (PkPaperPage *self,
                const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *serial = NULL;
  guint lines = 0;
  gboolean counted = FALSE;
  guint number = 0;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->serial_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), text);
  _pk_paper_page_clear_sheet (self);

  if (self->store == NULL || self->petition == NULL)
    {
      _pk_paper_page_show_status (self, _("Choose a petition first (on the Kiosk page)."), "error");
      return FALSE;
    }

  serial = pk_sheet_serial_parse (self->petition, text, &number, &error);
  if (serial == NULL ||
      !pk_store_paper_sheet_state (self->store, serial, &lines, &counted, &error))
    {
      _pk_paper_page_show_status (self, error->message, "error");
      gtk_widget_grab_focus (self->serial_entry);
      return FALSE;
    }

  /* A sheet is entered one way only, or its signers would count twice. */
  if (self->count_only && lines > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Sheet %u already has %u transcribed line, so it cannot also be counted.",
                                                               "Sheet %u already has %u transcribed lines, so it cannot also be counted.",
                                                               lines),
                                                  number, lines);

      _pk_paper_page_show_status (self, message, "error");
      return FALSE;
    }
  if (!self->count_only && counted)
    {
      g_autofree char *message = g_strdup_printf (_("Sheet %u was entered as a count only, so its lines cannot also be transcribed."),
                                                  number);

      _pk_paper_page_show_status (self, message, "error");
      return FALSE;
    }

  self->serial = g_steal_pointer (&serial);
  self->number = number;
  gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), self->serial);

  if (!(self->count_only ? _pk_paper_page_open_count (self, &error) : _pk_paper_page_open_lines (self, &error)))
    {
      _pk_paper_page_clear_sheet (self);
      _pk_paper_page_show_status (self, error->message, "error");
      return FALSE;
    }

  return TRUE;
}

/* After "Discard": whatever was waiting for the answer. */
void
_pk_paper_page_open_pending (PkPaperPage *self)
{
  g_autofree char *serial = g_steal_pointer (&self->pending_serial);

  _pk_paper_page_switch_to_pending_petition (self);
  if (self->pending_mode >= 0)
    {
      self->count_only = self->pending_mode;
      self->pending_mode = -1;
      _pk_paper_page_clear_sheet (self);
      _pk_paper_page_show_status (self, NULL, NULL);
    }
  if (serial != NULL)
    open_sheet_now (self, serial);
}

gboolean
_pk_paper_page_open_sheet (PkPaperPage *self,
                           const char  *text)
{
  g_return_val_if_fail (PK_IS_PAPER_PAGE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!_pk_paper_page_leave_sheet (self))
    {
      g_free (self->pending_serial);
      self->pending_serial = g_strdup (text);
      return FALSE;
    }

  _pk_paper_page_switch_to_pending_petition (self);
  return open_sheet_now (self, text);
}

