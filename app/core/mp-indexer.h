/* mp-indexer.h — works through the search index backlog in the background
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-store.h"

G_BEGIN_DECLS

/* Models indexed per transaction: a person's save waits at most this
 * long for the write lock, ~2 ms a model (~12 KB of Finnish) on a slow
 * laptop, so ~200 ms. */
#define MP_INDEXER_CHUNK 100

#define MP_TYPE_INDEXER (mp_indexer_get_type ())
G_DECLARE_FINAL_TYPE (MpIndexer, mp_indexer, MP, INDEXER, GObject)

/* Indexes the backlog of a store (mp_store_index_backlog_step()) on a
 * worker thread with a connection of its own, a chunk per transaction.
 * Properties (notified on the main thread): "store" (construct-only),
 * "running" and "remaining" (models left, after each chunk). When a run
 * has indexed models it emits "finished", for searches to be made again
 * (not the store's "bank-changed": no model changed). It starts by
 * itself when the store says that models changed ("bank-changed",
 * "model-changed") and the backlog is not empty, so code that fills the
 * backlog need only emit the store's signal, as it does anyway. */

MpIndexer *mp_indexer_new           (MpStore   *store);
MpStore   *mp_indexer_get_store     (MpIndexer *self);
/* Starts when the backlog is not empty; nothing when already running. */
void       mp_indexer_start         (MpIndexer *self);
/* Cancels and waits for the chunk under way (a fraction of a second);
 * what is left stays in the backlog for the next start. Dropping the last
 * reference does the same. */
void       mp_indexer_stop          (MpIndexer *self);
/* Holds the indexer while something else writes much to the bank (a
 * sync's pull): no run starts, and one under way stops after its chunk
 * without waiting for it. Holds count; the last release starts again
 * when models wait. */
void       mp_indexer_hold          (MpIndexer *self);
void       mp_indexer_release       (MpIndexer *self);
gboolean   mp_indexer_get_held      (MpIndexer *self);
gboolean   mp_indexer_get_running   (MpIndexer *self);
guint      mp_indexer_get_remaining (MpIndexer *self);

G_END_DECLS
