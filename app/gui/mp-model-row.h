/* mp-model-row.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_ROW (mp_model_row_get_type ())
G_DECLARE_FINAL_TYPE (MpModelRow, mp_model_row, MP, MODEL_ROW, AdwBin)

/* One model in the list: title, organisation and region, stage progress
 * and publication status. Property: "summary" (MpModelSummary). */

GtkWidget      *mp_model_row_new         (void);
MpModelSummary *mp_model_row_get_summary (MpModelRow     *self);
void            mp_model_row_set_summary (MpModelRow     *self,
                                          MpModelSummary *summary);
/* The status pill's text: "Draft", "Published", "Unfinished" or
 * "Organisation only". */
const char     *mp_model_row_get_status  (MpModelRow     *self);

G_END_DECLS
