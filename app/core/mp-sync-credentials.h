/* mp-sync-credentials.h — the platform token in the desktop keyring
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Keeps the bearer token of @user on @platform_url in the Secret Service
 * (schema io.github.mallipaja.Mallipaja.Token), never in a file. */
void      mp_sync_credentials_store_async  (const char          *platform_url,
                                            const char          *user,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  mp_sync_credentials_store_finish (GAsyncResult        *result,
                                            GError             **error);

/* The token stored for @platform_url (any user), or %NULL without error
 * when there is none. */
void      mp_sync_credentials_lookup_async  (const char          *platform_url,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *mp_sync_credentials_lookup_finish (GAsyncResult        *result,
                                             GError             **error);

/* Forgets every token stored for @platform_url. */
void      mp_sync_credentials_clear_async  (const char          *platform_url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  mp_sync_credentials_clear_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
