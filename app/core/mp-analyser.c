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
 * while the long tail of Finnish word forms passes through. A word takes
 * a slot and its Analysis, ~40 bytes, so the two hold the ~400,000 forms
 * of a 10,000-model bank in ~30 MB, what 2 × 100,000 words took in
 * GHashTables of strings and string arrays: a word Voikko has to analyse
 * again costs ~5 µs. */
#define CACHE_MAX_WORDS 250000

/* A generation's words and analyses are allocated from blocks this
 * big and freed with it. */
#define CACHE_BLOCK_SIZE (256 * 1024)

/* Longer "words" are URLs, identifiers or garbage; Voikko knows none. */
#define MAX_ANALYSED_BYTES 64

/* A word as written and what Voikko says of it: its folded base forms,
 * then its folded compound parts and their base forms, each a 16-bit
 * length, the bytes and a NUL. Most of the long tail has none. */
typedef struct {
  guint16 size;        /* of the whole, for copying */
  guint16 word_length;
  guint16 n_lemmas;
  guint16 n_parts;
  char data[];         /* the word (no NUL), then the terms */
} Analysis;

/* The cache is probed for every word of every document, and most probes
 * of a large table miss the CPU's caches: a slot holds the hash, and the
 * word is compared where its analysis is, so a hit costs two reads of
 * memory rather than GHashTable's four or five. Open addressing, at most
 * half full. */
typedef struct {
  guint32 hash;        /* 0: free */
  Analysis *analysis;
} CacheSlot;

typedef struct {
  CacheSlot *slots;    /* NULL until used */
  guint32 mask;
  guint n_words;
  GSList *blocks;      /* where the analyses are */
  char *free_space;
  gsize free_length;
} CacheGeneration;

/* How a character is read, for the two-byte ones (U+0080 to U+07FF:
 * Latin letters with diacritics, Greek, Cyrillic), which Finnish and
 * Swedish text is full of: GLib's Unicode tables cost a few calls a
 * character, and every word of a bank goes through here. Made once from
 * the same rules as fold_char(), so the answers are the same. */
typedef struct {
  guint8 is_word;
  guint8 length;      /* of the folded form; 0 for a mark, which is dropped */
  char folded[4];
} CharInfo;

static guint8 ascii_word[0x80];
static CharInfo two_byte_chars[0x800 - 0x80];

struct _MpAnalyser
{
  gatomicrefcount ref_count;

  struct VoikkoHandle *voikko;
  struct sb_stemmer *stemmers[MP_N_LANGUAGES];
  CacheGeneration cache;      /* word as written → Analysis */
  CacheGeneration old_cache;  /* the generation before */
  char *signature;

  /* scratch space, reused for every word */
  GString *word;
  GString *folded;
};

/* private helpers */

static void
generation_clear (CacheGeneration *generation)
{
  g_free (generation->slots);
  g_slist_free_full (generation->blocks, g_free);
  memset (generation, 0, sizeof *generation);
}

static gpointer
generation_alloc (CacheGeneration *generation,
                  gsize            size)
{
  char *p;

  size = (size + 7) & ~(gsize) 7;
  if (size > generation->free_length)
    {
      gsize block_size = MAX (CACHE_BLOCK_SIZE, size);

      generation->free_space = g_malloc (block_size);
      generation->free_length = block_size;
      generation->blocks = g_slist_prepend (generation->blocks, generation->free_space);
    }
  p = generation->free_space;
  generation->free_space += size;
  generation->free_length -= size;
  return p;
}

/* FNV-1a; never 0, which marks a free slot. */
static inline guint32
hash_word (const char *word,
           gsize       length)
{
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < length; i++)
    {
      hash ^= (guchar) word[i];
      hash *= 16777619u;
    }
  return hash != 0 ? hash : 1;
}

/* The slot of @word, or the free slot where it would go. */
static CacheSlot *
generation_find (CacheGeneration *generation,
                 guint32          hash,
                 const char      *word,
                 gsize            length)
{
  if (generation->slots == NULL)
    {
      guint32 size = 1;

      while (size < 2 * CACHE_MAX_WORDS)
        size <<= 1;
      generation->slots = g_new0 (CacheSlot, size);
      generation->mask = size - 1;
    }

  for (guint32 i = hash & generation->mask; ; i = (i + 1) & generation->mask)
    {
      CacheSlot *slot = &generation->slots[i];

      if (slot->hash == 0 ||
          (slot->hash == hash && slot->analysis->word_length == length &&
           memcmp (slot->analysis->data, word, length) == 0))
        return slot;
    }
}

static Analysis *
analysis_new (CacheGeneration *generation,
              const char      *word,
              gsize            length,
              GPtrArray       *lemmas,
              GPtrArray       *parts)
{
  GPtrArray *lists[] = { lemmas, parts };
  gsize size = sizeof (Analysis) + length;
  Analysis *analysis;
  char *p;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      size += sizeof (guint16) + strlen (g_ptr_array_index (lists[l], i)) + 1;

  /* Base forms of a word of at most MAX_ANALYSED_BYTES: far below. */
  g_assert (size <= G_MAXUINT16);
  analysis = generation_alloc (generation, size);
  analysis->size = (guint16) size;
  analysis->word_length = (guint16) length;
  analysis->n_lemmas = (guint16) lemmas->len;
  analysis->n_parts = (guint16) parts->len;
  memcpy (analysis->data, word, length);
  p = analysis->data + length;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const char *term = g_ptr_array_index (lists[l], i);
        guint16 term_length = (guint16) strlen (term);

        memcpy (p, &term_length, sizeof term_length);
        memcpy (p + sizeof term_length, term, term_length + 1);
        p += sizeof term_length + term_length + 1;
      }
  return analysis;
}

/* The term at *@p, which moves on to the next. */
static inline const char *
next_term (const char **p,
           gsize       *length)
{
  guint16 n;
  const char *term;

  memcpy (&n, *p, sizeof n);
  term = *p + sizeof n;
  *length = n;
  *p = term + n + 1;
  return term;
}

/* One character of a word as the index holds it, into @out; returns the
 * bytes written (0 for a mark). */
static int
fold_char (gunichar  c,
           char     *out)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  /* "ä" is "a" and a combining diaeresis: keep the letter, so that
   * "paihde" finds "päihde" as it always has. */
  if (g_unichar_ismark (c))
    return 0;
  c = g_unichar_tolower (c);
  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
    c = decomposed[0];
  return g_unichar_to_utf8 (c, out);
}

static void
init_tables (void)
{
  static gsize initialised = 0;

  if (!g_once_init_enter (&initialised))
    return;

  for (guint b = 0; b < G_N_ELEMENTS (ascii_word); b++)
    ascii_word[b] = g_ascii_isalnum (b);
  for (gunichar c = 0x80; c < 0x800; c++)
    {
      CharInfo *info = &two_byte_chars[c - 0x80];
      char folded[6];
      int length = fold_char (c, folded);

      info->is_word = mp_analyser_is_word_char (c);
      /* Folding never makes more than three bytes of two, but should
       * it, the character takes the slow way (length 0xff). */
      if (length <= (int) sizeof info->folded)
        {
          info->length = (guint8) length;
          memcpy (info->folded, folded, length);
        }
      else
        info->length = 0xff;
    }

  g_once_init_leave (&initialised, 1);
}

/* The two-byte character at @p, or NULL. */
static inline const CharInfo *
two_byte_char (const char *p,
               const char *end)
{
  guchar lead = (guchar) p[0];

  /* C0 and C1 would be overlong, not UTF-8 */
  if (lead >= 0xc2 && lead <= 0xdf && p + 1 < end && ((guchar) p[1] & 0xc0) == 0x80)
    return &two_byte_chars[((lead & 0x1f) << 6 | ((guchar) p[1] & 0x3f)) - 0x80];
  return NULL;
}

/* The length of the character at @p when it is part of a word; else the
 * negated number of bytes to step over (1 for a byte that is not UTF-8,
 * which separates words like punctuation). */
static inline int
word_char_length (const char *p,
                  const char *end)
{
  guchar byte = (guchar) *p;
  const CharInfo *info;
  gunichar c;
  int length;

  if (byte < 0x80)
    return ascii_word[byte] ? 1 : -1;
  if ((info = two_byte_char (p, end)))
    return info->is_word ? 2 : -2;

  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return -1;
  length = g_utf8_next_char (p) - p;
  return mp_analyser_is_word_char (c) ? length : -length;
}

static void
fold_into (GString    *out,
           const char *word,
           gsize       length)
{
  const char *end = word + length;
  char *o;

  /* Folding makes at most three bytes of two, four of three. */
  g_string_set_size (out, length * 2 + 6);
  o = out->str;
  for (const char *p = word; p < end; )
    {
      guchar byte = (guchar) *p;
      const CharInfo *info;
      gunichar c;

      if (byte < 0x80)
        {
          *o++ = (byte >= 'A' && byte <= 'Z') ? byte + ('a' - 'A') : byte;
          p++;
          continue;
        }
      if ((info = two_byte_char (p, end)) && info->length != 0xff)
        {
          memcpy (o, info->folded, info->length);
          o += info->length;
          p += 2;
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
          continue;
        }
      p = g_utf8_next_char (p);
      o += fold_char (c, o);
    }
  g_string_truncate (out, o - out->str);
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
  if (folded->len < 2 || folded->len > G_MAXUINT16 ||
      strcmp (folded->str, folded_word) == 0 || !is_single_word (folded->str))
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

/* Analyses self->word, folded in self->folded, into @generation. */
static Analysis *
analyse_with_voikko (MpAnalyser      *self,
                     CacheGeneration *generation)
{
  const char *word = self->word->str, *folded_word = self->folded->str;
  struct voikko_mor_analysis **analyses = voikkoAnalyzeWordCstr (self->voikko, word);
  g_autoptr(GPtrArray) lemmas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (analyses == NULL || analyses[0] == NULL)
    {
      if (analyses != NULL)
        voikko_free_mor_analysis (analyses);
      return analysis_new (generation, word, self->word->len, lemmas, parts);
    }

  for (guint i = 0; analyses[i] != NULL; i++)
    {
      char *base = voikko_mor_analysis_value_cstr (analyses[i], "BASEFORM");

      if (base != NULL)
        add_term (lemmas, NULL, folded_word, base, -1);
      voikko_free_mor_analysis_value_cstr (base);
    }
  /* Parts after all base forms: "tuen" is both "tukea" and "tuki", and a
   * part should not repeat either. */
  for (guint i = 0; analyses[i] != NULL; i++)
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
  voikko_free_mor_analysis (analyses);

  return analysis_new (generation, word, self->word->len, lemmas, parts);
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

/* The word as written, NUL-terminated, for Voikko, Snowball and the
 * cache. */
static void
set_word (MpAnalyser *self,
          const char *word,
          gsize       length)
{
  g_string_truncate (self->word, 0);
  g_string_append_len (self->word, word, length);
}

/* The analysis of @word (folded in self->folded), or NULL when Voikko
 * has nothing to say. */
static const Analysis *
lookup_finnish (MpAnalyser *self,
                const char *word,
                gsize       length)
{
  Analysis *analysis;
  CacheSlot *slot, *old;
  guint32 hash;

  if (self->voikko == NULL || !worth_analysing (word, length))
    return NULL;

  hash = hash_word (word, length);
  slot = generation_find (&self->cache, hash, word, length);
  if (slot->hash == 0)
    {
      if (self->cache.n_words >= CACHE_MAX_WORDS)
        {
          generation_clear (&self->old_cache);
          self->old_cache = self->cache;
          memset (&self->cache, 0, sizeof self->cache);
          slot = generation_find (&self->cache, hash, word, length);
        }
      if (self->old_cache.n_words > 0 &&
          (old = generation_find (&self->old_cache, hash, word, length))->hash != 0)
        {
          analysis = generation_alloc (&self->cache, old->analysis->size);
          memcpy (analysis, old->analysis, old->analysis->size);
        }
      else
        {
          set_word (self, word, length);
          analysis = analyse_with_voikko (self, &self->cache);
        }
      slot->hash = hash;
      slot->analysis = analysis;
      self->cache.n_words++;
    }
  analysis = slot->analysis;
  return analysis->n_lemmas + analysis->n_parts > 0 ? analysis : NULL;
}

/* The stem of @word (folded in self->folded), folded, or NULL when it
 * is the word itself. */
static char *
stem (MpAnalyser *self,
      MpLanguage  language,
      const char *word,
      gsize       length)
{
  g_autofree char *lower = NULL;
  const sb_symbol *stemmed;
  g_autoptr(GString) folded = NULL;

  if (self->stemmers[language] == NULL || !worth_analysing (word, length))
    return NULL;

  set_word (self, word, length);
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

  init_tables ();
  g_atomic_ref_count_init (&self->ref_count);
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
  generation_clear (&self->cache);
  generation_clear (&self->old_cache);
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
  int n = 0;

  init_tables ();

  /* Bytes that are not UTF-8 separate words, like punctuation. */
  while (s < end && (n = word_char_length (s, end)) < 0)
    s += -n;
  if (s >= end)
    {
      *p = end;
      return FALSE;
    }

  *word = s;
  while (s < end && (n = word_char_length (s, end)) > 0)
    s += n;
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

  init_tables ();
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

      fold_into (self->folded, word, word_length);
      if (self->folded->len == 0)
        continue;

      if ((rc = func (self->folded->str, self->folded->len, start, stop, FALSE, user_data)) != 0)
        return rc;
      if (mode != MP_ANALYSE_INDEX)
        continue;

      if (language == MP_LANGUAGE_FINNISH)
        {
          const Analysis *analysis = lookup_finnish (self, word, word_length);
          const char *terms;

          if (analysis == NULL)
            continue;
          terms = analysis->data + analysis->word_length;
          for (guint i = 0; i < (guint) analysis->n_lemmas + analysis->n_parts; i++)
            {
              gsize term_length;
              const char *term = next_term (&terms, &term_length);

              if ((rc = func (term, term_length, start, stop, TRUE, user_data)) != 0)
                return rc;
            }
        }
      else
        {
          g_autofree char *stemmed = stem (self, language, word, word_length);

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

  fold_into (self->folded, word, length);

  if (language == MP_LANGUAGE_FINNISH)
    {
      const Analysis *analysis = lookup_finnish (self, word, length);
      const char *p = analysis != NULL ? analysis->data + analysis->word_length : NULL;

      for (guint i = 0; analysis != NULL && i < analysis->n_lemmas; i++)
        {
          gsize term_length;

          g_strv_builder_add (terms, next_term (&p, &term_length));
        }
    }
  else
    {
      g_autofree char *stemmed = stem (self, language, word, length);

      if (stemmed != NULL)
        g_strv_builder_add (terms, stemmed);
    }

  return g_strv_builder_end (terms);
}
