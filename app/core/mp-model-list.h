/* mp-model-list.h — a GListModel of MpModelSummary over the store's rowids
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mp-query.h"
#include "mp-store.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_LIST (mp_model_list_get_type ())
G_DECLARE_FINAL_TYPE (MpModelList, mp_model_list, MP, MODEL_LIST, GObject)

/* Holds only the rowids of the current query; items are made on demand,
 * so 100,000 models cost 100,000 integers, not 100,000 objects.
 * Properties: "store", "query" (MpQuery boxed), "n-items". Re-queries when
 * the store reports a change, emitting exact items_changed ranges: one
 * for a new query or a "model-changed"; for a "bank-changed" (an import,
 * a sync page of many models) one per range that changed, so that a view
 * rebinds only the rows that did, and keeps its place. A summary stays the
 * same object for as long as anyone holds it and its model is unchanged. */

MpModelList   *mp_model_list_new       (MpStore       *store);
MpStore       *mp_model_list_get_store (MpModelList   *self);
const MpQuery *mp_model_list_get_query (MpModelList   *self);
void           mp_model_list_set_query (MpModelList   *self,
                                        const MpQuery *query);
/* Position of the model with @id, or -1. */
int            mp_model_list_find      (MpModelList   *self,
                                        const char    *id);

G_END_DECLS
