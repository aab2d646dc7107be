/* mp-stage-row.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-section-view.h"
#include "mp-stage-row.h"

struct _MpStageRow
{
  AdwExpanderRow  parent_instance;

  /* template widgets */
  AdwEntryRow    *finished_row;
  MpSectionView  *notes_view;
  GtkLabel       *number_label;
  GtkDropDown    *state_dropdown;
  AdwEntryRow    *started_row;

  /* owned */
  MpModel        *model;
  /* The dates last read from or written to the model: an invalid date
   * being typed is left alone until the model's date really changes. */
  char           *synced_started;
  char           *synced_finished;

  MpStage         stage;
  /* Set while the model is read into the widgets, so that the widgets'
   * change signals do not write the same values back. */
  guint           loading : 1;
};

G_DEFINE_FINAL_TYPE (MpStageRow, mp_stage_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_STAGE,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static gboolean
date_is_valid (const char *text)
{
  guint year, month, day;

  if (*text == '\0')
    return TRUE;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);

  return year >= 1 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* The header of an expander row is an AdwActionRow of libadwaita's own,
 * the first one below it, before the rows it expands to */
static GtkWidget *
find_header_row (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ADW_IS_ACTION_ROW (child) ? child : find_header_row (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Worded like the stage progress announces the current stage */
static char *
dup_accessible_name (MpStage      stage,
                     MpStageState state)
{
  const char *label = term_label (MP_TAXONOMY_STAGE, stage);

  switch (state)
    {
    case MP_STAGE_STATE_DONE:
      /* Translators: announced for the stage progress: "Stage 3 of 6, Trials, done" */
      return g_strdup_printf (_("Stage %d of %d, %s, done"), stage + 1, MP_N_STAGES, label);

    case MP_STAGE_STATE_IN_PROGRESS:
      /* Translators: announced for the stage progress: "Stage 3 of 6, Trials, in progress" */
      return g_strdup_printf (_("Stage %d of %d, %s, in progress"), stage + 1, MP_N_STAGES, label);

    case MP_STAGE_STATE_NOT_STARTED:
    case MP_N_STAGE_STATES:
    default:
      /* Translators: announced for a stage row: "Stage 4 of 6, Stabilisation, not started" */
      return g_strdup_printf (_("Stage %d of %d, %s, not started"), stage + 1, MP_N_STAGES, label);
    }
}

static void
update_subtitle (MpStageRow *self)
{
  GString *subtitle = g_string_new (NULL);
  const char *started = "";
  const char *finished = "";
  MpStageState state = MP_STAGE_STATE_NOT_STARTED;
  GtkWidget *number = GTK_WIDGET (self->number_label);
  g_autofree char *number_name = NULL;
  g_autofree char *row_name = NULL;
  GtkWidget *header;
  g_autofree char *button_name = NULL;
  GtkWidget *state_row;

  if (self->model != NULL)
    {
      state = mp_model_get_stage_state (self->model, self->stage);
      started = mp_model_get_stage_started (self->model, self->stage);
      finished = mp_model_get_stage_finished (self->model, self->stage);
    }

  g_string_append (subtitle, term_label (MP_TAXONOMY_STAGE_STATE, state));
  if (*started != '\0' || *finished != '\0')
    /* Translators: a stage's state, then its dates: "Done · 2024-01-10 – 2024-06-30" */
    g_string_append_printf (subtitle, _(" · %s – %s"), started, finished);

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle->str);
  g_string_free (subtitle, TRUE);

  /* The number's shape shows the state too, not its colour alone. */
  gtk_widget_remove_css_class (number, "done");
  gtk_widget_remove_css_class (number, "in-progress");
  if (state == MP_STAGE_STATE_DONE)
    gtk_widget_add_css_class (number, "done");
  else if (state == MP_STAGE_STATE_IN_PROGRESS)
    gtk_widget_add_css_class (number, "in-progress");

  /* Translators: accessible name of the stage number in a stage row, "Stage 3" */
  number_name = g_strdup_printf (_("Stage %d"), self->stage + 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (number),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, number_name,
                                  -1);

  /* The row says the state in full, and so does its header, where Tab
   * lands: libadwaita 1.2 names that by the title alone */
  row_name = dup_accessible_name (self->stage, state);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, row_name,
                                  -1);
  if ((header = find_header_row (GTK_WIDGET (self))) != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (header),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, row_name,
                                      -1);
      /* GTK 4.8 would append the title it is labelled by as well */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (header),
                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }

  /* In the dropdown the focus lands on its own button, which GTK 4.8
   * leaves unnamed and which does not say the choice shown in it */
  /* Translators: accessible name of a stage's state menu button, "State of stage Trials: In progress" */
  button_name = g_strdup_printf (_("State of stage %s: %s"),
                                 term_label (MP_TAXONOMY_STAGE, self->stage),
                                 term_label (MP_TAXONOMY_STAGE_STATE, state));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->state_dropdown));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, button_name,
                                      -1);

  /* Tab stops on the "State" row before the dropdown: it says as much */
  if ((state_row = gtk_widget_get_ancestor (GTK_WIDGET (self->state_dropdown), ADW_TYPE_ACTION_ROW)) != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (state_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, button_name,
                                      -1);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (state_row),
                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
}

static void show_date_error (AdwEntryRow *row,
                             gboolean     error);

static void
load_date (AdwEntryRow  *row,
           char        **synced,
           const char   *date)
{
  if (gtk_widget_has_css_class (GTK_WIDGET (row), "error") && g_strcmp0 (*synced, date) == 0)
    return;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), date) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), date);
  show_date_error (row, FALSE);
  g_free (*synced);
  *synced = g_strdup (date);
}

static void
show_date_error (AdwEntryRow *row,
                 gboolean     error)
{
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                                   _("Write the date as YYYY-MM-DD, for example 2026-03-15"));
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* callbacks */

static void
on_state_selected (MpStageRow *self)
{
  guint selected;

  if (self->loading || self->model == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->state_dropdown);
  if (selected >= MP_N_STAGE_STATES)
    return;

  mp_model_set_stage_state (self->model, self->stage, (MpStageState) selected);
  update_subtitle (self);
}

static void
on_date_changed (MpStageRow  *self,
                 GtkEditable *editable)
{
  const char *text;

  if (self->loading || self->model == NULL)
    return;

  text = gtk_editable_get_text (editable);
  if (!date_is_valid (text))
    {
      /* Not written: the model keeps its last valid date. */
      show_date_error (ADW_ENTRY_ROW (editable), TRUE);
      return;
    }

  show_date_error (ADW_ENTRY_ROW (editable), FALSE);

  if (editable == GTK_EDITABLE (self->started_row))
    {
      g_free (self->synced_started);
      self->synced_started = g_strdup (text);
      mp_model_set_stage_started (self->model, self->stage, text);
    }
  else
    {
      g_free (self->synced_finished);
      self->synced_finished = g_strdup (text);
      mp_model_set_stage_finished (self->model, self->stage, text);
    }

  update_subtitle (self);
}

static void
on_notes_changed (MpStageRow    *self,
                  GtkTextBuffer *buffer)
{
  g_autofree char *notes = NULL;

  if (self->loading || self->model == NULL)
    return;

  notes = mp_section_view_dup_text (self->notes_view);
  mp_model_set_stage_notes (self->model, self->stage, notes);
}

/* GObject overrides */

static void
mp_stage_row_constructed (GObject *object)
{
  MpStageRow *self = MP_STAGE_ROW (object);
  g_autofree char *number = g_strdup_printf ("%d", self->stage + 1);
  const char *label = term_label (MP_TAXONOMY_STAGE, self->stage);
  g_autofree char *state_name = NULL;

  G_OBJECT_CLASS (mp_stage_row_parent_class)->constructed (object);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), label);
  /* Translators: accessible name of a stage's state menu, "State of stage Trials" */
  state_name = g_strdup_printf (_("State of stage %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_name,
                                  -1);
  /* The action row also labels it by its title, which GTK 4.8 would
   * append: "State of stage Trials State". */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->state_dropdown),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  gtk_label_set_label (self->number_label, number);
  update_subtitle (self);
}

static void
mp_stage_row_dispose (GObject *object)
{
  MpStageRow *self = MP_STAGE_ROW (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (mp_stage_row_parent_class)->dispose (object);
}

static void
mp_stage_row_finalize (GObject *object)
{
  MpStageRow *self = MP_STAGE_ROW (object);

  g_clear_pointer (&self->synced_started, g_free);
  g_clear_pointer (&self->synced_finished, g_free);

  G_OBJECT_CLASS (mp_stage_row_parent_class)->finalize (object);
}

static void
mp_stage_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MpStageRow *self = MP_STAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_stage_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MpStageRow *self = MP_STAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      self->stage = (MpStage) g_value_get_int (value);
      break;

    case PROP_MODEL:
      mp_stage_row_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_stage_row_class_init (MpStageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_stage_row_constructed;
  object_class->dispose = mp_stage_row_dispose;
  object_class->finalize = mp_stage_row_finalize;
  object_class->get_property = mp_stage_row_get_property;
  object_class->set_property = mp_stage_row_set_property;

  properties[PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL,
                      0, MP_N_STAGES - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         MP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MP_TYPE_SECTION_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-stage-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MpStageRow, finished_row);
  gtk_widget_class_bind_template_child (widget_class, MpStageRow, notes_view);
  gtk_widget_class_bind_template_child (widget_class, MpStageRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, MpStageRow, started_row);
  gtk_widget_class_bind_template_child (widget_class, MpStageRow, state_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_state_selected);
}

static void
mp_stage_row_init (MpStageRow *self)
{
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);
  GtkTextBuffer *buffer;

  /* Guards the dropdown's first selection while the template is built. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < MP_N_STAGE_STATES; i++)
    gtk_string_list_append (states, term_label (MP_TAXONOMY_STAGE_STATE, i));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_drop_down_set_selected (self->state_dropdown, MP_STAGE_STATE_NOT_STARTED);

  buffer = gtk_text_view_get_buffer (mp_section_view_get_text_view (self->notes_view));
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_notes_changed), self, G_CONNECT_SWAPPED);

  self->loading = FALSE;
}

/* public API */

GtkWidget *
mp_stage_row_new (MpStage stage)
{
  g_return_val_if_fail (stage < MP_N_STAGES, NULL);

  return g_object_new (MP_TYPE_STAGE_ROW, "stage", (int) stage, NULL);
}

MpStage
mp_stage_row_get_stage (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), 0);

  return self->stage;
}

MpModel *
mp_stage_row_get_model (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), NULL);

  return self->model;
}

void
mp_stage_row_set_model (MpStageRow *self,
                        MpModel    *model)
{
  g_return_if_fail (MP_IS_STAGE_ROW (self));
  g_return_if_fail (model == NULL || MP_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  /* Another model: a date left half typed does not carry over. */
  g_clear_pointer (&self->synced_started, g_free);
  g_clear_pointer (&self->synced_finished, g_free);
  mp_stage_row_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
mp_stage_row_reload (MpStageRow *self)
{
  MpStageState state = MP_STAGE_STATE_NOT_STARTED;
  const char *started = "";
  const char *finished = "";
  const char *notes = "";

  g_return_if_fail (MP_IS_STAGE_ROW (self));

  if (self->model != NULL)
    {
      state = mp_model_get_stage_state (self->model, self->stage);
      started = mp_model_get_stage_started (self->model, self->stage);
      finished = mp_model_get_stage_finished (self->model, self->stage);
      notes = mp_model_get_stage_notes (self->model, self->stage);
    }

  self->loading = TRUE;
  if (gtk_drop_down_get_selected (self->state_dropdown) != (guint) state)
    gtk_drop_down_set_selected (self->state_dropdown, state);
  load_date (self->started_row, &self->synced_started, started);
  load_date (self->finished_row, &self->synced_finished, finished);
  mp_section_view_set_text (self->notes_view, notes);
  self->loading = FALSE;

  update_subtitle (self);
}

GtkDropDown *
mp_stage_row_get_state_dropdown (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), NULL);

  return self->state_dropdown;
}

GtkEditable *
mp_stage_row_get_started_entry (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), NULL);

  return GTK_EDITABLE (self->started_row);
}

GtkEditable *
mp_stage_row_get_finished_entry (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), NULL);

  return GTK_EDITABLE (self->finished_row);
}

GtkTextView *
mp_stage_row_get_notes_view (MpStageRow *self)
{
  g_return_val_if_fail (MP_IS_STAGE_ROW (self), NULL);

  return mp_section_view_get_text_view (self->notes_view);
}
