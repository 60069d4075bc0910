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

void
pk_alloc_fault_install (void)
{
  sqlite3_mem_methods methods;

  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_GETMALLOC, &real_methods), ==, SQLITE_OK);
  methods = real_methods;
  methods.xMalloc = faulty_malloc;
  methods.xRealloc = faulty_realloc;
  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_MALLOC, &methods), ==, SQLITE_OK);
}

void
pk_alloc_fault_arm (gint64 k)
{
  g_assert_cmpint (k, >=, 1);
  n_allocs = 0;
  fail_at = k;
}

gboolean
pk_alloc_fault_disarm (void)
{
  gboolean reached = n_allocs >= fail_at;

  fail_at = 0;
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
