/* mp-indexer.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "mp-indexer.h"

/* What a run shares with the indexer. A run holds no reference to the
 * indexer itself: its last reference is never dropped on the worker
 * thread, and an indexer let go of mid-run goes at once, with the store
 * it holds. */
typedef struct {
  GWeakRef indexer;
  /* Whether a worker is still at work, for mp_indexer_stop(). */
  GMutex mutex;
  GCond cond;
  gboolean worker_active;
} Shared;

struct _MpIndexer
{
  GObject parent_instance;

  /* owned references */
  MpStore *store;
  GCancellable *cancellable;   /* of the run under way */
  Shared *shared;

  guint run;                   /* counts runs: late progress of an old one is ignored */
  guint remaining;
  guint holds;
  gboolean running;
  /* A run cancelled by a hold goes on once the hold is released */
  gboolean resume;
};

G_DEFINE_FINAL_TYPE (MpIndexer, mp_indexer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RUNNING,
  PROP_REMAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *path;
  GMainContext *context;       /* where progress is told */
  Shared *shared;
  guint run;
  gboolean indexed_any;
} RunData;

typedef struct {
  Shared *shared;
  guint run;
  guint remaining;
} Progress;

/* private helpers */

static void
shared_clear (gpointer data)
{
  Shared *shared = data;

  g_weak_ref_clear (&shared->indexer);
  g_mutex_clear (&shared->mutex);
  g_cond_clear (&shared->cond);
}

static void
shared_unref (Shared *shared)
{
  g_atomic_rc_box_release_full (shared, shared_clear);
}

static void
run_data_free (gpointer user_data)
{
  RunData *data = user_data;

  g_free (data->path);
  g_main_context_unref (data->context);
  shared_unref (data->shared);
  g_free (data);
}

static void
progress_free (gpointer user_data)
{
  Progress *progress = user_data;

  shared_unref (progress->shared);
  g_free (progress);
}

static void
set_remaining (MpIndexer *self,
               guint      remaining)
{
  if (self->remaining == remaining)
    return;
  self->remaining = remaining;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
}

static void
set_running (MpIndexer *self,
             gboolean   running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
apply_progress (gpointer user_data)
{
  Progress *progress = user_data;
  g_autoptr(MpIndexer) self = g_weak_ref_get (&progress->shared->indexer);

  if (self != NULL && self->running && progress->run == self->run)
    set_remaining (self, progress->remaining);
  return G_SOURCE_REMOVE;
}

/* In the worker thread. An idle source, not g_main_context_invoke():
 * that could run the function right here when the main context happens
 * to be free. */
static void
post_progress (RunData *data,
               guint    remaining)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Progress *progress = g_new0 (Progress, 1);

  progress->shared = g_atomic_rc_box_acquire (data->shared);
  progress->run = data->run;
  progress->remaining = remaining;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_progress, progress, progress_free);
  g_source_set_static_name (source, "[mallipaja] index progress");
  g_source_attach (source, data->context);
}

/* The worker's own connection: SQLite connections are never shared
 * between threads here. It is closed before the worker says it is done,
 * so that mp_indexer_stop() returns with the file left alone. */
static gboolean
drain (RunData       *data,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(MpStore) store = NULL;
  guint remaining;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !(store = mp_store_open (data->path, error)))
    return FALSE;

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !mp_store_index_backlog_step (store, MP_INDEXER_CHUNK, &remaining, error))
        return FALSE;
      data->indexed_any = TRUE;
      post_progress (data, remaining);
    }
  while (remaining > 0);

  return TRUE;
}

/* callbacks */

static void
index_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RunData *data = task_data;
  Shared *shared = data->shared;
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = drain (data, cancellable, &error);

  g_mutex_lock (&shared->mutex);
  shared->worker_active = FALSE;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->mutex);

  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_indexed (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RunData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(MpIndexer) self = g_weak_ref_get (&data->shared->indexer);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL)
    return;
  g_clear_object (&self->cancellable);
  set_remaining (self, mp_store_count_index_backlog (self->store));
  set_running (self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->resume && self->holds == 0)
        mp_indexer_start (self);
      return;
    }
  if (error != NULL)
    {
      /* The backlog is kept: the next change of the bank, or the next
       * start, tries again. */
      g_message ("The search index could not be brought up to date: %s", error->message);
      return;
    }

  /* Not the store's "bank-changed": no model changed, and what shows a
   * model would load it again for nothing. Only searches change. */
  if (data->indexed_any)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  /* Models queued after the worker's last look */
  if (self->remaining > 0)
    mp_indexer_start (self);
}

static void
on_store_changed (MpIndexer *self)
{
  if (!self->running)
    mp_indexer_start (self);
}

/* GObject overrides */

static void
mp_indexer_constructed (GObject *object)
{
  MpIndexer *self = MP_INDEXER (object);

  G_OBJECT_CLASS (mp_indexer_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));
  g_signal_connect_object (self->store, "bank-changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "model-changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);
  self->remaining = mp_store_count_index_backlog (self->store);
}

static void
mp_indexer_dispose (GObject *object)
{
  MpIndexer *self = MP_INDEXER (object);

  if (self->running)
    mp_indexer_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_indexer_parent_class)->dispose (object);
}

static void
mp_indexer_finalize (GObject *object)
{
  MpIndexer *self = MP_INDEXER (object);

  g_clear_pointer (&self->shared, shared_unref);

  G_OBJECT_CLASS (mp_indexer_parent_class)->finalize (object);
}

static void
mp_indexer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MpIndexer *self = MP_INDEXER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_REMAINING:
      g_value_set_uint (value, self->remaining);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_indexer_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MpIndexer *self = MP_INDEXER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_indexer_class_init (MpIndexerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mp_indexer_constructed;
  object_class->dispose = mp_indexer_dispose;
  object_class->finalize = mp_indexer_finalize;
  object_class->get_property = mp_indexer_get_property;
  object_class->set_property = mp_indexer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMAINING] =
    g_param_spec_uint ("remaining", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MpIndexer::finished:
   *
   * A run indexed models and the backlog is empty: searches made before
   * may find more now.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mp_indexer_init (MpIndexer *self)
{
  self->shared = g_atomic_rc_box_new0 (Shared);
  g_weak_ref_init (&self->shared->indexer, self);
  g_mutex_init (&self->shared->mutex);
  g_cond_init (&self->shared->cond);
}

/* public API */

/**
 * mp_indexer_new:
 * @store: the store that shows the bank (the main thread's)
 *
 * Returns: (transfer full): an indexer, not yet running
 */
MpIndexer *
mp_indexer_new (MpStore *store)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  return g_object_new (MP_TYPE_INDEXER, "store", store, NULL);
}

MpStore *
mp_indexer_get_store (MpIndexer *self)
{
  g_return_val_if_fail (MP_IS_INDEXER (self), NULL);

  return self->store;
}

/**
 * mp_indexer_start:
 * @self: an indexer
 *
 * Indexes the store's backlog on a worker thread, MP_INDEXER_CHUNK
 * models a transaction, until it is empty. Nothing happens when it is
 * empty or a run is under way (that run takes what is queued meanwhile).
 */
void
mp_indexer_start (MpIndexer *self)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (MP_IS_INDEXER (self));

  if (self->running || self->holds > 0)
    return;

  self->resume = FALSE;
  set_remaining (self, mp_store_count_index_backlog (self->store));
  if (self->remaining == 0)
    return;

  self->cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  data->path = g_strdup (mp_store_get_path (self->store));
  data->context = g_main_context_ref_thread_default ();
  data->shared = g_atomic_rc_box_acquire (self->shared);
  data->run = ++self->run;

  /* No source object: see Shared */
  task = g_task_new (NULL, self->cancellable, on_indexed, NULL);
  g_task_set_source_tag (task, mp_indexer_start);
  g_task_set_name (task, "[mallipaja] index backlog");
  g_task_set_task_data (task, data, run_data_free);

  g_mutex_lock (&self->shared->mutex);
  self->shared->worker_active = TRUE;
  g_mutex_unlock (&self->shared->mutex);

  set_running (self, TRUE);
  g_task_run_in_thread (task, index_in_thread);
}

/**
 * mp_indexer_stop:
 * @self: an indexer
 *
 * Cancels the run under way and waits until its worker has closed its
 * connection: at most one chunk. Call it before the bank is closed or
 * the application quits. "running" turns %FALSE when the main context
 * next runs.
 */
void
mp_indexer_stop (MpIndexer *self)
{
  g_return_if_fail (MP_IS_INDEXER (self));

  self->resume = FALSE;
  g_cancellable_cancel (self->cancellable);

  g_mutex_lock (&self->shared->mutex);
  while (self->shared->worker_active)
    g_cond_wait (&self->shared->cond, &self->shared->mutex);
  g_mutex_unlock (&self->shared->mutex);
}

/**
 * mp_indexer_hold:
 * @self: an indexer
 *
 * Keeps the indexer from taking the bank's write lock until
 * mp_indexer_release(): a sync's pull writes pages much faster alone, and
 * the models it queues are indexed after it in one go. A run under way
 * stops after its chunk; this does not wait for it.
 */
void
mp_indexer_hold (MpIndexer *self)
{
  g_return_if_fail (MP_IS_INDEXER (self));

  if (self->holds++ > 0 || !self->running)
    return;
  self->resume = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/**
 * mp_indexer_release:
 * @self: an indexer
 *
 * Ends a hold of mp_indexer_hold(); after the last one, indexes what
 * waits.
 */
void
mp_indexer_release (MpIndexer *self)
{
  g_return_if_fail (MP_IS_INDEXER (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds > 0)
    return;
  /* A run cancelled by the hold that has not ended yet goes on when it has */
  if (self->running)
    self->resume = TRUE;
  else
    mp_indexer_start (self);
}

gboolean
mp_indexer_get_held (MpIndexer *self)
{
  g_return_val_if_fail (MP_IS_INDEXER (self), FALSE);

  return self->holds > 0;
}

gboolean
mp_indexer_get_running (MpIndexer *self)
{
  g_return_val_if_fail (MP_IS_INDEXER (self), FALSE);

  return self->running;
}

guint
mp_indexer_get_remaining (MpIndexer *self)
{
  g_return_val_if_fail (MP_IS_INDEXER (self), 0);

  return self->remaining;
}
