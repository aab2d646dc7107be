/* mp-server-auth.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include <argon2.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "mp-server-auth.h"

/* OWASP's Argon2id minimum: 19 MiB, two passes, one lane. */
#define ARGON2_T_COST   2
#define ARGON2_M_COST   (19 * 1024)
#define ARGON2_LANES    1
#define ARGON2_SALT_LEN 16
#define ARGON2_HASH_LEN 32
#define TOKEN_BYTES     32

/* private helpers */

/* The kernel's CSPRNG: g_random_*() is a Mersenne Twister, fine for tests
 * and shuffles but predictable, so never for salts or tokens. */
static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize filled = 0;

  while (filled < length)
    {
      ssize_t n = getrandom (buffer + filled, length - filled, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, MP_ERROR, MP_ERROR_FAILED, "No random bytes: %s",
                       g_strerror (saved_errno));
          return FALSE;
        }
      filled += (gsize) n;
    }

  return TRUE;
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* public API */

void
mp_server_user_free (MpServerUser *user)
{
  if (user == NULL)
    return;

  g_free (user->name);
  g_free (user->organisation);
  g_free (user);
}

char *
mp_server_auth_hash_password (const char  *password,
                              GError     **error)
{
  guint8 salt[ARGON2_SALT_LEN];
  g_autofree char *encoded = NULL;
  gsize length;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  if (!fill_random (salt, sizeof salt, error))
    return NULL;

  length = argon2_encodedlen (ARGON2_T_COST, ARGON2_M_COST, ARGON2_LANES,
                              ARGON2_SALT_LEN, ARGON2_HASH_LEN, Argon2_id);
  encoded = g_malloc0 (length);
  rc = argon2id_hash_encoded (ARGON2_T_COST, ARGON2_M_COST, ARGON2_LANES,
                              password, strlen (password), salt, sizeof salt,
                              ARGON2_HASH_LEN, encoded, length);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_FAILED, "Cannot hash the password: %s",
                   argon2_error_message (rc));
      return NULL;
    }

  return g_steal_pointer (&encoded);
}

gboolean
mp_server_auth_check_password (const char *encoded,
                               const char *password)
{
  g_return_val_if_fail (encoded != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  return argon2id_verify (encoded, password, strlen (password)) == ARGON2_OK;
}

gboolean
mp_server_auth_add_user (MpServerDb  *db,
                         const char  *user,
                         const char  *organisation,
                         const char  *password,
                         GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64 organisation_id;

  g_return_val_if_fail (db != NULL, FALSE);

  if (user == NULL || user[0] == '\0' || !g_utf8_validate (user, -1, NULL) ||
      organisation == NULL || organisation[0] == '\0' || !g_utf8_validate (organisation, -1, NULL))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                   "The user name and the organisation must be non-empty UTF-8 text");
      return FALSE;
    }
  if (password == NULL || password[0] == '\0')
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID, "The password is empty");
      return FALSE;
    }

  hash = mp_server_auth_hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  if (!mp_server_db_begin (db, error))
    return FALSE;

  organisation_id = mp_server_db_ensure_organisation (db, organisation, error);
  if (organisation_id == 0)
    {
      mp_server_db_rollback (db);
      return FALSE;
    }

  stmt = mp_server_db_prepare (db,
                               "INSERT INTO users (name, organisation_id, password_hash, created) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               error);
  if (stmt == NULL)
    {
      mp_server_db_rollback (db);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, organisation_id);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (mp_server_db_last_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, MP_ERROR, MP_ERROR_INVALID, "The user “%s” exists already", user);
      else
        mp_server_db_set_error (db, error);
      g_clear_pointer (&stmt, mp_server_stmt_release);
      mp_server_db_rollback (db);
      return FALSE;
    }

  return mp_server_db_commit (db, error);
}

char *
mp_server_auth_login (MpServerDb    *db,
                      const char    *user,
                      const char    *password,
                      gint64         ttl,
                      gint64        *expires,
                      MpServerUser **logged_in,
                      GError       **error)
{
  g_autoptr(MpServerStmt) select = NULL;
  g_autoptr(MpServerStmt) insert = NULL;
  g_autoptr(MpServerUser) found = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *token_hash = NULL;
  guint8 bytes[TOKEN_BYTES];
  GString *token;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  select = mp_server_db_prepare (db,
                                 "SELECT u.id, u.password_hash, o.name FROM users u "
                                 "JOIN organisations o ON o.id = u.organisation_id WHERE u.name = ?1",
                                 error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, user, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    {
      found = g_new0 (MpServerUser, 1);
      found->id = sqlite3_column_int64 (select, 0);
      found->name = g_strdup (user);
      encoded = g_strdup ((const char *) sqlite3_column_text (select, 1));
      found->organisation = g_strdup ((const char *) sqlite3_column_text (select, 2));
    }
  else if (rc != SQLITE_DONE)
    {
      mp_server_db_set_error (db, error);
      return NULL;
    }
  g_clear_pointer (&select, mp_server_stmt_release);

  if (found == NULL)
    {
      /* Spend the same time on an unknown user, so that timing tells no
       * one which names exist. */
      g_autofree char *dummy = mp_server_auth_hash_password (password, NULL);

      g_set_error (error, MP_ERROR, MP_ERROR_AUTH, "Wrong user name or password");
      return NULL;
    }

  if (!mp_server_auth_check_password (encoded, password))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_AUTH, "Wrong user name or password");
      return NULL;
    }

  if (!fill_random (bytes, sizeof bytes, error))
    return NULL;
  token = g_string_sized_new (2 * TOKEN_BYTES);
  for (guint i = 0; i < TOKEN_BYTES; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  token_hash = hash_token (token->str);

  insert = mp_server_db_prepare (db,
                                 "INSERT INTO tokens (token_hash, user_id, created, expires) "
                                 "VALUES (?1, ?2, ?3, ?4)",
                                 error);
  if (insert == NULL)
    {
      g_string_free (token, TRUE);
      return NULL;
    }
  sqlite3_bind_text (insert, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, found->id);
  sqlite3_bind_int64 (insert, 3, now);
  sqlite3_bind_int64 (insert, 4, now + ttl);
  if (!mp_server_db_step_done (db, insert, error))
    {
      g_string_free (token, TRUE);
      return NULL;
    }

  if (expires != NULL)
    *expires = now + ttl;
  if (logged_in != NULL)
    *logged_in = g_steal_pointer (&found);

  return g_string_free (token, FALSE);
}

MpServerUser *
mp_server_auth_check_token (MpServerDb  *db,
                            const char  *token,
                            GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  g_autofree char *token_hash = NULL;
  MpServerUser *user;
  int rc;

  g_return_val_if_fail (token != NULL, NULL);

  token_hash = hash_token (token);
  stmt = mp_server_db_prepare (db,
                               "SELECT u.id, u.name, o.name FROM tokens t "
                               "JOIN users u ON u.id = t.user_id "
                               "JOIN organisations o ON o.id = u.organisation_id "
                               "WHERE t.token_hash = ?1 AND t.revoked = 0 AND t.expires > ?2",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_AUTH, "The session has expired or was ended");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return NULL;
    }

  user = g_new0 (MpServerUser, 1);
  user->id = sqlite3_column_int64 (stmt, 0);
  user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  user->organisation = g_strdup ((const char *) sqlite3_column_text (stmt, 2));

  return user;
}

gboolean
mp_server_auth_logout (MpServerDb  *db,
                       const char  *token,
                       GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  g_autofree char *token_hash = hash_token (token);

  stmt = mp_server_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE token_hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);

  return mp_server_db_step_done (db, stmt, error);
}
