/* mp-bench-first-frame.c — time to the first frame of the main window on a
 * bank, against an empty libadwaita window; memory after scrolling the
 * whole list
 *
 *   mp-bench-first-frame BANK [RUNS]     both windows, RUNS times each (5)
 *   mp-bench-first-frame --once MODE BANK   one measurement (internal)
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>

#include "mallipaja-core.h"
#include "mp-window.h"

static gint64 start_time;
static const char *mode;
static const char *bank_path;
static MpStore *store;
static MpAutosaver *autosaver;
static GtkAdjustment *scroll_adjustment;

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

/* The model list (a one-column GtkGridView), not one of the combo rows'
 * list views in the filter popover */
static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_SCROLLABLE (widget) && gtk_widget_has_css_class (widget, "model-list"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);
      if (found)
        return found;
    }
  return NULL;
}

/* One page a frame, as fast as the frame clock allows: every row is made,
 * bound and recycled once, like a person dragging the scrollbar down. */
static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  GApplication *app = user_data;
  double value = gtk_adjustment_get_value (scroll_adjustment);
  double page = gtk_adjustment_get_page_size (scroll_adjustment);
  double upper = gtk_adjustment_get_upper (scroll_adjustment);

  if (value + page >= upper)
    {
      printf ("%.1f\n", rss_kib () / 1024.0);
      g_application_quit (app);
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (scroll_adjustment, value + page);
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);

  if (g_str_equal (mode, "scroll"))
    {
      GtkWidget *list = find_list_view (window);

      g_assert (list != NULL);
      scroll_adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
      gtk_widget_add_tick_callback (window, scroll_tick,
                                    g_application_get_default (), NULL);
      return;
    }

  printf ("%.2f %.1f\n", (g_get_monotonic_time () - start_time) / 1e3, rss_kib () / 1024.0);
  g_application_quit (g_application_get_default ());
}

static void
map_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window;

  if (g_str_equal (mode, "empty"))
    {
      window = adw_application_window_new (GTK_APPLICATION (app));
      gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
    }
  else
    {
      g_autoptr(GError) error = NULL;

      store = mp_store_open (bank_path, &error);
      if (store == NULL)
        g_error ("%s", error->message);
      autosaver = mp_autosaver_new (store);
      window = GTK_WIDGET (mp_window_new (GTK_APPLICATION (app), store, autosaver));
    }
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
measure_once (void)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.mallipaja.Bench",
                                                       G_APPLICATION_NON_UNIQUE);
  int status;

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_clear_object (&autosaver);
  g_clear_object (&store);
  return status;
}

static double
run_child (const char *self,
           const char *child_mode,
           double     *rss_mib)
{
  const char *argv[] = { self, "--once", child_mode, bank_path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &wait_status, &error))
    g_error ("%s", error->message);
  {
    char *end = NULL;
    double value = g_ascii_strtod (out ? out : "0", &end);

    if (rss_mib != NULL)
      *rss_mib = end ? g_ascii_strtod (end, NULL) : 0;
    return value;
  }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  start_time = g_get_monotonic_time ();

  if (argc >= 4 && g_str_equal (argv[1], "--once"))
    {
      mode = argv[2];
      bank_path = argv[3];
      return measure_once ();
    }
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s BANK [RUNS]\n", argv[0]);
      return EXIT_FAILURE;
    }

  bank_path = argv[1];
  {
    guint runs = argc > 2 ? (guint) atoi (argv[2]) : 5;
    double empty[64], bank[64];

    runs = CLAMP (runs, 1, 64);
    double empty_rss = 0, bank_rss = 0;

    run_child (argv[0], "bank", NULL);  /* warm the page cache once */
    for (guint i = 0; i < runs; i++)
      {
        empty[i] = run_child (argv[0], "empty", &empty_rss);
        bank[i] = run_child (argv[0], "bank", &bank_rss);
      }
    qsort (empty, runs, sizeof (double), (int (*)(const void *, const void *)) compare_doubles);
    qsort (bank, runs, sizeof (double), (int (*)(const void *, const void *)) compare_doubles);
    printf ("first_frame_empty_window_ms: %.1f\n", empty[runs / 2]);
    printf ("first_frame_bank_window_ms: %.1f\n", bank[runs / 2]);
    printf ("first_frame_ratio: %.2f\n", bank[runs / 2] / empty[runs / 2]);
    printf ("rss_empty_window_mib: %.1f\n", empty_rss);
    printf ("rss_bank_window_first_frame_mib: %.1f\n", bank_rss);
    printf ("rss_after_scrolling_list_mib: %.1f\n", run_child (argv[0], "scroll", NULL));
  }
  return EXIT_SUCCESS;
}
