/* test-duplicate-rule.c: the kiosk, paper transcription and the merge
 * agree on who signed twice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table of tricky pairs of signers (issue #15, item 3), each pair
 * put through every path that looks for a repeat signer:
 * - a kiosk in plain mode (the key kept on disk) and in encrypted mode
 *   (kept only in memory), refusing the second signer through
 *   pk_store_add_signature();
 * - paper transcription, the second line against the first in the same
 *   import, and against a first line already entered;
 * - the merge, the two signers at two kiosks, their encrypted batch
 *   files merged into a master.
 * Every path must give the answer the table gives, which is the rule of
 * docs/data-model.md, "Duplicates".
 */
#define G_LOG_DOMAIN "test-duplicate-rule"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>

#include "pk-proof.h"
#include "pk-batch.h"
#include "pk-keys.h"
#include "pk-merge.h"
#include "pk-sheets.h"
#include "pk-store-paper.h"
#include "pk-store-private.h"

typedef struct {
  const char *given;
  const char *family;
  const char *email;
  const char *phone;
  const char *postal;
} Person;

typedef struct {
  const char *what;
  Person      first;
  Person      second;
  gboolean    same;
} Pair;

static const Pair pairs[] = {
  { "hangul-nfc-nfd",
    /* 김서연 typed as precomposed syllables, then as conjoining jamo (as
     * some input methods and macOS file names give it); the postal code
     * once with a space. No email or phone: name and postal code. */
    { "서연", "김", NULL, NULL, "04500" },
    { "\u1109\u1165\u110b\u1167\u11ab", "\u1100\u1175\u11b7", NULL, NULL, "04 500" },
    TRUE },
  { "email-case",
    { "Ada", "Lovelace", "Ada.Lovelace@Example.ORG", NULL, NULL },
    { "A.", "Lovelace", "ada.lovelace@example.org", NULL, NULL },
    TRUE },
  { "gmail-dots",
    /* Gmail delivers both to one mailbox, but they are two addresses:
     * not folded (see docs/data-model.md). */
    { "Ada", "Lovelace", "ada.lovelace@gmail.com", NULL, NULL },
    { "Ada", "Lovelace", "adalovelace@gmail.com", NULL, NULL },
    FALSE },
  { "phone-national-e164",
    /* The petition collects in Korea: a national number is read there. */
    { "민준", "이", NULL, "010-1234-5678", NULL },
    { "Minjun", "Lee", NULL, "+82 10 1234 5678", NULL },
    TRUE },
  { "family-phone",
    /* One signer key each: the first is known by the email, the second
     * by the phone they share. */
    { "Su", "Lee", "su@example.kr", "010-1234-5678", NULL },
    { "민준", "이", NULL, "010 1234 5678", NULL },
    FALSE },
  { "name-other-postal-code",
    { "Jürgen", "Müller", NULL, NULL, "10117" },
    { "Jürgen", "Müller", NULL, NULL, "10115" },
    FALSE },
  { "name-case-fold",
    { "Jürgen", "Müller", NULL, NULL, "10117" },
    { "JÜRGEN", "MÜLLER", NULL, NULL, "10117" },
    TRUE },
  { "name-and-an-email",
    { "Jürgen", "Müller", NULL, NULL, "10117" },
    { "Jürgen", "Müller", "juergen@example.de", NULL, "10117" },
    FALSE },
  { "nothing-to-compare",
    { "Dana", NULL, NULL, NULL, NULL },
    { "Dana", NULL, NULL, NULL, NULL },
    FALSE },
};

static char *tmpdir;
static PkPetition *plain_petition;
static PkPetition *encrypted_petition;

static PkSignature *
make_signature (const Person *person)
{
  PkSignature *sig = pk_signature_new ();

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, person->given);
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, person->family);
  pk_signature_set_field (sig, PK_FIELD_EMAIL, person->email);
  pk_signature_set_field (sig, PK_FIELD_PHONE, person->phone);
  pk_signature_set_field (sig, PK_FIELD_POSTAL_CODE, person->postal);
  sig->lang = g_strdup ("ko");
  sig->consent = TRUE;
  sig->sensitive_consent = TRUE;
  return sig;
}

static PkStore *
open_store (const char *what,
            const char *which)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s.db", what, which);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  PkStore *store = pk_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* The kiosk: the second signer is refused as a repeat, or saved. */
static gboolean
kiosk_refuses_second (const Pair *pair,
                      PkPetition *petition,
                      const char *which)
{
  g_autoptr(PkStore) store = open_store (pair->what, which);
  g_autoptr(PkSignature) first = make_signature (&pair->first);
  g_autoptr(PkSignature) second = make_signature (&pair->second);
  g_autoptr(GError) error = NULL;
  gboolean saved;

  g_assert_true (pk_store_add_signature (store, petition, first, NULL, &error));
  g_assert_no_error (error);
  saved = pk_store_add_signature (store, petition, second, NULL, &error);
  if (!saved)
    g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
  return !saved;
}

static PkSignature *
make_paper_line (PkPetition   *petition,
                 const Person *person,
                 guint         line)
{
  PkSignature *sig = make_signature (person);

  sig->source = PK_SOURCE_PAPER;
  sig->sheet_serial = pk_sheet_serial_format (petition, 7);
  sig->sheet_line = line;
  return sig;
}

/* Whether @problems (from pk_store_paper_check()) calls row @index a
 * repeat signer; any other problem fails the test. */
static gboolean
paper_says_repeat (GPtrArray *problems,
                   guint      index)
{
  gboolean repeat = FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      PkPaperProblem *problem = problems->pdata[i];

      g_assert_cmpuint (problem->index, ==, index);
      g_assert_error (problem->error, PK_STORE_ERROR, PK_STORE_ERROR_DUPLICATE);
      repeat = TRUE;
    }
  return repeat;
}

/* Paper: the second line in the same import as the first. */
static gboolean
paper_refuses_second_line (const Pair *pair)
{
  g_autoptr(PkStore) store = open_store (pair->what, "paper-import");
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (sigs, make_paper_line (plain_petition, &pair->first, 1));
  g_ptr_array_add (sigs, make_paper_line (plain_petition, &pair->second, 2));
  problems = pk_store_paper_check (store, plain_petition, sigs, &error);
  g_assert_no_error (error);
  return paper_says_repeat (problems, 1);
}

/* Paper: the second line after the first was entered. */
static gboolean
paper_refuses_later_line (const Pair *pair)
{
  g_autoptr(PkStore) store = open_store (pair->what, "paper-stored");
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) pk_signature_free);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint added = 0;

  g_ptr_array_add (first, make_paper_line (plain_petition, &pair->first, 1));
  g_assert_true (pk_store_add_paper_signatures (store, plain_petition, first, FALSE, &problems, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_ptr_array_add (second, make_paper_line (plain_petition, &pair->second, 2));
  problems = pk_store_paper_check (store, plain_petition, second, &error);
  g_assert_no_error (error);
  return paper_says_repeat (problems, 0);
}

/* One kiosk's batch file with @person's encrypted signature. */
static char *
make_batch (const Pair   *pair,
            const Person *person,
            const char   *which)
{
  g_autoptr(PkStore) store = open_store (pair->what, which);
  g_autoptr(PkSignature) sig = make_signature (person);
  g_autoptr(PkBatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s.pkbatch", pair->what, which);
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (pk_store_add_signature (store, encrypted_petition, sig, NULL, &error));
  g_assert_no_error (error);
  info = pk_batch_close (store, encrypted_petition, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_rows, ==, 1);
  return path;
}

/* The merge: the two signers at two kiosks, both files merged. */
static gboolean
merge_finds_duplicate (const Pair       *pair,
                       PkCoordinatorKey *key)
{
  g_autofree char *first = make_batch (pair, &pair->first, "kiosk-a");
  g_autofree char *second = make_batch (pair, &pair->second, "kiosk-b");
  g_autoptr(PkStore) master = open_store (pair->what, "master");
  g_autoptr(PkMerge) merge = NULL;
  g_autoptr(GError) error = NULL;
  PkMergeResult first_result, second_result;

  merge = pk_merge_new (master, key, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, first, &first_result, &error));
  g_assert_no_error (error);
  g_assert_true (pk_merge_file (merge, second, &second_result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_result.added + second_result.added, ==, 2);
  g_assert_cmpint (first_result.duplicates, ==, 0);
  g_assert_cmpint (pk_store_count (master, pk_petition_get_id (encrypted_petition)), ==, 2);
  return second_result.duplicates == 1;
}

static void
test_paths_agree (gconstpointer data)
{
  const Pair *pair = data;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = pk_proof_demo_petition ("DEMO-ONLY-coordinator.key");

  key = pk_coordinator_key_load (key_path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (kiosk_refuses_second (pair, plain_petition, "kiosk-plain"), ==, pair->same);
  g_assert_cmpint (kiosk_refuses_second (pair, encrypted_petition, "kiosk-encrypted"), ==, pair->same);
  g_assert_cmpint (paper_refuses_second_line (pair), ==, pair->same);
  g_assert_cmpint (paper_refuses_later_line (pair), ==, pair->same);
  g_assert_cmpint (merge_finds_duplicate (pair, key), ==, pair->same);
}

static PkPetition *
load_demo_petition (const char *name)
{
  g_autofree char *path = pk_proof_demo_petition (name);
  g_autoptr(GError) error = NULL;
  PkPetition *petition = pk_petition_new_from_file (path, &error);

  g_assert_no_error (error);
  return petition;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pk_proof_make_tmpdir ();
  plain_petition = load_demo_petition ("prisoners-of-conscience.petition");
  encrypted_petition = load_demo_petition ("prisoners-of-conscience-encrypted.petition");

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Pk/DuplicateRule/%s", pairs[i].what);

      g_test_add_data_func (path, &pairs[i], test_paths_agree);
    }

  status = g_test_run ();
  g_object_unref (plain_petition);
  g_object_unref (encrypted_petition);
  pk_proof_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
