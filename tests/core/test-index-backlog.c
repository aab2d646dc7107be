/* test-index-backlog.c — deferred indexing, the index backlog and the
 * background indexer, on real SQLite files
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "mallipaja-core.h"

/* More than the store indexes by itself when it opens a bank whose
 * analyser changed (200), so that the backlog is left to the
 * indexer. */
#define N_LARGE 260

typedef struct
{
  char *dir;
  char *path;
  MpStore *store;
} Fixture;

/* Finnish words in forms the analysis maps to base forms and parts. */
static const char * const topics[] = {
  "lastensuojelussa", "perheille", "päihdepalveluihin", "nuorten", "ikääntyneiden",
  "kirjastoissa", "yrityksissä", "kotikäynneillä", "vapaaehtoiset", "koulutukseen",
  "asumisessa", "työllisyyttä", "mielenterveyspalvelut", "kaupungin", "vertaistuki",
};

/* Searched after every change: base forms, inflected forms, parts. */
static const char * const queries[] = {
  "lapsi", "perhe", "päihde", "nuori", "ikääntynyt", "kirjasto", "yritys", "käynti",
  "vapaaehtoinen", "koulutus", "asuminen", "työllisyys", "palvelu", "kaupunki", "tuki",
  "malli", "uimahalli", "kirjastoissa", "\"malli 12\"",
};

#define ID_1 "00000000-0000-4000-8000-000000000001"
#define ID_2 "00000000-0000-4000-8000-000000000002"
#define ID_3 "00000000-0000-4000-8000-000000000003"
#define ID_21 "00000000-0000-4000-8000-000000000021"

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

/* Ids are UUIDs; these are made from the number, to be found again. */
static char *
model_id (guint i)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
}

static MpModel *
make_model (guint i)
{
  MpModel *model = mp_model_new ();
  g_autofree char *id = model_id (i);
  g_autofree char *title = g_strdup_printf ("Malli %u", i);
  g_autofree char *summary = g_strdup_printf ("Tukea %s ja %s.", topics[i % G_N_ELEMENTS (topics)],
                                              topics[(i * 7 + 3) % G_N_ELEMENTS (topics)]);
  g_autofree char *body = g_strdup_printf ("Kokeilu %u: %s, %s.", i, topics[(i * 5 + 1) % G_N_ELEMENTS (topics)],
                                           topics[(i * 11 + 2) % G_N_ELEMENTS (topics)]);

  mp_model_set_id (model, id);
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "fi");
  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_SUMMARY, summary);
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, body);
  return model;
}

/* As the sync writes models: in the caller's transaction. */
static void
write_synced (MpStore *store,
              guint    first,
              guint    n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_store_begin (store, &error));
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(MpModel) model = make_model (i);

      mp_store_write_synced_model (store, model, &error);
      g_assert_no_error (error);
    }
  g_assert_true (mp_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
write_synced_model (MpStore *store,
                    MpModel *model)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_store_begin (store, &error));
  g_assert_true (mp_store_write_synced_model (store, model, &error));
  g_assert_true (mp_store_commit (store, &error));
  g_assert_no_error (error);
}

static guint
count_hits (MpStore    *store,
            const char *text)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;

  query->text = g_strdup (text);
  rowids = mp_store_query (store, query, &error);
  g_assert_no_error (error);
  return rowids->len;
}

/* The hits of every query, in their order, by id: two banks that index
 * alike give the same string. */
static char *
all_results (MpStore *store)
{
  GString *results = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(MpQuery) query = mp_query_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;

      query->text = g_strdup (queries[q]);
      rowids = mp_store_query (store, query, &error);
      g_assert_no_error (error);
      g_string_append_printf (results, "%s:", queries[q]);
      for (guint i = 0; i < rowids->len; i++)
        {
          g_autoptr(MpModelSummary) summary = mp_store_get_summary (store, g_array_index (rowids, gint64, i));

          g_string_append_printf (results, " %s", mp_model_summary_get_id (summary));
        }
      g_string_append_c (results, '\n');
    }
  return g_string_free (results, FALSE);
}

static void
drain (MpStore *store)
{
  g_autoptr(GError) error = NULL;
  guint remaining;

  do
    g_assert_true (mp_store_index_backlog_step (store, 50, &remaining, &error));
  while (remaining > 0);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count_index_backlog (store), ==, 0);
}

static void
set_analyser_signature (const char *path,
                        const char *signature)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE meta SET value = ?1 WHERE key = 'search-analyser'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, signature, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
has_table (const char *path,
           const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  found = sqlite3_column_int (stmt, 0) > 0;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return found;
}

static void
count_signal (gpointer  instance,
              int      *count)
{
  (*count)++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-backlog-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  mp_store_set_search_language (fixture->store, "fi");
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
reopen_after_change (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  mp_store_set_search_language (fixture->store, "fi");
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (fixture->store);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  mp_store_set_search_language (fixture->store, "fi");
}

/* tests */

static void
test_deferred (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) imported = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) edited = NULL;

  mp_store_set_defer_index (fixture->store, TRUE);
  write_synced (fixture->store, 0, 10);
  g_ptr_array_add (imported, make_model (10));
  g_assert_true (mp_store_import_models (fixture->store, imported, &error));
  g_assert_no_error (error);

  /* Written, listed, but not found by text until indexed. */
  g_assert_cmpuint (mp_store_count (fixture->store), ==, 11);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 11);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "lapsi"), ==, 0);

  /* A person's own edit is found at once, deferred or not. */
  edited = make_model (20);
  g_assert_true (mp_store_save_model (fixture->store, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 1);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 11);

  {
    guint remaining = 99;

    g_assert_true (mp_store_index_backlog_step (fixture->store, 4, &remaining, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (remaining, ==, 7);
    g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 5);
  }

  drain (fixture->store);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 12);
  g_assert_cmpuint (count_hits (fixture->store, "\"malli 7\""), ==, 1);

  /* Not deferred: indexed as written. */
  mp_store_set_defer_index (fixture->store, FALSE);
  write_synced (fixture->store, 30, 2);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 14);
}

static void
test_stale (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MpModel) model = make_model (1);
  g_autoptr(GError) error = NULL;

  mp_model_set_text (model, MP_TEXT_SUMMARY, "Kirjastoissa luetaan.");
  write_synced_model (fixture->store, model);
  g_assert_cmpuint (count_hits (fixture->store, "kirjasto"), ==, 1);

  /* Updated while deferred: the old text must not be found, not even
   * before the backlog is worked through. */
  mp_store_set_defer_index (fixture->store, TRUE);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Uimahalleissa uidaan.");
  write_synced_model (fixture->store, model);
  g_assert_cmpuint (count_hits (fixture->store, "kirjasto"), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "uimahalli"), ==, 0);
  {
    g_autoptr(MpModelSummary) summary = mp_store_get_summary_by_id (fixture->store, ID_1);

    g_assert_null (mp_store_snippet (fixture->store, mp_model_summary_get_rowid (summary), "kirjasto"));
  }

  /* Twice, and into Swedish: the entry is written once, in the last
   * language. */
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "sv");
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Simhallarna är öppna.");
  write_synced_model (fixture->store, model);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 1);

  drain (fixture->store);
  g_assert_cmpuint (count_hits (fixture->store, "kirjasto"), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "uimahalli"), ==, 0);
  mp_store_set_search_language (fixture->store, "sv");
  g_assert_cmpuint (count_hits (fixture->store, "simhall"), ==, 1);

  /* Deleted and purged while queued: the backlog lets go of it. */
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Ny text.");
  write_synced_model (fixture->store, model);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 1);
  g_assert_true (mp_store_delete_model (fixture->store, ID_1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_true (mp_store_restore_model (fixture->store, ID_1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_hits (fixture->store, "text"), ==, 1);

  write_synced (fixture->store, 2, 1);
  g_assert_true (mp_store_begin (fixture->store, &error));
  g_assert_true (mp_store_remove_synced_model (fixture->store, ID_2, &error));
  g_assert_true (mp_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
}

typedef struct
{
  const char *path;
  guint steps;
  GError *error;
} WorkerData;

static gpointer
drain_in_thread (gpointer user_data)
{
  WorkerData *data = user_data;
  g_autoptr(MpStore) store = mp_store_open (data->path, &data->error);
  guint remaining = 1;

  while (store != NULL && remaining > 0 &&
         mp_store_index_backlog_step (store, 25, &remaining, &data->error))
    data->steps++;
  return NULL;
}

/* The worker has a connection of its own, and the main connection saves
 * while it indexes: neither fails, and nothing is lost. */
static void
test_thread (Fixture       *fixture,
             gconstpointer  data)
{
  WorkerData worker = { fixture->path, 0, NULL };
  g_autofree char *drained = NULL;
  g_autofree char *rebuilt = NULL;
  GThread *thread;

  mp_store_set_defer_index (fixture->store, TRUE);
  write_synced (fixture->store, 0, 400);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 400);

  thread = g_thread_new ("indexer", drain_in_thread, &worker);
  for (guint i = 1000; i < 1040; i++)
    {
      g_autoptr(MpModel) model = make_model (i);
      g_autoptr(MpModel) update = make_model (i % 400);
      g_autoptr(GError) error = NULL;

      /* A person's edit and a synced update of a queued model. */
      g_assert_true (mp_store_save_model (fixture->store, model, &error));
      g_assert_no_error (error);
      mp_model_set_text (update, MP_TEXT_TITLE, "Uimahalli");
      write_synced_model (fixture->store, update);
    }
  g_thread_join (thread);
  g_assert_no_error (worker.error);
  g_assert_cmpuint (worker.steps, >=, 1);

  /* Models the sync queued after the worker's last look stay queued. */
  drain (fixture->store);
  /* 40 of the 400 were renamed, 40 more added */
  g_assert_cmpuint (count_hits (fixture->store, "uimahalli"), ==, 40);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 400);

  drained = all_results (fixture->store);
  g_assert_true (mp_store_reindex (fixture->store, NULL));
  rebuilt = all_results (fixture->store);
  g_assert_cmpstr (drained, ==, rebuilt);
}

/* Deferred, indexed, updated, deleted in every order: once drained, the
 * index answers as a full reindex and as a bank written in one go. */
static void
test_equals_reindex (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *drained = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *fresh = NULL;

  write_synced (fixture->store, 0, 30);
  mp_store_set_defer_index (fixture->store, TRUE);
  write_synced (fixture->store, 20, 30);
  for (guint i = 0; i < 50; i += 7)
    {
      g_autoptr(MpModel) model = make_model (i);

      mp_model_set_text (model, MP_TEXT_BASIC_IDEA, "Uimahalleissa ja kirjastoissa.");
      write_synced_model (fixture->store, model);
    }
  g_assert_true (mp_store_delete_model (fixture->store, ID_3, &error));
  g_assert_true (mp_store_delete_model (fixture->store, ID_21, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), >, 0);

  drain (fixture->store);
  drained = all_results (fixture->store);

  g_assert_true (mp_store_reindex (fixture->store, &error));
  g_assert_no_error (error);
  rebuilt = all_results (fixture->store);
  g_assert_cmpstr (drained, ==, rebuilt);

  {
    g_autofree char *path = g_build_filename (fixture->dir, "fresh.sqlite", NULL);
    g_autoptr(MpStore) store = mp_store_open (path, &error);

    g_assert_no_error (error);
    mp_store_set_search_language (store, "fi");
    write_synced (store, 0, 50);
    for (guint i = 0; i < 50; i += 7)
      {
        g_autoptr(MpModel) model = make_model (i);

        mp_model_set_text (model, MP_TEXT_BASIC_IDEA, "Uimahalleissa ja kirjastoissa.");
        write_synced_model (store, model);
      }
    g_assert_true (mp_store_delete_model (store, ID_3, &error));
    g_assert_true (mp_store_delete_model (store, ID_21, &error));
    fresh = all_results (store);
  }
  g_assert_cmpstr (drained, ==, fresh);
}

/* A bank indexed by another analyser is queued at open, not rebuilt:
 * the open takes milliseconds, and search works over what is done. */
static void
test_analyser_changed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  guint remaining;

  write_synced (fixture->store, 0, N_LARGE);
  before = all_results (fixture->store);
  g_assert_finalize_object (g_steal_pointer (&fixture->store));

  set_analyser_signature (fixture->path, "mp-analyser 0; an older one");
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  mp_store_set_search_language (fixture->store, "fi");
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_LARGE);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 0);
  g_assert_cmpuint (mp_store_count (fixture->store), ==, N_LARGE);
  /* The old index is set aside, not dropped (that reads all of it). */
  g_assert_true (has_table (fixture->path, "models_fts_stale"));

  /* Part of it, then a restart: the rest is still queued, and search
   * finds what is indexed. */
  g_assert_true (mp_store_index_backlog_step (fixture->store, 100, &remaining, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (remaining, ==, N_LARGE - 100);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 100);
  reopen (fixture);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_LARGE - 100);

  drain (fixture->store);
  after = all_results (fixture->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (has_table (fixture->path, "models_fts_stale"));
  g_assert_false (has_table (fixture->path, "models_fts_stale_data"));

  /* Changed again while the last one's table is still there. */
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  set_analyser_signature (fixture->path, "mp-analyser 0; an older one");
  reopen_after_change (fixture);
  g_assert_true (mp_store_index_backlog_step (fixture->store, 10, &remaining, &error));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  set_analyser_signature (fixture->path, "mp-analyser 0; yet another");
  reopen_after_change (fixture);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_LARGE);
  drain (fixture->store);
  {
    g_autofree char *again = all_results (fixture->store);

    g_assert_cmpstr (before, ==, again);
  }
  g_assert_false (has_table (fixture->path, "models_fts_stale"));

  /* A small bank is brought up to date at open. */
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  {
    g_autofree char *path = g_build_filename (fixture->dir, "small.sqlite", NULL);
    g_autoptr(MpStore) store = mp_store_open (path, &error);

    g_assert_no_error (error);
    write_synced (store, 0, 20);
    g_assert_finalize_object (g_steal_pointer (&store));
    set_analyser_signature (path, "mp-analyser 0; an older one");
    store = mp_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (mp_store_count_index_backlog (store), ==, 0);
    g_assert_cmpuint (count_hits (store, "malli"), ==, 20);
  }
}

static void
test_survives_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  mp_store_set_defer_index (fixture->store, TRUE);
  write_synced (fixture->store, 0, 12);
  reopen (fixture);

  /* Deferring is the store object's, not the bank's. */
  g_assert_false (mp_store_get_defer_index (fixture->store));
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 12);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 0);
  drain (fixture->store);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 12);
}

/* --reindex goes through the backlog and leaves none. */
static void
test_reindex (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int bank_changed = 0;

  write_synced (fixture->store, 0, N_LARGE);
  g_signal_connect (fixture->store, "bank-changed", G_CALLBACK (count_signal), &bank_changed);
  g_assert_true (mp_store_reindex (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bank_changed, ==, 1);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, N_LARGE);

  /* Queued only: nothing is found until the indexer has been. */
  g_assert_true (mp_store_queue_reindex (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bank_changed, ==, 2);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_LARGE);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, 0);
}

static void
on_remaining (MpIndexer *indexer,
              GParamSpec *pspec,
              GArray     *seen)
{
  guint remaining = mp_indexer_get_remaining (indexer);

  g_array_append_val (seen, remaining);
}

static void
wait_until_stopped (MpIndexer *indexer)
{
  while (mp_indexer_get_running (indexer))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_indexer (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MpIndexer) indexer = mp_indexer_new (fixture->store);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  int bank_changed = 0;
  int finished = 0;

  g_assert_false (mp_indexer_get_running (indexer));
  g_assert_cmpuint (mp_indexer_get_remaining (indexer), ==, 0);
  mp_indexer_start (indexer);
  g_assert_false (mp_indexer_get_running (indexer));

  /* Filling the backlog and saying so starts it. */
  mp_store_set_defer_index (fixture->store, TRUE);
  write_synced (fixture->store, 0, N_LARGE + MP_INDEXER_CHUNK);
  g_signal_connect (indexer, "notify::remaining", G_CALLBACK (on_remaining), seen);
  g_signal_connect (fixture->store, "bank-changed", G_CALLBACK (count_signal), &bank_changed);
  g_signal_connect (indexer, "finished", G_CALLBACK (count_signal), &finished);
  mp_store_emit_changed (fixture->store, NULL);
  g_assert_true (mp_indexer_get_running (indexer));
  g_assert_cmpuint (mp_indexer_get_remaining (indexer), ==, N_LARGE + MP_INDEXER_CHUNK);
  mp_indexer_start (indexer);

  /* The main connection keeps saving meanwhile. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(MpModel) model = make_model (5000 + i);
      g_autoptr(GError) error = NULL;

      g_assert_true (mp_store_save_model (fixture->store, model, &error));
      g_assert_no_error (error);
    }

  wait_until_stopped (indexer);
  g_assert_cmpuint (mp_indexer_get_remaining (indexer), ==, 0);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  /* The models did not change, only the index: "finished", not the
   * store's "bank-changed" (which only the emit above gave) */
  g_assert_cmpint (bank_changed, ==, 1);
  g_assert_cmpint (finished, ==, 1);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, N_LARGE + MP_INDEXER_CHUNK + 5);
  g_assert_cmpuint (seen->len, >=, 2);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint, i), <, g_array_index (seen, guint, i - 1));

  /* Stopped half-way, it leaves the rest queued for the next start. */
  g_assert_true (mp_store_queue_reindex (fixture->store, NULL));
  g_assert_true (mp_indexer_get_running (indexer));
  mp_indexer_stop (indexer);
  wait_until_stopped (indexer);
  g_assert_cmpuint (mp_indexer_get_remaining (indexer), ==, mp_store_count_index_backlog (fixture->store));
  mp_indexer_start (indexer);
  wait_until_stopped (indexer);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (count_hits (fixture->store, "malli"), ==, N_LARGE + MP_INDEXER_CHUNK + 5);

  g_signal_handlers_disconnect_by_data (fixture->store, &bank_changed);
  /* Progress told late, and the task, still hold the indexer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&indexer));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("MALLIPAJA_NO_VOIKKO");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/index-backlog/deferred", test_deferred);
  ADD ("/index-backlog/stale", test_stale);
  ADD ("/index-backlog/thread", test_thread);
  ADD ("/index-backlog/equals-reindex", test_equals_reindex);
  ADD ("/index-backlog/analyser-changed", test_analyser_changed);
  ADD ("/index-backlog/survives-reopen", test_survives_reopen);
  ADD ("/index-backlog/reindex", test_reindex);
  ADD ("/index-backlog/indexer", test_indexer);

#undef ADD

  return g_test_run ();
}
