/* pk-pg-module.h: the PostgreSQL backend, a module opened when needed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libpq is the one library only a master on a PostgreSQL server needs,
 * and it cost every process of the program 2.5 ms to load
 * (docs/performance.md). So pk-db-pg.c and pk-db-pg-location.c are a
 * private module, petition-kiosk-pg.so, that the core opens with GModule
 * the first time a postgresql:// or postgres:// address is checked or
 * opened; a command on a file never loads it. The module links no code
 * of the core: it is given the store's error domain when opened, so that
 * any process holding the core can open it, the executable and the test
 * programs alike. Where the module is: pk_data_dirs_get_pg_module ().
 */
#pragma once

#include <gmodule.h>

#include "pk-db.h"

G_BEGIN_DECLS

/* What the module does, each as pk-pg-location.h and pk-db.h say. */
typedef struct {
  gboolean  (*check_password) (const char  *location,
                               GError     **error);
  gboolean  (*check_location) (const char  *location,
                               GError     **error);
  PkDb     *(*open)           (const char  *location,
                               GError     **error);
  char     *(*get_option)     (PkDb        *db,
                               const char  *keyword);
} PkPgModule;

/* What the core looks up in the module. */
#define PK_PG_MODULE_ENTRY "pk_pg_module_get"

typedef const PkPgModule *(*PkPgModuleGet) (GQuark store_error);

/* In the module: its functions, whose errors are in @store_error
 * (PK_STORE_ERROR). */
G_MODULE_EXPORT const PkPgModule *pk_pg_module_get (GQuark store_error);

/* In the core: the module, opened at the first call and kept. NULL with
 * PK_STORE_ERROR_FAILED, saying which file could not be opened and why,
 * when it cannot be; a later call tries again. Thread-safe. */
const PkPgModule *pk_pg_module_load (GError **error);

G_END_DECLS
