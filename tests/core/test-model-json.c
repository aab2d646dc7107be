/* test-model-json.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mallipaja-core.h"

#define ID_A "6f1c2a4e-8d0b-4b7e-9a53-3c2f5e1d9a01"
#define ID_B "0b6a6e52-2f0e-4c35-8a57-9f1de0a1c2b3"
#define ID_C "d2b0f0c4-6a7e-4f1d-9b3a-5e8c7d6f4a21"

/* The smallest document a reader accepts, with room for one more member. */
#define MINIMAL(extra) "{\"format\": 1, \"id\": \"" ID_A "\", \"title\": \"Malli\"" extra "}"

static char *
big_text (gsize size)
{
  static const char paragraph[] =
    "Päihde- ja mielenterveyspalvelut sijaishuollon aikana: \"kohtaaminen\" \\ tuki.\n"
    "- Målgrupps- och behovsorientering, Åland; ÅÄÖ åäö\t€ 😀\n\n";
  GString *s = g_string_sized_new (size + sizeof paragraph);

  while (s->len < size)
    g_string_append (s, paragraph);

  return g_string_free (s, FALSE);
}

static MpModel *
full_model (void)
{
  MpModel *model = mp_model_new ();
  g_autofree char *mega = big_text (1024 * 1024);
  const char * const authors[] = { "Maija Meikäläinen", "Åsa Öberg", NULL };
  const char * const regions[] = { "pirkanmaa", "ahvenanmaa", "national", NULL };
  const char * const funders[] = { "STM, Tulevaisuuden sosiaali- ja terveyskeskus -ohjelma", NULL };
  const char * const themes[] = { "family_support", "children_families", NULL };
  const char * const groups[] = { "families", "children", NULL };

  mp_model_set_id (model, ID_A);
  mp_model_set_revision (model, 3);
  mp_model_set_created (model, 1706779800);   /* 2024-02-01T09:30:00Z */
  mp_model_set_modified (model, 1760443541);  /* 2025-10-14T12:05:41Z */
  mp_model_set_text (model, MP_TEXT_LANGUAGE, "sv");
  mp_model_set_text (model, MP_TEXT_TITLE, "Familjecentralens mötesplats – perhekeskus");
  mp_model_set_text (model, MP_TEXT_SUMMARY, "En öppen mötesplats för familjer i Tammerfors.");
  mp_model_set_text (model, MP_TEXT_ORGANISATION, "Pirkanmaan hyvinvointialue");
  mp_model_set_text (model, MP_TEXT_PLACE, "Perhekeskukset, Tampere");
  mp_model_set_text (model, MP_TEXT_COLLECTION, "SOILA – Lastensuojelun kehittämisohjelma");
  mp_model_set_list (model, MP_LIST_AUTHORS, authors);
  mp_model_set_list (model, MP_LIST_REGIONS, regions);
  mp_model_set_list (model, MP_LIST_FUNDERS, funders);
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_model_set_list (model, MP_LIST_TARGET_GROUPS, groups);

  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_N_TEXTS; text++)
    {
      g_autofree char *value = g_strdup_printf ("%s: ääkköset åäö ÅÄÖ\n\n- kohta\x01", mp_text_key (text));
      mp_model_set_text (model, text, value);
    }
  mp_model_set_text (model, MP_TEXT_LESSONS, mega);

  mp_model_add_link (model, "Opas \"lyhyesti\"", "https://example.org/opas?a=1&b=ä");
  mp_model_add_link (model, "", "http://example.org/");

  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_NEED, "2023-01-10");
  mp_model_set_stage_finished (model, MP_STAGE_NEED, "2023-03-01");
  mp_model_set_stage_notes (model, MP_STAGE_NEED, "Tarve näkyi arjessa.");
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_DONE);
  mp_model_set_stage_state (model, MP_STAGE_TRIALS, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_stage_started (model, MP_STAGE_TRIALS, "2023-09-01");

  mp_model_set_characteristic (model, 2, TRUE, "Perheet mukana alusta asti.");
  mp_model_set_characteristic (model, 8, FALSE, "Ei vielä.");
  mp_model_set_characteristic (model, 15, TRUE, "");

  mp_model_set_based_on (model, ID_B, 2);
  mp_model_add_collaborator (model, "mmeika", "editor");
  mp_model_add_collaborator (model, "aoberg", "admin");
  mp_model_set_visibility (model, MP_VISIBILITY_PUBLIC);
  mp_model_set_unfinished (model, TRUE);

  g_assert_true (mp_model_validate (model, NULL));

  return model;
}

static void
assert_refused (const char *data,
                gssize      length,
                MpError     code,
                const char *named)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GPtrArray) models = NULL;
  gsize len = length < 0 ? strlen (data) : (gsize) length;

  model = mp_model_from_json_string (data, length, &error);
  g_assert_null (model);
  g_assert_error (error, MP_ERROR, (int) code);
  if (strstr (error->message, named) == NULL)
    g_error ("message “%s” does not name %s", error->message, named);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  models = mp_models_from_data (data, len, &error);
  g_assert_null (models);
  g_assert_error (error, MP_ERROR, (int) code);
  if (strstr (error->message, named) == NULL)
    g_error ("message “%s” does not name %s", error->message, named);
}

static void
test_round_trip (void)
{
  g_autoptr(MpModel) model = full_model ();

  for (guint pretty = 0; pretty < 2; pretty++)
    {
      g_autofree char *json = mp_model_to_json_string (model, pretty);
      g_autofree char *again = NULL;
      g_autoptr(MpModel) read = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_utf8_validate (json, -1, NULL));
      /* non-ASCII is written as is, control characters escaped */
      g_assert_nonnull (strstr (json, "Åsa Öberg"));
      g_assert_nonnull (strstr (json, "\\u0001"));
      g_assert_cmpuint (strlen (json), >, 1024 * 1024);
      if (!pretty)
        g_assert_null (strchr (json, '\n'));

      read = mp_model_from_json_string (json, -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (read);
      g_assert_true (mp_model_equal (model, read));

      again = mp_model_to_json_string (read, pretty);
      g_assert_cmpuint (strlen (again), ==, strlen (json));
      g_assert_true (memcmp (again, json, strlen (json)) == 0);
    }
}

static void
test_stable_output (void)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autofree char *json = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  const MpTerm *characteristics;
  guint n;

  mp_model_set_id (model, ID_A);
  mp_model_set_created (model, 1706779800);
  mp_model_set_modified (model, 1760443541);
  mp_model_set_text (model, MP_TEXT_TITLE, "Ohjaamo");

  g_string_append (expected,
                   "{\"format\":1,\"id\":\"" ID_A "\",\"revision\":0,"
                   "\"created\":\"2024-02-01T09:30:00Z\",\"modified\":\"2025-10-14T12:05:41Z\","
                   "\"language\":\"fi\",\"title\":\"Ohjaamo\",\"summary\":\"\",\"organisation\":\"\","
                   "\"authors\":[],\"place\":\"\",\"regions\":[],\"funders\":[],\"collection\":\"\","
                   "\"themes\":[],\"target_groups\":[],\"basic_idea\":\"\",\"environment\":\"\","
                   "\"conditions\":\"\",\"target_insight\":\"\",\"core\":\"\","
                   "\"evaluation_summary\":\"\",\"lessons\":\"\",\"baseline\":\"\",\"needs\":\"\","
                   "\"co_developers\":\"\",\"intended_change\":\"\",\"measuring_change\":\"\","
                   "\"links\":[],\"stages\":[");
  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    g_string_append_printf (expected,
                            "%s{\"stage\":\"%s\",\"state\":\"not_started\",\"started\":\"\","
                            "\"finished\":\"\",\"notes\":\"\"}",
                            stage > 0 ? "," : "", mp_stage_key (stage));
  g_string_append (expected, "],\"characteristics\":{");
  characteristics = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (expected, "%s\"%s\":{\"has\":false,\"justification\":\"\"}",
                            i > 0 ? "," : "", characteristics[i].key);
  g_string_append (expected,
                   "},\"based_on\":null,\"collaborators\":[],\"visibility\":\"private\","
                   "\"unfinished\":false}");

  json = mp_model_to_json_string (model, FALSE);
  g_assert_cmpstr (json, ==, expected->str);

  pretty = mp_model_to_json_string (model, TRUE);
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"format\": 1,\n  \"id\": \"" ID_A "\",\n"));
  g_assert_nonnull (strstr (pretty, "  \"authors\": [],\n"));
  g_assert_nonnull (strstr (pretty, "  \"stages\": [\n    {\n      \"stage\": \"need\",\n"));
  g_assert_true (g_str_has_suffix (pretty, "\n  \"unfinished\": false\n}"));
}

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_model_from_json_string (MINIMAL (""), -1, &error);
  g_autoptr(MpModel) with_null = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_id (model), ==, ID_A);
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_TITLE), ==, "Malli");
  g_assert_cmpstr (mp_model_get_text (model, MP_TEXT_LANGUAGE), ==, "fi");
  g_assert_cmpint (mp_model_get_revision (model), ==, 0);
  g_assert_cmpint (mp_model_get_visibility (model), ==, MP_VISIBILITY_PRIVATE);
  g_assert_cmpint (mp_model_get_current_stage (model), ==, MP_STAGE_NONE);
  g_assert_null (mp_model_get_based_on_id (model));

  with_null = mp_model_from_json_string (MINIMAL (", \"based_on\": null, \"characteristics\": "
                                                  "{\"networked\": {\"has\": true}}"), -1, &error);
  g_assert_no_error (error);
  g_assert_true (mp_model_get_characteristic (with_null, 10, NULL));
  g_assert_false (mp_model_get_characteristic (with_null, 9, NULL));
}

static void
test_refuse_malformed (void)
{
  assert_refused ("{\"format\": 1,\n \"id\": }", -1, MP_ERROR_INVALID, "Line 2");
  assert_refused ("[1, 2", -1, MP_ERROR_INVALID, "not valid JSON");
  assert_refused ("", -1, MP_ERROR_INVALID, "no model");
  assert_refused ("42", -1, MP_ERROR_INVALID, "JSON object");
}

static void
test_refuse_types (void)
{
  assert_refused ("{\"format\": 1, \"id\": \"" ID_A "\", \"title\": 5}", -1,
                  MP_ERROR_INVALID, "Field “title”: expected a string");
  assert_refused (MINIMAL (", \"revision\": \"3\""), -1, MP_ERROR_INVALID, "“revision”");
  assert_refused (MINIMAL (", \"revision\": 1.5"), -1, MP_ERROR_INVALID, "“revision”");
  assert_refused (MINIMAL (", \"revision\": -1"), -1, MP_ERROR_INVALID, "“revision”");
  assert_refused (MINIMAL (", \"stages\": \"need\""), -1, MP_ERROR_INVALID, "“stages”");
  assert_refused (MINIMAL (", \"unfinished\": \"yes\""), -1, MP_ERROR_INVALID, "“unfinished”");
  assert_refused (MINIMAL (", \"authors\": [\"A\", 7]"), -1, MP_ERROR_INVALID, "“authors”");
  assert_refused (MINIMAL (", \"links\": [{\"title\": \"x\", \"url\": \"ftp://x\"}]"), -1,
                  MP_ERROR_INVALID, "“links”");
  assert_refused (MINIMAL (", \"created\": \"2024-02-01 09:30\""), -1, MP_ERROR_INVALID, "“created”");
  assert_refused (MINIMAL (", \"based_on\": {\"id\": \"" ID_B "\", \"revision\": \"2\"}"), -1,
                  MP_ERROR_INVALID, "“based_on”");
  assert_refused (MINIMAL (", \"collaborators\": [{\"user\": \"x\", \"role\": \"owner\"}]"), -1,
                  MP_ERROR_INVALID, "“collaborators”");
  assert_refused (MINIMAL (", \"visibility\": \"secret\""), -1, MP_ERROR_INVALID, "“visibility”");
  assert_refused (MINIMAL (", \"language\": \"de\""), -1, MP_ERROR_INVALID, "“language”");
  assert_refused (MINIMAL (", \"characteristics\": {\"charm\": {\"has\": true}}"), -1,
                  MP_ERROR_INVALID, "“charm”");
  assert_refused ("{\"format\": 1, \"title\": \"Malli\"}", -1, MP_ERROR_INVALID, "“id”");
  assert_refused ("{\"format\": 1, \"id\": \"" ID_A "\"}", -1, MP_ERROR_INVALID, "“title”");
  assert_refused ("{\"format\": 1, \"id\": \"" ID_A "\", \"title\": \"\"}", -1,
                  MP_ERROR_INVALID, "“title”");
  assert_refused ("{\"id\": \"" ID_A "\", \"title\": \"Malli\"}", -1, MP_ERROR_INVALID, "“format”");
}

static void
test_refuse_unknown_key (void)
{
  assert_refused (MINIMAL (", \"colour\": \"red\""), -1, MP_ERROR_INVALID, "“colour”");
  assert_refused (MINIMAL (", \"links\": [{\"title\": \"x\", \"url\": \"https://x.fi\", \"rel\": 1}]"),
                  -1, MP_ERROR_INVALID, "“rel”");
}

static void
test_refuse_unknown_stage (void)
{
  const char *data =
    MINIMAL (", \"stages\": ["
             "{\"stage\": \"need\", \"state\": \"done\"},"
             "{\"stage\": \"launch\", \"state\": \"done\"},"
             "{\"stage\": \"trials\"}, {\"stage\": \"stabilisation\"},"
             "{\"stage\": \"scaling\"}, {\"stage\": \"systemic_change\"}]");

  assert_refused (data, -1, MP_ERROR_INVALID, "Field “stages”: unknown stage “launch”");
  assert_refused (MINIMAL (", \"stages\": [{\"stage\": \"need\"}]"), -1, MP_ERROR_INVALID,
                  "“stages”");
  assert_refused (MINIMAL (", \"stages\": ["
                           "{\"stage\": \"need\", \"state\": \"paused\"},"
                           "{\"stage\": \"idea\"}, {\"stage\": \"trials\"},"
                           "{\"stage\": \"stabilisation\"}, {\"stage\": \"scaling\"},"
                           "{\"stage\": \"systemic_change\"}]"),
                  -1, MP_ERROR_INVALID, "“paused”");
}

static void
test_refuse_unknown_region (void)
{
  assert_refused (MINIMAL (", \"regions\": [\"pirkanmaa\", \"tampere\"]"), -1, MP_ERROR_INVALID,
                  "Field “regions”: unknown region “tampere”");
}

static void
test_refuse_invalid_utf8 (void)
{
  /* "\xe4" is ä in Latin-1: a file saved in the wrong encoding */
  const char data[] = "{\"format\": 1, \"id\": \"" ID_A "\", \"title\": \"P\xe4ihde\"}";
  g_autofree char *expected = g_strdup_printf ("The file is not valid UTF-8 (byte %u)",
                                               (guint) (strchr (data, '\xe4') - data) + 1);

  assert_refused (data, -1, MP_ERROR_INVALID, expected);
  assert_refused (data, sizeof data, MP_ERROR_INVALID, "not valid UTF-8");
}

static void
test_refuse_too_large (void)
{
  gsize size = 50 * 1024 * 1024;
  GString *data = g_string_sized_new (size + 256);
  g_autofree char *text = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;

  g_string_append (data, "{\"format\": 1, \"id\": \"" ID_A "\", \"title\": \"Malli\", \"basic_idea\": \"");
  memset (data->str + data->len, 'a', size);
  g_string_set_size (data, data->len + size);
  g_string_append (data, "\"}");
  text = g_string_free (data, FALSE);

  model = mp_model_from_json_string (text, -1, &error);
  g_assert_null (model);
  g_assert_error (error, MP_ERROR, MP_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "“basic_idea”"));

  /* a short text over its limit in characters is too large as well */
  {
    g_autoptr(GString) title = g_string_new (MINIMAL (", \"place\": \""));

    g_string_truncate (title, title->len - 1);
    for (guint i = 0; i < MP_MAX_SHORT_TEXT + 1; i++)
      g_string_append (title, "ö");
    g_string_append (title, "\"}");
    assert_refused (title->str, -1, MP_ERROR_TOO_LARGE, "“place”");
  }
}

static void
test_refuse_newer_format (void)
{
  assert_refused ("{\"format\": 2, \"id\": \"" ID_A "\", \"title\": \"Malli\", \"hologram\": true}",
                  -1, MP_ERROR_TOO_NEW, "“format”");
}

static char *
line_of (MpModel *model)
{
  return mp_model_to_json_string (model, FALSE);
}

static void
test_many (void)
{
  g_autoptr(MpModel) a = full_model ();
  g_autoptr(MpModel) b = mp_model_new ();
  g_autoptr(MpModel) c = mp_model_new ();
  g_autofree char *la = NULL;
  g_autofree char *lb = NULL;
  g_autofree char *lc = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *array = NULL;
  g_autofree char *single = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  mp_model_set_id (b, ID_B);
  mp_model_set_text (b, MP_TEXT_TITLE, "Yhteinen pöytä");
  mp_model_set_id (c, ID_C);
  mp_model_set_text (c, MP_TEXT_TITLE, "Siivouspäivä");
  la = line_of (a);
  lb = line_of (b);
  lc = line_of (c);

  /* JSON lines, with a blank line and a CRLF */
  lines = g_strconcat (la, "\r\n", lb, "\n\n", lc, "\n", NULL);
  models = mp_models_from_data (lines, strlen (lines), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 3);
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 0), a));
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 1), b));
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 2), c));
  g_clear_pointer (&models, g_ptr_array_unref);

  array = g_strconcat ("[\n", la, ",\n", lb, "\n]\n", NULL);
  models = mp_models_from_data (array, strlen (array), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 1), b));
  g_clear_pointer (&models, g_ptr_array_unref);

  /* one pretty-printed document, behind a byte order mark */
  {
    g_autofree char *pretty = mp_model_to_json_string (c, TRUE);
    single = g_strconcat ("\xef\xbb\xbf", pretty, "\n", NULL);
  }
  models = mp_models_from_data (single, strlen (single), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 0), c));
  g_clear_pointer (&models, g_ptr_array_unref);

  models = mp_models_from_data ("[]", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 0);
}

static void
test_many_refused (void)
{
  g_autoptr(MpModel) a = mp_model_new ();
  g_autoptr(MpModel) b = mp_model_new ();
  g_autofree char *la = NULL;
  g_autofree char *lb = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad_lines[] = {
    "{\"format\": 1, \"id\": \"" ID_C "\", \"title\": \"Kolmas\", \"stages\": \"launch\"}",
    "{\"format\": 1, \"id\": \"" ID_C "\", \"title\": ",
    "{\"format\": 1, \"id\": \"" ID_C "\", \"title\": \"Kolmas\", \"regions\": [\"mars\"]}",
  };

  mp_model_set_id (a, ID_A);
  mp_model_set_text (a, MP_TEXT_TITLE, "Ensimmäinen");
  mp_model_set_id (b, ID_B);
  mp_model_set_text (b, MP_TEXT_TITLE, "Toinen");
  la = line_of (a);
  lb = line_of (b);

  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      g_free (data);
      data = g_strconcat (la, "\n", lb, "\n", bad_lines[i], "\n", la, "\n", NULL);
      models = mp_models_from_data (data, strlen (data), &error);
      g_assert_null (models);
      g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "Line 3: ") ||
                     g_str_has_prefix (error->message, "Line 3, column "));
      g_clear_error (&error);
    }

  /* the same model twice */
  g_free (data);
  data = g_strconcat (la, "\n", lb, "\n", la, "\n", NULL);
  models = mp_models_from_data (data, strlen (data), &error);
  g_assert_null (models);
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Line 3: "));
  g_assert_nonnull (strstr (error->message, ID_A));
  g_clear_error (&error);

  g_free (data);
  data = g_strconcat ("[", la, ",", lb, ", {\"format\": 1}]", NULL);
  models = mp_models_from_data (data, strlen (data), &error);
  g_assert_null (models);
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Model 3: "));
}

static void
test_from_file (void)
{
  g_autoptr(MpModel) model = full_model ();
  g_autofree char *json = mp_model_to_json_string (model, TRUE);
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  fd = g_file_open_tmp ("mallipaja-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  models = mp_models_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_true (mp_model_equal (g_ptr_array_index (models, 0), model));
  g_clear_pointer (&models, g_ptr_array_unref);

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  models = mp_models_from_file (path, &error);
  g_assert_null (models);
  g_assert_error (error, MP_ERROR, MP_ERROR_INVALID);
  g_clear_error (&error);

  g_unlink (path);
  models = mp_models_from_file (path, &error);
  g_assert_null (models);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-json/round-trip", test_round_trip);
  g_test_add_func ("/model-json/stable-output", test_stable_output);
  g_test_add_func ("/model-json/defaults", test_defaults);
  g_test_add_func ("/model-json/refuse/malformed", test_refuse_malformed);
  g_test_add_func ("/model-json/refuse/wrong-types", test_refuse_types);
  g_test_add_func ("/model-json/refuse/unknown-key", test_refuse_unknown_key);
  g_test_add_func ("/model-json/refuse/unknown-stage", test_refuse_unknown_stage);
  g_test_add_func ("/model-json/refuse/unknown-region", test_refuse_unknown_region);
  g_test_add_func ("/model-json/refuse/invalid-utf8", test_refuse_invalid_utf8);
  g_test_add_func ("/model-json/refuse/too-large", test_refuse_too_large);
  g_test_add_func ("/model-json/refuse/newer-format", test_refuse_newer_format);
  g_test_add_func ("/model-json/many/read", test_many);
  g_test_add_func ("/model-json/many/all-or-nothing", test_many_refused);
  g_test_add_func ("/model-json/from-file", test_from_file);

  return g_test_run ();
}
