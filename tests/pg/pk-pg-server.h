/* pk-pg-server.h: a throwaway PostgreSQL server for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian's initdb and pg_ctl make a cluster in a temporary folder and
 * run it there, as "nobody" when the tests run as root (PostgreSQL
 * refuses to run as root). It listens on a Unix socket in that folder,
 * named after a port that was free on 127.0.0.1, and on that port over
 * TCP only once pk_pg_server_enable_tls() set up TLS. A watchdog process stops the server and removes the folder
 * when the test process ends, however it ends (a failed assertion
 * aborts it): it waits for the end of a pipe only the test holds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PkPgServer PkPgServer;

/* The role that may only log in with a password (scram-sha-256). */
#define PK_PG_SERVER_PASSWORD_ROLE "pkpw"

/* Whether Debian's server binaries are installed; for a caller outside
 * the test framework (the merge bench), which skips on its own. */
gboolean    pk_pg_server_is_installed (void);

/* A running server, or NULL when PostgreSQL is not installed: the
 * current test is then skipped with pk_test_skip() (a failure where
 * every test must run). */
PkPgServer *pk_pg_server_start        (void);
/* For a test that runs the binary against a server: starts *@server
 * the first time; FALSE, the test skipped, without the binary (PK_BINARY)
 * or PostgreSQL. */
gboolean    pk_pg_server_ready        (PkPgServer **server);
void        pk_pg_server_free         (PkPgServer *self);

/* A new, empty database; returns its name. */
char       *pk_pg_server_create_database (PkPgServer *self);
/* The socket address of @database for @user (NULL: the superuser). */
char       *pk_pg_server_uri          (PkPgServer *self,
                                       const char *database,
                                       const char *user);
/* The folder of the socket. */
const char *pk_pg_server_get_dir      (PkPgServer *self);
/* The folder of the server's programs, psql among them (Debian's
 * /usr/bin/psql is a Perl wrapper that picks a cluster). */
const char *pk_pg_server_get_bin      (PkPgServer *self);

/* Runs @sql as the superuser on @database; asserts it succeeded. */
void        pk_pg_server_exec         (PkPgServer *self,
                                       const char *database,
                                       const char *sql);
/* The one integer @sql returns. */
gint64      pk_pg_server_query_int64  (PkPgServer *self,
                                       const char *database,
                                       const char *sql);

/* How many lines of the server's log hold @text: an error a client
 * met and handled (a serialization failure it retried, say) is said
 * there, with its SQLSTATE, and nowhere else. */
guint       pk_pg_server_count_in_log (PkPgServer *self,
                                       const char *text);

/* Makes a CA (ca.crt in the server's folder, and an unrelated
 * other-ca.crt), a certificate for "localhost" signed by it, and
 * restarts the server listening on 127.0.0.1 with TLS too (hostssl
 * only). Returns "postgresql://pk@localhost:PORT", to which a test adds
 * the database and its sslmode. */
char       *pk_pg_server_enable_tls   (PkPgServer *self);

/* Kills the server as a power cut would (pg_ctl stop -m immediate),
 * and starts it again. */
void        pk_pg_server_kill         (PkPgServer *self);
void        pk_pg_server_restart      (PkPgServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkPgServer, pk_pg_server_free)

G_END_DECLS
