/* pk-batch.h: signed batch files, written by a kiosk and read, as
 * hostile input, by the coordinator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is documented in docs/batch-format.md.
 */
#pragma once

#include <glib.h>

#include "pk-keys.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_BATCH_ERROR (pk_batch_error_quark ())

typedef enum {
  PK_BATCH_ERROR_FAILED,           /* cannot read or write; not the file's fault */
  PK_BATCH_ERROR_NOT_A_BATCH,
  PK_BATCH_ERROR_TRUNCATED,
  PK_BATCH_ERROR_TAMPERED,         /* signature, schema or structure do not hold */
  PK_BATCH_ERROR_NEWER_VERSION,
  PK_BATCH_ERROR_TOO_LARGE,
  PK_BATCH_ERROR_INVALID,          /* signed, but holds values no kiosk writes */
  PK_BATCH_ERROR_WRONG_PETITION,
  PK_BATCH_ERROR_UNTRUSTED_KIOSK,
  PK_BATCH_ERROR_EXISTS,           /* the target file exists; nothing written */
  PK_BATCH_ERROR_NO_KEY,           /* encrypted, and no coordinator key given */
  PK_BATCH_ERROR_WRONG_KEY,        /* encrypted for another coordinator key */
  PK_BATCH_ERROR_CONFLICT,         /* another file with this batch uuid was merged */
} PkBatchError;

GQuark      pk_batch_error_quark  (void);
/* The short, stable reason printed by `verify` ("tampered", "truncated",
 * "not a batch", …); untranslated so scripts can match it. */
const char *pk_batch_error_reason (int code);

/* The current format, stored as PRAGMA user_version of the file. Format
 * 2 records the coordinator key of each sealed key and each row's
 * sensitive-data consent; format 1 files (release 0.1.0) are still read. */
#define PK_BATCH_FORMAT        2
/* PRAGMA application_id: "PKB1". */
#define PK_BATCH_APPLICATION_ID 0x504B4231

/* Limits on hostile files (see docs/batch-format.md). The whole file is
 * read into memory, so the size limit also bounds memory use. */
#define PK_BATCH_MAX_FILE_BYTES    (G_GINT64_CONSTANT (256) * 1024 * 1024)
#define PK_BATCH_MAX_ROWS          1000000
#define PK_BATCH_MAX_SEALED_KEYS   1000000
#define PK_BATCH_MAX_PAYLOAD_BYTES (1024 * 1024)
#define PK_BATCH_MAX_TEXT_BYTES    1024

typedef struct {
  char    *uuid;
  char    *petition_id;
  gint64   petition_version;
  char    *kiosk_id;
  char    *kiosk_name;          /* may be NULL */
  char    *event;               /* may be NULL */
  gint64   opened_at;           /* µs since the epoch, UTC */
  gint64   closed_at;
  guint8   kiosk_key[PK_KIOSK_KEY_BYTES];
  gint64   n_rows;
  gint64   n_sealed_keys;
  char    *file_digest;         /* hex BLAKE2b-256 of the file's bytes */
  gint64   n_sheet_counts;      /* paper sheets counted only, not transcribed */
} PkBatchInfo;

void pk_batch_info_free (PkBatchInfo *info);

/* One row as stored in a batch. Strings and payload point into the
 * reader and stay valid until the next call to next_row(). */
typedef struct {
  const char   *uuid;
  gint64        signed_at;
  const char   *source;
  const char   *lang;
  const char   *consent_hash;
  gboolean      opt_in;
  const char   *sheet_serial;   /* NULL unless paper */
  gint64        sheet_line;
  gint64        key_id;         /* 0 when the payload is plain */
  const guint8 *payload;
  gsize         payload_length;
  const char   *sensitive_consent_hash; /* NULL without that consent, and in format 1 */
} PkBatchRow;

/* A paper sheet entered as a count only ("sheet 42 holds 17 valid
 * signatures"), for the batch's petition. @serial points into the
 * reader and stays valid until the next call to next_sheet_count(). */
typedef struct {
  const char *serial;
  guint       count;            /* 0 … PK_SHEET_LINES */
  gint64      entered_at;       /* µs since the epoch, UTC */
} PkBatchSheetCount;

typedef struct _PkBatchReader PkBatchReader;

/* Reads @path and checks everything that needs no outside knowledge,
 * in this order, before returning: size, SQLite header (not a batch,
 * truncated, newer version), exact schema, quick_check, counts and
 * limits, then the Ed25519 signature over the canonical digest. No row
 * is handed out by a reader whose open failed. A PK_BATCH_ERROR is a
 * verdict on the file; a G_IO_ERROR (out of memory, an I/O error once
 * the file was open) is none, here and in the calls below. */
PkBatchReader     *pk_batch_reader_open          (const char     *path,
                                                  GError        **error);
const PkBatchInfo *pk_batch_reader_get_info      (PkBatchReader  *self);
/* Checks what needs outside knowledge: the petition id (if not NULL)
 * and the kiosk key against @trust (if not NULL). */
gboolean           pk_batch_reader_check         (PkBatchReader  *self,
                                                  const char     *petition_id,
                                                  PkTrustList    *trust,
                                                  GError        **error);
/* The sealed session key with @id, or NULL. Owned by the reader. */
GBytes            *pk_batch_reader_get_sealed_key (PkBatchReader *self,
                                                  gint64          id);
/* The coordinator public key (32 bytes) the sealed key @id is sealed
 * to, as the kiosk recorded it, or NULL: unknown (a format 1 file, or a
 * key sealed before the kiosk recorded them). Signed like the rest, but
 * only opening the key proves it. */
const guint8      *pk_batch_reader_get_coordinator_key (PkBatchReader *self,
                                                       gint64          id);
/* Rows in uuid order. Returns FALSE at the end (error unset) or on an
 * error; each row's values are checked against the limits. */
gboolean           pk_batch_reader_next_row      (PkBatchReader  *self,
                                                  PkBatchRow     *row,
                                                  GError        **error);
/* Sheet counts in serial order, like next_row(): FALSE at the end
 * (error unset) or on an error; each value is checked. */
gboolean           pk_batch_reader_next_sheet_count (PkBatchReader     *self,
                                                     PkBatchSheetCount *count,
                                                     GError           **error);
/* Starts the rows and sheet counts again from the first, for a merge
 * whose transaction the master gave up on (pk_merge_file()). The file
 * is read once, into memory, so the rows are the ones checked. */
void               pk_batch_reader_rewind        (PkBatchReader  *self);
void               pk_batch_reader_free          (PkBatchReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkBatchReader, pk_batch_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkBatchInfo, pk_batch_info_free)

/* Closes a batch and writes it, signed with the kiosk key, to @path
 * (atomically; never over an existing file); marks its rows exported,
 * and the sheet counts of its petition not yet in a batch file, which
 * travel with it; all or nothing. The batch is the oldest one closed by a petition
 * switch and not yet written, else the open one, which is closed and
 * replaced by a new one. @petition, when it is the batch's, gives the
 * petition version (else 0, "unknown"). Fails when there is no
 * signature and no sheet count to write. Returns the written batch's info. */
PkBatchInfo *pk_batch_close          (PkStore    *store,
                                      PkPetition *petition,
                                      const char *path,
                                      GError    **error);
/* Number of local batches holding rows (or, for the open batch, sheet
 * counts of its petition) not yet written to a file. */
gint64       pk_batch_count_pending  (PkStore    *store);

G_END_DECLS
