/* mp-bench-sync-ui.c — does the window stay responsive while a large bank
 * is pulled? The main window on a fresh bank, the initial pull of a local
 * platform's models, and the largest gap between frame clock ticks
 *
 *   MALLIPAJA_SERVER=…/mallipaja-server xvfb-run -a mp-bench-sync-ui [N_MODELS]   (10000)
 *
 * The pull runs through the window's MpSyncController, as in the app: the
 * window's search indexer waits for the pull and then works through its
 * backlog; the gaps while it does are printed apart.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mallipaja-core.h"
#include "mp-bench-data.h"
#include "mp-model-json.h"
#include "mp-sync.h"
#include "mp-test-server.h"
#include "mp-window.h"

/* Frames before the pull starts, so that the window is up and idle */
#define SETTLE_MS 1000
/* How long the indexer is watched after the pull, at most */
#define INDEX_WATCH_SECONDS 60

typedef enum {
  PHASE_SETTLING,
  PHASE_PULLING,
  PHASE_INDEXING,
  PHASE_DONE,
} Phase;

static struct {
  const char   *url;
  char         *bank_path;
  guint         n_models;
  MpStore      *store;
  MpAutosaver  *autosaver;
  MpSyncController *controller;
  GtkWidget    *window;
  Phase         phase;
  gint64        last_tick;
  gint64        phase_start;
  gint64        max_gap[PHASE_DONE];
  GArray       *gaps[PHASE_DONE];  /* µs */
  guint         bank_changes;
  gint64        signal_start;
  gint64        max_signal;   /* the longest "bank-changed" emission, µs */
} bench;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *gaps,
               double  p)
{
  if (gaps->len == 0)
    return 0;
  g_array_sort (gaps, compare_gint64);
  return g_array_index (gaps, gint64, MIN ((guint) (gaps->len * p), gaps->len - 1)) / 1000.0;
}

static void
report_phase (const char *name,
              Phase       phase)
{
  printf ("%s_frames: %u\n", name, bench.gaps[phase]->len);
  printf ("%s_frame_gap_p99_ms: %.1f\n", name, percentile_ms (bench.gaps[phase], 0.99));
  printf ("%s_max_frame_gap_ms: %.1f\n", name, bench.max_gap[phase] / 1000.0);
}

static void
finish (void)
{
  bench.phase = PHASE_DONE;
  printf ("bank_changed_signals: %u\n", bench.bank_changes);
  printf ("bank_changed_longest_emission_ms: %.1f\n", bench.max_signal / 1000.0);
  /* The same window doing nothing: what this display gives at best */
  report_phase ("idle", PHASE_SETTLING);
  report_phase ("pull", PHASE_PULLING);
  report_phase ("indexing", PHASE_INDEXING);
  printf ("max_frame_gap_ms: %.1f (during the pull; target 100)\n", bench.max_gap[PHASE_PULLING] / 1000.0);
  g_application_quit (g_application_get_default ());
}

/* The window's indexer works through the backlog that the pull left */
static gboolean
on_index_poll (gpointer user_data)
{
  double seconds = (g_get_monotonic_time () - bench.phase_start) / 1e6;
  guint backlog = mp_store_count_index_backlog (bench.store);

  if (backlog > 0 && seconds < INDEX_WATCH_SECONDS)
    return G_SOURCE_CONTINUE;
  if (backlog > 0)
    printf ("index_after_pull_seconds: > %d (%u models left)\n", INDEX_WATCH_SECONDS, backlog);
  else
    printf ("index_after_pull_seconds: %.2f\n", seconds);
  finish ();
  return G_SOURCE_REMOVE;
}

static void
on_running (MpSyncController *controller)
{
  MpSync *sync = mp_sync_controller_get_sync (controller);

  if (mp_sync_controller_get_running (controller) || bench.phase != PHASE_PULLING)
    return;
  if (mp_sync_get_status (sync) == MP_SYNC_STATUS_FAILED)
    g_error ("The sync failed: %s", mp_sync_get_last_error (sync));
  printf ("pulled: %u\n", mp_store_count (bench.store));
  printf ("pull_seconds: %.2f\n", (g_get_monotonic_time () - bench.phase_start) / 1e6);

  bench.phase = PHASE_INDEXING;
  bench.phase_start = g_get_monotonic_time ();
  g_timeout_add (100, on_index_poll, NULL);
}

static gboolean
on_settled (gpointer user_data)
{
  bench.phase = PHASE_PULLING;
  bench.phase_start = g_get_monotonic_time ();
  g_signal_connect (bench.controller, "notify::running", G_CALLBACK (on_running), NULL);
  mp_sync_controller_set_platform (bench.controller, bench.url, NULL);
  mp_sync_controller_sync_now (bench.controller);
  return G_SOURCE_REMOVE;
}

/* Runs every frame: the frame clock keeps ticking while a callback is
 * installed, so a gap is the main loop held up. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (bench.last_tick != 0 && bench.phase != PHASE_DONE)
    {
      gint64 gap = now - bench.last_tick;

      g_array_append_val (bench.gaps[bench.phase], gap);
      bench.max_gap[bench.phase] = MAX (bench.max_gap[bench.phase], gap);
    }
  bench.last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_map (GtkWidget *window)
{
  gtk_widget_add_tick_callback (window, on_tick, NULL, NULL);
  g_timeout_add (SETTLE_MS, on_settled, NULL);
}

static void
on_bank_changed (void)
{
  bench.bank_changes++;
  bench.signal_start = g_get_monotonic_time ();
}

/* After every handler of the window: how long the views took */
static void
on_bank_changed_after (void)
{
  bench.max_signal = MAX (bench.max_signal, g_get_monotonic_time () - bench.signal_start);
}

static void
on_activate (GApplication *app)
{
  g_autoptr(GError) error = NULL;

  bench.store = mp_store_open (bench.bank_path, &error);
  if (bench.store == NULL)
    g_error ("%s", error->message);
  g_signal_connect (bench.store, "bank-changed", G_CALLBACK (on_bank_changed), NULL);
  bench.autosaver = mp_autosaver_new (bench.store);
  bench.controller = mp_sync_controller_new (bench.store, bench.autosaver);

  bench.window = GTK_WIDGET (mp_window_new (GTK_APPLICATION (app), bench.store, bench.autosaver));
  mp_window_set_sync_controller (MP_WINDOW (bench.window), bench.controller);
  g_signal_connect (bench.window, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_after (bench.store, "bank-changed", G_CALLBACK (on_bank_changed_after), NULL);
  gtk_window_present (GTK_WINDOW (bench.window));
}

static void
write_models (const char *path,
              guint       n_models)
{
  g_autoptr(GPtrArray) models = mp_bench_generate_models (0, n_models, NULL);
  g_autoptr(GString) lines = g_string_sized_new (n_models * 12 * 1024);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < models->len; i++)
    {
      g_autofree char *doc = mp_model_to_json_string (g_ptr_array_index (models, i), FALSE);

      g_string_append (lines, doc);
      g_string_append_c (lines, '\n');
    }
  if (!g_file_set_contents (path, lines->str, lines->len, &error))
    g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-bench-sync-ui-XXXXXX", &error);
  g_autofree char *models_path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(AdwApplication) app = NULL;
  int status;

  g_assert_no_error (error);
  setvbuf (stdout, NULL, _IOLBF, 0);
  bench.n_models = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  for (guint i = 0; i < PHASE_DONE; i++)
    bench.gaps[i] = g_array_new (FALSE, FALSE, sizeof (gint64));

  models_path = g_build_filename (dir, "models.jsonl", NULL);
  write_models (models_path, bench.n_models);
  server = mp_test_server_new ("--import", models_path, NULL);
  url = g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));
  bench.url = url;
  bench.bank_path = g_build_filename (dir, "bank.sqlite", NULL);
  printf ("models: %u\n", bench.n_models);

  app = adw_application_new ("io.github.mallipaja.BenchSync", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);

  g_clear_object (&bench.controller);
  g_clear_object (&bench.autosaver);
  g_clear_object (&bench.store);
  g_clear_pointer (&server, mp_test_server_free);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (bench.bank_path, suffixes[i], NULL);

        g_unlink (path);
      }
  }
  g_unlink (models_path);
  g_rmdir (dir);
  g_free (bench.bank_path);
  return status;
}
