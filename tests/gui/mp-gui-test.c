/* mp-gui-test.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-gui-test.h"

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
mp_gui_test_run_main_loop (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  /* a source that fires, so that an idle context still wakes up */
  guint id = g_timeout_add (10, tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

void
mp_gui_test_collect_widgets (GtkWidget *widget,
                             GType      type,
                             GPtrArray *found)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    mp_gui_test_collect_widgets (child, type, found);
}
