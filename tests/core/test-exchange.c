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
#include "mp-sync-store.h"

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

static void
assert_strv (const char * const *actual,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  const char *field;
  va_list args;

  va_start (args, actual);
  while ((field = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, field);
  va_end (args);
  expected = g_strv_builder_end (builder);

  g_assert_nonnull (actual);
  g_assert_cmpstrv (actual, expected);
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

  /* Edited on both sides, in different fields: merged, as in sync */
  text = export_models (both_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_MERGED);
  g_assert_null (mp_exchange_import_get_fields (import, 0));
  assert_strv (mp_exchange_import_get_merged_fields (import, 0), "summary", NULL);
  g_clear_pointer (&import, mp_exchange_import_free);
  g_clear_pointer (&text, g_free);

  text = export_models (newer_file, NULL);
  import = mp_exchange_import_new_from_data (fixture->store, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_MERGED);
}

/* The model as the bank holds it */
static MpModel *
load (MpStore *store,
      MpModel *model)
{
  g_autoptr(GError) error = NULL;
  MpModel *stored = mp_store_load_model (store, mp_model_get_id (model), &error);

  g_assert_no_error (error);
  return stored;
}

static MpExchangeImport *
prepare (MpStore *store,
         MpModel *first,
         ...)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  MpExchangeImport *import;
  va_list args;

  va_start (args, first);
  for (MpModel *model = first; model != NULL; model = va_arg (args, MpModel *))
    g_ptr_array_add (models, model);
  va_end (args);

  text = mp_exchange_to_data (models, CREATED);
  import = mp_exchange_import_new_from_data (store, text, strlen (text), &error);
  g_assert_no_error (error);
  return import;
}

static void
apply (MpExchangeImport *import)
{
  g_autoptr(GError) error = NULL;

  mp_exchange_import_apply (import, &error);
  g_assert_no_error (error);
}

/* The one queued edit of @id: its fields and base revision */
static JsonObject *
queued_fields (MpStore    *store,
               const char *id,
               gint64     *base_revision)
{
  sqlite3 *db = mp_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (mp_sync_store_count_outbox (store, id, NULL), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fields, base_revision FROM outbox WHERE model_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  *base_revision = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
find_conflict (JsonNode   *conflicts,
               const char *field)
{
  JsonArray *records = json_node_get_array (conflicts);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member (record, "field"), field) == 0)
        return record;
    }
  g_assert_not_reached ();
}

/* A model that came from the platform at revision 3 and was then edited
 * here (through the store, so that the sync keeps its base) */
static MpModel *
edited_here (MpStore *store,
             MpModel *platform_copy,
             MpText   text,
             const char *value)
{
  g_autoptr(GError) error = NULL;
  MpModel *local = mp_model_copy (platform_copy);

  save (store, platform_copy);
  mp_model_set_text (local, text, value);
  mp_store_save_model (store, local, &error);
  g_assert_no_error (error);
  return local;
}

/* Changed in the file in one field and here in another: both kept */
static void
test_merge_one_side (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MpModel) platform = full_model ("Perhekeskus", 3);
  g_autoptr(MpModel) local = edited_here (fixture->store, platform, MP_TEXT_LESSONS, "Opittu täällä.");
  g_autoptr(MpModel) file = edited (platform, 3, "Tiivistelmä muokattu muualla.");
  g_autoptr(MpModel) stored = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(JsonObject) fields = NULL;
  const char *id = mp_model_get_id (platform);
  gint64 base_revision = 0;

  mp_model_set_text (file, MP_TEXT_PLACE, "Tampere");
  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_MERGED);
  g_assert_cmpuint (mp_exchange_import_count (import, MP_EXCHANGE_MERGED), ==, 1);
  g_assert_null (mp_exchange_import_get_fields (import, 0));
  /* In the order of the document */
  assert_strv (mp_exchange_import_get_merged_fields (import, 0), "summary", "place", NULL);
  /* Nothing is written before the import is applied */
  stored = load (fixture->store, platform);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, mp_model_get_text (platform, MP_TEXT_SUMMARY));
  g_clear_object (&stored);

  apply (import);
  stored = load (fixture->store, platform);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Tiivistelmä muokattu muualla.");
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_PLACE), ==, "Tampere");
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_LESSONS), ==, "Opittu täällä.");
  g_assert_null (mp_sync_store_get_conflicts (fixture->store, id));
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_PENDING);

  /* The merge waits for the platform as one edit of revision 3, so that
   * the platform's answer keeps what the file brought */
  fields = queued_fields (fixture->store, id, &base_revision);
  g_assert_cmpint (base_revision, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (fields, "summary"), ==, "Tiivistelmä muokattu muualla.");
  g_assert_cmpstr (json_object_get_string_member (fields, "place"), ==, "Tampere");
  g_assert_cmpstr (json_object_get_string_member (fields, "lessons"), ==, "Opittu täällä.");
  g_assert_false (json_object_has_member (fields, "title"));

  /* The same file again brings nothing new */
  g_clear_pointer (&import, mp_exchange_import_free);
  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_UNCHANGED);
}

/* The same field changed on both sides: a sync conflict with both texts */
static void
test_merge_conflict (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MpModel) platform = full_model ("Perhekeskus", 3);
  g_autoptr(MpModel) local = edited_here (fixture->store, platform, MP_TEXT_SUMMARY, "Minun tiivistelmäni.");
  g_autoptr(MpModel) file = edited (platform, 3, "Heidän tiivistelmänsä.");
  g_autoptr(MpModel) older = edited (platform, 2, "Vanha.");
  g_autoptr(MpModel) stored = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (platform);
  JsonObject *record;
  gint64 base_revision = 0;

  mp_model_set_text (file, MP_TEXT_PLACE, "Tampere");
  mp_model_set_stage_state (file, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  import = prepare (fixture->store, older, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_OLDER);
  g_clear_pointer (&import, mp_exchange_import_free);
  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  assert_strv (mp_exchange_import_get_fields (import, 0), "summary", NULL);
  assert_strv (mp_exchange_import_get_merged_fields (import, 0), "place", "stages.trials", NULL);
  apply (import);

  /* One-sided changes are merged; the field changed on both sides keeps
   * the text written here, and both texts wait in the conflict */
  stored = load (fixture->store, platform);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Minun tiivistelmäni.");
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_PLACE), ==, "Tampere");
  g_assert_cmpint (mp_model_get_stage_state (stored, MP_STAGE_TRIALS), ==, MP_STAGE_STATE_IN_PROGRESS);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  conflicts = mp_sync_store_get_conflicts (fixture->store, id);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  record = find_conflict (conflicts, "summary");
  g_assert_cmpstr (json_object_get_string_member (record, "base"), ==, mp_model_get_text (platform, MP_TEXT_SUMMARY));
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Heidän tiivistelmänsä.");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Minun tiivistelmäni.");
  /* Nothing goes to the platform before the person decides */
  g_assert_cmpuint (mp_sync_store_count_outbox (fixture->store, id, NULL), ==, 0);

  /* The file again: the bank's copy must be resolved first */
  g_clear_pointer (&import, mp_exchange_import_free);
  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_UNRESOLVED);
  apply (import);
  g_clear_pointer (&conflicts, json_node_unref);
  conflicts = mp_sync_store_get_conflicts (fixture->store, id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (find_conflict (conflicts, "summary"), "theirs"), ==,
                   "Heidän tiivistelmänsä.");

  /* Resolved as a sync conflict is, and queued as one */
  mp_sync_store_resolve_field (fixture->store, id, "summary", MP_RESOLVE_THEIRS, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = load (fixture->store, platform);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Heidän tiivistelmänsä.");
  g_assert_null (mp_sync_store_get_conflicts (fixture->store, id));
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  fields = queued_fields (fixture->store, id, &base_revision);
  g_assert_cmpint (base_revision, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (fields, "summary"), ==, "Heidän tiivistelmänsä.");
  g_assert_cmpstr (json_object_get_string_member (fields, "place"), ==, "Tampere");
  g_assert_true (json_object_has_member (fields, "stages"));
}

/* No common ancestor: every field in which the copies differ is for the
 * person to decide, nothing is taken on its own */
static void
test_merge_no_base (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MpModel) local = full_model ("Ohjaamo", 2);
  g_autoptr(MpModel) file = edited (local, 2, "Muualla kirjoitettu.");
  g_autoptr(MpModel) stored = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (local);
  JsonObject *record;
  gint64 base_revision = 0;

  save (fixture->store, local);
  mp_model_set_characteristic (file, 7, TRUE, "Asukkaat mukana.");
  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  assert_strv (mp_exchange_import_get_fields (import, 0), "summary", "characteristics.participation", NULL);
  g_assert_null (mp_exchange_import_get_merged_fields (import, 0)[0]);
  apply (import);

  stored = load (fixture->store, local);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, mp_model_get_text (local, MP_TEXT_SUMMARY));
  g_assert_false (mp_model_get_characteristic (stored, 7, NULL));
  conflicts = mp_sync_store_get_conflicts (fixture->store, id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 2);
  record = find_conflict (conflicts, "summary");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (record, "base")));
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Muualla kirjoitettu.");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, mp_model_get_text (local, MP_TEXT_SUMMARY));
  record = find_conflict (conflicts, "characteristics.participation");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (record, "theirs"), "has"));

  mp_sync_store_resolve_field (fixture->store, id, "summary", MP_RESOLVE_MERGED, "Yhdistetty teksti.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  mp_sync_store_resolve_field (fixture->store, id, "characteristics.participation", MP_RESOLVE_THEIRS, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&stored);
  stored = load (fixture->store, local);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Yhdistetty teksti.");
  g_assert_true (mp_model_get_characteristic (stored, 7, NULL));
  /* The bank's copy was revision 2 of the platform: the base of the push */
  fields = queued_fields (fixture->store, id, &base_revision);
  g_assert_cmpint (base_revision, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fields, "summary"), ==, "Yhdistetty teksti.");
  g_assert_true (json_object_has_member (fields, "characteristics"));
}

/* A private model never leaves the device: a file cannot make it public
 * on its own, and resolving its conflicts queues nothing */
static void
test_merge_private (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MpModel) local = full_model ("Oma luonnos", 0);
  g_autoptr(MpModel) file = NULL;
  g_autoptr(MpModel) stored = NULL;
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (local);

  mp_model_set_visibility (local, MP_VISIBILITY_PRIVATE);
  mp_store_save_model (fixture->store, local, &error);
  g_assert_no_error (error);
  file = edited (local, 0, "Toisella koneella.");
  mp_model_set_visibility (file, MP_VISIBILITY_PUBLIC);

  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  assert_strv (mp_exchange_import_get_fields (import, 0), "summary", "visibility", NULL);
  apply (import);
  stored = load (fixture->store, local);
  g_assert_cmpint (mp_model_get_visibility (stored), ==, MP_VISIBILITY_PRIVATE);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);

  mp_sync_store_resolve_field (fixture->store, id, "summary", MP_RESOLVE_THEIRS, NULL, &error);
  g_assert_no_error (error);
  mp_sync_store_resolve_field (fixture->store, id, "visibility", MP_RESOLVE_MINE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = load (fixture->store, local);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Toisella koneella.");
  g_assert_cmpint (mp_model_get_visibility (stored), ==, MP_VISIBILITY_PRIVATE);
  g_assert_cmpuint (mp_sync_store_count_outbox (fixture->store, id, NULL), ==, 0);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), !=, MP_SYNC_STATE_CONFLICT);
}

/* The bank changed between the preview and the confirmation: the import
 * follows the bank as it is then */
static void
test_merge_compared_again (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MpModel) platform = full_model ("Perhekeskus", 3);
  g_autoptr(MpModel) local = edited_here (fixture->store, platform, MP_TEXT_LESSONS, "Opittu täällä.");
  g_autoptr(MpModel) file = edited (platform, 3, "Heidän tiivistelmänsä.");
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  import = prepare (fixture->store, file, NULL);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_MERGED);

  mp_model_set_text (local, MP_TEXT_SUMMARY, "Minun tiivistelmäni.");
  mp_store_save_model (fixture->store, local, &error);
  g_assert_no_error (error);

  apply (import);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  conflicts = mp_sync_store_get_conflicts (fixture->store, mp_model_get_id (platform));
  g_assert_cmpstr (json_object_get_string_member (find_conflict (conflicts, "summary"), "mine"), ==,
                   "Minun tiivistelmäni.");
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
  ADD ("/exchange/merge/one-side", test_merge_one_side);
  ADD ("/exchange/merge/conflict", test_merge_conflict);
  ADD ("/exchange/merge/no-base", test_merge_no_base);
  ADD ("/exchange/merge/private", test_merge_private);
  ADD ("/exchange/merge/compared-again", test_merge_compared_again);
#undef ADD

  return g_test_run ();
}
