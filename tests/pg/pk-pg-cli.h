/* pk-pg-cli.h: running the real binary (PK_BINARY) from the pg tests,
 * as a coordinator does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What one finished run left: its exit status (-1 when a signal ended
 * it), its output and its error output. */
typedef struct {
  int status;
  char *out;
  char *err;
} PkPgRun;

void       pk_pg_run_clear  (PkPgRun            *run);

/* PK_BINARY and @args (NULL-terminated), NULL-terminated; the strings
 * are borrowed. */
GPtrArray *pk_pg_cli_argv   (const char * const *args);

/* Runs PK_BINARY with @args in @cwd and waits for it. */
void       pk_pg_cli_run    (const char         *cwd,
                             PkPgRun            *run,
                             const char * const *args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkPgRun, pk_pg_run_clear)

G_END_DECLS
