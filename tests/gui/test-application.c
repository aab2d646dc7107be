/* test-application.c — the command line, run as the real executable
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "mallipaja-core.h"

typedef struct {
  char *data_home;
  char *bank_path;
} Fixture;

typedef struct {
  char *out;
  char *err;
  int   status;
} Run;

/* private helpers */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the built executable headless (no DISPLAY) on the fixture's bank */
static void
run_mallipaja (Fixture    *fixture,
               Run        *run,
               const char *arg1,
               const char *arg2)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[4] = { NULL, arg1, arg2, NULL };
  int wait_status = 0;

  program = g_build_filename (g_getenv ("MALLIPAJA_BUILD_DIR"), "app", "mallipaja", NULL);
  argv[0] = program;
  env = g_environ_setenv (env, "XDG_DATA_HOME", fixture->data_home, TRUE);
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");

  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static guint
bank_count (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MpStore) store = mp_store_open (fixture->bank_path, &error);

  g_assert_no_error (error);
  return mp_store_count (store);
}

static char *
write_model_file (Fixture    *fixture,
                  const char *title,
                  char      **id)
{
  g_autoptr(MpModel) model = mp_model_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  char *path = g_build_filename (fixture->data_home, "model.json", NULL);

  mp_model_set_text (model, MP_TEXT_TITLE, title);
  mp_model_set_stage_state (model, MP_STAGE_IDEA, MP_STAGE_STATE_IN_PROGRESS);
  json = mp_model_to_json_string (model, TRUE);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  *id = g_strdup (mp_model_get_id (model));
  return path;
}

/* fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->data_home = g_dir_make_tmp ("mallipaja-test-cli-XXXXXX", NULL);
  g_assert_nonnull (fixture->data_home);
  fixture->bank_path = g_build_filename (fixture->data_home, "mallipaja", "bank.sqlite", NULL);

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    g_test_skip ("MALLIPAJA_BUILD_DIR is not set");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->data_home);
  g_free (fixture->data_home);
  g_free (fixture->bank_path);
}

/* tests */

static void
test_cli_version (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    return;

  run_mallipaja (fixture, &run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "mallipaja " PACKAGE_VERSION "\n");
  /* --version touches no bank */
  g_assert_false (g_file_test (fixture->bank_path, G_FILE_TEST_EXISTS));
}

static void
test_cli_list (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    return;

  /* A new bank starts with the sample models, as in the window */
  run_mallipaja (fixture, &run, "--list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  lines = g_strsplit (run.out, "\n", -1);
  n_lines = g_strv_length (lines) - 1;   /* the text ends with a newline */
  g_assert_cmpuint (n_lines, >, 0);
  g_assert_cmpuint (n_lines, ==, bank_count (fixture));

  for (guint i = 0; i < n_lines; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      g_assert_true (g_uuid_string_is_valid (fields[0]));
      g_assert_cmpstr (fields[1], !=, "");
    }
}

static void
test_cli_import_search_export (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(MpModel) exported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  guint n_before;

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    return;

  run_mallipaja (fixture, &run, "--list", NULL);
  run_clear (&run);
  n_before = bank_count (fixture);

  path = write_model_file (fixture, "Päihdetyön zorblax-kokeilu", &id);
  run_mallipaja (fixture, &run, "--import-json", path);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Imported 1 model.\n");
  g_assert_cmpuint (bank_count (fixture), ==, n_before + 1);
  run_clear (&run);

  /* One hit a line, with the stage's label */
  run_mallipaja (fixture, &run, "--search", "zorbla");
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("%s\tPäihdetyön zorblax-kokeilu\tIdea\n", id);
  g_assert_cmpstr (run.out, ==, expected);
  run_clear (&run);

  run_mallipaja (fixture, &run, "--export-json", id);
  g_assert_cmpint (run.status, ==, 0);
  exported = mp_model_from_json_string (run.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mp_model_get_id (exported), ==, id);
  g_assert_cmpstr (mp_model_get_text (exported, MP_TEXT_TITLE), ==, "Päihdetyön zorblax-kokeilu");
  run_clear (&run);

  run_mallipaja (fixture, &run, "--export-json", "no-such-model");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, !=, "");
}

static void
test_cli_import_invalid (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint n_before;

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    return;

  run_mallipaja (fixture, &run, "--list", NULL);
  run_clear (&run);
  n_before = bank_count (fixture);

  path = g_build_filename (fixture->data_home, "bad.json", NULL);
  g_file_set_contents (path, "[{\"format\": 1, \"title\": \"Hyvä\", \"stages\": 7}]", -1, &error);
  g_assert_no_error (error);

  run_mallipaja (fixture, &run, "--import-json", path);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "Nothing was imported from"));
  g_assert_cmpuint (bank_count (fixture), ==, n_before);
}

static void
test_cli_one_command (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  if (g_getenv ("MALLIPAJA_BUILD_DIR") == NULL)
    return;

  run_mallipaja (fixture, &run, "--list", "--search=x");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, !=, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/gui/application/cli/version", test_cli_version);
  ADD ("/gui/application/cli/list", test_cli_list);
  ADD ("/gui/application/cli/import-search-export", test_cli_import_search_export);
  ADD ("/gui/application/cli/import-invalid", test_cli_import_invalid);
  ADD ("/gui/application/cli/one-command", test_cli_one_command);

#undef ADD

  return g_test_run ();
}
