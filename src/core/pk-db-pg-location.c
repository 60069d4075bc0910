/* pk-db-pg-location.c: the rules of pk-pg-location.h, read by libpq
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the PostgreSQL module (pk-pg-module.h): pk-pg-location.h has
 * the rules and why.
 */
#define G_LOG_DOMAIN "pk-pg"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-db-pg-private.h"
#include "pk-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PQconninfoOption, PQconninfoFree)

/* A libpq host is a Unix-domain socket when it is a folder (absolute
 * path) or an abstract socket (@…); none at all means the default
 * socket ("Parameter Key Words", host). */
static gboolean
host_is_socket (const char *host)
{
  return host == NULL || *host == '\0' || host[0] == '/' || host[0] == '@';
}

/* Whether every host of the comma-separated @hosts is a socket, and no
 * @hostaddr (always TCP) is given. */
static gboolean
all_hosts_are_sockets (const char *hosts,
                       const char *hostaddr)
{
  g_auto(GStrv) list = NULL;

  if (hostaddr != NULL && *hostaddr != '\0')
    return FALSE;
  if (hosts == NULL || *hosts == '\0')
    return TRUE;
  list = g_strsplit (hosts, ",", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (!host_is_socket (list[i]))
      return FALSE;
  return TRUE;
}

static gboolean
set_tls_error (const char  *location,
               const char  *sslmode,
               GError     **error)
{
  g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
               _("“%s” reaches the database server over the network with sslmode=%s. Signer data "
                 "only travels encrypted to a server whose certificate is checked: add "
                 "sslmode=verify-full (with the server's CA in ~/.postgresql/root.crt or sslrootcert), "
                 "or use a Unix socket (host=/path/to/folder) on this machine."),
               location, sslmode != NULL && *sslmode != '\0' ? sslmode : "prefer");
  return FALSE;
}

/* @location read by libpq, or NULL with @error; refused, too, when it
 * holds a password. */
static PQconninfoOption *
parse (const char  *location,
       GError     **error)
{
  g_autoptr(PQconninfoOption) options = NULL;
  char *message = NULL;

  options = PQconninfoParse (location, &message);
  if (options == NULL)
    {
      g_autofree char *reason = g_strchomp (g_strdup (message != NULL ? message : ""));

      PQfreemem (message);
      g_set_error (error, pk_db_pg_store_error, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
                   _("“%s” is not a PostgreSQL address libpq can read: %s"), location, reason);
      return NULL;
    }

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && g_str_equal (o->keyword, "password"))
      {
        /* Not the address itself in the message: it holds the password. */
        g_set_error_literal (error, pk_db_pg_store_error, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
                             _("The database address holds a password. Passwords never go on the "
                               "command line: use ~/.pgpass or a service file (PGSERVICEFILE)."));
        return NULL;
      }
  return g_steal_pointer (&options);
}

gboolean
pk_db_pg_check_password (const char  *location,
                         GError     **error)
{
  g_autoptr(PQconninfoOption) options = NULL;

  g_return_val_if_fail (location != NULL, FALSE);

  options = parse (location, error);
  return options != NULL;
}

gboolean
pk_db_pg_check_location (const char  *location,
                         GError     **error)
{
  g_autoptr(PQconninfoOption) options = NULL;
  const char *host = NULL, *hostaddr = NULL, *sslmode = NULL, *service = NULL;

  g_return_val_if_fail (location != NULL, FALSE);

  options = parse (location, error);
  if (options == NULL)
    return FALSE;

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "hostaddr"))
        hostaddr = o->val;
      else if (g_str_equal (o->keyword, "sslmode"))
        sslmode = o->val;
      else if (g_str_equal (o->keyword, "service"))
        service = o->val;
    }

  /* A service file may name the host: judged once connected. */
  if (service != NULL && host == NULL && hostaddr == NULL)
    return TRUE;
  if (!all_hosts_are_sockets (host, hostaddr) && g_strcmp0 (sslmode, "verify-full") != 0)
    return set_tls_error (location, sslmode, error);
  return TRUE;
}

gboolean
pk_db_pg_check_connection (PGconn      *conn,
                           const char  *location,
                           GError     **error)
{
  g_autoptr(PQconninfoOption) options = PQconninfo (conn);
  const char *sslmode = NULL;

  if (host_is_socket (PQhost (conn)))
    return TRUE;
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "sslmode"))
      sslmode = o->val;
  if (g_strcmp0 (sslmode, "verify-full") != 0 || !PQsslInUse (conn))
    return set_tls_error (location, sslmode, error);
  return TRUE;
}
