/* pk-export.h: CSV and OSDI JSON exports of a store (usually a master)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_EXPORT_ERROR (pk_export_error_quark ())

typedef enum {
  /* The file is in place and whole, but syncing its folder after the
   * rename failed: the disk did not confirm that its name survives a
   * power loss. The older export it replaced is gone either way. */
  PK_EXPORT_ERROR_UNCONFIRMED,
} PkExportError;

GQuark   pk_export_error_quark        (void);

typedef enum {
  PK_EXPORT_CSV,
  PK_EXPORT_OSDI_JSON,
} PkExportFormat;

typedef enum {
  PK_EXPORT_FLAGS_NONE               = 0,
  PK_EXPORT_FLAGS_BOM                = 1 << 0,  /* CSV: a UTF-8 byte-order mark first */
  PK_EXPORT_FLAGS_INCLUDE_DUPLICATES = 1 << 1,  /* also the duplicates, marked */
} PkExportFlags;

gboolean pk_export_format_from_string (const char     *name,
                                       PkExportFormat *out_format);

/* Writes every signature of @store, one per distinct signer (the kept
 * one) unless PK_EXPORT_FLAGS_INCLUDE_DUPLICATES, ordered by signed_at
 * then uuid, to @path: atomically, replacing an older export. The same
 * rows always give the same bytes. Rows still encrypted (a kiosk
 * database with a CoordinatorKey) cannot be exported and fail. Returns
 * the number of rows written, or -1 with @error: then nothing is at
 * @path but what was there before, except with
 * PK_EXPORT_ERROR_UNCONFIRMED, where the whole export is. */
gint64   pk_export_write              (PkStore        *store,
                                       PkExportFormat  format,
                                       PkExportFlags   flags,
                                       const char     *path,
                                       GError        **error);

/* Makes a CSV cell inert for spreadsheets: at the start of the value
 * and after each ';', tab, CR or LF in it (where a spreadsheet splitting
 * on those starts a cell), a single quote goes in front of '=', '+',
 * '-', '@', their full-width forms, tab, CR or a single quote. To
 * recover the value, drop one single quote at each of those places
 * where there is one. Then quotes it per RFC 4180 when it holds a comma,
 * quote, CR or LF, and also a ';', tab or '|', and appends it to @out. */
void     pk_export_append_csv_cell    (GString        *out,
                                       const char     *value);

/* The signer fields of a plain payload (pk_signature_serialize()) as
 * pointers into @data, without copying: for reading many rows fast.
 * Every offset, string and UTF-8 sequence is checked; returns FALSE for
 * anything but a well-formed version-1 payload, and then callers use
 * pk_signature_deserialize(), which says what is wrong. */
gboolean pk_export_peek_fields        (const guint8   *data,
                                       gsize           size,
                                       const char     *fields[PK_N_FIELDS]);

G_END_DECLS
