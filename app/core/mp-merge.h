/* mp-merge.h — three-way, per-field merge of model documents
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * MpMergeSide:
 * @MP_MERGE_SIDE_THEIRS: the change came from the other side (the platform's
 *   current revision when the server merges a push)
 * @MP_MERGE_SIDE_MINE: the change came from this side (the push)
 *
 * Which side changed a field that only one side changed.
 */
typedef enum {
  MP_MERGE_SIDE_THEIRS,
  MP_MERGE_SIDE_MINE,
} MpMergeSide;

/**
 * MpMergeConflict:
 * @field: the field path: a document key ("summary"), or "stages.KEY" for one
 *   stage entry, or "characteristics.KEY" for one characteristic
 * @base: the value both sides started from (%NULL when it did not exist)
 * @theirs: their value (%NULL when absent)
 * @mine: my value (%NULL when absent)
 *
 * A hard conflict: the same field changed on both sides to different values.
 * Nothing is dropped: all three values are kept.
 */
typedef struct {
  char     *field;
  JsonNode *base;
  JsonNode *theirs;
  JsonNode *mine;
} MpMergeConflict;

typedef struct _MpMergeResult MpMergeResult;

/* Fields that the merge leaves alone because the system sets them: "format",
 * "id", "revision", "created" and "modified" are taken from @theirs. */
gboolean               mp_merge_is_system_field          (const char    *key);

/**
 * mp_merge_documents:
 * @base: the document both sides started from
 * @theirs: the other side's current document
 * @mine: this side's document
 *
 * Merges per field. Lists, links, based_on and collaborators are compared as
 * whole values; stages merge per stage entry (matched by their "stage" key)
 * and characteristics per characteristic key (a missing key means
 * {"has": false, "justification": ""}). Pass complete documents, as
 * mp_model_to_json() writes them: an absent key counts as a value of its own.
 *
 * Returns: (transfer full): the result; never %NULL.
 */
MpMergeResult         *mp_merge_documents                (JsonObject    *base,
                                                          JsonObject    *theirs,
                                                          JsonObject    *mine);
void                   mp_merge_result_free              (MpMergeResult *result);

/* The merged document: @theirs with every one-sided change of @mine applied.
 * Fields in hard conflict keep their value. Unchanged values may be shared
 * with the inputs (json_node_copy() is shallow): copy before changing them
 * in place. */
JsonObject            *mp_merge_result_get_document      (MpMergeResult *result);
/* Whether the merged document differs from @theirs outside system fields. */
gboolean               mp_merge_result_changes_theirs    (MpMergeResult *result);

/* Soft changes: fields changed on one side only, merged without asking. */
guint                  mp_merge_result_get_n_soft        (MpMergeResult *result);
const char            *mp_merge_result_get_soft_field    (MpMergeResult *result,
                                                          guint          index,
                                                          MpMergeSide   *side);

/* Hard conflicts: fields changed on both sides to different values. */
gboolean               mp_merge_result_has_conflicts     (MpMergeResult *result);
guint                  mp_merge_result_get_n_conflicts   (MpMergeResult *result);
const MpMergeConflict *mp_merge_result_get_conflict      (MpMergeResult *result,
                                                          guint          index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpMergeResult, mp_merge_result_free)

G_END_DECLS
