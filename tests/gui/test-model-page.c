/* test-model-page.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-model-editor.h"
#include "mp-model-page.h"
#include "mp-stage-progress.h"
#include "mp-stage-row.h"

typedef struct {
  char        *dir;
  char        *path;
  MpStore     *store;
  MpAutosaver *autosaver;
  MpModel     *model;
  GtkWidget   *page;
} Fixture;

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_main_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-page-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->autosaver = mp_autosaver_new (fixture->store);

  fixture->model = mp_model_new ();
  mp_model_set_text (fixture->model, MP_TEXT_TITLE, "Perhekeskuksen olohuone");
  mp_model_set_text (fixture->model, MP_TEXT_SUMMARY, "Matalan kynnyksen kohtaamispaikka perheille.");
  mp_model_set_text (fixture->model, MP_TEXT_ORGANISATION, "Pirkanmaan hyvinvointialue");
  mp_model_set_text (fixture->model, MP_TEXT_BASIC_IDEA,
                     "Perheet tulevat olohuoneeseen ilman ajanvarausta.\n\n"
                     "- kahvia ja juttuseuraa\n- ohjausta palveluihin");
  mp_model_set_text (fixture->model, MP_TEXT_CORE, "Ovi on auki joka arkipäivä.");
  mp_model_set_stage_state (fixture->model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (fixture->model, MP_STAGE_IDEA, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_characteristic (fixture->model, 2, TRUE, "Perheet suunnittelivat tilan itse.");
  mp_store_save_model (fixture->store, fixture->model, &error);
  g_assert_no_error (error);

  fixture->page = g_object_ref_sink (mp_model_page_new (fixture->store, fixture->autosaver));
  mp_model_page_set_model (MP_MODEL_PAGE (fixture->page), fixture->model);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (fixture->page);
  mp_autosaver_flush (fixture->autosaver, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->autosaver);
  g_clear_object (&fixture->model);
  g_assert_finalize_object (fixture->store);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_read_view (Fixture       *fixture,
                gconstpointer  data)
{
  MpModelPage *page = MP_MODEL_PAGE (fixture->page);

  g_assert_true (mp_model_page_get_model (page) == fixture->model);
  g_assert_false (mp_model_page_get_editing (page));

  /* Filled sections show, empty ones are hidden as on the platform. */
  g_assert_true (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_BASIC_IDEA)));
  g_assert_true (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_CORE)));
  g_assert_true (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_SUMMARY)));
  g_assert_false (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_CONDITIONS)));
  g_assert_false (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_LESSONS)));
  g_assert_false (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_NEEDS)));
  g_assert_false (gtk_widget_get_visible (mp_model_page_get_read_section (page, MP_TEXT_PLACE)));

  /* The header shows the stage the model is at. */
  g_assert_cmpint (mp_stage_progress_get_current_stage (MP_STAGE_PROGRESS (mp_model_page_get_stage_progress (page))),
                   ==, MP_STAGE_IDEA);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (mp_model_page_get_stage_progress (page)),
                                       GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 2 of 6, Idea, in progress");

  /* A published model cannot be deleted, a draft can. */
  g_assert_true (gtk_widget_activate_action (fixture->page, "model.edit", NULL));
  g_assert_true (mp_model_page_get_editing (page));
  g_assert_true (gtk_widget_activate_action (fixture->page, "model.edit", NULL));
  g_assert_false (mp_model_page_get_editing (page));

  mp_model_page_set_model (page, NULL);
  g_assert_null (mp_model_page_get_model (page));
  mp_model_page_set_editing (page, TRUE);
  g_assert_false (mp_model_page_get_editing (page));
}

static void
test_edit_persists (Fixture       *fixture,
                    gconstpointer  data)
{
  MpModelPage *page = MP_MODEL_PAGE (fixture->page);
  MpModelEditor *editor = mp_model_page_get_editor (page);
  g_autoptr(MpStore) other = NULL;
  g_autoptr(MpModel) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextView *view;
  GtkTextBuffer *buffer;
  GtkTextIter end;

  mp_model_page_set_editing (page, TRUE);

  /* Loading the model filled the editor without writing anything back. */
  view = mp_model_editor_get_section_view (editor, MP_TEXT_BASIC_IDEA);
  g_assert_nonnull (view);
  buffer = gtk_text_view_get_buffer (view);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >, 0);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n\nLisäksi vertaisryhmä isille.", -1);
  g_assert_nonnull (strstr (mp_model_get_text (fixture->model, MP_TEXT_BASIC_IDEA), "vertaisryhmä isille"));
  g_assert_true (mp_autosaver_has_pending (fixture->autosaver));

  /* The autosaver writes it shortly after the typing stops, no Save. */
  run_main_loop_for (MP_AUTOSAVE_DELAY_MS + 400);
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));

  other = mp_store_open (fixture->path, &error);
  g_assert_no_error (error);
  reloaded = mp_store_load_model (other, mp_model_get_id (fixture->model), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (mp_model_get_text (reloaded, MP_TEXT_BASIC_IDEA), "vertaisryhmä isille"));

  /* Undo inside the text field works as in any text view. */
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
}

static void
test_entries_and_dates (Fixture       *fixture,
                        gconstpointer  data)
{
  MpModelEditor *editor = mp_model_page_get_editor (MP_MODEL_PAGE (fixture->page));
  MpStageRow *row = MP_STAGE_ROW (mp_model_editor_get_stage_row (editor, MP_STAGE_IDEA));
  GtkEditable *title = mp_model_editor_get_text_entry (editor, MP_TEXT_TITLE);
  GtkEditable *started = mp_stage_row_get_started_entry (row);

  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Perhekeskuksen olohuone");
  gtk_editable_set_text (title, "Perhekeskuksen olohuone 2.0");
  g_assert_cmpstr (mp_model_get_text (fixture->model, MP_TEXT_TITLE), ==, "Perhekeskuksen olohuone 2.0");

  /* An empty name cannot be saved: it is not written, and the row says so. */
  gtk_editable_set_text (title, "  ");
  g_assert_cmpstr (mp_model_get_text (fixture->model, MP_TEXT_TITLE), ==, "Perhekeskuksen olohuone 2.0");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (title), "error"));

  gtk_editable_set_text (started, "2025-02-30");
  g_assert_cmpstr (mp_model_get_stage_started (fixture->model, MP_STAGE_IDEA), ==, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (started), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (started)));

  /* Another change to the stages leaves the half-typed date alone. */
  mp_model_set_stage_notes (fixture->model, MP_STAGE_IDEA, "Ideoimme yhdessä perheiden kanssa.");
  g_assert_cmpstr (gtk_editable_get_text (started), ==, "2025-02-30");

  gtk_editable_set_text (started, "2025-02-28");
  g_assert_cmpstr (mp_model_get_stage_started (fixture->model, MP_STAGE_IDEA), ==, "2025-02-28");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (started), "error"));

  /* A change made elsewhere reaches the editor. */
  mp_model_set_text (fixture->model, MP_TEXT_PLACE, "Tampere");
  g_assert_cmpstr (gtk_editable_get_text (mp_model_editor_get_text_entry (editor, MP_TEXT_PLACE)), ==, "Tampere");
}

static void
test_stage_state (Fixture       *fixture,
                  gconstpointer  data)
{
  MpModelPage *page = MP_MODEL_PAGE (fixture->page);
  MpModelEditor *editor = mp_model_page_get_editor (page);
  MpStageProgress *progress = MP_STAGE_PROGRESS (mp_model_page_get_stage_progress (page));
  GtkWidget *row = mp_model_editor_get_stage_row (editor, MP_STAGE_TRIALS);
  GtkDropDown *dropdown;

  mp_model_page_set_editing (page, TRUE);
  g_assert_true (MP_IS_STAGE_ROW (row));
  dropdown = mp_stage_row_get_state_dropdown (MP_STAGE_ROW (row));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, MP_STAGE_STATE_NOT_STARTED);

  gtk_drop_down_set_selected (dropdown, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_model_get_stage_state (fixture->model, MP_STAGE_TRIALS), ==, MP_STAGE_STATE_DONE);
  /* Idea is still in progress, so it stays the current stage... */
  g_assert_cmpint (mp_model_get_current_stage (fixture->model), ==, MP_STAGE_IDEA);

  gtk_drop_down_set_selected (mp_stage_row_get_state_dropdown (MP_STAGE_ROW (mp_model_editor_get_stage_row (editor, MP_STAGE_IDEA))),
                              MP_STAGE_STATE_DONE);
  /* ...until it is done too. */
  g_assert_cmpint (mp_model_get_current_stage (fixture->model), ==, MP_STAGE_TRIALS);
  g_assert_cmpint (mp_stage_progress_get_current_stage (progress), ==, MP_STAGE_TRIALS);
  g_assert_cmpint (mp_stage_progress_get_state (progress, MP_STAGE_TRIALS), ==, MP_STAGE_STATE_DONE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress),
                                       GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 3 of 6, Trials, done");
}

static guint
count_widgets (GtkWidget *widget,
               GType      type)
{
  guint n = g_type_is_a (G_OBJECT_TYPE (widget), type);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child, type);

  return n;
}

static gboolean
has_label_with (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_with (child, text))
      return TRUE;

  return FALSE;
}

/* The editor is made when editing starts, loads only the model it edits,
 * and what is typed into it is saved as before. */
static void
test_editor_on_demand (Fixture       *fixture,
                       gconstpointer  data)
{
  MpModelPage *page = MP_MODEL_PAGE (fixture->page);
  g_autoptr(MpModel) other = mp_model_new ();
  g_autoptr(MpModel) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  MpModelEditor *editor;
  GtkEditable *place;

  g_assert_cmpuint (count_widgets (fixture->page, MP_TYPE_MODEL_EDITOR), ==, 0);

  g_assert_true (gtk_widget_activate_action (fixture->page, "model.edit", NULL));
  g_assert_cmpuint (count_widgets (fixture->page, MP_TYPE_MODEL_EDITOR), ==, 1);
  editor = mp_model_page_get_editor (page);
  g_assert_true (mp_model_editor_get_model (editor) == fixture->model);

  place = mp_model_editor_get_text_entry (editor, MP_TEXT_PLACE);
  gtk_editable_set_text (place, "Tampereen keskusta");
  g_assert_true (mp_autosaver_has_pending (fixture->autosaver));
  g_assert_true (gtk_widget_activate_action (fixture->page, "model.edit", NULL));
  /* "Done" wrote it */
  g_assert_false (mp_autosaver_has_pending (fixture->autosaver));
  reloaded = mp_store_load_model (fixture->store, mp_model_get_id (fixture->model), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (reloaded, MP_TEXT_PLACE), ==, "Tampereen keskusta");

  /* Browsing while reading leaves the editor alone… */
  mp_model_set_text (other, MP_TEXT_TITLE, "Toinen malli");
  mp_store_save_model (fixture->store, other, &error);
  g_assert_no_error (error);
  mp_model_page_set_model (page, other);
  g_assert_null (mp_model_editor_get_model (editor));

  /* …and asking for it, or editing, hands it the page's model; still one */
  g_assert_true (mp_model_page_get_editor (page) == editor);
  g_assert_true (mp_model_editor_get_model (editor) == other);
  g_assert_cmpstr (gtk_editable_get_text (mp_model_editor_get_text_entry (editor, MP_TEXT_TITLE)),
                   ==, "Toinen malli");
  mp_model_page_set_editing (page, TRUE);
  g_assert_cmpuint (count_widgets (fixture->page, MP_TYPE_MODEL_EDITOR), ==, 1);
  mp_model_page_set_editing (page, FALSE);
}

/* Dates read the same whatever the locale's short format: here (no
 * translation) "28 February 2025" */
static void
test_dates (Fixture       *fixture,
            gconstpointer  data)
{
  MpModelPage *page = MP_MODEL_PAGE (fixture->page);

  mp_model_set_stage_started (fixture->model, MP_STAGE_IDEA, "2025-02-28");
  mp_model_set_stage_finished (fixture->model, MP_STAGE_IDEA, "2025-03-05");
  /* The read view follows the model once the page is idle */
  run_main_loop_for (100);
  g_assert_true (has_label_with (fixture->page, "28 February 2025 – 5 March 2025"));
  g_assert_false (has_label_with (fixture->page, "2025-02-28"));
  g_assert_true (mp_model_page_get_model (page) == fixture->model);
}

static void
on_open_model (MpModelPage *page,
               const char  *id,
               char       **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_derive (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *opened = NULL;
  g_autoptr(MpModel) derived = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->page, "open-model", G_CALLBACK (on_open_model), &opened);
  g_assert_true (gtk_widget_activate_action (fixture->page, "model.derive", NULL));

  g_assert_nonnull (opened);
  g_assert_cmpstr (opened, !=, mp_model_get_id (fixture->model));
  derived = mp_store_load_model (fixture->store, opened, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_based_on_id (derived), ==, mp_model_get_id (fixture->model));

  /* The source's read view now links to the derived model. */
  mp_model_page_set_model (MP_MODEL_PAGE (fixture->page), derived);
  g_assert_true (mp_model_page_get_model (MP_MODEL_PAGE (fixture->page)) == derived);
  g_signal_handlers_disconnect_by_func (fixture->page, on_open_model, &opened);
}

static void
on_deleted (MpModelPage *page,
            const char  *id,
            const char  *title,
            char       **out)
{
  g_free (*out);
  *out = g_strdup_printf ("%s|%s", id, title);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *deleted = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(MpModel) gone = NULL;
  g_autoptr(MpModelSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mp_model_get_revision (fixture->model), ==, 0);
  g_signal_connect (fixture->page, "deleted", G_CALLBACK (on_deleted), &deleted);
  g_assert_true (gtk_widget_activate_action (fixture->page, "model.delete", NULL));

  expected = g_strdup_printf ("%s|%s", mp_model_get_id (fixture->model), "Perhekeskuksen olohuone");
  g_assert_cmpstr (deleted, ==, expected);
  g_assert_null (mp_model_page_get_model (MP_MODEL_PAGE (fixture->page)));

  gone = mp_store_load_model (fixture->store, mp_model_get_id (fixture->model), &error);
  g_assert_error (error, MP_ERROR, MP_ERROR_NOT_FOUND);
  g_assert_null (gone);
  summary = mp_store_get_summary_by_id (fixture->store, mp_model_get_id (fixture->model));
  g_assert_null (summary);
  g_signal_handlers_disconnect_by_func (fixture->page, on_deleted, &deleted);
}

static void
test_published_not_deletable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *deleted = NULL;

  g_signal_connect (fixture->page, "deleted", G_CALLBACK (on_deleted), &deleted);

  /* Synced from the platform: the store refuses, and the action is off. */
  mp_model_set_revision (fixture->model, 3);
  gtk_widget_activate_action (fixture->page, "model.delete", NULL);
  g_assert_null (deleted);
  g_assert_true (mp_model_page_get_model (MP_MODEL_PAGE (fixture->page)) == fixture->model);

  g_signal_handlers_disconnect_by_func (fixture->page, on_deleted, &deleted);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/model-page/read-view", Fixture, NULL, fixture_set_up, test_read_view, fixture_tear_down);
  g_test_add ("/model-page/edit-persists", Fixture, NULL, fixture_set_up, test_edit_persists, fixture_tear_down);
  g_test_add ("/model-page/entries-and-dates", Fixture, NULL, fixture_set_up, test_entries_and_dates, fixture_tear_down);
  g_test_add ("/model-page/editor-on-demand", Fixture, NULL, fixture_set_up, test_editor_on_demand, fixture_tear_down);
  g_test_add ("/model-page/dates", Fixture, NULL, fixture_set_up, test_dates, fixture_tear_down);
  g_test_add ("/model-page/stage-state", Fixture, NULL, fixture_set_up, test_stage_state, fixture_tear_down);
  g_test_add ("/model-page/derive", Fixture, NULL, fixture_set_up, test_derive, fixture_tear_down);
  g_test_add ("/model-page/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);
  g_test_add ("/model-page/published-not-deletable", Fixture, NULL, fixture_set_up, test_published_not_deletable, fixture_tear_down);

  return g_test_run ();
}
