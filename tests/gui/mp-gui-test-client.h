/* mp-gui-test-client.h — a client of the real platform for the widget tests
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-store.h"
#include "mp-sync.h"
#include "mp-test-server.h"

G_BEGIN_DECLS

/* A client of the platform: its own bank and sync, signed in */
typedef struct {
  MpStore *store;
  MpSync  *sync;
} MpGuiTestClient;

/* Opens @dir/@name.sqlite and signs @user in with @password. */
void          mp_gui_test_client_init    (MpGuiTestClient *client,
                                          MpTestServer    *server,
                                          const char      *dir,
                                          const char      *name,
                                          const char      *user,
                                          const char      *password);
void          mp_gui_test_client_clear   (MpGuiTestClient *client);
/* One sync, which must succeed. */
void          mp_gui_test_client_sync_ok (MpGuiTestClient *client);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MpGuiTestClient, mp_gui_test_client_clear)

/* A GAsyncReadyCallback that keeps the result in *@user_data */
void          mp_gui_test_on_done        (GObject         *object,
                                          GAsyncResult    *result,
                                          gpointer         user_data);
/* Turns the main loop until mp_gui_test_on_done() filled @slot */
GAsyncResult *mp_gui_test_wait_for       (GAsyncResult   **slot);
/* The platform's address without the API path */
char         *mp_gui_test_root_url       (MpTestServer    *server);

G_END_DECLS
