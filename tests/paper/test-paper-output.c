/* test-paper-output.c: what `qr`, `sheets` and `flyers` write scans and reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real binary, rasterizes its output the way a phone camera or
 * a volunteer's scanner would see it (pdftoppm at 150 dpi, rsvg-convert)
 * and decodes every QR code with zbarimg. Tests are skipped when one of
 * those tools is missing (build-aux/ensure-deps installs them).
 */
#define G_LOG_DOMAIN "test-paper-output"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pk-test-skip.h"
#include "pk-petition.h"
#include "pk-sheets.h"
#include "pk-test-tree.h"

typedef struct {
  char       *dir;
  PkPetition *petition;
  const char *petition_path;
} Fixture;

static char *demo_petition_path;

static gboolean
have_tools (const char *first,
            ...)
{
  va_list args;
  const char *tool;
  gboolean ok = TRUE;

  va_start (args, first);
  for (tool = first; tool != NULL; tool = va_arg (args, const char *))
    {
      g_autofree char *path = g_find_program_in_path (tool);

      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s is not installed", tool);

          pk_test_skip (message);
          ok = FALSE;
          break;
        }
    }
  va_end (args);

  return ok;
}

/* Runs @argv, asserts its exit status, and returns its stdout. */
static char *
run (const char * const *argv,
     int                 expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  int code;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  code = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (code != expected_status)
    g_error ("%s %s exited %d, expected %d; stderr: %s", argv[0], argv[1], code, expected_status, err);

  return g_steal_pointer (&out);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pk-paper-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->petition_path = demo_petition_path;
  fixture->petition = pk_petition_new_from_file (demo_petition_path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_clear_object (&fixture->petition);
}

/* The decoded contents of every QR code in @png, one per line. */
static char *
decode (const char *png)
{
  /* zbarimg exits 4 when it finds no code; that must fail the test
   * through the assertions on its output, not here. */
  const char *argv[] = { "zbarimg", "--quiet", "--raw", png, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char * const *) lines, line);
}

static guint
count_lines (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);
  return n;
}

static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

/* @text without blanks and hyphens: pdftotext joins a word broken after
 * its hyphen at a line's end ("UN-" / "Hochkommissar" reads
 * "UNHochkommissar"), so long texts are compared without either. */
static char *
squeeze_words (const char *text)
{
  g_autofree char *squeezed = squeeze (text);
  g_auto(GStrv) parts = g_strsplit (squeezed, "-", -1);

  return g_strjoinv ("", parts);
}

static void
test_qr (Fixture       *fixture,
         gconstpointer  data)
{
  const char *ext = data;
  g_autofree char *name = g_strconcat ("code.", ext, NULL);
  g_autofree char *out = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "raster.png", NULL);
  g_autofree char *prefix = g_build_filename (fixture->dir, "raster", NULL);
  g_autofree char *decoded = NULL;

  if (!have_tools ("zbarimg", g_str_equal (ext, "svg") ? "rsvg-convert" : "pdftoppm", NULL))
    return;

  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "qr", "--petition", fixture->petition_path,
                                  "--out", out, "--size", "300", NULL }, 0));

  if (g_str_equal (ext, "png"))
    decoded = decode (out);
  else if (g_str_equal (ext, "svg"))
    {
      g_free (run ((const char *[]) { "rsvg-convert", "-w", "400", "-b", "white", "-o", png, out, NULL }, 0));
      decoded = decode (png);
    }
  else
    {
      g_free (run ((const char *[]) { "pdftoppm", "-r", "150", "-png", "-singlefile", out, prefix, NULL }, 0));
      decoded = decode (png);
    }

  g_assert_true (has_line (decoded, pk_petition_get_url (fixture->petition)));
}

static void
test_qr_usage (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (fixture->dir, "code.gif", NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "code.png", NULL);

  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "qr", "--petition", fixture->petition_path,
                                  "--out", bad, NULL }, 2));
  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "qr", "--petition", fixture->petition_path,
                                  "--out", png, "--size", "10", NULL }, 2));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

typedef struct {
  const char *lang;
  const char *paper;
} SheetCase;

static void
test_sheets (Fixture       *fixture,
             gconstpointer  data)
{
  const SheetCase *sheet_case = data;
  const guint first = 41, count = 3;
  g_autofree char *pdf = g_build_filename (fixture->dir, "sheets.pdf", NULL);
  g_autofree char *prefix = g_build_filename (fixture->dir, "page", NULL);
  g_autofree char *first_text = g_strdup_printf ("%u", first);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *title = NULL;
  g_autofree char *words = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *consent = NULL;
  g_autofree char *sensitive = NULL;

  if (!have_tools ("zbarimg", "pdftoppm", "pdftotext", NULL))
    return;

  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "sheets", "--petition", fixture->petition_path,
                                  "--lang", sheet_case->lang, "--paper", sheet_case->paper,
                                  "--count", count_text, "--first-serial", first_text,
                                  "--out", pdf, NULL }, 0));

  /* Every page: the petition URL and that page's own serial. */
  g_free (run ((const char *[]) { "pdftoppm", "-r", "150", "-png", pdf, prefix, NULL }, 0));
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *png = g_strdup_printf ("%s-%u.png", prefix, i + 1);
      g_autofree char *serial = pk_sheet_serial_format (fixture->petition, first + i);
      g_autofree char *decoded = decode (png);

      g_test_message ("page %u decodes as: %s", i + 1, decoded);
      g_assert_true (has_line (decoded, pk_petition_get_url (fixture->petition)));
      g_assert_true (has_line (decoded, serial));
    }

  /* The title in the sheet's language, as text (Hangul for ko): pdftotext
   * may break a long title across lines, so compare without blanks. */
  text = run ((const char *[]) { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL }, 0);
  squeezed = squeeze (text);
  title = squeeze (pk_petition_get_title (fixture->petition, sheet_case->lang));
  g_assert_nonnull (strstr (squeezed, title));
  /* The petition's own privacy notice and both of its consents, in the
   * sheet's language, not a notice of the program's. */
  words = squeeze_words (text);
  notice = squeeze_words (pk_petition_get_privacy_notice (fixture->petition, sheet_case->lang));
  consent = squeeze_words (pk_petition_get_consent_text (fixture->petition, sheet_case->lang));
  sensitive = squeeze_words (pk_petition_get_sensitive_consent_text (fixture->petition, sheet_case->lang));
  g_assert_nonnull (strstr (words, notice));
  g_assert_nonnull (strstr (words, consent));
  g_assert_nonnull (strstr (words, sensitive));
  if (g_str_equal (sheet_case->lang, "ko"))
    {
      gboolean hangul = FALSE;

      for (const char *p = title; *p; p = g_utf8_next_char (p))
        hangul |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
      g_assert_true (hangul);
    }
  else
    {
      g_autofree char *other = squeeze (pk_petition_get_title (fixture->petition, "ko"));

      g_assert_null (strstr (squeezed, other));
    }
}

static void
test_long_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PkPetition) petition = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "long.petition", NULL);
  g_autofree char *pdf = g_build_filename (fixture->dir, "long.pdf", NULL);
  g_autofree char *prefix = g_build_filename (fixture->dir, "long", NULL);
  g_autofree char *png = g_strdup_printf ("%s.png", prefix);
  g_autofree char *serial = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *info = NULL;

  if (!have_tools ("zbarimg", "pdftoppm", "pdftotext", "pdfinfo", NULL))
    return;

  /* A petition text ten times longer than a sheet holds. */
  g_assert_true (g_key_file_load_from_file (key_file, fixture->petition_path,
                                            G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 120; i++)
    g_string_append_printf (text, "Paragraph %u of a very long petition text that no sheet can hold. ", i);
  g_key_file_set_string (key_file, "Petition", "Text", text->str);
  g_assert_true (g_key_file_save_to_file (key_file, path, &error));
  g_assert_no_error (error);
  petition = pk_petition_new_from_file (path, &error);
  g_assert_no_error (error);

  g_assert_true (pk_sheets_write_pdf (petition, "en", PK_PAPER_LETTER, 7, 1, pdf, &error));
  g_assert_no_error (error);

  /* Still one page, with the table (its last line number), the note
   * pointing to the full text online, and both codes. */
  info = run ((const char *[]) { "pdfinfo", pdf, NULL }, 0);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));
  pdf_text = run ((const char *[]) { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL }, 0);
  g_assert_nonnull (strstr (pdf_text, "The full text is online"));
  g_assert_nonnull (strstr (pdf_text, "…\nThe full text is online"));
  g_assert_nonnull (strstr (pdf_text, "\n10\n"));
  g_free (run ((const char *[]) { "pdftoppm", "-r", "150", "-png", "-singlefile", pdf, prefix, NULL }, 0));
  decoded = decode (png);
  serial = pk_sheet_serial_format (petition, 7);
  g_assert_true (has_line (decoded, serial));
  g_assert_true (has_line (decoded, pk_petition_get_url (petition)));
}

static void
test_flyers (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "flyers.pdf", NULL);
  g_autofree char *prefix = g_build_filename (fixture->dir, "flyers", NULL);
  g_autofree char *png = g_strdup_printf ("%s.png", prefix);
  g_autofree char *decoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *short_url = NULL;
  g_autofree char *squeezed_text = NULL;
  g_autofree char *squeezed_url = NULL;
  double page_w, page_h;

  if (!have_tools ("zbarimg", "pdftoppm", "pdftotext", NULL))
    return;

  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "flyers", "--petition", fixture->petition_path,
                                  "--lang", "de", "--out", pdf, NULL }, 0));
  /* Every card, as it is after cutting: zbarimg misses one of eight
   * identical codes on a whole page now and then, a phone sees one. */
  pk_paper_get_size (PK_PAPER_A4, &page_w, &page_h);
  for (guint i = 0; i < PK_FLYERS_PER_PAGE; i++)
    {
      double x, y, w, h;
      g_autofree char *px = NULL, *py = NULL, *pw = NULL, *ph = NULL;

      pk_flyers_get_card (page_w, page_h, i, &x, &y, &w, &h);
      px = g_strdup_printf ("%d", (int) (x * 150 / 72));
      py = g_strdup_printf ("%d", (int) (y * 150 / 72));
      pw = g_strdup_printf ("%d", (int) (w * 150 / 72));
      ph = g_strdup_printf ("%d", (int) (h * 150 / 72));
      g_free (run ((const char *[]) { "pdftoppm", "-r", "150", "-png", "-singlefile",
                                      "-x", px, "-y", py, "-W", pw, "-H", ph, pdf, prefix, NULL }, 0));
      g_free (decoded);
      decoded = decode (png);
      g_assert_cmpuint (count_lines (decoded, pk_petition_get_url (fixture->petition)), ==, 1);
    }

  text = run ((const char *[]) { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL }, 0);
  short_url = pk_sheets_short_url (pk_petition_get_url (fixture->petition));
  squeezed_text = squeeze (text);
  squeezed_url = squeeze (short_url);
  g_assert_nonnull (strstr (squeezed_text, squeezed_url));
}

/* The first card's words as pdftotext -bbox finds them in @pdf: how
 * many of the title's are shown (those starting with @title_word),
 * their height, the title's lowest edge, whether it ends in an
 * ellipsis, and the top edge of the line under the code. */
typedef struct {
  guint  title_words;
  double title_bottom;
  double title_height;
  double call_top;
  gboolean ellipsis;
} CardWords;

static void
read_card_words (const char *pdf,
                 const char *title_word,
                 CardWords  *out)
{
  g_autofree char *html = run ((const char *[]) { "pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-", NULL }, 0);
  g_autoptr(GRegex) regex = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" "
                                         "yMax=\"([0-9.]+)\">([^<]*)</word>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  double page_w, page_h, x, y, w, h;

  pk_paper_get_size (PK_PAPER_A4, &page_w, &page_h);
  pk_flyers_get_card (page_w, page_h, 0, &x, &y, &w, &h);
  memset (out, 0, sizeof *out);
  out->call_top = G_MAXDOUBLE;
  for (g_regex_match (regex, html, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *x_min = g_match_info_fetch (match, 1);
      g_autofree char *y_min = g_match_info_fetch (match, 2);
      g_autofree char *y_max = g_match_info_fetch (match, 3);
      g_autofree char *word = g_match_info_fetch (match, 4);
      double left = g_ascii_strtod (x_min, NULL);
      double top = g_ascii_strtod (y_min, NULL);
      double bottom = g_ascii_strtod (y_max, NULL);

      if (left < x || left > x + w || top < y || bottom > y + h)
        continue;
      if (g_str_equal (word, "Scan"))
        out->call_top = top;
      if (!g_str_has_prefix (word, title_word))
        continue;
      out->title_bottom = MAX (out->title_bottom, bottom);
      /* cairo gives the ellipsis the text it stands for: one box that
       * holds the rest of the title. */
      if (strchr (word, ' ') != NULL)
        out->ellipsis = TRUE;
      else
        {
          out->title_words++;
          out->title_height = bottom - top;
        }
    }
  g_assert_cmpfloat (out->call_top, <, G_MAXDOUBLE);
}

/* Writes a page of flyers for the demo petition titled @title. */
static void
write_flyers (Fixture    *fixture,
              const char *title,
              const char *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(PkPetition) petition = NULL;
  g_autofree char *path = g_strdup_printf ("%s.petition", pdf);

  g_assert_true (g_key_file_load_from_file (key_file, fixture->petition_path,
                                            G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  g_key_file_set_string (key_file, "Petition", "Title", title);
  g_assert_true (g_key_file_save_to_file (key_file, path, &error));
  g_assert_no_error (error);
  petition = pk_petition_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (pk_flyers_write_pdf (petition, "en", PK_PAPER_A4, 1, pdf, &error));
  g_assert_no_error (error);
}

/* A title too long for the card at its usual size is set smaller,
 * whole, above the line under the code; one too long even at the
 * smallest size is cut with an ellipsis, still above that line. */
static void
test_flyers_long_title (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GString) shrunk = g_string_new (NULL);
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autofree char *short_pdf = g_build_filename (fixture->dir, "short.pdf", NULL);
  g_autofree char *shrunk_pdf = g_build_filename (fixture->dir, "shrunk.pdf", NULL);
  g_autofree char *cut_pdf = g_build_filename (fixture->dir, "cut.pdf", NULL);
  CardWords usual, smaller, ellipsized;

  if (!have_tools ("pdftotext", NULL))
    return;

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (shrunk, "Freedom%u ", i);
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (cut, "Freedom%u ", i);
  write_flyers (fixture, "Freedom0 now", short_pdf);
  write_flyers (fixture, shrunk->str, shrunk_pdf);
  write_flyers (fixture, cut->str, cut_pdf);
  read_card_words (short_pdf, "Freedom", &usual);
  read_card_words (shrunk_pdf, "Freedom", &smaller);
  read_card_words (cut_pdf, "Freedom", &ellipsized);

  g_assert_cmpuint (usual.title_words, ==, 1);
  g_assert_cmpuint (smaller.title_words, ==, 12);
  g_assert_false (smaller.ellipsis);
  g_assert_cmpfloat (smaller.title_height, <, usual.title_height);
  g_assert_cmpfloat (smaller.title_bottom, <=, smaller.call_top);

  g_assert_cmpuint (ellipsized.title_words, >, 0);
  g_assert_cmpuint (ellipsized.title_words, <, 200);
  g_assert_true (ellipsized.ellipsis);
  g_assert_cmpfloat (ellipsized.title_height, <, smaller.title_height);
  g_assert_cmpfloat (ellipsized.title_bottom, <=, ellipsized.call_top);
}

static void
test_serials (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *serial = pk_sheet_serial_format (fixture->petition, 42);
  g_autofree char *lower = g_ascii_strdown (serial, -1);
  g_autofree char *padded = g_strdup_printf ("  %s \n", lower);
  g_autofree char *parsed = NULL;
  g_autofree char *from_number = NULL;
  g_autofree char *other = NULL;
  guint number = 0;

  g_assert_cmpuint (strlen (serial), ==, 16);
  g_assert_true (g_str_has_prefix (serial, "PK-"));
  g_assert_true (g_str_has_suffix (serial, "-000042"));

  parsed = pk_sheet_serial_parse (fixture->petition, padded, &number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed, ==, serial);
  g_assert_cmpuint (number, ==, 42);

  from_number = pk_sheet_serial_parse (fixture->petition, "42", &number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_number, ==, serial);

  /* Another petition's tag, nonsense, and numbers out of range. */
  other = g_strdup (serial);
  other[3] = other[3] == '0' ? '1' : '0';
  g_assert_null (pk_sheet_serial_parse (fixture->petition, other, NULL, &error));
  g_assert_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "0", "1234567", "PK-ABC", "" };

      g_assert_null (pk_sheet_serial_parse (fixture->petition, bad[i], NULL, &error));
      g_assert_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_sheets_usage (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "bad.pdf", NULL);

  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "sheets", "--petition", fixture->petition_path,
                                  "--lang", "fr", "--count", "1", "--out", pdf, NULL }, 2));
  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "sheets", "--petition", fixture->petition_path,
                                  "--paper", "a3", "--count", "1", "--out", pdf, NULL }, 2));
  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "sheets", "--petition", fixture->petition_path,
                                  "--count", "2", "--first-serial", "999999", "--out", pdf, NULL }, 2));
  g_free (run ((const char *[]) { g_getenv ("PK_BINARY"), "flyers", "--petition", fixture->petition_path,
                                  "--pages", "0", "--out", pdf, NULL }, 2));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* The printing path draws one sheet at a time, past pk_sheets_write_pdf
 * and its range check: a number off the serials' range is refused
 * there too, before anything is drawn. */
static void
test_sheet_number_range (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PkPetition) petition = pk_petition_new_from_file (fixture->petition_path, &error);
  static const guint numbers[] = { 0, PK_SHEET_MAX_NUMBER + 1 };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 60, 80);
      cairo_t *cr = cairo_create (surface);
      const guint8 *pixels;
      gsize n_bytes;

      g_assert_false (pk_sheets_draw_sheet (petition, "en", cr, 60, 80, numbers[i], &error));
      g_assert_error (error, PK_SHEETS_ERROR, PK_SHEETS_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, "Sheet numbers run from 1 to 999999.");
      g_clear_error (&error);

      cairo_destroy (cr);
      cairo_surface_flush (surface);
      pixels = cairo_image_surface_get_data (surface);
      n_bytes = (gsize) cairo_image_surface_get_stride (surface) * 80;
      for (gsize b = 0; b < n_bytes; b++)
        g_assert_cmpuint (pixels[b], ==, 0);
      cairo_surface_destroy (surface);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const SheetCase ko_a4 = { "ko", "a4" };
  static const SheetCase en_letter = { "en", "letter" };
  static const SheetCase de_a4 = { "de", "a4" };

  g_test_init (&argc, &argv, NULL);

  demo_petition_path = g_build_filename (g_getenv ("PK_SOURCE_ROOT"), "data", "demo",
                                         "prisoners-of-conscience.petition", NULL);

#define ADD(path, func, data) \
  g_test_add ((path), Fixture, (data), fixture_set_up, (func), fixture_tear_down)
  ADD ("/Pk/Paper/Qr/png", test_qr, "png");
  ADD ("/Pk/Paper/Qr/svg", test_qr, "svg");
  ADD ("/Pk/Paper/Qr/pdf", test_qr, "pdf");
  ADD ("/Pk/Paper/Qr/usage", test_qr_usage, NULL);
  ADD ("/Pk/Paper/Sheets/ko-a4", test_sheets, &ko_a4);
  ADD ("/Pk/Paper/Sheets/en-letter", test_sheets, &en_letter);
  ADD ("/Pk/Paper/Sheets/de-a4", test_sheets, &de_a4);
  ADD ("/Pk/Paper/Sheets/long-text", test_long_text, NULL);
  ADD ("/Pk/Paper/Sheets/serials", test_serials, NULL);
  ADD ("/Pk/Paper/Sheets/usage", test_sheets_usage, NULL);
  ADD ("/Pk/Paper/Sheets/number-range", test_sheet_number_range, NULL);
  ADD ("/Pk/Paper/Flyers/scan", test_flyers, NULL);
  ADD ("/Pk/Paper/Flyers/long-title", test_flyers_long_title, NULL);
#undef ADD

  return g_test_run ();
}
