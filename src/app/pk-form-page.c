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
#include "pk-signature.h"
#include "pk-strokes.h"

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

static void
on_consent_toggled (PkFormPage *self)
{
  _pk_form_page_hide_error (self, PK_FORM_SLOT_CONSENT);
  _pk_form_page_hide_error (self, PK_FORM_SLOT_SENSITIVE);
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

  _pk_form_page_retranslate_rows (self);

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

  /* Messages already shown were written in the previous language; the
   * next submit brings them back in the new one. */
  _pk_form_page_clear_messages (self);
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

  _pk_form_page_clear_messages (self);
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
      pk_signature_set_field (sig, field, _pk_form_page_row_value (&self->rows[field]));

  strokes = pk_signature_pad_get_strokes (PK_SIGNATURE_PAD (self->signature_pad));
  if (!pk_strokes_is_empty (strokes))
    sig->strokes = pk_strokes_encode (strokes);

  if (!_pk_form_page_mark_problems (self, sig))
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
      GtkWidget *input = _pk_form_page_show_error (self, slot, error->message);

      _pk_form_page_reveal (self, input, slot < PK_N_FIELDS ? self->rows[slot].box : NULL);
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
  _pk_form_page_clear_messages (self);
  pk_form_page_scroll_to_top (self);
}

void
pk_form_page_start (PkFormPage *self)
{
  const PkField *order;

  g_return_if_fail (PK_IS_FORM_PAGE (self));

  order = _pk_form_page_reading_order (self);
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
      const char *value = self->rows[field].input ? _pk_form_page_row_value (&self->rows[field]) : NULL;

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

  _pk_form_page_build_rows (self);
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
