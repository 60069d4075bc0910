/* pk-batch-file.c: one batch file on the coordinator's merge screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items of the merge screen's list model. The list shows a row
 * only for the files in view, so a USB stick of a thousand files costs
 * a thousand of these small objects, not a thousand widgets.
 */
#define G_LOG_DOMAIN "pk-batch-file"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "pk-batch-file.h"

struct _PkBatchFile
{
  GObject           parent_instance;

  char             *path;
  char             *name;
  PkBatchFileState  state;
  char             *status;
};

G_DEFINE_FINAL_TYPE (PkBatchFile, pk_batch_file, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PkBatchFileState, pk_batch_file_state,
                    G_DEFINE_ENUM_VALUE (PK_BATCH_FILE_CHECKING, "checking"),
                    G_DEFINE_ENUM_VALUE (PK_BATCH_FILE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (PK_BATCH_FILE_PROBLEM, "problem"),
                    G_DEFINE_ENUM_VALUE (PK_BATCH_FILE_MERGED, "merged"),
                    G_DEFINE_ENUM_VALUE (PK_BATCH_FILE_UNCHECKED, "unchecked"))

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_STATE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pk_batch_file_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PkBatchFile *self = PK_BATCH_FILE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batch_file_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PkBatchFile *self = PK_BATCH_FILE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      self->name = g_filename_display_basename (self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_batch_file_finalize (GObject *object)
{
  PkBatchFile *self = PK_BATCH_FILE (object);

  g_free (self->path);
  g_free (self->name);
  g_free (self->status);

  G_OBJECT_CLASS (pk_batch_file_parent_class)->finalize (object);
}

static void
pk_batch_file_class_init (PkBatchFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pk_batch_file_get_property;
  object_class->set_property = pk_batch_file_set_property;
  object_class->finalize = pk_batch_file_finalize;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PK_TYPE_BATCH_FILE_STATE, PK_BATCH_FILE_CHECKING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pk_batch_file_init (PkBatchFile *self)
{
  self->state = PK_BATCH_FILE_CHECKING;
  self->status = g_strdup (_("Checking…"));
}

PkBatchFile *
pk_batch_file_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return g_object_new (PK_TYPE_BATCH_FILE, "path", path, NULL);
}

const char *
pk_batch_file_get_path (PkBatchFile *self)
{
  g_return_val_if_fail (PK_IS_BATCH_FILE (self), NULL);
  return self->path;
}

const char *
pk_batch_file_get_name (PkBatchFile *self)
{
  g_return_val_if_fail (PK_IS_BATCH_FILE (self), NULL);
  return self->name;
}

PkBatchFileState
pk_batch_file_get_state (PkBatchFile *self)
{
  g_return_val_if_fail (PK_IS_BATCH_FILE (self), PK_BATCH_FILE_CHECKING);
  return self->state;
}

const char *
pk_batch_file_get_status (PkBatchFile *self)
{
  g_return_val_if_fail (PK_IS_BATCH_FILE (self), NULL);
  return self->status;
}

void
pk_batch_file_set_result (PkBatchFile      *self,
                          PkBatchFileState  state,
                          const char       *status)
{
  g_return_if_fail (PK_IS_BATCH_FILE (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}
