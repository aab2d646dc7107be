/* mp-bar-chart.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mp-bar-chart.h"

typedef struct {
  char   *label;
  double  value;
  char   *value_text;
  double  marker;
  char   *marker_text;
} Bar;

struct _MpBarChart
{
  GtkWidget  parent_instance;

  /* owned references */
  char      *title;
  GArray    *bars;   /* Bar */
  double     maximum;
  double     track_alpha;
};

G_DEFINE_FINAL_TYPE (MpBarChart, mp_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Sizes in line heights of the font, so that the chart grows with the
 * text size setting. */
#define ROW_GAP        0.55
#define BAR_THICKNESS  0.85
#define COLUMN_GAP     0.75
#define LABEL_SHARE    0.45

/* private helpers */

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->value_text);
  g_free (bar->marker_text);
}

typedef struct {
  double line;           /* the font's line height */
  double label_width;
  double value_width;
  double track_x;
  double track_width;
  double value_x;
  double maximum;
} Geometry;

static PangoLayout *
make_layout (PangoContext *context,
             const char   *text,
             double        width)
{
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  return layout;
}

static double
layout_width (PangoContext *context,
              const char   *text)
{
  g_autoptr(PangoLayout) layout = make_layout (context, text, -1);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
compute_geometry (MpBarChart   *self,
                  PangoContext *context,
                  double        width,
                  Geometry     *geometry)
{
  g_autoptr(PangoLayout) line = make_layout (context, "Ag", -1);
  double label_natural = 0, value_natural = 0, maximum = self->maximum;
  int line_height;

  pango_layout_get_pixel_size (line, NULL, &line_height);
  geometry->line = MAX (line_height, 1);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      label_natural = MAX (label_natural, layout_width (context, bar->label));
      value_natural = MAX (value_natural, layout_width (context, bar->value_text));
      if (self->maximum <= 0)
        maximum = MAX (maximum, MAX (bar->value, bar->marker));
    }

  geometry->maximum = maximum > 0 ? maximum : 1;
  /* Long labels (Finnish ones are) wrap rather than squeeze the bars */
  geometry->label_width = MIN (label_natural, width * LABEL_SHARE);
  geometry->value_width = value_natural;
  geometry->track_x = geometry->label_width + COLUMN_GAP * geometry->line;
  geometry->value_x = MAX (width - geometry->value_width, geometry->track_x);
  geometry->track_width = MAX (geometry->value_x - COLUMN_GAP * geometry->line - geometry->track_x, 1);
}

static double
row_height (PangoLayout    *label,
            const Geometry *geometry)
{
  int height;

  pango_layout_get_pixel_size (label, NULL, &height);
  return MAX (height, BAR_THICKNESS * geometry->line);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
update_accessible (MpBarChart *self)
{
  g_autofree char *description = mp_bar_chart_dup_description (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title != NULL ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
get_colors (MpBarChart *self,
            GdkRGBA    *text,
            GdkRGBA    *bar)
{
  GtkStyleContext *style;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, text);
  /* The accent follows the light, dark and high-contrast styles */
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", bar))
    *bar = *text;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* GObject overrides */

static void
mp_bar_chart_measure_vfunc (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  MpBarChart *self = MP_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 560;
    }
  else
    {
      double height = mp_bar_chart_measure (self, gtk_widget_get_pango_context (widget),
                                            for_size > 0 ? for_size : 560);

      *minimum = *natural = (int) (height + 0.999);
    }
}

static GtkSizeRequestMode
mp_bar_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mp_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  MpBarChart *self = MP_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA text, bar;

  if (self->bars->len == 0 || width <= 0 || height <= 0)
    return;

  get_colors (self, &text, &bar);
  /* The faint track would vanish in high contrast */
  self->track_alpha = adw_style_manager_get_high_contrast (adw_style_manager_get_default ()) ? 0.3 : 0.1;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  mp_bar_chart_draw (self, cr, gtk_widget_get_pango_context (widget), width, &text, &bar, &text);
  cairo_destroy (cr);
}

static void
mp_bar_chart_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (mp_bar_chart_parent_class)->css_changed (widget, change);

  /* Font and colours may have changed with the style */
  gtk_widget_queue_resize (widget);
}

static void
mp_bar_chart_finalize (GObject *object)
{
  MpBarChart *self = MP_BAR_CHART (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (mp_bar_chart_parent_class)->finalize (object);
}

static void
mp_bar_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MpBarChart *self = MP_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_bar_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MpBarChart *self = MP_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      mp_bar_chart_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_bar_chart_class_init (MpBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mp_bar_chart_finalize;
  object_class->get_property = mp_bar_chart_get_property;
  object_class->set_property = mp_bar_chart_set_property;

  widget_class->css_changed = mp_bar_chart_css_changed;
  widget_class->get_request_mode = mp_bar_chart_get_request_mode;
  widget_class->measure = mp_bar_chart_measure_vfunc;
  widget_class->snapshot = mp_bar_chart_snapshot;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mp_bar_chart_init (MpBarChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  self->track_alpha = 0.1;
  g_array_set_clear_func (self->bars, bar_clear);
}

/* public API */

GtkWidget *
mp_bar_chart_new (void)
{
  return g_object_new (MP_TYPE_BAR_CHART, NULL);
}

const char *
mp_bar_chart_get_title (MpBarChart *self)
{
  g_return_val_if_fail (MP_IS_BAR_CHART (self), NULL);

  return self->title;
}

void
mp_bar_chart_set_title (MpBarChart *self,
                        const char *title)
{
  g_return_if_fail (MP_IS_BAR_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
mp_bar_chart_set_maximum (MpBarChart *self,
                          double      maximum)
{
  g_return_if_fail (MP_IS_BAR_CHART (self));

  self->maximum = maximum;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
mp_bar_chart_clear (MpBarChart *self)
{
  g_return_if_fail (MP_IS_BAR_CHART (self));

  g_array_set_size (self->bars, 0);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
mp_bar_chart_append (MpBarChart *self,
                     const char *label,
                     double      value,
                     const char *value_text,
                     double      marker,
                     const char *marker_text)
{
  Bar bar = { 0 };

  g_return_if_fail (MP_IS_BAR_CHART (self));
  g_return_if_fail (label != NULL);

  bar.label = g_strdup (label);
  bar.value = MAX (value, 0);
  bar.value_text = g_strdup (value_text != NULL ? value_text : "");
  bar.marker = marker;
  bar.marker_text = marker >= 0 ? g_strdup (marker_text) : NULL;
  g_array_append_val (self->bars, bar);

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
mp_bar_chart_get_n_bars (MpBarChart *self)
{
  g_return_val_if_fail (MP_IS_BAR_CHART (self), 0);

  return self->bars->len;
}

const char *
mp_bar_chart_get_label (MpBarChart *self,
                        guint       index)
{
  g_return_val_if_fail (MP_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  return g_array_index (self->bars, Bar, index).label;
}

const char *
mp_bar_chart_get_value_text (MpBarChart *self,
                             guint       index)
{
  g_return_val_if_fail (MP_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  return g_array_index (self->bars, Bar, index).value_text;
}

const char *
mp_bar_chart_get_marker_text (MpBarChart *self,
                              guint       index)
{
  g_return_val_if_fail (MP_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  return g_array_index (self->bars, Bar, index).marker_text;
}

/**
 * mp_bar_chart_dup_description:
 * @self: a chart
 *
 * Returns: (transfer full): "label: value; label: value (marker); …"
 */
char *
mp_bar_chart_dup_description (MpBarChart *self)
{
  GString *description;

  g_return_val_if_fail (MP_IS_BAR_CHART (self), NULL);

  description = g_string_new (NULL);
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (i > 0)
        g_string_append (description, "; ");
      /* Translators: one bar of a chart read out by a screen reader,
       * e.g. "Networked: 42 %" */
      g_string_append_printf (description, _("%s: %s"), bar->label, bar->value_text);
      if (bar->marker_text != NULL)
        g_string_append_printf (description, " (%s)", bar->marker_text);
    }

  return g_string_free (description, FALSE);
}

/**
 * mp_bar_chart_measure:
 * @self: a chart
 * @context: lays out the text
 * @width: the width to draw in
 *
 * Returns: the height the chart takes at @width
 */
double
mp_bar_chart_measure (MpBarChart   *self,
                      PangoContext *context,
                      double        width)
{
  Geometry geometry;
  double height = 0;

  g_return_val_if_fail (MP_IS_BAR_CHART (self), 0);

  if (self->bars->len == 0)
    return 0;

  compute_geometry (self, context, width, &geometry);
  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autoptr(PangoLayout) label = make_layout (context, g_array_index (self->bars, Bar, i).label,
                                                  geometry.label_width);

      height += row_height (label, &geometry) + (i > 0 ? ROW_GAP * geometry.line : 0);
    }

  return height;
}

void
mp_bar_chart_draw (MpBarChart    *self,
                   cairo_t       *cr,
                   PangoContext  *context,
                   double         width,
                   const GdkRGBA *text_color,
                   const GdkRGBA *bar_color,
                   const GdkRGBA *marker_color)
{
  Geometry geometry;
  double y = 0;

  g_return_if_fail (MP_IS_BAR_CHART (self));

  compute_geometry (self, context, width, &geometry);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr(PangoLayout) label = make_layout (context, bar->label, geometry.label_width);
      g_autoptr(PangoLayout) value = make_layout (context, bar->value_text, -1);
      double height = row_height (label, &geometry);
      double thickness = BAR_THICKNESS * geometry.line * 0.8;
      double bar_y = y + (height - thickness) / 2;
      double length = geometry.track_width * MIN (bar->value / geometry.maximum, 1.0);
      int label_height, value_height;

      pango_layout_get_pixel_size (label, NULL, &label_height);
      pango_layout_get_pixel_size (value, NULL, &value_height);

      gdk_cairo_set_source_rgba (cr, text_color);
      cairo_move_to (cr, 0, y + (height - label_height) / 2);
      pango_cairo_show_layout (cr, label);
      cairo_move_to (cr, geometry.value_x, y + (height - value_height) / 2);
      pango_cairo_show_layout (cr, value);

      /* The track shows the scale, so that an empty bar still reads as 0 */
      cairo_set_source_rgba (cr, text_color->red, text_color->green, text_color->blue,
                             text_color->alpha * self->track_alpha);
      rounded_rectangle (cr, geometry.track_x, bar_y, geometry.track_width, thickness, thickness / 4);
      cairo_fill (cr);

      if (length > 0.5)
        {
          gdk_cairo_set_source_rgba (cr, bar_color);
          rounded_rectangle (cr, geometry.track_x, bar_y, length, thickness, thickness / 4);
          cairo_fill (cr);
        }

      if (bar->marker >= 0)
        {
          double x = geometry.track_x + geometry.track_width * MIN (bar->marker / geometry.maximum, 1.0);
          double half = MAX (geometry.line / 8, 1.5);

          gdk_cairo_set_source_rgba (cr, marker_color);
          cairo_rectangle (cr, (int) (x + 0.5) - half / 2, bar_y - thickness * 0.3, half, thickness * 1.6);
          cairo_fill (cr);
        }

      y += height + ROW_GAP * geometry.line;
    }
}
