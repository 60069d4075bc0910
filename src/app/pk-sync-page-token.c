/* pk-sync-page-token.c: the Sync page's API token, in the keyring or a
 * 0600 file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token is written to the keyring and the entry cleared at once: it
 * is never shown again, and any copy this page holds is wiped as soon
 * as the syncer has its own. Without a session keyring (a kiosk without
 * a desktop session) the token file that `sync` reads is used instead.
 */
#define G_LOG_DOMAIN "pk-sync-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>

#include "pk-sync-page-private.h"
#include "pk-sync.h"

static const SecretSchema *
pk_sync_token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.petitionkiosk.PetitionKiosk.SyncToken", SECRET_SCHEMA_NONE,
    {
      { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    }
  };
  return &schema;
}

/* Without a session bus libsecret would try to start one; a kiosk
 * without a keyring uses the 0600 token file instead. */
static gboolean
keyring_available (void)
{
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
}

static char *
token_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "petition-kiosk", "sync-token", NULL);
}

/* Reads the token file, if there is one. A file others can read is
 * refused, as `sync` refuses it; the page then says what to do in words
 * a coordinator at a desktop follows, where `sync` names the command. */
static char *
read_token_file_if_present (GError **error)
{
  g_autofree char *path = token_file_path ();
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  char *token;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  token = pk_sync_read_token_file (path, &local_error);
  if (token != NULL)
    return token;
  if (g_error_matches (local_error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE)
      && g_stat (path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                 _("Other users of this computer can read the token file %s. In the file’s Properties, "
                   "under Permissions, give access to you only, then sync again."), path);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PkSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (self->disposed)
    {
      secret_password_free (token);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _pk_sync_page_run_finished (self);
      return;
    }
  if (token == NULL)
    {
      g_autoptr(GError) file_error = NULL;
      g_autofree char *from_file = read_token_file_if_present (&file_error);

      if (file_error != NULL)
        {
          _pk_sync_page_run_finished (self);
          _pk_sync_page_show_error (self, file_error->message);
          return;
        }
      _pk_sync_page_start_with_token (self, from_file);
      if (from_file != NULL)
        sodium_memzero (from_file, strlen (from_file));
      return;
    }
  _pk_sync_page_start_with_token (self, token);
  secret_password_free (token);
}

/* Finds the token for @endpoint, in the keyring or else in the token
 * file, and starts the run with it. */
void
_pk_sync_page_find_token (PkSyncPage *self,
                          const char *endpoint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (keyring_available ())
    {
      secret_password_lookup (pk_sync_token_schema (), self->cancellable, lookup_cb,
                              g_object_ref (self), "endpoint", endpoint, NULL);
      return;
    }
  token = read_token_file_if_present (&error);
  if (error != NULL)
    {
      _pk_sync_page_run_finished (self);
      _pk_sync_page_show_error (self, error->message);
      return;
    }
  _pk_sync_page_start_with_token (self, token);
  if (token != NULL)
    sodium_memzero (token, strlen (token));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PkSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = secret_password_store_finish (result, &error);

  if (self->disposed)
    return;
  if (!ok)
    {
      g_autofree char *path = token_file_path ();
      g_autofree char *message =
        g_strdup_printf (_("Cannot save the token in the keyring (%s). Without a keyring, put it in "
                           "%s, and in the file’s Properties, under Permissions, give access to you only."),
                         error->message, path);
      _pk_sync_page_show_error (self, message);
      return;
    }
  _pk_sync_page_set_token_saved (self, TRUE);
  _pk_sync_page_show_error (self, NULL);
}

void
_pk_sync_page_token_apply (PkSyncPage *self)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);
  g_autofree char *token = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
  g_autoptr(GError) error = NULL;

  /* Gone from the entry at once, whatever happens next. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  g_strstrip (token);

  if (endpoint == NULL || !pk_sync_check_endpoint (endpoint, &error))
    {
      _pk_sync_page_endpoint_error (self, error != NULL ? error->message
                                                        : _("Enter the petition’s endpoint URL first."));
      sodium_memzero (token, strlen (token));
      return;
    }
  if (*token == '\0')
    return;
  if (!keyring_available ())
    {
      g_autofree char *path = token_file_path ();
      g_autofree char *message =
        g_strdup_printf (_("There is no keyring in this session. Put the token in %s, and in the "
                           "file’s Properties, under Permissions, give access to you only."), path);
      _pk_sync_page_show_error (self, message);
      sodium_memzero (token, strlen (token));
      return;
    }

  secret_password_store (pk_sync_token_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Petition Kiosk: OSDI API token"), token, NULL, store_cb,
                         g_object_ref (self), "endpoint", endpoint, NULL);
  sodium_memzero (token, strlen (token));
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PkSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (self->disposed)
    return;
  if (error != NULL)
    _pk_sync_page_show_error (self, error->message);
  else
    _pk_sync_page_set_token_saved (self, FALSE);
}

void
_pk_sync_page_forget_token (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PkSyncPage *self = PK_SYNC_PAGE (widget);
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);

  if (endpoint == NULL || !keyring_available ())
    return;
  secret_password_clear (pk_sync_token_schema (), NULL, clear_cb, g_object_ref (self),
                         "endpoint", endpoint, NULL);
}

/* Whether a token is saved shows in the status row; the token itself is
 * looked up only to be wiped right away. */
static void
check_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PkSyncPage) self = user_data;
  char *token = secret_password_lookup_finish (result, NULL);
  gboolean saved = token != NULL;

  secret_password_free (token);
  if (!self->disposed)
    _pk_sync_page_set_token_saved (self, saved);
}

void
_pk_sync_page_check_saved_token (PkSyncPage *self)
{
  g_autofree char *endpoint = _pk_sync_page_get_endpoint (self);

  if (endpoint == NULL || !keyring_available ())
    {
      _pk_sync_page_set_token_saved (self, FALSE);
      return;
    }
  secret_password_lookup (pk_sync_token_schema (), NULL, check_saved_cb, g_object_ref (self),
                          "endpoint", endpoint, NULL);
}

