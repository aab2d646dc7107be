/* bench-server.c — figures of the reference platform server: the whole
 * change feed to one client, pushes per second from 4 clients, RSS
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mp-test-server.h"

#define N_CLIENTS 4
#define PUSH_SECONDS 5
#define FEED_LIMIT 500

static const char * const words[] = {
  "perhe", "tuki", "nuoret", "arki", "ohjaus", "yhteistyö", "kokeilu", "palvelu", "alue",
  "järjestö", "osallisuus", "kehittäminen", "asiakas", "työntekijä", "verkosto", "muutos",
  "mittaaminen", "kohtaaminen", "hyvinvointi", "vanhemmat", "koulu", "kunta", "vapaaehtoiset",
  "rahoitus", "arviointi", "ydin", "levittäminen", "toimintamalli", "tarve", "ratkaisu",
};

/* Plain text of about @bytes bytes, in paragraphs, varied enough that gzip
 * does not flatter the figures. */
static char *
make_text (GRand *rand,
           gsize  bytes)
{
  GString *text = g_string_sized_new (bytes + 64);

  while (text->len < bytes)
    {
      guint n = g_rand_int_range (rand, 8, 20);

      for (guint i = 0; i < n; i++)
        {
          g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append_c (text, i + 1 < n ? ' ' : '.');
        }
      g_string_append (text, g_rand_int_range (rand, 0, 5) == 0 ? "\n\n" : " ");
    }

  return g_string_free (text, FALSE);
}

static GPtrArray *
write_models (const char *path,
              guint       n_models)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *line = NULL;
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *title = g_strdup_printf ("Toimintamalli %u", i);
      const char *long_texts[] = { "basic_idea", "environment", "conditions", "lessons" };
      const gsize long_sizes[] = { 3000, 2500, 2500, 1500 };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "format");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, title);
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, "Lyhyt kuvaus mallista, jolla tuetaan perheitä arjessa.");
      json_builder_set_member_name (builder, "organisation");
      json_builder_add_string_value (builder, i % 10 == 0 ? "Toinen järjestö" : "Bench Org");
      json_builder_set_member_name (builder, "themes");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "family_support");
      json_builder_end_array (builder);
      for (guint j = 0; j < G_N_ELEMENTS (long_texts); j++)
        {
          g_autofree char *text = make_text (rand, long_sizes[j]);

          json_builder_set_member_name (builder, long_texts[j]);
          json_builder_add_string_value (builder, text);
        }
      json_builder_set_member_name (builder, "visibility");
      json_builder_add_string_value (builder, i % 10 == 0 ? "organisation" : "public");
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      line = json_to_string (root, FALSE);
      fprintf (file, "%s\n", line);
      if (i % 10 != 0)
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  fclose (file);

  return ids;
}

static gsize
read_feed (MpTestServer *server,
           SoupSession  *session,
           const char   *token,
           guint        *n_entries)
{
  gint64 since = 0;
  gboolean more = TRUE;
  gsize bytes = 0;

  *n_entries = 0;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                                               since, FEED_LIMIT);
      g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "GET", path, token, NULL);
      JsonObject *object;

      g_assert_cmpuint (response->status, ==, 200);
      /* A real client parses every page; mp_test_request has done so. */
      object = mp_test_response_object (response);
      *n_entries += json_array_get_length (json_object_get_array_member (object, "changes"));
      more = json_object_get_boolean_member (object, "more");
      since = json_object_get_int_member (object, "next_since");
      bytes += g_bytes_get_size (response->body);
    }

  return bytes;
}

typedef struct {
  MpTestServer *server;
  GPtrArray    *ids;
  guint         first;
  guint         stride;
  gint64        deadline;
  guint         pushes;
  guint         failures;
} Pusher;

static gpointer
push_thread (gpointer data)
{
  Pusher *pusher = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = mp_test_server_login (pusher->server, session, "bench", "bench-sana");

  for (guint i = pusher->first; i < pusher->ids->len && g_get_monotonic_time () < pusher->deadline;
       i += pusher->stride)
    {
      g_autofree char *body = g_strdup_printf ("{\"base_revision\": 1, \"fields\": "
                                               "{\"summary\": \"Päivitetty %u\"}}", i);
      g_autoptr(MpTestResponse) response = mp_test_server_push (pusher->server, session, token,
                                                                g_ptr_array_index (pusher->ids, i),
                                                                body, NULL);

      if (response->status == 200)
        pusher->pushes++;
      else
        pusher->failures++;
    }

  return NULL;
}

static guint64
read_status_kib (GPid        pid,
                 const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, field);
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mallipaja-bench-server-XXXXXX", &error);
  g_autofree char *models_path = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(SoupSession) plain = soup_session_new ();
  g_autoptr(SoupSession) gzip = soup_session_new ();
  guint n_models = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  Pusher pushers[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  gint64 start;
  guint n_entries = 0, total_pushes = 0, total_failures = 0;
  gsize bytes;
  struct stat st;
  GPid pid;

  g_assert_no_error (error);
  g_assert_cmpuint (n_models, >, 0);
  models_path = g_build_filename (dir, "models.jsonl", NULL);
  ids = write_models (models_path, n_models);
  g_assert_cmpint (g_stat (models_path, &st), ==, 0);
  g_print ("models: %u\n", n_models);
  g_print ("model_bytes_avg: %.0f\n", (double) st.st_size / n_models);

  start = g_get_monotonic_time ();
  server = mp_test_server_new ("--import", models_path, NULL);
  g_print ("import_seconds: %.2f\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  mp_test_server_add_user (server, "bench", "Bench Org", "bench-sana");
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);

  /* The initial sync of a member: everything, paged, without compression. */
  soup_session_remove_feature_by_type (plain, SOUP_TYPE_CONTENT_DECODER);
  {
    g_autofree char *token = mp_test_server_login (server, plain, "bench", "bench-sana");

    start = g_get_monotonic_time ();
    bytes = read_feed (server, plain, token, &n_entries);
    g_print ("feed_10k_seconds: %.2f\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    g_print ("feed_entries: %u\n", n_entries);
    g_print ("feed_megabytes: %.1f\n", bytes / 1e6);
    /* A tenth belong to another organisation and stay hidden from this member. */
    g_assert_cmpuint (n_entries, ==, ids->len);

    /* The same with gzip, as a client on a slow line would ask for it. */
    start = g_get_monotonic_time ();
    read_feed (server, gzip, token, &n_entries);
    g_print ("feed_10k_gzip_seconds: %.2f\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  }
  g_print ("server_rss_after_feed_kib: %" G_GUINT64_FORMAT "\n", read_status_kib (pid, "VmRSS:"));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      pushers[i] = (Pusher) {
        .server = server,
        .ids = ids,
        .first = i,
        .stride = N_CLIENTS,
        .deadline = start + PUSH_SECONDS * G_USEC_PER_SEC,
      };
      threads[i] = g_thread_new ("pusher", push_thread, &pushers[i]);
    }
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_thread_join (threads[i]);
      total_pushes += pushers[i].pushes;
      total_failures += pushers[i].failures;
    }
  g_print ("pushes_per_second_4_clients: %.0f\n",
           total_pushes / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC));
  g_print ("push_failures: %u\n", total_failures);

  g_print ("server_rss_kib: %" G_GUINT64_FORMAT "\n", read_status_kib (pid, "VmRSS:"));
  g_print ("server_rss_peak_kib: %" G_GUINT64_FORMAT "\n", read_status_kib (pid, "VmHWM:"));

  g_clear_pointer (&server, mp_test_server_free);
  g_unlink (models_path);
  g_rmdir (dir);

  return total_failures == 0 ? 0 : 1;
}
