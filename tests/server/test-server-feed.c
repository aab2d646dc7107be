/* test-server-feed.c — the change feed: paging, resumption, re-sync
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-test-server.h"

#define N_MODELS 25

static void
test_paging_and_resumption (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *token = NULL;
  g_autoptr(MpTestResponse) update = NULL;
  g_autofree char *update_body = NULL;
  gint64 next_since = 0, previous_seq = 0;

  mp_test_server_add_user (server, "aino", "Org", "sana");
  token = mp_test_server_login (server, session, "aino", "sana");
  for (guint i = 0; i < N_MODELS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Malli %u", i);

      g_ptr_array_add (ids, mp_test_server_create (server, session, token, title, "Org",
                                                   i % 3 == 0 ? "organisation" : "public"));
    }

  /* Change the first model: it moves to the end of the feed, once. */
  update_body = g_strdup ("{\"base_revision\": 1, \"fields\": {\"summary\": \"Uusi\"}}");
  update = mp_test_server_push (server, session, token, g_ptr_array_index (ids, 0), update_body, NULL);
  g_assert_cmpuint (update->status, ==, 200);

  all = mp_test_server_feed (server, session, token, 0, 7, &next_since);
  g_assert_cmpuint (all->len, ==, N_MODELS);
  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (all, i);
      gint64 seq = json_object_get_int_member (entry, "seq");

      g_assert_cmpint (seq, >, previous_seq);
      previous_seq = seq;
      g_assert_false (g_hash_table_contains (seen, json_object_get_string_member (entry, "id")));
      g_hash_table_add (seen, (gpointer) json_object_get_string_member (entry, "id"));
      g_assert_true (json_object_has_member (entry, "document"));
    }
  g_assert_cmpint (next_since, ==, previous_seq);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (all, all->len - 1), "id"),
                   ==, g_ptr_array_index (ids, 0));
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (all, all->len - 1), "revision"), ==, 2);

  /* From any since, the feed is exactly the rest of the full one. */
  for (guint start = 0; start <= all->len; start++)
    {
      gint64 since = start == 0 ? 0 : json_object_get_int_member (g_ptr_array_index (all, start - 1), "seq");
      guint limit = 1 + start % 4;
      g_autoptr(GPtrArray) rest = mp_test_server_feed (server, session, token, since, limit, NULL);

      g_assert_cmpuint (rest->len, ==, all->len - start);
      for (guint i = 0; i < rest->len; i++)
        g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rest, i), "seq"),
                         ==, json_object_get_int_member (g_ptr_array_index (all, start + i), "seq"));
    }

  /* Past the end: nothing, and the position stays where it was. */
  {
    g_autoptr(GPtrArray) none = mp_test_server_feed (server, session, token, next_since, 5, NULL);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

/* Pages through the feed from 0 and checks each page's "remaining"
 * against what the later pages bring; returns the entries. */
static guint
check_remaining (MpTestServer *server,
                 SoupSession  *session,
                 const char   *token,
                 guint         limit)
{
  g_autoptr(GPtrArray) all = mp_test_server_feed (server, session, token, 0, limit, NULL);
  gint64 since = 0;
  guint seen = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, limit);
      g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "GET", path, token, NULL);
      JsonObject *object;

      g_assert_cmpuint (response->status, ==, 200);
      object = mp_test_response_object (response);
      seen += json_array_get_length (json_object_get_array_member (object, "changes"));
      more = json_object_get_boolean_member (object, "more");
      since = json_object_get_int_member (object, "next_since");
      g_assert_true (json_object_has_member (object, "remaining"));
      g_assert_cmpint (json_object_get_int_member (object, "remaining"), ==, (gint64) (all->len - seen));
      g_assert_true (more == (json_object_get_int_member (object, "remaining") > 0));
    }

  g_assert_cmpuint (seen, ==, all->len);
  return seen;
}

static void
test_remaining (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autoptr(GPtrArray) public_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MpTestResponse) hide = NULL;

  mp_test_server_add_user (server, "alice", "Org A", "sana");
  mp_test_server_add_user (server, "bob", "Org B", "sana");
  alice = mp_test_server_login (server, session, "alice", "sana");
  bob = mp_test_server_login (server, session, "bob", "sana");

  for (guint i = 0; i < 9; i++)
    g_ptr_array_add (public_ids, mp_test_server_create (server, session, alice, "Julkinen", "Org A", "public"));
  for (guint i = 0; i < 5; i++)
    g_free (mp_test_server_create (server, session, alice, "Sisäinen A", "Org A", "organisation"));
  for (guint i = 0; i < 4; i++)
    g_free (mp_test_server_create (server, session, bob, "Sisäinen B", "Org B", "organisation"));

  /* One public model goes organisation-only: a tombstone for those who saw
   * it, nothing for the others. */
  hide = mp_test_server_push (server, session, alice, g_ptr_array_index (public_ids, 0),
                              "{\"base_revision\": 1, \"fields\": {\"visibility\": \"organisation\"}}", NULL);
  g_assert_cmpuint (hide->status, ==, 200);

  for (guint limit = 1; limit <= 4; limit++)
    {
      /* Alice: 8 public and her 6 organisation models. */
      g_assert_cmpuint (check_remaining (server, session, alice, limit), ==, 8 + 6);
      /* Bob: 8 public, his own 4, and the tombstone of the model that he
       * could read before; never Org A's other organisation models. */
      g_assert_cmpuint (check_remaining (server, session, bob, limit), ==, 8 + 4 + 1);
      /* Anonymous: the public models and that one tombstone. */
      g_assert_cmpuint (check_remaining (server, session, NULL, limit), ==, 8 + 1);
    }

  /* An empty page past the end has nothing remaining. */
  {
    g_autoptr(MpTestResponse) end = mp_test_server_request (server, session, "GET",
                                                            "/changes?since=1000", alice, NULL);

    g_assert_cmpuint (end->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (mp_test_response_object (end), "remaining"), ==, 0);
  }
}

static void
test_bad_parameters (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *paths[] = { "/changes?since=-1", "/changes?since=abc", "/changes?limit=0",
                          "/changes?limit=100000" };
  const char *fields[] = { "since", "since", "limit", "limit" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(MpTestResponse) response = mp_test_server_request (server, session, "GET", paths[i], NULL, NULL);

      g_assert_cmpuint (response->status, ==, 400);
      g_assert_cmpstr (mp_test_response_error_field (response), ==, fields[i]);
    }
}

static void
test_resync_required (void)
{
  /* Tombstones kept for no time: each restart prunes them all. */
  g_autoptr(MpTestServer) server = mp_test_server_new ("--tombstone-retention", "0", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autoptr(MpTestResponse) hide = NULL;
  g_autoptr(MpTestResponse) old = NULL;
  g_autoptr(MpTestResponse) full = NULL;
  g_autoptr(GPtrArray) current = NULL;
  gint64 since = 0, next_since = 0;

  mp_test_server_add_user (server, "aino", "Org", "sana");
  token = mp_test_server_login (server, session, "aino", "sana");
  id = mp_test_server_create (server, session, token, "Malli", "Org", "public");
  g_ptr_array_unref (mp_test_server_feed (server, session, NULL, 0, 100, &since));
  g_assert_cmpint (since, ==, 1);

  hide = mp_test_server_push (server, session, token, id,
                              "{\"base_revision\": 1, \"fields\": {\"visibility\": \"organisation\"}}", NULL);
  g_assert_cmpuint (hide->status, ==, 200);

  mp_test_server_stop (server);
  mp_test_server_start (server);

  old = mp_test_server_request (server, session, "GET", "/changes?since=1", NULL, NULL);
  g_assert_cmpuint (old->status, ==, 410);
  g_assert_cmpstr (mp_test_response_error_code (old), ==, "resync_required");

  full = mp_test_server_request (server, session, "GET", "/changes?since=0", NULL, NULL);
  g_assert_cmpuint (full->status, ==, 200);

  current = mp_test_server_feed (server, session, token, 0, 100, &next_since);
  g_assert_cmpuint (current->len, ==, 1);
  g_ptr_array_unref (mp_test_server_feed (server, session, NULL, next_since, 100, NULL));
}

/* The later pages of a full sync (full=1) are served even from a since
 * older than the pruned tombstones; the tombstones still kept come too. */
static void
test_full_pass_paged (void)
{
  g_autoptr(MpTestServer) server = mp_test_server_new ("--tombstone-retention", "0", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(MpTestResponse) first = NULL;
  g_autoptr(MpTestResponse) refused = NULL;
  g_autoptr(MpTestResponse) bad = NULL;
  g_autoptr(MpTestResponse) gone = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  gint64 since;
  gboolean more = TRUE;
  guint n_tombstones = 0;

  mp_test_server_add_user (server, "aino", "Org", "sana");
  token = mp_test_server_login (server, session, "aino", "sana");
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (ids, mp_test_server_create (server, session, token, "Malli", "Org", "public"));
  path = g_strconcat ("/models/", (const char *) g_ptr_array_index (ids, 3), NULL);
  gone = mp_test_server_request (server, session, "DELETE", path, token, NULL);
  g_assert_cmpuint (gone->status, ==, 200);
  mp_test_server_stop (server);
  mp_test_server_start (server);

  first = mp_test_server_request (server, session, "GET", "/changes?since=0&limit=1", NULL, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  since = json_object_get_int_member (mp_test_response_object (first), "next_since");
  g_hash_table_add (seen, g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (mp_test_response_object (first), "changes"), 0),
    "id")));

  /* Without full=1, the second page of the pass is refused… */
  {
    g_autofree char *second = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=1", since);

    refused = mp_test_server_request (server, session, "GET", second, NULL, NULL);
    g_assert_cmpuint (refused->status, ==, 410);
  }

  /* …and a model deleted while the pass goes on leaves a tombstone that
   * is still kept: it comes on a later page. */
  g_clear_pointer (&path, g_free);
  path = g_strconcat ("/models/", (const char *) g_ptr_array_index (ids, 2), NULL);
  g_clear_pointer (&gone, mp_test_response_free);
  gone = mp_test_server_request (server, session, "DELETE", path, token, NULL);
  g_assert_cmpuint (gone->status, ==, 200);

  while (more)
    {
      g_autofree char *page_path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=1&full=1", since);
      g_autoptr(MpTestResponse) page = mp_test_server_request (server, session, "GET", page_path, NULL, NULL);
      JsonObject *answer;
      JsonArray *changes;

      g_assert_cmpuint (page->status, ==, 200);
      answer = mp_test_response_object (page);
      changes = json_object_get_array_member (answer, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *entry = json_array_get_object_element (changes, i);

          if (json_object_get_boolean_member_with_default (entry, "tombstone", FALSE))
            {
              g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, g_ptr_array_index (ids, 2));
              n_tombstones++;
            }
          else
            g_hash_table_add (seen, g_strdup (json_object_get_string_member (entry, "id")));
        }
      g_assert_cmpint (json_object_get_int_member (answer, "next_since"), >=, since);
      since = json_object_get_int_member (answer, "next_since");
      more = json_object_get_boolean_member (answer, "more");
    }

  /* The pruned tombstone of the model deleted before is simply not sent. */
  g_assert_cmpuint (n_tombstones, ==, 1);
  g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (ids, 0)));
  g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (ids, 1)));
  g_assert_false (g_hash_table_contains (seen, g_ptr_array_index (ids, 3)));

  bad = mp_test_server_request (server, session, "GET", "/changes?since=1&full=2", NULL, NULL);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpstr (mp_test_response_error_field (bad), ==, "full");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/feed/paging-and-resumption", test_paging_and_resumption);
  g_test_add_func ("/server/feed/remaining", test_remaining);
  g_test_add_func ("/server/feed/bad-parameters", test_bad_parameters);
  g_test_add_func ("/server/feed/resync-required", test_resync_required);
  g_test_add_func ("/server/feed/full-pass-paged", test_full_pass_paged);

  return g_test_run ();
}
