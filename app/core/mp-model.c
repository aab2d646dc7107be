/* mp-model.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mp-error.h"
#include "mp-model.h"

typedef struct {
  MpStageState  state;
  char         *started;
  char         *finished;
  char         *notes;
} Stage;

typedef struct {
  gboolean  has;
  char     *justification;
} Characteristic;

/* A link {title, url} or a collaborator {user, role}. */
typedef struct {
  char *first;
  char *second;
} Pair;

struct _MpModel
{
  GObject         parent_instance;

  char           *id;
  gint64          revision;
  gint64          created;
  gint64          modified;
  char           *texts[MP_N_TEXTS];
  char          **lists[MP_N_LISTS];
  Stage           stages[MP_N_STAGES];
  Characteristic  characteristics[MP_N_CHARACTERISTICS];
  GPtrArray      *links;          /* of Pair */
  GPtrArray      *collaborators;  /* of Pair */
  char           *based_on_id;
  gint64          based_on_revision;
  MpVisibility    visibility;
  gboolean        unfinished;
};

G_DEFINE_FINAL_TYPE (MpModel, mp_model, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char *key;
  const char *label;
} texts[] = {
  [MP_TEXT_TITLE] = { "title", N_("Name of the model") },
  [MP_TEXT_SUMMARY] = { "summary", N_("Short description") },
  /* TRANSLATORS: the language a model's content is written in */
  [MP_TEXT_LANGUAGE] = { "language", N_("Language") },
  /* TRANSLATORS: the organisation that owns the model */
  [MP_TEXT_ORGANISATION] = { "organisation", N_("Organisation") },
  [MP_TEXT_PLACE] = { "place", N_("Where it is carried out") },
  /* TRANSLATORS: the programme or project that groups models ("Toimintamallin kokonaisuus") */
  [MP_TEXT_COLLECTION] = { "collection", N_("Programme or project") },
  [MP_TEXT_BASIC_IDEA] = { "basic_idea", N_("Basic idea of the solution") },
  [MP_TEXT_ENVIRONMENT] = { "environment", N_("Operating environment") },
  [MP_TEXT_CONDITIONS] = { "conditions", N_("Conditions for it to work and be taken up") },
  [MP_TEXT_TARGET_INSIGHT] = { "target_insight", N_("Target group and client insight") },
  /* TRANSLATORS: what must stay the same when a model is taken elsewhere ("ydin") */
  [MP_TEXT_CORE] = { "core", N_("Core") },
  [MP_TEXT_EVALUATION_SUMMARY] = { "evaluation_summary", N_("Evaluation in brief") },
  [MP_TEXT_LESSONS] = { "lessons", N_("Lessons learned") },
  [MP_TEXT_BASELINE] = { "baseline", N_("Starting point and strategic links") },
  [MP_TEXT_NEEDS] = { "needs", N_("Needs behind the development") },
  [MP_TEXT_CO_DEVELOPERS] = { "co_developers", N_("Developing together") },
  [MP_TEXT_INTENDED_CHANGE] = { "intended_change", N_("Intended change") },
  [MP_TEXT_MEASURING_CHANGE] = { "measuring_change", N_("Measuring the change") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (texts) == MP_N_TEXTS);

static const struct {
  const char *key;
  const char *label;
} lists[] = {
  [MP_LIST_AUTHORS] = { "authors", N_("Authors") },
  [MP_LIST_REGIONS] = { "regions", N_("Municipality, region or wellbeing services county") },
  /* TRANSLATORS: who funds the model ("Toimintamallin rahoittaja") */
  [MP_LIST_FUNDERS] = { "funders", N_("Funder") },
  [MP_LIST_THEMES] = { "themes", N_("Themes") },
  [MP_LIST_TARGET_GROUPS] = { "target_groups", N_("Target groups") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (lists) == MP_N_LISTS);

/* private helpers */

static gint64
now_utc (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
emit_changed (MpModel    *self,
              const char *key)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], g_quark_from_static_string (key), key);
}

/* Returns: %TRUE when *@field changed; %NULL is stored as "". */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value == NULL)
    value = "";

  if (*field != NULL && strcmp (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static Pair *
pair_new (const char *first,
          const char *second)
{
  Pair *pair = g_new0 (Pair, 1);

  pair->first = g_strdup (first != NULL ? first : "");
  pair->second = g_strdup (second != NULL ? second : "");
  return pair;
}

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->first);
  g_free (pair->second);
  g_free (pair);
}

static GPtrArray *
pairs_copy (GPtrArray *pairs)
{
  GPtrArray *copy = g_ptr_array_new_full (pairs->len, pair_free);

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = g_ptr_array_index (pairs, i);
      g_ptr_array_add (copy, pair_new (pair->first, pair->second));
    }

  return copy;
}

static gboolean
pairs_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const Pair *pa = g_ptr_array_index (a, i);
      const Pair *pb = g_ptr_array_index (b, i);

      if (strcmp (pa->first, pb->first) != 0 || strcmp (pa->second, pb->second) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
reset_stages (MpModel *self)
{
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      self->stages[i].state = MP_STAGE_STATE_NOT_STARTED;
      replace_string (&self->stages[i].started, "");
      replace_string (&self->stages[i].finished, "");
      replace_string (&self->stages[i].notes, "");
    }
}

static gboolean
set_error_field (GError     **error,
                 MpError      code,
                 const char  *message)
{
  g_set_error_literal (error, MP_ERROR, code, message);
  return FALSE;
}

static gboolean
check_utf8 (const char  *field,
            const char  *value,
            GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("Field “%s”: the text is not valid UTF-8"), field);
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  return TRUE;
}

/* @max is characters when @in_chars, else bytes. */
static gboolean
check_text (const char  *field,
            const char  *value,
            gsize        max,
            gboolean     in_chars,
            GError     **error)
{
  gsize len = strlen (value);
  g_autofree char *message = NULL;

  /* Checked before UTF-8 so that a 50 MB field is refused as too large,
   * not walked byte by byte. A character is at least one byte. */
  if (!in_chars && len > max)
    message = g_strdup_printf (_("Field “%s”: larger than %u MiB"), field,
                               (guint) (max / (1024 * 1024)));
  else if (in_chars && len > max * 4)
    message = g_strdup_printf (_("Field “%s”: longer than %u characters"), field, (guint) max);

  if (message != NULL)
    return set_error_field (error, MP_ERROR_TOO_LARGE, message);

  if (!check_utf8 (field, value, error))
    return FALSE;

  if (in_chars && len > max && g_utf8_strlen (value, -1) > (glong) max)
    {
      message = g_strdup_printf (_("Field “%s”: longer than %u characters"), field, (guint) max);
      return set_error_field (error, MP_ERROR_TOO_LARGE, message);
    }

  return TRUE;
}

static gboolean
is_date (const char *date)
{
  guint year, month, day;

  if (strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (date, NULL, 10);
  month = (guint) g_ascii_strtoull (date + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (date + 8, NULL, 10);

  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
is_lower_uuid (const char *id)
{
  if (!g_uuid_string_is_valid (id))
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

/* 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z, what the document can write. */
static gboolean
is_timestamp_in_range (gint64 time)
{
  return time >= G_GINT64_CONSTANT (-62135596800) && time <= G_GINT64_CONSTANT (253402300799);
}

static gboolean
is_http_url (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (scheme == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  return g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
}

static gboolean
validate_list (MpModel  *self,
               MpList    list,
               GError  **error)
{
  const char *field = lists[list].key;
  const char * const *values = (const char * const *) self->lists[list];
  g_autofree char *message = NULL;
  guint n = g_strv_length ((char **) values);

  if (n > MP_MAX_LIST_ITEMS)
    {
      message = g_strdup_printf (_("Field “%s”: more than %u items"), field, (guint) MP_MAX_LIST_ITEMS);
      return set_error_field (error, MP_ERROR_TOO_LARGE, message);
    }

  for (guint i = 0; i < n; i++)
    {
      const char *value = values[i];

      if (!check_text (field, value, MP_MAX_SHORT_TEXT, TRUE, error))
        return FALSE;

      switch (list)
        {
        case MP_LIST_REGIONS:
          if (mp_taxonomy_lookup (MP_TAXONOMY_REGION, value, NULL) == NULL)
            message = g_strdup_printf (_("Field “%s”: unknown region “%s”"), field, value);
          break;

        case MP_LIST_THEMES:
          if (mp_taxonomy_lookup (MP_TAXONOMY_THEME, value, NULL) == NULL)
            message = g_strdup_printf (_("Field “%s”: unknown theme “%s”"), field, value);
          break;

        case MP_LIST_TARGET_GROUPS:
          if (mp_taxonomy_lookup (MP_TAXONOMY_TARGET_GROUP, value, NULL) == NULL)
            message = g_strdup_printf (_("Field “%s”: unknown target group “%s”"), field, value);
          break;

        case MP_LIST_AUTHORS:
        case MP_LIST_FUNDERS:
        case MP_N_LISTS:
        default:
          break;
        }

      if (message != NULL)
        return set_error_field (error, MP_ERROR_INVALID, message);
    }

  return TRUE;
}

/* GObject overrides */

static void
mp_model_finalize (GObject *object)
{
  MpModel *self = (MpModel *) object;

  g_free (self->id);
  for (guint i = 0; i < MP_N_TEXTS; i++)
    g_free (self->texts[i]);
  for (guint i = 0; i < MP_N_LISTS; i++)
    g_strfreev (self->lists[i]);
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      g_free (self->stages[i].started);
      g_free (self->stages[i].finished);
      g_free (self->stages[i].notes);
    }
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    g_free (self->characteristics[i].justification);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->collaborators, g_ptr_array_unref);
  g_free (self->based_on_id);

  G_OBJECT_CLASS (mp_model_parent_class)->finalize (object);
}

static void
mp_model_class_init (MpModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mp_model_finalize;

  /**
   * MpModel::changed:
   * @self: the model
   * @key: the JSON key of the field that changed, also the detail
   *
   * Emitted after a setter changed something.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mp_model_init (MpModel *self)
{
  self->id = g_uuid_string_random ();
  self->created = self->modified = now_utc ();
  for (guint i = 0; i < MP_N_TEXTS; i++)
    self->texts[i] = g_strdup ("");
  replace_string (&self->texts[MP_TEXT_LANGUAGE], "fi");
  for (guint i = 0; i < MP_N_LISTS; i++)
    self->lists[i] = g_new0 (char *, 1);
  reset_stages (self);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    self->characteristics[i].justification = g_strdup ("");
  self->links = g_ptr_array_new_with_free_func (pair_free);
  self->collaborators = g_ptr_array_new_with_free_func (pair_free);
  self->visibility = MP_VISIBILITY_PRIVATE;
}

/* public API: fields */

const char *
mp_text_key (MpText text)
{
  g_return_val_if_fail ((guint) text < MP_N_TEXTS, NULL);

  return texts[text].key;
}

/* Returns: the MpText of @key, or -1 */
int
mp_text_from_key (const char *key)
{
  g_return_val_if_fail (key != NULL, -1);

  for (guint i = 0; i < MP_N_TEXTS; i++)
    if (strcmp (texts[i].key, key) == 0)
      return (int) i;

  return -1;
}

const char *
mp_text_label (MpText text)
{
  g_return_val_if_fail ((guint) text < MP_N_TEXTS, NULL);

  return _(texts[text].label);
}

/* The platform marks these sections as the ones a reader needs most. */
gboolean
mp_text_is_essential (MpText text)
{
  return text == MP_TEXT_BASIC_IDEA ||
         text == MP_TEXT_ENVIRONMENT ||
         text == MP_TEXT_CONDITIONS;
}

gsize
mp_text_max_length (MpText text)
{
  g_return_val_if_fail ((guint) text < MP_N_TEXTS, 0);

  switch (text)
    {
    case MP_TEXT_TITLE:
      return MP_MAX_TITLE;
    case MP_TEXT_SUMMARY:
      return MP_MAX_SUMMARY;
    case MP_TEXT_LANGUAGE:
      return 2;
    case MP_TEXT_ORGANISATION:
    case MP_TEXT_PLACE:
    case MP_TEXT_COLLECTION:
      return MP_MAX_SHORT_TEXT;
    case MP_TEXT_BASIC_IDEA:
    case MP_TEXT_ENVIRONMENT:
    case MP_TEXT_CONDITIONS:
    case MP_TEXT_TARGET_INSIGHT:
    case MP_TEXT_CORE:
    case MP_TEXT_EVALUATION_SUMMARY:
    case MP_TEXT_LESSONS:
    case MP_TEXT_BASELINE:
    case MP_TEXT_NEEDS:
    case MP_TEXT_CO_DEVELOPERS:
    case MP_TEXT_INTENDED_CHANGE:
    case MP_TEXT_MEASURING_CHANGE:
    case MP_N_TEXTS:
    default:
      return MP_MAX_LONG_TEXT;
    }
}

const char *
mp_list_key (MpList list)
{
  g_return_val_if_fail ((guint) list < MP_N_LISTS, NULL);

  return lists[list].key;
}

const char *
mp_list_label (MpList list)
{
  g_return_val_if_fail ((guint) list < MP_N_LISTS, NULL);

  return _(lists[list].label);
}

/* public API: the model */

/**
 * mp_model_new:
 *
 * A fresh local draft: a random id, revision 0, created and modified now,
 * language "fi", private, no stage started, no characteristic.
 *
 * Returns: (transfer full): a new model
 */
MpModel *
mp_model_new (void)
{
  return g_object_new (MP_TYPE_MODEL, NULL);
}

/**
 * mp_model_copy:
 * @self: a model
 *
 * Returns: (transfer full): a model equal to @self, id included
 */
MpModel *
mp_model_copy (MpModel *self)
{
  MpModel *copy;

  g_return_val_if_fail (MP_IS_MODEL (self), NULL);

  copy = mp_model_new ();
  replace_string (&copy->id, self->id);
  copy->revision = self->revision;
  copy->created = self->created;
  copy->modified = self->modified;
  for (guint i = 0; i < MP_N_TEXTS; i++)
    replace_string (&copy->texts[i], self->texts[i]);
  for (guint i = 0; i < MP_N_LISTS; i++)
    {
      g_strfreev (copy->lists[i]);
      copy->lists[i] = g_strdupv (self->lists[i]);
    }
  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      copy->stages[i].state = self->stages[i].state;
      replace_string (&copy->stages[i].started, self->stages[i].started);
      replace_string (&copy->stages[i].finished, self->stages[i].finished);
      replace_string (&copy->stages[i].notes, self->stages[i].notes);
    }
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    {
      copy->characteristics[i].has = self->characteristics[i].has;
      replace_string (&copy->characteristics[i].justification,
                      self->characteristics[i].justification);
    }
  g_ptr_array_unref (copy->links);
  copy->links = pairs_copy (self->links);
  g_ptr_array_unref (copy->collaborators);
  copy->collaborators = pairs_copy (self->collaborators);
  copy->based_on_id = g_strdup (self->based_on_id);
  copy->based_on_revision = self->based_on_revision;
  copy->visibility = self->visibility;
  copy->unfinished = self->unfinished;

  return copy;
}

/**
 * mp_model_derive:
 * @self: the model to build on ("parastelu")
 *
 * A new local draft with the content of @self that records which model and
 * revision it was based on. The new implementation walks its own path: its
 * stages start over, and it is private, not unfinished and has no
 * collaborators until its authors say otherwise.
 *
 * Returns: (transfer full): the new model
 */
MpModel *
mp_model_derive (MpModel *self)
{
  g_autoptr(MpModel) derived = NULL;

  g_return_val_if_fail (MP_IS_MODEL (self), NULL);

  derived = mp_model_copy (self);
  g_free (derived->id);
  derived->id = g_uuid_string_random ();
  derived->revision = 0;
  derived->created = derived->modified = now_utc ();
  g_free (derived->based_on_id);
  derived->based_on_id = g_strdup (self->id);
  derived->based_on_revision = self->revision;
  derived->visibility = MP_VISIBILITY_PRIVATE;
  derived->unfinished = FALSE;
  g_ptr_array_set_size (derived->collaborators, 0);
  reset_stages (derived);

  return g_steal_pointer (&derived);
}

gboolean
mp_model_equal (MpModel *a,
                MpModel *b)
{
  g_return_val_if_fail (MP_IS_MODEL (a), FALSE);
  g_return_val_if_fail (MP_IS_MODEL (b), FALSE);

  if (a == b)
    return TRUE;

  if (strcmp (a->id, b->id) != 0 ||
      a->revision != b->revision ||
      a->created != b->created ||
      a->modified != b->modified ||
      g_strcmp0 (a->based_on_id, b->based_on_id) != 0 ||
      a->based_on_revision != b->based_on_revision ||
      a->visibility != b->visibility ||
      a->unfinished != b->unfinished)
    return FALSE;

  for (guint i = 0; i < MP_N_TEXTS; i++)
    if (strcmp (a->texts[i], b->texts[i]) != 0)
      return FALSE;

  for (guint i = 0; i < MP_N_LISTS; i++)
    if (!g_strv_equal ((const char * const *) a->lists[i], (const char * const *) b->lists[i]))
      return FALSE;

  for (guint i = 0; i < MP_N_STAGES; i++)
    if (a->stages[i].state != b->stages[i].state ||
        strcmp (a->stages[i].started, b->stages[i].started) != 0 ||
        strcmp (a->stages[i].finished, b->stages[i].finished) != 0 ||
        strcmp (a->stages[i].notes, b->stages[i].notes) != 0)
      return FALSE;

  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    if (a->characteristics[i].has != b->characteristics[i].has ||
        strcmp (a->characteristics[i].justification, b->characteristics[i].justification) != 0)
      return FALSE;

  return pairs_equal (a->links, b->links) &&
         pairs_equal (a->collaborators, b->collaborators);
}

/**
 * mp_model_validate:
 * @self: a model
 * @error: return location for an error
 *
 * Checks the limits of the model record: the title is required, texts are
 * valid UTF-8 and within their lengths, lists within %MP_MAX_LIST_ITEMS,
 * taxonomy keys known, dates well formed, links http or https.
 *
 * Returns: %TRUE when the model may be saved; otherwise @error says which
 *   field is wrong (%MP_ERROR_TOO_LARGE for a field over its limit,
 *   %MP_ERROR_INVALID for anything else)
 */
gboolean
mp_model_validate (MpModel  *self,
                   GError  **error)
{
  g_autofree char *message = NULL;
  const char *language;
  g_autofree char *stripped_title = NULL;

  g_return_val_if_fail (MP_IS_MODEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_utf8 ("id", self->id, error))
    return FALSE;
  if (!is_lower_uuid (self->id))
    {
      message = g_strdup_printf (_("Field “%s”: “%s” is not a lower-case UUID"), "id", self->id);
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  if (self->revision < 0)
    {
      message = g_strdup_printf (_("Field “%s”: must not be negative"), "revision");
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  if (!is_timestamp_in_range (self->created) || !is_timestamp_in_range (self->modified))
    {
      message = g_strdup_printf (_("Field “%s”: the time is out of range"),
                                 is_timestamp_in_range (self->created) ? "modified" : "created");
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  for (guint i = 0; i < MP_N_TEXTS; i++)
    {
      gboolean in_chars = i < MP_TEXT_FIRST_LONG;

      if (!check_text (texts[i].key, self->texts[i], mp_text_max_length (i), in_chars, error))
        return FALSE;
    }

  stripped_title = g_strstrip (g_strdup (self->texts[MP_TEXT_TITLE]));
  if (stripped_title[0] == '\0')
    {
      message = g_strdup_printf (_("Field “%s”: a model needs a name"), "title");
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  language = self->texts[MP_TEXT_LANGUAGE];
  if (g_strcmp0 (language, "fi") != 0 && g_strcmp0 (language, "sv") != 0 &&
      g_strcmp0 (language, "en") != 0)
    {
      message = g_strdup_printf (_("Field “%s”: unknown language “%s”"), "language", language);
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  for (guint i = 0; i < MP_N_LISTS; i++)
    if (!validate_list (self, i, error))
      return FALSE;

  if (self->links->len > MP_MAX_LIST_ITEMS)
    {
      message = g_strdup_printf (_("Field “%s”: more than %u items"), "links", (guint) MP_MAX_LIST_ITEMS);
      return set_error_field (error, MP_ERROR_TOO_LARGE, message);
    }
  for (guint i = 0; i < self->links->len; i++)
    {
      const Pair *link = g_ptr_array_index (self->links, i);

      if (!check_text ("links", link->first, MP_MAX_SHORT_TEXT, TRUE, error) ||
          !check_text ("links", link->second, MP_MAX_SHORT_TEXT, TRUE, error))
        return FALSE;

      if (!is_http_url (link->second))
        {
          message = g_strdup_printf (_("Field “%s”: “%s” is not an http or https address"),
                                     "links", link->second);
          return set_error_field (error, MP_ERROR_INVALID, message);
        }
    }

  for (guint i = 0; i < MP_N_STAGES; i++)
    {
      const Stage *stage = &self->stages[i];
      const char *dates[] = { stage->started, stage->finished };

      if ((guint) stage->state >= MP_N_STAGE_STATES)
        {
          message = g_strdup_printf (_("Field “%s”: unknown state of stage “%s”"),
                                     "stages", mp_stage_key (i));
          return set_error_field (error, MP_ERROR_INVALID, message);
        }

      for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
        {
          if (!check_utf8 ("stages", dates[d], error))
            return FALSE;

          if (dates[d][0] != '\0' && !is_date (dates[d]))
            {
              message = g_strdup_printf (_("Field “%s”: “%s” is not a date of the form YYYY-MM-DD"),
                                         "stages", dates[d]);
              return set_error_field (error, MP_ERROR_INVALID, message);
            }
        }

      if (!check_text ("stages", stage->notes, MP_MAX_LONG_TEXT, FALSE, error))
        return FALSE;
    }

  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    if (!check_text ("characteristics", self->characteristics[i].justification,
                     MP_MAX_LONG_TEXT, FALSE, error))
      return FALSE;

  if (self->based_on_id != NULL)
    {
      if (!check_utf8 ("based_on", self->based_on_id, error))
        return FALSE;
      if (!is_lower_uuid (self->based_on_id))
        {
          message = g_strdup_printf (_("Field “%s”: “%s” is not a lower-case UUID"),
                                     "based_on", self->based_on_id);
          return set_error_field (error, MP_ERROR_INVALID, message);
        }
      if (self->based_on_revision < 0)
        {
          message = g_strdup_printf (_("Field “%s”: must not be negative"), "based_on");
          return set_error_field (error, MP_ERROR_INVALID, message);
        }
    }

  if (self->collaborators->len > MP_MAX_LIST_ITEMS)
    {
      message = g_strdup_printf (_("Field “%s”: more than %u items"), "collaborators",
                                 (guint) MP_MAX_LIST_ITEMS);
      return set_error_field (error, MP_ERROR_TOO_LARGE, message);
    }
  for (guint i = 0; i < self->collaborators->len; i++)
    {
      const Pair *collaborator = g_ptr_array_index (self->collaborators, i);

      if (!check_text ("collaborators", collaborator->first, MP_MAX_SHORT_TEXT, TRUE, error) ||
          !check_text ("collaborators", collaborator->second, MP_MAX_SHORT_TEXT, TRUE, error))
        return FALSE;

      if (collaborator->first[0] == '\0')
        {
          message = g_strdup_printf (_("Field “%s”: a user name is missing"), "collaborators");
          return set_error_field (error, MP_ERROR_INVALID, message);
        }

      if (strcmp (collaborator->second, "editor") != 0 && strcmp (collaborator->second, "admin") != 0)
        {
          message = g_strdup_printf (_("Field “%s”: unknown role “%s”"), "collaborators",
                                     collaborator->second);
          return set_error_field (error, MP_ERROR_INVALID, message);
        }
    }

  if ((guint) self->visibility > MP_VISIBILITY_PUBLIC)
    {
      message = g_strdup_printf (_("Field “%s”: unknown visibility"), "visibility");
      return set_error_field (error, MP_ERROR_INVALID, message);
    }

  return TRUE;
}

const char *
mp_model_get_id (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), NULL);

  return self->id;
}

void
mp_model_set_id (MpModel    *self,
                 const char *id)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (id != NULL && *id != '\0');

  if (replace_string (&self->id, id))
    emit_changed (self, "id");
}

gint64
mp_model_get_revision (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->revision;
}

void
mp_model_set_revision (MpModel *self,
                       gint64   revision)
{
  g_return_if_fail (MP_IS_MODEL (self));

  if (self->revision == revision)
    return;

  self->revision = revision;
  emit_changed (self, "revision");
}

gint64
mp_model_get_created (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->created;
}

void
mp_model_set_created (MpModel *self,
                      gint64   created)
{
  g_return_if_fail (MP_IS_MODEL (self));

  if (self->created == created)
    return;

  self->created = created;
  emit_changed (self, "created");
}

gint64
mp_model_get_modified (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->modified;
}

void
mp_model_set_modified (MpModel *self,
                       gint64   modified)
{
  g_return_if_fail (MP_IS_MODEL (self));

  if (self->modified == modified)
    return;

  self->modified = modified;
  emit_changed (self, "modified");
}

/* Sets the modified time to now; emits "changed::modified" when the
 * second changed. */
void
mp_model_touch (MpModel *self)
{
  g_return_if_fail (MP_IS_MODEL (self));

  mp_model_set_modified (self, now_utc ());
}

const char *
mp_model_get_text (MpModel *self,
                   MpText   text)
{
  g_return_val_if_fail (MP_IS_MODEL (self), "");
  g_return_val_if_fail ((guint) text < MP_N_TEXTS, "");

  return self->texts[text];
}

/**
 * mp_model_set_text:
 * @self: a model
 * @text: which field
 * @value: (nullable): the new text; %NULL is the same as ""
 *
 * Takes any text: limits are checked by mp_model_validate(), so that an
 * editor never loses what was typed.
 *
 * Returns: %TRUE when the field changed
 */
gboolean
mp_model_set_text (MpModel    *self,
                   MpText      text,
                   const char *value)
{
  g_return_val_if_fail (MP_IS_MODEL (self), FALSE);
  g_return_val_if_fail ((guint) text < MP_N_TEXTS, FALSE);

  if (!replace_string (&self->texts[text], value))
    return FALSE;

  emit_changed (self, texts[text].key);
  return TRUE;
}

const char * const *
mp_model_get_list (MpModel *self,
                   MpList   list)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (MP_IS_MODEL (self), empty);
  g_return_val_if_fail ((guint) list < MP_N_LISTS, empty);

  return (const char * const *) self->lists[list];
}

void
mp_model_set_list (MpModel            *self,
                   MpList              list,
                   const char * const *values)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) list < MP_N_LISTS);

  if (values == NULL)
    values = empty;

  if (g_strv_equal ((const char * const *) self->lists[list], values))
    return;

  g_strfreev (self->lists[list]);
  self->lists[list] = g_strdupv ((char **) values);
  emit_changed (self, lists[list].key);
}

MpStageState
mp_model_get_stage_state (MpModel *self,
                          MpStage  stage)
{
  g_return_val_if_fail (MP_IS_MODEL (self), MP_STAGE_STATE_NOT_STARTED);
  g_return_val_if_fail ((guint) stage < MP_N_STAGES, MP_STAGE_STATE_NOT_STARTED);

  return self->stages[stage].state;
}

void
mp_model_set_stage_state (MpModel      *self,
                          MpStage       stage,
                          MpStageState  state)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) stage < MP_N_STAGES);
  g_return_if_fail ((guint) state < MP_N_STAGE_STATES);

  if (self->stages[stage].state == state)
    return;

  self->stages[stage].state = state;
  emit_changed (self, "stages");
}

const char *
mp_model_get_stage_started (MpModel *self,
                            MpStage  stage)
{
  g_return_val_if_fail (MP_IS_MODEL (self), "");
  g_return_val_if_fail ((guint) stage < MP_N_STAGES, "");

  return self->stages[stage].started;
}

void
mp_model_set_stage_started (MpModel    *self,
                            MpStage     stage,
                            const char *date)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) stage < MP_N_STAGES);

  if (replace_string (&self->stages[stage].started, date))
    emit_changed (self, "stages");
}

const char *
mp_model_get_stage_finished (MpModel *self,
                             MpStage  stage)
{
  g_return_val_if_fail (MP_IS_MODEL (self), "");
  g_return_val_if_fail ((guint) stage < MP_N_STAGES, "");

  return self->stages[stage].finished;
}

void
mp_model_set_stage_finished (MpModel    *self,
                             MpStage     stage,
                             const char *date)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) stage < MP_N_STAGES);

  if (replace_string (&self->stages[stage].finished, date))
    emit_changed (self, "stages");
}

const char *
mp_model_get_stage_notes (MpModel *self,
                          MpStage  stage)
{
  g_return_val_if_fail (MP_IS_MODEL (self), "");
  g_return_val_if_fail ((guint) stage < MP_N_STAGES, "");

  return self->stages[stage].notes;
}

void
mp_model_set_stage_notes (MpModel    *self,
                          MpStage     stage,
                          const char *notes)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) stage < MP_N_STAGES);

  if (replace_string (&self->stages[stage].notes, notes))
    emit_changed (self, "stages");
}

int
mp_model_get_current_stage (MpModel *self)
{
  int last_done = MP_STAGE_NONE;

  g_return_val_if_fail (MP_IS_MODEL (self), MP_STAGE_NONE);

  /* Progress is not linear: a model back in trials after a failed scaling
   * is in trials, whatever it had done before. */
  for (int i = MP_N_STAGES - 1; i >= 0; i--)
    {
      if (self->stages[i].state == MP_STAGE_STATE_IN_PROGRESS)
        return i;
      if (self->stages[i].state == MP_STAGE_STATE_DONE && last_done == MP_STAGE_NONE)
        last_done = i;
    }

  return last_done;
}

gboolean
mp_model_get_characteristic (MpModel     *self,
                             guint        index,
                             const char **justification)
{
  g_return_val_if_fail (MP_IS_MODEL (self), FALSE);
  g_return_val_if_fail (index < MP_N_CHARACTERISTICS, FALSE);

  if (justification != NULL)
    *justification = self->characteristics[index].justification;

  return self->characteristics[index].has;
}

void
mp_model_set_characteristic (MpModel    *self,
                             guint       index,
                             gboolean    has,
                             const char *justification)
{
  Characteristic *characteristic;
  gboolean changed;

  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (index < MP_N_CHARACTERISTICS);

  characteristic = &self->characteristics[index];
  has = !!has;
  changed = characteristic->has != has;
  characteristic->has = has;
  changed |= replace_string (&characteristic->justification, justification);

  if (changed)
    emit_changed (self, "characteristics");
}

guint
mp_model_get_n_links (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->links->len;
}

void
mp_model_get_link (MpModel     *self,
                   guint        index,
                   const char **title,
                   const char **url)
{
  const Pair *link;

  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (index < self->links->len);

  link = g_ptr_array_index (self->links, index);
  if (title != NULL)
    *title = link->first;
  if (url != NULL)
    *url = link->second;
}

void
mp_model_add_link (MpModel    *self,
                   const char *title,
                   const char *url)
{
  g_return_if_fail (MP_IS_MODEL (self));

  g_ptr_array_add (self->links, pair_new (title, url));
  emit_changed (self, "links");
}

void
mp_model_remove_link (MpModel *self,
                      guint    index)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (index < self->links->len);

  g_ptr_array_remove_index (self->links, index);
  emit_changed (self, "links");
}

guint
mp_model_get_n_collaborators (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->collaborators->len;
}

void
mp_model_get_collaborator (MpModel     *self,
                           guint        index,
                           const char **user,
                           const char **role)
{
  const Pair *collaborator;

  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (index < self->collaborators->len);

  collaborator = g_ptr_array_index (self->collaborators, index);
  if (user != NULL)
    *user = collaborator->first;
  if (role != NULL)
    *role = collaborator->second;
}

void
mp_model_add_collaborator (MpModel    *self,
                           const char *user,
                           const char *role)
{
  g_return_if_fail (MP_IS_MODEL (self));

  g_ptr_array_add (self->collaborators, pair_new (user, role));
  emit_changed (self, "collaborators");
}

void
mp_model_remove_collaborator (MpModel *self,
                              guint    index)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail (index < self->collaborators->len);

  g_ptr_array_remove_index (self->collaborators, index);
  emit_changed (self, "collaborators");
}

const char *
mp_model_get_based_on_id (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), NULL);

  return self->based_on_id;
}

gint64
mp_model_get_based_on_revision (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), 0);

  return self->based_on_revision;
}

/* @id %NULL (or "") clears the lineage. */
void
mp_model_set_based_on (MpModel    *self,
                       const char *id,
                       gint64      revision)
{
  g_return_if_fail (MP_IS_MODEL (self));

  if (id != NULL && *id == '\0')
    id = NULL;
  if (id == NULL)
    revision = 0;

  if (g_strcmp0 (self->based_on_id, id) == 0 && self->based_on_revision == revision)
    return;

  g_free (self->based_on_id);
  self->based_on_id = g_strdup (id);
  self->based_on_revision = revision;
  emit_changed (self, "based_on");
}

MpVisibility
mp_model_get_visibility (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), MP_VISIBILITY_PRIVATE);

  return self->visibility;
}

void
mp_model_set_visibility (MpModel      *self,
                         MpVisibility  visibility)
{
  g_return_if_fail (MP_IS_MODEL (self));
  g_return_if_fail ((guint) visibility <= MP_VISIBILITY_PUBLIC);

  if (self->visibility == visibility)
    return;

  self->visibility = visibility;
  emit_changed (self, "visibility");
}

gboolean
mp_model_get_unfinished (MpModel *self)
{
  g_return_val_if_fail (MP_IS_MODEL (self), FALSE);

  return self->unfinished;
}

void
mp_model_set_unfinished (MpModel  *self,
                         gboolean  unfinished)
{
  g_return_if_fail (MP_IS_MODEL (self));

  unfinished = !!unfinished;
  if (self->unfinished == unfinished)
    return;

  self->unfinished = unfinished;
  emit_changed (self, "unfinished");
}

/**
 * mp_model_dup_body:
 * @self: a model
 *
 * The text the search index holds besides title and summary: the long
 * texts, the stage notes and the characteristics' justifications, empty
 * ones left out, separated by a blank line.
 *
 * Returns: (transfer full): the body text
 */
char *
mp_model_dup_body (MpModel *self)
{
  g_autoptr(GString) body = NULL;
  gsize size = 0;

  g_return_val_if_fail (MP_IS_MODEL (self), NULL);

  for (guint i = MP_TEXT_FIRST_LONG; i < MP_N_TEXTS; i++)
    size += strlen (self->texts[i]) + 2;

  body = g_string_sized_new (size + 1);

#define APPEND_PARAGRAPH(text) \
  G_STMT_START { \
    const char *_text = (text); \
    if (_text[0] != '\0') \
      { \
        if (body->len > 0) \
          g_string_append (body, "\n\n"); \
        g_string_append (body, _text); \
      } \
  } G_STMT_END

  for (guint i = MP_TEXT_FIRST_LONG; i < MP_N_TEXTS; i++)
    APPEND_PARAGRAPH (self->texts[i]);
  for (guint i = 0; i < MP_N_STAGES; i++)
    APPEND_PARAGRAPH (self->stages[i].notes);
  for (guint i = 0; i < MP_N_CHARACTERISTICS; i++)
    APPEND_PARAGRAPH (self->characteristics[i].justification);

#undef APPEND_PARAGRAPH

  return g_string_free (g_steal_pointer (&body), FALSE);
}
