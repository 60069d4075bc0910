/* pk-csv.c: a strict RFC 4180 reader for spreadsheets typed by volunteers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-csv"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pk-csv.h"

G_DEFINE_QUARK (pk-csv-error-quark, pk_csv_error)

void
pk_csv_record_free (PkCsvRecord *record)
{
  if (record == NULL)
    return;

  g_strfreev (record->fields);
  g_free (record);
}

/* The physical line of byte @offset: 1 plus the line breaks before it,
 * counting CRLF once. Used only on the error path. */
static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n'))
        line++;
    }

  return line;
}

/* Consumes one line break (CRLF, LF or CR) at *p and counts it. */
static void
skip_line_break (const char **p,
                 const char  *end,
                 guint       *line)
{
  if (**p == '\r' && *p + 1 < end && (*p)[1] == '\n')
    *p += 2;
  else
    *p += 1;
  (*line)++;
}

static gboolean
field_too_large (GString  *field,
                 guint     line,
                 GError  **error)
{
  if (field->len <= PK_CSV_MAX_FIELD_BYTES)
    return FALSE;

  g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE,
               g_dngettext (GETTEXT_PACKAGE, "Line %u: a field is longer than %u byte.",
                            "Line %u: a field is longer than %u bytes.", PK_CSV_MAX_FIELD_BYTES),
               line, (guint) PK_CSV_MAX_FIELD_BYTES);
  return TRUE;
}

/* Reads one field starting at *p into @field; leaves *p on the comma,
 * line break or end that follows it. */
static gboolean
read_field (const char **p,
            const char  *end,
            guint       *line,
            GString     *field,
            GError     **error)
{
  if (**p != '"')
    {
      while (*p < end && **p != ',' && **p != '\r' && **p != '\n')
        {
          if (**p == '"')
            {
              g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_SYNTAX,
                           _("Line %u: a double quote inside a field that does not start with one; put the whole field in quotes and double the quote."),
                           *line);
              return FALSE;
            }
          g_string_append_c (field, **p);
          (*p)++;
        }
      return !field_too_large (field, *line, error);
    }

  {
    guint quote_line = *line;

    (*p)++;
    for (;;)
      {
        if (*p >= end)
          {
            g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_SYNTAX,
                         _("Line %u: a quoted field is never closed."),
                         quote_line);
            return FALSE;
          }

        if (**p == '"')
          {
            if (*p + 1 < end && (*p)[1] == '"')
              {
                g_string_append_c (field, '"');
                *p += 2;
                continue;
              }
            (*p)++;
            break;
          }

        if (**p == '\r' || **p == '\n')
          {
            /* A line break typed inside a cell. Spreadsheets on Windows
             * write it as CRLF; keep one canonical form. */
            g_string_append_c (field, '\n');
            skip_line_break (p, end, line);
          }
        else
          {
            g_string_append_c (field, **p);
            (*p)++;
          }

        if (field_too_large (field, quote_line, error))
          return FALSE;
      }

    if (*p < end && **p != ',' && **p != '\r' && **p != '\n')
      {
        g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_SYNTAX,
                     _("Line %u: text after the closing quote of a field."),
                     *line);
        return FALSE;
      }
  }

  return TRUE;
}

GPtrArray *
pk_csv_parse (const char  *data,
              gssize       length,
              GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  const char *invalid = NULL;
  const char *p;
  const char *end;
  gsize len;
  guint line = 1;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len > PK_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB."),
                   (guint) (PK_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  /* Validating up front lets the parser below work on bytes: the
   * characters it looks for are ASCII and never occur inside a UTF-8
   * multi-byte sequence. A NUL byte also fails here, as it should. */
  if (!g_utf8_validate_len (data, len, &invalid))
    {
      g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_NOT_TEXT,
                   _("Line %u: the text is not valid UTF-8; save the spreadsheet as “CSV UTF-8”."),
                   line_of_offset (data, invalid - data));
      return NULL;
    }

  p = data;
  end = data + len;
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_csv_record_free);

  while (p < end)
    {
      g_autoptr(GPtrArray) fields = NULL;
      PkCsvRecord *record;
      guint record_line = line;

      /* An entirely empty line, as spreadsheets leave at the end. */
      if (*p == '\r' || *p == '\n')
        {
          skip_line_break (&p, end, &line);
          continue;
        }

      if (records->len >= PK_CSV_MAX_RECORDS)
        {
          g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE,
                       g_dngettext (GETTEXT_PACKAGE, "Line %u: the file has more than %u row.",
                                    "Line %u: the file has more than %u rows.", PK_CSV_MAX_RECORDS),
                       line, (guint) PK_CSV_MAX_RECORDS);
          return NULL;
        }

      fields = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          g_autoptr(GString) field = g_string_new (NULL);

          if (p < end && !read_field (&p, end, &line, field, error))
            return NULL;

          if (fields->len >= PK_CSV_MAX_FIELDS)
            {
              g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE,
                           g_dngettext (GETTEXT_PACKAGE, "Line %u: a row has more than %u column.",
                                        "Line %u: a row has more than %u columns.", PK_CSV_MAX_FIELDS),
                           record_line, (guint) PK_CSV_MAX_FIELDS);
              return NULL;
            }
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));

          if (p >= end)
            break;
          if (*p == ',')
            {
              p++;
              continue;
            }
          skip_line_break (&p, end, &line);
          break;
        }

      record = g_new0 (PkCsvRecord, 1);
      record->line = record_line;
      record->n_fields = fields->len;
      g_ptr_array_add (fields, NULL);
      record->fields = (char **) g_ptr_array_steal (fields, NULL);
      g_ptr_array_add (records, record);
    }

  return g_steal_pointer (&records);
}

GPtrArray *
pk_csv_parse_file (const char  *path,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_FAILED,
                   _("Could not read “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  if (st.st_size > PK_CSV_MAX_FILE_BYTES)
    {
      g_set_error (error, PK_CSV_ERROR, PK_CSV_ERROR_TOO_LARGE,
                   _("“%s” is larger than %u MiB."), path,
                   (guint) (PK_CSV_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return pk_csv_parse (contents, (gssize) length, error);
}
