/* mp-window.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mp-model-page.h"
#include "mp-model-row.h"
#include "mp-sync-indicator.h"
#include "mp-window.h"
#include "mp-window-private.h"

#define SETTINGS_SCHEMA_ID "io.github.mallipaja.Mallipaja"

struct _MpWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkStack             *content_stack;
  GtkMenuButton        *filter_button;
  GtkButton            *filter_clear_button;
  GtkLabel             *filter_count_label;
  AdwComboRow          *filter_publication_row;
  AdwComboRow          *filter_region_row;
  AdwComboRow          *filter_stage_row;
  AdwComboRow          *filter_target_group_row;
  AdwComboRow          *filter_theme_row;
  GtkLabel             *index_label;
  GtkRevealer          *index_revealer;
  GtkSpinner           *index_spinner;
  AdwLeaflet           *leaflet;
  GtkButton            *list_empty_button;
  AdwStatusPage        *list_empty_page;
  GtkStack             *list_stack;
  GtkGridView          *list_view;
  GtkSearchEntry       *search_entry;
  GtkSingleSelection   *selection;
  AdwWindowTitle       *sidebar_title;
  MpSyncIndicator      *sync_indicator;
  AdwToastOverlay      *toast_overlay;

  /* borrowed references; the page is made when the first model opens */
  MpModelPage          *model_page;

  /* owned references */
  MpStore              *store;
  MpAutosaver          *autosaver;
  MpModelList          *models;
  MpIndexer            *indexer;
  GSettings            *settings;
  GSignalGroup         *model_signals;
  GSignalGroup         *sync_signals;   /* of the MpSyncController */
  /* Keys behind the rows of the filter combos; position 0 is "any" (NULL).
   * The keys are static taxonomy strings. */
  GPtrArray            *theme_keys;
  GPtrArray            *target_group_keys;
  GPtrArray            *region_keys;

  /* filters, as kept in GSettings */
  int                   filter_stage;
  char                 *filter_theme;
  char                 *filter_target_group;
  char                 *filter_region;
  char                 *filter_publication;

  /* Set while code, not the person, changes a selection, so that the
   * handlers do not take it for a choice */
  gboolean              syncing;
  /* Cleared until the settings are bound, so that start-up runs one query */
  gboolean              ready;
  /* The indexer waits while a sync writes the pages of its pull */
  gboolean              indexer_held;
  guint                 fold_idle_id;
};

G_DEFINE_FINAL_TYPE (MpWindow, mp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_AUTOSAVER,
  PROP_FILTER_STAGE,
  PROP_FILTER_THEME,
  PROP_FILTER_TARGET_GROUP,
  PROP_FILTER_REGION,
  PROP_FILTER_PUBLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the publication combo */
static const char * const publication_keys[] = { "any", "drafts", "published", "unfinished" };

static void on_model_deleted (MpWindow    *self,
                              const char  *id,
                              const char  *title,
                              MpModelPage *page);
static void on_open_model    (MpWindow    *self,
                              const char  *id,
                              MpModelPage *page);
static void on_page_model_changed (MpWindow *self);

/* private helpers */

static int
compare_terms_by_label (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  const MpTerm *term_a = *(const MpTerm * const *) a;
  const MpTerm *term_b = *(const MpTerm * const *) b;
  const char *language = user_data;

  return g_utf8_collate (mp_term_get_label (term_a, language),
                         mp_term_get_label (term_b, language));
}

/* Fills @row with "any" and the terms of @taxonomy in alphabetical order
 * of their labels in the UI language; returns the keys by position. */
static GPtrArray *
fill_term_row (AdwComboRow *row,
               MpTaxonomy   taxonomy,
               const char  *any_label)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree const MpTerm **sorted = NULL;
  const char *language = mp_ui_language ();
  const MpTerm *terms;
  GPtrArray *keys;
  guint n_terms = 0;

  terms = mp_taxonomy_terms (taxonomy, &n_terms);
  sorted = g_new (const MpTerm *, MAX (n_terms, 1));
  for (guint i = 0; i < n_terms; i++)
    sorted[i] = &terms[i];
  g_qsort_with_data (sorted, n_terms, sizeof *sorted, compare_terms_by_label, (gpointer) language);

  keys = g_ptr_array_new ();
  gtk_string_list_append (labels, any_label);
  g_ptr_array_add (keys, NULL);
  for (guint i = 0; i < n_terms; i++)
    {
      gtk_string_list_append (labels, mp_term_get_label (sorted[i], language));
      g_ptr_array_add (keys, (gpointer) sorted[i]->key);
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  return keys;
}

static void
fill_stage_row (AdwComboRow *row)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *language = mp_ui_language ();

  gtk_string_list_append (labels, _("Any Stage"));
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      const MpTerm *term = mp_taxonomy_lookup (MP_TAXONOMY_STAGE, mp_stage_key (i), NULL);
      g_autofree char *label = NULL;

      /* Translators: a choice in the stage filter: the stage's number
       * (1–6) and its name, e.g. "3. Trials" */
      label = g_strdup_printf (_("%u. %s"), i + 1, term ? mp_term_get_label (term, language) : "");
      gtk_string_list_append (labels, label);
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
}

static void
fill_publication_row (AdwComboRow *row)
{
  const char * const labels[] = {
    _("All Models"),
    _("Own Drafts"),
    /* Translators: a filter choice: the models that are published */
    C_("filter", "Published"),
    /* Translators: a filter choice: the models published as unfinished */
    C_("filter", "Unfinished"),
    NULL
  };
  g_autoptr(GtkStringList) list = gtk_string_list_new (labels);

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == G_N_ELEMENTS (publication_keys) + 1);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static guint
find_key (GPtrArray  *keys,
          const char *key)
{
  if (key == NULL || *key == '\0')
    return 0;
  for (guint i = 1; i < keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (keys, i), key) == 0)
      return i;
  return 0;
}

static const char *
key_at (GPtrArray *keys,
        guint      position)
{
  if (position == 0 || position >= keys->len)
    return "";
  return g_ptr_array_index (keys, position);
}

static guint
find_publication (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (publication_keys); i++)
    if (g_strcmp0 (publication_keys[i], key) == 0)
      return i;
  return 0;
}

static void
select_row_quietly (MpWindow    *self,
                    AdwComboRow *row,
                    guint        position)
{
  self->syncing = TRUE;
  adw_combo_row_set_selected (row, position);
  self->syncing = FALSE;
}

static char *
dup_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static guint
mp_window_count_filters (MpWindow *self)
{
  return (self->filter_stage != MP_STAGE_NONE) +
         (*self->filter_theme != '\0') +
         (*self->filter_target_group != '\0') +
         (*self->filter_region != '\0') +
         (g_strcmp0 (self->filter_publication, "any") != 0);
}

static gboolean
mp_window_is_searching (MpWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (mp_window_count_filters (self) > 0)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
mp_window_update_actions (MpWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-filters",
                                 mp_window_count_filters (self) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset-search",
                                 mp_window_is_searching (self));
}

static void
mp_window_update_filter_button (MpWindow *self)
{
  guint n_filters = mp_window_count_filters (self);
  g_autofree char *count = g_strdup_printf ("%u", n_filters);
  g_autofree char *description = NULL;

  gtk_label_set_label (self->filter_count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_count_label), n_filters > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_clear_button), n_filters > 0);

  /* The count badge is also announced, and shown as a tooltip */
  if (n_filters == 0)
    description = g_strdup (_("Filter by stage, theme, target group, county and publication"));
  else
    description = g_strdup_printf (ngettext ("%u filter on", "%u filters on", n_filters), n_filters);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
mp_window_update_list_state (MpWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (ngettext ("%u model", "%u models", n_items), n_items);
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);

  if (n_items > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (mp_window_is_searching (self))
    {
      adw_status_page_set_icon_name (self->list_empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->list_empty_page, _("No Models Found"));
      adw_status_page_set_description (self->list_empty_page,
                                       _("Try other words or clear the filters."));
      gtk_button_set_label (self->list_empty_button, _("_Show All Models"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->list_empty_button), "win.reset-search");
    }
  else
    {
      adw_status_page_set_icon_name (self->list_empty_page, "document-new-symbolic");
      adw_status_page_set_title (self->list_empty_page, _("No Models Yet"));
      adw_status_page_set_description (self->list_empty_page,
                                       _("Create a model to start drafting."));
      gtk_button_set_label (self->list_empty_button, _("_New Model"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->list_empty_button), "win.new-model");
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* search index backlog (issue 5) */
static void
mp_window_update_index_notice (MpWindow *self)
{
  guint remaining = mp_indexer_get_remaining (self->indexer);
  gboolean show = mp_indexer_get_running (self->indexer) && remaining > 0;

  if (show)
    {
      g_autofree char *text = NULL;

      /* Translators: under the model list while search is being prepared
       * in the background, e.g. after an upgrade; %u is a number */
      text = g_strdup_printf (ngettext ("Updating the search index: %u model left",
                                        "Updating the search index: %u models left", remaining),
                              remaining);
      gtk_label_set_label (self->index_label, text);
    }
  gtk_spinner_set_spinning (self->index_spinner, show);
  gtk_revealer_set_reveal_child (self->index_revealer, show);
}

/* A search made while the index was catching up is made again. The
 * list has no call for that, so the store says "bank-changed". */
static void
on_index_finished (MpWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      {
        mp_store_emit_changed (self->store, NULL);
        return;
      }
}

static void
mp_window_update_query (MpWindow *self)
{
  g_autoptr(MpQuery) query = NULL;

  if (!self->ready)
    return;

  query = mp_query_new ();
  query->text = dup_or_null (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  query->min_stage = self->filter_stage;
  query->theme = dup_or_null (self->filter_theme);
  query->target_group = dup_or_null (self->filter_target_group);
  query->region = dup_or_null (self->filter_region);
  query->publication = (MpPublication) find_publication (self->filter_publication);

  /* The empty state and the buttons follow the query even when the
   * results stay the same, so they are updated here and not only on
   * items-changed */
  mp_model_list_set_query (self->models, query);
  mp_window_update_filter_button (self);
  mp_window_update_actions (self);
  mp_window_update_list_state (self);
}

/* The filter setters return early when nothing changed, so that the
 * combos, GSettings and the properties can follow one another */

static void
mp_window_set_filter_stage (MpWindow *self,
                            int       stage)
{
  stage = CLAMP (stage, MP_STAGE_NONE, MP_N_STAGES - 1);
  if (self->filter_stage == stage)
    return;

  self->filter_stage = stage;
  select_row_quietly (self, self->filter_stage_row, (guint) (stage + 1));
  mp_window_update_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_STAGE]);
}

/* Unknown keys (a taxonomy term that was dropped) count as "any", so that
 * an old setting cannot hide every model */
static gboolean
set_filter_key (MpWindow    *self,
                char       **field,
                GPtrArray   *keys,
                AdwComboRow *row,
                const char  *key)
{
  guint position = keys != NULL ? find_key (keys, key) : 0;
  const char *normal = keys != NULL ? key_at (keys, position) : (key != NULL ? key : "");

  if (g_strcmp0 (*field, normal) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (normal);
  if (keys != NULL)
    select_row_quietly (self, row, position);
  mp_window_update_query (self);
  return TRUE;
}

static void
mp_window_set_filter_theme (MpWindow   *self,
                            const char *key)
{
  if (set_filter_key (self, &self->filter_theme, self->theme_keys, self->filter_theme_row, key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_THEME]);
}

static void
mp_window_set_filter_target_group (MpWindow   *self,
                                   const char *key)
{
  if (set_filter_key (self, &self->filter_target_group, self->target_group_keys,
                      self->filter_target_group_row, key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_TARGET_GROUP]);
}

static void
mp_window_set_filter_region (MpWindow   *self,
                             const char *key)
{
  if (set_filter_key (self, &self->filter_region, self->region_keys, self->filter_region_row, key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_REGION]);
}

static void
mp_window_set_filter_publication (MpWindow   *self,
                                  const char *key)
{
  guint position = find_publication (key);

  if (g_strcmp0 (self->filter_publication, publication_keys[position]) == 0)
    return;

  g_free (self->filter_publication);
  self->filter_publication = g_strdup (publication_keys[position]);
  select_row_quietly (self, self->filter_publication_row, position);
  mp_window_update_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_PUBLICATION]);
}

static MpModel *
mp_window_get_model (MpWindow *self)
{
  return self->model_page != NULL ? mp_model_page_get_model (self->model_page) : NULL;
}

static gboolean
mp_window_is_folded_on_sidebar (MpWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet) &&
         g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "sidebar") == 0;
}

/* GTK 4.8's list sends Tab to the row that last had the focus, not to the
 * selected one, even when that row is scrolled out of sight: a keyboard
 * user would land on a row they cannot see. Once the list has scrolled to
 * the selected row, that row becomes the one Tab comes back to. */
static gboolean
mp_window_focus_row_tick (GtkWidget     *list,
                          GdkFrameClock *frame_clock,
                          gpointer       user_data)
{
  MpWindow *self = MP_WINDOW (user_data);
  MpModel *model = mp_window_get_model (self);
  guint *ticks = g_object_get_data (G_OBJECT (list), "mp-focus-row-ticks");

  if (model == NULL || (gtk_widget_get_state_flags (list) & GTK_STATE_FLAG_FOCUS_WITHIN) || ++*ticks > 10)
    return G_SOURCE_REMOVE;

  for (GtkWidget *item = gtk_widget_get_first_child (list);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      MpModelSummary *summary = MP_IS_MODEL_ROW (row) ? mp_model_row_get_summary (MP_MODEL_ROW (row)) : NULL;

      if (summary != NULL && g_strcmp0 (mp_model_summary_get_id (summary), mp_model_get_id (model)) == 0 &&
          gtk_widget_get_child_visible (item))
        {
          gtk_widget_set_focus_child (list, item);
          return G_SOURCE_REMOVE;
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Keeps the list's selection on the model in the page, and with
 * @scroll brings it into view. On a folded window showing the list
 * nothing stays selected, so that tapping the same model again opens it. */
static void
mp_window_select_model (MpWindow *self,
                        gboolean  scroll)
{
  MpModel *model = mp_window_get_model (self);
  guint position = GTK_INVALID_LIST_POSITION;

  if (model != NULL && !mp_window_is_folded_on_sidebar (self))
    {
      int found = mp_model_list_find (self->models, mp_model_get_id (model));

      if (found >= 0)
        position = (guint) found;
    }

  if (gtk_single_selection_get_selected (self->selection) == position)
    return;

  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing = FALSE;

  if (position != GTK_INVALID_LIST_POSITION && scroll)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
      if (!(gtk_widget_get_state_flags (GTK_WIDGET (self->list_view)) & GTK_STATE_FLAG_FOCUS_WITHIN))
        {
          g_object_set_data_full (G_OBJECT (self->list_view), "mp-focus-row-ticks", g_new0 (guint, 1), g_free);
          gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), mp_window_focus_row_tick, self, NULL);
        }
    }
}

static void
mp_window_sync_selection (MpWindow *self)
{
  mp_window_select_model (self, TRUE);
}

/* The page shows the title in large; the window title names the model for
 * the window list and screen readers */
static void
mp_window_update_title (MpWindow *self)
{
  MpModel *model = mp_window_get_model (self);
  const char *title = model != NULL ? mp_model_get_text (model, MP_TEXT_TITLE) : "";
  g_autofree char *window_title = NULL;

  if (*title == '\0')
    {
      gtk_window_set_title (GTK_WINDOW (self), "Mallipaja");
      return;
    }

  /* Translators: the window title: a model's title and the app's name */
  window_title = g_strdup_printf (_("%s – Mallipaja"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
mp_window_flush (MpWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!mp_autosaver_flush (self->autosaver, &error))
    {
      g_autofree char *title = NULL;

      /* The autosaver keeps the change and tries again on the next edit */
      title = g_markup_printf_escaped (_("Your latest changes could not be saved: %s"),
                                       error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
    }
}

/* The page and its editor are the biggest widgets of the window; the first
 * frame shows the "Choose a Model" status page without them. */
static MpModelPage *
mp_window_ensure_model_page (MpWindow *self)
{
  GtkWidget *page;

  if (self->model_page != NULL)
    return self->model_page;

  page = mp_model_page_new (self->store, self->autosaver);
  self->model_page = MP_MODEL_PAGE (page);
  gtk_stack_add_named (self->content_stack, page, "model");
  g_signal_connect_object (page, "deleted", G_CALLBACK (on_model_deleted), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "open-model", G_CALLBACK (on_open_model), self, G_CONNECT_SWAPPED);
  /* The page takes a fresh copy of its model after a sync */
  g_signal_connect_object (page, "notify::model", G_CALLBACK (on_page_model_changed), self, G_CONNECT_SWAPPED);

  return self->model_page;
}

static void
mp_window_present_model (MpWindow *self,
                         MpModel  *model)
{
  if (model != NULL || self->model_page != NULL)
    mp_model_page_set_model (mp_window_ensure_model_page (self), model);
  g_signal_group_set_target (self->model_signals, model);
  mp_window_update_title (self);
  gtk_stack_set_visible_child_name (self->content_stack, model != NULL ? "model" : "choose");

  /* Only a folded leaflet navigates: unfolded, it would also move the
   * focus out of the list, and the arrow keys would stop walking it */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, model != NULL ? "content" : "sidebar");

  mp_window_sync_selection (self);
}

static void
mp_window_show_error (MpWindow     *self,
                      const GError *error)
{
  g_autofree char *title = g_markup_escape_text (error->message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* callbacks */

static void
on_filter_publication_selected (MpWindow *self)
{
  guint position = adw_combo_row_get_selected (self->filter_publication_row);

  if (!self->syncing && position < G_N_ELEMENTS (publication_keys))
    mp_window_set_filter_publication (self, publication_keys[position]);
}

static void
on_filter_region_selected (MpWindow *self)
{
  if (!self->syncing)
    mp_window_set_filter_region (self, key_at (self->region_keys,
                                               adw_combo_row_get_selected (self->filter_region_row)));
}

static void
on_filter_stage_selected (MpWindow *self)
{
  guint position = adw_combo_row_get_selected (self->filter_stage_row);

  if (!self->syncing && position != GTK_INVALID_LIST_POSITION)
    mp_window_set_filter_stage (self, (int) position - 1);
}

static void
on_filter_target_group_selected (MpWindow *self)
{
  if (!self->syncing)
    mp_window_set_filter_target_group (self,
                                       key_at (self->target_group_keys,
                                               adw_combo_row_get_selected (self->filter_target_group_row)));
}

static void
on_filter_theme_selected (MpWindow *self)
{
  if (!self->syncing)
    mp_window_set_filter_theme (self, key_at (self->theme_keys,
                                              adw_combo_row_get_selected (self->filter_theme_row)));
}

static gboolean
show_current_pane (gpointer user_data)
{
  MpWindow *self = user_data;

  self->fold_idle_id = 0;
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet,
                                        mp_window_get_model (self) != NULL ? "content" : "sidebar");
  mp_window_sync_selection (self);
  return G_SOURCE_REMOVE;
}

/* On folding, the open model stays in view, as it was beside the list.
 * The leaflet folds while it allocates, so the switch waits for an idle. */
static void
on_leaflet_folded (MpWindow *self)
{
  if (self->fold_idle_id == 0)
    self->fold_idle_id = g_idle_add (show_current_pane, self);
}

static void
on_leaflet_changed (MpWindow *self)
{
  mp_window_sync_selection (self);
}

static void
on_list_activated (MpWindow    *self,
                   guint        position,
                   GtkGridView *list_view)
{
  g_autoptr(MpModelSummary) summary = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (summary != NULL)
    mp_window_show_model (self, mp_model_summary_get_id (summary));
}

static void
on_model_deleted (MpWindow    *self,
                  const char  *id,
                  const char  *title,
                  MpModelPage *page)
{
  g_autofree char *toast_title = NULL;
  AdwToast *toast;

  mp_window_present_model (self, NULL);

  /* Translators: %s is the title of the deleted model */
  toast_title = g_markup_printf_escaped (_("“%s” deleted"), title);
  toast = adw_toast_new (toast_title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target (toast, "s", id);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_page_model_changed (MpWindow *self)
{
  g_signal_group_set_target (self->model_signals, mp_window_get_model (self));
  mp_window_update_title (self);
}

static void
on_model_title_changed (MpWindow *self)
{
  mp_window_update_title (self);
}

/* A sync tells a page of changes in many small ranges: each is cheap
 * when the selection is still on the open model, and none scrolls the
 * list away from where the person is reading. */
static void
on_models_changed (MpWindow   *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *models)
{
  MpModelSummary *selected = gtk_single_selection_get_selected_item (self->selection);
  MpModel *model = mp_window_get_model (self);

  if (selected != NULL && model != NULL &&
      g_strcmp0 (mp_model_summary_get_id (selected), mp_model_get_id (model)) == 0 &&
      !mp_window_is_folded_on_sidebar (self))
    return;
  mp_window_select_model (self, FALSE);
}

static void
on_models_n_items (MpWindow *self)
{
  mp_window_update_list_state (self);
}

/* Rows keep their summaries when a page of many changes did not touch
 * them, so they are not bound again; their sync badges may have changed
 * all the same (a push answered, a merge). Only the rows made are read. */
static void
on_bank_changed (MpWindow *self)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      MpModelSummary *summary = MP_IS_MODEL_ROW (row) ? mp_model_row_get_summary (MP_MODEL_ROW (row)) : NULL;
      gboolean remote_gone = FALSE;
      MpSyncState state;

      if (summary == NULL)
        continue;
      state = mp_sync_store_get_state (self->store, mp_model_summary_get_id (summary), &remote_gone);
      mp_model_row_set_sync_state (MP_MODEL_ROW (row), state, remote_gone);
    }
}

static void
on_sync_running (MpWindow *self)
{
  g_autoptr(MpSyncController) controller = g_signal_group_dup_target (self->sync_signals);
  gboolean running = controller != NULL && mp_sync_controller_get_running (controller);

  if (self->indexer == NULL || running == self->indexer_held)
    return;
  self->indexer_held = running;
  if (running)
    mp_indexer_hold (self->indexer);
  else
    mp_indexer_release (self->indexer);
}

static void
on_open_model (MpWindow    *self,
               const char  *id,
               MpModelPage *page)
{
  mp_window_show_model (self, id);
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             MpWindow                 *self)
{
  MpModelSummary *summary = gtk_list_item_get_item (item);
  MpModelRow *row = MP_MODEL_ROW (gtk_list_item_get_child (item));
  gboolean remote_gone = FALSE;
  MpSyncState state;

  mp_model_row_set_summary (row, summary);
  /* Only the rows on screen are bound, so a snippet costs a few of them a
   * keystroke, not one per hit */
  {
    const MpQuery *query = mp_model_list_get_query (self->models);
    g_autofree char *snippet = NULL;

    if (query != NULL && query->text != NULL && *query->text != '\0')
      snippet = mp_store_snippet (self->store, mp_model_summary_get_rowid (summary), query->text);
    mp_model_row_set_snippet (row, snippet);
  }
  /* A change of sync state is a "model-changed" too, so the row is bound
   * again and the badge follows */
  state = mp_sync_store_get_state (self->store, mp_model_summary_get_id (summary), &remote_gone);
  mp_model_row_set_sync_state (row, state, remote_gone);
}

/* A signal factory, not a builder one: that one parses its XML and binds an
 * expression for each of the couple of hundred rows a list view keeps */
static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              MpWindow                 *self)
{
  gtk_list_item_set_child (item, mp_model_row_new ());
}

static void
on_row_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               MpWindow                 *self)
{
  mp_model_row_set_summary (MP_MODEL_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_search_activated (MpWindow *self)
{
  /* Enter opens the best hit */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    on_list_activated (self, 0, self->list_view);
}

static void
on_search_changed (MpWindow *self)
{
  mp_window_update_query (self);
}

static void
on_search_stopped (MpWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_selection_changed (MpWindow *self)
{
  MpModelSummary *summary = gtk_single_selection_get_selected_item (self->selection);

  /* A lost selection (the list was searched, or refreshed after a save)
   * leaves the page as it is */
  if (self->syncing || summary == NULL)
    return;

  mp_window_show_model (self, mp_model_summary_get_id (summary));
}

static void
mp_window_clear_filters_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);

  mp_window_set_filter_stage (self, MP_STAGE_NONE);
  mp_window_set_filter_theme (self, "");
  mp_window_set_filter_target_group (self, "");
  mp_window_set_filter_region (self, "");
  mp_window_set_filter_publication (self, "any");
}

static void
mp_window_focus_search_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
mp_window_new_model_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GError) error = NULL;
  GtkEditable *title_entry;

  mp_window_flush (self);

  mp_model_set_text (model, MP_TEXT_TITLE, _("Untitled model"));
  /* People mostly write in the language they use the app in */
  mp_model_set_text (model, MP_TEXT_LANGUAGE, mp_ui_language ());
  if (!mp_store_save_model (self->store, model, &error))
    {
      mp_window_show_error (self, error);
      return;
    }

  mp_window_present_model (self, model);
  mp_model_page_set_editing (self->model_page, TRUE);

  /* A new model is named first */
  title_entry = mp_model_editor_get_text_entry (mp_model_page_get_editor (self->model_page),
                                                MP_TEXT_TITLE);
  if (title_entry != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (title_entry));
      gtk_editable_select_region (title_entry, 0, -1);
    }
}

static void
mp_window_reset_search_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  mp_window_clear_filters_action (widget, NULL, NULL);
  /* The entry reports its change only after a delay */
  mp_window_update_query (self);
}

static void
mp_window_show_sidebar_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
mp_window_undo_delete_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *id = g_variant_get_string (parameter, NULL);

  if (!mp_store_restore_model (self->store, id, &error))
    {
      mp_window_show_error (self, error);
      return;
    }

  mp_window_show_model (self, id);
}

/* GObject overrides */

static gboolean
mp_window_close_request (GtkWindow *window)
{
  MpWindow *self = MP_WINDOW (window);
  g_autoptr(GError) error = NULL;

  mp_window_flush (self);
  /* Deleted drafts stay restorable only while their undo toast can be seen */
  if (!mp_store_purge_deleted (self->store, &error))
    g_debug ("Could not purge deleted drafts: %s", error->message);

  return GTK_WINDOW_CLASS (mp_window_parent_class)->close_request (window);
}

static void
mp_window_constructed (GObject *object)
{
  MpWindow *self = MP_WINDOW (object);

  G_OBJECT_CLASS (mp_window_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));
  g_assert (MP_IS_AUTOSAVER (self->autosaver));

  fill_stage_row (self->filter_stage_row);
  self->theme_keys = fill_term_row (self->filter_theme_row, MP_TAXONOMY_THEME, _("Any Theme"));
  self->target_group_keys = fill_term_row (self->filter_target_group_row, MP_TAXONOMY_TARGET_GROUP,
                                           _("Any Target Group"));
  self->region_keys = fill_term_row (self->filter_region_row, MP_TAXONOMY_REGION, _("Anywhere"));
  fill_publication_row (self->filter_publication_row);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "filter-stage", self, "filter-stage", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "filter-theme", self, "filter-theme", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "filter-target-group", self, "filter-target-group",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "filter-region", self, "filter-region", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "filter-publication", self, "filter-publication",
                   G_SETTINGS_BIND_DEFAULT);

  /* The list gets the saved search before the view sees it, so that the
   * rows are made once */
  self->models = mp_model_list_new (self->store);
  self->ready = TRUE;
  mp_window_update_query (self);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->models));
  g_signal_connect_object (self->models, "items-changed", G_CALLBACK (on_models_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->models, "notify::n-items", G_CALLBACK (on_models_n_items),
                           self, G_CONNECT_SWAPPED);
  /* After the list's own handler, which it connected when made */
  g_signal_connect_object (self->store, "bank-changed", G_CALLBACK (on_bank_changed),
                           self, G_CONNECT_SWAPPED);

  /* The search index catches up in the background (after an analyser
   * upgrade, a large sync); it starts again by itself when the store
   * says models changed and some wait to be indexed. */
  self->indexer = mp_indexer_new (self->store);
  g_signal_connect_object (self->indexer, "notify::remaining",
                           G_CALLBACK (mp_window_update_index_notice), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->indexer, "notify::running",
                           G_CALLBACK (mp_window_update_index_notice), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->indexer, "finished",
                           G_CALLBACK (on_index_finished), self, G_CONNECT_SWAPPED);
  mp_indexer_start (self->indexer);
  mp_window_update_index_notice (self);

  /* Said once and quietly: search still works, only less well */
  if (mp_store_get_search_degraded (self->store))
    {
      AdwToast *toast = adw_toast_new (_("Finnish word forms are not available on this computer: "
                                         "search finds the beginnings of words only."));

      adw_toast_set_timeout (toast, 8);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
mp_window_dispose (GObject *object)
{
  MpWindow *self = MP_WINDOW (object);

  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  if (self->sync_signals != NULL)
    g_signal_group_set_target (self->sync_signals, NULL);
  g_clear_handle_id (&self->fold_idle_id, g_source_remove);
  /* What is left stays in the backlog for the next start. The run's
   * end is still to be told, to no one. */
  if (self->indexer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->indexer, self);
      mp_indexer_stop (self->indexer);
    }
  g_clear_object (&self->indexer);

  gtk_widget_dispose_template (GTK_WIDGET (self), MP_TYPE_WINDOW);

  G_OBJECT_CLASS (mp_window_parent_class)->dispose (object);

  /* After the widgets, which may still reach the list and the store */
  g_clear_object (&self->settings);
  g_clear_object (&self->models);
}

static void
mp_window_finalize (GObject *object)
{
  MpWindow *self = MP_WINDOW (object);

  g_clear_object (&self->model_signals);
  g_clear_object (&self->sync_signals);
  g_clear_object (&self->autosaver);
  g_clear_object (&self->store);
  g_clear_pointer (&self->theme_keys, g_ptr_array_unref);
  g_clear_pointer (&self->target_group_keys, g_ptr_array_unref);
  g_clear_pointer (&self->region_keys, g_ptr_array_unref);
  g_clear_pointer (&self->filter_theme, g_free);
  g_clear_pointer (&self->filter_target_group, g_free);
  g_clear_pointer (&self->filter_region, g_free);
  g_clear_pointer (&self->filter_publication, g_free);

  G_OBJECT_CLASS (mp_window_parent_class)->finalize (object);
}

static void
mp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MpWindow *self = MP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_AUTOSAVER:
      g_value_set_object (value, self->autosaver);
      break;
    case PROP_FILTER_STAGE:
      g_value_set_int (value, self->filter_stage);
      break;
    case PROP_FILTER_THEME:
      g_value_set_string (value, self->filter_theme);
      break;
    case PROP_FILTER_TARGET_GROUP:
      g_value_set_string (value, self->filter_target_group);
      break;
    case PROP_FILTER_REGION:
      g_value_set_string (value, self->filter_region);
      break;
    case PROP_FILTER_PUBLICATION:
      g_value_set_string (value, self->filter_publication);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MpWindow *self = MP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_AUTOSAVER:
      self->autosaver = g_value_dup_object (value);
      break;
    case PROP_FILTER_STAGE:
      mp_window_set_filter_stage (self, g_value_get_int (value));
      break;
    case PROP_FILTER_THEME:
      mp_window_set_filter_theme (self, g_value_get_string (value));
      break;
    case PROP_FILTER_TARGET_GROUP:
      mp_window_set_filter_target_group (self, g_value_get_string (value));
      break;
    case PROP_FILTER_REGION:
      mp_window_set_filter_region (self, g_value_get_string (value));
      break;
    case PROP_FILTER_PUBLICATION:
      mp_window_set_filter_publication (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_window_class_init (MpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = mp_window_constructed;
  object_class->dispose = mp_window_dispose;
  object_class->finalize = mp_window_finalize;
  object_class->get_property = mp_window_get_property;
  object_class->set_property = mp_window_set_property;

  window_class->close_request = mp_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOSAVER] =
    g_param_spec_object ("autosaver", NULL, NULL, MP_TYPE_AUTOSAVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_STAGE] =
    g_param_spec_int ("filter-stage", NULL, NULL, MP_STAGE_NONE, MP_N_STAGES - 1, MP_STAGE_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_THEME] =
    g_param_spec_string ("filter-theme", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_TARGET_GROUP] =
    g_param_spec_string ("filter-target-group", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_REGION] =
    g_param_spec_string ("filter-region", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_PUBLICATION] =
    g_param_spec_string ("filter-publication", NULL, NULL, "any",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MpWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_clear_button);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_count_label);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_publication_row);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_region_row);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_stage_row);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_target_group_row);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, filter_theme_row);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, index_label);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, index_revealer);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, index_spinner);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, list_empty_button);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, list_empty_page);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, MpWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_publication_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_region_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_stage_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_target_group_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_theme_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_row_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_row_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);

  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL,
                                   mp_window_clear_filters_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL,
                                   mp_window_focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.new-model", NULL,
                                   mp_window_new_model_action);
  gtk_widget_class_install_action (widget_class, "win.reset-search", NULL,
                                   mp_window_reset_search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   mp_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s",
                                   mp_window_undo_delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);

  /* Overview, import and export (issue 6) */
  _mp_window_class_add_exchange_actions (widget_class);

  g_type_ensure (MP_TYPE_MODEL_ROW);
  g_type_ensure (MP_TYPE_SYNC_INDICATOR);
}

static void
mp_window_init (MpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter_stage = MP_STAGE_NONE;
  self->filter_theme = g_strdup ("");
  self->filter_target_group = g_strdup ("");
  self->filter_region = g_strdup ("");
  self->filter_publication = g_strdup ("any");

  self->model_signals = g_signal_group_new (MP_TYPE_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "changed::title",
                                  G_CALLBACK (on_model_title_changed), self);

  self->sync_signals = g_signal_group_new (MP_TYPE_SYNC_CONTROLLER);
  g_signal_group_connect_swapped (self->sync_signals, "notify::running",
                                  G_CALLBACK (on_sync_running), self);

  /* Typing anywhere in the list goes to the search */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
}

/* public API */

MpWindow *
mp_window_new (GtkApplication *application,
               MpStore        *store,
               MpAutosaver    *autosaver)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (MP_IS_AUTOSAVER (autosaver), NULL);

  return g_object_new (MP_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "autosaver", autosaver,
                       NULL);
}

MpStore *
mp_window_get_store (MpWindow *self)
{
  g_return_val_if_fail (MP_IS_WINDOW (self), NULL);

  return self->store;
}

gboolean
mp_window_show_model (MpWindow   *self,
                      const char *id)
{
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  MpModel *current;

  g_return_val_if_fail (MP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  current = mp_window_get_model (self);
  if (current != NULL && g_strcmp0 (mp_model_get_id (current), id) == 0)
    {
      mp_window_present_model (self, current);
      return TRUE;
    }

  /* What was typed into the old model reaches the bank before the page moves on */
  mp_window_flush (self);

  if (!(model = mp_store_load_model (self->store, id, &error)))
    {
      mp_window_show_error (self, error);
      mp_window_sync_selection (self);
      return FALSE;
    }

  mp_window_present_model (self, model);
  return TRUE;
}

void
mp_window_add_toast (MpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (MP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The application's sync, shown in the sidebar's header bar. */
void
mp_window_set_sync_controller (MpWindow         *self,
                               MpSyncController *controller)
{
  g_return_if_fail (MP_IS_WINDOW (self));
  g_return_if_fail (controller == NULL || MP_IS_SYNC_CONTROLLER (controller));

  mp_sync_indicator_set_controller (self->sync_indicator, controller);
  g_signal_group_set_target (self->sync_signals, controller);
  on_sync_running (self);
}

MpModelList *
mp_window_get_model_list (MpWindow *self)
{
  g_return_val_if_fail (MP_IS_WINDOW (self), NULL);

  return self->models;
}
