/* mp-model-page.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mp-characteristic-row.h"
#include "mp-conflict-view.h"
#include "mp-model-editor.h"
#include "mp-model-page.h"
#include "mp-model-page-private.h"
#include "mp-stage-progress.h"

/* The basic information block, in the platform's order, then ours. */
typedef enum {
  BASIC_TITLE,
  BASIC_SUMMARY,
  BASIC_PLACE,
  BASIC_REGIONS,
  BASIC_FUNDERS,
  BASIC_COLLECTION,
  BASIC_AUTHORS,
  BASIC_CREATED,
  BASIC_MODIFIED,
  BASIC_THEMES,
  BASIC_TARGET_GROUPS,
  N_BASIC
} Basic;

struct _MpModelPage
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkBox             *based_on_box;
  GtkLinkButton      *based_on_button;
  GtkLabel           *based_on_label;
  GtkBox             *characteristics_box;
  GtkWidget          *conflict_button;
  GtkLabel           *conflict_label;
  GtkRevealer        *conflict_revealer;
  GtkToggleButton    *edit_button;
  GtkBox             *model_box;
  GtkStack           *mode_stack;
  GtkToggleButton    *narrow_edit_button;
  GtkLabel           *organisation_label;
  GtkStack           *outer_stack;
  GtkBox             *path_box;
  MpStageProgress    *stage_progress;
  GtkLabel           *stage_label;
  GtkLabel           *status_label;
  AdwViewSwitcherBar *switcher_bar;
  GtkWidget          *switcher_placeholder;
  AdwSqueezer        *switcher_squeezer;
  GtkLabel           *title_label;
  AdwToastOverlay    *toast_overlay;
  AdwViewStack       *view_stack;

  /* made when editing starts, owned by mode_stack */
  MpModelEditor    *editor;

  /* read-view widgets made in code, owned by their parents */
  GtkWidget        *basic_rows[N_BASIC];
  GtkLabel         *basic_values[N_BASIC];
  GtkWidget        *section_boxes[MP_N_TEXTS];
  GtkBox           *section_bodies[MP_N_TEXTS];
  GtkWidget        *empty_hint;
  GtkWidget        *links_box;
  GtkListBox       *links_list;
  GtkWidget        *lineage_box;
  GtkListBox       *lineage_list;
  GtkWidget        *path_sections_hint;
  GtkLabel         *stage_numbers[MP_N_STAGES];
  GtkLabel         *stage_states[MP_N_STAGES];
  GtkBox           *stage_notes[MP_N_STAGES];
  GtkLabel         *characteristics_summary;
  GtkWidget        *characteristics_list;
  GtkWidget        *characteristic_rows[MP_N_CHARACTERISTICS];
  GtkLabel         *characteristic_justifications[MP_N_CHARACTERISTICS];

  /* owned */
  MpStore          *store;
  MpAutosaver      *autosaver;
  MpModel          *model;
  GSignalGroup     *model_signals;
  char             *based_on_id;
  guint             refresh_id;

  guint             editing : 1;
  /* The read view is rebuilt only when it is shown. */
  guint             read_dirty : 1;
};

G_DEFINE_FINAL_TYPE (MpModelPage, mp_model_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_AUTOSAVER,
  PROP_MODEL,
  PROP_EDITING,
  N_PROPS
};

enum {
  SIGNAL_OPEN_MODEL,
  SIGNAL_DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* private helpers */

static const char *
term_label (MpTaxonomy taxonomy,
            guint      index)
{
  const MpTerm *terms;
  guint n_terms = 0;

  terms = mp_taxonomy_terms (taxonomy, &n_terms);
  if (terms == NULL || index >= n_terms)
    return "";

  return mp_term_get_label (&terms[index], NULL);
}

static void
remove_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_LIST_BOX (widget))
        gtk_list_box_remove (GTK_LIST_BOX (widget), child);
      else
        gtk_box_remove (GTK_BOX (widget), child);
    }
}

static GtkWidget *
make_text_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* A selectable label would otherwise select all of itself on focus. */
  gtk_widget_set_focusable (label, FALSE);

  return label;
}

/* Long texts are plain text: paragraphs separated by blank lines, and
 * lines starting with "- " as list items. */
static void
fill_paragraphs (GtkBox     *box,
                 const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) paragraph = g_string_new (NULL);

  remove_children (GTK_WIDGET (box));

  for (guint i = 0; ; i++)
    {
      const char *line = lines[i];
      const char *stripped = line != NULL ? line : "";
      gboolean bullet;

      while (*stripped == ' ' || *stripped == '\t')
        stripped++;
      bullet = line != NULL && (g_str_has_prefix (stripped, "- ") || g_str_has_prefix (stripped, "• "));

      /* A paragraph ends at a blank line, a list item or the end. */
      if ((line == NULL || *stripped == '\0' || bullet) && paragraph->len > 0)
        {
          gtk_box_append (box, make_text_label (paragraph->str));
          g_string_truncate (paragraph, 0);
        }

      if (line == NULL)
        break;

      if (bullet)
        {
          GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
          GtkWidget *mark = gtk_label_new ("•");
          GtkWidget *label = make_text_label (stripped + (g_str_has_prefix (stripped, "- ") ? 2 : strlen ("• ")));

          gtk_widget_set_valign (mark, GTK_ALIGN_START);
          gtk_widget_set_hexpand (label, TRUE);
          gtk_accessible_update_property (GTK_ACCESSIBLE (mark),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("List item"),
                                          -1);
          gtk_widget_add_css_class (item, "mp-bullet");
          gtk_box_append (GTK_BOX (item), mark);
          gtk_box_append (GTK_BOX (item), label);
          gtk_box_append (box, item);
        }
      else if (*stripped != '\0')
        {
          if (paragraph->len > 0)
            g_string_append_c (paragraph, '\n');
          g_string_append (paragraph, line);
        }
    }
}

static char *
join_labels (MpModel    *model,
             MpList      list,
             MpTaxonomy  taxonomy)
{
  const char * const *values = mp_model_get_list (model, list);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; values[i] != NULL; i++)
    {
      if (joined->len > 0)
        g_string_append (joined, ", ");
      g_string_append (joined, taxonomy < MP_N_TAXONOMIES ? mp_taxonomy_label (taxonomy, values[i]) : values[i]);
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* Every date the page shows goes through here. Not "%x": that follows
 * LC_TIME alone, and under a C locale a Finnish reader would meet
 * American dates (11/25/26). */
static char *
format_date (GDateTime *date_time)
{
  /* Translators: how the model page shows a date, in the format of
   * g_date_time_format() ("%-d" is the day without a leading zero, "%B"
   * the month's name in the system's language for dates); e.g. Finnish
   * "%-d.%-m.%Y" (25.11.2026), Swedish "%Y-%m-%d" (2026-11-25) */
  return g_date_time_format (date_time, _("%-d %B %Y"));
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date_time = NULL;

  if (time <= 0)
    return g_strdup ("");

  date_time = g_date_time_new_from_unix_local (time);
  if (date_time == NULL)
    return g_strdup ("");

  return format_date (date_time);
}

/* Stage dates are kept as "YYYY-MM-DD"; anything else is shown as it is. */
static char *
format_stage_date (const char *iso_date)
{
  g_autoptr(GDateTime) date_time = NULL;
  int year, month, day;
  char end;

  if (sscanf (iso_date, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return g_strdup (iso_date);

  date_time = g_date_time_new_local (year, month, day, 12, 0, 0);
  return date_time != NULL ? format_date (date_time) : g_strdup (iso_date);
}

static char *
basic_value (MpModelPage *self,
             Basic        basic)
{
  MpModel *model = self->model;

  switch (basic)
    {
    case BASIC_TITLE:
      return g_strdup (mp_model_get_text (model, MP_TEXT_TITLE));
    case BASIC_SUMMARY:
      return g_strdup (mp_model_get_text (model, MP_TEXT_SUMMARY));
    case BASIC_PLACE:
      return g_strdup (mp_model_get_text (model, MP_TEXT_PLACE));
    case BASIC_REGIONS:
      return join_labels (model, MP_LIST_REGIONS, MP_TAXONOMY_REGION);
    case BASIC_FUNDERS:
      return join_labels (model, MP_LIST_FUNDERS, MP_N_TAXONOMIES);
    case BASIC_COLLECTION:
      return g_strdup (mp_model_get_text (model, MP_TEXT_COLLECTION));
    case BASIC_AUTHORS:
      return join_labels (model, MP_LIST_AUTHORS, MP_N_TAXONOMIES);
    case BASIC_CREATED:
      return format_time (mp_model_get_created (model));
    case BASIC_MODIFIED:
      return format_time (mp_model_get_modified (model));
    case BASIC_THEMES:
      return join_labels (model, MP_LIST_THEMES, MP_TAXONOMY_THEME);
    case BASIC_TARGET_GROUPS:
      return join_labels (model, MP_LIST_TARGET_GROUPS, MP_TAXONOMY_TARGET_GROUP);
    case N_BASIC:
    default:
      g_assert_not_reached ();
    }
}

static const char *
basic_label (Basic basic)
{
  switch (basic)
    {
    case BASIC_TITLE:
      return mp_text_label (MP_TEXT_TITLE);
    case BASIC_SUMMARY:
      return mp_text_label (MP_TEXT_SUMMARY);
    case BASIC_PLACE:
      return mp_text_label (MP_TEXT_PLACE);
    case BASIC_REGIONS:
      return mp_list_label (MP_LIST_REGIONS);
    case BASIC_FUNDERS:
      return mp_list_label (MP_LIST_FUNDERS);
    case BASIC_COLLECTION:
      return mp_text_label (MP_TEXT_COLLECTION);
    case BASIC_AUTHORS:
      return mp_list_label (MP_LIST_AUTHORS);
    case BASIC_CREATED:
      /* Translators: when a model was created (Luotu) */
      return _("Created");
    case BASIC_MODIFIED:
      /* Translators: when a model was last changed (Viimeksi muokattu) */
      return _("Last modified");
    case BASIC_THEMES:
      return mp_list_label (MP_LIST_THEMES);
    case BASIC_TARGET_GROUPS:
      return mp_list_label (MP_LIST_TARGET_GROUPS);
    case N_BASIC:
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
make_heading (const char *text,
              gboolean    essential)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Long words may break too, so that the "Essential" pill still fits a
   * narrow window with large text */
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "title-4");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2,
                                  -1);
  gtk_box_append (GTK_BOX (box), label);

  if (essential)
    {
      GtkWidget *pill = gtk_label_new (C_("section", "Essential"));

      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
            gtk_widget_add_css_class (pill, "mp-essential");
      gtk_box_append (GTK_BOX (box), pill);
    }

  return box;
}

static GtkWidget *
make_section (MpModelPage *self,
              MpText       text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);

  gtk_box_append (GTK_BOX (box), make_heading (mp_text_label (text), mp_text_is_essential (text)));
  gtk_box_append (GTK_BOX (box), body);
  gtk_widget_add_css_class (body, "mp-section-body");
  gtk_widget_set_visible (box, FALSE);

  self->section_boxes[text] = box;
  self->section_bodies[text] = GTK_BOX (body);

  return box;
}

static GtkWidget *
make_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  return list;
}

static GtkWidget *
make_stage_number (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_label_set_width_chars (GTK_LABEL (label), 2);
  gtk_widget_add_css_class (label, "mp-stage-number");

  return label;
}

static void
build_read_view (MpModelPage *self)
{
  GtkWidget *list;
  GtkWidget *box;
  MpText ordered[MP_TEXT_FIRST_PATH - MP_TEXT_FIRST_LONG];
  guint n_ordered = 0;

  /* The "Model" tab: basic information, then the sections, essential
   * ones first. */
  list = make_list ();
  for (guint i = 0; i < N_BASIC; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
      GtkWidget *label = gtk_label_new (basic_label (i));
      GtkWidget *value = make_text_label (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (row_box, "mp-property");
      gtk_box_append (GTK_BOX (row_box), label);
      gtk_box_append (GTK_BOX (row_box), value);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                      -1);
      gtk_list_box_append (GTK_LIST_BOX (list), row);

      self->basic_rows[i] = row;
      self->basic_values[i] = GTK_LABEL (value);
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_box_append (GTK_BOX (box), make_heading (_("Basic information"), FALSE));
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (self->model_box, box);

  self->empty_hint = gtk_label_new (_("Nothing is written about this model yet. Press “Edit” to describe it."));
  gtk_label_set_wrap (GTK_LABEL (self->empty_hint), TRUE);
  gtk_widget_add_css_class (self->empty_hint, "dim-label");
  gtk_box_append (self->model_box, self->empty_hint);

  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_TEXT_FIRST_PATH; text++)
    if (mp_text_is_essential (text))
      ordered[n_ordered++] = text;
  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_TEXT_FIRST_PATH; text++)
    if (!mp_text_is_essential (text))
      ordered[n_ordered++] = text;
  for (guint i = 0; i < n_ordered; i++)
    gtk_box_append (self->model_box, make_section (self, ordered[i]));

  self->links_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  self->links_list = GTK_LIST_BOX (make_list ());
  gtk_box_append (GTK_BOX (self->links_box), make_heading (_("Links"), FALSE));
  gtk_box_append (GTK_BOX (self->links_box), GTK_WIDGET (self->links_list));
  gtk_box_append (self->model_box, self->links_box);

  self->lineage_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  self->lineage_list = GTK_LIST_BOX (make_list ());
  gtk_box_append (GTK_BOX (self->lineage_box), make_heading (_("Lineage"), FALSE));
  gtk_box_append (GTK_BOX (self->lineage_box), GTK_WIDGET (self->lineage_list));
  gtk_box_append (self->model_box, self->lineage_box);

  /* The "Development path" tab: its sections, then the six stages. */
  for (MpText text = MP_TEXT_FIRST_PATH; text < MP_N_TEXTS; text++)
    gtk_box_append (self->path_box, make_section (self, text));

  list = make_list ();
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *number = make_stage_number ();
      GtkWidget *title = gtk_label_new (term_label (MP_TAXONOMY_STAGE, i));
      GtkWidget *state = gtk_label_new (NULL);
      GtkWidget *notes = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      g_autofree char *number_text = g_strdup_printf ("%u", i + 1);

      gtk_label_set_label (GTK_LABEL (number), number_text);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (state), 0);
      gtk_label_set_wrap (GTK_LABEL (state), TRUE);
      gtk_widget_add_css_class (state, "caption");
      gtk_widget_add_css_class (state, "dim-label");
      gtk_widget_set_hexpand (text_box, TRUE);
      gtk_widget_add_css_class (row_box, "mp-property");

      gtk_box_append (GTK_BOX (text_box), title);
      gtk_box_append (GTK_BOX (text_box), state);
      gtk_box_append (GTK_BOX (text_box), notes);
      gtk_box_append (GTK_BOX (row_box), number);
      gtk_box_append (GTK_BOX (row_box), text_box);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);

      self->stage_numbers[i] = GTK_LABEL (number);
      self->stage_states[i] = GTK_LABEL (state);
      self->stage_notes[i] = GTK_BOX (notes);
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_box_append (GTK_BOX (box), make_heading (_("Stages"), FALSE));
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (self->path_box, box);

  /* The "Characteristics" tab: the ones the model has. */
  self->characteristics_summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->characteristics_summary, 0);
  gtk_label_set_wrap (self->characteristics_summary, TRUE);
  gtk_box_append (self->characteristics_box, make_heading (_("Characteristics of a Social Innovation"), FALSE));
  gtk_box_append (self->characteristics_box, GTK_WIDGET (self->characteristics_summary));

  self->characteristics_list = make_list ();
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      const MpTerm *terms;
      guint n_terms = 0;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *title;
      GtkWidget *justification = make_text_label (NULL);
      g_autofree char *share = NULL;

      terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
      title = gtk_label_new (i < n_terms ? mp_term_get_label (&terms[i], NULL) : "");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_add_css_class (title, "heading");
      gtk_box_append (GTK_BOX (row_box), title);
      gtk_box_append (GTK_BOX (row_box), justification);

      share = i < n_terms ? mp_characteristic_share_text (&terms[i]) : NULL;
      if (share != NULL)
        {
          GtkWidget *share_label = gtk_label_new (share);

          gtk_label_set_xalign (GTK_LABEL (share_label), 0);
          gtk_label_set_wrap (GTK_LABEL (share_label), TRUE);
          gtk_widget_add_css_class (share_label, "caption");
          gtk_widget_add_css_class (share_label, "dim-label");
          gtk_box_append (GTK_BOX (row_box), share_label);
        }

      gtk_widget_add_css_class (row_box, "mp-property");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (GTK_LIST_BOX (self->characteristics_list), row);

      self->characteristic_rows[i] = row;
      self->characteristic_justifications[i] = GTK_LABEL (justification);
    }
  gtk_box_append (self->characteristics_box, self->characteristics_list);
}

static void
set_stage_number_state (GtkWidget    *number,
                        MpStageState  state)
{
  gtk_widget_remove_css_class (number, "done");
  gtk_widget_remove_css_class (number, "in-progress");
  if (state == MP_STAGE_STATE_DONE)
    gtk_widget_add_css_class (number, "done");
  else if (state == MP_STAGE_STATE_IN_PROGRESS)
    gtk_widget_add_css_class (number, "in-progress");
}

static GtkWidget *
make_link_row (const char *title,
               const char *subtitle,
               const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  /* Titles are the person's text, not markup; set before the title. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

  return row;
}

/* The link's label is a wrapping label of ours, not the button's own, so
 * GTK does not name the button after it */
static void
set_based_on_label (MpModelPage *self,
                    const char  *title)
{
  gtk_label_set_label (self->based_on_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->based_on_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
}

static void
refresh_lineage (MpModelPage *self)
{
  const char *based_on = mp_model_get_based_on_id (self->model);
  g_autoptr(GPtrArray) derived = NULL;
  gboolean any = FALSE;

  remove_children (GTK_WIDGET (self->lineage_list));
  g_clear_pointer (&self->based_on_id, g_free);

  if (based_on != NULL && *based_on != '\0')
    {
      g_autoptr(MpModelSummary) summary = mp_store_get_summary_by_id (self->store, based_on);

      self->based_on_id = g_strdup (based_on);

      if (summary != NULL)
        {
          GtkWidget *row = make_link_row (mp_model_summary_get_title (summary), _("Based on"), "go-next-symbolic");

          g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (based_on), g_free);
          gtk_list_box_append (self->lineage_list, row);
          set_based_on_label (self, mp_model_summary_get_title (summary));
          gtk_widget_set_sensitive (GTK_WIDGET (self->based_on_button), TRUE);
        }
      else
        {
          set_based_on_label (self, _("a model that is not in this bank"));
          gtk_widget_set_sensitive (GTK_WIDGET (self->based_on_button), FALSE);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->based_on_box), TRUE);
      any = summary != NULL;
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->based_on_box), FALSE);
    }

  derived = mp_store_list_derived (self->store, mp_model_get_id (self->model), NULL);
  for (guint i = 0; derived != NULL && i < derived->len; i++)
    {
      MpModelSummary *summary = g_ptr_array_index (derived, i);
      const char *organisation = mp_model_summary_get_organisation (summary);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (organisation != NULL && *organisation != '\0')
        /* Translators: a model derived from this one, and its organisation */
        subtitle = g_strdup_printf (_("Derived model · %s"), organisation);
      else
        subtitle = g_strdup (_("Derived model"));

      row = make_link_row (mp_model_summary_get_title (summary), subtitle, "go-next-symbolic");
      g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (mp_model_summary_get_id (summary)), g_free);
      gtk_list_box_append (self->lineage_list, row);
      any = TRUE;
    }

  gtk_widget_set_visible (self->lineage_box, any);
}

static void
refresh_read_view (MpModelPage *self)
{
  gboolean any_text = FALSE;
  guint n_has = 0;

  self->read_dirty = FALSE;
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->model == NULL)
    return;

  for (guint i = 0; i < N_BASIC; i++)
    {
      g_autofree char *value = basic_value (self, i);

      gtk_label_set_label (self->basic_values[i], value);
      gtk_widget_set_visible (self->basic_rows[i], *value != '\0');
    }

  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_N_TEXTS; text++)
    {
      const char *value = mp_model_get_text (self->model, text);
      g_autofree char *stripped = g_strstrip (g_strdup (value));
      gboolean filled = *stripped != '\0';

      /* Empty sections are hidden, as on the platform. */
      gtk_widget_set_visible (self->section_boxes[text], filled);
      fill_paragraphs (self->section_bodies[text], filled ? value : "");

      if (text < MP_TEXT_FIRST_PATH)
        any_text |= filled;
    }
  any_text |= *mp_model_get_text (self->model, MP_TEXT_SUMMARY) != '\0';
  gtk_widget_set_visible (self->empty_hint, !any_text);

  remove_children (GTK_WIDGET (self->links_list));
  for (guint i = 0; i < mp_model_get_n_links (self->model); i++)
    {
      const char *title, *url;
      GtkWidget *row;

      mp_model_get_link (self->model, i, &title, &url);
      row = make_link_row (title != NULL && *title != '\0' ? title : url, url, "adw-external-link-symbolic");
      g_object_set_data_full (G_OBJECT (row), "url", g_strdup (url), g_free);
      gtk_list_box_append (self->links_list, row);
    }
  gtk_widget_set_visible (self->links_box, mp_model_get_n_links (self->model) > 0);

  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      MpStageState state = mp_model_get_stage_state (self->model, i);
      const char *started = mp_model_get_stage_started (self->model, i);
      const char *finished = mp_model_get_stage_finished (self->model, i);
      const char *notes = mp_model_get_stage_notes (self->model, i);
      g_autoptr(GString) line = g_string_new (term_label (MP_TAXONOMY_STAGE_STATE, state));

      if (*started != '\0' || *finished != '\0')
        {
          g_autofree char *from = format_stage_date (started);
          g_autofree char *to = format_stage_date (finished);

          g_string_append_printf (line, _(" · %s – %s"), from, to);
        }

      gtk_label_set_label (self->stage_states[i], line->str);
      set_stage_number_state (GTK_WIDGET (self->stage_numbers[i]), state);
      fill_paragraphs (self->stage_notes[i], notes);
      gtk_widget_set_visible (GTK_WIDGET (self->stage_notes[i]), *notes != '\0');
    }

  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      const char *justification = NULL;
      gboolean has = mp_model_get_characteristic (self->model, i, &justification);

      gtk_widget_set_visible (self->characteristic_rows[i], has);
      gtk_label_set_label (self->characteristic_justifications[i], justification != NULL ? justification : "");
      gtk_widget_set_visible (GTK_WIDGET (self->characteristic_justifications[i]),
                              justification != NULL && *justification != '\0');
      n_has += has;
    }
  gtk_widget_set_visible (self->characteristics_list, n_has > 0);
  if (n_has == 0)
    gtk_label_set_label (self->characteristics_summary,
                         _("No characteristics are marked yet. Press “Edit” to assess the model "
                           "against the 16 characteristics of a social innovation."));
  else
    {
      g_autofree char *summary = NULL;

      /* Translators: %u is how many of the 16 characteristics the model has */
      summary = g_strdup_printf (ngettext ("The model has %u of the 16 characteristics.",
                                           "The model has %u of the 16 characteristics.",
                                           n_has),
                                 n_has);
      gtk_label_set_label (self->characteristics_summary, summary);
    }

  refresh_lineage (self);
}

static gboolean
refresh_read_view_idle (gpointer data)
{
  MpModelPage *self = data;

  self->refresh_id = 0;
  refresh_read_view (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (MpModelPage *self)
{
  self->read_dirty = TRUE;
  if (!self->editing && self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_LOW, refresh_read_view_idle, self, NULL);
}

/* The texts, lists and settings of two models, not their revision or times */
static gboolean
same_content (MpModel *a,
              MpModel *b)
{
  g_autoptr(JsonNode) node_a = mp_model_to_json (a);
  g_autoptr(JsonNode) node_b = mp_model_to_json (b);
  JsonNode *nodes[] = { node_a, node_b };

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      JsonObject *object = json_node_get_object (nodes[i]);
      g_autoptr(GList) keys = json_object_get_members (object);

      for (GList *l = keys; l != NULL; l = l->next)
        if (mp_merge_is_system_field (l->data))
          json_object_remove_member (object, l->data);
    }
  return json_node_equal (node_a, node_b);
}

static void show_toast (MpModelPage *self,
                        const char  *message);

/* The sync wrote the open model (a pull, a push's new revision, a
 * resolution): the page takes the stored copy, or its next save would put
 * the old texts back as if they were edits made here. While an edit waits
 * to be saved, replacing the model would drop the typing: the edit is
 * saved now instead, merged with the stored copy in one transaction, and
 * the model takes the result in place. */
static void
follow_store (MpModelPage *self)
{
  g_autoptr(MpModel) stored = NULL;

  if (self->autosaver != NULL && mp_autosaver_is_pending (self->autosaver, self->model))
    {
      g_autoptr(GError) error = NULL;

      if (!mp_autosaver_save_now (self->autosaver, self->model, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Could not save the model: %s"), error->message);

          show_toast (self, message);
        }
      return;
    }
  if (!(stored = mp_store_load_model (self->store, mp_model_get_id (self->model), NULL)))
    return;

  if (!same_content (stored, self->model))
    mp_model_page_set_model (self, stored);
  else if (mp_model_get_revision (stored) != mp_model_get_revision (self->model) ||
           mp_model_get_modified (stored) != mp_model_get_modified (self->model))
    {
      /* A push's new revision: the same texts, nothing to save again. The
       * stored time too, so that the next save finds the bank's copy
       * unchanged by its stamps. */
      if (self->autosaver != NULL)
        mp_autosaver_unwatch (self->autosaver, self->model);
      mp_model_set_revision (self->model, mp_model_get_revision (stored));
      mp_model_set_modified (self->model, mp_model_get_modified (stored));
      if (self->autosaver != NULL)
        mp_autosaver_watch (self->autosaver, self->model);
    }
}

/* The banner of a model that the sync or an import could not merge, or
 * that the platform removed while it held edits made here */
static void
update_sync_banner (MpModelPage *self)
{
  gboolean remote_gone = FALSE;
  MpSyncState state = MP_SYNC_STATE_LOCAL;

  if (self->model != NULL && self->store != NULL)
    state = mp_sync_store_get_state (self->store, mp_model_get_id (self->model), &remote_gone);

  if (state == MP_SYNC_STATE_CONFLICT)
    {
      MpConflictOrigin origin = mp_conflict_view_get_origin (self->store, mp_model_get_id (self->model));

      if (origin == MP_CONFLICT_ORIGIN_FILE)
        gtk_label_set_label (self->conflict_label,
                             _("This model has changes from an imported file that conflict with yours."));
      else if (origin == (MP_CONFLICT_ORIGIN_PLATFORM | MP_CONFLICT_ORIGIN_FILE))
        gtk_label_set_label (self->conflict_label,
                             _("This model has changes on the platform and from an imported file that conflict "
                               "with yours."));
      else
        gtk_label_set_label (self->conflict_label,
                             _("This model has changes on the platform that conflict with yours."));
    }
  else if (remote_gone)
    gtk_label_set_label (self->conflict_label,
                         _("This model was removed on the platform. Your changes to it are kept on this device."));
  gtk_widget_set_visible (self->conflict_button, state == MP_SYNC_STATE_CONFLICT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.resolve-conflicts", state == MP_SYNC_STATE_CONFLICT);
  gtk_revealer_set_reveal_child (self->conflict_revealer, state == MP_SYNC_STATE_CONFLICT || remote_gone);
}

static void
update_header (MpModelPage *self)
{
  MpStageState states[MP_N_STAGES];
  g_autofree char *stage_text = NULL;
  g_autoptr(GString) status = NULL;
  const char *title;
  const char *organisation;
  int current;

  if (self->model == NULL)
    return;

  title = mp_model_get_text (self->model, MP_TEXT_TITLE);
  organisation = mp_model_get_text (self->model, MP_TEXT_ORGANISATION);
  gtk_label_set_label (self->title_label, *title != '\0' ? title : _("Untitled model"));
  gtk_label_set_label (self->organisation_label, organisation);
  gtk_widget_set_visible (GTK_WIDGET (self->organisation_label), *organisation != '\0');

  for (guint i = 0; i < MP_N_STAGES; i++)
    states[i] = mp_model_get_stage_state (self->model, i);
  mp_stage_progress_set_states (self->stage_progress, states);

  current = mp_stage_progress_get_current_stage (self->stage_progress);
  if (current == MP_STAGE_NONE)
    stage_text = g_strdup (_("No stage started"));
  else
    /* Translators: the stage a model is at, "Stage 3 of 6 · Trials" */
    stage_text = g_strdup_printf (_("Stage %d of %d · %s"), current + 1, MP_N_STAGES,
                                  term_label (MP_TAXONOMY_STAGE, current));
  gtk_label_set_label (self->stage_label, stage_text);

  /* The status is written out, never shown by colour alone. */
  if (mp_model_get_revision (self->model) == 0)
    status = g_string_new (C_("model status", "Draft"));
  else if (mp_model_get_unfinished (self->model))
    status = g_string_new (C_("model status", "Published, unfinished"));
  else
    status = g_string_new (C_("model status", "Published"));
  g_string_append (status, " · ");
  g_string_append (status, term_label (MP_TAXONOMY_VISIBILITY, mp_model_get_visibility (self->model)));
  gtk_label_set_label (self->status_label, status->str);

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "draft");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "published");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "unfinished");
  if (mp_model_get_revision (self->model) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "draft");
  else if (mp_model_get_unfinished (self->model))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "unfinished");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "published");
}

static void
show_toast (MpModelPage *self,
            const char  *message)
{
  /* A toast's title is markup in libadwaita 1.2; the message may quote
   * the person's text. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
scroll_to_top (GtkWidget *child)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (child, GTK_TYPE_SCROLLED_WINDOW);

  if (scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
}

/* The wide header's Edit button and the narrow one say the same */
static void
update_edit_buttons (MpModelPage *self)
{
  GtkWidget *buttons[] = { GTK_WIDGET (self->edit_button), GTK_WIDGET (self->narrow_edit_button) };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      gtk_button_set_label (GTK_BUTTON (buttons[i]), self->editing ? _("_Done") : _("_Edit"));
      gtk_widget_set_tooltip_text (buttons[i], self->editing ? _("Finish editing (Ctrl+E)")
                                                             : _("Edit this model (Ctrl+E)"));
      if (self->editing)
        gtk_widget_add_css_class (buttons[i], "suggested-action");
      else
        gtk_widget_remove_css_class (buttons[i], "suggested-action");
    }
}

/* The editor is the biggest form of the app and most models are only
 * read, so it is made when editing starts. It follows the page's model
 * only while it is in use. */
static MpModelEditor *
ensure_editor (MpModelPage *self)
{
  if (self->editor == NULL)
    {
      GtkWidget *editor = mp_model_editor_new ();

      self->editor = MP_MODEL_EDITOR (editor);
      gtk_stack_add_named (self->mode_stack, editor, "edit");
    }

  mp_model_editor_set_model (self->editor, self->model);

  return self->editor;
}

/* callbacks */

static void
on_model_changed (MpModelPage *self,
                  const char  *key,
                  MpModel     *model)
{
  update_header (self);
  if (g_strcmp0 (key, "revision") == 0)
    mp_model_page_update_actions (self);
  queue_refresh (self);
}

static void
on_store_model_changed (MpModelPage *self,
                        const char  *id)
{
  /* A derived model may have been made or renamed. */
  if (self->model != NULL)
    queue_refresh (self);
  if (self->model != NULL && g_strcmp0 (id, mp_model_get_id (self->model)) == 0)
    {
      follow_store (self);
      update_sync_banner (self);
    }
}

/* A pull of many models says "bank-changed" once instead of naming each:
 * the open model may be one of them, and then it has a new revision.
 * (Changes made here name the model.) */
static void
on_store_bank_changed (MpModelPage *self)
{
  g_autoptr(MpModelSummary) stored = NULL;

  if (self->model == NULL ||
      !(stored = mp_store_get_summary_by_id (self->store, mp_model_get_id (self->model))) ||
      mp_model_summary_get_revision (stored) == mp_model_get_revision (self->model))
    return;
  queue_refresh (self);
  follow_store (self);
  update_sync_banner (self);
}

static gboolean
on_based_on_activate_link (MpModelPage *self)
{
  if (self->based_on_id != NULL)
    {
      g_autofree char *id = g_strdup (self->based_on_id);

      g_signal_emit (self, signals[SIGNAL_OPEN_MODEL], 0, id);
    }

  /* Handled here: this is not a web address. */
  return TRUE;
}

static void
on_switcher_squeezed (MpModelPage *self)
{
  GtkWidget *visible = adw_squeezer_get_visible_child (self->switcher_squeezer);

  adw_view_switcher_bar_set_reveal (self->switcher_bar, visible == self->switcher_placeholder);
}

static void
on_lineage_row_activated (MpModelPage   *self,
                          GtkListBoxRow *row)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), "model-id"));

  if (id != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_MODEL], 0, id);
}

static void
on_link_row_activated (MpModelPage   *self,
                       GtkListBoxRow *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "url");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (url != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

/* The store holds the resolved fields; the page shows them, and once no
 * conflict is left the push goes out without waiting */
static void
on_conflict_resolved (MpModelPage *self)
{
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;

  if (self->model == NULL)
    return;

  if (!(model = mp_store_load_model (self->store, mp_model_get_id (self->model), &error)))
    {
      show_toast (self, error->message);
      return;
    }
  mp_model_page_set_model (self, model);
  update_sync_banner (self);
  if (mp_sync_store_get_state (self->store, mp_model_get_id (model), NULL) != MP_SYNC_STATE_CONFLICT)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
}

static void
resolve_conflicts_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MpModelPage *self = MP_MODEL_PAGE (widget);
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *view;

  if (self->model == NULL)
    return;

  /* What was typed last must not be saved over a resolution later */
  if (self->autosaver != NULL && !mp_autosaver_flush (self->autosaver, &error))
    {
      show_toast (self, error->message);
      return;
    }

  view = mp_conflict_view_new (self->store, mp_model_get_id (self->model));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (view), GTK_WINDOW (root));
  g_signal_connect_object (view, "resolved", G_CALLBACK (on_conflict_resolved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (view));
}

static void
derive_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  MpModelPage *self = MP_MODEL_PAGE (widget);
  g_autoptr(MpModel) derived = NULL;
  g_autoptr(GError) error = NULL;

  if (self->model == NULL)
    return;

  derived = mp_model_derive (self->model);
  if (!mp_store_save_model (self->store, derived, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not make the new model: %s"), error->message);

      show_toast (self, message);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_OPEN_MODEL], 0, mp_model_get_id (derived));
}

static void
delete_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  MpModelPage *self = MP_MODEL_PAGE (widget);
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  if (self->model == NULL || mp_model_get_revision (self->model) != 0)
    return;

  model = g_object_ref (self->model);
  id = g_strdup (mp_model_get_id (model));
  title = g_strdup (mp_model_get_text (model, MP_TEXT_TITLE));

  /* Save what is pending first, so that undoing the deletion brings back
   * the last words typed too. */
  if (self->autosaver != NULL)
    mp_autosaver_unwatch (self->autosaver, model);

  if (!mp_store_delete_model (self->store, id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not delete the model: %s"), error->message);

      if (self->autosaver != NULL)
        mp_autosaver_watch (self->autosaver, model);
      show_toast (self, message);
      return;
    }

  mp_model_page_set_model (self, NULL);
  g_signal_emit (self, signals[SIGNAL_DELETED], 0, id, title);
}

/* GObject overrides */

static void
mp_model_page_constructed (GObject *object)
{
  MpModelPage *self = MP_MODEL_PAGE (object);

  G_OBJECT_CLASS (mp_model_page_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "model-changed",
                               G_CALLBACK (on_store_model_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "bank-changed",
                               G_CALLBACK (on_store_bank_changed), self, G_CONNECT_SWAPPED);
    }
}

static void
mp_model_page_dispose (GObject *object)
{
  MpModelPage *self = MP_MODEL_PAGE (object);

  /* Unwatching writes what is still pending. */
  if (self->model != NULL && self->autosaver != NULL)
    mp_autosaver_unwatch (self->autosaver, self->model);

  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  g_clear_object (&self->model_signals);
  g_clear_object (&self->model);
  g_clear_object (&self->autosaver);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_model_page_parent_class)->dispose (object);
}

static void
mp_model_page_finalize (GObject *object)
{
  MpModelPage *self = MP_MODEL_PAGE (object);

  g_clear_pointer (&self->based_on_id, g_free);

  G_OBJECT_CLASS (mp_model_page_parent_class)->finalize (object);
}

static void
mp_model_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MpModelPage *self = MP_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_AUTOSAVER:
      g_value_set_object (value, self->autosaver);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MpModelPage *self = MP_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_AUTOSAVER:
      self->autosaver = g_value_dup_object (value);
      break;

    case PROP_MODEL:
      mp_model_page_set_model (self, g_value_get_object (value));
      break;

    case PROP_EDITING:
      mp_model_page_set_editing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_page_class_init (MpModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_model_page_constructed;
  object_class->dispose = mp_model_page_dispose;
  object_class->finalize = mp_model_page_finalize;
  object_class->get_property = mp_model_page_get_property;
  object_class->set_property = mp_model_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_AUTOSAVER] =
    g_param_spec_object ("autosaver", NULL, NULL,
                         MP_TYPE_AUTOSAVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         MP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN_MODEL] =
    g_signal_new ("open-model",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  signals[SIGNAL_DELETED] =
    g_signal_new ("deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_property_action (widget_class, "model.edit", "editing");
  gtk_widget_class_install_action (widget_class, "model.derive", NULL, derive_cb);
  gtk_widget_class_install_action (widget_class, "model.delete", NULL, delete_cb);
  gtk_widget_class_install_action (widget_class, "model.resolve-conflicts", NULL, resolve_conflicts_cb);
  /* model.print, model.export-pdf (issue 6) */
  _mp_model_page_class_add_print_actions (widget_class);

  g_type_ensure (MP_TYPE_STAGE_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, based_on_box);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, based_on_button);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, based_on_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, characteristics_box);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, model_box);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, narrow_edit_button);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, organisation_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, outer_stack);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, path_box);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, stage_progress);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, conflict_button);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, conflict_revealer);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, switcher_placeholder);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, switcher_squeezer);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MpModelPage, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_based_on_activate_link);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_squeezed);
}

static void
mp_model_page_init (MpModelPage *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  build_read_view (self);
  g_signal_connect_object (self->lineage_list, "row-activated",
                           G_CALLBACK (on_lineage_row_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->links_list, "row-activated",
                           G_CALLBACK (on_link_row_activated), self, G_CONNECT_SWAPPED);

  self->model_signals = g_signal_group_new (MP_TYPE_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "changed", G_CALLBACK (on_model_changed), self);

  /* Not class bindings: those act only while the focus is inside the
   * page, and Ctrl+E must work right after picking a model in the list. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_e, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("model.edit")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_d, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("model.derive")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_stack_set_visible_child_name (self->outer_stack, "empty");
  update_edit_buttons (self);
  mp_model_page_update_actions (self);
}

/* public API */

GtkWidget *
mp_model_page_new (MpStore     *store,
                   MpAutosaver *autosaver)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (autosaver == NULL || MP_IS_AUTOSAVER (autosaver), NULL);

  return g_object_new (MP_TYPE_MODEL_PAGE,
                       "store", store,
                       "autosaver", autosaver,
                       NULL);
}

MpModel *
mp_model_page_get_model (MpModelPage *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), NULL);

  return self->model;
}

void
mp_model_page_set_model (MpModelPage *self,
                         MpModel     *model)
{
  g_return_if_fail (MP_IS_MODEL_PAGE (self));
  g_return_if_fail (model == NULL || MP_IS_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL && self->autosaver != NULL)
    mp_autosaver_unwatch (self->autosaver, self->model);

  g_set_object (&self->model, model);
  g_signal_group_set_target (self->model_signals, model);

  if (model != NULL && self->autosaver != NULL)
    mp_autosaver_watch (self->autosaver, model);

  /* An editor out of sight does not load every model browsed */
  if (self->editor != NULL)
    mp_model_editor_set_model (self->editor, self->editing ? model : NULL);

  if (model == NULL)
    {
      mp_model_page_set_editing (self, FALSE);
      gtk_stack_set_visible_child_name (self->outer_stack, "empty");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->outer_stack, "model");
      update_header (self);
      update_sync_banner (self);
      refresh_read_view (self);
      if (!self->editing)
        {
          adw_view_stack_set_visible_child_name (self->view_stack, "model");
          scroll_to_top (GTK_WIDGET (self->model_box));
          scroll_to_top (GTK_WIDGET (self->path_box));
          scroll_to_top (GTK_WIDGET (self->characteristics_box));
        }
    }

  mp_model_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

gboolean
mp_model_page_get_editing (MpModelPage *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), FALSE);

  return self->editing;
}

void
mp_model_page_set_editing (MpModelPage *self,
                           gboolean     editing)
{
  g_return_if_fail (MP_IS_MODEL_PAGE (self));

  editing = !!editing && self->model != NULL;
  if (self->editing == editing)
    return;

  self->editing = editing;

  if (editing)
    {
      ensure_editor (self);
      gtk_stack_set_visible_child_name (self->mode_stack, "edit");
    }
  else
    {
      /* "Done" means written: save what the debounce still holds. */
      if (self->autosaver != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!mp_autosaver_flush (self->autosaver, &error))
            {
              g_autofree char *message = g_strdup_printf (_("Could not save the model: %s"), error->message);

              show_toast (self, message);
            }
        }

      if (self->read_dirty)
        refresh_read_view (self);
      gtk_stack_set_visible_child_name (self->mode_stack, "read");
    }

  update_edit_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

MpModelEditor *
mp_model_page_get_editor (MpModelPage *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), NULL);

  return ensure_editor (self);
}

void
mp_model_page_update_actions (MpModelPage *self)
{
  gboolean has_model;
  gboolean is_draft;

  g_return_if_fail (MP_IS_MODEL_PAGE (self));

  has_model = self->model != NULL;
  /* Published models are never deleted locally (the store refuses too). */
  is_draft = has_model && mp_model_get_revision (self->model) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.edit", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.derive", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.delete", is_draft);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_button), has_model);
  gtk_widget_set_visible (GTK_WIDGET (self->narrow_edit_button), has_model);
}

GtkWidget *
mp_model_page_get_read_section (MpModelPage *self,
                                MpText       text)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), NULL);
  g_return_val_if_fail (text < MP_N_TEXTS, NULL);

  switch (text)
    {
    case MP_TEXT_TITLE:
      return self->basic_rows[BASIC_TITLE];
    case MP_TEXT_SUMMARY:
      return self->basic_rows[BASIC_SUMMARY];
    case MP_TEXT_PLACE:
      return self->basic_rows[BASIC_PLACE];
    case MP_TEXT_COLLECTION:
      return self->basic_rows[BASIC_COLLECTION];
    case MP_TEXT_LANGUAGE:
    case MP_TEXT_ORGANISATION:
      return NULL;
    default:
      return self->section_boxes[text];
    }
}

GtkWidget *
mp_model_page_get_stage_progress (MpModelPage *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), NULL);

  return GTK_WIDGET (self->stage_progress);
}

/* Whether the conflict (or "removed on the platform") banner shows. */
gboolean
mp_model_page_get_sync_banner_shown (MpModelPage *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PAGE (self), FALSE);

  return gtk_revealer_get_reveal_child (self->conflict_revealer);
}
