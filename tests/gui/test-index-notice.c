/* test-index-notice.c — the window says, quietly, while the search index
 * catches up in the background, and the list follows when it is done
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mp-gui-test.h"
#include "mp-window.h"

/* Several of the indexer's chunks */
#define N_MODELS (3 * MP_INDEXER_CHUNK + 17)

static char *test_dir;

typedef struct {
  MpStore     *store;
  MpAutosaver *autosaver;
  MpWindow    *window;
} Fixture;

/* private helpers */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* As a large sync pull writes them: deferred, in one transaction. */
static void
write_deferred (MpStore    *store,
                guint       first,
                guint       n,
                const char *word)
{
  g_autoptr(GError) error = NULL;

  mp_store_set_defer_index (store, TRUE);
  g_assert_true (mp_store_begin (store, &error));
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(MpModel) model = mp_model_new ();
      g_autofree char *title = g_strdup_printf ("%s %u", word, i);

      mp_model_set_text (model, MP_TEXT_TITLE, title);
      mp_model_set_text (model, MP_TEXT_SUMMARY, "Perheille ja lapsille kotikäynneillä.");
      mp_store_write_synced_model (store, model, &error);
      g_assert_no_error (error);
    }
  g_assert_true (mp_store_commit (store, &error));
  mp_store_set_defer_index (store, FALSE);
}

static GtkRevealer *
find_notice (MpWindow *window)
{
  g_autoptr(GPtrArray) revealers = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_REVEALER, revealers);
  for (guint i = 0; i < revealers->len; i++)
    {
      g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

      mp_gui_test_collect_widgets (g_ptr_array_index (revealers, i), GTK_TYPE_SPINNER, spinners);
      if (spinners->len > 0)
        return g_ptr_array_index (revealers, i);
    }
  g_assert_not_reached ();
}

static const char *
notice_text (GtkRevealer *notice)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (notice), GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, ==, 1);
  return gtk_label_get_label (g_ptr_array_index (labels, 0));
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for_notice (GtkRevealer *notice,
                 gboolean     shown)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL);

  while (gtk_revealer_get_reveal_child (notice) != shown && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_cmpint (gtk_revealer_get_reveal_child (notice), ==, shown);
}

static guint
count_listed (MpWindow   *window,
              const char *text)
{
  MpModelList *list = mp_window_get_model_list (window);
  g_autoptr(MpQuery) query = mp_query_copy (mp_model_list_get_query (list));
  g_autoptr(GArray) rowids = NULL;

  g_free (query->text);
  query->text = g_strdup (text);
  rowids = mp_store_query (mp_window_get_store (window), query, NULL);
  return rowids->len;
}

static void
wait_for_n_listed (MpWindow *window,
                   guint     n_items)
{
  GListModel *list = G_LIST_MODEL (mp_window_get_model_list (window));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL);

  while (g_list_model_get_n_items (list) != n_items && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n_items);
}

static void
type_search (MpWindow   *window,
             const char *text)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (g_ptr_array_index (entries, 0), text);
}

/* fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/bank-%u.sqlite", test_dir, ++counter);

  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  fixture->autosaver = mp_autosaver_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      mp_gui_test_run_main_loop (20);
      g_assert_finalize_object (fixture->window);
    }
  g_assert_finalize_object (fixture->autosaver);
  g_assert_finalize_object (fixture->store);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (mp_window_new (NULL, fixture->store, fixture->autosaver));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

/* tests */

static void
test_notice_at_start (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("Updating the search index: %u models left", N_MODELS);
  GtkRevealer *notice;

  write_deferred (fixture->store, 0, N_MODELS, "Zorblax");
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, N_MODELS);

  /* A backlog at start: the notice is there with the first frame. */
  open_window (fixture);
  notice = find_notice (fixture->window);
  g_assert_true (gtk_revealer_get_reveal_child (notice));
  g_assert_cmpstr (notice_text (notice), ==, expected);

  /* Gone when done, and the list of a search made meanwhile shows them
   * all without being asked again. */
  type_search (fixture->window, "zorblax");
  wait_for_notice (notice, FALSE);
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), ==, 0);
  g_assert_cmpuint (count_listed (fixture->window, "zorblax"), ==, N_MODELS);
  wait_for_n_listed (fixture->window, N_MODELS);
  /* once the transition is over, nothing of it is left on screen */
  mp_gui_test_run_main_loop (gtk_revealer_get_transition_duration (notice) + 200);
  g_assert_false (gtk_revealer_get_child_revealed (notice));
}

/* Other code (a sync pull) fills the backlog while the window is open:
 * the store's signal starts the indexer again. */
static void
test_notice_after_pull (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkRevealer *notice;

  open_window (fixture);
  notice = find_notice (fixture->window);
  mp_gui_test_run_main_loop (50);
  g_assert_false (gtk_revealer_get_reveal_child (notice));

  write_deferred (fixture->store, 0, N_MODELS, "Kvimbo");
  mp_store_emit_changed (fixture->store, NULL);
  g_assert_true (gtk_revealer_get_reveal_child (notice));
  g_assert_nonnull (strstr (notice_text (notice), "models left"));

  wait_for_notice (notice, FALSE);
  g_assert_cmpuint (count_listed (fixture->window, "kvimbo"), ==, N_MODELS);
}

/* Closing the window mid-way stops the indexer; the rest stays queued. */
static void
test_close_while_indexing (Fixture       *fixture,
                           gconstpointer  data)
{
  write_deferred (fixture->store, 0, N_MODELS, "Zorblax");
  open_window (fixture);
  g_assert_true (gtk_revealer_get_reveal_child (find_notice (fixture->window)));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  g_assert_cmpuint (mp_store_count_index_backlog (fixture->store), <=, N_MODELS);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-index-notice-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/gui/index-notice/at-start", test_notice_at_start);
  ADD ("/gui/index-notice/after-pull", test_notice_after_pull);
  ADD ("/gui/index-notice/close-while-indexing", test_close_while_indexing);

#undef ADD

  ret = g_test_run ();
  remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
