/* pk-chart-private.h: pk-chart's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-chart.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-chart.h"

G_BEGIN_DECLS

/* The label and the value of bar @index, as drawn from the top. */
const char *_pk_chart_get_label  (PkChart           *self,
                                 guint              index);

guint       _pk_chart_get_n_bars (PkChart           *self);

const char *_pk_chart_get_title  (PkChart           *self);

G_END_DECLS
