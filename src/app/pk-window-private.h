/* pk-window-private.h: pk-window's hooks for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a test reads or does that no other part of the program needs; the
 * public header pk-window.h is the contract the rest of the program uses.
 */
#pragma once

#include "pk-idle-guard.h"
#include "pk-window.h"

G_BEGIN_DECLS

/* The form and thank-you pages are built on the first call to either
 * (or when a signer first taps "Sign"). */
PkFormPage     *_pk_window_get_form_page      (PkWindow       *self);

/* The privacy reset's "Still there?", over every page. */
PkIdleGuard    *_pk_window_get_idle_guard     (PkWindow       *self);

PkPetition     *_pk_window_get_petition       (PkWindow       *self);

/* Built on the first call, or when the PIN is first asked for. */
PkPinPage      *_pk_window_get_pin_page       (PkWindow       *self);

PkThankYouPage *_pk_window_get_thank_you_page (PkWindow       *self);

PkWelcomePage  *_pk_window_get_welcome_page   (PkWindow       *self);

G_END_DECLS
