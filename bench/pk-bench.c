/* pk-bench.c: shared helpers for the benchmarks in bench/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-bench"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "pk-bench.h"

gint64
pk_bench_now_us (void)
{
  return g_get_monotonic_time ();
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
pk_bench_median (double *values,
                 gsize   n)
{
  g_return_val_if_fail (n > 0, 0);

  qsort (values, n, sizeof *values, compare_doubles);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2;
}

double
pk_bench_peak_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

double
pk_bench_child_wait (GPid    pid,
                     int    *out_status,
                     double *out_cpu_s)
{
  struct rusage usage = { 0 };
  int status = 0;

  if (wait4 (pid, &status, 0, &usage) != pid)
    return 0;
  if (out_status != NULL)
    *out_status = status;
  if (out_cpu_s != NULL)
    *out_cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  return usage.ru_maxrss / 1024.0;
}

double
pk_bench_child_peak_rss_mib (GPid pid,
                             int *out_status)
{
  return pk_bench_child_wait (pid, out_status, NULL);
}

char *
pk_bench_scratch_dir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_strdup (g_getenv ("PK_BENCH_DIR"));
  g_autofree char *template = NULL;
  char *dir;

  if (parent == NULL)
    parent = g_get_current_dir ();
  template = g_build_filename (parent, "pk-bench-XXXXXX", NULL);
  dir = g_mkdtemp (template) ? g_steal_pointer (&template) : NULL;
  if (dir == NULL)
    g_error ("%s: cannot make a scratch directory under %s: %s",
             name, parent, g_strerror (errno));
  return dir;
}

static void
rm_rf_file (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        rm_rf_file (child);
    }
  g_file_delete (file, NULL, NULL);
}

void
pk_bench_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  rm_rf_file (file);
}

static void
print_row (const char *what,
           double      ours,
           double      baseline,
           const char *unit,
           const char *target,
           gboolean    met)
{
  g_autofree char *ratio = NULL;

  ratio = baseline > 0 ? g_strdup_printf ("%.2f×", ours / baseline) : g_strdup ("–");
  /* Flushed at once: run-bench reads rows as they come, and a later
   * crash must not swallow a row already measured. */
  printf ("| %s | %.3f %s | %.3f %s | %s | %s | %s |\n",
          what, ours, unit, baseline, unit, ratio, target,
          target[0] == '\0' ? "" : (met ? "met" : "**missed**"));
  fflush (stdout);
}

void
pk_bench_row (const char *what,
              double      ours,
              double      baseline,
              const char *unit,
              double      target_ratio)
{
  g_autofree char *target = NULL;

  target = target_ratio > 0 ? g_strdup_printf ("≤ %.1f×", target_ratio) : g_strdup ("");
  print_row (what, ours, baseline, unit, target,
             baseline > 0 && ours / baseline <= target_ratio);
}

void
pk_bench_row_limit (const char *what,
                    double      ours,
                    double      baseline,
                    const char *unit,
                    double      limit)
{
  g_autofree char *target = g_strdup_printf ("< %g %s", limit, unit);

  print_row (what, ours, baseline, unit, target, ours < limit);
}
