/* mp-overview.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"
#include "mp-model-printer.h"
#include "mp-statistics.h"

G_BEGIN_DECLS

#define MP_TYPE_OVERVIEW (mp_overview_get_type ())
G_DECLARE_FINAL_TYPE (MpOverview, mp_overview, MP, OVERVIEW, AdwWindow)

/* Figures for the selection of a model list (the main window's search and
 * filters): the number of models, the share having each characteristic
 * beside the review's, models per stage and per theme, and a chosen
 * characteristic's share per theme. Follows the list's query and the
 * bank's changes. Actions: overview.print, overview.export-csv. */

MpOverview   *mp_overview_new            (GtkWindow    *parent,
                                          MpModelList  *models);
MpModelList  *mp_overview_get_model_list (MpOverview   *self);
/* The figures shown, or %NULL before the first count or after an error. */
MpStatistics *mp_overview_get_statistics (MpOverview   *self);
/* The figures as a document, for printing. */
MpModelPrinter *mp_overview_create_printer (MpOverview *self);
/* Counts now instead of at the next idle. */
void          mp_overview_refresh        (MpOverview   *self);

G_END_DECLS
