/* bench-pad.c: how long the signature pad takes to draw a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A long signature must never make the pad stutter: a frame holding
 * 20,000 stroke points has to be drawn in under 4 ms (a quarter of a
 * 60 Hz frame, leaving the rest to the compositor and input).
 * Baseline: the same frame on an empty pad, measured in the same run.
 *
 * A frame is timed on the window's frame clock from "before-paint" to
 * "after-paint": everything the application does for that frame (layout
 * if any was queued, the snapshot of the widget tree and its rendering
 * with GSK_RENDERER=cairo, as on kiosk laptops without working GL, and
 * under Xvfb here). Those two signals come with every frame; "layout"
 * only when a relayout was queued.
 *
 * Rows: a redraw of the full pad (steady state), a frame after one more
 * point while signing (what a stroke costs), and, for information, the
 * first frame after the pad was resized, when all its ink is drawn again.
 */
#define G_LOG_DOMAIN "bench-pad"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "pk-bench.h"
#include "pk-signature-pad.h"

#define N_POINTS   20000
#define N_STROKES  40
#define N_FRAMES   120

typedef struct {
  gint64  frame_start;
  double  last_ms;
  guint   frames;
} FrameTimer;

static void
on_before_paint (GdkFrameClock *clock,
                 FrameTimer    *timer)
{
  timer->frame_start = pk_bench_now_us ();
}

static void
on_after_paint (GdkFrameClock *clock,
                FrameTimer    *timer)
{
  if (timer->frame_start == 0)
    return;
  timer->last_ms = (pk_bench_now_us () - timer->frame_start) / 1000.0;
  timer->frame_start = 0;
  timer->frames++;
}

static GtkWidget *the_pad;

/* Waits for the next frame and returns how long it took to draw. The pad
 * is queued for drawing in any case, so that a frame surely comes. */
static double
next_frame (FrameTimer *timer)
{
  guint frames = timer->frames;

  gtk_widget_queue_draw (the_pad);
  while (timer->frames == frames)
    g_main_context_iteration (NULL, TRUE);
  return timer->last_ms;
}

static void
scribble (PkSignaturePad *pad,
          double          width,
          double          height)
{
  guint per_stroke = N_POINTS / N_STROKES;
  guint32 t = 0;

  /* Loops across the pad, like a long name written in cursive. */
  for (guint s = 0; s < N_STROKES; s++)
    {
      double x0 = width * (0.05 + 0.9 * s / N_STROKES);

      for (guint i = 0; i < per_stroke; i++)
        {
          double a = i * 0.05;
          double x = x0 + 20 * cos (a) + i * 0.02;
          double y = height / 2 + height * 0.3 * sin (a * 1.3);

          if (i == 0)
            pk_signature_pad_begin_stroke (pad, x, y, 0.6, t);
          else
            pk_signature_pad_extend_stroke (pad, x, y, 0.4 + 0.4 * sin (a), t);
          t += 4;
        }
      pk_signature_pad_end_stroke (pad);
    }
}

static double
median_redraw (GtkWidget  *pad,
               FrameTimer *timer)
{
  double times[N_FRAMES];

  for (guint i = 0; i < N_FRAMES; i++)
    {
      gtk_widget_queue_draw (pad);
      times[i] = next_frame (timer);
    }
  return pk_bench_median (times, N_FRAMES);
}

int
main (void)
{
  GtkWidget *window, *pad;
  GdkFrameClock *clock;
  FrameTimer timer = { 0 };
  double empty, full, stroke_full, stroke_empty, resized;
  double times[N_FRAMES];
  int width, height;

  gtk_init ();

  window = gtk_window_new ();
  pad = the_pad = pk_signature_pad_new ();
  gtk_window_set_child (GTK_WINDOW (window), pad);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 400);
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (pad))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &timer);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &timer);
  for (guint i = 0; i < 5; i++)
    {
      gtk_widget_queue_draw (pad);
      next_frame (&timer);
    }

  width = gtk_widget_get_width (pad);
  height = gtk_widget_get_height (pad);

  empty = median_redraw (pad, &timer);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      pk_signature_pad_begin_stroke (PK_SIGNATURE_PAD (pad), 10 + i, 10, 0.5, i);
      pk_signature_pad_extend_stroke (PK_SIGNATURE_PAD (pad), 11 + i, 12, 0.5, i + 1);
      times[i] = next_frame (&timer);
      pk_signature_pad_end_stroke (PK_SIGNATURE_PAD (pad));
      pk_signature_pad_clear (PK_SIGNATURE_PAD (pad));
      next_frame (&timer);
    }
  stroke_empty = pk_bench_median (times, N_FRAMES);

  scribble (PK_SIGNATURE_PAD (pad), width, height);
  next_frame (&timer);
  g_assert_cmpuint (pk_strokes_get_n_points (pk_signature_pad_get_strokes (PK_SIGNATURE_PAD (pad))), >=, N_POINTS);

  full = median_redraw (pad, &timer);
  pk_signature_pad_begin_stroke (PK_SIGNATURE_PAD (pad), width / 2.0, height / 2.0, 0.5, 100000);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      pk_signature_pad_extend_stroke (PK_SIGNATURE_PAD (pad), width / 2.0 + i, height / 2.0 + (i % 7), 0.5, 100001 + i);
      times[i] = next_frame (&timer);
    }
  pk_signature_pad_end_stroke (PK_SIGNATURE_PAD (pad));
  stroke_full = pk_bench_median (times, N_FRAMES);

  /* A resize makes the pad draw all its ink again, once. */
  for (guint i = 0; i < 9; i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 1000 + (i % 2 ? 40 : 0), 400);
      gtk_widget_queue_resize (pad);
      times[i] = next_frame (&timer);
      /* The size change may take a second frame to reach the pad. */
      times[i] = MAX (times[i], next_frame (&timer));
    }
  resized = pk_bench_median (times, 9);

  pk_bench_row_limit ("signature pad: redraw of a frame holding 20,000 points (vs empty pad)",
                      full, empty, "ms", 4);
  pk_bench_row_limit ("signature pad: frame after one more point, 20,000 points held (vs on an empty pad)",
                      stroke_full, stroke_empty, "ms", 4);
  pk_bench_row ("signature pad: first frame after a resize, 20,000 points (vs empty pad redraw)",
                resized, empty, "ms", 0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
