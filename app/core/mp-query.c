/* mp-query.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mp-query.h"

G_DEFINE_BOXED_TYPE (MpQuery, mp_query, mp_query_copy, mp_query_free)

/* An empty search text is no search at all. */
static const char *
normalise_text (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/**
 * mp_query_new:
 *
 * Returns: (transfer full): a query that matches every model
 */
MpQuery *
mp_query_new (void)
{
  MpQuery *query = g_new0 (MpQuery, 1);

  query->min_stage = -1;
  query->publication = MP_PUBLICATION_ANY;
  return query;
}

MpQuery *
mp_query_copy (const MpQuery *query)
{
  MpQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_new0 (MpQuery, 1);
  copy->text = g_strdup (query->text);
  copy->min_stage = query->min_stage;
  copy->theme = g_strdup (query->theme);
  copy->target_group = g_strdup (query->target_group);
  copy->region = g_strdup (query->region);
  copy->publication = query->publication;
  return copy;
}

void
mp_query_free (MpQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->text);
  g_free (query->theme);
  g_free (query->target_group);
  g_free (query->region);
  g_free (query);
}

/* NULL and "" are the same: no filter. */
gboolean
mp_query_equal (const MpQuery *a,
                const MpQuery *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (normalise_text (a->text), normalise_text (b->text)) == 0 &&
         a->min_stage == b->min_stage &&
         g_strcmp0 (normalise_text (a->theme), normalise_text (b->theme)) == 0 &&
         g_strcmp0 (normalise_text (a->target_group), normalise_text (b->target_group)) == 0 &&
         g_strcmp0 (normalise_text (a->region), normalise_text (b->region)) == 0 &&
         a->publication == b->publication;
}
