/* pk-sheet-csv.c: the columns of a typed-up sheet, read into signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A volunteer types the lines of a paper sheet into a spreadsheet; the
 * CSV's header names its columns. This file knows those names and the
 * yes/no words; `petition-kiosk import` (src/cli/pk-cmd-import.c)
 * reports the problems and saves the rows.
 */
#define G_LOG_DOMAIN "pk-sheet-csv"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pk-sheet-csv.h"
#include "pk-sheets.h"

/* Columns beyond the signer fields. */
enum {
  COLUMN_LINE = PK_N_FIELDS,
  COLUMN_SIGNED,
  COLUMN_OPT_IN,
  N_COLUMNS
};

struct _PkSheetCsvColumns
{
  guint  n;
  int   *kind;   /* a PkField or COLUMN_*, one a column */
};

/* Yes and no as volunteers type them, in the kiosk's three languages,
 * plus the marks spreadsheets and tick boxes leave (x, 1, true). */
static gboolean
pk_sheet_csv_parse_yes_no (const char *text,
                           gboolean   *out_value)
{
  static const char * const yes[] = { "yes", "y", "true", "1", "x", "ja", "j", "예", "네", "o", NULL };
  static const char * const no[] = { "no", "n", "false", "0", "nein", "아니오", "아니요", NULL };
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  if (g_strv_contains (yes, folded))
    *out_value = TRUE;
  else if (g_strv_contains (no, folded))
    *out_value = FALSE;
  else
    return FALSE;

  return TRUE;
}

static gboolean
pk_sheet_csv_parse_line_number (const char *text,
                                guint      *out_line)
{
  guint64 value = 0;
  g_autofree char *copy = g_strstrip (g_strdup (text));

  if (!g_ascii_string_to_unsigned (copy, 10, 1, PK_SHEET_LINES, &value, NULL))
    return FALSE;

  *out_line = (guint) value;
  return TRUE;
}

static char *
pk_sheet_csv_allowed_columns (PkPetition *petition)
{
  GString *str = g_string_new (NULL);

  for (PkField f = 0; f < PK_N_FIELDS; f++)
    if (pk_petition_has_field (petition, f))
      g_string_append_printf (str, "%s, ", pk_field_to_string (f));
  g_string_append (str, "line, signed, opt_in");

  return g_string_free (str, FALSE);
}

/* The kind of the column named @name (any case, spaces around it
 * ignored), or -1 when @petition knows no such column. */
static int
pk_sheet_csv_column_kind (PkPetition *petition,
                          const char *name)
{
  PkField field;

  if (g_str_equal (name, "line"))
    return COLUMN_LINE;
  if (g_str_equal (name, "signed"))
    return COLUMN_SIGNED;
  if (g_str_equal (name, "opt_in"))
    return COLUMN_OPT_IN;
  if (pk_field_from_string (name, &field) && pk_petition_has_field (petition, field))
    return field;
  return -1;
}

PkSheetCsvColumns *
pk_sheet_csv_columns_new (PkPetition         *petition,
                          const PkCsvRecord  *header,
                          GError            **error)
{
  g_autoptr(PkSheetCsvColumns) columns = g_new0 (PkSheetCsvColumns, 1);
  gboolean seen[N_COLUMNS] = { FALSE };

  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);
  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  columns->n = header->n_fields;
  columns->kind = g_new0 (int, header->n_fields);
  for (guint i = 0; i < header->n_fields; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (header->fields[i]));
      g_autofree char *name = g_ascii_strdown (stripped, -1);
      int kind = pk_sheet_csv_column_kind (petition, name);

      if (kind < 0)
        {
          g_autofree char *allowed = pk_sheet_csv_allowed_columns (petition);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Line %u: column %u, “%s”, is not a column this petition knows. The columns can be: %s."),
                       header->line, i + 1, stripped, allowed);
          return NULL;
        }
      if (seen[kind])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Line %u: the column “%s” appears twice."), header->line, name);
          return NULL;
        }
      seen[kind] = TRUE;
      columns->kind[i] = kind;
    }

  if (!seen[COLUMN_LINE] || !seen[COLUMN_SIGNED])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Line %u: the header needs a “line” column (the line on the sheet) and a “signed” column (yes or no)."),
                   header->line);
      return NULL;
    }

  return g_steal_pointer (&columns);
}

void
pk_sheet_csv_columns_free (PkSheetCsvColumns *columns)
{
  if (columns == NULL)
    return;
  g_free (columns->kind);
  g_free (columns);
}

/* A row that is empty but for its line number is a line nobody signed
 * in a template with the numbers filled in: not a problem. */
static gboolean
pk_sheet_csv_row_is_blank (const PkSheetCsvColumns *columns,
                           const PkCsvRecord       *record)
{
  for (guint c = 0; c < record->n_fields; c++)
    {
      const char *p = record->fields[c];

      while (g_ascii_isspace (*p))
        p++;
      if (columns->kind[c] != COLUMN_LINE && *p != '\0')
        return FALSE;
    }
  return TRUE;
}

/* Reads the value of column @c into @sig (or @is_signed); FALSE, with
 * @error, for a value that is not one of the column's. */
static gboolean
pk_sheet_csv_read_value (const PkSheetCsvColumns *columns,
                         guint                    c,
                         const char              *value,
                         PkSignature             *sig,
                         gboolean                *is_signed,
                         GError                 **error)
{
  switch (columns->kind[c])
    {
    case COLUMN_LINE:
      if (pk_sheet_csv_parse_line_number (value, &sig->sheet_line))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a line number from 1 to %u."), value, (guint) PK_SHEET_LINES);
      return FALSE;
    case COLUMN_SIGNED:
      if (pk_sheet_csv_parse_yes_no (value, is_signed))
        return TRUE;
      break;
    case COLUMN_OPT_IN:
      if (*value == '\0' || pk_sheet_csv_parse_yes_no (value, &sig->opt_in))
        return TRUE;
      break;
    default:
      pk_signature_set_field (sig, (PkField) columns->kind[c], value);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s” is neither yes nor no."), value);
  return FALSE;
}

static const char *
pk_sheet_csv_column_name (int kind)
{
  switch (kind)
    {
    case COLUMN_LINE:
      return "line";
    case COLUMN_SIGNED:
      return "signed";
    case COLUMN_OPT_IN:
      return "opt_in";
    default:
      return pk_field_to_string ((PkField) kind);
    }
}

PkSheetCsvRow
pk_sheet_csv_read_row (const PkSheetCsvColumns *columns,
                       const PkCsvRecord       *record,
                       const char              *serial,
                       const char              *lang,
                       PkSignature            **out_sig,
                       const char             **out_column,
                       GError                 **error)
{
  g_autoptr(PkSignature) sig = NULL;
  gboolean is_signed = FALSE;

  g_return_val_if_fail (columns != NULL && record != NULL, PK_SHEET_CSV_ROW_BAD);
  g_return_val_if_fail (serial != NULL && lang != NULL, PK_SHEET_CSV_ROW_BAD);
  g_return_val_if_fail (out_sig != NULL && out_column != NULL, PK_SHEET_CSV_ROW_BAD);

  *out_sig = NULL;
  *out_column = NULL;
  if (record->n_fields != columns->n)
    {
      /* Translators: the row's count of columns chooses the form */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the row has %u column, the header %u.",
                                "the row has %u columns, the header %u.",
                                record->n_fields),
                   record->n_fields, columns->n);
      return PK_SHEET_CSV_ROW_BAD;
    }
  if (pk_sheet_csv_row_is_blank (columns, record))
    return PK_SHEET_CSV_ROW_BLANK;

  sig = pk_signature_new ();
  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = g_strdup (serial);
  sig->lang = g_strdup (lang);
  /* The signer signed under the consent and privacy notice printed on
   * the sheet, in the sheet's language, and under the sensitive-data
   * consent when the petition has one (the sheet says a signature gives
   * both). */
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;

  for (guint c = 0; c < record->n_fields; c++)
    {
      /* Spaces a spreadsheet keeps around a value are not part of it. */
      g_autofree char *value = g_strstrip (g_strdup (record->fields[c]));

      if (!pk_sheet_csv_read_value (columns, c, value, sig, &is_signed, error))
        {
          *out_column = pk_sheet_csv_column_name (columns->kind[c]);
          return PK_SHEET_CSV_ROW_BAD;
        }
    }

  *out_sig = g_steal_pointer (&sig);
  return is_signed ? PK_SHEET_CSV_ROW_SIGNED : PK_SHEET_CSV_ROW_UNSIGNED;
}
