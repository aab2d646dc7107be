/* mp-test-server.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mp-test-server.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("MALLIPAJA_SERVER");

  g_assert_nonnull (path);
  return path;
}

MpTestServer *
mp_test_server_new (const char *first_arg,
                    ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  MpTestServer *self = g_new0 (MpTestServer, 1);
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (args, arg);
  va_end (ap);
  self->extra_args = g_strv_builder_end (args);

  self->dir = g_dir_make_tmp ("mallipaja-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "platform.sqlite", NULL);

  mp_test_server_start (self);
  return self;
}

/* A test that fails an assertion must not leave its server running (and
 * holding the test's output open, so that meson waits for ever). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

void
mp_test_server_start (MpTestServer *self)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  const char *port;

  g_assert_null (self->process);

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, self->db_path);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));

  port = line + strlen ("Listening on http://127.0.0.1:");
  g_clear_pointer (&self->base, g_free);
  self->base = g_strdup_printf ("http://127.0.0.1:%u/api/v1", (guint) g_ascii_strtoull (port, NULL, 10));
}

void
mp_test_server_stop (MpTestServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->process == NULL)
    return;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_check (self->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->process);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

void
mp_test_server_free (MpTestServer *self)
{
  if (self == NULL)
    return;

  mp_test_server_stop (self);
  remove_dir (self->dir);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->base);
  g_strfreev (self->extra_args);
  g_free (self);
}

void
mp_test_server_add_user (MpTestServer *self,
                         const char   *user,
                         const char   *organisation,
                         const char   *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  process = g_subprocess_launcher_spawn (launcher, &error, server_binary (), "--db", self->db_path,
                                         "user", "add", user, organisation, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

char *
mp_test_server_url (MpTestServer *self,
                    const char   *path)
{
  return g_strconcat (self->base, path, NULL);
}

MpTestResponse *
mp_test_request (SoupSession *session,
                 const char  *method,
                 const char  *url,
                 const char  *token,
                 const char  *body,
                 gssize       body_length,
                 const char  *idempotency_key)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  MpTestResponse *response = g_new0 (MpTestResponse, 1);
  SoupMessageHeaders *headers;

  g_assert_nonnull (message);
  headers = soup_message_get_request_headers (message);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  response->body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  if (g_bytes_get_size (response->body) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (response->body, NULL),
                                         g_bytes_get_size (response->body));

      response->json = json_from_string (text, NULL);
    }

  return response;
}

MpTestResponse *
mp_test_server_request (MpTestServer *self,
                        SoupSession  *session,
                        const char   *method,
                        const char   *path,
                        const char   *token,
                        const char   *body)
{
  g_autofree char *url = mp_test_server_url (self, path);

  return mp_test_request (session, method, url, token, body, -1, NULL);
}

void
mp_test_response_free (MpTestResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

JsonObject *
mp_test_response_object (MpTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

static JsonObject *
error_object (MpTestResponse *response)
{
  JsonObject *object = mp_test_response_object (response);

  g_assert_true (json_object_has_member (object, "error"));
  return json_object_get_object_member (object, "error");
}

const char *
mp_test_response_error_field (MpTestResponse *response)
{
  return json_object_get_string_member_with_default (error_object (response), "field", NULL);
}

const char *
mp_test_response_error_code (MpTestResponse *response)
{
  return json_object_get_string_member (error_object (response), "code");
}

char *
mp_test_server_login (MpTestServer *self,
                      SoupSession  *session,
                      const char   *user,
                      const char   *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MpTestResponse) response = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  response = mp_test_server_request (self, session, "POST", "/session", NULL, body);
  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (mp_test_response_object (response), "token"));
}

char *
mp_test_document (const char *id,
                  const char *title,
                  const char *organisation,
                  const char *visibility)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, "Alku");
  json_builder_set_member_name (builder, "place");
  json_builder_add_string_value (builder, "Tampere");
  json_builder_set_member_name (builder, "organisation");
  json_builder_add_string_value (builder, organisation);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, visibility);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
mp_test_new_id (void)
{
  return g_uuid_string_random ();
}

MpTestResponse *
mp_test_server_push (MpTestServer *self,
                     SoupSession  *session,
                     const char   *token,
                     const char   *id,
                     const char   *body,
                     const char   *idempotency_key)
{
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autofree char *url = mp_test_server_url (self, path);

  return mp_test_request (session, "PUT", url, token, body, -1, idempotency_key);
}

char *
mp_test_server_create (MpTestServer *self,
                       SoupSession  *session,
                       const char   *token,
                       const char   *title,
                       const char   *organisation,
                       const char   *visibility)
{
  g_autofree char *id = mp_test_new_id ();
  g_autofree char *document = mp_test_document (id, title, organisation, visibility);
  g_autoptr(MpTestResponse) response = mp_test_server_push (self, session, token, id, document, NULL);

  if (response->status != 201)
    g_error ("Creating a model: %u %.*s", response->status,
             (int) g_bytes_get_size (response->body), (const char *) g_bytes_get_data (response->body, NULL));
  return g_steal_pointer (&id);
}

GPtrArray *
mp_test_server_feed (MpTestServer *self,
                     SoupSession  *session,
                     const char   *token,
                     gint64        since,
                     guint         limit,
                     gint64       *next_since)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, limit);
      g_autoptr(MpTestResponse) response = mp_test_server_request (self, session, "GET", path, token, NULL);
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (response->status, ==, 200);
      object = mp_test_response_object (response);
      changes = json_object_get_array_member (object, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, limit);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_ptr_array_add (entries, json_object_ref (json_array_get_object_element (changes, i)));
      more = json_object_get_boolean_member (object, "more");
      g_assert_cmpint (json_object_get_int_member (object, "next_since"), >=, since);
      since = json_object_get_int_member (object, "next_since");
    }

  if (next_since != NULL)
    *next_since = since;
  return entries;
}

gint64
mp_test_server_revision (MpTestServer *self,
                         SoupSession  *session,
                         const char   *token,
                         const char   *id)
{
  g_autofree char *path = g_strconcat ("/models/", id, NULL);
  g_autoptr(MpTestResponse) response = mp_test_server_request (self, session, "GET", path, token, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_get_int_member (mp_test_response_object (response), "revision");
}
