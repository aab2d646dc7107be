/* mp-model-editor.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_EDITOR (mp_model_editor_get_type ())
G_DECLARE_FINAL_TYPE (MpModelEditor, mp_model_editor, MP, MODEL_EDITOR, AdwBin)

/* A form over every field of one model. Each change is written into the
 * model at once; whoever watches the model (MpAutosaver) saves it. The
 * property "model" may be NULL. */

GtkWidget   *mp_model_editor_new              (void);
MpModel     *mp_model_editor_get_model        (MpModelEditor *self);
void         mp_model_editor_set_model        (MpModelEditor *self,
                                               MpModel       *model);
/* The text view of the summary or of a long-text section. */
GtkTextView *mp_model_editor_get_section_view (MpModelEditor *self,
                                               MpText         text);
GtkWidget   *mp_model_editor_get_stage_row    (MpModelEditor *self,
                                               MpStage        stage);
GtkWidget   *mp_model_editor_get_characteristic_row (MpModelEditor *self,
                                                     guint          index);
/* The entry row of a one-line text (title, place, organisation,
 * collection), or NULL. */
GtkEditable *mp_model_editor_get_text_entry   (MpModelEditor *self,
                                               MpText         text);

G_END_DECLS
