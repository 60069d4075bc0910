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

#define PK_COUNTRY_ERROR (pk_country_error_quark ())

typedef enum {
  PK_COUNTRY_ERROR_UNKNOWN,    /* no country has that name */
  PK_COUNTRY_ERROR_AMBIGUOUS,  /* several have it; the message lists them */
} PkCountryError;

GQuark     pk_country_error_quark     (void);

/* The code of the country named @name, case and accents aside: its name
 * in @lang ("ko") or in English, as ISO lists it ("Korea, Republic of"),
 * its everyday or official name ("South Korea", "Deutschland"), or a
 * short form people write ("한국", "남한", "Germany", "USA"). A name that
 * fits several countries ("Korea", "Congo") is read as @home, the
 * kiosk's own country, when @home is one of them; otherwise it is an
 * error listing the candidates. Free the result with g_free(). */
char      *pk_country_code_for_name   (const char  *name,
                                       const char  *lang,
                                       const char  *home,
                                       GError     **error);

/* The codes of every country a signer may mean while typing @typed in a
 * search, sorted: those with a spelling pk_country_code_for_name() reads
 * (in @lang or English, everyday short forms included) that @typed
 * begins, or begins one of its words, case and accents aside. "한국",
 * "독일", "Deutschland" and "Germ" find one country each, "Korea" both
 * Koreas. Empty when nothing fits, or when @typed is blank. Free with
 * g_strfreev(). */
char     **pk_country_codes_for_search (const char *typed,
                                        const char *lang);

/* TRUE when @code is an alpha-2 code ISO 3166-1 assigns, upper case.
 * When iso-codes cannot be read, any two letters A–Z are taken. */
gboolean   pk_country_code_is_known   (const char *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkCountry, pk_country_free)

G_END_DECLS
