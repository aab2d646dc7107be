/* mp-sync-store.h — the sync's tables in the bank: checkpoint, outbox,
 * per-model sync state and conflicts
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mp-store.h"

G_BEGIN_DECLS

/**
 * MpSyncState:
 * @MP_SYNC_STATE_LOCAL: a draft only on this device (never synced, or private)
 * @MP_SYNC_STATE_PENDING: local edits wait in the outbox
 * @MP_SYNC_STATE_SYNCED: the same as the platform's revision last seen
 * @MP_SYNC_STATE_CONFLICT: the same field was changed here and on the platform
 */
typedef enum {
  MP_SYNC_STATE_LOCAL,
  MP_SYNC_STATE_PENDING,
  MP_SYNC_STATE_SYNCED,
  MP_SYNC_STATE_CONFLICT,
} MpSyncState;

/**
 * MpResolve:
 * @MP_RESOLVE_THEIRS: take the platform's value
 * @MP_RESOLVE_MINE: keep the local value
 * @MP_RESOLVE_MERGED: use a text the person wrote from both
 */
typedef enum {
  MP_RESOLVE_THEIRS,
  MP_RESOLVE_MINE,
  MP_RESOLVE_MERGED,
} MpResolve;

/* After this many refusals (4xx other than 401 and 409) an edit is
 * quarantined: it is kept, but no longer sent until released. */
#define MP_SYNC_MAX_REJECTIONS 3

typedef struct {
  guint pulled;       /* models written or removed from the change feed */
  guint pushed;       /* edits the platform accepted */
  guint merged;       /* models merged three ways (here or on the platform) */
  guint conflicts;    /* models that got a conflict */
  guint quarantined;  /* edits quarantined in this run */
} MpSyncCounts;

/* Called by mp_store_save_model() inside its transaction, before the model
 * is written: queues the changed fields of a non-private model, so that an
 * acknowledged save is already queued. */
gboolean     mp_sync_store_enqueue_save      (MpStore       *store,
                                              MpModel       *model,
                                              GError       **error);

/* Called by mp_store_purge_deleted() inside its transaction, before the
 * deleted models go: drops their queued edits and sync state, so that a
 * draft deleted here is never sent. */
gboolean     mp_sync_store_forget_deleted    (MpStore       *store,
                                              GError       **error);

/* State of one model; @remote_gone (optional) tells that the platform
 * removed it while it held local edits. */
MpSyncState  mp_sync_store_get_state         (MpStore       *store,
                                              const char    *id,
                                              gboolean      *remote_gone);
/* The conflicts of a model: a JSON array of {field, base, theirs, mine},
 * or %NULL when there are none. */
JsonNode    *mp_sync_store_get_conflicts     (MpStore       *store,
                                              const char    *id);
/* Outbox entries waiting (of one model, or all when @id is %NULL);
 * quarantined ones are counted apart. */
guint        mp_sync_store_count_outbox      (MpStore       *store,
                                              const char    *id,
                                              guint         *n_quarantined);
/* Why the model's edits are quarantined, or %NULL. */
char        *mp_sync_store_dup_quarantine    (MpStore       *store,
                                              const char    *id);
/* Sends the model's quarantined edits again on the next sync. */
gboolean     mp_sync_store_release_quarantine (MpStore      *store,
                                               const char   *id,
                                               GError      **error);

/* Checkpoint and platform. */
gint64       mp_sync_store_get_since         (MpStore       *store);
/* Whether a full re-sync (from 0) is under way. */
gboolean     mp_sync_store_get_full_resync   (MpStore       *store);
char        *mp_sync_store_dup_platform      (MpStore       *store);
gboolean     mp_sync_store_set_platform      (MpStore       *store,
                                              const char    *url,
                                              GError       **error);
gint64       mp_sync_store_get_last_sync     (MpStore       *store);
char        *mp_sync_store_dup_last_error    (MpStore       *store);
gboolean     mp_sync_store_set_result        (MpStore       *store,
                                              const char    *error_message,
                                              GError       **error);

/* Pull: applies one page of the change feed and its checkpoint in one
 * transaction. @changes holds feed entries as the platform sends them. */
gboolean     mp_sync_store_apply_page        (MpStore       *store,
                                              JsonArray     *changes,
                                              gint64         next_since,
                                              gboolean       last_page,
                                              MpSyncCounts  *counts,
                                              GError       **error);
/* Reads a page's documents into models ahead of applying it, in any
 * thread, outside the transaction. */
GHashTable  *mp_sync_store_prepare_page      (JsonArray     *changes);
/* The same on a worker thread's own store, which emits nothing: the ids
 * of the models written or removed are added to @changed_ids, for
 * mp_sync_store_emit_changed() on the views' store and thread. */
gboolean     mp_sync_store_apply_page_quietly (MpStore      *store,
                                               JsonArray    *changes,
                                               GHashTable   *prepared,
                                               gint64        next_since,
                                               gboolean      last_page,
                                               MpSyncCounts *counts,
                                               GPtrArray    *changed_ids,
                                               GError      **error);
void         mp_sync_store_emit_changed      (MpStore       *store,
                                              GPtrArray     *ids);
/* For the pull's own connection: commits that need not wait for the disk
 * (a page lost is pulled again) and a page cache that holds a page. */
gboolean     mp_sync_store_tune_for_pull     (MpStore       *store,
                                              GError       **error);
/* The platform no longer keeps changes after the checkpoint: start over
 * from 0, keeping every local edit. */
gboolean     mp_sync_store_begin_full_resync (MpStore       *store,
                                              GError       **error);

/* Push: the next edit of each model that may go now (the first of each
 * model, not quarantined, not in conflict), at most @max, counted as
 * attempted. Returns a JSON array of batch items ({id, idempotency_key,
 * base_revision, fields} or {id, idempotency_key, document}) and, in
 * @entry_ids, the outbox ids in the same order. */
JsonNode    *mp_sync_store_next_batch        (MpStore       *store,
                                              guint          max,
                                              GArray       **entry_ids,
                                              GError       **error);
/* The same as the text of a batch request ({"items": [...]}), leaving out
 * the outbox ids in @skip; %NULL without an error when nothing is to go. */
GBytes      *mp_sync_store_next_batch_body   (MpStore       *store,
                                              guint          max,
                                              GHashTable    *skip,
                                              GArray       **entry_ids,
                                              GError       **error);
/* Records the platform's answer to each item in one transaction. Returns
 * FALSE with MP_ERROR_AUTH when the session was refused. */
gboolean     mp_sync_store_record_results    (MpStore       *store,
                                              GArray        *entry_ids,
                                              JsonArray     *results,
                                              MpSyncCounts  *counts,
                                              GError       **error);
/* The same on a worker thread's own store, which emits nothing (see
 * mp_sync_store_apply_page_quietly()). */
gboolean     mp_sync_store_record_results_quietly (MpStore      *store,
                                                   GArray       *entry_ids,
                                                   JsonArray    *results,
                                                   MpSyncCounts *counts,
                                                   GPtrArray    *changed_ids,
                                                   GError      **error);
/* A transient failure (timeout, 5xx): the entries stay queued. */
gboolean     mp_sync_store_record_failure    (MpStore       *store,
                                              GArray        *entry_ids,
                                              const char    *message,
                                              GError       **error);

/* Resolves one conflicting field; when it was the last one, the model's
 * edits are queued again as one push. @text is used with MP_RESOLVE_MERGED
 * (only for text fields). */
gboolean     mp_sync_store_resolve_field     (MpStore       *store,
                                              const char    *id,
                                              const char    *field,
                                              MpResolve      resolution,
                                              const char    *text,
                                              GError       **error);

G_END_DECLS

/* Exchange files (issue 6): another copy of a model, brought by a
 * .mallipaja file, merged as a pull merges the platform's copy. */

G_BEGIN_DECLS

/* Merges @theirs (another copy of a model the bank holds; "theirs" in the
 * conflict records) into the bank's copy ("mine") three ways against @base,
 * or, when no common ancestor is known (@base %NULL), with every field in
 * which the copies differ a conflict. Gives the document to write (the
 * bank's value in every conflicting field), the conflict records
 * ({field, base, theirs, mine}, as the sync keeps them), and the fields
 * taken from @theirs. A private copy never becomes visible by a merge. */
gboolean     mp_sync_store_merge_copy        (MpStore       *store,
                                              JsonObject    *base,
                                              JsonObject    *theirs,
                                              JsonObject   **merged,
                                              JsonArray    **conflicts,
                                              GStrv         *taken,
                                              GError       **error);
/* Inside the caller's transaction: writes @merged as the bank's copy and
 * @conflicts as the model's sync conflicts, without queueing anything;
 * resolving the last conflict queues the model as a resolved sync conflict
 * does. The caller emits the store's signals after committing. */
gboolean     mp_sync_store_write_copy        (MpStore       *store,
                                              JsonObject    *merged,
                                              JsonArray     *conflicts,
                                              GError       **error);

G_END_DECLS

/* Autosave over another writer (issue 4): an open model whose bank copy a
 * pull or an import wrote while it was being edited is merged with that
 * copy when it is saved, never saved over it. */

G_BEGIN_DECLS

typedef struct _MpSaveSnapshot MpSaveSnapshot;

/* What @model, as it is now, was loaded from or last saved as: the common
 * ancestor when something else writes the bank's copy before @model is
 * saved. Keeps a copy of @model and the model's stored conflicts. */
MpSaveSnapshot *mp_sync_store_take_snapshot  (MpStore         *store,
                                              MpModel         *model);
void            mp_save_snapshot_free        (MpSaveSnapshot  *snapshot);

/* Saves @model as mp_store_save_model() does (queued, indexed), in one
 * write transaction, when the bank's copy is still the one of @snapshot;
 * else merges @model three ways with the bank's copy against @snapshot,
 * as a pull merges, and writes the result. Sets @merged to the model
 * written when it is not @model, for the caller to take, and moves
 * @snapshot on to what was written. Emits nothing: the caller emits the
 * store's "model-changed" once it has taken the result. */
gboolean        mp_sync_store_save_merging   (MpStore         *store,
                                              MpModel         *model,
                                              MpSaveSnapshot  *snapshot,
                                              MpModel        **merged,
                                              GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpSaveSnapshot, mp_save_snapshot_free)

G_END_DECLS
