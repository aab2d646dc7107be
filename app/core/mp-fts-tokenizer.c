/* mp-fts-tokenizer.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mp-error.h"
#include "mp-fts-tokenizer.h"

/* FTS5 hands a tokenizer only the text, never the row. The language of
 * the row therefore travels beside it: the store sets it on this object
 * before each insert and delete (from the row's `lang` column when
 * deleting, as FTS5 tokenizes the stored text again to remove it). One
 * object per connection, so connections never see each other's
 * language. */
struct _MpFtsTokenizer
{
  MpAnalyser *analyser;
  MpLanguage language;
};

typedef struct {
  void *ctx;
  int (*token) (void *ctx, int flags, const char *token, int n_token, int start, int end);
} TokenSink;

/* private helpers */

static int
forward_term (const char *term,
              gsize       length,
              gsize       start,
              gsize       end,
              gboolean    colocated,
              gpointer    user_data)
{
  TokenSink *sink = user_data;

  return sink->token (sink->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0,
                      term, (int) length, (int) start, (int) end);
}

/* callbacks */

static int
tokenizer_create (void            *context,
                  const char     **args,
                  int              n_args,
                  Fts5Tokenizer  **tokenizer)
{
  /* Tables share the connection's object; it outlives them. */
  *tokenizer = context;
  return SQLITE_OK;
}

static void
tokenizer_delete (Fts5Tokenizer *tokenizer)
{
}

static int
tokenizer_tokenize (Fts5Tokenizer *tokenizer,
                    void          *ctx,
                    int            flags,
                    const char    *text,
                    int            length,
                    int          (*token) (void *, int, const char *, int, int, int))
{
  MpFtsTokenizer *self = (MpFtsTokenizer *) tokenizer;
  TokenSink sink = { ctx, token };
  MpAnalyseMode mode;

  /* Queries are analysed by the store, which knows which words are
   * prefixes and which languages to try; snippets need word positions
   * only. Only documents get base forms and stems. */
  mode = (flags & FTS5_TOKENIZE_DOCUMENT) ? MP_ANALYSE_INDEX : MP_ANALYSE_SURFACE;

  if (text == NULL || length <= 0)
    return SQLITE_OK;
  return mp_analyser_analyse (self->analyser, self->language, mode, text, (gsize) length,
                              forward_term, &sink);
}

static void
tokenizer_destroy (void *context)
{
  MpFtsTokenizer *self = context;

  mp_analyser_unref (self->analyser);
  g_free (self);
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api;
}

/* public API */

/**
 * mp_fts_tokenizer_register:
 * @db: a connection
 * @analyser: the analyser to use (a reference is taken)
 * @error: MP_ERROR_FAILED when SQLite lacks FTS5
 *
 * Returns: (transfer none): the tokenizer's state, owned by @db
 */
MpFtsTokenizer *
mp_fts_tokenizer_register (sqlite3     *db,
                           MpAnalyser  *analyser,
                           GError     **error)
{
  static fts5_tokenizer methods = { tokenizer_create, tokenizer_delete, tokenizer_tokenize };
  MpFtsTokenizer *self;
  fts5_api *api;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (analyser != NULL, NULL);

  if ((api = get_fts5_api (db)) == NULL)
    {
      g_set_error_literal (error, MP_ERROR, MP_ERROR_FAILED,
                           _("This SQLite has no full-text search (FTS5)."));
      return NULL;
    }

  self = g_new0 (MpFtsTokenizer, 1);
  self->analyser = mp_analyser_ref (analyser);
  self->language = MP_LANGUAGE_FINNISH;

  /* SQLite calls tokenizer_destroy() only once it has taken self. */
  rc = api->xCreateTokenizer (api, MP_FTS_TOKENIZER_NAME, self, &methods, tokenizer_destroy);
  if (rc != SQLITE_OK)
    {
      tokenizer_destroy (self);
      g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                   _("The search could not be set up: %s"), sqlite3_errstr (rc));
      return NULL;
    }

  return self;
}

void
mp_fts_tokenizer_set_language (MpFtsTokenizer *self,
                               MpLanguage      language)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (language < MP_N_LANGUAGES);

  self->language = language;
}
