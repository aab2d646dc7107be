/* mp-exchange.h — .mallipaja files: models handed over without a network
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mp-model.h"
#include "mp-store.h"

G_BEGIN_DECLS

/* See docs/exchange-format.md. */
#define MP_EXCHANGE_FORMAT    "mallipaja-exchange"
#define MP_EXCHANGE_VERSION   1
#define MP_EXCHANGE_MIME_TYPE "application/x-mallipaja"
#define MP_EXCHANGE_SUFFIX    ".mallipaja"
/* The member of a sync conflict record ({field, base, theirs, mine}) that
 * an import adds: the file's value, which "theirs" holds until a pull
 * brings the platform's. */
#define MP_EXCHANGE_CONFLICT_FROM_FILE "from_file"
/* Larger files are refused before they are read. */
#define MP_EXCHANGE_MAX_SIZE  ((gsize) 512 * 1024 * 1024)

/**
 * MpExchangeAction:
 * @MP_EXCHANGE_ADDED: not in the bank: will be added
 * @MP_EXCHANGE_UPDATED: a newer revision (or an edit of the bank's copy):
 *   will replace the bank's copy
 * @MP_EXCHANGE_UNCHANGED: the bank holds the same document, or already
 *   holds every change the file's copy brings
 * @MP_EXCHANGE_OLDER: the bank's copy is newer: kept
 * @MP_EXCHANGE_CONFLICTING: the file's copy and the bank's both changed
 *   the same fields: will merge the rest, and those fields become
 *   conflicts to resolve, as in sync
 * @MP_EXCHANGE_MERGED: the file's copy and the bank's were both edited,
 *   each in other fields: will merge, as in sync
 * @MP_EXCHANGE_UNRESOLVED: the bank's copy still has conflicts to resolve:
 *   kept; import the file again once they are resolved
 *
 * What importing would do with one model of a file.
 */
typedef enum {
  MP_EXCHANGE_ADDED,
  MP_EXCHANGE_UPDATED,
  MP_EXCHANGE_UNCHANGED,
  MP_EXCHANGE_OLDER,
  MP_EXCHANGE_CONFLICTING,
  MP_EXCHANGE_MERGED,
  MP_EXCHANGE_UNRESOLVED,
  MP_N_EXCHANGE_ACTIONS
} MpExchangeAction;

/* Writing */

/* The file's text for @models (element-type MpModel); @created is UTC
 * seconds since the epoch. */
char     *mp_exchange_to_data          (GPtrArray   *models,
                                        gint64       created);
gboolean  mp_exchange_write_file       (GPtrArray   *models,
                                        const char  *path,
                                        GError     **error);
/* Writes the live models among @rowids (as mp_store_query() gives them). */
gboolean  mp_exchange_export_rowids    (MpStore     *store,
                                        GArray      *rowids,
                                        const char  *path,
                                        GError     **error);

/* Reading: an import is prepared (read, checked, compared with the bank)
 * and written only by mp_exchange_import_apply(). */

typedef struct _MpExchangeImport MpExchangeImport;

/* Refuses, with a translated message and nothing prepared, a file that is
 * cut short or not JSON (MP_ERROR_CORRUPT), not an exchange file
 * (MP_ERROR_INVALID), of a newer version (MP_ERROR_TOO_NEW), whose
 * checksum does not match (MP_ERROR_CORRUPT), or holding an invalid model
 * (the model's error, naming it). */
MpExchangeImport *mp_exchange_import_new_from_data (MpStore           *store,
                                                    const char        *data,
                                                    gsize              length,
                                                    GError           **error);
MpExchangeImport *mp_exchange_import_new_from_file (MpStore           *store,
                                                    const char        *path,
                                                    GError           **error);
void              mp_exchange_import_free          (MpExchangeImport  *self);

/* The file's models, in the file's order, with what importing would do. */
guint             mp_exchange_import_get_n_models  (MpExchangeImport  *self);
MpModel          *mp_exchange_import_get_model     (MpExchangeImport  *self,
                                                    guint              index);
MpExchangeAction  mp_exchange_import_get_action    (MpExchangeImport  *self,
                                                    guint              index);
/* For a model edited on both sides (MP_EXCHANGE_CONFLICTING): the fields
 * that both changed, which become conflicts, as merge field paths
 * ("summary", "stages.trials", "characteristics.networked"); %NULL for
 * the other actions. */
const char * const *mp_exchange_import_get_fields  (MpExchangeImport  *self,
                                                    guint              index);
/* For a model edited on both sides (MP_EXCHANGE_MERGED or
 * MP_EXCHANGE_CONFLICTING): the fields changed in the file's copy only,
 * which the import takes; %NULL for the other actions. */
const char * const *mp_exchange_import_get_merged_fields (MpExchangeImport *self,
                                                          guint             index);
guint             mp_exchange_import_count         (MpExchangeImport  *self,
                                                    MpExchangeAction   action);
/* Writes the added, updated, merged and conflicting models in one
 * transaction, comparing them with the bank once more first; the others
 * are left as the bank holds them. Emits the store's "bank-changed", and
 * "model-changed" for each model merged. */
gboolean          mp_exchange_import_apply         (MpExchangeImport  *self,
                                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpExchangeImport, mp_exchange_import_free)

G_END_DECLS
