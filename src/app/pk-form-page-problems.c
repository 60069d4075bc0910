/* pk-form-page-problems.c: the form's messages at the fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every problem with what the signer gave is shown at once, under the
 * field or consent it is about, and the first one in reading order is
 * brought into view with the focus in it.
 */
#define G_LOG_DOMAIN "pk-form-page"

#include "config.h"

#include "pk-form-page-private.h"
#include "pk-signature.h"

void
_pk_form_page_hide_error (PkFormPage *self,
                          guint       slot)
{
  GtkWidget *label = self->consent_error;
  GtkWidget *input = self->consent_check;

  if (slot < PK_N_FIELDS)
    {
      if (self->rows[slot].box == NULL)
        return;
      label = self->rows[slot].error;
      input = self->rows[slot].input;
    }
  else if (slot == PK_FORM_SLOT_SENSITIVE)
    {
      label = self->sensitive_error;
      input = self->sensitive_check;
    }

  gtk_widget_set_visible (label, FALSE);
  gtk_widget_remove_css_class (input, "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_STATE_INVALID);
}

void
_pk_form_page_clear_messages (PkFormPage *self)
{
  for (guint i = 0; i < PK_FORM_N_SLOTS; i++)
    _pk_form_page_hide_error (self, i);
  gtk_widget_set_visible (self->failure_box, FALSE);
}

/* Shows @message under @slot (a field, PK_FORM_SLOT_CONSENT or
 * PK_FORM_SLOT_SENSITIVE) and marks its input invalid; returns the
 * input. */
GtkWidget *
_pk_form_page_show_error (PkFormPage *self,
                          guint       slot,
                          const char *message)
{
  GtkWidget *label;
  GtkWidget *input;

  if (slot == PK_FORM_SLOT_SENSITIVE)
    {
      label = self->sensitive_error;
      input = self->sensitive_check;
    }
  else if (slot < PK_N_FIELDS && self->rows[slot].box != NULL)
    {
      label = self->rows[slot].error;
      input = self->rows[slot].input;
    }
  else
    {
      label = self->consent_error;
      input = self->consent_check;
    }

  gtk_widget_add_css_class (input, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
  gtk_label_set_label (GTK_LABEL (label), message);
  gtk_widget_set_visible (label, TRUE);
  return input;
}

/* Scrolls the form so that the row waiting in @self->reveal_row, its
 * title included, is in view. Run once the messages just shown or
 * hidden are laid out: the rows' places change with them. */
static void
on_after_paint (GdkFrameClock *clock,
                PkFormPage    *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->scrolled_window));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  graphene_rect_t bounds;

  g_clear_signal_handler (&self->after_paint_id, clock);
  /* In the scrolled content's own coordinates, which scrolling does not
   * move. */
  if (self->reveal_row != NULL && gtk_widget_compute_bounds (self->reveal_row, content, &bounds))
    gtk_adjustment_clamp_page (adjustment, bounds.origin.y - 12,
                               bounds.origin.y + bounds.size.height + 12);
  g_clear_weak_pointer (&self->reveal_row);
}

/* Puts the focus in @input and brings its whole @row into view. */
void
_pk_form_page_reveal (PkFormPage *self,
                      GtkWidget  *input,
                      GtkWidget  *row)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* The focus scrolls the input itself into view, not its title. */
  gtk_widget_grab_focus (input);
  g_set_weak_pointer (&self->reveal_row, row);
  if (row != NULL && clock != NULL && self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint),
                                                    self, 0);
}

/* Marks every problem of @sig at once, and takes the signer to the
 * first one in reading order. Returns whether there was none. */
gboolean
_pk_form_page_mark_problems (PkFormPage        *self,
                             const PkSignature *sig)
{
  const PkField *order = _pk_form_page_reading_order (self);
  char *problems[PK_SIGNATURE_N_PROBLEMS];
  GtkWidget *first_input = NULL;
  GtkWidget *first_row = NULL;

  if (pk_signature_find_problems (sig, self->petition, problems) == 0)
    return TRUE;

  /* "Enter your name" belongs to both name fields, when both are asked
   * for and both are empty. */
  for (guint i = 0; i < 2; i++)
    {
      PkField name = i == 0 ? PK_FIELD_GIVEN_NAME : PK_FIELD_FAMILY_NAME;
      PkField other = i == 0 ? PK_FIELD_FAMILY_NAME : PK_FIELD_GIVEN_NAME;

      if (problems[name] != NULL && problems[other] == NULL && self->rows[other].box != NULL &&
          sig->fields[PK_FIELD_GIVEN_NAME] == NULL && sig->fields[PK_FIELD_FAMILY_NAME] == NULL)
        problems[other] = g_strdup (problems[name]);
    }

  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      PkField field = order[i];
      GtkWidget *input;

      if (problems[field] == NULL)
        continue;
      input = _pk_form_page_show_error (self, field, problems[field]);
      if (first_input == NULL)
        {
          first_input = input;
          first_row = self->rows[field].box;
        }
    }
  for (guint slot = PK_FORM_SLOT_CONSENT; slot < PK_FORM_N_SLOTS; slot++)
    if (problems[slot] != NULL)
      {
        GtkWidget *input = _pk_form_page_show_error (self, slot, problems[slot]);

        if (first_input == NULL)
          first_input = input;
      }

  _pk_form_page_reveal (self, first_input, first_row);
  for (guint i = 0; i < PK_SIGNATURE_N_PROBLEMS; i++)
    g_free (problems[i]);
  return FALSE;
}
