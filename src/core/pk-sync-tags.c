/* pk-sync-tags.c: the tags an Action Network group has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Action Network ignores, without a word, every tag of add_tags that
 * the group does not have (record signature helper, v2). Sync reads the
 * group's tags once a run so that it can name the missing ones.
 */
#define G_LOG_DOMAIN "pk-sync-tags"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "pk-osdi.h"
#include "pk-sync-tags.h"

/* 25 tags a page: a group with more than 2,500 tags is not checked
 * further, rather than read for minutes. */
#define MAX_PAGES 100

typedef struct {
  SoupSession *session;
  char        *token;
  GHashTable  *names;
  guint        pages;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->session);
  sodium_memzero (fetch->token, strlen (fetch->token));
  g_free (fetch->token);
  g_clear_pointer (&fetch->names, g_hash_table_unref);
  g_free (fetch);
}

GUri *
pk_sync_tags_uri (GUri *endpoint)
{
  const char *path = g_uri_get_path (endpoint);
  const char *at = strstr (path, "/petitions/");
  g_autofree char *root = NULL;
  g_autofree char *tags_path = NULL;

  if (at == NULL || !g_str_has_suffix (path, "/signatures"))
    return NULL;
  root = g_strndup (path, at - path);
  tags_path = g_strconcat (root, "/tags", NULL);
  return g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (endpoint), NULL,
                      g_uri_get_host (endpoint), g_uri_get_port (endpoint), tags_path, NULL, NULL);
}

static void fetch_page (GTask *task,
                        GUri  *uri);

/* Adds the page's tag names; returns the next page's address, or NULL. */
static char *
read_page (Fetch   *fetch,
           GBytes  *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root, *embedded, *links, *next;
  JsonArray *tags;

  if (g_bytes_get_size (body) > PK_OSDI_MAX_REPLY
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "_embedded")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "_embedded"))
      && (embedded = json_object_get_object_member (root, "_embedded")) != NULL
      && json_object_has_member (embedded, "osdi:tags")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (embedded, "osdi:tags")))
    {
      tags = json_object_get_array_member (embedded, "osdi:tags");
      for (guint i = 0; i < json_array_get_length (tags); i++)
        {
          JsonNode *tag = json_array_get_element (tags, i);
          JsonNode *name;

          if (JSON_NODE_HOLDS_OBJECT (tag)
              && (name = json_object_get_member (json_node_get_object (tag), "name")) != NULL
              && JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING)
            g_hash_table_add (fetch->names, g_strdup (json_node_get_string (name)));
        }
    }
  if (!json_object_has_member (root, "_links")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "_links"))
      || (links = json_object_get_object_member (root, "_links")) == NULL
      || !json_object_has_member (links, "next")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (links, "next"))
      || (next = json_object_get_object_member (links, "next")) == NULL
      || !json_object_has_member (next, "href")
      || json_node_get_value_type (json_object_get_member (next, "href")) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_object_get_string_member (next, "href"));
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *next = NULL;
  g_autoptr(GUri) next_uri = NULL;
  guint status;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The tags could not be read (HTTP %u)"), status);
      return;
    }
  next = read_page (fetch, body);
  /* Only pages of the same server: the token goes nowhere else. */
  if (next != NULL && ++fetch->pages < MAX_PAGES
      && (next_uri = g_uri_parse (next, G_URI_FLAGS_ENCODED, NULL)) != NULL
      && g_strcmp0 (g_uri_get_host (next_uri), g_uri_get_host (soup_message_get_uri (message))) == 0
      && g_strcmp0 (g_uri_get_scheme (next_uri), g_uri_get_scheme (soup_message_get_uri (message))) == 0
      && g_uri_get_port (next_uri) == g_uri_get_port (soup_message_get_uri (message)))
    {
      fetch_page (g_steal_pointer (&task), next_uri);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&fetch->names), (GDestroyNotify) g_hash_table_unref);
}

static void
fetch_page (GTask *task,
            GUri  *uri)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "OSDI-API-Token", fetch->token);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/hal+json, application/json");
  soup_session_send_and_read_async (fetch->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), page_cb, task);
}

void
pk_sync_tags_fetch_async (SoupSession         *session,
                          GUri                *uri,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (uri != NULL);

  g_task_set_source_tag (task, pk_sync_tags_fetch_async);
  fetch->session = g_object_ref (session);
  fetch->token = g_strdup (token);
  fetch->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch_page (task, uri);
}

GHashTable *
pk_sync_tags_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
