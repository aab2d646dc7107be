/* mp-server.h — the platform's HTTP side: listening, TLS, worker threads
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-server-api.h"

G_BEGIN_DECLS

#define MP_TYPE_SERVER (mp_server_get_type ())
G_DECLARE_FINAL_TYPE (MpServer, mp_server, MP, SERVER, GObject)

/* Opens @n_workers connections to the database at @db_path (migrating it)
 * and as many worker threads; requests are answered on those threads so
 * that a slow password check or a large feed page never stalls the rest. */
MpServer *mp_server_new      (const char            *db_path,
                              const MpServerConfig  *config,
                              guint                  n_workers,
                              GError               **error);
/* Listens on @address ("127.0.0.1:8080", "[::1]:0", port 0 for any free
 * one). Plain HTTP only on a loopback address; with @tls_cert and @tls_key
 * it speaks HTTPS. Returns the base URI in @uri. */
gboolean  mp_server_listen   (MpServer              *self,
                              const char            *address,
                              const char            *tls_cert,
                              const char            *tls_key,
                              char                 **uri,
                              GError               **error);
/* Stops listening, waits for the requests in progress, closes the database. */
void      mp_server_shutdown (MpServer              *self);

G_END_DECLS
