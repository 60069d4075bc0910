/* pk-batch-fixture.h: a coordinator's USB stick full of batch files, for
 * the coordinator window's tests and screenshots; batches that mix
 * coordinator keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pk-petition.h"
#include "pk-store.h"

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

/* A coordinator with a fresh key in "@dir/@name.key", and the demo
 * petition sealed to that key. */
typedef struct {
  char *key_path;
  char *fingerprint;
  PkPetition *petition;
} PkFixtureCoordinator;

void       pk_batch_fixture_coordinator_make  (PkFixtureCoordinator       *c,
                                               const char                 *dir,
                                               const char                 *name);
void       pk_batch_fixture_coordinator_clear (PkFixtureCoordinator       *c);

/* Signs the petition as "Mixed", @email, at the kiosk @store. */
void       pk_batch_fixture_add               (PkStore                    *store,
                                               PkPetition                 *petition,
                                               const char                 *email);
/* `petition-kiosk close-batch --db @db --out @batch`, which must work. */
void       pk_batch_fixture_close             (const char                 *db,
                                               const char                 *batch);
/* A batch that mixes coordinator keys, as a kiosk key holder could
 * forge it (a kiosk closes the batch when the key changes): two rows
 * sealed to @real and one to @evil, signed at the kiosk @db, closed
 * into @batch. */
void       pk_batch_fixture_make_mixed        (const char                 *db,
                                               const char                 *batch,
                                               const PkFixtureCoordinator *real,
                                               const PkFixtureCoordinator *evil);

G_END_DECLS
