/* pk-application.c: the kiosk application and its command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "pk-about.h"
#include "pk-application.h"
#include "pk-cli.h"
#include "pk-coordinator-window.h"
#include "pk-data-dirs.h"
#include "pk-pinned-coordinator.h"
#include "pk-startup-problem.h"
#include "pk-store-problem-window.h"
#include "pk-style.h"
#include "pk-window.h"

struct _PkApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  char           *petition_path;
  gboolean        windowed;
  /* --coordinator: the coordinator's window instead of the kiosk, on the
   * master given by --db, with --key. */
  gboolean        coordinator;
  char           *key_path;

  GSettings      *settings;
  PkStore        *store;
  PkPetition     *petition;
  /* When the database could not be opened: where it is and why. */
  char           *store_path;
  GError         *store_error;
};

G_DEFINE_FINAL_TYPE (PkApplication, pk_application, ADW_TYPE_APPLICATION)

/* Only the pinned coordinator's petition file is used (see
 * pk-pinned-coordinator.h); a refused one is dropped. */
static gboolean
pk_application_accept_petition (PkApplication  *self,
                                GError        **error)
{
  if (self->store == NULL || pk_pinned_coordinator_accept (self->store, self->petition, error))
    return TRUE;
  g_clear_object (&self->petition);
  return FALSE;
}

/* Opens the database and the petition before the application registers.
 * A bad petition file given on the command line ends the process with a
 * message naming the line or key and exit status 1. A database that
 * cannot be opened does not: the kiosk then shows a screen that explains
 * it (see PkStoreProblemWindow), since it usually starts unattended. */
static gboolean
pk_application_load (PkApplication *self,
                     GError       **error)
{
  g_autofree char *petition_path = NULL;
  g_autoptr(GError) local_error = NULL;

  self->store_path = self->db_path ? g_strdup (self->db_path) : pk_store_default_path ();
  self->store = pk_store_open (self->store_path, &self->store_error);
  if (self->store == NULL)
    g_printerr ("petition-kiosk: %s\n", self->store_error->message);

  if (self->petition_path != NULL)
    {
      self->petition = pk_petition_new_from_file (self->petition_path, error);
      if (self->petition == NULL)
        return FALSE;
      if (!pk_application_accept_petition (self, error))
        return FALSE;
      petition_path = g_canonicalize_filename (self->petition_path, NULL);
      g_settings_set_string (self->settings, "last-petition", petition_path);
      return TRUE;
    }

  /* Without --petition the kiosk resumes the one it had last. If that
   * file is gone or broken it still starts, and admin asks for one. */
  petition_path = g_settings_get_string (self->settings, "last-petition");
  if (petition_path[0] != '\0')
    {
      self->petition = pk_petition_new_from_file (petition_path, &local_error);
      if (self->petition != NULL)
        pk_application_accept_petition (self, &local_error);
      if (local_error != NULL)
        g_warning ("Cannot open the last petition %s: %s", petition_path, local_error->message);
    }

  return TRUE;
}

static int
pk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PkApplication *self = PK_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) remaining = NULL;

  if (g_variant_dict_contains (options, "version"))
    return pk_cli_print_version ();

  /* A word that is no option: a mistyped or misplaced command, never a
   * file to open (the kiosk opens none). */
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining) &&
      remaining[0] != NULL)
    return pk_cli_unknown_command (remaining[0]);

  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_variant_dict_lookup (options, "petition", "^ay", &self->petition_path);
  self->windowed = g_variant_dict_contains (options, "windowed");
  self->coordinator = g_variant_dict_contains (options, "coordinator");
  g_variant_dict_lookup (options, "key", "^ay", &self->key_path);

  /* The coordinator's master may be on a PostgreSQL server, under the
   * same rules as the commands' (docs/scale.md); the kiosk keeps its
   * database in a file. */
  if (self->db_path != NULL &&
      !(self->coordinator ? pk_store_check_master_location (self->db_path, &error)
                          : pk_store_location_is_supported (self->db_path, &error)))
    {
      g_printerr ("petition-kiosk: --db: %s\n", error->message);
      return PK_EXIT_USAGE;
    }

  /* The coordinator works on a master chosen in the window: no kiosk
   * database is opened, or created, on the coordinator's computer. Its
   * window is a program of its own: started while a kiosk runs on the
   * same desktop, it must open, not bring the kiosk to the front. */
  if (self->coordinator)
    {
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
      return -1;
    }

  /* A broken installation, not a bad file: the kiosk cannot show a
   * signer a screen in one language only, nor run without its settings. */
  if (!pk_data_dirs_check_translations (&error))
    return pk_startup_problem_show (error);
  self->settings = pk_data_dirs_new_settings (&error);
  if (self->settings == NULL)
    return pk_startup_problem_show (error);

  /* One kiosk a desktop: a second launch brings the running one to the
   * front, which keeps its own petition and database, and says so
   * rather than seeming to have opened what was asked for. This comes
   * before the store: the second launch creates or touches no database. */
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("petition-kiosk: %s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    {
      g_printerr ("%s\n", _("petition-kiosk: a kiosk is already open on this desktop. "
                             "It was brought to the front and keeps its own petition and database."));
      g_application_activate (app);
      return 0;
    }

  if (!pk_application_load (self, &error))
    {
      g_printerr ("petition-kiosk: %s\n", error->message);
      return 1;
    }

  return -1;
}

static void
pk_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = user_data;

  g_assert (GTK_IS_APPLICATION (app));

  pk_show_about (gtk_application_get_active_window (app));
}

/* app.about: offered from admin only, since the About window's links
 * open a web browser. */
static const GActionEntry app_actions[] = {
  { "about", pk_application_about, NULL, NULL, NULL, { 0 } },
};

static void
pk_application_startup (GApplication *app)
{
  PkApplication *self = PK_APPLICATION (app);

  G_APPLICATION_CLASS (pk_application_parent_class)->startup (app);

  /* The application icon (About, the window list) from the build tree or
   * a moved installation, which the icon theme does not search. */
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  pk_data_dirs_get_icondir ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  if (self->settings != NULL)
    pk_style_follow_settings (self->settings);
}

static GtkWindow *
pk_application_new_kiosk_window (PkApplication *self)
{
  GtkWindow *window = GTK_WINDOW (pk_window_new (GTK_APPLICATION (self), self->store,
                                                 self->petition, self->settings));

  if (!self->windowed)
    gtk_window_fullscreen (window);
  return window;
}

static void
on_store_opened (PkStoreProblemWindow *problem,
                 PkStore              *store,
                 PkApplication        *self)
{
  GtkWindow *window;

  g_set_object (&self->store, store);
  g_clear_error (&self->store_error);

  /* The kiosk window first, so that the application never runs out of
   * windows and quits in between. */
  window = pk_application_new_kiosk_window (self);
  gtk_window_present (window);
  gtk_window_destroy (GTK_WINDOW (problem));
}

static void
pk_application_activate (GApplication *app)
{
  PkApplication *self = PK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && self->coordinator)
    window = GTK_WINDOW (pk_coordinator_window_new (GTK_APPLICATION (app), self->db_path, self->key_path));

  if (window == NULL && self->store == NULL && self->store_error != NULL)
    {
      window = GTK_WINDOW (pk_store_problem_window_new (GTK_APPLICATION (app), self->store_path,
                                                        self->store_error));
      g_signal_connect_object (window, "opened", G_CALLBACK (on_store_opened), self, 0);
      if (!self->windowed)
        gtk_window_fullscreen (window);
    }

  if (window == NULL)
    {
      /* Activated remotely by a second launch: this instance was started
       * with its own options and store. */
      if (self->store == NULL)
        return;

      window = pk_application_new_kiosk_window (self);
    }

  gtk_window_present (window);
}

static void
pk_application_finalize (GObject *object)
{
  PkApplication *self = PK_APPLICATION (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->petition_path, g_free);
  g_clear_pointer (&self->key_path, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->petition);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (pk_application_parent_class)->finalize (object);
}

static void
pk_application_class_init (PkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pk_application_finalize;

  app_class->handle_local_options = pk_application_handle_local_options;
  app_class->startup = pk_application_startup;
  app_class->activate = pk_application_activate;
}

static const GOptionEntry options[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The kiosk database (default: in the XDG data folder)"), N_("FILE") },
  { "petition", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The petition file to collect signatures for"), N_("FILE") },
  { "windowed", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run in a window instead of full screen"), NULL },
  { "coordinator", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the coordinator's window: verify, merge and export batch files (--db is the master: a file "
       "or a postgresql:// address, docs/scale.md)"), NULL },
  { "key", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --coordinator: the coordinator secret key file"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

static void
pk_application_init (PkApplication *self)
{
  g_autofree char *description = pk_cli_describe ();

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COMMAND]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A signing kiosk for petitions. Without a command, opens the kiosk."));
  g_application_set_option_context_description (G_APPLICATION (self), description);
}

PkApplication *
pk_application_new (void)
{
  return g_object_new (PK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
