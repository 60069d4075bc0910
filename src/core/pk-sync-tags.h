/* pk-sync-tags.h: the tags an Action Network group has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The tags collection next to a petition's signatures endpoint:
 * ".../api/v2/petitions/ID/signatures" gives ".../api/v2/tags". NULL
 * when @endpoint does not have that shape (not Action Network). */
GUri       *pk_sync_tags_uri          (GUri                *endpoint);

/* Reads every page of the tags collection at @uri (OSDI HAL+JSON,
 * "_embedded": {"osdi:tags": [{"name": …}]}, "_links.next") with
 * @token, following no redirect. Finishes with a set of the tag names
 * (a GHashTable of strings), or an error whose message holds nothing
 * from the server but its status. */
void        pk_sync_tags_fetch_async  (SoupSession         *session,
                                       GUri                *uri,
                                       const char          *token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GHashTable *pk_sync_tags_fetch_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
