/* mp-conflict-view.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-sync-store.h"

G_BEGIN_DECLS

#define MP_TYPE_CONFLICT_VIEW (mp_conflict_view_get_type ())
G_DECLARE_FINAL_TYPE (MpConflictView, mp_conflict_view, MP, CONFLICT_VIEW, AdwWindow)

/* Shows each field of a model that was changed both here and on the
 * platform side by side (before both changes, theirs, mine, and a merged
 * text to edit) and resolves it with mp_sync_store_resolve_field(); closes
 * itself when none is left.
 *
 * Properties: "store", "model-id" (construct-only).
 * Signals: "resolved" (const char *field) after each field; "done" when
 * the last one was resolved.
 * Actions: "conflict.use-theirs", "conflict.keep-mine",
 * "conflict.use-merged", "conflict.use-file" (the imported file's text,
 * when a pull has since put the platform's in theirs), each with the
 * field ("s"). */

/* Where the conflicts of a model come from: a pull, an imported file
 * (records holding "from_file"), or both. */
typedef enum {
  MP_CONFLICT_ORIGIN_NONE     = 0,
  MP_CONFLICT_ORIGIN_PLATFORM = 1 << 0,
  MP_CONFLICT_ORIGIN_FILE     = 1 << 1,
} MpConflictOrigin;

GtkWidget *mp_conflict_view_new          (MpStore        *store,
                                          const char     *model_id);
/* The origin of the conflicts @model_id has in @store, for the words
 * that tell about them. */
MpConflictOrigin mp_conflict_view_get_origin (MpStore    *store,
                                              const char *model_id);
/* Fields still in conflict. */
guint      mp_conflict_view_get_n_fields (MpConflictView *self);
/* The merged text editor of @field, for tests. */
GtkTextBuffer *mp_conflict_view_get_merged_buffer (MpConflictView *self,
                                                   const char     *field);

G_END_DECLS
