/* test-strokes.c: the compact encoding of handwritten strokes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "pk-strokes.h"

static PkStrokes *
make_signature (GRand *rand,
                guint  n_strokes,
                guint  points_per_stroke)
{
  PkStrokes *strokes = pk_strokes_new ();
  guint32 t = 0;

  for (guint s = 0; s < n_strokes; s++)
    {
      float x = g_rand_int_range (rand, 0, 65536);
      float y = g_rand_int_range (rand, 0, 65536);

      pk_strokes_begin_stroke (strokes);
      for (guint i = 0; i < points_per_stroke; i++)
        {
          PkStrokePoint point;
          float dx = g_rand_int_range (rand, -300, 301);
          float dy = g_rand_int_range (rand, -300, 301);

          /* CLAMP evaluates its argument more than once: no calls in it. */
          x = CLAMP (x + dx, 0, 65535);
          y = CLAMP (y + dy, 0, 65535);
          t += g_rand_int_range (rand, 0, 20);
          point.x = x;
          point.y = y;
          point.pressure = g_rand_int_range (rand, 0, 256) / 255.0f;
          point.t = t;
          pk_strokes_add_point (strokes, &point);
        }
      t += 300;
    }

  return strokes;
}

static void
assert_same (PkStrokes *a,
             PkStrokes *b)
{
  g_assert_cmpuint (pk_strokes_get_n_strokes (a), ==, pk_strokes_get_n_strokes (b));
  g_assert_cmpuint (pk_strokes_get_n_points (a), ==, pk_strokes_get_n_points (b));

  for (guint s = 0; s < pk_strokes_get_n_strokes (a); s++)
    {
      guint na = 0, nb = 0;
      const PkStrokePoint *pa = pk_strokes_get_stroke (a, s, &na);
      const PkStrokePoint *pb = pk_strokes_get_stroke (b, s, &nb);

      g_assert_cmpuint (na, ==, nb);
      for (guint i = 0; i < na; i++)
        {
          g_assert_cmpfloat (pa[i].x, ==, pb[i].x);
          g_assert_cmpfloat (pa[i].y, ==, pb[i].y);
          g_assert_cmpfloat_with_epsilon (pa[i].pressure, pb[i].pressure, 0.5 / 255);
          g_assert_cmpuint (pa[i].t, ==, pb[i].t);
        }
    }
}

static void
test_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (1);

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(PkStrokes) strokes = make_signature (rand, g_rand_int_range (rand, 1, 12),
                                                     g_rand_int_range (rand, 1, 200));
      g_autoptr(GBytes) bytes = pk_strokes_encode (strokes);
      g_autoptr(GError) error = NULL;
      g_autoptr(PkStrokes) back = pk_strokes_decode (bytes, &error);
      g_autoptr(GBytes) again = NULL;

      g_assert_no_error (error);
      assert_same (strokes, back);
      /* Encoding is canonical: decoding and encoding again changes no byte. */
      again = pk_strokes_encode (back);
      g_assert_true (g_bytes_equal (bytes, again));
    }

  g_rand_free (rand);
}

static void
test_compact (void)
{
  GRand *rand = g_rand_new_with_seed (2);
  g_autoptr(PkStrokes) strokes = make_signature (rand, 5, 200);
  g_autoptr(GBytes) bytes = pk_strokes_encode (strokes);

  /* Raw points take 16 bytes; deltas of neighbouring samples far less. */
  g_assert_cmpuint (g_bytes_get_size (bytes), <, pk_strokes_get_n_points (strokes) * 8);
  g_rand_free (rand);
}

static void
test_empty_and_clamped (void)
{
  g_autoptr(PkStrokes) strokes = pk_strokes_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PkStrokes) back = NULL;
  PkStrokePoint wild = { -5, 70000, NAN, 10 };
  PkStrokePoint loud = { 10, 10, 3.0f, 5 };
  guint n = 0;
  const PkStrokePoint *points;

  g_assert_true (pk_strokes_is_empty (strokes));
  bytes = pk_strokes_encode (strokes);
  back = pk_strokes_decode (bytes, NULL);
  g_assert_nonnull (back);
  g_assert_true (pk_strokes_is_empty (back));
  g_clear_pointer (&back, pk_strokes_free);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Empty strokes are not kept; out-of-range values are clamped. */
  pk_strokes_begin_stroke (strokes);
  pk_strokes_begin_stroke (strokes);
  pk_strokes_add_point (strokes, &wild);
  pk_strokes_begin_stroke (strokes);
  pk_strokes_add_point (strokes, &loud);
  pk_strokes_begin_stroke (strokes);
  g_assert_cmpuint (pk_strokes_get_n_strokes (strokes), ==, 2);

  bytes = pk_strokes_encode (strokes);
  back = pk_strokes_decode (bytes, NULL);
  g_assert_cmpuint (pk_strokes_get_n_strokes (back), ==, 2);
  points = pk_strokes_get_stroke (back, 0, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (points[0].x, ==, 0);
  g_assert_cmpfloat (points[0].y, ==, 65535);
  g_assert_cmpfloat (points[0].pressure, ==, 0);
  points = pk_strokes_get_stroke (back, 1, &n);
  g_assert_cmpfloat (points[0].pressure, ==, 1);
  /* Time may go backwards between devices; it is kept as given. */
  g_assert_cmpuint (points[0].t, ==, 5);

  pk_strokes_clear (strokes);
  g_assert_true (pk_strokes_is_empty (strokes));
  g_assert_cmpuint (pk_strokes_get_n_strokes (strokes), ==, 0);
}

static void
assert_garbage (const guint8 *data,
                gsize         len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStrokes) strokes = pk_strokes_decode (bytes, &error);

  g_assert_null (strokes);
  g_assert_nonnull (error);
}

static void
test_garbage (void)
{
  static const guint8 empty[] = { 0 };
  static const guint8 version[] = { 2, 0 };
  static const guint8 truncated[] = { 1, 1, 2, 4, 4, 0 };
  static const guint8 trailing[] = { 1, 0, 0 };
  static const guint8 empty_stroke[] = { 1, 1, 0 };
  static const guint8 too_many[] = { 1, 0xFF, 0xFF, 0x03 };
  static const guint8 endless_varint[] = { 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };
  static const guint8 out_of_range[] = { 1, 1, 1, 0x01, 0, 0, 0 };  /* x = -1 */
  static const guint8 huge_points[] = { 1, 1, 0xFF, 0xFF, 0xFF, 0x0F };
  GRand *rand = g_rand_new_with_seed (3);
  g_autoptr(PkStrokes) strokes = make_signature (rand, 3, 50);
  g_autoptr(GBytes) good = pk_strokes_encode (strokes);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (good, &len);

  assert_garbage (empty, 0);
  assert_garbage (empty, sizeof empty);
  assert_garbage (version, sizeof version);
  assert_garbage (truncated, sizeof truncated);
  assert_garbage (trailing, sizeof trailing);
  assert_garbage (empty_stroke, sizeof empty_stroke);
  assert_garbage (too_many, sizeof too_many);
  assert_garbage (endless_varint, sizeof endless_varint);
  assert_garbage (out_of_range, sizeof out_of_range);
  assert_garbage (huge_points, sizeof huge_points);

  /* Every truncation of a good encoding is refused. */
  for (gsize cut = 0; cut < len; cut++)
    assert_garbage (data, cut);

  /* Random damage never crashes, and what decodes is within bounds. */
  for (guint round = 0; round < 5000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PkStrokes) back = NULL;
      g_autoptr(GError) error = NULL;

      copy[g_rand_int_range (rand, 1, len)] = (guint8) g_rand_int_range (rand, 0, 256);
      bytes = g_bytes_new (copy, len);
      back = pk_strokes_decode (bytes, &error);
      g_assert_true ((back == NULL) != (error == NULL));
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Strokes/round-trip", test_round_trip);
  g_test_add_func ("/Pk/Strokes/compact", test_compact);
  g_test_add_func ("/Pk/Strokes/empty-and-clamped", test_empty_and_clamped);
  g_test_add_func ("/Pk/Strokes/garbage", test_garbage);

  return g_test_run ();
}
