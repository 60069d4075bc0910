/* pk-osdi.c: OSDI "record signature" request bodies and replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reply side treats the server as untrusted: replies are bounded in
 * size, parsed without assumptions about their shape, and an error
 * message taken from them is cut short and stripped of control
 * characters before anyone shows it.
 */
#define G_LOG_DOMAIN "pk-osdi"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-osdi.h"
#include "pk-osdi-person.h"

/* A server message shown to a coordinator needs no more than this. */
#define MAX_MESSAGE_CHARS 300

G_DEFINE_QUARK (pk-osdi-error-quark, pk_osdi_error)

static char *sanitize_message (const char *text,
                               gssize      length);

char *
pk_osdi_format_date (gint64 usec)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (date == NULL)
    return NULL;
  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_tag (GStrvBuilder *tags,
         const char   *kind,
         const char   *value)
{
  g_autofree char *tag = NULL;

  if (value == NULL || *value == '\0')
    return;
  tag = g_strconcat (kind, ":", value, NULL);
  g_strv_builder_add (tags, tag);
}

GStrv
pk_osdi_signature_tags (const PkSignature  *sig,
                        const PkOsdiOrigin *origin)
{
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  g_return_val_if_fail (sig != NULL, NULL);

  add_tag (tags, "kiosk", origin != NULL ? origin->kiosk_name : NULL);
  add_tag (tags, "event", origin != NULL ? origin->event : NULL);
  add_tag (tags, "source", pk_source_to_string (sig->source));
  return g_strv_builder_end (tags);
}

JsonNode *
pk_osdi_signature_new (const PkSignature  *sig,
                       const PkOsdiOrigin *origin)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *identifier = NULL;
  g_autofree char *action_date = NULL;
  g_auto(GStrv) tags = NULL;

  g_return_val_if_fail (sig != NULL, NULL);
  g_return_val_if_fail (sig->uuid != NULL, NULL);

  identifier = g_strconcat (PK_OSDI_IDENTIFIER_PREFIX, sig->uuid, NULL);
  action_date = pk_osdi_format_date (sig->signed_at);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "person");
  pk_osdi_person_add (builder, sig);

  json_builder_set_member_name (builder, "identifiers");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, identifier);
  json_builder_end_array (builder);

  if (action_date != NULL)
    {
      json_builder_set_member_name (builder, "action_date");
      json_builder_add_string_value (builder, action_date);
    }

  json_builder_set_member_name (builder, "origin_system");
  json_builder_add_string_value (builder, "Petition Kiosk");

  if (sig->fields[PK_FIELD_COMMENT] != NULL)
    {
      json_builder_set_member_name (builder, "comments");
      json_builder_add_string_value (builder, sig->fields[PK_FIELD_COMMENT]);
    }

  json_builder_set_member_name (builder, "add_tags");
  json_builder_begin_array (builder);
  tags = pk_osdi_signature_tags (sig, origin);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);

  /* Action Network's name for it; a plain "referrer_data" is ignored. */
  json_builder_set_member_name (builder, "action_network:referrer_data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "petition-kiosk");
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
pk_osdi_signature_to_data (const PkSignature  *sig,
                           const PkOsdiOrigin *origin,
                           gsize              *length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (sig != NULL, NULL);

  root = pk_osdi_signature_new (sig, origin);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

static JsonNode *
parse_bounded (const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (length == 0 || data == NULL)
    {
      g_set_error_literal (error, PK_OSDI_ERROR, PK_OSDI_ERROR_EMPTY,
                           _("The server sent an empty reply"));
      return NULL;
    }
  if (length > PK_OSDI_MAX_REPLY)
    {
      g_set_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_TOO_LARGE,
                   _("The server's reply is too large (more than %u KiB)"),
                   (guint) (PK_OSDI_MAX_REPLY / 1024));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib quotes the reply around the error, and may cut it in
       * the middle of a character: what is stored and shown must be
       * valid UTF-8, one line. */
      g_autofree char *detail = sanitize_message (local_error->message, -1);

      g_set_error (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NOT_JSON,
                   _("The server's reply is not valid JSON or was cut off: %s"),
                   detail != NULL ? detail : "");
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PK_OSDI_ERROR, PK_OSDI_ERROR_EMPTY,
                           _("The server sent an empty reply"));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static const char *
object_get_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
pk_osdi_parse_reply (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;

  root = parse_bounded (data, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NOT_JSON,
                           _("The server's reply is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "identifiers");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *identifiers = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (identifiers); i++)
        {
          JsonNode *element = json_array_get_element (identifiers, i);
          const char *identifier;

          if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE
              || json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          identifier = json_node_get_string (element);
          if (*identifier != '\0' && !g_str_has_prefix (identifier, PK_OSDI_IDENTIFIER_PREFIX))
            return g_strdup (identifier);
        }
    }

  node = json_object_get_member (object, "_links");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *self_link = json_object_get_member (json_node_get_object (node), "self");
      const char *href;

      if (self_link != NULL && JSON_NODE_HOLDS_OBJECT (self_link)
          && (href = object_get_string (json_node_get_object (self_link), "href")) != NULL
          && *href != '\0')
        return g_strdup (href);
    }

  g_set_error_literal (error, PK_OSDI_ERROR, PK_OSDI_ERROR_NO_ID,
                       _("The server's reply does not say which record it made"));
  return NULL;
}

/* One line of at most MAX_MESSAGE_CHARS valid UTF-8 characters, with
 * control characters (including newlines, and ESC of terminal escapes)
 * replaced by spaces. */
static char *
sanitize_message (const char *text,
                  gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (glong n = 0; *p != '\0' && n < MAX_MESSAGE_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      /* Bidi overrides and other format characters could disguise the
       * message, so they go too. */
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
pk_osdi_error_message (const char *data,
                       gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  const char *message = NULL;

  if (data == NULL || length == 0)
    return NULL;

  root = parse_bounded (data, length, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *errors;

      message = object_get_string (object, "error");
      if (message == NULL)
        message = object_get_string (object, "message");
      errors = json_object_get_member (object, "errors");
      if (message == NULL && errors != NULL && JSON_NODE_HOLDS_ARRAY (errors)
          && json_array_get_length (json_node_get_array (errors)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (errors), 0);

          if (JSON_NODE_HOLDS_OBJECT (first))
            message = object_get_string (json_node_get_object (first), "message");
          else if (JSON_NODE_TYPE (first) == JSON_NODE_VALUE
                   && json_node_get_value_type (first) == G_TYPE_STRING)
            message = json_node_get_string (first);
        }
      if (message != NULL)
        return sanitize_message (message, -1);
    }

  /* Not the JSON we know: a short plain-text body still says something,
   * an HTML page or a huge body does not. */
  if (length <= 1024 && memchr (data, '<', length) == NULL)
    return sanitize_message (data, (gssize) length);
  return NULL;
}
