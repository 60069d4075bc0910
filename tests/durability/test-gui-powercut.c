/* test-gui-powercut.c: the power fails while the kiosk window saves a signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19 item 5, for the form a signer uses. A child process (this
 * program with --child) runs the real kiosk window under the pk-powercut
 * shim (pk-powercut.c) and signs at it as a person does: Sign on the
 * welcome screen, the form, the real Submit button pressed through XTEST,
 * Done on the thank-you page; it prints "ack EMAIL" once the thank-you
 * page shows, the kiosk's acknowledgement. The parent counts the shim's
 * calls in an undisturbed run, then cuts the power at each sampled call
 * (test-powercut.c's sampling, $PK_POWERCUT_POINTS) and rebuilds the
 * folder as the disk would hold it. Every signer whose thank-you page
 * showed must then be in the database, PRAGMA integrity_check must say
 * ok, and `petition-kiosk sign` must work on it.
 */
#define G_LOG_DOMAIN "test-gui-powercut"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pk-data-dirs.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-pin.h"
#include "pk-powercut-disk.h"
#include "pk-proof.h"

/* Fewer than test-powercut.c's 12: each try starts a window and an X
 * server. $PK_POWERCUT_POINTS=all tries every call. */
#define POINTS 8
/* Signers per child: the second one's save follows a first one's. */
#define SIGNERS 2

static char *self_path;

/* ---- the child: a kiosk at which SIGNERS people sign ---- */

static gboolean
page_is (PkWindow   *window,
         const char *name)
{
  return g_strcmp0 (pk_window_get_visible_page (window), name) == 0;
}

static gboolean
thank_you_shown (gpointer window)
{
  return page_is (window, "thank-you");
}

static gboolean
welcome_shown (gpointer window)
{
  return page_is (window, "welcome");
}

/* The shim has read its settings; nothing this process starts (its own
 * X server) must load it again, or that process's exit would write its
 * own count of calls over this one's. */
static void
forget_shim (void)
{
  const char *names[] = { "LD_PRELOAD", "PK_POWERCUT_DIR", "PK_POWERCUT_SHADOW",
                          "PK_POWERCUT_COUNT", "PK_POWERCUT_AT" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
}

static int
run_child (int         argc,
           char      **argv,
           const char *db_path,
           const char *first_serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *petition_path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  guint64 serial = g_ascii_strtoull (first_serial, NULL, 10);
  PkWindow *window;

  forget_shim ();
  /* GTest must not see the --child arguments. */
  argc = 1;
  pk_gui_init (&argc, &argv);
  store = pk_store_open (db_path, &error);
  g_assert_no_error (error);
  if (!pk_pin_is_set (store))
    {
      pk_pin_set (store, PK_TEST_PIN, &error);
      g_assert_no_error (error);
    }
  petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  settings = pk_data_dirs_new_settings (&error);
  g_assert_no_error (error);

  window = g_object_ref_sink (pk_window_new (NULL, store, petition, settings));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  pk_gui_settle ();

  for (guint i = 0; i < SIGNERS; i++, serial++)
    {
      g_autofree char *email = g_strdup_printf ("cut%" G_GUINT64_FORMAT "@example.org", serial);
      g_autofree char *given = g_strdup_printf ("Cut%" G_GUINT64_FORMAT, serial);
      PkFormPage *form = _pk_window_get_form_page (window);

      pk_gui_click (pk_gui_find_action (GTK_WIDGET (_pk_window_get_welcome_page (window)), "kiosk.sign"));
      g_assert_true (page_is (window, "form"));
      pk_gui_fill_form (form, given, "Power", email);
      pk_gui_press_submit (form);
      if (!pk_gui_wait (thank_you_shown, window, 30))
        g_error ("the thank-you page did not show: %s", _pk_form_page_get_failure (form));
      printf ("ack %s\n", email);
      fflush (stdout);
      pk_gui_click (pk_gui_find_action (GTK_WIDGET (_pk_window_get_thank_you_page (window)), "kiosk.home"));
      g_assert_true (pk_gui_wait (welcome_shown, window, 30));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return 0;
}

/* ---- the parent ---- */

static guint serial;

/* Runs a child kiosk on @disk's kiosk.db with the power cut at @cut_at
 * (0: never); returns its exit status (PK_DISK_CUT_STATUS when the
 * power went) and adds the signers it acknowledged to @acknowledged. */
static int
run_kiosk (PkDisk    *disk,
           guint      cut_at,
           GPtrArray *acknowledged)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *first = g_strdup_printf ("%u", serial);
  g_auto(GStrv) shim_env = pk_disk_environ (disk, cut_at, NULL);
  g_auto(GStrv) envp = g_get_environ ();
  g_auto(GStrv) lines = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { self_path, "--child", db, first, NULL };
  int status = -1;

  serial += SIGNERS;
  for (guint i = 0; shim_env[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (shim_env[i], strcspn (shim_env[i], "="));

      envp = g_environ_setenv (envp, name, shim_env[i] + strlen (name) + 1, TRUE);
    }
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);

  /* Only whole lines: a line cut short was not acknowledged. */
  lines = g_strsplit (out, "\n", -1);
  for (guint j = 0; lines[j] != NULL && lines[j + 1] != NULL; j++)
    if (g_str_has_prefix (lines[j], "ack "))
      g_ptr_array_add (acknowledged, g_strdup (lines[j] + 4));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gboolean
email_stored (const char *db_path,
              const char *email)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT payload FROM signatures", -1, &stmt, NULL), ==, SQLITE_OK);
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GBytes) payload = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (pk_signature_deserialize (sig, payload, &error));
      found = g_strcmp0 (sig->fields[PK_FIELD_EMAIL], email) == 0;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return found;
}

/* After the power came back: whole, every acknowledged signer there,
 * and the next signature is taken. */
static void
check_disk (PkDisk    *disk,
            GPtrArray *acknowledged)
{
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_auto(GStrv) sign = pk_proof_sign_args (db, petition, 900000 + serial++);
  g_autofree char *integrity = pk_proof_integrity (db);

  g_assert_cmpstr (integrity, ==, "ok");
  for (guint i = 0; i < acknowledged->len; i++)
    if (!email_stored (db, acknowledged->pdata[i]))
      g_error ("%s saw the thank-you page, but is gone after the power cut",
               (char *) acknowledged->pdata[i]);
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) sign, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (pk_proof_row_count (db), ==, pk_proof_cli_count (db));
}

/* A disk whose kiosk.db holds one signature, made by `sign` and
 * durable; the kiosk then adds its PIN and its signers. */
static PkDisk *
prepared_disk (void)
{
  PkDisk *disk = pk_disk_new ();
  g_autofree char *db = pk_disk_path (disk, "kiosk.db");
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_auto(GStrv) sign = pk_proof_sign_args (db, petition, 800000 + serial++);

  g_assert_cmpint (pk_disk_run (disk, (const char * const *) sign, 0, NULL, NULL, NULL), ==, 0);
  pk_disk_settle (disk);
  return disk;
}

static void
test_gui_power_cut (void)
{
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) folder_syncs = NULL;
  guint n_events;

  {
    g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(PkDisk) disk = prepared_disk ();

    g_assert_cmpint (run_kiosk (disk, 0, acknowledged), ==, 0);
    g_assert_cmpuint (acknowledged->len, ==, SIGNERS);
    n_events = pk_disk_events (disk);
    folder_syncs = pk_disk_folder_syncs (disk);
    /* The power fails just after the last thank-you. */
    pk_disk_power_cut (disk);
    check_disk (disk, acknowledged);
  }
  g_test_message ("%u counted calls while %u people signed", n_events, SIGNERS);

  points = pk_disk_sample (n_events, folder_syncs, POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(PkDisk) disk = prepared_disk ();
      guint at = g_array_index (points, guint, i);
      int status = run_kiosk (disk, at, acknowledged);

      g_test_message ("power cut at call %u of %u, after %u thank-you pages",
                      at, n_events, acknowledged->len);
      g_assert_cmpint (status, ==, PK_DISK_CUT_STATUS);
      pk_disk_power_cut (disk);
      check_disk (disk, acknowledged);
    }
}

int
main (int   argc,
      char *argv[])
{
  self_path = g_canonicalize_filename (argv[0], NULL);
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argc, argv, argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Pk/Durability/gui/power-cut", test_gui_power_cut);

  return g_test_run ();
}
