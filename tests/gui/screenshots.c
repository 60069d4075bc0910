/* screenshots.c: renders every kiosk screen to PNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: screenshots OUTPUT-DIR [STYLE…] (build-aux/screenshots runs it
 * under Xvfb). Each screen (welcome, form with a drawn signature, the
 * form scrolled down to its pad and privacy notice link, thank-you,
 * admin's Kiosk, Paper (a sheet being typed in), Batches and Sync tabs)
 * in Korean, English and German, in each style (dark and light unless
 * given), full screen, rendered in-process from the window's widget
 * tree: SCREEN-LANG-STYLE.png on a 1280×800 screen,
 * SCREEN-LANG-STYLE-WIDTHxHEIGHT.png on any other.
 */
#define G_LOG_DOMAIN "screenshots"

#include "config.h"

#include "pk-gui-input.h"
#include "pk-admin-page-private.h"
#include "pk-gui-test.h"
#include "pk-paper-page-private.h"

static const char *output_dir;
/* "" on the 1280×800 screen the README shows, else "-1024x600" etc. */
static char *size_suffix;

/* Draws @native (a popover, a window of its own on screen that the
 * window's drawing leaves out) where it stands over its parent window. */
static void
snapshot_popup (GtkSnapshot *snapshot,
                GtkNative   *native)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  GdkPopup *popup = GDK_POPUP (gtk_native_get_surface (native));

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (gdk_popup_get_position_x (popup),
                                                          gdk_popup_get_position_y (popup)));
  gdk_paintable_snapshot (paintable, snapshot,
                          gdk_paintable_get_intrinsic_width (paintable),
                          gdk_paintable_get_intrinsic_height (paintable));
  gtk_snapshot_restore (snapshot);
}

/* Saves the window, and @popup over it unless NULL. */
static void
save_png_with (PkWindow   *window,
               GtkWidget  *popup,
               const char *screen,
               const char *lang,
               const char *style)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s-%s%s.png", screen, lang, style, size_suffix);
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  GtkSnapshot *snapshot;
  int width, height;

  pk_gui_settle ();
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  /* At the paintable's own size: any other size scales the picture,
   * which blurs every edge, the QR code's modules among them. */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  if (popup != NULL)
    snapshot_popup (snapshot, GTK_NATIVE (popup));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Cannot write %s", path);
  g_print ("%s\n", path);
}

static void
save_png (PkWindow   *window,
          const char *screen,
          const char *lang,
          const char *style)
{
  save_png_with (window, NULL, screen, lang, style);
}

static GtkWidget *
find_action (GtkWidget  *root,
             const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget under @root (itself included) of @type. */
static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Waits out a search entry's delay, or a card's fade. */
static void
settle_a_while (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (G_USEC_PER_SEC / 40);
      pk_gui_settle ();
    }
}

/* The country list open on @search, an everyday name. */
static void
save_country_search (PkWindow   *window,
                     PkFormPage *form,
                     const char *search,
                     const char *lang,
                     const char *style)
{
  GtkWidget *chooser = GTK_WIDGET (_pk_form_page_get_country_chooser (form));
  GtkWidget *popover = find_type (chooser, GTK_TYPE_POPOVER);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_type (chooser, GTK_TYPE_TOGGLE_BUTTON)), TRUE);
  pk_gui_settle ();
  gtk_editable_set_text (GTK_EDITABLE (find_type (popover, GTK_TYPE_SEARCH_ENTRY)), search);
  settle_a_while ();
  save_png_with (window, popover, "form-country", lang, style);
  gtk_popover_popdown (GTK_POPOVER (popover));
  pk_gui_settle ();
}

static GtkWidget *
still_here_button (PkWindow *window)
{
  return find_action (GTK_WIDGET (window), "idle.still-here");
}

/* "Still there?" over a filled form. */
static void
save_still_there (PkWindow   *window,
                  const char *lang,
                  const char *style)
{
  g_object_set (_pk_window_get_idle_guard (window), "idle-timeout", 1, "still-there-seconds", 60, NULL);
  for (guint i = 0; i < 100 && !gtk_widget_get_mapped (still_here_button (window)); i++)
    settle_a_while ();
  save_png (window, "still-there", lang, style);
  gtk_widget_activate (still_here_button (window));
  g_object_set (_pk_window_get_idle_guard (window), "idle-timeout", 3600, NULL);
}

typedef struct {
  const char *lang;
  const char *given;
  const char *family;
  const char *email;
  const char *country;
  /* What the signer types to find their country. */
  const char *search;
} Signer;

static const Signer signers[] = {
  { "ko", "지우", "김", "jiwoo.kim@example.org", "KR", "한국" },
  { "en", "Alex", "Morgan", "alex.morgan@example.org", "GB", "Korea" },
  { "de", "Anna", "Schmidt", "anna.schmidt@example.org", "DE", "Deutschland" },
};

/* People other than the kiosk's signers, and others on each sheet: the
 * same person twice would be refused as having signed already. */
static const struct {
  const char *given, *family, *email;
  gboolean    signs;
} sheet_lines[][3] = {
  { { "길동", "홍", "gildong.hong@example.org", TRUE },
    { "서준", "박", "seojun.park@example.kr", TRUE },
    { "준", "이", "", FALSE } },
  { { "Sam", "Taylor", "sam.taylor@example.org", TRUE },
    { "Priya", "Patel", "priya.patel@example.co.uk", TRUE },
    { "Jun", "Lee", "", FALSE } },
  { { "Jürgen", "Müller", "juergen.mueller@example.de", TRUE },
    { "Lena", "Becker", "lena.becker@example.de", TRUE },
    { "Jonas", "Weber", "", FALSE } },
};

/* Sheet 42 + @index (one per signer) in the signer's language @lang,
 * with two lines saved, one left unsigned and one being typed: the
 * Paper page as a volunteer sees it. */
static PkPaperPage *
type_sheet (PkWindow   *window,
            guint       index,
            const char *lang)
{
  PkPaperPage *page = PK_PAPER_PAGE (find_type (GTK_WIDGET (window), PK_TYPE_PAPER_PAGE));
  /* The first drop-down is the Print group's language: the sheet's. */
  GtkDropDown *languages = GTK_DROP_DOWN (find_type (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
  g_autofree char *serial = g_strdup_printf ("%u", 42 + index);

  for (guint i = 0; i < PK_N_LANGUAGES; i++)
    if (g_str_equal (pk_languages[i], lang))
      gtk_drop_down_set_selected (languages, i);

  _pk_paper_page_open_sheet (page, serial);
  for (guint i = 0; i < G_N_ELEMENTS (sheet_lines[index]); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (page, i + 1, "given_name")),
                             sheet_lines[index][i].given);
      gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (page, i + 1, "family_name")),
                             sheet_lines[index][i].family);
      gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (page, i + 1, "email")),
                             sheet_lines[index][i].email);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (_pk_paper_page_get_cell (page, i + 1, "signed")),
                                   sheet_lines[index][i].signs);
      /* Saved from the line's last box, as Enter there does. */
      gtk_widget_grab_focus (_pk_paper_page_get_cell (page, i + 1, "opt_in"));
      _pk_paper_page_save_line (page, i + 1);
    }
  gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (page, 4, "postal_code")), "04524");
  return page;
}

/* Admin's tabs after the first (which is "admin" itself), then back
 * to the first: ADMIN-TAB-LANG-STYLE.png. The Paper tab shows sheet
 * 42 + @index being typed in. */
static void
save_admin_tabs (PkGuiFixture *f,
                 guint         index,
                 const char   *lang,
                 const char   *style)
{
  static const char * const tabs[] = { "paper", "batches", "sync" };
  PkAdminPage *admin = pk_window_get_admin_page (f->window);

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      g_autofree char *screen = g_strconcat ("admin-", tabs[i], NULL);
      PkPaperPage *paper = NULL;

      _pk_admin_page_set_visible_page (admin, tabs[i]);
      if (g_str_equal (tabs[i], "paper"))
        paper = type_sheet (f->window, index, lang);
      save_png (f->window, screen, lang, style);
      /* Line 4 emptied again, or the next sheet would ask about it. */
      if (paper != NULL)
        gtk_editable_set_text (GTK_EDITABLE (_pk_paper_page_get_cell (paper, 4, "postal_code")), "");
    }
  _pk_admin_page_set_visible_page (admin, "kiosk");
}

static void
render_style (const char *style)
{
  PkGuiFixture f = { 0 };
  PkFormPage *form;

  pk_gui_fixture_setup (&f, "prisoners-of-conscience.petition", TRUE);
  /* The kiosk runs full screen, without the outline of a window. Xvfb
   * has no window manager to grant that to a mapped window, but a
   * window mapped again after the request starts out full screen. */
  gtk_widget_set_visible (GTK_WIDGET (f.window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (f.window));
  gtk_window_fullscreen (GTK_WINDOW (f.window));
  gtk_window_present (GTK_WINDOW (f.window));
  pk_gui_settle ();
  g_settings_set_string (f.settings, "style", style);
  /* No "Still there?" while the tool waits for frames. */
  g_object_set (_pk_window_get_idle_guard (f.window), "idle-timeout", 3600, NULL);
  form = _pk_window_get_form_page (f.window);

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      const Signer *signer = &signers[i];

      /* Admin opens in the kiosk's default language, whatever the last
       * signer chose: make it this signer's, for admin's screenshots. */
      g_settings_set_string (f.settings, "default-language", signer->lang);
      pk_window_go_home (f.window);
      pk_window_set_language (f.window, signer->lang);
      save_png (f.window, "welcome", signer->lang, style);

      gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.sign", NULL);
      pk_gui_settle ();
      pk_gui_fill_form (form, signer->given, signer->family, signer->email);
      save_country_search (f.window, form, signer->search, signer->lang, style);
      pk_country_chooser_set_code (_pk_form_page_get_country_chooser (form), signer->country);
      pk_gui_settle ();
      save_png (f.window, "form", signer->lang, style);
      /* Further down: the pad, the organizer and the link to the
       * privacy notice, scrolled to as the Tab key would; the consents
       * stay in view below. */
      gtk_widget_grab_focus (GTK_WIDGET (_pk_form_page_get_opt_in (form)));
      save_png (f.window, "form-consent", signer->lang, style);
      save_still_there (f.window, signer->lang, style);

      pk_gui_press_submit (form);
      save_png (f.window, "thank-you", signer->lang, style);

      gtk_widget_activate_action (GTK_WIDGET (f.window), "kiosk.admin", NULL);
      pk_gui_enter_pin (_pk_window_get_pin_page (f.window), PK_TEST_PIN, NULL);
      g_assert_cmpstr (pk_window_get_visible_page (f.window), ==, "admin");
      save_png (f.window, "admin", signer->lang, style);
      save_admin_tabs (&f, i, signer->lang, style);
    }

  pk_gui_fixture_teardown (&f);
}

/* The size of the (Xvfb) screen, which a full-screen window fills. */
static char *
screen_size_suffix (void)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  if (geometry.width == 1280 && geometry.height == 800)
    return g_strdup ("");
  return g_strdup_printf ("-%dx%d", geometry.width, geometry.height);
}

int
main (int   argc,
      char *argv[])
{
  pk_gui_init (&argc, &argv);

  if (argc < 2)
    {
      g_printerr ("Usage: %s OUTPUT-DIR [STYLE…]\n", argv[0]);
      return 2;
    }
  output_dir = argv[1];
  g_mkdir_with_parents (output_dir, 0755);
  size_suffix = screen_size_suffix ();

  if (argc == 2)
    {
      render_style ("dark");
      render_style ("light");
    }
  for (int i = 2; i < argc; i++)
    render_style (argv[i]);
  g_free (size_suffix);
  return 0;
}
