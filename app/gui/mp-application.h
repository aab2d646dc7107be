/* mp-application.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-sync-controller.h"

G_BEGIN_DECLS

#define MP_TYPE_APPLICATION (mp_application_get_type ())
G_DECLARE_FINAL_TYPE (MpApplication, mp_application, MP, APPLICATION, AdwApplication)

/* The command-line options (--list, --search, --export-json, --import-json,
 * --version) run headless on the bank at mp_store_default_path(); without
 * them the application opens the bank and shows the main window. */

MpApplication *mp_application_new           (void);
/* NULL until the bank is open. */
MpStore       *mp_application_get_store     (MpApplication *self);
MpAutosaver   *mp_application_get_autosaver (MpApplication *self);
/* Owns the sync with the platform; NULL until the bank is open. */
MpSyncController *mp_application_get_sync_controller (MpApplication *self);

G_END_DECLS
