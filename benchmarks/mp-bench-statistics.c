/* mp-bench-statistics.c — the Overview's figures over a generated bank
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "mp-bench-data.h"
#include "mp-statistics.h"

static double
time_figures (MpStore       *store,
              const MpQuery *query,
              guint         *n_models)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStatistics) stats = NULL;
  gint64 start = g_get_monotonic_time ();

  stats = mp_statistics_compute (store, query, &error);
  g_assert_no_error (error);
  mp_statistics_compute_by_theme (stats, store, 14, &error);
  g_assert_no_error (error);
  *n_models = stats->n_models;

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(MpQuery) all = mp_query_new ();
  g_autoptr(MpQuery) filtered = mp_query_new ();
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bank.sqlite", NULL);
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_models = 0;
  gsize bytes = 0;
  double ms;

  store = mp_store_open (path, &error);
  g_assert_no_error (error);
  for (guint first = 0; first < n; first += 1000)
    {
      models = mp_bench_generate_models (first, MIN (1000, n - first), &bytes);
      mp_store_import_models (store, models, &error);
      g_assert_no_error (error);
      g_clear_pointer (&models, g_ptr_array_unref);
    }

  ms = time_figures (store, all, &n_models);
  printf ("statistics, all %u models: %.1f ms\n", n_models, ms);
  filtered->min_stage = MP_STAGE_TRIALS;
  filtered->theme = g_strdup ("family_support");
  ms = time_figures (store, filtered, &n_models);
  printf ("statistics, %u filtered models: %.1f ms\n", n_models, ms);

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return 0;
}
