/* test-overview.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mp-gui-test.h"
#include "mp-overview.h"

#define PDFTOTEXT "/usr/bin/pdftotext"

typedef struct
{
  char        *dir;
  MpStore     *store;
  MpModelList *models;
} Fixture;

/* helpers */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-overview-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);
  mp_store_load_sample_bank (fixture->store, &error);
  g_assert_no_error (error);
  fixture->models = mp_model_list_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (mp_store_get_path (fixture->store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_finalize_object (fixture->models);
  g_assert_finalize_object (fixture->store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static MpBarChart *
find_chart (GtkWidget  *widget,
            const char *title)
{
  if (MP_IS_BAR_CHART (widget) && g_strcmp0 (mp_bar_chart_get_title (MP_BAR_CHART (widget)), title) == 0)
    return MP_BAR_CHART (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      MpBarChart *found = find_chart (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for_count (MpOverview *overview,
                guint       n_models)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL);

  while ((mp_overview_get_statistics (overview) == NULL ||
          mp_overview_get_statistics (overview)->n_models != n_models) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

/* tests */

static void
test_figures (Fixture       *fixture,
              gconstpointer  data)
{
  MpOverview *overview = mp_overview_new (NULL, fixture->models);
  MpStatistics *stats;
  MpBarChart *characteristics, *stages, *themes;
  guint previous = 101;

  stats = mp_overview_get_statistics (overview);
  g_assert_nonnull (stats);
  g_assert_cmpuint (stats->n_models, ==, mp_store_count (fixture->store));

  characteristics = find_chart (GTK_WIDGET (overview), "Characteristics");
  stages = find_chart (GTK_WIDGET (overview), "Current Stage");
  themes = find_chart (GTK_WIDGET (overview), "Themes");
  g_assert_nonnull (characteristics);
  g_assert_nonnull (stages);
  g_assert_nonnull (themes);

  /* Every characteristic, most common first, with the review's share */
  g_assert_cmpuint (mp_bar_chart_get_n_bars (characteristics), ==, MP_N_CHARACTERISTICS);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      guint percent = (guint) g_ascii_strtoull (mp_bar_chart_get_value_text (characteristics, i), NULL, 10);

      g_assert_cmpuint (percent, <=, previous);
      previous = percent;
    }
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    if (g_strcmp0 (mp_bar_chart_get_label (characteristics, i), "Anchored in an ecosystem") == 0)
      g_assert_cmpstr (mp_bar_chart_get_marker_text (characteristics, i), ==, "in the review: 53 %");

  /* Six stages and "no stage started" */
  g_assert_cmpuint (mp_bar_chart_get_n_bars (stages), ==, MP_N_STAGES + 1);
  g_assert_cmpuint (mp_bar_chart_get_n_bars (themes), >, 0);

  /* Nothing keeps it alive once closed */
  g_object_ref (overview);
  gtk_window_destroy (GTK_WINDOW (overview));
  g_assert_finalize_object (overview);
}

/* The Overview counts what the list shows */
static void
test_follows_query (Fixture       *fixture,
                    gconstpointer  data)
{
  MpOverview *overview = mp_overview_new (NULL, fixture->models);
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  MpStatistics *stats;

  query->theme = g_strdup ("family_support");
  rowids = mp_store_query (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, >, 0);
  g_assert_cmpuint (rowids->len, <, mp_store_count (fixture->store));

  /* It counts again by itself, once the typing stops */
  mp_model_list_set_query (fixture->models, query);
  wait_for_count (overview, rowids->len);
  stats = mp_overview_get_statistics (overview);
  g_assert_cmpuint (stats->n_models, ==, rowids->len);

  /* No models: nothing to count */
  g_free (query->text);
  query->text = g_strdup ("xyzzyquux");
  mp_model_list_set_query (fixture->models, query);
  mp_overview_refresh (overview);
  g_assert_cmpuint (mp_overview_get_statistics (overview)->n_models, ==, 0);

  gtk_window_destroy (GTK_WINDOW (overview));
}

/* The printed Overview holds its headings and the charts' labels */
static void
test_print (Fixture       *fixture,
            gconstpointer  data)
{
  MpOverview *overview = mp_overview_new (NULL, fixture->models);
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "overview.pdf", NULL);
  g_autofree char *out = NULL;
  const char *argv[] = { PDFTOTEXT, "-raw", "-enc", "UTF-8", path, "-", NULL };
  int status;

  printer = mp_overview_create_printer (overview);
  mp_model_printer_export_pdf (printer, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), >=, 1);

  if (!g_file_test (PDFTOTEXT, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("pdftotext is not installed");
    }
  else
    {
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (out, "16 models. All models in the bank."));
      g_assert_nonnull (strstr (out, "Characteristics"));
      g_assert_nonnull (strstr (out, "Anchored in an ecosystem"));
      g_assert_nonnull (strstr (out, "Current Stage"));
      g_assert_nonnull (strstr (out, "Need identified"));
    }

  g_remove (path);
  gtk_window_destroy (GTK_WINDOW (overview));
}

static void
restore_language (gpointer old)
{
  if (old != NULL)
    g_setenv ("LANGUAGE", old, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_free (old);
}

/* Whether @label shows all of @text: nothing cut off or ellipsized */
static void
assert_whole (GtkLabel   *label,
              const char *text)
{
  g_assert_cmpstr (gtk_label_get_label (label), ==, text);
  g_assert_true (gtk_label_get_wrap (label));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (label)), >=,
                   PANGO_PIXELS (pango_layout_get_height (gtk_label_get_layout (label))));
}

/* The characteristic chooser shows every name whole, also the Finnish
 * ones of sixty characters in a window 360 px wide */
static void
test_characteristic_chooser (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new ();
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  const MpTerm *terms;
  const char *longest;
  MpOverview *overview;
  AdwComboRow *row;
  GtkLabel *subtitle = NULL;
  guint n_terms = 0, found = 0;
  gboolean longest_found = FALSE;

  /* The taxonomy's names follow the interface language */
  g_setenv ("LANGUAGE", "fi", TRUE);
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  longest = mp_term_get_label (&terms[0], NULL);
  g_assert_cmpstr (longest, ==, "Ratkaisun sosiaalinen, taloudellinen ja ekologinen kestävyys");

  overview = mp_overview_new (NULL, fixture->models);
  /* Within the 640×480 screen that xvfb-run gives by default */
  gtk_window_set_default_size (GTK_WINDOW (overview), 360, 460);
  gtk_window_present (GTK_WINDOW (overview));
  mp_gui_test_collect_widgets (GTK_WIDGET (overview), ADW_TYPE_COMBO_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);

  /* The chosen name goes under the row's title, where it wraps */
  adw_combo_row_set_selected (row, 0);
  mp_gui_test_run_main_loop (200);
  g_assert_true (adw_combo_row_get_use_subtitle (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, longest);
  mp_gui_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL, subtitles);
  for (guint i = 0; i < subtitles->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (subtitles, i)), longest) == 0 &&
        gtk_widget_get_mapped (g_ptr_array_index (subtitles, i)))
      subtitle = g_ptr_array_index (subtitles, i);
  g_assert_nonnull (subtitle);
  assert_whole (subtitle, longest);
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (subtitle)), >, 1);

  /* The list wraps its names too, and marks the chosen one. The row is
   * brought into sight first, as the popover points at it. */
  gtk_widget_grab_focus (GTK_WIDGET (row));
  mp_gui_test_run_main_loop (200);
  /* Other tests' windows on the same display take the focus, which would
   * close a popover that hides itself then */
  mp_gui_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_POPOVER, popovers);
  g_assert_cmpuint (popovers->len, ==, 1);
  gtk_popover_set_autohide (g_ptr_array_index (popovers, 0), FALSE);
  gtk_widget_activate (GTK_WIDGET (row));
  mp_gui_test_run_main_loop (300);
  mp_gui_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (label == subtitle || !gtk_widget_get_mapped (GTK_WIDGET (label)) ||
          gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_POPOVER) == NULL)
        continue;
      for (guint t = 0; t < n_terms; t++)
        if (g_strcmp0 (gtk_label_get_label (label), mp_term_get_label (&terms[t], NULL)) == 0)
          {
            assert_whole (label, mp_term_get_label (&terms[t], NULL));
            found++;
            if (t == 0)
              {
                GtkWidget *check = gtk_widget_get_next_sibling (GTK_WIDGET (label));

                longest_found = TRUE;
                g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (label)), >, 1);
                g_assert_cmpfloat (gtk_widget_get_opacity (check), ==, 1);
              }
          }
    }
  g_assert_true (longest_found);
  g_assert_cmpuint (found, >=, 5);
  gtk_popover_popdown (g_ptr_array_index (popovers, 0));

  g_object_ref (overview);
  gtk_window_destroy (GTK_WINDOW (overview));
  g_assert_finalize_object (overview);
  restore_language (g_steal_pointer (&old_language));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/overview/figures", test_figures);
  ADD ("/overview/follows-query", test_follows_query);
  ADD ("/overview/print", test_print);
  ADD ("/overview/characteristic-chooser", test_characteristic_chooser);
#undef ADD

  return g_test_run ();
}
