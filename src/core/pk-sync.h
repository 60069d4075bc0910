/* pk-sync.h: send pending signatures to an OSDI endpoint, exactly once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pk-keys.h"
#include "pk-store.h"

G_BEGIN_DECLS

#define PK_SYNC_ERROR (pk_sync_error_quark ())

typedef enum {
  PK_SYNC_ERROR_ENDPOINT,       /* not https, or http to a host that is not loopback */
  PK_SYNC_ERROR_TOKEN,          /* no token, a malformed one, or refused (401/403) */
  PK_SYNC_ERROR_TLS,            /* the server's certificate did not verify */
  PK_SYNC_ERROR_GAVE_UP,        /* the server kept failing; the rest is pending */
  PK_SYNC_ERROR_REDIRECT,       /* the endpoint redirects elsewhere */
  PK_SYNC_ERROR_STORE,          /* reading or writing the store failed */
  PK_SYNC_ERROR_TOKEN_FILE,     /* a token file is missing or readable by others */
} PkSyncError;

GQuark pk_sync_error_quark (void);

/* Checks that @endpoint is an https URL, or an http one whose host is
 * loopback (127.0.0.0/8, ::1, localhost): a token never crosses a
 * network in the clear. */
gboolean  pk_sync_check_endpoint   (const char  *endpoint,
                                    GError     **error);

/* Reads an API token from @path, which must be a regular file that no
 * group or other user can read (mode 0600 or stricter). Surrounding
 * whitespace is dropped. The token itself never appears in an error. */
char     *pk_sync_read_token_file  (const char  *path,
                                    GError     **error);

#define PK_TYPE_SYNCER (pk_syncer_get_type ())
G_DECLARE_FINAL_TYPE (PkSyncer, pk_syncer, PK, SYNCER, GObject)

/* A syncer for the signatures in @store. Fails with PK_SYNC_ERROR_ENDPOINT
 * or PK_SYNC_ERROR_TOKEN when they are unacceptable. The token is kept
 * only in this object, wiped when it is finalized, and never logged. */
PkSyncer   *pk_syncer_new                (PkStore           *store,
                                          const char        *endpoint,
                                          const char        *token,
                                          GError           **error);

/* Requests per second; 0 turns the limit off. Default 4. */
void        pk_syncer_set_rate           (PkSyncer          *self,
                                          double             per_second);
/* Exponential backoff with jitter between tries of one signature: the
 * n-th retry waits a random time in [d/2, d] with d = min(max_ms,
 * initial_ms · 2^(n-1)), and never less than a Retry-After. Defaults
 * 1000 and 60000 ms. Tests shorten them. */
void        pk_syncer_set_backoff        (PkSyncer          *self,
                                          guint              initial_ms,
                                          guint              max_ms);
/* Tries of one signature before giving up. Default 12. When the server
 * answers 5xx, 429 or 408 each time, the run stops, all else left
 * pending; when it answers 2xx naming no record each time, that
 * signature is marked failed and the run goes on. An unreachable
 * server ends the run after at most 5 tries. */
void        pk_syncer_set_max_attempts   (PkSyncer          *self,
                                          guint              attempts);
/* Action Network subscribes every person new to the list to its
 * emails, whatever is sent (docs/sync.md). So signers who did not opt in
 * are held back, pending, unless this is turned on, which a coordinator
 * must do knowingly. Default FALSE. */
void        pk_syncer_set_send_without_opt_in (PkSyncer     *self,
                                          gboolean           send);
/* On a master on PostgreSQL, how long a claim on a signature lasts
 * (default 300 s; pk-store-sync.h): a killed run's claims are taken
 * over this long after it was killed. A live run renews its claims
 * when half the lease has passed and checks its claim before each
 * request, so the lease must be longer than the longest request
 * (30 s) plus a second of recording, or a request that hung past it
 * can meet a second one for the same signature. */
void        pk_syncer_set_lease          (PkSyncer          *self,
                                          guint              seconds);
/* Only signatures of this petition (NULL: all). */
void        pk_syncer_set_petition_id    (PkSyncer          *self,
                                          const char        *petition_id);
/* Lets the syncer read the encrypted rows this process wrote for a
 * petition with this CoordinatorKey (32 bytes; NULL: none): the
 * session key of the kiosk's current run is only in memory. */
void        pk_syncer_set_own_coordinator_key (PkSyncer     *self,
                                          const guint8      *public_key);
/* Lets the syncer read encrypted rows (a coordinator's secret key). The
 * syncer keeps a reference-free copy in guarded memory. */
void        pk_syncer_set_coordinator_key (PkSyncer         *self,
                                          const PkCoordinatorKey *key);

/* Sends every readable pending signature, one request each, and
 * records each answer in the store as it arrives. Never blocks: all I/O
 * is asynchronous on the thread-default main context. Finishes with
 * TRUE when the pending rows ran out (some may have failed: see the
 * counts), or with an error: PK_SYNC_ERROR_TOKEN (401/403: the run
 * stopped at once), _TLS, _GAVE_UP, _REDIRECT, _STORE, or G_IO_ERROR_
 * CANCELLED. Whatever the outcome, what was not confirmed stays pending. */
void        pk_syncer_run_async          (PkSyncer          *self,
                                          GCancellable      *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer           user_data);
gboolean    pk_syncer_run_finish         (PkSyncer          *self,
                                          GAsyncResult      *result,
                                          GError           **error);
gboolean    pk_syncer_get_running        (PkSyncer          *self);

/* Counts as of the last answer (properties "pending", "sent", "failed";
 * the "progress" signal fires after each answer). */
guint64     pk_syncer_get_pending        (PkSyncer          *self);
guint64     pk_syncer_get_sent           (PkSyncer          *self);
guint64     pk_syncer_get_failed         (PkSyncer          *self);
/* Pending signers held back for want of opt-in. */
guint64     pk_syncer_get_no_opt_in      (PkSyncer          *self);
/* Failed signatures that cannot be sent at all (no email, no phone). */
guint64     pk_syncer_get_no_contact     (PkSyncer          *self);
/* Encrypted rows this run could not read (no key for them). */
guint64     pk_syncer_get_unreadable     (PkSyncer          *self);
/* The add_tags this run sent that the Action Network group does not
 * have, which it therefore ignored (sorted; empty when none or when the
 * tags could not be read). Free with g_strfreev(). */
GStrv       pk_syncer_dup_missing_tags   (PkSyncer          *self);
/* Why the group's tags could not be read this run, or NULL. */
const char *pk_syncer_get_tags_problem   (PkSyncer          *self);
/* Fraction of this run's work done, 0…1. */
double      pk_syncer_get_fraction       (PkSyncer          *self);
/* The last problem, in words for a coordinator, or NULL. While a try is
 * being waited for, it ends with "; retrying in N s", and the
 * "progress" signal fires as soon as it is set. */
const char *pk_syncer_get_last_error     (PkSyncer          *self);

G_END_DECLS
