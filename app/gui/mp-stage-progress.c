/* mp-stage-progress.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-stage-progress.h"

/* Sizes in pixels; the widget may grow wider than its natural width. */
#define SEGMENT_MIN_WIDTH          14
#define SEGMENT_NAT_WIDTH          36
#define SEGMENT_HEIGHT             10
#define SEGMENT_SPACING            4
#define COMPACT_SEGMENT_MIN_WIDTH  8
#define COMPACT_SEGMENT_NAT_WIDTH  12
#define COMPACT_SEGMENT_HEIGHT     6
#define COMPACT_SEGMENT_SPACING    2
#define OUTLINE_WIDTH              1.f

struct _MpStageProgress
{
  GtkWidget    parent_instance;

  MpStageState states[MP_N_STAGES];
  int          current_stage;
  gboolean     compact;
};

G_DEFINE_FINAL_TYPE (MpStageProgress, mp_stage_progress, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURRENT_STAGE,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static const char *
stage_label (int stage)
{
  const MpTerm *terms;
  guint n_terms = 0;

  terms = mp_taxonomy_terms (MP_TAXONOMY_STAGE, &n_terms);
  if (terms == NULL || stage < 0 || (guint) stage >= n_terms)
    return "";

  return mp_term_get_label (&terms[stage], mp_ui_language ());
}

/* Mirrors mp_model_get_current_stage(): the last stage in progress, else
 * the last one done. */
static int
compute_current_stage (const MpStageState states[MP_N_STAGES])
{
  for (int i = MP_N_STAGES - 1; i >= 0; i--)
    if (states[i] == MP_STAGE_STATE_IN_PROGRESS)
      return i;

  for (int i = MP_N_STAGES - 1; i >= 0; i--)
    if (states[i] == MP_STAGE_STATE_DONE)
      return i;

  return MP_STAGE_NONE;
}

static void
update_accessible (MpStageProgress *self)
{
  g_autofree char *text = mp_stage_progress_dup_text (self);

  /* The name a tooltip used to give it, set here since the tooltip is
   * now only asked for */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) MP_N_STAGES,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) (self->current_stage + 1),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
set_states_internal (MpStageProgress    *self,
                     const MpStageState  states[MP_N_STAGES])
{
  int current_stage = compute_current_stage (states);
  gboolean changed = memcmp (self->states, states, sizeof self->states) != 0;

  memcpy (self->states, states, sizeof self->states);

  if (current_stage != self->current_stage)
    {
      self->current_stage = current_stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_STAGE]);
      changed = TRUE;
    }

  if (changed)
    {
      update_accessible (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
get_metrics (MpStageProgress *self,
             int             *min_width,
             int             *nat_width,
             int             *height,
             int             *spacing)
{
  if (self->compact)
    {
      *min_width = COMPACT_SEGMENT_MIN_WIDTH;
      *nat_width = COMPACT_SEGMENT_NAT_WIDTH;
      *height = COMPACT_SEGMENT_HEIGHT;
      *spacing = COMPACT_SEGMENT_SPACING;
    }
  else
    {
      *min_width = SEGMENT_MIN_WIDTH;
      *nat_width = SEGMENT_NAT_WIDTH;
      *height = SEGMENT_HEIGHT;
      *spacing = SEGMENT_SPACING;
    }
}

/* GObject overrides */

/* The tooltip is asked for rather than set: gtk_widget_set_tooltip_text()
 * asks the display server where the pointer is, once a call, and a list
 * binds a couple of hundred rows before its first frame. */
static gboolean
mp_stage_progress_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_tooltip,
                                 GtkTooltip *tooltip)
{
  g_autofree char *text = mp_stage_progress_dup_text (MP_STAGE_PROGRESS (widget));

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
mp_stage_progress_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  MpStageProgress *self = MP_STAGE_PROGRESS (widget);
  int min_width, nat_width, height, spacing;

  get_metrics (self, &min_width, &nat_width, &height, &spacing);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MP_N_STAGES * min_width + (MP_N_STAGES - 1) * spacing;
      *natural = MP_N_STAGES * nat_width + (MP_N_STAGES - 1) * spacing;
    }
  else
    {
      *minimum = *natural = height;
    }
}

static void
mp_stage_progress_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  MpStageProgress *self = MP_STAGE_PROGRESS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int min_width, nat_width, seg_height, spacing;
  float seg_width, y, radius;
  GdkRGBA color, outline;

  get_metrics (self, &min_width, &nat_width, &seg_height, &spacing);

  /* The colour comes from CSS (the accent colour by default) so that the
   * dark and high-contrast styles apply; shapes carry the meaning. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  outline = color;

  seg_width = (float) (width - (MP_N_STAGES - 1) * spacing) / MP_N_STAGES;
  if (seg_width <= 2 * OUTLINE_WIDTH)
    return;

  seg_height = MIN (seg_height, height);
  y = (height - seg_height) / 2.f;
  radius = seg_height / 2.f;

  for (int i = 0; i < MP_N_STAGES; i++)
    {
      int stage = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? MP_N_STAGES - 1 - i : i;
      graphene_rect_t bounds;
      GskRoundedRect rrect;

      graphene_rect_init (&bounds, i * (seg_width + spacing), y, seg_width, seg_height);
      gsk_rounded_rect_init_from_rect (&rrect, &bounds, radius);

      switch (self->states[stage])
        {
        case MP_STAGE_STATE_DONE:
          gtk_snapshot_push_rounded_clip (snapshot, &rrect);
          gtk_snapshot_append_color (snapshot, &color, &bounds);
          gtk_snapshot_pop (snapshot);
          break;

        case MP_STAGE_STATE_IN_PROGRESS:
          {
            graphene_rect_t half;
            graphene_size_t round, square;
            GskRoundedRect half_rect;
            const float widths[4] = { OUTLINE_WIDTH, OUTLINE_WIDTH, OUTLINE_WIDTH, OUTLINE_WIDTH };
            const GdkRGBA colors[4] = { outline, outline, outline, outline };
            gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

            /* The filled half gets its own clip, rounded on the outer side
             * only: the GL renderer draws a colour under a rounded clip as
             * the whole clip. */
            graphene_rect_init (&half,
                                rtl ? bounds.origin.x + seg_width / 2.f : bounds.origin.x,
                                y, seg_width / 2.f, seg_height);
            graphene_size_init (&round, MIN (radius, seg_width / 2.f), radius);
            graphene_size_init (&square, 0, 0);
            if (rtl)
              gsk_rounded_rect_init (&half_rect, &half, &square, &round, &round, &square);
            else
              gsk_rounded_rect_init (&half_rect, &half, &round, &square, &square, &round);
            gtk_snapshot_push_rounded_clip (snapshot, &half_rect);
            gtk_snapshot_append_color (snapshot, &color, &half);
            gtk_snapshot_pop (snapshot);
            gtk_snapshot_append_border (snapshot, &rrect, widths, colors);
          }
          break;

        case MP_STAGE_STATE_NOT_STARTED:
        case MP_N_STAGE_STATES:
        default:
          {
            const float widths[4] = { OUTLINE_WIDTH, OUTLINE_WIDTH, OUTLINE_WIDTH, OUTLINE_WIDTH };
            GdkRGBA dim = outline;
            GdkRGBA colors[4];

            /* Fainter than the other two, but still a visible shape. */
            dim.alpha *= 0.55f;
            for (guint j = 0; j < G_N_ELEMENTS (colors); j++)
              colors[j] = dim;
            gtk_snapshot_append_border (snapshot, &rrect, widths, colors);
          }
          break;
        }
    }
}

static void
mp_stage_progress_direction_changed (GtkWidget        *widget,
                                     GtkTextDirection  previous)
{
  gtk_widget_queue_draw (widget);
}

static void
mp_stage_progress_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MpStageProgress *self = MP_STAGE_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_CURRENT_STAGE:
      g_value_set_int (value, self->current_stage);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_stage_progress_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MpStageProgress *self = MP_STAGE_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_CURRENT_STAGE:
      mp_stage_progress_set_current_stage (self, g_value_get_int (value));
      break;

    case PROP_COMPACT:
      mp_stage_progress_set_compact (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_stage_progress_class_init (MpStageProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mp_stage_progress_get_property;
  object_class->set_property = mp_stage_progress_set_property;

  widget_class->measure = mp_stage_progress_measure;
  widget_class->query_tooltip = mp_stage_progress_query_tooltip;
  widget_class->snapshot = mp_stage_progress_snapshot;
  widget_class->direction_changed = mp_stage_progress_direction_changed;

  properties[PROP_CURRENT_STAGE] =
    g_param_spec_int ("current-stage", NULL, NULL,
                      MP_STAGE_NONE, MP_N_STAGES - 1, MP_STAGE_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "stageprogress");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
mp_stage_progress_init (MpStageProgress *self)
{
  self->current_stage = MP_STAGE_NONE;
  for (guint i = 0; i < MP_N_STAGES; i++)
    self->states[i] = MP_STAGE_STATE_NOT_STARTED;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_accessible (self);
}

/* public API */

GtkWidget *
mp_stage_progress_new (void)
{
  return g_object_new (MP_TYPE_STAGE_PROGRESS, NULL);
}

int
mp_stage_progress_get_current_stage (MpStageProgress *self)
{
  g_return_val_if_fail (MP_IS_STAGE_PROGRESS (self), MP_STAGE_NONE);

  return self->current_stage;
}

void
mp_stage_progress_set_current_stage (MpStageProgress *self,
                                     int              current_stage)
{
  MpStageState states[MP_N_STAGES];

  g_return_if_fail (MP_IS_STAGE_PROGRESS (self));
  g_return_if_fail (current_stage >= MP_STAGE_NONE && current_stage < MP_N_STAGES);

  for (int i = 0; i < MP_N_STAGES; i++)
    {
      if (i < current_stage)
        states[i] = MP_STAGE_STATE_DONE;
      else if (i == current_stage)
        states[i] = MP_STAGE_STATE_IN_PROGRESS;
      else
        states[i] = MP_STAGE_STATE_NOT_STARTED;
    }

  set_states_internal (self, states);
}

MpStageState
mp_stage_progress_get_state (MpStageProgress *self,
                             MpStage          stage)
{
  g_return_val_if_fail (MP_IS_STAGE_PROGRESS (self), MP_STAGE_STATE_NOT_STARTED);
  g_return_val_if_fail (stage < MP_N_STAGES, MP_STAGE_STATE_NOT_STARTED);

  return self->states[stage];
}

void
mp_stage_progress_set_states (MpStageProgress    *self,
                              const MpStageState  states[MP_N_STAGES])
{
  g_return_if_fail (MP_IS_STAGE_PROGRESS (self));
  g_return_if_fail (states != NULL);

  set_states_internal (self, states);
}

gboolean
mp_stage_progress_get_compact (MpStageProgress *self)
{
  g_return_val_if_fail (MP_IS_STAGE_PROGRESS (self), FALSE);

  return self->compact;
}

void
mp_stage_progress_set_compact (MpStageProgress *self,
                               gboolean         compact)
{
  g_return_if_fail (MP_IS_STAGE_PROGRESS (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

char *
mp_stage_progress_dup_text (MpStageProgress *self)
{
  int stage;

  g_return_val_if_fail (MP_IS_STAGE_PROGRESS (self), NULL);

  stage = self->current_stage;
  if (stage == MP_STAGE_NONE)
    return g_strdup (_("No stage started"));

  if (self->states[stage] == MP_STAGE_STATE_DONE)
    /* Translators: announced for the stage progress: "Stage 3 of 6, Trials, done" */
    return g_strdup_printf (_("Stage %d of %d, %s, done"), stage + 1, MP_N_STAGES, stage_label (stage));

  /* Translators: announced for the stage progress: "Stage 3 of 6, Trials, in progress" */
  return g_strdup_printf (_("Stage %d of %d, %s, in progress"), stage + 1, MP_N_STAGES, stage_label (stage));
}
