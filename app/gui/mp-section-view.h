/* mp-section-view.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MP_TYPE_SECTION_VIEW (mp_section_view_get_type ())
G_DECLARE_FINAL_TYPE (MpSectionView, mp_section_view, MP, SECTION_VIEW, AdwPreferencesRow)

/* A row for one long text: its title, an optional description, an
 * "Essential" mark and a multi-line text view. Properties: "description"
 * (string), "essential" (boolean); the title is AdwPreferencesRow:title. */

GtkWidget   *mp_section_view_new             (const char    *title,
                                              const char    *description,
                                              gboolean       essential);
const char  *mp_section_view_get_description (MpSectionView *self);
void         mp_section_view_set_description (MpSectionView *self,
                                              const char    *description);
gboolean     mp_section_view_get_essential   (MpSectionView *self);
void         mp_section_view_set_essential   (MpSectionView *self,
                                              gboolean       essential);
GtkTextView *mp_section_view_get_text_view   (MpSectionView *self);
/* Replaces the text only when it differs, so that the undo history and
 * the cursor survive a reload of the same content. */
void         mp_section_view_set_text        (MpSectionView *self,
                                              const char    *text);
char        *mp_section_view_dup_text        (MpSectionView *self);

G_END_DECLS
