/* pk-application.h: the kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PK_TYPE_APPLICATION (pk_application_get_type ())
G_DECLARE_FINAL_TYPE (PkApplication, pk_application, PK, APPLICATION, AdwApplication)

PkApplication *pk_application_new (void);

G_END_DECLS
