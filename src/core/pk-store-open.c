/* pk-store-open.c: opening a store, and judging a file that may be
 * damaged, not ours or hostile before anything writes to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A database this version cannot handle (newer, damaged, not ours) is
 * checked through a read-only connection first and never written.
 */
#define G_LOG_DOMAIN "pk-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
/* PRId64 rather than G_GINT64_FORMAT inside _(): xgettext knows the
 * <inttypes.h> macros, so translators get the whole message. */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-pg-location.h"
#include "pk-store-private.h"

/* Up to this size a database is fully checked (quick_check) at every
 * open; see check_existing(). About ten thousand signatures with their
 * strokes, checked in a few tens of milliseconds. */
#define PK_STORE_QUICK_CHECK_MAX_BYTES (16 * 1024 * 1024)

static void
set_not_ours (const char  *path,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT,
               _("%s is not a Petition Kiosk database. It was left as it is."), display);
}

/* The 100-byte SQLite header, read directly: a file that does not start
 * with the SQLite magic is not a database, and one shorter than its
 * header says was cut off (a copy to a USB stick interrupted). Costs the
 * same for any size. An empty file is a new database. With @side_files
 * (a -journal or -wal beside it) a short file is what a writer killed
 * mid-transaction leaves, and the journal restores it when opened, so
 * the size is not judged here; quick_check judges the result. */
static gboolean
check_header (const char  *path,
              gboolean     side_files,
              goffset     *out_size,
              GError     **error)
{
  guint8 bytes[PK_SQLITE_HEADER_BYTES];
  PkSqliteHeader header;
  gsize n_read = 0;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot read %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      return pk_store_set_error_from_code (path, NULL, SQLITE_NOTADB, NULL, "", error);
    }

  while (n_read < sizeof bytes)
    {
      gssize n = read (fd, bytes + n_read, sizeof bytes - n_read);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      n_read += (gsize) n;
    }
  close (fd);

  *out_size = st.st_size;
  if (n_read == 0 && st.st_size == 0)
    return TRUE;
  if (!pk_sqlite_parse_header (bytes, n_read, &header))
    return pk_store_set_error_from_code (path, NULL, SQLITE_NOTADB, NULL, "", error);

  if (!pk_sqlite_header_page_size_ok (&header))
    return pk_store_set_error_from_code (path, NULL, SQLITE_CORRUPT, NULL, "", error);
  if (!side_files && pk_sqlite_header_size_is_valid (&header) &&
      pk_sqlite_header_file_size (&header) > (guint64) st.st_size)
    return pk_store_set_error_from_code (path, NULL, SQLITE_CORRUPT, NULL, "", error);

  return TRUE;
}

/* A failure to open or read @path for pk_store_open_read_only(). The
 * codes that mean "cannot write" elsewhere mean here, with a -wal or
 * -shm beside the file (not @immutable), that SQLite needed to write
 * to them (recover the -shm, say) and could not; without, that the file
 * cannot be read at all. */
static gboolean
set_read_error (const char  *path,
                int          rc,
                const char  *message,
                gboolean     immutable,
                GError     **error)
{
  g_autofree char *display = NULL;

  if (pk_sqlite_classify (NULL, rc) != PK_SQLITE_FAILURE_READ_ONLY)
    return pk_store_set_error_from_code (path, NULL, rc, message, _("opening the database"), error);

  display = g_filename_display_name (path);
  if (message == NULL)
    message = sqlite3_errstr (rc);
  if (immutable)
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                 _("Cannot read %s: %s"), display, message);
  else
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                 _("Cannot read %s on this disk (%s): the -wal or -shm file beside it needs updating, "
                   "which this disk does not allow. Copy the database with the files beside it to a "
                   "disk that can be written to. It was left as it is."),
                 display, message);
  return FALSE;
}

/* Whether the file at @path, with @application_id, @n_objects in its
 * schema and user_version @version, is a store this version can open;
 * @read_only refuses an older schema too, which only a write upgrades. */
static gboolean
judge_identity (const char  *path,
                gint64       application_id,
                gint64       n_objects,
                gint64       version,
                gboolean     read_only,
                GError     **error)
{
  g_autofree char *display = NULL;

  if (application_id != PK_STORE_APPLICATION_ID && (application_id != 0 || n_objects > 0))
    {
      set_not_ours (path, error);
      return FALSE;
    }

  if (version > (gint64) pk_store_get_latest_version ())
    {
      pk_store_set_newer_error (path, version, error);
      return FALSE;
    }

  if (!read_only || version == (gint64) pk_store_get_latest_version ())
    return TRUE;

  display = g_filename_display_name (path);
  if (version == 0)
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE,
                 _("%s holds no Petition Kiosk data yet: it was never fully set up. It was left as it is."),
                 display);
  else
    g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_NEEDS_UPGRADE,
                 _("%s was made by an older version of Petition Kiosk (schema %" PRId64
                   ", this version uses %u) and must be upgraded before it can be read. Run "
                   "petition-kiosk on it once on a disk that can be written to. It was left as it is."),
                 display, version, pk_store_get_latest_version ());
  return FALSE;
}

static gboolean check_existing_once (const char  *path,
                                     gboolean     immutable,
                                     sqlite3    **out_db,
                                     GError     **error);

/* A hot journal beside @path: a writer was killed inside a
 * rollback-journal transaction (the switch to WAL on first run is one).
 * A read-only connection cannot roll it back, and refusing would lock
 * the kiosk out for good; one read-write read restores the last
 * committed state, as every SQLite open does, and then the file is
 * checked as usual. Found by tests/durability/test-kill.c. With
 * @read_only (pk_store_open_read_only()) the file is refused instead. */
static gboolean
roll_back_hot_journal (const char  *path,
                       gboolean     read_only,
                       GError     **error)
{
  sqlite3 *db = NULL;
  gint64 n_objects = 0;
  int rc;

  if (read_only)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("%s was left in the middle of a change (a -journal file is beside it), "
                     "which only opening it where it can be written undoes. Run petition-kiosk on it "
                     "once on a disk that can be written to. It was left as it is."),
                   display);
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc == SQLITE_OK)
    rc = pk_sqlite_query_int64 (db, "SELECT count(*) FROM sqlite_schema", &n_objects);
  sqlite3_close_v2 (db);
  if (rc != SQLITE_OK)
    return pk_store_set_error_from_code (path, NULL, rc, NULL, _("opening the database"), error);
  return check_existing_once (path, FALSE, NULL, error);
}

/* Looks at an existing file through a read-only connection, so that a
 * file we must refuse is never written to, not even by a journal-mode
 * change or a migration that would fail half-way.
 *
 * With @out_db this is pk_store_open_read_only(): the connection is
 * handed over instead of closed, and whatever only a write could mend
 * (a hot journal, an older schema) is refused instead. */
static gboolean
check_existing_once (const char  *path,
                     gboolean     immutable,
                     sqlite3    **out_db,
                     GError     **error)
{
  sqlite3 *db = NULL;
  gint64 version = 0;
  gint64 application_id = 0;
  gint64 n_objects = 0;
  goffset file_size = 0;
  g_autofree char *escaped_path = NULL;
  g_autofree char *uri = NULL;
  int rc;

  if (!check_header (path, !immutable, &file_size, error))
    return FALSE;

  /* immutable=1 (see check_existing()) takes no locks and creates no
   * -wal or -shm beside a file that may turn out not to be ours. */
  uri = g_strconcat ("file:", escaped_path = g_uri_escape_string (path, "/", FALSE),
                     immutable ? "?immutable=1" : "", NULL);
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_strdup (db != NULL ? sqlite3_errmsg (db) : NULL);

      sqlite3_close_v2 (db);
      if (out_db != NULL)
        return set_read_error (path, rc, message, immutable, error);
      return pk_store_set_error_from_code (path, NULL, rc, message, _("opening the database"), error);
    }

  if (!pk_sqlite_set_defensive (db))
    {
      g_autofree char *message = g_strdup (sqlite3_errmsg (db));

      sqlite3_close_v2 (db);
      return pk_store_set_error_from_code (path, NULL, SQLITE_ERROR, message, _("opening the database"), error);
    }
  sqlite3_busy_timeout (db, PK_STORE_BUSY_TIMEOUT_MS);

  /* Reading the schema parses the header: a file that is not SQLite
   * fails here with SQLITE_NOTADB. */
  rc = pk_sqlite_query_int64 (db, "SELECT count(*) FROM sqlite_schema", &n_objects);
  if (rc != SQLITE_OK && sqlite3_extended_errcode (db) == SQLITE_READONLY_ROLLBACK)
    {
      sqlite3_close_v2 (db);
      return roll_back_hot_journal (path, out_db != NULL, error);
    }
  if (rc == SQLITE_OK)
    rc = pk_sqlite_query_int64 (db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK)
    rc = pk_sqlite_query_int64 (db, "PRAGMA application_id", &application_id);
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_strdup (sqlite3_errmsg (db));

      sqlite3_close_v2 (db);
      if (out_db != NULL)
        return set_read_error (path, rc, message, immutable, error);
      return pk_store_set_error_from_code (path, NULL, rc, message, _("opening the database"), error);
    }

  if (!judge_identity (path, application_id, n_objects, version, out_db != NULL, error))
    {
      sqlite3_close_v2 (db);
      return FALSE;
    }

  /* quick_check reads every page, so start-up would grow with the
   * number of signatures. It runs only while the file is small (a kiosk
   * with thousands of signatures; a few tens of milliseconds); larger
   * files, such as a coordinator's master, get the O(1) header check in
   * check_header() and pk_store_check_integrity() on demand. */
  /* Only damage the check finds is "damaged"; a check that could not
   * run (out of memory) is said as such, with SQLite's own cause. */
  if (file_size <= PK_STORE_QUICK_CHECK_MAX_BYTES && (rc = pk_sqlite_quick_check (db)) != SQLITE_OK)
    {
      sqlite3_close_v2 (db);
      return pk_store_set_error_from_code (path, NULL, rc, sqlite3_errstr (rc), _("opening the database"), error);
    }

  if (out_db != NULL)
    *out_db = db;
  else
    sqlite3_close_v2 (db);
  return TRUE;
}

static gboolean
has_side_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        return TRUE;
    }

  return FALSE;
}

static gboolean
stamp_file (const char       *path,
            PkStoreFileStamp *stamp)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return FALSE;

  stamp->size = st.st_size;
  stamp->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  stamp->inode = st.st_ino;
  return TRUE;
}

/* The read-only look at an existing file.
 *
 * Without -wal, -shm or -journal beside it, no SQLite connection has
 * the file open in WAL mode and no transaction is pending, so the main
 * file alone is the whole database: it is read with immutable=1, which
 * leaves nothing behind. With any of them, the main file alone may be
 * mid-checkpoint or mid-transaction, so a normal read-only connection
 * (which reads the WAL and honours locks) is used; the side files exist
 * already, so nothing new appears.
 *
 * Another process (the kiosk while a volunteer runs `count`) may write
 * and checkpoint during an immutable read, which can then look damaged.
 * A "damaged" verdict therefore stands only if the file did not change
 * meanwhile; otherwise the look is repeated.
 *
 * pk_store_open_read_only() keeps the connection (@out_db), and with it
 * whether it is immutable and the file's stamp before the look, so that
 * pk_store_check_unchanged() can tell later whether the file changed
 * under the reads made through it. */
static gboolean
check_existing (const char        *path,
                sqlite3          **out_db,
                gboolean          *out_immutable,
                PkStoreFileStamp  *out_stamp,
                GError           **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      PkStoreFileStamp before = { 0 }, after = { 0 };
      gboolean immutable = !has_side_files (path);
      gboolean stamped = stamp_file (path, &before);

      if (check_existing_once (path, immutable, out_db, &local_error))
        {
          if (out_immutable != NULL)
            *out_immutable = immutable;
          if (out_stamp != NULL)
            *out_stamp = before;
          return TRUE;
        }

      if (!immutable || attempt >= 2 ||
          !g_error_matches (local_error, PK_STORE_ERROR, PK_STORE_ERROR_CORRUPT) ||
          (stamped && stamp_file (path, &after) && !has_side_files (path) &&
           memcmp (&before, &after, sizeof before) == 0))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* Creates the file with mode 0600 before SQLite sees it: SQLite gives
 * the -wal and -shm files the mode of the database file, so this one
 * call keeps all three private, whatever the umask. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot create %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (fd >= 0)
    close (fd);

  return TRUE;
}

/* An existing database (say, copied with a permissive umask) is made
 * private too, with its WAL and shared-memory files. */
static void
make_private (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_lstat (file, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0)
        g_chmod (file, st.st_mode & 0700);
    }
}

/* Encrypted mode's duplicate keys are hashed with a key made afresh
 * for each PkStore (see the struct). */
static gboolean
make_dedup_key (PkStore  *self,
                GError  **error)
{
  self->dedup_key = sodium_malloc (crypto_generichash_KEYBYTES);
  if (self->dedup_key == NULL)
    {
      g_set_error_literal (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                           _("Out of memory."));
      return FALSE;
    }
  crypto_generichash_keygen (self->dedup_key);
  return TRUE;
}

static gboolean
configure_connection (PkStore  *self,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, PK_STORE_BUSY_TIMEOUT_MS);
  if (!pk_sqlite_set_defensive (self->db))
    return pk_store_set_error_from_sqlite (self, SQLITE_ERROR, _("opening the database"), error);

  stmt = pk_store_prepare (self, "PRAGMA journal_mode = WAL", _("opening the database"), error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("opening the database"), error);
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      /* Without WAL (say, on a file system without shared memory) the
       * durability argument of this file does not hold: refuse. */
      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
                   _("The database cannot use write-ahead logging on this disk (journal mode “%s”)."),
                   mode != NULL ? mode : "");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* synchronous=FULL syncs the WAL at every commit: a signature that was
   * reported saved survives a power cut. secure_delete overwrites
   * deleted rows with zeros, so wiped signer data does not linger in
   * free pages. temp_store=MEMORY keeps the statement journals that a
   * write firing a trigger needs (and any temporary sort) off a file in
   * /var/tmp: slow, and plain signer data outside the store's
   * (encrypted) disk; it is set before the count triggers are made,
   * since changing it drops a connection's TEMP triggers. */
  return pk_store_exec (self,
                        "PRAGMA temp_store = MEMORY;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA secure_delete = ON;"
                        "PRAGMA trusted_schema = OFF;",
                        _("opening the database"), error);
}

gboolean
pk_store_location_is_supported (const char  *location,
                                GError     **error)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (location != NULL, FALSE);

  scheme = g_uri_parse_scheme (location);
  if (scheme == NULL ||
      (!g_str_has_prefix (location + strlen (scheme), "://") &&
       g_ascii_strcasecmp (scheme, "file") != 0))
    return TRUE;

  /* A password in the address is refused first, in words that do not
   * repeat it. */
  if (pk_pg_location_is_postgresql (location))
    {
      if (pk_pg_location_check_password (location, error))
        g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
                     _("“%s” is the address of a database on a PostgreSQL server, which is not available "
                       "here yet: a master on PostgreSQL can be merged into, counted, reported, exported, "
                       "copied (copy-master), synced and opened in the coordinator's window (--coordinator); "
                       "the kiosk keeps its databases in SQLite files for now."),
                     location);
      return FALSE;
    }

  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_UNSUPPORTED_LOCATION,
               _("“%s” is the address of a database, not a file. This build of Petition Kiosk keeps "
                 "its databases in SQLite files only and cannot use “%s:” addresses: please give the "
                 "path of a database file."),
               location, scheme);
  return FALSE;
}

PkStore *
pk_store_open_at_version (const char  *path,
                          guint        max_version,
                          GError     **error)
{
  g_autoptr(PkStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_version >= 1 && max_version <= pk_store_get_latest_version (), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pk_store_location_is_supported (path, error) || !pk_crypto_init (error))
    return NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_READ_ONLY,
                   _("Cannot create the folder %s: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!check_existing (path, NULL, NULL, NULL, error))
        return NULL;
      make_private (path);
    }
  else if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (PK_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      pk_store_set_error_from_code (path, NULL, rc, self->db != NULL ? sqlite3_errmsg (self->db) : NULL,
                                    _("opening the database"), error);
      return NULL;
    }

  if (!configure_connection (self, error) ||
      !pk_store_migrate_and_initialize (self, max_version, error) ||
      !make_dedup_key (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

PkStore *
pk_store_open_read_only (const char  *path,
                         GError     **error)
{
  g_autoptr(PkStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pk_store_location_is_supported (path, error) || !pk_crypto_init (error))
    return NULL;

  self = g_object_new (PK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (!check_existing (path, &self->db, &self->immutable, &self->opened, error))
    return NULL;

  /* The connection is SQLITE_OPEN_READONLY already; query_only makes
   * any write fail before it reaches the pager, whatever the VFS. */
  sqlite3_extended_result_codes (self->db, 1);
  if (!pk_store_exec (self, "PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;",
                      _("opening the database"), error) ||
      !make_dedup_key (self, error))
    return NULL;
  self->kiosk_id = pk_store_get_setting_unlocked (self, PK_STORE_SETTING_KIOSK_ID);

  return g_steal_pointer (&self);
}

gboolean
pk_store_check_unchanged (PkStore  *self,
                          GError  **error)
{
  PkStoreFileStamp now = { 0 };
  g_autofree char *display = NULL;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  if (!self->immutable)
    return TRUE;

  /* A writer that started meanwhile created a -wal; only a checkpoint
   * changes the main file, and with it the stamp (vfat keeps mtime to
   * two seconds only, hence the side files too). */
  if (!has_side_files (self->path) && stamp_file (self->path, &now) &&
      memcmp (&now, &self->opened, sizeof now) == 0)
    return TRUE;

  display = g_filename_display_name (self->path);
  g_set_error (error, PK_STORE_ERROR, PK_STORE_ERROR_FAILED,
               _("%s changed while it was being read (another program wrote to it), so nothing was "
                 "printed or written. Please try again."),
               display);
  return FALSE;
}

PkStore *
pk_store_open (const char  *path,
               GError     **error)
{
  return pk_store_open_at_version (path, pk_store_get_latest_version (), error);
}

gboolean
pk_store_check_integrity (PkStore  *self,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PK_IS_STORE (self), FALSE);

  /* integrity_check, unlike quick_check, also verifies that indexes
   * match their tables: worth its cost when someone asks for it. */
  stmt = pk_store_prepare (self, "PRAGMA integrity_check(1)", _("checking the database"), error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pk_store_set_error_from_sqlite (self, rc, _("checking the database"), error);

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    return pk_store_set_error_from_code (self->path, NULL, SQLITE_CORRUPT, NULL, "", error);

  return TRUE;
}
