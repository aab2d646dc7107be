/* test-autosave-merge.c — an autosave that comes after a pull (or an
 * import) wrote the same model merges with it instead of saving over it
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-test-sync.h"

typedef struct {
  char    *dir;
  char    *path;
  MpStore *store;   /* the app's: the page, the autosaver */
  MpStore *other;   /* another connection to the same file: the pull's worker */
  gint64   seq;
} Fixture;

/* helpers */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-autosave-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->other = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->other);
  g_assert_finalize_object (fixture->store);
  mp_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static MpModel *
new_model (MpVisibility visibility)
{
  MpModel *model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, "Perhekeskuksen olohuone");
  mp_model_set_text (model, MP_TEXT_ORGANISATION, MP_TEST_ORG);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alku");
  mp_model_set_text (model, MP_TEXT_CORE, "Ydin");
  mp_model_set_visibility (model, visibility);
  mp_model_set_modified (model, 1700000000);
  return model;
}

/* Writes @model as revision @revision of the platform through @store, as
 * the sync's pull writes a page of the change feed. */
static void
pull (Fixture *fixture,
      MpStore *store,
      MpModel *model,
      gint64   revision)
{
  g_autoptr(MpModel) copy = mp_model_copy (model);
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *change = json_object_new ();

  mp_model_set_revision (copy, revision);
  json_object_set_int_member (change, "seq", ++fixture->seq);
  json_object_set_string_member (change, "id", mp_model_get_id (copy));
  json_object_set_int_member (change, "revision", revision);
  json_object_set_member (change, "document", mp_model_to_json (copy));
  json_array_add_object_element (changes, change);
  g_assert_true (mp_sync_store_apply_page (store, changes, fixture->seq, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* A model the bank got from the platform at revision 3, loaded as the
 * page loads it. */
static MpModel *
load_synced (Fixture *fixture)
{
  g_autoptr(MpModel) model = new_model (MP_VISIBILITY_ORGANISATION);
  g_autoptr(GError) error = NULL;
  MpModel *loaded;

  pull (fixture, fixture->store, model, 3);
  loaded = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);
  return loaded;
}

static MpModel *
load (MpStore    *store,
      const char *id)
{
  g_autoptr(GError) error = NULL;
  MpModel *model = mp_store_load_model (store, id, &error);

  g_assert_no_error (error);
  return model;
}

static void
flush (MpAutosaver *autosaver)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_autosaver_flush (autosaver, &error));
  g_assert_no_error (error);
  g_assert_false (mp_autosaver_has_pending (autosaver));
}

/* The model's outbox as "base|fields" lines, in order. */
static GPtrArray *
outbox (MpStore    *store,
        const char *id)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (store),
                                       "SELECT base_revision, fields FROM outbox WHERE model_id = ?1 ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%" G_GINT64_FORMAT "|%s", (gint64) sqlite3_column_int64 (stmt, 0),
                                             (const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return lines;
}

/* The one queued edit of the model: its base revision and its fields. */
static JsonObject *
single_edit (MpStore    *store,
             const char *id,
             gint64      base_revision)
{
  g_autoptr(GPtrArray) lines = outbox (store, id);
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT "|", base_revision);
  g_autoptr(JsonNode) node = NULL;
  const char *line;

  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_assert_true (g_str_has_prefix (line, prefix));
  node = json_from_string (line + strlen (prefix), NULL);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
conflict_record (MpStore    *store,
                 const char *id,
                 const char *field)
{
  g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (store, id);
  JsonArray *records;

  g_assert_nonnull (conflicts);
  records = json_node_get_array (conflicts);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member (record, "field"), field) == 0)
        return json_object_ref (record);
    }
  g_assert_not_reached ();
}

static guint
n_conflicts (MpStore    *store,
             const char *id)
{
  g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (store, id);

  return conflicts != NULL ? json_array_get_length (json_node_get_array (conflicts)) : 0;
}

static void
assert_texts (MpModel    *model,
              const char *summary,
              const char *core)
{
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_SUMMARY), ==, summary);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_CORE), ==, core);
}

static void
assert_stored (MpStore    *store,
               const char *id,
               const char *summary,
               const char *core)
{
  g_autoptr(MpModel) stored = load (store, id);

  assert_texts (stored, summary, core);
}

static void
count_changed (MpModel    *model,
               const char *key,
               GPtrArray  *keys)
{
  g_ptr_array_add (keys, g_strdup (key));
}

static void
count_signal (guint *count)
{
  (*count)++;
}

/* tests */

/* Typed here and pulled meanwhile, in different fields: both are kept,
 * and only what was typed here goes to the platform, based on the
 * revision pulled. */
static void
test_different_fields (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MpModel) open = load_synced (fixture);
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(MpModel) theirs = mp_model_copy (open);
  g_autoptr(JsonObject) edit = NULL;
  const char *id = mp_model_get_id (open);
  guint model_changed = 0;

  mp_autosaver_watch (autosaver, open);
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  g_assert_true (mp_autosaver_is_pending (autosaver, open));

  /* The pull's worker writes revision 4 on its own connection while the
   * save waits for its timer. */
  mp_model_set_text (theirs, MP_TEXT_CORE, "Heidän ydin");
  mp_model_set_modified (theirs, 1700000600);
  pull (fixture, fixture->other, theirs, 4);
  g_signal_connect_swapped (fixture->store, "model-changed", G_CALLBACK (count_signal), &model_changed);

  flush (autosaver);
  assert_stored (fixture->store, id, "Minun tiivistelmä", "Heidän ydin");
  /* The open copy takes the pull: its next save cannot put the old core
   * back, and the page shows it. */
  assert_texts (open, "Minun tiivistelmä", "Heidän ydin");
  g_assert_cmpint (mp_model_get_revision (open), ==, 4);
  g_assert_cmpuint (model_changed, ==, 1);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  g_assert_cmpuint (n_conflicts (fixture->store, id), ==, 0);

  edit = single_edit (fixture->store, id, 4);
  g_assert_cmpuint (json_object_get_size (edit), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (edit, "summary"), ==, "Minun tiivistelmä");

  /* The next save has nothing to merge: the same queued edit grows. */
  mp_model_set_text (open, MP_TEXT_PLACE, "Tampere");
  flush (autosaver);
  g_clear_pointer (&edit, json_object_unref);
  edit = single_edit (fixture->store, id, 4);
  g_assert_cmpuint (json_object_get_size (edit), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (edit, "place"), ==, "Tampere");
  assert_stored (fixture->store, id, "Minun tiivistelmä", "Heidän ydin");

  g_signal_handlers_disconnect_by_data (fixture->store, &model_changed);
  mp_autosaver_unwatch (autosaver, open);
}

/* The same field typed here and pulled meanwhile: a sync conflict that
 * holds both texts, the text typed here in the model until the person
 * chooses, and nothing sent before. */
static void
test_same_field (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MpModel) open = load_synced (fixture);
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(MpModel) theirs = mp_model_copy (open);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonNode) batch = NULL;
  g_autoptr(GArray) entry_ids = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (open);

  mp_autosaver_watch (autosaver, open);
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  mp_model_set_text (theirs, MP_TEXT_SUMMARY, "Heidän tiivistelmä");
  mp_model_set_text (theirs, MP_TEXT_CORE, "Heidän ydin");
  pull (fixture, fixture->other, theirs, 4);

  flush (autosaver);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  g_assert_cmpuint (n_conflicts (fixture->store, id), ==, 1);
  record = conflict_record (fixture->store, id, "summary");
  g_assert_cmpstr (json_object_get_string_member (record, "base"), ==, "Alku");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Heidän tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Minun tiivistelmä");
  /* The other field came in without asking */
  assert_stored (fixture->store, id, "Minun tiivistelmä", "Heidän ydin");
  assert_texts (open, "Minun tiivistelmä", "Heidän ydin");

  /* Nothing goes to the platform while the conflict waits. */
  batch = mp_sync_store_next_batch (fixture->store, 10, &entry_ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (batch)), ==, 0);

  /* Typing on in the field in conflict: "Keep Mine" keeps the newest. */
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä, jatkettu");
  flush (autosaver);
  g_clear_pointer (&record, json_object_unref);
  record = conflict_record (fixture->store, id, "summary");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Heidän tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Minun tiivistelmä, jatkettu");

  mp_autosaver_unwatch (autosaver, open);
  g_assert_true (mp_sync_store_resolve_field (fixture->store, id, "summary", MP_RESOLVE_MINE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  edit = single_edit (fixture->store, id, 4);
  g_assert_cmpuint (json_object_get_size (edit), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (edit, "summary"), ==, "Minun tiivistelmä, jatkettu");
}

/* A resolution writes the model without a new revision or time: an edit
 * pending meanwhile merges with it too. */
static void
test_resolution_meanwhile (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MpModel) open = load_synced (fixture);
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(MpModel) theirs = mp_model_copy (open);
  g_autoptr(MpModel) reloaded = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (open);

  mp_autosaver_watch (autosaver, open);
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  mp_model_set_text (theirs, MP_TEXT_SUMMARY, "Heidän tiivistelmä");
  pull (fixture, fixture->other, theirs, 4);
  flush (autosaver);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);

  mp_model_set_text (open, MP_TEXT_CORE, "Minun ydin");
  g_assert_true (mp_sync_store_resolve_field (fixture->other, id, "summary", MP_RESOLVE_THEIRS, NULL, &error));
  g_assert_no_error (error);
  flush (autosaver);

  assert_stored (fixture->store, id, "Heidän tiivistelmä", "Minun ydin");
  assert_texts (open, "Heidän tiivistelmä", "Minun ydin");
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  edit = single_edit (fixture->store, id, 4);
  g_assert_cmpuint (json_object_get_size (edit), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (edit, "core"), ==, "Minun ydin");

  /* Nothing of it is written back when the model is let go. */
  mp_autosaver_unwatch (autosaver, open);
  reloaded = load (fixture->store, id);
  g_assert_true (mp_model_equal (reloaded, open));
}

/* A private model written by another writer (an import, another window):
 * merged as well, and never queued. */
static void
test_private (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MpModel) model = new_model (MP_VISIBILITY_PRIVATE);
  g_autoptr(MpModel) open = NULL;
  g_autoptr(MpModel) theirs = NULL;
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (model);

  g_assert_true (mp_store_save_model (fixture->store, model, &error));
  g_assert_no_error (error);
  open = load (fixture->store, id);
  theirs = load (fixture->other, id);
  mp_autosaver_watch (autosaver, open);
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  mp_model_set_text (open, MP_TEXT_PLACE, "Minun paikka");

  mp_model_set_text (theirs, MP_TEXT_CORE, "Tuotu ydin");
  mp_model_set_text (theirs, MP_TEXT_PLACE, "Tuotu paikka");
  mp_model_set_modified (theirs, 1700000600);
  g_assert_true (mp_store_begin (fixture->other, &error));
  g_assert_true (mp_store_write_synced_model (fixture->other, theirs, &error));
  g_assert_true (mp_store_commit (fixture->other, &error));
  g_assert_no_error (error);

  flush (autosaver);
  assert_stored (fixture->store, id, "Minun tiivistelmä", "Tuotu ydin");
  assert_texts (open, "Minun tiivistelmä", "Tuotu ydin");
  g_assert_cmpstr (mp_model_get_text (open, MP_TEXT_PLACE), ==, "Minun paikka");
  record = conflict_record (fixture->store, id, "place");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Tuotu paikka");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Minun paikka");
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  queued = outbox (fixture->store, id);
  g_assert_cmpuint (queued->len, ==, 0);

  mp_autosaver_unwatch (autosaver, open);
  g_assert_true (mp_sync_store_resolve_field (fixture->store, id, "place", MP_RESOLVE_THEIRS, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = outbox (fixture->store, id);
  g_assert_cmpuint (queued->len, ==, 0);
}

/* A draft the platform never saw, saved by another writer meanwhile: the
 * merged document goes as the whole document that creates it. */
static void
test_draft (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MpModel) model = new_model (MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) open = NULL;
  g_autoptr(MpModel) theirs = NULL;
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = mp_model_get_id (model);

  g_assert_true (mp_store_save_model (fixture->store, model, &error));
  g_assert_no_error (error);
  open = load (fixture->store, id);
  theirs = load (fixture->other, id);
  mp_autosaver_watch (autosaver, open);
  mp_model_set_text (open, MP_TEXT_SUMMARY, "Minun tiivistelmä");

  mp_model_set_text (theirs, MP_TEXT_CORE, "Toisen ikkunan ydin");
  mp_model_set_modified (theirs, 1700000600);
  g_assert_true (mp_store_save_model (fixture->other, theirs, &error));
  g_assert_no_error (error);

  flush (autosaver);
  assert_stored (fixture->store, id, "Minun tiivistelmä", "Toisen ikkunan ydin");
  edit = single_edit (fixture->store, id, 0);
  g_assert_cmpstr (json_object_get_string_member (edit, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (edit, "summary"), ==, "Minun tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (edit, "core"), ==, "Toisen ikkunan ydin");
  mp_autosaver_unwatch (autosaver, open);
}

static int
on_trace (unsigned  type,
          void     *context,
          void     *statement,
          void     *sql)
{
  g_ptr_array_add (context, g_strdup (sql));
  return 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* With nobody else writing, the save is the save it always was: the same
 * statements as mp_store_save_model(), plus one that reads the stamps (not
 * the document), and the open model is left alone. */
static void
test_fast_path (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MpModel) first = new_model (MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) second = new_model (MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) plain = NULL;
  g_autoptr(MpModel) watched = NULL;
  g_autoptr(MpAutosaver) autosaver = mp_autosaver_new (fixture->store);
  g_autoptr(GPtrArray) plain_sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) autosave_sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = mp_store_get_db (fixture->store);
  guint n_stamps = 0;

  /* Two models alike but for their ids, loaded as the page loads them */
  pull (fixture, fixture->store, first, 3);
  pull (fixture, fixture->store, second, 3);
  plain = load (fixture->store, mp_model_get_id (first));
  watched = load (fixture->store, mp_model_get_id (second));
  mp_autosaver_watch (autosaver, watched);
  mp_model_set_text (plain, MP_TEXT_SUMMARY, "Uusi tiivistelmä");
  mp_model_set_text (watched, MP_TEXT_SUMMARY, "Uusi tiivistelmä");
  g_signal_connect (watched, "changed", G_CALLBACK (count_changed), changed);

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, on_trace, plain_sql);
  mp_model_touch (plain);
  g_assert_true (mp_store_save_model (fixture->store, plain, &error));
  g_assert_no_error (error);
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, on_trace, autosave_sql);
  flush (autosaver);
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  for (guint i = 0; i < autosave_sql->len;)
    {
      const char *sql = g_ptr_array_index (autosave_sql, i);

      if (strstr (sql, "LEFT JOIN model_sync") != NULL)
        {
          g_assert_null (strstr (sql, "doc"));
          g_ptr_array_remove_index (autosave_sql, i);
          n_stamps++;
        }
      else
        i++;
    }
  g_assert_cmpuint (n_stamps, ==, 1);
  g_ptr_array_sort (plain_sql, compare_strings);
  g_ptr_array_sort (autosave_sql, compare_strings);
  g_assert_cmpuint (autosave_sql->len, ==, plain_sql->len);
  for (guint i = 0; i < plain_sql->len; i++)
    g_assert_cmpstr (g_ptr_array_index (autosave_sql, i), ==, g_ptr_array_index (plain_sql, i));

  /* Nothing of the bank was taken into the open model: at most the
   * autosaver's own new modified time */
  for (guint i = 0; i < changed->len; i++)
    g_assert_cmpstr (g_ptr_array_index (changed, i), ==, "modified");
  assert_stored (fixture->store, mp_model_get_id (watched), "Uusi tiivistelmä", "Ydin");
  g_signal_handlers_disconnect_by_data (watched, changed);
  mp_autosaver_unwatch (autosaver, watched);
}

typedef struct {
  MpAutosaver *autosaver;
  MpModel     *open;
  MpText       text;
  const char  *value;
  gboolean     typed;
} Typing;

/* What the sync controller does before each page; then the person types
 * on while the worker writes the page. */
static void
on_about_to_pull (Typing *typing)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_autosaver_flush (typing->autosaver, &error));
  g_assert_no_error (error);
  if (!typing->typed)
    mp_model_set_text (typing->open, typing->text, typing->value);
  typing->typed = TRUE;
}

static void
sync_ok (MpTestClient *client)
{
  g_autoptr(MpSyncSummary) summary = mp_test_client_sync_ok (client);
}

/* The real pull, from the real platform server, on its worker thread:
 * typing that lands while it writes a page is merged with the page. */
static void
test_real_pull (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) created = mp_test_client_create (a, "Kohtaamispaikka", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpModel) open = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *a_summary = NULL;
  g_autofree char *a_core = NULL;
  const char *id = mp_model_get_id (created);
  Typing typing = { 0 };

  mp_test_client_edit (a, id, MP_TEXT_CORE, "Ydin");
  sync_ok (a);
  sync_ok (b);

  open = load (b->store, id);
  autosaver = mp_autosaver_new (b->store);
  mp_autosaver_watch (autosaver, open);
  typing = (Typing) { autosaver, open, MP_TEXT_SUMMARY, "Villen tiivistelmä", FALSE };
  g_signal_connect_swapped (b->sync, "about-to-pull", G_CALLBACK (on_about_to_pull), &typing);

  /* Different fields */
  mp_test_client_edit (a, id, MP_TEXT_CORE, "Maijan ydin");
  sync_ok (a);
  sync_ok (b);
  g_assert_true (typing.typed);
  flush (autosaver);
  assert_stored (b->store, id, "Villen tiivistelmä", "Maijan ydin");
  assert_texts (open, "Villen tiivistelmä", "Maijan ydin");
  /* Queued on the revision pulled, unless the autosave's own timer came
   * during the sync, whose push then sent it */
  queued = outbox (b->store, id);
  if (queued->len > 0)
    {
      g_autoptr(JsonObject) edit = single_edit (b->store, id, mp_model_get_revision (open));

      g_assert_cmpuint (json_object_get_size (edit), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (edit, "summary"), ==, "Villen tiivistelmä");
    }
  sync_ok (b);
  sync_ok (a);
  a_summary = mp_test_client_text (a, id, MP_TEXT_SUMMARY);
  a_core = mp_test_client_text (a, id, MP_TEXT_CORE);
  g_assert_cmpstr (a_summary, ==, "Villen tiivistelmä");
  g_assert_cmpstr (a_core, ==, "Maijan ydin");

  /* The same field */
  mp_test_client_edit (a, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  sync_ok (a);
  typing = (Typing) { autosaver, open, MP_TEXT_SUMMARY, "Villen toinen tiivistelmä", FALSE };
  sync_ok (b);
  g_assert_true (typing.typed);
  flush (autosaver);
  g_assert_cmpint (mp_sync_store_get_state (b->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  record = conflict_record (b->store, id, "summary");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Maijan tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Villen toinen tiivistelmä");
  assert_stored (b->store, id, "Villen toinen tiivistelmä", "Maijan ydin");
  /* Nothing reaches the platform before the person chooses */
  sync_ok (b);
  sync_ok (a);
  g_clear_pointer (&a_summary, g_free);
  a_summary = mp_test_client_text (a, id, MP_TEXT_SUMMARY);
  g_assert_cmpstr (a_summary, ==, "Maijan tiivistelmä");

  g_signal_handlers_disconnect_by_data (b->sync, &typing);
  mp_autosaver_unwatch (autosaver, open);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/autosave-merge/different-fields", Fixture, NULL, fixture_set_up, test_different_fields,
              fixture_tear_down);
  g_test_add ("/autosave-merge/same-field", Fixture, NULL, fixture_set_up, test_same_field, fixture_tear_down);
  g_test_add ("/autosave-merge/resolution-meanwhile", Fixture, NULL, fixture_set_up, test_resolution_meanwhile,
              fixture_tear_down);
  g_test_add ("/autosave-merge/private", Fixture, NULL, fixture_set_up, test_private, fixture_tear_down);
  g_test_add ("/autosave-merge/draft", Fixture, NULL, fixture_set_up, test_draft, fixture_tear_down);
  g_test_add ("/autosave-merge/fast-path", Fixture, NULL, fixture_set_up, test_fast_path, fixture_tear_down);
  g_test_add_func ("/autosave-merge/real-pull", test_real_pull);

  return g_test_run ();
}
