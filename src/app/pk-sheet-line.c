/* pk-sheet-line.c: one numbered line of a paper signature sheet on the
 * Paper page, as a volunteer types it in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The line knows what is typed in it and what state it is in; saving,
 * striking and correcting in the store are the page's, which holds the
 * store and the open sheet, and hears of them through the line's
 * signals.
 */
#define G_LOG_DOMAIN "pk-sheet-line"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-sheet-line.h"

typedef enum {
  STATUS_TEXT,              /* given as is: errors, or nothing */
  STATUS_SAVED_NOW,
  STATUS_CORRECTED_NOW,
  STATUS_ENTERED_EARLIER,
  STATUS_CORRECTED_EARLIER,
  STATUS_STRUCK,
  STATUS_NOT_COUNTED,
  STATUS_CORRECTING,
} StatusKind;

struct _PkSheetLine
{
  GtkWidget         parent_instance;

  guint             number;
  PkPetition       *petition;
  char             *lang;
  PkSheetLineState  state;
  gboolean          correcting;
  gboolean          edited;       /* typed or ticked since last shown or saved */
  gboolean          loading;      /* filling cells from code: not an edit */
  GtkWidget        *entries[PK_N_FIELDS];
  GPtrArray        *order;        /* the cells in Enter order (unowned) */

  /* What the status says, kept apart from its words so that a language
   * switch can say it again. */
  StatusKind        status_kind;
  char             *status_details;
  gint64            status_when;

  GtkWidget        *number_label;
  GtkWidget        *fields_box;
  GtkWidget        *signed_check;
  GtkWidget        *opt_in_check;
  GtkWidget        *status_box;
  GtkWidget        *status_icon;
  GtkWidget        *status_label;
  GtkWidget        *correct_button;
  GtkWidget        *strike_button;
};

G_DEFINE_FINAL_TYPE (PkSheetLine, pk_sheet_line, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SAVE,
  SIGNAL_STRIKE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when / G_USEC_PER_SEC);

  return local != NULL ? g_date_time_format (local, "%x %H:%M") : g_strdup ("");
}

static void
set_status_label (PkSheetLine *self,
                  const char  *message,
                  const char  *css_class)
{
  gtk_widget_remove_css_class (self->status_label, "error");
  gtk_widget_remove_css_class (self->status_label, "success");
  gtk_widget_remove_css_class (self->status_label, "warning");
  gtk_widget_remove_css_class (self->status_label, "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (self->status_label, css_class);
  gtk_label_set_text (GTK_LABEL (self->status_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->status_icon, self->status_kind == STATUS_NOT_COUNTED);
}

/* Words for the status kept in @self, in the current language. */
static void
show_status_kind (PkSheetLine *self)
{
  g_autofree char *when = format_when (self->status_when);
  g_autofree char *text = NULL;

  switch (self->status_kind)
    {
    case STATUS_SAVED_NOW:
      set_status_label (self, _("Saved"), "success");
      break;
    case STATUS_CORRECTED_NOW:
      text = g_strdup_printf (_("Corrected: %s"), self->status_details);
      set_status_label (self, text, "success");
      break;
    case STATUS_ENTERED_EARLIER:
      text = g_strdup_printf (_("Entered earlier: %s"), self->status_details);
      set_status_label (self, text, "dim-label");
      break;
    case STATUS_CORRECTED_EARLIER:
      text = g_strdup_printf (_("Corrected on %s: %s"), when, self->status_details);
      set_status_label (self, text, "dim-label");
      break;
    case STATUS_STRUCK:
      text = g_strdup_printf (_("Struck out on %s; not counted."), when);
      set_status_label (self, text, "dim-label");
      break;
    case STATUS_NOT_COUNTED:
      set_status_label (self, _("Not signed, so not counted."), "warning");
      break;
    case STATUS_CORRECTING:
      set_status_label (self, _("Correcting: Enter on the last box saves the correction."), NULL);
      break;
    case STATUS_TEXT:
    default:
      break;
    }
}

static void
set_status_kind (PkSheetLine *self,
                 StatusKind   kind,
                 const char  *details,
                 gint64       when)
{
  self->status_kind = kind;
  g_free (self->status_details);
  self->status_details = g_strdup (details);
  self->status_when = when;
  show_status_kind (self);
}

void
pk_sheet_line_retranslate (PkSheetLine *self)
{
  g_autofree char *signed_label = NULL;
  g_autofree char *opt_in_label = NULL;
  g_autofree char *correct_label = NULL;
  g_autofree char *strike_label = NULL;

  g_return_if_fail (PK_IS_SHEET_LINE (self));

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (self->entries[f] != NULL)
      {
        g_autofree char *label = g_strdup_printf (_("%s, line %u"), pk_field_get_title (f),
                                                  self->number);

        gtk_accessible_update_property (GTK_ACCESSIBLE (self->entries[f]),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }

  signed_label = g_strdup_printf (_("Line %u is signed"), self->number);
  opt_in_label = g_strdup_printf (_("Keep informed, line %u"), self->number);
  correct_label = g_strdup_printf (_("Correct line %u"), self->number);
  strike_label = g_strdup_printf (_("Strike out line %u"), self->number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signed_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, signed_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->opt_in_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, opt_in_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->correct_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, correct_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->strike_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, strike_label, -1);
  gtk_widget_set_tooltip_text (self->correct_button, _("Correct this line"));
  gtk_widget_set_tooltip_text (self->strike_button, _("Strike out this line"));
  show_status_kind (self);
}

guint
pk_sheet_line_get_number (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), 0);

  return self->number;
}

PkSheetLineState
pk_sheet_line_get_state (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), PK_SHEET_LINE_OPEN);

  return self->state;
}

gboolean
pk_sheet_line_get_correcting (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), FALSE);

  return self->correcting;
}

gboolean
pk_sheet_line_is_empty (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), TRUE);

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (self->entries[f] != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->entries[f])) != '\0')
      return FALSE;
  return TRUE;
}

gboolean
pk_sheet_line_is_dirty (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), FALSE);

  return self->state == PK_SHEET_LINE_OPEN && self->edited &&
         (!pk_sheet_line_is_empty (self) || pk_sheet_line_get_signed (self));
}

gboolean
pk_sheet_line_get_signed (PkSheetLine *self)
{
  g_return_val_if_fail (PK_IS_SHEET_LINE (self), FALSE);

  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->signed_check));
}

PkSignature *
pk_sheet_line_to_signature (PkSheetLine *self)
{
  PkSignature *sig;

  g_return_val_if_fail (PK_IS_SHEET_LINE (self), NULL);

  sig = pk_signature_new ();
  sig->lang = g_strdup (self->lang);
  /* The signer signed below the consent and privacy notice printed on
   * the sheet, in the sheet's language, and below the sensitive-data
   * consent when the petition has one (the sheet says a signature gives
   * both). */
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->opt_in = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->opt_in_check));
  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (self->entries[f] != NULL)
      pk_signature_set_field (sig, f, gtk_editable_get_text (GTK_EDITABLE (self->entries[f])));
  return sig;
}

static void
set_editable (PkSheetLine *self,
              gboolean     editable)
{
  for (guint i = 0; i < self->order->len; i++)
    gtk_widget_set_sensitive (self->order->pdata[i], editable);
}

static void
set_state (PkSheetLine      *self,
           PkSheetLineState  state)
{
  self->state = state;
  self->edited = FALSE;
  set_editable (self, state == PK_SHEET_LINE_OPEN || state == PK_SHEET_LINE_NOT_COUNTED);
  gtk_widget_set_visible (self->correct_button, state == PK_SHEET_LINE_SAVED || state == PK_SHEET_LINE_STRUCK);
  gtk_widget_set_visible (self->strike_button, state == PK_SHEET_LINE_SAVED);
  if (state == PK_SHEET_LINE_NOT_COUNTED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pk-not-counted");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pk-not-counted");
  if (state == PK_SHEET_LINE_STRUCK)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pk-struck");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pk-struck");
}

void
pk_sheet_line_set_status (PkSheetLine *self,
                          const char  *message,
                          const char  *css_class)
{
  g_return_if_fail (PK_IS_SHEET_LINE (self));

  self->status_kind = STATUS_TEXT;
  g_clear_pointer (&self->status_details, g_free);
  set_status_label (self, message, css_class);
}

static void
load_signature (PkSheetLine       *self,
                const PkSignature *sig)
{
  self->loading = TRUE;
  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (self->entries[f] != NULL)
      {
        gtk_widget_remove_css_class (self->entries[f], "error");
        gtk_editable_set_text (GTK_EDITABLE (self->entries[f]),
                               sig != NULL && sig->fields[f] != NULL ? sig->fields[f] : "");
      }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->signed_check), sig != NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->opt_in_check), sig != NULL && sig->opt_in);
  self->loading = FALSE;
}

void
pk_sheet_line_show_saved (PkSheetLine        *self,
                          const PkSignature  *sig,
                          PkSheetLineHistory  history,
                          const char         *details,
                          gint64              when)
{
  static const StatusKind kinds[] = {
    [PK_SHEET_LINE_SAVED_NOW] = STATUS_SAVED_NOW,
    [PK_SHEET_LINE_CORRECTED_NOW] = STATUS_CORRECTED_NOW,
    [PK_SHEET_LINE_ENTERED_EARLIER] = STATUS_ENTERED_EARLIER,
    [PK_SHEET_LINE_CORRECTED_EARLIER] = STATUS_CORRECTED_EARLIER,
  };

  g_return_if_fail (PK_IS_SHEET_LINE (self));
  g_return_if_fail (sig != NULL);
  g_return_if_fail (history < G_N_ELEMENTS (kinds));

  load_signature (self, sig);
  self->correcting = FALSE;
  set_state (self, PK_SHEET_LINE_SAVED);
  set_status_kind (self, kinds[history], details, when);
}

void
pk_sheet_line_show_struck (PkSheetLine *self,
                           gint64       struck_at)
{
  g_return_if_fail (PK_IS_SHEET_LINE (self));

  /* The struck line's details left the store with it. */
  load_signature (self, NULL);
  self->correcting = FALSE;
  set_state (self, PK_SHEET_LINE_STRUCK);
  set_status_kind (self, STATUS_STRUCK, NULL, struck_at);
}

void
pk_sheet_line_show_not_counted (PkSheetLine *self)
{
  g_return_if_fail (PK_IS_SHEET_LINE (self));

  set_state (self, PK_SHEET_LINE_NOT_COUNTED);
  set_status_kind (self, STATUS_NOT_COUNTED, NULL, 0);
}

void
pk_sheet_line_show_error (PkSheetLine *self,
                          PkField      field,
                          const char  *message)
{
  g_return_if_fail (PK_IS_SHEET_LINE (self));

  pk_sheet_line_set_status (self, message, "error");
  if (field < PK_N_FIELDS && self->entries[field] != NULL)
    {
      gtk_widget_add_css_class (self->entries[field], "error");
      gtk_widget_grab_focus (self->entries[field]);
    }
  else if (field == PK_FIELD_GIVEN_NAME || field == PK_FIELD_FAMILY_NAME)
    pk_sheet_line_focus (self);
}

void
pk_sheet_line_focus (PkSheetLine *self)
{
  g_return_if_fail (PK_IS_SHEET_LINE (self));

  gtk_widget_grab_focus (self->order->pdata[0]);
}

GtkWidget *
pk_sheet_line_get_cell (PkSheetLine *self,
                        const char  *column)
{
  PkField field;

  g_return_val_if_fail (PK_IS_SHEET_LINE (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  if (g_str_equal (column, "signed"))
    return self->signed_check;
  if (g_str_equal (column, "opt_in"))
    return self->opt_in_check;
  if (g_str_equal (column, "status"))
    return self->status_label;
  if (g_str_equal (column, "correct"))
    return self->correct_button;
  if (g_str_equal (column, "strike"))
    return self->strike_button;
  if (pk_field_from_string (column, &field))
    return self->entries[field];
  return NULL;
}

/* Checks the field just left, as the volunteer leaves it: a malformed
 * email is flagged while the sheet is still in view, not at the end of
 * the line. Missing fields wait for the save, since the line is not
 * finished yet. Returns FALSE, with the field marked, when it is wrong. */
static gboolean
check_field (PkSheetLine *self,
             PkField      field)
{
  g_autoptr(PkSignature) sig = pk_sheet_line_to_signature (self);
  g_autoptr(GError) error = NULL;
  PkField bad = PK_N_FIELDS;

  if (pk_signature_validate (sig, self->petition, &bad, &error) || bad != field ||
      g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_REQUIRED) ||
      g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_NO_NAME))
    {
      pk_sheet_line_set_status (self, NULL, NULL);
      return TRUE;
    }

  gtk_widget_add_css_class (self->entries[field], "error");
  pk_sheet_line_set_status (self, error->message, "error");
  return FALSE;
}

/* Enter: the next cell of the line, or save the line after its last. */
static void
move_on (PkSheetLine *self,
         GtkWidget   *from)
{
  guint index;

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (self->entries[f] == from && !check_field (self, f))
      return;

  if (g_ptr_array_find (self->order, from, &index) && index + 1 < self->order->len)
    gtk_widget_grab_focus (self->order->pdata[index + 1]);
  else
    g_signal_emit (self, signals[SIGNAL_SAVE], 0);
}

static void
on_entry_activate (PkSheetLine *self,
                   GtkEntry    *entry)
{
  move_on (self, GTK_WIDGET (entry));
}

static void
on_cell_changed (PkSheetLine *self,
                 GtkWidget   *cell)
{
  if (self->loading)
    return;

  if (GTK_IS_EDITABLE (cell))
    gtk_widget_remove_css_class (cell, "error");
  self->edited = TRUE;
  /* A line left unsigned and then changed is being typed again. */
  if (self->state == PK_SHEET_LINE_NOT_COUNTED)
    {
      set_state (self, PK_SHEET_LINE_OPEN);
      self->edited = TRUE;
      pk_sheet_line_set_status (self, NULL, NULL);
    }
}

static void
on_correct_clicked (PkSheetLine *self)
{
  self->correcting = self->state == PK_SHEET_LINE_SAVED;
  set_state (self, PK_SHEET_LINE_OPEN);
  if (self->correcting)
    set_status_kind (self, STATUS_CORRECTING, NULL, 0);
  else
    pk_sheet_line_set_status (self, NULL, NULL);
  pk_sheet_line_focus (self);
}

static void
on_strike_clicked (PkSheetLine *self)
{
  g_signal_emit (self, signals[SIGNAL_STRIKE], 0);
}

static gboolean
on_check_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      PkSheetLine           *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  /* Space ticks the box; Enter moves on, as everywhere on the sheet. */
  move_on (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  return TRUE;
}

static void
add_enter_controller (PkSheetLine *self,
                      GtkWidget   *check)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_check_key_pressed), self, 0);
  gtk_widget_add_controller (check, keys);
}

PkSheetLine *
pk_sheet_line_new (guint           number,
                   PkPetition     *petition,
                   const char     *lang,
                   const PkField  *columns,
                   guint           n_columns,
                   GtkSizeGroup  **size_groups)
{
  g_autofree char *text = g_strdup_printf ("%u", number);
  PkSheetLine *self;
  guint cell = 0;

  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (size_groups != NULL, NULL);

  self = g_object_new (PK_TYPE_SHEET_LINE, NULL);
  self->number = number;
  self->petition = g_object_ref (petition);
  self->lang = g_strdup (lang);

  gtk_label_set_text (GTK_LABEL (self->number_label), text);
  gtk_size_group_add_widget (size_groups[cell++], self->number_label);
  for (guint i = 0; i < n_columns; i++)
    {
      PkField field = columns[i];
      GtkWidget *entry = gtk_entry_new ();

      gtk_widget_set_hexpand (entry, TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), field == PK_FIELD_EMAIL ? 18 : 8);
      if (field == PK_FIELD_EMAIL)
        gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_EMAIL);
      g_signal_connect_object (entry, "activate", G_CALLBACK (on_entry_activate), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (entry, "changed", G_CALLBACK (on_cell_changed), self, G_CONNECT_SWAPPED);
      self->entries[field] = entry;
      g_ptr_array_add (self->order, entry);
      gtk_box_append (GTK_BOX (self->fields_box), entry);
      gtk_size_group_add_widget (size_groups[cell++], entry);
    }
  g_ptr_array_add (self->order, self->signed_check);
  g_ptr_array_add (self->order, self->opt_in_check);
  gtk_size_group_add_widget (size_groups[cell++], self->signed_check);
  gtk_size_group_add_widget (size_groups[cell++], self->opt_in_check);
  gtk_size_group_add_widget (size_groups[cell], self->status_box);

  pk_sheet_line_retranslate (self);
  return self;
}

static void
pk_sheet_line_dispose (GObject *object)
{
  PkSheetLine *self = PK_SHEET_LINE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_SHEET_LINE);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_sheet_line_parent_class)->dispose (object);
}

static void
pk_sheet_line_finalize (GObject *object)
{
  PkSheetLine *self = PK_SHEET_LINE (object);

  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_free (self->status_details);
  g_free (self->lang);

  G_OBJECT_CLASS (pk_sheet_line_parent_class)->finalize (object);
}

static void
pk_sheet_line_class_init (PkSheetLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_sheet_line_dispose;
  object_class->finalize = pk_sheet_line_finalize;

  signals[SIGNAL_SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STRIKE] = g_signal_new ("strike", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pk-sheet-line");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-sheet-line.ui");
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, number_label);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, fields_box);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, signed_check);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, opt_in_check);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, status_box);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, correct_button);
  gtk_widget_class_bind_template_child (widget_class, PkSheetLine, strike_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cell_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_correct_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_strike_clicked);
}

static void
pk_sheet_line_init (PkSheetLine *self)
{
  GtkLayoutManager *layout;

  self->order = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  add_enter_controller (self, self->signed_check);
  add_enter_controller (self, self->opt_in_check);
}
