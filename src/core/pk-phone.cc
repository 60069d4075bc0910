/* pk-phone.cc: phone numbers in international form (E.164), through
 * Google's libphonenumber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one C++ file of the project, with a C interface: libphonenumber
 * has no other. Action Network matches people by phone, so a number
 * must leave in one form, whatever way the signer typed it.
 */
#define G_LOG_DOMAIN "pk-phone"

#include "config.h"

#include <glib/gi18n.h>
#include <phonenumbers/phonenumberutil.h>
#include <string>

#include "pk-phone.h"
#include "pk-signature.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

char *
pk_phone_to_e164 (const char  *number,
                  const char  *region,
                  GError     **error)
{
  PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber parsed;
  std::string e164;
  g_autofree char *country = NULL;

  g_return_val_if_fail (number != NULL, NULL);

  if (number[0] != '+' && region == NULL)
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                           _("Please start the number with + and the country code, "
                             "for example +82 10 1234 5678."));
      return NULL;
    }
  if (util->Parse (number, region != NULL ? region : "ZZ", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR
      || !util->IsValidNumber (parsed))
    {
      std::string code;

      util->GetRegionCodeForCountryCode (parsed.country_code (), &code);
      country = g_strdup (number[0] == '+' ? code.c_str () : region);
      if (country == NULL || *country == '\0' || g_str_equal (country, "ZZ"))
        g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                             _("This is not a phone number that can be called. Please check it."));
      else
        g_set_error (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                     /* TRANSLATORS: %s is a two-letter country code, e.g. KR */
                     _("This cannot be a phone number in the country %s. Please check it, or "
                       "start it with + and the country code."),
                     country);
      return NULL;
    }
  util->Format (parsed, PhoneNumberUtil::E164, &e164);
  /* libphonenumber takes some numbers longer than E.164 allows (German
   * ones with an extension run on), which the stored form could never
   * hold: 15 digits after the + at most (ITU-T E.164, 6). */
  if (e164.size () > 1 + 15)
    {
      g_set_error_literal (error, PK_SIGNATURE_ERROR, PK_SIGNATURE_ERROR_PHONE,
                           _("This is not a phone number that can be called. Please check it."));
      return NULL;
    }
  return g_strdup (e164.c_str ());
}

char *
pk_phone_format_for (const char *e164,
                     const char *region)
{
  PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber parsed;
  std::string own_region;
  std::string formatted;

  g_return_val_if_fail (e164 != NULL, NULL);

  if (e164[0] != '+' || util->Parse (e164, "ZZ", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR)
    return NULL;
  util->GetRegionCodeForNumber (parsed, &own_region);
  util->Format (parsed,
                region != NULL && own_region == region
                ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
                &formatted);
  return g_strdup (formatted.c_str ());
}
