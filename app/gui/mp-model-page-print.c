/* mp-model-page-print.c — printing the model page's model, and its PDF
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mp-model-page-private.h"
#include "mp-model-printer.h"
#include "mp-window.h"

/* private helpers */

static MpModelPrinter *
create_printer (MpModelPage *self)
{
  g_autoptr(MpStore) store = NULL;
  MpModel *model = mp_model_page_get_model (self);

  if (model == NULL)
    return NULL;

  g_object_get (self, "store", &store, NULL);
  return mp_model_printer_new_for_model (model, store);
}

static void
report (MpModelPage  *self,
        const char   *message,
        gboolean      persistent)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwToast *toast = adw_toast_new (message);

  if (persistent)
    adw_toast_set_timeout (toast, 0);
  if (MP_IS_WINDOW (root))
    mp_window_add_toast (MP_WINDOW (root), toast);
  else
    {
      g_warning ("%s", message);
      g_object_unref (toast);
    }
}

/* callbacks */

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               MpModelPage             *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      report (self, error->message, TRUE);
    }
}

static void
on_pdf_response (GtkNativeDialog *dialog,
                 int              response,
                 MpModelPage     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL &&
      (printer = create_printer (self)) != NULL)
    {
      if ((path = g_file_get_path (file)) == NULL)
        report (self, _("A PDF can only be saved in a local folder."), TRUE);
      else if (!mp_model_printer_export_pdf (printer, path, &error))
        report (self, error->message, TRUE);
      else
        report (self, _("PDF saved"), FALSE);
    }

  g_object_unref (dialog);
}

static void
mp_model_page_print_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  MpModelPage *self = MP_MODEL_PAGE (widget);
  g_autoptr(MpModelPrinter) printer = create_printer (self);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (printer == NULL)
    return;

  operation = mp_model_printer_create_operation (printer);
  /* The printer lives as long as the operation that draws it */
  g_object_set_data_full (G_OBJECT (operation), "mp-printer", g_object_ref (printer), g_object_unref);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    report (self, error->message, TRUE);
}

static void
mp_model_page_export_pdf_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  MpModelPage *self = MP_MODEL_PAGE (widget);
  MpModel *model = mp_model_page_get_model (self);
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (model == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export as PDF"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* The title makes a good name; "/" would make it a path */
  name = g_strdup_printf ("%s.pdf", mp_model_get_text (model, MP_TEXT_TITLE));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_pdf_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* private API */

void
_mp_model_page_class_add_print_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "model.export-pdf", NULL, mp_model_page_export_pdf_action);
  gtk_widget_class_install_action (widget_class, "model.print", NULL, mp_model_page_print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "model.print", NULL);
}
