/* pk-data-dirs.h: where the program finds the files it ships
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Translations, the GSettings schema, the icons and the modules (the GTK
 * application's, the PostgreSQL backend's) live in one of two places,
 * decided once from where the running executable is:
 *  - in the meson build tree, when the executable is inside it
 *    (`_build/src/petition-kiosk`, every test and benchmark): the
 *    catalogs under _build/po, the schema compiled into _build/data, the
 *    icons in the source tree's data/icons, the modules in _build/src/app
 *    and _build/src/core;
 *  - otherwise under the installation prefix, taken from the executable's
 *    own path when it sits in PREFIX/bindir, so that a tree installed with
 *    `meson install --destdir`, or moved, finds its files beside it; else
 *    the prefix the build was configured with. The modules are then
 *    in PREFIX/LIBDIR/petition-kiosk.
 * No environment variable is needed for either, and none is read.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE when the executable runs from the meson build tree. */
gboolean    pk_data_dirs_is_build_tree  (void);

/* The folder that holds ko/LC_MESSAGES/petition-kiosk.mo and so on. */
const char *pk_data_dirs_get_localedir  (void);

/* The folder the application's compiled schema is looked for in first,
 * before the folders GLib itself searches. */
const char *pk_data_dirs_get_schemadir  (void);

/* The icon theme folder (holding hicolor/) with the application icon. */
const char *pk_data_dirs_get_icondir    (void);

/* The file of the module holding the GTK application (the kiosk and the
 * coordinator's window), which main.c opens when no subcommand is given. */
const char *pk_data_dirs_get_app_module (void);

/* The file of the PostgreSQL backend's module (pk-pg-module.h). */
const char *pk_data_dirs_get_pg_module  (void);

/* Checks that every translation the kiosk switches between is there: the
 * kiosk must never show a signer half-English screens. On failure the
 * message names the missing file and what to do. */
gboolean    pk_data_dirs_check_translations (GError **error);

/* The application's settings, from its schema in pk_data_dirs_get_schemadir ()
 * or wherever GLib finds schemas. A missing or unreadable schema is an
 * error that says where it was looked for and how to fix it, never the
 * abort g_settings_new () would give. */
GSettings  *pk_data_dirs_new_settings   (GError **error);

G_END_DECLS
