/* test-merge.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-merge.h"

static const char base_json[] =
  "{\"format\": 1, \"id\": \"6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01\", \"revision\": 3,"
  " \"modified\": \"2025-10-14T12:05:41Z\","
  " \"title\": \"Kohtaamispaikka\", \"summary\": \"Lyhyt\", \"place\": \"Tampere\","
  " \"themes\": [\"family_support\"],"
  " \"links\": [{\"title\": \"Opas\", \"url\": \"https://example.org/opas\"}],"
  " \"stages\": ["
  "   {\"stage\": \"need\", \"state\": \"done\", \"started\": \"\", \"finished\": \"\", \"notes\": \"\"},"
  "   {\"stage\": \"idea\", \"state\": \"in_progress\", \"started\": \"\", \"finished\": \"\", \"notes\": \"\"},"
  "   {\"stage\": \"trials\", \"state\": \"not_started\", \"started\": \"\", \"finished\": \"\", \"notes\": \"\"}],"
  " \"characteristics\": {\"participation\": {\"has\": true, \"justification\": \"Asukkaat\"}},"
  " \"visibility\": \"public\", \"unfinished\": false}";

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
base_with (const char *key,
           const char *value_json)
{
  JsonObject *object = parse_object (base_json);
  g_autoptr(JsonNode) value = json_from_string (value_json, NULL);

  g_assert_nonnull (value);
  json_object_set_member (object, key, g_steal_pointer (&value));
  return object;
}

static JsonObject *
stage_changed (JsonObject *document,
               guint       index,
               const char *member,
               const char *value)
{
  JsonArray *stages = json_object_get_array_member (document, "stages");
  JsonObject *entry = json_array_get_object_element (stages, index);

  json_object_set_string_member (entry, member, value);
  return document;
}

static gboolean
has_soft (MpMergeResult *result,
          const char    *field,
          MpMergeSide    side)
{
  for (guint i = 0; i < mp_merge_result_get_n_soft (result); i++)
    {
      MpMergeSide found_side;
      const char *found = mp_merge_result_get_soft_field (result, i, &found_side);

      if (g_str_equal (found, field) && found_side == side)
        return TRUE;
    }
  return FALSE;
}

static void
test_merge_identical (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = parse_object (base_json);
  g_autoptr(JsonObject) mine = parse_object (base_json);
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);
  g_autoptr(JsonNode) merged = json_node_init_object (json_node_alloc (),
                                                      mp_merge_result_get_document (result));
  g_autoptr(JsonNode) theirs_node = json_node_init_object (json_node_alloc (), theirs);

  g_assert_false (mp_merge_result_has_conflicts (result));
  g_assert_cmpuint (mp_merge_result_get_n_soft (result), ==, 0);
  g_assert_false (mp_merge_result_changes_theirs (result));
  g_assert_true (json_node_equal (merged, theirs_node));
}

static void
test_merge_soft_both_sides (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = base_with ("summary", "\"Heidän\"");
  g_autoptr(JsonObject) mine = base_with ("place", "\"Helsinki\"");
  g_autoptr(MpMergeResult) result = NULL;
  JsonObject *merged;

  json_object_set_int_member (theirs, "revision", 5);
  json_object_set_int_member (mine, "revision", 99);
  result = mp_merge_documents (base, theirs, mine);
  merged = mp_merge_result_get_document (result);

  g_assert_false (mp_merge_result_has_conflicts (result));
  g_assert_true (mp_merge_result_changes_theirs (result));
  g_assert_cmpstr (json_object_get_string_member (merged, "summary"), ==, "Heidän");
  g_assert_cmpstr (json_object_get_string_member (merged, "place"), ==, "Helsinki");
  /* System fields are theirs, whatever mine says. */
  g_assert_cmpint (json_object_get_int_member (merged, "revision"), ==, 5);
  g_assert_cmpuint (mp_merge_result_get_n_soft (result), ==, 2);
  g_assert_true (has_soft (result, "summary", MP_MERGE_SIDE_THEIRS));
  g_assert_true (has_soft (result, "place", MP_MERGE_SIDE_MINE));
}

static void
test_merge_hard_conflict (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = base_with ("summary", "\"Heidän\"");
  g_autoptr(JsonObject) mine = base_with ("summary", "\"Minun\"");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);
  const MpMergeConflict *conflict;

  g_assert_true (mp_merge_result_has_conflicts (result));
  g_assert_cmpuint (mp_merge_result_get_n_conflicts (result), ==, 1);
  conflict = mp_merge_result_get_conflict (result, 0);
  g_assert_cmpstr (conflict->field, ==, "summary");
  g_assert_cmpstr (json_node_get_string (conflict->base), ==, "Lyhyt");
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Heidän");
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, "Minun");
  /* The merged document keeps theirs where the two disagree. */
  g_assert_cmpstr (json_object_get_string_member (mp_merge_result_get_document (result),
                                                  "summary"), ==, "Heidän");
}

static void
test_merge_same_change (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = base_with ("summary", "\"Sama\"");
  g_autoptr(JsonObject) mine = base_with ("summary", "\"Sama\"");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);

  g_assert_false (mp_merge_result_has_conflicts (result));
  g_assert_cmpuint (mp_merge_result_get_n_soft (result), ==, 0);
  g_assert_false (mp_merge_result_changes_theirs (result));
}

static void
test_merge_stages_per_entry (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = stage_changed (parse_object (base_json), 0, "notes", "heidän");
  g_autoptr(JsonObject) mine = stage_changed (parse_object (base_json), 2, "state", "in_progress");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);
  JsonArray *stages;

  g_assert_false (mp_merge_result_has_conflicts (result));
  g_assert_true (has_soft (result, "stages.need", MP_MERGE_SIDE_THEIRS));
  g_assert_true (has_soft (result, "stages.trials", MP_MERGE_SIDE_MINE));
  stages = json_object_get_array_member (mp_merge_result_get_document (result), "stages");
  g_assert_cmpuint (json_array_get_length (stages), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (stages, 0), "notes"),
                   ==, "heidän");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (stages, 1), "stage"),
                   ==, "idea");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (stages, 2), "state"),
                   ==, "in_progress");
}

static void
test_merge_stage_conflict (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = stage_changed (parse_object (base_json), 1, "notes", "heidän");
  g_autoptr(JsonObject) mine = stage_changed (parse_object (base_json), 1, "state", "done");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);
  const MpMergeConflict *conflict;

  /* A stage entry is one field: two edits of the same entry collide. */
  g_assert_cmpuint (mp_merge_result_get_n_conflicts (result), ==, 1);
  conflict = mp_merge_result_get_conflict (result, 0);
  g_assert_cmpstr (conflict->field, ==, "stages.idea");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (conflict->base));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (conflict->mine), "state"),
                   ==, "done");
}

static void
test_merge_characteristics_per_key (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = parse_object (base_json);
  g_autoptr(JsonObject) mine = parse_object (base_json);
  g_autoptr(MpMergeResult) result = NULL;
  JsonObject *chars;

  json_object_set_member (json_object_get_object_member (theirs, "characteristics"),
                          "networked",
                          json_from_string ("{\"has\": true, \"justification\": \"Verkosto\"}", NULL));
  json_object_set_member (json_object_get_object_member (mine, "characteristics"),
                          "participation",
                          json_from_string ("{\"has\": true, \"justification\": \"Kaikki\"}", NULL));
  /* Writing the default out explicitly is not a change. */
  json_object_set_member (json_object_get_object_member (mine, "characteristics"),
                          "social_good",
                          json_from_string ("{\"has\": false, \"justification\": \"\"}", NULL));
  result = mp_merge_documents (base, theirs, mine);

  g_assert_false (mp_merge_result_has_conflicts (result));
  g_assert_cmpuint (mp_merge_result_get_n_soft (result), ==, 2);
  g_assert_true (has_soft (result, "characteristics.networked", MP_MERGE_SIDE_THEIRS));
  g_assert_true (has_soft (result, "characteristics.participation", MP_MERGE_SIDE_MINE));
  chars = json_object_get_object_member (mp_merge_result_get_document (result), "characteristics");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (chars, "networked"), "has"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (chars, "participation"),
                                                  "justification"), ==, "Kaikki");
}

static void
test_merge_lists_whole (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = base_with ("themes", "[\"family_support\", \"housing\"]");
  g_autoptr(JsonObject) mine = base_with ("themes", "[\"family_support\", \"health\"]");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);

  /* Lists are one value: two different additions are a conflict, not a union. */
  g_assert_cmpuint (mp_merge_result_get_n_conflicts (result), ==, 1);
  g_assert_cmpstr (mp_merge_result_get_conflict (result, 0)->field, ==, "themes");
}

static void
test_merge_links_one_side (void)
{
  g_autoptr(JsonObject) base = parse_object (base_json);
  g_autoptr(JsonObject) theirs = parse_object (base_json);
  g_autoptr(JsonObject) mine = base_with ("links", "[]");
  g_autoptr(MpMergeResult) result = mp_merge_documents (base, theirs, mine);
  JsonArray *links;

  g_assert_false (mp_merge_result_has_conflicts (result));
  links = json_object_get_array_member (mp_merge_result_get_document (result), "links");
  g_assert_cmpuint (json_array_get_length (links), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/identical", test_merge_identical);
  g_test_add_func ("/merge/soft/both-sides", test_merge_soft_both_sides);
  g_test_add_func ("/merge/hard/same-field", test_merge_hard_conflict);
  g_test_add_func ("/merge/same-change", test_merge_same_change);
  g_test_add_func ("/merge/stages/per-entry", test_merge_stages_per_entry);
  g_test_add_func ("/merge/stages/conflict", test_merge_stage_conflict);
  g_test_add_func ("/merge/characteristics/per-key", test_merge_characteristics_per_key);
  g_test_add_func ("/merge/lists/whole-value", test_merge_lists_whole);
  g_test_add_func ("/merge/links/one-side", test_merge_links_one_side);

  return g_test_run ();
}
