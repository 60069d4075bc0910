/* pk-application.c: the kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-application.h"

struct _PkApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (PkApplication, pk_application, ADW_TYPE_APPLICATION)

static void
pk_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = g_object_new (ADW_TYPE_APPLICATION_WINDOW, "application", app, NULL);

  gtk_window_present (window);
}

static void
pk_application_class_init (PkApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pk_application_activate;
}

static void
pk_application_init (PkApplication *self)
{
}

PkApplication *
pk_application_new (void)
{
  return g_object_new (PK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
