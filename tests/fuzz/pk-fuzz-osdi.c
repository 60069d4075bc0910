/* pk-fuzz-osdi.c: fuzz target for the OSDI reply parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replies come over the network from a server we do not control, or
 * from whatever sits between us and it. Any bytes must give the server's
 * id or a PK_OSDI_ERROR, and the error-message extractor must always
 * return a bounded single line of valid UTF-8 (it is shown to the
 * coordinator and stored as a failure reason).
 */
#define G_LOG_DOMAIN "pk-fuzz-osdi"

#include "config.h"

#include <string.h>

#include "pk-fuzz.h"
#include "pk-osdi.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;

  id = pk_osdi_parse_reply ((const char *) data, size, &error);
  if (id == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PK_OSDI_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert_no_error (error);
      g_assert_true (id[0] != '\0');
      g_assert_true (g_utf8_validate (id, -1, NULL));
    }

  message = pk_osdi_error_message ((const char *) data, size);
  if (message != NULL)
    {
      g_assert_true (g_utf8_validate (message, -1, NULL));
      g_assert_null (strchr (message, '\n'));
      g_assert_null (strchr (message, '\r'));
      g_assert_cmpuint (strlen (message), <=, 4096);
    }

  return 0;
}
