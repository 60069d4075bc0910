/* pk-language.c: switching the kiosk's language while it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pk-language"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-korean-words.h"
#include "pk-language-scope.h"
#include "pk-language.h"
#include "pk-petition.h"

void
pk_language_apply (const char *lang)
{
  g_return_if_fail (lang != NULL);

  /* LANGUAGE wins over LC_MESSAGES whenever the locale is not plain C,
   * and pk_locale_init () makes sure it never is. */
  pk_language_switch (lang);
}

const char *
pk_language_from_environment (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *lang = g_strndup (names[i], strcspn (names[i], "_.@"));

      for (guint j = 0; j < PK_N_LANGUAGES; j++)
        if (g_str_equal (pk_languages[j], lang))
          return pk_languages[j];
    }
  return "en";
}

char *
pk_language_strip_mnemonic (const char *label)
{
  GString *name = g_string_new (NULL);

  g_return_val_if_fail (label != NULL, NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      /* "(_C)": the key, in brackets, after a text it is not part of. */
      if (p[0] == '(' && p[1] == '_' && p[2] != '\0' && p[3] == ')')
        {
          p += 3;
          continue;
        }
      if (p[0] == '_')
        {
          if (p[1] == '_')
            g_string_append_c (name, '_');
          if (p[1] == '_' || p[1] == '\0')
            p++;
          if (*p == '\0')
            break;
          continue;
        }
      g_string_append_c (name, *p);
    }

  return g_string_free (name, FALSE);
}

const char *
pk_language_native_name (const char *lang)
{
  /* Each language is named in itself, never translated: a signer looks
   * for the button they can read. */
  if (g_strcmp0 (lang, "ko") == 0)
    return "한국어";
  if (g_strcmp0 (lang, "de") == 0)
    return "Deutsch";
  return "English";
}

static gboolean
is_word_attribute (PangoAttribute *attribute,
                   gpointer        user_data)
{
  return attribute->klass->type == PANGO_ATTR_WORD;
}

static void
apply_language (GtkLabel *label)
{
  PangoLanguage *language = g_object_get_data (G_OBJECT (label), "pk-language");
  PangoAttrList *current = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrList) attrs = current ? pango_attr_list_copy (current) : pango_attr_list_new ();

  /* The label's other attributes are kept; its words, marked for the
   * previous text, and its previous language are replaced. */
  pango_attr_list_unref (pango_attr_list_filter (attrs, is_word_attribute, NULL));
  pango_attr_list_change (attrs, pango_attr_language_new (language));
  if (g_str_has_prefix (pango_language_to_string (language), "ko"))
    pk_korean_words_mark (attrs, gtk_label_get_text (label), pango_attr_word_new);
  gtk_label_set_attributes (label, attrs);
}

static void
on_label_notify (GtkLabel   *label,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  apply_language (label);
}

static void
tag_label (GtkLabel      *label,
           PangoLanguage *language)
{
  /* The words are marked on the text, so they are marked again
   * whenever the text changes. */
  if (g_object_get_data (G_OBJECT (label), "pk-language") == NULL)
    g_signal_connect (label, "notify::label", G_CALLBACK (on_label_notify), NULL);
  g_object_set_data (G_OBJECT (label), "pk-language", language);
  apply_language (label);
}
static void
tag_tree (GtkWidget     *widget,
          PangoLanguage *language)
{
  if (GTK_IS_LABEL (widget))
    tag_label (GTK_LABEL (widget), language);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tag_tree (child, language);
}

void
pk_language_tag_labels (GtkWidget  *root,
                        const char *lang)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (lang == NULL || *lang == '\0')
    return;

  tag_tree (root, pango_language_from_string (lang));
}

void
pk_language_set_button_label (GtkButton  *button,
                              const char *label)
{
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_BUTTON (button));
  g_return_if_fail (label != NULL);

  name = pk_language_strip_mnemonic (label);
  gtk_button_set_label (button, label);
  gtk_button_set_use_underline (button, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  /* Its label widget, which a screen reader lists after the button,
   * keeps the mnemonic's "(C)": the button's name says it all. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (gtk_button_get_child (button)),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
}
