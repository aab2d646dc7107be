/* mp-bench-data.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "mp-bench-data.h"

/* A bank of real models is written about topics: a child-protection model
 * says "lastensuojelu" on every page, a model for older people hardly ever.
 * So each generated model has a topic whose words make up a share of its
 * text, a few words every model uses, function words, and a long tail of
 * other words (made from syllables, thousands of distinct forms, falling
 * off as 1/rank) as real prose has. Prefix search then has realistic work:
 * "lasten" matches the child-protection part of the bank, not all of it. */
typedef struct {
  const char *theme;
  const char *words[12];
} Topic;

static const Topic topics[] = {
  { "reducing_placements", { "lastensuojelu", "lapsi", "perhe", "sijoitus", "sijaishuolto", "kotikäynti", "vanhempi", "perhetyö", "sosiaalityö", "kriisi", "tuki", "koulu" } },
  { "aftercare", { "jälkihuolto", "nuori", "itsenäistyminen", "asunto", "lastensuojelu", "ohjaaja", "opiskelu", "raha-asia", "tuki", "vertainen", "arki", "kohtaaminen" } },
  { "care_substance_mental_health", { "päihde", "päihdepalvelu", "mielenterveys", "sijaishuolto", "nuori", "hoito", "kuntoutus", "terapia", "kriisi", "lastensuojelu", "jalkautuva", "tiimi" } },
  { "family_support", { "perhe", "perhekeskus", "vanhemmuus", "neuvola", "lapsi", "vauva", "vertaisryhmä", "kotipalvelu", "tuki", "arki", "parisuhde", "kohtaamispaikka" } },
  { "employment", { "työllisyys", "työkyky", "työnhakija", "koulutus", "osaaminen", "yritys", "palkkatuki", "valmennus", "työkokeilu", "ura", "työnantaja", "ohjaus" } },
  { "elderly_people", { "ikääntynyt", "yksinäisyys", "kotihoito", "omaishoitaja", "muistisairaus", "liikunta", "kylä", "vapaaehtoinen", "ystävä", "palvelutalo", "kohtaaminen", "arki" } },
  { "immigrants", { "maahanmuuttaja", "kotoutuminen", "kielikoulutus", "suomen kieli", "työpaikka", "mentori", "kulttuuri", "perhe", "ohjaus", "digitaito", "verkosto", "yhteisö" } },
  { "housing", { "asunto", "asunnottomuus", "asumisneuvonta", "vuokra", "häätö", "tuettu asuminen", "kriisi", "talous", "velka", "naapurusto", "asukas", "ohjaus" } },
  { "food_systems", { "ruoka-apu", "ruokahävikki", "yhteinen pöytä", "kauppa", "seurakunta", "vapaaehtoinen", "ateria", "jakelu", "logistiikka", "yhteisö", "kohtaaminen", "järjestö" } },
  { "education", { "koulu", "oppilas", "opettaja", "oppilashuolto", "koulupudokas", "harrastus", "nuori", "ohjaamo", "opinto-ohjaus", "digitaito", "oppilaitos", "mentori" } },
};

static const char *everyday[] = {
  "asiakas", "palvelu", "malli", "toimintamalli", "kehittäminen", "yhteistyö", "hyvinvointialue",
  "kunta", "järjestö", "työntekijä", "osallisuus", "arviointi", "tavoite", "muutos", "verkosto",
};

static const char *function_words[] = {
  "ja", "on", "se", "että", "sekä", "joka", "jossa", "kanssa", "myös", "kun",
  "hyvin", "uusi", "oma", "eri", "kaikki", "ovat", "voi", "tai", "jotta", "mutta",
};

static const char *syllables[] = {
  "ka", "la", "ta", "va", "sa", "ma", "na", "ra", "pa", "ja", "ko", "lo", "to", "vo", "so",
  "mo", "no", "ro", "po", "ki", "li", "ti", "vi", "si", "mi", "ni", "ri", "pi", "ku", "lu",
  "tu", "vu", "su", "mu", "nu", "ru", "pu", "kä", "lä", "tä", "vä", "sä", "mä", "nä", "rä",
  "ke", "le", "te", "ve", "se", "me", "ne", "re", "pe", "hy", "ly", "ty", "ky", "kö", "lö",
};

static const char *endings[] = {
  "", "n", "a", "ssa", "sta", "lle", "lla", "ksi", "t", "jen", "ihin", "ille",
  "issa", "en", "ineen", "tta",
};

#define N_TAIL_WORDS 20000

static void
append_tail_word (GString *text,
                  GRand   *rand)
{
  /* Zipf: rank r with probability ∝ 1/r, as in running text. */
  guint rank = (guint) pow (N_TAIL_WORDS + 1.0, g_rand_double (rand));
  guint n = G_N_ELEMENTS (syllables);

  /* the rank decides the word, so the same rank is the same word */
  g_string_append (text, syllables[rank % n]);
  g_string_append (text, syllables[(rank / n) % n]);
  if (rank >= n * n)
    g_string_append (text, syllables[(rank / (n * n)) % n]);
  g_string_append (text, syllables[(rank * 7) % n]);
}

static void
append_word (GString     *text,
             GRand       *rand,
             const Topic *topic)
{
  int dice = g_rand_int_range (rand, 0, 1000);
  const char *stem;

  if (dice < 400)
    {
      g_string_append (text, function_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (function_words))]);
      return;
    }
  if (dice < 750)
    {
      append_tail_word (text, rand);
      g_string_append (text, endings[g_rand_int_range (rand, 0, G_N_ELEMENTS (endings))]);
      return;
    }
  if (dice < 900)
    stem = topic->words[g_rand_int_range (rand, 0, G_N_ELEMENTS (topic->words))];
  else if (dice < 995)
    stem = everyday[g_rand_int_range (rand, 0, G_N_ELEMENTS (everyday))];
  else
    {
      /* now and then a word of another topic */
      const Topic *other = &topics[g_rand_int_range (rand, 0, G_N_ELEMENTS (topics))];
      stem = other->words[g_rand_int_range (rand, 0, G_N_ELEMENTS (other->words))];
    }
  g_string_append (text, stem);
  g_string_append (text, endings[g_rand_int_range (rand, 0, G_N_ELEMENTS (endings))]);
}

static const char *regions[] = {
  "pirkanmaa", "helsinki", "varsinais_suomi", "pohjois_pohjanmaa", "keski_suomi",
  "lappi", "pohjanmaa", "national",
};

static char *
sentences (GRand       *rand,
           const Topic *topic,
           gsize        target)
{
  GString *text = g_string_sized_new (target + 64);

  while (text->len < target)
    {
      guint n = g_rand_int_range (rand, 6, 16);

      for (guint i = 0; i < n; i++)
        {
          gsize start = text->len;

          if (i > 0)
            g_string_append_c (text, ' ');
          append_word (text, rand, topic);
          if (i == 0)
            text->str[start] = g_ascii_toupper (text->str[start]);
        }
      g_string_append (text, g_rand_int_range (rand, 0, 5) == 0 ? ".\n\n" : ". ");
    }
  return g_string_free (text, FALSE);
}

GPtrArray *
mp_bench_generate_models (guint  first,
                          guint  n_models,
                          gsize *bytes)
{
  GPtrArray *models = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n_models; i++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (i);
      g_autoptr(MpModel) model = mp_model_new ();
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      const Topic *topic = &topics[g_rand_int_range (rand, 0, G_N_ELEMENTS (topics))];
      const char *model_themes[2] = { topic->theme, NULL };
      const char *model_regions[2] = { regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))], NULL };
      int stage = g_rand_int_range (rand, -1, MP_N_STAGES);

      mp_model_set_id (model, id);
      {
        g_autoptr(GString) title = g_string_new (NULL);

        g_string_append (title, topic->words[g_rand_int_range (rand, 0, G_N_ELEMENTS (topic->words))]);
        g_string_append_c (title, ' ');
        append_word (title, rand, topic);
        g_string_append_printf (title, " %u", i);
        title->str[0] = g_ascii_toupper (title->str[0]);
        mp_model_set_text (model, MP_TEXT_TITLE, title->str);
      }
      mp_model_set_text (model, MP_TEXT_ORGANISATION, "Synteettinen hyvinvointialue");
      mp_model_set_revision (model, g_rand_int_range (rand, 0, 4));
      mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
      mp_model_set_list (model, MP_LIST_THEMES, model_themes);
      mp_model_set_list (model, MP_LIST_REGIONS, model_regions);
      for (int s = 0; s <= stage; s++)
        mp_model_set_stage_state (model, s, s == stage ? MP_STAGE_STATE_IN_PROGRESS : MP_STAGE_STATE_DONE);

      {
        g_autofree char *summary = sentences (rand, topic, 400);
        mp_model_set_text (model, MP_TEXT_SUMMARY, summary);
      }
      for (MpText t = MP_TEXT_BASIC_IDEA; t <= MP_TEXT_LESSONS; t++)
        {
          g_autofree char *text = sentences (rand, topic, 1350);
          mp_model_set_text (model, t, text);
        }
      if (bytes != NULL)
        {
          g_autofree char *doc = mp_model_to_json_string (model, FALSE);
          *bytes += strlen (doc);
        }
      g_ptr_array_add (models, g_steal_pointer (&model));
    }
  return models;
}
