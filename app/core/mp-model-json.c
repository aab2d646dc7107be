/* mp-model-json.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "mp-error.h"
#include "mp-model-json.h"

/* The keys of a document, in the order they are written. */
static const char * const document_keys[] = {
  "format", "id", "revision", "created", "modified", "language", "title", "summary",
  "organisation", "authors", "place", "regions", "funders", "collection", "themes",
  "target_groups", "basic_idea", "environment", "conditions", "target_insight", "core",
  "evaluation_summary", "lessons", "baseline", "needs", "co_developers", "intended_change",
  "measuring_change", "links", "stages", "characteristics", "based_on", "collaborators",
  "visibility", "unfinished",
};

static const char * const link_keys[] = { "title", "url" };
static const char * const stage_keys[] = { "stage", "state", "started", "finished", "notes" };
static const char * const characteristic_keys[] = { "has", "justification" };
static const char * const based_on_keys[] = { "id", "revision" };
static const char * const collaborator_keys[] = { "user", "role" };

/* private helpers: writing */

static char *
format_timestamp (gint64 time)
{
  g_autoptr(GDateTime) date_time = g_date_time_new_from_unix_utc (time);

  /* Only an unvalidated model can be out of range; write something readable. */
  if (date_time == NULL)
    date_time = g_date_time_new_from_unix_utc (0);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (date_time),
                          g_date_time_get_month (date_time),
                          g_date_time_get_day_of_month (date_time),
                          g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time),
                          g_date_time_get_second (date_time));
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *key,
                   const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
}

static void
add_strv_member (JsonBuilder        *builder,
                 const char         *key,
                 const char * const *values)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_text_member (JsonBuilder *builder,
                 MpModel     *model,
                 MpText       text)
{
  add_string_member (builder, mp_text_key (text), mp_model_get_text (model, text));
}

static void
add_list_member (JsonBuilder *builder,
                 MpModel     *model,
                 MpList       list)
{
  add_strv_member (builder, mp_list_key (list), mp_model_get_list (model, list));
}

static void
write_string (GString    *out,
              const char *value)
{
  const char *run = value;
  const char *p;

  g_string_append_c (out, '"');

  /* Copy runs of plain bytes at once: long texts are megabytes. Non-ASCII
   * stays as UTF-8 so that Finnish and Swedish text is readable. */
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }

  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
write_indent (GString  *out,
              gboolean  pretty,
              guint     depth)
{
  if (!pretty)
    return;

  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            gboolean  pretty,
            guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        /* json-glib keeps the members in the order they were added. */
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            write_indent (out, pretty, depth + 1);
            write_string (out, l->data);
            g_string_append (out, pretty ? ": " : ":");
            write_node (out, json_object_get_member (object, l->data), pretty, depth + 1);
          }
        if (members != NULL)
          write_indent (out, pretty, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_indent (out, pretty, depth + 1);
            write_node (out, json_array_get_element (array, i), pretty, depth + 1);
          }
        if (n > 0)
          write_indent (out, pretty, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          write_string (out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
      }
      break;
    }
}

/* The members of the compact document, written straight from the model
 * as write_node() writes mp_model_to_json()'s tree, without the tree: the
 * sync makes thousands of documents at once, and copying every text into
 * nodes first cost more than writing it. */

static void
write_key (GString    *out,
           const char *key)
{
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
write_string_member (GString    *out,
                     const char *key,
                     const char *value)
{
  write_key (out, key);
  write_string (out, value);
}

static void
write_strv_member (GString            *out,
                   const char         *key,
                   const char * const *values)
{
  write_key (out, key);
  g_string_append_c (out, '[');
  for (guint i = 0; values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_string (out, values[i]);
    }
  g_string_append_c (out, ']');
}

static void
write_model_compact (GString *out,
                     MpModel *model)
{
  g_autofree char *created = format_timestamp (mp_model_get_created (model));
  g_autofree char *modified = format_timestamp (mp_model_get_modified (model));
  guint n_terms;
  const MpTerm *terms;

#define TEXT(text) write_string_member (out, mp_text_key (text), mp_model_get_text (model, text))
#define LIST(list) write_strv_member (out, mp_list_key (list), mp_model_get_list (model, list))
#define COMMA g_string_append_c (out, ',')

  g_string_append_printf (out, "{\"format\":%d,", MP_DOCUMENT_FORMAT);
  write_string_member (out, "id", mp_model_get_id (model));
  g_string_append_printf (out, ",\"revision\":%" G_GINT64_FORMAT ",", (gint64) mp_model_get_revision (model));
  write_string_member (out, "created", created);
  COMMA;
  write_string_member (out, "modified", modified);
  COMMA;
  TEXT (MP_TEXT_LANGUAGE);
  COMMA;
  TEXT (MP_TEXT_TITLE);
  COMMA;
  TEXT (MP_TEXT_SUMMARY);
  COMMA;
  TEXT (MP_TEXT_ORGANISATION);
  COMMA;
  LIST (MP_LIST_AUTHORS);
  COMMA;
  TEXT (MP_TEXT_PLACE);
  COMMA;
  LIST (MP_LIST_REGIONS);
  COMMA;
  LIST (MP_LIST_FUNDERS);
  COMMA;
  TEXT (MP_TEXT_COLLECTION);
  COMMA;
  LIST (MP_LIST_THEMES);
  COMMA;
  LIST (MP_LIST_TARGET_GROUPS);
  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_N_TEXTS; text++)
    {
      COMMA;
      TEXT (text);
    }

  g_string_append (out, ",\"links\":[");
  for (guint i = 0; i < mp_model_get_n_links (model); i++)
    {
      const char *title, *url;

      mp_model_get_link (model, i, &title, &url);
      if (i > 0)
        COMMA;
      g_string_append_c (out, '{');
      write_string_member (out, "title", title);
      COMMA;
      write_string_member (out, "url", url);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "],\"stages\":[");
  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      if (stage > 0)
        COMMA;
      g_string_append_c (out, '{');
      write_string_member (out, "stage", mp_stage_key (stage));
      COMMA;
      write_string_member (out, "state", mp_stage_state_key (mp_model_get_stage_state (model, stage)));
      COMMA;
      write_string_member (out, "started", mp_model_get_stage_started (model, stage));
      COMMA;
      write_string_member (out, "finished", mp_model_get_stage_finished (model, stage));
      COMMA;
      write_string_member (out, "notes", mp_model_get_stage_notes (model, stage));
      g_string_append_c (out, '}');
    }

  g_string_append (out, "],\"characteristics\":{");
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      const char *justification;
      gboolean has = mp_model_get_characteristic (model, i, &justification);

      if (i > 0)
        COMMA;
      write_key (out, terms[i].key);
      g_string_append (out, has ? "{\"has\":true," : "{\"has\":false,");
      write_string_member (out, "justification", justification);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "},\"based_on\":");
  if (mp_model_get_based_on_id (model) != NULL)
    {
      g_string_append_c (out, '{');
      write_string_member (out, "id", mp_model_get_based_on_id (model));
      g_string_append_printf (out, ",\"revision\":%" G_GINT64_FORMAT "}",
                              (gint64) mp_model_get_based_on_revision (model));
    }
  else
    g_string_append (out, "null");

  g_string_append (out, ",\"collaborators\":[");
  for (guint i = 0; i < mp_model_get_n_collaborators (model); i++)
    {
      const char *user, *role;

      mp_model_get_collaborator (model, i, &user, &role);
      if (i > 0)
        COMMA;
      g_string_append_c (out, '{');
      write_string_member (out, "user", user);
      COMMA;
      write_string_member (out, "role", role);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],");

  write_string_member (out, "visibility",
                       mp_taxonomy_terms (MP_TAXONOMY_VISIBILITY, NULL)[mp_model_get_visibility (model)].key);
  g_string_append (out, mp_model_get_unfinished (model) ? ",\"unfinished\":true}" : ",\"unfinished\":false}");

#undef TEXT
#undef LIST
#undef COMMA
}

/* private helpers: reading */

static gboolean
fail (GError     **error,
      MpError      code,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      MpError      code,
      const char  *format,
      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (MP_ERROR, code, format, args));
  va_end (args);

  return FALSE;
}

static gboolean
check_keys (JsonObject         *object,
            const char         *field,
            const char * const *known,
            gsize               n_known,
            GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gboolean found = FALSE;

      for (gsize i = 0; i < n_known && !found; i++)
        found = strcmp (known[i], key) == 0;

      if (found)
        continue;

      if (field == NULL)
        return fail (error, MP_ERROR_INVALID, _("Unknown field “%s”"), key);
      else
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown field “%s”"), field, key);
    }

  return TRUE;
}

static gboolean
is_value_of_type (JsonNode *node,
                  GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A missing member gives "" (the default); a string over every limit is
 * refused here, before it is copied. */
static gboolean
get_string (JsonObject  *object,
            const char  *key,
            const char  *field,
            const char **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *value = "";
  if (node == NULL)
    return TRUE;

  if (!is_value_of_type (node, G_TYPE_STRING))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected a string"), field);

  *value = json_node_get_string (node);
  if (strlen (*value) > MP_MAX_LONG_TEXT)
    return fail (error, MP_ERROR_TOO_LARGE, _("Field “%s”: larger than %u MiB"), field,
                 (guint) (MP_MAX_LONG_TEXT / (1024 * 1024)));

  return TRUE;
}

static gboolean
get_integer (JsonObject  *object,
             const char  *key,
             const char  *field,
             gint64      *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!is_value_of_type (node, G_TYPE_INT64))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected a whole number"), field);

  *value = json_node_get_int (node);
  if (*value < 0)
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: must not be negative"), field);

  return TRUE;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *key,
             const char  *field,
             gboolean    *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!is_value_of_type (node, G_TYPE_BOOLEAN))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected true or false"), field);

  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Returns: %TRUE and *@array %NULL when the member is missing */
static gboolean
get_array (JsonObject  *object,
           const char  *key,
           JsonArray  **array,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *array = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected a list"), key);

  *array = json_node_get_array (node);
  if (json_array_get_length (*array) > MP_MAX_LIST_ITEMS)
    return fail (error, MP_ERROR_TOO_LARGE, _("Field “%s”: more than %u items"), key,
                 (guint) MP_MAX_LIST_ITEMS);

  return TRUE;
}

static JsonObject *
get_element_object (JsonArray   *array,
                    guint        index,
                    const char  *field,
                    GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, MP_ERROR_INVALID, _("Field “%s”: item %u is not an object"), field, index + 1);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
parse_timestamp (const char *text,
                 gint64     *time)
{
  int year, month, day, hour, minute, second;
  g_autoptr(GDateTime) date_time = NULL;

  /* Strictly "YYYY-MM-DDThh:mm:ssZ": one spelling keeps documents stable. */
  if (strlen (text) != 20)
    return FALSE;
  for (guint i = 0; i < 20; i++)
    {
      static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

      if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
        return FALSE;
    }

  if (sscanf (text, "%4d-%2d-%2dT%2d:%2d:%2dZ", &year, &month, &day, &hour, &minute, &second) != 6)
    return FALSE;

  date_time = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (date_time == NULL)
    return FALSE;

  *time = g_date_time_to_unix (date_time);
  return TRUE;
}

static gboolean
get_timestamp (JsonObject  *object,
               const char  *key,
               gint64      *time,
               GError     **error)
{
  const char *text;

  if (!get_string (object, key, key, &text, error))
    return FALSE;

  if (!json_object_has_member (object, key))
    return TRUE;

  if (!parse_timestamp (text, time))
    return fail (error, MP_ERROR_INVALID,
                 _("Field “%s”: “%s” is not a time of the form YYYY-MM-DDThh:mm:ssZ"), key, text);

  return TRUE;
}

static gboolean
read_string_list (JsonObject  *object,
                  MpModel     *model,
                  MpList       list,
                  GError     **error)
{
  const char *key = mp_list_key (list);
  JsonArray *array;
  g_autoptr(GPtrArray) values = NULL;
  guint n;

  if (!get_array (object, key, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  n = json_array_get_length (array);
  values = g_ptr_array_new_full (n + 1, NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!is_value_of_type (node, G_TYPE_STRING))
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: item %u is not a string"), key, i + 1);

      g_ptr_array_add (values, (gpointer) json_node_get_string (node));
    }
  g_ptr_array_add (values, NULL);

  mp_model_set_list (model, list, (const char * const *) values->pdata);
  return TRUE;
}

static gboolean
read_links (JsonObject  *object,
            MpModel     *model,
            GError     **error)
{
  JsonArray *array;

  if (!get_array (object, "links", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *link = get_element_object (array, i, "links", error);
      const char *title, *url;

      if (link == NULL ||
          !check_keys (link, "links", link_keys, G_N_ELEMENTS (link_keys), error) ||
          !get_string (link, "title", "links", &title, error) ||
          !get_string (link, "url", "links", &url, error))
        return FALSE;

      mp_model_add_link (model, title, url);
    }

  return TRUE;
}

static gboolean
read_stages (JsonObject  *object,
             MpModel     *model,
             GError     **error)
{
  JsonArray *array;

  if (!get_array (object, "stages", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  if (json_array_get_length (array) != MP_N_STAGES)
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected %u stages, found %u"), "stages",
                 (guint) MP_N_STAGES, json_array_get_length (array));

  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      JsonObject *stage = get_element_object (array, i, "stages", error);
      const char *key, *state_key, *started, *finished, *notes;
      int index, state;

      if (stage == NULL ||
          !check_keys (stage, "stages", stage_keys, G_N_ELEMENTS (stage_keys), error) ||
          !get_string (stage, "stage", "stages", &key, error) ||
          !get_string (stage, "state", "stages", &state_key, error) ||
          !get_string (stage, "started", "stages", &started, error) ||
          !get_string (stage, "finished", "stages", &finished, error) ||
          !get_string (stage, "notes", "stages", &notes, error))
        return FALSE;

      index = mp_stage_from_key (key);
      if (index < 0)
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown stage “%s”"), "stages", key);
      if ((guint) index != i)
        return fail (error, MP_ERROR_INVALID,
                     _("Field “%s”: expected stage “%s” in position %u, found “%s”"), "stages",
                     mp_stage_key (i), i + 1, key);

      state = state_key[0] == '\0' ? MP_STAGE_STATE_NOT_STARTED : mp_stage_state_from_key (state_key);
      if (state < 0)
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown state “%s” of stage “%s”"),
                     "stages", state_key, key);

      mp_model_set_stage_state (model, i, state);
      mp_model_set_stage_started (model, i, started);
      mp_model_set_stage_finished (model, i, finished);
      mp_model_set_stage_notes (model, i, notes);
    }

  return TRUE;
}

static gboolean
read_characteristics (JsonObject  *object,
                      MpModel     *model,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, "characteristics");
  JsonObject *characteristics;
  g_autoptr(GList) members = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected an object"), "characteristics");

  characteristics = json_node_get_object (node);
  members = json_object_get_members (characteristics);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (characteristics, key);
      JsonObject *characteristic;
      const char *justification;
      gboolean has = FALSE;
      int index;

      if (mp_taxonomy_lookup (MP_TAXONOMY_CHARACTERISTIC, key, &index) == NULL)
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown characteristic “%s”"),
                     "characteristics", key);

      if (!JSON_NODE_HOLDS_OBJECT (value))
        return fail (error, MP_ERROR_INVALID, _("Field “%s”: “%s” is not an object"),
                     "characteristics", key);

      characteristic = json_node_get_object (value);
      if (!check_keys (characteristic, "characteristics", characteristic_keys,
                       G_N_ELEMENTS (characteristic_keys), error) ||
          !get_boolean (characteristic, "has", "characteristics", &has, error) ||
          !get_string (characteristic, "justification", "characteristics", &justification, error))
        return FALSE;

      mp_model_set_characteristic (model, (guint) index, has, justification);
    }

  return TRUE;
}

static gboolean
read_based_on (JsonObject  *object,
               MpModel     *model,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "based_on");
  JsonObject *based_on;
  const char *id;
  gint64 revision = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: expected an object or null"), "based_on");

  based_on = json_node_get_object (node);
  if (!check_keys (based_on, "based_on", based_on_keys, G_N_ELEMENTS (based_on_keys), error) ||
      !get_string (based_on, "id", "based_on", &id, error) ||
      !get_integer (based_on, "revision", "based_on", &revision, error))
    return FALSE;

  if (id[0] == '\0')
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: the id is missing"), "based_on");

  mp_model_set_based_on (model, id, revision);
  return TRUE;
}

static gboolean
read_collaborators (JsonObject  *object,
                    MpModel     *model,
                    GError     **error)
{
  JsonArray *array;

  if (!get_array (object, "collaborators", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *collaborator = get_element_object (array, i, "collaborators", error);
      const char *user, *role;

      if (collaborator == NULL ||
          !check_keys (collaborator, "collaborators", collaborator_keys,
                       G_N_ELEMENTS (collaborator_keys), error) ||
          !get_string (collaborator, "user", "collaborators", &user, error) ||
          !get_string (collaborator, "role", "collaborators", &role, error))
        return FALSE;

      mp_model_add_collaborator (model, user, role);
    }

  return TRUE;
}

static gboolean
check_utf8_data (const char  *data,
                 gsize        length,
                 GError     **error)
{
  const char *end;

  /* Before json-glib sees it: its messages about bad bytes name no place. */
  if (!g_utf8_validate_len (data, length, &end))
    return fail (error, MP_ERROR_INVALID, _("The file is not valid UTF-8 (byte %lu)"),
                 (gulong) (end - data) + 1);

  return TRUE;
}

/* json-glib says "<data>:2:6: Parse error: unexpected …". */
static gboolean
fail_parse (GError       **error,
            const GError  *parse_error,
            guint          first_line)
{
  const char *message = parse_error->message;
  const char *rest;
  guint line = 0, column = 0;

  if (g_str_has_prefix (message, "<data>:") &&
      sscanf (message, "<data>:%u:%u:", &line, &column) == 2 &&
      (rest = strstr (message, ": Parse error: ")) != NULL)
    return fail (error, MP_ERROR_INVALID, _("Line %u, column %u: not valid JSON: %s"),
                 line + first_line - 1, column, rest + strlen (": Parse error: "));

  return fail (error, MP_ERROR_INVALID, _("Not valid JSON: %s"), message);
}

/* @first_line: the line of the file that @data starts on */
static JsonNode *
parse (const char  *data,
       gsize        length,
       guint        first_line,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      fail_parse (error, parse_error, first_line);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      fail (error, MP_ERROR_INVALID, _("The file holds no model"));
      return NULL;
    }

  return json_node_ref (root);
}

static gsize
skip_bom (const char **data,
          gsize        length)
{
  if (length >= 3 && memcmp (*data, "\xef\xbb\xbf", 3) == 0)
    {
      *data += 3;
      return length - 3;
    }

  return length;
}

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

/* One document a line: the first non-blank line is a whole object on its
 * own. A pretty-printed document opens with a lone "{". */
static gboolean
looks_like_json_lines (const char *data,
                       gsize       length)
{
  const char *end = data + length;
  const char *start = skip_space (data, end);
  const char *line_end;
  const char *last;

  if (start == end || *start != '{')
    return FALSE;

  line_end = memchr (start, '\n', (gsize) (end - start));
  if (line_end == NULL)
    return FALSE;

  last = line_end - 1;
  while (last > start && g_ascii_isspace (*last))
    last--;

  return last > start && *last == '}';
}

static gboolean
add_model (GPtrArray   *models,
           GHashTable  *ids,
           MpModel     *model,
           GError     **error)
{
  const char *id = mp_model_get_id (model);

  if (!g_hash_table_add (ids, g_strdup (id)))
    return fail (error, MP_ERROR_INVALID, _("Field “%s”: the model “%s” appears twice"), "id", id);

  g_ptr_array_add (models, g_object_ref (model));
  return TRUE;
}

static GPtrArray *
models_from_json_lines (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *end = data + length;
  const char *line = data;
  guint number = 0;

  while (line < end)
    {
      const char *line_end = memchr (line, '\n', (gsize) (end - line));
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(MpModel) model = NULL;
      g_autoptr(GError) local_error = NULL;

      if (line_end == NULL)
        line_end = end;
      number++;

      if (skip_space (line, line_end) != line_end)
        {
          /* A syntax error names its line and column already. */
          if ((node = parse (line, (gsize) (line_end - line), number, error)) == NULL)
            return NULL;

          if ((model = mp_model_from_json (node, &local_error)) == NULL ||
              !add_model (models, ids, model, &local_error))
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Line %u: "), number);
              return NULL;
            }
        }

      line = line_end + 1;
    }

  return g_steal_pointer (&models);
}

/* public API */

/**
 * mp_model_to_json:
 * @model: a model
 *
 * Returns: (transfer full): the model document, every key present, in the
 *   order of docs/model-document.md
 */
JsonNode *
mp_model_to_json (MpModel *model)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  guint n_terms;
  const MpTerm *terms;

  g_return_val_if_fail (MP_IS_MODEL (model), NULL);

  builder = json_builder_new_immutable ();
  created = format_timestamp (mp_model_get_created (model));
  modified = format_timestamp (mp_model_get_modified (model));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, MP_DOCUMENT_FORMAT);
  add_string_member (builder, "id", mp_model_get_id (model));
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, mp_model_get_revision (model));
  add_string_member (builder, "created", created);
  add_string_member (builder, "modified", modified);
  add_text_member (builder, model, MP_TEXT_LANGUAGE);
  add_text_member (builder, model, MP_TEXT_TITLE);
  add_text_member (builder, model, MP_TEXT_SUMMARY);
  add_text_member (builder, model, MP_TEXT_ORGANISATION);
  add_list_member (builder, model, MP_LIST_AUTHORS);
  add_text_member (builder, model, MP_TEXT_PLACE);
  add_list_member (builder, model, MP_LIST_REGIONS);
  add_list_member (builder, model, MP_LIST_FUNDERS);
  add_text_member (builder, model, MP_TEXT_COLLECTION);
  add_list_member (builder, model, MP_LIST_THEMES);
  add_list_member (builder, model, MP_LIST_TARGET_GROUPS);
  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_N_TEXTS; text++)
    add_text_member (builder, model, text);

  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mp_model_get_n_links (model); i++)
    {
      const char *title, *url;

      mp_model_get_link (model, i, &title, &url);
      json_builder_begin_object (builder);
      add_string_member (builder, "title", title);
      add_string_member (builder, "url", url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "stages");
  json_builder_begin_array (builder);
  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      json_builder_begin_object (builder);
      add_string_member (builder, "stage", mp_stage_key (stage));
      add_string_member (builder, "state", mp_stage_state_key (mp_model_get_stage_state (model, stage)));
      add_string_member (builder, "started", mp_model_get_stage_started (model, stage));
      add_string_member (builder, "finished", mp_model_get_stage_finished (model, stage));
      add_string_member (builder, "notes", mp_model_get_stage_notes (model, stage));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Every characteristic, in taxonomy order: a document says "no" as
   * plainly as "yes". */
  json_builder_set_member_name (builder, "characteristics");
  json_builder_begin_object (builder);
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      const char *justification;
      gboolean has = mp_model_get_characteristic (model, i, &justification);

      json_builder_set_member_name (builder, terms[i].key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "has");
      json_builder_add_boolean_value (builder, has);
      add_string_member (builder, "justification", justification);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "based_on");
  if (mp_model_get_based_on_id (model) != NULL)
    {
      json_builder_begin_object (builder);
      add_string_member (builder, "id", mp_model_get_based_on_id (model));
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, mp_model_get_based_on_revision (model));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "collaborators");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mp_model_get_n_collaborators (model); i++)
    {
      const char *user, *role;

      mp_model_get_collaborator (model, i, &user, &role);
      json_builder_begin_object (builder);
      add_string_member (builder, "user", user);
      add_string_member (builder, "role", role);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_string_member (builder, "visibility",
                     mp_taxonomy_terms (MP_TAXONOMY_VISIBILITY, NULL)[mp_model_get_visibility (model)].key);
  json_builder_set_member_name (builder, "unfinished");
  json_builder_add_boolean_value (builder, mp_model_get_unfinished (model));

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * mp_model_to_json_string:
 * @model: a model
 * @pretty: indent by two spaces, one member a line; otherwise one line,
 *   as JSON lines need
 *
 * Returns: (transfer full): the model document, without a final newline
 */
char *
mp_model_to_json_string (MpModel  *model,
                         gboolean  pretty)
{
  g_autoptr(JsonNode) node = NULL;
  GString *out;
  gsize size = 4096;

  g_return_val_if_fail (MP_IS_MODEL (model), NULL);

  for (MpText text = 0; text < MP_N_TEXTS; text++)
    size += strlen (mp_model_get_text (model, text));

  out = g_string_sized_new (size + size / 16);
  if (!pretty)
    write_model_compact (out, model);
  else
    {
      node = mp_model_to_json (model);
      write_node (out, node, pretty, 0);
    }

  return g_string_free (out, FALSE);
}

/**
 * mp_model_from_json:
 * @node: a model document
 * @error: return location for an error
 *
 * Returns: (transfer full): the model, or %NULL with @error naming the
 *   field: %MP_ERROR_INVALID, %MP_ERROR_TOO_LARGE for a field over its
 *   limit, %MP_ERROR_TOO_NEW for a document of a newer format
 */
MpModel *
mp_model_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(MpModel) model = NULL;
  JsonObject *object;
  const char *id, *value;
  gint64 format = 0, integer = 0, time = 0;
  gboolean unfinished = FALSE;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, MP_ERROR_INVALID, _("A model document must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  /* The format first: a newer document may hold keys this reader does not know. */
  if (!json_object_has_member (object, "format"))
    {
      fail (error, MP_ERROR_INVALID, _("Field “%s”: missing"), "format");
      return NULL;
    }
  if (!get_integer (object, "format", "format", &format, error))
    return NULL;
  if (format > MP_DOCUMENT_FORMAT)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, format);

      fail (error, MP_ERROR_TOO_NEW,
            _("Field “%s”: the document was written by a newer Mallipaja (format %s)"),
            "format", number);
      return NULL;
    }
  if (format < 1)
    {
      fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown format"), "format");
      return NULL;
    }

  if (!check_keys (object, NULL, document_keys, G_N_ELEMENTS (document_keys), error))
    return NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *required = i == 0 ? "id" : "title";

      if (!json_object_has_member (object, required))
        {
          fail (error, MP_ERROR_INVALID, _("Field “%s”: missing"), required);
          return NULL;
        }
    }

  if (!get_string (object, "id", "id", &id, error))
    return NULL;

  if (id[0] == '\0')
    {
      fail (error, MP_ERROR_INVALID, _("Field “%s”: missing"), "id");
      return NULL;
    }

  model = mp_model_new ();
  mp_model_set_id (model, id);

  if (!get_integer (object, "revision", "revision", &integer, error))
    return NULL;
  mp_model_set_revision (model, integer);

  if (!get_timestamp (object, "created", &time, error))
    return NULL;
  if (json_object_has_member (object, "created"))
    mp_model_set_created (model, time);
  if (!get_timestamp (object, "modified", &time, error))
    return NULL;
  if (json_object_has_member (object, "modified"))
    mp_model_set_modified (model, time);

  for (MpText text = 0; text < MP_N_TEXTS; text++)
    {
      const char *key = mp_text_key (text);

      if (!get_string (object, key, key, &value, error))
        return NULL;
      if (json_object_has_member (object, key))
        mp_model_set_text (model, text, value);
    }

  for (MpList list = 0; list < MP_N_LISTS; list++)
    if (!read_string_list (object, model, list, error))
      return NULL;

  if (!read_links (object, model, error) ||
      !read_stages (object, model, error) ||
      !read_characteristics (object, model, error) ||
      !read_based_on (object, model, error) ||
      !read_collaborators (object, model, error))
    return NULL;

  if (!get_string (object, "visibility", "visibility", &value, error))
    return NULL;
  if (value[0] != '\0')
    {
      int visibility;

      if (mp_taxonomy_lookup (MP_TAXONOMY_VISIBILITY, value, &visibility) == NULL)
        {
          fail (error, MP_ERROR_INVALID, _("Field “%s”: unknown visibility “%s”"), "visibility", value);
          return NULL;
        }
      mp_model_set_visibility (model, visibility);
    }

  if (!get_boolean (object, "unfinished", "unfinished", &unfinished, error))
    return NULL;
  mp_model_set_unfinished (model, unfinished);

  if (!mp_model_validate (model, error))
    return NULL;

  return g_steal_pointer (&model);
}

MpModel *
mp_model_from_json_string (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  len = skip_bom (&data, len);

  if (!check_utf8_data (data, len, error))
    return NULL;

  if ((node = parse (data, len, 1, error)) == NULL)
    return NULL;

  return mp_model_from_json (node, error);
}

/**
 * mp_models_from_data:
 * @data: one model document, a JSON array of them, or JSON lines
 * @length: the length of @data in bytes
 * @error: return location for an error
 *
 * All or nothing: either every model is valid, or @error names the first
 * problem ("Line 3: Field “stages”: …", "Model 2: …") and %NULL is
 * returned. A model id appearing twice is refused too.
 *
 * Returns: (transfer full) (element-type MpModel): the models
 */
GPtrArray *
mp_models_from_data (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *start;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  length = skip_bom (&data, length);

  if (!check_utf8_data (data, length, error))
    return NULL;

  start = skip_space (data, data + length);
  if (start == data + length)
    {
      fail (error, MP_ERROR_INVALID, _("The file holds no model"));
      return NULL;
    }

  if (looks_like_json_lines (data, length))
    return models_from_json_lines (data, length, error);

  if ((root = parse (data, length, 1, error)) == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func (g_object_unref);
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(MpModel) model = NULL;
          g_autoptr(GError) local_error = NULL;

          if ((model = mp_model_from_json (json_array_get_element (array, i), &local_error)) == NULL ||
              !add_model (models, ids, model, &local_error))
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Model %u: "), i + 1);
              return NULL;
            }
        }
    }
  else
    {
      g_autoptr(MpModel) model = mp_model_from_json (root, error);

      if (model == NULL)
        return NULL;

      g_ptr_array_add (models, g_steal_pointer (&model));
    }

  return g_steal_pointer (&models);
}

/**
 * mp_models_from_file:
 * @path: a file of model documents, see mp_models_from_data()
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type MpModel): the models, or %NULL
 */
GPtrArray *
mp_models_from_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  const char *contents;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Mapped, not read: a bank export can be large. */
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;

  contents = g_mapped_file_get_contents (file);
  return mp_models_from_data (contents != NULL ? contents : "", g_mapped_file_get_length (file), error);
}
