/* test-model.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mallipaja-core.h"

static void
record_change (MpModel    *model,
               const char *key,
               GPtrArray  *keys)
{
  g_ptr_array_add (keys, g_strdup (key));
}

static void
count_change (MpModel    *model,
              const char *key,
              guint      *count)
{
  (*count)++;
}

static char *
repeat (const char *unit,
        gsize       times)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < times; i++)
    g_string_append (s, unit);

  return g_string_free (s, FALSE);
}

static void
assert_invalid (MpModel    *model,
                MpError     code,
                const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", field);

  g_assert_false (mp_model_validate (model, &error));
  g_assert_error (error, MP_ERROR, (int) code);
  if (strstr (error->message, quoted) == NULL)
    g_error ("message “%s” does not name %s", error->message, quoted);
}

static MpModel *
valid_model (void)
{
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, "Perhekeskuksen kohtaamispaikka");
  return model;
}

static void
test_model_defaults (void)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(MpModel) other = mp_model_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *justification = NULL;

  g_assert_true (g_uuid_string_is_valid (mp_model_get_id (model)));
  g_assert_cmpstr (mp_model_get_id (model), !=, mp_model_get_id (other));
  g_assert_cmpint (mp_model_get_revision (model), ==, 0);
  g_assert_cmpint (ABS (mp_model_get_created (model) - now), <=, 2);
  g_assert_cmpint (mp_model_get_created (model), ==, mp_model_get_modified (model));
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_LANGUAGE), ==, "fi");
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_TITLE), ==, "");
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_BASIC_IDEA), ==, "");
  g_assert_cmpint (mp_model_get_visibility (model), ==, MP_VISIBILITY_PRIVATE);
  g_assert_false (mp_model_get_unfinished (model));
  g_assert_null (mp_model_get_based_on_id (model));
  g_assert_cmpint (mp_model_get_n_links (model), ==, 0);
  g_assert_cmpint (mp_model_get_n_collaborators (model), ==, 0);

  for (MpList list = 0; list < MP_N_LISTS; list++)
    {
      g_assert_nonnull (mp_model_get_list (model, list));
      g_assert_null (mp_model_get_list (model, list)[0]);
    }

  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      g_assert_cmpint (mp_model_get_stage_state (model, stage), ==, MP_STAGE_STATE_NOT_STARTED);
      g_assert_cmpstr (mp_model_get_stage_started (model, stage), ==, "");
      g_assert_cmpstr (mp_model_get_stage_finished (model, stage), ==, "");
      g_assert_cmpstr (mp_model_get_stage_notes (model, stage), ==, "");
    }
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_NONE);

  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      g_assert_false (mp_model_get_characteristic (model, i, &justification));
      g_assert_cmpstr (justification, ==, "");
    }

  g_assert_finalize_object (g_steal_pointer (&model));
}

static void
test_model_setters_notify (void)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  const char * const themes[] = { "family_support", "children_families", NULL };
  const char * const same_themes[] = { "family_support", "children_families", NULL };
  guint title_changes = 0;
  const char *expected[] = {
    "title", "basic_idea", "themes", "stages", "stages", "stages", "stages",
    "characteristics", "characteristics", "links", "links", "collaborators",
    "collaborators", "based_on", "visibility", "unfinished", "revision", "modified",
  };

  g_signal_connect (model, "changed", G_CALLBACK (record_change), keys);
  g_signal_connect (model, "changed::title", G_CALLBACK (count_change), &title_changes);

  g_assert_true (mp_model_set_text (model, MP_TEXT_TITLE, "Ohjaamo"));
  g_assert_false (mp_model_set_text (model, MP_TEXT_TITLE, "Ohjaamo"));
  g_assert_true (mp_model_set_text (model, MP_TEXT_BASIC_IDEA, "Yhden luukun periaate."));
  g_assert_false (mp_model_set_text (model, MP_TEXT_LANGUAGE, "fi"));
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_THEMES, same_themes);
  mp_model_set_list (model, MP_LIST_REGIONS, NULL);
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_IDEA, "2024-01-02");
  mp_model_set_stage_started (model, MP_STAGE_IDEA, "2024-01-02");
  mp_model_set_stage_finished (model, MP_STAGE_IDEA, "2024-03-01");
  mp_model_set_stage_notes (model, MP_STAGE_IDEA, "Opimme paljon.");
  mp_model_set_stage_notes (model, MP_STAGE_IDEA, "Opimme paljon.");
  mp_model_set_characteristic (model, 3, TRUE, NULL);
  mp_model_set_characteristic (model, 3, TRUE, "");
  mp_model_set_characteristic (model, 3, TRUE, "Perustelu");
  mp_model_set_characteristic (model, 3, 2, "Perustelu");
  mp_model_add_link (model, "Opas", "https://example.org/");
  mp_model_remove_link (model, 0);
  mp_model_add_collaborator (model, "mmeika", "editor");
  mp_model_remove_collaborator (model, 0);
  mp_model_set_based_on (model, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", 2);
  mp_model_set_based_on (model, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", 2);
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_unfinished (model, TRUE);
  mp_model_set_unfinished (model, TRUE);
  mp_model_set_revision (model, 4);
  mp_model_set_revision (model, 4);
  mp_model_set_modified (model, 12345);
  mp_model_set_modified (model, 12345);

  g_assert_cmpuint (keys->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (keys, i), ==, expected[i]);
  g_assert_cmpuint (title_changes, ==, 1);

  g_assert_true (g_strv_equal (mp_model_get_list (model, MP_LIST_THEMES), themes));
  g_assert_true (mp_model_get_characteristic (model, 3, NULL));
}

static void
test_model_copy_equal (void)
{
  g_autoptr(MpModel) model = valid_model ();
  g_autoptr(MpModel) copy = NULL;

  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_characteristic (model, 0, TRUE, "Kestävä");
  mp_model_add_link (model, "Opas", "https://example.org/opas");
  mp_model_add_collaborator (model, "mmeika", "admin");

  copy = mp_model_copy (model);
  g_assert_true (mp_model_equal (model, copy));
  g_assert_cmpstr (mp_model_get_id (model), ==, mp_model_get_id (copy));

  mp_model_set_stage_notes (copy, MP_STAGE_NEED, "x");
  g_assert_false (mp_model_equal (model, copy));
  mp_model_set_stage_notes (copy, MP_STAGE_NEED, "");
  g_assert_true (mp_model_equal (model, copy));

  mp_model_add_link (copy, "Toinen", "https://example.org/2");
  g_assert_false (mp_model_equal (model, copy));
  mp_model_remove_link (copy, 1);
  g_assert_true (mp_model_equal (model, copy));

  mp_model_set_characteristic (copy, 0, TRUE, "Kestävä!");
  g_assert_false (mp_model_equal (model, copy));
}

static void
test_model_derive (void)
{
  g_autoptr(MpModel) model = valid_model ();
  g_autoptr(MpModel) derived = NULL;
  const char *justification;
  const char * const regions[] = { "pirkanmaa", NULL };

  mp_model_set_revision (model, 7);
  mp_model_set_created (model, 1000);
  mp_model_set_modified (model, 2000);
  mp_model_set_text (model, MP_TEXT_CORE, "Kohtaaminen ja luottamus.");
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  mp_model_set_stage_state (model, MP_STAGE_SCALING, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_stage_notes (model, MP_STAGE_SCALING, "Levitetty kolmeen kuntaan.");
  mp_model_set_characteristic (model, 5, TRUE, "Uusia suhteita");
  mp_model_add_collaborator (model, "mmeika", "admin");
  mp_model_add_link (model, "Opas", "https://example.org/");
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_unfinished (model, TRUE);

  derived = mp_model_derive (model);
  g_assert_cmpstr (mp_model_get_id (derived), !=, mp_model_get_id (model));
  g_assert_true (g_uuid_string_is_valid (mp_model_get_id (derived)));
  g_assert_cmpint (mp_model_get_revision (derived), ==, 0);
  g_assert_cmpint (mp_model_get_created (derived), >, 2000);
  g_assert_cmpint (mp_model_get_modified (derived), ==, mp_model_get_created (derived));
  g_assert_cmpstr (mp_model_get_based_on_id (derived), ==, mp_model_get_id (model));
  g_assert_cmpint (mp_model_get_based_on_revision (derived), ==, 7);
  g_assert_cmpint (mp_model_get_visibility (derived), ==, MP_VISIBILITY_PRIVATE);
  g_assert_false (mp_model_get_unfinished (derived));
  g_assert_cmpint (mp_model_get_n_collaborators (derived), ==, 0);
  g_assert_cmpint (mp_model_get_current_stage (derived), ==, MP_STAGE_NONE);
  g_assert_cmpstr (mp_model_get_stage_notes (derived, MP_STAGE_SCALING), ==, "");

  /* content stays */
  g_assert_cmpstr (mp_model_get_text (derived, MP_TEXT_TITLE), ==,
                   mp_model_get_text (model, MP_TEXT_TITLE));
  g_assert_cmpstr (mp_model_get_text (derived, MP_TEXT_CORE), ==, "Kohtaaminen ja luottamus.");
  g_assert_true (g_strv_equal (mp_model_get_list (derived, MP_LIST_REGIONS), regions));
  g_assert_true (mp_model_get_characteristic (derived, 5, &justification));
  g_assert_cmpstr (justification, ==, "Uusia suhteita");
  g_assert_cmpint (mp_model_get_n_links (derived), ==, 1);

  /* the source is untouched */
  g_assert_cmpint (mp_model_get_n_collaborators (model), ==, 1);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_SCALING);
  g_assert_true (mp_model_validate (derived, NULL));
}

static void
test_model_current_stage (void)
{
  g_autoptr(MpModel) model = mp_model_new ();

  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_NONE);

  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_NEED);

  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_TRIALS);

  /* scaling failed somewhere: back in trials, although scaling was done */
  mp_model_set_stage_state (model, MP_STAGE_SCALING, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_TRIALS);

  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_SCALING);

  mp_model_set_stage_state (model, MP_STAGE_STABILISATION, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_stage_state (model, MP_STAGE_SYSTEMIC_CHANGE, MP_STAGE_STATE_IN_PROGRESS);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_SYSTEMIC_CHANGE);
}

static void
test_model_validate (void)
{
  g_autoptr(MpModel) model = valid_model ();
  g_autofree char *title_200 = repeat ("ä", 200);
  g_autofree char *title_201 = repeat ("ä", 201);
  g_autofree char *summary_1001 = repeat ("ö", 1001);
  g_autofree char *short_2001 = repeat ("å", 2001);
  g_autofree char *long_max = repeat ("a", MP_MAX_LONG_TEXT);
  g_autofree char *long_over = repeat ("a", MP_MAX_LONG_TEXT + 1);
  g_autoptr(GPtrArray) authors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_model_validate (model, &error));
  g_assert_no_error (error);

  mp_model_set_text (model, MP_TEXT_TITLE, "");
  assert_invalid (model, MP_ERROR_INVALID, "title");
  mp_model_set_text (model, MP_TEXT_TITLE, "   ");
  assert_invalid (model, MP_ERROR_INVALID, "title");
  mp_model_set_text (model, MP_TEXT_TITLE, title_200);
  g_assert_true (mp_model_validate (model, NULL));
  mp_model_set_text (model, MP_TEXT_TITLE, title_201);
  assert_invalid (model, MP_ERROR_TOO_LARGE, "title");
  mp_model_set_text (model, MP_TEXT_TITLE, "Malli");

  mp_model_set_text (model, MP_TEXT_SUMMARY, summary_1001);
  assert_invalid (model, MP_ERROR_TOO_LARGE, "summary");
  mp_model_set_text (model, MP_TEXT_SUMMARY, summary_1001 + 2);
  g_assert_true (mp_model_validate (model, NULL));

  mp_model_set_text (model, MP_TEXT_PLACE, short_2001);
  assert_invalid (model, MP_ERROR_TOO_LARGE, "place");
  mp_model_set_text (model, MP_TEXT_PLACE, "Tampere");

  mp_model_set_text (model, MP_TEXT_LESSONS, long_max);
  g_assert_true (mp_model_validate (model, NULL));
  mp_model_set_text (model, MP_TEXT_LESSONS, long_over);
  assert_invalid (model, MP_ERROR_TOO_LARGE, "lessons");
  mp_model_set_text (model, MP_TEXT_LESSONS, "");

  /* the setter takes anything; validation refuses it */
  mp_model_set_text (model, MP_TEXT_ENVIRONMENT, "P\xe4ihde");
  assert_invalid (model, MP_ERROR_INVALID, "environment");
  mp_model_set_text (model, MP_TEXT_ENVIRONMENT, "");

  mp_model_set_text (model, MP_TEXT_LANGUAGE, "de");
  assert_invalid (model, MP_ERROR_INVALID, "language");
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "sv");

  for (guint i = 0; i <= MP_MAX_LIST_ITEMS; i++)
    g_ptr_array_add (authors, g_strdup_printf ("Tekijä %u", i));
  g_ptr_array_add (authors, NULL);
  mp_model_set_list (model, MP_LIST_AUTHORS, (const char * const *) authors->pdata);
  assert_invalid (model, MP_ERROR_TOO_LARGE, "authors");
  mp_model_set_list (model, MP_LIST_AUTHORS, NULL);

  {
    const char * const themes[] = { "housing", "gardening", NULL };
    const char * const regions[] = { "pirkanmaa", "tampere", NULL };
    const char * const groups[] = { "families", "cats", NULL };

    mp_model_set_list (model, MP_LIST_THEMES, themes);
    assert_invalid (model, MP_ERROR_INVALID, "themes");
    mp_model_set_list (model, MP_LIST_THEMES, NULL);
    mp_model_set_list (model, MP_LIST_REGIONS, regions);
    assert_invalid (model, MP_ERROR_INVALID, "regions");
    mp_model_set_list (model, MP_LIST_REGIONS, NULL);
    mp_model_set_list (model, MP_LIST_TARGET_GROUPS, groups);
    assert_invalid (model, MP_ERROR_INVALID, "target_groups");
    mp_model_set_list (model, MP_LIST_TARGET_GROUPS, NULL);
  }

  mp_model_set_stage_started (model, MP_STAGE_IDEA, "2024-02-30");
  assert_invalid (model, MP_ERROR_INVALID, "stages");
  mp_model_set_stage_started (model, MP_STAGE_IDEA, "1.2.2024");
  assert_invalid (model, MP_ERROR_INVALID, "stages");
  mp_model_set_stage_started (model, MP_STAGE_IDEA, "2024-02-29");
  g_assert_true (mp_model_validate (model, NULL));

  mp_model_add_link (model, "Opas", "javascript:alert(1)");
  assert_invalid (model, MP_ERROR_INVALID, "links");
  mp_model_remove_link (model, 0);
  mp_model_add_link (model, "Opas", "https://thl.fi/innokyla");
  g_assert_true (mp_model_validate (model, NULL));

  mp_model_add_collaborator (model, "mmeika", "owner");
  assert_invalid (model, MP_ERROR_INVALID, "collaborators");
  mp_model_remove_collaborator (model, 0);

  mp_model_set_based_on (model, "not-a-uuid", 1);
  assert_invalid (model, MP_ERROR_INVALID, "based_on");
  mp_model_set_based_on (model, NULL, 0);

  mp_model_set_id (model, "6F1C2A4E-8D0B-4B7E-9A53-3C2F5E1D9A01");
  assert_invalid (model, MP_ERROR_INVALID, "id");
  mp_model_set_id (model, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01");

  mp_model_set_created (model, G_GINT64_CONSTANT (999999999999));
  assert_invalid (model, MP_ERROR_INVALID, "created");
  mp_model_set_created (model, 0);

  g_assert_true (mp_model_validate (model, NULL));
}

static void
test_model_body (void)
{
  g_autoptr(MpModel) model = valid_model ();
  g_autofree char *empty = mp_model_dup_body (model);
  g_autofree char *body = NULL;

  g_assert_cmpstr (empty, ==, "");

  mp_model_set_text (model, MP_TEXT_SUMMARY, "Ei mukana");
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, "Perusidea.");
  mp_model_set_text (model, MP_TEXT_MEASURING_CHANGE, "Mittarit.");
  mp_model_set_stage_notes (model, MP_STAGE_TRIALS, "Kokeilun opit.");
  mp_model_set_characteristic (model, 7, TRUE, "Osallisuus näkyy.");

  body = mp_model_dup_body (model);
  g_assert_cmpstr (body, ==, "Perusidea.\n\nMittarit.\n\nKokeilun opit.\n\nOsallisuus näkyy.");
}

static void
test_model_fields (void)
{
  for (MpText text = 0; text < MP_N_TEXTS; text++)
    {
      g_assert_cmpint (mp_text_from_key (mp_text_key (text)), ==, text);
      g_assert_nonnull (mp_text_label (text));
      g_assert_cmpuint (mp_text_max_length (text), >, 0);
    }
  g_assert_cmpint (mp_text_from_key ("colour"), ==, -1);
  g_assert_cmpstr (mp_text_key (MP_TEXT_EVALUATION_SUMMARY), ==, "evaluation_summary");
  g_assert_cmpstr (mp_text_label (MP_TEXT_TITLE), ==, "Name of the model");
  g_assert_cmpstr (mp_list_label (MP_LIST_REGIONS), ==,
                   "Municipality, region or wellbeing services county");
  g_assert_cmpstr (mp_list_key (MP_LIST_TARGET_GROUPS), ==, "target_groups");

  g_assert_true (mp_text_is_essential (MP_TEXT_BASIC_IDEA));
  g_assert_true (mp_text_is_essential (MP_TEXT_ENVIRONMENT));
  g_assert_true (mp_text_is_essential (MP_TEXT_CONDITIONS));
  g_assert_false (mp_text_is_essential (MP_TEXT_CORE));
  g_assert_false (mp_text_is_essential (MP_TEXT_TITLE));

  g_assert_cmpuint (mp_text_max_length (MP_TEXT_TITLE), ==, MP_MAX_TITLE);
  g_assert_cmpuint (mp_text_max_length (MP_TEXT_SUMMARY), ==, MP_MAX_SUMMARY);
  g_assert_cmpuint (mp_text_max_length (MP_TEXT_COLLECTION), ==, MP_MAX_SHORT_TEXT);
  g_assert_cmpuint (mp_text_max_length (MP_TEXT_NEEDS), ==, MP_MAX_LONG_TEXT);
}

static void
assert_keys (MpTaxonomy  taxonomy,
             const char *keys)
{
  g_auto(GStrv) expected = g_strsplit (keys, " ", -1);
  guint n_terms;
  const MpTerm *terms = mp_taxonomy_terms (taxonomy, &n_terms);

  g_assert_cmpuint (n_terms, ==, g_strv_length (expected));
  for (guint i = 0; i < n_terms; i++)
    {
      int index;

      g_assert_cmpstr (terms[i].key, ==, expected[i]);
      g_assert_true (g_utf8_validate (terms[i].en, -1, NULL) && terms[i].en[0] != '\0');
      g_assert_true (g_utf8_validate (terms[i].fi, -1, NULL) && terms[i].fi[0] != '\0');
      g_assert_true (g_utf8_validate (terms[i].sv, -1, NULL) && terms[i].sv[0] != '\0');
      g_assert_true (mp_taxonomy_lookup (taxonomy, terms[i].key, &index) == &terms[i]);
      g_assert_cmpint (index, ==, i);
      if (taxonomy != MP_TAXONOMY_CHARACTERISTIC)
        g_assert_cmpint (terms[i].share, ==, -1);
    }
}

static void
test_taxonomy_tables (void)
{
  const MpTerm *term;
  int index = 0;

  /* the keys of docs/HACKING.md, in its order */
  assert_keys (MP_TAXONOMY_STAGE, "need idea trials stabilisation scaling systemic_change");
  assert_keys (MP_TAXONOMY_STAGE_STATE, "not_started in_progress done");
  assert_keys (MP_TAXONOMY_VISIBILITY, "private organisation public");
  assert_keys (MP_TAXONOMY_CHARACTERISTIC,
               "sustainability everyday_life target_group_driven answers_social_need "
               "social_good new_relationships new_working_idea participation co_development "
               "social_means networked social_purpose builds_competence local_context "
               "ecosystem_anchoring spreadability");
  assert_keys (MP_TAXONOMY_THEME,
               "reducing_placements family_support aftercare care_substance_mental_health "
               "social_services health employment education circular_economy housing safety "
               "food_systems urban_development elderly_people children_families immigrants "
               "loneliness substance_abuse_mental_health");
  assert_keys (MP_TAXONOMY_TARGET_GROUP,
               "children young_people families parents elderly_people immigrants unemployed "
               "people_with_disabilities people_with_substance_abuse "
               "people_with_mental_health_problems homeless low_income professionals residents");
  assert_keys (MP_TAXONOMY_REGION,
               "ita_uusimaa keski_uusimaa lansi_uusimaa vantaa_kerava varsinais_suomi "
               "satakunta kanta_hame pirkanmaa paijat_hame kymenlaakso etela_karjala etela_savo "
               "pohjois_savo pohjois_karjala keski_suomi etela_pohjanmaa pohjanmaa "
               "keski_pohjanmaa pohjois_pohjanmaa kainuu lappi helsinki ahvenanmaa national");

  term = mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, "target_group_driven", &index);
  g_assert_nonnull (term);
  g_assert_cmpint (index, ==, 2);
  g_assert_cmpint (term->share, ==, 91);
  g_assert_cmpstr (term->fi, ==, "Kohderyhmä- ja tarvelähtöisyys");
  g_assert_cmpstr (term->sv, ==, "Målgrupps- och behovsorientering");
  g_assert_cmpstr (term->en, ==, "Driven by the target group and its needs");
  g_assert_cmpint (mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, "ecosystem_anchoring", NULL)->share, ==, 53);
  g_assert_cmpint (mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, "participation", NULL)->share, ==, -1);

  term = mp_taxonomy_lookup (MP_TAXONOMY_REGION, "vantaa_kerava", NULL);
  g_assert_cmpstr (term->fi, ==, "Vantaa–Kerava");
  g_assert_cmpstr (term->sv, ==, "Vanda–Kervo");
  g_assert_cmpstr (term->en, ==, "Vantaa–Kerava");

  g_assert_null (mp_taxonomy_lookup (MP_TAXONOMY_STAGE, "launch", &index));
  g_assert_cmpint (index, ==, -1);
  g_assert_null (mp_taxonomy_lookup (MP_TAXONOMY_THEME, NULL, NULL));

  g_assert_cmpint (mp_stage_from_key ("scaling"), ==, MP_STAGE_SCALING);
  g_assert_cmpint (mp_stage_from_key ("launch"), ==, -1);
  g_assert_cmpstr (mp_stage_key (MP_STAGE_SYSTEMIC_CHANGE), ==, "systemic_change");
  g_assert_cmpint (mp_stage_state_from_key ("in_progress"), ==, MP_STAGE_STATE_IN_PROGRESS);
  g_assert_cmpint (mp_stage_state_from_key ("paused"), ==, -1);
  g_assert_cmpstr (mp_stage_state_key (MP_STAGE_STATE_DONE), ==, "done");
}

static void
test_taxonomy_language (void)
{
  const MpTerm *trials = mp_taxonomy_lookup (MP_TAXONOMY_STAGE, "trials", NULL);

  g_assert_cmpstr (mp_term_get_label (trials, "fi"), ==, "Kokeilu");
  g_assert_cmpstr (mp_term_get_label (trials, "sv"), ==, "Försök");
  g_assert_cmpstr (mp_term_get_label (trials, "en"), ==, "Trials");
  g_assert_cmpstr (mp_term_get_label (trials, "de"), ==, "Trials");

  g_setenv ("LANGUAGE", "sv", TRUE);
  g_assert_cmpstr (mp_ui_language (), ==, "sv");
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_STAGE, "trials"), ==, "Försök");
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_REGION, "helsinki"), ==, "Helsingfors");
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_STAGE_STATE, "not_started"), ==, "Inte påbörjad");

  g_setenv ("LANGUAGE", "fi_FI.UTF-8", TRUE);
  g_assert_cmpstr (mp_ui_language (), ==, "fi");
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_VISIBILITY, "organisation"), ==, "Vain organisaatio");

  /* the first language Mallipaja knows wins */
  g_setenv ("LANGUAGE", "de:sv:fi", TRUE);
  g_assert_cmpstr (mp_ui_language (), ==, "sv");

  g_setenv ("LANGUAGE", "en_GB", TRUE);
  g_assert_cmpstr (mp_ui_language (), ==, "en");
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_THEME, "aftercare"), ==, "Renewing aftercare");

  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_cmpstr (mp_ui_language (), ==, "en");

  /* a key a newer platform knows is shown as it is */
  g_assert_cmpstr (mp_taxonomy_label (MP_TAXONOMY_THEME, "space_travel"), ==, "space_travel");

  g_unsetenv ("LANGUAGE");
}

static void
test_query (void)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(MpQuery) copy = NULL;
  GValue value = G_VALUE_INIT;

  g_assert_null (query->text);
  g_assert_cmpint (query->min_stage, ==, -1);
  g_assert_cmpint (query->publication, ==, MP_PUBLICATION_ANY);

  query->text = g_strdup ("päihde");
  query->region = g_strdup ("pirkanmaa");
  query->min_stage = MP_STAGE_TRIALS;
  copy = mp_query_copy (query);
  g_assert_true (mp_query_equal (query, copy));
  g_assert_cmpstr (copy->text, ==, "päihde");

  g_free (copy->theme);
  copy->theme = g_strdup ("");
  g_assert_true (mp_query_equal (query, copy));

  copy->publication = MP_PUBLICATION_DRAFTS;
  g_assert_false (mp_query_equal (query, copy));

  g_value_init (&value, MP_TYPE_QUERY);
  g_value_set_boxed (&value, query);
  g_assert_true (mp_query_equal (g_value_get_boxed (&value), query));
  g_value_unset (&value);
}

static void
test_summary (void)
{
  g_autoptr(MpModelSummary) summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *region = NULL;
  gint64 rowid, revision;
  int stage;
  gboolean is_draft;

  summary = mp_model_summary_new (42, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", "Ohjaamo",
                                  "Vantaan kaupunki", "vantaa_kerava", MP_STAGE_SCALING,
                                  3, MP_VISIBILITY_PUBLIC, TRUE, 1700000000);

  g_object_get (summary, "rowid", &rowid, "title", &title, "region", &region,
                "current-stage", &stage, "revision", &revision, "is-draft", &is_draft, NULL);
  g_assert_cmpint (rowid, ==, 42);
  g_assert_cmpstr (title, ==, "Ohjaamo");
  g_assert_cmpstr (region, ==, "vantaa_kerava");
  g_assert_cmpint (stage, ==, MP_STAGE_SCALING);
  g_assert_cmpint (revision, ==, 3);
  g_assert_false (is_draft);

  g_assert_cmpstr (mp_model_summary_get_organisation (summary), ==, "Vantaan kaupunki");
  g_assert_cmpint (mp_model_summary_get_visibility (summary), ==, MP_VISIBILITY_PUBLIC);
  g_assert_true (mp_model_summary_get_unfinished (summary));
  g_assert_cmpint (mp_model_summary_get_modified (summary), ==, 1700000000);
  g_assert_finalize_object (g_steal_pointer (&summary));

  summary = mp_model_summary_new (1, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", "Luonnos", NULL, NULL,
                                  MP_STAGE_NONE, 0, MP_VISIBILITY_PRIVATE, FALSE, 0);
  g_assert_null (mp_model_summary_get_region (summary));
  g_assert_cmpstr (mp_model_summary_get_organisation (summary), ==, "");
  g_assert_cmpint (mp_model_summary_get_current_stage (summary), ==, MP_STAGE_NONE);
  g_assert_true (mp_model_summary_get_is_draft (summary));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/defaults", test_model_defaults);
  g_test_add_func ("/model/setters-notify-only-on-change", test_model_setters_notify);
  g_test_add_func ("/model/copy-equal", test_model_copy_equal);
  g_test_add_func ("/model/derive", test_model_derive);
  g_test_add_func ("/model/current-stage", test_model_current_stage);
  g_test_add_func ("/model/validate", test_model_validate);
  g_test_add_func ("/model/body", test_model_body);
  g_test_add_func ("/model/fields", test_model_fields);
  g_test_add_func ("/taxonomy/tables", test_taxonomy_tables);
  g_test_add_func ("/taxonomy/language", test_taxonomy_language);
  g_test_add_func ("/query/copy-equal", test_query);
  g_test_add_func ("/model-summary/properties", test_summary);

  return g_test_run ();
}
