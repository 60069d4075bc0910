/* pk-coordinator-dialog.c: the deliberate change of the coordinator a
 * kiosk trusts, behind the admin PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Admin is behind the PIN already; asking for it again here makes the
 * change a deliberate act of its own, taken with the fingerprints in
 * front of the volunteer (docs/security.md, seventh adversary).
 */
#define G_LOG_DOMAIN "pk-coordinator-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-coordinator-dialog.h"
#include "pk-language.h"
#include "pk-pin.h"
#include "pk-pinned-coordinator.h"

struct _PkCoordinatorDialog
{
  AdwWindow   parent_instance;

  PkStore    *store;
  PkPetition *petition;

  GtkWidget  *body_label;
  GtkWidget  *pinned_title;
  GtkWidget  *pinned_label;
  GtkWidget  *new_title;
  GtkWidget  *new_label;
  GtkWidget  *pin_entry;
  GtkWidget  *error_label;
  GtkWidget  *cancel_button;
  GtkWidget  *change_button;
};

G_DEFINE_FINAL_TYPE (PkCoordinatorDialog, pk_coordinator_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pk_coordinator_dialog_show_error (PkCoordinatorDialog *self,
                                  const char          *message)
{
  gtk_label_set_label (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_widget_grab_focus (self->pin_entry);
}

static void
pk_coordinator_dialog_change (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PkCoordinatorDialog *self = PK_COORDINATOR_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  guint wait = 0;

  if (!pk_pin_check (self->store, gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)),
                     &wait, &error) ||
      !pk_pinned_coordinator_replace (self->store, self->petition, &error))
    {
      pk_coordinator_dialog_show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[CHANGED], 0, self->petition);
  gtk_window_close (GTK_WINDOW (self));
}

static void
pk_coordinator_dialog_dispose (GObject *object)
{
  PkCoordinatorDialog *self = PK_COORDINATOR_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->petition);

  G_OBJECT_CLASS (pk_coordinator_dialog_parent_class)->dispose (object);
}

static void
pk_coordinator_dialog_class_init (PkCoordinatorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_coordinator_dialog_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, PK_TYPE_PETITION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/petitionkiosk/PetitionKiosk/pk-coordinator-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, pinned_title);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, pinned_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, new_title);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, new_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PkCoordinatorDialog, change_button);

  gtk_widget_class_install_action (widget_class, "coordinator.change", NULL,
                                   pk_coordinator_dialog_change);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* The dialog lives while one question is asked, in the language admin
 * speaks when it opens: its strings are set once, here. */
static void
pk_coordinator_dialog_translate (PkCoordinatorDialog *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Change the Coordinator"));
  gtk_label_set_label (GTK_LABEL (self->body_label),
                       _("This petition file was signed by a different coordinator from the one this kiosk "
                         "trusts. Whoever swaps the petition file chooses who can read the signers’ details. "
                         "Call the coordinator and read them the new fingerprint, one group of four at a "
                         "time. Change only if it is exactly theirs."));
  gtk_label_set_label (GTK_LABEL (self->pinned_title), _("Trusted now"));
  gtk_label_set_label (GTK_LABEL (self->new_title), _("In this file"));
  g_object_set (self->pin_entry, "placeholder-text", _("Admin PIN"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Admin PIN"), -1);
  pk_language_set_button_label (GTK_BUTTON (self->cancel_button), _("_Cancel"));
  pk_language_set_button_label (GTK_BUTTON (self->change_button), _("C_hange Coordinator"));
}

static void
pk_coordinator_dialog_init (PkCoordinatorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pk_coordinator_dialog_translate (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->change_button);
}

PkCoordinatorDialog *
pk_coordinator_dialog_new (GtkWindow  *parent,
                           PkStore    *store,
                           PkPetition *petition,
                           const char *language)
{
  PkCoordinatorDialog *self;
  g_autofree char *pinned = NULL;
  g_autofree char *theirs = NULL;

  g_return_val_if_fail (PK_IS_STORE (store), NULL);
  g_return_val_if_fail (PK_IS_PETITION (petition), NULL);

  self = g_object_new (PK_TYPE_COORDINATOR_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->petition = g_object_ref (petition);

  pinned = pk_pinned_coordinator_fingerprint (store);
  theirs = pk_petition_coordinator_fingerprint (petition);
  gtk_label_set_label (GTK_LABEL (self->pinned_label), pinned != NULL ? pinned : _("none yet"));
  gtk_label_set_label (GTK_LABEL (self->new_label),
                       theirs != NULL ? theirs : _("None: this file does not encrypt signers’ details"));
  pk_language_tag_labels (GTK_WIDGET (self), language);
  gtk_widget_grab_focus (self->pin_entry);

  return self;
}
