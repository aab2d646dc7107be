/* test-search.c — language-aware search: Voikko for Finnish, Snowball for
 * Swedish and English, query syntax, ranking, snippets, fallback, reindex
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-analyser.h"

typedef struct
{
  char *dir;
  char *path;
  MpStore *store;
} Fixture;

typedef struct
{
  const char *language;
  const char *title;
  const char *summary;
  const char *body;
} TestModel;

/* Small models written in the bank's languages, with words in forms that
 * differ from the queries below. */
static const TestModel models[] = {
  { "fi", "Lastensuojelun perhetyö",
    "Tuen lastensuojelussa oleville perheille ja lapsille.",
    "Kokeiluissa perheiden arki helpottui. Sosiaaliohjaajat tapasivat vanhempia kotikäynneillä." },
  { "fi", "Päihdepalveluihin ohjaaminen",
    "Nuorten päihdeongelmat tunnistetaan koulussa.",
    "Yhteistyö terveydenhoitajien kanssa. Mielenterveyspalvelut ja vertaistuki." },
  { "fi", "Ikäihmisten yksinäisyyden vähentäminen",
    "Vapaaehtoiset vierailevat ikääntyneiden kodeissa.",
    "Ryhmätoiminta kirjastoissa. Kohtaamispaikka kaupungin keskustassa." },
  { "fi", "Maahanmuuttajien työllistyminen",
    "Kielikoulutus ja työharjoittelu yrityksissä.",
    "Ohjaajat auttavat työnhakijoita." },
  { "sv", "Stöd till barnfamiljer",
    "Familjerna får hjälp av socialarbetare i kommunen.",
    "Barnen deltar i gruppverksamhet. Föräldrarna träffas på mötesplatsen. Ungdomarna leder." },
  { "sv", "Äldreomsorg i skärgården",
    "Ensamheten bland äldre minskar när frivilliga besöker dem.",
    "Tjänsterna ordnas i samarbete med församlingar." },
  { "en", "Youth housing",
    "Young people find homes with help from volunteers.",
    "Landlords and counsellors meet the tenants." },
};

/* Controls: no query of the tables may find these. */
static const TestModel controls[] = {
  { "fi", "Kierrätysverstas",
    "Käytetyt huonekalut korjataan ja myydään edullisesti.",
    "Korjaamo on auki arkisin. Polkupyörien huolto." },
  { "sv", "Cykelverkstad",
    "Gamla cyklar repareras och säljs billigt.",
    "Verkstaden håller öppet på vardagar." },
};

typedef struct
{
  const char *query;
  const char *title;   /* a model that must be found */
} SearchCase;

/* Inflection (case endings, plural stems), consonant gradation and
 * compounds: the query's form never appears in the model as typed. */
static const SearchCase finnish_cases[] = {
  { "lapsi", "Lastensuojelun perhetyö" },                 /* lapsille, lasten+suojelu */
  { "lapset", "Lastensuojelun perhetyö" },
  { "lapsen", "Lastensuojelun perhetyö" },
  { "lastensuojelu", "Lastensuojelun perhetyö" },
  { "lastensuojelulla", "Lastensuojelun perhetyö" },
  { "suojelu", "Lastensuojelun perhetyö" },               /* a compound's part */
  { "perhe", "Lastensuojelun perhetyö" },                 /* perheille, perheiden, perhetyö */
  { "perheet", "Lastensuojelun perhetyö" },
  { "perheissä", "Lastensuojelun perhetyö" },
  { "perhetyötä", "Lastensuojelun perhetyö" },
  { "tukea", "Lastensuojelun perhetyö" },                 /* tuen: k ~ ∅ */
  { "tuki", "Lastensuojelun perhetyö" },
  { "tuella", "Lastensuojelun perhetyö" },
  { "kokeilu", "Lastensuojelun perhetyö" },               /* kokeiluissa */
  { "kokeilut", "Lastensuojelun perhetyö" },
  { "kokeilussa", "Lastensuojelun perhetyö" },
  { "arkea", "Lastensuojelun perhetyö" },                 /* arki */
  { "arjen", "Lastensuojelun perhetyö" },                 /* k ~ j */
  { "sosiaaliohjaaja", "Lastensuojelun perhetyö" },
  { "ohjaaja", "Maahanmuuttajien työllistyminen" },
  { "vanhemmat", "Lastensuojelun perhetyö" },             /* vanhempia: mp ~ mm */
  { "vanhempien", "Lastensuojelun perhetyö" },
  { "kotikäynti", "Lastensuojelun perhetyö" },            /* kotikäynneillä: nt ~ nn */
  { "käynti", "Lastensuojelun perhetyö" },
  { "päihde", "Päihdepalveluihin ohjaaminen" },           /* päihdepalveluihin */
  { "päihteet", "Päihdepalveluihin ohjaaminen" },         /* hd ~ ht */
  { "päihteiden", "Päihdepalveluihin ohjaaminen" },
  { "palvelu", "Päihdepalveluihin ohjaaminen" },
  { "palveluja", "Päihdepalveluihin ohjaaminen" },
  { "ongelma", "Päihdepalveluihin ohjaaminen" },
  { "nuori", "Päihdepalveluihin ohjaaminen" },            /* nuorten */
  { "nuoret", "Päihdepalveluihin ohjaaminen" },
  { "koulu", "Päihdepalveluihin ohjaaminen" },
  { "terveydenhoitaja", "Päihdepalveluihin ohjaaminen" },
  { "mielenterveys", "Päihdepalveluihin ohjaaminen" },
  { "vertaistuen", "Päihdepalveluihin ohjaaminen" },
  { "yksinäisyys", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "ikääntynyt", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "vapaaehtoinen", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "koti", "Ikäihmisten yksinäisyyden vähentäminen" },   /* kodeissa: t ~ d */
  { "kirjasto", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "kaupunki", "Ikäihmisten yksinäisyyden vähentäminen" }, /* kaupungin: nk ~ ng */
  { "keskusta", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "ryhmä", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "toiminta", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "paikka", "Ikäihmisten yksinäisyyden vähentäminen" },
  { "maahanmuuttaja", "Maahanmuuttajien työllistyminen" },
  { "yritys", "Maahanmuuttajien työllistyminen" },        /* yrityksissä */
  { "koulutus", "Maahanmuuttajien työllistyminen" },
  { "kieli", "Maahanmuuttajien työllistyminen" },
  { "harjoittelu", "Maahanmuuttajien työllistyminen" },
  { "työnhakija", "Maahanmuuttajien työllistyminen" },
};

static const SearchCase swedish_cases[] = {
  { "barn", "Stöd till barnfamiljer" },
  { "barns", "Stöd till barnfamiljer" },
  { "socialarbetaren", "Stöd till barnfamiljer" },
  { "familjens", "Stöd till barnfamiljer" },
  { "barnens", "Stöd till barnfamiljer" },
  { "familj", "Stöd till barnfamiljer" },
  { "familjen", "Stöd till barnfamiljer" },
  { "familjer", "Stöd till barnfamiljer" },
  { "barnfamilj", "Stöd till barnfamiljer" },
  { "föräldrar", "Stöd till barnfamiljer" },
  { "ungdomar", "Stöd till barnfamiljer" },
  { "ungdom", "Stöd till barnfamiljer" },
  { "kommun", "Stöd till barnfamiljer" },
  { "kommunerna", "Stöd till barnfamiljer" },
  { "mötesplatser", "Stöd till barnfamiljer" },
  { "hjälpen", "Stöd till barnfamiljer" },
  { "grupp", "Stöd till barnfamiljer" },
  { "äldre", "Äldreomsorg i skärgården" },
  { "ensamhet", "Äldreomsorg i skärgården" },
  { "frivillig", "Äldreomsorg i skärgården" },
  { "tjänster", "Äldreomsorg i skärgården" },
  { "församling", "Äldreomsorg i skärgården" },
  { "besöka", "Äldreomsorg i skärgården" },
  { "skärgård", "Äldreomsorg i skärgården" },
};

static const SearchCase english_cases[] = {
  { "home", "Youth housing" },
  { "volunteering", "Youth housing" },
  { "landlord", "Youth housing" },
  { "meeting", "Youth housing" },
  { "tenant", "Youth housing" },
};

/* helpers */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_remove (path);
}

static MpModel *
make_model (const TestModel *m)
{
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_LANGUAGE, m->language);
  mp_model_set_text (model, MP_TEXT_TITLE, m->title);
  mp_model_set_text (model, MP_TEXT_SUMMARY, m->summary);
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, m->body);
  return model;
}

static void
save (MpStore *store,
      MpModel *model)
{
  g_autoptr(GError) error = NULL;

  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);
}

static void
save_all (MpStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(MpModel) model = make_model (&models[i]);

      save (store, model);
    }
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      g_autoptr(MpModel) model = make_model (&controls[i]);

      save (store, model);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-search-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  mp_store_set_search_language (fixture->store, "fi");
  save_all (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Titles of the hits, in their order, joined by "|". */
static char *
search (MpStore    *store,
        const char *text)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GString) titles = g_string_new (NULL);

  query->text = g_strdup (text);
  rowids = mp_store_query (store, query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(MpModelSummary) summary = mp_store_get_summary (store, g_array_index (rowids, gint64, i));

      g_string_append_printf (titles, "%s%s", i > 0 ? "|" : "", mp_model_summary_get_title (summary));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static gboolean
has_title (const char *titles,
           const char *title)
{
  g_auto(GStrv) split = g_strsplit (titles, "|", -1);

  return g_strv_contains ((const char * const *) split, title);
}

static guint
count_titles (const char *titles)
{
  g_auto(GStrv) split = g_strsplit (titles, "|", -1);

  return g_strv_length (split);
}

static void
count_signal (MpStore *store,
              int     *count)
{
  (*count)++;
}

static void
check_cases (MpStore          *store,
             const SearchCase *cases,
             guint             n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *found = search (store, cases[i].query);

      if (!has_title (found, cases[i].title))
        g_error ("“%s” should find “%s”, found “%s”", cases[i].query, cases[i].title, found);
      for (guint j = 0; j < G_N_ELEMENTS (controls); j++)
        if (has_title (found, controls[j].title))
          g_error ("“%s” should not find the control “%s”", cases[i].query, controls[j].title);
    }
}

static gint64
rowid_of (MpStore    *store,
          const char *title)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GArray) rowids = mp_store_query (store, query, NULL);

  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      g_autoptr(MpModelSummary) summary = mp_store_get_summary (store, rowid);

      if (g_str_equal (mp_model_summary_get_title (summary), title))
        return rowid;
    }
  g_assert_not_reached ();
}

/* As Pango will parse it. */
static gboolean
is_well_formed (const char *markup)
{
  static const GMarkupParser parser = { NULL };
  g_autofree char *document = g_strdup_printf ("<markup>%s</markup>", markup);
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, NULL, NULL);

  return g_markup_parse_context_parse (context, document, -1, NULL) &&
         g_markup_parse_context_end_parse (context, NULL);
}

/* Every query of the tables and of the syntax tests, with its hits. */
static char *
all_results (MpStore *store)
{
  static const char * const extra[] = {
    "\"perheiden arki\"", "ohjaaja -maahanmuuttaja", "-päihde", "koti OR kauppa", "l", "la",
    "pä", "uusi", "lisätty", "vanha", "barnen", "lastensuo",
  };
  const SearchCase *tables[] = { finnish_cases, swedish_cases, english_cases };
  const guint sizes[] = { G_N_ELEMENTS (finnish_cases), G_N_ELEMENTS (swedish_cases),
                          G_N_ELEMENTS (english_cases) };
  GString *all = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint i = 0; i < sizes[t]; i++)
      {
        g_autofree char *found = search (store, tables[t][i].query);

        g_string_append_printf (all, "%s: %s\n", tables[t][i].query, found);
      }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autofree char *found = search (store, extra[i]);

      g_string_append_printf (all, "%s: %s\n", extra[i], found);
    }
  return g_string_free (all, FALSE);
}

/* analyser */

typedef struct {
  GString *terms;
  guint n_positions;
} Collected;

static int
collect_term (const char *term,
              gsize       length,
              gsize       start,
              gsize       end,
              gboolean    colocated,
              gpointer    user_data)
{
  Collected *collected = user_data;

  if (!colocated)
    collected->n_positions++;
  g_string_append_printf (collected->terms, "%s%.*s", colocated ? "+" : " ", (int) length, term);
  return 0;
}

static char *
analyse (MpAnalyser    *analyser,
         MpLanguage     language,
         MpAnalyseMode  mode,
         const char    *text,
         guint         *n_positions)
{
  Collected collected = { g_string_new (NULL), 0 };

  mp_analyser_analyse (analyser, language, mode, text, strlen (text), collect_term, &collected);
  if (n_positions != NULL)
    *n_positions = collected.n_positions;
  return g_string_free (collected.terms, FALSE);
}

static void
test_analyser_fold (void)
{
  static const char * const pairs[][2] = {
    { "Päihde", "paihde" }, { "MÖTESPLATS", "motesplats" }, { "e\xcc\x81", "e" },
    { "Åland", "aland" }, { "työ", "tyo" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *folded = mp_analyser_fold (pairs[i][0], strlen (pairs[i][0]));

      g_assert_cmpstr (folded, ==, pairs[i][1]);
    }
}

static void
test_analyser_finnish (void)
{
  g_autoptr(MpAnalyser) analyser = mp_analyser_new ();
  g_autofree char *compound = NULL;
  g_autofree char *surface = NULL;
  g_auto(GStrv) tuen = NULL;
  g_auto(GStrv) compound_query = NULL;
  guint n_index = 0, n_surface = 0;

  g_assert_true (mp_analyser_has_voikko (analyser));

  compound = analyse (analyser, MP_LANGUAGE_FINNISH, MP_ANALYSE_INDEX, "Lastensuojelussa, perheiden", &n_index);
  g_assert_cmpstr (compound, ==, " lastensuojelussa+lastensuojelu+lasten+lapsi+suojelu perheiden+perhe");

  /* Positions are the same whatever is indexed with them. */
  surface = analyse (analyser, MP_LANGUAGE_FINNISH, MP_ANALYSE_SURFACE, "Lastensuojelussa, perheiden", &n_surface);
  g_assert_cmpstr (surface, ==, " lastensuojelussa perheiden");
  g_assert_cmpuint (n_index, ==, n_surface);

  /* Both readings of an ambiguous word. */
  tuen = mp_analyser_query_terms (analyser, MP_LANGUAGE_FINNISH, "tuen", 4);
  g_assert_true (g_strv_contains ((const char * const *) tuen, "tukea"));
  g_assert_true (g_strv_contains ((const char * const *) tuen, "tuki"));

  /* A query word's parts are not searched for. */
  compound_query = mp_analyser_query_terms (analyser, MP_LANGUAGE_FINNISH, "lastensuojelu", 13);
  g_assert_cmpuint (g_strv_length (compound_query), ==, 0);
}

static void
test_analyser_swedish (void)
{
  g_autoptr(MpAnalyser) analyser = mp_analyser_new ();
  g_autofree char *terms = analyse (analyser, MP_LANGUAGE_SWEDISH, MP_ANALYSE_INDEX,
                                    "Barnen och föräldrarna", NULL);
  g_auto(GStrv) query = mp_analyser_query_terms (analyser, MP_LANGUAGE_SWEDISH, "familjerna", 10);

  g_assert_cmpstr (terms, ==, " barnen+barn och foraldrarna+foraldr");
  g_assert_cmpstrv (query, ((const char * const []) { "familj", NULL }));
}

static void
test_analyser_bad_text (void)
{
  static const char text[] = "a\xff\xfe b\xc3 \xe2\x82 ok";
  g_autoptr(MpAnalyser) analyser = mp_analyser_new ();
  g_autofree char *terms = NULL;

  /* Not UTF-8: the bad bytes separate words, nothing is read past the end. */
  terms = analyse (analyser, MP_LANGUAGE_FINNISH, MP_ANALYSE_INDEX, text, NULL);
  g_assert_cmpstr (terms, ==, " a b ok");
}

/* search */

static void
test_search_finnish (Fixture       *fixture,
                     gconstpointer  data)
{
  g_assert_cmpuint (G_N_ELEMENTS (finnish_cases), >=, 40);
  g_assert_false (mp_store_get_search_degraded (fixture->store));
  check_cases (fixture->store, finnish_cases, G_N_ELEMENTS (finnish_cases));
}

static void
test_search_swedish (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *finnish_ui = NULL;

  g_assert_cmpuint (G_N_ELEMENTS (swedish_cases), >=, 15);
  mp_store_set_search_language (fixture->store, "sv_FI.UTF-8");
  check_cases (fixture->store, swedish_cases, G_N_ELEMENTS (swedish_cases));
  /* Finnish is tried whatever the interface language. */
  check_cases (fixture->store, finnish_cases, G_N_ELEMENTS (finnish_cases));

  /* In a Finnish interface a Swedish word still matches its beginnings. */
  mp_store_set_search_language (fixture->store, "fi");
  finnish_ui = search (fixture->store, "familj");
  g_assert_cmpstr (finnish_ui, ==, "Stöd till barnfamiljer");
}

static void
test_search_english (Fixture       *fixture,
                     gconstpointer  data)
{
  mp_store_set_search_language (fixture->store, "en");
  check_cases (fixture->store, english_cases, G_N_ELEMENTS (english_cases));
}

static void
test_search_phrase (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *phrase = search (fixture->store, "\"perheiden arki\"");
  g_autofree char *reversed = search (fixture->store, "\"arki perheiden\"");
  g_autofree char *words = search (fixture->store, "arki perheiden");
  g_autofree char *typing = search (fixture->store, "\"perheiden ar");
  g_autofree char *closed = search (fixture->store, "\"perheiden ar\"");

  g_assert_cmpstr (phrase, ==, "Lastensuojelun perhetyö");
  g_assert_cmpstr (reversed, ==, "");
  g_assert_cmpstr (words, ==, "Lastensuojelun perhetyö");
  /* An unclosed quote is still being typed. */
  g_assert_cmpstr (typing, ==, "Lastensuojelun perhetyö");
  g_assert_cmpstr (closed, ==, "");
}

static void
test_search_or (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *either = search (fixture->store, "yksinäisyys OR maahanmuuttaja");
  g_autofree char *tai = search (fixture->store, "yksinäisyys TAI maahanmuuttaja");
  g_autofree char *both = search (fixture->store, "yksinäisyys maahanmuuttaja");
  g_autofree char *lower = search (fixture->store, "yksinäisyys or maahanmuuttaja");
  g_autofree char *and_or = search (fixture->store, "perhe päihde OR yksinäisyys");
  g_auto(GStrv) split = g_strsplit (either, "|", -1);

  g_assert_cmpuint (g_strv_length (split), ==, 2);
  g_assert_true (has_title (either, "Ikäihmisten yksinäisyyden vähentäminen"));
  g_assert_true (has_title (either, "Maahanmuuttajien työllistyminen"));
  g_assert_cmpstr (tai, ==, either);
  g_assert_cmpstr (both, ==, "");
  /* In lower case it is a word like any other. */
  g_assert_cmpstr (lower, ==, "");
  /* OR binds its neighbours; the rest must all match. */
  g_assert_cmpstr (and_or, ==, "");
}

static void
test_search_exclude (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *all = search (fixture->store, "ohjaaja");
  g_autofree char *fewer = search (fixture->store, "ohjaaja -maahanmuuttajien");
  g_autofree char *rest = search (fixture->store, "-päihteet");
  g_autofree char *phrase = search (fixture->store, "ohjaaja -\"työnhakijoita auttavat\"");
  g_autofree char *hyphen = search (fixture->store, "ohjaaja-maahanmuuttaja");

  g_assert_true (has_title (all, "Lastensuojelun perhetyö"));
  g_assert_true (has_title (all, "Maahanmuuttajien työllistyminen"));
  /* Any form of the excluded word excludes. */
  g_assert_cmpstr (fewer, ==, "Lastensuojelun perhetyö");
  /* Only exclusions: everything else, by title. */
  g_assert_false (has_title (rest, "Päihdepalveluihin ohjaaminen"));
  g_assert_true (has_title (rest, "Kierrätysverstas"));
  g_assert_cmpuint (count_titles (rest), ==, G_N_ELEMENTS (models) + G_N_ELEMENTS (controls) - 1);
  /* A phrase that is not there excludes nothing. */
  g_assert_cmpstr (phrase, ==, all);
  /* A hyphen inside a word joins, as in "ruoka-apu". */
  g_assert_cmpstr (hyphen, ==, "Maahanmuuttajien työllistyminen");
}

static void
test_search_ranking (Fixture       *fixture,
                     gconstpointer  data)
{
  static const TestModel in_body = { "fi", "Arjen apu", "Kotiin vietävä tuki.",
                                     "Kokeilu jatkui koko vuoden, ja kokeilua arvioitiin." };
  static const TestModel in_title = { "fi", "Kokeilut kouluissa", "Lyhyt kuvaus.", "Muuta tekstiä." };
  g_autoptr(MpModel) a = make_model (&in_body);
  g_autoptr(MpModel) b = make_model (&in_title);
  g_autofree char *found = NULL;
  g_auto(GStrv) split = NULL;

  save (fixture->store, a);
  save (fixture->store, b);

  /* A title weighs more than the long sections, even with fewer hits. */
  found = search (fixture->store, "kokeilu");
  split = g_strsplit (found, "|", -1);
  g_assert_cmpuint (g_strv_length (split), ==, 3);
  g_assert_cmpstr (split[0], ==, "Kokeilut kouluissa");
}

static void
test_search_snippet (Fixture       *fixture,
                     gconstpointer  data)
{
  static const TestModel markup = { "fi", "Merkit", "Ei mitään.",
                                    "Kun <b> & \"lainaus\" kohtaavat, sovelletaan lakia." };
  gint64 rowid = rowid_of (fixture->store, "Lastensuojelun perhetyö");
  g_autoptr(MpModel) model = make_model (&markup);
  g_autofree char *lemma = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *none = NULL;
  g_autofree char *excluded = NULL;

  /* The hit is shown in the form the text has. */
  lemma = mp_store_snippet (fixture->store, rowid, "kotikäynti");
  g_assert_nonnull (lemma);
  g_assert_nonnull (strstr (lemma, "<b>kotikäynneillä</b>"));
  g_assert_true (is_well_formed (lemma));

  save (fixture->store, model);
  escaped = mp_store_snippet (fixture->store, rowid_of (fixture->store, "Merkit"), "laki");
  g_assert_nonnull (escaped);
  g_assert_nonnull (strstr (escaped, "&lt;b&gt; &amp; &quot;lainaus&quot;"));
  g_assert_nonnull (strstr (escaped, "<b>lakia</b>"));
  g_assert_true (is_well_formed (escaped));

  none = mp_store_snippet (fixture->store, rowid, "polkupyörä");
  g_assert_null (none);
  excluded = mp_store_snippet (fixture->store, rowid, "-polkupyörä");
  g_assert_null (excluded);
}

static void
test_search_syntax (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const typed[] = {
    "-", "--", "- -", "-\"", "-\"\"", "\"-\"", "OR", "OR OR", "a OR", "OR a", "-a OR b", "a OR -b",
    "TAI", "ELLER ELLER", "\"a\" OR \"b", "-lapsi -perhe", "NOT", "a NOT b", "(a OR b)", "\"\"\"",
    "e\xcc\x81", "\xcc\x81", "lapsi*", "*lapsi", "lapsi^2", "a:b:c", "\"a b c\" -\"d e\" f OR g",
  };

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr(MpQuery) query = mp_query_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;
      g_autofree char *snippet = NULL;

      query->text = g_strdup (typed[i]);
      rowids = mp_store_query (fixture->store, query, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rowids);
      snippet = mp_store_snippet (fixture->store, rowid_of (fixture->store, "Kierrätysverstas"), typed[i]);
      g_assert_true (snippet == NULL || g_utf8_validate (snippet, -1, NULL));
    }
}

static void
test_search_fallback (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-search-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bank.sqlite", NULL);
  g_autoptr(GError) error = NULL;

  /* As without voikko-fi: prefix matching still works, nothing breaks. */
  g_setenv ("MALLIPAJA_NO_VOIKKO", "1", TRUE);
  {
    g_autoptr(MpStore) store = mp_store_open (path, &error);
    g_autofree char *prefix = NULL;
    g_autofree char *inflected = NULL;
    g_autofree char *swedish = NULL;

    g_assert_no_error (error);
    g_assert_true (mp_store_get_search_degraded (store));
    mp_store_set_search_language (store, "sv");
    save_all (store);

    prefix = search (store, "lastensuo");
    inflected = search (store, "päihteet");
    swedish = search (store, "familjen");
    g_assert_cmpstr (prefix, ==, "Lastensuojelun perhetyö");
    g_assert_cmpstr (inflected, ==, "");
    g_assert_cmpstr (swedish, ==, "Stöd till barnfamiljer");
    check_cases (store, swedish_cases, G_N_ELEMENTS (swedish_cases));
  }

  /* With the dictionary back, the index is rebuilt on opening. */
  g_unsetenv ("MALLIPAJA_NO_VOIKKO");
  {
    g_autoptr(MpStore) store = mp_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_false (mp_store_get_search_degraded (store));
    mp_store_set_search_language (store, "fi");
    check_cases (store, finnish_cases, G_N_ELEMENTS (finnish_cases));
  }

  remove_tree (dir);
}

/* Edits made one by one leave the index as a rebuild makes it: nothing
 * stale from old text, old languages or deleted models. */
static void
test_search_reindex (Fixture       *fixture,
                     gconstpointer  data)
{
  static const TestModel added = { "fi", "Lisätty malli", "Uusi kuvaus päihteistä.", "Vanha teksti." };
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = make_model (&added);
  g_autoptr(MpModel) swedish = NULL;
  g_autofree char *incremental = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *fresh = NULL;
  int bank_changed = 0;

  mp_store_set_search_language (fixture->store, "sv");
  save (fixture->store, model);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Toinen kuvaus lapsista.");
  save (fixture->store, model);
  /* The same model in another language, then deleted and restored. */
  swedish = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);
  mp_model_set_text (swedish, MP_TEXT_LANGUAGE, "sv");
  mp_model_set_text (swedish, MP_TEXT_BASIC_IDEA, "Ny text om barnen.");
  save (fixture->store, swedish);
  g_assert_true (mp_store_delete_model (fixture->store, mp_model_get_id (swedish), &error));
  g_assert_true (mp_store_restore_model (fixture->store, mp_model_get_id (swedish), &error));
  g_assert_no_error (error);

  incremental = all_results (fixture->store);

  g_signal_connect (fixture->store, "bank-changed", G_CALLBACK (count_signal), &bank_changed);
  g_assert_true (mp_store_reindex (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bank_changed, ==, 1);
  rebuilt = all_results (fixture->store);
  g_assert_cmpstr (incremental, ==, rebuilt);

  /* And as a new bank with the final models would. */
  {
    g_autofree char *path = g_build_filename (fixture->dir, "fresh.sqlite", NULL);
    g_autoptr(MpStore) store = mp_store_open (path, &error);

    g_assert_no_error (error);
    mp_store_set_search_language (store, "sv");
    save_all (store);
    save (store, swedish);
    fresh = all_results (store);
  }
  g_assert_cmpstr (incremental, ==, fresh);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("MALLIPAJA_NO_VOIKKO");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/analyser/fold", test_analyser_fold);
  g_test_add_func ("/analyser/finnish", test_analyser_finnish);
  g_test_add_func ("/analyser/swedish", test_analyser_swedish);
  g_test_add_func ("/analyser/bad-text", test_analyser_bad_text);
  ADD ("/search/finnish", test_search_finnish);
  ADD ("/search/swedish", test_search_swedish);
  ADD ("/search/english", test_search_english);
  ADD ("/search/phrase", test_search_phrase);
  ADD ("/search/or", test_search_or);
  ADD ("/search/exclude", test_search_exclude);
  ADD ("/search/ranking", test_search_ranking);
  ADD ("/search/snippet", test_search_snippet);
  ADD ("/search/syntax", test_search_syntax);
  ADD ("/search/reindex", test_search_reindex);
  g_test_add_func ("/search/fallback", test_search_fallback);

#undef ADD

  return g_test_run ();
}
