/* test-server-input.c — bad input is refused whole, naming the field
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
  char         *token;
  char         *id;
  gint64        since;  /* the feed position after set-up */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = mp_test_server_new ("--max-body", "65536", NULL);
  fixture->session = soup_session_new ();
  mp_test_server_add_user (fixture->server, "aino", "Org", "sana");
  fixture->token = mp_test_server_login (fixture->server, fixture->session, "aino", "sana");
  fixture->id = mp_test_server_create (fixture->server, fixture->session, fixture->token,
                                       "Malli", "Org", "public");
  g_ptr_array_unref (mp_test_server_feed (fixture->server, fixture->session, fixture->token, 0, 100,
                                          &fixture->since));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Whatever was refused, nothing was written. */
  g_autoptr(GPtrArray) changes = mp_test_server_feed (fixture->server, fixture->session, fixture->token,
                                                      fixture->since, 100, NULL);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpint (mp_test_server_revision (fixture->server, fixture->session, NULL, fixture->id), ==, 1);

  g_free (fixture->token);
  g_free (fixture->id);
  g_clear_object (&fixture->session);
  mp_test_server_free (fixture->server);
}

static void
expect_invalid (Fixture    *fixture,
                const char *id,
                const char *body,
                gssize      length,
                const char *field)
{
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autofree char *url = mp_test_server_url (fixture->server, path);
  g_autoptr(MpTestResponse) response = mp_test_request (fixture->session, "PUT", url, fixture->token,
                                                        body, length, NULL);

  g_assert_cmpuint (response->status, ==, 400);
  g_assert_cmpstr (mp_test_response_error_code (response), ==, "invalid");
  g_assert_cmpstr (mp_test_response_error_field (response), ==, field);
  g_assert_nonnull (json_object_get_string_member (
                      json_object_get_object_member (mp_test_response_object (response), "error"),
                      "message"));
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"base_revision\": 1, \"fields\": {\"basic_idea\": \"");
  g_autofree char *path = g_strconcat ("/models/", fixture->id, NULL);
  g_autoptr(MpTestResponse) response = NULL;

  while (body->len < 100 * 1024)
    g_string_append (body, "Pitkä teksti. ");
  g_string_append (body, "\"}}");

  response = mp_test_server_request (fixture->server, fixture->session, "PUT", path, fixture->token, body->str);
  g_assert_cmpuint (response->status, ==, 413);
  g_assert_cmpstr (mp_test_response_error_code (response), ==, "too_large");
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {", -1, "body");
  expect_invalid (fixture, fixture->id, "[1, 2]", -1, "body");
  expect_invalid (fixture, fixture->id, "", -1, "body");
}

static void
test_wrong_type (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *new_id = mp_test_new_id ();
  g_autofree char *document = NULL;
  g_autoptr(JsonNode) node = NULL;

  expect_invalid (fixture, fixture->id, "{\"base_revision\": \"1\", \"fields\": {}}", -1, "base_revision");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": []}", -1, "fields");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {\"title\": 5}}", -1, "fields.title");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {\"unfinished\": \"no\"}}", -1,
                  "fields.unfinished");

  document = mp_test_document (new_id, "Uusi", "Org", "public");
  node = json_from_string (document, NULL);
  json_object_set_string_member (json_node_get_object (node), "themes", "housing");
  g_free (document);
  document = json_to_string (node, FALSE);
  expect_invalid (fixture, new_id, document, -1, "themes");
}

static void
test_unknown_field (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *new_id = mp_test_new_id ();
  g_autofree char *document = mp_test_document (new_id, "Uusi", "Org", "public");
  g_autoptr(JsonNode) node = json_from_string (document, NULL);
  g_autofree char *with_extra = NULL;
  g_autoptr(MpTestResponse) login = NULL;

  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {\"colour\": \"red\"}}", -1,
                  "fields.colour");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {}, \"force\": true}", -1, "force");
  /* What the platform sets cannot be pushed as a change. */
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {\"revision\": 9}}", -1,
                  "fields.revision");

  json_object_set_string_member (json_node_get_object (node), "colour", "red");
  with_extra = json_to_string (node, FALSE);
  expect_invalid (fixture, new_id, with_extra, -1, "colour");

  login = mp_test_server_request (fixture->server, fixture->session, "POST", "/session", NULL,
                                  "{\"user\": \"aino\", \"password\": \"sana\", \"remember\": true}");
  g_assert_cmpuint (login->status, ==, 400);
  g_assert_cmpstr (mp_test_response_error_field (login), ==, "remember");
}

static void
test_nested_unknown_field (Fixture       *fixture,
                           gconstpointer  data)
{
  /* Deeper checks come from the core's reader, which names the field too. */
  expect_invalid (fixture, fixture->id,
                  "{\"base_revision\": 1, \"fields\": {\"links\": [{\"title\": \"x\", \"url\": \"https://e.org\", \"rel\": 1}]}}",
                  -1, "fields.links");
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  const char body[] = "{\"base_revision\": 1, \"fields\": {\"summary\": \"caf\xc3\x28\"}}";

  expect_invalid (fixture, fixture->id, body, (gssize) strlen (body), "body");
}

static void
test_private_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *new_id = mp_test_new_id ();
  g_autofree char *document = mp_test_document (new_id, "Oma", "Org", "private");

  expect_invalid (fixture, new_id, document, -1, "visibility");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 1, \"fields\": {\"visibility\": \"private\"}}", -1,
                  "fields.visibility");
}

static void
test_bad_ids (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *other_id = mp_test_new_id ();
  g_autofree char *document = mp_test_document (other_id, "Uusi", "Org", "public");
  g_autofree char *upper = g_ascii_strup (fixture->id, -1);

  expect_invalid (fixture, "not-a-uuid", "{\"base_revision\": 1, \"fields\": {}}", -1, "id");
  expect_invalid (fixture, upper, "{\"base_revision\": 1, \"fields\": {}}", -1, "id");
  /* The document's id must be the one in the path. */
  expect_invalid (fixture, fixture->id, document, -1, "id");
  expect_invalid (fixture, fixture->id, "{\"base_revision\": 7, \"fields\": {\"summary\": \"x\"}}", -1,
                  "base_revision");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/input/too-large", test_too_large);
  ADD ("/server/input/malformed-json", test_malformed);
  ADD ("/server/input/wrong-type", test_wrong_type);
  ADD ("/server/input/unknown-field", test_unknown_field);
  ADD ("/server/input/nested-unknown-field", test_nested_unknown_field);
  ADD ("/server/input/invalid-utf8", test_invalid_utf8);
  ADD ("/server/input/private-refused", test_private_refused);
  ADD ("/server/input/bad-ids", test_bad_ids);
#undef ADD

  return g_test_run ();
}
