/* mp-taxonomy.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mp-taxonomy.h"

/* The labels are data, not messages: the platform serves every language at
 * once, and one agreed translation per term (domain.md) must reach the UI,
 * the database and the exports alike. */

static const MpTerm stages[] = {
  { "need", "Need identified", "Tarpeen määrittäminen", "Identifiering av behovet", -1 },
  { "idea", "Idea", "Idea", "Idé", -1 },
  { "trials", "Trials", "Kokeilu", "Försök", -1 },
  { "stabilisation", "Stabilisation", "Vakiinnuttaminen", "Etablering", -1 },
  { "scaling", "Scaling", "Skaalaaminen", "Spridning", -1 },
  { "systemic_change", "Systemic change", "Systeeminen muutos", "Systemförändring", -1 },
};

static const MpTerm stage_states[] = {
  { "not_started", "Not started", "Ei aloitettu", "Inte påbörjad", -1 },
  { "in_progress", "In progress", "Käynnissä", "Pågår", -1 },
  { "done", "Done", "Valmis", "Klar", -1 },
};

static const MpTerm characteristics[] = {
  { "sustainability",
    "Social, economic and ecological sustainability",
    "Ratkaisun sosiaalinen, taloudellinen ja ekologinen kestävyys",
    "Lösningens sociala, ekonomiska och ekologiska hållbarhet", 73 },
  { "everyday_life",
    "Broad connection to the everyday life of children, young people and families",
    "Liittyminen laaja-alaisesti lasten, nuorten ja perheiden arkeen",
    "Bred koppling till vardagen för barn, unga och familjer", -1 },
  { "target_group_driven",
    "Driven by the target group and its needs",
    "Kohderyhmä- ja tarvelähtöisyys",
    "Målgrupps- och behovsorientering", 91 },
  { "answers_social_need",
    "Answers social needs and problems",
    "Ratkaisu yhteiskunnan tarpeisiin ja ongelmiin",
    "Lösning på samhällets behov och problem", 87 },
  { "social_good",
    "Produces social good",
    "Yhteiskunnallista hyvää tuottava vaikutus",
    "Verkan som skapar samhällsnytta", -1 },
  { "new_relationships",
    "New relationships and interaction",
    "Uudet vuorovaikutussuhteet",
    "Nya relationer och ny samverkan", 73 },
  { "new_working_idea",
    "A new idea that works",
    "Uusi toimiva idea",
    "En ny idé som fungerar", 62 },
  { "participation",
    "Participation",
    "Osallisuus",
    "Delaktighet", -1 },
  { "co_development",
    "Co-development",
    "Yhteiskehittäminen",
    "Samutveckling", -1 },
  { "social_means",
    "Social in its means",
    "Keinoiltaan sosiaalinen",
    "Social till sina medel", 89 },
  { "networked",
    "Networked",
    "Verkostomaisuus",
    "Nätverksbaserad", -1 },
  { "social_purpose",
    "A social purpose",
    "Yhteiskunnallinen päämäärä",
    "Ett samhälleligt syfte", 89 },
  { "builds_competence",
    "Builds new competence",
    "Uutta osaamista kasvattava",
    "Bygger upp ny kompetens", -1 },
  { "local_context",
    "Local and bound to its context",
    "Paikallisuus ja kontekstisidonnaisuus",
    "Lokal och kontextbunden", -1 },
  { "ecosystem_anchoring",
    "Anchored in an ecosystem",
    "Kiinnittyminen ekosysteemiin",
    "Förankring i ekosystemet", 53 },
  { "spreadability",
    "Quality as an innovation that can spread",
    "Innovaation laatu levitettävyyden näkökulmasta",
    "Innovationens kvalitet med tanke på spridning", -1 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (characteristics) == MP_N_CHARACTERISTICS);
G_STATIC_ASSERT (G_N_ELEMENTS (stages) == MP_N_STAGES);
G_STATIC_ASSERT (G_N_ELEMENTS (stage_states) == MP_N_STAGE_STATES);

static const MpTerm themes[] = {
  { "reducing_placements", "Reducing placements", "Sijoitusten vähentäminen",
    "Färre placeringar", -1 },
  { "family_support", "Family support", "Perheiden tuki", "Stöd till familjer", -1 },
  { "aftercare", "Renewing aftercare", "Jälkihuollon uudistaminen",
    "Förnyad eftervård", -1 },
  { "care_substance_mental_health",
    "Substance-abuse and mental-health services during substitute care",
    "Päihde- ja mielenterveyspalvelut sijaishuollon aikana",
    "Missbruks- och mentalvårdstjänster under vård utom hemmet", -1 },
  { "social_services", "Social services", "Sosiaalipalvelut", "Socialservice", -1 },
  { "health", "Health", "Terveys", "Hälsa", -1 },
  { "employment", "Employment", "Työllisyys", "Sysselsättning", -1 },
  { "education", "Education", "Koulutus", "Utbildning", -1 },
  { "circular_economy", "Circular economy", "Kiertotalous", "Cirkulär ekonomi", -1 },
  { "housing", "Housing", "Asuminen", "Boende", -1 },
  { "safety", "Safety", "Turvallisuus", "Trygghet", -1 },
  { "food_systems", "Food systems", "Ruokajärjestelmät", "Livsmedelssystem", -1 },
  { "urban_development", "Urban development", "Kaupunkikehitys", "Stadsutveckling", -1 },
  { "elderly_people", "Elderly people", "Ikäihmiset", "Äldre", -1 },
  { "children_families", "Children and families", "Lapset ja perheet",
    "Barn och familjer", -1 },
  { "immigrants", "Immigrants", "Maahanmuuttajat", "Invandrare", -1 },
  { "loneliness", "Loneliness", "Yksinäisyys", "Ensamhet", -1 },
  { "substance_abuse_mental_health", "Substance abuse and mental health",
    "Päihteet ja mielenterveys", "Missbruk och psykisk hälsa", -1 },
};

static const MpTerm target_groups[] = {
  { "children", "Children", "Lapset", "Barn", -1 },
  { "young_people", "Young people", "Nuoret", "Unga", -1 },
  { "families", "Families", "Perheet", "Familjer", -1 },
  { "parents", "Parents", "Vanhemmat", "Föräldrar", -1 },
  { "elderly_people", "Elderly people", "Ikäihmiset", "Äldre", -1 },
  { "immigrants", "Immigrants", "Maahanmuuttajat", "Invandrare", -1 },
  { "unemployed", "Unemployed people", "Työttömät", "Arbetslösa", -1 },
  { "people_with_disabilities", "People with disabilities", "Vammaiset henkilöt",
    "Personer med funktionsnedsättning", -1 },
  { "people_with_substance_abuse", "People with substance-abuse problems",
    "Päihteitä käyttävät henkilöt", "Personer med missbruksproblem", -1 },
  { "people_with_mental_health_problems", "People with mental-health problems",
    "Mielenterveyden häiriöitä kokevat henkilöt", "Personer med psykisk ohälsa", -1 },
  { "homeless", "Homeless people", "Asunnottomat", "Bostadslösa", -1 },
  { "low_income", "People on low incomes", "Pienituloiset", "Låginkomsttagare", -1 },
  { "professionals", "Professionals", "Ammattilaiset", "Yrkesverksamma", -1 },
  { "residents", "Residents", "Asukkaat", "Invånare", -1 },
};

/* English uses the official Finnish names. */
static const MpTerm regions[] = {
  { "ita_uusimaa", "Itä-Uusimaa", "Itä-Uusimaa", "Östra Nyland", -1 },
  { "keski_uusimaa", "Keski-Uusimaa", "Keski-Uusimaa", "Mellersta Nyland", -1 },
  { "lansi_uusimaa", "Länsi-Uusimaa", "Länsi-Uusimaa", "Västra Nyland", -1 },
  { "vantaa_kerava", "Vantaa–Kerava", "Vantaa–Kerava", "Vanda–Kervo", -1 },
  { "varsinais_suomi", "Varsinais-Suomi", "Varsinais-Suomi", "Egentliga Finland", -1 },
  { "satakunta", "Satakunta", "Satakunta", "Satakunta", -1 },
  { "kanta_hame", "Kanta-Häme", "Kanta-Häme", "Egentliga Tavastland", -1 },
  { "pirkanmaa", "Pirkanmaa", "Pirkanmaa", "Birkaland", -1 },
  { "paijat_hame", "Päijät-Häme", "Päijät-Häme", "Päijänne-Tavastland", -1 },
  { "kymenlaakso", "Kymenlaakso", "Kymenlaakso", "Kymmenedalen", -1 },
  { "etela_karjala", "Etelä-Karjala", "Etelä-Karjala", "Södra Karelen", -1 },
  { "etela_savo", "Etelä-Savo", "Etelä-Savo", "Södra Savolax", -1 },
  { "pohjois_savo", "Pohjois-Savo", "Pohjois-Savo", "Norra Savolax", -1 },
  { "pohjois_karjala", "Pohjois-Karjala", "Pohjois-Karjala", "Norra Karelen", -1 },
  { "keski_suomi", "Keski-Suomi", "Keski-Suomi", "Mellersta Finland", -1 },
  { "etela_pohjanmaa", "Etelä-Pohjanmaa", "Etelä-Pohjanmaa", "Södra Österbotten", -1 },
  { "pohjanmaa", "Pohjanmaa", "Pohjanmaa", "Österbotten", -1 },
  { "keski_pohjanmaa", "Keski-Pohjanmaa", "Keski-Pohjanmaa", "Mellersta Österbotten", -1 },
  { "pohjois_pohjanmaa", "Pohjois-Pohjanmaa", "Pohjois-Pohjanmaa", "Norra Österbotten", -1 },
  { "kainuu", "Kainuu", "Kainuu", "Kajanaland", -1 },
  { "lappi", "Lappi", "Lappi", "Lappland", -1 },
  { "helsinki", "Helsinki", "Helsinki", "Helsingfors", -1 },
  { "ahvenanmaa", "Ahvenanmaa", "Ahvenanmaa", "Åland", -1 },
  /* Capitalised: it is listed among proper names. */
  { "national", "National", "Valtakunnallinen", "Nationell", -1 },
};

static const MpTerm visibilities[] = {
  { "private", "Private", "Yksityinen", "Privat", -1 },
  { "organisation", "Organisation only", "Vain organisaatio", "Endast organisationen", -1 },
  { "public", "Public", "Julkinen", "Offentlig", -1 },
};

static const struct {
  const MpTerm *terms;
  guint n_terms;
} taxonomies[] = {
  [MP_TAXONOMY_STAGE] = { stages, G_N_ELEMENTS (stages) },
  [MP_TAXONOMY_STAGE_STATE] = { stage_states, G_N_ELEMENTS (stage_states) },
  [MP_TAXONOMY_CHARACTERISTIC] = { characteristics, G_N_ELEMENTS (characteristics) },
  [MP_TAXONOMY_THEME] = { themes, G_N_ELEMENTS (themes) },
  [MP_TAXONOMY_TARGET_GROUP] = { target_groups, G_N_ELEMENTS (target_groups) },
  [MP_TAXONOMY_REGION] = { regions, G_N_ELEMENTS (regions) },
  [MP_TAXONOMY_VISIBILITY] = { visibilities, G_N_ELEMENTS (visibilities) },
};

G_STATIC_ASSERT (G_N_ELEMENTS (taxonomies) == MP_N_TAXONOMIES);

static gboolean
language_matches (const char *name,
                  const char *code)
{
  gsize len = strlen (code);

  /* "sv", "sv_FI", "sv_FI.UTF-8", "sv@euro" — but not "svx" */
  return strncmp (name, code, len) == 0 &&
         (name[len] == '\0' || name[len] == '_' || name[len] == '.' || name[len] == '@');
}

/**
 * mp_taxonomy_terms:
 * @taxonomy: which taxonomy
 * @n_terms: (out) (optional): the number of terms
 *
 * Returns: the static table of the taxonomy's terms, in their display order
 */
const MpTerm *
mp_taxonomy_terms (MpTaxonomy  taxonomy,
                   guint      *n_terms)
{
  g_return_val_if_fail ((guint) taxonomy < MP_N_TAXONOMIES, NULL);

  if (n_terms != NULL)
    *n_terms = taxonomies[taxonomy].n_terms;

  return taxonomies[taxonomy].terms;
}

/**
 * mp_taxonomy_lookup:
 * @taxonomy: which taxonomy
 * @key: a term key
 * @index: (out) (optional): the term's position in its table, or -1
 *
 * Returns: the term, or %NULL when @key is not a key of @taxonomy
 */
const MpTerm *
mp_taxonomy_lookup (MpTaxonomy  taxonomy,
                    const char *key,
                    int        *index)
{
  const MpTerm *terms;
  guint n_terms;

  if (index != NULL)
    *index = -1;

  g_return_val_if_fail ((guint) taxonomy < MP_N_TAXONOMIES, NULL);

  if (key == NULL)
    return NULL;

  terms = mp_taxonomy_terms (taxonomy, &n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      if (strcmp (terms[i].key, key) == 0)
        {
          if (index != NULL)
            *index = (int) i;
          return &terms[i];
        }
    }

  return NULL;
}

/**
 * mp_term_get_label:
 * @term: a term
 * @language: (nullable): "fi", "sv" or "en"; %NULL for the UI language
 *
 * Returns: the label in @language, English for any other language
 */
const char *
mp_term_get_label (const MpTerm *term,
                   const char   *language)
{
  g_return_val_if_fail (term != NULL, NULL);

  if (language == NULL)
    language = mp_ui_language ();

  if (language_matches (language, "fi"))
    return term->fi;
  if (language_matches (language, "sv"))
    return term->sv;

  return term->en;
}

/**
 * mp_taxonomy_label:
 * @taxonomy: which taxonomy
 * @key: a term key
 *
 * Returns: the term's label in the UI language, or @key itself when it is
 *   not a key of @taxonomy (a newer platform may know more terms)
 */
const char *
mp_taxonomy_label (MpTaxonomy  taxonomy,
                   const char *key)
{
  const MpTerm *term;

  g_return_val_if_fail ((guint) taxonomy < MP_N_TAXONOMIES, key);

  term = mp_taxonomy_lookup (taxonomy, key, NULL);
  if (term == NULL)
    return key;

  return mp_term_get_label (term, NULL);
}

/**
 * mp_ui_language:
 *
 * The language of the user interface, from the first of
 * g_get_language_names() that Mallipaja has labels for, so that
 * `LANGUAGE=sv` is honoured. Not cached: GLib already caches the list and
 * tests switch languages.
 *
 * Returns: "fi", "sv" or "en"
 */
const char *
mp_ui_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (language_matches (names[i], "fi"))
        return "fi";
      if (language_matches (names[i], "sv"))
        return "sv";
      if (language_matches (names[i], "en"))
        return "en";
    }

  return "en";
}

const char *
mp_stage_key (MpStage stage)
{
  g_return_val_if_fail ((guint) stage < MP_N_STAGES, NULL);

  return stages[stage].key;
}

/* Returns: the MpStage of @key, or -1 */
int
mp_stage_from_key (const char *key)
{
  int index;

  mp_taxonomy_lookup (MP_TAXONOMY_STAGE, key, &index);
  return index;
}

const char *
mp_stage_state_key (MpStageState state)
{
  g_return_val_if_fail ((guint) state < MP_N_STAGE_STATES, NULL);

  return stage_states[state].key;
}

/* Returns: the MpStageState of @key, or -1 */
int
mp_stage_state_from_key (const char *key)
{
  int index;

  mp_taxonomy_lookup (MP_TAXONOMY_STAGE_STATE, key, &index);
  return index;
}
