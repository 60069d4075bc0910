/* pk-cmd-sync.c: `petition-kiosk sync`, send pending signatures over OSDI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API token is read from a file only (never from the command line,
 * where `ps` and shell history would show it) and never printed.
 */
#define G_LOG_DOMAIN "pk-cmd-sync"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
/* PRIu64 rather than G_GUINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pk-cli.h"
#include "pk-data-dirs.h"
#include "pk-keys.h"
#include "pk-osdi.h"
#include "pk-pg-location.h"
#include "pk-store-sync.h"
#include "pk-sync-classify.h"
#include "pk-sync.h"

#define PROGRESS_EVERY_USEC (2 * G_USEC_PER_SEC)
#define MAX_FAILURES_SHOWN  50

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  PkSyncer     *syncer;
  GError       *error;
  gint64        last_progress;
  char         *last_shown_error;
  gboolean      interactive;
} SyncRun;

static void
print_progress (SyncRun  *run,
                gboolean  final)
{
  PkSyncer *syncer = run->syncer;

  if (run->interactive)
    fprintf (stderr, "\r");
  fprintf (stderr, _("%3.0f%%  sent %" PRIu64 ", failed %" PRIu64
                     ", pending %" PRIu64),
           100.0 * pk_syncer_get_fraction (syncer), pk_syncer_get_sent (syncer),
           pk_syncer_get_failed (syncer), pk_syncer_get_pending (syncer));
  /* While the run waits to try again, say why, from the first failure. */
  if (pk_syncer_get_running (syncer) && pk_syncer_get_last_error (syncer) != NULL)
    fprintf (stderr, " — %s", pk_syncer_get_last_error (syncer));
  if (!run->interactive || final)
    fprintf (stderr, "\n");
  fflush (stderr);
}

static void
progress_cb (PkSyncer *syncer,
             SyncRun  *run)
{
  gint64 now = g_get_monotonic_time ();
  const char *problem = pk_syncer_get_last_error (syncer);

  /* A new problem is shown at once; counts every two seconds. */
  if (now - run->last_progress < PROGRESS_EVERY_USEC
      && g_strcmp0 (problem, run->last_shown_error) == 0)
    return;
  run->last_progress = now;
  g_free (run->last_shown_error);
  run->last_shown_error = g_strdup (problem);
  print_progress (run, FALSE);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SyncRun *run = user_data;

  pk_syncer_run_finish (PK_SYNCER (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  SyncRun *run = user_data;

  /* Stop after the request in flight; its answer is still recorded. */
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Test suites shorten the backoff so that thousands of injected faults
 * take seconds: PK_SYNC_BACKOFF_MS=INITIAL[,MAX], PK_SYNC_MAX_ATTEMPTS=N.
 * Only the uninstalled binary in the meson build tree, which the tests
 * run, reads them: an installed kiosk or coordinator never does, so
 * nothing in a volunteer's environment can change how sync retries. */
static void
apply_test_overrides (PkSyncer *syncer)
{
  const char *backoff = g_getenv ("PK_SYNC_BACKOFF_MS");
  const char *attempts = g_getenv ("PK_SYNC_MAX_ATTEMPTS");

  if (backoff != NULL && *backoff != '\0')
    {
      char *end = NULL;
      guint64 initial = g_ascii_strtoull (backoff, &end, 10);
      guint64 max = initial;

      if (end != NULL && *end == ',')
        max = g_ascii_strtoull (end + 1, NULL, 10);
      pk_syncer_set_backoff (syncer, (guint) MIN (initial, G_MAXUINT), (guint) MIN (max, G_MAXUINT));
    }
  if (attempts != NULL && *attempts != '\0')
    {
      guint64 n = g_ascii_strtoull (attempts, NULL, 10);
      if (n > 0)
        pk_syncer_set_max_attempts (syncer, (guint) MIN (n, G_MAXUINT));
    }
}

static gboolean
dry_run (PkStore          *store,
         const char       *petition_id,
         PkCoordinatorKey *key,
         gboolean          send_without_opt_in,
         guint64          *out_n,
         guint64          *out_unreadable,
         GError          **error)
{
  gint64 after_id = 0;

  *out_n = 0;
  *out_unreadable = 0;
  for (;;)
    {
      g_autoptr(GPtrArray) items = NULL;
      gint64 last_id = after_id;
      guint unreadable = 0;

      items = pk_store_sync_next_pending (store, petition_id, NULL, after_id, 256, key,
                                          &last_id, &unreadable, error);
      if (items == NULL)
        return FALSE;
      *out_unreadable += unreadable;
      for (guint i = 0; i < items->len; i++)
        {
          PkSyncItem *item = g_ptr_array_index (items, i);
          PkOsdiOrigin origin = { item->kiosk_name, item->event };
          g_autofree char *body = NULL;

          if (pk_sync_classify (item->sig, send_without_opt_in) != PK_SYNC_SENDABLE)
            continue;
          body = pk_osdi_signature_to_data (item->sig, &origin, NULL);

          /* One request body a line (JSON Lines): what would be POSTed. */
          printf ("%s\n", body);
          (*out_n)++;
        }
      if (last_id <= after_id)
        return TRUE;
      after_id = last_id;
    }
}

/* The counts by outcome, then each failed signature with its reason.
 * Every line is about the signatures, never about the signers: the
 * stored messages hold none of their details. */
static void
print_summary (PkStore            *store,
               const char         *petition_id,
               const PkSyncCounts *counts,
               gboolean            send_without_opt_in)
{
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GError) error = NULL;
  guint64 held = send_without_opt_in ? 0 : counts->no_opt_in;

  printf (_("Sent: %" PRIu64 "\n"), counts->sent);
  printf (_("Failed: %" PRIu64 " (refused by the server %" PRIu64 ", no usable answer %" PRIu64 ")\n"),
          counts->failed - counts->no_contact,
          counts->failed - counts->no_contact - counts->unusable, counts->unusable);
  printf (_("Not sendable, neither email nor phone: %" PRIu64 "\n"), counts->no_contact);
  printf (_("Not sent, no opt-in: %" PRIu64 "\n"), held);
  printf (_("Pending: %" PRIu64 "\n"), counts->pending - held);

  failures = pk_store_sync_list_failed (store, petition_id, MAX_FAILURES_SHOWN, &error);
  if (failures != NULL && failures->len > 0)
    {
      printf (_("Not sent, with the reason (fix the cause, then run again with --retry-failed):\n"));
      for (guint i = 0; i < failures->len; i++)
        {
          PkSyncOutcome *failure = g_ptr_array_index (failures, i);
          printf ("  %s: %s\n", failure->uuid, failure->error != NULL ? failure->error : "");
        }
      if (counts->failed > failures->len)
        printf (g_dngettext (GETTEXT_PACKAGE, "  … and %" PRIu64 " more\n", "  … and %" PRIu64 " more\n",
                             (gulong) (counts->failed - failures->len)),
                counts->failed - failures->len);
    }
  if (held > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "%" PRIu64 " signer did not opt in. Action Network would subscribe them "
                         "to its emails, so they stay here: hand them over in a CSV export, or "
                         "send them with --send-without-opt-in.\n",
                         "%" PRIu64 " signers did not opt in. Action Network would subscribe them "
                         "to its emails, so they stay here: hand them over in a CSV export, or "
                         "send them with --send-without-opt-in.\n",
                         (gulong) held),
            held);
}

/* Tags Action Network ignored because the group does not have them. */
static void
print_tags (PkSyncer *syncer)
{
  g_auto(GStrv) missing = pk_syncer_dup_missing_tags (syncer);

  if (missing[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", missing);

      printf (_("Action Network has no tags with these names, so it did not apply them: %s. "
                "Create them there, under the same names, and the next signatures get them.\n"),
              list);
    }
  if (pk_syncer_get_tags_problem (syncer) != NULL)
    printf (_("Whether the tags exist in Action Network is not known: %s\n"),
            pk_syncer_get_tags_problem (syncer));
}

static char *
default_token_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "petition-kiosk", "sync-token", NULL);
}

/* --lease not given: the syncer's default. */
#define LEASE_UNSET (-1)

/* What the command line asked for. */
typedef struct {
  char     *db_path;
  char     *endpoint;
  char     *token_file;
  char     *key_file;
  char     *petition_id;
  char     *rate_text;
  double    rate;
  int       lease;
  gboolean  retry_failed;
  gboolean  send_without_opt_in;
  gboolean  dry;
} SyncOptions;

static void
sync_options_clear (SyncOptions *options)
{
  g_free (options->db_path);
  g_free (options->endpoint);
  g_free (options->token_file);
  g_free (options->key_file);
  g_free (options->petition_id);
  g_free (options->rate_text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncOptions, sync_options_clear)

/* Reads the options into @options: FALSE, having said why, for a usage
 * error. */
static gboolean
parse_options (SyncOptions  *options,
               int          *argc,
               char       ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options->db_path,
      N_("The kiosk database or coordinator master to send from: a file or a postgresql:// "
         "address (docs/scale.md)"), N_("FILE|URI") },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &options->endpoint,
      N_("The petition's OSDI signatures URL, e.g. https://actionnetwork.org/api/v2/petitions/ID/signatures"),
      N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &options->token_file,
      N_("File holding the API token, readable by you alone (default: ~/.config/petition-kiosk/sync-token)"),
      N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &options->key_file,
      N_("The coordinator's secret key file, to read encrypted signatures"), N_("SECRETKEYFILE") },
    { "petition-id", 0, 0, G_OPTION_ARG_STRING, &options->petition_id,
      N_("Send only this petition's signatures (needed when the database holds several)"),
      N_("ID") },
    { "rate", 0, 0, G_OPTION_ARG_STRING, &options->rate_text,
      N_("At most N requests per second (default 4; 0 = no limit)"), N_("N") },
    { "lease", 0, 0, G_OPTION_ARG_INT, &options->lease,
      N_("On a master on PostgreSQL: how long a run's claim on a signature lasts, in seconds "
         "(default 300); a killed run's signatures are sent by another run after it. Keep it "
         "above 30, the longest a request may take"),
      N_("SECONDS") },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &options->retry_failed,
      N_("Send the signatures the server refused before again"), NULL },
    { "send-without-opt-in", 0, 0, G_OPTION_ARG_NONE, &options->send_without_opt_in,
      N_("Also send signers who did not opt in. Action Network then subscribes every one "
         "of them who is new to the list to its emails"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &options->dry,
      N_("Send nothing; print each pending request body as one JSON line"), NULL },
    { NULL }
  };

  options->lease = LEASE_UNSET;
  summary = g_strdup (_("Sends every pending signature to the online petition over OSDI, one "
                        "request each, and records the server's answer. A signature is marked "
                        "sent only once the server confirmed it; running sync again resends only "
                        "what was not confirmed, and the identifier petition-kiosk:<uuid> keeps "
                        "the server from counting anything twice.\n\n"
                        "The API token is read from a file that only you can read: in the "
                        "file manager, its Properties give access to you only.\n\n"
                        "Signers who did not opt in are held back, since Action Network "
                        "subscribes everyone new to its list; signers with neither email nor "
                        "phone cannot be sent at all. Both are counted and stay in the "
                        "database.\n\n"
                        "Exit status: 0 every signature was sent; 1 an error stopped the run "
                        "(a refused token, an unreachable server, a bad certificate), unsent "
                        "signatures stay pending; 2 bad usage; 5 the run finished but some "
                        "signatures were not sent (refused, not sendable or held back, listed "
                        "with the reason) or some encrypted ones could not be read without --key."));
  if (!pk_cli_parse ("sync", NULL, summary, entries, argc, argv))
    return FALSE;

  if (options->db_path == NULL || options->endpoint == NULL)
    {
      pk_cli_error ("sync", "%s", _("--db and --endpoint are required"));
      return FALSE;
    }
  options->rate = 4.0;
  if (options->rate_text != NULL)
    {
      char *end = NULL;

      options->rate = g_ascii_strtod (options->rate_text, &end);
      if (end == options->rate_text || *end != '\0' || !(options->rate >= 0) || options->rate > 1e6)
        {
          pk_cli_error ("sync", "%s", _("--rate must be a number of requests per second, 0 or more"));
          return FALSE;
        }
    }
  if (options->lease != LEASE_UNSET && options->lease < 1)
    {
      pk_cli_error ("sync", "%s", _("--lease must be a number of seconds, 1 or more"));
      return FALSE;
    }
  if (!pk_sync_check_endpoint (options->endpoint, &error))
    {
      pk_cli_error ("sync", "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Several petitions in one database would all land on the one endpoint
 * given: make the coordinator choose. PK_EXIT_OK when the choice is
 * clear. */
static int
check_one_petition (PkStore    *store,
                    const char *petition_id)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) petitions = pk_store_sync_list_petitions (store, &error);

  if (petitions == NULL)
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  if (petition_id == NULL && g_strv_length (petitions) > 1)
    {
      g_autofree char *list = g_strjoinv (", ", petitions);
      pk_cli_error ("sync", _("The database holds signatures for several petitions (%s); "
                              "choose one with --petition-id"), list);
      return PK_EXIT_USAGE;
    }
  return PK_EXIT_OK;
}

static gboolean
reset_failed (PkStore     *store,
              const char  *petition_id,
              GError     **error)
{
  guint64 n = 0;

  if (!pk_store_sync_reset_failed (store, petition_id, NULL, &n, error))
    return FALSE;
  if (n > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "%" PRIu64 " failed signature will be sent again.\n",
                                  "%" PRIu64 " failed signatures will be sent again.\n",
                                  (gulong) n),
             n);
  return TRUE;
}

/* --dry-run: the request bodies on stdout, their count on stderr. */
static int
run_dry (PkStore           *store,
         const SyncOptions *options,
         PkCoordinatorKey  *key)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0, unreadable = 0;

  if (!dry_run (store, options->petition_id, key, options->send_without_opt_in, &n, &unreadable, &error))
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                "Dry run: %" PRIu64 " signature would be sent",
                                "Dry run: %" PRIu64 " signatures would be sent",
                                (gulong) n),
           n);
  if (unreadable > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "; %" PRIu64 " encrypted one cannot be read without --key",
                                  "; %" PRIu64 " encrypted ones cannot be read without --key",
                                  (gulong) unreadable),
             unreadable);
  fprintf (stderr, ".\n");
  return PK_EXIT_OK;
}

/* A syncer for @options, with the token read from its file and wiped
 * from our memory once the syncer has its copy. */
static PkSyncer *
new_syncer (PkStore           *store,
            const SyncOptions *options,
            PkCoordinatorKey  *key,
            GError           **error)
{
  g_autofree char *token_file = options->token_file != NULL ? g_strdup (options->token_file)
                                                             : default_token_file ();
  g_autofree char *token = pk_sync_read_token_file (token_file, error);
  PkSyncer *syncer;

  if (token == NULL)
    return NULL;
  syncer = pk_syncer_new (store, options->endpoint, token, error);
  /* The syncer holds its own copy; ours goes now. */
  memset (token, 0, strlen (token));
  if (syncer == NULL)
    return NULL;
  pk_syncer_set_rate (syncer, options->rate);
  pk_syncer_set_petition_id (syncer, options->petition_id);
  pk_syncer_set_send_without_opt_in (syncer, options->send_without_opt_in);
  if (options->lease != LEASE_UNSET)
    pk_syncer_set_lease (syncer, (guint) options->lease);
  if (key != NULL)
    pk_syncer_set_coordinator_key (syncer, key);
  if (pk_data_dirs_is_build_tree ())
    apply_test_overrides (syncer);
  return syncer;
}

/* Runs @syncer to its end, or until SIGINT or SIGTERM stops it after
 * the request in flight, printing the progress. Returns what stopped
 * it, or NULL when it finished. */
static GError *
run_syncer (PkSyncer *syncer)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SyncRun run = { 0 };
  guint sigint_id, sigterm_id;

  run.loop = loop;
  run.cancellable = cancellable;
  run.syncer = syncer;
  run.interactive = isatty (STDERR_FILENO);
  run.last_progress = g_get_monotonic_time ();
  g_signal_connect (syncer, "progress", G_CALLBACK (progress_cb), &run);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &run);

  pk_syncer_run_async (syncer, cancellable, run_done_cb, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (syncer, &run);
  print_progress (&run, TRUE);
  g_clear_pointer (&run.last_shown_error, g_free);
  return run.error;
}

/* On a master on PostgreSQL, what is still pending after a run that
 * sent all it could is held by other runs (sending now, or killed and
 * waiting for their leases to run out). Says so; returns how many. */
static guint64
claimed_elsewhere (PkStore            *store,
                   PkSyncer           *syncer,
                   const PkSyncCounts *counts)
{
  guint64 left_here = counts->no_opt_in + pk_syncer_get_unreadable (syncer);
  guint64 n;

  if (!pk_store_is_postgresql (store) || counts->pending <= left_here)
    return 0;
  n = counts->pending - left_here;
  printf (g_dngettext (GETTEXT_PACKAGE,
                       "%" PRIu64 " signature is held by another sync run, which sends it now or "
                       "was stopped; run sync again after its lease (--lease) if it was stopped.\n",
                       "%" PRIu64 " signatures are held by another sync run, which sends them now or "
                       "was stopped; run sync again after its lease (--lease) if it was stopped.\n",
                       (gulong) n),
          n);
  return n;
}

/* After a run: the summary, and the exit status for what stopped it
 * (@run_error) or what it left unsent. */
static int
finish_run (PkStore           *store,
            PkSyncer          *syncer,
            const SyncOptions *options,
            GError            *run_error)
{
  g_autoptr(GError) error = NULL;
  PkSyncCounts counts;

  if (!pk_store_sync_counts (store, options->petition_id, &counts, &error))
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  print_summary (store, options->petition_id, &counts, options->send_without_opt_in);
  print_tags (syncer);

  if (pk_syncer_get_unreadable (syncer) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "%" PRIu64 " encrypted signature cannot be read here; send it "
                         "from the coordinator's master or with --key.\n",
                         "%" PRIu64 " encrypted signatures cannot be read here; send them "
                         "from the coordinator's master or with --key.\n",
                         (gulong) pk_syncer_get_unreadable (syncer)),
            pk_syncer_get_unreadable (syncer));

  if (g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pk_cli_error ("sync", "%s", _("Stopped; every unsent signature stays pending."));
      return PK_EXIT_FAILURE;
    }
  if (run_error != NULL)
    {
      pk_cli_error ("sync", "%s", run_error->message);
      return PK_EXIT_FAILURE;
    }

  if (counts.failed > 0 || pk_syncer_get_unreadable (syncer) > 0
      || (counts.no_opt_in > 0 && !options->send_without_opt_in))
    return PK_EXIT_SYNC_INCOMPLETE;
  if (claimed_elsewhere (store, syncer, &counts) > 0)
    return PK_EXIT_SYNC_INCOMPLETE;
  return PK_EXIT_OK;
}

int
pk_cmd_sync (int    argc,
             char **argv)
{
  g_auto(SyncOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkCoordinatorKey) key = NULL;
  g_autoptr(PkSyncer) syncer = NULL;
  int status;

  if (!parse_options (&options, &argc, &argv))
    return PK_EXIT_USAGE;

  if (!pk_pg_location_is_postgresql (options.db_path)
      && !g_file_test (options.db_path, G_FILE_TEST_EXISTS))
    {
      pk_cli_error ("sync", _("%s does not exist"), options.db_path);
      return PK_EXIT_FAILURE;
    }
  store = pk_store_open_master (options.db_path, &error);
  if (store == NULL
      || (options.key_file != NULL && (key = pk_coordinator_key_load (options.key_file, &error)) == NULL))
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  status = check_one_petition (store, options.petition_id);
  if (status != PK_EXIT_OK)
    return status;

  if (options.retry_failed && !options.dry && !reset_failed (store, options.petition_id, &error))
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }

  if (options.dry)
    return run_dry (store, &options, key);

  syncer = new_syncer (store, &options, key, &error);
  if (syncer == NULL)
    {
      pk_cli_error ("sync", "%s", error->message);
      return PK_EXIT_FAILURE;
    }
  run_error = run_syncer (syncer);
  return finish_run (store, syncer, &options, run_error);
}
