/* test-autosave-race.c — the model page while a pull writes the model
 * being typed into: both sides' texts stay, on the page and in the bank
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-conflict-view.h"
#include "mp-gui-test.h"
#include "mp-model-editor.h"
#include "mp-model-page.h"

typedef struct {
  char        *dir;
  char        *path;
  MpStore     *store;    /* the views' */
  MpStore     *worker;   /* the pull's own connection to the same file */
  MpAutosaver *autosaver;
  GtkWidget   *window;
  MpModelPage *page;
  MpModel     *open;     /* the page's model, as first loaded */
  gint64       seq;
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

/* Writes @model as the platform's revision @revision on the worker's
 * connection, as MpSync's pull does, and tells the views' store when
 * @announce (the pull tells it after the page, on the main thread). */
static void
pull (Fixture  *fixture,
      MpModel  *model,
      gint64    revision,
      gboolean  announce)
{
  g_autoptr(MpModel) copy = mp_model_copy (model);
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  JsonObject *change = json_object_new ();

  mp_model_set_revision (copy, revision);
  json_object_set_int_member (change, "seq", ++fixture->seq);
  json_object_set_string_member (change, "id", mp_model_get_id (copy));
  json_object_set_int_member (change, "revision", revision);
  json_object_set_member (change, "document", mp_model_to_json (copy));
  json_array_add_object_element (changes, change);
  g_assert_true (mp_sync_store_apply_page_quietly (fixture->worker, changes, NULL, fixture->seq, TRUE, NULL, ids,
                                                   &error));
  g_assert_no_error (error);
  if (announce)
    mp_sync_store_emit_changed (fixture->store, ids);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-race-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->worker = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->autosaver = mp_autosaver_new (fixture->store);

  mp_model_set_text (model, MP_TEXT_TITLE, "Perhekeskuksen olohuone");
  mp_model_set_text (model, MP_TEXT_ORGANISATION, "Pirkanmaan hyvinvointialue");
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alku");
  mp_model_set_text (model, MP_TEXT_CORE, "Ydin");
  mp_model_set_visibility (model, MP_VISIBILITY_ORGANISATION);
  pull (fixture, model, 3, FALSE);
  fixture->open = mp_store_load_model (fixture->store, mp_model_get_id (model), &error);
  g_assert_no_error (error);

  fixture->window = gtk_window_new ();
  fixture->page = MP_MODEL_PAGE (mp_model_page_new (fixture->store, fixture->autosaver));
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
  mp_model_page_set_model (fixture->page, fixture->open);
  mp_model_page_set_editing (fixture->page, TRUE);
  mp_gui_test_run_main_loop (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (20);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));
  g_clear_object (&fixture->open);
  g_assert_finalize_object (fixture->autosaver);
  g_assert_finalize_object (fixture->worker);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Types into the editor's field, as the person does. */
static void
type_text (Fixture    *fixture,
           MpText      text,
           const char *value)
{
  MpModelEditor *editor = mp_model_page_get_editor (fixture->page);
  GtkEditable *entry = mp_model_editor_get_text_entry (editor, text);

  if (entry != NULL)
    gtk_editable_set_text (entry, value);
  else
    {
      GtkTextView *view = mp_model_editor_get_section_view (editor, text);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), value, -1);
    }
}

static char *
editor_text (Fixture *fixture,
             MpText   text)
{
  MpModelEditor *editor = mp_model_page_get_editor (fixture->page);
  GtkEditable *entry = mp_model_editor_get_text_entry (editor, text);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (entry != NULL)
    return g_strdup (gtk_editable_get_text (entry));
  buffer = gtk_text_view_get_buffer (mp_model_editor_get_section_view (editor, text));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
assert_editor_text (Fixture    *fixture,
                    MpText      text,
                    const char *expected)
{
  g_autofree char *shown = editor_text (fixture, text);

  g_assert_cmpstr (shown, ==, expected);
}

static void
assert_stored (Fixture    *fixture,
               const char *summary,
               const char *core)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) stored = mp_store_load_model (fixture->store, mp_model_get_id (fixture->open), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_SUMMARY), ==, summary);
  g_assert_cmpstr (mp_model_get_text (stored, MP_TEXT_CORE), ==, core);
}

static MpModel *
platform_copy (Fixture    *fixture,
               const char *summary,
               const char *core)
{
  MpModel *theirs = mp_model_copy (fixture->open);

  mp_model_set_text (theirs, MP_TEXT_SUMMARY, summary);
  mp_model_set_text (theirs, MP_TEXT_CORE, core);
  mp_model_set_modified (theirs, mp_model_get_modified (theirs) + 60);
  return theirs;
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mp_gui_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

/* tests */

/* The pull lands while an edit waits for its save: the page follows the
 * pull without dropping the typing, in the same model and editor. */
static void
test_pull_while_pending (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MpModel) theirs = platform_copy (fixture, "Alku", "Heidän ydin");

  type_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  g_assert_true (mp_autosaver_is_pending (fixture->autosaver, fixture->open));

  pull (fixture, theirs, 4, TRUE);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));
  g_assert_true (mp_model_page_get_model (fixture->page) == fixture->open);
  g_assert_cmpint (mp_model_get_revision (fixture->open), ==, 4);
  assert_editor_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  assert_editor_text (fixture, MP_TEXT_CORE, "Heidän ydin");
  assert_stored (fixture, "Minun tiivistelmä", "Heidän ydin");
  g_assert_false (mp_model_page_get_sync_banner_shown (fixture->page));

  /* Typing on is saved on top, and nothing puts the old core back */
  type_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä, jatkettu");
  mp_gui_test_run_main_loop (MP_AUTOSAVE_DELAY_MS + 300);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));
  assert_stored (fixture, "Minun tiivistelmä, jatkettu", "Heidän ydin");
  assert_editor_text (fixture, MP_TEXT_CORE, "Heidän ydin");
}

/* The page is told of the pull only after the autosave ran (typing
 * between the page's write and its announcement): the save merged, and the
 * announcement finds nothing to load. */
static void
test_typing_before_announcement (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(MpModel) theirs = platform_copy (fixture, "Alku", "Heidän ydin");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  pull (fixture, theirs, 4, FALSE);
  type_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  mp_gui_test_run_main_loop (MP_AUTOSAVE_DELAY_MS + 300);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));
  assert_stored (fixture, "Minun tiivistelmä", "Heidän ydin");
  assert_editor_text (fixture, MP_TEXT_CORE, "Heidän ydin");

  g_ptr_array_add (ids, g_strdup (mp_model_get_id (fixture->open)));
  mp_sync_store_emit_changed (fixture->store, ids);
  g_assert_true (mp_model_page_get_model (fixture->page) == fixture->open);
  assert_editor_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  assert_editor_text (fixture, MP_TEXT_CORE, "Heidän ydin");
}

/* The same field typed and pulled: the banner, the typed text on the
 * page, and both texts in the conflict view. */
static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MpModel) theirs = platform_copy (fixture, "Heidän tiivistelmä", "Heidän ydin");
  GtkWidget *view;

  g_assert_false (mp_model_page_get_sync_banner_shown (fixture->page));
  type_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  pull (fixture, theirs, 4, TRUE);

  g_assert_true (mp_model_page_get_sync_banner_shown (fixture->page));
  g_assert_cmpint (mp_sync_store_get_state (fixture->store, mp_model_get_id (fixture->open), NULL), ==,
                   MP_SYNC_STATE_CONFLICT);
  assert_editor_text (fixture, MP_TEXT_SUMMARY, "Minun tiivistelmä");
  assert_editor_text (fixture, MP_TEXT_CORE, "Heidän ydin");
  assert_stored (fixture, "Minun tiivistelmä", "Heidän ydin");

  view = mp_conflict_view_new (fixture->store, mp_model_get_id (fixture->open));
  gtk_window_present (GTK_WINDOW (view));
  mp_gui_test_run_main_loop (50);
  g_assert_cmpuint (mp_conflict_view_get_n_fields (MP_CONFLICT_VIEW (view)), ==, 1);
  g_assert_true (shows_label (view, "Heidän tiivistelmä"));
  g_assert_true (shows_label (view, "Minun tiivistelmä"));
  gtk_window_destroy (GTK_WINDOW (view));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/autosave-race/pull-while-pending", Fixture, NULL, fixture_set_up, test_pull_while_pending,
              fixture_tear_down);
  g_test_add ("/autosave-race/typing-before-announcement", Fixture, NULL, fixture_set_up,
              test_typing_before_announcement, fixture_tear_down);
  g_test_add ("/autosave-race/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);

  return g_test_run ();
}
