/* main.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mallipaja-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mp-core-resources.h"
#include "mp-server.h"
#include "mp-server-auth.h"

#define SAMPLE_BANK_PATH "/io/github/mallipaja/Mallipaja/core/sample-bank.json"

static char *opt_db;
static char *opt_listen;
static gboolean opt_sample;
static char *opt_import;
static char *opt_tls_cert;
static char *opt_tls_key;
static gint64 opt_max_body = MP_SERVER_MAX_BODY;
static gint64 opt_token_ttl = MP_SERVER_TOKEN_TTL;
static gint64 opt_tombstone_retention = MP_SERVER_TOMBSTONE_RETENTION;
static int opt_workers = 4;
static gboolean opt_version;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "The database file (created when missing)", "PATH" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "Address to listen on (default 127.0.0.1:8080; port 0 picks a free one)", "HOST:PORT" },
  { "sample", 0, 0, G_OPTION_ARG_NONE, &opt_sample, "Load the sample bank into an empty database", NULL },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, &opt_import, "Load model documents (JSON lines)", "FILE" },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert, "TLS certificate (PEM)", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "TLS private key (PEM)", "FILE" },
  { "max-body", 0, 0, G_OPTION_ARG_INT64, &opt_max_body, "Largest request body (default 8 MiB)", "BYTES" },
  { "token-ttl", 0, 0, G_OPTION_ARG_INT64, &opt_token_ttl, "Lifetime of a login (default 24 h)", "SECONDS" },
  { "tombstone-retention", 0, 0, G_OPTION_ARG_INT64, &opt_tombstone_retention,
    "How long deletions stay in the change feed (default 90 days)", "SECONDS" },
  { "workers", 0, 0, G_OPTION_ARG_INT, &opt_workers, "Worker threads (default 4)", "N" },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version", NULL },
  { NULL }
};

/* Reads one line; the terminal does not echo it. */
static char *
read_password (void)
{
  struct termios saved, quiet;
  gboolean is_tty = isatty (STDIN_FILENO);
  char buffer[4096];
  char *line;

  if (is_tty)
    {
      fprintf (stderr, "Password: ");
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (is_tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fprintf (stderr, "\n");
    }

  if (line == NULL)
    return NULL;

  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);
  return line;
}

static int
run_user_command (char **args)
{
  g_autoptr(MpServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if (g_strv_length (args) != 4 || !g_str_equal (args[1], "add"))
    {
      g_printerr ("Usage: mallipaja-server --db PATH user add USER ORGANISATION\n"
                  "(the password is read from standard input)\n");
      return 2;
    }

  db = mp_server_db_open (opt_db, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  password = read_password ();
  if (password == NULL || password[0] == '\0')
    {
      g_printerr ("No password given on standard input\n");
      return 1;
    }

  if (!mp_server_auth_add_user (db, args[2], args[3], password, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("Added user “%s” to “%s”\n", args[2], args[3]);
  return 0;
}

static gboolean
import_models (MpServerDb  *db,
               GPtrArray   *models,
               const char  *what,
               GError     **error)
{
  guint imported = 0, skipped = 0;

  if (!mp_server_db_import_models (db, models, &imported, &skipped, error))
    return FALSE;

  g_printerr ("%s: %u models stored, %u skipped (private, without an owner or unchanged)\n",
              what, imported, skipped);
  return TRUE;
}

static gboolean
load_sample (MpServerDb  *db,
             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) models = NULL;
  gsize length;
  const char *data;

  if (mp_server_db_count_models (db) > 0)
    {
      g_printerr ("The database holds models already; the sample bank is not loaded\n");
      return TRUE;
    }

  bytes = g_resource_lookup_data (mp_core_get_resource (), SAMPLE_BANK_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  models = mp_models_from_data (data, length, error);
  if (models == NULL)
    return FALSE;

  return import_models (db, models, "Sample bank", error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;
  MpServerConfig config;

  /* UTF-8 on the terminal, but messages to clients stay in English whatever
   * the locale: the protocol's messages are for developers. */
  setlocale (LC_ALL, "");
  setlocale (LC_MESSAGES, "C");

  context = g_option_context_new ("[user add USER ORGANISATION] — the Mallipaja platform server");
  g_option_context_set_summary (context,
                                "Serves the Mallipaja sync protocol (docs/sync-protocol.md).\n\n"
                                "  mallipaja-server --db bank.sqlite --sample --listen 127.0.0.1:8080\n"
                                "  mallipaja-server --db bank.sqlite user add USER ORGANISATION < password");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (opt_version)
    {
      g_print ("mallipaja-server %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (opt_db == NULL)
    {
      g_printerr ("Give the database file with --db PATH\n");
      return 2;
    }

  if (argc > 1)
    {
      if (g_str_equal (argv[1], "user"))
        return run_user_command (argv + 1);
      g_printerr ("Unknown command “%s”\n", argv[1]);
      return 2;
    }

  if (opt_max_body <= 0 || opt_token_ttl <= 0 || opt_tombstone_retention < 0 || opt_workers < 1)
    {
      g_printerr ("--max-body, --token-ttl and --workers must be positive, "
                  "--tombstone-retention not negative\n");
      return 2;
    }

  if (opt_sample || opt_import != NULL)
    {
      g_autoptr(MpServerDb) db = mp_server_db_open (opt_db, &error);

      if (db == NULL ||
          (opt_sample && !load_sample (db, &error)))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      if (opt_import != NULL)
        {
          g_autoptr(GPtrArray) models = mp_models_from_file (opt_import, &error);

          if (models == NULL || !import_models (db, models, opt_import, &error))
            {
              g_printerr ("%s: %s\n", opt_import, error->message);
              return 1;
            }
        }
    }

  config.token_ttl = opt_token_ttl;
  config.max_body = (gsize) opt_max_body;
  config.tombstone_retention = opt_tombstone_retention;

  server = mp_server_new (opt_db, &config, (guint) opt_workers, &error);
  if (server == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!mp_server_listen (server, opt_listen != NULL ? opt_listen : "127.0.0.1:8080",
                         opt_tls_cert, opt_tls_key, &uri, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Scripts and tests read the port from this line. */
  g_print ("Listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  mp_server_shutdown (server);
  return 0;
}
