/* pk-country-chooser.c: pick a country from a list, by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signer knows their country's name, in their own language, not its
 * ISO code: the list shows every country by name in the kiosk's current
 * language, in that language's order, the kiosk's own country first.
 * Its search reads what is typed by the same rule as a paper sheet's
 * Country column (pk_country_codes_for_search()), so "한국", "Korea" and
 * "Deutschland" find their country, and a search that finds nothing
 * says so instead of showing an empty list. The form stores the code.
 *
 * GtkDropDown's own search only matches the start of the name shown,
 * and its list has no place for a "nothing found" line, so the list is
 * a popover of our own under a toggle button. Not a GtkMenuButton: GTK
 * 4.8 gives a screen reader two buttons for one, the outer one nameless
 * ("GtkMenuButton").
 */
#define G_LOG_DOMAIN "pk-country-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-countries.h"
#include "pk-country-chooser.h"

struct _PkCountryChooser
{
  GtkWidget          parent_instance;

  GtkWidget         *button;
  GtkWidget         *button_label;
  GtkWidget         *popover;
  GtkWidget         *search;
  GtkWidget         *results;
  GtkWidget         *list;
  GtkWidget         *empty_label;

  /* What the list shows without a search: "Not given", the kiosk's own
   * country, then every country. */
  GtkStringList     *all_names;
  /* Every country once, in order, filtered by the search. */
  GtkFilterListModel *found;
  GtkStringList     *country_names;
  /* Shown name → code; "Not given" → "". */
  GHashTable        *code_by_name;
  /* The codes the current search finds. */
  GHashTable        *search_codes;

  char              *code;
  /* The kiosk's own country, listed first; NULL when unknown. */
  char              *home_code;
  /* The language the names are in: "ko", "en" or "de". */
  char              *lang;
};

G_DEFINE_FINAL_TYPE (PkCountryChooser, pk_country_chooser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
pk_country_chooser_get_code (PkCountryChooser *self)
{
  g_return_val_if_fail (PK_IS_COUNTRY_CHOOSER (self), NULL);

  return self->code;
}

/* The name shown for @code in the current language. */
static const char *
name_of (PkCountryChooser *self,
         const char       *code)
{
  GHashTableIter iter;
  gpointer name, name_code;

  g_hash_table_iter_init (&iter, self->code_by_name);
  while (g_hash_table_iter_next (&iter, &name, &name_code))
    if (g_str_equal (name_code, code != NULL ? code : ""))
      return name;
  return "";
}

void
pk_country_chooser_set_code (PkCountryChooser *self,
                             const char       *code)
{
  g_return_if_fail (PK_IS_COUNTRY_CHOOSER (self));

  if (code != NULL && (*code == '\0' || *name_of (self, code) == '\0'))
    code = NULL;
  gtk_label_set_label (GTK_LABEL (self->button_label), name_of (self, code));
  /* GTK 4.8 does not name a button by the label inside a box: it is
   * named here by the country it shows, once. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name_of (self, code),
                                  -1);
  if (g_strcmp0 (self->code, code) == 0)
    return;
  g_free (self->code);
  self->code = g_strdup (code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

static void
show_search_result (PkCountryChooser *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autofree char *stripped = g_strstrip (g_strdup (typed));
  gboolean searching = *stripped != '\0';
  GListModel *shown = searching ? G_LIST_MODEL (self->found) : G_LIST_MODEL (self->all_names);
  GtkNoSelection *selection = GTK_NO_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (self->list)));

  if (gtk_no_selection_get_model (selection) != shown)
    gtk_no_selection_set_model (selection, shown);

  if (searching && g_list_model_get_n_items (shown) == 0)
    {
      /* Translators: shown in the country list when a search finds
       * nothing; %s is what the signer typed. */
      g_autofree char *text = g_strdup_printf (_("No country is called “%s”."), stripped);

      gtk_label_set_label (GTK_LABEL (self->empty_label), text);
      gtk_stack_set_visible_child_name (GTK_STACK (self->results), "empty");
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->results), "list");
}

static void
on_search_changed (PkCountryChooser *self)
{
  g_auto(GStrv) codes = NULL;

  codes = pk_country_codes_for_search (gtk_editable_get_text (GTK_EDITABLE (self->search)),
                                       self->lang);
  g_hash_table_remove_all (self->search_codes);
  for (guint i = 0; codes[i] != NULL; i++)
    g_hash_table_add (self->search_codes, g_strdup (codes[i]));
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->found), GTK_FILTER_CHANGE_DIFFERENT);
  show_search_result (self);
}

static gboolean
is_found (gpointer item,
          gpointer user_data)
{
  PkCountryChooser *self = user_data;
  const char *code = g_hash_table_lookup (self->code_by_name,
                                          gtk_string_object_get_string (item));

  return code != NULL && g_hash_table_contains (self->search_codes, code);
}

/* Chooses the country shown at @position and closes the list. */
static void
choose (PkCountryChooser *self,
        guint             position)
{
  GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (self->list)));
  g_autoptr(GtkStringObject) item = g_list_model_get_item (shown, position);

  if (item == NULL)
    return;
  pk_country_chooser_set_code (self, g_hash_table_lookup (self->code_by_name,
                                                          gtk_string_object_get_string (item)));
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_row_activated (PkCountryChooser *self,
                  guint             position)
{
  choose (self, position);
}

/* Enter in the search takes the first country found: "Deutschland",
 * Enter is a whole choice made from the keyboard. */
static void
on_search_activate (PkCountryChooser *self)
{
  if (gtk_stack_get_visible_child (GTK_STACK (self->results)) == self->empty_label)
    return;
  choose (self, 0);
}

/* Escape in the search closes the list, as it does anywhere else in it. */
static void
on_stop_search (PkCountryChooser *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

/* Down from the search walks into the list, as in any list with a
 * search above it. */
static gboolean
on_search_key (PkCountryChooser *self,
               guint             keyval,
               guint             keycode,
               GdkModifierType   state)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  return gtk_widget_child_focus (self->list, GTK_DIR_TAB_FORWARD);
}

/* The list opens with the focus in its search, so that a signer can
 * type a country's name at once, and at its top. */
static void
on_popover_shown (PkCountryChooser *self)
{
  GtkAdjustment *adjustment =
    gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  gtk_widget_grab_focus (self->search);
}

static void
on_button_toggled (PkCountryChooser *self)
{
  gboolean open = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->button));

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_STATE_EXPANDED, open, -1);
  if (open)
    gtk_popover_popup (GTK_POPOVER (self->popover));
  else
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_popover_closed (PkCountryChooser *self)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->button), FALSE);
}

static void
setup_row (GtkListItemFactory *factory,
           GtkListItem        *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_row (GtkListItemFactory *factory,
          GtkListItem        *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (item));
}

static void
add_name (PkCountryChooser *self,
          GtkStringList    *list,
          const char       *code,
          const char       *name)
{
  gtk_string_list_append (list, name);
  g_hash_table_replace (self->code_by_name, g_strdup (name), g_strdup (code));
}

void
pk_country_chooser_retranslate (PkCountryChooser *self,
                                const char       *lang)
{
  g_autofree char *code = NULL;
  char *lang_copy;
  g_autoptr(GPtrArray) countries = pk_countries_new_sorted ();
  g_autoptr(GtkStringList) all_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) country_names = gtk_string_list_new (NULL);

  g_return_if_fail (PK_IS_COUNTRY_CHOOSER (self));
  g_return_if_fail (lang != NULL);

  /* @lang may be self->lang itself (pk_country_chooser_set_home()). */
  lang_copy = g_strdup (lang);
  g_free (self->lang);
  self->lang = lang_copy;
  code = g_strdup (self->code);
  g_hash_table_remove_all (self->code_by_name);

  /* Giving a country is optional, so "none" is an answer too. */
  add_name (self, all_names, "", _("Not given"));
  /* Most signers live where the kiosk stands: that country comes first,
   * and again in its place for those who look for it there. */
  for (guint i = 0; i < countries->len && self->home_code != NULL; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      if (g_str_equal (country->code, self->home_code))
        add_name (self, all_names, country->code, country->name);
    }
  for (guint i = 0; i < countries->len; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      add_name (self, all_names, country->code, country->name);
      add_name (self, country_names, country->code, country->name);
    }

  g_set_object (&self->all_names, all_names);
  g_set_object (&self->country_names, country_names);
  gtk_filter_list_model_set_model (self->found, G_LIST_MODEL (country_names));
  gtk_no_selection_set_model (GTK_NO_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (self->list))),
                              NULL);
  /* The same search finds the same countries by their new names. */
  on_search_changed (self);
  pk_country_chooser_set_code (self, code);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search countries"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Countries"),
                                  -1);
}

void
pk_country_chooser_set_home (PkCountryChooser *self,
                             const char       *code)
{
  g_return_if_fail (PK_IS_COUNTRY_CHOOSER (self));

  if (g_strcmp0 (self->home_code, code) == 0)
    return;
  g_free (self->home_code);
  self->home_code = g_strdup (code);
  pk_country_chooser_retranslate (self, self->lang);
}

static gboolean
pk_country_chooser_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (PK_COUNTRY_CHOOSER (widget)->button);
}

static void
pk_country_chooser_dispose (GObject *object)
{
  PkCountryChooser *self = PK_COUNTRY_CHOOSER (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_object (&self->all_names);
  g_clear_object (&self->country_names);
  g_clear_object (&self->found);
  g_clear_pointer (&self->code_by_name, g_hash_table_unref);
  g_clear_pointer (&self->search_codes, g_hash_table_unref);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->home_code, g_free);
  g_clear_pointer (&self->lang, g_free);

  G_OBJECT_CLASS (pk_country_chooser_parent_class)->dispose (object);
}

static void
pk_country_chooser_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PkCountryChooser *self = PK_COUNTRY_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, pk_country_chooser_get_code (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_country_chooser_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PkCountryChooser *self = PK_COUNTRY_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_CODE:
      pk_country_chooser_set_code (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pk_country_chooser_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  gtk_widget_measure (PK_COUNTRY_CHOOSER (widget)->button, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* The popover is a window of its own: it is placed, not allocated. */
static void
pk_country_chooser_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  PkCountryChooser *self = PK_COUNTRY_CHOOSER (widget);

  gtk_widget_size_allocate (self->button, &(GtkAllocation) { 0, 0, width, height }, baseline);
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
pk_country_chooser_class_init (PkCountryChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_country_chooser_dispose;
  object_class->get_property = pk_country_chooser_get_property;
  object_class->set_property = pk_country_chooser_set_property;

  widget_class->grab_focus = pk_country_chooser_grab_focus;
  widget_class->measure = pk_country_chooser_measure;
  widget_class->size_allocate = pk_country_chooser_size_allocate;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "countrychooser");
  /* The form labels the field as a whole ("Country (optional)"); the
   * button inside says which country is chosen. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
pk_country_chooser_build_list (PkCountryChooser *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (NULL)), factory);
  /* A tap chooses, as on any kiosk list. */
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list), TRUE);
  g_signal_connect_object (self->list, "activate", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* Low enough to fit above or below the field on a 1024×600 screen. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  return scrolled;
}

static void
pk_country_chooser_build_popover (PkCountryChooser *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->search = gtk_search_entry_new ();
  g_signal_connect_object (self->search, "search-changed", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search, "activate", G_CALLBACK (on_search_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search, "stop-search", G_CALLBACK (on_stop_search), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_search_key), self,
                           G_CONNECT_SWAPPED);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (self->search, keys);

  self->empty_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->empty_label), 24);
  gtk_widget_add_css_class (self->empty_label, "country-none-found");
  gtk_widget_set_valign (self->empty_label, GTK_ALIGN_START);

  self->results = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->results), pk_country_chooser_build_list (self), "list");
  gtk_stack_add_named (GTK_STACK (self->results), self->empty_label, "empty");
  /* The popover keeps its size while the search narrows the list. */
  gtk_stack_set_vhomogeneous (GTK_STACK (self->results), TRUE);

  gtk_box_append (GTK_BOX (box), self->search);
  gtk_box_append (GTK_BOX (box), self->results);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (on_popover_closed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "map", G_CALLBACK (on_popover_shown), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
pk_country_chooser_init (PkCountryChooser *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->code_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->search_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->lang = g_strdup ("en");
  self->found = gtk_filter_list_model_new (NULL, GTK_FILTER (gtk_custom_filter_new (is_found, self,
                                                                                     NULL)));

  self->button_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->button_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->button_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->button_label, TRUE);
  gtk_box_append (GTK_BOX (content), self->button_label);
  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("pan-down-symbolic"));

  self->button = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->button), content);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
  g_signal_connect_object (self->button, "toggled", G_CALLBACK (on_button_toggled), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));

  pk_country_chooser_build_popover (self);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  pk_country_chooser_retranslate (self, self->lang);
}

GtkWidget *
pk_country_chooser_new (void)
{
  return g_object_new (PK_TYPE_COUNTRY_CHOOSER, NULL);
}
