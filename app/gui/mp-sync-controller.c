/* mp-sync-controller.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-sync-controller.h"
#include "mp-sync-credentials.h"
#include "mp-sync.h"

#define SETTINGS_SCHEMA_ID "io.github.mallipaja.Mallipaja"
/* Backoff after a failed run: doubles from the first wait up to the last. */
#define FIRST_BACKOFF_SECONDS 30
#define MAX_BACKOFF_SECONDS (10 * 60)

struct _MpSyncController
{
  GObject          parent_instance;

  /* owned references */
  MpStore         *store;
  MpAutosaver     *autosaver;
  MpSync          *sync;
  char            *platform_url;
  GSettings       *settings;
  GCancellable    *run_cancellable;
  GCancellable    *cancellable;   /* keyring and reachability checks */

  /* borrowed */
  GNetworkMonitor *monitor;

  guint            after_edit_id;
  guint            periodic_id;
  guint            retry_id;
  guint            failures;
  gint64           last_sync;
  gboolean         signed_in;
  gboolean         online;
  gboolean         running;
  /* Syncs asked for while one runs are run after it, once. */
  gboolean         again;
  /* A new platform syncs as soon as it is found reachable */
  gboolean         first_check;
};

G_DEFINE_FINAL_TYPE (MpSyncController, mp_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_AUTOSAVER,
  PROP_SYNC,
  PROP_PLATFORM_URL,
  PROP_SIGNED_IN,
  PROP_ONLINE,
  PROP_RUNNING,
  PROP_LAST_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_sync (MpSyncController *self);

/* private helpers */

static void
set_boolean (MpSyncController *self,
             gboolean         *field,
             gboolean          value,
             guint             prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_last_sync (MpSyncController *self)
{
  gint64 last_sync = mp_sync_store_get_last_sync (self->store);

  if (self->last_sync == last_sync)
    return;
  self->last_sync = last_sync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

/* Automatic syncs wait for the network and, on a metered connection, for
 * the person's consent; "Sync Now" does not. */
static gboolean
may_sync_automatically (MpSyncController *self)
{
  if (self->sync == NULL || !self->online || self->retry_id != 0)
    return FALSE;
  if (g_network_monitor_get_network_metered (self->monitor) &&
      !g_settings_get_boolean (self->settings, "sync-on-metered"))
    return FALSE;
  return TRUE;
}

static void
sync_automatically (MpSyncController *self)
{
  if (!may_sync_automatically (self))
    return;
  if (self->running)
    self->again = TRUE;
  else
    run_sync (self);
}

static gboolean
on_retry_timeout (gpointer user_data)
{
  MpSyncController *self = user_data;

  self->retry_id = 0;
  sync_automatically (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (MpSyncController *self)
{
  guint wait = FIRST_BACKOFF_SECONDS << MIN (self->failures - 1, 5);

  wait = MAX (MIN (wait, MAX_BACKOFF_SECONDS), mp_sync_get_retry_after (self->sync));
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_seconds (wait, on_retry_timeout, self);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MpSyncController) self = user_data;
  g_autoptr(MpSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = mp_sync_run_finish (MP_SYNC (object), result, &error);

  /* A run of a platform that was replaced meanwhile tells nothing */
  if (MP_SYNC (object) != self->sync)
    return;

  g_clear_object (&self->run_cancellable);
  set_boolean (self, &self->running, FALSE, PROP_RUNNING);
  update_last_sync (self);

  if (summary != NULL)
    self->failures = 0;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->again = FALSE;
      return;
    }
  else if (!g_error_matches (error, MP_ERROR, MP_ERROR_AUTH))
    {
      /* The status shows the reason; the next try waits longer each time */
      self->failures++;
      self->again = FALSE;
      schedule_retry (self);
      return;
    }

  if (self->again)
    {
      self->again = FALSE;
      sync_automatically (self);
    }
}

static void
run_sync (MpSyncController *self)
{
  g_assert (self->sync != NULL && !self->running);

  self->run_cancellable = g_cancellable_new ();
  set_boolean (self, &self->running, TRUE, PROP_RUNNING);
  mp_sync_run_async (self->sync, self->run_cancellable, on_run_done, g_object_ref (self));
}

static void
on_can_reach (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MpSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean reachable;
  gboolean was_online;

  reachable = g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  was_online = self->online;
  set_boolean (self, &self->online, reachable, PROP_ONLINE);

  /* Back online: what waited for a connection goes now */
  if (reachable && (!was_online || self->first_check))
    {
      self->first_check = FALSE;
      g_clear_handle_id (&self->retry_id, g_source_remove);
      sync_automatically (self);
    }
}

static void
check_reachable (MpSyncController *self)
{
  g_autoptr(GSocketConnectable) address = NULL;

  if (self->platform_url == NULL)
    return;

  if (!g_network_monitor_get_network_available (self->monitor))
    {
      set_boolean (self, &self->online, FALSE, PROP_ONLINE);
      return;
    }

  address = g_network_address_parse_uri (self->platform_url,
                                         g_str_has_prefix (self->platform_url, "https:") ? 443 : 80,
                                         NULL);
  if (address == NULL)
    return;
  g_network_monitor_can_reach_async (self->monitor, address, self->cancellable,
                                     on_can_reach, g_object_ref (self));
}

/* callbacks */

/* A pull is about to write platform changes: typing that waits for its
 * save goes first, into the bank and the outbox, so that the pull merges
 * it (or keeps both texts as a conflict) and the open page then shows the
 * result, instead of the save later writing the old texts back over what
 * the pull brought. */
static void
on_about_to_pull (MpSyncController *self)
{
  g_autoptr(GError) error = NULL;

  if (self->autosaver == NULL || !mp_autosaver_has_pending (self->autosaver))
    return;
  /* A refused save stays pending and says so through the autosaver's
   * "failed" signal. */
  if (!mp_autosaver_flush (self->autosaver, &error))
    g_debug ("Could not save before the pull: %s", error->message);
}

static void
on_network_changed (MpSyncController *self)
{
  check_reachable (self);
}

static gboolean
on_after_edit_timeout (gpointer user_data)
{
  MpSyncController *self = user_data;

  self->after_edit_id = 0;
  sync_automatically (self);
  return G_SOURCE_REMOVE;
}

/* Edits are saved every half second of typing; the sync waits for a pause */
static void
on_saved (MpSyncController *self)
{
  g_clear_handle_id (&self->after_edit_id, g_source_remove);
  self->after_edit_id = g_timeout_add_seconds (MP_SYNC_AFTER_EDIT_SECONDS, on_after_edit_timeout, self);
}

static gboolean
on_periodic_timeout (gpointer user_data)
{
  MpSyncController *self = user_data;

  sync_automatically (self);
  return G_SOURCE_CONTINUE;
}

static void
on_token_found (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MpSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = g_object_steal_data (G_OBJECT (self), "pending-platform");

  token = mp_sync_credentials_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Without a keyring the public bank can still be read */
  if (error != NULL)
    g_debug ("No token from the keyring: %s", error->message);

  mp_sync_controller_set_platform (self, url, token);
}

static void
on_token_cleared (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!mp_sync_credentials_clear_finish (result, &error))
    g_debug ("Could not forget the token: %s", error->message);
}

/* GObject overrides */

static void
mp_sync_controller_constructed (GObject *object)
{
  MpSyncController *self = MP_SYNC_CONTROLLER (object);

  G_OBJECT_CLASS (mp_sync_controller_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));

  if (self->autosaver != NULL)
    g_signal_connect_object (self->autosaver, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (on_network_changed),
                           self, G_CONNECT_SWAPPED);
  self->online = g_network_monitor_get_network_available (self->monitor);
  self->last_sync = mp_sync_store_get_last_sync (self->store);
}

static void
mp_sync_controller_dispose (GObject *object)
{
  MpSyncController *self = MP_SYNC_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_clear_handle_id (&self->after_edit_id, g_source_remove);
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  g_clear_object (&self->sync);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->autosaver);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_sync_controller_parent_class)->dispose (object);
}

static void
mp_sync_controller_finalize (GObject *object)
{
  MpSyncController *self = MP_SYNC_CONTROLLER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->platform_url, g_free);

  G_OBJECT_CLASS (mp_sync_controller_parent_class)->finalize (object);
}

static void
mp_sync_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MpSyncController *self = MP_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_AUTOSAVER:
      g_value_set_object (value, self->autosaver);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_PLATFORM_URL:
      g_value_set_string (value, self->platform_url);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->signed_in);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_controller_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MpSyncController *self = MP_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_AUTOSAVER:
      self->autosaver = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_sync_controller_class_init (MpSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mp_sync_controller_constructed;
  object_class->dispose = mp_sync_controller_dispose;
  object_class->finalize = mp_sync_controller_finalize;
  object_class->get_property = mp_sync_controller_get_property;
  object_class->set_property = mp_sync_controller_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOSAVER] =
    g_param_spec_object ("autosaver", NULL, NULL, MP_TYPE_AUTOSAVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, MP_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLATFORM_URL] =
    g_param_spec_string ("platform-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mp_sync_controller_init (MpSyncController *self)
{
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  self->cancellable = g_cancellable_new ();
  self->monitor = g_network_monitor_get_default ();
}

/* public API */

MpSyncController *
mp_sync_controller_new (MpStore     *store,
                        MpAutosaver *autosaver)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (autosaver == NULL || MP_IS_AUTOSAVER (autosaver), NULL);

  return g_object_new (MP_TYPE_SYNC_CONTROLLER, "store", store, "autosaver", autosaver, NULL);
}

MpSync *
mp_sync_controller_get_sync (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), NULL);

  return self->sync;
}

MpStore *
mp_sync_controller_get_store (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), NULL);

  return self->store;
}

const char *
mp_sync_controller_get_platform_url (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), NULL);

  return self->platform_url;
}

gboolean
mp_sync_controller_get_signed_in (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->signed_in;
}

gboolean
mp_sync_controller_get_online (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->online;
}

gboolean
mp_sync_controller_get_running (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->running;
}

gint64
mp_sync_controller_get_last_sync (MpSyncController *self)
{
  g_return_val_if_fail (MP_IS_SYNC_CONTROLLER (self), 0);

  return self->last_sync;
}

void
mp_sync_controller_set_platform (MpSyncController *self,
                                 const char       *platform_url,
                                 const char       *token)
{
  g_return_if_fail (MP_IS_SYNC_CONTROLLER (self));
  g_return_if_fail (platform_url != NULL);

  if (g_strcmp0 (self->platform_url, platform_url) != 0)
    {
      /* Another platform: what ran for the old one no longer counts */
      mp_sync_controller_cancel (self);
      g_clear_object (&self->run_cancellable);
      set_boolean (self, &self->running, FALSE, PROP_RUNNING);
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->failures = 0;

      g_free (self->platform_url);
      self->platform_url = g_strdup (platform_url);
      g_clear_object (&self->sync);
      self->sync = mp_sync_new (self->store, platform_url);
      g_signal_connect_object (self->sync, "about-to-pull", G_CALLBACK (on_about_to_pull),
                               self, G_CONNECT_SWAPPED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_URL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
      self->first_check = TRUE;
      check_reachable (self);
    }

  mp_sync_set_token (self->sync, token);
  set_boolean (self, &self->signed_in, token != NULL && *token != '\0', PROP_SIGNED_IN);

  if (self->periodic_id == 0)
    self->periodic_id = g_timeout_add_seconds (MP_SYNC_PERIOD_SECONDS, on_periodic_timeout, self);
}

void
mp_sync_controller_start (MpSyncController *self)
{
  g_autofree char *url = NULL;
  const char *env;

  g_return_if_fail (MP_IS_SYNC_CONTROLLER (self));

  url = mp_sync_store_dup_platform (self->store);
  if ((url == NULL || *url == '\0') && (env = g_getenv ("MALLIPAJA_PLATFORM_URL")) != NULL && *env != '\0')
    {
      g_free (url);
      url = g_strdup (env);
    }
  if (url == NULL || *url == '\0')
    return;

  g_object_set_data_full (G_OBJECT (self), "pending-platform", g_strdup (url), g_free);
  mp_sync_credentials_lookup_async (url, self->cancellable, on_token_found, g_object_ref (self));
}

void
mp_sync_controller_sync_now (MpSyncController *self)
{
  g_return_if_fail (MP_IS_SYNC_CONTROLLER (self));

  if (self->sync == NULL || self->running)
    return;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->after_edit_id, g_source_remove);
  self->first_check = FALSE;
  run_sync (self);
}

void
mp_sync_controller_cancel (MpSyncController *self)
{
  g_return_if_fail (MP_IS_SYNC_CONTROLLER (self));

  self->again = FALSE;
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

void
mp_sync_controller_sign_out (MpSyncController *self)
{
  g_return_if_fail (MP_IS_SYNC_CONTROLLER (self));

  if (self->platform_url == NULL)
    return;
  mp_sync_credentials_clear_async (self->platform_url, NULL, on_token_cleared, NULL);
  mp_sync_set_token (self->sync, NULL);
  set_boolean (self, &self->signed_in, FALSE, PROP_SIGNED_IN);
}
