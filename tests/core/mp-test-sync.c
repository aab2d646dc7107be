/* mp-test-sync.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mp-model-json.h"
#include "mp-test-sync.h"

/* private helpers */

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
sign_in (MpSync     *sync,
         const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  mp_sync_sign_in_async (sync, user, MP_TEST_PASSWORD, NULL, on_done, &result);
  token = mp_sync_sign_in_finish (sync, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* public API */

void
mp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        mp_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
mp_test_client_open (MpTestClient *client)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (client->store);
  client->store = mp_store_open (client->path, &error);
  g_assert_no_error (error);
  client->sync = mp_sync_new (client->store, client->url);
  mp_sync_set_timeout (client->sync, 10);
  mp_sync_set_token (client->sync, client->token);
}

/* A run returns only once its workers stopped, failed or not: nothing
 * else holds the sync (nor, then, the store) when it returned. */
void
mp_test_client_close (MpTestClient *client)
{
  if (client->sync != NULL)
    g_assert_finalize_object (g_steal_pointer (&client->sync));
  if (client->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&client->store));
}

MpTestClient *
mp_test_client_new (const char *url,
                    const char *user)
{
  g_autoptr(GError) error = NULL;
  MpTestClient *client = g_new0 (MpTestClient, 1);

  client->dir = g_dir_make_tmp ("mallipaja-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  client->path = g_build_filename (client->dir, "bank.sqlite", NULL);
  client->url = g_strdup (url);
  mp_test_client_open (client);

  if (user != NULL)
    {
      client->token = sign_in (client->sync, user);
      mp_sync_set_token (client->sync, client->token);
    }
  return client;
}

void
mp_test_client_free (MpTestClient *client)
{
  mp_test_client_close (client);
  mp_test_remove_tree (client->dir);
  g_free (client->dir);
  g_free (client->path);
  g_free (client->url);
  g_free (client->token);
  g_free (client);
}

MpSyncSummary *
mp_test_client_sync (MpTestClient  *client,
                     GError       **error)
{
  return mp_test_client_sync_cancellable (client, NULL, error);
}

MpSyncSummary *
mp_test_client_sync_cancellable (MpTestClient  *client,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mp_sync_run_async (client->sync, cancellable, on_done, &result);
  return mp_sync_run_finish (client->sync, wait_for (&result), error);
}

MpSyncSummary *
mp_test_client_sync_ok (MpTestClient *client)
{
  g_autoptr(GError) error = NULL;
  MpSyncSummary *summary = mp_test_client_sync (client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

MpModel *
mp_test_client_create (MpTestClient *client,
                       const char   *title,
                       MpVisibility  visibility)
{
  g_autoptr(GError) error = NULL;
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, MP_TEST_ORG);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alku");
  mp_model_set_visibility (model, visibility);
  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
  return model;
}

void
mp_test_client_edit (MpTestClient *client,
                     const char   *id,
                     MpText        text,
                     const char   *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  mp_model_set_text (model, text, value);
  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
}

char *
mp_test_client_text (MpTestClient *client,
                     const char   *id,
                     MpText        text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  return g_strdup (mp_model_get_text (model, text));
}

char *
mp_test_client_document (MpTestClient *client,
                         const char   *id)
{
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean live;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT 1 FROM models WHERE id = ?1 AND deleted = 0", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  live = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  if (!live)
    return NULL;
  model = mp_store_load_model (client->store, id, &error);
  g_assert_no_error (error);
  return mp_model_to_json_string (model, FALSE);
}

GPtrArray *
mp_test_client_outbox (MpTestClient *client)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT id, model_id, base_revision, idempotency_key, fields"
                                       " FROM outbox ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%" G_GINT64_FORMAT "|%s|%s",
                                             (gint64) sqlite3_column_int64 (stmt, 0),
                                             (const char *) sqlite3_column_text (stmt, 1),
                                             (gint64) sqlite3_column_int64 (stmt, 2),
                                             (const char *) sqlite3_column_text (stmt, 3),
                                             (const char *) sqlite3_column_text (stmt, 4)));
  sqlite3_finalize (stmt);
  return lines;
}

GHashTable *
mp_test_client_documents (MpTestClient *client)
{
  GHashTable *documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT id FROM models WHERE deleted = 0", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      g_hash_table_insert (documents, g_strdup (id), mp_test_client_document (client, id));
    }
  sqlite3_finalize (stmt);
  return documents;
}

MpTestServer *
mp_test_sync_server_new (const char *option,
                         const char *value)
{
  MpTestServer *server = mp_test_server_new (option, value, NULL);

  mp_test_server_add_user (server, "maija", MP_TEST_ORG, MP_TEST_PASSWORD);
  mp_test_server_add_user (server, "ville", MP_TEST_ORG, MP_TEST_PASSWORD);
  mp_test_server_add_user (server, "aino", MP_TEST_ORG, MP_TEST_PASSWORD);
  return server;
}

void
mp_test_sync_server_restart (MpTestServer *server)
{
  if (!g_strv_contains ((const char * const *) server->extra_args, "--listen"))
    {
      g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
      const char *port = strrchr (server->base, ':') + 1;
      g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", (guint) g_ascii_strtoull (port, NULL, 10));

      /* The last --listen wins over the helper's "127.0.0.1:0". */
      g_strv_builder_addv (args, (const char **) server->extra_args);
      g_strv_builder_add (args, "--listen");
      g_strv_builder_add (args, listen);
      g_strfreev (server->extra_args);
      server->extra_args = g_strv_builder_end (args);
    }
  mp_test_server_stop (server);
  mp_test_server_start (server);
}

char *
mp_test_sync_server_root (MpTestServer *server)
{
  return g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));
}

char *
mp_test_sync_server_token (MpTestServer *server,
                           const char   *user)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return mp_test_server_login (server, session, user, MP_TEST_PASSWORD);
}

char *
mp_test_canonical_document (JsonObject *document)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), document);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_model_from_json (node, &error);

  g_assert_no_error (error);
  return mp_model_to_json_string (model, FALSE);
}

GHashTable *
mp_test_sync_server_documents (MpTestServer *server,
                               const char   *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) changes = mp_test_server_feed (server, session, token, 0, 1000, NULL);
  GHashTable *documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (changes, i);

      /* A full feed (since=0) needs no tombstones: it lists what is. */
      if (json_object_get_boolean_member_with_default (change, "tombstone", FALSE))
        continue;
      g_hash_table_insert (documents, g_strdup (json_object_get_string_member (change, "id")),
                           mp_test_canonical_document (json_object_get_object_member (change, "document")));
    }
  return documents;
}

char *
mp_test_sync_server_document (MpTestServer *server,
                              const char   *token,
                              const char   *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "GET", path, token, NULL);

  if (response->status == 404)
    return NULL;
  g_assert_cmpuint (response->status, ==, 200);
  return mp_test_canonical_document (mp_test_response_object (response));
}

gint64
mp_test_sync_server_revision (MpTestServer *server,
                              const char   *token,
                              const char   *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return mp_test_server_revision (server, session, token, id);
}
