/* pk-startup-problem.c: telling why the kiosk cannot start at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-startup-problem"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pk-language.h"
#include "pk-startup-problem.h"

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GMainLoop        *loop)
{
  g_main_loop_quit (loop);
}

int
pk_startup_problem_show (const GError *error)
{
  g_autoptr(GMainLoop) loop = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (error != NULL, 1);

  g_printerr ("petition-kiosk: %s\n", error->message);

  /* Runs before GtkApplication's start-up, which would need the very
   * settings that are missing. */
  if (!gtk_init_check ())
    return 1;
  adw_init ();

  loop = g_main_loop_new (NULL, FALSE);
  dialog = adw_message_dialog_new (NULL, _("Petition Kiosk Cannot Start"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), loop);
  /* Korean lines then break between words, as on every other screen. */
  pk_language_tag_labels (dialog, pk_language_from_environment ());
  gtk_window_present (GTK_WINDOW (dialog));
  /* The dialog closes, and is destroyed, by itself once answered. */
  g_main_loop_run (loop);
  return 1;
}
