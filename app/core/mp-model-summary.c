/* mp-model-summary.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mp-model-summary.h"

struct _MpModelSummary
{
  GObject       parent_instance;

  gint64        rowid;
  char         *id;
  char         *title;
  char         *organisation;
  char         *region;
  int           current_stage;
  gint64        revision;
  MpVisibility  visibility;
  gboolean      unfinished;
  gint64        modified;
};

G_DEFINE_FINAL_TYPE (MpModelSummary, mp_model_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROWID,
  PROP_ID,
  PROP_TITLE,
  PROP_ORGANISATION,
  PROP_REGION,
  PROP_CURRENT_STAGE,
  PROP_REVISION,
  PROP_VISIBILITY,
  PROP_UNFINISHED,
  PROP_IS_DRAFT,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GObject overrides */

static void
mp_model_summary_finalize (GObject *object)
{
  MpModelSummary *self = (MpModelSummary *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->organisation);
  g_free (self->region);

  G_OBJECT_CLASS (mp_model_summary_parent_class)->finalize (object);
}

static void
mp_model_summary_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MpModelSummary *self = MP_MODEL_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ROWID:
      g_value_set_int64 (value, self->rowid);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ORGANISATION:
      g_value_set_string (value, self->organisation);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_CURRENT_STAGE:
      g_value_set_int (value, self->current_stage);
      break;
    case PROP_REVISION:
      g_value_set_int64 (value, self->revision);
      break;
    case PROP_VISIBILITY:
      g_value_set_int (value, self->visibility);
      break;
    case PROP_UNFINISHED:
      g_value_set_boolean (value, self->unfinished);
      break;
    case PROP_IS_DRAFT:
      g_value_set_boolean (value, mp_model_summary_get_is_draft (self));
      break;
    case PROP_MODIFIED:
      g_value_set_int64 (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_summary_class_init (MpModelSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mp_model_summary_finalize;
  object_class->get_property = mp_model_summary_get_property;

  properties[PROP_ROWID] =
    g_param_spec_int64 ("rowid", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_ORGANISATION] =
    g_param_spec_string ("organisation", NULL, NULL, NULL, flags);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_CURRENT_STAGE] =
    g_param_spec_int ("current-stage", NULL, NULL,
                      MP_STAGE_NONE, MP_N_STAGES - 1, MP_STAGE_NONE, flags);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_VISIBILITY] =
    g_param_spec_int ("visibility", NULL, NULL,
                      MP_VISIBILITY_PRIVATE, MP_VISIBILITY_PUBLIC, MP_VISIBILITY_PRIVATE, flags);
  properties[PROP_UNFINISHED] =
    g_param_spec_boolean ("unfinished", NULL, NULL, FALSE, flags);
  properties[PROP_IS_DRAFT] =
    g_param_spec_boolean ("is-draft", NULL, NULL, TRUE, flags);
  properties[PROP_MODIFIED] =
    g_param_spec_int64 ("modified", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mp_model_summary_init (MpModelSummary *self)
{
  self->current_stage = MP_STAGE_NONE;
}

/* public API */

/**
 * mp_model_summary_new:
 *
 * A row of the model list. The values never change: a changed model gets a
 * new summary.
 *
 * Returns: (transfer full): a new summary
 */
MpModelSummary *
mp_model_summary_new (gint64        rowid,
                      const char   *id,
                      const char   *title,
                      const char   *organisation,
                      const char   *region,
                      int           current_stage,
                      gint64        revision,
                      MpVisibility  visibility,
                      gboolean      unfinished,
                      gint64        modified)
{
  MpModelSummary *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (current_stage >= MP_STAGE_NONE && current_stage < MP_N_STAGES, NULL);

  self = g_object_new (MP_TYPE_MODEL_SUMMARY, NULL);
  self->rowid = rowid;
  self->id = g_strdup (id);
  self->title = g_strdup (title != NULL ? title : "");
  self->organisation = g_strdup (organisation != NULL ? organisation : "");
  self->region = region != NULL && region[0] != '\0' ? g_strdup (region) : NULL;
  self->current_stage = current_stage;
  self->revision = MAX (revision, 0);
  self->visibility = visibility;
  self->unfinished = !!unfinished;
  self->modified = modified;

  return self;
}

gint64
mp_model_summary_get_rowid (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), 0);

  return self->rowid;
}

const char *
mp_model_summary_get_id (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), NULL);

  return self->id;
}

const char *
mp_model_summary_get_title (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), NULL);

  return self->title;
}

const char *
mp_model_summary_get_organisation (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), NULL);

  return self->organisation;
}

/* Returns: (nullable): the key of the model's first region */
const char *
mp_model_summary_get_region (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), NULL);

  return self->region;
}

int
mp_model_summary_get_current_stage (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), MP_STAGE_NONE);

  return self->current_stage;
}

gint64
mp_model_summary_get_revision (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), 0);

  return self->revision;
}

MpVisibility
mp_model_summary_get_visibility (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), MP_VISIBILITY_PRIVATE);

  return self->visibility;
}

gboolean
mp_model_summary_get_unfinished (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), FALSE);

  return self->unfinished;
}

/* A draft was made here and never synced: the platform gives revisions. */
gboolean
mp_model_summary_get_is_draft (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), TRUE);

  return self->revision == 0;
}

gint64
mp_model_summary_get_modified (MpModelSummary *self)
{
  g_return_val_if_fail (MP_IS_MODEL_SUMMARY (self), 0);

  return self->modified;
}
