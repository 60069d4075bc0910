/* pk-country-chooser.h: pick a country from a list, by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PK_TYPE_COUNTRY_CHOOSER (pk_country_chooser_get_type ())
G_DECLARE_FINAL_TYPE (PkCountryChooser, pk_country_chooser, PK, COUNTRY_CHOOSER, GtkWidget)

GtkWidget  *pk_country_chooser_new         (void);
/* The chosen country's ISO 3166-1 code ("KR"), or NULL for none. */
const char *pk_country_chooser_get_code    (PkCountryChooser *self);
/* Chooses the country with @code; NULL, or a code not in the list,
 * chooses none. */
void        pk_country_chooser_set_code    (PkCountryChooser *self,
                                            const char       *code);
/* Names the countries again in the current gettext language, @lang
 * ("ko", "en" or "de"), and sorts them in its order; the search reads
 * names in @lang from now on. The chosen country stays chosen. */
void        pk_country_chooser_retranslate (PkCountryChooser *self,
                                            const char       *lang);
/* Lists the country with @code (the kiosk's own) first, after "Not
 * given"; NULL lists every country in its place only. */
void        pk_country_chooser_set_home    (PkCountryChooser *self,
                                            const char       *code);

G_END_DECLS
