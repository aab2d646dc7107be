/* mp-model-row.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-sync-store.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_ROW (mp_model_row_get_type ())
G_DECLARE_FINAL_TYPE (MpModelRow, mp_model_row, MP, MODEL_ROW, AdwBin)

/* One model in the list: title, organisation and region, stage progress
 * publication status and sync state. Property: "summary" (MpModelSummary). */

GtkWidget      *mp_model_row_new         (void);
MpModelSummary *mp_model_row_get_summary (MpModelRow     *self);
void            mp_model_row_set_summary (MpModelRow     *self,
                                          MpModelSummary *summary);
/* The status pill's text: "Draft", "Published", "Unfinished" or
 * "Organisation only". */
const char     *mp_model_row_get_status  (MpModelRow     *self);
/* The sync badge: "Only here", "Waiting to sync", "Synced", "Conflict" or,
 * with @remote_gone, "Removed on the platform". */
void            mp_model_row_set_snippet (MpModelRow     *self,
                                          const char     *markup);
void            mp_model_row_set_sync_state (MpModelRow  *self,
                                             MpSyncState  state,
                                             gboolean     remote_gone);
const char     *mp_model_row_get_sync_text  (MpModelRow  *self);

G_END_DECLS
