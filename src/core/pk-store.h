/* pk-store.h: the kiosk's durable SQLite store, and the coordinator's
 * master in SQLite or on PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pk-petition.h"
#include "pk-signature.h"

G_BEGIN_DECLS

#define PK_STORE_ERROR (pk_store_error_quark ())

typedef enum {
  PK_STORE_ERROR_FAILED,
  PK_STORE_ERROR_DUPLICATE,      /* this signer already signed this petition */
  PK_STORE_ERROR_NEWER_VERSION,  /* made by a newer Petition Kiosk; untouched */
  PK_STORE_ERROR_CORRUPT,        /* not a database, or damaged; untouched */
  PK_STORE_ERROR_FULL,           /* the disk is full; nothing was written */
  PK_STORE_ERROR_READ_ONLY,      /* cannot write there; nothing was written */
  PK_STORE_ERROR_PAPER_LINE_TAKEN, /* that sheet and line is already entered */
  PK_STORE_ERROR_NEEDS_UPGRADE,  /* read-only open of an older schema; untouched */
  PK_STORE_ERROR_UNSUPPORTED_LOCATION, /* an address (postgresql://…), not a file path */
  PK_STORE_ERROR_PAPER_LINE_SENT, /* that paper line already left in a batch file or by sync */
  PK_STORE_ERROR_RETRY,          /* the server gave up on the transaction for another's
                                  * sake (serialization failure, deadlock); nothing of it
                                  * was saved, and running it again may succeed */
} PkStoreError;

GQuark pk_store_error_quark (void);

#define PK_TYPE_STORE (pk_store_get_type ())
G_DECLARE_FINAL_TYPE (PkStore, pk_store, PK, STORE, GObject)

/* FALSE, with PK_STORE_ERROR_UNSUPPORTED_LOCATION, when @location names
 * a database by address rather than by file path: any "scheme://…"
 * (postgresql://, postgres://, https://) and SQLite's "file:" URIs. This
 * build keeps every database in a SQLite file, and an address must never
 * become a folder and file of that name. pk_store_open() and
 * pk_store_open_read_only() refuse such a location too. */
gboolean     pk_store_location_is_supported (const char *location,
                                             GError    **error);

/* Opens or creates the database at @path (mode 0600, WAL,
 * synchronous=FULL), creating its parent folder, and migrates it
 * forward. A newer or damaged database is refused and left untouched. */
PkStore     *pk_store_open               (const char   *path,
                                          GError      **error);
/* A coordinator's master: at a file path, as pk_store_open(); or on a
 * PostgreSQL server named by a postgresql:// (or postgres://) address,
 * which must follow the rules of docs/scale.md (no password in it,
 * sslmode=verify-full over TCP), with its own schema migrated forward
 * in one transaction. On such a master the counts, settings, the
 * report, the export, copy-master and the merge (pk-merge.h) work; the
 * kiosk's own work (signatures, paper, batches) fails with
 * PK_STORE_ERROR_UNSUPPORTED_LOCATION (pk_store_require_sqlite()). */
PkStore     *pk_store_open_master        (const char   *location,
                                          GError      **error);
/* The same for reading only, as pk_store_open_read_only(); on
 * PostgreSQL every read of the store is one REPEATABLE READ snapshot. */
PkStore     *pk_store_open_master_read_only (const char *location,
                                             GError    **error);
/* Whether @self is a master on a PostgreSQL server. */
gboolean     pk_store_is_postgresql      (PkStore      *self);
/* FALSE, with PK_STORE_ERROR_UNSUPPORTED_LOCATION and a message that
 * names @what ("merging into the master database"), when @self is a
 * master on PostgreSQL: for the work that still reaches SQLite's
 * connection itself, which such a master does not have. */
gboolean     pk_store_require_sqlite     (PkStore      *self,
                                          const char   *what,
                                          GError      **error);
/* The rules a master's location must follow before anything opens it:
 * pk_pg_location_check() for a postgresql:// address, else
 * pk_store_location_is_supported(). */
gboolean     pk_store_check_master_location (const char *location,
                                             GError    **error);

/* Opens the existing database at @path for reading only, for commands
 * that only read (count, report, export), so that they work on a
 * write-protected USB stick or a read-only mount. Nothing is written,
 * migrated or checkpointed, and no -wal, -shm or -journal file is
 * created beside it: its bytes, mtime and folder stay as they were. A
 * database of an older schema, which only a writable open can upgrade,
 * is refused with PK_STORE_ERROR_NEEDS_UPGRADE; a newer or damaged one
 * as by pk_store_open(). Writing through the store fails with
 * PK_STORE_ERROR_READ_ONLY. */
PkStore     *pk_store_open_read_only     (const char   *path,
                                          GError      **error);
/* For a store from pk_store_open_read_only(): fails, with a message
 * saying so, when another program changed the file while this one was
 * reading it without locks (see check_existing() in pk-store-open.c), so
 * that what was read may be a mix of before and after. Call it after
 * reading and before printing or committing the result. Always
 * succeeds for other stores, whose reads are consistent. */
gboolean     pk_store_check_unchanged    (PkStore      *self,
                                          GError      **error);
/* Runs SQLite's full integrity check. pk_store_open() checks small
 * databases (quick_check) itself; for large ones (a master) it checks
 * only the header, so as not to slow every start, and this is the way
 * to check everything, e.g. from admin. */
gboolean     pk_store_check_integrity    (PkStore      *self,
                                          GError      **error);
/* $XDG_DATA_HOME/petition-kiosk/kiosk.db */
char        *pk_store_default_path       (void);
const char  *pk_store_get_path           (PkStore      *self);

/* The kiosk's identity, generated at first run. */
const char  *pk_store_get_kiosk_id       (PkStore      *self);

/* Setting keys the store itself reads: a new batch records the kiosk
 * and event names in force when it opens. */
#define PK_SETTING_KIOSK_NAME "kiosk-name"
#define PK_SETTING_EVENT      "event"

/* Key/value settings kept in the database (kiosk name, event name, PIN
 * hash, …). get returns a new string or NULL. */
char        *pk_store_get_setting        (PkStore      *self,
                                          const char   *key);
gboolean     pk_store_set_setting        (PkStore      *self,
                                          const char   *key,
                                          const char   *value,
                                          GError      **error);

/* The id of the open batch (one exists at all times). */
gint64       pk_store_get_current_batch  (PkStore      *self);

/* Validates @sig against @petition (the same path as the form), checks
 * for a duplicate signer, and writes it in one transaction. On success
 * the signature is durable on disk and sig->uuid / signed_at are set.
 * Duplicates fail with PK_STORE_ERROR_DUPLICATE and write nothing;
 * invalid input fails with a PK_SIGNATURE_ERROR and @out_field. */
gboolean     pk_store_add_signature      (PkStore      *self,
                                          PkPetition   *petition,
                                          PkSignature  *sig,
                                          PkField      *out_field,
                                          GError      **error);
/* The same for the kiosk's own form, where a passer-by must not learn
 * whether someone signed already: a repeat signer is validated and
 * stored like any other, and sees what anyone sees. The coordinator's
 * merge counts each signer once (docs/batch-format.md, "Merging"). */
gboolean     pk_store_add_signature_from_form (PkStore      *self,
                                               PkPetition   *petition,
                                               PkSignature  *sig,
                                               PkField      *out_field,
                                               GError      **error);

/* Number of signatures for @petition_id, from a maintained counter;
 * with NULL, of all petitions together. */
guint64      pk_store_count              (PkStore      *self,
                                          const char   *petition_id);
/* petition id → guint64 * count, for every petition with signatures. */
GHashTable  *pk_store_count_by_petition  (PkStore      *self,
                                          GError      **error);

/* The stored signature with @uuid (G_IO_ERROR_NOT_FOUND when none).
 * Its fields and strokes are filled in when this process can read them:
 * always in plain mode; in encrypted mode only for rows this PkStore
 * wrote itself (it holds their session key), else they stay NULL. */
PkSignature *pk_store_get_signature_by_uuid (PkStore    *self,
                                             const char *uuid,
                                             GError    **error);
/* The signature entered from paper sheet @sheet_serial, line
 * @sheet_line, or NULL (with @error set only on a database error). */
PkSignature *pk_store_find_paper_line    (PkStore      *self,
                                          const char   *sheet_serial,
                                          guint         sheet_line,
                                          GError      **error);

/* Deletes the rows already exported in a batch file (pk_batch_close()),
 * overwriting them on disk (secure_delete, then the WAL checkpointed
 * into the database and truncated). Callers ask for the admin PIN first. Returns the
 * number deleted, or -1 with @error. While another connection reads
 * the database, the old bytes cannot be overwritten yet: the wipe is
 * then pending (pk_store_wipe_pending()) until pk_store_finish_wipe()
 * succeeds, which callers retry. */
gint64       pk_store_wipe_exported      (PkStore      *self,
                                          GError      **error);
/* TRUE while the bytes of wiped rows may still be in the database file
 * or its WAL. The state is kept in the database, so it survives a
 * restart. */
gboolean     pk_store_wipe_pending       (PkStore      *self);
/* Tries, without waiting, to finish a pending wipe; TRUE when none is
 * pending any more. */
gboolean     pk_store_finish_wipe        (PkStore      *self);
/* Number of rows exported and not yet wiped. */
gint64       pk_store_count_exported     (PkStore      *self);

G_END_DECLS
