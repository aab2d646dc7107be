/* mp-sync-indicator.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mp-sync-controller.h"

G_BEGIN_DECLS

#define MP_TYPE_SYNC_INDICATOR (mp_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MpSyncIndicator, mp_sync_indicator, MP, SYNC_INDICATOR, AdwBin)

/* The header bar's sync status: offline, syncing with progress, synced at
 * a time, or failed with its reason (in a tooltip and a popover), and the
 * Sync Now (app.sync) or Stop (app.cancel-sync) button.
 * Properties: "controller" (MpSyncController, may be NULL), "compact"
 * (a narrow window: the buttons only in the popover). */

GtkWidget        *mp_sync_indicator_new            (void);
MpSyncController *mp_sync_indicator_get_controller (MpSyncIndicator  *self);
void              mp_sync_indicator_set_controller (MpSyncIndicator  *self,
                                                 MpSyncController *controller);
/* The short text shown in the header bar, e.g. "Synced at 14:05". */
const char       *mp_sync_indicator_get_text       (MpSyncIndicator  *self);

G_END_DECLS
