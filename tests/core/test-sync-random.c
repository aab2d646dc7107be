/* test-sync-random.c — three clients edit, create, delete and sync in a
 * random order against the real platform server; at the end every replica
 * is the same and every edit is accounted for
 *
 * Each client (a bank file of its own, signed in as a member of the same
 * organisation) makes 200 operations: edits of text fields, characteristics
 * and stage notes (55 %), new models (10 %, one in ten private), deletions
 * (2 %: a draft in the bank, a published model on the platform), conflict
 * resolutions (8 %: theirs, mine or a merged text) and syncs (25 %; one in
 * three in pages of two, with autosaves landing between the pages). Now and
 * then the platform restarts, which prunes its tombstones and sends the
 * clients behind them into a full re-sync. Then every client syncs until
 * nothing moves, resolving what conflicts.
 *
 * The run is reproducible: the seed comes from GTest's (a new one each run
 * unless --seed=R02S… is given) and is printed; MP_TEST_SEED=N runs it
 * again (MP_TEST_RUNS=K runs K seeds from there, MP_TEST_OPS=N sets the
 * operations per client). The one thing the seed does not fix is when an
 * edit made between two pages lands against the next page's apply on the
 * sync's worker thread: as in the app, that is up to the scheduler.
 *
 * Accounting: every edit writes a text holding a token of its own,
 * "[cC:NNN]". A token is superseded when a person writes over a text in
 * which they could see it (an edit of that field, or a conflict resolved
 * for the other side). Every token never superseded must be in the final
 * document, unless its model was deleted (a draft by its creator, or a
 * published model on the platform, which is the person's choice too).
 *
 * The small tests at the end reproduce, step by step, what earlier runs
 * found.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "mp-error.h"
#include "mp-test-sync.h"

#define N_CLIENTS 3
#define DEFAULT_OPS 200
/* A final round may need one sync to pull, one to push what a conflict
 * resolution queued, and MP_SYNC_MAX_REJECTIONS for a refused edit. */
#define MAX_FINAL_ROUNDS 12

static const char * const users[N_CLIENTS] = { "maija", "ville", "aino" };

typedef enum {
  FIELD_TEXT,
  FIELD_CHARACTERISTIC,
  FIELD_STAGE,
} FieldKind;

typedef struct {
  FieldKind kind;
  guint     index;   /* MpText, an index of the characteristics, or MpStage */
} Field;

/* Text fields (merged whole), characteristics' justifications and stages'
 * notes (merged per item). */
static const Field fields[] = {
  { FIELD_TEXT, MP_TEXT_TITLE },
  { FIELD_TEXT, MP_TEXT_SUMMARY },
  { FIELD_TEXT, MP_TEXT_PLACE },
  { FIELD_TEXT, MP_TEXT_BASIC_IDEA },
  { FIELD_TEXT, MP_TEXT_CORE },
  { FIELD_TEXT, MP_TEXT_LESSONS },
  { FIELD_TEXT, MP_TEXT_NEEDS },
  { FIELD_CHARACTERISTIC, 0 },
  { FIELD_CHARACTERISTIC, 7 },
  { FIELD_CHARACTERISTIC, 12 },
  { FIELD_STAGE, MP_STAGE_IDEA },
  { FIELD_STAGE, MP_STAGE_TRIALS },
};

typedef struct {
  char     *id;
  guint     creator;
  gboolean  is_private;
  gboolean  draft_deleted;      /* deleted by its creator before any push */
  gboolean  platform_deleted;   /* deleted on the platform by a member */
} Model;

typedef struct {
  guint32       seed;
  GRand        *rand;
  GRegex       *token_regex;
  MpTestServer *server;
  char         *url;
  MpTestClient *clients[N_CLIENTS];
  GPtrArray    *models;      /* Model, in the order they were made */
  GHashTable   *by_id;       /* id → index + 1 */
  GHashTable   *live;        /* token → model * G_N_ELEMENTS (fields) + field + 1 */
  guint         next_token[N_CLIENTS];
  /* what happened, for the log */
  guint         n_edits, n_creates, n_draft_deletes, n_platform_deletes, n_syncs;
  guint         n_conflicts, n_merged, n_resolved[3], n_superseded;
  guint         n_edits_during_pull, n_restarts;
} Run;

/* private helpers */

static void
model_free (Model *model)
{
  g_free (model->id);
  g_free (model);
}

static void
run_free (Run *run)
{
  for (guint i = 0; i < N_CLIENTS; i++)
    g_clear_pointer (&run->clients[i], mp_test_client_free);
  g_clear_pointer (&run->server, mp_test_server_free);
  g_clear_pointer (&run->models, g_ptr_array_unref);
  g_clear_pointer (&run->by_id, g_hash_table_unref);
  g_clear_pointer (&run->live, g_hash_table_unref);
  g_clear_pointer (&run->token_regex, g_regex_unref);
  g_clear_pointer (&run->rand, g_rand_free);
  g_free (run->url);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Model *
model_at (Run   *run,
          guint  index)
{
  return g_ptr_array_index (run->models, index);
}

static char *
field_name (const Field *field)
{
  guint n_terms;
  const MpTerm *terms;

  if (field->kind == FIELD_TEXT)
    return g_strdup (mp_text_key (field->index));
  if (field->kind == FIELD_STAGE)
    return g_strconcat ("stages.", mp_stage_key (field->index), NULL);
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  g_assert_cmpuint (field->index, <, n_terms);
  return g_strconcat ("characteristics.", terms[field->index].key, NULL);
}

static const char *
field_value (MpModel     *model,
             const Field *field)
{
  const char *justification = "";

  if (field->kind == FIELD_TEXT)
    return mp_model_get_text (model, field->index);
  if (field->kind == FIELD_STAGE)
    return mp_model_get_stage_notes (model, field->index);
  mp_model_get_characteristic (model, field->index, &justification);
  return justification != NULL ? justification : "";
}

static void
set_field (MpModel     *model,
           const Field *field,
           const char  *value)
{
  if (field->kind == FIELD_TEXT)
    mp_model_set_text (model, field->index, value);
  else if (field->kind == FIELD_STAGE)
    {
      mp_model_set_stage_state (model, field->index, MP_STAGE_STATE_IN_PROGRESS);
      mp_model_set_stage_notes (model, field->index, value);
    }
  else
    mp_model_set_characteristic (model, field->index, TRUE, value);
}

/* The value a conflict record holds for @field, as the model would. */
static char *
record_value (JsonObject  *record,
              const char  *member,
              const Field *field)
{
  JsonNode *node = json_object_has_member (record, member) ? json_object_get_member (record, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (field->kind == FIELD_TEXT)
    return g_strdup (json_node_get_string (node));
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node),
                                                               field->kind == FIELD_STAGE ? "notes"
                                                                                          : "justification",
                                                               ""));
}

static gboolean
find_field (const char *name,
            guint      *index)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *candidate = field_name (&fields[i]);

      if (g_str_equal (candidate, name))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The person wrote over @text, having seen it: its tokens are no longer
 * expected anywhere. */
static void
supersede (Run        *run,
           const char *text)
{
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (run->token_regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *token = g_match_info_fetch (match, 0);

      if (g_hash_table_remove (run->live, token))
        run->n_superseded++;
      g_match_info_next (match, NULL);
    }
}

static char *
new_token (Run   *run,
           guint  client)
{
  return g_strdup_printf ("[c%u:%03u]", client, ++run->next_token[client]);
}

static void
expect_token (Run        *run,
              const char *token,
              guint       model,
              guint       field)
{
  g_hash_table_insert (run->live, g_strdup (token),
                       GUINT_TO_POINTER (model * G_N_ELEMENTS (fields) + field + 1));
}

static gboolean
has_live (MpTestClient *client,
          const char   *id)
{
  sqlite3_stmt *stmt = NULL;
  gboolean live;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT 1 FROM models WHERE id = ?1 AND deleted = 0", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  live = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return live;
}

/* The models @client has, in the order they were made: the choice of a
 * model must not depend on the random UUIDs, or a seed would not
 * reproduce a run. */
static GArray *
client_models (Run   *run,
               guint  client)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < run->models->len; i++)
    if (has_live (run->clients[client], model_at (run, i)->id))
      g_array_append_val (indices, i);
  return indices;
}

static MpModel *
load (MpTestClient *client,
      const char   *id)
{
  g_autoptr(GError) error = NULL;
  MpModel *model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  return model;
}

static void
save (MpTestClient *client,
      MpModel      *model)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
}

/* operations */

static void
op_create (Run   *run,
           guint  client)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autofree char *token = new_token (run, client);
  g_autofree char *title = g_strconcat ("Malli ", token, NULL);
  guint kind = g_rand_int_range (run->rand, 0, 10);
  Model *entry = g_new0 (Model, 1);

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_text (model, MP_TEXT_ORGANISATION, MP_TEST_ORG);
  mp_model_set_text (model, MP_TEXT_SUMMARY, "Alku");
  mp_model_set_visibility (model, kind < 6 ? MP_VISIBILITY_ORGANISATION
                                  : kind < 9 ? MP_VISIBILITY_PUBLIC : MP_VISIBILITY_PRIVATE);
  save (run->clients[client], model);

  entry->id = g_strdup (mp_model_get_id (model));
  entry->creator = client;
  entry->is_private = kind == 9;
  g_ptr_array_add (run->models, entry);
  g_hash_table_insert (run->by_id, g_strdup (entry->id), GUINT_TO_POINTER (run->models->len));
  expect_token (run, token, run->models->len - 1, 0);
  run->n_creates++;
}

static void
op_edit (Run   *run,
         guint  client)
{
  g_autoptr(GArray) candidates = client_models (run, client);
  g_autoptr(MpModel) model = NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;
  guint index, field;

  if (candidates->len == 0)
    {
      op_create (run, client);
      return;
    }

  index = g_array_index (candidates, guint, g_rand_int_range (run->rand, 0, candidates->len));
  field = g_rand_int_range (run->rand, 0, G_N_ELEMENTS (fields));
  model = load (run->clients[client], model_at (run, index)->id);
  token = new_token (run, client);
  text = g_strdup_printf ("%s muokkaus", token);

  supersede (run, field_value (model, &fields[field]));
  set_field (model, &fields[field], text);
  save (run->clients[client], model);
  expect_token (run, token, index, field);
  run->n_edits++;
}

static void
op_delete (Run   *run,
           guint  client)
{
  g_autoptr(GArray) candidates = client_models (run, client);
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  Model *entry;
  guint index;

  if (candidates->len == 0)
    return;

  index = g_array_index (candidates, guint, g_rand_int_range (run->rand, 0, candidates->len));
  entry = model_at (run, index);
  model = load (run->clients[client], entry->id);

  if (mp_model_get_revision (model) == 0)
    {
      /* Never published: a draft of this bank, deleted here. */
      g_assert_cmpuint (entry->creator, ==, client);
      g_assert_true (mp_store_delete_model (run->clients[client]->store, entry->id, &error));
      g_assert_no_error (error);
      entry->draft_deleted = TRUE;
      run->n_draft_deletes++;
    }
  else
    {
      /* Published models are deleted on the platform (as a member would
       * on its web pages); the clients hear of it through the feed. */
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autofree char *path = g_strconcat ("/models/", entry->id, NULL);
      g_autoptr(MpTestResponse) response = mp_test_server_request (run->server, session, "DELETE", path,
                                                                   run->clients[client]->token, NULL);

      g_assert_true (response->status == 200 || (response->status == 404 && entry->platform_deleted));
      entry->platform_deleted = TRUE;
      run->n_platform_deletes++;
    }
}

typedef struct {
  Run   *run;
  guint  client;
} DuringPull;

/* An autosave that lands between two pages of a pull. */
static void
on_models_done (MpSync     *sync,
                GParamSpec *pspec,
                DuringPull *during)
{
  if (mp_sync_get_models_done (sync) > 0 && g_rand_boolean (during->run->rand))
    {
      op_edit (during->run, during->client);
      during->run->n_edits_during_pull++;
    }
}

/* One sync of @client; sometimes in pages of two with edits between them,
 * when the flow would allow it (never in the final rounds). */
static void
op_sync (Run            *run,
         guint           client,
         MpSyncSummary  *total)
{
  MpTestClient *c = run->clients[client];
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  DuringPull during = { run, client };
  gulong handler = 0;

  if (total == NULL && g_rand_int_range (run->rand, 0, 3) == 0)
    {
      mp_sync_set_page_size (c->sync, 2);
      handler = g_signal_connect (c->sync, "notify::models-done", G_CALLBACK (on_models_done), &during);
    }

  summary = mp_test_client_sync (c, &error);
  if (handler != 0)
    {
      g_signal_handler_disconnect (c->sync, handler);
      mp_sync_set_page_size (c->sync, 500);
    }

  if (summary == NULL)
    g_test_message ("seed %u: client %u: sync failed: %s", run->seed, client, error->message);
  g_assert_no_error (error);
  run->n_syncs++;
  run->n_conflicts += summary->conflicts;
  run->n_merged += summary->merged;
  if (total != NULL)
    {
      total->pulled += summary->pulled;
      total->pushed += summary->pushed;
      total->conflicts += summary->conflicts;
      total->quarantined += summary->quarantined;
    }
}

/* Resolves every conflicting field of one model, as a person would in the
 * side-by-side view: theirs, mine (what the model shows), or a text
 * holding both. Returns FALSE when the client has no conflict. */
static gboolean
op_resolve (Run   *run,
            guint  client)
{
  MpTestClient *c = run->clients[client];
  g_autoptr(GArray) candidates = client_models (run, client);

  for (guint i = 0; i < candidates->len; i++)
    {
      guint index = g_array_index (candidates, guint, i);
      const char *id = model_at (run, index)->id;
      g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (c->store, id);
      JsonArray *records;

      if (conflicts == NULL)
        continue;

      records = json_node_get_array (conflicts);
      for (guint r = 0; r < json_array_get_length (records); r++)
        {
          JsonObject *record = json_array_get_object_element (records, r);
          const char *name = json_object_get_string_member (record, "field");
          g_autoptr(MpModel) before = load (c, id);
          g_autoptr(MpModel) after = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *theirs = NULL;
          g_autofree char *merged = NULL;
          g_autofree char *recorded_mine = NULL;
          const char *expected;
          const char *mine;
          MpResolve resolution;
          guint field = 0;

          /* Only fields this test edits can conflict. */
          g_assert_true (find_field (name, &field));
          theirs = record_value (record, "theirs", &fields[field]);
          mine = field_value (before, &fields[field]);
          resolution = g_rand_int_range (run->rand, 0, fields[field].kind == FIELD_TEXT ? 3 : 2);

          switch (resolution)
            {
            case MP_RESOLVE_THEIRS:
              supersede (run, mine);
              expected = theirs;
              break;
            case MP_RESOLVE_MINE:
              supersede (run, theirs);
              expected = mine;
              /* A save during the conflict refreshes the record: the
               * conflict view shows what the model holds. */
              recorded_mine = record_value (record, "mine", &fields[field]);
              if (!g_str_equal (recorded_mine, mine))
                g_test_message ("seed %u: client %u keeps mine of %s of %s: the record has '%s', "
                                "the model '%s'", run->seed, client, name, id, recorded_mine, mine);
              g_assert_cmpstr (recorded_mine, ==, mine);
              break;
            case MP_RESOLVE_MERGED:
            default:
              merged = g_strconcat (theirs, " ", mine, NULL);
              expected = merged;
              break;
            }

          g_assert_true (mp_sync_resolve_field (c->sync, id, name, resolution, merged, &error));
          g_assert_no_error (error);
          run->n_resolved[resolution]++;

          after = load (c, id);
          if (g_strcmp0 (field_value (after, &fields[field]), expected) != 0)
            {
              g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);
              g_autofree char *text = json_to_string (node, FALSE);

              g_test_message ("seed %u: client %u resolved %s of %s (%d): expected '%s', got '%s'; "
                              "the record: %s", run->seed, client, name, id, resolution, expected,
                              field_value (after, &fields[field]), text);
            }
          g_assert_cmpstr (field_value (after, &fields[field]), ==, expected);
        }
      return TRUE;
    }
  return FALSE;
}

static guint
count_pending (Run   *run,
               guint  client)
{
  sqlite3_stmt *stmt = NULL;
  guint pending = 0;

  /* A quarantined edit waits for a person, and the model's later edits
   * wait behind it; a deleted draft's edits are never sent. */
  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (run->clients[client]->store),
                                       "SELECT o.model_id FROM outbox AS o"
                                       " WHERE NOT EXISTS (SELECT 1 FROM outbox AS q"
                                       "                    WHERE q.model_id = o.model_id AND q.quarantined = 1)"
                                       "   AND NOT EXISTS (SELECT 1 FROM models AS m"
                                       "                    WHERE m.id = o.model_id AND m.deleted = 1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    pending++;
  sqlite3_finalize (stmt);
  return pending;
}

static gboolean
has_conflicts (Run   *run,
               guint  client)
{
  for (guint i = 0; i < run->models->len; i++)
    {
      g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (run->clients[client]->store,
                                                                   model_at (run, i)->id);

      if (conflicts != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Syncs every client in turn, resolving conflicts, until a whole round
 * changes nothing anywhere. */
static void
final_rounds (Run *run)
{
  for (guint round = 0; round < MAX_FINAL_ROUNDS; round++)
    {
      MpSyncSummary total = { 0 };
      gboolean busy = FALSE;

      for (guint c = 0; c < N_CLIENTS; c++)
        {
          op_sync (run, c, &total);
          while (op_resolve (run, c))
            busy = TRUE;
        }
      for (guint c = 0; c < N_CLIENTS; c++)
        {
          guint pending = count_pending (run, c);
          gboolean conflicts = has_conflicts (run, c);

          if (pending > 0 || conflicts)
            g_test_message ("seed %u: client %u: %u edits waiting%s", run->seed, c, pending,
                            conflicts ? ", conflicts" : "");
          busy |= pending > 0 || conflicts;
        }

      g_test_message ("seed %u: final round %u: pulled %u, pushed %u, conflicts %u, quarantined %u",
                      run->seed, round, total.pulled, total.pushed, total.conflicts, total.quarantined);
      if (!busy && total.pulled == 0 && total.pushed == 0 && total.conflicts == 0 && total.quarantined == 0)
        return;
    }
  g_error ("seed %u: the clients did not settle in %u rounds", run->seed, MAX_FINAL_ROUNDS);
}

static void
check_replicas (Run *run)
{
  g_autoptr(GHashTable) platform = mp_test_sync_server_documents (run->server, run->clients[0]->token);
  GHashTableIter iter;
  gpointer id, document;

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_autoptr(GHashTable) local = mp_test_client_documents (run->clients[c]);
      guint n_quarantined = 0;

      g_hash_table_iter_init (&iter, local);
      while (g_hash_table_iter_next (&iter, &id, &document))
        {
          Model *entry = model_at (run, GPOINTER_TO_UINT (g_hash_table_lookup (run->by_id, id)) - 1);
          gboolean remote_gone = FALSE;

          if (entry->is_private)
            {
              /* Private models never leave their bank. */
              g_assert_cmpuint (entry->creator, ==, c);
              g_assert_false (g_hash_table_contains (platform, id));
            }
          else if (g_hash_table_contains (platform, id))
            {
              if (g_strcmp0 (document, g_hash_table_lookup (platform, id)) != 0)
                g_test_message ("seed %u: client %u differs from the platform on %s:\n%s\n%s", run->seed, c,
                                (const char *) id, (const char *) document,
                                (const char *) g_hash_table_lookup (platform, id));
              g_assert_cmpstr (document, ==, g_hash_table_lookup (platform, id));
              g_assert_cmpint (mp_sync_store_get_state (run->clients[c]->store, id, NULL), ==,
                               MP_SYNC_STATE_SYNCED);
            }
          else
            {
              /* Gone from the platform, kept here for its unsent edits,
               * and flagged. */
              g_assert_true (entry->platform_deleted);
              mp_sync_store_get_state (run->clients[c]->store, id, &remote_gone);
              g_assert_true (remote_gone);
            }
        }

      g_hash_table_iter_init (&iter, platform);
      while (g_hash_table_iter_next (&iter, &id, &document))
        {
          Model *entry = model_at (run, GPOINTER_TO_UINT (g_hash_table_lookup (run->by_id, id)) - 1);

          /* Never on the platform: what is private, what its creator
           * deleted as a draft, what a member deleted there. */
          g_assert_false (entry->is_private || entry->draft_deleted || entry->platform_deleted);
          g_assert_true (g_hash_table_contains (local, id));
        }

      g_assert_cmpuint (count_pending (run, c), ==, 0);
      mp_sync_store_count_outbox (run->clients[c]->store, NULL, &n_quarantined);
      g_assert_false (has_conflicts (run, c));
      if (n_quarantined > 0)
        g_test_message ("seed %u: client %u keeps %u refused edits", run->seed, c, n_quarantined);
    }
}

/* Every token no one wrote over is where it was written. */
static void
check_accounting (Run *run)
{
  GHashTableIter iter;
  gpointer token, where;
  guint n_exempt = 0, n_found = 0;

  g_hash_table_iter_init (&iter, run->live);
  while (g_hash_table_iter_next (&iter, &token, &where))
    {
      guint packed = GPOINTER_TO_UINT (where) - 1;
      Model *entry = model_at (run, packed / G_N_ELEMENTS (fields));
      const Field *field = &fields[packed % G_N_ELEMENTS (fields)];
      MpTestClient *holder = run->clients[entry->is_private ? entry->creator : 0];
      g_autoptr(MpModel) model = NULL;
      g_autofree char *name = field_name (field);

      if (entry->draft_deleted || entry->platform_deleted)
        {
          n_exempt++;
          continue;
        }

      model = load (holder, entry->id);
      if (strstr (field_value (model, field), token) == NULL)
        g_test_message ("seed %u: the edit %s of %s in %s is lost: the field holds '%s'",
                        run->seed, (const char *) token, name, entry->id, field_value (model, field));
      g_assert_nonnull (strstr (field_value (model, field), token));
      n_found++;
    }

  g_test_message ("seed %u: %u creations, %u edits (%u during a pull), %u drafts and %u published models deleted, %u syncs, %u restarts; "
                  "%u conflicts, %u merges; resolved %u theirs, %u mine, %u merged; "
                  "%u texts written over, %u in the final documents, %u of deleted models",
                  run->seed, run->n_creates, run->n_edits, run->n_edits_during_pull, run->n_draft_deletes, run->n_platform_deletes,
                  run->n_syncs, run->n_restarts, run->n_conflicts, run->n_merged, run->n_resolved[MP_RESOLVE_THEIRS],
                  run->n_resolved[MP_RESOLVE_MINE], run->n_resolved[MP_RESOLVE_MERGED], run->n_superseded,
                  n_found, n_exempt);
}

static void
run_seed (guint32  seed,
          guint    n_ops)
{
  g_autoptr(Run) run = g_new0 (Run, 1);
  guint remaining[N_CLIENTS];
  guint left = N_CLIENTS * n_ops;
  gint64 start = g_get_monotonic_time ();

  g_test_message ("seed %u (again: MP_TEST_SEED=%u), %u operations per client", seed, seed, n_ops);

  run->seed = seed;
  run->rand = g_rand_new_with_seed (seed);
  run->token_regex = g_regex_new ("\\[c[0-9]+:[0-9]+\\]", G_REGEX_OPTIMIZE, 0, NULL);
  run->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  run->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Tombstones kept for no time: a restart of the platform prunes them,
   * and the clients behind must sync again in full. */
  run->server = mp_test_sync_server_new ("--tombstone-retention", "0");
  run->url = mp_test_sync_server_root (run->server);
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      run->clients[c] = mp_test_client_new (run->url, users[c]);
      remaining[c] = n_ops;
    }

  while (left > 0)
    {
      guint pick = g_rand_int_range (run->rand, 0, left);
      guint client = 0;
      guint op = g_rand_int_range (run->rand, 0, 100);

      /* A client in proportion to the operations it has left, so that
       * all three end together. */
      while (pick >= remaining[client])
        pick -= remaining[client++];
      remaining[client]--;
      left--;

      if (g_rand_int_range (run->rand, 0, 200) == 0)
        {
          mp_test_sync_server_restart (run->server);
          run->n_restarts++;
        }

      if (op < 55)
        op_edit (run, client);
      else if (op < 65)
        op_create (run, client);
      else if (op < 67)
        op_delete (run, client);
      else if (op < 75)
        {
          if (!op_resolve (run, client))
            op_edit (run, client);
        }
      else
        op_sync (run, client, NULL);
    }

  final_rounds (run);
  check_replicas (run);
  check_accounting (run);
  g_test_message ("seed %u: %.1f s", seed, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

/* tests */

static void
test_random (void)
{
  const char *seed_env = g_getenv ("MP_TEST_SEED");
  const char *runs_env = g_getenv ("MP_TEST_RUNS");
  const char *ops_env = g_getenv ("MP_TEST_OPS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : (guint32) g_test_rand_int ();
  guint runs = runs_env != NULL ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : 1;
  guint n_ops = ops_env != NULL ? (guint) g_ascii_strtoull (ops_env, NULL, 10) : DEFAULT_OPS;

  for (guint i = 0; i < runs; i++)
    run_seed (seed + i, n_ops);
}

/* What the random test found, step by step: a conflict arises on a field,
 * the person goes on writing in that field, then keeps "mine". */
static void
test_edit_then_keep_mine (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) model = mp_test_client_create (a, "Kiistelty", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpSyncSummary) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL, s5 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *platform = NULL;
  const char *id = mp_model_get_id (model);

  s1 = mp_test_client_sync_ok (a);
  s2 = mp_test_client_sync_ok (b);
  mp_test_client_edit (a, id, MP_TEXT_SUMMARY, "Maijan teksti");
  mp_test_client_edit (b, id, MP_TEXT_SUMMARY, "Villen ensimmäinen teksti");
  s3 = mp_test_client_sync_ok (a);
  s4 = mp_test_client_sync_ok (b);
  g_assert_cmpuint (s4->conflicts, ==, 1);

  /* The conflict banner is up; the person keeps writing, then keeps
   * their own text: the one they wrote last. */
  mp_test_client_edit (b, id, MP_TEXT_SUMMARY, "Villen korjattu teksti");
  {
    /* The conflict view shows what the person has now. */
    g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (b->store, id);
    JsonObject *record;

    g_assert_nonnull (conflicts);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
    record = json_array_get_object_element (json_node_get_array (conflicts), 0);
    g_assert_cmpstr (json_object_get_string_member (record, "field"), ==, "summary");
    g_assert_cmpstr (json_object_get_string_member (record, "mine"), ==, "Villen korjattu teksti");
    g_assert_cmpstr (json_object_get_string_member (record, "theirs"), ==, "Maijan teksti");
  }
  g_assert_true (mp_sync_resolve_field (b->sync, id, "summary", MP_RESOLVE_MINE, NULL, &error));
  g_assert_no_error (error);
  kept = mp_test_client_text (b, id, MP_TEXT_SUMMARY);
  g_assert_cmpstr (kept, ==, "Villen korjattu teksti");

  s5 = mp_test_client_sync_ok (b);
  g_assert_cmpuint (s5->pushed, ==, 1);
  platform = mp_test_sync_server_document (server, b->token, id);
  g_assert_nonnull (strstr (platform, "Villen korjattu teksti"));
}

/* What the random test found: after a restart of the platform pruned its
 * tombstones, a client behind them syncs again in full, from 0; the
 * second page of that full sync asks for changes since a seq older than
 * the pruned ones, and is refused in turn. */
static void
test_full_resync_paged (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new ("--tombstone-retention", "0");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autofree char *token = mp_test_sync_server_token (server, "maija");
  g_autoptr(MpTestClient) client = NULL;
  g_autoptr(MpTestResponse) deleted = NULL;
  g_autoptr(MpSyncSummary) first = NULL;
  g_autoptr(MpSyncSummary) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *path = NULL;

  /* The port must stay: the client's platform address is the same. */
  mp_test_sync_server_restart (server);
  gone = mp_test_server_create (server, session, token, "Poistuva", MP_TEST_ORG, "public");
  for (guint i = 0; i < 2; i++)
    g_free (mp_test_server_create (server, session, token, "Pysyvä", MP_TEST_ORG, "public"));

  client = mp_test_client_new (url, "ville");
  mp_sync_set_page_size (client->sync, 2);
  first = mp_test_client_sync_ok (client);
  g_assert_cmpuint (first->pulled, ==, 3);

  for (guint i = 0; i < 3; i++)
    g_free (mp_test_server_create (server, session, token, "Uusi", MP_TEST_ORG, "public"));
  path = g_strconcat ("/models/", gone, NULL);
  deleted = mp_test_server_request (server, session, "DELETE", path, token, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  mp_test_sync_server_restart (server);

  /* Five models in three pages, and the deleted one dropped: the later
   * pages of the full sync say so (full=1), and are served. */
  full = mp_test_client_sync (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (full);
  g_assert_false (mp_sync_store_get_full_resync (client->store));
  g_assert_cmpint (mp_sync_store_get_since (client->store), >, 0);
  g_assert_cmpuint (mp_store_count (client->store), ==, 5);
  {
    g_autofree char *gone_document = mp_test_client_document (client, gone);

    g_assert_null (gone_document);
  }
}

/* A draft made and deleted offline was never the platform's: it must not
 * reach it, before the deleted models are purged nor after. */
static void
test_purged_draft_not_sent (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) client = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) draft = mp_test_client_create (client, "Hylätty luonnos", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpSyncSummary) first = NULL;
  g_autoptr(MpSyncSummary) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_purge = NULL;
  g_autofree char *after_purge = NULL;
  const char *id = mp_model_get_id (draft);

  g_assert_true (mp_store_delete_model (client->store, id, &error));
  g_assert_no_error (error);
  first = mp_test_client_sync_ok (client);
  g_assert_cmpuint (first->pushed, ==, 0);
  before_purge = mp_test_sync_server_document (server, client->token, id);
  g_assert_null (before_purge);

  g_assert_true (mp_store_purge_deleted (client->store, &error));
  g_assert_no_error (error);
  /* The purge took the queued creation with the draft. */
  {
    g_autoptr(GPtrArray) outbox = mp_test_client_outbox (client);

    g_assert_cmpuint (outbox->len, ==, 0);
  }
  second = mp_test_client_sync_ok (client);
  after_purge = mp_test_sync_server_document (server, client->token, id);
  g_assert_null (after_purge);
  g_assert_cmpuint (second->pushed, ==, 0);
  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/random/three-clients", test_random);
  g_test_add_func ("/sync/conflict/edit-then-keep-mine", test_edit_then_keep_mine);
  g_test_add_func ("/sync/pull/full-resync-paged", test_full_resync_paged);
  g_test_add_func ("/sync/push/purged-draft-not-sent", test_purged_draft_not_sent);

  return g_test_run ();
}
