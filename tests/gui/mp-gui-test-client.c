/* mp-gui-test-client.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mp-gui-test-client.h"

void
mp_gui_test_on_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
mp_gui_test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

char *
mp_gui_test_root_url (MpTestServer *server)
{
  return g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));
}

void
mp_gui_test_client_clear (MpGuiTestClient *client)
{
  g_clear_object (&client->sync);
  g_clear_object (&client->store);
}

void
mp_gui_test_client_init (MpGuiTestClient *client,
                         MpTestServer    *server,
                         const char      *dir,
                         const char      *name,
                         const char      *user,
                         const char      *password)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.sqlite", dir, name);
  g_autofree char *url = mp_gui_test_root_url (server);
  g_autofree char *token = mp_test_server_login (server, session, user, password);

  client->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  client->sync = mp_sync_new (client->store, url);
  mp_sync_set_timeout (client->sync, 10);
  mp_sync_set_token (client->sync, token);
}

void
mp_gui_test_client_sync_ok (MpGuiTestClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  mp_sync_run_async (client->sync, NULL, mp_gui_test_on_done, &result);
  summary = mp_sync_run_finish (client->sync, mp_gui_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
}
