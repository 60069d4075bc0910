/* pk-strokes.h: handwritten strokes and their compact encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One sampled point. x and y are in pad units (0…65535 across the pad's
 * width and height), pressure 0…1 (1 when the device has none), t in
 * milliseconds since the first point of the signature. */
typedef struct {
  float  x;
  float  y;
  float  pressure;
  guint32 t;
} PkStrokePoint;

typedef struct _PkStrokes PkStrokes;

PkStrokes *pk_strokes_new          (void);
void       pk_strokes_free         (PkStrokes           *strokes);
void       pk_strokes_clear        (PkStrokes           *strokes);
/* Starts a new stroke; following points belong to it. */
void       pk_strokes_begin_stroke (PkStrokes           *strokes);
void       pk_strokes_add_point    (PkStrokes           *strokes,
                                    const PkStrokePoint *point);
guint      pk_strokes_get_n_strokes (PkStrokes          *strokes);
guint      pk_strokes_get_n_points  (PkStrokes          *strokes);
/* Points of stroke @index, and their number in @n_points. The pointer
 * stays valid only until the strokes next change. */
const PkStrokePoint *pk_strokes_get_stroke (PkStrokes   *strokes,
                                            guint        index,
                                            guint       *n_points);
gboolean   pk_strokes_is_empty     (PkStrokes           *strokes);
/* Compact, versioned encoding (delta + varint); documented in
 * docs/data-model.md. */
GBytes    *pk_strokes_encode       (PkStrokes           *strokes);
PkStrokes *pk_strokes_decode       (GBytes              *bytes,
                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkStrokes, pk_strokes_free)

G_END_DECLS
