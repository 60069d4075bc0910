/* test-petition-swap.c: whoever can swap the petition file (issue 17),
 * tried as an attacker would, with the real `petition-kiosk` binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two key pairs, "real" and "evil", and two copies of the demo petition
 * that differ only in their CoordinatorKey, each signed by its own key.
 * A kiosk that used the real one refuses the evil one, naming both
 * fingerprints; changing the coordinator takes the PIN and a closed
 * batch; the real coordinator then merges every row sealed to them.
 */
#define G_LOG_DOMAIN "test-petition-swap"

#include "config.h"

#include <gio/gio.h>
#include <glib.h>
#include <string.h>

#include "pk-keys.h"
#include "pk-pin.h"
#include "pk-proof.h"
#include "pk-store.h"

#define TEST_PIN "8642"

typedef struct {
  char *dir;
  char *db;
  char *real_key;
  char *evil_key;
  char *real_petition;
  char *evil_petition;
  char *real_fingerprint;
  char *evil_fingerprint;
} Swap;

static int
run (const char * const *args,
     char              **out_stdout,
     char              **out_stderr)
{
  return pk_proof_run_cli (args, NULL, out_stdout, out_stderr);
}

/* `keygen`, and the fingerprint it prints on stderr. */
static char *
keygen (const char *path,
        char      **out_public_b64)
{
  const char *args[] = { "keygen", "--out", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "CoordinatorKey="));
  *out_public_b64 = g_strstrip (g_strdup (out + strlen ("CoordinatorKey=")));
  key = pk_coordinator_key_load (path, &error);
  g_assert_no_error (error);
  return pk_key_fingerprint (key->public_key);
}

/* The demo petition with @key_b64 as its CoordinatorKey, signed with
 * `sign-petition --key @key_path`. */
static char *
write_signed_petition (const char *dir,
                       const char *name,
                       const char *key_b64,
                       const char *key_path)
{
  g_autofree char *demo = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *line = g_strdup_printf ("CoordinatorKey=%s\nFields=", key_b64);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "sign-petition", "--key", key_path, path, NULL };

  g_assert_true (g_file_get_contents (demo, &contents, NULL, &error));
  text = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (text, "Fields=", line, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  g_assert_cmpint (run (args, NULL, NULL), ==, 0);
  return g_steal_pointer (&path);
}

static void
swap_setup (Swap *s)
{
  g_autofree char *real_b64 = NULL;
  g_autofree char *evil_b64 = NULL;

  s->dir = pk_proof_make_tmpdir ();
  s->db = g_build_filename (s->dir, "kiosk.db", NULL);
  s->real_key = g_build_filename (s->dir, "real.key", NULL);
  s->evil_key = g_build_filename (s->dir, "evil.key", NULL);
  s->real_fingerprint = keygen (s->real_key, &real_b64);
  s->evil_fingerprint = keygen (s->evil_key, &evil_b64);
  s->real_petition = write_signed_petition (s->dir, "real.petition", real_b64, s->real_key);
  s->evil_petition = write_signed_petition (s->dir, "evil.petition", evil_b64, s->evil_key);
}

static void
swap_teardown (Swap *s)
{
  pk_proof_rm_rf (s->dir);
  g_free (s->dir);
  g_free (s->db);
  g_free (s->real_key);
  g_free (s->evil_key);
  g_free (s->real_petition);
  g_free (s->evil_petition);
  g_free (s->real_fingerprint);
  g_free (s->evil_fingerprint);
}

static int
sign (Swap       *s,
      const char *petition,
      guint       serial,
      char      **out_stderr)
{
  g_auto(GStrv) args = pk_proof_sign_args (s->db, petition, serial);

  return run ((const char * const *) args, NULL, out_stderr);
}

/* `pin-coordinator` with @pin typed on its standard input. */
static int
pin_coordinator (Swap       *s,
                 const char *petition,
                 const char *pin,
                 char      **out_stdout,
                 char      **out_stderr)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strdup_printf ("%s\n", pin);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("PK_BINARY"), "pin-coordinator", "--db", s->db,
                              "--petition", petition, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, out_stdout, out_stderr, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
set_pin (Swap *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = pk_store_open (s->db, &error);

  g_assert_no_error (error);
  g_assert_true (pk_pin_set (store, TEST_PIN, &error));
  g_assert_no_error (error);
}

static void
assert_names_both (const char *message,
                   Swap       *s)
{
  g_assert_nonnull (strstr (message, s->real_fingerprint));
  g_assert_nonnull (strstr (message, s->evil_fingerprint));
}

/* Steps 1–4 of the issue, which used to accept the evil file silently
 * and write one batch that no coordinator could merge. */
static void
test_swap_through_sign (void)
{
  Swap s = { NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *first_batch = NULL;
  g_autofree char *second_batch = NULL;
  g_autofree char *master = NULL;

  swap_setup (&s);
  first_batch = g_build_filename (s.dir, "first.pkbatch", NULL);
  second_batch = g_build_filename (s.dir, "second.pkbatch", NULL);
  master = g_build_filename (s.dir, "master.db", NULL);

  /* The first encrypted petition pins its coordinator. */
  g_assert_cmpint (sign (&s, s.real_petition, 1, NULL), ==, 0);
  g_assert_cmpint (sign (&s, s.real_petition, 2, NULL), ==, 0);

  /* The swapped file is refused, naming both fingerprints; nothing is
   * written. */
  g_assert_cmpint (sign (&s, s.evil_petition, 3, &err), ==, 1);
  assert_names_both (err, &s);
  g_assert_cmpint (pk_proof_row_count (s.db), ==, 2);

  /* The deliberate change: the wrong PIN changes nothing; the right PIN
   * is still refused while the open batch holds the real rows. */
  set_pin (&s);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pin_coordinator (&s, s.evil_petition, "0000", &out, &err), ==, 1);
  assert_names_both (out, &s);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pin_coordinator (&s, s.evil_petition, TEST_PIN, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "close-batch"));
  g_assert_cmpint (sign (&s, s.evil_petition, 3, NULL), ==, 1);

  /* Closed first, the change goes through, and the next rows start a
   * batch of their own. */
  {
    const char *close_args[] = { "close-batch", "--db", s.db, "--out", first_batch, NULL };

    g_assert_cmpint (run (close_args, NULL, NULL), ==, 0);
  }
  g_assert_cmpint (pin_coordinator (&s, s.evil_petition, TEST_PIN, NULL, NULL), ==, 0);
  g_assert_cmpint (sign (&s, s.evil_petition, 3, NULL), ==, 0);
  g_assert_cmpint (sign (&s, s.real_petition, 4, NULL), ==, 1);
  {
    const char *close_args[] = { "close-batch", "--db", s.db, "--out", second_batch, NULL };

    g_assert_cmpint (run (close_args, NULL, NULL), ==, 0);
  }

  /* The real coordinator merges every row sealed to them. */
  {
    const char *merge_args[] = { "merge", "--into", master, "--key", s.real_key, first_batch, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run (merge_args, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "added 2"));
  }

  swap_teardown (&s);
}

/* One byte changed anywhere in the signed part is refused, in the text,
 * the Title, the ConsentText, the Url and the CoordinatorKey alike. */
static void
test_one_byte_changed (void)
{
  static const char * const keys[] = {
    "Text=", "Title=", "ConsentText=", "Url=https://", "CoordinatorKey=",
  };
  Swap s = { NULL };

  swap_setup (&s);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *contents = NULL;
      g_autofree char *path = g_strdup_printf ("%s/changed-%u.petition", s.dir, i);
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      char *value;

      g_assert_true (g_file_get_contents (s.real_petition, &contents, NULL, &error));
      value = strstr (contents, keys[i]);
      g_assert_nonnull (value);
      value += strlen (keys[i]) + 2;
      /* A letter or digit that stays one: the file still parses, and
       * only the signature can tell. */
      *value = *value == 'a' ? 'b' : 'a';
      g_assert_true (g_file_set_contents (path, contents, -1, &error));

      g_assert_cmpint (sign (&s, path, i + 1, &err), ==, 1);
      g_assert_nonnull (strstr (err, "changed after it was signed"));
    }
  /* Refused before the database is even opened. */
  g_assert_false (g_file_test (s.db, G_FILE_TEST_EXISTS));
  swap_teardown (&s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Security/petition-swap/sign", test_swap_through_sign);
  g_test_add_func ("/Pk/Security/petition-swap/one-byte-changed", test_one_byte_changed);

  return g_test_run ();
}
