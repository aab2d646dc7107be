/* mp-model-editor.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-characteristic-row.h"
#include "mp-model-editor.h"
#include "mp-section-view.h"
#include "mp-stage-row.h"

struct _MpModelEditor
{
  AdwBin                parent_instance;

  /* template widgets */
  AdwEntryRow          *authors_row;
  AdwPreferencesGroup  *basic_group;
  AdwEntryRow          *collection_row;
  AdwEntryRow          *funders_row;
  AdwComboRow          *language_row;
  AdwEntryRow          *organisation_row;
  AdwPreferencesPage   *page;
  AdwEntryRow          *place_row;
  AdwExpanderRow       *regions_row;
  MpSectionView        *summary_view;
  AdwExpanderRow       *target_groups_row;
  AdwExpanderRow       *themes_row;
  AdwEntryRow          *title_row;
  AdwActionRow         *unfinished_row;
  GtkSwitch            *unfinished_switch;
  AdwComboRow          *visibility_row;

  /* widgets made in code, owned by their parents */
  MpSectionView        *section_views[MP_N_TEXTS];
  GtkWidget            *stage_rows[MP_N_STAGES];
  GtkWidget            *characteristic_rows[MP_N_CHARACTERISTICS];
  AdwPreferencesGroup  *links_group;
  GtkWidget            *no_links_row;

  /* owned */
  MpModel              *model;
  GSignalGroup         *model_signals;
  GPtrArray            *checks[MP_N_LISTS];   /* GtkCheckButton, in taxonomy order */
  GPtrArray            *link_rows;            /* AdwExpanderRow */

  /* Set while the model is read into the widgets, and while a widget
   * writes into the model, so that neither echoes the other. */
  guint                 loading : 1;
  guint                 writing : 1;
};

G_DEFINE_FINAL_TYPE (MpModelEditor, mp_model_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const languages[] = { "fi", "sv", "en" };

static GQuark text_quark;
static GQuark list_quark;

static void load_links (MpModelEditor *self);
static void set_row_title (GtkWidget  *row,
                           const char *title);

/* private helpers */

static const char *
section_description (MpText text)
{
  switch (text)
    {
    case MP_TEXT_SUMMARY:
      return _("The lead paragraph: what the model is and whom it serves");
    case MP_TEXT_BASIC_IDEA:
      return _("What the model does and how it answers the need");
    case MP_TEXT_ENVIRONMENT:
      return _("Where and with whom it works");
    case MP_TEXT_CONDITIONS:
      return _("What it needs to work, and to be taken up elsewhere");
    case MP_TEXT_TARGET_INSIGHT:
      return _("Who it serves, and what was learned about them");
    case MP_TEXT_CORE:
      return _("What must stay the same when the model is taken elsewhere");
    case MP_TEXT_EVALUATION_SUMMARY:
      return _("Results of evaluation, for example a self-assessment");
    case MP_TEXT_LESSONS:
      return _("What was learned, including what failed");
    case MP_TEXT_BASELINE:
      return _("The starting point, and how the work links to strategies");
    case MP_TEXT_NEEDS:
      return _("The needs that started the development");
    case MP_TEXT_CO_DEVELOPERS:
      return _("Who developed the model together, and how");
    case MP_TEXT_INTENDED_CHANGE:
      return _("What should change, and for whom");
    case MP_TEXT_MEASURING_CHANGE:
      return _("How the change is followed and measured");
    case MP_TEXT_TITLE:
    case MP_TEXT_LANGUAGE:
    case MP_TEXT_ORGANISATION:
    case MP_TEXT_PLACE:
    case MP_TEXT_COLLECTION:
    case MP_N_TEXTS:
    default:
      return NULL;
    }
}

static MpTaxonomy
list_taxonomy (MpList list)
{
  switch (list)
    {
    case MP_LIST_REGIONS:
      return MP_TAXONOMY_REGION;
    case MP_LIST_THEMES:
      return MP_TAXONOMY_THEME;
    case MP_LIST_TARGET_GROUPS:
      return MP_TAXONOMY_TARGET_GROUP;
    case MP_LIST_AUTHORS:
    case MP_LIST_FUNDERS:
    case MP_N_LISTS:
    default:
      return MP_N_TAXONOMIES;
    }
}

static AdwEntryRow *
text_entry (MpModelEditor *self,
            MpText         text)
{
  switch (text)
    {
    case MP_TEXT_TITLE:
      return self->title_row;
    case MP_TEXT_PLACE:
      return self->place_row;
    case MP_TEXT_ORGANISATION:
      return self->organisation_row;
    case MP_TEXT_COLLECTION:
      return self->collection_row;
    default:
      return NULL;
    }
}

static void
show_error (GtkWidget  *widget,
            const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else if (gtk_widget_has_css_class (widget, "error"))
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Returns: a translated message when @value cannot be written into @text */
static char *
check_text (MpText      text,
            const char *value)
{
  gsize max = mp_text_max_length (text);

  if (text == MP_TEXT_TITLE)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));

      if (*stripped == '\0')
        return g_strdup (_("A model needs a name"));
    }

  if (text < MP_TEXT_FIRST_LONG)
    {
      if ((gsize) g_utf8_strlen (value, -1) > max)
        /* Translators: shown when a field is too long */
        return g_strdup_printf (ngettext ("At most %u character", "At most %u characters", (gulong) max),
                                (guint) max);
    }
  else if (strlen (value) > max)
    {
      return g_strdup (_("This text is too long to be saved"));
    }

  return NULL;
}

static void
write_text (MpModelEditor *self,
            MpText         text,
            const char    *value,
            GtkWidget     *widget)
{
  g_autofree char *message = NULL;

  if (self->loading || self->model == NULL)
    return;

  /* What cannot be saved is not written, so the bank keeps a valid model;
   * the field shows why. */
  message = check_text (text, value);
  show_error (widget, message);
  if (message != NULL)
    return;

  self->writing = TRUE;
  mp_model_set_text (self->model, text, value);
  self->writing = FALSE;
}

static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      if (*part != '\0')
        g_strv_builder_add (builder, part);
    }

  return g_strv_builder_end (builder);
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  guint i;

  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;

  return a[i] == NULL && b[i] == NULL;
}

static void
set_entry_text (AdwEntryRow *row,
                const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  show_error (GTK_WIDGET (row), NULL);
}

static AdwEntryRow *
list_entry (MpModelEditor *self,
            MpList         list)
{
  if (list == MP_LIST_AUTHORS)
    return self->authors_row;
  if (list == MP_LIST_FUNDERS)
    return self->funders_row;
  return NULL;
}

static AdwExpanderRow *
list_expander (MpModelEditor *self,
               MpList         list)
{
  switch (list)
    {
    case MP_LIST_REGIONS:
      return self->regions_row;
    case MP_LIST_THEMES:
      return self->themes_row;
    case MP_LIST_TARGET_GROUPS:
      return self->target_groups_row;
    case MP_LIST_AUTHORS:
    case MP_LIST_FUNDERS:
    case MP_N_LISTS:
    default:
      return NULL;
    }
}

static void
update_choice_subtitle (MpModelEditor *self,
                        MpList         list)
{
  AdwExpanderRow *expander = list_expander (self, list);
  const MpTerm *terms;
  guint n_terms = 0;
  g_autoptr(GString) chosen = g_string_new (NULL);

  terms = mp_taxonomy_terms (list_taxonomy (list), &n_terms);
  for (guint i = 0; i < self->checks[list]->len && i < n_terms; i++)
    {
      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks[list], i)))
        continue;

      if (chosen->len > 0)
        g_string_append (chosen, ", ");
      g_string_append (chosen, mp_term_get_label (&terms[i], NULL));
    }

  adw_expander_row_set_subtitle (expander, chosen->len > 0 ? chosen->str : _("None chosen"));
}

static void
load_list (MpModelEditor *self,
           MpList         list)
{
  const char * const *values = mp_model_get_list (self->model, list);
  AdwEntryRow *entry = list_entry (self, list);

  if (entry != NULL)
    {
      g_auto(GStrv) current = split_list (gtk_editable_get_text (GTK_EDITABLE (entry)));

      /* "a; b; " and "a; b" are the same list: leave what is being typed. */
      if (!strv_equal ((const char * const *) current, values))
        {
          g_autofree char *joined = g_strjoinv ("; ", (char **) values);

          set_entry_text (entry, joined);
        }
      return;
    }

  if (self->checks[list] != NULL)
    {
      const MpTerm *terms;
      guint n_terms = 0;

      terms = mp_taxonomy_terms (list_taxonomy (list), &n_terms);
      for (guint i = 0; i < self->checks[list]->len && i < n_terms; i++)
        {
          gboolean active = g_strv_contains (values, terms[i].key);
          GtkCheckButton *check = g_ptr_array_index (self->checks[list], i);

          if (gtk_check_button_get_active (check) != active)
            gtk_check_button_set_active (check, active);
        }
      update_choice_subtitle (self, list);
    }
}

static void
load_text (MpModelEditor *self,
           MpText         text)
{
  const char *value = mp_model_get_text (self->model, text);
  AdwEntryRow *entry = text_entry (self, text);

  if (entry != NULL)
    set_entry_text (entry, value);
  else if (self->section_views[text] != NULL)
    mp_section_view_set_text (self->section_views[text], value);
  else if (text == MP_TEXT_LANGUAGE)
    {
      for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
        if (g_strcmp0 (value, languages[i]) == 0 &&
            adw_combo_row_get_selected (self->language_row) != i)
          adw_combo_row_set_selected (self->language_row, i);
    }
}

static void
update_visibility_subtitle (MpModelEditor *self)
{
  const char *subtitle;

  switch (adw_combo_row_get_selected (self->visibility_row))
    {
    case MP_VISIBILITY_ORGANISATION:
      subtitle = _("Shared with the people of your organisation when you sync");
      break;
    case MP_VISIBILITY_PUBLIC:
      subtitle = _("Published in the model bank for everyone to read when you sync");
      break;
    case MP_VISIBILITY_PRIVATE:
    default:
      subtitle = _("A private model never leaves this device");
      break;
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->visibility_row), subtitle);
}

static void
load_field (MpModelEditor *self,
            const char    *key)
{
  int text;

  g_assert (MP_IS_MODEL_EDITOR (self));

  text = mp_text_from_key (key);
  if (text >= 0)
    {
      load_text (self, text);
      return;
    }

  for (guint i = 0; i < MP_N_LISTS; i++)
    if (g_strcmp0 (key, mp_list_key (i)) == 0)
      {
        load_list (self, i);
        return;
      }

  if (g_strcmp0 (key, "stages") == 0)
    {
      for (guint i = 0; i < MP_N_STAGES; i++)
        mp_stage_row_reload (MP_STAGE_ROW (self->stage_rows[i]));
    }
  else if (g_strcmp0 (key, "characteristics") == 0)
    {
      for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
        mp_characteristic_row_reload (MP_CHARACTERISTIC_ROW (self->characteristic_rows[i]));
    }
  else if (g_strcmp0 (key, "links") == 0)
    {
      load_links (self);
    }
  else if (g_strcmp0 (key, "visibility") == 0)
    {
      MpVisibility visibility = mp_model_get_visibility (self->model);

      if (adw_combo_row_get_selected (self->visibility_row) != (guint) visibility)
        adw_combo_row_set_selected (self->visibility_row, visibility);
      update_visibility_subtitle (self);
    }
  else if (g_strcmp0 (key, "unfinished") == 0)
    {
      gboolean unfinished = mp_model_get_unfinished (self->model);

      if (gtk_switch_get_active (self->unfinished_switch) != unfinished)
        gtk_switch_set_active (self->unfinished_switch, unfinished);
    }
}

static void
load_model (MpModelEditor *self)
{
  static const char * const other_keys[] = { "stages", "characteristics", "links", "visibility", "unfinished" };

  if (self->model == NULL)
    return;

  self->loading = TRUE;

  for (guint i = 0; i < MP_N_TEXTS; i++)
    load_text (self, i);
  for (guint i = 0; i < MP_N_LISTS; i++)
    load_list (self, i);
  for (guint i = 0; i < G_N_ELEMENTS (other_keys); i++)
    load_field (self, other_keys[i]);

  self->loading = FALSE;
}

static gboolean
link_is_valid (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (scheme == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  return g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
}

static void
update_link_row (AdwExpanderRow *row)
{
  GtkEditable *title = g_object_get_data (G_OBJECT (row), "title-entry");
  GtkEditable *url = g_object_get_data (G_OBJECT (row), "url-entry");
  const char *title_text = gtk_editable_get_text (title);
  const char *url_text = gtk_editable_get_text (url);
  const char *shown = *title_text != '\0' ? title_text :
                      *url_text != '\0' ? url_text : _("New link");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
  adw_expander_row_set_subtitle (row, url_text);
  /* The focus can land on the expander row itself, which libadwaita 1.2
   * leaves unnamed */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, shown,
                                  -1);
}

/* The model has no call to change one link in place, so the links are
 * written again as a whole, in the order of the rows. */
static void
write_links (MpModelEditor *self)
{
  if (self->loading || self->model == NULL)
    return;

  self->writing = TRUE;

  while (mp_model_get_n_links (self->model) > 0)
    mp_model_remove_link (self->model, mp_model_get_n_links (self->model) - 1);

  for (guint i = 0; i < self->link_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->link_rows, i);
      GtkEditable *title = g_object_get_data (row, "title-entry");
      GtkEditable *url = g_object_get_data (row, "url-entry");

      if (link_is_valid (gtk_editable_get_text (url)))
        mp_model_add_link (self->model, gtk_editable_get_text (title), gtk_editable_get_text (url));
    }

  self->writing = FALSE;
}

/* callbacks */

static void
on_link_entry_changed (GtkEditable   *editable,
                       MpModelEditor *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (editable), ADW_TYPE_EXPANDER_ROW);
  GtkEditable *url = g_object_get_data (G_OBJECT (row), "url-entry");

  if (editable == url)
    {
      const char *text = gtk_editable_get_text (url);

      show_error (GTK_WIDGET (url),
                  *text == '\0' || link_is_valid (text) ? NULL :
                  _("Write a whole web address, starting with https:// or http://"));
    }

  update_link_row (ADW_EXPANDER_ROW (row));
  write_links (self);
}

static void
on_remove_link_clicked (GtkButton     *button,
                        MpModelEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "link-row");

  g_ptr_array_remove (self->link_rows, row);
  adw_preferences_group_remove (self->links_group, row);
  gtk_widget_set_visible (self->no_links_row, self->link_rows->len == 0);
  write_links (self);
}

static AdwExpanderRow *
add_link_row (MpModelEditor *self,
              const char    *title,
              const char    *url)
{
  AdwExpanderRow *row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  GtkWidget *title_entry = adw_entry_row_new ();
  GtkWidget *url_entry = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  /* The title and address are the person's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  set_row_title (title_entry, _("Title"));
  set_row_title (url_entry, _("Address"));
  gtk_editable_set_text (GTK_EDITABLE (title_entry), title);
  gtk_editable_set_text (GTK_EDITABLE (url_entry), url);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (url_entry), GTK_INPUT_PURPOSE_URL);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Link"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Link"),
                                  -1);
  g_object_set_data (G_OBJECT (remove), "link-row", row);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_link_clicked), self, 0);

  adw_expander_row_add_row (row, title_entry);
  adw_expander_row_add_row (row, url_entry);
  adw_expander_row_add_action (row, remove);
  g_object_set_data (G_OBJECT (row), "title-entry", title_entry);
  g_object_set_data (G_OBJECT (row), "url-entry", url_entry);
  update_link_row (row);

  g_signal_connect_object (title_entry, "changed", G_CALLBACK (on_link_entry_changed), self, 0);
  g_signal_connect_object (url_entry, "changed", G_CALLBACK (on_link_entry_changed), self, 0);

  g_ptr_array_add (self->link_rows, row);
  adw_preferences_group_add (self->links_group, GTK_WIDGET (row));
  gtk_widget_set_visible (self->no_links_row, FALSE);

  return row;
}

static void
load_links (MpModelEditor *self)
{
  guint n_links = mp_model_get_n_links (self->model);
  gboolean same = n_links == self->link_rows->len;

  for (guint i = 0; same && i < n_links; i++)
    {
      GObject *row = g_ptr_array_index (self->link_rows, i);
      const char *title, *url;

      mp_model_get_link (self->model, i, &title, &url);
      same = g_strcmp0 (gtk_editable_get_text (g_object_get_data (row, "title-entry")), title) == 0 &&
             g_strcmp0 (gtk_editable_get_text (g_object_get_data (row, "url-entry")), url) == 0;
    }

  if (same)
    return;

  while (self->link_rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_steal_index (self->link_rows, self->link_rows->len - 1);

      adw_preferences_group_remove (self->links_group, row);
    }

  for (guint i = 0; i < n_links; i++)
    {
      const char *title, *url;

      mp_model_get_link (self->model, i, &title, &url);
      add_link_row (self, title, url);
    }

  gtk_widget_set_visible (self->no_links_row, n_links == 0);
}

static void
on_add_link_clicked (MpModelEditor *self)
{
  gboolean was_loading = self->loading;
  AdwExpanderRow *row;

  /* An empty link is not written until it has a valid address. */
  self->loading = TRUE;
  row = add_link_row (self, "", "");
  self->loading = was_loading;

  adw_expander_row_set_expanded (row, TRUE);
  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "title-entry"));
}

static void
on_text_entry_changed (MpModelEditor *self,
                       GtkEditable   *editable)
{
  MpText text = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (editable), text_quark)) - 1;

  write_text (self, text, gtk_editable_get_text (editable), GTK_WIDGET (editable));
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   MpModelEditor *self)
{
  MpText text = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (buffer), text_quark)) - 1;
  g_autofree char *value = NULL;

  if (self->loading || self->model == NULL)
    return;

  value = mp_section_view_dup_text (self->section_views[text]);
  write_text (self, text, value, GTK_WIDGET (mp_section_view_get_text_view (self->section_views[text])));
}

static void
on_list_entry_changed (MpModelEditor *self,
                       GtkEditable   *editable)
{
  MpList list = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (editable), list_quark)) - 1;
  g_auto(GStrv) values = NULL;

  if (self->loading || self->model == NULL)
    return;

  values = split_list (gtk_editable_get_text (editable));
  if (strv_equal ((const char * const *) values, mp_model_get_list (self->model, list)))
    return;

  self->writing = TRUE;
  mp_model_set_list (self->model, list, (const char * const *) values);
  self->writing = FALSE;
}

static void
on_check_toggled (GtkCheckButton *check,
                  MpModelEditor  *self)
{
  MpList list = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (check), list_quark)) - 1;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) values = NULL;
  const MpTerm *terms;
  guint n_terms = 0;

  if (self->loading || self->model == NULL)
    return;

  builder = g_strv_builder_new ();
  terms = mp_taxonomy_terms (list_taxonomy (list), &n_terms);
  for (guint i = 0; i < self->checks[list]->len && i < n_terms; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks[list], i)))
      g_strv_builder_add (builder, terms[i].key);
  values = g_strv_builder_end (builder);

  self->writing = TRUE;
  mp_model_set_list (self->model, list, (const char * const *) values);
  self->writing = FALSE;

  update_choice_subtitle (self, list);
}

static void
on_language_selected (MpModelEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  if (self->loading || self->model == NULL || selected >= G_N_ELEMENTS (languages))
    return;

  write_text (self, MP_TEXT_LANGUAGE, languages[selected], GTK_WIDGET (self->language_row));
}

static void
on_visibility_selected (MpModelEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->visibility_row);

  update_visibility_subtitle (self);

  if (self->loading || self->model == NULL || selected > MP_VISIBILITY_PUBLIC)
    return;

  self->writing = TRUE;
  mp_model_set_visibility (self->model, (MpVisibility) selected);
  self->writing = FALSE;
}

static void
on_unfinished_notify (MpModelEditor *self)
{
  if (self->loading || self->model == NULL)
    return;

  self->writing = TRUE;
  mp_model_set_unfinished (self->model, gtk_switch_get_active (self->unfinished_switch));
  self->writing = FALSE;
}

static void
on_model_changed (MpModelEditor *self,
                  const char    *key,
                  MpModel       *model)
{
  /* Our own writes need no reload; the system's timestamps are not shown. */
  if (self->writing || self->loading)
    return;
  if (g_strcmp0 (key, "modified") == 0 || g_strcmp0 (key, "revision") == 0)
    return;

  self->loading = TRUE;
  load_field (self, key);
  self->loading = FALSE;
}

/* building the form */

static void
set_row_title (GtkWidget  *row,
               const char *title)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Screen readers get the same name as the visible title. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
}

static void
setup_text_entry (MpModelEditor *self,
                  MpText         text)
{
  AdwEntryRow *entry = text_entry (self, text);

  set_row_title (GTK_WIDGET (entry), mp_text_label (text));
  g_object_set_qdata (G_OBJECT (entry), text_quark, GINT_TO_POINTER (text + 1));
}

static void
setup_section_view (MpModelEditor *self,
                    MpSectionView *view,
                    MpText         text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (mp_section_view_get_text_view (view));

  self->section_views[text] = view;
  g_object_set_qdata (G_OBJECT (buffer), text_quark, GINT_TO_POINTER (text + 1));
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self, 0);
}

static void
setup_list_entry (MpModelEditor *self,
                  MpList         list)
{
  AdwEntryRow *entry = list_entry (self, list);
  g_autofree char *title = NULL;

  /* Translators: the title of a field holding several names, e.g.
   * "Authors, separated by semicolons" */
  title = g_strdup_printf (_("%s, separated by semicolons"), mp_list_label (list));
  set_row_title (GTK_WIDGET (entry), title);
  g_object_set_qdata (G_OBJECT (entry), list_quark, GINT_TO_POINTER (list + 1));
}

static void
setup_choices (MpModelEditor *self,
               MpList         list)
{
  AdwExpanderRow *expander = list_expander (self, list);
  const MpTerm *terms;
  guint n_terms = 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), mp_list_label (list));
  /* The focus can land on the expander row itself, which libadwaita 1.2
   * leaves unnamed */
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, mp_list_label (list),
                                  -1);
  self->checks[list] = g_ptr_array_new ();

  terms = mp_taxonomy_terms (list_taxonomy (list), &n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = mp_term_get_label (&terms[i], NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_qdata (G_OBJECT (check), list_quark, GINT_TO_POINTER (list + 1));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled), self, 0);

      g_ptr_array_add (self->checks[list], check);
      adw_expander_row_add_row (expander, row);
    }

  update_choice_subtitle (self, list);
}

static AdwPreferencesGroup *
add_group (MpModelEditor *self,
           const char    *title,
           const char    *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->page, group);

  return group;
}

static void
add_sections (MpModelEditor       *self,
              AdwPreferencesGroup *group,
              MpText               first,
              MpText               last)
{
  for (MpText text = first; text <= last; text++)
    {
      GtkWidget *view = mp_section_view_new (mp_text_label (text),
                                             section_description (text),
                                             mp_text_is_essential (text));

      setup_section_view (self, MP_SECTION_VIEW (view), text);
      adw_preferences_group_add (group, view);
    }
}

static void
build_form (MpModelEditor *self)
{
  AdwPreferencesGroup *group;
  GtkWidget *add_button;
  GtkWidget *content;

  setup_text_entry (self, MP_TEXT_TITLE);
  setup_text_entry (self, MP_TEXT_PLACE);
  setup_text_entry (self, MP_TEXT_ORGANISATION);
  setup_text_entry (self, MP_TEXT_COLLECTION);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_view), mp_text_label (MP_TEXT_SUMMARY));
  mp_section_view_set_description (self->summary_view, section_description (MP_TEXT_SUMMARY));
  setup_section_view (self, self->summary_view, MP_TEXT_SUMMARY);

  set_row_title (GTK_WIDGET (self->language_row), mp_text_label (MP_TEXT_LANGUAGE));

  setup_list_entry (self, MP_LIST_AUTHORS);
  setup_list_entry (self, MP_LIST_FUNDERS);
  setup_choices (self, MP_LIST_REGIONS);
  setup_choices (self, MP_LIST_THEMES);
  setup_choices (self, MP_LIST_TARGET_GROUPS);

  {
    g_autoptr(GtkStringList) visibilities = gtk_string_list_new (NULL);
    const MpTerm *terms;
    guint n_terms = 0;

    terms = mp_taxonomy_terms (MP_TAXONOMY_VISIBILITY, &n_terms);
    for (guint i = 0; i < n_terms; i++)
      gtk_string_list_append (visibilities, mp_term_get_label (&terms[i], NULL));
    adw_combo_row_set_model (self->visibility_row, G_LIST_MODEL (visibilities));
    update_visibility_subtitle (self);
  }

  group = add_group (self, _("Description"),
                     _("The sections of the model as the model bank shows them. "
                       "Write paragraphs, and start a line with “- ” for a list."));
  add_sections (self, group, MP_TEXT_FIRST_LONG, MP_TEXT_FIRST_PATH - 1);

  group = add_group (self, _("Development path"),
                     _("How the model was developed"));
  add_sections (self, group, MP_TEXT_FIRST_PATH, MP_N_TEXTS - 1);

  group = add_group (self, _("Stages"),
                     _("Where the model is on the six stages of a social innovation. "
                       "A model may return to an earlier stage."));
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      self->stage_rows[i] = mp_stage_row_new (i);
      adw_preferences_group_add (group, self->stage_rows[i]);
    }

  group = add_group (self, _("Characteristics"),
                     _("Which of the 16 characteristics of a social innovation the model has, and why"));
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      self->characteristic_rows[i] = mp_characteristic_row_new (i);
      adw_preferences_group_add (group, self->characteristic_rows[i]);
    }

  self->links_group = add_group (self, _("Links"),
                                 _("Web pages about the model, such as reports and materials"));
  add_button = gtk_button_new ();
  content = adw_button_content_new ();
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Add Link"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (add_button), content);
  gtk_widget_add_css_class (add_button, "flat");
  gtk_widget_set_valign (add_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (add_button, _("Add a link to a web page"));
  g_signal_connect_object (add_button, "clicked", G_CALLBACK (on_add_link_clicked), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (self->links_group, add_button);

  self->no_links_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_links_row), _("No links yet"));
  gtk_widget_add_css_class (self->no_links_row, "dim-label");
  adw_preferences_group_add (self->links_group, self->no_links_row);
}

/* GObject overrides */

static void
mp_model_editor_dispose (GObject *object)
{
  MpModelEditor *self = MP_MODEL_EDITOR (object);

  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  g_clear_object (&self->model_signals);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (mp_model_editor_parent_class)->dispose (object);
}

static void
mp_model_editor_finalize (GObject *object)
{
  MpModelEditor *self = MP_MODEL_EDITOR (object);

  for (guint i = 0; i < MP_N_LISTS; i++)
    g_clear_pointer (&self->checks[i], g_ptr_array_unref);
  g_clear_pointer (&self->link_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mp_model_editor_parent_class)->finalize (object);
}

static void
mp_model_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MpModelEditor *self = MP_MODEL_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MpModelEditor *self = MP_MODEL_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      mp_model_editor_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_editor_class_init (MpModelEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mp_model_editor_dispose;
  object_class->finalize = mp_model_editor_finalize;
  object_class->get_property = mp_model_editor_get_property;
  object_class->set_property = mp_model_editor_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         MP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  text_quark = g_quark_from_static_string ("mp-model-editor-text");
  list_quark = g_quark_from_static_string ("mp-model-editor-list");

  g_type_ensure (MP_TYPE_CHARACTERISTIC_ROW);
  g_type_ensure (MP_TYPE_SECTION_VIEW);
  g_type_ensure (MP_TYPE_STAGE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-model-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, authors_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, basic_group);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, collection_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, funders_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, page);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, place_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, regions_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, summary_view);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, target_groups_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, themes_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, unfinished_row);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, unfinished_switch);
  gtk_widget_class_bind_template_child (widget_class, MpModelEditor, visibility_row);
  gtk_widget_class_bind_template_callback (widget_class, on_language_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_list_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_text_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_unfinished_notify);
  gtk_widget_class_bind_template_callback (widget_class, on_visibility_selected);
}

static void
mp_model_editor_init (MpModelEditor *self)
{
  /* Nothing is written while the form is built. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->link_rows = g_ptr_array_new ();
  build_form (self);

  self->model_signals = g_signal_group_new (MP_TYPE_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "changed", G_CALLBACK (on_model_changed), self);

  self->loading = FALSE;
}

/* public API */

GtkWidget *
mp_model_editor_new (void)
{
  return g_object_new (MP_TYPE_MODEL_EDITOR, NULL);
}

MpModel *
mp_model_editor_get_model (MpModelEditor *self)
{
  g_return_val_if_fail (MP_IS_MODEL_EDITOR (self), NULL);

  return self->model;
}

void
mp_model_editor_set_model (MpModelEditor *self,
                           MpModel       *model)
{
  g_return_if_fail (MP_IS_MODEL_EDITOR (self));
  g_return_if_fail (model == NULL || MP_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  g_signal_group_set_target (self->model_signals, model);

  for (guint i = 0; i < MP_N_STAGES; i++)
    mp_stage_row_set_model (MP_STAGE_ROW (self->stage_rows[i]), model);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    mp_characteristic_row_set_model (MP_CHARACTERISTIC_ROW (self->characteristic_rows[i]), model);

  load_model (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GtkTextView *
mp_model_editor_get_section_view (MpModelEditor *self,
                                  MpText         text)
{
  g_return_val_if_fail (MP_IS_MODEL_EDITOR (self), NULL);
  g_return_val_if_fail (text < MP_N_TEXTS, NULL);

  if (self->section_views[text] == NULL)
    return NULL;

  return mp_section_view_get_text_view (self->section_views[text]);
}

GtkWidget *
mp_model_editor_get_stage_row (MpModelEditor *self,
                               MpStage        stage)
{
  g_return_val_if_fail (MP_IS_MODEL_EDITOR (self), NULL);
  g_return_val_if_fail (stage < MP_N_STAGES, NULL);

  return self->stage_rows[stage];
}

GtkWidget *
mp_model_editor_get_characteristic_row (MpModelEditor *self,
                                        guint          index)
{
  g_return_val_if_fail (MP_IS_MODEL_EDITOR (self), NULL);
  g_return_val_if_fail (index < MP_N_CHARACTERISTICS, NULL);

  return self->characteristic_rows[index];
}

GtkEditable *
mp_model_editor_get_text_entry (MpModelEditor *self,
                                MpText         text)
{
  AdwEntryRow *entry;

  g_return_val_if_fail (MP_IS_MODEL_EDITOR (self), NULL);

  entry = text_entry (self, text);

  return entry != NULL ? GTK_EDITABLE (entry) : NULL;
}
