/* pk-chart.h: a horizontal bar chart drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PK_TYPE_CHART (pk_chart_get_type ())
G_DECLARE_FINAL_TYPE (PkChart, pk_chart, PK, CHART, GtkWidget)

/* The chart's heading, also its accessible label. */
void       pk_chart_set_title (PkChart            *self,
                               const char         *title);
/* One bar per item: @labels[i] with @values[i]. Copies both. */
void       pk_chart_set_data  (PkChart            *self,
                               const char * const *labels,
                               const gint64       *values,
                               guint               n);
gint64      pk_chart_get_value  (PkChart           *self,
                                 guint              index);

G_END_DECLS
