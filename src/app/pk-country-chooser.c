/* pk-country-chooser.c: pick a country from a list, by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signer knows their country's name, in their own language, not its
 * ISO code: the list shows every country by name in the kiosk's current
 * language, in that language's order, and typing a name's first
 * letters finds it. The form stores the code.
 */
#define G_LOG_DOMAIN "pk-country-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "pk-countries.h"
#include "pk-country-chooser.h"

struct _PkCountryChooser
{
  GtkWidget   parent_instance;

  GtkWidget  *dropdown;
  /* The code of each item of the drop-down's model, in its order; ""
   * for the first item, "not given". */
  GPtrArray  *codes;
  /* The kiosk's own country, listed first; NULL when unknown. */
  char       *home_code;
  /* Set while the model is replaced, when "selected" changes without
   * the signer choosing anything. */
  gboolean    rebuilding;
};

G_DEFINE_FINAL_TYPE (PkCountryChooser, pk_country_chooser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_selected_changed (PkCountryChooser *self,
                     GParamSpec       *pspec,
                     GtkDropDown      *dropdown)
{
  if (!self->rebuilding)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
pk_country_chooser_get_code (PkCountryChooser *self)
{
  guint selected;

  g_return_val_if_fail (PK_IS_COUNTRY_CHOOSER (self), NULL);

  selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->dropdown));
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->codes->len)
    return NULL;
  if (*(const char *) g_ptr_array_index (self->codes, selected) == '\0')
    return NULL;
  return g_ptr_array_index (self->codes, selected);
}

void
pk_country_chooser_set_code (PkCountryChooser *self,
                             const char       *code)
{
  guint position = 0;

  g_return_if_fail (PK_IS_COUNTRY_CHOOSER (self));

  if (code != NULL &&
      !g_ptr_array_find_with_equal_func (self->codes, code, g_str_equal, &position))
    position = 0;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->dropdown), position);
}

void
pk_country_chooser_retranslate (PkCountryChooser *self)
{
  g_autofree char *code = NULL;
  g_autoptr(GPtrArray) countries = pk_countries_new_sorted ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (PK_IS_COUNTRY_CHOOSER (self));

  code = g_strdup (pk_country_chooser_get_code (self));

  g_ptr_array_set_size (self->codes, 0);
  g_ptr_array_add (self->codes, g_strdup (""));
  /* Giving a country is optional, so "none" is an answer too. */
  gtk_string_list_append (names, _("Not given"));
  /* Most signers live where the kiosk stands: that country comes first,
   * and again in its place for those who look for it there. */
  for (guint i = 0; i < countries->len && self->home_code != NULL; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      if (g_str_equal (country->code, self->home_code))
        {
          g_ptr_array_add (self->codes, g_strdup (country->code));
          gtk_string_list_append (names, country->name);
        }
    }
  for (guint i = 0; i < countries->len; i++)
    {
      const PkCountry *country = g_ptr_array_index (countries, i);

      g_ptr_array_add (self->codes, g_strdup (country->code));
      gtk_string_list_append (names, country->name);
    }

  self->rebuilding = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->dropdown), G_LIST_MODEL (names));
  pk_country_chooser_set_code (self, code);
  self->rebuilding = FALSE;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Country"),
                                  -1);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The drop-down gives the focus to the chosen row when its list opens,
 * where typing finds nothing; a signer types a country's name at once,
 * so the focus goes to the search. */
static void
on_list_mapped (PkCountryChooser *self,
                GtkWidget        *popover)
{
  GtkWidget *search = find_descendant (popover, GTK_TYPE_SEARCH_ENTRY);

  if (search != NULL)
    gtk_widget_grab_focus (search);
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
  pk_country_chooser_retranslate (self);
}

static gboolean
pk_country_chooser_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (PK_COUNTRY_CHOOSER (widget)->dropdown);
}

static void
pk_country_chooser_dispose (GObject *object)
{
  PkCountryChooser *self = PK_COUNTRY_CHOOSER (object);

  g_clear_pointer (&self->dropdown, gtk_widget_unparent);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->home_code, g_free);

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
pk_country_chooser_class_init (PkCountryChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pk_country_chooser_dispose;
  object_class->get_property = pk_country_chooser_get_property;
  object_class->set_property = pk_country_chooser_set_property;

  widget_class->grab_focus = pk_country_chooser_grab_focus;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countrychooser");
  /* The form labels the field as a whole ("Country (optional)"); the
   * drop-down inside has its own label. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pk_country_chooser_init (PkCountryChooser *self)
{
  self->codes = g_ptr_array_new_with_free_func (g_free);

  /* Typing in the list's search entry finds a country by its name. */
  self->dropdown = gtk_drop_down_new (NULL, gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->dropdown), TRUE);
  gtk_widget_set_parent (self->dropdown, GTK_WIDGET (self));
  g_signal_connect_object (find_descendant (self->dropdown, GTK_TYPE_POPOVER), "map",
                           G_CALLBACK (on_list_mapped), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->dropdown, "notify::selected",
                           G_CALLBACK (on_selected_changed), self, G_CONNECT_SWAPPED);

  pk_country_chooser_retranslate (self);
}

GtkWidget *
pk_country_chooser_new (void)
{
  return g_object_new (PK_TYPE_COUNTRY_CHOOSER, NULL);
}
