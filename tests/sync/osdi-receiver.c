/* osdi-receiver.c: an OSDI "record signature" receiver for tests and benches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It behaves like Action Network's POST /api/v2/petitions/{id}/signatures
 * helper as far as Petition Kiosk relies on it: it checks the
 * OSDI-API-Token header, stores each signature once per identifier (a
 * resend returns the record already made), and answers HAL+JSON whose
 * `identifiers` carry "action_network:<uuid>". On top it injects the faults
 * a real network shows, chosen by a seeded PRNG so that a run repeats:
 * 500s, 429 with Retry-After, connections closed mid-response AFTER the
 * signature was stored (the case that makes resending dangerous without
 * identifiers), slow replies, invalid JSON and huge replies.
 *
 * Where Action Network's documentation says what happens to the person
 * (docs/sync.md cites each page), it does the same:
 *  - people are matched by email, else phone; a person new to the list
 *    is subscribed to its emails whatever status is sent, an existing
 *    one only when "subscribed" is sent (record signature helper);
 *  - a person needs an email or a phone; one with neither is answered
 *    200 with an empty body, as reported of the real server, and stored
 *    nowhere;
 *  - add_tags names that are not tags of the group (--tags) are ignored;
 *    GET /api/v2/tags lists the group's tags (tags page);
 *  - 401 for a wrong token, 429 with Retry-After, 5xx.
 *
 * GET /stats answers the counts the tests compare against the store
 * (and span_us, the time from the first signature request to the last);
 * GET /records lists every stored record. SIGTERM or SIGINT stop it.
 * With --tls-cert it serves https, e.g. with a self-signed certificate
 * that a client must refuse.
 */
#define G_LOG_DOMAIN "osdi-receiver"

#include "config.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define HUGE_REPLY_SIZE (3 * 1024 * 1024)

typedef struct {
  char   *id;       /* the receiver's own uuid: "action_network:<id>" */
  char   *body;     /* the request body as received */
  char   *email;
} Record;

/* A person on the group's list, matched by email or phone. */
typedef struct {
  char     *email;
  char     *phone;
  gboolean  subscribed;
} Person;

typedef struct {
  /* configuration */
  char       *token;
  char       *reject_email;    /* answer 422 for this address */
  char       *reject_message;
  double      fail_rate;
  double      rate_429;
  int         retry_after;
  double      close_rate;
  double      slow_rate;
  int         slow_ms;
  double      invalid_json_rate;
  double      huge_rate;
  char       *empty_reply_email; /* answer 200 with an empty body for this address */
  gboolean    retry_after_date;  /* Retry-After as an HTTP date, not seconds */
  int         redirect;          /* answer every POST with this 3xx status */
  GHashTable *known_tags;        /* the group's tag names */

  GRand      *rand;
  GMainLoop  *loop;
  SoupServer *server;

  GHashTable *by_identifier;   /* identifier → Record (borrowed) */
  GPtrArray  *records;         /* owns Record */
  GHashTable *retry_deadline;  /* identifier → gint64 µs: monotonic, or real time for a date */
  GPtrArray  *people;          /* owns Person */

  guint64     requests;
  guint64     created;
  guint64     resent;
  guint64     unauthorized;
  guint64     rejected;
  guint64     bad_request;
  guint64     faults_500;
  guint64     faults_429;
  guint64     faults_close;
  guint64     faults_slow;
  guint64     faults_invalid_json;
  guint64     faults_huge;
  guint64     early_retries;
  guint64     no_contact;
  guint64     empty_replies;
  guint64     tags_applied;
  guint64     tags_ignored;
  guint64     redirected;
  guint64     followed;        /* requests that reached the redirect's target */
  gint64      first_request;   /* monotonic µs of the first signature POST */
  gint64      last_request;    /* and of the last */
} Receiver;

static void
record_free (Record *record)
{
  g_free (record->id);
  g_free (record->body);
  g_free (record->email);
  g_free (record);
}

static void
person_free (Person *person)
{
  g_free (person->email);
  g_free (person->phone);
  g_free (person);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, length);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  reply_json (msg, status, "application/json", builder);
}

static void
build_record (JsonBuilder  *builder,
              Record       *record,
              JsonArray    *identifiers)
{
  g_autofree char *an_id = g_strconcat ("action_network:", record->id, NULL);
  g_autofree char *href = g_strconcat ("http://127.0.0.1/api/v2/signatures/", record->id, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "identifiers");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, an_id);
  for (guint i = 0; identifiers != NULL && i < json_array_get_length (identifiers); i++)
    {
      const char *other = json_array_get_string_element (identifiers, i);
      if (other != NULL)
        json_builder_add_string_value (builder, other);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "_links");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "self");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "href");
  json_builder_add_string_value (builder, href);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* Writes the start of a 200 reply and closes the connection before the
 * body is complete, as a dropped mobile link or a dying proxy would. */
static void
close_mid_response (SoupServerMessage *msg)
{
  static const char partial[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/hal+json\r\n"
    "Content-Length: 4096\r\n"
    "\r\n"
    "{\"identifiers\": [\"action_netw";
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  GOutputStream *out;

  if (stream == NULL)
    return;
  out = g_io_stream_get_output_stream (stream);
  /* A write error here just means the client went away first. */
  g_output_stream_write_all (out, partial, strlen (partial), NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
handle_stats (Receiver          *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

#define MEMBER(name, value) \
  G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    json_builder_add_int_value (builder, (gint64) (value)); \
  } G_STMT_END

  json_builder_begin_object (builder);
  MEMBER ("distinct", g_hash_table_size (self->by_identifier));
  MEMBER ("records", self->records->len);
  MEMBER ("requests", self->requests);
  MEMBER ("created", self->created);
  MEMBER ("resent", self->resent);
  MEMBER ("unauthorized", self->unauthorized);
  MEMBER ("rejected", self->rejected);
  MEMBER ("bad_request", self->bad_request);
  MEMBER ("faults_500", self->faults_500);
  MEMBER ("faults_429", self->faults_429);
  MEMBER ("faults_close", self->faults_close);
  MEMBER ("faults_slow", self->faults_slow);
  MEMBER ("faults_invalid_json", self->faults_invalid_json);
  MEMBER ("faults_huge", self->faults_huge);
  MEMBER ("early_retries", self->early_retries);
  MEMBER ("no_contact", self->no_contact);
  MEMBER ("empty_replies", self->empty_replies);
  MEMBER ("tags_applied", self->tags_applied);
  MEMBER ("tags_ignored", self->tags_ignored);
  MEMBER ("redirected", self->redirected);
  MEMBER ("followed", self->followed);
  MEMBER ("people", self->people->len);
  MEMBER ("span_us", self->last_request - self->first_request);
  json_builder_end_object (builder);
#undef MEMBER

  reply_json (msg, SOUP_STATUS_OK, "application/json", builder);
}

static void
handle_records (Receiver          *self,
                SoupServerMessage *msg)
{
  GString *out = g_string_new ("[");

  /* The bodies are the exact bytes received, so tests see what was sent. */
  for (guint i = 0; i < self->records->len; i++)
    {
      Record *record = g_ptr_array_index (self->records, i);
      g_string_append_printf (out, "%s{\"id\":\"%s\",\"body\":%s}",
                              i > 0 ? "," : "", record->id, record->body);
    }
  g_string_append_c (out, ']');
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    out->str, out->len);
  g_string_free (out, FALSE);
}

/* GET /people: every person on the list, with their email status. */
static void
handle_people (Receiver          *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->people->len; i++)
    {
      Person *person = g_ptr_array_index (self->people, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, person->email);
      json_builder_set_member_name (builder, "phone");
      json_builder_add_string_value (builder, person->phone);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, person->subscribed ? "subscribed" : "unsubscribed");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  reply_json (msg, SOUP_STATUS_OK, "application/json", builder);
}

/* GET /api/v2/tags: the group's tags as an OSDI collection, one page. */
static void
handle_tags (Receiver          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer name;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total_pages");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "_embedded");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "osdi:tags");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->known_tags);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  reply_json (msg, SOUP_STATUS_OK, "application/hal+json", builder);
}

/* The first element's string member @member of person[@array], or NULL. */
static const char *
person_first (JsonObject *root,
              const char *array,
              const char *member)
{
  JsonObject *person;
  JsonArray *items;
  JsonNode *first;

  if (!json_object_has_member (root, "person")
      || (person = json_object_get_object_member (root, "person")) == NULL
      || !json_object_has_member (person, array)
      || (items = json_object_get_array_member (person, array)) == NULL
      || json_array_get_length (items) == 0)
    return NULL;
  first = json_array_get_element (items, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first)
      || !json_object_has_member (json_node_get_object (first), member))
    return NULL;
  return json_object_get_string_member (json_node_get_object (first), member);
}

/* The record signature helper's rules for the person: matched by email,
 * else phone; new to the list means subscribed to its emails whatever
 * was sent; an existing person changes only on "subscribed". */
static void
apply_person (Receiver   *self,
              JsonObject *root)
{
  const char *email = person_first (root, "email_addresses", "address");
  const char *status = person_first (root, "email_addresses", "status");
  const char *phone = person_first (root, "phone_numbers", "number");
  Person *person = NULL;

  for (guint i = 0; i < self->people->len && person == NULL; i++)
    {
      Person *known = g_ptr_array_index (self->people, i);

      if ((email != NULL && g_strcmp0 (known->email, email) == 0)
          || (email == NULL && phone != NULL && g_strcmp0 (known->phone, phone) == 0))
        person = known;
    }
  if (person == NULL)
    {
      person = g_new0 (Person, 1);
      person->email = g_strdup (email);
      person->phone = g_strdup (phone);
      person->subscribed = email != NULL;
      g_ptr_array_add (self->people, person);
      return;
    }
  if (email != NULL && g_strcmp0 (status, "subscribed") == 0)
    person->subscribed = TRUE;
}

/* Tags are matched by name to the group's; the others are ignored. */
static void
apply_tags (Receiver   *self,
            JsonObject *root)
{
  JsonArray *tags;

  if (!json_object_has_member (root, "add_tags")
      || (tags = json_object_get_array_member (root, "add_tags")) == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      const char *name = json_array_get_string_element (tags, i);

      if (name != NULL && g_hash_table_contains (self->known_tags, name))
        self->tags_applied++;
      else
        self->tags_ignored++;
    }
}

/* A 429's Retry-After, in seconds or as the HTTP date it ends at. The
 * deadline is kept in the same clock: a date has whole seconds only. */
static void
reply_too_many (Receiver          *self,
                SoupServerMessage *msg,
                const char        *identifier)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64 deadline;

  self->faults_429++;
  if (self->retry_after_date)
    {
      gint64 at = g_get_real_time () / G_USEC_PER_SEC + 1 + self->retry_after;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (at);
      g_autofree char *value = soup_date_time_to_string (when, SOUP_DATE_HTTP);

      deadline = at * G_USEC_PER_SEC;
      soup_message_headers_replace (headers, "Retry-After", value);
    }
  else
    {
      char value[32];

      deadline = g_get_monotonic_time () + (gint64) self->retry_after * G_USEC_PER_SEC;
      g_snprintf (value, sizeof value, "%d", self->retry_after);
      soup_message_headers_replace (headers, "Retry-After", value);
    }
  g_hash_table_replace (self->retry_deadline, g_strdup (identifier),
                        g_memdup2 (&deadline, sizeof deadline));
  reply_error (msg, 429, "Too many requests");
}

/* Draws one number per request, always, so the sequence of faults does
 * not depend on which branch an earlier request took. */
static gboolean
roll (Receiver *self,
      double    rate)
{
  return g_rand_double (self->rand) < rate;
}

static void
handle_signature (Receiver          *self,
                  SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *token = soup_message_headers_get_one (headers, "OSDI-API-Token");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonObject *root;
  JsonArray *identifiers;
  const char *email;
  Record *record = NULL;
  gboolean fail, too_many, close_it, slow, invalid, huge;

  fail = roll (self, self->fail_rate);
  too_many = roll (self, self->rate_429);
  close_it = roll (self, self->close_rate);
  slow = roll (self, self->slow_rate);
  invalid = roll (self, self->invalid_json_rate);
  huge = roll (self, self->huge_rate);

  self->requests++;
  /* How far apart a client spreads its requests: its rate limit. */
  self->last_request = g_get_monotonic_time ();
  if (self->first_request == 0)
    self->first_request = self->last_request;

  if (token == NULL || g_strcmp0 (token, self->token) != 0)
    {
      self->unauthorized++;
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "API Key invalid or not present");
      return;
    }

  body = soup_message_body_flatten (request);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      self->bad_request++;
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not a JSON object");
      return;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "identifiers")
      || (identifiers = json_object_get_array_member (root, "identifiers")) == NULL
      || json_array_get_length (identifiers) == 0
      || json_array_get_string_element (identifiers, 0) == NULL
      || !json_object_has_member (root, "person"))
    {
      self->bad_request++;
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "A signature needs a person and identifiers");
      return;
    }
  email = person_first (root, "email_addresses", "address");

  if (self->redirect != 0)
    {
      self->redirected++;
      soup_server_message_set_redirect (msg, (guint) self->redirect, "/elsewhere");
      return;
    }
  if (email == NULL && person_first (root, "phone_numbers", "number") == NULL)
    {
      /* Action Network needs one of them; it has been seen to answer
       * 200 with nothing in the body. */
      self->no_contact++;
      self->empty_replies++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  if (self->empty_reply_email != NULL && g_strcmp0 (email, self->empty_reply_email) == 0)
    {
      self->empty_replies++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }

  if (self->reject_email != NULL && g_strcmp0 (email, self->reject_email) == 0)
    {
      self->rejected++;
      reply_error (msg, 422, self->reject_message);
      return;
    }

  /* Faults that come before the signature is stored. */
  if (fail)
    {
      self->faults_500++;
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal server error");
      return;
    }
  if (too_many)
    {
      reply_too_many (self, msg, json_array_get_string_element (identifiers, 0));
      return;
    }

  for (guint i = 0; i < json_array_get_length (identifiers); i++)
    {
      const char *identifier = json_array_get_string_element (identifiers, i);
      gint64 *deadline;

      if (identifier == NULL)
        continue;
      deadline = g_hash_table_lookup (self->retry_deadline, identifier);
      if (deadline != NULL)
        {
          /* A client that ignores Retry-After shows up here. */
          if ((self->retry_after_date ? g_get_real_time () : g_get_monotonic_time ()) < *deadline)
            self->early_retries++;
          g_hash_table_remove (self->retry_deadline, identifier);
        }
      if (record == NULL)
        record = g_hash_table_lookup (self->by_identifier, identifier);
    }

  if (record != NULL)
    self->resent++;
  else
    {
      record = g_new0 (Record, 1);
      record->id = g_uuid_string_random ();
      record->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      record->email = g_strdup (email);
      g_ptr_array_add (self->records, record);
      self->created++;
      apply_person (self, root);
      apply_tags (self, root);
    }
  for (guint i = 0; i < json_array_get_length (identifiers); i++)
    {
      const char *identifier = json_array_get_string_element (identifiers, i);
      if (identifier != NULL && !g_hash_table_contains (self->by_identifier, identifier))
        g_hash_table_insert (self->by_identifier, g_strdup (identifier), record);
    }

  /* Faults that come after the signature is stored: the client cannot
   * tell whether it arrived, and must resend safely. */
  if (close_it)
    {
      self->faults_close++;
      close_mid_response (msg);
      return;
    }
  if (invalid)
    {
      static const char garbage[] = "<html><body>502 Bad Gateway</body></html>";

      self->faults_invalid_json++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/hal+json", SOUP_MEMORY_STATIC,
                                        garbage, strlen (garbage));
      return;
    }
  if (huge)
    {
      char *data = g_malloc (HUGE_REPLY_SIZE);

      self->faults_huge++;
      /* Valid JSON, just far too large to be a signature reply. */
      memset (data, ' ', HUGE_REPLY_SIZE);
      data[0] = '{';
      memcpy (data + 1, "\"x\":\"", 5);
      memset (data + 6, 'a', HUGE_REPLY_SIZE - 8);
      data[HUGE_REPLY_SIZE - 2] = '"';
      data[HUGE_REPLY_SIZE - 1] = '}';
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/hal+json", SOUP_MEMORY_TAKE,
                                        data, HUGE_REPLY_SIZE);
      return;
    }

  builder = json_builder_new ();
  build_record (builder, record, identifiers);
  reply_json (msg, SOUP_STATUS_OK, "application/hal+json", builder);

  if (slow)
    {
      self->faults_slow++;
      soup_server_message_pause (msg);
      g_timeout_add (self->slow_ms, unpause_cb, g_object_ref (msg));
    }
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Receiver *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  if (g_str_equal (path, "/stats") && g_str_equal (method, "GET"))
    handle_stats (self, msg);
  else if (g_str_equal (path, "/records") && g_str_equal (method, "GET"))
    handle_records (self, msg);
  else if (g_str_equal (path, "/people") && g_str_equal (method, "GET"))
    handle_people (self, msg);
  else if (g_str_equal (path, "/api/v2/tags") && g_str_equal (method, "GET"))
    {
      const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                        "OSDI-API-Token");

      if (g_strcmp0 (token, self->token) != 0)
        reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "API Key invalid or not present");
      else
        handle_tags (self, msg);
    }
  else if (g_str_equal (path, "/elsewhere"))
    {
      /* Where a redirect points: a client that follows it, with or
       * without the token, is counted here. */
      self->followed++;
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
    }
  /* "", "api", "v2", "petitions", id, "signatures" */
  else if (g_strv_length (parts) == 6 && g_str_equal (parts[1], "api")
           && g_str_equal (parts[2], "v2") && g_str_equal (parts[3], "petitions")
           && *parts[4] != '\0' && g_str_equal (parts[5], "signatures"))
    {
      if (!g_str_equal (method, "POST"))
        reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST");
      else
        handle_signature (self, msg);
    }
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
}

static gboolean
quit_cb (gpointer data)
{
  Receiver *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_rate (const char *name,
            double      value,
            GError    **error)
{
  if (value < 0.0 || value > 1.0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s must be between 0 and 1", name);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  Receiver self = { 0 };
  int port = 0;
  gint64 seed = 1;
  gboolean huge_reply = FALSE;
  g_autofree char *reject = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  SoupServerListenOptions listen_options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  guint sigterm_id, sigint_id;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 = any free port)", "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &self.token, "The API token to accept", "TOKEN" },
    { "reject-email", 0, 0, G_OPTION_ARG_STRING, &reject,
      "Answer 422 for this email address (ADDRESS or ADDRESS=MESSAGE)", "ADDRESS" },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &self.fail_rate, "Share of 500 replies", "F" },
    { "rate-429", 0, 0, G_OPTION_ARG_DOUBLE, &self.rate_429, "Share of 429 replies", "F" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &self.retry_after, "Retry-After seconds of a 429", "S" },
    { "close-rate", 0, 0, G_OPTION_ARG_DOUBLE, &self.close_rate,
      "Share of connections closed mid-response, after storing", "F" },
    { "slow-rate", 0, 0, G_OPTION_ARG_DOUBLE, &self.slow_rate, "Share of slow replies", "F" },
    { "slow-ms", 0, 0, G_OPTION_ARG_INT, &self.slow_ms, "Delay of a slow reply", "MS" },
    { "invalid-json-rate", 0, 0, G_OPTION_ARG_DOUBLE, &self.invalid_json_rate,
      "Share of 200 replies that are not JSON, after storing", "F" },
    { "huge-rate", 0, 0, G_OPTION_ARG_DOUBLE, &self.huge_rate,
      "Share of 200 replies of 3 MiB, after storing", "F" },
    { "huge-reply", 0, 0, G_OPTION_ARG_NONE, &huge_reply, "Every reply is huge (--huge-rate 1)", NULL },
    { "empty-reply-email", 0, 0, G_OPTION_ARG_STRING, &self.empty_reply_email,
      "Answer 200 with an empty body for this email address, storing nothing", "ADDRESS" },
    { "retry-after-date", 0, 0, G_OPTION_ARG_NONE, &self.retry_after_date,
      "Give Retry-After as an HTTP date", NULL },
    { "redirect", 0, 0, G_OPTION_ARG_INT, &self.redirect,
      "Answer every signature with this redirect status (e.g. 307, 308) to /elsewhere", "STATUS" },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &tags, "The group's tags, comma-separated", "NAMES" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve https with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's PEM private key", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the fault PRNG", "N" },
    { NULL }
  };

#ifdef __linux__
  /* A test that crashes must not leave its receiver running. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
  self.retry_after = 1;
  self.slow_ms = 200;
  context = g_option_context_new ("- OSDI test receiver");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !check_rate ("fail-rate", self.fail_rate, &error)
      || !check_rate ("rate-429", self.rate_429, &error)
      || !check_rate ("close-rate", self.close_rate, &error)
      || !check_rate ("slow-rate", self.slow_rate, &error)
      || !check_rate ("invalid-json-rate", self.invalid_json_rate, &error)
      || !check_rate ("huge-rate", self.huge_rate, &error))
    {
      g_printerr ("osdi-receiver: %s\n", error->message);
      return 2;
    }
  if (huge_reply)
    self.huge_rate = 1.0;
  if (self.token == NULL)
    self.token = g_strdup ("test-token");
  if (reject != NULL)
    {
      char *eq = strchr (reject, '=');
      if (eq != NULL)
        {
          *eq = '\0';
          self.reject_message = g_strdup (eq + 1);
        }
      else
        self.reject_message = g_strdup ("The email address is not accepted");
      self.reject_email = g_strdup (reject);
    }

  self.rand = g_rand_new_with_seed ((guint32) seed);
  self.by_identifier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  self.retry_deadline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self.people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  self.known_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (tags != NULL)
    {
      g_auto(GStrv) names = g_strsplit (tags, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        if (*names[i] != '\0')
          g_hash_table_add (self.known_tags, g_strdup (names[i]));
    }
  self.loop = g_main_loop_new (NULL, FALSE);
  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key != NULL ? tls_key : tls_cert,
                                                      &error);
      if (certificate == NULL)
        {
          g_printerr ("osdi-receiver: %s\n", error->message);
          return 1;
        }
      listen_options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  self.server = soup_server_new ("server-header", "osdi-receiver ",
                                 "tls-certificate", certificate, NULL);
  soup_server_add_handler (self.server, NULL, server_cb, &self, NULL);

  if (!soup_server_listen_local (self.server, (guint) port, listen_options, &error))
    {
      g_printerr ("osdi-receiver: cannot listen: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (self.server);
  /* The first line is the port, so a test can read it. */
  printf ("%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &self);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &self);
  g_main_loop_run (self.loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  soup_server_disconnect (self.server);
  g_object_unref (self.server);
  /* Let the closed connections finish tearing down before exit. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_loop_unref (self.loop);
  g_hash_table_unref (self.retry_deadline);
  g_hash_table_unref (self.known_tags);
  g_ptr_array_unref (self.people);
  g_free (self.empty_reply_email);
  g_hash_table_unref (self.by_identifier);
  g_ptr_array_unref (self.records);
  g_rand_free (self.rand);
  g_free (self.token);
  g_free (self.reject_email);
  g_free (self.reject_message);
  return 0;
}
