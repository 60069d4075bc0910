/* pk-pg-module.c: opening the PostgreSQL module, and what goes through it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-pg"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-data-dirs.h"
#include "pk-db-private.h"
#include "pk-pg-module.h"
#include "pk-store.h"

/* Opens the module at pk_data_dirs_get_pg_module () and hands it the
 * store's error domain. */
static const PkPgModule *
open_module (GError **error)
{
  const char *path = pk_data_dirs_get_pg_module ();
  GModule *module;
  PkPgModuleGet get = NULL;

  /* Lazy binding, as for the libraries the executable needs; local, so
   * that libpq's symbols stay the module's own. Never closed: a
   * connection may be open until the process ends. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, PK_PG_MODULE_ENTRY, (gpointer *) &get))
    {
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("A database on a PostgreSQL server cannot be used: the module that connects to it "
                     "cannot be opened: %s. Databases in files still work. Reinstall Petition Kiosk, or "
                     "run “meson install” again if you built it yourself."),
                   g_module_error ());
      if (module != NULL)
        g_module_close (module);
      return NULL;
    }
  return get (PK_STORE_ERROR);
}

const PkPgModule *
pk_pg_module_load (GError **error)
{
  static GMutex lock;
  static const PkPgModule *loaded;
  const PkPgModule *module;

  g_mutex_lock (&lock);
  if (loaded == NULL)
    loaded = open_module (error);
  module = loaded;
  g_mutex_unlock (&lock);
  return module;
}

PkDb *
pk_db_open_postgresql (const char  *location,
                       GError     **error)
{
  const PkPgModule *pg = pk_pg_module_load (error);

  return pg != NULL ? pg->open (location, error) : NULL;
}

char *
_pk_db_pg_get_option (PkDb       *db,
                      const char *keyword)
{
  g_return_val_if_fail (db != NULL && db->kind == PK_DB_POSTGRESQL, NULL);

  /* A PostgreSQL connection exists only once the module is open. */
  return pk_pg_module_load (NULL)->get_option (db, keyword);
}
