/* mp-conflict-view.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mp-conflict-view.h"
#include "mp-exchange.h"

struct _MpConflictView
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkBox         *fields_box;
  GtkLabel       *intro_label;
  AdwWindowTitle *window_title;

  /* owned references */
  MpStore        *store;
  char           *model_id;
  GHashTable     *sections;   /* field → its section (borrowed widget) */
  GHashTable     *buffers;    /* field → merged text buffer (borrowed) */
  GHashTable     *errors;     /* field → error label (borrowed) */
  GHashTable     *file_texts; /* field → the imported file's text, shown apart */
};

G_DEFINE_FINAL_TYPE (MpConflictView, mp_conflict_view, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MODEL_ID,
  N_PROPS
};

enum {
  SIGNAL_RESOLVED,
  SIGNAL_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* private helpers */

static char *
dup_field_label (const char *field)
{
  int text = mp_text_from_key (field);

  if (text >= 0)
    return g_strdup (mp_text_label ((MpText) text));
  /* One stage entry, or one characteristic: their names */
  if (g_str_has_prefix (field, "stages."))
    return g_strdup (mp_taxonomy_label (MP_TAXONOMY_STAGE, field + strlen ("stages.")));
  if (g_str_has_prefix (field, "characteristics."))
    return g_strdup (mp_taxonomy_label (MP_TAXONOMY_CHARACTERISTIC, field + strlen ("characteristics.")));
  /* Lists and the like have no label of their own */
  return g_strdup (field);
}

static gboolean
holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A missing value and a JSON null are the same: no value */
static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null && b_null;
  return json_node_equal (a, b);
}

static MpConflictOrigin
record_origin (JsonObject *record)
{
  JsonNode *from_file = json_object_get_member (record, MP_EXCHANGE_CONFLICT_FROM_FILE);

  if (from_file == NULL)
    return MP_CONFLICT_ORIGIN_PLATFORM;
  /* An import's conflict holds the file's text as theirs, until a pull
   * brings the platform's */
  if (!values_equal (from_file, json_object_get_member (record, "theirs")))
    return MP_CONFLICT_ORIGIN_PLATFORM | MP_CONFLICT_ORIGIN_FILE;
  return MP_CONFLICT_ORIGIN_FILE;
}

static MpConflictOrigin
records_origin (JsonNode *conflicts)
{
  MpConflictOrigin origin = MP_CONFLICT_ORIGIN_NONE;
  JsonArray *records;

  if (conflicts == NULL || !JSON_NODE_HOLDS_ARRAY (conflicts))
    return origin;
  records = json_node_get_array (conflicts);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *element = json_array_get_element (records, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        origin |= record_origin (json_node_get_object (element));
    }
  return origin;
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return holds_string (node) ? json_node_get_string (node) : "";
}

/* One item of a list, as a person reads it: a taxonomy label, a link's
 * title and address, a collaborator's name and role. */
static void
append_item (GString    *text,
             const char *field,
             JsonNode   *item)
{
  static const struct { const char *field; MpTaxonomy taxonomy; } taxonomies[] = {
    { "regions", MP_TAXONOMY_REGION },
    { "themes", MP_TAXONOMY_THEME },
    { "target_groups", MP_TAXONOMY_TARGET_GROUP },
  };

  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, "• ");

  if (holds_string (item))
    {
      const char *value = json_node_get_string (item);

      for (guint i = 0; i < G_N_ELEMENTS (taxonomies); i++)
        if (g_strcmp0 (field, taxonomies[i].field) == 0)
          {
            const char *label = mp_taxonomy_label (taxonomies[i].taxonomy, value);

            g_string_append (text, label != NULL ? label : value);
            return;
          }
      g_string_append (text, value);
    }
  else if (item != NULL && JSON_NODE_HOLDS_OBJECT (item) && g_strcmp0 (field, "links") == 0)
    {
      JsonObject *link = json_node_get_object (item);

      /* Translators: a link in a list: its title, then its address */
      g_string_append_printf (text, _("%s (%s)"), object_string (link, "title"), object_string (link, "url"));
    }
  else if (item != NULL && JSON_NODE_HOLDS_OBJECT (item) && g_strcmp0 (field, "collaborators") == 0)
    {
      JsonObject *collaborator = json_node_get_object (item);

      g_string_append_printf (text, _("%s (%s)"), object_string (collaborator, "user"),
                              g_strcmp0 (object_string (collaborator, "role"), "admin") == 0
                                ? _("Administrator") : _("Editor"));
    }
  else
    {
      g_autofree char *json = json_to_string (item, FALSE);

      g_string_append (text, json);
    }
}

/* A field's value as a person reads it, never as JSON: a stage entry as
 * its state, dates and notes; a characteristic as whether the model has
 * it and why; a list item by item. */
static char *
dup_value_text (const char *field,
                JsonNode   *node)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(Empty)"));
  if (holds_string (node))
    {
      const char *value = json_node_get_string (node);

      return g_strdup (*value != '\0' ? value : _("(Empty)"));
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));

  if (JSON_NODE_HOLDS_OBJECT (node) && g_str_has_prefix (field, "stages."))
    {
      JsonObject *entry = json_node_get_object (node);
      const char *state = mp_taxonomy_label (MP_TAXONOMY_STAGE_STATE, object_string (entry, "state"));
      const char *started = object_string (entry, "started");
      const char *finished = object_string (entry, "finished");
      const char *notes = object_string (entry, "notes");

      g_string_append (text, state != NULL ? state : object_string (entry, "state"));
      if (*started != '\0' || *finished != '\0')
        /* Translators: a stage's state, then its dates: "Done · 2024-01-10 – 2024-06-30" */
        g_string_append_printf (text, _(" · %s – %s"), started, finished);
      if (*notes != '\0')
        g_string_append_printf (text, "\n%s", notes);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (JSON_NODE_HOLDS_OBJECT (node) && g_str_has_prefix (field, "characteristics."))
    {
      JsonObject *characteristic = json_node_get_object (node);
      JsonNode *has = json_object_get_member (characteristic, "has");
      const char *justification = object_string (characteristic, "justification");

      g_string_append (text, has != NULL && JSON_NODE_HOLDS_VALUE (has) &&
                             json_node_get_value_type (has) == G_TYPE_BOOLEAN && json_node_get_boolean (has)
                               ? _("The model has this characteristic")
                               : _("The model does not have this characteristic"));
      if (*justification != '\0')
        g_string_append_printf (text, "\n%s", justification);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (items); i++)
        append_item (text, field, json_array_get_element (items, i));
      return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : g_strdup (_("(Empty)"));
    }

  return json_to_string (node, TRUE);
}

static GtkWidget *
make_value_column (const char *heading,
                   const char *field,
                   JsonNode   *value)
{
  g_autofree char *text = dup_value_text (field, value);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "card");
  gtk_widget_add_css_class (label, "conflict-text");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static GtkWidget *
make_button (const char *label,
             const char *action,
             const char *field,
             const char *field_label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", field);
  /* Every field has the same three buttons: a screen reader says which
   * field this one decides */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, field_label,
                                  -1);
  return button;
}

static void
add_section (MpConflictView *self,
             JsonObject     *record)
{
  const char *field = json_object_get_string_member_with_default (record, "field", NULL);
  JsonNode *base = json_object_get_member (record, "base");
  JsonNode *theirs = json_object_get_member (record, "theirs");
  JsonNode *mine = json_object_get_member (record, "mine");
  JsonNode *from_file = json_object_get_member (record, MP_EXCHANGE_CONFLICT_FROM_FILE);
  MpConflictOrigin origin = record_origin (record);
  gboolean show_file;
  const char *theirs_button;
  g_autofree char *field_label = NULL;
  g_autofree char *base_text = NULL;
  GtkWidget *section, *heading, *expander, *base_label, *columns, *buttons, *error_label;

  if (field == NULL)
    return;

  field_label = dup_field_label (field);
  section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  heading = gtk_label_new (field_label);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-3");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (section), heading);

  /* The common ancestor matters less than the two texts: folded away */
  base_text = dup_value_text (field, base);
  base_label = gtk_label_new (base_text);
  gtk_label_set_xalign (GTK_LABEL (base_label), 0);
  gtk_label_set_wrap (GTK_LABEL (base_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (base_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (base_label), TRUE);
  gtk_widget_add_css_class (base_label, "dim-label");
  gtk_widget_set_margin_top (base_label, 6);
  expander = gtk_expander_new_with_mnemonic (_("_Before Both Changes"));
  gtk_expander_set_child (GTK_EXPANDER (expander), base_label);
  gtk_box_append (GTK_BOX (section), expander);

  /* A pull put the platform's text in theirs after an import: the file's
   * is a third one, unless mine is the same */
  show_file = origin == (MP_CONFLICT_ORIGIN_PLATFORM | MP_CONFLICT_ORIGIN_FILE) && !values_equal (from_file, mine);

  columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
  gtk_box_append (GTK_BOX (columns),
                  make_value_column (origin == MP_CONFLICT_ORIGIN_FILE ? _("In the Imported File")
                                                                       : _("On the Platform"),
                                     field, theirs));
  if (show_file)
    gtk_box_append (GTK_BOX (columns), make_value_column (_("In the Imported File"), field, from_file));
  gtk_box_append (GTK_BOX (columns), make_value_column (_("On This Device (Yours)"), field, mine));
  gtk_box_append (GTK_BOX (section), columns);

  /* The file's text is resolved as a merged text, which only a text field
   * takes: other values are shown, and kept by editing the model */
  if (show_file && holds_string (from_file) && holds_string (theirs))
    g_hash_table_insert (self->file_texts, g_strdup (field), g_strdup (json_node_get_string (from_file)));
  else if (show_file)
    {
      GtkWidget *note = gtk_label_new (_("To use the file’s version, keep another one and then edit the model."));

      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (section), note);
    }

  if (holds_string (theirs))
    {
      GtkWidget *merged_heading = gtk_label_new (_("Merged Text"));
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *text_view = gtk_text_view_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));

      gtk_label_set_xalign (GTK_LABEL (merged_heading), 0);
      gtk_widget_add_css_class (merged_heading, "heading");
      gtk_box_append (GTK_BOX (section), merged_heading);

      /* Starts from mine: the usual merge adds a few words of theirs */
      gtk_text_buffer_set_text (buffer, holds_string (mine) ? json_node_get_string (mine) : "", -1);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text_view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text_view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text_view), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text_view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (text_view), 8);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (text_view), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      merged_heading, NULL, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text_view);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_widget_add_css_class (scrolled, "card");
      gtk_box_append (GTK_BOX (section), scrolled);
      g_hash_table_insert (self->buffers, g_strdup (field), buffer);
    }

  error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_box_append (GTK_BOX (section), error_label);
  g_hash_table_insert (self->errors, g_strdup (field), error_label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  if (origin == MP_CONFLICT_ORIGIN_FILE)
    theirs_button = _("Use the _File’s Version");
  else if (show_file)
    theirs_button = _("Use the _Platform’s Version");
  else
    theirs_button = _("Use _Theirs");
  gtk_box_append (GTK_BOX (buttons), make_button (theirs_button, "conflict.use-theirs", field, field_label));
  if (g_hash_table_contains (self->file_texts, field))
    gtk_box_append (GTK_BOX (buttons),
                    make_button (_("Use the _File’s Version"), "conflict.use-file", field, field_label));
  gtk_box_append (GTK_BOX (buttons), make_button (_("_Keep Mine"), "conflict.keep-mine", field, field_label));
  if (holds_string (theirs))
    {
      GtkWidget *merged = make_button (_("Use _Merged Text"), "conflict.use-merged", field, field_label);

      gtk_widget_add_css_class (merged, "suggested-action");
      gtk_box_append (GTK_BOX (buttons), merged);
    }
  gtk_box_append (GTK_BOX (section), buttons);

  gtk_box_append (self->fields_box, section);
  g_hash_table_insert (self->sections, g_strdup (field), section);
}

static void
update_intro (MpConflictView   *self,
              MpConflictOrigin  origin)
{
  const char *text;

  if (origin == MP_CONFLICT_ORIGIN_FILE)
    text = _("These fields were changed both on this device and in the imported file. Choose which text to "
             "keep for each, or write one from both. Nothing is sent until every field is resolved.");
  else if (origin == (MP_CONFLICT_ORIGIN_PLATFORM | MP_CONFLICT_ORIGIN_FILE))
    text = _("These fields were changed on this device and elsewhere: on the platform, in the imported file, "
             "or both. Choose which text to keep for each, or write one from them. Nothing is sent until every "
             "field is resolved.");
  else
    text = _("These fields were changed both on this device and on the platform. Choose which text to keep "
             "for each, or write one from both. Nothing is sent until every field is resolved.");
  gtk_label_set_label (self->intro_label, text);
}

static void
mp_conflict_view_load (MpConflictView *self)
{
  g_autoptr(JsonNode) conflicts = mp_sync_store_get_conflicts (self->store, self->model_id);
  g_autoptr(MpModelSummary) summary = mp_store_get_summary_by_id (self->store, self->model_id);
  JsonArray *records;

  if (summary != NULL)
    adw_window_title_set_subtitle (self->window_title, mp_model_summary_get_title (summary));
  update_intro (self, records_origin (conflicts));

  if (conflicts == NULL || !JSON_NODE_HOLDS_ARRAY (conflicts))
    return;
  records = json_node_get_array (conflicts);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *element = json_array_get_element (records, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        add_section (self, json_node_get_object (element));
    }
}

/* @text: the text for MP_RESOLVE_MERGED */
static void
resolve (MpConflictView *self,
         const char     *field,
         MpResolve       resolution,
         const char     *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strdup (field);
  GtkWidget *section = g_hash_table_lookup (self->sections, field);

  if (section == NULL)
    return;

  if (!mp_sync_store_resolve_field (self->store, self->model_id, field, resolution, text, &error))
    {
      GtkLabel *error_label = g_hash_table_lookup (self->errors, field);

      gtk_label_set_label (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }

  g_hash_table_remove (self->buffers, key);
  g_hash_table_remove (self->errors, key);
  g_hash_table_remove (self->file_texts, key);
  g_hash_table_remove (self->sections, key);
  gtk_box_remove (self->fields_box, section);

  g_signal_emit (self, signals[SIGNAL_RESOLVED], 0, key);
  if (g_hash_table_size (self->sections) == 0)
    {
      g_signal_emit (self, signals[SIGNAL_DONE], 0);
      gtk_window_close (GTK_WINDOW (self));
    }
  else
    /* The fields left may all come from one side now */
    update_intro (self, mp_conflict_view_get_origin (self->store, self->model_id));
}

/* callbacks */

static void
mp_conflict_view_use_theirs_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  resolve (MP_CONFLICT_VIEW (widget), g_variant_get_string (parameter, NULL), MP_RESOLVE_THEIRS, NULL);
}

static void
mp_conflict_view_keep_mine_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  resolve (MP_CONFLICT_VIEW (widget), g_variant_get_string (parameter, NULL), MP_RESOLVE_MINE, NULL);
}

static void
mp_conflict_view_use_merged_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  MpConflictView *self = MP_CONFLICT_VIEW (widget);
  const char *field = g_variant_get_string (parameter, NULL);
  GtkTextBuffer *buffer = g_hash_table_lookup (self->buffers, field);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (buffer == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  resolve (self, field, MP_RESOLVE_MERGED, text);
}

/* The core keeps no choice of the file's text: it is written as the
 * person's own merged text */
static void
mp_conflict_view_use_file_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  MpConflictView *self = MP_CONFLICT_VIEW (widget);
  const char *field = g_variant_get_string (parameter, NULL);
  const char *text = g_hash_table_lookup (self->file_texts, field);

  if (text != NULL)
    resolve (self, field, MP_RESOLVE_MERGED, text);
}

/* GObject overrides */

static void
mp_conflict_view_constructed (GObject *object)
{
  MpConflictView *self = MP_CONFLICT_VIEW (object);

  G_OBJECT_CLASS (mp_conflict_view_parent_class)->constructed (object);

  g_assert (MP_IS_STORE (self->store));
  g_assert (self->model_id != NULL);
  mp_conflict_view_load (self);
}

static void
mp_conflict_view_dispose (GObject *object)
{
  MpConflictView *self = MP_CONFLICT_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MP_TYPE_CONFLICT_VIEW);
  g_clear_pointer (&self->sections, g_hash_table_unref);
  g_clear_pointer (&self->buffers, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->file_texts, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mp_conflict_view_parent_class)->dispose (object);
}

static void
mp_conflict_view_finalize (GObject *object)
{
  MpConflictView *self = MP_CONFLICT_VIEW (object);

  g_clear_pointer (&self->model_id, g_free);

  G_OBJECT_CLASS (mp_conflict_view_parent_class)->finalize (object);
}

static void
mp_conflict_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MpConflictView *self = MP_CONFLICT_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_conflict_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MpConflictView *self = MP_CONFLICT_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MODEL_ID:
      self->model_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mp_conflict_view_class_init (MpConflictViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mp_conflict_view_constructed;
  object_class->dispose = mp_conflict_view_dispose;
  object_class->finalize = mp_conflict_view_finalize;
  object_class->get_property = mp_conflict_view_get_property;
  object_class->set_property = mp_conflict_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] =
    g_param_spec_string ("model-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/mp-conflict-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MpConflictView, fields_box);
  gtk_widget_class_bind_template_child (widget_class, MpConflictView, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MpConflictView, window_title);

  gtk_widget_class_install_action (widget_class, "conflict.keep-mine", "s", mp_conflict_view_keep_mine_action);
  gtk_widget_class_install_action (widget_class, "conflict.use-file", "s", mp_conflict_view_use_file_action);
  gtk_widget_class_install_action (widget_class, "conflict.use-merged", "s", mp_conflict_view_use_merged_action);
  gtk_widget_class_install_action (widget_class, "conflict.use-theirs", "s", mp_conflict_view_use_theirs_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mp_conflict_view_init (MpConflictView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->buffers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->file_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* public API */

GtkWidget *
mp_conflict_view_new (MpStore    *store,
                      const char *model_id)
{
  g_return_val_if_fail (MP_IS_STORE (store), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  return g_object_new (MP_TYPE_CONFLICT_VIEW, "store", store, "model-id", model_id, NULL);
}

MpConflictOrigin
mp_conflict_view_get_origin (MpStore    *store,
                             const char *model_id)
{
  g_autoptr(JsonNode) conflicts = NULL;

  g_return_val_if_fail (MP_IS_STORE (store), MP_CONFLICT_ORIGIN_NONE);
  g_return_val_if_fail (model_id != NULL, MP_CONFLICT_ORIGIN_NONE);

  conflicts = mp_sync_store_get_conflicts (store, model_id);
  return records_origin (conflicts);
}

guint
mp_conflict_view_get_n_fields (MpConflictView *self)
{
  g_return_val_if_fail (MP_IS_CONFLICT_VIEW (self), 0);

  return g_hash_table_size (self->sections);
}

GtkTextBuffer *
mp_conflict_view_get_merged_buffer (MpConflictView *self,
                                    const char     *field)
{
  g_return_val_if_fail (MP_IS_CONFLICT_VIEW (self), NULL);

  return g_hash_table_lookup (self->buffers, field);
}
