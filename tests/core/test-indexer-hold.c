/* test-indexer-hold.c — the background indexer waits while a sync pulls,
 * on real SQLite files
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mallipaja-core.h"

/* Several chunks, so that a run can be stopped half-way */
#define N_MODELS (4 * MP_INDEXER_CHUNK + 10)

typedef struct
{
  char *dir;
  MpStore *store;
  MpIndexer *indexer;
  guint finished;
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

/* As a sync page of many models writes them: deferred to the backlog,
 * then said with "bank-changed" */
static void
pull_models (Fixture *fixture,
             guint    first,
             guint    n)
{
  g_autoptr(GError) error = NULL;

  mp_store_set_defer_index (fixture->store, TRUE);
  g_assert_true (mp_store_begin (fixture->store, &error));
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(MpModel) model = mp_model_new ();
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autofree char *title = g_strdup_printf ("Malli %u", i);

      mp_model_set_id (model, id);
      mp_model_set_text (model, MP_TEXT_LANGUAGE, "fi");
      mp_model_set_text (model, MP_TEXT_TITLE, title);
      mp_model_set_text (model, MP_TEXT_SUMMARY, "Perheiden tuki kirjastoissa ja kouluissa.");
      mp_store_write_synced_model (fixture->store, model, &error);
      g_assert_no_error (error);
    }
  g_assert_true (mp_store_commit (fixture->store, &error));
  mp_store_set_defer_index (fixture->store, FALSE);
  mp_store_emit_changed (fixture->store, NULL);
}

static void
wait_until_stopped (MpIndexer *indexer)
{
  while (mp_indexer_get_running (indexer))
    g_main_context_iteration (NULL, TRUE);
}

/* Runs what the worker posted, without blocking */
static void
run_pending (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
on_finished (Fixture *fixture)
{
  fixture->finished++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-indexer-hold-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  fixture->indexer = mp_indexer_new (fixture->store);
  g_signal_connect_swapped (fixture->indexer, "finished", G_CALLBACK (on_finished), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mp_indexer_stop (fixture->indexer);
  wait_until_stopped (fixture->indexer);
  /* Progress told late, and the task, still hold the indexer */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->indexer);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* tests */

/* Held before the pull's pages come: the pages queue their models and
 * nothing takes the write lock; the release indexes them all */
static void
test_hold_during_pull (Fixture       *fixture,
                       gconstpointer  data)
{
  mp_indexer_hold (fixture->indexer);
  g_assert_true (mp_indexer_get_held (fixture->indexer));

  pull_models (fixture, 0, N_MODELS / 2);
  g_assert_false (mp_indexer_get_running (fixture->indexer));
  mp_indexer_start (fixture->indexer);
  g_assert_false (mp_indexer_get_running (fixture->indexer));
  pull_models (fixture, N_MODELS / 2, N_MODELS - N_MODELS / 2);
  run_pending ();
  g_assert_false (mp_indexer_get_running (fixture->indexer));
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_MODELS);
  g_assert_cmpuint (fixture->finished, ==, 0);

  mp_indexer_release (fixture->indexer);
  g_assert_false (mp_indexer_get_held (fixture->indexer));
  g_assert_true (mp_indexer_get_running (fixture->indexer));
  wait_until_stopped (fixture->indexer);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (mp_indexer_get_remaining (fixture->indexer), ==, 0);
  g_assert_cmpuint (fixture->finished, ==, 1);
}

/* A pull that starts while the indexer works: the run stops after its
 * chunk, without the main thread waiting for it, and goes on after */
static void
test_hold_mid_run (Fixture       *fixture,
                   gconstpointer  data)
{
  guint left;

  pull_models (fixture, 0, N_MODELS);
  g_assert_true (mp_indexer_get_running (fixture->indexer));

  mp_indexer_hold (fixture->indexer);
  wait_until_stopped (fixture->indexer);
  left = mp_store_count_index_backlog (fixture->store);
  g_assert_cmpuint (left, >, 0);
  g_assert_cmpuint (mp_indexer_get_remaining (fixture->indexer), ==, left);
  g_assert_cmpuint (fixture->finished, ==, 0);

  /* More pages: still nothing runs */
  pull_models (fixture, N_MODELS, 10);
  run_pending ();
  g_assert_false (mp_indexer_get_running (fixture->indexer));
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, left + 10);

  mp_indexer_release (fixture->indexer);
  g_assert_true (mp_indexer_get_running (fixture->indexer));
  wait_until_stopped (fixture->indexer);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (fixture->finished, ==, 1);
}

/* A sync that ends before the cancelled run has: the run goes on */
static void
test_release_before_stopped (Fixture       *fixture,
                             gconstpointer  data)
{
  pull_models (fixture, 0, N_MODELS);
  g_assert_true (mp_indexer_get_running (fixture->indexer));

  mp_indexer_hold (fixture->indexer);
  mp_indexer_release (fixture->indexer);
  /* The cancelled run ends, and another takes what was left */
  while (mp_store_count_index_backlog (fixture->store) > 0 || mp_indexer_get_running (fixture->indexer))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mp_indexer_get_remaining (fixture->indexer), ==, 0);
  g_assert_cmpuint (fixture->finished, ==, 1);
}

/* Holds count: two syncs (or windows) hold it, the last release starts it */
static void
test_holds_count (Fixture       *fixture,
                  gconstpointer  data)
{
  mp_indexer_hold (fixture->indexer);
  mp_indexer_hold (fixture->indexer);
  pull_models (fixture, 0, 20);
  mp_indexer_release (fixture->indexer);
  g_assert_true (mp_indexer_get_held (fixture->indexer));
  g_assert_false (mp_indexer_get_running (fixture->indexer));

  mp_indexer_release (fixture->indexer);
  g_assert_false (mp_indexer_get_held (fixture->indexer));
  g_assert_true (mp_indexer_get_running (fixture->indexer));
  wait_until_stopped (fixture->indexer);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);

  /* Released with nothing waiting: nothing runs */
  mp_indexer_hold (fixture->indexer);
  mp_indexer_release (fixture->indexer);
  g_assert_false (mp_indexer_get_running (fixture->indexer));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The analysis is not what is tested here */
  g_setenv ("MALLIPAJA_NO_VOIKKO", "1", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/indexer/hold/during-pull", test_hold_during_pull);
  ADD ("/indexer/hold/mid-run", test_hold_mid_run);
  ADD ("/indexer/hold/release-before-stopped", test_release_before_stopped);
  ADD ("/indexer/hold/count", test_holds_count);

#undef ADD

  return g_test_run ();
}
