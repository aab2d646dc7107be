/* mp-window-private.h — MpWindow's parts in other files
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-window.h"

G_BEGIN_DECLS

/* mp-window-exchange.c: win.overview, win.import, win.export-selection */
void _mp_window_class_add_exchange_actions (GtkWidgetClass *widget_class);

G_END_DECLS
