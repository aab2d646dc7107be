/* mp-merge.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mp-merge.h"

typedef struct {
  char        *field;
  MpMergeSide  side;
} SoftChange;

struct _MpMergeResult {
  JsonObject *document;
  GArray     *soft;       /* SoftChange */
  GPtrArray  *conflicts;  /* MpMergeConflict */
  gboolean    changes_theirs;
};

static const char * const system_fields[] = {
  "format", "id", "revision", "created", "modified",
};

/* private helpers */

static void
soft_change_clear (gpointer data)
{
  SoftChange *change = data;

  g_free (change->field);
}

static void
conflict_free (gpointer data)
{
  MpMergeConflict *conflict = data;

  g_free (conflict->field);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->theirs, json_node_unref);
  g_clear_pointer (&conflict->mine, json_node_unref);
  g_free (conflict);
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return json_node_equal (a, b);
}

static JsonNode *
copy_or_null (JsonNode *node)
{
  return node != NULL ? json_node_copy (node) : NULL;
}

static void
add_soft (MpMergeResult *result,
          const char    *field,
          MpMergeSide    side)
{
  SoftChange change = { g_strdup (field), side };

  g_array_append_val (result->soft, change);
}

static void
add_conflict (MpMergeResult *result,
              const char    *field,
              JsonNode      *base,
              JsonNode      *theirs,
              JsonNode      *mine)
{
  MpMergeConflict *conflict = g_new0 (MpMergeConflict, 1);

  conflict->field = g_strdup (field);
  conflict->base = copy_or_null (base);
  conflict->theirs = copy_or_null (theirs);
  conflict->mine = copy_or_null (mine);
  g_ptr_array_add (result->conflicts, conflict);
}

/* Decides one value three ways. Returns the value to keep (borrowed from the
 * arguments; NULL means "absent") and records what happened under @field. */
static JsonNode *
merge_value (MpMergeResult *result,
             const char    *field,
             JsonNode      *base,
             JsonNode      *theirs,
             JsonNode      *mine)
{
  gboolean theirs_changed = !nodes_equal (base, theirs);
  gboolean mine_changed = !nodes_equal (base, mine);

  if (!mine_changed)
    {
      if (theirs_changed)
        add_soft (result, field, MP_MERGE_SIDE_THEIRS);
      return theirs;
    }

  if (!theirs_changed)
    {
      add_soft (result, field, MP_MERGE_SIDE_MINE);
      result->changes_theirs = TRUE;
      return mine;
    }

  /* Both sides made the same edit: nothing to ask anyone about. */
  if (nodes_equal (theirs, mine))
    return theirs;

  add_conflict (result, field, base, theirs, mine);
  return theirs;
}

static JsonNode *
member_or_null (JsonObject *object,
                const char *key)
{
  if (object == NULL || !json_object_has_member (object, key))
    return NULL;

  return json_object_get_member (object, key);
}

/* The stage entries of a document by their "stage" key, and the keys in the
 * order they appear. Entries without a string "stage" are left out: the
 * document reader refuses them anyway. */
static GHashTable *
index_stages (JsonObject *document,
              GPtrArray  *order)
{
  GHashTable *entries = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *node = member_or_null (document, "stages");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return entries;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *entry = json_array_get_element (array, i);
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      key = json_object_get_string_member_with_default (json_node_get_object (entry),
                                                        "stage", NULL);
      if (key == NULL || g_hash_table_contains (entries, key))
        continue;
      g_hash_table_insert (entries, (gpointer) key, entry);
      if (order != NULL)
        g_ptr_array_add (order, (gpointer) key);
    }

  return entries;
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return TRUE;
  return FALSE;
}

static JsonNode *
merge_stages (MpMergeResult *result,
              JsonObject    *base,
              JsonObject    *theirs,
              JsonObject    *mine)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) base_entries = index_stages (base, NULL);
  g_autoptr(GHashTable) theirs_entries = index_stages (theirs, order);
  g_autoptr(GPtrArray) mine_order = g_ptr_array_new ();
  g_autoptr(GHashTable) mine_entries = index_stages (mine, mine_order);
  JsonArray *merged = json_array_new ();
  JsonNode *node;

  /* Their order wins; a stage only mine has goes after theirs. */
  for (guint i = 0; i < mine_order->len; i++)
    if (!ptr_array_has_string (order, g_ptr_array_index (mine_order, i)))
      g_ptr_array_add (order, g_ptr_array_index (mine_order, i));

  for (guint i = 0; i < order->len; i++)
    {
      const char *key = g_ptr_array_index (order, i);
      g_autofree char *field = g_strconcat ("stages.", key, NULL);
      JsonNode *kept;

      kept = merge_value (result, field,
                          g_hash_table_lookup (base_entries, key),
                          g_hash_table_lookup (theirs_entries, key),
                          g_hash_table_lookup (mine_entries, key));
      if (kept != NULL)
        json_array_add_element (merged, json_node_copy (kept));
    }

  node = json_node_init_array (json_node_alloc (), merged);
  /* The node took its own reference. */
  json_array_unref (merged);
  return node;
}

static JsonNode *
default_characteristic (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "has");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "justification");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonObject *
characteristics_of (JsonObject *document)
{
  JsonNode *node = member_or_null (document, "characteristics");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static void
collect_keys (JsonObject *object,
              GPtrArray  *keys)
{
  JsonObjectIter iter;
  const char *key;

  if (object == NULL)
    return;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    if (!ptr_array_has_string (keys, key))
      g_ptr_array_add (keys, (gpointer) key);
}

static JsonNode *
merge_characteristics (MpMergeResult *result,
                       JsonObject    *base,
                       JsonObject    *theirs,
                       JsonObject    *mine)
{
  JsonObject *base_chars = characteristics_of (base);
  JsonObject *theirs_chars = characteristics_of (theirs);
  JsonObject *mine_chars = characteristics_of (mine);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(JsonNode) absent = default_characteristic ();
  JsonObject *merged = json_object_new ();
  JsonNode *node;

  collect_keys (theirs_chars, keys);
  collect_keys (mine_chars, keys);
  collect_keys (base_chars, keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *field = g_strconcat ("characteristics.", key, NULL);
      JsonNode *b = member_or_null (base_chars, key);
      JsonNode *t = member_or_null (theirs_chars, key);
      JsonNode *m = member_or_null (mine_chars, key);
      JsonNode *kept;

      /* A missing key and an unticked, unjustified one say the same. */
      kept = merge_value (result, field,
                          b != NULL ? b : absent,
                          t != NULL ? t : absent,
                          m != NULL ? m : absent);
      json_object_set_member (merged, key, json_node_copy (kept));
    }

  node = json_node_init_object (json_node_alloc (), merged);
  json_object_unref (merged);
  return node;
}

/* public API */

gboolean
mp_merge_is_system_field (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (system_fields); i++)
    if (g_str_equal (key, system_fields[i]))
      return TRUE;
  return FALSE;
}

MpMergeResult *
mp_merge_documents (JsonObject *base,
                    JsonObject *theirs,
                    JsonObject *mine)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  MpMergeResult *result;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (theirs != NULL, NULL);
  g_return_val_if_fail (mine != NULL, NULL);

  result = g_new0 (MpMergeResult, 1);
  result->document = json_object_new ();
  result->soft = g_array_new (FALSE, FALSE, sizeof (SoftChange));
  g_array_set_clear_func (result->soft, soft_change_clear);
  result->conflicts = g_ptr_array_new_with_free_func (conflict_free);

  /* Keys in their order, so that a merge keeps the writer's stable layout. */
  collect_keys (theirs, keys);
  collect_keys (mine, keys);
  collect_keys (base, keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode *kept = NULL;

      if (mp_merge_is_system_field (key))
        {
          JsonNode *node = member_or_null (theirs, key);

          if (node != NULL)
            json_object_set_member (result->document, key, json_node_copy (node));
          continue;
        }

      if (g_str_equal (key, "stages"))
        {
          json_object_set_member (result->document, key,
                                  merge_stages (result, base, theirs, mine));
          continue;
        }

      if (g_str_equal (key, "characteristics"))
        {
          json_object_set_member (result->document, key,
                                  merge_characteristics (result, base, theirs, mine));
          continue;
        }

      kept = merge_value (result, key,
                          member_or_null (base, key),
                          member_or_null (theirs, key),
                          member_or_null (mine, key));
      if (kept != NULL)
        json_object_set_member (result->document, key, json_node_copy (kept));
    }

  return result;
}

void
mp_merge_result_free (MpMergeResult *result)
{
  if (result == NULL)
    return;

  json_object_unref (result->document);
  g_array_unref (result->soft);
  g_ptr_array_unref (result->conflicts);
  g_free (result);
}

JsonObject *
mp_merge_result_get_document (MpMergeResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return result->document;
}

gboolean
mp_merge_result_changes_theirs (MpMergeResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  return result->changes_theirs;
}

guint
mp_merge_result_get_n_soft (MpMergeResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->soft->len;
}

const char *
mp_merge_result_get_soft_field (MpMergeResult *result,
                                guint          index,
                                MpMergeSide   *side)
{
  SoftChange *change;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->soft->len, NULL);

  change = &g_array_index (result->soft, SoftChange, index);
  if (side != NULL)
    *side = change->side;
  return change->field;
}

gboolean
mp_merge_result_has_conflicts (MpMergeResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  return result->conflicts->len > 0;
}

guint
mp_merge_result_get_n_conflicts (MpMergeResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->conflicts->len;
}

const MpMergeConflict *
mp_merge_result_get_conflict (MpMergeResult *result,
                              guint          index)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->conflicts->len, NULL);

  return g_ptr_array_index (result->conflicts, index);
}
