/* pk-osdi.h: OSDI "record signature" request bodies and replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pk-signature.h"

G_BEGIN_DECLS

/* Replies larger than this are refused: a signature's reply is a few
 * hundred bytes, so anything bigger is a misconfigured endpoint. */
#define PK_OSDI_MAX_REPLY (1024 * 1024)

/* The prefix of the identifier every signature carries, which lets the
 * server recognise a resend: "petition-kiosk:<uuid>". */
#define PK_OSDI_IDENTIFIER_PREFIX "petition-kiosk:"

#define PK_OSDI_ERROR (pk_osdi_error_quark ())

typedef enum {
  PK_OSDI_ERROR_EMPTY,       /* the reply had no body */
  PK_OSDI_ERROR_TOO_LARGE,   /* larger than PK_OSDI_MAX_REPLY */
  PK_OSDI_ERROR_NOT_JSON,    /* not JSON, or cut off */
  PK_OSDI_ERROR_NO_ID,       /* JSON, but no server id in it */
} PkOsdiError;

GQuark pk_osdi_error_quark (void);

/* Where a signature was collected, for the tags and referrer data. Any
 * member may be NULL. */
typedef struct {
  const char *kiosk_name;
  const char *event;
} PkOsdiOrigin;

/* The request body for one signature (see docs/sync.md for the
 * mapping): person, identifiers, action_date, origin_system, comments,
 * add_tags and action_network:referrer_data. @sig must have a uuid. */
JsonNode *pk_osdi_signature_new     (const PkSignature   *sig,
                                     const PkOsdiOrigin  *origin);
/* The add_tags of @sig: "kiosk:<name>", "event:<name>" (each when
 * set) and "source:kiosk" or "source:paper". */
GStrv     pk_osdi_signature_tags    (const PkSignature   *sig,
                                     const PkOsdiOrigin  *origin);
/* The same, serialized compactly; @length receives its size. */
char     *pk_osdi_signature_to_data (const PkSignature   *sig,
                                     const PkOsdiOrigin  *origin,
                                     gsize               *length);

/* "2026-11-28T02:05:17Z" for @usec microseconds since the epoch. */
char     *pk_osdi_format_date       (gint64               usec);

/* Parses a success reply and returns the server's id for the record:
 * the first identifier that is not ours (e.g. "action_network:…"), else
 * the _links.self.href. Fails with a PK_OSDI_ERROR whose message says
 * what was wrong with the reply, in words. */
char     *pk_osdi_parse_reply       (const char          *data,
                                     gsize                length,
                                     GError             **error);

/* The server's explanation in an error reply: the "error" member, or the
 * messages in "errors", or else the start of the body if it is short
 * text. Always returns a bounded, single-line string, or NULL. */
char     *pk_osdi_error_message     (const char          *data,
                                     gsize                length);

G_END_DECLS
