/* mp-server-request.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mp-server-request.h"

/* Below this a gzip header costs more than it saves. */
#define GZIP_MIN_LENGTH 512

/* Fast over thorough: the feed is large and this is a 2-core machine; level
 * 1 still shrinks JSON text to about a fifth. */
#define GZIP_LEVEL 1

static void
copy_query_entry (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  g_hash_table_insert (user_data, g_strdup (key), g_strdup (value));
}

MpServerRequest *
mp_server_request_new (const char *method,
                       const char *path,
                       GHashTable *query,
                       GBytes     *body)
{
  MpServerRequest *request = g_new0 (MpServerRequest, 1);

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    g_hash_table_foreach (query, copy_query_entry, request->query);
  request->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  request->status = 500;

  return request;
}

void
mp_server_request_free (MpServerRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_free (request->authorization);
  g_free (request->if_none_match);
  g_free (request->idempotency_key);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->answer, g_bytes_unref);
  g_clear_pointer (&request->headers, g_hash_table_unref);
  g_free (request);
}

void
mp_server_request_set_header (MpServerRequest *request,
                              const char      *name,
                              const char      *value)
{
  g_hash_table_replace (request->headers, g_strdup (name), g_strdup (value));
}

void
mp_server_request_take_answer (MpServerRequest *request,
                               guint            status,
                               char            *text,
                               gsize            length)
{
  request->status = status;
  g_clear_pointer (&request->answer, g_bytes_unref);
  request->answer = text != NULL ? g_bytes_new_take (text, length) : NULL;
  request->gzipped = FALSE;
}

void
mp_server_request_set_json (MpServerRequest *request,
                            guint            status,
                            JsonNode        *node)
{
  gsize length = 0;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  mp_server_request_take_answer (request, status, text, length);
}

JsonNode *
mp_server_error_new (const char *code,
                     const char *field,
                     const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
mp_server_request_set_error (MpServerRequest *request,
                             guint            status,
                             const char      *code,
                             const char      *field,
                             const char      *format,
                             ...)
{
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) node = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  node = mp_server_error_new (code, field, message);
  mp_server_request_set_json (request, status, node);
}

void
mp_server_request_compress (MpServerRequest *request)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *in;
  gsize in_length, in_done = 0;
  GByteArray *out;

  if (!request->accepts_gzip || request->gzipped || request->answer == NULL ||
      g_bytes_get_size (request->answer) < GZIP_MIN_LENGTH)
    return;

  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, GZIP_LEVEL);
  in = g_bytes_get_data (request->answer, &in_length);
  out = g_byte_array_sized_new (in_length / 4 + 64);

  for (;;)
    {
      gsize read = 0, written = 0, old_length = out->len;
      GConverterResult result;

      g_byte_array_set_size (out, old_length + 64 * 1024);
      result = g_converter_convert (G_CONVERTER (compressor),
                                    in + in_done, in_length - in_done,
                                    out->data + old_length, 64 * 1024,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          /* Send it plain rather than not at all. */
          g_warning ("Cannot compress an answer: %s", error->message);
          g_byte_array_unref (out);
          return;
        }
      in_done += read;
      g_byte_array_set_size (out, old_length + written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }

  g_clear_pointer (&request->answer, g_bytes_unref);
  request->answer = g_byte_array_free_to_bytes (out);
  request->gzipped = TRUE;
}
