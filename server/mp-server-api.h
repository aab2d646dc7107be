/* mp-server-api.h — the /api/v1 endpoints of the sync protocol
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-server-db.h"
#include "mp-server-request.h"

G_BEGIN_DECLS

#define MP_SERVER_API_PREFIX "/api/v1"

/* Default request body limit: 8 MiB (two long texts at their limit). */
#define MP_SERVER_MAX_BODY (8 * 1024 * 1024)
/* Tombstones are kept 90 days; older feed positions must re-sync in full. */
#define MP_SERVER_TOMBSTONE_RETENTION (90 * 24 * 60 * 60)
/* An Idempotency-Key is remembered at least this long. */
#define MP_SERVER_IDEMPOTENCY_RETENTION (24 * 60 * 60)
#define MP_SERVER_FEED_DEFAULT_LIMIT 100
#define MP_SERVER_FEED_MAX_LIMIT 1000
#define MP_SERVER_BATCH_MAX_ITEMS 100

/**
 * MpServerConfig:
 * @token_ttl: lifetime of a login token in seconds
 * @max_body: the largest request body accepted, in bytes
 * @tombstone_retention: how long tombstones are kept, in seconds
 */
typedef struct {
  gint64 token_ttl;
  gsize  max_body;
  gint64 tombstone_retention;
} MpServerConfig;

/* Answers @request (path relative to MP_SERVER_API_PREFIX) using @db. Runs
 * in a worker thread; @db is that thread's own connection. */
void mp_server_api_handle (const MpServerConfig *config,
                           MpServerDb           *db,
                           MpServerRequest      *request);

G_END_DECLS
