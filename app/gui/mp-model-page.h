/* mp-model-page.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-model-editor.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_PAGE (mp_model_page_get_type ())
G_DECLARE_FINAL_TYPE (MpModelPage, mp_model_page, MP, MODEL_PAGE, AdwBin)

/* Shows one model as the platform does, and edits it in place.
 *
 * Properties: "store", "autosaver" (construct-only), "model" (MpModel or
 * NULL), "editing" (boolean).
 * Signals: "open-model" (const char *id) when the person follows a
 * lineage link or derived a new model (already saved); "deleted" (const
 * char *id, const char *title) after a draft was deleted from the store,
 * so that the window can offer to undo it.
 * Actions: "model.edit" (stateful, Ctrl+E), "model.derive" (Ctrl+D),
 * "model.delete" (drafts only), "model.resolve-conflicts" (opens the
 * conflict view when the sync left a conflict). */

GtkWidget     *mp_model_page_new          (MpStore     *store,
                                           MpAutosaver *autosaver);
MpModel       *mp_model_page_get_model    (MpModelPage *self);
/* The page watches @model with the autosaver, so every edit is saved. */
void           mp_model_page_set_model    (MpModelPage *self,
                                           MpModel     *model);
gboolean       mp_model_page_get_editing  (MpModelPage *self);
void           mp_model_page_set_editing  (MpModelPage *self,
                                           gboolean     editing);
MpModelEditor *mp_model_page_get_editor   (MpModelPage *self);
void           mp_model_page_update_actions (MpModelPage *self);

/* For tests: the read view's widget of a section or basic field, which is
 * hidden while the field is empty. */
GtkWidget     *mp_model_page_get_read_section (MpModelPage *self,
                                               MpText       text);
GtkWidget     *mp_model_page_get_stage_progress (MpModelPage *self);
gboolean       mp_model_page_get_sync_banner_shown (MpModelPage *self);

G_END_DECLS
