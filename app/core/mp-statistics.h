/* mp-statistics.h — figures over a selection of the bank
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mp-query.h"
#include "mp-store.h"
#include "mp-taxonomy.h"

G_BEGIN_DECLS

/**
 * MpStatistics:
 * @n_models: models in the selection
 * @characteristics: models having each characteristic, by index into
 *   mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC)
 * @stages: models by their current stage (mp_model_get_current_stage())
 * @no_stage: models that have started no stage
 * @n_themes: the number of theme terms
 * @themes: models tagged with each theme, by index into
 *   mp_taxonomy_terms (MP_TAXONOMY_THEME)
 * @chosen: the characteristic of @chosen_themes, or -1 before
 *   mp_statistics_compute_by_theme()
 * @chosen_themes: for each theme, its models that have @chosen
 *
 * The figures of the Overview. A model counts once in each theme it is
 * tagged with, so the themes can add up to more than @n_models.
 */
typedef struct {
  guint  n_models;
  guint  characteristics[MP_N_CHARACTERISTICS];
  guint  stages[MP_N_STAGES];
  guint  no_stage;
  guint  n_themes;
  guint *themes;
  int    chosen;
  guint *chosen_themes;

  /*< private >*/
  char  *selection;
} MpStatistics;

/* The share of @count in @total as a percentage; 0 when @total is 0. */
double        mp_statistics_percent          (guint          count,
                                              guint          total);

/* Counts the models mp_store_query() gives for @query (%NULL: all). */
MpStatistics *mp_statistics_compute          (MpStore       *store,
                                              const MpQuery *query,
                                              GError       **error);
/* The same for a selection of rowids. */
MpStatistics *mp_statistics_compute_rowids   (MpStore       *store,
                                              GArray        *rowids,
                                              GError       **error);
/* Fills @chosen_themes for the characteristic at @characteristic. */
gboolean      mp_statistics_compute_by_theme (MpStatistics  *self,
                                              MpStore       *store,
                                              guint          characteristic,
                                              GError       **error);
/* The figures as CSV (RFC 4180, CRLF line ends) with labels in
 * @language ("fi", "sv", "en"; %NULL for the UI's). */
char         *mp_statistics_to_csv           (MpStatistics  *self,
                                              const char    *language);
void          mp_statistics_free             (MpStatistics  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MpStatistics, mp_statistics_free)

G_END_DECLS
