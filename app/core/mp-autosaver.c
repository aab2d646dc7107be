/* mp-autosaver.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-autosaver.h"
#include "mp-sync-store.h"

typedef struct
{
  MpAutosaver *self;      /* borrowed: the entry dies with it */
  MpModel *model;         /* owned */
  /* owned: what the model was loaded from or last saved as; NULL when
   * queued without being watched, which has no known start */
  MpSaveSnapshot *snapshot;
  gulong changed_id;      /* 0 when queued but not watched */
  guint timeout_id;
  gboolean pending;
  gboolean saving;        /* while a save tells the views */
} Entry;

struct _MpAutosaver
{
  GObject parent_instance;

  /* owned */
  MpStore *store;
  GHashTable *entries;    /* MpModel * → Entry */
};

G_DEFINE_FINAL_TYPE (MpAutosaver, mp_autosaver, G_TYPE_OBJECT)

enum {
  SIGNAL_SAVED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* private helpers */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_handle_id (&entry->timeout_id, g_source_remove);
  g_clear_signal_handler (&entry->changed_id, entry->model);
  g_clear_pointer (&entry->snapshot, mp_save_snapshot_free);
  g_clear_object (&entry->model);
  g_free (entry);
}

static Entry *
ensure_entry (MpAutosaver *self,
              MpModel     *model)
{
  Entry *entry = g_hash_table_lookup (self->entries, model);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->self = self;
      entry->model = g_object_ref (model);
      g_hash_table_insert (self->entries, model, entry);
    }

  return entry;
}

static gboolean
pairs_equal (MpModel *a,
             MpModel *b,
             guint    (*get_n) (MpModel *),
             void     (*get) (MpModel *, guint, const char **, const char **))
{
  guint n = get_n (a);

  if (get_n (b) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *a_first, *a_second, *b_first, *b_second;

      get (a, i, &a_first, &a_second);
      get (b, i, &b_first, &b_second);
      if (g_strcmp0 (a_first, b_first) != 0 || g_strcmp0 (a_second, b_second) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Gives @model the fields of @merged through its setters, in place: the
 * views of @model (the editor, with the text being typed in it) follow
 * the fields that changed and keep the rest; replacing the model would
 * rebuild them. */
static void
take_merged (MpModel *model,
             MpModel *merged)
{
  mp_model_set_revision (model, mp_model_get_revision (merged));
  mp_model_set_created (model, mp_model_get_created (merged));
  mp_model_set_modified (model, mp_model_get_modified (merged));
  for (guint i = 0; i < MP_N_TEXTS; i++)
    mp_model_set_text (model, i, mp_model_get_text (merged, i));
  for (guint i = 0; i < MP_N_LISTS; i++)
    mp_model_set_list (model, i, mp_model_get_list (merged, i));
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      mp_model_set_stage_state (model, i, mp_model_get_stage_state (merged, i));
      mp_model_set_stage_started (model, i, mp_model_get_stage_started (merged, i));
      mp_model_set_stage_finished (model, i, mp_model_get_stage_finished (merged, i));
      mp_model_set_stage_notes (model, i, mp_model_get_stage_notes (merged, i));
    }
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      const char *justification;
      gboolean has = mp_model_get_characteristic (merged, i, &justification);

      mp_model_set_characteristic (model, i, has, justification);
    }

  if (!pairs_equal (model, merged, mp_model_get_n_links, mp_model_get_link))
    {
      while (mp_model_get_n_links (model) > 0)
        mp_model_remove_link (model, mp_model_get_n_links (model) - 1);
      for (guint i = 0; i < mp_model_get_n_links (merged); i++)
        {
          const char *title, *url;

          mp_model_get_link (merged, i, &title, &url);
          mp_model_add_link (model, title, url);
        }
    }
  if (!pairs_equal (model, merged, mp_model_get_n_collaborators, mp_model_get_collaborator))
    {
      while (mp_model_get_n_collaborators (model) > 0)
        mp_model_remove_collaborator (model, mp_model_get_n_collaborators (model) - 1);
      for (guint i = 0; i < mp_model_get_n_collaborators (merged); i++)
        {
          const char *user, *role;

          mp_model_get_collaborator (merged, i, &user, &role);
          mp_model_add_collaborator (model, user, role);
        }
    }

  mp_model_set_based_on (model, mp_model_get_based_on_id (merged), mp_model_get_based_on_revision (merged));
  mp_model_set_visibility (model, mp_model_get_visibility (merged));
  mp_model_set_unfinished (model, mp_model_get_unfinished (merged));

  /* A field added to MpModel must be taken here too. */
  g_warn_if_fail (mp_model_equal (model, merged));
}

static gboolean
save_entry (Entry   *entry,
            GError **error)
{
  MpAutosaver *self = entry->self;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MpModel) model = g_object_ref (entry->model);
  g_autoptr(MpModel) merged = NULL;

  /* Asked again by a view that this save is telling: it is written. */
  if (entry->saving)
    return TRUE;

  g_clear_handle_id (&entry->timeout_id, g_source_remove);

  /* Bumping the modified time is not an edit of ours to save again. */
  if (entry->changed_id != 0)
    g_signal_handler_block (model, entry->changed_id);
  mp_model_touch (model);
  if (entry->changed_id != 0)
    g_signal_handler_unblock (model, entry->changed_id);

  /* Merged with the bank's copy when a pull or an import wrote it since
   * the model was loaded: the old values of what they brought are not
   * written back. */
  if (!mp_sync_store_save_merging (self->store, model, entry->snapshot, &merged, &local_error))
    {
      /* Still pending: the next change or flush tries again. */
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, model, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* What the merge took from the bank is shown, and is no edit to save. */
  if (merged != NULL)
    {
      if (entry->changed_id != 0)
        g_signal_handler_block (model, entry->changed_id);
      take_merged (model, merged);
      if (entry->changed_id != 0)
        g_signal_handler_unblock (model, entry->changed_id);
    }

  entry->pending = FALSE;
  /* The model counts as pending while the views hear of the save, as it
   * did when the store told them from inside the save: a view that
   * follows the store keeps its copy, already the bank's, instead of
   * loading it again after every autosave. */
  entry->saving = TRUE;
  mp_store_emit_changed (self->store, mp_model_get_id (model));

  /* A handler may have unwatched the model. */
  if ((entry = g_hash_table_lookup (self->entries, model)) != NULL)
    {
      entry->saving = FALSE;
      /* A model queued without being watched is done with once written. */
      if (entry->changed_id == 0 && !entry->pending)
        g_hash_table_remove (self->entries, model);
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, model);
  return TRUE;
}

/* callbacks */

static gboolean
on_timeout (gpointer data)
{
  Entry *entry = data;

  entry->timeout_id = 0;
  save_entry (entry, NULL);
  return G_SOURCE_REMOVE;
}

/* Connected swapped, so it does not depend on the signal's arguments. */
static void
on_model_changed (Entry *entry)
{
  mp_autosaver_queue (entry->self, entry->model);
}

/* GObject overrides */

static void
mp_autosaver_dispose (GObject *object)
{
  MpAutosaver *self = (MpAutosaver *) object;

  /* Typing must not be lost because the window went away first. */
  if (self->entries != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mp_autosaver_flush (self, &error))
        g_warning ("Unsaved changes were lost: %s", error->message);
    }

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_autosaver_parent_class)->dispose (object);
}

static void
mp_autosaver_class_init (MpAutosaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mp_autosaver_dispose;

  /**
   * MpAutosaver::saved:
   * @model: the model that was written
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MP_TYPE_MODEL);

  /**
   * MpAutosaver::failed:
   * @model: the model that could not be written
   * @error: why
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MP_TYPE_MODEL, G_TYPE_ERROR);
}

static void
mp_autosaver_init (MpAutosaver *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
}

/* public API */

MpAutosaver *
mp_autosaver_new (MpStore *store)
{
  MpAutosaver *self;

  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  self = g_object_new (MP_TYPE_AUTOSAVER, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * mp_autosaver_watch:
 * @self: an autosaver
 * @model: a model being edited
 *
 * Saves @model MP_AUTOSAVE_DELAY_MS after each burst of changes.
 */
void
mp_autosaver_watch (MpAutosaver *self,
                    MpModel     *model)
{
  Entry *entry;

  g_return_if_fail (MP_IS_AUTOSAVER (self));
  g_return_if_fail (MP_IS_MODEL (model));

  entry = ensure_entry (self, model);
  /* Taken before any edit: what the model in memory started from. */
  if (entry->snapshot == NULL && !entry->pending)
    entry->snapshot = mp_sync_store_take_snapshot (self->store, model);
  if (entry->changed_id == 0)
    entry->changed_id = g_signal_connect_swapped (model, "changed",
                                                 G_CALLBACK (on_model_changed), entry);
}

/**
 * mp_autosaver_unwatch:
 * @self: an autosaver
 * @model: a watched model
 *
 * Stops watching @model, writing what is pending first.
 */
void
mp_autosaver_unwatch (MpAutosaver *self,
                      MpModel     *model)
{
  Entry *entry;

  g_return_if_fail (MP_IS_AUTOSAVER (self));
  g_return_if_fail (MP_IS_MODEL (model));

  if (!(entry = g_hash_table_lookup (self->entries, model)))
    return;

  if (entry->pending)
    save_entry (entry, NULL);
  g_hash_table_remove (self->entries, model);
}

/**
 * mp_autosaver_queue:
 * @self: an autosaver
 * @model: a model that changed
 *
 * (Re)starts @model's save timer.
 */
void
mp_autosaver_queue (MpAutosaver *self,
                    MpModel     *model)
{
  Entry *entry;

  g_return_if_fail (MP_IS_AUTOSAVER (self));
  g_return_if_fail (MP_IS_MODEL (model));

  entry = ensure_entry (self, model);
  entry->pending = TRUE;
  g_clear_handle_id (&entry->timeout_id, g_source_remove);
  entry->timeout_id = g_timeout_add (MP_AUTOSAVE_DELAY_MS, on_timeout, entry);
}

gboolean
mp_autosaver_has_pending (MpAutosaver *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_val_if_fail (MP_IS_AUTOSAVER (self), FALSE);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->pending || entry->saving)
      return TRUE;
  return FALSE;
}

/**
 * mp_autosaver_is_pending:
 * @self: an autosaver
 * @model: a model
 *
 * Returns: whether @model has changes not yet written (or is being
 *   written)
 */
gboolean
mp_autosaver_is_pending (MpAutosaver *self,
                         MpModel     *model)
{
  Entry *entry;

  g_return_val_if_fail (MP_IS_AUTOSAVER (self), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  entry = g_hash_table_lookup (self->entries, model);
  return entry != NULL && (entry->pending || entry->saving);
}

/**
 * mp_autosaver_save_now:
 * @self: an autosaver
 * @model: a model
 * @error: why the write was refused
 *
 * Writes @model now if it has pending changes, merged with what another
 * writer put in the bank since it was loaded; the model takes the result.
 *
 * Returns: %TRUE when nothing of @model is left unwritten
 */
gboolean
mp_autosaver_save_now (MpAutosaver  *self,
                       MpModel      *model,
                       GError      **error)
{
  Entry *entry;

  g_return_val_if_fail (MP_IS_AUTOSAVER (self), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (model), FALSE);

  entry = g_hash_table_lookup (self->entries, model);
  if (entry == NULL || !entry->pending)
    return TRUE;
  return save_entry (entry, error);
}

/**
 * mp_autosaver_flush:
 * @self: an autosaver
 * @error: the first write that failed
 *
 * Writes every pending model now.
 *
 * Returns: %TRUE when everything was written
 */
gboolean
mp_autosaver_flush (MpAutosaver  *self,
                    GError      **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Entry *entry;
  gboolean ok = TRUE;

  g_return_val_if_fail (MP_IS_AUTOSAVER (self), FALSE);

  /* Saving emits signals whose handlers may queue or unwatch models:
   * do not walk the table while that can happen. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->pending)
      g_ptr_array_add (pending, g_object_ref (entry->model));

  for (guint i = 0; i < pending->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      entry = g_hash_table_lookup (self->entries, g_ptr_array_index (pending, i));
      if (entry == NULL || !entry->pending)
        continue;
      if (!save_entry (entry, &local_error))
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }

  return ok;
}
