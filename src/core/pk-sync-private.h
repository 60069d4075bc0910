/* pk-sync-private.h: the syncer's state, shared by its run (pk-sync.c)
 * and by what it makes of each answer (pk-sync-answer.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "pk-store-sync.h"
#include "pk-sync.h"

G_BEGIN_DECLS

#define SYNC_FETCH_ROWS     64
#define SYNC_FLUSH_ROWS     64
#define SYNC_FLUSH_USEC     G_USEC_PER_SEC
#define SYNC_READ_CHUNK     (64 * 1024)
#define SYNC_TIMEOUT_S      30
#define MAX_TOKEN_BYTES     4096
/* Tries before an unreachable server (refused, unknown host, timed
 * out) ends the run: with the default backoff the waits add up to at
 * most 1 + 2 + 4 + 8 s, so a wrong address or a closed port is given
 * up on within about a quarter of a minute (plus the 30 s timeout of a
 * connection that hangs, each try). */
#define SYNC_CONNECT_ATTEMPTS 5
/* A claim's lease on a master on PostgreSQL (pk-store-sync.h): long
 * enough for the longest request (SYNC_TIMEOUT_S per try) many times
 * over, short enough that a killed run's signatures are not stuck for
 * long. */
#define SYNC_DEFAULT_LEASE_S 300
/* A server asking to wait longer than this is not waited for blindly. */
#define MAX_RETRY_AFTER_MS  (60 * 60 * 1000)

struct _PkSyncer
{
  GObject           parent_instance;

  PkStore          *store;
  char             *endpoint;
  GUri             *uri;
  char             *token;
  char             *petition_id;
  PkCoordinatorKey *coordinator_key;
  guint8            own_coordinator_key[32];
  gboolean          has_own_coordinator_key;
  double            rate;
  guint             backoff_initial_ms;
  guint             backoff_max_ms;
  guint             max_attempts;
  gboolean          send_without_opt_in;
  char             *holder;         /* this syncer's name in sync_claims */
  gint64            lease_us;
  SoupSession      *session;
  GRand            *rand;

  /* One run */
  GTask            *task;
  GQueue            queue;          /* PkSyncItem, fetched and not yet sent */
  gint64            after_id;
  gboolean          exhausted;
  GPtrArray        *outcomes;       /* answered, not yet written */
  gint64            last_flush;
  PkSyncItem       *current;
  guint             attempt;
  gint64            next_slot;      /* monotonic µs of the next allowed send */
  gint64            renew_at;       /* monotonic µs when every claim is renewed */
  guint             timeout_id;
  gulong            cancelled_id;
  guint             cancelled_idle_id;
  SoupMessage      *message;
  GInputStream     *stream;
  GByteArray       *reply;

  guint64           pending;
  guint64           sent;
  guint64           failed;
  guint64           unreadable;
  guint64           no_opt_in;
  guint64           no_contact;
  guint64           run_total;
  guint64           run_done;
  char             *last_error;
  GHashTable       *known_tags;     /* the group's tags; NULL: not known */
  GHashTable       *missing_tags;   /* tags sent that the group lacks */
  char             *tags_problem;   /* why the tags could not be read */
};

/* The run (pk-sync.c) */
void     _pk_syncer_set_last_error  (PkSyncer     *self,
                                     const char   *message);
void     _pk_syncer_emit_progress   (PkSyncer     *self);
void     _pk_syncer_notify_counts   (PkSyncer     *self);
gboolean _pk_syncer_flush           (PkSyncer     *self,
                                     GError      **error);
void     _pk_syncer_clear_request   (PkSyncer     *self);
void     _pk_syncer_finish          (PkSyncer     *self,
                                     GError       *error);
void     _pk_syncer_stop            (PkSyncer     *self,
                                     PkSyncError   code,
                                     const char   *message);
void     _pk_syncer_schedule_send   (PkSyncer     *self,
                                     guint         delay_ms);
void     _pk_syncer_pump            (PkSyncer     *self);

/* The answers (pk-sync-answer.c) */
gboolean _pk_syncer_record          (PkSyncer     *self,
                                     PkSyncItem   *item,
                                     PkSyncState   state,
                                     const char   *remote_id,
                                     const char   *error,
                                     const char   *reason,
                                     GError      **flush_error);
void     _pk_syncer_send_cb         (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data);

G_END_DECLS
