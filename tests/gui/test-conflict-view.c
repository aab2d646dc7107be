/* test-conflict-view.c — the conflict banner and view say where the
 * conflicts come from (the platform, an imported file, or both), and a
 * file's text that a later pull pushed out of "theirs" stays visible and
 * can be chosen
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mp-gui-test.h"
#include "mp-gui-test-client.h"
#include "mp-application.h"
#include "mp-conflict-view.h"
#include "mp-exchange.h"
#include "mp-model-page.h"
#include "mp-sync.h"
#include "mp-test-server.h"
#include "mp-window.h"

#define ORG "Testilan yhdistys"
#define PASSWORD "salasana-123"
#define CREATED 1795600000

#define BANNER_PLATFORM "This model has changes on the platform that conflict with yours."
#define BANNER_FILE "This model has changes from an imported file that conflict with yours."
#define BANNER_BOTH "This model has changes on the platform and from an imported file that conflict with yours."
#define INTRO_PLATFORM "These fields were changed both on this device and on the platform. Choose which text " \
                       "to keep for each, or write one from both. Nothing is sent until every field is resolved."
#define INTRO_FILE "These fields were changed both on this device and in the imported file. Choose which " \
                   "text to keep for each, or write one from both. Nothing is sent until every field is resolved."
#define INTRO_BOTH "These fields were changed on this device and elsewhere: on the platform, in the imported " \
                   "file, or both. Choose which text to keep for each, or write one from them. Nothing is sent " \
                   "until every field is resolved."

static char *test_dir;
static MpApplication *app;

/* private helpers */

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
edit_text (MpStore    *store,
           const char *id,
           MpText      text,
           const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = load (store, id);

  mp_model_set_text (model, text, value);
  g_assert_true (mp_store_save_model (store, model, &error));
  g_assert_no_error (error);
}

static char *
save_new_model (MpStore    *store,
                const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, ORG);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alkuperäinen tiivistelmä");
  mp_model_set_visibility (model, MP_VISIBILITY_ORGANISATION);
  g_assert_true (mp_store_save_model (store, model, &error));
  g_assert_no_error (error);
  return g_strdup (mp_model_get_id (model));
}

/* Imports a .mallipaja file holding @model into @store, as the window's
 * import does, and asserts that it conflicts */
static void
import_conflicting (MpStore *store,
                    MpModel *model)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  g_ptr_array_add (models, model);
  data = mp_exchange_to_data (models, CREATED);
  import = mp_exchange_import_new_from_data (store, data, strlen (data), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mp_exchange_import_get_action (import, 0), ==, MP_EXCHANGE_CONFLICTING);
  g_assert_true (mp_exchange_import_apply (import, &error));
  g_assert_no_error (error);
}

/* The label below @root that shows @text, or NULL */
static GtkLabel *
find_label (gpointer    root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);
  return NULL;
}

static void
assert_label_shown (gpointer    root,
                    const char *text)
{
  GtkLabel *label = find_label (root, text);

  if (label == NULL)
    g_error ("No label shows “%s”", text);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
}

/* The button below @root for @action on @field, or NULL */
static GtkButton *
find_button (gpointer    root,
             const char *action,
             const char *field)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkActionable *button = g_ptr_array_index (buttons, i);
      GVariant *target = gtk_actionable_get_action_target_value (button);

      if (g_strcmp0 (gtk_actionable_get_action_name (button), action) == 0 && target != NULL &&
          g_str_equal (g_variant_get_string (target, NULL), field))
        return GTK_BUTTON (button);
    }
  return NULL;
}

static JsonObject *
find_record (JsonNode   *conflicts,
             const char *field)
{
  JsonArray *records = json_node_get_array (conflicts);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member (record, "field"), field) == 0)
        return record;
    }
  g_error ("No conflict on “%s”", field);
}

static MpConflictView *
find_conflict_view (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MP_IS_CONFLICT_VIEW (window))
        return MP_CONFLICT_VIEW (window);
    }
  return NULL;
}

static gboolean
one_field_left (gpointer data)
{
  return mp_conflict_view_get_n_fields (data) == 1;
}

static gboolean
no_conflict_view (gpointer data)
{
  return find_conflict_view () == NULL;
}

static MpWindow *
show_model (MpStore      *store,
            MpAutosaver  *autosaver,
            const char   *id,
            MpModelPage **page)
{
  MpWindow *window = g_object_ref (mp_window_new (NULL, store, autosaver));
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mp_window_show_model (window, id));
  mp_gui_test_run_main_loop (200);
  mp_gui_test_collect_widgets (GTK_WIDGET (window), MP_TYPE_MODEL_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  *page = g_ptr_array_index (pages, 0);
  return window;
}

static MpConflictView *
open_conflict_view (MpModelPage *page)
{
  MpConflictView *view;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.resolve-conflicts", NULL));
  view = find_conflict_view ();
  g_assert_nonnull (view);
  mp_gui_test_run_main_loop (200);
  return view;
}

static void
close_window (MpWindow *window)
{
  MpConflictView *view = find_conflict_view ();

  if (view != NULL)
    gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

/* tests */

/* Both devices changed the same field: the platform's words, as before */
static void
test_origin_platform (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autofree char *id = NULL;
  MpConflictView *view;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "platform-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "platform-b", "ville", PASSWORD);
  id = save_new_model (a.store, "Alustalla");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  edit_text (a.store, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  edit_text (b.store, id, MP_TEXT_SUMMARY, "Villen tiivistelmä");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  g_assert_cmpint (mp_sync_store_get_state (b.store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  g_assert_cmpint (mp_conflict_view_get_origin (b.store, id), ==, MP_CONFLICT_ORIGIN_PLATFORM);

  autosaver = mp_autosaver_new (b.store);
  window = show_model (b.store, autosaver, id, &page);
  g_assert_true (mp_model_page_get_sync_banner_shown (page));
  assert_label_shown (page, BANNER_PLATFORM);

  view = open_conflict_view (page);
  assert_label_shown (view, INTRO_PLATFORM);
  assert_label_shown (view, "On the Platform");
  assert_label_shown (view, "Maijan tiivistelmä");
  assert_label_shown (view, "Villen tiivistelmä");
  g_assert_null (find_label (view, "In the Imported File"));
  g_assert_null (find_button (view, "conflict.use-file", "summary"));
  g_assert_cmpstr (gtk_button_get_label (find_button (view, "conflict.use-theirs", "summary")), ==, "Use _Theirs");

  close_window (window);
}

/* A file's copy and this device changed the same field: the file's words,
 * and no second copy of the file's text */
static void
test_origin_file (void)
{
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpModel) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (test_dir, "file.sqlite", NULL);
  g_autofree char *id = NULL;
  MpConflictView *view;
  MpModelPage *page;
  MpWindow *window;

  store = mp_store_open (path, &error);
  g_assert_no_error (error);
  id = save_new_model (store, "Tiedostosta");
  copy = load (store, id);
  mp_model_set_text (copy, MP_TEXT_SUMMARY, "Tiedoston tiivistelmä");
  edit_text (store, id, MP_TEXT_SUMMARY, "Oma tiivistelmä");
  import_conflicting (store, copy);
  g_assert_cmpint (mp_conflict_view_get_origin (store, id), ==, MP_CONFLICT_ORIGIN_FILE);

  autosaver = mp_autosaver_new (store);
  window = show_model (store, autosaver, id, &page);
  g_assert_true (mp_model_page_get_sync_banner_shown (page));
  assert_label_shown (page, BANNER_FILE);

  view = open_conflict_view (page);
  assert_label_shown (view, INTRO_FILE);
  assert_label_shown (view, "In the Imported File");
  assert_label_shown (view, "Tiedoston tiivistelmä");
  assert_label_shown (view, "Oma tiivistelmä");
  g_assert_null (find_label (view, "On the Platform"));
  /* Theirs is the file's text: one button takes it */
  g_assert_null (find_button (view, "conflict.use-file", "summary"));
  g_assert_cmpstr (gtk_button_get_label (find_button (view, "conflict.use-theirs", "summary")), ==,
                   "Use the _File’s Version");

  gtk_widget_activate (GTK_WIDGET (find_button (view, "conflict.use-theirs", "summary")));
  g_assert_true (mp_gui_test_wait_until (no_conflict_view, NULL, 5));
  g_assert_null (mp_sync_store_get_conflicts (store, id));
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_SUMMARY), ==, "Tiedoston tiivistelmä");
  g_assert_false (mp_model_page_get_sync_banner_shown (page));

  close_window (window);
}

/* An import's conflict, then a pull on the same field before it was
 * resolved: the platform's text replaces the file's as theirs, and the
 * view shows the file's text as a third one, which can be chosen */
static void
test_file_then_pull (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpModel) copy = NULL;
  g_autoptr(MpModel) stored = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autofree char *id = NULL;
  JsonObject *record;
  GtkButton *use_file;
  MpConflictView *view;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "both-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "both-b", "ville", PASSWORD);
  id = save_new_model (a.store, "Kolmelta taholta");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  /* A copy of the platform's revision, edited elsewhere and brought here
   * in a file, while this device changed the same fields */
  copy = load (a.store, id);
  mp_model_set_text (copy, MP_TEXT_SUMMARY, "Tiedoston tiivistelmä");
  mp_model_set_text (copy, MP_TEXT_BASIC_IDEA, "Tiedoston ajatus");
  edit_text (b.store, id, MP_TEXT_SUMMARY, "Villen tiivistelmä");
  edit_text (b.store, id, MP_TEXT_BASIC_IDEA, "Villen ajatus");
  import_conflicting (b.store, copy);
  g_assert_cmpint (mp_conflict_view_get_origin (b.store, id), ==, MP_CONFLICT_ORIGIN_FILE);

  autosaver = mp_autosaver_new (b.store);
  window = show_model (b.store, autosaver, id, &page);
  assert_label_shown (page, BANNER_FILE);

  /* The platform changes one of them too, and this device pulls it */
  edit_text (a.store, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  mp_gui_test_run_main_loop (100);
  conflicts = mp_sync_store_get_conflicts (b.store, id);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 2);
  record = find_record (conflicts, "basic_idea");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Tiedoston ajatus");
  record = find_record (conflicts, "summary");
  g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Maijan tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Villen tiivistelmä");
  g_assert_cmpstr (json_object_get_string_member (record, MP_EXCHANGE_CONFLICT_FROM_FILE), ==,
                   "Tiedoston tiivistelmä");
  g_assert_cmpint (mp_conflict_view_get_origin (b.store, id), ==,
                   MP_CONFLICT_ORIGIN_PLATFORM | MP_CONFLICT_ORIGIN_FILE);
  g_assert_true (mp_model_page_get_sync_banner_shown (page));
  assert_label_shown (page, BANNER_BOTH);

  /* All three texts, each under its own heading */
  view = open_conflict_view (page);
  g_assert_cmpuint (mp_conflict_view_get_n_fields (view), ==, 2);
  assert_label_shown (view, INTRO_BOTH);
  assert_label_shown (view, "On the Platform");
  assert_label_shown (view, "In the Imported File");
  assert_label_shown (view, "On This Device (Yours)");
  assert_label_shown (view, "Maijan tiivistelmä");
  assert_label_shown (view, "Tiedoston tiivistelmä");
  assert_label_shown (view, "Villen tiivistelmä");
  g_assert_cmpstr (gtk_button_get_label (find_button (view, "conflict.use-theirs", "summary")), ==,
                   "Use the _Platform’s Version");
  use_file = find_button (view, "conflict.use-file", "summary");
  g_assert_nonnull (use_file);
  g_assert_cmpstr (gtk_button_get_label (use_file), ==, "Use the _File’s Version");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (use_file)));

  /* Choosing it resolves the field with the file's text; what is left
   * comes from the file only */
  gtk_widget_activate (GTK_WIDGET (use_file));
  /* A button's activation clicks it after a moment */
  g_assert_true (mp_gui_test_wait_until (one_field_left, view, 5));
  g_assert_cmpuint (mp_conflict_view_get_n_fields (view), ==, 1);
  stored = load (b.store, id);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Tiedoston tiivistelmä");
  g_clear_pointer (&conflicts, json_node_unref);
  conflicts = mp_sync_store_get_conflicts (b.store, id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  find_record (conflicts, "basic_idea");
  assert_label_shown (view, INTRO_FILE);
  assert_label_shown (page, BANNER_FILE);
  g_assert_null (find_label (view, "On the Platform"));

  gtk_widget_activate (GTK_WIDGET (find_button (view, "conflict.keep-mine", "basic_idea")));
  g_assert_true (mp_gui_test_wait_until (no_conflict_view, NULL, 5));
  g_assert_null (mp_sync_store_get_conflicts (b.store, id));
  g_clear_object (&stored);
  stored = load (b.store, id);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Tiedoston tiivistelmä");
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_BASIC_IDEA), ==, "Villen ajatus");
  g_assert_cmpint (mp_sync_store_get_state (b.store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_SUMMARY), ==, "Tiedoston tiivistelmä");
  g_assert_false (mp_model_page_get_sync_banner_shown (page));

  /* And it reaches the platform and the other device */
  mp_gui_test_client_sync_ok (&b);
  mp_gui_test_client_sync_ok (&a);
  g_clear_object (&stored);
  stored = load (a.store, id);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, "Tiedoston tiivistelmä");
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_BASIC_IDEA), ==, "Villen ajatus");

  close_window (window);
}

static void
set_characteristic (MpStore    *store,
                    const char *id,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = load (store, id);

  mp_model_set_characteristic (model, 7, TRUE, text);
  g_assert_true (mp_store_save_model (store, model, &error));
  g_assert_no_error (error);
}

/* The same after a pull, on a field that is not a text: the core cannot
 * take the file's value as a merged text, so it is shown with a hint
 * instead of a button */
static void
test_file_then_pull_not_text (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpModel) copy = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autofree char *id = NULL;
  const char *field;
  JsonObject *record;
  MpConflictView *view;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "not-text-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "not-text-b", "ville", PASSWORD);
  id = save_new_model (a.store, "Ominaisuudet");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  copy = load (a.store, id);
  mp_model_set_characteristic (copy, 7, TRUE, "Tiedoston perustelu");
  set_characteristic (b.store, id, "Villen perustelu");
  import_conflicting (b.store, copy);
  set_characteristic (a.store, id, "Maijan perustelu");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  conflicts = mp_sync_store_get_conflicts (b.store, id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  record = json_array_get_object_element (json_node_get_array (conflicts), 0);
  field = json_object_get_string_member (record, "field");
  g_assert_true (g_str_has_prefix (field, "characteristics."));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (record, MP_EXCHANGE_CONFLICT_FROM_FILE)));

  autosaver = mp_autosaver_new (b.store);
  window = show_model (b.store, autosaver, id, &page);
  assert_label_shown (page, BANNER_BOTH);
  view = open_conflict_view (page);
  assert_label_shown (view, "On the Platform");
  assert_label_shown (view, "In the Imported File");
  assert_label_shown (view, "On This Device (Yours)");
  assert_label_shown (view, "To use the file’s version, keep another one and then edit the model.");
  /* Each side as a person reads it, not as JSON */
  assert_label_shown (view, "The model has this characteristic\nMaijan perustelu");
  assert_label_shown (view, "The model has this characteristic\nTiedoston perustelu");
  assert_label_shown (view, "The model has this characteristic\nVillen perustelu");
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    mp_gui_test_collect_widgets (GTK_WIDGET (view), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      g_assert_null (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), "\"has\""));
  }
  g_assert_null (find_button (view, "conflict.use-file", field));
  g_assert_nonnull (find_button (view, "conflict.use-theirs", field));
  g_assert_nonnull (find_button (view, "conflict.keep-mine", field));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-conflict-view-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Not unique: a running Mallipaja must not take the test's windows */
  app = mp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/conflict-view/origin/platform", test_origin_platform);
  g_test_add_func ("/conflict-view/origin/file", test_origin_file);
  g_test_add_func ("/conflict-view/origin/file-then-pull", test_file_then_pull);
  g_test_add_func ("/conflict-view/origin/file-then-pull/not-text", test_file_then_pull_not_text);

  ret = g_test_run ();

  g_clear_object (&app);
  mp_gui_test_remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
