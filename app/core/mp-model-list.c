/* mp-model-list.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-model-list.h"
#include "mp-model-summary.h"

/* Summaries made recently, so that a row asked for twice (selection,
 * scrolling back) is the same object; far fewer than a screenful of rows
 * would be too few, the whole list would defeat the point. */
#define CACHE_SIZE 256

struct _MpModelList
{
  GObject parent_instance;

  /* owned */
  MpStore *store;
  MpQuery *query;
  GArray *rowids;       /* gint64, the current query's result */
  GHashTable *cache;    /* rowid (gint64 *) → MpModelSummary */
  GQueue cache_order;   /* rowids in the cache, oldest first */
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

/* private helpers */

static void
cache_clear (MpModelList *self)
{
  g_hash_table_remove_all (self->cache);
  g_queue_clear_full (&self->cache_order, g_free);
}

static void
cache_remove (MpModelList *self,
              gint64       rowid)
{
  for (GList *l = self->cache_order.head; l != NULL; l = l->next)
    {
      if (*(gint64 *) l->data == rowid)
        {
          g_hash_table_remove (self->cache, l->data);
          g_free (l->data);
          g_queue_delete_link (&self->cache_order, l);
          return;
        }
    }
}

static void
cache_add (MpModelList    *self,
           gint64          rowid,
           MpModelSummary *summary)
{
  gint64 *key;

  while (self->cache_order.length >= CACHE_SIZE)
    {
      g_autofree gint64 *oldest = g_queue_pop_head (&self->cache_order);

      g_hash_table_remove (self->cache, oldest);
    }

  key = g_memdup2 (&rowid, sizeof rowid);
  g_queue_push_tail (&self->cache_order, key);
  g_hash_table_insert (self->cache, key, g_object_ref (summary));
}

static int
find_rowid (GArray *rowids,
            gint64  rowid)
{
  for (guint i = 0; i < rowids->len; i++)
    if (g_array_index (rowids, gint64, i) == rowid)
      return (int) i;
  return -1;
}

/* Runs the query again and tells the views exactly which range changed:
 * the common head and tail of the old and new results stay. A model
 * whose row was rewritten (@changed_rowid) is reported even when its
 * position did not move, so that its row shows the new title; with
 * REQUERY_ALL (after an import) any row may have changed. */
#define REQUERY_ALL G_MININT64

static void
requery (MpModelList *self,
         gint64       changed_rowid)
{
  g_autoptr(GArray) old = NULL;
  g_autoptr(GError) error = NULL;
  GArray *rowids;
  guint n_old, n_new, prefix = 0, suffix = 0;

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

  if (changed_rowid == REQUERY_ALL)
    prefix = suffix = 0;
  else if (changed_rowid != 0)
    {
      int pos = find_rowid (rowids, changed_rowid);

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

  if (n_old - prefix - suffix == 0 && n_new - prefix - suffix == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              n_old - prefix - suffix, n_new - prefix - suffix);
  if (n_old != n_new)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
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
      cache_remove (self, rowid);
    }
  requery (self, rowid);
}

static void
on_bank_changed (MpModelList *self,
                 MpStore     *store)
{
  cache_clear (self);
  requery (self, REQUERY_ALL);
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
  MpModelList *self = MP_MODEL_LIST (model);

  return self->rowids->len;
}

static gpointer
mp_model_list_get_item (GListModel *model,
                        guint       position)
{
  MpModelList *self = MP_MODEL_LIST (model);
  MpModelSummary *summary;
  gint64 rowid;

  if (position >= self->rowids->len)
    return NULL;

  rowid = g_array_index (self->rowids, gint64, position);
  if ((summary = g_hash_table_lookup (self->cache, &rowid)))
    return g_object_ref (summary);

  if (!(summary = mp_store_get_summary (self->store, rowid)))
    return NULL;
  cache_add (self, rowid, summary);
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

  cache_clear (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_model_list_parent_class)->dispose (object);
}

static void
mp_model_list_finalize (GObject *object)
{
  MpModelList *self = (MpModelList *) object;

  g_clear_pointer (&self->cache, g_hash_table_unref);
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
      g_value_set_uint (value, self->rowids->len);
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
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
  g_queue_init (&self->cache_order);
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
  return find_rowid (self->rowids, mp_model_summary_get_rowid (summary));
}
