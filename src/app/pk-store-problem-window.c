/* pk-store-problem-window.c: what the kiosk shows when its database
 * cannot be opened at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk usually starts by itself at login. Exiting with a message on
 * stderr would leave volunteers in front of an empty desktop, so the
 * problem is explained on screen instead.
 */
#define G_LOG_DOMAIN "pk-store-problem-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pk-store-problem-window.h"

struct _PkStoreProblemWindow
{
  AdwApplicationWindow parent_instance;

  char      *path;
  GError    *error;

  GtkWidget *status_page;
  GtkWidget *detail_label;
  GtkWidget *primary_button;
};

G_DEFINE_FINAL_TYPE (PkStoreProblemWindow, pk_store_problem_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
pk_store_problem_window_is_damaged (PkStoreProblemWindow *self)
{
  return g_error_matches (self->error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
}

static void
pk_store_problem_window_update (PkStoreProblemWindow *self)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (self->status_page);
  g_autofree char *description = NULL;

  if (pk_store_problem_window_is_damaged (self))
    {
      adw_status_page_set_title (page, _("The signature database is damaged"));
      description = g_strdup_printf (_("Petition Kiosk cannot read %s. Nothing has been changed. "
                                       "Moving it aside keeps the damaged file, renamed, next to a new "
                                       "and empty database, so that the signatures in it can still be "
                                       "recovered later."),
                                     self->path);
      gtk_button_set_label (GTK_BUTTON (self->primary_button), _("Move Aside and Start a New Database"));
    }
  else if (g_error_matches (self->error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY))
    {
      adw_status_page_set_title (page, _("The signature database cannot be written"));
      description = g_strdup_printf (_("%s is on a disk that cannot be written to, for example a "
                                       "write-protected USB stick, so no signature could be saved. "
                                       "Make the disk writable, then try again."),
                                     self->path);
      gtk_button_set_label (GTK_BUTTON (self->primary_button), _("Try Again"));
    }
  else if (g_error_matches (self->error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION))
    {
      adw_status_page_set_title (page, _("This database is from a newer Petition Kiosk"));
      description = g_strdup_printf (_("%s was made by a newer version of Petition Kiosk. Nothing has "
                                       "been changed. Install that version to use it."),
                                     self->path);
      gtk_button_set_label (GTK_BUTTON (self->primary_button), _("Try Again"));
    }
  else
    {
      adw_status_page_set_title (page, _("The signature database cannot be opened"));
      description = g_strdup_printf (_("Petition Kiosk cannot open %s. Nothing has been changed. "
                                       "Please ask a volunteer for help."),
                                     self->path);
      gtk_button_set_label (GTK_BUTTON (self->primary_button), _("Try Again"));
    }

  adw_status_page_set_description (page, description);
  gtk_label_set_label (GTK_LABEL (self->detail_label), self->error->message);
}

static void
pk_store_problem_window_set_error (PkStoreProblemWindow *self,
                                   const GError         *error)
{
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  pk_store_problem_window_update (self);
}

static gboolean
pk_store_problem_window_open (PkStoreProblemWindow *self)
{
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = pk_store_open (self->path, &error);
  if (store == NULL)
    {
      pk_store_problem_window_set_error (self, error);
      return FALSE;
    }

  g_signal_emit (self, signals[OPENED], 0, store);
  return TRUE;
}

gboolean
pk_store_problem_window_retry (PkStoreProblemWindow *self)
{
  g_return_val_if_fail (PK_IS_STORE_PROBLEM_WINDOW (self), FALSE);

  return pk_store_problem_window_open (self);
}

/* Renames @from to @to when it exists. */
static gboolean
pk_store_problem_window_rename (const char  *from,
                                const char  *to,
                                GError     **error)
{
  int saved_errno;

  if (g_rename (from, to) == 0)
    return TRUE;

  saved_errno = errno;
  if (saved_errno == ENOENT)
    return TRUE;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot rename %s: %s"), from, g_strerror (saved_errno));
  return FALSE;
}

gboolean
pk_store_problem_window_move_aside (PkStoreProblemWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", self->path, stamp);
  g_autoptr(GError) error = NULL;
  /* The journal files travel with the database, under the names SQLite
   * expects beside the new one, so a recovery tool sees the same state. */
  const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  g_return_val_if_fail (PK_IS_STORE_PROBLEM_WINDOW (self), FALSE);

  if (!pk_store_problem_window_is_damaged (self))
    return FALSE;

  if (!pk_store_problem_window_rename (self->path, aside, &error))
    {
      pk_store_problem_window_set_error (self, error);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (!pk_store_problem_window_rename (from, to, &error))
        {
          pk_store_problem_window_set_error (self, error);
          return FALSE;
        }
    }

  g_message ("Moved the damaged database %s aside to %s", self->path, aside);
  return pk_store_problem_window_open (self);
}

static void
on_primary_clicked (PkStoreProblemWindow *self)
{
  if (pk_store_problem_window_is_damaged (self))
    pk_store_problem_window_move_aside (self);
  else
    pk_store_problem_window_retry (self);
}

static void
pk_store_problem_window_finalize (GObject *object)
{
  PkStoreProblemWindow *self = PK_STORE_PROBLEM_WINDOW (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pk_store_problem_window_parent_class)->finalize (object);
}

static void
pk_store_problem_window_class_init (PkStoreProblemWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pk_store_problem_window_finalize;

  signals[OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PK_TYPE_STORE);
}

static void
pk_store_problem_window_init (PkStoreProblemWindow *self)
{
  GtkWidget *box;
  GtkWidget *quit_button;

  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);
  gtk_window_set_title (GTK_WINDOW (self), _("Petition Kiosk"));

  self->status_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status_page), "dialog-warning-symbolic");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  self->detail_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->detail_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->detail_label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (self->detail_label), 60);
  gtk_widget_add_css_class (self->detail_label, "dim-label");
  gtk_box_append (GTK_BOX (box), self->detail_label);

  self->primary_button = gtk_button_new ();
  gtk_widget_add_css_class (self->primary_button, "suggested-action");
  gtk_widget_add_css_class (self->primary_button, "pill");
  gtk_widget_add_css_class (self->primary_button, "kiosk-button");
  g_signal_connect_object (self->primary_button, "clicked",
                           G_CALLBACK (on_primary_clicked), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->primary_button);

  quit_button = gtk_button_new_with_label (_("Quit"));
  gtk_widget_add_css_class (quit_button, "pill");
  gtk_widget_add_css_class (quit_button, "kiosk-button");
  g_signal_connect_object (quit_button, "clicked",
                           G_CALLBACK (gtk_window_destroy), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), quit_button);

  adw_status_page_set_child (ADW_STATUS_PAGE (self->status_page), box);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->status_page);
}

GtkWidget *
pk_store_problem_window_new (GtkApplication *application,
                             const char     *path,
                             const GError   *error)
{
  PkStoreProblemWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (PK_TYPE_STORE_PROBLEM_WINDOW, "application", application, NULL);
  self->path = g_strdup (path);
  pk_store_problem_window_set_error (self, error);

  return GTK_WIDGET (self);
}
