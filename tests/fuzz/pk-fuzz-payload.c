/* pk-fuzz-payload.c: fuzz target for the stored signer-details payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payload column is read back from a kiosk database that may have
 * been damaged, and from batch files made on other machines (after
 * their signature and decryption succeeded, but a kiosk's own key could
 * have been stolen). Any bytes must deserialize or be refused; what
 * deserializes must serialize back to the same details.
 */
#define G_LOG_DOMAIN "pk-fuzz-payload"

#include "config.h"

#include "pk-fuzz.h"
#include "pk-signature.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(PkSignature) sig = pk_signature_new ();
  g_autoptr(PkSignature) again = pk_signature_new ();
  g_autoptr(GBytes) serialized = NULL;
  g_autoptr(GError) error = NULL;

  if (!pk_signature_deserialize (sig, bytes, &error))
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_assert_true (sig->fields[i] == NULL
                   || (sig->fields[i][0] != '\0' && g_utf8_validate (sig->fields[i], -1, NULL)));

  serialized = pk_signature_serialize (sig);
  g_assert_true (pk_signature_deserialize (again, serialized, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < PK_N_FIELDS; i++)
    g_assert_cmpstr (again->fields[i], ==, sig->fields[i]);
  /* No strokes and an empty encoding are the same thing. */
  if (sig->strokes != NULL && g_bytes_get_size (sig->strokes) > 0)
    g_assert_true (again->strokes != NULL && g_bytes_equal (sig->strokes, again->strokes));
  else
    g_assert_true (again->strokes == NULL || g_bytes_get_size (again->strokes) == 0);

  return 0;
}
