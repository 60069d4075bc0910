/* pk-form-page-fields.c: the form's field rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row a field the petition asks for: its title, its input (an entry,
 * or the country list), its message; placed two a row in the order of
 * the signer's language, and the phone number shown back as read.
 */
#define G_LOG_DOMAIN "pk-form-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-country-chooser.h"
#include "pk-form-page-private.h"
#include "pk-normalize.h"
#include "pk-phone.h"

/* Family name first in Korean, as people write it there; given name
 * first elsewhere. */
static const PkField korean_order[PK_N_FIELDS] = {
  PK_FIELD_FAMILY_NAME, PK_FIELD_GIVEN_NAME, PK_FIELD_EMAIL, PK_FIELD_PHONE,
  PK_FIELD_POSTAL_CODE, PK_FIELD_COUNTRY, PK_FIELD_COMMENT,
};
static const PkField western_order[PK_N_FIELDS] = {
  PK_FIELD_GIVEN_NAME, PK_FIELD_FAMILY_NAME, PK_FIELD_EMAIL, PK_FIELD_PHONE,
  PK_FIELD_POSTAL_CODE, PK_FIELD_COUNTRY, PK_FIELD_COMMENT,
};

static const char *
pk_form_page_field_hint (PkField field)
{
  switch (field)
    {
    case PK_FIELD_EMAIL:   return _("name@example.org");
    case PK_FIELD_COUNTRY:
    case PK_FIELD_GIVEN_NAME:
    case PK_FIELD_FAMILY_NAME:
    case PK_FIELD_PHONE:
    case PK_FIELD_POSTAL_CODE:
    case PK_FIELD_COMMENT:
    case PK_N_FIELDS:
    default:
      return NULL;
    }
}

/* The fields in the order @self->language reads them. */
const PkField *
_pk_form_page_reading_order (PkFormPage *self)
{
  return g_strcmp0 (self->language, "ko") == 0 ? korean_order : western_order;
}

static void
on_input_changed (GtkWidget  *input,
                  PkFormPage *self)
{
  /* The message is about what was there before; once the signer edits,
   * it no longer applies. */
  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (self->rows[i].input == input)
      _pk_form_page_hide_error (self, i);
}

/* A notify handler gets the GParamSpec before the user data. */
static void
on_country_notify (GtkWidget  *input,
                   GParamSpec *pspec,
                   PkFormPage *self)
{
  on_input_changed (input, self);
}

/* What the signer gave for the row's field: the entry's text, or the
 * chosen country's code; NULL or "" for nothing. */
const char *
_pk_form_page_row_value (const PkFieldRow *row)
{
  if (PK_IS_COUNTRY_CHOOSER (row->input))
    return pk_country_chooser_get_code (PK_COUNTRY_CHOOSER (row->input));
  return gtk_editable_get_text (GTK_EDITABLE (row->input));
}

/* Once the signer leaves the phone field, the number is shown back the
 * way their country writes it (or with its country code, when it is
 * another country's), so they see it was read as they meant. One that
 * cannot be read stays as typed; submitting says why at the field. */
static void
on_phone_leave (PkFormPage *self)
{
  GtkWidget *entry = self->rows[PK_FIELD_PHONE].input;
  GtkWidget *chooser = self->rows[PK_FIELD_COUNTRY].input;
  const char *region = chooser != NULL ? _pk_form_page_row_value (&self->rows[PK_FIELD_COUNTRY]) : NULL;
  g_autofree char *digits = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *shown = NULL;

  if (region == NULL || *region == '\0')
    region = self->petition != NULL ? pk_petition_get_country (self->petition) : NULL;
  digits = pk_normalize_phone (gtk_editable_get_text (GTK_EDITABLE (entry)), NULL);
  if (digits != NULL)
    e164 = pk_phone_to_e164 (digits, region, NULL);
  if (e164 != NULL)
    shown = pk_phone_format_for (e164, region);
  if (shown != NULL && g_strcmp0 (shown, gtk_editable_get_text (GTK_EDITABLE (entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (entry), shown);
}

static void
on_entry_activate (GtkEntry   *entry,
                   PkFormPage *self)
{
  /* Enter moves on, like Tab: a form is never sent by a stray Enter. */
  gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (entry))), GTK_DIR_TAB_FORWARD);
}

void
_pk_form_page_build_rows (PkFormPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->fields_grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->fields_grid), child);
  memset (self->rows, 0, sizeof self->rows);

  if (self->petition == NULL)
    return;

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      PkFieldRow *row = &self->rows[field];

      if (!pk_petition_has_field (self->petition, field))
        continue;

      row->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      row->label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (row->label), 0);
      gtk_label_set_wrap (GTK_LABEL (row->label), TRUE);
      gtk_widget_add_css_class (row->label, "heading");
      /* A list of countries by name rather than a code to type: few
       * signers know their country's ISO code. */
      if (field == PK_FIELD_COUNTRY)
        {
          row->input = pk_country_chooser_new ();
          pk_country_chooser_set_home (PK_COUNTRY_CHOOSER (row->input),
                                       pk_petition_get_country (self->petition));
        }
      else
        row->input = gtk_entry_new ();
      gtk_widget_add_css_class (row->input, "kiosk-entry");
      gtk_label_set_mnemonic_widget (GTK_LABEL (row->label), row->input);
      row->error = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (row->error), 0);
      gtk_label_set_wrap (GTK_LABEL (row->error), TRUE);
      gtk_widget_add_css_class (row->error, "error");
      gtk_widget_add_css_class (row->error, "field-error");
      gtk_widget_set_visible (row->error, FALSE);

      /* No entry gets a max-length: GTK would cut a long paste short
       * without a word, and the signer's name would change unseen. The
       * core's validation refuses too-long text with a message at the
       * field instead, the same for the form, paper and the CLI. */
      switch (field)
        {
        case PK_FIELD_GIVEN_NAME:
        case PK_FIELD_FAMILY_NAME:
          gtk_entry_set_input_purpose (GTK_ENTRY (row->input), GTK_INPUT_PURPOSE_NAME);
          break;
        case PK_FIELD_EMAIL:
          gtk_entry_set_input_purpose (GTK_ENTRY (row->input), GTK_INPUT_PURPOSE_EMAIL);
          break;
        case PK_FIELD_PHONE:
          {
            GtkEventController *focus = gtk_event_controller_focus_new ();

            gtk_entry_set_input_purpose (GTK_ENTRY (row->input), GTK_INPUT_PURPOSE_PHONE);
            g_signal_connect_object (focus, "leave", G_CALLBACK (on_phone_leave), self,
                                     G_CONNECT_SWAPPED);
            gtk_widget_add_controller (row->input, focus);
          }
          break;
        case PK_FIELD_COUNTRY:
        case PK_FIELD_POSTAL_CODE:
        case PK_FIELD_COMMENT:
        case PK_N_FIELDS:
        default:
          break;
        }

      if (GTK_IS_ENTRY (row->input))
        {
          g_signal_connect_object (row->input, "changed", G_CALLBACK (on_input_changed), self, 0);
          g_signal_connect_object (row->input, "activate", G_CALLBACK (on_entry_activate), self, 0);
        }
      else
        g_signal_connect_object (row->input, "notify::code", G_CALLBACK (on_country_notify), self, 0);

      gtk_box_append (GTK_BOX (row->box), row->label);
      gtk_box_append (GTK_BOX (row->box), row->input);
      gtk_box_append (GTK_BOX (row->box), row->error);
      /* Placed by pk_form_page_order_rows(), per language. */
      gtk_grid_attach (GTK_GRID (self->fields_grid), row->box, 0, field, 1, 1);
    }
}

/* Two fields a row, in the order @self->language expects, so that the
 * whole form needs less scrolling on a landscape screen; the email and
 * the comment, which can be long, get a row each. */
static void
pk_form_page_order_rows (PkFormPage *self)
{
  const PkField *order = _pk_form_page_reading_order (self);
  GtkGrid *grid = GTK_GRID (self->fields_grid);
  guint slot = 0;

  for (guint i = 0; i < PK_N_FIELDS; i++)
    {
      GtkWidget *box = self->rows[order[i]].box;
      /* An address is long: beside another field it would not fit a
       * narrow screen, nor would its example. */
      gboolean wide = order[i] == PK_FIELD_COMMENT || order[i] == PK_FIELD_EMAIL;

      if (box == NULL)
        continue;

      if (wide && slot % 2 == 1)
        slot++;
      g_object_ref (box);
      gtk_grid_remove (grid, box);
      gtk_grid_attach (grid, box, slot % 2, slot / 2, wide ? 2 : 1, 1);
      g_object_unref (box);
      slot += wide ? 2 : 1;
    }
}

/* Each row's title, example and required state, in the language now
 * shown, and the rows placed in its reading order. */
void
_pk_form_page_retranslate_rows (PkFormPage *self)
{
  const char *lang = self->language;

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      PkFieldRow *row = &self->rows[field];
      const char *hint = pk_form_page_field_hint (field);
      g_autofree char *title = NULL;
      gboolean optional;

      if (row->box == NULL)
        continue;

      /* Either name will do, so neither is marked optional; other
       * fields say so when the signer may leave them out. */
      optional = field != PK_FIELD_GIVEN_NAME && field != PK_FIELD_FAMILY_NAME &&
                 !pk_petition_field_is_required (self->petition, field);
      if (optional)
        /* Translators: a form field's label, e.g. "Email (optional)". */
        title = g_strdup_printf (_("%s (optional)"), pk_field_get_title (field));
      else
        title = g_strdup (pk_field_get_title (field));

      gtk_label_set_label (GTK_LABEL (row->label), title);
      if (GTK_IS_ENTRY (row->input))
        gtk_entry_set_placeholder_text (GTK_ENTRY (row->input), hint);
      else
        pk_country_chooser_retranslate (PK_COUNTRY_CHOOSER (row->input), lang);
      /* Named by its visible title alone (the mnemonic widget relation):
       * a label property as well would be read after it, "성 성". */
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->input),
                                      GTK_ACCESSIBLE_PROPERTY_REQUIRED, !optional,
                                      -1);
    }

  pk_form_page_order_rows (self);
}
