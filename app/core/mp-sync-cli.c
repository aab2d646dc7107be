/* mp-sync-cli.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mp-indexer.h"
#include "mp-sync-cli.h"
#include "mp-sync-credentials.h"
#include "mp-sync.h"

/* private helpers */

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The command line has no window to keep responsive: iterate until the
 * one call ends. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
resolve_platform (MpStore    *store,
                  const char *platform_url)
{
  char *url;

  if (platform_url != NULL && *platform_url != '\0')
    return g_strdup (platform_url);
  if ((url = mp_sync_store_dup_platform (store)) != NULL && *url != '\0')
    return url;
  g_free (url);
  if ((platform_url = g_getenv ("MALLIPAJA_PLATFORM_URL")) != NULL && *platform_url != '\0')
    return g_strdup (platform_url);
  return NULL;
}

static char *
read_password (void)
{
  char buffer[1024];
  gsize length;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  length = strlen (buffer);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';
  {
    char *password = g_strdup (buffer);

    memset (buffer, 0, sizeof buffer);
    return password;
  }
}

/* public API */

int
mp_sync_cli_sign_in (MpStore    *store,
                     const char *platform_url,
                     const char *user)
{
  g_autoptr(MpSync) sync = NULL;
  g_autoptr(GAsyncResult) signed_in = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), EXIT_FAILURE);
  g_return_val_if_fail (platform_url != NULL, EXIT_FAILURE);
  g_return_val_if_fail (user != NULL, EXIT_FAILURE);

  if (!(password = read_password ()))
    {
      g_printerr (_("Give the password on standard input.\n"));
      return EXIT_FAILURE;
    }

  sync = mp_sync_new (store, platform_url);
  mp_sync_sign_in_async (sync, user, password, NULL, on_done, &signed_in);
  memset (password, 0, strlen (password));
  if (!(token = mp_sync_sign_in_finish (sync, wait_for (&signed_in), &error)))
    {
      g_printerr (_("Sign-in failed: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  mp_sync_credentials_store_async (platform_url, user, token, NULL, on_done, &stored);
  if (!mp_sync_credentials_store_finish (wait_for (&stored), &error) ||
      !mp_sync_store_set_platform (store, platform_url, &error))
    {
      g_printerr (_("Sign-in failed: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  /* Translators: %s are the user name and the platform address */
  g_print (_("Signed in as %s on %s.\n"), user, platform_url);
  return EXIT_SUCCESS;
}

int
mp_sync_cli_sign_out (MpStore    *store,
                      const char *platform_url)
{
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = resolve_platform (store, platform_url);

  g_return_val_if_fail (MP_IS_STORE (store), EXIT_FAILURE);

  if (url == NULL)
    {
      g_printerr (_("No platform to sign out of: give --platform URL.\n"));
      return EXIT_FAILURE;
    }

  mp_sync_credentials_clear_async (url, NULL, on_done, &cleared);
  if (!mp_sync_credentials_clear_finish (wait_for (&cleared), &error))
    {
      g_printerr (_("Sign-out failed: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  /* Translators: %s is the platform address */
  g_print (_("Signed out of %s.\n"), url);
  return EXIT_SUCCESS;
}

int
mp_sync_cli_run (MpStore    *store,
                 const char *platform_url)
{
  g_autoptr(MpSync) sync = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) ran = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autofree char *url = resolve_platform (store, platform_url);
  g_autofree char *token = NULL;
  gint64 start;
  guint backlog;

  g_return_val_if_fail (MP_IS_STORE (store), EXIT_FAILURE);

  if (url == NULL)
    {
      g_printerr (_("No platform to sync with: give --platform URL or sign in with --sign-in URL USER.\n"));
      return EXIT_FAILURE;
    }

  mp_sync_credentials_lookup_async (url, NULL, on_done, &found);
  token = mp_sync_credentials_lookup_finish (wait_for (&found), &error);
  if (error != NULL)
    {
      /* Without the keyring the public bank can still be read. */
      g_printerr (_("%s: syncing without a sign-in.\n"), error->message);
      g_clear_error (&error);
    }

  sync = mp_sync_new (store, url);
  mp_sync_set_token (sync, token);
  start = g_get_monotonic_time ();
  mp_sync_run_async (sync, NULL, on_done, &ran);
  if (!(summary = mp_sync_run_finish (sync, wait_for (&ran), &error)))
    {
      g_printerr (_("The sync failed: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  /* Translators: counts of models; kept short for one line */
  g_print (_("Pulled %u, pushed %u, merged %u, conflicts %u\n"),
           summary->pulled, summary->pushed, summary->merged, summary->conflicts);
  if (summary->quarantined > 0)
    g_print (ngettext ("%u edit was refused by the platform and is kept aside.\n",
                       "%u edits were refused by the platform and are kept aside.\n",
                       summary->quarantined), summary->quarantined);
  if (token == NULL)
    g_print (_("Not signed in: only the public bank was read, nothing was sent.\n"));
  /* Translators: how long the sync took, in seconds */
  g_print (_("Synced in %.1f s.\n"), (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* A large pull leaves the search indexing for later; here there is no
   * later, so it is done now, and told apart from the sync. */
  if ((backlog = mp_store_count_index_backlog (store)) > 0)
    {
      guint remaining = backlog;

      g_print (ngettext ("Indexing %u model for search…\n", "Indexing %u models for search…\n", backlog),
               backlog);
      start = g_get_monotonic_time ();
      while (remaining > 0)
        {
          if (!mp_store_index_backlog_step (store, MP_INDEXER_CHUNK, &remaining, &error))
            {
              /* The models are synced; the search catches up next time. */
              g_printerr (_("The search index could not be brought up to date: %s\n"), error->message);
              return EXIT_SUCCESS;
            }
        }
      /* Translators: how long indexing for search took, in seconds */
      g_print (_("Indexed in %.1f s.\n"), (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      mp_store_emit_changed (store, NULL);
    }
  return EXIT_SUCCESS;
}
