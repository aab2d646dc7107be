/* mp-overview.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-bar-chart.h"
#include "mp-model-printer.h"
#include "mp-overview.h"

/* One chart of the Overview with its table and its toggle */
typedef enum {
  CHART_CHARACTERISTICS,
  CHART_STAGES,
  CHART_THEMES,
  CHART_BY_THEME,
  N_CHARTS
} Chart;

struct _MpOverview
{
  AdwWindow             parent_instance;

  /* template widgets */
  AdwComboRow          *characteristic_row;
  GtkLabel             *count_label;
  GtkLabel             *selection_label;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *groups[N_CHARTS];
  MpBarChart           *charts[N_CHARTS];
  GtkListBox           *tables[N_CHARTS];
  GtkStack             *stacks[N_CHARTS];
  GtkToggleButton      *toggles[N_CHARTS];

  /* owned references */
  MpModelList          *models;
  MpStatistics         *statistics;
  guint                 refresh_id;
};

G_DEFINE_FINAL_TYPE (MpOverview, mp_overview, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_MODEL_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static char *
format_percent (double percent)
{
  /* Translators: a share in per cent; Finnish and Swedish put a space
   * before the sign ("91 %") */
  return g_strdup_printf (_("%d %%"), (int) (percent + 0.5));
}

/* "12 (23 %)": a count and its share of the selection */
static char *
format_count (guint count,
              guint total)
{
  g_autofree char *percent = format_percent (mp_statistics_percent (count, total));

  /* Translators: a number of models and their share, "12 (23 %)" */
  return g_strdup_printf (_("%u (%s)"), count, percent);
}

/* The table shows exactly what the chart draws */
static void
fill_table (GtkListBox *table,
            MpBarChart *chart)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (table))) != NULL)
    gtk_list_box_remove (table, child);

  for (guint i = 0; i < mp_bar_chart_get_n_bars (chart); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new (mp_bar_chart_get_value_text (chart, i));
      const char *marker = mp_bar_chart_get_marker_text (chart, i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mp_bar_chart_get_label (chart, i));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (marker != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), marker);
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (table, row);
    }
}

static void
add_sorted_bar (GArray *order,
                guint   index)
{
  g_array_append_val (order, index);
}

static const guint *sort_counts;

static int
compare_by_count (gconstpointer a,
                  gconstpointer b)
{
  guint index_a = *(const guint *) a, index_b = *(const guint *) b;

  /* Most first; equal counts keep the taxonomy's order */
  if (sort_counts[index_a] != sort_counts[index_b])
    return sort_counts[index_a] > sort_counts[index_b] ? -1 : 1;
  return (index_a > index_b) - (index_a < index_b);
}

static void
sort_by_counts (GArray      *order,
                const guint *counts)
{
  sort_counts = counts;
  g_array_sort (order, compare_by_count);
  sort_counts = NULL;
}

static char *
describe_query (const MpQuery *query)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (query == NULL)
    return g_strdup (_("All models in the bank."));

  if (query->text != NULL && *query->text != '\0')
    /* Translators: the search text of the selection an Overview counts */
    g_ptr_array_add (parts, g_strdup_printf (_("search “%s”"), query->text));
  if (query->min_stage > MP_STAGE_NONE && query->min_stage < MP_N_STAGES)
    /* Translators: a filter of the selection an Overview counts */
    g_ptr_array_add (parts, g_strdup_printf (_("stage at least “%s”"),
                                             mp_taxonomy_label (MP_TAXONOMY_STAGE, mp_stage_key (query->min_stage))));
  if (query->theme != NULL && *query->theme != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("theme “%s”"), mp_taxonomy_label (MP_TAXONOMY_THEME, query->theme)));
  if (query->target_group != NULL && *query->target_group != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("target group “%s”"),
                                             mp_taxonomy_label (MP_TAXONOMY_TARGET_GROUP, query->target_group)));
  if (query->region != NULL && *query->region != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("region “%s”"), mp_taxonomy_label (MP_TAXONOMY_REGION, query->region)));
  switch (query->publication)
    {
    case MP_PUBLICATION_DRAFTS:
      g_ptr_array_add (parts, g_strdup (_("own drafts")));
      break;
    case MP_PUBLICATION_PUBLISHED:
      g_ptr_array_add (parts, g_strdup (_("published")));
      break;
    case MP_PUBLICATION_UNFINISHED:
      g_ptr_array_add (parts, g_strdup (_("published unfinished")));
      break;
    case MP_PUBLICATION_ANY:
    default:
      break;
    }

  if (parts->len == 0)
    return g_strdup (_("All models in the bank."));

  g_ptr_array_add (parts, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **) parts->pdata);

    /* Translators: the selection an Overview counts, e.g. "Models shown
     * for: theme “Family support”, stage at least “Trials”." */
    return g_strdup_printf (_("Models shown for: %s."), joined);
  }
}

static void
fill_characteristics (MpOverview *self)
{
  MpBarChart *chart = self->charts[CHART_CHARACTERISTICS];
  MpStatistics *stats = self->statistics;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  const MpTerm *terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL);

  mp_bar_chart_clear (chart);
  mp_bar_chart_set_maximum (chart, 100);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    add_sorted_bar (order, i);
  sort_by_counts (order, stats->characteristics);

  for (guint i = 0; i < order->len; i++)
    {
      guint index = g_array_index (order, guint, i);
      double percent = mp_statistics_percent (stats->characteristics[index], stats->n_models);
      g_autofree char *value = format_percent (percent);
      g_autofree char *review = NULL;
      g_autofree char *marker = NULL;

      if (terms[index].share >= 0)
        {
          review = format_percent (terms[index].share);
          /* Translators: the share a characteristic had in the review of
           * 52 child-protection models, "in the review: 91 %" */
          marker = g_strdup_printf (_("in the review: %s"), review);
        }
      mp_bar_chart_append (chart, mp_term_get_label (&terms[index], NULL), percent, value,
                           terms[index].share, marker);
    }
}

static void
fill_stages (MpOverview *self)
{
  MpBarChart *chart = self->charts[CHART_STAGES];
  MpStatistics *stats = self->statistics;
  g_autofree char *none = format_count (stats->no_stage, stats->n_models);

  mp_bar_chart_clear (chart);
  mp_bar_chart_set_maximum (chart, 0);
  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      g_autofree char *value = format_count (stats->stages[stage], stats->n_models);

      mp_bar_chart_append (chart, mp_taxonomy_label (MP_TAXONOMY_STAGE, mp_stage_key (stage)),
                           stats->stages[stage], value, -1, NULL);
    }
  mp_bar_chart_append (chart, _("No stage started"), stats->no_stage, none, -1, NULL);
}

static void
fill_themes (MpOverview *self)
{
  MpBarChart *chart = self->charts[CHART_THEMES];
  MpStatistics *stats = self->statistics;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  const MpTerm *terms = mp_taxonomy_terms (MP_TAXONOMY_THEME, NULL);

  mp_bar_chart_clear (chart);
  mp_bar_chart_set_maximum (chart, 0);
  /* Eighteen themes, most of them empty in a narrow selection: only
   * those with models are drawn */
  for (guint i = 0; i < stats->n_themes; i++)
    if (stats->themes[i] > 0)
      add_sorted_bar (order, i);
  sort_by_counts (order, stats->themes);

  for (guint i = 0; i < order->len; i++)
    {
      guint index = g_array_index (order, guint, i);
      g_autofree char *value = format_count (stats->themes[index], stats->n_models);

      mp_bar_chart_append (chart, mp_term_get_label (&terms[index], NULL), stats->themes[index], value, -1, NULL);
    }
}

static void
fill_by_theme (MpOverview *self)
{
  MpBarChart *chart = self->charts[CHART_BY_THEME];
  MpStatistics *stats = self->statistics;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autofree guint *permille = NULL;
  const MpTerm *terms = mp_taxonomy_terms (MP_TAXONOMY_THEME, NULL);
  guint characteristic = adw_combo_row_get_selected (self->characteristic_row);

  mp_bar_chart_clear (chart);
  mp_bar_chart_set_maximum (chart, 100);
  if (characteristic >= MP_N_CHARACTERISTICS)
    return;

  if (!mp_statistics_compute_by_theme (stats, mp_model_list_get_store (self->models), characteristic, &error))
    {
      g_warning ("Could not count by theme: %s", error->message);
      return;
    }

  /* Sorted by share, so that where the characteristic is common shows
   * first */
  permille = g_new0 (guint, MAX (stats->n_themes, 1));
  for (guint i = 0; i < stats->n_themes; i++)
    if (stats->themes[i] > 0)
      {
        permille[i] = (guint) (mp_statistics_percent (stats->chosen_themes[i], stats->themes[i]) * 10 + 0.5);
        add_sorted_bar (order, i);
      }
  sort_by_counts (order, permille);

  for (guint i = 0; i < order->len; i++)
    {
      guint index = g_array_index (order, guint, i);
      double percent = mp_statistics_percent (stats->chosen_themes[index], stats->themes[index]);
      g_autofree char *share = format_percent (percent);
      /* Translators: a share and the counts behind it, "53 % (9 of 17)" */
      g_autofree char *value = g_strdup_printf (_("%s (%u of %u)"), share, stats->chosen_themes[index],
                                                stats->themes[index]);

      mp_bar_chart_append (chart, mp_term_get_label (&terms[index], NULL), percent, value, -1, NULL);
    }
}

static void
update_tables (MpOverview *self)
{
  for (guint i = 0; i < N_CHARTS; i++)
    fill_table (self->tables[i], self->charts[i]);
}

static gboolean
refresh_idle (gpointer user_data)
{
  MpOverview *self = user_data;

  self->refresh_id = 0;
  mp_overview_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (MpOverview *self)
{
  /* The list re-queries on every keystroke of the search: count once */
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (150, refresh_idle, self);
}

static void
show_error (MpOverview   *self,
            const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* callbacks */

static void
on_table_toggled (GtkToggleButton *toggle,
                  GtkStack        *stack)
{
  gtk_stack_set_visible_child_name (stack, gtk_toggle_button_get_active (toggle) ? "table" : "chart");
}

/* The chooser's list shows every name whole, on as many lines as it
 * takes, with a check mark on the chosen one as libadwaita's own list has */
static void
on_characteristic_item_setup (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              MpOverview               *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Narrow enough for a popover on a 360 px screen */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
update_check_mark (GtkListItem *item,
                   AdwComboRow *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  gboolean chosen = gtk_list_item_get_item (item) != NULL &&
                    gtk_list_item_get_item (item) == adw_combo_row_get_selected_item (row);

  /* Hidden by opacity, so that every line keeps the same width */
  gtk_widget_set_opacity (gtk_widget_get_last_child (box), chosen ? 1 : 0);
}

static void
on_selected_item_changed (AdwComboRow *row,
                          GParamSpec  *pspec,
                          GtkListItem *item)
{
  update_check_mark (item, row);
}

static void
on_characteristic_item_bind (GtkSignalListItemFactory *factory,
                             GtkListItem              *item,
                             MpOverview               *self)
{
  GtkStringObject *name = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (name));
  update_check_mark (item, self->characteristic_row);
  g_signal_connect_object (self->characteristic_row, "notify::selected-item",
                           G_CALLBACK (on_selected_item_changed), item, 0);
}

static void
on_characteristic_item_unbind (GtkSignalListItemFactory *factory,
                               GtkListItem              *item,
                               MpOverview               *self)
{
  g_signal_handlers_disconnect_by_func (self->characteristic_row, on_selected_item_changed, item);
}

static void
on_characteristic_selected (MpOverview *self)
{
  GtkStringObject *name = adw_combo_row_get_selected_item (self->characteristic_row);

  /* The row's name is "Characteristic"; what is chosen is its value */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->characteristic_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  name != NULL ? gtk_string_object_get_string (name) : "",
                                  -1);

  if (self->statistics == NULL)
    return;

  fill_by_theme (self);
  fill_table (self->tables[CHART_BY_THEME], self->charts[CHART_BY_THEME]);
}

static void
on_csv_response (GtkNativeDialog *dialog,
                 int              response,
                 MpOverview      *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->statistics != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      csv = mp_statistics_to_csv (self->statistics, NULL);
      if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
        show_error (self, error);
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Numbers saved")));
    }

  g_object_unref (dialog);
}

static void
mp_overview_export_csv_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MpOverview *self = MP_OVERVIEW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Export Numbers as CSV"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: the suggested file name of the Overview's numbers */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("overview.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_csv_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               MpOverview              *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_error (self, error);
    }
}

static void
mp_overview_print_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MpOverview *self = MP_OVERVIEW (widget);
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->statistics == NULL)
    return;

  printer = mp_overview_create_printer (self);
  operation = mp_model_printer_create_operation (printer);
  /* The printer lives as long as the operation that draws it */
  g_object_set_data_full (G_OBJECT (operation), "mp-printer", g_object_ref (printer), g_object_unref);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error);
}

/* GObject overrides */

static void
mp_overview_constructed (GObject *object)
{
  MpOverview *self = MP_OVERVIEW (object);

  G_OBJECT_CLASS (mp_overview_parent_class)->constructed (object);

  g_signal_connect_object (self->models, "notify::query", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
  /* A saved or imported model changes the list's rows */
  g_signal_connect_object (self->models, "items-changed", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
  mp_overview_refresh (self);
}

static void
mp_overview_dispose (GObject *object)
{
  MpOverview *self = MP_OVERVIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  G_OBJECT_CLASS (mp_overview_parent_class)->dispose (object);
}

static void
mp_overview_finalize (GObject *object)
{
  MpOverview *self = MP_OVERVIEW (object);

  g_clear_object (&self->models);
  g_clear_pointer (&self->statistics, mp_statistics_free);

  G_OBJECT_CLASS (mp_overview_parent_class)->finalize (object);
}

static void
mp_overview_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MpOverview *self = MP_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL_LIST:
      g_value_set_object (value, self->models);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_overview_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MpOverview *self = MP_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL_LIST:
      self->models = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_overview_class_init (MpOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_overview_constructed;
  object_class->dispose = mp_overview_dispose;
  object_class->finalize = mp_overview_finalize;
  object_class->get_property = mp_overview_get_property;
  object_class->set_property = mp_overview_set_property;

  properties[PROP_MODEL_LIST] =
    g_param_spec_object ("model-list", NULL, NULL, MP_TYPE_MODEL_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, MpOverview, characteristic_row);
  gtk_widget_class_bind_template_child (widget_class, MpOverview, count_label);
  gtk_widget_class_bind_template_child (widget_class, MpOverview, selection_label);
  gtk_widget_class_bind_template_child (widget_class, MpOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, MpOverview, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MpOverview, window_title);
#define BIND_CHART(index, name) \
  gtk_widget_class_bind_template_child_full (widget_class, name "_chart", FALSE, \
                                             G_STRUCT_OFFSET (MpOverview, charts[index])); \
  gtk_widget_class_bind_template_child_full (widget_class, name "_group", FALSE, \
                                             G_STRUCT_OFFSET (MpOverview, groups[index])); \
  gtk_widget_class_bind_template_child_full (widget_class, name "_stack", FALSE, \
                                             G_STRUCT_OFFSET (MpOverview, stacks[index])); \
  gtk_widget_class_bind_template_child_full (widget_class, name "_table", FALSE, \
                                             G_STRUCT_OFFSET (MpOverview, tables[index])); \
  gtk_widget_class_bind_template_child_full (widget_class, name "_toggle", FALSE, \
                                             G_STRUCT_OFFSET (MpOverview, toggles[index]))
  BIND_CHART (CHART_CHARACTERISTICS, "characteristics");
  BIND_CHART (CHART_STAGES, "stages");
  BIND_CHART (CHART_THEMES, "themes");
  BIND_CHART (CHART_BY_THEME, "by_theme");
#undef BIND_CHART
  gtk_widget_class_bind_template_callback (widget_class, on_characteristic_item_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_characteristic_item_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_characteristic_item_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_characteristic_selected);

  gtk_widget_class_install_action (widget_class, "overview.export-csv", NULL, mp_overview_export_csv_action);
  gtk_widget_class_install_action (widget_class, "overview.print", NULL, mp_overview_print_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "overview.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (MP_TYPE_BAR_CHART);
}

static void
mp_overview_init (MpOverview *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const MpTerm *terms;
  guint n_terms = 0;
  int ecosystem = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_CHARTS; i++)
    {
      /* Four "Table" buttons: a screen reader needs to know whose */
      g_autofree char *label = g_strdup_printf (_("Show “%s” as a table"),
                                                adw_preferences_group_get_title (self->groups[i]));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->toggles[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_object (self->toggles[i], "toggled", G_CALLBACK (on_table_toggled), self->stacks[i], 0);
    }

  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  for (guint i = 0; i < n_terms; i++)
    gtk_string_list_append (labels, mp_term_get_label (&terms[i], NULL));
  adw_combo_row_set_model (self->characteristic_row, G_LIST_MODEL (labels));
  /* The review found this the rarest: the question funders ask first */
  mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, "ecosystem_anchoring", &ecosystem);
  adw_combo_row_set_selected (self->characteristic_row, ecosystem >= 0 ? (guint) ecosystem : 0);
}

/* public API */

MpOverview *
mp_overview_new (GtkWindow   *parent,
                 MpModelList *models)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MP_IS_MODEL_LIST (models), NULL);

  return g_object_new (MP_TYPE_OVERVIEW,
                       "transient-for", parent,
                       "model-list", models,
                       NULL);
}

MpModelList *
mp_overview_get_model_list (MpOverview *self)
{
  g_return_val_if_fail (MP_IS_OVERVIEW (self), NULL);

  return self->models;
}

MpStatistics *
mp_overview_get_statistics (MpOverview *self)
{
  g_return_val_if_fail (MP_IS_OVERVIEW (self), NULL);

  return self->statistics;
}

/**
 * mp_overview_create_printer:
 * @self: an Overview
 *
 * Returns: (transfer full): the figures as a document to print
 */
MpModelPrinter *
mp_overview_create_printer (MpOverview *self)
{
  MpModelPrinter *printer;

  g_return_val_if_fail (MP_IS_OVERVIEW (self), NULL);

  printer = mp_model_printer_new (_("Overview"));
  mp_model_printer_add_text (printer, MP_PRINT_TITLE, _("Overview"));
  {
    /* Translators: under the title of a printed Overview: "16 models. All
     * models in the bank." */
    g_autofree char *lead = g_strdup_printf (_("%s. %s"), gtk_label_get_label (self->count_label),
                                             gtk_label_get_label (self->selection_label));

    mp_model_printer_add_text (printer, MP_PRINT_LEAD, lead);
  }
  for (guint i = 0; i < N_CHARTS; i++)
    {
      if (mp_bar_chart_get_n_bars (self->charts[i]) == 0)
        continue;
      mp_model_printer_add_text (printer, MP_PRINT_HEADING,
                                 adw_preferences_group_get_title (self->groups[i]));
      if (i == CHART_BY_THEME)
        mp_model_printer_add_text (printer, MP_PRINT_SUBHEADING,
                                   mp_term_get_label (mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL) +
                                                      adw_combo_row_get_selected (self->characteristic_row), NULL));
      mp_model_printer_add_text (printer, MP_PRINT_BODY, adw_preferences_group_get_description (self->groups[i]));
      mp_model_printer_add_chart (printer, self->charts[i]);
    }

  return printer;
}

void
mp_overview_refresh (MpOverview *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *description = NULL;
  const MpQuery *query;
  MpStatistics *stats;

  g_return_if_fail (MP_IS_OVERVIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  query = mp_model_list_get_query (self->models);
  g_clear_pointer (&self->statistics, mp_statistics_free);
  if (!(self->statistics = mp_statistics_compute (mp_model_list_get_store (self->models), query, &error)))
    {
      show_error (self, error);
      return;
    }
  stats = self->statistics;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model", "%u models", stats->n_models),
                           stats->n_models);
  adw_window_title_set_subtitle (self->window_title, count);
  gtk_label_set_label (self->count_label, count);
  description = describe_query (query);
  gtk_label_set_label (self->selection_label, description);

  gtk_stack_set_visible_child_name (self->stack, stats->n_models > 0 ? "figures" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.print", stats->n_models > 0);

  fill_characteristics (self);
  fill_stages (self);
  fill_themes (self);
  fill_by_theme (self);
  update_tables (self);
}
