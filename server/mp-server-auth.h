/* mp-server-auth.h — accounts, Argon2id password hashes and bearer tokens
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-server-db.h"

G_BEGIN_DECLS

/* Default lifetime of a login, in seconds. */
#define MP_SERVER_TOKEN_TTL (24 * 60 * 60)

/**
 * MpServerUser:
 * @id: the user's row id
 * @name: the user name
 * @organisation: the organisation the user belongs to
 *
 * A logged-in caller.
 */
typedef struct {
  gint64  id;
  char   *name;
  char   *organisation;
} MpServerUser;

void          mp_server_user_free            (MpServerUser  *user);

/* An encoded Argon2id hash ("$argon2id$v=19$m=…") with a random salt. */
char         *mp_server_auth_hash_password   (const char    *password,
                                              GError       **error);
gboolean      mp_server_auth_check_password  (const char    *encoded,
                                              const char    *password);

/* Creates the user, and the organisation when it is new; MP_ERROR_INVALID
 * when the name is taken or empty. */
gboolean      mp_server_auth_add_user        (MpServerDb    *db,
                                              const char    *user,
                                              const char    *organisation,
                                              const char    *password,
                                              GError       **error);
/* Returns a new token (64 hex digits) valid for @ttl seconds and sets
 * @expires (UTC seconds); MP_ERROR_AUTH for a wrong name or password. */
char         *mp_server_auth_login           (MpServerDb    *db,
                                              const char    *user,
                                              const char    *password,
                                              gint64         ttl,
                                              gint64        *expires,
                                              MpServerUser **logged_in,
                                              GError       **error);
/* MP_ERROR_AUTH for an unknown, expired or revoked token. */
MpServerUser *mp_server_auth_check_token     (MpServerDb    *db,
                                              const char    *token,
                                              GError       **error);
gboolean      mp_server_auth_logout          (MpServerDb    *db,
                                              const char    *token,
                                              GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpServerUser, mp_server_user_free)

G_END_DECLS
