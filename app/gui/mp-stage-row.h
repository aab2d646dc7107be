/* mp-stage-row.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

#define MP_TYPE_STAGE_ROW (mp_stage_row_get_type ())
G_DECLARE_FINAL_TYPE (MpStageRow, mp_stage_row, MP, STAGE_ROW, AdwExpanderRow)

/* Edits one stage of a model: its state, start and end dates and notes.
 * Every change is written into the model at once. */

GtkWidget   *mp_stage_row_new                (MpStage     stage);
MpStage      mp_stage_row_get_stage          (MpStageRow *self);
MpModel     *mp_stage_row_get_model          (MpStageRow *self);
void         mp_stage_row_set_model          (MpStageRow *self,
                                              MpModel    *model);
/* Reads the model into the widgets again, leaving alone what is equal. */
void         mp_stage_row_reload             (MpStageRow *self);
GtkDropDown *mp_stage_row_get_state_dropdown (MpStageRow *self);
GtkEditable *mp_stage_row_get_started_entry  (MpStageRow *self);
GtkEditable *mp_stage_row_get_finished_entry (MpStageRow *self);
GtkTextView *mp_stage_row_get_notes_view     (MpStageRow *self);

G_END_DECLS
