/* pk-window.h: the kiosk window, its pages and lock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pk-admin-page.h"
#include "pk-form-page.h"
#include "pk-petition.h"
#include "pk-pin-page.h"
#include "pk-store.h"
#include "pk-thank-you-page.h"
#include "pk-welcome-page.h"

G_BEGIN_DECLS

#define PK_TYPE_WINDOW (pk_window_get_type ())
G_DECLARE_FINAL_TYPE (PkWindow, pk_window, PK, WINDOW, AdwApplicationWindow)

/* Properties: "store" and "settings" (construct-only), "petition" (may
 * be NULL until an organizer chooses one), "language" ("ko", "en",
 * "de"; every page listens to it and re-sets its strings),
 * "thank-you-delay" (seconds; follows GSettings), "visible-page"
 * (read-only: "welcome", "form", "thank-you", "pin" or "admin").
 *
 * Actions, usable from any page: kiosk.sign, kiosk.language('ko'),
 * kiosk.admin (the PIN prompt; also Ctrl+Shift+Alt+A), kiosk.home,
 * kiosk.lock and kiosk.exit (only while admin is open).
 *
 * The privacy reset is a PkIdleGuard over the pages: the window tells it
 * which pages to guard, gives it the "idle-timeout" GSettings key, and
 * goes home when its "Still there?" runs out.
 *
 * A close request (window manager, Alt+F4) is refused unless the
 * organizer chose "Exit kiosk" in admin. */
PkWindow       *pk_window_new                (GtkApplication *application,
                                              PkStore        *store,
                                              PkPetition     *petition,
                                              GSettings      *settings);
PkStore        *pk_window_get_store          (PkWindow       *self);
void            pk_window_set_petition       (PkWindow       *self,
                                              PkPetition     *petition);
const char     *pk_window_get_language       (PkWindow       *self);
void            pk_window_set_language       (PkWindow       *self,
                                              const char     *language);
const char     *pk_window_get_visible_page   (PkWindow       *self);

/* Clears everything the last signer entered, returns to the default
 * language and shows the welcome screen. */
void            pk_window_go_home            (PkWindow       *self);
/* Reads the signature count from the store again. */
void            pk_window_refresh_count      (PkWindow       *self);

/* The admin page is built on the first call (or when the PIN first opens
 * it), with the Paper, Batches and Sync pages added to it, so that the
 * first frame holds only what a signer sees. */
PkAdminPage    *pk_window_get_admin_page     (PkWindow       *self);

G_END_DECLS
