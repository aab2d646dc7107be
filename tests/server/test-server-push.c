/* test-server-push.c — writes: merge, conflicts, idempotency, batch
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-test-server.h"

typedef struct {
  MpTestServer *server;
  SoupSession  *session;
  char         *token;
  char         *id;   /* a public model of "Org", revision 1 */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = mp_test_server_new (NULL);
  fixture->session = soup_session_new ();
  mp_test_server_add_user (fixture->server, "aino", "Org", "sana");
  fixture->token = mp_test_server_login (fixture->server, fixture->session, "aino", "sana");
  fixture->id = mp_test_server_create (fixture->server, fixture->session, fixture->token,
                                       "Malli", "Org", "public");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->token);
  g_free (fixture->id);
  g_clear_object (&fixture->session);
  mp_test_server_free (fixture->server);
}

static MpTestResponse *
push (Fixture    *fixture,
      const char *body,
      const char *key)
{
  return mp_test_server_push (fixture->server, fixture->session, fixture->token, fixture->id, body, key);
}

static JsonObject *
document_of (MpTestResponse *response)
{
  return json_object_get_object_member (mp_test_response_object (response), "document");
}

static gboolean
has_soft (MpTestResponse *response,
          const char     *field,
          const char     *side)
{
  JsonArray *soft = json_object_get_array_member (mp_test_response_object (response), "soft");

  for (guint i = 0; i < json_array_get_length (soft); i++)
    {
      JsonObject *entry = json_array_get_object_element (soft, i);

      if (g_str_equal (json_object_get_string_member (entry, "field"), field) &&
          g_str_equal (json_object_get_string_member (entry, "side"), side))
        return TRUE;
    }
  return FALSE;
}

static void
test_update_current (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MpTestResponse) response = push (fixture, "{\"base_revision\": 1, \"fields\": {\"summary\": \"Uusi\"}}", NULL);
  JsonObject *object = mp_test_response_object (response);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (object, "revision"), ==, 2);
  g_assert_false (json_object_get_boolean_member (object, "merged"));
  g_assert_cmpstr (json_object_get_string_member (document_of (response), "summary"), ==, "Uusi");
  g_assert_cmpint (json_object_get_int_member (document_of (response), "revision"), ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "ETag"), ==, "\"2\"");
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, fixture->id), ==, 2);
}

static void
test_soft_merge (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MpTestResponse) theirs = push (fixture, "{\"base_revision\": 1, \"fields\": {\"summary\": \"Heidän\"}}", NULL);
  g_autoptr(MpTestResponse) mine = NULL;
  JsonObject *document;

  g_assert_cmpuint (theirs->status, ==, 200);

  /* Still based on revision 1, changing another field. */
  mine = push (fixture,
               "{\"base_revision\": 1, \"fields\": {\"place\": \"Oulu\","
               " \"stages\": [{\"stage\": \"idea\", \"state\": \"in_progress\", \"started\": \"2026-01-02\","
               " \"finished\": \"\", \"notes\": \"\"}]}}",
               NULL);
  g_assert_cmpuint (mine->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (mp_test_response_object (mine), "merged"));
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (mine), "revision"), ==, 3);
  g_assert_true (has_soft (mine, "summary", "theirs"));
  g_assert_true (has_soft (mine, "place", "mine"));
  g_assert_true (has_soft (mine, "stages.idea", "mine"));

  document = document_of (mine);
  g_assert_cmpstr (json_object_get_string_member (document, "summary"), ==, "Heidän");
  g_assert_cmpstr (json_object_get_string_member (document, "place"), ==, "Oulu");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (document, "stages")), ==, 6);
}

static void
test_hard_conflict (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MpTestResponse) theirs = push (fixture, "{\"base_revision\": 1, \"fields\": {\"summary\": \"Heidän\"}}", NULL);
  g_autoptr(MpTestResponse) mine = push (fixture, "{\"base_revision\": 1, \"fields\": {\"summary\": \"Minun\", \"place\": \"Oulu\"}}", NULL);
  JsonObject *object, *conflict;
  JsonArray *conflicts;
  g_autofree char *path = g_strconcat ("/models/", fixture->id, NULL);
  g_autoptr(MpTestResponse) stored = NULL;

  g_assert_cmpuint (theirs->status, ==, 200);
  g_assert_cmpuint (mine->status, ==, 409);
  object = mp_test_response_object (mine);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "code"),
                   ==, "conflict");
  g_assert_cmpint (json_object_get_int_member (object, "revision"), ==, 2);
  conflicts = json_object_get_array_member (object, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "summary");
  g_assert_cmpstr (json_object_get_string_member (conflict, "base"), ==, "Alku");
  g_assert_cmpstr (json_object_get_string_member (conflict, "theirs"), ==, "Heidän");
  g_assert_cmpstr (json_object_get_string_member (conflict, "mine"), ==, "Minun");

  /* Nothing of the refused push was written, not even its other field. */
  stored = mp_test_server_request (fixture->server, fixture->session, "GET", path, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (stored), "revision"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (mp_test_response_object (stored), "place"), ==, "Tampere");
}

static void
test_full_document_push (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *document = mp_test_document (fixture->id, "Uusi nimi", "Org", "public");
  g_autoptr(MpTestResponse) response = NULL;
  g_autoptr(MpTestResponse) again = NULL;
  g_autoptr(JsonNode) node = json_from_string (document, NULL);
  g_autofree char *with_revision = NULL;

  json_object_set_int_member (json_node_get_object (node), "revision", 1);
  with_revision = json_to_string (node, FALSE);

  response = push (fixture, with_revision, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (response), "revision"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (document_of (response), "title"), ==, "Uusi nimi");

  /* The same document again changes nothing and makes no revision. */
  again = push (fixture, with_revision, NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (mp_test_response_object (again), "unchanged"));
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (again), "revision"), ==, 2);
}

static void
test_idempotent_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *body = "{\"base_revision\": 1, \"fields\": {\"summary\": \"Kerran\"}}";
  g_autoptr(MpTestResponse) first = push (fixture, body, "push-1");
  g_autoptr(MpTestResponse) retry = push (fixture, body, "push-1");
  g_autoptr(MpTestResponse) other = push (fixture, "{\"base_revision\": 1, \"fields\": {\"summary\": \"Toinen\"}}", "push-1");

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (retry->status, ==, 200);
  g_assert_true (g_bytes_equal (first->body, retry->body));
  g_assert_cmpstr (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpuint (other->status, ==, 422);
  g_assert_cmpstr (mp_test_response_error_code (other), ==, "idempotency_mismatch");
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, fixture->id), ==, 2);
}

typedef struct {
  Fixture        *fixture;
  MpTestResponse *response;
} PushThread;

static gpointer
push_thread (gpointer data)
{
  PushThread *push_data = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  Fixture *fixture = push_data->fixture;

  push_data->response = mp_test_server_push (fixture->server, session, fixture->token, fixture->id,
                                             "{\"base_revision\": 1, \"fields\": {\"summary\": \"Kilpa\"}}",
                                             "race-1");
  return NULL;
}

static void
test_concurrent_retries (Fixture       *fixture,
                         gconstpointer  data)
{
  PushThread pushes[5];
  GThread *threads[5];
  g_autofree char *path = g_strconcat ("/models/", fixture->id, NULL);
  g_autoptr(GPtrArray) feed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      pushes[i].fixture = fixture;
      pushes[i].response = NULL;
      threads[i] = g_thread_new ("push", push_thread, &pushes[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < G_N_ELEMENTS (pushes); i++)
    {
      g_assert_cmpuint (pushes[i].response->status, ==, 200);
      g_assert_true (g_bytes_equal (pushes[i].response->body, pushes[0].response->body));
      g_assert_cmpint (json_object_get_int_member (mp_test_response_object (pushes[i].response), "revision"),
                       ==, 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pushes); i++)
    mp_test_response_free (pushes[i].response);

  /* Applied once: revision 2, one change after the creation. */
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, fixture->id), ==, 2);
  feed = mp_test_server_feed (fixture->server, fixture->session, NULL, 1, 100, NULL);
  g_assert_cmpuint (feed->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (feed, 0), "seq"), ==, 2);
}

static void
test_batch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *new_id = mp_test_new_id ();
  g_autofree char *missing_id = mp_test_new_id ();
  g_autofree char *private_id = mp_test_new_id ();
  g_autofree char *new_document = mp_test_document (new_id, "Erästä", "Org", "public");
  g_autofree char *private_document = mp_test_document (private_id, "Yksityinen", "Org", "private");
  g_autofree char *body = NULL;
  g_autoptr(MpTestResponse) response = NULL;
  g_autoptr(MpTestResponse) missing = NULL;
  g_autofree char *missing_path = g_strconcat ("/models/", private_id, NULL);
  JsonArray *results;
  const guint expected[] = { 201, 200, 409, 400, 404, 400 };

  body = g_strdup_printf ("{\"items\": ["
                          "{\"id\": \"%s\", \"document\": %s},"
                          "{\"id\": \"%s\", \"base_revision\": 1, \"fields\": {\"summary\": \"Erä\"}, \"idempotency_key\": \"b-1\"},"
                          "{\"id\": \"%s\", \"base_revision\": 1, \"fields\": {\"summary\": \"Ristiriita\"}},"
                          "{\"id\": \"%s\", \"document\": %s},"
                          "{\"id\": \"%s\", \"base_revision\": 1, \"fields\": {\"summary\": \"x\"}},"
                          "{\"id\": \"%s\", \"colour\": \"red\"}"
                          "]}",
                          new_id, new_document,
                          fixture->id,
                          fixture->id,
                          private_id, private_document,
                          missing_id,
                          fixture->id);
  response = mp_test_server_request (fixture->server, fixture->session, "POST", "/models:batch",
                                     fixture->token, body);
  g_assert_cmpuint (response->status, ==, 200);
  results = json_object_get_array_member (mp_test_response_object (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      g_assert_cmpint (json_object_get_int_member (result, "index"), ==, i);
      g_assert_cmpint (json_object_get_int_member (result, "status"), ==, expected[i]);
      g_assert_true (json_object_has_member (result, "answer"));
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_array_get_object_element (results, 3), "answer"),
                       "error"),
                     "field"), ==, "visibility");

  /* Each item stands alone: the good ones were written, the rest not. */
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, new_id), ==, 1);
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, fixture->id), ==, 2);
  missing = mp_test_server_request (fixture->server, fixture->session, "GET", missing_path, fixture->token, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/push/update-current", test_update_current);
  ADD ("/server/push/soft-merge", test_soft_merge);
  ADD ("/server/push/hard-conflict", test_hard_conflict);
  ADD ("/server/push/full-document", test_full_document_push);
  ADD ("/server/push/idempotent-retry", test_idempotent_retry);
  ADD ("/server/push/concurrent-retries", test_concurrent_retries);
  ADD ("/server/push/batch-mixed", test_batch);
#undef ADD

  return g_test_run ();
}
