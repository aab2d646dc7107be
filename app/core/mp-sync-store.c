/* mp-sync-store.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "mp-error.h"
#include "mp-merge.h"
#include "mp-model-json.h"
#include "mp-sync-crash.h"
#include "mp-sync-store.h"

/* Past this many models changed at once, one "bank-changed" tells the
 * views more cheaply than one "model-changed" each: at 10,000 models the
 * list re-reads its rowids for each "model-changed" (1–5 ms) but works out
 * a whole "bank-changed" in 13–25 ms. */
#define MAX_SINGLE_SIGNALS 8

/* The longest wait before an edit that failed for a transient reason is
 * sent again. */
#define MAX_BACKOFF_SECONDS 3600

typedef enum {
  S_MODEL_DOC,
  S_SYNC_GET,
  S_SYNC_PUT,
  S_SYNC_REFRESH_STATE,
  S_SYNC_DELETE,
  S_SYNC_SEE,
  S_SYNC_BASE_FROM_DOC,
  S_OUTBOX_LAST,
  S_OUTBOX_INSERT,
  S_OUTBOX_SET_FIELDS,
  S_OUTBOX_COUNT_MODEL,
  S_OUTBOX_COUNT,
  S_OUTBOX_DELETE_MODEL,
  S_OUTBOX_DELETE,
  S_OUTBOX_FORGET_DELETED,
  S_SYNC_FORGET_DELETED,
  S_OUTBOX_HEADS,
  S_OUTBOX_SENT,
  S_OUTBOX_ATTEMPT,
  S_OUTBOX_GET,
  S_OUTBOX_REBASE,
  S_OUTBOX_TRANSIENT,
  S_OUTBOX_REJECT,
  S_QUARANTINE_GET,
  S_QUARANTINE_RELEASE,
  S_STATE_GET,
  S_STATE_SET_SINCE,
  S_STATE_SET_PLATFORM,
  S_STATE_BEGIN_FULL,
  S_STATE_END_FULL,
  S_STATE_RESULT,
  S_RESYNC_CLEAR,
  S_RESYNC_UNSEEN,
  N_SYNC_STMTS
} SyncStmt;

static const char * const sync_sql[N_SYNC_STMTS] = {
  [S_MODEL_DOC] = "SELECT revision, doc, deleted FROM models WHERE id = ?1",
  [S_SYNC_GET] = "SELECT synced_revision, base_doc, remote_gone, conflict FROM model_sync"
                 " WHERE model_id = ?1",
  [S_SYNC_PUT] = "INSERT INTO model_sync (model_id, synced_revision, base_doc, remote_gone,"
                 "                        resync_seen, conflict)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                 " ON CONFLICT (model_id) DO UPDATE SET"
                 "  synced_revision = excluded.synced_revision, base_doc = excluded.base_doc,"
                 "  remote_gone = excluded.remote_gone,"
                 "  resync_seen = max (resync_seen, excluded.resync_seen),"
                 "  conflict = excluded.conflict",
  [S_SYNC_REFRESH_STATE] =
    "UPDATE model_sync SET state = CASE"
    "  WHEN conflict IS NOT NULL THEN 3"
    "  WHEN EXISTS (SELECT 1 FROM outbox WHERE model_id = ?1) THEN 1"
    "  WHEN synced_revision > 0 THEN 2"
    "  ELSE 0 END"
    " WHERE model_id = ?1",
  [S_SYNC_DELETE] = "DELETE FROM model_sync WHERE model_id = ?1",
  [S_SYNC_SEE] = "UPDATE model_sync SET resync_seen = 1 WHERE model_id = ?1",
  [S_SYNC_BASE_FROM_DOC] = "UPDATE model_sync SET base_doc = (SELECT doc FROM models WHERE id = ?1)"
                           " WHERE model_id = ?1",
  [S_OUTBOX_LAST] = "SELECT id, fields, attempts, quarantined, base_revision FROM outbox"
                    " WHERE model_id = ?1 ORDER BY id DESC LIMIT 1",
  [S_OUTBOX_INSERT] = "INSERT INTO outbox (model_id, fields, base_revision, idempotency_key, created)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
  [S_OUTBOX_SET_FIELDS] = "UPDATE outbox SET fields = ?2 WHERE id = ?1",
  [S_OUTBOX_COUNT_MODEL] = "SELECT count(*) FROM outbox WHERE model_id = ?1",
  /* Edits of a model the bank no longer has (purged by a version that
   * left them behind) are never sent: they are not waiting. */
  [S_OUTBOX_COUNT] = "SELECT count(*), coalesce (sum (quarantined), 0) FROM outbox AS o"
                     " WHERE (?1 IS NULL OR o.model_id = ?1)"
                     "   AND EXISTS (SELECT 1 FROM models AS m WHERE m.id = o.model_id)",
  [S_OUTBOX_DELETE_MODEL] = "DELETE FROM outbox WHERE model_id = ?1",
  [S_OUTBOX_DELETE] = "DELETE FROM outbox WHERE id = ?1",
  [S_OUTBOX_FORGET_DELETED] = "DELETE FROM outbox"
                              " WHERE model_id IN (SELECT id FROM models WHERE deleted = 1)",
  [S_SYNC_FORGET_DELETED] = "DELETE FROM model_sync"
                            " WHERE model_id IN (SELECT id FROM models WHERE deleted = 1)",
  /* The first entry of each model only: a model's edits go in order, one
   * at a time, each based on the answer to the one before. */
  [S_OUTBOX_HEADS] =
    "SELECT o.id, o.model_id, o.fields, o.base_revision, o.idempotency_key FROM outbox AS o"
    " WHERE o.quarantined = 0 AND o.next_attempt <= ?1"
    "   AND o.id = (SELECT min (f.id) FROM outbox AS f WHERE f.model_id = o.model_id)"
    "   AND NOT EXISTS (SELECT 1 FROM model_sync AS s"
    "                    WHERE s.model_id = o.model_id AND s.conflict IS NOT NULL)"
    "   AND EXISTS (SELECT 1 FROM models AS m WHERE m.id = o.model_id AND m.deleted = 0)"
    " ORDER BY o.id LIMIT ?2",
  [S_OUTBOX_SENT] = "SELECT fields FROM outbox WHERE model_id = ?1 AND attempts > 0 ORDER BY id",
  [S_OUTBOX_ATTEMPT] = "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1",
  [S_OUTBOX_GET] = "SELECT model_id, attempts FROM outbox WHERE id = ?1",
  [S_OUTBOX_REBASE] = "UPDATE outbox SET base_revision = ?2"
                      " WHERE model_id = ?1 AND attempts = 0 AND base_revision < ?2",
  [S_OUTBOX_TRANSIENT] = "UPDATE outbox SET last_error = ?2, next_attempt = ?3 WHERE id = ?1",
  [S_OUTBOX_REJECT] = "UPDATE outbox SET rejections = rejections + 1, last_error = ?2,"
                      "  quarantined = (rejections + 1 >= ?3),"
                      "  quarantine_reason = CASE WHEN rejections + 1 >= ?3 THEN ?2 END"
                      " WHERE id = ?1 RETURNING quarantined",
  [S_QUARANTINE_GET] = "SELECT quarantine_reason FROM outbox WHERE model_id = ?1 AND quarantined = 1"
                       " ORDER BY id LIMIT 1",
  [S_QUARANTINE_RELEASE] = "UPDATE outbox SET quarantined = 0, rejections = 0, quarantine_reason = NULL,"
                           "  next_attempt = 0 WHERE model_id = ?1",
  [S_STATE_GET] = "SELECT platform_url, since, full_resync, last_sync, last_error FROM sync_state"
                  " WHERE id = 1",
  [S_STATE_SET_SINCE] = "UPDATE sync_state SET since = ?1 WHERE id = 1",
  [S_STATE_SET_PLATFORM] = "UPDATE sync_state SET platform_url = ?1 WHERE id = 1",
  [S_STATE_BEGIN_FULL] = "UPDATE sync_state SET since = 0, full_resync = 1 WHERE id = 1",
  [S_STATE_END_FULL] = "UPDATE sync_state SET full_resync = 0 WHERE id = 1",
  [S_STATE_RESULT] = "UPDATE sync_state SET last_error = ?1,"
                     "  last_sync = CASE WHEN ?1 IS NULL THEN ?2 ELSE last_sync END WHERE id = 1",
  [S_RESYNC_CLEAR] = "UPDATE model_sync SET resync_seen = 0",
  [S_RESYNC_UNSEEN] = "SELECT model_id FROM model_sync WHERE resync_seen = 0 AND synced_revision > 0",
};

/* The statements of one operation, prepared when first used and finalised
 * when it ends: the store owns the connection's lifetime, so nothing of
 * ours may outlive an operation. */
typedef struct {
  MpStore      *store;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_SYNC_STMTS];
  GHashTable   *changed;      /* model ids to announce after commit */
  GPtrArray    *changed_out;  /* instead, hand them to the caller */
  GHashTable   *prepared;     /* JsonObject * (a document) → Prepared */
  gboolean      full_resync;
  MpSyncCounts *counts;
} SyncDb;

/* A document of the feed made ready outside the transaction. */
typedef struct {
  MpModel  *model;     /* NULL: it does not read; the apply says why */
  char     *document;  /* mp_model_to_json_string (model) */
} Prepared;

typedef struct {
  gboolean  exists;
  gint64    synced_revision;
  char     *base_doc;
  gboolean  remote_gone;
  char     *conflict;
} SyncRow;

typedef struct {
  gboolean  exists;
  gint64    revision;
  char     *doc;
  gboolean  deleted;
} LocalRow;

/* private helpers */

static void
sync_db_init (SyncDb  *self,
              MpStore *store)
{
  memset (self, 0, sizeof *self);
  self->store = store;
  self->db = mp_store_get_db (store);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
sync_db_clear (SyncDb *self)
{
  for (guint i = 0; i < N_SYNC_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->changed, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncDb, sync_db_clear)

static void
sync_row_clear (SyncRow *row)
{
  g_clear_pointer (&row->base_doc, g_free);
  g_clear_pointer (&row->conflict, g_free);
}

static void
local_row_clear (LocalRow *row)
{
  g_clear_pointer (&row->doc, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncRow, sync_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LocalRow, local_row_clear)

static gboolean
db_error (SyncDb  *self,
          GError **error)
{
  g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
               _("The model bank could not be updated: %s"), sqlite3_errmsg (self->db));
  return FALSE;
}

/* Returns the statement reset, with no bindings. */
static sqlite3_stmt *
get (SyncDb    *self,
     SyncStmt   id,
     GError   **error)
{
  if (self->stmts[id] == NULL)
    {
      if (sqlite3_prepare_v2 (self->db, sync_sql[id], -1, &self->stmts[id], NULL) != SQLITE_OK)
        {
          db_error (self, error);
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (self->stmts[id]);
      sqlite3_clear_bindings (self->stmts[id]);
    }

  return self->stmts[id];
}

static gboolean
done (SyncDb        *self,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, error);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
mark_changed (SyncDb     *self,
              const char *id)
{
  g_hash_table_add (self->changed, g_strdup (id));
}

static void
emit_changed (SyncDb *self)
{
  GHashTableIter iter;
  gpointer id;

  /* A store of a worker thread tells nobody: the caller tells the store
   * that the views watch, on their thread. */
  if (self->changed_out != NULL)
    {
      g_hash_table_iter_init (&iter, self->changed);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_ptr_array_add (self->changed_out, g_strdup (id));
      return;
    }

  if (g_hash_table_size (self->changed) > MAX_SINGLE_SIGNALS)
    {
      mp_store_emit_changed (self->store, NULL);
      return;
    }

  g_hash_table_iter_init (&iter, self->changed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    mp_store_emit_changed (self->store, id);
}

static gboolean
begin (SyncDb  *self,
       GError **error)
{
  return mp_store_begin (self->store, error);
}

static gboolean
commit (SyncDb  *self,
        GError **error)
{
  if (!mp_store_commit (self->store, error))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

static gboolean
read_local (SyncDb      *self,
            const char  *id,
            LocalRow    *row,
            GError     **error)
{
  sqlite3_stmt *stmt = get (self, S_MODEL_DOC, error);
  int rc;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->revision = sqlite3_column_int64 (stmt, 0);
      row->doc = column_dup (stmt, 1);
      row->deleted = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_error (self, error);
  return TRUE;
}

static gboolean
read_sync (SyncDb      *self,
           const char  *id,
           SyncRow     *row,
           GError     **error)
{
  sqlite3_stmt *stmt = get (self, S_SYNC_GET, error);
  int rc;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->synced_revision = sqlite3_column_int64 (stmt, 0);
      row->base_doc = column_dup (stmt, 1);
      row->remote_gone = sqlite3_column_int (stmt, 2) != 0;
      row->conflict = column_dup (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_error (self, error);
  return TRUE;
}

static gboolean
write_sync (SyncDb      *self,
            const char  *id,
            SyncRow     *row,
            GError     **error)
{
  sqlite3_stmt *stmt = get (self, S_SYNC_PUT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, row->synced_revision);
  bind_text_or_null (stmt, 3, row->base_doc);
  sqlite3_bind_int (stmt, 4, row->remote_gone);
  sqlite3_bind_int (stmt, 5, self->full_resync);
  bind_text_or_null (stmt, 6, row->conflict);
  return done (self, stmt, error);
}

static gboolean
run_with_id (SyncDb      *self,
             SyncStmt     which,
             const char  *id,
             GError     **error)
{
  sqlite3_stmt *stmt = get (self, which, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return done (self, stmt, error);
}

static gboolean
refresh_state (SyncDb      *self,
               const char  *id,
               GError     **error)
{
  mark_changed (self, id);
  return run_with_id (self, S_SYNC_REFRESH_STATE, id, error);
}

static gint64
count_with_id (SyncDb     *self,
               SyncStmt    which,
               const char *id,
               GError    **error)
{
  sqlite3_stmt *stmt = get (self, which, error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  bind_text_or_null (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    db_error (self, error);
  sqlite3_reset (stmt);
  return count;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL || !(node = json_from_string (text, NULL)) || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* The fields of @now that differ from @before, system fields left out. */
static JsonObject *
changed_fields (JsonObject *before,
                JsonObject *now)
{
  JsonObject *changes = json_object_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, now);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonNode *old;

      if (mp_merge_is_system_field (key))
        continue;
      old = before != NULL && json_object_has_member (before, key)
              ? json_object_get_member (before, key) : NULL;
      if (old == NULL || !json_node_equal (old, value))
        json_object_set_member (changes, key, json_node_copy (value));
    }

  return changes;
}

static gboolean
insert_entry (SyncDb      *self,
              const char  *id,
              JsonObject  *fields,
              gint64       base_revision,
              GError     **error)
{
  g_autofree char *text = object_to_string (fields);
  g_autofree char *key = g_uuid_string_random ();
  sqlite3_stmt *stmt = get (self, S_OUTBOX_INSERT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, base_revision);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  return done (self, stmt, error);
}

/* Queues @fields after the model's other edits. An edit never sent yet is
 * extended instead, so that autosaves do not pile up while offline; one
 * already sent must stay byte for byte what it was, for its key. */
static gboolean
queue_fields (SyncDb      *self,
              const char  *id,
              JsonObject  *fields,
              gint64       base_revision,
              GError     **error)
{
  sqlite3_stmt *stmt = get (self, S_OUTBOX_LAST, error);
  g_autoptr(JsonObject) last_fields = NULL;
  gint64 last_id = 0;
  gint64 last_base = -1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 2) == 0 && sqlite3_column_int (stmt, 3) == 0)
    {
      last_id = sqlite3_column_int64 (stmt, 0);
      last_fields = parse_object ((const char *) sqlite3_column_text (stmt, 1));
      last_base = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_error (self, error);

  if (last_fields != NULL && last_base == base_revision)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;
      g_autofree char *text = NULL;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &key, &value))
        json_object_set_member (last_fields, key, json_node_copy (value));
      text = object_to_string (last_fields);

      if (!(stmt = get (self, S_OUTBOX_SET_FIELDS, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, last_id);
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      return done (self, stmt, error);
    }

  return insert_entry (self, id, fields, base_revision, error);
}

static gboolean
document_is_private (JsonObject *document)
{
  return g_strcmp0 (json_object_get_string_member_with_default (document, "visibility", ""),
                    "private") == 0;
}

/* Replaces the model's queued edits by one: everything in which the local
 * document differs from the platform's revision last seen. */
static gboolean
rebuild_outbox (SyncDb      *self,
                const char  *id,
                GError     **error)
{
  g_auto(LocalRow) local = { 0 };
  g_auto(SyncRow) row = { 0 };
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(JsonObject) fields = NULL;

  if (!run_with_id (self, S_OUTBOX_DELETE_MODEL, id, error) ||
      !read_local (self, id, &local, error) ||
      !read_sync (self, id, &row, error))
    return FALSE;

  if (!local.exists || !(mine = parse_object (local.doc)) || document_is_private (mine))
    return TRUE;

  if (row.synced_revision == 0)
    return insert_entry (self, id, mine, 0, error);

  base = parse_object (row.base_doc);
  fields = changed_fields (base, mine);
  if (json_object_get_size (fields) == 0)
    return TRUE;
  return insert_entry (self, id, fields, row.synced_revision, error);
}

static JsonNode *
find_stage (JsonObject *document,
            const char *key,
            guint      *index)
{
  JsonArray *stages;

  if (!json_object_has_member (document, "stages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (document, "stages")))
    return NULL;
  stages = json_object_get_array_member (document, "stages");
  for (guint i = 0; i < json_array_get_length (stages); i++)
    {
      JsonNode *entry = json_array_get_element (stages, i);

      if (JSON_NODE_HOLDS_OBJECT (entry) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                 "stage", NULL), key) == 0)
        {
          *index = i;
          return entry;
        }
    }
  return NULL;
}

/* Sets a merge field path ("summary", "stages.KEY", "characteristics.KEY")
 * in @document; a NULL @value removes it. */
static void
set_field_path (JsonObject *document,
                const char *field,
                JsonNode   *value)
{
  if (g_str_has_prefix (field, "stages."))
    {
      const char *key = field + strlen ("stages.");
      guint index;

      if (find_stage (document, key, &index) != NULL && value != NULL)
        {
          JsonArray *stages = json_object_get_array_member (document, "stages");
          g_autoptr(JsonArray) replaced = json_array_new ();

          /* JsonArray has no "replace": copy with the one entry swapped. */
          for (guint i = 0; i < json_array_get_length (stages); i++)
            json_array_add_element (replaced, json_node_copy (i == index ? value
                                                                         : json_array_get_element (stages, i)));
          json_object_set_array_member (document, "stages", json_array_ref (replaced));
        }
    }
  else if (g_str_has_prefix (field, "characteristics."))
    {
      const char *key = field + strlen ("characteristics.");

      JsonObject *characteristics = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *entry;

      /* A merged document may share its objects with the merge's inputs:
       * change a copy. */
      if (json_object_has_member (document, "characteristics") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (document, "characteristics")))
        {
          json_object_iter_init (&iter, json_object_get_object_member (document, "characteristics"));
          while (json_object_iter_next (&iter, &name, &entry))
            json_object_set_member (characteristics, name, json_node_copy (entry));
        }
      if (value != NULL)
        json_object_set_member (characteristics, key, json_node_copy (value));
      else if (json_object_has_member (characteristics, key))
        json_object_remove_member (characteristics, key);
      json_object_set_object_member (document, "characteristics", characteristics);
    }
  else if (value != NULL)
    json_object_set_member (document, field, json_node_copy (value));
  else if (json_object_has_member (document, field))
    json_object_remove_member (document, field);
}

static JsonNode *
member_or_null (JsonObject *object,
                const char *key)
{
  return json_object_has_member (object, key) ? json_object_get_member (object, key) : NULL;
}

/* The value of a merge field path in @document, as the merge compares it
 * (a missing characteristic is one that the model does not have), or
 * %NULL when it has none. */
static JsonNode *
dup_field_path (JsonObject *document,
                const char *field)
{
  guint index;

  if (g_str_has_prefix (field, "stages."))
    {
      JsonNode *entry = find_stage (document, field + strlen ("stages."), &index);

      return entry != NULL ? json_node_copy (entry) : NULL;
    }
  if (g_str_has_prefix (field, "characteristics."))
    {
      const char *key = field + strlen ("characteristics.");
      JsonNode *characteristics = member_or_null (document, "characteristics");
      JsonObject *absent;

      if (characteristics != NULL && JSON_NODE_HOLDS_OBJECT (characteristics) &&
          json_object_has_member (json_node_get_object (characteristics), key))
        return json_node_copy (json_object_get_member (json_node_get_object (characteristics), key));
      absent = json_object_new ();
      json_object_set_boolean_member (absent, "has", FALSE);
      json_object_set_string_member (absent, "justification", "");
      return json_node_init_object (json_node_alloc (), absent);
    }
  return member_or_null (document, field) != NULL ? json_node_copy (json_object_get_member (document, field))
                                                  : NULL;
}

static void
set_or_null (JsonObject *object,
             const char *key,
             JsonNode   *value)
{
  if (value != NULL)
    json_object_set_member (object, key, json_node_copy (value));
  else
    json_object_set_null_member (object, key);
}

/* The conflict records (a JSON array text) with "mine" set to what @now
 * holds: the conflict view shows the text the person has, and keeping
 * "mine" keeps it. */
static char *
refresh_conflict_mine (const char *stored,
                       JsonObject *now)
{
  g_autoptr(JsonNode) node = json_from_string (stored, NULL);
  JsonArray *records;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (stored);
  records = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *element = json_array_get_element (records, i);
      const char *field;
      g_autoptr(JsonNode) value = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !(field = json_object_get_string_member_with_default (json_node_get_object (element), "field", NULL)))
        continue;
      value = dup_field_path (now, field);
      set_or_null (json_node_get_object (element), "mine", value);
    }
  return json_to_string (node, FALSE);
}

/* Adds the merge's conflicts to the stored ones (a JSON array text). A
 * field already in conflict keeps the base it had and takes their newest
 * value. */
static char *
add_conflicts (const char    *stored,
               MpMergeResult *merge)
{
  g_autoptr(JsonNode) node = stored != NULL ? json_from_string (stored, NULL) : NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonNode) out = NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    records = json_array_ref (json_node_get_array (node));
  else
    records = json_array_new ();

  for (guint i = 0; i < mp_merge_result_get_n_conflicts (merge); i++)
    {
      const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);
      JsonObject *record = NULL;

      for (guint j = 0; j < json_array_get_length (records); j++)
        {
          JsonObject *candidate = json_array_get_object_element (records, j);

          if (g_strcmp0 (json_object_get_string_member_with_default (candidate, "field", NULL),
                         conflict->field) == 0)
            record = candidate;
        }

      if (record == NULL)
        {
          record = json_object_new ();
          json_object_set_string_member (record, "field", conflict->field);
          set_or_null (record, "base", conflict->base);
          json_array_add_object_element (records, record);
        }
      set_or_null (record, "theirs", conflict->theirs);
      set_or_null (record, "mine", conflict->mine);
    }

  if (json_array_get_length (records) == 0)
    return NULL;
  out = json_node_init_array (json_node_alloc (), records);
  return json_to_string (out, FALSE);
}

/* Sets @path in @base to @value when @theirs holds that very value. */
static void
adopt_value (JsonObject *base,
             JsonObject *theirs,
             const char *path,
             JsonNode   *value)
{
  g_autoptr(JsonNode) held = dup_field_path (theirs, path);

  if (held != NULL && json_node_equal (held, value))
    set_field_path (base, path, value);
}

/* An edit that was sent but whose answer never came (the app was killed,
 * the reply was lost) may be in @theirs already: where @theirs holds a
 * value that such an edit of ours sent, that value becomes the base of
 * the merge, so that the person's later edit of the same field is a
 * change of theirs alone and not a conflict with their own earlier text.
 * The edits stay queued: sent again under their keys, the platform
 * answers them from its idempotency records. Stage entries and
 * characteristics are taken one by one, as the merge compares them. */
static gboolean
adopt_sent_edits (SyncDb      *self,
                  const char  *id,
                  JsonObject  *base,
                  JsonObject  *theirs,
                  GError     **error)
{
  sqlite3_stmt *stmt = get (self, S_OUTBOX_SENT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) fields = parse_object ((const char *) sqlite3_column_text (stmt, 0));
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (fields == NULL)
        continue;
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (mp_merge_is_system_field (key))
            continue;
          if (g_str_equal (key, "stages") && JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *stages = json_node_get_array (value);

              for (guint i = 0; i < json_array_get_length (stages); i++)
                {
                  JsonNode *entry = json_array_get_element (stages, i);
                  const char *stage = JSON_NODE_HOLDS_OBJECT (entry)
                                        ? json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                                      "stage", NULL)
                                        : NULL;
                  g_autofree char *path = stage != NULL ? g_strconcat ("stages.", stage, NULL) : NULL;

                  if (path != NULL)
                    adopt_value (base, theirs, path, entry);
                }
            }
          else if (g_str_equal (key, "characteristics") && JSON_NODE_HOLDS_OBJECT (value))
            {
              JsonObjectIter items;
              const char *name;
              JsonNode *item;

              json_object_iter_init (&items, json_node_get_object (value));
              while (json_object_iter_next (&items, &name, &item))
                {
                  g_autofree char *path = g_strconcat ("characteristics.", name, NULL);

                  adopt_value (base, theirs, path, item);
                }
            }
          else
            adopt_value (base, theirs, key, value);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, error);
  return TRUE;
}

static void
prepared_free (gpointer data)
{
  Prepared *prepared = data;

  g_clear_object (&prepared->model);
  g_free (prepared->document);
  g_free (prepared);
}

static Prepared *
find_prepared (SyncDb     *self,
               JsonObject *document)
{
  return self->prepared != NULL ? g_hash_table_lookup (self->prepared, document) : NULL;
}

static gboolean
write_document (SyncDb      *self,
                JsonObject  *document,
                GError     **error)
{
  Prepared *prepared = find_prepared (self, document);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MpModel) model = NULL;

  if (prepared != NULL && prepared->model != NULL)
    return mp_store_write_synced_model_text (self->store, prepared->model, prepared->document, error);

  node = json_node_init_object (json_node_alloc (), document);
  model = mp_model_from_json (node, error);
  return model != NULL && mp_store_write_synced_model (self->store, model, error);
}

static void
bad_feed (GError     **error,
          const char  *detail)
{
  g_set_error (error, MP_ERROR, MP_ERROR_NETWORK,
               _("The platform sent a change that could not be read: %s"), detail);
}

/* Brings the platform's revision @revision (@theirs) into the bank. A model
 * without local edits takes it as it is; one with local edits is merged
 * three ways against the revision last seen, and a field changed on both
 * sides becomes a conflict that keeps the local text in the model and both
 * texts in the record. Revisions already seen are skipped, so a change
 * delivered twice applies once. */
static gboolean
apply_document (SyncDb      *self,
                const char  *id,
                gint64       revision,
                JsonObject  *theirs,
                GError     **error)
{
  g_auto(SyncRow) row = { 0 };
  g_auto(LocalRow) local = { 0 };
  g_autofree char *theirs_text = NULL;
  gboolean base_is_doc = FALSE;
  gint64 n_queued;

  if (!read_sync (self, id, &row, error))
    return FALSE;
  if (row.exists && row.synced_revision >= revision)
    return !self->full_resync || run_with_id (self, S_SYNC_SEE, id, error);

  if (!read_local (self, id, &local, error) ||
      (n_queued = count_with_id (self, S_OUTBOX_COUNT_MODEL, id, error)) < 0)
    return FALSE;

  if (!local.exists || (n_queued == 0 && row.conflict == NULL))
    {
      g_autoptr(GError) local_error = NULL;

      /* The base is the document just written, which the store made
       * from theirs: copied in SQL below rather than made twice here. */
      base_is_doc = TRUE;

      if (!write_document (self, theirs, &local_error))
        {
          bad_feed (error, local_error->message);
          return FALSE;
        }
      g_clear_pointer (&row.conflict, g_free);
      row.remote_gone = FALSE;
    }
  else
    {
      g_autoptr(JsonObject) mine = parse_object (local.doc);
      g_autoptr(JsonObject) base = parse_object (row.base_doc);
      g_autoptr(MpMergeResult) merge = NULL;
      g_autoptr(JsonObject) merged = NULL;
      g_autofree char *conflicts = NULL;
      gboolean theirs_soft = FALSE;

      if (mine == NULL)
        {
          g_set_error (error, MP_ERROR, MP_ERROR_CORRUPT, _("The local copy of model %s is damaged."), id);
          return FALSE;
        }
      theirs_text = object_to_string (theirs);
      if (base != NULL && !adopt_sent_edits (self, id, base, theirs, error))
        return FALSE;

      /* Without a base this is our own new model coming back before the
       * answer to its push did: their copy is the base of our later edits. */
      merge = mp_merge_documents (base != NULL ? base : theirs, theirs, mine);
      merged = json_object_ref (mp_merge_result_get_document (merge));

      for (guint i = 0; i < mp_merge_result_get_n_conflicts (merge); i++)
        {
          const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);

          set_field_path (merged, conflict->field, conflict->mine);
        }
      for (guint i = 0; i < mp_merge_result_get_n_soft (merge); i++)
        {
          MpMergeSide side;

          mp_merge_result_get_soft_field (merge, i, &side);
          theirs_soft |= side == MP_MERGE_SIDE_THEIRS;
        }

      if (!write_document (self, merged, error))
        return FALSE;

      conflicts = add_conflicts (row.conflict, merge);
      if (mp_merge_result_has_conflicts (merge) && self->counts != NULL)
        self->counts->conflicts++;
      else if (theirs_soft && self->counts != NULL)
        self->counts->merged++;
      g_free (row.conflict);
      row.conflict = g_steal_pointer (&conflicts);
    }

  row.synced_revision = revision;
  g_free (row.base_doc);
  row.base_doc = g_steal_pointer (&theirs_text);
  return write_sync (self, id, &row, error) &&
         (!base_is_doc || run_with_id (self, S_SYNC_BASE_FROM_DOC, id, error)) &&
         refresh_state (self, id, error);
}

/* The platform removed the model or hid it from this user. */
static gboolean
apply_tombstone (SyncDb      *self,
                 const char  *id,
                 GError     **error)
{
  g_auto(SyncRow) row = { 0 };
  g_auto(LocalRow) local = { 0 };
  gint64 n_queued;

  if (!read_sync (self, id, &row, error) ||
      !read_local (self, id, &local, error) ||
      (n_queued = count_with_id (self, S_OUTBOX_COUNT_MODEL, id, error)) < 0)
    return FALSE;

  if (!local.exists)
    return !row.exists || run_with_id (self, S_SYNC_DELETE, id, error);

  if (n_queued > 0 || row.conflict != NULL)
    {
      /* Unsynced local edits are never thrown away: keep, and flag. */
      row.remote_gone = TRUE;
      return write_sync (self, id, &row, error) && refresh_state (self, id, error);
    }

  /* A draft made here (revision 0) was never the platform's to remove. */
  if (local.revision == 0 && row.synced_revision == 0)
    return TRUE;

  mark_changed (self, id);
  return mp_store_remove_synced_model (self->store, id, error) &&
         run_with_id (self, S_SYNC_DELETE, id, error);
}

static gboolean
finish_full_resync (SyncDb  *self,
                    GError **error)
{
  g_autoptr(GPtrArray) unseen = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = get (self, S_RESYNC_UNSEEN, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (unseen, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, error);

  for (guint i = 0; i < unseen->len; i++)
    {
      if (!apply_tombstone (self, g_ptr_array_index (unseen, i), error))
        return FALSE;
      if (self->counts != NULL)
        self->counts->pulled++;
    }

  if (!(stmt = get (self, S_STATE_END_FULL, error)))
    return FALSE;
  self->full_resync = FALSE;
  return done (self, stmt, error);
}

static gboolean
read_full_resync (SyncDb  *self,
                  GError **error)
{
  sqlite3_stmt *stmt = get (self, S_STATE_GET, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return db_error (self, error);
    }
  self->full_resync = sqlite3_column_int (stmt, 2) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
is_model_id (const char *id)
{
  if (id == NULL || !g_uuid_string_is_valid (id))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
apply_change (SyncDb      *self,
              JsonNode    *node,
              GError     **error)
{
  JsonObject *change;
  const char *id;
  JsonNode *document;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_feed (error, "not an object");
      return FALSE;
    }
  change = json_node_get_object (node);
  id = json_object_get_string_member_with_default (change, "id", NULL);
  if (!is_model_id (id))
    {
      bad_feed (error, "“id”");
      return FALSE;
    }

  if (json_object_get_boolean_member_with_default (change, "tombstone", FALSE))
    return apply_tombstone (self, id, error);

  document = member_or_null (change, "document");
  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document) ||
      json_object_get_int_member_with_default (change, "revision", 0) < 1 ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (document), "id", NULL),
                 id) != 0)
    {
      bad_feed (error, id);
      return FALSE;
    }

  return apply_document (self, id, json_object_get_int_member (change, "revision"),
                         json_node_get_object (document), error);
}

static guint
backoff_seconds (gint64 attempts)
{
  return (guint) MIN (MAX_BACKOFF_SECONDS, 1 << MIN (attempts, 12));
}

static const char *
answer_message (JsonObject *answer)
{
  JsonNode *error = answer != NULL ? member_or_null (answer, "error") : NULL;

  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (error), "message", NULL);
}

static gboolean
record_success (SyncDb      *self,
                gint64       entry,
                const char  *id,
                JsonObject  *answer,
                GError     **error)
{
  sqlite3_stmt *stmt;
  JsonNode *document = member_or_null (answer, "document");
  gint64 revision = json_object_get_int_member_with_default (answer, "revision", 0);

  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document) || revision < 1)
    {
      bad_feed (error, id);
      return FALSE;
    }

  if (!(stmt = get (self, S_OUTBOX_DELETE, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry);
  if (!done (self, stmt, error))
    return FALSE;

  /* The next edits of the model were made on top of this one: they are
   * based on the revision it became, or the platform would see them
   * conflict with themselves. */
  if (!(stmt = get (self, S_OUTBOX_REBASE, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (!done (self, stmt, error))
    return FALSE;

  if (self->counts != NULL)
    {
      self->counts->pushed++;
      if (json_object_get_boolean_member_with_default (answer, "merged", FALSE))
        self->counts->merged++;
    }

  return apply_document (self, id, revision, json_node_get_object (document), error) &&
         refresh_state (self, id, error);
}

static gboolean
record_conflict (SyncDb      *self,
                 const char  *id,
                 JsonObject  *answer,
                 GError     **error)
{
  JsonNode *document = member_or_null (answer, "document");
  gint64 revision = json_object_get_int_member_with_default (answer, "revision", 0);
  g_auto(SyncRow) row = { 0 };
  guint conflicts_before = self->counts != NULL ? self->counts->conflicts : 0;

  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document) || revision < 1)
    {
      bad_feed (error, id);
      return FALSE;
    }

  /* Merged here against the revision last seen, as a pull would have:
   * both texts end in the model's conflict record. */
  if (!apply_document (self, id, revision, json_node_get_object (document), error) ||
      !read_sync (self, id, &row, error))
    return FALSE;

  /* The refused edits are in the local document: the resolution (or, when
   * nothing conflicts here any more, this) queues them again as one. */
  if (row.conflict != NULL)
    {
      if (self->counts != NULL && self->counts->conflicts == conflicts_before)
        self->counts->conflicts++;
      return run_with_id (self, S_OUTBOX_DELETE_MODEL, id, error) && refresh_state (self, id, error);
    }
  return rebuild_outbox (self, id, error) && refresh_state (self, id, error);
}

static JsonNode *
copy_node_or_null (JsonObject *record,
                   const char *key)
{
  JsonNode *node = member_or_null (record, key);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_copy (node) : NULL;
}

/* public API */

/**
 * mp_sync_store_enqueue_save:
 * @store: the store
 * @model: the model about to be saved
 * @error: a place for an error
 *
 * Queues what changed in @model against its stored copy, inside the
 * caller's transaction. A private model is never queued, and making a
 * model private drops its queued edits.
 */
gboolean
mp_sync_store_enqueue_save (MpStore  *store,
                            MpModel  *model,
                            GError  **error)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(LocalRow) local = { 0 };
  g_auto(SyncRow) row = { 0 };
  g_autoptr(JsonNode) now_node = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) fields = NULL;
  JsonObject *now;
  const char *id;
  gint64 base_revision;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  sync_db_init (&self, store);
  id = mp_model_get_id (model);
  if (id == NULL)
    return TRUE;

  if (!read_local (&self, id, &local, error) || !read_sync (&self, id, &row, error))
    return FALSE;

  if (mp_model_get_visibility (model) == MP_VISIBILITY_PRIVATE)
    {
      if (!run_with_id (&self, S_OUTBOX_DELETE_MODEL, id, error))
        return FALSE;
      return !row.exists || run_with_id (&self, S_SYNC_REFRESH_STATE, id, error);
    }

  now_node = mp_model_to_json (model);
  now = json_node_get_object (now_node);
  before = local.exists ? parse_object (local.doc) : NULL;

  if (!row.exists)
    {
      /* A model this bank had before it synced (the sample bank, an
       * import): its stored copy is the base of the first edit. */
      row.synced_revision = local.exists ? local.revision : 0;
      row.base_doc = row.synced_revision > 0 ? g_strdup (local.doc) : NULL;
      if (!write_sync (&self, id, &row, error))
        return FALSE;
    }
  base_revision = row.synced_revision;

  fields = changed_fields (before, now);
  if (json_object_get_size (fields) == 0 && before != NULL)
    return TRUE;

  if (row.conflict != NULL)
    {
      g_autofree char *refreshed = refresh_conflict_mine (row.conflict, now);

      g_free (row.conflict);
      row.conflict = g_steal_pointer (&refreshed);
      if (!write_sync (&self, id, &row, error))
        return FALSE;
    }

  /* The platform has never seen it: the whole document creates it. */
  if (base_revision == 0)
    {
      g_clear_pointer (&fields, json_object_unref);
      fields = json_object_ref (now);
    }

  return queue_fields (&self, id, fields, base_revision, error) &&
         run_with_id (&self, S_SYNC_REFRESH_STATE, id, error);
}

/**
 * mp_sync_store_forget_deleted:
 * @store: the store
 * @error: a place for an error
 *
 * Inside the caller's transaction, before the deleted models are purged:
 * drops their queued edits (a deleted draft's creation among them) and
 * their sync state. Until the purge they stay (a deleted draft is not
 * sent), so that a draft restored from the bin still has them.
 */
gboolean
mp_sync_store_forget_deleted (MpStore  *store,
                              GError  **error)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  sync_db_init (&self, store);
  return (stmt = get (&self, S_OUTBOX_FORGET_DELETED, error)) != NULL && done (&self, stmt, error) &&
         (stmt = get (&self, S_SYNC_FORGET_DELETED, error)) != NULL && done (&self, stmt, error);
}

MpSyncState
mp_sync_store_get_state (MpStore    *store,
                         const char *id,
                         gboolean   *remote_gone)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;
  MpSyncState state = MP_SYNC_STATE_LOCAL;

  g_return_val_if_fail (MP_IS_STORE (store), MP_SYNC_STATE_LOCAL);
  g_return_val_if_fail (id != NULL, MP_SYNC_STATE_LOCAL);

  sync_db_init (&self, store);
  if (remote_gone != NULL)
    *remote_gone = FALSE;

  /* The state column is kept by every write; read it with the flag. */
  if (sqlite3_prepare_v2 (self.db, "SELECT state, remote_gone FROM model_sync WHERE model_id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return MP_SYNC_STATE_LOCAL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      state = (MpSyncState) sqlite3_column_int (stmt, 0);
      if (remote_gone != NULL)
        *remote_gone = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_finalize (stmt);
  return state;
}

JsonNode *
mp_sync_store_get_conflicts (MpStore    *store,
                             const char *id)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(SyncRow) row = { 0 };

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  sync_db_init (&self, store);
  if (!read_sync (&self, id, &row, NULL) || row.conflict == NULL)
    return NULL;
  return json_from_string (row.conflict, NULL);
}

guint
mp_sync_store_count_outbox (MpStore    *store,
                            const char *id,
                            guint      *n_quarantined)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (MP_IS_STORE (store), 0);

  sync_db_init (&self, store);
  if (n_quarantined != NULL)
    *n_quarantined = 0;
  if (!(stmt = get (&self, S_OUTBOX_COUNT, NULL)))
    return 0;
  bind_text_or_null (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      count = (guint) sqlite3_column_int64 (stmt, 0);
      if (n_quarantined != NULL)
        *n_quarantined = (guint) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return count;
}

char *
mp_sync_store_dup_quarantine (MpStore    *store,
                              const char *id)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;
  char *reason = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  sync_db_init (&self, store);
  if (!(stmt = get (&self, S_QUARANTINE_GET, NULL)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    reason = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return reason;
}

gboolean
mp_sync_store_release_quarantine (MpStore     *store,
                                  const char  *id,
                                  GError     **error)
{
  g_auto(SyncDb) self = { 0 };

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  sync_db_init (&self, store);
  return run_with_id (&self, S_QUARANTINE_RELEASE, id, error);
}

static gboolean
read_state (MpStore  *store,
            char    **url,
            gint64   *since,
            gint64   *last_sync,
            char    **last_error)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  sync_db_init (&self, store);
  if (!(stmt = get (&self, S_STATE_GET, NULL)))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (url != NULL)
        *url = column_dup (stmt, 0);
      if (since != NULL)
        *since = sqlite3_column_int64 (stmt, 1);
      if (last_sync != NULL)
        *last_sync = sqlite3_column_int64 (stmt, 3);
      if (last_error != NULL)
        *last_error = column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  return found;
}

gint64
mp_sync_store_get_since (MpStore *store)
{
  gint64 since = 0;

  g_return_val_if_fail (MP_IS_STORE (store), 0);

  read_state (store, NULL, &since, NULL, NULL);
  return since;
}

gboolean
mp_sync_store_get_full_resync (MpStore *store)
{
  g_auto(SyncDb) self = { 0 };

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  sync_db_init (&self, store);
  return read_full_resync (&self, NULL) && self.full_resync;
}

char *
mp_sync_store_dup_platform (MpStore *store)
{
  char *url = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  read_state (store, &url, NULL, NULL, NULL);
  return url;
}

gint64
mp_sync_store_get_last_sync (MpStore *store)
{
  gint64 last_sync = 0;

  g_return_val_if_fail (MP_IS_STORE (store), 0);

  read_state (store, NULL, NULL, &last_sync, NULL);
  return last_sync;
}

char *
mp_sync_store_dup_last_error (MpStore *store)
{
  char *last_error = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  read_state (store, NULL, NULL, NULL, &last_error);
  return last_error;
}

/**
 * mp_sync_store_set_platform:
 * @store: the store
 * @url: the platform's base URL
 * @error: a place for an error
 *
 * Remembers the platform. Another platform than before has other
 * checkpoints: the next pull starts over from 0 (keeping local edits).
 */
gboolean
mp_sync_store_set_platform (MpStore     *store,
                            const char  *url,
                            GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  g_autofree char *old = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  old = mp_sync_store_dup_platform (store);
  if (g_strcmp0 (old, url) == 0)
    return TRUE;

  sync_db_init (&self, store);
  if (!begin (&self, error))
    return FALSE;
  if (!(stmt = get (&self, S_STATE_SET_PLATFORM, error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  if (!done (&self, stmt, error))
    goto fail;
  if (old != NULL &&
      (!(stmt = get (&self, S_STATE_BEGIN_FULL, error)) || !done (&self, stmt, error) ||
       !(stmt = get (&self, S_RESYNC_CLEAR, error)) || !done (&self, stmt, error)))
    goto fail;
  if (!commit (&self, error))
    goto fail;
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}

gboolean
mp_sync_store_set_result (MpStore     *store,
                          const char  *error_message,
                          GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  sync_db_init (&self, store);
  if (!(stmt = get (&self, S_STATE_RESULT, error)))
    return FALSE;
  bind_text_or_null (stmt, 1, error_message);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  return done (&self, stmt, error);
}

/* The document of a feed entry, or NULL. */
static JsonObject *
change_document (JsonNode *node)
{
  JsonNode *document;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  document = member_or_null (json_node_get_object (node), "document");
  return document != NULL && JSON_NODE_HOLDS_OBJECT (document) ? json_node_get_object (document) : NULL;
}

static gboolean
apply_page (MpStore       *store,
            JsonArray     *changes,
            GHashTable    *prepared,
            gint64         next_since,
            gboolean       last_page,
            MpSyncCounts  *counts,
            GPtrArray     *changed_ids,
            GError       **error)
{
  g_auto(SyncDb) self = { 0 };
  MpSyncCounts page_counts = { 0 };
  sqlite3_stmt *stmt;

  sync_db_init (&self, store);
  self.counts = &page_counts;
  self.changed_out = changed_ids;
  self.prepared = prepared;

  if (!begin (&self, error))
    return FALSE;
  if (!read_full_resync (&self, error))
    goto fail;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      if (!apply_change (&self, json_array_get_element (changes, i), error))
        goto fail;
    }
  page_counts.pulled += g_hash_table_size (self.changed);
  mp_sync_crash_point ("page-applied");

  if (!(stmt = get (&self, S_STATE_SET_SINCE, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, next_since);
  if (!done (&self, stmt, error))
    goto fail;

  if (last_page && self.full_resync && !finish_full_resync (&self, error))
    goto fail;

  if (!commit (&self, error))
    goto fail;

  if (counts != NULL)
    {
      counts->pulled += page_counts.pulled;
      counts->merged += page_counts.merged;
      counts->conflicts += page_counts.conflicts;
    }
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}

/**
 * mp_sync_store_apply_page:
 * @store: the store
 * @changes: the page's "changes"
 * @next_since: the page's checkpoint
 * @last_page: whether the platform said there are no more
 * @counts: (nullable): counts to add to
 * @error: a place for an error
 *
 * Applies one page of the change feed and its checkpoint in one
 * transaction: all of it or, on an error, none.
 */
gboolean
mp_sync_store_apply_page (MpStore       *store,
                          JsonArray     *changes,
                          gint64         next_since,
                          gboolean       last_page,
                          MpSyncCounts  *counts,
                          GError       **error)
{
  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  return apply_page (store, changes, NULL, next_since, last_page, counts, NULL, error);
}

/**
 * mp_sync_store_prepare_page:
 * @changes: a page's "changes"
 *
 * Reads the documents of a feed page into models, in any thread and
 * outside any transaction, so that mp_sync_store_apply_page_quietly()
 * holds the bank's write lock for the writing only. @changes must not be
 * changed while the result is in use.
 *
 * Returns: (transfer full): for mp_sync_store_apply_page_quietly()
 */
GHashTable *
mp_sync_store_prepare_page (JsonArray *changes)
{
  GHashTable *prepared = g_hash_table_new_full (NULL, NULL, NULL, prepared_free);

  g_return_val_if_fail (changes != NULL, prepared);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *document = change_document (json_array_get_element (changes, i));
      g_autoptr(JsonNode) node = NULL;
      Prepared *entry;

      if (document == NULL)
        continue;
      node = json_node_init_object (json_node_alloc (), document);
      entry = g_new0 (Prepared, 1);
      /* One that does not read is read again when applied, which fails
       * the page with the reason. One that reads is valid, and is stored
       * as we write it (normalised), not as it came: that text is made
       * here too, while the page before holds the write lock. */
      entry->model = mp_model_from_json (node, NULL);
      if (entry->model != NULL)
        entry->document = mp_model_to_json_string (entry->model, FALSE);
      g_hash_table_insert (prepared, document, entry);
    }

  return prepared;
}

/**
 * mp_sync_store_apply_page_quietly:
 * @store: a store of this thread (a worker's own connection)
 * @changes: the page's "changes"
 * @prepared: (nullable): from mp_sync_store_prepare_page()
 * @next_since: the page's checkpoint
 * @last_page: whether the platform said there are no more
 * @counts: (nullable): counts to add to
 * @changed_ids: (element-type utf8): where the ids of the models written
 *   or removed are added
 * @error: a place for an error
 *
 * Like mp_sync_store_apply_page(), but @store emits nothing: the caller
 * gives @changed_ids to mp_sync_store_emit_changed() on the store that the
 * views watch, on their thread.
 */
gboolean
mp_sync_store_apply_page_quietly (MpStore       *store,
                                  JsonArray     *changes,
                                  GHashTable    *prepared,
                                  gint64         next_since,
                                  gboolean       last_page,
                                  MpSyncCounts  *counts,
                                  GPtrArray     *changed_ids,
                                  GError       **error)
{
  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (changed_ids != NULL, FALSE);

  return apply_page (store, changes, prepared, next_since, last_page, counts, changed_ids, error);
}

/**
 * mp_sync_store_tune_for_pull:
 * @store: a store of its own for the pull (a worker's connection)
 * @error: a place for an error
 *
 * A page of the feed lost to a power cut is pulled again, checkpoint and
 * all, so the pull's commits need not wait for the disk (the person's
 * edits, on the other connection, still do); and a page's transaction of
 * some megabytes fits in the page cache.
 */
gboolean
mp_sync_store_tune_for_pull (MpStore  *store,
                             GError  **error)
{
  g_auto(SyncDb) self = { 0 };

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  sync_db_init (&self, store);
  if (sqlite3_exec (self.db, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536", NULL, NULL, NULL)
      != SQLITE_OK)
    return db_error (&self, error);
  return TRUE;
}

/**
 * mp_sync_store_emit_changed:
 * @store: a store
 * @ids: (element-type utf8): ids of models another connection changed
 *
 * Tells @store's views that these models changed: one "model-changed"
 * each, or one "bank-changed" when they are many.
 */
void
mp_sync_store_emit_changed (MpStore   *store,
                            GPtrArray *ids)
{
  g_return_if_fail (MP_IS_STORE (store));
  g_return_if_fail (ids != NULL);

  if (ids->len > MAX_SINGLE_SIGNALS)
    {
      mp_store_emit_changed (store, NULL);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    mp_store_emit_changed (store, g_ptr_array_index (ids, i));
}

gboolean
mp_sync_store_begin_full_resync (MpStore  *store,
                                 GError  **error)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  sync_db_init (&self, store);
  if (!begin (&self, error))
    return FALSE;
  if (!(stmt = get (&self, S_STATE_BEGIN_FULL, error)) || !done (&self, stmt, error) ||
      !(stmt = get (&self, S_RESYNC_CLEAR, error)) || !done (&self, stmt, error) ||
      !commit (&self, error))
    {
      mp_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* mp_sync_store_next_batch_body() in its transaction: appends the items
 * to @out and their outbox ids to @ids. */
static gboolean
read_next_batch (SyncDb      *self,
                 guint        max,
                 GHashTable  *skip,
                 GArray      *ids,
                 GString     *out,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  if (!begin (self, error))
    return FALSE;
  if (!(stmt = get (self, S_OUTBOX_HEADS, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_int64 (stmt, 2, (gint64) max + (skip != NULL ? g_hash_table_size (skip) : 0));
  while (ids->len < max && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 entry = sqlite3_column_int64 (stmt, 0);
      const char *fields = (const char *) sqlite3_column_text (stmt, 2);
      gint64 base_revision = sqlite3_column_int64 (stmt, 3);

      if (skip != NULL && g_hash_table_contains (skip, &entry))
        continue;
      if (ids->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"id\":");
      append_json_string (out, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append (out, ",\"idempotency_key\":");
      append_json_string (out, (const char *) sqlite3_column_text (stmt, 4));
      if (base_revision == 0 && fields != NULL && fields[0] == '{')
        {
          g_string_append (out, ",\"document\":");
          g_string_append (out, fields);
        }
      else
        {
          g_autoptr(JsonObject) parsed = parse_object (fields);
          g_autoptr(JsonObject) patch = NULL;
          g_autofree char *text = NULL;

          if (parsed == NULL)
            parsed = json_object_new ();
          /* A whole document queued before the model's first revision
           * is, once rebased, a change of every field. */
          patch = base_revision == 0 ? json_object_ref (parsed) : changed_fields (NULL, parsed);
          text = object_to_string (patch);
          if (base_revision == 0)
            g_string_append (out, ",\"document\":");
          else
            g_string_append_printf (out, ",\"base_revision\":%" G_GINT64_FORMAT ",\"fields\":",
                                    base_revision);
          g_string_append (out, text);
        }
      g_string_append_c (out, '}');
      g_array_append_val (ids, entry);
    }
  sqlite3_reset (stmt);
  if (ids->len < max && rc != SQLITE_DONE)
    {
      db_error (self, error);
      goto fail;
    }

  /* Counted before it is sent: an attempted edit is never extended by a
   * later save, so that a retry under the same key sends the same bytes. */
  for (guint i = 0; i < ids->len; i++)
    {
      if (!(stmt = get (self, S_OUTBOX_ATTEMPT, error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!done (self, stmt, error))
        goto fail;
    }
  if (!commit (self, error))
    goto fail;
  return TRUE;

fail:
  mp_store_rollback (self->store);
  return FALSE;
}

/**
 * mp_sync_store_next_batch_body:
 * @store: the store
 * @max: the most items to send
 * @skip: (nullable) (element-type gint64): outbox ids to leave out (sent
 *   in this run already: an edit refused now is not sent again at once)
 * @entry_ids: (out): the outbox ids of the items, in order
 * @error: a place for an error
 *
 * mp_sync_store_next_batch() as the body of a `POST /models:batch`, made
 * as text: a new model's document goes in as the outbox holds it (our
 * own serialisation, written in a transaction) instead of being parsed
 * and written again.
 *
 * Returns: (transfer full) (nullable): `{"items": [...]}`, or %NULL
 *   (with @error unset and *@entry_ids empty) when nothing is to be sent
 */
GBytes *
mp_sync_store_next_batch_body (MpStore     *store,
                               guint        max,
                               GHashTable  *skip,
                               GArray     **entry_ids,
                               GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) out = g_string_new ("{\"items\":[");
  sqlite3_stmt *stmt = NULL;
  int synchronous = -1;
  gboolean ok;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (entry_ids != NULL, NULL);

  sync_db_init (&self, store);

  /* The attempts that read_next_batch() counts must be on the disk
   * before the request leaves, also on the sync's own connection, which
   * commits pages without waiting for it. */
  if (sqlite3_prepare_v2 (self.db, "PRAGMA synchronous", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    synchronous = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (synchronous < 2 && sqlite3_exec (self.db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    {
      db_error (&self, error);
      return NULL;
    }

  ok = read_next_batch (&self, max, skip, ids, out, error);
  if (synchronous >= 0 && synchronous < 2)
    {
      g_autofree char *restore = g_strdup_printf ("PRAGMA synchronous = %d", synchronous);

      sqlite3_exec (self.db, restore, NULL, NULL, NULL);
    }
  if (!ok)
    return NULL;

  *entry_ids = g_steal_pointer (&ids);
  if ((*entry_ids)->len == 0)
    return NULL;
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}


JsonNode *
mp_sync_store_next_batch (MpStore  *store,
                          guint     max,
                          GArray  **entry_ids,
                          GError  **error)
{
  g_auto(SyncDb) self = { 0 };
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (entry_ids != NULL, NULL);

  sync_db_init (&self, store);
  if (!begin (&self, error))
    return NULL;
  if (!(stmt = get (&self, S_OUTBOX_HEADS, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_int64 (stmt, 2, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 entry = sqlite3_column_int64 (stmt, 0);
      g_autoptr(JsonObject) fields = parse_object ((const char *) sqlite3_column_text (stmt, 2));
      gint64 base_revision = sqlite3_column_int64 (stmt, 3);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "id", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (item, "idempotency_key", (const char *) sqlite3_column_text (stmt, 4));
      if (fields == NULL)
        fields = json_object_new ();
      if (base_revision == 0)
        json_object_set_object_member (item, "document", json_object_ref (fields));
      else
        {
          /* A whole document queued before the model's first revision
           * is, once rebased, a change of every field. */
          g_autoptr(JsonObject) patch = changed_fields (NULL, fields);

          json_object_set_int_member (item, "base_revision", base_revision);
          json_object_set_object_member (item, "fields", g_steal_pointer (&patch));
        }
      json_array_add_object_element (items, item);
      g_array_append_val (ids, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (&self, error);
      goto fail;
    }

  /* Counted before it is sent: an attempted edit is never extended by a
   * later save, so that a retry under the same key sends the same bytes. */
  for (guint i = 0; i < ids->len; i++)
    {
      if (!(stmt = get (&self, S_OUTBOX_ATTEMPT, error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!done (&self, stmt, error))
        goto fail;
    }
  if (!commit (&self, error))
    goto fail;

  *entry_ids = g_steal_pointer (&ids);
  return json_node_init_array (json_node_alloc (), items);

fail:
  mp_store_rollback (store);
  return NULL;
}

static gboolean record_results (MpStore *store, GArray *entry_ids, JsonArray *results, MpSyncCounts *counts,
                                GPtrArray *changed_ids, GError **error);

gboolean
mp_sync_store_record_results (MpStore       *store,
                              GArray        *entry_ids,
                              JsonArray     *results,
                              MpSyncCounts  *counts,
                              GError       **error)
{
  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry_ids != NULL, FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  return record_results (store, entry_ids, results, counts, NULL, error);
}

/**
 * mp_sync_store_record_results_quietly:
 * @store: a store of this thread (a worker's own connection)
 * @entry_ids: the outbox ids of the batch's items
 * @results: the "results" of the platform's answer
 * @counts: (nullable): counts to add to
 * @changed_ids: (element-type utf8): where the ids of the models changed
 *   are added
 * @error: a place for an error
 *
 * Like mp_sync_store_record_results(), but @store emits nothing: the
 * caller gives @changed_ids to mp_sync_store_emit_changed() on the store
 * that the views watch, on their thread.
 */
gboolean
mp_sync_store_record_results_quietly (MpStore       *store,
                                      GArray        *entry_ids,
                                      JsonArray     *results,
                                      MpSyncCounts  *counts,
                                      GPtrArray     *changed_ids,
                                      GError       **error)
{
  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry_ids != NULL, FALSE);
  g_return_val_if_fail (results != NULL, FALSE);
  g_return_val_if_fail (changed_ids != NULL, FALSE);

  return record_results (store, entry_ids, results, counts, changed_ids, error);
}

static gboolean
record_results (MpStore       *store,
                GArray        *entry_ids,
                JsonArray     *results,
                MpSyncCounts  *counts,
                GPtrArray     *changed_ids,
                GError       **error)
{
  g_auto(SyncDb) self = { 0 };
  MpSyncCounts batch_counts = { 0 };
  gboolean unauthorized = FALSE;

  sync_db_init (&self, store);
  self.counts = &batch_counts;
  self.changed_out = changed_ids;
  if (!begin (&self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result;
      JsonNode *answer_node;
      JsonObject *answer = NULL;
      g_autofree char *id = NULL;
      sqlite3_stmt *stmt;
      gint64 index, status, entry, attempts = 0;
      const char *message;
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          bad_feed (error, "results");
          goto fail;
        }
      result = json_node_get_object (node);
      index = json_object_get_int_member_with_default (result, "index", i);
      status = json_object_get_int_member_with_default (result, "status", 0);
      if (index < 0 || index >= entry_ids->len)
        {
          bad_feed (error, "index");
          goto fail;
        }
      entry = g_array_index (entry_ids, gint64, index);
      answer_node = member_or_null (result, "answer");
      if (answer_node != NULL && JSON_NODE_HOLDS_OBJECT (answer_node))
        answer = json_node_get_object (answer_node);

      if (!(stmt = get (&self, S_OUTBOX_GET, error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, entry);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = column_dup (stmt, 0);
          attempts = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        continue;   /* gone meanwhile (the model was purged) */

      message = answer_message (answer);

      if ((status == 200 || status == 201) && answer != NULL)
        {
          if (!record_success (&self, entry, id, answer, error))
            goto fail;
        }
      else if (status == 409 && answer != NULL)
        {
          if (!record_conflict (&self, id, answer, error))
            goto fail;
        }
      else if (status == 401)
        {
          unauthorized = TRUE;
        }
      else if (status >= 400 && status < 500)
        {
          gboolean quarantined = FALSE;
          g_autofree char *reason = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")",
                                                     message != NULL ? message : _("Refused by the platform"),
                                                     status);

          if (!(stmt = get (&self, S_OUTBOX_REJECT, error)))
            goto fail;
          sqlite3_bind_int64 (stmt, 1, entry);
          sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 3, MP_SYNC_MAX_REJECTIONS);
          if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            quarantined = sqlite3_column_int (stmt, 0) != 0;
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW)
            {
              db_error (&self, error);
              goto fail;
            }
          if (quarantined)
            batch_counts.quarantined++;
          mark_changed (&self, id);
        }
      else
        {
          /* 5xx, or an answer we could not read: never a success. */
          if (!(stmt = get (&self, S_OUTBOX_TRANSIENT, error)))
            goto fail;
          sqlite3_bind_int64 (stmt, 1, entry);
          bind_text_or_null (stmt, 2, message != NULL ? message : _("The platform could not store the change"));
          sqlite3_bind_int64 (stmt, 3, now_seconds () + backoff_seconds (attempts));
          if (!done (&self, stmt, error))
            goto fail;
        }
    }

  if (!commit (&self, error))
    goto fail;

  if (counts != NULL)
    {
      counts->pushed += batch_counts.pushed;
      counts->merged += batch_counts.merged;
      counts->conflicts += batch_counts.conflicts;
      counts->quarantined += batch_counts.quarantined;
    }

  if (unauthorized)
    {
      g_set_error_literal (error, MP_ERROR, MP_ERROR_AUTH,
                           _("The platform did not accept the session: sign in again."));
      return FALSE;
    }
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}

gboolean
mp_sync_store_record_failure (MpStore     *store,
                              GArray      *entry_ids,
                              const char  *message,
                              GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry_ids != NULL, FALSE);

  sync_db_init (&self, store);
  if (!begin (&self, error))
    return FALSE;
  for (guint i = 0; i < entry_ids->len; i++)
    {
      if (!(stmt = get (&self, S_OUTBOX_TRANSIENT, error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (entry_ids, gint64, i));
      bind_text_or_null (stmt, 2, message);
      /* The run as a whole backs off; the entries may go with the next. */
      sqlite3_bind_int64 (stmt, 3, 0);
      if (!done (&self, stmt, error))
        goto fail;
    }
  if (!commit (&self, error))
    goto fail;
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}

/**
 * mp_sync_store_resolve_field:
 * @store: the store
 * @id: a model in conflict
 * @field: a field path from its conflict record
 * @resolution: which value to keep
 * @text: (nullable): the merged text, for %MP_RESOLVE_MERGED
 * @error: MP_ERROR_NOT_FOUND when there is no such conflict,
 *   MP_ERROR_INVALID for a merged text on a field that is not text
 *
 * Resolves one field. When no conflict is left, the model's edits are
 * queued again as one push based on the platform's revision last seen.
 */
gboolean
mp_sync_store_resolve_field (MpStore     *store,
                             const char  *id,
                             const char  *field,
                             MpResolve    resolution,
                             const char  *text,
                             GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(SyncRow) row = { 0 };
  g_auto(LocalRow) local = { 0 };
  g_autoptr(JsonNode) records_node = NULL;
  g_autoptr(JsonArray) kept = json_array_new ();
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonNode) value = NULL;
  JsonArray *records;
  gboolean found = FALSE;
  gboolean keep_local = FALSE;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  sync_db_init (&self, store);
  if (!begin (&self, error))
    return FALSE;
  if (!read_sync (&self, id, &row, error) || !read_local (&self, id, &local, error))
    goto fail;

  records_node = row.conflict != NULL ? json_from_string (row.conflict, NULL) : NULL;
  if (records_node == NULL || !JSON_NODE_HOLDS_ARRAY (records_node) || !local.exists ||
      !(mine = parse_object (local.doc)))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, _("Model %s has no conflict to resolve."), id);
      goto fail;
    }
  records = json_node_get_array (records_node);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (found || g_strcmp0 (json_object_get_string_member_with_default (record, "field", NULL), field) != 0)
        {
          json_array_add_object_element (kept, json_object_ref (record));
          continue;
        }
      found = TRUE;

      switch (resolution)
        {
        case MP_RESOLVE_THEIRS:
          value = copy_node_or_null (record, "theirs");
          break;
        case MP_RESOLVE_MINE:
          /* The model holds the local text, with whatever the person
           * wrote after the conflict arose: the record's "mine" may be
           * older. */
          keep_local = TRUE;
          break;
        case MP_RESOLVE_MERGED:
        default:
          {
            JsonNode *theirs = member_or_null (record, "theirs");

            if (text == NULL || !g_utf8_validate (text, -1, NULL) || theirs == NULL ||
                !JSON_NODE_HOLDS_VALUE (theirs) || json_node_get_value_type (theirs) != G_TYPE_STRING)
              {
                g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                             _("Field “%s” cannot take a merged text."), field);
                goto fail;
              }
            value = json_node_init_string (json_node_alloc (), text);
          }
          break;
        }
    }

  if (!found)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND,
                   _("Field “%s” of model %s is not in conflict."), field, id);
      goto fail;
    }

  if (!keep_local)
    {
      set_field_path (mine, field, value);
      if (!write_document (&self, mine, error))
        goto fail;
    }

  g_clear_pointer (&row.conflict, g_free);
  if (json_array_get_length (kept) > 0)
    {
      g_autoptr(JsonNode) out = json_node_init_array (json_node_alloc (), kept);

      row.conflict = json_to_string (out, FALSE);
    }
  if (!write_sync (&self, id, &row, error))
    goto fail;
  if (row.conflict == NULL && !rebuild_outbox (&self, id, error))
    goto fail;
  if (!refresh_state (&self, id, error) || !commit (&self, error))
    goto fail;
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}

/* Exchange files (issue 6)
 *
 * A .mallipaja file can bring another copy of a model that was edited here
 * too. It is merged as a pull merges the platform's copy, and what both
 * sides changed becomes the sync's own conflict records, so that the model
 * page shows them and resolving the last one queues the model as a
 * resolved sync conflict does (mp_sync_store_resolve_field()). Kept in one
 * block at the end of the file. */

/* Not a value any document holds: stands for "no common ancestor". */
#define NO_ANCESTOR "\001no common ancestor"

/* A base from which every field of @theirs and @mine has changed, so that
 * the merge makes every difference a conflict and takes nothing on its
 * own: stage entries and characteristics hold placeholders of their own,
 * as the merge compares them one by one. */
static JsonObject *
unrelated_base (JsonObject *theirs,
                JsonObject *mine)
{
  JsonObject *base = json_object_new ();
  JsonArray *stages = json_array_new ();
  JsonObject *characteristics = json_object_new ();
  g_autoptr(GHashTable) seen_stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *sources[] = { theirs, mine };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, sources[s]);
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (mp_merge_is_system_field (key))
            continue;

          if (g_str_equal (key, "stages") && JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *entries = json_node_get_array (value);

              for (guint i = 0; i < json_array_get_length (entries); i++)
                {
                  JsonNode *entry = json_array_get_element (entries, i);
                  const char *stage;
                  JsonObject *placeholder;

                  if (!JSON_NODE_HOLDS_OBJECT (entry) ||
                      !(stage = json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                            "stage", NULL)) ||
                      !g_hash_table_add (seen_stages, g_strdup (stage)))
                    continue;
                  placeholder = json_object_new ();
                  json_object_set_string_member (placeholder, "stage", stage);
                  json_array_add_object_element (stages, placeholder);
                }
            }
          else if (g_str_equal (key, "characteristics") && JSON_NODE_HOLDS_OBJECT (value))
            {
              JsonObjectIter inner;
              const char *name;

              json_object_iter_init (&inner, json_node_get_object (value));
              while (json_object_iter_next (&inner, &name, NULL))
                json_object_set_null_member (characteristics, name);
            }
          else if (!json_object_has_member (base, key))
            json_object_set_string_member (base, key, NO_ANCESTOR);
        }
    }

  json_object_set_array_member (base, "stages", stages);
  json_object_set_object_member (base, "characteristics", characteristics);
  return base;
}

static JsonObject *
new_conflict_record (const char *field,
                     JsonNode   *base,
                     JsonNode   *theirs,
                     JsonNode   *mine)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "field", field);
  set_or_null (record, "base", base);
  set_or_null (record, "theirs", theirs);
  set_or_null (record, "mine", mine);
  return record;
}

/**
 * mp_sync_store_merge_copy:
 * @store: the store
 * @base: (nullable): the document both copies descend from, or %NULL when
 *   none is known
 * @theirs: another copy of a model the bank holds, a complete document
 * @merged: (out) (transfer full): the document to write: @theirs with the
 *   bank's one-sided changes, and the bank's value in every conflict
 * @conflicts: (out) (transfer full): {field, base, theirs, mine} records,
 *   possibly none; base is null without a common ancestor
 * @taken: (out) (transfer full): the fields taken from @theirs
 * @error: MP_ERROR_NOT_FOUND when the bank has no such model,
 *   MP_ERROR_CONFLICT when its copy still has conflicts to resolve
 *
 * Merges without writing anything. A visibility that would take a private
 * copy out of the device is a conflict, never merged on its own.
 */
gboolean
mp_sync_store_merge_copy (MpStore      *store,
                          JsonObject   *base,
                          JsonObject   *theirs,
                          JsonObject  **merged,
                          JsonArray   **conflicts,
                          GStrv        *taken,
                          GError      **error)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(SyncRow) row = { 0 };
  g_auto(LocalRow) local = { 0 };
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) ancestor = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(MpMergeResult) merge = NULL;
  const char *id;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (theirs != NULL, FALSE);
  g_return_val_if_fail (merged != NULL && conflicts != NULL && taken != NULL, FALSE);

  id = json_object_get_string_member_with_default (theirs, "id", NULL);
  if (id == NULL)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID, _("Field “%s”: the id is missing"), "id");
      return FALSE;
    }

  sync_db_init (&self, store);
  if (!read_local (&self, id, &local, error) || !read_sync (&self, id, &row, error))
    return FALSE;
  if (!local.exists || !(mine = parse_object (local.doc)))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, _("Model %s is not in the bank."), id);
      return FALSE;
    }
  /* A field in conflict already holds two texts: a third has no place. */
  if (row.conflict != NULL)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_CONFLICT,
                   _("The model “%s” has conflicts to resolve first."),
                   json_object_get_string_member_with_default (mine, "title", id));
      return FALSE;
    }

  ancestor = base != NULL ? json_object_ref (base) : unrelated_base (theirs, mine);
  merge = mp_merge_documents (ancestor, theirs, mine);
  /* The merge's own document: set_field_path() replaces what it changes
   * and never writes into values shared with the inputs. */
  document = json_object_ref (mp_merge_result_get_document (merge));

  for (guint i = 0; i < mp_merge_result_get_n_conflicts (merge); i++)
    {
      const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);

      json_array_add_object_element (records, new_conflict_record (conflict->field,
                                                                   base != NULL ? conflict->base : NULL,
                                                                   conflict->theirs, conflict->mine));
      set_field_path (document, conflict->field, conflict->mine);
    }

  for (guint i = 0; i < mp_merge_result_get_n_soft (merge); i++)
    {
      MpMergeSide side;
      const char *field = mp_merge_result_get_soft_field (merge, i, &side);

      if (side != MP_MERGE_SIDE_THEIRS)
        continue;

      /* "private never leaves the device": only the person may choose to
       * let it. */
      if (g_str_equal (field, "visibility") && document_is_private (mine))
        {
          json_array_add_object_element (records,
                                         new_conflict_record (field, member_or_null (ancestor, field),
                                                              member_or_null (theirs, field),
                                                              member_or_null (mine, field)));
          set_field_path (document, field, member_or_null (mine, field));
          continue;
        }
      g_strv_builder_add (fields, field);
    }

  *merged = g_steal_pointer (&document);
  *conflicts = g_steal_pointer (&records);
  *taken = g_strv_builder_end (fields);
  return TRUE;
}

/**
 * mp_sync_store_write_copy:
 * @store: the store
 * @merged: a document from mp_sync_store_merge_copy()
 * @conflicts: (nullable): its conflict records
 * @error: a place for an error
 *
 * Writes inside the caller's transaction. With conflicts, the model is in
 * conflict as after a pull, and its queued edits wait for the resolution,
 * which queues everything in which it differs from the platform's copy.
 * Without, that is queued at once: the merged document, changes from the
 * other copy included, must survive the platform's answer to the next
 * push. A private model is never queued.
 */
gboolean
mp_sync_store_write_copy (MpStore     *store,
                          JsonObject  *merged,
                          JsonArray   *conflicts,
                          GError     **error)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(SyncRow) row = { 0 };
  g_auto(LocalRow) local = { 0 };
  gboolean in_conflict = conflicts != NULL && json_array_get_length (conflicts) > 0;
  const char *id;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (merged != NULL, FALSE);

  id = json_object_get_string_member_with_default (merged, "id", NULL);
  if (id == NULL)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_INVALID, _("Field “%s”: the id is missing"), "id");
      return FALSE;
    }

  sync_db_init (&self, store);
  if (!read_local (&self, id, &local, error) || !read_sync (&self, id, &row, error))
    return FALSE;
  if (!local.exists)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, _("Model %s is not in the bank."), id);
      return FALSE;
    }
  if (row.conflict != NULL && in_conflict)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_CONFLICT,
                   _("The model “%s” has conflicts to resolve first."),
                   json_object_get_string_member_with_default (merged, "title", id));
      return FALSE;
    }

  if (!row.exists)
    {
      /* As mp_sync_store_enqueue_save() does for a model the bank had
       * before it synced: the copy it held is the base of what changes. */
      row.synced_revision = local.revision;
      row.base_doc = local.revision > 0 ? g_strdup (local.doc) : NULL;
    }

  if (!write_document (&self, merged, error))
    return FALSE;

  if (in_conflict)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), conflicts);

      g_free (row.conflict);
      row.conflict = json_to_string (node, FALSE);
    }
  if (!write_sync (&self, id, &row, error))
    return FALSE;

  if (in_conflict)
    {
      if (!run_with_id (&self, S_OUTBOX_DELETE_MODEL, id, error))
        return FALSE;
    }
  else if (!rebuild_outbox (&self, id, error))
    return FALSE;

  return run_with_id (&self, S_SYNC_REFRESH_STATE, id, error);
}

/* Autosave over another writer (issue 4)
 *
 * The autosaver writes an open model half a second after the typing stops.
 * A pull (on its own connection, on a worker thread) or an import may
 * write the same model in between, and saving the open copy as it is would
 * put back the old values of what they brought. The save looks, inside its
 * own write transaction, at whether the bank's copy is still the one the
 * open copy started from, by its stamps only; when it is not, the open
 * copy is merged into it three ways, as a pull merges the platform's copy.
 * Kept in one block at the end of the file. */

/* Cheap to read: the stamps, not the document, which can be megabytes. */
#define STAMP_SQL \
  "SELECT m.revision, m.modified, s.conflict FROM models AS m" \
  " LEFT JOIN model_sync AS s ON s.model_id = m.id WHERE m.id = ?1"

struct _MpSaveSnapshot {
  MpModel *model;     /* owned: a copy, as loaded or last saved */
  char    *conflict;  /* the stored conflict records then, or NULL */
};

typedef struct {
  gboolean  exists;
  gint64    revision;
  gint64    modified;
  char     *conflict;
} Stamp;

static void
stamp_clear (Stamp *stamp)
{
  g_clear_pointer (&stamp->conflict, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stamp, stamp_clear)

static gboolean
read_stamp (SyncDb      *self,
            const char  *id,
            Stamp       *stamp,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  memset (stamp, 0, sizeof *stamp);
  if (sqlite3_prepare_v2 (self->db, STAMP_SQL, -1, &stmt, NULL) != SQLITE_OK)
    return db_error (self, error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stamp->exists = TRUE;
      stamp->revision = sqlite3_column_int64 (stmt, 0);
      stamp->modified = sqlite3_column_int64 (stmt, 1);
      stamp->conflict = column_dup (stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    db_error (self, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Every writer of a model's content changes one of these: a pull or a
 * push's answer the revision, an import the revision or the modified time
 * (the file's), a save elsewhere the modified time, a resolution the
 * conflict records. */
static gboolean
snapshot_is_current (MpSaveSnapshot *snapshot,
                     Stamp          *stamp)
{
  return stamp->revision == mp_model_get_revision (snapshot->model) &&
         stamp->modified == mp_model_get_modified (snapshot->model) &&
         g_strcmp0 (stamp->conflict, snapshot->conflict) == 0;
}

/* The value of a merge field path ("summary", "stages.KEY",
 * "characteristics.KEY") in @document, or NULL. */
static JsonNode *
field_value (JsonObject *document,
             const char *field)
{
  if (g_str_has_prefix (field, "stages."))
    {
      guint index;

      return find_stage (document, field + strlen ("stages."), &index);
    }
  if (g_str_has_prefix (field, "characteristics."))
    {
      JsonNode *characteristics = member_or_null (document, "characteristics");

      if (characteristics == NULL || !JSON_NODE_HOLDS_OBJECT (characteristics))
        return NULL;
      return member_or_null (json_node_get_object (characteristics), field + strlen ("characteristics."));
    }
  return member_or_null (document, field);
}

static JsonObject *
find_record (JsonArray  *records,
             const char *field)
{
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *element = json_array_get_element (records, i);

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element), "field", NULL),
                     field) == 0)
        return json_node_get_object (element);
    }
  return NULL;
}

/* The conflict records after saving @document: the stored ones, and one
 * for each field that @merge (nullable) found changed on both sides. The
 * document holds this device's value of every field in conflict, so
 * "mine" follows it: what was typed into such a field after the conflict
 * came is what "Keep Mine" keeps. */
static char *
save_conflicts (const char    *stored,
                MpMergeResult *merge,
                JsonObject    *document)
{
  g_autoptr(JsonNode) node = stored != NULL ? json_from_string (stored, NULL) : NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonNode) out = NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    records = json_array_ref (json_node_get_array (node));
  else
    records = json_array_new ();

  for (guint i = 0; merge != NULL && i < mp_merge_result_get_n_conflicts (merge); i++)
    {
      const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);

      /* A field already in conflict keeps the other side it has (the
       * platform's or the file's value): the bank's copy held this
       * device's value of it, which the merge saw as theirs. */
      if (find_record (records, conflict->field) == NULL)
        json_array_add_object_element (records, new_conflict_record (conflict->field, conflict->base,
                                                                     conflict->theirs, conflict->mine));
    }

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *element = json_array_get_element (records, i);
      const char *field;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !(field = json_object_get_string_member_with_default (json_node_get_object (element), "field", NULL)))
        continue;
      set_or_null (json_node_get_object (element), "mine", field_value (document, field));
    }

  if (json_array_get_length (records) == 0)
    return NULL;
  out = json_node_init_array (json_node_alloc (), records);
  return json_to_string (out, FALSE);
}

static gboolean
write_conflicts (SyncDb      *self,
                 const char  *id,
                 const char  *conflict,
                 GError     **error)
{
  g_auto(SyncRow) row = { 0 };

  /* Read after the save queued the model, which makes the row of a model
   * that had none (a private one still has none: it is never queued). */
  if (!read_sync (self, id, &row, error))
    return FALSE;
  g_free (row.conflict);
  row.conflict = g_strdup (conflict);
  return write_sync (self, id, &row, error) && run_with_id (self, S_SYNC_REFRESH_STATE, id, error);
}

/* The bank's copy changed since @snapshot: @model merged into it three
 * ways against @snapshot, the bank's copy being theirs. Fields changed on
 * one side take that side; a field changed on both keeps @model's value
 * (the text on the screen) and goes to the conflict records. */
static MpModel *
merge_over (SyncDb          *self,
            const char      *id,
            MpModel         *model,
            MpSaveSnapshot  *snapshot,
            MpMergeResult  **merge_out,
            GError         **error)
{
  g_auto(LocalRow) local = { 0 };
  g_autoptr(JsonNode) base = mp_model_to_json (snapshot->model);
  g_autoptr(JsonNode) mine = mp_model_to_json (model);
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MpMergeResult) merge = NULL;
  g_autoptr(MpModel) merged = NULL;

  if (!read_local (self, id, &local, error))
    return NULL;
  if (!local.exists || !(theirs = parse_object (local.doc)))
    {
      g_set_error (error, MP_ERROR, MP_ERROR_CORRUPT, _("The local copy of model %s is damaged."), id);
      return NULL;
    }

  merge = mp_merge_documents (json_node_get_object (base), theirs, json_node_get_object (mine));
  document = json_object_ref (mp_merge_result_get_document (merge));
  for (guint i = 0; i < mp_merge_result_get_n_conflicts (merge); i++)
    {
      const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);

      set_field_path (document, conflict->field, conflict->mine);
    }

  node = json_node_init_object (json_node_alloc (), document);
  if (!(merged = mp_model_from_json (node, error)))
    return NULL;
  /* The revision is the bank's copy's; the modified time this edit's. */
  mp_model_set_modified (merged, mp_model_get_modified (model));

  *merge_out = g_steal_pointer (&merge);
  return g_steal_pointer (&merged);
}

/**
 * mp_sync_store_take_snapshot:
 * @store: the store
 * @model: a model as it was loaded from @store, or last saved
 *
 * Returns: (transfer full): the base of @model's next save
 */
MpSaveSnapshot *
mp_sync_store_take_snapshot (MpStore *store,
                             MpModel *model)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(Stamp) stamp = { 0 };
  MpSaveSnapshot *snapshot;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (MP_IS_MODEL (model), NULL);

  sync_db_init (&self, store);
  snapshot = g_new0 (MpSaveSnapshot, 1);
  /* The revision and modified time are the open copy's own, not read from
   * the bank: a bank that moved on since the copy was loaded no longer has
   * them, and the next save merges. */
  snapshot->model = mp_model_copy (model);
  if (read_stamp (&self, mp_model_get_id (model), &stamp, NULL))
    snapshot->conflict = g_steal_pointer (&stamp.conflict);
  return snapshot;
}

void
mp_save_snapshot_free (MpSaveSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;

  g_clear_object (&snapshot->model);
  g_free (snapshot->conflict);
  g_free (snapshot);
}

/**
 * mp_sync_store_save_merging:
 * @store: the store
 * @model: the open copy of a model, to save
 * @snapshot: (nullable): what @model started from; %NULL writes @model as
 *   it is
 * @merged: (out) (optional) (transfer full): the model written when it is
 *   not @model (the merge took something of the bank's copy), else %NULL
 * @error: MP_ERROR_INVALID naming the field, or MP_ERROR_FAILED
 *
 * One BEGIN IMMEDIATE transaction: a pull that writes the model meanwhile
 * is waited for and merged, never written over. A model the bank no longer
 * has is written as it is, as mp_store_save_model() would. A private model
 * is never queued.
 *
 * Returns: %TRUE when the model was written
 */
gboolean
mp_sync_store_save_merging (MpStore         *store,
                            MpModel         *model,
                            MpSaveSnapshot  *snapshot,
                            MpModel        **merged,
                            GError         **error)
{
  g_auto(SyncDb) self = { 0 };
  g_auto(Stamp) stamp = { 0 };
  g_autoptr(MpModel) written = NULL;
  g_autoptr(MpMergeResult) merge = NULL;
  g_autofree char *conflict = NULL;
  const char *id;
  gboolean deferred;
  gboolean saved;

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  if (merged != NULL)
    *merged = NULL;
  sync_db_init (&self, store);
  id = mp_model_get_id (model);

  if (!begin (&self, error))
    return FALSE;
  if (!read_stamp (&self, id, &stamp, error))
    goto fail;

  if (snapshot == NULL || !stamp.exists || snapshot_is_current (snapshot, &stamp))
    written = g_object_ref (model);
  else if (!(written = merge_over (&self, id, model, snapshot, &merge, error)))
    goto fail;

  conflict = g_strdup (stamp.conflict);
  if (stamp.conflict != NULL || (merge != NULL && mp_merge_result_has_conflicts (merge)))
    {
      g_autoptr(JsonNode) document = mp_model_to_json (written);

      g_free (conflict);
      conflict = save_conflicts (stamp.conflict, merge, json_node_get_object (document));
    }

  /* A person's own edit is searchable at once, as mp_store_save_model()
   * makes it; queued first, against the copy it replaces. */
  deferred = mp_store_get_defer_index (store);
  mp_store_set_defer_index (store, FALSE);
  saved = mp_sync_store_enqueue_save (store, written, error) &&
          mp_store_write_synced_model (store, written, error);
  mp_store_set_defer_index (store, deferred);
  if (!saved)
    goto fail;

  if (g_strcmp0 (conflict, stamp.conflict) != 0 && !write_conflicts (&self, id, conflict, error))
    goto fail;
  if (!mp_store_commit (store, error))
    goto fail;

  if (snapshot != NULL)
    {
      g_clear_object (&snapshot->model);
      snapshot->model = mp_model_copy (written);
      g_free (snapshot->conflict);
      snapshot->conflict = g_steal_pointer (&conflict);
    }
  if (merged != NULL && written != model)
    *merged = g_steal_pointer (&written);
  return TRUE;

fail:
  mp_store_rollback (store);
  return FALSE;
}
