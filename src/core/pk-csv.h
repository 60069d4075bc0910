/* pk-csv.h: a strict RFC 4180 reader for spreadsheets typed by volunteers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PK_CSV_ERROR (pk_csv_error_quark ())

typedef enum {
  PK_CSV_ERROR_NOT_TEXT,   /* not UTF-8, or holds NUL bytes; message names the line */
  PK_CSV_ERROR_SYNTAX,     /* broken quoting; message names the line */
  PK_CSV_ERROR_TOO_LARGE,  /* over one of the limits below */
  PK_CSV_ERROR_FAILED,     /* the file could not be read */
} PkCsvError;

GQuark pk_csv_error_quark (void);

/* Limits that keep a wrong or hostile file from exhausting memory. They
 * are far above what a stack of signature sheets produces. */
#define PK_CSV_MAX_FILE_BYTES   (16 * 1024 * 1024)
#define PK_CSV_MAX_FIELD_BYTES  (64 * 1024)
#define PK_CSV_MAX_FIELDS       64
#define PK_CSV_MAX_RECORDS      100000

typedef struct {
  guint   line;      /* physical line (1-based) on which the record starts */
  guint   n_fields;
  char  **fields;    /* n_fields UTF-8 strings, NULL-terminated */
} PkCsvRecord;

/* Parses @data (@length bytes, or -1 for NUL-terminated) as RFC 4180 CSV:
 * an optional UTF-8 byte-order mark; records ended by CRLF, LF or a lone
 * CR; fields separated by commas; a field that starts with a double
 * quote runs to the matching closing quote and may hold commas, line
 * breaks and doubled quotes ("" for "). Entirely empty lines are
 * skipped. Anything else (a quote inside an unquoted field, text after a
 * closing quote, a quote never closed, invalid UTF-8) fails with the
 * line number and nothing is returned.
 *
 * Returns a GPtrArray of PkCsvRecord* (freed with the array). */
GPtrArray *pk_csv_parse      (const char  *data,
                              gssize       length,
                              GError     **error);
/* Reads @path (refusing files over PK_CSV_MAX_FILE_BYTES before loading
 * them) and parses it with pk_csv_parse(). */
GPtrArray *pk_csv_parse_file (const char  *path,
                              GError     **error);

void       pk_csv_record_free (PkCsvRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkCsvRecord, pk_csv_record_free)

G_END_DECLS
