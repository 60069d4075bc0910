/* test-mixed-batch.c: a batch that holds rows sealed to two coordinator
 * keys (issue 17) is counted by key and merged row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk never writes one (a key change closes the batch), so the two
 * ways it can still happen are made here: a kiosk key holder who forges
 * it, and a kiosk of an older version, before the store recorded whom a
 * session key is sealed to.
 */
#define G_LOG_DOMAIN "test-mixed-batch"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pk-keys.h"
#include "pk-proof.h"
#include "pk-store-private.h"

typedef struct {
  char *key_path;
  char *fingerprint;
  PkPetition *petition;
} Coordinator;

typedef struct {
  char *dir;
  char *db;
  char *batch;
  char *master;
  Coordinator real;
  Coordinator evil;
} Mixed;

static void
coordinator_make (Coordinator *c,
                  const char  *dir,
                  const char  *name)
{
  g_autofree char *demo = pk_proof_demo_petition ("prisoners-of-conscience.petition");
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
  g_assert_true (g_file_get_contents (demo, &contents, NULL, &error));
  text = g_string_new (contents);
  g_string_replace (text, "Fields=", line, 1);
  c->petition = pk_petition_new_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
}

static void
coordinator_clear (Coordinator *c)
{
  g_free (c->key_path);
  g_free (c->fingerprint);
  g_clear_object (&c->petition);
}

static void
mixed_setup (Mixed *m)
{
  m->dir = pk_proof_make_tmpdir ();
  m->db = g_build_filename (m->dir, "kiosk.db", NULL);
  m->batch = g_build_filename (m->dir, "mixed.pkbatch", NULL);
  m->master = g_build_filename (m->dir, "master.db", NULL);
  coordinator_make (&m->real, m->dir, "real");
  coordinator_make (&m->evil, m->dir, "evil");
}

static void
mixed_teardown (Mixed *m)
{
  pk_proof_rm_rf (m->dir);
  g_free (m->dir);
  g_free (m->db);
  g_free (m->batch);
  g_free (m->master);
  coordinator_clear (&m->real);
  coordinator_clear (&m->evil);
}

static void
add (PkStore    *store,
     PkPetition *petition,
     const char *email)
{
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(GError) error = NULL;

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Mixed");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, email);
  sig->lang = g_strdup ("en");
  sig->consent = TRUE;
  g_assert_true (pk_store_add_signature (store, petition, sig, NULL, &error));
  g_assert_no_error (error);
}

static void
exec_sql (PkStore    *store,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (pk_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
close_batch (Mixed *m)
{
  const char *args[] = { "close-batch", "--db", m->db, "--out", m->batch, NULL };

  g_assert_cmpint (pk_proof_run_cli (args, NULL, NULL, NULL), ==, 0);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  if (strstr (text, line) == NULL)
    g_error ("“%s” is not in:\n%s", line, text);
}

/* Two rows for the real coordinator and one for the evil one in one
 * batch, signed by the kiosk's own key: what someone holding a kiosk
 * key could write. */
static void
test_forged (void)
{
  Mixed m = { NULL };
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;

  mixed_setup (&m);
  store = pk_store_open (m.db, &error);
  g_assert_no_error (error);
  add (store, m.real.petition, "one@example.org");
  add (store, m.real.petition, "two@example.org");
  /* The key change closes the batch, so a forger moves the row back. */
  add (store, m.evil.petition, "three@example.org");
  exec_sql (store, "UPDATE signatures SET batch_id = (SELECT min(batch_id) FROM signatures)");
  g_clear_object (&store);
  close_batch (&m);

  {
    const char *args[] = { "verify", m.batch, NULL };

    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    line = g_strdup_printf ("  2 rows sealed to coordinator %s\n", m.real.fingerprint);
    assert_has_line (out, line);
    g_free (line);
    line = g_strdup_printf ("  1 row sealed to coordinator %s\n", m.evil.fingerprint);
    assert_has_line (out, line);
  }

  /* The real coordinator imports the two rows sealed to them; the third
   * is kept, counted and named, not dropped. */
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.real.key_path, m.batch, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, &err), ==, 0);
    assert_has_line (out, "added 2, duplicates 0, rejected 0\n");
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("kept sealed 1, for coordinator %s", m.evil.fingerprint);
    assert_has_line (out, line);
    assert_has_line (err, "mixes coordinator keys");
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 2);
  }

  /* The evil key's holder, later, without the file: the kept row. */
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.evil.key_path, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    g_assert_null (strstr (out, "kept sealed"));
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 3);
  }

  mixed_teardown (&m);
}

/* A kiosk of an older version put both keys in one batch and did not
 * record whom each session key is sealed to. */
static void
test_older_kiosk (void)
{
  Mixed m = { NULL };
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;

  mixed_setup (&m);
  /* Rows as an older store left them: in one batch, and no record of
   * the key each session key is sealed to. */
  store = pk_store_open (m.db, &error);
  g_assert_no_error (error);
  add (store, m.real.petition, "one@example.org");
  add (store, m.evil.petition, "two@example.org");
  exec_sql (store, "UPDATE signatures SET batch_id = (SELECT min(batch_id) FROM signatures);"
                   "UPDATE sealed_keys SET coordinator_key = NULL");
  g_clear_object (&store);
  close_batch (&m);

  {
    const char *args[] = { "verify", m.batch, NULL };

    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "  2 rows sealed to a coordinator key the file does not name\n");
  }
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.real.key_path, m.batch, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    assert_has_line (out, "kept sealed 1, for a coordinator key the batch does not name\n");
  }
  {
    const char *args[] = { "merge", "--into", m.master, "--key", m.evil.key_path, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (pk_proof_run_cli (args, NULL, &out, NULL), ==, 0);
    assert_has_line (out, "added 1, duplicates 0, rejected 0\n");
    g_assert_cmpint (pk_proof_cli_count (m.master), ==, 2);
  }

  mixed_teardown (&m);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Batches/mixed-keys/forged", test_forged);
  g_test_add_func ("/Pk/Batches/mixed-keys/older-kiosk", test_older_kiosk);

  return g_test_run ();
}
