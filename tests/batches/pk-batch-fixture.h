/* pk-batch-fixture.h: a coordinator's USB stick full of batch files, for
 * the coordinator window's tests and screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kiosks of pk_batch_fixture_make_stick(), busiest first: each
 * batch of the first holds 4 signatures, of the second 3, and so on. The
 * last kiosk was never given a name. */
#define PK_BATCH_FIXTURE_N_KIOSKS 4
extern const char * const pk_batch_fixture_kiosk_names[PK_BATCH_FIXTURE_N_KIOSKS];

/* Writes @n_files batch files of the demo petition into @dir: @n_files -
 * 1 authentic ones, closed in turn at the four kiosks, then one cut in
 * half on its way to the stick (the last path). Returns their paths. */
GPtrArray *pk_batch_fixture_make_stick (const char *dir,
                                        guint       n_files);

G_END_DECLS
