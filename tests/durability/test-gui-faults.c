/* test-gui-faults.c: the kiosk window killed, on a full disk, on a
 * read-only folder, and started on a damaged database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same promises as test-kill.c and test-faults.c, through the form a
 * signer uses:
 * - kill: a child process (this program with --child) runs the real
 *   kiosk window and submits form after form, printing "ack EMAIL" once
 *   the thank-you page shows; the parent SIGKILLs it at a random moment,
 *   many times over one database. Every acknowledged signer must be in
 *   the database and PRAGMA integrity_check must say ok.
 * - full disk: the form says the signature was NOT saved, keeps every
 *   field and the drawn signature, nothing in the database is damaged,
 *   and once space is freed the same form is saved. Mounting the small
 *   tmpfs needs root (see test-faults.c).
 * - a damaged database, or one on a read-only disk, at start-up:
 *   `petition-kiosk` must show a screen (not exit), and the file must be
 *   neither changed, deleted nor moved while nobody consented. (A disk
 *   cannot be remounted read-only under a kiosk holding it open, so the
 *   read-only case is tested at start-up; test-faults.c covers it for
 *   `sign`.)
 */
#define G_LOG_DOMAIN "test-gui-faults"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk-test-skip.h"
#include "pk-data-dirs.h"
#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-pin.h"
#include "pk-proof.h"
#include "pk-store-problem-window.h"

static char *self_path;
static gboolean have_mount_namespace;
static char *mount_skip_reason;

static gboolean
page_is (PkWindow   *window,
         const char *page)
{
  return g_strcmp0 (pk_window_get_visible_page (window), page) == 0;
}

/* ---- the child: a kiosk that signs until it is killed ---- */

static int
run_child (const char *db_path,
           guint       first_serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkPetition) petition = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *petition_path = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  PkWindow *window;
  PkFormPage *form;

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

  window = pk_window_new (NULL, store, petition, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  pk_gui_settle ();
  form = _pk_window_get_form_page (window);

  for (guint serial = first_serial; ; serial++)
    {
      g_autofree char *email = g_strdup_printf ("gui%u@example.org", serial);
      g_autofree char *given = g_strdup_printf ("Gui%u", serial);

      pk_window_go_home (window);
      gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.sign", NULL);
      pk_gui_fill_form (form, given, "Kill", email);
      pk_gui_press_submit (form);
      if (!page_is (window, "thank-you"))
        {
          g_printerr ("submit %u did not reach the thank-you page: %s\n",
                      serial, _pk_form_page_get_failure (form));
          return 1;
        }
      /* The thank-you page is the kiosk's acknowledgement. */
      printf ("ack %s\n", email);
      fflush (stdout);
    }
}

/* ---- the parent ---- */

static guint
iterations (void)
{
  const char *env = g_getenv ("PK_KILL_ITERATIONS");
  guint64 n = 60;

  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &n, NULL))
    g_error ("PK_KILL_ITERATIONS must be a positive number, not “%s”", env);
  /* A window takes far longer to start than `sign`: a tenth as many. */
  return MAX ((guint) n / 10, 4);
}

static GHashTable *
stored_emails (const char *db_path)
{
  GHashTable *emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT payload FROM signatures WHERE key_id IS NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GBytes) payload = g_bytes_new (sqlite3_column_blob (stmt, 0),
                                               sqlite3_column_bytes (stmt, 0));
      g_autoptr(PkSignature) sig = pk_signature_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (pk_signature_deserialize (sig, payload, &error));
      g_assert_no_error (error);
      if (sig->fields[PK_FIELD_EMAIL] != NULL)
        g_hash_table_add (emails, g_strdup (sig->fields[PK_FIELD_EMAIL]));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return emails;
}

static void
test_gui_kill (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) stored = NULL;
  g_autofree char *integrity = NULL;
  guint n = iterations ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *serial = g_strdup_printf ("%u", i * 100000);
      const char *argv[] = { self_path, "--child", db, serial, NULL };
      GString *out = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;
      char buf[4096];
      gssize got;
      GPid pid;
      int out_fd, status = 0;
      /* From "killed while starting" to "killed after a few forms". */
      gint64 delay = g_test_rand_int_range (0, 4000) * 1000;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);
      g_usleep (delay);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (!WIFSIGNALED (status))
        g_error ("the kiosk child stopped by itself (status %d) before it was killed", status);

      while ((got = read (out_fd, buf, sizeof buf)) > 0)
        g_string_append_len (out, buf, got);
      close (out_fd);

      g_test_message ("kiosk %u killed after %" G_GINT64_FORMAT " ms; it printed %" G_GSIZE_FORMAT " bytes",
                      i, delay / 1000, out->len);
      /* Only whole lines: a line cut by the kill was not acknowledged. */
      lines = g_strsplit (out->str, "\n", -1);
      for (guint j = 0; lines[j] != NULL && lines[j + 1] != NULL; j++)
        if (g_str_has_prefix (lines[j], "ack "))
          g_ptr_array_add (acknowledged, g_strdup (lines[j] + 4));
      g_string_free (out, TRUE);
    }

  g_test_message ("%u kiosk windows killed; %u signatures acknowledged", n, acknowledged->len);
  integrity = pk_proof_integrity (db);
  g_assert_cmpstr (integrity, ==, "ok");
  stored = stored_emails (db);
  for (guint i = 0; i < acknowledged->len; i++)
    if (!g_hash_table_contains (stored, g_ptr_array_index (acknowledged, i)))
      g_error ("acknowledged signer %s is missing", (char *) g_ptr_array_index (acknowledged, i));
  g_assert_cmpint (pk_proof_cli_count (db), ==, pk_proof_row_count (db));

  pk_proof_rm_rf (dir);
}

typedef struct {
  char       *dir;
  char       *mnt;
  char       *db;
  PkStore    *store;
  PkPetition *petition;
  GSettings  *settings;
  PkWindow   *window;
} DiskFixture;

static void
disk_fixture_setup (DiskFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *petition_path = pk_proof_demo_petition ("prisoners-of-conscience.petition");

  f->dir = pk_proof_make_tmpdir ();
  f->mnt = g_build_filename (f->dir, "small disk", NULL);
  g_assert_cmpint (g_mkdir (f->mnt, 0700), ==, 0);
  if (mount ("pk-proof", f->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=4096k,mode=0700") != 0)
    g_error ("mount tmpfs: %s", g_strerror (errno));
  f->db = g_build_filename (f->mnt, "kiosk.db", NULL);

  f->store = pk_store_open (f->db, &error);
  g_assert_no_error (error);
  pk_pin_set (f->store, PK_TEST_PIN, &error);
  g_assert_no_error (error);
  f->petition = pk_petition_new_from_file (petition_path, &error);
  g_assert_no_error (error);
  f->settings = pk_data_dirs_new_settings (&error);
  g_assert_no_error (error);
  f->window = g_object_ref_sink (pk_window_new (NULL, f->store, f->petition, f->settings));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  pk_gui_settle ();
}

static void
disk_fixture_teardown (DiskFixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  pk_gui_settle ();
  g_clear_object (&f->settings);
  g_clear_object (&f->petition);
  g_clear_object (&f->store);
  g_assert_cmpint (umount (f->mnt), ==, 0);
  pk_proof_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->mnt);
  g_free (f->db);
}

static gboolean
submit_ok (PkWindow   *window,
           const char *given,
           const char *email)
{
  PkFormPage *form = _pk_window_get_form_page (window);

  pk_window_go_home (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.sign", NULL);
  pk_gui_fill_form (form, given, "Disk", email);
  pk_gui_press_submit (form);
  return page_is (window, "thank-you");
}

/* After a refused save: the failure is shown and says NOT saved, and
 * the signer's work is all still there. */
static void
assert_not_saved_and_kept (PkWindow   *window,
                           const char *given,
                           const char *email)
{
  PkFormPage *form = _pk_window_get_form_page (window);

  g_assert_true (page_is (window, "form"));
  g_assert_nonnull (_pk_form_page_get_failure (form));
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_GIVEN_NAME)), ==, given);
  g_assert_cmpstr (gtk_editable_get_text (_pk_form_page_get_entry (form, PK_FIELD_EMAIL)), ==, email);
  g_assert_true (gtk_check_button_get_active (_pk_form_page_get_consent (form)));
  g_assert_false (pk_signature_pad_is_empty (_pk_form_page_get_pad (form)));
}

static void
test_gui_disk_full (void)
{
  DiskFixture f = { 0 };
  g_autofree char *filler = NULL;
  g_autofree char *integrity = NULL;
  PkFormPage *form;
  guint saved = 0;
  int fd;

  if (!have_mount_namespace)
    {
      pk_test_skip (mount_skip_reason);
      return;
    }
  disk_fixture_setup (&f);
  form = _pk_window_get_form_page (f.window);

  g_assert_true (submit_ok (f.window, "Before", "before@example.org"));
  saved++;

  filler = g_build_filename (f.mnt, "filler", NULL);
  fd = open (filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  {
    static const char block[4096];

    while (write (fd, block, sizeof block) > 0)
      ;
    while (write (fd, block, 1) == 1)
      ;
  }
  close (fd);

  /* SQLite may still reuse WAL space for a few rows; then it must fail. */
  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *email = g_strdup_printf ("full%u@example.org", attempt);

      g_assert_cmpuint (attempt, <, 200);
      g_test_expect_message ("pk-form-page", G_LOG_LEVEL_WARNING, "*");
      pk_window_go_home (f.window);
      gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
      pk_gui_fill_form (form, "Full", "Disk", email);
      pk_gui_press_submit (form);
      if (page_is (f.window, "thank-you"))
        {
          /* Saved after all: the warning expected above never came. */
          g_test_assert_expected_messages ();
          saved++;
          continue;
        }
      g_test_assert_expected_messages ();
      assert_not_saved_and_kept (f.window, "Full", email);

      /* Space freed: the same form, untouched, now goes through. */
      g_assert_cmpint (g_unlink (filler), ==, 0);
      pk_gui_press_submit (form);
      g_assert_true (page_is (f.window, "thank-you"));
      saved++;
      break;
    }

  integrity = pk_proof_integrity (f.db);
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (pk_proof_row_count (f.db), ==, saved);
  disk_fixture_teardown (&f);
}

/* Starts `petition-kiosk` on @db, which it cannot use, and checks that
 * it shows a screen rather than exiting (a volunteer at a stall would see
 * the kiosk vanish) and that it leaves the file, which may hold the
 * day's signatures, exactly as it was: not changed, deleted or moved
 * while nobody consented. */
static void
assert_refused_with_a_screen (const char *db,
                              const char *why)
{
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_autoptr(GBytes) before = pk_proof_read_bytes (db);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *argv[] = { g_getenv ("PK_BINARY"), "--db", db, "--petition", petition, "--windowed", NULL };
  const char *name;
  gboolean exited = FALSE;
  guint n_files = 0;
  int status = 0;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  /* Five seconds to either show its screen or give up. */
  for (guint i = 0; i < 50 && !exited; i++)
    {
      g_usleep (100 * 1000);
      exited = waitpid (pid, &status, WNOHANG) == pid;
    }
  if (!exited)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }

  after = pk_proof_read_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (!g_str_has_suffix (name, "-shm") && !g_str_has_suffix (name, "-wal"))
      n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  if (exited)
    g_test_fail_printf ("the kiosk exited (status %d) on %s instead of showing a screen that "
                        "explains it (and, for a damaged file, offers to move it aside)",
                        WIFEXITED (status) ? WEXITSTATUS (status) : -1, why);
}

static void
test_gui_corrupt_at_startup (void)
{
  g_autofree char *dir = pk_proof_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  guint8 junk[32768];

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = g_test_rand_int_range (0, 256);
  memcpy (junk, "SQLite format 3", 16);
  g_file_set_contents (db, (const char *) junk, sizeof junk, &error);
  g_assert_no_error (error);

  assert_refused_with_a_screen (db, "a damaged database");

  /* With consent (the organizer presses "move aside"), the file is
   * renamed, byte for byte, and a new database takes its place. */
  {
    g_autoptr(GBytes) original = pk_proof_read_bytes (db);
    g_autoptr(PkStore) store = pk_store_open (db, &error);
    g_autoptr(GDir) listing = NULL;
    GtkWidget *window;
    const char *name;
    gboolean found = FALSE;

    g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
    window = pk_store_problem_window_new (NULL, db, error);
    g_clear_error (&error);
    gtk_window_present (GTK_WINDOW (window));
    pk_gui_settle ();
    {
      g_autoptr(GBytes) shown = pk_proof_read_bytes (db);

      g_assert_true (g_bytes_equal (original, shown));
    }

    g_assert_true (pk_store_problem_window_move_aside (PK_STORE_PROBLEM_WINDOW (window)));
    pk_gui_settle ();
    listing = g_dir_open (dir, 0, NULL);
    while ((name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_prefix (name, "kiosk.db.") && !g_str_has_suffix (name, "-wal")
          && !g_str_has_suffix (name, "-shm") && !g_str_has_suffix (name, "-journal"))
        {
          g_autofree char *aside = g_build_filename (dir, name, NULL);
          g_autoptr(GBytes) moved = pk_proof_read_bytes (aside);

          g_assert_true (g_bytes_equal (original, moved));
          found = TRUE;
        }
    g_assert_true (found);
    if (gtk_widget_get_visible (window))
      gtk_window_destroy (GTK_WINDOW (window));
    pk_gui_settle ();
  }

  pk_proof_rm_rf (dir);
}

/* The database's disk turned read-only (a write-protected USB stick, a
 * file system remounted read-only after an error). */
static void
test_gui_read_only_at_startup (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *mnt = NULL;
  g_autofree char *db = NULL;
  g_autofree char *petition = pk_proof_demo_petition ("prisoners-of-conscience.petition");
  g_auto(GStrv) sign = NULL;

  if (!have_mount_namespace)
    {
      pk_test_skip (mount_skip_reason);
      return;
    }
  dir = pk_proof_make_tmpdir ();
  mnt = g_build_filename (dir, "stick", NULL);
  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  g_assert_cmpint (mount ("pk-proof", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=4096k,mode=0700"), ==, 0);
  db = g_build_filename (mnt, "kiosk.db", NULL);
  sign = pk_proof_sign_args (db, petition, 1);
  g_assert_cmpint (pk_proof_run_cli ((const char * const *) sign, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);

  assert_refused_with_a_screen (db, "a read-only disk");

  g_assert_cmpint (umount (mnt), ==, 0);
  pk_proof_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  self_path = g_canonicalize_filename (argv[0], NULL);

  if (argc == 4 && g_str_equal (argv[1], "--child"))
    {
      pk_gui_init (&argc, &argv);
      return run_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
    }

  /* Before GTK starts its threads. */
  have_mount_namespace = pk_proof_enter_mount_namespace ("a small tmpfs to fill as a disk", &mount_skip_reason);
  pk_gui_init (&argc, &argv);

  g_test_add_func ("/Pk/Durability/gui/kill", test_gui_kill);
  g_test_add_func ("/Pk/Durability/gui/disk-full", test_gui_disk_full);
  g_test_add_func ("/Pk/Durability/gui/read-only-at-startup", test_gui_read_only_at_startup);
  g_test_add_func ("/Pk/Durability/gui/corrupt-at-startup", test_gui_corrupt_at_startup);

  return g_test_run ();
}
