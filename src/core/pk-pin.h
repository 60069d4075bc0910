/* pk-pin.h: the organizer PIN that guards the admin screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pk-store.h"

G_BEGIN_DECLS

#define PK_PIN_ERROR (pk_pin_error_quark ())

typedef enum {
  PK_PIN_ERROR_FAILED,     /* could not hash or store */
  PK_PIN_ERROR_TOO_SHORT,  /* fewer than PK_PIN_MIN_CHARS characters */
  PK_PIN_ERROR_INVALID,    /* too long, or not text */
  PK_PIN_ERROR_NOT_SET,    /* no PIN was set yet */
  PK_PIN_ERROR_WRONG,      /* the PIN does not match */
  PK_PIN_ERROR_WAIT,       /* too early after wrong PINs; not even checked */
} PkPinError;

GQuark pk_pin_error_quark (void);

#define PK_PIN_MIN_CHARS 4
#define PK_PIN_MAX_BYTES 128
/* Wrong attempts allowed before delays start, and the longest delay. */
#define PK_PIN_FREE_ATTEMPTS 2
#define PK_PIN_MAX_DELAY_SECONDS 300

gboolean pk_pin_is_set   (PkStore     *store);
/* Stores only an Argon2id hash of @pin (crypto_pwhash_str_alg with
 * libsodium's "moderate" limits) and clears the failure count. */
gboolean pk_pin_set      (PkStore     *store,
                          const char  *pin,
                          GError     **error);
/* TRUE when @pin matches. A wrong PIN counts as a failure, persistently
 * (restarting the kiosk does not reset it), and fails with
 * PK_PIN_ERROR_WRONG; *@out_wait is then the seconds to wait before
 * the next attempt. An attempt during that wait is not checked at all
 * and fails with PK_PIN_ERROR_WAIT and the seconds left. The caller
 * waits; nothing here sleeps. */
gboolean pk_pin_check    (PkStore     *store,
                          const char  *pin,
                          guint       *out_wait,
                          GError     **error);
/* Seconds left before the next attempt is accepted (0: now). */
guint    pk_pin_get_wait (PkStore    *store);
/* Consecutive wrong attempts so far. */
guint    pk_pin_get_failures (PkStore *store);
/* The wait after @failures consecutive wrong attempts: none for the
 * first PK_PIN_FREE_ATTEMPTS, then 2, 4, 8 … seconds, at most
 * PK_PIN_MAX_DELAY_SECONDS. */
guint    pk_pin_delay_for_failures (guint failures);

/* pk_pin_check() and pk_pin_get_wait() at the given time (µs since the
 * epoch), so that tests need not sleep. */
gboolean pk_pin_check_at (PkStore     *store,
                          const char  *pin,
                          gint64       now,
                          guint       *out_wait,
                          GError     **error);
guint    pk_pin_get_wait_at (PkStore *store,
                              gint64   now);

G_END_DECLS
