/* mp-model-row.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-model-row.h"
#include "mp-stage-progress.h"

struct _MpModelRow
{
  AdwBin           parent_instance;

  /* template widgets */
  MpStageProgress *stage_progress;
  GtkLabel        *stage_label;
  GtkLabel        *snippet_label;
  GtkLabel        *status_label;
  GtkLabel        *subtitle_label;
  GtkImage        *sync_icon;
  GtkLabel        *sync_label;
  GtkLabel        *title_label;

  /* owned references */
  MpModelSummary  *summary;
};

G_DEFINE_FINAL_TYPE (MpModelRow, mp_model_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

/* The status is told in words; the pill's colour (a style class) only
 * repeats it. */
static const char *
status_for_summary (MpModelSummary *summary,
                    const char    **style_class)
{
  if (mp_model_summary_get_is_draft (summary) ||
      mp_model_summary_get_visibility (summary) == MP_VISIBILITY_PRIVATE)
    {
      *style_class = "draft";
      return _("Draft");
    }

  if (mp_model_summary_get_visibility (summary) == MP_VISIBILITY_ORGANISATION)
    {
      *style_class = "organisation";
      return _("Organisation only");
    }

  if (mp_model_summary_get_unfinished (summary))
    {
      *style_class = "unfinished";
      return _("Unfinished");
    }

  *style_class = "published";
  return _("Published");
}

static char *
dup_subtitle (MpModelSummary *summary)
{
  const char *organisation = mp_model_summary_get_organisation (summary);
  const char *region = mp_model_summary_get_region (summary);
  const char *region_label = NULL;

  if (region != NULL && *region != '\0')
    {
      const MpTerm *term = mp_taxonomy_lookup (MP_TAXONOMY_REGION, region, NULL);

      region_label = term != NULL ? mp_term_get_label (term, mp_ui_language ()) : region;
    }

  if (organisation == NULL || *organisation == '\0')
    return g_strdup (region_label != NULL ? region_label : "");
  if (region_label == NULL)
    return g_strdup (organisation);
  /* Translators: a model's organisation and its wellbeing services
   * county or region, e.g. "Pirkanmaan hyvinvointialue · Pirkanmaa" */
  return g_strdup_printf (_("%s · %s"), organisation, region_label);
}

static char *
dup_stage_text (int stage)
{
  const MpTerm *term;

  if (stage == MP_STAGE_NONE)
    return g_strdup (_("No stage started"));

  term = mp_taxonomy_lookup (MP_TAXONOMY_STAGE, mp_stage_key (stage), NULL);
  /* Translators: the current stage in a list row: its number, the number
   * of stages and its name, e.g. "3/6 Trials" */
  return g_strdup_printf (_("%d/%d %s"), stage + 1, MP_N_STAGES,
                          term != NULL ? mp_term_get_label (term, mp_ui_language ()) : "");
}

static void
mp_model_row_update (MpModelRow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *stage_text = NULL;
  const char *style_class = "draft";
  const char *status;
  const char *title;
  int stage;

  if (self->summary == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_label_set_label (self->stage_label, "");
      gtk_label_set_label (self->status_label, "");
      gtk_label_set_label (self->sync_label, "");
      gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sync_label)), FALSE);
      mp_stage_progress_set_current_stage (self->stage_progress, MP_STAGE_NONE);
      return;
    }

  title = mp_model_summary_get_title (self->summary);
  gtk_label_set_label (self->title_label, *title != '\0' ? title : _("Untitled model"));

  subtitle = dup_subtitle (self->summary);
  gtk_label_set_label (self->subtitle_label, subtitle);

  stage = mp_model_summary_get_current_stage (self->summary);
  stage_text = dup_stage_text (stage);
  mp_stage_progress_set_current_stage (self->stage_progress, stage);
  gtk_label_set_label (self->stage_label, stage_text);

  status = status_for_summary (self->summary, &style_class);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label),
                              (const char *[]) { "status-pill", style_class, NULL });
}

/* GTK 4.8 cannot name the row of a GtkListView (that came with
 * gtk_list_item_set_accessible_label() in 4.12) and a screen reader finds
 * nothing to say on an unnamed one, so the row names its parent too. */
static void
mp_model_row_update_accessible (MpModelRow *self)
{
  g_autoptr(GString) label = g_string_new (gtk_label_get_label (self->title_label));
  g_autofree char *stage_text = NULL;
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (self->summary == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  if (*gtk_label_get_label (self->subtitle_label) != '\0')
    g_string_append_printf (label, ", %s", gtk_label_get_label (self->subtitle_label));
  stage_text = mp_stage_progress_dup_text (self->stage_progress);
  g_string_append_printf (label, ", %s, %s", stage_text, gtk_label_get_label (self->status_label));
  if (*gtk_label_get_label (self->sync_label) != '\0')
    g_string_append_printf (label, ", %s", gtk_label_get_label (self->sync_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
  if (parent != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                    -1);
}

/* callbacks */

static void
on_parent_notify (MpModelRow *self)
{
  mp_model_row_update_accessible (self);
}

/* GObject overrides */

static void
mp_model_row_dispose (GObject *object)
{
  MpModelRow *self = MP_MODEL_ROW (object);

  g_clear_object (&self->summary);

  G_OBJECT_CLASS (mp_model_row_parent_class)->dispose (object);
}

static void
mp_model_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MpModelRow *self = MP_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_object (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MpModelRow *self = MP_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      mp_model_row_set_summary (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_row_class_init (MpModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mp_model_row_dispose;
  object_class->get_property = mp_model_row_get_property;
  object_class->set_property = mp_model_row_set_property;

  properties[PROP_SUMMARY] =
    g_param_spec_object ("summary", NULL, NULL, MP_TYPE_MODEL_SUMMARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, stage_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, stage_progress);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, MpModelRow, title_label);

  g_type_ensure (MP_TYPE_STAGE_PROGRESS);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mp_model_row_init (MpModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::parent", G_CALLBACK (on_parent_notify), NULL);
}

/* public API */

GtkWidget *
mp_model_row_new (void)
{
  return g_object_new (MP_TYPE_MODEL_ROW, NULL);
}

MpModelSummary *
mp_model_row_get_summary (MpModelRow *self)
{
  g_return_val_if_fail (MP_IS_MODEL_ROW (self), NULL);

  return self->summary;
}

void
mp_model_row_set_summary (MpModelRow     *self,
                          MpModelSummary *summary)
{
  g_return_if_fail (MP_IS_MODEL_ROW (self));
  g_return_if_fail (summary == NULL || MP_IS_MODEL_SUMMARY (summary));

  if (!g_set_object (&self->summary, summary))
    return;

  mp_model_row_update (self);
  mp_model_row_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

const char *
mp_model_row_get_status (MpModelRow *self)
{
  g_return_val_if_fail (MP_IS_MODEL_ROW (self), NULL);

  return gtk_label_get_label (self->status_label);
}

void
mp_model_row_set_sync_state (MpModelRow  *self,
                             MpSyncState  state,
                             gboolean     remote_gone)
{
  const char *text;
  const char *icon_name;
  const char *style_class;

  g_return_if_fail (MP_IS_MODEL_ROW (self));

  /* An icon and a word each, so that no state is told by colour alone */
  if (remote_gone)
    {
      text = _("Removed on the platform");
      icon_name = "user-trash-symbolic";
      style_class = "warning";
    }
  else
    switch (state)
      {
      case MP_SYNC_STATE_PENDING:
        text = _("Waiting to sync");
        icon_name = "mail-send-symbolic";
        style_class = "pending";
        break;
      case MP_SYNC_STATE_SYNCED:
        text = _("Synced");
        icon_name = "emblem-ok-symbolic";
        style_class = "synced";
        break;
      case MP_SYNC_STATE_CONFLICT:
        text = _("Conflict");
        icon_name = "dialog-warning-symbolic";
        style_class = "warning";
        break;
      case MP_SYNC_STATE_LOCAL:
      default:
        /* A copy of the bank that no platform has been asked about yet
         * (the sample bank) is not a local draft: no badge */
        if (self->summary != NULL && mp_model_summary_get_revision (self->summary) > 0)
          {
            gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sync_label)), FALSE);
            return;
          }
        /* Translators: a model that exists on this device only */
        text = _("Only here");
        icon_name = "computer-symbolic";
        style_class = "local";
        break;
      }

  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sync_label)), TRUE);
  if (g_strcmp0 (gtk_label_get_label (self->sync_label), text) == 0)
    return;

  gtk_label_set_label (self->sync_label, text);
  gtk_image_set_from_icon_name (self->sync_icon, icon_name);
  gtk_widget_set_css_classes (gtk_widget_get_parent (GTK_WIDGET (self->sync_label)),
                              (const char *[]) { "sync-badge", style_class, NULL });
  mp_model_row_update_accessible (self);
}

const char *
mp_model_row_get_sync_text (MpModelRow *self)
{
  g_return_val_if_fail (MP_IS_MODEL_ROW (self), NULL);

  return gtk_label_get_label (self->sync_label);
}

/**
 * mp_model_row_set_snippet:
 * @self: a row
 * @markup: (nullable): the passage that matched the search, as Pango
 *   markup with the hits in bold, or %NULL to hide it
 */
void
mp_model_row_set_snippet (MpModelRow *self,
                          const char *markup)
{
  g_return_if_fail (MP_IS_MODEL_ROW (self));

  /* A snippet may span paragraphs; in a two-line row they read as one */
  if (markup != NULL && strchr (markup, '\n') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (markup, "\n", -1);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "", parts[i]);
      gtk_label_set_markup (self->snippet_label, joined->str);
    }
  else
    gtk_label_set_markup (self->snippet_label, markup != NULL ? markup : "");
  gtk_widget_set_visible (GTK_WIDGET (self->snippet_label), markup != NULL && *markup != '\0');
}
