/* mp-server.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include <libsoup/soup.h>
#include <malloc.h>
#include <string.h>

#include "mp-server.h"

/* Tombstones, old idempotency keys and dead tokens are cleared this often. */
#define PRUNE_INTERVAL_SECONDS (60 * 60)

/* Answers from this size on are worth returning their memory after. */
#define LARGE_ANSWER (1024 * 1024)

struct _MpServer {
  GObject         parent_instance;

  /* owned */
  SoupServer     *soup;
  GThreadPool    *pool;
  GAsyncQueue    *connections;  /* MpServerDb *, one per worker */
  GMainContext   *context;
  MpServerConfig  config;
  guint           n_connections;
  guint           prune_source;
  guint           n_answered;
};

G_DEFINE_FINAL_TYPE (MpServer, mp_server, G_TYPE_OBJECT)

/* One request on its way through a worker thread and back. */
typedef struct {
  MpServer          *server;  /* borrowed: the server outlives its jobs */
  SoupServerMessage *message;
  MpServerRequest   *request;
  gboolean           gone;
} Job;

/* private helpers */

static void
job_free (Job *job)
{
  g_clear_object (&job->message);
  g_clear_pointer (&job->request, mp_server_request_free);
  g_free (job);
}

static void
set_json_error (SoupServerMessage *message,
                guint              status,
                const char        *code,
                const char        *message_text)
{
  g_autoptr(JsonNode) node = mp_server_error_new (code, NULL, message_text);
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static gboolean
accepts_gzip (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Accept-Encoding");
  g_auto(GStrv) codings = NULL;

  if (value == NULL)
    return FALSE;

  codings = g_strsplit (value, ",", -1);
  for (guint i = 0; codings[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (codings[i], ";", 2);
      const char *name = g_strstrip (parts[0]);

      if (g_ascii_strcasecmp (name, "gzip") != 0 && g_ascii_strcasecmp (name, "x-gzip") != 0)
        continue;
      /* "gzip;q=0" refuses it. */
      if (parts[1] != NULL)
        {
          const char *q = strstr (parts[1], "q=");

          if (q != NULL && g_ascii_strtod (q + 2, NULL) <= 0.0)
            return FALSE;
        }
      return TRUE;
    }

  return FALSE;
}

static void
prune (MpServer *self)
{
  g_autoptr(GError) error = NULL;
  MpServerDb *db = g_async_queue_pop (self->connections);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!mp_server_db_prune (db,
                           now - self->config.tombstone_retention + 1,
                           now - MP_SERVER_IDEMPOTENCY_RETENTION,
                           &error))
    g_warning ("Cannot prune old tombstones: %s", error->message);

  g_async_queue_push (self->connections, db);
}

/* callbacks */

static gboolean
prune_cb (gpointer user_data)
{
  prune (user_data);
  return G_SOURCE_CONTINUE;
}

static void
message_gone_cb (SoupServerMessage *message,
                 Job               *job)
{
  job->gone = TRUE;
}

static gboolean
job_finish_cb (gpointer user_data)
{
  Job *job = user_data;
  MpServer *self = job->server;
  MpServerRequest *request = job->request;
  SoupMessageHeaders *headers;
  GHashTableIter iter;
  gpointer name, value;
  gboolean large;

  g_signal_handlers_disconnect_by_data (job->message, job);
  large = request->answer != NULL && g_bytes_get_size (request->answer) > LARGE_ANSWER;

  /* The client went away while a worker was busy: nothing to answer. */
  if (job->gone)
    {
      job_free (job);
      return G_SOURCE_REMOVE;
    }

  headers = soup_server_message_get_response_headers (job->message);
  g_hash_table_iter_init (&iter, request->headers);
  while (g_hash_table_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);
  soup_message_headers_append (headers, "Vary", "Accept-Encoding");

  soup_server_message_set_status (job->message, request->status, NULL);
  if (request->answer != NULL)
    {
      if (request->gzipped)
        soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (job->message),
                                      request->answer);
    }

  soup_server_message_unpause (job->message);
  job_free (job);

  /* Feed pages are megabytes, and the workers' many small allocations add
   * up; glibc keeps what they freed in per-thread arenas unless asked to
   * give it back. */
  if (large || ++self->n_answered % 500 == 0)
    malloc_trim (0);

  return G_SOURCE_REMOVE;
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  Job *job = data;
  MpServer *self = user_data;
  MpServerDb *db = g_async_queue_pop (self->connections);

  mp_server_api_handle (&self->config, db, job->request);
  g_async_queue_push (self->connections, db);

  /* libsoup is not thread-safe: the answer is handed over on the thread
   * that runs the server. */
  g_main_context_invoke (self->context, job_finish_cb, job);
}

/* Refuses a body over the limit before it is read, when the client says
 * how long it is. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  MpServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  goffset length = soup_message_headers_get_content_length (headers);

  if (length > 0 && (guint64) length > self->config.max_body)
    set_json_error (message, 413, "too_large", "The request body is over the platform's limit");
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  MpServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(GBytes) body = NULL;
  Job *job;

  if (!g_str_has_prefix (path, MP_SERVER_API_PREFIX "/"))
    {
      set_json_error (message, 404, "not_found", "No such endpoint");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  if (g_bytes_get_size (body) > self->config.max_body)
    {
      set_json_error (message, 413, "too_large", "The request body is over the platform's limit");
      return;
    }

  job = g_new0 (Job, 1);
  job->server = self;
  job->message = g_object_ref (message);
  job->request = mp_server_request_new (soup_server_message_get_method (message),
                                        path + strlen (MP_SERVER_API_PREFIX), query, body);
  job->request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  job->request->if_none_match = g_strdup (soup_message_headers_get_list (headers, "If-None-Match"));
  job->request->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  job->request->accepts_gzip = accepts_gzip (headers);

  g_signal_connect (message, "disconnected", G_CALLBACK (message_gone_cb), job);
  g_signal_connect (message, "finished", G_CALLBACK (message_gone_cb), job);
  soup_server_message_pause (message);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  set_json_error (message, 404, "not_found", "No such endpoint; the API lives under " MP_SERVER_API_PREFIX "/");
}

/* GObject overrides */

static void
mp_server_dispose (GObject *object)
{
  mp_server_shutdown (MP_SERVER (object));

  G_OBJECT_CLASS (mp_server_parent_class)->dispose (object);
}

static void
mp_server_class_init (MpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mp_server_dispose;
}

static void
mp_server_init (MpServer *self)
{
  self->connections = g_async_queue_new ();
  self->context = g_main_context_ref_thread_default ();
}

/* public API */

MpServer *
mp_server_new (const char            *db_path,
               const MpServerConfig  *config,
               guint                  n_workers,
               GError               **error)
{
  g_autoptr(MpServer) self = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (n_workers > 0, NULL);

  self = g_object_new (MP_TYPE_SERVER, NULL);
  self->config = *config;

  for (guint i = 0; i < n_workers; i++)
    {
      MpServerDb *db = mp_server_db_open (db_path, error);

      if (db == NULL)
        return NULL;
      g_async_queue_push (self->connections, db);
      self->n_connections++;
    }

  self->pool = g_thread_pool_new (worker_cb, self, (int) n_workers, FALSE, error);
  if (self->pool == NULL)
    return NULL;

  /* The server header names no version: nothing to fingerprint. */
  self->soup = soup_server_new ("server-header", "mallipaja-server", NULL);
  soup_server_add_early_handler (self->soup, MP_SERVER_API_PREFIX, early_cb, self, NULL);
  soup_server_add_handler (self->soup, MP_SERVER_API_PREFIX, api_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, not_found_cb, self, NULL);

  prune (self);
  self->prune_source = g_timeout_add_seconds (PRUNE_INTERVAL_SECONDS, prune_cb, self);

  return g_steal_pointer (&self);
}

gboolean
mp_server_listen (MpServer    *self,
                  const char  *address,
                  const char  *tls_cert,
                  const char  *tls_key,
                  char       **uri,
                  GError     **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GSList) uris = NULL;
  SoupServerListenOptions options = 0;
  const char *colon;
  guint64 port;

  g_return_val_if_fail (MP_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  colon = strrchr (address, ':');
  if (colon == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                   "“%s” is not an address to listen on: use HOST:PORT, e.g. 127.0.0.1:8080", address);
      return FALSE;
    }

  host = g_strndup (address, colon - address);
  if (host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      char *bare = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = bare;
    }
  if (g_str_equal (host, "localhost"))
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }

  inet_address = g_inet_address_new_from_string (host);
  if (inet_address == NULL)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                   "“%s” is not an IP address", host);
      return FALSE;
    }

  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                   "TLS needs both --tls-cert and --tls-key");
      return FALSE;
    }

  if (tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, error);

      if (certificate == NULL)
        return FALSE;
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else if (!g_inet_address_get_is_loopback (inet_address))
    {
      /* Passwords and tokens would cross the network in the clear. */
      g_set_error (error, MP_ERROR, MP_ERROR_FORBIDDEN,
                   "Refusing plain HTTP on %s, which is not a loopback address: "
                   "give --tls-cert and --tls-key", host);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet_address, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address, options, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uri != NULL && uris != NULL)
    {
      GUri *listening = uris->data;
      g_autofree char *shown_host = g_inet_address_get_family (inet_address) == G_SOCKET_FAMILY_IPV6
                                    ? g_strdup_printf ("[%s]", host) : g_strdup (host);

      *uri = g_strdup_printf ("%s://%s:%d/", g_uri_get_scheme (listening), shown_host,
                              g_uri_get_port (listening));
    }
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  return TRUE;
}

void
mp_server_shutdown (MpServer *self)
{
  g_return_if_fail (MP_IS_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);

  if (self->pool != NULL)
    {
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
      /* Hand over what the workers finished so that no job is left behind. */
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }

  g_clear_object (&self->soup);
  g_clear_handle_id (&self->prune_source, g_source_remove);

  for (; self->n_connections > 0; self->n_connections--)
    mp_server_db_close (g_async_queue_pop (self->connections));
  g_clear_pointer (&self->connections, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}
