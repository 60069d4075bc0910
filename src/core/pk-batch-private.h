/* pk-batch-private.h: what the batch file's writer (pk-batch.c) and
 * reader (pk-batch-reader.c) share, from pk-batch-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sodium.h>

#include "pk-batch.h"
#include "pk-sqlite.h"

G_BEGIN_DECLS

#define PK_BATCH_DIGEST_BYTES  crypto_generichash_BYTES_MAX  /* 64 */

/* The statements of a batch file's schema: batch, sealed_keys,
 * signatures, sheet_counts. */
#define PK_BATCH_N_SCHEMA_STATEMENTS 4

#define PK_BATCH_HEADER_COLUMNS \
  "format, uuid, petition_id, petition_version, kiosk_id, kiosk_name, event, " \
  "opened_at, closed_at, kiosk_public_key, n_sealed_keys, n_rows"
#define PK_BATCH_ROW_COLUMNS_FORMAT1 \
  "uuid, signed_at, source, lang, consent_hash, opt_in, sheet_serial, sheet_line, key_id, payload"
#define PK_BATCH_ROW_COLUMNS PK_BATCH_ROW_COLUMNS_FORMAT1 ", sensitive_consent_hash"
#define PK_BATCH_SHEET_COUNT_COLUMNS "serial, count, entered_at"

/* Statement @i (below PK_BATCH_N_SCHEMA_STATEMENTS) of the schema of
 * batch format @format. The reader compares a file's sqlite_schema with
 * the one these statements produce, so they are the single truth. */
const char *pk_batch_schema_statement  (guint         format,
                                        guint         i);

/* The sealed keys' columns of format @format, as the digest reads them. */
const char *pk_batch_sealed_keys_query (guint         format);

/* Sets @error in PK_BATCH_ERROR with @code. Always returns FALSE. */
gboolean    pk_batch_fail              (GError      **error,
                                        PkBatchError  code,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (3, 4);

/* Sets @error for a failure of SQLite while reading a batch: @verdict
 * (in PK_BATCH_ERROR) when @rc is about the file's bytes, but a
 * G_IO_ERROR when the reading itself failed (out of memory, an I/O
 * error, a denied access), which is no verdict on the file: the merge
 * then stops without rejecting a file that may be good. @what names the
 * verdict; the other reads "Cannot read the batch". Always FALSE. */
gboolean    pk_batch_fail_sqlite_rc    (GError      **error,
                                        PkBatchError  verdict,
                                        int           rc,
                                        const char   *cause,
                                        const char   *what);

/* The same, with @db's latest result code and message. */
gboolean    pk_batch_fail_sqlite       (GError      **error,
                                        PkBatchError  verdict,
                                        sqlite3      *db,
                                        const char   *what);

/* Sets a G_IO_ERROR, "@what: @cause": the reading failed for a reason
 * of the machine's, not of the file's. Always FALSE. */
gboolean    pk_batch_fail_resource     (GError      **error,
                                        const char   *what,
                                        const char   *cause);

/* Streams every signed value of the batch in @db, a file in @format,
 * through BLAKE2b-512: the domain string, the header row (all columns
 * but the signature), the sealed keys by id, the rows (the columns of
 * their format) by uuid (byte order) and the sheet counts by serial
 * (byte order). Both writer and reader use this one function. */
gboolean    pk_batch_compute_digest    (sqlite3      *db,
                                        guint         format,
                                        guint8        digest[PK_BATCH_DIGEST_BYTES],
                                        GError      **error);

/* The hex BLAKE2b-256 of @data: a batch file's digest as listed. */
char       *pk_batch_hex_digest        (const guint8 *data,
                                        gsize         length);

/* Column @column of @stmt's row as a new string (NULL for SQL NULL). */
char       *pk_batch_dup_text          (sqlite3_stmt *stmt,
                                        int           column);

/* The integer a one-value query @sql gives on @db, or -1. */
gint64      pk_batch_count             (sqlite3      *db,
                                        const char   *sql);

G_END_DECLS
