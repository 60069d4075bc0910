/* pk-osdi-person.h: the OSDI person object of a signer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pk-signature.h"

G_BEGIN_DECLS

/* Adds the OSDI person of @sig as the next value of @builder (inside an
 * object after json_builder_set_member_name(), or inside an array):
 * given_name, family_name, languages_spoken, and email_addresses,
 * postal_addresses (postal_code, country) and phone_numbers as
 * one-element arrays marked primary. Absent fields are left out, never
 * sent as "". The email's status is "subscribed" only with opt-in. */
void pk_osdi_person_add (JsonBuilder       *builder,
                         const PkSignature *sig);

G_END_DECLS
