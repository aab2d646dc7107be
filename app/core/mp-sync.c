/* mp-sync.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mp-error.h"
#include "mp-sync-crash.h"
#include "mp-sync.h"

#define DEFAULT_TIMEOUT 60
#define DEFAULT_PAGE_SIZE 500
/* The platform takes at most this many items in one batch. */
#define MAX_BATCH 100
/* A failed request is sent again this many times within one run… */
#define MAX_RETRIES 3
/* …when the wait the platform asks for (or our backoff) is this short;
 * longer waits end the run and are left to the next one. */
#define MAX_INLINE_WAIT 30
/* Bigger answers are refused before they are read: a page of the feed at
 * its limit of models at their limit of text stays well below. */
#define MAX_ANSWER_SIZE ((goffset) 512 * 1024 * 1024)

struct _MpSync
{
  GObject parent_instance;

  /* owned */
  MpStore *store;
  char *platform_url;
  char *api_base;
  char *token;
  char *last_error;
  SoupSession *session;
  /* The pull's own connection to the bank file, used by one worker
   * thread at a time (pages are applied one after another); opened on
   * first use and kept, as opening costs more than a small sync. */
  MpStore *worker_store;
  GTask *running;   /* borrowed: the task of the run under way */

  guint timeout;
  guint page_size;
  MpSyncStatus status;
  guint models_done;
  guint models_total;
  guint retry_after;
};

G_DEFINE_FINAL_TYPE (MpSync, mp_sync, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (MpSyncSummary, mp_sync_summary, mp_sync_summary_copy, mp_sync_summary_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PLATFORM_URL,
  PROP_TOKEN,
  PROP_STATUS,
  PROP_MODELS_DONE,
  PROP_MODELS_TOTAL,
  PROP_LAST_ERROR,
  PROP_RETRY_AFTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ABOUT_TO_PULL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct _Request Request;
typedef void (*ResponseHandler) (GTask *task, guint status, GBytes *body);

/* One HTTP request of a run, kept so that it can be sent again as it was:
 * a retried push carries the same items under the same keys. */
struct _Request {
  char            *method;
  char            *path;
  GBytes          *body;
  ResponseHandler  handler;
  guint            attempts;
  gboolean         in_flight;  /* sent, its callback still to come */
  gboolean         own_401;    /* the handler takes a 401 itself */
  gboolean         too_large;
  GCancellable    *cancellable;
  gulong           cancelled_id;
};

/* A page of the change feed as it came, with what was skimmed of it. */
typedef struct {
  GBytes   *bytes;
  gint64    since;        /* asked for */
  gboolean  skimmed;
  gint64    next_since;   /* when skimmed */
  gboolean  more;
} Body;

/* A page of the change feed, read on a worker thread. */
typedef struct {
  MpSync       *sync;         /* borrowed: the run's task holds it */
  JsonNode     *root;         /* owned; holds changes */
  JsonArray    *changes;      /* NULL once applied */
  guint         n_changes;
  GHashTable   *prepared;     /* the documents read into models */
  gint64        next_since;
  gboolean      more;
  gint64        remaining;    /* -1: the platform did not say */
  GPtrArray    *changed_ids;  /* after applying: the models written */
  MpSyncCounts  counts;
} Page;

/* A batch of the push, read from the outbox and recorded on a worker
 * thread with the sync's own connection. */
typedef struct {
  MpSync       *sync;         /* borrowed: the run's task holds it */
  GHashTable   *skip;         /* outbox ids not to send (sent already) */
  guint         max;
  GArray       *entry_ids;    /* the outbox ids of the items, in order */
  GBytes       *body;         /* the request; NULL: nothing to send */
  GBytes       *answer;
  MpSyncCounts  counts;
  GPtrArray    *changed_ids;  /* after recording: the models changed */
} Batch;

typedef struct {
  MpSyncSummary  summary;
  Request       *request;
  gint64         since;       /* the checkpoint committed last */
  gboolean       full_pass;   /* the pull pages through everything from 0 */
  gboolean       resynced;
  gboolean       returned;    /* the run's outcome is decided */
  gboolean       completed;   /* …and its task has returned */
  GError        *error;       /* the outcome, when a failure */
  guint          retry_id;    /* a request waits to be sent again */
  GHashTable    *sent;        /* outbox ids sent in this run */
  guint          batch_max;

  /* The push's batches (see push_advance()). */
  Batch         *prepared;    /* read, waiting to be sent */
  Batch         *in_flight;   /* sent, waiting for its answer */
  GQueue         answered;    /* Batch *: waiting to be recorded */
  gboolean       preparing;   /* a worker reads the outbox */
  gboolean       recording;   /* a worker records answers */
  gboolean       outbox_read; /* the last read found nothing to send */

  /* The pull is a pipeline: while a worker applies page N, page N + 1 is
   * read (parsed) on another, and page N + 2 is fetched. Few pages are
   * held at once (see may_fetch()). */
  gint64         fetch_since; /* the since of the next page to fetch */
  gboolean       next_known;  /* fetch_since is known (skimmed or read) */
  gboolean       no_more;     /* the last page was fetched */
  guint          entries_read;
  gboolean       fetching;    /* a request for a page is in flight */
  gboolean       reading;     /* a page is being read on a worker */
  gboolean       applying;    /* a page is being applied on a worker */
  gboolean       resync_due;  /* a 410 came while pages were under way */
  Body          *pending;     /* fetched, waiting for the reader */
  GQueue         ready;       /* Page *: read, waiting to be applied */
} RunData;

/* private helpers */

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
page_free (Page *page)
{
  g_clear_pointer (&page->prepared, g_hash_table_unref);
  g_clear_pointer (&page->root, json_node_unref);
  g_clear_pointer (&page->changed_ids, g_ptr_array_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->skip, g_hash_table_unref);
  g_clear_pointer (&batch->entry_ids, g_array_unref);
  g_clear_pointer (&batch->body, g_bytes_unref);
  g_clear_pointer (&batch->answer, g_bytes_unref);
  g_clear_pointer (&batch->changed_ids, g_ptr_array_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static void
body_free (Body *body)
{
  g_clear_pointer (&body->bytes, g_bytes_unref);
  g_free (body);
}

static void
run_data_free (RunData *data)
{
  g_queue_clear_full (&data->ready, (GDestroyNotify) page_free);
  g_clear_pointer (&data->pending, body_free);
  g_clear_pointer (&data->request, request_free);
  g_clear_pointer (&data->prepared, batch_free);
  g_clear_pointer (&data->in_flight, batch_free);
  g_queue_clear_full (&data->answered, (GDestroyNotify) batch_free);
  g_clear_pointer (&data->sent, g_hash_table_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void
set_status (MpSync       *self,
            MpSyncStatus  status)
{
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_models_done (MpSync *self,
                 guint   done)
{
  if (self->models_done == done)
    return;
  self->models_done = done;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS_DONE]);
}

static void
set_models_total (MpSync *self,
                  guint   total)
{
  if (self->models_total == total)
    return;
  self->models_total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS_TOTAL]);
}

static void
set_last_error (MpSync     *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_retry_after (MpSync *self,
                 guint   seconds)
{
  if (self->retry_after == seconds)
    return;
  self->retry_after = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AFTER]);
}

static char *
api_base_for (const char *platform_url)
{
  g_autofree char *trimmed = g_strdup (platform_url);
  gsize length = strlen (trimmed);

  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';
  if (g_str_has_suffix (trimmed, "/api/v1"))
    return g_steal_pointer (&trimmed);
  return g_strconcat (trimmed, "/api/v1", NULL);
}

static gboolean
is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A member of the "error" object of an error answer, or NULL; with
 * @fallback, that member when the first is missing. */
static char *
answer_error_member (GBytes     *body,
                     const char *member,
                     const char *fallback)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  const char *data;
  const char *value;
  gsize length;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (length == 0 || !g_utf8_validate (data, length, NULL))
    return NULL;
  text = g_strndup (data, length);
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "error") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    return NULL;
  object = json_object_get_object_member (object, "error");
  value = json_object_get_string_member_with_default (object, member, NULL);
  if (value == NULL && fallback != NULL)
    value = json_object_get_string_member_with_default (object, fallback, NULL);
  return g_strdup (value);
}

/* The "message" of an error answer (else its "code"), or NULL. */
static char *
answer_error_message (GBytes *body)
{
  return answer_error_member (body, "message", "code");
}

static char *
answer_error_code (GBytes *body)
{
  return answer_error_member (body, "code", NULL);
}

/* Parses a 2xx answer: a JSON object, or NULL with an error. */
static JsonObject *
parse_answer (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || length == 0 || !g_utf8_validate (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, MP_ERROR, MP_ERROR_NETWORK,
                           _("The platform sent an answer that could not be read."));
      return NULL;
    }

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The run's outcome is decided once: a request still in flight is
 * cancelled, a page being read or applied is dropped when it ends. */
static void
mark_returned (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  data->returned = TRUE;
  if (data->request != NULL && data->request->cancellable != NULL)
    g_cancellable_cancel (data->request->cancellable);
  g_clear_handle_id (&data->retry_id, g_source_remove);
}

/* The run's task returns once nothing of the run is left running: a
 * worker still applying a page uses the sync and the pull's connection,
 * which a run started at once would use too. */
static void
return_when_idle (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (!data->returned || data->completed || data->applying || data->reading ||
      data->preparing || data->recording ||
      (data->request != NULL && data->request->in_flight))
    return;

  data->completed = TRUE;
  if (self->running == task)
    self->running = NULL;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, mp_sync_summary_copy (&data->summary),
                           (GDestroyNotify) mp_sync_summary_free);
}

static void fail_run (GTask *task, GError *error);

static gboolean
return_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;
  fail_run (task, error);
  return TRUE;
}

static void
fail_run (GTask  *task,
          GError *error)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (data->returned)
    {
      g_error_free (error);
      return;
    }
  mark_returned (task);

  /* The bank remembers how the last sync went, for the status line. */
  if (g_task_get_source_tag (task) != (gpointer) mp_sync_run_async)
    ;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_last_error (self, error->message);
      mp_sync_store_set_result (self->store, error->message, NULL);
      set_status (self, MP_SYNC_STATUS_FAILED);
    }
  else
    set_status (self, MP_SYNC_STATUS_IDLE);

  data->error = error;
  return_when_idle (task);
}

static void
fail_run_with (GTask      *task,
               int         code,
               const char *message)
{
  fail_run (task, g_error_new_literal (MP_ERROR, code, message));
}

static void
finish_run (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);

  mark_returned (task);
  mp_sync_store_set_result (self->store, NULL, NULL);
  set_last_error (self, NULL);
  set_retry_after (self, 0);
  set_status (self, MP_SYNC_STATUS_IDLE);
  return_when_idle (task);
}

/* Seconds from a Retry-After header: a number, or an HTTP date. */
static guint
parse_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &seconds, NULL))
    return (guint) seconds;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan span;

    if (when == NULL)
      return 0;
    span = g_date_time_difference (when, now);
    return span > 0 ? (guint) MIN (span / G_TIME_SPAN_SECOND + 1, G_MAXUINT) : 0;
  }
}

static gboolean
is_transient_status (guint status)
{
  return status == 408 || status == 429 || status >= 500;
}

static void send_request (GTask *task);

static gboolean
resend_cb (gpointer user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);

  data->retry_id = 0;
  if (!return_if_cancelled (task))
    send_request (task);
  return G_SOURCE_REMOVE;
}

/* Sends the request again after @wait seconds, or gives up when it has
 * been tried enough or the wait is too long for this run. */
static gboolean
retry_later (GTask *task,
             guint  wait)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  guint backoff = 1u << MIN (data->request->attempts, 5);

  wait = MAX (wait, backoff);
  set_retry_after (self, wait);
  if (data->request->attempts >= MAX_RETRIES || wait > MAX_INLINE_WAIT)
    return FALSE;

  data->retry_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, wait, resend_cb, g_object_ref (task),
                                               g_object_unref);
  return TRUE;
}

static void
on_got_headers (SoupMessage *message,
                gpointer     user_data)
{
  Request *request = user_data;
  goffset length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));

  /* Read nothing of an answer that could not be held in memory. */
  if (length > MAX_ANSWER_SIZE)
    {
      request->too_large = TRUE;
      g_cancellable_cancel (request->cancellable);
    }
}

static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  Request *request = user_data;

  g_cancellable_cancel (request->cancellable);
}

static void
on_response (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  Request *request = data->request;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (request->cancelled_id != 0 && g_task_get_cancellable (task) != NULL)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
  request->cancelled_id = 0;
  request->in_flight = FALSE;
  if (data->returned)
    {
      return_when_idle (task);
      return;
    }

  if (body == NULL)
    {
      g_autofree char *text = NULL;

      if (g_task_get_cancellable (task) != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The sync was cancelled.")));
          return;
        }
      if (request->too_large)
        {
          fail_run_with (task, MP_ERROR_TOO_LARGE,
                         _("The platform sent an answer too large to read."));
          return;
        }
      if (error->domain == G_TLS_ERROR)
        {
          text = g_strdup_printf (_("The secure connection to the platform failed: %s"), error->message);
          fail_run_with (task, MP_ERROR_NETWORK, text);
          return;
        }
      if (retry_later (task, 0))
        return;
      text = g_strdup_printf (_("The platform could not be reached: %s"), error->message);
      fail_run_with (task, MP_ERROR_NETWORK, text);
      return;
    }

  status = soup_message_get_status (message);
  if (is_transient_status (status))
    {
      g_autofree char *detail = answer_error_message (body);
      g_autofree char *text = NULL;

      if (retry_later (task, parse_retry_after (message)))
        return;
      text = g_strdup_printf (_("The platform is not available (%u %s)."), status,
                              detail != NULL ? detail : soup_message_get_reason_phrase (message));
      fail_run_with (task, MP_ERROR_NETWORK, text);
      return;
    }

  if (status == 401 && !request->own_401)
    {
      MpSync *self = g_task_get_source_object (task);

      fail_run_with (task, MP_ERROR_AUTH,
                     self->token != NULL ? _("The platform did not accept the session: sign in again.")
                                         : _("The platform needs a sign-in for this."));
      return;
    }

  request->handler (task, status, body);
}

/* Sends data->request; its handler gets the answer unless it failed in a
 * way every request fails (network, 5xx, 401, cancel). */
static void
send_request (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  Request *request = data->request;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = g_strconcat (self->api_base, request->path, NULL);
  GCancellable *run_cancellable = g_task_get_cancellable (task);

  request->attempts++;
  request->too_large = FALSE;

  if (g_str_has_prefix (url, "https:") && !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      fail_run_with (task, MP_ERROR_NETWORK,
                     _("This system has no TLS support, so the platform cannot be reached securely. "
                       "Install glib-networking."));
      return;
    }

  message = soup_message_new (request->method, url);
  if (message == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The platform address “%s” is not valid."),
                                               self->platform_url);

      fail_run_with (task, MP_ERROR_NETWORK, text);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", request->body);
  g_signal_connect (message, "got-headers", G_CALLBACK (on_got_headers), request);

  /* A request cancellable of its own lets an oversized answer be dropped
   * without cancelling the run's. */
  g_clear_object (&request->cancellable);
  request->cancellable = g_cancellable_new ();
  if (run_cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (run_cancellable, G_CALLBACK (on_run_cancelled),
                                                   request, NULL);

  request->in_flight = TRUE;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, request->cancellable,
                                    on_response, g_object_ref (task));
}

static void
start_request (GTask           *task,
               const char      *method,
               const char      *path,
               GBytes          *body,
               ResponseHandler  handler)
{
  RunData *data = g_task_get_task_data (task);
  Request *request = g_new0 (Request, 1);

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->body = body != NULL ? g_bytes_ref (body) : NULL;
  request->handler = handler;
  g_clear_pointer (&data->request, request_free);
  data->request = request;
  send_request (task);
}

static void push_next (GTask *task);
static void pull_next (GTask *task);
static void push_advance (GTask *task);

/* The sync's own connection to the bank file, for its workers (one at a
 * time: pages are applied, batches read and recorded one after another);
 * opened on first use and kept, as opening costs more than a small sync.
 * Its commits need not wait for the disk: a page lost to a power cut is
 * pulled again, an answer lost is asked for again under the same key. */
static gboolean
ensure_worker_store (MpSync  *self,
                     GError **error)
{
  g_autoptr(MpStore) store = NULL;

  if (self->worker_store != NULL)
    return TRUE;
  store = mp_store_open (mp_store_get_path (self->store), error);
  if (store == NULL || !mp_sync_store_tune_for_pull (store, error))
    return FALSE;
  self->worker_store = g_steal_pointer (&store);
  return TRUE;
}

/* In a worker thread: the next batch from the outbox, as request text. */
static void
prepare_batch_in_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  Batch *batch = task_data;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!ensure_worker_store (batch->sync, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  batch->body = mp_sync_store_next_batch_body (batch->sync->worker_store, batch->max, batch->skip,
                                               &batch->entry_ids, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* In a worker thread: reading an answer of some megabytes and writing the
 * models it brings back would hold up the frames of the main thread. */
static void
record_batch_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Batch *batch = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonNode *results;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!ensure_worker_store (batch->sync, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  answer = parse_answer (batch->answer, &error);
  results = answer != NULL && json_object_has_member (answer, "results")
              ? json_object_get_member (answer, "results") : NULL;
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results) ||
      json_array_get_length (json_node_get_array (results)) != batch->entry_ids->len)
    {
      if (error == NULL)
        g_set_error_literal (&error, MP_ERROR, MP_ERROR_NETWORK,
                             _("The platform sent an answer that could not be read."));
      mp_sync_store_record_failure (batch->sync->worker_store, batch->entry_ids, error->message, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mp_sync_crash_point ("push-answered");
  batch->changed_ids = g_ptr_array_new_with_free_func (g_free);
  if (!mp_sync_store_record_results_quietly (batch->sync->worker_store, batch->entry_ids,
                                             json_node_get_array (results), &batch->counts,
                                             batch->changed_ids, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_batch_recorded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(Batch) batch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean recorded = g_task_propagate_boolean (G_TASK (result), &error);

  data->recording = FALSE;

  /* What was committed is told, whatever happened to the run meanwhile. */
  if (batch->changed_ids != NULL)
    mp_sync_store_emit_changed (self->store, batch->changed_ids);
  data->summary.pushed += batch->counts.pushed;
  data->summary.merged += batch->counts.merged;
  data->summary.conflicts += batch->counts.conflicts;
  data->summary.quarantined += batch->counts.quarantined;

  if (!recorded && !data->returned)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }
  if (data->returned)
    {
      return_when_idle (task);
      return;
    }

  /* The models answered may have later edits, which can go now. */
  data->outbox_read = FALSE;
  push_advance (task);
}

/* Takes @batch. */
static void
start_record (GTask *task,
              Batch *batch)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) record = NULL;

  g_assert (!data->preparing && !data->recording);

  data->recording = TRUE;
  /* No source object: as start_apply(). The callback takes the batch. */
  record = g_task_new (NULL, g_task_get_cancellable (task), on_batch_recorded, g_object_ref (task));
  g_task_set_source_tag (record, start_record);
  g_task_set_task_data (record, batch, NULL);
  g_task_run_in_thread (record, record_batch_in_thread);
}

static void
on_batch_prepared (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(Batch) batch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  data->preparing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!data->returned)
        fail_run (task, g_steal_pointer (&error));
      else
        return_when_idle (task);
      return;
    }
  if (data->returned)
    {
      return_when_idle (task);
      return;
    }

  if (batch->body == NULL)
    data->outbox_read = TRUE;
  else
    {
      for (guint i = 0; i < batch->entry_ids->len; i++)
        g_hash_table_add (data->sent, g_memdup2 (&g_array_index (batch->entry_ids, gint64, i), sizeof (gint64)));
      g_assert (data->prepared == NULL);
      data->prepared = g_steal_pointer (&batch);
    }
  push_advance (task);
}

static void
start_prepare (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) prepare = NULL;
  Batch *batch = g_new0 (Batch, 1);
  GHashTableIter iter;
  gpointer id;

  g_assert (!data->preparing && !data->recording);

  /* The edits already sent in this run are left for the next: an edit
   * refused now is not sent again at once. The worker gets a copy, as
   * the set changes here meanwhile. */
  batch->sync = self;
  batch->max = data->batch_max;
  batch->skip = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, data->sent);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (batch->skip, g_memdup2 (id, sizeof (gint64)));

  data->preparing = TRUE;
  prepare = g_task_new (NULL, g_task_get_cancellable (task), on_batch_prepared, g_object_ref (task));
  g_task_set_source_tag (prepare, start_prepare);
  g_task_set_task_data (prepare, batch, NULL);
  g_task_run_in_thread (prepare, prepare_batch_in_thread);
}

static void
on_batch_answer (GTask  *task,
                 guint   status,
                 GBytes *body)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(Batch) batch = g_steal_pointer (&data->in_flight);

  if (status == 413 && batch->entry_ids->len > 1)
    {
      /* Too big together: the same edits go again in smaller batches,
       * under the same keys. */
      data->batch_max = MAX (1, batch->entry_ids->len / 2);
      for (guint i = 0; i < batch->entry_ids->len; i++)
        g_hash_table_remove (data->sent, &g_array_index (batch->entry_ids, gint64, i));
      data->outbox_read = FALSE;
      push_advance (task);
      return;
    }

  if (status != 200)
    {
      g_autofree char *detail = answer_error_message (body);
      g_autofree char *text = g_strdup_printf (_("The platform refused the changes (%u %s)."), status,
                                               detail != NULL ? detail : "");

      mp_sync_store_record_failure (self->store, batch->entry_ids, text, NULL);
      fail_run_with (task, MP_ERROR_NETWORK, text);
      return;
    }

  batch->answer = g_bytes_ref (body);
  g_queue_push_tail (&data->answered, g_steal_pointer (&batch));
  push_advance (task);
}

/* The push is a pipeline: while the platform answers batch N, a worker
 * reads batch N + 1 from the outbox; while a worker records the answers
 * to N, N + 1 is on its way. A model's edits still go one at a time, in
 * order: only the first edit of a model is read, and one in flight or
 * waiting to be recorded is skipped (it is in data->sent). */
static void
push_advance (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  if (data->returned)
    {
      return_when_idle (task);
      return;
    }
  if (return_if_cancelled (task))
    return;

  if (!data->preparing && !data->recording)
    {
      Batch *answered = g_queue_pop_head (&data->answered);

      if (answered != NULL)
        start_record (task, answered);
      else if (data->prepared == NULL && !data->outbox_read)
        start_prepare (task);
    }

  if (data->in_flight == NULL && data->prepared != NULL)
    {
      data->in_flight = g_steal_pointer (&data->prepared);
      start_request (task, "POST", "/models:batch", data->in_flight->body, on_batch_answer);
      if (data->returned)
        return;
      if (!data->preparing && !data->recording && !data->outbox_read && g_queue_is_empty (&data->answered))
        start_prepare (task);
    }

  if (data->outbox_read && !data->preparing && !data->recording && data->prepared == NULL &&
      data->in_flight == NULL && g_queue_is_empty (&data->answered))
    finish_run (task);
}

static void
push_next (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);

  if (return_if_cancelled (task))
    return;

  /* Anonymous: the public bank is read, nothing is written. */
  if (self->token == NULL)
    {
      finish_run (task);
      return;
    }

  set_status (self, MP_SYNC_STATUS_PUSHING);
  push_advance (task);
}

static void start_apply (GTask *task, Page *page);

static gboolean
read_integer (JsonObject *object,
              const char *member,
              gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/* In a worker thread: reading a page of some megabytes would hold up
 * the frames of the main thread. */
static void
read_page_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Body *body = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parse_answer (body->bytes, &error);
  g_autoptr(Page) page = NULL;
  JsonNode *changes, *more;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = g_new0 (Page, 1);
  page->remaining = -1;
  changes = json_object_get_member (answer, "changes");
  more = json_object_get_member (answer, "more");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) ||
      !read_integer (answer, "next_since", &page->next_since) ||
      more == NULL || !JSON_NODE_HOLDS_VALUE (more) || json_node_get_value_type (more) != G_TYPE_BOOLEAN ||
      (json_object_has_member (answer, "remaining") &&
       (!read_integer (answer, "remaining", &page->remaining) || page->remaining < 0)))
    {
      g_task_return_new_error (task, MP_ERROR, MP_ERROR_NETWORK,
                               _("The platform sent an answer that could not be read."));
      return;
    }

  page->more = json_node_get_boolean (more);
  page->root = json_node_ref (changes);
  page->changes = json_node_get_array (changes);
  page->n_changes = json_array_get_length (page->changes);
  /* Here, while the page before is written: what the write lock is held
   * for is the writing only. */
  page->prepared = mp_sync_store_prepare_page (page->changes);
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) page_free);
}

/* In a worker thread, with the pull's own connection: the page and its
 * checkpoint in one transaction. The store of the views is told on the
 * main thread (on_page_applied()). */
static void
apply_page_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Page *page = task_data;
  MpSync *self = page->sync;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!ensure_worker_store (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Indexing a model for search (~1 ms with Voikko) would be most of
   * the work of a large pull: those models are indexed after it, by the
   * backlog. A few changes are searchable at once. */
  mp_store_set_defer_index (self->worker_store, page->n_changes > MP_SYNC_INDEX_INLINE_MAX);

  page->changed_ids = g_ptr_array_new_with_free_func (g_free);
  if (!mp_sync_store_apply_page_quietly (self->worker_store, page->changes, page->prepared,
                                         page->next_since, !page->more,
                                         &page->counts, page->changed_ids, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Freeing megabytes of JSON and models takes a while too: here, not on
   * the main thread, which needs only what changed. */
  page->changes = NULL;
  g_clear_pointer (&page->prepared, g_hash_table_unref);
  g_clear_pointer (&page->root, json_node_unref);
  g_task_return_boolean (task, TRUE);
}

static gboolean
skip_string (const char **p,
             const char  *end)
{
  const char *q = *p + 1;

  while (q < end)
    {
      if (*q == '\\')
        q += 2;
      else if (*q == '"')
        {
          *p = q + 1;
          return TRUE;
        }
      else
        q++;
    }
  return FALSE;
}

static gboolean
skip_value (const char **p,
            const char  *end)
{
  const char *q = *p;
  guint depth = 0;

  if (q >= end)
    return FALSE;
  if (*q == '"')
    return skip_string (p, end);
  if (*q != '{' && *q != '[')
    {
      while (q < end && strchr (",}] \t\r\n", *q) == NULL)
        q++;
      if (q == *p)
        return FALSE;
      *p = q;
      return TRUE;
    }

  while (q < end)
    {
      switch (*q)
        {
        case '"':
          if (!skip_string (&q, end))
            return FALSE;
          continue;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (--depth == 0)
            {
              *p = q + 1;
              return TRUE;
            }
          break;
        default:
          break;
        }
      q++;
    }
  return FALSE;
}

static void
skip_space (const char **p,
            const char  *end)
{
  while (*p < end && g_ascii_isspace (**p))
    (*p)++;
}

/* Finds "next_since" and "more" among the members of a feed page without
 * reading the rest, so that the next page is asked for while this one is
 * read on a worker. A page it cannot skim waits to be read; what it finds
 * is checked against what the reading finds. */
static gboolean
skim_page (GBytes   *bytes,
           gint64   *next_since,
           gboolean *more)
{
  gsize length;
  const char *p = g_bytes_get_data (bytes, &length);
  const char *end = p + length;
  gboolean have_next = FALSE, have_more = FALSE;

  if (p == NULL)
    return FALSE;
  skip_space (&p, end);
  if (p >= end || *p++ != '{')
    return FALSE;

  for (;;)
    {
      const char *key, *value;
      gsize key_length;

      skip_space (&p, end);
      if (p < end && *p == '}')
        break;
      if (p >= end || *p != '"')
        return FALSE;
      key = p + 1;
      if (!skip_string (&p, end))
        return FALSE;
      key_length = p - 1 - key;
      skip_space (&p, end);
      if (p >= end || *p++ != ':')
        return FALSE;
      skip_space (&p, end);
      value = p;
      if (!skip_value (&p, end))
        return FALSE;

      if (key_length == strlen ("next_since") && memcmp (key, "next_since", key_length) == 0)
        {
          g_autofree char *text = g_strndup (value, p - value);

          if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, next_since, NULL))
            return FALSE;
          have_next = TRUE;
        }
      else if (key_length == strlen ("more") && memcmp (key, "more", key_length) == 0)
        {
          if (p - value == 4 && memcmp (value, "true", 4) == 0)
            *more = TRUE;
          else if (p - value == 5 && memcmp (value, "false", 5) == 0)
            *more = FALSE;
          else
            return FALSE;
          have_more = TRUE;
        }

      skip_space (&p, end);
      if (p < end && *p == ',')
        p++;
      else if (p < end && *p == '}')
        break;
      else
        return FALSE;
    }

  return have_next && have_more;
}

/* Pages fetched, read or waiting that the pipeline holds besides the one
 * being applied. */
static guint
pages_held (RunData *data)
{
  return (data->reading ? 1 : 0) + (data->pending != NULL ? 1 : 0) + g_queue_get_length (&data->ready);
}

static gboolean
pipeline_idle (RunData *data)
{
  return !data->fetching && !data->applying && pages_held (data) == 0;
}

static void start_read (GTask *task, Body *body);

/* Asks for the next page when its since is known and few pages are held:
 * the one being applied, one read, one fetched. */
static void
may_fetch (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  if (data->returned || data->fetching || data->resync_due || !data->next_known || data->no_more ||
      pages_held (data) > 1)
    return;
  pull_next (task);
}

static void
start_full_resync (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_assert (pipeline_idle (data));

  data->resynced = TRUE;
  data->resync_due = FALSE;
  if (!mp_sync_store_begin_full_resync (self->store, &error))
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }
  data->since = data->fetch_since = 0;
  data->full_pass = TRUE;
  data->next_known = TRUE;
  data->no_more = FALSE;
  data->entries_read = 0;
  set_models_done (self, 0);
  set_models_total (self, 0);
  pull_next (task);
}

/* What to do when a page was read or applied */
static void
advance (GTask *task)
{
  RunData *data = g_task_get_task_data (task);
  Page *next;

  if (data->returned)
    return;

  if (!data->applying && (next = g_queue_pop_head (&data->ready)) != NULL)
    start_apply (task, next);
  if (data->returned)
    return;
  if (!data->reading && data->pending != NULL)
    start_read (task, g_steal_pointer (&data->pending));

  if (data->resync_due)
    {
      if (pipeline_idle (data))
        start_full_resync (task);
      return;
    }
  may_fetch (task);
  if (data->no_more && pipeline_idle (data))
    push_next (task);
}

static void
on_page_applied (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  Page *page = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  data->applying = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!data->returned)
        fail_run (task, g_steal_pointer (&error));
      else
        return_when_idle (task);
      return;
    }

  /* Committed, whatever happened to the run meanwhile: the views follow. */
  data->since = page->next_since;
  data->summary.pulled += page->counts.pulled;
  data->summary.merged += page->counts.merged;
  data->summary.conflicts += page->counts.conflicts;
  mp_sync_store_emit_changed (self->store, page->changed_ids);
  if (data->returned)
    {
      return_when_idle (task);
      return;
    }
  set_models_done (self, self->models_done + page->n_changes);
  advance (task);
}

/* Takes @page. */
static void
start_apply (GTask *task,
             Page  *page)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) apply = NULL;

  g_assert (!data->applying);

  if (return_if_cancelled (task))
    {
      page_free (page);
      return;
    }

  /* Edits waiting to be saved go to the bank (and the outbox) before
   * platform changes that may touch the same models: then the pull merges
   * them instead of the save writing over what it brought. */
  g_signal_emit (self, signals[SIGNAL_ABOUT_TO_PULL], 0);

  data->applying = TRUE;
  page->sync = self;
  /* No source object: the worker drops its task after the callback ran,
   * and the sync must be free to go once the run returned. */
  apply = g_task_new (NULL, g_task_get_cancellable (task), on_page_applied, g_object_ref (task));
  g_task_set_source_tag (apply, start_apply);
  g_task_set_task_data (apply, page, (GDestroyNotify) page_free);
  g_task_run_in_thread (apply, apply_page_in_thread);
}

static void
on_page_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  Body *body = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(Page) page = g_task_propagate_pointer (G_TASK (result), &error);

  data->reading = FALSE;
  if (data->returned)
    {
      return_when_idle (task);
      return;
    }
  if (page == NULL)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  /* A page that goes back, or that moves nothing forward but says there
   * is more, would loop; one that reads otherwise than it skimmed is not
   * to be trusted either. */
  if (page->next_since < body->since ||
      (page->more && (page->next_since == body->since || page->n_changes == 0)) ||
      (body->skimmed && (body->next_since != page->next_since || body->more != page->more)))
    {
      fail_run_with (task, MP_ERROR_NETWORK, _("The platform sent an answer that could not be read."));
      return;
    }

  if (!body->skimmed)
    {
      data->fetch_since = page->next_since;
      data->next_known = TRUE;
      data->no_more = !page->more;
    }
  data->entries_read += page->n_changes;
  if (page->remaining >= 0)
    set_models_total (self, (guint) MIN (data->entries_read + page->remaining, G_MAXUINT));

  g_queue_push_tail (&data->ready, g_steal_pointer (&page));
  advance (task);
}

/* Takes @body. */
static void
start_read (GTask *task,
            Body  *body)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) read = NULL;

  g_assert (!data->reading);

  data->reading = TRUE;
  read = g_task_new (NULL, g_task_get_cancellable (task), on_page_read, g_object_ref (task));
  g_task_set_source_tag (read, start_read);
  g_task_set_task_data (read, body, (GDestroyNotify) body_free);
  g_task_run_in_thread (read, read_page_in_thread);
}

static void
on_feed_answer (GTask  *task,
                guint   status,
                GBytes *bytes)
{
  RunData *data = g_task_get_task_data (task);
  Body *body;

  data->fetching = FALSE;

  if (status == 410)
    {
      g_autofree char *code = answer_error_code (bytes);

      /* The platform no longer keeps changes that old: read everything
       * again, once the pages before are in; local edits stay in the
       * outbox and merge as usual. */
      if (g_strcmp0 (code, "resync_required") == 0 && !data->resynced)
        {
          data->resync_due = TRUE;
          advance (task);
          return;
        }
    }

  if (status != 200)
    {
      g_autofree char *detail = answer_error_message (bytes);
      g_autofree char *text = g_strdup_printf (_("The platform refused to send its changes (%u %s)."),
                                               status, detail != NULL ? detail : "");

      fail_run_with (task, MP_ERROR_NETWORK, text);
      return;
    }

  body = g_new0 (Body, 1);
  body->bytes = g_bytes_ref (bytes);
  body->since = data->fetch_since;
  body->skimmed = skim_page (bytes, &body->next_since, &body->more);
  data->next_known = body->skimmed;
  if (body->skimmed)
    {
      data->fetch_since = body->next_since;
      data->no_more = !body->more;
    }

  if (data->reading)
    {
      g_assert (data->pending == NULL);
      data->pending = body;
    }
  else
    start_read (task, body);
  advance (task);
}

static void
pull_next (GTask *task)
{
  MpSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (return_if_cancelled (task))
    return;

  data->fetching = TRUE;
  /* The later pages of a pass from 0 are served even when the platform
   * pruned tombstones after their since: the pass drops at its end what
   * it did not receive. */
  path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=%u%s", data->fetch_since, self->page_size,
                          data->full_pass && data->fetch_since > 0 ? "&full=1" : "");
  start_request (task, "GET", path, NULL, on_feed_answer);
}

static void
on_session_answer (GTask  *task,
                   guint   status,
                   GBytes *body)
{
  MpSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *token;

  self->running = NULL;
  set_status (self, MP_SYNC_STATUS_IDLE);

  if (status == 401)
    {
      g_task_return_new_error (task, MP_ERROR, MP_ERROR_AUTH, _("Wrong user name or password."));
      return;
    }
  if (status != 201 && status != 200)
    {
      g_autofree char *detail = answer_error_message (body);

      g_task_return_new_error (task, MP_ERROR, MP_ERROR_NETWORK,
                               _("The sign-in failed (%u %s)."), status, detail != NULL ? detail : "");
      return;
    }

  answer = parse_answer (body, &error);
  token = answer != NULL ? json_object_get_string_member_with_default (answer, "token", NULL) : NULL;
  if (token == NULL || *token == '\0')
    {
      if (error == NULL)
        g_set_error_literal (&error, MP_ERROR, MP_ERROR_NETWORK,
                             _("The platform sent an answer that could not be read."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_strdup (token), g_free);
}

/* GObject overrides */

static void
mp_sync_constructed (GObject *object)
{
  MpSync *self = (MpSync *) object;

  G_OBJECT_CLASS (mp_sync_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));
  g_assert (self->platform_url != NULL);
  self->api_base = api_base_for (self->platform_url);

  /* A platform on this machine (the reference server beside the app):
   * compressing a feed of 100 MB and decompressing it again would cost
   * more than a second of CPU and save nothing on the loopback. */
  if (is_loopback_url (self->api_base))
    soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
}

static void
mp_sync_dispose (GObject *object)
{
  MpSync *self = (MpSync *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->worker_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_sync_parent_class)->dispose (object);
}

static void
mp_sync_finalize (GObject *object)
{
  MpSync *self = (MpSync *) object;

  g_clear_pointer (&self->platform_url, g_free);
  g_clear_pointer (&self->api_base, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (mp_sync_parent_class)->finalize (object);
}

static void
mp_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MpSync *self = MP_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PLATFORM_URL:
      g_value_set_string (value, self->platform_url);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_MODELS_DONE:
      g_value_set_uint (value, self->models_done);
      break;
    case PROP_MODELS_TOTAL:
      g_value_set_uint (value, self->models_total);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_RETRY_AFTER:
      g_value_set_uint (value, self->retry_after);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  MpSync *self = MP_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PLATFORM_URL:
      self->platform_url = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      mp_sync_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_class_init (MpSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mp_sync_constructed;
  object_class->dispose = mp_sync_dispose;
  object_class->finalize = mp_sync_finalize;
  object_class->get_property = mp_sync_get_property;
  object_class->set_property = mp_sync_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLATFORM_URL] =
    g_param_spec_string ("platform-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* MpSyncStatus; an int as the core registers no enum types. */
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, MP_SYNC_STATUS_IDLE, MP_SYNC_STATUS_FAILED, MP_SYNC_STATUS_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODELS_DONE] =
    g_param_spec_uint ("models-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODELS_TOTAL] =
    g_param_spec_uint ("models-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_AFTER] =
    g_param_spec_uint ("retry-after", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MpSync::about-to-pull:
   *
   * Emitted on the main thread right before the pull writes platform
   * changes into the bank (before each page). Handlers write edits that
   * wait to be saved (mp_autosaver_flush()), so that they are merged with
   * what the platform brings instead of being saved over it later.
   */
  signals[SIGNAL_ABOUT_TO_PULL] =
    g_signal_new ("about-to-pull",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mp_sync_init (MpSync *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT,
                                                 "user-agent", "Mallipaja/" PACKAGE_VERSION,
                                                 NULL);
}

/* public API */

MpSyncSummary *
mp_sync_summary_copy (const MpSyncSummary *summary)
{
  return g_memdup2 (summary, sizeof *summary);
}

void
mp_sync_summary_free (MpSyncSummary *summary)
{
  g_free (summary);
}

/**
 * mp_sync_new:
 * @store: the bank to sync
 * @platform_url: the platform, e.g. "https://alusta.example.fi/"
 *
 * Returns: (transfer full): a sync object; anonymous until
 *   mp_sync_set_token()
 */
MpSync *
mp_sync_new (MpStore    *store,
             const char *platform_url)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (platform_url != NULL, NULL);

  return g_object_new (MP_TYPE_SYNC, "store", store, "platform-url", platform_url, NULL);
}

const char *
mp_sync_get_platform_url (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), NULL);

  return self->platform_url;
}

void
mp_sync_set_token (MpSync     *self,
                   const char *token)
{
  g_return_if_fail (MP_IS_SYNC (self));

  if (token != NULL && *token == '\0')
    token = NULL;
  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

MpSyncStatus
mp_sync_get_status (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), MP_SYNC_STATUS_IDLE);

  return self->status;
}

guint
mp_sync_get_models_done (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), 0);

  return self->models_done;
}

guint
mp_sync_get_models_total (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), 0);

  return self->models_total;
}

const char *
mp_sync_get_last_error (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), NULL);

  return self->last_error;
}

guint
mp_sync_get_retry_after (MpSync *self)
{
  g_return_val_if_fail (MP_IS_SYNC (self), 0);

  return self->retry_after;
}

void
mp_sync_set_timeout (MpSync *self,
                     guint   seconds)
{
  g_return_if_fail (MP_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

void
mp_sync_set_page_size (MpSync *self,
                       guint   page_size)
{
  g_return_if_fail (MP_IS_SYNC (self));
  g_return_if_fail (page_size > 0);

  self->page_size = page_size;
}

/**
 * mp_sync_run_async:
 * @self: a sync
 * @cancellable: (nullable): a cancellable
 * @callback: called when the run ends
 * @user_data: for @callback
 *
 * Pulls the change feed page by page (each page and its checkpoint in one
 * transaction), then pushes the outbox in batches. Failed requests are
 * sent again with backoff (honouring Retry-After) a few times; a run
 * that still fails leaves everything queued and reports why. Failed or
 * cancelled, the run returns only once no page of it is still being read
 * or written on a worker, so another run may start at once.
 */
void
mp_sync_run_async (MpSync              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  g_return_if_fail (MP_IS_SYNC (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mp_sync_run_async);

  if (self->running != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("A sync is already running."));
      return;
    }

  data = g_new0 (RunData, 1);
  data->sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  data->batch_max = MAX_BATCH;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (!mp_sync_store_set_platform (self->store, self->platform_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->running = task;
  data->since = data->fetch_since = mp_sync_store_get_since (self->store);
  data->full_pass = data->since == 0 || mp_sync_store_get_full_resync (self->store);
  data->next_known = TRUE;
  set_models_done (self, 0);
  set_models_total (self, 0);
  set_retry_after (self, 0);
  set_status (self, MP_SYNC_STATUS_PULLING);
  pull_next (task);
}

/**
 * mp_sync_run_finish:
 * @self: a sync
 * @result: the result
 * @error: MP_ERROR_NETWORK, MP_ERROR_AUTH, MP_ERROR_TOO_LARGE, a store
 *   error, or G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): what the run did, or %NULL
 */
MpSyncSummary *
mp_sync_run_finish (MpSync        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (MP_IS_SYNC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mp_sync_sign_in_async (MpSync              *self,
                       const char          *user,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) body = NULL;
  RunData *data;
  char *text;

  g_return_if_fail (MP_IS_SYNC (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mp_sync_sign_in_async);

  if (self->running != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("A sync is already running."));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);
  body = g_bytes_new_take (text, strlen (text));

  data = g_new0 (RunData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  self->running = task;
  start_request (task, "POST", "/session", body, on_session_answer);
  data->request->own_401 = TRUE;
}

char *
mp_sync_sign_in_finish (MpSync        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (MP_IS_SYNC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
mp_sync_resolve_field (MpSync      *self,
                       const char  *id,
                       const char  *field,
                       MpResolve    resolution,
                       const char  *text,
                       GError     **error)
{
  g_return_val_if_fail (MP_IS_SYNC (self), FALSE);

  return mp_sync_store_resolve_field (self->store, id, field, resolution, text, error);
}
