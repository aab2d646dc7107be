/* test-accessibility.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mp-gui-test.h"
#include "mp-application.h"
#include "mp-characteristic-row.h"
#include "mp-model-editor.h"
#include "mp-model-page.h"
#include "mp-model-row.h"
#include "mp-section-view.h"
#include "mp-stage-progress.h"
#include "mp-stage-row.h"
#include "mp-window.h"

static char *test_dir;
/* The real application, for its accelerators and its shortcuts window.
 * One for all tests: a registered one keeps its bus object to the end. */
static MpApplication *app;

typedef struct {
  MpApplication *app;
  MpStore       *store;
  MpAutosaver   *autosaver;
  MpWindow      *window;
  char          *parent_id;
  char          *id;        /* derived from parent_id, every field filled */
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

static gpointer
find_widget (gpointer root,
             GType    type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
}

/* The string value of an accessible property, or NULL when it is unset:
 * GTK 4.8 has no getter, but the test API hands back the value it found
 * whenever that differs from the one asked for. */
static char *
dup_accessible_string (GtkWidget             *widget,
                       GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "");
}

static gboolean
is_accessible_hidden (GtkWidget *widget)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    return FALSE;

  differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);
  return differs != NULL;
}

static gboolean
has_label_property (GtkWidget *widget)
{
  g_autofree char *label = dup_accessible_string (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);

  return label != NULL && *label != '\0';
}

/* Whether a widget below @root that @relation refers to has a label.
 * GTK 4.8 writes a relation's value as "GtkImage<0x55…>" and has no
 * getter, so the widgets are found by their addresses. */
static gboolean
relation_has_label (GtkWidget  *root,
                    const char *relation)
{
  g_autofree char *address = g_strdup_printf ("<%p>", (gpointer) root);

  if (strstr (relation, address) != NULL && has_label_property (root))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (relation_has_label (child, relation))
      return TRUE;

  return FALSE;
}

/* GTK 4.8 names an accessible by its label property, else by the label
 * properties of the widgets its labelled-by relation names, else by its
 * type name (gtk_at_context_get_name()): an icon-only button is
 * "labelled by" its image, and so called "GtkImage". */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  g_autofree char *relation = NULL;
  GtkWidget *root;

  if (has_label_property (widget))
    return TRUE;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;

  relation = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  root = GTK_WIDGET (gtk_widget_get_root (widget));
  if (root == NULL)
    for (root = widget; gtk_widget_get_parent (root) != NULL; root = gtk_widget_get_parent (root))
      ;

  return relation != NULL && relation_has_label (root, relation);
}

/* What a screen reader lands on and must be able to say; @reachable is
 * whether the focus can get there at all (no ancestor has can-focus off,
 * as libadwaita 1.2 does for the list showing a combo row's value). */
static gboolean
needs_accessible_name (GtkWidget *widget,
                       gboolean   reachable)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_PROGRESS_BAR:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;

    /* Rows: only those the focus can land on; GTK 4.8 gives the rows of
     * a GtkListView the grid cell role */
    case GTK_ACCESSIBLE_ROLE_GRID_CELL:
    case GTK_ACCESSIBLE_ROLE_LIST_ITEM:
    case GTK_ACCESSIBLE_ROLE_ROW:
    case GTK_ACCESSIBLE_ROLE_TREE_ITEM:
      return reachable && gtk_widget_get_focusable (widget);

    default:
      return FALSE;
    }
}

/* The first text below @widget, to tell the person reading a failure
 * which of many alike widgets it is */
static const char *
find_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_label (GTK_LABEL (widget)) != '\0')
    return gtk_label_get_label (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = find_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

static void
describe_widget (GString   *report,
                 GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *text = find_text (widget);

  g_string_append_printf (report, "  %s", G_OBJECT_TYPE_NAME (widget));
  for (GtkWidget *w = gtk_widget_get_parent (widget), *n = NULL; w != NULL && n == NULL; w = gtk_widget_get_parent (w))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Mp") || ADW_IS_PREFERENCES_ROW (w))
      {
        const char *title = ADW_IS_PREFERENCES_ROW (w) ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)) : NULL;

        g_string_append_printf (report, " in %s “%s”", G_OBJECT_TYPE_NAME (w), title != NULL ? title : "");
        n = w;
      }
  g_string_append_printf (report, " text “%s” tooltip “%s”\n",
                          text != NULL ? text : "", tooltip != NULL ? tooltip : "");
}

/* GtkDropDown's and AdwComboRow's popups list their choices through
 * GTK's own list item widgets, which GTK 4.8 gives no way to name (it
 * came with gtk_list_item_set_accessible_label() in 4.12); the row or
 * dropdown that opens them is named. */
static gboolean
is_inside_choice_popup (GtkWidget *widget)
{
  GtkWidget *popover = gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER);

  if (popover == NULL)
    return FALSE;

  return gtk_widget_get_ancestor (popover, GTK_TYPE_DROP_DOWN) != NULL ||
         gtk_widget_get_ancestor (popover, ADW_TYPE_COMBO_ROW) != NULL;
}

/* Walks what the person can reach now: hidden widgets and the pages a
 * stack does not show are left out, the tests show them one by one. */
static void
check_names (GtkWidget *widget,
             gboolean   reachable,
             GString   *report,
             guint     *n_checked)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget) ||
      is_accessible_hidden (widget))
    return;

  reachable = reachable && gtk_widget_get_can_focus (widget);
  if (needs_accessible_name (widget, reachable) && !is_inside_choice_popup (widget))
    {
      (*n_checked)++;
      if (!has_accessible_name (widget))
        describe_widget (report, widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_names (child, reachable, report, n_checked);
}

static void
assert_all_named (GtkWidget *root,
                  guint      min_checked)
{
  g_autoptr(GString) report = g_string_new (NULL);
  guint n_checked = 0;

  check_names (root, TRUE, report, &n_checked);
  if (report->len > 0)
    g_string_prepend (report, "Controls without an accessible name:\n");
  g_assert_cmpstr (report->str, ==, "");
  g_assert_cmpuint (n_checked, >=, min_checked);
}

/* The action a shortcut controller of @widget runs for @accel, or NULL */
static GtkShortcutAction *
find_shortcut_action (GtkWidget  *widget,
                      const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkShortcutTrigger *wanted = gtk_shortcut_trigger_parse_string (accel);
  GtkShortcutAction *found = NULL;

  g_assert_nonnull (wanted);
  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; found == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            found = gtk_shortcut_get_action (shortcut);
        }
    }
  g_object_unref (wanted);

  return found;
}

static void
activate_shortcut (GtkWidget  *widget,
                   const char *accel)
{
  GtkShortcutAction *action = find_shortcut_action (widget, accel);

  g_assert_nonnull (action);
  g_assert_true (gtk_shortcut_action_activate (action, GTK_SHORTCUT_ACTION_EXCLUSIVE, widget, NULL));
}

static gboolean
app_has_accel (MpApplication *application,
               const char    *action,
               const char    *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

/* The sidebar's search, not one of the combo rows' own */
static GtkWidget *
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

static MpModelPage *
get_page (Fixture *fixture)
{
  return find_widget (fixture->window, MP_TYPE_MODEL_PAGE);
}

static void
show_model (Fixture *fixture)
{
  g_assert_true (mp_window_show_model (fixture->window, fixture->id));
  mp_gui_test_run_main_loop (100);
}

static void
edit_model (Fixture *fixture)
{
  MpModelPage *page;

  show_model (fixture);
  page = get_page (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.edit", NULL));
  g_assert_true (mp_model_page_get_editing (page));
  mp_gui_test_run_main_loop (100);
}

/* fixture */

static char *
save_rich_model (MpStore    *store,
                 const char *parent_id)
{
  g_autoptr(MpModel) parent = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  const char *regions[] = { "pirkanmaa", NULL };
  const char *themes[] = { "loneliness", NULL };
  const char *groups[] = { "young_people", NULL };
  const char *names[] = { "Aino Esimerkki", "Olli Esimerkki", NULL };

  parent = mp_store_load_model (store, parent_id, &error);
  g_assert_no_error (error);
  model = mp_model_derive (parent);

  for (MpText text = MP_TEXT_TITLE; text < MP_N_TEXTS; text++)
    if (text != MP_TEXT_LANGUAGE)
      mp_model_set_text (model, text, "Nuoret suunnittelivat kohtaamispaikan itse.\n\n- kahvia\n- juttuseuraa");
  mp_model_set_text (model, MP_TEXT_TITLE, "Nuorten olohuone");
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_TARGET_GROUPS, groups);
  mp_model_set_list (model, MP_LIST_AUTHORS, names);
  mp_model_set_list (model, MP_LIST_FUNDERS, names);
  mp_model_add_link (model, "Loppuraportti", "https://example.org/raportti");
  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_NEED, "2025-01-10");
  mp_model_set_stage_finished (model, MP_STAGE_NEED, "2025-03-31");
  mp_model_set_stage_notes (model, MP_STAGE_NEED, "Kysely kertoi, mitä puuttuu.");
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_characteristic (model, 0, TRUE, "Toimii kolmatta vuotta.");
  mp_model_set_characteristic (model, 2, TRUE, NULL);

  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);

  return g_strdup (mp_model_get_id (model));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) parent = mp_model_new ();
  g_autofree char *path = g_strdup_printf ("%s/bank-%u.sqlite", test_dir, ++counter);

  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  mp_store_load_sample_bank (fixture->store, &error);
  g_assert_no_error (error);

  mp_model_set_text (parent, MP_TEXT_TITLE, "Perhekeskuksen olohuone");
  mp_model_set_text (parent, MP_TEXT_ORGANISATION, "Pirkanmaan hyvinvointialue");
  mp_store_save_model (fixture->store, parent, &error);
  g_assert_no_error (error);
  fixture->parent_id = g_strdup (mp_model_get_id (parent));
  fixture->id = save_rich_model (fixture->store, fixture->parent_id);

  fixture->app = g_object_ref (app);
  fixture->autosaver = mp_autosaver_new (fixture->store);
  fixture->window = g_object_ref (mp_window_new (GTK_APPLICATION (fixture->app),
                                                 fixture->store, fixture->autosaver));
  gtk_window_present (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mp_gui_test_run_main_loop (20);
  g_assert_finalize_object (fixture->window);
  mp_autosaver_flush (fixture->autosaver, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->autosaver);
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->app);
  g_free (fixture->parent_id);
  g_free (fixture->id);
}

/* tests: roles and states of our own widgets */

static void
test_role_stage_progress (void)
{
  GtkWidget *progress = g_object_ref_sink (mp_stage_progress_new ());
  MpStageState states[MP_N_STAGES] = {
    MP_STAGE_STATE_DONE, MP_STAGE_STATE_DONE, MP_STAGE_STATE_IN_PROGRESS,
    MP_STAGE_STATE_NOT_STARTED, MP_STAGE_STATE_NOT_STARTED, MP_STAGE_STATE_NOT_STARTED,
  };

  gtk_test_accessible_assert_role (progress, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
  gtk_test_accessible_assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "No stage started");

  mp_stage_progress_set_states (MP_STAGE_PROGRESS (progress), states);
  gtk_test_accessible_assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.);
  gtk_test_accessible_assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) MP_N_STAGES);
  gtk_test_accessible_assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 3.);
  gtk_test_accessible_assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 3 of 6, Trials, in progress");
  /* The bar has a name of its own, not only a value */
  g_assert_true (has_accessible_name (progress));

  g_assert_finalize_object (progress);
}

static void
test_role_model_row (void)
{
  g_autoptr(MpModelSummary) summary = NULL;
  g_autoptr(GtkWidget) row = g_object_ref_sink (mp_model_row_new ());
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (test_dir, "model-row.sqlite", NULL);
  g_autoptr(MpStore) store = mp_store_open (path, &error);
  g_autoptr(MpModel) model = mp_model_new ();
  g_autofree char *label = NULL;

  g_assert_no_error (error);
  mp_model_set_text (model, MP_TEXT_TITLE, "Nuorten olohuone");
  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);
  summary = mp_store_get_summary_by_id (store, mp_model_get_id (model));
  g_assert_nonnull (summary);

  gtk_test_accessible_assert_role (row, GTK_ACCESSIBLE_ROLE_GROUP);
  mp_model_row_set_summary (MP_MODEL_ROW (row), summary);

  /* The row says in words what its pill and bar show */
  label = dup_accessible_string (row, GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (label, "Nuorten olohuone"));
  g_assert_nonnull (strstr (label, "Stage 3 of 6, Trials, in progress"));
  g_assert_nonnull (strstr (label, "Draft"));
  gtk_test_accessible_assert_role (find_widget (row, MP_TYPE_STAGE_PROGRESS), GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
test_role_stage_row (void)
{
  g_autoptr(GtkWidget) row = g_object_ref_sink (mp_stage_row_new (MP_STAGE_TRIALS));
  g_autoptr(MpModel) model = mp_model_new ();
  GtkWidget *dropdown;

  gtk_test_accessible_assert_role (row, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Stage 3 of 6, Trials, not started");

  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_stage_row_set_model (MP_STAGE_ROW (row), model);
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Stage 3 of 6, Trials, in progress");

  /* Changing the state by its dropdown announces the new one */
  dropdown = GTK_WIDGET (mp_stage_row_get_state_dropdown (MP_STAGE_ROW (row)));
  gtk_test_accessible_assert_role (dropdown, GTK_ACCESSIBLE_ROLE_COMBO_BOX);
  gtk_test_accessible_assert_property (dropdown, GTK_ACCESSIBLE_PROPERTY_LABEL, "State of stage Trials");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_model_get_stage_state (model, MP_STAGE_TRIALS), ==, MP_STAGE_STATE_DONE);
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, "Stage 3 of 6, Trials, done");

  /* An invalid date is told in words and as a state, not by colour */
  gtk_editable_set_text (mp_stage_row_get_started_entry (MP_STAGE_ROW (row)), "15.3.2026");
  gtk_test_accessible_assert_state (mp_stage_row_get_started_entry (MP_STAGE_ROW (row)),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (mp_stage_row_get_started_entry (MP_STAGE_ROW (row)))));
  gtk_editable_set_text (mp_stage_row_get_started_entry (MP_STAGE_ROW (row)), "2026-03-15");
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (mp_stage_row_get_started_entry (MP_STAGE_ROW (row))),
                                                 GTK_ACCESSIBLE_STATE_INVALID));
}

static void
test_role_characteristic_row (void)
{
  g_autoptr(GtkWidget) row = g_object_ref_sink (mp_characteristic_row_new (2));
  g_autoptr(MpModel) model = mp_model_new ();
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  GtkSwitch *has_switch = mp_characteristic_row_get_switch (MP_CHARACTERISTIC_ROW (row));

  g_assert_cmpstr (name, !=, "");
  gtk_test_accessible_assert_role (row, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  /* The switch is named after the characteristic and says if it is on */
  gtk_test_accessible_assert_role (has_switch, GTK_ACCESSIBLE_ROLE_SWITCH);
  gtk_test_accessible_assert_property (has_switch, GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  gtk_test_accessible_assert_state (has_switch, GTK_ACCESSIBLE_STATE_CHECKED, FALSE);

  mp_characteristic_row_set_model (MP_CHARACTERISTIC_ROW (row), model);
  gtk_switch_set_active (has_switch, TRUE);
  g_assert_true (mp_model_get_characteristic (model, 2, NULL));
  gtk_test_accessible_assert_state (has_switch, GTK_ACCESSIBLE_STATE_CHECKED, TRUE);

  gtk_test_accessible_assert_role (mp_characteristic_row_get_justification_entry (MP_CHARACTERISTIC_ROW (row)),
                                   GTK_ACCESSIBLE_ROLE_TEXT_BOX);
}

static void
test_role_section_view (void)
{
  g_autoptr(GtkWidget) view = g_object_ref_sink (mp_section_view_new ("Core", "What must stay", TRUE));
  GtkTextView *text_view = mp_section_view_get_text_view (MP_SECTION_VIEW (view));

  gtk_test_accessible_assert_role (view, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_role (text_view, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
  gtk_test_accessible_assert_property (text_view, GTK_ACCESSIBLE_PROPERTY_LABEL, "Core (essential)");
  gtk_test_accessible_assert_property (text_view, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "What must stay");
  gtk_test_accessible_assert_property (text_view, GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE);

  mp_section_view_set_essential (MP_SECTION_VIEW (view), FALSE);
  gtk_test_accessible_assert_property (text_view, GTK_ACCESSIBLE_PROPERTY_LABEL, "Core");
}

/* tests: every control has a name */

static void
test_names_window (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_all_named (GTK_WIDGET (fixture->window), 5);
}

static void
test_names_filters (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkMenuButton *filter_button = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  /* The popover's rows are built when it first opens */
  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_menu_button_get_popover (g_ptr_array_index (buttons, i)) != NULL &&
        !gtk_menu_button_get_primary (g_ptr_array_index (buttons, i)))
      filter_button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (filter_button);

  /* Other tests' windows on the same display take the focus, which
   * would close a popover that hides itself then */
  gtk_popover_set_autohide (gtk_menu_button_get_popover (filter_button), FALSE);
  gtk_menu_button_popup (filter_button);
  mp_gui_test_run_main_loop (100);
  assert_all_named (GTK_WIDGET (gtk_menu_button_get_popover (filter_button)), 6);
  gtk_menu_button_popdown (filter_button);
}

static void
test_names_empty_list (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkEditable *search = GTK_EDITABLE (get_search_entry (fixture));
  AdwStatusPage *empty_page = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* The "No Models Found" page and its button */
  gtk_editable_set_text (search, "qqqnothingmatchesthis");
  while (empty_page == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      g_ptr_array_set_size (pages, 0);
      mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE, pages);
      for (guint i = 0; i < pages->len; i++)
        if (g_strcmp0 (adw_status_page_get_title (g_ptr_array_index (pages, i)), "No Models Found") == 0 &&
            gtk_widget_get_mapped (g_ptr_array_index (pages, i)))
          empty_page = g_ptr_array_index (pages, i);
    }
  g_assert_nonnull (empty_page);

  assert_all_named (GTK_WIDGET (fixture->window), 5);
}

static void
test_names_read_view (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwViewStack *tabs;
  g_autoptr(GtkSelectionModel) pages = NULL;

  show_model (fixture);
  tabs = find_widget (get_page (fixture), ADW_TYPE_VIEW_STACK);
  pages = adw_view_stack_get_pages (tabs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), >=, 3);

  /* Each tab in turn: the others are not shown */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      adw_view_stack_set_visible_child (tabs, adw_view_stack_page_get_child (page));
      mp_gui_test_run_main_loop (50);
      assert_all_named (GTK_WIDGET (get_page (fixture)), 5);
    }
}

static void
test_names_editor (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  MpModelEditor *editor;

  edit_model (fixture);
  editor = mp_model_page_get_editor (get_page (fixture));
  g_assert_nonnull (editor);

  /* What the expander rows hold is shown only when they are open */
  mp_gui_test_collect_widgets (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, expanders);
  g_assert_cmpuint (expanders->len, >=, MP_N_STAGES + MP_N_CHARACTERISTICS);
  for (guint i = 0; i < expanders->len; i++)
    adw_expander_row_set_expanded (g_ptr_array_index (expanders, i), TRUE);
  mp_gui_test_run_main_loop (400);

  /* 6 stages × (row, dropdown, its button, 2 dates, notes) and
   * 16 characteristics × (row, switch, justification) at least */
  assert_all_named (GTK_WIDGET (editor), MP_N_STAGES * 6 + MP_N_CHARACTERISTICS * 3);
}

/* The walker itself finds what it is for */
static void
test_names_walker_fails (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *named = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_autoptr(GString) report = g_string_new (NULL);
  guint n_checked = 0;

  gtk_box_append (GTK_BOX (box), gtk_button_new_from_icon_name ("user-trash-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_switch_new ());
  gtk_box_append (GTK_BOX (box), gtk_text_view_new ());
  gtk_box_append (GTK_BOX (box), named);
  gtk_box_append (GTK_BOX (box), gtk_button_new_with_label ("Labelled"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (named), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add", -1);
  gtk_window_set_child (GTK_WINDOW (window), box);

  check_names (box, TRUE, report, &n_checked);
  g_assert_cmpuint (n_checked, ==, 5);
  g_assert_nonnull (strstr (report->str, "GtkButton"));
  g_assert_nonnull (strstr (report->str, "GtkSwitch"));
  g_assert_nonnull (strstr (report->str, "GtkTextView"));
  g_assert_null (strstr (report->str, "Labelled"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* tests: keyboard */

static void
test_keyboard_accels (Fixture       *fixture,
                      gconstpointer  data)
{
  g_assert_true (app_has_accel (fixture->app, "app.new-model", "<Control>n"));
  g_assert_true (app_has_accel (fixture->app, "app.quit", "<Control>q"));
  g_assert_true (app_has_accel (fixture->app, "window.close", "<Control>w"));
  /* Set by GtkApplication when it finds gtk/help-overlay.ui */
  g_assert_true (app_has_accel (fixture->app, "win.show-help-overlay", "<Control>question"));
}

static void
test_keyboard_new_and_search (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  guint n_before = mp_store_count (fixture->store);
  GtkWidget *search;
  GtkWidget *focus;

  /* Ctrl+N runs through the window's application shortcuts */
  activate_shortcut (window, "<Control>n");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, n_before + 1);
  g_assert_true (mp_model_page_get_editing (get_page (fixture)));
  mp_gui_test_run_main_loop (50);

  activate_shortcut (window, "<Control>f");
  search = get_search_entry (fixture);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == search || gtk_widget_is_ancestor (focus, search));
}

static void
test_keyboard_page (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  MpModelPage *page;
  guint n_before = mp_store_count (fixture->store);

  show_model (fixture);
  page = get_page (fixture);
  g_assert_false (mp_model_page_get_editing (page));

  /* Ctrl+E works wherever the focus is in the window */
  activate_shortcut (GTK_WIDGET (page), "<Control>e");
  g_assert_true (mp_model_page_get_editing (page));
  activate_shortcut (GTK_WIDGET (page), "<Control>e");
  g_assert_false (mp_model_page_get_editing (page));

  activate_shortcut (GTK_WIDGET (page), "<Control>d");
  g_assert_cmpuint (mp_store_count (fixture->store), ==, n_before + 1);
  g_assert_cmpstr (mp_model_get_based_on_id (mp_model_page_get_model (page)), ==, fixture->id);

  /* Ctrl+W closes the window */
  activate_shortcut (window, "<Control>w");
  mp_gui_test_run_main_loop (50);
  g_assert_false (gtk_widget_get_visible (window));
}

static void
test_keyboard_menu (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkMenuButton *primary = NULL;

  mp_gui_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_menu_button_get_primary (g_ptr_array_index (buttons, i)))
      primary = g_ptr_array_index (buttons, i);
  g_assert_nonnull (primary);

  /* F10 is GtkWindow's own binding for the primary menu; other tests'
   * windows taking the focus must not close it before it is looked at */
  gtk_popover_set_autohide (gtk_menu_button_get_popover (primary), FALSE);
  activate_shortcut (GTK_WIDGET (fixture->window), "F10");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (primary))));
  gtk_menu_button_popdown (primary);
}

static void
collect_accelerators (GtkWidget *widget,
                      GPtrArray *accels)
{
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();

  mp_gui_test_collect_widgets (widget, GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      char *accel = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &accel, NULL);
      g_ptr_array_add (accels, accel);
    }
}

static void
test_keyboard_shortcuts_window (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *expected[] = {
    "<Control>f", "<Control>n", "<Control>w", "<Control>q", "F10", "<Control>question",
    "<Control>e", "<Control>d",
  };
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  GtkShortcutsWindow *overlay;

  /* Ctrl+? opens it */
  activate_shortcut (GTK_WIDGET (fixture->window), "<Control>question");
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (overlay);
  mp_gui_test_run_main_loop (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  collect_accelerators (GTK_WIDGET (overlay), accels);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < accels->len; j++)
        listed |= g_strcmp0 (g_ptr_array_index (accels, j), expected[i]) == 0;
      if (!listed)
        g_error ("The shortcuts window does not list %s", expected[i]);
    }

  gtk_window_close (GTK_WINDOW (overlay));
}

static gboolean
list_has_focus_child (gpointer list)
{
  return gtk_widget_get_focus_child (list) != NULL;
}

/* Turns the main loop until @predicate holds, for 10 s at most */
static void
wait_until (GSourceFunc predicate,
            gpointer    data)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (10, tick, NULL);

  while (!predicate (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

/* Tab from the search entry reaches the list before the content, and
 * every step lands on something visible. */
static void
test_keyboard_tab_order (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *search = get_search_entry (fixture);
  GtkWidget *list = NULL;
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  gboolean reached_list = FALSE;

  /* A list or grid view, whichever the window uses */
  mp_gui_test_collect_widgets (window, GTK_TYPE_WIDGET, lists);
  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (lists, i), "model-list"))
      list = g_ptr_array_index (lists, i);
  g_assert_nonnull (list);

  show_model (fixture);
  /* The window hands the list its row for Tab once it has scrolled there,
   * a few frames on: slower on a loaded machine */
  wait_until (list_has_focus_child, list);
  gtk_widget_grab_focus (search);
  for (guint i = 0; i < 8 && !reached_list; i++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      /* A focus out of sight is no visible focus */
      wait_until ((GSourceFunc) gtk_widget_is_drawable, focus);
      g_assert_true (gtk_widget_is_drawable (focus));
      g_assert_null (gtk_widget_get_ancestor (focus, MP_TYPE_MODEL_PAGE));
      reached_list = gtk_widget_is_ancestor (focus, list);
    }
  g_assert_true (reached_list);

  /* …on the row of the model shown, not the first one */
  g_assert_nonnull (strstr (find_text (gtk_root_get_focus (GTK_ROOT (window))), "Nuorten olohuone"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before GTK or the store read it */
  test_dir = g_dir_make_tmp ("mallipaja-test-a11y-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Revealers and stacks show their children at once, however loaded the
   * machine: the walker sees only what is shown */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* Not unique: a running Mallipaja must not take the test's windows */
  app = mp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/a11y/role/stage-progress", test_role_stage_progress);
  g_test_add_func ("/a11y/role/model-row", test_role_model_row);
  g_test_add_func ("/a11y/role/stage-row", test_role_stage_row);
  g_test_add_func ("/a11y/role/characteristic-row", test_role_characteristic_row);
  g_test_add_func ("/a11y/role/section-view", test_role_section_view);
  g_test_add_func ("/a11y/names/walker-fails", test_names_walker_fails);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/a11y/names/window", test_names_window);
  ADD ("/a11y/names/filters", test_names_filters);
  ADD ("/a11y/names/empty-list", test_names_empty_list);
  ADD ("/a11y/names/read-view", test_names_read_view);
  ADD ("/a11y/names/editor", test_names_editor);
  ADD ("/a11y/keyboard/accels", test_keyboard_accels);
  ADD ("/a11y/keyboard/new-and-search", test_keyboard_new_and_search);
  ADD ("/a11y/keyboard/page", test_keyboard_page);
  ADD ("/a11y/keyboard/menu", test_keyboard_menu);
  ADD ("/a11y/keyboard/shortcuts-window", test_keyboard_shortcuts_window);
  ADD ("/a11y/keyboard/tab-order", test_keyboard_tab_order);

#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);
  remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
