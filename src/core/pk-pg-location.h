/* pk-pg-location.h: which PostgreSQL addresses a master may be given by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules every command applies to a postgresql:// (or postgres://)
 * address, before it connects and again once connected (docs/scale.md):
 * - no password in the address: the command line is visible to every
 *   user of the machine (ps) and stays in shell histories; libpq reads
 *   it from ~/.pgpass (PGPASSFILE) or a service file (PGSERVICEFILE);
 * - a server reached over TCP is only used with sslmode=verify-full,
 *   so that the signers' data travels encrypted to the server whose
 *   certificate names it, never to whoever answers on the way;
 * - a Unix-domain socket (a host that is a folder, or no host at all)
 *   needs no TLS: it never leaves the machine. That is the way to use
 *   a server on the coordinator's own laptop without TLS; there is no
 *   other opt-out.
 * Addresses are read by libpq itself (PQconninfoParse), never by a
 * parser of ours. libpq is in the PostgreSQL module (pk-pg-module.h):
 * the checks open it, and fail with its reason when it cannot be.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @location starts with postgresql:// or postgres://. */
gboolean  pk_pg_location_is_postgresql (const char  *location);

/* FALSE with PK_STORE_ERROR_UNSUPPORTED_LOCATION when @location
 * cannot be read as an address or holds a password: for the commands
 * that refuse any address, so that their message never repeats one. */
gboolean  pk_pg_location_check_password (const char  *location,
                                         GError     **error);

/* Before connecting: FALSE with PK_STORE_ERROR_UNSUPPORTED_LOCATION
 * when @location cannot be read as an address, holds a password, or
 * names a TCP host without sslmode=verify-full. */
gboolean  pk_pg_location_check         (const char  *location,
                                        GError     **error);

G_END_DECLS
