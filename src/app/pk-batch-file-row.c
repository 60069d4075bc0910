/* pk-batch-file-row.c: a batch file's row in the merge screen's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkListView recycles rows as the list scrolls, so a row is handed one
 * file after another and follows only the one it shows.
 */
#define G_LOG_DOMAIN "pk-batch-file-row"

#include "config.h"

#include "pk-batch-file-row.h"

struct _PkBatchFileRow
{
  GtkWidget    parent_instance;

  GtkImage    *icon;
  GtkLabel    *name_label;
  GtkLabel    *status_label;

  PkBatchFile *file;
};

G_DEFINE_FINAL_TYPE (PkBatchFileRow, pk_batch_file_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
icon_for_state (PkBatchFileState state)
{
  switch (state)
    {
    case PK_BATCH_FILE_READY:
      return "emblem-ok-symbolic";
    case PK_BATCH_FILE_PROBLEM:
      return "dialog-warning-symbolic";
    case PK_BATCH_FILE_MERGED:
      return "object-select-symbolic";
    case PK_BATCH_FILE_UNCHECKED:
      return "dialog-question-symbolic";
    case PK_BATCH_FILE_CHECKING:
    default:
      return "content-loading-symbolic";
    }
}

static void
pk_batch_file_row_update (PkBatchFileRow *self)
{
  PkBatchFileState state = self->file != NULL ? pk_batch_file_get_state (self->file) : PK_BATCH_FILE_CHECKING;

  gtk_label_set_text (self->name_label, self->file != NULL ? pk_batch_file_get_name (self->file) : "");
  gtk_label_set_text (self->status_label, self->file != NULL ? pk_batch_file_get_status (self->file) : "");
  gtk_image_set_from_icon_name (self->icon, icon_for_state (state));
  if (state == PK_BATCH_FILE_PROBLEM)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  if (state == PK_BATCH_FILE_MERGED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "success");
}

static void
on_file_notify (PkBatchFileRow *self,
                GParamSpec     *pspec,
                PkBatchFile    *file)
{
  pk_batch_file_row_update (self);
}

void
pk_batch_file_row_set_file (PkBatchFileRow *self,
                            PkBatchFile    *file)
{
  g_return_if_fail (PK_IS_BATCH_FILE_ROW (self));
  g_return_if_fail (file == NULL || PK_IS_BATCH_FILE (file));

  if (self->file == file)
    return;
  if (self->file != NULL)
    g_signal_handlers_disconnect_by_func (self->file, on_file_notify, self);
  g_set_object (&self->file, file);
  if (file != NULL)
    g_signal_connect_object (file, "notify", G_CALLBACK (on_file_notify), self, G_CONNECT_SWAPPED);
  pk_batch_file_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

PkBatchFile *
pk_batch_file_row_get_file (PkBatchFileRow *self)
{
  g_return_val_if_fail (PK_IS_BATCH_FILE_ROW (self), NULL);
  return self->file;
}

static void
pk_batch_file_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PkBatchFileRow *self = PK_BATCH_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batch_file_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PkBatchFileRow *self = PK_BATCH_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      pk_batch_file_row_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batch_file_row_dispose (GObject *object)
{
  PkBatchFileRow *self = PK_BATCH_FILE_ROW (object);
  GtkWidget *child;

  pk_batch_file_row_set_file (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PK_TYPE_BATCH_FILE_ROW);
  /* That unparents the children bound to fields; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pk_batch_file_row_parent_class)->dispose (object);
}

static void
pk_batch_file_row_class_init (PkBatchFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pk_batch_file_row_get_property;
  object_class->set_property = pk_batch_file_row_set_property;
  object_class->dispose = pk_batch_file_row_dispose;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, PK_TYPE_BATCH_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-batch-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PkBatchFileRow, icon);
  gtk_widget_class_bind_template_child (widget_class, PkBatchFileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PkBatchFileRow, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "batchfilerow");
}

static void
pk_batch_file_row_init (PkBatchFileRow *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 8);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
}
