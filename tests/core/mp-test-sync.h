/* mp-test-sync.h — clients with real bank files for the sync tests that
 * run the real platform server (test-sync-faults, test-sync-random)
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-store.h"
#include "mp-sync.h"
#include "mp-test-server.h"

G_BEGIN_DECLS

#define MP_TEST_ORG "Testilan yhdistys"
#define MP_TEST_PASSWORD "salasana-123"

/* A client: its bank file, and while it is open, its store and sync. */
typedef struct {
  char    *dir;
  char    *path;
  char    *url;
  char    *token;
  MpStore *store;
  MpSync  *sync;
} MpTestClient;

/* A client with a new bank in a temporary folder, signed in as @user
 * (anonymous when %NULL). */
MpTestClient  *mp_test_client_new        (const char    *url,
                                          const char    *user);
void           mp_test_client_free       (MpTestClient  *client);
/* Closes the bank, so that another process may sync it; reopening makes
 * a new store and sync on the same file. */
void           mp_test_client_close      (MpTestClient  *client);
void           mp_test_client_open       (MpTestClient  *client);
MpSyncSummary *mp_test_client_sync       (MpTestClient  *client,
                                          GError       **error);
MpSyncSummary *mp_test_client_sync_cancellable (MpTestClient *client,
                                                GCancellable *cancellable,
                                                GError      **error);
/* Asserts that the sync succeeded. */
MpSyncSummary *mp_test_client_sync_ok    (MpTestClient  *client);

MpModel       *mp_test_client_create     (MpTestClient  *client,
                                          const char    *title,
                                          MpVisibility   visibility);
void           mp_test_client_edit       (MpTestClient  *client,
                                          const char    *id,
                                          MpText         text,
                                          const char    *value);
char          *mp_test_client_text       (MpTestClient  *client,
                                          const char    *id,
                                          MpText         text);
/* The model's canonical document (mp_model_to_json_string()), or NULL
 * when the bank does not have it (or has it deleted). */
char          *mp_test_client_document   (MpTestClient  *client,
                                          const char    *id);
/* The outbox as "id|model|base|key|fields" lines, in order. */
GPtrArray     *mp_test_client_outbox     (MpTestClient  *client);
/* Every live model's canonical document, by id. */
GHashTable    *mp_test_client_documents  (MpTestClient  *client);

/* A server with the users maija, ville and aino of MP_TEST_ORG, started
 * with one more option (and its value) when @option is not %NULL. */
MpTestServer  *mp_test_sync_server_new   (const char    *option,
                                          const char    *value);
/* Stops the server and starts it again on the same port, so that the
 * clients' platform address stays the same. */
void           mp_test_sync_server_restart (MpTestServer *server);
/* The server's root URL (without /api/v1). */
char          *mp_test_sync_server_root  (MpTestServer  *server);
char          *mp_test_sync_server_token (MpTestServer  *server,
                                          const char    *user);
/* Every model @token may see, as canonical documents by id (the feed
 * from 0). */
GHashTable    *mp_test_sync_server_documents (MpTestServer *server,
                                              const char   *token);
/* The platform's canonical document of @id, or NULL on 404. */
char          *mp_test_sync_server_document  (MpTestServer *server,
                                              const char   *token,
                                              const char   *id);
gint64         mp_test_sync_server_revision  (MpTestServer *server,
                                              const char   *token,
                                              const char   *id);

/* A platform document (a JSON object) in the client's canonical form. */
char          *mp_test_canonical_document    (JsonObject   *document);
void           mp_test_remove_tree           (const char   *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpTestClient, mp_test_client_free)

G_END_DECLS
