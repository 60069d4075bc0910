/* pk-kiosk-key-row.c: one kiosk key a master has seen, with its trust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-kiosk-key-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-kiosk-key-row-private.h"

struct _PkKioskKeyRow
{
  AdwActionRow  parent_instance;

  PkStore      *master;
  char         *kiosk_id;
  char         *fingerprint;
  char         *subtitle;
  GtkSwitch    *trusted;
};

G_DEFINE_FINAL_TYPE (PkKioskKeyRow, pk_kiosk_key_row, ADW_TYPE_ACTION_ROW)

static void
on_trusted_changed (PkKioskKeyRow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean trusted = gtk_switch_get_active (self->trusted);

  if (pk_merge_trust_set_trusted (self->master, self->kiosk_id, self->fingerprint, trusted, &error))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->subtitle);
      return;
    }
  /* Not saved: the switch shows what the master holds, the row why. */
  g_signal_handlers_block_by_func (self->trusted, on_trusted_changed, self);
  gtk_switch_set_active (self->trusted, !trusted);
  g_signal_handlers_unblock_by_func (self->trusted, on_trusted_changed, self);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), error->message);
}

static void
pk_kiosk_key_row_dispose (GObject *object)
{
  PkKioskKeyRow *self = PK_KIOSK_KEY_ROW (object);

  g_clear_object (&self->master);
  G_OBJECT_CLASS (pk_kiosk_key_row_parent_class)->dispose (object);
}

static void
pk_kiosk_key_row_finalize (GObject *object)
{
  PkKioskKeyRow *self = PK_KIOSK_KEY_ROW (object);

  g_free (self->kiosk_id);
  g_free (self->fingerprint);
  g_free (self->subtitle);
  G_OBJECT_CLASS (pk_kiosk_key_row_parent_class)->finalize (object);
}

static void
pk_kiosk_key_row_class_init (PkKioskKeyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pk_kiosk_key_row_dispose;
  object_class->finalize = pk_kiosk_key_row_finalize;
}

static void
pk_kiosk_key_row_init (PkKioskKeyRow *self)
{
  self->trusted = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->trusted), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->trusted));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->trusted));
}

GtkWidget *
pk_kiosk_key_row_new (PkStore               *master,
                      const PkKioskKeyEntry *entry)
{
  PkKioskKeyRow *self;
  g_autoptr(GDateTime) seen = NULL;
  g_autofree char *date = NULL;
  g_autofree char *label = NULL;
  const char *name;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (PK_TYPE_KIOSK_KEY_ROW, NULL);
  self->master = g_object_ref (master);
  self->kiosk_id = g_strdup (entry->kiosk_id);
  self->fingerprint = g_strdup (entry->fingerprint);
  name = entry->kiosk_name != NULL ? entry->kiosk_name : entry->kiosk_id;

  seen = g_date_time_new_from_unix_local (entry->first_seen / G_USEC_PER_SEC);
  date = seen != NULL ? g_date_time_format (seen, "%x") : g_strdup ("—");
  /* Translators: under a kiosk's name in the coordinator's list of kiosk
   * keys: the key's fingerprint, the date its first batch arrived, and
   * the kiosk's id */
  self->subtitle = g_strdup_printf (_("%s\nFirst arrived %s · kiosk %s"), entry->fingerprint, date, entry->kiosk_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 3);

  gtk_switch_set_active (self->trusted, entry->trusted);
  /* Translators: the accessible name of the switch in a kiosk key's row */
  label = g_strdup_printf (_("Trust the key %s of kiosk %s"), entry->fingerprint, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trusted), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect_object (self->trusted, "notify::active", G_CALLBACK (on_trusted_changed), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

GtkSwitch *
_pk_kiosk_key_row_get_switch (PkKioskKeyRow *self)
{
  g_return_val_if_fail (PK_IS_KIOSK_KEY_ROW (self), NULL);
  return self->trusted;
}

const char *
pk_kiosk_key_row_get_fingerprint (PkKioskKeyRow *self)
{
  g_return_val_if_fail (PK_IS_KIOSK_KEY_ROW (self), NULL);
  return self->fingerprint;
}
