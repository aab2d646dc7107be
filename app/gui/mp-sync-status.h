/* mp-sync-status.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mp-sync-controller.h"

G_BEGIN_DECLS

#define MP_TYPE_SYNC_STATUS (mp_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (MpSyncStatus, mp_sync_status, MP, SYNC_STATUS, AdwBin)

/* The header bar's sync status: offline, syncing with progress, synced at
 * a time, or failed with its reason (in a tooltip and a popover), and the
 * Sync Now (app.sync) or Stop (app.cancel-sync) button.
 * Property: "controller" (MpSyncController, may be NULL). */

GtkWidget        *mp_sync_status_new            (void);
MpSyncController *mp_sync_status_get_controller (MpSyncStatus     *self);
void              mp_sync_status_set_controller (MpSyncStatus     *self,
                                                 MpSyncController *controller);
/* The short text shown in the header bar, e.g. "Synced at 14:05". */
const char       *mp_sync_status_get_text       (MpSyncStatus     *self);

G_END_DECLS
