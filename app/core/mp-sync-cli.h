/* mp-sync-cli.h — the sync's command-line commands (--sign-in, --sign-out,
 * --sync), run to the end in a main loop of their own
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-store.h"

G_BEGIN_DECLS

/* Each returns an exit status and prints what happened. */
int  mp_sync_cli_sign_in  (MpStore    *store,
                           const char *platform_url,
                           const char *user);
int  mp_sync_cli_sign_out (MpStore    *store,
                           const char *platform_url);
/* @platform_url may be NULL: the bank's platform, else
 * $MALLIPAJA_PLATFORM_URL. Without a sign-in, pulls the public bank. */
int  mp_sync_cli_run      (MpStore    *store,
                           const char *platform_url);

G_END_DECLS
