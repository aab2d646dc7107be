/* mp-exchange.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mp-error.h"
#include "mp-exchange.h"
#include "mp-merge.h"
#include "mp-model-json.h"
#include "mp-sync-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define CHECKSUM_PREFIX "sha256:"

typedef struct {
  MpModel          *model;
  MpExchangeAction  action;
  /* A model edited on both sides: what both changed, what the file's copy
   * alone changed, and the merge to write. */
  GStrv             fields;
  GStrv             merged_fields;
  JsonObject       *merged;
  JsonArray        *conflicts;
} Entry;

struct _MpExchangeImport
{
  MpStore *store;
  GArray  *entries;   /* Entry */
};

/* private helpers */

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->model);
  g_clear_pointer (&entry->fields, g_strfreev);
  g_clear_pointer (&entry->merged_fields, g_strfreev);
  g_clear_pointer (&entry->merged, json_object_unref);
  g_clear_pointer (&entry->conflicts, json_array_unref);
}

/* The canonical bytes of the models array: compact JSON as json-glib
 * writes it, members in the documents' order. Reformatting the file
 * (indenting it, say) keeps the checksum; changing a value does not. */
static char *
checksum_models (JsonArray *models)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *canonical = NULL;
  g_autofree char *digest = NULL;
  gsize length = 0;

  json_node_set_array (node, models);
  json_generator_set_root (generator, node);
  canonical = json_generator_to_data (generator, &length);
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) canonical, length);

  return g_strconcat (CHECKSUM_PREFIX, digest, NULL);
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static gboolean
set_incomplete (GError **error)
{
  g_set_error_literal (error, MP_ERROR, MP_ERROR_CORRUPT,
                       _("The file is damaged or incomplete, perhaps cut short while it was "
                         "copied. Nothing was imported."));
  return FALSE;
}

/* Reads the stored document of @id (live or deleted), or NULL. */
static char *
stored_document (sqlite3     *db,
                 const char  *id,
                 gint64      *revision,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT doc, revision FROM models WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    goto failed;

  *revision = sqlite3_column_int64 (stmt, 1);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

failed:
  g_set_error (error, MP_ERROR, MP_ERROR_FAILED, _("The model bank could not be read: %s"),
               sqlite3_errmsg (db));
  return NULL;
}

/* The document the bank last had from the platform for @id, when the
 * sync keeps one no newer than @revision (the older of the two copies'
 * revisions): the platform's revisions follow each other, so it is an
 * ancestor of both copies. NULL when there is none (or no sync tables in
 * this bank). */
static char *
base_document (sqlite3    *db,
               const char *id,
               gint64      revision)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT base_doc FROM model_sync WHERE model_id = ?1"
                              " AND synced_revision > 0 AND synced_revision <= ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* Documents as this build writes them, so that older spellings of the
 * same values compare equal. */
static char *
normalise (const char *doc)
{
  g_autoptr(MpModel) model = NULL;

  if (doc == NULL || !(model = mp_model_from_json_string (doc, -1, NULL)))
    return g_strdup (doc);

  return mp_model_to_json_string (model, FALSE);
}

/* Where a merge field path ("summary", "stages.trials",
 * "characteristics.networked") comes in a document, so that the preview
 * and the conflict view go through a model from top to bottom. */
static guint
field_rank (const char *field)
{
  static GHashTable *keys;
  const char *dot = strchr (field, '.');
  g_autofree char *top = dot != NULL ? g_strndup (field, dot - field) : g_strdup (field);
  guint position;
  int sub = 0;

  if (g_once_init_enter (&keys))
    {
      g_autoptr(MpModel) model = mp_model_new ();
      g_autoptr(JsonNode) node = mp_model_to_json (model);
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));
      GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint index = 1;

      for (GList *l = members; l != NULL; l = l->next)
        g_hash_table_insert (table, g_strdup (l->data), GUINT_TO_POINTER (index++));
      g_once_init_leave (&keys, table);
    }

  if (dot != NULL && g_str_equal (top, "stages"))
    sub = mp_stage_from_key (dot + 1);
  else if (dot != NULL && g_str_equal (top, "characteristics"))
    mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, dot + 1, &sub);

  position = GPOINTER_TO_UINT (g_hash_table_lookup (keys, top));
  /* Keys this build does not write go last, in the merge's order. */
  if (position == 0)
    return G_MAXUINT;
  return position * 100 + (guint) MAX (sub, 0);
}

static int
compare_fields (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  guint rank_a = field_rank (*(const char * const *) a);
  guint rank_b = field_rank (*(const char * const *) b);

  return rank_a < rank_b ? -1 : rank_a > rank_b;
}

static void
sort_fields (GStrv fields)
{
  g_qsort_with_data (fields, g_strv_length (fields), sizeof (char *), compare_fields, NULL);
}

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const char *field_a = json_object_get_string_member (*(JsonObject * const *) a, "field");
  const char *field_b = json_object_get_string_member (*(JsonObject * const *) b, "field");

  return compare_fields (&field_a, &field_b, NULL);
}

/* The conflict records in document order */
static JsonArray *
sort_records (JsonArray *records)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < json_array_get_length (records); i++)
    g_ptr_array_add (sorted, json_array_get_object_element (records, i));
  g_qsort_with_data (sorted->pdata, sorted->len, sizeof (gpointer), compare_records, NULL);
  for (guint i = 0; i < sorted->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (sorted, i)));
  return array;
}

/* Both copies were edited: merged as the sync merges, which also gives
 * what the preview shows. */
static gboolean
merge_entry (MpExchangeImport  *self,
             Entry             *entry,
             const char        *base,
             const char        *incoming,
             GError           **error)
{
  g_autoptr(JsonObject) base_object = parse_object (base);
  g_autoptr(JsonObject) theirs = parse_object (incoming);
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  guint n_conflicts;

  if (!mp_sync_store_merge_copy (self->store, base_object, theirs, &entry->merged, &entry->conflicts,
                                 &entry->merged_fields, error))
    return FALSE;

  {
    JsonArray *sorted = sort_records (entry->conflicts);

    json_array_unref (entry->conflicts);
    entry->conflicts = sorted;
  }
  sort_fields (entry->merged_fields);

  n_conflicts = json_array_get_length (entry->conflicts);
  /* "theirs" is the file's copy here, not the platform's: the conflict
   * view says so for as long as a later pull has not replaced it. */
  for (guint i = 0; i < n_conflicts; i++)
    {
      JsonObject *record = json_array_get_object_element (entry->conflicts, i);

      json_object_set_member (record, MP_EXCHANGE_CONFLICT_FROM_FILE,
                              json_node_copy (json_object_get_member (record, "theirs")));
      g_strv_builder_add (fields, json_object_get_string_member (record, "field"));
    }
  entry->fields = g_strv_builder_end (fields);

  if (n_conflicts > 0)
    entry->action = MP_EXCHANGE_CONFLICTING;
  else if (entry->merged_fields[0] != NULL)
    entry->action = MP_EXCHANGE_MERGED;
  else
    /* Whatever the file's copy changed, the bank's has too. */
    entry->action = MP_EXCHANGE_UNCHANGED;

  if (entry->action != MP_EXCHANGE_CONFLICTING)
    g_clear_pointer (&entry->fields, g_strfreev);
  if (entry->action == MP_EXCHANGE_UNCHANGED)
    {
      g_clear_pointer (&entry->merged_fields, g_strfreev);
      g_clear_pointer (&entry->merged, json_object_unref);
      g_clear_pointer (&entry->conflicts, json_array_unref);
    }
  return TRUE;
}

/* Compares the file's copy with the bank's; see MpExchangeAction. */
static gboolean
classify (MpExchangeImport  *self,
          Entry             *entry,
          GError           **error)
{
  sqlite3 *db = mp_store_get_db (self->store);
  const char *id = mp_model_get_id (entry->model);
  g_autofree char *incoming = mp_model_to_json_string (entry->model, FALSE);
  g_autofree char *stored = NULL;
  g_autofree char *stored_raw = NULL;
  g_autofree char *base = NULL;
  g_autoptr(JsonNode) open_conflicts = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 incoming_revision = mp_model_get_revision (entry->model);
  gint64 stored_revision = 0;

  /* Classified again when applied: start afresh. */
  g_clear_pointer (&entry->fields, g_strfreev);
  g_clear_pointer (&entry->merged_fields, g_strfreev);
  g_clear_pointer (&entry->merged, json_object_unref);
  g_clear_pointer (&entry->conflicts, json_array_unref);

  if (!(stored_raw = stored_document (db, id, &stored_revision, &local_error)))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      entry->action = MP_EXCHANGE_ADDED;
      return TRUE;
    }

  stored = normalise (stored_raw);
  if (g_strcmp0 (stored, incoming) == 0)
    {
      entry->action = MP_EXCHANGE_UNCHANGED;
      return TRUE;
    }

  if (incoming_revision < stored_revision)
    {
      entry->action = MP_EXCHANGE_OLDER;
      return TRUE;
    }

  /* Replacing or merging into a copy whose fields already hold two texts
   * would lose one of them. */
  if ((open_conflicts = mp_sync_store_get_conflicts (self->store, id)) != NULL)
    {
      entry->action = MP_EXCHANGE_UNRESOLVED;
      return TRUE;
    }

  {
    g_autofree char *base_raw = base_document (db, id, MIN (stored_revision, incoming_revision));

    base = base_raw != NULL ? normalise (base_raw) : NULL;
  }

  if (incoming_revision > stored_revision)
    {
      /* The platform moved on since the bank's copy. Without local edits
       * since that copy came (or no record of it), the bank's copy is the
       * file's ancestor. */
      if (base == NULL || g_strcmp0 (base, stored) == 0)
        {
          entry->action = MP_EXCHANGE_UPDATED;
          return TRUE;
        }
    }
  else if (base != NULL && g_strcmp0 (base, incoming) == 0)
    {
      /* The bank's copy is the file's plus local edits. */
      entry->action = MP_EXCHANGE_OLDER;
      return TRUE;
    }
  else if (base != NULL && g_strcmp0 (base, stored) == 0)
    {
      /* The file's copy was edited elsewhere from what the bank holds. */
      entry->action = MP_EXCHANGE_UPDATED;
      return TRUE;
    }

  /* Both edited since the platform's copy, or no ancestor to tell: as in
   * sync, neither may silently win. */
  return merge_entry (self, entry, base, incoming, error);
}

/* Writing */

/**
 * mp_exchange_to_data:
 * @models: (element-type MpModel): the models
 * @created: when, in UTC seconds since the epoch
 *
 * One document a line inside the "models" array, so that the file reads
 * and diffs well; see docs/exchange-format.md.
 *
 * Returns: (transfer full): the file's text
 */
char *
mp_exchange_to_data (GPtrArray *models,
                     gint64     created)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *created_text = NULL;
  g_autofree char *checksum = NULL;
  GString *data;

  g_return_val_if_fail (models != NULL, NULL);

  data = g_string_new ("{\n");
  created_text = format_time (created);
  g_string_append_printf (data, "  \"format\": \"%s\",\n", MP_EXCHANGE_FORMAT);
  g_string_append_printf (data, "  \"version\": %d,\n", MP_EXCHANGE_VERSION);
  g_string_append_printf (data, "  \"created\": \"%s\",\n", created_text);
  g_string_append_printf (data, "  \"generator\": \"Mallipaja %s\",\n", PACKAGE_VERSION);
  g_string_append (data, "  \"models\": [");
  for (guint i = 0; i < models->len; i++)
    {
      MpModel *model = g_ptr_array_index (models, i);
      g_autofree char *doc = mp_model_to_json_string (model, FALSE);

      g_string_append (data, i > 0 ? ",\n    " : "\n    ");
      g_string_append (data, doc);
      json_array_add_element (array, mp_model_to_json (model));
    }
  g_string_append (data, models->len > 0 ? "\n  ],\n" : "],\n");
  checksum = checksum_models (array);
  g_string_append_printf (data, "  \"checksum\": \"%s\"\n}\n", checksum);

  return g_string_free (data, FALSE);
}

gboolean
mp_exchange_write_file (GPtrArray   *models,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (models != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = mp_exchange_to_data (models, g_get_real_time () / G_USEC_PER_SEC);
  /* g_file_set_contents() writes a temporary file and renames it, so a
   * full USB stick never leaves half a file under the real name. */
  return g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/**
 * mp_exchange_export_rowids:
 * @store: the bank
 * @rowids: (element-type gint64): the selection
 * @path: the file to write
 * @error: a place for an error
 *
 * Returns: whether the file was written
 */
gboolean
mp_exchange_export_rowids (MpStore     *store,
                           GArray      *rowids,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (MP_IS_STORE (store), FALSE);
  g_return_val_if_fail (rowids != NULL, FALSE);

  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(MpModelSummary) summary = mp_store_get_summary (store, g_array_index (rowids, gint64, i));
      MpModel *model;

      if (summary == NULL)
        continue;
      if (!(model = mp_store_load_model (store, mp_model_summary_get_id (summary), error)))
        return FALSE;
      g_ptr_array_add (models, model);
    }

  return mp_exchange_write_file (models, path, error);
}

/* Reading */

/**
 * mp_exchange_import_new_from_data:
 * @store: the bank to compare with
 * @data: the file's bytes
 * @length: their length
 * @error: a place for an error
 *
 * Checks, in this order, that the file is whole JSON, an exchange file, of
 * a version this build reads, unchanged since it was written (checksum),
 * and that every model is valid; then compares each model with the bank.
 *
 * Returns: (transfer full): the prepared import, or %NULL
 */
MpExchangeImport *
mp_exchange_import_new_from_data (MpStore     *store,
                                  const char  *data,
                                  gsize        length,
                                  GError     **error)
{
  g_autoptr(MpExchangeImport) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *checksum = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonArray *models;
  const char *format, *expected;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > MP_EXCHANGE_MAX_SIZE)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_TOO_LARGE,
                   _("The file is too large to import (more than %u MiB)."),
                   (guint) (MP_EXCHANGE_MAX_SIZE / (1024 * 1024)));
      return NULL;
    }

  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_incomplete (error);
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "format");
  format = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
           json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
  if (g_strcmp0 (format, MP_EXCHANGE_FORMAT) != 0)
    {
      g_set_error_literal (error, MP_ERROR, MP_ERROR_INVALID,
                           _("This is not a Mallipaja exchange file."));
      return NULL;
    }

  node = json_object_get_member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1)
    {
      set_incomplete (error);
      return NULL;
    }
  if (json_node_get_int (node) > MP_EXCHANGE_VERSION)
    {
      g_set_error (error, MP_ERROR, MP_ERROR_TOO_NEW,
                   _("The file was written by a newer version of Mallipaja (exchange format %d). "
                     "Update Mallipaja to import it."),
                   (int) json_node_get_int (node));
      return NULL;
    }

  node = json_object_get_member (root, "models");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_incomplete (error);
      return NULL;
    }
  models = json_node_get_array (node);

  node = json_object_get_member (root, "checksum");
  expected = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
  if (expected == NULL)
    {
      set_incomplete (error);
      return NULL;
    }
  checksum = checksum_models (models);
  if (g_ascii_strcasecmp (checksum, expected) != 0)
    {
      g_set_error_literal (error, MP_ERROR, MP_ERROR_CORRUPT,
                           _("The file was changed or damaged after it was exported: its checksum "
                             "does not match its contents. Nothing was imported."));
      return NULL;
    }

  self = g_new0 (MpExchangeImport, 1);
  self->store = g_object_ref (store);
  self->entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), json_array_get_length (models));
  g_array_set_clear_func (self->entries, entry_clear);

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      g_autoptr(GError) local_error = NULL;
      Entry entry = { 0 };

      if (!(entry.model = mp_model_from_json (json_array_get_element (models, i), &local_error)))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Model %u of the file: %s"), i + 1, local_error->message);
          return NULL;
        }
      g_array_append_val (self->entries, entry);

      if (!g_hash_table_add (ids, (gpointer) mp_model_get_id (entry.model)))
        {
          g_set_error (error, MP_ERROR, MP_ERROR_INVALID,
                       _("The file holds the model “%s” twice."),
                       mp_model_get_text (entry.model, MP_TEXT_TITLE));
          return NULL;
        }
    }

  for (guint i = 0; i < self->entries->len; i++)
    if (!classify (self, &g_array_index (self->entries, Entry, i), error))
      return NULL;

  return g_steal_pointer (&self);
}

MpExchangeImport *
mp_exchange_import_new_from_file (MpStore     *store,
                                  const char  *path,
                                  GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  GStatBuf buf;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &buf) == 0 && (guint64) buf.st_size > MP_EXCHANGE_MAX_SIZE)
    return mp_exchange_import_new_from_data (store, "", MP_EXCHANGE_MAX_SIZE + 1, error);
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;

  return mp_exchange_import_new_from_data (store, data, length, error);
}

void
mp_exchange_import_free (MpExchangeImport *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_object (&self->store);
  g_free (self);
}

guint
mp_exchange_import_get_n_models (MpExchangeImport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

MpModel *
mp_exchange_import_get_model (MpExchangeImport *self,
                              guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).model;
}

MpExchangeAction
mp_exchange_import_get_action (MpExchangeImport *self,
                               guint             index)
{
  g_return_val_if_fail (self != NULL, MP_EXCHANGE_UNCHANGED);
  g_return_val_if_fail (index < self->entries->len, MP_EXCHANGE_UNCHANGED);

  return g_array_index (self->entries, Entry, index).action;
}

const char * const *
mp_exchange_import_get_fields (MpExchangeImport *self,
                               guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return (const char * const *) g_array_index (self->entries, Entry, index).fields;
}

const char * const *
mp_exchange_import_get_merged_fields (MpExchangeImport *self,
                                      guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return (const char * const *) g_array_index (self->entries, Entry, index).merged_fields;
}

guint
mp_exchange_import_count (MpExchangeImport *self,
                          MpExchangeAction  action)
{
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, Entry, i).action == action)
      count++;

  return count;
}

/**
 * mp_exchange_import_apply:
 * @self: a prepared import
 * @error: a place for an error
 *
 * Compares every model with the bank again (it may have changed while the
 * preview was shown) and writes them, all or none, in one transaction.
 * Added and updated models are written as an import, not as local edits:
 * they are not queued for the platform (the sync takes the bank's copy as
 * the base of the next edit, as for the sample bank). Merged models are
 * written as a pull writes a merge: a field changed on both sides keeps
 * the bank's text and becomes a sync conflict holding both texts, and the
 * merge is queued once nothing is left to resolve.
 *
 * Returns: whether the models were written (all or none)
 */
gboolean
mp_exchange_import_apply (MpExchangeImport  *self,
                          GError           **error)
{
  g_autoptr(GPtrArray) merged_ids = g_ptr_array_new ();
  gboolean wrote = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!mp_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);
      g_autoptr(GError) local_error = NULL;
      gboolean ok = TRUE;

      if (!classify (self, entry, error))
        goto fail;

      switch (entry->action)
        {
        case MP_EXCHANGE_ADDED:
        case MP_EXCHANGE_UPDATED:
          ok = mp_store_write_synced_model (self->store, entry->model, &local_error);
          break;

        case MP_EXCHANGE_MERGED:
        case MP_EXCHANGE_CONFLICTING:
          ok = mp_sync_store_write_copy (self->store, entry->merged, entry->conflicts, &local_error);
          g_ptr_array_add (merged_ids, (gpointer) mp_model_get_id (entry->model));
          break;

        case MP_EXCHANGE_UNCHANGED:
        case MP_EXCHANGE_OLDER:
        case MP_EXCHANGE_UNRESOLVED:
        case MP_N_EXCHANGE_ACTIONS:
        default:
          continue;
        }

      if (!ok)
        {
          /* Name the model, so that the file can be fixed. */
          g_set_error (error, local_error->domain, local_error->code, _("Model %u (“%s”): %s"),
                       i + 1, mp_model_get_text (entry->model, MP_TEXT_TITLE), local_error->message);
          goto fail;
        }
      wrote = TRUE;
    }

  if (!mp_store_commit (self->store, error))
    goto fail;

  if (wrote)
    mp_store_emit_changed (self->store, NULL);
  /* An open model page shows the merge and its conflict banner. */
  for (guint i = 0; i < merged_ids->len; i++)
    mp_store_emit_changed (self->store, g_ptr_array_index (merged_ids, i));
  return TRUE;

fail:
  mp_store_rollback (self->store);
  return FALSE;
}
