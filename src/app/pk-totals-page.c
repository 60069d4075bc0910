/* pk-totals-page.c: the master's totals and charts, on the coordinator's
 * Totals tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The words come from pk_report_summary() and pk_report_notes(), which
 * a headless test reads; this page shows them and draws the charts.
 */
#define G_LOG_DOMAIN "pk-totals-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pk-report.h"
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
  totals = pk_report_summary (report);
  notes = pk_report_notes (report);
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
