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
/* Larger files are refused before they are read. */
#define MP_EXCHANGE_MAX_SIZE  ((gsize) 512 * 1024 * 1024)

/**
 * MpExchangeAction:
 * @MP_EXCHANGE_ADDED: not in the bank: will be added
 * @MP_EXCHANGE_UPDATED: a newer revision (or an edit of the bank's copy):
 *   will replace the bank's copy
 * @MP_EXCHANGE_UNCHANGED: the bank holds the same document
 * @MP_EXCHANGE_OLDER: the bank's copy is newer: kept
 * @MP_EXCHANGE_CONFLICTING: the file's copy and the bank's were both edited
 *   from the same revision: the bank's copy is kept
 *
 * What importing would do with one model of a file.
 */
typedef enum {
  MP_EXCHANGE_ADDED,
  MP_EXCHANGE_UPDATED,
  MP_EXCHANGE_UNCHANGED,
  MP_EXCHANGE_OLDER,
  MP_EXCHANGE_CONFLICTING,
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
/* For a conflicting model: the keys of the fields that differ between the
 * file and the bank; %NULL otherwise. */
const char * const *mp_exchange_import_get_fields  (MpExchangeImport  *self,
                                                    guint              index);
guint             mp_exchange_import_count         (MpExchangeImport  *self,
                                                    MpExchangeAction   action);
/* Writes the added and updated models in one transaction; the others are
 * left as the bank holds them. Emits the store's "bank-changed". */
gboolean          mp_exchange_import_apply         (MpExchangeImport  *self,
                                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpExchangeImport, mp_exchange_import_free)

G_END_DECLS
