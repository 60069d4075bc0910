/* pk-alloc-fault.h: SQLite failing at the K-th allocation of an
 * operation, for the tests that sweep an operation's error paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite takes its memory through methods a program may replace before
 * it starts (sqlite3_config (SQLITE_CONFIG_MALLOC), see
 * https://sqlite.org/c3ref/c_config_covering_index_scan.html); these
 * pass every call on to SQLite's own, except the K-th after
 * pk_alloc_fault_arm (K), which fails, as SQLite's own malloc tests do.
 * Nothing in src/ knows of this: the methods are SQLite's public API.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Before anything starts SQLite (first thing in main ()). */
void     pk_alloc_fault_install  (void);

/* Fails the @k-th SQLite allocation from now on (@k >= 1). */
void     pk_alloc_fault_arm      (gint64 k);

/* Fails the @k-th SQLite allocation counted from the moment a
 * connection starts preparing a statement that updates @column of
 * @table (SQLite asks its authorizer then, https://sqlite.org/c3ref/
 * set_authorizer.html): the statement's own preparing and stepping,
 * then what follows it. Once only; every connection opened after
 * pk_alloc_fault_install () is watched, and none may set an authorizer
 * of its own. */
void     pk_alloc_fault_arm_at_update (const char *table,
                                       const char *column,
                                       gint64      k);

/* Stops failing; TRUE when the operation since pk_alloc_fault_arm ()
 * reached the allocation to fail, FALSE when it made fewer. */
gboolean pk_alloc_fault_disarm   (void);

/* Fails the test unless @error, from an operation whose only fault was
 * an allocation, says what happened: not that the file is damaged, nor
 * a constraint or "not an error" that a failed read or bind left
 * behind in place of SQLite's own cause. */
void     pk_alloc_fault_assert_said (const GError *error);

/* The distance between two K of a sweep: 17 unless
 * $PK_ALLOC_FAULT_STEP says otherwise (1 tries every allocation). */
gint64   pk_alloc_fault_step     (void);

G_END_DECLS
