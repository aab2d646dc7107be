/* mp-characteristic-row.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mallipaja-core.h"

G_BEGIN_DECLS

#define MP_TYPE_CHARACTERISTIC_ROW (mp_characteristic_row_get_type ())
G_DECLARE_FINAL_TYPE (MpCharacteristicRow, mp_characteristic_row, MP, CHARACTERISTIC_ROW, AdwExpanderRow)

/* Whether a model has one of the 16 characteristics of a social
 * innovation, with a short justification; shows the share found in the
 * review of 52 child-protection models next to it. */

GtkWidget   *mp_characteristic_row_new                     (guint                index);
guint        mp_characteristic_row_get_index               (MpCharacteristicRow *self);
void         mp_characteristic_row_set_model               (MpCharacteristicRow *self,
                                                            MpModel             *model);
void         mp_characteristic_row_reload                  (MpCharacteristicRow *self);
GtkSwitch   *mp_characteristic_row_get_switch              (MpCharacteristicRow *self);
GtkEditable *mp_characteristic_row_get_justification_entry (MpCharacteristicRow *self);
/* "91 % of 52 reviewed child-protection models", or NULL when the review
 * gave no share; free with g_free(). */
char        *mp_characteristic_share_text                  (const MpTerm        *term);

G_END_DECLS
