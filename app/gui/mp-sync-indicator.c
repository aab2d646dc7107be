/* mp-sync-indicator.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mp-sync-indicator.h"
#include "mp-sync.h"

struct _MpSyncIndicator
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkStack         *button_stack;
  GtkImage         *compact_icon;
  GtkLabel         *detail_label;
  GtkStack         *icon_stack;
  GtkLabel         *platform_label;
  GtkWidget        *popover_cancel_button;
  GtkWidget        *popover_sync_button;
  GtkProgressBar   *progress_bar;
  GtkWidget        *sign_in_button;
  GtkMenuButton    *status_button;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkSpinner       *spinner;
  GtkLabel         *title_label;

  /* owned references */
  MpSyncController *controller;
  GSignalGroup     *controller_signals;
  GSignalGroup     *sync_signals;

  gboolean          compact;
};

G_DEFINE_FINAL_TYPE (MpSyncIndicator, mp_sync_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static char *
dup_synced_at (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = NULL;

  if (when == NULL)
    return g_strdup (_("Synced"));

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    {
      time = g_date_time_format (when, "%H:%M");
      /* Translators: the last sync today, %s is a time such as 14:05 */
      return g_strdup_printf (_("Synced at %s"), time);
    }

  time = g_date_time_format (when, "%x");
  /* Translators: the last sync before today, %s is a date */
  return g_strdup_printf (_("Synced on %s"), time);
}

/* A first sync of a large bank takes a while: then the platform's count
 * gives real progress. Below this many models a spinner says enough. */
#define PROGRESS_MIN_TOTAL 100

static gboolean
has_progress (MpSync *sync)
{
  return mp_sync_get_status (sync) == MP_SYNC_STATUS_PULLING &&
         mp_sync_get_models_total (sync) >= PROGRESS_MIN_TOTAL;
}

/* The header's short text; @long_text the popover's */
static char *
dup_progress (MpSync  *sync,
              char   **long_text)
{
  guint done = mp_sync_get_models_done (sync);
  guint total = mp_sync_get_models_total (sync);

  if (mp_sync_get_status (sync) == MP_SYNC_STATUS_PUSHING)
    {
      *long_text = g_strdup (_("Sending changes…"));
      return g_strdup (*long_text);
    }
  if (has_progress (sync))
    {
      done = MIN (done, total);
      /* Translators: progress of a long sync, the models read of all of
       * them, with thousands separators: "Syncing: 1,200 of 10,000 models" */
      *long_text = g_strdup_printf (ngettext ("Syncing: %'u of %'u model", "Syncing: %'u of %'u models", total),
                                    done, total);
      /* Translators: the same progress in the header, where there is
       * little room: a percentage such as "Syncing… 12%" */
      return g_strdup_printf (_("Syncing… %u%%"), (guint) ((guint64) done * 100 / total));
    }
  if (done == 0)
    {
      *long_text = g_strdup (_("Syncing…"));
      return g_strdup (*long_text);
    }
  *long_text = g_strdup_printf (ngettext ("Syncing… %u model", "Syncing… %u models", done), done);
  return g_strdup (*long_text);
}

/* What waits to be sent, and what the platform refused, in words */
static char *
dup_queue_text (MpStore *store)
{
  guint n_quarantined = 0;
  guint n_waiting = mp_sync_store_count_outbox (store, NULL, &n_quarantined);
  g_autoptr(GString) text = g_string_new (NULL);

  if (n_waiting > 0)
    g_string_append_printf (text, ngettext ("%u model has changes waiting to be sent.",
                                            "%u models have changes waiting to be sent.", n_waiting),
                            n_waiting);
  if (n_quarantined > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, ngettext ("%u change was refused by the platform and is kept aside.",
                                              "%u changes were refused by the platform and are kept aside.",
                                              n_quarantined),
                              n_quarantined);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Appends @sentence to *@text after a space */
static void
append_sentence (char       **text,
                  const char  *sentence)
{
  char *joined = *text != NULL && **text != '\0' ? g_strconcat (*text, " ", sentence, NULL) : g_strdup (sentence);

  g_free (*text);
  *text = joined;
}

static void
mp_sync_indicator_update (MpSyncIndicator *self)
{
  MpSyncController *controller = self->controller;
  MpSync *sync = controller != NULL ? mp_sync_controller_get_sync (controller) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *platform = NULL;
  const char *icon_name = "emblem-synchronizing-symbolic";
  const char *style = NULL;
  gboolean running = FALSE;
  gboolean signed_in = FALSE;

  if (sync == NULL)
    {
      text = g_strdup (_("Not syncing"));
      title = g_strdup (_("Not Connected to a Platform"));
      detail = g_strdup (_("Everything is kept on this device. Sign in to a platform to share "
                           "models with your organisation and read the public model bank."));
      icon_name = "network-offline-symbolic";
    }
  else
    {
      MpSyncStatus status = mp_sync_get_status (sync);
      gint64 last_sync = mp_sync_controller_get_last_sync (controller);

      running = mp_sync_controller_get_running (controller);
      signed_in = mp_sync_controller_get_signed_in (controller);
      queue = dup_queue_text (mp_sync_controller_get_store (controller));

      if (running)
        {
          text = dup_progress (sync, &title);
          detail = g_strdup (_("You can keep working while the bank syncs."));
        }
      else if (status == MP_SYNC_STATUS_FAILED && mp_sync_controller_get_online (controller))
        {
          const char *reason = mp_sync_get_last_error (sync);

          text = g_strdup (_("Sync failed"));
          title = g_strdup (_("The Last Sync Failed"));
          detail = g_strdup (reason != NULL ? reason : _("The reason is not known."));
          icon_name = "dialog-warning-symbolic";
          style = "warning";
        }
      else if (!mp_sync_controller_get_online (controller))
        {
          text = g_strdup (_("Offline"));
          title = g_strdup (_("The Platform Cannot Be Reached"));
          detail = g_strdup (_("Your changes are kept on this device and sent when the connection "
                               "is back."));
          icon_name = "network-offline-symbolic";
        }
      else if (last_sync > 0)
        {
          text = dup_synced_at (last_sync);
          title = g_strdup (text);
          icon_name = "emblem-ok-symbolic";
        }
      else
        {
          text = g_strdup (_("Not synced yet"));
          title = g_strdup (_("Not Synced Yet"));
        }

      if (!signed_in)
        {
          const char *anonymous = _("Not signed in: only the public model bank is read, nothing is sent.");

          append_sentence (&detail, anonymous);
        }
      if (queue != NULL && *queue != '\0')
        append_sentence (&detail, queue);

      /* Translators: %s is the address of the platform */
      platform = g_strdup_printf (_("Platform: %s"), mp_sync_controller_get_platform_url (controller));
    }

  gtk_label_set_label (self->status_label, text);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL && *detail != '\0');
  gtk_label_set_label (self->platform_label, platform != NULL ? platform : "");
  gtk_widget_set_visible (GTK_WIDGET (self->platform_label), platform != NULL);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_image_set_from_icon_name (self->compact_icon, running ? "emblem-synchronizing-symbolic" : icon_name);

  if (running && has_progress (sync))
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   (double) MIN (mp_sync_get_models_done (sync), mp_sync_get_models_total (sync)) /
                                   mp_sync_get_models_total (sync));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running && has_progress (sync));

  gtk_stack_set_visible_child_name (self->icon_stack, running ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_stack_set_visible_child_name (self->button_stack, running ? "cancel" : "sync");
  gtk_widget_set_visible (self->popover_cancel_button, running);
  gtk_widget_set_visible (self->popover_sync_button, !running && sync != NULL);
  gtk_widget_set_visible (self->sign_in_button, !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->button_stack), sync != NULL && !self->compact);

  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_button), style);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_button), "warning");

  /* The reason of a failure is read without opening the popover too */
  {
    g_autofree char *tooltip = detail != NULL ? g_strconcat (title, "\n", detail, NULL) : g_strdup (title);

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_button), tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail != NULL ? detail : "",
                                    -1);
  }
}

/* callbacks */

/* The popover's buttons act elsewhere (a dialog, the sync): out of the way */
static void
on_popover_button_clicked (MpSyncIndicator *self)
{
  gtk_menu_button_popdown (self->status_button);
}

static void
on_changed (MpSyncIndicator *self)
{
  mp_sync_indicator_update (self);
}

static void
on_controller_sync_changed (MpSyncIndicator *self)
{
  g_signal_group_set_target (self->sync_signals,
                             self->controller != NULL ? mp_sync_controller_get_sync (self->controller) : NULL);
  mp_sync_indicator_update (self);
}

/* GObject overrides */

static void
mp_sync_indicator_dispose (GObject *object)
{
  MpSyncIndicator *self = MP_SYNC_INDICATOR (object);

  if (self->controller_signals != NULL)
    g_signal_group_set_target (self->controller_signals, NULL);
  if (self->sync_signals != NULL)
    g_signal_group_set_target (self->sync_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), MP_TYPE_SYNC_INDICATOR);

  g_clear_object (&self->controller);
  g_clear_object (&self->controller_signals);
  g_clear_object (&self->sync_signals);

  G_OBJECT_CLASS (mp_sync_indicator_parent_class)->dispose (object);
}

static void
mp_sync_indicator_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MpSyncIndicator *self = MP_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_indicator_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MpSyncIndicator *self = MP_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      mp_sync_indicator_set_controller (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      if (self->compact != g_value_get_boolean (value))
        {
          self->compact = g_value_get_boolean (value);
          mp_sync_indicator_update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_indicator_class_init (MpSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mp_sync_indicator_dispose;
  object_class->get_property = mp_sync_indicator_get_property;
  object_class->set_property = mp_sync_indicator_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, MP_TYPE_SYNC_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* In a narrow window Sync Now and Stop are in the popover only */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, button_stack);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, compact_icon);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, platform_label);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, popover_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, popover_sync_button);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, status_button);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, status_icon);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, status_label);
  gtk_widget_class_bind_template_child (widget_class, MpSyncIndicator, title_label);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_button_clicked);
}

static void
mp_sync_indicator_init (MpSyncIndicator *self)
{
  static const char * const controller_notifies[] = {
    "notify::running", "notify::online", "notify::last-sync", "notify::signed-in", "notify::platform-url",
  };
  static const char * const sync_notifies[] = {
    "notify::status", "notify::models-done", "notify::models-total", "notify::last-error",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->controller_signals = g_signal_group_new (MP_TYPE_SYNC_CONTROLLER);
  for (guint i = 0; i < G_N_ELEMENTS (controller_notifies); i++)
    g_signal_group_connect_swapped (self->controller_signals, controller_notifies[i],
                                    G_CALLBACK (on_changed), self);
  g_signal_group_connect_swapped (self->controller_signals, "notify::sync",
                                  G_CALLBACK (on_controller_sync_changed), self);

  self->sync_signals = g_signal_group_new (MP_TYPE_SYNC);
  for (guint i = 0; i < G_N_ELEMENTS (sync_notifies); i++)
    g_signal_group_connect_swapped (self->sync_signals, sync_notifies[i], G_CALLBACK (on_changed), self);

  mp_sync_indicator_update (self);
}

/* public API */

GtkWidget *
mp_sync_indicator_new (void)
{
  return g_object_new (MP_TYPE_SYNC_INDICATOR, NULL);
}

MpSyncController *
mp_sync_indicator_get_controller (MpSyncIndicator *self)
{
  g_return_val_if_fail (MP_IS_SYNC_INDICATOR (self), NULL);

  return self->controller;
}

void
mp_sync_indicator_set_controller (MpSyncIndicator  *self,
                               MpSyncController *controller)
{
  g_return_if_fail (MP_IS_SYNC_INDICATOR (self));
  g_return_if_fail (controller == NULL || MP_IS_SYNC_CONTROLLER (controller));

  if (!g_set_object (&self->controller, controller))
    return;

  g_signal_group_set_target (self->controller_signals, controller);
  on_controller_sync_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

const char *
mp_sync_indicator_get_text (MpSyncIndicator *self)
{
  g_return_val_if_fail (MP_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->status_label);
}
