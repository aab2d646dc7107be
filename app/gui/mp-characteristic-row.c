/* mp-characteristic-row.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mp-characteristic-row.h"

/* The size of the review the shares come from (domain.md). */
#define REVIEWED_MODELS 52

struct _MpCharacteristicRow
{
  AdwExpanderRow  parent_instance;

  /* template widgets */
  GtkSwitch      *has_switch;
  AdwEntryRow    *justification_row;

  /* owned */
  MpModel        *model;

  guint           index;
  guint           loading : 1;
};

G_DEFINE_FINAL_TYPE (MpCharacteristicRow, mp_characteristic_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_INDEX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* private helpers */

static const MpTerm *
get_term (guint index)
{
  const MpTerm *terms;
  guint n_terms = 0;

  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  if (terms == NULL || index >= n_terms)
    return NULL;

  return &terms[index];
}

static void
write_model (MpCharacteristicRow *self)
{
  if (self->loading || self->model == NULL)
    return;

  mp_model_set_characteristic (self->model, self->index,
                               gtk_switch_get_active (self->has_switch),
                               gtk_editable_get_text (GTK_EDITABLE (self->justification_row)));
}

/* callbacks */

static void
on_has_notify (MpCharacteristicRow *self)
{
  write_model (self);
}

static void
on_justification_changed (MpCharacteristicRow *self)
{
  write_model (self);
}

/* GObject overrides */

static void
mp_characteristic_row_constructed (GObject *object)
{
  MpCharacteristicRow *self = MP_CHARACTERISTIC_ROW (object);
  const MpTerm *term = get_term (self->index);
  g_autofree char *share = NULL;
  const char *label;

  G_OBJECT_CLASS (mp_characteristic_row_parent_class)->constructed (object);

  if (term == NULL)
    return;

  label = mp_term_get_label (term, NULL);
  share = mp_characteristic_share_text (term);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), label);
  if (share != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), share);

  /* The focus can land on the expander row itself, which libadwaita 1.2
   * leaves unnamed */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->has_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("The model has this characteristic"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->justification_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
}

static void
mp_characteristic_row_dispose (GObject *object)
{
  MpCharacteristicRow *self = MP_CHARACTERISTIC_ROW (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (mp_characteristic_row_parent_class)->dispose (object);
}

static void
mp_characteristic_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MpCharacteristicRow *self = MP_CHARACTERISTIC_ROW (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_characteristic_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MpCharacteristicRow *self = MP_CHARACTERISTIC_ROW (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_characteristic_row_class_init (MpCharacteristicRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_characteristic_row_constructed;
  object_class->dispose = mp_characteristic_row_dispose;
  object_class->get_property = mp_characteristic_row_get_property;
  object_class->set_property = mp_characteristic_row_set_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL,
                       0, MP_N_CHARACTERISTICS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-characteristic-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MpCharacteristicRow, has_switch);
  gtk_widget_class_bind_template_child (widget_class, MpCharacteristicRow, justification_row);
  gtk_widget_class_bind_template_callback (widget_class, on_has_notify);
  gtk_widget_class_bind_template_callback (widget_class, on_justification_changed);
}

static void
mp_characteristic_row_init (MpCharacteristicRow *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}

/* public API */

GtkWidget *
mp_characteristic_row_new (guint index)
{
  g_return_val_if_fail (index < MP_N_CHARACTERISTICS, NULL);

  return g_object_new (MP_TYPE_CHARACTERISTIC_ROW, "index", index, NULL);
}

guint
mp_characteristic_row_get_index (MpCharacteristicRow *self)
{
  g_return_val_if_fail (MP_IS_CHARACTERISTIC_ROW (self), 0);

  return self->index;
}

void
mp_characteristic_row_set_model (MpCharacteristicRow *self,
                                 MpModel             *model)
{
  g_return_if_fail (MP_IS_CHARACTERISTIC_ROW (self));
  g_return_if_fail (model == NULL || MP_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  mp_characteristic_row_reload (self);
}

void
mp_characteristic_row_reload (MpCharacteristicRow *self)
{
  const char *justification = NULL;
  gboolean has = FALSE;

  g_return_if_fail (MP_IS_CHARACTERISTIC_ROW (self));

  if (self->model != NULL)
    has = mp_model_get_characteristic (self->model, self->index, &justification);
  if (justification == NULL)
    justification = "";

  self->loading = TRUE;
  if (gtk_switch_get_active (self->has_switch) != has)
    gtk_switch_set_active (self->has_switch, has);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->justification_row)), justification) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->justification_row), justification);
  self->loading = FALSE;
}

GtkSwitch *
mp_characteristic_row_get_switch (MpCharacteristicRow *self)
{
  g_return_val_if_fail (MP_IS_CHARACTERISTIC_ROW (self), NULL);

  return self->has_switch;
}

GtkEditable *
mp_characteristic_row_get_justification_entry (MpCharacteristicRow *self)
{
  g_return_val_if_fail (MP_IS_CHARACTERISTIC_ROW (self), NULL);

  return GTK_EDITABLE (self->justification_row);
}

char *
mp_characteristic_share_text (const MpTerm *term)
{
  g_return_val_if_fail (term != NULL, NULL);

  if (term->share < 0)
    return NULL;

  /* Translators: the share of reviewed models that had a characteristic,
   * "91 % of 52 reviewed child-protection models"; keep “%%” for the
   * per cent sign and the spacing your language uses before it */
  return g_strdup_printf (_("%d %% of %d reviewed child-protection models"), term->share, REVIEWED_MODELS);
}
