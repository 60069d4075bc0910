/* pk-transcribe-page.c: the admin's "Paper" page: transcribing and
 * counting signature sheets, printing sheets and flyers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speed at a keyboard is the point: a volunteer after an event has a
 * stack of sheets. The serial entry is where a USB scanner "types" the
 * sheet's small QR code (ending with Enter); the grid mirrors the
 * sheet's columns from left to right; Enter moves on, and on a line's
 * last field saves the line and jumps to the next. Every line is saved
 * on its own, at once, so nothing typed is lost to a crash.
 */
#define G_LOG_DOMAIN "pk-transcribe-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-transcribe-page.h"

/* Store setting: the number the next printed sheet gets, so that print
 * runs never repeat a serial. */
#define SETTING_NEXT_SHEET "paper-next-sheet"

/* The columns of a line after the signer fields. */
enum {
  CELL_SIGNED = PK_N_FIELDS,
  CELL_OPT_IN,
  CELL_STATUS,
};

typedef struct {
  PkTranscribePage *page;        /* unowned: the page owns the lines */
  guint             line;
  GtkWidget        *entries[PK_N_FIELDS];
  GtkWidget        *signed_check;
  GtkWidget        *opt_in_check;
  GtkWidget        *status;
  GPtrArray        *order;       /* the cells in Enter order (unowned) */
  gboolean          done;        /* saved, now or earlier: read-only */
} Line;

struct _PkTranscribePage
{
  GtkWidget             parent_instance;

  PkStore              *store;
  PkPetition           *petition;
  char                 *language;
  GtkFileChooserNative *chooser;

  /* The open sheet. */
  char                 *serial;
  guint                 number;
  gboolean              count_only;
  gboolean              counted_before;
  GPtrArray            *lines;         /* Line*, in the grid */
  GArray               *columns;       /* PkField, in grid order */
  GPtrArray            *headers;       /* GtkLabel*, the grid's header row */

  GtkWidget            *preferences_page;
  GtkWidget            *sheet_group;
  GtkWidget            *serial_entry;
  GtkWidget            *lang_dropdown;
  GtkWidget            *lines_toggle;
  GtkWidget            *count_toggle;
  GtkWidget            *open_button;
  GtkWidget            *status_label;
  GtkWidget            *lines_group;
  GtkWidget            *grid;
  GtkWidget            *count_group;
  GtkWidget            *count_row;
  GtkWidget            *count_spin;
  GtkWidget            *count_button;
  GtkWidget            *totals_group;
  GtkWidget            *totals_row;
  GtkWidget            *totals_label;
  GtkWidget            *print_group;
  GtkWidget            *print_count_row;
  GtkWidget            *print_count_spin;
  GtkWidget            *print_first_row;
  GtkWidget            *print_first_spin;
  GtkWidget            *paper_row;
  GtkWidget            *paper_dropdown;
  GtkWidget            *flyers_button;
  GtkWidget            *print_button;
};

G_DEFINE_FINAL_TYPE (PkTranscribePage, pk_transcribe_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
line_free (Line *line)
{
  g_clear_pointer (&line->order, g_ptr_array_unref);
  g_free (line);
}

static const char *
field_title (PkField field)
{
  switch (field)
    {
    case PK_FIELD_GIVEN_NAME:
      return _("Given name");
    case PK_FIELD_FAMILY_NAME:
      return _("Family name");
    case PK_FIELD_EMAIL:
      return _("Email");
    case PK_FIELD_PHONE:
      return _("Phone");
    case PK_FIELD_POSTAL_CODE:
      return _("Postal code");
    case PK_FIELD_COUNTRY:
      return _("Country");
    case PK_FIELD_COMMENT:
      return _("Comment");
    case PK_N_FIELDS:
    default:
      return "";
    }
}

static const char *
cell_title (int cell)
{
  if (cell < PK_N_FIELDS)
    return field_title ((PkField) cell);
  if (cell == CELL_SIGNED)
    return _("Signed");
  if (cell == CELL_OPT_IN)
    return _("Keep informed");
  return "";
}

/* The language the sheet in hand is printed in: what the signers read
 * and consented in. */
static const char *
sheet_language (PkTranscribePage *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lang_dropdown));

  return selected < PK_N_LANGUAGES ? pk_languages[selected] : "en";
}

static gboolean
paper_is_letter (PkTranscribePage *self)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->paper_dropdown)) == 1;
}

static void
show_status (PkTranscribePage *self,
             const char       *message,
             const char       *css_class)
{
  gtk_widget_remove_css_class (self->status_label, "error");
  gtk_widget_remove_css_class (self->status_label, "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (self->status_label, css_class);
  gtk_label_set_text (GTK_LABEL (self->status_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->status_label, message != NULL && *message != '\0');
}

static void
line_show_status (Line       *line,
                  const char *message,
                  const char *css_class)
{
  gtk_widget_remove_css_class (line->status, "error");
  gtk_widget_remove_css_class (line->status, "success");
  gtk_widget_remove_css_class (line->status, "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (line->status, css_class);
  gtk_label_set_text (GTK_LABEL (line->status), message != NULL ? message : "");
}

static void
refresh_totals (PkTranscribePage *self)
{
  const char *petition_id = self->petition != NULL ? pk_petition_get_id (self->petition) : NULL;
  g_autofree char *total = NULL;
  g_autofree char *subtitle = NULL;
  guint64 signatures = 0, sheets = 0;

  if (self->store != NULL && petition_id != NULL)
    {
      signatures = pk_store_paper_count_total (self->store, petition_id);
      sheets = pk_store_paper_count_sheets (self->store, petition_id);
    }

  total = g_strdup_printf ("%" G_GUINT64_FORMAT, signatures);
  gtk_label_set_text (GTK_LABEL (self->totals_label), total);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "From %u sheet handed in as paper; kept apart from the signatures in the database.",
                                           "From %u sheets handed in as paper; kept apart from the signatures in the database.",
                                           (gulong) sheets),
                              (guint) sheets);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->totals_row), subtitle);
}

static void
refresh_next_sheet (PkTranscribePage *self)
{
  g_autofree char *next = NULL;
  guint64 value = 1;

  if (self->store != NULL)
    next = pk_store_get_setting (self->store, SETTING_NEXT_SHEET);
  if (next == NULL || !g_ascii_string_to_unsigned (next, 10, 1, PK_SHEET_MAX_NUMBER, &value, NULL))
    value = 1;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->print_first_spin), (double) value);
}

/* ----- the grid of lines ------------------------------------------------- */

static void
clear_sheet (PkTranscribePage *self)
{
  GtkWidget *child;

  /* Widgets first: their signal handlers point at the lines. */
  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->lines, 0);
  g_ptr_array_set_size (self->headers, 0);
  g_array_set_size (self->columns, 0);
  g_clear_pointer (&self->serial, g_free);
  self->number = 0;
  gtk_widget_set_visible (self->lines_group, FALSE);
  gtk_widget_set_visible (self->count_group, FALSE);
}

static void
set_line_accessible_labels (Line *line)
{
  PkTranscribePage *self = line->page;

  for (guint i = 0; i < self->columns->len; i++)
    {
      PkField field = g_array_index (self->columns, PkField, i);
      g_autofree char *label = g_strdup_printf (_("%s, line %u"), field_title (field), line->line);

      gtk_accessible_update_property (GTK_ACCESSIBLE (line->entries[field]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  {
    g_autofree char *signed_label = g_strdup_printf (_("Line %u is signed"), line->line);
    g_autofree char *opt_in_label = g_strdup_printf (_("Keep informed, line %u"), line->line);

    gtk_accessible_update_property (GTK_ACCESSIBLE (line->signed_check),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, signed_label, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (line->opt_in_check),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, opt_in_label, -1);
  }
}

static void
line_set_done (Line *line)
{
  line->done = TRUE;
  for (guint i = 0; i < line->order->len; i++)
    gtk_widget_set_sensitive (line->order->pdata[i], FALSE);
}

/* Shows a stored signature in @line, read-only. */
static void
line_show_signature (Line              *line,
                     const PkSignature *sig)
{
  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (line->entries[f] != NULL)
      gtk_editable_set_text (GTK_EDITABLE (line->entries[f]), sig->fields[f] ? sig->fields[f] : "");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (line->signed_check), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (line->opt_in_check), sig->opt_in);
  line_set_done (line);
}

/* "홍 길동, 03142, hong@example.org": an earlier entry in one line. */
static char *
describe_signature (const PkSignature *sig)
{
  static const PkField shown[] = {
    PK_FIELD_GIVEN_NAME, PK_FIELD_FAMILY_NAME, PK_FIELD_POSTAL_CODE, PK_FIELD_EMAIL
  };
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      const char *value = sig->fields[shown[i]];

      if (value == NULL)
        continue;
      if (str->len > 0)
        g_string_append (str, shown[i] == PK_FIELD_FAMILY_NAME ? " " : ", ");
      g_string_append (str, value);
    }
  if (str->len == 0)
    g_string_append (str, _("details not readable on this kiosk"));

  return g_string_free (str, FALSE);
}

static Line *
next_open_line (PkTranscribePage *self,
                guint             after)
{
  for (guint i = after; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];

      if (!line->done)
        return line;
    }
  return NULL;
}

static void
focus_line (PkTranscribePage *self,
            Line             *line)
{
  if (line != NULL)
    gtk_widget_grab_focus (line->order->pdata[0]);
  else
    {
      guint done = 0;

      /* The sheet is done: back to the serial for the next one. */
      for (guint i = 0; i < self->lines->len; i++)
        done += ((Line *) self->lines->pdata[i])->done ? 1 : 0;
      if (self->serial != NULL)
        {
          g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "Sheet %u has %u line entered. Scan or type the next sheet.",
                                                                   "Sheet %u has %u lines entered. Scan or type the next sheet.",
                                                                   done),
                                                      self->number, done);

          show_status (self, message, "success");
        }
      gtk_widget_grab_focus (self->serial_entry);
      gtk_editable_select_region (GTK_EDITABLE (self->serial_entry), 0, -1);
    }
}

static void
save_line (Line *line)
{
  PkTranscribePage *self = line->page;
  g_autoptr(PkSignature) sig = NULL;
  g_autoptr(GError) error = NULL;
  PkField field = PK_N_FIELDS;
  gboolean is_signed = gtk_check_button_get_active (GTK_CHECK_BUTTON (line->signed_check));
  gboolean empty = TRUE;

  if (line->done)
    {
      focus_line (self, next_open_line (self, line->line));
      return;
    }

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (line->entries[f] != NULL)
      {
        gtk_widget_remove_css_class (line->entries[f], "error");
        if (*gtk_editable_get_text (GTK_EDITABLE (line->entries[f])) != '\0')
          empty = FALSE;
      }

  if (!is_signed)
    {
      /* An unsigned line does not count; an empty one is just skipped. */
      line_show_status (line, empty ? NULL : _("Not signed, so not counted."), "dim-label");
      focus_line (self, next_open_line (self, line->line));
      return;
    }

  sig = pk_signature_new ();
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (self->serial);
  sig->sheet_line = line->line;
  sig->lang = g_strdup (sheet_language (self));
  /* The signer signed below the consent and privacy notice printed on
   * the sheet, in the sheet's language, and below the sensitive-data
   * consent when the petition has one (the sheet says a signature gives
   * both). */
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  sig->opt_in = gtk_check_button_get_active (GTK_CHECK_BUTTON (line->opt_in_check));
  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (line->entries[f] != NULL)
      pk_signature_set_field (sig, f, gtk_editable_get_text (GTK_EDITABLE (line->entries[f])));

  /* Someone may have counted this sheet since it was opened here. */
  {
    gboolean counted = FALSE;

    if (!pk_store_paper_sheet_state (self->store, self->serial, NULL, &counted, &error))
      {
        line_show_status (line, error->message, "error");
        return;
      }
    if (counted)
      {
        line_show_status (line, _("This sheet was entered as a count only in the meantime, so its lines cannot also be transcribed."),
                          "error");
        return;
      }
  }

  if (pk_store_add_signature (self->store, self->petition, sig, &field, &error))
    {
      line_show_status (line, _("Saved"), "success");
      line_set_done (line);
      focus_line (self, next_open_line (self, line->line));
      return;
    }

  if (g_error_matches (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN))
    {
      g_autoptr(GError) lookup_error = NULL;
      g_autoptr(PkSignature) earlier = pk_store_find_paper_line (self->store, self->serial,
                                                                 line->line, &lookup_error);
      g_autofree char *message = NULL;

      if (earlier != NULL)
        {
          g_autofree char *details = describe_signature (earlier);

          message = g_strdup_printf (_("Already entered earlier: %s. Not saved again."), details);
        }
      line_show_status (line, message != NULL ? message : error->message, "error");
      return;
    }

  line_show_status (line, error->message, "error");
  if (field < PK_N_FIELDS && line->entries[field] != NULL)
    {
      gtk_widget_add_css_class (line->entries[field], "error");
      gtk_widget_grab_focus (line->entries[field]);
    }
  else if (field < PK_N_FIELDS && (field == PK_FIELD_GIVEN_NAME || field == PK_FIELD_FAMILY_NAME))
    gtk_widget_grab_focus (line->order->pdata[0]);
}

/* Checks the field just left, as the volunteer leaves it: a malformed
 * email is flagged while the sheet is still in view, not at the end of
 * the line. Missing fields wait for the save, since the line is not
 * finished yet. Returns FALSE, with the field marked, when it is wrong. */
static gboolean
check_field (Line    *line,
             PkField  field)
{
  PkTranscribePage *self = line->page;
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;
  PkField bad = PK_N_FIELDS;

  sig->lang = g_strdup (sheet_language (self));
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (line->entries[f] != NULL)
      pk_signature_set_field (sig, f, gtk_editable_get_text (GTK_EDITABLE (line->entries[f])));

  if (pk_signature_validate (sig, self->petition, &bad, &error) || bad != field ||
      g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_REQUIRED) ||
      g_error_matches (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_NO_NAME))
    {
      line_show_status (line, NULL, NULL);
      return TRUE;
    }

  gtk_widget_add_css_class (line->entries[field], "error");
  line_show_status (line, error->message, "error");
  return FALSE;
}

/* Enter: the next cell of the line, or save the line after its last. */
static void
move_on (Line      *line,
         GtkWidget *from)
{
  guint index;

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (line->entries[f] == from && !check_field (line, f))
      return;

  if (g_ptr_array_find (line->order, from, &index) && index + 1 < line->order->len)
    gtk_widget_grab_focus (line->order->pdata[index + 1]);
  else
    save_line (line);
}

static void
on_entry_activate (GtkEntry *entry,
                   Line     *line)
{
  move_on (line, GTK_WIDGET (entry));
}

static void
on_entry_changed (GtkEditable *editable,
                  Line        *line)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static gboolean
on_check_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      Line                  *line)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  /* Space ticks the box; Enter moves on, as everywhere on the sheet. */
  move_on (line, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  return TRUE;
}

static GtkWidget *
new_check (Line *line)
{
  GtkWidget *check = gtk_check_button_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_check_key_pressed), line);
  gtk_widget_add_controller (check, keys);
  return check;
}

static GtkWidget *
new_header (PkTranscribePage *self,
            int               cell)
{
  GtkWidget *label = gtk_label_new (cell_title (cell));

  gtk_label_set_xalign (GTK_LABEL (label), cell < PK_N_FIELDS ? 0 : 0.5f);
  gtk_widget_add_css_class (label, "caption-heading");
  g_object_set_data (G_OBJECT (label), "pk-cell", GINT_TO_POINTER (cell));
  g_ptr_array_add (self->headers, label);
  return label;
}

static void
build_grid (PkTranscribePage *self)
{
  GtkGrid *grid = GTK_GRID (self->grid);
  gboolean korean = g_str_equal (sheet_language (self), "ko");
  /* The sheet's order, left to right: name, address or postal code,
   * email. Korean writes the family name (성) first. */
  PkField order[] = {
    korean ? PK_FIELD_FAMILY_NAME : PK_FIELD_GIVEN_NAME,
    korean ? PK_FIELD_GIVEN_NAME : PK_FIELD_FAMILY_NAME,
    PK_FIELD_POSTAL_CODE,
    PK_FIELD_EMAIL,
  };
  guint col;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (pk_petition_has_field (self->petition, order[i]))
      g_array_append_val (self->columns, order[i]);

  col = 0;
  gtk_grid_attach (grid, new_header (self, CELL_STATUS), col++, 0, 1, 1);
  for (guint i = 0; i < self->columns->len; i++)
    gtk_grid_attach (grid, new_header (self, g_array_index (self->columns, PkField, i)), col++, 0, 1, 1);
  gtk_grid_attach (grid, new_header (self, CELL_SIGNED), col++, 0, 1, 1);
  gtk_grid_attach (grid, new_header (self, CELL_OPT_IN), col++, 0, 1, 1);

  for (guint n = 1; n <= PK_SHEET_LINES; n++)
    {
      Line *line = g_new0 (Line, 1);
      g_autofree char *number = g_strdup_printf ("%u", n);
      GtkWidget *label = gtk_label_new (number);

      line->page = self;
      line->line = n;
      line->order = g_ptr_array_new ();
      g_ptr_array_add (self->lines, line);

      col = 0;
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (grid, label, col++, n, 1, 1);

      for (guint i = 0; i < self->columns->len; i++)
        {
          PkField field = g_array_index (self->columns, PkField, i);
          GtkWidget *entry = gtk_entry_new ();

          gtk_widget_set_hexpand (entry, TRUE);
          gtk_editable_set_width_chars (GTK_EDITABLE (entry), field == PK_FIELD_EMAIL ? 18 : 10);
          if (field == PK_FIELD_EMAIL)
            gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_EMAIL);
          g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), line);
          g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), line);
          line->entries[field] = entry;
          g_ptr_array_add (line->order, entry);
          gtk_grid_attach (grid, entry, col++, n, 1, 1);
        }

      line->signed_check = new_check (line);
      g_ptr_array_add (line->order, line->signed_check);
      gtk_grid_attach (grid, line->signed_check, col++, n, 1, 1);
      line->opt_in_check = new_check (line);
      g_ptr_array_add (line->order, line->opt_in_check);
      gtk_grid_attach (grid, line->opt_in_check, col++, n, 1, 1);

      line->status = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (line->status), 0);
      gtk_label_set_wrap (GTK_LABEL (line->status), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (line->status), 36);
      gtk_label_set_width_chars (GTK_LABEL (line->status), 16);
      gtk_widget_add_css_class (line->status, "caption");
      gtk_grid_attach (grid, line->status, col++, n, 1, 1);

      set_line_accessible_labels (line);
    }
}

static void
retranslate_grid (PkTranscribePage *self)
{
  g_autofree char *title = NULL;

  for (guint i = 0; i < self->headers->len; i++)
    {
      GtkWidget *label = self->headers->pdata[i];

      gtk_label_set_text (GTK_LABEL (label),
                          cell_title (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "pk-cell"))));
    }
  for (guint i = 0; i < self->lines->len; i++)
    set_line_accessible_labels (self->lines->pdata[i]);

  if (self->serial != NULL)
    {
      title = g_strdup_printf (_("Sheet %s"), self->serial);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->lines_group), title);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->count_group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->lines_group),
                                             _("Enter moves to the next field; on the last field of a line it saves the line. Space ticks a box."));
    }
}

static gboolean
open_lines (PkTranscribePage  *self,
            GError           **error)
{
  g_autoptr(GPtrArray) earlier = NULL;
  guint entered = 0;

  earlier = pk_store_paper_get_sheet (self->store, self->serial, error);
  if (earlier == NULL)
    return FALSE;

  build_grid (self);
  for (guint i = 0; i < earlier->len; i++)
    {
      PkSignature *sig = earlier->pdata[i];

      if (sig->sheet_line >= 1 && sig->sheet_line <= self->lines->len)
        {
          Line *line = self->lines->pdata[sig->sheet_line - 1];
          g_autofree char *details = describe_signature (sig);
          g_autofree char *message = g_strdup_printf (_("Entered earlier: %s"), details);

          line_show_signature (line, sig);
          line_show_status (line, message, "dim-label");
          entered++;
        }
    }

  retranslate_grid (self);
  gtk_widget_set_visible (self->lines_group, TRUE);
  if (entered > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u line of this sheet was entered earlier; it is shown and cannot be entered again.",
                                                               "%u lines of this sheet were entered earlier; they are shown and cannot be entered again.",
                                                               entered),
                                                  entered);
      show_status (self, message, NULL);
    }
  else
    show_status (self, NULL, NULL);

  focus_line (self, next_open_line (self, 0));
  return TRUE;
}

static gboolean
open_count (PkTranscribePage  *self,
            GError           **error)
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

      show_status (self, message, NULL);
    }
  else
    show_status (self, NULL, NULL);

  retranslate_grid (self);
  gtk_widget_set_visible (self->count_group, TRUE);
  gtk_widget_grab_focus (self->count_spin);
  return TRUE;
}

gboolean
pk_transcribe_page_open_sheet (PkTranscribePage *self,
                               const char       *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *serial = NULL;
  guint lines = 0;
  gboolean counted = FALSE;
  guint number = 0;

  g_return_val_if_fail (PK_IS_TRANSCRIBE_PAGE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->serial_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), text);
  clear_sheet (self);

  if (self->store == NULL || self->petition == NULL)
    {
      show_status (self, _("Choose a petition first (on the Kiosk page)."), "error");
      return FALSE;
    }

  serial = pk_sheet_serial_parse (self->petition, text, &number, &error);
  if (serial == NULL ||
      !pk_store_paper_sheet_state (self->store, serial, &lines, &counted, &error))
    {
      show_status (self, error->message, "error");
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

      show_status (self, message, "error");
      return FALSE;
    }
  if (!self->count_only && counted)
    {
      g_autofree char *message = g_strdup_printf (_("Sheet %u was entered as a count only, so its lines cannot also be transcribed."),
                                                  number);

      show_status (self, message, "error");
      return FALSE;
    }

  self->serial = g_steal_pointer (&serial);
  self->number = number;
  gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), self->serial);

  if (!(self->count_only ? open_count (self, &error) : open_lines (self, &error)))
    {
      clear_sheet (self);
      show_status (self, error->message, "error");
      return FALSE;
    }

  return TRUE;
}

static void
on_serial_activate (PkTranscribePage *self)
{
  pk_transcribe_page_open_sheet (self, gtk_editable_get_text (GTK_EDITABLE (self->serial_entry)));
}

static void
on_mode_toggled (PkTranscribePage *self)
{
  gboolean count_only = !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->lines_toggle));

  if (count_only == self->count_only)
    return;

  self->count_only = count_only;
  clear_sheet (self);
  show_status (self, NULL, NULL);
}

static void
on_count_save (PkTranscribePage *self)
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
      show_status (self, error->message, "error");
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Sheet %u holds %u valid signature.",
                                          "Sheet %u holds %u valid signatures.",
                                          count),
                             self->number, count);
  clear_sheet (self);
  show_status (self, message, "success");
  refresh_totals (self);
  focus_line (self, NULL);
}

void
pk_transcribe_page_save_line (PkTranscribePage *self,
                              guint             line)
{
  g_return_if_fail (PK_IS_TRANSCRIBE_PAGE (self));
  g_return_if_fail (line >= 1 && line <= self->lines->len);

  save_line (self->lines->pdata[line - 1]);
}

void
pk_transcribe_page_save_count (PkTranscribePage *self,
                               guint             count)
{
  g_return_if_fail (PK_IS_TRANSCRIBE_PAGE (self));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), count);
  on_count_save (self);
}

/* ----- printing --------------------------------------------------------- */

typedef struct {
  PkTranscribePage *self;
  PkPetition       *petition;
  char             *lang;
  guint             first;
  guint             count;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->petition);
  g_free (job->lang);
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
      show_status (job->self, error->message, "error");
      gtk_print_operation_cancel (operation);
    }
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               PrintJob                *job)
{
  PkTranscribePage *self = job->self;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_status (self, error != NULL ? error->message : _("Printing failed."), "error");
      return;
    }

  if (result == GTK_PRINT_OPERATION_RESULT_APPLY && self->store != NULL)
    {
      g_autofree char *next = g_strdup_printf ("%u", MIN (job->first + job->count, (guint) PK_SHEET_MAX_NUMBER));
      g_autofree char *message = job->count == 1
        ? g_strdup_printf (_("Sheet %u was sent to the printer."), job->first)
        : g_strdup_printf (_("Sheets %u to %u were sent to the printer."),
                           job->first, job->first + job->count - 1);

      if (!pk_store_set_setting (self->store, SETTING_NEXT_SHEET, next, &error))
        show_status (self, error->message, "error");
      else
        show_status (self, message, "success");
      refresh_next_sheet (self);
    }
}

GtkPrintOperationResult
pk_transcribe_page_print_sheets (PkTranscribePage         *self,
                                 GtkPrintOperationAction   action,
                                 const char               *export_path)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;
  GtkPaperSize *paper;
  GtkRoot *root;
  PrintJob *job;
  guint first, count;

  g_return_val_if_fail (PK_IS_TRANSCRIBE_PAGE (self), GTK_PRINT_OPERATION_RESULT_ERROR);

  if (self->petition == NULL)
    {
      show_status (self, _("Choose a petition first (on the Kiosk page)."), "error");
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
  job->lang = g_strdup (sheet_language (self));
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
    show_status (self, error->message, "error");

  return result;
}

static void
on_print_sheets (PkTranscribePage *self)
{
  pk_transcribe_page_print_sheets (self, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL);
}

static void
on_flyers_response (PkTranscribePage *self,
                    int               response)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->petition == NULL)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      show_status (self, _("Choose a folder on this computer."), "error");
      return;
    }

  if (!pk_flyers_write_pdf (self->petition, sheet_language (self),
                            paper_is_letter (self) ? PK_PAPER_LETTER : PK_PAPER_A4,
                            1, path, &error))
    {
      show_status (self, error->message, "error");
      return;
    }

  {
    g_autofree char *display = g_filename_display_name (path);
    g_autofree char *message = g_strdup_printf (_("Flyers saved to %s."), display);

    show_status (self, message, "success");
  }
}

static void
on_save_flyers (PkTranscribePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->petition == NULL)
    {
      show_status (self, _("Choose a petition first (on the Kiosk page)."), "error");
      return;
    }

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save Flyers"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "flyers.pdf");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_flyers_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ----- language and properties ------------------------------------------ */

static void
pk_transcribe_page_retranslate (PkTranscribePage *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->sheet_group), _("Paper sheets"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->sheet_group),
                                         _("Type the serial at the foot of a sheet, or scan its small code, then press Enter."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->serial_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sheet serial"), -1);
  gtk_widget_set_tooltip_text (self->lang_dropdown, _("Language of the sheet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lang_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Language of the sheet"), -1);
  gtk_button_set_label (GTK_BUTTON (self->lines_toggle), _("Transcribe lines"));
  gtk_button_set_label (GTK_BUTTON (self->count_toggle), _("Count only"));
  gtk_button_set_label (GTK_BUTTON (self->open_button), _("Open sheet"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("Valid signatures on this sheet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Valid signatures on this sheet"), -1);
  gtk_button_set_label (GTK_BUTTON (self->count_button),
                        self->counted_before ? _("Correct count") : _("Save count"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->totals_row), _("Counted on paper only"));
  refresh_totals (self);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->print_group), _("Print"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_count_row), _("Sheets to print"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->print_count_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sheets to print"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_first_row), _("Number of the first sheet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->print_first_row),
                               _("Continues after the last sheets printed here, so that no two sheets share a serial."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->print_first_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Number of the first sheet"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->paper_row), _("Paper size"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->paper_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Paper size"), -1);
  gtk_button_set_label (GTK_BUTTON (self->flyers_button), _("Save flyers…"));
  gtk_button_set_label (GTK_BUTTON (self->print_button), _("Print sheets…"));

  retranslate_grid (self);
}

void
pk_transcribe_page_set_language (PkTranscribePage *self,
                                 const char       *language)
{
  g_return_if_fail (PK_IS_TRANSCRIBE_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  /* The sheet's language starts as the admin's, and is then the
   * volunteer's choice: switching the screen does not change the paper. */
  if (self->language == NULL && language != NULL)
    for (guint i = 0; i < PK_N_LANGUAGES; i++)
      if (g_str_equal (pk_languages[i], language))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lang_dropdown), i);

  g_free (self->language);
  self->language = g_strdup (language);
  pk_transcribe_page_retranslate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
pk_transcribe_page_set_petition (PkTranscribePage *self,
                                 PkPetition       *petition)
{
  g_return_if_fail (PK_IS_TRANSCRIBE_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  if (!g_set_object (&self->petition, petition))
    return;

  clear_sheet (self);
  show_status (self, NULL, NULL);
  refresh_totals (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
}

void
pk_transcribe_page_set_count_mode (PkTranscribePage *self,
                                   gboolean          count_only)
{
  g_return_if_fail (PK_IS_TRANSCRIBE_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (count_only ? self->count_toggle : self->lines_toggle),
                                TRUE);
}

GtkWidget *
pk_transcribe_page_get_cell (PkTranscribePage *self,
                             guint             line,
                             const char       *column)
{
  Line *l;
  PkField field;

  g_return_val_if_fail (PK_IS_TRANSCRIBE_PAGE (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  if (line < 1 || line > self->lines->len)
    return NULL;

  l = self->lines->pdata[line - 1];
  if (g_str_equal (column, "signed"))
    return l->signed_check;
  if (g_str_equal (column, "opt_in"))
    return l->opt_in_check;
  if (g_str_equal (column, "status"))
    return l->status;
  if (pk_field_from_string (column, &field))
    return l->entries[field];
  return NULL;
}

const char *
pk_transcribe_page_get_status (PkTranscribePage *self)
{
  g_return_val_if_fail (PK_IS_TRANSCRIBE_PAGE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

GtkWidget *
pk_transcribe_page_new (PkStore *store)
{
  g_return_val_if_fail (store == NULL || PK_IS_STORE (store), NULL);

  return g_object_new (PK_TYPE_TRANSCRIBE_PAGE, "store", store, NULL);
}

static void
pk_transcribe_page_constructed (GObject *object)
{
  PkTranscribePage *self = PK_TRANSCRIBE_PAGE (object);

  G_OBJECT_CLASS (pk_transcribe_page_parent_class)->constructed (object);

  refresh_next_sheet (self);
  refresh_totals (self);
}

static void
pk_transcribe_page_dispose (GObject *object)
{
  PkTranscribePage *self = PK_TRANSCRIBE_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_TRANSCRIBE_PAGE);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_transcribe_page_parent_class)->dispose (object);
}

static void
pk_transcribe_page_finalize (GObject *object)
{
  PkTranscribePage *self = PK_TRANSCRIBE_PAGE (object);

  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_array_unref);
  g_free (self->serial);
  g_free (self->language);

  G_OBJECT_CLASS (pk_transcribe_page_parent_class)->finalize (object);
}

static void
pk_transcribe_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PkTranscribePage *self = PK_TRANSCRIBE_PAGE (object);

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
pk_transcribe_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PkTranscribePage *self = PK_TRANSCRIBE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PETITION:
      pk_transcribe_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_transcribe_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_transcribe_page_class_init (PkTranscribePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pk_transcribe_page_constructed;
  object_class->dispose = pk_transcribe_page_dispose;
  object_class->finalize = pk_transcribe_page_finalize;
  object_class->get_property = pk_transcribe_page_get_property;
  object_class->set_property = pk_transcribe_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PETITION] =
    g_param_spec_object ("petition", NULL, NULL, PK_TYPE_PETITION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-transcribe-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, sheet_group);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, serial_entry);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, lang_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, lines_toggle);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, count_toggle);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, open_button);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, lines_group);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, grid);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, count_group);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, count_row);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, count_spin);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, count_button);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, totals_group);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, totals_row);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_group);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_count_row);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_count_spin);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_first_row);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_first_spin);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, paper_row);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, paper_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, flyers_button);
  gtk_widget_class_bind_template_child (widget_class, PkTranscribePage, print_button);
  gtk_widget_class_bind_template_callback (widget_class, on_serial_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_count_save);
  gtk_widget_class_bind_template_callback (widget_class, on_save_flyers);
  gtk_widget_class_bind_template_callback (widget_class, on_print_sheets);
}

/* Enter in the count saves it (GtkSpinButton has no "activate" before
 * GTK 4.14). */
static gboolean
on_count_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      PkTranscribePage      *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  on_count_save (self);
  return TRUE;
}

static void
pk_transcribe_page_init (PkTranscribePage *self)
{
  GtkEventController *keys;

  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  self->columns = g_array_new (FALSE, FALSE, sizeof (PkField));
  self->headers = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_count_key_pressed), self, 0);
  gtk_widget_add_controller (self->count_spin, keys);
}
