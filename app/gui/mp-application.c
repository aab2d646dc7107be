/* mp-application.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "mp-application.h"
#include "mp-sign-in-dialog.h"
#include "mp-sync-controller.h"
#include "mp-sync-cli.h"
#include "mp-window.h"

/* The icon is also bundled under RESOURCE_PREFIX/icons, so it shows when
 * the app runs from the build tree and in .Devel builds. */
#define APP_ICON_NAME "io.github.mallipaja.Mallipaja"

struct _MpApplication
{
  AdwApplication  parent_instance;

  /* owned references */
  MpStore        *store;
  MpAutosaver    *autosaver;
  MpSyncController *sync_controller;
  guint           sigterm_id;
  guint           sigint_id;
};

G_DEFINE_FINAL_TYPE (MpApplication, mp_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "list", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("List the models in the bank, one a line: id, title and stage"), NULL },
  { "search", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Search the bank and list the hits, best first"), N_("TEXT") },
  /* sync (issue 4): USER is the argument after the URL */
  { "sign-in", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Sign in to a platform as USER, the password on standard input; the session is kept in the keyring"),
    N_("URL USER") },
  { "sign-out", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Forget the session kept for the platform"), NULL },
  { "sync", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Sync the bank with the platform once and print a summary"), NULL },
  { "platform", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("The platform for --sync and --sign-out"), N_("URL") },
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { "export-json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Print a model as a JSON document"), N_("ID") },
  { "import-json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Import the models in a JSON file; nothing is imported when one of them is invalid"), N_("FILE") },
  { "reindex", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Rebuild the search index, as after an upgrade of the language analysis"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

/* private helpers */

/* A bank made just now starts with the sample models, whichever face of
 * the application (window or command line) made it, so that both show the
 * same bank. A bank that a person emptied stays empty. */
static MpStore *
open_bank (const char  *path,
           GError     **error)
{
  g_autoptr(MpStore) store = NULL;
  gboolean is_new;

  is_new = !g_file_test (path, G_FILE_TEST_EXISTS);
  if (!(store = mp_store_open (path, error)))
    return NULL;

  if (is_new && mp_store_count (store) == 0)
    {
      g_autoptr(GError) local_error = NULL;

      /* The sample bank is embedded, so failing to load it is a bug, not
       * something the person can act on; the empty bank still works. */
      if (!mp_store_load_sample_bank (store, &local_error))
        g_warning ("Could not load the sample bank: %s", local_error->message);
    }

  return g_steal_pointer (&store);
}

static const char *
stage_label (int stage)
{
  const MpTerm *term;

  if (stage == MP_STAGE_NONE)
    return "";
  if (!(term = mp_taxonomy_lookup (MP_TAXONOMY_STAGE, mp_stage_key (stage), NULL)))
    return "";
  return mp_term_get_label (term, mp_ui_language ());
}

/* Data goes to stdout as UTF-8 bytes: g_print() would convert it to the
 * locale's charset and mangle "ä" under LANG=C. */
static void
write_stdout (const char *text)
{
  fputs (text, stdout);
}

static void
print_summary_line (MpModelSummary *summary)
{
  g_autofree char *title = g_strdup (mp_model_summary_get_title (summary));
  g_autofree char *line = NULL;

  /* One model a line, tab-separated: keep both intact */
  g_strdelimit (title, "\t\r\n", ' ');
  line = g_strdup_printf ("%s\t%s\t%s\n",
                          mp_model_summary_get_id (summary),
                          title,
                          stage_label (mp_model_summary_get_current_stage (summary)));
  write_stdout (line);
}

static int
run_reindex (MpStore *store)
{
  g_autoptr(GError) error = NULL;
  guint n_models;

  if (!mp_store_reindex (store, &error))
    {
      g_printerr (_("The search index could not be rebuilt: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  n_models = mp_store_count (store);
  g_print (ngettext ("Rebuilt the search index of %u model.\n",
                     "Rebuilt the search index of %u models.\n", n_models), n_models);
  if (mp_store_get_search_degraded (store))
    g_printerr (_("Finnish words are found by their beginnings only: the Finnish dictionary of Voikko (voikko-fi) is missing.\n"));
  return EXIT_SUCCESS;
}

static int
run_list (MpStore    *store,
          const char *text)
{
  g_autoptr(MpQuery) query = mp_query_new ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;
  guint n_queued;

  /* search index backlog (issue 5): the window catches up in the
   * background; a search here would miss the models still queued. */
  if (text != NULL && (n_queued = mp_store_count_index_backlog (store)) > 0)
    {
      /* Translators: the same words as under the window's model list */
      g_printerr (ngettext ("Updating the search index: %u model left",
                            "Updating the search index: %u models left", n_queued), n_queued);
      g_printerr ("\n");
      while (mp_store_count_index_backlog (store) > 0)
        if (!mp_store_index_backlog_step (store, MP_INDEXER_CHUNK, NULL, &error))
          {
            g_printerr ("%s\n", error->message);
            return EXIT_FAILURE;
          }
    }

  query->text = g_strdup (text);
  if (!(rowids = mp_store_query (store, query, &error)))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(MpModelSummary) summary = NULL;

      if ((summary = mp_store_get_summary (store, g_array_index (rowids, gint64, i))))
        print_summary_line (summary);
    }

  fflush (stdout);
  return EXIT_SUCCESS;
}

static int
run_export (MpStore    *store,
            const char *id)
{
  g_autoptr(MpModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (!(model = mp_store_load_model (store, id, &error)))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  json = mp_model_to_json_string (model, TRUE);
  write_stdout (json);
  if (!g_str_has_suffix (json, "\n"))
    write_stdout ("\n");
  fflush (stdout);
  return EXIT_SUCCESS;
}

static int
run_import (MpStore    *store,
            const char *path)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display_name = g_filename_display_name (path);

  if (!(models = mp_models_from_file (path, &error)) ||
      !mp_store_import_models (store, models, &error))
    {
      /* Translators: the first %s is a file name, the second says what is
       * wrong with it */
      g_printerr (_("Nothing was imported from “%s”: %s\n"), display_name, error->message);
      return EXIT_FAILURE;
    }

  g_print (ngettext ("Imported %u model.\n", "Imported %u models.\n", models->len),
           models->len);
  return EXIT_SUCCESS;
}

static void
show_main_window (MpApplication *self,
                  const char    *set_aside_path)
{
  MpWindow *window;

  window = mp_window_new (GTK_APPLICATION (self), self->store, self->autosaver);
  mp_window_set_sync_controller (window, self->sync_controller);

  if (set_aside_path != NULL)
    {
      g_autofree char *basename = g_path_get_basename (set_aside_path);
      g_autofree char *title = NULL;
      AdwToast *toast;

      /* Translators: %s is a file name */
      title = g_markup_printf_escaped (_("The damaged model bank was kept as “%s”"), basename);
      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 0);
      mp_window_add_toast (window, toast);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
show_fatal_error (MpApplication *self,
                  const GError  *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL,
                                                      _("The Model Bank Cannot Be Opened"),
                                                      error->message));
  adw_message_dialog_add_response (dialog, "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_signed_in_changed (MpApplication *self)
{
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");

  if (sign_out != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out),
                                 self->sync_controller != NULL &&
                                 mp_sync_controller_get_signed_in (self->sync_controller));
}

static gboolean
start_with_bank (MpApplication  *self,
                 const char     *path,
                 GError        **error)
{
  g_autoptr(MpStore) store = NULL;

  if (!(store = open_bank (path, error)))
    return FALSE;

  g_set_object (&self->store, store);
  g_clear_object (&self->autosaver);
  self->autosaver = mp_autosaver_new (self->store);

  if (self->sync_controller != NULL)
    mp_sync_controller_cancel (self->sync_controller);
  g_clear_object (&self->sync_controller);
  self->sync_controller = mp_sync_controller_new (self->store, self->autosaver);
  g_signal_connect_object (self->sync_controller, "notify::signed-in",
                           G_CALLBACK (on_signed_in_changed), self, G_CONNECT_SWAPPED);
  on_signed_in_changed (self);
  mp_sync_controller_start (self->sync_controller);
  return TRUE;
}

static void
flush_and_purge (MpApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->autosaver != NULL && !mp_autosaver_flush (self->autosaver, &error))
    {
      /* Nothing is left on screen to tell, so the terminal is the last resort */
      g_printerr (_("Your latest changes could not be saved: %s\n"), error->message);
      g_clear_error (&error);
    }

  if (self->store != NULL && !mp_store_purge_deleted (self->store, &error))
    g_debug ("Could not purge deleted drafts: %s", error->message);
}

/* callbacks */

static void
on_damaged_bank_response (AdwMessageDialog *dialog,
                          const char       *response,
                          MpApplication    *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *new_path = NULL;

  if (g_strcmp0 (response, "set-aside") != 0)
    return;

  path = mp_store_default_path ();
  if (!mp_store_set_aside (path, &new_path, &error) ||
      !start_with_bank (self, path, &error))
    {
      show_fatal_error (self, error);
      return;
    }

  /* The window exists before the dialog closes, so the application keeps running */
  show_main_window (self, new_path);
}

static void
ask_about_damaged_bank (MpApplication *self,
                        const char    *path)
{
  AdwMessageDialog *dialog;
  g_autofree char *display_name = g_filename_display_name (path);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("The Model Bank Is Damaged"), NULL));
  adw_message_dialog_format_body (dialog,
                                  /* Translators: %s is the path of the bank file */
                                  _("The file “%s” cannot be read as a model bank. It may be "
                                    "damaged, or another program may have written over it.\n\n"
                                    "Mallipaja can move the file aside, unchanged, so that it "
                                    "can still be recovered, and start a new model bank with "
                                    "the sample models."),
                                  display_name);
  adw_message_dialog_add_responses (dialog,
                                    "quit", _("_Quit"),
                                    "set-aside", _("_Keep the Damaged File Aside and Start Fresh"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "set-aside", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "set-aside");
  adw_message_dialog_set_close_response (dialog, "quit");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_damaged_bank_response), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
on_quit_signal (gpointer user_data)
{
  MpApplication *self = user_data;

  /* The main loop is about to stop, so save now rather than on close */
  flush_and_purge (self);
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MpApplication *self = user_data;
  static const char *developers[] = { "The Mallipaja authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", "Mallipaja",
                         "application-icon", APP_ICON_NAME,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Mallipaja authors"),
                         "developers", developers,
                         "copyright", "© 2026 The Mallipaja authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Draft operating models for social innovation and "
                                       "follow them through the six stages of their "
                                       "development, with or without a network."),
                         /* Translators: put your names here, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
on_new_model_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  MpApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (MP_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.new-model", NULL);
}

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MpApplication *self = user_data;
  GList *windows;

  /* Closing the windows one by one runs their close-request (saving and
   * purging), and the application ends when the last one is gone */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
on_sign_in_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  if (self->sync_controller == NULL)
    return;

  dialog = mp_sign_in_dialog_new (self->sync_controller);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sign_out_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MpApplication *self = user_data;

  if (self->sync_controller != NULL)
    mp_sync_controller_sign_out (self->sync_controller);
}

static void
on_sync_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MpApplication *self = user_data;

  if (self->sync_controller == NULL)
    return;

  /* With no platform yet, syncing starts with choosing one */
  if (mp_sync_controller_get_sync (self->sync_controller) == NULL)
    on_sign_in_activated (NULL, NULL, self);
  else
    mp_sync_controller_sync_now (self->sync_controller);
}

static void
on_cancel_sync_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  MpApplication *self = user_data;

  if (self->sync_controller != NULL)
    mp_sync_controller_cancel (self->sync_controller);
}

static const GActionEntry app_entries[] = {
  { "about", on_about_activated },
  { "cancel-sync", on_cancel_sync_activated },
  { "new-model", on_new_model_activated },
  { "quit", on_quit_activated },
  { "sign-in", on_sign_in_activated },
  { "sign-out", on_sign_out_activated },
  { "sync", on_sync_activated },
};

/* The file arguments are taken as an option (for --sign-in URL USER), so
 * GApplication never sees them: hand them to the primary instance here and
 * carry on to activate it. */
static int
open_files (GApplication       *application,
            const char * const *arguments)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; arguments[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (arguments[i]));
  g_application_open (application, (GFile **) files->pdata, (int) files->len, "");

  return -1;
}

/* GObject overrides */

static int
mp_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  g_autoptr(MpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *search = NULL;
  const char *export_id = NULL;
  const char *import_path = NULL;
  gboolean list;
  gboolean reindex;
  guint n_commands;
  /* sync (issue 4) */
  g_autofree const char **remaining = NULL;
  const char *sign_in_url = NULL;
  const char *platform = NULL;
  gboolean sign_out;
  gboolean sync;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("mallipaja %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  list = g_variant_dict_contains (options, "list");
  reindex = g_variant_dict_contains (options, "reindex");
  g_variant_dict_lookup (options, "search", "&s", &search);
  g_variant_dict_lookup (options, "export-json", "&s", &export_id);
  g_variant_dict_lookup (options, "import-json", "^&ay", &import_path);
  g_variant_dict_lookup (options, "sign-in", "&s", &sign_in_url);
  g_variant_dict_lookup (options, "platform", "&s", &platform);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining);
  sign_out = g_variant_dict_contains (options, "sign-out");
  sync = g_variant_dict_contains (options, "sync");

  /* Only --sign-in takes an argument of its own (the user). */
  /* exchange (issue 6): without --sign-in, arguments are .mallipaja files
   * (a double-click), which the window offers to import */
  if (remaining != NULL && remaining[0] != NULL && sign_in_url == NULL)
    return open_files (application, remaining);

  if (remaining != NULL && remaining[0] != NULL && (sign_in_url == NULL || remaining[1] != NULL))
    {
      g_printerr (_("Unexpected argument “%s”.\n"), remaining[sign_in_url != NULL ? 1 : 0]);
      return EXIT_FAILURE;
    }
  if (sign_in_url != NULL && (remaining == NULL || remaining[0] == NULL))
    {
      g_printerr (_("Give the user after the platform: --sign-in URL USER.\n"));
      return EXIT_FAILURE;
    }

  n_commands = !!list + !!reindex + (search != NULL) + (export_id != NULL) + (import_path != NULL) +
               (sign_in_url != NULL) + !!sign_out + !!sync;
  if (n_commands == 0)
    return -1;
  if (n_commands > 1)
    {
      g_printerr (_("Give only one of --list, --search, --export-json, --import-json, --reindex, "
                    "--sign-in, --sign-out and --sync.\n"));
      return EXIT_FAILURE;
    }

  path = mp_store_default_path ();
  if (!(store = open_bank (path, &error)))
    {
      g_autofree char *display_name = g_filename_display_name (path);

      /* Translators: the first %s is the path of the bank file, the second
       * says what is wrong */
      g_printerr (_("The model bank “%s” cannot be opened: %s\n"), display_name, error->message);
      return EXIT_FAILURE;
    }

  if (sign_in_url != NULL)
    return mp_sync_cli_sign_in (store, sign_in_url, remaining[0]);
  else if (sign_out)
    return mp_sync_cli_sign_out (store, platform);
  else if (sync)
    return mp_sync_cli_run (store, platform);
  else if (reindex)
    return run_reindex (store);
  else if (list || search != NULL)
    return run_list (store, search);
  else if (export_id != NULL)
    return run_export (store, export_id);
  else
    return run_import (store, import_path);
}

static void
mp_application_startup (GApplication *application)
{
  MpApplication *self = MP_APPLICATION (application);
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *new_model_accels[] = { "<Control>n", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *sync_accels[] = { "<Control>r", NULL };

  G_APPLICATION_CLASS (mp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  on_signed_in_changed (self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-model", new_model_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
}

static void
mp_application_activate (GApplication *application)
{
  MpApplication *self = MP_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  path = mp_store_default_path ();
  if (start_with_bank (self, path, &error))
    show_main_window (self, NULL);
  else if (g_error_matches (error, MP_ERROR, MP_ERROR_CORRUPT))
    ask_about_damaged_bank (self, path);
  else
    show_fatal_error (self, error);
}

typedef struct {
  GWeakRef   window;
  GPtrArray *files;
} PendingImport;

static void
pending_import_free (gpointer data)
{
  PendingImport *pending = data;

  g_weak_ref_clear (&pending->window);
  g_ptr_array_unref (pending->files);
  g_free (pending);
}

static gboolean
import_pending (gpointer data)
{
  PendingImport *pending = data;
  g_autoptr(MpWindow) window = g_weak_ref_get (&pending->window);

  for (guint i = 0; window != NULL && i < pending->files->len; i++)
    mp_window_import_file (window, g_ptr_array_index (pending->files, i));

  return G_SOURCE_REMOVE;
}

/* A double-clicked .mallipaja file: the window shows what importing it
 * would do, and imports nothing until the person confirms. */
static void
mp_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  PendingImport *pending;
  GtkWindow *window;

  g_application_activate (application);
  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (!MP_IS_WINDOW (window))
    return;

  /* After the activation that may still follow (g_application_run()
   * activates after the files given on the command line were opened), so
   * that presenting the window does not cover the question */
  pending = g_new0 (PendingImport, 1);
  g_weak_ref_init (&pending->window, window);
  pending->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (pending->files, g_object_ref (files[i]));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, import_pending, pending, pending_import_free);
}

static void
mp_application_shutdown (GApplication *application)
{
  MpApplication *self = MP_APPLICATION (application);

  flush_and_purge (self);
  if (self->sync_controller != NULL)
    mp_sync_controller_cancel (self->sync_controller);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);

  G_APPLICATION_CLASS (mp_application_parent_class)->shutdown (application);
}

static void
mp_application_finalize (GObject *object)
{
  MpApplication *self = MP_APPLICATION (object);

  g_clear_object (&self->sync_controller);
  g_clear_object (&self->autosaver);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_application_parent_class)->finalize (object);
}

static void
mp_application_class_init (MpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = mp_application_finalize;

  app_class->activate = mp_application_activate;
  app_class->handle_local_options = mp_application_handle_local_options;
  app_class->open = mp_application_open;
  app_class->shutdown = mp_application_shutdown;
  app_class->startup = mp_application_startup;
}

static void
mp_application_init (MpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

/* public API */

MpApplication *
mp_application_new (void)
{
  /* The resources sit under RESOURCE_PREFIX in .Devel builds too, so
   * gtk/help-overlay.ui and style.css are found whatever the id */
  return g_object_new (MP_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

MpStore *
mp_application_get_store (MpApplication *self)
{
  g_return_val_if_fail (MP_IS_APPLICATION (self), NULL);

  return self->store;
}

MpAutosaver *
mp_application_get_autosaver (MpApplication *self)
{
  g_return_val_if_fail (MP_IS_APPLICATION (self), NULL);

  return self->autosaver;
}

/* NULL until the bank is open. */
MpSyncController *
mp_application_get_sync_controller (MpApplication *self)
{
  g_return_val_if_fail (MP_IS_APPLICATION (self), NULL);

  return self->sync_controller;
}
