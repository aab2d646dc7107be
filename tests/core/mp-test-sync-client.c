/* mp-test-sync-client.c — one sync of a bank file, in a process of its own,
 * so that the fault tests can kill a real client at a crash point
 * (MALLIPAJA_TEST_CRASH_AT, see mp-sync-crash.h) and sync again after it.
 *
 *   mp-test-sync-client [--page-size N] BANK URL
 *
 * The bearer token comes from $MP_TEST_TOKEN (none: anonymous); with
 * $MP_TEST_LOCALE_DIR the messages are translated from the .mo files
 * there (the build's po/ folder), as the app would. Prints
 * "pulled=… pushed=… merged=… conflicts=… quarantined=…" and exits 0, or
 * prints the error and exits 1.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "mp-store.h"
#include "mp-sync.h"

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("BANK URL");
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpSync) sync = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  int page_size = 0;
  GOptionEntry entries[] = {
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, "Entries per page of the change feed", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  if (g_getenv ("MP_TEST_LOCALE_DIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MP_TEST_LOCALE_DIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("usage: %s [--page-size N] BANK URL\n", g_get_prgname ());
      return 2;
    }

  store = mp_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  sync = mp_sync_new (store, argv[2]);
  mp_sync_set_timeout (sync, 10);
  mp_sync_set_token (sync, g_getenv ("MP_TEST_TOKEN"));
  if (page_size > 0)
    mp_sync_set_page_size (sync, page_size);

  mp_sync_run_async (sync, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  summary = mp_sync_run_finish (sync, result, &error);
  if (summary == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("pulled=%u pushed=%u merged=%u conflicts=%u quarantined=%u\n",
           summary->pulled, summary->pushed, summary->merged, summary->conflicts, summary->quarantined);
  return 0;
}
