/* pk-form-page.c: the signer's form, with the signature pad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-form-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pk-country-chooser.h"
#include "pk-form-page-private.h"
#include "pk-language.h"
#include "pk-normalize.h"
#include "pk-phone.h"
#include "pk-signature.h"
#include "pk-strokes.h"

/* Where a message shows: under a field (0 to PK_N_FIELDS - 1), or under
 * one of the two consents; the same slots as pk_signature_find_problems(). */
enum {
  PK_FORM_SLOT_CONSENT = PK_N_FIELDS,
  PK_FORM_SLOT_SENSITIVE,
  PK_FORM_N_SLOTS
};

typedef struct {
  GtkWidget *box;
  GtkWidget *label;
  /* A GtkEntry, or for the country a PkCountryChooser. */
  GtkWidget *input;
  GtkWidget *error;
} PkFieldRow;

struct _PkFormPage
{
  GtkWidget   parent_instance;

  PkStore    *store;
  PkPetition *petition;
  char       *language;

  PkFieldRow  rows[PK_N_FIELDS];

  GtkWidget  *text_scrolled_window;
  GtkWidget  *scrolled_window;
  GtkWidget  *title_label;
  GtkWidget  *text_label;
  GtkWidget  *details_heading;
  GtkWidget  *fields_grid;
  GtkWidget  *consent_check;
  GtkWidget  *consent_label;
  GtkWidget  *consent_error;
  GtkWidget  *sensitive_box;
  GtkWidget  *consent_revealer;
  GtkWidget  *consent_text_label;
  GtkWidget  *sensitive_text_label;
  GtkWidget  *consent_text_button;
  GtkWidget  *sensitive_check;
  GtkWidget  *sensitive_label;
  GtkWidget  *sensitive_error;
  GtkWidget  *organizer_label;
  GtkWidget  *privacy_button;
  GtkWidget  *privacy_dialog;   /* while it is open */
  GtkWidget  *opt_in_check;
  GtkWidget  *opt_in_label;
  GtkWidget  *pad_heading;
  GtkWidget  *signature_pad;
  GtkWidget  *failure_box;
  GtkWidget  *failure_title;
  GtkWidget  *failure_detail;
  GtkWidget  *cancel_button;
  GtkWidget  *submit_button;
  /* "Clear the form?" while it is shown; a weak pointer. */
  GtkWidget  *cancel_dialog;
  /* A field's row to scroll into view once laid out; a weak pointer. */
  GtkWidget  *reveal_row;
  gulong      after_paint_id;
};

G_DEFINE_FINAL_TYPE (PkFormPage, pk_form_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  N_PROPS
};

enum {
  SIGNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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

static void
pk_form_page_hide_error (PkFormPage *self,
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

static void
pk_form_page_clear_messages (PkFormPage *self)
{
  for (guint i = 0; i < PK_FORM_N_SLOTS; i++)
    pk_form_page_hide_error (self, i);
  gtk_widget_set_visible (self->failure_box, FALSE);
}

/* Shows @message under @slot (a field, PK_FORM_SLOT_CONSENT or
 * PK_FORM_SLOT_SENSITIVE) and marks its input invalid; returns the
 * input. */
static GtkWidget *
pk_form_page_show_error (PkFormPage *self,
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

/* The fields in the order @self->language reads them. */
static const PkField *
pk_form_page_reading_order (PkFormPage *self)
{
  return g_strcmp0 (self->language, "ko") == 0 ? korean_order : western_order;
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

/* The focus ring is drawn around the focused control, 5 px out
 * (kiosk.css); GtkViewport scrolls only the control itself into view,
 * flush with the edge, where its ring is cut off. This scrolls the
 * ring into view as well. */
#define RING_ROOM 8

static void
on_focus_moved (PkFormPage *self,
                GParamSpec *pspec,
                GtkWindow  *window)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->scrolled_window));
  GtkWidget *focus = gtk_window_get_focus (window);
  graphene_rect_t bounds;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, viewport))
    return;
  /* An entry draws the ring of the text inside it. */
  if (GTK_IS_TEXT (focus))
    focus = gtk_widget_get_parent (focus);
  if (gtk_widget_compute_bounds (focus, gtk_viewport_get_child (GTK_VIEWPORT (viewport)), &bounds))
    gtk_adjustment_clamp_page (adjustment, bounds.origin.y - RING_ROOM,
                               bounds.origin.y + bounds.size.height + RING_ROOM);
}

static void
pk_form_page_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pk_form_page_parent_class)->root (widget);

  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-widget",
                           G_CALLBACK (on_focus_moved), widget, G_CONNECT_SWAPPED);
}

static void
pk_form_page_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), on_focus_moved, widget);

  GTK_WIDGET_CLASS (pk_form_page_parent_class)->unroot (widget);
}

/* Puts the focus in @input and brings its whole @row into view. */
static void
pk_form_page_reveal (PkFormPage *self,
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
static gboolean
pk_form_page_mark_problems (PkFormPage        *self,
                            const PkSignature *sig)
{
  const PkField *order = pk_form_page_reading_order (self);
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
      input = pk_form_page_show_error (self, field, problems[field]);
      if (first_input == NULL)
        {
          first_input = input;
          first_row = self->rows[field].box;
        }
    }
  for (guint slot = PK_FORM_SLOT_CONSENT; slot < PK_FORM_N_SLOTS; slot++)
    if (problems[slot] != NULL)
      {
        GtkWidget *input = pk_form_page_show_error (self, slot, problems[slot]);

        if (first_input == NULL)
          first_input = input;
      }

  pk_form_page_reveal (self, first_input, first_row);
  for (guint i = 0; i < PK_SIGNATURE_N_PROBLEMS; i++)
    g_free (problems[i]);
  return FALSE;
}

static void
on_input_changed (GtkWidget  *input,
                  PkFormPage *self)
{
  /* The message is about what was there before; once the signer edits,
   * it no longer applies. */
  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (self->rows[i].input == input)
      pk_form_page_hide_error (self, i);
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
static const char *
pk_form_page_row_value (const PkFieldRow *row)
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
  const char *region = chooser != NULL ? pk_form_page_row_value (&self->rows[PK_FIELD_COUNTRY]) : NULL;
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

static void
on_consent_toggled (PkFormPage *self)
{
  pk_form_page_hide_error (self, PK_FORM_SLOT_CONSENT);
  pk_form_page_hide_error (self, PK_FORM_SLOT_SENSITIVE);
}

static void
pk_form_page_build_rows (PkFormPage *self)
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
  const PkField *order = pk_form_page_reading_order (self);
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

/* The button says what a tap on it does now. */
static void
pk_form_page_label_consent_button (PkFormPage *self)
{
  gboolean open = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->consent_text_button));

  gtk_button_set_label (GTK_BUTTON (self->consent_text_button),
                        open ? _("Hide the consent text") : _("Read the consent text"));
}

static void
pk_form_page_retranslate (PkFormPage *self)
{
  const char *lang = self->language;

  if (self->petition != NULL)
    {
      const char *organizer = pk_petition_get_organizer (self->petition, lang);
      g_autofree char *organizer_text = NULL;
      const char *sensitive = pk_petition_get_sensitive_consent_text (self->petition, lang);
      const char *consent = pk_petition_get_consent_text (self->petition, lang);

      gtk_label_set_label (GTK_LABEL (self->title_label), pk_petition_get_title (self->petition, lang));
      gtk_label_set_label (GTK_LABEL (self->text_label), pk_petition_get_text (self->petition, lang));
      /* A short line beside each box keeps the fields on a small
       * screen; the organizer's own words are a tap away, and a screen
       * reader reads them with the box. */
      gtk_label_set_label (GTK_LABEL (self->consent_label),
                           _("I consent to the use of my details as the consent text says."));
      gtk_label_set_label (GTK_LABEL (self->consent_text_label), consent);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->consent_check),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, consent,
                                      -1);
      gtk_label_set_label (GTK_LABEL (self->sensitive_label),
                           _("I consent that my signature shows my political opinion, as the consent text says."));
      gtk_label_set_label (GTK_LABEL (self->sensitive_text_label), sensitive != NULL ? sensitive : "");
      gtk_widget_set_visible (self->sensitive_text_label, sensitive != NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->sensitive_check),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sensitive != NULL ? sensitive : "",
                                      -1);
      gtk_widget_set_visible (self->sensitive_box, sensitive != NULL);
      /* The privacy notice names who keeps the data and how to reach them. */
      if (organizer != NULL)
        organizer_text = g_strdup_printf (_("Organizer: %s"), organizer);
      gtk_label_set_label (GTK_LABEL (self->organizer_label), organizer_text ? organizer_text : "");
      gtk_widget_set_visible (self->organizer_label, organizer != NULL);
    }

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

  gtk_label_set_label (GTK_LABEL (self->details_heading), _("Your details"));
  gtk_label_set_label (GTK_LABEL (self->opt_in_label),
                       _("Keep me informed about this campaign (optional)"));
  gtk_label_set_label (GTK_LABEL (self->pad_heading), _("Your signature"));
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("Cancel"));
  gtk_button_set_label (GTK_BUTTON (self->submit_button), _("Sign the petition"));
  gtk_button_set_label (GTK_BUTTON (self->privacy_button), _("Privacy notice"));
  pk_form_page_label_consent_button (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->consent_check),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sensitive_check),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
  gtk_label_set_label (GTK_LABEL (self->failure_title),
                       _("Your signature was NOT saved"));
  pk_signature_pad_retranslate (PK_SIGNATURE_PAD (self->signature_pad));

  pk_form_page_order_rows (self);
  /* Messages already shown were written in the previous language; the
   * next submit brings them back in the new one. */
  pk_form_page_clear_messages (self);
  pk_language_tag_labels (GTK_WIDGET (self), lang);
}

/* What the Submit button does (action form.submit). */
static void
pk_form_page_submit (PkFormPage *self)
{
  g_autoptr(PkSignature) sig = NULL;
  g_autoptr(GError) error = NULL;
  PkField bad_field = PK_N_FIELDS;
  PkStrokes *strokes;

  pk_form_page_clear_messages (self);
  if (self->store == NULL || self->petition == NULL)
    return;

  sig = pk_signature_new ();
  sig->lang = g_strdup (self->language);
  sig->source = PK_SOURCE_KIOSK;
  sig->consent = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->consent_check));
  sig->sensitive_consent = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->sensitive_check));
  sig->opt_in = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->opt_in_check));
  for (PkField field = 0; field < PK_N_FIELDS; field++)
    if (self->rows[field].input != NULL)
      pk_signature_set_field (sig, field, pk_form_page_row_value (&self->rows[field]));

  strokes = pk_signature_pad_get_strokes (PK_SIGNATURE_PAD (self->signature_pad));
  if (!pk_strokes_is_empty (strokes))
    sig->strokes = pk_strokes_encode (strokes);

  if (!pk_form_page_mark_problems (self, sig))
    return;

  /* A repeat signer is stored and thanked like anyone: whoever stands
   * at the kiosk must not be able to test whether someone signed. */
  if (pk_store_add_signature_from_form (self->store, self->petition, sig, &bad_field, &error))
    {
      g_signal_emit (self, signals[SIGNED], 0);
      return;
    }

  if (error->domain == PK_SIGNATURE_ERROR)
    {
      /* The core writes these messages for the signer, so they are
       * shown as they are, next to the field concerned. */
      guint slot = g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_SENSITIVE_CONSENT)
                   ? PK_FORM_SLOT_SENSITIVE : bad_field;
      GtkWidget *input = pk_form_page_show_error (self, slot, error->message);

      pk_form_page_reveal (self, input, slot < PK_N_FIELDS ? self->rows[slot].box : NULL);
      return;
    }

  /* Anything else (disk full, read-only, damaged database) means the
   * signature is not on disk. Say so plainly and keep everything the
   * signer entered, so a volunteer can fix the cause and retry. */
  g_warning ("Could not save a signature: %s", error->message);
  if (g_error_matches (error, PK_STORE_ERROR, PK_STORE_ERROR_FULL))
    gtk_label_set_label (GTK_LABEL (self->failure_detail),
                         _("The kiosk’s disk is full. Please ask a volunteer for help."));
  else if (g_error_matches (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY))
    gtk_label_set_label (GTK_LABEL (self->failure_detail),
                         _("The kiosk cannot write its data. Please ask a volunteer for help."));
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Please ask a volunteer for help. (%s)"),
                                                 error->message);
      gtk_label_set_label (GTK_LABEL (self->failure_detail), detail);
    }
  gtk_widget_set_visible (self->failure_box, TRUE);
}

static void
pk_form_page_submit_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  pk_form_page_submit (PK_FORM_PAGE (widget));
}

/* Empties every text input under @widget (the entries, the comment, the
 * country list's search) and forgets what was typed there: GTK keeps
 * even the step to "" in an input's undo history, so the next signer's
 * Ctrl+Z would bring the last signer's text back. Turning undo off
 * clears that history. */
static void
pk_form_page_forget_typing (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    {
      gtk_editable_set_text (GTK_EDITABLE (widget), "");
      gtk_editable_set_enable_undo (GTK_EDITABLE (widget), FALSE);
      gtk_editable_set_enable_undo (GTK_EDITABLE (widget), TRUE);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pk_form_page_forget_typing (child);
}

static void
pk_form_page_scroll_to_top (PkFormPage *self)
{
  GtkAdjustment *adjustment;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->text_scrolled_window));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

void
pk_form_page_reset (PkFormPage *self)
{
  g_return_if_fail (PK_IS_FORM_PAGE (self));

  /* A question about this signer's form means nothing to the next. */
  if (self->cancel_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->cancel_dialog));

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    if (PK_IS_COUNTRY_CHOOSER (self->rows[field].input))
      pk_country_chooser_set_code (PK_COUNTRY_CHOOSER (self->rows[field].input), NULL);
  pk_form_page_forget_typing (GTK_WIDGET (self));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->consent_check), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->sensitive_check), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->opt_in_check), FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->consent_text_button), FALSE);
  /* The next signer starts on the form, not on someone else's reading. */
  if (self->privacy_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->privacy_dialog));
  pk_signature_pad_clear (PK_SIGNATURE_PAD (self->signature_pad));
  pk_form_page_clear_messages (self);
  pk_form_page_scroll_to_top (self);
}

void
pk_form_page_start (PkFormPage *self)
{
  const PkField *order;

  g_return_if_fail (PK_IS_FORM_PAGE (self));

  order = pk_form_page_reading_order (self);
  for (guint i = 0; i < PK_N_FIELDS; i++)
    if (self->rows[order[i]].input != NULL)
      {
        gtk_widget_grab_focus (self->rows[order[i]].input);
        break;
      }
  /* After the focus, whose move may scroll the form. */
  pk_form_page_scroll_to_top (self);
}

static void
on_cancel_response (PkFormPage *self,
                    const char *response)
{
  if (g_strcmp0 (response, "clear") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.home", NULL);
}

/* Cancel: straight home from an untouched form; from one that holds
 * anything, only once the signer confirms, so that a stray tap near
 * Submit cannot wipe a half-filled form. */
static void
pk_form_page_cancel_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PkFormPage *self = PK_FORM_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (!pk_form_page_holds_data (self))
    {
      gtk_widget_activate_action (widget, "kiosk.home", NULL);
      return;
    }
  if (self->cancel_dialog != NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Clear the form?"),
                                   _("Everything you entered and your signature will be deleted."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "clear", _("C_lear and Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  pk_language_tag_labels (dialog, self->language);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self,
                           G_CONNECT_SWAPPED);
  self->cancel_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->cancel_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWindow *
_pk_form_page_get_cancel_dialog (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return self->cancel_dialog ? GTK_WINDOW (self->cancel_dialog) : NULL;
}

gboolean
pk_form_page_holds_data (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), FALSE);

  for (PkField field = 0; field < PK_N_FIELDS; field++)
    {
      const char *value = self->rows[field].input ? pk_form_page_row_value (&self->rows[field]) : NULL;

      if (value != NULL && *value != '\0')
        return TRUE;
    }

  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->consent_check)) ||
         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->sensitive_check)) ||
         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->opt_in_check)) ||
         !pk_signature_pad_is_empty (PK_SIGNATURE_PAD (self->signature_pad));
}

GtkEditable *
_pk_form_page_get_entry (PkFormPage *self,
                        PkField     field)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);
  g_return_val_if_fail (field < PK_N_FIELDS, NULL);

  return GTK_IS_EDITABLE (self->rows[field].input) ? GTK_EDITABLE (self->rows[field].input) : NULL;
}

PkCountryChooser *
_pk_form_page_get_country_chooser (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return PK_IS_COUNTRY_CHOOSER (self->rows[PK_FIELD_COUNTRY].input)
         ? PK_COUNTRY_CHOOSER (self->rows[PK_FIELD_COUNTRY].input) : NULL;
}

const char *
_pk_form_page_get_error (PkFormPage *self,
                        PkField     field)
{
  GtkWidget *label;

  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);
  g_return_val_if_fail (field <= PK_N_FIELDS, NULL);

  if (field == PK_N_FIELDS)
    label = self->consent_error;
  else if (self->rows[field].box != NULL)
    label = self->rows[field].error;
  else
    return NULL;

  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

const char *
_pk_form_page_get_failure (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->failure_box))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->failure_detail));
}

GtkCheckButton *
_pk_form_page_get_consent (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return GTK_CHECK_BUTTON (self->consent_check);
}

GtkCheckButton *
_pk_form_page_get_sensitive_consent (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return GTK_CHECK_BUTTON (self->sensitive_check);
}

const char *
_pk_form_page_get_sensitive_consent_error (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->sensitive_error))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->sensitive_error));
}

GtkCheckButton *
_pk_form_page_get_opt_in (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return GTK_CHECK_BUTTON (self->opt_in_check);
}

PkSignaturePad *
_pk_form_page_get_pad (PkFormPage *self)
{
  g_return_val_if_fail (PK_IS_FORM_PAGE (self), NULL);

  return PK_SIGNATURE_PAD (self->signature_pad);
}

void
pk_form_page_set_store (PkFormPage *self,
                        PkStore    *store)
{
  g_return_if_fail (PK_IS_FORM_PAGE (self));
  g_return_if_fail (store == NULL || PK_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
pk_form_page_set_petition (PkFormPage *self,
                           PkPetition *petition)
{
  g_return_if_fail (PK_IS_FORM_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (!g_set_object (&self->petition, petition))
    return;

  pk_form_page_build_rows (self);
  pk_form_page_reset (self);
  pk_form_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
}

void
pk_form_page_set_language (PkFormPage *self,
                           const char *language)
{
  g_return_if_fail (PK_IS_FORM_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_form_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
on_privacy_dialog_destroy (PkFormPage *self)
{
  self->privacy_dialog = NULL;
}

/* The notice and the organizer in a scrolled, left-aligned text: a
 * message dialog's body neither scrolls nor fits a long legal text on a
 * 600-pixel screen. */
static GtkWidget *
pk_form_page_privacy_text (const char *notice,
                           const char *organizer)
{
  g_autofree char *text = g_strdup_printf ("%s\n\n%s", notice, organizer);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  return scrolled;
}

/* The petition's own privacy notice (or the neutral default), in the
 * signer's language, over the form; closing it returns to the form as
 * it was. */
static void
pk_form_page_show_privacy (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PkFormPage *self = PK_FORM_PAGE (widget);
  GtkWidget *dialog;

  if (self->petition == NULL || self->privacy_dialog != NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Privacy notice"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      pk_form_page_privacy_text (
                                        pk_petition_get_privacy_notice (self->petition, self->language),
                                        pk_petition_get_organizer (self->petition, self->language)));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  pk_language_tag_labels (dialog, self->language);
  self->privacy_dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_privacy_dialog_destroy),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pk_form_page_dispose (GObject *object)
{
  GtkWidget *child;
  PkFormPage *self = PK_FORM_PAGE (object);

  if (self->cancel_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->cancel_dialog));
  if (self->privacy_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->privacy_dialog));
  g_clear_weak_pointer (&self->reveal_row);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_FORM_PAGE);
  /* The template's unnamed top box is no bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  memset (self->rows, 0, sizeof self->rows);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_form_page_parent_class)->dispose (object);
}

static void
pk_form_page_finalize (GObject *object)
{
  PkFormPage *self = PK_FORM_PAGE (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (pk_form_page_parent_class)->finalize (object);
}

static void
pk_form_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PkFormPage *self = PK_FORM_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PETITION:
      g_value_set_object (value, self->petition);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_form_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PkFormPage *self = PK_FORM_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      pk_form_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PETITION:
      pk_form_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_form_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_form_page_class_init (PkFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_form_page_dispose;
  object_class->finalize = pk_form_page_finalize;
  object_class->get_property = pk_form_page_get_property;
  object_class->set_property = pk_form_page_set_property;

  widget_class->root = pk_form_page_root;
  widget_class->unroot = pk_form_page_unroot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED] = g_signal_new ("signed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PK_TYPE_SIGNATURE_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, text_scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, text_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, details_heading);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_check);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_error);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, sensitive_box);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_revealer);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_text_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, sensitive_text_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, consent_text_button);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, sensitive_check);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, sensitive_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, sensitive_error);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, organizer_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, privacy_button);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, opt_in_check);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, opt_in_label);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, pad_heading);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, signature_pad);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, failure_box);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, failure_title);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, failure_detail);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PkFormPage, submit_button);

  gtk_widget_class_install_action (widget_class, "form.submit", NULL, pk_form_page_submit_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, pk_form_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "form.show-privacy", NULL, pk_form_page_show_privacy);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "formpage");
}

static void
on_check_label_pressed (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        GtkCheckButton  *check)
{
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

static void
on_consent_text_toggled (PkFormPage *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->consent_revealer),
                                 gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->consent_text_button)));
  pk_form_page_label_consent_button (self);
}

/* The texts beside the check boxes are long and must wrap, which a
 * GtkCheckButton's own label cannot do in GTK 4.8; so the label is a
 * sibling that toggles the box when touched, as the built-in one would,
 * and names it for assistive technologies. */
static void
pk_form_page_link_check_label (GtkWidget *check,
                               GtkWidget *label)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_object (click, "pressed", G_CALLBACK (on_check_label_pressed), check, 0);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
}

static void
pk_form_page_init (PkFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  pk_form_page_link_check_label (self->consent_check, self->consent_label);
  pk_form_page_link_check_label (self->sensitive_check, self->sensitive_label);
  pk_form_page_link_check_label (self->opt_in_check, self->opt_in_label);
  g_signal_connect_object (self->consent_check, "toggled",
                           G_CALLBACK (on_consent_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->consent_text_button, "toggled",
                           G_CALLBACK (on_consent_text_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sensitive_check, "toggled",
                           G_CALLBACK (on_consent_toggled), self, G_CONNECT_SWAPPED);

  pk_form_page_retranslate (self);
}
