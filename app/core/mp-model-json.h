/* mp-model-json.h — the model document: the JSON the sync sends and
 * --export-json prints
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mp-model.h"

G_BEGIN_DECLS

/* Bumped when a document changes in a way an older reader cannot take. */
#define MP_DOCUMENT_FORMAT 1

JsonNode  *mp_model_to_json          (MpModel     *model);
/* Stable: the same model always gives the same bytes (keys in a fixed
 * order), so exports and round trips can be compared byte for byte. */
char      *mp_model_to_json_string   (MpModel     *model,
                                      gboolean     pretty);
/* Validates everything and names the offending field in the MP_ERROR_INVALID
 * message; unknown keys are refused. */
MpModel   *mp_model_from_json        (JsonNode    *node,
                                      GError     **error);
MpModel   *mp_model_from_json_string (const char  *data,
                                      gssize       length,
                                      GError     **error);
/* Reads a file holding one model document, a JSON array of them, or JSON
 * lines (one document a line). Either every model is valid, or an error
 * names the first problem ("line 3: field “stages”: …") and nothing is
 * returned. */
GPtrArray *mp_models_from_file       (const char  *path,
                                      GError     **error);
GPtrArray *mp_models_from_data       (const char  *data,
                                      gsize        length,
                                      GError     **error);

G_END_DECLS
