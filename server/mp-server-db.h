/* mp-server-db.h — the platform's SQLite storage: models, revisions, the
 * change feed, tombstones and idempotency keys
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

/* The newest schema this build writes (PRAGMA user_version). */
#define MP_SERVER_DB_SCHEMA_VERSION 2

/* One connection. Each worker thread holds its own; WAL lets readers go on
 * while one writer commits. */
typedef struct _MpServerDb MpServerDb;

/* A cached prepared statement, reset and unbound when it goes out of scope. */
typedef sqlite3_stmt MpServerStmt;

/**
 * MpServerModelRow:
 * @id: the model's UUID
 * @revision: its current revision (≥ 1)
 * @seq: the change sequence number of its last change
 * @organisation: the owning organisation
 * @visibility: %MP_VISIBILITY_ORGANISATION or %MP_VISIBILITY_PUBLIC
 * @deleted: whether it was deleted (a tombstone)
 * @document: the current model document, as mp_model_to_json_string() wrote it
 *
 * The current state of one stored model.
 */
typedef struct {
  char         *id;
  gint64        revision;
  gint64        seq;
  char         *organisation;
  MpVisibility  visibility;
  gboolean      deleted;
  char         *document;
} MpServerModelRow;

void              mp_server_model_row_free        (MpServerModelRow *row);
/* Whether a caller of @organisation (NULL when anonymous) may read it. */
gboolean          mp_server_model_row_is_visible  (const MpServerModelRow *row,
                                                   const char             *organisation);

/* Called for each entry of the change feed; @document is NULL for a
 * tombstone. */
typedef void (*MpServerFeedFunc) (gint64      seq,
                                  const char *id,
                                  gint64      revision,
                                  const char *document,
                                  gsize       document_length,
                                  gpointer    user_data);

MpServerDb       *mp_server_db_open               (const char        *path,
                                                   GError           **error);
void              mp_server_db_close              (MpServerDb        *db);
int               mp_server_db_get_schema_version (MpServerDb        *db);

/* Prepared once per connection (keyed by the address of @sql, so pass a
 * string constant), then reused. */
MpServerStmt     *mp_server_db_prepare            (MpServerDb        *db,
                                                   const char        *sql,
                                                   GError           **error);
void              mp_server_stmt_release          (MpServerStmt      *stmt);
/* Steps a statement that returns no row. */
gboolean          mp_server_db_step_done          (MpServerDb        *db,
                                                   MpServerStmt      *stmt,
                                                   GError           **error);
void              mp_server_db_set_error          (MpServerDb        *db,
                                                   GError           **error);
int               mp_server_db_last_errcode       (MpServerDb        *db);

/* BEGIN IMMEDIATE: writers queue up at the start, so a transaction never
 * fails half-way because another writer got there first. */
gboolean          mp_server_db_begin              (MpServerDb        *db,
                                                   GError           **error);
gboolean          mp_server_db_commit             (MpServerDb        *db,
                                                   GError           **error);
void              mp_server_db_rollback           (MpServerDb        *db);

gint64            mp_server_db_ensure_organisation (MpServerDb       *db,
                                                   const char        *name,
                                                   GError           **error);
guint             mp_server_db_count_models       (MpServerDb        *db);

/* NULL with MP_ERROR_NOT_FOUND when no such model was ever stored. */
MpServerModelRow *mp_server_db_get_model          (MpServerDb        *db,
                                                   const char        *id,
                                                   GError           **error);
char             *mp_server_db_get_revision       (MpServerDb        *db,
                                                   const char        *id,
                                                   gint64             revision,
                                                   GError           **error);
/* Stores @model (already validated, revision set) as the model's current
 * revision and logs the change, including a tombstone for callers that lose
 * sight of it. @previous is the row before the write or NULL on creation.
 * Call inside a transaction. Returns the change sequence number, or 0. */
gint64            mp_server_db_store_model        (MpServerDb        *db,
                                                   MpModel           *model,
                                                   const MpServerModelRow *previous,
                                                   gint64             user_id,
                                                   char             **document,
                                                   GError           **error);
gint64            mp_server_db_delete_model       (MpServerDb        *db,
                                                   const MpServerModelRow *previous,
                                                   gint64             user_id,
                                                   GError           **error);
/* Stores models in one transaction, as new revisions where they exist;
 * models owned by unknown organisations create them. Private models are
 * skipped. */
gboolean          mp_server_db_import_models      (MpServerDb        *db,
                                                   GPtrArray         *models,
                                                   guint             *n_imported,
                                                   guint             *n_skipped,
                                                   GError           **error);

/* The models and tombstones after @since that a caller of @organisation
 * (NULL when anonymous) may see, in sequence order, at most @limit + 1 so
 * that the caller can tell whether there are more. */
gboolean          mp_server_db_read_feed          (MpServerDb        *db,
                                                   const char        *organisation,
                                                   gint64             since,
                                                   guint              limit,
                                                   MpServerFeedFunc   func,
                                                   gpointer           user_data,
                                                   GError           **error);
/* How many feed entries after @since the caller of @organisation may see:
 * what mp_server_db_read_feed() would give them all at once. */
gboolean          mp_server_db_count_feed         (MpServerDb        *db,
                                                   const char        *organisation,
                                                   gint64             since,
                                                   gint64            *count,
                                                   GError           **error);
/* The highest sequence number whose tombstone was pruned: a feed reader
 * with an older since may have missed one. */
gint64            mp_server_db_get_pruned_seq     (MpServerDb        *db,
                                                   GError           **error);
gboolean          mp_server_db_prune              (MpServerDb        *db,
                                                   gint64             tombstones_before,
                                                   gint64             idempotency_before,
                                                   GError           **error);

/* Idempotency: claims (@user_id, @key) inside the current transaction. FALSE
 * without error when the key was used before: the unique constraint said
 * so. */
gboolean          mp_server_db_claim_idempotency  (MpServerDb        *db,
                                                   gint64             user_id,
                                                   const char        *key,
                                                   const char        *request_hash,
                                                   GError           **error);
gboolean          mp_server_db_get_idempotency    (MpServerDb        *db,
                                                   gint64             user_id,
                                                   const char        *key,
                                                   char             **request_hash,
                                                   guint             *status,
                                                   char             **answer,
                                                   GError           **error);
gboolean          mp_server_db_store_idempotency  (MpServerDb        *db,
                                                   gint64             user_id,
                                                   const char        *key,
                                                   guint              status,
                                                   const char        *answer,
                                                   GError           **error);

const char       *mp_server_visibility_key        (MpVisibility       visibility);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpServerDb, mp_server_db_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpServerStmt, mp_server_stmt_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpServerModelRow, mp_server_model_row_free)

G_END_DECLS
