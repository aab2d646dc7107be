/* mp-sync-crash.h — named points where a test may kill the sync
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The environment variable that arms a crash point: "NAME" kills the
 * process the first time the sync passes NAME, "NAME:N" the N-th time. */
#define MP_SYNC_CRASH_ENV "MALLIPAJA_TEST_CRASH_AT"

/* Kills the process with SIGKILL when $MALLIPAJA_TEST_CRASH_AT names this
 * point: for tests that check what survives a crash at the worst moment.
 * Without the variable it does nothing. Safe from any thread. */
void mp_sync_crash_point (const char *name);

G_END_DECLS
