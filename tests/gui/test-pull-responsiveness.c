/* test-pull-responsiveness.c — the main window during a pull of many
 * models from the real platform server: the search indexer waits for the
 * pull and catches up after it, the list keeps its selection and its place
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mp-gui-test.h"
#include "mp-model-json.h"
#include "mp-model-row.h"
#include "mp-sync-controller.h"
#include "mp-sync.h"
#include "mp-test-server.h"
#include "mp-window.h"

/* Pages of more than MP_SYNC_INDEX_INLINE_MAX changes, told as
 * "bank-changed" and left to the index backlog */
#define N_PULLED 400
#define PAGE_SIZE 80
#define N_LOCAL 12

static char *test_dir;

typedef struct {
  MpStore          *store;
  MpSyncController *controller;
  guint             pages;
  guint             backlog;    /* at the last page */
  gboolean          drained;    /* the backlog went down during the pull */
} Watch;

/* private helpers */

/* The platform's models, public, titled to fall between the local ones */
static char *
write_platform_models (void)
{
  g_autofree char *path = g_build_filename (test_dir, "platform.jsonl", NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_PULLED; i++)
    {
      g_autoptr(MpModel) model = mp_model_new ();
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i + 1);
      g_autofree char *title = g_strdup_printf ("Malli %03u b", i % 100);
      g_autofree char *doc = NULL;

      mp_model_set_id (model, id);
      mp_model_set_text (model, MP_TEXT_TITLE, title);
      mp_model_set_text (model, MP_TEXT_LANGUAGE, "fi");
      mp_model_set_text (model, MP_TEXT_ORGANISATION, "Testilan yhdistys");
      mp_model_set_text (model, MP_TEXT_SUMMARY, "Perheiden tuki kirjastoissa.");
      mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
      doc = mp_model_to_json_string (model, FALSE);
      g_string_append (lines, doc);
      g_string_append_c (lines, '\n');
    }
  g_file_set_contents (path, lines->str, lines->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
save_local_model (MpStore *store,
                  guint    i)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autofree char *title = g_strdup_printf ("Malli %03u a", i * 8);
  g_autoptr(GError) error = NULL;

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_visibility (model, MP_VISIBILITY_PRIVATE);
  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);
  return g_strdup (mp_model_get_id (model));
}

/* Runs after the window's handlers: what the pull left at each page */
static void
on_bank_changed (Watch *watch)
{
  guint backlog = mp_store_count_index_backlog (watch->store);

  if (!mp_sync_controller_get_running (watch->controller))
    return;
  if (watch->pages > 0 && backlog < watch->backlog)
    watch->drained = TRUE;
  watch->backlog = backlog;
  watch->pages++;
}

static gboolean
sync_done (gpointer data)
{
  return !mp_sync_controller_get_running (data);
}

static gboolean
backlog_empty (gpointer data)
{
  return mp_store_count_index_backlog (data) == 0;
}

/* The id of the row at the top of the list's view */
static char *
dup_top_row_id (GtkWidget *list)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *top_id = NULL;
  double top_y = G_MAXDOUBLE;

  mp_gui_test_collect_widgets (list, MP_TYPE_MODEL_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      MpModelSummary *summary = mp_model_row_get_summary (MP_MODEL_ROW (row));
      double x, y;

      if (summary == NULL || !gtk_widget_get_child_visible (gtk_widget_get_parent (row)) ||
          !gtk_widget_translate_coordinates (row, list, 0, 0, &x, &y))
        continue;
      if (y + gtk_widget_get_height (row) / 2.0 > 0 && y < top_y)
        {
          top_y = y;
          top_id = mp_model_summary_get_id (summary);
        }
    }
  return g_strdup (top_id);
}

/* tests */

static void
test_pull (void)
{
  g_autofree char *models_path = write_platform_models ();
  g_autoptr(MpTestServer) server = mp_test_server_new ("--import", models_path, NULL);
  g_autofree char *bank_path = g_build_filename (test_dir, "bank.sqlite", NULL);
  g_autofree char *url = g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));
  g_autofree char *shown_id = NULL;
  g_autofree char *top_before = NULL;
  g_autofree char *top_after = NULL;
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { 0 };
  GtkSingleSelection *selection;
  MpModelSummary *selected;
  GtkWidget *list;
  MpWindow *window;

  store = mp_store_open (bank_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_LOCAL; i++)
    {
      g_autofree char *id = save_local_model (store, i);

      if (i == N_LOCAL / 2)
        shown_id = g_steal_pointer (&id);
    }

  autosaver = mp_autosaver_new (store);
  watch.store = store;
  watch.controller = mp_sync_controller_new (store, autosaver);
  window = g_object_ref (mp_window_new (NULL, store, autosaver));
  mp_window_set_sync_controller (window, watch.controller);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mp_window_show_model (window, shown_id));
  mp_gui_test_run_main_loop (300);

  list = GTK_WIDGET (mp_gui_test_find_widget (window, GTK_TYPE_GRID_VIEW));
  selection = GTK_SINGLE_SELECTION (gtk_grid_view_get_model (GTK_GRID_VIEW (list)));
  top_before = dup_top_row_id (list);
  g_assert_nonnull (top_before);

  g_signal_connect_swapped (store, "bank-changed", G_CALLBACK (on_bank_changed), &watch);
  mp_sync_controller_set_platform (watch.controller, url, NULL);
  mp_sync_set_page_size (mp_sync_controller_get_sync (watch.controller), PAGE_SIZE);
  mp_sync_controller_sync_now (watch.controller);
  g_assert_true (mp_sync_controller_get_running (watch.controller));
  g_assert_true (mp_gui_test_wait_until (sync_done, watch.controller, 120));
  g_assert_cmpint (mp_sync_get_status (mp_sync_controller_get_sync (watch.controller)), ==,
                   MP_SYNC_STATUS_IDLE);
  g_assert_cmpuint (mp_store_count (store), ==, N_PULLED + N_LOCAL);

  /* The indexer left the write lock to the pull: the backlog only grew */
  g_assert_cmpuint (watch.pages, >=, N_PULLED / PAGE_SIZE);
  g_assert_false (watch.drained);
  g_assert_cmpuint (watch.backlog, ==, N_PULLED);

  /* …and catches up after it */
  g_assert_true (mp_gui_test_wait_until (backlog_empty, store, 120));

  /* The open model stayed selected, and the list where it was */
  mp_gui_test_run_main_loop (200);
  selected = gtk_single_selection_get_selected_item (selection);
  g_assert_nonnull (selected);
  g_assert_cmpstr (mp_model_summary_get_id (selected), ==, shown_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_PULLED + N_LOCAL);
  top_after = dup_top_row_id (list);
  g_assert_cmpstr (top_after, ==, top_before);

  g_signal_handlers_disconnect_by_data (store, &watch);
  mp_sync_controller_cancel (watch.controller);
  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (50);
  g_assert_finalize_object (window);
  g_clear_object (&watch.controller);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-pull-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);
  g_setenv ("MALLIPAJA_NO_VOIKKO", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/pull-responsiveness/window", test_pull);

  ret = g_test_run ();

  mp_gui_test_remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
