/* mp-store.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mp-analyser.h"
#include "mp-core-resources.h"
#include "mp-error.h"
#include "mp-fts-tokenizer.h"
#include "mp-model-json.h"
#include "mp-store.h"
#include "mp-sync-store.h"

#define CORE_RESOURCE_PREFIX "/io/github/mallipaja/Mallipaja/core/"

/* Applied in order; migration N brings the schema to user_version N. */
static const char * const migrations[] = {
  CORE_RESOURCE_PREFIX "sql/0001-initial.sql",
  CORE_RESOURCE_PREFIX "sql/0002-deleted-and-lineage.sql",
  CORE_RESOURCE_PREFIX "sql/0003-fast-list-and-search.sql",
  CORE_RESOURCE_PREFIX "sql/0004-language-aware-search.sql",
  CORE_RESOURCE_PREFIX "sql/0005-sync.sql",
  CORE_RESOURCE_PREFIX "sql/0006-characteristic-tags.sql",
  CORE_RESOURCE_PREFIX "sql/0007-index-backlog.sql",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MP_STORE_SCHEMA_VERSION);

/* An index made by another analyser, waiting to be thrown away by the
 * backlog's steps. */
#define STALE_FTS "models_fts_stale"

/* Statements that do not depend on the query; prepared once per store. */
typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_UPSERT_MODEL,
  STMT_DELETE_TAGS,
  STMT_INSERT_TAG,
  STMT_DELETE_FTS,
  STMT_INSERT_FTS,
  STMT_FTS_LANGUAGE,
  STMT_FTS_ROW,
  STMT_FTS_SQL,
  STMT_SNIPPET_SOURCE,
  STMT_SNIPPET_INSERT,
  STMT_SNIPPET,
  STMT_LOAD_DOC,
  STMT_MODEL_STATE,
  STMT_SET_DELETED,
  STMT_PURGE_FTS,
  STMT_PURGE_MODELS,
  STMT_COUNT,
  STMT_SUMMARY,
  STMT_SUMMARY_BY_ID,
  STMT_DERIVED,
  STMT_META_GET,
  STMT_META_SET,
  STMT_REMOVE_MODEL,  /* sync */
  STMT_QUEUE_INDEX,
  STMT_UNQUEUE_INDEX,
  STMT_QUEUE_ALL,
  STMT_BACKLOG_COUNT,
  STMT_BACKLOG_NEXT,
  STMT_INDEX_SOURCE,
  STMT_HAS_STALE_FTS,
  STMT_CLEAR_STALE_CONTENT,
  STMT_CLEAR_STALE_DATA,
  N_STMTS
} StmtId;

#define SUMMARY_COLUMNS \
  "rowid, id, title, organisation, region, current_stage, revision, visibility, unfinished, modified"

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_UPSERT_MODEL] =
    "INSERT INTO models (id, revision, title, organisation, language, region, current_stage,"
    "                    visibility, unfinished, modified, based_on, doc)"
    " VALUES (:id, :revision, :title, :organisation, :language, :region, :current_stage,"
    "         :visibility, :unfinished, :modified, :based_on, :doc)"
    " ON CONFLICT (id) DO UPDATE SET"
    "  revision = excluded.revision, title = excluded.title,"
    "  organisation = excluded.organisation, language = excluded.language,"
    "  region = excluded.region, current_stage = excluded.current_stage,"
    "  visibility = excluded.visibility, unfinished = excluded.unfinished,"
    "  modified = excluded.modified, based_on = excluded.based_on, doc = excluded.doc"
    " RETURNING rowid, deleted",
  [STMT_DELETE_TAGS] = "DELETE FROM model_tags WHERE model = ?1",
  [STMT_INSERT_TAG] = "INSERT OR IGNORE INTO model_tags (kind, key, model) VALUES (?1, ?2, ?3)",
  [STMT_DELETE_FTS] = "DELETE FROM models_fts WHERE rowid = ?1",
  [STMT_INSERT_FTS] = "INSERT INTO models_fts (rowid, title, summary, body, lang) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_FTS_LANGUAGE] = "SELECT lang FROM models_fts WHERE rowid = ?1",
  [STMT_FTS_ROW] = "SELECT title, summary, body, lang FROM models_fts WHERE rowid = ?1",
  [STMT_FTS_SQL] = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'models_fts'",
  [STMT_SNIPPET_SOURCE] = "SELECT title, summary, body, lang FROM models_fts WHERE rowid = ?1",
  [STMT_SNIPPET_INSERT] = "INSERT INTO temp.snippet_fts (title, summary, body) VALUES (?1, ?2, ?3)",
  /* Control characters mark the hit: they cannot be confused with the
   * text once it is escaped as markup. */
  [STMT_SNIPPET] = "SELECT snippet (snippet_fts, -1, char (2), char (3), '…', 16)"
                   " FROM temp.snippet_fts WHERE snippet_fts MATCH ?1",
  [STMT_LOAD_DOC] = "SELECT doc FROM models WHERE id = ?1 AND deleted = 0",
  [STMT_MODEL_STATE] = "SELECT revision, deleted, rowid, doc FROM models WHERE id = ?1",
  [STMT_SET_DELETED] = "UPDATE models SET deleted = ?2 WHERE rowid = ?1",
  [STMT_PURGE_FTS] = "DELETE FROM models_fts WHERE rowid IN (SELECT rowid FROM models WHERE deleted = 1)",
  [STMT_PURGE_MODELS] = "DELETE FROM models WHERE deleted = 1",
  [STMT_COUNT] = "SELECT count(*) FROM models WHERE deleted = 0",
  [STMT_SUMMARY] = "SELECT " SUMMARY_COLUMNS " FROM models WHERE rowid = ?1",
  [STMT_SUMMARY_BY_ID] = "SELECT " SUMMARY_COLUMNS " FROM models WHERE id = ?1 AND deleted = 0",
  [STMT_DERIVED] = "SELECT " SUMMARY_COLUMNS " FROM models WHERE based_on = ?1 AND deleted = 0"
                   " ORDER BY title COLLATE NOCASE, rowid",
  [STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
  [STMT_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
  [STMT_REMOVE_MODEL] = "DELETE FROM models WHERE rowid = ?1",
  [STMT_QUEUE_INDEX] = "INSERT OR IGNORE INTO index_backlog (model) VALUES (?1)",
  [STMT_UNQUEUE_INDEX] = "DELETE FROM index_backlog WHERE model = ?1",
  [STMT_QUEUE_ALL] = "INSERT OR IGNORE INTO index_backlog (model) SELECT rowid FROM models WHERE deleted = 0",
  [STMT_BACKLOG_COUNT] = "SELECT count(*) FROM index_backlog",
  [STMT_BACKLOG_NEXT] = "SELECT model FROM index_backlog ORDER BY model LIMIT ?1",
  [STMT_INDEX_SOURCE] = "SELECT deleted, doc FROM models WHERE rowid = ?1",
  [STMT_HAS_STALE_FTS] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" STALE_FTS "'",
  /* The stale index's own tables, emptied a little a step; see
   * queue_reindex_in_transaction(). The blocks up to 10 (the averages and
   * the structure record) stay: FTS5 reads them to drop the table. */
  [STMT_CLEAR_STALE_CONTENT] = "DELETE FROM " STALE_FTS "_content WHERE rowid IN"
                               " (SELECT rowid FROM " STALE_FTS "_content LIMIT ?1)",
  [STMT_CLEAR_STALE_DATA] = "DELETE FROM " STALE_FTS "_data WHERE rowid IN"
                            " (SELECT rowid FROM " STALE_FTS "_data WHERE rowid > 10 LIMIT ?1)",
};

/* Cached statements are reset, not finalised, when a scope ends. */
typedef sqlite3_stmt MpCachedStmt;

static void
mp_cached_stmt_reset (MpCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpCachedStmt, mp_cached_stmt_reset)

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

/* Bits of the key under which a query statement is cached. */
enum {
  QUERY_TEXT = 1 << 0,
  QUERY_STAGE = 1 << 1,
  QUERY_THEME = 1 << 2,
  QUERY_TARGET_GROUP = 1 << 3,
  QUERY_REGION = 1 << 4,
  QUERY_UNRANKED = 1 << 5,
  QUERY_PUBLICATION_SHIFT = 6,   /* two bits */
  QUERY_EXCLUDE = 1 << 8,        /* only "-word"s: everything but their hits */
};

/* The meta key naming the analyser the search index was built with. */
#define META_SEARCH_ANALYSER "search-analyser"

/* Ranking reads every hit's positions, a few microseconds a hit with
 * the lemmas: beyond this many hits (the first letter or two of a word,
 * a word every model uses) a keystroke would wait for it, so then only
 * the title hits are ranked and come first, the rest newest first. */
#define RANK_LIMIT 3000

/* Models indexed per transaction when the backlog is drained: a few
 * hundred milliseconds, so that the editor's saves, which wait for the
 * write lock (busy_timeout), are never held up for long. */
#define INDEX_CHUNK 200

/* quick_check reads the whole file; past this size it would hold up the
 * first window, and damage in the pages is reported when it is read. */
#define QUICK_CHECK_MAX_SIZE (64 * 1024 * 1024)

struct _MpStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];
  GHashTable *query_stmts;   /* query key → sqlite3_stmt */

  MpAnalyser *analyser;
  MpFtsTokenizer *tokenizer; /* owned by db */
  MpLanguage search_language;
  gboolean has_snippet_table;
  gboolean defer_index;

  /* A second connection for the title pass of a search with many hits,
   * run in a thread beside the main pass; NULL until first needed, or
   * when it cannot be opened (the passes then run one after the other). */
  sqlite3 *title_db;
  MpAnalyser *title_analyser;
  gboolean title_db_failed;
};

G_DEFINE_FINAL_TYPE (MpStore, mp_store, G_TYPE_OBJECT)

enum {
  SIGNAL_MODEL_CHANGED,
  SIGNAL_BANK_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* private helpers */

static gboolean
is_corruption (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static void
set_corrupt_error (GError     **error,
                   const char  *path)
{
  g_set_error (error, MP_ERROR, MP_ERROR_CORRUPT,
               _("The model bank at %s is damaged or is not a Mallipaja bank."), path);
}

static gboolean
set_db_error (MpStore  *self,
              GError  **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  if (is_corruption (rc))
    set_corrupt_error (error, self->path);
  else
    g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                 _("The model bank could not be updated: %s"), sqlite3_errmsg (self->db));
  return FALSE;
}

static MpCachedStmt *
get_stmt (MpStore  *self,
          StmtId    id,
          GError  **error)
{
  if (self->stmts[id] == NULL &&
      sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[id], NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }

  return self->stmts[id];
}

static gboolean
step_done (MpStore      *self,
           sqlite3_stmt *stmt,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error);
  return TRUE;
}

static gboolean
run_stmt (MpStore  *self,
          StmtId    id,
          GError  **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, id, error);

  return stmt != NULL && step_done (self, stmt, error);
}

/* Connections of this process waiting to begin a write, whatever their
 * store (a person's save while the indexer's worker writes): the
 * backlog's steps let them go first. SQLite's busy handler only polls,
 * every 100 ms after a while, and a worker that takes the write lock
 * again as soon as it commits would starve them. */
static gint waiting_writers;

static gboolean
begin (MpStore  *self,
       GError  **error)
{
  gboolean begun;

  g_atomic_int_inc (&waiting_writers);
  begun = run_stmt (self, STMT_BEGIN, error);
  g_atomic_int_dec_and_test (&waiting_writers);
  return begun;
}

/* For work that can wait: after the writers waiting now, for up to a
 * second (a writer of another process is not seen here). */
static gboolean
begin_after_waiting_writers (MpStore  *self,
                             GError  **error)
{
  for (guint i = 0; i < 500 && g_atomic_int_get (&waiting_writers) > 0; i++)
    g_usleep (2000);
  return run_stmt (self, STMT_BEGIN, error);
}

static gboolean
commit (MpStore  *self,
        GError  **error)
{
  if (run_stmt (self, STMT_COMMIT, error))
    return TRUE;

  /* A COMMIT that failed may leave the transaction open. */
  if (!sqlite3_get_autocommit (self->db))
    run_stmt (self, STMT_ROLLBACK, NULL);
  return FALSE;
}

static void
rollback (MpStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    run_stmt (self, STMT_ROLLBACK, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_assert (index > 0);
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_assert (index > 0);
  sqlite3_bind_int64 (stmt, index, value);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static MpModelSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  return mp_model_summary_new (sqlite3_column_int64 (stmt, 0),
                               column_text (stmt, 1),
                               column_text (stmt, 2),
                               column_text (stmt, 3),
                               column_text (stmt, 4),
                               sqlite3_column_int (stmt, 5),
                               sqlite3_column_int64 (stmt, 6),
                               (MpVisibility) sqlite3_column_int (stmt, 7),
                               sqlite3_column_int (stmt, 8) != 0,
                               sqlite3_column_int64 (stmt, 9));
}

static int
pragma_int (sqlite3    *db,
            const char *sql,
            int        *value)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL)) != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *value = sqlite3_column_int (stmt, 0);
      return SQLITE_OK;
    }
  return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
}

/* A file shorter than its header says lost its end. The header's page
 * count holds only when its "valid for" counter matches the change
 * counter, and only when no WAL holds pages yet to be copied back. */
static gboolean
is_truncated (const char *path,
              const char *wal)
{
  guchar header[100];
  guint32 page_size, n_pages;
  GStatBuf st;
  FILE *file;
  gsize n_read;

  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_stat (path, &st) != 0)
    return FALSE;
  if (!(file = g_fopen (path, "rb")))
    return FALSE;
  n_read = fread (header, 1, sizeof header, file);
  fclose (file);
  if (n_read < sizeof header || memcmp (header + 24, header + 92, 4) != 0)
    return FALSE;

  page_size = (guint32) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  memcpy (&n_pages, header + 28, sizeof n_pages);
  n_pages = GUINT32_FROM_BE (n_pages);

  return n_pages > 0 && (guint64) page_size * n_pages > (guint64) st.st_size;
}

/* Looks at an existing file through a read-only connection, so that
 * nothing is ever written to a file that turns out not to be our bank. */
static gboolean
check_existing_bank (const char  *path,
                     GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *uri = NULL;
  GStatBuf st;
  int n_objects = 0;
  int has_models = 0;
  int version = 0;
  int rc;

  /* A WAL-mode file, even opened read-only, gets -wal and -shm files
   * made next to it. Without a -wal there is nothing but the file to
   * read, and immutable=1 reads it without making any. */
  wal = g_strconcat (path, "-wal", NULL);
  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *file_uri = g_filename_to_uri (path, NULL, NULL);

      if (file_uri != NULL)
        uri = g_strconcat (file_uri, "?immutable=1", NULL);
    }

  rc = sqlite3_open_v2 (uri != NULL ? uri : path, &db,
                        SQLITE_OPEN_READONLY | (uri != NULL ? SQLITE_OPEN_URI : 0), NULL);
  if (rc != SQLITE_OK)
    {
      if (is_corruption (rc))
        {
          set_corrupt_error (error, path);
          return FALSE;
        }
      g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                   _("The model bank at %s could not be opened: %s"),
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      return FALSE;
    }

  /* The first read is where a file that is not SQLite shows itself. */
  if ((rc = pragma_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects)) != SQLITE_OK ||
      (rc = pragma_int (db, "SELECT count(*) FROM sqlite_schema"
                            " WHERE type = 'table' AND name = 'models'", &has_models)) != SQLITE_OK ||
      (rc = pragma_int (db, "PRAGMA user_version", &version)) != SQLITE_OK)
    {
      if (is_corruption (rc))
        set_corrupt_error (error, path);
      else
        g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                     _("The model bank at %s could not be read: %s"), path, sqlite3_errmsg (db));
      return FALSE;
    }

  /* A newer schema may look like anything: do not judge its tables. */
  if (version > MP_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_TOO_NEW,
                   _("The model bank at %s was written by a newer version of Mallipaja."), path);
      return FALSE;
    }

  /* Someone else's database, or ours with its tables gone. */
  if ((n_objects > 0 || version > 0) && !has_models)
    {
      set_corrupt_error (error, path);
      return FALSE;
    }

  if (is_truncated (path, wal))
    {
      set_corrupt_error (error, path);
      return FALSE;
    }

  if (g_stat (path, &st) == 0 && st.st_size > QUICK_CHECK_MAX_SIZE)
    return TRUE;

  /* Garbled pages pass the first read; quick_check finds them without
   * the cost of a full integrity_check. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || g_strcmp0 (column_text (stmt, 0), "ok") != 0)
    {
      set_corrupt_error (error, path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec_sql (MpStore     *self,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, error);
  return TRUE;
}

static gboolean
migrate (MpStore  *self,
         GError  **error)
{
  int version = mp_store_get_schema_version (self);

  for (int i = version; i < MP_STORE_SCHEMA_VERSION; i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *set_version = NULL;

      bytes = g_resource_lookup_data (mp_core_get_resource (), migrations[i],
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (bytes != NULL);

      if (!begin (self, error))
        return FALSE;

      /* The version is ours, never user text. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", i + 1);

      if (!exec_sql (self, g_bytes_get_data (bytes, NULL), error) ||
          !exec_sql (self, set_version, error) ||
          !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
configure (MpStore  *self,
           GError  **error)
{
  /* WAL lets a reader (the sync thread) run while the editor writes;
   * synchronous=FULL makes every acknowledged edit survive power loss. */
  return exec_sql (self, "PRAGMA journal_mode = WAL", error) &&
         exec_sql (self, "PRAGMA synchronous = FULL", error) &&
         exec_sql (self, "PRAGMA foreign_keys = ON", error) &&
         exec_sql (self, "PRAGMA busy_timeout = 5000", error);
}

static gboolean
insert_tags (MpStore  *self,
             MpModel  *model,
             gint64    rowid,
             GError  **error)
{
  static const MpList tag_lists[] = { MP_LIST_REGIONS, MP_LIST_THEMES, MP_LIST_TARGET_GROUPS };
  g_autoptr(MpCachedStmt) stmt = NULL;

  if (!(stmt = get_stmt (self, STMT_INSERT_TAG, error)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tag_lists); i++)
    {
      const char * const *keys = mp_model_get_list (model, tag_lists[i]);

      for (guint j = 0; keys[j] != NULL; j++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_int (stmt, 1, tag_lists[i]);
          sqlite3_bind_text (stmt, 2, keys[j], -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, rowid);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
    }

  /* statistics (issue 6): counted per selection without reading documents */
  G_STATIC_ASSERT (MP_STORE_TAG_CHARACTERISTIC == MP_N_LISTS);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      const MpTerm *terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL);

      if (!mp_model_get_characteristic (model, i, NULL))
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, MP_STORE_TAG_CHARACTERISTIC);
      sqlite3_bind_text (stmt, 2, terms[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, rowid);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* FTS5 analyses the stored text again to take it out of the index: it
 * must be in the language the row was indexed in. */
static gboolean
delete_fts (MpStore  *self,
            gint64    rowid,
            GError  **error)
{
  g_autoptr(MpCachedStmt) stmt = NULL;

  {
    g_autoptr(MpCachedStmt) lang = get_stmt (self, STMT_FTS_LANGUAGE, error);

    if (lang == NULL)
      return FALSE;
    sqlite3_bind_int64 (lang, 1, rowid);
    switch (sqlite3_step (lang))
      {
      case SQLITE_ROW:
        mp_fts_tokenizer_set_language (self->tokenizer, mp_language_from_code (column_text (lang, 0)));
        break;
      case SQLITE_DONE:
        return TRUE;
      default:
        return set_db_error (self, error);
      }
  }

  if (!(stmt = get_stmt (self, STMT_DELETE_FTS, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  return step_done (self, stmt, error);
}

/* @body: mp_model_dup_body (@model) when the caller has it, else %NULL. */
static gboolean
insert_fts (MpStore     *self,
            MpModel     *model,
            const char  *body,
            gint64       rowid,
            GError     **error)
{
  g_autofree char *own_body = body == NULL ? mp_model_dup_body (model) : NULL;
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_INSERT_FTS, error);
  MpLanguage language = mp_language_from_code (mp_model_get_text (model, MP_TEXT_LANGUAGE));

  if (body == NULL)
    body = own_body;
  if (stmt == NULL)
    return FALSE;
  mp_fts_tokenizer_set_language (self->tokenizer, language);
  sqlite3_bind_text (stmt, 5, mp_language_to_code (language), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, mp_model_get_text (model, MP_TEXT_TITLE), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, mp_model_get_text (model, MP_TEXT_SUMMARY), -1, SQLITE_TRANSIENT);
  /* The body can be megabytes; it outlives the statement's use. */
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gboolean
column_equals (sqlite3_stmt *stmt,
               int           column,
               const char   *text)
{
  const unsigned char *value = sqlite3_column_text (stmt, column);
  int length = sqlite3_column_bytes (stmt, column);

  return value != NULL && (gsize) length == strlen (text) && memcmp (value, text, length) == 0;
}

/* Sets *@holds when the model's search index entry holds exactly what
 * insert_fts() would write for @model, language included: then the entry
 * can stay as it is. Sets *@body to mp_model_dup_body (@model) when it
 * had to make it (not for a model without an entry: a large pull's). */
static gboolean
fts_entry_holds (MpStore     *self,
                 MpModel     *model,
                 gint64       rowid,
                 char       **body,
                 gboolean    *holds,
                 GError     **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_FTS_ROW, error);
  MpLanguage language = mp_language_from_code (mp_model_get_text (model, MP_TEXT_LANGUAGE));

  *holds = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *body = mp_model_dup_body (model);
      *holds = column_equals (stmt, 0, mp_model_get_text (model, MP_TEXT_TITLE)) &&
               column_equals (stmt, 1, mp_model_get_text (model, MP_TEXT_SUMMARY)) &&
               column_equals (stmt, 2, *body) &&
               column_equals (stmt, 3, mp_language_to_code (language));
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      return set_db_error (self, error);
    }
}

static gboolean
run_rowid_stmt (MpStore  *self,
                StmtId    id,
                gint64    rowid,
                GError  **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, id, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  return step_done (self, stmt, error);
}

/* A model in the backlog has no row in the search index: it is found
 * by nothing, rather than by text it no longer has. */
static gboolean
queue_index (MpStore  *self,
             gint64    rowid,
             GError  **error)
{
  return run_rowid_stmt (self, STMT_QUEUE_INDEX, rowid, error);
}

static gboolean
unqueue_index (MpStore  *self,
               gint64    rowid,
               GError  **error)
{
  return run_rowid_stmt (self, STMT_UNQUEUE_INDEX, rowid, error);
}

/* Writes one model; the caller holds the transaction. @may_defer: the
 * write came from sync or an import, which the store may leave to the
 * backlog; a person's own edit is always searchable at once. @document:
 * the model's document (mp_model_to_json_string (@model, FALSE)) when the
 * caller made it from the validated model already, else %NULL. */
static gboolean
save_model_in_transaction (MpStore     *self,
                           MpModel     *model,
                           const char  *document,
                           gboolean     may_defer,
                           GError     **error)
{
  g_autofree char *own_doc = NULL;
  g_autofree char *body = NULL;
  const char *doc = document;
  const char * const *regions;
  gint64 rowid;
  gboolean deleted;

  if (doc == NULL)
    {
      if (!mp_model_validate (model, error))
        return FALSE;
      doc = own_doc = mp_model_to_json_string (model, FALSE);
    }
  regions = mp_model_get_list (model, MP_LIST_REGIONS);

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_UPSERT_MODEL, error);

    if (stmt == NULL)
      return FALSE;

    bind_text (stmt, ":id", mp_model_get_id (model));
    bind_int64 (stmt, ":revision", mp_model_get_revision (model));
    bind_text (stmt, ":title", mp_model_get_text (model, MP_TEXT_TITLE));
    bind_text (stmt, ":organisation", mp_model_get_text (model, MP_TEXT_ORGANISATION));
    bind_text (stmt, ":language", mp_model_get_text (model, MP_TEXT_LANGUAGE));
    bind_text (stmt, ":region", regions[0]);
    bind_int64 (stmt, ":current_stage", mp_model_get_current_stage (model));
    bind_int64 (stmt, ":visibility", mp_model_get_visibility (model));
    bind_int64 (stmt, ":unfinished", mp_model_get_unfinished (model));
    bind_int64 (stmt, ":modified", mp_model_get_modified (model));
    bind_text (stmt, ":based_on", mp_model_get_based_on_id (model));
    /* The document can be megabytes: bind it without a copy; it outlives
     * the statement's use, which ends when this block does. */
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":doc"), doc, -1, SQLITE_STATIC);

    if (sqlite3_step (stmt) != SQLITE_ROW)
      return set_db_error (self, error);
    rowid = sqlite3_column_int64 (stmt, 0);
    deleted = sqlite3_column_int (stmt, 1) != 0;
    if (sqlite3_step (stmt) != SQLITE_DONE)
      return set_db_error (self, error);
  }

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_DELETE_TAGS, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rowid);
    if (!step_done (self, stmt, error))
      return FALSE;
  }

  if (!insert_tags (self, model, rowid, error))
    return FALSE;

  /* An entry that holds the text already stays: the platform's answer to
   * a push, or a change to fields that search does not read, would cost
   * two analyses of the text (out and in again) and a new FTS5 segment
   * for nothing. A model with an entry is not in the backlog. */
  if (!deleted)
    {
      gboolean holds;

      if (!fts_entry_holds (self, model, rowid, &body, &holds, error))
        return FALSE;
      if (holds)
        return TRUE;
    }

  /* Taking the old text out costs an analysis of it, but it is the one
   * way to make sure it is never found: FTS5 needs the old terms to
   * delete them. A model written for the first time has none. */
  if (!delete_fts (self, rowid, error))
    return FALSE;

  /* The search index holds live models only; restoring adds it back. */
  if (deleted)
    return unqueue_index (self, rowid, error);
  if (may_defer && self->defer_index)
    return queue_index (self, rowid, error);
  return unqueue_index (self, rowid, error) && insert_fts (self, model, body, rowid, error);
}

static gboolean
import_in_transaction (MpStore    *self,
                       GPtrArray  *models,
                       GError    **error)
{
  for (guint i = 0; i < models->len; i++)
    {
      MpModel *model = g_ptr_array_index (models, i);
      g_autoptr(GError) local_error = NULL;

      if (!save_model_in_transaction (self, model, NULL, TRUE, &local_error))
        {
          /* Name the model so that a batch import can be fixed. */
          const char *title = mp_model_get_text (model, MP_TEXT_TITLE);

          if (*title != '\0')
            g_set_error (error, local_error->domain, local_error->code,
                         _("Model %u (“%s”): %s"), i + 1, title, local_error->message);
          else
            g_set_error (error, local_error->domain, local_error->code,
                         _("Model %u: %s"), i + 1, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

/* Appends @term as an FTS5 string, which no input can break out of. */
static void
append_fts_string (GString    *match,
                   const char *term)
{
  g_string_append_c (match, '"');
  for (const char *c = term; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *c);
    }
  g_string_append_c (match, '"');
}

/* A typed word matches as the beginning of a word, as the person may
 * still be typing it, or as any form of it: its Finnish base forms and,
 * for a Swedish or English interface, its stem ("tuen" finds "tukea" and
 * "tuki"; "barnen" finds "barn"). */
static char *
word_expression (MpStore    *self,
                 const char *word,
                 gsize       length)
{
  g_autofree char *folded = mp_analyser_fold (word, length);
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *expression;

  if (*folded == '\0')
    return NULL;

  g_ptr_array_add (terms, mp_analyser_query_terms (self->analyser, MP_LANGUAGE_FINNISH, word, length));
  if (self->search_language != MP_LANGUAGE_FINNISH)
    g_ptr_array_add (terms, mp_analyser_query_terms (self->analyser, self->search_language, word, length));

  expression = g_string_new ("(");
  append_fts_string (expression, folded);
  g_string_append_c (expression, '*');
  g_hash_table_add (seen, folded);
  for (guint i = 0; i < terms->len; i++)
    {
      char **strv = g_ptr_array_index (terms, i);

      for (guint j = 0; strv[j] != NULL; j++)
        {
          if (!g_hash_table_add (seen, strv[j]))
            continue;
          g_string_append (expression, " OR ");
          append_fts_string (expression, strv[j]);
        }
    }
  g_string_append_c (expression, ')');
  return g_string_free (expression, FALSE);
}

/* "as written" matches those words in that order. An unclosed quote is
 * still being typed: its last word matches as a beginning. */
static char *
phrase_expression (const char *text,
                   gsize       length,
                   gboolean    closed)
{
  const char *p = text, *end = text + length, *word;
  g_autoptr(GString) folded = g_string_new (NULL);
  gsize word_length;

  while (mp_analyser_next_word (&p, end, &word, &word_length))
    {
      g_autofree char *w = mp_analyser_fold (word, word_length);

      if (*w == '\0')
        continue;
      if (folded->len > 0)
        g_string_append_c (folded, ' ');
      g_string_append (folded, w);
    }
  if (folded->len == 0)
    return NULL;

  {
    GString *expression = g_string_new (NULL);

    append_fts_string (expression, folded->str);
    if (!closed)
      g_string_append_c (expression, '*');
    return g_string_free (expression, FALSE);
  }
}

/* "OR" is an operator only in capitals, as in web search; so are the
 * Finnish and Swedish words for it. In lower case they are words. */
static gboolean
is_or (const char *word,
       gsize       length)
{
  return (length == 2 && memcmp (word, "OR", 2) == 0) ||
         (length == 3 && memcmp (word, "TAI", 3) == 0) ||
         (length == 5 && memcmp (word, "ELLER", 5) == 0);
}

/* Turns what a person typed into an FTS5 query that cannot be a syntax
 * error. Words must all match (each in any of its forms, see
 * word_expression()); "quoted words" match as a phrase; "a OR b" matches
 * either; "-word" or -"a phrase" excludes. Every other character only
 * separates words. NULL when nothing searchable was typed;
 * @exclude_only is set when there are only exclusions: the match then
 * names what to leave out. */
static char *
build_match (MpStore    *self,
             const char *text,
             gboolean   *exclude_only)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) excluded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) match = NULL;
  const char *p = text, *end;
  gboolean after_space = TRUE;
  gboolean pending_or = FALSE;

  *exclude_only = FALSE;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  end = text + strlen (text);

  while (p < end)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean negated = FALSE;
      char *expression = NULL;

      if (g_unichar_isspace (c))
        {
          p = g_utf8_next_char (p);
          after_space = TRUE;
          continue;
        }

      if (c == '-' && after_space && p + 1 < end &&
          (p[1] == '"' || mp_analyser_is_word_char (g_utf8_get_char (p + 1))))
        {
          negated = TRUE;
          c = g_utf8_get_char (++p);
        }
      after_space = FALSE;

      if (c == '"')
        {
          const char *close = memchr (p + 1, '"', end - p - 1);

          expression = phrase_expression (p + 1, (close != NULL ? close : end) - p - 1, close != NULL);
          p = close != NULL ? close + 1 : end;
        }
      else if (mp_analyser_is_word_char (c))
        {
          const char *word;
          gsize length;

          mp_analyser_next_word (&p, end, &word, &length);
          if (!negated && groups->len > 0 && is_or (word, length))
            {
              pending_or = TRUE;
              continue;
            }
          expression = word_expression (self, word, length);
        }
      else
        {
          p = g_utf8_next_char (p);
          continue;
        }

      if (expression == NULL)
        continue;
      if (negated)
        g_ptr_array_add (excluded, expression);
      else if (pending_or)
        {
          char **last = (char **) &g_ptr_array_index (groups, groups->len - 1);
          char *either = g_strdup_printf ("%s OR %s", *last, expression);

          g_free (*last);
          g_free (expression);
          *last = either;
        }
      else
        g_ptr_array_add (groups, expression);
      pending_or = FALSE;
    }

  if (groups->len == 0 && excluded->len == 0)
    return NULL;

  match = g_string_new (NULL);
  if (groups->len == 0)
    {
      *exclude_only = TRUE;
      for (guint i = 0; i < excluded->len; i++)
        g_string_append_printf (match, "%s(%s)", i > 0 ? " OR " : "", (char *) g_ptr_array_index (excluded, i));
      return g_string_free (g_steal_pointer (&match), FALSE);
    }

  g_string_append_c (match, '(');
  for (guint i = 0; i < groups->len; i++)
    g_string_append_printf (match, "%s(%s)", i > 0 ? " AND " : "", (char *) g_ptr_array_index (groups, i));
  g_string_append_c (match, ')');
  for (guint i = 0; i < excluded->len; i++)
    g_string_append_printf (match, " NOT (%s)", (char *) g_ptr_array_index (excluded, i));
  return g_string_free (g_steal_pointer (&match), FALSE);
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* The SQL is put together from fixed pieces chosen by which filters are
 * set, so it can be prepared once per combination; the values are
 * always bound. */
static char *
build_query_sql (guint key)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) row_filter = g_string_new (NULL);
  MpPublication publication = key >> QUERY_PUBLICATION_SHIFT;
  const char *rowid;

  if (key & QUERY_STAGE)
    g_string_append (row_filter, " AND m.current_stage >= :stage");

  G_STATIC_ASSERT (MP_VISIBILITY_PUBLIC == 2);
  switch (publication)
    {
    case MP_PUBLICATION_DRAFTS:
      g_string_append (row_filter, " AND m.revision = 0");
      break;
    case MP_PUBLICATION_PUBLISHED:
      g_string_append (row_filter, " AND m.visibility = 2 AND m.unfinished = 0 AND m.revision > 0");
      break;
    case MP_PUBLICATION_UNFINISHED:
      g_string_append (row_filter, " AND m.visibility = 2 AND m.unfinished = 1");
      break;
    case MP_PUBLICATION_ANY:
    default:
      break;
    }

  if (key & QUERY_TEXT)
    {
      /* The search index holds live models only. Filters are sets built
       * once from the models_live index and model_tags; the unary + keeps
       * SQLite from turning them into one index lookup per rowid, and a
       * join would read each matching row from the table. */
      rowid = "+models_fts.rowid";
      g_string_append (sql, "SELECT models_fts.rowid FROM models_fts WHERE models_fts MATCH :match");
      if (row_filter->len > 0)
        g_string_append_printf (sql, " AND %s IN (SELECT m.rowid FROM models AS m WHERE m.deleted = 0%s)",
                                rowid, row_filter->str);
    }
  else
    {
      /* Answered from the models_live index, in list order. */
      rowid = "m.rowid";
      g_string_append_printf (sql, "SELECT m.rowid FROM models AS m WHERE m.deleted = 0%s", row_filter->str);
      if (key & QUERY_EXCLUDE)
        g_string_append (sql, " AND m.rowid NOT IN (SELECT rowid FROM models_fts WHERE models_fts MATCH :match)");
    }

  /* IN runs each tag lookup once; EXISTS would probe for every row. */
#define TAG_FILTER(kind, param) \
  " AND %s IN (SELECT t.model FROM model_tags AS t WHERE t.kind = " G_STRINGIFY (kind) \
  " AND t.key = " param ")"
  G_STATIC_ASSERT (MP_LIST_THEMES == 3 && MP_LIST_TARGET_GROUPS == 4 && MP_LIST_REGIONS == 1);
  if (key & QUERY_THEME)
    g_string_append_printf (sql, TAG_FILTER (3, ":theme"), rowid);
  if (key & QUERY_TARGET_GROUP)
    g_string_append_printf (sql, TAG_FILTER (4, ":target_group"), rowid);
  if (key & QUERY_REGION)
    g_string_append_printf (sql, TAG_FILTER (1, ":region"), rowid);
#undef TAG_FILTER

  if (key & QUERY_UNRANKED)
    g_string_append (sql, " ORDER BY models_fts.rowid DESC");
  else if (key & QUERY_TEXT)
    g_string_append (sql, " ORDER BY bm25 (models_fts, 10.0, 5.0, 1.0), models_fts.rowid");
  else
    g_string_append (sql, " ORDER BY m.title COLLATE NOCASE, m.rowid");

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static MpCachedStmt *
get_query_stmt (MpStore  *self,
                guint     key,
                GError  **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->query_stmts, GUINT_TO_POINTER (key));

  if (stmt == NULL)
    {
      g_autofree char *sql = build_query_sql (key);

      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          set_db_error (self, error);
          return NULL;
        }
      g_hash_table_insert (self->query_stmts, GUINT_TO_POINTER (key), stmt);
    }

  return stmt;
}

/* Deleting takes the model out of the search index, restoring puts it
 * back from its document; the caller holds the transaction. */
static gboolean
set_deleted_in_transaction (MpStore     *self,
                            const char  *id,
                            gboolean     deleted,
                            gboolean    *changed,
                            GError     **error)
{
  g_autoptr(MpModel) model = NULL;
  gint64 rowid;

  *changed = FALSE;

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_MODEL_STATE, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step (stmt))
      {
      case SQLITE_ROW:
        break;
      case SQLITE_DONE:
        g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, _("There is no model with the id %s."), id);
        return FALSE;
      default:
        return set_db_error (self, error);
      }

    if (deleted && sqlite3_column_int64 (stmt, 0) > 0)
      {
        g_set_error_literal (error, MP_ERROR, MP_ERROR_FORBIDDEN,
                             _("Published models cannot be deleted here."));
        return FALSE;
      }
    if ((sqlite3_column_int (stmt, 1) != 0) == deleted)
      return TRUE;

    rowid = sqlite3_column_int64 (stmt, 2);
    if (!deleted &&
        !(model = mp_model_from_json_string (column_text (stmt, 3), sqlite3_column_bytes (stmt, 3), error)))
      return FALSE;
  }

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_SET_DELETED, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rowid);
    sqlite3_bind_int (stmt, 2, deleted);
    if (!step_done (self, stmt, error))
      return FALSE;
  }

  if (!delete_fts (self, rowid, error) ||
      !unqueue_index (self, rowid, error) ||
      (model != NULL && !insert_fts (self, model, NULL, rowid, error)))
    return FALSE;

  *changed = TRUE;
  return TRUE;
}

static gboolean
set_deleted (MpStore     *self,
             const char  *id,
             gboolean     deleted,
             GError     **error)
{
  gboolean changed;

  if (!begin (self, error))
    return FALSE;
  if (!set_deleted_in_transaction (self, id, deleted, &changed, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  if (changed)
    g_signal_emit (self, signals[SIGNAL_MODEL_CHANGED], 0, id);
  return TRUE;
}

static gboolean
get_meta (MpStore     *self,
          const char  *key,
          char       **value,
          GError     **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_META_GET, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *value = g_strdup (column_text (stmt, 0));
      return TRUE;
    case SQLITE_DONE:
      *value = NULL;
      return TRUE;
    default:
      return set_db_error (self, error);
    }
}

static gboolean
set_meta (MpStore     *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gboolean
rename_if_exists (const char  *from,
                  const char  *to,
                  GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                 _("The file %s could not be moved aside: %s"), from, g_strerror (saved_errno));
  }
  return FALSE;
}

static gboolean
has_stale_index (MpStore   *self,
                 gboolean  *has,
                 GError   **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_HAS_STALE_FTS, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_db_error (self, error);
  *has = sqlite3_column_int (stmt, 0) > 0;
  return TRUE;
}

/* Empties the index and puts every live model in the backlog; the
 * caller holds the transaction. A new table rather than deleting the
 * rows matters: a delete analyses the stored text again, and after an
 * analyser change it would not find what the old analyser indexed. The
 * old table is renamed, not dropped: dropping reads every page of it
 * (a second for 10,000 models, while the window waits); the backlog's
 * steps empty it a little at a time and drop it at the end. The new
 * table is made from the old one's definition, so the migrations stay
 * its only source. From here on the index holds only rows the current
 * analyser wrote, which the meta key says. */
static gboolean
queue_reindex_in_transaction (MpStore  *self,
                              GError  **error)
{
  g_autofree char *create = NULL;
  gboolean has_stale;

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_FTS_SQL, error);

    if (stmt == NULL)
      return FALSE;
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return set_db_error (self, error);
    create = g_strdup (column_text (stmt, 0));
  }

  /* Another change of analyser before the last one's table was gone:
   * that one stays, and this one goes the slow way. */
  if (!has_stale_index (self, &has_stale, error))
    return FALSE;

  return exec_sql (self, has_stale ? "DROP TABLE models_fts" : "ALTER TABLE models_fts RENAME TO " STALE_FTS,
                   error) &&
         exec_sql (self, create, error) &&
         run_stmt (self, STMT_QUEUE_ALL, error) &&
         set_meta (self, META_SEARCH_ANALYSER, mp_analyser_get_signature (self->analyser), error);
}

static gboolean
queue_reindex (MpStore  *self,
               GError  **error)
{
  if (!begin (self, error))
    return FALSE;
  if (!queue_reindex_in_transaction (self, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_backlog (MpStore  *self,
               guint    *count,
               GError  **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_BACKLOG_COUNT, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_db_error (self, error);
  *count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Indexes one model of the backlog and takes it off; the caller holds
 * the transaction. */
static gboolean
index_queued_model (MpStore  *self,
                    gint64    rowid,
                    GError  **error)
{
  g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_INDEX_SOURCE, error);
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return unqueue_index (self, rowid, error);
    default:
      return set_db_error (self, error);
    }

  /* The search index holds live models only. */
  if (sqlite3_column_int (stmt, 0) != 0)
    return unqueue_index (self, rowid, error);

  model = mp_model_from_json_string (column_text (stmt, 1), sqlite3_column_bytes (stmt, 1), &local_error);
  g_clear_pointer (&stmt, mp_cached_stmt_reset);
  /* A document the store wrote always reads back; should one not, the
   * rest of the bank is still worth finding. */
  if (model == NULL)
    {
      g_warning ("Model %" G_GINT64_FORMAT " left out of the search index: %s",
                 rowid, local_error->message);
      return unqueue_index (self, rowid, error);
    }

  return delete_fts (self, rowid, error) &&
         insert_fts (self, model, NULL, rowid, error) &&
         unqueue_index (self, rowid, error);
}

/* Takes part of the stale index away, in proportion to the models
 * indexed (a model has about three blocks of index), and the rest with
 * the table once the backlog is empty. */
static gboolean
clear_stale_index (MpStore   *self,
                   guint      max_models,
                   gboolean   backlog_done,
                   GError   **error)
{
  gboolean has_stale;

  if (!has_stale_index (self, &has_stale, error))
    return FALSE;
  if (!has_stale)
    return TRUE;
  if (backlog_done)
    {
      g_autoptr(GError) local_error = NULL;

      /* Should FTS5 not manage to drop what is left of it, the table is
       * in nobody's way: the backlog must not get stuck on it. */
      if (!exec_sql (self, "SAVEPOINT stale", error))
        return FALSE;
      if (!exec_sql (self, "DROP TABLE " STALE_FTS, &local_error))
        {
          g_message ("The old search index of %s stays: %s", self->path, local_error->message);
          exec_sql (self, "ROLLBACK TO stale", NULL);
        }
      return exec_sql (self, "RELEASE stale", error);
    }

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_CLEAR_STALE_CONTENT, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, max_models);
    if (!step_done (self, stmt, error))
      return FALSE;
  }
  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_CLEAR_STALE_DATA, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, (gint64) max_models * 4);
    return step_done (self, stmt, error);
  }
}

static gboolean
index_backlog_step (MpStore  *self,
                    guint     max_models,
                    guint    *remaining,
                    GError  **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!begin_after_waiting_writers (self, error))
    return FALSE;

  {
    /* Read first, then write: the rows are taken off the table read. */
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_BACKLOG_NEXT, error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, max_models);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 rowid = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (rowids, rowid);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (self, error);
        goto failed;
      }
  }

  for (guint i = 0; i < rowids->len; i++)
    if (!index_queued_model (self, g_array_index (rowids, gint64, i), error))
      goto failed;

  if (!count_backlog (self, remaining, error) ||
      !clear_stale_index (self, max_models, *remaining == 0, error) ||
      !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

static gboolean
drain_backlog (MpStore  *self,
               GError  **error)
{
  guint remaining;

  do
    if (!index_backlog_step (self, INDEX_CHUNK, &remaining, error))
      return FALSE;
  while (remaining > 0);
  return TRUE;
}

/* An index built by another analyser (an older version, a dictionary
 * that came or went, migration 4) gives other terms for the same text:
 * deleting from it would leave stale terms behind, so it is made anew.
 * Not here, though, unless the bank is small: analysing 10,000 models
 * takes seconds, and the window should not wait for them. */
static gboolean
ensure_search_index (MpStore  *self,
                     GError  **error)
{
  g_autofree char *built_with = NULL;
  guint backlog;

  if (!get_meta (self, META_SEARCH_ANALYSER, &built_with, error))
    return FALSE;
  if (g_strcmp0 (built_with, mp_analyser_get_signature (self->analyser)) == 0)
    return TRUE;

  if (!queue_reindex (self, error) || !count_backlog (self, &backlog, error))
    return FALSE;
  if (backlog <= INDEX_CHUNK)
    return index_backlog_step (self, INDEX_CHUNK, &backlog, error);

  g_message ("The search index of %s will be rebuilt in the background for %s", self->path,
             mp_analyser_get_signature (self->analyser));
  return TRUE;
}

/* snippet() marks hits with \2 and \3; the text between is escaped.
 * Stray marks in the text itself are dropped, so the markup is always
 * well formed. */
static char *
snippet_to_markup (const char *snippet)
{
  GString *markup = g_string_new (NULL);
  gboolean bold = FALSE;
  const char *p = snippet;

  while (*p != '\0')
    {
      gsize span = strcspn (p, "\2\3");

      if (span > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (p, span);

          g_string_append (markup, escaped);
          p += span;
          continue;
        }
      if (*p == '\2' && !bold)
        {
          g_string_append (markup, "<b>");
          bold = TRUE;
        }
      else if (*p == '\3' && bold)
        {
          g_string_append (markup, "</b>");
          bold = FALSE;
        }
      p++;
    }
  if (bold)
    g_string_append (markup, "</b>");

  return g_string_free (markup, FALSE);
}

/* GObject overrides */

static void
mp_store_finalize (GObject *object)
{
  MpStore *self = (MpStore *) object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->query_stmts, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->title_db, sqlite3_close);
  g_clear_pointer (&self->analyser, mp_analyser_unref);
  g_clear_pointer (&self->title_analyser, mp_analyser_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (mp_store_parent_class)->finalize (object);
}

static void
mp_store_class_init (MpStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mp_store_finalize;

  /**
   * MpStore::model-changed:
   * @id: the id of the model that was saved, deleted or restored
   */
  signals[SIGNAL_MODEL_CHANGED] =
    g_signal_new ("model-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * MpStore::bank-changed:
   *
   * Many models changed at once (an import or a purge).
   */
  signals[SIGNAL_BANK_CHANGED] =
    g_signal_new ("bank-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mp_store_init (MpStore *self)
{
  self->query_stmts = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  self->search_language = mp_language_from_locale ();
}

/* public API */

/**
 * mp_store_default_path:
 *
 * Returns: (transfer full): where the bank lives, under XDG_DATA_HOME
 */
char *
mp_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "mallipaja", "bank.sqlite", NULL);
}

/**
 * mp_store_open:
 * @path: the bank file
 * @error: MP_ERROR_CORRUPT, MP_ERROR_TOO_NEW or MP_ERROR_FAILED
 *
 * Opens (creating when missing) and migrates the bank at @path.
 *
 * Returns: (transfer full): the store, or %NULL
 */
MpStore *
mp_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(MpStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                   _("The folder %s could not be created: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS) && !check_existing_bank (path, error))
    return NULL;

  self = g_object_new (MP_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      if (self->db == NULL)
        {
          g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                       _("The model bank at %s could not be opened: %s"), path, sqlite3_errstr (rc));
          return NULL;
        }
      set_db_error (self, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);

  /* The search index's tokenizer, before any migration touches it. */
  self->analyser = mp_analyser_new ();
  if (!(self->tokenizer = mp_fts_tokenizer_register (self->db, self->analyser, error)))
    return NULL;

  if (!configure (self, error) || !migrate (self, error) || !ensure_search_index (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
mp_store_get_path (MpStore *self)
{
  g_return_val_if_fail (MP_IS_STORE (self), NULL);

  return self->path;
}

/**
 * mp_store_set_aside:
 * @path: a bank file that could not be opened
 * @new_path: (out) (optional): where it went
 * @error: a place for an error
 *
 * Renames the file (and its -wal and -shm companions) to
 * `<path>.broken-YYYYMMDD-HHMMSS`; nothing is deleted.
 */
gboolean
mp_store_set_aside (const char  *path,
                    char       **new_path,
                    GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.broken-%s", path, stamp);
  static const char * const companions[] = { "-wal", "-shm", "-journal" };

  g_return_val_if_fail (path != NULL, FALSE);

  /* Two failures within a second must not overwrite the first copy. */
  for (guint i = 2; g_file_test (target, G_FILE_TEST_EXISTS); i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.broken-%s-%u", path, stamp, i);
    }

  if (g_rename (path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
                   _("The file %s could not be moved aside: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (target, companions[i], NULL);

      if (!rename_if_exists (from, to, error))
        return FALSE;
    }

  if (new_path != NULL)
    *new_path = g_steal_pointer (&target);
  return TRUE;
}

int
mp_store_get_schema_version (MpStore *self)
{
  int version = 0;

  g_return_val_if_fail (MP_IS_STORE (self), 0);

  if (pragma_int (self->db, "PRAGMA user_version", &version) != SQLITE_OK)
    return 0;
  return version;
}

guint
mp_store_count (MpStore *self)
{
  g_autoptr(MpCachedStmt) stmt = NULL;

  g_return_val_if_fail (MP_IS_STORE (self), 0);

  if (!(stmt = get_stmt (self, STMT_COUNT, NULL)) || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

/**
 * mp_store_load_sample_bank:
 * @self: a store
 * @error: a place for an error
 *
 * Imports the embedded sample models, once per bank: a meta row
 * remembers it, so models the person deleted do not come back.
 */
gboolean
mp_store_load_sample_bank (MpStore  *self,
                           GError  **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *loaded = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  if (!get_meta (self, "sample-loaded", &loaded, error))
    return FALSE;
  if (g_strcmp0 (loaded, "1") == 0)
    return TRUE;

  bytes = g_resource_lookup_data (mp_core_get_resource (), CORE_RESOURCE_PREFIX "sample-bank.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  if (!(models = mp_models_from_data (data, size, error)))
    return FALSE;

  if (!begin (self, error))
    return FALSE;
  if (!import_in_transaction (self, models, error) ||
      !set_meta (self, "sample-loaded", "1", error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
  return TRUE;
}

/**
 * mp_store_save_model:
 * @self: a store
 * @model: the model to write
 * @error: MP_ERROR_INVALID naming the field, or MP_ERROR_FAILED
 *
 * Validates @model and writes it with its tags and search index in one
 * transaction; emits "model-changed".
 */
gboolean
mp_store_save_model (MpStore  *self,
                     MpModel  *model,
                     GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  if (!begin (self, error))
    return FALSE;
  /* sync: the edit is queued in the same transaction as the save, so an
   * acknowledged save is never lost to the platform. */
  if (!mp_sync_store_enqueue_save (self, model, error) ||
      !save_model_in_transaction (self, model, NULL, FALSE, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_MODEL_CHANGED], 0, mp_model_get_id (model));
  return TRUE;
}

/**
 * mp_store_import_models:
 * @self: a store
 * @models: (element-type MpModel): the models
 * @error: the first problem, naming the model
 *
 * Saves every model or none; emits "bank-changed" once.
 */
gboolean
mp_store_import_models (MpStore    *self,
                        GPtrArray  *models,
                        GError    **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (models != NULL, FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!import_in_transaction (self, models, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
  return TRUE;
}

/**
 * mp_store_load_model:
 * @self: a store
 * @id: a model id
 * @error: MP_ERROR_NOT_FOUND, or the document's problem
 *
 * Returns: (transfer full): the model, or %NULL
 */
MpModel *
mp_store_load_model (MpStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(MpCachedStmt) stmt = NULL;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = get_stmt (self, STMT_LOAD_DOC, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return mp_model_from_json_string (column_text (stmt, 0), sqlite3_column_bytes (stmt, 0), error);
    case SQLITE_DONE:
      g_set_error (error, MP_ERROR, MP_ERROR_NOT_FOUND, _("There is no model with the id %s."), id);
      return NULL;
    default:
      set_db_error (self, error);
      return NULL;
    }
}

gboolean
mp_store_delete_model (MpStore     *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return set_deleted (self, id, TRUE, error);
}

gboolean
mp_store_restore_model (MpStore     *self,
                        const char  *id,
                        GError     **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return set_deleted (self, id, FALSE, error);
}

gboolean
mp_store_purge_deleted (MpStore  *self,
                        GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  /* model_tags rows go with their model through ON DELETE CASCADE; its
   * queued edits must go too, or a purged draft would be sent. */
  if (!run_stmt (self, STMT_PURGE_FTS, error) ||
      !mp_sync_store_forget_deleted (self, error) ||
      !run_stmt (self, STMT_PURGE_MODELS, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
  return TRUE;
}

/* Binds what @key says @query filters on and collects the rowids. */
static gboolean
collect_rowids (sqlite3_stmt   *stmt,
                guint           key,
                const MpQuery  *query,
                const char     *match,
                GArray         *rowids)
{
  int rc;

  if (key & (QUERY_TEXT | QUERY_EXCLUDE))
    bind_text (stmt, ":match", match);
  if (key & QUERY_STAGE)
    bind_int64 (stmt, ":stage", query->min_stage);
  if (key & QUERY_THEME)
    bind_text (stmt, ":theme", query->theme);
  if (key & QUERY_TARGET_GROUP)
    bind_text (stmt, ":target_group", query->target_group);
  if (key & QUERY_REGION)
    bind_text (stmt, ":region", query->region);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  return rc == SQLITE_DONE;
}

static GArray *
run_query (MpStore        *self,
           guint           key,
           const MpQuery  *query,
           const char     *match,
           GError        **error)
{
  g_autoptr(MpCachedStmt) stmt = NULL;
  g_autoptr(GArray) rowids = NULL;

  if (!(stmt = get_query_stmt (self, key, error)))
    return NULL;

  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!collect_rowids (stmt, key, query, match, rowids))
    {
      set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&rowids);
}

/* The title pass of a search: which hits have every word in the title.
 * When a word matches tens of thousands of models, this pass and the
 * main one each read the same long lists from the index (at 100,000
 * models they make the slowest keystrokes); on a second connection in a
 * thread of its own the two overlap. */
typedef struct {
  sqlite3 *db;
  guint key;
  const MpQuery *query;
  char *match;
  GArray *rowids;   /* NULL when the pass failed */
  GThread *thread;
} TitlePass;

static gpointer
title_pass_run (gpointer data)
{
  TitlePass *pass = data;
  g_autofree char *sql = build_query_sql (pass->key);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (pass->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      pass->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!collect_rowids (stmt, pass->key, pass->query, pass->match, pass->rowids))
        g_clear_pointer (&pass->rowids, g_array_unref);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Few enough title hits are ranked, as rank_title_hits_first() would */
  if (pass->rowids != NULL && pass->rowids->len <= RANK_LIMIT)
    {
      g_autofree char *ranked_sql = build_query_sql (pass->key & ~QUERY_UNRANKED);

      g_clear_pointer (&pass->rowids, g_array_unref);
      if (sqlite3_prepare_v2 (pass->db, ranked_sql, -1, &stmt, NULL) == SQLITE_OK)
        {
          pass->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
          if (!collect_rowids (stmt, pass->key & ~QUERY_UNRANKED, pass->query, pass->match, pass->rowids))
            g_clear_pointer (&pass->rowids, g_array_unref);
        }
      sqlite3_finalize (stmt);
    }
  return NULL;
}

static sqlite3 *
get_title_db (MpStore *self)
{
  sqlite3 *db = NULL;

  if (self->title_db != NULL || self->title_db_failed)
    return self->title_db;

  /* Only the document's search language needs the tokenizer's state;
   * a query is read word by word as written (MP_ANALYSE_SURFACE). */
  self->title_db_failed = TRUE;
  /* Another connection to an in-memory bank would be another bank */
  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR) ||
      sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  self->title_analyser = mp_analyser_new ();
  if (mp_fts_tokenizer_register (db, self->title_analyser, NULL) == NULL ||
      sqlite3_exec (db, "PRAGMA busy_timeout = 5000", NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  self->title_db_failed = FALSE;
  self->title_db = db;
  return db;
}

/* Starts the title pass of a text query beside the main pass; NULL when
 * there is no second connection. */
static TitlePass *
title_pass_start (MpStore        *self,
                  guint           key,
                  const MpQuery  *query,
                  const char     *match)
{
  TitlePass *pass;
  sqlite3 *db;

  if ((db = get_title_db (self)) == NULL)
    return NULL;

  pass = g_new0 (TitlePass, 1);
  pass->db = db;
  pass->key = key | QUERY_UNRANKED;
  pass->query = query;
  pass->match = g_strdup_printf ("{title} : (%s)", match);
  pass->thread = g_thread_new ("mp-title-pass", title_pass_run, pass);
  return pass;
}

/* Waits for the pass; returns its rowids (NULL when it failed). */
static GArray *
title_pass_finish (TitlePass *pass)
{
  GArray *rowids;

  if (pass == NULL)
    return NULL;
  g_thread_join (pass->thread);
  rowids = pass->rowids;
  g_free (pass->match);
  g_free (pass);
  return rowids;
}

/* Titles are short, so ranking only the title hits stays cheap when the
 * whole text matches too many models to rank them all. */
static GArray *
rank_title_hits_first (MpStore        *self,
                       guint           key,
                       const MpQuery  *query,
                       const char     *match,
                       GArray         *all,
                       GArray         *title_pass,
                       GError        **error)
{
  g_autoptr(GArray) hits = all;
  g_autofree char *title_match = g_strdup_printf ("{title} : (%s)", match);
  g_autoptr(GArray) title_hits = title_pass;
  g_autoptr(GHashTable) seen = NULL;
  GArray *rowids;

  /* Even the titles may match thousands ("k"): then they come newest
   * first too, ahead of the rest. */
  if (title_hits == NULL &&
      !(title_hits = run_query (self, key | QUERY_UNRANKED, query, title_match, error)))
    return NULL;
  if (title_pass == NULL && title_hits->len <= RANK_LIMIT)
    {
      g_clear_pointer (&title_hits, g_array_unref);
      if (!(title_hits = run_query (self, key, query, title_match, error)))
        return NULL;
    }

  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), hits->len);
  for (guint i = 0; i < title_hits->len; i++)
    {
      gint64 *rowid = &g_array_index (title_hits, gint64, i);

      g_hash_table_add (seen, rowid);
      g_array_append_val (rowids, *rowid);
    }
  for (guint i = 0; i < hits->len; i++)
    {
      gint64 rowid = g_array_index (hits, gint64, i);

      if (!g_hash_table_contains (seen, &rowid))
        g_array_append_val (rowids, rowid);
    }
  return rowids;
}

/**
 * mp_store_query:
 * @self: a store
 * @query: (nullable): what to show; %NULL for everything
 * @error: a place for an error
 *
 * Without text the models come by title. With text they come best
 * first (bm25, title weighing most), unless more than RANK_LIMIT match:
 * then the title hits come first, ranked, and the rest newest first, as
 * ranking them all would outlast a keystroke.
 * Text with only exclusions ("-lapsi") lists the rest by title.
 * See build_match() for what the text may say.
 *
 * Returns: (transfer full) (element-type gint64): rowids
 */
GArray *
mp_store_query (MpStore        *self,
                const MpQuery  *query,
                GError        **error)
{
  g_autoptr(GArray) rowids = NULL;
  g_autofree char *match = NULL;
  gboolean exclude_only;
  guint key = 0;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);

  if (query != NULL)
    {
      if ((match = build_match (self, query->text, &exclude_only)))
        key |= exclude_only ? QUERY_EXCLUDE : QUERY_TEXT;
      if (query->min_stage > MP_STAGE_NONE)
        key |= QUERY_STAGE;
      if (has_text (query->theme))
        key |= QUERY_THEME;
      if (has_text (query->target_group))
        key |= QUERY_TARGET_GROUP;
      if (has_text (query->region))
        key |= QUERY_REGION;
      if (query->publication > MP_PUBLICATION_ANY && query->publication <= MP_PUBLICATION_UNFINISHED)
        key |= (guint) query->publication << QUERY_PUBLICATION_SHIFT;
    }

  if (key & QUERY_TEXT)
    {
      /* Matching alone is cheap; rank only when there are few enough.
       * Whether there are is known only after this pass, so the title
       * pass starts beside it, at the price of a second core's work. */
      TitlePass *pass = title_pass_start (self, key, query, match);
      g_autoptr(GArray) title_hits = NULL;

      rowids = run_query (self, key | QUERY_UNRANKED, query, match, error);
      title_hits = title_pass_finish (pass);
      if (rowids == NULL)
        return NULL;
      if (rowids->len > RANK_LIMIT)
        return rank_title_hits_first (self, key, query, match, g_steal_pointer (&rowids),
                                      g_steal_pointer (&title_hits), error);
      g_clear_pointer (&rowids, g_array_unref);
    }

  return run_query (self, key, query, match, error);
}

/**
 * mp_store_get_summary:
 * @self: a store
 * @rowid: a rowid from mp_store_query()
 *
 * Returns: (transfer full) (nullable): the list row's data
 */
MpModelSummary *
mp_store_get_summary (MpStore *self,
                      gint64   rowid)
{
  g_autoptr(MpCachedStmt) stmt = NULL;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);

  if (!(stmt = get_stmt (self, STMT_SUMMARY, NULL)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return summary_from_row (stmt);
}

/**
 * mp_store_get_summary_by_id:
 * @self: a store
 * @id: a model id
 *
 * Returns: (transfer full) (nullable): the summary, %NULL when there is
 *   no such model or it was deleted
 */
MpModelSummary *
mp_store_get_summary_by_id (MpStore    *self,
                            const char *id)
{
  g_autoptr(MpCachedStmt) stmt = NULL;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = get_stmt (self, STMT_SUMMARY_BY_ID, NULL)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return summary_from_row (stmt);
}

/**
 * mp_store_list_derived:
 * @self: a store
 * @id: a model id
 * @error: a place for an error
 *
 * Returns: (transfer full) (element-type MpModelSummary): the models
 *   based on @id, by title
 */
GPtrArray *
mp_store_list_derived (MpStore     *self,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(MpCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) derived = NULL;
  int rc;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = get_stmt (self, STMT_DERIVED, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  derived = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (derived, summary_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&derived);
}

/* sync (issue 4) */

/**
 * mp_store_get_db:
 * @self: a store
 *
 * Returns: (transfer none): the connection, for mp-sync-store.c only; use
 *   it from the thread that uses the store
 */
struct sqlite3 *
mp_store_get_db (MpStore *self)
{
  g_return_val_if_fail (MP_IS_STORE (self), NULL);

  return self->db;
}

gboolean
mp_store_begin (MpStore  *self,
                GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  return begin (self, error);
}

gboolean
mp_store_commit (MpStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  return commit (self, error);
}

void
mp_store_rollback (MpStore *self)
{
  g_return_if_fail (MP_IS_STORE (self));

  rollback (self);
}

/**
 * mp_store_write_synced_model:
 * @self: a store
 * @model: a model as it came from (or was merged with) the platform
 * @error: a place for an error
 *
 * Writes @model like mp_store_save_model() but without queueing it for the
 * platform, inside the caller's transaction; emits nothing.
 */
gboolean
mp_store_write_synced_model (MpStore  *self,
                             MpModel  *model,
                             GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  return save_model_in_transaction (self, model, NULL, TRUE, error);
}

/**
 * mp_store_write_synced_model_text:
 * @self: a store
 * @model: a model read by mp_model_from_json(), which validated it
 * @document: its document, mp_model_to_json_string (@model, FALSE)
 * @error: a place for an error
 *
 * mp_store_write_synced_model() for a model whose document was made
 * already, outside the transaction (the sync does it while the page
 * before is written): neither validated nor serialised again here.
 */
gboolean
mp_store_write_synced_model_text (MpStore     *self,
                                  MpModel     *model,
                                  const char  *document,
                                  GError     **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);

  return save_model_in_transaction (self, model, document, TRUE, error);
}

/**
 * mp_store_remove_synced_model:
 * @self: a store
 * @id: a model id
 * @error: a place for an error
 *
 * Removes the model for good (the platform deleted it or hid it from this
 * user), inside the caller's transaction. A missing model is no error.
 */
gboolean
mp_store_remove_synced_model (MpStore     *self,
                              const char  *id,
                              GError     **error)
{
  gint64 rowid;

  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  {
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_MODEL_STATE, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step (stmt))
      {
      case SQLITE_ROW:
        rowid = sqlite3_column_int64 (stmt, 2);
        break;
      case SQLITE_DONE:
        return TRUE;
      default:
        return set_db_error (self, error);
      }
  }

  if (!delete_fts (self, rowid, error))
    return FALSE;

  {
    /* model_tags rows go with the model through ON DELETE CASCADE. */
    g_autoptr(MpCachedStmt) stmt = get_stmt (self, STMT_REMOVE_MODEL, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rowid);
    return step_done (self, stmt, error);
  }
}

void
mp_store_emit_changed (MpStore    *self,
                       const char *id)
{
  g_return_if_fail (MP_IS_STORE (self));

  if (id != NULL)
    g_signal_emit (self, signals[SIGNAL_MODEL_CHANGED], 0, id);
  else
    g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
}

/**
 * mp_store_reindex:
 * @self: a store
 * @error: a place for an error
 *
 * Builds the search index anew from the models' documents
 * (`mallipaja --reindex`): mp_store_queue_reindex(), then the whole
 * backlog, a chunk per transaction. Should it be stopped, the backlog
 * says what is left. The store queues a reindex by itself when it opens
 * a bank indexed by another analyser. Emits "bank-changed".
 */
gboolean
mp_store_reindex (MpStore  *self,
                  GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  if (!queue_reindex (self, error) || !drain_backlog (self, error))
    return FALSE;

  g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
  return TRUE;
}

/**
 * mp_store_get_search_degraded:
 * @self: a store
 *
 * Returns: %TRUE when Voikko's Finnish dictionary could not be loaded:
 *   Finnish words then match only by their beginnings ("lapsi" does not
 *   find "lasten"). The interface may say so, quietly.
 */
gboolean
mp_store_get_search_degraded (MpStore *self)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  return !mp_analyser_has_voikko (self->analyser);
}

/**
 * mp_store_set_search_language:
 * @self: a store
 * @language: (nullable): the interface language ("fi", "sv", "en", or a
 *   locale name such as "sv_FI.UTF-8"); %NULL for the user's locale
 *
 * Search text is read as Finnish and as this language.
 */
void
mp_store_set_search_language (MpStore    *self,
                              const char *language)
{
  g_return_if_fail (MP_IS_STORE (self));

  self->search_language = language != NULL ? mp_language_from_code (language)
                                           : mp_language_from_locale ();
}

/**
 * mp_store_snippet:
 * @self: a store
 * @rowid: a rowid from mp_store_query()
 * @text: the search text given to mp_store_query()
 *
 * The passage of the model that best matches @text, for the list row:
 * Pango markup with the hits in `<b>…</b>` and the rest escaped, "…"
 * where it was cut.
 *
 * Returns: (transfer full) (nullable): markup, or %NULL when @text
 *   searches for nothing or the model does not match it
 */
char *
mp_store_snippet (MpStore    *self,
                  gint64      rowid,
                  const char *text)
{
  g_autoptr(MpCachedStmt) source = NULL;
  g_autoptr(MpCachedStmt) insert = NULL;
  g_autoptr(MpCachedStmt) stmt = NULL;
  g_autofree char *match = NULL;
  char *markup = NULL;
  gboolean exclude_only;

  g_return_val_if_fail (MP_IS_STORE (self), NULL);

  if (!(match = build_match (self, text, &exclude_only)) || exclude_only)
    return NULL;

  /* snippet() on the bank's index would expand every prefix over the
   * whole bank (50 ms for "perhe" in 10,000 models) for the sake of one
   * row. The row alone goes into a table of its own, analysed as in the
   * index, and is taken out again by the rollback. */
  if (!self->has_snippet_table &&
      !(self->has_snippet_table = exec_sql (self, "CREATE VIRTUAL TABLE temp.snippet_fts USING fts5"
                                                  " (title, summary, body, tokenize = '" MP_FTS_TOKENIZER_NAME "')",
                                            NULL)))
    return NULL;
  if (!(source = get_stmt (self, STMT_SNIPPET_SOURCE, NULL)) ||
      !(insert = get_stmt (self, STMT_SNIPPET_INSERT, NULL)) ||
      !(stmt = get_stmt (self, STMT_SNIPPET, NULL)))
    return NULL;

  sqlite3_bind_int64 (source, 1, rowid);
  if (sqlite3_step (source) != SQLITE_ROW)
    return NULL;
  if (!exec_sql (self, "SAVEPOINT snippet", NULL))
    return NULL;

  mp_fts_tokenizer_set_language (self->tokenizer, mp_language_from_code (column_text (source, 3)));
  for (int i = 0; i < 3; i++)
    sqlite3_bind_value (insert, i + 1, sqlite3_column_value (source, i));
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (insert) == SQLITE_DONE &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    markup = snippet_to_markup (column_text (stmt, 0));

  sqlite3_reset (stmt);
  exec_sql (self, "ROLLBACK TO snippet", NULL);
  exec_sql (self, "RELEASE snippet", NULL);
  return markup;
}

/* index backlog (issue 5) */

/**
 * mp_store_set_defer_index:
 * @self: a store
 * @defer: whether to leave indexing to the backlog
 *
 * While deferred, mp_store_write_synced_model() and the imports put the
 * model in the index backlog, in the same transaction as its document,
 * instead of indexing it: a sync pull of thousands of models then costs
 * the writing only, and MpIndexer catches up. The model's old index
 * entry is taken out at once, so it is never found by text it no longer
 * has. A person's edits (mp_store_save_model()) are always indexed.
 */
void
mp_store_set_defer_index (MpStore  *self,
                          gboolean  defer)
{
  g_return_if_fail (MP_IS_STORE (self));

  self->defer_index = !!defer;
}

gboolean
mp_store_get_defer_index (MpStore *self)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  return self->defer_index;
}

/**
 * mp_store_count_index_backlog:
 * @self: a store
 *
 * Returns: how many models wait to be (re)indexed
 */
guint
mp_store_count_index_backlog (MpStore *self)
{
  guint count = 0;

  g_return_val_if_fail (MP_IS_STORE (self), 0);

  if (!count_backlog (self, &count, NULL))
    return 0;
  return count;
}

/**
 * mp_store_index_backlog_step:
 * @self: a store
 * @max_models: how many models to index at most
 * @remaining: (out) (optional): how many are left after this step
 * @error: a place for an error
 *
 * Indexes the first @max_models of the backlog in one transaction. Safe
 * on a second store opened on the same file, from another thread: the
 * connections share nothing, and the transaction holds the write lock as
 * long as indexing @max_models takes (INDEX_CHUNK models, a few hundred
 * milliseconds), which the other connection's busy_timeout waits for.
 * Emits nothing: the caller tells the store that shows the bank.
 */
gboolean
mp_store_index_backlog_step (MpStore  *self,
                             guint     max_models,
                             guint    *remaining,
                             GError  **error)
{
  guint left = 0;

  g_return_val_if_fail (MP_IS_STORE (self), FALSE);
  g_return_val_if_fail (max_models > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!index_backlog_step (self, max_models, &left, error))
    return FALSE;
  if (remaining != NULL)
    *remaining = left;
  return TRUE;
}

/**
 * mp_store_queue_reindex:
 * @self: a store
 * @error: a place for an error
 *
 * Empties the search index and puts every live model in the backlog, in
 * one transaction of a few milliseconds; MpIndexer or
 * mp_store_index_backlog_step() does the rest. Emits "bank-changed": the
 * search finds nothing until the backlog is worked through.
 */
gboolean
mp_store_queue_reindex (MpStore  *self,
                        GError  **error)
{
  g_return_val_if_fail (MP_IS_STORE (self), FALSE);

  if (!queue_reindex (self, error))
    return FALSE;

  g_signal_emit (self, signals[SIGNAL_BANK_CHANGED], 0);
  return TRUE;
}
