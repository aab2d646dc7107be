/* mp-gui-test.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

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

void
mp_gui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        mp_gui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

gboolean
mp_gui_test_wait_until (MpGuiTestCondition condition,
                        gpointer           data,
                        guint              seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint id = g_timeout_add (10, tick, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return met;
}

gpointer
mp_gui_test_find_widget (gpointer root,
                         GType    type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  mp_gui_test_collect_widgets (GTK_WIDGET (root), type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
}
