/* pk-db-pg-private.h: shared by the files of the PostgreSQL module
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libpq-fe.h>

#include "pk-db-private.h"

G_BEGIN_DECLS

/* PK_STORE_ERROR, given by the core when it opens the module
 * (pk_pg_module_get): the module links no code of the core. */
extern GQuark pk_db_pg_store_error;

/* pk_pg_location_check_password () and pk_pg_location_check (). */
gboolean pk_db_pg_check_password   (const char  *location,
                                    GError     **error);
gboolean pk_db_pg_check_location   (const char  *location,
                                    GError     **error);
/* Once connected: the same TCP rule for what the connection really
 * used, which a service file or PGHOST may have set. */
gboolean pk_db_pg_check_connection (PGconn      *conn,
                                    const char  *location,
                                    GError     **error);

G_END_DECLS
