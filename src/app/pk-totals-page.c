/* pk-totals-page.c: the master's totals and charts, on the coordinator's
 * Totals tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each count is its own phrase, so that each gets its plural form; the
 * lines put them together. A note appears only when it says something:
 * "0 files rejected" or "0 sheets counted twice" would only be noise on
 * the screen a coordinator reads at midnight.
 */
#define G_LOG_DOMAIN "pk-totals-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pk-totals-page.h"

/* The characters of a kiosk's fingerprint shown for an unnamed kiosk:
 * its first two groups ("ABCD-EFGH"), as `report` prints it in full. */
#define PK_TOTALS_SHORT_FINGERPRINT 9

struct _PkTotalsPage
{
  GtkWidget            parent_instance;

  AdwPreferencesGroup *totals_group;
  GtkLabel            *totals_label;
  GtkLabel            *notes_label;
  PkChart             *day_chart;
  PkChart             *kiosk_chart;

  char                *text;
};

G_DEFINE_FINAL_TYPE (PkTotalsPage, pk_totals_page, GTK_TYPE_WIDGET)

/* Each count is printed with %s (and G_GINT64_FORMAT), as the existing
 * translations expect. */
static char *
number (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static char *
main_line (JsonObject *root)
{
  gint64 n_signatures = json_object_get_int_member (root, "signatures");
  gint64 n_duplicates = json_object_get_int_member (root, "duplicates");
  gint64 n_batches = json_object_get_int_member (root, "batches");
  gint64 n_distinct = json_object_get_int_member (root, "distinct");
  g_autofree char *signatures_n = number (n_signatures);
  g_autofree char *distinct_n = number (n_distinct);
  g_autofree char *batches_n = number (n_batches);
  g_autofree char *duplicates_n = number (n_duplicates);
  g_autofree char *signatures = NULL;
  g_autofree char *distinct = NULL;
  g_autofree char *batches = NULL;
  g_autofree char *duplicates = NULL;

  if (n_batches == 0 && n_signatures == 0)
    return g_strdup (_("No batch merged yet."));

  signatures = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s signature", "%s signatures",
                                             (gulong) n_signatures), signatures_n);
  distinct = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s distinct signer", "%s distinct signers",
                                           (gulong) n_distinct), distinct_n);
  batches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "from %s batch", "from %s batches",
                                          (gulong) n_batches), batches_n);
  if (n_duplicates == 0)
    /* Translators: totals of the master database, put together from the
     * phrases "5 distinct signers", "5 signatures" and "from 3 batches",
     * in this order; use %1$s … %3$s to reorder them */
    return g_strdup_printf (_("%s (%s) %s"), distinct, signatures, batches);

  duplicates = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s duplicate", "%s duplicates",
                                             (gulong) n_duplicates), duplicates_n);
  /* Translators: totals of the master database, put together from the
   * phrases "5 distinct signers", "7 signatures", "2 duplicates" and
   * "from 3 batches", in this order; use %1$s … %4$s to reorder them */
  return g_strdup_printf (_("%s (%s, %s) %s"), distinct, signatures, duplicates, batches);
}

/* Rows of @member with the same @a and @b as the row before are one
 * thing counted more than once: how many things are there? */
static guint
count_distinct (JsonObject *root,
                const char *member,
                const char *a,
                const char *b)
{
  JsonArray *array = json_object_get_array_member (root, member);
  guint n = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      JsonObject *previous = i > 0 ? json_array_get_object_element (array, i - 1) : NULL;

      if (previous == NULL
          || g_strcmp0 (json_object_get_string_member (row, a), json_object_get_string_member (previous, a)) != 0
          || (b != NULL && json_object_get_int_member (row, b) != json_object_get_int_member (previous, b)))
        n++;
    }
  return n;
}

static char *
paper_note (JsonObject *root)
{
  gint64 n_counted = json_object_get_int_member_with_default (root, "paper_count_only", 0);
  gint64 n_sheets = json_object_get_int_member_with_default (root, "paper_count_sheets", 0);
  guint n_conflicts = count_distinct (root, "paper_count_conflicts", "serial", NULL);
  g_autofree char *counted_n = number (n_counted);
  g_autofree char *sheets_n = number (n_sheets);
  g_autofree char *conflicts_n = number (n_conflicts);
  g_autofree char *counted = NULL;
  g_autofree char *sheets = NULL;
  g_autofree char *conflicts = NULL;

  if (n_counted <= 0)
    return NULL;
  counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s signature", "%s signatures",
                                          (gulong) n_counted), counted_n);
  sheets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "on %s sheet", "on %s sheets",
                                         (gulong) n_sheets), sheets_n);
  if (n_conflicts == 0)
    /* Translators: signatures tallied on paper without transcription,
     * kept apart from the totals, put together from the phrases "22
     * signatures" and "on 3 sheets"; use %1$s and %2$s to reorder */
    return g_strdup_printf (_("Counted on paper only: %s %s"), counted, sheets);

  conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s sheet counted in more than one batch: see the report",
                                            "%s sheets counted in more than one batch: see the report",
                                            n_conflicts), conflicts_n);
  /* Translators: signatures tallied on paper without transcription,
   * kept apart from the totals, put together from the phrases "22
   * signatures", "on 3 sheets" and "1 sheet counted in more than one
   * batch: see the report"; use %1$s … %3$s to reorder */
  return g_strdup_printf (_("Counted on paper only: %s %s (%s)"), counted, sheets, conflicts);
}

/* The notes under the totals, one a line; NULL when nothing is worth
 * a note. */
static char *
notes_text (JsonObject *root)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  JsonArray *rejected = json_object_get_array_member (root, "rejected_files");
  guint n_rejected = rejected != NULL ? json_array_get_length (rejected) : 0;
  guint n_lines = count_distinct (root, "paper_lines_twice", "sheet", "line");
  char *paper = paper_note (root);

  if (n_rejected > 0)
    {
      g_autofree char *rejected_n = number (n_rejected);

      g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s file rejected", "%s files rejected",
                                                            n_rejected), rejected_n));
    }
  if (paper != NULL)
    g_ptr_array_add (lines, paper);
  if (n_lines > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u paper line was transcribed in more than one batch: see the report",
                                                          "%u paper lines were transcribed in more than one batch: see the report",
                                                          n_lines), n_lines));
  if (lines->len == 0)
    return NULL;
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

typedef struct {
  char   *label;
  gint64  value;
} Bar;

static void
bar_clear (gpointer data)
{
  g_free (((Bar *) data)->label);
}

static int
bar_compare_by_value (gconstpointer a,
                      gconstpointer b)
{
  const Bar *x = a;
  const Bar *y = b;

  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return g_utf8_collate (x->label, y->label);
}

/* A kiosk by the name its volunteers gave it, or else by the start of
 * its key's fingerprint: never by its UUID, which says nothing to a
 * person and is too long for the chart. */
static char *
kiosk_label (JsonObject *row)
{
  const char *name = json_object_get_string_member_with_default (row, "name", NULL);
  const char *fingerprint = json_object_get_string_member_with_default (row, "fingerprint", NULL);
  const char *key = json_object_get_string_member_with_default (row, "key", "");
  g_autofree char *short_id = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  short_id = g_utf8_substring (fingerprint != NULL ? fingerprint : key, 0, PK_TOTALS_SHORT_FINGERPRINT);
  /* Translators: an unnamed kiosk in the chart, by the start of its
   * key's fingerprint, such as "Kiosk ABCD-EFGH" */
  return g_strdup_printf (_("Kiosk %s"), short_id);
}

static void
set_chart (PkChart    *chart,
           JsonObject *root,
           const char *member,
           gboolean    by_kiosk)
{
  JsonArray *array = json_object_get_array_member (root, member);
  guint n = array != NULL ? json_array_get_length (array) : 0;
  g_autoptr(GArray) bars = g_array_sized_new (FALSE, FALSE, sizeof (Bar), n);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_set_clear_func (bars, bar_clear);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      Bar bar = { NULL, json_object_get_int_member (row, "signatures") };

      bar.label = by_kiosk ? kiosk_label (row) : g_strdup (json_object_get_string_member (row, "key"));
      g_array_append_val (bars, bar);
    }
  /* Days stay in date order; kiosks go by count, the busiest first. */
  if (by_kiosk)
    g_array_sort (bars, bar_compare_by_value);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (labels, g_array_index (bars, Bar, i).label);
      g_array_append_val (values, g_array_index (bars, Bar, i).value);
    }
  pk_chart_set_data (chart, (const char * const *) labels->pdata, (const gint64 *) values->data, n);
}

void
pk_totals_page_set_report (PkTotalsPage *self,
                           JsonNode     *report)
{
  JsonObject *root;
  g_autofree char *totals = NULL;
  g_autofree char *notes = NULL;

  g_return_if_fail (PK_IS_TOTALS_PAGE (self));
  g_return_if_fail (report != NULL && JSON_NODE_HOLDS_OBJECT (report));

  root = json_node_get_object (report);
  totals = main_line (root);
  notes = notes_text (root);
  gtk_label_set_text (self->totals_label, totals);
  gtk_label_set_text (self->notes_label, notes != NULL ? notes : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes != NULL);
  g_free (self->text);
  self->text = notes != NULL ? g_strconcat (totals, "\n", notes, NULL) : g_strdup (totals);

  set_chart (self->day_chart, root, "by_day", FALSE);
  set_chart (self->kiosk_chart, root, "by_kiosk", TRUE);
}

const char *
pk_totals_page_get_text (PkTotalsPage *self)
{
  g_return_val_if_fail (PK_IS_TOTALS_PAGE (self), NULL);
  return self->text;
}

PkChart *
pk_totals_page_get_kiosk_chart (PkTotalsPage *self)
{
  g_return_val_if_fail (PK_IS_TOTALS_PAGE (self), NULL);
  return self->kiosk_chart;
}

static void
pk_totals_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PK_TYPE_TOTALS_PAGE);
  /* That unparents the children bound to fields; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pk_totals_page_parent_class)->dispose (object);
}

static void
pk_totals_page_finalize (GObject *object)
{
  PkTotalsPage *self = PK_TOTALS_PAGE (object);

  g_free (self->text);

  G_OBJECT_CLASS (pk_totals_page_parent_class)->finalize (object);
}

static void
pk_totals_page_class_init (PkTotalsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_totals_page_dispose;
  object_class->finalize = pk_totals_page_finalize;

  g_type_ensure (PK_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pk-totals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PkTotalsPage, totals_group);
  gtk_widget_class_bind_template_child (widget_class, PkTotalsPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, PkTotalsPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, PkTotalsPage, day_chart);
  gtk_widget_class_bind_template_child (widget_class, PkTotalsPage, kiosk_chart);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pk_totals_page_init (PkTotalsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The coordinator's window keeps the language it opened in: the
   * strings are set once, here. */
  adw_preferences_group_set_title (self->totals_group, _("Totals"));
  pk_chart_set_title (self->day_chart, _("Signatures per day (UTC)"));
  pk_chart_set_title (self->kiosk_chart, _("Signatures per kiosk"));
  gtk_label_set_text (self->totals_label, _("No master database chosen yet."));
}
