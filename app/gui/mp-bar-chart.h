/* mp-bar-chart.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MP_TYPE_BAR_CHART (mp_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (MpBarChart, mp_bar_chart, MP, BAR_CHART, GtkWidget)

/* A horizontal bar chart: a label, a bar and its value a row, in the
 * order the bars were added, optionally with a marker on each row (the
 * review's share, say). An image to assistive technologies, described by
 * its numbers. "title" is its accessible label. */

GtkWidget  *mp_bar_chart_new             (void);
const char *mp_bar_chart_get_title       (MpBarChart  *self);
void        mp_bar_chart_set_title       (MpBarChart  *self,
                                          const char  *title);
/* The value a full bar stands for (100 for shares); 0: the largest value. */
void        mp_bar_chart_set_maximum     (MpBarChart  *self,
                                          double       maximum);
void        mp_bar_chart_clear           (MpBarChart  *self);
/* @marker < 0: none. @value_text and @marker_text are shown as given. */
void        mp_bar_chart_append          (MpBarChart  *self,
                                          const char  *label,
                                          double       value,
                                          const char  *value_text,
                                          double       marker,
                                          const char  *marker_text);
guint       mp_bar_chart_get_n_bars      (MpBarChart  *self);
const char *mp_bar_chart_get_label       (MpBarChart  *self,
                                          guint        index);
const char *mp_bar_chart_get_value_text  (MpBarChart  *self,
                                          guint        index);
const char *mp_bar_chart_get_marker_text (MpBarChart  *self,
                                          guint        index);
/* The accessible description: every number the chart shows. */
char       *mp_bar_chart_dup_description (MpBarChart  *self);

/* Drawing, shared by the widget and printing: @context lays out the text
 * (its font is used), colours are the text's, the bars' and the markers'. */
double      mp_bar_chart_measure         (MpBarChart   *self,
                                          PangoContext *context,
                                          double        width);
void        mp_bar_chart_draw            (MpBarChart    *self,
                                          cairo_t       *cr,
                                          PangoContext  *context,
                                          double         width,
                                          const GdkRGBA *text_color,
                                          const GdkRGBA *bar_color,
                                          const GdkRGBA *marker_color);

G_END_DECLS
