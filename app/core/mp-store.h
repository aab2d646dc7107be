/* mp-store.h — the local model bank in SQLite
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-model.h"
#include "mp-model-summary.h"
#include "mp-query.h"

G_BEGIN_DECLS

/* The newest schema this build writes (PRAGMA user_version). */
#define MP_STORE_SCHEMA_VERSION 7

/* The kind of model_tags rows that name a characteristic the model has
 * (the other kinds are MpList values). */
#define MP_STORE_TAG_CHARACTERISTIC 5

#define MP_TYPE_STORE (mp_store_get_type ())
G_DECLARE_FINAL_TYPE (MpStore, mp_store, MP, STORE, GObject)

/* "model-changed" (const char *id) is emitted after a model was saved,
 * deleted or restored through this store object; "bank-changed" after an
 * import of many models. */

/* $XDG_DATA_HOME/mallipaja/bank.sqlite */
char           *mp_store_default_path        (void);

/* Creates the file (and its folder) when missing and migrates it to
 * MP_STORE_SCHEMA_VERSION. A file that is not a Mallipaja bank gives
 * MP_ERROR_CORRUPT and is left untouched; a bank from a newer version
 * gives MP_ERROR_TOO_NEW. */
MpStore        *mp_store_open                (const char     *path,
                                              GError        **error);
const char     *mp_store_get_path            (MpStore        *self);

/* Renames a bad bank file out of the way ("bank.sqlite.broken-20261125-101500")
 * so that a fresh one can be made; never deletes it. */
gboolean        mp_store_set_aside           (const char     *path,
                                              char          **new_path,
                                              GError        **error);

int             mp_store_get_schema_version  (MpStore        *self);
guint           mp_store_count               (MpStore        *self);

/* The embedded sample bank, loaded when the bank is new and empty. */
gboolean        mp_store_load_sample_bank    (MpStore        *self,
                                              GError        **error);

/* Inserts or replaces the model (by id) in one transaction, index
 * included. The model's fields are validated first. */
gboolean        mp_store_save_model          (MpStore        *self,
                                              MpModel        *model,
                                              GError        **error);
/* All or nothing: one transaction. */
gboolean        mp_store_import_models       (MpStore        *self,
                                              GPtrArray      *models,
                                              GError        **error);
MpModel        *mp_store_load_model          (MpStore        *self,
                                              const char     *id,
                                              GError        **error);

/* Deleting hides a draft at once and keeps it restorable until
 * mp_store_purge_deleted(); published models (revision > 0) give
 * MP_ERROR_FORBIDDEN. */
gboolean        mp_store_delete_model        (MpStore        *self,
                                              const char     *id,
                                              GError        **error);
gboolean        mp_store_restore_model       (MpStore        *self,
                                              const char     *id,
                                              GError        **error);
gboolean        mp_store_purge_deleted       (MpStore        *self,
                                              GError        **error);

/* Rowids of matching models, best first (search rank, else title).
 * The text finds Finnish words in any form and by their compound parts,
 * Swedish and English ones by stem, and any word by its beginning;
 * "a phrase", OR and -excluded work as in web search. */
GArray         *mp_store_query               (MpStore        *self,
                                              const MpQuery  *query,
                                              GError        **error);
MpModelSummary *mp_store_get_summary         (MpStore        *self,
                                              gint64          rowid);
MpModelSummary *mp_store_get_summary_by_id   (MpStore        *self,
                                              const char     *id);
/* Summaries of the models based on @id. */
GPtrArray      *mp_store_list_derived        (MpStore        *self,
                                              const char     *id,
                                              GError        **error);

/* The best-matching passage of the model as Pango markup, hits in <b>. */
char           *mp_store_snippet             (MpStore        *self,
                                              gint64          rowid,
                                              const char     *text);
/* Search text is read as Finnish and as this language ("sv", "en";
 * NULL: the locale's). */
void            mp_store_set_search_language (MpStore        *self,
                                              const char     *language);
/* TRUE when Finnish falls back to prefix matching (no Voikko dictionary). */
gboolean        mp_store_get_search_degraded (MpStore        *self);
/* Rebuilds the search index from the documents (`mallipaja --reindex`),
 * synchronously, through the index backlog. */
gboolean        mp_store_reindex             (MpStore        *self,
                                              GError        **error);

/* index backlog (issue 5): models whose search index entry is missing.
 * A model in the backlog is not found by search until it is indexed; the
 * rest of the bank is. MpIndexer drains it in the background. */

/* While deferred, writes by mp_store_write_synced_model() (and imports)
 * queue the model for indexing in the same transaction instead of
 * indexing it. */
void            mp_store_set_defer_index     (MpStore        *self,
                                              gboolean        defer);
gboolean        mp_store_get_defer_index     (MpStore        *self);
/* Models waiting to be (re)indexed. */
guint           mp_store_count_index_backlog (MpStore        *self);
/* Indexes at most @max_models from the backlog in one transaction;
 * sets *@remaining. Safe to call on a second MpStore opened on the same
 * file from a worker thread. */
gboolean        mp_store_index_backlog_step  (MpStore        *self,
                                              guint           max_models,
                                              guint          *remaining,
                                              GError        **error);
/* Empties the search index and puts every live model in the backlog, in
 * one quick transaction: a reindex for MpIndexer to do. */
gboolean        mp_store_queue_reindex       (MpStore        *self,
                                              GError        **error);

/* sync (issue 4): for mp-sync-store.c, which keeps its tables on the same
 * connection. Writes through these bypass the outbox: they come from the
 * platform. The caller holds the transaction and emits the signals. */
struct sqlite3 *mp_store_get_db              (MpStore        *self);
gboolean        mp_store_begin               (MpStore        *self,
                                              GError        **error);
gboolean        mp_store_commit              (MpStore        *self,
                                              GError        **error);
void            mp_store_rollback            (MpStore        *self);
gboolean        mp_store_write_synced_model  (MpStore        *self,
                                              MpModel        *model,
                                              GError        **error);
/* The same for a model from mp_model_from_json() with its document
 * (mp_model_to_json_string (model, FALSE)) made already. */
gboolean        mp_store_write_synced_model_text (MpStore    *self,
                                                  MpModel    *model,
                                                  const char *document,
                                                  GError    **error);
gboolean        mp_store_remove_synced_model (MpStore        *self,
                                              const char     *id,
                                              GError        **error);
/* "model-changed" for @id, or "bank-changed" when @id is %NULL. */
void            mp_store_emit_changed        (MpStore        *self,
                                              const char     *id);

G_END_DECLS
