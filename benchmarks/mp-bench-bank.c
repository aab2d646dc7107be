/* mp-bench-bank.c — generated banks of ~10 KB models: import, open, search
 * latency per keystroke and memory after walking the whole list
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "mp-bench-data.h"
#include "mallipaja-core.h"

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  for (char *line = status; line && *line; line = strchr (line, '\n'))
    {
      if (*line == '\n')
        line++;
      if (g_str_has_prefix (line, "VmRSS:"))
        return g_ascii_strtoll (line + 6, NULL, 10);
    }
  return -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

/* What a person types, one prefix a keystroke. */
static const char *typed[] = {
  "lastensuojelu", "perhe", "päihde", "paihde", "nuoret", "kokeilu",
  "sijaishuolto", "yksinäisyys", "työllisyys", "ohjaamo", "neuvola",
  "jälkihuolto", "maahanmuuttajat", "ikääntyneet", "asuminen",
  "lapsi perhe", "mielenterveys nuoret", "välfärd", "familj", "digital",
};

int
main (int   argc,
      char *argv[])
{
  guint n_models = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  const char *dir = argc > 2 ? argv[2] : NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 t0;

  if (dir == NULL)
    dir = tmpdir = g_dir_make_tmp ("mallipaja-bench-XXXXXX", NULL);
  path = g_strdup_printf ("%s/bank-%u.sqlite", dir, n_models);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(MpStore) store = mp_store_open (path, &error);
      gsize bytes = 0;

      g_assert_no_error (error);
      t0 = g_get_monotonic_time ();
      for (guint done = 0; done < n_models; done += 1000)
        {
          g_autoptr(GPtrArray) batch = mp_bench_generate_models (done, MIN (1000, n_models - done), &bytes);

          if (!mp_store_import_models (store, batch, &error))
            g_error ("import: %s", error->message);
        }
      printf ("generated_models: %u\n", n_models);
      printf ("average_model_kib: %.1f\n", bytes / 1024.0 / n_models);
      printf ("import_seconds: %.2f\n", (g_get_monotonic_time () - t0) / 1e6);
    }

  {
    g_autoptr(MpStore) store = NULL;
    g_autoptr(MpModelList) list = NULL;
    g_autoptr(MpQuery) query = mp_query_new ();
    guint n_items;

    t0 = g_get_monotonic_time ();
    store = mp_store_open (path, &error);
    g_assert_no_error (error);
    list = mp_model_list_new (store);
    mp_model_list_set_query (list, query);
    /* what the first frame shows: the first screenful of rows */
    for (guint i = 0; i < 30 && i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
    printf ("open_and_first_rows_ms: %.1f\n", (g_get_monotonic_time () - t0) / 1e3);

    for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
      {
        const char *word = typed[w];

        for (const char *end = g_utf8_next_char (word); ; end = g_utf8_next_char (end))
          {
            g_autofree char *prefix = g_strndup (word, end - word);
            double ms;

            g_free (query->text);
            query->text = g_strdup (prefix);
            t0 = g_get_monotonic_time ();
            mp_model_list_set_query (list, query);
            n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
            for (guint i = 0; i < 30 && i < n_items; i++)
              g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
            ms = (g_get_monotonic_time () - t0) / 1e3;
            g_array_append_val (latencies, ms);
            if (g_getenv ("MP_BENCH_VERBOSE"))
              printf ("  %-24s %7.2f ms %6u hits\n", prefix, ms, n_items);
            if (*end == '\0')
              break;
          }
      }
    g_array_sort (latencies, compare_doubles);
    printf ("search_keystrokes: %u\n", latencies->len);
    printf ("search_median_ms: %.2f\n", percentile (latencies, 0.5));
    printf ("search_p95_ms: %.2f\n", percentile (latencies, 0.95));
    printf ("search_max_ms: %.2f\n", percentile (latencies, 1.0));

    /* scroll the whole list: every row made once, as a list view would */
    g_free (query->text);
    query->text = NULL;
    mp_model_list_set_query (list, query);
    n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
    t0 = g_get_monotonic_time ();
    for (guint i = 0; i < n_items; i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
    printf ("scroll_all_rows_ms: %.1f\n", (g_get_monotonic_time () - t0) / 1e3);
    printf ("rss_after_scroll_mib: %.1f\n", rss_kib () / 1024.0);
  }

  if (tmpdir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (tmpdir);
    }
  return EXIT_SUCCESS;
}
