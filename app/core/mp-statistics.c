/* mp-statistics.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "mp-error.h"
#include "mp-model.h"
#include "mp-statistics.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The selection is bound to every statement as one JSON array of rowids:
 * json_each() turns it into a set that SQLite probes by rowid, so each
 * figure is one statement whatever the size of the selection, and nothing
 * is written to the bank (not even a temporary table) to count it. */
#define SELECTION "(SELECT value FROM json_each (?1))"

/* Characteristics a model has are tags of their own kind
 * (MP_STORE_TAG_CHARACTERISTIC), so no document is read. */
static const char characteristics_sql[] =
  "SELECT t.key, count(*) FROM model_tags AS t"
  " WHERE t.kind = 5 AND t.model IN " SELECTION
  " GROUP BY t.key";

/* current_stage is a column kept by the store. */
static const char stages_sql[] =
  "SELECT m.current_stage, count(*) FROM models AS m"
  " WHERE m.rowid IN " SELECTION
  " GROUP BY m.current_stage";

/* model_tags kind 3 holds the themes (MP_LIST_THEMES). */
static const char themes_sql[] =
  "SELECT t.key, count(*) FROM model_tags AS t"
  " WHERE t.kind = 3 AND t.model IN " SELECTION
  " GROUP BY t.key";

static const char chosen_sql[] =
  "SELECT t.key, count(*) FROM model_tags AS t"
  " WHERE t.kind = 3 AND t.model IN " SELECTION
  " AND t.model IN (SELECT c.model FROM model_tags AS c WHERE c.kind = 5 AND c.key = ?2)"
  " GROUP BY t.key";

G_STATIC_ASSERT (MP_LIST_THEMES == 3 && MP_STORE_TAG_CHARACTERISTIC == 5);

/* private helpers */

static gboolean
set_db_error (sqlite3  *db,
              GError  **error)
{
  g_set_error (error, MP_ERROR, MP_ERROR_FAILED,
               _("The model bank could not be read: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         const char  *selection,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (db, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, selection, -1, SQLITE_STATIC);
  return stmt;
}

/* Adds each row's count (column 1) to @counts at the index of its term
 * key (column 0); keys a newer platform knows and this build does not are
 * left out. */
static gboolean
collect_by_term (sqlite3       *db,
                 sqlite3_stmt  *stmt,
                 MpTaxonomy     taxonomy,
                 guint         *counts,
                 GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      int index = -1;

      if (key != NULL && mp_taxonomy_lookup (taxonomy, key, &index) != NULL && index >= 0)
        counts[index] = (guint) sqlite3_column_int64 (stmt, 1);
    }

  return rc == SQLITE_DONE || set_db_error (db, error);
}

static char *
selection_to_json (GArray *rowids)
{
  GString *json = g_string_sized_new (rowids->len * 8 + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (rowids, gint64, i));
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
}

static void
csv_field (GString    *csv,
           const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (csv, value);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

/* One row: figure, item, models, share of @total (empty when @total is 0),
 * and the review's share (empty when it gave none). */
static void
csv_row (GString    *csv,
         const char *figure,
         const char *item,
         guint       count,
         guint       total,
         int         review_share)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  csv_field (csv, figure);
  g_string_append_c (csv, ',');
  csv_field (csv, item);
  g_string_append_printf (csv, ",%u,", count);
  /* Numbers in the C locale, so that spreadsheets in any language read
   * them as numbers and the comma stays the separator. */
  if (total > 0)
    g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.1f",
                                           mp_statistics_percent (count, total)));
  g_string_append_c (csv, ',');
  if (review_share >= 0)
    g_string_append_printf (csv, "%d", review_share);
  g_string_append (csv, "\r\n");
}

/* public API */

double
mp_statistics_percent (guint count,
                       guint total)
{
  return total > 0 ? 100.0 * count / total : 0.0;
}

/**
 * mp_statistics_compute:
 * @store: the bank
 * @query: (nullable): the selection, as the model list shows it
 * @error: a place for an error
 *
 * Returns: (transfer full): the figures, or %NULL
 */
MpStatistics *
mp_statistics_compute (MpStore        *store,
                       const MpQuery  *query,
                       GError        **error)
{
  g_autoptr(GArray) rowids = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  if (!(rowids = mp_store_query (store, query, error)))
    return NULL;

  return mp_statistics_compute_rowids (store, rowids, error);
}

/**
 * mp_statistics_compute_rowids:
 * @store: the bank
 * @rowids: (element-type gint64): the selection
 * @error: a place for an error
 *
 * One statement for each figure: characteristics, stages, themes.
 *
 * Returns: (transfer full): the figures, or %NULL
 */
MpStatistics *
mp_statistics_compute_rowids (MpStore  *store,
                              GArray   *rowids,
                              GError  **error)
{
  g_autoptr(MpStatistics) self = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (rowids != NULL, NULL);

  db = mp_store_get_db (store);
  self = g_new0 (MpStatistics, 1);
  self->chosen = -1;
  mp_taxonomy_terms (MP_TAXONOMY_THEME, &self->n_themes);
  self->themes = g_new0 (guint, MAX (self->n_themes, 1));
  self->chosen_themes = g_new0 (guint, MAX (self->n_themes, 1));
  self->selection = selection_to_json (rowids);
  self->n_models = rowids->len;

  {
    g_autoptr(sqlite3_stmt) stmt = prepare (db, characteristics_sql, self->selection, error);

    if (stmt == NULL ||
        !collect_by_term (db, stmt, MP_TAXONOMY_CHARACTERISTIC, self->characteristics, error))
      return NULL;
  }

  {
    g_autoptr(sqlite3_stmt) stmt = prepare (db, stages_sql, self->selection, error);

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 stage = sqlite3_column_int64 (stmt, 0);
        guint count = (guint) sqlite3_column_int64 (stmt, 1);

        if (stage >= 0 && stage < MP_N_STAGES)
          self->stages[stage] = count;
        else
          self->no_stage += count;
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (db, error);
        return NULL;
      }
  }

  {
    g_autoptr(sqlite3_stmt) stmt = prepare (db, themes_sql, self->selection, error);

    if (stmt == NULL || !collect_by_term (db, stmt, MP_TAXONOMY_THEME, self->themes, error))
      return NULL;
  }

  return g_steal_pointer (&self);
}

/**
 * mp_statistics_compute_by_theme:
 * @self: figures of a selection
 * @store: the bank they were computed from
 * @characteristic: an index into the characteristics
 * @error: a place for an error
 *
 * Counts, per theme, the selection's models that have @characteristic;
 * the share per theme is that over @themes.
 */
gboolean
mp_statistics_compute_by_theme (MpStatistics  *self,
                                MpStore       *store,
                                guint          characteristic,
                                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const MpTerm *terms;
  guint n_terms = 0;
  sqlite3 *db;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (MP_IS_STORE (store), FALSE);

  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  g_return_val_if_fail (characteristic < n_terms, FALSE);

  db = mp_store_get_db (store);
  if (!(stmt = prepare (db, chosen_sql, self->selection, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 2, terms[characteristic].key, -1, SQLITE_STATIC);

  memset (self->chosen_themes, 0, sizeof (guint) * self->n_themes);
  self->chosen = -1;
  if (!collect_by_term (db, stmt, MP_TAXONOMY_THEME, self->chosen_themes, error))
    return FALSE;

  self->chosen = (int) characteristic;
  return TRUE;
}

/**
 * mp_statistics_to_csv:
 * @self: figures
 * @language: (nullable): the language of the labels
 *
 * Columns: figure, item, models, share (per cent of the models the share
 * is of, one decimal, C locale), the review's share where it gave one.
 *
 * Returns: (transfer full): the CSV text
 */
char *
mp_statistics_to_csv (MpStatistics *self,
                      const char   *language)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  const MpTerm *terms;
  guint n_terms = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (language == NULL)
    language = mp_ui_language ();

  csv_field (csv, _("Figure"));
  g_string_append_c (csv, ',');
  csv_field (csv, _("Item"));
  g_string_append_c (csv, ',');
  csv_field (csv, _("Models"));
  g_string_append_c (csv, ',');
  csv_field (csv, _("Share (%)"));
  g_string_append_c (csv, ',');
  csv_field (csv, _("Share in the review (%)"));
  g_string_append (csv, "\r\n");

  csv_row (csv, _("Selection"), _("All models"), self->n_models, self->n_models, -1);

  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  for (guint i = 0; i < n_terms && i < MP_N_CHARACTERISTICS; i++)
    csv_row (csv, _("Characteristic"), mp_term_get_label (&terms[i], language),
             self->characteristics[i], self->n_models, terms[i].share);

  terms = mp_taxonomy_terms (MP_TAXONOMY_STAGE, &n_terms);
  for (guint i = 0; i < n_terms && i < MP_N_STAGES; i++)
    csv_row (csv, _("Current stage"), mp_term_get_label (&terms[i], language),
             self->stages[i], self->n_models, -1);
  csv_row (csv, _("Current stage"), _("No stage started"), self->no_stage, self->n_models, -1);

  terms = mp_taxonomy_terms (MP_TAXONOMY_THEME, &n_terms);
  for (guint i = 0; i < n_terms && i < self->n_themes; i++)
    csv_row (csv, _("Theme"), mp_term_get_label (&terms[i], language),
             self->themes[i], self->n_models, -1);

  if (self->chosen >= 0)
    {
      const MpTerm *chosen = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL) + self->chosen;
      /* Translators: the figure of a CSV row, e.g. "Networked, by theme";
       * the share is of the theme's models */
      g_autofree char *figure = g_strdup_printf (_("%s, by theme"),
                                                 mp_term_get_label (chosen, language));

      for (guint i = 0; i < n_terms && i < self->n_themes; i++)
        csv_row (csv, figure, mp_term_get_label (&terms[i], language),
                 self->chosen_themes[i], self->themes[i], -1);
    }

  return g_string_free (g_steal_pointer (&csv), FALSE);
}

void
mp_statistics_free (MpStatistics *self)
{
  if (self == NULL)
    return;

  g_free (self->themes);
  g_free (self->chosen_themes);
  g_free (self->selection);
  g_free (self);
}
