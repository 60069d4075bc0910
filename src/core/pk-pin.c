/* pk-pin.c: the organizer PIN that guards the admin screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only an Argon2id hash is stored. Someone at the kiosk can try PINs by
 * hand; the growing delay, counted in the database so that a restart
 * does not reset it, makes that hopeless for any PIN of reasonable
 * length while leaving an organizer who mistypes once or twice alone.
 */
#define G_LOG_DOMAIN "pk-pin"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "pk-crypto.h"
#include "pk-pin.h"
#include "pk-store-private.h"

#define SETTING_HASH         "pin-hash"
/* libsodium's "moderate" Argon2id limits (see pk_pin_set()). */
#define PK_PIN_OPSLIMIT      crypto_pwhash_OPSLIMIT_MODERATE
#define PK_PIN_MEMLIMIT      crypto_pwhash_MEMLIMIT_MODERATE
#define SETTING_FAILURES     "pin-failures"
#define SETTING_LAST_FAILURE "pin-last-failure"

G_DEFINE_QUARK (pk-pin-error-quark, pk_pin_error)

gboolean
pk_pin_is_set (PkStore *store)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);

  hash = pk_store_get_setting (store, SETTING_HASH);
  return hash != NULL && *hash != '\0';
}

static gint64
get_int_setting (PkStore    *store,
                 const char *key)
{
  g_autofree char *value = pk_store_get_setting (store, key);
  gint64 n = 0;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, &n, NULL))
    return 0;
  return n;
}

guint
pk_pin_get_failures (PkStore *store)
{
  g_return_val_if_fail (PK_IS_STORE (store), 0);

  return (guint) MIN (get_int_setting (store, SETTING_FAILURES), G_MAXUINT);
}

guint
pk_pin_delay_for_failures (guint failures)
{
  guint exponent;

  if (failures <= PK_PIN_FREE_ATTEMPTS)
    return 0;

  exponent = failures - PK_PIN_FREE_ATTEMPTS;
  if (exponent >= 9)
    return PK_PIN_MAX_DELAY_SECONDS;
  return MIN (1u << exponent, (guint) PK_PIN_MAX_DELAY_SECONDS);
}

guint
pk_pin_get_wait_at (PkStore *store,
                     gint64   now)
{
  guint delay;
  gint64 last;
  gint64 elapsed;

  g_return_val_if_fail (PK_IS_STORE (store), 0);

  delay = pk_pin_delay_for_failures (pk_pin_get_failures (store));
  if (delay == 0)
    return 0;

  /* A clock set back (or a forged future timestamp) must not shorten
   * the wait; it restarts it instead, never longer than one delay. */
  last = get_int_setting (store, SETTING_LAST_FAILURE);
  elapsed = now >= last ? (now - last) / G_USEC_PER_SEC : 0;
  if (elapsed >= delay)
    return 0;

  return delay - (guint) elapsed;
}

guint
pk_pin_get_wait (PkStore *store)
{
  return pk_pin_get_wait_at (store, g_get_real_time ());
}

/* NFC, so that a PIN typed with another input method still matches. */
static char *
normalize_pin (const char  *pin,
               GError     **error)
{
  g_autofree char *normalized = NULL;

  if (strlen (pin) > PK_PIN_MAX_BYTES || !g_utf8_validate (pin, -1, NULL) ||
      (normalized = g_utf8_normalize (pin, -1, G_NORMALIZE_NFC)) == NULL)
    {
      g_set_error_literal (error, PK_PIN_ERROR, PK_PIN_ERROR_INVALID,
                           _("This PIN is too long."));
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

static gboolean
write_failures (PkStore  *store,
                guint     failures,
                gint64    when,
                GError  **error)
{
  g_autofree char *count = g_strdup_printf ("%u", failures);
  g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, when);

  if (!pk_store_begin (store, error))
    return FALSE;

  if (!pk_store_set_setting_unlocked (store, SETTING_FAILURES, failures > 0 ? count : NULL, error) ||
      !pk_store_set_setting_unlocked (store, SETTING_LAST_FAILURE, failures > 0 ? time : NULL, error))
    {
      pk_store_rollback (store);
      return FALSE;
    }

  return pk_store_commit (store, error);
}

gboolean
pk_pin_set (PkStore     *store,
            const char  *pin,
            GError     **error)
{
  g_autofree char *normalized = NULL;
  char hash[crypto_pwhash_STRBYTES];
  gboolean ok;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  normalized = normalize_pin (pin, error);
  if (normalized == NULL)
    return FALSE;

  if (g_utf8_strlen (normalized, -1) < PK_PIN_MIN_CHARS)
    {
      g_set_error (error, PK_PIN_ERROR, PK_PIN_ERROR_TOO_SHORT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The PIN needs at least %u character.",
                                "The PIN needs at least %u characters.",
                                PK_PIN_MIN_CHARS),
                   PK_PIN_MIN_CHARS);
      return FALSE;
    }

  if (!pk_crypto_init (error))
    return FALSE;

  /* Argon2id with libsodium's "moderate" limits (256 MiB, 3 passes):
   * under a second per attempt here, and against offline guessing by
   * whoever copies the database, four times the memory and three times
   * the work of "interactive" for every guess; a PIN is short. */
  if (crypto_pwhash_str_alg (hash, normalized, strlen (normalized),
                             PK_PIN_OPSLIMIT, PK_PIN_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_memzero (normalized, strlen (normalized));
      g_set_error_literal (error, PK_PIN_ERROR, PK_PIN_ERROR_FAILED,
                           _("Not enough memory to protect the PIN."));
      return FALSE;
    }
  sodium_memzero (normalized, strlen (normalized));

  if (!pk_store_begin (store, error))
    return FALSE;

  ok = pk_store_set_setting_unlocked (store, SETTING_HASH, hash, error) &&
       pk_store_set_setting_unlocked (store, SETTING_FAILURES, NULL, error) &&
       pk_store_set_setting_unlocked (store, SETTING_LAST_FAILURE, NULL, error);
  if (!ok)
    {
      pk_store_rollback (store);
      return FALSE;
    }

  return pk_store_commit (store, error);
}

/* A hash made with weaker limits than today's (an older version's
 * "interactive") is made again from the PIN just verified. Best effort:
 * the old hash keeps working if this fails. */
static void
pk_pin_upgrade_hash (PkStore    *store,
                     const char *hash,
                     const char *pin)
{
  g_autoptr(GError) error = NULL;

  if (crypto_pwhash_str_needs_rehash (hash, PK_PIN_OPSLIMIT, PK_PIN_MEMLIMIT) == 0)
    return;
  if (!pk_pin_set (store, pin, &error))
    g_warning ("cannot strengthen the PIN's hash: %s", error->message);
}

gboolean
pk_pin_check_at (PkStore     *store,
                 const char  *pin,
                 gint64       now,
                 guint       *out_wait,
                 GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *normalized = NULL;
  guint wait;
  guint failures;
  int verified;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (out_wait != NULL)
    *out_wait = 0;

  wait = pk_pin_get_wait_at (store, now);
  if (wait > 0)
    {
      if (out_wait != NULL)
        *out_wait = wait;
      g_set_error (error, PK_PIN_ERROR, PK_PIN_ERROR_WAIT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Please wait %u second before trying again.",
                                "Please wait %u seconds before trying again.",
                                wait),
                   wait);
      return FALSE;
    }

  hash = pk_store_get_setting (store, SETTING_HASH);
  if (hash == NULL || *hash == '\0')
    {
      g_set_error_literal (error, PK_PIN_ERROR, PK_PIN_ERROR_NOT_SET,
                           _("No PIN has been set yet."));
      return FALSE;
    }

  if (!pk_crypto_init (error))
    return FALSE;

  normalized = normalize_pin (pin, NULL);
  verified = normalized != NULL
             ? crypto_pwhash_str_verify (hash, normalized, strlen (normalized))
             : -1;
  if (normalized != NULL)
    sodium_memzero (normalized, strlen (normalized));

  failures = pk_pin_get_failures (store);
  if (verified == 0)
    {
      if (failures > 0 && !write_failures (store, 0, now, error))
        return FALSE;
      pk_pin_upgrade_hash (store, hash, pin);
      return TRUE;
    }

  failures = failures < G_MAXUINT ? failures + 1 : failures;
  if (!write_failures (store, failures, now, error))
    return FALSE;

  if (out_wait != NULL)
    *out_wait = pk_pin_delay_for_failures (failures);
  g_set_error_literal (error, PK_PIN_ERROR, PK_PIN_ERROR_WRONG, _("Wrong PIN."));
  return FALSE;
}

gboolean
pk_pin_check (PkStore     *store,
              const char  *pin,
              guint       *out_wait,
              GError     **error)
{
  return pk_pin_check_at (store, pin, g_get_real_time (), out_wait, error);
}
