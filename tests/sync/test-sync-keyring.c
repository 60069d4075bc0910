/* test-sync-keyring.c: the sync token stored, used and forgotten in a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19 item 8. Run by with-keyring.sh on a session bus of its own
 * with gnome-keyring-daemon, the secret service a GNOME kiosk laptop has.
 * On the Sync page, with real keys and clicks: the endpoint typed and
 * applied, the API token typed and applied. The token must then be in the
 * secret service under that endpoint (read back with libsecret, as any
 * program of the user could), not on the page and not in a token file;
 * "Sync now" must send with it (the test receiver accepts only that
 * token); and Forget must take it out of the secret service.
 */
#define G_LOG_DOMAIN "test-sync-keyring"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <X11/keysym.h>

#include "pk-gui-input.h"
#include "pk-gui-test.h"
#include "pk-store-sync.h"
#include "pk-sync-page.h"
#include "sync-harness.h"
#include "pk-sync-page-private.h"

#define N 3

/* The schema the kiosk stores its token under, as its users' other
 * programs (and seahorse) see it. */
static const SecretSchema token_schema = {
  "io.github.petitionkiosk.PetitionKiosk.SyncToken", SECRET_SCHEMA_NONE,
  {
    { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  }
};

static char *
keyring_token (const char *endpoint)
{
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_sync (&token_schema, NULL, &error, "endpoint", endpoint, NULL);

  g_assert_no_error (error);
  return token;
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (widget) && strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

typedef struct {
  GtkWidget  *page;
  const char *text;
} TextWatch;

static gboolean
text_shown (gpointer data)
{
  TextWatch *watch = data;

  return shows_text (watch->page, watch->text);
}

static gboolean
sync_done (gpointer page)
{
  return !_pk_sync_page_get_running (page);
}

/* Clicks the row titled @title, types @text into it and presses Enter,
 * which applies it (the rows show an apply button). */
static gboolean
focus_in (gpointer widget)
{
  GtkWidget *focus = pk_gui_focus (widget);

  return focus != NULL && gtk_widget_is_ancestor (focus, widget);
}

static void
type_into_row (GtkWidget  *page,
               GType       type,
               const char *title,
               const char *text)
{
  GtkWidget *row = pk_gui_find_by_text (page, type, title);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (page));

  g_assert_nonnull (row);
  pk_gui_click (row);
  /* Keys go where the focus is once the click was handled. */
  g_assert_true (pk_gui_wait (focus_in, row, 30));
  pk_gui_type (window, text);
  pk_gui_key (window, XK_Return, 0);
}

typedef struct {
  PkStore    *store;
  const char *endpoint;
} SettingWatch;

static gboolean
endpoint_saved (gpointer data)
{
  SettingWatch *watch = data;
  g_autofree char *stored = pk_store_get_setting (watch->store, "sync-endpoint");

  return g_strcmp0 (stored, watch->endpoint) == 0;
}

static void
test_token_in_keyring (void)
{
  g_autoptr(PkStore) store = make_store ("keyring.db", N, -1);
  g_autofree char *token_file = g_build_filename (g_get_user_config_dir (), "petition-kiosk",
                                                  "sync-token", NULL);
  g_autofree char *endpoint = NULL;
  g_autofree char *left = NULL;
  g_autoptr(GError) error = NULL;
  Receiver *receiver = receiver_start (NULL);
  GtkWidget *window, *page;
  TextWatch saved, forgotten;
  SettingWatch endpoint_watch;
  PkSyncCounts counts;

  endpoint = receiver_endpoint (receiver);
  window = gtk_window_new ();
  page = pk_sync_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 760);
  pk_sync_page_set_language (PK_SYNC_PAGE (page), "en");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (keyring_token (endpoint));

  type_into_row (page, ADW_TYPE_ENTRY_ROW, _("Endpoint URL"), endpoint);
  endpoint_watch = (SettingWatch) { store, endpoint };
  g_assert_true (pk_gui_wait (endpoint_saved, &endpoint_watch, 30));

  /* Stored: in the secret service, under the endpoint; gone from the
   * page at once, and never written to a file. */
  type_into_row (page, ADW_TYPE_PASSWORD_ENTRY_ROW, _("API token"), RIGHT_TOKEN);
  saved = (TextWatch) { page, _("A token is saved in the keyring") };
  g_assert_true (pk_gui_wait (text_shown, &saved, 30));
  left = keyring_token (endpoint);
  g_assert_cmpstr (left, ==, RIGHT_TOKEN);
  g_assert_false (shows_text (page, RIGHT_TOKEN));
  g_assert_false (g_file_test (token_file, G_FILE_TEST_EXISTS));

  /* Used: the receiver takes only the right token. */
  pk_gui_click (pk_gui_find_action (page, "sync.start"));
  g_assert_true (pk_gui_wait (sync_done, page, 60));
  g_assert_true (pk_store_sync_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.sent, ==, N);
  g_assert_cmpint (receiver_stat (receiver, "records"), ==, N);
  g_assert_cmpint (receiver_stat (receiver, "unauthorized"), ==, 0);

  /* Forgotten: out of the secret service. */
  pk_gui_press_with_keyboard (pk_gui_find_action (page, "sync.forget-token"));
  forgotten = (TextWatch) { page, _("No token saved") };
  g_assert_true (pk_gui_wait (text_shown, &forgotten, 30));
  g_clear_pointer (&left, g_free);
  left = keyring_token (endpoint);
  g_assert_null (left);

  gtk_window_destroy (GTK_WINDOW (window));
  receiver_stop (receiver);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pk_gui_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("pk-sync-keyring-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/Pk/Sync/keyring/token-stored-used-forgotten", test_token_in_keyring);

  status = g_test_run ();
  remove_tmpdir (status == 0);
  return status;
}
