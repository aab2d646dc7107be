/* test-model-printer.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "mp-core-resources.h"
#include "mp-model-printer.h"

#define PDFTOTEXT "/usr/bin/pdftotext"
#define PDFINFO   "/usr/bin/pdfinfo"

/* helpers */

static GPtrArray *
sample_models (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *models;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (mp_core_get_resource (), "/io/github/mallipaja/Mallipaja/core/sample-bank.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  models = mp_models_from_data (data, size, &error);
  g_assert_no_error (error);
  return models;
}

static char *
normalise_space (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r\f", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
have_poppler (void)
{
  if (g_file_test (PDFTOTEXT, G_FILE_TEST_IS_EXECUTABLE) && g_file_test (PDFINFO, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_skip ("poppler-utils (pdftotext, pdfinfo) is not installed");
  return FALSE;
}

static guint
pdf_pages (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { PDFINFO, path, NULL };
  const char *pages;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pages = strstr (out, "Pages:");
  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:"), NULL, 10);
}

/* The text of the PDF without the footers, its whitespace collapsed */
static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { PDFTOTEXT, "-raw", "-enc", "UTF-8", path, "-", NULL };
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  lines = g_strsplit_set (out, "\n\f", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], " · Page ") != NULL)
        continue;
      g_string_append (body, lines[i]);
      /* A line that ends in a hyphen broke after it ("Neuvola-|asetus") */
      if (!g_str_has_suffix (lines[i], "-"))
        g_string_append_c (body, '\n');
    }

  return normalise_space (body->str);
}

static void
assert_contains (const char *text,
                 const char *expected)
{
  g_autofree char *normalised = normalise_space (expected);

  if (strstr (text, normalised) == NULL)
    g_error ("The PDF lacks “%s”", normalised);
}

/* tests */

static void
test_sample_model (void)
{
  g_autoptr(GPtrArray) models = sample_models ();
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  MpModel *model;
  const MpTerm *terms;

  if (!have_poppler ())
    return;

  /* The first sample model fills every section */
  model = g_ptr_array_index (models, 0);
  for (MpText field = MP_TEXT_FIRST_LONG; field < MP_N_TEXTS; field++)
    g_assert_cmpstr (mp_model_get_text (model, field), !=, "");

  dir = g_dir_make_tmp ("mallipaja-printer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "model.pdf", NULL);
  printer = mp_model_printer_new_for_model (model, NULL);
  mp_model_printer_export_pdf (printer, path, &error);
  g_assert_no_error (error);

  /* About 7,000 characters of sections and the facts: more than one A4
   * page, and every page the printer laid out is in the file */
  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), >=, 2);
  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), <=, 6);
  g_assert_cmpuint (pdf_pages (path), ==, mp_model_printer_get_n_pages (printer));

  text = pdf_text (path);
  assert_contains (text, mp_model_get_text (model, MP_TEXT_TITLE));
  assert_contains (text, mp_model_get_text (model, MP_TEXT_SUMMARY));
  for (MpText field = MP_TEXT_FIRST_LONG; field < MP_N_TEXTS; field++)
    {
      assert_contains (text, mp_text_label (field));
      assert_contains (text, mp_model_get_text (model, field));
    }

  /* Stages with dates, and the characteristics the model has */
  for (MpStage stage = 0; stage < MP_N_STAGES; stage++)
    {
      if (*mp_model_get_stage_started (model, stage) != '\0')
        assert_contains (text, mp_model_get_stage_started (model, stage));
      if (*mp_model_get_stage_notes (model, stage) != '\0')
        assert_contains (text, mp_model_get_stage_notes (model, stage));
    }
  terms = mp_taxonomy_terms (MP_TAXONOMY_CHARACTERISTIC, NULL);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    if (mp_model_get_characteristic (model, i, NULL))
      assert_contains (text, terms[i].en);

  g_remove (path);
  g_rmdir (dir);
}

/* Empty sections are left out; a short model is one page */
static void
test_short_model (void)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;

  mp_model_set_text (model, MP_TEXT_TITLE, "Kuulumispiirit");
  mp_model_set_text (model, MP_TEXT_CORE, "Puhelinryhmä kokoontuu viikoittain.");
  mp_model_set_stage_state (model, MP_STAGE_NEED, MP_STAGE_STATE_DONE);
  mp_model_set_stage_started (model, MP_STAGE_NEED, "2024-01-10");
  mp_model_set_stage_finished (model, MP_STAGE_NEED, "2024-03-01");

  dir = g_dir_make_tmp ("mallipaja-printer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "model.pdf", NULL);
  printer = mp_model_printer_new_for_model (model, NULL);
  mp_model_printer_export_pdf (printer, path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), ==, 1);
  g_assert_cmpuint (pdf_pages (path), ==, 1);
  text = pdf_text (path);
  assert_contains (text, "Kuulumispiirit");
  assert_contains (text, mp_text_label (MP_TEXT_CORE));
  assert_contains (text, "Puhelinryhmä kokoontuu viikoittain.");
  assert_contains (text, "2024-01-10 – 2024-03-01");
  g_assert_null (strstr (text, mp_text_label (MP_TEXT_BASIC_IDEA)));
  g_assert_null (strstr (text, mp_text_label (MP_TEXT_LESSONS)));

  g_remove (path);
  g_rmdir (dir);
}

/* A long text breaks across pages, none lost */
static void
test_long_text (void)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (long_text, "Kappale %u: perheet ja ammattilaiset kehittävät yhdessä.\n\n", i);
  mp_model_set_text (model, MP_TEXT_TITLE, "Pitkä malli");
  mp_model_set_text (model, MP_TEXT_BASIC_IDEA, long_text->str);

  dir = g_dir_make_tmp ("mallipaja-printer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "model.pdf", NULL);
  printer = mp_model_printer_new_for_model (model, NULL);
  mp_model_printer_export_pdf (printer, path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), >=, 5);
  g_assert_cmpuint (pdf_pages (path), ==, mp_model_printer_get_n_pages (printer));
  text = pdf_text (path);
  assert_contains (text, long_text->str);

  g_remove (path);
  g_rmdir (dir);
}

/* Printing runs the same layout through GtkPrintOperation; its export
 * writes what a printer would get */
static void
test_print_operation (void)
{
  g_autoptr(GPtrArray) models = sample_models ();
  g_autoptr(MpModelPrinter) printer = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  MpModel *model = g_ptr_array_index (models, 1);
  GtkPrintOperationResult result;

  if (!have_poppler ())
    return;

  dir = g_dir_make_tmp ("mallipaja-printer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "printed.pdf", NULL);
  printer = mp_model_printer_new_for_model (model, NULL);
  operation = mp_model_printer_create_operation (printer);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);

  g_assert_cmpuint (mp_model_printer_get_n_pages (printer), >=, 2);
  g_assert_cmpuint (pdf_pages (path), ==, mp_model_printer_get_n_pages (printer));
  text = pdf_text (path);
  assert_contains (text, mp_model_get_text (model, MP_TEXT_TITLE));
  for (MpText field = MP_TEXT_FIRST_LONG; field < MP_N_TEXTS; field++)
    assert_contains (text, mp_model_get_text (model, field));

  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-printer/sample-model", test_sample_model);
  g_test_add_func ("/model-printer/short-model", test_short_model);
  g_test_add_func ("/model-printer/long-text", test_long_text);
  g_test_add_func ("/model-printer/print-operation", test_print_operation);

  return g_test_run ();
}
