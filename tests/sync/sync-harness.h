/* sync-harness.h: the test receiver and the `sync` command, for the
 * sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pk-store.h"

#define RIGHT_TOKEN "right-T0KEN-5f2a9c"
#define WRONG_TOKEN "wrong-T0KEN-77e1b0"
#define PETITION_ID "test-petition"

/* The test's scratch directory, made by main(). */
extern char *tmpdir;

typedef struct {
  GSubprocess *process;
  guint        port;
  gboolean     https;
} Receiver;

/* Starts tests/sync/osdi-receiver with the right token and the given
 * options (NULL-terminated), and reads its port. */
Receiver            *receiver_start     (const char  *first_arg,
                                         ...);
/* Stops it and checks that it exited cleanly. */
void                 receiver_stop      (Receiver    *receiver);
char                *receiver_endpoint  (Receiver    *receiver);
/* One count from its GET /stats. */
gint64               receiver_stat      (Receiver    *receiver,
                                         const char  *name);
char                *write_token_file   (const char  *name,
                                         const char  *token,
                                         int          mode);
PkStore             *make_store         (const char  *name,
                                         guint        n,
                                         int          reject_index);
void                 assert_counts      (const char  *name,
                                         guint64      sent,
                                         guint64      failed,
                                         guint64      pending);
GSubprocessLauncher *sync_launcher      (GSubprocessFlags flags);
/* Runs `petition-kiosk sync --db NAME --endpoint URL ARGS…`; returns
 * the exit status and the output. An argument "ENV:NAME=VALUE" sets
 * NAME in its environment instead ("ENV:NAME=" removes it). */
int                  run_sync           (const char  *db_name,
                                         const char  *endpoint,
                                         char       **out_stdout,
                                         char       **out_stderr,
                                         const char  *first_arg,
                                         ...);
void                 assert_no_token    (const char  *text);
/* Deletes tmpdir's files and tmpdir itself when @passed (a failing run
 * leaves them to look at), and frees its name. */
void                 remove_tmpdir      (gboolean     passed);
