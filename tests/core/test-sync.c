/* test-sync.c — the sync against the real platform server, real SQLite
 * files, and a proxy and a fake platform for fault injection
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sqlite3.h>
#include <string.h>

#include "mp-error.h"
#include "mp-model-json.h"
#include "mp-store.h"
#include "mp-sync-credentials.h"
#include "mp-sync.h"
#include "mp-test-server.h"

#define ORG "Testilan yhdistys"
#define PASSWORD "salasana-123"

/* A client: its own bank file and sync object. */
typedef struct {
  char    *dir;
  MpStore *store;
  MpSync  *sync;
} Client;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
client_free (Client *client)
{
  g_clear_object (&client->sync);
  g_clear_object (&client->store);
  remove_tree (client->dir);
  g_free (client->dir);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

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

  mp_sync_sign_in_async (sync, user, PASSWORD, NULL, on_done, &result);
  token = mp_sync_sign_in_finish (sync, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static Client *
client_new (const char *url,
            const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Client *client = g_new0 (Client, 1);

  client->dir = g_dir_make_tmp ("mallipaja-sync-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (client->dir, "bank.sqlite", NULL);
  client->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  client->sync = mp_sync_new (client->store, url);
  mp_sync_set_timeout (client->sync, 10);

  if (user != NULL)
    {
      g_autofree char *token = sign_in (client->sync, user);

      mp_sync_set_token (client->sync, token);
    }
  return client;
}

static MpSyncSummary *
client_sync (Client  *client,
             GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mp_sync_run_async (client->sync, NULL, on_done, &result);
  return mp_sync_run_finish (client->sync, wait_for (&result), error);
}

static MpSyncSummary *
client_sync_ok (Client *client)
{
  g_autoptr(GError) error = NULL;
  MpSyncSummary *summary = client_sync (client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static char *
root_url (MpTestServer *server)
{
  return g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));
}

static MpTestServer *
new_server (const char *extra_arg,
            const char *extra_value)
{
  MpTestServer *server = mp_test_server_new (extra_arg, extra_value, NULL);

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  return server;
}

/* Later starts listen on the port of the first, so that a client's
 * platform address stays the same across restarts. */
static void
restart_same_port (MpTestServer *server,
                   gboolean      keep_down)
{
  const char *port = strrchr (server->base, ':') + 1;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", (guint) g_ascii_strtoull (port, NULL, 10));
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();

  g_strv_builder_addv (args, (const char **) server->extra_args);
  if (!g_strv_contains ((const char * const *) server->extra_args, "--listen"))
    {
      g_strv_builder_add (args, "--listen");
      g_strv_builder_add (args, listen);
      g_strfreev (server->extra_args);
      server->extra_args = g_strv_builder_end (args);
    }
  mp_test_server_stop (server);
  if (!keep_down)
    mp_test_server_start (server);
}

static MpModel *
save_new_model (Client     *client,
                const char *title,
                MpVisibility visibility)
{
  g_autoptr(GError) error = NULL;
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, ORG);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alku");
  mp_model_set_visibility (model, visibility);
  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
  return model;
}

static void
edit_text (Client     *client,
           const char *id,
           MpText      text,
           const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  mp_model_set_text (model, text, value);
  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
}

static char *
local_text (Client     *client,
            const char *id,
            MpText      text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  return g_strdup (mp_model_get_text (model, text));
}

static JsonObject *
server_document (MpTestServer *server,
                 const char   *token,
                 const char   *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "GET", path, token, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (mp_test_response_object (response));
}

static gint64
server_revision (MpTestServer *server,
                 const char   *token,
                 const char   *id)
{
  g_autoptr(JsonObject) document = server_document (server, token, id);

  return json_object_get_int_member (document, "revision");
}

static char *
server_token (MpTestServer *server,
              const char   *user)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return mp_test_server_login (server, session, user, PASSWORD);
}

/* The feed's entries for @id from the beginning: a change applied twice
 * on the platform would show as a second revision. */
static guint
server_changes_of (MpTestServer *server,
                   const char   *token,
                   const char   *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) changes = mp_test_server_feed (server, session, token, 0, 1000, NULL);
  guint count = 0;

  for (guint i = 0; i < changes->len; i++)
    if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (changes, i), "id"), id) == 0)
      count++;
  return count;
}

static void
assert_same_documents (Client     *a,
                       Client     *b,
                       const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model_a = mp_store_load_model (a->store, id, &error);
  g_autoptr(MpModel) model_b = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  g_assert_no_error (error);
  model_b = mp_store_load_model (b->store, id, &error);
  g_assert_no_error (error);
  text_a = mp_model_to_json_string (model_a, FALSE);
  text_b = mp_model_to_json_string (model_b, FALSE);
  g_assert_cmpstr (text_a, ==, text_b);
}

/* A raw HTTP endpoint on 127.0.0.1 for fault injection: either a proxy to
 * the platform that can drop or cut answers and stop the server, or a fake
 * platform that answers with canned bytes. One request per connection. */
typedef struct {
  GSocketService *service;
  guint16         port;
  GMutex          lock;
  /* proxy */
  guint16         upstream;
  char           *match;         /* request line prefix that faults apply to */
  guint           n_matched;
  guint           cut_nth;       /* cut the answer to this matching request… */
  gboolean        cut_all;       /* …or to every matching request… */
  gssize          cut_bytes;     /* …after this many bytes (0: drop it) */
  guint           kill_nth;      /* stop the server at this matching request */
  MpTestServer   *server;
  /* fake */
  GPtrArray      *canned;        /* answers in turn; the last one repeats */
  guint           n_requests;
  char           *last_request;
} Fault;

static char *
read_request (GInputStream *in)
{
  g_autoptr(GString) request = g_string_new (NULL);
  char buffer[4096];
  gssize n;
  const char *end;
  gsize body_length = 0;

  while ((end = strstr (request->str, "\r\n\r\n")) == NULL)
    {
      if ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) <= 0)
        return NULL;
      g_string_append_len (request, buffer, n);
    }

  {
    g_autofree char *lower = g_ascii_strdown (request->str, end - request->str);
    const char *length = strstr (lower, "\r\ncontent-length:");

    if (length != NULL)
      body_length = g_ascii_strtoull (length + strlen ("\r\ncontent-length:"), NULL, 10);
  }

  while (request->len < (gsize) (end - request->str) + 4 + body_length)
    {
      gsize header_end = end - request->str;

      if ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) <= 0)
        return NULL;
      g_string_append_len (request, buffer, n);
      end = request->str + header_end;
    }

  return g_string_free (g_steal_pointer (&request), FALSE);
}

/* Makes both sides close after one exchange, so that every request is a
 * connection of its own that the proxy can cut. */
static char *
with_connection_close (const char *message,
                       gsize       length,
                       gsize      *new_length)
{
  const char *line_end = strstr (message, "\r\n");
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *end = strstr (message, "\r\n\r\n");
  g_autofree char *head = g_strndup (line_end + 2, end - line_end - 2);

  g_string_append_len (out, message, line_end - message + 2);
  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "connection:", 11) != 0 && lines[i][0] != '\0')
      g_string_append_printf (out, "%s\r\n", lines[i]);
  g_string_append (out, "Connection: close\r\n\r\n");
  g_string_append_len (out, end + 4, length - (end + 4 - message));
  *new_length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
on_fault_run (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source,
              gpointer                user_data)
{
  Fault *fault = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *request = read_request (in);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  gboolean matched = FALSE;
  guint nth = 0;
  gssize limit = -1;

  if (request == NULL)
    return TRUE;

  g_mutex_lock (&fault->lock);
  fault->n_requests++;
  g_free (fault->last_request);
  fault->last_request = g_strdup (request);
  if (fault->match != NULL && g_str_has_prefix (request, fault->match))
    {
      matched = TRUE;
      nth = ++fault->n_matched;
    }
  if (fault->canned != NULL)
    {
      const char *canned = g_ptr_array_index (fault->canned, 0);

      g_byte_array_append (answer, (const guint8 *) canned, strlen (canned));
      if (fault->canned->len > 1)
        g_ptr_array_remove_index (fault->canned, 0);
    }
  g_mutex_unlock (&fault->lock);

  if (fault->canned == NULL)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) upstream = NULL;
      g_autofree char *forward = NULL;
      gsize forward_length;
      char buffer[16384];
      gssize n;

      if (matched && nth == fault->kill_nth)
        mp_test_server_stop (fault->server);

      upstream = g_socket_client_connect_to_host (client, "127.0.0.1", fault->upstream, NULL, NULL);
      if (upstream == NULL)
        return TRUE;   /* the client sees the connection close */
      forward = with_connection_close (request, strlen (request), &forward_length);
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                                      forward, forward_length, NULL, NULL, NULL))
        return TRUE;
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (upstream)),
                                       buffer, sizeof buffer, NULL, NULL)) > 0)
        g_byte_array_append (answer, (const guint8 *) buffer, n);
      if (answer->len == 0)
        return TRUE;

      {
        gsize length;
        char *rewritten = with_connection_close ((const char *) answer->data, answer->len, &length);

        g_byte_array_set_size (answer, 0);
        g_byte_array_append (answer, (const guint8 *) rewritten, length);
        g_free (rewritten);
      }
    }

  if (matched && (nth == fault->cut_nth || fault->cut_all))
    limit = MIN (fault->cut_bytes, (gssize) answer->len);

  g_output_stream_write_all (out, answer->data, limit >= 0 ? (gsize) limit : answer->len, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  return TRUE;
}

static Fault *
fault_new (void)
{
  g_autoptr(GError) error = NULL;
  Fault *fault = g_new0 (Fault, 1);

  g_mutex_init (&fault->lock);
  fault->service = g_threaded_socket_service_new (4);
  fault->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (fault->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fault->service, "run", G_CALLBACK (on_fault_run), fault);
  g_socket_service_start (fault->service);
  return fault;
}

static Fault *
fault_proxy_new (MpTestServer *server)
{
  Fault *fault = fault_new ();
  const char *port = strrchr (server->base, ':') + 1;

  fault->server = server;
  fault->upstream = (guint16) g_ascii_strtoull (port, NULL, 10);
  return fault;
}

static Fault *
fault_fake_new (const char *first_answer,
                ...)
{
  Fault *fault = fault_new ();
  va_list ap;

  fault->canned = g_ptr_array_new_with_free_func (g_free);
  va_start (ap, first_answer);
  for (const char *answer = first_answer; answer != NULL; answer = va_arg (ap, const char *))
    g_ptr_array_add (fault->canned, g_strdup (answer));
  va_end (ap);
  return fault;
}

static char *
fault_url (Fault *fault)
{
  return g_strdup_printf ("http://127.0.0.1:%u/", fault->port);
}

static void
fault_free (Fault *fault)
{
  g_socket_service_stop (fault->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fault->service));
  g_clear_object (&fault->service);
  g_clear_pointer (&fault->canned, g_ptr_array_unref);
  g_free (fault->match);
  g_free (fault->last_request);
  g_mutex_clear (&fault->lock);
  g_free (fault);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fault, fault_free)

static char *
http_answer (const char *status_line,
             const char *extra_headers,
             const char *body)
{
  return g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s"
                          "Connection: close\r\n\r\n%s",
                          status_line, strlen (body), extra_headers, body);
}

/* tests: pull */

static void
test_pull_public_paged (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = server_token (server, "maija");
  g_autofree char *url = root_url (server);
  g_autoptr(Client) client = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autoptr(MpSyncSummary) again = NULL;
  g_autofree char *hidden = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Julkinen %u", i);
      g_autofree char *id = mp_test_server_create (server, session, token, title, ORG, "public");
    }
  hidden = mp_test_server_create (server, session, token, "Sisäinen", ORG, "organisation");

  /* Anonymous: the public bank only, three pages of two. */
  client = client_new (url, NULL);
  mp_sync_set_page_size (client->sync, 2);
  summary = client_sync_ok (client);
  g_assert_cmpuint (summary->pulled, ==, 5);
  g_assert_cmpuint (summary->pushed, ==, 0);
  g_assert_cmpuint (mp_store_count (client->store), ==, 5);
  g_assert_cmpuint (mp_sync_get_models_done (client->sync), ==, 5);
  g_assert_null (mp_store_get_summary_by_id (client->store, hidden));
  g_assert_cmpint (mp_sync_get_status (client->sync), ==, MP_SYNC_STATUS_IDLE);
  g_assert_cmpint (mp_sync_store_get_since (client->store), ==, 5);
  g_assert_cmpint (mp_sync_store_get_last_sync (client->store), >, 0);

  /* Nothing new: nothing applied. */
  again = client_sync_ok (client);
  g_assert_cmpuint (again->pulled, ==, 0);
}

typedef struct {
  guint     first_total;   /* models-total when first told */
  guint     about_to_pull;
  guint     changed;       /* "model-changed" and "bank-changed" */
  gboolean  off_thread;    /* a signal came on another thread */
  GThread  *main_thread;
} Progress;

static void
on_total (MpSync     *sync,
          GParamSpec *pspec,
          Progress   *progress)
{
  if (progress->first_total == 0)
    progress->first_total = mp_sync_get_models_total (sync);
}

static void
on_about_to_pull (MpSync   *sync,
                  Progress *progress)
{
  progress->about_to_pull++;
}

static void
on_store_changed (Progress *progress)
{
  progress->changed++;
  progress->off_thread |= g_thread_self () != progress->main_thread;
}

/* The platform says how many entries follow each page: the total is known
 * from the first page on. Pages are applied on a worker thread; the store
 * that the views watch is told on the main thread. */
static void
test_pull_progress (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = server_token (server, "maija");
  g_autofree char *url = root_url (server);
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) large = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  Progress progress = { .main_thread = g_thread_self () };
  guint remaining = 0;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *title = g_strdup_printf ("Julkinen %u", i);
      g_autofree char *id = mp_test_server_create (server, session, token, title, ORG, "public");
    }

  client = client_new (url, NULL);
  mp_sync_set_page_size (client->sync, 7);
  g_signal_connect (client->sync, "notify::models-total", G_CALLBACK (on_total), &progress);
  g_signal_connect (client->sync, "about-to-pull", G_CALLBACK (on_about_to_pull), &progress);
  g_signal_connect_swapped (client->store, "model-changed", G_CALLBACK (on_store_changed), &progress);
  g_signal_connect_swapped (client->store, "bank-changed", G_CALLBACK (on_store_changed), &progress);
  summary = client_sync_ok (client);
  g_assert_cmpuint (summary->pulled, ==, 40);
  g_assert_cmpuint (progress.first_total, ==, 40);
  g_assert_cmpuint (mp_sync_get_models_total (client->sync), ==, 40);
  g_assert_cmpuint (mp_sync_get_models_done (client->sync), ==, 40);
  /* Once before each of the six pages. */
  g_assert_cmpuint (progress.about_to_pull, ==, 6);
  g_assert_cmpuint (progress.changed, ==, 40);
  g_assert_false (progress.off_thread);
  /* Small pages are indexed as they are written. */
  g_assert_cmpuint (mp_store_count_index_backlog (client->store), ==, 0);

  /* A large page leaves its models to the index backlog. */
  large = client_new (url, NULL);
  mp_sync_set_page_size (large->sync, 100);
  g_clear_pointer (&summary, mp_sync_summary_free);
  summary = client_sync_ok (large);
  g_assert_cmpuint (summary->pulled, ==, 40);
  g_assert_cmpuint (mp_store_count_index_backlog (large->store), ==, 40);
  g_assert_true (mp_store_index_backlog_step (large->store, 100, &remaining, NULL));
  g_assert_cmpuint (remaining, ==, 0);
  {
    g_autoptr(MpQuery) query = mp_query_new ();
    g_autoptr(GArray) found = NULL;

    query->text = g_strdup ("Julkinen");
    found = mp_store_query (large->store, query, NULL);
    g_assert_nonnull (found);
    g_assert_cmpuint (found->len, ==, 40);
  }
}

/* tests: push */

static void
test_push_create_edit (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) client = client_new (url, "maija");
  g_autoptr(MpModel) model = save_new_model (client, "Uusi malli", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) secret = save_new_model (client, "Yksityinen", MP_VISIBILITY_PRIVATE);
  const char *id = mp_model_get_id (model);
  g_autoptr(MpSyncSummary) first = NULL;
  g_autoptr(MpSyncSummary) second = NULL;
  g_autoptr(MpSyncSummary) third = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *path = g_strconcat ("/models/", mp_model_get_id (secret), NULL);
  g_autoptr(MpTestResponse) missing = NULL;

  /* Queued with the save; the private one never. */
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, id, NULL), ==, 1);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, mp_model_get_id (secret), NULL), ==, 0);
  g_assert_cmpint (mp_sync_store_get_state (client->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  g_assert_cmpint (mp_sync_store_get_state (client->store, mp_model_get_id (secret), NULL), ==,
                   MP_SYNC_STATE_LOCAL);

  /* Several saves offline: still one edit to send. */
  edit_text (client, id, MP_TEXT_SUMMARY, "Tiivistelmä 1");
  edit_text (client, id, MP_TEXT_PLACE, "Oulu");
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 1);

  first = client_sync_ok (client);
  g_assert_cmpuint (first->pushed, ==, 1);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 0);
  g_assert_cmpint (mp_sync_store_get_state (client->store, id, NULL), ==, MP_SYNC_STATE_SYNCED);
  g_assert_cmpint (server_revision (server, token, id), ==, 1);

  missing = mp_test_server_request (server, session, "GET", path, token, NULL);
  g_assert_cmpuint (missing->status, ==, 404);

  /* An edit goes as its changed fields, based on revision 1. */
  edit_text (client, id, MP_TEXT_CORE, "Ydin");
  g_assert_cmpint (mp_sync_store_get_state (client->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  second = client_sync_ok (client);
  g_assert_cmpuint (second->pushed, ==, 1);
  {
    g_autoptr(JsonObject) document = server_document (server, token, id);

    g_assert_cmpint (json_object_get_int_member (document, "revision"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (document, "core"), ==, "Ydin");
    g_assert_cmpstr (json_object_get_string_member (document, "place"), ==, "Oulu");
  }
  {
    g_autoptr(MpModel) local = mp_store_load_model (client->store, id, NULL);

    g_assert_cmpint (mp_model_get_revision (local), ==, 2);
  }

  /* Our own changes come back in the feed: not applied again. */
  third = client_sync_ok (client);
  g_assert_cmpuint (third->pulled, ==, 0);
  g_assert_cmpuint (third->pushed, ==, 0);
}

/* tests: merge and conflicts */

static void
test_merge_different_fields (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) a = client_new (url, "maija");
  g_autoptr(Client) b = client_new (url, "ville");
  g_autoptr(MpModel) model = save_new_model (a, "Yhteinen", MP_VISIBILITY_ORGANISATION);
  const char *id = mp_model_get_id (model);
  g_autoptr(MpSyncSummary) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL, s5 = NULL;
  g_autofree char *b_summary = NULL;
  g_autofree char *b_core = NULL;

  s1 = client_sync_ok (a);
  s2 = client_sync_ok (b);
  g_assert_cmpuint (s2->pulled, ==, 1);

  /* Offline on both sides, different fields. */
  edit_text (a, id, MP_TEXT_SUMMARY, "Aino muutti tiivistelmää");
  edit_text (b, id, MP_TEXT_CORE, "Ville kirjoitti ytimen");

  s3 = client_sync_ok (a);
  g_assert_cmpuint (s3->pushed, ==, 1);
  s4 = client_sync_ok (b);
  g_assert_cmpuint (s4->pulled, ==, 1);
  g_assert_cmpuint (s4->pushed, ==, 1);
  g_assert_cmpuint (s4->conflicts, ==, 0);
  g_assert_cmpuint (s4->merged, >=, 1);
  b_summary = local_text (b, id, MP_TEXT_SUMMARY);
  b_core = local_text (b, id, MP_TEXT_CORE);
  g_assert_cmpstr (b_summary, ==, "Aino muutti tiivistelmää");
  g_assert_cmpstr (b_core, ==, "Ville kirjoitti ytimen");

  s5 = client_sync_ok (a);
  g_assert_cmpuint (s5->pulled, ==, 1);
  assert_same_documents (a, b, id);
  g_assert_cmpint (server_revision (server, token, id), ==, 3);
  g_assert_cmpint (mp_sync_store_get_state (a->store, id, NULL), ==, MP_SYNC_STATE_SYNCED);
  g_assert_cmpint (mp_sync_store_get_state (b->store, id, NULL), ==, MP_SYNC_STATE_SYNCED);
}

static void
test_conflict_same_field (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) a = client_new (url, "maija");
  g_autoptr(Client) b = client_new (url, "ville");
  g_autoptr(MpModel) model = save_new_model (a, "Kiistelty", MP_VISIBILITY_ORGANISATION);
  const char *id = mp_model_get_id (model);
  g_autoptr(MpSyncSummary) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL, s5 = NULL, s6 = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *a_text = NULL;
  JsonObject *record;

  s1 = client_sync_ok (a);
  s2 = client_sync_ok (b);

  edit_text (a, id, MP_TEXT_BASIC_IDEA, "Ajatus A:n mukaan");
  edit_text (b, id, MP_TEXT_BASIC_IDEA, "Ajatus B:n mukaan");
  edit_text (b, id, MP_TEXT_LESSONS, "B:n opit");

  s3 = client_sync_ok (a);
  g_assert_cmpuint (s3->pushed, ==, 1);
  s4 = client_sync_ok (b);
  g_assert_cmpuint (s4->conflicts, ==, 1);
  g_assert_cmpuint (s4->pushed, ==, 0);
  g_assert_cmpint (mp_sync_store_get_state (b->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);

  /* The local text is never overwritten silently; both are in the record. */
  kept = local_text (b, id, MP_TEXT_BASIC_IDEA);
  g_assert_cmpstr (kept, ==, "Ajatus B:n mukaan");
  conflicts = mp_sync_store_get_conflicts (b->store, id);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  record = json_array_get_object_element (json_node_get_array (conflicts), 0);
  g_assert_cmpstr (json_object_get_string_member (record, "field"), ==, "basic_idea");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Ajatus A:n mukaan");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Ajatus B:n mukaan");
  g_assert_cmpstr (json_object_get_string_member (record, "base"), ==, "");
  g_assert_cmpint (server_revision (server, token, id), ==, 2);

  /* A merged text only for the conflicting field. */
  g_assert_false (mp_sync_resolve_field (b->sync, id, "lessons", MP_RESOLVE_MINE, NULL, &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mp_sync_resolve_field (b->sync, id, "basic_idea", MP_RESOLVE_MERGED,
                                        "Ajatus A:n ja B:n mukaan", &error));
  g_assert_no_error (error);
  g_assert_null (mp_sync_store_get_conflicts (b->store, id));
  g_assert_cmpuint (mp_sync_store_count_outbox (b->store, id, NULL), ==, 1);

  /* Resolution pushes once: one new revision holding both of B's edits. */
  s5 = client_sync_ok (b);
  g_assert_cmpuint (s5->pushed, ==, 1);
  g_assert_cmpint (server_revision (server, token, id), ==, 3);
  g_assert_cmpuint (server_changes_of (server, token, id), ==, 1);

  s6 = client_sync_ok (a);
  a_text = local_text (a, id, MP_TEXT_BASIC_IDEA);
  g_assert_cmpstr (a_text, ==, "Ajatus A:n ja B:n mukaan");
  assert_same_documents (a, b, id);
}

static void
test_conflict_on_push (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) a = client_new (url, "maija");
  g_autoptr(MpModel) model = save_new_model (a, "Kilpajuoksu", MP_VISIBILITY_ORGANISATION);
  const char *id = mp_model_get_id (model);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpTestResponse) other = NULL;
  g_autoptr(MpSyncSummary) s1 = NULL, s2 = NULL, s3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *theirs = NULL;

  s1 = client_sync_ok (a);

  /* Someone else changes the field on the platform after our last pull;
   * the pull and the push of the same run race it: simulate by pushing
   * through the outbox alone (the proxy is not needed: pull first sees
   * nothing, the edit is made meanwhile). */
  edit_text (a, id, MP_TEXT_NEEDS, "Minun tarpeeni");
  other = mp_test_server_push (server, session, token, id,
                               "{\"base_revision\": 1, \"fields\": {\"needs\": \"Heidän tarpeensa\"}}", NULL);
  g_assert_cmpuint (other->status, ==, 200);

  s2 = client_sync_ok (a);
  g_assert_cmpuint (s2->conflicts, ==, 1);
  kept = local_text (a, id, MP_TEXT_NEEDS);
  g_assert_cmpstr (kept, ==, "Minun tarpeeni");

  g_assert_true (mp_sync_resolve_field (a->sync, id, "needs", MP_RESOLVE_THEIRS, NULL, &error));
  g_assert_no_error (error);
  theirs = local_text (a, id, MP_TEXT_NEEDS);
  g_assert_cmpstr (theirs, ==, "Heidän tarpeensa");
  /* Taking theirs leaves nothing to send. */
  g_assert_cmpuint (mp_sync_store_count_outbox (a->store, id, NULL), ==, 0);
  s3 = client_sync_ok (a);
  g_assert_cmpuint (s3->pushed, ==, 0);
  g_assert_cmpint (server_revision (server, token, id), ==, 2);
}

/* tests: removal */

static void
test_tombstone (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) a = client_new (url, "maija");
  g_autoptr(Client) b = client_new (url, "ville");
  g_autoptr(MpModel) gone = save_new_model (a, "Poistuva", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) edited = save_new_model (a, "Muokattu", MP_VISIBILITY_ORGANISATION);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpSyncSummary) s1 = NULL, s2 = NULL, s3 = NULL;
  gboolean remote_gone = FALSE;

  s1 = client_sync_ok (a);
  s2 = client_sync_ok (b);
  g_assert_cmpuint (mp_store_count (b->store), ==, 2);

  edit_text (b, mp_model_get_id (edited), MP_TEXT_LESSONS, "Keskeneräinen ajatus");
  for (guint i = 0; i < 2; i++)
    {
      const char *id = mp_model_get_id (i == 0 ? gone : edited);
      g_autofree char *path = g_strconcat ("/models/", id, NULL);
      g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "DELETE", path, token, NULL);

      g_assert_cmpuint (response->status, ==, 200);
    }

  s3 = client_sync (b, NULL);
  g_clear_pointer (&s3, mp_sync_summary_free);
  g_assert_null (mp_store_get_summary_by_id (b->store, mp_model_get_id (gone)));
  /* Unsynced local edits are kept and flagged. */
  g_assert_nonnull (mp_store_get_summary_by_id (b->store, mp_model_get_id (edited)));
  mp_sync_store_get_state (b->store, mp_model_get_id (edited), &remote_gone);
  g_assert_true (remote_gone);
}

/* tests: fault injection against the real server */

static void
test_fault_lost_reply (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autoptr(Fault) proxy = fault_proxy_new (server);
  g_autofree char *url = fault_url (proxy);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) client = client_new (url, "maija");
  g_autoptr(MpModel) model = save_new_model (client, "Kadonnut vastaus", MP_VISIBILITY_ORGANISATION);
  const char *id = mp_model_get_id (model);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) retried = NULL;
  g_autoptr(MpSyncSummary) failed = NULL;
  g_autoptr(MpSyncSummary) later = NULL;

  /* The platform commits the batch, its answer never arrives; the retry
   * within the run carries the same key and gets the stored answer. */
  proxy->match = g_strdup ("POST /api/v1/models:batch");
  proxy->cut_nth = 1;
  proxy->cut_bytes = 0;
  retried = client_sync_ok (client);
  g_assert_cmpuint (retried->pushed, ==, 1);
  g_assert_cmpuint (proxy->n_matched, ==, 2);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, id, NULL), ==, 0);
  g_assert_cmpint (server_revision (server, token, id), ==, 1);

  /* Every answer of a run lost: the run fails, the edit stays queued,
   * and the next run's retry applies nothing twice. */
  edit_text (client, id, MP_TEXT_SUMMARY, "Vain kerran");
  proxy->cut_all = TRUE;
  failed = client_sync (client, &error);
  g_assert_null (failed);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (mp_sync_get_status (client->sync), ==, MP_SYNC_STATUS_FAILED);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, id, NULL), ==, 1);
  g_assert_cmpint (server_revision (server, token, id), ==, 2);

  proxy->cut_all = FALSE;
  later = client_sync_ok (client);
  g_assert_cmpuint (later->pushed, ==, 1);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, id, NULL), ==, 0);
  g_assert_cmpint (server_revision (server, token, id), ==, 2);
  g_assert_cmpuint (server_changes_of (server, token, id), ==, 1);
  {
    g_autoptr(MpModel) local = mp_store_load_model (client->store, id, NULL);

    g_assert_cmpint (mp_model_get_revision (local), ==, 2);
  }
}

static guint
count_feed (MpTestServer *server,
            const char   *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) changes = mp_test_server_feed (server, session, token, 0, 1000, NULL);

  return changes->len;
}

static void
create_models (MpTestServer *server,
               const char   *token,
               guint         n)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Malli %u", i);
      g_autofree char *id = mp_test_server_create (server, session, token, title, ORG, "public");
    }
}

static void
test_fault_cut_mid_page (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autoptr(Fault) proxy = fault_proxy_new (server);
  g_autofree char *url = fault_url (proxy);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Client) client = client_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) failed = NULL;
  g_autoptr(MpSyncSummary) resumed = NULL;

  create_models (server, token, 7);

  /* The second page's answer ends after its headers and a few bytes, and
   * so does every retry of it in this run. */
  proxy->match = g_strdup ("GET /api/v1/changes?since=3");
  proxy->cut_all = TRUE;
  proxy->cut_bytes = 200;
  mp_sync_set_page_size (client->sync, 3);
  failed = client_sync (client, &error);
  g_assert_null (failed);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_clear_error (&error);
  /* The first page and its checkpoint stayed; nothing of the second. */
  g_assert_cmpint (mp_sync_store_get_since (client->store), ==, 3);
  g_assert_cmpuint (mp_store_count (client->store), ==, 3);

  proxy->cut_all = FALSE;
  resumed = client_sync_ok (client);
  g_assert_cmpuint (resumed->pulled, ==, 4);
  g_assert_cmpuint (mp_store_count (client->store), ==, count_feed (server, NULL));
  g_assert_cmpint (mp_sync_store_get_since (client->store), ==, 7);
}

static void
test_fault_server_killed (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Fault) proxy = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) failed = NULL;
  g_autoptr(MpSyncSummary) resumed = NULL;
  g_autoptr(MpModel) model = NULL;
  gint64 since;

  create_models (server, token, 6);
  restart_same_port (server, FALSE);
  proxy = fault_proxy_new (server);
  url = fault_url (proxy);
  client = client_new (url, "maija");
  model = save_new_model (client, "Odottaa", MP_VISIBILITY_PUBLIC);

  /* The server dies as the third page is asked for. */
  proxy->match = g_strdup ("GET /api/v1/changes");
  proxy->kill_nth = 3;
  mp_sync_set_page_size (client->sync, 2);
  failed = client_sync (client, &error);
  g_assert_null (failed);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_clear_error (&error);
  since = mp_sync_store_get_since (client->store);
  g_assert_cmpint (since, ==, 4);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 1);

  mp_test_server_start (server);
  resumed = client_sync_ok (client);
  g_assert_cmpuint (resumed->pulled, ==, 2);
  g_assert_cmpuint (resumed->pushed, ==, 1);
  g_assert_cmpuint (mp_store_count (client->store), ==, 7);
  g_assert_cmpuint (count_feed (server, token), ==, 7);
  g_assert_cmpuint (server_changes_of (server, token, mp_model_get_id (model)), ==, 1);
}

static void
test_fault_killed_during_push (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *token = server_token (server, "maija");
  g_autoptr(Fault) proxy = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) failed = NULL;
  g_autoptr(MpSyncSummary) resumed = NULL;
  g_autoptr(MpModel) model = NULL;

  restart_same_port (server, FALSE);
  proxy = fault_proxy_new (server);
  url = fault_url (proxy);
  client = client_new (url, "maija");
  model = save_new_model (client, "Lähetys katkeaa", MP_VISIBILITY_PUBLIC);

  proxy->match = g_strdup ("POST /api/v1/models:batch");
  proxy->kill_nth = 1;
  failed = client_sync (client, &error);
  g_assert_null (failed);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 1);

  mp_test_server_start (server);
  resumed = client_sync_ok (client);
  g_assert_cmpuint (resumed->pushed, ==, 1);
  g_assert_cmpuint (server_changes_of (server, token, mp_model_get_id (model)), ==, 1);
}

static void
test_resync_required (void)
{
  /* Tombstones kept for no time: a restart prunes them all. */
  g_autoptr(MpTestServer) server = new_server ("--tombstone-retention", "0");
  g_autofree char *token = server_token (server, "maija");
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpSyncSummary) first = NULL;
  g_autoptr(MpSyncSummary) full = NULL;
  g_autofree char *kept_id = NULL;
  g_autofree char *gone_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MpTestResponse) deleted = NULL;
  g_autoptr(MpModel) draft = NULL;

  restart_same_port (server, FALSE);
  url = root_url (server);
  kept_id = mp_test_server_create (server, session, token, "Pysyy", ORG, "public");
  gone_id = mp_test_server_create (server, session, token, "Katoaa", ORG, "public");
  create_models (server, token, 2);
  client = client_new (url, "maija");
  first = client_sync_ok (client);
  g_assert_cmpuint (first->pulled, ==, 4);

  edit_text (client, kept_id, MP_TEXT_LESSONS, "Paikallinen muutos");
  draft = save_new_model (client, "Luonnos", MP_VISIBILITY_PRIVATE);
  path = g_strconcat ("/models/", gone_id, NULL);
  deleted = mp_test_server_request (server, session, "DELETE", path, token, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  create_models (server, token, 1);
  restart_same_port (server, FALSE);

  full = client_sync_ok (client);
  g_assert_cmpuint (full->pushed, ==, 1);
  /* The deletion was pruned from the feed, yet the full re-sync removed
   * the model; the local edit and the private draft stayed. */
  g_assert_null (mp_store_get_summary_by_id (client->store, gone_id));
  g_assert_nonnull (mp_store_get_summary_by_id (client->store, mp_model_get_id (draft)));
  g_assert_cmpuint (mp_store_count (client->store), ==, 5);
  {
    g_autoptr(JsonObject) document = server_document (server, token, kept_id);

    g_assert_cmpstr (json_object_get_string_member (document, "lessons"), ==, "Paikallinen muutos");
  }
}

static void
test_quarantine (void)
{
  g_autoptr(MpTestServer) server = new_server (NULL, NULL);
  g_autofree char *url = root_url (server);
  g_autoptr(Client) client = client_new (url, "maija");
  g_autoptr(MpModel) good = save_new_model (client, "Kelpaa", MP_VISIBILITY_PUBLIC);
  g_autoptr(MpModel) bad = mp_model_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint n_quarantined = 0;

  /* The platform refuses a model made for another organisation. */
  mp_model_set_text (bad, MP_TEXT_TITLE, "Väärä omistaja");
  mp_model_set_text (bad, MP_TEXT_ORGANISATION, "Joku muu");
  mp_model_set_visibility (bad, MP_VISIBILITY_PUBLIC);
  g_assert_true (mp_store_save_model (client->store, bad, &error));

  for (guint i = 0; i < MP_SYNC_MAX_REJECTIONS; i++)
    {
      g_autoptr(MpSyncSummary) summary = client_sync_ok (client);

      if (i == 0)
        g_assert_cmpuint (summary->pushed, ==, 1);
      g_assert_cmpuint (summary->quarantined, ==, i == MP_SYNC_MAX_REJECTIONS - 1 ? 1 : 0);
    }

  g_assert_cmpint (mp_sync_store_get_state (client->store, mp_model_get_id (good), NULL), ==,
                   MP_SYNC_STATE_SYNCED);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, &n_quarantined), ==, 1);
  g_assert_cmpuint (n_quarantined, ==, 1);
  reason = mp_sync_store_dup_quarantine (client->store, mp_model_get_id (bad));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "403"));

  /* Kept, not sent again; a later edit of another model still goes. */
  edit_text (client, mp_model_get_id (good), MP_TEXT_CORE, "Ydin");
  {
    g_autoptr(MpSyncSummary) summary = client_sync_ok (client);

    g_assert_cmpuint (summary->pushed, ==, 1);
  }
}

/* tests: a fake platform */

static const char *empty_feed = "{\"changes\":[],\"next_since\":0,\"more\":false}";

static void
test_fake_500 (void)
{
  g_autofree char *answer = http_answer ("500 Internal Server Error", "",
                                         "{\"error\":{\"code\":\"internal\",\"message\":\"Rikki\"}}");
  g_autoptr(Fault) fake = fault_fake_new (answer, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autofree char *last_error = NULL;

  summary = client_sync (client, &error);
  g_assert_null (summary);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "500"));
  /* Tried again, with backoff, a few times. */
  g_assert_cmpuint (fake->n_requests, ==, 3);
  last_error = mp_sync_store_dup_last_error (client->store);
  g_assert_cmpstr (last_error, ==, error->message);
  g_assert_cmpstr (mp_sync_get_last_error (client->sync), ==, error->message);
}

static void
test_fake_503_retry_after (void)
{
  g_autofree char *busy = http_answer ("503 Service Unavailable", "Retry-After: 1\r\n",
                                       "{\"error\":{\"code\":\"busy\",\"message\":\"Kiireinen\"}}");
  g_autofree char *ok = http_answer ("200 OK", "", empty_feed);
  g_autoptr(Fault) fake = fault_fake_new (busy, ok, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, NULL);
  g_autoptr(MpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  summary = client_sync_ok (client);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (fake->n_requests, ==, 2);
}

static void
test_fake_503_long_wait (void)
{
  g_autofree char *busy = http_answer ("503 Service Unavailable", "Retry-After: 3600\r\n", "{}");
  g_autoptr(Fault) fake = fault_fake_new (busy, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;

  /* Too long to wait within the run: it ends, telling how long to wait. */
  summary = client_sync (client, &error);
  g_assert_null (summary);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_assert_cmpuint (mp_sync_get_retry_after (client->sync), ==, 3600);
  g_assert_cmpuint (fake->n_requests, ==, 1);
}

static void
test_fake_malformed (void)
{
  g_autofree char *bad = http_answer ("200 OK", "", "{\"changes\":[{\"seq\":1,\"id\":");
  g_autofree char *wrong = http_answer ("200 OK", "", "{\"changes\":{},\"next_since\":5,\"more\":false}");
  g_autoptr(Fault) fake = fault_fake_new (bad, wrong, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MpSyncSummary) summary = client_sync (client, &error);

      g_assert_null (summary);
      g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
      g_assert_cmpint (mp_sync_store_get_since (client->store), ==, 0);
    }
}

static void
test_fake_huge_length (void)
{
  const char *huge = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2147483648\r\nConnection: close\r\n\r\n{\"changes\":[";
  g_autoptr(Fault) fake = fault_fake_new (huge, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;

  summary = client_sync (client, &error);
  g_assert_null (summary);
  g_assert_error (error, MP_ERROR, MP_ERROR_TOO_LARGE);
}

static void
test_fake_same_answer_twice (void)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *document = mp_test_document (id, "Kahdesti", ORG, "public");
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(Fault) fake = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(MpSyncSummary) first = NULL;
  g_autoptr(MpSyncSummary) second = NULL;
  g_autoptr(JsonNode) node = json_from_string (document, NULL);

  /* The platform's document has a revision. */
  json_object_set_int_member (json_node_get_object (node), "revision", 1);
  g_free (document);
  document = json_to_string (node, FALSE);
  body = g_strdup_printf ("{\"changes\":[{\"seq\":1,\"id\":\"%s\",\"revision\":1,\"document\":%s}],"
                          "\"next_since\":1,\"more\":false}", id, document);
  answer = http_answer ("200 OK", "", body);
  fake = fault_fake_new (answer, NULL);
  url = fault_url (fake);
  client = client_new (url, NULL);

  first = client_sync_ok (client);
  g_assert_cmpuint (first->pulled, ==, 1);
  second = client_sync_ok (client);
  g_assert_cmpuint (second->pulled, ==, 0);
  g_assert_cmpuint (mp_store_count (client->store), ==, 1);
}

static void
test_fake_push_500_stays_queued (void)
{
  g_autofree char *feed = http_answer ("200 OK", "", empty_feed);
  g_autofree char *session = http_answer ("201 Created", "", "{\"token\":\"t\"}");
  g_autofree char *broken = http_answer ("500 Internal Server Error", "", "{}");
  g_autoptr(Fault) fake = fault_fake_new (session, feed, broken, NULL);
  g_autofree char *url = fault_url (fake);
  g_autoptr(Client) client = client_new (url, "maija");
  g_autoptr(MpModel) model = save_new_model (client, "Jonossa", MP_VISIBILITY_PUBLIC);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;

  summary = client_sync (client, &error);
  g_assert_null (summary);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 1);
  g_assert_cmpint (mp_sync_store_get_state (client->store, mp_model_get_id (model), NULL), ==,
                   MP_SYNC_STATE_PENDING);
  g_assert_nonnull (strstr (fake->last_request, "\"idempotency_key\""));
}

/* tests: keyring */

static void
credentials_in_subprocess (void)
{
  /* Never finalised: libsecret keeps the bus singleton, and finalising
   * would wait for it in vain. g_test_dbus_stop() below ends the daemon. */
  static GTestDBus *bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autofree char *home = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *token = NULL;
  g_autofree char *none = NULL;
  g_autofree char *data_dir = NULL;

  if (program == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed (Debian: gnome-keyring)");
      return;
    }

  /* A private session bus and a keyring in a temporary home. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  home = g_dir_make_tmp ("mallipaja-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (home, "data", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
  daemon = g_subprocess_launcher_spawn (launcher, &error, program, "--unlock", "--components=secrets",
                                        "--foreground", NULL);
  g_assert_no_error (error);
  /* The password on standard input creates and unlocks the login keyring. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (daemon), "test", 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (daemon), NULL, NULL);

  /* Wait until it owns the Secret Service name. */
  {
    g_autoptr(GDBusConnection) connection = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    gboolean owned = FALSE;

    g_assert_no_error (error);
    while (!owned && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                                                 "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                                                 "NameHasOwner",
                                                                 g_variant_new ("(s)", "org.freedesktop.secrets"),
                                                                 G_VARIANT_TYPE ("(b)"), 0, -1, NULL, NULL);

        if (reply != NULL)
          g_variant_get (reply, "(b)", &owned);
        if (!owned)
          g_usleep (100 * 1000);
      }
    g_assert_true (owned);
  }

  mp_sync_credentials_store_async ("http://127.0.0.1:9/", "maija", "salainen-token", NULL, on_done, &stored);
  g_assert_true (mp_sync_credentials_store_finish (wait_for (&stored), &error));
  g_assert_no_error (error);

  mp_sync_credentials_lookup_async ("http://127.0.0.1:9/", NULL, on_done, &found);
  token = mp_sync_credentials_lookup_finish (wait_for (&found), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "salainen-token");

  mp_sync_credentials_clear_async ("http://127.0.0.1:9/", NULL, on_done, &cleared);
  g_assert_true (mp_sync_credentials_clear_finish (wait_for (&cleared), &error));
  g_assert_no_error (error);

  mp_sync_credentials_lookup_async ("http://127.0.0.1:9/", NULL, on_done, &missing);
  none = mp_sync_credentials_lookup_finish (wait_for (&missing), &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* libsecret keeps its session-bus connection; the bus must be let go. */
  secret_service_disconnect ();
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
  g_test_dbus_stop (bus);
  remove_tree (home);
}

/* In a process of its own: the private bus and the keyring daemon end with
 * it, whatever GIO keeps of the bus connection. */
static void
test_credentials (void)
{
  if (g_test_subprocess ())
    {
      credentials_in_subprocess ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
}

/* A page's documents are stored as the store writes them, whatever form
 * they came in; one that does not read fails the page, which writes
 * nothing. */
static void
test_pull_normalises (void)
{
  static const char *id = "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-sync-normal-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bank.sqlite", NULL);
  g_autoptr(MpStore) store = NULL;
  g_autofree char *page = NULL;
  g_autofree char *bad_page = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autoptr(JsonNode) bad_changes = NULL;
  g_autoptr(GHashTable) prepared = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MpModel) model = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  store = mp_store_open (path, &error);
  g_assert_no_error (error);

  /* Keys out of order, spaces, an escaped letter, members left out. */
  page = g_strdup_printf ("[{\"seq\": 1, \"id\": \"%s\", \"revision\": 1, \"document\":"
                          " {\"title\": \"Perhekahvila \\u00e4iti\", \"revision\": 1, \"format\": 1,"
                          "  \"id\": \"%s\", \"visibility\": \"public\", \"organisation\": \"Yhdistys\"}}]",
                          id, id);
  changes = json_from_string (page, &error);
  g_assert_no_error (error);
  prepared = mp_sync_store_prepare_page (json_node_get_array (changes));
  g_assert_true (mp_sync_store_apply_page_quietly (store, json_node_get_array (changes), prepared, 1, TRUE,
                                                   NULL, changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 1);

  model = mp_store_load_model (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_TITLE), ==, "Perhekahvila äiti");
  canonical = mp_model_to_json_string (model, FALSE);
  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (store), "SELECT doc FROM models WHERE id = ?1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  stored = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpstr (stored, ==, canonical);

  /* Revision 2 with an unknown visibility: refused, revision 1 stays. */
  bad_page = g_strdup_printf ("[{\"seq\": 2, \"id\": \"%s\", \"revision\": 2, \"document\":"
                              " {\"format\": 1, \"id\": \"%s\", \"revision\": 2, \"title\": \"Uusi\","
                              "  \"visibility\": \"everyone\"}}]", id, id);
  bad_changes = json_from_string (bad_page, &error);
  g_assert_no_error (error);
  g_clear_pointer (&prepared, g_hash_table_unref);
  prepared = mp_sync_store_prepare_page (json_node_get_array (bad_changes));
  g_assert_false (mp_sync_store_apply_page_quietly (store, json_node_get_array (bad_changes), prepared, 2, TRUE,
                                                    NULL, changed, &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_clear_error (&error);
  g_clear_object (&model);
  model = mp_store_load_model (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_model_get_revision (model), ==, 1);
  g_assert_cmpint (mp_sync_store_get_since (store), ==, 1);

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/pull/public-paged", test_pull_public_paged);
  g_test_add_func ("/sync/pull/progress", test_pull_progress);
  g_test_add_func ("/sync/pull/normalises", test_pull_normalises);
  g_test_add_func ("/sync/push/create-edit-private", test_push_create_edit);
  g_test_add_func ("/sync/merge/different-fields", test_merge_different_fields);
  g_test_add_func ("/sync/conflict/same-field", test_conflict_same_field);
  g_test_add_func ("/sync/conflict/on-push", test_conflict_on_push);
  g_test_add_func ("/sync/tombstone/edits-kept", test_tombstone);
  g_test_add_func ("/sync/pull/resync-required", test_resync_required);
  g_test_add_func ("/sync/push/quarantine", test_quarantine);
  g_test_add_func ("/sync/fault/lost-reply", test_fault_lost_reply);
  g_test_add_func ("/sync/fault/cut-mid-page", test_fault_cut_mid_page);
  g_test_add_func ("/sync/fault/server-killed-during-pull", test_fault_server_killed);
  g_test_add_func ("/sync/fault/server-killed-during-push", test_fault_killed_during_push);
  g_test_add_func ("/sync/fake/500", test_fake_500);
  g_test_add_func ("/sync/fake/503-retry-after", test_fake_503_retry_after);
  g_test_add_func ("/sync/fake/503-long-wait", test_fake_503_long_wait);
  g_test_add_func ("/sync/fake/malformed", test_fake_malformed);
  g_test_add_func ("/sync/fake/huge-content-length", test_fake_huge_length);
  g_test_add_func ("/sync/fake/same-answer-twice", test_fake_same_answer_twice);
  g_test_add_func ("/sync/fake/push-500-stays-queued", test_fake_push_500_stays_queued);
  g_test_add_func ("/sync/keyring/store-lookup-clear", test_credentials);

  return g_test_run ();
}
