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
 *
 * On a master on PostgreSQL the list is read in a GTask thread with a
 * connection of its own, as the Sync tab reads its counts: a server
 * that does not answer keeps it waiting up to connect_timeout, and the
 * windows must go on answering meanwhile. A SQLite file answers at
 * once.
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
  AdwStatusPage       *reading_page;
  AdwPreferencesGroup *keys_group;
  PkStore             *master;
  GCancellable        *cancellable;   /* of the list being read */
};

G_DEFINE_FINAL_TYPE (PkTrustedKeys, pk_trusted_keys, ADW_TYPE_WINDOW)

/* Shows @entries (PkKioskKeyEntry), or why there are none. */
static void
pk_trusted_keys_show (PkTrustedKeys *self,
                      GPtrArray     *entries,
                      const GError  *error)
{
  if (entries == NULL)
    {
      /* The description is markup; a server's address holds "&". */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_preferences_group_set_description (self->keys_group, escaped);
      gtk_stack_set_visible_child_name (self->stack, "keys");
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    adw_preferences_group_add (self->keys_group, pk_kiosk_key_row_new (self->master, g_ptr_array_index (entries, i)));
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "keys" : "empty");
  /* Korean lines break between words, as in the coordinator window. */
  pk_language_tag_labels (GTK_WIDGET (self), pk_language_from_environment ());
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(PkStore) store = NULL;
  GError *error = NULL;
  GPtrArray *entries = NULL;

  store = pk_store_open_master_read_only (task_data, &error);
  if (store == NULL || (entries = pk_merge_trust_list (store, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PkTrustedKeys *self = PK_TRUSTED_KEYS (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), &error);

  /* The window closed meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  pk_trusted_keys_show (self, entries, error);
}

static void
pk_trusted_keys_fill (PkTrustedKeys *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GTask) task = NULL;

  if (!pk_store_is_postgresql (self->master))
    {
      entries = pk_merge_trust_list (self->master, &error);
      pk_trusted_keys_show (self, entries, error);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "reading");
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, list_done, NULL);
  g_task_set_source_tag (task, pk_trusted_keys_fill);
  g_task_set_task_data (task, g_strdup (pk_store_get_path (self->master)), g_free);
  g_task_run_in_thread (task, list_thread);
}

/* Closed: the reading under way is dropped (its task holds the window
 * until it ends, so dispose comes later). */
static void
pk_trusted_keys_unrealize (GtkWidget *widget)
{
  PkTrustedKeys *self = PK_TRUSTED_KEYS (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  GTK_WIDGET_CLASS (pk_trusted_keys_parent_class)->unrealize (widget);
}

static void
pk_trusted_keys_dispose (GObject *object)
{
  PkTrustedKeys *self = PK_TRUSTED_KEYS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->master);

  G_OBJECT_CLASS (pk_trusted_keys_parent_class)->dispose (object);
}

static void
pk_trusted_keys_class_init (PkTrustedKeysClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_trusted_keys_dispose;
  widget_class->unrealize = pk_trusted_keys_unrealize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/petitionkiosk/PetitionKiosk/pk-trusted-keys.ui");
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, stack);
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PkTrustedKeys, reading_page);
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
  adw_status_page_set_title (self->reading_page, _("Reading the master database…"));
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
  self->master = g_object_ref (master);
  pk_trusted_keys_fill (self);
  return GTK_WIDGET (self);
}
