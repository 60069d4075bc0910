/* test-petition-signature.c: the coordinator's signature on petition
 * files, and the coordinator a kiosk pins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pk-keys.h"
#include "pk-petition-signature.h"
#include "pk-pinned-coordinator.h"
#include "pk-store-private.h"

#define PETITION \
  "[Petition]\n" \
  "Id=test\n" \
  "Version=1\n" \
  "Title=Title\n" \
  "Summary=Summary\n" \
  "Text=Text.\n" \
  "Url=https://example.org/p\n" \
  "Organizer=Org\n" \
  "Fields=given_name;\n" \
  "ConsentText=I agree.\n"

typedef struct {
  char *dir;
  PkCoordinatorKey *key;
  PkSigningKey *signing;
} Keys;

static void
keys_make (Keys       *keys,
           const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  keys->key = pk_coordinator_key_generate (path, &error);
  g_assert_no_error (error);
  keys->signing = pk_signing_key_derive (keys->key, &error);
  g_assert_no_error (error);
}

static void
keys_clear (Keys *keys)
{
  g_clear_pointer (&keys->key, pk_coordinator_key_free);
  g_clear_pointer (&keys->signing, pk_signing_key_free);
}

/* PETITION with @key's CoordinatorKey (when not NULL), signed by
 * @signer (when not NULL). */
static char *
make_petition (PkCoordinatorKey *key,
               PkSigningKey     *signer,
               guint             version)
{
  g_autoptr(GString) text = g_string_new (PETITION);
  g_autofree char *version_line = g_strdup_printf ("Version=%u\n", version);
  gsize length = 0;

  g_string_replace (text, "Version=1\n", version_line, 1);
  if (key != NULL)
    {
      g_autofree char *b64 = pk_key_to_base64 (key->public_key, sizeof key->public_key);

      g_string_append_printf (text, "CoordinatorKey=%s\n", b64);
    }
  if (signer == NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);
  return pk_petition_signature_sign (text->str, text->len, signer, &length, NULL);
}

static PkPetition *
load (const char  *data,
      GError     **error)
{
  return pk_petition_new_from_data (data, strlen (data), error);
}

static void
test_sign_and_verify (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pk-petsig-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (dir, "c.key", NULL);
  Keys keys = { NULL };
  g_autoptr(PkSigningKey) again = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *resigned = NULL;
  gsize length = 0;

  keys_make (&keys, dir, "c.key");
  /* Derived, not random: the key file is the only secret to keep. */
  again = pk_signing_key_derive (keys.key, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->public_key, 32, keys.signing->public_key, 32);

  data = make_petition (keys.key, keys.signing, 1);
  petition = load (data, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (pk_petition_get_signing_key (petition), 32, keys.signing->public_key, 32);
  g_clear_object (&petition);

  /* Signing again replaces the block instead of stacking a second one. */
  resigned = pk_petition_signature_sign (data, strlen (data), keys.signing, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resigned, ==, data);

  /* Unsigned files load, and say so. */
  g_free (data);
  data = make_petition (keys.key, NULL, 1);
  petition = load (data, &error);
  g_assert_no_error (error);
  g_assert_null (pk_petition_get_signing_key (petition));

  keys_clear (&keys);
  g_remove (key_path);
  g_rmdir (dir);
}

/* Every byte above the block counts, whatever key it belongs to; an
 * editor's CR LF line ends do not. */
static void
test_every_byte_counts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pk-petsig-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (dir, "c.key", NULL);
  Keys keys = { NULL };
  g_autofree char *data = NULL;
  g_autoptr(GString) crlf = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  gsize content_length;

  keys_make (&keys, dir, "c.key");
  data = make_petition (keys.key, keys.signing, 1);
  content_length = strstr (data, "[Signature]") - data;

  for (gsize i = 0; i < content_length; i++)
    {
      g_autofree char *changed = g_strdup (data);
      g_autoptr(PkPetition) refused = NULL;
      g_autoptr(GError) changed_error = NULL;

      /* A printable byte stays printable, so parsing alone cannot
       * catch it. */
      changed[i] = changed[i] == 'x' ? 'y' : (changed[i] == '\n' ? '\n' : 'x');
      if (changed[i] == data[i])
        continue;
      refused = load (changed, &changed_error);
      g_assert_null (refused);
      g_assert_nonnull (changed_error);
    }

  crlf = g_string_new (data);
  g_string_replace (crlf, "\n", "\r\n", 0);
  petition = load (crlf->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pk_petition_get_signing_key (petition));

  keys_clear (&keys);
  g_remove (key_path);
  g_rmdir (dir);
}

static void
test_block_malformed (void)
{
  static const char * const blocks[] = {
    "[Signature]\n",
    "[Signature]\nSigningKey=AAAA\nSignature=AAAA\n",
    "[Signature]\nSigningKey=" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    "[Signature]\nOther=1\n",
    "[Signature]\nno equals sign\n",
    "[Signature]\n[Petition]\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      g_autofree char *data = g_strconcat (PETITION, blocks[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PkPetition) petition = load (data, &error);

      g_assert_null (petition);
      g_assert_error (error, PK_PETITION_ERROR, PK_PETITION_ERROR_BAD_SIGNATURE);
    }
}

typedef struct {
  char *dir;
  PkStore *store;
  Keys real;
  Keys evil;
} Kiosk;

static void
kiosk_setup (Kiosk *k)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;

  k->dir = g_dir_make_tmp ("pk-pinned-XXXXXX", NULL);
  db = g_build_filename (k->dir, "kiosk.db", NULL);
  k->store = pk_store_open (db, &error);
  g_assert_no_error (error);
  keys_make (&k->real, k->dir, "real.key");
  keys_make (&k->evil, k->dir, "evil.key");
}

static void
kiosk_teardown (Kiosk *k)
{
  g_autoptr(GDir) dir = g_dir_open (k->dir, 0, NULL);
  const char *name;

  g_clear_object (&k->store);
  keys_clear (&k->real);
  keys_clear (&k->evil);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (k->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (k->dir);
  g_free (k->dir);
}

static gboolean
accept (Kiosk       *k,
        const char  *data,
        GError     **error)
{
  g_autoptr(PkPetition) petition = load (data, NULL);

  g_assert_nonnull (petition);
  return pk_pinned_coordinator_accept (k->store, petition, error);
}

static void
add_signature (Kiosk      *k,
               const char *data)
{
  g_autoptr(PkPetition) petition = load (data, NULL);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Min");
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  g_assert_true (pk_store_add_signature (k->store, petition, sig, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pin_first_use (void)
{
  Kiosk k = { NULL };
  g_autofree char *plain = NULL;
  g_autofree char *unsigned_real = NULL;
  g_autofree char *real = NULL;
  g_autofree char *evil = NULL;
  g_autofree char *real_fp = NULL;
  g_autofree char *evil_fp = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(GError) error = NULL;

  kiosk_setup (&k);
  plain = make_petition (NULL, NULL, 1);
  unsigned_real = make_petition (k.real.key, NULL, 1);
  real = make_petition (k.real.key, k.real.signing, 1);
  evil = make_petition (k.evil.key, k.evil.signing, 1);
  real_fp = pk_key_fingerprint (k.real.key->public_key);
  evil_fp = pk_key_fingerprint (k.evil.key->public_key);

  /* Nothing pinned: plain mode as before; an unsigned encrypted file is
   * refused and pins nothing. */
  g_assert_true (accept (&k, plain, &error));
  g_assert_false (accept (&k, unsigned_real, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_UNSIGNED);
  g_clear_error (&error);
  g_assert_null (pk_pinned_coordinator_fingerprint (k.store));

  /* The first signed encrypted file pins. */
  g_assert_true (accept (&k, real, &error));
  g_assert_no_error (error);
  pinned = pk_pinned_coordinator_fingerprint (k.store);
  g_assert_cmpstr (pinned, ==, real_fp);

  /* From then on, only the pinned coordinator's files: not the evil
   * one, not an unsigned one, not even a plain one. */
  g_assert_false (accept (&k, evil, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_OTHER_COORDINATOR);
  g_assert_nonnull (strstr (error->message, real_fp));
  g_assert_nonnull (strstr (error->message, evil_fp));
  g_clear_error (&error);
  g_assert_false (accept (&k, unsigned_real, &error));
  g_clear_error (&error);
  g_assert_false (accept (&k, plain, &error));
  g_clear_error (&error);

  kiosk_teardown (&k);
}

static gint64
open_batch_rows (Kiosk *k)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (pk_store_get_db (k->store),
                                       "SELECT count(*) FROM signatures WHERE batch_id = "
                                       "(SELECT id FROM batches WHERE origin = 'local' AND closed_at IS NULL)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  return n;
}

/* The pinned coordinator may sign a new CoordinatorKey; the rows sealed
 * to the new key start a new batch. */
static void
test_signed_key_change_closes_batch (void)
{
  Kiosk k = { NULL };
  g_autofree char *real = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *evil_fp = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first_batch;

  kiosk_setup (&k);
  real = make_petition (k.real.key, k.real.signing, 1);
  /* The evil key pair stands in for the coordinator's new key file. */
  rotated = make_petition (k.evil.key, k.real.signing, 2);
  evil_fp = pk_key_fingerprint (k.evil.key->public_key);

  g_assert_true (accept (&k, real, &error));
  add_signature (&k, real);
  add_signature (&k, real);
  first_batch = pk_store_get_current_batch (k.store);
  g_assert_cmpint (open_batch_rows (&k), ==, 2);

  g_assert_true (accept (&k, rotated, &error));
  g_assert_no_error (error);
  pinned = pk_pinned_coordinator_fingerprint (k.store);
  g_assert_cmpstr (pinned, ==, evil_fp);

  add_signature (&k, rotated);
  g_assert_cmpint (pk_store_get_current_batch (k.store), !=, first_batch);
  g_assert_cmpint (open_batch_rows (&k), ==, 1);

  kiosk_teardown (&k);
}

/* The deliberate change waits for the batch of the old key to close. */
static void
test_replace_needs_closed_batch (void)
{
  Kiosk k = { NULL };
  g_autofree char *real = NULL;
  g_autofree char *evil = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *evil_fp = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(PkPetition) evil_petition = NULL;
  g_autoptr(PkPetition) plain_petition = NULL;
  g_autoptr(GError) error = NULL;

  kiosk_setup (&k);
  real = make_petition (k.real.key, k.real.signing, 1);
  evil = make_petition (k.evil.key, k.evil.signing, 1);
  plain = make_petition (NULL, k.evil.signing, 1);
  evil_petition = load (evil, NULL);
  plain_petition = load (plain, NULL);
  evil_fp = pk_key_fingerprint (k.evil.key->public_key);

  g_assert_true (accept (&k, real, &error));
  add_signature (&k, real);

  g_assert_false (pk_pinned_coordinator_replace (k.store, plain_petition, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_NOT_PINNABLE);
  g_clear_error (&error);
  g_assert_false (pk_pinned_coordinator_replace (k.store, evil_petition, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_BATCH_HOLDS_ROWS);
  g_clear_error (&error);

  /* What close-batch does to the open batch. */
  g_assert_true (pk_store_begin (k.store, &error));
  g_assert_cmpint (pk_store_rotate_batch_unlocked (k.store, NULL, g_get_real_time (), &error), >, 0);
  g_assert_true (pk_store_commit (k.store, &error));

  g_assert_true (pk_pinned_coordinator_replace (k.store, evil_petition, &error));
  g_assert_no_error (error);
  pinned = pk_pinned_coordinator_fingerprint (k.store);
  g_assert_cmpstr (pinned, ==, evil_fp);
  g_assert_true (accept (&k, evil, &error));
  g_assert_false (accept (&k, real, &error));

  kiosk_teardown (&k);
}

/* A kiosk whose database cannot be written (opened read-only) neither
 * pins a first coordinator nor replaces one: both say why, and nothing
 * is pinned. */
static void
test_read_only_store (void)
{
  Kiosk k = { NULL };
  g_autofree char *real = NULL;
  g_autofree char *db = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pinned = NULL;

  kiosk_setup (&k);
  real = make_petition (k.real.key, k.real.signing, 1);
  petition = load (real, NULL);
  db = g_strdup (pk_store_get_path (k.store));
  g_clear_object (&k.store);
  k.store = pk_store_open_read_only (db, &error);
  g_assert_no_error (error);

  g_assert_false (pk_pinned_coordinator_accept (k.store, petition, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (pk_pinned_coordinator_replace (k.store, petition, &error));
  g_assert_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_FAILED);
  g_clear_error (&error);
  pinned = pk_pinned_coordinator_fingerprint (k.store);
  g_assert_null (pinned);

  kiosk_teardown (&k);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/PetitionSignature/sign-and-verify", test_sign_and_verify);
  g_test_add_func ("/Pk/PetitionSignature/every-byte-counts", test_every_byte_counts);
  g_test_add_func ("/Pk/PetitionSignature/block-malformed", test_block_malformed);
  g_test_add_func ("/Pk/PinnedCoordinator/first-use", test_pin_first_use);
  g_test_add_func ("/Pk/PinnedCoordinator/signed-key-change-closes-batch",
                   test_signed_key_change_closes_batch);
  g_test_add_func ("/Pk/PinnedCoordinator/read-only-store", test_read_only_store);
  g_test_add_func ("/Pk/PinnedCoordinator/replace-needs-closed-batch",
                   test_replace_needs_closed_batch);

  return g_test_run ();
}
