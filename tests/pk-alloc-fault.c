/* pk-alloc-fault.c: SQLite failing at the K-th allocation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "pk-alloc-fault.h"

static sqlite3_mem_methods real_methods;
static gint64 fail_at;     /* the allocation to fail; 0: none */
static gint64 n_allocs;    /* allocations since pk_alloc_fault_arm () */
/* pk_alloc_fault_arm_at_update ()'s statement, and its K; 0: none. */
static char *update_table;
static char *update_column;
static gint64 update_k;

static void *
faulty_malloc (int size)
{
  if (fail_at > 0 && ++n_allocs == fail_at)
    return NULL;
  return real_methods.xMalloc (size);
}

static void *
faulty_realloc (void *block,
                int   size)
{
  if (fail_at > 0 && ++n_allocs == fail_at)
    return NULL;
  return real_methods.xRealloc (block, size);
}

/* Arms the fault when the statement pk_alloc_fault_arm_at_update ()
 * waits for is being prepared; allows everything. */
static int
watch_updates (void       *user_data,
               int         action,
               const char *table,
               const char *column,
               const char *database,
               const char *trigger)
{
  if (update_k > 0 && action == SQLITE_UPDATE
      && g_strcmp0 (table, update_table) == 0 && g_strcmp0 (column, update_column) == 0)
    {
      pk_alloc_fault_arm (update_k);
      update_k = 0;
    }
  return SQLITE_OK;
}

static int
watch_connection (sqlite3                        *db,
                  char                          **error_message,
                  const sqlite3_api_routines     *api)
{
  return sqlite3_set_authorizer (db, watch_updates, NULL);
}

void
pk_alloc_fault_install (void)
{
  sqlite3_mem_methods methods;

  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_GETMALLOC, &real_methods), ==, SQLITE_OK);
  methods = real_methods;
  methods.xMalloc = faulty_malloc;
  methods.xRealloc = faulty_realloc;
  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_MALLOC, &methods), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_auto_extension ((void (*) (void)) watch_connection), ==, SQLITE_OK);
}

void
pk_alloc_fault_arm (gint64 k)
{
  g_assert_cmpint (k, >=, 1);
  n_allocs = 0;
  fail_at = k;
}

void
pk_alloc_fault_arm_at_update (const char *table,
                              const char *column,
                              gint64      k)
{
  g_assert_cmpint (k, >=, 1);
  g_free (update_table);
  g_free (update_column);
  update_table = g_strdup (table);
  update_column = g_strdup (column);
  update_k = k;
  fail_at = 0;
}

gboolean
pk_alloc_fault_disarm (void)
{
  /* An update that was never prepared reached nothing. */
  gboolean reached = update_k == 0 && fail_at > 0 && n_allocs >= fail_at;

  fail_at = 0;
  update_k = 0;
  return reached;
}

void
pk_alloc_fault_assert_said (const GError *error)
{
  static const char * const misleading[] = {
    "is damaged or is not a Petition Kiosk database",
    "batch file is damaged",
    "not an error",
    "constraint failed",
  };

  g_assert_nonnull (error);
  for (guint i = 0; i < G_N_ELEMENTS (misleading); i++)
    if (strstr (error->message, misleading[i]) != NULL)
      g_error ("out of memory, said as: %s", error->message);
}

gint64
pk_alloc_fault_step (void)
{
  const char *text = g_getenv ("PK_ALLOC_FAULT_STEP");
  g_autoptr(GError) error = NULL;
  guint64 value = 17;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 1000, &value, &error))
    g_error ("PK_ALLOC_FAULT_STEP: %s", error->message);
  return (gint64) value;
}
