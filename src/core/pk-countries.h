/* pk-countries.h: the world's countries, named in the kiosk's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  code[3];   /* ISO 3166-1 alpha-2, upper case: "KR" */
  char *name;      /* in the current gettext language: "대한민국" */
} PkCountry;

void       pk_country_free            (PkCountry  *country);

/* Every country ISO 3166-1 lists (from the iso-codes package), each
 * named in the current gettext language, in that language's reading
 * order: an array of PkCountry. When iso-codes cannot be read the
 * array is empty and one warning says why. */
GPtrArray *pk_countries_new_sorted    (void);

/* The code of the country named @name, in the current gettext language
 * or in English (ISO's list name or its everyday name), case and
 * accents aside: "deutschland" is DE in German, "South Korea" KR in
 * any language. NULL when no country has that name, or more than one. */
const char *pk_country_code_for_name (const char *name);

/* TRUE when @code is an alpha-2 code ISO 3166-1 assigns, upper case.
 * When iso-codes cannot be read, any two letters A–Z are taken. */
gboolean   pk_country_code_is_known   (const char *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkCountry, pk_country_free)

G_END_DECLS
