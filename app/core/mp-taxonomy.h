/* mp-taxonomy.h — stages, characteristics, themes, target groups, regions
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MP_STAGE_NEED,
  MP_STAGE_IDEA,
  MP_STAGE_TRIALS,
  MP_STAGE_STABILISATION,
  MP_STAGE_SCALING,
  MP_STAGE_SYSTEMIC_CHANGE,
  MP_N_STAGES
} MpStage;

/* A model that has started no stage has current stage MP_STAGE_NONE. */
#define MP_STAGE_NONE (-1)

typedef enum {
  MP_STAGE_STATE_NOT_STARTED,
  MP_STAGE_STATE_IN_PROGRESS,
  MP_STAGE_STATE_DONE,
  MP_N_STAGE_STATES
} MpStageState;

#define MP_N_CHARACTERISTICS 16

typedef enum {
  MP_TAXONOMY_STAGE,
  MP_TAXONOMY_STAGE_STATE,
  MP_TAXONOMY_CHARACTERISTIC,
  MP_TAXONOMY_THEME,
  MP_TAXONOMY_TARGET_GROUP,
  MP_TAXONOMY_REGION,
  MP_TAXONOMY_VISIBILITY,
  MP_N_TAXONOMIES
} MpTaxonomy;

/**
 * MpTerm:
 * @key: the stable identifier used in documents and the database
 * @en: English label (also the label used when no translation fits)
 * @fi: Finnish label, the domain's source language
 * @sv: Swedish label
 * @share: for characteristics, the share (per cent) found among 52 reviewed
 *   child-protection models, or -1 when the review gave none
 *
 * One entry of a taxonomy. The labels are data that the platform serves in
 * all three languages at once, so they live here in one table rather than
 * in the message catalogue.
 */
typedef struct {
  const char *key;
  const char *en;
  const char *fi;
  const char *sv;
  int share;
} MpTerm;

const MpTerm *mp_taxonomy_terms     (MpTaxonomy   taxonomy,
                                     guint       *n_terms);
const MpTerm *mp_taxonomy_lookup    (MpTaxonomy   taxonomy,
                                     const char  *key,
                                     int         *index);
const char   *mp_term_get_label     (const MpTerm *term,
                                     const char   *language);
const char   *mp_taxonomy_label     (MpTaxonomy   taxonomy,
                                     const char  *key);
const char   *mp_ui_language        (void);
const char   *mp_stage_key          (MpStage      stage);
int           mp_stage_from_key     (const char  *key);
const char   *mp_stage_state_key    (MpStageState state);
int           mp_stage_state_from_key (const char *key);

G_END_DECLS
