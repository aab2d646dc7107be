/* mp-model-printer.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>

#include "mp-model-printer.h"

/* A4 in points, and a margin of 2 cm */
#define A4_WIDTH   595.276
#define A4_HEIGHT  841.890
#define MARGIN     56.7
#define FOOTER_GAP 22.0

typedef struct {
  MpPrintStyle  style;
  char         *text;
  MpBarChart   *chart;
} Block;

/* One line of a laid-out block on a page, or a chart */
typedef struct {
  PangoLayout     *layout;
  PangoLayoutLine *line;
  MpBarChart      *chart;
  double           x;
  double           y;       /* the baseline for a line, the top for a chart */
  double           width;
} Placed;

struct _MpModelPrinter
{
  GObject    parent_instance;

  /* owned references */
  char      *title;
  GArray    *blocks;  /* Block */
  GPtrArray *pages;   /* GArray of Placed */
  PangoContext *context;
  double     page_width;
  double     page_height;
};

G_DEFINE_FINAL_TYPE (MpModelPrinter, mp_model_printer, G_TYPE_OBJECT)

static const GdkRGBA text_color = { 0.0, 0.0, 0.0, 1.0 };
static const GdkRGBA bar_color = { 0.21, 0.52, 0.89, 1.0 };  /* Adwaita's blue 3 */

/* private helpers */

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_free (block->text);
  g_clear_object (&block->chart);
}

static void
placed_clear (gpointer data)
{
  Placed *placed = data;

  g_clear_object (&placed->layout);
  g_clear_pointer (&placed->line, pango_layout_line_unref);
  g_clear_object (&placed->chart);
}

static GArray *
new_page (GPtrArray *pages)
{
  GArray *page = g_array_new (FALSE, TRUE, sizeof (Placed));

  g_array_set_clear_func (page, placed_clear);
  g_ptr_array_add (pages, page);
  return page;
}

static const char *
style_font (MpPrintStyle style)
{
  switch (style)
    {
    case MP_PRINT_TITLE:      return "Sans Bold 20";
    case MP_PRINT_LEAD:       return "Sans Italic 11.5";
    case MP_PRINT_HEADING:    return "Sans Bold 13.5";
    case MP_PRINT_SUBHEADING: return "Sans Bold 10.5";
    case MP_PRINT_NOTE:       return "Sans 9";
    case MP_PRINT_BODY:
    case MP_PRINT_FACT:
    default:                  return "Sans 10.5";
    }
}

static double
style_space_before (MpPrintStyle style)
{
  switch (style)
    {
    case MP_PRINT_TITLE:      return 0;
    case MP_PRINT_LEAD:       return 8;
    case MP_PRINT_HEADING:    return 18;
    case MP_PRINT_SUBHEADING: return 8;
    case MP_PRINT_NOTE:       return 2;
    case MP_PRINT_FACT:       return 3;
    case MP_PRINT_BODY:
    default:                  return 5;
    }
}

static double
style_indent (MpPrintStyle style)
{
  return style == MP_PRINT_NOTE ? 14 : 0;
}

static void
add_fact (MpModelPrinter *self,
          const char     *label,
          const char     *value)
{
  g_autofree char *escaped_label = NULL;
  g_autofree char *escaped_value = NULL;
  g_autofree char *markup = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped_label = g_markup_escape_text (label, -1);
  escaped_value = g_markup_escape_text (value, -1);
  /* Translators: a fact on a printed model: "<b>Label:</b> value" */
  markup = g_strdup_printf (_("<b>%s:</b> %s"), escaped_label, escaped_value);
  mp_model_printer_add_text (self, MP_PRINT_FACT, markup);
}

static char *
join_labels (const char * const *keys,
             int                 taxonomy)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    g_ptr_array_add (labels, (gpointer) (taxonomy >= 0 ? mp_taxonomy_label (taxonomy, keys[i]) : keys[i]));
  g_ptr_array_add (labels, NULL);

  return g_strjoinv (", ", (char **) labels->pdata);
}

static char *
format_date (gint64 time)
{
  g_autoptr(GDateTime) utc = time > 0 ? g_date_time_new_from_unix_utc (time) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
}

static void
add_stages (MpModelPrinter *self,
            MpModel        *model)
{
  gboolean any = FALSE;

  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      MpStageState state = mp_model_get_stage_state (model, stage);
      const char *started = mp_model_get_stage_started (model, stage);
      const char *finished = mp_model_get_stage_finished (model, stage);
      const char *notes = mp_model_get_stage_notes (model, stage);
      g_autofree char *dates = NULL;
      g_autofree char *line = NULL;
      g_autofree char *escaped = NULL;

      if (state == MP_STAGE_STATE_NOT_STARTED && *started == '\0' && *finished == '\0' && *notes == '\0')
        continue;

      if (!any)
        mp_model_printer_add_text (self, MP_PRINT_HEADING, _("Stages"));
      any = TRUE;

      if (*started != '\0' && *finished != '\0')
        /* Translators: a date range, "2024-01-10 – 2024-03-01" */
        dates = g_strdup_printf (_("%s – %s"), started, finished);
      else if (*started != '\0')
        /* Translators: a stage's start date */
        dates = g_strdup_printf (_("from %s"), started);
      else if (*finished != '\0')
        /* Translators: a stage's end date */
        dates = g_strdup_printf (_("until %s"), finished);

      escaped = g_markup_escape_text (mp_taxonomy_label (MP_TAXONOMY_STAGE, mp_stage_key (stage)), -1);
      if (dates != NULL)
        /* Translators: a stage on a printed model: name, state and dates */
        line = g_strdup_printf (_("<b>%s</b> — %s, %s"), escaped,
                                mp_taxonomy_label (MP_TAXONOMY_STAGE_STATE, mp_stage_state_key (state)), dates);
      else
        /* Translators: a stage on a printed model: name and state */
        line = g_strdup_printf (_("<b>%s</b> — %s"), escaped,
                                mp_taxonomy_label (MP_TAXONOMY_STAGE_STATE, mp_stage_state_key (state)));
      mp_model_printer_add_text (self, MP_PRINT_FACT, line);
      if (*notes != '\0')
        mp_model_printer_add_text (self, MP_PRINT_NOTE, notes);
    }
}

static void
add_characteristics (MpModelPrinter *self,
                     MpModel        *model)
{
  const MpTerm *terms;
  guint n_terms = 0;
  gboolean any = FALSE;

  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, &n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      const char *justification = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *line = NULL;

      if (!mp_model_get_characteristic (model, i, &justification))
        continue;
      if (!any)
        mp_model_printer_add_text (self, MP_PRINT_HEADING, _("Characteristics"));
      any = TRUE;

      escaped = g_markup_escape_text (mp_term_get_label (&terms[i], NULL), -1);
      line = g_strdup_printf ("✓ <b>%s</b>", escaped);
      mp_model_printer_add_text (self, MP_PRINT_FACT, line);
      if (justification != NULL && *justification != '\0')
        mp_model_printer_add_text (self, MP_PRINT_NOTE, justification);
    }
}

static void
add_lineage (MpModelPrinter *self,
             MpModel        *model,
             MpStore        *store)
{
  const char *based_on = mp_model_get_based_on_id (model);
  g_autoptr(GPtrArray) derived = NULL;

  if (store != NULL)
    derived = mp_store_list_derived (store, mp_model_get_id (model), NULL);

  if (based_on == NULL && (derived == NULL || derived->len == 0))
    return;

  mp_model_printer_add_text (self, MP_PRINT_HEADING, _("Lineage"));
  if (based_on != NULL)
    {
      g_autoptr(MpModelSummary) summary = store != NULL ? mp_store_get_summary_by_id (store, based_on) : NULL;
      g_autofree char *value = NULL;
      /* formatted apart: xgettext cannot read a G_GINT64_FORMAT inside _() */
      g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   mp_model_get_based_on_revision (model));

      /* Translators: the model this one is based on: its title (or id) and
       * the revision it was taken from */
      value = g_strdup_printf (_("%s (revision %s)"),
                               summary != NULL ? mp_model_summary_get_title (summary) : based_on,
                               revision);
      add_fact (self, _("Based on"), value);
    }

  if (derived != NULL && derived->len > 0)
    {
      g_autoptr(GPtrArray) titles = g_ptr_array_new ();
      g_autofree char *value = NULL;

      for (guint i = 0; i < derived->len; i++)
        g_ptr_array_add (titles, (gpointer) mp_model_summary_get_title (g_ptr_array_index (derived, i)));
      g_ptr_array_add (titles, NULL);
      value = g_strjoinv (", ", (char **) titles->pdata);
      add_fact (self, _("Models based on this one"), value);
    }
}

static PangoLayout *
block_layout (Block        *block,
              PangoContext *context,
              double        width)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (style_font (block->style));
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((width - style_indent (block->style)) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (block->style == MP_PRINT_FACT)
    pango_layout_set_markup (layout, block->text, -1);
  else
    pango_layout_set_text (layout, block->text, -1);
  return layout;
}

static double
chart_height (Block        *block,
              PangoContext *context,
              double        width)
{
  g_autoptr(PangoFontDescription) chart_font = pango_font_description_from_string ("Sans 9");

  pango_context_set_font_description (context, chart_font);
  return mp_bar_chart_measure (block->chart, context, width);
}

static double
block_height (Block        *block,
              PangoContext *context,
              double        width)
{
  g_autoptr(PangoLayout) layout = NULL;
  int height;

  if (block->chart != NULL)
    return chart_height (block, context, width);

  layout = block_layout (block, context, width);
  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* What must stay on the page with the heading at @index: the texts up to
 * and including its chart, or else three lines of what follows. */
static double
keep_with_heading (MpModelPrinter *self,
                   guint           index,
                   PangoContext   *context,
                   double          width)
{
  double keep = 0;

  for (guint i = index; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);

      if (i > index && block->style == MP_PRINT_HEADING)
        break;
      keep += block_height (block, context, width) + (i > index ? style_space_before (block->style) : 0);
      if (block->chart != NULL)
        return keep;
    }

  return block_height (&g_array_index (self->blocks, Block, index), context, width) + 3 * 14;
}

/* GObject overrides */

static void
mp_model_printer_finalize (GObject *object)
{
  MpModelPrinter *self = MP_MODEL_PRINTER (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (mp_model_printer_parent_class)->finalize (object);
}

static void
mp_model_printer_class_init (MpModelPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mp_model_printer_finalize;
}

static void
mp_model_printer_init (MpModelPrinter *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

/* callbacks */

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                MpModelPrinter    *self)
{
  PangoContext *pango_context = gtk_print_context_create_pango_context (context);
  guint n_pages;

  n_pages = mp_model_printer_paginate (self, pango_context,
                                       gtk_print_context_get_width (context),
                                       gtk_print_context_get_height (context));
  g_object_unref (pango_context);
  gtk_print_operation_set_n_pages (operation, MAX (n_pages, 1));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              MpModelPrinter    *self)
{
  mp_model_printer_draw_page (self, gtk_print_context_get_cairo_context (context), (guint) page);
}

/* public API */

MpModelPrinter *
mp_model_printer_new (const char *title)
{
  MpModelPrinter *self = g_object_new (MP_TYPE_MODEL_PRINTER, NULL);

  self->title = g_strdup (title != NULL ? title : "");
  return self;
}

/**
 * mp_model_printer_new_for_model:
 * @model: the model to print
 * @store: (nullable): the bank, for the titles of related models
 *
 * Returns: (transfer full): a printer holding the model's card
 */
MpModelPrinter *
mp_model_printer_new_for_model (MpModel *model,
                                MpStore *store)
{
  static const MpList fact_lists[] = {
    MP_LIST_AUTHORS, MP_LIST_REGIONS, MP_LIST_FUNDERS, MP_LIST_THEMES, MP_LIST_TARGET_GROUPS,
  };
  MpModelPrinter *self;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;

  g_return_val_if_fail (MP_IS_MODEL (model), NULL);
  g_return_val_if_fail (store == NULL || MP_IS_STORE (store), NULL);

  self = mp_model_printer_new (mp_model_get_text (model, MP_TEXT_TITLE));
  mp_model_printer_add_text (self, MP_PRINT_TITLE, mp_model_get_text (model, MP_TEXT_TITLE));
  if (*mp_model_get_text (model, MP_TEXT_SUMMARY) != '\0')
    mp_model_printer_add_text (self, MP_PRINT_LEAD, mp_model_get_text (model, MP_TEXT_SUMMARY));

  /* The basic information, in the platform's order */
  add_fact (self, mp_text_label (MP_TEXT_PLACE), mp_model_get_text (model, MP_TEXT_PLACE));
  add_fact (self, mp_text_label (MP_TEXT_ORGANISATION), mp_model_get_text (model, MP_TEXT_ORGANISATION));
  add_fact (self, mp_text_label (MP_TEXT_COLLECTION), mp_model_get_text (model, MP_TEXT_COLLECTION));
  for (guint i = 0; i < G_N_ELEMENTS (fact_lists); i++)
    {
      int taxonomy = fact_lists[i] == MP_LIST_REGIONS ? MP_TAXONOMY_REGION :
                     fact_lists[i] == MP_LIST_THEMES ? MP_TAXONOMY_THEME :
                     fact_lists[i] == MP_LIST_TARGET_GROUPS ? MP_TAXONOMY_TARGET_GROUP : -1;
      g_autofree char *value = join_labels (mp_model_get_list (model, fact_lists[i]), taxonomy);

      add_fact (self, mp_list_label (fact_lists[i]), value);
    }
  created = format_date (mp_model_get_created (model));
  modified = format_date (mp_model_get_modified (model));
  add_fact (self, _("Created"), created);
  add_fact (self, _("Last modified"), modified);

  for (MpText text = MP_TEXT_FIRST_LONG; text < MP_N_TEXTS; text++)
    {
      const char *value = mp_model_get_text (model, text);

      if (*value == '\0')
        continue;
      mp_model_printer_add_text (self, MP_PRINT_HEADING, mp_text_label (text));
      mp_model_printer_add_text (self, MP_PRINT_BODY, value);
    }

  add_stages (self, model);
  add_characteristics (self, model);

  if (mp_model_get_n_links (model) > 0)
    {
      mp_model_printer_add_text (self, MP_PRINT_HEADING, _("Links"));
      for (guint i = 0; i < mp_model_get_n_links (model); i++)
        {
          const char *title, *url;
          g_autofree char *line = NULL;

          mp_model_get_link (model, i, &title, &url);
          line = *title != '\0' ? g_strdup_printf ("%s — %s", title, url) : g_strdup (url);
          mp_model_printer_add_text (self, MP_PRINT_BODY, line);
        }
    }

  add_lineage (self, model, store);

  return self;
}

void
mp_model_printer_add_text (MpModelPrinter *self,
                           MpPrintStyle    style,
                           const char     *text)
{
  Block block = { 0 };

  g_return_if_fail (MP_IS_MODEL_PRINTER (self));
  g_return_if_fail (text != NULL);

  block.style = style;
  block.text = g_strdup (text);
  g_array_append_val (self->blocks, block);
}

void
mp_model_printer_add_chart (MpModelPrinter *self,
                            MpBarChart     *chart)
{
  Block block = { 0 };

  g_return_if_fail (MP_IS_MODEL_PRINTER (self));
  g_return_if_fail (MP_IS_BAR_CHART (chart));

  block.style = MP_PRINT_BODY;
  block.chart = g_object_ref (chart);
  g_array_append_val (self->blocks, block);
}

/**
 * mp_model_printer_paginate:
 * @self: a printer
 * @context: lays out the text; its resolution makes font points user units
 * @width: the page's width
 * @height: the page's height
 *
 * Lines break across pages; a heading never ends a page.
 *
 * Returns: the number of pages
 */
guint
mp_model_printer_paginate (MpModelPrinter *self,
                           PangoContext   *context,
                           double          width,
                           double          height)
{
  double content_width = width - 2 * MARGIN;
  double bottom = height - MARGIN - FOOTER_GAP;
  double y = MARGIN;
  GArray *page;

  g_return_val_if_fail (MP_IS_MODEL_PRINTER (self), 0);

  g_set_object (&self->context, context);
  self->page_width = width;
  self->page_height = height;
  g_ptr_array_set_size (self->pages, 0);
  page = new_page (self->pages);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      g_autoptr(PangoLayout) layout = NULL;
      PangoLayoutIter *iter;
      double indent = style_indent (block->style);

      if (page->len > 0)
        y += block->chart != NULL ? 8 : style_space_before (block->style);

      if (block->chart != NULL)
        {
          double height_of_chart = chart_height (block, context, content_width);
          Placed placed = { 0 };

          if (y + height_of_chart > bottom && page->len > 0)
            {
              page = new_page (self->pages);
              y = MARGIN;
            }
          placed.chart = g_object_ref (block->chart);
          placed.x = MARGIN;
          placed.y = y;
          placed.width = content_width;
          g_array_append_val (page, placed);
          y += height_of_chart;
          continue;
        }

      layout = block_layout (block, context, content_width);

      /* A heading never ends a page, nor leaves its chart */
      if ((block->style == MP_PRINT_HEADING || block->style == MP_PRINT_SUBHEADING) && page->len > 0)
        {
          double keep = keep_with_heading (self, i, context, content_width);

          if (keep > bottom - MARGIN)
            keep = block_height (block, context, content_width) + 3 * 14;
          if (y + keep > bottom)
            {
              page = new_page (self->pages);
              y = MARGIN;
            }
        }

      iter = pango_layout_get_iter (layout);
      do
        {
          PangoRectangle logical;
          double line_height, baseline;
          Placed placed = { 0 };

          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          line_height = (double) logical.height / PANGO_SCALE;
          baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;

          if (y + line_height > bottom && page->len > 0)
            {
              page = new_page (self->pages);
              y = MARGIN;
            }

          placed.layout = g_object_ref (layout);
          placed.line = pango_layout_line_ref (pango_layout_iter_get_line_readonly (iter));
          placed.x = MARGIN + indent + (double) logical.x / PANGO_SCALE;
          placed.y = y + baseline;
          g_array_append_val (page, placed);
          y += line_height;
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
    }

  return self->pages->len;
}

guint
mp_model_printer_get_n_pages (MpModelPrinter *self)
{
  g_return_val_if_fail (MP_IS_MODEL_PRINTER (self), 0);

  return self->pages->len;
}

void
mp_model_printer_draw_page (MpModelPrinter *self,
                            cairo_t        *cr,
                            guint           page_number)
{
  g_autoptr(PangoLayout) footer = NULL;
  g_autoptr(PangoFontDescription) footer_font = NULL;
  g_autofree char *footer_text = NULL;
  GArray *page;
  int footer_width;

  g_return_if_fail (MP_IS_MODEL_PRINTER (self));
  g_return_if_fail (page_number < self->pages->len);

  page = g_ptr_array_index (self->pages, page_number);
  for (guint i = 0; i < page->len; i++)
    {
      Placed *placed = &g_array_index (page, Placed, i);

      if (placed->chart != NULL)
        {
          cairo_save (cr);
          cairo_translate (cr, placed->x, placed->y);
          mp_bar_chart_draw (placed->chart, cr, self->context, placed->width, &text_color, &bar_color, &text_color);
          cairo_restore (cr);
          continue;
        }

      gdk_cairo_set_source_rgba (cr, &text_color);
      cairo_move_to (cr, placed->x, placed->y);
      pango_cairo_show_layout_line (cr, placed->line);
    }

  /* The footer names the document, so that loose pages find their way back */
  footer = pango_layout_new (self->context);
  footer_font = pango_font_description_from_string ("Sans 8");
  pango_layout_set_font_description (footer, footer_font);
  /* Translators: the footer of a printed page: title, page number, pages */
  footer_text = g_strdup_printf (_("%s · Page %u of %u"), self->title, page_number + 1, self->pages->len);
  pango_layout_set_text (footer, footer_text, -1);
  pango_layout_set_width (footer, (int) ((self->page_width - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_ellipsize (footer, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_get_pixel_size (footer, &footer_width, NULL);
  cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 1.0);
  cairo_move_to (cr, self->page_width - MARGIN - footer_width, self->page_height - MARGIN);
  pango_cairo_show_layout (cr, footer);
}

/**
 * mp_model_printer_export_pdf:
 * @self: a printer
 * @path: the file to write
 * @error: a place for an error
 *
 * Returns: whether the PDF was written
 */
gboolean
mp_model_printer_export_pdf (MpModelPrinter  *self,
                             const char      *path,
                             GError         **error)
{
  PangoContext *context;
  PangoFontMap *font_map;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (MP_IS_MODEL_PRINTER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mallipaja " PACKAGE_VERSION);
  cr = cairo_create (surface);

  /* Points as user units: a 10.5-point font is 10.5 units high. Hinting
   * is for screens; off, the PDF lays out the same at any zoom. */
  font_map = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (font_map);
  pango_cairo_context_set_resolution (context, 72);
  {
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options (context, options);
    cairo_font_options_destroy (options);
  }

  mp_model_printer_paginate (self, context, A4_WIDTH, A4_HEIGHT);
  g_object_unref (context);
  g_object_unref (font_map);
  for (guint i = 0; i < self->pages->len; i++)
    {
      mp_model_printer_draw_page (self, cr, i);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *display_name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The PDF “%s” could not be written: %s"), display_name, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/**
 * mp_model_printer_create_operation:
 * @self: a printer
 *
 * Returns: (transfer full): a print operation for the document
 */
GtkPrintOperation *
mp_model_printer_create_operation (MpModelPrinter *self)
{
  GtkPrintOperation *operation;

  g_return_val_if_fail (MP_IS_MODEL_PRINTER (self), NULL);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, self->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (on_begin_print), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page), self, 0);

  return operation;
}
