/* mp-query.h — what the list shows: search text and filters
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MP_PUBLICATION_ANY,
  MP_PUBLICATION_DRAFTS,       /* own drafts: made here and never synced */
  MP_PUBLICATION_PUBLISHED,    /* public and finished */
  MP_PUBLICATION_UNFINISHED,   /* public, marked unfinished */
} MpPublication;

/**
 * MpQuery:
 * @text: search text as typed (may be NULL or empty)
 * @min_stage: models whose current stage is at least this, or -1 for any
 * @theme: a theme key or NULL
 * @target_group: a target-group key or NULL
 * @region: a region key or NULL
 * @publication: which models by their publication state
 *
 * A boxed value; filters combine with AND.
 */
typedef struct {
  char          *text;
  int            min_stage;
  char          *theme;
  char          *target_group;
  char          *region;
  MpPublication  publication;
} MpQuery;

#define MP_TYPE_QUERY (mp_query_get_type ())

GType     mp_query_get_type (void) G_GNUC_CONST;
MpQuery  *mp_query_new      (void);
MpQuery  *mp_query_copy     (const MpQuery *query);
void      mp_query_free     (MpQuery       *query);
gboolean  mp_query_equal    (const MpQuery *a,
                             const MpQuery *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpQuery, mp_query_free)

G_END_DECLS
