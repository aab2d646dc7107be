/* test-server-restart.c — a restart between two requests loses nothing
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-test-server.h"

static void
test_restart_keeps_everything (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  g_autofree char *public_id = NULL;
  g_autofree char *org_id = NULL;
  g_autoptr(MpTestResponse) update = NULL;
  g_autoptr(MpTestResponse) replay = NULL;
  g_autoptr(MpTestResponse) next = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  const char *body = "{\"base_revision\": 1, \"fields\": {\"summary\": \"Ennen\"}}";
  gint64 since_before = 0, since_after = 0;

  mp_test_server_add_user (server, "aino", "Org", "sana");
  token = mp_test_server_login (server, session, "aino", "sana");
  public_id = mp_test_server_create (server, session, token, "Julkinen", "Org", "public");
  org_id = mp_test_server_create (server, session, token, "Sisäinen", "Org", "organisation");
  update = mp_test_server_push (server, session, token, public_id, body, "before-restart");
  g_assert_cmpuint (update->status, ==, 200);
  before = mp_test_server_feed (server, session, token, 0, 100, &since_before);

  mp_test_server_stop (server);
  mp_test_server_start (server);

  /* The login, the models, the feed and the idempotency keys survive. */
  after = mp_test_server_feed (server, session, token, 0, 100, &since_after);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpint (since_after, ==, since_before);
  for (guint i = 0; i < after->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), g_ptr_array_index (before, i));
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), g_ptr_array_index (after, i));

      g_assert_true (json_node_equal (a, b));
    }
  g_assert_cmpint (mp_test_server_revision (server, session, token, org_id), ==, 1);

  replay = mp_test_server_push (server, session, token, public_id, body, "before-restart");
  g_assert_cmpuint (replay->status, ==, 200);
  g_assert_true (g_bytes_equal (replay->body, update->body));

  next = mp_test_server_push (server, session, token, public_id,
                              "{\"base_revision\": 2, \"fields\": {\"summary\": \"Jälkeen\"}}", NULL);
  g_assert_cmpuint (next->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (next), "revision"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (mp_test_response_object (next), "seq"), >, since_before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/restart/keeps-everything", test_restart_keeps_everything);

  return g_test_run ();
}
