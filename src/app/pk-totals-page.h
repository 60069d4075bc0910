/* pk-totals-page.h: the master's totals and charts, on the coordinator's
 * Totals tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "pk-chart.h"

G_BEGIN_DECLS

#define PK_TYPE_TOTALS_PAGE (pk_totals_page_get_type ())
G_DECLARE_FINAL_TYPE (PkTotalsPage, pk_totals_page, PK, TOTALS_PAGE, GtkWidget)

/* Shows @report (as pk_report_build() makes it). */
void        pk_totals_page_set_report      (PkTotalsPage *self,
                                            JsonNode     *report);
/* The totals as shown: the main line, then one line a note. */
const char *pk_totals_page_get_text        (PkTotalsPage *self);
PkChart    *pk_totals_page_get_kiosk_chart (PkTotalsPage *self);

G_END_DECLS
