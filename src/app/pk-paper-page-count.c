/* pk-paper-page-count.c: count-only entry on the Paper page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sheet not worth transcribing line by line is entered as the number
 * of valid signatures on it, kept apart from the signature rows.
 */
#define G_LOG_DOMAIN "pk-paper-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-paper-page-private.h"
#include "pk-store-paper.h"

gboolean
_pk_paper_page_open_count (PkPaperPage  *self,
                           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  guint count = 0;
  gint64 entered_at = 0;

  self->counted_before = pk_store_paper_get_count (self->store, self->serial, &count, &entered_at,
                                                   &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), count);
  gtk_button_set_label (GTK_BUTTON (self->count_button),
                        self->counted_before ? _("Correct count") : _("Save count"));
  if (self->counted_before)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (entered_at / G_USEC_PER_SEC);
      g_autofree char *date = when != NULL ? g_date_time_format (when, "%x %X") : g_strdup ("");
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Sheet %u was counted on %s: %u valid signature. Save again to correct it.",
                                                               "Sheet %u was counted on %s: %u valid signatures. Save again to correct it.",
                                                               count),
                                                  self->number, date, count);

      _pk_paper_page_show_status (self, message, NULL);
    }
  else
    _pk_paper_page_show_status (self, NULL, NULL);

  _pk_paper_page_retranslate_sheet (self);
  gtk_widget_set_visible (self->count_group, TRUE);
  gtk_widget_grab_focus (self->count_spin);
  return TRUE;
}

void
_pk_paper_page_on_count_save (PkPaperPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint count;

  if (self->serial == NULL || !self->count_only)
    return;

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->count_spin));
  count = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count_spin));
  if (!pk_store_paper_set_count (self->store, pk_petition_get_id (self->petition), self->serial,
                                 count, self->counted_before, &error))
    {
      _pk_paper_page_show_status (self, error->message, "error");
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Sheet %u holds %u valid signature.",
                                          "Sheet %u holds %u valid signatures.",
                                          count),
                             self->number, count);
  _pk_paper_page_clear_sheet (self);
  _pk_paper_page_show_status (self, message, "success");
  _pk_paper_page_refresh_totals (self);
  _pk_paper_page_focus_line (self, NULL);
}

void
_pk_paper_page_save_count (PkPaperPage *self,
                           guint        count)
{
  g_return_if_fail (PK_IS_PAPER_PAGE (self));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), count);
  _pk_paper_page_on_count_save (self);
}

/* Enter in the count saves it (GtkSpinButton has no "activate" before
 * GTK 4.14). */
static gboolean
on_count_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      PkPaperPage      *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  _pk_paper_page_on_count_save (self);
  return TRUE;
}

void
_pk_paper_page_count_init (PkPaperPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_count_key_pressed), self, 0);
  gtk_widget_add_controller (self->count_spin, keys);
}
