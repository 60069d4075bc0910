/* pk-strokes.c: handwritten strokes and their compact encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-strokes"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>

#include "pk-strokes.h"

/* Encoding, version 1 (docs/data-model.md):
 *
 *   u8      version = 1
 *   varint  number of strokes
 *   per stroke:
 *     varint  number of points (at least 1)
 *     per point: zigzag varints of the differences to the previous
 *                point (across strokes) of x, y (0…65535), pressure
 *                (0…255) and t (ms)
 *
 * A varint is LEB128 (7 bits per byte, low group first). Deltas of
 * neighbouring samples are small, so most points take 4–6 bytes instead
 * of the 16 of the raw floats. */
#define PK_STROKES_VERSION 1
#define PK_STROKES_COORD_MAX 65535
#define PK_STROKES_PRESSURE_MAX 255
/* Bounds that no real signature comes near (about a quarter of an hour
 * of continuous drawing at 120 Hz); they keep a hostile payload from
 * costing more than a few megabytes when decoded. */
#define PK_STROKES_MAX_STROKES 4096
#define PK_STROKES_MAX_POINTS 100000
/* The widest value is a time delta: zigzag of ±2³² needs 34 bits. */
#define PK_VARINT_MAX_BYTES 5

struct _PkStrokes {
  GArray *points;  /* PkStrokePoint */
  GArray *starts;  /* guint: index in points of each stroke's first point */
};

PkStrokes *
pk_strokes_new (void)
{
  PkStrokes *strokes = g_new0 (PkStrokes, 1);

  strokes->points = g_array_new (FALSE, FALSE, sizeof (PkStrokePoint));
  strokes->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  return strokes;
}

void
pk_strokes_free (PkStrokes *strokes)
{
  if (strokes == NULL)
    return;

  g_array_unref (strokes->points);
  g_array_unref (strokes->starts);
  g_free (strokes);
}

void
pk_strokes_clear (PkStrokes *strokes)
{
  g_return_if_fail (strokes != NULL);

  g_array_set_size (strokes->points, 0);
  g_array_set_size (strokes->starts, 0);
}

static guint
last_stroke_length (PkStrokes *strokes)
{
  guint start;

  if (strokes->starts->len == 0)
    return 0;

  start = g_array_index (strokes->starts, guint, strokes->starts->len - 1);
  return strokes->points->len - start;
}

void
pk_strokes_begin_stroke (PkStrokes *strokes)
{
  g_return_if_fail (strokes != NULL);

  /* A stroke without points (a tap the pad ignored) is not kept: begin
   * reuses it, so the encoding never holds empty strokes. */
  if (strokes->starts->len > 0 && last_stroke_length (strokes) == 0)
    return;

  if (strokes->starts->len >= PK_STROKES_MAX_STROKES)
    return;

  g_array_append_val (strokes->starts, strokes->points->len);
}

void
pk_strokes_add_point (PkStrokes           *strokes,
                      const PkStrokePoint *point)
{
  g_return_if_fail (strokes != NULL);
  g_return_if_fail (point != NULL);

  /* Past the limits the decoder enforces, further points are dropped, so
   * that whatever is encoded can always be decoded again. */
  if (strokes->points->len >= PK_STROKES_MAX_POINTS)
    return;

  if (strokes->starts->len == 0)
    g_array_append_val (strokes->starts, strokes->points->len);

  g_array_append_val (strokes->points, *point);
}

guint
pk_strokes_get_n_strokes (PkStrokes *strokes)
{
  g_return_val_if_fail (strokes != NULL, 0);

  return strokes->starts->len - (last_stroke_length (strokes) == 0 && strokes->starts->len > 0);
}

guint
pk_strokes_get_n_points (PkStrokes *strokes)
{
  g_return_val_if_fail (strokes != NULL, 0);

  return strokes->points->len;
}

const PkStrokePoint *
pk_strokes_get_stroke (PkStrokes *strokes,
                       guint      index,
                       guint     *n_points)
{
  guint start;
  guint end;

  g_return_val_if_fail (strokes != NULL, NULL);
  g_return_val_if_fail (index < strokes->starts->len, NULL);

  start = g_array_index (strokes->starts, guint, index);
  end = index + 1 < strokes->starts->len
        ? g_array_index (strokes->starts, guint, index + 1)
        : strokes->points->len;

  if (n_points != NULL)
    *n_points = end - start;

  return end > start ? &g_array_index (strokes->points, PkStrokePoint, start) : NULL;
}

gboolean
pk_strokes_is_empty (PkStrokes *strokes)
{
  g_return_val_if_fail (strokes != NULL, TRUE);

  return strokes->points->len == 0;
}

static gint64
quantize (float value,
          float scale,
          gint64 max)
{
  double scaled;

  /* NaN and infinities from a confused input device become the nearest
   * valid value instead of undefined behaviour in the cast. */
  if (isnan (value))
    return 0;
  scaled = round ((double) value * scale);
  if (scaled < 0)
    return 0;
  if (scaled > max)
    return max;
  return (gint64) scaled;
}

static void
put_varint (GByteArray *out,
            guint64     value)
{
  do
    {
      guint8 byte = value & 0x7F;

      value >>= 7;
      if (value != 0)
        byte |= 0x80;
      g_byte_array_append (out, &byte, 1);
    }
  while (value != 0);
}

static void
put_zigzag (GByteArray *out,
            gint64      value)
{
  put_varint (out, ((guint64) value << 1) ^ (guint64) (value >> 63));
}

GBytes *
pk_strokes_encode (PkStrokes *strokes)
{
  g_autoptr(GByteArray) out = NULL;
  guint8 version = PK_STROKES_VERSION;
  gint64 px = 0, py = 0, pp = 0, pt = 0;
  guint n_strokes;

  g_return_val_if_fail (strokes != NULL, NULL);

  n_strokes = pk_strokes_get_n_strokes (strokes);
  out = g_byte_array_sized_new (8 + strokes->points->len * 5);
  g_byte_array_append (out, &version, 1);
  put_varint (out, n_strokes);

  for (guint s = 0; s < n_strokes; s++)
    {
      guint n_points = 0;
      const PkStrokePoint *points = pk_strokes_get_stroke (strokes, s, &n_points);

      put_varint (out, n_points);
      for (guint i = 0; i < n_points; i++)
        {
          gint64 x = quantize (points[i].x, 1.0f, PK_STROKES_COORD_MAX);
          gint64 y = quantize (points[i].y, 1.0f, PK_STROKES_COORD_MAX);
          gint64 p = quantize (points[i].pressure, PK_STROKES_PRESSURE_MAX, PK_STROKES_PRESSURE_MAX);
          gint64 t = points[i].t;

          put_zigzag (out, x - px);
          put_zigzag (out, y - py);
          put_zigzag (out, p - pp);
          put_zigzag (out, t - pt);
          px = x, py = y, pp = p, pt = t;
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef struct {
  const guint8 *data;
  gsize len;
  gsize pos;
} Reader;

static gboolean
get_varint (Reader  *reader,
            guint64 *out)
{
  guint64 value = 0;

  for (guint i = 0; i < PK_VARINT_MAX_BYTES; i++)
    {
      guint8 byte;

      if (reader->pos >= reader->len)
        return FALSE;
      byte = reader->data[reader->pos++];
      value |= (guint64) (byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0)
        {
          *out = value;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
get_zigzag (Reader *reader,
            gint64 *out)
{
  guint64 raw;

  if (!get_varint (reader, &raw))
    return FALSE;

  *out = (gint64) (raw >> 1) ^ -(gint64) (raw & 1);
  return TRUE;
}

static gboolean
in_range (gint64 value,
          gint64 max)
{
  return value >= 0 && value <= max;
}

PkStrokes *
pk_strokes_decode (GBytes  *bytes,
                   GError **error)
{
  g_autoptr(PkStrokes) strokes = NULL;
  Reader reader = { NULL, 0, 0 };
  guint64 n_strokes = 0;
  guint64 total_points = 0;
  gint64 x = 0, y = 0, p = 0, t = 0;

  g_return_val_if_fail (bytes != NULL, NULL);

  reader.data = g_bytes_get_data (bytes, &reader.len);

  if (reader.len == 0 || reader.data[0] != PK_STROKES_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Not a handwritten signature in a known format."));
      return NULL;
    }
  reader.pos = 1;

  if (!get_varint (&reader, &n_strokes) || n_strokes > PK_STROKES_MAX_STROKES)
    goto bad;

  strokes = pk_strokes_new ();
  for (guint64 s = 0; s < n_strokes; s++)
    {
      guint64 n_points = 0;

      if (!get_varint (&reader, &n_points) || n_points == 0 ||
          n_points > PK_STROKES_MAX_POINTS - total_points)
        goto bad;
      total_points += n_points;

      pk_strokes_begin_stroke (strokes);
      for (guint64 i = 0; i < n_points; i++)
        {
          gint64 dx, dy, dp, dt;
          PkStrokePoint point;

          if (!get_zigzag (&reader, &dx) || !get_zigzag (&reader, &dy) ||
              !get_zigzag (&reader, &dp) || !get_zigzag (&reader, &dt))
            goto bad;

          x += dx, y += dy, p += dp, t += dt;
          if (!in_range (x, PK_STROKES_COORD_MAX) || !in_range (y, PK_STROKES_COORD_MAX) ||
              !in_range (p, PK_STROKES_PRESSURE_MAX) || !in_range (t, G_MAXUINT32))
            goto bad;

          point.x = (float) x;
          point.y = (float) y;
          point.pressure = (float) p / PK_STROKES_PRESSURE_MAX;
          point.t = (guint32) t;
          pk_strokes_add_point (strokes, &point);
        }
    }

  /* Trailing bytes mean the data is not what it claims to be. */
  if (reader.pos != reader.len)
    goto bad;

  return g_steal_pointer (&strokes);

bad:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The handwritten signature data is damaged."));
  return NULL;
}
