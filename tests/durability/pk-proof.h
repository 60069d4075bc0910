/* pk-proof.h: helpers shared by the durability, security and pg suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These suites try to break the promises from the outside, the way a
 * crash, a full disk or an attacker would: mostly by running the real
 * `petition-kiosk` binary ($PK_BINARY) and then reading its database
 * with plain SQLite.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $PK_SOURCE_ROOT/data/demo/@name */
char     *pk_proof_demo_petition (const char          *name);
/* A fresh private directory under $TMPDIR; remove it with pk_proof_rm_rf. */
char     *pk_proof_make_tmpdir   (void);
void      pk_proof_rm_rf         (const char          *path);

/* Runs `petition-kiosk ARGS…` to completion with stdin from /dev/null and
 * returns its exit status, or -1 when it died from a signal. @extra_env
 * (may be NULL) holds "NAME=value" strings added to the environment.
 * @out_stdout / @out_stderr may be NULL. */
int       pk_proof_run_cli       (const char * const  *args,
                                  const char * const  *extra_env,
                                  char               **out_stdout,
                                  char               **out_stderr);

/* Arguments for `sign` of a unique, valid signer on the demo petition;
 * NULL-terminated, free with g_strfreev. */
GStrv     pk_proof_sign_args     (const char          *db,
                                  const char          *petition,
                                  guint                serial);

/* "ok", or what PRAGMA integrity_check found; never NULL. */
char     *pk_proof_integrity     (const char          *db);
/* Number of rows in signatures with this uuid (0 or 1), or -1 when the
 * database cannot be read. */
gint64    pk_proof_uuid_rows     (const char          *db,
                                  const char          *uuid);
/* SELECT count(*) FROM signatures, or -1. */
gint64    pk_proof_row_count     (const char          *db);
/* The number `petition-kiosk count --db DB` prints, or -1. */
gint64    pk_proof_cli_count     (const char          *db);

/* TRUE when @s is a canonical lower-case UUID (after trimming). */
gboolean  pk_proof_is_uuid       (const char          *s);

/* The one integer @sql (a count, say) gives on the SQLite database @db;
 * -1 when it gives none. */
gint64    pk_proof_query_int64   (const char          *db,
                                  const char          *sql);
/* Reads a whole file, failing the test when it cannot. */
GBytes   *pk_proof_read_bytes    (const char          *path);
/* Copies the file @from to @to (replaced), failing the test when it
 * cannot. */
void      pk_proof_copy_file     (const char          *from,
                                  const char          *to);

/* Runs @statement (one or more) on the SQLite file @db. */
void      pk_proof_sql           (const char          *db,
                                  const char          *statement);

/* Signs the batch file @path (format 2) again with a fresh key, as a
 * forger who edited it would. */
void      pk_proof_resign_batch  (const char          *path);
/* A forged twin, written to @path: a copy of the batch file @real with
 * one signer's row swapped for the first of the batch file @fake (so
 * that the count of rows stays right), the kiosk id and batch uuid kept
 * (or, with @new_uuid, another uuid), re-signed with a fresh key.
 * Returns that key's fingerprint. */
char     *pk_proof_forge_batch   (const char          *real,
                                  const char          *fake,
                                  const char          *path,
                                  gboolean             new_uuid);
/* The fingerprint of the key that signed @batch, as `verify` shows it. */
char     *pk_proof_batch_fingerprint (const char      *batch);

/* Moves this process into a private mount namespace, where a test can
 * mount a tmpfs (a small disk, a read-only stick) that no other process
 * sees and that goes away with it. Call it first in main(), while the
 * process has one thread (unshare() needs that; GTK starts threads).
 * When that is impossible (not root, or a container without mount
 * namespaces) returns FALSE with *@skip_reason saying so; @what names
 * what the test wanted to mount, for that message. */
gboolean  pk_proof_enter_mount_namespace (const char  *what,
                                          char       **skip_reason);

G_END_DECLS
