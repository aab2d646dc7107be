/* mp-model-printer.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mallipaja-core.h"
#include "mp-bar-chart.h"

G_BEGIN_DECLS

#define MP_TYPE_MODEL_PRINTER (mp_model_printer_get_type ())
G_DECLARE_FINAL_TYPE (MpModelPrinter, mp_model_printer, MP, MODEL_PRINTER, GObject)

/* A paginated document laid out with Pango: a model's card, or any
 * sequence of headings, texts and charts (the Overview). The same drawing
 * serves printing (GtkPrintOperation) and "Export as PDF" (cairo). Sizes
 * are in points. */

typedef enum {
  MP_PRINT_TITLE,
  MP_PRINT_LEAD,
  MP_PRINT_HEADING,
  MP_PRINT_SUBHEADING,
  MP_PRINT_BODY,
  MP_PRINT_FACT,     /* Pango markup */
  MP_PRINT_NOTE,
} MpPrintStyle;

MpModelPrinter    *mp_model_printer_new              (const char      *title);
/* Title, basic facts, every filled section, stages with dates,
 * characteristics, links and lineage (from @store, optional). */
MpModelPrinter    *mp_model_printer_new_for_model    (MpModel         *model,
                                                      MpStore         *store);
void               mp_model_printer_add_text         (MpModelPrinter  *self,
                                                      MpPrintStyle     style,
                                                      const char      *text);
void               mp_model_printer_add_chart        (MpModelPrinter  *self,
                                                      MpBarChart      *chart);

/* Lays the document out on pages of @width × @height (margins included);
 * returns the number of pages. */
guint              mp_model_printer_paginate         (MpModelPrinter  *self,
                                                      PangoContext    *context,
                                                      double           width,
                                                      double           height);
guint              mp_model_printer_get_n_pages      (MpModelPrinter  *self);
void               mp_model_printer_draw_page        (MpModelPrinter  *self,
                                                      cairo_t         *cr,
                                                      guint            page);

/* A4 PDF. */
gboolean           mp_model_printer_export_pdf       (MpModelPrinter  *self,
                                                      const char      *path,
                                                      GError         **error);
/* A print operation that paginates and draws this document. */
GtkPrintOperation *mp_model_printer_create_operation (MpModelPrinter  *self);

G_END_DECLS
