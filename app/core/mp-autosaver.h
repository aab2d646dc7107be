/* mp-autosaver.h — saves edited models shortly after the typing stops
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mp-model.h"
#include "mp-store.h"

G_BEGIN_DECLS

/* At most this much typing is at risk. */
#define MP_AUTOSAVE_DELAY_MS 500

#define MP_TYPE_AUTOSAVER (mp_autosaver_get_type ())
G_DECLARE_FINAL_TYPE (MpAutosaver, mp_autosaver, MP, AUTOSAVER, GObject)

/* Signals: "saved" (MpModel *) after each write; "failed" (MpModel *,
 * GError *) when a write was refused — the model stays pending and is
 * tried again on the next change or flush. */

MpAutosaver *mp_autosaver_new        (MpStore     *store);
/* Watches @model's "changed" signal and saves it debounced; the model's
 * modified time is bumped on each save. @model must be as it was loaded
 * (or saved): when a pull or an import writes the bank's copy before a
 * save, the save merges with it three ways against that, and the model
 * takes the result (a field changed on both sides keeps the model's value
 * and becomes a sync conflict). */
void         mp_autosaver_watch      (MpAutosaver *self,
                                      MpModel     *model);
void         mp_autosaver_unwatch    (MpAutosaver *self,
                                      MpModel     *model);
/* A model queued without being watched has no known start: it is written
 * as it is. */
void         mp_autosaver_queue      (MpAutosaver *self,
                                      MpModel     *model);
gboolean     mp_autosaver_has_pending (MpAutosaver *self);
gboolean     mp_autosaver_is_pending (MpAutosaver *self,
                                      MpModel     *model);
/* Writes @model now if it has pending changes (merged as above). */
gboolean     mp_autosaver_save_now   (MpAutosaver *self,
                                      MpModel     *model,
                                      GError     **error);
/* Writes everything pending now (on close, window switch, SIGTERM). */
gboolean     mp_autosaver_flush      (MpAutosaver *self,
                                      GError     **error);

G_END_DECLS
