/* pk-style.c: light, dark and high-contrast looks for the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-style"

#include "config.h"

#include <adwaita.h>

#include "pk-app-resources.h"
#include "pk-style.h"

/* libadwaita 1.2 takes high contrast only from the desktop's
 * accessibility setting; an app cannot force it. A kiosk outdoors at
 * night needs it regardless, so high contrast here is the dark scheme
 * plus a stylesheet that redefines libadwaita's named colours for
 * maximum contrast and thickens outlines. */
static GtkCssProvider *high_contrast_provider;
static GtkCssProvider *kiosk_provider;
static GSettings *followed_settings;

static void
pk_style_apply (GSettings *settings)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *style = g_settings_get_string (settings, "style");
  gboolean high_contrast = g_strcmp0 (style, "high-contrast") == 0;

  if (g_strcmp0 (style, "light") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (style, "system") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  else
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);

  if (display == NULL)
    return;

  if (high_contrast && high_contrast_provider == NULL)
    {
      high_contrast_provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (high_contrast_provider, RESOURCE_PREFIX "/high-contrast.css");
      /* Above kiosk.css, so that its colours win. */
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (high_contrast_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  else if (!high_contrast && high_contrast_provider != NULL)
    {
      gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (high_contrast_provider));
      g_clear_object (&high_contrast_provider);
    }
}

void
pk_style_ensure_resources (void)
{
  /* The bundle lives in a static library: only a reference to it makes
   * the linker keep its object file, whose constructor registers it. */
  if (pk_app_get_resource () == NULL)
    g_error ("The application resources are missing from this build");
}

void
pk_style_follow_settings (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* Loaded here rather than as AdwApplication's automatic style.css,
   * so that tests and the screenshot tool, which have no application,
   * look the same as the kiosk. */
  pk_style_ensure_resources ();
  if (kiosk_provider == NULL && gdk_display_get_default () != NULL)
    {
      kiosk_provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (kiosk_provider, RESOURCE_PREFIX "/kiosk.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (kiosk_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  /* Held for the life of the process: the style must keep following
   * the key even when the caller drops its reference. */
  if (followed_settings != NULL)
    {
      g_signal_handlers_disconnect_by_func (followed_settings, pk_style_apply, NULL);
      g_clear_object (&followed_settings);
    }
  followed_settings = g_object_ref (settings);
  g_signal_connect (settings, "changed::style", G_CALLBACK (pk_style_apply), NULL);
  pk_style_apply (settings);
}
