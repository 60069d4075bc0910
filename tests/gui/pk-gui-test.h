/* pk-gui-test.h: what the GUI tests and the screenshot tool share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pk-form-page-private.h"
#include "pk-pin-page-private.h"
#include "pk-thank-you-page-private.h"
#include "pk-welcome-page-private.h"
#include "pk-window-private.h"

G_BEGIN_DECLS

#define PK_TEST_PIN "2468"

typedef struct {
  char       *dir;       /* a fresh temporary folder, removed at the end */
  PkStore    *store;
  PkPetition *petition;
  GSettings  *settings;
  PkWindow   *window;
} PkGuiFixture;

/* Sets up GTK, libadwaita, gettext and the kiosk's style. */
void     pk_gui_init             (int          *argc,
                                  char       ***argv);
/* A new database (with PIN PK_TEST_PIN unless @with_pin is FALSE), the
 * demo petition @petition_file (under data/demo) and a shown window. */
void     pk_gui_fixture_setup    (PkGuiFixture *fixture,
                                  const char   *petition_file,
                                  gboolean      with_pin);
void     pk_gui_fixture_teardown (PkGuiFixture *fixture);
/* Spins the main loop until @done (checked between iterations) holds or
 * @max_seconds passed; returns whether it held. */
gboolean pk_gui_wait             (gboolean    (*done) (gpointer data),
                                  gpointer      data,
                                  guint         max_seconds);
/* Lets what the last steps started happen: the X events sent so far
 * (XTEST's keys and pointer) handled, laid out and drawn in a frame of
 * each shown window, and what their handlers queued dispatched, until a
 * frame leaves nothing more (five frames at most). Timers and threads
 * are not waited for: wait for their effect with pk_gui_wait (). */
void     pk_gui_settle           (void);
/* Taps the button of language @lang ("ko", "en", "de"), then "Sign",
 * on the welcome screen, with the real pointer, as a signer does; the
 * form must then show, in @lang. */
PkFormPage *pk_gui_open_form     (PkGuiFixture *fixture,
                                  const char   *lang);
/* Fills the form with a sample signer and draws a signature. */
void     pk_gui_fill_form        (PkFormPage   *form,
                                  const char   *given_name,
                                  const char   *family_name,
                                  const char   *email);

/* The signature the kiosk wrote last, read back through the store (which
 * holds the session key of the rows it wrote, so encrypted mode works). */
PkSignature *pk_gui_last_signature (PkGuiFixture *fixture);

G_END_DECLS
