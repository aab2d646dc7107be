/* mp-window.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-sync-controller.h"

G_BEGIN_DECLS

#define MP_TYPE_WINDOW (mp_window_get_type ())
G_DECLARE_FINAL_TYPE (MpWindow, mp_window, MP, WINDOW, AdwApplicationWindow)

/* The main window: the model list with search and filters beside the
 * model page. Properties: "store" and "autosaver" (construct-only), and
 * the filters "filter-stage" (int, -1 for any, else the stage a model has
 * at least reached), "filter-theme", "filter-target-group", "filter-region"
 * (taxonomy keys, "" for any) and "filter-publication" ("any", "drafts",
 * "published" or "unfinished"), which are kept in GSettings. */

MpWindow    *mp_window_new           (GtkApplication *application,
                                      MpStore        *store,
                                      MpAutosaver    *autosaver);
MpStore     *mp_window_get_store     (MpWindow       *self);
/* Loads the model into the page and selects it in the list when the
 * search and filters show it. */
gboolean     mp_window_show_model    (MpWindow       *self,
                                      const char     *id);
void         mp_window_add_toast     (MpWindow       *self,
                                      AdwToast       *toast);
/* The list's query is the window's search and filters. */
MpModelList *mp_window_get_model_list (MpWindow      *self);
/* Shows what importing the .mallipaja @file would do, and imports it
 * when the person confirms (mp-window-exchange.c). */
void         mp_window_import_file   (MpWindow       *self,
                                      GFile          *file);
void         mp_window_set_sync_controller (MpWindow         *self,
                                            MpSyncController *controller);

G_END_DECLS
