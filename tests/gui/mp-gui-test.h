/* mp-gui-test.h — what the widget tests share
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Turns the main loop for @ms milliseconds, so that delayed signals,
 * layout and frames happen as they would for a person. */
void mp_gui_test_run_main_loop   (guint      ms);
/* Every widget of @type below @widget (itself included), depth first. */
void mp_gui_test_collect_widgets (GtkWidget *widget,
                                  GType      type,
                                  GPtrArray *found);

/* Removes @path and everything below it (a test's temporary folder). */
void     mp_gui_test_remove_tree  (const char *path);
/* Turns the main loop until @condition holds or @seconds passed;
 * returns whether it held. */
typedef gboolean (*MpGuiTestCondition) (gpointer data);
gboolean mp_gui_test_wait_until   (MpGuiTestCondition condition,
                                   gpointer           data,
                                   guint              seconds);
/* The first widget of @type below @root; fails the test when none. */
gpointer mp_gui_test_find_widget  (gpointer    root,
                                   GType       type);

G_END_DECLS
