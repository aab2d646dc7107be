/* mp-sign-in-dialog.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mp-sync-controller.h"

G_BEGIN_DECLS

#define MP_TYPE_SIGN_IN_DIALOG (mp_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MpSignInDialog, mp_sign_in_dialog, MP, SIGN_IN_DIALOG, AdwWindow)

/* Asks for the platform address, user name and password, signs in, keeps
 * the token in the keyring and hands the platform to the controller.
 * Property: "controller" (construct-only). Action: "sign-in.sign-in". */

GtkWidget  *mp_sign_in_dialog_new       (MpSyncController *controller);
/* The error shown, or NULL. */
const char *mp_sign_in_dialog_get_error (MpSignInDialog   *self);

G_END_DECLS
