/* test-window.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <string.h>

#include "mp-gui-test.h"
#include "mp-model-page.h"
#include "mp-model-row.h"
#include "mp-window.h"

/* Words that no sample model contains, so that searches give exact sets */
#define WORD_A "zorblax"
#define WORD_B "kvimbo"

static char *test_dir;

typedef struct {
  MpStore     *store;
  MpAutosaver *autosaver;
  MpWindow    *window;
  GSettings   *settings;
  char        *id_a;   /* zorblax, loneliness, young people, trials */
  char        *id_b;   /* zorblax, loneliness, elderly people, need */
  char        *id_c;   /* kvimbo, housing, scaling */
} Fixture;

/* private helpers */

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

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

static char *
add_model (MpStore     *store,
           const char  *title,
           const char  *theme,
           const char  *target_group,
           const char  *region,
           MpStage      current)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GError) error = NULL;
  const char *themes[] = { theme, NULL };
  const char *target_groups[] = { target_group, NULL };
  const char *regions[] = { region, NULL };

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, "Testiyhdistys ry");
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_TARGET_GROUPS, target_groups);
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  for (guint stage = 0; stage < current; stage++)
    mp_model_set_stage_state (model, stage, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, current, MP_STAGE_STATE_IN_PROGRESS);

  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);

  return g_strdup (mp_model_get_id (model));
}

/* The search entry reports its text only after a delay, and the list view
 * builds rows on layout: both need the main loop to turn */
static void
wait_for_n_items (GListModel *model,
                  guint       n_items)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL);

  while (g_list_model_get_n_items (model) != n_items && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
}

/* The @nth widget of @type in depth-first order, the way the .ui lists them */
static gpointer
find_widget (gpointer root,
             GType    type,
             guint    nth)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), type, found);
  g_assert_cmpuint (found->len, >, nth);
  return g_ptr_array_index (found, nth);
}

static GtkStack *
find_stack_with_pages (gpointer    root,
                       const char *name1,
                       const char *name2)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), name1) != NULL &&
        gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), name2) != NULL)
      return g_ptr_array_index (stacks, i);
  g_assert_not_reached ();
}

static AdwStatusPage *
find_status_page (gpointer    root,
                  const char *title)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_title (g_ptr_array_index (pages, i)), title) == 0)
      return g_ptr_array_index (pages, i);
  return NULL;
}

static AdwComboRow *
find_combo_row (Fixture    *fixture,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), ADW_TYPE_COMBO_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_assert_not_reached ();
}

static guint
count_query (MpStore       *store,
             const MpQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = mp_store_query (store, query, &error);

  g_assert_no_error (error);
  return rowids->len;
}

/* The model list, not one of the combo rows' own list views */
static GListModel *
get_list (Fixture *fixture)
{
  g_autoptr(GPtrArray) list_views = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW, list_views);
  for (guint i = 0; i < list_views->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (list_views, i), "model-list"))
      return G_LIST_MODEL (gtk_grid_view_get_model (g_ptr_array_index (list_views, i)));
  g_assert_not_reached ();
}

/* The sidebar's search, not one of the combo rows' own */
static GtkEditable *
get_search_entry (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *placeholder = NULL;

      g_object_get (g_ptr_array_index (entries, i), "placeholder-text", &placeholder, NULL);
      if (g_strcmp0 (placeholder, "Search models") == 0)
        return g_ptr_array_index (entries, i);
    }
  g_assert_not_reached ();
}

static gboolean
list_has_id (GListModel *list,
             const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MpModelSummary) summary = g_list_model_get_item (list, i);

      if (g_strcmp0 (mp_model_summary_get_id (summary), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
search (Fixture    *fixture,
        const char *text,
        guint       expected)
{
  GtkEditable *entry = get_search_entry (fixture);

  gtk_editable_set_text (entry, text);
  wait_for_n_items (get_list (fixture), expected);
}

/* fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/bank-%u.sqlite", test_dir, ++counter);

  /* GSETTINGS_BACKEND=memory: every test starts from the defaults */
  fixture->settings = g_settings_new ("io.github.mallipaja.Mallipaja");
  g_settings_reset (fixture->settings, "filter-stage");
  g_settings_reset (fixture->settings, "filter-theme");
  g_settings_reset (fixture->settings, "filter-target-group");
  g_settings_reset (fixture->settings, "filter-region");
  g_settings_reset (fixture->settings, "filter-publication");

  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  mp_store_load_sample_bank (fixture->store, &error);
  g_assert_no_error (error);

  fixture->id_a = add_model (fixture->store, "Zorblax-kerho nuorille", "loneliness",
                             "young_people", "pirkanmaa", MP_STAGE_TRIALS);
  fixture->id_b = add_model (fixture->store, "Zorblax-kahvila ikäihmisille", "loneliness",
                             "elderly_people", "pirkanmaa", MP_STAGE_NEED);
  fixture->id_c = add_model (fixture->store, "Kvimbo-tori", "housing",
                             "residents", "lappi", MP_STAGE_SCALING);
  g_assert_cmpuint (mp_store_count (fixture->store), >=, 3);

  fixture->autosaver = mp_autosaver_new (fixture->store);
  fixture->window = g_object_ref (mp_window_new (NULL, fixture->store, fixture->autosaver));
  gtk_window_present (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->autosaver);
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->settings);
  g_free (fixture->id_a);
  g_free (fixture->id_b);
  g_free (fixture->id_c);
}

/* tests */

static void
test_window_shows_bank (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GListModel *list = get_list (fixture);
  AdwStatusPage *empty_page;

  g_assert_true (GTK_IS_SINGLE_SELECTION (list));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, mp_store_count (fixture->store));
  g_assert_true (list_has_id (list, fixture->id_a));

  /* Nothing is chosen yet: the content shows the "choose" status page */
  g_assert_null (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (list)));
  empty_page = find_status_page (fixture->window, "Choose a Model");
  g_assert_nonnull (empty_page);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty_page)));

  /* The list view made rows for what it shows, each bound to a summary */
  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), MP_TYPE_MODEL_ROW, rows);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      MpModelRow *row = g_ptr_array_index (rows, i);

      if (mp_model_row_get_summary (row) != NULL)
        g_assert_cmpstr (mp_model_row_get_status (row), !=, "");
    }
}

static void
test_window_search (Fixture       *fixture,
                    gconstpointer  data)
{
  GListModel *list = get_list (fixture);
  guint n_all = mp_store_count (fixture->store);
  GtkStack *list_stack;

  search (fixture, WORD_A, 2);
  g_assert_true (list_has_id (list, fixture->id_a));
  g_assert_true (list_has_id (list, fixture->id_b));

  /* Prefixes match as the person types */
  search (fixture, "kvimb", 1);
  g_assert_true (list_has_id (list, fixture->id_c));

  /* The row shows where it matched, the hit in bold */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean found = FALSE;

    mp_gui_test_run_main_loop (50);
    mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        GtkWidget *label = g_ptr_array_index (labels, i);

        if (gtk_widget_has_css_class (label, "search-snippet") && gtk_widget_get_visible (label))
          {
            g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "<b>"));
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  search (fixture, "qqqnothingmatchesthis", 0);
  list_stack = find_stack_with_pages (fixture->window, "list", "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
  g_assert_nonnull (find_status_page (fixture->window, "No Models Found"));

  /* The empty state's button shows everything again */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reset-search", NULL);
  wait_for_n_items (list, n_all);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "list");
}

static void
test_window_filters (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *list = get_list (fixture);
  g_autoptr(MpQuery) drafts = NULL;
  AdwComboRow *stage_row;
  int stage = -2;

  /* Filters come from GSettings… */
  search (fixture, WORD_A, 2);
  g_settings_set_string (fixture->settings, "filter-theme", "loneliness");
  wait_for_n_items (list, 2);
  g_settings_set_string (fixture->settings, "filter-region", "pirkanmaa");
  wait_for_n_items (list, 2);

  /* …and from the combo rows, and go back to GSettings */
  stage_row = find_combo_row (fixture, "_Stage");
  adw_combo_row_set_selected (stage_row, 1 + MP_STAGE_TRIALS);
  wait_for_n_items (list, 1);
  g_assert_true (list_has_id (list, fixture->id_a));
  g_object_get (fixture->window, "filter-stage", &stage, NULL);
  g_assert_cmpint (stage, ==, MP_STAGE_TRIALS);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "filter-stage"), ==, MP_STAGE_TRIALS);

  /* Filters combine with AND */
  g_object_set (fixture->window, "filter-target-group", "elderly_people", NULL);
  wait_for_n_items (list, 0);
  g_object_set (fixture->window, "filter-target-group", "", "filter-stage", MP_STAGE_NONE, NULL);
  wait_for_n_items (list, 2);

  /* Own drafts: the test models are among them */
  g_object_set (fixture->window, "filter-publication", "drafts", NULL);
  drafts = mp_query_new ();
  drafts->theme = g_strdup ("loneliness");
  drafts->region = g_strdup ("pirkanmaa");
  drafts->publication = MP_PUBLICATION_DRAFTS;
  search (fixture, "", count_query (fixture->store, drafts));
  g_assert_true (list_has_id (list, fixture->id_a));
  g_assert_true (list_has_id (list, fixture->id_b));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clear-filters", NULL);
  wait_for_n_items (list, mp_store_count (fixture->store));
  g_assert_cmpstr (g_settings_get_string (fixture->settings, "filter-theme"), ==, "");
  g_assert_cmpstr (g_settings_get_string (fixture->settings, "filter-publication"), ==, "any");
}

static void
test_window_unknown_filter_key (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *theme = NULL;

  /* A theme that left the taxonomy must not hide every model */
  g_object_set (fixture->window, "filter-theme", "no_such_theme", NULL);
  g_object_get (fixture->window, "filter-theme", &theme, NULL);
  g_assert_cmpstr (theme, ==, "");
  wait_for_n_items (get_list (fixture), mp_store_count (fixture->store));
}

static void
test_window_select (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (get_list (fixture));
  MpModelPage *page;
  int position = -1;

  search (fixture, WORD_B, 1);
  gtk_single_selection_set_selected (selection, 0);
  /* The page is made when the first model opens */
  page = find_widget (fixture->window, MP_TYPE_MODEL_PAGE, 0);
  g_assert_nonnull (mp_model_page_get_model (page));
  g_assert_cmpstr (mp_model_get_id (mp_model_page_get_model (page)), ==, fixture->id_c);

  /* Showing a model by id (a lineage link) selects it in the list */
  search (fixture, "", mp_store_count (fixture->store));
  g_assert_true (mp_window_show_model (fixture->window, fixture->id_a));
  g_assert_cmpstr (mp_model_get_id (mp_model_page_get_model (page)), ==, fixture->id_a);
  position = (int) gtk_single_selection_get_selected (selection);
  g_assert_cmpstr (mp_model_summary_get_id (gtk_single_selection_get_selected_item (selection)),
                   ==, fixture->id_a);
  g_assert_cmpint (position, >=, 0);
}

static void
test_window_new_model (Fixture       *fixture,
                       gconstpointer  data)
{
  GListModel *list = get_list (fixture);
  MpModelPage *page;
  guint n_before = mp_store_count (fixture->store);
  g_autoptr(MpModelSummary) stored = NULL;
  MpModelSummary *selected;
  GtkEditable *title_entry;
  GtkWidget *focus;
  MpModel *model;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-model", NULL);
  page = find_widget (fixture->window, MP_TYPE_MODEL_PAGE, 0);

  g_assert_cmpuint (mp_store_count (fixture->store), ==, n_before + 1);
  wait_for_n_items (list, n_before + 1);

  model = mp_model_page_get_model (page);
  g_assert_nonnull (model);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_TITLE), ==, "Untitled model");
  g_assert_true (mp_model_page_get_editing (page));

  /* The title takes the focus, to be named at once */
  title_entry = mp_model_editor_get_text_entry (mp_model_page_get_editor (page), MP_TEXT_TITLE);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (title_entry) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (title_entry)));

  stored = mp_store_get_summary_by_id (fixture->store, mp_model_get_id (model));
  g_assert_nonnull (stored);
  g_assert_true (mp_model_summary_get_is_draft (stored));

  selected = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (list));
  g_assert_nonnull (selected);
  g_assert_cmpstr (mp_model_summary_get_id (selected), ==, mp_model_get_id (model));
}

static void
test_window_delete_undo (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *list = get_list (fixture);
  guint n_all = mp_store_count (fixture->store);
  g_autoptr(GError) error = NULL;
  MpModelPage *page;

  g_assert_true (mp_window_show_model (fixture->window, fixture->id_c));
  page = find_widget (fixture->window, MP_TYPE_MODEL_PAGE, 0);

  /* What the page does when the person deletes a draft */
  mp_store_delete_model (fixture->store, fixture->id_c, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (page, "deleted", fixture->id_c, "Kvimbo-tori");
  g_assert_null (mp_model_page_get_model (page));
  wait_for_n_items (list, n_all - 1);
  g_assert_false (list_has_id (list, fixture->id_c));

  /* The toast's Undo button */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-delete", "s", fixture->id_c);
  wait_for_n_items (list, n_all);
  g_assert_true (list_has_id (list, fixture->id_c));
  g_assert_nonnull (mp_model_page_get_model (page));
  g_assert_cmpstr (mp_model_get_id (mp_model_page_get_model (page)), ==, fixture->id_c);
}

static void
test_window_focus_search (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *focus;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.focus-search", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (get_search_entry (fixture)) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (get_search_entry (fixture))));
}

static void
test_window_settings_size (Fixture       *fixture,
                           gconstpointer  data)
{
  int width = 0;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 600);

  g_settings_set_int (fixture->settings, "window-width", 900);
  g_object_get (fixture->window, "default-width", &width, NULL);
  g_assert_cmpint (width, ==, 900);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-window-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/gui/window/shows-bank", test_window_shows_bank);
  ADD ("/gui/window/search", test_window_search);
  ADD ("/gui/window/filters", test_window_filters);
  ADD ("/gui/window/unknown-filter-key", test_window_unknown_filter_key);
  ADD ("/gui/window/select", test_window_select);
  ADD ("/gui/window/new-model", test_window_new_model);
  ADD ("/gui/window/delete-undo", test_window_delete_undo);
  ADD ("/gui/window/focus-search", test_window_focus_search);
  ADD ("/gui/window/settings-size", test_window_settings_size);

#undef ADD

  ret = g_test_run ();
  remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
