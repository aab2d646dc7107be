/* mp-sync-crash.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "mp-sync-crash.h"

/* Read once: the sync passes its points often, and the environment of a
 * running process is not ours to read from several threads. */
static char *armed_name;
static guint armed_count;
static gint passed;

static void
read_environment (void)
{
  const char *value = g_getenv (MP_SYNC_CRASH_ENV);
  const char *colon;
  guint64 count = 1;

  if (value == NULL || *value == '\0')
    return;

  colon = strrchr (value, ':');
  if (colon != NULL &&
      (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT, &count, NULL)))
    {
      g_warning ("%s=%s: expected NAME or NAME:COUNT", MP_SYNC_CRASH_ENV, value);
      return;
    }

  armed_name = colon != NULL ? g_strndup (value, colon - value) : g_strdup (value);
  armed_count = (guint) count;
}

/**
 * mp_sync_crash_point:
 * @name: the point, e.g. "page-applied"
 *
 * Kills the process with SIGKILL, as a power cut or the OOM killer would,
 * when MALLIPAJA_TEST_CRASH_AT arms @name and this is the armed pass.
 * SIGKILL runs no handler and flushes nothing: what survives is exactly
 * what the bank had made durable.
 */
void
mp_sync_crash_point (const char *name)
{
  static gsize initialised = 0;

  g_return_if_fail (name != NULL);

  if (g_once_init_enter (&initialised))
    {
      read_environment ();
      g_once_init_leave (&initialised, 1);
    }

  if (armed_name == NULL || strcmp (armed_name, name) != 0)
    return;
  if ((guint) g_atomic_int_add (&passed, 1) + 1 < armed_count)
    return;

  raise (SIGKILL);
}
