/* pk-osdi-person.c: the OSDI person object of a signer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the osdi-json export and by sync, so that what a coordinator
 * exports and what arrives online are the same object.
 */
#define G_LOG_DOMAIN "pk-osdi-person"

#include "config.h"

#include "pk-osdi-person.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
pk_osdi_person_add (JsonBuilder       *builder,
                    const PkSignature *sig)
{
  const char *email = sig->fields[PK_FIELD_EMAIL];
  const char *phone = sig->fields[PK_FIELD_PHONE];
  const char *postal_code = sig->fields[PK_FIELD_POSTAL_CODE];
  const char *country = sig->fields[PK_FIELD_COUNTRY];

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (sig != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "given_name", sig->fields[PK_FIELD_GIVEN_NAME]);
  add_string (builder, "family_name", sig->fields[PK_FIELD_FAMILY_NAME]);

  if (email != NULL)
    {
      json_builder_set_member_name (builder, "email_addresses");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_string (builder, "address", email);
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, TRUE);
      /* Only an explicit opt-in subscribes; without it no status is sent,
       * so an existing subscriber is not unsubscribed by signing either. */
      if (sig->opt_in)
        add_string (builder, "status", "subscribed");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  if (postal_code != NULL || country != NULL)
    {
      json_builder_set_member_name (builder, "postal_addresses");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, TRUE);
      add_string (builder, "postal_code", postal_code);
      add_string (builder, "country", country);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  if (phone != NULL)
    {
      json_builder_set_member_name (builder, "phone_numbers");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, TRUE);
      add_string (builder, "number", phone);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  if (sig->lang != NULL)
    {
      json_builder_set_member_name (builder, "languages_spoken");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, sig->lang);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}
