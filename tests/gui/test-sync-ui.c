/* test-sync-ui.c — the sync's widgets against the real platform server:
 * the header-bar status, the list's badges, the conflict banner and view
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
#include "mp-model-page.h"
#include "mp-model-row.h"
#include "mp-sign-in-dialog.h"
#include "mp-sync-controller.h"
#include "mp-sync-indicator.h"
#include "mp-sync.h"
#include "mp-test-server.h"
#include "mp-window.h"

#define ORG "Testilan yhdistys"
#define PASSWORD "salasana-123"

static char *test_dir;
static MpApplication *app;

/* private helpers */

static MpModelRow *
find_row (MpWindow   *window,
          const char *id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (window), MP_TYPE_MODEL_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      MpModelSummary *summary = mp_model_row_get_summary (g_ptr_array_index (rows, i));

      if (summary != NULL && g_strcmp0 (mp_model_summary_get_id (summary), id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static gboolean
text_starts_with_synced (gpointer data)
{
  return g_str_has_prefix (mp_sync_indicator_get_text (data), "Synced at");
}

static gboolean
text_starts_with_syncing (gpointer data)
{
  return g_str_has_prefix (mp_sync_indicator_get_text (data), "Syncing") ||
         g_str_has_prefix (mp_sync_indicator_get_text (data), "Sending");
}

static void
edit_text (MpStore    *store,
           const char *id,
           MpText      text,
           const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (store, id, &error);

  g_assert_no_error (error);
  mp_model_set_text (model, text, value);
  g_assert_true (mp_store_save_model (store, model, &error));
  g_assert_no_error (error);
}

static char *
save_new_model (MpStore      *store,
                const char   *title,
                MpVisibility  visibility)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_model_new ();

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, ORG);
  mp_model_set_visibility (model, visibility);
  g_assert_true (mp_store_save_model (store, model, &error));
  g_assert_no_error (error);
  return g_strdup (mp_model_get_id (model));
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
no_conflict_view (gpointer data)
{
  return find_conflict_view () == NULL;
}

/* tests */

/* The application's own window and sync: the status goes from syncing to
 * synced after app.sync */
static void
test_status_after_sync_action (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autofree char *url = mp_gui_test_root_url (server);
  MpSyncController *controller;
  MpSyncIndicator *indicator;
  GtkWindow *window;

  g_setenv ("MALLIPAJA_PLATFORM_URL", url, TRUE);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (MP_IS_WINDOW (window));
  controller = mp_application_get_sync_controller (app);
  g_assert_nonnull (controller);
  indicator = mp_gui_test_find_widget (window, MP_TYPE_SYNC_INDICATOR);

  /* The platform is found reachable and read once at start */
  g_assert_true (mp_gui_test_wait_until (text_starts_with_synced, indicator, 20));
  g_assert_cmpstr (mp_sync_controller_get_platform_url (controller), ==, url);
  g_assert_false (mp_sync_controller_get_running (controller));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (mp_sync_controller_get_running (controller));
  g_assert_true (text_starts_with_syncing (indicator));
  g_assert_true (mp_gui_test_wait_until (text_starts_with_synced, indicator, 20));
  g_assert_false (mp_sync_controller_get_running (controller));
  g_assert_cmpint (mp_sync_controller_get_last_sync (controller), >, 0);

  /* Stopped syncs say so, and leave the status as it was */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "cancel-sync", NULL);
  g_assert_true (mp_gui_test_wait_until (text_starts_with_synced, indicator, 20));

  /* An unreachable platform is a failure with its reason */
  mp_test_server_stop (server);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (mp_sync_controller_get_running (controller) && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_false (mp_sync_controller_get_running (controller));
  g_assert_cmpstr (mp_sync_indicator_get_text (indicator), ==, "Sync failed");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (mp_gui_test_find_widget (indicator, GTK_TYPE_MENU_BUTTON)),
                            "could not be reached"));

  gtk_window_destroy (window);
  mp_gui_test_run_main_loop (20);
  g_unsetenv ("MALLIPAJA_PLATFORM_URL");
}

/* The list's badges: only here, waiting to sync, synced, in words */
static void
test_row_badges (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) client = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autofree char *private_id = NULL;
  g_autofree char *shared_id = NULL;
  g_autofree char *synced_id = NULL;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_gui_test_client_init (&client, server, test_dir, "badges", "maija", PASSWORD);
  synced_id = save_new_model (client.store, "Jo lähetetty", MP_VISIBILITY_ORGANISATION);
  mp_gui_test_client_sync_ok (&client);
  private_id = save_new_model (client.store, "Yksityinen luonnos", MP_VISIBILITY_PRIVATE);
  shared_id = save_new_model (client.store, "Odottaa lähetystä", MP_VISIBILITY_ORGANISATION);

  autosaver = mp_autosaver_new (client.store);
  window = g_object_ref (mp_window_new (NULL, client.store, autosaver));
  gtk_window_present (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (200);

  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, private_id)), ==, "Only here");
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, shared_id)), ==, "Waiting to sync");
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, synced_id)), ==, "Synced");

  /* The badge follows the sync without the list being rebuilt by hand */
  mp_gui_test_client_sync_ok (&client);
  mp_gui_test_run_main_loop (100);
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, shared_id)), ==, "Synced");
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, private_id)), ==, "Only here");

  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

/* Two devices change the same field: the banner shows, the conflict view
 * keeps mine, the banner goes and one push waits */
static void
test_conflict_keep_mine (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpModel) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  MpConflictView *view;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "conflict-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "conflict-b", "ville", PASSWORD);

  id = save_new_model (a.store, "Kiistelty", MP_VISIBILITY_ORGANISATION);
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  edit_text (a.store, id, MP_TEXT_BASIC_IDEA, "Ajatus A:n mukaan");
  edit_text (b.store, id, MP_TEXT_BASIC_IDEA, "Ajatus B:n mukaan");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  g_assert_cmpint (mp_sync_store_get_state (b.store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);

  autosaver = mp_autosaver_new (b.store);
  window = g_object_ref (mp_window_new (NULL, b.store, autosaver));
  gtk_window_present (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (200);
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, id)), ==, "Conflict");

  g_assert_true (mp_window_show_model (window, id));
  page = mp_gui_test_find_widget (window, MP_TYPE_MODEL_PAGE);
  g_assert_true (mp_model_page_get_sync_banner_shown (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.resolve-conflicts", NULL));
  view = find_conflict_view ();
  g_assert_nonnull (view);
  g_assert_cmpuint (mp_conflict_view_get_n_fields (view), ==, 1);
  /* The merged text starts from mine */
  {
    GtkTextBuffer *buffer = mp_conflict_view_get_merged_buffer (view, "basic_idea");
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    g_assert_nonnull (buffer);
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Ajatus B:n mukaan");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conflict.keep-mine", "s", "basic_idea"));
  g_assert_true (mp_gui_test_wait_until (no_conflict_view, NULL, 5));

  kept = mp_store_load_model (b.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (kept, MP_TEXT_BASIC_IDEA), ==, "Ajatus B:n mukaan");
  g_assert_null (mp_sync_store_get_conflicts (b.store, id));
  g_assert_cmpint (mp_sync_store_get_state (b.store, id, NULL), ==, MP_SYNC_STATE_PENDING);
  g_assert_cmpuint (mp_sync_store_count_outbox (b.store, id, NULL), ==, 1);
  g_assert_false (mp_model_page_get_sync_banner_shown (page));
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_BASIC_IDEA), ==,
                   "Ajatus B:n mukaan");
  mp_gui_test_run_main_loop (100);
  g_assert_cmpstr (mp_model_row_get_sync_text (find_row (window, id)), ==, "Waiting to sync");

  /* The one push goes, and the other device gets mine */
  mp_gui_test_client_sync_ok (&b);
  mp_gui_test_client_sync_ok (&a);
  {
    g_autoptr(MpModel) on_a = mp_store_load_model (a.store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (mp_model_get_text (on_a, MP_TEXT_BASIC_IDEA), ==, "Ajatus B:n mukaan");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

/* A pull changes the open model: the page shows the platform's text, and
 * an edit made afterwards does not put the old text back */
static void
test_page_follows_pull (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpModel) on_a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "follow-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "follow-b", "ville", PASSWORD);
  id = save_new_model (a.store, "Seurattu", MP_VISIBILITY_ORGANISATION);
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  autosaver = mp_autosaver_new (b.store);
  window = g_object_ref (mp_window_new (NULL, b.store, autosaver));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mp_window_show_model (window, id));
  page = mp_gui_test_find_widget (window, MP_TYPE_MODEL_PAGE);
  mp_gui_test_run_main_loop (100);

  edit_text (a.store, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_SUMMARY), ==,
                   "Maijan tiivistelmä");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Seurattu – Mallipaja");

  /* Typed on the page after the pull: only that field goes */
  mp_model_set_text (mp_model_page_get_model (page), MP_TEXT_CORE, "Villen ydin");
  g_assert_true (mp_autosaver_flush (autosaver, &error));
  g_assert_no_error (error);
  mp_gui_test_client_sync_ok (&b);
  mp_gui_test_client_sync_ok (&a);
  on_a = mp_store_load_model (a.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (on_a, MP_TEXT_SUMMARY), ==, "Maijan tiivistelmä");
  g_assert_cmpstr (mp_model_get_text (on_a, MP_TEXT_CORE), ==, "Villen ydin");
  /* The push's new revision reached the page too */
  mp_gui_test_run_main_loop (700);
  g_assert_cmpint (mp_model_get_revision (mp_model_page_get_model (page)), ==, mp_model_get_revision (on_a));

  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

static gboolean
controller_idle (gpointer data)
{
  return !mp_sync_controller_get_running (data);
}

/* Runs one sync through the controller, as the app does */
static void
controller_sync (MpSyncController *controller)
{
  g_assert_true (mp_gui_test_wait_until (controller_idle, controller, 20));
  mp_sync_controller_sync_now (controller);
  g_assert_true (mp_sync_controller_get_running (controller));
  g_assert_true (mp_gui_test_wait_until (controller_idle, controller, 20));
  g_assert_cmpint (mp_sync_get_status (mp_sync_controller_get_sync (controller)), ==, MP_SYNC_STATUS_IDLE);
}

static void
assert_texts (MpStore    *store,
              const char *id,
              const char *summary,
              const char *core)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (store, id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_SUMMARY), ==, summary);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_CORE), ==, core);
}

/* A pull that comes while typing waits for its save (the autosave delay):
 * the typing is saved first and merged with what the pull brings */
static void
test_pull_during_autosave (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpSyncController) controller = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autofree char *conflicts_text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = mp_gui_test_root_url (server);
  g_autofree char *token = NULL;
  MpModel *typed;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "autosave-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "autosave-b", "ville", PASSWORD);
  token = mp_test_server_login (server, session, "ville", PASSWORD);
  id = save_new_model (a.store, "Kesken", MP_VISIBILITY_ORGANISATION);
  edit_text (a.store, id, MP_TEXT_SUMMARY, "Alku");
  edit_text (a.store, id, MP_TEXT_CORE, "Ydin");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  autosaver = mp_autosaver_new (b.store);
  controller = mp_sync_controller_new (b.store, autosaver);
  mp_sync_controller_set_platform (controller, url, token);
  window = g_object_ref (mp_window_new (NULL, b.store, autosaver));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mp_window_show_model (window, id));
  page = mp_gui_test_find_widget (window, MP_TYPE_MODEL_PAGE);
  /* The controller's own first sync, when it finds the platform */
  mp_gui_test_run_main_loop (300);
  g_assert_true (mp_gui_test_wait_until (controller_idle, controller, 20));

  /* Different fields: both kept, here and on the platform */
  edit_text (a.store, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  mp_gui_test_client_sync_ok (&a);
  mp_model_set_text (mp_model_page_get_model (page), MP_TEXT_CORE, "Villen ydin");
  g_assert_true (mp_autosaver_has_pending (autosaver));
  controller_sync (controller);
  assert_texts (b.store, id, "Maijan tiivistelmä", "Villen ydin");
  typed = mp_model_page_get_model (page);
  g_assert_cmpstr (mp_model_get_text (typed, MP_TEXT_SUMMARY), ==, "Maijan tiivistelmä");
  g_assert_cmpstr (mp_model_get_text (typed, MP_TEXT_CORE), ==, "Villen ydin");
  /* Nothing later writes the old summary back */
  mp_gui_test_run_main_loop (MP_AUTOSAVE_DELAY_MS + 200);
  assert_texts (b.store, id, "Maijan tiivistelmä", "Villen ydin");
  controller_sync (controller);
  mp_gui_test_client_sync_ok (&a);
  assert_texts (a.store, id, "Maijan tiivistelmä", "Villen ydin");
  assert_texts (b.store, id, "Maijan tiivistelmä", "Villen ydin");

  /* The same field: a conflict that holds both texts */
  edit_text (a.store, id, MP_TEXT_CORE, "Maijan ydin");
  mp_gui_test_client_sync_ok (&a);
  mp_model_set_text (mp_model_page_get_model (page), MP_TEXT_CORE, "Villen toinen ydin");
  g_assert_true (mp_autosaver_has_pending (autosaver));
  controller_sync (controller);
  g_assert_cmpint (mp_sync_store_get_state (b.store, id, NULL), ==, MP_SYNC_STATE_CONFLICT);
  conflicts = mp_sync_store_get_conflicts (b.store, id);
  g_assert_nonnull (conflicts);
  conflicts_text = json_to_string (conflicts, FALSE);
  g_assert_nonnull (strstr (conflicts_text, "Maijan ydin"));
  g_assert_nonnull (strstr (conflicts_text, "Villen toinen ydin"));
  /* The local text stays in the model until the conflict is resolved */
  assert_texts (b.store, id, "Maijan tiivistelmä", "Villen toinen ydin");
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_CORE), ==, "Villen toinen ydin");

  mp_sync_controller_cancel (controller);
  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

/* A page of many changes is announced as "bank-changed": the open model
 * follows all the same */
static void
test_page_follows_large_pull (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_auto(MpGuiTestClient) a = { 0 };
  g_auto(MpGuiTestClient) b = { 0 };
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autofree char *id = NULL;
  MpModelPage *page;
  MpWindow *window;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  mp_test_server_add_user (server, "ville", ORG, PASSWORD);
  mp_gui_test_client_init (&a, server, test_dir, "large-a", "maija", PASSWORD);
  mp_gui_test_client_init (&b, server, test_dir, "large-b", "ville", PASSWORD);
  id = save_new_model (a.store, "Seurattu", MP_VISIBILITY_ORGANISATION);
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);

  autosaver = mp_autosaver_new (b.store);
  window = g_object_ref (mp_window_new (NULL, b.store, autosaver));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mp_window_show_model (window, id));
  page = mp_gui_test_find_widget (window, MP_TYPE_MODEL_PAGE);
  mp_gui_test_run_main_loop (100);

  for (guint i = 0; i < MP_SYNC_INDEX_INLINE_MAX + 8; i++)
    {
      g_autofree char *title = g_strdup_printf ("Muu %u", i);
      g_autofree char *other = save_new_model (a.store, title, MP_VISIBILITY_ORGANISATION);
    }
  edit_text (a.store, id, MP_TEXT_SUMMARY, "Maijan tiivistelmä");
  mp_gui_test_client_sync_ok (&a);
  mp_gui_test_client_sync_ok (&b);
  mp_gui_test_run_main_loop (100);
  g_assert_cmpstr (mp_model_get_text (mp_model_page_get_model (page), MP_TEXT_SUMMARY), ==,
                   "Maijan tiivistelmä");

  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (window);
}

typedef struct {
  MpSyncIndicator *indicator;
  GPtrArray       *texts;   /* "header text|tooltip" at each step */
} Snapshots;

static void
on_models_done (Snapshots *snapshots)
{
  GtkWidget *button = mp_gui_test_find_widget (snapshots->indicator, GTK_TYPE_MENU_BUTTON);

  g_ptr_array_add (snapshots->texts, g_strconcat (mp_sync_indicator_get_text (snapshots->indicator), "|",
                                                  gtk_widget_get_tooltip_text (button), NULL));
}

static gboolean
has_synced (gpointer data)
{
  return mp_sync_controller_get_last_sync (data) > 0 && !mp_sync_controller_get_running (data);
}

/* A first sync of a large bank shows how far it is: models done of all */
static void
test_indicator_progress (void)
{
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpAutosaver) autosaver = NULL;
  g_autoptr(MpSyncController) controller = NULL;
  g_autofree char *models_path = g_build_filename (test_dir, "progress.jsonl", NULL);
  g_autofree char *bank_path = g_build_filename (test_dir, "progress.sqlite", NULL);
  g_autofree char *url = NULL;
  Snapshots snapshots = { 0 };
  gboolean seen = FALSE;
  GtkWidget *window;

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *id = mp_test_new_id ();
      g_autofree char *title = g_strdup_printf ("Malli %u", i);
      g_autofree char *document = mp_test_document (id, title, ORG, "public");

      g_string_append_printf (lines, "%s\n", document);
    }
  g_assert_true (g_file_set_contents (models_path, lines->str, lines->len, &error));
  g_assert_no_error (error);
  server = mp_test_server_new ("--import", models_path, NULL);
  url = mp_gui_test_root_url (server);

  store = mp_store_open (bank_path, &error);
  g_assert_no_error (error);
  autosaver = mp_autosaver_new (store);
  controller = mp_sync_controller_new (store, autosaver);
  mp_sync_controller_set_platform (controller, url, NULL);
  mp_sync_set_page_size (mp_sync_controller_get_sync (controller), 50);

  snapshots.indicator = MP_SYNC_INDICATOR (mp_sync_indicator_new ());
  snapshots.texts = g_ptr_array_new_with_free_func (g_free);
  mp_sync_indicator_set_controller (snapshots.indicator, controller);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (snapshots.indicator));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect_swapped (mp_sync_controller_get_sync (controller), "notify::models-done",
                            G_CALLBACK (on_models_done), &snapshots);

  /* The controller syncs when it finds the platform; else, by hand */
  if (!mp_gui_test_wait_until (has_synced, controller, 5))
    controller_sync (controller);
  g_assert_cmpuint (mp_store_count (store), ==, 150);

  for (guint i = 0; i < snapshots.texts->len; i++)
    seen |= g_str_equal (g_ptr_array_index (snapshots.texts, i), "Syncing… 33%|Syncing: 50 of 150 models\n"
                                                                  "You can keep working while the bank syncs. "
                                                                  "Not signed in: only the public model bank is "
                                                                  "read, nothing is sent.");
  if (!seen)
    for (guint i = 0; i < snapshots.texts->len; i++)
      g_printerr ("%s\n", (char *) g_ptr_array_index (snapshots.texts, i));
  g_assert_true (seen);
  g_assert_true (g_str_has_prefix (mp_sync_indicator_get_text (snapshots.indicator), "Synced at"));

  g_ptr_array_unref (snapshots.texts);
  gtk_window_destroy (GTK_WINDOW (window));
  mp_gui_test_run_main_loop (20);
}

static gboolean
dialog_has_error (gpointer data)
{
  return mp_sign_in_dialog_get_error (data) != NULL;
}

static void
dialog_sign_in (MpSignInDialog *dialog,
                const char     *url,
                const char     *user,
                const char     *password)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, rows);
  /* The address, the user, the password, in the order of the form */
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (g_ptr_array_index (rows, 2)));
  gtk_editable_set_text (g_ptr_array_index (rows, 0), url);
  gtk_editable_set_text (g_ptr_array_index (rows, 1), user);
  gtk_editable_set_text (g_ptr_array_index (rows, 2), password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.sign-in", NULL));
}

/* The sign-in dialog says why a sign-in failed, in words */
static void
test_sign_in_errors (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpSyncController) controller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/sign-in.sqlite", test_dir);
  g_autofree char *url = mp_gui_test_root_url (server);
  MpSignInDialog *dialog;

  mp_test_server_add_user (server, "maija", ORG, PASSWORD);
  store = mp_store_open (path, &error);
  g_assert_no_error (error);
  controller = mp_sync_controller_new (store, NULL);
  dialog = g_object_ref (MP_SIGN_IN_DIALOG (mp_sign_in_dialog_new (controller)));
  gtk_window_present (GTK_WINDOW (dialog));

  dialog_sign_in (dialog, url, "maija", "väärin");
  g_assert_true (mp_gui_test_wait_until (dialog_has_error, dialog, 20));
  g_assert_cmpstr (mp_sign_in_dialog_get_error (dialog), ==, "Wrong user name or password.");
  g_assert_false (mp_sync_controller_get_signed_in (controller));

  dialog_sign_in (dialog, "alusta.example.fi", "maija", PASSWORD);
  g_assert_true (dialog_has_error (dialog));
  g_assert_nonnull (strstr (mp_sign_in_dialog_get_error (dialog), "https://"));

  /* Nothing listens there any more */
  mp_test_server_stop (server);
  dialog_sign_in (dialog, url, "maija", PASSWORD);
  g_assert_null (mp_sign_in_dialog_get_error (dialog));
  g_assert_true (mp_gui_test_wait_until (dialog_has_error, dialog, 30));
  g_assert_nonnull (strstr (mp_sign_in_dialog_get_error (dialog), "could not be reached"));
  g_assert_null (mp_sync_controller_get_sync (controller));

  /* A GtkText destroyed with the focus warns that it lost none */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-sync-ui-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Not unique: a running Mallipaja must not take the test's windows */
  app = mp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/sync-ui/status/after-sync-action", test_status_after_sync_action);
  g_test_add_func ("/sync-ui/row/badges", test_row_badges);
  g_test_add_func ("/sync-ui/conflict/keep-mine", test_conflict_keep_mine);
  g_test_add_func ("/sync-ui/page/follows-pull", test_page_follows_pull);
  g_test_add_func ("/sync-ui/page/pull-during-autosave", test_pull_during_autosave);
  g_test_add_func ("/sync-ui/page/follows-large-pull", test_page_follows_large_pull);
  g_test_add_func ("/sync-ui/status/progress", test_indicator_progress);
  g_test_add_func ("/sync-ui/sign-in/errors", test_sign_in_errors);

  ret = g_test_run ();

  g_clear_object (&app);
  mp_gui_test_remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
