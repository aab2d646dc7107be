/* mp-bench-search.c — the language-aware search: indexing cost against
 * plain FTS5 unicode61, and query latency per keystroke on a generated
 * bank (inflected words, compounds, phrases, OR, exclusion), snippets
 *
 *   mp-bench-search N [DIR]   reuses DIR/bank-N.sqlite when it exists
 *
 * MP_BENCH_INDEXING_ONLY=1 stops after the indexing comparison (for
 * valgrind --tool=callgrind on ~1000 models). At the end the bank is
 * marked as indexed by an older analyser and opened again: the open time
 * and the background drain rate (MP_BENCH_SKIP_BACKGROUND_REINDEX=1 to
 * leave it out). The bank's index is whole again afterwards.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "mp-analyser.h"
#include "mp-bench-data.h"
#include "mp-fts-tokenizer.h"
#include "mallipaja-core.h"

/* Indexing is compared on this many models at most: the target is set
 * for the 10,000-model bank. */
#define MAX_INDEX_COMPARED 10000

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

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Inserts the same texts into a unicode61 table and into one with the
 * store's tokenizer, in alternating batches so both see warm caches. */
static void
compare_indexing (const char *dir,
                  guint       n_models)
{
  g_autofree char *path = g_build_filename (dir, "index-compare.sqlite", NULL);
  g_autoptr(MpAnalyser) analyser = mp_analyser_new ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert[2] = { NULL, NULL };
  double seconds[2] = { 0, 0 };
  gint64 size[2];

  g_unlink (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_nonnull (mp_fts_tokenizer_register (db, analyser, NULL));
  exec_or_die (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  exec_or_die (db, "CREATE VIRTUAL TABLE plain USING fts5 (title, summary, body,"
                   " tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')");
  exec_or_die (db, "CREATE VIRTUAL TABLE analysed USING fts5 (title, summary, body, lang UNINDEXED,"
                   " tokenize = 'mallipaja', prefix = '1 2 3')");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO plain (title, summary, body) VALUES (?1, ?2, ?3)",
                                       -1, &insert[0], NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO analysed (title, summary, body, lang) VALUES (?1, ?2, ?3, 'fi')",
                                       -1, &insert[1], NULL), ==, SQLITE_OK);

  for (guint done = 0; done < n_models; done += 1000)
    {
      gsize bytes = 0;
      g_autoptr(GPtrArray) batch = mp_bench_generate_models (done, MIN (1000, n_models - done), &bytes);
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (bodies, mp_model_dup_body (g_ptr_array_index (batch, i)));

      for (guint t = 0; t < 2; t++)
        {
          gint64 t0 = g_get_monotonic_time ();

          exec_or_die (db, "BEGIN");
          for (guint i = 0; i < batch->len; i++)
            {
              MpModel *model = g_ptr_array_index (batch, i);

              sqlite3_reset (insert[t]);
              sqlite3_bind_text (insert[t], 1, mp_model_get_text (model, MP_TEXT_TITLE), -1, SQLITE_STATIC);
              sqlite3_bind_text (insert[t], 2, mp_model_get_text (model, MP_TEXT_SUMMARY), -1, SQLITE_STATIC);
              sqlite3_bind_text (insert[t], 3, g_ptr_array_index (bodies, i), -1, SQLITE_STATIC);
              g_assert_cmpint (sqlite3_step (insert[t]), ==, SQLITE_DONE);
            }
          exec_or_die (db, "COMMIT");
          seconds[t] += (g_get_monotonic_time () - t0) / 1e6;
        }
    }

  /* Index size: the blocks of each table's data shadow table. */
  for (guint t = 0; t < 2; t++)
    {
      sqlite3_stmt *stmt = NULL;
      const char *sql = t == 0 ? "SELECT sum(length(block)) FROM plain_data"
                               : "SELECT sum(length(block)) FROM analysed_data";

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      size[t] = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }

  printf ("index_compared_models: %u\n", n_models);
  printf ("index_unicode61_us_per_model: %.0f\n", seconds[0] / n_models * 1e6);
  printf ("index_analysed_us_per_model: %.0f\n", seconds[1] / n_models * 1e6);
  printf ("index_cost_ratio: %.2f\n", seconds[1] / seconds[0]);
  printf ("index_unicode61_mib: %.1f\n", size[0] / 1048576.0);
  printf ("index_analysed_mib: %.1f\n", size[1] / 1048576.0);

  sqlite3_finalize (insert[0]);
  sqlite3_finalize (insert[1]);
  sqlite3_close (db);
  g_unlink (path);
  g_unlink (wal);
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (shm);
  }
}

typedef struct {
  GMainLoop *loop;
  MpStore *store;
  MpModel *edited;
  GArray *save_ms;     /* the main connection's saves while the indexer runs */
  guint n_saved;
} DrainData;

static void
on_indexer_running (MpIndexer  *indexer,
                    GParamSpec *pspec,
                    DrainData  *data)
{
  if (!mp_indexer_get_running (indexer))
    g_main_loop_quit (data->loop);
}

/* An edit saved every 100 ms, as autosave does while a person types:
 * how long it waits for the indexer's chunk to let go of the bank. */
static gboolean
save_while_draining (gpointer user_data)
{
  DrainData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("Muokattu malli %u", data->n_saved++);
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  mp_model_set_text (data->edited, MP_TEXT_TITLE, title);
  if (!mp_store_save_model (data->store, data->edited, &error))
    g_error ("save: %s", error->message);
  ms = (g_get_monotonic_time () - t0) / 1e3;
  g_array_append_val (data->save_ms, ms);
  return G_SOURCE_CONTINUE;
}

/* issue 5: an analyser upgrade no longer rebuilds the index while the
 * window waits. The bank is marked as built by another analyser, opened
 * (the index is queued, not rebuilt) and drained by MpIndexer. */
static void
bench_background_reindex (const char *path)
{
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpIndexer) indexer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) edited = mp_bench_generate_models (1000000, 1, NULL);
  DrainData data = { loop, NULL, g_ptr_array_index (edited, 0), g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  sqlite3 *db = NULL;
  guint backlog, save_id;
  gint64 t0;
  double seconds;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_or_die (db, "UPDATE meta SET value = 'mp-analyser 0; bench' WHERE key = 'search-analyser'");
  sqlite3_close (db);

  t0 = g_get_monotonic_time ();
  store = mp_store_open (path, &error);
  g_assert_no_error (error);
  printf ("open_needing_reindex_ms: %.1f\n", (g_get_monotonic_time () - t0) / 1e3);
  backlog = mp_store_count_index_backlog (store);
  printf ("open_needing_reindex_backlog: %u\n", backlog);

  data.store = store;
  indexer = mp_indexer_new (store);
  g_signal_connect (indexer, "notify::running", G_CALLBACK (on_indexer_running), &data);
  t0 = g_get_monotonic_time ();
  mp_indexer_start (indexer);
  save_id = g_timeout_add (100, save_while_draining, &data);
  g_main_loop_run (loop);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_source_remove (save_id);
  g_assert_cmpuint (mp_store_count_index_backlog (store), ==, 0);

  printf ("background_drain_seconds: %.1f\n", seconds);
  printf ("background_drain_models_per_s: %.0f\n", backlog / seconds);
  g_array_sort (data.save_ms, compare_doubles);
  if (data.save_ms->len > 0)
    {
      printf ("save_during_drain_median_ms: %.1f\n", percentile (data.save_ms, 0.5));
      printf ("save_during_drain_max_ms: %.1f\n", percentile (data.save_ms, 1.0));
    }
  g_array_unref (data.save_ms);
}

/* What a person types, one prefix a keystroke: inflected forms and
 * compounds that the analysis must map to other forms, and syntax. */
static const char *typed[] = {
  "lastensuojelussa", "perheiden", "päihdepalveluihin", "kokeiluissa", "tuen", "lapsille",
  "nuorten", "yksinäisyyden", "työllisyyttä", "neuvolassa", "maahanmuuttajien", "ikääntyneiden",
  "asumisen", "lapsi perhe", "mielenterveys nuoret", "välfärd", "familjer",
  "\"perheiden tuki\"", "perhe -päihde", "nuoret OR ikääntyneet",
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
  g_autoptr(GArray) snippets = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(MpStore) store = NULL;
  g_autoptr(MpQuery) query = mp_query_new ();
  gint64 t0;

  if (dir == NULL)
    dir = tmpdir = g_dir_make_tmp ("mallipaja-bench-XXXXXX", NULL);
  path = g_strdup_printf ("%s/bank-%u.sqlite", dir, n_models);

  if (g_getenv ("MP_BENCH_SKIP_INDEXING") == NULL)
    compare_indexing (dir, MIN (n_models, MAX_INDEX_COMPARED));
  /* For a profiler: the analyser's cost alone. */
  if (g_getenv ("MP_BENCH_INDEXING_ONLY") != NULL)
    {
      if (tmpdir != NULL)
        g_rmdir (tmpdir);
      return EXIT_SUCCESS;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(MpStore) new_store = mp_store_open (path, &error);

      g_assert_no_error (error);
      t0 = g_get_monotonic_time ();
      for (guint done = 0; done < n_models; done += 1000)
        {
          gsize bytes = 0;
          g_autoptr(GPtrArray) batch = mp_bench_generate_models (done, MIN (1000, n_models - done), &bytes);

          if (!mp_store_import_models (new_store, batch, &error))
            g_error ("import: %s", error->message);
        }
      printf ("import_seconds: %.1f\n", (g_get_monotonic_time () - t0) / 1e6);
    }

  /* An older bank is migrated and reindexed here. */
  t0 = g_get_monotonic_time ();
  store = mp_store_open (path, &error);
  g_assert_no_error (error);
  printf ("bank_models: %u\n", mp_store_count (store));
  printf ("open_ms: %.1f\n", (g_get_monotonic_time () - t0) / 1e3);
  mp_store_set_search_language (store, "fi");

  if (g_getenv ("MP_BENCH_REINDEX") != NULL)
    {
      t0 = g_get_monotonic_time ();
      if (!mp_store_reindex (store, &error))
        g_error ("reindex: %s", error->message);
      printf ("reindex_seconds: %.1f\n", (g_get_monotonic_time () - t0) / 1e6);
    }

  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    {
      const char *word = typed[w];

      for (const char *end = g_utf8_next_char (word); ; end = g_utf8_next_char (end))
        {
          g_autoptr(GArray) rowids = NULL;
          double ms;

          g_free (query->text);
          query->text = g_strndup (word, end - word);
          t0 = g_get_monotonic_time ();
          rowids = mp_store_query (store, query, &error);
          g_assert_no_error (error);
          /* what the first screen shows */
          for (guint i = 0; i < 30 && i < rowids->len; i++)
            g_object_unref (mp_store_get_summary (store, g_array_index (rowids, gint64, i)));
          ms = (g_get_monotonic_time () - t0) / 1e3;
          g_array_append_val (latencies, ms);
          if (g_getenv ("MP_BENCH_VERBOSE") != NULL)
            fprintf (stderr, "%8.2f ms  %6u  %s\n", ms, rowids->len, query->text);

          if (*end == '\0')
            {
              printf ("hits \"%s\": %u\n", word, rowids->len);
              for (guint i = 0; i < 10 && i < rowids->len; i++)
                {
                  g_autofree char *snippet = NULL;

                  t0 = g_get_monotonic_time ();
                  snippet = mp_store_snippet (store, g_array_index (rowids, gint64, i), query->text);
                  ms = (g_get_monotonic_time () - t0) / 1e3;
                  g_array_append_val (snippets, ms);
                }
              break;
            }
        }
    }

  g_array_sort (latencies, compare_doubles);
  printf ("search_keystrokes: %u\n", latencies->len);
  printf ("search_median_ms: %.2f\n", percentile (latencies, 0.5));
  printf ("search_p95_ms: %.2f\n", percentile (latencies, 0.95));
  printf ("search_max_ms: %.2f\n", percentile (latencies, 1.0));
  g_array_sort (snippets, compare_doubles);
  printf ("snippet_median_ms: %.2f\n", percentile (snippets, 0.5));
  printf ("snippet_p95_ms: %.2f\n", percentile (snippets, 0.95));

  if (g_getenv ("MP_BENCH_SKIP_BACKGROUND_REINDEX") == NULL)
    {
      g_clear_object (&store);
      bench_background_reindex (path);
    }

  if (tmpdir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_object (&store);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (tmpdir);
    }
  return EXIT_SUCCESS;
}
