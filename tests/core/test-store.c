/* test-store.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-core-resources.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  char *dir;
  char *path;
  MpStore *store;
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: opening must create it. */
  fixture->path = g_build_filename (fixture->dir, "data", "mallipaja", "bank.sqlite", NULL);
  if (data == NULL)
    {
      fixture->store = mp_store_open (fixture->path, &error);
      g_assert_no_error (error);
    }
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

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static MpModel *
make_model (const char *title,
            const char *summary,
            const char *basic_idea)
{
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  if (summary != NULL)
    mp_model_set_text (model, MP_TEXT_SUMMARY, summary);
  if (basic_idea != NULL)
    mp_model_set_text (model, MP_TEXT_BASIC_IDEA, basic_idea);
  return model;
}

static MpModel *
save_new (MpStore    *store,
          const char *title,
          const char *summary,
          const char *basic_idea)
{
  g_autoptr(MpModel) model = make_model (title, summary, basic_idea);
  g_autoptr(GError) error = NULL;

  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&model);
}

/* Titles of the query's result, in its order, joined by ",". */
static char *
query_titles (MpStore       *store,
              const MpQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = mp_store_query (store, query, &error);
  g_autoptr(GString) titles = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (rowids);
  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(MpModelSummary) summary = mp_store_get_summary (store, g_array_index (rowids, gint64, i));

      g_assert_nonnull (summary);
      if (i > 0)
        g_string_append_c (titles, ',');
      g_string_append (titles, mp_model_summary_get_title (summary));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static char *
search_titles (MpStore    *store,
               const char *text)
{
  g_autoptr(MpQuery) query = mp_query_new ();

  query->text = g_strdup (text);
  return query_titles (store, query);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
count_model_changed (MpStore    *store,
                     const char *id,
                     int        *counter)
{
  (*counter)++;
}

static void
count_bank_changed (MpStore *store,
                    int     *counter)
{
  (*counter)++;
}

/* open and migrate */

static void
test_open_create (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (mp_store_get_path (fixture->store), ==, fixture->path);
  g_assert_cmpint (mp_store_get_schema_version (fixture->store), ==, MP_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 0);

  g_object_unref (save_new (fixture->store, "Neuvola", NULL, NULL));
  reopen (fixture);
  g_assert_cmpint (mp_store_get_schema_version (fixture->store), ==, MP_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);
}

static void
test_default_path (void)
{
  g_autofree char *path = mp_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "mallipaja", "bank.sqlite", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_migrate_from_v1 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) v1 = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(MpModel) parent = make_model ("Perhekeskus", NULL, NULL);
  g_autoptr(MpModel) child = mp_model_derive (parent);
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(MpModelSummary) summary = NULL;
  g_autoptr(GPtrArray) derived = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *found = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  mp_model_set_text (child, MP_TEXT_TITLE, "Perhekeskus Kainuussa");
  doc = mp_model_to_json_string (child, FALSE);

  /* A bank as version 1 of the app left it. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  v1 = g_resource_lookup_data (mp_core_get_resource (),
                               "/io/github/mallipaja/Mallipaja/core/sql/0001-initial.sql",
                               G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  exec_or_die (db, g_bytes_get_data (v1, NULL));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO models (id, title, doc) VALUES (?1, ?2, ?3)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, mp_model_get_id (child), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "Perhekeskus Kainuussa", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, doc, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  exec_or_die (db, "INSERT INTO models_fts (rowid, title, summary, body)"
                   " SELECT rowid, title, '', '' FROM models");
  exec_or_die (db, "PRAGMA user_version = 1");
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&db, sqlite3_close);

  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_store_get_schema_version (fixture->store), ==, MP_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);

  /* The search index came along. */
  found = search_titles (fixture->store, "perhekesk");
  g_assert_cmpstr (found, ==, "Perhekeskus Kainuussa");

  derived = mp_store_list_derived (fixture->store, mp_model_get_id (parent), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derived->len, ==, 1);
  g_assert_cmpstr (mp_model_summary_get_id (g_ptr_array_index (derived, 0)), ==, mp_model_get_id (child));

  loaded = mp_store_load_model (fixture->store, mp_model_get_id (child), &error);
  g_assert_no_error (error);
  g_assert_true (mp_model_equal (loaded, child));

  summary = mp_store_get_summary_by_id (fixture->store, mp_model_get_id (child));
  g_assert_nonnull (summary);
  g_assert_cmpstr (mp_model_summary_get_title (summary), ==, "Perhekeskus Kainuussa");
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_object_unref (save_new (fixture->store, "Ohjaamo", NULL, NULL));
  g_clear_object (&fixture->store);

  {
    g_autoptr(sqlite3) db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    exec_or_die (db, "PRAGMA user_version = 99");
  }

  before = file_checksum (fixture->path);
  store = mp_store_open (fixture->path, &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_TOO_NEW);
  g_assert_null (store);
  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

/* save and load */

static MpModel *
make_full_model (void)
{
  static const char * const authors[] = { "Maija Meikäläinen", "Åsa Öberg", NULL };
  static const char * const regions[] = { "pirkanmaa", "ahvenanmaa", "national", NULL };
  static const char * const funders[] = { "STM", "Ingen separat finansiering", NULL };
  static const char * const themes[] = { "family_support", "children_families", NULL };
  static const char * const groups[] = { "families", "children", NULL };
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GString) big = g_string_new (NULL);

  mp_model_set_revision (model, 3);
  mp_model_set_created (model, 1706779800);
  mp_model_set_modified (model, 1760443541);
  mp_model_set_text (model, MP_TEXT_TITLE, "Perhekeskuksen kohtaamispaikka – mötesplats för familjer");
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Matalan kynnyksen kohtaamispaikka, jossa vanhemmat "
                     "saavat vertaistukea. Lågtröskelmötesplats för föräldrar: “öppet för alla”.");
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "sv");
  mp_model_set_text (model, MP_TEXT_ORGANISATION, "Pirkanmaan hyvinvointialue");
  mp_model_set_text (model, MP_TEXT_PLACE, "Perhekeskukset, Tampere & Mariehamn");
  mp_model_set_text (model, MP_TEXT_COLLECTION, "SOILA – Lastensuojelun kehittämisohjelma");

  /* One field of a megabyte, in paragraphs with bullets. */
  while (big->len < 1024 * 1024)
    g_string_append (big, "Vanhempien vertaisryhmä kokoontuu viikoittain; "
                     "föräldragruppen träffas varje vecka. ÄÖÅ äöå\n\n- lista\n\n");
  for (guint i = MP_TEXT_FIRST_LONG; i < MP_N_TEXTS; i++)
    {
      g_autofree char *text = g_strdup_printf ("Osio %u: päihde- ja mielenterveystyö, "
                                               "missbruks- och mentalvård.\n\n- kohta\n- punkt", i);

      mp_model_set_text (model, i, i == MP_TEXT_BASIC_IDEA ? big->str : text);
    }

  mp_model_set_list (model, MP_LIST_AUTHORS, authors);
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  mp_model_set_list (model, MP_LIST_FUNDERS, funders);
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_TARGET_GROUPS, groups);

  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_NEED, "2023-01-10");
  mp_model_set_stage_finished (model, MP_STAGE_NEED, "2023-03-01");
  mp_model_set_stage_notes (model, MP_STAGE_NEED, "Tarve nousi asiakkaiden arjesta.");
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_stage_started (model, MP_STAGE_TRIALS, "2023-09-01");
  mp_model_set_stage_notes (model, MP_STAGE_SCALING, "Försök i Österbotten.");

  mp_model_set_characteristic (model, 2, TRUE, "Perheet mukana suunnittelussa.");
  mp_model_set_characteristic (model, 8, TRUE, "Samutveckling med föreningar.");
  mp_model_set_characteristic (model, 15, FALSE, "Ei vielä arvioitu.");

  mp_model_add_link (model, "Opas", "https://example.org/opas");
  mp_model_add_link (model, "Guide på svenska", "http://example.org/sv?q=ä");
  mp_model_add_collaborator (model, "mmeika", "editor");
  mp_model_add_collaborator (model, "aoberg", "admin");
  mp_model_set_based_on (model, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", 2);
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_unfinished (model, TRUE);

  return g_steal_pointer (&model);
}

static void
test_save_every_field (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = make_full_model ();
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(MpModelSummary) summary = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  int changed = 0;

  g_signal_connect (fixture->store, "model-changed", G_CALLBACK (count_model_changed), &changed);
  mp_store_save_model (fixture->store, model, &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 1);

  reopen (fixture);
  loaded = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);
  g_assert_true (mp_model_equal (loaded, model));
  g_assert_cmpstr (mp_model_get_text (loaded, MP_TEXT_BASIC_IDEA), ==,
                   mp_model_get_text (model, MP_TEXT_BASIC_IDEA));
  expected = mp_model_to_json_string (model, FALSE);
  actual = mp_model_to_json_string (loaded, FALSE);
  g_assert_cmpstr (actual, ==, expected);

  summary = mp_store_get_summary_by_id (fixture->store, mp_model_get_id (model));
  g_assert_nonnull (summary);
  g_assert_cmpstr (mp_model_summary_get_title (summary), ==, mp_model_get_text (model, MP_TEXT_TITLE));
  g_assert_cmpstr (mp_model_summary_get_organisation (summary), ==, "Pirkanmaan hyvinvointialue");
  g_assert_cmpstr (mp_model_summary_get_region (summary), ==, "pirkanmaa");
  g_assert_cmpint (mp_model_summary_get_current_stage (summary), ==, MP_STAGE_TRIALS);
  g_assert_cmpint (mp_model_summary_get_revision (summary), ==, 3);
  g_assert_cmpint (mp_model_summary_get_visibility (summary), ==, MP_VISIBILITY_PUBLIC);
  g_assert_true (mp_model_summary_get_unfinished (summary));
  g_assert_cmpint (mp_model_summary_get_modified (summary), ==, 1760443541);

  /* Saving again replaces: still one model, tags not doubled. */
  mp_model_set_text (model, MP_TEXT_TITLE, "Uusi nimi");
  mp_store_save_model (fixture->store, model, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);
  g_clear_object (&summary);
  summary = mp_store_get_summary_by_id (fixture->store, mp_model_get_id (model));
  g_assert_cmpstr (mp_model_summary_get_title (summary), ==, "Uusi nimi");
  g_clear_pointer (&actual, g_free);
  actual = search_titles (fixture->store, "perhekeskuksen");
  g_assert_cmpstr (actual, ==, "");
  g_clear_pointer (&actual, g_free);
  actual = search_titles (fixture->store, "uusi");
  g_assert_cmpstr (actual, ==, "Uusi nimi");
}

static void
test_save_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = make_model ("", NULL, NULL);

  g_assert_false (mp_store_save_model (fixture->store, model, &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 0);
}

static void
test_load_missing (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = NULL;

  model = mp_store_load_model (fixture->store, "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01", &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
  g_assert_null (model);
  g_assert_null (mp_store_get_summary (fixture->store, 12345));
}

/* search */

static void
test_search_diacritics (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  g_object_unref (save_new (fixture->store, "Päihdetyön kohtaamispaikka", NULL, NULL));
  g_object_unref (save_new (fixture->store, "Neuvola", NULL, "Ei liity aiheeseen."));
  g_object_unref (save_new (fixture->store, "Mötesplats", NULL, "Stöd för päihde- och mentalvård."));

  a = search_titles (fixture->store, "paihde");
  g_assert_cmpstr (a, ==, "Päihdetyön kohtaamispaikka,Mötesplats");
  b = search_titles (fixture->store, "PÄIHDE");
  g_assert_cmpstr (b, ==, a);
  c = search_titles (fixture->store, "motesplats");
  g_assert_cmpstr (c, ==, "Mötesplats");
  d = search_titles (fixture->store, "paihdetyon kohtaa");
  g_assert_cmpstr (d, ==, "Päihdetyön kohtaamispaikka");
}

static void
test_search_prefix (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_object_unref (save_new (fixture->store, "Perhetyö", NULL,
                            "Tukea perheille lastensuojelussa ja sen jälkeen."));
  g_object_unref (save_new (fixture->store, "Ohjaamo", "Nuorten palvelupiste.", NULL));

  a = search_titles (fixture->store, "lastensuo");
  g_assert_cmpstr (a, ==, "Perhetyö");
  b = search_titles (fixture->store, "l");
  g_assert_cmpstr (b, ==, "Perhetyö");
  /* Every word must match. */
  c = search_titles (fixture->store, "lastensuo nuorten");
  g_assert_cmpstr (c, ==, "");
}

static void
test_search_ranking (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = NULL, *b = NULL;

  /* Saved first, so that rowid order would put them first. */
  g_object_unref (save_new (fixture->store, "Asumisneuvonta", NULL,
                            "Neuvonta järjestetään kirjastossa ja kohtaamispaikassa."));
  g_object_unref (save_new (fixture->store, "Perheiden ilta", "Ilta kohtaamispaikassa perheille.", NULL));
  g_object_unref (save_new (fixture->store, "Kohtaamispaikka", "Avoin olohuone.", NULL));

  a = search_titles (fixture->store, "kohtaamispaik");
  g_assert_cmpstr (a, ==, "Kohtaamispaikka,Perheiden ilta,Asumisneuvonta");

  /* Without text the list is by title. */
  b = search_titles (fixture->store, "");
  g_assert_cmpstr (b, ==, "Asumisneuvonta,Kohtaamispaikka,Perheiden ilta");
}

/* A word in nearly every model is too many hits to rank one by one: the
 * title hits must still come first, and every hit must be listed once. */
static void
test_search_many_hits (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModelSummary) first = NULL;
  g_autoptr(MpModelSummary) second = NULL;
  const guint n = 3200;

  /* oldest first, so that newest-first order alone would list them last */
  g_ptr_array_add (models, make_model ("Perheiden kohtaamispaikka", NULL, "Yhteistyö."));
  g_ptr_array_add (models, make_model ("Perhetyön kokeilu", NULL, "Kokeilu."));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Malli %u", i);

      g_ptr_array_add (models, make_model (title, NULL, "Yhteistyö perheiden kanssa."));
    }
  g_assert_true (mp_store_import_models (fixture->store, models, &error));
  g_assert_no_error (error);

  query->text = g_strdup ("perhe");
  rowids = mp_store_query (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, n + 2);

  first = mp_store_get_summary (fixture->store, g_array_index (rowids, gint64, 0));
  second = mp_store_get_summary (fixture->store, g_array_index (rowids, gint64, 1));
  g_assert_true (g_str_has_prefix (mp_model_summary_get_title (first), "Perhe"));
  g_assert_true (g_str_has_prefix (mp_model_summary_get_title (second), "Perhe"));

  for (guint i = 0; i < rowids->len; i++)
    g_assert_true (g_hash_table_add (listed, &g_array_index (rowids, gint64, i)));
}

static void
test_search_syntax (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const typed[] = {
    "\"", "\"\"", "*", "**", "AND", "OR", "NOT", "a AND", "AND OR NOT", "NEAR(", "NEAR(a b, 2)",
    "(", ")", "()", "title:", "title:neuvola", "{title summary}: x", "^", "-", "+", ":", "a*b",
    "'; DROP TABLE models; --", "\\", "neuvola\"", "\"neuvola", "ne\"uvola", "ä\"ö", "%", "_",
    "\t\n", "   ", "🙂", "e\xcc\x81", "neuvola OR", "x\"* AND \"y", "\xff\xfe invalid utf-8",
  };

  g_object_unref (save_new (fixture->store, "Neuvola", NULL, "And or not near."));

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr(MpQuery) query = mp_query_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;

      query->text = g_strdup (typed[i]);
      rowids = mp_store_query (fixture->store, query, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rowids);
    }

  {
    g_autofree char *a = search_titles (fixture->store, "and");
    g_autofree char *b = search_titles (fixture->store, "\"neuvola");
    g_autofree char *c = search_titles (fixture->store, "title:neuvola");

    /* Operators typed are words like any other. */
    g_assert_cmpstr (a, ==, "Neuvola");
    g_assert_cmpstr (b, ==, "Neuvola");
    g_assert_cmpstr (c, ==, "");
  }
}

/* filters */

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

typedef struct
{
  const char *title;
  int stage;                 /* in progress, or -1 */
  const char *theme[3];
  const char *region[3];
  const char *group[2];
  gint64 revision;
  MpVisibility visibility;
  gboolean unfinished;
} FilterModel;

static void
test_query_filters (Fixture       *fixture,
                    gconstpointer  data)
{
  static const FilterModel models[] = {
    { "A", MP_STAGE_TRIALS, { "family_support" }, { "pirkanmaa" }, { NULL }, 0, MP_VISIBILITY_PRIVATE, FALSE },
    { "B", MP_STAGE_SCALING, { "family_support" }, { "helsinki" }, { NULL }, 1, MP_VISIBILITY_PUBLIC, FALSE },
    { "C", MP_STAGE_IDEA, { "housing" }, { "pirkanmaa" }, { NULL }, 0, MP_VISIBILITY_PUBLIC, TRUE },
    { "D", -1, { "housing", "family_support" }, { "pirkanmaa", "helsinki" }, { "families" }, 2,
      MP_VISIBILITY_PUBLIC, FALSE },
    { "E", MP_STAGE_SYSTEMIC_CHANGE, { NULL }, { NULL }, { "families" }, 4, MP_VISIBILITY_ORGANISATION, FALSE },
  };
  static const struct {
    const char *text;
    int min_stage;
    const char *theme;
    const char *group;
    const char *region;
    MpPublication publication;
    const char *expected;
  } cases[] = {
    { NULL, -1, NULL, NULL, NULL, MP_PUBLICATION_ANY, "A,B,C,D,E" },
    { NULL, MP_STAGE_TRIALS, NULL, NULL, NULL, MP_PUBLICATION_ANY, "A,B,E" },
    { NULL, MP_STAGE_NEED, NULL, NULL, NULL, MP_PUBLICATION_ANY, "A,B,C,E" },
    { NULL, -1, "family_support", NULL, NULL, MP_PUBLICATION_ANY, "A,B,D" },
    { NULL, -1, "housing", NULL, NULL, MP_PUBLICATION_ANY, "C,D" },
    { NULL, -1, NULL, "families", NULL, MP_PUBLICATION_ANY, "D,E" },
    { NULL, -1, NULL, NULL, "helsinki", MP_PUBLICATION_ANY, "B,D" },
    { NULL, -1, NULL, NULL, "lappi", MP_PUBLICATION_ANY, "" },
    { NULL, -1, NULL, NULL, NULL, MP_PUBLICATION_DRAFTS, "A,C" },
    { NULL, -1, NULL, NULL, NULL, MP_PUBLICATION_PUBLISHED, "B,D" },
    { NULL, -1, NULL, NULL, NULL, MP_PUBLICATION_UNFINISHED, "C" },
    { NULL, MP_STAGE_TRIALS, "family_support", NULL, "pirkanmaa", MP_PUBLICATION_ANY, "A" },
    { NULL, -1, "family_support", NULL, "helsinki", MP_PUBLICATION_PUBLISHED, "B,D" },
    { NULL, MP_STAGE_TRIALS, "family_support", NULL, "helsinki", MP_PUBLICATION_PUBLISHED, "B" },
    { NULL, -1, "housing", "families", "pirkanmaa", MP_PUBLICATION_PUBLISHED, "D" },
    { NULL, -1, "housing", NULL, "pirkanmaa", MP_PUBLICATION_DRAFTS, "C" },
    { "yhteinen", -1, NULL, NULL, NULL, MP_PUBLICATION_ANY, "A,B,C,D,E" },
    { "yhteinen", MP_STAGE_TRIALS, "family_support", NULL, NULL, MP_PUBLICATION_DRAFTS, "A" },
    { "mallin B", -1, NULL, NULL, "helsinki", MP_PUBLICATION_ANY, "B" },
    { "mallin B", -1, NULL, NULL, "pirkanmaa", MP_PUBLICATION_ANY, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("Yhteinen sana. Mallin %s kuvaus.", models[i].title);
      g_autoptr(MpModel) model = make_model (models[i].title, NULL, body);

      if (models[i].stage >= 0)
        mp_model_set_stage_state (model, models[i].stage, MP_STAGE_STATE_IN_PROGRESS);
      mp_model_set_list (model, MP_LIST_THEMES, models[i].theme);
      mp_model_set_list (model, MP_LIST_REGIONS, models[i].region);
      mp_model_set_list (model, MP_LIST_TARGET_GROUPS, models[i].group);
      mp_model_set_revision (model, models[i].revision);
      mp_model_set_visibility (model, models[i].visibility);
      mp_model_set_unfinished (model, models[i].unfinished);
      mp_store_save_model (fixture->store, model, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MpQuery) query = mp_query_new ();
      g_autofree char *titles = NULL;
      g_autofree char *sorted = NULL;
      g_auto(GStrv) parts = NULL;

      query->text = g_strdup (cases[i].text);
      query->min_stage = cases[i].min_stage;
      query->theme = g_strdup (cases[i].theme);
      query->target_group = g_strdup (cases[i].group);
      query->region = g_strdup (cases[i].region);
      query->publication = cases[i].publication;

      titles = query_titles (fixture->store, query);
      /* Search results come by rank; compare them as sets. */
      parts = g_strsplit (titles, ",", -1);
      qsort (parts, g_strv_length (parts), sizeof (char *), compare_strings);
      sorted = g_strjoinv (",", parts);
      if (g_strcmp0 (sorted, cases[i].expected) != 0)
        g_error ("case %u: got “%s”, expected “%s”", i, sorted, cases[i].expected);
    }
}

/* lineage, delete */

static void
test_derive_lineage (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) parent = save_new (fixture->store, "Yhteinen pöytä", NULL, "Ruoka-apu.");
  g_autoptr(MpModel) child = mp_model_derive (parent);
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(MpModelSummary) origin = NULL;
  g_autoptr(GPtrArray) derived = NULL;
  g_autoptr(GPtrArray) none = NULL;

  mp_model_set_text (child, MP_TEXT_TITLE, "Yhteinen pöytä Oulussa");
  mp_store_save_model (fixture->store, child, &error);
  g_assert_no_error (error);

  /* child → parent */
  loaded = mp_store_load_model (fixture->store, mp_model_get_id (child), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_based_on_id (loaded), ==, mp_model_get_id (parent));
  origin = mp_store_get_summary_by_id (fixture->store, mp_model_get_based_on_id (loaded));
  g_assert_nonnull (origin);
  g_assert_cmpstr (mp_model_summary_get_title (origin), ==, "Yhteinen pöytä");

  /* parent → children */
  derived = mp_store_list_derived (fixture->store, mp_model_get_id (parent), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derived->len, ==, 1);
  g_assert_cmpstr (mp_model_summary_get_title (g_ptr_array_index (derived, 0)), ==, "Yhteinen pöytä Oulussa");

  /* A deleted child is no longer listed. */
  mp_store_delete_model (fixture->store, mp_model_get_id (child), &error);
  g_assert_no_error (error);
  none = mp_store_list_derived (fixture->store, mp_model_get_id (parent), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_delete_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) draft = save_new (fixture->store, "Luonnos", NULL, "Siivouspäivä");
  g_autoptr(MpModel) published = make_model ("Julkaistu", NULL, "Siivouspäivä");
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(MpModelSummary) summary = NULL;
  g_autofree char *found = NULL, *found_again = NULL;
  const char *id = mp_model_get_id (draft);
  int changed = 0;

  mp_model_set_revision (published, 5);
  mp_model_set_visibility (published, MP_VISIBILITY_PUBLIC);
  mp_store_save_model (fixture->store, published, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "model-changed", G_CALLBACK (count_model_changed), &changed);

  g_assert_true (mp_store_delete_model (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);
  g_assert_null (mp_store_get_summary_by_id (fixture->store, id));
  found = search_titles (fixture->store, "siivous");
  g_assert_cmpstr (found, ==, "Julkaistu");
  loaded = mp_store_load_model (fixture->store, id, &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mp_store_restore_model (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 2);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 2);
  summary = mp_store_get_summary_by_id (fixture->store, id);
  g_assert_nonnull (summary);
  found_again = search_titles (fixture->store, "siivous");
  g_assert_cmpstr (found_again, ==, "Luonnos,Julkaistu");

  /* Published models stay. */
  g_assert_false (mp_store_delete_model (fixture->store, mp_model_get_id (published), &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 2);
  g_assert_cmpint (changed, ==, 2);

  g_assert_false (mp_store_delete_model (fixture->store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
}

static int
count_rows (const char *path,
            const char *sql)
{
  g_autoptr(sqlite3) db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static void
write_synced (MpStore    *store,
              MpModel    *model,
              const char *document)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_store_begin (store, &error));
  if (document != NULL)
    g_assert_true (mp_store_write_synced_model_text (store, model, document, &error));
  else
    g_assert_true (mp_store_write_synced_model (store, model, &error));
  g_assert_true (mp_store_commit (store, &error));
  g_assert_no_error (error);
}

/* A write that leaves the indexed text as it was keeps the search index
 * entry (the platform's answer to a push); one that changes it makes it
 * anew, deferred or not. */
static void
test_sync_index_kept (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MpModel) model = make_model ("Kirjastomalli", "Lainataan kirjoja.", "Perusajatus.");
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *titles = NULL;
  guint remaining = 0;

  mp_model_set_revision (model, 1);
  write_synced (fixture->store, model, NULL);
  titles = search_titles (fixture->store, "lainataan");
  g_assert_cmpstr (titles, ==, "Kirjastomalli");
  g_clear_pointer (&titles, g_free);

  /* The place is not indexed: the entry stays, even while deferred. */
  mp_store_set_defer_index (fixture->store, TRUE);
  mp_model_set_revision (model, 2);
  mp_model_set_text (model, MP_TEXT_PLACE, "Tampere");
  write_synced (fixture->store, model, NULL);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  titles = search_titles (fixture->store, "lainataan");
  g_assert_cmpstr (titles, ==, "Kirjastomalli");
  g_clear_pointer (&titles, g_free);

  /* A changed summary: the old text is found no more, the new one once
   * the backlog is indexed. */
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Uidaan uimahallissa.");
  write_synced (fixture->store, model, NULL);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 1);
  titles = search_titles (fixture->store, "lainataan");
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  g_assert_true (mp_store_index_backlog_step (fixture->store, 10, &remaining, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (remaining, ==, 0);
  titles = search_titles (fixture->store, "uidaan");
  g_assert_cmpstr (titles, ==, "Kirjastomalli");
  g_clear_pointer (&titles, g_free);

  /* The same text in another language is analysed again. */
  mp_store_set_defer_index (fixture->store, FALSE);
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "sv");
  mp_model_set_text (model, MP_TEXT_TITLE, "Biblioteksmodell");
  write_synced (fixture->store, model, NULL);
  titles = search_titles (fixture->store, "biblioteksmodell");
  g_assert_cmpstr (titles, ==, "Biblioteksmodell");
  g_clear_pointer (&titles, g_free);

  /* With its document made beforehand, stored as given. */
  mp_model_set_revision (model, 3);
  document = mp_model_to_json_string (model, FALSE);
  write_synced (fixture->store, model, document);
  loaded = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);
  stored = mp_model_to_json_string (loaded, FALSE);
  g_assert_cmpstr (stored, ==, document);
}

static void
test_purge (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const themes[] = { "housing", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) gone = make_model ("Poistettava", NULL, "Asuntoneuvonta");
  g_autoptr(MpModel) kept = save_new (fixture->store, "Säilyvä", NULL, "Asuntoneuvonta");
  g_autofree char *found = NULL;
  int bank_changed = 0;

  mp_model_set_list (gone, MP_LIST_THEMES, themes);
  mp_store_save_model (fixture->store, gone, &error);
  g_assert_no_error (error);
  mp_store_delete_model (fixture->store, mp_model_get_id (gone), &error);
  g_assert_no_error (error);

  g_signal_connect (fixture->store, "bank-changed", G_CALLBACK (count_bank_changed), &bank_changed);
  g_assert_true (mp_store_purge_deleted (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bank_changed, ==, 1);

  g_assert_false (mp_store_restore_model (fixture->store, mp_model_get_id (gone), &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM models"), ==, 1);
  /* models_fts itself needs the store's tokenizer; its row count is here. */
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM models_fts_docsize"), ==, 1);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM model_tags"), ==, 0);
  found = search_titles (fixture->store, "asuntoneuvonta");
  g_assert_cmpstr (found, ==, "Säilyvä");
}

/* import and sample bank */

static void
test_import_all_or_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) existing = save_new (fixture->store, "Olemassa", NULL, NULL);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MpModel) changed_existing = mp_model_copy (existing);
  g_autoptr(MpModel) still = NULL;
  int bank_changed = 0, model_changed = 0;

  mp_model_set_text (changed_existing, MP_TEXT_TITLE, "Muutettu");
  g_ptr_array_add (batch, g_object_ref (changed_existing));
  g_ptr_array_add (batch, make_model ("Toinen", NULL, NULL));
  g_ptr_array_add (batch, make_model ("", NULL, NULL));   /* a title is required */
  g_ptr_array_add (batch, make_model ("Neljäs", NULL, NULL));

  g_signal_connect (fixture->store, "bank-changed", G_CALLBACK (count_bank_changed), &bank_changed);
  g_signal_connect (fixture->store, "model-changed", G_CALLBACK (count_model_changed), &model_changed);

  g_assert_false (mp_store_import_models (fixture->store, batch, &error));
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_test_message ("import refused: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 1);
  g_assert_null (mp_store_get_summary_by_id (fixture->store,
                                             mp_model_get_id (g_ptr_array_index (batch, 1))));
  still = mp_store_load_model (fixture->store, mp_model_get_id (existing), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (still, MP_TEXT_TITLE), ==, "Olemassa");
  g_assert_cmpint (bank_changed, ==, 0);

  /* The same batch without the bad model goes in whole. */
  g_ptr_array_remove_index (batch, 2);
  g_assert_true (mp_store_import_models (fixture->store, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 3);
  g_assert_cmpint (bank_changed, ==, 1);
  g_assert_cmpint (model_changed, ==, 0);
}

static void
test_sample_bank (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_true (mp_store_load_sample_bank (fixture->store, &error));
  g_assert_no_error (error);
  n = mp_store_count (fixture->store);
  g_test_message ("sample bank: %u models", n);

  g_object_unref (save_new (fixture->store, "Oma malli", NULL, NULL));
  reopen (fixture);

  /* Loaded once per bank, never again. */
  g_assert_true (mp_store_load_sample_bank (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, n + 1);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM meta WHERE key = 'sample-loaded'"), ==, 1);
}

/* damaged files */

static void
assert_refused_untouched (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpStore) fresh = NULL;
  g_autofree char *before = file_checksum (fixture->path);
  g_autofree char *after = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_sum = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  store = mp_store_open (fixture->path, &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_CORRUPT);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);
  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* Opening again gives the same answer: nothing was "repaired". */
  store = mp_store_open (fixture->path, &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_true (mp_store_set_aside (fixture->path, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (aside, fixture->path));
  g_assert_nonnull (strstr (aside, ".broken-"));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  aside_sum = file_checksum (aside);
  g_assert_cmpstr (aside_sum, ==, before);

  fresh = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (fresh), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&fresh));
}

static void
write_bank_with_models (Fixture *fixture,
                        guint    n)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = mp_store_open (fixture->path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Malli %u", i);
      g_autofree char *body = g_strnfill (3000, 'a' + i % 26);

      g_ptr_array_add (models, make_model (title, NULL, body));
    }
  mp_store_import_models (store, models, &error);
  g_assert_no_error (error);
  /* Closing the last connection folds the WAL into the file. */
}

static void
test_corrupt_text_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append (text, "Tämä ei ole tietokanta. This is not a database.\n");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text->str, text->len, NULL));

  assert_refused_untouched (fixture);
}

static void
test_corrupt_garbled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *contents = NULL;
  gsize length;

  write_bank_with_models (fixture, 60);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 40 * 4096);
  /* Junk over pages in the middle; the header stays valid. */
  memset (contents + 8 * 4096, 0x5a, 16 * 4096);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  assert_refused_untouched (fixture);
}

static void
test_corrupt_truncated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *contents = NULL;
  gsize length;

  write_bank_with_models (fixture, 60);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (fixture->path, contents, length / 2 + 1000, NULL));

  assert_refused_untouched (fixture);
}

static void
test_corrupt_foreign (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  {
    g_autoptr(sqlite3) db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    exec_or_die (db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('karjalanpiirakka')");
  }

  assert_refused_untouched (fixture);
}

/* crash safety */

#define CRASH_TEXT "Kirjoitettu juuri ennen kaatumista: päihde & åäö."

static void
on_child_saved (MpAutosaver *autosaver,
                MpModel     *model,
                gboolean    *saved)
{
  *saved = TRUE;
}

/* Runs in the child: edits through the autosaver and then waits to be
 * killed, as a person typing when the power goes. */
static int
crash_child (const char *path,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = mp_store_open (path, &error);
  g_autoptr(MpModel) model = NULL;
  g_autoptr(MpAutosaver) autosaver = NULL;
  gboolean saved = FALSE;

  g_assert_no_error (error);
  model = mp_store_load_model (store, id, &error);
  g_assert_no_error (error);

  autosaver = mp_autosaver_new (store);
  g_signal_connect (autosaver, "saved", G_CALLBACK (on_child_saved), &saved);
  mp_autosaver_watch (autosaver, model);
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, CRASH_TEXT);

  while (!saved)
    g_main_context_iteration (NULL, TRUE);

  g_print ("saved\n");
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return 0;
}

static void
test_crash_sigkill (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = save_new (fixture->store, "Kaatuva malli", NULL, "Alkuperäinen.");
  g_autoptr(MpModel) loaded = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *line = NULL;
  g_autoptr(sqlite3) db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  /* The child must see the bank as the app would: nobody else has it open. */
  g_clear_object (&fixture->store);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_exe, "crash-child", fixture->path, mp_model_get_id (model), NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "saved");

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  reopen (fixture);
  loaded = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (loaded, MP_TEXT_BASIC_IDEA), ==, CRASH_TEXT);
  g_assert_cmpint (mp_model_get_modified (loaded), >=, mp_model_get_modified (model));

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "crash-child"))
    return crash_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_UNOPENED(path, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (1), fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/default-path", test_default_path);
  ADD ("/store/open/create", test_open_create);
  ADD ("/store/open/too-new", test_open_too_new);
  ADD_UNOPENED ("/store/migrate/from-v1", test_migrate_from_v1);
  ADD ("/store/save/every-field", test_save_every_field);
  ADD ("/store/save/invalid", test_save_invalid);
  ADD ("/store/load/missing", test_load_missing);
  ADD ("/store/search/diacritics", test_search_diacritics);
  ADD ("/store/search/prefix", test_search_prefix);
  ADD ("/store/search/ranking", test_search_ranking);
  ADD ("/store/search/many-hits", test_search_many_hits);
  ADD ("/store/search/syntax", test_search_syntax);
  ADD ("/store/query/filters", test_query_filters);
  ADD ("/store/derive/lineage", test_derive_lineage);
  ADD ("/store/delete/restore", test_delete_restore);
  ADD ("/store/delete/purge", test_purge);
  ADD ("/store/sync/index-kept", test_sync_index_kept);
  ADD ("/store/import/all-or-nothing", test_import_all_or_nothing);
  ADD ("/store/sample-bank/once", test_sample_bank);
  ADD_UNOPENED ("/store/corrupt/text-file", test_corrupt_text_file);
  ADD_UNOPENED ("/store/corrupt/garbled", test_corrupt_garbled);
  ADD_UNOPENED ("/store/corrupt/truncated", test_corrupt_truncated);
  ADD_UNOPENED ("/store/corrupt/foreign-database", test_corrupt_foreign);
  ADD ("/store/crash/sigkill-after-autosave", test_crash_sigkill);

#undef ADD
#undef ADD_UNOPENED

  return g_test_run ();
}
