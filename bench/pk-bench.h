/* pk-bench.h: shared helpers for the benchmarks in bench/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every benchmark measures its own baseline (the best this machine can
 * do for the same work without Petition Kiosk) in the same run and
 * prints one or more rows of the table in docs/performance.md with
 * pk_bench_row(). build-aux/run-bench collects the rows.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Monotonic time in microseconds. */
gint64   pk_bench_now_us       (void);
/* Median of @n values; sorts @values in place. */
double   pk_bench_median       (double     *values,
                                gsize       n);
/* Peak resident set size of this process so far, in MiB (VmHWM). */
double   pk_bench_peak_rss_mib (void);
/* Peak resident set size of a finished child, in MiB (from wait4). */
double   pk_bench_child_peak_rss_mib (GPid pid,
                                      int *out_status);
/* The same, and the CPU time (user + system, seconds) the child used:
 * on a machine others share, what the work cost, whatever the wait for
 * a CPU. */
double   pk_bench_child_wait   (GPid        pid,
                                int        *out_status,
                                double     *out_cpu_s);
/* A scratch directory for the benchmark's databases on the same disk as
 * the build (not a tmpfs, which would hide the cost of fsync): made under
 * $PK_BENCH_DIR or the current directory. The caller removes it with
 * pk_bench_rm_rf(). */
char    *pk_bench_scratch_dir  (const char *name);
void     pk_bench_rm_rf        (const char *path);
/* Prints one table row:
 * | what | ours | baseline | ratio | target | met? |
 * @target_ratio ≤ 0 means no ratio target (the row is informational). */
void     pk_bench_row          (const char *what,
                                double      ours,
                                double      baseline,
                                const char *unit,
                                double      target_ratio);
/* Prints a row with an absolute target: met when @ours ≤ @limit. */
void     pk_bench_row_limit    (const char *what,
                                double      ours,
                                double      baseline,
                                const char *unit,
                                double      limit);

G_END_DECLS
