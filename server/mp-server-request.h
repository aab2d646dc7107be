/* mp-server-request.h — one API request and its answer, detached from the
 * HTTP connection so that a worker thread can handle it
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * MpServerRequest:
 * @method: the HTTP method
 * @path: the path under /api/v1 ("/models/…")
 * @query: decoded query parameters (may be NULL)
 * @authorization: the Authorization header or NULL
 * @if_none_match: the If-None-Match header or NULL
 * @idempotency_key: the Idempotency-Key header or NULL
 * @accepts_gzip: whether the client accepts a gzip-encoded answer
 * @body: the request body (never NULL; may be empty)
 * @status: the answer's HTTP status
 * @answer: the answer's body (JSON) or NULL for none
 * @headers: extra answer headers, name → value
 * @gzipped: whether @answer is gzip-compressed
 */
typedef struct {
  char       *method;
  char       *path;
  GHashTable *query;
  char       *authorization;
  char       *if_none_match;
  char       *idempotency_key;
  gboolean    accepts_gzip;
  GBytes     *body;

  guint       status;
  GBytes     *answer;
  GHashTable *headers;
  gboolean    gzipped;
} MpServerRequest;

MpServerRequest *mp_server_request_new          (const char      *method,
                                                 const char      *path,
                                                 GHashTable      *query,
                                                 GBytes          *body);
void             mp_server_request_free         (MpServerRequest *request);

void             mp_server_request_set_header   (MpServerRequest *request,
                                                 const char      *name,
                                                 const char      *value);
/* Takes @text. */
void             mp_server_request_take_answer  (MpServerRequest *request,
                                                 guint            status,
                                                 char            *text,
                                                 gsize            length);
void             mp_server_request_set_json     (MpServerRequest *request,
                                                 guint            status,
                                                 JsonNode        *node);
/* {"error": {"code": …, "field": …, "message": …}}; @field may be NULL. */
void             mp_server_request_set_error    (MpServerRequest *request,
                                                 guint            status,
                                                 const char      *code,
                                                 const char      *field,
                                                 const char      *format,
                                                 ...) G_GNUC_PRINTF (5, 6);
JsonNode        *mp_server_error_new            (const char      *code,
                                                 const char      *field,
                                                 const char      *message);
/* Compresses the answer when the client accepts gzip and it is worth it. */
void             mp_server_request_compress     (MpServerRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpServerRequest, mp_server_request_free)

G_END_DECLS
