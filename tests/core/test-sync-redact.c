/* test-sync-redact.c: what of a server's words sync may keep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A server's error message is stored in the sync state and shown on the
 * Sync page; whatever it echoes of the signer must not be kept.
 */
#include "config.h"

#include <string.h>

#include "pk-sync-classify.h"

static PkSignature *
signer (void)
{
  PkSignature *sig = pk_signature_new ();

  pk_signature_set_field (sig, PK_FIELD_GIVEN_NAME, "Jürgen");
  pk_signature_set_field (sig, PK_FIELD_FAMILY_NAME, "Oh");
  pk_signature_set_field (sig, PK_FIELD_EMAIL, "Jane.Doe@example.org");
  pk_signature_set_field (sig, PK_FIELD_PHONE, "+821012345678");
  return sig;
}

static void
test_redact (void)
{
  g_autoptr(PkSignature) sig = signer ();
  g_autofree char *whole = pk_sync_redact ("jane.doe@EXAMPLE.org is already subscribed", sig);
  g_autofree char *local = pk_sync_redact ("person JANE.DOE exists", sig);
  /* A server may echo the phone in E.164 without its plus sign. */
  g_autofree char *phone = pk_sync_redact ("phone 821012345678 refused (+821012345678)", sig);
  g_autofree char *name = pk_sync_redact ("JÜRGEN: bad request", sig);
  /* A two-letter name would blank out ordinary words; it stays. */
  g_autofree char *short_name = pk_sync_redact ("Oh no, a timeout", sig);

  g_assert_cmpstr (whole, ==, "… is already subscribed");
  g_assert_cmpstr (local, ==, "person … exists");
  g_assert_cmpstr (phone, ==, "phone … refused (…)");
  g_assert_cmpstr (name, ==, "…: bad request");
  g_assert_cmpstr (short_name, ==, "Oh no, a timeout");
}

static void
test_redact_odd_input (void)
{
  g_autoptr(PkSignature) sig = signer ();
  g_autofree char *invalid = pk_sync_redact ("bad \xff byte for Jane.Doe", sig);

  /* Kept text is valid UTF-8, for GTK to show. */
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_null (strstr (invalid, "Jane"));
  g_assert_null (pk_sync_redact (NULL, sig));
}

static void
test_classify (void)
{
  g_autoptr(PkSignature) sig = signer ();
  g_autoptr(PkSignature) no_contact = pk_signature_new ();

  g_assert_cmpint (pk_sync_classify (sig, FALSE), ==, PK_SYNC_HELD_NO_OPT_IN);
  g_assert_cmpint (pk_sync_classify (sig, TRUE), ==, PK_SYNC_SENDABLE);
  sig->opt_in = TRUE;
  g_assert_cmpint (pk_sync_classify (sig, FALSE), ==, PK_SYNC_SENDABLE);
  g_assert_cmpint (pk_sync_classify (no_contact, TRUE), ==, PK_SYNC_NOT_SENDABLE_NO_CONTACT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/SyncRedact/fields", test_redact);
  g_test_add_func ("/Pk/SyncRedact/odd-input", test_redact_odd_input);
  g_test_add_func ("/Pk/SyncRedact/classify", test_classify);

  return g_test_run ();
}
