/* pk-trusted-keys.c: the coordinator's list of kiosk keys, to trust or
 * stop trusting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A master pins the first key each kiosk id arrives with and refuses
 * batches of that kiosk signed with another key (pk-merge-trust.c).
 * This window is where the coordinator sees every key and decides: a
 * kiosk reinstalled on a new laptop gets its new key trusted; a stolen
 * kiosk's key stops being trusted.
 */
#define G_LOG_DOMAIN "pk-trusted-keys"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-kiosk-key-row.h"
#include "pk-language.h"
#include "pk-merge-trust.h"
#include "pk-trusted-keys.h"

struct _PkTrustedKeys
{
  AdwWindow            parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  AdwPreferencesGroup *keys_group;
};

G_DEFINE_FINAL_TYPE (PkTrustedKeys, pk_trusted_keys, ADW_TYPE_WINDOW)

static void
pk_trusted_keys_fill (PkTrustedKeys *self,
                      PkStore       *master)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pk_merge_trust_list (master, &error);

  if (entries == NULL)
    {
      adw_preferences_group_set_description (self->keys_group, error->message);
      gtk_stack_set_visible_child_name (self->stack, "keys");
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    adw_preferences_group_add (self->keys_group, pk_kiosk_key_row_new (master, g_ptr_array_index (entries, i)));
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "keys" : "empty");
  /* Korean lines break between words, as in the coordinator window. */
  pk_language_tag_labels (GTK_WIDGET (self), pk_language_from_environment ());
}

static void
pk_trusted_keys_class_init (PkTrustedKeysClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/petitionkiosk/PetitionKiosk/pk-trusted-keys.ui");
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, stack);
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, keys_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pk_trusted_keys_init (PkTrustedKeys *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The coordinator's windows keep the language they opened in: the
   * strings are set once, here. */
  gtk_window_set_title (GTK_WINDOW (self), _("Kiosk Keys"));
  adw_status_page_set_title (self->empty_page, _("No Kiosk Keys Yet"));
  adw_status_page_set_description (self->empty_page,
                                   _("The key of each kiosk appears here with its first merged batch."));
  adw_preferences_group_set_title (self->keys_group, _("Kiosk Keys"));
  adw_preferences_group_set_description (self->keys_group,
                                         _("The first key a kiosk’s batches arrive with is trusted. A batch "
                                           "from the same kiosk signed with another key is refused: it may "
                                           "be forged. Trust a new key only when that kiosk really has one "
                                           "(a new laptop, a new installation); compare its fingerprint with "
                                           "the one shown in the kiosk’s admin → Batches."));
}

GtkWidget *
pk_trusted_keys_new (GtkWindow *parent,
                     PkStore   *master)
{
  PkTrustedKeys *self;

  g_return_val_if_fail (PK_IS_STORE (master), NULL);

  self = g_object_new (PK_TYPE_TRUSTED_KEYS, "transient-for", parent, NULL);
  pk_trusted_keys_fill (self, master);
  return GTK_WIDGET (self);
}
