/* pk-bench-first-frame.h: tell the start-up benchmark about the first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Watches every window @app gets; when the first one has painted its
 * first frame, prints "first-frame" on stdout and ends the process at
 * once (the benchmark has what it measures; tearing down would only add
 * noise to the peak memory figure). */
void pk_bench_watch_first_frame (GtkApplication *app);

G_END_DECLS
