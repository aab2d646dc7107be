/* test-stage-progress.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "mp-stage-progress.h"

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_role (void)
{
  GtkWidget *progress = g_object_ref_sink (mp_stage_progress_new ());

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 6.);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "No stage started");

  g_assert_finalize_object (progress);
}

static void
test_current_stage (void)
{
  GtkWidget *progress = g_object_ref_sink (mp_stage_progress_new ());
  MpStageProgress *self = MP_STAGE_PROGRESS (progress);
  guint notified = 0;

  g_signal_connect (progress, "notify::current-stage", G_CALLBACK (notify_cb), &notified);

  g_object_set (progress, "current-stage", MP_STAGE_TRIALS, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (mp_stage_progress_get_current_stage (self), ==, MP_STAGE_TRIALS);
  g_assert_cmpint (mp_stage_progress_get_state (self, MP_STAGE_NEED), ==, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_stage_progress_get_state (self, MP_STAGE_IDEA), ==, MP_STAGE_STATE_DONE);
  g_assert_cmpint (mp_stage_progress_get_state (self, MP_STAGE_TRIALS), ==, MP_STAGE_STATE_IN_PROGRESS);
  g_assert_cmpint (mp_stage_progress_get_state (self, MP_STAGE_SCALING), ==, MP_STAGE_STATE_NOT_STARTED);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 3.);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 3 of 6, Trials, in progress");

  /* Setting the same value again is not a change. */
  mp_stage_progress_set_current_stage (self, MP_STAGE_TRIALS);
  g_assert_cmpuint (notified, ==, 1);

  mp_stage_progress_set_current_stage (self, MP_STAGE_NONE);
  g_assert_cmpuint (notified, ==, 2);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "No stage started");

  g_assert_finalize_object (progress);
}

static void
test_states (void)
{
  GtkWidget *progress = g_object_ref_sink (mp_stage_progress_new ());
  MpStageProgress *self = MP_STAGE_PROGRESS (progress);
  const MpStageState done_two[MP_N_STAGES] = {
    MP_STAGE_STATE_DONE, MP_STAGE_STATE_DONE,
    MP_STAGE_STATE_NOT_STARTED, MP_STAGE_STATE_NOT_STARTED,
    MP_STAGE_STATE_NOT_STARTED, MP_STAGE_STATE_NOT_STARTED,
  };
  /* Not linear: scaling failed somewhere and the model is back in trials. */
  const MpStageState back_to_trials[MP_N_STAGES] = {
    MP_STAGE_STATE_DONE, MP_STAGE_STATE_DONE,
    MP_STAGE_STATE_IN_PROGRESS, MP_STAGE_STATE_DONE,
    MP_STAGE_STATE_NOT_STARTED, MP_STAGE_STATE_NOT_STARTED,
  };
  guint notified = 0;

  g_signal_connect (progress, "notify::current-stage", G_CALLBACK (notify_cb), &notified);

  mp_stage_progress_set_states (self, done_two);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (mp_stage_progress_get_current_stage (self), ==, MP_STAGE_IDEA);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 2 of 6, Idea, done");

  mp_stage_progress_set_states (self, back_to_trials);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (mp_stage_progress_get_current_stage (self), ==, MP_STAGE_TRIALS);
  g_assert_cmpint (mp_stage_progress_get_state (self, MP_STAGE_STABILISATION), ==, MP_STAGE_STATE_DONE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "Stage 3 of 6, Trials, in progress");

  g_assert_finalize_object (progress);
}

static void
test_compact (void)
{
  GtkWidget *progress = g_object_ref_sink (mp_stage_progress_new ());
  int normal_height, compact_height;
  guint notified = 0;

  g_signal_connect (progress, "notify::compact", G_CALLBACK (notify_cb), &notified);

  gtk_widget_measure (progress, GTK_ORIENTATION_VERTICAL, -1, &normal_height, NULL, NULL, NULL);
  mp_stage_progress_set_compact (MP_STAGE_PROGRESS (progress), TRUE);
  mp_stage_progress_set_compact (MP_STAGE_PROGRESS (progress), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  gtk_widget_measure (progress, GTK_ORIENTATION_VERTICAL, -1, &compact_height, NULL, NULL, NULL);
  g_assert_cmpint (compact_height, <, normal_height);
  g_assert_true (gtk_widget_has_css_class (progress, "compact"));

  g_assert_finalize_object (progress);
}

static void
test_snapshot (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *progress = mp_stage_progress_new ();

  /* Drawing every state once must not warn (tests run with fatal warnings). */
  mp_stage_progress_set_current_stage (MP_STAGE_PROGRESS (progress), MP_STAGE_SCALING);
  gtk_window_set_child (GTK_WINDOW (window), progress);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stage-progress/role", test_role);
  g_test_add_func ("/stage-progress/current-stage", test_current_stage);
  g_test_add_func ("/stage-progress/states", test_states);
  g_test_add_func ("/stage-progress/compact", test_compact);
  g_test_add_func ("/stage-progress/snapshot", test_snapshot);

  return g_test_run ();
}
