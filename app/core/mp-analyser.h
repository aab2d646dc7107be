/* mp-analyser.h — words to search terms, by language
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The languages of the model bank. Anything else is analysed as Finnish,
 * the language most models are written in. */
typedef enum {
  MP_LANGUAGE_FINNISH,
  MP_LANGUAGE_SWEDISH,
  MP_LANGUAGE_ENGLISH,
  MP_N_LANGUAGES
} MpLanguage;

MpLanguage  mp_language_from_code    (const char *code);
const char *mp_language_to_code      (MpLanguage  language);
/* The first of the user's locale languages that the bank knows. */
MpLanguage  mp_language_from_locale  (void);

typedef enum {
  MP_ANALYSE_SURFACE,   /* the folded words only: queries, snippets */
  MP_ANALYSE_INDEX,     /* each word, then its base forms, parts or stem */
} MpAnalyseMode;

/**
 * MpTermFunc:
 * @term: a folded term (not NUL-terminated)
 * @length: its length in bytes
 * @start: byte offset of the word it came from in the text
 * @end: byte offset just past that word
 * @colocated: %TRUE for a base form, part or stem of the word before
 * @user_data: data given to mp_analyser_analyse()
 *
 * Returns: 0 to go on; anything else stops the analysis and is returned
 */
typedef int (*MpTermFunc) (const char *term,
                           gsize       length,
                           gsize       start,
                           gsize       end,
                           gboolean    colocated,
                           gpointer    user_data);

typedef struct _MpAnalyser MpAnalyser;

/* With Voikko's Finnish dictionary when it can be loaded and the
 * environment does not say MALLIPAJA_NO_VOIKKO=1 (for tests); without
 * it Finnish is matched by prefix only. Not thread-safe: one per store. */
MpAnalyser *mp_analyser_new             (void);
MpAnalyser *mp_analyser_ref             (MpAnalyser     *self);
void        mp_analyser_unref           (MpAnalyser     *self);

gboolean    mp_analyser_has_voikko      (MpAnalyser     *self);
/* Changes whenever the same text could give other terms: the store
 * rebuilds its index when it differs from the one the index was built
 * with. */
const char *mp_analyser_get_signature   (MpAnalyser     *self);

int         mp_analyser_analyse         (MpAnalyser     *self,
                                         MpLanguage      language,
                                         MpAnalyseMode   mode,
                                         const char     *text,
                                         gsize           length,
                                         MpTermFunc      func,
                                         gpointer        user_data);

/* The base forms (Finnish) or stem (Swedish, English) of one typed word,
 * folded, other than the folded word itself. Never NULL. */
char      **mp_analyser_query_terms     (MpAnalyser     *self,
                                         MpLanguage      language,
                                         const char     *word,
                                         gsize           length);

/* Lower case without diacritics ("Päihde" → "paihde"), as the index
 * holds words. */
char       *mp_analyser_fold            (const char     *word,
                                         gsize           length);

/* Steps over what is not part of a word and then the word: @p moves past
 * it. FALSE at the end of the text. */
gboolean    mp_analyser_next_word       (const char    **p,
                                         const char     *end,
                                         const char    **word,
                                         gsize          *length);
gboolean    mp_analyser_is_word_char    (gunichar        c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpAnalyser, mp_analyser_unref)

G_END_DECLS
