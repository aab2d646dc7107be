/* mp-model-page-private.h — MpModelPage's parts in other files
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-model-page.h"

G_BEGIN_DECLS

/* mp-model-page-print.c: model.print (Ctrl+P) and model.export-pdf */
void _mp_model_page_class_add_print_actions (GtkWidgetClass *widget_class);

G_END_DECLS
