/* pk-phone.h: phone numbers in international form (E.164), through
 * Google's libphonenumber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @number (digits, with a leading + or not, as pk_normalize_phone()
 * leaves it) in E.164, "+821012345678", read in @region (ISO 3166-1
 * alpha-2, e.g. "KR"; NULL when none is known) unless it starts with
 * +. Fails with PK_SIGNATURE_ERROR_PHONE and a message for the signer
 * when the number cannot be valid there, or when it has no + and no
 * region says which country it belongs to. */
char *pk_phone_to_e164        (const char  *number,
                               const char  *region,
                               GError     **error);

/* An E.164 number the way a signer of @region (may be NULL) writes it,
 * to show it back: in national form when it belongs to @region
 * ("010-1234-5678"), else in international form ("+49 30 123456").
 * NULL if @e164 is not one. */
char *pk_phone_format_for     (const char  *e164,
                               const char  *region);

G_END_DECLS
