/* pk-batch-fixture.c: a coordinator's USB stick full of batch files, for
 * the coordinator window's tests and screenshots; batches that mix
 * coordinator keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-batch-fixture"

#include "config.h"

#include <glib/gstdio.h>

#include "pk-batch-fixture.h"
#include "pk-batch.h"
#include "pk-keys.h"
#include "pk-proof.h"
#include "pk-store-private.h"

#define PETITION SOURCE_DATADIR "/demo/prisoners-of-conscience.petition"

const char * const pk_batch_fixture_kiosk_names[PK_BATCH_FIXTURE_N_KIOSKS] = {
  "광화문 광장", "Alexanderplatz", "시청역 2번 출구", NULL,
};

static PkStore *
open_kiosk (const char *dir,
            guint       kiosk)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("kiosk-%u.db", kiosk);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PkStore *store = pk_store_open (path, &error);

  g_assert_no_error (error);
  if (pk_batch_fixture_kiosk_names[kiosk] != NULL)
    {
      pk_store_set_setting (store, PK_SETTING_KIOSK_NAME, pk_batch_fixture_kiosk_names[kiosk], &error);
      g_assert_no_error (error);
    }
  return store;
}

static void
sign (PkStore    *store,
      PkPetition *petition,
      guint       kiosk,
      guint       batch,
      guint       i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autofree char *email = g_strdup_printf ("k%u-b%u-%u@example.org", kiosk, batch, i);
  PkField field;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "민준");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "이");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  /* Over a few days, so that the day chart has several bars. */
  sig->signed_at = G_GINT64_CONSTANT (1790000000000000) + (gint64) (batch % 3) * 86400 * G_USEC_PER_SEC
                   + (gint64) i * G_USEC_PER_SEC;
  g_assert_true (pk_store_add_signature (store, petition, sig, &field, &error));
  g_assert_no_error (error);
}

/* A copy of @path cut in half, as a stick pulled out too early leaves it. */
static char *
truncated_copy (const char *dir,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  char *out = g_build_filename (dir, "kiosk-0-cut.pkbatch", NULL);
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (out, contents, length / 2, &error);
  g_assert_no_error (error);
  return out;
}

GPtrArray *
pk_batch_fixture_make_stick (const char *dir,
                             guint       n_files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (PETITION, &error);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  PkStore *stores[PK_BATCH_FIXTURE_N_KIOSKS];

  g_assert_no_error (error);
  g_assert_cmpuint (n_files, >=, 2);
  for (guint k = 0; k < PK_BATCH_FIXTURE_N_KIOSKS; k++)
    stores[k] = open_kiosk (dir, k);

  for (guint b = 0; b + 1 < n_files; b++)
    {
      guint kiosk = b % PK_BATCH_FIXTURE_N_KIOSKS;
      g_autofree char *name = g_strdup_printf ("kiosk-%u-%03u.pkbatch", kiosk, b / PK_BATCH_FIXTURE_N_KIOSKS + 1);
      char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PkBatchInfo) info = NULL;

      for (guint i = 0; i < PK_BATCH_FIXTURE_N_KIOSKS - kiosk; i++)
        sign (stores[kiosk], petition, kiosk, b, i);
      info = pk_batch_close (stores[kiosk], petition, path, &error);
      g_assert_no_error (error);
      g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, truncated_copy (dir, g_ptr_array_index (paths, 0)));

  for (guint k = 0; k < PK_BATCH_FIXTURE_N_KIOSKS; k++)
    g_object_unref (stores[k]);
  return paths;
}

void
pk_batch_fixture_coordinator_make (PkFixtureCoordinator *c,
                                   const char           *dir,
                                   const char           *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(GError) error = NULL;

  c->key_path = g_strdup_printf ("%s/%s.key", dir, name);
  key = pk_coordinator_key_generate (c->key_path, &error);
  g_assert_no_error (error);
  c->fingerprint = pk_key_fingerprint (key->public_key);
  b64 = pk_key_to_base64 (key->public_key, PK_COORDINATOR_KEY_BYTES);
  line = g_strdup_printf ("CoordinatorKey=%s\nFields=", b64);
  g_assert_true (g_file_get_contents (PETITION, &contents, NULL, &error));
  text = g_string_new (contents);
  g_string_replace (text, "Fields=", line, 1);
  c->petition = pk_petition_new_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
}

void
pk_batch_fixture_coordinator_clear (PkFixtureCoordinator *c)
{
  g_free (c->key_path);
  g_free (c->fingerprint);
  g_clear_object (&c->petition);
}

void
pk_batch_fixture_add (PkStore    *store,
                      PkPetition *petition,
                      const char *email)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Mixed");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  /* The demo petitions ask for the separate sensitive-data consent too. */
  sig->sensitive_consent = TRUE;
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
}

void
pk_batch_fixture_close (const char *db,
                        const char *batch)
{
  const char *args[] = { "close-batch", "--db", db, "--out", batch, NULL };

  g_assert_cmpint (pk_proof_run_cli (args, NULL, NULL, NULL), ==, 0);
}

void
pk_batch_fixture_make_mixed (const char                 *db,
                             const char                 *batch,
                             const PkFixtureCoordinator *real,
                             const PkFixtureCoordinator *evil)
{
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = pk_store_open (db, &error);
  g_assert_no_error (error);
  pk_batch_fixture_add (store, real->petition, "one@example.org");
  pk_batch_fixture_add (store, real->petition, "two@example.org");
  /* The key change closes the batch, so a forger moves the row back. */
  pk_batch_fixture_add (store, evil->petition, "three@example.org");
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store),
                                 "UPDATE signatures SET batch_id = (SELECT min(batch_id) FROM signatures)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&store);
  pk_batch_fixture_close (db, batch);
}
