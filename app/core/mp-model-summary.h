/* mp-model-summary.h — what a list row shows of a model, without its texts
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-model.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_SUMMARY (mp_model_summary_get_type ())
G_DECLARE_FINAL_TYPE (MpModelSummary, mp_model_summary, MP, MODEL_SUMMARY, GObject)

/* Read-only properties: "rowid" (gint64), "id", "title", "organisation",
 * "region" (key of the first region or NULL), "current-stage" (int,
 * MP_STAGE_NONE when none), "revision" (gint64), "visibility" (int,
 * MpVisibility), "unfinished" (boolean), "is-draft" (boolean: made here,
 * never synced), "modified" (gint64). */

MpModelSummary *mp_model_summary_new (gint64        rowid,
                                      const char   *id,
                                      const char   *title,
                                      const char   *organisation,
                                      const char   *region,
                                      int           current_stage,
                                      gint64        revision,
                                      MpVisibility  visibility,
                                      gboolean      unfinished,
                                      gint64        modified);

gint64        mp_model_summary_get_rowid         (MpModelSummary *self);
const char   *mp_model_summary_get_id            (MpModelSummary *self);
const char   *mp_model_summary_get_title         (MpModelSummary *self);
const char   *mp_model_summary_get_organisation  (MpModelSummary *self);
const char   *mp_model_summary_get_region        (MpModelSummary *self);
int           mp_model_summary_get_current_stage (MpModelSummary *self);
gint64        mp_model_summary_get_revision      (MpModelSummary *self);
MpVisibility  mp_model_summary_get_visibility    (MpModelSummary *self);
gboolean      mp_model_summary_get_unfinished    (MpModelSummary *self);
gboolean      mp_model_summary_get_is_draft      (MpModelSummary *self);
gint64        mp_model_summary_get_modified      (MpModelSummary *self);

G_END_DECLS
