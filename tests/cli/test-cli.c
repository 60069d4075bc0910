/* test-cli.c: `sign` and `count` as a volunteer runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real binary (PK_BINARY) on the demo petition (under
 * PK_SOURCE_ROOT) and checks exit codes, output, and that nothing is
 * written when it says so.
 *
 * The read-only cases mount a tmpfs and turn it read-only, as a
 * write-protected USB stick is. That needs root; the test process makes
 * a private mount namespace first, so the mount is invisible outside it
 * and its children. Without root that case is skipped with a message.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-test-skip.h"
#include "pk-proof.h"

static gboolean have_mount_namespace;
static char *mount_skip_reason;

typedef struct {
  char *dir;
  char *db;
  char *petition;
} Fixture;

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("pk-cli-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->petition = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                        "prisoners-of-conscience.petition", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->db, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->petition);
}

/* Runs the binary in folder @cwd (NULL: this one) with @args
 * (NULL-terminated, after the program). */
static void
run_argv_in (Run         *run,
             const char  *cwd,
             const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d, stdout: %s, stderr: %s", run->status, run->out, run->err);
}

static void
run_argv (Run         *run,
          const char **args)
{
  run_argv_in (run, NULL, args);
}

static guint64
count (Fixture *fixture)
{
  g_auto(Run) run = { 0 };
  const char *args[] = { "count", "--db", fixture->db, NULL };
  guint64 n = 0;

  run_argv (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_ascii_string_to_unsigned (g_strstrip (run.out), 10, 0, G_MAXUINT64, &n, NULL));
  return n;
}

/* sign with the demo petition, --consent and --sensitive-consent (the
 * demo asks for both) unless @no_consent, and "--option value" pairs
 * from @pairs. */
static void
sign (Fixture     *fixture,
      Run         *run,
      gboolean     consent,
      const char  *lang,
      const char **pairs)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "sign");
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, fixture->db);
  g_ptr_array_add (args, (gpointer) "--petition");
  g_ptr_array_add (args, fixture->petition);
  g_ptr_array_add (args, (gpointer) "--lang");
  g_ptr_array_add (args, (gpointer) lang);
  if (consent)
    {
      g_ptr_array_add (args, (gpointer) "--consent");
      g_ptr_array_add (args, (gpointer) "--sensitive-consent");
    }
  for (guint i = 0; pairs[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) pairs[i]);
  g_ptr_array_add (args, NULL);

  run_argv (run, (const char **) args->pdata);
}

static void
assert_uuid_printed (Run *run)
{
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (run->out)));
}

static GBytes *
read_db (Fixture *fixture)
{
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (fixture->db, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

static void
test_sign_and_count (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *korean[] = { "--family-name", "홍", "--given-name", "길동",
                           "--email", "hong.gildong@example.org", "--phone", "010-1234-5678",
                           "--postal-code", "03142", "--country", "KR", NULL };
  const char *german[] = { "--given-name", "Jürgen", "--family-name", "Müller",
                           "--email", "Juergen.Mueller@Example.DE", "--country", "de",
                           "--comment", "Freiheit für alle!", "--opt-in", NULL };
  const char *mononym_given[] = { "--given-name", "Ahmed", "--email", "ahmed@example.org", NULL };
  const char *mononym_family[] = { "--family-name", "Suharto", NULL };
  const char *again[] = { "--given-name", "Jürgen", "--family-name", "Müller",
                          "--email", "JUERGEN.MUELLER@example.de", NULL };
  const char *json_args[] = { "count", "--db", fixture->db, "--json", NULL };
  const char *id_args[] = { "count", "--db", fixture->db, "--petition-id", "prisoners-of-conscience", NULL };
  const char *other_args[] = { "count", "--db", fixture->db, "--petition-id", "other", NULL };
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  JsonObject *object;

  sign (fixture, &run, TRUE, "ko", korean);
  assert_uuid_printed (&run);
  g_assert_cmpuint (count (fixture), ==, 1);
  run_clear (&run);

  sign (fixture, &run, TRUE, "de", german);
  assert_uuid_printed (&run);
  g_assert_cmpuint (count (fixture), ==, 2);
  run_clear (&run);

  sign (fixture, &run, TRUE, "en", mononym_given);
  assert_uuid_printed (&run);
  g_assert_cmpuint (count (fixture), ==, 3);
  run_clear (&run);

  sign (fixture, &run, TRUE, "en", mononym_family);
  assert_uuid_printed (&run);
  g_assert_cmpuint (count (fixture), ==, 4);
  run_clear (&run);

  /* The same email in other letter case: exit 3, nothing written. */
  before = read_db (fixture);
  sign (fixture, &run, TRUE, "de", again);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "already signed"));
  after = read_db (fixture);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count (fixture), ==, 4);
  run_clear (&run);

  run_argv (&run, json_args);
  g_assert_cmpint (run.status, ==, 0);
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "petitions"),
                                               "prisoners-of-conscience"), ==, 4);
  run_clear (&run);

  run_argv (&run, id_args);
  g_assert_cmpstr (g_strstrip (run.out), ==, "4");
  run_clear (&run);
  run_argv (&run, other_args);
  g_assert_cmpstr (g_strstrip (run.out), ==, "0");
}

typedef struct {
  const char *what;
  gboolean consent;
  const char *lang;
  const char *args[7];
  const char *named;   /* what stderr must name */
} Invalid;

static void
test_invalid_writes_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (100 * 1024, 'x');
  const Invalid cases[] = {
    { "no name", TRUE, "en", { "--email", "nobody@example.org", NULL }, "--given-name" },
    { "blank name", TRUE, "en", { "--given-name", " \u200B ", NULL }, "--given-name" },
    { "malformed email", TRUE, "en", { "--given-name", "Lee", "--email", "not-an-email", NULL }, "--email" },
    { "double @", TRUE, "en", { "--given-name", "Kim", "--email", "kim@@example.org", NULL }, "--email" },
    { "no consent", FALSE, "en", { "--given-name", "Kim", NULL }, "--consent" },
    { "100 kB field", TRUE, "en", { "--given-name", "Kim", "--comment", huge, NULL }, "--comment" },
    { "bidi override", TRUE, "en", { "--given-name", "Kim\u202Eexe.gpj", NULL }, "--given-name" },
    { "bidi isolate", TRUE, "en", { "--family-name", "\u2067Lee", NULL }, "--family-name" },
    { "invalid UTF-8", TRUE, "en", { "--given-name", "Kim\xff\xfe", NULL }, "--given-name" },
    { "control char", TRUE, "en", { "--given-name", "Kim\x1b[2J", NULL }, "--given-name" },
    { "bad phone", TRUE, "en", { "--given-name", "Kim", "--phone", "call me", NULL }, "--phone" },
    { "impossible phone", TRUE, "en", { "--given-name", "Kim", "--phone", "12345", "--country", "DE", NULL },
      "--phone" },
    { "ambiguous country", TRUE, "en", { "--given-name", "Kim", "--country", "Congo", NULL }, "--country" },
    { "unknown country", TRUE, "en", { "--given-name", "Kim", "--country", "Atlantis", NULL }, "--country" },
    { "bad language", TRUE, "fr", { "--given-name", "Kim", NULL }, "--lang" },
  };
  const char *first[] = { "--given-name", "First", NULL };
  g_autoptr(GBytes) before = NULL;

  /* Invalid input on a fresh kiosk does not even create the database. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      g_test_message ("case: %s", cases[i].what);
      sign (fixture, &run, cases[i].consent, cases[i].lang, (const char **) cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].named));
      g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
    }

  /* And on a kiosk with signatures, not a byte changes. */
  {
    g_auto(Run) run = { 0 };

    sign (fixture, &run, TRUE, "en", first);
    assert_uuid_printed (&run);
  }
  before = read_db (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GBytes) after = NULL;

      sign (fixture, &run, cases[i].consent, cases[i].lang, (const char **) cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      after = read_db (fixture);
      g_assert_true (g_bytes_equal (before, after));
    }
  g_assert_cmpuint (count (fixture), ==, 1);
}

static void
test_other_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *bad_petition = g_build_filename (fixture->dir, "bad.petition", NULL);
  g_autofree char *not_db = g_build_filename (fixture->dir, "notes.db", NULL);
  const char *bad_args[] = { "sign", "--db", fixture->db, "--petition", bad_petition,
                             "--given-name", "Kim", "--consent", "--sensitive-consent", NULL };
  const char *not_db_args[] = { "sign", "--db", not_db, "--petition", fixture->petition,
                                "--given-name", "Kim", "--consent", "--sensitive-consent", NULL };
  const char *no_petition[] = { "sign", "--db", fixture->db, "--given-name", "Kim", "--consent",
                                "--sensitive-consent", NULL };
  const char *unknown_option[] = { "sign", "--shoe-size", "44", NULL };
  const char *count_missing[] = { "count", "--db", fixture->db, NULL };

  g_assert_true (g_file_set_contents (bad_petition, "[Petition]\nId=x\nGoal=lots\n", -1, NULL));
  g_assert_true (g_file_set_contents (not_db, "my notes", -1, NULL));

  {
    g_auto(Run) run = { 0 };

    run_argv (&run, bad_args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "bad.petition"));
  }
  {
    g_auto(Run) run = { 0 };
    g_autofree char *contents = NULL;

    run_argv (&run, not_db_args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_file_get_contents (not_db, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "my notes");
    g_unlink (not_db);
  }
  {
    g_auto(Run) run = { 0 };

    run_argv (&run, no_petition);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--petition"));
  }
  {
    g_auto(Run) run = { 0 };

    run_argv (&run, unknown_option);
    g_assert_cmpint (run.status, ==, 2);
  }
  {
    g_auto(Run) run = { 0 };

    /* count never creates a database. */
    run_argv (&run, count_missing);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  }
  g_unlink (bad_petition);
}

/* A mistyped command is a usage error with a suggestion; it never opens
 * the kiosk (this test would then wait on its window) or prints a GLib
 * critical. */
static void
test_unknown_command (void)
{
  const struct {
    const char *args[3];
    const char *says;
  } cases[] = {
    { { "mrege", NULL }, "“merge”" },
    { { "verfy", "x.pkbatch", NULL }, "“verify”" },
    { { "Export", NULL }, "“export”" },
    { { "xyzzy", NULL }, "“xyzzy” is not a command" },
    { { "--windowed", "sign", NULL }, "petition-kiosk sign [" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_argv (&run, (const char **) cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_null (strstr (run.err, "CRITICAL"));
      g_assert_cmpstr (run.out, ==, "");
    }

  /* A word unlike any command gets no guess. */
  {
    const char *args[] = { "xyzzy", NULL };
    g_auto(Run) run = { 0 };

    run_argv (&run, args);
    g_assert_null (strstr (run.err, "Did you mean"));
  }
}

/* A server that takes the connection and then never answers (here a
 * socket listened on and never accepted: the system completes the
 * handshake for it) fails after the address's connect_timeout, with a
 * clear message and exit status 1, as for a store that cannot be opened;
 * libpq alone would wait as long as the system does. Without a
 * timeout in the address, the default applies (test-pg-store,
 * /Pk/Pg/connect-options). */
static void
test_address_unanswered (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *uri = NULL;
  g_auto(Run) run = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, FALSE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("postgresql://pk@127.0.0.1:%u/campaign?sslmode=verify-full&connect_timeout=2",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  run_argv_in (&run, fixture->dir, (const char *[]) { "count", "--db", uri, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Cannot connect to the database server"));
  g_assert_nonnull (strstr (run.err, "timeout expired"));
  g_assert_cmpstr (run.out, ==, "");
}

/* A master named by address is refused before anything is opened: no
 * folder "postgresql:" and no SQLite file inside it. The reading
 * commands take a PostgreSQL address, but only one that keeps signer
 * data encrypted on the network (docs/scale.md), and so do sync and
 * merge and the coordinator's window; the kiosk says it cannot use one
 * yet. */
static void
test_address_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *cases[][7] = {
    { "merge", "--into", "postgresql://coordinator@db.example.org/campaign", "x.pkbatch", NULL,
      "sslmode=verify-full" },
    { "report", "--db", "postgres://localhost/campaign", NULL, NULL, "sslmode=verify-full" },
    { "export", "--db", "postgresql://db.example.org/campaign?sslmode=require", "--format", "csv",
      "sslmode=require" },
    { "count", "--db", "file:master.db", NULL, NULL, "address of a database" },
    { "sync", "--db", "https://example.org/master", NULL, NULL, "address of a database" },
    { "sync", "--db", "postgresql://db.example.org/campaign?sslmode=prefer", NULL, NULL, "sslmode=prefer" },
    { "sign", "--db", "sqlite://kiosk.db", "--consent", NULL, "address of a database" },
    { "--coordinator", "--db", "postgresql://db.example.org/campaign", NULL, NULL, "sslmode=verify-full" },
    { "--windowed", "--db", "postgres://db.example.org/kiosk", NULL, NULL, "not available here yet" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_auto(Run) run = { 0 };
      const char *args[6] = { 0 };

      memcpy (args, cases[i], 5 * sizeof (const char *));
      run_argv_in (&run, fixture->dir, args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i][2]));
      g_assert_nonnull (strstr (run.err, cases[i][5]));

      dir = g_dir_open (fixture->dir, 0, NULL);
      g_assert_nonnull (dir);
      g_assert_null (g_dir_read_name (dir));
    }

  /* A password is refused by every command, and not repeated. */
  {
    const char *commands[][4] = {
      { "count", "--db", NULL, NULL },
      { "merge", "--into", NULL, "x.pkbatch" },
      { "copy-master", "--from", NULL, NULL },
      { "--coordinator", "--db", NULL, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        const char *args[] = { commands[i][0], commands[i][1],
                               "postgresql://coordinator:hunter2@db.example.org/campaign?sslmode=verify-full",
                               commands[i][3], NULL, NULL };
        g_auto(Run) run = { 0 };

        if (g_str_equal (commands[i][0], "copy-master"))
          {
            args[3] = "--to";
            args[4] = "new.db";
          }
        run_argv_in (&run, fixture->dir, args);
        g_assert_cmpint (run.status, ==, 2);
        g_assert_nonnull (strstr (run.err, "Passwords never go on the command line"));
        g_assert_null (strstr (run.err, "hunter2"));
      }
  }

  /* A colon in a plain file name is still a file name. */
  {
    const char *args[] = { "count", "--db", "a:b.db", NULL };
    g_auto(Run) run = { 0 };

    run_argv_in (&run, fixture->dir, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "a:b.db"));
  }
}

/* Country names in the signer's language, --lang, whatever the
 * program's own (the tests run under LANGUAGE=en). */
static void
test_country_names (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct {
    const char *lang;
    const char *country;
    int         status;
  } cases[] = {
    { "ko", "한국", 0 },
    { "ko", "남한", 0 },
    { "ko", "독일", 0 },
    { "de", "Deutschland", 0 },
    { "en", "South Korea", 0 },
    { "en", "Germany", 0 },
    /* The demo petition's Country is KR. */
    { "en", "Korea", 0 },
    { "de", "독일", 2 },
    { "en", "Congo", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *email = g_strdup_printf ("signer%u@example.org", i);
      const char *pairs[] = { "--given-name", "Kim", "--email", email,
                              "--country", cases[i].country, NULL };
      g_auto(Run) run = { 0 };

      sign (fixture, &run, TRUE, cases[i].lang, pairs);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].status == 2)
        g_assert_nonnull (strstr (run.err, cases[i].country));
    }

  /* Both candidates, by name and code. */
  {
    const char *pairs[] = { "--given-name", "Kim", "--country", "Congo", NULL };
    g_auto(Run) run = { 0 };

    sign (fixture, &run, TRUE, "en", pairs);
    g_assert_nonnull (strstr (run.err, "(CG)"));
    g_assert_nonnull (strstr (run.err, "(CD)"));
  }
  g_assert_cmpuint (count (fixture), ==, 7);
}

static void
test_help (void)
{
  const char *commands[] = { "sign", "count" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[] = { commands[i], "--help", NULL };
      g_auto(Run) run = { 0 };

      run_argv (&run, args);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, commands[i]));
      g_assert_nonnull (strstr (run.out, "--db"));
    }
}

/* The shared sample of signers, as a volunteer would type them in. */
static void
test_sample_signers (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "tests", "data",
                                           "signers.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *options[] = { "--given-name", "--family-name", "--email", "--phone",
                            "--postal-code", "--country" };
  guint64 valid = 0;

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autoptr(GPtrArray) pairs = g_ptr_array_new ();
      g_auto(Run) run = { 0 };
      const char *expect;

      if (*lines[i] == '\0')
        continue;

      /* The sample has no quoted cells; its names may hold anything
       * else, which is the point. */
      cells = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (cells) > 9)
        {
          /* A cell with a comma (the formula) was split: rejoin it. */
          g_autofree char *joined = g_strjoinv (",", cells);
          g_auto(GStrv) head = g_strsplit (joined, ",Formula,", 2);
          g_autofree char *rest = g_strconcat ("Formula,", head[1], NULL);
          g_auto(GStrv) tail = g_strsplit (rest, ",", -1);
          GPtrArray *fixed = g_ptr_array_new ();

          g_ptr_array_add (fixed, g_strdup (head[0]));
          for (guint c = 0; tail[c] != NULL; c++)
            g_ptr_array_add (fixed, g_strdup (tail[c]));
          g_ptr_array_add (fixed, NULL);
          g_strfreev (cells);
          cells = (GStrv) g_ptr_array_free (fixed, FALSE);
        }
      g_assert_cmpuint (g_strv_length (cells), ==, 9);

      for (guint c = 0; c < G_N_ELEMENTS (options); c++)
        if (*cells[c] != '\0')
          {
            g_ptr_array_add (pairs, (gpointer) options[c]);
            g_ptr_array_add (pairs, cells[c]);
          }
      g_ptr_array_add (pairs, NULL);

      g_test_message ("signer: %s", lines[i]);
      sign (fixture, &run, TRUE, cells[6], (const char **) pairs->pdata);

      expect = cells[7];
      if (g_str_equal (expect, "valid"))
        {
          assert_uuid_printed (&run);
          valid++;
        }
      else if (g_str_equal (expect, "duplicate"))
        g_assert_cmpint (run.status, ==, 3);
      else
        g_assert_cmpint (run.status, ==, 2);
    }

  g_assert_cmpuint (valid, >=, 10);
  g_assert_cmpuint (count (fixture), ==, valid);
}

/* What a reader must leave as it was: the file's bytes and mtime and the
 * names in its folder (no -wal, -shm or -journal beside it). */
typedef struct {
  GBytes *bytes;
  gint64  mtime_ns;
  char   *listing;
} FileState;

static void
file_state_clear (FileState *state)
{
  g_clear_pointer (&state->bytes, g_bytes_unref);
  g_clear_pointer (&state->listing, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FileState, file_state_clear)

static void
file_state_take (FileState  *state,
                 const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  char *contents = NULL;
  gsize len = 0;
  struct stat st;
  GDir *dir;
  const char *name;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  state->bytes = g_bytes_new_take (contents, len);
  g_assert_cmpint (stat (path, &st), ==, 0);
  state->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;

  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  state->listing = g_strjoinv ("/", (char **) names->pdata);
}

/* count, report and export on @db, which holds @n signatures, must all
 * work without changing it; the export goes to a writable folder. */
static void
assert_reads_leave_untouched (const char *db,
                              guint64     n)
{
  g_autofree char *out_dir = g_dir_make_tmp ("pk-cli-out-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (out_dir, "export.csv", NULL);
  g_autofree char *expected_count = g_strdup_printf ("%" G_GUINT64_FORMAT "\n", n);
  g_autofree char *expected_total = g_strdup_printf ("Signatures: %" G_GUINT64_FORMAT "\n", n);
  const char *count_args[] = { "count", "--db", db, NULL };
  const char *json_args[] = { "count", "--db", db, "--json", NULL };
  const char *report_args[] = { "report", "--db", db, NULL };
  const char *export_args[] = { "export", "--db", db, "--format", "csv", "--out", csv, NULL };
  g_auto(FileState) before = { 0 };
  g_auto(FileState) after = { 0 };
  g_autofree char *exported = NULL;

  file_state_take (&before, db);
  /* The case that needs care: a WAL database (header bytes 18 and 19
   * are 2) with no -wal or -shm beside it, which an ordinary read-only
   * connection would have to create. */
  g_assert_cmpuint (g_bytes_get_size (before.bytes), >, 20);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (before.bytes, NULL))[18], ==, 2);
  g_assert_null (strstr (before.listing, "-wal"));
  g_assert_null (strstr (before.listing, "-shm"));

  {
    g_auto(Run) run = { 0 };

    run_argv (&run, count_args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected_count);
  }
  {
    g_auto(Run) run = { 0 };

    run_argv (&run, json_args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "{\"count\":"));
  }
  {
    g_auto(Run) run = { 0 };

    run_argv (&run, report_args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, expected_total));
  }
  {
    g_auto(Run) run = { 0 };

    run_argv (&run, export_args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (csv, &exported, NULL, NULL));
    g_assert_nonnull (strstr (exported, "example.org"));
  }

  file_state_take (&after, db);
  g_assert_true (g_bytes_equal (before.bytes, after.bytes));
  g_assert_cmpint (after.mtime_ns, ==, before.mtime_ns);
  g_assert_cmpstr (after.listing, ==, before.listing);

  g_unlink (csv);
  g_rmdir (out_dir);
}

static void
sign_two (Fixture *fixture)
{
  const char *first[] = { "--given-name", "Jiwoo", "--family-name", "Kim", "--email", "jiwoo@example.org", NULL };
  const char *second[] = { "--given-name", "Anna", "--family-name", "Schmidt", "--email", "anna@example.org", NULL };
  g_auto(Run) run1 = { 0 };
  g_auto(Run) run2 = { 0 };

  sign (fixture, &run1, TRUE, "ko", first);
  assert_uuid_printed (&run1);
  sign (fixture, &run2, TRUE, "de", second);
  assert_uuid_printed (&run2);
}

/* A file and folder without write permission, as copied from a stick.
 * As root the modes do not stop a write, so what is checked is what
 * matters on read-only media: nothing changed or appeared (a plain
 * SQLITE_OPEN_READONLY connection would leave a -wal and a -shm here). */
static void
test_read_only_modes (Fixture       *fixture,
                      gconstpointer  data)
{
  sign_two (fixture);
  g_assert_cmpint (g_chmod (fixture->db, 0400), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0500), ==, 0);

  assert_reads_leave_untouched (fixture->db, 2);

  g_assert_cmpint (g_chmod (fixture->dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (fixture->db, 0600), ==, 0);
}

/* A master on a truly read-only disk: a tmpfs remounted read-only. */
static void
test_read_only_disk (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *stick = g_build_filename (fixture->dir, "USB stick", NULL);
  g_autofree char *kiosk_db = g_steal_pointer (&fixture->db);

  if (!have_mount_namespace)
    {
      pk_test_skip (mount_skip_reason);
      fixture->db = g_steal_pointer (&kiosk_db);
      return;
    }

  g_assert_cmpint (g_mkdir (stick, 0700), ==, 0);
  if (mount ("pk-cli", stick, "tmpfs", MS_NOSUID | MS_NODEV, "size=4096k,mode=0700") != 0)
    g_error ("mount tmpfs at %s: %s", stick, g_strerror (errno));
  fixture->db = g_build_filename (stick, "master 마스터.db", NULL);
  sign_two (fixture);
  if (mount (NULL, stick, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
    g_error ("remount %s read-only: %s", stick, g_strerror (errno));

  /* Really read-only: a signature cannot be saved there. */
  {
    const char *third[] = { "--given-name", "Bo", "--family-name", "Berg", NULL };
    g_auto(Run) run = { 0 };

    sign (fixture, &run, TRUE, "en", third);
    g_assert_cmpint (run.status, ==, 1);
  }
  assert_reads_leave_untouched (fixture->db, 2);

  g_assert_cmpint (umount (stick), ==, 0);
  g_assert_cmpint (g_rmdir (stick), ==, 0);
  g_free (fixture->db);
  fixture->db = g_steal_pointer (&kiosk_db);
}

/* What the dynamic loader says it opened while the binary ran with @args
 * (NULL-terminated, after the program): LD_DEBUG=files writes a
 * "file=NAME" line to stderr for every library, the ones the executable
 * needs and the ones opened later with dlopen() alike. With @bind_now
 * every symbol is resolved when its library is loaded, not at its first
 * call, so that a missing one fails the load. */
static char *
loaded_libraries (const char **args,
                  gboolean     bind_now,
                  int          expected_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LD_DEBUG", "files", TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  char *err = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PK_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (bind_now)
    envp = g_environ_setenv (envp, "LD_BIND_NOW", "1", TRUE);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) != expected_status)
    g_error ("petition-kiosk %s: exit %d: %s", args[0], WEXITSTATUS (wait_status),
             g_strrstr (err, "petition-kiosk:") ? g_strrstr (err, "petition-kiosk:") : err);
  return err;
}

/* The libraries only the kiosk's and the coordinator's windows use. */
static const char * const gui_libraries[] = {
  "file=libgtk-4.so", "file=libadwaita-1.so", "file=libsecret-1.so",
};

/* A subcommand, which scripts and the tests start by the thousand, never
 * loads GTK, libadwaita or libsecret: they live in the window's module
 * (src/app/pk-app-module.h), which only a start without a subcommand
 * opens. Nor libpq, in the PostgreSQL module (src/core/pk-pg-module.h),
 * unless given a postgresql:// address. Loading them was two thirds of
 * every command's start-up. */
static void
test_no_gui_libraries (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *sign_args[] = { "sign", "--db", fixture->db, "--petition", fixture->petition,
                              "--lang", "en", "--given-name", "Jiwoo", "--family-name", "Kim",
                              "--email", "jiwoo@example.org", "--consent", "--sensitive-consent",
                              NULL };
  const char *count_args[] = { "count", "--db", fixture->db, NULL };
  const char *report_args[] = { "report", "--db", fixture->db, NULL };
  const char *version_args[] = { "--version", NULL };
  const char **headless[] = { sign_args, count_args, report_args, version_args };
  const char *help_args[] = { "--help", NULL };
  /* No server answers there: the command fails once libpq tried. */
  const char *pg_args[] = { "count", "--db", "postgresql:///petitions?host=/nonexistent", NULL };
  g_autofree char *window = NULL;
  g_autofree char *pg = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (headless); i++)
    {
      g_autofree char *loaded = loaded_libraries (headless[i], FALSE, 0);

      /* The loader's account was read: libc is in every one. */
      g_assert_nonnull (strstr (loaded, "file=libc.so"));
      for (guint j = 0; j < G_N_ELEMENTS (gui_libraries); j++)
        if (strstr (loaded, gui_libraries[j]) != NULL)
          g_error ("petition-kiosk %s loaded %s", headless[i][0], gui_libraries[j] + strlen ("file="));
      if (strstr (loaded, "file=libpq.so") != NULL)
        g_error ("petition-kiosk %s loaded libpq.so for a file", headless[i][0]);
    }

  /* A postgresql:// address opens the PostgreSQL module, and libpq with
   * it, and nothing of the window's; resolved at once, every symbol the
   * module calls is found. */
  pg = loaded_libraries (pg_args, TRUE, 1);
  g_assert_nonnull (strstr (pg, "file=libpq.so"));
  for (guint j = 0; j < G_N_ELEMENTS (gui_libraries); j++)
    g_assert_null (strstr (pg, gui_libraries[j]));
  g_assert_nonnull (strstr (pg, "Cannot connect to the database server"));

  /* The same account names them when the module is opened: --help lists
   * the window's options, so it goes through the application. Opened
   * with every symbol resolved at once, the module finds each function
   * of the core and the CLI it calls in the executable: main.c binds
   * lazily, where one missing would end the kiosk at its first call. */
  window = loaded_libraries (help_args, TRUE, 0);
  for (guint j = 0; j < G_N_ELEMENTS (gui_libraries); j++)
    g_assert_nonnull (strstr (window, gui_libraries[j]));
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything could start a thread: unshare() refuses then. */
  have_mount_namespace = pk_proof_enter_mount_namespace ("a read-only tmpfs", &mount_skip_reason);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Pk/Cli/sign-and-count", Fixture, NULL, fixture_setup, test_sign_and_count, fixture_teardown);
  g_test_add ("/Pk/Cli/invalid-writes-nothing", Fixture, NULL, fixture_setup, test_invalid_writes_nothing, fixture_teardown);
  g_test_add ("/Pk/Cli/other-errors", Fixture, NULL, fixture_setup, test_other_errors, fixture_teardown);
  g_test_add ("/Pk/Cli/sample-signers", Fixture, NULL, fixture_setup, test_sample_signers, fixture_teardown);
  g_test_add_func ("/Pk/Cli/help", test_help);
  g_test_add_func ("/Pk/Cli/unknown-command", test_unknown_command);
  g_test_add ("/Pk/Cli/address-refused", Fixture, NULL, fixture_setup, test_address_refused, fixture_teardown);
  g_test_add ("/Pk/Cli/address-unanswered", Fixture, NULL, fixture_setup, test_address_unanswered,
              fixture_teardown);
  g_test_add ("/Pk/Cli/country-names", Fixture, NULL, fixture_setup, test_country_names, fixture_teardown);
  g_test_add ("/Pk/Cli/read-only/modes", Fixture, NULL, fixture_setup, test_read_only_modes, fixture_teardown);
  g_test_add ("/Pk/Cli/read-only/disk", Fixture, NULL, fixture_setup, test_read_only_disk, fixture_teardown);
  g_test_add ("/Pk/Cli/no-gui-libraries", Fixture, NULL, fixture_setup, test_no_gui_libraries,
              fixture_teardown);

  return g_test_run ();
}
