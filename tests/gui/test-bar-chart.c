/* test-bar-chart.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "mp-bar-chart.h"

/* helpers */

static void
fill (MpBarChart *chart)
{
  mp_bar_chart_set_title (chart, "Characteristics");
  mp_bar_chart_set_maximum (chart, 100);
  mp_bar_chart_append (chart, "Driven by the target group and its needs (91 %)", 80, "80 %", 91, "review 91 %");
  mp_bar_chart_append (chart, "Networked", 42, "42 %", -1, NULL);
  mp_bar_chart_append (chart, "Anchored in an ecosystem", 0, "0 %", 53, "review 53 %");
}

/* gtk_test_accessible_assert_property() puts the value into a format
 * string, which the per cent signs would break */
static void
assert_property (GtkWidget             *widget,
                 GtkAccessibleProperty  property,
                 const char            *value)
{
  g_autofree char *message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, value);

  if (message != NULL)
    g_error ("%s: expected “%s”, got %s", mp_bar_chart_get_title (MP_BAR_CHART (widget)), value, message);
}

/* Counts pixels far from the background colour */
static guint
count_ink (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * height * 4);
  guint ink = 0;

  gdk_texture_download (texture, data, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      const guchar *pixel = data + i * 4;

      /* Premultiplied BGRA: anything drawn has alpha */
      if (pixel[3] > 64)
        ink++;
    }
  return ink;
}

static void
wait_for_map (GtkWidget *widget)
{
  while (!gtk_widget_get_mapped (widget) || gtk_widget_get_height (widget) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  guint *frames = user_data;

  return ++(*frames) < 3 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The widget paintable shows what the widget drew last: let it redraw */
static void
wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;

  gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);
  while (frames < 3)
    g_main_context_iteration (NULL, TRUE);
}

/* tests */

static void
test_accessible (void)
{
  GtkWidget *chart = g_object_ref_sink (mp_bar_chart_new ());

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG);

  fill (MP_BAR_CHART (chart));
  g_assert_cmpuint (mp_bar_chart_get_n_bars (MP_BAR_CHART (chart)), ==, 3);
  assert_property (chart, GTK_ACCESSIBLE_PROPERTY_LABEL, "Characteristics");
  assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                   "Driven by the target group and its needs (91 %): 80 % (review 91 %); "
                   "Networked: 42 %; "
                   "Anchored in an ecosystem: 0 % (review 53 %)");

  mp_bar_chart_clear (MP_BAR_CHART (chart));
  g_assert_cmpuint (mp_bar_chart_get_n_bars (MP_BAR_CHART (chart)), ==, 0);
  assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");

  g_assert_finalize_object (chart);
}

/* The chart asks for more height when narrow (labels wrap) and more rows */
static void
test_measure (void)
{
  GtkWidget *chart = g_object_ref_sink (mp_bar_chart_new ());
  int wide, narrow, more;

  fill (MP_BAR_CHART (chart));
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 800, &wide, NULL, NULL, NULL);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 260, &narrow, NULL, NULL, NULL);
  g_assert_cmpint (wide, >, 0);
  g_assert_cmpint (narrow, >, wide);

  mp_bar_chart_append (MP_BAR_CHART (chart), "Participation", 10, "10 %", -1, NULL);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 800, &more, NULL, NULL, NULL);
  g_assert_cmpint (more, >, wide);

  g_assert_finalize_object (chart);
}

/* Drawn under Xvfb: the chart's render node paints something, and more
 * for longer bars */
static void
test_render (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = mp_bar_chart_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) empty_texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  int width, height;

  fill (MP_BAR_CHART (chart));
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, -1);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_map (chart);
  wait_for_frames (chart);

  width = gtk_widget_get_width (chart);
  height = gtk_widget_get_height (chart);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (chart);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_cmpuint (count_ink (texture), >, (guint) (width * height) / 50);

  /* The same rows with empty bars paint less */
  {
    guint full = count_ink (texture);

    mp_bar_chart_clear (MP_BAR_CHART (chart));
    mp_bar_chart_append (MP_BAR_CHART (chart), "Driven by the target group and its needs (91 %)", 0, "0 %", -1, NULL);
    mp_bar_chart_append (MP_BAR_CHART (chart), "Networked", 0, "0 %", -1, NULL);
    mp_bar_chart_append (MP_BAR_CHART (chart), "Anchored in an ecosystem", 0, "0 %", -1, NULL);
    wait_for_frames (chart);
    snapshot = gtk_snapshot_new ();
    gdk_paintable_snapshot (paintable, snapshot, width, height);
    node = gtk_snapshot_free_to_node (snapshot);
    empty_texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
    gsk_render_node_unref (node);
    g_assert_cmpuint (count_ink (empty_texture), <, full);
  }

  g_clear_object (&paintable);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bar-chart/accessible", test_accessible);
  g_test_add_func ("/bar-chart/measure", test_measure);
  g_test_add_func ("/bar-chart/render", test_render);

  return g_test_run ();
}
