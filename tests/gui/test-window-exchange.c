/* test-window-exchange.c — the main window's Overview, import and export
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mp-exchange.h"
#include "mp-gui-test.h"
#include "mp-model-page.h"
#include "mp-overview.h"
#include "mp-sync-store.h"
#include "mp-window.h"

typedef struct {
  char        *dir;
  MpStore     *store;
  MpAutosaver *autosaver;
  MpWindow    *window;
} Fixture;

/* helpers */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-window-exchange-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  mp_store_load_sample_bank (fixture->store, &error);
  g_assert_no_error (error);
  fixture->autosaver = mp_autosaver_new (fixture->store);
  fixture->window = g_object_ref (mp_window_new (NULL, fixture->store, fixture->autosaver));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
destroy_other_windows (Fixture *fixture)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) fixture->window)
      gtk_window_destroy (l->data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  destroy_other_windows (fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->autosaver);
  g_clear_object (&fixture->store);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gpointer
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type))
      return l->data;
  return NULL;
}

static guint
count_toplevels (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint count = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type))
      count++;
  return count;
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* tests */

static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  MpOverview *overview;

  g_assert_null (find_toplevel (MP_TYPE_OVERVIEW));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.overview", NULL);
  overview = find_toplevel (MP_TYPE_OVERVIEW);
  g_assert_nonnull (overview);
  g_assert_true (mp_overview_get_model_list (overview) == mp_window_get_model_list (fixture->window));
  g_assert_cmpuint (mp_overview_get_statistics (overview)->n_models, ==, mp_store_count (fixture->store));

  /* One Overview a window */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.overview", NULL);
  g_assert_cmpuint (count_toplevels (MP_TYPE_OVERVIEW), ==, 1);

  gtk_window_destroy (GTK_WINDOW (overview));
  g_assert_null (find_toplevel (MP_TYPE_OVERVIEW));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.overview", NULL);
  g_assert_cmpuint (count_toplevels (MP_TYPE_OVERVIEW), ==, 1);
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  guint before = mp_store_count (fixture->store);

  g_ptr_array_add (models, mp_model_new ());
  mp_model_set_text (g_ptr_array_index (models, 0), MP_TEXT_TITLE, "Kylätalon kahvila");
  text = mp_exchange_to_data (models, 0);
  file = write_file (fixture, "one" MP_EXCHANGE_SUFFIX, text);

  mp_window_import_file (fixture->window, file);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Models?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "1 new model will be added.");
  /* Nothing is written before the person confirms */
  g_assert_cmpuint (mp_store_count (fixture->store), ==, before);

  adw_message_dialog_response (dialog, "import");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, before + 1);
}

static void
test_import_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  guint before = mp_store_count (fixture->store);
  char *title;

  g_ptr_array_add (models, mp_model_new ());
  mp_model_set_text (g_ptr_array_index (models, 0), MP_TEXT_TITLE, "Kylätalon kahvila");
  text = mp_exchange_to_data (models, 0);
  title = strstr (text, "Kylätalon");
  title[0] = 'k';
  file = write_file (fixture, "tampered" MP_EXCHANGE_SUFFIX, text);

  mp_window_import_file (fixture->window, file);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Import “tampered.mallipaja”");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "checksum"));
  g_assert_false (adw_message_dialog_has_response (dialog, "import"));
  g_assert_cmpuint (mp_store_count (fixture->store), ==, before);
}

/* A model edited here and, differently, in the file's copy: the preview
 * says what will be merged and what the person will choose, and the model
 * page shows the sync's conflict banner after the import */
static void
test_import_conflict (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GArray) rowids = mp_store_query (fixture->store, NULL, NULL);
  g_autoptr(MpModelSummary) summary = mp_store_get_summary (fixture->store, g_array_index (rowids, gint64, 0));
  g_autoptr(MpModel) original = mp_store_load_model (fixture->store, mp_model_summary_get_id (summary), NULL);
  g_autoptr(MpModel) local = mp_model_copy (original);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *to_choose = NULL;
  const char *id = mp_model_get_id (original);
  AdwMessageDialog *dialog;
  AdwActionRow *conflict_row = NULL;
  MpModelPage *page = NULL;

  mp_model_set_text (local, MP_TEXT_SUMMARY, "Täällä kirjoitettu tiivistelmä.");
  mp_store_save_model (fixture->store, local, &error);
  g_assert_no_error (error);

  g_ptr_array_add (models, mp_model_copy (original));
  mp_model_set_text (g_ptr_array_index (models, 0), MP_TEXT_SUMMARY, "Muualla kirjoitettu tiivistelmä.");
  text = mp_exchange_to_data (models, 0);
  file = write_file (fixture, "diverged" MP_EXCHANGE_SUFFIX, text);

  mp_window_import_file (fixture->window, file);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Models?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 model will be merged"));
  g_assert_true (adw_message_dialog_has_response (dialog, "import"));

  mp_gui_test_collect_widgets (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)),
                   mp_model_get_text (original, MP_TEXT_TITLE)) == 0)
      conflict_row = g_ptr_array_index (rows, i);
  g_assert_nonnull (conflict_row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (conflict_row), "will merge, 1 field needs your choice"));
  to_choose = g_strdup_printf ("To choose: %s", mp_text_label (MP_TEXT_SUMMARY));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (conflict_row), to_choose));
  /* Nothing is written before the person confirms */
  g_assert_null (mp_sync_store_get_conflicts (fixture->store, id));

  adw_message_dialog_response (dialog, "import");
  conflicts = mp_sync_store_get_conflicts (fixture->store, id);
  g_assert_nonnull (conflicts);
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);

  g_assert_true (mp_window_show_model (fixture->window, id));
  mp_gui_test_run_main_loop (100);
  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), MP_TYPE_MODEL_PAGE, pages);
  g_assert_cmpuint (pages->len, >=, 1);
  page = g_ptr_array_index (pages, 0);
  g_assert_cmpstr (mp_model_get_id (mp_model_page_get_model (page)), ==, id);
  g_assert_true (mp_model_page_get_sync_banner_shown (page));
  /* The page shows the text written here until the person chooses */
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_SUMMARY), ==,
                   "Täällä kirjoitettu tiivistelmä.");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/window-exchange/overview", test_overview);
  ADD ("/window-exchange/import", test_import);
  ADD ("/window-exchange/import-refused", test_import_refused);
  ADD ("/window-exchange/import-conflict", test_import_conflict);
#undef ADD

  return g_test_run ();
}
