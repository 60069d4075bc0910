/* pk-pg-location.c: which PostgreSQL addresses a master may be given by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pk-pg-location.h has the rules and why.
 */
#define G_LOG_DOMAIN "pk-pg"

#include "config.h"

#include <string.h>

#include "pk-pg-location.h"
#include "pk-pg-module.h"

gboolean
pk_pg_location_is_postgresql (const char *location)
{
  return location != NULL &&
         (g_ascii_strncasecmp (location, "postgresql://", strlen ("postgresql://")) == 0 ||
          g_ascii_strncasecmp (location, "postgres://", strlen ("postgres://")) == 0);
}

gboolean
pk_pg_location_check_password (const char  *location,
                               GError     **error)
{
  const PkPgModule *pg;

  g_return_val_if_fail (location != NULL, FALSE);

  pg = pk_pg_module_load (error);
  return pg != NULL && pg->check_password (location, error);
}

gboolean
pk_pg_location_check (const char  *location,
                      GError     **error)
{
  const PkPgModule *pg;

  g_return_val_if_fail (location != NULL, FALSE);

  pg = pk_pg_module_load (error);
  return pg != NULL && pg->check_location (location, error);
}
