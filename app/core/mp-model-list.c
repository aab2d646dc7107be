/* mp-model-list.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "mp-model-list.h"
#include "mp-model-summary.h"

/* Summaries handed out recently stay alive, so that a row asked for
 * twice (selection, scrolling back) is the same object without a query;
 * far fewer than a screenful of rows would be too few, the whole list
 * would defeat the point. */
#define CACHE_SIZE 256
/* A store change told in more ranges than this is told in one. A range
 * costs a view some 20 µs; one range over rows the view shows costs a
 * query for every row it covers (GTK 4.8 looks for the rows it tracks
 * among all of them), ~100 ms for 10,000. */
#define MAX_RANGES 2000

struct _MpModelList
{
  GObject parent_instance;

  /* owned */
  MpStore *store;
  MpQuery *query;
  GArray *rowids;       /* gint64, the current query's result */
  GHashTable *live;     /* rowid (gint64 *) → MpModelSummary, weak: every summary handed out that is alive */
  GQueue recent;        /* MpModelSummary, the last CACHE_SIZE made */

  /* While a store change is told range by range, the list is the new
   * result up to @split_new, then the old one from @split_old on. */
  GArray *old_rowids;
  guint split_new;
  guint split_old;
  gboolean again;       /* the store changed while the views were told */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MpModelList, mp_model_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  gint64 rowid;
  guint position;
} Entry;

/* private helpers */

static void
on_summary_finalized (gpointer  user_data,
                      GObject  *where_the_object_was)
{
  MpModelList *self = user_data;
  gint64 rowid = mp_model_summary_get_rowid ((MpModelSummary *) where_the_object_was);

  if (g_hash_table_lookup (self->live, &rowid) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->live, &rowid);
}

static void
live_forget (MpModelList *self,
             gint64       rowid)
{
  MpModelSummary *summary = g_hash_table_lookup (self->live, &rowid);

  if (summary == NULL)
    return;
  g_object_weak_unref (G_OBJECT (summary), on_summary_finalized, self);
  g_hash_table_remove (self->live, &rowid);
}

/* Takes a reference for the cache; @summary becomes the one for its rowid. */
static void
live_add (MpModelList    *self,
          MpModelSummary *summary)
{
  gint64 rowid = mp_model_summary_get_rowid (summary);

  live_forget (self, rowid);
  g_object_weak_ref (G_OBJECT (summary), on_summary_finalized, self);
  g_hash_table_insert (self->live, g_memdup2 (&rowid, sizeof rowid), summary);

  g_queue_push_tail (&self->recent, g_object_ref (summary));
  while (self->recent.length > CACHE_SIZE)
    g_object_unref (g_queue_pop_head (&self->recent));
}

/* A model that changed is made again when next asked for; a view that
 * still holds the old summary is told through items_changed. */
static void
forget (MpModelList *self,
        gint64       rowid)
{
  MpModelSummary *summary = g_hash_table_lookup (self->live, &rowid);

  if (summary == NULL)
    return;
  live_forget (self, rowid);
  if (g_queue_remove (&self->recent, summary))
    g_object_unref (summary);
}

static void
live_clear (MpModelList *self)
{
  GHashTableIter iter;
  gpointer summary;

  g_queue_clear_full (&self->recent, g_object_unref);
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &summary))
    g_object_weak_unref (summary, on_summary_finalized, self);
  g_hash_table_remove_all (self->live);
}

static gboolean
summary_equal (MpModelSummary *a,
               MpModelSummary *b)
{
  return mp_model_summary_get_rowid (a) == mp_model_summary_get_rowid (b) &&
         mp_model_summary_get_modified (a) == mp_model_summary_get_modified (b) &&
         mp_model_summary_get_revision (a) == mp_model_summary_get_revision (b) &&
         mp_model_summary_get_current_stage (a) == mp_model_summary_get_current_stage (b) &&
         mp_model_summary_get_visibility (a) == mp_model_summary_get_visibility (b) &&
         mp_model_summary_get_unfinished (a) == mp_model_summary_get_unfinished (b) &&
         mp_model_summary_get_is_draft (a) == mp_model_summary_get_is_draft (b) &&
         g_strcmp0 (mp_model_summary_get_id (a), mp_model_summary_get_id (b)) == 0 &&
         g_strcmp0 (mp_model_summary_get_title (a), mp_model_summary_get_title (b)) == 0 &&
         g_strcmp0 (mp_model_summary_get_organisation (a), mp_model_summary_get_organisation (b)) == 0 &&
         g_strcmp0 (mp_model_summary_get_region (a), mp_model_summary_get_region (b)) == 0;
}

/* After a change of many models: the summaries that views hold are read
 * again; those that changed are replaced and their rowids returned, for
 * their rows to be told. Summaries no view holds are dropped instead of
 * read: reading the few hundred a view holds costs a few milliseconds,
 * rebinding every row of the list (what one range over the whole list
 * makes a GtkListView do) costs a query per model. */
static GHashTable *
refresh_live (MpModelList *self)
{
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer summary;

  g_queue_clear_full (&self->recent, g_object_unref);

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &summary))
    g_ptr_array_add (held, g_object_ref (summary));

  for (guint i = 0; i < held->len; i++)
    {
      MpModelSummary *old = g_ptr_array_index (held, i);
      gint64 rowid = mp_model_summary_get_rowid (old);
      g_autoptr(MpModelSummary) fresh = mp_store_get_summary (self->store, rowid);

      if (fresh != NULL && summary_equal (old, fresh))
        continue;
      g_hash_table_add (changed, g_memdup2 (&rowid, sizeof rowid));
      if (fresh != NULL)
        live_add (self, fresh);
      else
        live_forget (self, rowid);
    }

  return g_steal_pointer (&changed);
}

static guint
get_n_items (MpModelList *self)
{
  if (self->old_rowids == NULL)
    return self->rowids->len;
  return self->split_new + self->old_rowids->len - self->split_old;
}

static gint64
get_rowid (MpModelList *self,
           guint        position)
{
  if (self->old_rowids == NULL || position < self->split_new)
    return g_array_index (self->rowids, gint64, position);
  return g_array_index (self->old_rowids, gint64, position - self->split_new + self->split_old);
}

static int
find_rowid (MpModelList *self,
            gint64       rowid)
{
  guint n_items = get_n_items (self);

  for (guint i = 0; i < n_items; i++)
    if (get_rowid (self, i) == rowid)
      return (int) i;
  return -1;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a, *y = b;

  return (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

/* The positions in @new of the models that keep their place: those in
 * both results, unchanged, and in the same order (the longest run of
 * increasing old positions, so that a model that moved is one removal and
 * one insertion, not every row in between). Fills @kept_old and
 * @kept_new (guint) in order. */
static void
find_kept (GArray     *old,
           GArray     *new,
           GHashTable *changed,
           GArray     *kept_old,
           GArray     *kept_new)
{
  g_autoptr(GArray) by_rowid = g_array_sized_new (FALSE, FALSE, sizeof (Entry), old->len);
  g_autoptr(GArray) seq_old = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seq_new = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *tails = NULL;
  g_autofree guint *previous = NULL;
  guint length = 0;

  for (guint i = 0; i < old->len; i++)
    {
      Entry entry = { g_array_index (old, gint64, i), i };

      g_array_append_val (by_rowid, entry);
    }
  g_array_sort (by_rowid, compare_entries);

  for (guint j = 0; j < new->len; j++)
    {
      Entry key = { g_array_index (new, gint64, j), 0 };
      /* An empty GArray's data is NULL, which bsearch() may not be given */
      Entry *found = by_rowid->len == 0 ? NULL
                     : bsearch (&key, by_rowid->data, by_rowid->len, sizeof (Entry), compare_entries);

      if (found == NULL || g_hash_table_contains (changed, &key.rowid))
        continue;
      g_array_append_val (seq_old, found->position);
      g_array_append_val (seq_new, j);
    }

  /* Longest increasing subsequence of seq_old, O(n log n) */
  tails = g_new (guint, seq_old->len + 1);
  previous = g_new (guint, seq_old->len + 1);
  for (guint i = 0; i < seq_old->len; i++)
    {
      guint value = g_array_index (seq_old, guint, i);
      guint low = 0, high = length;

      while (low < high)
        {
          guint middle = (low + high) / 2;

          if (g_array_index (seq_old, guint, tails[middle]) < value)
            low = middle + 1;
          else
            high = middle;
        }
      previous[i] = low > 0 ? tails[low - 1] : G_MAXUINT;
      tails[low] = i;
      if (low == length)
        length++;
    }

  g_array_set_size (kept_old, length);
  g_array_set_size (kept_new, length);
  for (guint k = length, i = length > 0 ? tails[length - 1] : 0; k > 0; k--, i = previous[i])
    {
      g_array_index (kept_old, guint, k - 1) = g_array_index (seq_old, guint, i);
      g_array_index (kept_new, guint, k - 1) = g_array_index (seq_new, guint, i);
    }
}

/* Tells the views the change from the current result to @rowids as the
 * fewest ranges, one items_changed each, the list reading as the new
 * result up to the end of each range and as the old one after it. The
 * rows in @changed are told even when they kept their places. */
static void
replace_in_ranges (MpModelList *self,
                   GArray      *rowids,
                   GHashTable  *changed)
{
  g_autoptr(GArray) old = g_steal_pointer (&self->rowids);
  g_autoptr(GArray) kept_old = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) kept_new = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_ranges = 0, first = G_MAXUINT, last_old = 0, last_new = 0;
  guint i = 0, j = 0;

  self->rowids = rowids;
  find_kept (old, rowids, changed, kept_old, kept_new);

  /* A sentinel after the last rows */
  g_array_append_val (kept_old, old->len);
  g_array_append_val (kept_new, rowids->len);
  for (guint k = 0; k < kept_old->len; k++)
    {
      guint next_old = g_array_index (kept_old, guint, k);
      guint next_new = g_array_index (kept_new, guint, k);

      if (next_old > i || next_new > j)
        {
          n_ranges++;
          first = MIN (first, j);
          last_old = next_old;
          last_new = next_new;
        }
      i = next_old + 1;
      j = next_new + 1;
    }

  if (n_ranges == 0)
    return;

  if (n_ranges > MAX_RANGES)
    {
      /* first is where both results start to differ, the same in both */
      g_list_model_items_changed (G_LIST_MODEL (self), first, last_old - first, last_new - first);
      return;
    }

  self->old_rowids = old;
  i = j = 0;
  for (guint k = 0; k < kept_old->len; k++)
    {
      guint next_old = g_array_index (kept_old, guint, k);
      guint next_new = g_array_index (kept_new, guint, k);

      if (next_old > i || next_new > j)
        {
          self->split_new = next_new;
          self->split_old = next_old;
          g_list_model_items_changed (G_LIST_MODEL (self), j, next_old - i, next_new - j);
        }
      i = next_old + 1;
      j = next_new + 1;
    }
  self->old_rowids = NULL;
}

/* After a change of many models ("bank-changed"): any of them may have
 * moved, come or gone, or changed in place. */
static void
requery_in_ranges (MpModelList *self)
{
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GError) error = NULL;
  GArray *rowids;
  guint n_old = self->rowids->len;

  if (self->old_rowids != NULL)
    {
      self->again = TRUE;
      return;
    }

  rowids = mp_store_query (self->store, self->query, &error);
  if (rowids == NULL)
    {
      g_warning ("Could not query the model bank: %s", error->message);
      return;
    }

  changed = refresh_live (self);
  replace_in_ranges (self, rowids, changed);
  if (n_old != self->rowids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (self->again)
    {
      self->again = FALSE;
      requery_in_ranges (self);
    }
}

/* Runs the query again and tells the views exactly which range changed:
 * the common head and tail of the old and new results stay. A model
 * whose row was rewritten (@changed_rowid) is reported even when its
 * position did not move, so that its row shows the new title. */
static void
requery (MpModelList *self,
         gint64       changed_rowid)
{
  g_autoptr(GArray) old = NULL;
  g_autoptr(GError) error = NULL;
  GArray *rowids;
  guint n_old, n_new, prefix = 0, suffix = 0;

  /* A handler of the ranges being told changed the store or the query */
  if (self->old_rowids != NULL)
    {
      self->again = TRUE;
      return;
    }

  rowids = mp_store_query (self->store, self->query, &error);
  if (rowids == NULL)
    {
      /* The views have no way to show this; keep the last good result. */
      g_warning ("Could not query the model bank: %s", error->message);
      return;
    }

  old = g_steal_pointer (&self->rowids);
  self->rowids = rowids;
  n_old = old->len;
  n_new = rowids->len;

  while (prefix < n_old && prefix < n_new &&
         g_array_index (old, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         g_array_index (old, gint64, n_old - 1 - suffix) ==
         g_array_index (rowids, gint64, n_new - 1 - suffix))
    suffix++;

  if (changed_rowid != 0)
    {
      int pos = -1;

      for (guint i = 0; i < n_new && pos < 0; i++)
        if (g_array_index (rowids, gint64, i) == changed_rowid)
          pos = (int) i;

      /* In the kept head or tail the position is the same row in both
       * results, so widening the range there is exact. */
      if (pos >= 0 && n_old == n_new && prefix == n_new)
        {
          /* Nothing moved: only the row itself. */
          prefix = pos;
          suffix = n_new - pos - 1;
        }
      else if (pos >= 0 && (guint) pos < prefix)
        prefix = pos;
      else if (pos >= 0 && (guint) pos >= n_new - suffix)
        suffix = n_new - pos - 1;
    }

  if (n_old - prefix - suffix != 0 || n_new - prefix - suffix != 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                  n_old - prefix - suffix, n_new - prefix - suffix);
      if (n_old != n_new)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  if (self->again)
    {
      self->again = FALSE;
      requery_in_ranges (self);
    }
}

/* callbacks */

static void
on_model_changed (MpModelList *self,
                  const char  *id,
                  MpStore     *store)
{
  g_autoptr(MpModelSummary) summary = mp_store_get_summary_by_id (store, id);
  gint64 rowid = 0;

  if (summary != NULL)
    {
      rowid = mp_model_summary_get_rowid (summary);
      forget (self, rowid);
    }
  else
    {
      /* Deleted: its summary, if a view holds it, is not handed out again */
      GHashTableIter iter;
      gpointer held;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &held))
        if (g_strcmp0 (mp_model_summary_get_id (held), id) == 0)
          {
            forget (self, mp_model_summary_get_rowid (held));
            break;
          }
    }
  requery (self, rowid);
}

static void
on_bank_changed (MpModelList *self,
                 MpStore     *store)
{
  requery_in_ranges (self);
}

/* GListModel */

static GType
mp_model_list_get_item_type (GListModel *model)
{
  return MP_TYPE_MODEL_SUMMARY;
}

static guint
mp_model_list_get_n_items (GListModel *model)
{
  return get_n_items (MP_MODEL_LIST (model));
}

static gpointer
mp_model_list_get_item (GListModel *model,
                        guint       position)
{
  MpModelList *self = MP_MODEL_LIST (model);
  MpModelSummary *summary;
  gint64 rowid;

  if (position >= get_n_items (self))
    return NULL;

  rowid = get_rowid (self, position);
  if ((summary = g_hash_table_lookup (self->live, &rowid)))
    return g_object_ref (summary);

  if (!(summary = mp_store_get_summary (self->store, rowid)))
    return NULL;
  live_add (self, summary);
  return summary;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = mp_model_list_get_item_type;
  iface->get_n_items = mp_model_list_get_n_items;
  iface->get_item = mp_model_list_get_item;
}

/* GObject overrides */

static void
mp_model_list_constructed (GObject *object)
{
  MpModelList *self = (MpModelList *) object;

  G_OBJECT_CLASS (mp_model_list_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));

  g_signal_connect_object (self->store, "model-changed",
                           G_CALLBACK (on_model_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "bank-changed",
                           G_CALLBACK (on_bank_changed), self, G_CONNECT_SWAPPED);

  requery (self, 0);
}

static void
mp_model_list_dispose (GObject *object)
{
  MpModelList *self = (MpModelList *) object;

  live_clear (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_model_list_parent_class)->dispose (object);
}

static void
mp_model_list_finalize (GObject *object)
{
  MpModelList *self = (MpModelList *) object;

  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->query, mp_query_free);

  G_OBJECT_CLASS (mp_model_list_parent_class)->finalize (object);
}

static void
mp_model_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MpModelList *self = MP_MODEL_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, get_n_items (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MpModelList *self = MP_MODEL_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      mp_model_list_set_query (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_model_list_class_init (MpModelListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mp_model_list_constructed;
  object_class->dispose = mp_model_list_dispose;
  object_class->finalize = mp_model_list_finalize;
  object_class->get_property = mp_model_list_get_property;
  object_class->set_property = mp_model_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL,
                        MP_TYPE_QUERY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mp_model_list_init (MpModelList *self)
{
  self->query = mp_query_new ();
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->recent);
}

/* public API */

/**
 * mp_model_list_new:
 * @store: the bank to list
 *
 * Returns: (transfer full): a list of every model in @store, by title,
 *   until a query is set
 */
MpModelList *
mp_model_list_new (MpStore *store)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);

  return g_object_new (MP_TYPE_MODEL_LIST, "store", store, NULL);
}

MpStore *
mp_model_list_get_store (MpModelList *self)
{
  g_return_val_if_fail (MP_IS_MODEL_LIST (self), NULL);

  return self->store;
}

const MpQuery *
mp_model_list_get_query (MpModelList *self)
{
  g_return_val_if_fail (MP_IS_MODEL_LIST (self), NULL);

  return self->query;
}

/**
 * mp_model_list_set_query:
 * @self: a list
 * @query: (nullable): what to show; %NULL shows everything
 *
 * Runs @query and emits one items_changed for the range that differs.
 */
void
mp_model_list_set_query (MpModelList   *self,
                         const MpQuery *query)
{
  g_autoptr(MpQuery) copy = NULL;

  g_return_if_fail (MP_IS_MODEL_LIST (self));

  copy = query != NULL ? mp_query_copy (query) : mp_query_new ();
  if (mp_query_equal (self->query, copy))
    return;

  g_clear_pointer (&self->query, mp_query_free);
  self->query = g_steal_pointer (&copy);

  /* During construction the store is not set yet; constructed() runs
   * the first query. */
  if (self->store != NULL)
    requery (self, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * mp_model_list_find:
 * @self: a list
 * @id: a model id
 *
 * Returns: the position of the model in the list, or -1
 */
int
mp_model_list_find (MpModelList *self,
                    const char  *id)
{
  g_autoptr(MpModelSummary) summary = NULL;

  g_return_val_if_fail (MP_IS_MODEL_LIST (self), -1);
  g_return_val_if_fail (id != NULL, -1);

  if (!(summary = mp_store_get_summary_by_id (self->store, id)))
    return -1;
  return find_rowid (self, mp_model_summary_get_rowid (summary));
}
