/* mp-model.h — one operating model ("toimintamalli")
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-taxonomy.h"

G_BEGIN_DECLS

/* Limits of the model record, in bytes of UTF-8. */
#define MP_MAX_TITLE       200   /* characters */
#define MP_MAX_SUMMARY     1000  /* characters */
#define MP_MAX_SHORT_TEXT  2000  /* characters: place, organisation, … */
#define MP_MAX_LONG_TEXT   (4 * 1024 * 1024)
#define MP_MAX_LIST_ITEMS  200

typedef enum {
  MP_VISIBILITY_PRIVATE,
  MP_VISIBILITY_ORGANISATION,
  MP_VISIBILITY_PUBLIC,
} MpVisibility;

/* Single-string fields of the record, in the platform's order: the basic
 * information first, then the long-text sections. Keys in the JSON document
 * are mp_text_key(). */
typedef enum {
  MP_TEXT_TITLE,
  MP_TEXT_SUMMARY,
  MP_TEXT_LANGUAGE,
  MP_TEXT_ORGANISATION,
  MP_TEXT_PLACE,
  MP_TEXT_COLLECTION,
  /* long texts */
  MP_TEXT_BASIC_IDEA,
  MP_TEXT_ENVIRONMENT,
  MP_TEXT_CONDITIONS,
  MP_TEXT_TARGET_INSIGHT,
  MP_TEXT_CORE,
  MP_TEXT_EVALUATION_SUMMARY,
  MP_TEXT_LESSONS,
  /* development path ("Kehittämisen polku") */
  MP_TEXT_BASELINE,
  MP_TEXT_NEEDS,
  MP_TEXT_CO_DEVELOPERS,
  MP_TEXT_INTENDED_CHANGE,
  MP_TEXT_MEASURING_CHANGE,
  MP_N_TEXTS
} MpText;

#define MP_TEXT_FIRST_LONG MP_TEXT_BASIC_IDEA
#define MP_TEXT_FIRST_PATH MP_TEXT_BASELINE

typedef enum {
  MP_LIST_AUTHORS,
  MP_LIST_REGIONS,        /* region keys, MP_TAXONOMY_REGION */
  MP_LIST_FUNDERS,
  MP_LIST_THEMES,         /* theme keys, MP_TAXONOMY_THEME */
  MP_LIST_TARGET_GROUPS,  /* MP_TAXONOMY_TARGET_GROUP */
  MP_N_LISTS
} MpList;

const char *mp_text_key             (MpText text);
int         mp_text_from_key        (const char *key);
const char *mp_text_label           (MpText text);   /* translated */
gboolean    mp_text_is_essential    (MpText text);
gsize       mp_text_max_length      (MpText text);   /* characters for short, bytes for long */
const char *mp_list_key             (MpList list);
const char *mp_list_label           (MpList list);   /* translated */

#define MP_TYPE_MODEL (mp_model_get_type ())
G_DECLARE_FINAL_TYPE (MpModel, mp_model, MP, MODEL, GObject)

/* "changed" (detail: the field key, e.g. "changed::basic_idea") is
 * emitted after any setter that changed something. */

MpModel            *mp_model_new                  (void);
MpModel            *mp_model_copy                 (MpModel      *self);
MpModel            *mp_model_derive               (MpModel      *self);
gboolean            mp_model_equal                (MpModel      *a,
                                                   MpModel      *b);
/* Checks the limits of the record (lengths, list sizes, taxonomy keys,
 * UTF-8, dates); the message names the field. The store calls it before
 * saving, the JSON reader after reading. */
gboolean            mp_model_validate             (MpModel      *self,
                                                   GError      **error);

const char         *mp_model_get_id               (MpModel      *self);
void                mp_model_set_id               (MpModel      *self,
                                                   const char   *id);
gint64              mp_model_get_revision         (MpModel      *self);
void                mp_model_set_revision         (MpModel      *self,
                                                   gint64        revision);
/* Timestamps are UTC seconds since the epoch. */
gint64              mp_model_get_created          (MpModel      *self);
void                mp_model_set_created          (MpModel      *self,
                                                   gint64        created);
gint64              mp_model_get_modified         (MpModel      *self);
void                mp_model_set_modified         (MpModel      *self,
                                                   gint64        modified);
void                mp_model_touch                (MpModel      *self);

/* Never NULL: an empty field is "". */
const char         *mp_model_get_text             (MpModel      *self,
                                                   MpText        text);
gboolean            mp_model_set_text             (MpModel      *self,
                                                   MpText        text,
                                                   const char   *value);

/* NULL-terminated, never NULL. */
const char * const *mp_model_get_list             (MpModel      *self,
                                                   MpList        list);
void                mp_model_set_list             (MpModel      *self,
                                                   MpList        list,
                                                   const char * const *values);

MpStageState        mp_model_get_stage_state      (MpModel      *self,
                                                   MpStage       stage);
void                mp_model_set_stage_state      (MpModel      *self,
                                                   MpStage       stage,
                                                   MpStageState  state);
/* Dates are "YYYY-MM-DD" or "". */
const char         *mp_model_get_stage_started    (MpModel      *self,
                                                   MpStage       stage);
void                mp_model_set_stage_started    (MpModel      *self,
                                                   MpStage       stage,
                                                   const char   *date);
const char         *mp_model_get_stage_finished   (MpModel      *self,
                                                   MpStage       stage);
void                mp_model_set_stage_finished   (MpModel      *self,
                                                   MpStage       stage,
                                                   const char   *date);
const char         *mp_model_get_stage_notes      (MpModel      *self,
                                                   MpStage       stage);
void                mp_model_set_stage_notes      (MpModel      *self,
                                                   MpStage       stage,
                                                   const char   *notes);
/* The stage in progress that comes last, else the last one done, else
 * MP_STAGE_NONE. */
int                 mp_model_get_current_stage    (MpModel      *self);

/* @index is into mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC). */
gboolean            mp_model_get_characteristic   (MpModel      *self,
                                                   guint         index,
                                                   const char  **justification);
void                mp_model_set_characteristic   (MpModel      *self,
                                                   guint         index,
                                                   gboolean      has,
                                                   const char   *justification);

guint               mp_model_get_n_links          (MpModel      *self);
void                mp_model_get_link             (MpModel      *self,
                                                   guint         index,
                                                   const char  **title,
                                                   const char  **url);
void                mp_model_add_link             (MpModel      *self,
                                                   const char   *title,
                                                   const char   *url);
void                mp_model_remove_link          (MpModel      *self,
                                                   guint         index);

/* Roles are "editor" (käyttäjä) and "admin" (ylläpitäjä). */
guint               mp_model_get_n_collaborators  (MpModel      *self);
void                mp_model_get_collaborator     (MpModel      *self,
                                                   guint         index,
                                                   const char  **user,
                                                   const char  **role);
void                mp_model_add_collaborator     (MpModel      *self,
                                                   const char   *user,
                                                   const char   *role);
void                mp_model_remove_collaborator  (MpModel      *self,
                                                   guint         index);

/* NULL when the model was not derived from another. */
const char         *mp_model_get_based_on_id      (MpModel      *self);
gint64              mp_model_get_based_on_revision (MpModel     *self);
void                mp_model_set_based_on         (MpModel      *self,
                                                   const char   *id,
                                                   gint64        revision);

MpVisibility        mp_model_get_visibility       (MpModel      *self);
void                mp_model_set_visibility       (MpModel      *self,
                                                   MpVisibility  visibility);
gboolean            mp_model_get_unfinished       (MpModel      *self);
void                mp_model_set_unfinished       (MpModel      *self,
                                                   gboolean      unfinished);

/* Concatenation of the long texts, for the search index. */
char               *mp_model_dup_body             (MpModel      *self);

G_END_DECLS
