/* pk-signature-pad.h: a pad to sign on by hand, with pen, finger or mouse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pk-strokes.h"

G_BEGIN_DECLS

#define PK_TYPE_SIGNATURE_PAD (pk_signature_pad_get_type ())
G_DECLARE_FINAL_TYPE (PkSignaturePad, pk_signature_pad, PK, SIGNATURE_PAD, GtkWidget)

GtkWidget *pk_signature_pad_new           (void);
/* The strokes drawn so far, in pad units; owned by the pad. */
PkStrokes *pk_signature_pad_get_strokes   (PkSignaturePad *self);
gboolean   pk_signature_pad_is_empty      (PkSignaturePad *self);
void       pk_signature_pad_clear         (PkSignaturePad *self);

/* What the gestures call, in widget coordinates; @pressure is 0…1 (1
 * without a pressure sensor), @time_ms an event time. Public so that
 * tests and the screenshot tool can draw a signature. */
void       pk_signature_pad_begin_stroke  (PkSignaturePad *self,
                                           double          x,
                                           double          y,
                                           double          pressure,
                                           guint32         time_ms);
void       pk_signature_pad_extend_stroke (PkSignaturePad *self,
                                           double          x,
                                           double          y,
                                           double          pressure,
                                           guint32         time_ms);
void       pk_signature_pad_end_stroke    (PkSignaturePad *self);

/* Sets the visible and accessible strings again after a language switch. */
void       pk_signature_pad_retranslate   (PkSignaturePad *self);

G_END_DECLS
