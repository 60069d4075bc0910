/* pk-about.c: the About window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-about"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pk-about.h"

/* Placeholders until the project has a public home; the metainfo file
 * (data/…metainfo.xml.in) uses the same addresses, keep them in step. */
#define PK_WEBSITE   "https://example.org/petition-kiosk"
#define PK_ISSUE_URL "https://example.org/petition-kiosk/issues"

/**
 * pk_show_about:
 * @parent: (nullable): the window the About window belongs to
 *
 * Shows the About window: version, licence, credits and links. It is
 * modal to @parent and destroys itself when closed, so the caller keeps
 * no reference. On a kiosk, call this only from admin: the links open a
 * web browser.
 */
void
pk_show_about (GtkWindow *parent)
{
  const char *developers[] = {
    "Petition Kiosk contributors",
    NULL
  };
  const char *designers[] = {
    "Petition Kiosk contributors",
    NULL
  };
  GtkWidget *about;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  about = adw_about_window_new ();
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Petition Kiosk"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), "Petition Kiosk contributors");
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Collect petition signatures at a stall, by hand on a touchscreen"));
  adw_about_window_set_website (ADW_ABOUT_WINDOW (about), PK_WEBSITE);
  adw_about_window_set_issue_url (ADW_ABOUT_WINDOW (about), PK_ISSUE_URL);
  adw_about_window_set_copyright (ADW_ABOUT_WINDOW (about), "© 2026 Petition Kiosk contributors");
  /* GTK_LICENSE_GPL_3_0 is "version 3 or later", matching SPDX
   * GPL-3.0-or-later in meson.build and the metainfo. */
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_designers (ADW_ABOUT_WINDOW (about), designers);
  /* Translators: put your names here, one per line, to be credited in
   * the About window. Left untranslated, no credit is shown rather than
   * the key itself. */
  if (g_strcmp0 (_("translator-credits"), "translator-credits") != 0)
    adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about),
                                                _("Built on"),
                                                (const char *[]) {
                                                  "GTK https://gtk.org",
                                                  "libadwaita https://gnome.pages.gitlab.gnome.org/libadwaita/",
                                                  "SQLite https://sqlite.org",
                                                  "libsodium https://libsodium.org",
                                                  "libqrencode https://fukuchi.org/works/qrencode/",
                                                  NULL
                                                });

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (about), parent);
      gtk_window_set_modal (GTK_WINDOW (about), TRUE);
    }

  gtk_window_present (GTK_WINDOW (about));
}
