/* mp-section-view.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-section-view.h"

struct _MpSectionView
{
  AdwPreferencesRow  parent_instance;

  /* template widgets */
  GtkLabel          *description_label;
  GtkLabel          *essential_label;
  GtkTextView       *text_view;
  GtkLabel          *title_label;

  /* owned */
  char              *description;
};

G_DEFINE_FINAL_TYPE (MpSectionView, mp_section_view, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  PROP_ESSENTIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static void
update_accessible (MpSectionView *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  g_autofree char *label = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->essential_label)))
    /* Translators: the accessible name of a text field, e.g. "Core (essential)" */
    label = g_strdup_printf (_("%s (essential)"), title);
  else
    label = g_strdup (title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  if (self->description != NULL && *self->description != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* callbacks */

static void
on_title_notify (MpSectionView *self)
{
  gtk_label_set_label (self->title_label, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  update_accessible (self);
}

/* GObject overrides */

static gboolean
mp_section_view_grab_focus (GtkWidget *widget)
{
  MpSectionView *self = MP_SECTION_VIEW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
mp_section_view_finalize (GObject *object)
{
  MpSectionView *self = MP_SECTION_VIEW (object);

  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (mp_section_view_parent_class)->finalize (object);
}

static void
mp_section_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MpSectionView *self = MP_SECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_ESSENTIAL:
      g_value_set_boolean (value, mp_section_view_get_essential (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_section_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MpSectionView *self = MP_SECTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      mp_section_view_set_description (self, g_value_get_string (value));
      break;

    case PROP_ESSENTIAL:
      mp_section_view_set_essential (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_section_view_class_init (MpSectionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mp_section_view_finalize;
  object_class->get_property = mp_section_view_get_property;
  object_class->set_property = mp_section_view_set_property;

  widget_class->grab_focus = mp_section_view_grab_focus;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ESSENTIAL] =
    g_param_spec_boolean ("essential", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-section-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MpSectionView, description_label);
  gtk_widget_class_bind_template_child (widget_class, MpSectionView, essential_label);
  gtk_widget_class_bind_template_child (widget_class, MpSectionView, text_view);
  gtk_widget_class_bind_template_child (widget_class, MpSectionView, title_label);
}

static void
mp_section_view_init (MpSectionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::title", G_CALLBACK (on_title_notify), NULL);
}

/* public API */

GtkWidget *
mp_section_view_new (const char *title,
                     const char *description,
                     gboolean    essential)
{
  return g_object_new (MP_TYPE_SECTION_VIEW,
                       "title", title,
                       "description", description,
                       "essential", essential,
                       NULL);
}

const char *
mp_section_view_get_description (MpSectionView *self)
{
  g_return_val_if_fail (MP_IS_SECTION_VIEW (self), NULL);

  return self->description;
}

void
mp_section_view_set_description (MpSectionView *self,
                                 const char    *description)
{
  g_return_if_fail (MP_IS_SECTION_VIEW (self));

  if (g_strcmp0 (self->description, description) == 0)
    return;

  g_free (self->description);
  self->description = g_strdup (description);

  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && *description != '\0');
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

gboolean
mp_section_view_get_essential (MpSectionView *self)
{
  g_return_val_if_fail (MP_IS_SECTION_VIEW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->essential_label));
}

void
mp_section_view_set_essential (MpSectionView *self,
                               gboolean       essential)
{
  g_return_if_fail (MP_IS_SECTION_VIEW (self));

  essential = !!essential;
  if (mp_section_view_get_essential (self) == essential)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->essential_label), essential);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESSENTIAL]);
}

GtkTextView *
mp_section_view_get_text_view (MpSectionView *self)
{
  g_return_val_if_fail (MP_IS_SECTION_VIEW (self), NULL);

  return self->text_view;
}

void
mp_section_view_set_text (MpSectionView *self,
                          const char    *text)
{
  g_autofree char *current = NULL;
  GtkTextBuffer *buffer;

  g_return_if_fail (MP_IS_SECTION_VIEW (self));

  if (text == NULL)
    text = "";

  current = mp_section_view_dup_text (self);
  if (strcmp (current, text) == 0)
    return;

  buffer = gtk_text_view_get_buffer (self->text_view);
  /* Loading another model's text is not an edit the person could undo. */
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
}

char *
mp_section_view_dup_text (MpSectionView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (MP_IS_SECTION_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
