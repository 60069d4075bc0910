/* pk-pinned-coordinator.c: the coordinator a kiosk trusts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-pinned-coordinator"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-keys.h"
#include "pk-pinned-coordinator.h"
#include "pk-store-private.h"

/* One setting holds both keys, "<signing key> <CoordinatorKey>" in
 * base64, so that they are always written together. */
#define PK_SETTING_PINNED_COORDINATOR "pinned-coordinator"
#define PK_KEY_BYTES 32

G_DEFINE_QUARK (pk-pinned-coordinator-error-quark, pk_pinned_coordinator_error)

static gboolean
parse_pin (const char *value,
           guint8     *signing_key,
           guint8     *coordinator_key)
{
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return FALSE;
  parts = g_strsplit (value, " ", -1);
  return g_strv_length (parts) == 2
         && pk_key_from_base64 (parts[0], signing_key, PK_KEY_BYTES)
         && pk_key_from_base64 (parts[1], coordinator_key, PK_KEY_BYTES);
}

gboolean
pk_pinned_coordinator_get (PkStore *store,
                           guint8  *out_signing_key,
                           guint8  *out_coordinator_key)
{
  g_autofree char *value = NULL;
  guint8 signing[PK_KEY_BYTES], coordinator[PK_KEY_BYTES];

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);

  value = pk_store_get_setting (store, PK_SETTING_PINNED_COORDINATOR);
  if (!parse_pin (value, signing, coordinator))
    return FALSE;
  if (out_signing_key != NULL)
    memcpy (out_signing_key, signing, sizeof signing);
  if (out_coordinator_key != NULL)
    memcpy (out_coordinator_key, coordinator, sizeof coordinator);
  return TRUE;
}

char *
pk_pinned_coordinator_fingerprint (PkStore *store)
{
  guint8 coordinator[PK_KEY_BYTES];

  if (!pk_pinned_coordinator_get (store, NULL, coordinator))
    return NULL;
  return pk_key_fingerprint (coordinator);
}

char *
pk_petition_coordinator_fingerprint (PkPetition *petition)
{
  const guint8 *key = pk_petition_get_coordinator_key (petition);

  return key != NULL ? pk_key_fingerprint (key) : NULL;
}

/* Inside the store's write lock, so that two kiosk processes starting
 * on two files cannot both pin: the second sees the first's pin. */
static gboolean
write_pin (PkStore       *store,
           const guint8  *signing_key,
           const guint8  *coordinator_key,
           GError       **error)
{
  g_autofree char *signing_b64 = pk_key_to_base64 (signing_key, PK_KEY_BYTES);
  g_autofree char *coordinator_b64 = pk_key_to_base64 (coordinator_key, PK_KEY_BYTES);
  g_autofree char *value = g_strdup_printf ("%s %s", signing_b64, coordinator_b64);

  return pk_store_set_setting_unlocked (store, PK_SETTING_PINNED_COORDINATOR, value, error);
}

static void
set_other_coordinator (GError      **error,
                       const guint8 *pinned_coordinator,
                       PkPetition   *petition)
{
  g_autofree char *pinned = pk_key_fingerprint (pinned_coordinator);
  g_autofree char *theirs = pk_petition_coordinator_fingerprint (petition);

  g_set_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_OTHER_COORDINATOR,
               _("This petition file is not signed by the coordinator this kiosk is pinned to, "
                 "so it is not used. Pinned coordinator: %s. This file’s coordinator: %s. "
                 "If the coordinator really changed, compare the new fingerprint with them on "
                 "the phone and change the coordinator behind the admin PIN (admin → Petition, "
                 "or “petition-kiosk pin-coordinator”)."),
               pinned, theirs != NULL ? theirs : _("none (details stored unencrypted)"));
}

static gboolean
set_unsigned (GError     **error,
              PkPetition  *petition)
{
  g_autofree char *theirs = pk_petition_coordinator_fingerprint (petition);

  g_set_error (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_UNSIGNED,
               _("This petition file seals the signers’ details to coordinator %s, but the "
                 "coordinator did not sign it, so it is not used. Ask them for a file signed "
                 "with “petition-kiosk sign-petition”."), theirs);
  return FALSE;
}

/* The decision of pk_pinned_coordinator_accept(), inside the lock. */
static gboolean
accept_unlocked (PkStore     *store,
                 PkPetition  *petition,
                 GError     **error)
{
  const guint8 *signing = pk_petition_get_signing_key (petition);
  const guint8 *coordinator = pk_petition_get_coordinator_key (petition);
  guint8 pinned_signing[PK_KEY_BYTES], pinned_coordinator[PK_KEY_BYTES];

  if (!pk_pinned_coordinator_get (store, pinned_signing, pinned_coordinator))
    {
      /* Plain mode: admin shows its warning; nothing to pin. */
      if (coordinator == NULL)
        return TRUE;
      if (signing == NULL)
        return set_unsigned (error, petition);
      return write_pin (store, signing, coordinator, error);
    }

  if (signing == NULL || sodium_memcmp (signing, pinned_signing, PK_KEY_BYTES) != 0)
    {
      set_other_coordinator (error, pinned_coordinator, petition);
      return FALSE;
    }

  /* The pinned coordinator signed a new CoordinatorKey: theirs to
   * choose. Rows sealed to the old key stay in their own batch
   * (pk_store_batch_for_petition() in pk-store.c). */
  if (coordinator != NULL && sodium_memcmp (coordinator, pinned_coordinator, PK_KEY_BYTES) != 0)
    return write_pin (store, pinned_signing, coordinator, error);

  return TRUE;
}

static gboolean
failed (GError **error,
        GError  *local_error)
{
  g_set_error_literal (error, PK_PINNED_COORDINATOR_ERROR, PK_PINNED_COORDINATOR_ERROR_FAILED,
                       local_error->message);
  g_error_free (local_error);
  return FALSE;
}

gboolean
pk_pinned_coordinator_accept (PkStore     *store,
                              PkPetition  *petition,
                              GError     **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);

  if (!pk_store_begin (store, &local_error))
    return failed (error, local_error);
  if (!accept_unlocked (store, petition, &local_error))
    {
      pk_store_rollback (store);
      if (local_error->domain != PK_PINNED_COORDINATOR_ERROR)
        return failed (error, local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (!pk_store_commit (store, &local_error))
    return failed (error, local_error);
  return TRUE;
}

gboolean
pk_pinned_coordinator_replace (PkStore     *store,
                               PkPetition  *petition,
                               GError     **error)
{
  const guint8 *signing;
  const guint8 *coordinator;
  GError *local_error = NULL;
  gboolean other = FALSE;

  g_return_val_if_fail (PK_IS_STORE (store), FALSE);
  g_return_val_if_fail (PK_IS_PETITION (petition), FALSE);

  signing = pk_petition_get_signing_key (petition);
  coordinator = pk_petition_get_coordinator_key (petition);
  if (signing == NULL || coordinator == NULL)
    {
      g_set_error_literal (error, PK_PINNED_COORDINATOR_ERROR,
                           PK_PINNED_COORDINATOR_ERROR_NOT_PINNABLE,
                           _("Only a petition file with a CoordinatorKey, signed by its "
                             "coordinator, can set the kiosk’s coordinator."));
      return FALSE;
    }

  if (!pk_store_begin (store, &local_error))
    return failed (error, local_error);
  if (!pk_store_open_batch_has_other_key (store, coordinator, &other, &local_error) ||
      (!other && !write_pin (store, signing, coordinator, &local_error)))
    {
      pk_store_rollback (store);
      return failed (error, local_error);
    }
  if (other)
    {
      pk_store_rollback (store);
      g_set_error_literal (error, PK_PINNED_COORDINATOR_ERROR,
                           PK_PINNED_COORDINATOR_ERROR_BATCH_HOLDS_ROWS,
                           _("The open batch holds signatures sealed to the pinned "
                             "coordinator. Close the batch first (admin → Batches, or "
                             "“petition-kiosk close-batch”), then change the coordinator."));
      return FALSE;
    }
  if (!pk_store_commit (store, &local_error))
    return failed (error, local_error);
  return TRUE;
}
