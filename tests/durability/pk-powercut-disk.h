/* pk-powercut-disk.h: a folder that can lose its power, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test side of the pk-powercut shim (pk-powercut.c): runs
 * `petition-kiosk` with the shim watching one folder, and rebuilds that
 * folder as the disk would hold it after the power failed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The status of a process whose power was cut (pk-powercut.c). */
#define PK_DISK_CUT_STATUS 86

typedef struct _PkDisk PkDisk;

/* A fresh empty folder under $TMPDIR with its durable image. */
PkDisk     *pk_disk_new          (void);
void        pk_disk_free         (PkDisk              *disk);
/* The watched folder, where the files under test live. */
const char *pk_disk_get_dir      (PkDisk              *disk);
/* @name in the watched folder; free it. */
char       *pk_disk_path         (PkDisk              *disk,
                                  const char          *name);

/* Takes everything now in the folder as durable, as sync(1) would. */
void        pk_disk_settle       (PkDisk              *disk);
/* The power fails now: the folder becomes what its durable image holds
 * (names as of the folder's last sync, each file's content as of its
 * own last sync, empty if it never had one), and that is settled. */
void        pk_disk_power_cut    (PkDisk              *disk);

/* "NAME=value" strings that load the shim on @disk into a process:
 * @cut_at > 0 cuts the power at that counted call; @extra_env (may be
 * NULL) adds e.g. the fault settings. */
GStrv       pk_disk_environ      (PkDisk              *disk,
                                  guint                cut_at,
                                  const char * const  *extra_env);
/* Runs `petition-kiosk ARGS…` with the shim (see pk_proof_run_cli for
 * the rest) with pk_disk_environ (). */
int         pk_disk_run          (PkDisk              *disk,
                                  const char * const  *args,
                                  guint                cut_at,
                                  const char * const  *extra_env,
                                  char               **out_stdout,
                                  char               **out_stderr);
/* How many calls the shim counted in the last pk_disk_run (). */
guint       pk_disk_events       (PkDisk              *disk);
/* Which of those calls synced the folder itself, ascending. */
GArray     *pk_disk_folder_syncs (PkDisk              *disk);
/* Which of the counted calls 1…@n_events to try, ascending: all of them
 * when there are at most $PK_POWERCUT_POINTS (default @budget, "all" for
 * no limit), otherwise the first, the last, each of @always (may be
 * NULL; the folder's syncs) and a sample drawn with the GTest seed. */
GArray     *pk_disk_sample       (guint                n_events,
                                  const GArray        *always,
                                  guint                budget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkDisk, pk_disk_free)

G_END_DECLS
