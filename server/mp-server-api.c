/* mp-server-api.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include <string.h>

#include "mp-merge.h"
#include "mp-server-api.h"
#include "mp-server-auth.h"

typedef enum {
  KIND_STRING,
  KIND_INTEGER,
  KIND_BOOLEAN,
  KIND_ARRAY,
  KIND_OBJECT,
  KIND_OBJECT_OR_NULL,
} FieldKind;

typedef struct {
  const char *key;
  FieldKind   kind;
} DocumentField;

/* The top level of the model document (docs/model-document.md). The core
 * reader checks everything again and deeper; this table lets the server
 * name the field in its answer before anything else happens. */
static const DocumentField document_fields[] = {
  { "format", KIND_INTEGER },
  { "id", KIND_STRING },
  { "revision", KIND_INTEGER },
  { "created", KIND_STRING },
  { "modified", KIND_STRING },
  { "language", KIND_STRING },
  { "title", KIND_STRING },
  { "summary", KIND_STRING },
  { "organisation", KIND_STRING },
  { "authors", KIND_ARRAY },
  { "place", KIND_STRING },
  { "regions", KIND_ARRAY },
  { "funders", KIND_ARRAY },
  { "collection", KIND_STRING },
  { "themes", KIND_ARRAY },
  { "target_groups", KIND_ARRAY },
  { "basic_idea", KIND_STRING },
  { "environment", KIND_STRING },
  { "conditions", KIND_STRING },
  { "target_insight", KIND_STRING },
  { "core", KIND_STRING },
  { "evaluation_summary", KIND_STRING },
  { "lessons", KIND_STRING },
  { "baseline", KIND_STRING },
  { "needs", KIND_STRING },
  { "co_developers", KIND_STRING },
  { "intended_change", KIND_STRING },
  { "measuring_change", KIND_STRING },
  { "links", KIND_ARRAY },
  { "stages", KIND_ARRAY },
  { "characteristics", KIND_OBJECT },
  { "based_on", KIND_OBJECT_OR_NULL },
  { "collaborators", KIND_ARRAY },
  { "visibility", KIND_STRING },
  { "unfinished", KIND_BOOLEAN },
};

static const char * const kind_names[] = {
  "a string", "a whole number", "true or false", "an array", "an object", "an object or null",
};

/* One push (PUT /models/{id} or one batch item), answered as JSON text so
 * that an idempotent retry can return the very same bytes. */
typedef struct {
  guint  status;
  char  *answer;
  char  *etag;
  gboolean replayed;
} PushResult;

/* private helpers */

static void
push_result_clear (PushResult *result)
{
  g_clear_pointer (&result->answer, g_free);
  g_clear_pointer (&result->etag, g_free);
}

static char *
error_text (const char *code,
            const char *field,
            const char *message)
{
  g_autoptr(JsonNode) node = mp_server_error_new (code, field, message);

  return json_to_string (node, FALSE);
}

static void
push_fail (PushResult *result,
           guint       status,
           const char *code,
           const char *field,
           const char *message)
{
  push_result_clear (result);
  result->status = status;
  result->answer = error_text (code, field, message);
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date_time = g_date_time_new_from_unix_utc (time);

  return g_date_time_format (date_time, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
is_lower_uuid (const char *id)
{
  if (!g_uuid_string_is_valid (id))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static const DocumentField *
lookup_document_field (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (document_fields); i++)
    if (g_str_equal (document_fields[i].key, key))
      return &document_fields[i];
  return NULL;
}

static gboolean
node_has_kind (JsonNode  *node,
               FieldKind  kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case KIND_INTEGER:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case KIND_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case KIND_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case KIND_OBJECT_OR_NULL:
      return JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_NULL (node);
    default:
      g_assert_not_reached ();
    }
}

/* Checks the top-level keys and their JSON types. @changes is TRUE for the
 * "fields" of a push, which may not touch what the server sets. */
static gboolean
check_document_fields (JsonObject  *object,
                       const char  *prefix,
                       gboolean     changes,
                       PushResult  *result)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const DocumentField *field = lookup_document_field (key);
      g_autofree char *path = g_strconcat (prefix, key, NULL);
      g_autofree char *message = NULL;

      if (field == NULL)
        {
          message = g_strdup_printf ("Unknown field “%s”", key);
          push_fail (result, 400, "invalid", path, message);
          return FALSE;
        }
      if (changes && mp_merge_is_system_field (key))
        {
          message = g_strdup_printf ("Field “%s” is set by the platform and cannot be pushed", key);
          push_fail (result, 400, "invalid", path, message);
          return FALSE;
        }
      if (!node_has_kind (value, field->kind))
        {
          message = g_strdup_printf ("Field “%s”: expected %s", key, kind_names[field->kind]);
          push_fail (result, 400, "invalid", path, message);
          return FALSE;
        }
      if (g_str_equal (key, "visibility") &&
          g_strcmp0 (json_node_get_string (value), "private") == 0)
        {
          push_fail (result, 400, "invalid", path,
                     "A private model never leaves the device: the platform refuses it");
          return FALSE;
        }
    }

  return TRUE;
}

/* The core names the field in its message as “key”; the answer names it as
 * a field of its own so that clients need not parse messages. */
static char *
field_from_message (const char *message)
{
  const char *start = strstr (message, "“");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("“");
  end = strstr (start, "”");
  if (end == NULL || end == start)
    return NULL;

  return g_strndup (start, end - start);
}

static void
push_fail_invalid (PushResult   *result,
                   const char   *prefix,
                   const GError *error)
{
  g_autofree char *field = field_from_message (error->message);
  g_autofree char *path = g_strconcat (prefix, field != NULL ? field : "document", NULL);

  push_fail (result, error->code == MP_ERROR_TOO_LARGE ? 413 : 400,
             error->code == MP_ERROR_TOO_LARGE ? "too_large" : "invalid", path, error->message);
}

static void
push_fail_internal (PushResult   *result,
                    const GError *error)
{
  g_warning ("%s", error->message);
  push_fail (result, 500, "internal", NULL, "The platform could not store the change");
}

static void
push_fail_not_found (PushResult *result)
{
  /* One answer for missing and hidden models, byte for byte, so that a
   * caller cannot tell them apart. */
  push_fail (result, 404, "not_found", NULL, "No such model");
}

static JsonNode *
parse_json (const char *text)
{
  return json_from_string (text, NULL);
}

static gboolean
user_is_collaborator (const MpServerModelRow *row,
                      const MpServerUser     *user)
{
  g_autoptr(JsonNode) node = parse_json (row->document);
  JsonObject *document;
  JsonArray *collaborators;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  document = json_node_get_object (node);

  if (!json_object_has_member (document, "collaborators") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (document, "collaborators")))
    return FALSE;

  collaborators = json_object_get_array_member (document, "collaborators");
  for (guint i = 0; i < json_array_get_length (collaborators); i++)
    {
      JsonNode *entry = json_array_get_element (collaborators, i);

      if (JSON_NODE_HOLDS_OBJECT (entry) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                 "user", NULL),
                     user->name) == 0)
        return TRUE;
    }

  return FALSE;
}

/* json_node_copy() shares objects and arrays; the overlay changes them. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return json_from_string (text, NULL);
}

/* Applies the pushed fields onto a copy of @base: stages per entry (by their
 * "stage" key) and characteristics per key, so that a push may carry only
 * the entries it changed. */
static JsonObject *
overlay_fields (JsonNode   *base,
                JsonObject *fields,
                const char *prefix,
                PushResult *result)
{
  g_autoptr(JsonNode) copy = deep_copy (base);
  JsonObject *mine = json_node_get_object (copy);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "stages") && json_object_has_member (mine, "stages") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (mine, "stages")))
        {
          JsonArray *stages = json_object_get_array_member (mine, "stages");
          JsonArray *pushed = json_node_get_array (value);
          JsonArray *replaced = json_array_new ();
          guint n_matched = 0;

          for (guint i = 0; i < json_array_get_length (stages); i++)
            {
              JsonNode *entry = json_array_get_element (stages, i);
              JsonNode *kept = entry;

              for (guint j = 0; JSON_NODE_HOLDS_OBJECT (entry) && j < json_array_get_length (pushed); j++)
                {
                  JsonNode *candidate = json_array_get_element (pushed, j);

                  if (JSON_NODE_HOLDS_OBJECT (candidate) &&
                      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (candidate),
                                                                             "stage", NULL),
                                 json_object_get_string_member_with_default (json_node_get_object (entry),
                                                                             "stage", "")) == 0)
                    {
                      kept = candidate;
                      n_matched++;
                      break;
                    }
                }
              json_array_add_element (replaced, deep_copy (kept));
            }
          json_object_set_array_member (mine, "stages", replaced);

          if (n_matched != json_array_get_length (pushed))
            {
              g_autofree char *path = g_strconcat (prefix, "stages", NULL);

              push_fail (result, 400, "invalid", path,
                         "Field “stages”: every pushed entry must name a known stage, once");
              return NULL;
            }
        }
      else if (g_str_equal (key, "characteristics") && json_object_has_member (mine, "characteristics") &&
               JSON_NODE_HOLDS_OBJECT (json_object_get_member (mine, "characteristics")))
        {
          JsonObject *chars = json_object_get_object_member (mine, "characteristics");
          JsonObjectIter chars_iter;
          const char *chars_key;
          JsonNode *chars_value;

          json_object_iter_init (&chars_iter, json_node_get_object (value));
          while (json_object_iter_next (&chars_iter, &chars_key, &chars_value))
            json_object_set_member (chars, chars_key, deep_copy (chars_value));
        }
      else
        {
          json_object_set_member (mine, key, deep_copy (value));
        }
    }

  return json_object_ref (mine);
}

static void
add_document_member (JsonBuilder *builder,
                     const char  *document)
{
  g_autoptr(JsonNode) node = parse_json (document);

  json_builder_set_member_name (builder, "document");
  json_builder_add_value (builder, g_steal_pointer (&node));
}

static char *
success_answer (const char    *id,
                gint64         revision,
                gint64         seq,
                gboolean       created,
                gboolean       unchanged,
                gboolean       merged,
                MpMergeResult *merge,
                const char    *document)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *head = NULL;
  GString *answer;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "created");
  json_builder_add_boolean_value (builder, created);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_boolean_value (builder, unchanged);
  json_builder_set_member_name (builder, "merged");
  json_builder_add_boolean_value (builder, merged);
  json_builder_set_member_name (builder, "soft");
  json_builder_begin_array (builder);
  for (guint i = 0; merged && merge != NULL && i < mp_merge_result_get_n_soft (merge); i++)
    {
      MpMergeSide side;
      const char *field = mp_merge_result_get_soft_field (merge, i, &side);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
      json_builder_set_member_name (builder, "side");
      json_builder_add_string_value (builder, side == MP_MERGE_SIDE_THEIRS ? "theirs" : "mine");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  /* The document goes in as stored (our own serialisation) rather than
   * parsed and written again, which would be most of the answer's cost,
   * as in the change feed. */
  root = json_builder_get_root (builder);
  head = json_to_string (root, FALSE);
  answer = g_string_sized_new (strlen (head) + strlen (document) + 16);
  g_string_append_len (answer, head, strlen (head) - 1);
  g_string_append (answer, ",\"document\":");
  g_string_append (answer, document);
  g_string_append_c (answer, '}');
  return g_string_free (answer, FALSE);
}

static char *
conflict_answer (const MpServerModelRow *row,
                 MpMergeResult          *merge)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "conflict");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder,
                                 "The same field was changed on the platform since the base revision");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, row->id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, row->revision);
  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mp_merge_result_get_n_conflicts (merge); i++)
    {
      const MpMergeConflict *conflict = mp_merge_result_get_conflict (merge, i);
      const char *names[] = { "base", "theirs", "mine" };
      JsonNode *values[] = { conflict->base, conflict->theirs, conflict->mine };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, conflict->field);
      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        {
          json_builder_set_member_name (builder, names[j]);
          if (values[j] != NULL)
            json_builder_add_value (builder, json_node_copy (values[j]));
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_document_member (builder, row->document);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
etag_for (gint64 revision)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", revision);
}

static char *
request_hash (const char *id,
              JsonNode   *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  g_autofree char *input = g_strconcat ("PUT /models/", id, "\n", text, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
}

static void
create_model (MpServerDb         *db,
              const MpServerUser *user,
              const char         *id,
              JsonNode           *body,
              PushResult         *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autofree char *document = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seq;

  model = mp_model_from_json (body, &error);
  if (model == NULL)
    {
      push_fail_invalid (result, "", error);
      return;
    }

  if (mp_model_get_visibility (model) == MP_VISIBILITY_PRIVATE)
    {
      push_fail (result, 400, "invalid", "visibility",
                 "A private model never leaves the device: the platform refuses it");
      return;
    }

  if (mp_model_get_text (model, MP_TEXT_ORGANISATION)[0] == '\0')
    mp_model_set_text (model, MP_TEXT_ORGANISATION, user->organisation);
  else if (g_strcmp0 (mp_model_get_text (model, MP_TEXT_ORGANISATION), user->organisation) != 0)
    {
      push_fail (result, 403, "forbidden", "organisation",
                 "A model can only be created for one's own organisation");
      return;
    }

  mp_model_set_revision (model, 1);
  if (!json_object_has_member (json_node_get_object (body), "created"))
    mp_model_set_created (model, now);
  mp_model_set_modified (model, now);

  seq = mp_server_db_store_model (db, model, NULL, user->id, &document, &error);
  if (seq == 0)
    {
      push_fail_internal (result, error);
      return;
    }

  result->status = 201;
  result->answer = success_answer (id, 1, seq, TRUE, FALSE, FALSE, NULL, document);
  result->etag = etag_for (1);
}

static void
update_model (MpServerDb             *db,
              const MpServerUser     *user,
              const MpServerModelRow *row,
              JsonObject             *fields,
              gint64                  base_revision,
              const char             *prefix,
              PushResult             *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) base = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(MpMergeResult) merge = NULL;
  g_autoptr(JsonNode) merged = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autofree char *document = NULL;
  gboolean is_member = g_strcmp0 (user->organisation, row->organisation) == 0;
  gboolean stale = base_revision < row->revision;
  gint64 seq;

  if (base_revision < 1 || base_revision > row->revision)
    {
      g_autofree char *message = g_strdup_printf ("No revision %" G_GINT64_FORMAT " of this model",
                                                  base_revision);

      /* A whole document's revision was checked before: this is a push of
       * changes, where the base revision sits beside the fields. */
      push_fail (result, 400, "invalid", "base_revision", message);
      return;
    }

  theirs = parse_json (row->document);
  if (!stale)
    base = json_node_ref (theirs);
  else
    {
      g_autofree char *base_text = mp_server_db_get_revision (db, row->id, base_revision, &error);

      if (base_text == NULL)
        {
          push_fail_internal (result, error);
          return;
        }
      base = parse_json (base_text);
    }
  if (theirs == NULL || base == NULL)
    {
      push_fail (result, 500, "internal", NULL, "A stored revision is not readable");
      return;
    }

  mine = overlay_fields (base, fields, prefix, result);
  if (mine == NULL)
    return;

  merge = mp_merge_documents (json_node_get_object (base), json_node_get_object (theirs), mine);
  if (mp_merge_result_has_conflicts (merge))
    {
      push_result_clear (result);
      result->status = 409;
      result->answer = conflict_answer (row, merge);
      result->etag = etag_for (row->revision);
      return;
    }

  if (!mp_merge_result_changes_theirs (merge))
    {
      result->status = 200;
      result->answer = success_answer (row->id, row->revision, row->seq, FALSE, TRUE, stale,
                                       merge, row->document);
      result->etag = etag_for (row->revision);
      return;
    }

  merged = json_node_init_object (json_node_alloc (), mp_merge_result_get_document (merge));
  model = mp_model_from_json (merged, &error);
  if (model == NULL)
    {
      push_fail_invalid (result, prefix, error);
      return;
    }
  if (mp_model_get_visibility (model) == MP_VISIBILITY_PRIVATE)
    {
      g_autofree char *path = g_strconcat (prefix, "visibility", NULL);

      push_fail (result, 400, "invalid", path,
                 "A private model never leaves the device: the platform refuses it");
      return;
    }
  if (!is_member &&
      (g_strcmp0 (mp_model_get_text (model, MP_TEXT_ORGANISATION), row->organisation) != 0 ||
       mp_model_get_visibility (model) != row->visibility))
    {
      push_fail (result, 403, "forbidden", NULL,
                 "Only members of the owning organisation may change its owner or visibility");
      return;
    }

  mp_model_set_revision (model, row->revision + 1);
  mp_model_set_modified (model, g_get_real_time () / G_USEC_PER_SEC);

  seq = mp_server_db_store_model (db, model, row, user->id, &document, &error);
  if (seq == 0)
    {
      push_fail_internal (result, error);
      return;
    }

  result->status = 200;
  result->answer = success_answer (row->id, row->revision + 1, seq, FALSE, FALSE, stale,
                                   merge, document);
  result->etag = etag_for (row->revision + 1);
}

/* The body of one push is either {"base_revision": N, "fields": {…}} or a
 * whole model document. Everything that needs no database is checked
 * before the transaction. */
static void
push_model (MpServerDb         *db,
            const MpServerUser *user,
            const char         *id,
            JsonNode           *body,
            const char         *idempotency_key,
            PushResult         *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpServerModelRow) row = NULL;
  g_autofree char *hash = NULL;
  JsonObject *object;
  JsonObject *fields = NULL;
  gint64 base_revision = 0;
  gboolean is_patch;

  if (!is_lower_uuid (id))
    {
      push_fail (result, 400, "invalid", "id", "The model id must be a lower-case UUID");
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (body))
    {
      push_fail (result, 400, "invalid", "body", "The body must be a JSON object");
      return;
    }

  object = json_node_get_object (body);
  is_patch = json_object_has_member (object, "fields") || json_object_has_member (object, "base_revision");

  if (is_patch)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (g_str_equal (key, "base_revision"))
            {
              if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
                {
                  push_fail (result, 400, "invalid", "base_revision",
                             "Field “base_revision”: expected a whole number");
                  return;
                }
              base_revision = json_node_get_int (value);
            }
          else if (g_str_equal (key, "fields"))
            {
              if (!JSON_NODE_HOLDS_OBJECT (value))
                {
                  push_fail (result, 400, "invalid", "fields", "Field “fields”: expected an object");
                  return;
                }
              fields = json_node_get_object (value);
            }
          else
            {
              g_autofree char *message = g_strdup_printf ("Unknown field “%s”", key);

              push_fail (result, 400, "invalid", key, message);
              return;
            }
        }
      if (fields == NULL || !json_object_has_member (object, "base_revision"))
        {
          push_fail (result, 400, "invalid", fields == NULL ? "fields" : "base_revision",
                     "A push of changes needs both “base_revision” and “fields”");
          return;
        }
      if (!check_document_fields (fields, "fields.", TRUE, result))
        return;
    }
  else
    {
      if (!check_document_fields (object, "", FALSE, result))
        return;
      if (json_object_has_member (object, "id") &&
          g_strcmp0 (json_object_get_string_member (object, "id"), id) != 0)
        {
          push_fail (result, 400, "invalid", "id", "The document's id differs from the one in the path");
          return;
        }
    }

  if (idempotency_key != NULL)
    hash = request_hash (id, body);

  if (!mp_server_db_begin (db, &error))
    {
      push_fail_internal (result, error);
      return;
    }

  /* The key is claimed first, inside the same transaction as the write: a
   * concurrent retry waits for this transaction and then hits the unique
   * constraint, so the push applies at most once. */
  if (idempotency_key != NULL &&
      !mp_server_db_claim_idempotency (db, user->id, idempotency_key, hash, &error))
    {
      g_autofree char *stored_hash = NULL;
      g_autofree char *answer = NULL;
      guint status = 0;

      mp_server_db_rollback (db);
      if (error != NULL)
        {
          push_fail_internal (result, error);
          return;
        }
      if (!mp_server_db_get_idempotency (db, user->id, idempotency_key, &stored_hash, &status,
                                         &answer, &error))
        {
          push_fail_internal (result, error);
          return;
        }
      if (!g_str_equal (stored_hash, hash))
        {
          push_fail (result, 422, "idempotency_mismatch", "Idempotency-Key",
                     "This Idempotency-Key was used for a different request");
          return;
        }
      result->status = status;
      result->answer = g_steal_pointer (&answer);
      result->replayed = TRUE;
      return;
    }

  row = mp_server_db_get_model (db, id, &error);
  if (row == NULL && !g_error_matches (error, MP_ERROR, MP_ERROR_NOT_FOUND))
    {
      mp_server_db_rollback (db);
      push_fail_internal (result, error);
      return;
    }
  g_clear_error (&error);

  if (row == NULL)
    {
      if (is_patch)
        push_fail_not_found (result);
      else
        create_model (db, user, id, body, result);
    }
  else if (!mp_server_model_row_is_visible (row, user->organisation))
    {
      if (row->deleted && g_strcmp0 (row->organisation, user->organisation) == 0)
        push_fail (result, 410, "deleted", NULL, "The model was deleted");
      else
        push_fail_not_found (result);
    }
  else if (g_strcmp0 (row->organisation, user->organisation) != 0 &&
           !user_is_collaborator (row, user))
    {
      push_fail (result, 403, "forbidden", NULL,
                 "Only members of the owning organisation and the model's collaborators may change it");
    }
  else if (is_patch)
    {
      update_model (db, user, row, fields, base_revision, "fields.", result);
    }
  else
    {
      g_autoptr(MpModel) pushed = mp_model_from_json (body, &error);
      g_autoptr(JsonNode) normalised = NULL;

      if (pushed == NULL)
        push_fail_invalid (result, "", error);
      else
        {
          /* A whole document is merged against the revision it names; a
           * draft (revision 0) pushed again after a lost answer is merged
           * against the first revision. */
          normalised = mp_model_to_json (pushed);
          base_revision = MAX (mp_model_get_revision (pushed), 1);
          if (base_revision > row->revision)
            push_fail (result, 400, "invalid", "revision",
                       "The document names a revision the platform does not have");
          else
            update_model (db, user, row, json_node_get_object (normalised), base_revision, "", result);
        }
    }

  if (result->status >= 300)
    {
      mp_server_db_rollback (db);
      return;
    }

  if (idempotency_key != NULL &&
      !mp_server_db_store_idempotency (db, user->id, idempotency_key, result->status,
                                       result->answer, &error))
    {
      mp_server_db_rollback (db);
      push_fail_internal (result, error);
      return;
    }

  if (!mp_server_db_commit (db, &error))
    push_fail_internal (result, error);
}

static gboolean
authenticate (MpServerDb       *db,
              MpServerRequest  *request,
              gboolean          required,
              MpServerUser    **user)
{
  g_autoptr(GError) error = NULL;
  const char *token;

  *user = NULL;

  if (request->authorization == NULL)
    {
      if (!required)
        return TRUE;
      mp_server_request_set_header (request, "WWW-Authenticate", "Bearer");
      mp_server_request_set_error (request, 401, "unauthorized", NULL, "This needs a login");
      return FALSE;
    }

  if (g_ascii_strncasecmp (request->authorization, "Bearer ", 7) != 0)
    {
      mp_server_request_set_header (request, "WWW-Authenticate", "Bearer");
      mp_server_request_set_error (request, 401, "unauthorized", NULL,
                                   "Only bearer tokens are accepted");
      return FALSE;
    }

  token = request->authorization + 7;
  while (*token == ' ')
    token++;

  *user = mp_server_auth_check_token (db, token, &error);
  if (*user == NULL)
    {
      mp_server_request_set_header (request, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      if (g_error_matches (error, MP_ERROR, MP_ERROR_AUTH))
        mp_server_request_set_error (request, 401, "unauthorized", NULL, "%s", error->message);
      else
        mp_server_request_set_error (request, 500, "internal", NULL, "The session could not be checked");
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_body (MpServerRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *data;
  const char *bad = NULL;
  gsize length;

  data = g_bytes_get_data (request->body, &length);
  if (length == 0)
    {
      mp_server_request_set_error (request, 400, "invalid", "body", "The request needs a JSON body");
      return NULL;
    }
  if (!g_utf8_validate (data, length, &bad))
    {
      mp_server_request_set_error (request, 400, "invalid", "body",
                                   "The body is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")",
                                   (gsize) (bad - data));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      mp_server_request_set_error (request, 400, "invalid", "body", "Not valid JSON: %s",
                                   error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      mp_server_request_set_error (request, 400, "invalid", "body", "The body must be a JSON object");
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
method_is (MpServerRequest *request,
           const char      *method)
{
  return g_str_equal (request->method, method);
}

static void
method_not_allowed (MpServerRequest *request,
                    const char      *allowed)
{
  mp_server_request_set_header (request, "Allow", allowed);
  mp_server_request_set_error (request, 405, "method_not_allowed", NULL,
                               "Use %s here", allowed);
}

static gboolean
valid_idempotency_key (const char *key)
{
  gsize length = strlen (key);

  if (length == 0 || length > 255)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isprint (*p))
      return FALSE;
  return TRUE;
}

/* endpoints */

static void
handle_session (const MpServerConfig *config,
                MpServerDb           *db,
                MpServerRequest      *request)
{
  g_autoptr(GError) error = NULL;

  if (method_is (request, "POST"))
    {
      g_autoptr(JsonNode) body = parse_body (request);
      g_autoptr(MpServerUser) user = NULL;
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *token = NULL;
      g_autofree char *expires_text = NULL;
      const char *values[2] = { NULL, NULL };
      const char *names[2] = { "user", "password" };
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;
      gint64 expires = 0;

      if (body == NULL)
        return;

      json_object_iter_init (&iter, json_node_get_object (body));
      while (json_object_iter_next (&iter, &key, &value))
        {
          guint i;

          for (i = 0; i < G_N_ELEMENTS (names); i++)
            if (g_str_equal (key, names[i]))
              break;
          if (i == G_N_ELEMENTS (names))
            {
              mp_server_request_set_error (request, 400, "invalid", key, "Unknown field “%s”", key);
              return;
            }
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              mp_server_request_set_error (request, 400, "invalid", key,
                                           "Field “%s”: expected a string", key);
              return;
            }
          values[i] = json_node_get_string (value);
        }
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (values[i] == NULL)
          {
            mp_server_request_set_error (request, 400, "invalid", names[i],
                                         "Field “%s”: missing", names[i]);
            return;
          }

      token = mp_server_auth_login (db, values[0], values[1], config->token_ttl, &expires, &user, &error);
      if (token == NULL)
        {
          if (g_error_matches (error, MP_ERROR, MP_ERROR_AUTH))
            mp_server_request_set_error (request, 401, "unauthorized", NULL, "%s", error->message);
          else
            {
              g_warning ("Login: %s", error->message);
              mp_server_request_set_error (request, 500, "internal", NULL, "The login failed");
            }
          return;
        }

      expires_text = format_time (expires);
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, "Bearer");
      json_builder_set_member_name (builder, "expires");
      json_builder_add_string_value (builder, expires_text);
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, user->name);
      json_builder_set_member_name (builder, "organisation");
      json_builder_add_string_value (builder, user->organisation);
      json_builder_end_object (builder);
      answer = json_builder_get_root (builder);
      mp_server_request_set_json (request, 201, answer);
    }
  else if (method_is (request, "DELETE"))
    {
      g_autoptr(MpServerUser) user = NULL;

      if (!authenticate (db, request, TRUE, &user))
        return;
      if (!mp_server_auth_logout (db, request->authorization + 7, &error))
        {
          g_warning ("Logout: %s", error->message);
          mp_server_request_set_error (request, 500, "internal", NULL, "The logout failed");
          return;
        }
      mp_server_request_take_answer (request, 204, NULL, 0);
    }
  else
    {
      method_not_allowed (request, "POST, DELETE");
    }
}

typedef struct {
  GString *out;
  guint    count;
  guint    limit;
  gint64   last_seq;
} FeedWriter;

static void
write_feed_entry (gint64      seq,
                  const char *id,
                  gint64      revision,
                  const char *document,
                  gsize       document_length,
                  gpointer    user_data)
{
  FeedWriter *writer = user_data;

  /* One row more than the page tells that there are more. */
  writer->count++;
  if (writer->count > writer->limit)
    return;

  if (writer->count > 1)
    g_string_append_c (writer->out, ',');
  /* Ids are UUIDs, documents are JSON as stored: both go in without a
   * round trip through a parser, which would dominate the cost. */
  if (document != NULL)
    {
      g_string_append_printf (writer->out,
                              "{\"seq\":%" G_GINT64_FORMAT ",\"id\":\"%s\",\"revision\":%" G_GINT64_FORMAT ",\"document\":",
                              seq, id, revision);
      g_string_append_len (writer->out, document, document_length);
      g_string_append_c (writer->out, '}');
    }
  else
    {
      g_string_append_printf (writer->out,
                              "{\"seq\":%" G_GINT64_FORMAT ",\"id\":\"%s\",\"tombstone\":true}",
                              seq, id);
    }
  writer->last_seq = seq;
}

static gboolean
parse_query_integer (MpServerRequest *request,
                     const char      *name,
                     gint64           fallback,
                     gint64           min,
                     gint64           max,
                     gint64          *value)
{
  const char *text = g_hash_table_lookup (request->query, name);
  guint64 number;

  if (text == NULL)
    {
      *value = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &number, NULL))
    {
      mp_server_request_set_error (request, 400, "invalid", name,
                                   "“%s” must be a whole number from %" G_GINT64_FORMAT
                                   " to %" G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }

  *value = (gint64) number;
  return TRUE;
}

static void
handle_changes (const MpServerConfig *config,
                MpServerDb           *db,
                MpServerRequest      *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpServerUser) user = NULL;
  FeedWriter writer = { 0 };
  gint64 since, limit, pruned, remaining, full;

  if (!method_is (request, "GET"))
    {
      method_not_allowed (request, "GET");
      return;
    }
  if (!authenticate (db, request, FALSE, &user))
    return;
  if (!parse_query_integer (request, "since", 0, 0, G_MAXINT64, &since) ||
      !parse_query_integer (request, "limit", MP_SERVER_FEED_DEFAULT_LIMIT, 1,
                            MP_SERVER_FEED_MAX_LIMIT, &limit) ||
      !parse_query_integer (request, "full", 0, 0, 1, &full))
    return;

  pruned = mp_server_db_get_pruned_seq (db, &error);
  if (pruned < 0)
    {
      g_warning ("Feed: %s", error->message);
      mp_server_request_set_error (request, 500, "internal", NULL, "The feed could not be read");
      return;
    }
  /* since=0 is a full sync, which needs no tombstones; so are its later
   * pages (full=1): the client drops at its end what it did not receive,
   * so the tombstones pruned meanwhile are simply not sent. */
  if (since > 0 && since < pruned && !full)
    {
      mp_server_request_set_error (request, 410, "resync_required", "since",
                                   "Changes before %" G_GINT64_FORMAT " are no longer kept: "
                                   "sync again in full from since=0", pruned);
      return;
    }

  writer.out = g_string_sized_new (64 * 1024);
  writer.limit = (guint) limit;
  writer.last_seq = since;
  g_string_append (writer.out, "{\"changes\":[");
  if (!mp_server_db_read_feed (db, user != NULL ? user->organisation : NULL, since, (guint) limit,
                               write_feed_entry, &writer, &error))
    {
      g_warning ("Feed: %s", error->message);
      g_string_free (writer.out, TRUE);
      mp_server_request_set_error (request, 500, "internal", NULL, "The feed could not be read");
      return;
    }
  /* Entries after this page, for a client's progress; read in the same
   * request but not in the same transaction, so only a close estimate
   * when models change meanwhile. */
  remaining = 0;
  if (writer.count > writer.limit &&
      !mp_server_db_count_feed (db, user != NULL ? user->organisation : NULL, writer.last_seq,
                                &remaining, &error))
    {
      g_warning ("Feed: %s", error->message);
      g_string_free (writer.out, TRUE);
      mp_server_request_set_error (request, 500, "internal", NULL, "The feed could not be read");
      return;
    }
  g_string_append_printf (writer.out, "],\"next_since\":%" G_GINT64_FORMAT ",\"more\":%s,"
                          "\"remaining\":%" G_GINT64_FORMAT "}",
                          writer.last_seq, writer.count > writer.limit ? "true" : "false", remaining);

  {
    gsize length = writer.out->len;

    mp_server_request_take_answer (request, 200, g_string_free (writer.out, FALSE), length);
  }
}

static gboolean
etag_matches (const char *header,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (header == NULL)
    return FALSE;

  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }

  return FALSE;
}

static void
answer_push (MpServerRequest *request,
             PushResult      *result)
{
  gsize length = strlen (result->answer);

  if (result->etag != NULL)
    mp_server_request_set_header (request, "ETag", result->etag);
  if (result->replayed)
    mp_server_request_set_header (request, "Idempotent-Replayed", "true");
  mp_server_request_take_answer (request, result->status, g_steal_pointer (&result->answer), length);
}

static void
handle_model (const MpServerConfig *config,
              MpServerDb           *db,
              MpServerRequest      *request,
              const char           *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpServerUser) user = NULL;

  if (method_is (request, "GET"))
    {
      g_autoptr(MpServerModelRow) row = NULL;
      g_autofree char *etag = NULL;
      gsize length;

      if (!authenticate (db, request, FALSE, &user))
        return;

      row = mp_server_db_get_model (db, id, &error);
      if (row == NULL && !g_error_matches (error, MP_ERROR, MP_ERROR_NOT_FOUND))
        {
          g_warning ("Model: %s", error->message);
          mp_server_request_set_error (request, 500, "internal", NULL, "The model could not be read");
          return;
        }
      if (row == NULL || !mp_server_model_row_is_visible (row, user != NULL ? user->organisation : NULL))
        {
          mp_server_request_set_error (request, 404, "not_found", NULL, "No such model");
          return;
        }

      etag = etag_for (row->revision);
      mp_server_request_set_header (request, "ETag", etag);
      if (etag_matches (request->if_none_match, etag))
        {
          mp_server_request_take_answer (request, 304, NULL, 0);
          return;
        }
      length = strlen (row->document);
      mp_server_request_take_answer (request, 200, g_steal_pointer (&row->document), length);
    }
  else if (method_is (request, "PUT"))
    {
      g_autoptr(JsonNode) body = NULL;
      PushResult result = { 0 };

      if (!authenticate (db, request, TRUE, &user))
        return;
      if (request->idempotency_key != NULL && !valid_idempotency_key (request->idempotency_key))
        {
          mp_server_request_set_error (request, 400, "invalid", "Idempotency-Key",
                                       "The Idempotency-Key must be 1 to 255 printable ASCII characters");
          return;
        }
      body = parse_body (request);
      if (body == NULL)
        return;

      push_model (db, user, id, body, request->idempotency_key, &result);
      answer_push (request, &result);
      push_result_clear (&result);
    }
  else if (method_is (request, "DELETE"))
    {
      g_autoptr(MpServerModelRow) row = NULL;
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) answer = NULL;
      gint64 seq;

      if (!authenticate (db, request, TRUE, &user))
        return;
      if (!mp_server_db_begin (db, &error))
        {
          g_warning ("Delete: %s", error->message);
          mp_server_request_set_error (request, 500, "internal", NULL, "The model could not be deleted");
          return;
        }
      row = mp_server_db_get_model (db, id, NULL);
      if (row == NULL || !mp_server_model_row_is_visible (row, user->organisation))
        {
          mp_server_db_rollback (db);
          mp_server_request_set_error (request, 404, "not_found", NULL, "No such model");
          return;
        }
      if (g_strcmp0 (row->organisation, user->organisation) != 0)
        {
          mp_server_db_rollback (db);
          mp_server_request_set_error (request, 403, "forbidden", NULL,
                                       "Only members of the owning organisation may delete a model");
          return;
        }
      seq = mp_server_db_delete_model (db, row, user->id, &error);
      if (seq == 0 || !mp_server_db_commit (db, &error))
        {
          mp_server_db_rollback (db);
          g_warning ("Delete: %s", error->message);
          mp_server_request_set_error (request, 500, "internal", NULL, "The model could not be deleted");
          return;
        }

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, seq);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      answer = json_builder_get_root (builder);
      mp_server_request_set_json (request, 200, answer);
    }
  else
    {
      method_not_allowed (request, "GET, PUT, DELETE");
    }
}

static void
handle_batch (const MpServerConfig *config,
              MpServerDb           *db,
              MpServerRequest      *request)
{
  g_autoptr(MpServerUser) user = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  JsonArray *items;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  GString *out;
  gsize length;

  if (!method_is (request, "POST"))
    {
      method_not_allowed (request, "POST");
      return;
    }
  if (!authenticate (db, request, TRUE, &user))
    return;
  body = parse_body (request);
  if (body == NULL)
    return;

  object = json_node_get_object (body);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    if (!g_str_equal (key, "items"))
      {
        mp_server_request_set_error (request, 400, "invalid", key, "Unknown field “%s”", key);
        return;
      }
  if (!json_object_has_member (object, "items") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "items")))
    {
      mp_server_request_set_error (request, 400, "invalid", "items", "Field “items”: expected an array");
      return;
    }
  items = json_object_get_array_member (object, "items");
  if (json_array_get_length (items) > MP_SERVER_BATCH_MAX_ITEMS)
    {
      mp_server_request_set_error (request, 400, "invalid", "items",
                                   "At most %d items in one batch", MP_SERVER_BATCH_MAX_ITEMS);
      return;
    }

  out = g_string_new ("{\"results\":[");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      g_autoptr(JsonNode) push_body = NULL;
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) head = NULL;
      PushResult result = { 0 };
      const char *id = NULL;
      const char *idempotency_key = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        push_fail (&result, 400, "invalid", "item", "A batch item must be an object");
      else
        {
          JsonObject *item_object = json_node_get_object (item);
          JsonObject *patch = json_object_new ();
          JsonNode *document = NULL;

          json_object_iter_init (&iter, item_object);
          while (result.status == 0 && json_object_iter_next (&iter, &key, &value))
            {
              gboolean is_string = JSON_NODE_HOLDS_VALUE (value) &&
                                   json_node_get_value_type (value) == G_TYPE_STRING;

              if (g_str_equal (key, "id") && is_string)
                id = json_node_get_string (value);
              else if (g_str_equal (key, "idempotency_key") && is_string)
                idempotency_key = json_node_get_string (value);
              else if (g_str_equal (key, "document"))
                document = value;
              else if (g_str_equal (key, "base_revision") || g_str_equal (key, "fields"))
                json_object_set_member (patch, key, json_node_copy (value));
              else if (g_str_equal (key, "id") || g_str_equal (key, "idempotency_key"))
                {
                  g_autofree char *message = g_strdup_printf ("Field “%s”: expected a string", key);

                  push_fail (&result, 400, "invalid", key, message);
                }
              else
                {
                  g_autofree char *message = g_strdup_printf ("Unknown field “%s”", key);

                  push_fail (&result, 400, "invalid", key, message);
                }
            }

          if (result.status != 0)
            ;
          else if (id == NULL)
            push_fail (&result, 400, "invalid", "id", "Field “id”: missing");
          else if (idempotency_key != NULL && !valid_idempotency_key (idempotency_key))
            push_fail (&result, 400, "invalid", "idempotency_key",
                       "The idempotency key must be 1 to 255 printable ASCII characters");
          else if (document != NULL && json_object_get_size (patch) > 0)
            push_fail (&result, 400, "invalid", "document",
                       "Send either “document” or “base_revision” and “fields”");
          else
            {
              push_body = document != NULL ? json_node_copy (document)
                                           : json_node_init_object (json_node_alloc (), patch);
              push_model (db, user, id, push_body, idempotency_key, &result);
            }
          json_object_unref (patch);
        }

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "id");
      if (id != NULL)
        json_builder_add_string_value (builder, id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, result.status);
      json_builder_set_member_name (builder, "replayed");
      json_builder_add_boolean_value (builder, result.replayed);
      json_builder_end_object (builder);
      head = json_builder_get_root (builder);

      {
        g_autofree char *head_text = json_to_string (head, FALSE);

        /* Splice the answer in as stored, without re-parsing it. */
        if (i > 0)
          g_string_append_c (out, ',');
        g_string_append_len (out, head_text, strlen (head_text) - 1);
        g_string_append (out, ",\"answer\":");
        g_string_append (out, result.answer);
        g_string_append_c (out, '}');
      }
      push_result_clear (&result);
    }
  g_string_append (out, "]}");

  length = out->len;
  mp_server_request_take_answer (request, 200, g_string_free (out, FALSE), length);
}

static void
add_terms (JsonBuilder *builder,
           const char  *name,
           MpTaxonomy   taxonomy)
{
  guint n_terms = 0;
  const MpTerm *terms = mp_taxonomy_terms (taxonomy, &n_terms);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_terms; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, terms[i].key);
      json_builder_set_member_name (builder, "fi");
      json_builder_add_string_value (builder, terms[i].fi);
      json_builder_set_member_name (builder, "sv");
      json_builder_add_string_value (builder, terms[i].sv);
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, terms[i].en);
      if (taxonomy == MP_TAXONOMY_CHARACTERISTIC && terms[i].share >= 0)
        {
          json_builder_set_member_name (builder, "share");
          json_builder_add_int_value (builder, terms[i].share);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static const char *
taxonomies_text (void)
{
  static gsize initialized = 0;
  static char *text = NULL;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_terms (builder, "stages", MP_TAXONOMY_STAGE);
      add_terms (builder, "stage_states", MP_TAXONOMY_STAGE_STATE);
      add_terms (builder, "characteristics", MP_TAXONOMY_CHARACTERISTIC);
      add_terms (builder, "themes", MP_TAXONOMY_THEME);
      add_terms (builder, "target_groups", MP_TAXONOMY_TARGET_GROUP);
      add_terms (builder, "regions", MP_TAXONOMY_REGION);
      add_terms (builder, "visibility", MP_TAXONOMY_VISIBILITY);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, FALSE);
      g_once_init_leave (&initialized, 1);
    }

  return text;
}

static void
handle_taxonomies (MpServerRequest *request)
{
  const char *text;

  if (!method_is (request, "GET"))
    {
      method_not_allowed (request, "GET");
      return;
    }

  text = taxonomies_text ();
  mp_server_request_take_answer (request, 200, g_strdup (text), strlen (text));
}

/* public API */

void
mp_server_api_handle (const MpServerConfig *config,
                      MpServerDb           *db,
                      MpServerRequest      *request)
{
  const char *path = request->path;

  g_return_if_fail (config != NULL);
  g_return_if_fail (db != NULL);
  g_return_if_fail (request != NULL);

  if (g_str_equal (path, "/session"))
    handle_session (config, db, request);
  else if (g_str_equal (path, "/changes"))
    handle_changes (config, db, request);
  else if (g_str_equal (path, "/models:batch"))
    handle_batch (config, db, request);
  else if (g_str_has_prefix (path, "/models/") && strchr (path + 8, '/') == NULL && path[8] != '\0')
    handle_model (config, db, request, path + 8);
  else if (g_str_equal (path, "/taxonomies"))
    handle_taxonomies (request);
  else
    mp_server_request_set_error (request, 404, "not_found", NULL, "No such endpoint");

  mp_server_request_compress (request);
}
