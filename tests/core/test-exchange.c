/* test-exchange.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-exchange.h"

#define CREATED 1795600000  /* 2026-11-25, so that files compare byte for byte */

typedef struct
{
  char    *dir;
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

static MpStore *
open_store (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  MpStore *store = mp_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-exchange-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = open_store (fixture, "bank.sqlite");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A model with every kind of field filled, and characters that JSON
 * escapes */
static MpModel *
full_model (const char *title,
            gint64      revision)
{
  MpModel *model = mp_model_new ();
  const char * const themes[] = { "family_support", "children_families", NULL };
  const char * const regions[] = { "pirkanmaa", NULL };
  const char * const authors[] = { "Maija Meikäläinen", "Åke \"Åkke\" Ström", NULL };

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Perheet kohtaavat – tiivistelmä\twith a tab.");
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, "Ensimmäinen kappale.\n\n- luettelo\n- toinen \\ kenoviiva");
  mp_model_set_text (model, MP_TEXT_LESSONS, "Opittua: 😀 ja \u2028 rivinvaihto.");
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  mp_model_set_list (model, MP_LIST_AUTHORS, authors);
  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_NEED, "2024-01-10");
  mp_model_set_stage_finished (model, MP_STAGE_NEED, "2024-03-01");
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_characteristic (model, 2, TRUE, "Kohderyhmä mukana alusta asti.");
  mp_model_add_link (model, "Opas", "https://example.org/opas?a=1&b=2");
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_revision (model, revision);
  return model;
}

static void
save (MpStore *store,
      MpModel *model)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (models, model);
  mp_store_import_models (store, models, &error);
  g_assert_no_error (error);
}

static char *
export_models (MpModel *first,
               ...)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (MpModel *model = first; model != NULL; model = va_arg (args, MpModel *))
    g_ptr_array_add (models, model);
  va_end (args);

  return mp_exchange_to_data (models, CREATED);
}

static void
assert_refused (Fixture    *fixture,
                const char *data,
                gsize       length,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  guint before = mp_store_count (fixture->store);

  import = mp_exchange_import_new_from_data (fixture->store, data, length, &error);
  g_assert_null (import);
  g_assert_error (error, MP_ERROR, code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpuint (mp_store_count (fixture->store), ==, before);
}

/* tests */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MpStore) other = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) imported = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "models" MP_EXCHANGE_SUFFIX, NULL);
  g_autofree char *again = NULL;
  g_autofree char *first = NULL;

  g_ptr_array_add (models, full_model ("Perhekeskuksen kohtaamispaikka", 3));
  g_ptr_array_add (models, full_model ("Ohjaamo", 0));
  g_ptr_array_add (models, mp_model_new ());
  mp_model_set_text (g_ptr_array_index (models, 2), MP_TEXT_TITLE, "Tyhjä");
  mp_store_import_models (fixture->store, models, &error);
  g_assert_no_error (error);

  rowids = mp_store_query (fixture->store, NULL, &error);
  g_assert_no_error (error);
  mp_exchange_export_rowids (fixture->store, rowids, path, &error);
  g_assert_no_error (error);

  other = open_store (fixture, "other.sqlite");
  import = mp_exchange_import_new_from_file (other, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_exchange_import_get_n_models (import), ==, 3);
  g_assert_cmpuint (mp_exchange_import_count (import, MP_EXCHANGE_ADDED), ==, 3);
  /* Nothing is written before the import is applied */
  g_assert_cmpuint (mp_store_count (other), ==, 0);
  mp_exchange_import_apply (import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (other), ==, 3);

  for (guint i = 0; i < models->len; i++)
    {
      MpModel *model = g_ptr_array_index (models, i);
      g_autoptr(MpModel) copy = mp_store_load_model (other, mp_model_get_id (model), &error);
      g_autofree char *expected = mp_model_to_json_string (model, FALSE);
      g_autofree char *actual = NULL;

      g_assert_no_error (error);
      actual = mp_model_to_json_string (copy, FALSE);
      g_assert_cmpstr (actual, ==, expected);
      g_ptr_array_add (imported, g_steal_pointer (&copy));
    }

  /* The same models give the same file, byte for byte */
  first = mp_exchange_to_data (models, CREATED);
  again = mp_exchange_to_data (imported, CREATED);
  g_assert_cmpstr (again, ==, first);

  /* Importing the file again changes nothing */
  g_clear_pointer (&import, mp_exchange_import_free);
  import = mp_exchange_import_new_from_file (other, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_exchange_import_count (import, MP_EXCHANGE_UNCHANGED), ==, 3);
  g_clear_pointer (&import, mp_exchange_import_free);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_format (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autofree char *text = export_models (model, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  root = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "mallipaja-exchange");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "created"), ==, "2026-11-25T09:46:40Z");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "checksum"), "sha256:"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "checksum")), ==, 7 + 64);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "models")), ==, 1);
}

/* Indenting the file anew keeps its checksum: it covers the values */
static void
test_reformatted (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autofree char *text = export_models (model, NULL);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  g_autofree char *pretty = json_to_string (root, TRUE);
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (pretty, !=, text);
  import = mp_exchange_import_new_from_data (fixture->store, pretty, strlen (pretty), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_exchange_import_count (import, MP_EXCHANGE_ADDED), ==, 1);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autoptr(MpModel) other = full_model ("Digipaja", 0);
  g_autofree char *text = export_models (model, other, NULL);
  gsize length = strlen (text);

  assert_refused (fixture, text, length / 2, MP_ERROR_CORRUPT, "incomplete");
  assert_refused (fixture, text, length - 3, MP_ERROR_CORRUPT, "incomplete");
  assert_refused (fixture, text, 0, MP_ERROR_CORRUPT, "incomplete");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 0);
}

static void
test_tampered (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autoptr(MpModel) other = full_model ("Digipaja", 0);
  g_autofree char *text = export_models (model, other, NULL);
  char *title = strstr (text, "Digipaja");
  char *checksum;

  /* A changed letter in a title */
  title[0] = 'T';
  assert_refused (fixture, text, strlen (text), MP_ERROR_CORRUPT, "checksum");
  title[0] = 'D';

  /* A changed checksum */
  checksum = strstr (text, "sha256:") + 7;
  checksum[0] = checksum[0] == 'a' ? 'b' : 'a';
  assert_refused (fixture, text, strlen (text), MP_ERROR_CORRUPT, "checksum");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 0);
}

static void
test_wrong_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autofree char *text = export_models (model, NULL);
  g_autoptr(GString) newer = g_string_new (text);
  g_autoptr(GString) other = g_string_new (text);

  g_string_replace (newer, "\"version\": 1,", "\"version\": 2,", 1);
  assert_refused (fixture, newer->str, newer->len, MP_ERROR_TOO_NEW, "newer version");

  g_string_replace (other, "mallipaja-exchange", "something-else", 1);
  assert_refused (fixture, other->str, other->len, MP_ERROR_INVALID, "not a Mallipaja exchange file");

  assert_refused (fixture, "[1, 2]", 6, MP_ERROR_CORRUPT, "incomplete");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 0);
}

/* An invalid model with a correct checksum (written by a broken tool) */
static void
test_invalid_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autofree char *text = export_models (model, NULL);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  g_autoptr(JsonNode) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *prefixed = NULL;
  JsonObject *object = json_node_get_object (root);
  JsonArray *array = json_object_get_array_member (object, "models");

  json_object_set_string_member (json_array_get_object_element (array, 0), "visibility", "everyone");
  models = json_node_init_array (json_node_alloc (), array);
  canonical = json_to_string (models, FALSE);
  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  prefixed = g_strconcat ("sha256:", checksum, NULL);
  json_object_set_string_member (object, "checksum", prefixed);
  broken = json_to_string (root, TRUE);

  import = mp_exchange_import_new_from_data (fixture->store, broken, strlen (broken), &error);
  g_assert_null (import);
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Model 1 of the file"));
  g_assert_nonnull (strstr (error->message, "visibility"));
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MpModel) model = full_model ("Ohjaamo", 2);
  g_autofree char *text = export_models (model, model, NULL);

  assert_refused (fixture, text, strlen (text), MP_ERROR_INVALID, "twice");
}

static MpModel *
edited (MpModel    *model,
        gint64      revision,
        const char *summary)
{
  MpModel *copy = mp_model_copy (model);

  mp_model_set_revision (copy, revision);
  mp_model_set_text (copy, MP_TEXT_SUMMARY, summary);
  return copy;
}

/* No sync record: a different document of the same revision diverges */
static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MpModel) same = full_model ("Sama", 2);
  g_autoptr(MpModel) newer = full_model ("Uudempi", 2);
  g_autoptr(MpModel) older = full_model ("Vanhempi", 5);
  g_autoptr(MpModel) diverging = full_model ("Erkaantunut", 4);
  g_autoptr(MpModel) draft = full_model ("Luonnos", 0);
  g_autoptr(MpModel) added = full_model ("Uusi", 1);
  g_autoptr(MpModel) newer_file = NULL, older_file = NULL, diverging_file = NULL, draft_file = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const *fields;

  save (fixture->store, same);
  save (fixture->store, newer);
  save (fixture->store, older);
  save (fixture->store, diverging);
  save (fixture->store, draft);
  newer_file = edited (newer, 3, "Alustalta uudempi.");
  older_file = edited (older, 4, "Vanha.");
  diverging_file = edited (diverging, 4, "Muokattu muualla.");
  draft_file = edited (draft, 0, "Luonnos muualla.");

  text = export_models (added, same, newer_file, older_file, diverging_file, draft_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_exchange_import_get_n_models (import), ==, 6);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_ADDED);
  g_assert_cmpint (mp_exchange_import_get_action (import, 1), ==, MP_EXCHANGE_UNCHANGED);
  g_assert_cmpint (mp_exchange_import_get_action (import, 2), ==, MP_EXCHANGE_UPDATED);
  g_assert_cmpint (mp_exchange_import_get_action (import, 3), ==, MP_EXCHANGE_OLDER);
  g_assert_cmpint (mp_exchange_import_get_action (import, 4), ==, MP_EXCHANGE_CONFLICTING);
  g_assert_cmpint (mp_exchange_import_get_action (import, 5), ==, MP_EXCHANGE_CONFLICTING);
  g_assert_cmpuint (mp_exchange_import_count (import, MP_EXCHANGE_CONFLICTING), ==, 2);
  g_assert_null (mp_exchange_import_get_fields (import, 0));
  fields = mp_exchange_import_get_fields (import, 4);
  g_assert_nonnull (fields);
  g_assert_cmpuint (g_strv_length ((GStrv) fields), ==, 1);
  g_assert_cmpstr (fields[0], ==, "summary");

  g_assert_cmpuint (mp_store_count (fixture->store), ==, 5);
  mp_exchange_import_apply (import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 6);

  /* Added and updated are written; older and conflicting are kept */
  {
    g_autoptr(MpModel) model = mp_store_load_model (fixture->store, mp_model_get_id (newer), &error);

    g_assert_no_error (error);
    g_assert_cmpint (mp_model_get_revision (model), ==, 3);
    g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_SUMMARY), ==, "Alustalta uudempi.");
  }
  {
    g_autoptr(MpModel) model = mp_store_load_model (fixture->store, mp_model_get_id (older), &error);

    g_assert_no_error (error);
    g_assert_cmpint (mp_model_get_revision (model), ==, 5);
  }
  {
    g_autoptr(MpModel) model = mp_store_load_model (fixture->store, mp_model_get_id (diverging), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_SUMMARY), !=, "Muokattu muualla.");
  }
}

/* With the sync's record of the platform's copy, ancestry decides */
static void
test_preview_with_base (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MpModel) clean = full_model ("Koskematon", 3);
  g_autoptr(MpModel) local = full_model ("Muokattu täällä", 3);
  g_autoptr(MpModel) local_base = NULL;
  g_autoptr(MpModel) clean_file = NULL, base_file = NULL, both_file = NULL, newer_file = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  sqlite3 *db = mp_store_get_db (fixture->store);
  sqlite3_stmt *stmt = NULL;
  MpModel *bases[2];

  /* "local" was edited here after revision 3 came from the platform */
  local_base = mp_model_copy (local);
  mp_model_set_text (local, MP_TEXT_LESSONS, "Täällä lisätty.");
  save (fixture->store, clean);
  save (fixture->store, local);
  bases[0] = clean;
  bases[1] = local_base;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO model_sync (model_id, synced_revision, base_doc, state)"
                                           " VALUES (?1, 3, ?2, 2)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autofree char *doc = mp_model_to_json_string (bases[i], FALSE);

      sqlite3_bind_text (stmt, 1, mp_model_get_id (bases[i]), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, doc, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  clean_file = edited (clean, 3, "Muokattu toisella laitteella.");   /* descends from the bank's */
  base_file = mp_model_copy (local_base);                              /* the bank's ancestor */
  both_file = edited (local_base, 3, "Muokattu muualla.");             /* diverges */
  newer_file = edited (local_base, 4, "Alustan uusi revisio.");        /* newer, but local edits */

  text = export_models (clean_file, base_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_UPDATED);
  g_assert_cmpint (mp_exchange_import_get_action (import, 1), ==, MP_EXCHANGE_OLDER);
  g_clear_pointer (&import, mp_exchange_import_free);
  g_clear_pointer (&text, g_free);

  text = export_models (both_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  g_clear_pointer (&import, mp_exchange_import_free);
  g_clear_pointer (&text, g_free);

  text = export_models (newer_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/exchange/round-trip", test_round_trip);
  ADD ("/exchange/format", test_format);
  ADD ("/exchange/reformatted", test_reformatted);
  ADD ("/exchange/refuse/truncated", test_truncated);
  ADD ("/exchange/refuse/tampered", test_tampered);
  ADD ("/exchange/refuse/wrong-version", test_wrong_version);
  ADD ("/exchange/refuse/invalid-model", test_invalid_model);
  ADD ("/exchange/refuse/duplicate", test_duplicate);
  ADD ("/exchange/preview", test_preview);
  ADD ("/exchange/preview/with-base", test_preview_with_base);
#undef ADD

  return g_test_run ();
}
