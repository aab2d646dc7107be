/* mp-fts-tokenizer.h — the analyser as an SQLite FTS5 tokenizer
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "mp-analyser.h"

G_BEGIN_DECLS

/* The name tables give in `tokenize = '…'`. */
#define MP_FTS_TOKENIZER_NAME "mallipaja"

typedef struct _MpFtsTokenizer MpFtsTokenizer;

/* Registers the tokenizer on @db, which owns the returned object and
 * frees it when the connection closes. Must come before any statement
 * that reads or writes a table using it, migrations included. */
MpFtsTokenizer *mp_fts_tokenizer_register      (sqlite3         *db,
                                                MpAnalyser      *analyser,
                                                GError         **error);

/* The language of the document written or deleted next on this
 * connection. */
void            mp_fts_tokenizer_set_language  (MpFtsTokenizer  *self,
                                                MpLanguage       language);

G_END_DECLS
