/* test-server-auth.c — login, logout, expiry
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mp-test-server.h"

static void
test_login_logout (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpTestResponse) login = NULL;
  g_autoptr(MpTestResponse) changes = NULL;
  g_autoptr(MpTestResponse) logout = NULL;
  g_autoptr(MpTestResponse) after = NULL;
  g_autoptr(MpTestResponse) again = NULL;
  const char *token;
  JsonObject *object;

  mp_test_server_add_user (server, "aino", "Pirkanmaan hyvinvointialue", "salainen sana");

  login = mp_test_server_request (server, session, "POST", "/session", NULL,
                                  "{\"user\": \"aino\", \"password\": \"salainen sana\"}");
  g_assert_cmpuint (login->status, ==, 201);
  object = mp_test_response_object (login);
  token = json_object_get_string_member (object, "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpstr (json_object_get_string_member (object, "organisation"), ==, "Pirkanmaan hyvinvointialue");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "expires"), "Z"));

  changes = mp_test_server_request (server, session, "GET", "/changes", token, NULL);
  g_assert_cmpuint (changes->status, ==, 200);

  logout = mp_test_server_request (server, session, "DELETE", "/session", token, NULL);
  g_assert_cmpuint (logout->status, ==, 204);

  /* A revoked token is refused, not taken for an anonymous reader. */
  after = mp_test_server_request (server, session, "GET", "/changes", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpstr (mp_test_response_error_code (after), ==, "unauthorized");

  again = mp_test_server_request (server, session, "DELETE", "/session", token, NULL);
  g_assert_cmpuint (again->status, ==, 401);
}

static void
test_wrong_password (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpTestResponse) wrong = NULL;
  g_autoptr(MpTestResponse) unknown = NULL;

  mp_test_server_add_user (server, "aino", "Org", "oikea");

  wrong = mp_test_server_request (server, session, "POST", "/session", NULL,
                                  "{\"user\": \"aino\", \"password\": \"väärä\"}");
  unknown = mp_test_server_request (server, session, "POST", "/session", NULL,
                                    "{\"user\": \"eino\", \"password\": \"oikea\"}");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpuint (unknown->status, ==, 401);
  /* The same answer: no telling which user names exist. */
  g_assert_true (g_bytes_equal (wrong->body, unknown->body));
}

static void
test_expiry (void)
{
  /* Long enough that a login hashed under a loaded sanitizer build still
   * has a live token for its first request */
  g_autoptr(MpTestServer) server = mp_test_server_new ("--token-ttl", "4", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(MpTestResponse) fresh = NULL;
  g_autoptr(MpTestResponse) expired = NULL;
  g_autofree char *token = NULL;

  mp_test_server_add_user (server, "aino", "Org", "sana");
  token = mp_test_server_login (server, session, "aino", "sana");

  fresh = mp_test_server_request (server, session, "GET", "/changes", token, NULL);
  g_assert_cmpuint (fresh->status, ==, 200);

  g_usleep (5100 * G_TIME_SPAN_MILLISECOND);
  expired = mp_test_server_request (server, session, "GET", "/changes", token, NULL);
  g_assert_cmpuint (expired->status, ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (expired->headers, "WWW-Authenticate"));
}

static void
test_write_needs_login (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *id = mp_test_new_id ();
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autofree char *document = mp_test_document (id, "Malli", "Org", "public");
  g_autoptr(MpTestResponse) anonymous = NULL;
  g_autoptr(MpTestResponse) bogus = NULL;
  g_autoptr(MpTestResponse) batch = NULL;

  anonymous = mp_test_server_request (server, session, "PUT", path, NULL, document);
  g_assert_cmpuint (anonymous->status, ==, 401);
  bogus = mp_test_server_request (server, session, "PUT", path,
                                  "0000000000000000000000000000000000000000000000000000000000000000",
                                  document);
  g_assert_cmpuint (bogus->status, ==, 401);
  batch = mp_test_server_request (server, session, "POST", "/models:batch", NULL, "{\"items\": []}");
  g_assert_cmpuint (batch->status, ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/auth/login-logout", test_login_logout);
  g_test_add_func ("/server/auth/wrong-password", test_wrong_password);
  g_test_add_func ("/server/auth/expiry", test_expiry);
  g_test_add_func ("/server/auth/write-needs-login", test_write_needs_login);

  return g_test_run ();
}
