/* mp-test-server.h — runs the real mallipaja-server as a child process
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char        *dir;
  char        *db_path;
  GStrv        extra_args;
  GSubprocess *process;
  char        *base;       /* http://127.0.0.1:PORT/api/v1 */
} MpTestServer;

typedef struct {
  guint               status;
  GBytes             *body;
  JsonNode           *json;     /* NULL when the body is not JSON */
  SoupMessageHeaders *headers;
} MpTestResponse;

/* Starts the server on a fresh database in a temporary folder, with
 * --listen 127.0.0.1:0 and the extra options given (NULL-terminated). */
MpTestServer   *mp_test_server_new          (const char      *first_arg,
                                             ...);
void            mp_test_server_start        (MpTestServer    *self);
void            mp_test_server_stop         (MpTestServer    *self);
void            mp_test_server_free         (MpTestServer    *self);
/* Runs `mallipaja-server --db … user add USER ORG` with the password on
 * standard input. */
void            mp_test_server_add_user     (MpTestServer    *self,
                                             const char      *user,
                                             const char      *organisation,
                                             const char      *password);
char           *mp_test_server_url          (MpTestServer    *self,
                                             const char      *path);
/* Logs in; asserts success. */
char           *mp_test_server_login        (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *user,
                                             const char      *password);

/* One request; @token, @body and @idempotency_key may be NULL. */
MpTestResponse *mp_test_request             (SoupSession     *session,
                                             const char      *method,
                                             const char      *url,
                                             const char      *token,
                                             const char      *body,
                                             gssize           body_length,
                                             const char      *idempotency_key);
MpTestResponse *mp_test_server_request      (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *method,
                                             const char      *path,
                                             const char      *token,
                                             const char      *body);
void            mp_test_response_free       (MpTestResponse  *response);
JsonObject     *mp_test_response_object     (MpTestResponse  *response);
/* The "field" of an error answer, or NULL. */
const char     *mp_test_response_error_field (MpTestResponse *response);
const char     *mp_test_response_error_code (MpTestResponse  *response);

/* A minimal valid model document. */
char           *mp_test_document            (const char      *id,
                                             const char      *title,
                                             const char      *organisation,
                                             const char      *visibility);
char           *mp_test_new_id              (void);

/* PUT /models/{id} with @body; @token and @idempotency_key may be NULL. */
MpTestResponse *mp_test_server_push         (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *token,
                                             const char      *id,
                                             const char      *body,
                                             const char      *idempotency_key);
/* Creates a model and asserts 201; returns its id. */
char           *mp_test_server_create       (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *token,
                                             const char      *title,
                                             const char      *organisation,
                                             const char      *visibility);
/* Pages through the change feed from @since; returns the entries (JsonObject)
 * and the last next_since in @next_since. */
GPtrArray      *mp_test_server_feed         (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *token,
                                             gint64           since,
                                             guint            limit,
                                             gint64          *next_since);
gint64          mp_test_server_revision     (MpTestServer    *self,
                                             SoupSession     *session,
                                             const char      *token,
                                             const char      *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpTestServer, mp_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpTestResponse, mp_test_response_free)

G_END_DECLS
