/* pk-sync-token.c: where sync may send, and the API token file it reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept apart from the syncer: both run before any connection is made,
 * and the CLI calls them on their own.
 */
#define G_LOG_DOMAIN "pk-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-sync.h"

/* An API token is one short line; a larger file is not a token file. */
#define MAX_TOKEN_BYTES     4096

gboolean
pk_sync_check_endpoint (const char  *endpoint,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (endpoint != NULL, FALSE);

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_ENDPOINT,
                   _("“%s” is not a valid URL"), endpoint);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, PK_SYNC_ERROR, PK_SYNC_ERROR_ENDPOINT,
                           _("The endpoint URL must not contain a user name or password; "
                             "the API token is given separately"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_ENDPOINT,
                   _("The endpoint must be an https:// URL, not %s://"), scheme);
      return FALSE;
    }

  /* Plain http only where the token cannot leave this machine. */
  address = g_inet_address_new_from_string (host);
  if (g_ascii_strcasecmp (host, "localhost") == 0
      || (address != NULL && g_inet_address_get_is_loopback (address)))
    return TRUE;

  g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_ENDPOINT,
               _("Refusing unencrypted http:// to %s: the API token and the signers’ "
                 "details would cross the network in the clear. Use https://."), host);
  return FALSE;
}

char *
pk_sync_read_token_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize length = 0;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  /* O_NOFOLLOW | fstat: the mode checked is the mode of the file read. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("Cannot open the token file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("The token file %s is not a regular file"), path);
      return NULL;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      close (fd);
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("Other users of this computer can read the token file %s. In the file’s Properties, "
                     "under Permissions, give access to you only, then sync again."),
                   path);
      return NULL;
    }
  if (st.st_size > MAX_TOKEN_BYTES)
    {
      close (fd);
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("The token file %s is too large to hold an API token"), path);
      return NULL;
    }
  contents = g_malloc0 (MAX_TOKEN_BYTES + 1);
  ok = TRUE;
  while (length < MAX_TOKEN_BYTES)
    {
      gssize n = read (fd, contents + length, MAX_TOKEN_BYTES - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);
  if (!ok)
    {
      sodium_memzero (contents, MAX_TOKEN_BYTES + 1);
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("Cannot read the token file %s"), path);
      return NULL;
    }

  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, PK_SYNC_ERROR, PK_SYNC_ERROR_TOKEN_FILE,
                   _("The token file %s is empty"), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}
