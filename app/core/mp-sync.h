/* mp-sync.h — replication of the bank with the platform (issue 4)
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mp-store.h"
#include "mp-sync-store.h"

G_BEGIN_DECLS

/**
 * MpSyncStatus:
 * @MP_SYNC_STATUS_IDLE: not syncing; the last run (if any) succeeded
 * @MP_SYNC_STATUS_PULLING: reading the change feed
 * @MP_SYNC_STATUS_PUSHING: sending local edits
 * @MP_SYNC_STATUS_FAILED: the last run failed ("last-error" says why)
 */
typedef enum {
  MP_SYNC_STATUS_IDLE,
  MP_SYNC_STATUS_PULLING,
  MP_SYNC_STATUS_PUSHING,
  MP_SYNC_STATUS_FAILED,
} MpSyncStatus;

typedef struct {
  guint pulled;
  guint pushed;
  guint merged;
  guint conflicts;
  guint quarantined;
} MpSyncSummary;

#define MP_TYPE_SYNC_SUMMARY (mp_sync_summary_get_type ())
GType          mp_sync_summary_get_type (void) G_GNUC_CONST;
MpSyncSummary *mp_sync_summary_copy     (const MpSyncSummary *summary);
void           mp_sync_summary_free     (MpSyncSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpSyncSummary, mp_sync_summary_free)

/* Pages with more changes than this leave the search indexing of their
 * models to the store's index backlog (MpIndexer), so that a large pull
 * costs the writing only. */
#define MP_SYNC_INDEX_INLINE_MAX 32

#define MP_TYPE_SYNC (mp_sync_get_type ())
G_DECLARE_FINAL_TYPE (MpSync, mp_sync, MP, SYNC, GObject)

/* Properties: "store", "platform-url" (construct only), "token" (NULL:
 * anonymous, pulls what the public may see and pushes nothing), "status",
 * "models-done" and "models-total" (progress of the pull; total 0 when the
 * platform does not tell), "last-error", "retry-after" (seconds the
 * platform asked to wait, 0 when it did not).
 *
 * Signals: "about-to-pull" on the main thread before the pull writes
 * platform changes into the bank: the moment to save pending edits.
 *
 * The pull reads and applies the feed's pages on worker threads, with a
 * connection of its own to the bank file (WAL), and tells the store it
 * was given ("model-changed", "bank-changed") on the main thread after
 * each page. */

MpSync        *mp_sync_new                 (MpStore             *store,
                                            const char          *platform_url);
const char    *mp_sync_get_platform_url    (MpSync              *self);
void           mp_sync_set_token           (MpSync              *self,
                                            const char          *token);
MpSyncStatus   mp_sync_get_status          (MpSync              *self);
guint          mp_sync_get_models_done     (MpSync              *self);
guint          mp_sync_get_models_total    (MpSync              *self);
const char    *mp_sync_get_last_error      (MpSync              *self);
guint          mp_sync_get_retry_after     (MpSync              *self);
/* Seconds before a request counts as failed (default 60). */
void           mp_sync_set_timeout         (MpSync              *self,
                                            guint                seconds);
/* Entries per page of the change feed (default 500). */
void           mp_sync_set_page_size       (MpSync              *self,
                                            guint                page_size);

/* One sync: pull the change feed page by page, then push the outbox. */
void           mp_sync_run_async           (MpSync              *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MpSyncSummary *mp_sync_run_finish          (MpSync              *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* POST /session: returns the bearer token. */
void           mp_sync_sign_in_async       (MpSync              *self,
                                            const char          *user,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char          *mp_sync_sign_in_finish      (MpSync              *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Resolves one field of a conflict; see mp_sync_store_resolve_field(). */
gboolean       mp_sync_resolve_field       (MpSync              *self,
                                            const char          *id,
                                            const char          *field,
                                            MpResolve            resolution,
                                            const char          *text,
                                            GError             **error);

G_END_DECLS
