/* mp-bench-sync.c — figures of the client's sync against a local platform:
 * the initial pull of a large bank into a fresh bank file, a sync of one
 * changed model, and a push of many new models
 *
 *   MALLIPAJA_SERVER=…/mallipaja-server mp-bench-sync [N_MODELS]   (10000)
 *
 * MP_BENCH_RUNS sets how many times each figure is taken (the median is
 * printed; 3 by default), MP_BENCH_PAGE the feed's page size (the app's
 * default, 500), MP_BENCH_PULL_ONLY=1 stops after the pull (no search
 * indexing, no small syncs, no push), MP_BENCH_PUSH_ONLY=1 skips the pull
 * and the small syncs (the platform's bank is pulled once, untimed; with a
 * small N_MODELS this profiles the push alone).
 * CPU seconds of this process and of the server are printed with each
 * pull and push: on a busy machine they say more than the wall time.
 * MP_BENCH_PERF_CTL names the control FIFO of a `perf record -D -1
 * --control fifo:FIFO` that should sample the pulls and pushes only.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mallipaja-core.h"
#include "mp-bench-data.h"
#include "mp-model-json.h"
#include "mp-sync.h"
#include "mp-test-server.h"

#define ORGANISATION "Synteettinen hyvinvointialue"
#define PASSWORD "bench-sana"
#define N_PUSH 1000
#define N_SMALL_RUNS 11

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* CPU seconds of this process (all threads) */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds of the server process */
static double
server_cpu_seconds (MpTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || !(end = strrchr (contents, ')')))
    return 0;
  fields = g_strsplit (end + 2, " ", -1);
  /* utime and stime are fields 14 and 15, the 12th and 13th after the name */
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* Turns the sampling of `perf record --control` on and off, when asked. */
static void
perf_control (const char *command)
{
  const char *path = g_getenv ("MP_BENCH_PERF_CTL");
  FILE *fifo;

  if (path == NULL || (fifo = fopen (path, "w")) == NULL)
    return;
  fprintf (fifo, "%s\n", command);
  fclose (fifo);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* One whole mp_sync run; returns its wall time in seconds. */
static double
timed_sync (MpSync        *sync,
            MpSyncSummary *summary_out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  mp_sync_run_async (sync, NULL, on_done, &result);
  summary = mp_sync_run_finish (sync, wait_for (&result), &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (summary == NULL)
    g_error ("Sync failed: %s", error->message);
  if (summary_out != NULL)
    *summary_out = *summary;
  return seconds;
}

static char *
sign_in (MpSync *sync)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  mp_sync_sign_in_async (sync, "bench", PASSWORD, NULL, on_done, &result);
  token = mp_sync_sign_in_finish (sync, wait_for (&result), &error);
  if (token == NULL)
    g_error ("Sign-in failed: %s", error->message);
  return token;
}

static void
write_models (const char *path,
              guint       n_models,
              gsize      *bytes)
{
  g_autoptr(GPtrArray) models = mp_bench_generate_models (0, n_models, bytes);
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

typedef struct {
  char    *dir;
  MpStore *store;
  MpSync  *sync;
} Client;

static void
client_free (Client *client)
{
  g_clear_object (&client->sync);
  g_clear_object (&client->store);
  remove_tree (client->dir);
  g_free (client->dir);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static Client *
client_new (const char *url,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Client *client = g_new0 (Client, 1);

  client->dir = g_dir_make_tmp ("mallipaja-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (client->dir, "bank.sqlite", NULL);
  client->store = mp_store_open (path, &error);
  if (client->store == NULL)
    g_error ("%s", error->message);
  client->sync = mp_sync_new (client->store, url);
  mp_sync_set_token (client->sync, token);
  return client;
}

/* Changes one model on the platform through another session, as another
 * person would. */
static void
change_on_platform (MpTestServer *server,
                    SoupSession  *session,
                    const char   *token,
                    const char   *id,
                    guint         round)
{
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autoptr(MpTestResponse) current = mp_test_server_request (server, session, "GET", path, token, NULL);
  g_autofree char *body = NULL;
  g_autoptr(MpTestResponse) response = NULL;

  g_assert_cmpuint (current->status, ==, 200);
  body = g_strdup_printf ("{\"base_revision\": %" G_GINT64_FORMAT ", \"fields\": "
                          "{\"place\": \"Tampere, kierros %u\"}}",
                          json_object_get_int_member (mp_test_response_object (current), "revision"), round);
  response = mp_test_server_push (server, session, token, id, body, NULL);
  g_assert_cmpuint (response->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-bench-sync-XXXXXX", &error);
  g_autofree char *models_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(Client) client = NULL;
  g_autoptr(GArray) pulls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) index_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) small = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pushes = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_models = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  guint runs = g_getenv ("MP_BENCH_RUNS") ? (guint) atoi (g_getenv ("MP_BENCH_RUNS")) : 3;
  gsize bytes = 0;
  gint64 start;

  g_assert_no_error (error);
  g_assert_cmpuint (n_models, >, 0);
  runs = MAX (runs, 1);
  setvbuf (stdout, NULL, _IOLBF, 0);

  models_path = g_build_filename (dir, "models.jsonl", NULL);
  write_models (models_path, n_models, &bytes);
  g_print ("models: %u\n", n_models);
  g_print ("model_bytes_avg: %.0f\n", (double) bytes / n_models);

  start = g_get_monotonic_time ();
  server = mp_test_server_new ("--import", models_path, NULL);
  g_print ("server_import_seconds: %.2f\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  mp_test_server_add_user (server, "bench", ORGANISATION, PASSWORD);
  url = g_strndup (server->base, strlen (server->base) - strlen ("/api/v1"));

  if (g_getenv ("MP_BENCH_PUSH_ONLY") != NULL)
    {
      client = client_new (url, NULL);
      token = sign_in (client->sync);
      mp_sync_set_token (client->sync, token);
      timed_sync (client->sync, NULL);
      goto push;
    }

  /* The initial pull, each time into a fresh bank file. */
  for (guint run = 0; run < runs; run++)
    {
      MpSyncSummary summary = { 0 };
      double seconds, cpu, server_cpu;

      g_clear_pointer (&client, client_free);
      client = client_new (url, NULL);
      if (token == NULL)
        token = sign_in (client->sync);
      mp_sync_set_token (client->sync, token);
      if (g_getenv ("MP_BENCH_PAGE"))
        mp_sync_set_page_size (client->sync, (guint) atoi (g_getenv ("MP_BENCH_PAGE")));

      cpu = cpu_seconds ();
      server_cpu = server_cpu_seconds (server);
      perf_control ("enable");
      seconds = timed_sync (client->sync, &summary);
      perf_control ("disable");
      cpu = cpu_seconds () - cpu;
      server_cpu = server_cpu_seconds (server) - server_cpu;
      g_assert_cmpuint (summary.pulled, ==, n_models);
      g_assert_cmpuint (mp_store_count (client->store), ==, n_models);
      g_array_append_val (pulls, seconds);
      g_print ("pull_run_%u_seconds: %.2f (client cpu %.2f s, server cpu %.2f s)\n",
               run + 1, seconds, cpu, server_cpu);

      /* The search index, when the pull left it for later. */
      start = g_get_monotonic_time ();
      while (!g_getenv ("MP_BENCH_PULL_ONLY") && mp_store_count_index_backlog (client->store) > 0)
        {
          guint remaining = 0;

          if (!mp_store_index_backlog_step (client->store, 200, &remaining, &error))
            g_error ("%s", error->message);
        }
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_array_append_val (index_times, seconds);
    }
  g_print ("pull_%u_seconds: %.2f (median of %u; target 3.00 for 10000)\n", n_models, median (pulls), runs);
  g_print ("index_after_pull_seconds: %.2f\n", median (index_times));
  if (g_getenv ("MP_BENCH_PULL_ONLY") != NULL)
    {
      g_clear_pointer (&client, client_free);
      g_clear_pointer (&server, mp_test_server_free);
      return 0;
    }

  /* In step: a sync that finds nothing, then one that finds one change. */
  for (guint run = 0; run < N_SMALL_RUNS; run++)
    {
      double seconds = timed_sync (client->sync, NULL);

      g_array_append_val (empty, seconds);
    }
  g_print ("sync_nothing_ms: %.1f (median of %u)\n", median (empty) * 1000, N_SMALL_RUNS);

  for (guint run = 0; run < N_SMALL_RUNS; run++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", run * 7 % n_models);
      g_autoptr(MpModel) model = NULL;
      g_autofree char *place = g_strdup_printf ("Tampere, kierros %u", run);
      MpSyncSummary summary = { 0 };
      double seconds;

      change_on_platform (server, session, token, id, run);
      seconds = timed_sync (client->sync, &summary);
      g_assert_cmpuint (summary.pulled, ==, 1);
      model = mp_store_load_model (client->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_PLACE), ==, place);
      g_array_append_val (small, seconds);
    }
  g_print ("sync_1_changed_ms: %.1f (median of %u; target 10.0)\n", median (small) * 1000, N_SMALL_RUNS);

  /* New models made here, sent in batches. Saving them (each an
   * acknowledged edit) is not part of the figure. */
push:
  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GPtrArray) models = mp_bench_generate_models (n_models + run * N_PUSH, N_PUSH, NULL);
      MpSyncSummary summary = { 0 };
      double seconds, cpu, server_cpu;

      for (guint i = 0; i < models->len; i++)
        {
          MpModel *model = g_ptr_array_index (models, i);

          mp_model_set_revision (model, 0);
          if (!mp_store_save_model (client->store, model, &error))
            g_error ("%s", error->message);
        }
      g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, N_PUSH);

      cpu = cpu_seconds ();
      server_cpu = server_cpu_seconds (server);
      perf_control ("enable");
      seconds = timed_sync (client->sync, &summary);
      perf_control ("disable");
      cpu = cpu_seconds () - cpu;
      server_cpu = server_cpu_seconds (server) - server_cpu;
      g_assert_cmpuint (summary.pushed, ==, N_PUSH);
      g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 0);
      g_array_append_val (pushes, seconds);
      g_print ("push_run_%u_seconds: %.2f (client cpu %.2f s, server cpu %.2f s)\n",
               run + 1, seconds, cpu, server_cpu);
    }
  g_print ("push_%u_new_seconds: %.2f (median of %u; target 1.20)\n", N_PUSH, median (pushes), runs);

  g_clear_pointer (&client, client_free);
  g_clear_pointer (&server, mp_test_server_free);
  g_unlink (models_path);
  g_rmdir (dir);
  return 0;
}
