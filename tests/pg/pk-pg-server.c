/* pk-pg-server.c: a throwaway PostgreSQL server for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-pg-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk-pg-server.h"
#include "pk-test-skip.h"

#define PK_PG_SERVER_SUPERUSER "pk"

struct _PkPgServer {
  char *bin;         /* /usr/lib/postgresql/N/bin */
  char *dir;         /* the folder: data/, the socket, the log */
  char *data;
  guint port;        /* free on 127.0.0.1 when the server started */
  gboolean tls;      /* listening on 127.0.0.1 with TLS too */
  gboolean as_nobody;
  uid_t uid;
  gid_t gid;
  GPid watchdog;
  int watchdog_stdin;
  guint n_databases;
};

/* The newest Debian server binaries, or NULL. */
static char *
find_bin (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  g_autofree char *best = NULL;
  guint best_version = 0;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pg_ctl = g_build_filename ("/usr/lib/postgresql", name, "bin", "pg_ctl", NULL);
      guint version = (guint) g_ascii_strtoull (name, NULL, 10);

      if (version > best_version && g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_free (best);
          best = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
          best_version = version;
        }
    }
  return g_steal_pointer (&best);
}

/* @argv, run as the server's user. */
static GStrv
as_server_user (PkPgServer         *self,
                const char * const *argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->as_nobody)
    {
      g_autofree char *reuid = g_strdup_printf ("--reuid=%u", (guint) self->uid);
      g_autofree char *regid = g_strdup_printf ("--regid=%u", (guint) self->gid);

      g_strv_builder_add_many (builder, "setpriv", reuid, regid, "--clear-groups", NULL);
    }
  g_strv_builder_addv (builder, (const char **) argv);
  return g_strv_builder_end (builder);
}

static void
run (PkPgServer         *self,
     const char * const *argv)
{
  g_auto(GStrv) full = as_server_user (self, argv);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (self->dir, full, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *log_path = g_build_filename (self->dir, "log", NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("%s failed:\n%s%s\n%s", argv[0], out, err, log != NULL ? log : "");
    }
}

static void
own (PkPgServer *self,
     const char *path)
{
  if (self->as_nobody)
    g_assert_cmpint (chown (path, self->uid, self->gid), ==, 0);
}

static void
pg_ctl (PkPgServer *self,
        const char *action)
{
  g_autofree char *pg_ctl_path = g_build_filename (self->bin, "pg_ctl", NULL);
  g_autofree char *log = g_build_filename (self->dir, "log", NULL);
  /* The socket in our folder, and TCP on 127.0.0.1 only once TLS is
   * set up; fsync off, as a test server's data need not survive the
   * machine; each error logged with its SQLSTATE, which
   * pk_pg_server_count_in_log() can look for. */
  g_autofree char *options = g_strdup_printf ("-k %s -p %u -c listen_addresses=%s -c fsync=off "
                                              "-c log_error_verbosity=verbose",
                                              self->dir, self->port, self->tls ? "127.0.0.1" : "''");

  if (g_str_equal (action, "start"))
    run (self, (const char *[]) { pg_ctl_path, "start", "-w", "-t", "60", "-D", self->data, "-l", log,
                                  "-o", options, NULL });
  else
    run (self, (const char *[]) { pg_ctl_path, "stop", "-D", self->data, "-m", "immediate", NULL });
}

/* The watchdog: a shell that waits for its stdin to end (the test
 * process closed it, or died), then stops the server and removes the
 * folder. */
static void
start_watchdog (PkPgServer *self)
{
  g_autofree char *pg_ctl_path = g_build_filename (self->bin, "pg_ctl", NULL);
  const char *stop[] = { pg_ctl_path, "stop", "-D", self->data, "-m", "immediate", NULL };
  g_auto(GStrv) stop_argv = as_server_user (self, stop);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_strv_builder_add_many (builder, "sh", "-c",
                           "read _; \"$@\" >/dev/null 2>&1; rm -rf -- \"$0\"", self->dir, NULL);
  g_strv_builder_addv (builder, (const char **) stop_argv);
  argv = g_strv_builder_end (builder);
  g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &self->watchdog, &self->watchdog_stdin, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A TCP port nobody listens on now. */
static guint
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
pk_pg_server_is_installed (void)
{
  g_autofree char *bin = find_bin ();

  return bin != NULL;
}

PkPgServer *
pk_pg_server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = find_bin ();
  g_autofree char *initdb = NULL;
  g_autofree char *hba = NULL;
  PkPgServer *self;

  if (bin == NULL)
    {
      pk_test_skip ("PostgreSQL is not installed (Debian: apt install postgresql)");
      return NULL;
    }

  self = g_new0 (PkPgServer, 1);
  self->bin = g_steal_pointer (&bin);
  self->watchdog_stdin = -1;
  self->port = free_port ();
  self->dir = g_dir_make_tmp ("pk-pg-XXXXXX", &error);
  g_assert_no_error (error);
  self->data = g_build_filename (self->dir, "data", NULL);
  if (geteuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      self->as_nobody = TRUE;
      self->uid = nobody->pw_uid;
      self->gid = nobody->pw_gid;
    }
  own (self, self->dir);
  start_watchdog (self);

  initdb = g_build_filename (self->bin, "initdb", NULL);
  run (self, (const char *[]) { initdb, "-D", self->data, "-U", PK_PG_SERVER_SUPERUSER, "--auth=trust",
                                "--no-sync", "--no-locale", "-E", "UTF8", NULL });
  /* The password role must give its password; every other role of
   * this private socket is trusted. */
  hba = g_build_filename (self->data, "pg_hba.conf", NULL);
  g_file_set_contents (hba,
                       "local all " PK_PG_SERVER_PASSWORD_ROLE " scram-sha-256\n"
                       "local all all trust\n",
                       -1, &error);
  g_assert_no_error (error);
  own (self, hba);
  g_chmod (hba, 0600);
  pg_ctl (self, "start");
  return self;
}

gboolean
pk_pg_server_ready (PkPgServer **server)
{
  if (g_getenv ("PK_BINARY") == NULL)
    {
      pk_test_skip ("PK_BINARY is not set");
      return FALSE;
    }
  return *server != NULL || (*server = pk_pg_server_start ()) != NULL;
}

void
pk_pg_server_free (PkPgServer *self)
{
  int status = 0;

  if (self == NULL)
    return;
  close (self->watchdog_stdin);
  waitpid (self->watchdog, &status, 0);
  g_spawn_close_pid (self->watchdog);
  g_free (self->bin);
  g_free (self->data);
  g_free (self->dir);
  g_free (self);
}

const char *
pk_pg_server_get_dir (PkPgServer *self)
{
  return self->dir;
}

const char *
pk_pg_server_get_bin (PkPgServer *self)
{
  return self->bin;
}

char *
pk_pg_server_uri (PkPgServer *self,
                  const char *database,
                  const char *user)
{
  g_autofree char *host = g_uri_escape_string (self->dir, NULL, FALSE);

  return g_strdup_printf ("postgresql:///%s?host=%s&port=%u&user=%s",
                          database, host, self->port, user != NULL ? user : PK_PG_SERVER_SUPERUSER);
}

static PGconn *
connect_to (PkPgServer *self,
            const char *database)
{
  g_autofree char *uri = pk_pg_server_uri (self, database, NULL);
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", uri, PQerrorMessage (conn));
  return conn;
}

void
pk_pg_server_exec (PkPgServer *self,
                   const char *database,
                   const char *sql)
{
  PGconn *conn = connect_to (self, database);
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

gint64
pk_pg_server_query_int64 (PkPgServer *self,
                          const char *database,
                          const char *sql)
{
  PGconn *conn = connect_to (self, database);
  PGresult *res = PQexec (conn, sql);
  gint64 n;

  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  PQfinish (conn);
  return n;
}

char *
pk_pg_server_create_database (PkPgServer *self)
{
  char *name = g_strdup_printf ("pk%u", ++self->n_databases);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);

  pk_pg_server_exec (self, "postgres", sql);
  return name;
}

guint
pk_pg_server_count_in_log (PkPgServer *self,
                           const char *text)
{
  g_autofree char *path = g_build_filename (self->dir, "log", NULL);
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_file_get_contents (path, &log, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], text) != NULL)
      n++;
  return n;
}

void
pk_pg_server_kill (PkPgServer *self)
{
  pg_ctl (self, "stop");
}

void
pk_pg_server_restart (PkPgServer *self)
{
  pg_ctl (self, "start");
}

/* Runs openssl with @args in the server's folder. */
static void
openssl (PkPgServer         *self,
         const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_strv_builder_add (builder, "openssl");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (self->dir, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A self-signed CA named @name in the folder: @name.crt, @name.key. */
static void
make_ca (PkPgServer *self,
         const char *name)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *crt = g_strconcat (name, ".crt", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", name, NULL);

  openssl (self, (const char *[]) { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                    "-out", crt, "-days", "2", "-subj", subject, NULL });
}

char *
pk_pg_server_enable_tls (PkPgServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ext = g_build_filename (self->dir, "server.ext", NULL);
  g_autofree char *conf = g_build_filename (self->data, "postgresql.conf", NULL);
  g_autofree char *hba = g_build_filename (self->data, "pg_hba.conf", NULL);
  g_autofree char *key = g_build_filename (self->dir, "server.key", NULL);
  g_autofree char *settings = NULL;
  g_autofree char *hba_text = NULL;
  g_autofree char *conf_text = NULL;

  make_ca (self, "ca");
  make_ca (self, "other-ca");
  g_file_set_contents (ext, "subjectAltName=DNS:localhost\n", -1, &error);
  g_assert_no_error (error);
  openssl (self, (const char *[]) { "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                                    "-out", "server.csr", "-subj", "/CN=localhost", NULL });
  openssl (self, (const char *[]) { "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", ext, NULL });
  /* The server refuses a key others can read. */
  own (self, key);
  g_chmod (key, 0600);

  g_file_get_contents (conf, &conf_text, NULL, &error);
  g_assert_no_error (error);
  settings = g_strdup_printf ("%s\nssl = on\nssl_cert_file = '%s/server.crt'\nssl_key_file = '%s'\n",
                              conf_text, self->dir, key);
  g_file_set_contents (conf, settings, -1, &error);
  g_assert_no_error (error);
  own (self, conf);
  g_file_get_contents (hba, &hba_text, NULL, &error);
  g_assert_no_error (error);
  g_free (settings);
  settings = g_strconcat (hba_text, "hostssl all " PK_PG_SERVER_SUPERUSER " 127.0.0.1/32 trust\n", NULL);
  g_file_set_contents (hba, settings, -1, &error);
  g_assert_no_error (error);
  own (self, hba);
  g_chmod (hba, 0600);

  pg_ctl (self, "stop");
  self->tls = TRUE;
  pg_ctl (self, "start");
  return g_strdup_printf ("postgresql://" PK_PG_SERVER_SUPERUSER "@localhost:%u", self->port);
}
