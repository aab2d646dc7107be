/* mp-sign-in-dialog.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mp-sign-in-dialog.h"
#include "mp-sync-credentials.h"
#include "mp-sync.h"

struct _MpSignInDialog
{
  AdwWindow         parent_instance;

  /* template widgets */
  GtkStack         *button_stack;
  GtkLabel         *error_label;
  AdwEntryRow      *password_row;
  GtkSpinner       *spinner;
  AdwEntryRow      *url_row;
  AdwEntryRow      *user_row;

  /* owned references */
  MpSyncController *controller;
  MpSync           *sync;        /* of the address being signed in to */
  GCancellable     *cancellable;
  char             *token;
};

G_DEFINE_FINAL_TYPE (MpSignInDialog, mp_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
dup_trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (entry_text (row)));
}

static void
mp_sign_in_dialog_update_actions (MpSignInDialog *self)
{
  g_autofree char *url = dup_trimmed (self->url_row);
  g_autofree char *user = dup_trimmed (self->user_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in",
                                 self->cancellable == NULL && *url != '\0' && *user != '\0' &&
                                 *entry_text (self->password_row) != '\0');
}

static void
set_busy (MpSignInDialog *self,
          gboolean        busy)
{
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "button");
  gtk_spinner_set_spinning (self->spinner, busy);
  /* The fields stay editable (the values were taken already): an
   * insensitive entry would lose the focus, and the typing place with it */
  if (!busy)
    g_clear_object (&self->cancellable);
  mp_sign_in_dialog_update_actions (self);
}

static void
show_error (MpSignInDialog *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->password_row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->password_row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Hands the platform over and closes; the first sync starts at once */
static void
finish (MpSignInDialog *self)
{
  g_autofree char *url = dup_trimmed (self->url_row);

  mp_sync_controller_set_platform (self->controller, url, self->token);
  mp_sync_controller_sync_now (self->controller);
  gtk_window_close (GTK_WINDOW (self));
}

/* callbacks */

static void
on_token_stored (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MpSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mp_sync_credentials_store_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Signed in all the same, until the app closes */
      set_busy (self, FALSE);
      message = g_strdup_printf (_("You are signed in, but the keyring could not keep the session, so "
                                   "you will need to sign in again next time: %s"), error->message);
      mp_sync_controller_set_platform (self->controller, mp_sync_get_platform_url (self->sync), self->token);
      mp_sync_controller_sync_now (self->controller);
      show_error (self, message);
      return;
    }

  finish (self);
}

static void
on_signed_in (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MpSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *user = NULL;

  token = mp_sync_sign_in_finish (MP_SYNC (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      /* The core's messages are sentences for people already */
      set_busy (self, FALSE);
      show_error (self, error->message);
      if (g_error_matches (error, MP_ERROR, MP_ERROR_AUTH))
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  g_free (self->token);
  self->token = g_steal_pointer (&token);
  user = dup_trimmed (self->user_row);
  mp_sync_credentials_store_async (mp_sync_get_platform_url (MP_SYNC (object)), user, self->token,
                                   self->cancellable, on_token_stored, g_object_ref (self));
}

static void
on_entry_changed (MpSignInDialog *self)
{
  mp_sign_in_dialog_update_actions (self);
}

static void
on_entry_activated (MpSignInDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
mp_sign_in_dialog_sign_in_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (widget);
  g_autofree char *url = dup_trimmed (self->url_row);
  g_autofree char *user = dup_trimmed (self->user_row);
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (self->cancellable != NULL)
    return;

  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    {
      show_error (self, _("Give the platform’s address in full, beginning with https://"));
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  /* Without glib-networking, libsoup fails with an obscure message */
  if (g_ascii_strcasecmp (scheme, "https") == 0 &&
      !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      show_error (self, _("This system cannot make secure (TLS) connections, so the platform cannot be "
                          "reached. Install glib-networking, or ask whoever looks after this computer."));
      return;
    }

  show_error (self, NULL);
  g_clear_object (&self->sync);
  self->sync = mp_sync_new (mp_sync_controller_get_store (self->controller), url);
  mp_sync_set_timeout (self->sync, 30);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  mp_sync_sign_in_async (self->sync, user, entry_text (self->password_row), self->cancellable,
                         on_signed_in, g_object_ref (self));
}

/* GObject overrides */

static void
mp_sign_in_dialog_constructed (GObject *object)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (object);
  const char *url;

  G_OBJECT_CLASS (mp_sign_in_dialog_parent_class)->constructed (object);

  g_assert (MP_IS_SYNC_CONTROLLER (self->controller));

  /* The platform in use, else the one the environment names (./dev run) */
  url = mp_sync_controller_get_platform_url (self->controller);
  if (url == NULL)
    url = g_getenv ("MALLIPAJA_PLATFORM_URL");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "https://");
  gtk_widget_grab_focus (GTK_WIDGET (url != NULL ? self->user_row : self->url_row));
  mp_sign_in_dialog_update_actions (self);
}

static void
mp_sign_in_dialog_dispose (GObject *object)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), MP_TYPE_SIGN_IN_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  g_clear_object (&self->controller);

  G_OBJECT_CLASS (mp_sign_in_dialog_parent_class)->dispose (object);
}

static void
mp_sign_in_dialog_finalize (GObject *object)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (object);

  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (mp_sign_in_dialog_parent_class)->finalize (object);
}

static void
mp_sign_in_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sign_in_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MpSignInDialog *self = MP_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sign_in_dialog_class_init (MpSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_sign_in_dialog_constructed;
  object_class->dispose = mp_sign_in_dialog_dispose;
  object_class->finalize = mp_sign_in_dialog_finalize;
  object_class->get_property = mp_sign_in_dialog_get_property;
  object_class->set_property = mp_sign_in_dialog_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, MP_TYPE_SYNC_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, button_stack);
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, MpSignInDialog, user_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, mp_sign_in_dialog_sign_in_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mp_sign_in_dialog_init (MpSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* public API */

GtkWidget *
mp_sign_in_dialog_new (MpSyncController *controller)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (controller), NULL);

  return g_object_new (MP_TYPE_SIGN_IN_DIALOG, "controller", controller, NULL);
}

const char *
mp_sign_in_dialog_get_error (MpSignInDialog *self)
{
  g_return_val_if_fail (MP_IS_SIGN_IN_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}
