/* mp-stage-progress.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

#define MP_TYPE_STAGE_PROGRESS (mp_stage_progress_get_type ())
G_DECLARE_FINAL_TYPE (MpStageProgress, mp_stage_progress, MP, STAGE_PROGRESS, GtkWidget)

/* Six segments, one per stage: done is filled, in progress is half
 * filled, not started is an outline. Properties: "current-stage" (int,
 * MP_STAGE_NONE..MP_STAGE_SYSTEMIC_CHANGE; setting it alone marks the
 * earlier stages done and this one in progress) and "compact" (boolean,
 * the small size for list rows). */

GtkWidget    *mp_stage_progress_new               (void);
int           mp_stage_progress_get_current_stage (MpStageProgress    *self);
void          mp_stage_progress_set_current_stage (MpStageProgress    *self,
                                                   int                 current_stage);
MpStageState  mp_stage_progress_get_state         (MpStageProgress    *self,
                                                   MpStage             stage);
void          mp_stage_progress_set_states        (MpStageProgress    *self,
                                                   const MpStageState  states[MP_N_STAGES]);
gboolean      mp_stage_progress_get_compact       (MpStageProgress    *self);
void          mp_stage_progress_set_compact       (MpStageProgress    *self,
                                                   gboolean            compact);
/* The text that is also announced, e.g. "Stage 3 of 6, Trials, in
 * progress"; free with g_free(). */
char         *mp_stage_progress_dup_text          (MpStageProgress    *self);

G_END_DECLS
