/* mp-server-db.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include "mp-server-db.h"

struct _MpServerDb {
  sqlite3    *handle;
  GHashTable *statements;  /* const char *sql → sqlite3_stmt * */
};

/* Each migration takes the schema from version N to N + 1; applied in one
 * transaction together with the new user_version. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE organisations ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  created INTEGER NOT NULL);"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  organisation_id INTEGER NOT NULL REFERENCES organisations (id),"
  "  password_hash TEXT NOT NULL,"
  "  created INTEGER NOT NULL);"
  /* Only a hash of each token: a copy of the database logs no one in. */
  "CREATE TABLE tokens ("
  "  token_hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE counters ("
  "  name TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL);"
  "INSERT INTO counters (name, value) VALUES ('seq', 0), ('pruned_seq', 0);"
  "CREATE TABLE models ("
  "  id TEXT PRIMARY KEY,"
  "  revision INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL UNIQUE,"
  "  organisation TEXT NOT NULL,"
  "  visibility TEXT NOT NULL CHECK (visibility IN ('organisation', 'public')),"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  document TEXT NOT NULL);"
  /* Every revision is kept: a push based on any of them can be merged. */
  "CREATE TABLE model_revisions ("
  "  model_id TEXT NOT NULL REFERENCES models (id),"
  "  revision INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  user_id INTEGER,"
  "  created INTEGER NOT NULL,"
  "  document TEXT NOT NULL,"
  "  UNIQUE (model_id, revision));"
  /* Who lost sight of a model at which change: everyone ('*') but the
   * members of @excluded, or the members of one organisation. */
  "CREATE TABLE visibility_losses ("
  "  seq INTEGER PRIMARY KEY,"
  "  model_id TEXT NOT NULL REFERENCES models (id),"
  "  audience TEXT NOT NULL,"
  "  excluded TEXT NOT NULL DEFAULT '',"
  "  created INTEGER NOT NULL);"
  "CREATE INDEX visibility_losses_model ON visibility_losses (model_id);"
  "CREATE TABLE idempotency_keys ("
  "  user_id INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  answer TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  UNIQUE (user_id, key));"
  "CREATE INDEX idempotency_keys_created ON idempotency_keys (created);",
  /* 1 → 2: the feed's "remaining" counts the models after a page from
   * this index alone, without reading a row of the table. */
  "CREATE INDEX models_feed ON models (seq, deleted, visibility, organisation);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MP_SERVER_DB_SCHEMA_VERSION);

/* private helpers */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
exec_sql (MpServerDb  *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_FAILED, "%s",
                   message != NULL ? message : sqlite3_errmsg (db->handle));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (MpServerDb  *db,
         GError     **error)
{
  int version = mp_server_db_get_schema_version (db);

  if (version > MP_SERVER_DB_SCHEMA_VERSION)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_TOO_NEW,
                   "The database was written by a newer mallipaja-server (schema %d)", version);
      return FALSE;
    }

  for (; version < MP_SERVER_DB_SCHEMA_VERSION; version++)
    {
      /* PRAGMA takes no parameters; the number is ours, not input. */
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);

      if (!mp_server_db_begin (db, error))
        return FALSE;
      if (!exec_sql (db, migrations[version], error) || !exec_sql (db, bump, error))
        {
          mp_server_db_rollback (db);
          return FALSE;
        }
      if (!mp_server_db_commit (db, error))
        return FALSE;
    }

  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

static MpVisibility
visibility_from_key (const char *key)
{
  return g_strcmp0 (key, "public") == 0 ? MP_VISIBILITY_PUBLIC : MP_VISIBILITY_ORGANISATION;
}

static gint64
next_seq (MpServerDb  *db,
          GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  stmt = mp_server_db_prepare (db,
                               "UPDATE counters SET value = value + 1 WHERE name = 'seq' "
                               "RETURNING value",
                               error);
  if (stmt == NULL)
    return 0;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/* Records who stops seeing the model when it goes from @previous to the
 * new state (@organisation, @visibility; @deleted for a deletion). */
static gboolean
log_visibility_loss (MpServerDb             *db,
                     gint64                  seq,
                     const MpServerModelRow *previous,
                     const char             *organisation,
                     MpVisibility            visibility,
                     gboolean                deleted,
                     GError                **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  const char *audience;
  const char *excluded = "";

  if (previous == NULL || previous->deleted)
    return TRUE;

  if (previous->visibility == MP_VISIBILITY_PUBLIC)
    {
      if (!deleted && visibility == MP_VISIBILITY_PUBLIC)
        return TRUE;
      audience = "*";
      /* Members of the new owner still see it. */
      if (!deleted)
        excluded = organisation;
    }
  else
    {
      if (!deleted &&
          (visibility == MP_VISIBILITY_PUBLIC ||
           g_strcmp0 (organisation, previous->organisation) == 0))
        return TRUE;
      audience = previous->organisation;
    }

  stmt = mp_server_db_prepare (db,
                               "INSERT INTO visibility_losses (seq, model_id, audience, excluded, created) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, previous->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, audience, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, excluded, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);

  return mp_server_db_step_done (db, stmt, error);
}

static gboolean
documents_equal_but_system (const char *a,
                            const char *b)
{
  g_autoptr(JsonNode) node_a = json_from_string (a, NULL);
  g_autoptr(JsonNode) node_b = json_from_string (b, NULL);
  JsonObject *object_a, *object_b;

  if (node_a == NULL || node_b == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node_a) || !JSON_NODE_HOLDS_OBJECT (node_b))
    return FALSE;

  object_a = json_node_get_object (node_a);
  object_b = json_node_get_object (node_b);
  for (guint i = 0; i < 2; i++)
    {
      json_object_remove_member (object_a, i == 0 ? "revision" : "modified");
      json_object_remove_member (object_b, i == 0 ? "revision" : "modified");
    }

  return json_node_equal (node_a, node_b);
}

/* public API */

void
mp_server_model_row_free (MpServerModelRow *row)
{
  if (row == NULL)
    return;

  g_free (row->id);
  g_free (row->organisation);
  g_free (row->document);
  g_free (row);
}

gboolean
mp_server_model_row_is_visible (const MpServerModelRow *row,
                                const char             *organisation)
{
  g_return_val_if_fail (row != NULL, FALSE);

  if (row->deleted)
    return FALSE;
  if (row->visibility == MP_VISIBILITY_PUBLIC)
    return TRUE;
  return organisation != NULL && g_strcmp0 (organisation, row->organisation) == 0;
}

const char *
mp_server_visibility_key (MpVisibility visibility)
{
  switch (visibility)
    {
    case MP_VISIBILITY_PUBLIC:
      return "public";
    case MP_VISIBILITY_ORGANISATION:
      return "organisation";
    case MP_VISIBILITY_PRIVATE:
    default:
      return "private";
    }
}

MpServerDb *
mp_server_db_open (const char  *path,
                   GError     **error)
{
  g_autoptr(MpServerDb) db = g_new0 (MpServerDb, 1);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          finalize_statement);
  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_FAILED, "Cannot open “%s”: %s", path,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  /* Writers wait for each other instead of failing with SQLITE_BUSY. */
  sqlite3_busy_timeout (db->handle, 30000);

  if (!exec_sql (db,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;",
                 error))
    return NULL;

  if (!migrate (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
mp_server_db_close (MpServerDb *db)
{
  if (db == NULL)
    return;

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db);
}

int
mp_server_db_get_schema_version (MpServerDb *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

MpServerStmt *
mp_server_db_prepare (MpServerDb  *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt != NULL)
    return stmt;

  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      mp_server_db_set_error (db, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

void
mp_server_stmt_release (MpServerStmt *stmt)
{
  if (stmt == NULL)
    return;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
mp_server_db_step_done (MpServerDb    *db,
                        MpServerStmt  *stmt,
                        GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      mp_server_db_set_error (db, error);
      return FALSE;
    }

  return TRUE;
}

void
mp_server_db_set_error (MpServerDb  *db,
                        GError     **error)
{
  g_set_error (error, MP_ERROR, MP_ERROR_FAILED, "Database: %s", sqlite3_errmsg (db->handle));
}

int
mp_server_db_last_errcode (MpServerDb *db)
{
  return sqlite3_extended_errcode (db->handle);
}

gboolean
mp_server_db_begin (MpServerDb  *db,
                    GError     **error)
{
  return exec_sql (db, "BEGIN IMMEDIATE", error);
}

gboolean
mp_server_db_commit (MpServerDb  *db,
                     GError     **error)
{
  if (!exec_sql (db, "COMMIT", error))
    {
      mp_server_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

void
mp_server_db_rollback (MpServerDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    exec_sql (db, "ROLLBACK", NULL);
}

gint64
mp_server_db_ensure_organisation (MpServerDb  *db,
                                  const char  *name,
                                  GError     **error)
{
  g_autoptr(MpServerStmt) insert = NULL;
  g_autoptr(MpServerStmt) select = NULL;

  insert = mp_server_db_prepare (db,
                                 "INSERT INTO organisations (name, created) VALUES (?1, ?2) "
                                 "ON CONFLICT (name) DO NOTHING",
                                 error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (!mp_server_db_step_done (db, insert, error))
    return 0;

  select = mp_server_db_prepare (db, "SELECT id FROM organisations WHERE name = ?1", error);
  if (select == NULL)
    return 0;
  sqlite3_bind_text (select, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return 0;
    }

  return sqlite3_column_int64 (select, 0);
}

guint
mp_server_db_count_models (MpServerDb *db)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  stmt = mp_server_db_prepare (db, "SELECT COUNT(*) FROM models", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return (guint) sqlite3_column_int64 (stmt, 0);
}

MpServerModelRow *
mp_server_db_get_model (MpServerDb  *db,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  MpServerModelRow *row;
  int rc;

  stmt = mp_server_db_prepare (db,
                               "SELECT revision, seq, organisation, visibility, deleted, document "
                               "FROM models WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, "No model “%s”", id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return NULL;
    }

  row = g_new0 (MpServerModelRow, 1);
  row->id = g_strdup (id);
  row->revision = sqlite3_column_int64 (stmt, 0);
  row->seq = sqlite3_column_int64 (stmt, 1);
  row->organisation = column_dup (stmt, 2);
  row->visibility = visibility_from_key ((const char *) sqlite3_column_text (stmt, 3));
  row->deleted = sqlite3_column_int (stmt, 4) != 0;
  row->document = column_dup (stmt, 5);

  return row;
}

char *
mp_server_db_get_revision (MpServerDb  *db,
                           const char  *id,
                           gint64       revision,
                           GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  int rc;

  stmt = mp_server_db_prepare (db,
                               "SELECT document FROM model_revisions "
                               "WHERE model_id = ?1 AND revision = ?2",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, "No revision %" G_GINT64_FORMAT, revision);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return NULL;
    }

  return column_dup (stmt, 0);
}

gint64
mp_server_db_store_model (MpServerDb              *db,
                          MpModel                 *model,
                          const MpServerModelRow  *previous,
                          gint64                   user_id,
                          char                   **document,
                          GError                 **error)
{
  g_autoptr(MpServerStmt) upsert = NULL;
  g_autoptr(MpServerStmt) revision = NULL;
  g_autofree char *text = NULL;
  const char *organisation = mp_model_get_text (model, MP_TEXT_ORGANISATION);
  MpVisibility visibility = mp_model_get_visibility (model);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seq;

  g_return_val_if_fail (visibility != MP_VISIBILITY_PRIVATE, 0);

  if (mp_server_db_ensure_organisation (db, organisation, error) == 0)
    return 0;

  seq = next_seq (db, error);
  if (seq == 0)
    return 0;

  text = mp_model_to_json_string (model, FALSE);

  upsert = mp_server_db_prepare (db,
                                 "INSERT INTO models (id, revision, seq, organisation, visibility, deleted, document) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6) "
                                 "ON CONFLICT (id) DO UPDATE SET revision = ?2, seq = ?3, "
                                 "organisation = ?4, visibility = ?5, deleted = 0, document = ?6",
                                 error);
  if (upsert == NULL)
    return 0;
  sqlite3_bind_text (upsert, 1, mp_model_get_id (model), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (upsert, 2, mp_model_get_revision (model));
  sqlite3_bind_int64 (upsert, 3, seq);
  sqlite3_bind_text (upsert, 4, organisation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (upsert, 5, mp_server_visibility_key (visibility), -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 6, text, -1, SQLITE_TRANSIENT);
  if (!mp_server_db_step_done (db, upsert, error))
    return 0;

  revision = mp_server_db_prepare (db,
                                   "INSERT INTO model_revisions (model_id, revision, seq, user_id, created, document) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   error);
  if (revision == NULL)
    return 0;
  sqlite3_bind_text (revision, 1, mp_model_get_id (model), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (revision, 2, mp_model_get_revision (model));
  sqlite3_bind_int64 (revision, 3, seq);
  if (user_id > 0)
    sqlite3_bind_int64 (revision, 4, user_id);
  else
    sqlite3_bind_null (revision, 4);
  sqlite3_bind_int64 (revision, 5, now);
  sqlite3_bind_text (revision, 6, text, -1, SQLITE_TRANSIENT);
  if (!mp_server_db_step_done (db, revision, error))
    return 0;

  if (!log_visibility_loss (db, seq, previous, organisation, visibility, FALSE, error))
    return 0;

  if (document != NULL)
    *document = g_steal_pointer (&text);

  return seq;
}

gint64
mp_server_db_delete_model (MpServerDb              *db,
                           const MpServerModelRow  *previous,
                           gint64                   user_id,
                           GError                 **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  gint64 seq;

  g_return_val_if_fail (previous != NULL, 0);

  seq = next_seq (db, error);
  if (seq == 0)
    return 0;

  stmt = mp_server_db_prepare (db, "UPDATE models SET deleted = 1, seq = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, previous->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, seq);
  if (!mp_server_db_step_done (db, stmt, error))
    return 0;

  if (!log_visibility_loss (db, seq, previous, previous->organisation, previous->visibility, TRUE, error))
    return 0;

  return seq;
}

gboolean
mp_server_db_import_models (MpServerDb  *db,
                            GPtrArray   *models,
                            guint       *n_imported,
                            guint       *n_skipped,
                            GError     **error)
{
  guint imported = 0, skipped = 0;

  if (!mp_server_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < models->len; i++)
    {
      MpModel *model = g_ptr_array_index (models, i);
      g_autoptr(MpServerModelRow) previous = NULL;
      g_autoptr(MpModel) copy = NULL;
      g_autoptr(GError) local_error = NULL;

      if (mp_model_get_visibility (model) == MP_VISIBILITY_PRIVATE ||
          mp_model_get_text (model, MP_TEXT_ORGANISATION)[0] == '\0')
        {
          skipped++;
          continue;
        }

      previous = mp_server_db_get_model (db, mp_model_get_id (model), &local_error);
      if (previous == NULL && !g_error_matches (local_error, MP_ERROR, MP_ERROR_NOT_FOUND))
        {
          mp_server_db_rollback (db);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      copy = mp_model_copy (model);
      mp_model_set_revision (copy, previous != NULL ? previous->revision + 1 : 1);
      if (previous != NULL)
        {
          g_autofree char *text = mp_model_to_json_string (copy, FALSE);

          if (!previous->deleted && documents_equal_but_system (text, previous->document))
            {
              skipped++;
              continue;
            }
        }

      if (mp_server_db_store_model (db, copy, previous, 0, NULL, error) == 0)
        {
          mp_server_db_rollback (db);
          return FALSE;
        }
      imported++;
    }

  if (!mp_server_db_commit (db, error))
    return FALSE;

  if (n_imported != NULL)
    *n_imported = imported;
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return TRUE;
}

gboolean
mp_server_db_read_feed (MpServerDb        *db,
                        const char        *organisation,
                        gint64             since,
                        guint              limit,
                        MpServerFeedFunc   func,
                        gpointer           user_data,
                        GError           **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  int rc;

  /* Documents the caller sees now, plus one tombstone per model that the
   * caller lost sight of after @since and still cannot see. A loss is only
   * logged for callers who could see the model before it, so no one learns
   * of an organisation-only model they never could read. */
  stmt = mp_server_db_prepare (db,
                               "SELECT seq, id, revision, document FROM models "
                               " WHERE seq > ?1 AND deleted = 0 "
                               "   AND (visibility = 'public' OR organisation IS ?2) "
                               "UNION ALL "
                               "SELECT MAX(l.seq), l.model_id, NULL, NULL "
                               "  FROM visibility_losses l JOIN models m ON m.id = l.model_id "
                               " WHERE l.seq > ?1 "
                               "   AND (l.audience IS ?2 OR (l.audience = '*' AND l.excluded IS NOT ?2)) "
                               "   AND NOT (m.deleted = 0 AND (m.visibility = 'public' OR m.organisation IS ?2)) "
                               " GROUP BY l.model_id "
                               "ORDER BY 1 LIMIT ?3",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  if (organisation != NULL)
    sqlite3_bind_text (stmt, 2, organisation, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *document = (const char *) sqlite3_column_text (stmt, 3);

      func (sqlite3_column_int64 (stmt, 0),
            (const char *) sqlite3_column_text (stmt, 1),
            sqlite3_column_int64 (stmt, 2),
            document,
            document != NULL ? (gsize) sqlite3_column_bytes (stmt, 3) : 0,
            user_data);
    }

  if (rc != SQLITE_DONE)
    {
      mp_server_db_set_error (db, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
mp_server_db_count_feed (MpServerDb  *db,
                         const char  *organisation,
                         gint64       since,
                         gint64      *count,
                         GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  /* The same two parts as mp_server_db_read_feed(), counted. */
  stmt = mp_server_db_prepare (db,
                               "SELECT (SELECT count(*) FROM models INDEXED BY models_feed"
                               "         WHERE seq > ?1 AND deleted = 0"
                               "           AND (visibility = 'public' OR organisation IS ?2))"
                               "     + (SELECT count(DISTINCT l.model_id)"
                               "          FROM visibility_losses l JOIN models m ON m.id = l.model_id"
                               "         WHERE l.seq > ?1"
                               "           AND (l.audience IS ?2 OR (l.audience = '*' AND l.excluded IS NOT ?2))"
                               "           AND NOT (m.deleted = 0 AND (m.visibility = 'public' OR m.organisation IS ?2)))",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  if (organisation != NULL)
    sqlite3_bind_text (stmt, 2, organisation, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return FALSE;
    }
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gint64
mp_server_db_get_pruned_seq (MpServerDb  *db,
                             GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  stmt = mp_server_db_prepare (db, "SELECT value FROM counters WHERE name = 'pruned_seq'", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gboolean
mp_server_db_prune (MpServerDb  *db,
                    gint64       tombstones_before,
                    gint64       idempotency_before,
                    GError     **error)
{
  g_autoptr(MpServerStmt) mark = NULL;
  g_autoptr(MpServerStmt) losses = NULL;
  g_autoptr(MpServerStmt) keys = NULL;
  g_autoptr(MpServerStmt) tokens = NULL;

  if (!mp_server_db_begin (db, error))
    return FALSE;

  /* Remember how far tombstones are gone before they go. */
  mark = mp_server_db_prepare (db,
                               "UPDATE counters SET value = MAX(value, "
                               "  (SELECT COALESCE(MAX(seq), 0) FROM visibility_losses WHERE created < ?1)) "
                               "WHERE name = 'pruned_seq'",
                               error);
  losses = mp_server_db_prepare (db, "DELETE FROM visibility_losses WHERE created < ?1", error);
  keys = mp_server_db_prepare (db, "DELETE FROM idempotency_keys WHERE created < ?1", error);
  tokens = mp_server_db_prepare (db, "DELETE FROM tokens WHERE expires < ?1 OR revoked = 1", error);
  if (mark == NULL || losses == NULL || keys == NULL || tokens == NULL)
    {
      mp_server_db_rollback (db);
      return FALSE;
    }

  sqlite3_bind_int64 (mark, 1, tombstones_before);
  sqlite3_bind_int64 (losses, 1, tombstones_before);
  sqlite3_bind_int64 (keys, 1, idempotency_before);
  sqlite3_bind_int64 (tokens, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!mp_server_db_step_done (db, mark, error) ||
      !mp_server_db_step_done (db, losses, error) ||
      !mp_server_db_step_done (db, keys, error) ||
      !mp_server_db_step_done (db, tokens, error))
    {
      mp_server_db_rollback (db);
      return FALSE;
    }

  return mp_server_db_commit (db, error);
}

gboolean
mp_server_db_claim_idempotency (MpServerDb  *db,
                                gint64       user_id,
                                const char  *key,
                                const char  *request_hash,
                                GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;
  int rc;

  stmt = mp_server_db_prepare (db,
                               "INSERT INTO idempotency_keys (user_id, key, request_hash, status, answer, created) "
                               "VALUES (?1, ?2, ?3, 0, '', ?4)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, request_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (sqlite3_extended_errcode (db->handle) != SQLITE_CONSTRAINT_UNIQUE)
    mp_server_db_set_error (db, error);

  return FALSE;
}

gboolean
mp_server_db_get_idempotency (MpServerDb  *db,
                              gint64       user_id,
                              const char  *key,
                              char       **request_hash,
                              guint       *status,
                              char       **answer,
                              GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  stmt = mp_server_db_prepare (db,
                               "SELECT request_hash, status, answer FROM idempotency_keys "
                               "WHERE user_id = ?1 AND key = ?2",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      mp_server_db_set_error (db, error);
      return FALSE;
    }

  *request_hash = column_dup (stmt, 0);
  *status = (guint) sqlite3_column_int (stmt, 1);
  *answer = column_dup (stmt, 2);
  return TRUE;
}

gboolean
mp_server_db_store_idempotency (MpServerDb  *db,
                                gint64       user_id,
                                const char  *key,
                                guint        status,
                                const char  *answer,
                                GError     **error)
{
  g_autoptr(MpServerStmt) stmt = NULL;

  stmt = mp_server_db_prepare (db,
                               "UPDATE idempotency_keys SET status = ?3, answer = ?4 "
                               "WHERE user_id = ?1 AND key = ?2",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) status);
  sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_TRANSIENT);

  return mp_server_db_step_done (db, stmt, error);
}
