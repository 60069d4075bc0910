/* pk-field-error-row.c: an error shown right beneath the field it
 * concerns, until it is resolved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message dialog about a field says what went wrong and then hides the
 * field behind itself; once dismissed, nothing marks the field any more.
 * This row stays under the field until the cause is fixed, the way the
 * signer's form marks its fields.
 */
#define G_LOG_DOMAIN "pk-field-error-row"

#include "config.h"

#include "pk-field-error-row.h"

struct _PkFieldErrorRow
{
  AdwActionRow  parent_instance;

  GtkWidget    *field;
};

G_DEFINE_FINAL_TYPE (PkFieldErrorRow, pk_field_error_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pk_field_error_row_mark_field (PkFieldErrorRow *self,
                               gboolean         invalid)
{
  if (self->field == NULL)
    return;

  /* Only a field the organizer types into turns red: on a row that
   * shows what is in use (the petition file), red would say the wrong
   * thing is broken; the message beneath says what was refused. */
  if (invalid && GTK_IS_EDITABLE (self->field))
    gtk_widget_add_css_class (self->field, "error");
  else
    gtk_widget_remove_css_class (self->field, "error");

  if (invalid)
    {
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      self, NULL, -1);
    }
  else
    {
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

void
pk_field_error_row_set_message (PkFieldErrorRow *self,
                                const char      *message,
                                const char      *detail)
{
  gboolean shown;

  g_return_if_fail (PK_IS_FIELD_ERROR_ROW (self));

  shown = message != NULL && *message != '\0';
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), shown ? message : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), shown && detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  pk_field_error_row_mark_field (self, shown);
}

static void
pk_field_error_row_set_field (PkFieldErrorRow *self,
                              GtkWidget       *field)
{
  if (self->field == field)
    return;

  /* The old field carries no error of this row's any more. */
  pk_field_error_row_mark_field (self, FALSE);
  g_set_weak_pointer (&self->field, field);
  pk_field_error_row_mark_field (self, gtk_widget_get_visible (GTK_WIDGET (self)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELD]);
}

static void
pk_field_error_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PkFieldErrorRow *self = PK_FIELD_ERROR_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_field_error_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PkFieldErrorRow *self = PK_FIELD_ERROR_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      pk_field_error_row_set_field (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_field_error_row_dispose (GObject *object)
{
  PkFieldErrorRow *self = PK_FIELD_ERROR_ROW (object);

  g_clear_weak_pointer (&self->field);

  G_OBJECT_CLASS (pk_field_error_row_parent_class)->dispose (object);
}

static void
pk_field_error_row_class_init (PkFieldErrorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pk_field_error_row_dispose;
  object_class->get_property = pk_field_error_row_get_property;
  object_class->set_property = pk_field_error_row_set_property;

  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pk_field_error_row_init (PkFieldErrorRow *self)
{
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", "dialog-error-symbolic",
                                  "valign", GTK_ALIGN_CENTER,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);

  /* Error messages quote file names and server answers: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (self), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), icon);
  gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self), "field-error-row");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
