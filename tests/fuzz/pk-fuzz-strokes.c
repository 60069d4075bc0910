/* pk-fuzz-strokes.c: fuzz target for the stroke decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encoded strokes come back from the database and from batch files made
 * on another machine, so the decoder sees bytes nobody checked. Any
 * input must decode or be refused, and what decodes must survive an
 * encode/decode round trip unchanged.
 */
#define G_LOG_DOMAIN "pk-fuzz-strokes"

#include "config.h"

#include "pk-fuzz.h"
#include "pk-strokes.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStrokes) strokes = NULL;
  g_autoptr(PkStrokes) decoded = NULL;
  g_autoptr(PkStrokes) decoded_again = NULL;
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GBytes) encoded_again = NULL;
  guint total = 0;

  strokes = pk_strokes_decode (bytes, &error);
  if (strokes == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < pk_strokes_get_n_strokes (strokes); i++)
    {
      guint n = 0;
      const PkStrokePoint *points = pk_strokes_get_stroke (strokes, i, &n);

      g_assert_true (n == 0 || points != NULL);
      for (guint j = 0; j < n; j++)
        {
          /* The renderer relies on the documented ranges. */
          g_assert_cmpfloat (points[j].x, >=, 0.f);
          g_assert_cmpfloat (points[j].x, <=, 65535.f);
          g_assert_cmpfloat (points[j].y, >=, 0.f);
          g_assert_cmpfloat (points[j].y, <=, 65535.f);
          g_assert_cmpfloat (points[j].pressure, >=, 0.f);
          g_assert_cmpfloat (points[j].pressure, <=, 1.f);
        }
      total += n;
    }
  g_assert_cmpuint (total, ==, pk_strokes_get_n_points (strokes));

  /* Encoding is deterministic and lossless for what it produced itself. */
  encoded = pk_strokes_encode (strokes);
  decoded = pk_strokes_decode (encoded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_strokes_get_n_points (decoded), ==, total);
  encoded_again = pk_strokes_encode (decoded);
  g_assert_true (g_bytes_equal (encoded, encoded_again));
  decoded_again = pk_strokes_decode (encoded_again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_strokes_get_n_strokes (decoded_again), ==,
                    pk_strokes_get_n_strokes (decoded));

  return 0;
}
