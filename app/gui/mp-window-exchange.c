/* mp-window-exchange.c — the main window's Overview, import and export
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-exchange.h"
#include "mp-overview.h"
#include "mp-window-private.h"

/* A Mallipaja window has at most one Overview; it follows the window's
 * search and filters. */
#define OVERVIEW_KEY "mp-overview"

/* The import preview lists this many models without scrolling. */
#define MAX_UNSCROLLED_ROWS 4

/* private helpers */

static GtkFileFilter *
exchange_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Mallipaja files"));
  gtk_file_filter_add_mime_type (filter, MP_EXCHANGE_MIME_TYPE);
  gtk_file_filter_add_suffix (filter, MP_EXCHANGE_SUFFIX + 1);
  return filter;
}

static void
show_message (MpWindow   *self,
              const char *heading,
              const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
action_label (MpExchangeAction action)
{
  switch (action)
    {
    case MP_EXCHANGE_ADDED:
      return _("New: will be added");
    case MP_EXCHANGE_UPDATED:
      return _("Newer: will replace the copy in your bank");
    case MP_EXCHANGE_UNCHANGED:
      return _("Already in your bank");
    case MP_EXCHANGE_OLDER:
      return _("Older than the copy in your bank: skipped");
    case MP_EXCHANGE_MERGED:
      return _("Edited both here and elsewhere: the changes will be merged");
    case MP_EXCHANGE_UNRESOLVED:
      return _("Has conflicts to resolve first: skipped; import the file again after resolving them");
    case MP_EXCHANGE_CONFLICTING:
    case MP_N_EXCHANGE_ACTIONS:
    default:
      /* the count is written by describe_action() */
      return NULL;
    }
}

/* A merge field path as the person knows it: a section, a stage or a
 * characteristic. */
static const char *
field_label (const char *field)
{
  const char *dot = strchr (field, '.');
  int text;

  if (dot != NULL && g_str_has_prefix (field, "stages."))
    return mp_taxonomy_label (MP_TAXONOMY_STAGE, dot + 1);
  if (dot != NULL && g_str_has_prefix (field, "characteristics."))
    return mp_taxonomy_label (MP_TAXONOMY_CHARACTERISTIC, dot + 1);
  if ((text = mp_text_from_key (field)) >= 0)
    return mp_text_label ((MpText) text);
  for (guint list = 0; list < MP_N_LISTS; list++)
    if (g_str_equal (field, mp_list_key (list)))
      return mp_list_label (list);
  if (g_str_equal (field, "links"))
    return _("Links");
  if (g_str_equal (field, "based_on"))
    return _("Based on");
  if (g_str_equal (field, "visibility"))
    return _("Visibility");
  if (g_str_equal (field, "unfinished"))
    return _("Unfinished");
  if (g_str_equal (field, "collaborators"))
    /* Translators: the people who may edit a model ("Käyttäjät" on the platform) */
    return _("Collaborators");
  return field;
}

static char *
join_fields (const char * const *fields)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (fields == NULL || fields[0] == NULL)
    return NULL;

  for (guint i = 0; fields[i] != NULL; i++)
    g_ptr_array_add (labels, (gpointer) field_label (fields[i]));
  g_ptr_array_add (labels, NULL);
  /* Translators: between the names of fields in a list, "Summary, Place" */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

/* What importing does with one model, with the fields a merge takes from
 * the file and those the person will choose between. */
static char *
describe_action (MpExchangeImport *import,
                 guint             index)
{
  MpExchangeAction action = mp_exchange_import_get_action (import, index);
  const char * const *conflicts = mp_exchange_import_get_fields (import, index);
  g_autofree char *choose = join_fields (conflicts);
  g_autofree char *taken = join_fields (mp_exchange_import_get_merged_fields (import, index));
  GString *text = g_string_new (NULL);

  if (action == MP_EXCHANGE_CONFLICTING)
    {
      guint n = conflicts != NULL ? g_strv_length ((GStrv) conflicts) : 0;

      /* Translators: an import preview line: the model was edited both in
       * this bank and in the file's copy, and the same fields in both */
      g_string_append_printf (text, ngettext ("Edited both here and elsewhere: will merge, %u field needs your choice",
                                              "Edited both here and elsewhere: will merge, %u fields need your choice",
                                              n), n);
    }
  else
    g_string_append (text, action_label (action));

  if (choose != NULL)
    {
      g_string_append_c (text, '\n');
      /* Translators: in the import preview, the fields changed in both
       * copies; after the import the model page shows both texts */
      g_string_append_printf (text, _("To choose: %s"), choose);
    }
  if (taken != NULL)
    {
      g_string_append_c (text, '\n');
      /* Translators: in the import preview, the fields changed in the
       * file's copy only, which the import takes */
      g_string_append_printf (text, _("From the file: %s"), taken);
    }

  return g_string_free (text, FALSE);
}

static char *
summarise (MpExchangeImport *import)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint added = mp_exchange_import_count (import, MP_EXCHANGE_ADDED);
  guint updated = mp_exchange_import_count (import, MP_EXCHANGE_UPDATED);
  guint kept = mp_exchange_import_count (import, MP_EXCHANGE_UNCHANGED) +
               mp_exchange_import_count (import, MP_EXCHANGE_OLDER);
  guint merged = mp_exchange_import_count (import, MP_EXCHANGE_MERGED);
  guint conflicting = mp_exchange_import_count (import, MP_EXCHANGE_CONFLICTING);
  guint unresolved = mp_exchange_import_count (import, MP_EXCHANGE_UNRESOLVED);

  if (added > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u new model will be added.",
                                                       "%u new models will be added.", added), added));
  if (updated > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u model will be updated to a newer version.",
                                                       "%u models will be updated to a newer version.", updated),
                                             updated));
  if (merged > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u model was edited both here and elsewhere; the "
                                                       "changes will be merged.",
                                                       "%u models were edited both here and elsewhere; the "
                                                       "changes will be merged.", merged),
                                             merged));
  if (conflicting > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u model will be merged, but some of its fields were "
                                                       "changed in both copies: you choose between the texts "
                                                       "on its page after the import.",
                                                       "%u models will be merged, but some of their fields "
                                                       "were changed in both copies: you choose between the "
                                                       "texts on their pages after the import.", conflicting),
                                             conflicting));
  if (kept > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u model is already up to date in your bank.",
                                                       "%u models are already up to date in your bank.", kept),
                                             kept));
  if (unresolved > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u model has conflicts to resolve first and is skipped.",
                                                       "%u models have conflicts to resolve first and are "
                                                       "skipped.", unresolved),
                                             unresolved));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" ", (char **) parts->pdata);
}

static guint
count_writes (MpExchangeImport *import)
{
  return mp_exchange_import_count (import, MP_EXCHANGE_ADDED) +
         mp_exchange_import_count (import, MP_EXCHANGE_UPDATED) +
         mp_exchange_import_count (import, MP_EXCHANGE_MERGED) +
         mp_exchange_import_count (import, MP_EXCHANGE_CONFLICTING);
}

static GtkWidget *
preview_list (MpExchangeImport *import)
{
  GtkWidget *scrolled;
  GtkWidget *list = gtk_list_box_new ();
  guint n = mp_exchange_import_get_n_models (import);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < n; i++)
    {
      MpModel *model = mp_exchange_import_get_model (import, i);
      MpExchangeAction action = mp_exchange_import_get_action (import, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = describe_action (import, i);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mp_model_get_text (model, MP_TEXT_TITLE));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* Every line in full: the fields to choose between are the point */
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (action == MP_EXCHANGE_CONFLICTING || action == MP_EXCHANGE_UNRESOLVED)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "warning");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Conflict"), -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  /* A scrolled window asks its child's natural height for the width the
   * lines would have unwrapped, which cuts a wrapped line off: a few
   * models take their full height, more scroll. */
  if (n <= MAX_UNSCROLLED_ROWS)
    return list;

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  return scrolled;
}

/* callbacks */

static void
on_import_response (AdwMessageDialog *dialog,
                    const char       *response,
                    MpWindow         *self)
{
  MpExchangeImport *import = g_object_get_data (G_OBJECT (dialog), "mp-import");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint written, conflicting;

  if (g_strcmp0 (response, "import") != 0)
    return;

  if (!mp_exchange_import_apply (import, &error))
    {
      show_message (self, _("Models Not Imported"), error->message);
      return;
    }

  /* Counted after the import: it compares with the bank once more */
  written = count_writes (import);
  conflicting = mp_exchange_import_count (import, MP_EXCHANGE_CONFLICTING);
  message = g_strdup_printf (ngettext ("%u model imported", "%u models imported", written), written);
  mp_window_add_toast (self, adw_toast_new (message));
  if (conflicting > 0)
    {
      g_autofree char *choose = g_strdup_printf (ngettext ("%u model needs your choice between two texts",
                                                           "%u models need your choice between two texts",
                                                           conflicting), conflicting);

      mp_window_add_toast (self, adw_toast_new (choose));
    }
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    MpWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  MpModelList *models = mp_window_get_model_list (self);

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("Models can only be exported to a local folder."));
      else if ((rowids = mp_store_query (mp_window_get_store (self), mp_model_list_get_query (models), &error)))
        mp_exchange_export_rowids (mp_window_get_store (self), rowids, path, &error);

      if (error != NULL)
        show_message (self, _("Models Not Exported"), error->message);
      else
        {
          message = g_strdup_printf (ngettext ("%u model exported", "%u models exported", rowids->len), rowids->len);
          mp_window_add_toast (self, adw_toast_new (message));
        }
    }

  g_object_unref (dialog);
}

static void
on_import_chosen (GtkNativeDialog *dialog,
                  int              response,
                  MpWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    mp_window_import_file (self, file);

  g_object_unref (dialog);
}

static void
on_overview_destroy (GtkWidget *overview,
                     MpWindow  *self)
{
  if (g_object_get_data (G_OBJECT (self), OVERVIEW_KEY) == overview)
    g_object_set_data (G_OBJECT (self), OVERVIEW_KEY, NULL);
}

static void
mp_window_overview_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);
  MpOverview *overview = g_object_get_data (G_OBJECT (self), OVERVIEW_KEY);

  if (overview == NULL)
    {
      overview = mp_overview_new (GTK_WINDOW (self), mp_window_get_model_list (self));
      g_object_set_data (G_OBJECT (self), OVERVIEW_KEY, overview);
      g_signal_connect_object (overview, "destroy", G_CALLBACK (on_overview_destroy), self, 0);
    }

  gtk_window_present (GTK_WINDOW (overview));
}

static void
mp_window_import_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = exchange_filter ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Import Models"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
mp_window_export_selection_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  MpWindow *self = MP_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = exchange_filter ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Selection"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: the suggested name of an export file; keep ".mallipaja" */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("models.mallipaja"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* private API */

void
_mp_window_class_add_exchange_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-selection", NULL, mp_window_export_selection_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, mp_window_import_action);
  gtk_widget_class_install_action (widget_class, "win.overview", NULL, mp_window_overview_action);
}

/* public API */

/**
 * mp_window_import_file:
 * @self: a window
 * @file: a .mallipaja file
 *
 * Reads and checks @file and shows what importing it would do; nothing is
 * written until the person confirms.
 */
void
mp_window_import_file (MpWindow *self,
                       GFile    *file)
{
  g_autoptr(MpExchangeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  gsize length = 0;
  gboolean writes;

  g_return_if_fail (MP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (g_file_load_contents (file, NULL, &data, &length, NULL, &error))
    import = mp_exchange_import_new_from_data (mp_window_get_store (self), data, length, &error);
  if (import == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      /* Translators: heading of the message when a .mallipaja file is refused */
      g_autofree char *heading = g_strdup_printf (_("Cannot Import “%s”"), name);

      show_message (self, heading, error->message);
      return;
    }

  writes = count_writes (import) > 0;
  body = summarise (import);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), writes ? _("Import Models?") : _("Nothing to Import"), body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), preview_list (import));
  if (writes)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "import", _("_Import"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    }
  else
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));

  g_object_set_data_full (G_OBJECT (dialog), "mp-import", g_steal_pointer (&import),
                          (GDestroyNotify) mp_exchange_import_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
