/* test-model-list.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mallipaja-core.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  char *dir;
  MpStore *store;
  MpModelList *list;
  GArray *changes;      /* Change */
  GPtrArray *mirror;    /* what a view would hold: MpModelSummary */
  guint n_items_notified;
} Fixture;

/* helpers */

static void
on_items_changed (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  Change change = { position, removed, added };

  g_array_append_val (fixture->changes, change);

  /* Apply the change the way a GtkListView would. */
  g_assert_cmpuint (position + removed, <=, fixture->mirror->len);
  g_ptr_array_remove_range (fixture->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (fixture->mirror, position + i, g_list_model_get_item (list, position + i));
}

static void
on_n_items (GObject    *object,
            GParamSpec *pspec,
            Fixture    *fixture)
{
  fixture->n_items_notified++;
}

/* The mirror kept up to date only by items_changed must show exactly
 * what the list holds now: titles included, so a changed title that was
 * not reported would be caught. */
static void
assert_mirror (Fixture *fixture)
{
  GListModel *list = G_LIST_MODEL (fixture->list);

  g_assert_cmpuint (fixture->mirror->len, ==, g_list_model_get_n_items (list));
  for (guint i = 0; i < fixture->mirror->len; i++)
    {
      g_autoptr(MpModelSummary) item = g_list_model_get_item (list, i);
      MpModelSummary *seen = g_ptr_array_index (fixture->mirror, i);

      g_assert_cmpint (mp_model_summary_get_rowid (seen), ==, mp_model_summary_get_rowid (item));
      g_assert_cmpstr (mp_model_summary_get_title (seen), ==, mp_model_summary_get_title (item));
    }
}

static void
assert_one_change (Fixture *fixture,
                   guint    position,
                   guint    removed,
                   guint    added)
{
  Change *change;

  g_assert_cmpuint (fixture->changes->len, ==, 1);
  change = &g_array_index (fixture->changes, Change, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_array_set_size (fixture->changes, 0);
  assert_mirror (fixture);
}

static char *
list_titles (GListModel *list)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MpModelSummary) item = g_list_model_get_item (list, i);

      g_assert_true (MP_IS_MODEL_SUMMARY (item));
      if (i > 0)
        g_string_append_c (titles, ',');
      g_string_append (titles, mp_model_summary_get_title (item));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static MpModel *
save_new (MpStore    *store,
          const char *title,
          const char *theme,
          const char *body)
{
  const char * const themes[] = { theme, NULL };
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GError) error = NULL;

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, body);
  mp_model_set_list (model, MP_LIST_THEMES, themes);
  mp_store_save_model (store, model, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&model);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mallipaja-list-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bank.sqlite", NULL);
  fixture->store = mp_store_open (path, &error);
  g_assert_no_error (error);

  /* By title: A … F; A–D about family support, E and F about housing. */
  g_object_unref (save_new (fixture->store, "Cafe", "family_support", "Perhekahvila lastensuojelussa."));
  g_object_unref (save_new (fixture->store, "Alku", "family_support", "Perheiden tuki."));
  g_object_unref (save_new (fixture->store, "Etsivä", "housing", "Asunnottomien tuki."));
  g_object_unref (save_new (fixture->store, "Bussi", "family_support", "Perhebussi kiertää."));
  g_object_unref (save_new (fixture->store, "Fiilis", "housing", "Asumisen tuki perheille."));
  g_object_unref (save_new (fixture->store, "Draama", "family_support", "Perheteatteri."));

  fixture->list = mp_model_list_new (fixture->store);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  fixture->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->list)); i++)
    g_ptr_array_add (fixture->mirror, g_list_model_get_item (G_LIST_MODEL (fixture->list), i));
  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (on_items_changed), fixture);
  g_signal_connect (fixture->list, "notify::n-items", G_CALLBACK (on_n_items), fixture);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->mirror, g_ptr_array_unref);
  g_assert_finalize_object (fixture->list);
  g_assert_finalize_object (fixture->store);
  g_array_unref (fixture->changes);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
set_theme (Fixture    *fixture,
           const char *theme)
{
  g_autoptr(MpQuery) query = mp_query_copy (mp_model_list_get_query (fixture->list));

  g_free (query->theme);
  query->theme = g_strdup (theme);
  mp_model_list_set_query (fixture->list, query);
}

static void
set_text (Fixture    *fixture,
          const char *text)
{
  g_autoptr(MpQuery) query = mp_query_copy (mp_model_list_get_query (fixture->list));

  g_free (query->text);
  query->text = g_strdup (text);
  mp_model_list_set_query (fixture->list, query);
}

/* tests */

static void
test_items (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *list = G_LIST_MODEL (fixture->list);
  g_autofree char *titles = list_titles (list);
  g_autoptr(MpModelSummary) first = g_list_model_get_item (list, 0);
  g_autoptr(MpModelSummary) again = g_list_model_get_item (list, 0);
  guint n_items = 0;

  g_assert_true (g_list_model_get_item_type (list) == MP_TYPE_MODEL_SUMMARY);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 6);
  g_object_get (fixture->list, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 6);
  g_assert_cmpstr (titles, ==, "Alku,Bussi,Cafe,Draama,Etsivä,Fiilis");
  g_assert_null (g_list_model_get_item (list, 6));
  g_assert_true (mp_model_list_get_store (fixture->list) == fixture->store);

  /* Visible rows stay the same objects. */
  g_assert_true (first == again);
}

static void
test_filter_ranges (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *titles = NULL;

  set_theme (fixture, "family_support");
  assert_one_change (fixture, 4, 2, 0);
  titles = list_titles (G_LIST_MODEL (fixture->list));
  g_assert_cmpstr (titles, ==, "Alku,Bussi,Cafe,Draama");
  g_assert_cmpuint (fixture->n_items_notified, ==, 1);

  /* The same query again changes nothing. */
  set_theme (fixture, "family_support");
  g_assert_cmpuint (fixture->changes->len, ==, 0);

  set_theme (fixture, NULL);
  assert_one_change (fixture, 4, 0, 2);

  set_theme (fixture, "housing");
  assert_one_change (fixture, 0, 4, 0);

  set_theme (fixture, "loneliness");
  assert_one_change (fixture, 0, 2, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);

  set_theme (fixture, NULL);
  assert_one_change (fixture, 0, 0, 6);
}

static void
test_typing_ranges (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const keystrokes[] = { "p", "pe", "per", "perh", "perhe", "perheb", "perhe", "" };

  for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
    {
      set_text (fixture, keystrokes[i]);
      /* At most one signal per keystroke, and it keeps a view exact. */
      g_assert_cmpuint (fixture->changes->len, <=, 1);
      g_array_set_size (fixture->changes, 0);
      assert_mirror (fixture);
    }

  set_text (fixture, "perhebussi");
  g_array_set_size (fixture->changes, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);
}

static void
test_requery_on_save (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) added = NULL;
  g_autoptr(MpModel) renamed = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MpModelSummary) item = NULL;
  g_autofree char *titles = NULL;

  added = save_new (fixture->store, "Bonus", "housing", "Uusi.");
  assert_one_change (fixture, 1, 0, 1);
  g_assert_cmpint (mp_model_list_find (fixture->list, mp_model_get_id (added)), ==, 1);

  /* A new title in the same place: the row is reported all the same. */
  mp_model_set_text (added, MP_TEXT_TITLE, "Bonus 2");
  mp_store_save_model (fixture->store, added, &error);
  g_assert_no_error (error);
  assert_one_change (fixture, 1, 1, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->list), 1);
  g_assert_cmpstr (mp_model_summary_get_title (item), ==, "Bonus 2");

  /* Moving to the end of the list. */
  mp_model_set_text (added, MP_TEXT_TITLE, "Ö-malli");
  mp_store_save_model (fixture->store, added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_array_set_size (fixture->changes, 0);
  assert_mirror (fixture);
  g_assert_cmpint (mp_model_list_find (fixture->list, mp_model_get_id (added)), ==, 6);

  mp_store_delete_model (fixture->store, mp_model_get_id (added), &error);
  g_assert_no_error (error);
  assert_one_change (fixture, 6, 1, 0);
  g_assert_cmpint (mp_model_list_find (fixture->list, mp_model_get_id (added)), ==, -1);

  mp_store_restore_model (fixture->store, mp_model_get_id (added), &error);
  g_assert_no_error (error);
  assert_one_change (fixture, 6, 0, 1);

  /* An import may have changed anything: only what did is told. */
  renamed = mp_model_new ();
  mp_model_set_text (renamed, MP_TEXT_TITLE, "Aamu");
  g_ptr_array_add (batch, g_object_ref (renamed));
  mp_store_import_models (fixture->store, batch, &error);
  g_assert_no_error (error);
  assert_one_change (fixture, 0, 0, 1);
  titles = list_titles (G_LIST_MODEL (fixture->list));
  g_assert_cmpstr (titles, ==, "Aamu,Alku,Bussi,Cafe,Draama,Etsivä,Fiilis,Ö-malli");
}

/* Saves through a connection of its own, as the sync's worker writes:
 * the list hears of it only from the store it watches */
static void
save_elsewhere (Fixture *fixture,
                MpModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) other = mp_store_open (mp_store_get_path (fixture->store), &error);

  g_assert_no_error (error);
  mp_store_save_model (other, model, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* Many models changed at once ("bank-changed", as a sync page of many
 * says): each range that changed is told apart, rows that stayed keep
 * their objects, and a row a view holds is told when it changed in
 * place. */
static void
test_bank_changed_ranges (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MpModelSummary) cafe = g_list_model_get_item (G_LIST_MODEL (fixture->list), 2);
  g_autoptr(MpModelSummary) cafe_again = NULL;
  g_autoptr(MpModelSummary) bussi = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;
  const char * const new_titles[] = { "Aamu", "Celsius", "Öljy" };
  Change *change;

  for (guint i = 0; i < G_N_ELEMENTS (new_titles); i++)
    {
      g_autoptr(MpModel) added = mp_model_new ();

      mp_model_set_text (added, MP_TEXT_TITLE, new_titles[i]);
      g_ptr_array_add (batch, g_steal_pointer (&added));
    }
  mp_store_import_models (fixture->store, batch, &error);
  g_assert_no_error (error);

  /* Three insertions, in order: each position counts the ones before */
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  change = &g_array_index (fixture->changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  change = &g_array_index (fixture->changes, Change, 1);
  g_assert_cmpuint (change->position, ==, 4);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  change = &g_array_index (fixture->changes, Change, 2);
  g_assert_cmpuint (change->position, ==, 8);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  g_array_set_size (fixture->changes, 0);
  assert_mirror (fixture);
  g_assert_cmpuint (fixture->n_items_notified, ==, 1);
  titles = list_titles (G_LIST_MODEL (fixture->list));
  g_assert_cmpstr (titles, ==, "Aamu,Alku,Bussi,Cafe,Celsius,Draama,Etsivä,Fiilis,Öljy");

  /* A row that did not change is the same object */
  cafe_again = g_list_model_get_item (G_LIST_MODEL (fixture->list), 3);
  g_assert_true (cafe == cafe_again);

  /* A row changed in place, behind the store's back (as the sync's own
   * connection writes), is told where it is */
  bussi = g_list_model_get_item (G_LIST_MODEL (fixture->list), 2);
  model = mp_store_load_model (fixture->store, mp_model_summary_get_id (bussi), &error);
  g_assert_no_error (error);
  mp_model_set_text (model, MP_TEXT_TITLE, "Bussi 2");
  save_elsewhere (fixture, model);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  mp_store_emit_changed (fixture->store, NULL);
  assert_one_change (fixture, 2, 1, 1);

  /* Nothing changed: nothing told */
  mp_store_emit_changed (fixture->store, NULL);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

/* A move is one removal and one insertion, however far it goes; the
 * rows in between are not told */
static void
test_bank_changed_move (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MpModelSummary) alku = g_list_model_get_item (G_LIST_MODEL (fixture->list), 0);
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;

  model = mp_store_load_model (fixture->store, mp_model_summary_get_id (alku), &error);
  g_assert_no_error (error);
  mp_model_set_text (model, MP_TEXT_TITLE, "Öljy");
  save_elsewhere (fixture, model);

  mp_store_emit_changed (fixture->store, NULL);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 0).added, ==, 0);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 1).position, ==, 5);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 1).removed, ==, 0);
  g_assert_cmpuint (g_array_index (fixture->changes, Change, 1).added, ==, 1);
  g_array_set_size (fixture->changes, 0);
  assert_mirror (fixture);
  g_assert_cmpuint (fixture->n_items_notified, ==, 0);
  titles = list_titles (G_LIST_MODEL (fixture->list));
  g_assert_cmpstr (titles, ==, "Bussi,Cafe,Draama,Etsivä,Fiilis,Öljy");
}

static void
count_notify (guint *counter)
{
  (*counter)++;
}

static void
test_query_property (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(MpQuery) got = NULL;
  guint notified = 0;

  g_signal_connect_swapped (fixture->list, "notify::query", G_CALLBACK (count_notify), &notified);
  query->min_stage = MP_STAGE_TRIALS;
  g_object_set (fixture->list, "query", query, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (fixture->list, "query", &got, NULL);
  g_assert_true (mp_query_equal (got, query));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  assert_one_change (fixture, 0, 6, 0);

  g_object_set (fixture->list, "query", query, NULL);
  g_assert_cmpuint (notified, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/model-list/items", test_items);
  ADD ("/model-list/items-changed/filter", test_filter_ranges);
  ADD ("/model-list/items-changed/typing", test_typing_ranges);
  ADD ("/model-list/items-changed/store", test_requery_on_save);
  ADD ("/model-list/items-changed/bank", test_bank_changed_ranges);
  ADD ("/model-list/items-changed/bank-move", test_bank_changed_move);
  ADD ("/model-list/query-property", test_query_property);

#undef ADD

  return g_test_run ();
}
