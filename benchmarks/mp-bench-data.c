/* mp-bench-data.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "mp-bench-data.h"

/* Word stems and case endings: a bank of real models has thousands of
 * distinct word forms, a few of them very common (Zipf), so prefix search
 * has realistic work to do. */
static const char *stems[] = {
  "lastensuojelu", "lapsi", "perhe", "perhetyö", "perhekeskus", "nuori", "päihde",
  "päihdepalvelu", "mielenterveys", "sijaishuolto", "jälkihuolto", "kokeilu", "tuki",
  "asiakas", "työntekijä", "kunta", "hyvinvointialue", "yhdistys", "vapaaehtoinen",
  "ohjaus", "palvelu", "palveluohjaus", "verkosto", "yhteistyö", "ikääntynyt",
  "yksinäisyys", "työllisyys", "koulutus", "asuminen", "maahanmuuttaja", "arki",
  "osallisuus", "kehittäminen", "malli", "toimintamalli", "vanhempi", "koulu",
  "neuvola", "kotikäynti", "ryhmä", "vertainen", "kohtaaminen", "kuntoutus",
  "terveys", "hoito", "sosiaalityö", "sosiaaliohjaaja", "kriisi", "vuorovaikutus",
  "luottamus", "arviointi", "mittari", "tavoite", "muutos", "tarve", "ratkaisu",
  "osaaminen", "koulutuspolku", "harrastus", "liikunta", "ruoka", "ruoka-apu",
  "kierrätys", "kaupunki", "kylä", "saaristo", "digitaalinen", "etäpalvelu",
  "chat", "puhelin", "sovellus", "rahoitus", "hanke", "ohjelma", "johtaminen",
  "esihenkilö", "kumppanuus", "järjestö", "seurakunta", "yritys", "oppilaitos",
  "välfärd", "familj", "barn", "ungdom", "stöd", "samarbete", "äldre", "ensamhet",
  "service", "support", "community", "volunteer", "family", "youth", "housing",
  "employment", "training", "network", "wellbeing", "client", "pilot", "evaluation",
};

static const char *endings[] = {
  "", "n", "a", "ssa", "sta", "lle", "lla", "ksi", "t", "jen", "ihin", "ille",
  "issa", "en", "ineen", "tta",
};

static const char *common[] = {
  "ja", "on", "se", "että", "sekä", "joka", "jossa", "kanssa", "myös", "kun",
  "hyvin", "uusi", "oma", "eri", "kaikki", "ovat", "voi", "tai", "jotta", "mutta",
};

static void
append_word (GString *text,
             GRand   *rand)
{
  /* Half the words are the common ones; content words fall off as 1/rank. */
  if (g_rand_boolean (rand))
    {
      g_string_append (text, common[g_rand_int_range (rand, 0, G_N_ELEMENTS (common))]);
      return;
    }
  {
    double u = g_rand_double (rand);
    guint n = G_N_ELEMENTS (stems);
    guint rank = (guint) (pow (n + 1.0, u)) - 1;

    g_string_append (text, stems[MIN (rank, n - 1)]);
    g_string_append (text, endings[g_rand_int_range (rand, 0, G_N_ELEMENTS (endings))]);
  }
}

static const char *themes[] = {
  "reducing_placements", "family_support", "aftercare", "social_services", "health",
  "employment", "education", "housing", "elderly_people", "loneliness",
};

static const char *regions[] = {
  "pirkanmaa", "helsinki", "varsinais_suomi", "pohjois_pohjanmaa", "keski_suomi",
  "lappi", "pohjanmaa", "national",
};

static char *
sentences (GRand *rand,
           gsize  target)
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
          append_word (text, rand);
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
      g_autofree char *title = NULL;
      const char *model_themes[2] = { themes[g_rand_int_range (rand, 0, G_N_ELEMENTS (themes))], NULL };
      const char *model_regions[2] = { regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))], NULL };
      int stage = g_rand_int_range (rand, -1, MP_N_STAGES);

      mp_model_set_id (model, id);
      {
        g_autoptr(GString) t = g_string_new (NULL);

        append_word (t, rand);
        g_string_append_c (t, ' ');
        append_word (t, rand);
        g_string_append_printf (t, " %u", i);
        t->str[0] = g_ascii_toupper (t->str[0]);
        title = g_string_free (g_steal_pointer (&t), FALSE);
      }
      mp_model_set_text (model, MP_TEXT_TITLE, title);
      mp_model_set_text (model, MP_TEXT_ORGANISATION, "Synteettinen hyvinvointialue");
      mp_model_set_revision (model, g_rand_int_range (rand, 0, 4));
      mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
      mp_model_set_list (model, MP_LIST_THEMES, model_themes);
      mp_model_set_list (model, MP_LIST_REGIONS, model_regions);
      for (int s = 0; s <= stage; s++)
        mp_model_set_stage_state (model, s, s == stage ? MP_STAGE_STATE_IN_PROGRESS : MP_STAGE_STATE_DONE);

      {
        g_autofree char *summary = sentences (rand, 400);
        mp_model_set_text (model, MP_TEXT_SUMMARY, summary);
      }
      for (MpText t = MP_TEXT_BASIC_IDEA; t <= MP_TEXT_LESSONS; t++)
        {
          g_autofree char *text = sentences (rand, 1350);
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
