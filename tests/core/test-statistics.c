/* test-statistics.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-statistics.h"

#define N_MODELS 300

typedef struct
{
  char      *dir;
  MpStore   *store;
  GPtrArray *models;   /* as saved, for the brute-force counts */
} Fixture;

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

/* Up to @max distinct keys of @taxonomy, at random. */
static GStrv
random_keys (GRand      *rand,
             MpTaxonomy  taxonomy,
             guint       max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const MpTerm *terms;
  guint n_terms = 0, n;
  guint64 taken = 0;

  terms = mp_taxonomy_terms (taxonomy, &n_terms);
  n = g_rand_int_range (rand, 0, max + 1);
  for (guint i = 0; i < n; i++)
    {
      guint index = g_rand_int_range (rand, 0, n_terms);

      if (taken & (G_GUINT64_CONSTANT (1) << index))
        continue;
      taken |= G_GUINT64_CONSTANT (1) << index;
      g_strv_builder_add (builder, terms[index].key);
    }

  return g_strv_builder_end (builder);
}

static MpModel *
random_model (GRand *rand,
              guint  number)
{
  MpModel *model = mp_model_new ();
  g_autofree char *title = g_strdup_printf ("Malli %u", number);
  g_auto(GStrv) themes = random_keys (rand, MP_TAXONOMY_THEME, 3);
  g_auto(GStrv) regions = random_keys (rand, MP_TAXONOMY_REGION, 2);
  g_auto(GStrv) groups = random_keys (rand, MP_TAXONOMY_TARGET_GROUP, 2);
  int current = g_rand_int_range (rand, -1, MP_N_STAGES);

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  /* Some text, so that documents have the weight of real ones */
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA,
                     g_rand_boolean (rand) ? "Perheet kohtaavat perhekeskuksessa." : "Nuoret ohjataan töihin.");
  mp_model_set_list (model, MP_LIST_THEMES, (const char * const *) themes);
  mp_model_set_list (model, MP_LIST_REGIONS, (const char * const *) regions);
  mp_model_set_list (model, MP_LIST_TARGET_GROUPS, (const char * const *) groups);
  for (int stage = 0; stage <= current; stage++)
    mp_model_set_stage_state (model, stage,
                              stage == current && g_rand_boolean (rand) ? MP_STAGE_STATE_IN_PROGRESS
                                                                       : MP_STAGE_STATE_DONE);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      /* Different odds per characteristic, so that the sorted chart has
       * something to sort; a justification without "has" now and then */
      gboolean has = g_rand_int_range (rand, 0, 100) < (int) (10 + i * 5);

      if (has || g_rand_int_range (rand, 0, 10) == 0)
        mp_model_set_characteristic (model, i, has, has ? "Perustelu." : "Ei vielä.");
    }

  return model;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-statistics-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);

  fixture->models = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_MODELS; i++)
    g_ptr_array_add (fixture->models, random_model (rand, i));
  mp_store_import_models (fixture->store, fixture->models, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_ptr_array_unref (fixture->models);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
strv_has (const char * const *strv,
          const char         *key)
{
  return key == NULL || *key == '\0' || g_strv_contains (strv, key);
}

/* The filters of @query, checked on the model itself */
static gboolean
matches (MpModel       *model,
         const MpQuery *query)
{
  return (query->min_stage < 0 || mp_model_get_current_stage (model) >= query->min_stage) &&
         strv_has (mp_model_get_list (model, MP_LIST_THEMES), query->theme) &&
         strv_has (mp_model_get_list (model, MP_LIST_REGIONS), query->region) &&
         strv_has (mp_model_get_list (model, MP_LIST_TARGET_GROUPS), query->target_group);
}

/* Every figure, counted model by model */
static void
assert_brute_force (Fixture       *fixture,
                    const MpQuery *query,
                    GPtrArray     *selection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStatistics) stats = NULL;
  guint characteristics[MP_N_CHARACTERISTICS] = { 0 };
  guint stages[MP_N_STAGES] = { 0 };
  guint no_stage = 0;
  g_autofree guint *themes = NULL;
  g_autofree guint *chosen_themes = NULL;
  const MpTerm *theme_terms;
  guint n_themes = 0;

  stats = mp_statistics_compute (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);

  theme_terms = mp_taxonomy_terms (MP_TAXONOMY_THEME, &n_themes);
  themes = g_new0 (guint, n_themes);
  chosen_themes = g_new0 (guint, n_themes);
  g_assert_cmpuint (stats->n_themes, ==, n_themes);

  for (guint i = 0; i < selection->len; i++)
    {
      MpModel *model = g_ptr_array_index (selection, i);
      int stage = mp_model_get_current_stage (model);

      for (guint c = 0; c < MP_N_CHARACTERISTICS; c++)
        characteristics[c] += mp_model_get_characteristic (model, c, NULL) ? 1 : 0;
      if (stage == MP_STAGE_NONE)
        no_stage++;
      else
        stages[stage]++;
      for (guint t = 0; t < n_themes; t++)
        if (g_strv_contains (mp_model_get_list (model, MP_LIST_THEMES), theme_terms[t].key))
          {
            themes[t]++;
            if (mp_model_get_characteristic (model, MP_N_CHARACTERISTICS - 1, NULL))
              chosen_themes[t]++;
          }
    }

  g_assert_cmpuint (stats->n_models, ==, selection->len);
  for (guint c = 0; c < MP_N_CHARACTERISTICS; c++)
    g_assert_cmpuint (stats->characteristics[c], ==, characteristics[c]);
  for (guint s = 0; s < MP_N_STAGES; s++)
    g_assert_cmpuint (stats->stages[s], ==, stages[s]);
  g_assert_cmpuint (stats->no_stage, ==, no_stage);
  for (guint t = 0; t < n_themes; t++)
    g_assert_cmpuint (stats->themes[t], ==, themes[t]);

  g_assert_cmpint (stats->chosen, ==, -1);
  mp_statistics_compute_by_theme (stats, fixture->store, MP_N_CHARACTERISTICS - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->chosen, ==, MP_N_CHARACTERISTICS - 1);
  for (guint t = 0; t < n_themes; t++)
    g_assert_cmpuint (stats->chosen_themes[t], ==, chosen_themes[t]);
}

static void
assert_query (Fixture       *fixture,
              const MpQuery *query)
{
  g_autoptr(GPtrArray) selection = g_ptr_array_new ();

  for (guint i = 0; i < fixture->models->len; i++)
    if (matches (g_ptr_array_index (fixture->models, i), query))
      g_ptr_array_add (selection, g_ptr_array_index (fixture->models, i));

  /* A figure of an empty selection says nothing */
  g_assert_cmpuint (selection->len, >, 0);
  assert_brute_force (fixture, query, selection);
}

/* tests */

static void
test_all (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();

  assert_query (fixture, query);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();

  query->min_stage = MP_STAGE_TRIALS;
  assert_query (fixture, query);

  query->theme = g_strdup ("family_support");
  assert_query (fixture, query);

  g_clear_pointer (&query->theme, g_free);
  query->min_stage = MP_STAGE_NONE;
  query->region = g_strdup ("pirkanmaa");
  assert_query (fixture, query);

  query->target_group = g_strdup ("families");
  g_clear_pointer (&query->region, g_free);
  query->theme = g_strdup ("children_families");
  assert_query (fixture, query);
}

/* With search text, the selection is what the search finds: the figures
 * must still be those of exactly those models. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) selection = g_ptr_array_new_with_free_func (g_object_unref);

  query->text = g_strdup ("perhekeskus");
  query->min_stage = MP_STAGE_IDEA;
  rowids = mp_store_query (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, >, 0);
  g_assert_cmpuint (rowids->len, <, N_MODELS);

  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(MpModelSummary) summary = mp_store_get_summary (fixture->store, g_array_index (rowids, gint64, i));
      MpModel *model = mp_store_load_model (fixture->store, mp_model_summary_get_id (summary), &error);

      g_assert_no_error (error);
      g_assert_true (strstr (mp_model_get_text (model, MP_TEXT_BASIC_IDEA), "Perhe") != NULL);
      g_ptr_array_add (selection, model);
    }

  assert_brute_force (fixture, query, selection);
}

/* Deleted drafts are not in any selection */
static void
test_deleted (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      mp_store_delete_model (fixture->store, mp_model_get_id (g_ptr_array_index (fixture->models, 0)), &error);
      g_assert_no_error (error);
      g_ptr_array_remove_index (fixture->models, 0);
    }

  assert_query (fixture, query);
}

/* A bank from before the characteristics were tags gets them by migration */
static void
test_migrated (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (mp_store_get_path (fixture->store));
  sqlite3 *db = mp_store_get_db (fixture->store);

  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM model_tags WHERE kind = 5; PRAGMA user_version = 5",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_finalize_object (fixture->store);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_store_get_schema_version (fixture->store), ==, MP_STORE_SCHEMA_VERSION);

  assert_query (fixture, query);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(MpStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;

  query->text = g_strdup ("xyzzyquux");
  stats = mp_statistics_compute (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_models, ==, 0);
  for (guint c = 0; c < MP_N_CHARACTERISTICS; c++)
    g_assert_cmpuint (stats->characteristics[c], ==, 0);
  g_assert_cmpfloat (mp_statistics_percent (0, 0), ==, 0.0);
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MpStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *row = NULL;
  g_auto(GStrv) lines = NULL;
  const MpTerm *terms;
  guint n_themes = 0;
  char share[G_ASCII_DTOSTR_BUF_SIZE];

  stats = mp_statistics_compute (fixture->store, NULL, &error);
  g_assert_no_error (error);
  mp_statistics_compute_by_theme (stats, fixture->store, 0, &error);
  g_assert_no_error (error);

  csv = mp_statistics_to_csv (stats, "fi");
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  mp_taxonomy_terms (MP_TAXONOMY_THEME, &n_themes);
  /* header, selection, 16 characteristics, 6 stages + none, themes twice, "" after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 1 + 16 + 7 + 2 * n_themes + 1);
  g_assert_cmpstr (lines[0], ==, "Figure,Item,Models,Share (%),Share in the review (%)");

  /* Finnish labels, a C-locale share and the review's 91 % */
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL);
  g_assert_cmpstr (terms[2].key, ==, "target_group_driven");
  row = g_strdup_printf ("Characteristic,%s,%u,%s,91", terms[2].fi, stats->characteristics[2],
                         g_ascii_formatd (share, sizeof share, "%.1f",
                                          mp_statistics_percent (stats->characteristics[2], N_MODELS)));
  g_assert_true (g_strv_contains ((const char * const *) lines, row));
  /* A label with a comma is quoted */
  g_assert_nonnull (strstr (csv, "\"Ratkaisun sosiaalinen, taloudellinen ja ekologinen kestävyys\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/statistics/all", test_all);
  ADD ("/statistics/filters", test_filters);
  ADD ("/statistics/search", test_search);
  ADD ("/statistics/deleted", test_deleted);
  ADD ("/statistics/migrated", test_migrated);
  ADD ("/statistics/empty", test_empty);
  ADD ("/statistics/csv", test_csv);
#undef ADD

  return g_test_run ();
}
