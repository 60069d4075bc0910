/* test-pg-store.c: a master on PostgreSQL through the core API: the
 * address rules, the schema and its versions, passwords, and the
 * kiosk's work refused there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pk-db-private.h"
#include "pk-pg-location.h"
#include "pk-pg-server.h"
#include "pk-store-private.h"

static PkPgServer *server;

/* Skips the test when there is no server. */
static gboolean
have_server (void)
{
  if (server == NULL)
    server = pk_pg_server_start ();
  return server != NULL;
}

static void
assert_refused (const char *location,
                const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pk_pg_location_check (location, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION);
  g_assert_nonnull (strstr (error->message, expected));
}

static void
test_location_rules (void)
{
  const char *accepted[] = {
    "postgresql:///campaign",
    "postgresql:///campaign?host=/run/postgresql",
    "postgresql://%2Fvar%2Frun%2Fpostgresql/campaign",
    "postgresql://coordinator@db.example.org/campaign?sslmode=verify-full",
    "postgres://db1.example.org,db2.example.org/campaign?sslmode=verify-full",
    "postgresql:///?service=campaign",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pk_pg_location_check (accepted[i], &error));
      g_assert_no_error (error);
    }

  /* The password is refused, and not repeated in the message. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (pk_pg_location_check ("postgresql://coordinator:s3cret@db.example.org/campaign"
                                          "?sslmode=verify-full", &error));
    g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION);
    g_assert_nonnull (strstr (error->message, "~/.pgpass"));
    g_assert_null (strstr (error->message, "s3cret"));
    g_clear_error (&error);
    g_assert_false (pk_pg_location_check ("postgresql:///campaign?host=/run/postgresql&password=s3cret", &error));
    g_assert_null (strstr (error->message, "s3cret"));
  }

  assert_refused ("postgresql://db.example.org/campaign", "sslmode=prefer");
  assert_refused ("postgresql://db.example.org/campaign?sslmode=require", "sslmode=require");
  assert_refused ("postgresql://localhost/campaign?sslmode=disable", "sslmode=disable");
  assert_refused ("postgresql:///campaign?hostaddr=127.0.0.1", "sslmode=prefer");
  assert_refused ("postgresql://%2Frun%2Fpostgresql,db.example.org/campaign", "verify-full");
  assert_refused ("postgresql://db.example.org:notaport/campaign?nosuchkey=1", "libpq");
}

static PkStore *
open_master (const char *database,
             GError    **error)
{
  g_autofree char *uri = pk_pg_server_uri (server, database, NULL);

  return pk_store_open_master (uri, error);
}

/* Every connection waits at most 10 s for a server to answer and
 * notices a vanished one by TCP keepalives, unless its address says
 * otherwise (an unanswered server's failure: test-cli,
 * /Pk/Cli/address-unanswered). */
static void
test_connect_options (void)
{
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *own_uri = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(PkStore) own = NULL;
  g_autoptr(GError) error = NULL;
  const char *defaults[][2] = {
    { "connect_timeout", "10" }, { "keepalives_idle", "30" }, { "keepalives_interval", "10" },
    { "keepalives_count", "3" }, { "tcp_user_timeout", "60000" }, { "application_name", "petition-kiosk" },
  };

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  store = pk_store_open_master (uri, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      g_autofree char *value = _pk_db_pg_get_option (pk_store_get_conn (store), defaults[i][0]);

      g_assert_cmpstr (value, ==, defaults[i][1]);
    }

  /* The address's own values win over the defaults, not over the
   * program's name. */
  own_uri = g_strconcat (uri, "&connect_timeout=3&keepalives_idle=5&application_name=mine", NULL);
  own = pk_store_open_master (own_uri, &error);
  g_assert_no_error (error);
  {
    g_autofree char *timeout = _pk_db_pg_get_option (pk_store_get_conn (own), "connect_timeout");
    g_autofree char *idle = _pk_db_pg_get_option (pk_store_get_conn (own), "keepalives_idle");
    g_autofree char *name = _pk_db_pg_get_option (pk_store_get_conn (own), "application_name");

    g_assert_cmpstr (timeout, ==, "3");
    g_assert_cmpstr (idle, ==, "5");
    g_assert_cmpstr (name, ==, "petition-kiosk");
  }
}

/* The connection lost under a store (the server restarted) is made
 * again by the next statement, which then works: the first one after
 * the loss says so, in the store's words. */
static void
test_reconnect (void)
{
  g_autofree char *database = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  store = open_master (database, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_set_setting (store, "endpoint", "https://example.org/a", &error));
  g_assert_no_error (error);

  pk_pg_server_kill (server);
  value = pk_store_get_setting (store, "endpoint");
  g_assert_null (value);
  g_assert_false (pk_store_set_setting (store, "endpoint", "https://example.org/b", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "was lost"));
  g_clear_error (&error);

  pk_pg_server_restart (server);
  g_assert_true (pk_store_set_setting (store, "endpoint", "https://example.org/c", &error));
  g_assert_no_error (error);
  value = pk_store_get_setting (store, "endpoint");
  g_assert_cmpstr (value, ==, "https://example.org/c");
}

static void
test_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autofree char *database = NULL;
  g_autofree char *value = NULL;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);

  store = open_master (database, &error);
  g_assert_no_error (error);
  g_assert_true (pk_store_is_postgresql (store));
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT version FROM pk_schema"),
                   ==, pk_store_pg_get_latest_version ());

  /* Settings and counts go through the same API as on SQLite. */
  g_assert_true (pk_store_set_setting (store, "event", "거리 서명 2026", &error));
  g_assert_no_error (error);
  value = pk_store_get_setting (store, "event");
  g_assert_cmpstr (value, ==, "거리 서명 2026");
  g_assert_true (pk_store_set_setting (store, "event", NULL, &error));
  g_assert_null (pk_store_get_setting (store, "event"));
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Opening again migrates nothing and keeps what is there. */
  store = open_master (database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT count(*) FROM pk_schema"), ==, 1);
}

/* Two coordinators opening one fresh database at once: the advisory
 * lock lets one create the schema, and the other finds it made. */
static gpointer
open_in_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  PkStore *store = pk_store_open_master (data, &error);

  g_assert_no_error (error);
  return store;
}

static void
test_concurrent_creation (void)
{
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  GThread *threads[4];

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, uri);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_object_unref (g_thread_join (threads[i]));
  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT version FROM pk_schema"),
                   ==, pk_store_pg_get_latest_version ());
}

static void
test_newer_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *newer = NULL;
  PkStore *store;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, database, NULL);
  store = open_master (database, &error);
  g_assert_no_error (error);
  g_object_unref (store);

  newer = g_strdup_printf ("UPDATE pk_schema SET version = %u; CREATE TABLE from_the_future (x int)",
                           pk_store_pg_get_latest_version () + 1);
  pk_pg_server_exec (server, database, newer);

  g_assert_null (pk_store_open_master (uri, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);
  g_assert_null (pk_store_open_master_read_only (uri, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEWER_VERSION);

  g_assert_cmpint (pk_pg_server_query_int64 (server, database, "SELECT version FROM pk_schema"),
                   ==, pk_store_pg_get_latest_version () + 1);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database,
                                             "SELECT count(*) FROM pg_tables WHERE tablename = 'from_the_future'"),
                   ==, 1);
}

/* A database holding someone else's tables is not migrated into ours;
 * an empty one is not read as an empty master. */
static void
test_not_ours_and_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *uri = NULL;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  pk_pg_server_exec (server, database, "CREATE TABLE customers (id int)");
  g_assert_null (open_master (database, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT);
  g_assert_cmpint (pk_pg_server_query_int64 (server, database,
                                             "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
                   ==, 1);
  g_clear_error (&error);

  empty = pk_pg_server_create_database (server);
  uri = pk_pg_server_uri (server, empty, NULL);
  g_assert_null (pk_store_open_master_read_only (uri, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE);
  g_assert_cmpint (pk_pg_server_query_int64 (server, empty,
                                             "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
                   ==, 0);
}

/* A password file for @user, private as libpq demands. */
static void
write_passfile (const char *dir,
                const char *user,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *line = g_strdup_printf ("*:*:*:%s:%s\n", user, password);

  g_file_set_contents (path, line, -1, &error);
  g_assert_no_error (error);
  g_chmod (path, 0600);
  g_setenv ("PGPASSFILE", path, TRUE);
}

/* The password comes from the password file; a wrong one, or none,
 * is told apart, and never shown. */
static void
test_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *files = NULL;
  PkStore *store;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  pk_pg_server_exec (server, database,
                     "CREATE ROLE " PK_PG_SERVER_PASSWORD_ROLE " LOGIN PASSWORD 'right-horse-battery'");
  pk_pg_server_exec (server, database, "GRANT ALL ON SCHEMA public TO " PK_PG_SERVER_PASSWORD_ROLE);
  uri = pk_pg_server_uri (server, database, PK_PG_SERVER_PASSWORD_ROLE);
  files = g_dir_make_tmp ("pk-pgpass-XXXXXX", &error);
  g_assert_no_error (error);

  write_passfile (files, PK_PG_SERVER_PASSWORD_ROLE, "wrong-staple");
  g_assert_null (pk_store_open_master (uri, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "refused the password"));
  g_assert_nonnull (strstr (error->message, "~/.pgpass"));
  g_assert_null (strstr (error->message, "wrong-staple"));
  g_clear_error (&error);

  write_passfile (files, "someone-else", "right-horse-battery");
  g_assert_null (pk_store_open_master (uri, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "asks for a password"));
  g_clear_error (&error);

  write_passfile (files, PK_PG_SERVER_PASSWORD_ROLE, "right-horse-battery");
  store = pk_store_open_master (uri, &error);
  g_assert_no_error (error);
  g_object_unref (store);

  g_unsetenv ("PGPASSFILE");
  {
    g_autofree char *path = g_build_filename (files, "pgpass", NULL);

    g_unlink (path);
    g_rmdir (files);
  }
}

/* Kiosk paths stop with a message on a master on PostgreSQL. */
static void
test_kiosk_paths_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autofree char *database = NULL;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  store = open_master (database, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pk_store_wipe_exported (store, &error), ==, -1);
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION);
  g_assert_nonnull (strstr (error->message, "not available yet"));
  g_clear_error (&error);
  g_assert_null (pk_store_prepare (store, "SELECT 1", "reading", &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION);
}

/* Over TCP with sslmode=verify-full: a server whose certificate the CA
 * signed for the host asked for is used; with another CA the
 * connection is refused, saying why. Last: the server listens on TCP
 * from here on. */
static void
test_tls_verify_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkStore) store = NULL;
  g_autofree char *database = NULL;
  g_autofree char *base = NULL;
  g_autofree char *good = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *plain = NULL;

  if (!have_server ())
    return;
  database = pk_pg_server_create_database (server);
  base = pk_pg_server_enable_tls (server);
  good = g_strdup_printf ("%s/%s?sslmode=verify-full&sslrootcert=%s/ca.crt",
                          base, database, pk_pg_server_get_dir (server));
  wrong = g_strdup_printf ("%s/%s?sslmode=verify-full&sslrootcert=%s/other-ca.crt",
                           base, database, pk_pg_server_get_dir (server));
  plain = g_strdup_printf ("%s/%s?sslmode=require", base, database);

  store = pk_store_open_master (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pk_store_count (store, NULL), ==, 0);
  g_clear_object (&store);

  g_assert_null (pk_store_open_master (wrong, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Cannot connect"));
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_clear_error (&error);

  g_assert_null (pk_store_open_master (plain, &error));
  g_assert_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pk/Pg/location-rules", test_location_rules);
  g_test_add_func ("/Pk/Pg/schema", test_schema);
  g_test_add_func ("/Pk/Pg/connect-options", test_connect_options);
  g_test_add_func ("/Pk/Pg/reconnect", test_reconnect);
  /* Before any thread is made: it sets PGPASSFILE. */
  g_test_add_func ("/Pk/Pg/password", test_password);
  g_test_add_func ("/Pk/Pg/concurrent-creation", test_concurrent_creation);
  g_test_add_func ("/Pk/Pg/newer-refused", test_newer_refused);
  g_test_add_func ("/Pk/Pg/not-ours-and-empty", test_not_ours_and_empty);
  g_test_add_func ("/Pk/Pg/kiosk-paths-refused", test_kiosk_paths_refused);
  g_test_add_func ("/Pk/Pg/tls-verify-full", test_tls_verify_full);

  status = g_test_run ();
  g_clear_pointer (&server, pk_pg_server_free);
  return status;
}
