/* pk-paper-page.c: the admin's "Paper" page: transcribing and
 * counting signature sheets (printing is in pk-paper-page-print.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speed at a keyboard is the point: a volunteer after an event has a
 * stack of sheets. The serial entry is where a USB scanner "types" the
 * sheet's small QR code (ending with Enter); each line (PkSheetLine)
 * mirrors the sheet's columns from left to right; Enter moves on, and on
 * a line's last cell saves the line and jumps to the next. Every line is
 * saved on its own, at once, so nothing typed is lost to a crash; and
 * leaving a sheet saves what was typed and signed, or asks.
 */
#define G_LOG_DOMAIN "pk-paper-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-language.h"
#include "pk-paper-page-private.h"
#include "pk-sheet-line.h"
#include "pk-sheets.h"
#include "pk-signer-name.h"
#include "pk-store-paper.h"

/* The cells of a line after its signer fields, for the header row. */
enum {
  CELL_NUMBER = PK_N_FIELDS,
  CELL_SIGNED,
  CELL_OPT_IN,
  CELL_STATUS,
};

G_DEFINE_FINAL_TYPE (PkPaperPage, pk_paper_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PETITION,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
cell_title (int cell)
{
  if (cell < PK_N_FIELDS)
    return pk_field_get_title ((PkField) cell);
  if (cell == CELL_SIGNED)
    return _("Signed");
  if (cell == CELL_OPT_IN)
    return _("Keep informed");
  return "";
}

const char *
_pk_paper_page_print_language (PkPaperPage *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lang_dropdown));

  return selected < PK_N_LANGUAGES ? pk_languages[selected] : "en";
}

void
_pk_paper_page_show_status (PkPaperPage *self,
                            const char  *message,
                            const char  *css_class)
{
  gtk_widget_remove_css_class (self->status_label, "error");
  gtk_widget_remove_css_class (self->status_label, "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (self->status_label, css_class);
  gtk_label_set_text (GTK_LABEL (self->status_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->status_label, message != NULL && *message != '\0');
}

void
_pk_paper_page_refresh_totals (PkPaperPage *self)
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
  /* "From 0 sheets …" says nothing: no note until a sheet is counted
   * (issue 13, item 16). */
  if (sheets > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "From %u sheet handed in as paper; kept apart from the signatures in the database.",
                                             "From %u sheets handed in as paper; kept apart from the signatures in the database.",
                                             (gulong) sheets),
                                (guint) sheets);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->totals_row), subtitle != NULL ? subtitle : "");
}

void
_pk_paper_page_refresh_next_sheet (PkPaperPage *self)
{
  g_autofree char *next = NULL;
  guint64 value = 1;

  if (self->store != NULL)
    next = pk_store_get_setting (self->store, PK_PAPER_SETTING_NEXT_SHEET);
  if (next == NULL || !g_ascii_string_to_unsigned (next, 10, 1, PK_SHEET_MAX_NUMBER, &value, NULL))
    value = 1;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->print_first_spin), (double) value);
}

/* The serial entry's example: this petition's own prefix, so that a
 * volunteer sees what the foot of the sheet in hand says. */
static void
refresh_placeholder (PkPaperPage *self)
{
  g_autofree char *example = NULL;

  if (self->petition != NULL)
    example = pk_sheet_serial_format (self->petition, 42);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->serial_entry), example);
}

/* ----- the lines of a sheet ---------------------------------------------- */

void
_pk_paper_page_clear_sheet (PkPaperPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_last_child (self->lines_box)) != self->header_box)
    gtk_box_remove (GTK_BOX (self->lines_box), child);
  while ((child = gtk_widget_get_first_child (self->header_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->header_box), child);
  g_ptr_array_set_size (self->lines, 0);
  g_ptr_array_set_size (self->headers, 0);
  g_ptr_array_set_size (self->size_groups, 0);
  g_array_set_size (self->columns, 0);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->sheet_lang, g_free);
  self->number = 0;
  gtk_widget_set_visible (self->lines_group, FALSE);
  gtk_widget_set_visible (self->count_group, FALSE);
}

/* "홍길동, 03142, hong@example.org": a saved line in a few words, the
 * name as the sheet's language writes it. */
static char *
describe_signature (PkPaperPage       *self,
                    const PkSignature *sig)
{
  g_autofree char *name = pk_signer_name_format (sig->fields[PK_FIELD_GIVEN_NAME],
                                                 sig->fields[PK_FIELD_FAMILY_NAME],
                                                 self->sheet_lang);
  const char *details[] = { name, sig->fields[PK_FIELD_POSTAL_CODE], sig->fields[PK_FIELD_EMAIL] };
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    if (details[i] != NULL)
      {
        if (str->len > 0)
          g_string_append (str, ", ");
        g_string_append (str, details[i]);
      }
  if (str->len == 0)
    g_string_append (str, _("details not readable on this kiosk"));

  return g_string_free (str, FALSE);
}

static PkSheetLine *
next_open_line (PkPaperPage *self,
                guint        after)
{
  for (guint i = after; i < self->lines->len; i++)
    {
      PkSheetLine *line = self->lines->pdata[i];

      if (pk_sheet_line_get_state (line) == PK_SHEET_LINE_OPEN)
        return line;
    }
  return NULL;
}

void
_pk_paper_page_focus_line (PkPaperPage *self,
                           PkSheetLine *line)
{
  guint done = 0;
  g_autofree char *message = NULL;

  if (line != NULL)
    {
      pk_sheet_line_focus (line);
      return;
    }

  /* The sheet is done: back to the serial for the next one. */
  for (guint i = 0; i < self->lines->len; i++)
    done += pk_sheet_line_get_state (self->lines->pdata[i]) == PK_SHEET_LINE_SAVED ? 1 : 0;
  if (self->serial != NULL)
    {
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Sheet %u has %u line entered. Scan or type the next sheet.",
                                              "Sheet %u has %u lines entered. Scan or type the next sheet.",
                                              done),
                                 self->number, done);
      _pk_paper_page_show_status (self, message, "success");
    }
  gtk_widget_grab_focus (self->serial_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->serial_entry), 0, -1);
}

/* Someone may have counted this sheet since it was opened here. */
static gboolean
check_not_counted (PkPaperPage  *self,
                   PkSheetLine  *line)
{
  g_autoptr(GError) error = NULL;
  gboolean counted = FALSE;

  if (!pk_store_paper_sheet_state (self->store, self->serial, NULL, &counted, &error))
    {
      pk_sheet_line_set_status (line, error->message, "error");
      return FALSE;
    }
  if (counted)
    {
      pk_sheet_line_set_status (line, _("This sheet was entered as a count only in the meantime, so its lines cannot also be transcribed."),
                                "error");
      return FALSE;
    }
  return TRUE;
}

static void
show_line_taken (PkPaperPage *self,
                 PkSheetLine *line,
                 GError      *error)
{
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(PkSignature) earlier = pk_store_find_paper_line (self->store, self->serial,
                                                             pk_sheet_line_get_number (line),
                                                             &lookup_error);
  g_autofree char *details = NULL;
  g_autofree char *message = NULL;

  if (earlier != NULL)
    {
      details = describe_signature (self, earlier);
      message = g_strdup_printf (_("Already entered earlier: %s. Not saved again."), details);
    }
  pk_sheet_line_set_status (line, message != NULL ? message : error->message, "error");
}

/* Saves @line, or marks it not counted when it is not signed. Returns
 * whether nothing typed in it is left unsaved. */
gboolean
_pk_paper_page_save_sheet_line (PkPaperPage *self,
                                PkSheetLine *line)
{
  g_autoptr(PkSignature) sig = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  PkField field = PK_N_FIELDS;
  guint number = pk_sheet_line_get_number (line);
  gboolean correcting = pk_sheet_line_get_correcting (line);
  gboolean saved;

  if (pk_sheet_line_get_state (line) != PK_SHEET_LINE_OPEN)
    return TRUE;

  if (!pk_sheet_line_get_signed (line))
    {
      if (correcting)
        {
          pk_sheet_line_set_status (line, _("A correction must be signed; to take the line out, strike it out."),
                                    "error");
          return FALSE;
        }
      /* An unsigned line does not count; an empty one is just skipped. */
      if (!pk_sheet_line_is_empty (line))
        pk_sheet_line_show_not_counted (line);
      return TRUE;
    }

  if (!check_not_counted (self, line))
    return FALSE;

  sig = pk_sheet_line_to_signature (line);
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (self->serial);
  sig->sheet_line = number;

  /* A correction strikes the saved line and saves this one in its
   * place, in one transaction; the strike records both. */
  if (correcting)
    saved = pk_store_paper_strike_line (self->store, self->petition, self->serial, number, sig,
                                        &field, &error);
  else
    saved = pk_store_add_signature (self->store, self->petition, sig, &field, &error);

  if (saved)
    {
      details = describe_signature (self, sig);
      pk_sheet_line_show_saved (line, sig,
                                correcting ? PK_SHEET_LINE_CORRECTED_NOW : PK_SHEET_LINE_SAVED_NOW,
                                details, 0);
      return TRUE;
    }

  if (g_error_matches (error, PK_STORE_ERROR, PK_STORE_ERROR_PAPER_LINE_TAKEN))
    show_line_taken (self, line, error);
  else
    pk_sheet_line_show_error (line, field, error->message);
  return FALSE;
}

static void
on_line_save (PkPaperPage *self,
              PkSheetLine *line)
{
  if (_pk_paper_page_save_sheet_line (self, line))
    _pk_paper_page_focus_line (self, next_open_line (self, pk_sheet_line_get_number (line)));
}

static void
on_line_strike (PkPaperPage *self,
                PkSheetLine *line)
{
  g_autoptr(GError) error = NULL;

  if (!pk_store_paper_strike_line (self->store, self->petition, self->serial,
                                   pk_sheet_line_get_number (line), NULL, NULL, &error))
    {
      pk_sheet_line_set_status (line, error->message, "error");
      return;
    }
  pk_sheet_line_show_struck (line, g_get_real_time ());
}

static GtkWidget *
new_header (PkPaperPage *self,
            int          cell)
{
  GtkWidget *label = gtk_label_new (cell_title (cell));

  gtk_label_set_xalign (GTK_LABEL (label), cell < PK_N_FIELDS || cell == CELL_STATUS ? 0 : 0.5f);
  /* Neither wrapped nor cut: the size group widens the tick box's
   * column to "Keep informed" (a Korean word must not break). */
  gtk_widget_set_hexpand (label, cell < PK_N_FIELDS);
  gtk_widget_add_css_class (label, "caption-heading");
  g_ptr_array_add (self->headers, label);
  return label;
}

/* The header row, whose cells share a size group with the lines' cells
 * below them; the numbers of @self->headers follow the cells in order. */
static void
build_header (PkPaperPage *self)
{
  GtkWidget *fields = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  guint cell = 0;

  gtk_widget_set_hexpand (fields, TRUE);
  gtk_box_append (GTK_BOX (self->header_box), new_header (self, CELL_NUMBER));
  gtk_size_group_add_widget (self->size_groups->pdata[cell++], self->headers->pdata[0]);
  gtk_box_append (GTK_BOX (self->header_box), fields);
  for (guint i = 0; i < self->columns->len; i++)
    {
      GtkWidget *label = new_header (self, g_array_index (self->columns, PkField, i));

      gtk_box_append (GTK_BOX (fields), label);
      gtk_size_group_add_widget (self->size_groups->pdata[cell++], label);
    }
  for (int extra = CELL_SIGNED; extra <= CELL_STATUS; extra++)
    {
      GtkWidget *label = new_header (self, extra);

      gtk_box_append (GTK_BOX (self->header_box), label);
      gtk_size_group_add_widget (self->size_groups->pdata[cell++], label);
    }
}

static void
build_lines (PkPaperPage *self)
{
  gboolean korean = g_str_equal (self->sheet_lang, "ko");
  /* The sheet's order, left to right: name, address or postal code,
   * email. Korean writes the family name (성) first. */
  PkField order[] = {
    korean ? PK_FIELD_FAMILY_NAME : PK_FIELD_GIVEN_NAME,
    korean ? PK_FIELD_GIVEN_NAME : PK_FIELD_FAMILY_NAME,
    PK_FIELD_POSTAL_CODE,
    PK_FIELD_EMAIL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (pk_petition_has_field (self->petition, order[i]))
      g_array_append_val (self->columns, order[i]);
  for (guint i = 0; i < self->columns->len + 4; i++)
    g_ptr_array_add (self->size_groups, gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL));

  build_header (self);
  for (guint n = 1; n <= PK_SHEET_LINES; n++)
    {
      PkSheetLine *line = pk_sheet_line_new (n, self->petition, self->sheet_lang,
                                             (const PkField *) (gpointer) self->columns->data,
                                             self->columns->len,
                                             (GtkSizeGroup **) self->size_groups->pdata);

      g_signal_connect_object (line, "save", G_CALLBACK (on_line_save), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (line, "strike", G_CALLBACK (on_line_strike), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->lines, line);
      gtk_box_append (GTK_BOX (self->lines_box), GTK_WIDGET (line));
    }
  pk_language_tag_labels (self->lines_box, self->language);
}

void
_pk_paper_page_retranslate_sheet (PkPaperPage *self)
{
  g_autofree char *title = NULL;
  int cells[PK_N_FIELDS + 4];
  guint n = 0;

  cells[n++] = CELL_NUMBER;
  for (guint i = 0; i < self->columns->len; i++)
    cells[n++] = g_array_index (self->columns, PkField, i);
  cells[n++] = CELL_SIGNED;
  cells[n++] = CELL_OPT_IN;
  cells[n++] = CELL_STATUS;
  for (guint i = 0; i < self->headers->len && i < n; i++)
    gtk_label_set_text (GTK_LABEL (self->headers->pdata[i]), cell_title (cells[i]));
  for (guint i = 0; i < self->lines->len; i++)
    pk_sheet_line_retranslate (self->lines->pdata[i]);

  if (self->serial != NULL)
    {
      title = g_strdup_printf (_("Sheet %s"), self->serial);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->lines_group), title);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->count_group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->lines_group),
                                             _("Enter moves to the next field; on the last field of a line it saves the line. Space ticks a box."));
    }
}

/* The language a sheet is read in: that of its lines entered earlier,
 * else the one chosen in the Print group (the sheets printed here). */
static char *
sheet_language (PkPaperPage *self,
                GPtrArray   *earlier)
{
  for (guint i = 0; i < earlier->len; i++)
    {
      const PkSignature *sig = earlier->pdata[i];

      if (sig->lang != NULL)
        return g_strdup (sig->lang);
    }
  return g_strdup (_pk_paper_page_print_language (self));
}

static void
show_earlier_line (PkPaperPage       *self,
                   PkSheetLine       *line,
                   const PkSignature *sig)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = describe_signature (self, sig);
  gboolean corrected = FALSE;
  gint64 struck_at = 0;

  if (pk_store_paper_get_strike (self->store, self->serial, pk_sheet_line_get_number (line),
                                 &struck_at, &corrected, &error) && corrected)
    pk_sheet_line_show_saved (line, sig, PK_SHEET_LINE_CORRECTED_EARLIER, details, struck_at);
  else
    pk_sheet_line_show_saved (line, sig, PK_SHEET_LINE_ENTERED_EARLIER, details, 0);
}

gboolean
_pk_paper_page_open_lines (PkPaperPage  *self,
                           GError      **error)
{
  g_autoptr(GPtrArray) earlier = NULL;
  guint entered = 0;

  earlier = pk_store_paper_get_sheet (self->store, self->serial, error);
  if (earlier == NULL)
    return FALSE;

  self->sheet_lang = sheet_language (self, earlier);
  build_lines (self);
  for (guint i = 0; i < earlier->len; i++)
    {
      PkSignature *sig = earlier->pdata[i];

      if (sig->sheet_line >= 1 && sig->sheet_line <= self->lines->len)
        {
          show_earlier_line (self, self->lines->pdata[sig->sheet_line - 1], sig);
          entered++;
        }
    }
  for (guint i = 0; i < self->lines->len; i++)
    {
      PkSheetLine *line = self->lines->pdata[i];
      gint64 struck_at = 0;

      if (pk_sheet_line_get_state (line) == PK_SHEET_LINE_OPEN &&
          pk_store_paper_get_strike (self->store, self->serial, i + 1, &struck_at, NULL, error))
        pk_sheet_line_show_struck (line, struck_at);
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  _pk_paper_page_retranslate_sheet (self);
  gtk_widget_set_visible (self->lines_group, TRUE);
  if (entered > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u line of this sheet was entered earlier; it is shown and cannot be entered again.",
                                                               "%u lines of this sheet were entered earlier; they are shown and cannot be entered again.",
                                                               entered),
                                                  entered);
      _pk_paper_page_show_status (self, message, NULL);
    }
  else
    _pk_paper_page_show_status (self, NULL, NULL);

  _pk_paper_page_focus_line (self, next_open_line (self, 0));
  return TRUE;
}

/* Takes the petition admin chose while the sheet could not be left. */
void
_pk_paper_page_switch_to_pending_petition (PkPaperPage *self)
{
  if (!self->petition_pending)
    return;
  self->petition_pending = FALSE;
  g_set_object (&self->petition, self->pending_petition);
  g_clear_object (&self->pending_petition);
  _pk_paper_page_clear_sheet (self);
  _pk_paper_page_show_status (self, NULL, NULL);
  _pk_paper_page_refresh_totals (self);
  refresh_placeholder (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PETITION]);
}

/* Ctrl+L, from anywhere on the page: to the serial entry for the next
 * sheet, its text selected so that the scanner's or the keys' replace it
 * (as Ctrl+L goes to the address bar of a web browser). */
static void
on_next_sheet_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PkPaperPage *self = PK_PAPER_PAGE (widget);

  gtk_widget_grab_focus (self->serial_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->serial_entry), 0, -1);
}

static void
on_serial_activate (PkPaperPage *self)
{
  _pk_paper_page_open_sheet (self, gtk_editable_get_text (GTK_EDITABLE (self->serial_entry)));
}

static void
on_mode_toggled (PkPaperPage *self)
{
  gboolean count_only = !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->lines_toggle));

  if (count_only == self->count_only || self->reverting_mode)
    return;

  self->pending_mode = count_only;
  if (_pk_paper_page_leave_sheet (self))
    _pk_paper_page_open_pending (self);
}

void
_pk_paper_page_save_line (PkPaperPage *self,
                          guint        line)
{
  g_return_if_fail (PK_IS_PAPER_PAGE (self));
  g_return_if_fail (line >= 1 && line <= self->lines->len);

  on_line_save (self, self->lines->pdata[line - 1]);
}

/* ----- language and properties ------------------------------------------ */

/* GTK 4.8's GtkDropDown is a combo box with a toggle button inside,
 * which is what takes focus; a screen reader read that button by its
 * type, "GtkToggleButton" (issue 13). Both get the row's title. */
static void
label_dropdown (GtkWidget  *dropdown,
                const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (dropdown); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
set_string_list (GtkWidget          *dropdown,
                 const char * const *items)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (model));
  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
}

static void
pk_paper_page_retranslate (PkPaperPage *self)
{
  /* Each language by its own name, in the order of pk_languages. */
  const char *languages[PK_N_LANGUAGES + 1] = { NULL };
  const char * const papers[] = { _("A4"), _("Letter"), NULL };

  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    languages[i] = pk_language_native_name (pk_languages[i]);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->sheet_group), _("Paper sheets"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->sheet_group),
                                         _("Type the serial at the foot of a sheet, or scan its small code, then press Enter."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->serial_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sheet serial"), -1);
  gtk_button_set_label (GTK_BUTTON (self->lines_toggle), _("Transcribe lines"));
  gtk_button_set_label (GTK_BUTTON (self->count_toggle), _("Count only"));
  gtk_button_set_label (GTK_BUTTON (self->open_button), _("Open sheet"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("Valid signatures on this sheet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Valid signatures on this sheet"), -1);
  gtk_button_set_label (GTK_BUTTON (self->count_button),
                        self->counted_before ? _("Correct count") : _("Save count"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->totals_row), _("Counted on paper only"));
  _pk_paper_page_refresh_totals (self);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->print_group), _("Print"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_lang_row), _("Language of the sheets"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->print_lang_row),
                               _("Sheets and flyers are printed in it, and new sheets are read in it."));
  set_string_list (self->lang_dropdown, (const char * const *) languages);
  label_dropdown (self->lang_dropdown, _("Language of the sheets"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_count_row), _("Sheets to print"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->print_count_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sheets to print"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_first_row), _("Number of the first sheet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->print_first_row),
                               _("Continues after the last sheets printed here, so that no two sheets share a serial."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->print_first_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Number of the first sheet"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->paper_row), _("Paper size"));
  set_string_list (self->paper_dropdown, papers);
  label_dropdown (self->paper_dropdown, _("Paper size"));
  gtk_button_set_label (GTK_BUTTON (self->flyers_button), _("Save flyers…"));
  gtk_button_set_label (GTK_BUTTON (self->print_button), _("Print sheets…"));

  _pk_paper_page_retranslate_sheet (self);
  pk_language_tag_labels (GTK_WIDGET (self), self->language);
}

void
pk_paper_page_set_language (PkPaperPage *self,
                            const char  *language)
{
  g_return_if_fail (PK_IS_PAPER_PAGE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  pk_paper_page_retranslate (self);

  /* The sheets' language starts as the admin's, and is then the
   * volunteer's choice: switching the screen does not change the paper. */
  if (!self->language_chosen && language != NULL)
    for (guint i = 0; i < PK_N_LANGUAGES; i++)
      if (g_str_equal (pk_languages[i], language))
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lang_dropdown), i);
          self->language_chosen = TRUE;
        }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
pk_paper_page_set_petition (PkPaperPage *self,
                            PkPetition  *petition)
{
  g_return_if_fail (PK_IS_PAPER_PAGE (self));
  g_return_if_fail (petition == NULL || PK_IS_PETITION (petition));

  /* Already waiting for the open sheet to be left: only the petition
   * to switch to changes, or the switch is off when admin went back. */
  if (self->petition_pending)
    {
      g_set_object (&self->pending_petition, petition);
      if (petition == self->petition)
        {
          self->petition_pending = FALSE;
          _pk_paper_page_show_status (self, NULL, NULL);
        }
      return;
    }

  if (self->petition == petition)
    return;

  /* The open sheet belongs to the petition being left: what was typed
   * and signed is saved under it first. Typed lines that cannot be
   * saved are never dropped without a word (issue 13, item 11): the
   * volunteer is asked, and the switch waits for the answer. */
  self->petition_pending = TRUE;
  g_set_object (&self->pending_petition, petition);
  if (_pk_paper_page_leave_sheet (self))
    _pk_paper_page_switch_to_pending_petition (self);
}

void
_pk_paper_page_set_count_mode (PkPaperPage *self,
                               gboolean     count_only)
{
  g_return_if_fail (PK_IS_PAPER_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (count_only ? self->count_toggle : self->lines_toggle),
                                TRUE);
}

GtkWidget *
_pk_paper_page_get_cell (PkPaperPage *self,
                         guint        line,
                         const char  *column)
{
  g_return_val_if_fail (PK_IS_PAPER_PAGE (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  if (line < 1 || line > self->lines->len)
    return NULL;

  return pk_sheet_line_get_cell (self->lines->pdata[line - 1], column);
}

const char *
_pk_paper_page_get_status (PkPaperPage *self)
{
  g_return_val_if_fail (PK_IS_PAPER_PAGE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->status_label));
}
GtkWidget *
pk_paper_page_new (PkStore *store)
{
  g_return_val_if_fail (store == NULL || PK_IS_STORE (store), NULL);

  return g_object_new (PK_TYPE_PAPER_PAGE, "store", store, NULL);
}

static void
pk_paper_page_constructed (GObject *object)
{
  PkPaperPage *self = PK_PAPER_PAGE (object);

  G_OBJECT_CLASS (pk_paper_page_parent_class)->constructed (object);

  _pk_paper_page_refresh_next_sheet (self);
  _pk_paper_page_refresh_totals (self);
  refresh_placeholder (self);
}

/* Shown with no sheet open, the page waits for one: the focus goes to
 * the serial entry, so that a scanner's keys land there at once. */
static void
pk_paper_page_map (GtkWidget *widget)
{
  PkPaperPage *self = PK_PAPER_PAGE (widget);

  GTK_WIDGET_CLASS (pk_paper_page_parent_class)->map (widget);

  if (self->serial == NULL)
    gtk_widget_grab_focus (self->serial_entry);
}

static void
pk_paper_page_dispose (GObject *object)
{
  PkPaperPage *self = PK_PAPER_PAGE (object);

  _pk_paper_page_print_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_PAPER_PAGE);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->size_groups, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);
  g_clear_object (&self->pending_petition);

  G_OBJECT_CLASS (pk_paper_page_parent_class)->dispose (object);
}

static void
pk_paper_page_finalize (GObject *object)
{
  PkPaperPage *self = PK_PAPER_PAGE (object);

  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_array_unref);
  g_free (self->serial);
  g_free (self->sheet_lang);
  g_free (self->pending_serial);
  g_free (self->language);

  G_OBJECT_CLASS (pk_paper_page_parent_class)->finalize (object);
}

static void
pk_paper_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PkPaperPage *self = PK_PAPER_PAGE (object);

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
pk_paper_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PkPaperPage *self = PK_PAPER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PETITION:
      pk_paper_page_set_petition (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      pk_paper_page_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_paper_page_class_init (PkPaperPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pk_paper_page_constructed;
  object_class->dispose = pk_paper_page_dispose;
  object_class->finalize = pk_paper_page_finalize;
  object_class->get_property = pk_paper_page_get_property;
  object_class->set_property = pk_paper_page_set_property;

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

  widget_class->map = pk_paper_page_map;

  gtk_widget_class_install_action (widget_class, "paper.next-sheet", NULL, on_next_sheet_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "paper.next-sheet", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-paper-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, sheet_group);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, sheet_box);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, serial_entry);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, lines_toggle);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, count_toggle);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, lines_group);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, lines_box);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, count_group);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, count_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, count_spin);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, count_button);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, totals_group);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, totals_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_group);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_lang_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, lang_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_count_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_count_spin);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_first_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_first_spin);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, paper_row);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, paper_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_status_label);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, flyers_button);
  gtk_widget_class_bind_template_child (widget_class, PkPaperPage, print_button);
  gtk_widget_class_bind_template_callback (widget_class, on_serial_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_count_save",
                                                G_CALLBACK (_pk_paper_page_on_count_save));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_save_flyers",
                                                G_CALLBACK (_pk_paper_page_on_save_flyers));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_print_sheets",
                                                G_CALLBACK (_pk_paper_page_on_print_sheets));
}

static void
pk_paper_page_init (PkPaperPage *self)
{
  self->lines = g_ptr_array_new ();
  self->columns = g_array_new (FALSE, FALSE, sizeof (PkField));
  self->headers = g_ptr_array_new ();
  self->size_groups = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_mode = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  _pk_paper_page_count_init (self);
}
