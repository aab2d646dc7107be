/* mp-sync-controller.h — when the app syncs: on request, after edits,
 * periodically, when the platform is reachable again; with backoff
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mallipaja-core.h"
#include "mp-sync.h"

G_BEGIN_DECLS

/* Seconds between a saved edit and the sync that sends it. */
#define MP_SYNC_AFTER_EDIT_SECONDS 5
/* Seconds between syncs while online. */
#define MP_SYNC_PERIOD_SECONDS (10 * 60)

#define MP_TYPE_SYNC_CONTROLLER (mp_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (MpSyncController, mp_sync_controller, MP, SYNC_CONTROLLER, GObject)

/* Owns the application's MpSync (one per platform) and decides when it
 * runs. Properties: "store", "autosaver" (construct-only), "sync" (the
 * MpSync, NULL while no platform is known), "platform-url", "signed-in",
 * "online" (the platform can be reached, as far as the network monitor
 * tells), "running", "last-sync" (gint64 Unix time, 0 for never). */

MpSyncController *mp_sync_controller_new           (MpStore          *store,
                                                    MpAutosaver      *autosaver);
MpSync           *mp_sync_controller_get_sync      (MpSyncController *self);
MpStore          *mp_sync_controller_get_store     (MpSyncController *self);
const char       *mp_sync_controller_get_platform_url (MpSyncController *self);
gboolean          mp_sync_controller_get_signed_in (MpSyncController *self);
gboolean          mp_sync_controller_get_online    (MpSyncController *self);
gboolean          mp_sync_controller_get_running   (MpSyncController *self);
gint64            mp_sync_controller_get_last_sync (MpSyncController *self);

/* Uses @platform_url from now on, with @token (NULL: anonymous). */
void              mp_sync_controller_set_platform  (MpSyncController *self,
                                                    const char       *platform_url,
                                                    const char       *token);
/* Finds the platform (the bank's, else $MALLIPAJA_PLATFORM_URL) and its
 * token in the keyring, then starts the automatic syncs. */
void              mp_sync_controller_start         (MpSyncController *self);
/* Syncs now, whatever the connection is metered or a backoff waits. */
void              mp_sync_controller_sync_now      (MpSyncController *self);
void              mp_sync_controller_cancel        (MpSyncController *self);
/* Forgets the token in the keyring; the public bank is still read. */
void              mp_sync_controller_sign_out      (MpSyncController *self);

G_END_DECLS
