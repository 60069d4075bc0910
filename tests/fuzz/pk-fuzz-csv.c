/* pk-fuzz-csv.c: fuzz target for the CSV reader behind `import`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CSV file is typed by a volunteer in whatever spreadsheet they have,
 * or comes from anyone's USB stick. Any bytes must parse or be refused
 * with a PK_CSV_ERROR; what parses must be valid UTF-8 records within
 * the documented limits, on increasing lines.
 */
#define G_LOG_DOMAIN "pk-fuzz-csv"

#include "config.h"

#include <string.h>

#include "pk-csv.h"
#include "pk-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint previous_line = 0;

  records = pk_csv_parse ((const char *) data, size, &error);
  if (records == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_CSV_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, <=, PK_CSV_MAX_RECORDS);

  for (guint i = 0; i < records->len; i++)
    {
      const PkCsvRecord *record = g_ptr_array_index (records, i);

      g_assert_cmpuint (record->line, >, previous_line);
      previous_line = record->line;
      g_assert_cmpuint (record->n_fields, >=, 1);
      g_assert_cmpuint (record->n_fields, <=, PK_CSV_MAX_FIELDS);
      g_assert_null (record->fields[record->n_fields]);
      for (guint j = 0; j < record->n_fields; j++)
        {
          g_assert_nonnull (record->fields[j]);
          g_assert_true (g_utf8_validate (record->fields[j], -1, NULL));
          g_assert_cmpuint (strlen (record->fields[j]), <=, PK_CSV_MAX_FIELD_BYTES);
        }
    }

  return 0;
}
