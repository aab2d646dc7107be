/* test-server-visibility.c — public and organisation-only models as seen by
 * members, non-members and anonymous readers, through every endpoint
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mp-test-server.h"

typedef struct {
  MpTestServer *server;
  SoupSession  *session;
  char         *alice;   /* token, member of "Org A" */
  char         *bob;     /* token, member of "Org B" */
  char         *public_id;
  char         *private_id;  /* organisation-only, owned by Org A */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = mp_test_server_new (NULL);
  fixture->session = soup_session_new ();
  mp_test_server_add_user (fixture->server, "alice", "Org A", "a-sana");
  mp_test_server_add_user (fixture->server, "bob", "Org B", "b-sana");
  fixture->alice = mp_test_server_login (fixture->server, fixture->session, "alice", "a-sana");
  fixture->bob = mp_test_server_login (fixture->server, fixture->session, "bob", "b-sana");
  fixture->public_id = mp_test_server_create (fixture->server, fixture->session, fixture->alice,
                                              "Julkinen malli", "Org A", "public");
  fixture->private_id = mp_test_server_create (fixture->server, fixture->session, fixture->alice,
                                               "Sisäinen malli", "Org A", "organisation");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->alice);
  g_free (fixture->bob);
  g_free (fixture->public_id);
  g_free (fixture->private_id);
  g_clear_object (&fixture->session);
  mp_test_server_free (fixture->server);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return strstr (text, needle) != NULL;
}

static gboolean
feed_mentions (GPtrArray  *entries,
               const char *id,
               gboolean   *tombstone)
{
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "id"), id))
        {
          if (tombstone != NULL)
            *tombstone = json_object_get_boolean_member_with_default (entry, "tombstone", FALSE);
          return TRUE;
        }
    }
  return FALSE;
}

static MpTestResponse *
get_model (Fixture    *fixture,
           const char *token,
           const char *id)
{
  g_autofree char *path = g_strconcat ("/models/", id, NULL);

  return mp_test_server_request (fixture->server, fixture->session, "GET", path, token, NULL);
}

static void
test_member (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MpTestResponse) private_model = get_model (fixture, fixture->alice, fixture->private_id);
  g_autoptr(GPtrArray) feed = mp_test_server_feed (fixture->server, fixture->session, fixture->alice, 0, 100, NULL);

  g_assert_cmpuint (private_model->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (mp_test_response_object (private_model), "title"),
                   ==, "Sisäinen malli");
  g_assert_true (feed_mentions (feed, fixture->public_id, NULL));
  g_assert_true (feed_mentions (feed, fixture->private_id, NULL));
}

static void
check_outsider (Fixture    *fixture,
                const char *token)
{
  g_autofree char *missing = mp_test_new_id ();
  g_autoptr(MpTestResponse) hidden = get_model (fixture, token, fixture->private_id);
  g_autoptr(MpTestResponse) absent = get_model (fixture, token, missing);
  g_autoptr(MpTestResponse) visible = get_model (fixture, token, fixture->public_id);
  g_autoptr(GPtrArray) feed = mp_test_server_feed (fixture->server, fixture->session, token, 0, 100, NULL);
  g_autoptr(MpTestResponse) raw = mp_test_server_request (fixture->server, fixture->session, "GET",
                                                          "/changes?since=0&limit=1000", token, NULL);

  g_assert_cmpuint (visible->status, ==, 200);
  /* Hidden and missing are indistinguishable, byte for byte. */
  g_assert_cmpuint (hidden->status, ==, 404);
  g_assert_cmpuint (absent->status, ==, 404);
  g_assert_true (g_bytes_equal (hidden->body, absent->body));

  g_assert_true (feed_mentions (feed, fixture->public_id, NULL));
  g_assert_false (feed_mentions (feed, fixture->private_id, NULL));
  g_assert_false (bytes_contain (raw->body, fixture->private_id));
  g_assert_false (bytes_contain (raw->body, "Sisäinen"));
}

static void
test_non_member (Fixture       *fixture,
                 gconstpointer  data)
{
  check_outsider (fixture, fixture->bob);
}

static void
test_anonymous (Fixture       *fixture,
                gconstpointer  data)
{
  check_outsider (fixture, NULL);
}

static void
test_outsider_cannot_write (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(MpTestResponse) hidden = NULL;
  g_autoptr(MpTestResponse) visible = NULL;
  g_autoptr(MpTestResponse) foreign = NULL;
  g_autoptr(MpTestResponse) delete = NULL;
  g_autofree char *id = mp_test_new_id ();
  g_autofree char *document = mp_test_document (id, "Toisen malli", "Org A", "public");
  g_autofree char *delete_path = g_strconcat ("/models/", fixture->private_id, NULL);

  /* Changing a hidden model looks like changing a missing one. */
  hidden = mp_test_server_push (fixture->server, fixture->session, fixture->bob, fixture->private_id,
                                "{\"base_revision\": 1, \"fields\": {\"summary\": \"x\"}}", NULL);
  g_assert_cmpuint (hidden->status, ==, 404);

  visible = mp_test_server_push (fixture->server, fixture->session, fixture->bob, fixture->public_id,
                                 "{\"base_revision\": 1, \"fields\": {\"summary\": \"x\"}}", NULL);
  g_assert_cmpuint (visible->status, ==, 403);

  foreign = mp_test_server_push (fixture->server, fixture->session, fixture->bob, id, document, NULL);
  g_assert_cmpuint (foreign->status, ==, 403);
  g_assert_cmpstr (mp_test_response_error_field (foreign), ==, "organisation");

  delete = mp_test_server_request (fixture->server, fixture->session, "DELETE", delete_path, fixture->bob, NULL);
  g_assert_cmpuint (delete->status, ==, 404);
}

static void
test_loss_of_visibility (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MpTestResponse) hide = NULL;
  g_autoptr(GPtrArray) bob_feed = NULL;
  g_autoptr(GPtrArray) anonymous_feed = NULL;
  g_autoptr(GPtrArray) alice_feed = NULL;
  g_autoptr(GPtrArray) bob_full = NULL;
  gint64 bob_since = 0, anonymous_since = 0, alice_since = 0;
  gboolean tombstone = FALSE;

  g_ptr_array_unref (mp_test_server_feed (fixture->server, fixture->session, fixture->bob, 0, 100, &bob_since));
  g_ptr_array_unref (mp_test_server_feed (fixture->server, fixture->session, NULL, 0, 100, &anonymous_since));
  g_ptr_array_unref (mp_test_server_feed (fixture->server, fixture->session, fixture->alice, 0, 100, &alice_since));

  hide = mp_test_server_push (fixture->server, fixture->session, fixture->alice, fixture->public_id,
                              "{\"base_revision\": 1, \"fields\": {\"visibility\": \"organisation\"}}", NULL);
  g_assert_cmpuint (hide->status, ==, 200);

  bob_feed = mp_test_server_feed (fixture->server, fixture->session, fixture->bob, bob_since, 100, NULL);
  g_assert_cmpuint (bob_feed->len, ==, 1);
  g_assert_true (feed_mentions (bob_feed, fixture->public_id, &tombstone));
  g_assert_true (tombstone);
  g_assert_false (json_object_has_member (g_ptr_array_index (bob_feed, 0), "document"));

  anonymous_feed = mp_test_server_feed (fixture->server, fixture->session, NULL, anonymous_since, 100, NULL);
  g_assert_true (feed_mentions (anonymous_feed, fixture->public_id, &tombstone));
  g_assert_true (tombstone);

  alice_feed = mp_test_server_feed (fixture->server, fixture->session, fixture->alice, alice_since, 100, NULL);
  g_assert_true (feed_mentions (alice_feed, fixture->public_id, &tombstone));
  g_assert_false (tombstone);

  /* A fresh full sync of an outsider knows nothing of either model now. */
  bob_full = mp_test_server_feed (fixture->server, fixture->session, fixture->bob, 0, 100, NULL);
  g_assert_cmpuint (bob_full->len, ==, 1);
  g_assert_true (feed_mentions (bob_full, fixture->public_id, &tombstone));
  g_assert_true (tombstone);
  g_assert_false (feed_mentions (bob_full, fixture->private_id, NULL));
}

static void
test_deletion (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *public_path = g_strconcat ("/models/", fixture->public_id, NULL);
  g_autofree char *private_path = g_strconcat ("/models/", fixture->private_id, NULL);
  g_autoptr(MpTestResponse) delete_public = NULL;
  g_autoptr(MpTestResponse) delete_private = NULL;
  g_autoptr(MpTestResponse) gone = NULL;
  g_autoptr(GPtrArray) alice_feed = NULL;
  g_autoptr(GPtrArray) bob_feed = NULL;
  gint64 since = 0;
  gboolean tombstone = FALSE;

  g_ptr_array_unref (mp_test_server_feed (fixture->server, fixture->session, fixture->bob, 0, 100, &since));

  delete_public = mp_test_server_request (fixture->server, fixture->session, "DELETE", public_path,
                                          fixture->alice, NULL);
  g_assert_cmpuint (delete_public->status, ==, 200);
  delete_private = mp_test_server_request (fixture->server, fixture->session, "DELETE", private_path,
                                           fixture->alice, NULL);
  g_assert_cmpuint (delete_private->status, ==, 200);

  gone = get_model (fixture, NULL, fixture->public_id);
  g_assert_cmpuint (gone->status, ==, 404);

  alice_feed = mp_test_server_feed (fixture->server, fixture->session, fixture->alice, 0, 100, NULL);
  g_assert_true (feed_mentions (alice_feed, fixture->private_id, &tombstone));
  g_assert_true (tombstone);
  g_assert_true (feed_mentions (alice_feed, fixture->public_id, &tombstone));
  g_assert_true (tombstone);

  bob_feed = mp_test_server_feed (fixture->server, fixture->session, fixture->bob, since, 100, NULL);
  g_assert_true (feed_mentions (bob_feed, fixture->public_id, &tombstone));
  g_assert_true (tombstone);
  g_assert_false (feed_mentions (bob_feed, fixture->private_id, NULL));
}

static void
test_etag (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_strconcat ("/models/", fixture->public_id, NULL);
  g_autofree char *url = mp_test_server_url (fixture->server, path);
  g_autoptr(MpTestResponse) first = get_model (fixture, NULL, fixture->public_id);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "ETag"), ==, "\"1\"");

  soup_message_headers_replace (soup_message_get_request_headers (message), "If-None-Match", "\"1\"");
  body = soup_session_send_and_read (fixture->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 304);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
}

static void
test_taxonomies (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MpTestResponse) response = mp_test_server_request (fixture->server, fixture->session, "GET",
                                                               "/taxonomies", NULL, NULL);
  JsonObject *object = mp_test_response_object (response);
  const char *names[] = { "stages", "stage_states", "characteristics", "themes", "target_groups",
                          "regions", "visibility" };
  const guint counts[] = { 6, 3, 16, 18, 14, 24, 3 };
  JsonObject *first_stage;

  g_assert_cmpuint (response->status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, names[i])), ==, counts[i]);

  first_stage = json_array_get_object_element (json_object_get_array_member (object, "stages"), 0);
  g_assert_cmpstr (json_object_get_string_member (first_stage, "key"), ==, "need");
  g_assert_cmpstr (json_object_get_string_member (first_stage, "fi"), ==, "Tarpeen määrittäminen");
  g_assert_cmpstr (json_object_get_string_member (first_stage, "sv"), ==, "Identifiering av behovet");
  g_assert_cmpstr (json_object_get_string_member (first_stage, "en"), ==, "Need identified");
}

static void
test_gzip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SoupSession) plain = soup_session_new ();
  g_autofree char *url = mp_test_server_url (fixture->server, "/changes?since=0");
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) compressed = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* Without the decoder the bytes arrive as the server sent them. */
  soup_session_remove_feature_by_type (plain, SOUP_TYPE_CONTENT_DECODER);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept-Encoding", "gzip");
  body = soup_session_send_and_read (plain, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                 "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (body, NULL))[0], ==, 0x1f);

  compressed = g_memory_input_stream_new_from_bytes (body);
  stream = g_converter_input_stream_new (compressed, G_CONVERTER (decompressor));
  json_parser_load_from_stream (parser, stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "changes"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/visibility/member", test_member);
  ADD ("/server/visibility/non-member", test_non_member);
  ADD ("/server/visibility/anonymous", test_anonymous);
  ADD ("/server/visibility/outsider-cannot-write", test_outsider_cannot_write);
  ADD ("/server/visibility/loss-gives-tombstone", test_loss_of_visibility);
  ADD ("/server/visibility/deletion", test_deletion);
  ADD ("/server/read/etag", test_etag);
  ADD ("/server/read/taxonomies", test_taxonomies);
  ADD ("/server/read/gzip", test_gzip);
#undef ADD

  return g_test_run ();
}
