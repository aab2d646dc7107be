/* mp-analyser.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <string.h>

#include "mp-analyser.h"

/* Bump when the analysis changes, so that banks get reindexed. */
#define ANALYSER_VERSION 1

/* Real text repeats its words (Zipf): a cache of Voikko's answers makes
 * indexing a bank cost a hash lookup for most words. Two generations
 * instead of an LRU: when the young one is full it becomes the old one,
 * and a hit in the old one moves the word back, so the common words stay
 * while the long tail of Finnish word forms passes through. */
#define CACHE_MAX_WORDS 100000

/* Longer "words" are URLs, identifiers or garbage; Voikko knows none. */
#define MAX_ANALYSED_BYTES 64

typedef struct {
  char **lemmas;   /* folded base forms */
  char **parts;    /* folded compound parts and their base forms */
} Analysis;

struct _MpAnalyser
{
  gatomicrefcount ref_count;

  struct VoikkoHandle *voikko;
  struct sb_stemmer *stemmers[MP_N_LANGUAGES];
  GHashTable *cache;          /* word as written → Analysis */
  GHashTable *old_cache;      /* the generation before */
  char *signature;

  /* scratch space, reused for every word */
  GString *word;
  GString *folded;
};

/* private helpers */

static void
analysis_free (gpointer data)
{
  Analysis *analysis = data;

  g_strfreev (analysis->lemmas);
  g_strfreev (analysis->parts);
  g_free (analysis);
}

static void
fold_into (GString    *out,
           const char *word,
           gsize       length)
{
  const char *end = word + length;

  g_string_truncate (out, 0);
  for (const char *p = word; p < end; )
    {
      guchar byte = (guchar) *p;
      gunichar c, decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

      if (byte < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower (byte));
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
          continue;
        }
      p = g_utf8_next_char (p);

      /* "ä" is "a" and a combining diaeresis: keep the letter, so that
       * "paihde" finds "päihde" as it always has. */
      if (g_unichar_ismark (c))
        continue;
      c = g_unichar_tolower (c);
      if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
        c = decomposed[0];
      g_string_append_unichar (out, c);
    }
}

static gboolean
is_single_word (const char *term)
{
  const char *p = term, *word;
  gsize length;

  return mp_analyser_next_word (&p, term + strlen (term), &word, &length) &&
         word == term && *p == '\0';
}

/* Adds @term folded, unless it is empty, the word itself, already there
 * or not one word (a base form "ruoka-apu" could never be matched). */
static void
add_term (GPtrArray  *terms,
          GPtrArray  *also,
          const char *folded_word,
          const char *term,
          gssize      length)
{
  g_autoptr(GString) folded = g_string_new (NULL);

  if (length < 0)
    length = strlen (term);
  fold_into (folded, term, length);
  if (folded->len < 2 || strcmp (folded->str, folded_word) == 0 || !is_single_word (folded->str))
    return;
  for (guint i = 0; i < terms->len; i++)
    if (strcmp (g_ptr_array_index (terms, i), folded->str) == 0)
      return;
  for (guint i = 0; also != NULL && i < also->len; i++)
    if (strcmp (g_ptr_array_index (also, i), folded->str) == 0)
      return;
  g_ptr_array_add (terms, g_string_free (g_steal_pointer (&folded), FALSE));
}

/* STRUCTURE has a letter class for each character of the word and "="
 * where a part begins: "=pppppp=pppppppppp" cuts "lastensuojelussa"
 * into "lasten" and "suojelussa". */
static GPtrArray *
split_by_structure (const char *word,
                    const char *structure)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) segment = g_string_new (NULL);
  const char *w = word;

  for (const char *s = structure; *s != '\0'; s++)
    {
      if (*s == '=')
        {
          if (segment->len > 0)
            g_ptr_array_add (segments, g_strndup (segment->str, segment->len));
          g_string_truncate (segment, 0);
          continue;
        }
      if (*w == '\0')
        break;
      g_string_append_len (segment, w, g_utf8_next_char (w) - w);
      w = g_utf8_next_char (w);
    }
  if (segment->len > 0)
    g_ptr_array_add (segments, g_strndup (segment->str, segment->len));
  return segments;
}

/* WORDBASES reads "+lasten(lapsi)+suojel(suojella)+u(+u)": parts as
 * written, some with a base form; a base beginning with "+" is a
 * derivation ending. The base form of a part written as @segment, if
 * any. */
static char *
base_of_part (const char *word_bases,
              const char *segment)
{
  const char *p = word_bases;

  while (*p == '+')
    {
      gsize surface_length = strcspn (p + 1, "+(");
      const char *surface = p + 1;
      const char *base = NULL;
      gsize base_length = 0;

      p = surface + surface_length;
      if (*p == '(')
        {
          base = p + 1;
          base_length = strcspn (base, ")");
          p = base + base_length;
          if (*p == ')')
            p++;
        }
      if (base != NULL && *base != '+' && base_length > 0 &&
          strlen (segment) == surface_length &&
          g_ascii_strncasecmp (surface, segment, surface_length) == 0)
        return g_strndup (base, base_length);
    }
  return NULL;
}

/* A compound is found by its parts: "lastensuojelussa" by "lasten" and
 * "lapsi", and by "suojelu", the end of its base form. */
static void
add_compound_parts (GPtrArray  *parts,
                    GPtrArray  *lemmas,
                    const char *word,
                    const char *folded_word,
                    const char *structure,
                    const char *word_bases,
                    const char *base_form)
{
  g_autoptr(GPtrArray) segments = split_by_structure (word, structure);
  g_autoptr(GString) before = g_string_new (NULL);

  if (segments->len < 2)
    return;

  for (guint i = 0; i + 1 < segments->len; i++)
    {
      const char *segment = g_ptr_array_index (segments, i);
      g_autofree char *base = word_bases != NULL ? base_of_part (word_bases, segment) : NULL;

      add_term (parts, lemmas, folded_word, segment, -1);
      if (base != NULL)
        add_term (parts, lemmas, folded_word, base, -1);
      g_string_append (before, segment);
    }

  /* Parts before the last are written in the base form as in the word;
   * what follows them is the last part's base form. */
  if (base_form != NULL && strlen (base_form) > before->len &&
      g_ascii_strncasecmp (base_form, before->str, before->len) == 0)
    add_term (parts, lemmas, folded_word, base_form + before->len, -1);
}

static Analysis *
analyse_with_voikko (MpAnalyser *self,
                     const char *word,
                     const char *folded_word)
{
  struct voikko_mor_analysis **analyses = voikkoAnalyzeWordCstr (self->voikko, word);
  g_autoptr(GPtrArray) lemmas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  Analysis *analysis = g_new0 (Analysis, 1);

  for (guint i = 0; analyses != NULL && analyses[i] != NULL; i++)
    {
      char *base = voikko_mor_analysis_value_cstr (analyses[i], "BASEFORM");

      if (base != NULL)
        add_term (lemmas, NULL, folded_word, base, -1);
      voikko_free_mor_analysis_value_cstr (base);
    }
  /* Parts after all base forms: "tuen" is both "tukea" and "tuki", and a
   * part should not repeat either. */
  for (guint i = 0; analyses != NULL && analyses[i] != NULL; i++)
    {
      char *base = voikko_mor_analysis_value_cstr (analyses[i], "BASEFORM");
      char *structure = voikko_mor_analysis_value_cstr (analyses[i], "STRUCTURE");
      char *word_bases = voikko_mor_analysis_value_cstr (analyses[i], "WORDBASES");

      if (structure != NULL)
        add_compound_parts (parts, lemmas, word, folded_word, structure, word_bases, base);
      voikko_free_mor_analysis_value_cstr (word_bases);
      voikko_free_mor_analysis_value_cstr (structure);
      voikko_free_mor_analysis_value_cstr (base);
    }
  if (analyses != NULL)
    voikko_free_mor_analysis (analyses);

  g_ptr_array_add (lemmas, NULL);
  g_ptr_array_add (parts, NULL);
  analysis->lemmas = (char **) g_ptr_array_free (g_steal_pointer (&lemmas), FALSE);
  analysis->parts = (char **) g_ptr_array_free (g_steal_pointer (&parts), FALSE);
  return analysis;
}

static gboolean
worth_analysing (const char *word,
                 gsize       length)
{
  if (length < 2 || length > MAX_ANALYSED_BYTES)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (g_ascii_isdigit (word[i]))
      return FALSE;
  return TRUE;
}

/* The analysis of self->word (folded in self->folded), or NULL when
 * Voikko has nothing to say. */
static const Analysis *
lookup_finnish (MpAnalyser *self)
{
  Analysis *analysis;

  if (self->voikko == NULL || !worth_analysing (self->word->str, self->word->len))
    return NULL;

  analysis = g_hash_table_lookup (self->cache, self->word->str);
  if (analysis == NULL)
    {
      gpointer key = NULL, value = NULL;

      if (g_hash_table_size (self->cache) >= CACHE_MAX_WORDS)
        {
          g_hash_table_unref (self->old_cache);
          self->old_cache = g_steal_pointer (&self->cache);
          self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, analysis_free);
        }
      if (g_hash_table_steal_extended (self->old_cache, self->word->str, &key, &value))
        analysis = value;
      else
        {
          key = g_strdup (self->word->str);
          analysis = analyse_with_voikko (self, self->word->str, self->folded->str);
        }
      g_hash_table_insert (self->cache, key, analysis);
    }
  return analysis;
}

/* The stem of self->word, folded, or NULL when it is the word itself. */
static char *
stem (MpAnalyser *self,
      MpLanguage  language)
{
  g_autofree char *lower = NULL;
  const sb_symbol *stemmed;
  g_autoptr(GString) folded = NULL;

  if (self->stemmers[language] == NULL || !worth_analysing (self->word->str, self->word->len))
    return NULL;

  /* Snowball wants lower case with its diacritics: "barnen" → "barn",
   * "föräldrarna" → "föräldr". */
  lower = g_utf8_strdown (self->word->str, self->word->len);
  stemmed = sb_stemmer_stem (self->stemmers[language], (const sb_symbol *) lower, (int) strlen (lower));
  if (stemmed == NULL)
    return NULL;

  folded = g_string_new (NULL);
  fold_into (folded, (const char *) stemmed, sb_stemmer_length (self->stemmers[language]));
  if (folded->len < 2 || strcmp (folded->str, self->folded->str) == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&folded), FALSE);
}

static void
report_degraded_once (const char *reason)
{
  static gsize reported = 0;

  if (g_once_init_enter (&reported))
    {
      g_message ("Finnish search matches word beginnings only: %s", reason);
      g_once_init_leave (&reported, 1);
    }
}

/* public API */

MpLanguage
mp_language_from_code (const char *code)
{
  if (code == NULL)
    return MP_LANGUAGE_FINNISH;
  if (g_ascii_strncasecmp (code, "sv", 2) == 0 && !g_ascii_isalpha (code[2]))
    return MP_LANGUAGE_SWEDISH;
  if (g_ascii_strncasecmp (code, "en", 2) == 0 && !g_ascii_isalpha (code[2]))
    return MP_LANGUAGE_ENGLISH;
  return MP_LANGUAGE_FINNISH;
}

const char *
mp_language_to_code (MpLanguage language)
{
  static const char * const codes[] = { "fi", "sv", "en" };

  g_return_val_if_fail (language < MP_N_LANGUAGES, "fi");

  return codes[language];
}

MpLanguage
mp_language_from_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        continue;
      if (g_ascii_strncasecmp (names[i], "fi", 2) == 0 ||
          g_ascii_strncasecmp (names[i], "sv", 2) == 0 ||
          g_ascii_strncasecmp (names[i], "en", 2) == 0)
        return mp_language_from_code (names[i]);
    }
  return MP_LANGUAGE_FINNISH;
}

/**
 * mp_analyser_new:
 *
 * Loads Voikko's Finnish dictionary and the Snowball stemmers. Without
 * the dictionary, Finnish words are indexed as written and the store
 * reports the search as degraded; a message says so once a process.
 *
 * Returns: (transfer full): an analyser
 */
MpAnalyser *
mp_analyser_new (void)
{
  MpAnalyser *self = g_new0 (MpAnalyser, 1);
  g_autofree char *voikko_part = NULL;

  g_atomic_ref_count_init (&self->ref_count);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, analysis_free);
  self->old_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, analysis_free);
  self->word = g_string_new (NULL);
  self->folded = g_string_new (NULL);

  if (g_strcmp0 (g_getenv ("MALLIPAJA_NO_VOIKKO"), "1") == 0)
    report_degraded_once ("MALLIPAJA_NO_VOIKKO=1");
  else
    {
      const char *init_error = NULL;

      self->voikko = voikkoInit (&init_error, "fi", NULL);
      if (self->voikko == NULL)
        report_degraded_once (init_error != NULL ? init_error : "no Finnish dictionary for Voikko");
    }

  if (self->voikko != NULL)
    {
      struct voikko_dict **dicts = voikko_list_dicts (NULL);
      const char *description = dicts != NULL && dicts[0] != NULL ? voikko_dict_description (dicts[0]) : "";

      voikko_part = g_strdup_printf ("voikko %s %s", voikkoGetVersion (), description);
      if (dicts != NULL)
        voikko_free_dicts (dicts);
    }

  self->stemmers[MP_LANGUAGE_SWEDISH] = sb_stemmer_new ("swedish", "UTF_8");
  self->stemmers[MP_LANGUAGE_ENGLISH] = sb_stemmer_new ("english", "UTF_8");

  self->signature = g_strdup_printf ("mp-analyser %d; fi: %s; sv: %s; en: %s", ANALYSER_VERSION,
                                     voikko_part != NULL ? voikko_part : "prefix",
                                     self->stemmers[MP_LANGUAGE_SWEDISH] ? "snowball" : "prefix",
                                     self->stemmers[MP_LANGUAGE_ENGLISH] ? "snowball" : "prefix");
  return self;
}

MpAnalyser *
mp_analyser_ref (MpAnalyser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mp_analyser_unref (MpAnalyser *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->voikko != NULL)
    voikkoTerminate (self->voikko);
  for (guint i = 0; i < MP_N_LANGUAGES; i++)
    if (self->stemmers[i] != NULL)
      sb_stemmer_delete (self->stemmers[i]);
  g_hash_table_unref (self->cache);
  g_hash_table_unref (self->old_cache);
  g_string_free (self->word, TRUE);
  g_string_free (self->folded, TRUE);
  g_free (self->signature);
  g_free (self);
}

gboolean
mp_analyser_has_voikko (MpAnalyser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->voikko != NULL;
}

const char *
mp_analyser_get_signature (MpAnalyser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->signature;
}

gboolean
mp_analyser_is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

gboolean
mp_analyser_next_word (const char **p,
                       const char  *end,
                       const char **word,
                       gsize       *length)
{
  const char *s = *p;

  /* Bytes that are not UTF-8 separate words, like punctuation. */
  while (s < end)
    {
      gunichar c = g_utf8_get_char_validated (s, end - s);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        s++;
      else if (mp_analyser_is_word_char (c))
        break;
      else
        s = g_utf8_next_char (s);
    }
  if (s >= end)
    {
      *p = end;
      return FALSE;
    }

  *word = s;
  while (s < end)
    {
      gunichar c = g_utf8_get_char_validated (s, end - s);

      if (c == (gunichar) -1 || c == (gunichar) -2 || !mp_analyser_is_word_char (c))
        break;
      s = g_utf8_next_char (s);
    }
  *length = s - *word;
  *p = s;
  return TRUE;
}

char *
mp_analyser_fold (const char *word,
                  gsize       length)
{
  GString *folded = g_string_new (NULL);

  g_return_val_if_fail (word != NULL, NULL);

  fold_into (folded, word, length);
  return g_string_free (folded, FALSE);
}

/**
 * mp_analyser_analyse:
 * @self: an analyser
 * @language: the language of @text
 * @mode: whether to add base forms, parts and stems
 * @text: UTF-8 text (bad bytes separate words)
 * @length: its length in bytes
 * @func: called for every term, in order
 * @user_data: for @func
 *
 * Every word gives exactly one term that is not colocated, so that word
 * positions are the same in every mode and every language: snippets and
 * phrases count words, whatever else was indexed with them.
 *
 * Returns: 0, or the first non-zero value @func returned
 */
int
mp_analyser_analyse (MpAnalyser    *self,
                     MpLanguage     language,
                     MpAnalyseMode  mode,
                     const char    *text,
                     gsize          length,
                     MpTermFunc     func,
                     gpointer       user_data)
{
  const char *p = text, *end = text + length, *word;
  gsize word_length;
  int rc;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (language < MP_N_LANGUAGES, 0);

  while (mp_analyser_next_word (&p, end, &word, &word_length))
    {
      gsize start = word - text, stop = start + word_length;

      g_string_truncate (self->word, 0);
      g_string_append_len (self->word, word, word_length);
      fold_into (self->folded, word, word_length);
      if (self->folded->len == 0)
        continue;

      if ((rc = func (self->folded->str, self->folded->len, start, stop, FALSE, user_data)) != 0)
        return rc;
      if (mode != MP_ANALYSE_INDEX)
        continue;

      if (language == MP_LANGUAGE_FINNISH)
        {
          const Analysis *analysis = lookup_finnish (self);

          if (analysis == NULL)
            continue;
          for (guint i = 0; analysis->lemmas[i] != NULL; i++)
            if ((rc = func (analysis->lemmas[i], strlen (analysis->lemmas[i]), start, stop, TRUE, user_data)) != 0)
              return rc;
          for (guint i = 0; analysis->parts[i] != NULL; i++)
            if ((rc = func (analysis->parts[i], strlen (analysis->parts[i]), start, stop, TRUE, user_data)) != 0)
              return rc;
        }
      else
        {
          g_autofree char *stemmed = stem (self, language);

          if (stemmed != NULL &&
              (rc = func (stemmed, strlen (stemmed), start, stop, TRUE, user_data)) != 0)
            return rc;
        }
    }

  return 0;
}

/**
 * mp_analyser_query_terms:
 * @self: an analyser
 * @language: the language to read @word in
 * @word: one word as typed
 * @length: its length in bytes
 *
 * Only base forms, never compound parts: "lastensuojelu" should not find
 * every text about children.
 *
 * Returns: (transfer full): folded terms, maybe none
 */
char **
mp_analyser_query_terms (MpAnalyser *self,
                         MpLanguage  language,
                         const char *word,
                         gsize       length)
{
  g_autoptr(GStrvBuilder) terms = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (word != NULL, NULL);

  g_string_truncate (self->word, 0);
  g_string_append_len (self->word, word, length);
  fold_into (self->folded, word, length);

  if (language == MP_LANGUAGE_FINNISH)
    {
      const Analysis *analysis = lookup_finnish (self);

      if (analysis != NULL)
        g_strv_builder_addv (terms, (const char **) analysis->lemmas);
    }
  else
    {
      g_autofree char *stemmed = stem (self, language);

      if (stemmed != NULL)
        g_strv_builder_add (terms, stemmed);
    }

  return g_strv_builder_end (terms);
}
