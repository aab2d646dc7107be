/* test-sync-faults.c — the sync survives a client killed at its worst
 * moments, and a TLS failure changes nothing
 *
 * A real client (tests/core/mp-test-sync-client.c, one MpSync on a real bank
 * file) runs in a child process and is killed with SIGKILL at a crash point
 * of the core (mp-sync-crash.h): inside a pull page's transaction, before
 * its checkpoint ("page-applied"), and after the platform answered a push
 * batch, before the answer is recorded ("push-answered"). Then it syncs
 * again, and its bank, the platform (the real server, a child process too)
 * and a second client are compared: no change applied twice, the
 * checkpoint resumed, every edit on the platform once, no text lost.
 *
 * The TLS tests run the server over HTTPS with a certificate made at run
 * time (GnuTLS), which the client first trusts and then does not; and a
 * client process without GIO's TLS backend.
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#ifdef MP_TEST_HAVE_GNUTLS
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#endif

#include "mp-error.h"
#include "mp-sync-crash.h"
#include "mp-test-sync.h"

/* How a run of the client process ended. */
typedef struct {
  gboolean killed;      /* by SIGKILL, at the crash point */
  int      exit_status;
  char    *out;
  char    *err;
} ClientRun;

static void
client_run_free (ClientRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClientRun, client_run_free)

/* private helpers */

/* A test that fails must not leave a client or a server behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs one sync of @client's bank in the client process; the bank must be
 * closed here. @crash_at arms a crash point (NULL: none). @env holds more
 * "NAME=VALUE" settings, or "-NAME" to take NAME away. */
static ClientRun *
run_client (MpTestClient       *client,
            const char         *crash_at,
            guint               page_size,
            const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("MP_TEST_SYNC_CLIENT");
  ClientRun *run = g_new0 (ClientRun, 1);

  g_assert_nonnull (program);
  g_assert_null (client->store);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, MP_SYNC_CRASH_ENV, crash_at, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, MP_SYNC_CRASH_ENV);
  if (client->token != NULL)
    g_subprocess_launcher_setenv (launcher, "MP_TEST_TOKEN", client->token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "MP_TEST_TOKEN");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (env[i][0] == '-')
        g_subprocess_launcher_unsetenv (launcher, env[i] + 1);
      else
        {
          g_autofree char *name = g_strndup (env[i], equals - env[i]);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
    }

  g_ptr_array_add (argv, g_strdup (program));
  if (page_size > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--page-size=%u", page_size));
  g_ptr_array_add (argv, g_strdup (client->path));
  g_ptr_array_add (argv, g_strdup (client->url));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  if (g_subprocess_get_if_signaled (process))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
      run->killed = TRUE;
    }
  else
    run->exit_status = g_subprocess_get_exit_status (process);

  g_test_message ("client (crash at %s): %s, out: %s err: %s", crash_at != NULL ? crash_at : "-",
                  run->killed ? "killed" : run->exit_status == 0 ? "ok" : "failed",
                  run->out, run->err);
  return run;
}

static void
run_client_killed (MpTestClient *client,
                   const char   *crash_at,
                   guint         page_size)
{
  g_autoptr(ClientRun) run = run_client (client, crash_at, page_size, NULL);

  g_assert_true (run->killed);
}

static void
sync_ok (MpTestClient *client)
{
  g_autoptr(MpSyncSummary) summary = mp_test_client_sync_ok (client);
}

/* A sync that ran to the end; its summary. */
static MpSyncSummary
run_client_ok (MpTestClient *client,
               guint         page_size)
{
  g_autoptr(ClientRun) run = run_client (client, NULL, page_size, NULL);
  MpSyncSummary summary = { 0 };

  g_assert_false (run->killed);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpint (sscanf (run->out, "pulled=%u pushed=%u merged=%u conflicts=%u quarantined=%u",
                           &summary.pulled, &summary.pushed, &summary.merged, &summary.conflicts,
                           &summary.quarantined), ==, 5);
  return summary;
}

static gint64
synced_revision (MpTestClient *client,
                 const char   *id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 revision = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT synced_revision FROM model_sync WHERE model_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    revision = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return revision;
}

/* Everything of the bank that a failed sync must leave alone: the models,
 * the outbox (keys included), the checkpoint and each model's sync row. */
static char *
bank_state (MpTestClient *client)
{
  g_autoptr(GHashTable) documents = mp_test_client_documents (client);
  g_autoptr(GPtrArray) outbox = mp_test_client_outbox (client);
  g_autoptr(GList) ids = g_list_sort (g_hash_table_get_keys (documents), (GCompareFunc) strcmp);
  g_autoptr(GString) state = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_append_printf (state, "since %" G_GINT64_FORMAT "\n", mp_sync_store_get_since (client->store));
  for (GList *l = ids; l != NULL; l = l->next)
    g_string_append_printf (state, "model %s\n", (const char *) g_hash_table_lookup (documents, l->data));
  for (guint i = 0; i < outbox->len; i++)
    g_string_append_printf (state, "outbox %s\n", (const char *) g_ptr_array_index (outbox, i));

  g_assert_cmpint (sqlite3_prepare_v2 (mp_store_get_db (client->store),
                                       "SELECT model_id, synced_revision, base_doc, state, remote_gone, conflict"
                                       " FROM model_sync ORDER BY model_id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (state, "sync %s %" G_GINT64_FORMAT " %s %d %d %s\n",
                            (const char *) sqlite3_column_text (stmt, 0),
                            (gint64) sqlite3_column_int64 (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2),
                            sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4),
                            (const char *) sqlite3_column_text (stmt, 5));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&state), FALSE);
}

static void
assert_same_strings (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* Every model of @client is the platform's, byte for byte, and the other
 * way round; nothing waits to be sent. */
static void
assert_converged (MpTestServer *server,
                  MpTestClient *client)
{
  g_autoptr(GHashTable) theirs = mp_test_sync_server_documents (server, client->token);
  g_autoptr(GHashTable) mine = mp_test_client_documents (client);
  GHashTableIter iter;
  gpointer id, document;

  g_assert_cmpuint (mp_sync_store_count_outbox (client->store, NULL, NULL), ==, 0);
  g_assert_cmpuint (g_hash_table_size (mine), ==, g_hash_table_size (theirs));
  g_hash_table_iter_init (&iter, theirs);
  while (g_hash_table_iter_next (&iter, &id, &document))
    {
      g_assert_cmpstr (g_hash_table_lookup (mine, id), ==, document);
      g_assert_cmpint (mp_sync_store_get_state (client->store, id, NULL), ==, MP_SYNC_STATE_SYNCED);
    }
}

/* The next_since of each page of the feed from @since, pages of @limit. */
static GArray *
page_ends (MpTestServer *server,
           const char   *token,
           gint64        since,
           guint         limit,
           GPtrArray   **entries)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) changes = mp_test_server_feed (server, session, token, since, limit, NULL);
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < changes->len; i++)
    if (i % limit == limit - 1 || i == changes->len - 1)
      {
        gint64 seq = json_object_get_int_member (g_ptr_array_index (changes, i), "seq");

        g_array_append_val (ends, seq);
      }
  if (entries != NULL)
    *entries = g_steal_pointer (&changes);
  return ends;
}

/* tests: the client killed */

static void
test_killed_between_page_and_checkpoint (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autofree char *token = mp_test_sync_server_token (server, "maija");
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) x = mp_test_client_create (a, "Yhteinen malli", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) w = mp_test_client_create (a, "Toinen malli", MP_VISIBILITY_PUBLIC);
  g_autoptr(MpModel) y = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *z = NULL;
  g_autofree char *before = NULL;
  const char *x_id = mp_model_get_id (x);
  const char *w_id = mp_model_get_id (w);
  gint64 since;
  MpSyncSummary summary;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *title = g_strdup_printf ("Alustan malli %u", i);
      g_autofree char *id = mp_test_server_create (server, session, token, title, MP_TEST_ORG,
                                                   i % 2 ? "public" : "organisation");

      if (i == 0)
        z = g_steal_pointer (&id);
    }
  sync_ok (a);
  sync_ok (b);
  g_assert_cmpuint (mp_store_count (b->store), ==, 6);
  since = mp_sync_store_get_since (b->store);

  /* Offline on B: an edit of A's model, an edit of the platform's, a new
   * model. Meanwhile A edits another field of the same model and a second
   * model, and the platform gets three new models: five feed entries,
   * three pages of two. */
  mp_test_client_edit (b, x_id, MP_TEXT_SUMMARY, "Villen muutos offline");
  mp_test_client_edit (b, z, MP_TEXT_LESSONS, "Villen opit");
  y = mp_test_client_create (b, "Villen uusi malli", MP_VISIBILITY_ORGANISATION);
  mp_test_client_edit (a, x_id, MP_TEXT_CORE, "Maijan ydin");
  mp_test_client_edit (a, w_id, MP_TEXT_PLACE, "Oulu");
  sync_ok (a);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Myöhempi malli %u", i);
      g_autofree char *id = mp_test_server_create (server, session, token, title, MP_TEST_ORG, "public");
    }
  ends = page_ends (server, b->token, since, 2, &entries);
  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_cmpuint (ends->len, ==, 3);

  outbox = mp_test_client_outbox (b);
  g_assert_cmpuint (outbox->len, ==, 3);
  before = bank_state (b);
  mp_test_client_close (b);

  /* Killed inside the first page's transaction: none of it was kept. */
  run_client_killed (b, "page-applied", 2);
  mp_test_client_open (b);
  {
    g_autofree char *after = bank_state (b);

    g_assert_cmpstr (after, ==, before);
  }
  mp_test_client_close (b);

  /* Killed at each later page in turn: every run keeps one more page and
   * its checkpoint together, and nothing of the page it was killed in. */
  for (guint page = 1; page < ends->len; page++)
    {
      g_autoptr(GPtrArray) outbox_now = NULL;

      run_client_killed (b, "page-applied:2", 2);
      mp_test_client_open (b);
      g_assert_cmpint (mp_sync_store_get_since (b->store), ==, g_array_index (ends, gint64, page - 1));
      for (guint i = 0; i < entries->len; i++)
        {
          JsonObject *entry = g_ptr_array_index (entries, i);
          const char *id = json_object_get_string_member (entry, "id");
          gint64 revision = json_object_get_int_member (entry, "revision");

          if (i / 2 < page)
            g_assert_cmpint (synced_revision (b, id), ==, revision);
          else
            g_assert_cmpint (synced_revision (b, id), <, revision);
        }
      /* The pull never touches the outbox: the same edits, the same keys. */
      outbox_now = mp_test_client_outbox (b);
      assert_same_strings (outbox_now, outbox);
      mp_test_client_close (b);
    }

  /* Restarted: the last page, then the push. Each entry was applied once:
   * the resumed run pulls only what the checkpoint had not covered. */
  summary = run_client_ok (b, 2);
  g_assert_cmpuint (summary.pulled, ==, entries->len - 2 * (ends->len - 1));
  g_assert_cmpuint (summary.pushed, ==, 3);
  g_assert_cmpuint (summary.conflicts, ==, 0);
  summary = run_client_ok (b, 2);
  g_assert_cmpuint (summary.pulled, ==, 0);
  g_assert_cmpuint (summary.pushed, ==, 0);
  mp_test_client_open (b);
  sync_ok (a);

  /* Every edit on the platform exactly once: one revision per accepted
   * change, and no text lost. */
  g_assert_cmpint (mp_test_sync_server_revision (server, token, x_id), ==, 3);
  g_assert_cmpint (mp_test_sync_server_revision (server, token, w_id), ==, 2);
  g_assert_cmpint (mp_test_sync_server_revision (server, token, z), ==, 2);
  g_assert_cmpint (mp_test_sync_server_revision (server, token, mp_model_get_id (y)), ==, 1);
  {
    g_autofree char *summary_text = mp_test_client_text (a, x_id, MP_TEXT_SUMMARY);
    g_autofree char *core = mp_test_client_text (b, x_id, MP_TEXT_CORE);
    g_autofree char *lessons = mp_test_client_text (a, z, MP_TEXT_LESSONS);
    g_autofree char *place = mp_test_client_text (b, w_id, MP_TEXT_PLACE);

    g_assert_cmpstr (summary_text, ==, "Villen muutos offline");
    g_assert_cmpstr (core, ==, "Maijan ydin");
    g_assert_cmpstr (lessons, ==, "Villen opit");
    g_assert_cmpstr (place, ==, "Oulu");
  }
  assert_converged (server, a);
  assert_converged (server, b);
  g_assert_cmpuint (mp_store_count (b->store), ==, 10);
}

/* B's edits reach the platform, which commits them; B is killed before
 * it records the answer. */
static void
kill_after_push (MpTestServer  *server,
                 MpTestClient  *a,
                 MpTestClient  *b,
                 const char    *x_id,
                 char         **y_id,
                 GPtrArray    **outbox)
{
  g_autoptr(MpModel) y = NULL;
  g_autofree char *x_doc = NULL;
  g_autofree char *y_doc = NULL;

  sync_ok (a);
  sync_ok (b);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, x_id), ==, 1);

  mp_test_client_edit (b, x_id, MP_TEXT_SUMMARY, "Villen tiivistelmä");
  y = mp_test_client_create (b, "Villen malli", MP_VISIBILITY_ORGANISATION);
  *y_id = g_strdup (mp_model_get_id (y));
  *outbox = mp_test_client_outbox (b);
  g_assert_cmpuint ((*outbox)->len, ==, 2);
  mp_test_client_close (b);

  run_client_killed (b, "push-answered", 0);

  /* The platform has both; the bank knows of neither answer. */
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, x_id), ==, 2);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, *y_id), ==, 1);
  x_doc = mp_test_sync_server_document (server, a->token, x_id);
  g_assert_nonnull (strstr (x_doc, "Villen tiivistelmä"));
  y_doc = mp_test_sync_server_document (server, a->token, *y_id);
  g_assert_nonnull (y_doc);

  mp_test_client_open (b);
  {
    g_autoptr(GPtrArray) now = mp_test_client_outbox (b);

    assert_same_strings (now, *outbox);
  }
}

static void
test_killed_between_push_and_record (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) x = mp_test_client_create (a, "Lähetetty malli", MP_VISIBILITY_ORGANISATION);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *y_id = NULL;
  const char *x_id = mp_model_get_id (x);
  MpSyncSummary summary;

  kill_after_push (server, a, b, x_id, &y_id, &outbox);

  /* An edit made after the crash is an edit of its own: the one already
   * sent keeps its bytes, so that its key still matches. */
  mp_test_client_edit (b, x_id, MP_TEXT_LESSONS, "Villen opit kaatumisen jälkeen");
  {
    g_autoptr(GPtrArray) now = mp_test_client_outbox (b);

    g_assert_cmpuint (now->len, ==, 3);
    g_ptr_array_set_size (now, 2);
    assert_same_strings (now, outbox);
  }
  mp_test_client_close (b);

  /* Restarted: the retries under the same keys get the stored answers
   * and create nothing; the later edit is one more revision. */
  summary = run_client_ok (b, 0);
  g_assert_cmpuint (summary.pushed, ==, 3);
  g_assert_cmpuint (summary.conflicts, ==, 0);
  mp_test_client_open (b);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, x_id), ==, 3);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, y_id), ==, 1);
  {
    g_autofree char *x_server = mp_test_sync_server_document (server, b->token, x_id);
    g_autofree char *x_local = mp_test_client_document (b, x_id);
    g_autofree char *y_server = mp_test_sync_server_document (server, b->token, y_id);
    g_autofree char *y_local = mp_test_client_document (b, y_id);
    g_autofree char *summary_text = mp_test_client_text (b, x_id, MP_TEXT_SUMMARY);
    g_autofree char *lessons = mp_test_client_text (b, x_id, MP_TEXT_LESSONS);

    g_assert_cmpstr (x_local, ==, x_server);
    g_assert_cmpstr (y_local, ==, y_server);
    g_assert_cmpstr (summary_text, ==, "Villen tiivistelmä");
    g_assert_cmpstr (lessons, ==, "Villen opit kaatumisen jälkeen");
  }
  g_assert_null (mp_sync_store_get_conflicts (b->store, x_id));

  sync_ok (a);
  sync_ok (b);
  assert_converged (server, a);
  assert_converged (server, b);
}

/* The same, but the person edits the very field whose push was answered
 * and not recorded: the platform's copy holds the client's own earlier
 * text, which is no one else's change to conflict with. */
static void
test_killed_after_push_same_field (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) x = mp_test_client_create (a, "Lähetetty malli", MP_VISIBILITY_ORGANISATION);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *y_id = NULL;
  g_autofree char *summary_text = NULL;
  const char *x_id = mp_model_get_id (x);
  MpSyncSummary summary;

  kill_after_push (server, a, b, x_id, &y_id, &outbox);
  mp_test_client_edit (b, x_id, MP_TEXT_SUMMARY, "Villen tiivistelmä, korjattu");
  mp_test_client_close (b);

  summary = run_client_ok (b, 0);
  mp_test_client_open (b);
  /* Never lost, whatever happens. */
  summary_text = mp_test_client_text (b, x_id, MP_TEXT_SUMMARY);
  g_assert_cmpstr (summary_text, ==, "Villen tiivistelmä, korjattu");
  /* The pull brings the platform's copy with the text the killed run
   * sent: that text is the base of the later edit, not a change of the
   * platform's; the sent edits are answered from the idempotency records. */
  g_assert_cmpuint (summary.conflicts, ==, 0);
  g_assert_null (mp_sync_store_get_conflicts (b->store, x_id));
  g_assert_cmpuint (summary.pushed, ==, 3);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, x_id), ==, 3);
  sync_ok (a);
  assert_converged (server, a);
  assert_converged (server, b);
}

static void
edit_items (MpTestClient *client,
            const char   *id,
            MpStage       stage,
            guint         characteristic,
            const char   *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModel) model = mp_store_load_model (client->store, id, &error);

  g_assert_no_error (error);
  mp_model_set_stage_state (model, stage, MP_STAGE_STATE_IN_PROGRESS);
  mp_model_set_stage_notes (model, stage, text);
  mp_model_set_characteristic (model, characteristic, TRUE, text);
  g_assert_true (mp_store_save_model (client->store, model, &error));
  g_assert_no_error (error);
}

/* The same for a stage entry and a characteristic, which merge one by
 * one: B's batch reaches the platform and its answer is lost; A changes
 * another stage and characteristic; B edits its own ones again. */
static void
test_lost_answer_same_items_edited (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = mp_test_sync_server_root (server);
  g_autoptr(MpTestClient) a = mp_test_client_new (url, "maija");
  g_autoptr(MpTestClient) b = mp_test_client_new (url, "ville");
  g_autoptr(MpModel) x = mp_test_client_create (a, "Vaiheittain", MP_VISIBILITY_ORGANISATION);
  g_autoptr(MpModel) result = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autoptr(JsonObject) body_object = json_object_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(GArray) entry_ids = NULL;
  g_autoptr(MpTestResponse) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *justification = NULL;
  const char *id = mp_model_get_id (x);
  JsonArray *results;

  sync_ok (a);
  sync_ok (b);
  edit_items (b, id, MP_STAGE_IDEA, 0, "Villen idea");

  /* What a run does up to the answer, which is then lost. */
  items = mp_sync_store_next_batch (b->store, 100, &entry_ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entry_ids->len, ==, 1);
  json_object_set_member (body_object, "items", g_steal_pointer (&items));
  body_node = json_node_init_object (json_node_alloc (), body_object);
  body = json_to_string (body_node, FALSE);
  sent = mp_test_server_request (server, session, "POST", "/models:batch", b->token, body);
  g_assert_cmpuint (sent->status, ==, 200);
  results = json_object_get_array_member (mp_test_response_object (sent), "results");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 0), "status"), ==, 200);

  edit_items (a, id, MP_STAGE_TRIALS, 7, "Maijan kokeilu");
  sync_ok (a);
  edit_items (b, id, MP_STAGE_IDEA, 0, "Villen idea, korjattu");

  summary = mp_test_client_sync_ok (b);
  g_assert_cmpuint (summary->conflicts, ==, 0);
  g_assert_null (mp_sync_store_get_conflicts (b->store, id));
  g_assert_cmpuint (summary->pushed, ==, 2);
  g_assert_cmpint (mp_test_sync_server_revision (server, a->token, id), ==, 4);

  result = mp_store_load_model (b->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_stage_notes (result, MP_STAGE_IDEA), ==, "Villen idea, korjattu");
  g_assert_cmpstr (mp_model_get_stage_notes (result, MP_STAGE_TRIALS), ==, "Maijan kokeilu");
  mp_model_get_characteristic (result, 0, &justification);
  g_assert_cmpstr (justification, ==, "Villen idea, korjattu");
  mp_model_get_characteristic (result, 7, &justification);
  g_assert_cmpstr (justification, ==, "Maijan kokeilu");
  sync_ok (a);
  assert_converged (server, a);
  assert_converged (server, b);
}

/* The platform pruned its tombstones, so B must sync again in full; B is
 * killed in the middle of it. The full re-sync is remembered in the bank:
 * the next run finishes it, and drops what the platform deleted. */
static void
test_killed_during_full_resync (void)
{
  g_autoptr(MpTestServer) server = mp_test_sync_server_new ("--tombstone-retention", "0");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(MpTestClient) b = NULL;
  g_autoptr(MpModel) draft = NULL;
  g_autoptr(MpTestResponse) deleted = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  MpSyncSummary summary;

  /* The port must stay: the bank's platform address is the same. */
  mp_test_sync_server_restart (server);
  url = mp_test_sync_server_root (server);
  token = mp_test_sync_server_token (server, "maija");
  gone = mp_test_server_create (server, session, token, "Poistuva", MP_TEST_ORG, "public");
  kept = mp_test_server_create (server, session, token, "Muokattava", MP_TEST_ORG, "organisation");
  b = mp_test_client_new (url, "ville");
  sync_ok (b);
  g_assert_cmpuint (mp_store_count (b->store), ==, 2);

  mp_test_client_edit (b, kept, MP_TEXT_LESSONS, "Villen opit");
  draft = mp_test_client_create (b, "Villen luonnos", MP_VISIBILITY_PRIVATE);
  for (guint i = 0; i < 3; i++)
    g_free (mp_test_server_create (server, session, token, "Uusi", MP_TEST_ORG, "public"));
  path = g_strconcat ("/models/", gone, NULL);
  deleted = mp_test_server_request (server, session, "DELETE", path, token, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  mp_test_sync_server_restart (server);
  before = bank_state (b);
  mp_test_client_close (b);

  /* 410, a full re-sync from 0, killed inside its page. */
  run_client_killed (b, "page-applied", 0);
  mp_test_client_open (b);
  {
    g_autofree char *after = bank_state (b);
    g_autofree char *expected = NULL;
    const char *line_end = strchr (before, '\n');

    /* Only the checkpoint moved: back to 0, for the full re-sync. */
    expected = g_strconcat ("since 0", line_end, NULL);
    g_assert_cmpstr (after, ==, expected);
  }
  mp_test_client_close (b);

  /* Restarted: the full re-sync goes on from 0 and ends, dropping the
   * deleted model whose tombstone is gone; the local edit and the private
   * draft stay, and the edit goes out once. */
  summary = run_client_ok (b, 0);
  g_assert_cmpuint (summary.pushed, ==, 1);
  mp_test_client_open (b);
  {
    g_autofree char *gone_document = mp_test_client_document (b, gone);
    g_autofree char *draft_document = mp_test_client_document (b, mp_model_get_id (draft));

    g_assert_null (gone_document);
    g_assert_nonnull (draft_document);
  }
  g_assert_cmpint (mp_test_sync_server_revision (server, token, kept), ==, 2);
  {
    g_autofree char *lessons = mp_test_client_text (b, kept, MP_TEXT_LESSONS);

    g_assert_cmpstr (lessons, ==, "Villen opit");
  }
  /* 4 on the platform and the private draft. */
  g_assert_cmpuint (mp_store_count (b->store), ==, 5);
  {
    g_autoptr(GHashTable) platform = mp_test_sync_server_documents (server, b->token);
    g_autoptr(GHashTable) local = mp_test_client_documents (b);
    GHashTableIter iter;
    gpointer id, document;

    g_assert_cmpuint (g_hash_table_size (platform), ==, 4);
    g_hash_table_iter_init (&iter, platform);
    while (g_hash_table_iter_next (&iter, &id, &document))
      g_assert_cmpstr (g_hash_table_lookup (local, id), ==, document);
  }
  g_assert_cmpuint (mp_sync_store_count_outbox (b->store, NULL, NULL), ==, 0);
}

/* tests: a run that fails while a page is read or applied */

#define BIG_PAGE 400

/* A platform whose first feed page is big (its reading and applying take
 * a while on the workers) and whose second page is refused at once, or
 * cancels the run, while the first is still under way. */
typedef struct {
  SoupServer   *server;
  char         *url;
  char         *first_page;
  gint64        next_since;
  GCancellable *cancel_on_second;
} BigFeed;

static void
on_big_feed (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  BigFeed *feed = user_data;
  const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *refused = "{\"error\": {\"code\": \"invalid\", \"field\": \"since\", \"message\": \"No\"}}";

  if (g_strcmp0 (since, "0") == 0)
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, feed->first_page,
                                        strlen (feed->first_page));
      return;
    }

  if (feed->cancel_on_second != NULL)
    g_cancellable_cancel (feed->cancel_on_second);
  soup_server_message_set_status (message, 400, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, refused, strlen (refused));
}

static BigFeed *
big_feed_new (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *long_text = g_strnfill (20000, 'x');
  BigFeed *feed = g_new0 (BigFeed, 1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < BIG_PAGE; i++)
    {
      g_autofree char *id = mp_test_new_id ();
      g_autofree char *text = mp_test_document (id, "Iso sivu", MP_TEST_ORG, "public");
      g_autoptr(JsonNode) document = json_from_string (text, &error);

      g_assert_no_error (error);
      json_object_set_int_member (json_node_get_object (document), "revision", 1);
      json_object_set_string_member (json_node_get_object (document), "core", long_text);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, i + 1);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "document");
      json_builder_add_value (builder, g_steal_pointer (&document));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_since");
  json_builder_add_int_value (builder, BIG_PAGE);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  feed->first_page = json_to_string (root, FALSE);
  feed->next_since = BIG_PAGE;

  feed->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (feed->server, "/api/v1/changes", on_big_feed, feed, NULL);
  g_assert_true (soup_server_listen_local (feed->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (feed->server);
  feed->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return feed;
}

static void
big_feed_free (BigFeed *feed)
{
  g_clear_object (&feed->server);
  g_free (feed->url);
  g_free (feed->first_page);
  g_free (feed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BigFeed, big_feed_free)

/* The run's task returns once its workers stopped: right after the run
 * failed, nothing holds the sync or its store any more, and what the
 * bank holds is the first page whole, or nothing of it. */
static void
check_failed_run_released (gboolean cancel)
{
  g_autoptr(BigFeed) feed = big_feed_new ();

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(MpTestClient) client = mp_test_client_new (feed->url, NULL);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(MpSyncSummary) summary = NULL;
      g_autoptr(GError) error = NULL;
      gint64 since;

      feed->cancel_on_second = cancel ? cancellable : NULL;
      summary = mp_test_client_sync_cancellable (client, cancellable, &error);
      g_assert_null (summary);
      if (cancel)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      else
        g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
      g_assert_cmpint (mp_sync_get_status (client->sync), ==,
                       cancel ? MP_SYNC_STATUS_IDLE : MP_SYNC_STATUS_FAILED);

      g_assert_finalize_object (g_steal_pointer (&client->sync));
      since = mp_sync_store_get_since (client->store);
      g_assert_true (since == 0 || since == feed->next_since);
      g_assert_cmpuint (mp_store_count (client->store), ==, since == 0 ? 0 : BIG_PAGE);
      g_assert_finalize_object (g_steal_pointer (&client->store));
    }
}

static void
test_failed_run_released (void)
{
  check_failed_run_released (FALSE);
}

static void
test_cancelled_run_released (void)
{
  check_failed_run_released (TRUE);
}

/* tests: TLS */

#ifdef MP_TEST_HAVE_GNUTLS

#define CHECK_GNUTLS(call) g_assert_cmpint ((call), ==, GNUTLS_E_SUCCESS)

static void
write_datum (const char     *path,
             gnutls_datum_t *datum)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) datum->data, datum->size, &error);
  g_assert_no_error (error);
  gnutls_free (datum->data);
}

/* A self-signed certificate for 127.0.0.1, made now: nothing to expire in
 * the repository, and no openssl needed. It is its own CA, so that a test
 * can trust it as an anchor. */
static void
make_certificate (const char *cert_path,
                  const char *key_path)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;
  guint8 serial[16];
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  time_t now = time (NULL);

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] &= 0x7f;   /* a positive number */

  CHECK_GNUTLS (gnutls_x509_privkey_init (&key));
  CHECK_GNUTLS (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                              GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  CHECK_GNUTLS (gnutls_x509_crt_init (&crt));
  CHECK_GNUTLS (gnutls_x509_crt_set_version (crt, 3));
  CHECK_GNUTLS (gnutls_x509_crt_set_serial (crt, serial, sizeof serial));
  CHECK_GNUTLS (gnutls_x509_crt_set_activation_time (crt, now - 3600));
  CHECK_GNUTLS (gnutls_x509_crt_set_expiration_time (crt, now + 24 * 3600));
  CHECK_GNUTLS (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "127.0.0.1", 9));
  CHECK_GNUTLS (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback, sizeof loopback,
                                                      GNUTLS_FSAN_SET));
  CHECK_GNUTLS (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                      GNUTLS_FSAN_APPEND));
  CHECK_GNUTLS (gnutls_x509_crt_set_basic_constraints (crt, 1, -1));
  CHECK_GNUTLS (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN));
  CHECK_GNUTLS (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
  CHECK_GNUTLS (gnutls_x509_crt_set_key (crt, key));
  CHECK_GNUTLS (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0));

  CHECK_GNUTLS (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum));
  write_datum (cert_path, &datum);
  /* PKCS #8: the one key form GTlsCertificate reads for every key type. */
  CHECK_GNUTLS (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &datum));
  write_datum (key_path, &datum);

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

/* The real server over HTTPS, in an MpTestServer so that the helpers of
 * tests/server work on it (mp_test_server_start() expects plain HTTP). */
static MpTestServer *
tls_server_new (char **cert_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key_path = NULL;
  MpTestServer *server = g_new0 (MpTestServer, 1);
  const char *prefix = "Listening on https://127.0.0.1:";

  server->dir = g_dir_make_tmp ("mallipaja-tls-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_build_filename (server->dir, "platform.sqlite", NULL);
  *cert_path = g_build_filename (server->dir, "cert.pem", NULL);
  key_path = g_build_filename (server->dir, "key.pem", NULL);
  make_certificate (*cert_path, key_path);
  server->extra_args = g_strdupv ((char *[]) { "--tls-cert", *cert_path, "--tls-key", key_path, NULL });

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MALLIPAJA_SERVER"),
                                                 "--db", server->db_path, "--listen", "127.0.0.1:0",
                                                 "--tls-cert", *cert_path, "--tls-key", key_path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  server->base = g_strdup_printf ("https://127.0.0.1:%u/api/v1",
                                  (guint) g_ascii_strtoull (line + strlen (prefix), NULL, 10));

  mp_test_server_add_user (server, "maija", MP_TEST_ORG, MP_TEST_PASSWORD);
  mp_test_server_add_user (server, "ville", MP_TEST_ORG, MP_TEST_PASSWORD);
  return server;
}

/* Trusts @cert_path (NULL: the system's trust store only) in the sessions
 * made from now on: libsoup takes the default database when a session
 * first connects, and every MpSync has a session of its own. */
static void
trust_certificate (const char *cert_path)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  if (cert_path != NULL)
    {
      database = g_tls_file_database_new (cert_path, &error);
      g_assert_no_error (error);
    }
  g_tls_backend_set_default_database (g_tls_backend_get_default (), database);
}

static void
test_tls_untrusted (void)
{
  g_autofree char *cert_path = NULL;
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(MpTestClient) a = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) failed = NULL;
  g_autoptr(MpSyncSummary) fixed = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *other = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(MpTestResponse) edited = NULL;
  const char *id;
  gint64 since;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (Debian: glib-networking)");
      return;
    }

  server = tls_server_new (&cert_path);
  url = mp_test_sync_server_root (server);

  /* First the certificate is trusted: the bank syncs with this platform,
   * so that it has a checkpoint to lose and edits to keep. */
  trust_certificate (cert_path);
  session = soup_session_new ();
  token = mp_test_server_login (server, session, "maija", MP_TEST_PASSWORD);
  a = mp_test_client_new (url, "ville");
  model = mp_test_client_create (a, "Salattu yhteys", MP_VISIBILITY_ORGANISATION);
  id = mp_model_get_id (model);
  other = mp_test_server_create (server, session, token, "Alustan malli", MP_TEST_ORG, "public");
  sync_ok (a);
  since = mp_sync_store_get_since (a->store);
  g_assert_cmpint (since, >, 0);
  g_assert_cmpuint (mp_store_count (a->store), ==, 2);

  /* Then work waits on both sides: a local edit, a change on the
   * platform, a new model there. */
  mp_test_client_edit (a, id, MP_TEXT_SUMMARY, "Paikallinen muutos");
  edited = mp_test_server_push (server, session, token, id,
                                "{\"base_revision\": 1, \"fields\": {\"lessons\": \"Alustan opit\"}}", NULL);
  g_assert_cmpuint (edited->status, ==, 200);
  newer = mp_test_server_create (server, session, token, "Uudempi", MP_TEST_ORG, "public");
  before = bank_state (a);

  /* Now the system's trust store only, which does not know the
   * certificate: the sync fails at the first request and says why. */
  mp_test_client_close (a);
  trust_certificate (NULL);
  mp_test_client_open (a);
  failed = mp_test_client_sync (a, &error);
  g_assert_null (failed);
  g_assert_error (error, MP_ERROR, MP_ERROR_NETWORK);
  g_test_message ("untrusted certificate: %s", error->message);
  prefix = g_strdup_printf (_("The secure connection to the platform failed: %s"), "");
  g_assert_true (g_str_has_prefix (error->message, prefix));
  lower = g_utf8_strdown (error->message, -1);
  g_assert_nonnull (strstr (lower, "certificate"));
  g_assert_cmpint (mp_sync_get_status (a->sync), ==, MP_SYNC_STATUS_FAILED);
  g_assert_cmpstr (mp_sync_get_last_error (a->sync), ==, error->message);

  /* Nothing moved: models, outbox and keys, checkpoint, sync rows. */
  after = bank_state (a);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (mp_sync_store_get_since (a->store), ==, since);
  g_assert_cmpuint (mp_sync_store_count_outbox (a->store, NULL, NULL), ==, 1);
  mp_test_client_close (a);

  /* The same in a client process of its own, in Finnish: the reason
   * reaches the person translated (the certificate part is
   * glib-networking's). */
  {
    g_autofree char *locale_dir = g_build_filename (g_getenv ("MALLIPAJA_BUILD_DIR"), "po", NULL);
    g_autofree char *catalogue = g_build_filename (locale_dir, "fi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
    g_autofree char *locale_env = g_strconcat ("MP_TEST_LOCALE_DIR=", locale_dir, NULL);
    const char *env[] = { locale_env, "LANGUAGE=fi", NULL };
    g_autoptr(ClientRun) run = run_client (a, NULL, 0, env);

    g_assert_false (run->killed);
    g_assert_cmpint (run->exit_status, ==, 1);
    if (g_file_test (catalogue, G_FILE_TEST_EXISTS))
      g_assert_true (g_str_has_prefix (run->err, "Suojattu yhteys alustaan epäonnistui: "));
    else
      g_test_message ("%s is not built: the Finnish message is not checked", catalogue);
  }
  mp_test_client_open (a);
  g_clear_pointer (&after, g_free);
  after = bank_state (a);
  g_assert_cmpstr (after, ==, before);

  /* Trusted again, the same bank syncs: the failure was only that. */
  mp_test_client_close (a);
  trust_certificate (cert_path);
  mp_test_client_open (a);
  fixed = mp_test_client_sync_ok (a);
  g_assert_cmpuint (fixed->pulled, ==, 2);
  g_assert_cmpuint (fixed->pushed, ==, 1);
  g_assert_cmpint (mp_sync_store_get_since (a->store), >, since);
  {
    g_autofree char *lessons = mp_test_client_text (a, id, MP_TEXT_LESSONS);
    g_autofree char *summary_text = mp_test_client_text (a, id, MP_TEXT_SUMMARY);

    g_assert_cmpstr (lessons, ==, "Alustan opit");
    g_assert_cmpstr (summary_text, ==, "Paikallinen muutos");
  }
  assert_converged (server, a);

  mp_test_client_close (a);
  trust_certificate (NULL);
}

/* Without glib-networking GIO has no TLS backend, only its dummy one: an
 * empty GIO module folder in the client process is exactly that. */
static void
test_tls_missing_backend (void)
{
  g_autofree char *cert_path = NULL;
  g_autoptr(MpTestServer) server = NULL;
  g_autoptr(MpTestClient) a = NULL;
  g_autoptr(MpModel) model = NULL;
  g_autofree char *url = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *modules_env = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (Debian: glib-networking)");
      return;
    }

  server = tls_server_new (&cert_path);
  url = mp_test_sync_server_root (server);
  trust_certificate (cert_path);
  a = mp_test_client_new (url, "ville");
  model = mp_test_client_create (a, "Odottaa yhteyttä", MP_VISIBILITY_ORGANISATION);
  sync_ok (a);
  mp_test_client_edit (a, mp_model_get_id (model), MP_TEXT_SUMMARY, "Ei vielä lähetetty");
  before = bank_state (a);
  mp_test_client_close (a);
  trust_certificate (NULL);

  modules = g_dir_make_tmp ("mallipaja-no-gio-modules-XXXXXX", &error);
  g_assert_no_error (error);
  modules_env = g_strconcat ("GIO_MODULE_DIR=", modules, NULL);
  {
    const char *env[] = { modules_env, "-GIO_EXTRA_MODULES", "-GIO_USE_TLS", NULL };
    g_autoptr(ClientRun) run = run_client (a, NULL, 0, env);
    g_autofree char *expected = g_strconcat (_("This system has no TLS support, so the platform cannot be "
                                               "reached securely. Install glib-networking."), "\n", NULL);

    g_assert_false (run->killed);
    g_assert_cmpint (run->exit_status, ==, 1);
    g_assert_cmpstr (run->err, ==, expected);
  }
  g_rmdir (modules);

  mp_test_client_open (a);
  after = bank_state (a);
  g_assert_cmpstr (after, ==, before);
}

#else

static void
test_tls_without_gnutls (void)
{
  g_test_skip ("Built without GnuTLS (Debian: libgnutls28-dev), which makes the test certificate");
}

#endif

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/faults/client-killed/between-page-and-checkpoint",
                   test_killed_between_page_and_checkpoint);
  g_test_add_func ("/sync/faults/client-killed/between-push-and-record",
                   test_killed_between_push_and_record);
  g_test_add_func ("/sync/faults/client-killed/after-push-same-field-edited",
                   test_killed_after_push_same_field);
  g_test_add_func ("/sync/faults/client-killed/during-full-resync", test_killed_during_full_resync);
  g_test_add_func ("/sync/faults/lost-answer/same-items-edited", test_lost_answer_same_items_edited);
  g_test_add_func ("/sync/faults/run-end/failed-while-applying", test_failed_run_released);
  g_test_add_func ("/sync/faults/run-end/cancelled-while-applying", test_cancelled_run_released);
#ifdef MP_TEST_HAVE_GNUTLS
  g_test_add_func ("/sync/faults/tls/untrusted-certificate", test_tls_untrusted);
  g_test_add_func ("/sync/faults/tls/no-backend", test_tls_missing_backend);
#else
  g_test_add_func ("/sync/faults/tls/untrusted-certificate", test_tls_without_gnutls);
  g_test_add_func ("/sync/faults/tls/no-backend", test_tls_without_gnutls);
#endif

  return g_test_run ();
}
